/* Status codes, error details and per-input diagnostics.
 *
 * Fallible functions return int: TD_OK (0) or a negative enum td_status.
 * Details go into an optional struct td_err filled by td_err_set(), which
 * returns the code so that "return td_err_set(err, TD_E_IO, ...);" reports
 * and propagates in one line.  Messages follow git's style: lowercase, no
 * final period, subject quoted, binary offsets in hex.
 *
 * struct td_diag collects what a parser noticed about one input (corrupt
 * record, truncated entry, limit reached) without stopping: every entry has a
 * level, the byte offset in the original input and, for text, a line number.
 */
#ifndef TD_ERR_H
#define TD_ERR_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

#if defined(__GNUC__)
#define TD_WUR __attribute__((warn_unused_result))
#define TD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TD_WUR
#define TD_PRINTF(f, a)
#endif

enum td_status {
	TD_OK = 0,
	TD_E_NOMEM = -1,     /* allocation failed */
	TD_E_IO = -2,        /* open/read/write failed */
	TD_E_FORMAT = -3,    /* bytes do not follow the format */
	TD_E_TRUNCATED = -4, /* input ends inside a structure */
	TD_E_LIMIT = -5,     /* a configured limit was reached */
	TD_E_RULE = -6,      /* signature database is invalid */
	TD_E_USAGE = -7,     /* bad command line or API use */
	TD_E_STOP = -8,      /* a callback asked to stop */
};

const char *td_status_str(int code);

struct td_err {
	int code;
	uint64_t offset;
	char msg[256];
};

/* Fills err (when not NULL) with code and the formatted message; returns
 * code. */
int td_err_set(struct td_err *err, int code, const char *fmt, ...) TD_PRINTF(3, 4);

enum td_diag_level {
	TD_DIAG_NOTE,
	TD_DIAG_WARNING,
	TD_DIAG_ERROR,
};

#define TD_DIAG_NO_LINE 0
#define TD_DIAG_NO_OFFSET UINT64_MAX

struct td_diag_entry {
	enum td_diag_level level;
	uint64_t offset; /* TD_DIAG_NO_OFFSET when not tied to a position */
	uint64_t line;   /* TD_DIAG_NO_LINE when not a text position */
	char *msg;       /* owned, NUL-terminated */
};

struct td_diag {
	struct td_diag_entry *items;
	size_t n, cap;
	size_t max;       /* entries kept; further ones are only counted */
	size_t dropped;   /* entries not kept because of max or memory */
	size_t count[3];  /* entries seen per level, kept or not */
};

/* Initialises an empty list that keeps at most max entries. */
void td_diag_init(struct td_diag *d, size_t max);
/* Records a diagnostic; never fails (an entry that cannot be stored is
 * counted in dropped). */
void td_diag_add(struct td_diag *d, enum td_diag_level level, uint64_t offset,
		 uint64_t line, const char *fmt, ...) TD_PRINTF(5, 6);
void td_diag_vadd(struct td_diag *d, enum td_diag_level level, uint64_t offset,
		  uint64_t line, const char *fmt, va_list ap) TD_PRINTF(5, 0);
/* Frees the entries; d can be reused after td_diag_init(). */
void td_diag_release(struct td_diag *d);
const char *td_diag_level_name(enum td_diag_level level);

#endif
