/* Writes a synthetic log bundle for the benchmarks (bench/loggen.h): 35 %
 * CMTrace, 35 % UTF-16LE ERRORLOG, 15 % SMS trace, 15 % application log.
 * Deterministic for a given size.
 *
 * usage: gen_bundle DIR TOTAL_MB
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loggen.h"

static void gen(const char *dir, const char *name, void (*fn)(FILE *, uint64_t), uint64_t bytes)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "gen_bundle: cannot create '%s': %s\n", path, strerror(errno));
		exit(1);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	fn(f, bytes);
	if (fclose(f) != 0) {
		fprintf(stderr, "gen_bundle: cannot write '%s'\n", path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_bundle DIR TOTAL_MB\n");
		return 2;
	}
	const char *dir = argv[1];
	uint64_t total = strtoull(argv[2], NULL, 10) << 20;
	mkdir(dir, 0755);
	/* CMTrace and ERRORLOG carry most of the bytes, as in real bundles. */
	gen(dir, "CcmMessaging.log", td_gen_cmtrace, total * 35 / 100);
	gen(dir, "ERRORLOG", td_gen_errorlog, total * 35 / 100);
	gen(dir, "smsprov.log", td_gen_smstrace, total * 15 / 100);
	gen(dir, "SoftwareDistribution.log", td_gen_apptext, total * 15 / 100);
	return 0;
}
