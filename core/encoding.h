/* Text encodings: detection from the bytes, conversion to UTF-8.
 *
 * Every text parser works on UTF-8.  td_encoding_sniff() decides from the
 * first bytes of an input (never from its name): a BOM wins; otherwise many
 * NUL bytes at odd (even) offsets mean BOM-less UTF-16LE (BE); NULs or
 * control bytes elsewhere mean binary; bytes that are not valid UTF-8 mean
 * Windows-1252.  UTF-8 input is used in place.  The other encodings are
 * converted in pieces with td_decode(), which never fails: unpaired
 * surrogates, odd trailing bytes and the like become U+FFFD.
 */
#ifndef TD_ENCODING_H
#define TD_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "str.h"

enum td_encoding {
	TD_ENC_UTF8 = 0,
	TD_ENC_UTF8_BOM,
	TD_ENC_UTF16LE_BOM,
	TD_ENC_UTF16LE,
	TD_ENC_UTF16BE_BOM,
	TD_ENC_UTF16BE,
	TD_ENC_CP1252,
	TD_ENC_BINARY,
};

/* How many leading bytes td_encoding_sniff() looks at. */
#define TD_SNIFF_BYTES 65536

const char *td_encoding_name(enum td_encoding e);
/* Detects the encoding of an input from its first bytes; *bom_len receives
 * the length of the byte order mark to skip (0 if none). */
enum td_encoding td_encoding_sniff(struct td_bytes head, size_t *bom_len);
/* Whether text in e must be converted (false for UTF-8 and binary). */
bool td_encoding_needs_decode(enum td_encoding e);

/* Converts bytes of `in` (encoding e, BOM already skipped) into UTF-8 at
 * out[0..outcap).  Stops when `in` is used up, when fewer than 4 bytes of
 * room are left, or (unless final) before an incomplete code unit or
 * surrogate pair at the end.  Reports bytes read and written. */
void td_decode(enum td_encoding e, struct td_bytes in, bool final, char *out, size_t outcap,
	       size_t *in_used, size_t *out_used);

/* Number of original input bytes that produced the UTF-8 text s (s must
 * start on a character that td_decode() wrote). */
uint64_t td_encoding_orig_span(enum td_encoding e, struct td_str s);

/* Decodes one UTF-8 character at the start of s (s.len > 0).  Returns the
 * bytes it spans; an invalid or truncated sequence spans 1 byte and yields
 * U+FFFD. */
size_t td_utf8_next(struct td_str s, uint32_t *cp);
/* Writes cp as UTF-8 into out (room for 4 bytes); returns the length. */
size_t td_utf8_put(char *out, uint32_t cp);
/* Whether s is entirely valid UTF-8. */
bool td_utf8_valid(struct td_str s);

#endif
