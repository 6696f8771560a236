/* Shared by the readers of exported Windows events (eventxml.c,
 * eventtext.c, eventcsv.c): per-record memory and the step from an Event
 * XML span to an emitted event.  Not a public API. */
#ifndef TD_EVENTEXPORT_H
#define TD_EVENTEXPORT_H

#include "arena.h"
#include "parser.h"
#include "xevent.h"

struct td_export {
	struct td_arena arena; /* per record */
	struct td_xfields fields;
	uint64_t record;       /* events emitted, for records without an id */
};

void td_export_init(struct td_export *x);
void td_export_release(struct td_export *x);

/* Parses xml (one Event element, possibly damaged) into ev: provider, id,
 * level, UTC time, record, computer, channel, fields and message.  Returns
 * TD_OK, TD_E_NOMEM, TD_E_FORMAT when there is no Event/System part, or
 * TD_E_LIMIT when elements nest deeper than TD_XML_MAX_DEPTH;
 * *tolerant tells whether the text was not well-formed. */
int td_export_xml_event(struct td_export *x, struct td_str xml, struct td_event *ev,
			bool *tolerant) TD_WUR;

/* Level from an Event Viewer / PowerShell level name ("Error",
 * "Warning", "Information", "Critical", "Verbose", also "Erreur",
 * "Fehler", ... for the common locales); TD_LEVEL_NONE if unknown. */
enum td_level td_export_level_name(struct td_str s);

#endif
