/* Inputs parsed on worker threads (see jobs.h). */
#include "jobs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "progress.h"
#include "run.h"

struct job {
	size_t input; /* in the run's reports */
	char *path;   /* a copy: the reports move as they grow */
	struct td_input data;
	bool member, note_after;
	/* What the worker produced. */
	struct td_diag msgs;
	struct td_diagnoser *diag;
	struct td_timeline *timeline;
	struct td_parse_info info;
	uint64_t pos; /* progress: bytes of a file counted so far */
	bool cut;     /* the file shrank while it was read (td_input_cut) */
	uint64_t cut_size;
	size_t map_len;
	int rc;
	bool done;
	struct job *next;
};

/* One worker: its matcher, and where an event and its matches go. */
struct worker {
	struct td_jobs *js;
	struct td_matcher *matcher;
	bool own_matcher;
	pthread_t thread;
	bool started;
	struct job *job; /* being parsed */
	uint64_t seq;    /* events of the job so far */
};

struct td_jobs {
	struct td_run *r;
	struct worker *w;
	unsigned n;
	bool threads;
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job was queued, or the workers must stop */
	pthread_cond_t done; /* a job was parsed */
	struct job *head, *tail; /* submitted, not retired, in order */
	struct job *next;        /* the first not yet taken by a worker */
	size_t pending;          /* jobs not retired */
	bool stop;
	int rc; /* a job that failed (memory): the run stops */
};

static int on_match(const struct td_match *m, void *user)
{
	struct worker *w = user;
	struct job *j = w->job;
	if (td_diagnoser_match(j->diag, m) ||
	    (j->timeline && td_timeline_add(j->timeline, m, 0, w->seq))) {
		j->rc = TD_E_NOMEM;
		return 1;
	}
	return 0;
}

static int on_event(const struct td_event *ev, void *user)
{
	struct worker *w = user;
	w->seq++;
	if (td_diagnoser_event(w->job->diag, ev)) {
		w->job->rc = TD_E_NOMEM;
		return 1;
	}
	return td_matcher_event(w->matcher, ev, on_match, w) < 0;
}

/* Counts a file read up to pos on the progress line (never back). */
static void progress_to(struct job *j, uint64_t pos)
{
	if (pos > j->pos) {
		td_progress_advance(pos - j->pos);
		j->pos = pos;
	}
}

/* A file's read positions drive the progress line and free its pages. */
static void drop_hint(void *user, size_t upto)
{
	struct job *j = user;
	td_input_drop(&j->data, upto);
	progress_to(j, upto);
}

static void prefetch_hint(void *user, size_t from, size_t len)
{
	struct job *j = user;
	td_input_prefetch(&j->data, from, len);
	progress_to(j, from);
}

static void parse(struct worker *w, struct job *j)
{
	struct td_run *r = w->js->r;
	w->job = j;
	w->seq = 0;
	j->diag = td_diagnoser_new(r->db, r->max_evidence);
	if (r->timeline)
		j->timeline = td_timeline_new(r->timeline_max);
	if (!j->diag || (r->timeline && !j->timeline)) {
		j->rc = TD_E_NOMEM;
		return;
	}
	td_diagnoser_begin_input(j->diag);
	if (!j->member)
		td_progress_set_file(j->path);
	struct td_parse_ctx ctx = { .cb = on_event, .user = w, .diag = &j->msgs,
				    .path = td_str_cstr(j->path) };
	struct td_read_hints hints = { prefetch_hint, drop_hint, j };
	int rc = td_parse_input(td_bytes_make(j->data.data, j->data.len), &ctx, &j->info,
				j->member ? NULL : &hints, NULL);
	if (!j->member)
		progress_to(j, j->data.len);
	if (rc == TD_E_NOMEM && !j->rc)
		j->rc = rc;
	j->cut = td_input_cut(&j->data, &j->cut_size);
	j->map_len = j->data.map_len;
	td_input_release(&j->data);
}

static void job_free(struct job *j)
{
	free(j->path);
	td_input_release(&j->data);
	td_diag_release(&j->msgs);
	td_diagnoser_free(j->diag);
	td_timeline_free(j->timeline);
	free(j);
}

/* Moves what job j found into the run, in submission order. */
static int retire(struct td_jobs *js, struct job *j)
{
	struct td_run *r = js->r;
	struct td_input_report *in = &r->inputs[j->input];
	td_diag_release(&in->diag);
	in->diag = j->msgs;
	td_diag_init(&j->msgs, 0);
	in->format = j->info.format;
	in->encoding = j->info.encoding;
	in->events = j->info.events;
	r->events += j->info.events;
	if (j->note_after)
		td_run_note_not_archive(in->path, &in->diag);
	if (j->cut)
		td_run_note_cut(in, j->cut_size, j->map_len);
	int rc = j->rc;
	if (!rc && !td_diagnoser_absorb(r->diag, j->diag, j->input))
		rc = TD_E_NOMEM;
	if (!rc) {
		/* The diagnoser numbers inputs as the run does. */
		in->dx_input = j->input + 1;
		if (r->timeline)
			rc = td_timeline_absorb(r->timeline, j->timeline, j->input, r->seq);
	}
	r->seq += j->info.events;
	return rc;
}

/* Retires the finished jobs at the head of the queue (lock held). */
static int retire_done(struct td_jobs *js)
{
	while (js->head && js->head->done) {
		struct job *j = js->head;
		js->head = j->next;
		if (!js->head)
			js->tail = NULL;
		js->pending--;
		pthread_mutex_unlock(&js->mu);
		int rc = retire(js, j);
		job_free(j);
		pthread_mutex_lock(&js->mu);
		if (rc && !js->rc)
			js->rc = rc;
	}
	return js->rc;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct td_jobs *js = w->js;
	pthread_mutex_lock(&js->mu);
	for (;;) {
		while (!js->next && !js->stop)
			pthread_cond_wait(&js->work, &js->mu);
		if (!js->next || js->stop)
			break;
		struct job *j = js->next;
		js->next = j->next;
		pthread_mutex_unlock(&js->mu);
		parse(w, j);
		pthread_mutex_lock(&js->mu);
		j->done = true;
		pthread_cond_broadcast(&js->done);
	}
	pthread_mutex_unlock(&js->mu);
	return NULL;
}

struct td_jobs *td_jobs_new(struct td_run *r, unsigned workers, struct td_err *err)
{
	if (workers < 1)
		workers = 1;
	if (workers > TD_JOBS_MAX)
		workers = TD_JOBS_MAX;
	struct td_jobs *js = calloc(1, sizeof(*js));
	if (!js || !(js->w = calloc(workers, sizeof(*js->w)))) {
		free(js);
		td_err_set(err, TD_E_NOMEM, "out of memory");
		return NULL;
	}
	js->r = r;
	js->threads = workers > 1;
	pthread_mutex_init(&js->mu, NULL);
	pthread_cond_init(&js->work, NULL);
	pthread_cond_init(&js->done, NULL);
	for (unsigned i = 0; i < workers; i++, js->n++) {
		struct worker *w = &js->w[i];
		w->js = js;
		w->matcher = r->matcher;
		if (i > 0) {
			if (td_matcher_new(r->db, &w->matcher, err))
				goto fail;
			w->own_matcher = true;
		}
	}
	for (unsigned i = 0; js->threads && i < js->n; i++) {
		if (pthread_create(&js->w[i].thread, NULL, work, &js->w[i])) {
			td_err_set(err, TD_E_IO, "cannot start a worker thread");
			goto fail;
		}
		js->w[i].started = true;
	}
	return js;
fail:
	td_jobs_free(js);
	return NULL;
}

int td_jobs_submit(struct td_jobs *js, size_t input, struct td_input *data, struct td_diag *msgs,
		   bool member, bool note_after)
{
	struct job *j = calloc(1, sizeof(*j));
	if (!j || !(j->path = strdup(js->r->inputs[input].path))) {
		free(j);
		td_input_release(data);
		return TD_E_NOMEM;
	}
	j->input = input;
	j->data = *data;
	td_input_from_memory(data, NULL, 0); /* the job owns it now */
	j->msgs = *msgs;
	td_diag_init(msgs, 0);
	j->member = member;
	j->note_after = note_after;
	if (!js->threads) {
		parse(&js->w[0], j);
		int rc = retire(js, j);
		job_free(j);
		return rc;
	}
	pthread_mutex_lock(&js->mu);
	/* Memory stays bounded by the jobs in flight.  Jobs may have finished
	 * since the last look: retire them before waiting for more. */
	retire_done(js);
	while (!js->rc && js->pending >= 4 * (size_t)js->n) {
		pthread_cond_wait(&js->done, &js->mu);
		retire_done(js);
	}
	if (js->tail)
		js->tail->next = j;
	else
		js->head = j;
	js->tail = j;
	if (!js->next)
		js->next = j;
	js->pending++;
	pthread_cond_signal(&js->work);
	int rc = retire_done(js);
	pthread_mutex_unlock(&js->mu);
	return rc;
}

int td_jobs_wait(struct td_jobs *js)
{
	if (!js->threads)
		return js->rc;
	pthread_mutex_lock(&js->mu);
	retire_done(js);
	while (js->head) {
		pthread_cond_wait(&js->done, &js->mu);
		retire_done(js);
	}
	int rc = js->rc;
	pthread_mutex_unlock(&js->mu);
	return rc;
}

void td_jobs_stats(const struct td_jobs *js, struct td_match_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned i = 0; i < js->n; i++) {
		const struct td_match_stats *s = td_matcher_stats(js->w[i].matcher);
		sum->events += s->events;
		sum->prefiltered += s->prefiltered;
		sum->regex_runs += s->regex_runs;
		sum->limit_hits += s->limit_hits;
		sum->matches += s->matches;
	}
}

void td_jobs_free(struct td_jobs *js)
{
	if (!js)
		return;
	pthread_mutex_lock(&js->mu);
	js->stop = true;
	pthread_cond_broadcast(&js->work);
	pthread_mutex_unlock(&js->mu);
	for (unsigned i = 0; i < js->n; i++) {
		if (js->w[i].started)
			pthread_join(js->w[i].thread, NULL);
		if (js->w[i].own_matcher)
			td_matcher_free(js->w[i].matcher);
	}
	while (js->head) {
		struct job *j = js->head;
		js->head = j->next;
		job_free(j);
	}
	pthread_cond_destroy(&js->done);
	pthread_cond_destroy(&js->work);
	pthread_mutex_destroy(&js->mu);
	free(js->w);
	free(js);
}
