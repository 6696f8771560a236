/* Rules on the machine model (kb/REGISTRY.md rules, kb/SIGNATURES.md
 * section H, E08, E09, F02, A03).  Each rule looks at one machine and, when
 * it fires, says why in a sentence or two and names the values (file and
 * line) that led to it; a value that is missing is named by the export that
 * lacks it.  Pure: no I/O.
 */
#ifndef TD_CHECKS_H
#define TD_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "sigdb.h"

#define TD_CHECK_MAX_EVIDENCE 24
#define TD_CHECK_DETAIL 1400

struct td_check_evidence {
	const char *path; /* points into the machine model */
	uint64_t line;    /* 0: the value is missing from the file */
	char text[360];
};

struct td_check_hit {
	enum td_severity severity; /* of this machine's problem */
	char detail[TD_CHECK_DETAIL];
	size_t dlen;
	struct td_check_evidence ev[TD_CHECK_MAX_EVIDENCE];
	size_t nev;
};

/* Whether check c fires on machine m; hit is filled when it does.  base is
 * the signature's severity, which some rules raise or lower.  Rules that
 * look beyond one machine (below) see m alone and no log findings. */
bool td_check_machine(enum td_check c, const struct td_machine *m, enum td_severity base,
		      struct td_check_hit *hit);

/* What the rest of the bundle adds to a rule on one machine.  Two rules
 * need it: dhe-leading-zero (kb H04) pairs a machine without the TLS_DHE
 * leading-zero fix with machines that have it, and
 * windows-tls10-off-by-default (kb H08) needs a failure on the machine. */
struct td_check_context {
	const struct td_machine *machines; /* every machine of the bundle */
	size_t n;
	/* Per machine, or NULL: a log finding that the rule explains (its
	 * signature names the rule's in <confirmed-by>) stands on it. */
	const bool *symptom;
};

/* td_check_machine for machine i of ctx, with the rest of the bundle. */
bool td_check_machine_in(enum td_check c, const struct td_check_context *ctx, size_t i,
			 enum td_severity base, struct td_check_hit *hit);
/* Whether rule c reads ctx->symptom. */
bool td_check_uses_symptoms(enum td_check c);
/* Whether c is a rule on the machine model (not on SQL Server facts). */
bool td_check_is_machine_rule(enum td_check c);

#endif
