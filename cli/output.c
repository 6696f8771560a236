/* Output driver and helpers shared by the formats (see output.h). */
#include "output.h"

#include <string.h>

const struct td_output_ops *td_output_find(const char *name)
{
	static const struct td_output_ops *const all[] = { &td_output_text, &td_output_json,
							   &td_output_ndjson, &td_output_html };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

int td_output_write(const struct td_output_ops *ops, FILE *f, const struct td_output_opts *opts,
		    const struct td_run_report *r)
{
	struct td_output o = { .ops = ops, .f = f, .opts = *opts, .r = r };
	ops->begin(&o);
	for (size_t i = 0; i < r->ninputs; i++)
		ops->input(&o, &r->inputs[i], i);
	for (size_t i = 0; r->dx && i < r->dx->nfindings; i++)
		ops->finding(&o, &r->dx->findings[i], i);
	ops->plan(&o);
	ops->facts(&o);
	ops->machines(&o);
	ops->summary(&o);
	ops->end(&o);
	if (fflush(f) != 0 || ferror(f))
		return TD_E_IO;
	return TD_OK;
}

size_t td_output_finding_index(const struct td_run_report *r, const struct td_finding *f)
{
	return r->dx ? (size_t)(f - r->dx->findings) : 0;
}

void td_output_time(char *out, size_t cap, const struct td_time *t)
{
	if (t->zone == TD_ZONE_NONE) {
		if (cap)
			out[0] = '\0';
		return;
	}
	td_time_format(out, cap, t->ticks, t->digits, (enum td_zone)t->zone);
}

void td_output_safe(FILE *f, const char *s)
{
	const char *run = s;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 0x20 || c == '\t')
			continue;
		fwrite(run, 1, (size_t)(p - run), f);
		if (!c)
			return;
		fputc('?', f);
		run = p + 1;
	}
}

void td_output_explain_code(char *out, size_t cap, const struct td_explain *x)
{
	if (x->kind == TD_EXPLAIN_STATUS && x->code > 0xffff)
		snprintf(out, cap, "0x%08X", x->code);
	else if (x->kind == TD_EXPLAIN_SECURE_FAILURE || x->kind == TD_EXPLAIN_PROTOCOL ||
		 x->kind == TD_EXPLAIN_CIPHER_SUITE)
		snprintf(out, cap, "0x%X", x->code);
	else
		snprintf(out, cap, "%u", x->code);
}

uint64_t td_output_not_kept(const struct td_finding *f)
{
	uint64_t kept = 0;
	for (size_t i = 0; i < f->nevidence; i++)
		kept += f->evidence[i].role == TD_ROLE_TRIGGER;
	return f->count > kept ? f->count - kept : 0;
}
