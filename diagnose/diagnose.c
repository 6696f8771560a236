/* Grouping matches into findings; facts; checks; the fix plan (see
 * diagnose.h). */
#include "diagnose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "grow.h"
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
	} *ins;
	size_t nins, capins;
	size_t last_machine; /* index of the machine of machine_input + 1 */
	size_t machine_input;
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
	for (size_t i = 0; i < e->ncaps; i++) {
		free(e->caps[i].name);
		free(e->caps[i].value);
	}
}

static void fact_release(struct td_fact *f)
{
	free(f->name);
	free(f->value);
	free(f->path);
	free(f->excerpt);
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
		free(d->ins[i].path);
	free(d->ins);
	free(d);
}

size_t td_diagnoser_begin_input(struct td_diagnoser *d)
{
	if (d->started)
		d->input++;
	d->started = true;
	return d->input;
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
	if (!m) {
		d->nomem = true;
		return NULL;
	}
	d->last_machine = (size_t)(m - d->machines.m) + 1;
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
	return td_machine_regvalue(m, key, td_event_field(ev, "value"),
				   td_event_field(ev, "type"), td_event_field(ev, "data"),
				   deleted.p != NULL, ev->path, ev->line, ev->message);
}

static int note_input(struct td_diagnoser *d, const struct td_event *ev)
{
	while (d->nins <= d->input) {
		if (td_grow(&d->ins, &d->capins, d->nins, sizeof(*d->ins)))
			return TD_E_NOMEM;
		d->ins[d->nins++] = (struct input_info){ TD_FMT_UNKNOWN, NULL };
	}
	struct input_info *in = &d->ins[d->input];
	in->format = ev->format;
	in->path = dupn(d, ev->path);
	return in->path ? TD_OK : TD_E_NOMEM;
}

int td_diagnoser_event(struct td_diagnoser *d, const struct td_event *ev)
{
	if ((d->input >= d->nins || !d->ins[d->input].path) && note_input(d, ev))
		return TD_E_NOMEM;
	if (ev->format == TD_FMT_REGISTRY && registry_value(d, ev))
		return TD_E_NOMEM;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct td_field *f = &ev->fields[i];
		if (!td_str_starts_with(f->name, "fact.") || f->name.len <= 5 || f->value.len == 0)
			continue;
		struct td_str name = td_str_slice(f->name, 5, f->name.len);
		bool dup = false;
		for (size_t k = 0; k < d->nfacts && !dup; k++)
			dup = d->facts[k].input == d->input && td_str_eq_cstr(name, d->facts[k].name) &&
			      td_str_eq_cstr(f->value, d->facts[k].value);
		if (dup || d->nfacts >= TD_MAX_FACTS)
			continue;
		if (td_grow(&d->facts, &d->capfacts, d->nfacts, sizeof(*d->facts)))
			return TD_E_NOMEM;
		struct td_fact *fa = &d->facts[d->nfacts++];
		memset(fa, 0, sizeof(*fa));
		fa->name = dupn(d, name);
		fa->value = dupn(d, f->value);
		fa->path = dupn(d, ev->path);
		fa->input = d->input;
		fa->line = ev->line;
		fa->time = ev->time;
		fa->time.text = td_str_make(NULL, 0);
		fa->excerpt = td_excerpt(ev->message, 0, 0);
		if (!fa->excerpt || !fa->name || !fa->value || !fa->path) {
			d->nomem = true;
			break;
		}
		struct td_machine *m = machine_of(d, ev);
		if (!m || td_machine_fact(m, fa->name, fa->value, fa->path, fa->line))
			d->nomem = true;
	}
	return d->nomem ? TD_E_NOMEM : TD_OK;
}

static struct acc *acc_for(struct td_diagnoser *d, size_t sig)
{
	struct sigstate *ss = &d->sigs[sig];
	if (ss->n && ss->accs[ss->n - 1].input == d->input)
		return &ss->accs[ss->n - 1];
	if (td_grow(&ss->accs, &ss->cap, ss->n, sizeof(*ss->accs)))
		return NULL;
	struct acc *a = &ss->accs[ss->n++];
	memset(a, 0, sizeof(*a));
	a->input = d->input;
	return a;
}

static bool time_before(const struct td_time *a, const struct td_time *b)
{
	return a->ticks < b->ticks;
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
	struct acc *a = acc_for(d, m->sig->index);
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
	 * latest), a few supports, and requires (each shows why it fired). */
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

static struct acc *acc_in(struct td_diagnoser *d, const struct td_signature *sig, size_t input)
{
	struct sigstate *ss = &d->sigs[sig->index];
	for (size_t a = 0; a < ss->n; a++)
		if (ss->accs[a].input == input)
			return &ss->accs[a];
	return NULL;
}

/* Whether sig's own triggers in this input stand (its requires were seen).
 * Provisional triggers of sig are not counted: supersession never chains. */
static bool stands(struct td_diagnoser *d, const struct td_signature *sig, size_t input)
{
	struct acc *a = acc_in(d, sig, input);
	uint32_t need = require_mask(sig);
	return a && a->triggers && (a->require_seen & need) == need;
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

/* Moves the qualifying evidence of one signature into a finding. Returns
 * false when nothing qualifies. */
static bool build_finding(struct td_diagnoser *d, const struct td_signature *sig,
			  struct td_finding *f)
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
		if (ss->accs[a].triggers && (ss->accs[a].require_seen & need) == need)
			total += ss->accs[a].nev;
	if (!total)
		return false;
	f->evidence = calloc(total, sizeof(*f->evidence));
	if (!f->evidence) {
		d->nomem = true;
		return false;
	}
	size_t trig_kept = 0, last_trigger = SIZE_MAX;
	/* Triggers first, then what corroborates them, each in arrival order. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t a = 0; a < ss->n; a++) {
			struct acc *ac = &ss->accs[a];
			if (!ac->triggers || (ac->require_seen & need) != need)
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
		if (ss->accs[a].triggers && (ss->accs[a].require_seen & need) == need)
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

/* The SQL Server build checks, on every build fact. */
static int sql_check(struct td_diagnoser *d, const struct td_signature *sig,
		     struct td_finding *f)
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
		f->count++;
		if (check_evidence(d, f, fa->path, fa->input, fa->line, fa->time,
				   fa->excerpt ? fa->excerpt : fa->value))
			return TD_E_NOMEM;
		if (!f->detail && add_detail(d, f, "", text))
			return TD_E_NOMEM;
	}
	return TD_OK;
}

/* A machine rule, on every machine; the detail names the machine when the
 * bundle has several. */
static int machine_check(struct td_diagnoser *d, const struct td_signature *sig,
			 struct td_finding *f)
{
	size_t named = 0;
	for (size_t i = 0; i < d->machines.n; i++)
		named += d->machines.m[i].has_registry || d->machines.m[i].win.build;
	struct td_check_hit *hit = malloc(sizeof(*hit));
	if (!hit)
		return TD_E_NOMEM;
	for (size_t i = 0; i < d->machines.n; i++) {
		const struct td_machine *m = &d->machines.m[i];
		if (!td_check_machine(sig->check, m, sig->severity, hit))
			continue;
		if (!f->count || hit->severity > f->severity)
			f->severity = hit->severity;
		f->count++;
		char prefix[300] = "";
		if (named > 1)
			snprintf(prefix, sizeof(prefix), "%s: ", m->name[0] ? m->name : ".");
		int rc = add_detail(d, f, prefix, hit->detail);
		for (size_t k = 0; !rc && k < hit->nev; k++)
			rc = check_evidence(d, f, hit->ev[k].path, 0, hit->ev[k].line,
					    (struct td_time){ 0 }, hit->ev[k].text);
		if (rc) {
			free(hit);
			return rc;
		}
	}
	free(hit);
	return TD_OK;
}

/* Findings from the database's checks on the facts and the machines. */
static int run_checks(struct td_diagnoser *d, struct td_diagnosis *dx, size_t *cap)
{
	if (td_machines_group(&d->machines))
		return TD_E_NOMEM;
	td_machines_finish(&d->machines);
	for (size_t s = 0; s < d->db->nsigs; s++) {
		const struct td_signature *sig = &d->db->sigs[s];
		if (sig->check == TD_CHECK_NONE)
			continue;
		struct td_finding f = { .sig = sig, .severity = sig->severity,
					.confidence = sig->confidence,
					.remedies_on = unconditional(sig) };
		int rc = td_check_is_machine_rule(sig->check) ? machine_check(d, sig, &f)
							      : sql_check(d, sig, &f);
		if (!rc && f.count)
			rc = add_finding(dx, cap, &f);
		if (rc || !f.count) {
			for (size_t k = 0; k < f.nevidence; k++)
				evidence_release(&f.evidence[k]);
			free(f.evidence);
			free(f.detail);
		}
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
					const struct td_signature *sig)
{
	for (size_t i = 0; i < dx->nfindings; i++)
		if (dx->findings[i].sig == sig)
			return &dx->findings[i];
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
			struct td_finding *g = td_diagnosis_finding(dx, c);
			if (g) {
				rc = push_sig(&f->confirmed, &f->nconfirmed, c);
				f->confidence = TD_CONF_HIGH;
				if (!g->merged_into)
					g->merged_into = f->sig;
			} else if (!could_show(d, c, md)) {
				rc = push_sig(&f->collect, &f->ncollect, c);
			}
		}
	}
	/* A finding explained by another one is not folded into a third. */
	for (size_t i = 0; i < dx->nfindings; i++) {
		struct td_finding *f = &dx->findings[i];
		if (f->merged_into && f->nconfirmed)
			f->merged_into = NULL;
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
	for (size_t s = 0; s < d->db->nsigs && !rc; s++) {
		struct td_finding f;
		if (build_finding(d, &d->db->sigs[s], &f))
			rc = add_finding(dx, &cap, &f);
	}
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
	for (size_t i = 0; i < dx->nfindings; i++) {
		struct td_finding *f = &dx->findings[i];
		for (size_t k = 0; k < f->nevidence; k++)
			evidence_release(&f->evidence[k]);
		free(f->evidence);
		free(f->detail);
		free(f->confirmed);
		free(f->collect);
	}
	free(dx->findings);
	for (size_t i = 0; i < dx->nfacts; i++)
		fact_release(&dx->facts[i]);
	free(dx->facts);
	td_machines_release(&dx->machines);
	for (size_t i = 0; i < dx->nplan; i++)
		free(dx->plan[i].findings);
	free(dx->plan);
	free(dx);
}
