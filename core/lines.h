/* Line splitting over a text view, for the line-oriented parsers. */
#ifndef TD_LINES_H
#define TD_LINES_H

#include <stdbool.h>

#include "str.h"

/* Takes the next line off the front of *rest.  *line receives it without its
 * end of line (LF, CRLF, or CR+CRLF); *terminated tells whether an LF ended
 * it (false for a last line without one).  Returns false when *rest is
 * empty. */
static inline bool td_next_line(struct td_str *rest, struct td_str *line, bool *terminated)
{
	if (rest->len == 0)
		return false;
	const char *nl = memchr(rest->p, '\n', rest->len);
	size_t n = nl ? (size_t)(nl - rest->p) : rest->len;
	size_t end = n;
	while (end > 0 && rest->p[end - 1] == '\r')
		end--;
	*line = td_str_make(rest->p, end);
	*terminated = nl != NULL;
	size_t adv = nl ? n + 1 : n;
	rest->p += adv;
	rest->len -= adv;
	return true;
}

/* Number of LF bytes in s. */
size_t td_count_newlines(struct td_str s);

#endif
