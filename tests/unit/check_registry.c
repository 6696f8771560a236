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

/* SQL client driver versions, wherever the 64-bit and 32-bit views keep
 * them, and the SQL Server drivers ODBC lists as installed (by name). */
START_TEST(sql_client_facts)
{
	static const char in[] =
		"Windows Registry Editor Version 5.00\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Microsoft SQL Server\\SQLNCLI11\\"
		"CurrentVersion]\r\n"
		"\"Version\"=\"11.4.7001.0\"\r\n"
		"\"PatchLevel\"=\"11.4.7001.0\"\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\microsoft sql server\\"
		"sqlncli10\\CurrentVersion]\r\n"
		"\"version\"=\"10.50.6000.34\"\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SQLNCLI11]\r\n"
		"\"InstalledVersion\"=\"11.4.7462.6\"\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSOLEDBSQL]\r\n"
		"\"InstalledVersion\"=\"18.7.4.0\"\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSOLEDBSQL19]\r\n"
		"\"InstalledVersion\"=\"19.3.5.0\"\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\MSODBCSQL17\\]\r\n"
		"\"InstalledVersion\"=\"17.10.6.1\"\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSODBCSQL13]\r\n"
		"\"InstalledVersion\"=\"\"\r\n\r\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\ODBC\\ODBCINST.INI\\ODBC Drivers]\r\n"
		"\"SQL Server\"=\"Installed\"\r\n"
		"\"ODBC Driver 17 for SQL Server\"=\"Installed\"\r\n"
		"\"SQL Server Native Client 11.0\"=\"Installed\"\r\n"
		"\"SQL Native Client\"=\"Installed\"\r\n"
		"\"Microsoft Access Driver (*.mdb, *.accdb)\"=\"Installed\"\r\n"
		"\"ODBC Driver 18 for SQL Server\"=\"Removed\"\r\n"
		"\"SQL Server\"=-\r\n\r\n"
		"[HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Microsoft SQL Server\\SQLNCLI11]\r\n"
		"\"Version\"=\"11.0.2100.60\"\r\n";
	static const struct {
		const char *fact, *value; /* fact NULL: the event has no fact */
	} want[] = {
		{ "fact.sql_client.snac11", "11.4.7001.0" },
		{ NULL, NULL }, /* PatchLevel */
		{ "fact.sql_client.snac10", "10.50.6000.34" },
		{ "fact.sql_client.snac11", "11.4.7462.6" },
		{ "fact.sql_client.msoledbsql", "18.7.4.0" },
		{ "fact.sql_client.msoledbsql", "19.3.5.0" },
		{ "fact.sql_client.msodbcsql", "17.10.6.1" },
		{ NULL, NULL }, /* empty version */
		{ "fact.sql_client.odbc_driver", "SQL Server" },
		{ "fact.sql_client.odbc_driver", "ODBC Driver 17 for SQL Server" },
		{ "fact.sql_client.odbc_driver", "SQL Server Native Client 11.0" },
		{ "fact.sql_client.odbc_driver", "SQL Native Client" },
		{ NULL, NULL }, /* not a SQL Server driver */
		{ NULL, NULL }, /* not "Installed" */
		{ NULL, NULL }, /* deleted */
		{ NULL, NULL }, /* not under CurrentVersion */
	};
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_uint_eq(t.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < t.n; i++) {
		const char *fact = NULL, *value = NULL;
		for (size_t f = 0; f < t.ev[i].nfields; f++) {
			if (strncmp(t.ev[i].fields[f].name, "fact.", 5) != 0)
				continue;
			ck_assert_msg(!fact, "event %zu has two facts", i);
			fact = t.ev[i].fields[f].name;
			value = t.ev[i].fields[f].value;
		}
		if (!want[i].fact) {
			ck_assert_msg(!fact, "event %zu: unexpected %s", i, fact);
			continue;
		}
		ck_assert_msg(fact, "event %zu: no fact", i);
		ck_assert_str_eq(fact, want[i].fact);
		ck_assert_str_eq(value, want[i].value);
	}
	td_test_events_release(&t);
}
END_TEST

/* reg query prints the long hive name and the data after the type. */
START_TEST(sql_client_facts_from_reg_query)
{
	static const char in[] =
		"\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\MSODBCSQL18\r\n"
		"    InstalledVersion    REG_SZ    18.4.1.1\r\n\r\n"
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\ODBC\\ODBCINST.INI\\ODBC Drivers\r\n"
		"    ODBC Driver 18 for SQL Server    REG_SZ    Installed\r\n"
		"    SQL Server    REG_SZ    Installed\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_REGISTRY);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(td_test_field(&t.ev[0], "fact.sql_client.msodbcsql"), "18.4.1.1");
	ck_assert_str_eq(td_test_field(&t.ev[1], "fact.sql_client.odbc_driver"),
			 "ODBC Driver 18 for SQL Server");
	ck_assert_str_eq(td_test_field(&t.ev[2], "fact.sql_client.odbc_driver"), "SQL Server");
	td_test_events_release(&t);
}
END_TEST

/* Regression: a '[' line without ']' (a cut key, or garbage behind a .reg
 * header) set the key and dropped the text silently; text after a key's ']'
 * was dropped too.  Both are kept as text now, with a warning. */
START_TEST(broken_key_lines_are_kept)
{
	const char *in = "Windows Registry Editor Version 5.00\r\n\r\n"
			 "[HKEY_LOCAL_MACHINE\\X no close SSL failed\r\n"
			 "[HKEY_LOCAL_MACHINE\\Y] trailing words\r\n"
			 "\"a\"=dword:00000001\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_REGISTRY);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(t.ev[0].message, "[HKEY_LOCAL_MACHINE\\X no close SSL failed");
	ck_assert_str_eq(t.ev[1].message, "[HKEY_LOCAL_MACHINE\\Y] trailing words");
	ck_assert_str_eq(td_test_field(&t.ev[2], "key"), "HKEY_LOCAL_MACHINE\\Y");
	ck_assert_uint_eq(t.diag.n, 2);
	ck_assert_uint_eq(t.diag.items[0].line, 3);
	ck_assert_uint_eq(t.diag.items[1].line, 4);
	td_test_events_release(&t);
}
END_TEST

/* Regression (valgrind): "REG_DWORD    0x" with no digits printed an
 * uninitialised number as the value's data; it stays as written now. */
START_TEST(reg_query_dword_without_digits)
{
	const char *in = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\X\r\n"
			 "    Enabled    REG_DWORD    0x\r\n\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_REGISTRY);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(td_test_field(&t.ev[0], "data"), "0x");
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
	tcase_add_test(tc, sql_client_facts);
	tcase_add_test(tc, sql_client_facts_from_reg_query);
	tcase_add_test(tc, broken_key_lines_are_kept);
	tcase_add_test(tc, reg_query_dword_without_digits);
	tcase_add_test(tc, every_truncation_is_safe);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
