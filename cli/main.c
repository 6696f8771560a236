/* tlsdiag: command line, and the only place that calls exit(). */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "jobs.h"
#include "output.h"
#include "progress.h"
#include "run.h"
#include "sigpath.h"
#include "td_config.h"

static const char usage_text[] =
	"usage: tlsdiag [options] PATH...\n"
	"       tlsdiag signatures list [--format text|json]\n"
	"       tlsdiag signatures check\n"
	"       tlsdiag signatures show ID\n"
	"       tlsdiag signatures coverage [--format text|markdown]\n"
	"       tlsdiag events [--format ndjson|xml|text] PATH...\n"
	"       tlsdiag timeline [--format text|json|ndjson] [--since T] [--until T]\n"
	"                        [--host H]... PATH...   (TLS events of all hosts in UTC order)\n"
	"       tlsdiag explain ID            (a signature, its kb id, or a remedy)\n"
	"\n"
	"Reads Windows log bundles (files, folders recursively, archives, '-' for\n"
	"standard input), recognises documented TLS 1.2 migration failures and\n"
	"prints the evidence and the documented fix.\n"
	"\n"
	"options:\n"
	"  -f, --format FMT       text (default), json, ndjson or html (one self-contained\n"
	"                         page: tlsdiag --format html BUNDLE > report.html)\n"
	"      --signatures DIR   signature database folder (default: installed copy)\n"
	"      --color WHEN       auto (default), always or never; NO_COLOR is honoured\n"
	"      --max-evidence N   evidence items kept per finding (default 10)\n"
	"      --fail-on SEV      exit status 1 only for a finding of SEV or worse: error,\n"
	"                         warning (default), info, or never\n"
	"  -j, --jobs N           threads that parse inputs (default: one per processor;\n"
	"                         the report is the same whatever N)\n"
	"  -v, --verbose          show every kept evidence item and input note\n"
	"  -q, --quiet            no progress line and no notes on stderr, only errors\n"
	"      --explain          also list the signatures the inputs could not show, and what\n"
	"                         to collect for them\n"
	"  -h, --help             show this help\n"
	"  -V, --version          show the version\n"
	"\n"
	"timeline options:\n"
	"      --since T          only events at or after T: YYYY-MM-DD or\n"
	"                         YYYY-MM-DDTHH:MM[:SS][Z], in UTC\n"
	"      --until T          only events before the end of T (its day, minute or second)\n"
	"      --host H           only events of host H: short name or FQDN, case ignored;\n"
	"                         repeat it or list names with commas\n"
	"\n"
	"Archives (.zip, .cab, .7z, .tar, .tar.gz, .tar.xz, .gz, ...) are recognised by their\n"
	"content and read in memory; a member is named bundle.zip!/folder/file.  Limits\n"
	"against hostile archives, per bundle (SIZE in bytes, or with K, M, G or T):\n"
	"      --max-bundle-bytes SIZE  bytes decompressed in all, nested archives included\n"
	"                               (default 16G; the rest of the bundle is not read)\n"
	"      --max-member-bytes SIZE  largest member read (default 4G)\n"
	"      --max-ratio N            a member over 1 MiB that decompresses to more than N\n"
	"                               times its compressed size is skipped (default 1000,\n"
	"                               0 for no limit)\n"
	"      --max-depth N            archives opened inside one another (default 8)\n"
	"      --max-members N          entries read in all (default 1000000; the rest of\n"
	"                               the bundle is not read)\n"
	"Other limits:\n"
	"      --max-stream-bytes SIZE  most read of standard input, a pipe, FIFO or device\n"
	"                               (default 4G; more is an error, nothing is read)\n"
	"      --max-timeline N         timeline entries kept, also for the HTML chart\n"
	"                               (default 1000000; the rest are counted)\n"
	"\n"
	"exit status: 0 no finding at the --fail-on severity or above (by default no\n"
	"warning or error), 1 such findings, 2 usage error or unreadable input\n"
	"(everything readable is still reported); timeline: 0 or 2.\n";

/* --host options kept (each may list several names). */
#define MAX_HOST_ARGS 32

struct options {
	const char *format;
	const char *sigdir;
	const char *color;
	size_t max_evidence;
	int fail_on; /* see struct td_run */
	bool verbose;
	bool explain;
	bool quiet;
	const char *since, *until; /* timeline */
	const char *hosts[MAX_HOST_ARGS];
	size_t nhosts;
	struct td_archive_limits limits;
	unsigned jobs; /* 0: one per processor */
	uint64_t max_stream;  /* 0: TD_MAX_STDIN */
	uint64_t max_timeline; /* 0: TD_TIMELINE_MAX */
};

enum {
	OPT_MAX_BUNDLE = 256,
	OPT_MAX_MEMBER,
	OPT_MAX_RATIO,
	OPT_MAX_DEPTH,
	OPT_MAX_MEMBERS,
	OPT_MAX_STREAM,
	OPT_MAX_TIMELINE,
};

static int usage_error(const char *fmt, ...) TD_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tlsdiag: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'tlsdiag --help'.\n", stderr);
	return TD_EXIT_TROUBLE;
}

/* --fail-on: the lowest severity that fails, or TD_FAIL_NEVER. */
static int parse_fail_on(const char *s, int *out)
{
	static const struct {
		const char *name;
		int fail_on;
	} names[] = { { "error", TD_SEV_ERROR },
		      { "warning", TD_SEV_WARNING },
		      { "info", TD_SEV_INFO },
		      { "never", TD_FAIL_NEVER } };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0) {
			*out = names[i].fail_on;
			return TD_OK;
		}
	return TD_E_USAGE;
}

/* "16G", "4GiB", "1000": a number with an optional binary unit. */
static bool parse_size(const char *s, bool units, uint64_t *out)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	int shift = 0;
	const char *u = "KMGT";
	if (units && *end && strchr(u, *end & ~0x20)) {
		shift = 10 * (int)(strchr(u, *end & ~0x20) - u + 1);
		end++;
		if (*end == 'i')
			end++;
		if (*end == 'B')
			end++;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

/* One of the archive limits. */
static int archive_limit(struct td_archive_limits *lim, int opt, const char *name,
			 const char *arg)
{
	uint64_t v;
	bool bytes = opt == OPT_MAX_BUNDLE || opt == OPT_MAX_MEMBER;
	if (!parse_size(arg, bytes, &v) || (opt == OPT_MAX_DEPTH && v > 1000))
		return usage_error("--%s takes %s, not '%s'", name,
				   bytes ? "a size such as 4G or 1000000"
				   : opt == OPT_MAX_DEPTH ? "a number from 0 to 1000" : "a number",
				   arg);
	switch (opt) {
	case OPT_MAX_BUNDLE: lim->bundle_bytes = v; break;
	case OPT_MAX_MEMBER: lim->member_bytes = v; break;
	case OPT_MAX_RATIO: lim->ratio = v; break;
	case OPT_MAX_DEPTH: lim->depth = (unsigned)v; break;
	default: lim->members = v; break;
	}
	return 0;
}

/* Exit status after writing only to stdout (--help, --version). */
static int written(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return TD_EXIT_CLEAN;
	fprintf(stderr, "tlsdiag: cannot write output: %s\n", strerror(errno));
	return TD_EXIT_TROUBLE;
}

static bool want_color(const char *when)
{
	if (strcmp(when, "always") == 0)
		return true;
	if (strcmp(when, "never") == 0)
		return false;
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	if (nc && *nc)
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO);
}

/* Problems with inputs on stderr, each naming the file and the line or
 * offset: unreadable inputs always, then (unless quiet, which keeps only
 * errors) skipped binary files and the first diagnostics of each input; the
 * report lists them all. */
#define STDERR_DIAGS 5

static void report_problems(const struct td_run_report *rep, bool quiet)
{
	for (size_t i = 0; i < rep->ninputs; i++) {
		const struct td_input_report *in = &rep->inputs[i];
		if (in->error) {
			fprintf(stderr, "tlsdiag: %s: %s\n", in->path, in->error);
			continue;
		}
		if (in->format == TD_FMT_BINARY && !quiet)
			fprintf(stderr, "tlsdiag: %s: not text and not an event log; skipped\n",
				in->path);
		size_t shown = 0, left = in->diag.dropped;
		for (size_t k = 0; k < in->diag.n; k++) {
			const struct td_diag_entry *e = &in->diag.items[k];
			if (quiet && e->level < TD_DIAG_ERROR)
				continue;
			if (shown == STDERR_DIAGS) {
				left++;
				continue;
			}
			shown++;
			fprintf(stderr, "tlsdiag: %s", in->path);
			if (e->line != TD_DIAG_NO_LINE)
				fprintf(stderr, ":%llu", (unsigned long long)e->line);
			else if (e->offset != TD_DIAG_NO_OFFSET)
				fprintf(stderr, ": offset 0x%llx", (unsigned long long)e->offset);
			fprintf(stderr, ": %s: %s\n", td_diag_level_name(e->level), e->msg);
		}
		if (left && !quiet)
			fprintf(stderr, "tlsdiag: %s: %zu more problems (listed in the report)\n",
				in->path, left);
	}
}

/* Reads the inputs and writes the diagnosis, or with tlf the timeline (the
 * entries it keeps). */
static int diagnose(int npaths, char **paths, const struct options *o,
		    const struct td_timeline_filter *tlf)
{
	const struct td_output_ops *ops = td_output_find(o->format);
	if (!ops)
		return usage_error("unknown format '%s' (use text, json, ndjson or html)",
				   o->format);
	if (tlf && ops == &td_output_html)
		return usage_error("the timeline is drawn in the HTML report: "
				   "tlsdiag --format html PATH...");
	struct td_sigdb *db;
	struct td_err err = { 0 };
	if (td_sigpath_load(o->sigdir, &db, &err)) {
		fprintf(stderr, "tlsdiag: %s\n", err.msg);
		return TD_EXIT_TROUBLE;
	}
	struct td_run run;
	if (td_run_init(&run, db, o->max_evidence, &err)) {
		fprintf(stderr, "tlsdiag: %s\n", err.msg);
		td_sigdb_free(db);
		return TD_EXIT_TROUBLE;
	}
	run.fail_on = o->fail_on;
	if (o->jobs)
		run.workers = o->jobs;
	if (o->max_stream)
		run.max_stream = o->max_stream < SIZE_MAX ? (size_t)o->max_stream : SIZE_MAX;
	td_progress_init(td_progress_choose(o->quiet, getenv("TLSDIAG_PROGRESS"), getenv("TERM"),
					    isatty(STDERR_FILENO)),
			 stderr);
	if (td_progress_enabled())
		td_progress_start(td_progress_total(npaths, paths));
	/* The HTML report draws the timeline as a chart. */
	int rc = tlf || ops == &td_output_html ? td_run_want_timeline(&run, (size_t)o->max_timeline) : TD_OK;
	run.limits = o->limits;
	for (int i = 0; i < npaths && !rc; i++)
		rc = td_run_path(&run, paths[i]);
	td_progress_end();
	struct td_run_report rep;
	if (!rc)
		rc = td_run_finish(&run, &rep);
	int status;
	if (rc) {
		fprintf(stderr, "tlsdiag: %s\n", td_status_str(rc));
		status = TD_EXIT_TROUBLE;
	} else {
		report_problems(&rep, o->quiet);
		struct td_output_opts oo = { .color = want_color(o->color), .verbose = o->verbose,
					     .explain = o->explain };
		status = rep.exit_code;
		int wrc;
		if (tlf) {
			status = rep.unreadable ? TD_EXIT_TROUBLE : TD_EXIT_CLEAN;
			enum td_timeline_format fmt = ops == &td_output_json	? TD_TIMELINE_JSON
						      : ops == &td_output_ndjson ? TD_TIMELINE_NDJSON
										 : TD_TIMELINE_TEXT;
			wrc = td_output_timeline(stdout, fmt, &rep, tlf, status);
		} else {
			wrc = td_output_write(ops, stdout, &oo, &rep);
		}
		if (wrc) {
			fprintf(stderr, "tlsdiag: cannot write output: %s\n", strerror(errno));
			status = TD_EXIT_TROUBLE;
		}
	}
	td_run_release(&run);
	td_sigdb_free(db);
	return status;
}

static int timeline(int npaths, char **paths, const struct options *o)
{
	struct td_timeline_filter f = { .hosts = o->hosts, .nhosts = o->nhosts };
	int64_t unused;
	const char *bad = NULL;
	if (o->since && !(f.has_since = td_timeline_parse_time(o->since, &f.since, &unused)))
		bad = o->since;
	if (o->until && !(f.has_until = td_timeline_parse_time(o->until, &unused, &f.until)))
		bad = o->until;
	if (bad)
		return usage_error("timeline: '%s' is not YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z]", bad);
	if (npaths == 0)
		return usage_error("timeline: no input given (a file, a folder, or '-' for stdin)");
	return diagnose(npaths, paths, o, &f);
}

int main(int argc, char **argv)
{
#ifdef M_MMAP_THRESHOLD
	/* Buffers of 4 MiB and more (archive members) are mapped on their own:
	 * one the member pool frees goes back to the system at once, and one
	 * it grows is moved by remapping, not copied.  glibc's moving threshold
	 * would keep freed ones in the heaps of the threads that allocated
	 * them. */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "signatures", required_argument, NULL, 's' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "max-evidence", required_argument, NULL, 'e' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "explain", no_argument, NULL, 'x' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "host", required_argument, NULL, 'H' },
		{ "max-bundle-bytes", required_argument, NULL, OPT_MAX_BUNDLE },
		{ "max-member-bytes", required_argument, NULL, OPT_MAX_MEMBER },
		{ "max-ratio", required_argument, NULL, OPT_MAX_RATIO },
		{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-stream-bytes", required_argument, NULL, OPT_MAX_STREAM },
		{ "max-timeline", required_argument, NULL, OPT_MAX_TIMELINE },
		{ "max-members", required_argument, NULL, OPT_MAX_MEMBERS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .format = "text", .color = "auto", .max_evidence = TD_DEFAULT_EVIDENCE,
			     .fail_on = TD_SEV_WARNING };
	td_archive_limits_init(&o.limits);
	bool format_given = false;
	int c, li;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:j:vqhV", longopts, &li)) != -1) {
		switch (c) {
		case OPT_MAX_BUNDLE:
		case OPT_MAX_MEMBER:
		case OPT_MAX_RATIO:
		case OPT_MAX_DEPTH:
		case OPT_MAX_MEMBERS:
			if (archive_limit(&o.limits, c, longopts[li].name, optarg))
				return TD_EXIT_TROUBLE;
			break;
		case OPT_MAX_STREAM:
		case OPT_MAX_TIMELINE: {
			uint64_t v;
			bool bytes = c == OPT_MAX_STREAM;
			if (!parse_size(optarg, bytes, &v) || v == 0 ||
			    (!bytes && v > 100000000))
				return usage_error("--%s takes %s, not '%s'", longopts[li].name,
						   bytes ? "a size such as 4G or 1000000"
							 : "a number from 1 to 100000000",
						   optarg);
			if (bytes)
				o.max_stream = v;
			else
				o.max_timeline = v;
			break;
		}
		case 'f':
			o.format = optarg;
			format_given = true;
			break;
		case 's':
			o.sigdir = optarg;
			break;
		case 'c':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return usage_error("--color takes auto, always or never, not '%s'",
						   optarg);
			o.color = optarg;
			break;
		case 'e': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 2 || v > 100000)
				return usage_error("--max-evidence takes a number from 2 to 100000, not "
						   "'%s'",
						   optarg);
			o.max_evidence = (size_t)v;
			break;
		}
		case 'F':
			if (parse_fail_on(optarg, &o.fail_on))
				return usage_error("--fail-on takes error, warning, info or never, "
						   "not '%s'",
						   optarg);
			break;
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 1 || v > TD_JOBS_MAX)
				return usage_error("--jobs takes a number from 1 to %d, not '%s'",
						   TD_JOBS_MAX, optarg);
			o.jobs = (unsigned)v;
			break;
		}
		case 'v':
			o.verbose = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'x':
			o.explain = true;
			break;
		case 'S':
			o.since = optarg;
			break;
		case 'U':
			o.until = optarg;
			break;
		case 'H':
			if (o.nhosts == MAX_HOST_ARGS)
				return usage_error("more than %d --host options (list names with commas)",
						   MAX_HOST_ARGS);
			o.hosts[o.nhosts++] = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return written();
		case 'V':
			printf("tlsdiag %s\n", TD_VERSION);
			return written();
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	int nargs = argc - optind;
	char **args = argv + optind;
	bool is_timeline = nargs >= 1 && strcmp(args[0], "timeline") == 0;
	if (!is_timeline && (o.since || o.until || o.nhosts))
		return usage_error("--since, --until and --host go with 'tlsdiag timeline'");
	if (is_timeline)
		return timeline(nargs - 1, args + 1, &o);
	if (nargs >= 1 && strcmp(args[0], "signatures") == 0)
		return td_cmd_signatures(nargs - 1, args + 1, o.sigdir, format_given ? o.format : NULL,
					 stdout);
	if (nargs >= 1 && strcmp(args[0], "explain") == 0) {
		if (nargs != 2)
			return usage_error("explain takes one signature id, kb id or remedy id");
		char *sub[] = { "explain", args[1] };
		return td_cmd_signatures(2, sub, o.sigdir, NULL, stdout);
	}
	if (nargs >= 1 && strcmp(args[0], "events") == 0)
		return td_cmd_events(nargs - 1, args + 1, format_given ? o.format : NULL, o.quiet,
				     stdout);
	if (nargs == 0)
		return usage_error("no input given (a file, a folder, or '-' for stdin)");
	return diagnose(nargs, args, &o, NULL);
}
