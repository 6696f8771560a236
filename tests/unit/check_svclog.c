/* Unit tests for parsers/svclog.c (WCF E2ETraceEvent traces). */
#include <check.h>
#include <string.h>

#include "parser.h"
#include "testutil.h"

#define REC_HEAD(sub, lvl, t)                                                                     \
	"<E2ETraceEvent xmlns=\"http://schemas.microsoft.com/2004/06/E2ETraceEvent\"><System "      \
	"xmlns=\"http://schemas.microsoft.com/2004/06/windows/eventlog/system\"><EventID>131075"    \
	"</EventID><Type>3</Type><SubType Name=\"" sub "\">0</SubType><Level>" lvl "</Level>"      \
	"<TimeCreated SystemTime=\"" t "\" /><Source Name=\"System.ServiceModel\" /><Correlation "  \
	"ActivityID=\"{6f0a4c3e-6c2b-4d42-9a57-3b1d0e9c2a11}\" /><Execution ProcessName=\"w3wp\" " \
	"ProcessID=\"3312\" ThreadID=\"17\" /><Channel/><Computer>CM01-APPCAT</Computer></System>"

static const char trace[] =
	REC_HEAD("Start", "255", "2024-03-05T15:30:12.1184211Z")
	"<ApplicationData></ApplicationData></E2ETraceEvent>"
	REC_HEAD("Error", "2", "2024-03-05T15:30:12.4410032Z")
	"<ApplicationData><TraceData><DataItem><TraceRecord xmlns=\"http://schemas.microsoft.com/"
	"2004/10/E2ETraceEvent/TraceRecord\" Severity=\"Error\"><TraceIdentifier>http://msdn."
	"microsoft.com/en-US/library/System.ServiceModel.Diagnostics.ThrowingException.aspx"
	"</TraceIdentifier><Description>Throwing an exception.</Description><AppDomain>/LM/W3SVC/1/"
	"ROOT/CMApplicationCatalog-1-133544</AppDomain><Exception><ExceptionType>System.ServiceModel."
	"Security.SecurityNegotiationException, System.ServiceModel, Version=4.0.0.0</ExceptionType>"
	"<Message>SOAP security negotiation with 'https://cm01/x.svc' failed. See inner exception for "
	"more details.</Message><StackTrace>at X()</StackTrace><ExceptionString>System.ServiceModel."
	"Security.SecurityNegotiationException: SOAP ... ---&gt; System.ComponentModel.Win32Exception:"
	" The client and server cannot communicate</ExceptionString><InnerException><ExceptionType>"
	"System.ComponentModel.Win32Exception, System, Version=4.0.0.0</ExceptionType><Message>The "
	"client and server cannot communicate, because they do not possess a common algorithm"
	"</Message><NativeErrorCode>80090331</NativeErrorCode></InnerException></Exception>"
	"</TraceRecord></DataItem></TraceData></ApplicationData></E2ETraceEvent>";

START_TEST(records_without_line_breaks)
{
	struct td_test_events t;
	td_test_parse(NULL, trace, strlen(trace), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_SVCLOG);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.diag.n, 0);
	ck_assert_int_eq(t.ev[0].level, TD_LEVEL_VERBOSE);
	struct td_test_event *e = &t.ev[1];
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_str_eq(e->provider, "System.ServiceModel");
	ck_assert_str_eq(e->host, "CM01-APPCAT");
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_str_eq(e->message,
			 "Throwing an exception.\n"
			 "System.ServiceModel.Security.SecurityNegotiationException: SOAP security "
			 "negotiation with 'https://cm01/x.svc' failed. See inner exception for more "
			 "details.\n"
			 "System.ComponentModel.Win32Exception: The client and server cannot "
			 "communicate, because they do not possess a common algorithm (native error "
			 "0x80090331)");
	ck_assert_str_eq(td_test_field(e, "NativeErrorCode"), "80090331");
	ck_assert_str_eq(td_test_field(e, "ProcessName"), "w3wp");
	ck_assert_str_eq(td_test_field(e, "ActivityID"), "{6f0a4c3e-6c2b-4d42-9a57-3b1d0e9c2a11}");
	ck_assert_ptr_nonnull(strstr(td_test_field(e, "ExceptionString"), "---> System.Component"));
	ck_assert_uint_eq(e->offset, (size_t)(strstr(trace + 1, "<E2ETraceEvent") - trace));
	td_test_events_release(&t);
}
END_TEST

START_TEST(record_cut_by_a_killed_process)
{
	size_t cut = strlen(trace) - 120;
	struct td_test_events t;
	td_test_parse(NULL, trace, cut, &t);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_ptr_nonnull(strstr(t.ev[1].message, "SOAP security negotiation"));
	ck_assert_uint_ge(t.diag.n, 1);
	td_test_events_release(&t);
}
END_TEST

START_TEST(pretty_printed_records_and_lines)
{
	const char *in =
		"<E2ETraceEvent xmlns=\"http://schemas.microsoft.com/2004/06/E2ETraceEvent\">\n"
		"  <System xmlns=\"http://schemas.microsoft.com/2004/06/windows/eventlog/system\">\n"
		"    <SubType Name=\"Warning\">0</SubType>\n"
		"    <TimeCreated SystemTime=\"2015-02-06T04:57:11.9411740Z\" />\n"
		"    <Source Name=\"System.Net\" />\n"
		"  </System>\n"
		"  <ApplicationData>The remote certificate is invalid according to the validation "
		"procedure.</ApplicationData>\n"
		"</E2ETraceEvent>\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.ev[0].level, TD_LEVEL_WARNING);
	ck_assert_uint_eq(t.ev[0].line, 1);
	ck_assert_uint_eq(t.ev[0].line_end, 8);
	ck_assert_str_eq(t.ev[0].message, "The remote certificate is invalid according to the "
					  "validation procedure.");
	td_test_events_release(&t);
}
END_TEST

START_TEST(every_truncation_is_safe)
{
	td_test_truncations(&td_parser_svclog, trace, strlen(trace), 3);
}
END_TEST

Suite *svclog_suite(void)
{
	Suite *s = suite_create("svclog");
	TCase *tc = tcase_create("svclog");
	tcase_add_test(tc, records_without_line_breaks);
	tcase_add_test(tc, record_cut_by_a_killed_process);
	tcase_add_test(tc, pretty_printed_records_and_lines);
	tcase_add_test(tc, every_truncation_is_safe);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
