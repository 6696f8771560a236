/* One fuzz target per text parser: FUZZ_PARSER names it.  The input is
 * parsed with that parser forced (every window size path is exercised by
 * the driver) and each event is checked. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_check.h"

static int check(const struct td_event *ev, void *user)
{
	(void)user;
	fuzz_check_event(ev);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct td_diag diag;
	td_diag_init(&diag, 20);
	struct td_parse_info info;
	int rc = td_parse_memory(&FUZZ_PARSER, data, size, check, NULL, &diag, &info);
	if (rc != TD_OK && rc != TD_E_NOMEM)
		abort();
	td_diag_release(&diag);
	return 0;
}
