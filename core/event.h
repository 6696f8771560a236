/* The one normalised event every parser produces.
 *
 * Every input format (CMTrace, SMS trace, ERRORLOG, application text, plain
 * lines, and later EVTX, event exports, svclog, registry) is reduced to
 * struct td_event.  Fixed fields are filled when the format knows them;
 * everything else is a named field.  All td_str members are views into the
 * input text or into the parser's per-record arena: an event and everything
 * it points to is valid only during the callback that receives it
 * (td_event_cb); keep a copy of what you need.
 *
 * Positions: `offset` is the byte offset of the record in the original input
 * (before any re-encoding), `line` the 1-based line of its first line in the
 * text (0 when the format has no lines), `record` the 1-based ordinal of the
 * record in its input (EVTX: the record identifier).
 */
#ifndef TD_EVENT_H
#define TD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h"
#include "timeutil.h"

enum td_format {
	TD_FMT_UNKNOWN = 0,
	TD_FMT_CMTRACE,   /* ConfigMgr CMTrace <![LOG[...]LOG]!> */
	TD_FMT_SMSTRACE,  /* ConfigMgr legacy "$$<component><stamp><thread=...>" */
	TD_FMT_ERRORLOG,  /* SQL Server ERRORLOG */
	TD_FMT_APPTEXT,   /* application text: timestamped lines, .NET exceptions */
	TD_FMT_PLAIN,     /* any other text, one event per line */
	TD_FMT_BINARY,    /* not text, and no parser for it */
	TD_FMT_EVTX,      /* native Windows event log */
	TD_FMT_EVENTXML,  /* event XML: wevtutil, Event Viewer "Save as" and copies */
	TD_FMT_EVENTTEXT, /* Event Viewer "copy details as text", PowerShell Format-List */
	TD_FMT_EVENTCSV,  /* Event Viewer CSV/TSV, PowerShell Export-Csv */
	TD_FMT_SVCLOG,    /* WCF trace (E2ETraceEvent records) */
	TD_FMT_REGISTRY,  /* .reg exports and reg query output */
	TD_FMT_W3C,       /* W3C extended logs: IIS requests, HTTP.sys errors */
	TD_FMT_COUNT
};

enum td_level {
	TD_LEVEL_NONE = 0, /* the format does not say */
	TD_LEVEL_VERBOSE,
	TD_LEVEL_INFO,
	TD_LEVEL_WARNING,
	TD_LEVEL_ERROR,
	TD_LEVEL_CRITICAL,
};

struct td_field {
	struct td_str name;
	struct td_str value;
};

#define TD_MAX_FIELDS 32

struct td_event {
	enum td_format format;
	struct td_str path; /* display path of the input */
	uint64_t line;
	uint64_t line_end; /* last line of the record (== line for one-line records) */
	uint64_t record;
	uint64_t offset;
	struct td_time time;
	enum td_level level;
	bool has_event_id;
	uint32_t event_id;
	struct td_str host;
	struct td_str provider; /* component / source / provider name */
	struct td_str channel;
	struct td_str message;
	const struct td_field *fields;
	size_t nfields;
};

const char *td_format_name(enum td_format f);
/* Format with the given name, TD_FMT_UNKNOWN if none. */
enum td_format td_format_from_name(struct td_str name);
const char *td_level_name(enum td_level l);

/* Value of the first field named `name` (exact match), or {NULL, 0}. */
struct td_str td_event_field(const struct td_event *ev, const char *name);
/* A named part of the event as a matcher sees it: "message", "provider"
 * (alias "component"), "host", "channel", "path", or any field name. */
struct td_str td_event_part(const struct td_event *ev, struct td_str name);

#endif
