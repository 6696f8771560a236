/* Unit tests for signatures/litset.c and signatures/codes.c. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "litset.h"

static bool found(const struct td_litscan *sc, int id)
{
	for (size_t i = 0; i < sc->nhits; i++)
		if ((int)sc->hits[i] == id)
			return true;
	return false;
}

START_TEST(litset_finds_all_case_insensitive)
{
	struct td_litset *ls = td_litset_new();
	int a = td_litset_add(ls, TD_STR_LIT("forcibly closed"));
	int b = td_litset_add(ls, TD_STR_LIT("SslSecurityError"));
	int c = td_litset_add(ls, TD_STR_LIT("80090331"));
	int d = td_litset_add(ls, TD_STR_LIT("FORCIBLY CLOSED")); /* same literal */
	ck_assert_int_eq(a, d);
	ck_assert_int_ne(a, b);
	ck_assert_int_eq(td_litset_compile(ls), TD_OK);
	struct td_litscan sc;
	ck_assert_int_eq(td_litscan_init(&sc, ls), TD_OK);
	td_litset_scan(ls, TD_STR_LIT("An existing connection was Forcibly Closed by the remote host"),
		       &sc);
	ck_assert_uint_eq(sc.nhits, 1);
	ck_assert(found(&sc, a));
	td_litset_scan(ls, TD_STR_LIT("sslsecurityerror; 0x80090331 twice 80090331"), &sc);
	ck_assert_uint_eq(sc.nhits, 2);
	ck_assert(found(&sc, b) && found(&sc, c));
	/* At the very start and the very end of the text. */
	td_litset_scan(ls, TD_STR_LIT("80090331"), &sc);
	ck_assert(found(&sc, c));
	td_litset_scan(ls, TD_STR_LIT("xx forcibly closed"), &sc);
	ck_assert(found(&sc, a));
	td_litset_scan(ls, TD_STR_LIT("forcibly close"), &sc);
	ck_assert_uint_eq(sc.nhits, 0);
	td_litset_scan(ls, TD_STR_LIT(""), &sc);
	ck_assert_uint_eq(sc.nhits, 0);
	td_litscan_release(&sc);
	td_litset_free(ls);
}
END_TEST

/* Brute force comparison on pseudo-random texts over a small alphabet, so
 * that shifts and buckets are exercised with many near misses. */
START_TEST(litset_matches_brute_force)
{
	const char *lits[] = { "abca", "bcab", "aab", "cabcabca", "ba", "abcabcabcabc" };
	struct td_litset *ls = td_litset_new();
	for (size_t i = 0; i < 6; i++)
		ck_assert_int_eq(td_litset_add(ls, td_str_cstr(lits[i])), (int)i);
	ck_assert_int_eq(td_litset_compile(ls), TD_OK);
	struct td_litscan sc;
	ck_assert_int_eq(td_litscan_init(&sc, ls), TD_OK);
	unsigned seed = 12345;
	char text[64];
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 40);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = "abcABC"[(seed >> 16) % 6];
		}
		td_litset_scan(ls, td_str_make(text, n), &sc);
		for (size_t k = 0; k < 6; k++) {
			bool want = td_str_ifind(td_str_make(text, n), td_str_cstr(lits[k])) >= 0;
			ck_assert_msg(found(&sc, (int)k) == want, "literal %s in %.*s", lits[k],
				      (int)n, text);
		}
	}
	td_litscan_release(&sc);
	td_litset_free(ls);
}
END_TEST

/* Scans `rounds` pseudo-random texts of every length below max_len, drawn
 * from alphabet, with one of the literals planted (in either case) at about
 * one position in `every`, and checks each literal's hit against a plain
 * case-folding search. */
static void check_planted(const char *const *lits, size_t nl, const char *alphabet,
			  unsigned seed, int rounds, size_t max_len, unsigned every)
{
	struct td_litset *ls = td_litset_new();
	for (size_t i = 0; i < nl; i++)
		ck_assert_int_eq(td_litset_add(ls, td_str_cstr(lits[i])), (int)i);
	ck_assert_int_eq(td_litset_compile(ls), TD_OK);
	struct td_litscan sc;
	ck_assert_int_eq(td_litscan_init(&sc, ls), TD_OK);
	size_t na = strlen(alphabet);
	char text[512];
	ck_assert_uint_le(max_len, sizeof(text));
	for (int round = 0; round < rounds; round++) {
		size_t n = (size_t)round % max_len;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			if (r % every == 0 && i + 12 < n) {
				const char *l = lits[r % nl];
				bool upper = r & 2;
				for (size_t k = 0; l[k] && i < n; k++) {
					bool letter = l[k] >= 'a' && l[k] <= 'z';
					text[i++] = (char)(upper && letter ? l[k] - 32 : l[k]);
				}
				i--;
				continue;
			}
			text[i] = alphabet[r % na];
		}
		td_litset_scan(ls, td_str_make(text, n), &sc);
		for (size_t k = 0; k < nl; k++) {
			bool want = td_str_ifind(td_str_make(text, n), td_str_cstr(lits[k])) >= 0;
			ck_assert_msg(found(&sc, (int)k) == want, "literal %s in %.*s", lits[k],
				      (int)n, text);
		}
	}
	td_litscan_release(&sc);
	td_litset_free(ls);
}

/* Many short literals (more leading pairs than the vector pass takes, so
 * the scalar short tables are used), non-letters and mixed case. */
START_TEST(litset_many_short_literals)
{
	char lits[40][8];
	const char *p[41];
	for (int i = 0; i < 40; i++) {
		snprintf(lits[i], sizeof(lits[i]), "%c%c%dx", "[0aZ-"[i % 5], 'a' + i, i);
		p[i] = lits[i];
	}
	p[40] = "longer literal here";
	check_planted(p, 41, "[0aZz-xX1234 bcdefg", 99, 5000, 120, 23);
}
END_TEST

/* Short literals of the kinds the signatures key on (error codes in
 * decimal and hex, short words, a bracketed code), few enough for the
 * vector pass (its nibble buckets, on AVX2), in texts long enough for
 * several 32-byte steps and every tail length. */
START_TEST(litset_short_codes_vector_pass)
{
	static const char *const lits[] = { "10054",  "0x2746", "12002",   "12029", "12030",
					    "0x2ee2", "0x2efd", "5023",    "0x139f", "[10054]",
					    "azure",  "ccmhttp", "driver", "mabs",   "mars",
					    "12175",  "-2147023584" };
	check_planted(lits, sizeof(lits) / sizeof(lits[0]), "0123456789xXaAbBeEfF[]-: mMrRsSzZuUdD",
		      777, 20000, 290, 29);
}
END_TEST

/* Long literals in long texts: the two-cursor scan must miss nothing,
 * including matches that straddle the middle. */
START_TEST(litset_long_texts)
{
	const char *lits[] = { "abcabcab", "cabbacab", "bbbbbbbbbbbb", "abcabcabcabcabca", "acbacbacb" };
	struct td_litset *ls = td_litset_new();
	for (size_t i = 0; i < 5; i++)
		ck_assert_int_eq(td_litset_add(ls, td_str_cstr(lits[i])), (int)i);
	ck_assert_int_eq(td_litset_compile(ls), TD_OK);
	struct td_litscan sc;
	ck_assert_int_eq(td_litscan_init(&sc, ls), TD_OK);
	unsigned seed = 4242;
	char text[600];
	for (int round = 0; round < 4000; round++) {
		size_t n = 60 + (size_t)(round % 540);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = "abcABC"[(seed >> 16) % 6];
		}
		td_litset_scan(ls, td_str_make(text, n), &sc);
		for (size_t k = 0; k < 5; k++) {
			bool want = td_str_ifind(td_str_make(text, n), td_str_cstr(lits[k])) >= 0;
			ck_assert_msg(found(&sc, (int)k) == want, "literal %s, text of %zu", lits[k], n);
		}
	}
	td_litscan_release(&sc);
	td_litset_free(ls);
}
END_TEST

START_TEST(code_forms)
{
	struct td_code_form f[TD_CODE_FORMS_MAX];
	size_t n = td_code_forms(10054, f);
	const char *want[] = { "10054", "0x2746", "00002746", "80072746", "-2147014842" };
	for (size_t w = 0; w < 5; w++) {
		bool ok = false;
		for (size_t i = 0; i < n; i++)
			ok |= strcmp(f[i].text, want[w]) == 0;
		ck_assert_msg(ok, "missing form %s", want[w]);
	}
	n = td_code_forms(0x80090331, f);
	bool signed_ok = false, hex_ok = false;
	for (size_t i = 0; i < n; i++) {
		signed_ok |= strcmp(f[i].text, "-2146893007") == 0;
		hex_ok |= strcmp(f[i].text, "80090331") == 0;
	}
	ck_assert(signed_ok && hex_ok);
}
END_TEST

struct code_case {
	uint32_t code;
	const char *text;
	bool want;
};

static const struct code_case code_cases[] = {
	{ 10054, "Error 10054: An existing connection was forcibly closed", true },
	{ 10054, "SQLServer Error: 10054, SSL Provider", true },
	{ 10054, "NativeErrorCode 0x2746", true },
	{ 10054, "hr=0x80072746", true },
	{ 10054, "HRESULT -2147014842 returned", true },
	{ 10054, "(80072746)", true },
	{ 10054, "error 100540", false },
	{ 10054, "port 210054", false },
	{ 10054, "version 1.10054", false },
	{ 10054, "value -10054", false },
	{ 10054, "0x27461", false },
	{ 0x80090331, "Connection handshake failed. An OS call failed: (80090331) 0x80090331(The client", true },
	{ 0x80090331, "(Microsoft SQL Server, Error: -2146893007)", true },
	{ 0x80090331, "code 2148074289", true },
	{ 0x80090331, "0X80090331", true },
	{ 0x80090331, "0x800903310", false },
	{ 0x80090331, "a80090331", false },
	{ 0x80090331, "-21468930071", false },
	{ 0x80072F8F, "Code=12175, Text=ERROR_WINHTTP_SECURE_FAILURE", true },
	{ 0x80072F8F, "failed with 0x80072f8f", true },
	{ 0x80072F8F, "error 12176", false },
	{ 12175, "0x80072F8F", true },
};

START_TEST(code_in_text)
{
	const struct code_case *c = &code_cases[_i];
	ck_assert_msg(td_code_in_text(c->code, td_str_cstr(c->text)) == c->want, "0x%08X in '%s'",
		      c->code, c->text);
}
END_TEST

START_TEST(code_parse)
{
	uint32_t v;
	ck_assert_uint_eq(td_code_parse(TD_STR_LIT("0x80090331)"), &v), 10);
	ck_assert_uint_eq(v, 0x80090331);
	ck_assert_uint_eq(td_code_parse(TD_STR_LIT("-2146893007"), &v), 11);
	ck_assert_uint_eq(v, 0x80090331);
	ck_assert_uint_eq(td_code_parse(TD_STR_LIT("80072f8f "), &v), 8);
	ck_assert_uint_eq(v, 0x80072F8F);
	ck_assert_uint_eq(td_code_parse(TD_STR_LIT("10054"), &v), 5);
	ck_assert_uint_eq(v, 10054);
	ck_assert_uint_eq(td_code_parse(TD_STR_LIT("0x"), &v), 1); /* the digit 0 */
	ck_assert_uint_eq(td_code_parse(TD_STR_LIT("0x123456789"), &v), 0);
	ck_assert_uint_eq(td_code_parse(TD_STR_LIT("99999999999"), &v), 0);
}
END_TEST

Suite *litset_suite(void)
{
	Suite *s = suite_create("litset");
	TCase *tc = tcase_create("litset");
	tcase_add_test(tc, litset_finds_all_case_insensitive);
	tcase_add_test(tc, litset_matches_brute_force);
	tcase_add_test(tc, litset_short_codes_vector_pass);
	tcase_add_test(tc, litset_many_short_literals);
	tcase_add_test(tc, litset_long_texts);
	tcase_add_test(tc, code_forms);
	tcase_add_loop_test(tc, code_in_text, 0, sizeof(code_cases) / sizeof(code_cases[0]));
	tcase_add_test(tc, code_parse);
	suite_add_tcase(s, tc);
	return s;
}
