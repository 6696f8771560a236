/* Capped growable byte buffer (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_string[1];

void td_buf_init(struct td_buf *b, size_t max)
{
	b->p = empty_string;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

int td_buf_reserve(struct td_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return TD_E_LIMIT;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return TD_OK;
	size_t ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	char *np = realloc(b->cap ? b->p : NULL, ncap);
	if (!np)
		return TD_E_NOMEM;
	if (!b->cap)
		np[0] = '\0';
	b->p = np;
	b->cap = ncap;
	return TD_OK;
}

int td_buf_add(struct td_buf *b, const void *p, size_t n)
{
	int rc = td_buf_reserve(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return TD_OK;
}

int td_buf_addc(struct td_buf *b, char c)
{
	return td_buf_add(b, &c, 1);
}

int td_buf_adds(struct td_buf *b, const char *z)
{
	return td_buf_add(b, z, strlen(z));
}

int td_buf_addstr(struct td_buf *b, struct td_str s)
{
	return td_buf_add(b, s.p, s.len);
}

int td_buf_vaddf(struct td_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return TD_E_FORMAT;
	if ((size_t)n < sizeof(small))
		return td_buf_add(b, small, (size_t)n);
	int rc = td_buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return TD_OK;
}

int td_buf_addf(struct td_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = td_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void td_buf_reset(struct td_buf *b)
{
	td_buf_truncate(b, 0);
}

void td_buf_truncate(struct td_buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		if (b->cap)
			b->p[n] = '\0';
	}
}

void td_buf_release(struct td_buf *b)
{
	if (b->cap)
		free(b->p);
	td_buf_init(b, b->max);
}

char *td_buf_detach(struct td_buf *b, size_t *len)
{
	char *p = b->cap ? b->p : strdup("");
	if (len)
		*len = b->cap ? b->len : 0;
	td_buf_init(b, b->max);
	return p;
}
