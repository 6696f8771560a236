/* Unit tests for bundle/archive_walk.c: archives built here (arcwrite.h),
 * walked from memory, including hostile ones (bombs, deep nesting, too
 * many members, traversal names, truncations, encryption). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "arcwrite.h"
#include "archive_walk.h"
#include "bufpool.h"

/* What the walk handed over, copied. */
struct got {
	char *path;
	unsigned char *data;
	size_t len;
	char *error, *note;
};

struct walked {
	struct got m[64];
	size_t n;    /* kept (at most 64) */
	size_t all;  /* seen */
	int stop_at; /* stop when this many were seen (0: never) */
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int collect(const struct td_archive_member *m, void *user)
{
	struct walked *w = user;
	ck_assert_ptr_nonnull(m->path);
	ck_assert(m->data.len == 0 || m->data.p);
	if (w->n < 64) {
		struct got *g = &w->m[w->n++];
		g->path = strdup(m->path);
		g->len = m->data.len;
		g->data = malloc(m->data.len + 1);
		if (m->data.len)
			memcpy(g->data, m->data.p, m->data.len);
		g->error = dup_or_null(m->error);
		g->note = dup_or_null(m->note);
	}
	w->all++;
	return w->stop_at && (int)w->all >= w->stop_at;
}

static void walked_release(struct walked *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->m[i].path);
		free(w->m[i].data);
		free(w->m[i].error);
		free(w->m[i].note);
	}
	memset(w, 0, sizeof(*w));
}

/* Every test runs twice: with read-ahead (a second thread) and without. */
static bool read_ahead;

static void with_read_ahead(void)
{
	read_ahead = true;
}

static void without_read_ahead(void)
{
	read_ahead = false;
}

/* The default limits, with read-ahead as the test case wants it. */
static struct td_archive_limits defaults(void)
{
	struct td_archive_limits lim;
	td_archive_limits_init(&lim);
	lim.read_ahead = read_ahead;
	return lim;
}

static int walk_lim(const unsigned char *p, size_t len, const char *name,
		    const struct td_archive_limits *lim, struct walked *w)
{
	memset(w, 0, sizeof(*w));
	return td_archive_walk(td_bytes_make(p, len), name, lim, collect, w);
}

static int walk(const unsigned char *p, size_t len, const char *name, struct walked *w)
{
	struct td_archive_limits lim = defaults();
	return walk_lim(p, len, name, &lim, w);
}

/* Member i is path with exactly data (a string) and no error. */
static void assert_member(const struct walked *w, size_t i, const char *path, const char *data)
{
	ck_assert_uint_gt(w->n, i);
	ck_assert_str_eq(w->m[i].path, path);
	ck_assert_msg(!w->m[i].error, "%s: %s", path, w->m[i].error);
	ck_assert_uint_eq(w->m[i].len, strlen(data));
	ck_assert(memcmp(w->m[i].data, data, w->m[i].len) == 0);
}

static void assert_error(const struct walked *w, size_t i, const char *path, const char *part)
{
	ck_assert_uint_gt(w->n, i);
	ck_assert_str_eq(w->m[i].path, path);
	ck_assert_ptr_nonnull(w->m[i].error);
	ck_assert_msg(strstr(w->m[i].error, part), "'%s' lacks '%s'", w->m[i].error, part);
}

static const struct td_aw_file two[] = {
	{ "CM01/", NULL, 0, true },
	{ "CM01/Logs/SRSRP.log", "first log\r\n", 0, false },
	{ "SQL01/ERRORLOG", "second log\r\n", 0, false },
};

/* zip, zip64, 7z and tar with each filter: the same two members. */
static const struct {
	const char *format, *filter, *options, *name;
} kinds[] = {
	{ "zip", NULL, NULL, "b.zip" },
	{ "zip", NULL, "zip:zip64", "b64.zip" },
	{ "zip", NULL, "zip:compression=store", "stored.zip" },
	{ "7zip", NULL, NULL, "b.7z" },
	{ "7zip", NULL, "7zip:compression=lzma2", "lzma2.7z" },
	{ "ustar", NULL, NULL, "b.tar" },
	{ "pax", "gzip", NULL, "b.tar.gz" },
	{ "gnutar", "gzip", NULL, "b.tgz" },
	{ "ustar", "xz", NULL, "b.tar.xz" },
	{ "ustar", "bzip2", NULL, "b.tar.bz2" },
};

START_TEST(every_kind)
{
	size_t len;
	unsigned char *a = td_aw_build(kinds[_i].format, kinds[_i].filter, kinds[_i].options, NULL,
				       two, 3, &len);
	ck_assert_ptr_nonnull(a);
	ck_assert(td_archive_probe(td_bytes_make(a, len)));
	struct walked w;
	ck_assert_int_eq(walk(a, len, kinds[_i].name, &w), TD_OK);
	char p1[64], p2[64];
	snprintf(p1, sizeof(p1), "%s!/CM01/Logs/SRSRP.log", kinds[_i].name);
	snprintf(p2, sizeof(p2), "%s!/SQL01/ERRORLOG", kinds[_i].name);
	ck_assert_uint_eq(w.all, 2); /* the folder gives no member */
	assert_member(&w, 0, p1, "first log\r\n");
	assert_member(&w, 1, p2, "second log\r\n");
	walked_release(&w);
	free(a);
}
END_TEST

/* zip64 on request really writes zip64 records (the "zip64 end of central
 * directory" signature), and they are read. */
START_TEST(zip64_is_zip64)
{
	size_t len;
	unsigned char *a = td_aw_build("zip", NULL, "zip:zip64", NULL, two, 3, &len);
	ck_assert_ptr_nonnull(a);
	bool found = false;
	for (size_t i = 0; i + 4 <= len && !found; i++)
		found = memcmp(a + i, "PK\6\6", 4) == 0;
	ck_assert(found);
	free(a);
}
END_TEST

START_TEST(cabinet)
{
	/* Three files, one crossing a 32 KiB data block. */
	size_t big = 70000;
	char *data = malloc(big + 1);
	for (size_t i = 0; i < big; i++)
		data[i] = (char)('a' + i % 26);
	data[big] = '\0';
	const struct td_aw_file f[] = {
		{ "CM01/Logs/a.log", "alpha\n", 0, false },
		{ "CM01/Logs/big.log", data, big, false },
		{ "SQL01/ERRORLOG", "omega\n", 0, false },
	};
	size_t len;
	unsigned char *a = td_aw_cab(f, 3, _i == 1, &len);
	ck_assert_ptr_nonnull(a);
	ck_assert(td_archive_probe(td_bytes_make(a, len)));
	struct walked w;
	ck_assert_int_eq(walk(a, len, "x.cab", &w), TD_OK);
	ck_assert_uint_eq(w.all, 3);
	assert_member(&w, 0, "x.cab!/CM01/Logs/a.log", "alpha\n");
	assert_member(&w, 1, "x.cab!/CM01/Logs/big.log", data);
	assert_member(&w, 2, "x.cab!/SQL01/ERRORLOG", "omega\n");
	walked_release(&w);
	free(a);
	free(data);
}
END_TEST

/* A single compressed file: named as gzip stored it, else as the file
 * without its suffix. */
START_TEST(single_compressed_files)
{
	const char *text = "2024-03-05 10:00:00.00 Server      UTC adjustment: 1:00\r\n";
	size_t len;
	unsigned char *a = td_aw_gzip("ERRORLOG.1", text, strlen(text), &len);
	struct walked w;
	ck_assert_int_eq(walk(a, len, "logs/sql.gz", &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	assert_member(&w, 0, "logs/sql.gz!/ERRORLOG.1", text);
	walked_release(&w);
	free(a);

	a = td_aw_gzip(NULL, text, strlen(text), &len);
	ck_assert_int_eq(walk(a, len, "logs/ERRORLOG.gz", &w), TD_OK);
	assert_member(&w, 0, "logs/ERRORLOG.gz!/ERRORLOG", text);
	walked_release(&w);
	/* Named nothing like a compressed file. */
	ck_assert_int_eq(walk(a, len, "blob", &w), TD_OK);
	assert_member(&w, 0, "blob!/blob", text);
	walked_release(&w);
	free(a);

	const struct td_aw_file one = { "ignored", text, 0, false };
	a = td_aw_build("raw", "xz", NULL, NULL, &one, 1, &len);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(walk(a, len, "x/app.log.xz", &w), TD_OK);
	assert_member(&w, 0, "x/app.log.xz!/app.log", text);
	walked_release(&w);
	free(a);

	/* An empty compressed file holds nothing. */
	a = td_aw_gzip("empty.log", "", 0, &len);
	ck_assert_int_eq(walk(a, len, "e.gz", &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	ck_assert_str_eq(w.m[0].note, "archive holds no files");
	walked_release(&w);
	free(a);
}
END_TEST

/* A zip inside a tar.gz inside a zip, plus a gzip file in the middle. */
START_TEST(nested)
{
	size_t l1, l2, l3, lg;
	const struct td_aw_file inner[] = { { "x/y.log", "deep\n", 0, false } };
	unsigned char *a1 = td_aw_build("zip", NULL, NULL, NULL, inner, 1, &l1);
	unsigned char *g = td_aw_gzip("note.txt", "gz\n", 3, &lg);
	const struct td_aw_file mid[] = {
		{ "inner.zip", a1, l1, false },
		{ "n.txt.gz", g, lg, false },
	};
	unsigned char *a2 = td_aw_build("ustar", "gzip", NULL, NULL, mid, 2, &l2);
	const struct td_aw_file outer[] = {
		{ "top.log", "top\n", 0, false },
		{ "inner.tar.gz", a2, l2, false },
		{ "last.log", "last\n", 0, false },
	};
	unsigned char *a3 = td_aw_build("zip", NULL, NULL, NULL, outer, 3, &l3);
	struct walked w;
	ck_assert_int_eq(walk(a3, l3, "outer.zip", &w), TD_OK);
	ck_assert_uint_eq(w.all, 4);
	assert_member(&w, 0, "outer.zip!/top.log", "top\n");
	assert_member(&w, 1, "outer.zip!/inner.tar.gz!/inner.zip!/x/y.log", "deep\n");
	assert_member(&w, 2, "outer.zip!/inner.tar.gz!/n.txt.gz!/note.txt", "gz\n");
	assert_member(&w, 3, "outer.zip!/last.log", "last\n");
	walked_release(&w);

	/* Two levels allowed: the third archive is reported, not opened. */
	struct td_archive_limits lim = defaults();
	lim.depth = 2;
	ck_assert_int_eq(walk_lim(a3, l3, "outer.zip", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 4);
	assert_error(&w, 1, "outer.zip!/inner.tar.gz!/inner.zip",
		     "archive not opened: it is nested 3 archives deep, the limit is 2 "
		     "(--max-depth)");
	assert_error(&w, 2, "outer.zip!/inner.tar.gz!/n.txt.gz", "--max-depth");
	assert_member(&w, 3, "outer.zip!/last.log", "last\n");
	walked_release(&w);
	lim.depth = 0;
	ck_assert_int_eq(walk_lim(a3, l3, "outer.zip", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	assert_error(&w, 0, "outer.zip", "--max-depth");
	walked_release(&w);
	free(a1);
	free(a2);
	free(a3);
	free(g);
}
END_TEST

/* Nesting far beyond the limit: one zip inside the next, 40 deep. */
START_TEST(deep_nesting)
{
	size_t len;
	const struct td_aw_file leaf = { "leaf.log", "leaf\n", 0, false };
	unsigned char *a = td_aw_build("zip", NULL, NULL, NULL, &leaf, 1, &len);
	for (int i = 0; i < 40; i++) {
		const struct td_aw_file f = { "n.zip", a, len, false };
		size_t nlen;
		unsigned char *b = td_aw_build("zip", NULL, NULL, NULL, &f, 1, &nlen);
		free(a);
		a = b;
		len = nlen;
	}
	struct walked w;
	ck_assert_int_eq(walk(a, len, "bomb.zip", &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	char want[256] = "bomb.zip";
	for (int i = 0; i < 8; i++)
		strcat(want, "!/n.zip");
	assert_error(&w, 0, want, "nested 9 archives deep, the limit is 8 (--max-depth)");
	walked_release(&w);
	free(a);
}
END_TEST

/* Highly compressible members: the ratio limit skips one, the total limit
 * ends the bundle; what came before is kept. */
START_TEST(bombs)
{
	size_t big = (size_t)8 << 20;
	char *zeros = calloc(1, big);
	const struct td_aw_file f[] = {
		{ "a.log", "before\n", 0, false },   { "zeros1.bin", zeros, big, false },
		{ "b.log", "between\n", 0, false },  { "zeros2.bin", zeros, big, false },
		{ "zeros3.bin", zeros, big, false }, { "c.log", "after\n", 0, false },
	};
	size_t len;
	unsigned char *a = td_aw_build("zip", NULL, NULL, NULL, f, 6, &len);
	struct td_archive_limits lim = defaults();
	lim.ratio = 100;
	struct walked w;
	ck_assert_int_eq(walk_lim(a, len, "bomb.zip", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 6);
	assert_member(&w, 0, "bomb.zip!/a.log", "before\n");
	assert_error(&w, 1, "bomb.zip!/zeros1.bin",
		     "not read: compressed more than 100 to 1 (--max-ratio)");
	assert_member(&w, 2, "bomb.zip!/b.log", "between\n");
	assert_error(&w, 3, "bomb.zip!/zeros2.bin", "--max-ratio");
	assert_member(&w, 5, "bomb.zip!/c.log", "after\n");
	walked_release(&w);

	/* No ratio limit, 20 MiB in all: the third 8 MiB member ends it. */
	lim.ratio = 0;
	lim.bundle_bytes = (uint64_t)20 << 20;
	ck_assert_int_eq(walk_lim(a, len, "bomb.zip", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 5);
	ck_assert_uint_eq(w.m[1].len, big);
	ck_assert_uint_eq(w.m[3].len, big);
	assert_error(&w, 4, "bomb.zip!/zeros3.bin",
		     "not read, nor the rest of 'bomb.zip': more than 20 MiB decompressed in all "
		     "(--max-bundle-bytes)");
	walked_release(&w);

	/* The member limit: the header's size says so before anything is
	 * decompressed; the walk goes on. */
	lim = defaults();
	lim.member_bytes = 1 << 20;
	ck_assert_int_eq(walk_lim(a, len, "bomb.zip", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 6);
	assert_error(&w, 1, "bomb.zip!/zeros1.bin",
		     "more than the member limit of 1 MiB (--max-member-bytes)");
	assert_member(&w, 5, "bomb.zip!/c.log", "after\n");
	walked_release(&w);
	free(a);

	/* xz packs zeros far tighter than deflate: the default ratio catches
	 * it. */
	unsigned char *x = td_aw_build("ustar", "xz", NULL, NULL, f, 3, &len);
	ck_assert_int_eq(walk(x, len, "bomb.tar.xz", &w), TD_OK);
	ck_assert_uint_eq(w.all, 3);
	assert_error(&w, 1, "bomb.tar.xz!/zeros1.bin", "compressed more than 1000 to 1");
	assert_member(&w, 2, "bomb.tar.xz!/b.log", "between\n");
	walked_release(&w);
	free(x);

	/* A gzip stream gives no size up front: the member limit stops the
	 * read on the way. */
	unsigned char *g = td_aw_gzip("zeros", zeros, big, &len);
	lim = defaults();
	lim.member_bytes = 1 << 20;
	ck_assert_int_eq(walk_lim(g, len, "z.gz", &lim, &w), TD_OK);
	assert_error(&w, 0, "z.gz!/zeros", "not read: more than the member limit of 1 MiB");
	walked_release(&w);
	free(g);

	/* Skipping a member of a tar.gz means inflating it: that counts
	 * against the total, so a skipped bomb cannot cost more than it. */
	unsigned char *t = td_aw_build("ustar", "gzip", NULL, NULL, f + 1, 2, &len);
	lim.bundle_bytes = 4 << 20;
	ck_assert_int_eq(walk_lim(t, len, "b.tgz", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	assert_error(&w, 0, "b.tgz!/zeros1.bin", "the rest of 'b.tgz' not read either");
	walked_release(&w);
	/* With room for the skip, the next member is read. */
	lim.bundle_bytes = 16 << 20;
	ck_assert_int_eq(walk_lim(t, len, "b.tgz", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 2);
	assert_member(&w, 1, "b.tgz!/b.log", "between\n");
	walked_release(&w);
	free(t);
	free(zeros);
}
END_TEST

START_TEST(member_count)
{
	struct td_aw_file f[12];
	char names[12][16];
	for (int i = 0; i < 12; i++) {
		snprintf(names[i], sizeof(names[i]), "m%02d.log", i);
		f[i] = (struct td_aw_file){ names[i], "x\n", 0, false };
	}
	size_t len;
	unsigned char *a = td_aw_build("zip", NULL, NULL, NULL, f, 12, &len);
	struct td_archive_limits lim = defaults();
	lim.members = 5;
	struct walked w;
	ck_assert_int_eq(walk_lim(a, len, "many.zip", &lim, &w), TD_OK);
	ck_assert_uint_eq(w.all, 6);
	assert_member(&w, 4, "many.zip!/m04.log", "x\n");
	assert_error(&w, 5, "many.zip",
		     "'m05.log' and the rest of 'many.zip' not read: more than 5 members "
		     "(--max-members)");
	walked_release(&w);
	free(a);
}
END_TEST

/* Names are shown as stored; nothing is written anywhere. */
START_TEST(hostile_names)
{
	const struct td_aw_file f[] = {
		{ "../../etc/passwd", "root\n", 0, false },
		{ "/abs/x.log", "abs\n", 0, false },
		{ "ctl\x01\x1b[31mred.log", "ctl\n", 0, false },
		{ "C:\\Windows\\evil.log", "win\n", 0, false },
	};
	size_t len;
	unsigned char *a = td_aw_build("pax", NULL, NULL, NULL, f, 4, &len);
	struct walked w;
	ck_assert_int_eq(walk(a, len, "t.tar", &w), TD_OK);
	ck_assert_uint_eq(w.all, 4);
	assert_member(&w, 0, "t.tar!/../../etc/passwd", "root\n");
	assert_member(&w, 1, "t.tar!//abs/x.log", "abs\n");
	assert_member(&w, 2, "t.tar!/ctl??[31mred.log", "ctl\n");
	assert_member(&w, 3, "t.tar!/C:\\Windows\\evil.log", "win\n");
	walked_release(&w);
	free(a);

	/* A hard link names a member read before: no second input. */
	a = td_aw_tar_link("a.log", "a\n", "b.log", &len);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(walk(a, len, "l.tar", &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	assert_member(&w, 0, "l.tar!/a.log", "a\n");
	walked_release(&w);
	free(a);
}
END_TEST

/* Appends a little-endian value of n bytes. */
static size_t put_le(unsigned char *p, size_t at, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[at + (size_t)i] = (unsigned char)(v >> (8 * i));
	return at + (size_t)n;
}

/* A zip of one stored member whose name is written as given, without the
 * UTF-8 flag (libarchive's writer always sets it for such names). */
static unsigned char *zip_raw_name(const char *name, const char *data, size_t *len)
{
	size_t nl = strlen(name), dl = strlen(data);
	unsigned char *p = calloc(1, 2 * (46 + nl) + dl + 22);
	uint32_t crc = (uint32_t)crc32(0, (const unsigned char *)data, (uInt)dl);
	size_t at = put_le(p, 0, 0x04034b50, 4);
	at = put_le(p, at, 20, 2); /* version needed */
	at = put_le(p, at, 0, 2);  /* flags: no UTF-8 (bit 11) */
	at = put_le(p, at, 0, 2);  /* stored */
	at = put_le(p, at, 0, 4);  /* time, date */
	at = put_le(p, at, crc, 4);
	at = put_le(p, at, (uint32_t)dl, 4);
	at = put_le(p, at, (uint32_t)dl, 4);
	at = put_le(p, at, (uint32_t)nl, 2);
	at = put_le(p, at, 0, 2);
	memcpy(p + at, name, nl);
	memcpy(p + at + nl, data, dl);
	at += nl + dl;
	size_t cd = at;
	at = put_le(p, at, 0x02014b50, 4);
	at = put_le(p, at, 20, 2);
	at = put_le(p, at, 20, 2);
	at = put_le(p, at, 0, 2);
	at = put_le(p, at, 0, 2);
	at = put_le(p, at, 0, 4);
	at = put_le(p, at, crc, 4);
	at = put_le(p, at, (uint32_t)dl, 4);
	at = put_le(p, at, (uint32_t)dl, 4);
	at = put_le(p, at, (uint32_t)nl, 2);
	at = put_le(p, at, 0, 2); /* extra */
	at = put_le(p, at, 0, 2); /* comment */
	at = put_le(p, at, 0, 2); /* disk */
	at = put_le(p, at, 0, 2); /* internal attributes */
	at = put_le(p, at, 0, 4); /* external attributes */
	at = put_le(p, at, 0, 4); /* local header offset */
	memcpy(p + at, name, nl);
	at += nl;
	size_t cdlen = at - cd;
	at = put_le(p, at, 0x06054b50, 4);
	at = put_le(p, at, 0, 4);
	at = put_le(p, at, 1, 2);
	at = put_le(p, at, 1, 2);
	at = put_le(p, at, (uint32_t)cdlen, 4);
	at = put_le(p, at, (uint32_t)cd, 4);
	at = put_le(p, at, 0, 2);
	*len = at;
	return p;
}

/* Zip names without the UTF-8 flag: code page 437 (Windows' compressed
 * folders) unless they are valid UTF-8. */
START_TEST(zip_names_code_page_437)
{
	size_t len;
	struct walked w;
	unsigned char *a = zip_raw_name("M\x84rz/Stra\xe1" "e \x9c.log", "x\n", &len);
	ck_assert_int_eq(walk(a, len, "de.zip", &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	assert_member(&w, 0, "de.zip!/M\xc3\xa4rz/Stra\xc3\x9f" "e \xc2\xa3.log", "x\n");
	walked_release(&w);
	free(a);

	a = zip_raw_name("caf\xc3\xa9.log", "y\n", &len);
	ck_assert_int_eq(walk(a, len, "fr.zip", &w), TD_OK);
	assert_member(&w, 0, "fr.zip!/caf\xc3\xa9.log", "y\n");
	walked_release(&w);
	free(a);

	/* Control characters stay hidden. */
	a = zip_raw_name("a\x01\x84.log", "z\n", &len);
	ck_assert_int_eq(walk(a, len, "c.zip", &w), TD_OK);
	assert_member(&w, 0, "c.zip!/a?\xc3\xa4.log", "z\n");
	walked_release(&w);
	free(a);
}
END_TEST

struct kept {
	struct td_bufpool *pool;
	size_t n;
	char last[64];
};

/* Keeps every member as a parsing job would, and gives it back. */
static int keep_member(const struct td_archive_member *m, void *user)
{
	struct kept *k = user;
	if (!td_archive_member_has_data(m))
		return 0;
	size_t cap;
	void *p = td_archive_member_keep(m, &cap);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_ge(cap, m->data.len);
	snprintf(k->last, sizeof(k->last), "%s", m->path);
	k->n++;
	td_bufpool_give(k->pool, p, cap);
	return 0;
}

/* Members kept out of a pool whose budget the archive around them already
 * takes: an empty member (kept as a copy) and a large one are both served,
 * and the walk ends (it used to wait for buffers only the walk held). */
START_TEST(pool_budget_nested_archive)
{
	char big[1500];
	memset(big, 'b', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	const struct td_aw_file inner[] = {
		{ "e.log", "", 0, false },
		{ "b.log", big, 0, false },
	};
	size_t l1, l2;
	unsigned char *a1 = td_aw_build("zip", NULL, "zip:compression=store", NULL, inner, 2, &l1);
	ck_assert_uint_gt(l1, 1000);
	const struct td_aw_file outer[] = { { "inner.zip", a1, l1, false } };
	unsigned char *a2 = td_aw_build("zip", NULL, "zip:compression=store", NULL, outer, 1, &l2);
	struct td_archive_limits lim = defaults();
	struct kept k = { td_bufpool_new(1000), 0, "" };
	lim.pool = k.pool;
	ck_assert_int_eq(td_archive_walk(td_bytes_make(a2, l2), "o.zip", &lim, keep_member, &k),
			 TD_OK);
	ck_assert_uint_eq(k.n, 2);
	ck_assert_str_eq(k.last, "o.zip!/inner.zip!/b.log");
	ck_assert_uint_eq(td_bufpool_used(k.pool), 0);
	td_bufpool_free(k.pool);
	free(a1);
	free(a2);
}
END_TEST

START_TEST(encrypted_member)
{
	const struct td_aw_file f[] = {
		{ "secret.log", "hidden\n", 0, false },
	};
	size_t len;
	unsigned char *a = td_aw_build("zip", NULL, "zip:encryption=zipcrypt", "pw", f, 1, &len);
	ck_assert_ptr_nonnull(a);
	struct walked w;
	ck_assert_int_eq(walk(a, len, "enc.zip", &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	assert_error(&w, 0, "enc.zip!/secret.log", "not read: encrypted");
	walked_release(&w);
	free(a);
}
END_TEST

/* Detection is by content: a zip named .log is a zip, text named .zip is
 * not an archive, and the usual inputs never look like one. */
START_TEST(detection)
{
	size_t len;
	unsigned char *a = td_aw_build("zip", NULL, NULL, NULL, two, 3, &len);
	struct walked w;
	ck_assert_int_eq(walk(a, len, "SRSRP.log", &w), TD_OK);
	assert_member(&w, 0, "SRSRP.log!/CM01/Logs/SRSRP.log", "first log\r\n");
	walked_release(&w);
	free(a);

	const char *text = "PK is not a zip\nline two\n";
	ck_assert(!td_archive_probe(td_bytes_make(text, strlen(text))));
	ck_assert_int_eq(walk((const unsigned char *)text, strlen(text), "x.zip", &w), TD_E_FORMAT);
	ck_assert_uint_eq(w.all, 0);
	static const unsigned char evtx[4096] = "ElfFile";
	ck_assert(!td_archive_probe(td_bytes_make(evtx, sizeof(evtx))));
	static const unsigned char zeros[10240];
	ck_assert(!td_archive_probe(td_bytes_make(zeros, sizeof(zeros))));
	ck_assert(!td_archive_probe(td_bytes_make(zeros, 0)));
	/* gzip's magic without a gzip stream behind it. */
	static const unsigned char fake_gz[64] = { 0x1f, 0x8b, 0x08, 0xff, 1, 2, 3 };
	ck_assert(!td_archive_probe(td_bytes_make(fake_gz, sizeof(fake_gz))));
	/* UTF-16LE text. */
	static const unsigned char u16[] = "\xff\xfe"
					   "2\0000\0002\0004\0";
	ck_assert(!td_archive_probe(td_bytes_make(u16, sizeof(u16) - 1)));

	ck_assert(td_archive_named("bundle.ZIP"));
	ck_assert(td_archive_named("x.tar.gz"));
	ck_assert(td_archive_named("x.tgz"));
	ck_assert(td_archive_named("a.cab"));
	ck_assert(!td_archive_named("zip"));
	ck_assert(!td_archive_named("SRSRP.log"));
}
END_TEST

START_TEST(empty_archive_and_stop)
{
	size_t len;
	unsigned char *a = td_aw_build("zip", NULL, NULL, NULL, NULL, 0, &len);
	struct walked w;
	ck_assert_int_eq(walk(a, len, "empty.zip", &w), TD_OK);
	ck_assert_uint_eq(w.all, 1);
	ck_assert_str_eq(w.m[0].path, "empty.zip");
	ck_assert_ptr_null(w.m[0].error);
	ck_assert_str_eq(w.m[0].note, "archive holds no files");
	walked_release(&w);
	free(a);

	a = td_aw_build("zip", NULL, NULL, NULL, two, 3, &len);
	memset(&w, 0, sizeof(w));
	w.stop_at = 1;
	struct td_archive_limits lim = defaults();
	ck_assert_int_eq(td_archive_walk(td_bytes_make(a, len), "b.zip", &lim, collect, &w),
			 TD_E_STOP);
	ck_assert_uint_eq(w.all, 1);
	walked_release(&w);
	free(a);
}
END_TEST

/* Many members of different sizes, nested archives between them: each
 * arrives whole and in order, whichever buffer it was read into. */
START_TEST(many_members_intact)
{
	enum { N = 40 };
	struct td_aw_file f[N];
	char names[N][16];
	char *datas[N];
	size_t inner_len = 0;
	unsigned char *inner = NULL;
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i * 7919 % 300000) + 1;
		datas[i] = malloc(n + 1);
		for (size_t k = 0; k < n; k++)
			datas[i][k] = (char)('A' + (k * 31 + (size_t)i) % 53);
		datas[i][n] = '\0';
		snprintf(names[i], sizeof(names[i]), "m%02d.log", i);
		f[i] = (struct td_aw_file){ names[i], datas[i], n, false };
		if (i == 10) {
			inner = td_aw_build("zip", NULL, NULL, NULL, f, 3, &inner_len);
			f[i] = (struct td_aw_file){ "in.zip", inner, inner_len, false };
		}
	}
	size_t len;
	unsigned char *a = td_aw_build("ustar", "gzip", NULL, NULL, f, N, &len);
	struct walked w;
	ck_assert_int_eq(walk(a, len, "many.tgz", &w), TD_OK);
	ck_assert_uint_eq(w.all, N + 2);
	for (size_t i = 0, k = 0; i < N; i++, k++) {
		char path[64];
		if (i == 10) {
			for (int j = 0; j < 3; j++, k++) {
				snprintf(path, sizeof(path), "many.tgz!/in.zip!/%s", names[j]);
				assert_member(&w, k, path, datas[j]);
			}
			k--;
			continue;
		}
		snprintf(path, sizeof(path), "many.tgz!/%s", names[i]);
		assert_member(&w, k, path, datas[i]);
	}
	walked_release(&w);
	for (int i = 0; i < N; i++)
		free(datas[i]);
	free(inner);
	free(a);
}
END_TEST

/* Three members, the middle one large enough to span many blocks. */
static unsigned char *three_members(const char *format, const char *filter, size_t *len, char **mid)
{
	size_t n = 200000;
	*mid = malloc(n + 1);
	uint32_t r = 12345;
	for (size_t i = 0; i < n; i++) {
		r = r * 1103515245 + 12345;
		(*mid)[i] = (char)(' ' + (r >> 16) % 64);
	}
	(*mid)[n] = '\0';
	const struct td_aw_file f[] = {
		{ "one.log", "first member\n", 0, false },
		{ "two.log", *mid, n, false },
		{ "three.log", "third member\n", 0, false },
	};
	return td_aw_build(format, filter, NULL, NULL, f, 3, len);
}

/* Every member delivered is exactly what was stored, or, with an error,
 * the start of it (anything when damaged rather than cut); returns how many
 * came whole (with an error or not). */
static size_t kept_members(const struct walked *w, const char *mid, bool cut)
{
	static const char *const names[] = { "one.log", "two.log", "three.log" };
	const char *datas[] = { "first member\n", mid, "third member\n" };
	size_t whole = 0;
	for (size_t i = 0; i < w->n; i++) {
		const char *name = strstr(w->m[i].path, "!/");
		if (!name)
			continue;
		for (size_t k = 0; k < 3; k++) {
			if (strcmp(name + 2, names[k]) != 0)
				continue;
			size_t full = strlen(datas[k]);
			bool same = w->m[i].len <= full &&
				    memcmp(w->m[i].data, datas[k], w->m[i].len) == 0;
			ck_assert(w->m[i].error || (same && w->m[i].len == full));
			ck_assert(!cut || same);
			whole += same && w->m[i].len == full;
		}
	}
	return whole;
}

static const struct {
	const char *format, *filter;
} cut_kinds[] = {
	{ "zip", NULL }, { "ustar", "gzip" }, { "7zip", NULL },
	{ "ustar", "xz" }, { "ustar", NULL },
};

/* Cut at many offsets: no crash, no member with wrong data, and members
 * complete before the cut are kept (the count never drops as the cut
 * moves on). */
START_TEST(truncations)
{
	size_t len;
	char *mid;
	unsigned char *a = three_members(cut_kinds[_i].format, cut_kinds[_i].filter, &len, &mid);
	ck_assert_ptr_nonnull(a);
	size_t step = len / 300 ? len / 300 : 1;
	struct walked w;
	for (size_t cut = 0; cut < len; cut += (cut < 512 || len - cut < 512) ? 1 : step) {
		unsigned char *copy = malloc(cut ? cut : 1);
		memcpy(copy, a, cut);
		int rc = walk(copy, cut, "cut", &w);
		ck_assert(rc == TD_OK || rc == TD_E_FORMAT);
		kept_members(&w, mid, true);
		for (size_t i = 0; i < w.n; i++)
			ck_assert(w.m[i].error || w.m[i].note || strstr(w.m[i].path, "cut!/"));
		walked_release(&w);
		free(copy);
	}
	ck_assert_int_eq(walk(a, len, "full", &w), TD_OK);
	ck_assert_uint_eq(kept_members(&w, mid, true), 3);
	walked_release(&w);
	free(a);
	free(mid);
}
END_TEST

static uint32_t rd32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A zip cut anywhere after a member's record (local header, data, data
 * descriptor) keeps that member whole: the streaming reader takes over
 * when the central directory is gone.  (libarchive reads a data descriptor
 * as 24 bytes, the size of its zip64 form, so the 16-byte form needs 8
 * bytes of what follows.)  Every cut near the members' boundaries, a
 * sample elsewhere. */
START_TEST(truncated_zip_keeps_members)
{
	size_t len;
	char *mid;
	unsigned char *a = three_members("zip", NULL, &len, &mid);
	/* Where each record starts, from the central directory. */
	const unsigned char *eocd = a + len - 22;
	ck_assert(memcmp(eocd, "PK\5\6", 4) == 0);
	size_t ends[3], cd = rd32(eocd + 16), at = cd;
	for (int k = 0; k < 3; k++) {
		ck_assert(memcmp(a + at, "PK\1\2", 4) == 0);
		if (k)
			ends[k - 1] = rd32(a + at + 42);
		at += 46 + (a[at + 28] | a[at + 29] << 8) + (a[at + 30] | a[at + 31] << 8) +
		      (a[at + 32] | a[at + 33] << 8);
	}
	ends[2] = cd;
	struct walked w;
	for (size_t cut = 1; cut <= len; cut += (cut < 256 || len - cut < 2048) ? 1 : 97) {
		int rc = walk(a, cut, "cut.zip", &w);
		ck_assert(rc == TD_OK || rc == TD_E_FORMAT);
		size_t whole = kept_members(&w, mid, true), want = 0;
		while (want < 3 && cut >= ends[want] + 8)
			want++;
		ck_assert_msg(whole >= want, "cut at %zu: %zu whole members, want %zu", cut, whole,
			      want);
		/* Damage is reported, naming the archive. */
		if (whole < 3 && rc == TD_OK) {
			bool told = false;
			for (size_t i = 0; i < w.n; i++)
				told |= w.m[i].error && strstr(w.m[i].path, "cut.zip");
			ck_assert_msg(told, "cut at %zu: no error", cut);
		}
		walked_release(&w);
	}
	free(a);
	free(mid);
}
END_TEST

/* A damaged deflate stream: that member's error names the archive and the
 * offset; the members around it are read. */
START_TEST(damaged_member)
{
	size_t len;
	char *mid;
	unsigned char *a = three_members("zip", NULL, &len, &mid);
	/* Overwrite the middle of the second member's compressed data. */
	memset(a + len / 2, 0xff, 64);
	struct walked w;
	ck_assert_int_eq(walk(a, len, "dmg.zip", &w), TD_OK);
	assert_member(&w, 0, "dmg.zip!/one.log", "first member\n");
	assert_error(&w, 1, "dmg.zip!/two.log", "of 'dmg.zip'");
	ck_assert(strstr(w.m[1].error, "at offset 0x"));
	ck_assert_uint_eq(kept_members(&w, mid, false), 2);
	walked_release(&w);
	free(a);
	free(mid);
}
END_TEST

/* The tests of a case, with a fixture choosing read-ahead or not. */
static void add_cases(Suite *s, const char *name, void (*fixture)(void), bool hostile)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, fixture, NULL);
	tcase_set_timeout(tc, 300);
	if (!hostile) {
		tcase_add_loop_test(tc, every_kind, 0, sizeof(kinds) / sizeof(kinds[0]));
		tcase_add_test(tc, zip64_is_zip64);
		tcase_add_loop_test(tc, cabinet, 0, 2);
		tcase_add_test(tc, single_compressed_files);
		tcase_add_test(tc, nested);
		tcase_add_test(tc, detection);
		tcase_add_test(tc, empty_archive_and_stop);
		tcase_add_test(tc, many_members_intact);
	} else {
		tcase_add_test(tc, deep_nesting);
		tcase_add_test(tc, bombs);
		tcase_add_test(tc, member_count);
		tcase_add_test(tc, hostile_names);
		tcase_add_test(tc, zip_names_code_page_437);
		tcase_add_test(tc, pool_budget_nested_archive);
		tcase_add_test(tc, encrypted_member);
		tcase_add_loop_test(tc, truncations, 0, sizeof(cut_kinds) / sizeof(cut_kinds[0]));
		tcase_add_test(tc, truncated_zip_keeps_members);
		tcase_add_test(tc, damaged_member);
	}
	suite_add_tcase(s, tc);
}

Suite *archive_suite(void)
{
	Suite *s = suite_create("archive");
	add_cases(s, "formats", with_read_ahead, false);
	add_cases(s, "formats_serial", without_read_ahead, false);
	add_cases(s, "hostile", with_read_ahead, true);
	add_cases(s, "hostile_serial", without_read_ahead, true);
	return s;
}
