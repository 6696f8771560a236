/* Large buffers under one memory budget, shared by threads.
 *
 * Every archive member is read into a buffer of its own, which a worker
 * thread gives back once the member is parsed.  The pool does two things
 * with them:
 *
 * - Reuse.  A new buffer of tens of MiB costs the kernel a zeroed page per
 *   4 KiB touched (about a tenth of a zipped bundle's run); a buffer given
 *   back is kept idle and taken again for a later member, its pages
 *   already there.
 * - A budget.  Buffers in use and idle ones together stay within `budget`
 *   bytes: idle buffers are freed to make room, and td_bufpool_get() waits
 *   for buffers in use elsewhere to come back before it passes the budget.
 *   So the members read ahead, queued and being parsed never hold more
 *   than the budget, however the threads race.
 *
 * A request larger than the whole budget is still served once nothing else
 * is in use, so a huge member is read rather than refused.  Growing a
 * buffer (td_bufpool_grow) is counted but never waits.
 *
 * A NULL pool is valid everywhere: no reuse and no budget, plain
 * allocation.  All functions may be called from any thread.
 */
#ifndef TD_BUFPOOL_H
#define TD_BUFPOOL_H

#include <stddef.h>

#include "err.h"

struct td_bufpool;

/* A pool holding at most `budget` bytes; NULL without memory. */
struct td_bufpool *td_bufpool_new(size_t budget) TD_WUR;
/* Frees the pool and its idle buffers (the others must have come back
 * first); NULL is fine. */
void td_bufpool_free(struct td_bufpool *pool);

/* A buffer of at least n bytes, *cap set to its size: the smallest idle
 * one large enough, else a new one.  `held` is what the caller itself
 * holds of the pool and will not give back while it waits (it never waits
 * for its own buffers).  NULL without memory. */
void *td_bufpool_get(struct td_bufpool *pool, size_t n, size_t held, size_t *cap) TD_WUR;

/* p (cap bytes from this pool) grown to n bytes, contents kept; NULL
 * without memory (p is then still valid). */
void *td_bufpool_grow(struct td_bufpool *pool, void *p, size_t cap, size_t n) TD_WUR;

/* Gives back p (cap bytes from this pool) for reuse; NULL p is fine. */
void td_bufpool_give(struct td_bufpool *pool, void *p, size_t cap);

/* For tests: bytes in use and idle now, and gets served by an idle buffer. */
size_t td_bufpool_used(struct td_bufpool *pool);
size_t td_bufpool_idle(struct td_bufpool *pool);
size_t td_bufpool_hits(struct td_bufpool *pool);

#endif
