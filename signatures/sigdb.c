/* Loading and validating the signature database (see sigdb.h). */
#include "sigdb.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "buf.h"
#include "grow.h"

/* Shortest literal accepted as a prefilter: shorter ones would let almost
 * every event through to the regex engine. */
#define TD_MIN_LITERAL 4
/* Database documents are small; refuse anything absurd. */
#define TD_MAX_DBFILE ((size_t)16 << 20)

struct loader {
	struct td_sigdb *db;
	struct td_err *err;
	int rc;
	const char *file;
	/* Raw cross-references, resolved after every document is read. */
	struct pending {
		size_t owner;  /* index of the signature or remedy (arrays move) */
		int is_remedy; /* owner kind */
		int what;      /* 0 remedy id, 1 reference key, 2 supersedes id,
				* 3 confirmed-by id, 4 peer id */
		char *name;
		int line;
		char *when;    /* remedy condition, or NULL */
	} *pend;
	size_t npend, cappend;
	pcre2_compile_context *cctx;
};

static int fail(struct loader *L, int line, const char *id, const char *fmt, ...)
	TD_PRINTF(4, 5);

static int fail(struct loader *L, int line, const char *id, const char *fmt, ...)
{
	if (L->rc)
		return L->rc;
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (id)
		td_err_set(L->err, TD_E_RULE, "%s:%d: signature '%s': %s", L->file, line, id, why);
	else
		td_err_set(L->err, TD_E_RULE, "%s:%d: %s", L->file, line, why);
	L->rc = TD_E_RULE;
	return L->rc;
}

static int nomem(struct loader *L)
{
	if (!L->rc)
		L->rc = td_err_set(L->err, TD_E_NOMEM, "%s: out of memory", L->file);
	return L->rc;
}

static char *dup_or_null(struct loader *L, const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		nomem(L);
	return d;
}

static char *attr(struct loader *L, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *d = dup_or_null(L, (const char *)v);
	xmlFree(v);
	return d;
}

static bool is_elem(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Text content with runs of whitespace collapsed to one space and the ends
 * trimmed (titles, causes, steps). */
static char *text_collapsed(struct loader *L, xmlNode *n)
{
	xmlChar *raw = xmlNodeGetContent(n);
	if (!raw)
		return dup_or_null(L, "");
	size_t len = strlen((const char *)raw), o = 0;
	char *out = malloc(len + 1);
	if (!out) {
		xmlFree(raw);
		nomem(L);
		return NULL;
	}
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		char c = (char)raw[i];
		if (td_is_space((unsigned char)c)) {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = c;
	}
	out[o] = '\0';
	xmlFree(raw);
	return out;
}

/* Text content with only the ends trimmed (patterns, examples). */
static char *text_trimmed(struct loader *L, xmlNode *n)
{
	xmlChar *raw = xmlNodeGetContent(n);
	if (!raw)
		return dup_or_null(L, "");
	struct td_str t = td_str_trim(td_str_cstr((const char *)raw));
	char *out = malloc(t.len + 1);
	if (out) {
		memcpy(out, t.p, t.len);
		out[t.len] = '\0';
	} else {
		nomem(L);
	}
	xmlFree(raw);
	return out;
}

/* File content for a step: blank first/last lines dropped and the common
 * indentation of the other lines removed. */
static char *text_dedented(struct loader *L, xmlNode *n)
{
	char *t = text_trimmed(L, n);
	if (!t)
		return NULL;
	/* The first line was trimmed; find the smallest indent of the others. */
	size_t min = SIZE_MAX;
	for (const char *p = strchr(t, '\n'); p; p = strchr(p + 1, '\n')) {
		size_t k = 0;
		while (p[1 + k] == ' ' || p[1 + k] == '\t')
			k++;
		if (p[1 + k] != '\n' && p[1 + k] != '\0' && k < min)
			min = k;
	}
	if (min == SIZE_MAX || min == 0)
		return t;
	size_t o = 0;
	for (size_t i = 0; t[i];) {
		t[o++] = t[i];
		if (t[i++] == '\n')
			for (size_t k = 0; k < min && (t[i] == ' ' || t[i] == '\t'); k++)
				i++;
	}
	t[o] = '\0';
	return t;
}

static void add_pending(struct loader *L, size_t owner, int is_remedy, int what, char *name,
			int line)
{
	if (!name || td_grow(&L->pend, &L->cappend, L->npend, sizeof(*L->pend))) {
		free(name);
		nomem(L);
		return;
	}
	L->pend[L->npend++] = (struct pending){ owner, is_remedy, what, name, line, NULL };
}

static bool parse_u32_code(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		unsigned long long v = strtoull(s + 2, &end, 16);
		if (*end || errno || v > UINT32_MAX)
			return false;
		*out = (uint32_t)v;
		return true;
	}
	long long v = strtoll(s, &end, 10);
	if (*end || errno || v < INT32_MIN || v > (long long)UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static pcre2_code *compile(struct loader *L, const char *src, bool caseless, int line,
			   const char *id, const char *what)
{
	int errcode;
	PCRE2_SIZE erroff;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NO_AUTO_CAPTURE |
			(caseless ? PCRE2_CASELESS : 0);
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts, &errcode,
				       &erroff, L->cctx);
	if (!re) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		fail(L, line, id, "%s: %s at offset %zu", what, (const char *)msg, (size_t)erroff);
		return NULL;
	}
	/* JIT is an optimisation: pcre2_match falls back to the interpreter.
	 * TLSDIAG_NO_JIT turns it off, for valgrind, which cannot follow JIT
	 * code (its vector loads past the subject look like invalid reads). */
	if (!getenv("TLSDIAG_NO_JIT") && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0)
		L->db->jit = true;
	return re;
}

static uint32_t formats_from_list(struct loader *L, const char *list, int line, const char *id)
{
	uint32_t mask = 0;
	char *copy = dup_or_null(L, list ? list : "text");
	if (!copy)
		return 0;
	for (char *tok = strtok(copy, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
		if (strcmp(tok, "any") == 0) {
			mask |= ~(uint32_t)0;
		} else if (strcmp(tok, "events") == 0) {
			mask |= 1u << TD_FMT_EVTX | 1u << TD_FMT_EVENTXML | 1u << TD_FMT_EVENTTEXT |
				1u << TD_FMT_EVENTCSV;
		} else if (strcmp(tok, "text") == 0) {
			mask |= 1u << TD_FMT_CMTRACE | 1u << TD_FMT_SMSTRACE | 1u << TD_FMT_ERRORLOG |
				1u << TD_FMT_APPTEXT | 1u << TD_FMT_PLAIN | 1u << TD_FMT_SVCLOG;
		} else {
			enum td_format f = td_format_from_name(td_str_cstr(tok));
			if (f == TD_FMT_UNKNOWN)
				fail(L, line, id, "unknown source kind '%s'", tok);
			mask |= 1u << f;
		}
	}
	free(copy);
	return mask;
}

/* Splits the literal attribute at '|' into lower-cased alternatives. */
static int split_literals(struct loader *L, struct td_signature *sig, struct td_cond *d)
{
	const char *p = d->literal;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len < TD_MIN_LITERAL)
			return fail(L, d->line, sig->id,
				    "literal alternative '%.*s' is shorter than %d bytes", (int)len, p,
				    TD_MIN_LITERAL);
		char **nl = realloc(d->literals, (d->nliterals + 1) * sizeof(*nl));
		char *lit = malloc(len + 1);
		if (nl)
			d->literals = nl;
		if (!nl || !lit) {
			free(lit);
			return nomem(L);
		}
		for (size_t i = 0; i < len; i++)
			lit[i] = (char)td_ascii_lower((unsigned char)p[i]);
		lit[len] = '\0';
		d->literals[d->nliterals++] = lit;
		if (!bar)
			return L->rc;
		p = bar + 1;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* <event ids="36887 36888" provider="^Schannel$"/> */
static int load_event_cond(struct loader *L, struct td_signature *sig, xmlNode *k,
			   struct td_cond *d)
{
	char *ids = attr(L, k, "ids");
	if (!ids)
		return fail(L, d->line, sig->id, "event condition without ids");
	for (char *tok = strtok(ids, " \t\n,"); tok; tok = strtok(NULL, " \t\n,")) {
		char *end;
		unsigned long v = strtoul(tok, &end, 10);
		if (*end || v > 65535) {
			fail(L, d->line, sig->id, "event id '%s' is not a number up to 65535", tok);
			break;
		}
		uint32_t *n = realloc(d->ids, (d->nids + 1) * sizeof(*n));
		if (!n) {
			nomem(L);
			break;
		}
		d->ids = n;
		d->ids[d->nids++] = (uint32_t)v;
	}
	free(ids);
	if (L->rc)
		return L->rc;
	if (!d->nids)
		return fail(L, d->line, sig->id, "event condition without ids");
	qsort(d->ids, d->nids, sizeof(*d->ids), cmp_u32);
	d->provider_src = attr(L, k, "provider");
	if (d->provider_src &&
	    !(d->provider = compile(L, d->provider_src, true, d->line, sig->id, "event provider")))
		return L->rc;
	return L->rc;
}

/* fields="AlertDesc=40;ErrorState=1205" of an example, split in place. */
static int load_example_fields(struct loader *L, struct td_signature *sig, struct td_example *e)
{
	size_t n = 1;
	for (const char *p = e->fields_buf; *p; p++)
		n += *p == ';';
	e->fields = calloc(n, sizeof(*e->fields));
	if (!e->fields)
		return nomem(L);
	for (char *item = strtok(e->fields_buf, ";"); item; item = strtok(NULL, ";")) {
		char *eq = strchr(item, '=');
		if (!eq)
			return fail(L, e->line, sig->id, "example field '%s' is not name=value", item);
		*eq = '\0';
		e->fields[e->nfields++] = (struct td_field){ td_str_cstr(item), td_str_cstr(eq + 1) };
	}
	return L->rc;
}

static int load_clause(struct loader *L, struct td_signature *sig, xmlNode *n, enum td_role role)
{
	struct td_clause *nc = realloc(sig->clauses, (sig->nclauses + 1) * sizeof(*nc));
	if (!nc)
		return nomem(L);
	sig->clauses = nc;
	struct td_clause *c = &nc[sig->nclauses++];
	memset(c, 0, sizeof(*c));
	c->role = role;
	c->line = xmlGetLineNo(n);
	for (xmlNode *k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		struct td_cond *conds = realloc(c->conds, (c->nconds + 1) * sizeof(*conds));
		if (!conds)
			return nomem(L);
		c->conds = conds;
		struct td_cond *d = &conds[c->nconds++];
		memset(d, 0, sizeof(*d));
		d->line = xmlGetLineNo(k);
		if (is_elem(k, "pattern")) {
			d->kind = TD_COND_PATTERN;
			d->regex = text_trimmed(L, k);
			d->field = attr(L, k, "field");
			if (!d->field)
				d->field = dup_or_null(L, "message");
			char *cs = attr(L, k, "case");
			bool caseless = !cs || strcmp(cs, "sensitive") != 0;
			free(cs);
			d->literal = attr(L, k, "literal");
			if (d->literal && split_literals(L, sig, d))
				return L->rc;
			if (!d->regex || !d->field)
				return nomem(L);
			d->re = compile(L, d->regex, caseless, d->line, sig->id, "pattern");
			if (!d->re)
				return L->rc;
		} else if (is_elem(k, "code")) {
			d->kind = TD_COND_CODE;
			char *v = attr(L, k, "value");
			bool ok = v && parse_u32_code(v, &d->code);
			if (!ok) {
				fail(L, d->line, sig->id, "code '%s' is not a 32-bit value", v ? v : "");
				free(v);
				return L->rc;
			}
			free(v);
			d->field = attr(L, k, "field");
			if (!d->field)
				d->field = dup_or_null(L, "message");
		} else if (is_elem(k, "event")) {
			d->kind = TD_COND_EVENT;
			d->field = dup_or_null(L, "message");
			if (load_event_cond(L, sig, k, d))
				return L->rc;
		}
	}
	/* Index by the event id, else by the code when there is one (its
	 * spellings are rarer than words), else by the first message pattern
	 * with a literal. */
	for (size_t i = 0; i < c->nconds && !c->key; i++)
		if (c->conds[i].kind == TD_COND_EVENT)
			c->key = &c->conds[i];
	for (size_t i = 0; i < c->nconds && !c->key; i++)
		if (c->conds[i].kind == TD_COND_CODE && strcmp(c->conds[i].field, "message") == 0)
			c->key = &c->conds[i];
	for (size_t i = 0; i < c->nconds && !c->key; i++)
		if (c->conds[i].kind == TD_COND_PATTERN && c->conds[i].nliterals &&
		    strcmp(c->conds[i].field, "message") == 0)
			c->key = &c->conds[i];
	/* Last, a code in a field (the ERRORLOG error number): such clauses
	 * are tried on every event that has the field. */
	for (size_t i = 0; i < c->nconds && !c->key; i++)
		if (c->conds[i].kind == TD_COND_CODE)
			c->key = &c->conds[i];
	return L->rc;
}

static int load_scope(struct loader *L, struct td_signature *sig, xmlNode *n)
{
	struct td_scope *ns = realloc(sig->scopes, (sig->nscopes + 1) * sizeof(*ns));
	if (!ns)
		return nomem(L);
	sig->scopes = ns;
	struct td_scope *s = &ns[sig->nscopes++];
	memset(s, 0, sizeof(*s));
	int line = xmlGetLineNo(n);
	char *sources = attr(L, n, "sources");
	s->formats = formats_from_list(L, sources, line, sig->id);
	free(sources);
	s->component_src = attr(L, n, "component");
	s->file_src = attr(L, n, "file");
	if (s->component_src &&
	    !(s->component = compile(L, s->component_src, true, line, sig->id, "scope component")))
		return L->rc;
	if (s->file_src && !(s->file = compile(L, s->file_src, true, line, sig->id, "scope file")))
		return L->rc;
	return L->rc;
}

static int load_example(struct loader *L, struct td_signature *sig, xmlNode *n, bool counter)
{
	struct td_example *ne = realloc(sig->examples, (sig->nexamples + 1) * sizeof(*ne));
	if (!ne)
		return nomem(L);
	sig->examples = ne;
	struct td_example *e = &ne[sig->nexamples++];
	memset(e, 0, sizeof(*e));
	e->counter = counter;
	e->line = xmlGetLineNo(n);
	e->text = text_trimmed(L, n);
	char *src = attr(L, n, "source");
	if (src) {
		e->format = td_format_from_name(td_str_cstr(src));
		if (e->format == TD_FMT_UNKNOWN)
			fail(L, e->line, sig->id, "example source '%s' is not a format", src);
		free(src);
	}
	e->component = attr(L, n, "component");
	e->file = attr(L, n, "file");
	char *id = attr(L, n, "event");
	if (id) {
		char *end;
		unsigned long v = strtoul(id, &end, 10);
		if (*end || v > 65535)
			fail(L, e->line, sig->id, "example event id '%s' is not a number", id);
		e->has_event_id = true;
		e->event_id = (uint32_t)v;
		free(id);
	}
	e->fields_buf = attr(L, n, "fields");
	if (e->fields_buf && !L->rc)
		load_example_fields(L, sig, e);
	return L->rc;
}

/* <fact name value>: the value's ${...} references must be closed and name
 * something. */
static int load_fact(struct loader *L, struct td_signature *sig, xmlNode *n)
{
	struct td_sigfact *nf = realloc(sig->facts, (sig->nfacts + 1) * sizeof(*nf));
	if (!nf)
		return nomem(L);
	sig->facts = nf;
	struct td_sigfact *f = &nf[sig->nfacts++];
	f->line = xmlGetLineNo(n);
	f->name = attr(L, n, "name");
	f->value = attr(L, n, "value");
	if (!f->name || !f->value)
		return nomem(L);
	for (const char *p = strstr(f->value, "${"); p; p = strstr(p, "${")) {
		const char *end = strchr(p, '}');
		if (!end || end == p + 2)
			return fail(L, f->line, sig->id, "fact '%s': value '%s' has an unclosed or "
				    "empty ${...}", f->name, f->value);
		p = end;
	}
	return L->rc;
}

static enum td_severity severity_from(const char *s)
{
	return strcmp(s, "error") == 0 ? TD_SEV_ERROR : strcmp(s, "warning") == 0 ? TD_SEV_WARNING
										: TD_SEV_INFO;
}

static enum td_confidence confidence_from(const char *s)
{
	if (!s)
		return TD_CONF_MEDIUM;
	return strcmp(s, "high") == 0 ? TD_CONF_HIGH : strcmp(s, "low") == 0 ? TD_CONF_LOW
									     : TD_CONF_MEDIUM;
}

static int load_signature(struct loader *L, xmlNode *n)
{
	struct td_sigdb *db = L->db;
	struct td_signature *ns = realloc(db->sigs, (db->nsigs + 1) * sizeof(*ns));
	if (!ns)
		return nomem(L);
	db->sigs = ns;
	struct td_signature *sig = &ns[db->nsigs++];
	memset(sig, 0, sizeof(*sig));
	sig->line = xmlGetLineNo(n);
	sig->file = dup_or_null(L, L->file);
	sig->id = attr(L, n, "id");
	sig->kb = attr(L, n, "kb");
	if (!sig->kb)
		sig->kb = dup_or_null(L, ""); /* not a kb entry */
	char *sev = attr(L, n, "severity"), *conf = attr(L, n, "confidence");
	char *comm = attr(L, n, "community");
	if (!sig->id || !sig->kb || !sev) {
		free(sev);
		free(conf);
		free(comm);
		return nomem(L);
	}
	sig->severity = severity_from(sev);
	sig->confidence = confidence_from(conf);
	sig->community = comm && (strcmp(comm, "true") == 0 || strcmp(comm, "1") == 0);
	sig->distinct = attr(L, n, "distinct");
	free(sev);
	free(conf);
	free(comm);
	for (size_t i = 0; i + 1 < db->nsigs; i++)
		if (strcmp(db->sigs[i].id, sig->id) == 0)
			return fail(L, sig->line, sig->id, "duplicate id (first defined in %s:%d)",
				    db->sigs[i].file, db->sigs[i].line);
	for (xmlNode *k = n->children; k && !L->rc; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		int line = xmlGetLineNo(k);
		if (is_elem(k, "title"))
			sig->title = text_collapsed(L, k);
		else if (is_elem(k, "cause"))
			sig->cause = text_collapsed(L, k);
		else if (is_elem(k, "evidence"))
			sig->evidence = text_collapsed(L, k);
		else if (is_elem(k, "scope"))
			load_scope(L, sig, k);
		else if (is_elem(k, "trigger"))
			load_clause(L, sig, k, TD_ROLE_TRIGGER);
		else if (is_elem(k, "support"))
			load_clause(L, sig, k, TD_ROLE_SUPPORT);
		else if (is_elem(k, "require"))
			load_clause(L, sig, k, TD_ROLE_REQUIRE);
		else if (is_elem(k, "unless"))
			load_clause(L, sig, k, TD_ROLE_UNLESS);
		else if (is_elem(k, "check")) {
			char *name = attr(L, k, "name");
			for (int c = 1; name && c < TD_CHECK_COUNT; c++)
				if (strcmp(name, td_check_names[c].name) == 0)
					sig->check = (enum td_check)c;
			free(name);
		} else if (is_elem(k, "supersedes"))
			add_pending(L, sig - L->db->sigs, 0, 2, attr(L, k, "ref"), line);
		else if (is_elem(k, "confirmed-by"))
			add_pending(L, sig - L->db->sigs, 0, 3, attr(L, k, "ref"), line);
		else if (is_elem(k, "peer"))
			add_pending(L, sig - L->db->sigs, 0, 4, attr(L, k, "ref"), line);
		else if (is_elem(k, "remedy")) {
			add_pending(L, sig - L->db->sigs, 0, 0, attr(L, k, "ref"), line);
			char *when = attr(L, k, "when");
			if (when && L->npend && L->pend[L->npend - 1].what == 0 &&
			    strchr(when, '=') && when[0] != '=')
				L->pend[L->npend - 1].when = when;
			else if (when) {
				fail(L, line, sig->id, "remedy condition '%s' is not Field=values", when);
				free(when);
			}
		}
		else if (is_elem(k, "ref"))
			add_pending(L, sig - L->db->sigs, 0, 1, attr(L, k, "key"), line);
		else if (is_elem(k, "fact"))
			load_fact(L, sig, k);
		else if (is_elem(k, "example"))
			load_example(L, sig, k, false);
		else if (is_elem(k, "counterexample"))
			load_example(L, sig, k, true);
	}
	if (L->rc)
		return L->rc;
	bool has_trigger = false;
	for (size_t i = 0; i < sig->nclauses; i++) {
		const struct td_clause *c = &sig->clauses[i];
		has_trigger |= c->role == TD_ROLE_TRIGGER;
		if (!c->key)
			return fail(L, c->line, sig->id,
				    "%s clause needs an event id, a message literal or a code to index "
				    "it",
				    td_role_name(c->role));
	}
	if (sig->nfacts && !has_trigger)
		return fail(L, sig->facts[0].line, sig->id, "facts need a trigger to set them");
	if (has_trigger) {
		bool pos = false, neg = false;
		for (size_t i = 0; i < sig->nexamples; i++) {
			pos |= !sig->examples[i].counter;
			neg |= sig->examples[i].counter;
		}
		if (!pos || !neg)
			return fail(L, sig->line, sig->id,
				    "needs at least one example and one counterexample");
	}
	return L->rc;
}

static enum td_step_kind step_kind_from(const char *s)
{
	static const char *const names[] = { "action", "update", "registry",
					     "file",   "restart", "check" };
	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum td_step_kind)i;
	return TD_STEP_ACTION;
}

static enum td_phase phase_from(const char *s)
{
	for (int p = TD_PHASE_INVESTIGATE; p <= TD_PHASE_LAST; p++)
		if (s && strcmp(s, td_phase_name((enum td_phase)p)) == 0)
			return (enum td_phase)p;
	return TD_PHASE_CLIENT;
}

/* The prose of a step: its own text nodes, without the child elements. */
static char *step_text(struct loader *L, xmlNode *n)
{
	struct td_buf b;
	td_buf_init(&b, 1 << 16);
	for (xmlNode *k = n->children; k; k = k->next)
		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content)
			if (td_buf_adds(&b, (const char *)k->content))
				nomem(L);
	/* Collapse whitespace in place. */
	size_t o = 0;
	bool space = false;
	for (size_t i = 0; i < b.len; i++) {
		if (td_is_space((unsigned char)b.p[i])) {
			space = o > 0;
			continue;
		}
		if (space)
			b.p[o++] = ' ';
		space = false;
		b.p[o++] = b.p[i];
	}
	td_buf_truncate(&b, o);
	return td_buf_detach(&b, NULL);
}

static int load_step(struct loader *L, struct td_remedy *r, xmlNode *n)
{
	struct td_step *ns = realloc(r->steps, (r->nsteps + 1) * sizeof(*ns));
	if (!ns)
		return nomem(L);
	r->steps = ns;
	struct td_step *s = &ns[r->nsteps++];
	memset(s, 0, sizeof(*s));
	char *kind = attr(L, n, "kind");
	s->kind = step_kind_from(kind);
	free(kind);
	s->kb = attr(L, n, "kb");
	s->path = attr(L, n, "path");
	s->text = step_text(L, n);
	for (xmlNode *k = n->children; k; k = k->next) {
		if (is_elem(k, "content")) {
			s->content = text_dedented(L, k);
		} else if (is_elem(k, "registry")) {
			struct td_regvalue *nv = realloc(s->values, (s->nvalues + 1) * sizeof(*nv));
			if (!nv)
				return nomem(L);
			s->values = nv;
			struct td_regvalue *v = &nv[s->nvalues++];
			v->key = attr(L, k, "key");
			v->name = attr(L, k, "name");
			v->type = attr(L, k, "type");
			v->data = attr(L, k, "data");
		}
	}
	if (s->kind == TD_STEP_REGISTRY && s->nvalues == 0)
		return fail(L, xmlGetLineNo(n), NULL, "remedy '%s': registry step without values",
			    r->id);
	if (s->kind == TD_STEP_FILE && (!s->path || !s->content))
		return fail(L, xmlGetLineNo(n), NULL, "remedy '%s': file step needs path and content",
			    r->id);
	return L->rc;
}

static int load_remedy(struct loader *L, xmlNode *n)
{
	struct td_sigdb *db = L->db;
	struct td_remedy *nr = realloc(db->remedies, (db->nremedies + 1) * sizeof(*nr));
	if (!nr)
		return nomem(L);
	db->remedies = nr;
	struct td_remedy *r = &nr[db->nremedies++];
	memset(r, 0, sizeof(*r));
	r->line = xmlGetLineNo(n);
	r->file = dup_or_null(L, L->file);
	r->id = attr(L, n, "id");
	char *phase = attr(L, n, "phase");
	r->phase = phase_from(phase);
	free(phase);
	if (!r->id)
		return nomem(L);
	for (size_t i = 0; i + 1 < db->nremedies; i++)
		if (strcmp(db->remedies[i].id, r->id) == 0)
			return fail(L, r->line, NULL, "remedy '%s': duplicate id", r->id);
	for (xmlNode *k = n->children; k && !L->rc; k = k->next) {
		if (is_elem(k, "title"))
			r->title = text_collapsed(L, k);
		else if (is_elem(k, "step"))
			load_step(L, r, k);
		else if (is_elem(k, "ref"))
			add_pending(L, r - L->db->remedies, 1, 1, attr(L, k, "key"), xmlGetLineNo(k));
	}
	return L->rc;
}

static int load_reference(struct loader *L, xmlNode *n)
{
	struct td_sigdb *db = L->db;
	struct td_reference *nr = realloc(db->refs, (db->nrefs + 1) * sizeof(*nr));
	if (!nr)
		return nomem(L);
	db->refs = nr;
	struct td_reference *r = &nr[db->nrefs++];
	memset(r, 0, sizeof(*r));
	r->key = attr(L, n, "key");
	r->url = attr(L, n, "url");
	r->title = text_collapsed(L, n);
	char *comm = attr(L, n, "community");
	r->community = comm && (strcmp(comm, "true") == 0 || strcmp(comm, "1") == 0);
	free(comm);
	if (!r->key)
		return nomem(L);
	for (size_t i = 0; i + 1 < db->nrefs; i++)
		if (strcmp(db->refs[i].key, r->key) == 0)
			return fail(L, xmlGetLineNo(n), NULL, "reference '%s': duplicate key", r->key);
	return L->rc;
}

static bool parse_build(const char *s, uint32_t out[4])
{
	memset(out, 0, 4 * sizeof(uint32_t));
	for (int i = 0; i < 4 && s && *s; i++) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s || v > UINT32_MAX)
			return false;
		out[i] = (uint32_t)v;
		s = *end == '.' ? end + 1 : end;
		if (*end && *end != '.')
			return false;
	}
	return true;
}

static int load_sql_builds(struct loader *L, xmlNode *n)
{
	struct td_sigdb *db = L->db;
	for (xmlNode *k = n->children; k && !L->rc; k = k->next) {
		int line = xmlGetLineNo(k);
		if (is_elem(k, "version")) {
			struct td_sql_version *nv =
				realloc(db->sql_versions, (db->nsql_versions + 1) * sizeof(*nv));
			if (!nv)
				return nomem(L);
			db->sql_versions = nv;
			struct td_sql_version *v = &nv[db->nsql_versions++];
			memset(v, 0, sizeof(*v));
			char *major = attr(L, k, "major"), *tls = attr(L, k, "tls12");
			uint32_t mm[4];
			if (!major || !parse_build(major, mm))
				fail(L, line, NULL, "sql-builds: bad major version '%s'",
				     major ? major : "");
			v->major = mm[0] * 100 + mm[1];
			free(major);
			v->tls12 = tls && strcmp(tls, "all") == 0 ? 1 : tls && strcmp(tls, "none") == 0 ? 0 : 2;
			free(tls);
			v->name = attr(L, k, "name");
			v->advice = attr(L, k, "advice");
			for (xmlNode *l = k->children; l && !L->rc; l = l->next) {
				if (!is_elem(l, "line"))
					continue;
				struct td_sql_line *nl = realloc(v->lines, (v->nlines + 1) * sizeof(*nl));
				if (!nl)
					return nomem(L);
				v->lines = nl;
				struct td_sql_line *sl = &nl[v->nlines++];
				memset(sl, 0, sizeof(*sl));
				sl->level = attr(L, l, "level");
				sl->branch = attr(L, l, "branch");
				sl->advice = attr(L, l, "advice");
				char *from = attr(L, l, "from"), *to = attr(L, l, "to");
				char *t12 = attr(L, l, "tls12");
				if (!parse_build(from, sl->from) || !parse_build(to, sl->to) ||
				    (t12 && !parse_build(t12, sl->tls12)))
					fail(L, xmlGetLineNo(l), NULL, "sql-builds: bad build number");
				sl->has_tls12 = t12 != NULL;
				free(from);
				free(to);
				free(t12);
			}
		} else if (is_elem(k, "affected")) {
			struct td_sql_affected *na =
				realloc(db->sql_affected, (db->nsql_affected + 1) * sizeof(*na));
			if (!na)
				return nomem(L);
			db->sql_affected = na;
			struct td_sql_affected *a = &na[db->nsql_affected++];
			char *b = attr(L, k, "build"), *f = attr(L, k, "fixed");
			if (!parse_build(b, a->build) || !parse_build(f, a->fixed))
				fail(L, line, NULL, "sql-builds: bad build number");
			free(b);
			free(f);
		}
	}
	return L->rc;
}

static void append_ptr(struct loader *L, const void ***arr, size_t *n, const void *p)
{
	const void **na = realloc(*arr, (*n + 1) * sizeof(*na));
	if (!na) {
		nomem(L);
		return;
	}
	na[(*n)++] = p;
	*arr = na;
}

/* Adds p to the peers of sig unless it is there already. */
static void add_peer(struct loader *L, struct td_signature *sig, const struct td_signature *p)
{
	for (size_t i = 0; i < sig->npeers; i++)
		if (sig->peers[i] == p)
			return;
	append_ptr(L, (const void ***)&sig->peers, &sig->npeers, p);
}

/* <peer ref>: both ends must be log signatures; the relation is made
 * symmetric here, so one side declaring it is enough. */
static int resolve_peer(struct loader *L, struct td_signature *sig, const struct pending *p)
{
	const struct td_signature *found = td_sigdb_find(L->db, p->name);
	if (!found)
		return fail(L, p->line, sig->id, "peer is an unknown signature '%s'", p->name);
	struct td_signature *s = &L->db->sigs[found - L->db->sigs];
	if (s == sig)
		return fail(L, p->line, sig->id, "peer of itself");
	if (!s->nclauses || !sig->nclauses)
		return fail(L, p->line, sig->id, "peer '%s': both ends must match log events",
			    p->name);
	add_peer(L, sig, s);
	add_peer(L, s, sig);
	return L->rc;
}

static int resolve(struct loader *L)
{
	struct td_sigdb *db = L->db;
	for (size_t i = 0; i < L->npend && !L->rc; i++) {
		struct pending *p = &L->pend[i];
		struct td_signature *sig = p->is_remedy ? NULL : &db->sigs[p->owner];
		struct td_remedy *rem = p->is_remedy ? &db->remedies[p->owner] : NULL;
		L->file = sig ? sig->file : rem->file;
		const char *owner_id = sig ? sig->id : NULL;
		if (p->what == 0) {
			const struct td_remedy *r = td_sigdb_find_remedy(db, p->name);
			if (!r)
				return fail(L, p->line, owner_id, "unknown remedy '%s'", p->name);
			size_t n = sig->nremedies;
			char **nw = realloc(sig->remedy_when, (n + 1) * sizeof(*nw));
			if (!nw)
				return nomem(L);
			sig->remedy_when = nw;
			nw[n] = p->when;
			p->when = NULL;
			append_ptr(L, (const void ***)&sig->remedies, &sig->nremedies, r);
		} else if (p->what == 1) {
			const struct td_reference *r = td_sigdb_find_ref(db, p->name);
			if (!r) {
				if (rem)
					return fail(L, p->line, NULL, "remedy '%s': unknown reference '%s'",
						    rem->id, p->name);
				return fail(L, p->line, owner_id, "unknown reference '%s'", p->name);
			}
			if (sig)
				append_ptr(L, (const void ***)&sig->refs, &sig->nrefs, r);
			else
				append_ptr(L, (const void ***)&rem->refs, &rem->nrefs, r);
		} else if (p->what == 2) {
			const struct td_signature *s = td_sigdb_find(db, p->name);
			if (!s)
				return fail(L, p->line, owner_id, "supersedes unknown signature '%s'",
					    p->name);
			if (s == sig)
				return fail(L, p->line, owner_id, "supersedes itself");
			append_ptr(L, (const void ***)&sig->supersedes, &sig->nsupersedes, s);
		} else if (p->what == 4) {
			if (resolve_peer(L, sig, p))
				return L->rc;
		} else {
			const struct td_signature *s = td_sigdb_find(db, p->name);
			if (!s)
				return fail(L, p->line, owner_id, "confirmed by unknown signature '%s'",
					    p->name);
			if (s->check == TD_CHECK_NONE && s->nclauses == 0)
				return fail(L, p->line, owner_id,
					    "confirmed by '%s', which can never fire", p->name);
			if (s == sig)
				return fail(L, p->line, owner_id, "confirmed by itself");
			append_ptr(L, (const void ***)&sig->confirmed_by, &sig->nconfirmed_by, s);
		}
	}
	for (size_t i = 0; i < db->nsigs; i++)
		db->sigs[i].index = i;
	return L->rc;
}

struct xml_errors {
	char first[256];
	int line;
	int count;
};

static void collect_xml_error(void *user, xmlErrorPtr e)
{
	struct xml_errors *xe = user;
	if (xe->count++ == 0 && e) {
		snprintf(xe->first, sizeof(xe->first), "%s", e->message ? e->message : "xml error");
		size_t n = strlen(xe->first);
		while (n && (xe->first[n - 1] == '\n' || xe->first[n - 1] == ' '))
			xe->first[--n] = '\0';
		xe->line = e->line;
	}
}

static const char *const explain_kinds[TD_EXPLAIN_KINDS] = {
	[TD_EXPLAIN_ALERT] = "alert",	      [TD_EXPLAIN_STATUS] = "status",
	[TD_EXPLAIN_WINHTTP] = "winhttp",     [TD_EXPLAIN_STATE] = "state",
	[TD_EXPLAIN_SECURE_FAILURE] = "secure-failure", [TD_EXPLAIN_PROTOCOL] = "protocol",
	[TD_EXPLAIN_CIPHER_SUITE] = "cipher-suite",
};

const char *td_explain_kind_name(enum td_explain_kind kind)
{
	return kind < TD_EXPLAIN_KINDS ? explain_kinds[kind] : "?";
}

/* <explain kind="alert" code="40" name="handshake_failure">text</explain> */
static int load_explain(struct loader *L, xmlNode *n)
{
	int line = xmlGetLineNo(n);
	char *kind = attr(L, n, "kind"), *code = attr(L, n, "code");
	struct td_explain x = { .kind = TD_EXPLAIN_KINDS };
	for (int k = 0; k < TD_EXPLAIN_KINDS && kind; k++)
		if (strcmp(kind, explain_kinds[k]) == 0)
			x.kind = (enum td_explain_kind)k;
	bool ok = x.kind != TD_EXPLAIN_KINDS && code && parse_u32_code(code, &x.code);
	if (!ok)
		fail(L, line, NULL, "explain: bad kind '%s' or code '%s'", kind ? kind : "",
		     code ? code : "");
	free(kind);
	free(code);
	if (!ok)
		return L->rc;
	x.name = attr(L, n, "name");
	x.text = text_trimmed(L, n);
	struct td_explain *nx = x.name && x.text
					? realloc(L->db->explains, (L->db->nexplains + 1) * sizeof(*nx))
					: NULL;
	if (!nx) {
		free(x.name);
		free(x.text);
		return nomem(L);
	}
	L->db->explains = nx;
	nx[L->db->nexplains++] = x;
	return L->rc;
}

static int explain_order(const void *pa, const void *pb)
{
	const struct td_explain *a = pa, *b = pb;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->code < b->code ? -1 : a->code > b->code;
}

const struct td_explain *td_sigdb_explain(const struct td_sigdb *db, enum td_explain_kind kind,
					  uint32_t code)
{
	struct td_explain key = { .kind = kind, .code = code };
	return bsearch(&key, db->explains, db->nexplains, sizeof(key), explain_order);
}

static int load_doc(struct loader *L, xmlSchemaValidCtxtPtr vctx, const char *data, size_t len,
		    const char *name)
{
	L->file = name;
	struct xml_errors xe = { { 0 }, 0, 0 };
	xmlSetStructuredErrorFunc(&xe, collect_xml_error);
	/* NONET: never fetch anything; no NOENT/DTDLOAD: no entity expansion. */
	xmlDocPtr doc = xmlReadMemory(data, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (!doc || xe.count) {
		xmlSetStructuredErrorFunc(NULL, NULL);
		if (doc)
			xmlFreeDoc(doc);
		return fail(L, xe.line, NULL, "not well-formed XML: %s", xe.count ? xe.first : "empty");
	}
	xmlSchemaSetValidStructuredErrors(vctx, collect_xml_error, &xe);
	int v = xmlSchemaValidateDoc(vctx, doc);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (v != 0) {
		xmlFreeDoc(doc);
		return fail(L, xe.line, NULL, "does not follow tlsdiag-signatures.xsd: %s",
			    xe.count ? xe.first : "invalid");
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	for (xmlNode *n = root->children; n && !L->rc; n = n->next) {
		if (is_elem(n, "signature"))
			load_signature(L, n);
		else if (is_elem(n, "remedy"))
			load_remedy(L, n);
		else if (is_elem(n, "reference"))
			load_reference(L, n);
		else if (is_elem(n, "sql-builds"))
			load_sql_builds(L, n);
		else if (is_elem(n, "explain"))
			load_explain(L, n);
	}
	xmlFreeDoc(doc);
	if (!L->rc) {
		char **nf = realloc(L->db->files, (L->db->nfiles + 1) * sizeof(*nf));
		if (!nf)
			return nomem(L);
		L->db->files = nf;
		nf[L->db->nfiles] = dup_or_null(L, name);
		L->db->nfiles++;
	}
	return L->rc;
}

static xmlSchemaPtr load_schema(const char *path, struct td_err *err)
{
	struct xml_errors xe = { { 0 }, 0, 0 };
	xmlSetStructuredErrorFunc(&xe, collect_xml_error);
	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(path);
	xmlSchemaPtr schema = pctx ? xmlSchemaParse(pctx) : NULL;
	if (pctx)
		xmlSchemaFreeParserCtxt(pctx);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!schema)
		td_err_set(err, TD_E_RULE, "%s: cannot load schema: %s", path,
			   xe.count ? xe.first : "unreadable");
	return schema;
}

int td_sigdb_load_memory(const char *const *docs, const size_t *lens, const char *const *names,
			 size_t ndocs, const char *schema_path, struct td_sigdb **out,
			 struct td_err *err)
{
	*out = NULL;
	xmlSchemaPtr schema = load_schema(schema_path, err);
	if (!schema)
		return TD_E_RULE;
	xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
	struct loader L = { .err = err };
	L.db = calloc(1, sizeof(*L.db));
	L.cctx = pcre2_compile_context_create(NULL);
	if (!vctx || !L.db || !L.cctx) {
		L.rc = td_err_set(err, TD_E_NOMEM, "out of memory loading signatures");
	}
	for (size_t i = 0; i < ndocs && !L.rc; i++) {
		if (lens[i] > TD_MAX_DBFILE) {
			L.file = names[i];
			fail(&L, 0, NULL, "database file larger than %zu bytes", TD_MAX_DBFILE);
			break;
		}
		load_doc(&L, vctx, docs[i], lens[i], names[i]);
	}
	if (!L.rc)
		resolve(&L);
	if (!L.rc && L.db->nexplains)
		qsort(L.db->explains, L.db->nexplains, sizeof(*L.db->explains), explain_order);
	for (size_t i = 0; i < L.npend; i++) {
		free(L.pend[i].name);
		free(L.pend[i].when);
	}
	free(L.pend);
	if (vctx)
		xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	pcre2_compile_context_free(L.cctx);
	if (L.rc) {
		td_sigdb_free(L.db);
		return L.rc;
	}
	*out = L.db;
	return TD_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int td_sigdb_load(const char *dir, const char *schema_path, struct td_sigdb **out,
		  struct td_err *err)
{
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return td_err_set(err, TD_E_IO, "cannot open signature directory '%s': %s", dir,
				  strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = TD_OK;
	for (struct dirent *e; (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0 || e->d_name[0] == '.')
			continue;
		char *path = malloc(strlen(dir) + len + 2);
		if (!path || td_grow(&names, &cap, n, sizeof(*names))) {
			free(path);
			rc = td_err_set(err, TD_E_NOMEM, "out of memory");
			break;
		}
		sprintf(path, "%s/%s", dir, e->d_name);
		names[n++] = path;
	}
	closedir(d);
	if (!rc && n == 0)
		rc = td_err_set(err, TD_E_RULE, "no *.xml signature files in '%s'", dir);
	qsort(names, n, sizeof(*names), by_name);
	char **docs = calloc(n + 1, sizeof(*docs));
	size_t *lens = calloc(n + 1, sizeof(*lens));
	if (!rc && (!docs || !lens))
		rc = td_err_set(err, TD_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n && !rc; i++) {
		FILE *f = fopen(names[i], "rb");
		if (!f) {
			rc = td_err_set(err, TD_E_IO, "cannot open '%s': %s", names[i], strerror(errno));
			break;
		}
		struct td_buf b;
		td_buf_init(&b, TD_MAX_DBFILE);
		char tmp[8192];
		size_t got;
		while (!rc && (got = fread(tmp, 1, sizeof(tmp), f)) > 0)
			if (td_buf_add(&b, tmp, got))
				rc = td_err_set(err, TD_E_RULE, "%s: larger than %zu bytes", names[i],
						TD_MAX_DBFILE);
		if (ferror(f) && !rc)
			rc = td_err_set(err, TD_E_IO, "cannot read '%s'", names[i]);
		fclose(f);
		docs[i] = td_buf_detach(&b, &lens[i]);
	}
	if (!rc) {
		char *schema_default = NULL;
		if (!schema_path) {
			schema_default = malloc(strlen(dir) + 32);
			if (schema_default)
				sprintf(schema_default, "%s/tlsdiag-signatures.xsd", dir);
			schema_path = schema_default;
		}
		if (!schema_path)
			rc = td_err_set(err, TD_E_NOMEM, "out of memory");
		else
			rc = td_sigdb_load_memory((const char *const *)docs, lens,
						  (const char *const *)names, n, schema_path, out, err);
		free(schema_default);
	}
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		if (docs)
			free(docs[i]);
	}
	free(names);
	free(docs);
	free(lens);
	return rc;
}

static void free_clause(struct td_clause *c)
{
	for (size_t i = 0; i < c->nconds; i++) {
		free(c->conds[i].field);
		free(c->conds[i].regex);
		free(c->conds[i].literal);
		for (size_t k = 0; k < c->conds[i].nliterals; k++)
			free(c->conds[i].literals[k]);
		free(c->conds[i].literals);
		pcre2_code_free(c->conds[i].re);
		free(c->conds[i].ids);
		free(c->conds[i].provider_src);
		pcre2_code_free(c->conds[i].provider);
	}
	free(c->conds);
}

void td_sigdb_free(struct td_sigdb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nexplains; i++) {
		free(db->explains[i].name);
		free(db->explains[i].text);
	}
	free(db->explains);
	for (size_t i = 0; i < db->nsigs; i++) {
		struct td_signature *s = &db->sigs[i];
		free(s->id);
		free(s->kb);
		free(s->distinct);
		free(s->title);
		free(s->cause);
		free(s->evidence);
		free(s->file);
		for (size_t k = 0; k < s->nscopes; k++) {
			free(s->scopes[k].component_src);
			free(s->scopes[k].file_src);
			pcre2_code_free(s->scopes[k].component);
			pcre2_code_free(s->scopes[k].file);
		}
		free(s->scopes);
		for (size_t k = 0; k < s->nclauses; k++)
			free_clause(&s->clauses[k]);
		free(s->clauses);
		free(s->supersedes);
		free(s->confirmed_by);
		free(s->peers);
		for (size_t k = 0; k < s->nremedies && s->remedy_when; k++)
			free(s->remedy_when[k]);
		free(s->remedy_when);
		free(s->remedies);
		free(s->refs);
		for (size_t k = 0; k < s->nexamples; k++) {
			free(s->examples[k].text);
			free(s->examples[k].component);
			free(s->examples[k].file);
			free(s->examples[k].fields_buf);
			free(s->examples[k].fields);
		}
		free(s->examples);
		for (size_t k = 0; k < s->nfacts; k++) {
			free(s->facts[k].name);
			free(s->facts[k].value);
		}
		free(s->facts);
	}
	free(db->sigs);
	for (size_t i = 0; i < db->nremedies; i++) {
		struct td_remedy *r = &db->remedies[i];
		free(r->id);
		free(r->title);
		free(r->file);
		for (size_t k = 0; k < r->nsteps; k++) {
			struct td_step *s = &r->steps[k];
			free(s->text);
			free(s->kb);
			free(s->path);
			free(s->content);
			for (size_t v = 0; v < s->nvalues; v++) {
				free(s->values[v].key);
				free(s->values[v].name);
				free(s->values[v].type);
				free(s->values[v].data);
			}
			free(s->values);
		}
		free(r->steps);
		free(r->refs);
	}
	free(db->remedies);
	for (size_t i = 0; i < db->nrefs; i++) {
		free(db->refs[i].key);
		free(db->refs[i].title);
		free(db->refs[i].url);
	}
	free(db->refs);
	for (size_t i = 0; i < db->nsql_versions; i++) {
		struct td_sql_version *v = &db->sql_versions[i];
		free(v->name);
		free(v->advice);
		for (size_t k = 0; k < v->nlines; k++) {
			free(v->lines[k].level);
			free(v->lines[k].branch);
			free(v->lines[k].advice);
		}
		free(v->lines);
	}
	free(db->sql_versions);
	free(db->sql_affected);
	for (size_t i = 0; i < db->nfiles; i++)
		free(db->files[i]);
	free(db->files);
	free(db);
}

const struct td_signature *td_sigdb_find(const struct td_sigdb *db, const char *id)
{
	for (size_t i = 0; i < db->nsigs; i++)
		if (strcmp(db->sigs[i].id, id) == 0)
			return &db->sigs[i];
	return NULL;
}

const struct td_remedy *td_sigdb_find_remedy(const struct td_sigdb *db, const char *id)
{
	for (size_t i = 0; i < db->nremedies; i++)
		if (strcmp(db->remedies[i].id, id) == 0)
			return &db->remedies[i];
	return NULL;
}

const struct td_reference *td_sigdb_find_ref(const struct td_sigdb *db, const char *key)
{
	for (size_t i = 0; i < db->nrefs; i++)
		if (strcmp(db->refs[i].key, key) == 0)
			return &db->refs[i];
	return NULL;
}

static bool re_matches(pcre2_code *re, struct td_str s, pcre2_match_data *md)
{
	pcre2_match_data *own = md ? NULL : pcre2_match_data_create(1, NULL);
	if (!md && !own)
		return false;
	int rc = pcre2_match(re, (PCRE2_SPTR)(s.p ? s.p : ""), s.len, 0, 0, md ? md : own, NULL);
	pcre2_match_data_free(own);
	return rc >= 0;
}

/* What a signature without a <scope> reads: every format but binary input,
 * the registry and W3C request logs.  Registry values are configuration,
 * not logs: only signatures that name the registry read them (a DWORD of
 * 12044 is no WinHTTP error).  A W3C line is a request record full of
 * numbers (time-taken, bytes, ports) that are no error codes: only
 * signatures that name w3c read it. */
static bool unscoped_reads(enum td_format fmt)
{
	return fmt != TD_FMT_BINARY && fmt != TD_FMT_UNKNOWN && fmt != TD_FMT_REGISTRY &&
	       fmt != TD_FMT_W3C;
}

bool td_signature_in_scope(const struct td_signature *sig, enum td_format fmt,
			   struct td_str component, struct td_str path, pcre2_match_data *md)
{
	if (sig->nscopes == 0)
		return unscoped_reads(fmt);
	for (size_t i = 0; i < sig->nscopes; i++) {
		const struct td_scope *s = &sig->scopes[i];
		if (!(s->formats & (1u << fmt)))
			continue;
		if (s->component && !re_matches(s->component, component, md))
			continue;
		if (s->file && !re_matches(s->file, path, md))
			continue;
		return true;
	}
	return false;
}

bool td_signature_applicable(const struct td_signature *sig, enum td_format fmt,
			     struct td_str path, pcre2_match_data *md)
{
	if (fmt == TD_FMT_BINARY || fmt == TD_FMT_UNKNOWN)
		return false;
	if (sig->nscopes == 0)
		return unscoped_reads(fmt);
	for (size_t i = 0; i < sig->nscopes; i++) {
		const struct td_scope *sc = &sig->scopes[i];
		if ((sc->formats & (1u << fmt)) && (!sc->file || re_matches(sc->file, path, md)))
			return true;
	}
	return false;
}

bool td_cond_literal_in(const struct td_cond *d, struct td_str s)
{
	for (size_t i = 0; i < d->nliterals; i++)
		if (td_str_ifind(s, td_str_cstr(d->literals[i])) >= 0)
			return true;
	return d->nliterals == 0;
}

const struct td_check_info td_check_names[TD_CHECK_COUNT] = {
	[TD_CHECK_NONE] = { "", "" },
	[TD_CHECK_SQL_BUILD_TLS12] = { "sql-build-tls12",
				       "SQL Server build against the TLS 1.2 minimum" },
	[TD_CHECK_SQL_BUILD_KB3146034] = { "sql-build-kb3146034",
					   "SQL Server build with the KB3146034 defect" },
	[TD_CHECK_TLS12_DISABLED] = { "schannel-tls12-disabled",
				      "SCHANNEL TLS 1.2 client and server values" },
	[TD_CHECK_TLS12_OS_DEFAULT_OFF] = { "schannel-tls12-os-default-off",
					    "TLS 1.2 keys absent on Windows 7 / 2008 R2" },
	[TD_CHECK_OS_2008] = { "windows-2008-tls12",
			       "Windows Server 2008 / Vista (TLS 1.2 only after KB4019276)" },
	[TD_CHECK_PROTOCOL_VERDICT] = { "schannel-protocol-verdict",
					"half-disabled or misconfigured protocol versions" },
	[TD_CHECK_SSL_ENABLED] = { "schannel-ssl-enabled", "SSL 2.0 / 3.0 left enabled" },
	[TD_CHECK_PROTOCOL_KEY_TYPO] = { "schannel-protocol-key-typo",
					 "protocol keys with names Schannel ignores" },
	[TD_CHECK_TLS13_OLD_OS] = { "schannel-tls13-old-os",
				    "TLS 1.3 enabled before Windows 11 / Server 2022" },
	[TD_CHECK_NETFX_RELEASE] = { "netfx-release",
				     ".NET Framework Release against 4.6.2 and 4.6" },
	[TD_CHECK_NETFX_STRONG_CRYPTO] = { "netfx-strong-crypto",
					   "SchUseStrongCrypto and SystemDefaultTlsVersions in "
					   "the four .NET locations" },
	[TD_CHECK_WINHTTP_PROTOCOLS] = { "winhttp-default-secure-protocols",
					 "WinHTTP DefaultSecureProtocols in both views" },
	[TD_CHECK_WININET_PROTOCOLS] = { "wininet-secure-protocols",
					 "WinINet SecureProtocols (user, machine, policy)" },
	[TD_CHECK_CIPHER_POLICY] = { "cipher-suite-policy",
				     "the SSL Cipher Suite Order policy list" },
	[TD_CHECK_SNAC_VERSION] = { "snac-version",
				    "SQL Server Native Client 11.0 against 11.*.7001.0" },
	[TD_CHECK_DHE_LEADING_ZERO] = { "dhe-leading-zero",
					"Windows build against the DHE leading-zero fix, the "
					"TLS_DHE suites, and fixed peers with failures" },
	[TD_CHECK_TLS10_OFF_BY_DEFAULT] = { "windows-tls10-off-by-default",
					    "Windows builds with TLS 1.0/1.1 off by default, "
					    "with a process failing on them" },
	[TD_CHECK_CIPHER_LOCAL_AFD] = { "cipher-suite-local-afd",
					"the local cipher-suite list against the suites of "
					"Microsoft 365 / Azure Front Door" },
	[TD_CHECK_SQL_CLIENT_LEGACY] = { "sql-client-legacy-driver",
					 "SQL client drivers the logs show in use (legacy "
					 "DBNETLIB / SQL Server driver, SNAC 11 version)" },
};

bool td_signature_facts_only(const struct td_signature *sig)
{
	return sig->severity == TD_SEV_INFO && sig->nfacts > 0;
}

const char *td_severity_name(enum td_severity s)
{
	return s == TD_SEV_ERROR ? "error" : s == TD_SEV_WARNING ? "warning" : "info";
}

const char *td_confidence_name(enum td_confidence c)
{
	return c == TD_CONF_HIGH ? "high" : c == TD_CONF_MEDIUM ? "medium" : "low";
}

const char *td_role_name(enum td_role r)
{
	static const char *const names[] = { "trigger", "support", "require", "unless" };
	return (unsigned)r < 4 ? names[r] : "?";
}

const char *td_phase_name(enum td_phase p)
{
	static const char *const names[] = { "investigate", "client",     "server", "certificate",
					     "network",     "workaround", "last" };
	return (unsigned)p <= TD_PHASE_LAST ? names[p] : "?";
}

const char *td_step_kind_name(enum td_step_kind k)
{
	static const char *const names[] = { "action", "update", "registry",
					     "file",   "restart", "check" };
	return (unsigned)k <= TD_STEP_CHECK ? names[k] : "?";
}
