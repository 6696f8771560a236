/* The one place that includes pcre2.h (8-bit code units). */
#ifndef TD_PCRE_H
#define TD_PCRE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#endif
