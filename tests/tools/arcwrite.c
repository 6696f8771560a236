/* Test archives built in memory (see arcwrite.h). */
#include "arcwrite.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* 2024-03-05 00:00:00 UTC: every entry's time. */
#define FIXED_TIME 1709596800

struct out {
	unsigned char *p;
	size_t len, cap;
	bool failed;
};

static bool out_add(struct out *o, const void *p, size_t n)
{
	if (o->len + n > o->cap) {
		size_t ncap = o->cap ? o->cap : 4096;
		while (ncap < o->len + n)
			ncap *= 2;
		unsigned char *np = realloc(o->p, ncap);
		if (!np) {
			o->failed = true;
			return false;
		}
		o->p = np;
		o->cap = ncap;
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
	return true;
}

static la_ssize_t write_cb(struct archive *a, void *user, const void *p, size_t n)
{
	return out_add(user, p, n) ? (la_ssize_t)n : -1;
}

static size_t file_len(const struct td_aw_file *f)
{
	return f->len || !f->data ? f->len : strlen(f->data);
}

static unsigned char *fail(struct archive *a, struct out *o, const char *what)
{
	fprintf(stderr, "arcwrite: %s: %s\n", what, a ? archive_error_string(a) : "out of memory");
	free(o->p);
	return NULL;
}

unsigned char *td_aw_build(const char *format, const char *filter, const char *options,
			   const char *passphrase, const struct td_aw_file *f, size_t n,
			   size_t *len)
{
	struct out o = { 0 };
	struct archive *a = archive_write_new();
	if (!a)
		return fail(NULL, &o, "archive_write_new");
	if (archive_write_set_format_by_name(a, format) != ARCHIVE_OK ||
	    (filter && archive_write_add_filter_by_name(a, filter) != ARCHIVE_OK) ||
	    (options && archive_write_set_options(a, options) != ARCHIVE_OK) ||
	    (passphrase && archive_write_set_passphrase(a, passphrase) != ARCHIVE_OK)) {
		unsigned char *r = fail(a, &o, format);
		archive_write_free(a);
		return r;
	}
	if (filter && strcmp(filter, "gzip") == 0)
		archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open2(a, &o, NULL, write_cb, NULL, NULL) != ARCHIVE_OK) {
		unsigned char *r = fail(a, &o, "open");
		archive_write_free(a);
		return r;
	}
	struct archive_entry *e = archive_entry_new();
	for (size_t i = 0; i < n && e; i++) {
		archive_entry_clear(e);
		archive_entry_set_pathname_utf8(e, f[i].name);
		archive_entry_set_mtime(e, FIXED_TIME, 0);
		archive_entry_set_filetype(e, f[i].dir ? AE_IFDIR : AE_IFREG);
		archive_entry_set_perm(e, f[i].dir ? 0755 : 0644);
		size_t k = f[i].dir ? 0 : file_len(&f[i]);
		archive_entry_set_size(e, (la_int64_t)k);
		if (archive_write_header(a, e) != ARCHIVE_OK ||
		    (k && archive_write_data(a, f[i].data, k) != (la_ssize_t)k)) {
			unsigned char *r = fail(a, &o, f[i].name);
			archive_entry_free(e);
			archive_write_free(a);
			return r;
		}
	}
	archive_entry_free(e);
	int rc = archive_write_close(a);
	if (rc != ARCHIVE_OK || o.failed) {
		unsigned char *r = fail(a, &o, "close");
		archive_write_free(a);
		return r;
	}
	archive_write_free(a);
	*len = o.len;
	return o.p;
}

unsigned char *td_aw_tar_link(const char *name, const char *data, const char *link_name,
			      size_t *len)
{
	struct out o = { 0 };
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	bool ok = a && e && archive_write_set_format_ustar(a) == ARCHIVE_OK &&
		  archive_write_open2(a, &o, NULL, write_cb, NULL, NULL) == ARCHIVE_OK;
	if (ok) {
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, FIXED_TIME, 0);
		archive_entry_set_size(e, (la_int64_t)strlen(data));
		ok = archive_write_header(a, e) == ARCHIVE_OK &&
		     archive_write_data(a, data, strlen(data)) == (la_ssize_t)strlen(data);
		archive_entry_set_pathname(e, link_name);
		archive_entry_set_hardlink(e, name);
		archive_entry_set_size(e, 0);
		ok = ok && archive_write_header(a, e) == ARCHIVE_OK &&
		     archive_write_close(a) == ARCHIVE_OK && !o.failed;
	}
	unsigned char *r = ok ? o.p : fail(a, &o, "hard link");
	archive_entry_free(e);
	archive_write_free(a);
	*len = o.len;
	return r;
}

unsigned char *td_aw_gzip(const char *name, const void *data, size_t len, size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	gz_header h;
	memset(&h, 0, sizeof(h));
	h.name = (Bytef *)name;
	h.os = 3;
	if (name && deflateSetHeader(&z, &h) != Z_OK) {
		deflateEnd(&z);
		return NULL;
	}
	size_t cap = deflateBound(&z, (uLong)len) + (name ? strlen(name) + 1 : 0) + 64;
	unsigned char *out = malloc(cap);
	if (!out) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*outlen = cap - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

/* --- cabinet ------------------------------------------------------------- */

#define CAB_BLOCK 32768

static void le16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
	le16(p, v & 0xffff);
	le16(p + 2, v >> 16);
}

/* One CFDATA block: stored, or "CK" and a deflate stream of its own. */
static bool cab_block(struct out *o, const unsigned char *p, size_t n, bool mszip)
{
	unsigned char hdr[8], packed[CAB_BLOCK + 1024];
	size_t plen = n;
	const unsigned char *body = p;
	if (mszip) {
		z_stream z;
		memset(&z, 0, sizeof(z));
		if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return false;
		packed[0] = 'C';
		packed[1] = 'K';
		z.next_in = (Bytef *)p;
		z.avail_in = (uInt)n;
		z.next_out = packed + 2;
		z.avail_out = sizeof(packed) - 2;
		int rc = deflate(&z, Z_FINISH);
		plen = 2 + sizeof(packed) - 2 - z.avail_out;
		deflateEnd(&z);
		if (rc != Z_STREAM_END)
			return false;
		body = packed;
	}
	le32(hdr, 0); /* checksum: 0 means none */
	le16(hdr + 4, (uint32_t)plen);
	le16(hdr + 6, (uint32_t)n);
	return out_add(o, hdr, 8) && out_add(o, body, plen);
}

unsigned char *td_aw_cab(const struct td_aw_file *f, size_t n, bool mszip, size_t *len)
{
	/* The folder's uncompressed data: every file in turn. */
	struct out data = { 0 }, o = { 0 };
	for (size_t i = 0; i < n; i++)
		if (file_len(&f[i]) && !out_add(&data, f[i].data, file_len(&f[i])))
			return fail(NULL, &data, "cab");
	size_t nblocks = (data.len + CAB_BLOCK - 1) / CAB_BLOCK;
	size_t files_size = 0;
	for (size_t i = 0; i < n; i++)
		files_size += 16 + strlen(f[i].name) + 1;
	size_t data_start = 36 + 8 + files_size;

	unsigned char hdr[36 + 8] = { 'M', 'S', 'C', 'F' };
	le32(hdr + 16, 36 + 8); /* coffFiles */
	hdr[24] = 3;            /* version 1.3 */
	hdr[25] = 1;
	le16(hdr + 26, 1); /* one folder */
	le16(hdr + 28, (uint32_t)n);
	le16(hdr + 32, 0x1234); /* setID */
	le32(hdr + 36, (uint32_t)data_start);
	le16(hdr + 40, (uint32_t)nblocks);
	le16(hdr + 42, mszip ? 1 : 0);
	bool ok = out_add(&o, hdr, sizeof(hdr));
	uint32_t at = 0;
	for (size_t i = 0; i < n && ok; i++) {
		unsigned char fh[16];
		le32(fh, (uint32_t)file_len(&f[i]));
		le32(fh + 4, at);
		le16(fh + 8, 0);                                    /* folder 0 */
		le16(fh + 10, ((2024 - 1980) << 9) | (3 << 5) | 5); /* 2024-03-05 */
		le16(fh + 12, 0);
		le16(fh + 14, 0x20 | 0x80); /* archive, UTF-8 name */
		at += (uint32_t)file_len(&f[i]);
		char name[1024];
		snprintf(name, sizeof(name), "%s", f[i].name);
		for (char *c = name; *c; c++)
			if (*c == '/')
				*c = '\\';
		ok = out_add(&o, fh, sizeof(fh)) && out_add(&o, name, strlen(name) + 1);
	}
	for (size_t b = 0; b < nblocks && ok; b++) {
		size_t left = data.len - b * CAB_BLOCK;
		size_t k = left < CAB_BLOCK ? left : CAB_BLOCK;
		ok = cab_block(&o, data.p + b * CAB_BLOCK, k, mszip);
	}
	free(data.p);
	if (!ok)
		return fail(NULL, &o, "cab");
	le32(o.p + 8, (uint32_t)o.len); /* cbCabinet */
	*len = o.len;
	return o.p;
}
