/* HTML escaping (see html.h). */
#include "html.h"

#include "encoding.h"

/* Whether a code point must not appear as is: C1 controls and
 * noncharacters (HTML parse errors, some not even XML characters) and the
 * bidirectional embeddings, overrides and isolates. */
static bool replaced(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
	       (cp & 0xFFFE) == 0xFFFE || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void td_html_escape(FILE *f, struct td_str s)
{
	size_t i = 0;
	while (i < s.len) {
		unsigned char c = (unsigned char)s.p[i];
		size_t k = i;
		while (k < s.len && (unsigned char)s.p[k] >= 0x20 && (unsigned char)s.p[k] < 0x7F &&
		       !strchr("&<>\"'", s.p[k]))
			k++;
		if (k > i) {
			fwrite(s.p + i, 1, k - i, f);
			i = k;
			continue;
		}
		if (c < 0x80) {
			switch (c) {
			case '&': fputs("&amp;", f); break;
			case '<': fputs("&lt;", f); break;
			case '>': fputs("&gt;", f); break;
			case '"': fputs("&quot;", f); break;
			case '\'': fputs("&#39;", f); break;
			case '\t':
			case '\n':
			case '\r': fputc(c, f); break;
			default: {
				/* Control Pictures: U+2400 + c, U+2421 for DEL. */
				char sym[4];
				size_t n = td_utf8_put(sym, c == 0x7F ? 0x2421 : 0x2400 + c);
				fwrite(sym, 1, n, f);
			}
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = td_utf8_next(td_str_slice(s, i, s.len), &cp);
		if (cp == 0xFFFD || replaced(cp))
			fputs("\xEF\xBF\xBD", f);
		else
			fwrite(s.p + i, 1, n, f);
		i += n;
	}
}

void td_html_cstr(FILE *f, const char *z)
{
	if (z)
		td_html_escape(f, td_str_cstr(z));
}

void td_html_put(FILE *f, const char *before, const char *text, const char *after)
{
	fputs(before, f);
	td_html_cstr(f, text);
	fputs(after, f);
}

void td_html_section(FILE *f, const char *id, const char *title)
{
	fprintf(f, "<section id=\"%s\" aria-labelledby=\"%s-h\">\n", id, id);
	fprintf(f, "<h2 id=\"%s-h\">%s</h2>\n", id, title);
}
