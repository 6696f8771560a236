/* Fuzz target: the EVTX reader on arbitrary bytes (with recovery and the
 * XML rendering on), checking what every event must satisfy. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "evtx.h"
#include "fuzz_check.h"

static int check(const struct td_event *ev, void *user)
{
	if (ev->offset >= *(size_t *)user || ev->format != TD_FMT_EVTX)
		abort();
	fuzz_check_event(ev);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct td_diag diag;
	td_diag_init(&diag, 20);
	struct td_parse_ctx ctx = { .cb = check, .user = &size, .diag = &diag,
				    .path = TD_STR_LIT("fuzz.evtx") };
	struct td_evtx_options opt = { .xml = size % 2 == 0, .recover = true };
	struct td_evtx_stats stats;
	int rc = td_evtx_parse(td_bytes_make(data, size), &ctx, &opt, &stats, NULL);
	if (rc != TD_OK && rc != TD_E_FORMAT && rc != TD_E_NOMEM)
		abort();
	td_diag_release(&diag);
	return 0;
}
