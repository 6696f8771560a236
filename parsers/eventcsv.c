/* Exported events as delimited text:
 *
 *  - Event Viewer "Save As... CSV": header "Level,Date and Time,Source,
 *    Event ID,Task Category" (five names, six fields: the sixth, unnamed, is
 *    the message, quoted, with line breaks and doubled quotes inside);
 *  - Event Viewer "Text (Tab delimited)": the same columns, tab-separated;
 *  - PowerShell Export-Csv of Get-WinEvent / Get-EventLog: an optional
 *    "#TYPE ..." line, then quoted EventLogRecord property names (Message,
 *    Id, ProviderName, TimeCreated, MachineName, LevelDisplayName, ...).
 *
 * Columns are mapped by header name; every other column becomes a field.
 * Times are local time of the exporting machine (they carry no zone).
 */
#include <stdlib.h>
#include <string.h>

#include "eventexport.h"
#include "lines.h"
#include "parser.h"

#define MAX_COLS 64

enum col {
	COL_OTHER,
	COL_MESSAGE,
	COL_ID,
	COL_PROVIDER,
	COL_TIME,
	COL_LEVEL,
	COL_HOST,
	COL_CHANNEL,
	COL_RECORD,
};

struct ec_state {
	struct td_export x;
	bool have_header;
	char sep;
	size_t ncols;
	enum col kind[MAX_COLS];
	char *names[MAX_COLS];
	bool message_last; /* Event Viewer: the unnamed column after the header's */
};

static enum col col_kind(struct td_str n)
{
	static const struct {
		const char *name;
		enum col kind;
	} map[] = {
		{ "Message", COL_MESSAGE },	     { "Id", COL_ID },
		{ "Event ID", COL_ID },		     { "EventID", COL_ID },
		{ "InstanceId", COL_OTHER },	     { "ProviderName", COL_PROVIDER },
		{ "Source", COL_PROVIDER },	     { "TimeCreated", COL_TIME },
		{ "Date and Time", COL_TIME },	     { "TimeGenerated", COL_TIME },
		{ "LevelDisplayName", COL_LEVEL },   { "Level", COL_LEVEL },
		{ "EntryType", COL_LEVEL },	     { "MachineName", COL_HOST },
		{ "LogName", COL_CHANNEL },	     { "RecordId", COL_RECORD },
		{ "Index", COL_RECORD },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (td_str_ieq_cstr(n, map[i].name))
			return map[i].kind;
	return COL_OTHER;
}

/* Splits one record starting at s into fields; returns the bytes taken, 0
 * when the record is not complete (an open quote at the end). */
static size_t split(struct td_str s, char sep, struct td_str *f, size_t *n, bool finish,
		    struct td_arena *a)
{
	size_t i = 0;
	*n = 0;
	for (;;) {
		struct td_str v = { s.p + i, 0 };
		if (i < s.len && s.p[i] == '"') {
			size_t j = i + 1;
			bool doubled = false, closed = false;
			while (j < s.len) {
				if (s.p[j] == '"') {
					if (j + 1 < s.len && s.p[j + 1] == '"') {
						doubled = true;
						j += 2;
						continue;
					}
					closed = true;
					break;
				}
				j++;
			}
			if (!closed && !finish)
				return 0;
			v = td_str_slice(s, i + 1, j);
			if (doubled) {
				char *m = td_arena_alloc(a, v.len + 1);
				size_t k = 0;
				for (size_t q = 0; m && q < v.len; q++) {
					m[k++] = v.p[q];
					if (v.p[q] == '"' && q + 1 < v.len && v.p[q + 1] == '"')
						q++;
				}
				if (m)
					v = td_str_make(m, k);
			}
			i = closed ? j + 1 : j;
			while (i < s.len && s.p[i] != sep && s.p[i] != '\n')
				i++; /* junk after the closing quote */
		} else {
			size_t j = i;
			while (j < s.len && s.p[j] != sep && s.p[j] != '\n')
				j++;
			if (j >= s.len && !finish)
				return 0;
			v = td_str_slice(s, i, j);
			while (v.len && v.p[v.len - 1] == '\r')
				v.len--;
			i = j;
		}
		if (*n < MAX_COLS)
			f[(*n)++] = v;
		if (i >= s.len)
			return i;
		if (s.p[i] == '\n')
			return i + 1;
		if (s.p[i] == '\r' && i + 1 < s.len && s.p[i + 1] == '\n')
			return i + 2;
		i++; /* the separator */
	}
}

static struct td_str first_line(struct td_str head)
{
	struct td_str rest = head, l;
	bool term;
	while (td_next_line(&rest, &l, &term))
		if (td_str_trim(l).len && !td_str_starts_with(l, "#TYPE"))
			return l;
	return td_str_make(NULL, 0);
}

static int ec_probe(struct td_str head)
{
	struct td_str l = first_line(head);
	if (!l.p)
		return 0;
	if (td_str_starts_with(head, "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord") ||
	    td_str_starts_with(head, "#TYPE System.Diagnostics.EventLogEntry"))
		return 95;
	if (td_str_starts_with(l, "Level,Date and Time,Source,Event ID,Task Category") ||
	    td_str_starts_with(l, "Level\tDate and Time\tSource\tEvent ID\tTask Category"))
		return 95;
	if (td_str_find(l, TD_STR_LIT("\"Message\"")) >= 0 &&
	    (td_str_find(l, TD_STR_LIT("\"ProviderName\"")) >= 0 ||
	     td_str_find(l, TD_STR_LIT("\"Id\"")) >= 0 || td_str_find(l, TD_STR_LIT("\"EventID\"")) >= 0))
		return 90;
	return 0;
}

static int ec_init(void *state, struct td_parse_ctx *ctx)
{
	struct ec_state *st = state;
	td_export_init(&st->x);
	return TD_OK;
}

static void ec_release(void *state)
{
	struct ec_state *st = state;
	for (size_t i = 0; i < st->ncols; i++)
		free(st->names[i]);
	td_export_release(&st->x);
}

static int header(struct ec_state *st, const struct td_str *f, size_t n, char sep)
{
	st->sep = sep;
	st->ncols = n;
	for (size_t i = 0; i < n; i++) {
		st->kind[i] = col_kind(f[i]);
		st->names[i] = td_str_dup(f[i]);
		if (!st->names[i])
			return TD_E_NOMEM;
	}
	/* Event Viewer names five columns and writes the message sixth. */
	st->message_last = n == 5 && st->kind[0] == COL_LEVEL && st->kind[1] == COL_TIME;
	st->have_header = true;
	return TD_OK;
}

static int row(struct ec_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
	       const struct td_str *f, size_t n, uint64_t line, uint64_t line_end, size_t off)
{
	struct td_export *x = &st->x;
	x->fields.n = 0;
	struct td_event ev = { .line = line, .line_end = line_end, .offset = c->pos + off };
	for (size_t i = 0; i < n; i++) {
		enum col k = i < st->ncols ? st->kind[i]
					   : (st->message_last && i == st->ncols ? COL_MESSAGE
										 : COL_OTHER);
		struct td_str v = td_str_trim(f[i]);
		uint64_t num;
		switch (k) {
		case COL_MESSAGE: ev.message = v; break;
		case COL_PROVIDER: ev.provider = v; break;
		case COL_HOST: ev.host = v; break;
		case COL_CHANNEL: ev.channel = v; break;
		case COL_LEVEL: {
			ev.level = td_export_level_name(v);
			if (ev.level == TD_LEVEL_NONE && v.len && td_str_parse_udec(v, 2, &num) == v.len)
				ev.level = num == 1 ? TD_LEVEL_CRITICAL : num == 2 ? TD_LEVEL_ERROR
							: num == 3 ? TD_LEVEL_WARNING : TD_LEVEL_INFO;
			break;
		}
		case COL_TIME:
			if (v.len && !td_time_parse_loose(v, &ev.time))
				ev.time.text = v;
			break;
		case COL_ID:
			if (v.len && td_str_parse_udec(v, 10, &num) == v.len) {
				ev.has_event_id = true;
				ev.event_id = (uint32_t)(num & 0xffff);
			}
			break;
		case COL_RECORD:
			if (v.len)
				td_str_parse_udec(v, 20, &ev.record);
			break;
		case COL_OTHER: break;
		}
		if (i < st->ncols && k != COL_MESSAGE && st->names[i][0] &&
		    td_xfields_add(&x->fields, td_str_cstr(st->names[i]), v))
			return TD_E_NOMEM;
	}
	ev.fields = x->fields.items;
	ev.nfields = x->fields.n;
	x->record++;
	if (!ev.record)
		ev.record = x->record;
	if (ev.message.len > TD_MAX_MESSAGE)
		ev.message.len = TD_MAX_MESSAGE;
	return td_emit(ctx, &ev);
}

static int ec_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct ec_state *st = state;
	struct td_str s = td_str_make(c->p, c->len);
	bool finish = c->eof || c->force;
	size_t pos = 0;
	uint64_t line = c->line;
	*consumed = 0;
	while (pos < s.len) {
		struct td_str rest = td_str_slice(s, pos, s.len);
		if (!st->have_header) {
			struct td_str l;
			bool term;
			struct td_str r2 = rest;
			if (!td_next_line(&r2, &l, &term) || (!term && !finish))
				break;
			if (!td_str_trim(l).len || td_str_starts_with(l, "#TYPE")) {
				pos = (size_t)(r2.p - s.p);
				line++;
				*consumed = pos;
				continue;
			}
			char sep = td_str_find_char(l, '\t') >= 0 && td_str_find_char(l, ',') < 0 ? '\t' : ',';
			struct td_str f[MAX_COLS];
			size_t n;
			td_arena_reset(&st->x.arena);
			size_t took = split(rest, sep, f, &n, true, &st->x.arena);
			/* Names must outlive the arena: header() copies them. */
			if (header(st, f, n, sep))
				return TD_E_NOMEM;
			pos += took;
			line += td_count_newlines(td_str_slice(rest, 0, took));
			*consumed = pos;
			continue;
		}
		struct td_str f[MAX_COLS];
		size_t n;
		td_arena_reset(&st->x.arena);
		size_t took = split(rest, st->sep, f, &n, finish, &st->x.arena);
		if (!took)
			break;
		struct td_str raw = td_str_slice(rest, 0, took);
		uint64_t lines = td_count_newlines(raw);
		bool blank = n <= 1 && (!n || !td_str_trim(f[0]).len);
		if (!blank) {
			uint64_t end = line + (lines && raw.p[raw.len - 1] == '\n' ? lines - 1 : lines);
			int rc = row(st, ctx, c, f, n, line, end, pos);
			if (rc)
				return rc;
		}
		pos += took;
		line += lines;
		*consumed = pos;
	}
	return TD_OK;
}

const struct td_text_parser td_parser_eventcsv = {
	.format = TD_FMT_EVENTCSV,
	.name = "eventcsv",
	.probe = ec_probe,
	.state_size = sizeof(struct ec_state),
	.init = ec_init,
	.feed = ec_feed,
	.release = ec_release,
};
