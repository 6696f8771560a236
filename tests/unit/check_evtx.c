/* Unit tests for the EVTX reader (parsers/evtx*.c) on files written by the
 * independent fixture writer (tests/tools/evtxwrite.c): values, messages,
 * XML, chunks, dirty files, damage, recovery, truncation and caps. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtx.h"
#include "evtxwrite.h"
#include "parser.h"
#include "testutil.h"
#include "timeutil.h"

#define MAXEV 64

struct got_event {
		uint32_t id;
		bool has_id;
		uint64_t record, offset;
		int64_t ticks;
		int level;
		char provider[64], host[64], channel[32], message[1024], xml[4096];
		char fields[512]; /* "Name=value;" ... */
	bool recovered;
};

struct got {
	size_t n;
	struct got_event ev[MAXEV];
	struct td_diag diag;
};

static int keep(const struct td_event *ev, void *user)
{
	struct got *g = user;
	if (g->n == MAXEV)
		return 0;
	ck_assert_int_eq(ev->format, TD_FMT_EVTX);
	struct got_event *e = &g->ev[g->n++];
	memset(e, 0, sizeof(*e));
	e->id = ev->event_id;
	e->has_id = ev->has_event_id;
	e->record = ev->record;
	e->offset = ev->offset;
	e->ticks = ev->time.ticks;
	e->level = ev->level;
	snprintf(e->provider, sizeof(e->provider), "%.*s", td_str_pfmt(ev->provider));
	snprintf(e->host, sizeof(e->host), "%.*s", td_str_pfmt(ev->host));
	snprintf(e->channel, sizeof(e->channel), "%.*s", td_str_pfmt(ev->channel));
	snprintf(e->message, sizeof(e->message), "%.*s", td_str_pfmt(ev->message));
	size_t used = 0;
	for (size_t i = 0; i < ev->nfields; i++) {
		if (td_str_eq_cstr(ev->fields[i].name, "xml")) {
			snprintf(e->xml, sizeof(e->xml), "%.*s", td_str_pfmt(ev->fields[i].value));
			continue;
		}
		if (td_str_eq_cstr(ev->fields[i].name, "recovered"))
			e->recovered = true;
		int w = snprintf(e->fields + used, sizeof(e->fields) - used, "%.*s=%.*s;",
				 td_str_pfmt(ev->fields[i].name), td_str_pfmt(ev->fields[i].value));
		if (w > 0 && (size_t)w < sizeof(e->fields) - used)
			used += (size_t)w;
	}
	return 0;
}

static void parse(const unsigned char *data, size_t len, bool xml, struct got *g)
{
	memset(g, 0, sizeof(*g));
	td_diag_init(&g->diag, 200);
	struct td_parse_ctx ctx = { .cb = keep, .user = g, .diag = &g->diag,
				    .path = TD_STR_LIT("t.evtx") };
	struct td_evtx_options opt = { .xml = xml, .recover = true };
	struct td_parse_info info;
	ck_assert_int_eq(td_parse_input(td_bytes_make(data, len), &ctx, &info, NULL, &opt), TD_OK);
	ck_assert_int_eq(info.format, TD_FMT_EVTX);
	ck_assert_uint_eq(info.events, g->n);
}

static bool diag_has(const struct got *g, const char *text)
{
	for (size_t i = 0; i < g->diag.n; i++)
		if (strstr(g->diag.items[i].msg, text))
			return true;
	return false;
}

static struct td_ew_event schannel(uint16_t id, const char *time, const char *n1, const char *v1,
				   const char *n2, const char *v2, const char *n3, const char *v3)
{
	struct td_ew_event e = { .event_id = id, .level = 2, .computer = "SQL01.contoso.com",
				 .user_sid = "S-1-5-18", .filetime = td_ew_filetime(time) };
	const char *names[] = { n1, n2, n3 }, *values[] = { v1, v2, v3 };
	for (int i = 0; i < 3; i++)
		if (values[i]) {
			e.data_name[e.ndata] = names[i];
			e.data_value[e.ndata++] = values[i];
		}
	return e;
}

static unsigned char *build(const struct td_ew_event *ev, size_t n, size_t per_chunk, int dirty,
			    size_t *len)
{
	struct td_ew_options opt = { .records_per_chunk = per_chunk, .dirty = dirty };
	unsigned char *f = td_ew_build(ev, n, &opt, len);
	ck_assert_ptr_nonnull(f);
	return f;
}

START_TEST(values_and_messages)
{
	struct td_ew_event ev[4] = {
		schannel(36888, "2024-05-01T09:14:02.1234567Z", "AlertDesc", "40", "ErrorState",
			 "1205", NULL, NULL),
		schannel(36888, "2024-05-01T09:15:00.0000000Z", "AlertDesc", "70", "ErrorState", "0",
			 "TargetName", "portal.contoso.com"),
		schannel(36874, "2024-05-01T09:16:00.5000000Z", "Protocol", "TLS 1.0", NULL, NULL,
			 NULL, NULL),
		{ .event_id = 1000, .level = 4, .provider = "Application Error",
		  .provider_guid = "{A0E9B465-B939-57D7-B27D-95D8E925FF57}", .channel = "Application",
		  .computer = "CLI07", .filetime = td_ew_filetime("2024-05-01T09:17:00.0000000Z"),
		  .ndata = 2, .data_name = { NULL, NULL },
		  .data_value = { "w3wp.exe", "Ünïcödé ✓ 𝄞" } },
	};
	size_t len;
	unsigned char *f = build(ev, 4, 0, 0, &len);
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_eq(g.n, 4);
	ck_assert_uint_eq(g.diag.n, 0);
	ck_assert_str_eq(g.ev[0].provider, "Schannel");
	ck_assert_uint_eq(g.ev[0].id, 36888);
	ck_assert_int_eq(g.ev[0].level, TD_LEVEL_ERROR);
	ck_assert_uint_eq(g.ev[0].record, 1);
	ck_assert_str_eq(g.ev[0].host, "SQL01.contoso.com");
	ck_assert_str_eq(g.ev[0].channel, "System");
	int64_t t;
	ck_assert(td_time_from_civil(2024, 5, 1, 9, 14, 2, 1234567, &t));
	ck_assert_int_eq(g.ev[0].ticks, t);
	ck_assert_str_eq(g.ev[0].fields,
			 "Version=0;Task=0;Opcode=0;Keywords=0x8000000000000000;ProcessID=708;"
			 "ThreadID=1204;UserID=S-1-5-18;"
			 "ProviderGuid={1F678132-5938-4686-9FDC-C8FF68F15C85};AlertDesc=40;"
			 "ErrorState=1205;");
	/* Two inserts: the Windows 8.1-1511 text; three: the 1607+ text. */
	ck_assert_str_eq(g.ev[0].message,
			 "A fatal alert was generated and sent to the remote endpoint. This may "
			 "result in termination of the connection. The TLS protocol defined fatal "
			 "error code is 40. The Windows SChannel error state is 1205.");
	ck_assert_ptr_nonnull(strstr(g.ev[1].message, "fatal alert code is 70.\n\n   Target name: "
							 "portal.contoso.com\n"));
	ck_assert_ptr_nonnull(strstr(g.ev[2].message, "An TLS 1.0 connection request was received"));
	/* A provider without templates: the inserts, one per line. */
	ck_assert_str_eq(g.ev[3].provider, "Application Error");
	ck_assert_str_eq(g.ev[3].channel, "Application");
	ck_assert_int_eq(g.ev[3].level, TD_LEVEL_INFO);
	ck_assert_str_eq(g.ev[3].message, "w3wp.exe\nÜnïcödé ✓ 𝄞");
	ck_assert_ptr_nonnull(strstr(g.ev[3].fields, "Data[1]=w3wp.exe;Data[2]=Ünïcödé ✓ 𝄞;"));
	/* Offsets point at the records. */
	ck_assert_uint_eq(g.ev[0].offset, 4096 + 512);
	ck_assert(g.ev[1].offset > g.ev[0].offset);
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

START_TEST(caller_process_sentence)
{
	struct td_ew_event ev = { .event_id = 36870, .level = 2, .computer = "WEB01",
				  .filetime = td_ew_filetime("2024-05-01T09:17:30.9999999Z"),
				  .ndata = 5,
				  .data_name = { "CallerProcessId", "CallerProcessImageName", "Type",
						 "ErrorCode", "ErrorStatus" },
				  .data_value = { "4", "System", "server", "0x8009030d", "10001" } };
	size_t len;
	unsigned char *f = build(&ev, 1, 0, 0, &len);
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_str_eq(g.ev[0].message,
			 "A fatal error occurred when attempting to access the TLS server credential "
			 "private key. The error code returned from the cryptographic module is "
			 "0x8009030d. The internal error state is 10001. The SSPI client process is "
			 "System (PID: 4).");
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

START_TEST(event_viewer_xml)
{
	struct td_ew_event ev = schannel(36887, "2024-05-01T09:15:10.5000000Z", "AlertDesc", "70",
					 NULL, NULL, NULL, NULL);
	ev.computer = "A&B<C>";
	size_t len;
	unsigned char *f = build(&ev, 1, 0, 0, &len);
	struct got g;
	parse(f, len, true, &g);
	ck_assert_uint_eq(g.n, 1);
	const char *x = g.ev[0].xml;
	ck_assert_ptr_nonnull(
		strstr(x, "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
			  "  <System>\n"
			  "    <Provider Name=\"Schannel\" "
			  "Guid=\"{1F678132-5938-4686-9FDC-C8FF68F15C85}\"/>\n"
			  "    <EventID>36887</EventID>\n"));
	ck_assert_ptr_nonnull(strstr(x, "<TimeCreated SystemTime=\"2024-05-01T09:15:10.500000000Z\"/>"));
	ck_assert_ptr_nonnull(strstr(x, "<Computer>A&amp;B&lt;C&gt;</Computer>"));
	ck_assert_ptr_nonnull(strstr(x, "<Data Name=\"AlertDesc\">70</Data>"));
	/* Null optional values leave their attribute out. */
	ck_assert_ptr_nonnull(strstr(x, "<Correlation/>"));
	ck_assert_ptr_null(strstr(x, "Qualifiers"));
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

static struct td_ew_event many[40];

static void fill_many(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *t = malloc(32);
		snprintf(t, 32, "2024-05-01T10:%02zu:00.0000000Z", i % 60);
		many[i] = schannel(36888, t, "AlertDesc", "70", "ErrorState", "105", NULL, NULL);
		free(t);
	}
}

START_TEST(chunks_and_dirty_files)
{
	fill_many(10);
	size_t len;
	unsigned char *f = build(many, 10, 3, 1, &len);
	ck_assert_uint_eq(len, 4096 + 4 * 65536);
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_eq(g.n, 10);
	for (size_t i = 0; i < 10; i++) {
		ck_assert_uint_eq(g.ev[i].record, i + 1);
		/* The header counts 3 chunks; the 4th holds record 10. */
		ck_assert_int_eq(g.ev[i].recovered, i == 9);
	}
	ck_assert(diag_has(&g, "the header counts 3 chunks but chunk 3"));
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

START_TEST(checksums_are_reported_not_fatal)
{
	fill_many(5);
	size_t len;
	unsigned char *f = build(many, 5, 0, 0, &len);
	f[4096 + 512 + 300] ^= 0x01; /* inside record data */
	f[4096 + 20] ^= 0x01;        /* inside the chunk header */
	f[30] ^= 0x01;               /* inside the file header */
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_ge(g.n, 4);
	ck_assert(diag_has(&g, "file header checksum does not match"));
	ck_assert(diag_has(&g, "header checksum is"));
	ck_assert(diag_has(&g, "record data checksum is"));
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

static size_t record_offset(const unsigned char *f, size_t len, uint64_t id)
{
	for (size_t off = 4096 + 512; off + 24 <= len; off++)
		if (f[off] == 0x2a && f[off + 1] == 0x2a && f[off + 2] == 0 && f[off + 3] == 0) {
			uint64_t rid = 0;
			for (int i = 7; i >= 0; i--)
				rid = rid << 8 | f[off + 8 + i];
			if (rid == id)
				return off;
		}
	ck_abort_msg("record %llu not found", (unsigned long long)id);
	return 0;
}

START_TEST(damaged_record_is_reported_and_the_rest_recovered)
{
	fill_many(6);
	size_t len;
	unsigned char *f = build(many, 6, 0, 0, &len);
	size_t off = record_offset(f, len, 3);
	uint32_t size = f[off + 4] | f[off + 5] << 8;
	f[off + size - 4] ^= 0x10; /* the size copy no longer agrees */
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_eq(g.n, 5);
	ck_assert_uint_eq(g.ev[2].record, 4);
	ck_assert(!g.ev[1].recovered);
	ck_assert(g.ev[2].recovered && g.ev[4].recovered);
	char want[80];
	snprintf(want, sizeof(want), "damaged record at offset %zu", off);
	ck_assert_msg(diag_has(&g, want), "no '%s'", want);
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

START_TEST(bad_chunk_signature_still_yields_records)
{
	fill_many(4);
	size_t len;
	unsigned char *f = build(many, 4, 0, 0, &len);
	memcpy(f + 4096, "XXXXXXXX", 8);
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_eq(g.n, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert(g.ev[i].recovered);
	ck_assert(diag_has(&g, "has no chunk signature; looking for records in it"));
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

START_TEST(slack_records_are_recovered_once)
{
	fill_many(3);
	size_t len;
	unsigned char *f = build(many, 3, 0, 0, &len);
	/* A stale copy of record 2 and a record 9 only in the free space. */
	size_t r2 = record_offset(f, len, 2), r3 = record_offset(f, len, 3);
	uint32_t size2 = f[r2 + 4] | f[r2 + 5] << 8;
	uint32_t size3 = f[r3 + 4] | f[r3 + 5] << 8;
	size_t slack = r3 + size3 + 64;
	memcpy(f + slack, f + r2, size2);
	memcpy(f + slack + size2 + 8, f + r2, size2);
	f[slack + size2 + 8 + 8] = 9;
	struct got g;
	parse(f, len, false, &g);
	/* The first copy repeats record 2 and is dropped; the second (header
	 * id 9, its XML still says 2) is read from the free space. */
	ck_assert_uint_eq(g.n, 4);
	ck_assert_uint_eq(g.ev[3].offset, slack + size2 + 8);
	ck_assert(g.ev[3].recovered);
	ck_assert(!g.ev[2].recovered);
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

START_TEST(every_truncation_is_safe)
{
	fill_many(8);
	size_t len;
	unsigned char *f = build(many, 8, 4, 0, &len);
	for (size_t cut = 0; cut <= len; cut += cut < 4200 ? 7 : 509) {
		struct got g;
		memset(&g, 0, sizeof(g));
		td_diag_init(&g.diag, 50);
		struct td_parse_ctx ctx = { .cb = keep, .user = &g, .diag = &g.diag,
					    .path = TD_STR_LIT("t.evtx") };
		int rc = td_evtx_parse(td_bytes_make(f, cut), &ctx, NULL, NULL, NULL);
		ck_assert_int_eq(rc, cut < 8 ? TD_E_FORMAT : TD_OK);
		ck_assert_uint_le(g.n, 8);
		for (size_t i = 0; i < g.n; i++)
			ck_assert(g.ev[i].record >= 1 && g.ev[i].record <= 8);
		if (cut >= 8 && cut < 128)
			ck_assert(diag_has(&g, "file header is cut short"));
		td_diag_release(&g.diag);
	}
	free(f);
}
END_TEST

/* A chunk holding one record whose BinXML nests elements deeper than the
 * cap (written by hand: the writer never does this). */
START_TEST(nesting_cap)
{
	size_t len = 4096 + 65536;
	unsigned char *f = calloc(1, len);
	memcpy(f, "ElfFile", 8);
	f[32] = 128;
	f[38] = 3;
	f[41] = 0x10;
	f[42] = 1;
	unsigned char *c = f + 4096;
	memcpy(c, "ElfChnk", 8);
	size_t p = 512 + 24;
	unsigned char *r = c + 512;
	memcpy(r, "\x2a\x2a\0\0", 4);
	r[8] = 1;
	unsigned char *b = c + p;
	size_t k = 0;
	b[k++] = 0x0f, b[k++] = 1, b[k++] = 1, b[k++] = 0;
	for (int depth = 0; depth < 100; depth++) {
		b[k++] = 0x01;
		k += 4; /* data size, unused */
		uint32_t name = depth == 0 ? (uint32_t)(p + k + 4) : (uint32_t)(p + 4 + 9);
		b[k++] = (unsigned char)name, b[k++] = (unsigned char)(name >> 8), k += 2;
		if (depth == 0) {
			k += 4 + 2; /* next, hash */
			b[k++] = 1, b[k++] = 0;      /* one character */
			b[k++] = 'x', b[k++] = 0;    /* "x" */
			k += 2;                      /* NUL */
		}
		b[k++] = 0x02;
	}
	size_t size = 24 + k + 4;
	r[4] = (unsigned char)size, r[5] = (unsigned char)(size >> 8);
	r[size - 4] = (unsigned char)size, r[size - 3] = (unsigned char)(size >> 8);
	size_t end = 512 + size;
	c[48] = (unsigned char)end, c[49] = (unsigned char)(end >> 8);
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_eq(g.n, 0);
	ck_assert_msg(diag_has(&g, "nested too deeply"), "%s",
		      g.diag.n ? g.diag.items[g.diag.n - 1].msg : "no diagnostics");
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

/* EventLog 6009 and 6013 in the binary format: version, build, uptime and
 * time zone become facts; the message stays the event's own values. */
START_TEST(version_and_uptime_facts)
{
	struct td_ew_event ev[2] = {
		{ .event_id = 6009, .level = 4, .provider = "EventLog", .provider_guid = "",
		  .computer = "SQL01", .filetime = td_ew_filetime("2024-05-01T08:00:00.0000000Z"),
		  .ndata = 5,
		  .data_value = { "6.01.", "7601", "Service Pack 1", "Multiprocessor Free",
				  "17514" } },
		{ .event_id = 6013, .level = 4, .provider = "EventLog", .provider_guid = "",
		  .computer = "SQL01", .filetime = td_ew_filetime("2024-05-02T12:00:00.0000000Z"),
		  .ndata = 7,
		  .data_value = { "", "", "", "", "100800", "60", "-60 W. Europe Standard Time" } },
	};
	size_t len;
	unsigned char *f = build(ev, 2, 0, 0, &len);
	struct got g;
	parse(f, len, false, &g);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_msg(strstr(g.ev[0].fields, "fact.windows.version=6.01;") &&
			      strstr(g.ev[0].fields, "fact.windows.currentbuild=7601;"),
		      "%s", g.ev[0].fields);
	ck_assert_msg(strstr(g.ev[1].fields, "uptime_seconds=100800;") &&
			      strstr(g.ev[1].fields,
				     "fact.windows.timezone=-60 W. Europe Standard Time;"),
		      "%s", g.ev[1].fields);
	ck_assert_ptr_null(strstr(g.ev[1].message, "fact."));
	td_diag_release(&g.diag);
	free(f);
}
END_TEST

struct fact_check {
	size_t seen, missing;
	uint64_t first_missing;
};

/* Whether the event has the field (with a value, if full). */
static bool has_field(const struct td_event *ev, const char *name, bool full)
{
	for (size_t i = 0; i < ev->nfields; i++)
		if (td_str_eq_cstr(ev->fields[i].name, name) && (!full || ev->fields[i].value.len))
			return true;
	return false;
}

/* Every complete EventLog 6009 or 6013 has both of its facts. */
static int check_facts(const struct td_event *ev, void *user)
{
	struct fact_check *fc = user;
	if (!ev->has_event_id || !td_str_eq_cstr(ev->provider, "EventLog") ||
	    (ev->event_id != 6009 && ev->event_id != 6013) || !has_field(ev, "Data[2]", false))
		return 0;
	fc->seen++;
	bool ok = ev->event_id == 6009 ? has_field(ev, "fact.windows.version", true) &&
						 has_field(ev, "fact.windows.currentbuild", true)
				       : has_field(ev, "uptime_seconds", true) &&
						 has_field(ev, "fact.windows.timezone", true);
	if (!ok && !fc->missing++)
		fc->first_missing = ev->record;
	return 0;
}

/* Real System.evtx files with both events. */
START_TEST(version_and_uptime_facts_in_the_corpus)
{
	const char *files[] = {
		"python-evtx/tests/data/system.evtx",
		"evtx-python/samples/System.evtx",
		"ETWTool/evtx/System.evtx",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/evtx/%s", TD_TEST_CORPUS_DIR, files[i]);
		size_t len;
		char *data = td_test_read_file(path, &len);
		if (!data) {
			fprintf(stderr, "corpus file %s absent: skipped\n", path);
			continue;
		}
		struct fact_check fc = { 0 };
		struct td_diag diag;
		td_diag_init(&diag, 200);
		struct td_parse_ctx ctx = { .cb = check_facts, .user = &fc, .diag = &diag,
					    .path = TD_STR_LIT("System.evtx") };
		struct td_evtx_options opt = { .recover = true };
		struct td_parse_info info;
		ck_assert_int_eq(td_parse_input(td_bytes_make(data, len), &ctx, &info, NULL, &opt),
				 TD_OK);
		ck_assert_msg(fc.seen > 0, "%s: no 6009 or 6013", files[i]);
		ck_assert_msg(!fc.missing, "%s: %zu of %zu without facts, first record %llu",
			      files[i], fc.missing, fc.seen, (unsigned long long)fc.first_missing);
		td_diag_release(&diag);
		free(data);
	}
}
END_TEST

START_TEST(not_evtx)
{
	struct td_evtx_header h;
	ck_assert_int_eq(td_evtx_read_header(td_bytes_make("ElfFil", 6), &h), TD_E_FORMAT);
	ck_assert_int_eq(td_evtx_read_header(td_bytes_make("ElfFile\0", 8), &h), TD_E_TRUNCATED);
	ck_assert(!td_evtx_probe(td_bytes_make("<Event", 6)));
	ck_assert_uint_eq(td_evtx_chunk_slots(td_bytes_make("x", 4096)), 0);
	ck_assert_uint_eq(td_evtx_chunk_slots(td_bytes_make("x", 4097)), 1);
}
END_TEST

Suite *evtx_suite(void)
{
	Suite *s = suite_create("evtx");
	TCase *tc = tcase_create("evtx");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, values_and_messages);
	tcase_add_test(tc, caller_process_sentence);
	tcase_add_test(tc, event_viewer_xml);
	tcase_add_test(tc, chunks_and_dirty_files);
	tcase_add_test(tc, checksums_are_reported_not_fatal);
	tcase_add_test(tc, damaged_record_is_reported_and_the_rest_recovered);
	tcase_add_test(tc, bad_chunk_signature_still_yields_records);
	tcase_add_test(tc, slack_records_are_recovered_once);
	tcase_add_test(tc, every_truncation_is_safe);
	tcase_add_test(tc, nesting_cap);
	tcase_add_test(tc, version_and_uptime_facts);
	tcase_add_test(tc, version_and_uptime_facts_in_the_corpus);
	tcase_add_test(tc, not_evtx);
	suite_add_tcase(s, tc);
	return s;
}
