/* Unit tests for parsers/errorlog.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "testutil.h"

static int64_t utc(int y, int mo, int d, int h, int mi, int s, int cs)
{
	int64_t t;
	ck_assert(td_time_from_civil(y, mo, d, h, mi, s, (int64_t)cs * 100000, &t));
	return t;
}

static const char banner_log[] =
	"2024-03-05 09:02:11.84 Server      Microsoft SQL Server 2012 (SP2) (KB2958429) - 11.0.5058.0 (X64) \r\n"
	"\tJun 14 2014 13:51:04 \r\n"
	"\tCopyright (c) Microsoft Corporation\r\n"
	"\tStandard Edition (64-bit) on Windows NT 6.3 <X64> (Build 9600: ) (Hypervisor)\r\n"
	"\r\n"
	"2024-03-05 09:02:12.18 Server      UTC adjustment: -5:00\r\n"
	"2024-03-05 09:02:13.40 spid9s      Starting up database 'master'.\r\n"
	"2024-03-05 09:02:14.20 spid34s     Server name is 'CM01-SQL\\INST1'. This is an informational message only.\r\n"
	"2024-03-05 10:12:00.90 Logon       Error: 17194, Severity: 16, State: 1.\r\n"
	"2024-03-05 10:12:00.90 Logon       The server was unable to load the SSL provider library. 0x2746. [CLIENT: 10.0.0.21]\r\n"
	"2024-03-05 10:13:00.00 spid51      Error: 18204, Severity: 21, State: 1.\r\n"
	"2024-03-05 10:13:00.01 spid52      Something else.\r\n"
	"2024-03-05 10:14:00.00 Server      Error: 17182, Severity: 16, State: 1.\r\n";

START_TEST(banner_pairs_and_time)
{
	struct td_test_events t;
	td_test_parse(NULL, banner_log, strlen(banner_log), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_ERRORLOG);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_uint_eq(t.n, 8);
	struct td_test_event *e = &t.ev[0];
	ck_assert(strncmp(e->message, "Microsoft SQL Server 2012 (SP2) (KB2958429) - 11.0.5058.0 (X64)", 63) == 0);
	ck_assert(strstr(e->message, "Standard Edition (64-bit)") != NULL);
	ck_assert_uint_eq(e->line, 1);
	ck_assert_uint_eq(e->line_end, 4);
	ck_assert_str_eq(td_test_field(e, "fact.sql_server.version"), "11.0.5058.0");
	ck_assert_str_eq(td_test_field(e, "fact.sql_server.product"), "Microsoft SQL Server 2012 (SP2) (KB2958429)");
	ck_assert_str_eq(td_test_field(e, "fact.sql_server.edition"), "Standard Edition (64-bit)");
	ck_assert_str_eq(td_test_field(e, "fact.sql_server.os"), "Windows NT 6.3 <X64> (Build 9600: ) (Hypervisor)");
	/* UTC adjustment -5:00 (local - UTC) applies from the banner on. */
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_int_eq(e->ticks, utc(2024, 3, 5, 14, 2, 11, 84));
	ck_assert_int_eq(e->digits, 2);
	ck_assert_str_eq(e->time_text, "2024-03-05 09:02:11.84");
	ck_assert_str_eq(e->provider, "Server");
	ck_assert_str_eq(td_test_field(&t.ev[1], "fact.sql_server.utc_adjustment"), "-5:00");
	ck_assert_str_eq(td_test_field(&t.ev[2], "spid"), "9");
	ck_assert_str_eq(td_test_field(&t.ev[3], "fact.sql_server.server_name"), "CM01-SQL\\INST1");
	ck_assert_str_eq(t.ev[3].host, "CM01-SQL");
	/* The Error: header and its text are one event. */
	e = &t.ev[4];
	ck_assert_str_eq(e->message, "The server was unable to load the SSL provider library. 0x2746. [CLIENT: 10.0.0.21]");
	ck_assert_str_eq(td_test_field(e, "error"), "17194");
	ck_assert_str_eq(td_test_field(e, "severity"), "16");
	ck_assert_str_eq(td_test_field(e, "state"), "1");
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_uint_eq(e->line, 9);
	ck_assert_uint_eq(e->line_end, 10);
	ck_assert_str_eq(e->host, "CM01-SQL");
	/* An Error: header whose next entry has another stamp stays alone. */
	e = &t.ev[5];
	ck_assert_str_eq(e->message, "Error: 18204, Severity: 21, State: 1.");
	ck_assert_int_eq(e->level, TD_LEVEL_CRITICAL);
	ck_assert_str_eq(t.ev[6].message, "Something else.");
	ck_assert_str_eq(t.ev[7].message, "Error: 17182, Severity: 16, State: 1.");
	ck_assert_str_eq(td_test_field(&t.ev[7], "error"), "17182");
	td_test_events_release(&t);
}
END_TEST

START_TEST(pasted_logs)
{
	/* Collapsed padding, two entries on one line, a date inside a message,
	 * no UTC adjustment. */
	const char *in =
		"2018-10-16 09:06:42.54 spid19s Error: 17182, Severity: 16, State: 1. 2018-10-16 09:06:42.54 spid19s TDSSNIClient initialization failed with error 0x80092004, status code 0x80.\n"
		"2018-10-16 09:06:43.00 spid7s CHECKDB finished without errors on 2018-10-15 02:00:00.123 (local time).\n"
		"2018-10-16 09:06:44.00 spid7s Next 2018-10-16 09:06:45.00 spid8s joined again\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_ERRORLOG);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_str_eq(t.ev[0].message, "TDSSNIClient initialization failed with error 0x80092004, status code 0x80.");
	ck_assert_str_eq(td_test_field(&t.ev[0], "error"), "17182");
	ck_assert_int_eq(t.ev[0].zone, TD_ZONE_LOCAL);
	ck_assert_int_eq(t.ev[0].ticks, utc(2018, 10, 16, 9, 6, 42, 54));
	ck_assert_str_eq(t.ev[1].message, "CHECKDB finished without errors on 2018-10-15 02:00:00.123 (local time).");
	ck_assert_str_eq(t.ev[2].message, "Next");
	ck_assert_str_eq(t.ev[3].message, "joined again");
	ck_assert_str_eq(t.ev[3].provider, "spid8s");
	ck_assert_uint_eq(t.ev[3].line, 3);
	td_test_events_release(&t);
}
END_TEST

/* A localised ERRORLOG: the Error header is paired by its shape (three
 * labelled numbers), so the error number is a field whatever the language;
 * a line that only looks similar is not a header. */
START_TEST(localised_error_headers)
{
	const char *in =
		"2024-03-05 10:14:00.00 Server      Fehler: 17182, Schweregrad: 16, Status: 1.\n"
		"2024-03-05 10:14:00.00 Server      TDSSNIClient-Initialisierung mit Fehler 0x80092004 fehlgeschlagen.\n"
		"2024-03-05 10:15:00.00 Server      Erreur : 26011, Gravit\xc3\xa9 : 16, \xc3\x89tat : 1.\n"
		"2024-03-05 10:15:00.00 Server      Le serveur n'a pas pu initialiser le chiffrement.\n"
		"2024-03-05 10:16:00.00 Server      \xe3\x82\xa8\xe3\x83\xa9\xe3\x83\xbc: 17194\xe3\x80\x81\xe9\x87\x8d\xe5\xa4\xa7\xe5\xba\xa6: 16\xe3\x80\x81\xe7\x8a\xb6\xe6\x85\x8b: 1\xe3\x80\x82\n"
		"2024-03-05 10:16:00.00 Server      0x2746\n"
		"2024-03-05 10:17:00.00 Server      Recovery: 1, done: 2, left: 3 databases.\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_ERRORLOG);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_str_eq(td_test_field(&t.ev[0], "error"), "17182");
	ck_assert_str_eq(t.ev[0].message, "TDSSNIClient-Initialisierung mit Fehler 0x80092004 fehlgeschlagen.");
	ck_assert_str_eq(td_test_field(&t.ev[1], "error"), "26011");
	ck_assert_str_eq(td_test_field(&t.ev[1], "severity"), "16");
	ck_assert_str_eq(td_test_field(&t.ev[2], "error"), "17194");
	ck_assert_ptr_null(td_test_field(&t.ev[3], "error"));
	td_test_events_release(&t);
}
END_TEST

START_TEST(adjustment_signs_and_sessions)
{
	const char *in =
		"junk before the first entry\n"
		"2022-04-28 09:01:36.52 Server      Microsoft SQL Server 2019 (RTM-CU15) (KB5008996) - 15.0.4198.2 (X64) \n"
		"\tDeveloper Edition (64-bit) on Linux (Ubuntu 20.04.3 LTS) <X64>\n"
		"2022-04-28 09:01:36.52 Server      UTC adjustment: 4:00\n"
		"2022-04-28 09:01:37.17 Server      Successfully initialized the TLS configuration. Allowed TLS protocol versions are ['1.0 1.1 1.2']. Allowed TLS ciphers are ['X'].\n"
		"2022-04-28 10:00:00.00 Server      Microsoft SQL Server 2019 (RTM-CU15) (KB5008996) - 15.0.4198.2 (X64) \n"
		"2022-04-28 10:00:00.01 Server      UTC adjustment: 0:00\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 6);
	ck_assert_str_eq(t.ev[0].message, "junk before the first entry");
	ck_assert_int_eq(t.ev[1].ticks, utc(2022, 4, 28, 5, 1, 36, 52));
	ck_assert_str_eq(td_test_field(&t.ev[1], "fact.sql_server.os"), "Linux (Ubuntu 20.04.3 LTS) <X64>");
	ck_assert_str_eq(td_test_field(&t.ev[3], "fact.sql_server.tls_protocols"), "1.0 1.1 1.2");
	/* The second session has its own adjustment. */
	ck_assert_int_eq(t.ev[4].ticks, utc(2022, 4, 28, 10, 0, 0, 0));
	ck_assert_int_eq(t.ev[5].zone, TD_ZONE_UTC);
	td_test_events_release(&t);
}
END_TEST

static const char *const shapes[] = {
	"2024-03-05 10:12:00.90 Logon       Error: 17194, Severity: 16, State: 1.\r\n"
	"2024-03-05 10:12:00.90 Logon       The server was unable.\r\n",
	"2024-03-05 09:02:11.84 Server      Microsoft SQL Server 2012 (SP2) - 11.0.5058.0 (X64) \r\n"
	"\tStandard Edition (64-bit) on Windows NT 6.3 <X64>\r\n\r\n"
	"2024-03-05 09:02:12.18 Server      UTC adjustment: -5:00\r\n",
	"x\n2018-10-16 09:06:42.54 a b 2018-10-16 09:06:42.54 c d\n",
};

START_TEST(every_truncation)
{
	td_test_truncations(&td_parser_errorlog, shapes[_i], strlen(shapes[_i]), 4);
}
END_TEST

static char *to_utf16(const char *s, size_t n, bool bom, size_t *out_len)
{
	char *w = malloc(2 * n + 2);
	size_t o = 0;
	if (bom) {
		w[o++] = (char)0xFF;
		w[o++] = (char)0xFE;
	}
	for (size_t i = 0; i < n; i++) {
		w[o++] = s[i];
		w[o++] = 0;
	}
	*out_len = o;
	return w;
}

START_TEST(encodings_give_the_same_events)
{
	struct td_test_events a, b, c;
	size_t n = strlen(banner_log), wl, wl2;
	td_test_parse(NULL, banner_log, n, &a);
	char *w = to_utf16(banner_log, n, true, &wl);
	td_test_parse(NULL, w, wl, &b);
	char *w2 = to_utf16(banner_log, n, false, &wl2);
	td_test_parse(NULL, w2, wl2, &c);
	ck_assert_int_eq(b.info.encoding, TD_ENC_UTF16LE_BOM);
	ck_assert_int_eq(c.info.encoding, TD_ENC_UTF16LE);
	ck_assert_int_eq(c.info.format, TD_FMT_ERRORLOG);
	ck_assert_uint_eq(a.n, b.n);
	ck_assert_uint_eq(a.n, c.n);
	for (size_t i = 0; i < a.n; i++) {
		ck_assert_str_eq(a.ev[i].message, b.ev[i].message);
		ck_assert_str_eq(a.ev[i].message, c.ev[i].message);
		ck_assert_int_eq(a.ev[i].ticks, b.ev[i].ticks);
		ck_assert_uint_eq(b.ev[i].offset, 2 + 2 * a.ev[i].offset);
		ck_assert_uint_eq(c.ev[i].offset, 2 * a.ev[i].offset);
		ck_assert_uint_eq(a.ev[i].line, c.ev[i].line);
	}
	td_test_events_release(&a);
	td_test_events_release(&b);
	td_test_events_release(&c);
	free(w);
	free(w2);
}
END_TEST

/* Pairs and continuations across the first window boundary. */
START_TEST(window_boundary)
{
	size_t cap = TD_WINDOW + (1 << 20), n = 0, pairs = 0;
	char *big = malloc(cap);
	while (n < TD_WINDOW + 100000) {
		n += (size_t)snprintf(big + n, cap - n,
				      "2024-03-05 10:12:00.90 Logon       Error: 17194, Severity: 16, State: 1.\r\n"
				      "2024-03-05 10:12:00.90 Logon       pair %zu text\r\n"
				      "2024-03-05 10:12:01.00 Server      banner-like entry %zu\r\n\tcontinued\r\n",
				      pairs, pairs);
		pairs++;
	}
	struct td_test_events t;
	td_test_parse(NULL, big, n, &t);
	ck_assert_uint_eq(t.n, 2 * pairs);
	for (size_t i = 0; i < pairs; i++) {
		char want[64];
		snprintf(want, sizeof(want), "pair %zu text", i);
		ck_assert_str_eq(t.ev[2 * i].message, want);
		ck_assert_str_eq(td_test_field(&t.ev[2 * i], "error"), "17194");
		ck_assert_uint_eq(t.ev[2 * i + 1].line_end, 4 * i + 4);
	}
	td_test_events_release(&t);
	free(big);
}
END_TEST

/* Lines that start with "YYYY-MM-DD hh:mm:ss.cc ", in UTF-8 or UTF-16LE. */
static size_t count_stamped_lines(const char *data, size_t len)
{
	size_t step = len >= 2 && (unsigned char)data[0] == 0xFF ? 2 : 1;
	size_t n = 0;
	for (size_t i = step == 2 ? 2 : 0; i + 23 * step <= len; i += step) {
		if (i > (step == 2 ? 2u : 0u) && data[i - step] != '\n')
			continue;
		static const char shape[] = "dddd-dd-dd dd:dd:dd.dd ";
		bool ok = true;
		for (size_t k = 0; k < 23 && ok; k++) {
			char c = data[i + k * step];
			ok = shape[k] == 'd' ? (c >= '0' && c <= '9') : c == shape[k];
		}
		n += ok;
	}
	return n;
}

/* The Windows version and build in the banner's OS text, in the shapes
 * SQL Server 2005 to 2022 write; none for Linux or an unreadable text. */
START_TEST(windows_version_from_banner)
{
	static const struct {
		const char *os, *version, *build; /* NULL: no such fact */
	} cases[] = {
		{ "Windows Server 2012 R2 Standard 6.3 <X64> (Build 9600: ) (Hypervisor)", "6.3",
		  "9600" },
		{ "Windows NT 6.1 <X64> (Build 7601: Service Pack 1)", "6.1", "7601" },
		{ "Windows 10 Enterprise 10.0 <X64> (Build 19045: )", "10.0", "19045" },
		{ "Windows Server 2019 Datacenter 10.0 <X64> (Build 17763: ) (Hypervisor)", "10.0",
		  "17763" },
		{ "Windows NT 5.2 (Build 3790: Service Pack 2)", "5.2", "3790" },
		{ "Windows NT 6.0 <X86> (Build 6002: Service Pack 2) (VM)", "6.0", "6002" },
		{ "Linux (Ubuntu 20.04.3 LTS) <X64>", NULL, NULL },
		{ "Linux (Ubuntu 16.04.4 LTS)", NULL, NULL },
		{ "Windows Server 2016 Datacenter <X64> (Build 14393: )", NULL, "14393" },
		{ "Windows NT 6.3 <X64> (Build : )", "6.3", NULL },
		{ "Windows NT 6.3 <X64>", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char in[512];
		snprintf(in, sizeof(in),
			 "2024-03-05 09:02:11.84 Server      Microsoft SQL Server 2019 "
			 "(RTM-CU20) - 15.0.4312.2 (X64) \r\n\tApr  1 2023 12:10:46 \r\n"
			 "\tCopyright (C) 2019 Microsoft Corporation\r\n"
			 "\tEnterprise Edition (64-bit) on %s\r\n\r\n"
			 "2024-03-05 09:02:12.18 Server      UTC adjustment: 1:00\r\n",
			 cases[i].os);
		struct td_test_events t;
		td_test_parse(NULL, in, strlen(in), &t);
		ck_assert_uint_eq(t.n, 2);
		ck_assert_str_eq(td_test_field(&t.ev[0], "fact.sql_server.os"), cases[i].os);
		const char *ver = td_test_field(&t.ev[0], "fact.windows.version");
		const char *build = td_test_field(&t.ev[0], "fact.windows.currentbuild");
		const char *want_ver = cases[i].version, *want_build = cases[i].build;
		ck_assert_msg(want_ver ? ver && strcmp(ver, want_ver) == 0 : !ver,
			      "case %zu: version %s", i, ver ? ver : "(none)");
		ck_assert_msg(want_build ? build && strcmp(build, want_build) == 0 : !build,
			      "case %zu: build %s", i, build ? build : "(none)");
		ck_assert_ptr_null(td_test_field(&t.ev[1], "fact.windows.version"));
		td_test_events_release(&t);
	}
}
END_TEST

/* The real public ERRORLOGs: one event per entry, the banner's version
 * recorded, no diagnostics. */
START_TEST(real_corpus)
{
	const char *files[] = {
		"Tamadhir10__Library-Management-System---DB-Project-Part1__ERRORLOG",
		"alzahra25__LibraryManagementSystem__ERRORLOG",
		"jfuerlinger__demo-realworldapp__log__errorlog",
		"khitam99__DB_Project__ERRORLOG",
		"nezaYSR__openldap-mssql__log__errorlog",
		"tonyleesos__docker_mssql2019__log__errorlog",
		"tonyleesos__docker_mssql2019__log__errorlog.1",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/text/sql_errorlog/%s", TD_TEST_CORPUS_DIR, files[i]);
		size_t len;
		char *data = td_test_read_file(path, &len);
		if (!data) {
			fprintf(stderr, "corpus file %s absent: skipped\n", path);
			continue;
		}
		struct td_test_events t;
		td_test_parse(NULL, data, len, &t);
		ck_assert_int_eq(t.info.format, TD_FMT_ERRORLOG);
		ck_assert_msg(t.diag.n == 0, "%s: %s", files[i], t.diag.n ? t.diag.items[0].msg : "");
		ck_assert_ptr_nonnull(td_test_field(&t.ev[0], "fact.sql_server.version"));
		/* Windows hosts tell their version and build; Linux hosts not. */
		const char *os = td_test_field(&t.ev[0], "fact.sql_server.os");
		ck_assert_ptr_nonnull(os);
		bool windows = strncmp(os, "Windows", 7) == 0;
		const char *ver = td_test_field(&t.ev[0], "fact.windows.version");
		const char *build = td_test_field(&t.ev[0], "fact.windows.currentbuild");
		ck_assert_int_eq(ver != NULL, windows);
		ck_assert_int_eq(build != NULL, windows);
		ck_assert_int_eq(t.ev[0].zone, TD_ZONE_UTC);
		size_t errors = 0;
		for (size_t k = 0; k < t.n; k++)
			errors += td_test_field(&t.ev[k], "error") != NULL;
		for (size_t k = 0; k < t.n; k++)
			ck_assert_int_ne(t.ev[k].zone, TD_ZONE_NONE);
		/* Every stamped line is an event, except the text lines paired
		 * with an Error: header. */
		size_t stamped = count_stamped_lines(data, len);
		ck_assert_msg(t.n + errors == stamped, "%s: %zu events + %zu pairs, %zu stamped lines",
			      files[i], t.n, errors, stamped);
		td_test_events_release(&t);
		free(data);
	}
}
END_TEST

Suite *errorlog_suite(void)
{
	Suite *s = suite_create("errorlog");
	TCase *tc = tcase_create("errorlog");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, banner_pairs_and_time);
	tcase_add_test(tc, pasted_logs);
	tcase_add_test(tc, localised_error_headers);
	tcase_add_test(tc, adjustment_signs_and_sessions);
	tcase_add_loop_test(tc, every_truncation, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, encodings_give_the_same_events);
	tcase_add_test(tc, window_boundary);
	tcase_add_test(tc, windows_version_from_banner);
	tcase_add_test(tc, real_corpus);
	suite_add_tcase(s, tc);
	return s;
}
