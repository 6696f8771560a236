/* The diagnoser: signature matches in, findings with evidence and an
 * ordered fix plan out.  Pure: no I/O, no printing.
 *
 * Feed it, per input, the events (for the facts they carry: fields named
 * "fact.<name>") and the matches the matcher reports.  td_diagnoser_finish()
 * then
 *   - keeps trigger matches only where every `require` clause of the
 *     signature was also seen in the same input, and drops matches that a
 *     signature with require clauses superseded when that signature's
 *     finding stands in the same input,
 *   - names the machine of every input (hosts.h: machine folders and the
 *     computer names events carry),
 *   - groups what is left into one finding per signature and machine with
 *     a count, the first and last time, and evidence (the first
 *     max_evidence - 1 occurrences and the last one), raising the
 *     confidence one level when a `support` clause was seen too,
 *   - builds the machine model from the registry events and version facts
 *     (machine.h) and runs the database's checks on it and on the facts
 *     (e.g. a SQL Server build below the TLS 1.2 minimum, TLS 1.2 disabled
 *     in SCHANNEL, .NET strong cryptography missing),
 *   - joins log findings with the configuration findings that explain them
 *     (<confirmed-by>; the same machine's first, else any machine's): one
 *     diagnosis naming both, with high confidence; a
 *     log finding whose explanations no input could show lists what to
 *     collect,
 *   - merges the remedies of the error and warning findings into one fix
 *     plan ordered by phase (client-side first, disabling legacy protocols
 *     last), each remedy once, with the findings it serves.
 * Everything in struct td_diagnosis is owned by it (td_diagnosis_free);
 * signature, remedy and reference pointers point into the database, which
 * must outlive it.
 */
#ifndef TD_DIAGNOSE_H
#define TD_DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "explain.h"
#include "machine.h"
#include "match.h"
#include "sigdb.h"

#define TD_DEFAULT_EVIDENCE 10
#define TD_MAX_EXCERPT 400
#define TD_MAX_FACTS 1000

struct td_evidence {
	/* Provisional evidence: void if this signature's finding stands in the
	 * same input (see td_match.superseded_by). */
	const struct td_signature *superseded_by;
	char *path;
	size_t input;
	uint64_t line, line_end, record, offset;
	struct td_time time; /* time.text is owned (NUL-terminated) */
	enum td_role role;
	char *excerpt;
	char *component, *host;
	struct {
		char *name, *value;
	} caps[TD_MAX_CAPTURES];
	size_t ncaps;
	/* What the numbers in the event mean (entries of the database). */
	const struct td_explain *explains[TD_MAX_EXPLAIN];
	size_t nexplains;
	/* The value of the signature's distinct part (sig->distinct), or NULL. */
	char *distinct;
};

struct td_finding {
	const struct td_signature *sig;
	char *machine; /* the machine it was seen on (hosts.h), or NULL */
	enum td_severity severity;
	enum td_confidence confidence;
	uint64_t count;    /* events that triggered it */
	uint64_t supports; /* events that corroborate it */
	struct td_time first, last; /* .text not used */
	char *detail;      /* extra explanation (checks), or NULL */
	uint64_t remedies_on; /* bit per sig->remedies entry that applies */
	struct td_evidence *evidence;
	size_t nevidence;
	/* Correlation (sig->confirmed_by): the configuration findings that
	 * stand and explain this one, and those no input could have shown
	 * (what to collect). */
	const struct td_signature **confirmed;
	const char **confirmed_on; /* the machine of each (owned by its finding) */
	size_t nconfirmed;
	const struct td_signature **collect;
	size_t ncollect;
	/* Set on a configuration finding that explains a log finding: it is
	 * reported inside that one (not counted on its own). */
	const struct td_signature *merged_into;
	const char *merged_on; /* that finding's machine (owned by it) */
};

struct td_fact {
	char *name, *value;
	char *path;
	size_t input;
	uint64_t line;
	uint64_t record; /* the event's record number when it has no line (EVTX), else 0 */
	struct td_time time; /* of the event that carried it; .text not kept */
	char *excerpt;
};

/* What the diagnoser learned of one input beyond its events. */
struct td_input_info {
	char *machine;              /* the machine it came from, or NULL */
	struct td_time first, last; /* of its events with a time (.text not kept) */
};

struct td_plan_item {
	const struct td_remedy *remedy;
	const struct td_finding **findings;
	size_t nfindings;
};

struct td_diagnosis {
	struct td_finding *findings; /* most severe and certain first */
	size_t nfindings;
	struct td_fact *facts;
	size_t nfacts;
	struct td_plan_item *plan;
	size_t nplan;
	size_t count[3]; /* findings per enum td_severity */
	/* What the registry exports and version facts say per machine. */
	struct td_machines machines;
	/* Per input of the run, in the order of td_diagnoser_begin_input. */
	struct td_input_info *inputs;
	size_t ninputs;
	size_t nmachines; /* distinct machines the inputs came from */
};

struct td_diagnoser;

struct td_diagnoser *td_diagnoser_new(const struct td_sigdb *db, size_t max_evidence);
void td_diagnoser_free(struct td_diagnoser *d);
/* Starts a new input; events and matches until the next call belong to it.
 * Returns its index. */
size_t td_diagnoser_begin_input(struct td_diagnoser *d);
/* Moves everything `from` gathered (its inputs, in order, from index `at`
 * of d on; their matches, facts and machine model) into d, as if d had
 * been fed the same events and matches; `from` is left empty.  Inputs of d
 * before `at` that were never begun are begun empty (inputs that could not
 * be read), so d's numbering can follow the run's.  A run parses inputs on
 * several threads, each into a diagnoser of its own, and absorbs them in
 * input order, so the diagnosis does not depend on the threads.  `at` must
 * not be below the next input of d.  Returns false without memory. */
bool td_diagnoser_absorb(struct td_diagnoser *d, struct td_diagnoser *from, size_t at) TD_WUR;
/* Collects the facts an event carries; registry values and version facts
 * also feed the machine model. */
int td_diagnoser_event(struct td_diagnoser *d, const struct td_event *ev) TD_WUR;
/* Records one match (copies what it keeps). */
int td_diagnoser_match(struct td_diagnoser *d, const struct td_match *m) TD_WUR;
/* Builds the diagnosis; d can be freed afterwards. */
int td_diagnoser_finish(struct td_diagnoser *d, struct td_diagnosis **out) TD_WUR;
void td_diagnosis_free(struct td_diagnosis *dx);
/* The finding of sig in dx on machine; with machine NULL the one on no
 * named machine, else the first on any.  NULL when sig has none. */
struct td_finding *td_diagnosis_finding(const struct td_diagnosis *dx,
					const struct td_signature *sig, const char *machine);
/* Whether remedy r of f's signature applies (its condition, if any, held). */
bool td_finding_uses_remedy(const struct td_finding *f, size_t r);

/* The one-line excerpt of a message around [off, off+len) (the whole first
 * line when len is 0), at most TD_MAX_EXCERPT bytes; malloc'ed. */
char *td_excerpt(struct td_str message, size_t off, size_t len);

#endif
