/* Whole inputs in memory without copying them: files are memory-mapped,
 * standard input is read once, and archive members (bundle/) are handed over
 * as buffers.  A parser only ever sees data/len.
 */
#ifndef TD_INPUT_H
#define TD_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct td_bufpool;

/* Largest input read from a pipe, FIFO or device (standard input too):
 * those are read into memory whole. */
#define TD_MAX_STREAM ((size_t)1 << 32)
/* How long a FIFO named as an input may go without a writer before it is
 * reported as unreadable (a FIFO nobody writes to would block forever). */
#define TD_FIFO_WAIT_MS 5000

struct td_input {
	const uint8_t *data;
	size_t len;
	void *map;      /* mmap'ed region, or NULL */
	size_t map_len;
	uint8_t *owned; /* malloc'ed copy, or NULL */
	/* With a pool, owned (owned_cap bytes) goes back there on release. */
	struct td_bufpool *pool;
	size_t owned_cap;
	size_t dropped; /* bytes at the front already given back to the OS */
	int fd;         /* the mapped file, kept open to learn its size if it shrinks */
	int slot;       /* the mapping's entry in the SIGBUS guard, or -1 */
	bool shrunk;    /* the file was cut between fstat and mmap: len is what is left */
};

/* Maps the regular file at path read-only.  An empty file gives len 0.
 * Pipes, FIFOs and devices are read into memory (at most TD_MAX_STREAM
 * bytes); a FIFO with no writer for TD_FIFO_WAIT_MS is an error.
 *
 * A mapped file that shrinks while it is read would kill the process with
 * SIGBUS; instead, the pages past its new end read as zeros and
 * td_input_cut() tells so afterwards. */
int td_input_open_file(struct td_input *in, const char *path, struct td_err *err) TD_WUR;
/* The same, reading at most stream_max bytes of a pipe, FIFO or device. */
int td_input_open(struct td_input *in, const char *path, size_t stream_max,
		  struct td_err *err) TD_WUR;
/* Whether the mapped file shrank while it was read: then *size is its size
 * now (what was read of it before that offset is good). */
bool td_input_cut(const struct td_input *in, uint64_t *size);
/* Reads fd to its end into memory (at most max bytes, else TD_E_LIMIT). */
int td_input_read_fd(struct td_input *in, int fd, size_t max, struct td_err *err) TD_WUR;
/* Borrows p[0..len) (caller keeps ownership and lifetime). */
void td_input_from_memory(struct td_input *in, const void *p, size_t len);
/* Tells the OS that bytes [from, from + len) are about to be read. */
void td_input_prefetch(struct td_input *in, size_t from, size_t len);
/* Tells the OS that bytes [0, upto) will not be read again, so a long
 * sequential scan keeps a bounded resident set. */
void td_input_drop(struct td_input *in, size_t upto);
void td_input_release(struct td_input *in);

#endif
