/* Unit tests for parsers/regfile.c (.reg exports and reg query output). */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
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

/* Every bit of WinHTTP's DefaultSecureProtocols, and the usual masks. */
START_TEST(protocol_mask_bits)
{
	static const struct {
		const char *dword, *want;
	} cases[] = {
		{ "00000008", "SSL 2.0" },	 { "00000020", "SSL 3.0" },
		{ "00000080", "TLS 1.0" },	 { "00000200", "TLS 1.1" },
		{ "00000800", "TLS 1.2" },	 { "00002000", "TLS 1.3" },
		{ "000000a0", "SSL 3.0, TLS 1.0" }, { "00000a00", "TLS 1.1, TLS 1.2" },
		{ "00000a80", "TLS 1.0, TLS 1.1, TLS 1.2" },
		{ "00002800", "TLS 1.2, TLS 1.3" }, { "00000000", "none" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char in[512];
		snprintf(in, sizeof(in),
			 "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\"
			 "Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp]\r\n"
			 "\"DefaultSecureProtocols\"=dword:%s\r\n\"Other\"=dword:%s\r\n",
			 cases[i].dword, cases[i].dword);
		struct td_test_events t;
		td_test_parse(NULL, in, strlen(in), &t);
		ck_assert_uint_eq(t.n, 2);
		ck_assert_str_eq(td_test_field(&t.ev[0], "protocols"), cases[i].want);
		ck_assert_ptr_null(td_test_field(&t.ev[1], "protocols"));
		td_test_events_release(&t);
	}
}
END_TEST

START_TEST(machine_facts)
{
	const char *in = "Windows Registry Editor Version 5.00\r\n\r\n"
			 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n"
			 "\"ProductName\"=\"Windows Server 2016 Datacenter\"\r\n"
			 "\"CurrentBuild\"=\"14393\"\r\n\"UBR\"=dword:00000dd6\r\n"
			 "\"SystemRoot\"=\"C:\\\\Windows\"\r\n\r\n"
			 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full]\r\n"
			 "\"Release\"=dword:00070bf0\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 5);
	ck_assert_str_eq(td_test_field(&t.ev[0], "fact.windows.productname"),
			 "Windows Server 2016 Datacenter");
	ck_assert_str_eq(td_test_field(&t.ev[1], "fact.windows.currentbuild"), "14393");
	ck_assert_str_eq(td_test_field(&t.ev[2], "fact.windows.ubr"), "3542");
	ck_assert_ptr_null(td_test_field(&t.ev[3], "fact.windows.systemroot"));
	ck_assert_str_eq(td_test_field(&t.ev[4], "fact.dotnet.release"), "461808");
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
	tcase_add_test(tc, protocol_mask_bits);
	tcase_add_test(tc, machine_facts);
	tcase_add_test(tc, every_truncation_is_safe);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
