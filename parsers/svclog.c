/* WCF traces (.svclog, XmlWriterTraceListener): E2ETraceEvent records back
 * to back with no root element and often no line breaks; the last one may
 * be cut short by a killed process.  Each record is parsed on its own with
 * libxml2's reader (the tolerant scanner when it is not well-formed), so no
 * document is ever held whole.
 *
 * The event: System/TimeCreated (UTC), SubType (level), Source, Execution
 * (process, ids), Computer, Correlation/@ActivityID; from the TraceRecord
 * its Description and every level of the exception chain (ExceptionType,
 * Message, NativeErrorCode, each InnerException).  The message is the
 * description, then one line per exception "Type: Message" (with "native
 * error 0x..." when there is one), outermost first, so one failing request
 * reads as one chain; ExceptionString is kept as a field.
 */
#include <stdio.h>
#include <string.h>

#include "eventexport.h"
#include "lines.h"
#include "parser.h"

#define MAX_CHAIN 16

struct sv_state {
	struct td_export x;
	bool noted_tolerant;
};

static const char start_tag[] = "<E2ETraceEvent";
static const char end_tag[] = "</E2ETraceEvent>";

static int sv_probe(struct td_str head)
{
	ptrdiff_t at = td_str_find(head, td_str_cstr(start_tag));
	if (at < 0)
		return 0;
	struct td_str lead = td_str_trim(td_str_slice(head, 0, (size_t)at));
	return lead.len == 0 ? 96 : 70;
}

static int sv_init(void *state, struct td_parse_ctx *ctx)
{
	struct sv_state *st = state;
	td_export_init(&st->x);
	return TD_OK;
}

static void sv_release(void *state)
{
	struct sv_state *st = state;
	td_export_release(&st->x);
}

/* Child by local name, through a path of names ("ApplicationData",
 * "TraceData", ...); NULL when any step is missing. */
static const struct td_xnode *path(const struct td_xnode *n, const char *const *names, size_t k)
{
	for (size_t i = 0; i < k && n; i++)
		n = td_x_child(n, names[i]);
	return n;
}

static struct td_str text_of(const struct td_xnode *n, const char *child)
{
	return td_str_trim(td_x_text(td_x_child(n, child)));
}

static enum td_level level_of(struct td_str subtype)
{
	enum td_level l = td_export_level_name(subtype);
	if (l != TD_LEVEL_NONE)
		return l;
	/* Start, Stop, Transfer, Suspend, Resume: activity tracing. */
	return subtype.len ? TD_LEVEL_VERBOSE : TD_LEVEL_NONE;
}

/* "Type: Message" per exception level, outermost first. */
static int chain(struct td_export *x, const struct td_xnode *exc, char *buf, size_t cap,
		 size_t *len)
{
	for (int depth = 0; exc && depth < MAX_CHAIN; depth++) {
		struct td_str type = text_of(exc, "ExceptionType");
		/* "System.X.YException, System.ServiceModel, Version=..." */
		ptrdiff_t comma = td_str_find_char(type, ',');
		if (comma >= 0)
			type = td_str_slice(type, 0, (size_t)comma);
		struct td_str msg = text_of(exc, "Message");
		struct td_str native = text_of(exc, "NativeErrorCode");
		int n = snprintf(buf + *len, cap - *len, "%s%.*s: %.*s", *len ? "\n" : "",
				 td_str_pfmt(type), td_str_pfmt(msg));
		if (n > 0 && (size_t)n < cap - *len)
			*len += (size_t)n;
		if (native.len) {
			n = snprintf(buf + *len, cap - *len, " (native error 0x%.*s)",
				     td_str_pfmt(native));
			if (n > 0 && (size_t)n < cap - *len)
				*len += (size_t)n;
			if (td_xfields_add(&x->fields, TD_STR_LIT("NativeErrorCode"), native))
				return TD_E_NOMEM;
		}
		if (type.len && td_xfields_add(&x->fields, TD_STR_LIT("ExceptionType"), type))
			return TD_E_NOMEM;
		exc = td_x_child(exc, "InnerException");
	}
	return TD_OK;
}

/* The text under n, pieces joined by one space. */
static void all_text(const struct td_xnode *n, char *buf, size_t cap, size_t *len, int depth)
{
	for (const struct td_xnode *k = n ? n->children : NULL; k && depth < 64; k = k->next) {
		if (k->kind == TD_X_ELEMENT) {
			all_text(k, buf, cap, len, depth + 1);
			continue;
		}
		if (k->kind != TD_X_TEXT)
			continue;
		struct td_str t = td_str_trim(k->text);
		if (!t.len || *len + 1 + t.len > cap)
			continue;
		if (*len)
			buf[(*len)++] = ' ';
		memcpy(buf + *len, t.p, t.len);
		*len += t.len;
	}
}

static int one_record(struct sv_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		      size_t start, size_t end, uint64_t line)
{
	struct td_export *x = &st->x;
	struct td_str span = td_str_make(c->p + start, end - start);
	td_arena_reset(&x->arena);
	x->fields.n = 0;
	struct td_xnode *root;
	bool tolerant;
	int rc = td_xevent_parse_xml(span, &x->arena, &root, &tolerant);
	if (rc == TD_E_NOMEM)
		return rc;
	struct td_event ev = { .line = line, .line_end = line + td_count_newlines(span),
			       .offset = c->pos + start };
	const struct td_xnode *rec = rc ? NULL : td_x_child(root, "E2ETraceEvent");
	const struct td_xnode *sys = td_x_child(rec, "System");
	if (!sys) {
		if (rc == TD_E_LIMIT)
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + start, line,
				      "svclog: trace record nested deeper than %d elements; kept as "
				      "text",
				      TD_XML_MAX_DEPTH);
		else
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + start, line,
				      "svclog: trace record without a System part; kept as text");
		ev.message = td_str_trim(span);
		if (ev.message.len > TD_MAX_MESSAGE)
			ev.message.len = TD_MAX_MESSAGE;
		ev.record = ++x->record;
		return td_emit(ctx, &ev);
	}
	if (tolerant && !st->noted_tolerant) {
		st->noted_tolerant = true;
		td_parse_diag(ctx, TD_DIAG_NOTE, c->pos + start, line,
			      "svclog: a trace record is not well-formed (cut short?); read tolerantly");
	}
	struct td_str subtype = td_x_attr(td_x_child(sys, "SubType"), "Name");
	ev.level = level_of(subtype);
	ev.provider = td_x_attr(td_x_child(sys, "Source"), "Name");
	ev.host = text_of(sys, "Computer");
	uint64_t id;
	struct td_str eid = text_of(sys, "EventID");
	if (eid.len && td_str_parse_udec(eid, 10, &id) == eid.len && id <= UINT32_MAX) {
		ev.has_event_id = true;
		ev.event_id = (uint32_t)id;
	}
	const struct td_xnode *tc = td_x_child(sys, "TimeCreated");
	struct td_str when = td_x_attr(tc, "SystemTime");
	if (when.len && td_time_parse_iso8601(td_str_trim(when), &ev.time))
		ev.time.text = when;
	static const char *const sys_attrs[][3] = {
		{ "Execution", "ProcessName", "ProcessName" },
		{ "Execution", "ProcessID", "ProcessID" },
		{ "Execution", "ThreadID", "ThreadID" },
		{ "Correlation", "ActivityID", "ActivityID" },
	};
	rc = td_xfields_add(&x->fields, TD_STR_LIT("SubType"), subtype);
	for (size_t i = 0; i < sizeof(sys_attrs) / sizeof(sys_attrs[0]) && !rc; i++) {
		struct td_str v = td_x_attr(td_x_child(sys, sys_attrs[i][0]), sys_attrs[i][1]);
		if (v.len)
			rc = td_xfields_add(&x->fields, td_str_cstr(sys_attrs[i][2]), v);
	}
	static const char *const to_record[] = { "ApplicationData", "TraceData", "DataItem",
						 "TraceRecord" };
	const struct td_xnode *tr = path(rec, to_record, 4);
	char *buf = td_arena_alloc(&x->arena, TD_MAX_MESSAGE);
	if (!buf)
		return TD_E_NOMEM;
	size_t len = 0;
	if (!rc && tr) {
		struct td_str desc = text_of(tr, "Description");
		struct td_str ident = text_of(tr, "TraceIdentifier");
		struct td_str domain = text_of(tr, "AppDomain");
		if (desc.len) {
			memcpy(buf, desc.p, desc.len < 4096 ? desc.len : 4096);
			len = desc.len < 4096 ? desc.len : 4096;
		}
		if (ident.len)
			rc = td_xfields_add(&x->fields, TD_STR_LIT("TraceIdentifier"), ident);
		if (!rc && domain.len)
			rc = td_xfields_add(&x->fields, TD_STR_LIT("AppDomain"), domain);
		const struct td_xnode *exc = td_x_child(tr, "Exception");
		if (!rc && exc) {
			rc = chain(x, exc, buf, TD_MAX_MESSAGE, &len);
			struct td_str full = text_of(exc, "ExceptionString");
			if (!rc && full.len)
				rc = td_xfields_add(&x->fields, TD_STR_LIT("ExceptionString"), full);
		}
	} else if (!rc) {
		/* MessageLogTraceRecord (a logged SOAP message), or a plain
		 * string: all of its text, so a fault's reason is kept. */
		const struct td_xnode *ad = td_x_child(rec, "ApplicationData");
		static const char *const to_log[] = { "TraceData", "DataItem",
						      "MessageLogTraceRecord" };
		const struct td_xnode *ml = td_x_child(ad, "MessageLogTraceRecord");
		if (!ml)
			ml = path(ad, to_log, 3);
		if (ml) {
			int n = snprintf(buf, TD_MAX_MESSAGE, "Message log (%.*s, %.*s):",
					 td_str_pfmt(td_x_attr(ml, "Source")),
					 td_str_pfmt(td_x_attr(ml, "Type")));
			len = n > 0 ? (size_t)n : 0;
		}
		all_text(ad, buf, TD_MAX_MESSAGE - 1, &len, 0);
	}
	if (rc)
		return rc;
	buf[len] = '\0';
	ev.message = td_str_make(buf, len);
	ev.fields = x->fields.items;
	ev.nfields = x->fields.n;
	ev.record = ++x->record;
	return td_emit(ctx, &ev);
}

static int sv_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct sv_state *st = state;
	struct td_str s = td_str_make(c->p, c->len);
	bool finish = c->eof || c->force;
	size_t pos = 0;
	uint64_t line = c->line;
	*consumed = 0;
	for (;;) {
		ptrdiff_t at = td_str_find(td_str_slice(s, pos, s.len), td_str_cstr(start_tag));
		if (at < 0) {
			/* Text outside records (none in real traces): plain lines. */
			struct td_str tail = td_str_slice(s, pos, s.len), l;
			bool term;
			while (td_next_line(&tail, &l, &term)) {
				if (!term && !finish)
					break;
				if (td_str_trim(l).len && td_emit_line(ctx, c, l, line, &st->x.record))
					return TD_E_STOP;
				line++;
				pos = (size_t)(tail.p - s.p);
			}
			if (finish)
				pos = s.len;
			*consumed = pos;
			return TD_OK;
		}
		size_t start = pos + (size_t)at;
		line += td_count_newlines(td_str_slice(s, pos, start));
		ptrdiff_t close = td_str_find(td_str_slice(s, start, s.len), td_str_cstr(end_tag));
		size_t end;
		if (close >= 0) {
			end = start + (size_t)close + sizeof(end_tag) - 1;
		} else if (finish) {
			end = s.len;
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + start, line,
				      "svclog: the last trace record is cut short; read as far as it goes");
		} else {
			*consumed = start;
			return TD_OK;
		}
		int rc = one_record(st, ctx, c, start, end, line);
		if (rc)
			return rc;
		line += td_count_newlines(td_str_slice(s, start, end));
		pos = end;
		*consumed = pos;
		if (pos >= s.len)
			return TD_OK;
	}
}

const struct td_text_parser td_parser_svclog = {
	.format = TD_FMT_SVCLOG,
	.name = "svclog",
	.probe = sv_probe,
	.state_size = sizeof(struct sv_state),
	.init = sv_init,
	.feed = sv_feed,
	.release = sv_release,
};
