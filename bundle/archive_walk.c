/* Customer bundles read in memory with libarchive (see archive_walk.h). */
#include "archive_walk.h"

#include <archive.h>
#include <archive_entry.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "bufpool.h"
#include "encoding.h"
#include "str.h"

/* A decompressor may have produced this much output before the input it
 * came from was counted as consumed (libarchive filters work in 64 KiB
 * blocks); the ratio test leaves it out so that it never overestimates. */
#define RATIO_SLACK ((uint64_t)256 << 10)
/* Member buffers are reserved at the size the header gives, up to this;
 * beyond it they grow as data arrives (a header can lie). */
#define RESERVE_MAX ((size_t)1 << 30)
/* Longest member name shown; longer ones are cut. */
#define NAME_MAX_SHOWN 4096
/* Header errors in a row after which an archive is given up. */
#define MAX_HEADER_FAILURES 100

void td_archive_limits_init(struct td_archive_limits *lim)
{
	lim->bundle_bytes = (uint64_t)16 << 30;
	lim->member_bytes = (uint64_t)4 << 30;
	lim->ratio = 1000;
	lim->depth = 8;
	lim->members = 1000000;
	lim->read_ahead = true;
	lim->pool = NULL;
}

/* A member's bytes; the memory is reused from member to member. */
struct membuf {
	uint8_t *p;
	size_t len, cap;
};

/* One nesting level: the member being read and its display path.
 * Allocated once and kept (pointers stay valid while deeper levels run). */
struct level {
	struct membuf data;
	struct td_buf path;
	struct level *next;
};

struct handoff;

struct walk {
	const struct td_archive_limits *lim;
	td_archive_cb cb;
	void *user;
	const char *root;   /* the bundle's name, for bundle-wide limits */
	uint64_t total;     /* bytes decompressed so far */
	uint64_t entries;   /* entries seen so far */
	struct level *levels;
	struct archive *top; /* the bundle's own reader, while it is open */
	struct handoff *handoff; /* with read-ahead: where members go */
	int rc;             /* TD_E_STOP, TD_E_NOMEM */
	bool done;          /* a bundle-wide limit ended the walk */
};

/* --- detection ----------------------------------------------------------- */

static bool has_at(struct td_bytes in, size_t off, const char *magic, size_t n)
{
	return in.len >= off + n && memcmp(in.p + off, magic, n) == 0;
}

/* A compressed stream libarchive reads as a filter. */
static bool compressed_magic(struct td_bytes in)
{
	return has_at(in, 0, "\x1f\x8b\x08", 3) || has_at(in, 0, "\xfd" "7zXZ\0", 6) ||
	       (has_at(in, 0, "BZh", 3) && in.len > 3 && in.p[3] >= '1' && in.p[3] <= '9');
}

/* Signatures at offset 0 that only archives carry: such bytes are an
 * archive even when no member can be read (damaged, truncated, empty). */
static bool archive_magic(struct td_bytes in)
{
	return has_at(in, 0, "PK\3\4", 4) || has_at(in, 0, "PK\5\6", 4) ||
	       has_at(in, 0, "MSCF\0\0\0\0", 8) || has_at(in, 0, "7z\xbc\xaf\x27\x1c", 6) ||
	       has_at(in, 257, "ustar", 5);
}

static struct archive *open_memory(struct td_bytes in, bool raw)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	if (raw) {
		/* Only behind a decompression filter (checked by the caller):
		 * "raw" takes any bytes at all, "empty" no bytes. */
		archive_read_support_format_raw(a);
		archive_read_support_format_empty(a);
	} else {
		archive_read_support_format_zip(a);
		archive_read_support_format_cab(a);
		archive_read_support_format_7zip(a);
		archive_read_support_format_tar(a);
	}
	if (archive_read_open_memory(a, in.p, in.len) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Opens `in` as an archive, or as a single compressed file (*raw) when it
 * is a compressed stream that holds no archive.  NULL when it is neither.
 * Without an archive signature at offset 0 (a compressed tar, a
 * self-extracting archive, an old tar) the bytes count as an archive only
 * if a first member header reads: zeros look like an empty tar. */
static struct archive *open_archive(struct td_bytes in, bool *raw)
{
	*raw = false;
	if (!in.len)
		return NULL;
	struct archive *a = open_memory(in, false);
	if (a && archive_magic(in))
		return a;
	if (a) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		archive_read_free(a);
		if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
			return open_memory(in, false);
	}
	if (!compressed_magic(in))
		return NULL;
	a = open_memory(in, true);
	if (a && archive_filter_count(a) < 2) {
		archive_read_free(a);
		return NULL;
	}
	*raw = a != NULL;
	return a;
}

bool td_archive_probe(struct td_bytes in)
{
	bool raw;
	struct archive *a = open_archive(in, &raw);
	archive_read_free(a);
	return a != NULL;
}

static const char *const suffixes[][2] = {
	{ ".tar.gz", ".tar" }, { ".tar.xz", ".tar" }, { ".tar.bz2", ".tar" },
	{ ".tgz", ".tar" },    { ".txz", ".tar" },    { ".tbz2", ".tar" },
	{ ".tbz", ".tar" },    { ".gz", "" },	      { ".xz", "" },
	{ ".bz2", "" },	       { ".zip", NULL },      { ".cab", NULL },
	{ ".7z", NULL },       { ".tar", NULL },
};

/* The suffix of name that marks an archive (index into suffixes), or -1. */
static int archive_suffix(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i][0]);
		if (n > k && strcasecmp(name + n - k, suffixes[i][0]) == 0)
			return (int)i;
	}
	return -1;
}

bool td_archive_named(const char *name)
{
	return archive_suffix(name) >= 0;
}

/* --- names and messages -------------------------------------------------- */

/* Appends name with control characters and invalid UTF-8 as '?'. */
static int add_shown(struct td_buf *b, const char *name)
{
	struct td_str s = td_str_cstr(name);
	if (s.len > NAME_MAX_SHOWN)
		s.len = NAME_MAX_SHOWN;
	for (size_t i = 0; i < s.len;) {
		uint32_t cp;
		size_t n = td_utf8_next(td_str_slice(s, i, s.len), &cp);
		bool bad = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
			   (cp == 0xfffd && n == 1);
		int rc = bad ? td_buf_addc(b, '?') : td_buf_add(b, s.p + i, n);
		if (rc)
			return rc;
		i += n;
	}
	return strlen(name) > NAME_MAX_SHOWN ? td_buf_adds(b, "...") : TD_OK;
}

/* Bytes 0x80-0xFF of IBM code page 437, as Unicode: the zip format's
 * name encoding when an entry does not carry the UTF-8 flag (APPNOTE,
 * appendix D), which is how Windows' own "compressed folder" and older
 * tools store names. */
static const uint16_t cp437_high[128] = {
	0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7,
	0x00ea, 0x00eb, 0x00e8, 0x00ef, 0x00ee, 0x00ec, 0x00c4, 0x00c5,
	0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2, 0x00fb, 0x00f9,
	0x00ff, 0x00d6, 0x00dc, 0x00a2, 0x00a3, 0x00a5, 0x20a7, 0x0192,
	0x00e1, 0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa, 0x00ba,
	0x00bf, 0x2310, 0x00ac, 0x00bd, 0x00bc, 0x00a1, 0x00ab, 0x00bb,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
	0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510,
	0x2514, 0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f,
	0x255a, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256c, 0x2567,
	0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b,
	0x256a, 0x2518, 0x250c, 0x2588, 0x2584, 0x258c, 0x2590, 0x2580,
	0x03b1, 0x00df, 0x0393, 0x03c0, 0x03a3, 0x03c3, 0x00b5, 0x03c4,
	0x03a6, 0x0398, 0x03a9, 0x03b4, 0x221e, 0x03c6, 0x03b5, 0x2229,
	0x2261, 0x00b1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00f7, 0x2248,
	0x00b0, 0x2219, 0x00b7, 0x221a, 0x207f, 0x00b2, 0x25a0, 0x00a0,
};

/* A zip entry's name that is not UTF-8, read as code page 437 and shown. */
static int add_shown_cp437(struct td_buf *b, const char *name)
{
	struct td_buf u;
	td_buf_init(&u, (size_t)4 * NAME_MAX_SHOWN + 8);
	int rc = TD_OK;
	size_t n = strlen(name);
	/* One byte more than is shown, so that add_shown() marks the cut. */
	for (size_t i = 0; i < n && i <= NAME_MAX_SHOWN && !rc; i++) {
		unsigned char c = (unsigned char)name[i];
		char enc[4] = { (char)c };
		size_t len = c < 0x80 ? 1 : td_utf8_put(enc, cp437_high[c - 0x80]);
		rc = td_buf_add(&u, enc, len);
	}
	if (!rc)
		rc = td_buf_addc(&u, '\0');
	if (!rc)
		rc = add_shown(b, u.p);
	td_buf_release(&u);
	return rc;
}

/* "4 GiB", "1000 bytes": a limit as the user would have written it. */
static void fmt_size(char *out, size_t cap, uint64_t v)
{
	static const char *const units[] = { "TiB", "GiB", "MiB", "KiB" };
	for (int i = 0; i < 4; i++) {
		uint64_t u = (uint64_t)1 << (10 * (4 - i));
		if (v >= u && v % u == 0) {
			snprintf(out, cap, "%llu %s", (unsigned long long)(v / u), units[i]);
			return;
		}
	}
	snprintf(out, cap, "%llu bytes", (unsigned long long)v);
}

/* The name of the single file in a compressed file: the one gzip stored,
 * else the compressed file's own name without its suffix. */
static int raw_name(struct td_buf *b, struct td_bytes in, const char *parent,
		    struct archive_entry *e)
{
	const char *stored = archive_entry_pathname(e);
	if (has_at(in, 0, "\x1f\x8b", 2) && in.len > 3 && (in.p[3] & 8) && stored)
		return add_shown(b, stored);
	const char *base = strrchr(parent, '/');
	base = base ? base + 1 : parent;
	int k = archive_suffix(base);
	if (k < 0 || !suffixes[k][1] || strlen(base) == strlen(suffixes[k][0]))
		return add_shown(b, base);
	struct td_buf tmp;
	td_buf_init(&tmp, NAME_MAX_SHOWN * 2);
	int rc = td_buf_add(&tmp, base, strlen(base) - strlen(suffixes[k][0]));
	if (!rc)
		rc = td_buf_adds(&tmp, suffixes[k][1]);
	if (!rc)
		rc = add_shown(b, tmp.p);
	td_buf_release(&tmp);
	return rc;
}

/* --- the walk ------------------------------------------------------------ */

static int handoff_put(struct walk *w, const struct td_archive_member *m, struct membuf *owner);
static bool stopped(struct walk *w);

/* Hands a member or a problem to the callback (through the read-ahead
 * handoff, which takes owner's memory, when there is one).  Messages quote
 * member names and libarchive's words: they are shown safely too. */
static int report_owned(struct walk *w, const char *path, struct td_bytes data,
			const char *error, const char *note, struct membuf *owner)
{
	struct td_buf shown;
	td_buf_init(&shown, (size_t)1 << 16);
	if (error && add_shown(&shown, error))
		return w->rc = TD_E_NOMEM;
	uint64_t consumed = w->top ? (uint64_t)archive_filter_bytes(w->top, -1) : 0;
	struct td_archive_member m = { path, data, error ? shown.p : NULL, note, consumed,
				       owner, w->lim->pool };
	if (w->handoff)
		handoff_put(w, &m, owner);
	else if (w->cb(&m, w->user))
		w->rc = TD_E_STOP;
	td_buf_release(&shown);
	return w->rc;
}

void *td_archive_member_keep(const struct td_archive_member *m, size_t *cap)
{
	struct membuf *b = m->keep_;
	if (b && b->p && b->p == m->data.p) {
		/* The walk allocates a new buffer for its next member. */
		void *p = b->p;
		*cap = b->cap;
		memset(b, 0, sizeof(*b));
		return p;
	}
	/* Never waits: the walk may hold the whole budget in the archive this
	 * member came from, and it cannot go on until the callback returns. */
	void *p = td_bufpool_get(m->pool_, m->data.len, SIZE_MAX, cap);
	if (p && m->data.len)
		memcpy(p, m->data.p, m->data.len);
	return p;
}

static int report(struct walk *w, const char *path, struct td_bytes data, const char *error,
		  const char *note)
{
	return report_owned(w, path, data, error, note, NULL);
}

static int report_error(struct walk *w, const char *path, const char *fmt, ...)
	TD_PRINTF(3, 4);

static int report_error(struct walk *w, const char *path, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return report(w, path, td_bytes_make(NULL, 0), msg, NULL);
}

static struct level *level_at(struct walk *w, unsigned depth)
{
	struct level **at = &w->levels;
	for (unsigned d = 1;; d++) {
		if (!*at) {
			*at = calloc(1, sizeof(**at));
			if (!*at)
				return NULL;
			td_buf_init(&(*at)->path, (size_t)1 << 20);
		}
		if (d == depth)
			return *at;
		at = &(*at)->next;
	}
}

/* Bytes of the pool the walk holds besides b: the archives it is inside. */
static size_t held_besides(const struct walk *w, const struct membuf *b)
{
	size_t n = 0;
	for (const struct level *lv = w->levels; lv; lv = lv->next)
		if (&lv->data != b)
			n += lv->data.cap;
	return n;
}

/* Room for need bytes; exact when the size is known, else doubling (at
 * most max).  The contents are kept.  An empty buffer is replaced by one
 * from the pool, which may wait for buffers in use to come back. */
static int reserve(struct walk *w, struct membuf *b, size_t need, size_t max, bool exact)
{
	if (need <= b->cap)
		return TD_OK;
	size_t ncap = need;
	if (!exact && b->cap < max / 2 && b->cap * 2 > need)
		ncap = b->cap * 2;
	if (!exact && ncap < 65536 && max >= 65536)
		ncap = 65536;
	struct td_bufpool *pool = w->lim->pool;
	uint8_t *np;
	if (!b->len) {
		td_bufpool_give(pool, b->p, b->cap);
		b->p = NULL;
		b->cap = 0;
		np = td_bufpool_get(pool, ncap, held_besides(w, b), &ncap);
	} else {
		np = td_bufpool_grow(pool, b->p, b->cap, ncap);
	}
	if (!np)
		return TD_E_NOMEM;
	b->p = np;
	b->cap = ncap;
	return TD_OK;
}

enum outcome {
	READ_ALL,     /* the whole member is in the buffer */
	READ_BROKEN,  /* the archive could not be read on (what was read is kept) */
	READ_FAILED,  /* this member could not be read; the next one can */
	READ_SKIPPED, /* a limit: not read */
	READ_END,     /* a bundle-wide limit: the walk is over */
};

struct reader {
	struct archive *a;
	struct archive_entry *e;
	const char *archive_path;
	uint64_t size;    /* of the archive's bytes */
	bool costly_skip; /* skipping a member means decompressing it */
	bool warning;     /* READ_ALL, but why says what is wrong with the data */
	char why[1024];
};

/* Reads the current member into b, enforcing the member, ratio and bundle
 * limits.  why says what went wrong for every outcome but READ_ALL. */
static enum outcome read_member(struct walk *w, struct reader *rd, struct membuf *b)
{
	const struct td_archive_limits *lim = w->lim;
	char lsz[32];
	b->len = 0;
	int64_t size = archive_entry_size_is_set(rd->e) ? archive_entry_size(rd->e) : -1;
	uint64_t max = lim->member_bytes < SIZE_MAX / 2 ? lim->member_bytes : SIZE_MAX / 2;
	if (size > 0 && (uint64_t)size > max) {
		fmt_size(lsz, sizeof(lsz), lim->member_bytes);
		snprintf(rd->why, sizeof(rd->why),
			 "not read: %lld bytes, more than the member limit of %s "
			 "(--max-member-bytes)",
			 (long long)size, lsz);
		return READ_SKIPPED;
	}
	/* Without memory for what the header says (it can lie), the buffer
	 * grows as the data comes instead. */
	if (size > 0)
		(void)reserve(w, b,
			      size < (int64_t)RESERVE_MAX ? (size_t)size : RESERVE_MAX, (size_t)max,
			      true);
	int64_t raw0 = archive_filter_bytes(rd->a, -1);
	unsigned long long at;
	rd->warning = false;
	unsigned empty = 0;
	for (;;) {
		const void *p;
		size_t n;
		la_int64_t off;
		int r = archive_read_data_block(rd->a, &p, &n, &off);
		if (r == ARCHIVE_EOF)
			return READ_ALL;
		if (r == ARCHIVE_WARN && !rd->warning) {
			/* Bad CRC and the like: the data is there but wrong somewhere. */
			const char *msg = archive_error_string(rd->a);
			at = (unsigned long long)archive_filter_bytes(rd->a, -1);
			snprintf(rd->why, sizeof(rd->why),
				 "damaged member at offset 0x%llx of '%s': %s (read as it is)", at,
				 rd->archive_path, msg ? msg : "unknown error");
			rd->warning = true;
		}
		if (r < ARCHIVE_WARN) {
			const char *msg = archive_error_string(rd->a);
			at = (unsigned long long)archive_filter_bytes(rd->a, -1);
			snprintf(rd->why, sizeof(rd->why), "%s at offset 0x%llx of '%s': %s",
				 r != ARCHIVE_FATAL ? "cannot read this member"
				 : at >= rd->size   ? "archive cut short (truncated)"
						    : "damaged archive",
				 at, rd->archive_path, msg ? msg : "unknown error");
			return r == ARCHIVE_FATAL ? READ_BROKEN : READ_FAILED;
		}
		if (!n && ++empty < 100)
			continue;
		if (!n || off < 0 || (uint64_t)off < b->len) {
			snprintf(rd->why, sizeof(rd->why),
				 "cannot read this member of '%s': data out of order",
				 rd->archive_path);
			return READ_FAILED;
		}
		if (stopped(w)) {
			w->rc = TD_E_STOP;
			return READ_END;
		}
		uint64_t end = (uint64_t)off + n;
		if (end > max) {
			fmt_size(lsz, sizeof(lsz), lim->member_bytes);
			snprintf(rd->why, sizeof(rd->why),
				 "not read: more than the member limit of %s (--max-member-bytes)",
				 lsz);
			return READ_SKIPPED;
		}
		uint64_t grow = end - b->len;
		if (grow > lim->bundle_bytes - w->total) {
			fmt_size(lsz, sizeof(lsz), lim->bundle_bytes);
			snprintf(rd->why, sizeof(rd->why),
				 "not read, nor the rest of '%s': more than %s decompressed in all "
				 "(--max-bundle-bytes)",
				 w->root, lsz);
			return READ_END;
		}
		w->total += grow;
		if (reserve(w, b, (size_t)end, (size_t)max, false)) {
			w->rc = TD_E_NOMEM;
			return READ_END;
		}
		memset(b->p + b->len, 0, (size_t)off - b->len); /* a hole in a sparse file */
		memcpy(b->p + off, p, n);
		b->len = (size_t)end;
		uint64_t used = (uint64_t)(archive_filter_bytes(rd->a, -1) - raw0);
		if (lim->ratio && b->len > TD_ARCHIVE_RATIO_FROM &&
		    (b->len - RATIO_SLACK) / (used ? used : 1) > lim->ratio) {
			snprintf(rd->why, sizeof(rd->why),
				 "not read: compressed more than %llu to 1 (--max-ratio), a likely "
				 "decompression bomb",
				 (unsigned long long)lim->ratio);
			return READ_SKIPPED;
		}
	}
}

/* Skipping the rest of a skipped member costs its decompression where
 * libarchive cannot seek past it (tar.gz, 7z, cab): count that against the
 * bundle's total so that a bomb cannot make the walk inflate it anyway. */
static bool charge_skip(struct walk *w, struct reader *rd, const struct membuf *b)
{
	if (!rd->costly_skip || !archive_entry_size_is_set(rd->e))
		return true;
	int64_t size = archive_entry_size(rd->e);
	uint64_t left = size > 0 && (uint64_t)size > b->len ? (uint64_t)size - b->len : 0;
	if (left > w->lim->bundle_bytes - w->total)
		return false;
	w->total += left;
	return true;
}

static int walk_archive(struct walk *w, struct archive *a, bool raw, struct td_bytes in,
			const char *path, unsigned depth);

/* A member read whole: an archive to open, or a file for the callback. */
static int deliver(struct walk *w, const char *path, struct membuf *b, const char *error,
		   unsigned depth)
{
	bool raw;
	struct td_bytes data = td_bytes_make(b->p, b->len);
	struct archive *inner = open_archive(data, &raw);
	if (!inner)
		return report_owned(w, path, data, error, NULL, b);
	if (error && report(w, path, td_bytes_make(NULL, 0), error, NULL))
		return w->rc;
	if (depth >= w->lim->depth) {
		archive_read_free(inner);
		return report_error(w, path,
				    "archive not opened: it is nested %u archives deep, the limit "
				    "is %u (--max-depth)",
				    depth + 1, w->lim->depth);
	}
	return walk_archive(w, inner, raw, data, path, depth + 1);
}

static bool is_costly_skip(struct archive *a)
{
	int fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
	return archive_filter_count(a) > 1 ||
	       (fmt != ARCHIVE_FORMAT_ZIP && fmt != ARCHIVE_FORMAT_TAR);
}

/* One entry of the archive at `depth`; false when the archive is over. */
static bool walk_entry(struct walk *w, struct reader *rd, struct td_bytes in, bool raw,
		       unsigned depth, size_t *files)
{
	struct level *lv = level_at(w, depth);
	if (!lv) {
		w->rc = TD_E_NOMEM;
		return false;
	}
	/* Folders, links and devices are no files; a tar hard link names a
	 * member read before. */
	if (archive_entry_filetype(rd->e) != AE_IFREG || archive_entry_hardlink(rd->e))
		return true;
	td_buf_reset(&lv->path);
	int rc = td_buf_adds(&lv->path, rd->archive_path);
	if (!rc)
		rc = td_buf_adds(&lv->path, "!/");
	if (!rc && raw)
		rc = raw_name(&lv->path, in, rd->archive_path, rd->e);
	else if (!rc) {
		const char *name = archive_entry_pathname_utf8(rd->e);
		if (!name)
			name = archive_entry_pathname(rd->e);
		if (!name)
			name = "";
		bool zip = (archive_format(rd->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
		if (zip && !td_utf8_valid(td_str_cstr(name)))
			rc = add_shown_cp437(&lv->path, name);
		else
			rc = add_shown(&lv->path, name);
	}
	if (rc) {
		w->rc = TD_E_NOMEM;
		return false;
	}
	const char *path = lv->path.p;
	(*files)++;
	if (archive_entry_is_encrypted(rd->e)) {
		report_error(w, path, "not read: encrypted (tlsdiag reads no passwords)");
		return !w->rc;
	}
	enum outcome o = read_member(w, rd, &lv->data);
	struct td_bytes data = td_bytes_make(lv->data.p, lv->data.len);
	switch (o) {
	case READ_ALL:
		deliver(w, path, &lv->data, rd->warning ? rd->why : NULL, depth);
		return !w->rc && !w->done;
	case READ_SKIPPED:
		if (!charge_skip(w, rd, &lv->data)) {
			char lsz[32];
			fmt_size(lsz, sizeof(lsz), w->lim->bundle_bytes);
			snprintf(rd->why + strlen(rd->why), sizeof(rd->why) - strlen(rd->why),
				 "; the rest of '%s' not read either: skipping this member would "
				 "pass %s decompressed (--max-bundle-bytes)",
				 w->root, lsz);
			w->done = true;
		}
		report_error(w, path, "%s", rd->why);
		return !w->rc && !w->done;
	case READ_FAILED:
	case READ_BROKEN:
		/* What was read before the damage still goes to the callback. */
		if (data.len)
			snprintf(rd->why + strlen(rd->why), sizeof(rd->why) - strlen(rd->why),
				 "; the first %zu bytes were read", data.len);
		deliver(w, path, &lv->data, rd->why, depth);
		return o == READ_FAILED && !w->rc && !w->done;
	case READ_END:
		if (!w->rc)
			report_error(w, path, "%s", rd->why);
		w->done = true;
		return false;
	}
	return false;
}

static int walk_archive(struct walk *w, struct archive *a, bool raw, struct td_bytes in,
			const char *path, unsigned depth)
{
	struct reader rd = { .a = a, .archive_path = path, .size = in.len,
			     .costly_skip = is_costly_skip(a) };
	size_t files = 0, failures = 0;
	const char *last = NULL;
	bool broken = false;
	for (;;) {
		int r = archive_read_next_header(a, &rd.e);
		if (r == ARCHIVE_EOF)
			break;
		bool retry = r == ARCHIVE_RETRY || r == ARCHIVE_FAILED;
		if (retry && ++failures < MAX_HEADER_FAILURES) {
			const char *name = archive_entry_pathname(rd.e);
			const char *msg = archive_error_string(a);
			if (r == ARCHIVE_FAILED &&
			    report_error(w, path, "cannot read the header of member '%s': %s",
					 name ? name : "?", msg ? msg : "unknown error"))
				break;
			continue;
		}
		if (r < ARCHIVE_WARN) {
			const char *msg = archive_error_string(a);
			char after[300] = "";
			if (last)
				snprintf(after, sizeof(after), " after member '%s'", last);
			uint64_t at = (uint64_t)archive_filter_bytes(a, -1);
			report_error(w, path, "%s at offset 0x%llx%s: %s",
				     at >= in.len ? "archive cut short (truncated)"
						  : "damaged archive",
				     (unsigned long long)at, after, msg ? msg : "unknown error");
			broken = true;
			break;
		}
		failures = 0;
		if (++w->entries > w->lim->members) {
			const char *name = archive_entry_pathname(rd.e);
			report_error(w, path,
				     "'%s' and the rest of '%s' not read: more than %llu members "
				     "(--max-members)",
				     name ? name : "?", w->root,
				     (unsigned long long)w->lim->members);
			w->done = true;
			break;
		}
		size_t before = files;
		if (!walk_entry(w, &rd, in, raw, depth, &files))
			break;
		if (files > before)
			last = level_at(w, depth)->path.p + strlen(path) + 2;
	}
	if (w->top == a)
		w->top = NULL;
	archive_read_free(a);
	if (!files && !broken && !w->done && !w->rc)
		report(w, path, td_bytes_make(NULL, 0), NULL, "archive holds no files");
	return w->rc;
}

/* --- read-ahead ---------------------------------------------------------- */

/* With read-ahead the walk runs on a thread of its own and hands members
 * over one at a time through a single slot: while the callback works on
 * one member on the caller's thread, the walk decompresses the next into a
 * second buffer, and waits for the slot before handing that one over.  So
 * at most two member buffers exist, and the callback sees members in the
 * same order as without read-ahead. */
struct handoff {
	pthread_mutex_t mu;
	pthread_cond_t cv;       /* signalled on every change of state */
	enum { SLOT_EMPTY, SLOT_FULL, SLOT_BUSY } state;
	struct td_archive_member m; /* path and error are malloc'ed copies */
	struct membuf buf;       /* the member's bytes, taken from the walk */
	bool finished;           /* the walk is over */
	atomic_bool stop;        /* the callback asked to stop */
	struct walk *w;
	struct archive *a;
	bool raw;
	struct td_bytes in;
};

static bool stopped(struct walk *w)
{
	return w->handoff && atomic_load(&w->handoff->stop);
}

static int handoff_put(struct walk *w, const struct td_archive_member *m, struct membuf *owner)
{
	struct handoff *h = w->handoff;
	char *path = strdup(m->path), *error = m->error ? strdup(m->error) : NULL;
	if (!path || (m->error && !error)) {
		free(path);
		free(error);
		return w->rc = TD_E_NOMEM;
	}
	pthread_mutex_lock(&h->mu);
	while (h->state != SLOT_EMPTY && !atomic_load(&h->stop))
		pthread_cond_wait(&h->cv, &h->mu);
	if (atomic_load(&h->stop)) {
		pthread_mutex_unlock(&h->mu);
		free(path);
		free(error);
		return w->rc = TD_E_STOP;
	}
	h->m = *m;
	h->m.path = path;
	h->m.error = error;
	memset(&h->buf, 0, sizeof(h->buf));
	if (owner) {
		/* The walk goes on in a buffer from the pool. */
		h->buf = *owner;
		memset(owner, 0, sizeof(*owner));
	}
	h->state = SLOT_FULL;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return w->rc;
}

static void *walk_thread(void *arg)
{
	struct handoff *h = arg;
	walk_archive(h->w, h->a, h->raw, h->in, h->w->root, 1);
	pthread_mutex_lock(&h->mu);
	h->finished = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* The caller's side: every member handed over goes to the callback. */
static void handoff_drain(struct handoff *h, td_archive_cb cb, void *user)
{
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (h->state != SLOT_FULL && !h->finished)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->state != SLOT_FULL)
			break;
		h->state = SLOT_BUSY;
		struct td_archive_member m = h->m;
		m.keep_ = h->buf.p ? &h->buf : NULL;
		pthread_mutex_unlock(&h->mu);
		bool stop = !atomic_load(&h->stop) && cb(&m, user);
		free((char *)m.path);
		free((char *)m.error);
		pthread_mutex_lock(&h->mu);
		if (stop)
			atomic_store(&h->stop, true);
		td_bufpool_give(h->w->lim->pool, h->buf.p, h->buf.cap);
		memset(&h->buf, 0, sizeof(h->buf));
		h->state = SLOT_EMPTY;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
}

/* Walks on a second thread; false when no thread could be started. */
static bool walk_ahead(struct walk *w, struct archive *a, bool raw, struct td_bytes in)
{
	struct handoff h = { .state = SLOT_EMPTY, .w = w, .a = a, .raw = raw, .in = in };
	atomic_init(&h.stop, false);
	if (pthread_mutex_init(&h.mu, NULL))
		return false;
	if (pthread_cond_init(&h.cv, NULL)) {
		pthread_mutex_destroy(&h.mu);
		return false;
	}
	w->handoff = &h;
	pthread_t t;
	bool ok = pthread_create(&t, NULL, walk_thread, &h) == 0;
	if (ok) {
		handoff_drain(&h, w->cb, w->user);
		pthread_join(t, NULL);
		if (atomic_load(&h.stop))
			w->rc = TD_E_STOP;
	}
	w->handoff = NULL;
	pthread_cond_destroy(&h.cv);
	pthread_mutex_destroy(&h.mu);
	return ok;
}

int td_archive_walk(struct td_bytes in, const char *name, const struct td_archive_limits *lim,
		    td_archive_cb cb, void *user)
{
	bool raw;
	struct archive *a = open_archive(in, &raw);
	if (!a)
		return TD_E_FORMAT;
	struct walk w = { .lim = lim, .cb = cb, .user = user, .root = name, .top = a };
	if (lim->depth < 1) {
		w.top = NULL;
		archive_read_free(a);
		report_error(&w, name, "archive not opened: the limit is 0 (--max-depth)");
		return w.rc;
	}
	if (!lim->read_ahead || !walk_ahead(&w, a, raw, in))
		walk_archive(&w, a, raw, in, name, 1);
	while (w.levels) {
		struct level *next = w.levels->next;
		td_bufpool_give(lim->pool, w.levels->data.p, w.levels->data.cap);
		td_buf_release(&w.levels->path);
		free(w.levels);
		w.levels = next;
	}
	return w.rc;
}
