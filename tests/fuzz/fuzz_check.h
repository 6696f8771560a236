/* What every event a parser emits must satisfy, whatever the input; a
 * violation aborts so that the fuzzer reports it. */
#ifndef TD_FUZZ_CHECK_H
#define TD_FUZZ_CHECK_H

#include <stdlib.h>

#include "parser.h"

static void fuzz_check_event(const struct td_event *ev)
{
	if (ev->message.len > TD_MAX_MESSAGE || ev->line_end < ev->line)
		abort();
	for (size_t i = 0; i < ev->nfields; i++)
		if (!ev->fields[i].name.len)
			abort();
}

#endif
