/* One diagnosis run: inputs (files, folders, archives, stdin) through the
 * parsers, the matcher and the diagnoser, into a td_run_report for the
 * output.  An archive is not an input itself: each of its members is, named
 * "bundle.zip!/folder/file" (bundle/archive_walk.h). */
#ifndef TD_RUN_H
#define TD_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "archive_walk.h"
#include "diagnose.h"
#include "input.h"
#include "match.h"
#include "output.h"
#include "sigdb.h"
#include "timeline.h"

struct td_jobs;

/* Deepest folder nesting followed. */
#define TD_MAX_DEPTH 64
/* Largest standard input accepted. */
#define TD_MAX_STDIN TD_MAX_STREAM
/* struct td_run fail_on: no finding makes the exit status 1. */
#define TD_FAIL_NEVER (-1)
/* Archive members in memory at most (read ahead, queued, being parsed,
 * and idle buffers kept for reuse): room for two or three of the largest
 * members of a typical bundle (event logs of 20 to 64 MiB) at a time.  On
 * the bench zip the run's peak is this plus 20 to 55 MB (150 to 184 MB);
 * 160 MiB gave 186 to 218 MB. */
#define TD_RUN_MEMBER_BYTES ((size_t)128 << 20)

struct td_run {
	const struct td_sigdb *db;
	struct td_matcher *matcher;
	struct td_diagnoser *diag;
	struct td_input_report *inputs;
	size_t ninputs, cap;
	uint64_t events;
	struct td_diagnosis *dx;
	const struct td_signature **unchecked;
	struct td_timeline *timeline; /* NULL unless asked for */
	uint64_t seq;                 /* events seen, numbering them for the timeline */
	int failed; /* a non-input error (memory) stopped the run */
	/* Lowest enum td_severity of a finding that makes the exit status 1
	 * (TD_SEV_WARNING after td_run_init; --fail-on), or TD_FAIL_NEVER. */
	int fail_on;
	struct td_archive_limits limits; /* for archives (defaults set by td_run_init) */
	/* Threads that parse inputs (--jobs; td_run_init: one per processor).
	 * The report does not depend on it. */
	unsigned workers;
	/* Most bytes read of standard input, a pipe, FIFO or device
	 * (--max-stream-bytes; td_run_init: TD_MAX_STDIN). */
	size_t max_stream;
	size_t max_evidence, timeline_max;
	struct td_jobs *jobs; /* started with the first input */
	/* Archive members' buffers, reused from member to member, within
	 * TD_RUN_MEMBER_BYTES. */
	struct td_bufpool *pool;
};

int td_run_init(struct td_run *r, const struct td_sigdb *db, size_t max_evidence,
		struct td_err *err) TD_WUR;
/* Makes the run collect a timeline (every event a signature clause
 * matched, at most max entries; 0: TD_TIMELINE_MAX), reported in
 * td_run_report.timeline.  Call before adding inputs; runs that do not ask
 * do not pay for it. */
int td_run_want_timeline(struct td_run *r, size_t max) TD_WUR;
/* Adds a file, a folder (recursively, in name order) or "-" (stdin); an
 * archive, recognised by its content, adds its members in archive order.
 * Problems with the input are recorded in its report; the return value is
 * an error only when the run cannot go on (out of memory). */
int td_run_path(struct td_run *r, const char *path) TD_WUR;
/* Adds an in-memory input named `name` (an archive adds its members). */
int td_run_memory(struct td_run *r, const char *name, const void *data, size_t len) TD_WUR;
/* Builds the diagnosis and fills rep (valid until td_run_release). */
int td_run_finish(struct td_run *r, struct td_run_report *rep) TD_WUR;
void td_run_release(struct td_run *r);

#endif
