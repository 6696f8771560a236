/* Exported events as text:
 *
 *  - Event Viewer "Copy details as text": a header block ("Log Name:",
 *    "Source:", "Date:", "Event ID:", "Level:", "Computer:", ...), then
 *    "Description:" and the message lines, then "Event Xml:" and the event's
 *    XML.  The XML gives the UTC time and the EventData fields; the header's
 *    Date is local time of the exporting machine and is used only without it.
 *  - PowerShell Format-List (Get-WinEvent, Get-EventLog): "Name : value"
 *    lines, values continued on indented lines, records separated by blank
 *    lines.  Out-File wraps long values at the console width; a line of
 *    exactly that width continues the word on the next line.
 */
#include <stdlib.h>
#include <string.h>

#include "eventexport.h"
#include "lines.h"
#include "parser.h"

struct et_state {
	struct td_export x;
};

/* "Key:" at the start of a copy-as-text header line (value after spaces). */
static bool header_key(struct td_str line, const char *key, struct td_str *value)
{
	size_t n = strlen(key);
	if (line.len < n || memcmp(line.p, key, n) != 0)
		return false;
	*value = td_str_trim(td_str_slice(line, n, line.len));
	return true;
}

/* Format-List "Name   : value"; the name is one word. */
static bool list_line(struct td_str line, struct td_str *name, struct td_str *value)
{
	size_t i = 0;
	while (i < line.len && (td_is_alnum((unsigned char)line.p[i]) || line.p[i] == '_'))
		i++;
	if (!i)
		return false;
	size_t j = i;
	while (j < line.len && line.p[j] == ' ')
		j++;
	if (j >= line.len || line.p[j] != ':' || (j + 1 < line.len && line.p[j + 1] != ' '))
		return false;
	*name = td_str_slice(line, 0, i);
	*value = td_str_slice(line, j + 1 < line.len ? j + 2 : j + 1, line.len);
	return true;
}

static bool is_list_key(struct td_str k)
{
	static const char *const keys[] = { "TimeCreated", "ProviderName", "Id", "Message",
					    "LevelDisplayName", "MachineName", "LogName",
					    "RecordId", "EventID", "Source", "TimeGenerated",
					    "EntryType", "Index", "InstanceId" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (td_str_eq_cstr(k, keys[i]))
			return true;
	return false;
}

static int et_probe(struct td_str head)
{
	struct td_str rest = head, line, name, value;
	bool term;
	int known = 0, lines = 0;
	while (lines < 40 && td_next_line(&rest, &line, &term)) {
		lines++;
		if (header_key(line, "Log Name:", &value))
			return 95;
		if (list_line(line, &name, &value) && is_list_key(name))
			known++;
	}
	return known >= 3 ? 85 : 0;
}

static int et_init(void *state, struct td_parse_ctx *ctx)
{
	struct et_state *st = state;
	td_export_init(&st->x);
	return TD_OK;
}

static void et_release(void *state)
{
	struct et_state *st = state;
	td_export_release(&st->x);
}

static struct td_str joined(struct td_arena *a, struct td_str acc, struct td_str add, bool glue)
{
	if (!acc.p)
		return add;
	char *m = td_arena_alloc(a, acc.len + add.len + 2);
	if (!m)
		return acc;
	memcpy(m, acc.p, acc.len);
	size_t n = acc.len;
	if (!glue)
		m[n++] = '\n';
	memcpy(m + n, add.p, add.len);
	n += add.len;
	m[n] = '\0';
	return td_str_make(m, n);
}

/* One copy-as-text record: lines [0, n). */
static int copy_as_text(struct et_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
			struct td_str rec, uint64_t line)
{
	struct td_export *x = &st->x;
	td_arena_reset(&x->arena);
	x->fields.n = 0;
	struct td_event ev = { .line = line, .offset = c->pos + (size_t)(rec.p - c->p) };
	/* Header values kept as fields, added after the XML's own fields. */
	struct td_field hdr[3];
	size_t nhdr = 0;
	struct td_str rest = rec, l, v, desc = { NULL, 0 }, date = { NULL, 0 };
	bool term, in_desc = false;
	const char *xml_at = NULL;
	uint64_t ln = line;
	while (td_next_line(&rest, &l, &term)) {
		if (in_desc) {
			if (td_str_starts_with(l, "Event Xml:")) {
				xml_at = rest.p;
				break;
			}
			desc = joined(&x->arena, desc, l, false);
			ln++;
			continue;
		}
		if (header_key(l, "Log Name:", &v))
			ev.channel = v;
		else if (header_key(l, "Source:", &v))
			ev.provider = v;
		else if (header_key(l, "Date:", &v))
			date = v;
		else if (header_key(l, "Event ID:", &v)) {
			uint64_t id;
			if (td_str_parse_udec(v, 10, &id) == v.len && v.len && id <= UINT32_MAX) {
				ev.has_event_id = true;
				ev.event_id = (uint32_t)id;
			}
		} else if (header_key(l, "Level:", &v))
			ev.level = td_export_level_name(v);
		else if (header_key(l, "Computer:", &v))
			ev.host = v;
		else if (header_key(l, "Task Category:", &v) && v.len && nhdr < 3)
			hdr[nhdr++] = (struct td_field){ TD_STR_LIT("TaskCategory"), v };
		else if (header_key(l, "Keywords:", &v) && v.len && nhdr < 3)
			hdr[nhdr++] = (struct td_field){ TD_STR_LIT("KeywordsText"), v };
		else if (header_key(l, "User:", &v) && v.len && nhdr < 3)
			hdr[nhdr++] = (struct td_field){ TD_STR_LIT("User"), v };
		else if (td_str_starts_with(l, "Description:"))
			in_desc = true;
		ln++;
	}
	ev.line_end = line + td_count_newlines(rec);
	if (desc.p)
		desc = td_str_trim(desc);
	if (xml_at) {
		/* The XML knows the UTC time, the record id and every field. */
		struct td_event xe = { 0 };
		bool tolerant;
		struct td_str xml = td_str_make(xml_at, (size_t)(rec.p + rec.len - xml_at));
		int rc = td_export_xml_event(x, xml, &xe, &tolerant);
		if (rc == TD_E_NOMEM)
			return rc;
		if (rc == TD_OK) {
			xe.line = ev.line;
			xe.line_end = ev.line_end;
			xe.offset = ev.offset;
			if (desc.len)
				xe.message = desc;
			for (size_t i = 0; i < nhdr; i++)
				if (td_xfields_add(&x->fields, hdr[i].name, hdr[i].value))
					return TD_E_NOMEM;
			xe.fields = x->fields.items;
			xe.nfields = x->fields.n;
			x->record++;
			if (!xe.record)
				xe.record = x->record;
			return td_emit(ctx, &xe);
		}
		td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ln,
			      "eventtext: the Event Xml part cannot be read; using the header");
	}
	x->fields.n = 0;
	for (size_t i = 0; i < nhdr; i++)
		if (td_xfields_add(&x->fields, hdr[i].name, hdr[i].value))
			return TD_E_NOMEM;
	if (date.len && !td_time_parse_loose(date, &ev.time))
		td_parse_diag(ctx, TD_DIAG_NOTE, ev.offset, line,
			      "eventtext: date '%.*s' not understood", td_str_pfmt(td_str_slice(date, 0, 60)));
	ev.message = desc.len ? desc : td_str_make("", 0);
	ev.fields = x->fields.items;
	ev.nfields = x->fields.n;
	ev.record = ++x->record;
	return td_emit(ctx, &ev);
}

/* One Format-List record. */
static int format_list(struct et_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		       struct td_str rec, uint64_t line)
{
	struct td_export *x = &st->x;
	td_arena_reset(&x->arena);
	x->fields.n = 0;
	struct td_event ev = { .line = line, .offset = c->pos + (size_t)(rec.p - c->p) };
	/* The wrap width: the longest line of the record. */
	size_t width = 0;
	struct td_str rest = rec, l;
	bool term;
	while (td_next_line(&rest, &l, &term))
		if (l.len > width)
			width = l.len;
	rest = rec;
	struct td_str name = { NULL, 0 }, value = { NULL, 0 };
	size_t prev_len = 0, indent = 0;
	for (;;) {
		bool more = td_next_line(&rest, &l, &term);
		struct td_str n2, v2;
		bool starts = more && l.len && l.p[0] != ' ' && list_line(l, &n2, &v2);
		if ((!more || starts) && name.p) {
			value = td_str_trim(value);
			if (td_str_eq_cstr(name, "Message"))
				ev.message = value;
			else if (td_str_eq_cstr(name, "ProviderName") || td_str_eq_cstr(name, "Source"))
				ev.provider = value;
			else if (td_str_eq_cstr(name, "MachineName"))
				ev.host = value;
			else if (td_str_eq_cstr(name, "LogName"))
				ev.channel = value;
			else if (td_str_eq_cstr(name, "LevelDisplayName") ||
				 td_str_eq_cstr(name, "EntryType"))
				ev.level = td_export_level_name(value);
			else if (td_str_eq_cstr(name, "TimeCreated") ||
				 td_str_eq_cstr(name, "TimeGenerated"))
				td_time_parse_loose(value, &ev.time);
			else if (td_str_eq_cstr(name, "Id") || td_str_eq_cstr(name, "EventID")) {
				uint64_t id;
				if (value.len && td_str_parse_udec(value, 10, &id) == value.len) {
					ev.has_event_id = true;
					ev.event_id = (uint32_t)(id & 0xffff);
				}
			} else if (td_str_eq_cstr(name, "RecordId") || td_str_eq_cstr(name, "Index")) {
				td_str_parse_udec(value, 20, &ev.record);
			}
			if (td_xfields_add(&x->fields, name, value))
				return TD_E_NOMEM;
			name.p = NULL;
		}
		if (!more)
			break;
		if (starts) {
			name = n2;
			value = v2;
			indent = (size_t)(v2.p - l.p);
		} else if (name.p) {
			/* Continuation: glued when the line before filled the width
			 * (a wrapped word keeps its own spaces); the value column's
			 * indent is not part of the value. */
			size_t sp = 0;
			while (sp < l.len && sp < indent && l.p[sp] == ' ')
				sp++;
			bool glue = prev_len == width;
			struct td_str cont = td_str_slice(l, sp, l.len);
			while (cont.len && (cont.p[cont.len - 1] == '\r' || cont.p[cont.len - 1] == ' '))
				cont.len--;
			value = joined(&x->arena, value, glue ? cont : td_str_trim(cont), glue);
		}
		prev_len = l.len;
	}
	ev.line_end = line + td_count_newlines(rec);
	ev.fields = x->fields.items;
	ev.nfields = x->fields.n;
	x->record++;
	if (!ev.record)
		ev.record = x->record;
	return td_emit(ctx, &ev);
}

/* Records: copy-as-text blocks start at "Log Name:"; Format-List records
 * end at a blank line. */
static int et_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct et_state *st = state;
	struct td_str rest = td_str_make(c->p, c->len), l, v;
	bool term, finish = c->eof || c->force;
	uint64_t line = c->line, rec_line = 0;
	const char *rec = NULL;
	bool copy = false;
	*consumed = 0;
	for (;;) {
		const char *at = rest.p;
		bool more = td_next_line(&rest, &l, &term);
		if (more && !term && !finish)
			more = false, rest.p = at; /* an unfinished line: wait */
		bool start_copy = more && header_key(l, "Log Name:", &v);
		bool blank = more && !td_str_trim(l).len;
		bool ends = !more || start_copy || (blank && rec && !copy);
		if (rec && ends && (more || finish)) {
			struct td_str r = td_str_make(rec, (size_t)(at - rec));
			int rc = copy ? copy_as_text(st, ctx, c, r, rec_line)
				      : format_list(st, ctx, c, r, rec_line);
			if (rc)
				return rc;
			rec = NULL;
			*consumed = (size_t)(at - c->p);
		}
		if (!more)
			break;
		if (!rec && !blank) {
			struct td_str n2, v2;
			if (start_copy || list_line(l, &n2, &v2)) {
				rec = at;
				rec_line = line;
				copy = start_copy;
			} else if (td_emit_line(ctx, c, l, line, &st->x.record)) {
				return TD_E_STOP;
			}
		}
		if (!rec)
			*consumed = (size_t)(rest.p - c->p);
		line++;
	}
	return TD_OK;
}

const struct td_text_parser td_parser_eventtext = {
	.format = TD_FMT_EVENTTEXT,
	.name = "eventtext",
	.probe = et_probe,
	.state_size = sizeof(struct et_state),
	.init = et_init,
	.feed = et_feed,
	.release = et_release,
};
