/* Unit tests for signatures/sigdb.c: loading, validation errors, and the
 * self-check. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "selfcheck.h"
#include "sigdb.h"
#include "sigfixture.h"

START_TEST(fixture_loads_and_resolves)
{
	struct td_sigdb *db = td_fixture_db();
	ck_assert_uint_eq(db->nsigs, 7);
	const struct td_signature *s = td_sigdb_find(db, "specific-receive");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->kb, "A04");
	ck_assert_int_eq(s->confidence, TD_CONF_HIGH);
	ck_assert_uint_eq(s->nscopes, 2);
	ck_assert(s->scopes[0].formats & (1u << TD_FMT_SMSTRACE));
	ck_assert(!(s->scopes[0].formats & (1u << TD_FMT_CMTRACE)));
	ck_assert_uint_eq(s->nsupersedes, 1);
	ck_assert_str_eq(s->supersedes[0]->id, "generic-receive");
	ck_assert_uint_eq(s->nremedies, 2);
	ck_assert_int_eq(s->remedies[1]->phase, TD_PHASE_LAST);
	const struct td_signature *n = td_sigdb_find(db, "needs-context");
	ck_assert_uint_eq(n->nclauses, 2);
	ck_assert_int_eq(n->clauses[1].role, TD_ROLE_REQUIRE);
	ck_assert_uint_eq(n->clauses[1].conds[0].nliterals, 2);
	ck_assert_str_eq(n->clauses[1].conds[0].literals[1], "obengine");
	ck_assert_int_eq(n->clauses[0].key->kind, TD_COND_CODE);
	const struct td_remedy *r = td_sigdb_find_remedy(db, "fix-client");
	ck_assert_str_eq(r->steps[0].text, "Set it.");
	ck_assert_uint_eq(r->steps[0].nvalues, 1);
	ck_assert_str_eq(r->steps[0].values[0].key, "HKLM\\SOFTWARE\\X");
	ck_assert_str_eq(r->refs[0]->url, "https://example.invalid/a");
	ck_assert_int_eq(td_sigdb_find(db, "sql-min")->check, TD_CHECK_SQL_BUILD_TLS12);
	ck_assert_uint_eq(db->nsql_versions, 3);
	ck_assert_uint_eq(db->sql_versions[1].major, 1100);
	ck_assert_ptr_null(td_sigdb_find(db, "nope"));
	td_sigdb_free(db);
}
END_TEST

struct bad_case {
	const char *doc;
	const char *want; /* substring of the error message */
};

#define SIG_HEAD "<signatures family=\"t\">\n<signature id=\"x\" kb=\"A01\" severity=\"error\">\n" \
		 "<title>T</title><cause>C</cause>\n"
#define SIG_TAIL_OPEN "<example>abcd</example><counterexample>zzzz</counterexample>\n" \
		      "</signature>\n"
#define SIG_TAIL SIG_TAIL_OPEN "</signatures>\n"

static const struct bad_case bad_cases[] = {
	{ "<signatures family=\"t\"><signature>", "test.xml:1: not well-formed XML" },
	{ "<signatures family=\"t\"><bogus/></signatures>", "test.xml:1: does not follow" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abc(d</pattern></trigger>" SIG_TAIL,
	  "test.xml:4: signature 'x': pattern: missing closing parenthesis" },
	{ SIG_HEAD "<trigger><pattern literal=\"ab\">abcd</pattern></trigger>" SIG_TAIL,
	  "test.xml:4: signature 'x': literal alternative 'ab' is shorter than 4 bytes" },
	{ SIG_HEAD "<trigger><pattern>abcd</pattern></trigger>" SIG_TAIL,
	  "test.xml:4: signature 'x': trigger clause needs an event id, a message literal or a code" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<remedy ref=\"no-such-remedy\"/>" SIG_TAIL,
	  "test.xml:4: signature 'x': unknown remedy 'no-such-remedy'" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<ref key=\"NOPE\"/>" SIG_TAIL,
	  "signature 'x': unknown reference 'NOPE'" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<supersedes ref=\"x\"/>" SIG_TAIL,
	  "signature 'x': supersedes itself" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<example>abcd</example></signature></signatures>",
	  "test.xml:2: signature 'x': needs at least one example and one counterexample" },
	{ SIG_HEAD "<scope component=\"(\"/><trigger><pattern literal=\"abcd\">abcd</pattern></trigger>" SIG_TAIL,
	  "signature 'x': scope component:" },
	{ SIG_HEAD "<trigger><code value=\"0x123456789\"/></trigger>" SIG_TAIL,
	  "test.xml:4: does not follow" },
	{ "<signatures family=\"t\">\n<signature id=\"x\" kb=\"A01\" severity=\"error\"><title>T</title>"
	  "<cause>C</cause></signature>\n<signature id=\"x\" kb=\"A02\" severity=\"error\"><title>T</title>"
	  "<cause>C</cause></signature></signatures>",
	  "test.xml:3: signature 'x': duplicate id (first defined in test.xml:2)" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<peer ref=\"nope\"/>" SIG_TAIL,
	  "test.xml:4: signature 'x': peer is an unknown signature 'nope'" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<peer ref=\"x\"/>" SIG_TAIL,
	  "signature 'x': peer of itself" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<peer ref=\"c\"/>" SIG_TAIL_OPEN
	  "<signature id=\"c\" severity=\"warning\"><title>T</title><cause>C</cause>"
	  "<check name=\"snac-version\"/></signature></signatures>",
	  "signature 'x': peer 'c': both ends must match log events" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<fact name=\"a.b\" value=\"${x\"/>" SIG_TAIL,
	  "test.xml:4: signature 'x': fact 'a.b': value '${x' has an unclosed or empty ${...}" },
	{ SIG_HEAD "<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		   "<fact name=\"nodot\" value=\"v\"/>" SIG_TAIL,
	  "test.xml:4: does not follow" },
	{ SIG_HEAD "<check name=\"snac-version\"/><fact name=\"a.b\" value=\"v\"/>" SIG_TAIL,
	  "test.xml:4: signature 'x': facts need a trigger to set them" },
	{ "<signatures family=\"t\"><remedy id=\"fix-client\" phase=\"client\"><title>T</title>"
	  "<step>S</step></remedy></signatures>",
	  "remedy 'fix-client': duplicate id" },
	{ "<signatures family=\"t\"><remedy id=\"r\" phase=\"client\"><title>T</title>"
	  "<step kind=\"registry\">no values</step></remedy></signatures>",
	  "remedy 'r': registry step without values" },
};

START_TEST(load_errors_name_file_line_and_id)
{
	const struct bad_case *c = &bad_cases[_i];
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	int rc = td_fixture_load(c->doc, &db, &err);
	ck_assert_int_eq(rc, TD_E_RULE);
	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(err.msg, c->want) != NULL, "case %d: got '%s', want '%s'", _i, err.msg,
		      c->want);
}
END_TEST

/* <peer> is symmetric, and declaring it on both sides (or twice) adds it once. */
START_TEST(peers_are_symmetric)
{
	static const char doc[] =
		"<signatures family=\"t\">\n"
		"<signature id=\"a\" severity=\"error\"><title>T</title><cause>C</cause>"
		"<trigger><pattern literal=\"aaaa\">aaaa</pattern></trigger>"
		"<peer ref=\"b\"/><peer ref=\"c\"/><peer ref=\"b\"/>"
		"<example>aaaa</example><counterexample>zzzz</counterexample></signature>\n"
		"<signature id=\"b\" severity=\"error\"><title>T</title><cause>C</cause>"
		"<trigger><pattern literal=\"bbbb\">bbbb</pattern></trigger><peer ref=\"a\"/>"
		"<example>bbbb</example><counterexample>zzzz</counterexample></signature>\n"
		"<signature id=\"c\" severity=\"info\"><title>T</title><cause>C</cause>"
		"<trigger><pattern literal=\"cccc\">cccc</pattern></trigger>"
		"<example>cccc</example><counterexample>zzzz</counterexample></signature>\n"
		"</signatures>\n";
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	ck_assert_int_eq(td_fixture_load(doc, &db, &err), TD_OK);
	const struct td_signature *a = td_sigdb_find(db, "a"), *b = td_sigdb_find(db, "b"),
				  *c = td_sigdb_find(db, "c");
	ck_assert_uint_eq(a->npeers, 2);
	ck_assert_ptr_eq(a->peers[0], b);
	ck_assert_ptr_eq(a->peers[1], c);
	ck_assert_uint_eq(b->npeers, 1);
	ck_assert_ptr_eq(b->peers[0], a);
	ck_assert_uint_eq(c->npeers, 1);
	ck_assert_ptr_eq(c->peers[0], a);
	td_sigdb_free(db);
}
END_TEST

/* Entities are never expanded and external ones never fetched. */
START_TEST(no_entity_expansion)
{
	const char *doc =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE signatures [<!ENTITY secret SYSTEM \"file:///etc/hostname\">"
		"<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
		"<signatures family=\"t\"><reference key=\"R\">x&secret;&b;</reference></signatures>";
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	int rc = td_fixture_load(doc, &db, &err);
	if (rc == TD_OK) {
		const struct td_reference *r = td_sigdb_find_ref(db, "R");
		ck_assert_ptr_nonnull(r);
		ck_assert_msg(strstr(r->title, "aaaaaaaaaa") == NULL, "entity expanded: %s", r->title);
		ck_assert_uint_le(strlen(r->title), 2);
		td_sigdb_free(db);
	} else {
		ck_assert_int_eq(rc, TD_E_RULE);
	}
}
END_TEST

START_TEST(missing_directory_and_schema)
{
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	ck_assert_int_eq(td_sigdb_load("/nonexistent/dir", NULL, &db, &err), TD_E_IO);
	ck_assert(strstr(err.msg, "/nonexistent/dir") != NULL);
	const char *docs[] = { "<signatures family=\"t\"/>" };
	size_t lens[] = { strlen(docs[0]) };
	const char *names[] = { "a.xml" };
	ck_assert_int_eq(td_sigdb_load_memory(docs, lens, names, 1, "/nonexistent.xsd", &db, &err),
			 TD_E_RULE);
	ck_assert(strstr(err.msg, "cannot load schema") != NULL);
}
END_TEST

static void count_failure(void *user, const char *line)
{
	(*(int *)user)++;
}

START_TEST(selfcheck_passes_on_fixture_and_catches_lies)
{
	struct td_sigdb *db = td_fixture_db();
	struct td_matcher *m;
	struct td_err err;
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
	int fails = 0;
	struct td_selfcheck_stats st;
	td_sigdb_selfcheck(db, m, count_failure, &fails, &st);
	ck_assert_int_eq(fails, 0);
	ck_assert_uint_eq(st.failures, 0);
	ck_assert_uint_eq(st.examples, 6);
	td_matcher_free(m);
	td_sigdb_free(db);

	/* A counterexample that matches, an example that does not, and a
	 * literal missing from text the pattern matches. */
	const char *doc = SIG_HEAD
		"<trigger><pattern literal=\"abcd|wxyz\">abcd|wxyz|qqqq</pattern></trigger>"
		"<example>qqqq</example><example>nothing</example>"
		"<counterexample>abcd</counterexample></signature></signatures>";
	ck_assert_int_eq(td_fixture_load(doc, &db, &err), TD_OK);
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
	fails = 0;
	td_sigdb_selfcheck(db, m, count_failure, &fails, &st);
	ck_assert_int_eq(fails, 4); /* qqqq unmatched + its literal, nothing, abcd */
	td_matcher_free(m);
	td_sigdb_free(db);

	/* require: the examples together must show the context; a
	 * counterexample without it is not matched, one with it is. */
	doc = SIG_HEAD
		"<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		"<require><pattern literal=\"azure\">azure</pattern></require>"
		"<example>abcd</example><example>azure agent</example>"
		"<counterexample>abcd alone</counterexample></signature></signatures>";
	ck_assert_int_eq(td_fixture_load(doc, &db, &err), TD_OK);
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
	fails = 0;
	td_sigdb_selfcheck(db, m, count_failure, &fails, &st);
	ck_assert_int_eq(fails, 1); /* "azure agent" is an example that does not trigger */
	td_matcher_free(m);
	td_sigdb_free(db);
	doc = SIG_HEAD
		"<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		"<require><pattern literal=\"azure\">azure</pattern></require>"
		"<example>abcd</example>"
		"<counterexample>abcd in azure</counterexample></signature></signatures>";
	ck_assert_int_eq(td_fixture_load(doc, &db, &err), TD_OK);
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
	fails = 0;
	td_sigdb_selfcheck(db, m, count_failure, &fails, &st);
	ck_assert_int_eq(fails, 2); /* no example shows the require; the counterexample has it */
	td_matcher_free(m);
	td_sigdb_free(db);
	doc = SIG_HEAD
		"<trigger><pattern literal=\"abcd\">abcd</pattern></trigger>"
		"<require><pattern literal=\"azure\">azure</pattern></require>"
		"<example>abcd azure</example>"
		"<counterexample>abcd alone</counterexample></signature></signatures>";
	ck_assert_int_eq(td_fixture_load(doc, &db, &err), TD_OK);
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
	fails = 0;
	td_sigdb_selfcheck(db, m, count_failure, &fails, &st);
	ck_assert_int_eq(fails, 0);
	td_matcher_free(m);
	td_sigdb_free(db);
}
END_TEST

/* The shipped database loads and passes its own self-check. */
START_TEST(shipped_database_is_valid)
{
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	int rc = td_sigdb_load(TD_TEST_SOURCE_DIR "/signatures", NULL, &db, &err);
	ck_assert_msg(rc == TD_OK, "%s", err.msg);
	struct td_matcher *m;
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
	int fails = 0;
	td_sigdb_selfcheck(db, m, count_failure, &fails, NULL);
	ck_assert_int_eq(fails, 0);
	td_matcher_free(m);
	td_sigdb_free(db);
}
END_TEST

/* Sections A, C, D and E of kb/SIGNATURES.md ship in full, by their ids. */
START_TEST(shipped_database_covers_sections_a_c_d_e)
{
	static const char *const ids[] = {
		"cm-sql-sslsecurityerror", "cm-sql-snac-forcibly-closed", "cm-snac-version-prereq",
		"cm-srsrp-receive-closed", "cm-reports-not-in-console", "cm-scp-upload-tls",
		"cm-scp-digicert-g2-chain", "cm-console-azure-signin", "cm-cmg-console-36874",
		"cm-cmg-enforce-tls12-scope", "cm-ccmhttp-12175-rev-failed", "cm-ccmhttp-12175-invalid-ca",
		"cm-ccmhttp-12175-cn-invalid", "cm-cmg-403-clientcert", "cm-client-winhttp-old-os",
		"cm-appcatalog-soap-algorithm", "cm-fips-forces-tls10", "cm-sup-wsyncmgr-receive",
		"cm-wsyncmgr-trust-800b0109", "cm-scan-client-cert-required",
		"mars-10054-forcibly-closed", "mars-console-services-after-tls10-off",
		"azure-root-ca-change", "mars-old-os-no-tls12",
		"sql-errlog-cert-loaded", "sql-errlog-self-generated-cert",
		"sql-startup-cert-not-usable-0x80092004", "sql-startup-thumbprint-bad-char",
		"sql-startup-security-library-26011", "sql-startup-all-protocols-disabled",
		"sql-startup-fallback-cert-17190", "sql-17194-ssl-provider-library",
		"sql-client-233-no-process-on-pipe", "sql-client-login-ssl-10054",
		"sql-client-prelogin-tcp-10054", "sql-client-sni-31-handshake-failed",
		"sql-client-untrusted-chain", "sql-client-dbnetlib-ssl-security-error",
		"sql-client-target-principal", "sql-endpoint-80090331-state56",
		"sql-endpoint-md5-cert-state58", "sql-endpoint-ssl-pe-no-cipher", "sql-ssrs-db-unavailable",
		"sql-rsconfig-prelogin", "sql-dbmail-tls", "sql-kb3146034-affected-build",
		"sql-linked-server-cipher-policy", "sql-agent-17052-tls", "sql-agent-10054-after-os-patch",
		"sql-build-below-tls12-min", "sql-client-insecure-tls-warning", "sql-weak-hash-server-cert",
		"sql-setup-on-tls12-only-server", "sql-client-no-common-algorithm",
		"net-could-not-create-secure-channel", "net-unexpected-error-on-send",
		"net-unexpected-error-on-receive", "net-no-common-algorithm-local",
		"net-remote-party-closed-stream", "net-sspi-call-failed",
		"net-trust-failure-remote-cert-invalid", "net-runtime-too-old",
		"net-strongcrypto-registry-missing", "net-appcontext-switch-forces-legacy",
		"net-wcf-tcp-cert-hardcoded",
	};
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	ck_assert_int_eq(td_sigdb_load(TD_TEST_SOURCE_DIR "/signatures", NULL, &db, &err), TD_OK);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct td_signature *s = td_sigdb_find(db, ids[i]);
		ck_assert_msg(s != NULL, "missing signature %s", ids[i]);
		ck_assert(s->title && s->cause && s->nrefs > 0);
		/* Every signature that can fire says how to fix it. */
		ck_assert_msg(s->nremedies > 0 || s->severity == TD_SEV_INFO, "%s has no remedy", ids[i]);
	}
	td_sigdb_free(db);
}
END_TEST

Suite *sigdb_suite(void)
{
	Suite *s = suite_create("sigdb");
	TCase *tc = tcase_create("sigdb");
	tcase_add_test(tc, fixture_loads_and_resolves);
	tcase_add_loop_test(tc, load_errors_name_file_line_and_id, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, peers_are_symmetric);
	tcase_add_test(tc, no_entity_expansion);
	tcase_add_test(tc, missing_directory_and_schema);
	tcase_add_test(tc, selfcheck_passes_on_fixture_and_catches_lies);
	tcase_add_test(tc, shipped_database_is_valid);
	tcase_add_test(tc, shipped_database_covers_sections_a_c_d_e);
	suite_add_tcase(s, tc);
	return s;
}
