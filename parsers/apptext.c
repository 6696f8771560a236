/* Application text logs (kb/LOG_FORMATS.md c.2 and the general rules):
 * timestamped and delimited lines, .NET exception chains, lines carrying
 * container prefixes or "> " quote marks from pasted tickets.
 *
 * A record starts at a line with a timestamp (ISO 8601, "M/D/YYYY h:mm:ss
 * [AM|PM]" month first, "D.M.YYYY H:mm:ss" day first, "YYYY/MM/DD ...",
 * optionally in brackets) or, in a log without timestamps, at a .NET
 * exception line ("System.Net.WebException: ...", "Unhandled Exception:").
 * Lines that follow a timestamped record without a timestamp of their own,
 * stack frames ("   at ..."), " ---> " inner exceptions and the other
 * exception-dump markers continue the record, so a whole exception chain
 * is one event.  Any other line is an event of its own.
 *
 * Prefixes are removed from every line of a record: docker-compose
 * "name.1.id    | ", Kubernetes/CRI "<RFC3339> stdout F ", and "> ".  The
 * container name becomes the field "container".  The message is the record
 * text after the timestamp, level and logger columns (rebuilt in the arena
 * only when prefixes had to be removed).
 */
#include <string.h>

#include "arena.h"
#include "lines.h"
#include "parser.h"

/* Continuation lines are joined up to this many bytes per record. */
#define MAX_RECORD_LINES 100000

struct line_info {
	struct td_str raw;       /* the line as written */
	struct td_str body;      /* after container and quote prefixes */
	struct td_str container; /* container name, if any */
	bool has_time;
	struct td_time time;
	size_t time_len;         /* bytes of body taken by the timestamp */
	bool exception;          /* starts a .NET exception */
	bool continuation;       /* a stack frame or exception-dump marker */
};

struct at_state {
	uint64_t record;
	struct td_arena arena;
	struct td_field fields[4];
};

/* --- prefixes ----------------------------------------------------------- */

static bool is_name_char(char c)
{
	return td_is_alnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* docker-compose: "name.1.abc    | rest" (the name column is padded). */
static bool compose_prefix(struct td_str s, struct td_str *name, size_t *skip)
{
	size_t i = 0;
	while (i < s.len && i < 96 && is_name_char(s.p[i]))
		i++;
	if (i == 0)
		return false;
	size_t n = i;
	while (i < s.len && s.p[i] == ' ')
		i++;
	if (i >= s.len || s.p[i] != '|' || i == n)
		return false;
	i++;
	if (i < s.len && s.p[i] == ' ')
		i++;
	*name = td_str_make(s.p, n);
	*skip = i;
	return true;
}

/* Kubernetes CRI: "2021-01-01T00:00:00.000000000Z stdout F rest". */
static bool cri_prefix(struct td_str s, size_t *skip)
{
	struct td_time t;
	size_t n = td_time_parse_iso8601(s, &t);
	if (!n || t.zone != TD_ZONE_UTC)
		return false;
	struct td_str r = td_str_slice(s, n, s.len);
	if (!td_str_starts_with(r, " stdout ") && !td_str_starts_with(r, " stderr "))
		return false;
	r = td_str_slice(r, 8, r.len);
	if (r.len < 2 || (r.p[0] != 'F' && r.p[0] != 'P') || r.p[1] != ' ')
		return false;
	*skip = n + 10;
	return true;
}

static struct td_str strip_prefixes(struct td_str s, struct td_str *container)
{
	size_t skip;
	struct td_str name;
	*container = td_str_make(NULL, 0);
	if (cri_prefix(s, &skip)) {
		s = td_str_slice(s, skip, s.len);
	} else if (compose_prefix(s, &name, &skip)) {
		*container = td_str_trim(name);
		s = td_str_slice(s, skip, s.len);
	}
	while (s.len >= 1 && s.p[0] == '>' && (s.len == 1 || s.p[1] == ' ' || s.p[1] == '>'))
		s = td_str_slice(s, s.len >= 2 && s.p[1] == ' ' ? 2 : 1, s.len);
	return s;
}

/* --- timestamps ---------------------------------------------------------- */

/* A timestamp at the start of s (optionally in brackets); returns the bytes
 * it takes, brackets included. */
static size_t leading_time(struct td_str s, struct td_time *t)
{
	bool bracket = s.len && s.p[0] == '[';
	struct td_str in = bracket ? td_str_slice(s, 1, s.len) : s;
	if (!in.len || !td_is_digit((unsigned char)in.p[0]))
		return 0;
	size_t n = td_time_parse_loose(in, t);
	if (!n)
		return 0;
	if (bracket) {
		if (n >= in.len || in.p[n] != ']')
			return 0;
		n++;
	}
	return n + bracket;
}

/* --- exceptions ------------------------------------------------------------ */

/* Length of a .NET type name ending in Exception/Error at s, or 0. */
static size_t exception_type(struct td_str s)
{
	size_t i = 0;
	while (i < s.len && (td_is_alnum((unsigned char)s.p[i]) || s.p[i] == '.' || s.p[i] == '_' ||
			     s.p[i] == '`'))
		i++;
	struct td_str name = td_str_make(s.p, i);
	if (i < 9)
		return 0;
	/* Namespaced types ("System.Net.WebException"), or plain "Exception". */
	bool dotted = td_str_find_char(name, '.') > 0;
	bool ok = (dotted && name.len >= 9 && memcmp(name.p + name.len - 9, "Exception", 9) == 0) ||
		  (dotted && name.len >= 5 && memcmp(name.p + name.len - 5, "Error", 5) == 0) ||
		  td_str_eq_cstr(name, "Exception");
	return ok ? i : 0;
}

/* "Type: ..." or "Type (0x8...): ..."; fills the type and the HRESULT. */
static bool exception_start(struct td_str s, struct td_str *type, struct td_str *hresult)
{
	if (td_str_starts_with(s, "Unhandled Exception: "))
		s = td_str_slice(s, 21, s.len);
	else if (td_str_starts_with(s, "Unhandled exception. "))
		s = td_str_slice(s, 21, s.len);
	size_t n = exception_type(s);
	if (!n)
		return false;
	struct td_str rest = td_str_slice(s, n, s.len);
	*type = td_str_make(s.p, n);
	*hresult = td_str_make(NULL, 0);
	if (td_str_starts_with(rest, " (0x")) {
		size_t k = 4;
		while (k < rest.len && td_is_xdigit((unsigned char)rest.p[k]))
			k++;
		if (k >= rest.len || rest.p[k] != ')')
			return false;
		*hresult = td_str_make(rest.p + 2, k - 2);
		rest = td_str_slice(rest, k + 1, rest.len);
	}
	return td_str_starts_with(rest, ": ") || (rest.len == 1 && rest.p[0] == ':') || rest.len == 0;
}

static bool continuation_marker(struct td_str body)
{
	if (body.len && (body.p[0] == ' ' || body.p[0] == '\t')) {
		struct td_str t = td_str_trim(body);
		return t.len > 0;
	}
	return td_str_starts_with(body, " ---> ") || td_str_starts_with(body, "---> ") ||
	       td_str_starts_with(body, "--- End of ") || td_str_starts_with(body, "Server stack trace:") ||
	       td_str_starts_with(body, "Exception rethrown at") ||
	       td_str_starts_with(body, "ClientConnectionId:") ||
	       td_str_starts_with(body, "Error Number:") || td_str_starts_with(body, "Inner Exception") ||
	       td_str_starts_with(body, "at System.") || td_str_starts_with(body, "at Microsoft.");
}

static void classify(struct td_str raw, struct line_info *li)
{
	memset(li, 0, sizeof(*li));
	li->raw = raw;
	li->body = strip_prefixes(raw, &li->container);
	li->time_len = leading_time(li->body, &li->time);
	li->has_time = li->time_len > 0;
	struct td_str type, hr;
	if (!li->has_time) {
		li->exception = exception_start(li->body, &type, &hr);
		li->continuation = !li->exception && continuation_marker(li->body);
	}
}

/* --- levels and columns ------------------------------------------------------ */

static enum td_level level_word(struct td_str w)
{
#define WORD(s, l) { s, sizeof(s) - 1, l }
	static const struct {
		const char *name;
		size_t len;
		enum td_level level;
	} words[] = {
		WORD("error", TD_LEVEL_ERROR),     WORD("err", TD_LEVEL_ERROR),
		WORD("fatal", TD_LEVEL_CRITICAL),  WORD("critical", TD_LEVEL_CRITICAL),
		WORD("crit", TD_LEVEL_CRITICAL),   WORD("warn", TD_LEVEL_WARNING),
		WORD("warning", TD_LEVEL_WARNING), WORD("info", TD_LEVEL_INFO),
		WORD("information", TD_LEVEL_INFO), WORD("inf", TD_LEVEL_INFO),
		WORD("debug", TD_LEVEL_VERBOSE),   WORD("dbg", TD_LEVEL_VERBOSE),
		WORD("trace", TD_LEVEL_VERBOSE),   WORD("verbose", TD_LEVEL_VERBOSE),
	};
#undef WORD
	/* Called for every column of every line: lengths first. */
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (w.len == words[i].len &&
		    td_str_ieq(w, td_str_make(words[i].name, words[i].len)))
			return words[i].level;
	return TD_LEVEL_NONE;
}

static bool sep_char(char c)
{
	return c == ' ' || c == '\t' || c == '|' || c == '[' || c == ']' || c == ',' || c == ':';
}

/* After the timestamp: up to three short columns may hold the level (and a
 * thread id, "UTC", ...).  Returns where the message starts and fills the
 * level and, for "LEVEL Logger.Name - message", the logger. */
static struct td_str columns(struct td_str s, enum td_level *level, struct td_str *logger)
{
	*level = TD_LEVEL_NONE;
	*logger = td_str_make(NULL, 0);
	size_t i = 0;
	while (i < s.len && sep_char(s.p[i]))
		i++;
	size_t msg = i;
	for (int col = 0; col < 3 && i < s.len; col++) {
		size_t w = i;
		while (i < s.len && !sep_char(s.p[i]))
			i++;
		enum td_level l = level_word(td_str_make(s.p + w, i - w));
		while (i < s.len && sep_char(s.p[i]))
			i++;
		if (l != TD_LEVEL_NONE) {
			*level = l;
			msg = i;
			/* log4net/NLog: "LEVEL Logger.Name - message" */
			size_t k = i;
			while (k < s.len && s.p[k] != ' ' && s.p[k] != '\t')
				k++;
			if (k > i && k + 3 <= s.len && memcmp(s.p + k, " - ", 3) == 0) {
				*logger = td_str_make(s.p + i, k - i);
				msg = k + 3;
			} else if (k > i && k < s.len && s.p[k] == '\t') {
				/* tab-delimited: level, process, component, message */
				size_t t2 = k + 1;
				while (t2 < s.len && s.p[t2] != '\t')
					t2++;
				if (t2 < s.len && t2 > k + 1) {
					*logger = td_str_make(s.p + k + 1, t2 - k - 1);
					msg = t2 + 1;
				}
			}
			break;
		}
	}
	return td_str_slice(s, msg, s.len);
}

/* --- the parser ---------------------------------------------------------------- */

static int at_probe(struct td_str head)
{
	if (td_str_trim(head).len && td_str_trim(head).p[0] == '<')
		return 0;
	struct td_str rest = head, line;
	bool term;
	int lines = 0, timed = 0, exc = 0, frames = 0;
	while (lines < 200 && td_next_line(&rest, &line, &term)) {
		if (!td_str_trim(line).len)
			continue;
		lines++;
		struct line_info li;
		classify(line, &li);
		timed += li.has_time;
		exc += li.exception;
		frames += li.continuation;
	}
	if (timed >= 2 && timed * 3 >= lines)
		return 60;
	if (exc >= 1 && frames >= 1)
		return 55;
	if (timed >= 1 || exc >= 1)
		return 30;
	return 0;
}

static int at_init(void *state, struct td_parse_ctx *ctx)
{
	struct at_state *st = state;
	td_arena_init(&st->arena, TD_MAX_MESSAGE + 4096);
	return TD_OK;
}

static void at_release(void *state)
{
	struct at_state *st = state;
	td_arena_release(&st->arena);
}

struct record {
	struct line_info first;
	const char *end;   /* end of the record's last line */
	uint64_t line, line_end;
	size_t nlines;
	bool stripped;     /* some line had a prefix removed */
};

/* Builds the message of a record: from the message column of its first
 * line to the end of its last line, without line prefixes. */
static struct td_str record_message(struct at_state *st, const struct record *r,
				    enum td_level *level, struct td_str *logger)
{
	struct td_str first = td_str_slice(r->first.body, r->first.time_len, r->first.body.len);
	struct td_str msg = columns(first, level, logger);
	if (!r->stripped) {
		struct td_str whole = td_str_make(msg.p, (size_t)(r->end - msg.p));
		return td_str_trim(whole);
	}
	/* Rebuild: first line's message, then each further line's body. */
	size_t cap = (size_t)(r->end - msg.p) + 1;
	if (cap > TD_MAX_MESSAGE)
		cap = TD_MAX_MESSAGE;
	char *buf = td_arena_alloc(&st->arena, cap);
	if (!buf)
		return td_str_trim(td_str_make(msg.p, (size_t)(r->end - msg.p)));
	size_t o = 0;
	struct td_str rest = td_str_make(r->first.raw.p, (size_t)(r->end - r->first.raw.p)), line;
	bool term, firstline = true;
	while (td_next_line(&rest, &line, &term) && o < cap) {
		struct td_str body;
		if (firstline) {
			body = msg;
			body.len = (size_t)(line.p + line.len - msg.p);
		} else {
			struct td_str c;
			body = strip_prefixes(line, &c);
			if (o < cap)
				buf[o++] = '\n';
		}
		firstline = false;
		size_t n = body.len < cap - o ? body.len : cap - o;
		memcpy(buf + o, body.p, n);
		o += n;
	}
	return td_str_trim(td_str_make(buf, o));
}

static int emit(struct at_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		const struct record *r)
{
	struct td_event ev = {
		.line = r->line,
		.line_end = r->line_end,
		.record = ++st->record,
		.offset = c->pos + (size_t)(r->first.raw.p - c->p),
	};
	if (r->first.has_time)
		ev.time = r->first.time;
	struct td_str logger;
	ev.message = record_message(st, r, &ev.level, &logger);
	ev.provider = logger;
	size_t n = 0;
	if (r->first.container.len)
		st->fields[n++] = (struct td_field){ TD_STR_LIT("container"), r->first.container };
	/* The outermost exception of the record. */
	struct td_str rest = ev.message, line, type, hr;
	bool term;
	if (td_str_find(rest, TD_STR_LIT("Exception")) < 0)
		rest.len = 0;
	while (td_next_line(&rest, &line, &term)) {
		if (td_str_find(line, TD_STR_LIT("Exception")) < 0)
			continue;
		struct td_str t = td_str_trim(line);
		for (size_t i = 0; i < t.len && i < 400; i++) {
			if (i && t.p[i - 1] != ' ' && t.p[i - 1] != '>' && t.p[i - 1] != ':')
				continue;
			if (exception_start(td_str_slice(t, i, t.len), &type, &hr)) {
				st->fields[n++] = (struct td_field){ TD_STR_LIT("exception"), type };
				if (hr.len)
					st->fields[n++] = (struct td_field){ TD_STR_LIT("hresult"), hr };
				goto found;
			}
		}
	}
found:
	ev.fields = st->fields;
	ev.nfields = n;
	if (ev.message.len > TD_MAX_MESSAGE) {
		td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ev.line,
			      "apptext: record of %zu bytes cut to %zu", ev.message.len, TD_MAX_MESSAGE);
		ev.message.len = TD_MAX_MESSAGE;
	}
	int rc = td_emit(ctx, &ev);
	td_arena_reset(&st->arena);
	return rc;
}

static int at_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct at_state *st = state;
	bool final = c->eof || c->force;
	struct td_str rest = td_str_make(c->p, c->len), raw;
	bool term;
	uint64_t lineno = c->line;
	struct record r;
	bool open = false;
	*consumed = 0;
	while (td_next_line(&rest, &raw, &term)) {
		if (!term && !final)
			break;
		struct line_info li;
		classify(raw, &li);
		bool blank = td_str_trim(li.body).len == 0;
		/* Timestamped records take every following line without a
		 * timestamp; others only stack frames and dump markers. */
		bool joins = open && !li.has_time && !blank && r.nlines < MAX_RECORD_LINES &&
			     (r.first.has_time || li.continuation);
		if (joins) {
			r.end = raw.p + raw.len;
			r.line_end = lineno;
			r.nlines++;
			r.stripped |= li.body.p != raw.p;
			lineno++;
			continue;
		}
		if (open) {
			if (emit(st, ctx, c, &r))
				return TD_E_STOP;
			open = false;
		}
		*consumed = (size_t)(raw.p - c->p);
		if (blank) {
			*consumed = c->len - rest.len;
			lineno++;
			continue;
		}
		r = (struct record){ .first = li, .end = raw.p + raw.len, .line = lineno,
				     .line_end = lineno, .nlines = 1, .stripped = li.body.p != raw.p };
		open = true;
		lineno++;
	}
	if (open && final) {
		if (emit(st, ctx, c, &r))
			return TD_E_STOP;
		*consumed = c->len;
	} else if (final) {
		*consumed = c->len;
	}
	return TD_OK;
}

const struct td_text_parser td_parser_apptext = {
	.format = TD_FMT_APPTEXT,
	.name = "apptext",
	.probe = at_probe,
	.state_size = sizeof(struct at_state),
	.init = at_init,
	.feed = at_feed,
	.release = at_release,
};
