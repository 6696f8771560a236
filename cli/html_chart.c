/* The timeline chart of the HTML report (see html.h): an inline SVG with one
 * row per source, grouped by host, time running left to right, and a mark per
 * event in the colour and shape of its severity, each with a <title> tooltip;
 * then the same numbers as a table, for screen readers and plain text. */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "output.h"

#define CHART_W 1000
#define PLOT_X0 270
#define PLOT_X1 980
#define TOP 30     /* room for the tick labels */
#define HOST_H 20  /* a host's heading row */
#define ROW_H 22
#define MERGE_PX 3 /* marks closer than this in a row are drawn as one */
#define LABEL_CHARS 38
#define MAX_TICKS 8

struct point {
	const struct td_time *time;
	bool local;   /* a wall-clock time of unknown zone, drawn as if UTC */
	bool context; /* support or require evidence, not a failure itself */
	size_t row, order;
	enum td_severity sev;
	const char *path, *host, *excerpt;
	uint64_t line, record;
	const struct td_signature *sig;
	enum td_role role;
};

struct row {
	struct td_str machine; /* empty when no host is known */
	const char *path;
	size_t input;
	size_t n, untimed, sev[3];
	const struct td_time *first, *last;
};

struct chart {
	const struct td_run_report *r;
	struct point *p;
	size_t n, cap;
	struct row *rows;
	size_t nrows, rcap, last_row;
	bool nomem;
};

static bool timed(const struct td_time *t)
{
	return t->zone != TD_ZONE_NONE;
}

/* The machine of an event: its input's (hosts.h), else the host the entry
 * names. */
static struct td_str machine_of(const struct chart *c, size_t input, const char *host)
{
	const struct td_run_report *r = c->r;
	if (input < r->ninputs && r->inputs[input].host)
		return td_str_cstr(r->inputs[input].host);
	return td_str_cstr(host ? host : "");
}

static size_t row_of(struct chart *c, size_t input, const char *path, const char *host)
{
	struct td_str machine = machine_of(c, input, host);
	for (size_t k = 0; k < c->nrows; k++) {
		/* Events come in runs from one source: try the last row first. */
		size_t i = k == 0 ? c->last_row : k - (k <= c->last_row);
		struct row *w = &c->rows[i];
		if (w->input == input && strcmp(w->path, path) == 0 &&
		    td_str_eq(w->machine, machine))
			return c->last_row = i;
	}
	if (c->nrows == c->rcap) {
		size_t cap = c->rcap ? 2 * c->rcap : 16;
		struct row *n = realloc(c->rows, cap * sizeof(*n));
		if (!n)
			return SIZE_MAX;
		c->rows = n;
		c->rcap = cap;
	}
	c->rows[c->nrows] = (struct row){ .machine = machine, .path = path, .input = input };
	return c->last_row = c->nrows++;
}

/* The input an event came from: the index it names when that input has its
 * path (evidence of machine checks names input 0), else the input of that
 * path, else SIZE_MAX. */
static size_t input_of(const struct td_run_report *r, size_t input, const char *path)
{
	if (input < r->ninputs && strcmp(r->inputs[input].path, path) == 0)
		return input;
	for (size_t i = 0; i < r->ninputs; i++)
		if (strcmp(r->inputs[i].path, path) == 0)
			return i;
	return SIZE_MAX;
}

static void add(struct chart *c, const struct point *p)
{
	if (c->nomem)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct point *n = realloc(c->p, cap * sizeof(*n));
		if (!n) {
			c->nomem = true;
			return;
		}
		c->p = n;
		c->cap = cap;
	}
	const char *path = p->path ? p->path : "";
	size_t row = row_of(c, input_of(c->r, p->row, path), path, p->host);
	if (row == SIZE_MAX) {
		c->nomem = true;
		return;
	}
	struct point *q = &c->p[c->n];
	*q = *p;
	q->row = row;
	q->order = c->n++;
	q->local = p->time->zone == TD_ZONE_LOCAL;
	q->context = p->role != TD_ROLE_TRIGGER;
	struct row *w = &c->rows[row];
	w->n++;
	w->sev[q->sev]++;
	if (!timed(q->time)) {
		w->untimed++;
		return;
	}
	if (!w->first || q->time->ticks < w->first->ticks)
		w->first = q->time;
	if (!w->last || q->time->ticks > w->last->ticks)
		w->last = q->time;
}

/* Severity of a timeline entry: its finding's, else its signature's, else
 * the event's level. */
static enum td_severity entry_severity(const struct td_diagnosis *dx,
				       const struct td_timeline_entry *e)
{
	if (e->sig) {
		const struct td_finding *f = dx ? td_diagnosis_finding(dx, e->sig, e->host) : NULL;
		if (dx && !f)
			f = td_diagnosis_finding(dx, e->sig, NULL);
		return f ? f->severity : e->sig->severity;
	}
	return e->level >= TD_LEVEL_ERROR     ? TD_SEV_ERROR
	       : e->level == TD_LEVEL_WARNING ? TD_SEV_WARNING
					      : TD_SEV_INFO;
}

/* Fills the chart from the run's timeline, or from the findings' evidence
 * when the run collected none.  The point's row holds the input index until
 * add() turns it into a row. */
static void collect(struct chart *c)
{
	const struct td_run_report *r = c->r;
	const struct td_diagnosis *dx = r->dx;
	if (r->timeline) {
		for (size_t i = 0; i < r->timeline->n; i++) {
			const struct td_timeline_entry *e = &r->timeline->e[i];
			struct point p = { .time = &e->time, .row = e->input,
					   .sev = entry_severity(dx, e), .path = e->path,
					   .host = e->host, .excerpt = e->excerpt, .line = e->line,
					   .record = e->record, .sig = e->sig, .role = e->role };
			add(c, &p);
		}
		return;
	}
	for (size_t i = 0; dx && i < dx->nfindings; i++) {
		const struct td_finding *f = &dx->findings[i];
		for (size_t k = 0; k < f->nevidence; k++) {
			const struct td_evidence *e = &f->evidence[k];
			struct point p = { .time = &e->time, .row = e->input, .sev = f->severity,
					   .path = e->path, .host = e->host, .excerpt = e->excerpt,
					   .line = e->line, .record = e->record, .sig = f->sig,
					   .role = e->role };
			add(c, &p);
		}
	}
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;
	/* Sources without a host last. */
	if (!x->machine.len != !y->machine.len)
		return x->machine.len ? -1 : 1;
	size_t n = x->machine.len < y->machine.len ? x->machine.len : y->machine.len;
	int d = memcmp(x->machine.p, y->machine.p, n);
	if (!d && x->machine.len != y->machine.len)
		d = x->machine.len < y->machine.len ? -1 : 1;
	if (!d)
		d = strcmp(x->path, y->path);
	if (!d)
		d = x->input < y->input ? -1 : x->input > y->input;
	return d;
}

/* Points in drawing order: by row, timed first, then by time. */
static int cmp_points(const void *a, const void *b)
{
	const struct point *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	bool tx = timed(x->time), ty = timed(y->time);
	if (tx != ty)
		return tx ? -1 : 1;
	if (tx && x->time->ticks != y->time->ticks)
		return x->time->ticks < y->time->ticks ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Puts the rows in drawing order (by host, then source) and sorts the
 * points to match; false without memory. */
static bool order(struct chart *c)
{
	size_t n = c->nrows ? c->nrows : 1;
	const struct row **idx = malloc(n * sizeof(*idx));
	size_t *rank = malloc(n * sizeof(*rank));
	struct row *sorted = malloc(n * sizeof(*sorted));
	bool ok = idx && rank && sorted;
	if (ok) {
		for (size_t i = 0; i < c->nrows; i++)
			idx[i] = &c->rows[i];
		qsort(idx, c->nrows, sizeof(*idx), cmp_rows);
		for (size_t i = 0; i < c->nrows; i++) {
			rank[idx[i] - c->rows] = i;
			sorted[i] = *idx[i];
		}
		for (size_t i = 0; i < c->n; i++)
			c->p[i].row = rank[c->p[i].row];
		free(c->rows);
		c->rows = sorted;
		sorted = NULL;
		if (c->n) /* c->p is NULL when nothing was added */
			qsort(c->p, c->n, sizeof(*c->p), cmp_points);
	}
	free(idx);
	free(rank);
	free(sorted);
	return ok;
}

/* Where the last `max` characters of s start. */
static size_t tail(struct td_str s, size_t max)
{
	size_t chars = 0;
	for (size_t i = s.len; i > 0; i--)
		if (((unsigned char)s.p[i - 1] & 0xC0) != 0x80 && ++chars == max)
			return i - 1;
	return 0;
}

/* A label cut to its last LABEL_CHARS characters, with the whole text as
 * its tooltip. */
static void label(FILE *f, int x, int y, const char *cls, struct td_str text)
{
	size_t t = tail(text, LABEL_CHARS);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"%s\"><title>", x, y, cls);
	td_html_escape(f, text);
	fputs("</title>", f);
	if (t)
		fputs("…", f);
	td_html_escape(f, td_str_slice(text, t, text.len));
	fputs("</text>\n", f);
}

struct scale {
	int64_t lo, hi;
};

static double xpos(const struct scale *s, int64_t t)
{
	return PLOT_X0 + (double)(t - s->lo) * (PLOT_X1 - PLOT_X0) / (double)(s->hi - s->lo);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Grid lines and labels at round times, at most MAX_TICKS of them. */
static void ticks(FILE *f, const struct scale *s, int bottom)
{
	static const int64_t steps[] = { 1,     2,     5,     10,     15,     30,     60,
					 120,   300,   600,   900,    1800,   3600,   7200,
					 10800, 21600, 43200, 86400,  172800, 604800, 2592000,
					 7776000, 31536000 };
	int64_t span = s->hi - s->lo, step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / (steps[i] * TD_TICKS_PER_SEC) < MAX_TICKS) {
			step = steps[i];
			break;
		}
	int64_t st = step * TD_TICKS_PER_SEC;
	for (int64_t t = (floor_div(s->lo, st) + 1) * st; t <= s->hi; t += st) {
		int y, mo, d, h, mi, sec;
		int64_t frac;
		td_time_to_civil(t, &y, &mo, &d, &h, &mi, &sec, &frac);
		char text[32];
		if (step >= 86400)
			snprintf(text, sizeof(text), "%04d-%02d-%02d", y, mo, d);
		else if (span >= 86400 * TD_TICKS_PER_SEC)
			snprintf(text, sizeof(text), "%02d-%02d %02d:%02d", mo, d, h, mi);
		else if (step >= 60)
			snprintf(text, sizeof(text), "%02d:%02d", h, mi);
		else
			snprintf(text, sizeof(text), "%02d:%02d:%02d", h, mi, sec);
		double x = xpos(s, t);
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n"
			   "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			x, TOP - 6, x, bottom, x, TOP - 10, text);
	}
}

static void tooltip(FILE *f, const struct point *p, size_t n, const struct point *last)
{
	char t[48];
	fputs("<title>", f);
	if (n > 1) {
		td_output_time(t, sizeof(t), p->time);
		fprintf(f, "%zu events from %s", n, t);
		td_output_time(t, sizeof(t), last->time);
		fprintf(f, " to %s; the first:\n", t);
	}
	td_output_time(t, sizeof(t), p->time);
	fputs(t[0] ? t : "no time", f);
	if (p->local)
		fputs(" (local time, zone unknown)", f);
	if (p->host) {
		fputs(" ", f);
		td_html_cstr(f, p->host);
	}
	fputs("\n", f);
	td_html_cstr(f, p->path);
	if (p->line)
		fprintf(f, ":%llu", (unsigned long long)p->line);
	else if (p->record)
		fprintf(f, " record %llu", (unsigned long long)p->record);
	fprintf(f, "\n%s", td_severity_name(p->sev));
	if (p->sig) {
		fputs(": ", f);
		td_html_cstr(f, p->sig->id);
		if (p->sig->kb[0])
			td_html_put(f, " (", p->sig->kb, ")");
		fputs(" ", f);
		td_html_cstr(f, p->sig->title);
	}
	if (p->context)
		fprintf(f, " [%s]", td_role_name(p->role));
	if (p->excerpt && p->excerpt[0]) {
		fputs("\n", f);
		td_html_cstr(f, p->excerpt);
	}
	fputs("</title>", f);
}

/* One mark: a circle for errors, a diamond for warnings, a square for the
 * rest; hollow for local times, faded for context. */
static void mark(FILE *f, double x, int y, const struct point *p, size_t n,
		 const struct point *last)
{
	char cls[64];
	snprintf(cls, sizeof(cls), "m sev-%s%s%s", td_severity_name(p->sev),
		 p->local ? " local" : "", p->context ? " ctx" : "");
	const char *op = p->context ? " fill-opacity=\"0.35\" stroke-opacity=\"0.5\"" : "";
	if (p->sev == TD_SEV_ERROR)
		fprintf(f, "<circle class=\"%s\"%s cx=\"%.1f\" cy=\"%d\" r=\"%d\">", cls, op, x, y,
			n > 1 ? 6 : 5);
	else if (p->sev == TD_SEV_WARNING)
		fprintf(f, "<path class=\"%s\"%s d=\"M%.1f %dl6 6-6 6-6-6z\">", cls, op, x, y - 6);
	else
		fprintf(f, "<rect class=\"%s\"%s x=\"%.1f\" y=\"%d\" width=\"9\" height=\"9\">",
			cls, op, x - 4.5, y - 4);
	tooltip(f, p, n, last);
	fputs(p->sev == TD_SEV_ERROR ? "</circle>\n" : p->sev == TD_SEV_WARNING ? "</path>\n"
										: "</rect>\n",
	      f);
}

/* Draws the marks of one row, merging neighbours of the same kind. */
static void row_marks(FILE *f, const struct scale *s, const struct point *p, size_t n, int y)
{
	size_t i = 0;
	while (i < n && timed(p[i].time)) {
		double x = xpos(s, p[i].time->ticks);
		size_t k = i + 1;
		while (k < n && timed(p[k].time) && p[k].sev == p[i].sev &&
		       p[k].local == p[i].local && p[k].context == p[i].context &&
		       xpos(s, p[k].time->ticks) - x < MERGE_PX)
			k++;
		mark(f, x, y, &p[i], k - i, &p[k - 1]);
		i = k;
	}
}

static bool new_host(const struct chart *c, size_t k)
{
	return k == 0 || !td_str_eq(c->rows[k].machine, c->rows[k - 1].machine);
}

static void svg(FILE *f, const struct chart *c, const struct scale *s, bool evidence)
{
	size_t hosts = 0;
	for (size_t k = 0; k < c->nrows; k++)
		hosts += new_host(c, k);
	int height = TOP + (int)(hosts * HOST_H + c->nrows * ROW_H) + 8;
	fprintf(f, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
		   "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"tl-title tl-desc\">\n"
		   "<title id=\"tl-title\">Failures over time per host and source</title>\n"
		   "<desc id=\"tl-desc\">%zu %s%s in %zu source%s on %zu host%s; the table "
		   "below gives the same counts.</desc>\n",
		CHART_W, height, c->n, evidence ? "evidence item" : "event", c->n == 1 ? "" : "s",
		c->nrows, c->nrows == 1 ? "" : "s",
		hosts, hosts == 1 ? "" : "s");
	ticks(f, s, height - 4);
	int y = TOP;
	size_t first = 0;
	for (size_t k = 0; k < c->nrows; k++) {
		const struct row *w = &c->rows[k];
		if (new_host(c, k)) {
			label(f, 6, y + 14, "host",
			      w->machine.len ? w->machine : TD_STR_LIT("host unknown"));
			y += HOST_H;
		}
		if (k % 2 == 0)
			fprintf(f, "<rect class=\"band\" x=\"0\" y=\"%d\" width=\"%d\" "
				   "height=\"%d\"/>\n",
				y, CHART_W, ROW_H);
		label(f, 18, y + 15, "src", td_str_cstr(w->path));
		if (w->untimed)
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"untimed\">"
				   "%zu without time</text>\n",
				PLOT_X1 - 4, y + 15, w->untimed);
		row_marks(f, s, c->p + first, w->n, y + ROW_H / 2);
		first += w->n;
		y += ROW_H;
	}
	fputs("</svg>\n", f);
}

/* "3 error, 1 info": the row's counts by severity, worst first. */
static void by_severity(FILE *f, const struct row *w)
{
	bool any = false;
	for (int sev = TD_SEV_ERROR; sev >= TD_SEV_INFO; sev--)
		if (w->sev[sev]) {
			fprintf(f, "%s%zu %s", any ? ", " : "", w->sev[sev],
				td_severity_name((enum td_severity)sev));
			any = true;
		}
}

static void table(FILE *f, const struct chart *c, bool evidence)
{
	fprintf(f, "<table>\n<caption>%s per host and source</caption>\n<thead><tr>"
		   "<th scope=\"col\">Host</th><th scope=\"col\">Source</th>"
		   "<th scope=\"col\">%s</th><th scope=\"col\">By severity</th>"
		   "<th scope=\"col\">Without time</th><th scope=\"col\">First and last</th>"
		   "</tr></thead>\n<tbody>\n",
		evidence ? "Evidence items" : "Events", evidence ? "Items" : "Events");
	for (size_t k = 0; k < c->nrows; k++) {
		const struct row *w = &c->rows[k];
		char a[48] = "", b[48] = "";
		if (w->first) {
			td_output_time(a, sizeof(a), w->first);
			td_output_time(b, sizeof(b), w->last);
		}
		fputs("<tr><td>", f);
		td_html_escape(f, w->machine);
		td_html_put(f, "</td><td><code>", w->path, "</code></td>");
		fprintf(f, "<td class=\"num\">%zu</td><td>", w->n);
		by_severity(f, w);
		fprintf(f, "</td><td class=\"num\">%zu</td><td class=\"t\">%s%s%s</td></tr>\n",
			w->untimed, a, strcmp(a, b) ? "<br/>" : "", strcmp(a, b) ? b : "");
	}
	fputs("</tbody>\n</table>\n", f);
}

static void skews(FILE *f, const struct td_timeline *tl)
{
	if (!tl || !tl->nskews)
		return;
	fputs("<h3>Clock skew between hosts</h3>\n<ul>\n", f);
	for (size_t i = 0; i < tl->nskews; i++) {
		const struct td_skew *k = &tl->skews[i];
		int64_t off = k->offset < 0 ? -k->offset : k->offset;
		fputs("<li>", f);
		td_html_cstr(f, k->offset < 0 ? k->host_a : k->host_b);
		fprintf(f, " is %lld.%03lld s ahead of ", (long long)(off / TD_TICKS_PER_SEC),
			(long long)(off % TD_TICKS_PER_SEC / 10000));
		td_html_cstr(f, k->offset < 0 ? k->host_b : k->host_a);
		fprintf(f, " (from %zu pair%s of the same failure seen on both)</li>\n", k->pairs,
			k->pairs == 1 ? "" : "s");
	}
	fputs("</ul>\n", f);
}

void td_html_timeline(FILE *f, const struct td_run_report *r)
{
	struct chart c = { .r = r };
	collect(&c);
	td_html_section(f, "timeline", "Timeline of failures");
	bool evidence = !r->timeline;
	if (evidence)
		fputs("<p>From the findings' evidence: the run collected no timeline, so only the "
		      "evidence items kept per finding are drawn.</p>\n",
		      f);
	else
		fprintf(f, "<p>Every event a signature matched, from the run's timeline%s.</p>\n",
			r->timeline->dropped ? "" : " (none left out)");
	if (r->timeline && r->timeline->dropped)
		fprintf(f, "<p>%llu more event%s beyond the timeline's cap are not drawn.</p>\n",
			(unsigned long long)r->timeline->dropped,
			r->timeline->dropped == 1 ? "" : "s");
	struct scale s = { INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < c.n; i++)
		if (timed(c.p[i].time)) {
			if (c.p[i].time->ticks < s.lo)
				s.lo = c.p[i].time->ticks;
			if (c.p[i].time->ticks > s.hi)
				s.hi = c.p[i].time->ticks;
		}
	bool any_time = s.lo <= s.hi;
	if (c.nomem || !order(&c)) {
		fputs("<p>The chart could not be drawn: out of memory.</p>\n", f);
	} else if (!c.n) {
		fputs("<p>Nothing to draw: no event matched a signature.</p>\n", f);
	} else {
		char a[48] = "", b[48] = "";
		if (any_time) {
			td_time_format(a, sizeof(a), s.lo, 0, TD_ZONE_UTC);
			td_time_format(b, sizeof(b), s.hi, 0, TD_ZONE_UTC);
		} else {
			s.lo = s.hi = 0; /* rows and labels only */
		}
		if (s.hi - s.lo < TD_TICKS_PER_MIN) {
			s.lo -= TD_TICKS_PER_MIN / 2;
			s.hi += TD_TICKS_PER_MIN / 2;
		}
		int64_t pad = (s.hi - s.lo) / 40;
		s.lo -= pad;
		s.hi += pad;
		fputs("<figure>\n", f);
		svg(f, &c, &s, evidence);
		fputs("<figcaption>", f);
		if (any_time)
			fprintf(f, "Time in UTC, %s to %s. ", a, b);
		else
			fputs("No event has a time. ", f);
		fputs("<span class=\"legend\"><span class=\"v-bad\">● error</span> "
		      "<span class=\"v-warn\">◆ warning</span> "
		      "<span class=\"lg-info\">■ info</span> "
		      "<span>hollow: local time of unknown zone, drawn as if UTC</span> "
		      "<span>faded: context (support, require)</span></span> Hover a mark for its "
		      "event.</figcaption>\n</figure>\n",
		      f);
		table(f, &c, evidence);
	}
	skews(f, r->timeline);
	fputs("</section>\n", f);
	free(c.p);
	free(c.rows);
}
