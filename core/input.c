/* Memory-mapped and read-once inputs (see input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bufpool.h"

/* The SIGBUS guard.  Reading a page of a mapped file past its end raises
 * SIGBUS: a file truncated by another process while we read it would kill
 * the run.  Each mapping takes a slot here; the handler maps zero pages over
 * the rest of a mapping that faulted and notes where, so parsing goes on over
 * zeros and the input is reported as cut (td_input_cut).  A fault outside
 * every slot goes to the handler that was installed before ours. */
#define GUARD_SLOTS 64

struct guard_slot {
	_Atomic uintptr_t start; /* 0: free */
	_Atomic size_t len;
	_Atomic size_t cut; /* offset of the first page that faulted, or SIZE_MAX */
};

static struct guard_slot guard[GUARD_SLOTS];
static struct sigaction guard_prev;
static atomic_flag guard_installed = ATOMIC_FLAG_INIT;
static uintptr_t guard_page;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	uintptr_t page = guard_page;
	for (int i = 0; i < GUARD_SLOTS; i++) {
		uintptr_t start = atomic_load(&guard[i].start);
		size_t len = atomic_load(&guard[i].len);
		if (!start || a < start || a - start >= len)
			continue;
		uintptr_t from = a / page * page;
		uintptr_t end = (start + len + page - 1) / page * page;
		if (mmap((void *)from, end - from, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0) == MAP_FAILED)
			break;
		size_t off = from - start;
		size_t cut = atomic_load(&guard[i].cut);
		while (off < cut && !atomic_compare_exchange_weak(&guard[i].cut, &cut, off))
			;
		return;
	}
	if (guard_prev.sa_flags & SA_SIGINFO) {
		guard_prev.sa_sigaction(sig, si, ctx);
		return;
	}
	if (guard_prev.sa_handler != SIG_DFL && guard_prev.sa_handler != SIG_IGN) {
		guard_prev.sa_handler(sig);
		return;
	}
	/* Not ours: the default action when the access faults again. */
	signal(SIGBUS, SIG_DFL);
}

static int guard_add(void *map, size_t len)
{
	if (!atomic_flag_test_and_set(&guard_installed)) {
		guard_page = (uintptr_t)sysconf(_SC_PAGESIZE);
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, &guard_prev);
	}
	for (int i = 0; i < GUARD_SLOTS; i++) {
		uintptr_t free_slot = 0;
		/* A free slot has len 0, so it matches no address until filled. */
		if (atomic_compare_exchange_strong(&guard[i].start, &free_slot, (uintptr_t)map)) {
			atomic_store(&guard[i].cut, SIZE_MAX);
			atomic_store(&guard[i].len, len);
			return i;
		}
	}
	return -1; /* more mappings than slots: unguarded, as before */
}

static void reset(struct td_input *in)
{
	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->slot = -1;
}

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
	return td_input_open(in, path, TD_MAX_STREAM, err);
}

int td_input_open(struct td_input *in, const char *path, size_t stream_max, struct td_err *err)
{
	reset(in);
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
			rc = td_input_read_fd(in, fd, stream_max, err);
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
	if (map == MAP_FAILED) {
		int e = errno;
		close(fd);
		return td_err_set(err, TD_E_IO, "cannot map '%s': %s", path, strerror(e));
	}
	madvise(map, len, MADV_SEQUENTIAL);
	in->map = map;
	in->map_len = len;
	in->data = map;
	in->len = len;
	in->fd = fd;
	in->slot = guard_add(map, len);
	/* Cut since fstat: read only what is left. */
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size < len) {
		in->len = (size_t)st.st_size;
		in->shrunk = true;
	}
	return TD_OK;
}

bool td_input_cut(const struct td_input *in, uint64_t *size)
{
	uint64_t cut = in->slot >= 0 ? atomic_load(&guard[in->slot].cut) : SIZE_MAX;
	if (in->shrunk && in->len < cut)
		cut = in->len;
	if (cut == SIZE_MAX)
		return false;
	struct stat st;
	*size = fstat(in->fd, &st) == 0 && (uint64_t)st.st_size < cut ? (uint64_t)st.st_size : cut;
	return true;
}

int td_input_read_fd(struct td_input *in, int fd, size_t max, struct td_err *err)
{
	reset(in);
	size_t cap = max < 65536 ? (max ? max : 1) : 65536, len = 0;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return td_err_set(err, TD_E_NOMEM, "out of memory reading input");
	for (;;) {
		if (len == cap) {
			uint8_t more;
			ssize_t m;
			while (cap >= max && (m = read(fd, &more, 1)) < 0 && errno == EINTR)
				;
			if (cap >= max && m == 0)
				break; /* exactly max bytes */
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
	reset(in);
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
	if (in->slot >= 0) {
		atomic_store(&guard[in->slot].len, 0);
		atomic_store(&guard[in->slot].start, 0);
	}
	if (in->map)
		munmap(in->map, in->map_len);
	if (in->fd >= 0)
		close(in->fd);
	if (in->pool)
		td_bufpool_give(in->pool, in->owned, in->owned_cap);
	else
		free(in->owned);
	reset(in);
}
