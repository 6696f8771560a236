/* Terminal text output: the verdict first, then each finding with its
 * evidence, the merged fix plan, facts and inputs with problems. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netfx.h"
#include "output.h"
#include "td_config.h"

#define WIDTH 100
#define EVIDENCE_SHOWN 5

static const char *color(const struct td_output *o, const char *code)
{
	return o->opts.color ? code : "";
}

#define RESET(o) color(o, "\033[0m")
#define BOLD(o) color(o, "\033[1m")
#define DIM(o) color(o, "\033[2m")

static const char *sev_color(const struct td_output *o, enum td_severity s)
{
	return color(o, s == TD_SEV_ERROR ? "\033[1;31m" : s == TD_SEV_WARNING ? "\033[1;33m"
									       : "\033[1;36m");
}

/* Prints s wrapped at WIDTH, every line starting with `indent` spaces (the
 * first line continues at column `col`). */
static void wrap(FILE *f, const char *s, int indent, int col)
{
	const char *p = s;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		int len = (int)(p - w);
		if (!len)
			break;
		if (col > indent && col + 1 + len > WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, (size_t)len, f);
		col += len;
	}
	fputc('\n', f);
}

static void text_begin(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	const struct td_diagnosis *dx = r->dx;
	size_t nf = dx ? dx->nfindings : 0;
	fprintf(o->f, "%stlsdiag %s%s: %zu input%s, %llu event%s", BOLD(o), TD_VERSION, RESET(o),
		r->ninputs, r->ninputs == 1 ? "" : "s", (unsigned long long)r->events,
		r->events == 1 ? "" : "s");
	if (r->unreadable)
		fprintf(o->f, ", %zu unreadable", r->unreadable);
	fputc('\n', o->f);
	size_t failures = nf ? dx->count[TD_SEV_ERROR] + dx->count[TD_SEV_WARNING] : 0;
	size_t info = nf ? dx->count[TD_SEV_INFO] : 0;
	if (!failures)
		fprintf(o->f, "\nNo documented TLS failure found.");
	else
		fprintf(o->f, "\n%zu finding%s: %zu error%s, %zu warning%s.", failures,
			failures == 1 ? "" : "s", dx->count[TD_SEV_ERROR],
			dx->count[TD_SEV_ERROR] == 1 ? "" : "s", dx->count[TD_SEV_WARNING],
			dx->count[TD_SEV_WARNING] == 1 ? "" : "s");
	if (info)
		fprintf(o->f, " %zu informational observation%s.", info, info == 1 ? "" : "s");
	fputc('\n', o->f);
}

static void text_input(struct td_output *o, const struct td_input_report *in, size_t index)
{
}

static void print_location(struct td_output *o, const struct td_evidence *e)
{
	td_output_safe(o->f, e->path);
	if (e->line)
		fprintf(o->f, ":%llu", (unsigned long long)e->line);
	else if (e->record)
		fprintf(o->f, " record %llu", (unsigned long long)e->record);
	char t[48];
	td_output_time(t, sizeof(t), &e->time);
	if (t[0])
		fprintf(o->f, "  %s%s%s", DIM(o), t, RESET(o));
	if (e->host)
		fprintf(o->f, "  %s", e->host);
	if (e->component)
		fprintf(o->f, "  [%s]", e->component);
	if (e->role != TD_ROLE_TRIGGER)
		fprintf(o->f, "  (%s)", td_role_name(e->role));
	fputc('\n', o->f);
}

/* "= alert 40 handshake_failure: no cipher suite in common" per number. */
static void print_explains(struct td_output *o, const struct td_evidence *e)
{
	for (size_t i = 0; i < e->nexplains; i++) {
		const struct td_explain *x = e->explains[i];
		char code[24];
		td_output_explain_code(code, sizeof(code), x);
		fprintf(o->f, "        %s= %s %s %s:%s ", DIM(o), td_explain_kind_name(x->kind), code,
			x->name, RESET(o));
		wrap(o->f, x->text, 10, 10);
	}
}

static void print_plan_refs(struct td_output *o, const struct td_finding *f)
{
	const struct td_diagnosis *dx = o->r->dx;
	bool any = false;
	for (size_t i = 0; i < dx->nplan; i++)
		for (size_t k = 0; k < dx->plan[i].nfindings; k++)
			if (dx->plan[i].findings[k] == f) {
				fprintf(o->f, "%s%zu", any ? ", " : "    Fix: plan step ", i + 1);
				any = true;
			}
	if (any)
		fputc('\n', o->f);
}

/* The configuration findings that explain f, inside it; what to collect
 * when nothing could show them. */
static void print_correlation(struct td_output *o, const struct td_finding *f)
{
	FILE *out = o->f;
	for (size_t i = 0; i < f->nconfirmed; i++) {
		const struct td_finding *g = td_diagnosis_finding(o->r->dx, f->confirmed[i],
								  f->confirmed_on[i]);
		if (!g)
			continue;
		fputs("    Confirmed by configuration", out);
		if (g->machine && (!f->machine || strcasecmp(g->machine, f->machine) != 0)) {
			fputs(" of ", out);
			td_output_safe(out, g->machine);
		}
		fprintf(out, ": %s%s%s (%s)\n", BOLD(o), g->sig->title, RESET(o), g->sig->id);
		if (g->detail) {
			fputs("      ", out);
			wrap(out, g->detail, 6, 6);
		}
		size_t shown = g->nevidence < EVIDENCE_SHOWN ? g->nevidence : EVIDENCE_SHOWN;
		for (size_t k = 0; k < shown; k++) {
			fputs("      ", out);
			print_location(o, &g->evidence[k]);
			fputs("        ", out);
			td_output_safe(out, g->evidence[k].excerpt ? g->evidence[k].excerpt : "");
			fputc('\n', out);
		}
	}
	if (f->ncollect) {
		fputs("    Not confirmed by configuration; to check the likely causes, collect:\n", out);
		for (size_t i = 0; i < f->ncollect; i++) {
			const struct td_signature *c = f->collect[i];
			fprintf(out, "      - %s (%s)\n        ", c->title, c->id);
			wrap(out, c->evidence ? c->evidence : c->cause, 8, 8);
		}
	}
}

/* "<sep>first .. last" (one time when they are the same, nothing when
 * unknown), in `style` (a colour code, or ""). */
static void print_range(struct td_output *o, const char *sep, const char *style,
			const struct td_time *first, const struct td_time *last)
{
	char a[48], b[48];
	td_output_time(a, sizeof(a), first);
	td_output_time(b, sizeof(b), last);
	const char *off = style[0] ? RESET(o) : "";
	if (a[0] && strcmp(a, b) != 0)
		fprintf(o->f, "%s%s%s .. %s%s", sep, style, a, b, off);
	else if (a[0])
		fprintf(o->f, "%s%s%s%s", sep, style, a, off);
}

static void text_finding(struct td_output *o, const struct td_finding *f, size_t index)
{
	const struct td_signature *s = f->sig;
	FILE *out = o->f;
	if (f->merged_into)
		return; /* shown inside the finding it explains */
	fprintf(out, "\n%s%-7s%s %s%s%s (%s)\n", sev_color(o, f->severity),
		td_severity_name(f->severity), RESET(o), BOLD(o), s->title, RESET(o), s->id);
	if (o->r->dx->nmachines > 1) {
		fputs("    Machine: ", out);
		td_output_safe(out, f->machine ? f->machine : "not known");
		fputc('\n', out);
	}
	fprintf(out, "    confidence %s, %llu event%s", td_confidence_name(f->confidence),
		(unsigned long long)f->count, f->count == 1 ? "" : "s");
	if (f->supports)
		fprintf(out, " + %llu corroborating", (unsigned long long)f->supports);
	print_range(o, ", ", "", &f->first, &f->last);
	fprintf(out, "%s%s%s\n", s->kb[0] ? ", kb " : "", s->kb,
		s->community ? ", community-reported" : "");
	fputs("    Cause: ", out);
	wrap(out, s->cause, 11, 11);
	if (f->detail) {
		fputs("    Detail: ", out);
		wrap(out, f->detail, 12, 12);
	}
	fputs("    Evidence:\n", out);
	size_t shown = f->nevidence;
	if (!o->opts.verbose && shown > EVIDENCE_SHOWN)
		shown = EVIDENCE_SHOWN;
	for (size_t i = 0; i < shown; i++) {
		const struct td_evidence *e = &f->evidence[i];
		fputs("      ", out);
		print_location(o, e);
		fputs("        ", out);
		td_output_safe(out, e->excerpt ? e->excerpt : "");
		for (size_t c = 0; c < e->ncaps; c++)
			fprintf(out, "%s %s=%s", c ? "," : "  ", e->caps[c].name, e->caps[c].value);
		fputc('\n', out);
		print_explains(o, e);
	}
	if (f->nevidence > shown)
		fprintf(out, "      ... %zu more kept (--verbose shows them)\n", f->nevidence - shown);
	uint64_t more = td_output_not_kept(f);
	if (more && f->sig->distinct)
		fprintf(out, "      ... %llu more occurrence%s not kept (one per %s; --max-evidence)\n",
			(unsigned long long)more, more == 1 ? "" : "s", f->sig->distinct);
	else if (more)
		fprintf(out, "      ... %llu more occurrence%s not kept (--max-evidence)\n",
			(unsigned long long)more, more == 1 ? "" : "s");
	print_correlation(o, f);
	print_plan_refs(o, f);
	if (s->nrefs) {
		fputs("    References:\n", out);
		for (size_t i = 0; i < s->nrefs; i++)
			fprintf(out, "      [%s] %s%s%s\n", s->refs[i]->key,
				s->refs[i]->url ? s->refs[i]->url : s->refs[i]->title,
				s->refs[i]->community ? " (community)" : "", "");
	}
}

static void print_step(struct td_output *o, const struct td_step *s, size_t n)
{
	FILE *out = o->f;
	fprintf(out, "     %c. ", (int)('a' + (n % 26)));
	const char *text = s->text && s->text[0] ? s->text : td_step_kind_name(s->kind);
	wrap(out, text, 8, 8);
	for (size_t v = 0; v < s->nvalues; v++) {
		const struct td_regvalue *rv = &s->values[v];
		if (v == 0 || strcmp(rv->key, s->values[v - 1].key) != 0)
			fprintf(out, "        [%s]\n", rv->key);
		fprintf(out, "          %s = %s (%s)\n", rv->name, rv->data, rv->type);
	}
	if (s->path)
		fprintf(out, "        File: %s\n", s->path);
	if (s->content) {
		const char *p = s->content;
		while (*p) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			fprintf(out, "          | %.*s\n", len, p);
			p += len + (nl ? 1 : 0);
		}
	}
}

static void text_plan(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	if (!dx || !dx->nplan)
		return;
	fprintf(o->f, "\n%sFix plan%s (client-side work first; disable legacy protocols on servers "
		      "only after every client works with TLS 1.2):\n",
		BOLD(o), RESET(o));
	for (size_t i = 0; i < dx->nplan; i++) {
		const struct td_plan_item *it = &dx->plan[i];
		fprintf(o->f, "\n  %zu. %s%s%s [%s]\n", i + 1, BOLD(o), it->remedy->title, RESET(o),
			td_phase_name(it->remedy->phase));
		fputs("     For:", o->f);
		for (size_t k = 0; k < it->nfindings; k++)
			fprintf(o->f, "%s %s", k ? "," : "", it->findings[k]->sig->id);
		fputc('\n', o->f);
		for (size_t s = 0; s < it->remedy->nsteps; s++)
			print_step(o, &it->remedy->steps[s], s);
	}
}

static void text_facts(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	if (!dx || !dx->nfacts)
		return;
	fprintf(o->f, "\n%sFacts%s:\n", BOLD(o), RESET(o));
	for (size_t i = 0; i < dx->nfacts; i++) {
		const struct td_fact *fa = &dx->facts[i];
		fprintf(o->f, "  %-28s ", fa->name);
		td_output_safe(o->f, fa->value);
		fprintf(o->f, "  %s(", DIM(o));
		td_output_safe(o->f, fa->path);
		if (fa->line)
			fprintf(o->f, ":%llu", (unsigned long long)fa->line);
		else if (fa->record)
			fprintf(o->f, " record %llu", (unsigned long long)fa->record);
		fprintf(o->f, ")%s\n", RESET(o));
	}
}

static void text_value(FILE *f, const struct td_regval *v)
{
	char bits[96];
	if (!v->present) {
		fputs("not set", f);
		return;
	}
	td_output_safe(f, v->data);
	if (v->is_dword) {
		td_protocol_bits_text(v->dword, bits, sizeof(bits));
		fprintf(f, " (%s)", bits);
	}
}

/* The machine model: per TLS version the verdict and the values behind it. */
static void text_machines(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	static const char *const vers[2] = { "v2.0.50727", "v4.0.30319" };
	static const char *const inet[3] = { "user", "machine", "policy" };
	bool header = false;
	for (size_t i = 0; dx && i < dx->machines.n; i++) {
		const struct td_machine *m = &dx->machines.m[i];
		if (!m->has_registry)
			continue;
		if (!header)
			fprintf(o->f, "\n%sConfiguration per machine%s (registry exports):\n", BOLD(o),
				RESET(o));
		header = true;
		fprintf(o->f, "  %s", BOLD(o));
		td_output_safe(o->f, m->name[0] ? m->name : ".");
		fputs(RESET(o), o->f);
		if (m->win.build)
			fprintf(o->f, ": %s (build %u)", td_windows_name(m->win.build), m->win.build);
		else
			fputs(": Windows version unknown", o->f);
		if (m->release.present && m->release.is_dword)
			fprintf(o->f, ", .NET Framework %s (Release %u)", td_netfx_name(m->release.dword),
				m->release.dword);
		fputc('\n', o->f);
		if (m->schannel_seen)
			for (int p = 0; p < TD_NPROTO; p++) {
				const struct td_proto_cfg *c = &m->proto[p];
				fprintf(o->f, "    %-8s %-20s ", td_proto_name((enum td_proto)p),
					td_verdict_name(c->verdict));
				td_output_safe(o->f, c->why);
				fputc('\n', o->f);
			}
		for (int ver = 1; ver >= 0; ver--) {
			if (!m->netfx_seen[0] && !m->netfx_seen[1])
				break;
			fprintf(o->f, "    .NET %s  SchUseStrongCrypto ", vers[ver]);
			for (int view = 0, n = 0; view < 2; view++) {
				if (!m->netfx_seen[view])
					continue;
				const struct td_regval *a = &m->netfx[ver][view][TD_NETFX_STRONG];
				fprintf(o->f, "%s%s %s", n++ ? ", " : "", view ? "32-bit" : "64-bit",
					a->present ? a->data : "not set");
			}
			fputs("; SystemDefaultTlsVersions ", o->f);
			for (int view = 0, n = 0; view < 2; view++) {
				if (!m->netfx_seen[view])
					continue;
				const struct td_regval *a = &m->netfx[ver][view][TD_NETFX_SYSDEFAULT];
				fprintf(o->f, "%s%s %s", n++ ? ", " : "", view ? "32-bit" : "64-bit",
					a->present ? a->data : "not set");
			}
			fputc('\n', o->f);
		}
		if (m->inet_seen[0] || m->winhttp[0].present || m->winhttp[1].present) {
			fputs("    WinHTTP DefaultSecureProtocols  64-bit ", o->f);
			text_value(o->f, &m->winhttp[0]);
			if (m->wow_seen || m->winhttp[1].present) {
				fputs("; 32-bit ", o->f);
				text_value(o->f, &m->winhttp[1]);
			}
			fputc('\n', o->f);
		}
		for (int s = 0; s < 3; s++) {
			if (!m->wininet[s].present)
				continue;
			fprintf(o->f, "    WinINet SecureProtocols (%s)  ", inet[s]);
			text_value(o->f, &m->wininet[s]);
			fputc('\n', o->f);
		}
		for (size_t k = 0; k < m->nalgos; k++) {
			const char *t = m->algos[k].text, *at = strstr(t, "SCHANNEL\\");
			fprintf(o->f, "%s", k ? "; " : "    Algorithm keys  ");
			at = at ? at + 9 : t;
			int len = (int)strcspn(at, "(");
			while (len > 0 && at[len - 1] == ' ')
				len--;
			fprintf(o->f, "%.*s", len, at);
			if (k + 1 == m->nalgos)
				fputc('\n', o->f);
		}
		if (m->fips.present)
			fprintf(o->f, "    FIPS algorithm policy  %s\n",
				m->fips.is_dword && m->fips.dword ? "on" : "off");
		if (m->cipher_policy.present) {
			fputs("    Cipher suite order policy  ", o->f);
			td_output_safe(o->f, m->cipher_policy.data);
			fputc('\n', o->f);
		}
	}
}

#define INVENTORY_FILES 8

static bool same_host(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcasecmp(a, b) == 0);
}

/* What the bundle holds, per machine: files, formats, encodings, events and
 * the time range of each source (all files with --verbose). */
static void print_inventory(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	if (r->ninputs < 2)
		return;
	fprintf(o->f, "\n%sEvidence inventory%s:\n", BOLD(o), RESET(o));
	bool *done = calloc(r->ninputs, sizeof(*done));
	if (!done)
		return;
	for (size_t i = 0; i < r->ninputs; i++) {
		if (done[i])
			continue;
		const char *host = r->inputs[i].host;
		size_t files = 0;
		uint64_t events = 0;
		struct td_time first = { 0 }, last = { 0 };
		for (size_t k = i; k < r->ninputs; k++) {
			const struct td_input_report *in = &r->inputs[k];
			if (done[k] || !same_host(in->host, host))
				continue;
			files++;
			events += in->events;
			if (in->first.zone && (!first.zone || in->first.ticks < first.ticks))
				first = in->first;
			if (in->last.zone && (!last.zone || in->last.ticks > last.ticks))
				last = in->last;
		}
		fputs("  ", o->f);
		td_output_safe(o->f, host ? host : "machine not known");
		fprintf(o->f, ": %zu file%s, %llu event%s", files, files == 1 ? "" : "s",
			(unsigned long long)events, events == 1 ? "" : "s");
		print_range(o, "  ", DIM(o), &first, &last);
		fputc('\n', o->f);
		size_t shown = 0;
		for (size_t k = i; k < r->ninputs; k++) {
			const struct td_input_report *in = &r->inputs[k];
			if (done[k] || !same_host(in->host, host))
				continue;
			done[k] = true;
			if (!o->opts.verbose && shown++ >= INVENTORY_FILES)
				continue;
			fputs("    ", o->f);
			td_output_safe(o->f, in->path);
			if (in->error)
				fputs(": not read", o->f);
			else
				fprintf(o->f, "\n      %s, %s, %llu event%s", td_format_name(in->format),
					td_encoding_name(in->encoding),
					(unsigned long long)in->events, in->events == 1 ? "" : "s");
			print_range(o, "  ", DIM(o), &in->first, &in->last);
			fputc('\n', o->f);
		}
		if (shown > INVENTORY_FILES)
			fprintf(o->f, "    ... %zu more (--verbose lists them)\n",
				shown - INVENTORY_FILES);
	}
	free(done);
}

static void text_summary(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	bool header = false;
	print_inventory(o);
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct td_input_report *in = &r->inputs[i];
		bool shown = in->error || in->diag.n || in->format == TD_FMT_BINARY;
		if (!shown)
			continue;
		if (!header)
			fprintf(o->f, "\n%sInput notes%s:\n", BOLD(o), RESET(o));
		header = true;
		fputs("  ", o->f);
		td_output_safe(o->f, in->path);
		if (in->error) {
			fprintf(o->f, ": %s\n", in->error);
			continue;
		}
		if (in->format == TD_FMT_BINARY)
			fputs(": binary file in no supported format; skipped\n", o->f);
		else
			fputs(":\n", o->f);
		size_t n = o->opts.verbose ? in->diag.n : (in->diag.n < 5 ? in->diag.n : 5);
		for (size_t k = 0; k < n; k++) {
			const struct td_diag_entry *d = &in->diag.items[k];
			fprintf(o->f, "    %s: ", td_diag_level_name(d->level));
			if (d->line)
				fprintf(o->f, "line %llu: ", (unsigned long long)d->line);
			if (d->offset != TD_DIAG_NO_OFFSET)
				fprintf(o->f, "offset 0x%llx: ", (unsigned long long)d->offset);
			td_output_safe(o->f, d->msg);
			fputc('\n', o->f);
		}
		size_t more = in->diag.n - n + in->diag.dropped;
		if (more)
			fprintf(o->f, "    ... %zu more\n", more);
	}
}

static void text_end(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	if (!o->opts.explain)
		return;
	fprintf(o->f, "\n%sNot checked, for lack of evidence%s (%zu signatures):\n", BOLD(o),
		RESET(o), r->nunchecked);
	for (size_t i = 0; i < r->nunchecked; i++) {
		const struct td_signature *s = r->unchecked[i];
		fprintf(o->f, "  %-4s %s: %s\n", s->kb[0] ? s->kb : "-", s->id, s->title);
		if (s->evidence) {
			fputs("       collect: ", o->f);
			wrap(o->f, s->evidence, 16, 16);
		}
	}
}

const struct td_output_ops td_output_text = {
	.name = "text",
	.begin = text_begin,
	.input = text_input,
	.finding = text_finding,
	.plan = text_plan,
	.facts = text_facts,
	.machines = text_machines,
	.summary = text_summary,
	.end = text_end,
};
