/* A small EVTX writer for test fixtures (tests only, never shipped).
 *
 * Builds a complete .evtx file in memory from a list of events, laid out as
 * Windows writes them: file header, 64 KiB chunks with their string and
 * template tables and CRC32s, and per record one template instance of a
 * System template whose last value is the EventData as nested Binary XML
 * (a second template instance, one template per set of Data names).  Names
 * and template definitions are written inline at first use in a chunk and
 * referenced by offset afterwards, as Windows does.
 *
 * It is deliberately independent of the reader in parsers/: it shares no
 * code with it, and the tests check its output with libevtx (evtxexport)
 * and python-evtx as well, so a misunderstanding of the format cannot hide
 * in both.
 */
#ifndef TD_EVTXWRITE_H
#define TD_EVTXWRITE_H

#include <stddef.h>
#include <stdint.h>

#define TD_EW_MAX_DATA 16

struct td_ew_event {
	uint64_t record_id;       /* 0: numbered from 1 in order */
	uint64_t filetime;        /* TimeCreated, 100 ns since 1601 */
	uint16_t event_id;
	uint8_t level;            /* 1..5 */
	const char *provider;     /* default "Schannel" */
	const char *provider_guid; /* default the Schannel GUID */
	const char *channel;      /* default "System" */
	const char *computer;
	const char *user_sid;     /* "S-1-5-18" or NULL for none */
	uint32_t pid, tid;
	size_t ndata;
	const char *data_name[TD_EW_MAX_DATA];  /* NULL for an unnamed <Data> */
	const char *data_value[TD_EW_MAX_DATA];
};

struct td_ew_options {
	size_t records_per_chunk; /* 0: as many as fit */
	int dirty;                /* set the dirty flag and count one chunk less */
};

/* The file (malloc'ed, *len bytes) or NULL when out of memory or an event
 * cannot be encoded (too large for a chunk). */
unsigned char *td_ew_build(const struct td_ew_event *ev, size_t n,
			   const struct td_ew_options *opt, size_t *len);

/* Parses "2024-05-01T10:00:00.1234567Z" into a FILETIME; 0 on error. */
uint64_t td_ew_filetime(const char *iso);

#endif
