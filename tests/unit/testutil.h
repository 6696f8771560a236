/* Helpers shared by the unit tests: collecting parsed events as deep copies
 * and checking a parser against every truncation of an input. */
#ifndef TD_TESTUTIL_H
#define TD_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "parser.h"

struct td_test_field {
	char *name, *value;
};

/* A deep copy of one td_event (strings NUL-terminated). */
struct td_test_event {
	enum td_format format;
	uint64_t line, line_end, record, offset;
	int64_t ticks;
	int zone, digits;
	char *time_text;
	enum td_level level;
	int has_event_id;
	uint32_t event_id;
	char *host, *provider, *channel, *message;
	struct td_test_field *fields;
	size_t nfields;
};

struct td_test_events {
	struct td_test_event *ev;
	size_t n, cap;
	struct td_diag diag;
	struct td_parse_info info;
	int rc;
};

/* Parses data with parser p (NULL: sniff) and keeps copies of all events and
 * diagnostics in out (release with td_test_events_release). */
void td_test_parse(const struct td_text_parser *p, const void *data, size_t len,
		   struct td_test_events *out);
void td_test_events_release(struct td_test_events *t);
/* Value of a named field of a copied event, or NULL. */
const char *td_test_field(const struct td_test_event *ev, const char *name);

/* Parses every prefix data[0..k) for k = 0..len and checks invariants that
 * hold for any input: no crash, offsets inside the input, lines ordered,
 * messages within limits, at most max_events events.  Returns the number
 * of prefixes checked. */
size_t td_test_truncations(const struct td_text_parser *p, const char *data, size_t len,
			   size_t max_events);

/* ASCII text as UTF-16LE (with a BOM when bom is set); malloc'ed, *len bytes. */
unsigned char *td_test_utf16le(const char *ascii, size_t n, int bom, size_t *len);

/* Reads a whole file into a malloc'ed buffer; NULL if missing. */
char *td_test_read_file(const char *path, size_t *len);

#endif
