/* Unit tests for the HTML report: the escaper on hostile text, and whole
 * reports parsed back with libxml2's HTML parser (no error but unknown
 * HTML5 tags) and its XML parser (the markup is polyglot, so none at all),
 * with the timeline chart drawn from a run's timeline and from the
 * findings' evidence. */
#include <check.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "output.h"
#include "run.h"
#include "sigfixture.h"

static char *escaped(const char *s, size_t len)
{
	char *buf;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	td_html_escape(f, td_str_make(s, len));
	fclose(f);
	return buf;
}

START_TEST(escape_hostile)
{
	static const char in[] = "<script>alert('x')</script> & \"q\"";
	char *out = escaped(in, strlen(in));
	ck_assert_str_eq(out,
			 "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	free(out);
}
END_TEST

/* Control characters are shown, invalid UTF-8, C1 controls, noncharacters
 * and bidirectional overrides replaced; tab, line breaks and valid text
 * stay. */
START_TEST(escape_bytes)
{
	static const char in[] = "a\x01\x1b\x7f\tb\n\xff\xc3\xa9\xc2\x85\xe2\x80\xae\xef\xbf\xbe"
				 "\xed\xa0\x80\xe2\x82";
	char *out = escaped(in, sizeof(in) - 1);
	ck_assert_str_eq(out, "a\xe2\x90\x81\xe2\x90\x9b\xe2\x90\xa1\tb\n\xef\xbf\xbd\xc3\xa9"
			      "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
			      "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(out);
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	td_html_cstr(f, NULL);
	fclose(f);
	ck_assert_uint_eq(len, 0);
	free(buf);
}
END_TEST

/* Errors libxml2 reports while parsing; unknown_tag counts HTML5 elements
 * the 2.9 HTML parser does not know (not a fault of the page). */
struct errs {
	int n, unknown_tag;
	char first[512];
};

static void on_error(void *user, xmlErrorPtr e)
{
	struct errs *x = user;
	if (e->code == XML_HTML_UNKNOWN_TAG) {
		x->unknown_tag++;
		return;
	}
	if (!x->n++)
		snprintf(x->first, sizeof(x->first), "line %d: %s", e->line, e->message);
}

static xmlDocPtr parse_html(const char *buf, size_t len, struct errs *x)
{
	memset(x, 0, sizeof(*x));
	xmlSetStructuredErrorFunc(x, on_error);
	xmlDocPtr doc = htmlReadMemory(buf, (int)len, "report.html", "UTF-8",
				       HTML_PARSE_NONET | HTML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	return doc;
}

/* The page is also well-formed XML: a stricter check of every tag, quote
 * and reference. */
static void assert_well_formed_xml(const char *buf, size_t len)
{
	struct errs x = { 0 };
	xmlSetStructuredErrorFunc(&x, on_error);
	xmlDocPtr doc = xmlReadMemory(buf, (int)len, "report.html", "UTF-8", XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	ck_assert_msg(doc && x.n == 0, "not well-formed XML: %s", x.first);
	xmlFreeDoc(doc);
}

static long count(xmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	ck_assert_msg(r != NULL, "bad xpath %s", xpath);
	long n = r->type == XPATH_NODESET ? (r->nodesetval ? r->nodesetval->nodeNr : 0)
					      : (long)xmlXPathCastToNumber(r);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return n;
}

/* Parses the page both ways and checks what every report has. */
static xmlDocPtr check_page(const char *buf, size_t len)
{
	assert_well_formed_xml(buf, len);
	struct errs x;
	xmlDocPtr doc = parse_html(buf, len, &x);
	ck_assert_ptr_nonnull(doc);
	ck_assert_msg(x.n == 0, "HTML parser error: %s", x.first);
	ck_assert_int_eq(count(doc, "//h1"), 1);
	ck_assert_int_eq(count(doc, "//script"), 1); /* ours, nothing from the logs */
	ck_assert_int_eq(count(doc, "//*[@src or @srcset or @background]"), 0);
	ck_assert_int_eq(count(doc, "//link"), 0);
	ck_assert_int_eq(count(doc, "//meta[@http-equiv='Content-Security-Policy']"), 1);
	ck_assert_int_eq(count(doc, "//nav//a[@href='#findings']"), 1);
	ck_assert_int_eq(count(doc, "//section[@id='verdict']"), 1);
	ck_assert_int_eq(count(doc, "//section[@id='timeline']"), 1);
	return doc;
}

/* Every href="#x" names an element with id x. */
static void assert_links_resolve(xmlDocPtr doc)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST "//a[starts-with(@href,'#')]", ctx);
	for (int i = 0; r->nodesetval && i < r->nodesetval->nodeNr; i++) {
		xmlChar *href = xmlGetProp(r->nodesetval->nodeTab[i], BAD_CAST "href");
		char q[256];
		snprintf(q, sizeof(q), "//*[@id='%s']", (const char *)href + 1);
		ck_assert_msg(count(doc, q) == 1, "link %s has %ld targets", href, count(doc, q));
		xmlFree(href);
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
}

static char *render(const struct td_run_report *rep, size_t *len)
{
	char *buf;
	FILE *f = open_memstream(&buf, len);
	struct td_output_opts oo = { .explain = true };
	ck_assert_int_eq(td_output_write(td_output_find("html"), f, &oo, rep), TD_OK);
	fclose(f);
	return buf;
}

static const char *const hostile_names[] = { "<script>alert(1)</script>.log",
					     "we\"ird'&name\n.log", "empty.log" };
static const char *const hostile_data[] = {
	"2024-03-05 15:12:00.125 ok line\n2024-03-05 15:12:01.250 10054 forcibly closed\n"
	"2024-03-05 15:12:02 Azure Backup\n2024-03-05 15:13:00 An unexpected error occurred on a "
	"receive <script>alert(2)</script> \xff\n",
	"control \x01\x02 chars and \xc3\x28 bad utf-8 \xe2\x80\xae, handshake failed, "
	"0x80090331 State 7 <img src=x onerror=alert(3)>\n",
	"",
};

struct fixture {
	struct td_sigdb *db;
	struct td_run run;
	struct td_run_report rep;
};

static void run_hostile(struct fixture *fx)
{
	struct td_err err;
	fx->db = td_fixture_db();
	ck_assert_int_eq(td_run_init(&fx->run, fx->db, 5, &err), TD_OK);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(td_run_memory(&fx->run, hostile_names[i], hostile_data[i],
					       strlen(hostile_data[i])),
				 TD_OK);
	ck_assert_int_eq(td_run_finish(&fx->run, &fx->rep), TD_OK);
	ck_assert_int_eq(fx->rep.exit_code, 1);
}

static void fixture_release(struct fixture *fx)
{
	td_run_release(&fx->run);
	td_sigdb_free(fx->db);
}

/* Hostile names and log lines become text, the page stays well-formed and
 * every finding and the fallback chart are there. */
START_TEST(report_hostile_inputs)
{
	struct fixture fx;
	run_hostile(&fx);
	size_t len;
	char *buf = render(&fx.rep, &len);
	xmlDocPtr doc = check_page(buf, len);
	assert_links_resolve(doc);
	ck_assert_int_eq(count(doc, "//section[@id='inputs']//tbody/tr"), 3);
	ck_assert_int_eq(count(doc, "//img"), 0);
	ck_assert(strstr(buf, "&lt;script&gt;alert(1)&lt;/script&gt;.log") != NULL);
	ck_assert(strstr(buf, "&lt;img src=x onerror=alert(3)&gt;") != NULL);
	ck_assert(strstr(buf, "\xe2\x80\xae") == NULL);
	size_t shown = 0;
	for (size_t i = 0; i < fx.rep.dx->nfindings; i++)
		shown += !fx.rep.dx->findings[i].merged_into;
	ck_assert_int_eq(count(doc, "//section[contains(@class,'finding ')]"), (long)shown);
	ck_assert_int_eq(count(doc, "//section[@id='unchecked']"), 1);
	/* The chart falls back to the evidence: one mark per kept item at most. */
	ck_assert(strstr(buf, "From the findings' evidence") != NULL);
	ck_assert_int_eq(count(doc, "//svg"), 1);
	long marks = count(doc, "//svg/*[self::circle or self::rect[@width='9'] or self::path]");
	ck_assert_int_gt(marks, 0);
	ck_assert_int_eq(count(doc, "//svg/*[self::circle or self::rect[@width='9'] or "
				    "self::path][not(title)]"),
			 0);
	xmlFreeDoc(doc);
	free(buf);
	fixture_release(&fx);
}
END_TEST

/* The same run renders to the same bytes. */
START_TEST(report_deterministic)
{
	struct fixture fx;
	run_hostile(&fx);
	size_t a_len, b_len;
	char *a = render(&fx.rep, &a_len), *b = render(&fx.rep, &b_len);
	ck_assert_uint_eq(a_len, b_len);
	ck_assert(memcmp(a, b, a_len) == 0);
	free(a);
	free(b);
	fixture_release(&fx);
}
END_TEST

static struct td_time utc(int h, int m, int s)
{
	struct td_time t = { .zone = TD_ZONE_UTC };
	ck_assert(td_time_from_civil(2024, 3, 5, h, m, s, 0, &t.ticks));
	return t;
}

/* With a timeline, the chart draws its entries: rows by the input's host
 * when set, else the event's host; hostile hosts escaped; entries without
 * a time counted, local times hollow, skews listed. */
START_TEST(chart_from_timeline)
{
	struct fixture fx;
	run_hostile(&fx);
	const struct td_signature *sig = fx.rep.dx->findings[0].sig;
	fx.run.inputs[0].host = strdup("HOST-<A>");
	struct td_time local = utc(10, 5, 0);
	local.zone = TD_ZONE_LOCAL;
	struct td_timeline_entry e[] = {
		{ .time = utc(10, 0, 0), .input = 0, .path = fx.run.inputs[0].path, .line = 2,
		  .level = TD_LEVEL_ERROR, .host = "ignored-for-input-0", .sig = sig,
		  .excerpt = "first <b>failure</b>" },
		{ .time = utc(10, 30, 0), .input = 1, .path = fx.run.inputs[1].path, .line = 1,
		  .level = TD_LEVEL_WARNING, .host = "srv\"2", .excerpt = "a warning" },
		{ .time = local, .input = 1, .path = fx.run.inputs[1].path, .line = 3,
		  .level = TD_LEVEL_INFO, .host = "srv\"2", .role = TD_ROLE_SUPPORT,
		  .excerpt = "context" },
		{ .time = { 0 }, .input = 1, .path = fx.run.inputs[1].path, .line = 4,
		  .level = TD_LEVEL_ERROR, .host = "srv\"2", .excerpt = "no time" },
	};
	struct td_skew skew = { .host_a = "HOST-<A>", .host_b = "srv\"2",
				.offset = 25 * TD_TICKS_PER_SEC / 10, .pairs = 3 };
	struct td_timeline tl = { .e = e, .n = 4, .dropped = 7, .skews = &skew, .nskews = 1 };
	fx.rep.timeline = &tl;
	size_t len;
	char *buf = render(&fx.rep, &len);
	xmlDocPtr doc = check_page(buf, len);
	ck_assert(strstr(buf, "from the run's timeline") != NULL);
	ck_assert(strstr(buf, "7 more events beyond the timeline's cap") != NULL);
	ck_assert_int_eq(count(doc, "//svg/text[@class='host'][contains(.,'HOST-<A>')]"), 1);
	ck_assert_int_eq(count(doc, "//svg/text[@class='host'][contains(.,'srv\"2')]"), 1);
	ck_assert_int_eq(count(doc, "//svg//text[contains(.,'ignored-for-input-0')]"), 0);
	/* Three timed entries, three marks; the untimed one only counted. */
	ck_assert_int_eq(count(doc, "//svg/*[title][self::circle or self::rect or self::path]"), 3);
	ck_assert_int_eq(count(doc, "//svg/circle[contains(@class,'sev-error')]"
				    "[contains(title,'first <b>failure</b>')]"),
			 1);
	ck_assert_int_eq(count(doc, "//svg/path[contains(@class,'sev-warning')]"), 1);
	ck_assert_int_eq(count(doc, "//svg/rect[contains(@class,'local')][contains(@class,'ctx')]"),
			 1);
	ck_assert_int_eq(count(doc, "//section[@id='timeline']//tbody/tr"), 2);
	ck_assert_int_eq(count(doc, "//section[@id='timeline']//tbody/tr[2]/td[5][.='1']"), 1);
	ck_assert_int_eq(count(doc, "//section[@id='timeline']//tbody/tr[2]/td[4]"
				    "[.='1 error, 1 warning, 1 info']"),
			 1);
	ck_assert(strstr(buf, "srv&quot;2 is 2.500 s ahead of HOST-&lt;A&gt;") != NULL);
	xmlFreeDoc(doc);
	free(buf);
	fixture_release(&fx);
}
END_TEST

/* SHA-256 (FIPS 180-4), only to check the page's script hash. */
static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256(const unsigned char *msg, size_t len, unsigned char out[32])
{
	static const uint32_t k[64] = {
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
		0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
		0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
		0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
		0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
		0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
		0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
		0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
		0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
		0xc67178f2,
	};
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	size_t total = (len + 9 + 63) / 64 * 64;
	for (size_t off = 0; off < total; off += 64) {
		unsigned char blk[64];
		for (size_t i = 0; i < 64; i++) {
			size_t at = off + i;
			uint64_t bits = (uint64_t)len * 8;
			blk[i] = at < len ? msg[at] : at == len ? 0x80
				 : at >= total - 8 ? (unsigned char)(bits >> (8 * (total - 1 - at)))
						   : 0;
		}
		uint32_t w[64], v[8];
		for (int i = 0; i < 16; i++)
			w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
			       (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
		for (int i = 16; i < 64; i++)
			w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ w[i - 15] >> 3) +
			       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ w[i - 2] >> 10);
		memcpy(v, h, sizeof(v));
		for (int i = 0; i < 64; i++) {
			uint32_t t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
				      ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[i] + w[i];
			uint32_t t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
				      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
			memmove(v + 1, v, 7 * sizeof(*v));
			v[4] += t1;
			v[0] = t1 + t2;
		}
		for (int i = 0; i < 8; i++)
			h[i] += v[i];
	}
	for (int i = 0; i < 32; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const unsigned char *in, size_t n, char *out)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);
		*out++ = b64[v >> 18];
		*out++ = b64[v >> 12 & 63];
		*out++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*out++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*out = '\0';
}

/* The policy lets exactly the page's script run: its hash is the script's. */
START_TEST(script_hash_matches_policy)
{
	unsigned char d[32];
	char b[48], want[80];
	sha256((const unsigned char *)"abc", 3, d);
	base64(d, 32, b);
	ck_assert_str_eq(b, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	struct td_run_report rep = { 0 };
	size_t len;
	char *buf = render(&rep, &len);
	const char *start = strstr(buf, "<script>"), *end = strstr(buf, "</script>");
	ck_assert(start && end && end > start);
	start += strlen("<script>");
	sha256((const unsigned char *)start, (size_t)(end - start), d);
	base64(d, 32, b);
	snprintf(want, sizeof(want), "script-src 'sha256-%s'", b);
	ck_assert_msg(strstr(buf, want) != NULL, "the policy does not allow the script: want %s", want);
	free(buf);
}
END_TEST

/* No finding, no input: still a complete page. */
START_TEST(report_empty)
{
	struct td_run_report rep = { 0 };
	size_t len;
	char *buf = render(&rep, &len);
	xmlDocPtr doc = check_page(buf, len);
	ck_assert(strstr(buf, "No documented TLS failure found.") != NULL);
	ck_assert(strstr(buf, "Nothing to draw") != NULL);
	xmlFreeDoc(doc);
	free(buf);
}
END_TEST

Suite *output_html_suite(void)
{
	Suite *s = suite_create("output_html");
	TCase *tc = tcase_create("output_html");
	tcase_add_test(tc, escape_hostile);
	tcase_add_test(tc, escape_bytes);
	tcase_add_test(tc, report_hostile_inputs);
	tcase_add_test(tc, report_deterministic);
	tcase_add_test(tc, chart_from_timeline);
	tcase_add_test(tc, script_hash_matches_policy);
	tcase_add_test(tc, report_empty);
	suite_add_tcase(s, tc);
	return s;
}
