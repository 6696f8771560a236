/* Unit tests for diagnose/timeline.c: entries from matches, order with mixed
 * zones and precision, the cap, filters, host names and clock skew. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sigfixture.h"
#include "timeline.h"

static const char doc[] =
	"<signatures family=\"t\">\n"
	"<signature id=\"srv-alert\" kb=\"G20\" severity=\"error\"><title>T</title><cause>C</cause>"
	"<trigger><pattern literal=\"alert generated\">alert generated</pattern></trigger>"
	"<peer ref=\"cli-reset\"/>"
	"<example>alert generated</example><counterexample>zzzz</counterexample></signature>\n"
	"<signature id=\"srv-cipher\" kb=\"G08\" severity=\"error\"><title>T</title><cause>C</cause>"
	"<trigger><pattern literal=\"no common cipher\">no common cipher</pattern></trigger>"
	"<peer ref=\"cli-reset\"/>"
	"<example>no common cipher</example><counterexample>zzzz</counterexample></signature>\n"
	"<signature id=\"cli-reset\" kb=\"D10\" severity=\"error\"><title>T</title><cause>C</cause>"
	"<trigger><pattern literal=\"forcibly closed\">forcibly closed</pattern></trigger>"
	"<support><pattern literal=\"retrying\">retrying</pattern></support>"
	"<example>forcibly closed</example><counterexample>zzzz</counterexample></signature>\n"
	"<signature id=\"note-info\" kb=\"D01\" severity=\"info\"><title>T</title><cause>C</cause>"
	"<trigger><pattern literal=\"certificate loaded\">certificate loaded</pattern></trigger>"
	"<example>certificate loaded</example><counterexample>zzzz</counterexample></signature>\n"
	"<signature id=\"ctx-reset\" kb=\"C01\" severity=\"error\"><title>T</title><cause>C</cause>"
	"<trigger><pattern literal=\"forcibly closed\">forcibly closed</pattern></trigger>"
	"<require><pattern literal=\"backup agent\">backup agent</pattern></require>"
	"<supersedes ref=\"cli-reset\"/>"
	"<example>forcibly closed</example><counterexample>zzzz</counterexample></signature>\n"
	"</signatures>\n";

static struct td_sigdb *db;
static struct td_timeline *tl;

static void setup(void)
{
	struct td_err err = { 0 };
	ck_assert_int_eq(td_fixture_load(doc, &db, &err), TD_OK);
	tl = td_timeline_new(0);
	ck_assert_ptr_nonnull(tl);
}

static void teardown(void)
{
	td_timeline_free(tl);
	td_sigdb_free(db);
}

#define T0 (INT64_C(1714554000) * TD_TICKS_PER_SEC) /* 2024-05-01T09:00:00Z */
#define SEC(s) ((int64_t)((s) * 1000 + 0.5) * (TD_TICKS_PER_SEC / 1000))

/* One event of the test: where, when, from which host. */
struct ev {
	const char *path;
	uint64_t line;
	const char *host;
	int64_t ticks;
	int zone, digits;
	const char *text; /* time as written */
};

/* Adds the match of clause `clause` of signature sig on event ev, which is
 * event number `event` of input `input`. */
static void add_clause(const char *sig, size_t clause, size_t input, uint64_t event,
		       const struct ev *e)
{
	const struct td_signature *s = td_sigdb_find(db, sig);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_lt(clause, s->nclauses);
	struct td_event ev = { .format = TD_FMT_PLAIN, .path = td_str_cstr(e->path),
			       .line = e->line, .record = e->line, .level = TD_LEVEL_ERROR,
			       .host = td_str_cstr(e->host), .message = td_str_cstr("a message") };
	ev.time.ticks = e->ticks;
	ev.time.zone = (uint8_t)e->zone;
	ev.time.digits = (uint8_t)e->digits;
	ev.time.text = td_str_cstr(e->text);
	struct td_match m = { .sig = s, .clause = &s->clauses[clause], .ev = &ev };
	ck_assert_int_eq(td_timeline_add(tl, &m, input, event), TD_OK);
}

static uint64_t next_event;

/* A new event on host at t seconds after T0 (UTC, milliseconds written). */
static void at(const char *sig, const char *host, double t)
{
	struct ev e = { "x.log", ++next_event, host, T0 + SEC(t), TD_ZONE_UTC, 3, "t" };
	add_clause(sig, 0, 0, next_event, &e);
}

static void finish(void)
{
	ck_assert_int_eq(td_timeline_finish(tl, NULL, 0), TD_OK);
}

START_TEST(order_mixed_zones_and_precision)
{
	const struct ev evs[] = {
		{ "a.log", 1, "h", T0 + SEC(0.5), TD_ZONE_UTC, 1, "09:00:00.5Z" },
		{ "b.log", 1, NULL, 0, TD_ZONE_NONE, 0, "" },
		{ "c.log", 1, NULL, T0, TD_ZONE_LOCAL, 0, "2024-05-01 09:00:00" },
		{ "d.log", 1, "h", T0 - 1, TD_ZONE_UTC, 7, "08:59:59.9999999Z" },
		{ "e.log", 1, "h", T0 + SEC(0.5), TD_ZONE_UTC, 3, "09:00:00.500Z" },
		{ "f.log", 1, NULL, 0, TD_ZONE_NONE, 0, "" },
	};
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		add_clause("srv-alert", 0, i, i + 1, &evs[i]);
	finish();
	static const char *const want[] = { "d.log", "c.log", "a.log", "e.log", "b.log", "f.log" };
	ck_assert_uint_eq(tl->n, 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(tl->e[i].path, want[i]);
	ck_assert_uint_eq(tl->nlocal, 1);
	ck_assert_uint_eq(tl->nunknown, 2);
	ck_assert_int_eq(tl->e[0].time.digits, 7);
	ck_assert_str_eq(tl->e[0].time.text.p, "08:59:59.9999999Z");
	ck_assert_int_eq(tl->e[1].time.zone, TD_ZONE_LOCAL);
	ck_assert_uint_eq(tl->e[2].input, 0);
	ck_assert_str_eq(tl->e[2].excerpt, "a message");
	ck_assert_ptr_eq(tl->e[2].sig, td_sigdb_find(db, "srv-alert"));
}
END_TEST

/* Equal times keep the order they were read in, however many there are. */
START_TEST(sort_is_stable)
{
	for (uint64_t i = 1; i <= 500; i++) {
		struct ev e = { "s.log", i, NULL, T0 + (int64_t)(i % 3), TD_ZONE_UTC, 0, "" };
		if (i % 7 == 0)
			e.zone = TD_ZONE_NONE;
		add_clause("cli-reset", 0, 0, i, &e);
	}
	finish();
	ck_assert_uint_eq(tl->n, 500);
	for (size_t i = 1; i < tl->n; i++) {
		const struct td_timeline_entry *a = &tl->e[i - 1], *b = &tl->e[i];
		bool au = a->time.zone == TD_ZONE_NONE, bu = b->time.zone == TD_ZONE_NONE;
		ck_assert(!au || bu);
		if (au == bu && (au || a->time.ticks == b->time.ticks))
			ck_assert_uint_lt(a->line, b->line);
		else if (!au && !bu)
			ck_assert_int_lt(a->time.ticks, b->time.ticks);
	}
}
END_TEST

/* One entry per event and signature, with the strongest role of its
 * clauses. */
START_TEST(one_entry_per_event_and_signature)
{
	struct ev e = { "m.log", 3, NULL, T0, TD_ZONE_UTC, 0, "" };
	add_clause("cli-reset", 1, 0, 1, &e); /* support */
	add_clause("cli-reset", 0, 0, 1, &e); /* trigger, same event */
	add_clause("note-info", 0, 0, 1, &e); /* another signature */
	add_clause("cli-reset", 1, 0, 2, &e); /* the next event */
	finish();
	ck_assert_uint_eq(tl->n, 3);
	ck_assert_int_eq(tl->e[0].role, TD_ROLE_TRIGGER);
	ck_assert_str_eq(tl->e[1].sig->id, "note-info");
	ck_assert_int_eq(tl->e[1].sig->severity, TD_SEV_INFO);
	ck_assert_int_eq(tl->e[2].role, TD_ROLE_SUPPORT);
}
END_TEST

/* Context lines of a failure the diagnosis did not find are dropped; the
 * failures' own lines and the context of found ones stay, in order. */
static bool only_cli_reset(const struct td_signature *sig, void *user)
{
	(void)user;
	return strcmp(sig->id, "cli-reset") == 0;
}

START_TEST(context_of_failures_not_found_is_dropped)
{
	struct ev e = { "m.log", 3, NULL, T0, TD_ZONE_UTC, 0, "" };
	add_clause("cli-reset", 1, 0, 1, &e); /* support of a found failure */
	add_clause("ctx-reset", 1, 0, 2, &e); /* require of one not found */
	add_clause("srv-alert", 0, 0, 3, &e); /* a trigger, found or not */
	add_clause("ctx-reset", 1, 0, 4, &e);
	add_clause("note-info", 0, 0, 5, &e);
	ck_assert_uint_eq(td_timeline_drop_context(tl, only_cli_reset, NULL), 2);
	finish();
	ck_assert_uint_eq(tl->n, 3);
	ck_assert_str_eq(tl->e[0].sig->id, "cli-reset");
	ck_assert_str_eq(tl->e[1].sig->id, "srv-alert");
	ck_assert_str_eq(tl->e[2].sig->id, "note-info");
}
END_TEST

/* A signature that supersedes another on an event but needs require
 * context lists the event only where that context is in the same input;
 * elsewhere the event stays with the superseded signature. */
static void add_superseded(size_t input, uint64_t event, const struct ev *e)
{
	const struct td_signature *g = td_sigdb_find(db, "cli-reset");
	const struct td_signature *c = td_sigdb_find(db, "ctx-reset");
	struct td_event ev = { .path = td_str_cstr(e->path), .line = e->line,
			       .message = td_str_cstr("forcibly closed") };
	ev.time.ticks = e->ticks;
	ev.time.zone = (uint8_t)e->zone;
	struct td_match mg = { .sig = g, .clause = &g->clauses[0], .ev = &ev, .superseded_by = c };
	struct td_match mc = { .sig = c, .clause = &c->clauses[0], .ev = &ev };
	ck_assert_int_eq(td_timeline_add(tl, &mg, input, event), TD_OK);
	ck_assert_int_eq(td_timeline_add(tl, &mc, input, event), TD_OK);
}

START_TEST(provisional_supersedes)
{
	const struct ev a = { "a.log", 1, NULL, T0, TD_ZONE_UTC, 0, "" };
	const struct ev b1 = { "b.log", 1, NULL, T0 + 1, TD_ZONE_UTC, 0, "" };
	const struct ev b2 = { "b.log", 2, NULL, T0 + 2, TD_ZONE_UTC, 0, "" };
	add_superseded(0, 1, &a);
	add_clause("ctx-reset", 1, 1, 2, &b1); /* the require context, input 1 */
	add_superseded(1, 3, &b2);
	finish();
	ck_assert_uint_eq(tl->n, 3);
	ck_assert_str_eq(tl->e[0].sig->id, "cli-reset");
	ck_assert_str_eq(tl->e[1].sig->id, "ctx-reset");
	ck_assert_int_eq(tl->e[1].role, TD_ROLE_REQUIRE);
	ck_assert_str_eq(tl->e[2].sig->id, "ctx-reset");
	ck_assert_int_eq(tl->e[2].role, TD_ROLE_TRIGGER);
	for (size_t i = 0; i < tl->n; i++)
		ck_assert_ptr_null(tl->e[i].superseded_by);
}
END_TEST

/* An event two signatures matched is not listed under one whose require
 * context is missing from its input; alone, it is still listed. */
START_TEST(unmet_require_not_listed_beside_others)
{
	const struct ev a = { "a.log", 1, NULL, T0, TD_ZONE_UTC, 0, "" };
	const struct ev a2 = { "a.log", 2, NULL, T0 + 1, TD_ZONE_UTC, 0, "" };
	const struct ev b0 = { "b.log", 1, NULL, T0 + 2, TD_ZONE_UTC, 0, "" };
	const struct ev b = { "b.log", 2, NULL, T0 + 3, TD_ZONE_UTC, 0, "" };
	add_clause("ctx-reset", 0, 0, 1, &a); /* no backup context in input 0 */
	add_clause("srv-alert", 0, 0, 1, &a);
	add_clause("ctx-reset", 0, 0, 2, &a2); /* alone on its event */
	add_clause("ctx-reset", 1, 1, 3, &b0); /* the context, input 1 */
	add_clause("ctx-reset", 0, 1, 4, &b);
	add_clause("srv-alert", 0, 1, 4, &b);
	finish();
	ck_assert_uint_eq(tl->n, 5);
	ck_assert_str_eq(tl->e[0].sig->id, "srv-alert");
	ck_assert_uint_eq(tl->e[0].event, 1);
	ck_assert_str_eq(tl->e[1].sig->id, "ctx-reset");
	ck_assert_uint_eq(tl->e[1].event, 2);
	ck_assert_int_eq(tl->e[2].role, TD_ROLE_REQUIRE);
	ck_assert_str_eq(tl->e[3].sig->id, "ctx-reset");
	ck_assert_uint_eq(tl->e[3].event, 4);
	ck_assert_str_eq(tl->e[4].sig->id, "srv-alert");
	ck_assert_uint_eq(tl->e[4].event, 4);
}
END_TEST

START_TEST(cap_counts_what_it_drops)
{
	td_timeline_free(tl);
	tl = td_timeline_new(3);
	for (uint64_t i = 1; i <= 5; i++) {
		struct ev e = { "c.log", i, NULL, T0 + (int64_t)(10 - i), TD_ZONE_UTC, 0, "" };
		add_clause("cli-reset", 0, 0, i, &e);
		add_clause("cli-reset", 1, 0, i, &e); /* same event: not counted again */
	}
	finish();
	ck_assert_uint_eq(tl->n, 3);
	ck_assert_uint_eq(tl->dropped, 2);
	ck_assert_uint_eq(tl->e[0].line, 3);
}
END_TEST

/* An event without text is shown by its provider and id. */
START_TEST(excerpt_of_an_event_without_text)
{
	const struct td_signature *s = td_sigdb_find(db, "srv-alert");
	struct td_event ev = { .path = td_str_cstr("System.evtx"), .record = 7,
			       .provider = td_str_cstr("Schannel"), .has_event_id = true,
			       .event_id = 36888 };
	struct td_match m = { .sig = s, .clause = &s->clauses[0], .ev = &ev };
	ck_assert_int_eq(td_timeline_add(tl, &m, 0, 1), TD_OK);
	finish();
	ck_assert_str_eq(tl->e[0].excerpt, "Schannel event 36888");
	ck_assert_int_eq(tl->e[0].time.zone, TD_ZONE_NONE);
}
END_TEST

/* One machine, one name: the input's machine, unless the event names
 * another computer. */
START_TEST(entries_take_their_inputs_machine)
{
	const struct ev a = { "a.log", 1, NULL, T0, TD_ZONE_UTC, 0, "" };
	const struct ev b = { "b.evtx", 1, "SQL02.fabrikam.local", T0 + 1, TD_ZONE_UTC, 0, "" };
	const struct ev c = { "c.log", 1, NULL, T0 + 2, TD_ZONE_UTC, 0, "" };
	const struct ev d = { "d.evtx", 1, "sql02.fabrikam.local", T0 + 3, TD_ZONE_UTC, 0, "" };
	add_clause("cli-reset", 0, 0, 1, &a);
	add_clause("cli-reset", 0, 1, 2, &b);
	add_clause("cli-reset", 0, 3, 3, &c);
	add_clause("cli-reset", 0, 2, 4, &d);
	const char *hosts[] = { "APP02", "FORWARDER", "SQL02" };
	ck_assert_int_eq(td_timeline_finish(tl, hosts, 3), TD_OK);
	ck_assert_str_eq(tl->e[0].host, "APP02");
	ck_assert_str_eq(tl->e[1].host, "SQL02.fabrikam.local"); /* forwarded */
	ck_assert_ptr_null(tl->e[2].host);                       /* input 3: no machine */
	ck_assert_str_eq(tl->e[3].host, "SQL02");
}
END_TEST

struct time_case {
	const char *text;
	bool ok;
	int64_t from, to;
};

static const struct time_case time_cases[] = {
	{ "2024-05-01", true, T0 - 9 * 3600 * TD_TICKS_PER_SEC, T0 + 15 * 3600 * TD_TICKS_PER_SEC },
	{ "2024-05-01T09:00", true, T0, T0 + TD_TICKS_PER_MIN },
	{ "2024-05-01T09:00Z", true, T0, T0 + TD_TICKS_PER_MIN },
	{ "2024-05-01T09:00:07", true, T0 + SEC(7), T0 + SEC(8) },
	{ "2024-05-01 09:00:07z", true, T0 + SEC(7), T0 + SEC(8) },
	{ "2024-05-01T09", false, 0, 0 },
	{ "2024-05-01T09:00:07+02:00", false, 0, 0 },
	{ "2024-5-01", false, 0, 0 },
	{ "2024-02-30", false, 0, 0 },
	{ "2024-05-01T24:00", false, 0, 0 },
	{ "2024-05-01T09:00:07.5", false, 0, 0 },
	{ "yesterday", false, 0, 0 },
	{ "", false, 0, 0 },
};

START_TEST(parse_time_bounds)
{
	const struct time_case *c = &time_cases[_i];
	int64_t from = -1, to = -1;
	ck_assert_msg(td_timeline_parse_time(c->text, &from, &to) == c->ok, "'%s'", c->text);
	if (c->ok) {
		ck_assert_int_eq(from, c->from);
		ck_assert_int_eq(to, c->to);
	}
}
END_TEST

struct host_case {
	const char *list, *host;
	bool match;
};

static const struct host_case host_cases[] = {
	{ "sql02", "SQL02", true },
	{ "sql02", "SQL02.fabrikam.local", true },
	{ "SQL02.FABRIKAM", "sql02.fabrikam.local", true },
	{ "sql02.fabrikam.local", "SQL02", true },
	{ "sql0", "SQL02", false },
	{ "sql02.fab", "SQL02.fabrikam.local", false },
	{ "sql02.contoso.com", "SQL02.fabrikam.local", false },
	{ "app02, sql02", "SQL02", true },
	{ "app02,,web01", "WEB01", true },
	{ "app02", "APP03", false },
	{ "app02", NULL, false },
	{ "", "APP02", false },
	{ ",", "APP02", false },
};

START_TEST(host_matching)
{
	const struct host_case *c = &host_cases[_i];
	ck_assert_msg(td_host_matches(c->list, c->host) == c->match, "'%s' vs '%s'", c->list,
		      c->host ? c->host : "(null)");
}
END_TEST

START_TEST(filters)
{
	const struct ev evs[] = {
		{ "a", 1, "APP02.fabrikam.local", T0 - 1, TD_ZONE_UTC, 0, "" },
		{ "b", 1, "SQL02", T0, TD_ZONE_UTC, 0, "" },
		{ "c", 1, NULL, T0 + SEC(59), TD_ZONE_LOCAL, 0, "" },
		{ "d", 1, "SQL02", T0 + SEC(60), TD_ZONE_UTC, 0, "" },
		{ "e", 1, "SQL02", 0, TD_ZONE_NONE, 0, "" },
	};
	for (size_t i = 0; i < 5; i++)
		add_clause("srv-alert", 0, 0, i + 1, &evs[i]);
	finish();
	struct td_timeline_filter f = { 0 };
	for (size_t i = 0; i < 5; i++)
		ck_assert(td_timeline_keep(&f, &tl->e[i]));
	ck_assert(td_timeline_parse_time("2024-05-01T09:00", &f.since, &f.until));
	f.has_since = f.has_until = true;
	bool want[] = { false, true, true, false, false }; /* a, b, c (local), d, e */
	for (size_t i = 0; i < 5; i++)
		ck_assert_msg(td_timeline_keep(&f, &tl->e[i]) == want[i], "entry %zu", i);
	f.has_since = false; /* --until alone still leaves the unknown time out */
	ck_assert(td_timeline_keep(&f, &tl->e[0]));
	ck_assert(!td_timeline_keep(&f, &tl->e[4]));
	const char *hosts[] = { "app02" };
	struct td_timeline_filter h = { .hosts = hosts, .nhosts = 1 };
	ck_assert(td_timeline_keep(&h, &tl->e[0]));
	ck_assert(!td_timeline_keep(&h, &tl->e[1]));
	ck_assert(!td_timeline_keep(&h, &tl->e[2])); /* no host */
	struct td_skew s = { "SQL02", "app02.fabrikam.local", 1, 2 };
	ck_assert(td_timeline_keep_skew(&h, &s));
	hosts[0] = "web01";
	ck_assert(!td_timeline_keep_skew(&h, &s));
}
END_TEST

/* The client's clock runs 7.25 s ahead: five failures seen on both ends,
 * two unrelated pairs of events 200 s apart (outliers), a failure only the
 * server logged, and a server logging two events per failure. */
START_TEST(skew_from_pairs_with_outliers)
{
	for (int i = 0; i < 5; i++) {
		at("srv-alert", "SQL02.fabrikam.local", 60.0 * i);
		if (i == 2)
			at("srv-cipher", "SQL02.fabrikam.local", 60.0 * i + 0.001);
		at("cli-reset", "app02", 60.0 * i + 7.25 + 0.01 * i);
	}
	at("srv-alert", "SQL02.fabrikam.local", 2000);
	at("cli-reset", "APP02.fabrikam.local", 1800);
	at("srv-alert", "sql02", 3000);
	at("cli-reset", "app02", 2800);
	at("srv-alert", "sql02", 4000); /* no client event within the window */
	at("note-info", "app02", 4000.5);
	finish();
	ck_assert_uint_eq(tl->skew_compared, 1);
	ck_assert_uint_eq(tl->nskews, 1);
	const struct td_skew *s = &tl->skews[0];
	ck_assert_str_eq(s->host_a, "SQL02.fabrikam.local");
	ck_assert_str_eq(s->host_b, "APP02.fabrikam.local");
	ck_assert_uint_eq(s->pairs, 7);
	ck_assert_int_eq(s->offset, SEC(7.26));
}
END_TEST

/* The server's clock ahead: the skew names it second, offset positive. */
START_TEST(skew_direction)
{
	for (int i = 0; i < 3; i++) {
		at("cli-reset", "app02", 100.0 * i);
		at("srv-alert", "sql02", 100.0 * i + 30);
	}
	finish();
	ck_assert_uint_eq(tl->nskews, 1);
	ck_assert_str_eq(tl->skews[0].host_a, "app02");
	ck_assert_str_eq(tl->skews[0].host_b, "sql02");
	ck_assert_int_eq(tl->skews[0].offset, SEC(30));
	ck_assert_uint_eq(tl->skews[0].pairs, 3);
}
END_TEST

START_TEST(no_skew_without_enough_pairs)
{
	/* One failure, logged twice on the server: one pair, not two. */
	at("srv-alert", "sql02", 0);
	at("srv-cipher", "sql02", 0.001);
	at("cli-reset", "app02", 30);
	/* Within 2 s: no skew, but the hosts were compared. */
	for (int i = 0; i < 3; i++) {
		at("srv-alert", "web01", 1000.0 + 100 * i);
		at("cli-reset", "app03", 1001.5 + 100 * i);
	}
	/* Beyond the window. */
	at("srv-alert", "sql03", 5000);
	at("cli-reset", "app04", 5000 + 601);
	at("srv-alert", "sql03", 7000);
	at("cli-reset", "app04", 7000 + 601);
	/* The same host by two names, local times, signatures without peers. */
	at("srv-alert", "sql05", 9000);
	at("cli-reset", "SQL05.fabrikam.local", 9010);
	at("srv-alert", "sql05", 9100);
	at("cli-reset", "SQL05.fabrikam.local", 9110);
	for (int i = 0; i < 3; i++) {
		struct ev l = { "l", ++next_event, "sql06", T0 + SEC(20000 + 100 * i), TD_ZONE_LOCAL,
				0, "" };
		add_clause("srv-alert", 0, 0, next_event, &l);
		struct ev c = { "c", ++next_event, "app06", l.ticks + SEC(30), TD_ZONE_UTC, 0, "" };
		add_clause("cli-reset", 0, 0, next_event, &c);
		at("note-info", "sql07", 30000.0 + 100 * i);
		at("note-info", "app07", 30030.0 + 100 * i);
	}
	finish();
	ck_assert_uint_eq(tl->nskews, 0);
	ck_assert_uint_eq(tl->skew_compared, 1);
}
END_TEST

START_TEST(empty_timeline)
{
	finish();
	ck_assert_uint_eq(tl->n, 0);
	ck_assert_uint_eq(tl->nskews, 0);
}
END_TEST

Suite *timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, order_mixed_zones_and_precision);
	tcase_add_test(tc, sort_is_stable);
	tcase_add_test(tc, one_entry_per_event_and_signature);
	tcase_add_test(tc, context_of_failures_not_found_is_dropped);
	tcase_add_test(tc, provisional_supersedes);
	tcase_add_test(tc, unmet_require_not_listed_beside_others);
	tcase_add_test(tc, cap_counts_what_it_drops);
	tcase_add_test(tc, excerpt_of_an_event_without_text);
	tcase_add_test(tc, entries_take_their_inputs_machine);
	tcase_add_loop_test(tc, parse_time_bounds, 0, sizeof(time_cases) / sizeof(time_cases[0]));
	tcase_add_loop_test(tc, host_matching, 0, sizeof(host_cases) / sizeof(host_cases[0]));
	tcase_add_test(tc, filters);
	tcase_add_test(tc, skew_from_pairs_with_outliers);
	tcase_add_test(tc, skew_direction);
	tcase_add_test(tc, no_skew_without_enough_pairs);
	tcase_add_test(tc, empty_timeline);
	suite_add_tcase(s, tc);
	return s;
}
