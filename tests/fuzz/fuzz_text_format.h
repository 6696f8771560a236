/* One fuzz target per text parser: FUZZ_PARSER names it (or, with
 * FUZZ_SNIFF, the driver picks the encoding and the format as for any
 * input).  The input is parsed twice: as the tool parses it (one window
 * holds all of a small input; the window is sized to the input rather than
 * TD_WINDOW only because allocating 8 MiB per run would slow the fuzzer
 * tenfold), and with windows of a few hundred bytes, so that records
 * straddling windows and forced windows (records longer than the largest
 * window) are exercised by small inputs.  Every event and diagnostic is
 * checked (fuzz_check.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_check.h"

#ifdef FUZZ_SNIFF
#define FUZZ_PARSER_P NULL
#else
#define FUZZ_PARSER_P (&FUZZ_PARSER)
#endif

struct fuzz_run {
	struct fuzz_text_seen seen;
	const struct td_parse_info *info;
};

static int check(const struct td_event *ev, void *user)
{
	struct fuzz_run *r = user;
	/* The driver fills info->format before the first event. */
	r->seen.format = r->info->format;
	fuzz_check_text_event(&r->seen, ev);
	return 0;
}

static void parse_once(const uint8_t *data, size_t size)
{
	struct td_diag diag;
	td_diag_init(&diag, 20);
	struct td_parse_info info = { 0 };
	struct fuzz_run r = { .info = &info };
	fuzz_text_seen_init(&r.seen, TD_FMT_UNKNOWN, data, size);
	int rc = td_parse_memory(FUZZ_PARSER_P, data, size, check, &r, &diag, &info);
	if (rc != TD_OK && rc != TD_E_NOMEM)
		abort();
	if (rc == TD_OK && info.events != r.seen.events)
		abort();
#ifndef FUZZ_SNIFF
	if (info.format != FUZZ_PARSER.format)
		abort();
#endif
	fuzz_check_diag(&diag, &r.seen);
	td_diag_release(&diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Decoding to UTF-8 at most triples the size. */
	td_parse_set_windows(size < TD_WINDOW / 4 ? 4 * size + 4096 : TD_WINDOW, 0);
	parse_once(data, size);
	td_parse_set_windows(128, 512);
	parse_once(data, size);
	td_parse_set_windows(0, 0);
	return 0;
}
