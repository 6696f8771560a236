/* Bounded byte reader (see bytes.h). */
#include "bytes.h"

#include <string.h>

bool td_bytes_skip(struct td_bytes *b, size_t n)
{
	if (b->len < n)
		return false;
	b->p += n;
	b->len -= n;
	return true;
}

bool td_bytes_u8(struct td_bytes *b, uint8_t *out)
{
	if (b->len < 1)
		return false;
	*out = b->p[0];
	b->p++;
	b->len--;
	return true;
}

bool td_bytes_u16le(struct td_bytes *b, uint16_t *out)
{
	if (b->len < 2)
		return false;
	*out = (uint16_t)(b->p[0] | (b->p[1] << 8));
	return td_bytes_skip(b, 2);
}

bool td_bytes_u16be(struct td_bytes *b, uint16_t *out)
{
	if (b->len < 2)
		return false;
	*out = (uint16_t)((b->p[0] << 8) | b->p[1]);
	return td_bytes_skip(b, 2);
}

bool td_bytes_u32le(struct td_bytes *b, uint32_t *out)
{
	if (b->len < 4)
		return false;
	*out = (uint32_t)b->p[0] | ((uint32_t)b->p[1] << 8) | ((uint32_t)b->p[2] << 16) |
	       ((uint32_t)b->p[3] << 24);
	return td_bytes_skip(b, 4);
}

bool td_bytes_u64le(struct td_bytes *b, uint64_t *out)
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

bool td_bytes_sub(struct td_bytes *b, struct td_bytes *out, size_t n)
{
	if (b->len < n)
		return false;
	*out = td_bytes_make(b->p, n);
	return td_bytes_skip(b, n);
}

bool td_bytes_at(struct td_bytes b, size_t off, size_t n, struct td_bytes *out)
{
	if (off > b.len || n > b.len - off)
		return false;
	*out = td_bytes_make(b.p + off, n);
	return true;
}

bool td_bytes_has_prefix(struct td_bytes b, const void *magic, size_t n)
{
	return b.len >= n && memcmp(b.p, magic, n) == 0;
}
