/* Signature matching: literal prefilter, scope, PCRE2 (see match.h). */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "litset.h"

/* Bounds on one pattern run against one event part. */
#define TD_MATCH_LIMIT 2000000
#define TD_DEPTH_LIMIT 20000
/* Matches kept for one event before filtering. */
#define TD_MAX_EVENT_MATCHES 64

struct keyref {
	uint32_t sig, clause;
};

/* A clause keyed by a Windows event id. */
struct idref {
	uint32_t id;
	struct keyref ref;
};

struct td_matcher {
	const struct td_sigdb *db;
	struct td_litset *lits;
	struct td_litscan scan;
	/* CSR map: literal id -> clauses keyed by it. */
	uint32_t *key_start; /* nlits + 1 */
	struct keyref *keys;
	/* Clauses keyed by an event id, sorted by id. */
	struct idref *idkeys;
	size_t nidkeys;
	/* Clauses keyed by a code in an event field (few): tried on every
	 * event that has the field. */
	struct keyref *fieldkeys;
	size_t nfieldkeys;
	/* The distinct fields those clauses read (an event is checked for
	 * them in one pass over its fields). */
	struct td_str *fieldnames;
	size_t nfieldnames;
	/* Per-clause and per-signature stamps for the current event. */
	uint32_t **clause_stamp;
	uint32_t *scope_stamp;
	uint8_t *scope_ok;
	uint32_t epoch;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct td_match results[TD_MAX_EVENT_MATCHES];
	size_t nresults;
	struct td_match_stats stats;
};

static int add_key(struct td_matcher *m, struct td_str lit, uint32_t si, uint32_t ci,
		   struct keyref **pairs, uint32_t **pair_lit, size_t *np, size_t *cap)
{
	int id = td_litset_add(m->lits, lit);
	if (id < 0)
		return id;
	if (*np == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct keyref *nk = realloc(*pairs, ncap * sizeof(*nk));
		uint32_t *nl = nk ? realloc(*pair_lit, ncap * sizeof(*nl)) : NULL;
		if (!nk)
			return TD_E_NOMEM;
		*pairs = nk;
		if (!nl)
			return TD_E_NOMEM;
		*pair_lit = nl;
		*cap = ncap;
	}
	(*pairs)[*np] = (struct keyref){ si, ci };
	(*pair_lit)[*np] = (uint32_t)id;
	(*np)++;
	return TD_OK;
}

static int add_idkey(struct td_matcher *m, uint32_t id, uint32_t si, uint32_t ci)
{
	struct idref *n = realloc(m->idkeys, (m->nidkeys + 1) * sizeof(*n));
	if (!n)
		return TD_E_NOMEM;
	m->idkeys = n;
	m->idkeys[m->nidkeys++] = (struct idref){ id, { si, ci } };
	return TD_OK;
}

/* Notes a field that clauses keyed by a code in a field read. */
static int add_fieldname(struct td_matcher *m, struct td_str name)
{
	for (size_t k = 0; k < m->nfieldnames; k++)
		if (td_str_eq(m->fieldnames[k], name))
			return TD_OK;
	struct td_str *nn = realloc(m->fieldnames, (m->nfieldnames + 1) * sizeof(*nn));
	if (!nn)
		return TD_E_NOMEM;
	m->fieldnames = nn;
	nn[m->nfieldnames++] = name; /* points into the database */
	return TD_OK;
}

static int cmp_idref(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->ref.sig != y->ref.sig)
		return x->ref.sig < y->ref.sig ? -1 : 1;
	return x->ref.clause < y->ref.clause ? -1 : x->ref.clause > y->ref.clause;
}

static int build_index(struct td_matcher *m)
{
	const struct td_sigdb *db = m->db;
	struct keyref *pairs = NULL;
	uint32_t *pair_lit = NULL;
	size_t np = 0, cap = 0;
	int rc = TD_OK;
	for (size_t s = 0; s < db->nsigs && !rc; s++) {
		const struct td_signature *sig = &db->sigs[s];
		for (size_t c = 0; c < sig->nclauses && !rc; c++) {
			const struct td_cond *key = sig->clauses[c].key;
			if (!key)
				continue;
			if (key->kind == TD_COND_EVENT) {
				for (size_t k = 0; k < key->nids && !rc; k++)
					rc = add_idkey(m, key->ids[k], (uint32_t)s, (uint32_t)c);
				continue;
			}
			if (key->kind == TD_COND_PATTERN) {
				for (size_t k = 0; k < key->nliterals && !rc; k++)
					rc = add_key(m, td_str_cstr(key->literals[k]), (uint32_t)s,
						     (uint32_t)c, &pairs, &pair_lit, &np, &cap);
				continue;
			}
			if (strcmp(key->field, "message") != 0) {
				struct keyref *nk = realloc(m->fieldkeys,
							    (m->nfieldkeys + 1) * sizeof(*nk));
				if (!nk) {
					rc = TD_E_NOMEM;
					break;
				}
				m->fieldkeys = nk;
				nk[m->nfieldkeys++] = (struct keyref){ (uint32_t)s, (uint32_t)c };
				rc = add_fieldname(m, td_str_cstr(key->field));
				continue;
			}
			struct td_code_form forms[TD_CODE_FORMS_MAX];
			size_t nf = td_code_forms(key->code, forms);
			for (size_t f = 0; f < nf && !rc; f++)
				if (forms[f].len >= 4)
					rc = add_key(m, td_str_make(forms[f].text, forms[f].len),
						     (uint32_t)s, (uint32_t)c, &pairs, &pair_lit, &np,
						     &cap);
		}
	}
	if (m->nidkeys)
		qsort(m->idkeys, m->nidkeys, sizeof(*m->idkeys), cmp_idref);
	if (!rc)
		rc = td_litset_compile(m->lits);
	size_t nl = td_litset_count(m->lits);
	if (!rc) {
		m->key_start = calloc(nl + 1, sizeof(*m->key_start));
		m->keys = malloc((np ? np : 1) * sizeof(*m->keys));
		if (!m->key_start || !m->keys)
			rc = TD_E_NOMEM;
	}
	if (!rc) {
		for (size_t i = 0; i < np; i++)
			m->key_start[pair_lit[i] + 1]++;
		for (size_t i = 0; i < nl; i++)
			m->key_start[i + 1] += m->key_start[i];
		uint32_t *fill = calloc(nl + 1, sizeof(*fill));
		if (!fill) {
			rc = TD_E_NOMEM;
		} else {
			for (size_t i = 0; i < np; i++) {
				uint32_t l = pair_lit[i];
				m->keys[m->key_start[l] + fill[l]++] = pairs[i];
			}
			free(fill);
		}
	}
	free(pairs);
	free(pair_lit);
	return rc;
}

int td_matcher_new(const struct td_sigdb *db, struct td_matcher **out, struct td_err *err)
{
	*out = NULL;
	struct td_matcher *m = calloc(1, sizeof(*m));
	if (!m)
		return td_err_set(err, TD_E_NOMEM, "out of memory building the matcher");
	m->db = db;
	m->lits = td_litset_new();
	m->clause_stamp = calloc(db->nsigs ? db->nsigs : 1, sizeof(*m->clause_stamp));
	m->scope_stamp = calloc(db->nsigs ? db->nsigs : 1, sizeof(*m->scope_stamp));
	m->scope_ok = calloc(db->nsigs ? db->nsigs : 1, 1);
	m->md = pcre2_match_data_create(32, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	int rc = m->lits && m->clause_stamp && m->scope_stamp && m->scope_ok && m->md && m->mctx
			 ? TD_OK
			 : TD_E_NOMEM;
	for (size_t s = 0; s < db->nsigs && !rc; s++) {
		m->clause_stamp[s] = calloc(db->sigs[s].nclauses + 1, sizeof(uint32_t));
		if (!m->clause_stamp[s])
			rc = TD_E_NOMEM;
	}
	if (!rc) {
		pcre2_set_match_limit(m->mctx, TD_MATCH_LIMIT);
		pcre2_set_depth_limit(m->mctx, TD_DEPTH_LIMIT);
		rc = build_index(m);
	}
	if (!rc)
		rc = td_litscan_init(&m->scan, m->lits);
	if (rc) {
		td_matcher_free(m);
		return td_err_set(err, rc, "cannot build the matcher: %s", td_status_str(rc));
	}
	*out = m;
	return TD_OK;
}

void td_matcher_free(struct td_matcher *m)
{
	if (!m)
		return;
	if (m->clause_stamp)
		for (size_t s = 0; s < m->db->nsigs; s++)
			free(m->clause_stamp[s]);
	free(m->clause_stamp);
	free(m->scope_stamp);
	free(m->scope_ok);
	free(m->key_start);
	free(m->keys);
	free(m->idkeys);
	free(m->fieldkeys);
	free(m->fieldnames);
	td_litscan_release(&m->scan);
	td_litset_free(m->lits);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	free(m);
}

const struct td_match_stats *td_matcher_stats(const struct td_matcher *m)
{
	return &m->stats;
}

/* Runs one pattern; on a match fills the position and named captures. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static bool run_pattern(struct td_matcher *m, const struct td_cond *d, struct td_str subject,
			struct td_match *out, bool record_pos)
{
	if (d->nliterals && strcmp(d->field, "message") != 0 && !td_cond_literal_in(d, subject))
		return false;
	m->stats.regex_runs++;
	int rc = pcre2_match(d->re, (PCRE2_SPTR)(subject.p ? subject.p : ""), subject.len, 0, 0,
			     m->md, m->mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT) {
		m->stats.limit_hits++;
		return false;
	}
	if (rc < 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	uint32_t ovn = pcre2_get_ovector_count(m->md);
	if (record_pos && ov[0] <= ov[1] && ov[1] <= subject.len) {
		out->match_off = ov[0];
		out->match_len = ov[1] - ov[0];
	}
	uint32_t count = 0, entry = 0;
	PCRE2_SPTR table = NULL;
	pcre2_pattern_info(d->re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(d->re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(d->re, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < count && out->ncaps < TD_MAX_CAPTURES; i++) {
		PCRE2_SPTR e = table + i * entry;
		uint32_t group = (uint32_t)(e[0] << 8 | e[1]);
		if (group >= ovn || (uint32_t)rc <= group)
			continue;
		PCRE2_SIZE a = ov[2 * group], b = ov[2 * group + 1];
		if (a == PCRE2_UNSET || b < a || b > subject.len)
			continue;
		out->caps[out->ncaps].name = td_str_cstr((const char *)e + 2);
		out->caps[out->ncaps].value = td_str_make(subject.p + a, b - a);
		out->ncaps++;
	}
	return true;
}

static bool event_matches(struct td_matcher *m, const struct td_cond *d,
			  const struct td_event *ev)
{
	if (!ev->has_event_id ||
	    !bsearch(&ev->event_id, d->ids, d->nids, sizeof(*d->ids), cmp_u32))
		return false;
	if (!d->provider)
		return true;
	m->stats.regex_runs++;
	return pcre2_match(d->provider, (PCRE2_SPTR)(ev->provider.p ? ev->provider.p : ""),
			   ev->provider.len, 0, 0, m->md, m->mctx) >= 0;
}

bool td_matcher_clause(struct td_matcher *m, const struct td_signature *sig,
		       const struct td_clause *c, const struct td_event *ev, struct td_match *out)
{
	memset(out, 0, sizeof(*out));
	out->sig = sig;
	out->superseded_by = NULL;
	out->clause = c;
	out->ev = ev;
	bool have_pos = false;
	for (size_t i = 0; i < c->nconds; i++) {
		const struct td_cond *d = &c->conds[i];
		if (d->kind == TD_COND_EVENT) {
			if (!event_matches(m, d, ev))
				return false;
			continue;
		}
		struct td_str subject = td_event_part(ev, td_str_cstr(d->field));
		if (d->kind == TD_COND_CODE) {
			if (!td_code_in_text(d->code, subject))
				return false;
			continue;
		}
		bool on_message = strcmp(d->field, "message") == 0;
		if (!run_pattern(m, d, subject, out, on_message && !have_pos))
			return false;
		have_pos |= on_message;
	}
	return true;
}

static bool in_scope(struct td_matcher *m, const struct td_signature *sig,
		     const struct td_event *ev)
{
	size_t s = sig->index;
	if (m->scope_stamp[s] != m->epoch) {
		m->scope_stamp[s] = m->epoch;
		m->scope_ok[s] = td_signature_in_scope(sig, ev->format, ev->provider, ev->path, m->md);
	}
	return m->scope_ok[s];
}

static bool has_require(const struct td_signature *sig)
{
	for (size_t i = 0; i < sig->nclauses; i++)
		if (sig->clauses[i].role == TD_ROLE_REQUIRE)
			return true;
	return false;
}

/* Whether r is void on this event; *by is set to a superseding signature
 * whose verdict depends on its require clauses (r then stands provisionally). */
static bool voided(const struct td_matcher *m, const struct td_match *r,
		   const struct td_signature **by)
{
	*by = NULL;
	for (size_t i = 0; i < m->nresults; i++) {
		const struct td_match *o = &m->results[i];
		if (o == r)
			continue;
		if (o->sig == r->sig && o->clause->role == TD_ROLE_UNLESS)
			return true;
		if (o->clause->role != TD_ROLE_TRIGGER)
			continue;
		for (size_t k = 0; k < o->sig->nsupersedes; k++) {
			if (o->sig->supersedes[k] != r->sig)
				continue;
			if (!has_require(o->sig))
				return true;
			if (!*by)
				*by = o->sig;
		}
	}
	return false;
}

/* Evaluates one keyed clause on the current event (once per event). */
static void consider(struct td_matcher *m, const struct keyref *kr, const struct td_event *ev)
{
	if (m->clause_stamp[kr->sig][kr->clause] == m->epoch)
		return;
	m->clause_stamp[kr->sig][kr->clause] = m->epoch;
	const struct td_signature *sig = &m->db->sigs[kr->sig];
	if (!in_scope(m, sig, ev) || m->nresults == TD_MAX_EVENT_MATCHES)
		return;
	struct td_match *r = &m->results[m->nresults];
	if (td_matcher_clause(m, sig, &sig->clauses[kr->clause], ev, r))
		m->nresults++;
}

int td_matcher_event(struct td_matcher *m, const struct td_event *ev, td_match_cb cb, void *user)
{
	m->stats.events++;
	/* Clauses keyed by this event's id. */
	size_t lo = 0, hi = 0;
	if (ev->has_event_id && m->nidkeys) {
		size_t a = 0, b = m->nidkeys;
		while (a < b) {
			size_t mid = a + (b - a) / 2;
			if (m->idkeys[mid].id < ev->event_id)
				a = mid + 1;
			else
				b = mid;
		}
		lo = hi = a;
		while (hi < m->nidkeys && m->idkeys[hi].id == ev->event_id)
			hi++;
	}
	m->scan.nhits = 0;
	if (ev->message.len)
		td_litset_scan(m->lits, ev->message, &m->scan);
	bool by_field = false;
	for (size_t i = 0; i < ev->nfields && m->nfieldnames && !by_field; i++)
		for (size_t k = 0; k < m->nfieldnames && !by_field; k++)
			by_field = td_str_eq(ev->fields[i].name, m->fieldnames[k]);
	if (m->scan.nhits == 0 && lo == hi && !by_field)
		return 0;
	m->stats.prefiltered++;
	if (++m->epoch == 0) {
		for (size_t s = 0; s < m->db->nsigs; s++) {
			memset(m->clause_stamp[s], 0, (m->db->sigs[s].nclauses + 1) * sizeof(uint32_t));
			m->scope_stamp[s] = 0;
		}
		m->epoch = 1;
	}
	m->nresults = 0;
	for (size_t k = lo; k < hi; k++)
		consider(m, &m->idkeys[k].ref, ev);
	for (size_t k = 0; by_field && k < m->nfieldkeys; k++) {
		const struct keyref *kr = &m->fieldkeys[k];
		const struct td_cond *key = m->db->sigs[kr->sig].clauses[kr->clause].key;
		if (td_code_in_text(key->code, td_event_field(ev, key->field)))
			consider(m, kr, ev);
	}
	for (size_t h = 0; h < m->scan.nhits; h++) {
		uint32_t lit = m->scan.hits[h];
		for (uint32_t k = m->key_start[lit]; k < m->key_start[lit + 1]; k++)
			consider(m, &m->keys[k], ev);
	}
	/* Report in database order, whatever order the literals were found in. */
	for (size_t i = 1; i < m->nresults; i++) {
		struct td_match tmp = m->results[i];
		size_t k = i;
		while (k > 0 && (m->results[k - 1].sig->index > tmp.sig->index ||
				 (m->results[k - 1].sig == tmp.sig &&
				  m->results[k - 1].clause > tmp.clause))) {
			m->results[k] = m->results[k - 1];
			k--;
		}
		m->results[k] = tmp;
	}
	int reported = 0;
	const struct td_match *prev = NULL;
	for (size_t i = 0; i < m->nresults; i++) {
		const struct td_match *r = &m->results[i];
		const struct td_signature *by;
		if (r->clause->role == TD_ROLE_UNLESS || voided(m, r, &by))
			continue;
		/* One event counts once per signature and role, however many of
		 * its clauses match. */
		if (prev && prev->sig == r->sig && prev->clause->role == r->clause->role)
			continue;
		prev = r;
		m->results[i].superseded_by = by;
		m->stats.matches++;
		reported++;
		if (cb && cb(r, user))
			return TD_E_STOP;
	}
	return reported;
}
