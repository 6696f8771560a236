/* Newline counting (see lines.h). */
#include "lines.h"

size_t td_count_newlines(struct td_str s)
{
	size_t n = 0;
	const char *p = s.p, *end = s.p + s.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		n++;
		p = nl + 1;
	}
	return n;
}
