/* ConfigMgr legacy "SMS trace" logs (site server components):
 *
 *     message[~~]  $$<component><MM-DD-YYYY hh:mm:ss.mmm+bias><thread=N (0xN)>
 *
 * The message comes before its metadata.  Lines without "$$<" belong to the
 * next line that has it (multi-line messages), so the message of a record is
 * the text from its first pending line up to the separator, kept as written
 * (including the "~" that old components use for embedded line breaks).
 * A line that starts with "$$<" (a wrapped KB excerpt) closes the pending
 * lines the same way.  At the end of the input, pending lines with no
 * metadata are plain text events.  A bare ROLLOVER marker line carries no
 * information and is skipped.  The format has no severity: level is none.
 */
#include <string.h>

#include "cmtime.h"
#include "lines.h"
#include "parser.h"

struct sms_state {
	uint64_t record;
	struct td_field fields[3];
};

/* Position of the "$$<" that starts a metadata block in line, or -1.  The
 * block sits at the end of the line, so the search runs backwards. */
static ptrdiff_t meta_at(struct td_str line)
{
	const char *p = line.p, *end = line.p + line.len, *eol = end;
	/* No "><thread=" starts at or after lim: a "$$<" further left searches
	 * only up to there, so a line full of "$$<" is searched once, not once
	 * per "$$<". */
	const char *lim = eol;
	while (end - p >= 3) {
		const char *d = memrchr(p, '$', (size_t)(end - p));
		if (!d)
			return -1;
		if (d > p && d[-1] == '$' && d + 1 < eol && d[1] == '<') {
			const char *to = eol - lim > 8 ? lim + 8 : eol;
			struct td_str rest = td_str_make(d - 1, (size_t)(to - (d - 1)));
			if (td_str_find(rest, TD_STR_LIT("><thread=")) >= 0)
				return (ptrdiff_t)(d - 1 - line.p);
			lim = d - 1;
		}
		end = d;
	}
	return -1;
}

static int sms_probe(struct td_str head)
{
	struct td_str rest = head, line;
	bool term;
	int hits = 0, lines = 0;
	while (lines < 200 && td_next_line(&rest, &line, &term)) {
		lines++;
		if (meta_at(line) >= 0)
			hits++;
	}
	if (hits == 0)
		return 0;
	return hits >= 2 || hits * 2 >= lines ? 90 : 70;
}

static int sms_init(void *state, struct td_parse_ctx *ctx)
{
	return TD_OK;
}

struct meta {
	struct td_str component, stamp, thread, thread_hex;
};

/* Parses "$$<component><stamp><thread=N (0xH)>" at the start of s. */
static bool parse_meta(struct td_str s, struct meta *m)
{
	memset(m, 0, sizeof(*m));
	if (!td_str_starts_with(s, "$$<"))
		return false;
	s = td_str_slice(s, 3, s.len);
	ptrdiff_t gt = td_str_find_char(s, '>');
	if (gt < 0 || (size_t)gt + 1 >= s.len || s.p[gt + 1] != '<')
		return false;
	m->component = td_str_make(s.p, (size_t)gt);
	s = td_str_slice(s, (size_t)gt + 2, s.len);
	gt = td_str_find_char(s, '>');
	if (gt < 0)
		return false;
	m->stamp = td_str_make(s.p, (size_t)gt);
	s = td_str_slice(s, (size_t)gt + 1, s.len);
	if (!td_str_starts_with(s, "<thread="))
		return false;
	s = td_str_slice(s, 8, s.len);
	size_t i = 0;
	while (i < s.len && td_is_digit((unsigned char)s.p[i]))
		i++;
	m->thread = td_str_make(s.p, i);
	struct td_str rest = td_str_slice(s, i, s.len);
	if (td_str_starts_with(rest, " (0x")) {
		struct td_str hex = td_str_slice(rest, 4, rest.len);
		size_t k = 0;
		while (k < hex.len && td_is_xdigit((unsigned char)hex.p[k]))
			k++;
		m->thread_hex = td_str_make(hex.p, k);
	}
	return true;
}

/* The message in front of the separator: trailing spaces and "~" dropped. */
static struct td_str message_before(const char *from, const char *meta)
{
	const char *e = meta;
	while (e > from && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '~' || e[-1] == '\r' ||
			      e[-1] == '\n'))
		e--;
	return td_str_make(from, (size_t)(e - from));
}

static int sms_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		    size_t *consumed)
{
	struct sms_state *st = state;
	struct td_str rest = td_str_make(c->p, c->len), line;
	bool term;
	uint64_t lineno = c->line;
	/* First line of the pending message, if any. */
	const char *pending = NULL;
	uint64_t pending_line = 0;
	size_t pending_lines = 0;
	*consumed = 0;
	while (td_next_line(&rest, &line, &term)) {
		if (!term && !c->eof && !c->force)
			break;
		ptrdiff_t at = meta_at(line);
		if (at < 0) {
			if (td_str_eq_cstr(td_str_trim(line), "ROLLOVER") && !pending) {
				*consumed = c->len - rest.len;
			} else if (td_str_trim(line).len || pending) {
				if (!pending) {
					pending = line.p;
					pending_line = lineno;
					pending_lines = 0;
				}
				pending_lines++;
			} else {
				*consumed = c->len - rest.len; /* blank line between records */
			}
			lineno++;
			continue;
		}
		const char *from = pending ? pending : line.p;
		struct td_event ev = {
			.line = pending ? pending_line : lineno,
			.line_end = lineno,
			.record = ++st->record,
			.offset = c->pos + (size_t)(from - c->p),
			.message = message_before(from, line.p + at),
		};
		struct meta m;
		if (parse_meta(td_str_slice(line, (size_t)at, line.len), &m)) {
			ev.provider = m.component;
			size_t n = 0;
			if (m.thread.len)
				st->fields[n++] = (struct td_field){ TD_STR_LIT("thread"), m.thread };
			if (m.thread_hex.len)
				st->fields[n++] = (struct td_field){ TD_STR_LIT("thread_hex"), m.thread_hex };
			ev.fields = st->fields;
			ev.nfields = n;
			if (!td_cm_parse_stamp(m.stamp, &ev.time)) {
				td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, lineno,
					      "smstrace: unreadable time stamp '%.*s'",
					      td_str_pfmt(td_str_slice(m.stamp, 0, 60)));
				ev.time = (struct td_time){ 0 };
			}
		} else {
			td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, lineno,
				      "smstrace: malformed metadata block; message kept");
		}
		if (ev.message.len > TD_MAX_MESSAGE) {
			td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ev.line,
				      "smstrace: message of %zu bytes cut to %zu", ev.message.len,
				      TD_MAX_MESSAGE);
			ev.message.len = TD_MAX_MESSAGE;
		}
		if (td_emit(ctx, &ev))
			return TD_E_STOP;
		pending = NULL;
		*consumed = c->len - rest.len;
		lineno++;
	}
	if (pending && (c->eof || c->force)) {
		/* Text that no metadata line claimed: plain events, one per line. */
		struct td_str left = td_str_make(pending, (size_t)(c->p + c->len - pending));
		uint64_t ln = pending_line;
		while (td_next_line(&left, &line, &term)) {
			bool marker = td_str_eq_cstr(td_str_trim(line), "ROLLOVER");
			if (!marker && td_emit_line(ctx, c, line, ln, &st->record))
				return TD_E_STOP;
			ln++;
		}
		*consumed = c->len;
	}
	return TD_OK;
}

const struct td_text_parser td_parser_smstrace = {
	.format = TD_FMT_SMSTRACE,
	.name = "smstrace",
	.probe = sms_probe,
	.state_size = sizeof(struct sms_state),
	.init = sms_init,
	.feed = sms_feed,
};
