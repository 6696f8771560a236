/* Signature self-check (see selfcheck.h). */
#include "selfcheck.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct probe {
	const struct td_signature *sig;
	bool triggered;
};

static int saw(const struct td_match *mt, void *user)
{
	struct probe *p = user;
	if (mt->sig == p->sig && mt->clause->role == TD_ROLE_TRIGGER)
		p->triggered = true;
	return 0;
}

static enum td_format example_format(const struct td_signature *sig, const struct td_example *e)
{
	if (e->format != TD_FMT_UNKNOWN)
		return e->format;
	if (sig->nscopes)
		for (int f = 1; f < TD_FMT_COUNT; f++)
			if (sig->scopes[0].formats & (1u << f))
				return (enum td_format)f;
	return TD_FMT_PLAIN;
}

static void complain(void (*report)(void *, const char *), void *user,
		     struct td_selfcheck_stats *st, const struct td_signature *sig, int line,
		     const char *why)
{
	char msg[512];
	snprintf(msg, sizeof(msg), "%s:%d: signature '%s': %s", sig->file, line, sig->id, why);
	st->failures++;
	if (report)
		report(user, msg);
}

/* A pattern with a literal that matches a text lacking the literal would be
 * hidden by the prefilter. */
static void check_literals(struct td_matcher *m, const struct td_signature *sig,
			   const struct td_event *ev, void (*report)(void *, const char *),
			   void *user, struct td_selfcheck_stats *st, int line)
{
	for (size_t c = 0; c < sig->nclauses; c++) {
		const struct td_clause *cl = &sig->clauses[c];
		for (size_t k = 0; k < cl->nconds; k++) {
			const struct td_cond *d = &cl->conds[k];
			if (d->kind != TD_COND_PATTERN || !d->nliterals)
				continue;
			struct td_str subject = td_event_part(ev, td_str_cstr(d->field));
			pcre2_match_data *md = pcre2_match_data_create(1, NULL);
			int rc = md ? pcre2_match(d->re, (PCRE2_SPTR)(subject.p ? subject.p : ""),
						  subject.len, 0, 0, md, NULL)
				    : -1;
			pcre2_match_data_free(md);
			if (rc >= 0 && !td_cond_literal_in(d, subject)) {
				char why[300];
				snprintf(why, sizeof(why),
					 "literal '%s' (line %d) is missing from an example its pattern "
					 "matches",
					 d->literal, d->line);
				complain(report, user, st, sig, line, why);
			}
		}
	}
}

static struct td_event example_event(const struct td_signature *sig, const struct td_example *e)
{
	struct td_event ev = {
		.format = example_format(sig, e),
		.path = td_str_cstr(e->file ? e->file : "example.log"),
		.line = 1,
		.record = 1,
		.provider = td_str_cstr(e->component ? e->component : ""),
		.message = td_str_cstr(e->text),
		.has_event_id = e->has_event_id,
		.event_id = e->event_id,
		.fields = e->fields,
		.nfields = e->nfields,
	};
	return ev;
}

/* Bit per require clause of sig (the first 32) that holds on e. */
static uint32_t requires_met(struct td_matcher *m, const struct td_signature *sig,
			     const struct td_example *e)
{
	struct td_event ev = example_event(sig, e);
	struct td_match out;
	uint32_t bits = 0;
	size_t idx = 0;
	for (size_t c = 0; c < sig->nclauses; c++) {
		if (sig->clauses[c].role != TD_ROLE_REQUIRE)
			continue;
		if (idx < 32 && td_matcher_clause(m, sig, &sig->clauses[c], &ev, &out))
			bits |= 1u << idx;
		idx++;
	}
	return bits;
}

/* A signature with require clauses stands only where every one of them is
 * seen in the same input.  Its examples are taken as one input: every
 * require clause must hold on one of them.  Each counterexample is an input
 * of its own: it is matched only if it triggers and holds every require
 * clause itself, so a counterexample can prove what the require excludes. */
static void check_requires(struct td_matcher *m, const struct td_signature *sig, uint32_t want,
			   void (*report)(void *, const char *), void *user,
			   struct td_selfcheck_stats *st)
{
	uint32_t seen = 0;
	for (size_t i = 0; i < sig->nexamples; i++)
		if (!sig->examples[i].counter)
			seen |= requires_met(m, sig, &sig->examples[i]);
	size_t idx = 0;
	for (size_t c = 0; c < sig->nclauses; c++) {
		if (sig->clauses[c].role != TD_ROLE_REQUIRE)
			continue;
		if (idx < 32 && (want & (1u << idx)) && !(seen & (1u << idx)))
			complain(report, user, st, sig, sig->clauses[c].line,
				 "require clause holds on no example");
		idx++;
	}
}

void td_sigdb_selfcheck(const struct td_sigdb *db, struct td_matcher *m,
			void (*report)(void *user, const char *line), void *user,
			struct td_selfcheck_stats *stats)
{
	struct td_selfcheck_stats st = { 0 };
	for (size_t s = 0; s < db->nsigs; s++) {
		const struct td_signature *sig = &db->sigs[s];
		st.signatures++;
		uint32_t want = 0;
		size_t nreq = 0;
		for (size_t c = 0; c < sig->nclauses; c++)
			if (sig->clauses[c].role == TD_ROLE_REQUIRE && nreq++ < 32)
				want |= 1u << (nreq - 1);
		if (want)
			check_requires(m, sig, want, report, user, &st);
		for (size_t i = 0; i < sig->nexamples; i++) {
			const struct td_example *e = &sig->examples[i];
			struct td_event ev = example_event(sig, e);
			struct probe p = { sig, false };
			int rc = td_matcher_event(m, &ev, saw, &p);
			if (rc < 0) {
				complain(report, user, &st, sig, e->line, "matcher failed");
				continue;
			}
			if (e->counter) {
				st.counterexamples++;
				if (p.triggered && want && (requires_met(m, sig, e) & want) != want)
					p.triggered = false; /* stands alone without its context */
				if (p.triggered)
					complain(report, user, &st, sig, e->line,
						 "counterexample is matched");
			} else {
				st.examples++;
				if (!p.triggered)
					complain(report, user, &st, sig, e->line,
						 "example is not matched");
			}
			check_literals(m, sig, &ev, report, user, &st, e->line);
		}
	}
	if (stats)
		*stats = st;
}
