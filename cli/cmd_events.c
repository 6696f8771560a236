/* "tlsdiag events": every event of the inputs, as NDJSON, Event XML or text.
 *
 * A debugging and scripting aid: it shows exactly what the parsers made of
 * a file (the normalised event, all fields) without the matcher.  Problems
 * in an input go to stderr with the file and offset; the other inputs are
 * still read.  Exit status 0, or 2 when an input could not be read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_walk.h"
#include "commands.h"
#include "evtx.h"
#include "input.h"
#include "json.h"
#include "output.h"
#include "parser.h"
#include "run.h"

enum events_format { EV_NDJSON, EV_XML, EV_TEXT };

struct events_out {
	FILE *f;
	enum events_format format;
	bool quiet; /* only errors on stderr */
	struct td_json j;
	int status; /* of the archive being walked */
};

static void ndjson_event(struct events_out *o, const struct td_event *ev)
{
	struct td_json *j = &o->j;
	char when[48];
	td_output_time(when, sizeof(when), &ev->time);
	td_json_object_begin(j);
	td_json_key(j, "path");
	td_json_str(j, ev->path);
	td_json_key(j, "format");
	td_json_cstr(j, td_format_name(ev->format));
	td_json_key(j, "offset");
	td_json_u64(j, ev->offset);
	if (ev->line) {
		td_json_key(j, "line");
		td_json_u64(j, ev->line);
	}
	if (ev->record) {
		td_json_key(j, "record");
		td_json_u64(j, ev->record);
	}
	td_json_key(j, "time");
	if (when[0])
		td_json_cstr(j, when);
	else
		td_json_null(j);
	td_json_key(j, "level");
	td_json_cstr(j, td_level_name(ev->level));
	static const char *const names[] = { "provider", "host", "channel" };
	const struct td_str parts[] = { ev->provider, ev->host, ev->channel };
	for (size_t i = 0; i < 3; i++)
		if (parts[i].len) {
			td_json_key(j, names[i]);
			td_json_str(j, parts[i]);
		}
	if (ev->has_event_id) {
		td_json_key(j, "event_id");
		td_json_u64(j, ev->event_id);
	}
	td_json_key(j, "message");
	td_json_str(j, ev->message);
	td_json_key(j, "fields");
	td_json_object_begin(j);
	for (size_t i = 0; i < ev->nfields; i++) {
		if (td_str_eq_cstr(ev->fields[i].name, "xml"))
			continue;
		char key[256];
		snprintf(key, sizeof(key), "%.*s", td_str_pfmt(ev->fields[i].name));
		td_json_key(j, key);
		td_json_str(j, ev->fields[i].value);
	}
	td_json_object_end(j);
	td_json_object_end(j);
	td_json_newline(j);
}

static int on_event(const struct td_event *ev, void *user)
{
	struct events_out *o = user;
	switch (o->format) {
	case EV_NDJSON:
		ndjson_event(o, ev);
		break;
	case EV_XML: {
		struct td_str xml = td_event_field(ev, "xml");
		if (xml.p)
			fprintf(o->f, "%.*s", td_str_pfmt(xml));
		break;
	}
	case EV_TEXT: {
		char when[48];
		td_output_time(when, sizeof(when), &ev->time);
		fprintf(o->f, "%.*s", td_str_pfmt(ev->path));
		if (ev->line)
			fprintf(o->f, ":%llu", (unsigned long long)ev->line);
		if (ev->record)
			fprintf(o->f, " #%llu", (unsigned long long)ev->record);
		fprintf(o->f, " %s %s", when[0] ? when : "-", td_level_name(ev->level));
		if (ev->provider.len)
			fprintf(o->f, " %.*s", td_str_pfmt(ev->provider));
		if (ev->has_event_id)
			fprintf(o->f, " %u", ev->event_id);
		fprintf(o->f, ": %.*s\n", td_str_pfmt(ev->message));
		break;
	}
	}
	return ferror(o->f) ? 1 : 0;
}

static void report(const char *path, const struct td_diag *d, bool quiet)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct td_diag_entry *e = &d->items[i];
		if (quiet && e->level < TD_DIAG_ERROR)
			continue;
		fprintf(stderr, "tlsdiag: %s", path);
		if (e->line != TD_DIAG_NO_LINE)
			fprintf(stderr, ":%llu", (unsigned long long)e->line);
		else if (e->offset != TD_DIAG_NO_OFFSET)
			fprintf(stderr, ": offset %llu", (unsigned long long)e->offset);
		fprintf(stderr, ": %s: %s\n", td_diag_level_name(e->level), e->msg);
	}
	if (d->dropped && !quiet)
		fprintf(stderr, "tlsdiag: %s: %zu more problems not shown\n", path, d->dropped);
}

/* The events of one input's bytes, named name. */
static int events_in(struct events_out *o, const char *name, struct td_bytes data)
{
	struct td_diag diag;
	td_diag_init(&diag, 1000);
	struct td_parse_ctx ctx = { .cb = on_event, .user = o, .diag = &diag,
				    .path = td_str_cstr(name) };
	struct td_parse_info info;
	struct td_evtx_options opt = { .xml = o->format == EV_XML, .recover = true };
	int rc = td_parse_input(data, &ctx, &info, NULL, &opt);
	report(name, &diag, o->quiet);
	td_diag_release(&diag);
	if (info.format == TD_FMT_BINARY) {
		fprintf(stderr, "tlsdiag: %s: not text and not an event log; skipped\n", name);
		return TD_EXIT_TROUBLE;
	}
	if (rc == TD_E_NOMEM) {
		fprintf(stderr, "tlsdiag: %s: out of memory\n", name);
		return TD_EXIT_TROUBLE;
	}
	return TD_EXIT_CLEAN;
}

/* An archive member: its events, then what kept it from being read whole. */
static int on_member(const struct td_archive_member *m, void *user)
{
	struct events_out *o = user;
	if (m->note && !o->quiet)
		fprintf(stderr, "tlsdiag: %s: note: %s\n", m->path, m->note);
	if (td_archive_member_has_data(m) &&
	    events_in(o, m->path, m->data) != TD_EXIT_CLEAN)
		o->status = TD_EXIT_TROUBLE;
	if (m->error) {
		fprintf(stderr, "tlsdiag: %s: %s\n", m->path, m->error);
		o->status = TD_EXIT_TROUBLE;
	}
	return ferror(o->f) ? 1 : 0;
}

/* A file or standard input: an archive's members (default limits), or the
 * input itself. */
static int events_of(struct events_out *o, const char *path)
{
	struct td_input data;
	struct td_err err = { 0 };
	bool is_stdin = strcmp(path, "-") == 0;
	int rc = is_stdin ? td_input_read_fd(&data, STDIN_FILENO, TD_MAX_STDIN, &err)
			  : td_input_open_file(&data, path, &err);
	const char *name = is_stdin ? "<stdin>" : path;
	if (rc) {
		fprintf(stderr, "tlsdiag: %s: %s\n", name, err.msg);
		return TD_EXIT_TROUBLE;
	}
	struct td_bytes bytes = td_bytes_make(data.data, data.len);
	struct td_archive_limits lim;
	td_archive_limits_init(&lim);
	o->status = TD_EXIT_CLEAN;
	rc = td_archive_walk(bytes, name, &lim, on_member, o);
	int status = o->status;
	if (rc == TD_E_FORMAT)
		status = events_in(o, name, bytes);
	else if (rc == TD_E_NOMEM) {
		fprintf(stderr, "tlsdiag: %s: out of memory\n", name);
		status = TD_EXIT_TROUBLE;
	}
	uint64_t size;
	if (!is_stdin && td_input_cut(&data, &size)) {
		fprintf(stderr,
			"tlsdiag: %s: the file shrank to %llu bytes while it was read (it was %zu); "
			"what came before offset 0x%llx was read\n",
			name, (unsigned long long)size, data.map_len, (unsigned long long)size);
		status = TD_EXIT_TROUBLE;
	}
	td_input_release(&data);
	return status;
}

int td_cmd_events(int argc, char **argv, const char *format, bool quiet, FILE *out)
{
	struct events_out o = { .f = out, .format = EV_NDJSON, .quiet = quiet };
	if (format && strcmp(format, "ndjson") == 0)
		o.format = EV_NDJSON;
	else if (format && strcmp(format, "xml") == 0)
		o.format = EV_XML;
	else if (format && strcmp(format, "text") == 0)
		o.format = EV_TEXT;
	else if (format) {
		fprintf(stderr, "tlsdiag: events: unknown format '%s' (use ndjson, xml or text)\n",
			format);
		return TD_EXIT_TROUBLE;
	}
	if (argc < 1) {
		fprintf(stderr, "tlsdiag: events: no input given\n");
		return TD_EXIT_TROUBLE;
	}
	td_json_init(&o.j, out, false);
	int status = TD_EXIT_CLEAN;
	if (o.format == EV_XML)
		fputs("<Events>\n", out);
	for (int i = 0; i < argc; i++)
		if (events_of(&o, argv[i]) != TD_EXIT_CLEAN)
			status = TD_EXIT_TROUBLE;
	if (o.format == EV_XML)
		fputs("</Events>\n", out);
	if (fflush(out) || ferror(out)) {
		fprintf(stderr, "tlsdiag: events: cannot write the output: %s\n", strerror(errno));
		return TD_EXIT_TROUBLE;
	}
	return status;
}
