/* EVTX files: header, chunks, records, damage and recovery (evtx.h). */
#include "evtx.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "evtx_internal.h"
#include "timeutil.h"

#define RECORD_MIN 28
#define CHUNK_HEADER 512
#define FLAG_NO_CRC 0x4u
#define ID_SLOTS 4096 /* > records a chunk can hold (65024 / 28) */

static const uint8_t file_magic[8] = { 'E', 'l', 'f', 'F', 'i', 'l', 'e', 0 };
static const uint8_t chunk_magic[8] = { 'E', 'l', 'f', 'C', 'h', 'n', 'k', 0 };
static const uint8_t record_magic[4] = { 0x2a, 0x2a, 0, 0 };

bool td_evtx_probe(struct td_bytes head)
{
	return td_bytes_has_prefix(head, file_magic, sizeof(file_magic));
}

static uint32_t crc(uint32_t c, struct td_bytes b)
{
	return td_crc32(c, b.p, b.len);
}

int td_evtx_read_header(struct td_bytes file, struct td_evtx_header *h)
{
	memset(h, 0, sizeof(*h));
	if (!td_evtx_probe(file))
		return TD_E_FORMAT;
	struct td_bytes b = { 0 };
	if (!td_bytes_at(file, 0, 128, &b))
		return TD_E_TRUNCATED;
	struct td_bytes head = b;
	uint32_t header_size = 0, stored = 0;
	uint16_t block_size = 0;
	td_bytes_skip(&b, 8);
	td_bytes_u64le(&b, &h->first_chunk);
	td_bytes_u64le(&b, &h->last_chunk);
	td_bytes_u64le(&b, &h->next_record);
	td_bytes_u32le(&b, &header_size);
	td_bytes_u16le(&b, &h->minor);
	td_bytes_u16le(&b, &h->major);
	td_bytes_u16le(&b, &block_size);
	td_bytes_u16le(&b, &h->chunk_count);
	td_bytes_skip(&b, 76);
	td_bytes_u32le(&b, &h->flags);
	td_bytes_u32le(&b, &stored);
	struct td_bytes covered = { 0 };
	td_bytes_at(head, 0, 120, &covered);
	h->crc_ok = crc(0, covered) == stored;
	return TD_OK;
}

size_t td_evtx_chunk_slots(struct td_bytes file)
{
	if (file.len <= TD_EVTX_HEADER_SIZE)
		return 0;
	return (file.len - TD_EVTX_HEADER_SIZE + TD_EVTX_CHUNK_SIZE - 1) / TD_EVTX_CHUNK_SIZE;
}

/* --- reader ------------------------------------------------------------------ */

struct reader {
	struct td_bytes file;
	const struct td_evtx_header *hdr;
	struct td_parse_ctx *ctx;
	const struct td_evtx_options *opt;
	struct td_evtx_stats *stats;
	struct td_evtx_chunk chunk;
	struct td_xfields fields;
	struct td_buf xml;
	const struct td_read_hints *hints;
	bool noted_extra;
	bool tree_only; /* TD_EVTX_TREE set: every record through the tree (tests) */
	/* Recovered records that could not be read, reported once per chunk. */
	size_t lost;
	uint64_t lost_first;
	const char *lost_why;
	uint64_t ids[ID_SLOTS]; /* record ids seen in the chunk, + 1 */
};

static void warn(struct reader *r, uint64_t offset, const char *fmt, ...) TD_PRINTF(3, 4);

static void warn(struct reader *r, uint64_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	td_diag_vadd(r->ctx->diag, TD_DIAG_WARNING, offset, TD_DIAG_NO_LINE, fmt, ap);
	va_end(ap);
}

/* Remembers id; false when it was already there. */
static bool remember(struct reader *r, uint64_t id)
{
	size_t slot = (size_t)(id * 0x9E3779B97F4A7C15ull >> 52) % ID_SLOTS;
	for (size_t probe = 0; probe < ID_SLOTS; probe++) {
		size_t s = (slot + probe) % ID_SLOTS;
		if (r->ids[s] == id + 1)
			return false;
		if (!r->ids[s]) {
			r->ids[s] = id + 1;
			return true;
		}
	}
	return true;
}

/* The parts every record gets, whichever way it was read: a record id and
 * time when the XML had none, the recovered mark, the XML on request. */
static int finish_record(struct reader *r, struct td_event *ev, uint64_t id, uint64_t written,
			 uint64_t file_off, bool recovered, const struct td_xnode *root)
{
	int rc;
	if (!ev->record)
		ev->record = id;
	if (!ev->time.text.p) {
		ev->time.ticks = td_time_from_filetime(written);
		ev->time.zone = TD_ZONE_UTC;
		ev->time.digits = 7;
	}
	if (recovered &&
	    (rc = td_xfields_push(&r->fields, TD_STR_LIT("recovered"), TD_STR_LIT("true"))))
		return rc;
	if (root && r->opt && r->opt->xml) {
		td_buf_reset(&r->xml);
		if (td_x_xml(root, &r->xml, 0))
			return TD_E_NOMEM;
		if ((rc = td_xfields_push(&r->fields, TD_STR_LIT("xml"),
					  td_str_make(r->xml.p, r->xml.len))))
			return rc;
	}
	ev->fields = r->fields.items;
	ev->nfields = r->fields.n;
	ev->offset = file_off;
	r->stats->records++;
	if (recovered)
		r->stats->recovered++;
	return td_emit(r->ctx, ev);
}

/* Reads one record (whole, size checked) and hands its event on. */
static int emit_record(struct reader *r, struct td_bytes rec, uint64_t file_off, bool recovered)
{
	struct td_bytes b = rec;
	uint64_t id = 0, written = 0;
	td_bytes_skip(&b, 8);
	td_bytes_u64le(&b, &id);
	td_bytes_u64le(&b, &written);
	struct td_bytes binxml = { 0 };
	td_bytes_at(rec, 24, rec.len - RECORD_MIN, &binxml);

	struct td_evtx_chunk *c = &r->chunk;
	td_arena_reset(&c->arena);
	struct td_event ev = { 0 };
	int rc = TD_E_FORMAT;
	/* Without XML output most records need no tree: the event comes
	 * straight from the template skeleton. */
	if (!(r->opt && r->opt->xml) && !r->tree_only)
		rc = td_evtx_direct(c, binxml, &r->fields, &ev);
	if (rc == TD_E_NOMEM)
		return rc;
	if (rc == TD_OK)
		return finish_record(r, &ev, id, written, file_off, recovered, NULL);
	td_arena_reset(&c->arena);
	memset(&ev, 0, sizeof(ev));
	struct td_xnode *root = td_evtx_binxml(c, binxml);
	const struct td_xnode *ev_el = root ? td_xevent_find(root) : NULL;
	if (!ev_el) {
		if (!c->error)
			c->error = "no Event element";
		if (recovered) {
			/* Slack often holds parts of records from before the chunk
			 * was reused: their templates are gone. */
			if (!r->lost++) {
				r->lost_first = file_off;
				r->lost_why = c->error;
			}
			return TD_OK;
		}
		r->stats->bad_records++;
		warn(r, root ? file_off : c->file_offset + c->error_off,
		     "evtx: record %llu at offset %llu%s cannot be read: %s",
		     (unsigned long long)id, (unsigned long long)file_off,
		     recovered ? " (recovered)" : "", c->error);
		return TD_OK;
	}
	rc = td_xevent_fill(ev_el, &c->arena, &r->fields, &ev);
	if (rc == TD_E_FORMAT && recovered) {
		if (!r->lost++) {
			r->lost_first = file_off;
			r->lost_why = "no System element";
		}
		return TD_OK;
	}
	if (rc == TD_E_FORMAT) {
		r->stats->bad_records++;
		warn(r, file_off, "evtx: record %llu at offset %llu has no System element",
		     (unsigned long long)id, (unsigned long long)file_off);
		return TD_OK;
	}
	if (rc)
		return rc;
	return finish_record(r, &ev, id, written, file_off, recovered, root);
}

/* A complete record at pos: signature, size in range, size copy equal. */
static bool record_at(struct td_bytes chunk, size_t pos, struct td_bytes *rec, uint32_t *size)
{
	struct td_bytes b = { 0 }, tail = { 0 };
	uint32_t copy = 0;
	if (!td_bytes_at(chunk, pos, 8, &b) || !td_bytes_has_prefix(b, record_magic, 4))
		return false;
	td_bytes_skip(&b, 4);
	td_bytes_u32le(&b, size);
	if (*size < RECORD_MIN || !td_bytes_at(chunk, pos, *size, rec))
		return false;
	td_bytes_at(*rec, *size - 4, 4, &tail);
	td_bytes_u32le(&tail, &copy);
	return copy == *size;
}

/* Looks for records in [from, chunk end): slack, the rest of a damaged
 * chunk.  Records whose id was already read in this chunk are stale copies. */
static int recover(struct reader *r, struct td_bytes chunk, size_t from)
{
	size_t pos = from;
	r->lost = 0;
	while (pos + RECORD_MIN <= chunk.len) {
		const uint8_t *hit = memmem(chunk.p + pos, chunk.len - pos, record_magic, 4);
		if (!hit)
			break;
		pos = (size_t)(hit - chunk.p);
		struct td_bytes rec = { 0 }, idb = { 0 };
		uint32_t size = 0;
		uint64_t id = 0;
		if (!record_at(chunk, pos, &rec, &size)) {
			pos++;
			continue;
		}
		td_bytes_at(rec, 8, 8, &idb);
		td_bytes_u64le(&idb, &id);
		if (remember(r, id)) {
			int rc = emit_record(r, rec, r->chunk.file_offset + pos, true);
			if (rc)
				return rc;
		}
		pos += size;
	}
	if (r->lost)
		td_diag_add(r->ctx->diag, TD_DIAG_NOTE, r->lost_first, TD_DIAG_NO_LINE,
			    "evtx: %zu old record%s in the free space of the chunk at offset %llu "
			    "could not be read (first at offset %llu: %s)",
			    r->lost, r->lost == 1 ? "" : "s", (unsigned long long)r->chunk.file_offset,
			    (unsigned long long)r->lost_first, r->lost_why);
	return TD_OK;
}

static bool all_zero(struct td_bytes b)
{
	static const uint8_t zeros[512];
	while (b.len) {
		size_t n = b.len < sizeof(zeros) ? b.len : sizeof(zeros);
		if (memcmp(b.p, zeros, n))
			return false;
		b.p += n;
		b.len -= n;
	}
	return true;
}

struct chunk_head {
	uint64_t first_number, last_number, first_id, last_id;
	uint32_t header_size, last_record, free_space, data_crc, flags, header_crc;
};

static void read_chunk_head(struct td_bytes chunk, struct chunk_head *h)
{
	struct td_bytes b = { 0 };
	td_bytes_at(chunk, 8, 120, &b);
	td_bytes_u64le(&b, &h->first_number);
	td_bytes_u64le(&b, &h->last_number);
	td_bytes_u64le(&b, &h->first_id);
	td_bytes_u64le(&b, &h->last_id);
	td_bytes_u32le(&b, &h->header_size);
	td_bytes_u32le(&b, &h->last_record);
	td_bytes_u32le(&b, &h->free_space);
	td_bytes_u32le(&b, &h->data_crc);
	td_bytes_skip(&b, 64);
	td_bytes_u32le(&b, &h->flags);
	td_bytes_u32le(&b, &h->header_crc);
}

static void check_crcs(struct reader *r, struct td_bytes chunk, const struct chunk_head *h,
		       size_t slot)
{
	if ((h->flags & FLAG_NO_CRC) || (r->hdr && (r->hdr->flags & FLAG_NO_CRC)))
		return;
	struct td_bytes part = { 0 };
	td_bytes_at(chunk, 0, 120, &part);
	uint32_t c = crc(0, part);
	td_bytes_at(chunk, 128, CHUNK_HEADER - 128, &part);
	c = crc(c, part);
	uint64_t off = r->chunk.file_offset;
	if (c != h->header_crc) {
		r->stats->crc_errors++;
		warn(r, off, "evtx: chunk %zu at offset %llu: header checksum is %08x, stored %08x",
		     slot, (unsigned long long)off, c, h->header_crc);
	}
	if (h->free_space >= CHUNK_HEADER && td_bytes_at(chunk, CHUNK_HEADER,
							  h->free_space - CHUNK_HEADER, &part)) {
		c = crc(0, part);
		if (c != h->data_crc) {
			r->stats->crc_errors++;
			warn(r, off,
			     "evtx: chunk %zu at offset %llu: record data checksum is %08x, "
			     "stored %08x",
			     slot, (unsigned long long)off, c, h->data_crc);
		}
	}
}

static int read_chunk(struct reader *r, size_t slot)
{
	uint64_t off = TD_EVTX_HEADER_SIZE + (uint64_t)slot * TD_EVTX_CHUNK_SIZE;
	size_t len = r->file.len - (size_t)off;
	if (len > TD_EVTX_CHUNK_SIZE)
		len = TD_EVTX_CHUNK_SIZE;
	struct td_bytes chunk = { 0 };
	td_bytes_at(r->file, (size_t)off, len, &chunk);
	r->stats->chunks++;
	if (all_zero(chunk)) {
		r->stats->chunks_empty++;
		return TD_OK;
	}
	td_evtx_chunk_reset(&r->chunk, chunk, off);
	memset(r->ids, 0, sizeof(r->ids));
	bool recover_on = !r->opt || r->opt->recover;
	/* Chunks the header does not count are there because the file was not
	 * closed cleanly; their records are recovered ones. */
	bool extra = r->hdr && slot >= r->hdr->chunk_count;
	if (len < TD_EVTX_CHUNK_SIZE)
		warn(r, off, "evtx: chunk %zu at offset %llu is cut short: the file ends %zu bytes into it",
		     slot, (unsigned long long)off, len);
	if (len < CHUNK_HEADER || !td_bytes_has_prefix(chunk, chunk_magic, sizeof(chunk_magic))) {
		r->stats->chunks_bad++;
		warn(r, off, "evtx: chunk %zu at offset %llu has no chunk signature%s", slot,
		     (unsigned long long)off, recover_on ? "; looking for records in it" : "");
		return recover_on ? recover(r, chunk, 0) : TD_OK;
	}
	if (extra && !r->noted_extra) {
		r->noted_extra = true;
		td_diag_add(r->ctx->diag, TD_DIAG_NOTE, off, TD_DIAG_NO_LINE,
			    "evtx: the header counts %u chunks but chunk %zu at offset %llu holds "
			    "data (the log was not closed cleanly); records from chunk %zu on "
			    "are marked recovered",
			    r->hdr->chunk_count, slot, (unsigned long long)off, slot);
	}
	struct chunk_head h = { 0 };
	read_chunk_head(chunk, &h);
	check_crcs(r, chunk, &h, slot);
	size_t end = h.free_space;
	if (end < CHUNK_HEADER || end > len) {
		warn(r, off, "evtx: chunk %zu at offset %llu: free space offset %u is out of range",
		     slot, (unsigned long long)off, h.free_space);
		end = len;
	}
	size_t pos = CHUNK_HEADER;
	while (pos + RECORD_MIN <= end) {
		struct td_bytes rec = { 0 }, magic = { 0 };
		uint32_t size = 0;
		td_bytes_at(chunk, pos, 4, &magic);
		if (all_zero(magic))
			break;
		if (!record_at(chunk, pos, &rec, &size)) {
			r->stats->bad_records++;
			warn(r, off + pos, "evtx: chunk %zu: damaged record at offset %llu%s", slot,
			     (unsigned long long)(off + pos),
			     recover_on ? "; looking for further records" : "");
			break;
		}
		struct td_bytes idb = { 0 };
		uint64_t id = 0;
		td_bytes_at(rec, 8, 8, &idb);
		td_bytes_u64le(&idb, &id);
		remember(r, id);
		int rc = emit_record(r, rec, off + pos, extra);
		if (rc)
			return rc;
		pos += size;
	}
	return recover_on ? recover(r, chunk, pos) : TD_OK;
}

/* Chunks read between two read hints (4 MiB). */
#define HINT_CHUNKS 64

static int read_chunks(struct td_bytes file, const struct td_evtx_header *hdr, size_t first,
		       size_t count, struct td_parse_ctx *ctx, const struct td_evtx_options *opt,
		       struct td_evtx_stats *stats, const struct td_read_hints *hints)
{
	struct reader *r = calloc(1, sizeof(*r));
	if (!r)
		return TD_E_NOMEM;
	struct td_evtx_stats local = { 0 };
	*r = (struct reader){ .file = file, .hdr = hdr, .ctx = ctx, .opt = opt,
			      .stats = stats ? stats : &local, .hints = hints,
			      .tree_only = getenv("TD_EVTX_TREE") != NULL };
	ctx->format = TD_FMT_EVTX;
	ctx->encoding = TD_ENC_UTF8;
	td_evtx_chunk_init(&r->chunk);
	td_buf_init(&r->xml, (size_t)16 << 20);
	size_t slots = td_evtx_chunk_slots(file);
	int rc = TD_OK;
	for (size_t s = first; s < slots && s - first < count && !rc; s++) {
		if (hints && (s - first) % HINT_CHUNKS == 0) {
			size_t from = TD_EVTX_HEADER_SIZE + s * TD_EVTX_CHUNK_SIZE;
			if (hints->release && s > first)
				hints->release(hints->user, from);
			if (hints->prefetch)
				hints->prefetch(hints->user, from, HINT_CHUNKS * TD_EVTX_CHUNK_SIZE);
		}
		rc = read_chunk(r, s);
	}
	td_buf_release(&r->xml);
	td_xfields_release(&r->fields);
	td_evtx_chunk_release(&r->chunk);
	free(r);
	return rc;
}

int td_evtx_parse_chunks(struct td_bytes file, const struct td_evtx_header *hdr, size_t first,
			 size_t count, struct td_parse_ctx *ctx, const struct td_evtx_options *opt,
			 struct td_evtx_stats *stats)
{
	return read_chunks(file, hdr, first, count, ctx, opt, stats, NULL);
}

int td_evtx_parse(struct td_bytes file, struct td_parse_ctx *ctx,
		  const struct td_evtx_options *opt, struct td_evtx_stats *stats,
		  const struct td_read_hints *hints)
{
	struct td_evtx_header h;
	int rc = td_evtx_read_header(file, &h);
	if (rc == TD_E_FORMAT)
		return rc;
	if (rc == TD_E_TRUNCATED) {
		td_diag_add(ctx->diag, TD_DIAG_ERROR, file.len, TD_DIAG_NO_LINE,
			    "evtx: the file header is cut short (%zu of 128 bytes)", file.len);
		return TD_OK;
	}
	if (!h.crc_ok)
		td_diag_add(ctx->diag, TD_DIAG_WARNING, 124, TD_DIAG_NO_LINE,
			    "evtx: file header checksum does not match; header fields are only hints");
	size_t slots = td_evtx_chunk_slots(file);
	if (!slots)
		td_diag_add(ctx->diag, TD_DIAG_NOTE, file.len, TD_DIAG_NO_LINE,
			    "evtx: the file holds no chunks");
	return read_chunks(file, &h, 0, slots, ctx, opt, stats, hints);
}
