/* Synthetic logs for the benchmarks: ConfigMgr CMTrace and SMS-trace logs,
 * a UTF-16LE SQL Server ERRORLOG and an application log, with a TLS failure
 * sprinkled in now and then.  Deterministic: one pseudo-random sequence for
 * the whole process.  Each writes about `bytes` bytes to f.
 */
#ifndef TD_LOGGEN_H
#define TD_LOGGEN_H

#include <stdint.h>
#include <stdio.h>

/* The next number of the sequence (xorshift32). */
uint32_t td_gen_random(void);

void td_gen_cmtrace(FILE *f, uint64_t bytes);
void td_gen_smstrace(FILE *f, uint64_t bytes);
void td_gen_errorlog(FILE *f, uint64_t bytes);
void td_gen_apptext(FILE *f, uint64_t bytes);

#endif
