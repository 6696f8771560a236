/* Unit tests for the HTML escaper of the HTML report. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

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

Suite *output_html_suite(void)
{
	Suite *s = suite_create("output_html");
	TCase *tc = tcase_create("output_html");
	tcase_add_test(tc, escape_hostile);
	tcase_add_test(tc, escape_bytes);
	suite_add_tcase(s, tc);
	return s;
}
