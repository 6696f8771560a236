/* Unit tests for parsers/apptext.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "testutil.h"

static int64_t civil(int y, int mo, int d, int h, int mi, int s, int ms)
{
	int64_t t;
	ck_assert(td_time_from_civil(y, mo, d, h, mi, s, (int64_t)ms * 10000, &t));
	return t;
}

START_TEST(wsus_log_with_exception_chain)
{
	const char *in =
		"2024-03-05 10:00:00.000 UTC\tInfo\tWsusService.21\tCatalogSyncAgent.SyncUpdates\tProcessed 10 of 20\r\n"
		"2024-03-05 10:00:01.250 UTC\tError\tw3wp.46\tSoapUtilities.CreateException\tThrowException: actor = https://sws.update.microsoft.com/\r\n"
		"System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send. ---> "
		"System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly "
		"closed by the remote host. ---> System.Net.Sockets.SocketException: An existing connection was forcibly closed by the remote host\r\n"
		"   at System.Net.Sockets.Socket.Receive(Byte[] buffer, Int32 offset, Int32 size, SocketFlags socketFlags)\r\n"
		"   --- End of inner exception stack trace ---\r\n"
		"2024-03-05 10:00:02.000 UTC\tInfo\tWsusService.21\tCatalogSyncAgent.SyncUpdates\tdone\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_APPTEXT);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_uint_eq(t.diag.n, 0);
	struct td_test_event *e = &t.ev[0];
	ck_assert_str_eq(e->message, "Processed 10 of 20");
	ck_assert_str_eq(e->provider, "CatalogSyncAgent.SyncUpdates");
	ck_assert_int_eq(e->level, TD_LEVEL_INFO);
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_int_eq(e->ticks, civil(2024, 3, 5, 10, 0, 0, 0));
	e = &t.ev[1];
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_str_eq(e->provider, "SoapUtilities.CreateException");
	ck_assert(strncmp(e->message, "ThrowException: actor = https://sws.update.microsoft.com/\r\nSystem.Net.WebException:", 82) == 0);
	ck_assert(strstr(e->message, "--- End of inner exception stack trace ---") != NULL);
	ck_assert_uint_eq(e->line, 2);
	ck_assert_uint_eq(e->line_end, 5);
	ck_assert_str_eq(td_test_field(e, "exception"), "System.Net.WebException");
	ck_assert_uint_eq(t.ev[2].line, 6);
	td_test_events_release(&t);
}
END_TEST

START_TEST(bare_exception_dump_and_sqlclient)
{
	const char *in =
		"Connecting to the database...\n"
		"Microsoft.Data.SqlClient.SqlException (0x80131904): A connection was successfully established with the "
		"server, but then an error occurred during the pre-login handshake. (provider: SSL Provider, error: 31 - "
		"Encryption(ssl/tls) handshake failed)\n"
		" ---> System.IO.IOException: Received an unexpected EOF or 0 bytes from the transport stream.\n"
		"   at System.Net.Security.SslStream.ReceiveBlobAsync[TIOAdapter](TIOAdapter adapter)\n"
		"ClientConnectionId:8d6e0d4a-4b6e-4c8e-9c1e-2f3a4b5c6d7e\n"
		"Error Number:31,State:0,Class:20\n"
		"Giving up.\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_APPTEXT);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(t.ev[0].message, "Connecting to the database...");
	struct td_test_event *e = &t.ev[1];
	ck_assert(strncmp(e->message, "Microsoft.Data.SqlClient.SqlException (0x80131904): A connection", 64) == 0);
	ck_assert(strstr(e->message, "Error Number:31,State:0,Class:20") != NULL);
	ck_assert_uint_eq(e->line, 2);
	ck_assert_uint_eq(e->line_end, 6);
	ck_assert_str_eq(td_test_field(e, "exception"), "Microsoft.Data.SqlClient.SqlException");
	ck_assert_str_eq(td_test_field(e, "hresult"), "0x80131904");
	ck_assert_int_eq(e->zone, TD_ZONE_NONE);
	ck_assert_str_eq(t.ev[2].message, "Giving up.");
	td_test_events_release(&t);
}
END_TEST

START_TEST(container_and_quote_prefixes)
{
	const char *in =
		"Base_backend.1.l4u8xyz    | 2021-05-04T10:11:12.123Z ERROR Api.Startup - Unhandled exception\n"
		"Base_backend.1.l4u8xyz    | System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception.\n"
		"Base_backend.1.l4u8xyz    |    at System.Net.Security.SslStream.ForceAuthentication()\n"
		"> > 2021-05-04 10:11:13,500 [7] WARN Db.Pool - retrying\n"
		"2021-01-01T00:00:00.000000000Z stdout F 2021-05-04T10:11:14+02:00 INFO started\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_APPTEXT);
	ck_assert_uint_eq(t.n, 3);
	struct td_test_event *e = &t.ev[0];
	ck_assert_str_eq(e->message,
			 "Unhandled exception\n"
			 "System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception.\n"
			 "   at System.Net.Security.SslStream.ForceAuthentication()");
	ck_assert_str_eq(td_test_field(e, "container"), "Base_backend.1.l4u8xyz");
	ck_assert_str_eq(e->provider, "Api.Startup");
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_str_eq(td_test_field(e, "exception"), "System.Security.Authentication.AuthenticationException");
	e = &t.ev[1];
	ck_assert_str_eq(e->message, "retrying");
	ck_assert_int_eq(e->level, TD_LEVEL_WARNING);
	ck_assert_str_eq(e->provider, "Db.Pool");
	ck_assert_int_eq(e->digits, 3);
	ck_assert_int_eq(e->zone, TD_ZONE_LOCAL);
	e = &t.ev[2];
	ck_assert_str_eq(e->message, "started");
	ck_assert_int_eq(e->ticks, civil(2021, 5, 4, 8, 11, 14, 0));
	td_test_events_release(&t);
}
END_TEST

START_TEST(other_date_forms)
{
	const char *in =
		"8/5/2020 5:16:37 AM Something happened\n"
		"8/5/2020 5:16:37 PM Later\n"
		"[2020/08/05 17:16:37.5] bracketed\n"
		"05.08.2020 17:16:37 dotted day first\n"
		"13/45/2020 1:00:00 not a date\n";
	struct td_test_events t;
	td_test_parse(&td_parser_apptext, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_int_eq(t.ev[0].ticks, civil(2020, 8, 5, 5, 16, 37, 0));
	ck_assert_str_eq(t.ev[0].message, "Something happened");
	ck_assert_int_eq(t.ev[1].ticks, civil(2020, 8, 5, 17, 16, 37, 0));
	ck_assert_int_eq(t.ev[2].ticks, civil(2020, 8, 5, 17, 16, 37, 500));
	ck_assert_str_eq(t.ev[2].message, "bracketed");
	ck_assert_int_eq(t.ev[3].ticks, civil(2020, 8, 5, 17, 16, 37, 0));
	/* The line with an impossible date continues the previous record. */
	ck_assert(strstr(t.ev[3].message, "not a date") != NULL);
	td_test_events_release(&t);
}
END_TEST

START_TEST(sniffing)
{
	ck_assert_ptr_eq(td_parser_sniff(TD_STR_LIT("2024-01-01 10:00:00 a\n2024-01-01 10:00:01 b\n")),
			 &td_parser_apptext);
	ck_assert_ptr_eq(td_parser_sniff(TD_STR_LIT("System.Net.WebException: x\n   at Foo.Bar()\n")),
			 &td_parser_apptext);
	ck_assert_ptr_eq(td_parser_sniff(TD_STR_LIT("<?xml version=\"1.0\"?>\n<a/>\n")), &td_parser_plain);
	ck_assert_ptr_eq(td_parser_sniff(TD_STR_LIT("hello\nworld\n")), &td_parser_plain);
	ck_assert_ptr_eq(td_parser_sniff(TD_STR_LIT("2024-03-05 10:12:00.90 Logon       x\n"
						    "2024-03-05 10:12:00.91 spid5s      y\n")),
			 &td_parser_errorlog);
}
END_TEST

static const char *const shapes[] = {
	"2024-03-05 10:00:01.250 UTC\tError\tw3wp.46\tC.D\tmsg\r\nSystem.Exception: x\r\n   at A.B()\r\n",
	"x\nSystem.Net.WebException (0x80004005): y\n ---> z\n   at q\nnext\n",
	"n.1.a   | 2021-05-04T10:11:12Z ERROR L - m\nn.1.a   |    at X\n> 8/5/2020 5:16:37 AM s\n",
};

START_TEST(every_truncation)
{
	td_test_truncations(&td_parser_apptext, shapes[_i], strlen(shapes[_i]), 4);
}
END_TEST

/* A long exception chain across the first window boundary. */
START_TEST(window_boundary_and_utf16)
{
	size_t cap = TD_WINDOW + (1 << 20), n = 0, records = 0;
	char *big = malloc(cap);
	while (n < TD_WINDOW + 100000) {
		n += (size_t)snprintf(big + n, cap - n,
				      "2024-03-05 10:00:01.250 ERROR record %zu\r\n"
				      "System.Net.WebException: boom %zu\r\n   at A.B()\r\n   at C.D()\r\n",
				      records, records);
		records++;
	}
	struct td_test_events t;
	td_test_parse(NULL, big, n, &t);
	ck_assert_int_eq(t.info.format, TD_FMT_APPTEXT);
	ck_assert_uint_eq(t.n, records);
	for (size_t i = 0; i < t.n; i += 501) {
		char want[128];
		snprintf(want, sizeof(want),
			 "record %zu\r\nSystem.Net.WebException: boom %zu\r\n   at A.B()\r\n   at C.D()", i, i);
		ck_assert_str_eq(t.ev[i].message, want);
	}
	td_test_events_release(&t);
	/* UTF-16LE without a BOM gives the same first events. */
	size_t wlen;
	unsigned char *w = td_test_utf16le(big, 2000, 0, &wlen);
	td_test_parse(NULL, w, wlen, &t);
	ck_assert_int_eq(t.info.format, TD_FMT_APPTEXT);
	ck_assert_str_eq(t.ev[0].message, "record 0\r\nSystem.Net.WebException: boom 0\r\n   at A.B()\r\n   at C.D()");
	td_test_events_release(&t);
	free(w);
	free(big);
}
END_TEST

Suite *apptext_suite(void)
{
	Suite *s = suite_create("apptext");
	TCase *tc = tcase_create("apptext");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, wsus_log_with_exception_chain);
	tcase_add_test(tc, bare_exception_dump_and_sqlclient);
	tcase_add_test(tc, container_and_quote_prefixes);
	tcase_add_test(tc, other_date_forms);
	tcase_add_test(tc, sniffing);
	tcase_add_loop_test(tc, every_truncation, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, window_boundary_and_utf16);
	suite_add_tcase(s, tc);
	return s;
}
