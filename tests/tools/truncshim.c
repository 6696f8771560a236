/* LD_PRELOAD shim for the hostile-input tests: a file shrinks between the
 * moment tlsdiag maps it and the moment it reads it, as when another process
 * truncates a log that is being read.  After the real mmap() of a file whose
 * path ends with $TD_SHIM_TRUNCATE, the file is truncated to
 * $TD_SHIM_TRUNCATE_SIZE bytes (default 0): at once, or with
 * TD_SHIM_TRUNCATE_WHEN=read at the first madvise() (read-ahead or
 * drop hint) on the mapping past its first page, that is while the file
 * is being read.  Nothing else changes. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*madvise_fn)(void *, size_t, int);

static char target[4096]; /* the file to cut when it is read */
static char *base;        /* its mapping */
static size_t base_len;

static void cut(const char *path)
{
	const char *size = getenv("TD_SHIM_TRUNCATE_SIZE");
	if (truncate(path, size ? atoll(size) : 0) != 0)
		perror("truncshim: truncate");
}

int madvise(void *addr, size_t len, int advice)
{
	static madvise_fn real;
	if (!real)
		real = (madvise_fn)dlsym(RTLD_NEXT, "madvise");
	char *a = addr;
	if (base && a >= base + 4096 && a < base + base_len) {
		base = NULL;
		cut(target);
	}
	return real(addr, len, advice);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static mmap_fn real;
	if (!real)
		real = (mmap_fn)dlsym(RTLD_NEXT, "mmap");
	void *p = real(addr, len, prot, flags, fd, off);
	const char *want = getenv("TD_SHIM_TRUNCATE");
	if (p == MAP_FAILED || fd < 0 || !want || !*want)
		return p;
	char link[64], path[4096];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return p;
	path[n] = '\0';
	size_t wl = strlen(want), pl = (size_t)n;
	if (pl < wl || strcmp(path + pl - wl, want) != 0)
		return p;
	const char *when = getenv("TD_SHIM_TRUNCATE_WHEN");
	if (when && strcmp(when, "read") == 0) {
		memcpy(target, path, pl + 1);
		base = p;
		base_len = len;
	} else {
		cut(path);
	}
	return p;
}
