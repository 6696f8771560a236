/* Unit tests for the text of EVTX substitution values (td_evtx_value_text
 * in parsers/evtx_binxml.c): numbers, hex numbers and FILETIMEs are
 * formatted by hand and must read exactly as printf would write them. */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
		uint64_t ft = i == 0 ? 0 : i == 1 ? UINT64_MAX : next(&x) % (UINT64_C(1) << (50 + i % 14));
		int64_t t = td_time_from_filetime(ft);
		int y, mo, d, h, mi, s;
		int64_t frac;
		td_time_to_civil(t, &y, &mo, &d, &h, &mi, &s, &frac);
		if (y < 0 || y > 9999)
			snprintf(want, sizeof(want), "00Z"); /* no date: what it always printed */
		else
			snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%07" PRId64 "00Z",
				 y, mo, d, h, mi, s, frac);
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

Suite *evtx_value_suite(void)
{
	Suite *s = suite_create("evtx_value");
	TCase *tc = tcase_create("value");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, integers_as_printf);
	tcase_add_test(tc, filetime_as_printf);
	suite_add_tcase(s, tc);
	return s;
}
