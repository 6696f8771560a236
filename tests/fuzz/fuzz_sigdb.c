/* Fuzz target: the signature loader and the matcher.  The input is one
 * database file, loaded next to a fixed file of references and remedies it
 * may refer to, validated against the real schema (FUZZ_SCHEMA), its
 * patterns compiled and its cross-references resolved.  A database that
 * loads is indexed by the matcher, self-checked (every example through the
 * full matcher path) and matched against events of every format.  A failed
 * load must say why; every match must point into its event and its
 * database. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "match.h"
#include "selfcheck.h"
#include "sigdb.h"

static const char common[] =
	"<signatures family=\"common\">\n"
	"  <reference key=\"REF-A\" url=\"https://example.invalid/a\">Reference A</reference>\n"
	"  <remedy id=\"fix-client\" phase=\"client\"><title>Fix the client</title>\n"
	"    <step kind=\"registry\">Set it.\n"
	"      <registry key=\"HKLM\\SOFTWARE\\X\" name=\"V\" type=\"REG_DWORD\" data=\"1\"/>\n"
	"    </step><ref key=\"REF-A\"/></remedy>\n"
	"  <remedy id=\"fix-server\" phase=\"server\"><title>Fix the server</title>\n"
	"    <step kind=\"update\" kb=\"KB1\">Update it.</step></remedy>\n"
	"</signatures>\n";

/* Messages that the seeds' patterns and codes look for, and some that only
 * nearly match. */
static const char *const messages[] = {
	("An TLS 1.2 connection request was received from a remote client application, "
	 "but none of the cipher suites supported by the client application are supported "
	 "by the server. The TLS connection request has failed."),
	("A fatal alert was generated and sent to the remote endpoint. The TLS protocol "
	 "defined fatal alert code is 40. The internal error state is 1205."),
	"OS call failed: (80090331). State 56.",
	"error -2146893007 State 58 handshake failed 10054: forcibly closed",
	"The underlying connection was closed: An unexpected error occurred on a send.",
	"",
};

static void touch_match(const struct td_sigdb *db, const struct td_match *m)
{
	if (m->sig < db->sigs || m->sig >= db->sigs + db->nsigs || !m->clause || !m->ev)
		abort();
	if (m->clause < m->sig->clauses || m->clause >= m->sig->clauses + m->sig->nclauses)
		abort();
	if (m->match_len && (m->match_off > m->ev->message.len ||
			     m->match_len > m->ev->message.len - m->match_off))
		abort();
	if (m->ncaps > TD_MAX_CAPTURES)
		abort();
	for (size_t i = 0; i < m->ncaps; i++) {
		fuzz_touch(m->caps[i].name);
		fuzz_touch(m->caps[i].value);
	}
}

struct match_ctx {
	const struct td_sigdb *db;
	size_t matches;
};

static int on_match(const struct td_match *m, void *user)
{
	struct match_ctx *c = user;
	touch_match(c->db, m);
	c->matches++;
	return 0;
}

static void report(void *user, const char *line)
{
	(void)user;
	if (!line || !*line)
		abort();
}

static void exercise(const struct td_sigdb *db)
{
	struct td_matcher *m = NULL;
	struct td_err err = { 0 };
	if (td_matcher_new(db, &m, &err) != TD_OK) {
		if (!err.msg[0])
			abort();
		return;
	}
	struct td_selfcheck_stats st;
	td_sigdb_selfcheck(db, m, report, NULL, &st);
	const struct td_field fields[] = {
		{ TD_STR_LIT("AlertDesc"), TD_STR_LIT("40") },
		{ TD_STR_LIT("ErrorState"), TD_STR_LIT("1205") },
	};
	struct match_ctx c = { db, 0 };
	for (int f = TD_FMT_CMTRACE; f < TD_FMT_COUNT; f++) {
		for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
			struct td_event ev = {
				.format = (enum td_format)f,
				.path = TD_STR_LIT("C:\\Logs\\fuzz.log"),
				.line = 1, .line_end = 1, .record = 1,
				.has_event_id = i % 2 == 1, .event_id = 36888,
				.provider = TD_STR_LIT("Schannel"),
				.message = td_str_cstr(messages[i]),
				.fields = fields, .nfields = i % 3 ? 2 : 0,
			};
			int rc = td_matcher_event(m, &ev, on_match, &c);
			if (rc < 0)
				abort();
		}
	}
	const struct td_match_stats *ms = td_matcher_stats(m);
	if (ms->matches < c.matches)
		abort();
	td_matcher_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *docs[] = { common, (const char *)data };
	size_t lens[] = { sizeof(common) - 1, size };
	const char *names[] = { "common.xml", "fuzz.xml" };
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	int rc = td_sigdb_load_memory(docs, lens, names, 2, FUZZ_SCHEMA, &db, &err);
	if (rc != TD_OK) {
		if (db || !err.msg[0] || !memchr(err.msg, '\0', sizeof(err.msg)))
			abort();
		/* FUZZ_VERBOSE=1: say why a seed does not load. */
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "not loaded: %s\n", err.msg);
		return 0;
	}
	if (!db)
		abort();
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "loaded: %zu signatures\n", db->nsigs);
	exercise(db);
	td_sigdb_free(db);
	return 0;
}
