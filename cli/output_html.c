/* HTML output: one self-contained HTML5 page for a ticket or a customer: the
 * verdict, a timeline chart of the failures per host and source, the
 * findings with their evidence, the fix plan, the configuration per machine,
 * the facts and the inputs.  Styles and the chart (SVG) are inline; a small
 * script only adds filtering and collapsing, and the page is complete without
 * it.  A Content-Security-Policy forbids every load, so opening the page
 * never touches the network.  The markup is polyglot (well-formed XML as
 * well as HTML5) and carries no time of its own, so tests compare it byte
 * for byte. */
#include <string.h>

#include "html.h"
#include "netfx.h"
#include "output.h"
#include "td_config.h"

/* CSS: screen and print; severity is told by a word and a border as well as
 * by colour, so a black-and-white print loses nothing. */
static const char css[] =
	":root{--err:#b00020;--warn:#8a4b00;--info:#00539f;--ok:#1b6e20;--line:#c8cdd3;"
	"--muted:#555}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{font:15px/1.45 system-ui,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;color:#111;"
	"background:#fff;margin:0 auto;max-width:1180px;padding:1em 1.5em}\n"
	"h1{font-size:1.7em;margin:.2em 0}\n"
	"h2{font-size:1.35em;border-bottom:2px solid #333;padding-bottom:.15em;margin-top:1.6em}\n"
	"h3{font-size:1.1em;margin:.2em 0}\n"
	"h4{font-size:1em;margin:.8em 0 .3em}\n"
	"code,pre{font:13px/1.4 ui-monospace,\"DejaVu Sans Mono\",Consolas,monospace}\n"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f5f7;border:1px solid #dde;"
	"padding:.35em .5em;margin:.25em 0}\n"
	"table{border-collapse:collapse;width:100%;margin:.5em 0}\n"
	"th,td{border:1px solid var(--line);padding:.25em .45em;text-align:left;"
	"vertical-align:top}\n"
	"td code{overflow-wrap:anywhere}\n"
	"td.num,td.t{white-space:nowrap}\n"
	"thead th{background:#eceff3}\n"
	"caption{text-align:left;font-weight:600;padding:.2em 0}\n"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"a{color:#0645ad}\n"
	".muted,.ids{color:var(--muted);font-weight:400}\n"
	".detail{white-space:pre-line}\n"
	".badge{display:inline-block;border:1.5px solid currentColor;border-radius:3px;"
	"padding:0 .35em;font-size:.78em;font-weight:700;text-transform:uppercase;"
	"vertical-align:.1em;background:#fff}\n"
	".badge.sev-error{color:var(--err);background:#fde8ec}\n"
	".badge.sev-warning{color:var(--warn);background:#fff1dc}\n"
	".badge.sev-info{color:var(--info);background:#e6f0fa}\n"
	".badge.sev-ok{color:var(--ok);background:#e7f4e8}\n"
	".verdict{border:1px solid var(--line);border-left:8px solid var(--info);padding:.5em .8em;"
	"background:#f6f7f9;font-size:1.1em}\n"
	".verdict.sev-error{border-left-color:var(--err)}\n"
	".verdict.sev-warning{border-left-color:var(--warn)}\n"
	".verdict.sev-ok{border-left-color:var(--ok)}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em .8em;margin:.4em 0}\n"
	"dl.meta dt{font-weight:600}\n"
	"dl.meta dd{margin:0}\n"
	".finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:4px;"
	"padding:.6em .9em;margin:1em 0}\n"
	".finding.sev-error{border-left-color:var(--err)}\n"
	".finding.sev-warning{border-left-color:var(--warn)}\n"
	".finding-stub{margin:.6em 0;color:var(--muted)}\n"
	".evidence{padding-left:1.4em}\n"
	".evidence>li{margin:.45em 0}\n"
	".loc{font-size:.92em}\n"
	".explain{margin:.15em 0;padding-left:1.2em}\n"
	".confirmed{border-left:3px solid var(--ok);padding-left:.7em;margin:.6em 0}\n"
	".collect{border-left:3px solid var(--line);padding-left:.7em;margin:.6em 0}\n"
	".plan>li{margin:.8em 0}\n"
	".phase{font-size:.8em;font-weight:400;border:1px solid var(--line);border-radius:3px;"
	"padding:0 .3em}\n"
	".v-bad{color:var(--err);font-weight:600}\n"
	".v-warn{color:var(--warn);font-weight:600}\n"
	".v-ok{color:var(--ok)}\n"
	"nav.toc ol{margin:.2em 0}\n"
	"figure{margin:.5em 0}\n"
	"svg.chart{width:100%;height:auto;border:1px solid var(--line);background:#fff}\n"
	"svg.chart text{font:11px system-ui,\"DejaVu Sans\",sans-serif;fill:#222}\n"
	"svg.chart .host{font-weight:700}\n"
	"svg.chart .untimed{fill:var(--muted);font-style:italic}\n"
	"svg.chart .grid{stroke:#e3e6ea;stroke-width:1}\n"
	"svg.chart .band{fill:#f6f7f9}\n"
	"svg.chart .m{stroke-width:1.5}\n"
	"svg.chart .sev-error{fill:var(--err);stroke:var(--err)}\n"
	"svg.chart .sev-warning{fill:var(--warn);stroke:var(--warn)}\n"
	"svg.chart .sev-info{fill:var(--info);stroke:var(--info)}\n"
	"svg.chart .local{fill:#fff}\n"
	".lg-info{color:var(--info)}\n"
	".legend span{margin-right:1.2em;white-space:nowrap}\n"
	".toolbar{margin:.5em 0;padding:.3em .5em;background:#f6f7f9;"
	"border:1px solid var(--line)}\n"
	".toolbar label{margin-right:1em}\n"
	"button.toggle{font-size:.8em;margin:.2em 0}\n"
	"@media screen{.finding.collapsed .fbody{display:none}\n"
	".hide-error .finding.sev-error,.hide-warning .finding.sev-warning,"
	".hide-info .finding.sev-info{display:none}}\n"
	"@media print{body{max-width:none;padding:0;font-size:10.5pt}\n"
	"nav.toc,.toolbar,button{display:none}\n"
	"td.t{white-space:normal}\n"
	".finding,.plan>li,tr,figure{break-inside:avoid}\n"
	"h2,h3,h4{break-after:avoid}\n"
	"a{color:inherit}}\n";

/* Progressive enhancement: severity filters and collapsible findings.  It
 * records script errors and blocked loads in data-errors on <html> and sets
 * data-ok when it ran to the end (the browser test reads both).  It holds
 * no '<' or '&', so the page stays well-formed XML. */
static const char script[] =
	"(function () {\n"
	"'use strict';\n"
	"var root = document.documentElement, errs = [];\n"
	"function note(m) {\n"
	"  errs.push(String(m));\n"
	"  root.setAttribute('data-errors', errs.join(' | '));\n"
	"}\n"
	"window.onerror = function (msg, src, line) {\n"
	"  note(msg + ' (' + src + ':' + line + ')');\n"
	"};\n"
	"document.addEventListener('securitypolicyviolation', function (e) {\n"
	"  note('blocked: ' + e.violatedDirective + ' ' + e.blockedURI);\n"
	"});\n"
	"var list = document.getElementById('findings');\n"
	"var items = list ? list.querySelectorAll('.finding') : [];\n"
	"function show(sec, open) {\n"
	"  sec.classList.toggle('collapsed', !open);\n"
	"  var b = sec.querySelector('button.toggle');\n"
	"  b.setAttribute('aria-expanded', open ? 'true' : 'false');\n"
	"  b.textContent = open ? 'Hide details' : 'Show details';\n"
	"}\n"
	"if (items.length) {\n"
	"  var bar = document.createElement('div');\n"
	"  bar.className = 'toolbar';\n"
	"  bar.setAttribute('role', 'group');\n"
	"  bar.setAttribute('aria-label', 'Filter findings');\n"
	"  bar.appendChild(document.createTextNode('Show: '));\n"
	"  ['error', 'warning', 'info'].forEach(function (sev) {\n"
	"    var n = list.querySelectorAll('.finding.sev-' + sev).length;\n"
	"    if (!n) return;\n"
	"    var label = document.createElement('label'), box = document.createElement('input');\n"
	"    box.type = 'checkbox';\n"
	"    box.checked = true;\n"
	"    box.addEventListener('change', function () {\n"
	"      list.classList.toggle('hide-' + sev, !box.checked);\n"
	"    });\n"
	"    label.appendChild(box);\n"
	"    label.appendChild(document.createTextNode(' ' + sev + ' (' + n + ')'));\n"
	"    bar.appendChild(label);\n"
	"  });\n"
	"  [['Collapse all', false], ['Expand all', true]].forEach(function (a) {\n"
	"    var b = document.createElement('button');\n"
	"    b.type = 'button';\n"
	"    b.textContent = a[0];\n"
	"    b.addEventListener('click', function () {\n"
	"      items.forEach(function (sec) { show(sec, a[1]); });\n"
	"    });\n"
	"    bar.appendChild(b);\n"
	"  });\n"
	"  list.insertBefore(bar, items[0]);\n"
	"  items.forEach(function (sec) {\n"
	"    var b = document.createElement('button');\n"
	"    b.type = 'button';\n"
	"    b.className = 'toggle';\n"
	"    b.addEventListener('click', function () {\n"
	"      show(sec, sec.classList.contains('collapsed'));\n"
	"    });\n"
	"    sec.insertBefore(b, sec.querySelector('.fbody'));\n"
	"    show(sec, true);\n"
	"  });\n"
	"}\n"
	"root.setAttribute('data-ok', '1');\n"
	"})();\n";

/* Base64 SHA-256 of script[], which the page's policy allows to run (and
 * nothing else).  After changing the script, take the value the unit test
 * output_html/script_hash_matches_policy asks for. */
#define SCRIPT_SHA256 "sha256-l5B8fuAJfAS0SBMjBq9unjxq3JemTWL2rV6FDXoqS9c="

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void esc(struct td_output *o, const char *s)
{
	td_html_cstr(o->f, s);
}

/* A signature as people name it: "Title <span class="ids">id · kb X</span>". */
static void sig_name(struct td_output *o, const struct td_signature *s)
{
	esc(o, s->title);
	fputs(" <span class=\"ids\">", o->f);
	esc(o, s->id);
	if (s->kb[0])
		td_html_put(o->f, " · kb <strong>", s->kb, "</strong>");
	fputs("</span>", o->f);
}

static const char *sev_class(enum td_severity s)
{
	return s == TD_SEV_ERROR ? "sev-error" : s == TD_SEV_WARNING ? "sev-warning" : "sev-info";
}

/* The worst standing severity: "sev-ok" when nothing is wrong. */
static const char *verdict_class(const struct td_run_report *r)
{
	const struct td_diagnosis *dx = r->dx;
	if (r->unreadable || (dx && dx->count[TD_SEV_ERROR]))
		return "sev-error";
	if (dx && dx->count[TD_SEV_WARNING])
		return "sev-warning";
	return "sev-ok";
}

static const char *exit_meaning(int code)
{
	switch (code) {
	case 0: return "no warning or error finding";
	case 1: return "at least one warning or error finding";
	default: return "an input could not be read (everything readable was still diagnosed)";
	}
}

static void time_text(struct td_output *o, const struct td_time *t)
{
	char buf[48];
	td_output_time(buf, sizeof(buf), t);
	if (!buf[0])
		return;
	fprintf(o->f, "<time datetime=\"%s\">%s</time>", buf, buf);
	if (t->zone == TD_ZONE_LOCAL)
		fputs(" <span class=\"muted\">(local time, zone unknown)</span>", o->f);
}

/* A link to a reference: only http(s) URLs become links. */
static void ref_link(struct td_output *o, const struct td_reference *ref)
{
	const char *u = ref->url;
	bool web = u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0);
	td_html_put(o->f, "<li>[", ref->key, "] ");
	if (web) {
		td_html_put(o->f, "<a href=\"", u, "\">");
		esc(o, ref->title && ref->title[0] ? ref->title : u);
		td_html_put(o->f, "</a> <span class=\"muted\">", u, "</span>");
	} else {
		esc(o, ref->title);
		if (u)
			td_html_put(o->f, " <code>", u, "</code>");
	}
	if (ref->community)
		fputs(" (community)", o->f);
	fputs("</li>\n", o->f);
}

/* --- page head, verdict, contents ----------------------------------------- */

static void verdict_text(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	size_t err = dx ? dx->count[TD_SEV_ERROR] : 0, warn = dx ? dx->count[TD_SEV_WARNING] : 0;
	size_t info = dx ? dx->count[TD_SEV_INFO] : 0;
	if (!err && !warn)
		fputs("No documented TLS failure found.", o->f);
	else
		fprintf(o->f, "%zu finding%s: %zu error%s, %zu warning%s.", err + warn,
			plural(err + warn), err, plural(err), warn, plural(warn));
	if (info)
		fprintf(o->f, " %zu informational observation%s.", info, plural(info));
}

static bool any_machine(const struct td_diagnosis *dx)
{
	for (size_t i = 0; dx && i < dx->machines.n; i++)
		if (dx->machines.m[i].has_registry)
			return true;
	return false;
}

static void toc(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	const struct td_diagnosis *dx = r->dx;
	fputs("<nav class=\"toc\" aria-labelledby=\"toc-h\">\n"
	      "<h2 id=\"toc-h\">Contents</h2>\n<ol>\n"
	      "<li><a href=\"#verdict\">Verdict</a></li>\n"
	      "<li><a href=\"#timeline\">Timeline of failures</a></li>\n"
	      "<li><a href=\"#findings\">Findings</a>",
	      o->f);
	bool open = false;
	for (size_t i = 0; dx && i < dx->nfindings; i++) {
		const struct td_finding *f = &dx->findings[i];
		if (f->merged_into)
			continue;
		fprintf(o->f, "%s<li><a href=\"#finding-%zu\">", open ? "" : "\n<ol>\n", i + 1);
		open = true;
		if (f->sig->kb[0]) {
			esc(o, f->sig->kb);
			fputs(" ", o->f);
		}
		esc(o, f->sig->title);
		fprintf(o->f, "</a> <span class=\"muted\">(%s)</span></li>\n",
			td_severity_name(f->severity));
	}
	fputs(open ? "</ol>\n</li>\n" : "</li>\n", o->f);
	if (dx && dx->nplan)
		fputs("<li><a href=\"#plan\">Fix plan</a></li>\n", o->f);
	if (dx && dx->nfacts)
		fputs("<li><a href=\"#facts\">Facts</a></li>\n", o->f);
	fputs("<li><a href=\"#machines\">Configuration per machine</a></li>\n"
	      "<li><a href=\"#inputs\">Inputs</a></li>\n",
	      o->f);
	if (o->opts.explain)
		fputs("<li><a href=\"#unchecked\">Not checked</a></li>\n", o->f);
	fputs("</ol>\n</nav>\n", o->f);
}

static void html_begin(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	const struct td_diagnosis *dx = r->dx;
	uint64_t bytes = 0;
	for (size_t i = 0; i < r->ninputs; i++)
		bytes += r->inputs[i].bytes;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src '" SCRIPT_SHA256 "'; "
	      "base-uri 'none'; form-action 'none'\"/>\n",
	      o->f);
	fprintf(o->f, "<meta name=\"generator\" content=\"tlsdiag %s\"/>\n<title>tlsdiag: ",
		TD_VERSION);
	verdict_text(o);
	fprintf(o->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
		      "<h1>tlsdiag report</h1>\n"
		      "<p class=\"muted\">TLS 1.2 migration diagnosis of %zu input%s by tlsdiag %s."
		      "</p>\n"
		      "</header>\n",
		css, r->ninputs, plural(r->ninputs), TD_VERSION);
	toc(o);
	fputs("<main>\n", o->f);
	td_html_section(o->f, "verdict", "Verdict");
	fprintf(o->f, "<p class=\"verdict %s\"><strong>", verdict_class(r));
	verdict_text(o);
	fputs("</strong>", o->f);
	if (r->unreadable)
		fprintf(o->f,
			" %zu input%s could not be read (see <a href=\"#inputs\">Inputs</a>).",
			r->unreadable, plural(r->unreadable));
	fprintf(o->f, "</p>\n<p>Exit status <strong>%d</strong>: %s.</p>\n", r->exit_code,
		exit_meaning(r->exit_code));
	fputs("<table class=\"runfacts\">\n<caption>Run</caption>\n<tbody>\n", o->f);
	fprintf(o->f, "<tr><th scope=\"row\">Inputs</th><td class=\"num\">%zu</td></tr>\n"
		      "<tr><th scope=\"row\">Unreadable inputs</th><td class=\"num\">%zu</td>"
		      "</tr>\n"
		      "<tr><th scope=\"row\">Events</th><td class=\"num\">%llu</td></tr>\n"
		      "<tr><th scope=\"row\">Bytes read</th><td class=\"num\">%llu</td></tr>\n",
		r->ninputs, r->unreadable, (unsigned long long)r->events,
		(unsigned long long)bytes);
	static const enum td_severity sevs[] = { TD_SEV_ERROR, TD_SEV_WARNING, TD_SEV_INFO };
	for (size_t i = 0; i < 3; i++)
		fprintf(o->f,
			"<tr><th scope=\"row\"><span class=\"badge %s\">%s</span> findings</th>"
			"<td class=\"num\">%zu</td></tr>\n",
			sev_class(sevs[i]), td_severity_name(sevs[i]), dx ? dx->count[sevs[i]] : 0);
	fputs("</tbody>\n</table>\n</section>\n", o->f);
	td_html_timeline(o->f, r);
	td_html_section(o->f, "findings", "Findings");
	if (!dx || !dx->nfindings)
		fputs("<p>No finding.</p>\n", o->f);
}

static void html_input(struct td_output *o, const struct td_input_report *in, size_t index)
{
}

/* --- findings --------------------------------------------------------------- */

static void explains(struct td_output *o, const struct td_evidence *e)
{
	if (!e->nexplains)
		return;
	fputs("<ul class=\"explain\">\n", o->f);
	for (size_t i = 0; i < e->nexplains; i++) {
		const struct td_explain *x = e->explains[i];
		char code[24];
		td_output_explain_code(code, sizeof(code), x);
		fprintf(o->f, "<li><code>%s %s</code> <strong>", td_explain_kind_name(x->kind),
			code);
		esc(o, x->name);
		td_html_put(o->f, "</strong>: ", x->text, "</li>\n");
	}
	fputs("</ul>\n", o->f);
}

static void evidence_item(struct td_output *o, const struct td_evidence *e)
{
	fprintf(o->f, "<li class=\"role-%s\"><div class=\"loc\"><code>", td_role_name(e->role));
	esc(o, e->path);
	if (e->line)
		fprintf(o->f, ":%llu", (unsigned long long)e->line);
	else if (e->record)
		fprintf(o->f, " record %llu", (unsigned long long)e->record);
	fputs("</code> ", o->f);
	time_text(o, &e->time);
	if (e->host)
		td_html_put(o->f, " <span class=\"host\">", e->host, "</span>");
	if (e->component) {
		td_html_put(o->f, " [", e->component, "]");
	}
	if (e->role != TD_ROLE_TRIGGER)
		fprintf(o->f, " <em class=\"muted\">(%s)</em>", td_role_name(e->role));
	td_html_put(o->f, "</div>\n<pre class=\"excerpt\">", e->excerpt, "</pre>\n");
	for (size_t c = 0; c < e->ncaps; c++) {
		fputs(c ? ", " : "<p class=\"caps\">Captured: ", o->f);
		td_html_put(o->f, "<code>", e->caps[c].name, "=");
		esc(o, e->caps[c].value);
		fputs("</code>", o->f);
	}
	if (e->ncaps)
		fputs("</p>\n", o->f);
	explains(o, e);
	fputs("</li>\n", o->f);
}

static void evidence_list(struct td_output *o, const struct td_evidence *ev, size_t n)
{
	fputs("<ol class=\"evidence\">\n", o->f);
	for (size_t i = 0; i < n; i++)
		evidence_item(o, &ev[i]);
	fputs("</ol>\n", o->f);
}

static void correlation(struct td_output *o, const struct td_finding *f)
{
	for (size_t i = 0; i < f->nconfirmed; i++) {
		const struct td_finding *g = td_diagnosis_finding(o->r->dx, f->confirmed[i],
								  f->confirmed_on[i]);
		if (!g)
			continue;
		/* The finding's anchor where it is reported, in the one it is merged into. */
		fputs("<div class=\"confirmed\"", o->f);
		if (g->merged_into == f->sig)
			fprintf(o->f, " id=\"finding-%zu\"", td_output_finding_index(o->r, g) + 1);
		fputs(">\n<h4>Confirmed by configuration: ", o->f);
		sig_name(o, g->sig);
		fputs("</h4>\n", o->f);
		if (g->detail)
			td_html_put(o->f, "<p class=\"detail\">", g->detail, "</p>\n");
		evidence_list(o, g->evidence, g->nevidence);
		fputs("</div>\n", o->f);
	}
	if (!f->ncollect)
		return;
	fputs("<div class=\"collect\">\n<h4>Not confirmed by configuration; to check the likely "
	      "causes, collect</h4>\n<ul>\n",
	      o->f);
	for (size_t i = 0; i < f->ncollect; i++) {
		const struct td_signature *c = f->collect[i];
		fputs("<li>", o->f);
		sig_name(o, c);
		td_html_put(o->f, "<br/>", c->evidence ? c->evidence : c->cause, "</li>\n");
	}
	fputs("</ul>\n</div>\n", o->f);
}

static void plan_links(struct td_output *o, const struct td_finding *f)
{
	const struct td_diagnosis *dx = o->r->dx;
	bool any = false;
	for (size_t i = 0; i < dx->nplan; i++)
		for (size_t k = 0; k < dx->plan[i].nfindings; k++)
			if (dx->plan[i].findings[k] == f) {
				fprintf(o->f, "%s<a href=\"#step-%zu\">%zu</a>",
					any ? ", " : "<p>Fix: plan step ", i + 1, i + 1);
				any = true;
			}
	if (any)
		fputs("</p>\n", o->f);
}

static void html_finding(struct td_output *o, const struct td_finding *f, size_t index)
{
	const struct td_signature *s = f->sig;
	FILE *out = o->f;
	if (f->merged_into) {
		const struct td_finding *host = td_diagnosis_finding(o->r->dx, f->merged_into,
								     f->merged_on);
		fputs("<p class=\"finding-stub\">", out);
		sig_name(o, s);
		fputs(" is reported with the finding it explains", out);
		if (host) {
			fprintf(out, ", <a href=\"#finding-%zu\">",
				td_output_finding_index(o->r, host) + 1);
			esc(o, host->sig->id);
			fputs("</a>", out);
		}
		fputs(".</p>\n", out);
		return;
	}
	const char *sc = sev_class(f->severity);
	fprintf(out, "<section class=\"finding %s\" id=\"finding-%zu\" "
		     "aria-labelledby=\"finding-%zu-h\">\n"
		     "<h3 id=\"finding-%zu-h\"><span class=\"badge %s\">%s</span> ",
		sc, index + 1, index + 1, index + 1, sc, td_severity_name(f->severity));
	sig_name(o, s);
	fputs("</h3>\n<div class=\"fbody\">\n<dl class=\"meta\">\n", out);
	fprintf(out, "<dt>Confidence</dt><dd>%s%s</dd>\n", td_confidence_name(f->confidence),
		s->community ? " (community-reported)" : "");
	fprintf(out, "<dt>Events</dt><dd>%llu", (unsigned long long)f->count);
	if (f->supports)
		fprintf(out, " + %llu corroborating", (unsigned long long)f->supports);
	fputs("</dd>\n", out);
	char a[48], b[48];
	td_output_time(a, sizeof(a), &f->first);
	td_output_time(b, sizeof(b), &f->last);
	if (a[0]) {
		fputs("<dt>Time</dt><dd>", out);
		time_text(o, &f->first);
		if (strcmp(a, b) != 0) {
			fputs(" to ", out);
			time_text(o, &f->last);
		}
		fputs("</dd>\n", out);
	}
	td_html_put(out, "<dt>Cause</dt><dd>", s->cause, "</dd>\n");
	if (f->detail)
		td_html_put(out, "<dt>Detail</dt><dd class=\"detail\">", f->detail, "</dd>\n");
	fputs("</dl>\n<h4>Evidence</h4>\n", out);
	evidence_list(o, f->evidence, f->nevidence);
	uint64_t more = td_output_not_kept(f);
	if (more) {
		fprintf(out, "<p class=\"muted\">%llu more occurrence%s not kept (",
			(unsigned long long)more, plural(more));
		if (f->sig->distinct) {
			fputs("one per ", out);
			td_html_escape(out, td_str_cstr(f->sig->distinct));
			fputs("; ", out);
		}
		fputs("--max-evidence).</p>\n", out);
	}
	correlation(o, f);
	plan_links(o, f);
	if (s->nrefs) {
		fputs("<h4>References</h4>\n<ul class=\"refs\">\n", out);
		for (size_t i = 0; i < s->nrefs; i++)
			ref_link(o, s->refs[i]);
		fputs("</ul>\n", out);
	}
	fputs("</div>\n</section>\n", out);
}

/* --- fix plan --------------------------------------------------------------- */

static void step(struct td_output *o, const struct td_step *s)
{
	FILE *out = o->f;
	fprintf(out, "<li class=\"step-%s\"><p><span class=\"phase\">%s</span> ",
		td_step_kind_name(s->kind), td_step_kind_name(s->kind));
	esc(o, s->text);
	if (s->kb)
		td_html_put(out, " <strong>", s->kb, "</strong>");
	fputs("</p>\n", out);
	if (s->nvalues) {
		fputs("<pre class=\"reg\">", out);
		for (size_t v = 0; v < s->nvalues; v++) {
			const struct td_regvalue *rv = &s->values[v];
			if (v == 0 || strcmp(rv->key, s->values[v - 1].key) != 0) {
				fputs(v ? "\n[" : "[", out);
				esc(o, rv->key);
				fputs("]\n", out);
			}
			td_html_put(out, "  ", rv->name, " = ");
			esc(o, rv->data);
			td_html_put(out, " (", rv->type, ")\n");
		}
		fputs("</pre>\n", out);
	}
	if (s->path) {
		td_html_put(out, "<p>File: <code>", s->path, "</code></p>\n");
	}
	if (s->content) {
		td_html_put(out, "<pre class=\"content\">", s->content, "</pre>\n");
	}
	fputs("</li>\n", out);
}

static void html_plan(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	fputs("</section>\n", o->f);
	if (!dx || !dx->nplan)
		return;
	td_html_section(o->f, "plan", "Fix plan");
	fputs("<p>Client-side work first; disable legacy protocols on servers only after every "
	      "client works with TLS 1.2.</p>\n<ol class=\"plan\">\n",
	      o->f);
	for (size_t i = 0; i < dx->nplan; i++) {
		const struct td_plan_item *it = &dx->plan[i];
		const struct td_remedy *r = it->remedy;
		fprintf(o->f, "<li id=\"step-%zu\">\n<h3>", i + 1);
		esc(o, r->title);
		fprintf(o->f, " <span class=\"phase\">%s</span></h3>\n<p>For: ",
			td_phase_name(r->phase));
		for (size_t k = 0; k < it->nfindings; k++) {
			const struct td_finding *f = it->findings[k];
			const struct td_finding *shown =
				f->merged_into ? td_diagnosis_finding(dx, f->merged_into, f->merged_on)
						: NULL;
			fprintf(o->f, "%s<a href=\"#finding-%zu\">", k ? ", " : "",
				td_output_finding_index(o->r, f) + 1);
			esc(o, f->sig->id);
			fputs("</a>", o->f);
			if (shown)
				td_html_put(o->f, " (with ", shown->sig->id, ")");
		}
		fputs("</p>\n<ol class=\"steps\" type=\"a\">\n", o->f);
		for (size_t s = 0; s < r->nsteps; s++)
			step(o, &r->steps[s]);
		fputs("</ol>\n", o->f);
		if (r->nrefs) {
			fputs("<p>References:</p>\n<ul class=\"refs\">\n", o->f);
			for (size_t k = 0; k < r->nrefs; k++)
				ref_link(o, r->refs[k]);
			fputs("</ul>\n", o->f);
		}
		fputs("</li>\n", o->f);
	}
	fputs("</ol>\n</section>\n", o->f);
}

/* --- facts and machines ------------------------------------------------------ */

static void source_cell(struct td_output *o, const char *path, uint64_t line)
{
	fputs("<td><code>", o->f);
	esc(o, path);
	if (line)
		fprintf(o->f, ":%llu", (unsigned long long)line);
	fputs("</code></td>", o->f);
}

static void html_facts(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	if (!dx || !dx->nfacts)
		return;
	td_html_section(o->f, "facts", "Facts");
	fputs("<table>\n<thead><tr><th scope=\"col\">Fact</th><th scope=\"col\">Value</th>"
	      "<th scope=\"col\">Source</th></tr></thead>\n<tbody>\n",
	      o->f);
	for (size_t i = 0; i < dx->nfacts; i++) {
		const struct td_fact *fa = &dx->facts[i];
		td_html_put(o->f, "<tr><td><code>", fa->name, "</code></td><td>");
		esc(o, fa->value);
		fputs("</td>", o->f);
		source_cell(o, fa->path, fa->line);
		fputs("</tr>\n", o->f);
	}
	fputs("</tbody>\n</table>\n</section>\n", o->f);
}

/* How a verdict reads for a protocol: TLS 1.2 off is the failure this tool
 * is about; half-disabled and misconfigured are always worth a look. */
static const char *verdict_look(enum td_proto p, enum td_verdict v)
{
	if (v == TD_VERDICT_HALF_DISABLED || v == TD_VERDICT_MISCONFIGURED)
		return "v-warn";
	if (p == TD_PROTO_TLS12)
		return v == TD_VERDICT_ENABLED ? "v-ok" : v == TD_VERDICT_UNKNOWN ? "" : "v-bad";
	if (p <= TD_PROTO_SSL3 && v == TD_VERDICT_ENABLED)
		return "v-warn";
	return "";
}

static void side_cell(struct td_output *o, const struct td_proto_side *s)
{
	fprintf(o->f, "<td>%s%s</td>", td_pstate_name(s->state),
		s->from_default ? " <span class=\"muted\">(Windows default)</span>" : "");
}

static void regval(struct td_output *o, const struct td_regval *v, bool bits)
{
	if (!v->present) {
		fputs("not set", o->f);
		return;
	}
	esc(o, v->data);
	if (bits && v->is_dword) {
		char text[96];
		td_protocol_bits_text(v->dword, text, sizeof(text));
		fprintf(o->f, " (%s)", text);
	}
}

/* A row of the settings table; bits: the value is a protocol bit mask. */
static void setting_row(struct td_output *o, const char *name, const struct td_regval *v,
			bool bits)
{
	fprintf(o->f, "<tr><th scope=\"row\">%s</th><td>", name);
	regval(o, v, bits);
	fputs("</td>", o->f);
	if (v->present)
		source_cell(o, v->path, v->line);
	else
		fputs("<td></td>", o->f);
	fputs("</tr>\n", o->f);
}

/* WinHTTP's value of a view is shown where the export covers it. */
static bool winhttp_shown(const struct td_machine *m, int view)
{
	return m->winhttp[view].present || (view == 0 ? m->inet_seen[0] : m->wow_seen);
}

static void machine_settings(struct td_output *o, const struct td_machine *m)
{
	static const char *const vers[2] = { "v2.0.50727", "v4.0.30319" };
	static const char *const views[2] = { "64-bit", "32-bit" };
	static const char *const vals[2] = { "SchUseStrongCrypto", "SystemDefaultTlsVersions" };
	static const char *const inet[3] = { "user", "machine", "policy" };
	char name[128];
	bool any = m->netfx_seen[0] || m->netfx_seen[1] || winhttp_shown(m, 0) ||
		   winhttp_shown(m, 1) || m->nalgos || m->fips.present ||
		   m->cipher_policy.present || m->event_logging.present;
	for (int s = 0; s < 3; s++)
		any |= m->wininet[s].present;
	if (!any)
		return;
	fputs("<table>\n<caption>Other settings</caption>\n<thead><tr><th scope=\"col\">Setting"
	      "</th><th scope=\"col\">Value</th><th scope=\"col\">Source</th></tr></thead>\n"
	      "<tbody>\n",
	      o->f);
	for (int view = 0; view < 2; view++)
		for (int ver = 1; m->netfx_seen[view] && ver >= 0; ver--)
			for (int val = 0; val < 2; val++) {
				snprintf(name, sizeof(name), ".NET %s %s (%s)", vers[ver],
					 vals[val], views[view]);
				setting_row(o, name, &m->netfx[ver][view][val], false);
			}
	for (int view = 0; view < 2; view++) {
		if (!winhttp_shown(m, view))
			continue;
		snprintf(name, sizeof(name), "WinHTTP DefaultSecureProtocols (%s)", views[view]);
		setting_row(o, name, &m->winhttp[view], true);
	}
	for (int s = 0; s < 3; s++)
		if (m->wininet[s].present) {
			snprintf(name, sizeof(name), "WinINet SecureProtocols (%s)", inet[s]);
			setting_row(o, name, &m->wininet[s], true);
		}
	for (size_t k = 0; k < m->nalgos; k++) {
		td_html_put(o->f, "<tr><th scope=\"row\">Algorithm key</th><td>", m->algos[k].text,
			    "</td>");
		source_cell(o, m->algos[k].path, m->algos[k].line);
		fputs("</tr>\n", o->f);
	}
	if (m->fips.present)
		setting_row(o, "FIPS algorithm policy", &m->fips, false);
	if (m->cipher_policy.present)
		setting_row(o, "Cipher suite order policy", &m->cipher_policy, false);
	if (m->event_logging.present)
		setting_row(o, "Schannel EventLogging", &m->event_logging, false);
	fputs("</tbody>\n</table>\n", o->f);
}

static void machine(struct td_output *o, const struct td_machine *m, size_t index)
{
	fprintf(o->f, "<section class=\"machine\" id=\"machine-%zu\" "
		      "aria-labelledby=\"machine-%zu-h\">\n<h3 id=\"machine-%zu-h\">",
		index + 1, index + 1, index + 1);
	esc(o, m->name[0] ? m->name : ".");
	fputs("</h3>\n<p>", o->f);
	if (m->win.build)
		fprintf(o->f, "%s (build %u)", td_windows_name(m->win.build), m->win.build);
	else
		fputs("Windows version unknown", o->f);
	if (m->release.present && m->release.is_dword)
		fprintf(o->f, "; .NET Framework %s (Release %u)", td_netfx_name(m->release.dword),
			m->release.dword);
	fputs("</p>\n", o->f);
	if (m->schannel_seen) {
		fputs("<table>\n<caption>Protocols (SCHANNEL)</caption>\n<thead><tr>"
		      "<th scope=\"col\">Version</th><th scope=\"col\">Verdict</th>"
		      "<th scope=\"col\">Client</th><th scope=\"col\">Server</th>"
		      "<th scope=\"col\">Why</th></tr></thead>\n<tbody>\n",
		      o->f);
		for (int p = 0; p < TD_NPROTO; p++) {
			const struct td_proto_cfg *c = &m->proto[p];
			fprintf(o->f, "<tr><th scope=\"row\">%s</th><td class=\"%s\">%s</td>",
				td_proto_name((enum td_proto)p),
				verdict_look((enum td_proto)p, c->verdict),
				td_verdict_name(c->verdict));
			side_cell(o, &c->side[TD_CLIENT]);
			side_cell(o, &c->side[TD_SERVER]);
			td_html_put(o->f, "<td>", c->why, "</td></tr>\n");
		}
		fputs("</tbody>\n</table>\n", o->f);
	} else {
		fputs("<p>The registry exports hold no SCHANNEL protocol values.</p>\n", o->f);
	}
	machine_settings(o, m);
	fputs("</section>\n", o->f);
}

static void html_machines(struct td_output *o)
{
	const struct td_diagnosis *dx = o->r->dx;
	td_html_section(o->f, "machines", "Configuration per machine");
	if (!any_machine(dx))
		fputs("<p>No registry export among the inputs, so no configuration verdicts.</p>\n",
		      o->f);
	for (size_t i = 0, n = 0; dx && i < dx->machines.n; i++)
		if (dx->machines.m[i].has_registry)
			machine(o, &dx->machines.m[i], n++);
	fputs("</section>\n", o->f);
}

/* --- inputs, unchecked signatures, end ----------------------------------------- */

static void problems(struct td_output *o, const struct td_input_report *in)
{
	if (in->error) {
		fputs("<strong>unreadable:</strong> ", o->f);
		esc(o, in->error);
		return;
	}
	if (in->format == TD_FMT_BINARY)
		fputs("binary file in no supported format; skipped", o->f);
	if (!in->diag.n && !in->diag.dropped)
		return;
	fputs("<ul>", o->f);
	for (size_t k = 0; k < in->diag.n; k++) {
		const struct td_diag_entry *d = &in->diag.items[k];
		fprintf(o->f, "<li>%s: ", td_diag_level_name(d->level));
		if (d->line)
			fprintf(o->f, "line %llu: ", (unsigned long long)d->line);
		if (d->offset != TD_DIAG_NO_OFFSET)
			fprintf(o->f, "offset 0x%llx: ", (unsigned long long)d->offset);
		esc(o, d->msg);
		fputs("</li>", o->f);
	}
	if (in->diag.dropped)
		fprintf(o->f, "<li>%zu more not kept</li>", in->diag.dropped);
	fputs("</ul>", o->f);
}

static void html_summary(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	bool hosts = false;
	for (size_t i = 0; i < r->ninputs; i++)
		hosts |= r->inputs[i].host != NULL;
	td_html_section(o->f, "inputs", "Inputs");
	fprintf(o->f, "<table>\n<thead><tr>"
		      "<th scope=\"col\">Path</th>%s<th scope=\"col\">Format</th>"
		      "<th scope=\"col\">Encoding</th>"
		      "<th scope=\"col\">Bytes</th><th scope=\"col\">Events</th>"
		      "<th scope=\"col\">Problems</th></tr></thead>\n<tbody>\n",
		hosts ? "<th scope=\"col\">Machine</th>" : "");
	for (size_t i = 0; i < r->ninputs; i++) {
		const struct td_input_report *in = &r->inputs[i];
		fprintf(o->f, "<tr%s><td><code>", in->error ? " class=\"v-bad\"" : "");
		esc(o, in->path);
		fputs("</code></td>", o->f);
		if (hosts)
			td_html_put(o->f, "<td>", in->host, "</td>");
		fprintf(o->f, "<td>%s</td><td>%s</td>", in->error ? "" : td_format_name(in->format),
			in->error ? "" : td_encoding_name(in->encoding));
		fprintf(o->f, "<td class=\"num\">%llu</td><td class=\"num\">%llu</td><td>",
			(unsigned long long)in->bytes, (unsigned long long)in->events);
		problems(o, in);
		fputs("</td></tr>\n", o->f);
	}
	fputs("</tbody>\n</table>\n</section>\n", o->f);
}

static void html_end(struct td_output *o)
{
	const struct td_run_report *r = o->r;
	if (o->opts.explain) {
		td_html_section(o->f, "unchecked", "Not checked, for lack of evidence");
		fprintf(o->f, "<p>%zu signature%s could not be shown by these inputs.</p>\n",
			r->nunchecked, plural(r->nunchecked));
		fputs("<table>\n<thead><tr><th scope=\"col\">Signature</th>"
		      "<th scope=\"col\">Collect</th></tr></thead>\n<tbody>\n",
		      o->f);
		for (size_t i = 0; i < r->nunchecked; i++) {
			const struct td_signature *s = r->unchecked[i];
			fputs("<tr><td>", o->f);
			sig_name(o, s);
			td_html_put(o->f, "</td><td>", s->evidence, "</td></tr>\n");
		}
		fputs("</tbody>\n</table>\n</section>\n", o->f);
	}
	fprintf(o->f, "</main>\n<footer>\n<p class=\"muted\">Written by tlsdiag %s. "
		      "This page loads nothing: its styles and chart are inline, and its script "
		      "only adds filters.</p>\n</footer>\n<script>%s</script>\n</body>\n</html>\n",
		TD_VERSION, script);
}

const struct td_output_ops td_output_html = {
	.name = "html",
	.begin = html_begin,
	.input = html_input,
	.finding = html_finding,
	.plan = html_plan,
	.facts = html_facts,
	.machines = html_machines,
	.summary = html_summary,
	.end = html_end,
};
