/* Unit tests for event conditions in signatures: <event ids provider>,
 * field patterns, examples with fields, conditional remedies. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "explain.h"
#include "match.h"
#include "selfcheck.h"
#include "sigfixture.h"

static const char doc[] =
	"<signatures family=\"test\">\n"
	"  <signature id=\"alert-generated\" kb=\"G20\" severity=\"error\">\n"
	"    <title>Alert</title><cause>Cause.</cause>\n"
	"    <trigger><event ids=\"36888 36887\" provider=\"^Schannel$\"/></trigger>\n"
	"    <remedy ref=\"fix-client\" when=\"AlertDesc=70|71\"/>\n"
	"    <remedy ref=\"fix-last\"/>\n"
	"    <example source=\"evtx\" event=\"36888\" component=\"Schannel\" fields=\"AlertDesc=40\">x</example>\n"
	"    <counterexample source=\"evtx\" event=\"36888\" component=\"Other\">x</counterexample>\n"
	"  </signature>\n"
	"  <signature id=\"dhe\" kb=\"H05\" severity=\"error\">\n"
	"    <title>DHE</title><cause>Cause.</cause>\n"
	"    <trigger><event ids=\"36888\"/><pattern field=\"AlertDesc\">^20$</pattern>"
	"<pattern field=\"ErrorState\">^960$</pattern></trigger>\n"
	"    <supersedes ref=\"alert-generated\"/>\n"
	"    <remedy ref=\"fix-client\"/>\n"
	"    <example source=\"evtx\" event=\"36888\" fields=\"AlertDesc=20;ErrorState=960\">x</example>\n"
	"    <counterexample source=\"evtx\" event=\"36888\" fields=\"AlertDesc=20;ErrorState=1205\">x</counterexample>\n"
	"  </signature>\n"
	"</signatures>\n";

static struct td_sigdb *db;
static struct td_matcher *m;

static void setup(void)
{
	struct td_err err;
	int rc = td_fixture_load(doc, &db, &err);
	ck_assert_msg(rc == TD_OK, "load: %s", err.msg);
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
}

static void teardown(void)
{
	td_matcher_free(m);
	td_sigdb_free(db);
}

struct hits {
	char ids[8][32];
	size_t n;
};

static int collect(const struct td_match *mt, void *user)
{
	struct hits *h = user;
	if (h->n < 8)
		snprintf(h->ids[h->n++], sizeof(h->ids[0]), "%s", mt->sig->id);
	return 0;
}

static struct hits run(uint32_t id, const char *provider, const char *alert, const char *state,
		       const char *message)
{
	struct td_field f[2] = { { TD_STR_LIT("AlertDesc"), td_str_cstr(alert) },
				 { TD_STR_LIT("ErrorState"), td_str_cstr(state) } };
	struct td_event ev = { .format = TD_FMT_EVTX, .path = TD_STR_LIT("System.evtx"),
			       .has_event_id = true, .event_id = id,
			       .provider = td_str_cstr(provider), .message = td_str_cstr(message),
			       .fields = f, .nfields = 2 };
	struct hits h = { .n = 0 };
	ck_assert_int_ge(td_matcher_event(m, &ev, collect, &h), 0);
	return h;
}

START_TEST(event_id_and_provider)
{
	/* No message at all: the event id alone finds the clause. */
	struct hits h = run(36888, "Schannel", "40", "1205", "");
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.ids[0], "alert-generated");
	h = run(36887, "Schannel", "70", "", "anything");
	ck_assert_uint_eq(h.n, 1);
	/* Provider and id must both fit. */
	ck_assert_uint_eq(run(36888, "schannel-x", "40", "", "").n, 0);
	ck_assert_uint_eq(run(36889, "Schannel", "40", "", "").n, 0);
	struct td_event noid = { .format = TD_FMT_PLAIN, .provider = TD_STR_LIT("Schannel"),
				 .message = TD_STR_LIT("36888") };
	struct hits none = { .n = 0 };
	ck_assert_int_eq(td_matcher_event(m, &noid, collect, &none), 0);
}
END_TEST

START_TEST(field_patterns_and_supersession)
{
	struct hits h = run(36888, "Schannel", "20", "960", "");
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.ids[0], "dhe");
	h = run(36888, "Schannel", "20", "961", "");
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.ids[0], "alert-generated");
}
END_TEST

START_TEST(examples_carry_fields)
{
	struct td_selfcheck_stats st;
	td_sigdb_selfcheck(db, m, NULL, NULL, &st);
	ck_assert_uint_eq(st.failures, 0);
	ck_assert_uint_eq(st.examples, 2);
	ck_assert_uint_eq(st.counterexamples, 2);
}
END_TEST

static int to_diag(const struct td_match *mt, void *user)
{
	ck_assert_int_eq(td_diagnoser_match(user, mt), TD_OK);
	return 0;
}

static bool plan_has(const struct td_diagnosis *dx, const char *remedy)
{
	for (size_t i = 0; i < dx->nplan; i++)
		if (strcmp(dx->plan[i].remedy->id, remedy) == 0)
			return true;
	return false;
}

static struct td_diagnosis *diagnose(const char *const *alerts, size_t n)
{
	struct td_diagnoser *d = td_diagnoser_new(db, 5);
	td_diagnoser_begin_input(d);
	for (size_t i = 0; i < n; i++) {
		struct td_field f[1] = { { TD_STR_LIT("AlertDesc"), td_str_cstr(alerts[i]) } };
		struct td_event ev = { .format = TD_FMT_EVTX, .path = TD_STR_LIT("System.evtx"),
				       .record = i + 1, .has_event_id = true, .event_id = 36888,
				       .provider = TD_STR_LIT("Schannel"), .fields = f, .nfields = 1 };
		ck_assert_int_ge(td_matcher_event(m, &ev, to_diag, d), 0);
	}
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	td_diagnoser_free(d);
	return dx;
}

START_TEST(conditional_remedies)
{
	const char *no70[] = { "40", "48" };
	struct td_diagnosis *dx = diagnose(no70, 2);
	ck_assert_uint_eq(dx->nfindings, 1);
	ck_assert_uint_eq(dx->findings[0].count, 2);
	ck_assert(!plan_has(dx, "fix-client"));
	ck_assert(plan_has(dx, "fix-last"));
	ck_assert(!td_finding_uses_remedy(&dx->findings[0], 0));
	td_diagnosis_free(dx);
	/* One event of the burst with the value is enough; any listed value. */
	const char *some71[] = { "40", " 71 ", "40" };
	dx = diagnose(some71, 3);
	ck_assert_uint_eq(dx->findings[0].count, 3);
	ck_assert(plan_has(dx, "fix-client"));
	ck_assert(td_finding_uses_remedy(&dx->findings[0], 0));
	td_diagnosis_free(dx);
}
END_TEST

START_TEST(load_errors)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
		{ "<signatures family=\"t\"><signature id=\"x\" kb=\"G20\" severity=\"error\">"
		  "<title>t</title><cause>c</cause><trigger><event ids=\"99999\"/></trigger>"
		  "<example>a</example><counterexample>b</counterexample></signature></signatures>",
		  "event id '99999' is not a number up to 65535" },
		{ "<signatures family=\"t\"><signature id=\"x\" kb=\"G20\" severity=\"error\">"
		  "<title>t</title><cause>c</cause><trigger><event ids=\"1\" provider=\"(\"/></trigger>"
		  "<example>a</example><counterexample>b</counterexample></signature></signatures>",
		  "event provider" },
		{ "<signatures family=\"t\"><signature id=\"x\" kb=\"G20\" severity=\"error\">"
		  "<title>t</title><cause>c</cause><trigger><event ids=\"1\"/></trigger>"
		  "<example fields=\"novalue\">a</example><counterexample>b</counterexample>"
		  "</signature></signatures>",
		  "example field 'novalue' is not name=value" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct td_sigdb *bad = NULL;
		struct td_err err = { 0 };
		ck_assert_int_ne(td_fixture_load(cases[i].doc, &bad, &err), TD_OK);
		ck_assert_msg(strstr(err.msg, cases[i].want), "case %zu: %s", i, err.msg);
		ck_assert_ptr_null(bad);
	}
}
END_TEST

static size_t explained(const struct td_sigdb *real, const char *message, const char *alert,
			char names[][48])
{
	struct td_field f[1] = { { TD_STR_LIT("AlertDesc"), td_str_cstr(alert) } };
	struct td_event ev = { .message = td_str_cstr(message), .fields = f, .nfields = alert ? 1 : 0 };
	const struct td_explain *x[TD_MAX_EXPLAIN];
	size_t n = td_explain_event(real, &ev, x, TD_MAX_EXPLAIN);
	for (size_t i = 0; i < n; i++)
		snprintf(names[i], 48, "%s %u %s", td_explain_kind_name(x[i]->kind), x[i]->code,
			 x[i]->name);
	return n;
}

START_TEST(numbers_are_explained)
{
	struct td_sigdb *real = NULL;
	struct td_err err;
	ck_assert_int_eq(td_sigdb_load(TD_TEST_SOURCE_DIR "/signatures", TD_TEST_SCHEMA, &real, &err),
			 TD_OK);
	char n[TD_MAX_EXPLAIN][48];
	ck_assert_uint_eq(explained(real, "", "70", n), 1);
	ck_assert_str_eq(n[0], "alert 70 protocol_version");
	ck_assert_uint_eq(explained(real, "The TLS protocol defined fatal error code is 20. The "
					  "Windows SChannel error state is 960.", NULL, n), 2);
	ck_assert_str_eq(n[0], "alert 20 bad_record_mac");
	ck_assert_str_eq(n[1], "state 960 Unwrap_DecryptFailure");
	/* HRESULT-wrapped WinHTTP errors, signed decimals, flag words. */
	ck_assert_uint_eq(explained(real, "failed with 0x80072F8F", NULL, n), 1);
	ck_assert_str_eq(n[0], "winhttp 12175 ERROR_WINHTTP_SECURE_FAILURE");
	ck_assert_uint_eq(explained(real, "HResult=-2146893007 (x0x80090331)", NULL, n), 1);
	ck_assert_str_eq(n[0], "status 2148074289 SEC_E_ALGORITHM_MISMATCH");
	ck_assert_uint_eq(explained(real, "lpvStatusInformation is 0x00000018", NULL, n), 2);
	ck_assert_str_eq(n[0], "secure-failure 16 CERT_CN_INVALID");
	ck_assert_str_eq(n[1], "secure-failure 8 INVALID_CA");
	/* Cipher suites and protocol bits in the handshake event's fields. */
	{
		struct td_field f[2] = { { TD_STR_LIT("CipherSuite"), TD_STR_LIT("0xc030") },
					 { TD_STR_LIT("Protocol"), TD_STR_LIT("0x800") } };
		struct td_event ev = { .fields = f, .nfields = 2 };
		const struct td_explain *x[TD_MAX_EXPLAIN];
		ck_assert_uint_eq(td_explain_event(real, &ev, x, TD_MAX_EXPLAIN), 2);
		ck_assert_str_eq(x[0]->name, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
		ck_assert_str_eq(x[1]->name, "TLS 1.2 (client)");
	}
	/* Unknown numbers and non-codes explain nothing. */
	ck_assert_uint_eq(explained(real, "build 0x12345678, id 0xDEADBEEFCAFE", "999", n), 0);
	td_sigdb_free(real);
}
END_TEST

Suite *eventsig_suite(void)
{
	Suite *s = suite_create("eventsig");
	TCase *tc = tcase_create("eventsig");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, event_id_and_provider);
	tcase_add_test(tc, field_patterns_and_supersession);
	tcase_add_test(tc, examples_carry_fields);
	tcase_add_test(tc, conditional_remedies);
	tcase_add_test(tc, load_errors);
	suite_add_tcase(s, tc);
	TCase *tx = tcase_create("explain");
	tcase_add_test(tx, numbers_are_explained);
	suite_add_tcase(s, tx);
	return s;
}
