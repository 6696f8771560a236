/* Message texts of events whose files carry none.
 *
 * An .evtx (and wevtutil's plain XML) holds only the inserts of an event;
 * the text Event Viewer shows lives in the provider's message DLL.  For the
 * providers tlsdiag diagnoses (Schannel, from lsasrv.dll) the message
 * templates of each Windows version are kept here, and an event's message is
 * rebuilt from its id and inserts: %1, %2, ... are the EventData values in
 * order, %n a line break.  The template is chosen by the Windows version the
 * inserts point to (e.g. 36888 with a third insert, the target name, is the
 * Windows 10 1607+ form; 36880 with five or more inserts the 1511+ form).
 * kb/SCHANNEL_EVENT_TEMPLATES.md lists the texts.
 */
#ifndef TD_EVMSG_H
#define TD_EVMSG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "err.h"
#include "event.h"

/* Windows versions whose message texts differ. */
enum td_winver {
	TD_WIN_AUTO = 0, /* guess from the inserts */
	TD_WIN_61,       /* Windows 7 / Server 2008 R2 */
	TD_WIN_63,       /* Windows 8.1 / Server 2012 R2 */
	TD_WIN_10586,    /* Windows 10 1511 */
	TD_WIN_14393,    /* Windows 10 1607 / Server 2016 .. 1909 */
	TD_WIN_19041,    /* Windows 10 2004+ / Server 2022 / Windows 11 */
};

/* Sets *out to the message of ev (provider, event id and its fields from
 * index first_data on, the EventData inserts) in the arena.  TD_E_FORMAT
 * when no template is known for the event, TD_E_NOMEM. */
int td_evmsg_render(const struct td_event *ev, size_t first_data, enum td_winver ver,
		    struct td_arena *a, struct td_str *out);

/* Whether provider names the Schannel provider ("Schannel" or
 * "Microsoft-Windows-Schannel-Events"). */
bool td_evmsg_is_schannel(struct td_str provider);

#endif
