/* EVTX writer for test fixtures (evtxwrite.h).  Independent of parsers/. */
#include "evtxwrite.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK 65536
#define HEADER 4096
#define MAX_NAMES 512
#define MAX_TEMPLATES 64

static const char schannel_guid[] = "{1F678132-5938-4686-9FDC-C8FF68F15C85}";

struct chunk {
	uint8_t b[CHUNK];
	size_t pos;
	bool overflow;
	const char *names[MAX_NAMES];
	uint32_t name_off[MAX_NAMES];
	size_t nnames;
	uint32_t tmpl_key[MAX_TEMPLATES], tmpl_off[MAX_TEMPLATES];
	size_t ntmpl;
};

/* --- bytes --------------------------------------------------------------- */

static void put(struct chunk *c, const void *p, size_t n)
{
	if (c->pos + n > CHUNK) {
		c->overflow = true;
		return;
	}
	memcpy(c->b + c->pos, p, n);
	c->pos += n;
}

static void put8(struct chunk *c, unsigned v)
{
	uint8_t x = (uint8_t)v;
	put(c, &x, 1);
}

static void put_le(struct chunk *c, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		put8(c, (unsigned)(v >> (8 * i)) & 0xff);
}

static void set_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* UTF-8 to UTF-16LE code units; returns the count. */
static size_t utf16(const char *s, uint16_t *out, size_t max)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n + 2 <= max) {
		uint32_t cp = *p++;
		int more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
		if (more)
			cp &= 0x3fu >> more;
		while (more-- && (*p & 0xc0) == 0x80)
			cp = cp << 6 | (*p++ & 0x3f);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			out[n++] = (uint16_t)(0xd800 + (cp >> 10));
			out[n++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
		} else {
			out[n++] = (uint16_t)cp;
		}
	}
	return n;
}

static void put_units(struct chunk *c, const uint16_t *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_le(c, u[i], 2);
}

/* --- Binary XML pieces ----------------------------------------------------- */

static uint16_t name_hash(const uint16_t *u, size_t n)
{
	uint32_t h = 0;
	for (size_t i = 0; i < n; i++)
		h = h * 65599u + u[i];
	return (uint16_t)h;
}

/* A name reference: inline definition at first use, else the offset. */
static void name_ref(struct chunk *c, const char *name)
{
	for (size_t i = 0; i < c->nnames; i++)
		if (strcmp(c->names[i], name) == 0) {
			put_le(c, c->name_off[i], 4);
			return;
		}
	uint16_t u[256];
	size_t n = utf16(name, u, 256);
	uint32_t off = (uint32_t)c->pos + 4;
	put_le(c, off, 4);
	uint16_t hash = name_hash(u, n);
	/* String table: 64 buckets at 128, chained through "next". */
	uint8_t *bucket = c->b + 128 + 4 * (hash % 64);
	uint32_t head = (uint32_t)bucket[0] | (uint32_t)bucket[1] << 8 |
			(uint32_t)bucket[2] << 16 | (uint32_t)bucket[3] << 24;
	put_le(c, head, 4);
	put_le(c, hash, 2);
	put_le(c, n, 2);
	put_units(c, u, n);
	put_le(c, 0, 2);
	if (!c->overflow)
		set_le(bucket, off, 4);
	if (c->nnames < MAX_NAMES) {
		c->names[c->nnames] = name;
		c->name_off[c->nnames++] = off;
	}
}

/* Element start inside a template definition; returns where its data size
 * goes (patched by elem_end). */
static size_t elem_open(struct chunk *c, const char *name, bool attrs)
{
	put8(c, attrs ? 0x41 : 0x01);
	put_le(c, 0xffff, 2); /* dependency id: none */
	size_t size_at = c->pos;
	put_le(c, 0, 4);
	name_ref(c, name);
	return size_at;
}

static void elem_end(struct chunk *c, size_t size_at)
{
	if (!c->overflow)
		set_le(c->b + size_at, c->pos - size_at - 4, 4);
}

static void attr_literal(struct chunk *c, const char *name, const char *value, bool more)
{
	uint16_t u[256];
	size_t n = utf16(value, u, 256);
	put8(c, more ? 0x46 : 0x06);
	name_ref(c, name);
	put8(c, 0x05);
	put8(c, 0x01);
	put_le(c, n, 2);
	put_units(c, u, n);
}

static void attr_subst(struct chunk *c, const char *name, unsigned index, unsigned type,
		       bool optional, bool more)
{
	put8(c, more ? 0x46 : 0x06);
	name_ref(c, name);
	put8(c, optional ? 0x0e : 0x0d);
	put_le(c, index, 2);
	put8(c, type);
}

static void subst(struct chunk *c, unsigned index, unsigned type, bool optional)
{
	put8(c, optional ? 0x0e : 0x0d);
	put_le(c, index, 2);
	put8(c, type);
}

/* <name>%index</name> */
static void simple(struct chunk *c, const char *name, unsigned index, unsigned type)
{
	size_t at = elem_open(c, name, false);
	put8(c, 0x02);
	subst(c, index, type, false);
	put8(c, 0x04);
	elem_end(c, at);
}

/* <name a=%i .../> with attribute substitutions. */
static void empty_with(struct chunk *c, const char *name, const char *const *attrs,
		       const unsigned *idx, const unsigned *types, const bool *opt, size_t n)
{
	size_t at = elem_open(c, name, true);
	size_t list_at = c->pos;
	put_le(c, 0, 4);
	for (size_t i = 0; i < n; i++)
		attr_subst(c, attrs[i], idx[i], types[i], opt[i], i + 1 < n);
	if (!c->overflow)
		set_le(c->b + list_at, c->pos - list_at - 4, 4);
	put8(c, 0x03);
	elem_end(c, at);
}

enum { T_STRING = 1, T_UINT8 = 4, T_UINT16 = 6, T_UINT32 = 8, T_UINT64 = 10, T_GUID = 15,
       T_FILETIME = 17, T_SID = 19, T_HEX64 = 21, T_BINXML = 0x21 };

/* The System template's body: the Event element with 18 substitutions. */
static void system_template(struct chunk *c)
{
	size_t ev = elem_open(c, "Event", true);
	size_t list_at = c->pos;
	put_le(c, 0, 4);
	attr_literal(c, "xmlns", "http://schemas.microsoft.com/win/2004/08/events/event", false);
	if (!c->overflow)
		set_le(c->b + list_at, c->pos - list_at - 4, 4);
	put8(c, 0x02);
	size_t sys = elem_open(c, "System", false);
	put8(c, 0x02);
	{
		const char *a[] = { "Name", "Guid" };
		unsigned i[] = { 0, 1 }, t[] = { T_STRING, T_GUID };
		bool o[] = { false, false };
		empty_with(c, "Provider", a, i, t, o, 2);
	}
	{
		size_t at = elem_open(c, "EventID", true);
		size_t la = c->pos;
		put_le(c, 0, 4);
		attr_subst(c, "Qualifiers", 3, T_UINT16, true, false);
		if (!c->overflow)
			set_le(c->b + la, c->pos - la - 4, 4);
		put8(c, 0x02);
		subst(c, 2, T_UINT16, false);
		put8(c, 0x04);
		elem_end(c, at);
	}
	simple(c, "Version", 4, T_UINT8);
	simple(c, "Level", 5, T_UINT8);
	simple(c, "Task", 6, T_UINT16);
	simple(c, "Opcode", 7, T_UINT8);
	simple(c, "Keywords", 8, T_HEX64);
	{
		const char *a[] = { "SystemTime" };
		unsigned i[] = { 9 }, t[] = { T_FILETIME };
		bool o[] = { false };
		empty_with(c, "TimeCreated", a, i, t, o, 1);
	}
	simple(c, "EventRecordID", 10, T_UINT64);
	{
		const char *a[] = { "ActivityID" };
		unsigned i[] = { 11 }, t[] = { T_GUID };
		bool o[] = { true };
		empty_with(c, "Correlation", a, i, t, o, 1);
	}
	{
		const char *a[] = { "ProcessID", "ThreadID" };
		unsigned i[] = { 12, 13 }, t[] = { T_UINT32, T_UINT32 };
		bool o[] = { false, false };
		empty_with(c, "Execution", a, i, t, o, 2);
	}
	simple(c, "Channel", 14, T_STRING);
	simple(c, "Computer", 15, T_STRING);
	{
		const char *a[] = { "UserID" };
		unsigned i[] = { 16 }, t[] = { T_SID };
		bool o[] = { true };
		empty_with(c, "Security", a, i, t, o, 1);
	}
	put8(c, 0x04);
	elem_end(c, sys);
	subst(c, 17, T_BINXML, true);
	put8(c, 0x04);
	elem_end(c, ev);
}

/* EventData with one Data element per insert. */
static void data_template(struct chunk *c, const struct td_ew_event *e)
{
	size_t ed = elem_open(c, "EventData", false);
	put8(c, 0x02);
	for (size_t i = 0; i < e->ndata; i++) {
		size_t at;
		if (e->data_name[i]) {
			at = elem_open(c, "Data", true);
			size_t la = c->pos;
			put_le(c, 0, 4);
			attr_literal(c, "Name", e->data_name[i], false);
			if (!c->overflow)
				set_le(c->b + la, c->pos - la - 4, 4);
		} else {
			at = elem_open(c, "Data", false);
		}
		put8(c, 0x02);
		subst(c, (unsigned)i, T_STRING, true);
		put8(c, 0x04);
		elem_end(c, at);
	}
	put8(c, 0x04);
	elem_end(c, ed);
}

/* Template instance: inline definition at first use of key in the chunk. */
static void instance(struct chunk *c, uint32_t key, const struct td_ew_event *e, bool system)
{
	put8(c, 0x0c);
	put8(c, 0x01);
	put_le(c, key, 4);
	for (size_t i = 0; i < c->ntmpl; i++)
		if (c->tmpl_key[i] == key) {
			put_le(c, c->tmpl_off[i], 4);
			return;
		}
	uint32_t off = (uint32_t)c->pos + 4;
	put_le(c, off, 4);
	uint8_t *bucket = c->b + 384 + 4 * (key % 32);
	uint32_t head = (uint32_t)bucket[0] | (uint32_t)bucket[1] << 8 |
			(uint32_t)bucket[2] << 16 | (uint32_t)bucket[3] << 24;
	put_le(c, head, 4);
	put_le(c, key, 4); /* GUID: its first 32 bits are the template id */
	put_le(c, 0x5444u, 2);
	put_le(c, 0x4577u, 2);
	put_le(c, 0x0123456789abcdefull, 8);
	size_t size_at = c->pos;
	put_le(c, 0, 4);
	put_le(c, 0x0001010f, 4); /* fragment header */
	if (system)
		system_template(c);
	else
		data_template(c, e);
	put8(c, 0x00); /* end of stream */
	if (c->overflow)
		return;
	set_le(c->b + size_at, c->pos - size_at - 4, 4);
	set_le(bucket, off, 4);
	if (c->ntmpl < MAX_TEMPLATES) {
		c->tmpl_key[c->ntmpl] = key;
		c->tmpl_off[c->ntmpl++] = off;
	}
}

/* --- values ------------------------------------------------------------------ */

struct value {
	uint8_t type;
	uint8_t bytes[1024];
	size_t len;
};

static void v_le(struct value *v, uint8_t type, uint64_t x, int n)
{
	v->type = type;
	v->len = (size_t)n;
	set_le(v->bytes, x, n);
}

static void v_string(struct value *v, const char *s)
{
	uint16_t u[500];
	size_t n = utf16(s ? s : "", u, 500);
	v->type = T_STRING;
	v->len = n * 2;
	for (size_t i = 0; i < n; i++)
		set_le(v->bytes + 2 * i, u[i], 2);
}

static void v_guid(struct value *v, const char *g)
{
	unsigned a, b, c, d[8];
	v->type = T_GUID;
	v->len = 16;
	if (sscanf(g, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &a, &b, &c, &d[0], &d[1], &d[2],
		   &d[3], &d[4], &d[5], &d[6], &d[7]) != 11) {
		memset(v->bytes, 0, 16);
		return;
	}
	set_le(v->bytes, a, 4);
	set_le(v->bytes + 4, b, 2);
	set_le(v->bytes + 6, c, 2);
	for (int i = 0; i < 8; i++)
		v->bytes[8 + i] = (uint8_t)d[i];
}

static void v_sid(struct value *v, const char *sid)
{
	unsigned long long auth = 0;
	unsigned sub[15];
	int n = 0, pos = 0;
	v->type = T_SID;
	if (sscanf(sid, "S-1-%llu%n", &auth, &pos) != 1) {
		v->len = 0;
		return;
	}
	const char *p = sid + pos;
	while (*p == '-' && n < 15) {
		char *end;
		sub[n++] = (unsigned)strtoul(p + 1, &end, 10);
		p = end;
	}
	v->bytes[0] = 1;
	v->bytes[1] = (uint8_t)n;
	for (int i = 0; i < 6; i++)
		v->bytes[2 + i] = (uint8_t)(auth >> (8 * (5 - i)));
	for (int i = 0; i < n; i++)
		set_le(v->bytes + 8 + 4 * i, sub[i], 4);
	v->len = 8 + 4 * (size_t)n;
}

static void put_values(struct chunk *c, const struct value *v, size_t n)
{
	put_le(c, n, 4);
	for (size_t i = 0; i < n; i++) {
		put_le(c, v[i].len, 2);
		put8(c, v[i].type);
		put8(c, 0);
	}
	for (size_t i = 0; i < n; i++)
		put(c, v[i].bytes, v[i].len);
}

static uint32_t data_key(const struct td_ew_event *e)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < e->ndata; i++) {
		const char *s = e->data_name[i] ? e->data_name[i] : "\x01";
		for (; *s; s++)
			h = (h ^ (uint8_t)*s) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	return h | 1; /* never the System template's key */
}

#define SYSTEM_KEY 0x5e5e0000u

/* Writes one record at c->pos; false when it does not fit. */
static bool record(struct chunk *c, const struct td_ew_event *e, uint64_t id)
{
	size_t start = c->pos;
	put_le(c, 0x00002a2a, 4);
	put_le(c, 0, 4);
	put_le(c, id, 8);
	put_le(c, e->filetime, 8);
	put_le(c, 0x0001010f, 4);
	instance(c, SYSTEM_KEY, e, true);

	struct value v[18];
	memset(v, 0, sizeof(v));
	v_string(&v[0], e->provider ? e->provider : "Schannel");
	v_guid(&v[1], e->provider_guid ? e->provider_guid : schannel_guid);
	v_le(&v[2], T_UINT16, e->event_id, 2);
	/* Qualifiers and ActivityID are null values of their usual size, as
	 * Windows writes them: their optional substitutions leave the
	 * attribute out. */
	v[3].len = 2;
	v[11].len = 16;
	v_le(&v[4], T_UINT8, 0, 1);
	v_le(&v[5], T_UINT8, e->level, 1);
	v_le(&v[6], T_UINT16, 0, 2);
	v_le(&v[7], T_UINT8, 0, 1);
	v_le(&v[8], T_HEX64, 0x8000000000000000ull, 8);
	v_le(&v[9], T_FILETIME, e->filetime, 8);
	v_le(&v[10], T_UINT64, id, 8);
	v_le(&v[12], T_UINT32, e->pid ? e->pid : 708, 4);
	v_le(&v[13], T_UINT32, e->tid ? e->tid : 1204, 4);
	v_string(&v[14], e->channel ? e->channel : "System");
	v_string(&v[15], e->computer ? e->computer : "HOST");
	if (e->user_sid)
		v_sid(&v[16], e->user_sid);

	/* The EventData value: a nested template instance, written in place
	 * (its offsets are chunk offsets), then moved behind the others. */
	size_t values_at = c->pos;
	size_t nested_len = 0;
	{
		/* Compute where the nested BinXML will lie: after the count,
		 * the 18 descriptors and the first 17 values. */
		size_t before = 4 + 18 * 4;
		for (int i = 0; i < 17; i++)
			before += v[i].len;
		struct chunk *tmp = c;
		size_t save = tmp->pos;
		tmp->pos = values_at + before;
		instance(tmp, data_key(e), e, false);
		struct value dv[TD_EW_MAX_DATA];
		for (size_t i = 0; i < e->ndata; i++)
			v_string(&dv[i], e->data_value[i]);
		put_values(tmp, dv, e->ndata);
		nested_len = tmp->pos - (values_at + before);
		tmp->pos = save;
		if (tmp->overflow || nested_len > sizeof(v[17].bytes))
			return false;
		memcpy(v[17].bytes, c->b + values_at + before, nested_len);
		v[17].type = T_BINXML;
		v[17].len = nested_len;
	}
	put_values(c, v, 18);
	/* put_values rewrote the nested bytes at the same place. */
	put8(c, 0x00); /* end of stream */
	put_le(c, 0, 4); /* size copy, patched below */
	if (c->overflow)
		return false;
	size_t size = c->pos - start;
	set_le(c->b + start + 4, size, 4);
	set_le(c->b + c->pos - 4, size, 4);
	return true;
}

static void chunk_reset(struct chunk *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->b, "ElfChnk", 8);
	c->pos = 512;
}

static void chunk_finish(struct chunk *c, uint64_t first, uint64_t last, size_t last_off)
{
	set_le(c->b + 8, first, 8);
	set_le(c->b + 16, last, 8);
	set_le(c->b + 24, first, 8);
	set_le(c->b + 32, last, 8);
	set_le(c->b + 40, 128, 4);
	set_le(c->b + 44, last_off, 4);
	set_le(c->b + 48, c->pos, 4);
	set_le(c->b + 52, crc32(0, c->b + 512, (uInt)(c->pos - 512)), 4);
	set_le(c->b + 120, 1, 4);
	uLong h = crc32(0, c->b, 120);
	h = crc32(h, c->b + 128, 512 - 128);
	set_le(c->b + 124, h, 4);
}

unsigned char *td_ew_build(const struct td_ew_event *ev, size_t n,
			   const struct td_ew_options *opt, size_t *len)
{
	size_t cap = HEADER + CHUNK * (n + 1);
	unsigned char *out = calloc(1, cap);
	struct chunk *c = malloc(sizeof(*c));
	if (!out || !c) {
		free(out);
		free(c);
		return NULL;
	}
	size_t chunks = 0, in_chunk = 0, last_off = 0;
	uint64_t first_id = 0, id = 0;
	chunk_reset(c);
	for (size_t i = 0; i <= n; i++) {
		bool flush = i == n ? in_chunk > 0
				    : (opt && opt->records_per_chunk &&
				       in_chunk == opt->records_per_chunk);
		if (!flush && i < n) {
			uint64_t rid = ev[i].record_id ? ev[i].record_id : id + 1;
			size_t save = c->pos;
			struct chunk backup;
			memcpy(&backup, c, sizeof(backup));
			if (record(c, &ev[i], rid)) {
				if (!in_chunk++)
					first_id = rid;
				last_off = save;
				id = rid;
				continue;
			}
			memcpy(c, &backup, sizeof(backup));
			if (!in_chunk) {
				free(out);
				free(c);
				return NULL; /* a single record larger than a chunk */
			}
			flush = true;
		}
		if (flush) {
			chunk_finish(c, first_id, id, last_off);
			memcpy(out + HEADER + CHUNK * chunks++, c->b, CHUNK);
			chunk_reset(c);
			in_chunk = 0;
			if (i < n)
				i--; /* write this event again in the new chunk */
		}
	}
	free(c);
	memcpy(out, "ElfFile", 8);
	set_le(out + 8, 0, 8);
	set_le(out + 16, chunks ? chunks - 1 : 0, 8);
	set_le(out + 24, id + 1, 8);
	set_le(out + 32, 128, 4);
	set_le(out + 36, 1, 2);
	set_le(out + 38, 3, 2);
	set_le(out + 40, HEADER, 2);
	bool dirty = opt && opt->dirty && chunks > 1;
	set_le(out + 42, dirty ? chunks - 1 : chunks, 2);
	set_le(out + 120, dirty ? 1 : 0, 4);
	set_le(out + 124, crc32(0, out, 120), 4);
	*len = HEADER + CHUNK * chunks;
	return out;
}

uint64_t td_ew_filetime(const char *iso)
{
	int y, mo, d, h, mi, s, nfrac = 0;
	char frac[16] = "";
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d.%15[0-9]%n", &y, &mo, &d, &h, &mi, &s, frac,
		   &nfrac) < 6)
		return 0;
	/* days since 1601-01-01 (proleptic Gregorian) */
	int64_t yy = y - (mo <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days1970 = era * 146097 + doe - 719468;
	int64_t days = days1970 + 134774;
	uint64_t ticks = (uint64_t)days * 864000000000ull +
			 ((uint64_t)h * 3600 + (uint64_t)mi * 60 + (uint64_t)s) * 10000000ull;
	uint64_t f = 0;
	for (int i = 0; i < 7; i++)
		f = f * 10 + (frac[0] && i < (int)strlen(frac) ? (uint64_t)(frac[i] - '0') : 0);
	return ticks + f;
}
