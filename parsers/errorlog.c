/* SQL Server ERRORLOG (kb/LOG_FORMATS.md c.1).
 *
 *     2024-03-05 10:12:00.90 Logon       Error: 17194, Severity: 16, State: 1.
 *     2024-03-05 10:12:00.90 Logon       The server was unable to load the SSL ...
 *
 * An entry is a stamp with centiseconds, a source token (Server, spidNN[s],
 * Logon, Backup, ...) and text; TAB/space-indented lines without a stamp
 * continue the previous entry (the version banner, startup parameters).
 * Pasted logs collapse the padding and may join entries on one line: a line
 * is split again at every further "YYYY-MM-DD hh:mm:ss.cc source " stamp.
 * "Error: N, Severity: S, State: T." (in any language: three labelled
 * numbers) and the next entry with the same stamp
 * and source become one event (message = the text, fields error, severity,
 * state).  Times are local; "UTC adjustment: H:MM" (local - UTC) near the
 * banner makes them UTC from that banner on.  The banner and a few startup
 * lines are reported as facts (fields named "fact.*").
 */
#include <string.h>

#include "lines.h"
#include "parser.h"

#define STAMP_LEN 22 /* "YYYY-MM-DD hh:mm:ss.cc" */
/* How far after a banner the UTC adjustment line is looked for. */
#define ADJ_LOOKAHEAD 65536

struct entry {
	size_t start;           /* chunk offset of the stamp */
	uint64_t line, line_end;
	struct td_str stamp, source, text;
	int64_t local;          /* ticks, local time */
};

struct el_state {
	uint64_t record;
	bool adj_known;
	int64_t adj;            /* local - UTC, in ticks */
	bool looked;            /* the start of the input was searched for it */
	struct td_field fields[TD_MAX_FIELDS];
	char host[256];
	size_t host_len;
};

/* Reads "YYYY-MM-DD hh:mm:ss.cc" at s; returns local ticks in *t. */
static bool parse_stamp(struct td_str s, int64_t *t)
{
	if (s.len < STAMP_LEN)
		return false;
	const char *p = s.p;
	static const char shape[] = "dddd-dd-dd dd:dd:dd.dd";
	for (size_t i = 0; i < STAMP_LEN; i++) {
		if (shape[i] == 'd' ? !td_is_digit((unsigned char)p[i]) : p[i] != shape[i])
			return false;
	}
#define NUM2(o) ((p[o] - '0') * 10 + (p[(o) + 1] - '0'))
	int y = NUM2(0) * 100 + NUM2(2);
	return td_time_from_civil(y, NUM2(5), NUM2(8), NUM2(11), NUM2(14), NUM2(17),
				  (int64_t)NUM2(20) * 100000, t);
#undef NUM2
}

/* Whether s starts an entry: a stamp, not followed by a third fraction
 * digit, then whitespace and a source token.  Fills *e's stamp, source and
 * text (text runs to the end of s). */
static bool parse_entry(struct td_str s, struct entry *e)
{
	if (!parse_stamp(s, &e->local))
		return false;
	size_t i = STAMP_LEN;
	if (i >= s.len || (s.p[i] != ' ' && s.p[i] != '\t'))
		return false;
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	size_t src = i;
	while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t')
		i++;
	if (i == src)
		return false;
	e->stamp = td_str_make(s.p, STAMP_LEN);
	e->source = td_str_make(s.p + src, i - src);
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	e->text = td_str_make(s.p + i, s.len - i);
	return true;
}

static int el_probe(struct td_str head)
{
	struct td_str rest = head, line;
	bool term;
	int entries = 0, lines = 0, banner = 0;
	struct entry e;
	while (lines < 100 && td_next_line(&rest, &line, &term)) {
		lines++;
		if (parse_entry(line, &e)) {
			entries++;
			banner += td_str_starts_with(e.text, "Microsoft SQL Server");
		}
	}
	if (entries >= 2 || banner)
		return 92;
	return entries ? 50 : 0;
}

static int el_init(void *state, struct td_parse_ctx *ctx)
{
	return TD_OK;
}

/* Where the next entry starts inside a line (joined entries), or 0.  It is
 * looked for in the entry's text (starting at `text`), never in its source
 * token: otherwise the entry before the cut would be no entry and keep the
 * text of all the entries after it. */
static size_t joined_at(struct td_str line, size_t text)
{
	size_t from = text + 4; /* the first dash of a stamp at the text */
	while (from + STAMP_LEN < line.len) {
		const char *dash = memchr(line.p + from, '-', line.len - from);
		if (!dash)
			return 0;
		size_t k = (size_t)(dash - line.p);
		from = k + 1;
		if (k < 5 || (line.p[k - 5] != ' ' && line.p[k - 5] != '\t'))
			continue;
		struct entry e;
		if (parse_entry(td_str_slice(line, k - 4, line.len), &e))
			return k - 4;
	}
	return 0;
}

/* "UTC adjustment: [-]H:MM" in text; returns local - UTC in ticks. */
static bool parse_adjustment(struct td_str text, int64_t *adj)
{
	if (!td_str_starts_with(text, "UTC adjustment:"))
		return false;
	struct td_str v = td_str_trim(td_str_slice(text, 15, text.len));
	bool neg = v.len && v.p[0] == '-';
	if (neg || (v.len && v.p[0] == '+'))
		v = td_str_slice(v, 1, v.len);
	uint64_t h, m;
	size_t n = td_str_parse_udec(v, 2, &h);
	if (!n || n >= v.len || v.p[n] != ':' || td_str_parse_udec(td_str_slice(v, n + 1, v.len), 2, &m) != 2 ||
	    h > 14 || m > 59)
		return false;
	int64_t t = (int64_t)(h * 60 + m) * TD_TICKS_PER_MIN;
	*adj = neg ? -t : t;
	return true;
}

/* After a banner at chunk offset `at`, finds the session's UTC adjustment.
 * Returns false when the chunk ends before it could be found and more text
 * may come. */
static bool look_ahead(struct el_state *st, const struct td_chunk *c, size_t at)
{
	size_t limit = c->len - at > ADJ_LOOKAHEAD ? at + ADJ_LOOKAHEAD : c->len;
	struct td_str rest = td_str_make(c->p + at, limit - at), line;
	bool term, first = true;
	st->adj_known = false;
	while (td_next_line(&rest, &line, &term)) {
		struct entry e;
		if (!parse_entry(line, &e))
			continue;
		if (!first && td_str_starts_with(e.text, "Microsoft SQL Server"))
			break; /* the next session */
		first = false;
		if (parse_adjustment(e.text, &st->adj)) {
			st->adj_known = true;
			break;
		}
	}
	st->looked = true;
	return st->adj_known || limit < c->len || c->eof || c->force;
}

static size_t add_field(struct el_state *st, size_t n, const char *name, struct td_str v)
{
	if (n < TD_MAX_FIELDS && v.len) {
		st->fields[n].name = td_str_cstr(name);
		st->fields[n].value = v;
		n++;
	}
	return n;
}

/* The Windows version and build in the banner's operating system text:
 * "Windows Server 2012 R2 Standard 6.3 <X64> (Build 9600: ) (Hypervisor)",
 * "Windows NT 6.1 <X64> (Build 7601: Service Pack 1)", "Windows NT 5.2
 * (Build 3790: Service Pack 2)".  Linux hosts ("Linux (Ubuntu 20.04.3 LTS)
 * <X64>") have neither. */
static size_t windows_facts(struct el_state *st, size_t n, struct td_str os)
{
	ptrdiff_t build = td_str_find(os, TD_STR_LIT("(Build "));
	if (!td_str_starts_with(os, "Windows") || build < 0)
		return n;
	struct td_str b = td_str_slice(os, (size_t)build + 7, os.len);
	size_t k = 0;
	while (k < b.len && td_is_digit((unsigned char)b.p[k]))
		k++;
	/* The version is the last word before the platform or the build. */
	struct td_str head = td_str_make(os.p, (size_t)build);
	ptrdiff_t lt = td_str_find_char(head, '<');
	head = td_str_trim(lt >= 0 ? td_str_make(head.p, (size_t)lt) : head);
	size_t w = head.len;
	while (w > 0 && head.p[w - 1] != ' ')
		w--;
	struct td_str ver = td_str_slice(head, w, head.len);
	size_t digits = 0, dots = 0;
	for (size_t i = 0; i < ver.len; i++) {
		digits += td_is_digit((unsigned char)ver.p[i]);
		dots += ver.p[i] == '.';
	}
	bool version = ver.len && dots && digits + dots == ver.len && ver.p[0] != '.' &&
		       ver.p[ver.len - 1] != '.';
	if (version)
		n = add_field(st, n, "fact.windows.version", ver);
	if (k && (k == b.len || b.p[k] == ':' || b.p[k] == ')'))
		n = add_field(st, n, "fact.windows.currentbuild", td_str_make(b.p, k));
	return n;
}

/* The version banner: product, version, edition and operating system. */
static size_t banner_facts(struct el_state *st, size_t n, struct td_str text)
{
	struct td_str first = text, rest = TD_STR_LIT("");
	ptrdiff_t nl = td_str_find_char(text, '\n');
	if (nl >= 0) {
		first = td_str_make(text.p, (size_t)nl);
		rest = td_str_slice(text, (size_t)nl + 1, text.len);
	}
	first = td_str_trim(first);
	ptrdiff_t dash = td_str_find(first, TD_STR_LIT(" - "));
	if (dash > 0) {
		struct td_str ver = td_str_slice(first, (size_t)dash + 3, first.len);
		size_t k = 0;
		while (k < ver.len && (td_is_digit((unsigned char)ver.p[k]) || ver.p[k] == '.'))
			k++;
		n = add_field(st, n, "fact.sql_server.product",
			      td_str_trim(td_str_make(first.p, (size_t)dash)));
		n = add_field(st, n, "fact.sql_server.version", td_str_make(ver.p, k));
	}
	struct td_str line;
	bool term;
	while (td_next_line(&rest, &line, &term)) {
		line = td_str_trim(line);
		ptrdiff_t on = td_str_find(line, TD_STR_LIT(" on "));
		if (on > 0 && td_str_find(line, TD_STR_LIT("Edition")) >= 0) {
			n = add_field(st, n, "fact.sql_server.edition", td_str_make(line.p, (size_t)on));
			struct td_str os = td_str_slice(line, (size_t)on + 4, line.len);
			n = add_field(st, n, "fact.sql_server.os", os);
			n = windows_facts(st, n, os);
		}
	}
	return n;
}

#define TLS_CONFIG "Successfully initialized the TLS configuration. Allowed TLS protocol versions are ['"

/* Facts from single startup lines. */
static size_t line_facts(struct el_state *st, size_t n, struct td_str text)
{
	if (td_str_starts_with(text, "Server name is '")) {
		struct td_str v = td_str_slice(text, 16, text.len);
		ptrdiff_t q = td_str_find_char(v, '\'');
		if (q > 0) {
			v = td_str_make(v.p, (size_t)q);
			n = add_field(st, n, "fact.sql_server.server_name", v);
			/* The machine part names the host of later events. */
			ptrdiff_t bs = td_str_find_char(v, '\\');
			size_t hl = bs > 0 ? (size_t)bs : v.len;
			if (hl < sizeof(st->host)) {
				memcpy(st->host, v.p, hl);
				st->host_len = hl;
			}
		}
	} else if (td_str_starts_with(text, "UTC adjustment:")) {
		n = add_field(st, n, "fact.sql_server.utc_adjustment",
			      td_str_trim(td_str_slice(text, 15, text.len)));
	} else if (td_str_starts_with(text, TLS_CONFIG)) {
		struct td_str v = td_str_slice(text, sizeof(TLS_CONFIG) - 1, text.len);
		ptrdiff_t q = td_str_find_char(v, '\'');
		if (q > 0)
			n = add_field(st, n, "fact.sql_server.tls_protocols", td_str_make(v.p, (size_t)q));
	}
	return n;
}

/* One "<label>: <digits>" of an error header; the label is a word of any
 * language (no digit, comma or colon, at most 24 bytes), and a space may
 * precede the colon (French).  Advances *s past the digits. */
static bool label_number(struct td_str *s, struct td_str *num)
{
	size_t n = 0;
	while (n < s->len && n <= 24 && s->p[n] != ':' && s->p[n] != ',' &&
	       !td_is_digit((unsigned char)s->p[n]))
		n++;
	if (n == 0 || n > 24 || n >= s->len || s->p[n] != ':' || s->p[0] == ' ')
		return false;
	n++;
	while (n < s->len && s->p[n] == ' ')
		n++;
	size_t d = n;
	while (d < s->len && td_is_digit((unsigned char)s->p[d]))
		d++;
	if (d == n)
		return false;
	*num = td_str_make(s->p + n, d - n);
	*s = td_str_slice(*s, d, s->len);
	return true;
}

/* The separator between the header's parts: "," or the ideographic comma,
 * with spaces around. */
static bool separator(struct td_str *s)
{
	size_t n = 0;
	while (n < s->len && s->p[n] == ' ')
		n++;
	if (n < s->len && s->p[n] == ',')
		n++;
	else if (s->len - n >= 3 && memcmp(s->p + n, "\xe3\x80\x81", 3) == 0)
		n += 3;
	else
		return false;
	while (n < s->len && s->p[n] == ' ')
		n++;
	*s = td_str_slice(*s, n, s->len);
	return true;
}

/* "Error: N, Severity: S, State: T." in English or in the language of the
 * server ("Fehler: 17182, Schweregrad: 16, Status: 1.", "Erreur : 17182,
 * Gravité : 16, État : 1."): three labelled numbers, nothing else before the
 * final full stop. */
static bool parse_error_header(struct td_str text, struct td_str *err, struct td_str *sev,
			       struct td_str *state)
{
	struct td_str s = text;
	if (!label_number(&s, err) || !separator(&s) || !label_number(&s, sev) || !separator(&s) ||
	    !label_number(&s, state))
		return false;
	s = td_str_trim(s);
	return s.len == 0 || td_str_eq_cstr(s, ".") || td_str_eq_cstr(s, "\xe3\x80\x82");
}

static int emit_entry(struct el_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		      const struct entry *e, const struct entry *err_hdr)
{
	struct td_event ev = {
		.line = err_hdr ? err_hdr->line : e->line,
		.line_end = e->line_end,
		.record = ++st->record,
		.offset = c->pos + (err_hdr ? err_hdr->start : e->start),
		.provider = e->source,
		.level = TD_LEVEL_INFO,
		.message = e->text,
	};
	ev.time.ticks = e->local;
	ev.time.zone = TD_ZONE_LOCAL;
	ev.time.digits = 2;
	ev.time.text = e->stamp;
	if (st->adj_known) {
		ev.time.ticks -= st->adj;
		ev.time.zone = TD_ZONE_UTC;
	}
	if (st->host_len)
		ev.host = td_str_make(st->host, st->host_len);
	size_t n = 0;
	if (td_str_starts_with(e->source, "spid")) {
		struct td_str num = td_str_slice(e->source, 4, e->source.len);
		size_t k = 0;
		while (k < num.len && td_is_digit((unsigned char)num.p[k]))
			k++;
		n = add_field(st, n, "spid", td_str_make(num.p, k));
	}
	struct td_str er, sev, state;
	const struct entry *hdr = err_hdr ? err_hdr : e;
	if (parse_error_header(hdr->text, &er, &sev, &state)) {
		n = add_field(st, n, "error", er);
		n = add_field(st, n, "severity", sev);
		n = add_field(st, n, "state", state);
		uint64_t sv = 0;
		td_str_parse_udec(sev, 3, &sv);
		ev.level = sv >= 20 ? TD_LEVEL_CRITICAL : sv > 10 ? TD_LEVEL_ERROR : TD_LEVEL_INFO;
	}
	if (td_str_starts_with(e->text, "Microsoft SQL Server"))
		n = banner_facts(st, n, e->text);
	else
		n = line_facts(st, n, e->text);
	ev.fields = st->fields;
	ev.nfields = n;
	if (ev.message.len > TD_MAX_MESSAGE) {
		td_parse_diag(ctx, TD_DIAG_WARNING, ev.offset, ev.line,
			      "errorlog: entry of %zu bytes cut to %zu", ev.message.len, TD_MAX_MESSAGE);
		ev.message.len = TD_MAX_MESSAGE;
	}
	if (ev.host.len == 0 && n && st->host_len)
		ev.host = td_str_make(st->host, st->host_len);
	return td_emit(ctx, &ev);
}

/* An entry is complete; pairs Error: headers with their text. *held is the
 * Error: header waiting for its text. */
static int complete(struct el_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		    struct entry *e, struct entry *held, bool *holding)
{
	struct td_str er, sev, state;
	if (*holding) {
		*holding = false;
		if (td_str_eq(held->stamp, e->stamp) && td_str_eq(held->source, e->source) &&
		    !parse_error_header(e->text, &er, &sev, &state))
			return emit_entry(st, ctx, c, e, held);
		if (emit_entry(st, ctx, c, held, NULL))
			return TD_E_STOP;
	}
	if (parse_error_header(e->text, &er, &sev, &state)) {
		*held = *e;
		*holding = true;
		return TD_OK;
	}
	return emit_entry(st, ctx, c, e, NULL);
}

static int el_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct el_state *st = state;
	bool final = c->eof || c->force;
	struct td_str rest = td_str_make(c->p, c->len), line;
	bool term;
	uint64_t lineno = c->line;
	struct entry cur, held;
	bool have = false, holding = false;
	*consumed = 0;
	if (c->pos == 0 || !st->looked) {
		if (!look_ahead(st, c, 0))
			return TD_OK;
	}
	while (td_next_line(&rest, &line, &term)) {
		if (!term && !final)
			break;
		struct entry e;
		bool is_entry = parse_entry(line, &e);
		while (is_entry) {
			/* Joined entries: cut this line at the next stamp. */
			size_t j = joined_at(line, (size_t)(e.text.p - line.p));
			struct td_str head = j ? td_str_make(line.p, j) : line;
			parse_entry(head, &e);
			e.text = td_str_trim(e.text);
			e.start = (size_t)(head.p - c->p);
			e.line = e.line_end = lineno;
			if (have && complete(st, ctx, c, &cur, &held, &holding))
				return TD_E_STOP;
			/* Everything before the first entry not emitted yet is
			 * done: the held Error: header, else this entry. */
			*consumed = holding ? held.start : e.start;
			if (td_str_starts_with(e.text, "Microsoft SQL Server") && c->pos + e.start > 0 &&
			    !look_ahead(st, c, e.start))
				return TD_OK;
			cur = e;
			have = true;
			if (!j)
				break;
			line = td_str_slice(line, j, line.len);
			is_entry = parse_entry(line, &e);
		}
		if (!is_entry) {
			if (have) {
				/* A continuation line of the current entry. */
				struct td_str t = td_str_trim(line);
				if (t.len) {
					size_t end = (size_t)(t.p + t.len - c->p);
					cur.text = td_str_make(cur.text.p, end - (size_t)(cur.text.p - c->p));
					cur.line_end = lineno;
				}
			} else {
				if (td_emit_line(ctx, c, line, lineno, &st->record))
					return TD_E_STOP;
				*consumed = c->len - rest.len;
			}
		}
		lineno++;
	}
	if (final) {
		if (have && complete(st, ctx, c, &cur, &held, &holding))
			return TD_E_STOP;
		if (holding && emit_entry(st, ctx, c, &held, NULL))
			return TD_E_STOP;
		*consumed = c->len;
	}
	return TD_OK;
}

const struct td_text_parser td_parser_errorlog = {
	.format = TD_FMT_ERRORLOG,
	.name = "errorlog",
	.probe = el_probe,
	.state_size = sizeof(struct el_state),
	.init = el_init,
	.feed = el_feed,
};
