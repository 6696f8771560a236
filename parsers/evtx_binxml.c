/* EVTX Binary XML: tokens, names, templates and substitution values into a
 * record tree (kb/EVTX_FORMAT.md sections 4 and 5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "evtx_internal.h"

enum {
	TOK_EOF = 0x00,
	TOK_OPEN = 0x01,
	TOK_CLOSE_START = 0x02,
	TOK_CLOSE_EMPTY = 0x03,
	TOK_END = 0x04,
	TOK_VALUE = 0x05,
	TOK_ATTR = 0x06,
	TOK_CDATA = 0x07,
	TOK_CHARREF = 0x08,
	TOK_ENTREF = 0x09,
	TOK_PI_TARGET = 0x0a,
	TOK_PI_DATA = 0x0b,
	TOK_TEMPLATE = 0x0c,
	TOK_SUBST = 0x0d,
	TOK_OPT_SUBST = 0x0e,
	TOK_FRAGMENT = 0x0f,
	TOK_MORE = 0x40,
};

enum {
	VT_NULL = 0x00,
	VT_STRING = 0x01,
	VT_ANSI = 0x02,
	VT_INT8 = 0x03,
	VT_UINT8,
	VT_INT16,
	VT_UINT16,
	VT_INT32,
	VT_UINT32,
	VT_INT64,
	VT_UINT64,
	VT_REAL32,
	VT_REAL64,
	VT_BOOL,
	VT_BINARY,
	VT_GUID,
	VT_SIZET,
	VT_FILETIME,
	VT_SYSTEMTIME,
	VT_SID,
	VT_HEX32,
	VT_HEX64,
	VT_BINXML = 0x21,
	VT_ARRAY = 0x80,
};

void td_evtx_chunk_init(struct td_evtx_chunk *c)
{
	memset(c, 0, sizeof(*c));
	td_arena_init(&c->names_arena, TD_EVTX_NAMES_ARENA);
	td_arena_init(&c->plan_arena, TD_EVTX_PLAN_ARENA);
	td_arena_init(&c->arena, (size_t)64 << 20);
	c->alloc = &c->arena;
}

void td_evtx_chunk_reset(struct td_evtx_chunk *c, struct td_bytes chunk, uint64_t file_offset)
{
	c->chunk = chunk;
	c->file_offset = file_offset;
	memset(c->name_off, 0, sizeof(c->name_off));
	memset(c->skel_hash, 0, sizeof(c->skel_hash));
	c->nskel = 0;
	c->skeleton = false;
	c->alloc = &c->arena;
	td_arena_reset(&c->names_arena);
	td_arena_reset(&c->plan_arena);
	td_arena_reset(&c->arena);
}

void td_evtx_chunk_release(struct td_evtx_chunk *c)
{
	td_arena_release(&c->names_arena);
	td_arena_release(&c->plan_arena);
	td_arena_release(&c->arena);
}

static void fail(struct td_evtx_chunk *c, struct td_bytes at, const char *why)
{
	if (!c->error) {
		c->error = why;
		c->error_off = at.p >= c->chunk.p ? (size_t)(at.p - c->chunk.p) : 0;
	}
}

static bool spend(struct td_evtx_chunk *c, struct td_bytes at)
{
	if (++c->work > TD_EVTX_MAX_WORK) {
		fail(c, at, "record needs more work than the limit allows");
		return false;
	}
	return !c->error;
}

/* Chunk-relative position of the view's first byte. */
static size_t rel(const struct td_evtx_chunk *c, struct td_bytes b)
{
	return (size_t)(b.p - c->chunk.p);
}

/* UTF-16LE code units to UTF-8 in the arena, stopping at a NUL unit. */
static struct td_str utf16(struct td_arena *a, struct td_bytes b)
{
	size_t units = b.len / 2;
	char *out = td_arena_alloc(a, units * 3 + 8);
	if (!out)
		return td_str_make(NULL, 0);
	/* Most strings are ASCII: copy those units directly, hand the rest
	 * (from the first other unit on) to the decoder. */
	size_t i = 0;
	for (; i < units; i++) {
		uint8_t lo = b.p[2 * i], hi = b.p[2 * i + 1];
		if (hi || lo >= 0x80 || !lo)
			break;
		out[i] = (char)lo;
	}
	if (i == units || (!b.p[2 * i] && !b.p[2 * i + 1]))
		return td_str_make(out, i);
	size_t end = i;
	while (end < units && (b.p[2 * end] || b.p[2 * end + 1]))
		end++;
	size_t iu, ou;
	td_decode(TD_ENC_UTF16LE, td_bytes_make(b.p + 2 * i, (end - i) * 2), true, out + i,
		  (units - i) * 3 + 8, &iu, &ou);
	return td_str_make(out, i + ou);
}

/* Reads a name whose offset was just taken from *in: stored inline (skip
 * it) when the offset is the current position, else referenced. */
static bool read_name(struct td_evtx_chunk *c, struct td_bytes *in, uint32_t off, struct td_str *out)
{
	bool inline_def = off == rel(c, *in);
	size_t slot = (off * 2654435761u) % TD_EVTX_NAME_SLOTS;
	for (size_t probe = 0; probe < 8 && !inline_def; probe++) {
		size_t s = (slot + probe) % TD_EVTX_NAME_SLOTS;
		if (c->name_off[s] == off + 1) {
			*out = c->name_val[s];
			return true;
		}
		if (!c->name_off[s])
			break;
	}
	struct td_bytes hdr;
	if (!td_bytes_at(c->chunk, off, 8, &hdr)) {
		fail(c, *in, "name offset outside the chunk");
		return false;
	}
	uint32_t next;
	uint16_t hash, nchars;
	td_bytes_u32le(&hdr, &next);
	td_bytes_u16le(&hdr, &hash);
	td_bytes_u16le(&hdr, &nchars);
	struct td_bytes chars;
	if (!td_bytes_at(c->chunk, (size_t)off + 8, (size_t)nchars * 2, &chars)) {
		fail(c, *in, "name runs past the chunk");
		return false;
	}
	*out = utf16(&c->names_arena, chars);
	if (inline_def && !td_bytes_skip(in, 8 + (size_t)nchars * 2 + 2)) {
		fail(c, *in, "inline name runs past the record");
		return false;
	}
	for (size_t probe = 0; probe < 8; probe++) {
		size_t s = (slot + probe) % TD_EVTX_NAME_SLOTS;
		if (!c->name_off[s] || c->name_off[s] == off + 1) {
			c->name_off[s] = off + 1;
			c->name_val[s] = *out;
			break;
		}
	}
	return true;
}

static struct td_xnode *new_node(struct td_evtx_chunk *c, enum td_xkind kind, struct td_xnode *parent)
{
	struct td_xnode *n = td_x_new(c->alloc, kind, parent);
	if (!n)
		fail(c, c->chunk, "out of memory for the record");
	return n;
}

static void add_text(struct td_evtx_chunk *c, struct td_xnode *parent, struct td_str s)
{
	if (td_x_add_text(c->alloc, parent, s))
		fail(c, c->chunk, "out of memory for the record");
}

static struct td_str concat(struct td_evtx_chunk *c, struct td_str a, struct td_str b)
{
	if (!a.len)
		return b;
	if (!b.len)
		return a;
	char *m = td_arena_alloc(&c->arena, a.len + b.len + 1);
	if (!m)
		return a;
	memcpy(m, a.p, a.len);
	memcpy(m + a.len, b.p, b.len);
	return td_str_make(m, a.len + b.len);
}

/* --- values ------------------------------------------------------------ */

static size_t fixed_size(uint8_t type)
{
	switch (type) {
	case VT_INT8: case VT_UINT8: return 1;
	case VT_INT16: case VT_UINT16: return 2;
	case VT_INT32: case VT_UINT32: case VT_REAL32: case VT_BOOL: case VT_HEX32: return 4;
	case VT_INT64: case VT_UINT64: case VT_REAL64: case VT_FILETIME: case VT_HEX64: return 8;
	case VT_GUID: case VT_SYSTEMTIME: return 16;
	}
	return 0;
}

static uint64_t le(const uint8_t *p, size_t n)
{
	/* The usual sizes spelled out: the compiler makes each one load. */
	switch (n) {
	case 2:
		return (uint64_t)p[0] | (uint64_t)p[1] << 8;
	case 4:
		return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		       (uint64_t)p[3] << 24;
	case 8:
		return le(p, 4) | le(p + 4, 4) << 32;
	}
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static struct td_str printed(struct td_evtx_chunk *c, const char *tmp, int n)
{
	if (n < 0)
		return td_str_make(NULL, 0);
	struct td_str s = td_str_make(tmp, (size_t)n);
	return td_arena_strdup(&c->arena, s);
}

static const char hexdigits[] = "0123456789ABCDEF";

static struct td_str hex_bytes(struct td_evtx_chunk *c, struct td_bytes b)
{
	const char *digits = hexdigits;
	char *out = td_arena_alloc(&c->arena, b.len * 2 + 1);
	if (!out)
		return td_str_make(NULL, 0);
	for (size_t i = 0; i < b.len; i++) {
		out[2 * i] = digits[b.p[i] >> 4];
		out[2 * i + 1] = digits[b.p[i] & 15];
	}
	return td_str_make(out, b.len * 2);
}

static struct td_str sid_text(struct td_evtx_chunk *c, struct td_bytes b)
{
	if (b.len < 8)
		return hex_bytes(c, b);
	uint8_t revision = b.p[0], count = b.p[1];
	uint64_t authority = 0;
	for (int i = 2; i < 8; i++)
		authority = authority << 8 | b.p[i];
	if (b.len < 8 + (size_t)count * 4)
		return hex_bytes(c, b);
	/* "S-1-5-21-..." by hand: a SID is in nearly every record. */
	char tmp[24 + 256 * 11];
	size_t n = 0;
	tmp[n++] = 'S';
	uint64_t parts[257];
	size_t np = 0;
	parts[np++] = revision;
	parts[np++] = authority;
	for (unsigned i = 0; i < count; i++)
		parts[np++] = le(b.p + 8 + 4 * i, 4);
	for (size_t k = 0; k < np; k++) {
		char d[24];
		size_t nd = 0;
		uint64_t v = parts[k];
		do {
			d[nd++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		tmp[n++] = '-';
		while (nd)
			tmp[n++] = d[--nd];
	}
	return td_arena_strdup(&c->arena, td_str_make(tmp, n));
}

/* "0x" and lower-case hex digits without leading zeros, as Windows prints
 * (Keywords in every record): written backwards straight into the arena,
 * the text ends where the allocation does. */
static struct td_str hex_number(struct td_evtx_chunk *c, uint64_t v)
{
	static const char lower[] = "0123456789abcdef";
	char *out = td_arena_alloc(&c->arena, 24);
	if (!out)
		return td_str_make(NULL, 0);
	char *end = out + 23, *p = end;
	*p = '\0';
	do {
		*--p = lower[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	return td_str_make(p, (size_t)(end - p));
}

/* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}: the first three groups little-endian. */
static struct td_str guid_text(struct td_evtx_chunk *c, const uint8_t *p)
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	char *out = td_arena_alloc(&c->arena, 40);
	if (!out)
		return td_str_make(NULL, 0);
	size_t n = 0;
	out[n++] = '{';
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[n++] = '-';
		out[n++] = hexdigits[p[order[i]] >> 4];
		out[n++] = hexdigits[p[order[i]] & 15];
	}
	out[n++] = '}';
	out[n] = '\0';
	return td_str_make(out, n);
}

/* Integers in decimal without printf (they are most of the values),
 * written backwards straight into the arena as hex_number() does (20
 * digits and a sign at most). */
static struct td_str udigits(struct td_evtx_chunk *c, uint64_t v, bool neg)
{
	char *out = td_arena_alloc(&c->arena, 24);
	if (!out)
		return td_str_make(NULL, 0);
	char *end = out + 23, *p = end;
	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	return td_str_make(p, (size_t)(end - p));
}

static struct td_str udecimal(struct td_evtx_chunk *c, uint64_t v)
{
	return udigits(c, v, false);
}

static struct td_str decimal(struct td_evtx_chunk *c, int64_t v)
{
	return v < 0 ? udigits(c, 0 - (uint64_t)v, true) : udigits(c, (uint64_t)v, false);
}

/* The shortest decimal that reads back as the same float or double. */
static int shortest(char *out, size_t cap, double v, bool single)
{
	int n = 0;
	for (int prec = 1; prec <= 17; prec++) {
		n = snprintf(out, cap, "%.*g", prec, v);
		double back = strtod(out, NULL);
		if (single ? (float)back == (float)v : back == v)
			break;
	}
	return n;
}

/* One item of a (non-array) type. */
static struct td_str item_text(struct td_evtx_chunk *c, uint8_t type, struct td_bytes b,
			       int64_t *ticks, bool *has_ticks)
{
	char tmp[96];
	size_t need = fixed_size(type);
	if (need && b.len < need)
		return hex_bytes(c, b);
	const uint8_t *p = b.p;
	switch (type) {
	case VT_NULL: return td_str_make("", 0);
	case VT_STRING: return utf16(&c->arena, b);
	case VT_ANSI: {
		size_t n = 0;
		while (n < b.len && p[n])
			n++;
		char *out = td_arena_alloc(&c->arena, n * 3 + 8);
		if (!out)
			return td_str_make(NULL, 0);
		size_t iu, ou;
		td_decode(TD_ENC_CP1252, td_bytes_make(p, n), true, out, n * 3 + 8, &iu, &ou);
		return td_str_make(out, ou);
	}
	case VT_INT8: return decimal(c, (int8_t)p[0]);
	case VT_UINT8: return udecimal(c, p[0]);
	case VT_INT16: return decimal(c, (int16_t)le(p, 2));
	case VT_UINT16: return udecimal(c, le(p, 2));
	case VT_INT32: return decimal(c, (int32_t)le(p, 4));
	case VT_UINT32: return udecimal(c, le(p, 4));
	case VT_INT64: return decimal(c, (int64_t)le(p, 8));
	case VT_UINT64: return udecimal(c, le(p, 8));
	case VT_REAL32: {
		uint32_t u = (uint32_t)le(p, 4);
		float f;
		memcpy(&f, &u, 4);
		return printed(c, tmp, shortest(tmp, sizeof(tmp), (double)f, true));
	}
	case VT_REAL64: {
		uint64_t u = le(p, 8);
		double d;
		memcpy(&d, &u, 8);
		return printed(c, tmp, shortest(tmp, sizeof(tmp), d, false));
	}
	case VT_BOOL: return td_str_cstr(le(p, 4) ? "true" : "false");
	case VT_BINARY: return hex_bytes(c, b);
	case VT_GUID: return guid_text(c, p);
	case VT_SIZET:
	case VT_HEX32:
	case VT_HEX64: {
		size_t n = type == VT_SIZET ? (b.len >= 8 ? 8 : b.len >= 4 ? 4 : 0) : need;
		if (!n)
			return hex_bytes(c, b);
		return hex_number(c, le(p, n));
	}
	case VT_FILETIME: {
		uint64_t ft = le(p, 8);
		int64_t t = td_time_from_filetime(ft);
		*ticks = t;
		*has_ticks = true;
		char *iso = td_arena_alloc(&c->arena, 48);
		if (!iso)
			return td_str_make(NULL, 0);
		size_t n = td_time_format(iso, 44, t, 7, TD_ZONE_NONE);
		/* Windows prints nanoseconds: seven digits and "00". */
		memcpy(iso + n, "00Z", 4);
		return td_str_make(iso, n + 3);
	}
	case VT_SYSTEMTIME: {
		int f[8];
		for (int i = 0; i < 8; i++)
			f[i] = (int)le(p + 2 * i, 2);
		int64_t t;
		if (td_time_from_civil(f[0], f[1], f[3], f[4], f[5], f[6], (int64_t)f[7] * 10000, &t)) {
			*ticks = t;
			*has_ticks = true;
		}
		return printed(c, tmp,
			       snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", f[0],
					f[1], f[3], f[4], f[5], f[6], f[7]));
	}
	case VT_SID: return sid_text(c, b);
	}
	return hex_bytes(c, b);
}

/* Splits an array value into items; returns how many (at most max). */
static size_t array_items(const struct td_xvalue *v, struct td_xvalue *items, size_t max)
{
	uint8_t base = v->type & (uint8_t)~VT_ARRAY;
	size_t n = 0;
	struct td_bytes b = v->data;
	if (base == VT_STRING || base == VT_ANSI) {
		size_t unit = base == VT_STRING ? 2 : 1;
		size_t start = 0;
		for (size_t i = 0; i + unit <= b.len && n < max; i += unit) {
			bool nul = unit == 2 ? (b.p[i] == 0 && b.p[i + 1] == 0) : b.p[i] == 0;
			if (nul) {
				items[n++] = (struct td_xvalue){ base, td_bytes_make(b.p + start, i - start) };
				start = i + unit;
			}
		}
		if (start < b.len && n < max)
			items[n++] = (struct td_xvalue){ base, td_bytes_make(b.p + start, b.len - start) };
		return n;
	}
	if (base == VT_SID) {
		size_t off = 0;
		while (off + 8 <= b.len && n < max) {
			size_t len = 8 + (size_t)b.p[off + 1] * 4;
			if (len > b.len - off)
				break;
			items[n++] = (struct td_xvalue){ base, td_bytes_make(b.p + off, len) };
			off += len;
		}
		return n;
	}
	size_t size = base == VT_SIZET ? 8 : fixed_size(base);
	if (!size)
		return 0;
	for (size_t off = 0; off + size <= b.len && n < max; off += size)
		items[n++] = (struct td_xvalue){ base, td_bytes_make(b.p + off, size) };
	return n;
}

#define MAX_ITEMS 256

struct td_str td_evtx_value_text(struct td_evtx_chunk *c, const struct td_xvalue *v,
				 int64_t *ticks, bool *has_ticks)
{
	if (!(v->type & VT_ARRAY))
		return item_text(c, v->type, v->data, ticks, has_ticks);
	struct td_xvalue items[MAX_ITEMS];
	size_t n = array_items(v, items, MAX_ITEMS);
	struct td_str out = td_str_make("", 0);
	for (size_t i = 0; i < n; i++) {
		struct td_str t = item_text(c, items[i].type, items[i].data, ticks, has_ticks);
		out = concat(c, out, i ? concat(c, td_str_make(", ", 2), t) : t);
	}
	return out;
}

/* --- tokens ---------------------------------------------------------------- */

struct subst {
	const struct td_xvalue *vals;
	size_t n;
};

static bool parse_fragment(struct td_evtx_chunk *c, struct td_bytes in, struct td_xnode *parent,
			   bool in_template, const struct subst *s);

static bool is_value_token(uint8_t t)
{
	switch (t) {
	case TOK_VALUE: case TOK_VALUE | TOK_MORE:
	case TOK_SUBST: case TOK_OPT_SUBST:
	case TOK_CHARREF: case TOK_CHARREF | TOK_MORE:
	case TOK_ENTREF: case TOK_ENTREF | TOK_MORE:
	case TOK_CDATA: case TOK_CDATA | TOK_MORE:
		return true;
	}
	return false;
}

static struct td_str entity(struct td_str name)
{
	if (td_str_eq_cstr(name, "lt"))
		return TD_STR_LIT("<");
	if (td_str_eq_cstr(name, "gt"))
		return TD_STR_LIT(">");
	if (td_str_eq_cstr(name, "amp"))
		return TD_STR_LIT("&");
	if (td_str_eq_cstr(name, "quot"))
		return TD_STR_LIT("\"");
	if (td_str_eq_cstr(name, "apos"))
		return TD_STR_LIT("'");
	return td_str_make(NULL, 0);
}

/* What a value token produced. */
struct piece {
	struct td_str text;
	bool null_optional;          /* an optional substitution with a null value */
	const struct td_xvalue *binxml; /* a BinXML value to splice in */
	const struct td_xvalue *array;  /* an array value (element repeats) */
	int64_t ticks;
	bool has_ticks;
	uint16_t placeholder; /* skeletons: substitution index + 1 */
	bool optional;
};

/* A character count and that many UTF-16 units (value text, CDATA, PI
 * data), as UTF-8 in the node arena; why is the failure to report. */
static bool read_chars(struct td_evtx_chunk *c, struct td_bytes *in, const char *why,
		       struct td_str *out)
{
	uint16_t nchars;
	struct td_bytes chars;
	if (!td_bytes_u16le(in, &nchars) || !td_bytes_sub(in, &chars, (size_t)nchars * 2)) {
		fail(c, *in, why);
		return false;
	}
	*out = utf16(c->alloc, chars);
	return true;
}

/* The piece a substitution value makes (optional: the token was 0x0e). */
static void subst_piece(struct td_evtx_chunk *c, const struct td_xvalue *v, bool optional,
			struct piece *pc)
{
	if (v->type == VT_NULL || (optional && v->data.len == 0)) {
		pc->null_optional = optional;
		return;
	}
	if (v->type == VT_BINXML) {
		pc->binxml = v;
		return;
	}
	if (v->type & VT_ARRAY) {
		pc->array = v;
		pc->text = td_evtx_value_text(c, v, &pc->ticks, &pc->has_ticks);
		return;
	}
	pc->text = item_text(c, v->type, v->data, &pc->ticks, &pc->has_ticks);
}

/* Reads one value-like token from *in into *pc. */
static bool read_value(struct td_evtx_chunk *c, struct td_bytes *in, const struct subst *s,
		       struct piece *pc)
{
	memset(pc, 0, sizeof(*pc));
	uint8_t t;
	if (!spend(c, *in) || !td_bytes_u8(in, &t))
		return false;
	switch (t & ~TOK_MORE) {
	case TOK_VALUE: {
		uint8_t vt;
		if (!td_bytes_u8(in, &vt)) {
			fail(c, *in, "value token runs past the record");
			return false;
		}
		return read_chars(c, in, "value token runs past the record", &pc->text);
	}
	case TOK_CDATA:
		return read_chars(c, in, "CDATA runs past the record", &pc->text);
	case TOK_CHARREF: {
		uint16_t cp;
		if (!td_bytes_u16le(in, &cp)) {
			fail(c, *in, "character reference runs past the record");
			return false;
		}
		char *out = td_arena_alloc(c->alloc, 4);
		if (out)
			pc->text = td_str_make(out, td_utf8_put(out, cp));
		return true;
	}
	case TOK_ENTREF: {
		uint32_t off;
		struct td_str name;
		if (!td_bytes_u32le(in, &off) || !read_name(c, in, off, &name))
			return false;
		pc->text = entity(name);
		if (!pc->text.p) {
			char tmp[300];
			int n = snprintf(tmp, sizeof(tmp), "&%.*s;", td_str_pfmt(td_str_slice(name, 0, 256)));
			pc->text = n > 0 ? td_arena_strdup(c->alloc, td_str_make(tmp, (size_t)n))
				   : td_str_make(NULL, 0);
		}
		return true;
	}
	case TOK_SUBST:
	case TOK_OPT_SUBST: {
		uint16_t index;
		uint8_t expected;
		if (!td_bytes_u16le(in, &index) || !td_bytes_u8(in, &expected)) {
			fail(c, *in, "substitution runs past the record");
			return false;
		}
		if (c->skeleton) {
			pc->placeholder = (uint16_t)(index + 1);
			pc->optional = t == TOK_OPT_SUBST;
			return index < UINT16_MAX;
		}
		if (!s || index >= s->n) {
			fail(c, *in, "substitution index out of range");
			return false;
		}
		subst_piece(c, &s->vals[index], t == TOK_OPT_SUBST, pc);
		return true;
	}
	}
	fail(c, *in, "unexpected token where a value was expected");
	return false;
}

static bool parse_attribute(struct td_evtx_chunk *c, struct td_bytes *in, struct td_xnode *el,
			    const struct subst *s)
{
	uint8_t t;
	uint32_t off;
	struct td_str name;
	if (!td_bytes_u8(in, &t) || !td_bytes_u32le(in, &off) || !read_name(c, in, off, &name))
		return false;
	struct td_str value = td_str_make("", 0);
	bool only_null = true, first = true, more = true;
	/* A value token flagged 0x40 says another one follows (text and
	 * entity references alternate in values such as "&quot;x&quot;"). */
	while (more && in->len && is_value_token(in->p[0])) {
		more = (in->p[0] & TOK_MORE) != 0;
		struct piece pc;
		if (!read_value(c, in, s, &pc))
			return false;
		if (pc.placeholder) {
			/* Skeletons keep a value that is one substitution; anything
			 * mixed is parsed per record instead. */
			if (!first || more) {
				fail(c, *in, "attribute mixes text and substitutions");
				return false;
			}
			if (td_x_add_attr(c->alloc, el, name, td_str_make(NULL, 0))) {
				fail(c, *in, "out of memory for the record");
				return false;
			}
			el->attrs_tail->subst = pc.placeholder;
			el->attrs_tail->optional = pc.optional;
			return true;
		}
		first = false;
		if (pc.binxml) {
			/* Nested XML inside an attribute: keep its bytes as hex. */
			pc.text = hex_bytes(c, pc.binxml->data);
		}
		if (!pc.null_optional)
			only_null = false;
		value = concat(c, value, pc.text);
		if (pc.has_ticks && !el->has_attr_ticks) {
			el->attr_ticks = pc.ticks;
			el->has_attr_ticks = true;
		}
	}
	if (first) {
		fail(c, *in, "attribute without a value");
		return false;
	}
	if (only_null && value.len == 0)
		return true; /* optional substitution with no value: no attribute */
	if (td_x_add_attr(c->alloc, el, name, value)) {
		fail(c, *in, "out of memory for the record");
		return false;
	}
	return true;
}

static bool parse_element(struct td_evtx_chunk *c, struct td_bytes *in, struct td_xnode *parent,
			  bool in_template, const struct subst *s);

/* Removes el from its parent (its last child). */
static void unlink_last(struct td_xnode *parent, struct td_xnode *el)
{
	struct td_xnode *prev = NULL;
	for (struct td_xnode *k = parent->children; k && k != el; k = k->next)
		prev = k;
	if (prev)
		prev->next = NULL;
	else
		parent->children = NULL;
	parent->children_tail = prev;
}

/* The element repeats once per array item (kb 5.4 "Arrays"). */
static void expand_array(struct td_evtx_chunk *c, struct td_xnode *parent, struct td_xnode *el,
			 const struct td_xvalue *v)
{
	struct td_xvalue items[MAX_ITEMS];
	size_t n = array_items(v, items, MAX_ITEMS);
	el->children = el->children_tail = NULL;
	for (size_t i = 0; i < n; i++) {
		struct td_xnode *target = el;
		if (i) {
			target = new_node(c, TD_X_ELEMENT, parent);
			if (!target)
				return;
			target->name = el->name;
			target->attrs = el->attrs;
			target->attrs_tail = el->attrs_tail;
		}
		int64_t ticks;
		bool has = false;
		add_text(c, target, item_text(c, items[i].type, items[i].data, &ticks, &has));
	}
}

/* The end of an element: it repeats per item of an array value, and one
 * whose only content was a null optional substitution is left out, as
 * Windows renders it. */
static void close_element(struct td_evtx_chunk *c, struct td_xnode *parent, struct td_xnode *el,
			  const struct td_xvalue *array, bool null_optional)
{
	c->depth--;
	if (array)
		expand_array(c, parent, el, array);
	if (null_optional && !el->children && !el->attrs)
		unlink_last(parent, el);
}

/* Element content up to its end token. */
static bool parse_content(struct td_evtx_chunk *c, struct td_bytes *in, struct td_xnode *el,
			  bool in_template, const struct subst *s, const struct td_xvalue **array,
			  bool *null_optional)
{
	for (;;) {
		if (!in->len) {
			fail(c, *in, "element content runs past the record");
			return false;
		}
		uint8_t t = in->p[0];
		switch (t & ~TOK_MORE) {
		case TOK_END:
			td_bytes_skip(in, 1);
			return true;
		case TOK_OPEN:
			if (!parse_element(c, in, el, in_template, s))
				return false;
			continue;
		case TOK_PI_TARGET: {
			uint32_t off;
			struct td_str name;
			td_bytes_skip(in, 1);
			if (!td_bytes_u32le(in, &off) || !read_name(c, in, off, &name))
				return false;
			struct td_xnode *pi = new_node(c, TD_X_PI, el);
			if (!pi)
				return false;
			pi->name = name;
			if (in->len && in->p[0] == TOK_PI_DATA) {
				td_bytes_skip(in, 1);
				if (!read_chars(c, in, "PI data runs past the record", &pi->text))
					return false;
			}
			continue;
		}
		case TOK_TEMPLATE:
		case TOK_FRAGMENT:
		case TOK_EOF:
			fail(c, *in, "unexpected token in element content");
			return false;
		}
		if (!is_value_token(t)) {
			fail(c, *in, "unknown token in element content");
			return false;
		}
		struct piece pc;
		if (!read_value(c, in, s, &pc))
			return false;
		if (pc.placeholder) {
			struct td_xnode *ph = new_node(c, TD_X_SUBST, el);
			if (!ph)
				return false;
			ph->subst = pc.placeholder;
			ph->optional = pc.optional;
			continue;
		}
		if (pc.null_optional) {
			*null_optional = true;
			continue;
		}
		if (pc.binxml) {
			if (++c->depth > TD_EVTX_MAX_DEPTH) {
				fail(c, *in, "BinXML nested too deeply");
				return false;
			}
			bool ok = parse_fragment(c, pc.binxml->data, el, false, NULL);
			c->depth--;
			if (!ok)
				return false;
			continue;
		}
		if (pc.array && !*array)
			*array = pc.array;
		add_text(c, el, pc.text);
	}
}

static bool parse_element(struct td_evtx_chunk *c, struct td_bytes *in, struct td_xnode *parent,
			  bool in_template, const struct subst *s)
{
	uint8_t t;
	uint32_t size, off;
	if (!spend(c, *in) || !td_bytes_u8(in, &t))
		return false;
	if (in_template && !td_bytes_skip(in, 2)) {
		fail(c, *in, "element start runs past the record");
		return false;
	}
	if (!td_bytes_u32le(in, &size) || !td_bytes_u32le(in, &off)) {
		fail(c, *in, "element start runs past the record");
		return false;
	}
	if (++c->depth > TD_EVTX_MAX_DEPTH) {
		fail(c, *in, "elements nested too deeply");
		return false;
	}
	struct td_xnode *el = new_node(c, TD_X_ELEMENT, parent);
	if (!el || !read_name(c, in, off, &el->name))
		return false;
	if (t & TOK_MORE) {
		uint32_t attr_size;
		if (!td_bytes_u32le(in, &attr_size)) {
			fail(c, *in, "attribute list runs past the record");
			return false;
		}
		while (in->len && (in->p[0] & ~TOK_MORE) == TOK_ATTR)
			if (!parse_attribute(c, in, el, s))
				return false;
	}
	uint8_t close;
	if (!td_bytes_u8(in, &close)) {
		fail(c, *in, "element runs past the record");
		return false;
	}
	const struct td_xvalue *array = NULL;
	bool null_optional = false;
	if (close == TOK_CLOSE_START) {
		if (!parse_content(c, in, el, in_template, s, &array, &null_optional))
			return false;
	} else if (close != TOK_CLOSE_EMPTY) {
		fail(c, *in, "element start not closed");
		return false;
	}
	close_element(c, parent, el, array, null_optional);
	return true;
}

/* The cache slot of the definition at def_off, whose skeleton is parsed
 * once per chunk with placeholders for the substitutions (in the chunk's
 * names arena) or NULL when the definition cannot be one (it is then parsed
 * per record); TD_EVTX_TEMPLATE_SLOTS when the cache is full. */
static size_t skeleton_slot(struct td_evtx_chunk *c, uint32_t def_off, struct td_bytes def)
{
	/* Every record looks its template up (twice with nested EventData):
	 * hashed, not a scan of up to 256 slots. */
	size_t h = (uint32_t)(def_off * 2654435761u) % TD_EVTX_SKEL_HASH;
	for (; c->skel_hash[h]; h = (h + 1) % TD_EVTX_SKEL_HASH)
		if (c->skel_off[c->skel_hash[h] - 1] == def_off)
			return c->skel_hash[h] - 1u;
	if (c->nskel == TD_EVTX_TEMPLATE_SLOTS)
		return TD_EVTX_TEMPLATE_SLOTS;
	size_t work = c->work;
	int depth = c->depth;
	c->skeleton = true;
	c->alloc = &c->names_arena;
	struct td_xnode *root = new_node(c, TD_X_ELEMENT, NULL);
	bool ok = root && parse_fragment(c, def, root, true, NULL);
	c->skeleton = false;
	c->alloc = &c->arena;
	c->work = work;
	c->depth = depth;
	/* A definition that fails as a skeleton is reported, if it is really
	 * broken, when it is parsed the ordinary way. */
	c->error = NULL;
	c->skel_off[c->nskel] = def_off;
	c->skel[c->nskel] = ok ? root : NULL;
	c->plan[c->nskel] = NULL;
	c->skel_hash[h] = (uint16_t)(c->nskel + 1); /* building a skeleton adds none */
	return c->nskel++;
}

/* The skeleton of the definition at def_off, or NULL (see skeleton_slot). */
static const struct td_xnode *skeleton(struct td_evtx_chunk *c, uint32_t def_off,
				       struct td_bytes def)
{
	size_t i = skeleton_slot(c, def_off, def);
	return i < TD_EVTX_TEMPLATE_SLOTS ? c->skel[i] : NULL;
}

/* The plan of the definition's skeleton, built on its first record in the
 * chunk; NULL (the tree path) without a skeleton or memory for the plan. */
static const struct td_evtx_plan *plan_of(struct td_evtx_chunk *c, uint32_t def_off,
					  struct td_bytes def)
{
	size_t i = skeleton_slot(c, def_off, def);
	if (i == TD_EVTX_TEMPLATE_SLOTS || !c->skel[i])
		return NULL;
	if (!c->plan[i])
		c->plan[i] = td_evtx_plan_build(&c->plan_arena, c->skel[i]);
	return c->plan[i];
}

static bool inst_element(struct td_evtx_chunk *c, const struct td_xnode *sk,
			 struct td_xnode *parent, const struct subst *s);

/* The value of placeholder index+1, not rendered: some callers only need
 * its type.  NULL when it is out of range or the record fails. */
static const struct td_xvalue *subst_value(struct td_evtx_chunk *c, uint16_t subst,
					   const struct subst *s)
{
	if (!spend(c, c->chunk))
		return NULL;
	if ((size_t)subst - 1 >= s->n) {
		fail(c, c->chunk, "substitution index out of range");
		return NULL;
	}
	return &s->vals[subst - 1];
}

/* Whether subst_piece() makes nothing of v (then null_optional = optional). */
static bool no_value(const struct td_xvalue *v, bool optional)
{
	return v->type == VT_NULL || (optional && v->data.len == 0);
}

/* The value of placeholder index+1 as a piece. */
static bool placeholder(struct td_evtx_chunk *c, uint16_t subst, bool optional,
			const struct subst *s, struct piece *pc)
{
	memset(pc, 0, sizeof(*pc));
	const struct td_xvalue *v = subst_value(c, subst, s);
	if (!v)
		return false;
	subst_piece(c, v, optional, pc);
	return true;
}

/* The children of a skeleton element, instantiated under el: the same tree
 * parse_content builds from the definition's tokens. */
static bool inst_children(struct td_evtx_chunk *c, const struct td_xnode *sk,
			  struct td_xnode *el, const struct subst *s,
			  const struct td_xvalue **array, bool *null_optional)
{
	for (const struct td_xnode *k = sk->children; k; k = k->next) {
		if (!spend(c, c->chunk))
			return false;
		switch (k->kind) {
		case TD_X_ELEMENT:
			if (!inst_element(c, k, el, s))
				return false;
			continue;
		case TD_X_TEXT:
			add_text(c, el, k->text);
			continue;
		case TD_X_PI: {
			struct td_xnode *pi = new_node(c, TD_X_PI, el);
			if (!pi)
				return false;
			pi->name = k->name;
			pi->text = k->text;
			continue;
		}
		case TD_X_SUBST:
			break;
		}
		struct piece pc;
		if (!placeholder(c, k->subst, k->optional, s, &pc))
			return false;
		if (pc.null_optional) {
			if (null_optional)
				*null_optional = true;
			continue;
		}
		if (pc.binxml) {
			if (++c->depth > TD_EVTX_MAX_DEPTH) {
				fail(c, c->chunk, "BinXML nested too deeply");
				return false;
			}
			bool ok = parse_fragment(c, pc.binxml->data, el, false, NULL);
			c->depth--;
			if (!ok)
				return false;
			continue;
		}
		if (pc.array && array && !*array)
			*array = pc.array;
		add_text(c, el, pc.text);
	}
	return !c->error;
}

static bool inst_element(struct td_evtx_chunk *c, const struct td_xnode *sk,
			 struct td_xnode *parent, const struct subst *s)
{
	if (++c->depth > TD_EVTX_MAX_DEPTH) {
		fail(c, c->chunk, "elements nested too deeply");
		return false;
	}
	struct td_xnode *el = new_node(c, TD_X_ELEMENT, parent);
	if (!el)
		return false;
	el->name = sk->name;
	for (const struct td_xattr *a = sk->attrs; a; a = a->next) {
		struct td_str value = a->value;
		if (a->subst) {
			struct piece pc;
			if (!placeholder(c, a->subst, a->optional, s, &pc))
				return false;
			if (pc.binxml)
				pc.text = hex_bytes(c, pc.binxml->data);
			if (pc.null_optional && !pc.text.len)
				continue; /* no value: no attribute */
			value = pc.text.p ? pc.text : td_str_make("", 0);
			if (pc.has_ticks && !el->has_attr_ticks) {
				el->attr_ticks = pc.ticks;
				el->has_attr_ticks = true;
			}
		}
		if (td_x_add_attr(c->alloc, el, a->name, value)) {
			fail(c, c->chunk, "out of memory for the record");
			return false;
		}
	}
	const struct td_xvalue *array = NULL;
	bool null_optional = false;
	if (!inst_children(c, sk, el, s, &array, &null_optional))
		return false;
	close_element(c, parent, el, array, null_optional);
	return true;
}

/* Template instance: the definition (inline or earlier in the chunk) is
 * expanded with this instance's values. */
static bool read_instance(struct td_evtx_chunk *c, struct td_bytes *in, uint32_t *def_off_out,
			  struct td_bytes *def_out, struct subst *s_out)
{
	uint8_t t, unknown;
	uint32_t id, def_off;
	if (!td_bytes_u8(in, &t) || !td_bytes_u8(in, &unknown) || !td_bytes_u32le(in, &id) ||
	    !td_bytes_u32le(in, &def_off)) {
		fail(c, *in, "template instance runs past the record");
		return false;
	}
	struct td_bytes hdr;
	if (!td_bytes_at(c->chunk, def_off, 24, &hdr)) {
		fail(c, *in, "template definition outside the chunk");
		return false;
	}
	uint32_t next, guid_head, data_size;
	td_bytes_u32le(&hdr, &next);
	td_bytes_u32le(&hdr, &guid_head);
	td_bytes_skip(&hdr, 12); /* rest of the GUID */
	td_bytes_u32le(&hdr, &data_size);
	/* The instance names its template by the GUID's first 32 bits: a
	 * record left over from before the chunk was reused points at
	 * another template. */
	if (guid_head != id) {
		fail(c, *in, "template definition belongs to another template");
		return false;
	}
	struct td_bytes def;
	if (!td_bytes_at(c->chunk, (size_t)def_off + 24, data_size, &def)) {
		fail(c, *in, "template definition runs past the chunk");
		return false;
	}
	if (def_off == rel(c, *in) && !td_bytes_skip(in, 24 + (size_t)data_size)) {
		fail(c, *in, "inline template runs past the record");
		return false;
	}
	uint32_t n;
	if (!td_bytes_u32le(in, &n) || n > TD_EVTX_MAX_VALUES || (size_t)n * 4 > in->len) {
		fail(c, *in, "template instance has a bad value count");
		return false;
	}
	struct td_xvalue *vals = td_arena_alloc(&c->arena, (n ? n : 1) * sizeof(*vals));
	if (!vals) {
		fail(c, *in, "out of memory for the record");
		return false;
	}
	/* The descriptors (size, type, padding) fit: n * 4 <= in->len was
	 * checked.  Read in place, as this runs for every value of every record. */
	const uint8_t *desc = in->p;
	td_bytes_skip(in, (size_t)n * 4);
	for (uint32_t i = 0; i < n; i++, desc += 4) {
		size_t vsize = (size_t)desc[0] | (size_t)desc[1] << 8;
		vals[i].type = desc[2];
		if (!td_bytes_sub(in, &vals[i].data, vsize)) {
			fail(c, *in, "substitution value runs past the record");
			return false;
		}
	}
	*def_off_out = def_off;
	*def_out = def;
	*s_out = (struct subst){ vals, n };
	return true;
}

static bool parse_template(struct td_evtx_chunk *c, struct td_bytes *in, struct td_xnode *parent)
{
	uint32_t def_off;
	struct td_bytes def;
	struct subst s;
	if (!read_instance(c, in, &def_off, &def, &s))
		return false;
	if (++c->depth > TD_EVTX_MAX_DEPTH) {
		fail(c, *in, "templates nested too deeply");
		return false;
	}
	const struct td_xnode *sk = skeleton(c, def_off, def);
	bool ok = sk ? inst_children(c, sk, parent, &s, NULL, NULL)
		     : parse_fragment(c, def, parent, true, &s);
	c->depth--;
	return ok;
}

/* A BinXML fragment: header, then a template instance or elements, up to
 * EOF or the end of the bytes. */
static bool parse_fragment(struct td_evtx_chunk *c, struct td_bytes in, struct td_xnode *parent,
			   bool in_template, const struct subst *s)
{
	while (in.len) {
		if (!spend(c, in))
			return false;
		uint8_t t = in.p[0];
		switch (t & ~TOK_MORE) {
		case TOK_EOF:
			return true;
		case TOK_FRAGMENT:
			if (!td_bytes_skip(&in, 4)) {
				fail(c, in, "fragment header runs past the record");
				return false;
			}
			continue;
		case TOK_TEMPLATE:
			if (c->skeleton) {
				fail(c, in, "template instance inside a template definition");
				return false;
			}
			/* A fragment holds one template instance; what follows
			 * its values is padding. */
			return parse_template(c, &in, parent);
		case TOK_OPEN:
			if (!parse_element(c, &in, parent, in_template, s))
				return false;
			continue;
		}
		if (is_value_token(t)) {
			/* Loose text in a fragment (nested values): keep it. */
			struct piece pc;
			if (!read_value(c, &in, s, &pc))
				return false;
			add_text(c, parent, pc.text);
			continue;
		}
		fail(c, in, "unknown token in a fragment");
		return false;
	}
	return true;
}

struct td_xnode *td_evtx_binxml(struct td_evtx_chunk *c, struct td_bytes in)
{
	c->error = NULL;
	c->work = 0;
	c->depth = 0;
	struct td_xnode *root = new_node(c, TD_X_ELEMENT, NULL);
	if (!root)
		return NULL;
	if (!parse_fragment(c, in, root, false, NULL))
		return NULL;
	return root;
}

/* --- the event straight from the skeleton --------------------------------- */

/* Text of a skeleton element for these values: its literal text and
 * substitutions joined, as add_text builds it.  False when the element holds
 * elements, arrays or nested BinXML (the tree handles those).  *only_null:
 * nothing but null optional substitutions (or nothing at all). */
static bool skel_text(struct td_evtx_chunk *c, const struct td_xnode *k, const struct subst *s,
		      struct td_str *out, bool *only_null)
{
	*out = td_str_make(NULL, 0);
	*only_null = true;
	for (const struct td_xnode *p = k->children; p; p = p->next) {
		struct td_str t;
		if (p->kind == TD_X_TEXT) {
			t = p->text;
		} else if (p->kind == TD_X_SUBST) {
			/* subst_piece() without a piece: this runs for most values. */
			const struct td_xvalue *v = subst_value(c, p->subst, s);
			if (!v)
				return false;
			if (no_value(v, p->optional)) {
				if (p->optional)
					continue;
				t = td_str_make(NULL, 0);
			} else if (v->type == VT_BINXML || (v->type & VT_ARRAY)) {
				return false;
			} else {
				int64_t ticks;
				bool has_ticks = false;
				t = item_text(c, v->type, v->data, &ticks, &has_ticks);
			}
		} else {
			return false;
		}
		*only_null = false;
		if (!t.len)
			continue;
		*out = out->len ? concat(c, *out, t) : t;
	}
	return true;
}

/* The value of skeleton attribute a (the plan found it): absent ({NULL, 0})
 * when a is NULL or its optional substitution is null. */
static struct td_str attr_value(struct td_evtx_chunk *c, const struct td_xattr *a,
				const struct subst *s, int64_t *ticks, bool *has_ticks)
{
	if (!a)
		return td_str_make(NULL, 0);
	if (!a->subst)
		return a->value;
	const struct td_xvalue *v = subst_value(c, a->subst, s);
	if (!v)
		return td_str_make(NULL, 0);
	if (no_value(v, a->optional))
		return a->optional ? td_str_make(NULL, 0) : td_str_make("", 0);
	int64_t t = 0;
	bool has = false;
	/* Nested XML inside an attribute: its bytes as hex, as the tree keeps it. */
	struct td_str text = v->type == VT_BINXML ? hex_bytes(c, v->data)
						  : td_evtx_value_text(c, v, &t, &has);
	if (has && ticks) {
		*ticks = t;
		*has_ticks = true;
	}
	return text.p ? text : td_str_make("", 0);
}

/* Whether the element keeps an attribute for these values: all but null
 * optional substitutions do, whatever their text. */
static bool skel_any_attr(struct td_evtx_chunk *c, const struct td_xnode *k, const struct subst *s)
{
	for (const struct td_xattr *a = k->attrs; a; a = a->next) {
		if (!a->subst)
			return true;
		const struct td_xvalue *v = subst_value(c, a->subst, s);
		if (!v || !a->optional || !no_value(v, true))
			return true;
	}
	return false;
}

/* Text of an optional System part. */
static bool part_text(struct td_evtx_chunk *c, const struct td_xnode *k, const struct subst *s,
		      struct td_str *out)
{
	bool only_null;
	*out = td_str_make(NULL, 0);
	return !k || skel_text(c, k, s, out, &only_null);
}

/* Whether substitution node k has nested BinXML for these values (a value
 * is only rendered where its text is used). */
static bool subst_is_binxml(const struct td_xnode *k, const struct td_xvalue *v)
{
	return !no_value(v, k->optional) && v->type == VT_BINXML;
}

static bool subst_is_array(const struct td_xnode *k, const struct td_xvalue *v)
{
	return !no_value(v, k->optional) && v->type != VT_BINXML && (v->type & VT_ARRAY);
}

/* EventData fields as the tree path names them (xevent.c event_data), from
 * the plan's step for the element. */
static int data_fields(struct td_evtx_chunk *c, const struct td_evtx_step *ed,
		       const struct subst *s, struct td_xfields *f)
{
	size_t unnamed = 0;
	for (size_t i = 0; i < ed->nsteps; i++) {
		const struct td_xnode *k = ed->steps[i].node;
		if (ed->steps[i].kind == TD_STEP_SUBST) {
			const struct td_xvalue *v = subst_value(c, k->subst, s);
			if (!v || subst_is_binxml(k, v))
				return TD_E_FORMAT; /* markup spliced into EventData */
			continue;
		}
		struct td_str value;
		bool only_null;
		if (!skel_text(c, k, s, &value, &only_null))
			return TD_E_FORMAT;
		if (only_null && !value.len && !skel_any_attr(c, k, s))
			continue; /* the tree leaves such an element out */
		struct td_str name = attr_value(c, ed->steps[i].name, s, NULL, NULL);
		int rc = td_xevent_data_field(&c->arena, f, k->name, name, value, &unnamed);
		if (rc)
			return rc;
	}
	return TD_OK;
}

/* A nested BinXML value holding the EventData: a template instance whose
 * skeleton is one EventData element. */
static int nested_data(struct td_evtx_chunk *c, struct td_bytes in, struct td_xfields *f)
{
	while (in.len && in.p[0] == TOK_FRAGMENT)
		if (!td_bytes_skip(&in, 4))
			return TD_E_FORMAT;
	if (!in.len || (in.p[0] & ~TOK_MORE) != TOK_TEMPLATE || ++c->depth > TD_EVTX_MAX_DEPTH)
		return TD_E_FORMAT;
	uint32_t def_off;
	struct td_bytes def;
	struct subst s;
	if (!read_instance(c, &in, &def_off, &def, &s))
		return TD_E_FORMAT;
	const struct td_evtx_plan *p = plan_of(c, def_off, def);
	if (!p)
		return TD_E_FORMAT;
	int rc = TD_OK;
	for (size_t i = 0; i < p->nroot && !rc; i++) {
		if (p->root[i].kind != TD_STEP_EVENTDATA)
			return TD_E_FORMAT;
		rc = data_fields(c, &p->root[i], &s, f);
	}
	c->depth--;
	return rc;
}

int td_evtx_direct(struct td_evtx_chunk *c, struct td_bytes in, struct td_xfields *f,
		   struct td_event *ev)
{
	c->error = NULL;
	c->work = 0;
	c->depth = 0;
	while (in.len && in.p[0] == TOK_FRAGMENT)
		if (!td_bytes_skip(&in, 4))
			return TD_E_FORMAT;
	if (!in.len || (in.p[0] & ~TOK_MORE) != TOK_TEMPLATE)
		return TD_E_FORMAT;
	uint32_t def_off;
	struct td_bytes def;
	struct subst s;
	if (!read_instance(c, &in, &def_off, &def, &s))
		return TD_E_FORMAT;
	const struct td_evtx_plan *p = plan_of(c, def_off, def);
	if (!p || !p->sys)
		return TD_E_FORMAT;
	const struct td_xattr *const *a = p->attr;
	const struct td_xnode *const *part = p->part;
	struct td_xsystem x = { 0 };
	x.provider = attr_value(c, a[TD_PA_PROVIDER_NAME], &s, NULL, NULL);
	if (!x.provider.p)
		x.provider = attr_value(c, a[TD_PA_EVENT_SOURCE], &s, NULL, NULL);
	x.guid = attr_value(c, a[TD_PA_GUID], &s, NULL, NULL);
	x.qualifiers = attr_value(c, a[TD_PA_QUALIFIERS], &s, NULL, NULL);
	x.time = attr_value(c, a[TD_PA_SYSTEMTIME], &s, &x.ticks, &x.has_ticks);
	x.activity = attr_value(c, a[TD_PA_ACTIVITY], &s, NULL, NULL);
	x.pid = attr_value(c, a[TD_PA_PID], &s, NULL, NULL);
	x.tid = attr_value(c, a[TD_PA_TID], &s, NULL, NULL);
	x.user = attr_value(c, a[TD_PA_USER], &s, NULL, NULL);
	if (!part_text(c, part[S_EVENTID], &s, &x.event_id) ||
	    !part_text(c, part[S_VERSION], &s, &x.version) ||
	    !part_text(c, part[S_LEVEL], &s, &x.level) ||
	    !part_text(c, part[S_TASK], &s, &x.task) ||
	    !part_text(c, part[S_OPCODE], &s, &x.opcode) ||
	    !part_text(c, part[S_KEYWORDS], &s, &x.keywords) ||
	    !part_text(c, part[S_RECORDID], &s, &x.record_id) ||
	    !part_text(c, part[S_CHANNEL], &s, &x.channel) ||
	    !part_text(c, part[S_COMPUTER], &s, &x.computer) || c->error)
		return TD_E_FORMAT;
	int rc = td_xevent_system(&x, f, ev);
	if (rc)
		return rc;
	size_t first_data = f->n;
	for (size_t i = 0; i < p->nevent && !rc; i++) {
		const struct td_evtx_step *st = &p->event[i];
		if (st->kind == TD_STEP_EVENTDATA) {
			rc = data_fields(c, st, &s, f);
			continue;
		}
		if (st->kind != TD_STEP_SUBST)
			return TD_E_FORMAT; /* UserData, RenderingInfo, ...: the tree path */
		const struct td_xvalue *v = subst_value(c, st->node->subst, &s);
		if (!v || subst_is_array(st->node, v))
			return TD_E_FORMAT;
		if (subst_is_binxml(st->node, v))
			rc = nested_data(c, v->data, f);
	}
	if (rc || c->error)
		return rc ? rc : TD_E_FORMAT;
	return td_xevent_finish(ev, first_data, &c->arena, f);
}
