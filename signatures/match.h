/* The matcher: events in, signature matches out.
 *
 * td_matcher_new() indexes a loaded database: every clause is keyed by a
 * literal of its message pattern or by the spellings of its error code, and
 * all keys go into one case-folding multi-literal set; clauses keyed by an
 * event id are looked up by id, and the few keyed by a code in an event
 * field (<code field="error">, the ERRORLOG error number) are tried on every
 * event that has that field.  For each event,
 * td_matcher_event() scans the message once for the keys; only clauses whose
 * key occurs (and whose signature's scope accepts the event's format,
 * component and path) run their PCRE2 patterns.  Pattern runs share one
 * match-data block and carry match and depth limits: a pattern that hits a
 * limit counts as no match and is counted in the statistics.
 *
 * Per event, `unless` clauses void the other matches of their signature, and
 * a signature that triggers voids the matches of the signatures it
 * supersedes (provisionally, see td_match.superseded_by, when it has
 * `require` clauses).  What survives is reported through the callback; the td_match
 * and its captures point into the event and the matcher and are valid only
 * during the callback.  A matcher is single-threaded.
 */
#ifndef TD_MATCH_H
#define TD_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "event.h"
#include "sigdb.h"

#define TD_MAX_CAPTURES 8

struct td_capture {
	struct td_str name;
	struct td_str value;
};

struct td_match {
	const struct td_signature *sig;
	const struct td_clause *clause;
	const struct td_event *ev;
	/* Where the first pattern of the clause matched in the message (for
	 * excerpts); len 0 when the clause matched on a code or another part. */
	size_t match_off, match_len;
	struct td_capture caps[TD_MAX_CAPTURES];
	size_t ncaps;
	/* Set when a signature that supersedes this one triggered on the same
	 * event but needs `require` context that only the whole input can
	 * confirm: the diagnoser drops this match if that signature's finding
	 * stands in the same input, and keeps it otherwise. */
	const struct td_signature *superseded_by;
};

typedef int (*td_match_cb)(const struct td_match *m, void *user);

struct td_match_stats {
	uint64_t events;      /* events examined */
	uint64_t prefiltered; /* events with at least one key literal */
	uint64_t regex_runs;
	uint64_t limit_hits;  /* pattern runs stopped by a match/depth limit */
	uint64_t matches;     /* matches reported */
};

struct td_matcher;

int td_matcher_new(const struct td_sigdb *db, struct td_matcher **out, struct td_err *err) TD_WUR;
void td_matcher_free(struct td_matcher *m);
/* Matches ev against every signature and reports the matches through cb
 * (a non-zero return from cb stops and is returned as TD_E_STOP).
 * Returns the number of matches reported, or a negative status. */
int td_matcher_event(struct td_matcher *m, const struct td_event *ev, td_match_cb cb, void *user);
const struct td_match_stats *td_matcher_stats(const struct td_matcher *m);
/* Whether clause c holds on ev (scope not checked); fills *out when it does.
 * Used by the signature self-check. */
bool td_matcher_clause(struct td_matcher *m, const struct td_signature *sig,
		       const struct td_clause *c, const struct td_event *ev, struct td_match *out);

#endif
