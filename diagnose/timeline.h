/* The timeline of a run: every TLS-relevant event (each event a signature
 * clause matched), from every input and host, in UTC order, for
 * `tlsdiag timeline` and the HTML report's chart; and the clock skew
 * between hosts where the same failure is seen on both ends.
 *
 * Pure: no I/O.  Everything is owned by struct td_timeline; signature
 * pointers point into the database, which must outlive it.
 *
 * Order (td_timeline_finish): entries with a time first, by ticks; a time
 * without a zone (TD_ZONE_LOCAL) is sorted by its face value among the UTC
 * ones, as nothing says how far off it is; entries without a time last.
 * The sort is stable: equal times keep the order the events were read in.
 *
 * Clock skew: signatures name the signatures the other end of the same
 * connection logs for the same failure (td_signature.peers).  For two hosts
 * A and B, each entry of a peer signature on A is paired with the nearest
 * entry of one of its peers on B (within TD_SKEW_WINDOW) when that one's
 * nearest entry on A is it in turn (mutual nearest: one event is in one pair
 * at most).  The offset of B's clock against A's is the median of the
 * differences, which outliers (another failure between the same hosts) do
 * not move.  Only UTC times count; hosts are compared by their short name,
 * case-insensitively.  A skew is reported when it rests on at least
 * TD_SKEW_MIN_PAIRS pairs and exceeds TD_SKEW_MIN (less is the time the
 * failure takes to reach the other end's log).  An offset larger than the
 * window, or larger than half the interval of a retrying failure, cannot be
 * told apart from a different pairing.
 */
#ifndef TD_TIMELINE_H
#define TD_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "event.h"
#include "match.h"
#include "sigdb.h"

/* Entries kept by default; more are only counted (td_timeline.dropped). */
#define TD_TIMELINE_MAX 1000000
/* Most bytes of strings (excerpts, times, paths, hosts) a timeline keeps. */
#define TD_TIMELINE_MAX_BYTES ((size_t)1 << 30)
/* Peer events further apart than this are not paired. */
#define TD_SKEW_WINDOW (10 * TD_TICKS_PER_MIN)
/* Smallest offset reported, and the pairs it must rest on. */
#define TD_SKEW_MIN (2 * TD_TICKS_PER_SEC)
#define TD_SKEW_MIN_PAIRS 2
/* Hosts compared for skew: those with the most peer events. */
#define TD_SKEW_MAX_HOSTS 64

struct td_timeline_entry {
	struct td_time time; /* time.text owned (NUL-terminated); zone NONE: unknown */
	size_t input;        /* index of the input in the run */
	char *path;          /* display path of the input */
	uint64_t line, record;
	enum td_level level;
	char *host;          /* its input's machine, else the event's computer, or NULL */
	const struct td_signature *sig;
	enum td_role role;
	char *excerpt;       /* one line, at most TD_MAX_EXCERPT bytes */
	uint64_t event;      /* the event's number in the run (shared by its entries) */
	/* Until td_timeline_finish: the signature that superseded this match
	 * provisionally on the same event (see td_match.superseded_by). */
	const struct td_signature *superseded_by;
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
	struct td_skew *skews; /* offset > 0; by host_a, then host_b */
	size_t nskews;
	size_t nlocal, nunknown; /* entries with a local time, without a time */
	size_t skew_compared;    /* host pairs with enough pairs for an estimate */
	size_t skew_hosts_left;  /* hosts with peer events beyond TD_SKEW_MAX_HOSTS */
	/* Private. */
	size_t cap, max;
	bool have_last; /* last_*: the entry the previous match went to */
	uint64_t last_event;
	const struct td_signature *last_sig;
	size_t last_index; /* SIZE_MAX: that match was dropped */
	struct td_arena strings;
	struct td_timeline_req { /* require clauses seen, per input */
		size_t input;
		const struct td_clause *clause;
	} *reqs;
	size_t nreqs, capreqs;
	bool provisional; /* an entry has superseded_by set */
};

/* A new, empty timeline keeping at most max entries (0: TD_TIMELINE_MAX);
 * NULL without memory.  Free with td_timeline_free (NULL is fine). */
struct td_timeline *td_timeline_new(size_t max);
void td_timeline_free(struct td_timeline *tl);

/* Adds the event of m, read from input number `input`, copying what the
 * entry keeps.  `event` identifies the event within the run: further
 * matches of the same event and signature (other clauses) add nothing but
 * may raise the entry's role (trigger over support over require).  Past
 * the cap the entry is only counted in dropped.  Returns TD_E_NOMEM when
 * memory runs out. */
int td_timeline_add(struct td_timeline *tl, const struct td_match *m, size_t input,
		    uint64_t event) TD_WUR;

/* Moves the entries of `from` (a timeline of inputs parsed on another
 * thread, numbered from 0) to the end of tl, their inputs numbered from
 * input_base and their events from event_base, within tl's caps (what
 * does not fit is counted in dropped).  `from` is left empty. */
int td_timeline_absorb(struct td_timeline *tl, struct td_timeline *from, size_t input_base,
		       uint64_t event_base) TD_WUR;

/* Drops the context entries (support and require matches) of signatures
 * for which found(sig, user) is false: lines that only corroborate a
 * failure the diagnosis did not find.  Entries keep their order; returns
 * how many were dropped.  Call before td_timeline_finish. */
size_t td_timeline_drop_context(struct td_timeline *tl,
				bool (*found)(const struct td_signature *sig, void *user),
				void *user);

/* Lists each event once where a signature superseded another on it
 * provisionally (it needs `require` context): under the superseding one
 * when its require clauses were all seen in the same input (as the
 * diagnosis does), else under the superseded one.  An event listed under
 * several signatures loses those whose require clauses were not all seen in
 * its input (while one of them stands).  Then names each entry's
 * host by its input's machine, hosts[input] (when input < nhosts and it is
 * not NULL), unless the event names another computer (a different short
 * name: events forwarded from elsewhere), so that one machine has one name;
 * sorts the entries (see above) and estimates the clock skews.  Call once,
 * after the last td_timeline_add. */
int td_timeline_finish(struct td_timeline *tl, const char *const *hosts, size_t nhosts) TD_WUR;

/* What `tlsdiag timeline` shows. */
struct td_timeline_filter {
	bool has_since, has_until;
	int64_t since, until;     /* ticks: since <= time < until */
	const char *const *hosts; /* host name lists (see td_host_matches) */
	size_t nhosts;            /* 0: every host */
};

/* Parses a --since/--until time: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][Z]",
 * always UTC.  *from is its first tick, *to the first tick after the day,
 * minute or second it names (so --until 2024-05-01 includes that day).
 * Returns false when s is not such a time. */
bool td_timeline_parse_time(const char *s, int64_t *from, int64_t *to);
/* Whether host is one of the comma-separated names of list, ignoring ASCII
 * case: the same name, or one of them is the other followed by more domain
 * labels ("sql01" matches "SQL01.contoso.com", "sql01.contoso" too, and
 * "sql01.contoso.com" matches a host known only as "SQL01").  A NULL host
 * matches nothing. */
bool td_host_matches(const char *list, const char *host);
/* Whether the filter keeps e: its host matches (when hosts are given) and
 * its time is in range (when a bound is given; an unknown time is then
 * left out).  Local times are compared by their face value. */
bool td_timeline_keep(const struct td_timeline_filter *f, const struct td_timeline_entry *e);
/* Whether the filter keeps skew s: one of its hosts matches. */
bool td_timeline_keep_skew(const struct td_timeline_filter *f, const struct td_skew *s);

#endif
