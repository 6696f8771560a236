/* W3C extended log files: IIS request logs (u_exYYMMDD.log) and HTTP.sys
 * error logs (httperr*.log), which share the same grammar:
 *
 *     #Software: Microsoft Internet Information Services 10.0
 *     #Version: 1.0
 *     #Date: 2024-03-05 10:00:00
 *     #Fields: date time s-ip cs-method cs-uri-stem ... crypt-protocol
 *     2024-03-05 10:00:01 10.0.0.5 GET /x ... 40
 *
 * Directives start with '#'.  #Fields names the space-separated columns of
 * the lines that follow, until the next #Fields (a restarted site writes a
 * new header block in the middle of the file, possibly with other columns).
 * A value of "-" means empty; IIS writes the spaces of a user agent or
 * cookie as '+'.
 *
 * Each request line becomes one event: every column is a field named as in
 * #Fields ("c-ip", "sc-status", "cs(User-Agent)", "crypt-protocol", ...;
 * "-" becomes the empty string, '+' in cs(User-Agent), cs(Referer) and
 * cs(Cookie) becomes a space), the time is date + time (W3C logs are UTC;
 * without a date column the date of #Date is used), the provider is the
 * #Software text, the host is s-computername when logged.  The message is a
 * readable summary: method, URI, status, client, negotiated protocol (the
 * crypt-protocol SP_PROT server bit, decoded) and user agent, or the HTTP.sys
 * reason.  Level from sc-status: 5xx error, 4xx warning, other statuses
 * info; an HTTP.sys error line without a status is a warning; none when the
 * log has no status column.  A request line before any #Fields, or with
 * another number of values than #Fields names, is kept as a text event and
 * reported with its line number.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lines.h"
#include "parser.h"

/* Columns kept per #Fields line; more are reported and ignored. */
#define TD_W3C_MAX_COLUMNS 64
/* Longest directive value kept (#Software, #Date). */
#define TD_W3C_MAX_DIRECTIVE 256

struct w3c_state {
	uint64_t record;
	/* Column names of the current #Fields, copied (they outlive windows). */
	char *names_buf;
	struct td_str names[TD_W3C_MAX_COLUMNS];
	size_t ncols;
	bool have_fields;
	char software[TD_W3C_MAX_DIRECTIVE];
	size_t software_len;
	char date[11]; /* YYYY-MM-DD of #Date, "" if none */
	/* Per record. */
	struct td_field fields[TD_W3C_MAX_COLUMNS];
	struct td_buf msg, decoded;
	char stamp[64];
};

/* Server bits of SP_PROT (kb M4); crypt-protocol logs one of them in hex. */
static const struct {
	uint32_t bit;
	const char *name;
} protocols[] = {
	{ 0x4, "SSL 2.0" },   { 0x10, "SSL 3.0" },  { 0x40, "TLS 1.0" },
	{ 0x100, "TLS 1.1" }, { 0x400, "TLS 1.2" }, { 0x1000, "TLS 1.3" },
};

static const char *protocol_name(struct td_str hex)
{
	uint64_t v;
	if (td_str_istarts_with(hex, "0x"))
		hex = td_str_slice(hex, 2, hex.len);
	if (!hex.len || td_str_parse_hex(hex, 8, &v) != hex.len)
		return NULL;
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (protocols[i].bit == v)
			return protocols[i].name;
	return NULL;
}

static bool is_fields_line(struct td_str line)
{
	return td_str_istarts_with(line, "#Fields:");
}

static int w3c_probe(struct td_str head)
{
	struct td_str rest = head, line;
	bool term;
	int directives = 0, lines = 0;
	while (lines < 50 && td_next_line(&rest, &line, &term)) {
		lines++;
		if (is_fields_line(line))
			return 95;
		if (td_str_istarts_with(line, "#Software:") ||
		    td_str_istarts_with(line, "#Version:") || td_str_istarts_with(line, "#Date:"))
			directives++;
	}
	return directives >= 2 ? 60 : 0;
}

static int w3c_init(void *state, struct td_parse_ctx *ctx)
{
	struct w3c_state *st = state;
	(void)ctx;
	td_buf_init(&st->msg, TD_MAX_MESSAGE);
	td_buf_init(&st->decoded, TD_MAX_MESSAGE);
	return TD_OK;
}

static void w3c_release(void *state)
{
	struct w3c_state *st = state;
	free(st->names_buf);
	td_buf_release(&st->msg);
	td_buf_release(&st->decoded);
}

/* Next space-separated token of *s (runs of spaces and tabs are one gap). */
static bool next_token(struct td_str *s, struct td_str *tok)
{
	size_t i = 0;
	while (i < s->len && (s->p[i] == ' ' || s->p[i] == '\t'))
		i++;
	if (i == s->len)
		return false;
	size_t j = i;
	while (j < s->len && s->p[j] != ' ' && s->p[j] != '\t')
		j++;
	*tok = td_str_make(s->p + i, j - i);
	*s = td_str_slice(*s, j, s->len);
	return true;
}

static struct td_str directive_value(struct td_str line, size_t skip)
{
	return td_str_trim(td_str_slice(line, skip, line.len));
}

/* Takes the column names of a #Fields line.  Returns TD_E_NOMEM or TD_OK. */
static int set_fields(struct w3c_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		      struct td_str line, uint64_t lineno)
{
	struct td_str v = directive_value(line, 8);
	char *copy = malloc(v.len + 1);
	if (!copy)
		return TD_E_NOMEM;
	memcpy(copy, v.p, v.len);
	copy[v.len] = '\0';
	free(st->names_buf);
	st->names_buf = copy;
	st->ncols = 0;
	st->have_fields = true;
	struct td_str rest = td_str_make(copy, v.len), tok;
	size_t extra = 0;
	while (next_token(&rest, &tok)) {
		if (st->ncols < TD_W3C_MAX_COLUMNS)
			st->names[st->ncols++] = tok;
		else
			extra++;
	}
	uint64_t pos = c->pos + (size_t)(line.p - c->p);
	if (extra)
		td_parse_diag(ctx, TD_DIAG_WARNING, pos, lineno,
			      "w3c: %zu columns after the first %d ignored", extra,
			      TD_W3C_MAX_COLUMNS);
	if (!st->ncols)
		td_parse_diag(ctx, TD_DIAG_WARNING, pos, lineno,
			      "w3c: #Fields names no column");
	return TD_OK;
}

static void directive(struct w3c_state *st, struct td_str line)
{
	if (td_str_istarts_with(line, "#Software:")) {
		struct td_str v = directive_value(line, 10);
		if (v.len > sizeof(st->software))
			v.len = sizeof(st->software);
		memcpy(st->software, v.p, v.len);
		st->software_len = v.len;
	} else if (td_str_istarts_with(line, "#Date:")) {
		struct td_str v = directive_value(line, 6);
		st->date[0] = '\0';
		if (v.len >= 10 && v.p[4] == '-' && v.p[7] == '-') {
			memcpy(st->date, v.p, 10);
			st->date[10] = '\0';
		}
	}
	/* #Version, #Remark, #Start-Date, #End-Date: nothing to keep. */
}

static struct td_str field(const struct td_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (td_str_ieq_cstr(f[i].name, name))
			return f[i].value;
	return td_str_make(NULL, 0);
}

/* Appends what fits of s; a message is cut at TD_MAX_MESSAGE. */
static void put(struct td_buf *b, struct td_str s)
{
	size_t room = b->max > b->len ? b->max - b->len : 0;
	if (s.len > room)
		s.len = room;
	if (s.len && td_buf_add(b, s.p, s.len) != TD_OK)
		td_buf_truncate(b, b->len);
}

static void puts_(struct td_buf *b, const char *z)
{
	put(b, td_str_cstr(z));
}

/* Values whose spaces IIS writes as '+'. */
static bool plus_encoded(struct td_str name)
{
	return td_str_ieq_cstr(name, "cs(User-Agent)") || td_str_ieq_cstr(name, "cs(Referer)") ||
	       td_str_ieq_cstr(name, "cs(Cookie)");
}

/* date + time (UTC).  The time text is kept in st->stamp. */
static bool request_time(struct w3c_state *st, const struct td_field *f, size_t n,
			 struct td_time *t)
{
	struct td_str date = field(f, n, "date"), time = field(f, n, "time");
	if (!time.len)
		return false;
	if (!date.len)
		date = td_str_cstr(st->date);
	if (date.len != 10 || time.len > sizeof(st->stamp) - 12)
		return false;
	memcpy(st->stamp, date.p, 10);
	st->stamp[10] = ' ';
	memcpy(st->stamp + 11, time.p, time.len);
	struct td_str s = td_str_make(st->stamp, 11 + time.len);
	struct td_time parsed;
	if (td_time_parse_iso8601(s, &parsed) != s.len)
		return false;
	*t = parsed;
	t->zone = TD_ZONE_UTC;
	t->text = s;
	return true;
}

static enum td_level request_level(const struct td_field *f, size_t n)
{
	struct td_str status = field(f, n, "sc-status");
	if (status.len == 3 && td_is_digit((unsigned char)status.p[0])) {
		if (status.p[0] == '5')
			return TD_LEVEL_ERROR;
		if (status.p[0] == '4')
			return TD_LEVEL_WARNING;
		return TD_LEVEL_INFO;
	}
	if (field(f, n, "s-reason").len)
		return TD_LEVEL_WARNING; /* HTTP.sys logs only what went wrong */
	return status.p ? TD_LEVEL_INFO : TD_LEVEL_NONE;
}

/* "GET /x?q -> 200.0 client 10.0.0.7 TLS 1.0 (crypt-protocol 40) user agent "..."" */
static void summary(struct td_buf *b, const struct td_field *f, size_t n, struct td_str raw)
{
	td_buf_reset(b);
	struct td_str method = field(f, n, "cs-method"), uri = field(f, n, "cs-uri-stem");
	struct td_str query = field(f, n, "cs-uri-query"), status = field(f, n, "sc-status");
	struct td_str sub = field(f, n, "sc-substatus"), ip = field(f, n, "c-ip");
	struct td_str proto = field(f, n, "crypt-protocol"), ua = field(f, n, "cs(User-Agent)");
	struct td_str reason = field(f, n, "s-reason");
	if (!uri.len)
		uri = field(f, n, "cs-uri");
	if (!method.len && !uri.len && !status.len && !ip.len && !reason.len) {
		put(b, td_str_trim(raw));
		return;
	}
	put(b, method.len ? method : TD_STR_LIT("-"));
	puts_(b, " ");
	put(b, uri.len ? uri : TD_STR_LIT("-"));
	if (query.len) {
		puts_(b, "?");
		put(b, query);
	}
	if (status.len) {
		puts_(b, " -> ");
		put(b, status);
		if (sub.len) {
			puts_(b, ".");
			put(b, sub);
		}
	}
	if (ip.len) {
		puts_(b, " client ");
		put(b, ip);
	}
	if (proto.len) {
		const char *name = protocol_name(proto);
		puts_(b, " ");
		puts_(b, name ? name : "unknown protocol");
		puts_(b, " (crypt-protocol ");
		put(b, proto);
		puts_(b, ")");
	}
	if (reason.len) {
		puts_(b, " reason ");
		put(b, reason);
	}
	if (ua.len) {
		puts_(b, " user agent \"");
		put(b, ua);
		puts_(b, "\"");
	}
}

/* Splits a request line over the columns and emits it. */
static int request(struct w3c_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		   struct td_str line, uint64_t lineno)
{
	uint64_t pos = c->pos + (size_t)(line.p - c->p);
	if (!st->have_fields || !st->ncols) {
		td_parse_diag(ctx, TD_DIAG_WARNING, pos, lineno,
			      "w3c: request line before any #Fields; kept as text: '%.*s'",
			      td_str_pfmt(td_str_slice(line, 0, 60)));
		return td_emit_line(ctx, c, line, lineno, &st->record);
	}
	struct td_str rest = line, tok;
	size_t n = 0, extra = 0;
	td_buf_reset(&st->decoded);
	/* Decoded values go into one buffer; reserve it whole so that views
	 * into it stay valid while it fills. */
	if (td_buf_reserve(&st->decoded, line.len < TD_MAX_MESSAGE ? line.len : TD_MAX_MESSAGE))
		return TD_E_NOMEM;
	while (next_token(&rest, &tok)) {
		if (n == st->ncols) {
			extra++;
			continue;
		}
		struct td_str v = tok;
		if (td_str_eq_cstr(v, "-")) {
			v = td_str_make(tok.p, 0);
		} else if (plus_encoded(st->names[n]) && memchr(v.p, '+', v.len) &&
			   st->decoded.cap - st->decoded.len > v.len) {
			char *d = st->decoded.p + st->decoded.len;
			for (size_t i = 0; i < v.len; i++)
				d[i] = v.p[i] == '+' ? ' ' : v.p[i];
			st->decoded.len += v.len;
			v = td_str_make(d, v.len);
		}
		st->fields[n] = (struct td_field){ st->names[n], v };
		n++;
	}
	if (n != st->ncols || extra) {
		td_parse_diag(ctx, TD_DIAG_WARNING, pos, lineno,
			      "w3c: %zu values for %zu fields; kept as text: '%.*s'", n + extra,
			      st->ncols, td_str_pfmt(td_str_slice(line, 0, 60)));
		return td_emit_line(ctx, c, line, lineno, &st->record);
	}
	struct td_event ev = {
		.line = lineno,
		.line_end = lineno,
		.record = ++st->record,
		.offset = pos,
		.fields = st->fields,
		.nfields = n,
		.provider = td_str_make(st->software, st->software_len),
		.host = field(st->fields, n, "s-computername"),
		.level = request_level(st->fields, n),
	};
	if (!ev.provider.len)
		ev.provider = TD_STR_LIT("W3C");
	if (!request_time(st, st->fields, n, &ev.time) &&
	    (field(st->fields, n, "time").len || field(st->fields, n, "date").len))
		td_parse_diag(ctx, TD_DIAG_WARNING, pos, lineno,
			      "w3c: unreadable date or time '%.*s %.*s'",
			      td_str_pfmt(td_str_slice(field(st->fields, n, "date"), 0, 20)),
			      td_str_pfmt(td_str_slice(field(st->fields, n, "time"), 0, 20)));
	summary(&st->msg, st->fields, n, line);
	ev.message = td_buf_str(&st->msg);
	return td_emit(ctx, &ev);
}

static int w3c_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		    size_t *consumed)
{
	struct w3c_state *st = state;
	struct td_str rest = td_str_make(c->p, c->len), line;
	bool term;
	uint64_t lineno = c->line;
	*consumed = 0;
	while (td_next_line(&rest, &line, &term)) {
		if (!term && !c->eof && !c->force)
			break;
		struct td_str t = td_str_trim(line);
		int rc = TD_OK;
		if (t.len && t.p[0] == '#') {
			if (is_fields_line(t))
				rc = set_fields(st, ctx, c, t, lineno);
			else
				directive(st, t);
		} else if (t.len) {
			rc = request(st, ctx, c, t, lineno);
		}
		if (rc)
			return rc;
		*consumed = c->len - rest.len;
		lineno++;
	}
	ctx->next_line = lineno;
	return TD_OK;
}

const struct td_text_parser td_parser_w3c = {
	.format = TD_FMT_W3C,
	.name = "w3c",
	.probe = w3c_probe,
	.state_size = sizeof(struct w3c_state),
	.init = w3c_init,
	.feed = w3c_feed,
	.release = w3c_release,
};
