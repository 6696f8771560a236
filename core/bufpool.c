/* Large buffers under one memory budget, shared by threads (bufpool.h). */
#include "bufpool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Idle buffers kept at most, whatever their size. */
#define SLOTS 16
/* Buffers this large go to transparent huge pages where the kernel offers
 * them: a fault per 2 MiB instead of per 4 KiB. */
#define HUGE_FROM ((size_t)4 << 20)

struct slot {
	void *p;
	size_t cap;
};

struct td_bufpool {
	pthread_mutex_t mu;
	pthread_cond_t back; /* a buffer came back */
	struct slot idle[SLOTS];
	size_t nidle;
	size_t idle_bytes;
	size_t used; /* bytes in buffers handed out */
	size_t budget;
	size_t hits;
};

static void *big_alloc(size_t n)
{
#ifdef MADV_HUGEPAGE
	if (n >= HUGE_FROM) {
		void *p;
		if (posix_memalign(&p, HUGE_FROM / 2, n))
			return NULL;
		madvise(p, n, MADV_HUGEPAGE);
		return p;
	}
#endif
	return malloc(n ? n : 1);
}

struct td_bufpool *td_bufpool_new(size_t budget)
{
	struct td_bufpool *pool = calloc(1, sizeof(*pool));
	if (!pool)
		return NULL;
	if (pthread_mutex_init(&pool->mu, NULL)) {
		free(pool);
		return NULL;
	}
	if (pthread_cond_init(&pool->back, NULL)) {
		pthread_mutex_destroy(&pool->mu);
		free(pool);
		return NULL;
	}
	pool->budget = budget;
	return pool;
}

void td_bufpool_free(struct td_bufpool *pool)
{
	if (!pool)
		return;
	for (size_t i = 0; i < pool->nidle; i++)
		free(pool->idle[i].p);
	pthread_cond_destroy(&pool->back);
	pthread_mutex_destroy(&pool->mu);
	free(pool);
}

/* Takes idle slot i out (lock held). */
static struct slot take_idle(struct td_bufpool *pool, size_t i)
{
	struct slot s = pool->idle[i];
	pool->idle[i] = pool->idle[--pool->nidle];
	pool->idle_bytes -= s.cap;
	return s;
}

/* The smallest idle buffer of at least n bytes, or SLOTS (lock held). */
static size_t best_fit(const struct td_bufpool *pool, size_t n)
{
	size_t best = SLOTS;
	for (size_t i = 0; i < pool->nidle; i++)
		if (pool->idle[i].cap >= n &&
		    (best == SLOTS || pool->idle[i].cap < pool->idle[best].cap))
			best = i;
	return best;
}

/* The smallest idle buffer (some idle, lock held). */
static size_t smallest(const struct td_bufpool *pool)
{
	size_t min = 0;
	for (size_t i = 1; i < pool->nidle; i++)
		if (pool->idle[i].cap < pool->idle[min].cap)
			min = i;
	return min;
}

static void free_all(void **p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

/* The largest idle buffer, or SLOTS when none is idle (lock held). */
static size_t largest(const struct td_bufpool *pool)
{
	size_t max = SLOTS;
	for (size_t i = 0; i < pool->nidle; i++)
		if (max == SLOTS || pool->idle[i].cap > pool->idle[max].cap)
			max = i;
	return max;
}

void *td_bufpool_get(struct td_bufpool *pool, size_t n, size_t held, size_t *cap)
{
	if (!n)
		n = 1;
	if (!pool) {
		*cap = n;
		return big_alloc(n);
	}
	/* Idle buffers freed to make room, once the lock is released (one
	 * look frees fewer than SLOTS). */
	void *drop[SLOTS];
	size_t ndrop = 0;
	pthread_mutex_lock(&pool->mu);
	struct slot grow = { NULL, 0 };
	for (;;) {
		size_t i = best_fit(pool, n);
		if (i != SLOTS) {
			struct slot s = take_idle(pool, i);
			pool->used += s.cap;
			pool->hits++;
			pthread_mutex_unlock(&pool->mu);
			free_all(drop, ndrop);
			*cap = s.cap;
			return s.p;
		}
		/* None fits: the largest idle one is grown (its pages are
		 * there already); the others are freed as far as needed to
		 * stay within the budget, the smallest first. */
		while (pool->nidle > 1) {
			size_t others = pool->idle_bytes - pool->idle[largest(pool)].cap;
			if (pool->used + others + n <= pool->budget)
				break;
			drop[ndrop++] = take_idle(pool, smallest(pool)).p;
		}
		/* Others' buffers come back as they are parsed; the caller's own
		 * never do while it waits here. */
		if (pool->used + n <= pool->budget || pool->used <= held)
			break;
		if (ndrop) {
			/* Free them before waiting (then look again). */
			pthread_mutex_unlock(&pool->mu);
			free_all(drop, ndrop);
			ndrop = 0;
			pthread_mutex_lock(&pool->mu);
			continue;
		}
		pthread_cond_wait(&pool->back, &pool->mu);
	}
	if (pool->nidle)
		grow = take_idle(pool, largest(pool));
	pool->used += n; /* counted before the lock goes: others see it */
	pthread_mutex_unlock(&pool->mu);
	free_all(drop, ndrop);
	void *p = grow.p ? realloc(grow.p, n) : big_alloc(n);
	if (!p) {
		free(grow.p);
		pthread_mutex_lock(&pool->mu);
		pool->used -= n;
		pthread_cond_broadcast(&pool->back);
		pthread_mutex_unlock(&pool->mu);
		return NULL;
	}
	*cap = n;
	return p;
}

void *td_bufpool_grow(struct td_bufpool *pool, void *p, size_t cap, size_t n)
{
	if (n <= cap)
		return p;
	void *np = realloc(p, n);
	if (np && pool) {
		pthread_mutex_lock(&pool->mu);
		pool->used += n - cap;
		pthread_mutex_unlock(&pool->mu);
	}
	return np;
}

void td_bufpool_give(struct td_bufpool *pool, void *p, size_t cap)
{
	if (!p)
		return;
	if (!pool) {
		free(p);
		return;
	}
	/* What passes the budget goes, the smallest first (p itself when it
	 * is the smallest); freed outside the lock. */
	void *drop[SLOTS + 1];
	size_t ndrop = 0;
	pthread_mutex_lock(&pool->mu);
	pool->used -= cap < pool->used ? cap : pool->used;
	if (pool->nidle == SLOTS)
		drop[ndrop++] = take_idle(pool, smallest(pool)).p;
	pool->idle[pool->nidle++] = (struct slot){ p, cap };
	pool->idle_bytes += cap;
	while (pool->nidle && pool->used + pool->idle_bytes > pool->budget)
		drop[ndrop++] = take_idle(pool, smallest(pool)).p;
	pthread_cond_broadcast(&pool->back);
	pthread_mutex_unlock(&pool->mu);
	free_all(drop, ndrop);
}

size_t td_bufpool_used(struct td_bufpool *pool)
{
	pthread_mutex_lock(&pool->mu);
	size_t n = pool->used;
	pthread_mutex_unlock(&pool->mu);
	return n;
}

size_t td_bufpool_idle(struct td_bufpool *pool)
{
	pthread_mutex_lock(&pool->mu);
	size_t n = pool->idle_bytes;
	pthread_mutex_unlock(&pool->mu);
	return n;
}

size_t td_bufpool_hits(struct td_bufpool *pool)
{
	pthread_mutex_lock(&pool->mu);
	size_t n = pool->hits;
	pthread_mutex_unlock(&pool->mu);
	return n;
}
