/* Facts from signatures (see sigfacts.h). */
#include "sigfacts.h"

#include <string.h>

static struct td_str lookup(const struct td_match *m, struct td_str name)
{
	struct td_str v = td_event_part(m->ev, name);
	for (size_t i = 0; (!v.p || !v.len) && i < m->ncaps; i++)
		if (td_str_eq(m->caps[i].name, name) && m->caps[i].value.p)
			v = m->caps[i].value;
	return td_str_trim(v);
}

/* Appends s with white space collapsed; false when it does not fit. */
static bool append(char *out, size_t cap, size_t *n, struct td_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
		if (space && (*n == 0 || out[*n - 1] == ' '))
			continue;
		if (*n + 1 >= cap)
			return false;
		out[(*n)++] = space ? ' ' : c;
	}
	return true;
}

bool td_sigfact_value(const struct td_sigfact *f, const struct td_match *m, char *out,
		      size_t cap)
{
	if (!cap)
		return false;
	size_t n = 0;
	const char *p = f->value;
	while (*p) {
		const char *ref = strstr(p, "${");
		const char *end = ref ? strchr(ref, '}') : NULL;
		if (!ref || !end) {
			if (!append(out, cap, &n, td_str_cstr(p)))
				return false;
			break;
		}
		if (!append(out, cap, &n, td_str_make(p, (size_t)(ref - p))))
			return false;
		struct td_str v = lookup(m, td_str_make(ref + 2, (size_t)(end - ref - 2)));
		if (!v.p || !v.len || !append(out, cap, &n, v))
			return false;
		p = end + 1;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return n > 0;
}
