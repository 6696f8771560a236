/* Unit tests for parsers/cmtrace.c and parsers/cmtime.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmtime.h"
#include "parser.h"
#include "testutil.h"

static int64_t utc(int y, int mo, int d, int h, int mi, int s, int ms)
{
	int64_t t;
	ck_assert(td_time_from_civil(y, mo, d, h, mi, s, (int64_t)ms * 10000, &t));
	return t;
}

START_TEST(single_records_and_fields)
{
	const char *in =
		"\xEF\xBB\xBF<![LOG[Not in SSL]LOG]!><time=\"10:30:43.362+240\" date=\"10-18-2019\" "
		"component=\"TSManager\" context=\"\" type=\"1\" thread=\"1964\" file=\"libsmsmessaging.cpp:10091\">\r\n"
		"<![LOG[SslState value: 224]LOG]!><time=\"15:10:35.427+00\" date=\"02-04-2020\" "
		"component=\"ccmsetup\" context=\"\" type=\"3\" thread=\"3912\" file=\"ccmsetup.cpp:4587\">\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_CMTRACE);
	ck_assert_int_eq(t.info.encoding, TD_ENC_UTF8_BOM);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.diag.n, 0);
	struct td_test_event *e = &t.ev[0];
	ck_assert_str_eq(e->message, "Not in SSL");
	ck_assert_str_eq(e->provider, "TSManager");
	ck_assert_int_eq(e->level, TD_LEVEL_INFO);
	ck_assert_str_eq(td_test_field(e, "thread"), "1964");
	ck_assert_str_eq(td_test_field(e, "file"), "libsmsmessaging.cpp:10091");
	ck_assert_ptr_null(td_test_field(e, "context"));
	/* UTC = local + bias: 10:30:43.362 + 240 min = 14:30:43.362. */
	ck_assert_int_eq(e->ticks, utc(2019, 10, 18, 14, 30, 43, 362));
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_int_eq(e->digits, 3);
	ck_assert_str_eq(e->time_text, "10-18-2019 10:30:43.362+240");
	ck_assert_uint_eq(e->line, 1);
	ck_assert_uint_eq(e->offset, 3);
	ck_assert_uint_eq(e->record, 1);
	e = &t.ev[1];
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_int_eq(e->ticks, utc(2020, 2, 4, 15, 10, 35, 427));
	ck_assert_uint_eq(e->line, 2);
	ck_assert_uint_eq(e->record, 2);
	td_test_events_release(&t);
}
END_TEST

struct time_case {
	const char *time, *date;
	bool ok;
	int64_t want;
	int zone, digits;
};

START_TEST(time_forms)
{
	const struct time_case cases[] = {
		{ "10:30:43.362+240", "10-18-2019", true, 0, TD_ZONE_UTC, 3 },
		{ "10:30:43.362-330", "10-18-2019", true, 0, TD_ZONE_UTC, 3 },
		{ "10:30:43.362+000", "10-18-2019", true, 0, TD_ZONE_UTC, 3 },
		{ "10:30:43.3622734", "10-18-2019", true, 0, TD_ZONE_LOCAL, 7 },
		{ "10:30:43.5+60", "1-8-2019", true, 0, TD_ZONE_UTC, 1 },
		{ "10:30:43+60", "10-18-2019", true, 0, TD_ZONE_UTC, 0 },
		{ "25:30:43.362+240", "10-18-2019", false, 0, 0, 0 },
		{ "10:30:43.362+240", "13-18-2019", false, 0, 0, 0 },
		{ "10:30:43.362+240", "10-18-19", false, 0, 0, 0 },
		{ "10:30:43.362+", "10-18-2019", false, 0, 0, 0 },
		{ "", "", false, 0, 0, 0 },
	};
	int64_t base = utc(2019, 10, 18, 10, 30, 43, 362);
	int64_t want[] = { base + 240 * TD_TICKS_PER_MIN, base - 330 * TD_TICKS_PER_MIN, base,
			   utc(2019, 10, 18, 10, 30, 43, 0) + 3622734, utc(2019, 1, 8, 11, 30, 43, 500),
			   utc(2019, 10, 18, 11, 30, 43, 0) };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct td_time t = { 0 };
		/* Every case twice: parsed, then from the date cache. */
		struct td_cm_date_cache cache = { .len = 0 };
		bool ok = td_cm_parse_time(td_str_cstr(cases[i].time), td_str_cstr(cases[i].date),
					   &cache, &t);
		struct td_time t2 = { 0 };
		bool ok2 = td_cm_parse_time(td_str_cstr(cases[i].time), td_str_cstr(cases[i].date),
					    &cache, &t2);
		ck_assert(ok == ok2 && t.ticks == t2.ticks);
		ck_assert_msg(ok == cases[i].ok, "case %zu", i);
		if (!ok)
			continue;
		ck_assert_msg(t.ticks == want[i], "case %zu ticks", i);
		ck_assert_int_eq(t.zone, cases[i].zone);
		ck_assert_int_eq(t.digits, cases[i].digits);
	}
}
END_TEST

START_TEST(multiline_and_xml_messages)
{
	const char *in =
		"<![LOG[Failed to save the current environment block.\r\nThe parameter is incorrect. "
		"(Error: 80070057; Source: Windows)]LOG]!><time=\"22:55:38.363+480\" date=\"12-06-2019\" "
		"component=\"TSMBootstrap\" context=\"\" type=\"3\" thread=\"1876\" file=\"tslogging.cpp:1457\">\r\n"
		"<![LOG[Received reply body '<ContentLocationReply SchemaVersion=\"1.00\"><Sites/>"
		"</ContentLocationReply>']LOG]!><time=\"22:55:39.000+480\" date=\"12-06-2019\" component=\"CcmSetup\" "
		"context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n"
		"<![LOG[bare\rCR and\nLF only]LOG]!><time=\"16:52:13.000+000\" date=\"02-07-2024\" "
		"component=\"LiteTouch\" context=\"\" type=\"1\" thread=\"\" file=\"LiteTouch\">\n";
	struct td_test_events t;
	td_test_parse(&td_parser_cmtrace, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_str_eq(t.ev[0].message, "Failed to save the current environment block.\r\n"
					  "The parameter is incorrect. (Error: 80070057; Source: Windows)");
	ck_assert_uint_eq(t.ev[0].line, 1);
	ck_assert_uint_eq(t.ev[0].line_end, 2);
	ck_assert_str_eq(t.ev[1].message,
			 "Received reply body '<ContentLocationReply SchemaVersion=\"1.00\"><Sites/>"
			 "</ContentLocationReply>'");
	ck_assert_uint_eq(t.ev[1].line, 3);
	ck_assert_ptr_null(td_test_field(&t.ev[1], "file"));
	ck_assert_str_eq(t.ev[2].message, "bare\rCR and\nLF only");
	ck_assert_ptr_null(td_test_field(&t.ev[2], "thread"));
	ck_assert_str_eq(td_test_field(&t.ev[2], "file"), "LiteTouch");
	ck_assert_uint_eq(t.ev[2].line, 4);
	ck_assert_uint_eq(t.ev[2].line_end, 5);
	td_test_events_release(&t);
}
END_TEST

START_TEST(upper_case_attributes_and_order)
{
	const char *in = "<![LOG[IME message]LOG]!><TIME=\"11:16:42.3322734\" DATE=\"4-1-2026\" "
			 "COMPONENT=\"AppWorkload\" TYPE=\"2\" THREAD=\"7\">\r\n"
			 "<![LOG[swapped]LOG]!><type=\"1\" component=\"X\" date=\"04-01-2026\" time=\"01:02:03.004+0\">\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_CMTRACE);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_str_eq(t.ev[0].provider, "AppWorkload");
	ck_assert_int_eq(t.ev[0].level, TD_LEVEL_WARNING);
	ck_assert_int_eq(t.ev[0].zone, TD_ZONE_LOCAL);
	ck_assert_int_eq(t.ev[0].digits, 7);
	ck_assert_int_eq(t.ev[1].ticks, utc(2026, 4, 1, 1, 2, 3, 4));
	ck_assert_str_eq(t.ev[1].provider, "X");
	td_test_events_release(&t);
}
END_TEST

START_TEST(junk_and_malformed_records_are_kept)
{
	const char *in = "ROLLOVER\r\n"
			 "<![LOG[good]LOG]!><time=\"01:00:00.000+0\" date=\"01-01-2024\" component=\"A\" type=\"1\">\r\n"
			 "garbage between records\r\n"
			 "<![LOG[bad attrs]LOG]!><time=01:00 date=x>\r\n"
			 "<![LOG[no end marker\r\n"
			 "<![LOG[bad time]LOG]!><time=\"99:00:00.000+0\" date=\"01-01-2024\" component=\"A\" type=\"1\">\r\n"
			 "<![LOG[cut at the end";
	struct td_test_events t;
	td_test_parse(&td_parser_cmtrace, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 7);
	ck_assert_str_eq(t.ev[0].message, "ROLLOVER");
	ck_assert_str_eq(t.ev[1].message, "good");
	ck_assert_str_eq(t.ev[2].message, "garbage between records");
	ck_assert_uint_eq(t.ev[2].line, 3);
	ck_assert_str_eq(t.ev[3].message, "bad attrs");
	ck_assert_str_eq(t.ev[4].message, "no end marker\r\n");
	ck_assert_uint_eq(t.ev[4].line, 5);
	ck_assert_str_eq(t.ev[5].message, "bad time");
	ck_assert_int_eq(t.ev[5].zone, TD_ZONE_NONE);
	ck_assert_str_eq(t.ev[6].message, "cut at the end");
	ck_assert_uint_eq(t.diag.n, 4);
	ck_assert_uint_eq(t.diag.items[0].line, 4);
	ck_assert(strstr(t.diag.items[0].msg, "malformed attribute block") != NULL);
	ck_assert(strstr(t.diag.items[1].msg, "no end marker") != NULL);
	ck_assert(strstr(t.diag.items[2].msg, "unreadable time") != NULL);
	ck_assert(strstr(t.diag.items[3].msg, "truncated record") != NULL);
	td_test_events_release(&t);
}
END_TEST

static const char *const shapes[] = {
	"<![LOG[m]LOG]!><time=\"10:30:43.362+240\" date=\"10-18-2019\" component=\"C\" context=\"\" "
	"type=\"1\" thread=\"1\" file=\"f.cpp:1\">\r\n",
	"<![LOG[a\r\nb]LOG]!><time=\"10:30:43.362-60\" date=\"1-8-2019\" component=\"C\" type=\"3\">\n"
	"<![LOG[c]LOG]!><time=\"10:30:43\" date=\"1-8-2019\">",
	"junk\n<![LOG[<x a=\"1\"/>]LOG]!><TIME=\"10:30:43.3622734\" DATE=\"4-1-2026\">\r\nROLLOVER\r\n",
};

START_TEST(every_truncation)
{
	td_test_truncations(&td_parser_cmtrace, shapes[_i], strlen(shapes[_i]), 4);
}
END_TEST

/* A record across the first window boundary is emitted once and whole, and
 * UTF-16 input gives the same events. */
START_TEST(window_boundary_and_utf16)
{
	size_t cap = TD_WINDOW + (1 << 20), n = 0;
	char *big = malloc(cap);
	size_t records = 0;
	while (n < TD_WINDOW + 100000) {
		n += (size_t)snprintf(big + n, cap - n,
				      "<![LOG[record %zu with a long enough message to fill the window\r\n"
				      "second line]LOG]!><time=\"10:00:00.000+60\" date=\"03-05-2024\" "
				      "component=\"Big\" context=\"\" type=\"1\" thread=\"%zu\" file=\"\">\r\n",
				      records, records);
		records++;
	}
	struct td_test_events t;
	td_test_parse(NULL, big, n, &t);
	ck_assert_uint_eq(t.n, records);
	ck_assert_uint_eq(t.diag.n, 0);
	for (size_t i = 0; i < t.n; i++) {
		char want[100];
		snprintf(want, sizeof(want),
			 "record %zu with a long enough message to fill the window\r\nsecond line", i);
		ck_assert_str_eq(t.ev[i].message, want);
		ck_assert_uint_eq(t.ev[i].line, 2 * i + 1);
	}
	td_test_events_release(&t);

	/* The first 200 records again, as UTF-16LE with a BOM. */
	size_t small = 0;
	for (size_t i = 0, seen = 0; small < n && seen < 200; small++)
		if (big[small] == '>' && small + 2 < n && big[small + 1] == '\r')
			seen++, small += 2, i++;
	size_t wlen;
	unsigned char *wide = td_test_utf16le(big, small, 1, &wlen);
	td_test_parse(NULL, wide, wlen, &t);
	ck_assert_int_eq(t.info.format, TD_FMT_CMTRACE);
	ck_assert_uint_eq(t.n, 200);
	ck_assert_str_eq(td_test_field(&t.ev[199], "thread"), "199");
	ck_assert_uint_eq(t.ev[1].offset, 2 + 2 * (size_t)(strstr(big + 1, "<![LOG[") - big));
	td_test_events_release(&t);
	free(wide);
	free(big);
}
END_TEST

/* The real public CMTrace logs: every record is found, nothing is an error. */
START_TEST(real_corpus)
{
	const char *files[] = { "ErnestoLeon87__log_reader__smsts.log", "brackdk04__hello-world__smsts.log",
				"jimbocalvo__Reddit__ccmsetup.log", "maxmoonACR__MDTLOGFiles__BDD.log",
				"maxmoonACR__MDTLOGFiles__smsts.log" };
	for (size_t i = 0; i < 5; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/text/cmtrace/%s", TD_TEST_CORPUS_DIR, files[i]);
		size_t len;
		char *data = td_test_read_file(path, &len);
		if (!data) {
			fprintf(stderr, "corpus file %s absent: skipped\n", path);
			continue;
		}
		/* Every record has exactly one end marker, also those whose start
		 * was lost in the file. */
		size_t markers = 0;
		for (const char *p = data; (p = memmem(p, len - (size_t)(p - data), "]LOG]!>", 7)); p++)
			markers++;
		struct td_test_events t;
		td_test_parse(NULL, data, len, &t);
		ck_assert_int_eq(t.info.format, TD_FMT_CMTRACE);
		ck_assert_msg(t.n == markers, "%s: %zu events, %zu records", files[i], t.n, markers);
		ck_assert_msg(t.diag.count[TD_DIAG_ERROR] == 0 && t.diag.count[TD_DIAG_WARNING] == 0,
			      "%s: %s", files[i], t.diag.n ? t.diag.items[0].msg : "");
		for (size_t k = 0; k < t.n; k++)
			ck_assert_int_ne(t.ev[k].zone, TD_ZONE_NONE);
		td_test_events_release(&t);
		free(data);
	}
}
END_TEST

Suite *cmtrace_suite(void)
{
	Suite *s = suite_create("cmtrace");
	TCase *tc = tcase_create("cmtrace");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, single_records_and_fields);
	tcase_add_test(tc, time_forms);
	tcase_add_test(tc, multiline_and_xml_messages);
	tcase_add_test(tc, upper_case_attributes_and_order);
	tcase_add_test(tc, junk_and_malformed_records_are_kept);
	tcase_add_loop_test(tc, every_truncation, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, window_boundary_and_utf16);
	tcase_add_test(tc, real_corpus);
	suite_add_tcase(s, tc);
	return s;
}
