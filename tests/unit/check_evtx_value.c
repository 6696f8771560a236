/* Unit tests for the text of EVTX substitution values (td_evtx_value_text
 * in parsers/evtx_binxml.c): numbers, hex numbers and FILETIMEs are
 * formatted by hand and must read exactly as printf would write them;
 * strings copy ASCII directly and must read as the decoder makes them. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "evtx_internal.h"
#include "timeutil.h"

static struct td_evtx_chunk *chunk;

static void setup(void)
{
	static struct td_evtx_chunk c;
	chunk = &c;
	td_evtx_chunk_init(chunk);
}

static void teardown(void)
{
	td_evtx_chunk_release(chunk);
}

/* The text of a value of type with the n little-endian bytes of v. */
static struct td_str text(uint8_t type, uint64_t v, size_t n)
{
	static uint8_t raw[8];
	for (size_t i = 0; i < n; i++)
		raw[i] = (uint8_t)(v >> (8 * i));
	struct td_xvalue x = { type, td_bytes_make(raw, n) };
	int64_t ticks = 0;
	bool has_ticks = false;
	struct td_str s = td_evtx_value_text(chunk, &x, &ticks, &has_ticks);
	ck_assert_ptr_nonnull(s.p);
	ck_assert_msg(s.p[s.len] == '\0', "text not NUL-terminated");
	return s;
}

static void expect(struct td_str got, const char *want)
{
	ck_assert_msg(got.len == strlen(want) && memcmp(got.p, want, got.len) == 0,
		      "got '%.*s', want '%s'", (int)got.len, got.p, want);
}

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

START_TEST(integers_as_printf)
{
	uint64_t edges[] = { 0, 1, 9, 10, 99, 100, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
			     0x7fffffff, 0x80000000, 0xffffffff, INT64_MAX, (uint64_t)INT64_MIN,
			     UINT64_MAX, 10000000000000000000u };
	uint64_t x = 0x243f6a8885a308d3u;
	char want[64];
	for (size_t i = 0; i < 20000; i++) {
		uint64_t v = i < sizeof(edges) / sizeof(edges[0]) ? edges[i] : next(&x) >> (i % 64);
		snprintf(want, sizeof(want), "%d", (int8_t)v);
		expect(text(0x03, v, 1), want);
		snprintf(want, sizeof(want), "%u", (uint8_t)v);
		expect(text(0x04, v, 1), want);
		snprintf(want, sizeof(want), "%d", (int16_t)v);
		expect(text(0x05, v, 2), want);
		snprintf(want, sizeof(want), "%u", (uint16_t)v);
		expect(text(0x06, v, 2), want);
		snprintf(want, sizeof(want), "%" PRId32, (int32_t)v);
		expect(text(0x07, v, 4), want);
		snprintf(want, sizeof(want), "%" PRIu32, (uint32_t)v);
		expect(text(0x08, v, 4), want);
		snprintf(want, sizeof(want), "%" PRId64, (int64_t)v);
		expect(text(0x09, v, 8), want);
		snprintf(want, sizeof(want), "%" PRIu64, v);
		expect(text(0x0a, v, 8), want);
		snprintf(want, sizeof(want), "0x%" PRIx32, (uint32_t)v);
		expect(text(0x14, v, 4), want); /* HexInt32 */
		snprintf(want, sizeof(want), "0x%" PRIx64, v);
		expect(text(0x15, v, 8), want); /* HexInt64 */
		expect(text(0x10, v, 8), want); /* SizeT, 8 bytes */
		snprintf(want, sizeof(want), "0x%" PRIx32, (uint32_t)v);
		expect(text(0x10, v, 4), want); /* SizeT, 4 bytes */
		if (i % 64 == 0)
			td_arena_reset(&chunk->arena);
	}
}
END_TEST

/* FILETIME: seven digits of the 100 ns ticks and "00" for nanoseconds. */
START_TEST(filetime_as_printf)
{
	uint64_t x = 0x13198a2e03707344u;
	char want[64];
	for (size_t i = 0; i < 20000; i++) {
		/* 0, the largest, then times up to far past the year 9999 */
		uint64_t ft = next(&x) % (UINT64_C(1) << (50 + i % 14));
		if (i < 2)
			ft = i ? UINT64_MAX : 0;
		int64_t t = td_time_from_filetime(ft);
		int y, mo, d, h, mi, s;
		int64_t frac;
		td_time_to_civil(t, &y, &mo, &d, &h, &mi, &s, &frac);
		if (y < 0 || y > 9999)
			snprintf(want, sizeof(want), "00Z"); /* no date: what it always printed */
		else
			snprintf(want, sizeof(want),
				 "%04d-%02d-%02dT%02d:%02d:%02d.%07" PRId64 "00Z", y, mo, d, h,
				 mi, s, frac);
		struct td_xvalue v;
		uint8_t raw[8];
		for (int k = 0; k < 8; k++)
			raw[k] = (uint8_t)(ft >> (8 * k));
		v = (struct td_xvalue){ 0x11, td_bytes_make(raw, 8) };
		int64_t ticks = 0;
		bool has = false;
		expect(td_evtx_value_text(chunk, &v, &ticks, &has), want);
		ck_assert(has);
		ck_assert_int_eq(ticks, t);
		if (i % 64 == 0)
			td_arena_reset(&chunk->arena);
	}
}
END_TEST

/* Strings: UTF-16LE up to the first NUL unit, as the decoder converts it
 * whole; the copy of the leading ASCII units must hand over to the decoder
 * at the right unit wherever the first other unit is. */
START_TEST(strings_as_decoder)
{
	static const uint16_t pool[] = { 'a', 'Z', '0', ' ', 0x7f, 0x80, 0xe9, 0x100, 0x20ac,
					 0xd83d, 0xde00, 0xdc00, 0xfffd, 0x4100, 0x0041, 0 };
	uint64_t x = 0xa4093822299f31d0u;
	uint8_t raw[2 * 40 + 1];
	char want[40 * 3 + 8];
	for (size_t i = 0; i < 50000; i++) {
		size_t len = next(&x) % sizeof(raw);
		/* mostly ASCII, with one odd unit somewhere, or anything */
		bool ascii = i % 4 != 0;
		for (size_t k = 0; k + 1 < len; k += 2) {
			uint16_t u = ascii ? (uint16_t)(0x20 + next(&x) % 0x5f)
					   : pool[next(&x) % (sizeof(pool) / sizeof(pool[0]))];
			raw[k] = (uint8_t)u;
			raw[k + 1] = (uint8_t)(u >> 8);
		}
		if (ascii && len >= 2) {
			size_t k = (next(&x) % (len / 2)) * 2;
			uint16_t u = pool[next(&x) % (sizeof(pool) / sizeof(pool[0]))];
			raw[k] = (uint8_t)u;
			raw[k + 1] = (uint8_t)(u >> 8);
		}
		if (len % 2)
			raw[len - 1] = 'x';
		size_t end = 0;
		while (end + 1 < len && (raw[end] || raw[end + 1]))
			end += 2;
		size_t iu, ou;
		td_decode(TD_ENC_UTF16LE, td_bytes_make(raw, end), true, want, sizeof(want), &iu,
			  &ou);
		want[ou] = '\0';
		struct td_xvalue v = { 0x01, td_bytes_make(raw, len) };
		int64_t ticks;
		bool has = false;
		expect(td_evtx_value_text(chunk, &v, &ticks, &has), want);
		if (i % 64 == 0)
			td_arena_reset(&chunk->arena);
	}
}
END_TEST

Suite *evtx_value_suite(void)
{
	Suite *s = suite_create("evtx_value");
	TCase *tc = tcase_create("value");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, integers_as_printf);
	tcase_add_test(tc, filetime_as_printf);
	tcase_add_test(tc, strings_as_decoder);
	suite_add_tcase(s, tc);
	return s;
}
