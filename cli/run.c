/* The diagnosis pipeline over inputs (see run.h). */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "input.h"
#include "jobs.h"
#include "parser.h"
#include "progress.h"

int td_run_init(struct td_run *r, const struct td_sigdb *db, size_t max_evidence,
		struct td_err *err)
{
	memset(r, 0, sizeof(*r));
	r->db = db;
	r->fail_on = TD_SEV_WARNING;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	r->workers = cpus > 1 ? (unsigned)(cpus < TD_JOBS_MAX ? cpus : TD_JOBS_MAX) : 1;
	r->max_evidence = max_evidence;
	r->max_stream = TD_MAX_STDIN;
	int rc = td_matcher_new(db, &r->matcher, err);
	if (rc)
		return rc;
	td_archive_limits_init(&r->limits);
	r->pool = td_bufpool_new(TD_RUN_MEMBER_BYTES);
	r->diag = td_diagnoser_new(db, max_evidence);
	if (!r->diag || !r->pool) {
		td_diagnoser_free(r->diag);
		td_bufpool_free(r->pool);
		td_matcher_free(r->matcher);
		return td_err_set(err, TD_E_NOMEM, "out of memory");
	}
	return TD_OK;
}

int td_run_want_timeline(struct td_run *r, size_t max)
{
	r->timeline_max = max;
	if (!r->timeline)
		r->timeline = td_timeline_new(max);
	return r->timeline ? TD_OK : TD_E_NOMEM;
}

static struct td_input_report *new_input(struct td_run *r, const char *path)
{
	if (td_grow(&r->inputs, &r->cap, r->ninputs, sizeof(*r->inputs)))
		return NULL;
	struct td_input_report *in = &r->inputs[r->ninputs];
	memset(in, 0, sizeof(*in));
	in->path = strdup(path);
	if (!in->path)
		return NULL;
	td_diag_init(&in->diag, 100);
	r->ninputs++;
	return in;
}

static void set_error(struct td_input_report *in, const char *msg)
{
	free(in->error);
	in->error = strdup(msg);
	in->unreadable = true;
}

/* Parses data (taken) as input number `input`, on a worker. */
static int submit(struct td_run *r, size_t input, struct td_input *data, struct td_diag *msgs,
		  bool member, bool note_after)
{
	if (!r->jobs) {
		struct td_err err = { 0 };
		r->jobs = td_jobs_new(r, r->workers, &err);
		if (!r->jobs) {
			td_input_release(data);
			td_diag_release(msgs);
			return err.code ? err.code : TD_E_NOMEM;
		}
	}
	r->inputs[input].bytes = data->len;
	if (!data->len)
		td_diag_add(msgs, TD_DIAG_NOTE, TD_DIAG_NO_OFFSET, TD_DIAG_NO_LINE,
			    "empty; nothing to read");
	int rc = td_jobs_submit(r->jobs, input, data, msgs, member, note_after);
	if (rc)
		r->failed = rc;
	return rc;
}

/* A file named like an archive that holds none is read as a file: says so. */
void td_run_note_not_archive(const char *path, struct td_diag *diag)
{
	if (td_archive_named(path))
		td_diag_add(diag, TD_DIAG_NOTE, TD_DIAG_NO_OFFSET, TD_DIAG_NO_LINE,
			    "named like an archive but not one tlsdiag reads; read as a file");
}

void td_run_note_cut(struct td_input_report *in, uint64_t size, size_t was)
{
	char msg[300];
	snprintf(msg, sizeof(msg),
		 "the file shrank to %llu bytes while it was read (it was %zu); "
		 "what came before offset 0x%llx was read",
		 (unsigned long long)size, was, (unsigned long long)size);
	set_error(in, msg);
}

/* An archive being read: the run, and the archive's own bytes. */
struct bundle {
	struct td_run *r;
	struct td_input *data;
	uint64_t consumed; /* of data, counted by the progress line */
};

/* A member of an archive, or a problem with one, becomes an input. */
static int on_member(const struct td_archive_member *m, void *user)
{
	struct bundle *b = user;
	struct td_run *r = b->r;
	/* Memory stays bounded by the members, not by a mapped archive. */
	td_input_drop(b->data, m->consumed < SIZE_MAX ? (size_t)m->consumed : SIZE_MAX);
	td_progress_set_file(m->path);
	if (m->consumed > b->consumed) {
		td_progress_advance(m->consumed - b->consumed);
		b->consumed = m->consumed;
	}
	struct td_input_report *in = new_input(r, m->path);
	if (!in) {
		r->failed = TD_E_NOMEM;
		return 1;
	}
	if (m->error)
		set_error(in, m->error);
	if (!td_archive_member_has_data(m)) {
		if (m->note)
			td_diag_add(&in->diag, TD_DIAG_NOTE, TD_DIAG_NO_OFFSET, TD_DIAG_NO_LINE,
				    "%s", m->note);
		return 0;
	}
	/* Also what was read of a damaged member.  The worker gives the buffer
	 * back to the pool once it is parsed. */
	struct td_input mem;
	td_input_from_memory(&mem, NULL, 0);
	mem.owned = td_archive_member_keep(m, &mem.owned_cap);
	if (!mem.owned) {
		r->failed = TD_E_NOMEM;
		return 1;
	}
	mem.pool = r->pool;
	mem.data = mem.owned;
	mem.len = m->data.len;
	struct td_diag msgs;
	td_diag_init(&msgs, 100);
	return submit(r, (size_t)(in - r->inputs), &mem, &msgs, true, !m->error) != TD_OK;
}

/* The bytes of a file or of standard input (taken): an archive's members,
 * or the input itself. */
static int run_bytes(struct td_run *r, const char *path, struct td_input *data)
{
	struct bundle b = { r, data, 0 };
	struct td_archive_limits lim = r->limits;
	lim.pool = r->pool;
	int rc = td_archive_walk(td_bytes_make(data->data, data->len), path, &lim, on_member, &b);
	if (rc != TD_E_FORMAT && b.consumed < data->len)
		td_progress_advance(data->len - b.consumed); /* the archive's tail */
	if (rc != TD_E_FORMAT) {
		uint64_t size;
		if ((rc == TD_OK || rc == TD_E_STOP) && td_input_cut(data, &size)) {
			/* The archive whose members were read. */
			struct td_input_report *in = new_input(r, path);
			if (!in) {
				td_input_release(data);
				return TD_E_NOMEM;
			}
			td_run_note_cut(in, size, data->map_len);
		}
		td_input_release(data);
		if (rc == TD_E_STOP)
			return r->failed ? r->failed : TD_E_NOMEM;
		return rc;
	}
	struct td_input_report *in = new_input(r, path);
	if (!in) {
		td_input_release(data);
		return TD_E_NOMEM;
	}
	struct td_diag msgs;
	td_diag_init(&msgs, 100);
	td_run_note_not_archive(in->path, &msgs);
	return submit(r, r->ninputs - 1, data, &msgs, false, false);
}

static int run_file(struct td_run *r, const char *path)
{
	struct td_input data;
	struct td_err err = { 0 };
	if (td_input_open(&data, path, r->max_stream, &err)) {
		struct td_input_report *in = new_input(r, path);
		if (!in)
			return TD_E_NOMEM;
		set_error(in, err.msg);
		return TD_OK;
	}
	return run_bytes(r, path, &data);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(struct td_run *r, const char *path, int depth);

static int run_entry(struct td_run *r, const char *path, int depth)
{
	struct stat lst, st;
	if (lstat(path, &lst) != 0) {
		struct td_input_report *in = new_input(r, path);
		if (!in)
			return TD_E_NOMEM;
		char msg[300];
		snprintf(msg, sizeof(msg), "cannot access: %s", strerror(errno));
		set_error(in, msg);
		return TD_OK;
	}
	bool link = S_ISLNK(lst.st_mode);
	if (link && stat(path, &st) != 0) {
		struct td_input_report *in = new_input(r, path);
		if (!in)
			return TD_E_NOMEM;
		set_error(in, "broken symbolic link");
		return TD_OK;
	}
	const struct stat *s = link ? &st : &lst;
	if (S_ISDIR(s->st_mode)) {
		/* Following links to folders could loop; named folders are fine. */
		if (link && depth > 0)
			return TD_OK;
		return run_dir(r, path, depth);
	}
	if (!S_ISREG(s->st_mode) && depth > 0)
		return TD_OK; /* sockets, fifos, devices found while walking */
	return run_file(r, path);
}

static int run_dir(struct td_run *r, const char *path, int depth)
{
	if (depth >= TD_MAX_DEPTH) {
		struct td_input_report *in = new_input(r, path);
		if (!in)
			return TD_E_NOMEM;
		set_error(in, "folder nesting deeper than the limit; not read");
		return TD_OK;
	}
	DIR *d = opendir(path);
	if (!d) {
		struct td_input_report *in = new_input(r, path);
		if (!in)
			return TD_E_NOMEM;
		char msg[300];
		snprintf(msg, sizeof(msg), "cannot open folder: %s", strerror(errno));
		set_error(in, msg);
		return TD_OK;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = TD_OK;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (td_grow(&names, &cap, n, sizeof(*names))) {
			rc = TD_E_NOMEM;
			break;
		}
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		names[n] = malloc(len);
		if (!names[n]) {
			rc = TD_E_NOMEM;
			break;
		}
		bool slash = path[0] && path[strlen(path) - 1] == '/';
		snprintf(names[n], len, "%s%s%s", path, slash ? "" : "/", e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n && !rc; i++)
		rc = run_entry(r, names[i], depth + 1);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int td_run_path(struct td_run *r, const char *path)
{
	if (strcmp(path, "-") == 0) {
		struct td_input data;
		struct td_err err = { 0 };
		if (td_input_read_fd(&data, STDIN_FILENO, r->max_stream, &err)) {
			struct td_input_report *in = new_input(r, "<stdin>");
			if (!in)
				return TD_E_NOMEM;
			set_error(in, err.msg);
			return TD_OK;
		}
		return run_bytes(r, "<stdin>", &data);
	}
	return run_entry(r, path, 0);
}

int td_run_memory(struct td_run *r, const char *name, const void *data, size_t len)
{
	struct td_input mem;
	td_input_from_memory(&mem, data, len);
	int rc = run_bytes(r, name, &mem);
	/* The memory is the caller's once this returns. */
	int wrc = r->jobs ? td_jobs_wait(r->jobs) : TD_OK;
	return rc ? rc : wrc;
}

/* Signatures with no finding that no input could have shown. */
static int unchecked(struct td_run *r, struct td_run_report *rep)
{
	const struct td_sigdb *db = r->db;
	r->unchecked = calloc(db->nsigs ? db->nsigs : 1, sizeof(*r->unchecked));
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	if (!r->unchecked || !md) {
		pcre2_match_data_free(md);
		return TD_E_NOMEM;
	}
	for (size_t s = 0; s < db->nsigs; s++) {
		const struct td_signature *sig = &db->sigs[s];
		if (sig->severity == TD_SEV_INFO)
			continue;
		bool found = false;
		for (size_t f = 0; f < r->dx->nfindings && !found; f++)
			found = r->dx->findings[f].sig == sig;
		bool triggers = sig->check != TD_CHECK_NONE;
		for (size_t c = 0; c < sig->nclauses; c++)
			triggers |= sig->clauses[c].role == TD_ROLE_TRIGGER;
		bool could = false;
		for (size_t i = 0; triggers && i < r->ninputs && !could; i++)
			could = td_signature_applicable(sig, r->inputs[i].format,
							td_str_cstr(r->inputs[i].path), md);
		if (!found && !could)
			r->unchecked[rep->nunchecked++] = sig;
	}
	pcre2_match_data_free(md);
	rep->unchecked = r->unchecked;
	return TD_OK;
}

/* Finishes the timeline with each input's machine (see td_timeline_finish). */
/* Whether the diagnosis found sig (on any machine). */
static bool found(const struct td_signature *sig, void *user)
{
	return td_diagnosis_finding(user, sig, NULL) != NULL;
}

static int finish_timeline(struct td_run *r, struct td_run_report *rep)
{
	if (!r->timeline)
		return TD_OK;
	/* Context lines of failures the diagnosis did not find are noise. */
	td_timeline_drop_context(r->timeline, found, r->dx);
	const char **hosts = calloc(r->ninputs ? r->ninputs : 1, sizeof(*hosts));
	if (!hosts)
		return TD_E_NOMEM;
	for (size_t i = 0; i < r->ninputs; i++)
		hosts[i] = r->inputs[i].host;
	int rc = td_timeline_finish(r->timeline, hosts, r->ninputs);
	free(hosts);
	rep->timeline = r->timeline;
	return rc;
}

int td_run_finish(struct td_run *r, struct td_run_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	int rc = r->jobs ? td_jobs_wait(r->jobs) : TD_OK;
	if (rc)
		return rc;
	rc = td_diagnoser_finish(r->diag, &r->dx);
	if (rc)
		return rc;
	for (size_t i = 0; i < r->ninputs; i++) {
		struct td_input_report *in = &r->inputs[i];
		if (!in->dx_input || in->dx_input > r->dx->ninputs)
			continue;
		const struct td_input_info *info = &r->dx->inputs[in->dx_input - 1];
		in->first = info->first;
		in->last = info->last;
		if (info->machine && !(in->host = strdup(info->machine)))
			return TD_E_NOMEM;
	}
	rep->inputs = r->inputs;
	rep->ninputs = r->ninputs;
	rep->dx = r->dx;
	rep->db = r->db;
	rep->events = r->events;
	if (r->jobs)
		td_jobs_stats(r->jobs, &rep->stats);
	else
		rep->stats = *td_matcher_stats(r->matcher);
	for (size_t i = 0; i < r->ninputs; i++)
		rep->unreadable += r->inputs[i].unreadable;
	size_t failing = 0;
	for (int s = r->fail_on; s >= 0 && s <= TD_SEV_ERROR; s++)
		failing += r->dx->count[s];
	rep->exit_code = rep->unreadable ? 2 : failing ? 1 : 0;
	rc = finish_timeline(r, rep);
	return rc ? rc : unchecked(r, rep);
}

void td_run_release(struct td_run *r)
{
	td_jobs_free(r->jobs);
	td_bufpool_free(r->pool);
	free(r->unchecked);
	for (size_t i = 0; i < r->ninputs; i++) {
		free(r->inputs[i].path);
		free(r->inputs[i].host);
		free(r->inputs[i].error);
		td_diag_release(&r->inputs[i].diag);
	}
	free(r->inputs);
	td_diagnosis_free(r->dx);
	td_timeline_free(r->timeline);
	td_diagnoser_free(r->diag);
	td_matcher_free(r->matcher);
	memset(r, 0, sizeof(*r));
}
