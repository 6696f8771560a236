/* Grouping matches into findings; facts; checks; the fix plan (see
 * diagnose.h). */
#include "diagnose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks.h"
#include "grow.h"
#include "hosts.h"
#include "sigfacts.h"
#include "sqlbuild.h"

/* Support evidence kept per finding (they corroborate; a few suffice). */
#define TD_SUPPORT_EVIDENCE 3

/* Triggers superseded, provisionally, by one signature. */
struct prov {
	const struct td_signature *by;
	uint64_t count;
	struct td_time first, last;
};

#define MAX_PROV 4

/* One signature within one input. */
struct acc {
	size_t input;
	size_t host; /* 1 + the input's vote of the computer its events name; 0: none */
	uint64_t triggers, supports;
	struct prov prov[MAX_PROV];
	size_t nprov;
	uint32_t require_seen; /* bit per require clause index (first 32) */
	uint64_t when_seen;    /* bit per conditional remedy whose condition held */
	struct td_time first, last;
	struct td_evidence *ev;
	size_t nev;
	size_t nsupport_ev;
};

struct sigstate {
	struct acc *accs;
	size_t n, cap;
};

struct td_diagnoser {
	const struct td_sigdb *db;
	size_t max_evidence;
	size_t input;
	bool started;
	struct sigstate *sigs;
	struct td_fact *facts;
	size_t nfacts, capfacts;
	struct td_machines machines;
	/* Per input: its format and path (which signatures it could show). */
	struct input_info {
		enum td_format format;
		char *path;
		struct td_host_votes votes; /* computers its events name */
		struct td_time first, last; /* of its events with a time */
		char *machine;              /* at finish: td_hosts_name_inputs */
	} *ins;
	size_t nins, capins;
	size_t last_machine; /* index of the machine of machine_input + 1 */
	size_t machine_input;
	size_t *machine_inputs; /* per machine of `machines`: its input */
	size_t capmi;
	bool nomem;
};

struct td_diagnoser *td_diagnoser_new(const struct td_sigdb *db, size_t max_evidence)
{
	struct td_diagnoser *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->db = db;
	d->max_evidence = max_evidence < 2 ? 2 : max_evidence;
	d->sigs = calloc(db->nsigs ? db->nsigs : 1, sizeof(*d->sigs));
	if (!d->sigs) {
		free(d);
		return NULL;
	}
	td_machines_init(&d->machines);
	return d;
}

static void evidence_release(struct td_evidence *e)
{
	free(e->path);
	free((char *)e->time.text.p);
	free(e->excerpt);
	free(e->component);
	free(e->host);
	free(e->distinct);
	for (size_t i = 0; i < e->ncaps; i++) {
		free(e->caps[i].name);
		free(e->caps[i].value);
	}
}

static void finding_release(struct td_finding *f)
{
	for (size_t k = 0; k < f->nevidence; k++)
		evidence_release(&f->evidence[k]);
	free(f->evidence);
	free(f->detail);
	free(f->machine);
	free(f->confirmed);
	free(f->confirmed_on);
	free(f->collect);
}

static void fact_release(struct td_fact *f)
{
	free(f->name);
	free(f->value);
	free(f->path);
	free(f->excerpt);
}

static void input_info_release(struct input_info *in)
{
	free(in->path);
	free(in->machine);
	td_host_votes_release(&in->votes);
}

void td_diagnoser_free(struct td_diagnoser *d)
{
	if (!d)
		return;
	for (size_t s = 0; s < d->db->nsigs; s++) {
		for (size_t a = 0; a < d->sigs[s].n; a++) {
			struct acc *ac = &d->sigs[s].accs[a];
			for (size_t i = 0; i < ac->nev; i++)
				evidence_release(&ac->ev[i]);
			free(ac->ev);
		}
		free(d->sigs[s].accs);
	}
	free(d->sigs);
	for (size_t i = 0; i < d->nfacts; i++)
		fact_release(&d->facts[i]);
	free(d->facts);
	td_machines_release(&d->machines);
	for (size_t i = 0; i < d->nins; i++)
		input_info_release(&d->ins[i]);
	free(d->ins);
	free(d->machine_inputs);
	free(d);
}

size_t td_diagnoser_begin_input(struct td_diagnoser *d)
{
	if (d->started)
		d->input++;
	d->started = true;
	return d->input;
}

/* Appends n elements of size sz at src to the array *arr of *len (capacity
 * *cap); false without memory. */
static bool append(void *arr, size_t *cap, size_t *len, const void *src, size_t n, size_t sz)
{
	if (!n)
		return true;
	if (td_grow(arr, cap, *len + n - 1, sz))
		return false;
	memcpy((char *)*(void **)arr + *len * sz, src, n * sz);
	*len += n;
	return true;
}

bool td_diagnoser_absorb(struct td_diagnoser *d, struct td_diagnoser *from, size_t at)
{
	size_t nin = from->started ? from->input + 1 : 0;
	size_t next = d->started ? d->input + 1 : 0;
	size_t base = at > next ? at : next;
	for (size_t i = next; i < base + nin; i++)
		td_diagnoser_begin_input(d);
	if (from->nins) {
		/* Inputs of d without events have no entry either. */
		while (d->nins < base) {
			if (td_grow(&d->ins, &d->capins, d->nins, sizeof(*d->ins)))
				goto nomem;
			memset(&d->ins[d->nins++], 0, sizeof(*d->ins));
		}
		if (!append(&d->ins, &d->capins, &d->nins, from->ins, from->nins, sizeof(*d->ins)))
			goto nomem;
		from->nins = 0;
	}
	for (size_t s = 0; s < d->db->nsigs; s++) {
		struct sigstate *src = &from->sigs[s], *dst = &d->sigs[s];
		for (size_t a = 0; a < src->n; a++) {
			src->accs[a].input += base;
			for (size_t e = 0; e < src->accs[a].nev; e++)
				src->accs[a].ev[e].input += base;
		}
		if (!append(&dst->accs, &dst->cap, &dst->n, src->accs, src->n, sizeof(*src->accs)))
			goto nomem;
		src->n = 0;
	}
	/* Facts beyond the cap are dropped here; the machine model of their
	 * input has already seen them. */
	size_t keep = from->nfacts;
	if (keep > TD_MAX_FACTS - d->nfacts)
		keep = TD_MAX_FACTS - d->nfacts;
	for (size_t i = 0; i < from->nfacts; i++)
		from->facts[i].input += base;
	if (!append(&d->facts, &d->capfacts, &d->nfacts, from->facts, keep, sizeof(*d->facts)))
		goto nomem;
	for (size_t i = keep; i < from->nfacts; i++)
		fact_release(&from->facts[i]);
	from->nfacts = 0;
	/* Per-file machines: the same file in two inputs gives two, which
	 * td_machines_group() joins as it joins the files of one machine. */
	size_t nm = from->machines.n, m0 = d->machines.n;
	if (nm) {
		if (td_grow(&d->machine_inputs, &d->capmi, m0 + nm - 1, sizeof(*d->machine_inputs)))
			goto nomem;
		size_t mcap = d->machines.cap;
		if (!append(&d->machines.m, &mcap, &d->machines.n, from->machines.m, nm,
			    sizeof(*from->machines.m)))
			goto nomem;
		d->machines.cap = mcap;
		for (size_t i = 0; i < nm; i++)
			d->machine_inputs[m0 + i] = from->machine_inputs[i] + base;
		from->machines.n = 0;
	}
	d->machines.nomem |= from->machines.nomem;
	d->last_machine = 0;
	d->nomem |= from->nomem;
	return !d->nomem;
nomem:
	d->nomem = true;
	return false;
}

static char *dupn(struct td_diagnoser *d, struct td_str s)
{
	char *p = td_str_dup(s);
	if (!p)
		d->nomem = true;
	return p;
}

/* Cuts s to at most max bytes without splitting a UTF-8 character. */
static size_t utf8_cut(struct td_str s, size_t max)
{
	if (s.len <= max)
		return s.len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static struct td_str line_at(struct td_str msg, size_t off)
{
	if (off > msg.len)
		off = msg.len;
	size_t a = off, b = off;
	while (a > 0 && msg.p[a - 1] != '\n' && msg.p[a - 1] != '\r')
		a--;
	while (b < msg.len && msg.p[b] != '\n' && msg.p[b] != '\r')
		b++;
	return td_str_trim(td_str_make(msg.p + a, b - a));
}

char *td_excerpt(struct td_str message, size_t off, size_t len)
{
	struct td_str first = line_at(message, 0);
	struct td_str hit = len ? line_at(message, off) : first;
	size_t budget = TD_MAX_EXCERPT;
	char *out = malloc(TD_MAX_EXCERPT + 16);
	if (!out)
		return NULL;
	size_t o = 0;
	if (hit.p != first.p && first.len) {
		size_t n = utf8_cut(first, budget / 3);
		memcpy(out, first.p, n);
		o = n;
		memcpy(out + o, n < first.len ? "… | " : " | ", n < first.len ? 6 : 3);
		o += n < first.len ? 6 : 3;
		budget -= o < budget ? o : budget;
	}
	if (hit.len > budget && len) {
		/* Centre the window on the match. */
		size_t at = off - (size_t)(hit.p - message.p);
		size_t start = at > budget / 4 ? at - budget / 4 : 0;
		while (start > 0 && ((unsigned char)hit.p[start] & 0xC0) == 0x80)
			start--;
		if (start) {
			memcpy(out + o, "…", 3);
			o += 3;
			hit = td_str_slice(hit, start, hit.len);
		}
	}
	size_t n = utf8_cut(hit, budget > 3 ? budget - 3 : 0);
	if (n)
		memcpy(out + o, hit.p, n);
	o += n;
	if (n < hit.len) {
		memcpy(out + o, "…", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* The machine of the current input, named by its file (grouped into
 * machines by folder at the end). */
static struct td_machine *machine_of(struct td_diagnoser *d, const struct td_event *ev)
{
	if (d->last_machine && d->machine_input == d->input)
		return &d->machines.m[d->last_machine - 1];
	struct td_machine *m = td_machines_get(&d->machines, ev->path);
	size_t idx = m ? (size_t)(m - d->machines.m) : 0;
	if (!m || td_grow(&d->machine_inputs, &d->capmi, idx, sizeof(*d->machine_inputs))) {
		d->nomem = true;
		return NULL;
	}
	d->machine_inputs[idx] = d->input;
	d->last_machine = idx + 1;
	d->machine_input = d->input;
	return m;
}

static int registry_value(struct td_diagnoser *d, const struct td_event *ev)
{
	struct td_str key = td_event_field(ev, "key");
	if (!key.p)
		return TD_OK;
	struct td_machine *m = machine_of(d, ev);
	if (!m)
		return TD_E_NOMEM;
	struct td_str deleted = td_event_field(ev, "deleted");
	struct td_str value = td_event_field(ev, "value");
	if (td_str_ieq(value, td_str_cstr("ComputerName")) && !deleted.p &&
	    td_str_ifind(key, td_str_cstr("Control\\ComputerName\\ComputerName")) >= 0 &&
	    td_host_vote(&d->ins[d->input].votes, td_event_field(ev, "data"), 1))
		return TD_E_NOMEM;
	return td_machine_regvalue(m, key, td_event_field(ev, "value"),
				   td_event_field(ev, "type"), td_event_field(ev, "data"),
				   deleted.p != NULL, ev->path, ev->line, ev->message);
}

static int note_input(struct td_diagnoser *d, const struct td_event *ev)
{
	while (d->nins <= d->input) {
		if (td_grow(&d->ins, &d->capins, d->nins, sizeof(*d->ins)))
			return TD_E_NOMEM;
		memset(&d->ins[d->nins++], 0, sizeof(*d->ins));
	}
	struct input_info *in = &d->ins[d->input];
	in->format = ev->format;
	in->path = dupn(d, ev->path);
	return in->path ? TD_OK : TD_E_NOMEM;
}

/* Records fact name=value of the current input, once per input, with the
 * event that carried it; it feeds the machine model too. */
static int add_fact(struct td_diagnoser *d, struct td_str name, struct td_str value,
		    const struct td_event *ev)
{
	for (size_t k = 0; k < d->nfacts; k++)
		if (d->facts[k].input == d->input && td_str_eq_cstr(name, d->facts[k].name) &&
		    td_str_eq_cstr(value, d->facts[k].value))
			return TD_OK;
	if (d->nfacts >= TD_MAX_FACTS)
		return TD_OK;
	if (td_grow(&d->facts, &d->capfacts, d->nfacts, sizeof(*d->facts)))
		return TD_E_NOMEM;
	struct td_fact *fa = &d->facts[d->nfacts++];
	memset(fa, 0, sizeof(*fa));
	fa->name = dupn(d, name);
	fa->value = dupn(d, value);
	fa->path = dupn(d, ev->path);
	fa->input = d->input;
	fa->line = ev->line;
	fa->record = ev->line ? 0 : ev->record;
	fa->time = ev->time;
	fa->time.text = td_str_make(NULL, 0);
	fa->excerpt = td_excerpt(ev->message, 0, 0);
	if (!fa->excerpt || !fa->name || !fa->value || !fa->path)
		return TD_E_NOMEM;
	struct td_machine *m = machine_of(d, ev);
	if (!m || td_machine_fact(m, fa->name, fa->value, fa->path, fa->line))
		return TD_E_NOMEM;
	return TD_OK;
}

int td_diagnoser_event(struct td_diagnoser *d, const struct td_event *ev)
{
	if ((d->input >= d->nins || !d->ins[d->input].path) && note_input(d, ev))
		return TD_E_NOMEM;
	struct input_info *in = &d->ins[d->input];
	if (ev->host.len && td_host_vote(&in->votes, ev->host, 1))
		return TD_E_NOMEM;
	if (ev->time.zone != TD_ZONE_NONE) {
		if (!in->first.zone || ev->time.ticks < in->first.ticks)
			in->first = ev->time;
		if (!in->last.zone || ev->time.ticks > in->last.ticks)
			in->last = ev->time;
	}
	if (ev->format == TD_FMT_REGISTRY && registry_value(d, ev))
		return TD_E_NOMEM;
	for (size_t i = 0; i < ev->nfields && !d->nomem; i++) {
		const struct td_field *f = &ev->fields[i];
		if (td_str_starts_with(f->name, "fact.") && f->name.len > 5 && f->value.len &&
		    add_fact(d, td_str_slice(f->name, 5, f->name.len), f->value, ev))
			return TD_E_NOMEM;
	}
	return d->nomem ? TD_E_NOMEM : TD_OK;
}

/* The facts a trigger match of a signature with <fact> elements sets
 * (sigfacts.h). */
static int signature_facts(struct td_diagnoser *d, const struct td_match *m)
{
	char value[TD_MAX_FACT_VALUE];
	for (size_t i = 0; i < m->sig->nfacts; i++)
		if (td_sigfact_value(&m->sig->facts[i], m, value, sizeof(value)) &&
		    add_fact(d, td_str_cstr(m->sig->facts[i].name), td_str_cstr(value), m->ev))
			return TD_E_NOMEM;
	return TD_OK;
}

/* 1 + the vote of the computer ev names in the current input, or 0. */
static size_t host_of(struct td_diagnoser *d, const struct td_event *ev)
{
	if (!ev->host.len || d->input >= d->nins)
		return 0;
	const struct td_host_votes *hv = &d->ins[d->input].votes;
	size_t i = td_host_votes_find(hv, ev->host);
	return i < hv->n ? i + 1 : 0;
}

static struct acc *acc_for(struct td_diagnoser *d, size_t sig, size_t host)
{
	struct sigstate *ss = &d->sigs[sig];
	for (size_t i = ss->n; i-- > 0 && ss->accs[i].input == d->input;)
		if (ss->accs[i].host == host)
			return &ss->accs[i];
	if (td_grow(&ss->accs, &ss->cap, ss->n, sizeof(*ss->accs)))
		return NULL;
	struct acc *a = &ss->accs[ss->n++];
	memset(a, 0, sizeof(*a));
	a->input = d->input;
	a->host = host;
	return a;
}

static bool time_before(const struct td_time *a, const struct td_time *b)
{
	return a->ticks < b->ticks;
}

/* The value of sig->distinct in a match: the event part of that name, else
 * the pattern capture; {NULL, 0} when the signature has none. */
static struct td_str distinct_value(const struct td_match *m)
{
	if (!m->sig->distinct)
		return td_str_make(NULL, 0);
	struct td_str name = td_str_cstr(m->sig->distinct);
	struct td_str v = td_event_part(m->ev, name);
	for (size_t i = 0; !v.p && i < m->ncaps; i++)
		if (td_str_eq(m->caps[i].name, name))
			v = m->caps[i].value;
	return v;
}

/* Whether evidence of the same role already shows this distinct value. */
static bool distinct_seen(const struct td_evidence *ev, size_t n, const struct td_evidence *e)
{
	for (size_t i = 0; e->distinct && i < n; i++)
		if (ev[i].distinct && ev[i].role == e->role && !ev[i].superseded_by &&
		    !e->superseded_by && strcmp(ev[i].distinct, e->distinct) == 0)
			return true;
	return false;
}

static int fill_evidence(struct td_diagnoser *d, struct td_evidence *e, const struct td_match *m)
{
	const struct td_event *ev = m->ev;
	memset(e, 0, sizeof(*e));
	e->path = dupn(d, ev->path);
	e->input = d->input;
	e->line = ev->line;
	e->line_end = ev->line_end;
	e->record = ev->record;
	e->offset = ev->offset;
	e->time = ev->time;
	e->time.text = td_str_make(dupn(d, ev->time.text), ev->time.text.len);
	e->role = m->clause->role;
	e->superseded_by = m->superseded_by;
	e->excerpt = td_excerpt(ev->message, m->match_off, m->match_len);
	e->component = ev->provider.len ? dupn(d, ev->provider) : NULL;
	e->host = ev->host.len ? dupn(d, ev->host) : NULL;
	e->nexplains = td_explain_event(d->db, ev, e->explains, TD_MAX_EXPLAIN);
	for (size_t i = 0; i < m->ncaps; i++) {
		e->caps[i].name = dupn(d, m->caps[i].name);
		e->caps[i].value = dupn(d, td_str_make(m->caps[i].value.p,
						       utf8_cut(m->caps[i].value, 200)));
	}
	e->ncaps = m->ncaps;
	struct td_str dv = distinct_value(m);
	if (dv.p)
		e->distinct = dupn(d, dv);
	if (!e->excerpt)
		d->nomem = true;
	return d->nomem ? TD_E_NOMEM : TD_OK;
}

/* Whether "Field=v1|v2" holds for a match (a value equal, ignoring case):
 * the event's field of that name, else the pattern capture of that name
 * (texts without fields: "fatal alert code is (?<AlertDesc>\d+)"). */
/* The numbers a match's message names, looked up once per match. */
struct explained {
	const struct td_explain *x[TD_MAX_EXPLAIN];
	size_t n;
	bool done;
};

static bool condition_holds(const struct td_sigdb *db, const char *when, const struct td_match *m,
			    struct explained *ex)
{
	const char *eq = strchr(when, '=');
	struct td_str key = td_str_make(when, (size_t)(eq - when));
	struct td_str value = td_event_part(m->ev, key);
	for (size_t i = 0; !value.p && i < m->ncaps; i++)
		if (td_str_eq(m->caps[i].name, key))
			value = m->caps[i].value;
	char num[16];
	if (!value.p) {
		/* Exports without fields: the numbers the message names. */
		enum td_explain_kind kind = td_str_eq_cstr(key, "AlertDesc") ? TD_EXPLAIN_ALERT
					    : td_str_eq_cstr(key, "ErrorState") ? TD_EXPLAIN_STATE
										: TD_EXPLAIN_KINDS;
		if (kind != TD_EXPLAIN_KINDS && !ex->done) {
			ex->n = td_explain_event(db, m->ev, ex->x, TD_MAX_EXPLAIN);
			ex->done = true;
		}
		for (size_t i = 0; kind != TD_EXPLAIN_KINDS && i < ex->n && !value.p; i++)
			if (ex->x[i]->kind == kind) {
				snprintf(num, sizeof(num), "%u", ex->x[i]->code);
				value = td_str_cstr(num);
			}
	}
	if (!value.p)
		return false;
	value = td_str_trim(value);
	for (const char *p = eq + 1; *p;) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (td_str_ieq(value, td_str_make(p, n)))
			return true;
		p += n + (end ? 1 : 0);
	}
	return false;
}

/* Bits of the conditional remedies of sig whose condition the match meets. */
static uint64_t conditions_met(const struct td_sigdb *db, const struct td_signature *sig,
			       const struct td_match *m)
{
	uint64_t bits = 0;
	struct explained ex = { .done = false };
	for (size_t r = 0; r < sig->nremedies && r < 64; r++)
		if (sig->remedy_when && sig->remedy_when[r] &&
		    condition_holds(db, sig->remedy_when[r], m, &ex))
			bits |= (uint64_t)1 << r;
	return bits;
}

int td_diagnoser_match(struct td_diagnoser *d, const struct td_match *m)
{
	if (m->clause->role == TD_ROLE_TRIGGER && m->sig->nfacts && !m->superseded_by &&
	    signature_facts(d, m))
		return TD_E_NOMEM;
	if (td_signature_facts_only(m->sig))
		return TD_OK; /* facts, not findings */
	struct acc *a = acc_for(d, m->sig->index, host_of(d, m->ev));
	if (!a)
		return TD_E_NOMEM;
	const struct td_clause *c = m->clause;
	if (c->role == TD_ROLE_REQUIRE) {
		size_t idx = 0;
		for (size_t i = 0; i < m->sig->nclauses && &m->sig->clauses[i] != c; i++)
			idx += m->sig->clauses[i].role == TD_ROLE_REQUIRE;
		if (idx < 32)
			a->require_seen |= 1u << idx;
	}
	if (c->role == TD_ROLE_SUPPORT)
		a->supports++;
	if (c->role == TD_ROLE_TRIGGER) {
		struct td_time *first = &a->first, *last = &a->last;
		if (m->superseded_by) {
			struct prov *p = NULL;
			for (size_t i = 0; i < a->nprov && !p; i++)
				if (a->prov[i].by == m->superseded_by)
					p = &a->prov[i];
			if (!p && a->nprov < MAX_PROV) {
				p = &a->prov[a->nprov++];
				memset(p, 0, sizeof(*p));
				p->by = m->superseded_by;
			}
			if (!p)
				return TD_OK; /* more superseding signatures than we track */
			p->count++;
			first = &p->first;
			last = &p->last;
		} else {
			a->triggers++;
		}
		a->when_seen |= conditions_met(d->db, m->sig, m);
		const struct td_time *t = &m->ev->time;
		if (t->zone != TD_ZONE_NONE) {
			if (first->zone == TD_ZONE_NONE || time_before(t, first))
				*first = *t;
			if (last->zone == TD_ZONE_NONE || time_before(last, t))
				*last = *t;
		}
	}
	/* Evidence: triggers up to the cap (the last slot always holds the
	 * latest), a few supports, and requires (each shows why it fired).  A
	 * signature with a distinct part keeps one trigger per value of it. */
	if (c->role == TD_ROLE_TRIGGER && !m->superseded_by) {
		struct td_str dv = distinct_value(m);
		for (size_t i = 0; dv.p && i < a->nev; i++)
			if (a->ev[i].distinct && a->ev[i].role == TD_ROLE_TRIGGER &&
			    !a->ev[i].superseded_by && td_str_eq_cstr(dv, a->ev[i].distinct))
				return TD_OK;
	}
	bool keep;
	size_t slot = a->nev;
	if (c->role == TD_ROLE_SUPPORT) {
		keep = a->nsupport_ev < TD_SUPPORT_EVIDENCE;
	} else if (a->nev < d->max_evidence + TD_SUPPORT_EVIDENCE + 4) {
		keep = true;
	} else {
		keep = c->role == TD_ROLE_TRIGGER;
		if (keep) {
			/* Replace the newest trigger evidence. */
			for (size_t i = a->nev; i-- > 0;)
				if (a->ev[i].role == TD_ROLE_TRIGGER) {
					slot = i;
					break;
				}
			if (slot == a->nev)
				keep = false;
		}
	}
	if (!keep)
		return TD_OK;
	if (slot == a->nev) {
		struct td_evidence *ne = realloc(a->ev, (a->nev + 1) * sizeof(*ne));
		if (!ne)
			return TD_E_NOMEM;
		a->ev = ne;
		a->nev++;
	} else {
		evidence_release(&a->ev[slot]);
	}
	if (c->role == TD_ROLE_SUPPORT)
		a->nsupport_ev++;
	return fill_evidence(d, &a->ev[slot], m);
}

static uint32_t require_mask(const struct td_signature *sig)
{
	uint32_t mask = 0;
	size_t idx = 0;
	for (size_t i = 0; i < sig->nclauses; i++)
		if (sig->clauses[i].role == TD_ROLE_REQUIRE && idx < 32)
			mask |= 1u << idx++;
	return mask;
}

/* Whether sig's own triggers in this input stand (its requires were seen).
 * Provisional triggers of sig are not counted: supersession never chains. */
static bool stands(struct td_diagnoser *d, const struct td_signature *sig, size_t input)
{
	struct sigstate *ss = &d->sigs[sig->index];
	uint32_t need = require_mask(sig);
	for (size_t a = 0; a < ss->n; a++)
		if (ss->accs[a].input == input && ss->accs[a].triggers &&
		    (ss->accs[a].require_seen & need) == need)
			return true;
	return false;
}

/* Decides the provisional matches of ac: those whose superseding signature
 * stands in the same input are dropped, the others become real.  Only
 * reads the real trigger counts of other signatures, so every accumulator
 * can be decided before any is changed (see settle_all). */
static void decide(struct td_diagnoser *d, struct acc *ac)
{
	for (size_t i = 0; i < ac->nprov; i++)
		if (stands(d, ac->prov[i].by, ac->input))
			ac->prov[i].count = 0;
	for (size_t i = 0; i < ac->nev; i++) {
		struct td_evidence *e = &ac->ev[i];
		if (e->superseded_by && e->path && stands(d, e->superseded_by, ac->input)) {
			evidence_release(e);
			memset(e, 0, sizeof(*e));
		}
	}
}

static void fold(struct acc *ac)
{
	for (size_t i = 0; i < ac->nprov; i++) {
		struct prov *p = &ac->prov[i];
		ac->triggers += p->count;
		if (p->count && p->first.zone && (!ac->first.zone || time_before(&p->first, &ac->first)))
			ac->first = p->first;
		if (p->count && p->last.zone && (!ac->last.zone || time_before(&ac->last, &p->last)))
			ac->last = p->last;
		p->count = 0;
	}
	ac->nprov = 0;
}

static void settle_all(struct td_diagnoser *d)
{
	for (size_t s = 0; s < d->db->nsigs; s++)
		for (size_t a = 0; a < d->sigs[s].n; a++)
			decide(d, &d->sigs[s].accs[a]);
	for (size_t s = 0; s < d->db->nsigs; s++)
		for (size_t a = 0; a < d->sigs[s].n; a++)
			fold(&d->sigs[s].accs[a]);
}

static uint64_t unconditional(const struct td_signature *sig)
{
	uint64_t bits = 0;
	for (size_t r = 0; r < sig->nremedies && r < 64; r++)
		if (!sig->remedy_when || !sig->remedy_when[r])
			bits |= (uint64_t)1 << r;
	return bits;
}

/* The machine an accumulator's events came from: the computer they name,
 * else the machine of their input; NULL when unknown. */
static struct td_str acc_machine(const struct td_diagnoser *d, const struct acc *a)
{
	if (a->input >= d->nins)
		return td_str_make(NULL, 0); /* matches fed without their events */
	const struct input_info *in = &d->ins[a->input];
	if (a->host && a->host <= in->votes.n)
		return td_host_short(td_str_cstr(in->votes.v[a->host - 1].name));
	return td_str_make(in->machine, in->machine ? strlen(in->machine) : 0);
}

static bool same_machine(struct td_str a, struct td_str b)
{
	return (!a.p && !b.p) || (a.p && b.p && td_str_ieq(a, b));
}

/* Whether ac's triggers stand and it belongs to machine. */
static bool qualifies(const struct td_diagnoser *d, const struct acc *ac, uint32_t need,
		      struct td_str machine)
{
	return ac->triggers && (ac->require_seen & need) == need &&
	       same_machine(acc_machine(d, ac), machine);
}

/* Moves the qualifying evidence of one signature on one machine into a
 * finding.  Returns false when nothing qualifies. */
static bool build_finding(struct td_diagnoser *d, const struct td_signature *sig,
			  struct td_str machine, struct td_finding *f)
{
	struct sigstate *ss = &d->sigs[sig->index];
	uint32_t need = require_mask(sig);
	memset(f, 0, sizeof(*f));
	f->sig = sig;
	f->severity = sig->severity;
	f->confidence = sig->confidence;
	f->remedies_on = unconditional(sig);
	size_t total = 0;
	for (size_t a = 0; a < ss->n; a++)
		if (qualifies(d, &ss->accs[a], need, machine))
			total += ss->accs[a].nev;
	if (!total)
		return false;
	f->evidence = calloc(total, sizeof(*f->evidence));
	f->machine = machine.p ? td_str_dup(machine) : NULL;
	if (!f->evidence || (machine.p && !f->machine)) {
		free(f->evidence);
		free(f->machine);
		d->nomem = true;
		return false;
	}
	size_t trig_kept = 0, last_trigger = SIZE_MAX;
	/* Triggers first, then what corroborates them, each in arrival order. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t a = 0; a < ss->n; a++) {
			struct acc *ac = &ss->accs[a];
			if (!qualifies(d, ac, need, machine))
				continue;
			if (pass == 0) {
				f->remedies_on |= ac->when_seen;
				f->count += ac->triggers;
				f->supports += ac->supports;
				if (ac->first.zone && (!f->first.zone || time_before(&ac->first, &f->first)))
					f->first = ac->first;
				if (ac->last.zone && (!f->last.zone || time_before(&f->last, &ac->last)))
					f->last = ac->last;
			}
			for (size_t i = 0; i < ac->nev; i++) {
				struct td_evidence *e = &ac->ev[i];
				bool is_trigger = e->role == TD_ROLE_TRIGGER;
				if (is_trigger != (pass == 0) || !e->path)
					continue;
				if (distinct_seen(f->evidence, f->nevidence, e)) {
					/* Shown already, from another input. */
					evidence_release(e);
					memset(e, 0, sizeof(*e));
					continue;
				}
				if (is_trigger && trig_kept + 1 >= d->max_evidence &&
				    last_trigger != SIZE_MAX) {
					/* Beyond the cap only the latest is kept. */
					evidence_release(&f->evidence[last_trigger]);
					f->evidence[last_trigger] = *e;
					memset(e, 0, sizeof(*e));
					continue;
				}
				f->evidence[f->nevidence] = *e;
				memset(e, 0, sizeof(*e));
				if (is_trigger && ++trig_kept >= d->max_evidence)
					last_trigger = f->nevidence;
				f->nevidence++;
			}
		}
	}
	for (size_t a = 0; a < ss->n; a++)
		if (qualifies(d, &ss->accs[a], need, machine))
			ss->accs[a].nev = 0; /* all moved */
	if (f->supports && f->confidence < TD_CONF_HIGH)
		f->confidence++;
	return true;
}

static int add_finding(struct td_diagnosis *dx, size_t *cap, struct td_finding *f)
{
	if (td_grow(&dx->findings, cap, dx->nfindings, sizeof(*dx->findings)))
		return TD_E_NOMEM;
	dx->findings[dx->nfindings++] = *f;
	return TD_OK;
}

/* Distinct machines (those of the inputs and the computers events name),
 * counted up to TD_HOST_VOTES. */
static size_t count_machines(const struct td_diagnoser *d)
{
	struct td_host_votes seen = { 0 };
	size_t n = 0;
	for (size_t i = 0; i < d->nins && n < TD_HOST_VOTES; i++) {
		const struct input_info *in = &d->ins[i];
		if (in->machine && td_host_vote(&seen, td_str_cstr(in->machine), 1) == TD_OK)
			n = seen.n;
		for (size_t v = 0; v < in->votes.n && n < TD_HOST_VOTES; v++)
			if (td_host_vote(&seen, td_host_short(td_str_cstr(in->votes.v[v].name)), 1) ==
			    TD_OK)
				n = seen.n;
	}
	td_host_votes_release(&seen);
	return n;
}

/* One finding of sig per machine its standing triggers came from. */
static int build_findings(struct td_diagnoser *d, const struct td_signature *sig,
			  struct td_diagnosis *dx, size_t *cap)
{
	struct sigstate *ss = &d->sigs[sig->index];
	uint32_t need = require_mask(sig);
	for (size_t a = 0; a < ss->n; a++) {
		struct acc *ac = &ss->accs[a];
		if (!ac->triggers || (ac->require_seen & need) != need || !ac->nev)
			continue; /* not standing, or its machine's finding took it */
		struct td_finding f;
		if (build_finding(d, sig, acc_machine(d, ac), &f) && add_finding(dx, cap, &f)) {
			finding_release(&f);
			return TD_E_NOMEM;
		}
		if (d->nomem)
			return TD_E_NOMEM;
	}
	return TD_OK;
}

/* Names the machine of every input (hosts.h) and groups the machine model
 * by those names. */
static int attribute(struct td_diagnoser *d, struct td_diagnosis *dx)
{
	size_t n = d->nins;
	const char **paths = malloc((n ? n : 1) * sizeof(*paths));
	struct td_host_votes *votes = malloc((n ? n : 1) * sizeof(*votes));
	char **names = calloc(n ? n : 1, sizeof(*names));
	size_t *at = malloc((n ? n : 1) * sizeof(*at));
	char **mnames = calloc(d->machines.n ? d->machines.n : 1, sizeof(*mnames));
	dx->inputs = calloc(n ? n : 1, sizeof(*dx->inputs));
	int rc = paths && votes && names && at && mnames && dx->inputs ? TD_OK : TD_E_NOMEM;
	/* Inputs without events say nothing about machines. */
	size_t k = 0;
	for (size_t i = 0; i < n && !rc; i++)
		if (d->ins[i].path) {
			paths[k] = d->ins[i].path;
			votes[k] = d->ins[i].votes; /* borrowed */
			at[k++] = i;
		}
	if (!rc)
		rc = td_hosts_name_inputs(paths, votes, k, names);
	for (size_t i = 0; i < k && !rc; i++)
		d->ins[at[i]].machine = names[i];
	for (size_t m = 0; m < d->machines.n && !rc; m++)
		mnames[m] = d->ins[d->machine_inputs[m]].machine;
	if (!rc)
		rc = td_machines_group(&d->machines, mnames);
	for (size_t i = 0; i < n && !rc; i++) {
		struct input_info *in = &d->ins[i];
		dx->inputs[i].first = in->first;
		dx->inputs[i].last = in->last;
		dx->inputs[i].first.text = dx->inputs[i].last.text = td_str_make(NULL, 0);
		if (in->machine && !(dx->inputs[i].machine = strdup(in->machine)))
			rc = TD_E_NOMEM;
	}
	if (dx->inputs)
		dx->ninputs = n;
	dx->nmachines = count_machines(d);
	free(paths);
	free(votes);
	free(names);
	free(at);
	free(mnames);
	return rc;
}

/* Appends one evidence entry to a check finding; text is copied. */
static int check_evidence(struct td_diagnoser *d, struct td_finding *f, const char *path,
			  size_t input, uint64_t line, struct td_time time, const char *text)
{
	struct td_evidence *ne = realloc(f->evidence, (f->nevidence + 1) * sizeof(*ne));
	if (!ne)
		return TD_E_NOMEM;
	f->evidence = ne;
	struct td_evidence *e = &ne[f->nevidence++];
	memset(e, 0, sizeof(*e));
	e->path = dupn(d, td_str_cstr(path));
	e->input = input;
	e->line = e->line_end = line;
	e->time = time;
	e->role = TD_ROLE_TRIGGER;
	e->excerpt = dupn(d, td_str_cstr(text));
	if (time.zone && (!f->first.zone || time.ticks < f->first.ticks))
		f->first = time;
	if (time.zone && (!f->last.zone || time.ticks > f->last.ticks))
		f->last = time;
	return d->nomem ? TD_E_NOMEM : TD_OK;
}

static int add_detail(struct td_diagnoser *d, struct td_finding *f, const char *prefix,
		      const char *text)
{
	size_t old = f->detail ? strlen(f->detail) : 0;
	size_t add = strlen(prefix) + strlen(text) + (old ? 1 : 0);
	char *nd = realloc(f->detail, old + add + 1);
	if (!nd) {
		d->nomem = true;
		return TD_E_NOMEM;
	}
	snprintf(nd + old, add + 1, "%s%s%s", old ? "\n" : "", prefix, text);
	f->detail = nd;
	return TD_OK;
}

/* The check finding of sig on machine (appended on first use): its index
 * in dx->findings, or SIZE_MAX without memory. */
static size_t check_finding(struct td_diagnosis *dx, size_t *cap, const struct td_signature *sig,
			    struct td_str machine)
{
	for (size_t i = 0; i < dx->nfindings; i++) {
		const struct td_finding *f = &dx->findings[i];
		if (f->sig == sig && same_machine(td_str_make(f->machine, f->machine ?
							      strlen(f->machine) : 0), machine))
			return i;
	}
	struct td_finding f = { .sig = sig, .severity = sig->severity,
				.confidence = sig->confidence, .remedies_on = unconditional(sig) };
	if (machine.p && !(f.machine = td_str_dup(machine)))
		return SIZE_MAX;
	if (add_finding(dx, cap, &f)) {
		free(f.machine);
		return SIZE_MAX;
	}
	return dx->nfindings - 1;
}

/* The SQL Server build checks, on every build fact. */
static int sql_check(struct td_diagnoser *d, const struct td_signature *sig,
		     struct td_diagnosis *dx, size_t *cap)
{
	for (size_t i = 0; i < d->nfacts; i++) {
		const struct td_fact *fa = &d->facts[i];
		uint32_t build[4];
		if (strcmp(fa->name, "sql_server.version") != 0 ||
		    !td_sql_parse_build(fa->value, build))
			continue;
		char text[600];
		bool hit = false;
		if (sig->check == TD_CHECK_SQL_BUILD_TLS12) {
			struct td_sql_verdict v;
			td_sql_check_tls12(d->db, build, &v);
			hit = v.status == TD_SQL_BELOW || v.status == TD_SQL_NEVER;
			memcpy(text, v.text, sizeof(text));
		} else {
			hit = td_sql_check_kb3146034(d->db, build, text, sizeof(text));
		}
		if (!hit)
			continue;
		const char *machine = fa->input < d->nins ? d->ins[fa->input].machine : NULL;
		size_t at = check_finding(dx, cap, sig, td_str_make(machine, machine ?
								  strlen(machine) : 0));
		if (at == SIZE_MAX)
			return TD_E_NOMEM;
		struct td_finding *f = &dx->findings[at];
		f->count++;
		if (check_evidence(d, f, fa->path, fa->input, fa->line, fa->time,
				   fa->excerpt ? fa->excerpt : fa->value))
			return TD_E_NOMEM;
		if (!f->detail && add_detail(d, f, "", text))
			return TD_E_NOMEM;
	}
	return TD_OK;
}

/* The input read from path (the first, 0 when none). */
static size_t input_of_path(const struct td_diagnoser *d, const char *path)
{
	for (size_t i = 0; path && i < d->nins; i++)
		if (d->ins[i].path && strcmp(d->ins[i].path, path) == 0)
			return i;
	return 0;
}

/* Per machine of the model: whether a log finding that sig explains (its
 * signature names sig in <confirmed-by>) stands on it.  malloc'ed; NULL
 * without memory. */
static bool *symptoms_of(const struct td_diagnoser *d, const struct td_diagnosis *dx,
			 const struct td_signature *sig)
{
	bool *on = calloc(d->machines.n ? d->machines.n : 1, sizeof(*on));
	for (size_t k = 0; on && k < dx->nfindings; k++) {
		const struct td_finding *f = &dx->findings[k];
		bool explains = false;
		for (size_t c = 0; c < f->sig->nconfirmed_by; c++)
			explains |= f->sig->confirmed_by[c] == sig;
		for (size_t i = 0; explains && i < d->machines.n; i++) {
			const struct td_machine *m = &d->machines.m[i];
			const char *name = m->named ? m->name : NULL;
			on[i] |= f->machine && name
					 ? td_str_ieq(td_host_short(td_str_cstr(f->machine)),
						      td_host_short(td_str_cstr(name)))
					 : !f->machine && !name;
		}
	}
	return on;
}

/* A machine rule, on every machine: one finding per machine it holds on. */
static int machine_check(struct td_diagnoser *d, const struct td_signature *sig,
			 struct td_diagnosis *dx, size_t *cap)
{
	struct td_check_hit *hit = malloc(sizeof(*hit));
	bool *symptom = td_check_uses_symptoms(sig->check) ? symptoms_of(d, dx, sig) : NULL;
	if (!hit || (td_check_uses_symptoms(sig->check) && !symptom)) {
		free(hit);
		free(symptom);
		return TD_E_NOMEM;
	}
	struct td_check_context ctx = { d->machines.m, d->machines.n, symptom };
	int rc = TD_OK;
	for (size_t i = 0; i < d->machines.n && !rc; i++) {
		const struct td_machine *m = &d->machines.m[i];
		if (!td_check_machine_in(sig->check, &ctx, i, sig->severity, hit))
			continue;
		struct td_str name = m->named ? td_str_cstr(m->name) : td_str_make(NULL, 0);
		size_t at = check_finding(dx, cap, sig, name);
		if (at == SIZE_MAX) {
			rc = TD_E_NOMEM;
			break;
		}
		struct td_finding *f = &dx->findings[at];
		if (!f->count || hit->severity > f->severity)
			f->severity = hit->severity;
		f->count++;
		rc = add_detail(d, f, "", hit->detail);
		for (size_t k = 0; !rc && k < hit->nev; k++)
			rc = check_evidence(d, f, hit->ev[k].path, input_of_path(d, hit->ev[k].path),
					    hit->ev[k].line, (struct td_time){ 0 }, hit->ev[k].text);
	}
	free(hit);
	free(symptom);
	return rc;
}

/* Findings from the database's checks on the facts and the machines. */
static int run_checks(struct td_diagnoser *d, struct td_diagnosis *dx, size_t *cap)
{
	td_machines_finish(&d->machines);
	for (size_t s = 0; s < d->db->nsigs; s++) {
		const struct td_signature *sig = &d->db->sigs[s];
		if (sig->check == TD_CHECK_NONE)
			continue;
		int rc = td_check_is_machine_rule(sig->check) ? machine_check(d, sig, dx, cap)
							      : sql_check(d, sig, dx, cap);
		if (rc)
			return rc;
	}
	return d->nomem ? TD_E_NOMEM : TD_OK;
}

/* Whether any input could have shown sig (its formats and files). */
static bool could_show(struct td_diagnoser *d, const struct td_signature *sig,
		       pcre2_match_data *md)
{
	for (size_t i = 0; i < d->nins; i++)
		if (d->ins[i].path &&
		    td_signature_applicable(sig, d->ins[i].format, td_str_cstr(d->ins[i].path), md))
			return true;
	return false;
}

struct td_finding *td_diagnosis_finding(const struct td_diagnosis *dx,
					const struct td_signature *sig, const char *machine)
{
	/* The finding on that machine (machine NULL: on no named one), else
	 * with machine NULL the first on any. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < dx->nfindings; i++) {
			struct td_finding *f = &dx->findings[i];
			if (f->sig != sig)
				continue;
			if (pass == 1 || (!machine && !f->machine) ||
			    (machine && f->machine && strcasecmp(f->machine, machine) == 0))
				return f;
		}
	return NULL;
}

static int push_sig(const struct td_signature ***arr, size_t *n, const struct td_signature *s)
{
	const struct td_signature **na = realloc(*arr, (*n + 1) * sizeof(*na));
	if (!na)
		return TD_E_NOMEM;
	na[(*n)++] = s;
	*arr = na;
	return TD_OK;
}

/* Records that g (on its machine) confirms f. */
static int push_confirmed(struct td_finding *f, const struct td_finding *g)
{
	const char **on = realloc(f->confirmed_on, (f->nconfirmed + 1) * sizeof(*on));
	if (!on)
		return TD_E_NOMEM;
	f->confirmed_on = on;
	on[f->nconfirmed] = g->machine;
	return push_sig(&f->confirmed, &f->nconfirmed, g->sig);
}

/* Joins log findings with the configuration findings that explain them. */
static int correlate(struct td_diagnoser *d, struct td_diagnosis *dx)
{
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	if (!md)
		return TD_E_NOMEM;
	int rc = TD_OK;
	for (size_t i = 0; i < dx->nfindings && !rc; i++) {
		struct td_finding *f = &dx->findings[i];
		for (size_t k = 0; k < f->sig->nconfirmed_by && !rc; k++) {
			const struct td_signature *c = f->sig->confirmed_by[k];
			/* The same machine's configuration first (a client's own
			 * settings), else any machine's (the server it talks to). */
			struct td_finding *g = f->machine ? td_diagnosis_finding(dx, c, f->machine)
							  : NULL;
			if (!g)
				g = td_diagnosis_finding(dx, c, NULL);
			if (g) {
				rc = push_confirmed(f, g);
				f->confidence = TD_CONF_HIGH;
				if (!g->merged_into) {
					g->merged_into = f->sig;
					g->merged_on = f->machine;
				}
			} else if (!could_show(d, c, md)) {
				rc = push_sig(&f->collect, &f->ncollect, c);
			}
		}
	}
	/* A finding explained by another one is not folded into a third. */
	for (size_t i = 0; i < dx->nfindings; i++) {
		struct td_finding *f = &dx->findings[i];
		if (f->merged_into && f->nconfirmed) {
			f->merged_into = NULL;
			f->merged_on = NULL;
		}
	}
	pcre2_match_data_free(md);
	return rc;
}

bool td_finding_uses_remedy(const struct td_finding *f, size_t r)
{
	return r >= 64 || (f->remedies_on >> r & 1);
}

static int finding_order(const void *pa, const void *pb)
{
	const struct td_finding *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->confidence != b->confidence)
		return a->confidence > b->confidence ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->sig->id, b->sig->id);
}

static int build_plan(struct td_diagnosis *dx)
{
	for (int phase = TD_PHASE_INVESTIGATE; phase <= TD_PHASE_LAST; phase++) {
		for (size_t i = 0; i < dx->nfindings; i++) {
			const struct td_finding *f = &dx->findings[i];
			if (f->severity == TD_SEV_INFO)
				continue;
			for (size_t r = 0; r < f->sig->nremedies; r++) {
				const struct td_remedy *rem = f->sig->remedies[r];
				if ((int)rem->phase != phase || !td_finding_uses_remedy(f, r))
					continue;
				struct td_plan_item *it = NULL;
				for (size_t k = 0; k < dx->nplan; k++)
					if (dx->plan[k].remedy == rem)
						it = &dx->plan[k];
				if (!it) {
					struct td_plan_item *np =
						realloc(dx->plan, (dx->nplan + 1) * sizeof(*np));
					if (!np)
						return TD_E_NOMEM;
					dx->plan = np;
					it = &np[dx->nplan++];
					memset(it, 0, sizeof(*it));
					it->remedy = rem;
				}
				const struct td_finding **nf =
					realloc(it->findings, (it->nfindings + 1) * sizeof(*nf));
				if (!nf)
					return TD_E_NOMEM;
				it->findings = nf;
				nf[it->nfindings++] = f;
			}
		}
	}
	return TD_OK;
}

int td_diagnoser_finish(struct td_diagnoser *d, struct td_diagnosis **out)
{
	*out = NULL;
	struct td_diagnosis *dx = calloc(1, sizeof(*dx));
	if (!dx)
		return TD_E_NOMEM;
	size_t cap = 0;
	int rc = TD_OK;
	settle_all(d);
	rc = attribute(d, dx);
	for (size_t s = 0; s < d->db->nsigs && !rc; s++)
		rc = build_findings(d, &d->db->sigs[s], dx, &cap);
	if (!rc)
		rc = run_checks(d, dx, &cap);
	if (!rc)
		rc = correlate(d, dx);
	if (!rc && dx->nfindings)
		qsort(dx->findings, dx->nfindings, sizeof(*dx->findings), finding_order);
	for (size_t i = 0; i < dx->nfindings; i++)
		if (!dx->findings[i].merged_into)
			dx->count[dx->findings[i].severity]++;
	if (!rc)
		rc = build_plan(dx);
	/* Facts and machines move over. */
	dx->machines = d->machines;
	td_machines_init(&d->machines);
	d->last_machine = 0;
	dx->facts = d->facts;
	dx->nfacts = d->nfacts;
	d->facts = NULL;
	d->nfacts = d->capfacts = 0;
	if (!rc && d->nomem)
		rc = TD_E_NOMEM;
	if (rc) {
		td_diagnosis_free(dx);
		return rc;
	}
	*out = dx;
	return TD_OK;
}

void td_diagnosis_free(struct td_diagnosis *dx)
{
	if (!dx)
		return;
	for (size_t i = 0; i < dx->nfindings; i++)
		finding_release(&dx->findings[i]);
	free(dx->findings);
	for (size_t i = 0; i < dx->ninputs; i++)
		free(dx->inputs[i].machine);
	free(dx->inputs);
	for (size_t i = 0; i < dx->nfacts; i++)
		fact_release(&dx->facts[i]);
	free(dx->facts);
	td_machines_release(&dx->machines);
	for (size_t i = 0; i < dx->nplan; i++)
		free(dx->plan[i].findings);
	free(dx->plan);
	free(dx);
}
