/* Fuzz target: the archive walker (bundle/archive_walk.c), with small
 * limits.  Whatever the bytes, every member handed over must respect the
 * limits and carry a printable path under the bundle's name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "archive_walk.h"

struct seen {
	const struct td_archive_limits *lim;
	uint64_t bytes, members;
};

static void check_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

static int on_member(const struct td_archive_member *m, void *user)
{
	struct seen *s = user;
	if (!m->path || strncmp(m->path, "fuzz", 4) != 0 || m->data.len > s->lim->member_bytes)
		abort();
	check_text(m->path);
	if (m->error)
		check_text(m->error);
	if (m->data.len && !m->data.p)
		abort();
	/* Touch every byte: the buffer must really be that long. */
	volatile uint8_t sum = 0;
	for (size_t i = 0; i < m->data.len; i++)
		sum ^= m->data.p[i];
	(void)sum;
	s->bytes += m->data.len;
	s->members++;
	if (s->bytes > s->lim->bundle_bytes || s->members > 4 * s->lim->members + 16)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct td_archive_limits lim;
	td_archive_limits_init(&lim);
	lim.bundle_bytes = 64 << 20;
	lim.member_bytes = 16 << 20;
	lim.members = 1000;
	lim.depth = 4;
	struct seen s = { &lim, 0, 0 };
	int rc = td_archive_walk(td_bytes_make(data, size), "fuzz", &lim, on_member, &s);
	if (rc != TD_OK && rc != TD_E_FORMAT && rc != TD_E_NOMEM)
		abort();
	if (rc == TD_E_FORMAT && s.members)
		abort();
	return 0;
}
