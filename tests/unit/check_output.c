/* Unit tests for cli/: the JSON writer and escaper, and whole runs from
 * memory through every output format (JSON must be valid whatever the input
 * bytes are). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "json.h"
#include "output.h"
#include "run.h"
#include "sigdb.h"
#include "sigfixture.h"

/* A strict JSON recogniser (RFC 8259), enough to prove the output valid. */
struct jp {
	const char *p, *end;
};

static bool jvalue(struct jp *j, int depth);

static void jws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

static bool jlit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static bool jstring(struct jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end)
				return false;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end || !td_is_xdigit((unsigned char)j->p[i]))
						return false;
				j->p += 5;
				continue;
			}
			if (!strchr("\"\\/bfnrt", *j->p))
				return false;
			j->p++;
			continue;
		}
		uint32_t cp;
		size_t n = td_utf8_next(td_str_make(j->p, (size_t)(j->end - j->p)), &cp);
		if (cp == 0xFFFD && n == 1 && c >= 0x80)
			return false; /* invalid UTF-8 */
		j->p += n;
	}
	if (j->p >= j->end)
		return false;
	j->p++;
	return true;
}

static bool jnumber(struct jp *j)
{
	const char *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && td_is_digit((unsigned char)*j->p))
		j->p++;
	return j->p > s && td_is_digit((unsigned char)j->p[-1]);
}

static bool jcontainer(struct jp *j, int depth, char open, char close, bool obj)
{
	j->p++;
	jws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		jws(j);
		if (obj) {
			if (!jstring(j))
				return false;
			jws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return false;
		}
		if (!jvalue(j, depth + 1))
			return false;
		jws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return true;
		}
		return false;
	}
	(void)open;
}

static bool jvalue(struct jp *j, int depth)
{
	if (depth > 64)
		return false;
	jws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{': return jcontainer(j, depth, '{', '}', true);
	case '[': return jcontainer(j, depth, '[', ']', false);
	case '"': return jstring(j);
	case 't': return jlit(j, "true");
	case 'f': return jlit(j, "false");
	case 'n': return jlit(j, "null");
	default: return jnumber(j);
	}
}

/* Whether text holds one JSON value in all (json), or is lines each ending
 * in a newline and each exactly one JSON object (ndjson). */
static bool valid_json(const char *text, size_t len, bool per_line)
{
	const char *end = text + len;
	if (!per_line) {
		struct jp j = { text, end };
		if (!jvalue(&j, 0))
			return false;
		jws(&j);
		return j.p == end;
	}
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || *p != '{')
			return false;
		struct jp j = { p, nl };
		if (!jvalue(&j, 0))
			return false;
		jws(&j);
		if (j.p != nl)
			return false;
		p = nl + 1;
	}
	return true;
}

START_TEST(escaper_is_always_valid)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	td_json_escape(f, td_str_make("a\"b\\c\n\x01\x7f\xff\xc3\xa9\xe2\x82", 13));
	fclose(f);
	ck_assert_str_eq(buf, "a\\\"b\\\\c\\n\\u0001\x7f\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
	free(buf);
}
END_TEST

/* The NDJSON rule itself: one complete object per line, nothing else. */
START_TEST(ndjson_rule)
{
	ck_assert(valid_json("{\"a\":1}\n{}\n", 11, true));
	ck_assert(valid_json("", 0, true));
	ck_assert(!valid_json("{\"a\":\n1}\n", 9, true)); /* an object over two lines */
	ck_assert(!valid_json("{}{}\n", 5, true));          /* two on one line */
	ck_assert(!valid_json("{}", 2, true));               /* no final newline */
	ck_assert(!valid_json("[1]\n", 4, true));            /* not an object */
	ck_assert(!valid_json("{}\n\n", 4, true));           /* an empty line */
}
END_TEST

START_TEST(writer_nesting)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	struct td_json j;
	td_json_init(&j, f, false);
	td_json_object_begin(&j);
	td_json_key(&j, "a");
	td_json_array_begin(&j);
	td_json_u64(&j, 1);
	td_json_null(&j);
	td_json_object_begin(&j);
	td_json_object_end(&j);
	td_json_array_end(&j);
	td_json_key(&j, "b");
	td_json_bool(&j, true);
	td_json_key(&j, "c");
	td_json_cstr(&j, NULL);
	td_json_key(&j, "d");
	td_json_i64(&j, -5);
	td_json_object_end(&j);
	td_json_newline(&j);
	fclose(f);
	ck_assert_str_eq(buf, "{\"a\":[1,null,{}],\"b\":true,\"c\":null,\"d\":-5}\n");
	ck_assert(valid_json(buf, len, false));
	free(buf);
}
END_TEST

/* Renders the run's timeline in every format; JSON must be valid. */
static void render_timeline(const struct td_run_report *rep)
{
	static const enum td_timeline_format formats[] = { TD_TIMELINE_JSON, TD_TIMELINE_NDJSON,
							   TD_TIMELINE_TEXT };
	struct td_timeline_filter none = { 0 };
	for (int k = 0; k < 3; k++) {
		char *buf;
		size_t len;
		FILE *f = open_memstream(&buf, &len);
		ck_assert_int_eq(td_output_timeline(f, formats[k], rep, &none, 0), TD_OK);
		fclose(f);
		if (k < 2)
			ck_assert_msg(valid_json(buf, len, k == 1), "timeline is not valid JSON:\n%s",
				      buf);
		else
			ck_assert(strstr(buf, "timeline") != NULL);
		free(buf);
	}
}

/* Runs the fixture database over in-memory inputs and renders every format,
 * the timeline too. */
static void run_and_render(const char *const *names, const char *const *data, const size_t *lens,
			   size_t n, int want_exit)
{
	struct td_sigdb *db = td_fixture_db();
	struct td_run run;
	struct td_err err;
	ck_assert_int_eq(td_run_init(&run, db, 5, &err), TD_OK);
	ck_assert_int_eq(td_run_want_timeline(&run, 0), TD_OK);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(td_run_memory(&run, names[i], data[i], lens[i]), TD_OK);
	struct td_run_report rep;
	ck_assert_int_eq(td_run_finish(&run, &rep), TD_OK);
	ck_assert_int_eq(rep.exit_code, want_exit);
	ck_assert_ptr_nonnull(rep.timeline);
	ck_assert_uint_gt(rep.timeline->n, 0);
	render_timeline(&rep);
	const char *formats[] = { "json", "ndjson", "text" };
	for (int k = 0; k < 3; k++) {
		char *buf;
		size_t len;
		FILE *f = open_memstream(&buf, &len);
		struct td_output_opts oo = { .color = k == 2, .verbose = true };
		ck_assert_int_eq(td_output_write(td_output_find(formats[k]), f, &oo, &rep), TD_OK);
		fclose(f);
		if (k < 2)
			ck_assert_msg(valid_json(buf, len, k == 1), "%s output is not valid JSON:\n%s",
				      formats[k], buf);
		else
			ck_assert(strstr(buf, "tlsdiag") != NULL);
		free(buf);
	}
	td_run_release(&run);
	td_sigdb_free(db);
}

START_TEST(run_renders_valid_json)
{
	const char *names[] = { "one.log", "weird\"name\n.log", "empty.log" };
	const char *data[] = {
		"ok line\n10054 forcibly closed\nAzure Backup\nAn unexpected error occurred on a receive \xff\n",
		"control \x01\x02 chars and \xc3\x28 bad utf-8, handshake failed, 0x80090331 State 7\n",
		"",
	};
	size_t lens[] = { strlen(data[0]), strlen(data[1]), 0 };
	run_and_render(names, data, lens, 3, 1);
}
END_TEST

/* Random bytes as input: the run completes and the JSON stays valid. */
START_TEST(run_random_bytes)
{
	unsigned seed = (unsigned)_i * 2654435761u + 1;
	char data[4096];
	for (size_t k = 0; k < sizeof(data); k++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 16;
		/* Mostly text with some signature words, some control and high bytes. */
		data[k] = r % 50 == 0 ? (char)(r >> 8) : " abcdefghij\nreceive error occurred on a 10054"[r % 44];
	}
	const char *names[] = { "random.log" };
	const char *d[] = { data };
	size_t lens[] = { sizeof(data) };
	struct td_sigdb *db = td_fixture_db();
	struct td_run run;
	struct td_err err;
	ck_assert_int_eq(td_run_init(&run, db, 3, &err), TD_OK);
	ck_assert_int_eq(td_run_memory(&run, names[0], d[0], lens[0]), TD_OK);
	struct td_run_report rep;
	ck_assert_int_eq(td_run_finish(&run, &rep), TD_OK);
	ck_assert_ptr_null(rep.timeline); /* not asked for */
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	struct td_output_opts oo = { 0 };
	ck_assert_int_eq(td_output_write(&td_output_json, f, &oo, &rep), TD_OK);
	fclose(f);
	ck_assert(valid_json(buf, len, false));
	free(buf);
	td_run_release(&run);
	td_sigdb_free(db);
}
END_TEST

/* Writing to a full device reports the failure, in every format. */
START_TEST(output_write_error)
{
	const char *formats[] = { "text", "json", "ndjson", "html" };
	for (int k = 0; k < 4; k++) {
		FILE *f = fopen("/dev/full", "w");
		if (!f)
			return; /* no /dev/full here: nothing to test */
		struct td_run_report rep = { 0 };
		struct td_output_opts oo = { 0 };
		ck_assert_int_eq(td_output_write(td_output_find(formats[k]), f, &oo, &rep), TD_E_IO);
		fclose(f);
	}
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		return;
	struct td_run_report rep = { 0 };
	struct td_timeline_filter none = { 0 };
	ck_assert_int_eq(td_output_timeline(f, TD_TIMELINE_TEXT, &rep, &none, 0), TD_E_IO);
	fclose(f);
}
END_TEST

Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");
	tcase_add_test(tc, escaper_is_always_valid);
	tcase_add_test(tc, ndjson_rule);
	tcase_add_test(tc, writer_nesting);
	tcase_add_test(tc, run_renders_valid_json);
	tcase_add_loop_test(tc, run_random_bytes, 0, 20);
	tcase_add_test(tc, output_write_error);
	suite_add_tcase(s, tc);
	return s;
}
