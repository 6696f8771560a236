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

/* The getters are inline: binary parsers call them for every field. */
static inline bool td_bytes_skip(struct td_bytes *b, size_t n)
{
	if (b->len < n)
		return false;
	b->p += n;
	b->len -= n;
	return true;
}

static inline bool td_bytes_u8(struct td_bytes *b, uint8_t *out)
{
	if (b->len < 1)
		return false;
	*out = b->p[0];
	b->p++;
	b->len--;
	return true;
}

static inline bool td_bytes_u16le(struct td_bytes *b, uint16_t *out)
{
	if (b->len < 2)
		return false;
	*out = (uint16_t)(b->p[0] | (b->p[1] << 8));
	return td_bytes_skip(b, 2);
}

static inline bool td_bytes_u16be(struct td_bytes *b, uint16_t *out)
{
	if (b->len < 2)
		return false;
	*out = (uint16_t)((b->p[0] << 8) | b->p[1]);
	return td_bytes_skip(b, 2);
}

static inline bool td_bytes_u32le(struct td_bytes *b, uint32_t *out)
{
	if (b->len < 4)
		return false;
	*out = (uint32_t)b->p[0] | ((uint32_t)b->p[1] << 8) | ((uint32_t)b->p[2] << 16) |
	       ((uint32_t)b->p[3] << 24);
	return td_bytes_skip(b, 4);
}

static inline bool td_bytes_u64le(struct td_bytes *b, uint64_t *out)
{
	uint32_t lo, hi;
	if (b->len < 8)
		return false;
	struct td_bytes t = *b;
	td_bytes_u32le(&t, &lo);
	td_bytes_u32le(&t, &hi);
	*out = ((uint64_t)hi << 32) | lo;
	*b = t;
	return true;
}

static inline bool td_bytes_sub(struct td_bytes *b, struct td_bytes *out, size_t n)
{
	if (b->len < n)
		return false;
	*out = td_bytes_make(b->p, n);
	return td_bytes_skip(b, n);
}

static inline bool td_bytes_at(struct td_bytes b, size_t off, size_t n, struct td_bytes *out)
{
	if (off > b.len || n > b.len - off)
		return false;
	*out = td_bytes_make(b.p + off, n);
	return true;
}

/* Moves the next n bytes into *out as a child view. */
bool td_bytes_sub(struct td_bytes *b, struct td_bytes *out, size_t n);
/* Random access: *out = bytes [off, off + n) of b, without moving b.
 * Checks off <= len && n <= len - off. */
bool td_bytes_at(struct td_bytes b, size_t off, size_t n, struct td_bytes *out);
/* Whether b starts with the n bytes of magic. */
bool td_bytes_has_prefix(struct td_bytes b, const void *magic, size_t n);

#endif
