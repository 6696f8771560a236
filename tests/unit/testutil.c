/* Test helpers (see testutil.h). */
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dupstr(struct td_str s)
{
	char *p = malloc(s.len + 1);
	ck_assert_ptr_nonnull(p);
	if (s.len)
		memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	return p;
}

static int collect(const struct td_event *e, void *user)
{
	struct td_test_events *t = user;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->ev = realloc(t->ev, t->cap * sizeof(*t->ev));
		ck_assert_ptr_nonnull(t->ev);
	}
	struct td_test_event *c = &t->ev[t->n++];
	memset(c, 0, sizeof(*c));
	c->format = e->format;
	c->line = e->line;
	c->line_end = e->line_end;
	c->record = e->record;
	c->offset = e->offset;
	c->ticks = e->time.ticks;
	c->zone = e->time.zone;
	c->digits = e->time.digits;
	c->time_text = dupstr(e->time.text);
	c->level = e->level;
	c->has_event_id = e->has_event_id;
	c->event_id = e->event_id;
	c->host = dupstr(e->host);
	c->provider = dupstr(e->provider);
	c->channel = dupstr(e->channel);
	c->message = dupstr(e->message);
	c->nfields = e->nfields;
	c->fields = calloc(e->nfields + 1, sizeof(*c->fields));
	for (size_t i = 0; i < e->nfields; i++) {
		c->fields[i].name = dupstr(e->fields[i].name);
		c->fields[i].value = dupstr(e->fields[i].value);
	}
	return 0;
}

void td_test_parse(const struct td_text_parser *p, const void *data, size_t len,
		   struct td_test_events *out)
{
	memset(out, 0, sizeof(*out));
	td_diag_init(&out->diag, 1000);
	out->rc = td_parse_memory(p, data, len, collect, out, &out->diag, &out->info);
}

void td_test_events_release(struct td_test_events *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct td_test_event *c = &t->ev[i];
		free(c->time_text);
		free(c->host);
		free(c->provider);
		free(c->channel);
		free(c->message);
		for (size_t k = 0; k < c->nfields; k++) {
			free(c->fields[k].name);
			free(c->fields[k].value);
		}
		free(c->fields);
	}
	free(t->ev);
	td_diag_release(&t->diag);
	memset(t, 0, sizeof(*t));
}

const char *td_test_field(const struct td_test_event *ev, const char *name)
{
	for (size_t i = 0; i < ev->nfields; i++)
		if (strcmp(ev->fields[i].name, name) == 0)
			return ev->fields[i].value;
	return NULL;
}

struct trunc_check {
	size_t len, max_events, n;
	uint64_t last_line;
};

static int check_invariants(const struct td_event *e, void *user)
{
	struct trunc_check *tc = user;
	tc->n++;
	ck_assert_uint_le(tc->n, tc->max_events);
	ck_assert_uint_lt(e->offset, tc->len == 0 ? 1 : tc->len);
	ck_assert_uint_le(e->message.len, TD_MAX_MESSAGE);
	ck_assert(e->message.len == 0 || e->message.p != NULL);
	ck_assert_uint_ge(e->line, tc->last_line);
	ck_assert_uint_ge(e->line_end, e->line);
	tc->last_line = e->line;
	for (size_t i = 0; i < e->nfields; i++)
		ck_assert(e->fields[i].name.len > 0);
	return 0;
}

size_t td_test_truncations(const struct td_text_parser *p, const char *data, size_t len,
			   size_t max_events)
{
	for (size_t k = 0; k <= len; k++) {
		/* An exact-size heap copy so ASan sees any over-read. */
		char *copy = malloc(k ? k : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, data, k);
		struct trunc_check tc = { .len = k, .max_events = max_events };
		struct td_diag diag;
		td_diag_init(&diag, 100);
		struct td_parse_info info;
		int rc = td_parse_memory(p, copy, k, check_invariants, &tc, &diag, &info);
		ck_assert_int_eq(rc, TD_OK);
		td_diag_release(&diag);
		free(copy);
	}
	return len + 1;
}

char *td_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc(n > 0 ? (size_t)n : 1);
	size_t got = n > 0 ? fread(buf, 1, (size_t)n, f) : 0;
	fclose(f);
	*len = got;
	return buf;
}

unsigned char *td_test_utf16le(const char *ascii, size_t n, int bom, size_t *len)
{
	size_t head = bom ? 2 : 0;
	unsigned char *u = malloc(head + 2 * n + 1);
	ck_assert_ptr_nonnull(u);
	if (bom) {
		u[0] = 0xff;
		u[1] = 0xfe;
	}
	for (size_t i = 0; i < n; i++) {
		u[head + 2 * i] = (unsigned char)ascii[i];
		u[head + 2 * i + 1] = 0;
	}
	*len = head + 2 * n;
	return u;
}
