/* The timeline: entries from matches, their order, filters and the clock
 * skew between hosts (see timeline.h). */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "grow.h"
#include "hosts.h"

struct td_timeline *td_timeline_new(size_t max)
{
	struct td_timeline *tl = calloc(1, sizeof(*tl));
	if (!tl)
		return NULL;
	tl->max = max ? max : TD_TIMELINE_MAX;
	td_arena_init(&tl->strings, TD_TIMELINE_MAX_BYTES);
	return tl;
}

void td_timeline_free(struct td_timeline *tl)
{
	if (!tl)
		return;
	td_arena_release(&tl->strings);
	free(tl->reqs);
	free(tl->e);
	free(tl->skews);
	free(tl);
}

static char *keep(struct td_timeline *tl, struct td_str s)
{
	return (char *)td_arena_strdup(&tl->strings, s).p;
}

/* The copy of s the previous entry holds, or a new one: events of one input
 * mostly share their path and host. */
static char *keep_shared(struct td_timeline *tl, struct td_str s, char *prev)
{
	if (prev && td_str_eq_cstr(s, prev))
		return prev;
	return keep(tl, s);
}

/* The excerpt of the matched event; "<provider> event <id>" for an event
 * without text.  malloc'ed, NULL without memory. */
static char *excerpt_of(const struct td_match *m)
{
	const struct td_event *ev = m->ev;
	if (td_str_trim(ev->message).len || !ev->has_event_id)
		return td_excerpt(ev->message, m->match_off, m->match_len);
	char *out = malloc(TD_MAX_EXCERPT + 16);
	if (out)
		snprintf(out, TD_MAX_EXCERPT + 16, "%.*s%sevent %u",
			 (int)(ev->provider.len < TD_MAX_EXCERPT / 2 ? ev->provider.len
								    : TD_MAX_EXCERPT / 2),
			 ev->provider.p ? ev->provider.p : "", ev->provider.len ? " " : "",
			 ev->event_id);
	return out;
}

/* Notes that a require clause of a signature held in this input. */
static int note_require(struct td_timeline *tl, const struct td_clause *c, size_t input)
{
	for (size_t i = tl->nreqs; i-- > 0 && tl->reqs[i].input == input;)
		if (tl->reqs[i].clause == c)
			return TD_OK;
	if (td_grow(&tl->reqs, &tl->capreqs, tl->nreqs, sizeof(*tl->reqs)))
		return TD_E_NOMEM;
	tl->reqs[tl->nreqs++] = (struct td_timeline_req){ input, c };
	return TD_OK;
}

int td_timeline_add(struct td_timeline *tl, const struct td_match *m, size_t input,
		    uint64_t event)
{
	if (td_signature_facts_only(m->sig))
		return TD_OK; /* facts, not TLS events */
	if (m->clause->role == TD_ROLE_REQUIRE && note_require(tl, m->clause, input))
		return TD_E_NOMEM;
	if (tl->have_last && tl->last_event == event && tl->last_sig == m->sig) {
		if (tl->last_index != SIZE_MAX && m->clause->role < tl->e[tl->last_index].role)
			tl->e[tl->last_index].role = m->clause->role;
		return TD_OK;
	}
	tl->have_last = true;
	tl->last_event = event;
	tl->last_sig = m->sig;
	tl->last_index = SIZE_MAX;
	if (tl->n >= tl->max) {
		tl->dropped++;
		return TD_OK;
	}
	if (td_grow(&tl->e, &tl->cap, tl->n, sizeof(*tl->e)))
		return TD_E_NOMEM;
	const struct td_event *ev = m->ev;
	char *excerpt = excerpt_of(m);
	if (!excerpt)
		return TD_E_NOMEM;
	size_t need = strlen(excerpt) + ev->time.text.len + ev->path.len + ev->host.len + 64;
	if (need > TD_TIMELINE_MAX_BYTES - tl->strings.used) {
		free(excerpt); /* the strings' cap, as good as the entries' */
		tl->dropped++;
		return TD_OK;
	}
	const struct td_timeline_entry *prev = tl->n ? &tl->e[tl->n - 1] : NULL;
	struct td_timeline_entry *e = &tl->e[tl->n];
	memset(e, 0, sizeof(*e));
	e->excerpt = keep(tl, td_str_cstr(excerpt));
	free(excerpt);
	e->time = ev->time;
	e->time.text = td_arena_strdup(&tl->strings, ev->time.text);
	e->input = input;
	e->path = keep_shared(tl, ev->path, prev ? prev->path : NULL);
	e->line = ev->line;
	e->record = ev->record;
	e->level = ev->level;
	if (ev->host.len)
		e->host = keep_shared(tl, ev->host, prev ? prev->host : NULL);
	e->sig = m->sig;
	e->role = m->clause->role;
	e->event = event;
	e->superseded_by = m->superseded_by;
	tl->provisional |= m->superseded_by != NULL;
	if (!e->time.text.p || !e->path || (ev->host.len && !e->host) || !e->excerpt)
		return TD_E_NOMEM;
	tl->last_index = tl->n++;
	return TD_OK;
}

int td_timeline_absorb(struct td_timeline *tl, struct td_timeline *from, size_t input_base,
		       uint64_t event_base)
{
	for (size_t i = 0; i < from->nreqs; i++)
		if (note_require(tl, from->reqs[i].clause, from->reqs[i].input + input_base))
			return TD_E_NOMEM;
	tl->dropped += from->dropped;
	for (size_t i = 0; i < from->n; i++) {
		const struct td_timeline_entry *src = &from->e[i];
		size_t need = strlen(src->excerpt) + src->time.text.len + strlen(src->path) +
			      (src->host ? strlen(src->host) : 0) + 64;
		if (tl->n >= tl->max || need > TD_TIMELINE_MAX_BYTES - tl->strings.used) {
			tl->dropped++;
			continue;
		}
		if (td_grow(&tl->e, &tl->cap, tl->n, sizeof(*tl->e)))
			return TD_E_NOMEM;
		const struct td_timeline_entry *prev = tl->n ? &tl->e[tl->n - 1] : NULL;
		struct td_timeline_entry *e = &tl->e[tl->n];
		*e = *src;
		e->excerpt = keep(tl, td_str_cstr(src->excerpt));
		e->time.text = td_arena_strdup(&tl->strings, src->time.text);
		e->path = keep_shared(tl, td_str_cstr(src->path), prev ? prev->path : NULL);
		if (src->host)
			e->host = keep_shared(tl, td_str_cstr(src->host), prev ? prev->host : NULL);
		e->input += input_base;
		e->event += event_base;
		if (!e->time.text.p || !e->path || (src->host && !e->host) || !e->excerpt)
			return TD_E_NOMEM;
		tl->n++;
	}
	tl->provisional |= from->provisional;
	tl->have_last = false;
	from->n = 0;
	from->nreqs = 0;
	from->dropped = 0;
	return TD_OK;
}

/* ---- provisional supersedes ---- */

/* Whether every require clause of sig held in this input. */
static bool stands(const struct td_timeline *tl, const struct td_signature *sig, size_t input)
{
	for (size_t c = 0; c < sig->nclauses; c++) {
		if (sig->clauses[c].role != TD_ROLE_REQUIRE)
			continue;
		bool seen = false;
		for (size_t i = 0; i < tl->nreqs && !seen; i++)
			seen = tl->reqs[i].input == input && tl->reqs[i].clause == &sig->clauses[c];
		if (!seen)
			return false;
	}
	return true;
}

/* Keeps one entry per event where a match was superseded provisionally
 * (the entries of one event are next to each other before sorting). */
static int resolve_provisional(struct td_timeline *tl)
{
	if (!tl->provisional)
		return TD_OK;
	bool *drop = calloc(tl->n, sizeof(*drop));
	if (!drop)
		return TD_E_NOMEM;
	for (size_t i = 0; i < tl->n; i++) {
		const struct td_timeline_entry *e = &tl->e[i];
		if (!e->superseded_by)
			continue;
		if (stands(tl, e->superseded_by, e->input)) {
			drop[i] = true;
			continue;
		}
		for (size_t k = i; k-- > 0 && tl->e[k].event == e->event;)
			drop[k] |= tl->e[k].sig == e->superseded_by;
		for (size_t k = i + 1; k < tl->n && tl->e[k].event == e->event; k++)
			drop[k] |= tl->e[k].sig == e->superseded_by;
	}
	size_t n = 0;
	for (size_t i = 0; i < tl->n; i++) {
		tl->e[i].superseded_by = NULL;
		if (!drop[i])
			tl->e[n++] = tl->e[i];
	}
	tl->n = n;
	free(drop);
	return TD_OK;
}

/* Where an event is listed under several signatures, drops those whose
 * require clauses did not all hold in its input: the diagnosis finds no such
 * failure there, and the event stays listed under the others.  (An event
 * under no other signature keeps its entry: it is still TLS-relevant.)  The
 * entries of one event are next to each other before sorting. */
static void drop_unmet_requires(struct td_timeline *tl)
{
	size_t n = 0;
	for (size_t i = 0; i < tl->n;) {
		size_t end = i + 1;
		while (end < tl->n && tl->e[end].event == tl->e[i].event)
			end++;
		bool any = end - i < 2;
		for (size_t k = i; k < end && !any; k++)
			any = stands(tl, tl->e[k].sig, tl->e[k].input);
		for (size_t k = i; k < end; k++)
			if (end - i < 2 || !any || stands(tl, tl->e[k].sig, tl->e[k].input))
				tl->e[n++] = tl->e[k];
		i = end;
	}
	tl->n = n;
}

/* ---- order ---- */

struct sort_key {
	int64_t ticks;
	size_t idx;
	bool unknown;
};

static int cmp_key(const void *pa, const void *pb)
{
	const struct sort_key *a = pa, *b = pb;
	if (a->unknown != b->unknown)
		return a->unknown ? 1 : -1;
	if (!a->unknown && a->ticks != b->ticks)
		return a->ticks < b->ticks ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Sorts the entries through a key array, then moves each entry once by
 * following the cycles of the permutation. */
static int sort_entries(struct td_timeline *tl)
{
	if (tl->n < 2)
		return TD_OK;
	struct sort_key *k = malloc(tl->n * sizeof(*k));
	if (!k)
		return TD_E_NOMEM;
	for (size_t i = 0; i < tl->n; i++)
		k[i] = (struct sort_key){ tl->e[i].time.ticks, i,
					  tl->e[i].time.zone == TD_ZONE_NONE };
	qsort(k, tl->n, sizeof(*k), cmp_key);
	for (size_t i = 0; i < tl->n; i++) {
		if (k[i].idx == i)
			continue;
		struct td_timeline_entry tmp = tl->e[i];
		size_t j = i;
		for (;;) {
			size_t from = k[j].idx;
			k[j].idx = j;
			if (from == i) {
				tl->e[j] = tmp;
				break;
			}
			tl->e[j] = tl->e[from];
			j = from;
		}
	}
	free(k);
	return TD_OK;
}

/* ---- hosts ---- */

static int lower(int c)
{
	return td_ascii_lower((unsigned char)c);
}

static int cmp_icase(struct td_str a, struct td_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	for (size_t i = 0; i < n; i++) {
		int d = lower(a.p[i]) - lower(b.p[i]);
		if (d)
			return d;
	}
	return a.len < b.len ? -1 : a.len > b.len;
}

/* Whether name p matches host h: equal, or one continues the other with
 * more domain labels. */
static bool name_matches(struct td_str p, struct td_str h)
{
	struct td_str shorter = p.len <= h.len ? p : h, longer = p.len <= h.len ? h : p;
	if (!shorter.len || cmp_icase(shorter, td_str_slice(longer, 0, shorter.len)) != 0)
		return false;
	return longer.len == shorter.len || longer.p[shorter.len] == '.';
}

bool td_host_matches(const char *list, const char *host)
{
	if (!host || !list)
		return false;
	struct td_str h = td_str_trim(td_str_cstr(host));
	struct td_str rest = td_str_cstr(list);
	while (rest.p) {
		ptrdiff_t comma = td_str_find_char(rest, ',');
		size_t end = comma < 0 ? rest.len : (size_t)comma;
		if (name_matches(td_str_trim(td_str_slice(rest, 0, end)), h))
			return true;
		rest = comma < 0 ? td_str_make(NULL, 0) : td_str_slice(rest, end + 1, rest.len);
	}
	return false;
}

static bool host_kept(const struct td_timeline_filter *f, const char *host)
{
	if (!f->nhosts)
		return true;
	for (size_t i = 0; i < f->nhosts; i++)
		if (td_host_matches(f->hosts[i], host))
			return true;
	return false;
}

bool td_timeline_keep(const struct td_timeline_filter *f, const struct td_timeline_entry *e)
{
	if (!host_kept(f, e->host))
		return false;
	if (!f->has_since && !f->has_until)
		return true;
	if (e->time.zone == TD_ZONE_NONE)
		return false;
	return (!f->has_since || e->time.ticks >= f->since) &&
	       (!f->has_until || e->time.ticks < f->until);
}

bool td_timeline_keep_skew(const struct td_timeline_filter *f, const struct td_skew *s)
{
	return host_kept(f, s->host_a) || host_kept(f, s->host_b);
}

bool td_timeline_parse_time(const char *s, int64_t *from, int64_t *to)
{
	struct td_str t = td_str_cstr(s);
	size_t i = 0;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t span = 86400 * TD_TICKS_PER_SEC;
	if (!td_str_digits(t, &i, 4, 4, &y) || i >= t.len || t.p[i++] != '-' ||
	    !td_str_digits(t, &i, 2, 2, &mo) || i >= t.len || t.p[i++] != '-' ||
	    !td_str_digits(t, &i, 2, 2, &d))
		return false;
	if (i < t.len) {
		if (t.p[i] != 'T' && t.p[i] != 't' && t.p[i] != ' ')
			return false;
		i++;
		if (!td_str_digits(t, &i, 2, 2, &h) || i >= t.len || t.p[i++] != ':' ||
		    !td_str_digits(t, &i, 2, 2, &mi))
			return false;
		span = TD_TICKS_PER_MIN;
		if (i < t.len && t.p[i] == ':') {
			i++;
			if (!td_str_digits(t, &i, 2, 2, &sec))
				return false;
			span = TD_TICKS_PER_SEC;
		}
		if (i < t.len && (t.p[i] == 'Z' || t.p[i] == 'z'))
			i++;
	}
	if (i != t.len || !td_time_from_civil(y, mo, d, h, mi, sec, 0, from))
		return false;
	*to = *from + span;
	return true;
}

/* ---- clock skew ---- */

/* An entry that can be paired: a UTC time, a host, a signature with peers. */
struct cand {
	int64_t t;         /* its time (copied here: the searches read it most) */
	const struct td_timeline_entry *e;
	struct td_str key; /* short host name */
	size_t pos;        /* index in the timeline (ties) */
};

static int cmp_cand(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	int c = cmp_icase(a->key, b->key);
	if (c)
		return c;
	if (a->e->sig->index != b->e->sig->index)
		return a->e->sig->index < b->e->sig->index ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* A host's candidates: c[from, to), sorted by signature, then time. */
struct group {
	size_t from, to;
	const char *name; /* longest spelling seen */
};

/* Where a host's candidates of one signature are: c[from, to). */
struct run {
	size_t from, to;
};

struct skewer {
	struct cand *c;
	struct group *g;
	size_t ng;
	size_t nsigs;     /* signature indexes below this have candidates */
	struct run *runs; /* [host * nsigs + signature index] */
};

static const struct run *run_of(const struct skewer *k, size_t g, size_t sig)
{
	static const struct run none = { 0, 0 };
	return sig < k->nsigs ? &k->runs[g * k->nsigs + sig] : &none;
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* Whether candidate x is nearer to time t than y (NULL: any is nearer):
 * by distance, then the earlier, then the first read. */
static bool nearer(const struct cand *x, const struct cand *y, int64_t t)
{
	if (!y)
		return true;
	int64_t dx = abs64(x->t - t), dy = abs64(y->t - t);
	if (dx != dy)
		return dx < dy;
	if (x->t != y->t)
		return x->t < y->t;
	return x->pos < y->pos;
}

/* For each candidate i of host g, best[i - from] is the nearest candidate
 * of host h whose signature is a peer of i's, within the window, or
 * SIZE_MAX.  Each signature's candidates are in time order, so one sweep
 * per pair of signatures finds them. */
static void nearest_all(const struct skewer *k, size_t g, size_t h, size_t *best)
{
	const struct group *gg = &k->g[g];
	for (size_t i = gg->from; i < gg->to; i++)
		best[i - gg->from] = SIZE_MAX;
	for (size_t s = 0; s < k->nsigs; s++) {
		const struct run *r = run_of(k, g, s);
		if (r->from == r->to)
			continue;
		const struct td_signature *sig = k->c[r->from].e->sig;
		for (size_t p = 0; p < sig->npeers; p++) {
			const struct run *q = run_of(k, h, sig->peers[p]->index);
			size_t j = q->from;
			for (size_t i = r->from; i < r->to && q->from < q->to; i++) {
				int64_t t = k->c[i].t;
				while (j < q->to && k->c[j].t < t)
					j++;
				size_t *b = &best[i - gg->from];
				if (j > q->from && (*b == SIZE_MAX || nearer(&k->c[j - 1], &k->c[*b], t)))
					*b = j - 1;
				if (j < q->to && (*b == SIZE_MAX || nearer(&k->c[j], &k->c[*b], t)))
					*b = j;
			}
		}
	}
	for (size_t i = gg->from; i < gg->to; i++) {
		size_t *b = &best[i - gg->from];
		if (*b != SIZE_MAX && abs64(k->c[*b].t - k->c[i].t) > TD_SKEW_WINDOW)
			*b = SIZE_MAX;
	}
}

static int cmp_i64(const void *pa, const void *pb)
{
	int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Pairs hosts a and b (see timeline.h); adds a skew when the estimate is
 * significant.  best: room for the candidates of both hosts. */
static int compare_hosts(struct td_timeline *tl, const struct skewer *k, size_t a, size_t b,
			 int64_t *diffs, size_t *best, size_t *cap)
{
	const struct group *ga = &k->g[a], *gb = &k->g[b];
	size_t *best_a = best, *best_b = best + (ga->to - ga->from);
	nearest_all(k, a, b, best_a);
	nearest_all(k, b, a, best_b);
	size_t n = 0;
	for (size_t i = ga->from; i < ga->to; i++) {
		size_t j = best_a[i - ga->from];
		if (j != SIZE_MAX && best_b[j - gb->from] == i)
			diffs[n++] = k->c[j].t - k->c[i].t; /* b's clock minus a's */
	}
	if (n < TD_SKEW_MIN_PAIRS)
		return TD_OK;
	tl->skew_compared++;
	qsort(diffs, n, sizeof(*diffs), cmp_i64);
	int64_t med = n % 2 ? diffs[n / 2] : diffs[n / 2 - 1] + (diffs[n / 2] - diffs[n / 2 - 1]) / 2;
	if (abs64(med) <= TD_SKEW_MIN)
		return TD_OK;
	if (td_grow(&tl->skews, cap, tl->nskews, sizeof(*tl->skews)))
		return TD_E_NOMEM;
	struct td_skew *s = &tl->skews[tl->nskews];
	s->host_a = keep(tl, td_str_cstr(med > 0 ? ga->name : gb->name));
	s->host_b = keep(tl, td_str_cstr(med > 0 ? gb->name : ga->name));
	s->offset = abs64(med);
	s->pairs = n;
	if (!s->host_a || !s->host_b)
		return TD_E_NOMEM;
	tl->nskews++;
	return TD_OK;
}

static int cmp_group_size(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;
	size_t na = a->to - a->from, nb = b->to - b->from;
	if (na != nb)
		return na > nb ? -1 : 1;
	return a->from < b->from ? -1 : a->from > b->from;
}

static int cmp_skew(const void *pa, const void *pb)
{
	const struct td_skew *a = pa, *b = pb;
	int c = cmp_icase(td_str_cstr(a->host_a), td_str_cstr(b->host_a));
	return c ? c : cmp_icase(td_str_cstr(a->host_b), td_str_cstr(b->host_b));
}

/* Splits the sorted candidates into hosts, keeps the TD_SKEW_MAX_HOSTS with
 * the most of them, and indexes each host's signatures. */
static int group_hosts(struct td_timeline *tl, struct skewer *k, size_t nc)
{
	size_t cap = 0;
	for (size_t i = 0; i < nc; i++) {
		if (!k->ng || cmp_icase(k->c[i].key, k->c[k->g[k->ng - 1].from].key) != 0) {
			if (td_grow(&k->g, &cap, k->ng, sizeof(*k->g)))
				return TD_E_NOMEM;
			k->g[k->ng++] = (struct group){ i, i, k->c[i].e->host };
		}
		struct group *g = &k->g[k->ng - 1];
		g->to = i + 1;
		size_t len = strlen(k->c[i].e->host), glen = strlen(g->name);
		if (len > glen || (len == glen && strcmp(k->c[i].e->host, g->name) < 0))
			g->name = k->c[i].e->host;
	}
	if (k->ng > TD_SKEW_MAX_HOSTS) {
		qsort(k->g, k->ng, sizeof(*k->g), cmp_group_size);
		tl->skew_hosts_left = k->ng - TD_SKEW_MAX_HOSTS;
		k->ng = TD_SKEW_MAX_HOSTS;
	}
	for (size_t i = 0; i < nc; i++)
		if (k->c[i].e->sig->index >= k->nsigs)
			k->nsigs = k->c[i].e->sig->index + 1;
	k->runs = calloc(k->ng * k->nsigs + 1, sizeof(*k->runs));
	if (!k->runs)
		return TD_E_NOMEM;
	for (size_t g = 0; g < k->ng; g++) {
		for (size_t i = k->g[g].from; i < k->g[g].to; i++) {
			struct run *r = &k->runs[g * k->nsigs + k->c[i].e->sig->index];
			if (r->from == r->to)
				r->from = i;
			r->to = i + 1;
		}
	}
	return TD_OK;
}

static int estimate_skews(struct td_timeline *tl)
{
	struct skewer k = { 0 };
	size_t nc = 0, largest = 0, cap = 0;
	int rc = TD_OK;
	k.c = malloc((tl->n ? tl->n : 1) * sizeof(*k.c));
	if (!k.c)
		return TD_E_NOMEM;
	for (size_t i = 0; i < tl->n; i++) {
		const struct td_timeline_entry *e = &tl->e[i];
		if (e->time.zone == TD_ZONE_UTC && e->host && e->sig->npeers)
			k.c[nc++] = (struct cand){ e->time.ticks, e, td_host_short(td_str_cstr(e->host)), i };
	}
	qsort(k.c, nc, sizeof(*k.c), cmp_cand);
	rc = group_hosts(tl, &k, nc);
	for (size_t i = 0; i < k.ng; i++)
		if (k.g[i].to - k.g[i].from > largest)
			largest = k.g[i].to - k.g[i].from;
	int64_t *diffs = malloc((largest ? largest : 1) * sizeof(*diffs));
	size_t *best = malloc((largest ? 2 * largest : 1) * sizeof(*best));
	if ((!diffs || !best) && !rc)
		rc = TD_E_NOMEM;
	for (size_t a = 0; a < k.ng && !rc; a++)
		for (size_t b = a + 1; b < k.ng && !rc; b++)
			rc = compare_hosts(tl, &k, a, b, diffs, best, &cap);
	if (tl->nskews > 1)
		qsort(tl->skews, tl->nskews, sizeof(*tl->skews), cmp_skew);
	free(diffs);
	free(best);
	free(k.runs);
	free(k.g);
	free(k.c);
	return rc;
}

size_t td_timeline_drop_context(struct td_timeline *tl,
				bool (*found)(const struct td_signature *sig, void *user),
				void *user)
{
	size_t k = 0;
	for (size_t i = 0; i < tl->n; i++) {
		const struct td_timeline_entry *e = &tl->e[i];
		if (e->role != TD_ROLE_TRIGGER && e->sig && !found(e->sig, user))
			continue;
		tl->e[k++] = *e;
	}
	size_t dropped = tl->n - k;
	tl->n = k;
	return dropped;
}

int td_timeline_finish(struct td_timeline *tl, const char *const *hosts, size_t nhosts)
{
	if (resolve_provisional(tl))
		return TD_E_NOMEM;
	drop_unmet_requires(tl);
	tl->nlocal = tl->nunknown = 0;
	for (size_t i = 0; i < tl->n; i++) {
		struct td_timeline_entry *e = &tl->e[i];
		tl->nlocal += e->time.zone == TD_ZONE_LOCAL;
		tl->nunknown += e->time.zone == TD_ZONE_NONE;
		const char *in = e->input < nhosts ? hosts[e->input] : NULL;
		if (!in || (e->host && cmp_icase(td_host_short(td_str_cstr(e->host)),
						 td_host_short(td_str_cstr(in))) != 0))
			continue;
		const struct td_timeline_entry *prev = i ? &tl->e[i - 1] : NULL;
		e->host = keep_shared(tl, td_str_cstr(in), prev ? prev->host : NULL);
		if (!e->host)
			return TD_E_NOMEM;
	}
	int rc = sort_entries(tl);
	return rc ? rc : estimate_skews(tl);
}
