/* Per-record bump allocator (see arena.h). */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

struct td_arena_block {
	struct td_arena_block *next;
	size_t size, used;
	_Alignas(8) unsigned char data[];
};

#define ARENA_BLOCK_MIN 4096

void td_arena_init(struct td_arena *a, size_t max)
{
	a->head = NULL;
	a->used = 0;
	a->max = max;
}

/* The allocation of need bytes from a new block.  Kept out of line so
 * that td_arena_alloc(), called for every value of every record, stays a
 * few instructions without saving registers for malloc. */
__attribute__((noinline)) static void *alloc_new_block(struct td_arena *a, size_t need)
{
	struct td_arena_block *b = a->head;
	size_t size = need > ARENA_BLOCK_MIN ? need : ARENA_BLOCK_MIN;
	if (b && b->size * 2 > size && b->size * 2 <= a->max)
		size = b->size * 2;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	b->used = need;
	b->next = a->head;
	a->head = b;
	a->used += need;
	return b->data;
}

void *td_arena_alloc(struct td_arena *a, size_t n)
{
	size_t need = (n + 7) & ~(size_t)7;
	if (need < n || need > a->max || a->used > a->max - need)
		return NULL;
	struct td_arena_block *b = a->head;
	if (!b || b->size - b->used < need)
		return alloc_new_block(a, need);
	void *p = b->data + b->used;
	b->used += need;
	a->used += need;
	return p;
}

struct td_str td_arena_strdup(struct td_arena *a, struct td_str s)
{
	char *p = td_arena_alloc(a, s.len + 1);
	if (!p)
		return td_str_make(NULL, 0);
	if (s.len)
		memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	return td_str_make(p, s.len);
}

void td_arena_reset(struct td_arena *a)
{
	struct td_arena_block *keep = NULL, *b = a->head;
	while (b) {
		struct td_arena_block *next = b->next;
		if (!keep || b->size > keep->size) {
			free(keep);
			keep = b;
		} else {
			free(b);
		}
		b = next;
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->used = 0;
}

void td_arena_release(struct td_arena *a)
{
	td_arena_reset(a);
	free(a->head);
	a->head = NULL;
}
