/* Bounded byte reader (the BoringSSL CBS model).
 *
 * struct td_bytes is a read-only view {p, len} over untrusted input.  Every
 * getter checks the remaining length first, advances the view only on
 * success and returns false (leaving the view unchanged) otherwise.  Nothing
 * here allocates.  Multi-byte integers are read byte by byte in the named
 * endianness, so alignment and host byte order never matter.
 *
 * This is the only code allowed to index raw binary input: binary parsers
 * take sub-views with td_bytes_sub()/td_bytes_at() and read through them.
 */
#ifndef TD_BYTES_H
#define TD_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct td_bytes {
	const uint8_t *p;
	size_t len;
};

static inline struct td_bytes td_bytes_make(const void *p, size_t len)
{
	struct td_bytes b = { (const uint8_t *)p, len };
	return b;
}

bool td_bytes_skip(struct td_bytes *b, size_t n);
bool td_bytes_u8(struct td_bytes *b, uint8_t *out);
bool td_bytes_u16le(struct td_bytes *b, uint16_t *out);
bool td_bytes_u16be(struct td_bytes *b, uint16_t *out);
bool td_bytes_u32le(struct td_bytes *b, uint32_t *out);
bool td_bytes_u64le(struct td_bytes *b, uint64_t *out);
/* Moves the next n bytes into *out as a child view. */
bool td_bytes_sub(struct td_bytes *b, struct td_bytes *out, size_t n);
/* Random access: *out = bytes [off, off + n) of b, without moving b.
 * Checks off <= len && n <= len - off. */
bool td_bytes_at(struct td_bytes b, size_t off, size_t n, struct td_bytes *out);
/* Whether b starts with the n bytes of magic. */
bool td_bytes_has_prefix(struct td_bytes b, const void *magic, size_t n);

#endif
