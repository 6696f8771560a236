/* Fuzz target: registry exports through the machine model, as a run does
 * it (diagnose/diagnose.c): the registry parser's value events and fact
 * fields go into the machine of their file, the files of two machine
 * folders (the input, and its second half again for the other machine) are
 * grouped into machines, verdicts are computed and every machine rule is
 * checked.  Verdict texts and the rules' details and evidence must stay
 * inside their buffers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "fuzz_check.h"
#include "machine.h"

struct feed {
	struct td_machine *m;
	struct fuzz_text_seen seen;
};

static void fact_text(char *out, size_t cap, struct td_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;
	memcpy(out, s.p ? s.p : "", n);
	out[n] = '\0';
}

static int on_event(const struct td_event *ev, void *user)
{
	struct feed *f = user;
	fuzz_check_text_event(&f->seen, ev);
	struct td_str key = td_event_field(ev, "key");
	if (key.p && td_machine_regvalue(f->m, key, td_event_field(ev, "value"),
					 td_event_field(ev, "type"), td_event_field(ev, "data"),
					 td_event_field(ev, "deleted").p != NULL, ev->path, ev->line,
					 ev->message))
		return 1;
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct td_field *fl = &ev->fields[i];
		if (!td_str_starts_with(fl->name, "fact.") || fl->name.len <= 5 || !fl->value.len)
			continue;
		char name[128], value[512];
		fact_text(name, sizeof(name), td_str_slice(fl->name, 5, fl->name.len));
		fact_text(value, sizeof(value), fl->value);
		if (td_machine_fact(f->m, name, value, "fuzz.reg", ev->line))
			return 1;
	}
	return 0;
}

static void parse_into(struct td_machines *ms, const char *path, const uint8_t *data, size_t size)
{
	struct feed f = { .m = td_machines_get(ms, td_str_cstr(path)) };
	if (!f.m)
		return;
	fuzz_text_seen_init(&f.seen, TD_FMT_REGISTRY, data, size);
	struct td_diag diag;
	td_diag_init(&diag, 20);
	struct td_parse_ctx ctx = { .cb = on_event, .user = &f, .diag = &diag,
				    .path = td_str_cstr(path) };
	struct td_parse_info info;
	int rc = td_parse_text(td_bytes_make(data, size), &td_parser_registry, &ctx, &info, NULL);
	if (rc != TD_OK && rc != TD_E_STOP && rc != TD_E_NOMEM)
		abort();
	td_diag_release(&diag);
}

static void check_text(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

static void check_machine(const struct td_machine *m)
{
	for (int p = 0; p < TD_NPROTO; p++)
		check_text(m->proto[p].why, sizeof(m->proto[p].why));
	for (int c = TD_CHECK_NONE + 1; c < TD_CHECK_COUNT; c++) {
		if (!td_check_is_machine_rule((enum td_check)c))
			continue;
		struct td_check_hit hit;
		memset(&hit, 0, sizeof(hit));
		if (!td_check_machine((enum td_check)c, m, TD_SEV_WARNING, &hit))
			continue;
		if (hit.dlen >= sizeof(hit.detail) || strlen(hit.detail) != hit.dlen ||
		    hit.nev > TD_CHECK_MAX_EVIDENCE)
			abort();
		for (size_t i = 0; i < hit.nev; i++)
			check_text(hit.ev[i].text, sizeof(hit.ev[i].text));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One window holds all of a small input (as TD_WINDOW would), without
	 * allocating 8 MiB per parse (see fuzz_text_format.h). */
	td_parse_set_windows(size < TD_WINDOW / 4 ? 4 * size + 4096 : TD_WINDOW, 0);
	struct td_machines ms;
	td_machines_init(&ms);
	parse_into(&ms, "bundle/SRV1/registry/schannel.reg", data, size);
	parse_into(&ms, "bundle/SRV1/registry/netfx.reg", data + size / 2, size - size / 2);
	parse_into(&ms, "bundle/SRV2/reg.txt", data + size / 2, size - size / 2);
	if (td_machines_group(&ms, NULL) == TD_OK) {
		td_machines_finish(&ms);
		for (size_t i = 0; i < ms.n; i++)
			check_machine(&ms.m[i]);
	}
	td_machines_release(&ms);
	return 0;
}
