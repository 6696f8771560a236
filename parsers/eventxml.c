/* Exported events as XML: wevtutil qe /f:xml (events back to back, no
 * root), Event Viewer "Save as XML" (<Events> root, RenderingInfo with the
 * message), the XML copied from Event Viewer's details view ("- " collapse
 * markers, not well-formed) and python-evtx dumps.  Each <Event> element is
 * one record, parsed with libxml2's reader or, when it is not well-formed,
 * tolerantly (xevent_xml.c). */
#include <string.h>

#include "eventexport.h"
#include "lines.h"
#include "parser.h"

struct ex_state {
	struct td_export x;
	bool noted_tolerant;
};

/* Offset of the next "<Event" start tag (not <Events>, <EventData>, ...). */
static size_t next_event(struct td_str s, size_t from)
{
	while (from < s.len) {
		ptrdiff_t at = td_str_find(td_str_slice(s, from, s.len), TD_STR_LIT("<Event"));
		if (at < 0)
			return s.len;
		size_t i = from + (size_t)at + 6;
		if (i >= s.len)
			return from + (size_t)at; /* cut: let the caller wait for more */
		char c = s.p[i];
		if (c == ' ' || c == '>' || c == '\t' || c == '\r' || c == '\n' || c == '/')
			return from + (size_t)at;
		from = i;
	}
	return s.len;
}

static int ex_probe(struct td_str head)
{
	size_t at = next_event(head, 0);
	if (at >= head.len)
		return 0;
	struct td_str rest = td_str_slice(head, at, head.len);
	if (td_str_find(rest, TD_STR_LIT("<System")) >= 0 ||
	    td_str_find(rest, TD_STR_LIT("schemas.microsoft.com/win/2004/08/events/event")) >= 0)
		return 92;
	return 40;
}

static int ex_init(void *state, struct td_parse_ctx *ctx)
{
	struct ex_state *st = state;
	td_export_init(&st->x);
	return TD_OK;
}

static void ex_release(void *state)
{
	struct ex_state *st = state;
	td_export_release(&st->x);
}

/* Text outside events that is not XML wrapping ("<Events>", "<?xml ...?>",
 * collapse markers) is kept as plain lines. */
static int outside(struct td_parse_ctx *ctx, const struct td_chunk *c, struct td_str s,
		   uint64_t line, struct ex_state *st)
{
	struct td_str rest = s, l;
	bool term;
	while (td_next_line(&rest, &l, &term)) {
		struct td_str t = td_str_trim(l);
		if (t.len && t.p[0] != '<' && !td_str_eq_cstr(t, "-") && !td_str_eq_cstr(t, "+") &&
		    td_emit_line(ctx, c, l, line, &st->x.record))
			return TD_E_STOP;
		line++;
	}
	return TD_OK;
}

static int one_event(struct ex_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		     size_t start, size_t end, uint64_t line)
{
	struct td_str span = td_str_make(c->p + start, end - start);
	struct td_event ev = { 0 };
	bool tolerant = false;
	td_arena_reset(&st->x.arena);
	int rc = td_export_xml_event(&st->x, span, &ev, &tolerant);
	if (rc == TD_E_NOMEM)
		return rc;
	ev.line = line;
	ev.line_end = line + td_count_newlines(span);
	ev.offset = c->pos + start;
	if (rc == TD_E_FORMAT || rc == TD_E_LIMIT) {
		if (rc == TD_E_LIMIT)
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + start, line,
				      "eventxml: event nested deeper than %d elements; kept as text",
				      TD_XML_MAX_DEPTH);
		else
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + start, line,
				      "eventxml: event without a System part; kept as text");
		memset(&ev, 0, sizeof(ev));
		ev.line = line;
		ev.line_end = line + td_count_newlines(span);
		ev.offset = c->pos + start;
		ev.message = td_str_trim(span);
		if (ev.message.len > TD_MAX_MESSAGE)
			ev.message.len = TD_MAX_MESSAGE;
	} else if (tolerant && !st->noted_tolerant) {
		st->noted_tolerant = true;
		td_parse_diag(ctx, TD_DIAG_NOTE, c->pos + start, line,
			      "eventxml: the event XML is not well-formed (a copy from Event "
			      "Viewer?); read tolerantly");
	}
	st->x.record++;
	if (!ev.record)
		ev.record = st->x.record;
	return td_emit(ctx, &ev);
}

static int ex_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct ex_state *st = state;
	struct td_str s = td_str_make(c->p, c->len);
	size_t pos = 0;
	uint64_t line = c->line;
	*consumed = 0;
	bool finish = c->eof || c->force;
	for (;;) {
		size_t start = next_event(s, pos);
		if (start >= s.len || (start + 6 >= s.len && !finish)) {
			/* Keep a possible "<Even" cut at the end for the next window. */
			size_t keep = finish ? s.len : (start < s.len ? start : (s.len > 6 ? s.len - 6 : 0));
			if (keep < pos)
				keep = pos;
			struct td_str tail = td_str_slice(s, pos, keep);
			/* Only whole lines outside events are emitted. */
			ptrdiff_t nl = -1;
			for (size_t k = tail.len; k-- > 0;)
				if (tail.p[k] == '\n') {
					nl = (ptrdiff_t)k;
					break;
				}
			if (!finish)
				tail.len = nl < 0 ? 0 : (size_t)nl + 1;
			if (outside(ctx, c, tail, line, st))
				return TD_E_STOP;
			*consumed = pos + tail.len;
			return TD_OK;
		}
		struct td_str gap = td_str_slice(s, pos, start);
		if (outside(ctx, c, gap, line, st))
			return TD_E_STOP;
		line += td_count_newlines(gap);
		ptrdiff_t close = td_str_find(td_str_slice(s, start, s.len), TD_STR_LIT("</Event>"));
		size_t end;
		if (close >= 0) {
			end = start + (size_t)close + 8;
		} else if (finish) {
			end = s.len;
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + start, line,
				      "eventxml: the last event has no </Event> (cut short?); read as far "
				      "as it goes");
		} else {
			*consumed = start;
			return TD_OK;
		}
		int rc = one_event(st, ctx, c, start, end, line);
		if (rc)
			return rc;
		line += td_count_newlines(td_str_slice(s, start, end));
		pos = end;
		*consumed = pos;
	}
}

const struct td_text_parser td_parser_eventxml = {
	.format = TD_FMT_EVENTXML,
	.name = "eventxml",
	.probe = ex_probe,
	.state_size = sizeof(struct ex_state),
	.init = ex_init,
	.feed = ex_feed,
	.release = ex_release,
};
