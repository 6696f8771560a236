/* Test archives built in memory (tests and benchmarks only, never shipped).
 *
 * td_aw_build() writes zip (zip64 on request), 7z and tar archives, with
 * an optional gzip/xz/bzip2 filter, through libarchive's write API;
 * td_aw_gzip() writes a single gzip stream with the original name in its
 * header (zlib); td_aw_cab() writes a Microsoft cabinet, which libarchive
 * cannot write, by hand: one folder stored without compression (or MSZIP),
 * checksums left 0 as the format allows.  Time stamps, owners and modes are
 * fixed, so the same files give the same bytes.
 */
#ifndef TD_ARCWRITE_H
#define TD_ARCWRITE_H

#include <stdbool.h>
#include <stddef.h>

struct td_aw_file {
	const char *name;
	const void *data;
	size_t len; /* bytes of data (strlen(data) when data is a string and len is 0) */
	bool dir;   /* a folder entry (data unused) */
};

/* format: "zip", "7zip", "ustar", "pax" or "gnutar"; filter: NULL,
 * "gzip", "xz" or "bzip2"; options: a libarchive option string such as
 * "zip:zip64" or "zip:encryption=zipcrypt" (NULL for none); passphrase for
 * encrypted zips (NULL for none).  Returns the malloc'ed archive (*len
 * bytes), or NULL on failure (message on stderr). */
unsigned char *td_aw_build(const char *format, const char *filter, const char *options,
			   const char *passphrase, const struct td_aw_file *f, size_t n,
			   size_t *len);

/* A tar of the file name holding data, then a hard link link_name to it. */
unsigned char *td_aw_tar_link(const char *name, const char *data, const char *link_name,
			      size_t *len);

/* One gzip stream of data, with name in its header unless NULL. */
unsigned char *td_aw_gzip(const char *name, const void *data, size_t len, size_t *outlen);

/* A cabinet holding the files (no folder entries) in one CAB folder,
 * stored (mszip false) or MSZIP-compressed. */
unsigned char *td_aw_cab(const struct td_aw_file *f, size_t n, bool mszip, size_t *len);

#endif
