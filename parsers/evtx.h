/* Native reader for Windows XML Event Log files (.evtx), kb/EVTX_FORMAT.md.
 *
 * The file is read from memory: header, then every 64 KiB chunk slot up to
 * the end of the file (the header's chunk count is only a hint: dirty files
 * often hold more), then the event records of each chunk.  Each record's
 * Binary XML is expanded (templates and substitutions, every value type,
 * arrays, nested BinXML, optional substitutions) into a small tree from
 * which the normalised event is taken: provider, event id, level, UTC time,
 * record id, computer, channel and every EventData/UserData value by name.
 *
 * Damage is reported, never fatal: CRC mismatches are warnings; a chunk with
 * a bad signature or a record whose sizes disagree is reported with its
 * offset and, when recovery is on, the rest of the chunk is scanned for
 * records; records found that way, in chunk slack, or in chunks past the
 * header's count carry the field "recovered" = "true".  Every loop is bounded
 * by the bytes left, nesting depth and the work per record are capped.
 */
#ifndef TD_EVTX_H
#define TD_EVTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "parser.h"

#define TD_EVTX_HEADER_SIZE 4096
#define TD_EVTX_CHUNK_SIZE 65536

struct td_evtx_options {
	bool xml;     /* attach the record's XML as the field "xml" */
	bool recover; /* look for records in slack and damaged chunks */
};

struct td_evtx_header {
	uint64_t first_chunk, last_chunk, next_record;
	uint16_t minor, major, chunk_count;
	uint32_t flags;
	bool crc_ok;
};

struct td_evtx_stats {
	uint64_t chunks;       /* chunk slots examined */
	uint64_t chunks_empty; /* all-zero slots */
	uint64_t chunks_bad;   /* slots without a chunk signature */
	uint64_t crc_errors;   /* chunk header or data checksum mismatches */
	uint64_t records;      /* events emitted */
	uint64_t recovered;    /* of those, found by recovery */
	uint64_t bad_records;  /* records that could not be read */
};

/* Whether head starts like an EVTX file. */
bool td_evtx_probe(struct td_bytes head);
/* Reads and checks the file header (fills *h even when the CRC is wrong);
 * TD_E_FORMAT when the signature is missing, TD_E_TRUNCATED when shorter. */
int td_evtx_read_header(struct td_bytes file, struct td_evtx_header *h) TD_WUR;
/* Number of chunk slots the file holds (from its size, not the header). */
size_t td_evtx_chunk_slots(struct td_bytes file);

/* Parses the whole file, calling ctx->cb for every record (ctx->format is
 * set to TD_FMT_EVTX).  opt, stats and hints may be NULL (defaults: no XML,
 * recovery on).  Returns TD_OK, TD_E_STOP, TD_E_NOMEM or TD_E_FORMAT when
 * the file is not EVTX at all. */
int td_evtx_parse(struct td_bytes file, struct td_parse_ctx *ctx,
		  const struct td_evtx_options *opt, struct td_evtx_stats *stats,
		  const struct td_read_hints *hints) TD_WUR;
/* Parses chunk slots [first, first + count) only: chunks are independent,
 * so callers may give ranges to different threads (each with its own ctx
 * and stats).  hdr may be NULL. */
int td_evtx_parse_chunks(struct td_bytes file, const struct td_evtx_header *hdr, size_t first,
			 size_t count, struct td_parse_ctx *ctx, const struct td_evtx_options *opt,
			 struct td_evtx_stats *stats) TD_WUR;

#endif
