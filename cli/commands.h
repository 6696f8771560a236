/* The tlsdiag subcommands; each returns the process exit status. */
#ifndef TD_COMMANDS_H
#define TD_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "sigdb.h"

/* Exit statuses (documented in README.md and doc/tlsdiag.1). */
enum {
	TD_EXIT_CLEAN = 0,    /* no finding at the --fail-on severity (warning) or above */
	TD_EXIT_FINDINGS = 1, /* at least one such finding */
	TD_EXIT_TROUBLE = 2,  /* usage error, unreadable input, bad database */
};

/* "tlsdiag signatures list|check|show" */
int td_cmd_signatures(int argc, char **argv, const char *sigdir, const char *format, FILE *out);
/* "tlsdiag events [--format ndjson|xml|text] PATH..."; quiet: only the
 * errors of the inputs on stderr, not their notes and warnings */
int td_cmd_events(int argc, char **argv, const char *format, bool quiet, FILE *out);
/* Prints the signature in full (also used by "signatures show"). */
void td_print_signature(FILE *out, const struct td_signature *sig);
void td_print_remedy(FILE *out, const struct td_remedy *r);
/* "signatures coverage": every kb entry A01-I03 with its shipped
 * signatures (or "missing"), their files, trigger kinds, example counts and
 * source documents, then the signatures without a kb entry; markdown: a
 * table (the README's coverage section). */
void td_print_coverage(FILE *out, const struct td_sigdb *db, bool markdown);

#endif
