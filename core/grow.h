/* Growable arrays: the one place that doubles a capacity. */
#ifndef TD_GROW_H
#define TD_GROW_H

#include <stddef.h>

#include "err.h"

/* Makes room for element n of the array *arr (a pointer to any element
 * type, passed as &arr) whose capacity is *cap elements of elem bytes:
 * doubles the capacity (first 8) when n == *cap.  On failure the array is
 * unchanged and TD_E_NOMEM is returned. */
int td_grow(void *arr, size_t *cap, size_t n, size_t elem) TD_WUR;

#endif
