/* JSON and NDJSON output (schema documented in README.md, "JSON output"). */
#include <string.h>

#include "output.h"
#include "td_config.h"

enum { SEC_NONE, SEC_INPUTS, SEC_FINDINGS };

void td_output_json_time(struct td_json *j, const struct td_time *t)
{
	char buf[48];
	td_output_time(buf, sizeof(buf), t);
	if (buf[0])
		td_json_cstr(j, buf);
	else
		td_json_null(j);
}

void td_output_json_u64(struct td_json *j, uint64_t v)
{
	if (v)
		td_json_u64(j, v);
	else
		td_json_null(j);
}

static void write_input(struct td_json *j, const struct td_input_report *in)
{
	td_json_object_begin(j);
	td_json_key(j, "path");
	td_json_cstr(j, in->path);
	td_json_key(j, "format");
	td_json_cstr(j, in->error ? NULL : td_format_name(in->format));
	td_json_key(j, "encoding");
	td_json_cstr(j, in->error ? NULL : td_encoding_name(in->encoding));
	td_json_key(j, "bytes");
	td_json_u64(j, in->bytes);
	td_json_key(j, "events");
	td_json_u64(j, in->events);
	td_json_key(j, "host");
	td_json_cstr(j, in->host);
	td_json_key(j, "first_time");
	td_output_json_time(j, &in->first);
	td_json_key(j, "last_time");
	td_output_json_time(j, &in->last);
	td_json_key(j, "error");
	td_json_cstr(j, in->error);
	td_json_key(j, "diagnostics");
	td_json_array_begin(j);
	for (size_t i = 0; i < in->diag.n; i++) {
		const struct td_diag_entry *d = &in->diag.items[i];
		td_json_object_begin(j);
		td_json_key(j, "level");
		td_json_cstr(j, td_diag_level_name(d->level));
		td_json_key(j, "offset");
		if (d->offset == TD_DIAG_NO_OFFSET)
			td_json_null(j);
		else
			td_json_u64(j, d->offset);
		td_json_key(j, "line");
		td_output_json_u64(j, d->line);
		td_json_key(j, "message");
		td_json_cstr(j, d->msg);
		td_json_object_end(j);
	}
	td_json_array_end(j);
	td_json_key(j, "diagnostics_dropped");
	td_json_u64(j, in->diag.dropped);
	td_json_object_end(j);
}

static void write_evidence(struct td_json *j, const struct td_evidence *e)
{
	td_json_object_begin(j);
	td_json_key(j, "path");
	td_json_cstr(j, e->path);
	td_json_key(j, "line");
	td_output_json_u64(j, e->line);
	td_json_key(j, "line_end");
	td_output_json_u64(j, e->line_end);
	td_json_key(j, "record");
	td_output_json_u64(j, e->record);
	td_json_key(j, "offset");
	td_json_u64(j, e->offset);
	td_json_key(j, "time");
	td_output_json_time(j, &e->time);
	td_json_key(j, "time_text");
	if (e->time.text.len)
		td_json_str(j, e->time.text);
	else
		td_json_null(j);
	td_json_key(j, "role");
	td_json_cstr(j, td_role_name(e->role));
	td_json_key(j, "component");
	td_json_cstr(j, e->component);
	td_json_key(j, "host");
	td_json_cstr(j, e->host);
	td_json_key(j, "excerpt");
	td_json_cstr(j, e->excerpt);
	td_json_key(j, "captures");
	td_json_object_begin(j);
	for (size_t i = 0; i < e->ncaps; i++) {
		td_json_key(j, e->caps[i].name);
		td_json_cstr(j, e->caps[i].value);
	}
	td_json_object_end(j);
	td_json_key(j, "explain");
	td_json_array_begin(j);
	for (size_t i = 0; i < e->nexplains; i++) {
		const struct td_explain *x = e->explains[i];
		td_json_object_begin(j);
		td_json_key(j, "kind");
		td_json_cstr(j, td_explain_kind_name(x->kind));
		td_json_key(j, "code");
		td_json_u64(j, x->code);
		td_json_key(j, "name");
		td_json_cstr(j, x->name);
		td_json_key(j, "text");
		td_json_cstr(j, x->text);
		td_json_object_end(j);
	}
	td_json_array_end(j);
	td_json_object_end(j);
}

static void write_ref_keys(struct td_json *j, const struct td_reference *const *refs, size_t n)
{
	td_json_array_begin(j);
	for (size_t i = 0; i < n; i++)
		td_json_cstr(j, refs[i]->key);
	td_json_array_end(j);
}

static void write_remedy(struct td_json *j, const struct td_remedy *r)
{
	td_json_object_begin(j);
	td_json_key(j, "id");
	td_json_cstr(j, r->id);
	td_json_key(j, "title");
	td_json_cstr(j, r->title);
	td_json_key(j, "phase");
	td_json_cstr(j, td_phase_name(r->phase));
	td_json_key(j, "steps");
	td_json_array_begin(j);
	for (size_t i = 0; i < r->nsteps; i++) {
		const struct td_step *s = &r->steps[i];
		td_json_object_begin(j);
		td_json_key(j, "kind");
		td_json_cstr(j, td_step_kind_name(s->kind));
		td_json_key(j, "text");
		td_json_cstr(j, s->text);
		if (s->kb) {
			td_json_key(j, "kb");
			td_json_cstr(j, s->kb);
		}
		if (s->path) {
			td_json_key(j, "path");
			td_json_cstr(j, s->path);
		}
		if (s->content) {
			td_json_key(j, "content");
			td_json_cstr(j, s->content);
		}
		if (s->nvalues) {
			td_json_key(j, "registry");
			td_json_array_begin(j);
			for (size_t v = 0; v < s->nvalues; v++) {
				td_json_object_begin(j);
				td_json_key(j, "key");
				td_json_cstr(j, s->values[v].key);
				td_json_key(j, "name");
				td_json_cstr(j, s->values[v].name);
				td_json_key(j, "type");
				td_json_cstr(j, s->values[v].type);
				td_json_key(j, "data");
				td_json_cstr(j, s->values[v].data);
				td_json_object_end(j);
			}
			td_json_array_end(j);
		}
		td_json_object_end(j);
	}
	td_json_array_end(j);
	td_json_key(j, "references");
	write_ref_keys(j, r->refs, r->nrefs);
	td_json_object_end(j);
}

static void write_finding_fields(struct td_json *j, const struct td_finding *f)
{
	const struct td_signature *s = f->sig;
	td_json_key(j, "id");
	td_json_cstr(j, s->id);
	td_json_key(j, "kb");
	td_json_cstr(j, s->kb[0] ? s->kb : NULL);
	td_json_key(j, "title");
	td_json_cstr(j, s->title);
	td_json_key(j, "machine");
	td_json_cstr(j, f->machine);
	td_json_key(j, "severity");
	td_json_cstr(j, td_severity_name(f->severity));
	td_json_key(j, "confidence");
	td_json_cstr(j, td_confidence_name(f->confidence));
	td_json_key(j, "community");
	td_json_bool(j, s->community);
	td_json_key(j, "count");
	td_json_u64(j, f->count);
	td_json_key(j, "supports");
	td_json_u64(j, f->supports);
	td_json_key(j, "first_time");
	td_output_json_time(j, &f->first);
	td_json_key(j, "last_time");
	td_output_json_time(j, &f->last);
	td_json_key(j, "cause");
	td_json_cstr(j, s->cause);
	td_json_key(j, "detail");
	td_json_cstr(j, f->detail);
	td_json_key(j, "confirmed_by");
	td_json_array_begin(j);
	for (size_t i = 0; i < f->nconfirmed; i++) {
		td_json_object_begin(j);
		td_json_key(j, "id");
		td_json_cstr(j, f->confirmed[i]->id);
		td_json_key(j, "machine");
		td_json_cstr(j, f->confirmed_on[i]);
		td_json_object_end(j);
	}
	td_json_array_end(j);
	td_json_key(j, "merged_into");
	td_json_cstr(j, f->merged_into ? f->merged_into->id : NULL);
	td_json_key(j, "collect");
	td_json_array_begin(j);
	for (size_t i = 0; i < f->ncollect; i++) {
		td_json_object_begin(j);
		td_json_key(j, "id");
		td_json_cstr(j, f->collect[i]->id);
		td_json_key(j, "title");
		td_json_cstr(j, f->collect[i]->title);
		td_json_key(j, "collect");
		td_json_cstr(j, f->collect[i]->evidence);
		td_json_object_end(j);
	}
	td_json_array_end(j);
	td_json_key(j, "evidence");
	td_json_array_begin(j);
	for (size_t i = 0; i < f->nevidence; i++)
		write_evidence(j, &f->evidence[i]);
	td_json_array_end(j);
	td_json_key(j, "remedies");
	td_json_array_begin(j);
	for (size_t i = 0; i < s->nremedies; i++)
		if (td_finding_uses_remedy(f, i))
			write_remedy(j, s->remedies[i]);
	td_json_array_end(j);
	td_json_key(j, "references");
	td_json_array_begin(j);
	for (size_t i = 0; i < s->nrefs; i++) {
		const struct td_reference *r = s->refs[i];
		td_json_object_begin(j);
		td_json_key(j, "key");
		td_json_cstr(j, r->key);
		td_json_key(j, "title");
		td_json_cstr(j, r->title);
		td_json_key(j, "url");
		td_json_cstr(j, r->url);
		td_json_key(j, "community");
		td_json_bool(j, r->community);
		td_json_object_end(j);
	}
	td_json_array_end(j);
}

static void write_plan(struct td_json *j, const struct td_diagnosis *dx)
{
	td_json_array_begin(j);
	for (size_t i = 0; dx && i < dx->nplan; i++) {
		const struct td_plan_item *it = &dx->plan[i];
		td_json_object_begin(j);
		td_json_key(j, "order");
		td_json_u64(j, i + 1);
		td_json_key(j, "remedy");
		td_json_cstr(j, it->remedy->id);
		td_json_key(j, "title");
		td_json_cstr(j, it->remedy->title);
		td_json_key(j, "phase");
		td_json_cstr(j, td_phase_name(it->remedy->phase));
		td_json_key(j, "findings");
		td_json_array_begin(j);
		for (size_t k = 0; k < it->nfindings; k++)
			td_json_cstr(j, it->findings[k]->sig->id);
		td_json_array_end(j);
		td_json_object_end(j);
	}
	td_json_array_end(j);
}

static void write_facts(struct td_json *j, const struct td_diagnosis *dx)
{
	td_json_object_begin(j);
	for (size_t i = 0; dx && i < dx->nfacts; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(dx->facts[k].name, dx->facts[i].name) == 0;
		if (seen)
			continue;
		td_json_key(j, dx->facts[i].name);
		td_json_array_begin(j);
		for (size_t k = i; k < dx->nfacts; k++) {
			const struct td_fact *fa = &dx->facts[k];
			if (strcmp(fa->name, dx->facts[i].name) != 0)
				continue;
			td_json_object_begin(j);
			td_json_key(j, "value");
			td_json_cstr(j, fa->value);
			td_json_key(j, "path");
			td_json_cstr(j, fa->path);
			td_json_key(j, "line");
			td_output_json_u64(j, fa->line);
			td_json_key(j, "record");
			td_output_json_u64(j, fa->record);
			td_json_object_end(j);
		}
		td_json_array_end(j);
	}
	td_json_object_end(j);
}

static void write_summary_fields(struct td_json *j, const struct td_run_report *r)
{
	const struct td_diagnosis *dx = r->dx;
	td_json_key(j, "inputs");
	td_json_u64(j, r->ninputs);
	td_json_key(j, "unreadable");
	td_json_u64(j, r->unreadable);
	td_json_key(j, "events");
	td_json_u64(j, r->events);
	td_json_key(j, "findings");
	td_json_u64(j, dx ? dx->nfindings : 0);
	td_json_key(j, "errors");
	td_json_u64(j, dx ? dx->count[TD_SEV_ERROR] : 0);
	td_json_key(j, "warnings");
	td_json_u64(j, dx ? dx->count[TD_SEV_WARNING] : 0);
	td_json_key(j, "info");
	td_json_u64(j, dx ? dx->count[TD_SEV_INFO] : 0);
	td_json_key(j, "exit_code");
	td_json_i64(j, r->exit_code);
}

void td_output_json_tool(struct td_json *j)
{
	td_json_key(j, "tool");
	td_json_object_begin(j);
	td_json_key(j, "name");
	td_json_cstr(j, "tlsdiag");
	td_json_key(j, "version");
	td_json_cstr(j, TD_VERSION);
	td_json_object_end(j);
}

/* --- one JSON document ------------------------------------------------ */

static void section(struct td_output *o, int sec, const char *key)
{
	if (o->section == sec)
		return;
	if (o->section != SEC_NONE)
		td_json_array_end(&o->json);
	td_json_key(&o->json, key);
	td_json_array_begin(&o->json);
	o->section = sec;
}

static void doc_begin(struct td_output *o)
{
	td_json_init(&o->json, o->f, true);
	td_json_object_begin(&o->json);
	td_output_json_tool(&o->json);
	section(o, SEC_INPUTS, "inputs");
}

static void doc_input(struct td_output *o, const struct td_input_report *in, size_t index)
{
	write_input(&o->json, in);
}

static void doc_finding(struct td_output *o, const struct td_finding *f, size_t index)
{
	section(o, SEC_FINDINGS, "findings");
	td_json_object_begin(&o->json);
	write_finding_fields(&o->json, f);
	td_json_object_end(&o->json);
}

static void doc_plan(struct td_output *o)
{
	section(o, SEC_FINDINGS, "findings");
	td_json_array_end(&o->json);
	o->section = SEC_NONE;
	td_json_key(&o->json, "fix_plan");
	write_plan(&o->json, o->r->dx);
}

static void doc_facts(struct td_output *o)
{
	td_json_key(&o->json, "facts");
	write_facts(&o->json, o->r->dx);
}

static void write_regval(struct td_json *j, const struct td_regval *v)
{
	if (!v->present) {
		td_json_null(j);
		return;
	}
	td_json_object_begin(j);
	td_json_key(j, "data");
	td_json_cstr(j, v->data);
	td_json_key(j, "path");
	td_json_cstr(j, v->path);
	td_json_key(j, "line");
	td_output_json_u64(j, v->line);
	td_json_object_end(j);
}

static void write_side(struct td_json *j, const struct td_proto_side *s)
{
	td_json_object_begin(j);
	td_json_key(j, "state");
	td_json_cstr(j, td_pstate_name(s->state));
	td_json_key(j, "windows_default");
	td_json_bool(j, s->from_default);
	td_json_key(j, "Enabled");
	write_regval(j, &s->enabled);
	td_json_key(j, "DisabledByDefault");
	write_regval(j, &s->disabled_by_default);
	td_json_object_end(j);
}

static void write_machine(struct td_json *j, const struct td_machine *m)
{
	static const char *const vers[2] = { "v2.0.50727", "v4.0.30319" };
	static const char *const views[2] = { "64-bit", "32-bit" };
	static const char *const vals[2] = { "SchUseStrongCrypto", "SystemDefaultTlsVersions" };
	static const char *const inet[3] = { "user", "machine", "policy" };
	td_json_object_begin(j);
	td_json_key(j, "name");
	td_json_cstr(j, m->name);
	td_json_key(j, "windows");
	if (m->win.build) {
		td_json_object_begin(j);
		td_json_key(j, "build");
		td_json_u64(j, m->win.build);
		td_json_key(j, "name");
		td_json_cstr(j, td_windows_name(m->win.build));
		td_json_key(j, "source");
		td_json_cstr(j, m->win.path);
		td_json_object_end(j);
	} else {
		td_json_null(j);
	}
	td_json_key(j, "dotnet_release");
	write_regval(j, &m->release);
	td_json_key(j, "protocols");
	td_json_object_begin(j);
	for (int p = 0; m->schannel_seen && p < TD_NPROTO; p++) {
		const struct td_proto_cfg *c = &m->proto[p];
		td_json_key(j, td_proto_name((enum td_proto)p));
		td_json_object_begin(j);
		td_json_key(j, "verdict");
		td_json_cstr(j, td_verdict_name(c->verdict));
		td_json_key(j, "client");
		write_side(j, &c->side[TD_CLIENT]);
		td_json_key(j, "server");
		write_side(j, &c->side[TD_SERVER]);
		td_json_key(j, "why");
		td_json_cstr(j, c->why);
		td_json_object_end(j);
	}
	td_json_object_end(j);
	td_json_key(j, "dotnet");
	td_json_object_begin(j);
	for (int view = 0; view < 2; view++) {
		if (!m->netfx_seen[view])
			continue;
		for (int ver = 0; ver < 2; ver++)
			for (int val = 0; val < 2; val++) {
				char key[80];
				snprintf(key, sizeof(key), "%s %s %s", views[view], vers[ver], vals[val]);
				td_json_key(j, key);
				write_regval(j, &m->netfx[ver][view][val]);
			}
	}
	td_json_object_end(j);
	td_json_key(j, "winhttp_default_secure_protocols");
	td_json_object_begin(j);
	for (int view = 0; view < 2; view++) {
		td_json_key(j, views[view]);
		write_regval(j, &m->winhttp[view]);
	}
	td_json_object_end(j);
	td_json_key(j, "wininet_secure_protocols");
	td_json_object_begin(j);
	for (int s = 0; s < 3; s++) {
		td_json_key(j, inet[s]);
		write_regval(j, &m->wininet[s]);
	}
	td_json_object_end(j);
	td_json_key(j, "cipher_suite_policy");
	write_regval(j, &m->cipher_policy);
	td_json_key(j, "fips_policy");
	write_regval(j, &m->fips);
	td_json_key(j, "algorithm_keys");
	td_json_array_begin(j);
	for (size_t k = 0; k < m->nalgos; k++) {
		td_json_object_begin(j);
		td_json_key(j, "value");
		td_json_cstr(j, m->algos[k].text);
		td_json_key(j, "path");
		td_json_cstr(j, m->algos[k].path);
		td_json_key(j, "line");
		td_output_json_u64(j, m->algos[k].line);
		td_json_object_end(j);
	}
	td_json_array_end(j);
	td_json_object_end(j);
}

static void write_machines(struct td_json *j, const struct td_diagnosis *dx)
{
	td_json_array_begin(j);
	for (size_t i = 0; dx && i < dx->machines.n; i++)
		if (dx->machines.m[i].has_registry)
			write_machine(j, &dx->machines.m[i]);
	td_json_array_end(j);
}

static void doc_machines(struct td_output *o)
{
	td_json_key(&o->json, "machines");
	write_machines(&o->json, o->r->dx);
}

static void doc_summary(struct td_output *o)
{
	td_json_key(&o->json, "summary");
	td_json_object_begin(&o->json);
	write_summary_fields(&o->json, o->r);
	td_json_object_end(&o->json);
}

static void write_unchecked(struct td_json *j, const struct td_run_report *r)
{
	td_json_array_begin(j);
	for (size_t i = 0; i < r->nunchecked; i++) {
		const struct td_signature *s = r->unchecked[i];
		td_json_object_begin(j);
		td_json_key(j, "id");
		td_json_cstr(j, s->id);
		td_json_key(j, "kb");
		td_json_cstr(j, s->kb[0] ? s->kb : NULL);
		td_json_key(j, "title");
		td_json_cstr(j, s->title);
		td_json_key(j, "collect");
		td_json_cstr(j, s->evidence);
		td_json_object_end(j);
	}
	td_json_array_end(j);
}

static void doc_end(struct td_output *o)
{
	if (o->opts.explain) {
		td_json_key(&o->json, "unchecked");
		write_unchecked(&o->json, o->r);
	}
	td_json_object_end(&o->json);
	td_json_newline(&o->json);
}

const struct td_output_ops td_output_json = {
	.name = "json",
	.begin = doc_begin,
	.input = doc_input,
	.finding = doc_finding,
	.plan = doc_plan,
	.facts = doc_facts,
	.machines = doc_machines,
	.summary = doc_summary,
	.end = doc_end,
};

/* --- NDJSON: one object per line ---------------------------------------- */

static void nd_begin(struct td_output *o)
{
	td_json_init(&o->json, o->f, false);
}

/* Every NDJSON line is one object with its "type" first. */
static void nd_open(struct td_output *o, const char *type)
{
	td_json_init(&o->json, o->f, false);
	td_json_object_begin(&o->json);
	td_json_key(&o->json, "type");
	td_json_cstr(&o->json, type);
}

static void nd_close(struct td_output *o)
{
	td_json_object_end(&o->json);
	td_json_newline(&o->json);
}

static void nd_input(struct td_output *o, const struct td_input_report *in, size_t index)
{
	nd_open(o, "input");
	td_json_key(&o->json, "input");
	write_input(&o->json, in);
	nd_close(o);
}

static void nd_finding(struct td_output *o, const struct td_finding *f, size_t index)
{
	nd_open(o, "finding");
	write_finding_fields(&o->json, f);
	nd_close(o);
}

static void nd_plan(struct td_output *o)
{
	nd_open(o, "fix_plan");
	td_json_key(&o->json, "fix_plan");
	write_plan(&o->json, o->r->dx);
	nd_close(o);
}

static void nd_facts(struct td_output *o)
{
	nd_open(o, "facts");
	td_json_key(&o->json, "facts");
	write_facts(&o->json, o->r->dx);
	nd_close(o);
}

static void nd_machines(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	for (size_t i = 0; dx && i < dx->machines.n; i++) {
		if (!dx->machines.m[i].has_registry)
			continue;
		nd_open(o, "machine");
		td_json_key(&o->json, "machine");
		write_machine(&o->json, &dx->machines.m[i]);
		nd_close(o);
	}
}

static void nd_summary(struct td_output *o)
{
	nd_open(o, "summary");
	td_output_json_tool(&o->json);
	write_summary_fields(&o->json, o->r);
	nd_close(o);
}

static void nd_end(struct td_output *o)
{
	if (!o->opts.explain)
		return;
	nd_open(o, "unchecked");
	td_json_key(&o->json, "signatures");
	write_unchecked(&o->json, o->r);
	nd_close(o);
}

const struct td_output_ops td_output_ndjson = {
	.name = "ndjson",
	.begin = nd_begin,
	.input = nd_input,
	.finding = nd_finding,
	.plan = nd_plan,
	.facts = nd_facts,
	.machines = nd_machines,
	.summary = nd_summary,
	.end = nd_end,
};
