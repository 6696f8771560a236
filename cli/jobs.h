/* Inputs parsed on worker threads (internal to the run, see run.h).
 *
 * Every input a run parses is a job: its bytes (a mapped file, standard
 * input, or an archive member's buffer) are parsed and matched on a worker
 * with the worker's own matcher, into a diagnoser and, when the run keeps
 * one, a timeline of the job's own.  The run's thread retires jobs in the
 * order it submitted them: it absorbs their diagnoser and timeline into
 * the run's (td_diagnoser_absorb, td_timeline_absorb) and moves their
 * counts and problems into the input's report.  So the report is the same
 * whatever the number of workers.
 *
 * With one worker no thread is started: a job is parsed and retired when it
 * is submitted.  With more, the run's thread only submits and retires, and
 * waits while 4 jobs per worker are not retired.  The bytes of archive
 * members in flight are bounded by the run's buffer pool (run.h,
 * TD_RUN_MEMBER_BYTES), which the archive walk waits on.
 */
#ifndef TD_JOBS_H
#define TD_JOBS_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"
#include "match.h"
#include "output.h"

/* Most workers (--jobs). */
#define TD_JOBS_MAX 64

struct td_run;
struct td_jobs;

/* Workers for run r (its database, diagnoser, timeline and inputs); the
 * first uses the run's matcher, the others get their own.  NULL without
 * memory or threads (err says which). */
struct td_jobs *td_jobs_new(struct td_run *r, unsigned workers, struct td_err *err);
/* Parses data (taken: released when parsed) as the input r->inputs[input].
 * note_after: after the parser's problems, say the input was named like an
 * archive.  member: an archive member (the archive's walk drives the
 * progress line, not the parser).  Returns an error only when the run
 * cannot go on; a failure inside a job is returned by a later call. */
int td_jobs_submit(struct td_jobs *js, size_t input, struct td_input *data, struct td_diag *msgs,
		   bool member, bool note_after) TD_WUR;
/* Waits until every job submitted is retired. */
int td_jobs_wait(struct td_jobs *js) TD_WUR;
/* The matchers' statistics, summed. */
void td_jobs_stats(const struct td_jobs *js, struct td_match_stats *sum);
/* Says that `in` was named like an archive but read as a file (run.c). */
void td_run_note_not_archive(const char *path, struct td_diag *diag);
/* Says that the file of `in` shrank to size bytes (from was) while it was
 * read (run.c). */
void td_run_note_cut(struct td_input_report *in, uint64_t size, size_t was);
/* Stops the workers (after td_jobs_wait) and frees everything. */
void td_jobs_free(struct td_jobs *js);

#endif
