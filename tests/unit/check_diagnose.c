/* Unit tests for diagnose/: grouping, require, evidence caps, confidence,
 * facts, SQL build checks and the fix plan. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "match.h"
#include "sigfixture.h"
#include "sqlbuild.h"

static struct td_sigdb *db;
static struct td_matcher *m;
static struct td_diagnoser *d;

static int to_diag(const struct td_match *mt, void *user)
{
	ck_assert_int_eq(td_diagnoser_match(user, mt), TD_OK);
	return 0;
}

static void feed(const char *path, uint64_t line, int64_t sec, const char *msg)
{
	struct td_event ev = { .format = TD_FMT_PLAIN, .path = td_str_cstr(path), .line = line,
			       .line_end = line, .record = line, .message = td_str_cstr(msg) };
	if (sec >= 0) {
		ev.time.ticks = sec * TD_TICKS_PER_SEC;
		ev.time.zone = TD_ZONE_UTC;
		ev.time.digits = 0;
	}
	ck_assert_int_eq(td_diagnoser_event(d, &ev), TD_OK);
	ck_assert_int_ge(td_matcher_event(m, &ev, to_diag, d), 0);
}

static void setup(void)
{
	db = td_fixture_db();
	struct td_err err;
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

static const struct td_finding *find(const struct td_diagnosis *dx, const char *id)
{
	for (size_t i = 0; i < dx->nfindings; i++)
		if (strcmp(dx->findings[i].sig->id, id) == 0)
			return &dx->findings[i];
	return NULL;
}

START_TEST(require_must_be_in_the_same_input)
{
	td_diagnoser_begin_input(d);
	feed("a.log", 1, -1, "error 10054: forcibly closed");
	td_diagnoser_begin_input(d);
	feed("b.log", 1, -1, "OBEngine starting");
	td_diagnoser_begin_input(d);
	feed("c.log", 5, -1, "10054 forcibly closed");
	feed("c.log", 9, -1, "Azure Backup job");
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	const struct td_finding *f = find(dx, "needs-context");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->count, 1);
	ck_assert_uint_eq(f->nevidence, 2);
	ck_assert_str_eq(f->evidence[0].path, "c.log");
	ck_assert_int_eq(f->evidence[0].role, TD_ROLE_TRIGGER);
	ck_assert_int_eq(f->evidence[1].role, TD_ROLE_REQUIRE);
	ck_assert_uint_eq(f->evidence[1].line, 9);
	td_diagnosis_free(dx);
}
END_TEST

START_TEST(evidence_cap_keeps_first_and_last)
{
	td_diagnoser_begin_input(d);
	for (int i = 1; i <= 10; i++)
		feed("app.log", (uint64_t)i, 1000 + i, "An unexpected error occurred on a receive.");
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	const struct td_finding *f = find(dx, "generic-receive");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->count, 10);
	ck_assert_uint_eq(f->nevidence, 3);
	ck_assert_uint_eq(f->evidence[0].line, 1);
	ck_assert_uint_eq(f->evidence[1].line, 2);
	ck_assert_uint_eq(f->evidence[2].line, 10);
	ck_assert_int_eq(f->first.ticks, 1001 * TD_TICKS_PER_SEC);
	ck_assert_int_eq(f->last.ticks, 1010 * TD_TICKS_PER_SEC);
	ck_assert_str_eq(f->evidence[2].excerpt, "An unexpected error occurred on a receive.");
	td_diagnosis_free(dx);
}
END_TEST

START_TEST(support_raises_confidence_and_plan_is_ordered)
{
	td_diagnoser_begin_input(d);
	feed("e.log", 1, -1, "An OS call failed: (80090331) State 56.");
	feed("e.log", 2, -1, "An unexpected error occurred on a receive.");
	feed("e.log", 3, -1, "certificate was successfully loaded for encryption.");
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	const struct td_finding *f = find(dx, "alert-code");
	ck_assert_int_eq(f->confidence, TD_CONF_LOW);
	td_diagnosis_free(dx);

	td_diagnoser_free(d);
	d = td_diagnoser_new(db, 3);
	td_diagnoser_begin_input(d);
	feed("e.log", 1, -1, "An OS call failed: (80090331) State 56.");
	feed("e.log", 2, -1, "handshake failed");
	feed("e.log", 3, -1, "An unexpected error occurred on a receive.");
	feed("e.log", 4, -1, "certificate was successfully loaded for encryption.");
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	f = find(dx, "alert-code");
	ck_assert_int_eq(f->confidence, TD_CONF_MEDIUM);
	ck_assert_uint_eq(f->supports, 1);
	/* Errors first, then warnings, then info. */
	ck_assert_uint_eq(dx->nfindings, 3);
	ck_assert_str_eq(dx->findings[0].sig->id, "generic-receive");
	ck_assert_str_eq(dx->findings[1].sig->id, "alert-code");
	ck_assert_str_eq(dx->findings[2].sig->id, "info-only");
	ck_assert_uint_eq(dx->count[TD_SEV_ERROR], 1);
	ck_assert_uint_eq(dx->count[TD_SEV_INFO], 1);
	/* Plan: client, server, last; each once; info findings add nothing. */
	ck_assert_uint_eq(dx->nplan, 3);
	ck_assert_str_eq(dx->plan[0].remedy->id, "fix-client");
	ck_assert_uint_eq(dx->plan[0].nfindings, 2);
	ck_assert_str_eq(dx->plan[1].remedy->id, "fix-server");
	ck_assert_uint_eq(dx->plan[1].nfindings, 1);
	ck_assert_str_eq(dx->plan[1].findings[0]->sig->id, "alert-code");
	ck_assert_str_eq(dx->plan[2].remedy->id, "fix-last");
	td_diagnosis_free(dx);
}
END_TEST

START_TEST(facts_feed_the_sql_check)
{
	td_diagnoser_begin_input(d);
	struct td_field fields[] = {
		{ TD_STR_LIT("fact.sql_server.version"), TD_STR_LIT("11.0.5058.0") },
		{ TD_STR_LIT("thread"), TD_STR_LIT("12") },
	};
	struct td_event ev = { .format = TD_FMT_ERRORLOG, .path = TD_STR_LIT("ERRORLOG"), .line = 1,
			       .message = TD_STR_LIT("Microsoft SQL Server 2012 (SP2) - 11.0.5058.0 (X64)\n\tMay 14 2014"),
			       .fields = fields, .nfields = 2 };
	ck_assert_int_eq(td_diagnoser_event(d, &ev), TD_OK);
	ck_assert_int_eq(td_diagnoser_event(d, &ev), TD_OK); /* duplicates collapse */
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	ck_assert_uint_eq(dx->nfacts, 1);
	ck_assert_str_eq(dx->facts[0].name, "sql_server.version");
	ck_assert_str_eq(dx->facts[0].value, "11.0.5058.0");
	const struct td_finding *f = find(dx, "sql-min");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(f->detail);
	ck_assert_msg(strstr(f->detail, "11.0.5352.0 (GDR) / 11.0.5644.2 (CU)") != NULL, "%s",
		      f->detail);
	ck_assert_str_eq(f->evidence[0].excerpt, "Microsoft SQL Server 2012 (SP2) - 11.0.5058.0 (X64)");
	td_diagnosis_free(dx);
}
END_TEST

/* The inputs of absorb_equals_direct: index 1 is an input that could not be
 * read (begun, nothing fed). */
static const struct {
	const char *path, *msg, *fact;
} absorb_lines[] = {
	{ "m1/a.log", "An unexpected error occurred on a receive.", NULL },
	{ NULL, NULL, NULL },
	{ "m1/ERRORLOG", "Server build", "11.0.5058.0" },
	{ "m2/b.log", "OBEngine: 10054: forcibly closed", NULL },
	{ "m2/b.log", "OS call failed: (80090331). State 56.", NULL },
	{ "m1/a.log", "An unexpected error occurred on a receive.", NULL },
};

static void absorb_feed(struct td_diagnoser *to, size_t i)
{
	if (!absorb_lines[i].path)
		return;
	struct td_field f[] = { { TD_STR_LIT("fact.sql_server.version"),
				  td_str_cstr(absorb_lines[i].fact ? absorb_lines[i].fact : "") } };
	struct td_event ev = { .format = TD_FMT_PLAIN, .path = td_str_cstr(absorb_lines[i].path),
			       .line = i + 1, .message = td_str_cstr(absorb_lines[i].msg),
			       .fields = f, .nfields = absorb_lines[i].fact ? 1 : 0 };
	ev.time.ticks = (int64_t)(i + 1) * TD_TICKS_PER_SEC;
	ev.time.zone = TD_ZONE_UTC;
	ck_assert_int_eq(td_diagnoser_event(to, &ev), TD_OK);
	ck_assert_int_ge(td_matcher_event(m, &ev, to_diag, to), 0);
}

/* A diagnoser per input, absorbed in order at the run's numbering, gives the
 * same diagnosis as one diagnoser fed everything (what --jobs relies on). */
START_TEST(absorb_equals_direct)
{
	size_t n = sizeof(absorb_lines) / sizeof(absorb_lines[0]);
	for (size_t i = 0; i < n; i++) {
		td_diagnoser_begin_input(d);
		absorb_feed(d, i);
	}
	struct td_diagnoser *joined = td_diagnoser_new(db, 3);
	ck_assert_ptr_nonnull(joined);
	for (size_t i = 0; i < n; i++) {
		if (!absorb_lines[i].path)
			continue; /* never parsed: absorb begins it empty */
		struct td_diagnoser *one = td_diagnoser_new(db, 3);
		ck_assert_ptr_nonnull(one);
		td_diagnoser_begin_input(one);
		absorb_feed(one, i);
		ck_assert(td_diagnoser_absorb(joined, one, i));
		td_diagnoser_free(one);
	}
	struct td_diagnosis *a, *b;
	ck_assert_int_eq(td_diagnoser_finish(d, &a), TD_OK);
	ck_assert_int_eq(td_diagnoser_finish(joined, &b), TD_OK);
	td_diagnoser_free(joined);
	ck_assert_uint_eq(a->ninputs, n);
	ck_assert_uint_eq(b->ninputs, n);
	ck_assert_uint_eq(a->nmachines, b->nmachines);
	ck_assert_uint_eq(a->nfacts, 1);
	ck_assert_uint_eq(b->nfacts, 1);
	ck_assert_uint_eq(b->facts[0].input, 2);
	ck_assert_uint_eq(a->nfindings, b->nfindings);
	ck_assert_uint_ge(a->nfindings, 3);
	for (size_t f = 0; f < a->nfindings; f++) {
		const struct td_finding *x = &a->findings[f], *y = &b->findings[f];
		ck_assert_str_eq(x->sig->id, y->sig->id);
		ck_assert_uint_eq(x->count, y->count);
		ck_assert_int_eq(x->first.ticks, y->first.ticks);
		ck_assert_int_eq(x->last.ticks, y->last.ticks);
		ck_assert_uint_eq(x->nevidence, y->nevidence);
		for (size_t e = 0; e < x->nevidence; e++) {
			ck_assert_uint_eq(x->evidence[e].input, y->evidence[e].input);
			ck_assert_uint_eq(x->evidence[e].line, y->evidence[e].line);
			ck_assert_str_eq(x->evidence[e].path, y->evidence[e].path);
		}
	}
	const struct td_finding *g = find(b, "generic-receive");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->count, 2);
	ck_assert_uint_eq(g->evidence[1].input, 5);
	ck_assert_ptr_nonnull(find(b, "needs-context"));
	ck_assert_ptr_nonnull(find(b, "sql-min"));
	td_diagnosis_free(a);
	td_diagnosis_free(b);
}
END_TEST

static void feed_host(const char *path, const char *host, uint64_t line, const char *msg)
{
	struct td_event ev = { .format = TD_FMT_PLAIN, .path = td_str_cstr(path), .line = line,
			       .line_end = line, .record = line, .message = td_str_cstr(msg),
			       .host = td_str_cstr(host) };
	ck_assert_int_eq(td_diagnoser_event(d, &ev), TD_OK);
	ck_assert_int_ge(td_matcher_event(m, &ev, to_diag, d), 0);
}

/* One finding per machine: by machine folder, and by the computer each
 * event names (a forwarded-events log holds several); the SQL build check
 * names the machine of its ERRORLOG. */
START_TEST(findings_per_machine)
{
	const char *receive = "An unexpected error occurred on a receive.";
	td_diagnoser_begin_input(d);
	feed("b/SITE01/a.log", 1, -1, receive);
	feed("b/SITE01/a.log", 2, -1, receive);
	td_diagnoser_begin_input(d);
	feed("b/RP01/b.log", 7, -1, receive);
	td_diagnoser_begin_input(d);
	feed_host("b/Collector/Forwarded.xml", "cli07.contoso.com", 1, receive);
	feed_host("b/Collector/Forwarded.xml", "CLI08.contoso.com", 2, receive);
	feed_host("b/Collector/Forwarded.xml", "CLI07.contoso.com", 3, receive);
	td_diagnoser_begin_input(d);
	struct td_field fields[] = {
		{ TD_STR_LIT("fact.sql_server.version"), TD_STR_LIT("11.0.5058.0") },
	};
	struct td_event ev = { .format = TD_FMT_ERRORLOG, .path = TD_STR_LIT("b/Server9/ERRORLOG"),
			       .line = 1, .host = TD_STR_LIT("SQL01"),
			       .message = TD_STR_LIT("Microsoft SQL Server 2012 (SP2) - 11.0.5058.0"),
			       .fields = fields, .nfields = 1 };
	ck_assert_int_eq(td_diagnoser_event(d, &ev), TD_OK);
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(d, &dx), TD_OK);
	ck_assert_uint_ge(dx->nmachines, 4);
	size_t n = 0;
	for (size_t i = 0; i < dx->nfindings; i++) {
		const struct td_finding *f = &dx->findings[i];
		if (strcmp(f->sig->id, "generic-receive") != 0)
			continue;
		n++;
		ck_assert_ptr_nonnull(f->machine);
		uint64_t want = strcmp(f->machine, "SITE01") == 0   ? 2
				: strcmp(f->machine, "cli07") == 0  ? 2
				: strcmp(f->machine, "CLI08") == 0  ? 1
				: strcmp(f->machine, "RP01") == 0   ? 1
								    : 0;
		ck_assert_msg(f->count == want, "%s: %llu", f->machine,
			      (unsigned long long)f->count);
	}
	ck_assert_uint_eq(n, 4);
	const struct td_finding *sql = find(dx, "sql-min");
	ck_assert_ptr_nonnull(sql);
	ck_assert_str_eq(sql->machine, "SQL01");
	ck_assert_uint_eq(dx->ninputs, 4);
	ck_assert_str_eq(dx->inputs[0].machine, "SITE01");
	ck_assert_str_eq(dx->inputs[3].machine, "SQL01");
	ck_assert_str_eq(dx->inputs[2].machine, "cli07"); /* the computer it names most */
	td_diagnosis_free(dx);
}
END_TEST

/* A signature that supersedes a generic one but needs context from the
 * whole input: the generic finding stays where the context is missing. */
START_TEST(provisional_supersession)
{
	const char *doc =
		"<signatures family=\"t\">"
		"<signature id=\"generic\" kb=\"E03\" severity=\"error\"><title>G</title><cause>C</cause>"
		"<trigger><pattern literal=\"on a receive\">on a receive</pattern></trigger>"
		"<remedy ref=\"fix-client\"/>"
		"<example>x on a receive</example><counterexample>y</counterexample></signature>"
		"<signature id=\"specific\" kb=\"C01\" severity=\"error\"><title>S</title><cause>C</cause>"
		"<trigger><pattern literal=\"on a receive\">on a receive</pattern></trigger>"
		"<require><pattern literal=\"backup agent\">backup agent</pattern></require>"
		"<supersedes ref=\"generic\"/><remedy ref=\"fix-server\"/>"
		"<example>x on a receive</example><counterexample>y</counterexample></signature>"
		"</signatures>";
	struct td_sigdb *sdb;
	struct td_matcher *sm;
	struct td_err err;
	ck_assert_int_eq(td_fixture_load(doc, &sdb, &err), TD_OK);
	ck_assert_int_eq(td_matcher_new(sdb, &sm, &err), TD_OK);
	struct td_diagnoser *sd = td_diagnoser_new(sdb, 5);
	const char *inputs[2][2] = { { "failed on a receive", "unrelated" },
				     { "failed on a receive", "backup agent started" } };
	for (int i = 0; i < 2; i++) {
		td_diagnoser_begin_input(sd);
		for (int k = 0; k < 2; k++) {
			struct td_event ev = { .format = TD_FMT_PLAIN, .path = TD_STR_LIT("x.log"),
					       .line = (uint64_t)k + 1,
					       .message = td_str_cstr(inputs[i][k]) };
			ck_assert_int_ge(td_matcher_event(sm, &ev, to_diag, sd), 0);
		}
	}
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(sd, &dx), TD_OK);
	ck_assert_uint_eq(dx->nfindings, 2);
	const struct td_finding *g = find(dx, "generic"), *sp = find(dx, "specific");
	ck_assert_uint_eq(g->count, 1);  /* input 1 only */
	ck_assert_uint_eq(sp->count, 1); /* input 2 only */
	ck_assert_uint_eq(g->nevidence, 1);
	ck_assert_uint_eq(g->evidence[0].input, 0);
	ck_assert_uint_eq(sp->evidence[0].input, 1);
	td_diagnosis_free(dx);
	td_diagnoser_free(sd);
	td_matcher_free(sm);
	td_sigdb_free(sdb);
}
END_TEST

/* kb H04 across machines: the check sees the log findings that name it in
 * <confirmed-by> on each machine (machine folders here), names the pair, and
 * is reported inside the log finding; without the failure it stays silent
 * (no cipher-suite list shown). */
static struct td_diagnosis *run_pair(struct td_sigdb *sdb, bool with_failure)
{
	struct td_matcher *sm;
	struct td_err err;
	ck_assert_int_eq(td_matcher_new(sdb, &sm, &err), TD_OK);
	struct td_diagnoser *sd = td_diagnoser_new(sdb, 5);
	ck_assert_ptr_nonnull(sd);
	static const struct {
		const char *path, *build, *msg;
	} lines[] = {
		{ "b/APP12/app.log", "9600", "export: connection forcibly closed by SQL19" },
		{ "b/SQL19/sys.log", "17763", "service started" },
	};
	for (size_t i = 0; i < 2; i++) {
		td_diagnoser_begin_input(sd);
		struct td_field fields[] = {
			{ TD_STR_LIT("fact.windows.currentbuild"), td_str_cstr(lines[i].build) },
		};
		struct td_event ev = { .format = TD_FMT_PLAIN, .path = td_str_cstr(lines[i].path),
				       .line = 1, .message = TD_STR_LIT("boot"), .fields = fields,
				       .nfields = 1 };
		ck_assert_int_eq(td_diagnoser_event(sd, &ev), TD_OK);
		if (i == 0 && !with_failure)
			continue;
		struct td_event line = { .format = TD_FMT_PLAIN, .path = td_str_cstr(lines[i].path),
					 .line = 2, .message = td_str_cstr(lines[i].msg) };
		ck_assert_int_eq(td_diagnoser_event(sd, &line), TD_OK);
		ck_assert_int_ge(td_matcher_event(sm, &line, to_diag, sd), 0);
	}
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(sd, &dx), TD_OK);
	td_diagnoser_free(sd);
	td_matcher_free(sm);
	return dx;
}

START_TEST(dhe_pair_across_machines)
{
	const char *doc =
		"<signatures family=\"t\">"
		"<signature id=\"dhe\" kb=\"H04\" severity=\"warning\"><title>D</title><cause>C</cause>"
		"<scope sources=\"registry\"/><check name=\"dhe-leading-zero\"/>"
		"<remedy ref=\"fix-server\"/></signature>"
		"<signature id=\"reset\" kb=\"D10\" severity=\"error\"><title>R</title><cause>C</cause>"
		"<trigger><pattern literal=\"forcibly closed\">forcibly closed</pattern></trigger>"
		"<confirmed-by ref=\"dhe\"/><remedy ref=\"fix-client\"/>"
		"<example>x forcibly closed</example><counterexample>y</counterexample></signature>"
		"</signatures>";
	struct td_sigdb *sdb;
	struct td_err err;
	ck_assert_int_eq(td_fixture_load(doc, &sdb, &err), TD_OK);
	struct td_diagnosis *dx = run_pair(sdb, true);
	const struct td_finding *reset = find(dx, "reset"), *dhe = find(dx, "dhe");
	ck_assert_ptr_nonnull(reset);
	ck_assert_ptr_nonnull(dhe);
	ck_assert_str_eq(reset->machine, "APP12");
	ck_assert_str_eq(dhe->machine, "APP12");
	ck_assert_int_eq(dhe->severity, TD_SEV_ERROR);
	ck_assert_msg(strstr(dhe->detail, "has the fix: SQL19") != NULL, "%s", dhe->detail);
	ck_assert_ptr_eq(dhe->merged_into, reset->sig);
	ck_assert_uint_eq(reset->nconfirmed, 1);
	td_diagnosis_free(dx);
	dx = run_pair(sdb, false);
	ck_assert_ptr_null(find(dx, "dhe"));
	ck_assert_ptr_null(find(dx, "reset"));
	td_diagnosis_free(dx);
	td_sigdb_free(sdb);
}
END_TEST

/* distinct="...": the evidence keeps one trigger per value of an event field
 * or a capture, within an input and across inputs; the count is every event. */
START_TEST(evidence_one_per_distinct_value)
{
	const char *doc =
		"<signatures family=\"t\">"
		"<signature id=\"per-client\" severity=\"warning\" distinct=\"c-ip\">"
		"<title>P</title><cause>C</cause>"
		"<trigger><pattern literal=\"legacy\">legacy</pattern></trigger>"
		"<example>legacy</example><counterexample>new</counterexample></signature>"
		"<signature id=\"per-capture\" severity=\"warning\" distinct=\"who\">"
		"<title>Q</title><cause>C</cause>"
		"<trigger><pattern literal=\"old from\">old from (?&lt;who&gt;\\S+)</pattern></trigger>"
		"<example>old from x</example><counterexample>new</counterexample></signature>"
		"</signatures>";
	struct td_sigdb *sdb;
	struct td_matcher *sm;
	struct td_err err;
	int rc = td_fixture_load(doc, &sdb, &err);
	ck_assert_msg(rc == TD_OK, "%s", err.msg);
	ck_assert_int_eq(td_matcher_new(sdb, &sm, &err), TD_OK);
	struct td_diagnoser *sd = td_diagnoser_new(sdb, 10);
	const char *ips[2][4] = { { "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1" },
				  { "10.0.0.2", "10.0.0.3", "10.0.0.3", "10.0.0.1" } };
	for (int i = 0; i < 2; i++) {
		td_diagnoser_begin_input(sd);
		for (int k = 0; k < 4; k++) {
			struct td_field fl = { TD_STR_LIT("c-ip"), td_str_cstr(ips[i][k]) };
			char msg[64];
			snprintf(msg, sizeof(msg), "legacy; old from %s", ips[i][k]);
			struct td_event ev = { .format = TD_FMT_PLAIN, .path = TD_STR_LIT("x.log"),
					       .line = (uint64_t)k + 1, .message = td_str_cstr(msg),
					       .fields = &fl, .nfields = 1 };
			ck_assert_int_ge(td_matcher_event(sm, &ev, to_diag, sd), 0);
		}
	}
	struct td_diagnosis *dx;
	ck_assert_int_eq(td_diagnoser_finish(sd, &dx), TD_OK);
	const char *ids[] = { "per-client", "per-capture" };
	for (int s = 0; s < 2; s++) {
		const struct td_finding *f = find(dx, ids[s]);
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(f->count, 8);
		ck_assert_uint_eq(f->nevidence, 3);
		ck_assert_str_eq(f->evidence[0].distinct, "10.0.0.1");
		ck_assert_uint_eq(f->evidence[0].line, 1);
		ck_assert_str_eq(f->evidence[1].distinct, "10.0.0.2");
		ck_assert_uint_eq(f->evidence[1].input, 0);
		ck_assert_str_eq(f->evidence[2].distinct, "10.0.0.3");
		ck_assert_uint_eq(f->evidence[2].line, 2);
	}
	td_diagnosis_free(dx);
	td_diagnoser_free(sd);
	td_matcher_free(sm);
	td_sigdb_free(sdb);
}
END_TEST

struct sql_case {
	const char *build;
	enum td_sql_status want;
};

static const struct sql_case sql_cases[] = {
	{ "11.0.5058.0", TD_SQL_BELOW },  { "11.0.5351.0", TD_SQL_BELOW },
	{ "11.0.5352.0", TD_SQL_OK },     { "11.0.5643.0", TD_SQL_BELOW },
	{ "11.0.5644.2", TD_SQL_OK },     { "11.0.7001.0", TD_SQL_OK },
	{ "11.0.3000.0", TD_SQL_BELOW },  { "9.00.5000.00", TD_SQL_NEVER },
	{ "13.0.1601.5", TD_SQL_OK },     { "17.0.100.1", TD_SQL_OK },
	{ "11.0.6500.0", TD_SQL_UNKNOWN },
};

START_TEST(sql_verdicts)
{
	const struct sql_case *c = &sql_cases[_i];
	uint32_t b[4];
	ck_assert(td_sql_parse_build(c->build, b));
	struct td_sql_verdict v;
	td_sql_check_tls12(db, b, &v);
	ck_assert_msg(v.status == c->want, "%s: %d (%s)", c->build, v.status, v.text);
}
END_TEST

START_TEST(sql_parse_and_kb3146034)
{
	uint32_t b[4];
	ck_assert(!td_sql_parse_build("11.0", b));
	ck_assert(!td_sql_parse_build("abc", b));
	ck_assert(td_sql_parse_build("10.50.6537.0", b));
	char text[200];
	ck_assert(td_sql_check_kb3146034(db, b, text, sizeof(text)));
	ck_assert(strstr(text, "10.50.6542.0") != NULL);
	ck_assert(td_sql_parse_build("10.50.6542.0", b));
	ck_assert(!td_sql_check_kb3146034(db, b, text, sizeof(text)));
}
END_TEST

START_TEST(excerpts)
{
	char *e = td_excerpt(TD_STR_LIT("first line\n   second has the MATCH here  \nthird"), 25, 5);
	ck_assert_str_eq(e, "first line | second has the MATCH here");
	free(e);
	e = td_excerpt(TD_STR_LIT("  only line \r\n"), 0, 0);
	ck_assert_str_eq(e, "only line");
	free(e);
	char long_line[2000];
	memset(long_line, 'x', sizeof(long_line));
	memcpy(long_line + 1500, "NEEDLE", 6);
	e = td_excerpt(td_str_make(long_line, sizeof(long_line)), 1500, 6);
	ck_assert_uint_le(strlen(e), TD_MAX_EXCERPT + 6);
	ck_assert(strstr(e, "NEEDLE") != NULL);
	free(e);
}
END_TEST

Suite *diagnose_suite(void)
{
	Suite *s = suite_create("diagnose");
	TCase *tc = tcase_create("diagnose");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, require_must_be_in_the_same_input);
	tcase_add_test(tc, absorb_equals_direct);
	tcase_add_test(tc, evidence_cap_keeps_first_and_last);
	tcase_add_test(tc, support_raises_confidence_and_plan_is_ordered);
	tcase_add_test(tc, facts_feed_the_sql_check);
	tcase_add_test(tc, provisional_supersession);
	tcase_add_test(tc, evidence_one_per_distinct_value);
	tcase_add_test(tc, findings_per_machine);
	tcase_add_test(tc, dhe_pair_across_machines);
	tcase_add_loop_test(tc, sql_verdicts, 0, sizeof(sql_cases) / sizeof(sql_cases[0]));
	tcase_add_test(tc, sql_parse_and_kb3146034);
	tcase_add_test(tc, excerpts);
	suite_add_tcase(s, tc);
	return s;
}
