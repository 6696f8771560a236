/* The signature self-check behind "tlsdiag signatures check": every example
 * must be reported by the full matcher path (prefilter, scope, patterns,
 * unless and supersedes) as a trigger of its signature, no counterexample
 * may be, and every literal must really occur in the texts its pattern
 * matches (otherwise the prefilter would hide real matches).  Examples
 * carry the event's fields (fields="error=17182;state=1") whatever their
 * source.  A signature's `require` clauses are evaluated as the diagnoser
 * does per input: its examples together form one input, in which every
 * require clause must hold on some example; each counterexample is an input
 * of its own, matched only when it also holds every require clause. */
#ifndef TD_SELFCHECK_H
#define TD_SELFCHECK_H

#include <stddef.h>

#include "match.h"
#include "sigdb.h"

struct td_selfcheck_stats {
	size_t signatures, examples, counterexamples, failures;
};

/* Runs the check; report() receives one line per failure in the form
 * "file:line: signature 'id': reason". */
void td_sigdb_selfcheck(const struct td_sigdb *db, struct td_matcher *m,
			void (*report)(void *user, const char *line), void *user,
			struct td_selfcheck_stats *stats);

#endif
