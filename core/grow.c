/* Growable arrays (see grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int td_grow(void *arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return TD_OK;
	size_t ncap = *cap ? *cap * 2 : 8;
	if (ncap <= n)
		ncap = n + 1;
	if (elem && ncap > SIZE_MAX / elem)
		return TD_E_NOMEM;
	void *old;
	memcpy(&old, arr, sizeof(old));
	void *np = realloc(old, ncap * elem);
	if (!np)
		return TD_E_NOMEM;
	memcpy(arr, &np, sizeof(np));
	*cap = ncap;
	return TD_OK;
}
