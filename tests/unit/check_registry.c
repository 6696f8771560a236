/* Unit tests for parsers/regfile.c (.reg exports and reg query output). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "testutil.h"

static const char reg[] =
	"Windows Registry Editor Version 5.00\r\n\r\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\"
	"Protocols\\TLS 1.2\\Client]\r\n"
	"\"Enabled\"=dword:00000000\r\n"
	"\"DisabledByDefault\"=dword:00000001\r\n\r\n"
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319]\r\n"
	"\"SchUseStrongCrypto\"=dword:ffffffff\r\n"
	"\"Path\"=\"C:\\\\Windows \\\"x\\\"\"\r\n"
	"\"Order\"=hex(7):54,00,4c,00,53,00,00,00,41,00,\\\r\n"
	"  00,00,00,00\r\n"
	"\"Q\"=hex(b):00,08,00,00,00,00,00,00\r\n"
	"@=\"default\"\r\n"
	"\"Gone\"=-\r\n\r\n"
	"[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Old]\r\n";

START_TEST(reg_export_in_utf16)
{
	size_t ulen;
	unsigned char *u = td_test_utf16le(reg, strlen(reg), 1, &ulen);
	struct td_test_events t;
	td_test_parse(NULL, u, ulen, &t);
	ck_assert_int_eq(t.info.format, TD_FMT_REGISTRY);
	ck_assert_uint_eq(t.n, 9);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_str_eq(td_test_field(&t.ev[0], "key"),
			 "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\"
			 "SCHANNEL\\Protocols\\TLS 1.2\\Client");
	ck_assert_str_eq(td_test_field(&t.ev[0], "value"), "Enabled");
	ck_assert_str_eq(td_test_field(&t.ev[0], "data"), "0");
	ck_assert_str_eq(td_test_field(&t.ev[2], "data"), "4294967295");
	ck_assert_str_eq(td_test_field(&t.ev[3], "data"), "C:\\Windows \"x\"");
	ck_assert_str_eq(td_test_field(&t.ev[4], "type"), "REG_MULTI_SZ");
	ck_assert_str_eq(td_test_field(&t.ev[4], "data"), "TLS\nA");
	ck_assert_uint_eq(t.ev[4].line, 10);
	ck_assert_uint_eq(t.ev[4].line_end, 11);
	ck_assert_str_eq(td_test_field(&t.ev[5], "data"), "2048");
	ck_assert_str_eq(td_test_field(&t.ev[6], "value"), "");
	ck_assert_str_eq(td_test_field(&t.ev[7], "deleted"), "true");
	ck_assert_str_eq(t.ev[8].message, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Old deleted");
	td_test_events_release(&t);
	free(u);
}
END_TEST

START_TEST(reg_query_output)
{
	const char *in = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
			 "Internet Settings\\WinHttp\r\n"
			 "    DefaultSecureProtocols    REG_DWORD    0xa00\r\n"
			 "    (Default)    REG_SZ    \r\n"
			 "    Multi    REG_MULTI_SZ    a\\0b\r\n\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_REGISTRY);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(td_test_field(&t.ev[0], "value"), "DefaultSecureProtocols");
	ck_assert_str_eq(td_test_field(&t.ev[0], "data"), "2560");
	ck_assert_str_eq(td_test_field(&t.ev[1], "value"), "");
	ck_assert_str_eq(td_test_field(&t.ev[2], "data"), "a\nb");
	ck_assert_uint_eq(t.ev[0].line, 3);
	td_test_events_release(&t);
}
END_TEST

START_TEST(every_truncation_is_safe)
{
	td_test_truncations(&td_parser_registry, reg, strlen(reg), 12);
}
END_TEST

Suite *registry_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");
	tcase_add_test(tc, reg_export_in_utf16);
	tcase_add_test(tc, reg_query_output);
	tcase_add_test(tc, every_truncation_is_safe);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
