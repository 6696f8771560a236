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
 * the signature's severity, which some rules raise or lower. */
bool td_check_machine(enum td_check c, const struct td_machine *m, enum td_severity base,
		      struct td_check_hit *hit);
/* Whether c is a rule on the machine model (not on SQL Server facts). */
bool td_check_is_machine_rule(enum td_check c);

#endif
