/* Unit tests for core/bufpool: reuse, the budget, waiting and its
 * exceptions. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bufpool.h"

START_TEST(bufpool_reuses_smallest_fit)
{
	struct td_bufpool *pool = td_bufpool_new(1000);
	ck_assert_ptr_nonnull(pool);
	size_t c1, c2, c3;
	void *a = td_bufpool_get(pool, 300, 0, &c1);
	void *b = td_bufpool_get(pool, 200, 0, &c2);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(c1, 300);
	ck_assert_uint_eq(c2, 200);
	ck_assert_uint_eq(td_bufpool_used(pool), 500);
	memset(a, 'a', c1);
	td_bufpool_give(pool, a, c1);
	td_bufpool_give(pool, b, c2);
	ck_assert_uint_eq(td_bufpool_used(pool), 0);
	ck_assert_uint_eq(td_bufpool_idle(pool), 500);
	/* 150 fits both; the smaller one is taken, with its size. */
	void *c = td_bufpool_get(pool, 150, 0, &c3);
	ck_assert_ptr_eq(c, b);
	ck_assert_uint_eq(c3, 200);
	ck_assert_uint_eq(td_bufpool_hits(pool), 1);
	/* 250 fits only the first one, contents as left. */
	void *d = td_bufpool_get(pool, 250, 0, &c1);
	ck_assert_ptr_eq(d, a);
	ck_assert_uint_eq(((unsigned char *)d)[299], 'a');
	ck_assert_uint_eq(td_bufpool_idle(pool), 0);
	ck_assert_uint_eq(td_bufpool_used(pool), 500);
	td_bufpool_give(pool, c, c3);
	td_bufpool_give(pool, d, c1);
	td_bufpool_free(pool);
}
END_TEST

START_TEST(bufpool_grows_largest_idle)
{
	struct td_bufpool *pool = td_bufpool_new(1000);
	size_t c1, c2, c3;
	char *a = td_bufpool_get(pool, 300, 0, &c1);
	char *b = td_bufpool_get(pool, 400, 0, &c2);
	memset(b, 'b', c2);
	td_bufpool_give(pool, a, c1);
	td_bufpool_give(pool, b, c2);
	ck_assert_uint_eq(td_bufpool_idle(pool), 700);
	/* 600 fits neither idle buffer: the larger (400) is grown to it,
	 * the other kept, since 300 + 600 is within the budget. */
	char *c = td_bufpool_get(pool, 600, 0, &c3);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c3, 600);
	ck_assert_uint_eq(c[399], 'b');
	ck_assert_uint_eq(td_bufpool_idle(pool), 300);
	ck_assert_uint_eq(td_bufpool_used(pool), 600);
	ck_assert_uint_eq(td_bufpool_hits(pool), 0);
	/* 800 more passes the budget, but the only buffer in use is the
	 * caller's own (600): served at once, from the idle 300 grown. */
	void *d = td_bufpool_get(pool, 800, 600, &c1);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(td_bufpool_idle(pool), 0);
	ck_assert_uint_eq(td_bufpool_used(pool), 1400);
	td_bufpool_give(pool, c, c3);
	td_bufpool_give(pool, d, c1);
	/* Idle and in use never pass the budget: giving back drops the
	 * smallest idle buffers. */
	ck_assert_uint_eq(td_bufpool_idle(pool), 800);
	td_bufpool_free(pool);
}
END_TEST

START_TEST(bufpool_keeps_at_most_sixteen)
{
	struct td_bufpool *pool = td_bufpool_new(1 << 20);
	void *p[20];
	size_t cap[20];
	for (int i = 0; i < 20; i++) {
		p[i] = td_bufpool_get(pool, 100 + (size_t)i, 0, &cap[i]);
		ck_assert_ptr_nonnull(p[i]);
	}
	for (int i = 0; i < 20; i++)
		td_bufpool_give(pool, p[i], cap[i]);
	/* The 16 largest stay: 104 .. 119. */
	size_t want = 0;
	for (int i = 4; i < 20; i++)
		want += 100 + (size_t)i;
	ck_assert_uint_eq(td_bufpool_idle(pool), want);
	ck_assert_uint_eq(td_bufpool_used(pool), 0);
	td_bufpool_free(pool);
}
END_TEST

START_TEST(bufpool_oversize_and_held)
{
	struct td_bufpool *pool = td_bufpool_new(1000);
	size_t c1, c2;
	/* Larger than the whole budget, nothing else in use: served, and
	 * not kept once given back. */
	void *big = td_bufpool_get(pool, 5000, 0, &c1);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_eq(c1, 5000);
	td_bufpool_give(pool, big, c1);
	ck_assert_uint_eq(td_bufpool_idle(pool), 0);
	/* The caller's own buffers never make it wait. */
	void *a = td_bufpool_get(pool, 700, 0, &c1);
	void *b = td_bufpool_get(pool, 700, 700, &c2);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(td_bufpool_used(pool), 1400);
	/* Growing is counted and does not wait. */
	b = td_bufpool_grow(pool, b, c2, 900);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(td_bufpool_used(pool), 1600);
	td_bufpool_give(pool, a, c1);
	td_bufpool_give(pool, b, 900);
	ck_assert_uint_eq(td_bufpool_used(pool), 0);
	ck_assert_uint_le(td_bufpool_idle(pool), 1000);
	td_bufpool_free(pool);
}
END_TEST

struct getter {
	struct td_bufpool *pool;
	atomic_bool got;
	void *p;
	size_t cap;
};

static void *get_on_thread(void *arg)
{
	struct getter *g = arg;
	g->p = td_bufpool_get(g->pool, 600, 0, &g->cap);
	atomic_store(&g->got, true);
	return NULL;
}

START_TEST(bufpool_waits_for_buffers_in_use)
{
	struct td_bufpool *pool = td_bufpool_new(1000);
	size_t c1;
	void *a = td_bufpool_get(pool, 600, 0, &c1);
	struct getter g = { .pool = pool };
	atomic_init(&g.got, false);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, get_on_thread, &g), 0);
	/* 600 + 600 would pass 1000: the thread waits for a to come back.
	 * (Each look gives it time to run; it must still be waiting.) */
	for (int i = 0; i < 20; i++) {
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		ck_assert(!atomic_load(&g.got));
	}
	ck_assert_uint_eq(td_bufpool_used(pool), 600);
	td_bufpool_give(pool, a, c1);
	pthread_join(t, NULL);
	ck_assert(atomic_load(&g.got));
	ck_assert_ptr_eq(g.p, a); /* the buffer that came back */
	ck_assert_uint_eq(td_bufpool_used(pool), 600);
	td_bufpool_give(pool, g.p, g.cap);
	td_bufpool_free(pool);
}
END_TEST

START_TEST(bufpool_null_is_plain_allocation)
{
	size_t cap;
	char *p = td_bufpool_get(NULL, 10, 0, &cap);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(cap, 10);
	memcpy(p, "0123456789", 10);
	p = td_bufpool_grow(NULL, p, cap, 20);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(memcmp(p, "0123456789", 10), 0);
	td_bufpool_give(NULL, p, 20);
	void *z = td_bufpool_get(NULL, 0, 0, &cap);
	ck_assert_ptr_nonnull(z);
	td_bufpool_give(NULL, z, cap);
	td_bufpool_give(NULL, NULL, 0);
	td_bufpool_free(NULL);
}
END_TEST

Suite *bufpool_suite(void)
{
	Suite *s = suite_create("bufpool");
	TCase *tc = tcase_create("bufpool");
	tcase_add_test(tc, bufpool_reuses_smallest_fit);
	tcase_add_test(tc, bufpool_grows_largest_idle);
	tcase_add_test(tc, bufpool_keeps_at_most_sixteen);
	tcase_add_test(tc, bufpool_oversize_and_held);
	tcase_add_test(tc, bufpool_waits_for_buffers_in_use);
	tcase_add_test(tc, bufpool_null_is_plain_allocation);
	suite_add_tcase(s, tc);
	return s;
}
