/* Unit tests for core/encoding.c and the text driver's decoding path. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "parser.h"
#include "testutil.h"

static enum td_encoding sniff(const char *p, size_t n, size_t *bom)
{
	return td_encoding_sniff(td_bytes_make(p, n), bom);
}

START_TEST(sniff_boms_and_heuristics)
{
	size_t bom;
	ck_assert_int_eq(sniff("\xEF\xBB\xBFhi", 5, &bom), TD_ENC_UTF8_BOM);
	ck_assert_uint_eq(bom, 3);
	ck_assert_int_eq(sniff("\xFF\xFEh\0i\0", 6, &bom), TD_ENC_UTF16LE_BOM);
	ck_assert_uint_eq(bom, 2);
	ck_assert_int_eq(sniff("\xFE\xFF\0h\0i", 6, &bom), TD_ENC_UTF16BE_BOM);
	ck_assert_int_eq(sniff("2\0000\0002\0005\0-\0", 10, &bom), TD_ENC_UTF16LE);
	ck_assert_uint_eq(bom, 0);
	ck_assert_int_eq(sniff("\0002\0000\0002\0005\0-", 10, &bom), TD_ENC_UTF16BE);
	ck_assert_int_eq(sniff("plain ascii\r\n", 13, &bom), TD_ENC_UTF8);
	ck_assert_int_eq(sniff("caf\xC3\xA9", 5, &bom), TD_ENC_UTF8);
	/* A sequence cut by the end of the sniffed head is still UTF-8. */
	ck_assert_int_eq(sniff("caf\xC3", 4, &bom), TD_ENC_UTF8);
	ck_assert_int_eq(sniff("caf\xE9 cr\xE8me", 10, &bom), TD_ENC_CP1252);
	ck_assert_int_eq(sniff("ElfFile\0\0\0\0\0", 12, &bom), TD_ENC_BINARY);
	ck_assert_int_eq(sniff("\x01\x02\x03\x04\x05\x06", 6, &bom), TD_ENC_BINARY);
	ck_assert_int_eq(sniff("", 0, &bom), TD_ENC_UTF8);
}
END_TEST

static void decode_all(enum td_encoding e, const char *in, size_t n, char *out, size_t *on)
{
	size_t iu;
	td_decode(e, td_bytes_make(in, n), true, out, 256, &iu, on);
	ck_assert_uint_eq(iu, n);
	out[*on] = '\0';
}

START_TEST(decode_utf16_and_cp1252)
{
	char out[260];
	size_t n;
	decode_all(TD_ENC_UTF16LE, "A\0\xE9\0\xAC\x20", 6, out, &n);
	ck_assert_str_eq(out, "A\xC3\xA9\xE2\x82\xAC");
	/* Surrogate pair U+1F600, then a lone high surrogate, then 'x'. */
	decode_all(TD_ENC_UTF16LE, "\x3D\xD8\x00\xDE\x3D\xD8x\0", 8, out, &n);
	ck_assert_str_eq(out, "\xF0\x9F\x98\x80\xEF\xBF\xBDx");
	/* Odd trailing byte. */
	decode_all(TD_ENC_UTF16LE, "a\0b", 3, out, &n);
	ck_assert_str_eq(out, "a\xEF\xBF\xBD");
	decode_all(TD_ENC_UTF16BE, "\0a\0b", 4, out, &n);
	ck_assert_str_eq(out, "ab");
	decode_all(TD_ENC_CP1252, "\x80\xE9\x81", 3, out, &n);
	ck_assert_str_eq(out, "\xE2\x82\xAC\xC3\xA9\xC2\x81");
	/* Long ASCII run exercises the fast path. */
	char in[64];
	for (int i = 0; i < 32; i++) {
		in[2 * i] = (char)('a' + i % 26);
		in[2 * i + 1] = 0;
	}
	decode_all(TD_ENC_UTF16LE, in, 64, out, &n);
	ck_assert_uint_eq(n, 32);
	ck_assert_int_eq(out[31], 'a' + 31 % 26);
	/* Not final: an incomplete surrogate pair is left for later. */
	size_t iu, ou;
	td_decode(TD_ENC_UTF16LE, td_bytes_make("a\0\x3D\xD8", 4), false, out, 256, &iu, &ou);
	ck_assert_uint_eq(iu, 2);
	ck_assert_uint_eq(ou, 1);
}
END_TEST

/* UTF-16LE with ASCII runs of every length between other characters (the
 * 16- and 4-unit fast paths and their ends), and output buffers of every
 * size: the UTF-8 must be the characters' own, and nothing is lost when the
 * output fills up. */
START_TEST(decode_utf16_runs_against_reference)
{
	static const uint32_t other[] = { 0xE9, 0x20AC, 0x7F, 0x80, 0x1F600, 0x0 };
	unsigned seed = 5;
	for (int round = 0; round < 3000; round++) {
		uint8_t in[600];
		char want[1200], got[1200];
		size_t n = 0, w = 0;
		while (n < sizeof(in) - 40) {
			seed = seed * 1103515245u + 12345u;
			size_t run = (seed >> 16) % 40;
			for (size_t k = 0; k < run && n + 2 <= sizeof(in) - 40; k++) {
				char c = (char)('!' + (k + (size_t)round) % 90);
				in[n++] = (uint8_t)c;
				in[n++] = 0;
				want[w++] = c;
			}
			uint32_t cp = other[(seed >> 8) % 6];
			if (cp >= 0x10000) {
				uint32_t v = cp - 0x10000;
				uint16_t hi = (uint16_t)(0xD800 + (v >> 10));
				uint16_t lo = (uint16_t)(0xDC00 + (v & 0x3FF));
				in[n++] = (uint8_t)hi;
				in[n++] = (uint8_t)(hi >> 8);
				in[n++] = (uint8_t)lo;
				in[n++] = (uint8_t)(lo >> 8);
			} else {
				in[n++] = (uint8_t)cp;
				in[n++] = (uint8_t)(cp >> 8);
			}
			w += td_utf8_put(want + w, cp);
		}
		/* Decoded in pieces through an output buffer of cap bytes. */
		size_t cap = 4 + (size_t)round % 40, at = 0, o = 0;
		while (at < n) {
			size_t iu, ou;
			struct td_bytes rest = td_bytes_make(in + at, n - at);
			td_decode(TD_ENC_UTF16LE, rest, true, got + o, cap, &iu, &ou);
			ck_assert_uint_gt(iu, 0);
			at += iu;
			o += ou;
		}
		ck_assert_uint_eq(o, w);
		ck_assert_int_eq(memcmp(got, want, w), 0);
	}
}
END_TEST

START_TEST(orig_span_counts_input_bytes)
{
	ck_assert_uint_eq(td_encoding_orig_span(TD_ENC_UTF16LE, TD_STR_LIT("a\xC3\xA9\xF0\x9F\x98\x80")), 8);
	ck_assert_uint_eq(td_encoding_orig_span(TD_ENC_CP1252, TD_STR_LIT("a\xC3\xA9")), 2);
	ck_assert_uint_eq(td_encoding_orig_span(TD_ENC_UTF8, TD_STR_LIT("a\xC3\xA9")), 3);
}
END_TEST

START_TEST(utf8_helpers)
{
	uint32_t cp;
	ck_assert_uint_eq(td_utf8_next(TD_STR_LIT("\xC3\xA9"), &cp), 2);
	ck_assert_uint_eq(cp, 0xE9);
	ck_assert_uint_eq(td_utf8_next(TD_STR_LIT("\xC0\x80"), &cp), 1); /* overlong */
	ck_assert_uint_eq(cp, 0xFFFD);
	ck_assert_uint_eq(td_utf8_next(TD_STR_LIT("\xED\xA0\x80"), &cp), 1); /* surrogate */
	ck_assert_uint_eq(td_utf8_next(TD_STR_LIT("\xE2\x82"), &cp), 1); /* truncated */
	ck_assert(td_utf8_valid(TD_STR_LIT("ok \xE2\x82\xAC")));
	ck_assert(!td_utf8_valid(TD_STR_LIT("bad \xFF")));
}
END_TEST

/* The same lines in UTF-16LE parse to the same events, with offsets into the
 * original bytes. */
START_TEST(driver_maps_utf16_offsets)
{
	const char *text = "first line\r\nsecond \xC3\xA9 line\r\n\r\nthird\r\n";
	char in[200];
	size_t n = 0;
	in[n++] = (char)0xFF;
	in[n++] = (char)0xFE;
	for (const char *p = text; *p;) {
		uint32_t cp;
		size_t k = td_utf8_next(td_str_cstr(p), &cp);
		in[n++] = (char)(cp & 0xFF);
		in[n++] = (char)(cp >> 8);
		p += k;
	}
	struct td_test_events t;
	td_test_parse(&td_parser_plain, in, n, &t);
	ck_assert_int_eq(t.rc, TD_OK);
	ck_assert_int_eq(t.info.encoding, TD_ENC_UTF16LE_BOM);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(t.ev[0].message, "first line");
	ck_assert_uint_eq(t.ev[0].offset, 2);
	ck_assert_str_eq(t.ev[1].message, "second \xC3\xA9 line");
	ck_assert_uint_eq(t.ev[1].offset, 2 + 2 * 12);
	ck_assert_uint_eq(t.ev[1].line, 2);
	ck_assert_str_eq(t.ev[2].message, "third");
	ck_assert_uint_eq(t.ev[2].line, 4);
	ck_assert_uint_eq(t.ev[2].offset, 2 + 2 * (12 + 15 + 2));
	td_test_events_release(&t);
}
END_TEST

START_TEST(driver_binary_is_not_parsed)
{
	struct td_test_events t;
	td_test_parse(NULL, "ElfFile\0\0\0\1\2\3", 13, &t);
	ck_assert_int_eq(t.info.format, TD_FMT_BINARY);
	ck_assert_uint_eq(t.n, 0);
	td_test_events_release(&t);
}
END_TEST

/* A file much larger than the first window, with a line that straddles the
 * window boundary, gives every line exactly once. */
START_TEST(driver_windows_keep_every_line)
{
	size_t lines = (TD_WINDOW / 37) + 1000, cap = lines * 40;
	char *big = malloc(cap);
	size_t n = 0;
	for (size_t i = 0; i < lines; i++)
		n += (size_t)snprintf(big + n, cap - n, "line %010zu of the big file\n", i);
	struct td_test_events t;
	td_test_parse(&td_parser_plain, big, n, &t);
	ck_assert_uint_eq(t.n, lines);
	ck_assert_uint_eq(t.ev[lines - 1].line, lines);
	char want[64];
	snprintf(want, sizeof(want), "line %010zu of the big file", lines - 1);
	ck_assert_str_eq(t.ev[lines - 1].message, want);
	ck_assert_uint_eq(t.ev[lines - 1].offset, n - strlen(want) - 1);
	td_test_events_release(&t);
	free(big);
}
END_TEST

START_TEST(plain_truncations)
{
	const char *s = "one\r\ntwo\n\nthree";
	td_test_truncations(&td_parser_plain, s, strlen(s), 3);
}
END_TEST

Suite *encoding_suite(void)
{
	Suite *s = suite_create("encoding");
	TCase *tc = tcase_create("encoding");
	tcase_add_test(tc, sniff_boms_and_heuristics);
	tcase_add_test(tc, decode_utf16_and_cp1252);
	tcase_add_test(tc, decode_utf16_runs_against_reference);
	tcase_add_test(tc, orig_span_counts_input_bytes);
	tcase_add_test(tc, utf8_helpers);
	tcase_add_test(tc, driver_maps_utf16_offsets);
	tcase_add_test(tc, driver_binary_is_not_parsed);
	tcase_add_test(tc, driver_windows_keep_every_line);
	tcase_add_test(tc, plain_truncations);
	suite_add_tcase(s, tc);
	return s;
}
