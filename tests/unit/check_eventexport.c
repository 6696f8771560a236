/* Unit tests for the readers of exported events: eventxml.c (wevtutil,
 * Event Viewer "Save as" and copies, python-evtx), eventtext.c (copy as
 * text, Format-List) and eventcsv.c (Event Viewer CSV/TSV, Export-Csv). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "testutil.h"

static int64_t civil(int y, int mo, int d, int h, int mi, int s, int64_t frac)
{
	int64_t t;
	ck_assert(td_time_from_civil(y, mo, d, h, mi, s, frac, &t));
	return t;
}

#define NS "http://schemas.microsoft.com/win/2004/08/events/event"

static const char wevtutil[] =
	"<Event xmlns='" NS "'><System><Provider Name='Schannel' "
	"Guid='{1F678132-5938-4686-9FDC-C8FF68F15C85}'/><EventID>36888</EventID><Level>2</Level>"
	"<TimeCreated SystemTime='2024-05-01T09:14:02.123456700Z'/><EventRecordID>1201</EventRecordID>"
	"<Channel>System</Channel><Computer>SQL01</Computer><Security UserID='S-1-5-18'/></System>"
	"<EventData><Data Name='AlertDesc'>40</Data><Data Name='ErrorState'>1205</Data></EventData>"
	"</Event>\r\n"
	"<Event xmlns='" NS "'><System><Provider Name='MSSQLSERVER'/>"
	"<EventID Qualifiers='49152'>17194</EventID><Level>2</Level>"
	"<TimeCreated SystemTime='2024-05-01T09:14:03.000Z'/><EventRecordID>1202</EventRecordID>"
	"<Channel>Application</Channel><Computer>SQL01</Computer></System>"
	"<EventData><Data>0x80090331</Data><Data>The client and server cannot communicate, "
	"because they do not possess a common algorithm.</Data><Data> [CLIENT: 10.0.0.5]</Data>"
	"<Binary>2A430000100000000500000053</Binary></EventData></Event>\r\n";

START_TEST(wevtutil_without_root)
{
	struct td_test_events t;
	td_test_parse(NULL, wevtutil, strlen(wevtutil), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTXML);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.diag.n, 0);
	struct td_test_event *e = &t.ev[0];
	ck_assert_str_eq(e->provider, "Schannel");
	ck_assert_uint_eq(e->event_id, 36888);
	ck_assert_uint_eq(e->record, 1201);
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_int_eq(e->ticks, civil(2024, 5, 1, 9, 14, 2, 1234567));
	ck_assert_str_eq(td_test_field(e, "AlertDesc"), "40");
	ck_assert_ptr_nonnull(strstr(e->message, "fatal error code is 40."));
	e = &t.ev[1];
	ck_assert_str_eq(e->channel, "Application");
	ck_assert_str_eq(td_test_field(e, "Qualifiers"), "49152");
	ck_assert_str_eq(td_test_field(e, "Data[1]"), "0x80090331");
	ck_assert_str_eq(td_test_field(e, "Binary"), "2A430000100000000500000053");
	ck_assert_str_eq(e->message, "0x80090331\nThe client and server cannot communicate, because "
				     "they do not possess a common algorithm.\n[CLIENT: 10.0.0.5]\n"
				     "Binary: 2A430000100000000500000053");
	ck_assert_uint_eq(t.ev[1].line, 2);
	td_test_events_release(&t);
}
END_TEST

START_TEST(windows_version_from_event_6009)
{
	const char *in = "<Event xmlns='" NS "'><System><Provider Name='EventLog'/>"
			 "<EventID Qualifiers='32768'>6009</EventID><Level>4</Level>"
			 "<TimeCreated SystemTime='2024-05-01T08:00:00Z'/></System><EventData>"
			 "<Data>10.00.</Data><Data>17763</Data><Data></Data>"
			 "<Data>Multiprocessor Free</Data><Data>0</Data></EventData></Event>\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(td_test_field(&t.ev[0], "fact.windows.version"), "10.00");
	ck_assert_str_eq(td_test_field(&t.ev[0], "fact.windows.currentbuild"), "17763");
	ck_assert_str_eq(t.ev[0].message, "10.00.\n17763\nMultiprocessor Free\n0");
	td_test_events_release(&t);
}
END_TEST

/* EventLog 6013: four empty values, the uptime, "60", the time zone. */
START_TEST(uptime_and_time_zone_from_event_6013)
{
	const char *pre = "<Event xmlns='" NS "'><System><Provider Name='";
	const char *mid = "'/><EventID Qualifiers='32768'>6013</EventID><Level>4</Level>"
			  "<TimeCreated SystemTime='2024-05-01T12:00:00Z'/></System><EventData>";
	const char *post = "</EventData></Event>\n";
	static const struct {
		const char *provider, *data, *uptime, *zone;
	} cases[] = {
		{ "EventLog",
		  "<Data></Data><Data></Data><Data></Data><Data></Data><Data>76402</Data>"
		  "<Data>60</Data><Data> -60 W. Europe Standard Time </Data>",
		  "76402", "-60 W. Europe Standard Time" },
		{ "EventLog", /* a tool that drops empty values */
		  "<Data>639419</Data><Data>60</Data><Data>480 Pacific Standard Time</Data>",
		  "639419", "480 Pacific Standard Time" },
		{ "EventLog", /* localised zone name, no bias sign */
		  "<Data/><Data/><Data/><Data/><Data>5</Data><Data>60</Data>"
		  "<Data>0 Coordinated Universal Time</Data>",
		  "5", "0 Coordinated Universal Time" },
		{ "EventLog", "<Data></Data><Data></Data>", NULL, NULL },
		{ "Other", "<Data></Data><Data></Data><Data></Data><Data></Data><Data>76402</Data>"
			   "<Data>60</Data><Data>-60 W. Europe Standard Time</Data>",
		  NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char in[1024];
		snprintf(in, sizeof(in), "%s%s%s%s%s", pre, cases[i].provider, mid, cases[i].data,
			 post);
		struct td_test_events t;
		td_test_parse(NULL, in, strlen(in), &t);
		ck_assert_uint_eq(t.n, 1);
		const char *up = td_test_field(&t.ev[0], "uptime_seconds");
		const char *zone = td_test_field(&t.ev[0], "fact.windows.timezone");
		if (cases[i].uptime) {
			ck_assert_msg(up && zone, "case %zu: no facts", i);
			ck_assert_str_eq(up, cases[i].uptime);
			ck_assert_str_eq(zone, cases[i].zone);
			/* The message is the event's values, not the facts. */
			ck_assert_ptr_null(strstr(t.ev[0].message, "fact."));
		} else {
			ck_assert_msg(!up && !zone, "case %zu: unexpected facts", i);
		}
		td_test_events_release(&t);
	}
}
END_TEST

/* Event Viewer's "Save as XML" carries the rendered message; the values
 * still become facts. */
START_TEST(facts_from_saved_events_with_rendering_info)
{
	const char *in =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Events>\n"
		"<Event xmlns=\"" NS "\"><System><Provider Name=\"EventLog\"/>"
		"<EventID Qualifiers=\"32768\">6009</EventID><Level>4</Level>"
		"<TimeCreated SystemTime=\"2024-05-01T08:00:00Z\"/></System><EventData>"
		"<Data>6.03.</Data><Data>9600</Data><Data></Data><Data>Multiprocessor Free</Data>"
		"<Data>17031</Data></EventData><RenderingInfo Culture=\"en-US\"><Message>"
		"Microsoft (R) Windows (R) 6.03. 9600  Multiprocessor Free.</Message>"
		"</RenderingInfo></Event>\n"
		"<Event xmlns=\"" NS "\"><System><Provider Name=\"EventLog\"/>"
		"<EventID Qualifiers=\"32768\">6013</EventID><Level>4</Level>"
		"<TimeCreated SystemTime=\"2024-05-01T12:00:00Z\"/></System><EventData>"
		"<Data></Data><Data></Data><Data></Data><Data></Data><Data>14400</Data>"
		"<Data>60</Data><Data>300 Eastern Standard Time</Data></EventData>"
		"<RenderingInfo Culture=\"en-US\"><Message>The system uptime is 14400 seconds."
		"</Message></RenderingInfo></Event>\n</Events>\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTXML);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_str_eq(t.ev[0].message,
			 "Microsoft (R) Windows (R) 6.03. 9600  Multiprocessor Free.");
	ck_assert_str_eq(td_test_field(&t.ev[0], "fact.windows.version"), "6.03");
	ck_assert_str_eq(td_test_field(&t.ev[0], "fact.windows.currentbuild"), "9600");
	ck_assert_str_eq(t.ev[1].message, "The system uptime is 14400 seconds.");
	ck_assert_str_eq(td_test_field(&t.ev[1], "uptime_seconds"), "14400");
	ck_assert_str_eq(td_test_field(&t.ev[1], "fact.windows.timezone"),
			 "300 Eastern Standard Time");
	td_test_events_release(&t);
}
END_TEST

/* A 6009 whose values are not a version and a build makes no facts. */
START_TEST(event_6009_without_a_version)
{
	const char *in = "<Event xmlns='" NS "'><System><Provider Name='EventLog'/>"
			 "<EventID Qualifiers='32768'>6009</EventID><Level>4</Level>"
			 "<TimeCreated SystemTime='2024-05-01T08:00:00Z'/></System><EventData>"
			 "<Data>Multiprocessor Free</Data><Data>n/a</Data></EventData></Event>\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_ptr_null(td_test_field(&t.ev[0], "fact.windows.version"));
	ck_assert_ptr_null(td_test_field(&t.ev[0], "fact.windows.currentbuild"));
	td_test_events_release(&t);
}
END_TEST

START_TEST(saved_events_with_rendering_info)
{
	const char *in =
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Events>\n"
		"<Event xmlns=\"" NS "\"><System><Provider Name=\"Schannel\"/><EventID>36887</EventID>"
		"<Level>2</Level><TimeCreated SystemTime=\"2024-05-01T09:15:10.5Z\"/>"
		"<EventRecordID>7</EventRecordID><Computer>CM01</Computer></System>"
		"<EventData><Data Name=\"AlertDesc\">70</Data></EventData>"
		"<RenderingInfo Culture=\"en-US\"><Message>A fatal alert was received from the remote "
		"endpoint. The TLS protocol defined fatal alert code is 70.</Message><Level>Error</Level>"
		"</RenderingInfo></Event>\n</Events>\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTXML);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(t.ev[0].message, "A fatal alert was received from the remote endpoint. The "
					  "TLS protocol defined fatal alert code is 70.");
	ck_assert_uint_eq(t.ev[0].line, 3);
	ck_assert_str_eq(t.ev[0].host, "CM01");
	td_test_events_release(&t);
}
END_TEST

START_TEST(event_viewer_copy_is_read_tolerantly)
{
	const char *in =
		"- <Event xmlns=\"" NS "\">\r\n"
		"- <System>\r\n"
		"  <Provider Name=\"Schannel\" Guid=\"{1F678132-5938-4686-9FDC-C8FF68F15C85}\" /> \r\n"
		"  <EventID>36874</EventID> \r\n"
		"  <Level>2</Level> \r\n"
		"  <TimeCreated SystemTime=\"2020-08-05T12:16:37.933329200Z\" /> \r\n"
		"  <Computer>R&D &amp; Ops &#x41;</Computer> \r\n"
		"  </System>\r\n"
		"- <EventData>\r\n"
		"  <Data Name=\"Protocol\">TLS 1.0</Data> \r\n"
		"  </EventData>\r\n"
		"  </Event>\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTXML);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.ev[0].event_id, 36874);
	ck_assert_str_eq(t.ev[0].host, "R&D & Ops A");
	ck_assert_str_eq(td_test_field(&t.ev[0], "Protocol"), "TLS 1.0");
	ck_assert_ptr_nonnull(strstr(t.ev[0].message, "An TLS 1.0 connection request"));
	ck_assert_uint_eq(t.diag.n, 1); /* the note that it was read tolerantly */
	ck_assert_int_eq(t.diag.items[0].level, TD_DIAG_NOTE);
	td_test_events_release(&t);
}
END_TEST

START_TEST(python_evtx_dump_and_cut_last_event)
{
	const char *in =
		"<?xml version=\"1.1\" encoding=\"utf-8\" standalone=\"yes\" ?>\n\n<Events>\n"
		"<Event xmlns=\"" NS "\"><System><Provider Name=\"Schannel\"></Provider>\n"
		"<EventID Qualifiers=\"\">36888</EventID>\n<Level>2</Level>\n"
		"<TimeCreated SystemTime=\"2015-12-22 02:23:19.165775\"></TimeCreated>\n"
		"<EventRecordID>3</EventRecordID>\n</System>\n"
		"<EventData><Data Name=\"AlertDesc\">70</Data>\n</EventData>\n</Event>\n"
		"<Event xmlns=\"" NS "\"><System><Provider Name=\"Schannel\"></Provider>\n"
		"<EventID>36887</EventID>\n<Level>2</Level>\n<EventData><Data Name=\"AlertD";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_int_eq(t.ev[0].zone, TD_ZONE_UTC);
	ck_assert_int_eq(t.ev[0].ticks, civil(2015, 12, 22, 2, 23, 19, 1657750));
	ck_assert_ptr_null(td_test_field(&t.ev[0], "Qualifiers"));
	/* The cut event is kept with what it has. */
	ck_assert_uint_eq(t.ev[1].event_id, 36887);
	ck_assert_uint_ge(t.diag.n, 1);
	td_test_events_release(&t);
}
END_TEST

START_TEST(copy_as_text_with_and_without_xml)
{
	const char *in =
		"Log Name:      System\r\nSource:        Schannel\r\nDate:          8/5/2020 5:16:37 AM\r\n"
		"Event ID:      36888\r\nTask Category: None\r\nLevel:         Error\r\nKeywords:      \r\n"
		"User:          SYSTEM\r\nComputer:      WEB01.contoso.com\r\nDescription:\r\n"
		"A fatal alert was generated and sent to the remote endpoint. This may result in "
		"termination of the connection. The TLS protocol defined fatal error code is 40. The "
		"Windows SChannel error state is 1205.\r\nEvent Xml:\r\n"
		"<Event xmlns=\"" NS "\">\r\n  <System>\r\n    <Provider Name=\"Schannel\" />\r\n"
		"    <EventID>36888</EventID>\r\n    <Level>2</Level>\r\n"
		"    <TimeCreated SystemTime=\"2020-08-05T12:16:37.933329200Z\" />\r\n"
		"    <EventRecordID>4312</EventRecordID>\r\n    <Computer>WEB01.contoso.com</Computer>\r\n"
		"  </System>\r\n  <EventData>\r\n    <Data Name=\"AlertDesc\">40</Data>\r\n"
		"    <Data Name=\"ErrorState\">1205</Data>\r\n  </EventData>\r\n</Event>\r\n\r\n"
		"Log Name:      System\r\nSource:        Schannel\r\nDate:          8/5/2020 5:20:01 AM\r\n"
		"Event ID:      36887\r\nLevel:         Error\r\nComputer:      WEB01.contoso.com\r\n"
		"Description:\r\nA fatal alert was received from the remote endpoint. The TLS protocol "
		"defined fatal alert code is 70.\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTTEXT);
	ck_assert_uint_eq(t.n, 2);
	struct td_test_event *e = &t.ev[0];
	/* The XML's UTC time wins over the local Date line. */
	ck_assert_int_eq(e->zone, TD_ZONE_UTC);
	ck_assert_int_eq(e->ticks, civil(2020, 8, 5, 12, 16, 37, 9333292));
	ck_assert_uint_eq(e->record, 4312);
	ck_assert_str_eq(td_test_field(e, "ErrorState"), "1205");
	ck_assert_str_eq(td_test_field(e, "User"), "SYSTEM");
	ck_assert_ptr_nonnull(strstr(e->message, "error state is 1205."));
	e = &t.ev[1];
	ck_assert_int_eq(e->zone, TD_ZONE_LOCAL);
	ck_assert_int_eq(e->ticks, civil(2020, 8, 5, 5, 20, 1, 0));
	ck_assert_uint_eq(e->event_id, 36887);
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_str_eq(e->host, "WEB01.contoso.com");
	ck_assert_uint_eq(e->line, 28);
	td_test_events_release(&t);
}
END_TEST

START_TEST(format_list_with_wrapped_values)
{
	/* Out-File at 60 columns: the message is cut mid-word. */
	const char *in =
		"\r\n\r\n"
		"TimeCreated  : 3/5/2024 3:15:10 PM\r\n"
		"ProviderName : Schannel\r\n"
		"Id           : 36888\r\n"
		"Message      : A fatal alert was generated and sent to the rem\r\n"
		"               ote endpoint. The TLS protocol defined fatal\r\n"
		"               alert code is 70.\r\n"
		"\r\n"
		"TimeCreated  : 3/5/2024 3:15:11 PM\r\n"
		"ProviderName : Service Control Manager\r\n"
		"Id           : 7036\r\n"
		"Message      : The Windows Update service entered the running\r\n"
		"                state.\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTTEXT);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_str_eq(t.ev[0].message, "A fatal alert was generated and sent to the remote "
					  "endpoint. The TLS protocol defined fatal\nalert code is 70.");
	ck_assert_uint_eq(t.ev[0].event_id, 36888);
	ck_assert_str_eq(t.ev[0].provider, "Schannel");
	ck_assert_int_eq(t.ev[0].ticks, civil(2024, 3, 5, 15, 15, 10, 0));
	ck_assert_uint_eq(t.ev[0].line, 3);
	ck_assert_str_eq(t.ev[1].message, "The Windows Update service entered the running state.");
	td_test_events_release(&t);
}
END_TEST

START_TEST(event_viewer_csv_and_tsv)
{
	const char *csv =
		"Level,Date and Time,Source,Event ID,Task Category\r\n"
		"Error,10/7/2016 6:38:24 PM,Schannel,36888,None,\"A fatal alert was generated. The TLS "
		"protocol defined fatal error code is 70.\"\r\n"
		"Information,10/7/2016 6:40:00 PM,Service Control Manager,7036,None,\"The \"\"Windows "
		"Update\"\" service entered the\r\nrunning state.\"\r\n";
	struct td_test_events t;
	td_test_parse(NULL, csv, strlen(csv), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTCSV);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.ev[0].event_id, 36888);
	ck_assert_str_eq(t.ev[0].provider, "Schannel");
	ck_assert_int_eq(t.ev[0].level, TD_LEVEL_ERROR);
	ck_assert_int_eq(t.ev[0].ticks, civil(2016, 10, 7, 18, 38, 24, 0));
	ck_assert_str_eq(td_test_field(&t.ev[0], "Task Category"), "None");
	ck_assert_str_eq(t.ev[1].message,
			 "The \"Windows Update\" service entered the\r\nrunning state.");
	ck_assert_uint_eq(t.ev[1].line, 3);
	ck_assert_uint_eq(t.ev[1].line_end, 4);
	td_test_events_release(&t);

	const char *tsv = "Level\tDate and Time\tSource\tEvent ID\tTask Category\n"
			  "Warning\t10/7/2016 6:38:24 PM\tSchannel\t36875\tNone\tThe remote server "
			  "has requested TLS client authentication, but no suitable client "
			  "certificate could be found.\n";
	td_test_parse(NULL, tsv, strlen(tsv), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTCSV);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_int_eq(t.ev[0].level, TD_LEVEL_WARNING);
	ck_assert_ptr_nonnull(strstr(t.ev[0].message, "no suitable client certificate"));
	td_test_events_release(&t);
}
END_TEST

START_TEST(powershell_export_csv)
{
	const char *in =
		"#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"
		"\"Message\",\"Id\",\"Level\",\"RecordId\",\"ProviderName\",\"LogName\",\"MachineName\","
		"\"TimeCreated\",\"LevelDisplayName\",\"Properties\"\r\n"
		"\"A fatal alert was received from the remote endpoint. The TLS protocol defined fatal "
		"alert code is 70.\",\"36887\",\"2\",\"1777\",\"Schannel\",\"System\",\"CM01.contoso.com\","
		"\"3/5/2024 3:15:10 PM\",\"Error\",\"System.Collections.ObjectModel.ReadOnlyCollection`1["
		"System.Diagnostics.Eventing.Reader.EventProperty]\"\r\n";
	struct td_test_events t;
	td_test_parse(NULL, in, strlen(in), &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTCSV);
	ck_assert_uint_eq(t.n, 1);
	struct td_test_event *e = &t.ev[0];
	ck_assert_uint_eq(e->event_id, 36887);
	ck_assert_uint_eq(e->record, 1777);
	ck_assert_str_eq(e->host, "CM01.contoso.com");
	ck_assert_str_eq(e->channel, "System");
	ck_assert_int_eq(e->level, TD_LEVEL_ERROR);
	ck_assert_uint_eq(e->line, 3);
	td_test_events_release(&t);
}
END_TEST

static const char *const shapes[] = { wevtutil,
	"Log Name: System\nSource: Schannel\nEvent ID: 36887\nDescription:\nx\nEvent Xml:\n<Event><System>"
	"<EventID>1</EventID></System></Event>\n",
	"TimeCreated  : 3/5/2024 3:15:10 PM\nProviderName : Schannel\nId : 1\nMessage : a\n  b\n\n",
	"Level,Date and Time,Source,Event ID,Task Category\nError,x,S,1,N,\"a\"\"b\nc\"\n",
	"#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\n\"Message\",\"Id\"\n\"m\",\"5\"\n" };

START_TEST(every_truncation_is_safe)
{
	td_test_truncations(NULL, shapes[_i], strlen(shapes[_i]), 4);
}
END_TEST

START_TEST(utf16_exports)
{
	/* PowerShell 5.1 writes UTF-16LE with a BOM. */
	const char *ascii = "Level,Date and Time,Source,Event ID,Task Category\r\n"
			    "Error,10/7/2016 6:38:24 PM,Schannel,36887,None,\"alert code is 70.\"\r\n";
	size_t ulen;
	unsigned char *u = td_test_utf16le(ascii, strlen(ascii), 1, &ulen);
	struct td_test_events t;
	td_test_parse(NULL, u, ulen, &t);
	ck_assert_int_eq(t.info.format, TD_FMT_EVENTCSV);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.ev[0].event_id, 36887);
	td_test_events_release(&t);
	free(u);
}
END_TEST

/* Regression: an event nested deeper than TD_XML_MAX_DEPTH was reported as
 * "without a System part"; the message now names the limit.  Both the event
 * XML export and the svclog reader keep the text. */
START_TEST(nesting_deeper_than_the_limit)
{
	const char *parts[2][2] = {
		{ "<Events><Event><System><EventID>1</EventID></System><EventData>",
		  "</EventData></Event></Events>" },
		{ "<E2ETraceEvent xmlns=\"http://schemas.microsoft.com/2004/06/E2ETraceEvent\">"
		  "<System><EventID>1</EventID></System><ApplicationData>",
		  "</ApplicationData></E2ETraceEvent>" },
	};
	const struct td_text_parser *ps[2] = { &td_parser_eventxml, &td_parser_svclog };
	for (int k = 0; k < 2; k++) {
		size_t deep = 1000, cap = strlen(parts[k][0]) + strlen(parts[k][1]) + deep * 7 + 1;
		char *x = malloc(cap);
		ck_assert_ptr_nonnull(x);
		strcpy(x, parts[k][0]);
		for (size_t i = 0; i < deep; i++)
			strcat(x, "<a>");
		for (size_t i = 0; i < deep; i++)
			strcat(x, "</a>");
		strcat(x, parts[k][1]);
		struct td_test_events t;
		td_test_parse(ps[k], x, strlen(x), &t);
		ck_assert_uint_eq(t.n, 1);
		ck_assert_uint_eq(t.diag.n, 1);
		ck_assert_ptr_nonnull(strstr(t.diag.items[0].msg, "nested deeper than 64 elements"));
		td_test_events_release(&t);
		free(x);
	}
}
END_TEST

Suite *eventexport_suite(void)
{
	Suite *s = suite_create("eventexport");
	TCase *tc = tcase_create("eventexport");
	tcase_add_test(tc, wevtutil_without_root);
	tcase_add_test(tc, saved_events_with_rendering_info);
	tcase_add_test(tc, windows_version_from_event_6009);
	tcase_add_test(tc, uptime_and_time_zone_from_event_6013);
	tcase_add_test(tc, facts_from_saved_events_with_rendering_info);
	tcase_add_test(tc, event_6009_without_a_version);
	tcase_add_test(tc, event_viewer_copy_is_read_tolerantly);
	tcase_add_test(tc, python_evtx_dump_and_cut_last_event);
	tcase_add_test(tc, copy_as_text_with_and_without_xml);
	tcase_add_test(tc, format_list_with_wrapped_values);
	tcase_add_test(tc, event_viewer_csv_and_tsv);
	tcase_add_test(tc, powershell_export_csv);
	tcase_add_test(tc, utf16_exports);
	tcase_add_test(tc, nesting_deeper_than_the_limit);
	tcase_add_loop_test(tc, every_truncation_is_safe, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
