/* What every event a parser emits must satisfy, whatever the input; a
 * violation aborts so that the fuzzer reports it. */
#ifndef TD_FUZZ_CHECK_H
#define TD_FUZZ_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "parser.h"

/* Reads every byte of s: a view that runs past its buffer or into freed
 * memory is caught by AddressSanitizer here, in the callback, while the
 * event is valid, not later. */
static inline void fuzz_touch(struct td_str s)
{
	if (s.len && !s.p)
		abort();
	volatile unsigned char sum = 0;
	for (size_t i = 0; i < s.len; i++)
		sum ^= (unsigned char)s.p[i];
	(void)sum;
}

static inline void fuzz_check_event(const struct td_event *ev)
{
	if (ev->message.len > TD_MAX_MESSAGE || ev->line_end < ev->line)
		abort();
	if (ev->nfields && !ev->fields)
		abort();
	for (size_t i = 0; i < ev->nfields; i++) {
		if (!ev->fields[i].name.len)
			abort();
		fuzz_touch(ev->fields[i].name);
		fuzz_touch(ev->fields[i].value);
	}
	fuzz_touch(ev->message);
	fuzz_touch(ev->host);
	fuzz_touch(ev->provider);
	fuzz_touch(ev->channel);
	fuzz_touch(ev->path);
}

/* The order of the events of one text input (parser.h, event.h): the
 * format the driver chose, offsets inside the input and never going back,
 * 1-based line numbers that never go back and do not exceed the input's
 * lines (every LF of the decoded text is a 0x0A byte of the input), record
 * texts that end before the next record starts, record ordinals that grow
 * (event exports number records by their event log record id instead, in
 * any order). */
struct fuzz_text_seen {
	enum td_format format;
	const uint8_t *data;
	size_t size;
	uint64_t text_end; /* end of the last message that was a view of the input */
	uint64_t max_line;
	uint64_t line, record, offset, events;
};

static inline void fuzz_text_seen_init(struct fuzz_text_seen *s, enum td_format format,
				const uint8_t *data, size_t size)
{
	memset(s, 0, sizeof(*s));
	s->format = format;
	s->data = data;
	s->size = size;
	s->max_line = 1;
	for (size_t i = 0; i < size; i++)
		s->max_line += data[i] == '\n';
}

static inline void fuzz_check_text_event(struct fuzz_text_seen *s, const struct td_event *ev)
{
	fuzz_check_event(ev);
	if (ev->format != s->format)
		abort();
	if (ev->offset >= s->size || ev->offset < s->offset)
		abort();
	if (ev->line == 0 || ev->line < s->line || ev->line_end > s->max_line)
		abort();
	bool ordinal = s->format != TD_FMT_EVENTXML && s->format != TD_FMT_EVENTTEXT &&
		       s->format != TD_FMT_EVENTCSV;
	if (ordinal && ev->record <= s->record)
		abort();
	/* A record's text ends before the next record starts (checked where
	 * the message is a view of the input, i.e. for UTF-8 inputs). */
	if (ev->offset < s->text_end)
		abort();
	const char *in = (const char *)s->data;
	if (ev->message.len && ev->message.p >= in && ev->message.p < in + s->size) {
		if (ev->message.len > (size_t)(in + s->size - ev->message.p))
			abort();
		s->text_end = (uint64_t)(ev->message.p - in) + ev->message.len;
	}
	s->offset = ev->offset;
	s->line = ev->line;
	s->record = ev->record;
	s->events++;
}

/* Diagnostics point inside the input (or nowhere). */
static inline void fuzz_check_diag(const struct td_diag *d, const struct fuzz_text_seen *s)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct td_diag_entry *e = &d->items[i];
		if (!e->msg || (e->offset != TD_DIAG_NO_OFFSET && e->offset > s->size) ||
		    e->line > s->max_line)
			abort();
	}
}

#endif
