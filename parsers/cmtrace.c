/* ConfigMgr CMTrace logs: <![LOG[message]LOG]!><time="..." date="..."
 * component="..." context="..." type="n" thread="n" file="...">
 *
 * Records are found by their markers, never line by line: messages span
 * lines and carry quotes, '<' and whole XML bodies (kb/LOG_FORMATS.md a.1).
 * Text between records (a ROLLOVER marker, garbage) is kept: each non-blank
 * line of it becomes an event of its own.  Attribute names are matched
 * ignoring case (Intune writes TIME="..."), in any order.
 */
#include <string.h>

#include "arena.h"
#include "cmtime.h"
#include "lines.h"
#include "parser.h"

#define OPEN_MARK "<![LOG["
#define CLOSE_MARK "]LOG]!>"
#define MARK_LEN 7
/* Longest attribute block we accept before calling it malformed. */
#define MAX_ATTRS 4096

struct cm_state {
	uint64_t record;
	/* Line bookkeeping: `line` is the line number at chunk offset `at`. */
	size_t at;
	uint64_t line;
	struct td_arena arena;
	struct td_field fields[8];
	struct td_cm_date_cache dates;
};

static int cm_probe(struct td_str head)
{
	ptrdiff_t at = td_str_find(head, TD_STR_LIT(OPEN_MARK));
	if (at < 0)
		return 0;
	/* The marker followed by a closing mark and a time attribute. */
	struct td_str rest = td_str_slice(head, (size_t)at, head.len);
	return td_str_ifind(rest, TD_STR_LIT(CLOSE_MARK "<time=")) >= 0 ? 95 : 60;
}

static int cm_init(void *state, struct td_parse_ctx *ctx)
{
	struct cm_state *st = state;
	td_arena_init(&st->arena, (size_t)1 << 20);
	return TD_OK;
}

static void cm_release(void *state)
{
	struct cm_state *st = state;
	td_arena_release(&st->arena);
}

/* Line number of chunk offset off (off never goes backwards). */
static uint64_t line_of(struct cm_state *st, const struct td_chunk *c, size_t off)
{
	if (off > st->at) {
		st->line += td_count_newlines(td_str_make(c->p + st->at, off - st->at));
		st->at = off;
	}
	return st->line;
}

/* The markers are found through their rare first byte with memchr, which
 * beats a general substring search on log text. */
static const char *find(const char *p, const char *end, const char *needle, size_t n)
{
	while (p < end) {
		const char *q = memchr(p, needle[0], (size_t)(end - p));
		if (!q || (size_t)(end - q) < n)
			return NULL;
		if (memcmp(q + 1, needle + 1, n - 1) == 0)
			return q;
		p = q + 1;
	}
	return NULL;
}

enum { A_TIME, A_DATE, A_COMPONENT, A_CONTEXT, A_TYPE, A_THREAD, A_FILE, A_COUNT };

struct attrs {
	struct td_str v[A_COUNT];
	bool ok;
};

/* lit is lower case; writers use lower case (ConfigMgr) or upper case
 * (Intune), so the exact comparison usually decides. */
static bool name_is(struct td_str n, const char *lit, size_t len)
{
	return n.len == len &&
	       (memcmp(n.p, lit, len) == 0 || td_str_ieq(n, td_str_make(lit, len)));
}

#define NAME_IS(n, lit) name_is((n), lit, sizeof(lit) - 1)

/* The field of a for attribute name n (any case), or NULL. */
static struct td_str *attr_slot(struct attrs *a, struct td_str n)
{
	switch (n.len) {
	case 4:
		switch (td_ascii_lower((unsigned char)n.p[0])) {
		case 't':
			if (NAME_IS(n, "time"))
				return &a->v[A_TIME];
			return NAME_IS(n, "type") ? &a->v[A_TYPE] : NULL;
		case 'd': return NAME_IS(n, "date") ? &a->v[A_DATE] : NULL;
		case 'f': return NAME_IS(n, "file") ? &a->v[A_FILE] : NULL;
		}
		return NULL;
	case 6: return NAME_IS(n, "thread") ? &a->v[A_THREAD] : NULL;
	case 7: return NAME_IS(n, "context") ? &a->v[A_CONTEXT] : NULL;
	case 9: return NAME_IS(n, "component") ? &a->v[A_COMPONENT] : NULL;
	}
	return NULL;
}

/* Takes `prefix` and a quoted value up to '"' at *p; false when the text
 * there differs. */
static bool canonical_attr(const char **p, const char *end, const char *prefix, size_t n,
			   struct td_str *out)
{
	const char *q = *p;
	if ((size_t)(end - q) < n || memcmp(q, prefix, n) != 0)
		return false;
	q += n;
	const char *v = q;
	while (q < end && *q != '"')
		q++;
	if (q >= end)
		return false;
	*out = td_str_make(v, (size_t)(q - v));
	*p = q + 1;
	return true;
}

#define CANON(p, end, lit, out) canonical_attr(p, end, lit, sizeof(lit) - 1, out)

/* Fast path for the layout every ConfigMgr component writes, in this
 * order; returns the end of the block (just past '>') or NULL to let the
 * general parser decide. */
static const char *parse_canonical(const char *p, const char *end, struct attrs *a)
{
	if (p >= end || *p != '<')
		return NULL;
	p++;
	if (!CANON(&p, end, "time=\"", &a->v[A_TIME]) ||
	    !CANON(&p, end, " date=\"", &a->v[A_DATE]) ||
	    !CANON(&p, end, " component=\"", &a->v[A_COMPONENT]) ||
	    !CANON(&p, end, " context=\"", &a->v[A_CONTEXT]) ||
	    !CANON(&p, end, " type=\"", &a->v[A_TYPE]) ||
	    !CANON(&p, end, " thread=\"", &a->v[A_THREAD]) ||
	    !CANON(&p, end, " file=\"", &a->v[A_FILE]))
		return NULL;
	if (p >= end || *p != '>')
		return NULL;
	a->ok = true;
	return p + 1;
}

/* Parses name="value" pairs from p up to the closing '>'; returns the end
 * (just past '>') or NULL when the block does not end before `end` (or the
 * next record starts first, reported through *broken). */
static const char *parse_attrs(const char *p, const char *end, struct attrs *a, bool *broken)
{
	memset(a, 0, sizeof(*a));
	*broken = false;
	const char *fast = parse_canonical(p, end, a);
	if (fast)
		return fast;
	memset(a, 0, sizeof(*a));
	if (p >= end)
		return NULL;
	if (*p != '<') {
		*broken = true;
		return p;
	}
	p++;
	const char *limit = end - p > MAX_ATTRS ? p + MAX_ATTRS : end;
	for (;;) {
		while (p < limit && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		if (p >= limit)
			break;
		if (*p == '>') {
			a->ok = true;
			return p + 1;
		}
		const char *name = p;
		while (p < limit && *p != '=' && *p != '>' && *p != '<' && *p != ' ')
			p++;
		if (p >= limit)
			break;
		if (*p != '=' || p + 1 >= limit || p[1] != '"') {
			*broken = true;
			return p;
		}
		struct td_str n = td_str_make(name, (size_t)(p - name));
		p += 2;
		const char *v = p;
		const char *q = p;
		while (q < limit && *q != '"')
			q++;
		if (q >= limit)
			break;
		struct td_str val = td_str_make(v, (size_t)(q - v));
		p = q + 1;
		struct td_str *slot = attr_slot(a, n);
		if (slot)
			*slot = val;
	}
	if (limit < end)
		*broken = true; /* longer than any real attribute block */
	return *broken ? limit : NULL;
}

static enum td_level level_of(struct td_str type)
{
	if (type.len != 1)
		return TD_LEVEL_NONE;
	switch (type.p[0]) {
	case '0':
	case '1': return TD_LEVEL_INFO;
	case '2': return TD_LEVEL_WARNING;
	case '3': return TD_LEVEL_ERROR;
	}
	return TD_LEVEL_NONE;
}

static size_t add_field(struct cm_state *st, size_t n, const char *name, struct td_str v)
{
	if (v.len) {
		st->fields[n].name = td_str_cstr(name);
		st->fields[n].value = v;
		n++;
	}
	return n;
}

/* Fills ev from the attribute block; reports what it cannot use. */
static void apply_attrs(struct cm_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
			struct td_event *ev, const struct attrs *a)
{
	ev->provider = a->v[A_COMPONENT];
	ev->level = level_of(a->v[A_TYPE]);
	size_t n = 0;
	n = add_field(st, n, "thread", a->v[A_THREAD]);
	n = add_field(st, n, "context", a->v[A_CONTEXT]);
	n = add_field(st, n, "file", a->v[A_FILE]);
	n = add_field(st, n, "type", a->v[A_TYPE]);
	ev->fields = st->fields;
	ev->nfields = n;
	if (!a->v[A_TIME].len && !a->v[A_DATE].len) {
		td_parse_diag(ctx, TD_DIAG_WARNING, ev->offset, ev->line,
			      "cmtrace: record has no time and date attributes");
		return;
	}
	if (!td_cm_parse_time(a->v[A_TIME], a->v[A_DATE], &st->dates, &ev->time)) {
		td_parse_diag(ctx, TD_DIAG_WARNING, ev->offset, ev->line,
			      "cmtrace: unreadable time '%.*s' date '%.*s'",
			      td_str_pfmt(td_str_slice(a->v[A_TIME], 0, 40)),
			      td_str_pfmt(td_str_slice(a->v[A_DATE], 0, 20)));
		ev->time = (struct td_time){ 0 };
		return;
	}
	/* The original text, "date time", for the evidence. */
	char *text = td_arena_alloc(&st->arena, a->v[A_DATE].len + a->v[A_TIME].len + 2);
	if (text) {
		memcpy(text, a->v[A_DATE].p, a->v[A_DATE].len);
		text[a->v[A_DATE].len] = ' ';
		memcpy(text + a->v[A_DATE].len + 1, a->v[A_TIME].p, a->v[A_TIME].len);
		ev->time.text = td_str_make(text, a->v[A_DATE].len + 1 + a->v[A_TIME].len);
	}
}

static int emit_record(struct cm_state *st, struct td_parse_ctx *ctx, const struct td_event *tmpl)
{
	struct td_event ev = *tmpl;
	ev.record = ++st->record;
	if (ev.message.len > TD_MAX_MESSAGE) {
		td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ev.line,
			      "cmtrace: message of %zu bytes cut to %zu", ev.message.len,
			      TD_MAX_MESSAGE);
		ev.message.len = TD_MAX_MESSAGE;
	}
	int rc = td_emit(ctx, &ev);
	td_arena_reset(&st->arena);
	return rc;
}

/* Emits each non-blank line of c->p[from, to) as an event.  A line that
 * holds the end of a record whose start was lost ("...]LOG]!><time=...>")
 * keeps its attributes. */
static int emit_junk(struct cm_state *st, const struct td_chunk *c, struct td_parse_ctx *ctx,
		     size_t from, size_t to)
{
	struct td_str rest = td_str_make(c->p + from, to - from), line;
	bool term;
	while (td_next_line(&rest, &line, &term)) {
		struct td_str t = td_str_trim(line);
		if (!t.len)
			continue;
		size_t off = (size_t)(line.p - c->p);
		uint64_t ln = line_of(st, c, off);
		struct td_event ev = { .line = ln, .line_end = ln, .offset = c->pos + off,
				       .message = t };
		ptrdiff_t close = td_str_find(t, TD_STR_LIT(CLOSE_MARK "<"));
		struct attrs a;
		bool broken;
		if (close >= 0 &&
		    parse_attrs(t.p + close + MARK_LEN, t.p + t.len, &a, &broken) && !broken) {
			ev.message = td_str_make(t.p, (size_t)close);
			td_parse_diag(ctx, TD_DIAG_NOTE, ev.offset, ln,
				      "cmtrace: record without its start marker");
			apply_attrs(st, ctx, c, &ev, &a);
		}
		if (emit_record(st, ctx, &ev))
			return TD_E_STOP;
	}
	return TD_OK;
}

static int cm_feed_records(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
			   size_t *consumed)
{
	struct cm_state *st = state;
	const char *base = c->p, *end = c->p + c->len;
	bool final = c->eof || c->force;
	size_t pos = 0;
	st->at = 0;
	st->line = c->line;
	*consumed = 0;
	/* The first end marker at or after close_from (NULL: none before the
	 * end of the window), reused by the records that start before it: a
	 * window of records without end markers is searched once, not once
	 * per record. */
	const char *close_from = NULL, *close_at = NULL;
	while (pos < c->len) {
		/* Records usually follow each other directly. */
		const char *open = c->len - pos >= MARK_LEN && memcmp(base + pos, OPEN_MARK, MARK_LEN) == 0
					   ? base + pos
					   : find(base + pos, end, OPEN_MARK, MARK_LEN);
		if (!open) {
			/* Only junk left: keep a tail that could be the start of a marker. */
			size_t to = c->len;
			if (!final) {
				const char *nl = memrchr(base + pos, '\n', c->len - pos);
				to = nl ? (size_t)(nl + 1 - base) : pos;
			}
			if (emit_junk(st, c, ctx, pos, to))
				return TD_E_STOP;
			*consumed = to;
			return TD_OK;
		}
		size_t start = (size_t)(open - base);
		if (start > pos && emit_junk(st, c, ctx, pos, start))
			return TD_E_STOP;
		pos = start;
		*consumed = pos;
		const char *msg = open + MARK_LEN;
		if (!close_from || msg < close_from || (close_at && msg > close_at)) {
			close_from = msg;
			close_at = find(msg, end, CLOSE_MARK, MARK_LEN);
		}
		const char *close = close_at;
		const char *next = find(msg, close ? close : end, OPEN_MARK, MARK_LEN);
		struct td_event ev = { .line = line_of(st, c, start), .offset = c->pos + start };
		if (next) {
			/* Another record starts before this one is closed. */
			ev.message = td_str_make(msg, (size_t)(next - msg));
			ev.line_end = line_of(st, c, (size_t)(next - base));
			td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ev.line,
				      "cmtrace: record has no end marker; kept as text");
			if (emit_record(st, ctx, &ev))
				return TD_E_STOP;
			pos = (size_t)(next - base);
			*consumed = pos;
			continue;
		}
		if (!close) {
			if (!final)
				return TD_OK;
			ev.message = td_str_make(msg, (size_t)(end - msg));
			ev.line_end = line_of(st, c, c->len);
			td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ev.line,
				      "cmtrace: truncated record (no end marker)");
			if (emit_record(st, ctx, &ev))
				return TD_E_STOP;
			*consumed = c->len;
			return TD_OK;
		}
		ev.message = td_str_make(msg, (size_t)(close - msg));
		struct attrs a;
		bool broken;
		const char *after = parse_attrs(close + MARK_LEN, end, &a, &broken);
		if (!after) {
			if (!final)
				return TD_OK;
			after = end;
			broken = true;
		}
		ev.line_end = line_of(st, c, (size_t)(close - base));
		if (broken) {
			td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ev.line,
				      "cmtrace: malformed attribute block; message kept");
			/* Resume at the end of the line holding the block, or
			 * at the next record if it starts on that line. */
			const char *nxt = find(after, end, OPEN_MARK, MARK_LEN);
			const char *stop = nxt ? nxt : end;
			const char *nl = memchr(after, '\n', (size_t)(stop - after));
			after = nl ? nl + 1 : stop;
		} else {
			apply_attrs(st, ctx, c, &ev, &a);
			if (after < end && *after == '\r')
				after++;
			if (after < end && *after == '\n')
				after++;
		}
		if (emit_record(st, ctx, &ev))
			return TD_E_STOP;
		pos = (size_t)(after - base);
		*consumed = pos;
	}
	return TD_OK;
}

static int cm_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct cm_state *st = state;
	int rc = cm_feed_records(state, c, ctx, consumed);
	if (rc == TD_OK && st->at <= *consumed)
		ctx->next_line = line_of(st, c, *consumed);
	return rc;
}

const struct td_text_parser td_parser_cmtrace = {
	.format = TD_FMT_CMTRACE,
	.name = "cmtrace",
	.probe = cm_probe,
	.state_size = sizeof(struct cm_state),
	.init = cm_init,
	.feed = cm_feed,
	.release = cm_release,
};
