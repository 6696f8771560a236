/* Customer bundles: archives read in memory, member by member.
 *
 * td_archive_walk() opens .zip (zip64 too), .cab, .7z, .tar, .tar.gz/.tgz,
 * .tar.xz, .tar.bz2 and single compressed files (.gz, .xz, .bz2) held in
 * memory with libarchive, reads each regular file member whole into memory
 * and hands it to a callback, in archive order.  Archives are recognised
 * by their content, never by their name; a member that is itself an
 * archive is opened in turn (a .zip inside a .tar.gz inside a .zip), so the
 * callback only ever sees files.  Nothing is written to disk: member names
 * such as "../../etc/passwd" are only shown.
 *
 * Every member reaches the callback with its display path: the archive's
 * name, "!/", and the member's name as stored ("bundle.zip!/Server1/Logs/
 * SRSRP.log", nested "outer.zip!/inner.tar.gz!/x/y.log"; a single
 * compressed file is "SRSRP.log.gz!/SRSRP.log"), with control characters and
 * invalid UTF-8 shown as '?'.  A zip name that is not UTF-8 is read as code
 * page 437, the zip format's own (Windows' compressed folders write it).
 * Folders give no member.
 *
 * Limits guard against hostile archives (struct td_archive_limits).  A
 * member that crosses a limit, is encrypted or is damaged reaches the
 * callback with an error saying so; the walk goes on with the next member,
 * except after the bundle-wide limits (total bytes, member count), which
 * end the walk of the whole bundle, and after damage that libarchive cannot
 * read past, which ends that archive.  Everything read before a problem is
 * kept: the part of a damaged member that could be read comes with its
 * error.
 *
 * Memory: one member's bytes per nesting level at a time (an archive inside
 * an archive is held whole while its own members are read), and with
 * read-ahead one more: the member the callback has while the next is read.
 * The callback always runs on the caller's thread, one member at a time.
 */
#ifndef TD_ARCHIVE_WALK_H
#define TD_ARCHIVE_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "bufpool.h"
#include "bytes.h"
#include "err.h"

/* The compression ratio limit applies to members larger than this. */
#define TD_ARCHIVE_RATIO_FROM ((uint64_t)1 << 20)

struct td_archive_limits {
	uint64_t bundle_bytes; /* bytes decompressed in all, every nesting level counted */
	uint64_t member_bytes; /* largest member read */
	uint64_t ratio;        /* bytes out per compressed byte in (0: no limit) */
	unsigned depth;        /* archive levels opened; a bundle itself is level 1 */
	uint64_t members;      /* members read in all, every level counted */
	/* Not a limit: decompress the next member on a second thread while
	 * the callback works on this one (at most two members in memory). */
	bool read_ahead;
	/* Not a limit: where member buffers come from and go back to
	 * (bufpool.h); its budget bounds the members read ahead and kept.
	 * NULL: plain allocation. */
	struct td_bufpool *pool;
};

/* The defaults: 16 GiB in all, 4 GiB per member, ratio 1000, depth 8,
 * 1,000,000 members, read-ahead on, no pool. */
void td_archive_limits_init(struct td_archive_limits *lim);

/* One member, or one problem, as the walk hands it over. */
struct td_archive_member {
	const char *path;     /* display path (see above) */
	struct td_bytes data; /* the member's bytes, or what was read of them */
	const char *error;    /* why it was not (wholly) read, or NULL */
	const char *note;     /* something worth telling that is no error, or NULL */
	/* The walk will not read the first `consumed` bytes of the bundle
	 * again (its caller may give a mapped file's pages back). */
	uint64_t consumed;
	void *keep_; /* private: the buffer td_archive_member_keep() may take */
	struct td_bufpool *pool_; /* private: where a copy comes from */
};

/* Whether m carries bytes to parse: a member read whole (even if empty), or
 * what could be read of a damaged one; a note carries none. */
static inline bool td_archive_member_has_data(const struct td_archive_member *m)
{
	return !m->note && (m->data.len || !m->error);
}

/* The member's bytes, kept beyond the callback: the walk's own buffer,
 * which the walk then no longer reuses, or a copy.  *cap is the buffer's
 * size (at least the member's).  It is the pool's (limits.pool): give it
 * back with td_bufpool_give(pool, p, *cap); NULL without memory.
 * Lets a caller parse members on other threads while the walk goes on. */
void *td_archive_member_keep(const struct td_archive_member *m, size_t *cap);

/* Receives every member; everything it points to is valid only during the
 * call.  Returns 0 to go on, non-zero to stop the walk. */
typedef int (*td_archive_cb)(const struct td_archive_member *m, void *user);

/* Whether `in` is an archive or a compressed file that td_archive_walk()
 * reads (by content: libarchive's format and filter detection).  Plain
 * text, event logs and other files are not. */
bool td_archive_probe(struct td_bytes in);

/* Whether the name ends like an archive's (.zip, .cab, .7z, .tar, .tgz,
 * .gz, .xz, .bz2, ...), to explain why such a file was read as a file. */
bool td_archive_named(const char *name);

/* Walks the archive `in` named `name` (its display path), calling cb for
 * every member and problem in archive order.  Returns TD_OK when the walk
 * went to its end (problems went to cb), TD_E_FORMAT when `in` is not an
 * archive (cb was not called), TD_E_STOP when cb asked to stop, TD_E_NOMEM.
 * `in` is borrowed for the duration of the call. */
int td_archive_walk(struct td_bytes in, const char *name, const struct td_archive_limits *lim,
		    td_archive_cb cb, void *user) TD_WUR;

#endif
