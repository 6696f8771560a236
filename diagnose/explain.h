/* Explaining the numbers in an event: TLS alert codes, Schannel error
 * states, SSPI/CryptoAPI/Win32 status codes and HRESULTs, WinHTTP errors,
 * secure-failure flags, protocol bits and cipher suites, looked up in the code tables of
 * the signature database (codes.xml).
 *
 * Numbers are taken from the event's fields where the format names them
 * (AlertDesc, ErrorState, ErrorCode, ...) and from the message text where
 * only text was kept ("fatal alert code is 70", "0x80090331",
 * "-2146893007", "lpvStatusInformation is 0x00000008").
 */
#ifndef TD_EXPLAIN_H
#define TD_EXPLAIN_H

#include <stddef.h>

#include "event.h"
#include "sigdb.h"

#define TD_MAX_EXPLAIN 8

/* Fills out[0..n) with the distinct table entries for the numbers in ev;
 * returns n (at most max). */
size_t td_explain_event(const struct td_sigdb *db, const struct td_event *ev,
			const struct td_explain **out, size_t max);

#endif
