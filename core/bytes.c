/* Bounded byte reader (see bytes.h). */
#include "bytes.h"

#include <string.h>

bool td_bytes_has_prefix(struct td_bytes b, const void *magic, size_t n)
{
	return b.len >= n && memcmp(b.p, magic, n) == 0;
}
