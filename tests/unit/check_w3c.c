/* Unit tests for parsers/w3c.c (IIS W3C request logs, HTTP.sys error logs). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "testutil.h"

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	int64_t t;
	ck_assert(td_time_from_civil(y, mo, d, h, mi, s, 0, &t));
	return t;
}

#define IIS_HEAD                                                                                   \
	"#Software: Microsoft Internet Information Services 10.0\r\n"                              \
	"#Version: 1.0\r\n"                                                                        \
	"#Date: 2024-03-05 09:00:00\r\n"                                                           \
	"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "      \
	"cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken "            \
	"s-computername crypt-protocol crypt-cipher crypt-hash crypt-keyexchange\r\n"

static const char iis_log[] =
	IIS_HEAD
	"2024-03-05 09:00:01 10.0.0.5 POST /ClientWebService/client.asmx - 443 - 10.0.1.17 "
	"Windows-Update-Agent/7.6.7600.320+Client-Protocol/1.21 - 200 0 0 12175 WSUS01 40 6610 "
	"8004 ae06\r\n"
	"2024-03-05 09:00:02 10.0.0.5 GET /selfupdate/wuident.cab x=1 443 CONTOSO\\svc 10.0.1.22 "
	"Mozilla/5.0+(Windows+NT+10.0) https://intranet/ 404 3 2 31 WSUS01 400 660e 800c ae06\r\n"
	"2024-03-05 09:00:03 10.0.0.5 GET / - 80 - 10.0.1.23 - - 503 0 64 15 WSUS01 - - - -\r\n"
	"2024-03-05 09:00:04 10.0.0.5 GET /a - 443 - 10.0.1.24 - - 302 0 0 1 WSUS01 1000 6610 "
	"800d ae06\r\n";

START_TEST(requests_fields_time_level)
{
	struct td_test_events t;
	td_test_parse(NULL, iis_log, strlen(iis_log), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_W3C);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_uint_eq(t.n, 4);
	struct td_test_event *e = &t.ev[0];
	ck_assert_uint_eq(e->line, 5);
	ck_assert_uint_eq(e->record, 1);
	ck_assert_uint_eq(e->offset, strlen(IIS_HEAD));
	ck_assert_int_eq(e->ticks, utc(2024, 3, 5, 9, 0, 1));
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_str_eq(e->time_text, "2024-03-05 09:00:01");
	ck_assert_int_eq(e->level, TD_LEVEL_INFO);
	ck_assert_str_eq(e->provider, "Microsoft Internet Information Services 10.0");
	ck_assert_str_eq(e->host, "WSUS01");
	ck_assert_uint_eq(e->nfields, 20);
	ck_assert_str_eq(td_test_field(e, "c-ip"), "10.0.1.17");
	ck_assert_str_eq(td_test_field(e, "crypt-protocol"), "40");
	ck_assert_str_eq(td_test_field(e, "crypt-cipher"), "6610");
	ck_assert_str_eq(td_test_field(e, "sc-status"), "200");
	ck_assert_str_eq(td_test_field(e, "time-taken"), "12175");
	/* '+' in the user agent is a space; '-' is empty. */
	ck_assert_str_eq(td_test_field(e, "cs(User-Agent)"),
			 "Windows-Update-Agent/7.6.7600.320 Client-Protocol/1.21");
	ck_assert_str_eq(td_test_field(e, "cs-uri-query"), "");
	ck_assert_str_eq(td_test_field(e, "cs(Referer)"), "");
	ck_assert_str_eq(e->message, "POST /ClientWebService/client.asmx -> 200.0 client 10.0.1.17 "
				     "TLS 1.0 (crypt-protocol 40) user agent "
				     "\"Windows-Update-Agent/7.6.7600.320 Client-Protocol/1.21\"");
	e = &t.ev[1];
	ck_assert_int_eq(e->level, TD_LEVEL_WARNING);
	ck_assert_str_eq(td_test_field(e, "cs-username"), "CONTOSO\\svc");
	ck_assert_str_eq(td_test_field(e, "cs(Referer)"), "https://intranet/");
	ck_assert_str_eq(e->message, "GET /selfupdate/wuident.cab?x=1 -> 404.3 client 10.0.1.22 "
				     "TLS 1.2 (crypt-protocol 400) user agent "
				     "\"Mozilla/5.0 (Windows NT 10.0)\"");
	e = &t.ev[2];
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_str_eq(td_test_field(e, "crypt-protocol"), "");
	ck_assert_str_eq(e->message, "GET / -> 503.0 client 10.0.1.23");
	e = &t.ev[3];
	ck_assert_int_eq(e->level, TD_LEVEL_INFO);
	ck_assert(strstr(e->message, "TLS 1.3 (crypt-protocol 1000)") != NULL);
	td_test_events_release(&t);
}
END_TEST

/* A restarted site writes a new header with other columns in the same file. */
START_TEST(fields_change_mid_file)
{
	const char *in = "#Software: Microsoft Internet Information Services 8.5\n"
			 "#Fields: date time c-ip sc-status\n"
			 "2024-03-05 09:00:01 10.0.0.1 200\n"
			 "#Software: Microsoft Internet Information Services 10.0\n"
			 "#Version: 1.0\n"
			 "#Date: 2024-03-06 00:00:00\n"
			 "#Fields: time c-ip cs-method cs-uri-stem sc-status crypt-protocol\n"
			 "10:11:12 10.0.0.2 GET /x 500 100\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_W3C);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.ev[0].nfields, 4);
	ck_assert_ptr_null(td_test_field(&t.ev[0], "crypt-protocol"));
	ck_assert_str_eq(t.ev[0].provider, "Microsoft Internet Information Services 8.5");
	ck_assert_str_eq(t.ev[0].message, "- - -> 200 client 10.0.0.1");
	ck_assert_uint_eq(t.ev[1].nfields, 6);
	ck_assert_ptr_null(td_test_field(&t.ev[1], "date"));
	ck_assert_str_eq(td_test_field(&t.ev[1], "cs-uri-stem"), "/x");
	ck_assert_str_eq(td_test_field(&t.ev[1], "crypt-protocol"), "100");
	ck_assert_str_eq(t.ev[1].provider, "Microsoft Internet Information Services 10.0");
	/* No date column: the date of #Date. */
	ck_assert_int_eq(t.ev[1].ticks, utc(2024, 3, 6, 10, 11, 12));
	ck_assert_int_eq(t.ev[1].level, TD_LEVEL_ERROR);
	ck_assert_uint_eq(t.ev[1].line, 8);
	ck_assert_str_eq(t.ev[1].message,
			 "GET /x -> 500 client 10.0.0.2 TLS 1.1 (crypt-protocol 100)");
	td_test_events_release(&t);
}
END_TEST

/* The same log with LF, CRLF and no final line break gives the same events. */
START_TEST(line_endings)
{
	struct td_test_events crlf, lf;
	td_test_parse(NULL, iis_log, strlen(iis_log), &crlf);
	char *copy = malloc(sizeof(iis_log));
	size_t n = 0;
	for (const char *p = iis_log; *p; p++)
		if (*p != '\r')
			copy[n++] = *p;
	n--; /* drop the last LF too */
	td_test_parse(NULL, copy, n, &lf);
	ck_assert_uint_eq(lf.info.format, TD_FMT_W3C);
	ck_assert_uint_eq(lf.n, crlf.n);
	ck_assert_uint_eq(lf.diag.n, 0);
	for (size_t i = 0; i < lf.n; i++) {
		ck_assert_str_eq(lf.ev[i].message, crlf.ev[i].message);
		ck_assert_uint_eq(lf.ev[i].line, crlf.ev[i].line);
		ck_assert_uint_eq(lf.ev[i].nfields, crlf.ev[i].nfields);
		for (size_t k = 0; k < lf.ev[i].nfields; k++)
			ck_assert_str_eq(lf.ev[i].fields[k].value, crlf.ev[i].fields[k].value);
	}
	td_test_events_release(&crlf);
	td_test_events_release(&lf);
	free(copy);
}
END_TEST

START_TEST(utf16le)
{
	for (int bom = 0; bom <= 1; bom++) {
		size_t ulen;
		unsigned char *u = td_test_utf16le(iis_log, strlen(iis_log), bom, &ulen);
		struct td_test_events t;
		td_test_parse(NULL, u, ulen, &t);
		ck_assert_int_eq(t.info.format, TD_FMT_W3C);
		ck_assert_int_eq(t.info.encoding, bom ? TD_ENC_UTF16LE_BOM : TD_ENC_UTF16LE);
		ck_assert_uint_eq(t.n, 4);
		ck_assert_uint_eq(t.diag.n, 0);
		ck_assert_str_eq(td_test_field(&t.ev[0], "crypt-protocol"), "40");
		/* Offsets are in the original (UTF-16) bytes. */
		ck_assert_uint_eq(t.ev[0].offset, (bom ? 2 : 0) + 2 * strlen(IIS_HEAD));
		free(u);
		td_test_events_release(&t);
	}
}
END_TEST

START_TEST(bad_lines_warn_with_line)
{
	const char *in = "#Software: Microsoft Internet Information Services 10.0\n"
			 "orphan before the header\n"
			 "#Fields: date time c-ip sc-status\n"
			 "2024-03-05 09:00:01 10.0.0.1 200\n"
			 "2024-03-05 09:00:02 10.0.0.1\n"
			 "2024-03-05 09:00:03 10.0.0.1 200 extra\n"
			 "2024-13-05 09:00:04 10.0.0.1 200\n"
			 "#Fields:\n"
			 "2024-03-05 09:00:05 10.0.0.1 200\n";
	struct td_test_events t;
	td_test_parse(&td_parser_w3c, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 6);
	ck_assert_str_eq(t.ev[0].message, "orphan before the header");
	ck_assert_uint_eq(t.ev[0].line, 2);
	ck_assert_uint_eq(t.ev[0].nfields, 0);
	ck_assert_str_eq(t.ev[2].message, "2024-03-05 09:00:02 10.0.0.1");
	ck_assert_uint_eq(t.ev[2].nfields, 0);
	ck_assert_str_eq(t.ev[3].message, "2024-03-05 09:00:03 10.0.0.1 200 extra");
	ck_assert_int_eq(t.ev[4].zone, TD_ZONE_NONE);
	ck_assert_uint_eq(t.ev[4].nfields, 4);
	ck_assert_uint_eq(t.diag.n, 6);
	const uint64_t lines[] = { 2, 5, 6, 7, 8, 9 };
	const char *what[] = { "before any #Fields", "3 values for 4 fields",
			       "5 values for 4 fields",
			       "unreadable date or time '2024-13-05 09:00:04'",
			       "#Fields names no column", "before any #Fields" };
	for (size_t i = 0; i < 6; i++) {
		ck_assert_uint_eq(t.diag.items[i].line, lines[i]);
		ck_assert_msg(strstr(t.diag.items[i].msg, what[i]) != NULL, "%s",
			      t.diag.items[i].msg);
	}
	ck_assert(strstr(t.diag.items[1].msg, "'2024-03-05 09:00:02 10.0.0.1'") != NULL);
	td_test_events_release(&t);
}
END_TEST

/* HTTP.sys error log: same directives, a reason instead of a user agent. */
START_TEST(httperr_log)
{
	const char *in = "#Software: Microsoft HTTP API 2.0\r\n"
			 "#Version: 1.0\r\n"
			 "#Date: 2024-03-05 09:00:00\r\n"
			 "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri "
			 "streamid sc-status s-siteid s-reason s-queuename\r\n"
			 "2024-03-05 09:05:00 10.0.1.17 50123 10.0.0.5 443 - - - - - - "
			 "Timer_ConnectionIdle -\r\n"
			 "2024-03-05 09:06:00 10.0.1.18 50124 10.0.0.5 443 HTTP/1.1 GET /x - 503 1 "
			 "AppOffline DefaultAppPool\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_W3C);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_str_eq(t.ev[0].provider, "Microsoft HTTP API 2.0");
	ck_assert_int_eq(t.ev[0].level, TD_LEVEL_WARNING);
	ck_assert_str_eq(t.ev[0].message, "- - client 10.0.1.17 reason Timer_ConnectionIdle");
	ck_assert_int_eq(t.ev[1].level, TD_LEVEL_ERROR);
	ck_assert_str_eq(t.ev[1].message, "GET /x -> 503 client 10.0.1.18 reason AppOffline");
	ck_assert_str_eq(td_test_field(&t.ev[1], "s-queuename"), "DefaultAppPool");
	td_test_events_release(&t);
}
END_TEST

START_TEST(protocol_names)
{
	static const struct {
		const char *hex, *name;
	} cases[] = {
		{ "4", "SSL 2.0" },	 { "10", "SSL 3.0" },	{ "40", "TLS 1.0" },
		{ "100", "TLS 1.1" },	 { "400", "TLS 1.2" },	{ "1000", "TLS 1.3" },
		{ "0x400", "TLS 1.2" },	 { "800", "unknown protocol" },
		{ "zz", "unknown protocol" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char in[256];
		snprintf(in, sizeof(in), "#Fields: date time c-ip crypt-protocol\n"
					 "2024-03-05 09:00:01 10.0.0.1 %s\n", cases[i].hex);
		char want[128];
		snprintf(want, sizeof(want), "- - client 10.0.0.1 %s (crypt-protocol %s)",
			 cases[i].name, cases[i].hex);
		struct td_test_events t;
		td_test_parse(NULL, in, strlen(in), &t);
		ck_assert_uint_eq(t.n, 1);
		ck_assert_str_eq(t.ev[0].message, want);
		ck_assert_int_eq(t.ev[0].level, TD_LEVEL_NONE);
		td_test_events_release(&t);
	}
}
END_TEST

START_TEST(too_many_columns)
{
	char in[4096] = "#Fields:";
	for (int i = 0; i < 70; i++)
		snprintf(in + strlen(in), sizeof(in) - strlen(in), " x-%d", i);
	strcat(in, "\n");
	for (int i = 0; i < 70; i++)
		strcat(in, " v");
	strcat(in, "\n");
	struct td_test_events t;
	td_test_parse(&td_parser_w3c, in, strlen(in), &t);
	ck_assert_uint_eq(t.diag.n, 2);
	ck_assert(strstr(t.diag.items[0].msg, "6 columns after the first 64 ignored") != NULL);
	ck_assert_uint_eq(t.diag.items[0].line, 1);
	ck_assert(strstr(t.diag.items[1].msg, "70 values for 64 fields") != NULL);
	ck_assert_uint_eq(t.n, 1);
	td_test_events_release(&t);
}
END_TEST

START_TEST(sniffing)
{
	ck_assert_ptr_eq(td_parser_sniff(td_str_cstr(iis_log)), &td_parser_w3c);
	ck_assert_ptr_eq(td_parser_sniff(TD_STR_LIT("#Software: Microsoft HTTP API 2.0\n"
						    "#Version: 1.0\n")),
			 &td_parser_w3c);
	ck_assert_ptr_ne(td_parser_sniff(TD_STR_LIT("# a comment\nsee #Fields: below\n")),
			 &td_parser_w3c);
	ck_assert_ptr_eq(td_parser_for(TD_FMT_W3C), &td_parser_w3c);
	ck_assert_str_eq(td_format_name(TD_FMT_W3C), "w3c");
}
END_TEST

static const char *const shapes[] = {
	iis_log,
	"#Fields: time c-ip cs(User-Agent)\n#Date: 2024-03-05\n01:02:03 ::1 a+b\r\n"
	"#Fields: date\nbad line here\n",
	"x\n#Fields: date time sc-status\r\n2024-03-05 09:00:01 500",
};

START_TEST(every_truncation)
{
	td_test_truncations(&td_parser_w3c, shapes[_i], strlen(shapes[_i]), 8);
}
END_TEST

/* Many requests across the first window: each emitted once, lines right. */
START_TEST(window_boundary)
{
	const char *row = "2024-03-05 09:00:01 10.0.0.1 GET /x 200 40\n";
	size_t rows = TD_WINDOW / strlen(row) + 1000;
	size_t cap = strlen(row) * rows + 100, n = 0;
	char *big = malloc(cap);
	n += (size_t)snprintf(big, cap, "#Fields: date time c-ip cs-method cs-uri-stem sc-status "
					"crypt-protocol\n");
	for (size_t i = 0; i < rows; i++)
		n += (size_t)snprintf(big + n, cap - n, "%s", row);
	struct td_test_events t;
	td_test_parse(&td_parser_w3c, big, n, &t);
	ck_assert_uint_eq(t.n, rows);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_uint_eq(t.ev[rows - 1].line, rows + 1);
	ck_assert_str_eq(td_test_field(&t.ev[rows - 1], "crypt-protocol"), "40");
	td_test_events_release(&t);
	free(big);
}
END_TEST

Suite *w3c_suite(void)
{
	Suite *s = suite_create("w3c");
	TCase *tc = tcase_create("w3c");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, requests_fields_time_level);
	tcase_add_test(tc, fields_change_mid_file);
	tcase_add_test(tc, line_endings);
	tcase_add_test(tc, utf16le);
	tcase_add_test(tc, bad_lines_warn_with_line);
	tcase_add_test(tc, httperr_log);
	tcase_add_test(tc, protocol_names);
	tcase_add_test(tc, too_many_columns);
	tcase_add_test(tc, sniffing);
	tcase_add_loop_test(tc, every_truncation, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, window_boundary);
	suite_add_tcase(s, tc);
	return s;
}
