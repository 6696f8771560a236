/* Unit tests for signatures/match.c: prefilter, scope, codes, captures,
 * unless and supersedes. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "match.h"
#include "sigfixture.h"

struct seen {
	char ids[16][48];
	enum td_role roles[16];
	char caps[16][64];
	size_t n;
};

static int record(const struct td_match *m, void *user)
{
	struct seen *s = user;
	if (s->n < 16) {
		snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", m->sig->id);
		s->roles[s->n] = m->clause->role;
		s->caps[s->n][0] = '\0';
		for (size_t i = 0; i < m->ncaps; i++)
			snprintf(s->caps[s->n], sizeof(s->caps[0]), "%.*s=%.*s",
				 td_str_pfmt(m->caps[i].name), td_str_pfmt(m->caps[i].value));
		s->n++;
	}
	return 0;
}

static struct seen run(struct td_matcher *m, enum td_format fmt, const char *component,
		       const char *path, const char *msg)
{
	struct td_event ev = { .format = fmt, .provider = td_str_cstr(component),
			       .path = td_str_cstr(path), .message = td_str_cstr(msg) };
	struct seen s = { .n = 0 };
	int rc = td_matcher_event(m, &ev, record, &s);
	ck_assert_int_eq(rc, (int)s.n);
	return s;
}

static struct td_sigdb *db;
static struct td_matcher *m;

static void setup(void)
{
	db = td_fixture_db();
	struct td_err err;
	ck_assert_int_eq(td_matcher_new(db, &m, &err), TD_OK);
}

static void teardown(void)
{
	td_matcher_free(m);
	td_sigdb_free(db);
}

START_TEST(generic_and_specific)
{
	struct seen s = run(m, TD_FMT_PLAIN, "", "app.log", "An unexpected error occurred on a receive.");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.ids[0], "generic-receive");
	/* The specific signature's scope accepts it and supersedes the generic one. */
	s = run(m, TD_FMT_SMSTRACE, "SMS_SRS_REPORTING_POINT", "x.log", "error occurred on a receive");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.ids[0], "specific-receive");
	s = run(m, TD_FMT_PLAIN, "", "D:\\SMS\\Logs\\SRSRP.log", "error occurred on a RECEIVE");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.ids[0], "specific-receive");
	/* Component scope requires the right format too. */
	s = run(m, TD_FMT_CMTRACE, "SMS_SRS_REPORTING_POINT", "x.log", "error occurred on a receive");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.ids[0], "generic-receive");
}
END_TEST

START_TEST(codes_captures_support_unless)
{
	struct seen s = run(m, TD_FMT_ERRORLOG, "spid5s", "ERRORLOG",
			    "Connection handshake failed. An OS call failed: (80090331) 0x80090331. State 56.");
	ck_assert_uint_eq(s.n, 2);
	ck_assert_str_eq(s.ids[0], "alert-code");
	ck_assert_int_eq(s.roles[0], TD_ROLE_TRIGGER);
	ck_assert_str_eq(s.caps[0], "state=56");
	ck_assert_int_eq(s.roles[1], TD_ROLE_SUPPORT);
	s = run(m, TD_FMT_APPTEXT, "", "a.log", "(Microsoft SQL Server, Error: -2146893007) State 1");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.caps[0], "state=1");
	/* unless voids the trigger (and the rest of that signature on the event). */
	s = run(m, TD_FMT_APPTEXT, "", "a.log", "handshake failed 0x80090331 State 99");
	ck_assert_uint_eq(s.n, 0);
	/* Code missing: the text alone is not enough. */
	s = run(m, TD_FMT_APPTEXT, "", "a.log", "handshake failed, State 56");
	ck_assert_uint_eq(s.n, 1);
	ck_assert_int_eq(s.roles[0], TD_ROLE_SUPPORT);
	/* A code embedded in a longer number does not count. */
	s = run(m, TD_FMT_APPTEXT, "", "a.log", "id 1800903310 State 56");
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(empty_and_unrelated_events)
{
	struct seen s = run(m, TD_FMT_PLAIN, "", "a.log", "");
	ck_assert_uint_eq(s.n, 0);
	s = run(m, TD_FMT_PLAIN, "", "a.log", "nothing to see here, all is well");
	ck_assert_uint_eq(s.n, 0);
	const struct td_match_stats *st = td_matcher_stats(m);
	ck_assert_uint_eq(st->events, 2);
	ck_assert_uint_eq(st->prefiltered, 0);
	ck_assert_uint_eq(st->regex_runs, 0);
	/* Invalid UTF-8 in the subject never errors. */
	s = run(m, TD_FMT_PLAIN, "", "a.log", "\xff\xfe error occurred on a receive \xc3");
	ck_assert_uint_eq(s.n, 1);
}
END_TEST

/* A catastrophic pattern hits the match limit: counted, not matched. */
START_TEST(match_limit_is_counted)
{
	const char *doc =
		"<signatures family=\"t\"><signature id=\"slow\" kb=\"A01\" severity=\"error\">"
		"<title>T</title><cause>C</cause>"
		"<trigger><pattern literal=\"aaaa\">^(a+)+$</pattern></trigger>"
		"<example>aaaa</example><counterexample>bbbb</counterexample>"
		"</signature></signatures>";
	struct td_sigdb *sdb;
	struct td_matcher *sm;
	struct td_err err;
	ck_assert_int_eq(td_fixture_load(doc, &sdb, &err), TD_OK);
	ck_assert_int_eq(td_matcher_new(sdb, &sm, &err), TD_OK);
	char text[80];
	memset(text, 'a', 60);
	text[60] = 'b';
	text[61] = '\0';
	struct seen s = run(sm, TD_FMT_PLAIN, "", "a.log", text);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_uint_eq(td_matcher_stats(sm)->limit_hits, 1);
	td_matcher_free(sm);
	td_sigdb_free(sdb);
}
END_TEST

/* <code field="error">: a clause keyed by a code in an event field runs on
 * every event that has the field, whatever its message says. */
START_TEST(code_in_a_field)
{
	const char *doc =
		"<signatures family=\"t\">\n"
		"<signature id=\"by-number\" severity=\"error\"><title>T</title><cause>C</cause>\n"
		"  <trigger><code value=\"26011\" field=\"error\"/></trigger>\n"
		"  <trigger><code value=\"17182\" field=\"error\"/><pattern>\\b0x139f\\b</pattern>"
		"</trigger>\n"
		"  <example fields=\"error=26011\">x</example>"
		"<counterexample fields=\"error=26014\">x</counterexample>\n"
		"</signature></signatures>\n";
	struct td_sigdb *fdb;
	struct td_matcher *fm;
	struct td_err err = { 0 };
	ck_assert_msg(td_fixture_load(doc, &fdb, &err) == TD_OK, "%s", err.msg);
	ck_assert_int_eq(td_matcher_new(fdb, &fm, &err), TD_OK);
	struct td_field f26011[] = { { TD_STR_LIT("error"), TD_STR_LIT("26011") } };
	struct td_field f17182[] = { { TD_STR_LIT("error"), TD_STR_LIT("17182") } };
	struct td_event ev = { .format = TD_FMT_ERRORLOG, .path = TD_STR_LIT("ERRORLOG"),
			       .message = TD_STR_LIT("Le serveur n'a pas pu initialiser le chiffrement."),
			       .fields = f26011, .nfields = 1 };
	struct seen s = { .n = 0 };
	ck_assert_int_eq(td_matcher_event(fm, &ev, record, &s), 1);
	ck_assert_str_eq(s.ids[0], "by-number");
	ev.fields = f17182;
	s.n = 0;
	ck_assert_int_eq(td_matcher_event(fm, &ev, record, &s), 0); /* 17182 needs 0x139f */
	ev.message = TD_STR_LIT("Fehler 0x139f, Statuscode 0x80");
	ck_assert_int_eq(td_matcher_event(fm, &ev, record, &s), 1);
	ev.nfields = 0; /* no field: nothing, the code in the message does not count */
	ev.message = TD_STR_LIT("error 26011 0x139f 17182");
	ck_assert_int_eq(td_matcher_event(fm, &ev, record, &s), 0);
	td_matcher_free(fm);
	td_sigdb_free(fdb);
}
END_TEST

Suite *match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *tc = tcase_create("match");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, generic_and_specific);
	tcase_add_test(tc, codes_captures_support_unless);
	tcase_add_test(tc, empty_and_unrelated_events);
	tcase_add_test(tc, match_limit_is_counted);
	tcase_add_test(tc, code_in_a_field);
	suite_add_tcase(s, tc);
	return s;
}
