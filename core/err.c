/* Status strings, td_err and the per-input diagnostics list (see err.h). */
#include "err.h"
#include "grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *td_status_str(int code)
{
	switch (code) {
	case TD_OK: return "ok";
	case TD_E_NOMEM: return "out of memory";
	case TD_E_IO: return "input/output error";
	case TD_E_FORMAT: return "invalid format";
	case TD_E_TRUNCATED: return "truncated input";
	case TD_E_LIMIT: return "limit reached";
	case TD_E_RULE: return "invalid signature database";
	case TD_E_USAGE: return "usage error";
	case TD_E_STOP: return "stopped";
	}
	return "unknown error";
}

int td_err_set(struct td_err *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void td_diag_init(struct td_diag *d, size_t max)
{
	memset(d, 0, sizeof(*d));
	d->max = max;
}

void td_diag_vadd(struct td_diag *d, enum td_diag_level level, uint64_t offset,
		  uint64_t line, const char *fmt, va_list ap)
{
	if (!d)
		return;
	d->count[level]++;
	if (d->n >= d->max) {
		d->dropped++;
		return;
	}
	if (td_grow(&d->items, &d->cap, d->n, sizeof(*d->items))) {
		d->dropped++;
		return;
	}
	char tmp[512];
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	char *msg = strdup(tmp);
	if (!msg) {
		d->dropped++;
		return;
	}
	d->items[d->n++] = (struct td_diag_entry){ level, offset, line, msg };
}

void td_diag_add(struct td_diag *d, enum td_diag_level level, uint64_t offset,
		 uint64_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	td_diag_vadd(d, level, offset, line, fmt, ap);
	va_end(ap);
}

void td_diag_release(struct td_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->items[i].msg);
	free(d->items);
	d->items = NULL;
	d->n = d->cap = 0;
}

const char *td_diag_level_name(enum td_diag_level level)
{
	switch (level) {
	case TD_DIAG_NOTE: return "note";
	case TD_DIAG_WARNING: return "warning";
	case TD_DIAG_ERROR: return "error";
	}
	return "?";
}
