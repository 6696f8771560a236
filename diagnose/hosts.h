/* Which machine each input of a bundle came from.
 *
 * Two kinds of evidence name a machine: the folder an input sits in (a
 * bundle of several machines keeps each machine's files in a folder of its
 * own: "bundle/CM-SQL01/ERRORLOG", "b.zip!/CM-CLI07/System.evtx") and the
 * computer names the input's events carry (the EVTX Computer field, the
 * ERRORLOG "Server name is" line, the registry ComputerName value).  The
 * computer name wins where both exist; machines are compared by their
 * short name (the first DNS label, case-insensitively).
 *
 * Pure: no I/O.
 */
#ifndef TD_HOSTS_H
#define TD_HOSTS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "str.h"

/* Distinct computer names an input named, with how often (first few). */
#define TD_HOST_VOTES 4

struct td_host_votes {
	struct {
		char *name;
		size_t len; /* of name (compared for every event) */
		uint64_t count;
	} v[TD_HOST_VOTES];
	size_t n;
};

/* Counts one event's computer name (empty names are ignored). */
int td_host_vote(struct td_host_votes *hv, struct td_str name, uint64_t weight) TD_WUR;
/* The index of name (trimmed, compared case-insensitively) among the
 * votes, or hv->n when it is not there. */
size_t td_host_votes_find(const struct td_host_votes *hv, struct td_str name);
void td_host_votes_release(struct td_host_votes *hv);

/* The short name of a computer name: its first DNS label, unless the name
 * is an IP address. */
struct td_str td_host_short(struct td_str name);

/* How the paths of a bundle split into machine folders. */
struct td_folder_split {
	size_t skip;  /* bytes of the common folder, with its slash */
	size_t base;  /* bytes of the common folder, without it */
	int split;    /* 1: each first-level folder below it is one machine */
};

/* Computes the split of paths[0..n) in time linear in their length: one
 * machine per first-level folder under the common folder when there are
 * several such folders, none has a generic name ("Logs", "Registry", ...)
 * and no file sits in the common folder itself.  Archives count as folders
 * ("b.zip!/CM01/x.reg" is in folder CM01 of folder "b.zip!"; "Logs.zip!"
 * is generic like "Logs"). */
void td_folder_split(const char *const *paths, size_t n, struct td_folder_split *out);
/* The group of one path under split s: "base/first-folder" when split,
 * else the common folder; an archive group without its "!" mark. */
struct td_str td_folder_group(const struct td_folder_split *s, const char *path);

/* Names the machine of each input: names[i] is malloc'ed, or NULL when
 * nothing names the machine of input i (and the bundle is not split into
 * machine folders).  Inputs in one machine folder share the name of the
 * computer their events name most often, else the folder's own name; in
 * an unsplit bundle an input takes the computer its own events name, else
 * the one computer the whole bundle names, if there is exactly one.
 * Returns TD_E_NOMEM (names then all NULL). */
int td_hosts_name_inputs(const char *const *paths, const struct td_host_votes *votes, size_t n,
			 char **names) TD_WUR;

#endif
