/* Length-carrying string views.
 *
 * A struct td_str is a borrowed view {p, len}: it never owns memory, need not
 * be NUL-terminated and may contain any bytes.  Print with "%.*s" and
 * td_str_pfmt().  The lifetime of a view is the lifetime of the memory it
 * points into; functions below never allocate.
 */
#ifndef TD_STR_H
#define TD_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct td_str {
	const char *p;
	size_t len;
};

#define TD_STR_LIT(s) ((struct td_str){ (s), sizeof(s) - 1 })
/* printf helper: printf("%.*s", td_str_pfmt(s)) */
#define td_str_pfmt(s) (int)((s).len > 0x7fffffff ? 0x7fffffff : (s).len), (s).p

static inline struct td_str td_str_make(const char *p, size_t len)
{
	struct td_str s = { p, len };
	return s;
}

static inline struct td_str td_str_cstr(const char *z)
{
	struct td_str s = { z, z ? strlen(z) : 0 };
	return s;
}

/* View of bytes [from, to) of s; both are clamped to s.len. */
struct td_str td_str_slice(struct td_str s, size_t from, size_t to);

/* ASCII case-insensitive comparisons (other bytes compare exactly). */
bool td_str_ieq(struct td_str a, struct td_str b);
bool td_str_istarts_with(struct td_str s, const char *prefix);

/* Inline: parsers call these for every line, mostly with a literal whose
 * length the compiler then knows, and mostly with a length that differs. */
static inline bool td_str_eq(struct td_str a, struct td_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline bool td_str_eq_cstr(struct td_str a, const char *z)
{
	return td_str_eq(a, td_str_cstr(z));
}

static inline bool td_str_ieq_cstr(struct td_str a, const char *z)
{
	struct td_str b = td_str_cstr(z);
	return a.len == b.len && td_str_ieq(a, b);
}

static inline bool td_str_starts_with(struct td_str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

/* Offset of the first occurrence of needle in s, or -1.  td_str_ifind
 * folds ASCII case. */
ptrdiff_t td_str_find(struct td_str s, struct td_str needle);
ptrdiff_t td_str_ifind(struct td_str s, struct td_str needle);
ptrdiff_t td_str_find_char(struct td_str s, char c);

/* s without leading/trailing spaces, tabs, CR and LF. */
struct td_str td_str_trim(struct td_str s);
/* A malloc'ed, NUL-terminated copy of s; NULL without memory. */
char *td_str_dup(struct td_str s);

/* Parses an unsigned decimal number of at most max_digits digits from the
 * start of s.  Returns the number of digits consumed (0 on failure). */
size_t td_str_parse_udec(struct td_str s, size_t max_digits, uint64_t *out);
/* Same for hexadecimal digits (no 0x prefix). */
size_t td_str_parse_hex(struct td_str s, size_t max_digits, uint64_t *out);

static inline bool td_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool td_is_xdigit(int c)
{
	return td_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline bool td_is_alnum(int c)
{
	return td_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool td_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static inline unsigned char td_ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Reads min..max (<= 9) decimal digits at s.p[*i] into *out and advances
 * *i; false (and *i unchanged) when fewer than min digits are there. */
static inline bool td_str_digits(struct td_str s, size_t *i, size_t min, size_t max, int *out)
{
	size_t k = *i, n = 0;
	int v = 0;
	while (k < s.len && n < max && td_is_digit((unsigned char)s.p[k])) {
		v = v * 10 + (s.p[k] - '0');
		k++;
		n++;
	}
	if (n < min)
		return false;
	*i = k;
	*out = v;
	return true;
}

#endif
