/* EVTX parse throughput: one thread, then one thread per core (chunks are
 * independent, so each thread reads its own range of chunk slots).  Prints
 * records, MB, seconds, records/s and MB/s per run; best of 3.
 *
 * usage: td_evtx_bench FILE.evtx [THREADS]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evtx.h"
#include "input.h"

struct job {
	struct td_bytes file;
	const struct td_evtx_header *hdr;
	size_t first, count;
	uint64_t records;
	uint64_t bytes; /* message + field bytes seen, so nothing is optimised away */
	int rc;
};

static int count(const struct td_event *ev, void *user)
{
	struct job *j = user;
	j->records++;
	j->bytes += ev->message.len + ev->nfields;
	return 0;
}

static void *run(void *arg)
{
	struct job *j = arg;
	struct td_diag diag;
	td_diag_init(&diag, 10);
	struct td_parse_ctx ctx = { .cb = count, .user = j, .diag = &diag,
				    .path = TD_STR_LIT("bench") };
	struct td_evtx_options opt = { .xml = false, .recover = true };
	j->rc = td_evtx_parse_chunks(j->file, j->hdr, j->first, j->count, &ctx, &opt, NULL);
	td_diag_release(&diag);
	return NULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double parse(struct td_bytes file, const struct td_evtx_header *h, int threads,
		    uint64_t *records)
{
	size_t slots = td_evtx_chunk_slots(file);
	struct job jobs[256];
	pthread_t tid[256];
	size_t per = (slots + (size_t)threads - 1) / (size_t)threads;
	double t0 = now();
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){ file, h, (size_t)i * per, per, 0, 0, 0 };
		pthread_create(&tid[i], NULL, run, &jobs[i]);
	}
	*records = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		*records += jobs[i].records;
	}
	return now() - t0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: td_evtx_bench FILE.evtx [THREADS]\n");
		return 2;
	}
	int threads = argc > 2 ? atoi(argv[2]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1 || threads > 256)
		threads = 1;
	struct td_input in;
	struct td_err err = { 0 };
	if (td_input_open_file(&in, argv[1], &err)) {
		fprintf(stderr, "td_evtx_bench: %s: %s\n", argv[1], err.msg);
		return 2;
	}
	struct td_bytes file = td_bytes_make(in.data, in.len);
	struct td_evtx_header h;
	if (td_evtx_read_header(file, &h) != TD_OK) {
		fprintf(stderr, "td_evtx_bench: %s: not an EVTX file\n", argv[1]);
		return 2;
	}
	double mb = (double)in.len / 1048576.0;
	int counts[2] = { 1, threads };
	for (int k = 0; k < (threads > 1 ? 2 : 1); k++) {
		double best = 1e30;
		uint64_t records = 0;
		for (int rep = 0; rep < 3; rep++) {
			double t = parse(file, &h, counts[k], &records);
			if (t < best)
				best = t;
		}
		printf("tlsdiag evtx, %2d thread%s %9llu records %8.1f MB %7.3f s %10.0f rec/s "
		       "%8.1f MB/s\n",
		       counts[k], counts[k] == 1 ? " " : "s", (unsigned long long)records, mb, best,
		       (double)records / best, mb / best);
	}
	td_input_release(&in);
	return 0;
}
