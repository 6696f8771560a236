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
#define TD_EVTX_SKEL_HASH 512       /* > slots: a probe always ends at a free entry */
#define TD_EVTX_NAMES_ARENA ((size_t)4 << 20) /* names and skeletons per chunk */
#define TD_EVTX_PLAN_ARENA ((size_t)5 << 20)  /* plans per chunk */

/* A substitution value of a template instance. */
struct td_xvalue {
	uint8_t type;
	struct td_bytes data;
};

/* The System attributes an event takes from its template (td_xsystem). */
enum td_evtx_pattr {
	TD_PA_PROVIDER_NAME, /* Provider@Name */
	TD_PA_EVENT_SOURCE,  /* Provider@EventSourceName, when there is no Name */
	TD_PA_GUID,          /* Provider@Guid */
	TD_PA_QUALIFIERS,    /* EventID@Qualifiers */
	TD_PA_SYSTEMTIME,    /* TimeCreated@SystemTime */
	TD_PA_ACTIVITY,      /* Correlation@ActivityID */
	TD_PA_PID,           /* Execution@ProcessID */
	TD_PA_TID,           /* Execution@ThreadID */
	TD_PA_USER,          /* Security@UserID */
	TD_PA_COUNT
};

/* What td_evtx_direct() does with one child of Event, of EventData or of
 * the root of a nested template. */
enum td_evtx_step_kind {
	TD_STEP_SUBST,     /* a substitution: its value decides (nested BinXML, array) */
	TD_STEP_EVENTDATA, /* an EventData element: steps holds its children */
	TD_STEP_FIELD,     /* an element inside EventData: one field */
	TD_STEP_TREE,      /* anything else: the record needs the tree */
};

struct td_evtx_step {
	enum td_evtx_step_kind kind;
	const struct td_xnode *node;
	const struct td_xattr *name;      /* TD_STEP_FIELD: its first "Name" attribute */
	const struct td_evtx_step *steps; /* TD_STEP_EVENTDATA: one per child that counts */
	size_t nsteps;
};

/* The parts of a template skeleton td_evtx_direct() reads, found once per
 * template and chunk instead of once per record.  Pointers go into the
 * skeleton; both live in the chunk's names arena. */
struct td_evtx_plan {
	const struct td_xnode *sys; /* Event/System; NULL: no Event or System */
	const struct td_xnode *part[S_PARTS];
	const struct td_xattr *attr[TD_PA_COUNT]; /* NULL: not in the template */
	/* Event's children but System and text, when the template is a record. */
	const struct td_evtx_step *event;
	size_t nevent;
	/* The root's children but text, when it is nested EventData. */
	const struct td_evtx_step *root;
	size_t nroot;
};

/* The plan of skeleton skel (a nameless root as skeleton() makes it), in a;
 * NULL when a runs out of memory.  Mirrors the lookups td_evtx_direct()
 * made per record: the first Event child of the root, its first System
 * child, td_xevent_parts(), the first attribute of each name, and Event and
 * EventData children by local name. */
struct td_evtx_plan *td_evtx_plan_build(struct td_arena *a, const struct td_xnode *skel);

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
	const struct td_evtx_plan *plan[TD_EVTX_TEMPLATE_SLOTS]; /* NULL: not built yet */
	/* Plans have their own arena so that they never take the room of
	 * names and skeletons.  A plan has at most one step (40 bytes) per
	 * skeleton node (over 100) and a few hundred bytes besides, so its cap
	 * is not reached while the skeletons fit in theirs. */
	struct td_arena plan_arena;
	uint16_t skel_hash[TD_EVTX_SKEL_HASH]; /* slot + 1 by definition offset, 0: free */
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
