/* mkbundle: writes the archives of tests/golden/inputs/bundles from files
 * of this repository (samples/ and tests/golden/inputs), so that the
 * golden tests read bundles made here and nowhere else.
 *
 *   mkbundle SOURCE_DIR OUT_DIR
 *
 * The output is the same byte for byte on every run (fixed times, owners
 * and modes); ctest checks that the checked-in files are what this tool
 * writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arcwrite.h"

static const char *src_dir, *out_dir;

/* Everything allocated, freed before exit. */
static void *owned[64];
static size_t nowned;

static void die(const char *what);

static void *own(void *p)
{
	if (!p || nowned == sizeof(owned) / sizeof(owned[0]))
		die("out of memory");
	return owned[nowned++] = p;
}

static void die(const char *what)
{
	fprintf(stderr, "mkbundle: %s\n", what);
	exit(2);
}

/* A file of the repository, read whole (kept until exit). */
static struct td_aw_file repo(const char *name, const char *path)
{
	char full[4096];
	snprintf(full, sizeof(full), "%s/%s", src_dir, path);
	FILE *f = fopen(full, "rb");
	if (!f) {
		fprintf(stderr, "mkbundle: cannot open '%s': %s\n", full, strerror(errno));
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = own(malloc(n > 0 ? (size_t)n : 1));
	if (!p || (n > 0 && fread(p, 1, (size_t)n, f) != (size_t)n))
		die("cannot read a file");
	fclose(f);
	return (struct td_aw_file){ name, p, (size_t)n, false };
}

/* An archive of files, as a file of another archive. */
static struct td_aw_file archive(const char *name, const char *format, const char *filter,
				 const char *options, const struct td_aw_file *f, size_t n)
{
	size_t len;
	unsigned char *p = td_aw_build(format, filter, options, NULL, f, n, &len);
	if (!p)
		die("cannot build an archive");
	return (struct td_aw_file){ name, own(p), len, false };
}

/* A zip of one stored file, marked encrypted (flag bit 0 in the local and
 * the central header): real encryption draws random bytes, and the reader
 * stops at the flag anyway. */
static struct td_aw_file encrypted(const char *name, const struct td_aw_file *f)
{
	struct td_aw_file z = archive(name, "zip", NULL, "zip:compression=store", f, 1);
	unsigned char *p = (unsigned char *)z.data;
	size_t cd = p[z.len - 6] | p[z.len - 5] << 8 | (size_t)p[z.len - 4] << 16;
	if (memcmp(p, "PK\3\4", 4) || memcmp(p + cd, "PK\1\2", 4))
		die("unexpected zip layout");
	p[6] |= 1;
	p[cd + 8] |= 1;
	return z;
}

static struct td_aw_file gzip(const char *name, const struct td_aw_file *f)
{
	size_t len;
	unsigned char *p = td_aw_gzip(f->name, f->data, f->len, &len);
	if (!p)
		die("cannot build a gzip file");
	return (struct td_aw_file){ name, own(p), len, false };
}

static struct td_aw_file cabinet(const char *name, const struct td_aw_file *f, size_t n)
{
	size_t len;
	unsigned char *p = td_aw_cab(f, n, true, &len);
	if (!p)
		die("cannot build a cabinet");
	return (struct td_aw_file){ name, own(p), len, false };
}

static void save(const char *name, const unsigned char *p, size_t n)
{
	char full[4096];
	snprintf(full, sizeof(full), "%s/%s", out_dir, name);
	FILE *f = fopen(full, "wb");
	if (!p || !f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "mkbundle: cannot write '%s'\n", full);
		exit(2);
	}
}

static void zip(const char *name, const struct td_aw_file *f, size_t n)
{
	struct td_aw_file z = archive(name, "zip", NULL, NULL, f, n);
	save(name, z.data, z.len);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

int main(int argc, char **argv)
{
	if (argc != 3)
		die("usage: mkbundle SOURCE_DIR OUT_DIR");
	src_dir = argv[1];
	out_dir = argv[2];

	/* Two machines, each in a folder of its own. */
	const struct td_aw_file machines[] = {
		{ "CM-SQL01/", NULL, 0, true },
		repo("CM-SQL01/Log/ERRORLOG", "samples/bundle/CM01-SQL/Log/ERRORLOG"),
		repo("CM-SQL01/Registry/tls.reg", "tests/golden/inputs/machines/disabled/tls.reg"),
		{ "CM-CLI07/", NULL, 0, true },
		repo("CM-CLI07/Logs/CcmMessaging.log",
		     "tests/golden/inputs/formats/CcmMessaging.log"),
		repo("CM-CLI07/x.reg", "tests/golden/inputs/machines/enabled/tls.reg"),
	};
	zip("machines.zip", machines, N(machines));

	/* Archives in archives: a cabinet and a gzip file in a tar.gz with a
	 * zip in it, in a zip. */
	const struct td_aw_file deepest[] = {
		repo("x/SRSRP.log", "samples/bundle/CM01-ReportingPoint/Logs/SRSRP.log"),
	};
	const struct td_aw_file app = repo("app.log", "tests/golden/inputs/formats/app.log");
	const struct td_aw_file tgz[] = {
		repo("CM01/smsprov.log", "samples/bundle/CM01-SiteServer/Logs/smsprov.log"),
		archive("more.zip", "zip", NULL, NULL, deepest, N(deepest)),
		gzip("app.log.gz", &app),
	};
	const struct td_aw_file cab[] = {
		repo("Temp/CBEngineCurr.errlog",
		     "samples/bundle/FS01-AzureBackup/Temp/CBEngineCurr.errlog"),
	};
	const struct td_aw_file nested[] = {
		repo("top.log", "tests/golden/inputs/clean.log"),
		archive("inner.tar.gz", "ustar", "gzip", NULL, tgz, N(tgz)),
		cabinet("backup.cab", cab, N(cab)),
	};
	zip("nested.zip", nested, N(nested));

	/* Hostile and damaged members next to good ones. */
	const struct td_aw_file clean = repo("clean.log", "tests/golden/inputs/clean.log");
	const struct td_aw_file secret[] = { { "pw.log", clean.data, clean.len, false } };
	const struct td_aw_file three[] = {
		clean,
		repo("agent.log", "tests/golden/inputs/correlate/APP01/agent.log"),
		app,
	};
	struct td_aw_file cut = archive("cut.zip", "zip", NULL, NULL, three, N(three));
	cut.len = 600; /* inside the third member's data */
	char *zeros = own(calloc(1, 2 << 20));
	const struct td_aw_file hostile[] = {
		{ "../../etc/passwd", clean.data, clean.len, false },
		{ "/abs/agent.log", clean.data, clean.len, false },
		{ "ctl\x1b[31mred.log", clean.data, clean.len, false },
		{ "zeros.bin", zeros, 2 << 20, false },
		encrypted("secret.zip", secret),
		{ "fake.zip", "not an archive at all\r\n", 0, false },
		archive("really-a-zip.log", "zip", NULL, NULL, three, 1),
		cut,
	};
	zip("hostile.zip", hostile, N(hostile));

	/* Names that lie: a zip named .log, text named .zip. */
	zip("zip-named.log", three, 2);
	const char *text = "just text, named like a zip\r\n";
	save("text-named.zip", (const unsigned char *)text, strlen(text));
	while (nowned)
		free(owned[--nowned]);
	return 0;
}
