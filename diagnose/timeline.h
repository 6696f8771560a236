/* The timeline of a run: every TLS-relevant event (each event a signature
 * clause matched), from every input and host, in UTC order, for
 * `tlsdiag timeline` and the HTML report's chart; and the clock skew
 * between hosts where the same failure is seen on both ends.
 *
 * Pure: no I/O.  Everything is owned by struct td_timeline; signature
 * pointers point into the database, which must outlive it.
 */
#ifndef TD_TIMELINE_H
#define TD_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "sigdb.h"

struct td_timeline_entry {
	struct td_time time; /* time.text owned (NUL-terminated); zone NONE: unknown */
	size_t input;        /* index of the input in the run */
	char *path;          /* display path of the input */
	uint64_t line, record;
	enum td_level level;
	char *host;          /* the host the event names, or NULL */
	const struct td_signature *sig;
	enum td_role role;
	char *excerpt;       /* one line, at most TD_MAX_EXCERPT bytes */
};

/* The clock offset between two hosts, from the same failure logged on both
 * ends: host_b's clock is ahead of host_a's by offset (100 ns ticks). */
struct td_skew {
	char *host_a, *host_b;
	int64_t offset;
	size_t pairs; /* event pairs the estimate rests on */
};

struct td_timeline {
	struct td_timeline_entry *e; /* sorted: known times in UTC order first */
	size_t n;
	uint64_t dropped; /* entries beyond the cap, counted but not kept */
	struct td_skew *skews;
	size_t nskews;
};

#endif
