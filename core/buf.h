/* Capped growable byte buffer (the curl dynbuf model).
 *
 * Invariants: after td_buf_init() p is never NULL and p[len] == '\0', so the
 * contents print as a C string, while the buffer stays binary-safe.  Every
 * buffer has a maximum size chosen by its owner (a named TD_MAX_* constant);
 * an append that would pass it fails with TD_E_LIMIT and leaves the contents
 * unchanged.  td_buf_detach() is the only way to take ownership of p.
 */
#ifndef TD_BUF_H
#define TD_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"
#include "str.h"

struct td_buf {
	char *p;
	size_t len;
	size_t cap; /* 0 while p points at the shared empty string */
	size_t max; /* largest len allowed */
};

void td_buf_init(struct td_buf *b, size_t max);
/* Makes room for extra more bytes (+ NUL) without changing len. */
int td_buf_reserve(struct td_buf *b, size_t extra) TD_WUR;
int td_buf_add(struct td_buf *b, const void *p, size_t n) TD_WUR;
int td_buf_addc(struct td_buf *b, char c) TD_WUR;
int td_buf_adds(struct td_buf *b, const char *z) TD_WUR;
int td_buf_addstr(struct td_buf *b, struct td_str s) TD_WUR;
int td_buf_addf(struct td_buf *b, const char *fmt, ...) TD_PRINTF(2, 3) TD_WUR;
int td_buf_vaddf(struct td_buf *b, const char *fmt, va_list ap) TD_PRINTF(2, 0) TD_WUR;
/* Sets len to 0 and keeps the memory. */
void td_buf_reset(struct td_buf *b);
/* Shortens the contents to n bytes (n <= len). */
void td_buf_truncate(struct td_buf *b, size_t n);
/* Frees the memory; b is empty (and reusable) afterwards. */
void td_buf_release(struct td_buf *b);
/* Hands the malloc'ed, NUL-terminated contents to the caller (never NULL
 * unless memory runs out) and leaves b empty. */
char *td_buf_detach(struct td_buf *b, size_t *len);

static inline struct td_str td_buf_str(const struct td_buf *b)
{
	return td_str_make(b->p, b->len);
}

#endif
