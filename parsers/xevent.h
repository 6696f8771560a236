/* The Windows event as an XML tree, and the normalised event taken from it.
 *
 * Both the native EVTX reader (Binary XML) and the readers of exported event
 * XML build the same small tree: elements with attributes, text, entity
 * references and processing instructions, all strings in UTF-8, all memory
 * in one arena (freed with the record).  td_xevent_fill() then reads the
 * parts every consumer needs, whatever the source:
 *
 *   System/Provider@Name            -> provider
 *   System/EventID (+@Qualifiers)   -> event_id (the low 16 bits; the
 *                                      qualifiers go to the field "Qualifiers")
 *   System/Level                    -> level (1 critical .. 5 verbose; 0 info)
 *   System/TimeCreated@SystemTime   -> time (UTC)
 *   System/EventRecordID            -> record
 *   System/Computer, System/Channel -> host, channel
 *   other System values             -> fields "Task", "Opcode", "Keywords",
 *                                      "ProcessID", "ThreadID", "UserID",
 *                                      "Version", "ActivityID", "ProviderGuid"
 *   EventData/Data@Name             -> a field by that name; unnamed Data are
 *                                      "Data[1]", "Data[2]", ... (the %1, %2
 *                                      inserts), Binary -> "Binary"
 *   UserData leaf elements          -> a field per leaf, by element name
 *   RenderingInfo/Message           -> message, when the export carries one
 *
 * Without a rendered message, the message is built from the provider's
 * message template when one is known (evmsg.h), else from the data values.
 */
#ifndef TD_XEVENT_H
#define TD_XEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "event.h"
#include "str.h"

enum td_xkind {
	TD_X_ELEMENT,
	TD_X_TEXT,  /* character data (also CDATA), unescaped */
	TD_X_PI,    /* processing instruction: name = target, text = data */
	TD_X_SUBST, /* only in EVTX template skeletons: substitution subst - 1 */
};

struct td_xattr {
	struct td_str name, value;
	struct td_xattr *next;
	uint16_t subst; /* template skeletons: value is substitution subst - 1 */
	bool optional;  /* ... an optional one */
};

struct td_xnode {
	enum td_xkind kind;
	struct td_str name; /* element name / PI target */
	struct td_str text; /* text / PI data */
	struct td_xattr *attrs, *attrs_tail;
	struct td_xnode *children, *children_tail, *next, *parent;
	uint16_t subst; /* TD_X_SUBST: the substitution index + 1 */
	bool optional;  /* TD_X_SUBST: an optional substitution */
	/* The time of the first FILETIME/SYSTEMTIME attribute value
	 * (TimeCreated/@SystemTime), so it need not be parsed back. */
	int64_t attr_ticks;
	bool has_attr_ticks;
};

/* Most fields an event keeps (EventData beyond this is counted, not kept). */
#define TD_XEVENT_MAX_FIELDS 1024

/* A new node appended to parent's children (parent may be NULL). */
struct td_xnode *td_x_new(struct td_arena *a, enum td_xkind kind, struct td_xnode *parent);
/* Appends text to parent, merged with a text node right before it. */
int td_x_add_text(struct td_arena *a, struct td_xnode *parent, struct td_str s) TD_WUR;
int td_x_add_attr(struct td_arena *a, struct td_xnode *el, struct td_str name,
		  struct td_str value) TD_WUR;

/* Child element of n named name (local name, any prefix), or NULL. */
const struct td_xnode *td_x_child(const struct td_xnode *n, const char *name);
/* Value of attribute name of n, or {NULL,0}. */
struct td_str td_x_attr(const struct td_xnode *n, const char *name);
/* Text content of n (its text children joined), or {NULL,0}. */
struct td_str td_x_text(const struct td_xnode *n);

/* Appends the XML of n and its subtree to b, indented as Event Viewer shows
 * it (two spaces per level).  A nameless root prints its children. */
int td_x_xml(const struct td_xnode *n, struct td_buf *b, int indent) TD_WUR;

/* Where the extracted fields go: an array kept between records. */
struct td_xfields {
	struct td_field *items;
	size_t n, cap;
	size_t dropped; /* fields past TD_XEVENT_MAX_FIELDS */
};

void td_xfields_release(struct td_xfields *f);
/* Appends a field (a NULL value becomes ""); past TD_XEVENT_MAX_FIELDS it
 * is only counted in f->dropped. */
int td_xfields_add(struct td_xfields *f, struct td_str name, struct td_str value) TD_WUR;
/* Appends whatever the count (fields a reader adds itself: "xml",
 * "recovered"). */
int td_xfields_push(struct td_xfields *f, struct td_str name, struct td_str value) TD_WUR;

/* The System values of an event, as text (NULL: absent), from whichever
 * representation (a tree, an EVTX template skeleton). */
struct td_xsystem {
	struct td_str provider, guid, event_id, qualifiers, version, level, task, opcode,
		keywords, time, record_id, activity, pid, tid, channel, computer, user;
	int64_t ticks; /* the time as a FILETIME value, when has_ticks */
	bool has_ticks;
};

/* Adds an EventData value as a field: named by its Name attribute, else by
 * its element (other than Data), else "Data[n]" counting *unnamed. */
int td_xevent_data_field(struct td_arena *a, struct td_xfields *f, struct td_str element,
			 struct td_str name_attr, struct td_str value, size_t *unnamed) TD_WUR;

/* The parts of System, found in one pass over its children. */
enum td_xsys_part {
	S_PROVIDER, S_EVENTID, S_VERSION, S_LEVEL, S_TASK, S_OPCODE, S_KEYWORDS,
	S_TIMECREATED, S_RECORDID, S_CORRELATION, S_EXECUTION, S_CHANNEL, S_COMPUTER,
	S_SECURITY, S_PARTS
};
void td_xevent_parts(const struct td_xnode *sys, const struct td_xnode **part);
/* The name without a namespace prefix. */
struct td_str td_x_local_name(struct td_str s);

/* Sets ev's provider, id, level, time, record, host and channel from x and
 * starts f with the other System values (Qualifiers, Version, Task, Opcode,
 * Keywords, ProcessID, ThreadID, UserID, ActivityID, ProviderGuid). */
int td_xevent_system(const struct td_xsystem *x, struct td_xfields *f, struct td_event *ev) TD_WUR;
/* Sets ev's fields from f and its message: the provider's template when
 * known (evmsg.h), else the values from f->items[first_data] on. */
int td_xevent_finish(struct td_event *ev, size_t first_data, struct td_arena *a,
		     struct td_xfields *f) TD_WUR;

/* Fills ev (provider, id, level, time, record, host, channel, message) and
 * f from the Event element ev_el; strings point into the tree or the arena.
 * Returns TD_OK, TD_E_NOMEM, or TD_E_FORMAT when ev_el has no System part.
 * ev->fields/nfields are set to f's items. */
int td_xevent_fill(const struct td_xnode *ev_el, struct td_arena *a, struct td_xfields *f,
		   struct td_event *ev) TD_WUR;

/* Parses event XML text into a tree under *root (a nameless node): with
 * libxml2's reader when the text is well-formed (no network, no entity
 * expansion beyond the predefined ones), else with a tolerant scanner
 * (*tolerant set) that accepts Event Viewer's copies ("- " collapse
 * markers), unescaped '&', unclosed and truncated elements.  TD_E_LIMIT when
 * nesting passes TD_XML_MAX_DEPTH levels. */
#define TD_XML_MAX_DEPTH 64
int td_xevent_parse_xml(struct td_str xml, struct td_arena *a, struct td_xnode **root,
			bool *tolerant) TD_WUR;

/* The Event element under a root (the root itself when it is one). */
const struct td_xnode *td_xevent_find(const struct td_xnode *root);

#endif
