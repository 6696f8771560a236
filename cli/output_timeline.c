/* The timeline as text, JSON or NDJSON (`tlsdiag timeline`; the fields are
 * documented in README.md, "Timeline"). */
#include <inttypes.h>
#include <string.h>

#include "output.h"
#include "td_config.h"

/* Widest column padded in text (longer values just push the line). */
#define MAX_PAD 60

struct tl_out {
	FILE *f;
	const struct td_run_report *r;
	const struct td_timeline *tl;
	const struct td_timeline_filter *flt;
	struct td_json j;
	size_t shown, local, unknown, skews; /* what the filter keeps */
	int w_time, w_host, w_where, w_level, w_sig; /* text column widths */
};

/* The time as shown: ISO 8601 with the source's precision; a time without
 * a zone ends in " (local)"; "-" when unknown. */
static void entry_time(char *out, size_t cap, const struct td_timeline_entry *e)
{
	td_output_time(out, cap, &e->time);
	if (!out[0])
		snprintf(out, cap, "-");
	else if (e->time.zone == TD_ZONE_LOCAL)
		strncat(out, " (local)", cap - strlen(out) - 1);
}

static void entry_where(char *out, size_t cap, const struct td_timeline_entry *e)
{
	if (e->line)
		snprintf(out, cap, "%s:%" PRIu64, e->path, e->line);
	else if (e->record)
		snprintf(out, cap, "%s record %" PRIu64, e->path, e->record);
	else
		snprintf(out, cap, "%s", e->path);
}

/* "id (kb, info, support)": the kb entry, an informational signature, a
 * role other than trigger. */
static void entry_sig(char *out, size_t cap, const struct td_timeline_entry *e)
{
	const char *tags[3];
	size_t n = 0;
	if (e->sig->kb[0])
		tags[n++] = e->sig->kb;
	if (e->sig->severity == TD_SEV_INFO)
		tags[n++] = "info";
	if (e->role != TD_ROLE_TRIGGER)
		tags[n++] = td_role_name(e->role);
	size_t len = (size_t)snprintf(out, cap, "%s", e->sig->id);
	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : " (", tags[i]);
	if (n && len < cap)
		snprintf(out + len, cap - len, ")");
}

static const char *level_name(enum td_level l)
{
	return l == TD_LEVEL_NONE ? NULL : td_level_name(l);
}

static int width(int w, size_t len)
{
	return len > MAX_PAD ? w : (int)len > w ? (int)len : w;
}

/* Counts what the filter keeps and sizes the text columns. */
static void measure(struct tl_out *o)
{
	char buf[4200];
	for (size_t i = 0; i < o->tl->n; i++) {
		const struct td_timeline_entry *e = &o->tl->e[i];
		if (!td_timeline_keep(o->flt, e))
			continue;
		o->shown++;
		o->local += e->time.zone == TD_ZONE_LOCAL;
		o->unknown += e->time.zone == TD_ZONE_NONE;
		entry_time(buf, sizeof(buf), e);
		o->w_time = width(o->w_time, strlen(buf));
		o->w_host = width(o->w_host, e->host ? strlen(e->host) : 1);
		entry_where(buf, sizeof(buf), e);
		o->w_where = width(o->w_where, strlen(buf));
		o->w_level = width(o->w_level, level_name(e->level) ? strlen(level_name(e->level)) : 1);
		entry_sig(buf, sizeof(buf), e);
		o->w_sig = width(o->w_sig, strlen(buf));
	}
	for (size_t i = 0; i < o->tl->nskews; i++)
		o->skews += td_timeline_keep_skew(o->flt, &o->tl->skews[i]);
}

/* ---- text ---- */

/* s and the spaces to column width w, then two more. */
static void pad(FILE *f, const char *s, int w)
{
	td_output_safe(f, s);
	size_t len = strlen(s);
	fprintf(f, "%*s", len < (size_t)w ? w - (int)len + 2 : 2, "");
}

static void text_entry(struct tl_out *o, const struct td_timeline_entry *e)
{
	char buf[4200];
	entry_time(buf, sizeof(buf), e);
	pad(o->f, buf, o->w_time);
	pad(o->f, e->host ? e->host : "-", o->w_host);
	entry_where(buf, sizeof(buf), e);
	pad(o->f, buf, o->w_where);
	pad(o->f, level_name(e->level) ? level_name(e->level) : "-", o->w_level);
	entry_sig(buf, sizeof(buf), e);
	pad(o->f, buf, o->w_sig);
	td_output_safe(o->f, e->excerpt);
	fputc('\n', o->f);
}

/* A skew's offset (positive) in whole milliseconds, rounded. */
static int64_t offset_ms(int64_t ticks)
{
	return (ticks + TD_TICKS_PER_SEC / 2000) / (TD_TICKS_PER_SEC / 1000);
}

static void seconds(FILE *f, int64_t ticks)
{
	int64_t ms = offset_ms(ticks);
	fprintf(f, "%" PRId64 ".%03" PRId64 " s", ms / 1000, ms % 1000);
}

static void text_skews(struct tl_out *o)
{
	const struct td_timeline *tl = o->tl;
	if (o->skews) {
		fprintf(o->f, "\nClock skew, from failures logged on both ends of a connection (%zu "
			"pair%s of hosts compared):\n", tl->skew_compared,
			tl->skew_compared == 1 ? "" : "s");
		for (size_t i = 0; i < tl->nskews; i++) {
			const struct td_skew *s = &tl->skews[i];
			if (!td_timeline_keep_skew(o->flt, s))
				continue;
			fputs("  ", o->f);
			td_output_safe(o->f, s->host_b);
			fputs(" is ", o->f);
			seconds(o->f, s->offset);
			fputs(" ahead of ", o->f);
			td_output_safe(o->f, s->host_a);
			fprintf(o->f, " (median of %zu event pairs)\n", s->pairs);
		}
	} else if (tl->skew_compared) {
		fprintf(o->f, "\nClock skew: none over %d s between the %zu pair%s of hosts that "
			"logged the same failure on both ends.\n",
			(int)(TD_SKEW_MIN / TD_TICKS_PER_SEC), tl->skew_compared,
			tl->skew_compared == 1 ? "" : "s");
	} else {
		fputs("\nClock skew: not estimated (no two hosts logged the same failure on both "
		      "ends).\n", o->f);
	}
	if (tl->skew_hosts_left)
		fprintf(o->f, "note: clock skew not estimated for %zu more hosts (only the %d with "
			"the most such events)\n", tl->skew_hosts_left, TD_SKEW_MAX_HOSTS);
}

static void write_text(struct tl_out *o)
{
	const struct td_run_report *r = o->r;
	const struct td_timeline *tl = o->tl;
	fprintf(o->f, "tlsdiag %s timeline: ", TD_VERSION);
	if (o->shown != tl->n)
		fprintf(o->f, "%zu of ", o->shown);
	fprintf(o->f, "%zu TLS event%s, %zu input%s", tl->n, tl->n == 1 ? "" : "s", r->ninputs,
		r->ninputs == 1 ? "" : "s");
	if (r->unreadable)
		fprintf(o->f, ", %zu unreadable", r->unreadable);
	fputc('\n', o->f);
	text_skews(o);
	if (o->local)
		fprintf(o->f, "note: %zu time%s marked (local) carry no time zone in the log; sorted "
			"by their face value\n", o->local, o->local == 1 ? "" : "s");
	if (tl->dropped)
		fprintf(o->f, "note: %" PRIu64 " more events not kept (limit %zu)\n", tl->dropped,
			tl->max);
	if (o->shown)
		fputc('\n', o->f);
	bool heading = false;
	for (size_t i = 0; i < tl->n; i++) {
		const struct td_timeline_entry *e = &tl->e[i];
		if (!td_timeline_keep(o->flt, e))
			continue;
		if (e->time.zone == TD_ZONE_NONE && !heading) {
			fputs(o->unknown == o->shown ? "" : "\n", o->f);
			fputs("Events with unknown time:\n", o->f);
			heading = true;
		}
		text_entry(o, e);
	}
}

/* ---- JSON and NDJSON ---- */

/* Members whose values are strings (NULL: null), in order. */
static void str_members(struct td_json *j, const char *const (*kv)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		td_json_key(j, kv[i][0]);
		td_json_cstr(j, kv[i][1]);
	}
}

static void json_skew(struct td_json *j, const struct td_skew *s)
{
	const char *const hosts[][2] = { { "host_a", s->host_a }, { "host_b", s->host_b } };
	str_members(j, hosts, 2);
	td_json_key(j, "offset_ms");
	td_json_i64(j, offset_ms(s->offset));
	td_json_key(j, "pairs");
	td_json_u64(j, s->pairs);
}

static void json_entry(struct td_json *j, const struct td_timeline_entry *e)
{
	static const char *const zones[] = { NULL, "utc", "local" };
	td_json_key(j, "time");
	td_output_json_time(j, &e->time);
	td_json_key(j, "zone");
	td_json_cstr(j, e->time.zone <= TD_ZONE_LOCAL ? zones[e->time.zone] : NULL);
	td_json_key(j, "time_text");
	if (e->time.text.len)
		td_json_str(j, e->time.text);
	else
		td_json_null(j);
	const char *const where[][2] = { { "host", e->host }, { "path", e->path } };
	str_members(j, where, 2);
	td_json_key(j, "line");
	td_output_json_u64(j, e->line);
	td_json_key(j, "record");
	td_output_json_u64(j, e->record);
	const char *const what[][2] = {
		{ "level", level_name(e->level) },
		{ "signature", e->sig->id },
		{ "kb", e->sig->kb[0] ? e->sig->kb : NULL },
		{ "severity", td_severity_name(e->sig->severity) },
		{ "role", td_role_name(e->role) },
		{ "excerpt", e->excerpt },
	};
	str_members(j, what, sizeof(what) / sizeof(what[0]));
}

static void json_summary(struct tl_out *o, int exit_code)
{
	struct td_json *j = &o->j;
	const struct { const char *key; uint64_t v; } nums[] = {
		{ "inputs", o->r->ninputs },	  { "unreadable", o->r->unreadable },
		{ "events", o->tl->n },		  { "shown", o->shown },
		{ "local_times", o->local },	  { "unknown_times", o->unknown },
		{ "dropped", o->tl->dropped },	  { "skew_host_pairs", o->tl->skew_compared },
	};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		td_json_key(j, nums[i].key);
		td_json_u64(j, nums[i].v);
	}
	td_json_key(j, "exit_code");
	td_json_i64(j, exit_code);
}

/* Writes kept skews and entries: as members of one document, or one NDJSON
 * line each with its "type". */
static void json_items(struct tl_out *o, bool nd)
{
	struct td_json *j = &o->j;
	const struct td_timeline *tl = o->tl;
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass ? tl->n : tl->nskews;
		if (!nd) {
			td_json_key(j, pass ? "events" : "skews");
			td_json_array_begin(j);
		}
		for (size_t i = 0; i < n; i++) {
			if (pass ? !td_timeline_keep(o->flt, &tl->e[i])
				 : !td_timeline_keep_skew(o->flt, &tl->skews[i]))
				continue;
			td_json_object_begin(j);
			if (nd) {
				td_json_key(j, "type");
				td_json_cstr(j, pass ? "event" : "skew");
			}
			if (pass)
				json_entry(j, &tl->e[i]);
			else
				json_skew(j, &tl->skews[i]);
			td_json_object_end(j);
			if (nd)
				td_json_newline(j);
		}
		if (!nd)
			td_json_array_end(j);
	}
}

int td_output_timeline(FILE *f, enum td_timeline_format fmt, const struct td_run_report *r,
		       const struct td_timeline_filter *flt, int exit_code)
{
	static const struct td_timeline none = { 0 };
	struct tl_out o = { .f = f, .r = r, .tl = r->timeline ? r->timeline : &none, .flt = flt };
	measure(&o);
	if (fmt == TD_TIMELINE_TEXT) {
		write_text(&o);
	} else {
		bool nd = fmt == TD_TIMELINE_NDJSON;
		td_json_init(&o.j, f, !nd);
		if (!nd) {
			td_json_object_begin(&o.j);
			td_output_json_tool(&o.j);
		}
		json_items(&o, nd);
		if (nd) {
			td_json_object_begin(&o.j);
			td_json_key(&o.j, "type");
			td_json_cstr(&o.j, "summary");
			td_output_json_tool(&o.j);
		} else {
			td_json_key(&o.j, "summary");
			td_json_object_begin(&o.j);
		}
		json_summary(&o, exit_code);
		td_json_object_end(&o.j);
		if (!nd)
			td_json_object_end(&o.j);
		td_json_newline(&o.j);
	}
	if (fflush(f) != 0 || ferror(f))
		return TD_E_IO;
	return TD_OK;
}
