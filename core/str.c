/* String view helpers (see str.h). */
#include "str.h"

#include <stdlib.h>

struct td_str td_str_slice(struct td_str s, size_t from, size_t to)
{
	if (!s.p)
		return td_str_make(NULL, 0); /* no arithmetic on a null pointer */
	if (to > s.len)
		to = s.len;
	if (from > to)
		from = to;
	return td_str_make(s.p + from, to - from);
}

static bool mem_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (td_ascii_lower((unsigned char)a[i]) != td_ascii_lower((unsigned char)b[i]))
			return false;
	return true;
}

bool td_str_ieq(struct td_str a, struct td_str b)
{
	return a.len == b.len && mem_ieq(a.p, b.p, a.len);
}

bool td_str_istarts_with(struct td_str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && mem_ieq(s.p, prefix, n);
}

ptrdiff_t td_str_find(struct td_str s, struct td_str needle)
{
	if (needle.len == 0)
		return 0;
	if (needle.len > s.len)
		return -1;
	/* Parsers search short lines: the first byte's memchr and a compare
	 * beat memmem's set-up.  After a few false starts memmem takes over,
	 * which stays linear on any text. */
	const char *p = s.p, *end = s.p + s.len - needle.len + 1;
	for (int tries = 0; tries < 8 && p < end; tries++) {
		const char *c = memchr(p, needle.p[0], (size_t)(end - p));
		if (!c)
			return -1;
		if (memcmp(c + 1, needle.p + 1, needle.len - 1) == 0)
			return c - s.p;
		p = c + 1;
	}
	if (p >= end)
		return -1;
	const char *hit = memmem(p, (size_t)(s.p + s.len - p), needle.p, needle.len);
	return hit ? hit - s.p : -1;
}

ptrdiff_t td_str_ifind(struct td_str s, struct td_str needle)
{
	if (needle.len == 0)
		return 0;
	if (needle.len > s.len)
		return -1;
	unsigned char first = td_ascii_lower((unsigned char)needle.p[0]);
	for (size_t i = 0; i + needle.len <= s.len; i++) {
		if (td_ascii_lower((unsigned char)s.p[i]) == first &&
		    mem_ieq(s.p + i + 1, needle.p + 1, needle.len - 1))
			return (ptrdiff_t)i;
	}
	return -1;
}

ptrdiff_t td_str_find_char(struct td_str s, char c)
{
	const char *hit = s.len ? memchr(s.p, c, s.len) : NULL;
	return hit ? hit - s.p : -1;
}

struct td_str td_str_trim(struct td_str s)
{
	while (s.len && td_is_space((unsigned char)s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && td_is_space((unsigned char)s.p[s.len - 1]))
		s.len--;
	return s;
}

size_t td_str_parse_udec(struct td_str s, size_t max_digits, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	while (i < s.len && i < max_digits && td_is_digit((unsigned char)s.p[i])) {
		unsigned d = (unsigned)(s.p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
		i++;
	}
	if (i && out)
		*out = v;
	return i;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t td_str_parse_hex(struct td_str s, size_t max_digits, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	if (max_digits > 16)
		max_digits = 16;
	while (i < s.len && i < max_digits) {
		int h = hexval((unsigned char)s.p[i]);
		if (h < 0)
			break;
		v = (v << 4) | (unsigned)h;
		i++;
	}
	if (i && out)
		*out = v;
	return i;
}

char *td_str_dup(struct td_str s)
{
	char *p = malloc(s.len + 1);
	if (!p)
		return NULL;
	if (s.len)
		memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	return p;
}
