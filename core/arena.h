/* Per-record arena: a bump allocator reset after every record.
 *
 * Parsers put the strings of one event (decoded fields, joined lines) here
 * and call td_arena_reset() once the event callback has returned, so they
 * almost never free() per field.  Allocations are 8-byte aligned.  The
 * arena refuses to hold more than max bytes at once (TD_E_LIMIT via NULL):
 * a hostile record cannot make it grow without bound.
 */
#ifndef TD_ARENA_H
#define TD_ARENA_H

#include <stddef.h>

#include "str.h"

struct td_arena_block;

struct td_arena {
	struct td_arena_block *head; /* newest block first */
	size_t used;                 /* bytes handed out since the last reset */
	size_t max;
};

void td_arena_init(struct td_arena *a, size_t max);
/* Returns n bytes valid until the next reset, or NULL when memory runs out
 * or max would be passed. */
void *td_arena_alloc(struct td_arena *a, size_t n);
/* Copies s (adding a NUL after it); returns the copy or {NULL,0}. */
struct td_str td_arena_strdup(struct td_arena *a, struct td_str s);
/* Forgets every allocation but keeps the largest block for reuse. */
void td_arena_reset(struct td_arena *a);
void td_arena_release(struct td_arena *a);

#endif
