/* Shared between the EVTX modules: the per-chunk reader state, the record
 * tree built from Binary XML, and the value renderer.  Not a public API. */
#ifndef TD_EVTX_INTERNAL_H
#define TD_EVTX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "bytes.h"
#include "evtx.h"
#include "xevent.h"

/* Caps against hostile records. */
#define TD_EVTX_MAX_DEPTH 48        /* element and nested-BinXML nesting */
#define TD_EVTX_MAX_WORK 200000     /* tokens and values per record */
#define TD_EVTX_MAX_VALUES 1024     /* substitution values per template instance */
#define TD_EVTX_NAME_SLOTS 2048     /* name cache entries per chunk */
#define TD_EVTX_TEMPLATE_SLOTS 256  /* template definitions cached per chunk */

/* A substitution value of a template instance. */
struct td_xvalue {
	uint8_t type;
	struct td_bytes data;
};

/* State for one chunk (names and template offsets are chunk-relative). */
struct td_evtx_chunk {
	struct td_bytes chunk;     /* the 64 KiB chunk */
	uint64_t file_offset;      /* of the chunk in the file */
	struct td_arena names_arena;
	uint32_t name_off[TD_EVTX_NAME_SLOTS];
	struct td_str name_val[TD_EVTX_NAME_SLOTS];
	struct td_arena arena;     /* per record */
	/* Template definitions parsed once per chunk into skeletons (trees
	 * with substitution placeholders) and instantiated per record. */
	uint32_t skel_off[TD_EVTX_TEMPLATE_SLOTS];
	struct td_xnode *skel[TD_EVTX_TEMPLATE_SLOTS]; /* NULL: cannot be a skeleton */
	size_t nskel;
	bool skeleton;             /* building a skeleton now */
	struct td_arena *alloc;    /* where tree nodes go: arena or names_arena */
	size_t work;               /* budget used by the current record */
	int depth;
	const char *error;         /* first problem in the current record */
	size_t error_off;
};

void td_evtx_chunk_init(struct td_evtx_chunk *c);
void td_evtx_chunk_reset(struct td_evtx_chunk *c, struct td_bytes chunk, uint64_t file_offset);
void td_evtx_chunk_release(struct td_evtx_chunk *c);

/* Expands the BinXML of one record (starting at in, which lies inside the
 * chunk) under a root node; NULL with c->error set on failure. */
struct td_xnode *td_evtx_binxml(struct td_evtx_chunk *c, struct td_bytes in);
/* Fills ev and f straight from the record's template skeleton, without
 * building its tree: TD_OK, TD_E_NOMEM, or TD_E_FORMAT when the record needs
 * the tree (no skeleton, arrays, UserData, nested markup, damage); the
 * caller then uses td_evtx_binxml() and td_xevent_fill(). */
int td_evtx_direct(struct td_evtx_chunk *c, struct td_bytes in, struct td_xfields *f,
		   struct td_event *ev);
/* Renders a value as text into the record arena (arrays: items joined with
 * ", "); 0-length string for null.  *ticks is set for time values. */
struct td_str td_evtx_value_text(struct td_evtx_chunk *c, const struct td_xvalue *v,
				 int64_t *ticks, bool *has_ticks);
#endif
