/* Unit tests for core/: byte reader, buffers, arena, strings, time. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "arena.h"
#include "buf.h"
#include "bytes.h"
#include "crc32.h"
#include "err.h"
#include "input.h"
#include "lines.h"
#include "str.h"
#include "timeutil.h"

START_TEST(bytes_reads_and_bounds)
{
	static const uint8_t data[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };
	struct td_bytes b = td_bytes_make(data, sizeof(data));
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;
	ck_assert(td_bytes_u16le(&b, &v16));
	ck_assert_uint_eq(v16, 0x0201);
	ck_assert(td_bytes_u32le(&b, &v32));
	ck_assert_uint_eq(v32, 0x06050403);
	ck_assert_uint_eq(b.len, 3);
	/* A failing read leaves the view unchanged. */
	ck_assert(!td_bytes_u32le(&b, &v32));
	ck_assert_uint_eq(b.len, 3);
	ck_assert(!td_bytes_u64le(&b, &v64));
	struct td_bytes sub;
	ck_assert(td_bytes_sub(&b, &sub, 2));
	ck_assert_uint_eq(sub.len, 2);
	ck_assert_uint_eq(sub.p[0], 0x07);
	ck_assert(!td_bytes_sub(&b, &sub, 2));
	struct td_bytes all = td_bytes_make(data, sizeof(data)), at;
	ck_assert(td_bytes_at(all, 9, 0, &at));
	ck_assert(!td_bytes_at(all, 10, 0, &at));
	ck_assert(!td_bytes_at(all, 8, 2, &at));
	ck_assert(!td_bytes_at(all, 1, SIZE_MAX, &at));
	ck_assert(td_bytes_at(all, 0, 9, &at));
	struct td_bytes be = td_bytes_make("\x12\x34", 2);
	ck_assert(td_bytes_u16be(&be, &v16));
	ck_assert_uint_eq(v16, 0x1234);
	struct td_bytes b64 = td_bytes_make(data, 8);
	ck_assert(td_bytes_u64le(&b64, &v64));
	ck_assert(v64 == UINT64_C(0x0807060504030201));
}
END_TEST

START_TEST(buf_cap_and_invariants)
{
	struct td_buf b;
	td_buf_init(&b, 8);
	ck_assert_ptr_nonnull(b.p);
	ck_assert_str_eq(b.p, "");
	ck_assert_int_eq(td_buf_adds(&b, "abcd"), TD_OK);
	ck_assert_int_eq(td_buf_addf(&b, "%d", 123), TD_OK);
	ck_assert_str_eq(b.p, "abcd123");
	/* Passing the cap fails and keeps the contents. */
	ck_assert_int_eq(td_buf_adds(&b, "xy"), TD_E_LIMIT);
	ck_assert_str_eq(b.p, "abcd123");
	ck_assert_int_eq(td_buf_addc(&b, 'z'), TD_OK);
	ck_assert_uint_eq(b.len, 8);
	td_buf_truncate(&b, 2);
	ck_assert_str_eq(b.p, "ab");
	size_t len;
	char *d = td_buf_detach(&b, &len);
	ck_assert_str_eq(d, "ab");
	ck_assert_uint_eq(len, 2);
	free(d);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.p, "");
	struct td_buf big;
	td_buf_init(&big, 100000);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(td_buf_addf(&big, "%s-%d ", "long formatted text", i), TD_OK);
	ck_assert_uint_eq(strlen(big.p), big.len);
	td_buf_release(&big);
	td_buf_release(&b);
}
END_TEST

START_TEST(arena_limits_and_reset)
{
	struct td_arena a;
	td_arena_init(&a, 1 << 16);
	char *p = td_arena_alloc(&a, 10);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p % 8, 0);
	struct td_str s = td_arena_strdup(&a, TD_STR_LIT("hello"));
	ck_assert_str_eq(s.p, "hello");
	ck_assert_ptr_null(td_arena_alloc(&a, 1 << 17));
	for (int i = 0; i < 100; i++)
		ck_assert_ptr_nonnull(td_arena_alloc(&a, 500));
	td_arena_reset(&a);
	ck_assert_uint_eq(a.used, 0);
	ck_assert_ptr_nonnull(td_arena_alloc(&a, 60000));
	ck_assert_ptr_null(td_arena_alloc(&a, 6000));
	td_arena_release(&a);
}
END_TEST

START_TEST(str_dup)
{
	char *p = td_str_dup(td_str_make("abcdef", 3));
	ck_assert_str_eq(p, "abc");
	free(p);
	p = td_str_dup(td_str_make(NULL, 0));
	ck_assert_str_eq(p, "");
	free(p);
}
END_TEST

/* td_str_find against a naive search, over a two-letter alphabet so that
 * false starts pass the point where memmem takes over. */
START_TEST(str_find_matches_naive)
{
	char hay[80], needle[6];
	unsigned seed = 31;
	for (int round = 0; round < 50000; round++) {
		size_t n = (size_t)(round % 80), m = 1 + (size_t)(round % 5);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			hay[i] = (seed >> 16) % 7 ? 'a' : 'b';
		}
		for (size_t i = 0; i < m; i++) {
			seed = seed * 1103515245u + 12345u;
			needle[i] = (seed >> 16) % 3 ? 'a' : 'b';
		}
		ptrdiff_t want = -1;
		for (size_t i = 0; i + m <= n && want < 0; i++)
			if (memcmp(hay + i, needle, m) == 0)
				want = (ptrdiff_t)i;
		ck_assert_int_eq(td_str_find(td_str_make(hay, n), td_str_make(needle, m)), want);
	}
}
END_TEST

START_TEST(str_helpers)
{
	struct td_str s = TD_STR_LIT("  Hello, World\r\n");
	ck_assert(td_str_eq_cstr(td_str_trim(s), "Hello, World"));
	ck_assert_int_eq(td_str_ifind(s, TD_STR_LIT("world")), 9);
	ck_assert_int_eq(td_str_find(s, TD_STR_LIT("world")), -1);
	ck_assert_int_eq(td_str_find_char(s, ','), 7);
	ck_assert(td_str_istarts_with(td_str_trim(s), "hello"));
	uint64_t v;
	ck_assert_uint_eq(td_str_parse_udec(TD_STR_LIT("12345x"), 10, &v), 5);
	ck_assert_uint_eq(v, 12345);
	ck_assert_uint_eq(td_str_parse_udec(TD_STR_LIT("99999999999999999999999"), 30, &v), 0);
	ck_assert_uint_eq(td_str_parse_hex(TD_STR_LIT("80090331)"), 16, &v), 8);
	ck_assert_uint_eq(v, 0x80090331);
	ck_assert(td_str_eq(td_str_slice(TD_STR_LIT("abc"), 2, 99), TD_STR_LIT("c")));
	ck_assert(td_str_eq(td_str_slice(TD_STR_LIT("abc"), 5, 1), TD_STR_LIT("")));
}
END_TEST

START_TEST(lines_split)
{
	struct td_str rest = TD_STR_LIT("a\r\nbb\n\nccc\r\r\nlast"), line;
	bool term;
	const char *want[] = { "a", "bb", "", "ccc", "last" };
	for (int i = 0; i < 5; i++) {
		ck_assert(td_next_line(&rest, &line, &term));
		ck_assert(td_str_eq_cstr(line, want[i]));
		ck_assert(term == (i < 4));
	}
	ck_assert(!td_next_line(&rest, &line, &term));
	ck_assert_uint_eq(td_count_newlines(TD_STR_LIT("a\nb\n\nc")), 3);
}
END_TEST

START_TEST(time_civil_roundtrip)
{
	int64_t t;
	ck_assert(td_time_from_civil(1970, 1, 1, 0, 0, 0, 0, &t));
	ck_assert_int_eq(t, 0);
	ck_assert(td_time_from_civil(2020, 8, 5, 12, 16, 37, 9333292, &t));
	char out[40];
	td_time_format(out, sizeof(out), t, 7, TD_ZONE_UTC);
	ck_assert_str_eq(out, "2020-08-05T12:16:37.9333292Z");
	td_time_format(out, sizeof(out), t, 3, TD_ZONE_LOCAL);
	ck_assert_str_eq(out, "2020-08-05T12:16:37.933");
	ck_assert(!td_time_from_civil(2019, 2, 29, 0, 0, 0, 0, &t));
	ck_assert(td_time_from_civil(2020, 2, 29, 23, 59, 59, 0, &t));
	ck_assert(!td_time_from_civil(2020, 13, 1, 0, 0, 0, 0, &t));
	ck_assert(!td_time_from_civil(2020, 1, 1, 24, 0, 0, 0, &t));
	ck_assert(td_time_from_civil(1601, 1, 1, 0, 0, 0, 0, &t));
	ck_assert_int_eq(td_time_from_filetime(0), t);
	td_time_format(out, sizeof(out), t, 0, TD_ZONE_UTC);
	ck_assert_str_eq(out, "1601-01-01T00:00:00Z");
}
END_TEST

/* td_time_format by snprintf, as it was written before it was formatted by
 * hand: the two must agree on every value. */
static size_t printf_format(char *out, size_t cap, int64_t ticks, unsigned digits,
			    enum td_zone zone)
{
	int y, mo, d, h, mi, s;
	int64_t frac;
	td_time_to_civil(ticks, &y, &mo, &d, &h, &mi, &s, &frac);
	if (cap < 40 || y < 0 || y > 9999) {
		if (cap)
			out[0] = '\0';
		return 0;
	}
	int n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
	char f[24];
	snprintf(f, sizeof(f), "%07lld", (long long)frac);
	if (digits)
		n += snprintf(out + n, cap - (size_t)n, ".%.*s", digits > 7 ? 7 : (int)digits, f);
	if (zone == TD_ZONE_UTC)
		out[n++] = 'Z';
	out[n] = '\0';
	return (size_t)n;
}

START_TEST(time_format_matches_printf)
{
	int64_t edges[] = { 0, -1, 1, INT64_MAX, INT64_MIN, td_time_from_filetime(0),
			    td_time_from_filetime(UINT64_MAX), 9999999, -9999999, 10000000,
			    /* 9999-12-31T23:59:59.9999999 and the tick after it */
			    INT64_C(2534023007999999999), INT64_C(2534023008000000000),
			    /* 0000-01-01 and the tick before it */
			    INT64_C(-621672192000000000), INT64_C(-621672192000000001) };
	uint64_t x = 88172645463325252u;
	for (size_t i = 0; i < 200000; i++) {
		int64_t t;
		if (i < sizeof(edges) / sizeof(edges[0])) {
			t = edges[i];
		} else {
			/* xorshift: ticks all over the range, then FILETIMEs of recent years */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			t = i % 2 ? (int64_t)x : td_time_from_filetime(x % (UINT64_C(1) << 58));
		}
		for (unsigned digits = 0; digits <= 8; digits += 1 + (i % 3 != 0) * 3) {
			enum td_zone zone = (enum td_zone)(i % 3);
			char want[48], got[48];
			size_t wn = printf_format(want, 44, t, digits, zone);
			size_t gn = td_time_format(got, 44, t, digits, zone);
			ck_assert_msg(wn == gn && strcmp(want, got) == 0,
				      "ticks %lld digits %u: %s vs %s", (long long)t, digits, want,
				      got);
		}
	}
	char small[39] = "x";
	ck_assert_uint_eq(td_time_format(small, sizeof(small), 0, 7, TD_ZONE_UTC), 0);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(time_iso8601)
{
	struct td_time t;
	ck_assert_uint_eq(td_time_parse_iso8601(TD_STR_LIT("2012-01-18T13:09:19.0951553Z rest"), &t), 28);
	ck_assert_int_eq(t.zone, TD_ZONE_UTC);
	ck_assert_int_eq(t.digits, 7);
	char out[40];
	td_time_format(out, sizeof(out), t.ticks, t.digits, t.zone);
	ck_assert_str_eq(out, "2012-01-18T13:09:19.0951553Z");
	ck_assert(td_time_parse_iso8601(TD_STR_LIT("2015-02-06T11:57:11.9411740+07:00"), &t));
	td_time_format(out, sizeof(out), t.ticks, 3, t.zone);
	ck_assert_str_eq(out, "2015-02-06T04:57:11.941Z");
	ck_assert(td_time_parse_iso8601(TD_STR_LIT("2015-12-22 02:23:19.165775"), &t));
	ck_assert_int_eq(t.zone, TD_ZONE_LOCAL);
	ck_assert_int_eq(t.digits, 6);
	ck_assert(td_time_parse_iso8601(TD_STR_LIT("2020-08-05 12:16:37,933 INFO"), &t));
	ck_assert_int_eq(t.digits, 3);
	ck_assert_uint_eq(td_time_parse_iso8601(TD_STR_LIT("2020-08-05"), &t), 0);
	ck_assert_uint_eq(td_time_parse_iso8601(TD_STR_LIT("2020-02-30 10:00:00"), &t), 0);
	ck_assert_uint_eq(td_time_parse_iso8601(TD_STR_LIT("2020-08-05T10:00-0530"), &t), 21);
	td_time_format(out, sizeof(out), t.ticks, 0, t.zone);
	ck_assert_str_eq(out, "2020-08-05T15:30:00Z");
}
END_TEST

START_TEST(diag_caps)
{
	struct td_diag d;
	td_diag_init(&d, 2);
	td_diag_add(&d, TD_DIAG_WARNING, 10, 1, "first %d", 1);
	td_diag_add(&d, TD_DIAG_ERROR, 20, 2, "second");
	td_diag_add(&d, TD_DIAG_ERROR, 30, 3, "third");
	ck_assert_uint_eq(d.n, 2);
	ck_assert_uint_eq(d.dropped, 1);
	ck_assert_uint_eq(d.count[TD_DIAG_ERROR], 2);
	ck_assert_str_eq(d.items[0].msg, "first 1");
	td_diag_release(&d);
	struct td_err e;
	ck_assert_int_eq(td_err_set(&e, TD_E_IO, "cannot open '%s'", "x"), TD_E_IO);
	ck_assert_str_eq(e.msg, "cannot open 'x'");
	ck_assert_int_eq(td_err_set(NULL, TD_E_FORMAT, "ignored"), TD_E_FORMAT);
}
END_TEST

/* A mapped file cut by someone else while it is read: no SIGBUS, zeros past
 * the cut, and td_input_cut() tells where (regression: the run died). */
START_TEST(input_cut_while_mapped)
{
	/* valgrind 3.19 does not resume the read after the handler remaps the
	 * page (it reports a SIGSEGV at a small address); the hostile test
	 * vanishing covers this path under valgrind through tlsdiag itself.
	 * Open question, see the README's hostile-input notes. */
	const char *pre = getenv("LD_PRELOAD");
	if (pre && strstr(pre, "vgpreload"))
		return;
	char path[] = "/tmp/td-input-cut.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	char page[4096];
	memset(page, 'x', sizeof(page));
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(write(fd, page, sizeof(page)), (int)sizeof(page));
	close(fd);
	struct td_input in;
	struct td_err err = { 0 };
	ck_assert_int_eq(td_input_open_file(&in, path, &err), TD_OK);
	uint64_t size;
	ck_assert(!td_input_cut(&in, &size));
	ck_assert_int_eq(truncate(path, 100), 0);
	size_t xs = 0;
	for (size_t i = 0; i < in.len; i++)
		xs += in.data[i] == 'x';
	ck_assert_uint_eq(xs, 100);
	ck_assert(td_input_cut(&in, &size));
	ck_assert_uint_eq(size, 100);
	td_input_release(&in);
	unlink(path);
}
END_TEST

/* A stream of n bytes read with a cap of max: exactly the cap is fine, one
 * byte more is TD_E_LIMIT, small caps are not rounded up to a buffer size. */
static int read_stream(size_t n, size_t max, struct td_input *in)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	char *data = malloc(n);
	ck_assert_ptr_nonnull(data);
	memset(data, 'x', n);
	ck_assert_int_eq(write(fds[1], data, n), (ssize_t)n); /* n fits the pipe */
	close(fds[1]);
	free(data);
	struct td_err err = { 0 };
	int rc = td_input_read_fd(in, fds[0], max, &err);
	close(fds[0]);
	return rc;
}

START_TEST(input_stream_cap)
{
	struct td_input in;
	ck_assert_int_eq(read_stream(3000, 3000, &in), TD_OK);
	ck_assert_uint_eq(in.len, 3000);
	td_input_release(&in);
	ck_assert_int_eq(read_stream(3000, 2999, &in), TD_E_LIMIT);
	ck_assert_int_eq(read_stream(3000, 1024, &in), TD_E_LIMIT);
	ck_assert_int_eq(read_stream(100, 1024, &in), TD_OK);
	ck_assert_uint_eq(in.len, 100);
	td_input_release(&in);
	ck_assert_int_eq(read_stream(0, 1, &in), TD_OK);
	ck_assert_uint_eq(in.len, 0);
	td_input_release(&in);
}
END_TEST

/* td_crc32 (folded where the processor allows) against zlib: every length
 * around the 64-byte and 16-byte steps, every alignment, chained calls,
 * and a long buffer. */
START_TEST(crc32_matches_zlib)
{
	size_t big = (size_t)1 << 20;
	uint8_t *buf = malloc(big + 16);
	ck_assert_ptr_nonnull(buf);
	uint32_t seed = 12345;
	for (size_t i = 0; i < big + 16; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 600; n++) {
			uint32_t want = (uint32_t)crc32(0, buf + off, (uInt)n);
			ck_assert_uint_eq(td_crc32(0, buf + off, n), want);
			/* Continued from a previous CRC. */
			uint32_t c = (uint32_t)crc32(0, buf, 7);
			ck_assert_uint_eq(td_crc32(c, buf + off, n),
					  (uint32_t)crc32(c, buf + off, (uInt)n));
		}
	uint32_t whole = (uint32_t)crc32(0, buf, (uInt)big);
	ck_assert_uint_eq(td_crc32(0, buf, big), whole);
	uint32_t chained = td_crc32(td_crc32(0, buf, 65537), buf + 65537, big - 65537);
	ck_assert_uint_eq(chained, whole);
	/* All zeros and all ones (no lucky cancellation). */
	memset(buf, 0, 4096);
	ck_assert_uint_eq(td_crc32(0, buf, 4096), (uint32_t)crc32(0, buf, 4096));
	memset(buf, 0xff, 4096);
	ck_assert_uint_eq(td_crc32(0xdeadbeef, buf, 4096), (uint32_t)crc32(0xdeadbeef, buf, 4096));
	ck_assert_uint_eq(td_crc32(0, NULL, 0), 0);
	free(buf);
}
END_TEST

Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, bytes_reads_and_bounds);
	tcase_add_test(tc, input_cut_while_mapped);
	tcase_add_test(tc, input_stream_cap);
	tcase_add_test(tc, crc32_matches_zlib);
	tcase_add_test(tc, buf_cap_and_invariants);
	tcase_add_test(tc, arena_limits_and_reset);
	tcase_add_test(tc, str_helpers);
	tcase_add_test(tc, str_find_matches_naive);
	tcase_add_test(tc, str_dup);
	tcase_add_test(tc, lines_split);
	tcase_add_test(tc, time_civil_roundtrip);
	tcase_add_test(tc, time_format_matches_printf);
	tcase_add_test(tc, time_iso8601);
	tcase_add_test(tc, diag_caps);
	suite_add_tcase(s, tc);
	return s;
}
