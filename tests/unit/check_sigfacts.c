/* Unit tests for facts from signatures (diagnose/sigfacts.c and its hook in
 * the diagnoser): <fact> templates, informational signatures that feed the
 * facts and not the verdict, and log facts that feed the driver check. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "match.h"
#include "sigfacts.h"
#include "sigfixture.h"

static const char doc[] =
	"<signatures family=\"t\">\n"
	"<signature id=\"cert-loaded\" severity=\"info\"><title>T</title><cause>C</cause>\n"
	"  <trigger><pattern literal=\"loaded for encryption\">Cert Hash\\(sha1\\) "
	"\"(?&lt;thumbprint&gt;[0-9A-F]{8})\"\\] was successfully loaded for encryption</pattern>"
	"</trigger>\n"
	"  <fact name=\"sql_server.certificate\" value=\"${thumbprint}\"/>\n"
	"  <example>Cert Hash(sha1) \"0123ABCD\"] was successfully loaded for encryption</example>\n"
	"  <counterexample>A self-generated certificate was successfully loaded for encryption"
	"</counterexample>\n"
	"</signature>\n"
	"<signature id=\"handshake\" severity=\"info\"><title>T</title><cause>C</cause>\n"
	"  <trigger><event ids=\"36880\"/></trigger>\n"
	"  <fact name=\"tls.protocol_negotiated\" value=\"${Protocol} (${Type})\"/>\n"
	"  <example source=\"evtx\" event=\"36880\">x</example>\n"
	"  <counterexample source=\"evtx\" event=\"36881\">x</counterexample>\n"
	"</signature>\n"
	"<signature id=\"driver-seen\" severity=\"info\"><title>T</title><cause>C</cause>\n"
	"  <trigger><pattern literal=\"odbc sql server driver|native client\">\\[(?&lt;driver&gt;"
	"ODBC SQL Server Driver|SQL Server Native Client 11\\.0)\\]</pattern></trigger>\n"
	"  <fact name=\"sql_client.in_use\" value=\"${driver}\"/>\n"
	"  <example>[Microsoft][ODBC SQL Server Driver]x</example><counterexample>y</counterexample>\n"
	"</signature>\n"
	"<signature id=\"dbnetlib\" severity=\"error\"><title>T</title><cause>C</cause>\n"
	"  <trigger><pattern literal=\"ssl security error\">\\[DBNETLIB\\]SSL Security error</pattern>"
	"</trigger>\n"
	"  <fact name=\"sql_client.in_use\" value=\"DBNETLIB\"/>\n"
	"  <remedy ref=\"fix-client\"/>\n"
	"  <example>[DBNETLIB]SSL Security error</example><counterexample>y</counterexample>\n"
	"</signature>\n"
	"<signature id=\"clr\" severity=\"info\"><title>T</title><cause>C</cause>\n"
	"  <trigger><pattern literal=\"clr version\">CLR Version: (?&lt;clr&gt;[0-9.]+)</pattern>"
	"</trigger>\n"
	"  <fact name=\"dotnet.clr_version\" value=\"${clr}\"/>\n"
	"  <example>CLR Version: 4.0.30319.42000</example><counterexample>y</counterexample>\n"
	"</signature>\n"
	"<signature id=\"netfx\" severity=\"warning\"><title>T</title><cause>C</cause>\n"
	"  <check name=\"netfx-release\"/><remedy ref=\"fix-client\"/>\n"
	"</signature>\n"
	"<signature id=\"legacy\" severity=\"warning\"><title>T</title><cause>C</cause>\n"
	"  <check name=\"sql-client-legacy-driver\"/><remedy ref=\"fix-client\"/>\n"
	"</signature>\n"
	"</signatures>\n";

static struct td_sigdb *db;
static struct td_matcher *m;
static struct td_diagnoser *d;

static int to_diag(const struct td_match *mt, void *user)
{
	ck_assert_int_eq(td_diagnoser_match(user, mt), TD_OK);
	return 0;
}

static void feed_event(const struct td_event *ev)
{
	ck_assert_int_eq(td_diagnoser_event(d, ev), TD_OK);
	ck_assert_int_ge(td_matcher_event(m, ev, to_diag, d), 0);
}

static void feed(const char *path, uint64_t line, const char *msg)
{
	struct td_event ev = { .format = TD_FMT_PLAIN, .path = td_str_cstr(path), .line = line,
			       .line_end = line, .record = line, .message = td_str_cstr(msg) };
	feed_event(&ev);
}

static void setup(void)
{
	struct td_err err = { 0 };
	ck_assert_msg(td_fixture_load(doc, &db, &err) == TD_OK, "%s", err.msg);
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
	d = td_diagnoser_new(db, 3);
	ck_assert_ptr_nonnull(d);
}

static void teardown(void)
{
	td_diagnoser_free(d);
	td_matcher_free(m);
	td_sigdb_free(db);
}

static const struct td_fact *fact(const struct td_diagnosis *dx, const char *name, size_t nth)
{
	for (size_t i = 0; i < dx->nfacts; i++)
		if (strcmp(dx->facts[i].name, name) == 0 && nth-- == 0)
			return &dx->facts[i];
	return NULL;
}

static const struct td_finding *finding(const struct td_diagnosis *dx, const char *id)
{
	for (size_t i = 0; i < dx->nfindings; i++)
		if (strcmp(dx->findings[i].sig->id, id) == 0)
			return &dx->findings[i];
	return NULL;
}

/* An informational signature with facts gives a fact with its evidence and
 * no finding; the same line twice gives the fact once. */
START_TEST(info_signature_feeds_facts_not_findings)
{
	td_diagnoser_begin_input(d);
	feed("ERRORLOG", 7, "Cert Hash(sha1) \"0123ABCD\"] was successfully loaded for encryption.");
	feed("ERRORLOG", 9, "Cert Hash(sha1) \"0123ABCD\"] was successfully loaded for encryption.");
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	ck_assert_uint_eq(dx->nfindings, 0);
	ck_assert_uint_eq(dx->count[TD_SEV_INFO], 0);
	const struct td_fact *f = fact(dx, "sql_server.certificate", 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->value, "0123ABCD");
	ck_assert_str_eq(f->path, "ERRORLOG");
	ck_assert_uint_eq(f->line, 7);
	ck_assert_ptr_null(fact(dx, "sql_server.certificate", 1));
	td_diagnosis_free(dx);
}
END_TEST

/* ${Name} takes the event field first; a fact whose field is absent is not
 * set. */
START_TEST(templates_take_fields_and_skip_missing)
{
	td_diagnoser_begin_input(d);
	struct td_field fields[] = { { TD_STR_LIT("Type"), TD_STR_LIT("client") },
				     { TD_STR_LIT("Protocol"), TD_STR_LIT(" TLS 1.0\n") } };
	struct td_event ev = { .format = TD_FMT_EVTX, .path = TD_STR_LIT("System.evtx"),
			       .record = 3, .has_event_id = true, .event_id = 36880,
			       .fields = fields, .nfields = 2 };
	feed_event(&ev);
	ev.record = 4;
	ev.nfields = 1; /* no Protocol: no fact */
	feed_event(&ev);
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	ck_assert_uint_eq(dx->nfindings, 0);
	ck_assert_uint_eq(dx->nfacts, 1);
	ck_assert_str_eq(dx->facts[0].name, "tls.protocol_negotiated");
	ck_assert_str_eq(dx->facts[0].value, "TLS 1.0 (client)");
	td_diagnosis_free(dx);
}
END_TEST

/* The expansion itself: white space collapsed, the buffer's size kept. */
START_TEST(value_expansion_limits)
{
	struct td_sigfact f = { .name = "a.b", .value = "v=${x}!" };
	struct td_event ev = { .message = TD_STR_LIT("m") };
	struct td_match mt = { .ev = &ev, .ncaps = 1 };
	mt.caps[0].name = TD_STR_LIT("x");
	mt.caps[0].value = TD_STR_LIT("a \n\t b");
	char out[16];
	ck_assert(td_sigfact_value(&f, &mt, out, sizeof(out)));
	ck_assert_str_eq(out, "v=a b!");
	ck_assert(!td_sigfact_value(&f, &mt, out, 5));
	mt.caps[0].value = TD_STR_LIT("  ");
	ck_assert(!td_sigfact_value(&f, &mt, out, sizeof(out)));
	struct td_sigfact g = { .name = "a.b", .value = "${y}" };
	ck_assert(!td_sigfact_value(&g, &mt, out, sizeof(out)));
}
END_TEST

/* A log naming the legacy driver feeds the driver check of its machine: a
 * warning citing the log line; a failure signature sets its fact and keeps
 * its finding. */
START_TEST(log_driver_feeds_the_driver_check)
{
	td_diagnoser_begin_input(d);
	feed("CLI07/app.log", 4, "[Microsoft][ODBC SQL Server Driver]Timeout expired");
	feed("CLI07/app.log", 5, "[DBNETLIB]SSL Security error");
	td_diagnoser_begin_input(d);
	feed("CM01/smsprov.log", 2, "[SQL Server Native Client 11.0]TCP Provider: error");
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	ck_assert_ptr_nonnull(finding(dx, "dbnetlib"));
	ck_assert_ptr_nonnull(fact(dx, "sql_client.in_use", 0));
	ck_assert_str_eq(fact(dx, "sql_client.in_use", 0)->value, "ODBC SQL Server Driver");
	ck_assert_str_eq(fact(dx, "sql_client.in_use", 1)->value, "DBNETLIB");
	size_t legacy = 0, info = 0;
	for (size_t i = 0; i < dx->nfindings; i++) {
		const struct td_finding *f = &dx->findings[i];
		if (strcmp(f->sig->id, "legacy") != 0)
			continue;
		ck_assert_ptr_nonnull(f->machine);
		if (strcmp(f->machine, "CLI07") == 0) {
			legacy++;
			ck_assert_int_eq(f->severity, TD_SEV_WARNING);
			ck_assert_str_eq(f->evidence[0].path, "CLI07/app.log");
			ck_assert_uint_eq(f->evidence[0].line, 4);
			ck_assert_msg(strstr(f->detail, "legacy SQL Server client") != NULL, "%s",
				      f->detail);
		} else {
			info++;
			ck_assert_str_eq(f->machine, "CM01");
			ck_assert_int_eq(f->severity, TD_SEV_INFO);
			ck_assert_msg(strstr(f->detail, "Native Client 11.0 in use") != NULL, "%s",
				      f->detail);
		}
	}
	ck_assert_uint_eq(legacy, 1);
	ck_assert_uint_eq(info, 1);
	td_diagnosis_free(dx);
}
END_TEST

/* A log's CLR revision below 42000 (.NET 4.5.2 or older) feeds the .NET
 * release check when no registry export gives the Release; 42000 does not. */
START_TEST(log_clr_feeds_the_netfx_check)
{
	td_diagnoser_begin_input(d);
	feed("APP01/svc.log", 3, "Service started. CLR Version: 4.0.30319.34209");
	td_diagnoser_begin_input(d);
	feed("APP02/svc.log", 3, "Service started. CLR Version: 4.0.30319.42000");
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	size_t hits = 0;
	for (size_t i = 0; i < dx->nfindings; i++) {
		const struct td_finding *f = &dx->findings[i];
		if (strcmp(f->sig->id, "netfx") != 0)
			continue;
		hits++;
		ck_assert_str_eq(f->machine, "APP01");
		ck_assert_uint_eq(f->evidence[0].line, 3);
		ck_assert_msg(strstr(f->detail, "4.5.2 or older") != NULL, "%s", f->detail);
	}
	ck_assert_uint_eq(hits, 1);
	td_diagnosis_free(dx);
}
END_TEST

Suite *sigfacts_suite(void)
{
	Suite *s = suite_create("sigfacts");
	TCase *tc = tcase_create("sigfacts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, info_signature_feeds_facts_not_findings);
	tcase_add_test(tc, templates_take_fields_and_skip_missing);
	tcase_add_test(tc, value_expansion_limits);
	tcase_add_test(tc, log_driver_feeds_the_driver_check);
	tcase_add_test(tc, log_clr_feeds_the_netfx_check);
	suite_add_tcase(s, tc);
	return s;
}
