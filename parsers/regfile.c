/* Registry exports: regedit / `reg export` files ("Windows Registry Editor
 * Version 5.00", usually UTF-16LE; "REGEDIT4") and `reg query` output.
 *
 * One event per value: the fields "key", "value" (the name; "" for the
 * default value), "type" (REG_DWORD, REG_SZ, ...), "data" (DWORD and QWORD
 * in decimal, strings unescaped, REG_MULTI_SZ items one per line, binary in
 * hex) and "deleted" = "true" for "name"=- and [-key] lines.  The protocol
 * bit masks of WinHTTP's DefaultSecureProtocols and WinINet's SecureProtocols
 * are also decoded into "protocols" ("TLS 1.1, TLS 1.2"; kb/REGISTRY.md 7).  The message
 * reads "key\name = data (type)".  Continuation lines (a trailing '\') are
 * joined; the event's line is the value's first line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "eventexport.h"
#include "lines.h"
#include "parser.h"

#define KEY_MAX 2048

struct rg_state {
	struct td_export x;
	char key[KEY_MAX];
	size_t key_len;
	bool reg_query;
};

static int rg_probe(struct td_str head)
{
	struct td_str rest = head, l;
	bool term;
	int lines = 0, hk = 0, vals = 0;
	while (lines < 60 && td_next_line(&rest, &l, &term)) {
		struct td_str t = td_str_trim(l);
		if (!t.len)
			continue;
		if (lines++ == 0 && (td_str_starts_with(t, "Windows Registry Editor Version") ||
				     td_str_eq_cstr(t, "REGEDIT4")))
			return 98;
		if (td_str_starts_with(t, "HKEY_"))
			hk++;
		else if (l.len > 4 && l.p[0] == ' ' && td_str_find(l, TD_STR_LIT("    REG_")) >= 0)
			vals++;
	}
	return hk && vals ? 90 : 0;
}

static int rg_init(void *state, struct td_parse_ctx *ctx)
{
	struct rg_state *st = state;
	td_export_init(&st->x);
	return TD_OK;
}

static void rg_release(void *state)
{
	struct rg_state *st = state;
	td_export_release(&st->x);
}

static void set_key(struct rg_state *st, struct td_str k)
{
	st->key_len = k.len < KEY_MAX ? k.len : KEY_MAX;
	memcpy(st->key, k.p, st->key_len);
}

/* "text with \" and \\" -> its value; *end after the closing quote. */
static struct td_str unquote(struct td_arena *a, struct td_str s, size_t *end)
{
	char *out = td_arena_alloc(a, s.len + 1);
	size_t n = 0, i = 1;
	for (; out && i < s.len && s.p[i] != '"'; i++) {
		if (s.p[i] == '\\' && i + 1 < s.len)
			i++;
		out[n++] = s.p[i];
	}
	*end = i < s.len ? i + 1 : s.len;
	if (!out)
		return td_str_make(NULL, 0);
	out[n] = '\0';
	return td_str_make(out, n);
}

/* "hex(7):41,00,..." bytes; *count set. */
static unsigned char *hex_list(struct td_arena *a, struct td_str s, size_t *count)
{
	unsigned char *b = td_arena_alloc(a, s.len / 2 + 1);
	*count = 0;
	for (size_t i = 0; b && i + 1 < s.len + 1;) {
		while (i < s.len && (s.p[i] == ',' || s.p[i] == ' ' || s.p[i] == '\\' ||
				     s.p[i] == '\r' || s.p[i] == '\n'))
			i++;
		if (i + 1 >= s.len + 1 || !td_is_xdigit((unsigned char)s.p[i]))
			break;
		uint64_t v;
		size_t d = td_str_parse_hex(td_str_slice(s, i, s.len), 2, &v);
		if (!d)
			break;
		b[(*count)++] = (unsigned char)v;
		i += d;
	}
	return b;
}

/* UTF-16LE bytes as UTF-8; multi-string items (NUL-separated) one per line. */
static struct td_str utf16_items(struct td_arena *a, const unsigned char *b, size_t n)
{
	char *out = td_arena_alloc(a, n * 2 + 8);
	if (!out)
		return td_str_make(NULL, 0);
	size_t o = 0, start = 0;
	for (size_t i = 0; i + 1 < n + 1; i += 2) {
		bool end = i + 1 >= n || (b[i] == 0 && b[i + 1] == 0);
		if (!end)
			continue;
		if (i > start) {
			size_t iu, ou;
			if (o)
				out[o++] = '\n';
			td_decode(TD_ENC_UTF16LE, td_bytes_make(b + start, i - start), true, out + o,
				  n * 2 + 8 - o, &iu, &ou);
			o += ou;
		}
		start = i + 2;
		if (i + 1 >= n)
			break;
	}
	out[o] = '\0';
	return td_str_make(out, o);
}

static struct td_str decimal(struct td_arena *a, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	return td_arena_strdup(a, td_str_make(tmp, n > 0 ? (size_t)n : 0));
}

/* "SSL 3.0, TLS 1.0" for a WinHTTP/WinINet protocol mask; NULL when the
 * value is not one. */
static struct td_str protocol_names(struct td_arena *a, struct td_str name, struct td_str type,
				    struct td_str data)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = {
		{ 0x8, "SSL 2.0" },   { 0x20, "SSL 3.0" },  { 0x80, "TLS 1.0" },
		{ 0x200, "TLS 1.1" }, { 0x800, "TLS 1.2" }, { 0x2000, "TLS 1.3" },
	};
	uint64_t v;
	if ((!td_str_ieq_cstr(name, "DefaultSecureProtocols") &&
	     !td_str_ieq_cstr(name, "SecureProtocols")) ||
	    !td_str_eq_cstr(type, "REG_DWORD") || !data.len ||
	    td_str_parse_udec(data, 10, &v) != data.len)
		return td_str_make(NULL, 0);
	char tmp[128];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (v & bits[i].bit)
			n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s%s", n ? ", " : "",
					      bits[i].name);
	if (!n)
		n = (size_t)snprintf(tmp, sizeof(tmp), "none");
	return td_arena_strdup(a, td_str_make(tmp, n));
}

/* Whether the key ends with end, ignoring case. */
static bool key_ends_with(struct td_str key, const char *end)
{
	size_t n = strlen(end);
	return key.len >= n &&
	       td_str_ieq(td_str_slice(key, key.len - n, key.len), td_str_make(end, n));
}

/* Values that describe the machine become facts ("fact.windows.currentbuild",
 * "fact.dotnet.release", "fact.sql_client.snac11"), shown with the diagnosis
 * and used by its checks.  Keys match by their end, case-insensitively, so
 * HKLM\ and HKEY_LOCAL_MACHINE\, SOFTWARE\ and SOFTWARE\Wow6432Node\ all
 * count; value names match case-insensitively too.  A fact name ending in
 * '.' is a prefix for the lowercased value name.  *fact and *value are set
 * (value: the data, or the value's name where the name is the fact). */
static bool machine_fact(struct td_arena *a, struct td_str key, struct td_str name,
			 struct td_str data, struct td_str *fact, struct td_str *value)
{
	static const struct {
		const char *key_end, *values, *fact;
	} facts[] = {
		{ "\\Microsoft\\Windows NT\\CurrentVersion",
		  "|productname|currentbuild|currentbuildnumber|ubr|displayversion|releaseid|"
		  "currentversion|editionid|installationtype|",
		  "fact.windows." },
		{ "\\NET Framework Setup\\NDP\\v4\\Full", "|release|version|", "fact.dotnet." },
		/* SQL Server Native Client: KB3135244 reads CurrentVersion\Version;
		 * the ConfigMgr prerequisite check reads SQLNCLI11\InstalledVersion. */
		{ "\\Microsoft SQL Server\\SQLNCLI11\\CurrentVersion", "|version|",
		  "fact.sql_client.snac11" },
		{ "\\Microsoft\\SQLNCLI11", "|installedversion|", "fact.sql_client.snac11" },
		{ "\\Microsoft SQL Server Native Client 11.0\\CurrentVersion", "|version|",
		  "fact.sql_client.snac11" },
		{ "\\Microsoft SQL Server\\SQLNCLI10\\CurrentVersion", "|version|",
		  "fact.sql_client.snac10" },
		{ "\\Microsoft\\MSOLEDBSQL", "|installedversion|", "fact.sql_client.msoledbsql" },
		{ "\\Microsoft\\MSOLEDBSQL19", "|installedversion|", "fact.sql_client.msoledbsql" },
		{ "\\Microsoft\\MSODBCSQL18", "|installedversion|", "fact.sql_client.msodbcsql" },
		{ "\\Microsoft\\MSODBCSQL17", "|installedversion|", "fact.sql_client.msodbcsql" },
		{ "\\Microsoft\\MSODBCSQL13", "|installedversion|", "fact.sql_client.msodbcsql" },
		{ "\\Microsoft\\MSODBCSQL11", "|installedversion|", "fact.sql_client.msodbcsql" },
	};
	while (key.len && key.p[key.len - 1] == '\\')
		key.len--;
	/* ODBCINST.INI\ODBC Drivers lists each installed driver as a value
	 * named after it with the data "Installed". */
	if (key_ends_with(key, "\\ODBC\\ODBCINST.INI\\ODBC Drivers")) {
		if (!td_str_ieq_cstr(td_str_trim(data), "Installed") ||
		    (td_str_ifind(name, TD_STR_LIT("SQL Server")) < 0 &&
		     td_str_ifind(name, TD_STR_LIT("SQL Native Client")) < 0))
			return false;
		*fact = TD_STR_LIT("fact.sql_client.odbc_driver");
		*value = name;
		return true;
	}
	if (!name.len || name.len > 40 || td_str_find_char(name, '|') >= 0)
		return false;
	char probe[48];
	int pn = snprintf(probe, sizeof(probe), "|%.*s|", td_str_pfmt(name));
	for (int k = 0; k < pn; k++)
		probe[k] = (char)td_ascii_lower((unsigned char)probe[k]);
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		if (!key_ends_with(key, facts[i].key_end) || !strstr(facts[i].values, probe))
			continue;
		size_t fl = strlen(facts[i].fact);
		*value = data;
		if (facts[i].fact[fl - 1] != '.') {
			*fact = td_str_make(facts[i].fact, fl);
			return true;
		}
		char out[64];
		int n = snprintf(out, sizeof(out), "%s%.*s", facts[i].fact, td_str_pfmt(name));
		for (int k = (int)fl; k < n; k++)
			out[k] = (char)td_ascii_lower((unsigned char)out[k]);
		*fact = td_arena_strdup(a, td_str_make(out, (size_t)n));
		return true;
	}
	return false;
}

static int emit_value(struct rg_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		      uint64_t line, uint64_t line_end, size_t off, struct td_str name,
		      const char *type, struct td_str data, bool deleted)
{
	struct td_export *x = &st->x;
	x->fields.n = 0;
	struct td_str key = td_str_make(st->key, st->key_len);
	int rc = td_xfields_add(&x->fields, TD_STR_LIT("key"), key);
	if (!rc)
		rc = td_xfields_add(&x->fields, TD_STR_LIT("value"), name);
	if (!rc)
		rc = td_xfields_add(&x->fields, TD_STR_LIT("type"), td_str_cstr(type));
	if (!rc)
		rc = td_xfields_add(&x->fields, TD_STR_LIT("data"), data);
	if (!rc && deleted)
		rc = td_xfields_add(&x->fields, TD_STR_LIT("deleted"), TD_STR_LIT("true"));
	struct td_str fact, fact_value;
	if (!rc && !deleted && machine_fact(&x->arena, key, name, data, &fact, &fact_value) &&
	    fact_value.len)
		rc = fact.p ? td_xfields_add(&x->fields, fact, fact_value) : TD_E_NOMEM;
	struct td_str protocols = protocol_names(&x->arena, name, td_str_cstr(type), data);
	if (!rc && protocols.p)
		rc = td_xfields_add(&x->fields, TD_STR_LIT("protocols"), protocols);
	if (rc)
		return rc;
	size_t cap = key.len + name.len + data.len + 64;
	char *m = td_arena_alloc(&x->arena, cap);
	if (!m)
		return TD_E_NOMEM;
	int n = deleted && !strcmp(type, "KEY")
			? snprintf(m, cap, "%.*s deleted", td_str_pfmt(key))
		: deleted ? snprintf(m, cap, "%.*s\\%.*s deleted", td_str_pfmt(key), td_str_pfmt(name))
			: snprintf(m, cap, "%.*s\\%.*s = %.*s (%s)", td_str_pfmt(key),
				   td_str_pfmt(name), td_str_pfmt(data), type);
	struct td_event ev = { .line = line, .line_end = line_end, .offset = c->pos + off,
			       .provider = TD_STR_LIT("registry"),
			       .message = td_str_make(m, n > 0 ? (size_t)n : 0),
			       .fields = x->fields.items, .nfields = x->fields.n,
			       .record = ++x->record };
	return td_emit(ctx, &ev);
}

/* One logical line of a .reg file (continuations joined). */
static int reg_line(struct rg_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		    struct td_str l, uint64_t line, uint64_t line_end, size_t off)
{
	struct td_arena *a = &st->x.arena;
	struct td_str t = td_str_trim(l);
	if (!t.len || t.p[0] == ';' || td_str_starts_with(t, "Windows Registry Editor") ||
	    td_str_eq_cstr(t, "REGEDIT4"))
		return TD_OK;
	if (t.p[0] == '[') {
		ptrdiff_t close = td_str_find_char(t, ']');
		if (close < 0) {
			/* Not a key: damage or garbage, kept so nothing is lost. */
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + off, line,
				      "registry: key without ']'; kept as text");
			return td_emit_line(ctx, c, l, line, &st->x.record);
		}
		struct td_str k = td_str_slice(t, 1, (size_t)close);
		bool deleted = k.len && k.p[0] == '-';
		set_key(st, deleted ? td_str_slice(k, 1, k.len) : k);
		if ((size_t)close + 1 < t.len) {
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + off, line,
				      "registry: text after the key's ']'; kept as text");
			int rc = td_emit_line(ctx, c, l, line, &st->x.record);
			if (rc)
				return rc;
		}
		if (deleted)
			return emit_value(st, ctx, c, line, line_end, off, td_str_make("", 0), "KEY",
					  td_str_make("", 0), true);
		return TD_OK;
	}
	struct td_str name;
	size_t i = 0;
	if (t.p[0] == '@') {
		name = td_str_make("", 0);
		i = 1;
	} else if (t.p[0] == '"') {
		name = unquote(a, t, &i);
	} else {
		td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + off, line,
			      "registry: line is not a key or a value; kept as text");
		return td_emit_line(ctx, c, l, line, &st->x.record);
	}
	while (i < t.len && t.p[i] == ' ')
		i++;
	if (i >= t.len || t.p[i] != '=') {
		td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + off, line,
			      "registry: value without '='; kept as text");
		return td_emit_line(ctx, c, l, line, &st->x.record);
	}
	struct td_str v = td_str_trim(td_str_slice(t, i + 1, t.len));
	if (td_str_eq_cstr(v, "-"))
		return emit_value(st, ctx, c, line, line_end, off, name, "NONE", td_str_make("", 0),
				  true);
	if (v.len && v.p[0] == '"') {
		size_t e;
		return emit_value(st, ctx, c, line, line_end, off, name, "REG_SZ", unquote(a, v, &e),
				  false);
	}
	if (td_str_starts_with(v, "dword:")) {
		uint64_t d = 0;
		td_str_parse_hex(td_str_slice(v, 6, v.len), 8, &d);
		return emit_value(st, ctx, c, line, line_end, off, name, "REG_DWORD",
				  decimal(a, d), false);
	}
	if (td_str_starts_with(v, "hex")) {
		ptrdiff_t colon = td_str_find_char(v, ':');
		struct td_str kind = td_str_slice(v, 3, colon > 0 ? (size_t)colon : 3);
		size_t n;
		unsigned char *b = hex_list(a, td_str_slice(v, colon > 0 ? (size_t)colon + 1 : v.len,
							   v.len), &n);
		if (!b)
			return TD_E_NOMEM;
		if (td_str_eq_cstr(kind, "(b)")) {
			uint64_t q = 0;
			for (size_t k = n < 8 ? n : 8; k-- > 0;)
				q = q << 8 | b[k];
			return emit_value(st, ctx, c, line, line_end, off, name, "REG_QWORD",
					  decimal(a, q), false);
		}
		if (td_str_eq_cstr(kind, "(7)") || td_str_eq_cstr(kind, "(2)"))
			return emit_value(st, ctx, c, line, line_end, off, name,
					  kind.p[1] == '7' ? "REG_MULTI_SZ" : "REG_EXPAND_SZ",
					  utf16_items(a, b, n), false);
		if (td_str_eq_cstr(kind, "(4)") && n >= 4)
			return emit_value(st, ctx, c, line, line_end, off, name, "REG_DWORD",
					  decimal(a,
						  (uint64_t)b[0] | (uint64_t)b[1] << 8 |
							  (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24),
					  false);
		char *h = td_arena_alloc(a, n * 2 + 1);
		if (!h)
			return TD_E_NOMEM;
		for (size_t k = 0; k < n; k++)
			snprintf(h + 2 * k, 3, "%02X", b[k]);
		h[2 * n] = '\0';
		return emit_value(st, ctx, c, line, line_end, off, name,
				  kind.len ? "REG_BINARY_TYPED" : "REG_BINARY", td_str_make(h, 2 * n),
				  false);
	}
	td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + off, line,
		      "registry: value of unknown form; kept as text");
	return td_emit_line(ctx, c, l, line, &st->x.record);
}

/* One line of `reg query` output: a key, or "    Name    REG_TYPE    data". */
static int query_line(struct rg_state *st, struct td_parse_ctx *ctx, const struct td_chunk *c,
		      struct td_str l, uint64_t line, size_t off)
{
	struct td_str t = td_str_trim(l);
	if (!t.len)
		return TD_OK;
	if (td_str_starts_with(t, "HKEY_") && l.p[0] != ' ') {
		set_key(st, t);
		return TD_OK;
	}
	ptrdiff_t at = td_str_find(t, TD_STR_LIT("    REG_"));
	if (at < 0 || l.p[0] != ' ')
		return td_emit_line(ctx, c, l, line, &st->x.record);
	struct td_str name = td_str_slice(t, 0, (size_t)at);
	if (td_str_eq_cstr(name, "(Default)"))
		name = td_str_make("", 0);
	struct td_str rest = td_str_slice(t, (size_t)at + 4, t.len);
	ptrdiff_t sp = td_str_find(rest, TD_STR_LIT("    "));
	struct td_str type = sp < 0 ? rest : td_str_slice(rest, 0, (size_t)sp);
	struct td_str data = sp < 0 ? td_str_make("", 0) : td_str_trim(td_str_slice(rest, (size_t)sp, rest.len));
	char tbuf[32];
	snprintf(tbuf, sizeof(tbuf), "%.*s", td_str_pfmt(td_str_slice(type, 0, 30)));
	uint64_t v;
	if ((td_str_eq_cstr(type, "REG_DWORD") || td_str_eq_cstr(type, "REG_QWORD")) &&
	    td_str_starts_with(data, "0x") && data.len > 2 &&
	    td_str_parse_hex(td_str_slice(data, 2, data.len), 16, &v) == data.len - 2)
		data = decimal(&st->x.arena, v);
	if (td_str_eq_cstr(type, "REG_MULTI_SZ")) {
		/* reg query writes the items separated by "\0". */
		char *m = td_arena_alloc(&st->x.arena, data.len + 1);
		size_t n = 0;
		for (size_t i = 0; m && i < data.len; i++) {
			if (data.p[i] == '\\' && i + 1 < data.len && data.p[i + 1] == '0') {
				m[n++] = '\n';
				i++;
			} else {
				m[n++] = data.p[i];
			}
		}
		if (m)
			data = td_str_make(m, n);
	}
	return emit_value(st, ctx, c, line, line, off, name, tbuf, data, false);
}

static int rg_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		   size_t *consumed)
{
	struct rg_state *st = state;
	bool finish = c->eof || c->force;
	struct td_str rest = td_str_make(c->p, c->len), l;
	bool term;
	uint64_t line = c->line;
	*consumed = 0;
	if (c->line == 1 && !st->key_len)
		st->reg_query = rg_probe(rest) == 90;
	for (;;) {
		const char *at = rest.p;
		if (!td_next_line(&rest, &l, &term) || (!term && !finish))
			break;
		td_arena_reset(&st->x.arena);
		uint64_t first = line++;
		struct td_str logical = l;
		/* .reg continuation lines: a value ending in '\' goes on. */
		if (!st->reg_query) {
			struct td_str tl = td_str_trim(l);
			bool more = tl.len && tl.p[tl.len - 1] == '\\' && tl.p[0] != '[';
			struct td_str peek = rest, nl;
			while (more) {
				if (!td_next_line(&peek, &nl, &term) || (!term && !finish)) {
					if (!finish)
						return TD_OK; /* wait for the rest of the value */
					break;
				}
				line++;
				logical = td_str_make(l.p, (size_t)(nl.p + nl.len - l.p));
				struct td_str tn = td_str_trim(nl);
				more = tn.len && tn.p[tn.len - 1] == '\\';
				rest = peek;
			}
		}
		int rc = st->reg_query ? query_line(st, ctx, c, logical, first, (size_t)(at - c->p))
				       : reg_line(st, ctx, c, logical, first, line - 1,
						  (size_t)(at - c->p));
		if (rc)
			return rc;
		*consumed = (size_t)(rest.p - c->p);
	}
	return TD_OK;
}

const struct td_text_parser td_parser_registry = {
	.format = TD_FMT_REGISTRY,
	.name = "registry",
	.probe = rg_probe,
	.state_size = sizeof(struct rg_state),
	.init = rg_init,
	.feed = rg_feed,
	.release = rg_release,
};
