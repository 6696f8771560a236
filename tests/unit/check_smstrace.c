/* Unit tests for parsers/smstrace.c. */
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

START_TEST(lines_and_fields)
{
	const char *in =
		"---->: An event has occurred, the event code is: 0x1  $$<SMS_SITE_SYSTEM_STATUS_SUMMARIZER>"
		"<12-06-2016 03:11:46.039+300><thread=4840 (0x12E8)>\r\n"
		"[SQL Server Native Client 11.0]TCP Provider: An existing connection was forcibly closed by "
		"the remote host.~~  $$<Configuration Manager Setup><03-05-2024 10:12:00.907-60><thread=1234>\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_SMSTRACE);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.diag.n, 0);
	struct td_test_event *e = &t.ev[0];
	ck_assert_str_eq(e->message, "---->: An event has occurred, the event code is: 0x1");
	ck_assert_str_eq(e->provider, "SMS_SITE_SYSTEM_STATUS_SUMMARIZER");
	ck_assert_str_eq(td_test_field(e, "thread"), "4840");
	ck_assert_str_eq(td_test_field(e, "thread_hex"), "12E8");
	ck_assert_int_eq(e->ticks, utc(2016, 12, 6, 8, 11, 46, 39));
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_str_eq(e->time_text, "12-06-2016 03:11:46.039+300");
	ck_assert_int_eq(e->level, TD_LEVEL_NONE);
	e = &t.ev[1];
	ck_assert_str_eq(e->message, "[SQL Server Native Client 11.0]TCP Provider: An existing "
				     "connection was forcibly closed by the remote host.");
	ck_assert_str_eq(e->provider, "Configuration Manager Setup");
	ck_assert_ptr_null(td_test_field(e, "thread_hex"));
	ck_assert_int_eq(e->ticks, utc(2024, 3, 5, 9, 12, 0, 907));
	ck_assert_uint_eq(e->line, 2);
	td_test_events_release(&t);
}
END_TEST

START_TEST(continuations_wrapping_and_old_stamps)
{
	const char *in =
		"first line of a message\r\n"
		"second line ~SQL Msg #3606> ~\r\n"
		"last line  $$<SMS_STATUS_MANAGER><03-05-2024 10:00:00.000+0><thread=1 (0x1)>\r\n"
		"ROLLOVER\r\n"
		"\r\n"
		"wrapped KB excerpt text\r\n"
		"  $$<SMS_SITE_COMPONENT_MANAGER><Fri Mar 26 10:43:41.547 1999 Eastern Standard Time><thread=281 (0x119)>\r\n"
		"orphan text at the end\r\n"
		"and another";
	struct td_test_events t;
	td_test_parse(&td_parser_smstrace, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_str_eq(t.ev[0].message,
			 "first line of a message\r\nsecond line ~SQL Msg #3606> ~\r\nlast line");
	ck_assert_uint_eq(t.ev[0].line, 1);
	ck_assert_uint_eq(t.ev[0].line_end, 3);
	ck_assert_uint_eq(t.ev[0].offset, 0);
	ck_assert_str_eq(t.ev[1].message, "wrapped KB excerpt text");
	ck_assert_str_eq(t.ev[1].provider, "SMS_SITE_COMPONENT_MANAGER");
	ck_assert_int_eq(t.ev[1].zone, TD_ZONE_LOCAL);
	ck_assert_int_eq(t.ev[1].ticks, utc(1999, 3, 26, 10, 43, 41, 547));
	ck_assert_uint_eq(t.ev[1].line, 6);
	ck_assert_uint_eq(t.ev[1].line_end, 7);
	ck_assert_str_eq(t.ev[2].message, "orphan text at the end");
	ck_assert_uint_eq(t.ev[2].line, 8);
	ck_assert_str_eq(t.ev[3].message, "and another");
	ck_assert_uint_eq(t.diag.n, 0);
	td_test_events_release(&t);
}
END_TEST

START_TEST(bad_stamps_and_metadata)
{
	const char *in = "bad stamp  $$<C><13-45-2024 10:00:00.000+0><thread=1 (0x1)>\n"
			 "bad meta  $$<C<x><thread=1>\n";
	struct td_test_events t;
	td_test_parse(&td_parser_smstrace, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_str_eq(t.ev[0].message, "bad stamp");
	ck_assert_int_eq(t.ev[0].zone, TD_ZONE_NONE);
	ck_assert_str_eq(t.ev[1].message, "bad meta");
	ck_assert_uint_eq(t.diag.n, 2);
	ck_assert(strstr(t.diag.items[0].msg, "unreadable time stamp") != NULL);
	ck_assert(strstr(t.diag.items[1].msg, "malformed metadata") != NULL);
	ck_assert_uint_eq(t.diag.items[1].line, 2);
	td_test_events_release(&t);
}
END_TEST

START_TEST(stamp_forms)
{
	struct td_time t;
	ck_assert(td_cm_parse_stamp(TD_STR_LIT("03-05-2024 10:00:00.000-330"), &t));
	ck_assert_int_eq(t.ticks, utc(2024, 3, 5, 4, 30, 0, 0));
	ck_assert(td_cm_parse_stamp(TD_STR_LIT("3-5-2024 10:00:00.5+00"), &t));
	ck_assert(td_cm_parse_stamp(TD_STR_LIT("Mon Jan 4 01:02:03 2021 Pacific Standard Time"), &t));
	ck_assert_int_eq(t.ticks, utc(2021, 1, 4, 1, 2, 3, 0));
	ck_assert(!td_cm_parse_stamp(TD_STR_LIT("Mon Foo 4 01:02:03 2021 X"), &t));
	ck_assert(!td_cm_parse_stamp(TD_STR_LIT("03-05-2024"), &t));
	ck_assert(!td_cm_parse_stamp(TD_STR_LIT(""), &t));
}
END_TEST

START_TEST(sniffing_keeps_formats_apart)
{
	const char *cm = "<![LOG[x $$<a><b><thread=1>]LOG]!><time=\"10:30:43.362+240\" date=\"10-18-2019\">\r\n";
	const char *sms = "x  $$<C><03-05-2024 10:00:00.000+0><thread=1 (0x1)>\r\n";
	ck_assert_ptr_eq(td_parser_sniff(td_str_cstr(cm)), &td_parser_cmtrace);
	ck_assert_ptr_eq(td_parser_sniff(td_str_cstr(sms)), &td_parser_smstrace);
	ck_assert_ptr_eq(td_parser_sniff(TD_STR_LIT("just text\nmore text\n")), &td_parser_plain);
}
END_TEST

static const char *const shapes[] = {
	"msg  $$<C><03-05-2024 10:00:00.000+0><thread=1 (0x1)>\r\n",
	"a\r\nb~~  $$<C><03-05-2024 10:00:00.000+0><thread=12>\nROLLOVER\n",
	"  $$<C><Fri Mar 26 10:43:41.547 1999 Eastern Standard Time><thread=281 (0x119)>\r\ntail",
};

START_TEST(every_truncation)
{
	td_test_truncations(&td_parser_smstrace, shapes[_i], strlen(shapes[_i]), 4);
}
END_TEST

/* A multi-line message across the first window is emitted once and whole. */
START_TEST(window_boundary)
{
	size_t cap = TD_WINDOW + (1 << 20), n = 0, records = 0;
	char *big = malloc(cap);
	while (n < TD_WINDOW + 100000) {
		n += (size_t)snprintf(big + n, cap - n,
				      "record %zu first line\r\nrecord %zu second line  $$<Big><03-05-2024 "
				      "10:00:00.000+60><thread=%zu (0x1)>\r\n",
				      records, records, records);
		records++;
	}
	struct td_test_events t;
	td_test_parse(NULL, big, n, &t);
	ck_assert_uint_eq(t.n, records);
	for (size_t i = 0; i < t.n; i += 997) {
		char want[100];
		snprintf(want, sizeof(want), "record %zu first line\r\nrecord %zu second line", i, i);
		ck_assert_str_eq(t.ev[i].message, want);
		ck_assert_uint_eq(t.ev[i].line, 2 * i + 1);
	}
	td_test_events_release(&t);
	free(big);
}
END_TEST

Suite *smstrace_suite(void)
{
	Suite *s = suite_create("smstrace");
	TCase *tc = tcase_create("smstrace");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, lines_and_fields);
	tcase_add_test(tc, continuations_wrapping_and_old_stamps);
	tcase_add_test(tc, bad_stamps_and_metadata);
	tcase_add_test(tc, stamp_forms);
	tcase_add_test(tc, sniffing_keeps_formats_apart);
	tcase_add_loop_test(tc, every_truncation, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, window_boundary);
	suite_add_tcase(s, tc);
	return s;
}
