/* Memory-mapped and read-once inputs (see input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A FIFO opened without blocking: waits until a writer writes or goes. */
static int wait_writer(int fd, const char *path, struct td_err *err)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;
	do
		n = poll(&p, 1, TD_FIFO_WAIT_MS);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return td_err_set(err, TD_E_IO, "FIFO with no writer: nothing to read in %d s",
				  TD_FIFO_WAIT_MS / 1000);
	int fl = fcntl(fd, F_GETFL);
	if (n < 0 || fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		return td_err_set(err, TD_E_IO, "cannot read FIFO '%s': %s", path, strerror(errno));
	return TD_OK;
}

int td_input_open_file(struct td_input *in, const char *path, struct td_err *err)
{
	memset(in, 0, sizeof(*in));
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return td_err_set(err, TD_E_IO, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return td_err_set(err, TD_E_IO, "cannot stat '%s': %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		/* Pipes and character devices: read them like stdin. */
		int rc = S_ISFIFO(st.st_mode) ? wait_writer(fd, path, err) : TD_OK;
		if (rc == TD_OK && !S_ISFIFO(st.st_mode)) {
			int fl = fcntl(fd, F_GETFL);
			if (fl >= 0)
				fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		}
		if (rc == TD_OK)
			rc = td_input_read_fd(in, fd, TD_MAX_STREAM, err);
		close(fd);
		return rc;
	}
	if (st.st_size == 0) {
		close(fd);
		in->data = (const uint8_t *)"";
		return TD_OK;
	}
	if ((uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return td_err_set(err, TD_E_LIMIT, "'%s' is too large to map", path);
	}
	size_t len = (size_t)st.st_size;
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	int e = errno;
	close(fd);
	if (map == MAP_FAILED)
		return td_err_set(err, TD_E_IO, "cannot map '%s': %s", path, strerror(e));
	madvise(map, len, MADV_SEQUENTIAL);
	in->map = map;
	in->map_len = len;
	in->data = map;
	in->len = len;
	return TD_OK;
}

int td_input_read_fd(struct td_input *in, int fd, size_t max, struct td_err *err)
{
	memset(in, 0, sizeof(*in));
	size_t cap = 65536, len = 0;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return td_err_set(err, TD_E_NOMEM, "out of memory reading input");
	for (;;) {
		if (len == cap) {
			if (cap >= max) {
				free(buf);
				return td_err_set(err, TD_E_LIMIT, "input larger than %zu bytes", max);
			}
			size_t ncap = cap * 2 > max ? max : cap * 2;
			uint8_t *nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				return td_err_set(err, TD_E_NOMEM, "out of memory reading input");
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return td_err_set(err, TD_E_IO, "read failed: %s", strerror(e));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	in->owned = buf;
	in->data = buf;
	in->len = len;
	return TD_OK;
}

void td_input_from_memory(struct td_input *in, const void *p, size_t len)
{
	memset(in, 0, sizeof(*in));
	in->data = p;
	in->len = len;
}

void td_input_prefetch(struct td_input *in, size_t from, size_t len)
{
	if (!in->map || from >= in->map_len)
		return;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t start = from / page * page;
	if (len > in->map_len - from)
		len = in->map_len - from;
	size_t end = from + len;
#ifdef MADV_POPULATE_READ
	/* One call maps the window's pages instead of a page fault per page;
	 * older kernels refuse it and the faults happen as before. */
	if (madvise((char *)in->map + start, end - start, MADV_POPULATE_READ) == 0)
		return;
#endif
	madvise((char *)in->map + start, end - start, MADV_WILLNEED);
}

void td_input_drop(struct td_input *in, size_t upto)
{
	if (!in->map)
		return;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t end = upto / page * page;
	if (end > in->map_len)
		end = in->map_len / page * page;
	if (end <= in->dropped)
		return;
	madvise((char *)in->map + in->dropped, end - in->dropped, MADV_DONTNEED);
	in->dropped = end;
}

void td_input_release(struct td_input *in)
{
	if (in->map)
		munmap(in->map, in->map_len);
	free(in->owned);
	memset(in, 0, sizeof(*in));
}
