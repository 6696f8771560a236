/* Facts from signatures: a trigger match of a signature with <fact name
 * value> elements sets those facts on the machine of the event (the
 * certificate SQL Server loaded, the protocol a handshake negotiated, the SQL
 * client driver a log names).  Informational signatures with facts feed only
 * the facts (td_signature_facts_only), so they never reach the verdict.
 *
 * The diagnoser calls td_sigfact_value() for each fact of a trigger match in
 * td_diagnoser_match() and stores the result as it stores the facts parsers
 * put in "fact.*" fields.  Pure: no I/O, no allocation.
 */
#ifndef TD_SIGFACTS_H
#define TD_SIGFACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "match.h"
#include "sigdb.h"

#define TD_MAX_FACT_VALUE 200

/* Expands f->value for the match m into out (cap bytes, NUL-terminated):
 * ${Name} becomes the event field Name, else the capture Name, trimmed, with
 * runs of white space (line breaks too) collapsed to one space.  Returns
 * false, and sets no fact, when a name is absent or empty, or the value is
 * empty or longer than cap - 1 bytes. */
bool td_sigfact_value(const struct td_sigfact *f, const struct td_match *m, char *out,
		      size_t cap);

#endif
