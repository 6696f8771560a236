/* Unit tests for cli/progress.c: when the progress line is shown, the line
 * itself for every width and name, the bytes written in the deterministic
 * mode, and the total of a folder walked with stat. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

static const struct {
	bool quiet;
	const char *env, *term;
	bool tty;
	enum td_progress_mode want;
} choices[] = {
	{ false, NULL, "xterm", true, TD_PROGRESS_TTY },
	{ false, NULL, NULL, true, TD_PROGRESS_TTY },
	{ false, NULL, "xterm", false, TD_PROGRESS_OFF },
	{ false, NULL, "dumb", true, TD_PROGRESS_OFF },
	{ true, NULL, "xterm", true, TD_PROGRESS_OFF },
	{ false, "always", "dumb", false, TD_PROGRESS_ALWAYS },
	{ true, "always", "xterm", true, TD_PROGRESS_OFF },
	{ false, "never", "xterm", true, TD_PROGRESS_OFF },
	{ false, "auto", "xterm", true, TD_PROGRESS_TTY },
	{ false, "", "xterm", false, TD_PROGRESS_OFF },
};

START_TEST(choose_mode)
{
	ck_assert_int_eq(td_progress_choose(choices[_i].quiet, choices[_i].env, choices[_i].term,
					    choices[_i].tty),
			 choices[_i].want);
}
END_TEST

#define MIB ((uint64_t)1 << 20)

static const struct {
	uint64_t done, total;
	double rate;
	const char *file;
	unsigned width;
	const char *want;
} lines[] = {
	/* 80 columns: percentage, bar, bytes, rate, name. */
	{ 210 * MIB, 500 * MIB, 85.3 * MIB, "bundle/CM01/Logs/SRSRP.log", 80,
	  " 42% [########------------] 210.0 MiB / 500.0 MiB  85.3 MiB/s  ...ogs/SRSRP.log" },
	/* No rate (the deterministic mode), the whole name fits. */
	{ 512, 2048, -1, "a.log", 80, " 25% [#####---------------] 512 B / 2.0 KiB  a.log" },
	/* Narrower than the bar needs: no bar. */
	{ 1536, 2048, -1, "x.evtx", 60, " 75% 1.5 KiB / 2.0 KiB  x.evtx" },
	/* The name is cut from the left to fill 59 columns exactly. */
	{ 0, 100, -1, "/very/long/path/to/the/customer/bundle/Logs/ServicePortalWebSite.svclog",
	  60, "  0% 0 B / 100 B  ...undle/Logs/ServicePortalWebSite.svclog" },
	/* Unknown total (stdin): bytes only. */
	{ 3 * MIB, TD_PROGRESS_UNKNOWN, 1024, "<stdin>", 80, "3.0 MiB  1.0 KiB/s  <stdin>" },
	/* More than the total (a file grew): capped at 100%. */
	{ 300, 200, -1, NULL, 80, "100% [####################] 300 B / 200 B" },
	/* Empty inputs only. */
	{ 0, 0, -1, NULL, 80, "100% [####################] 0 B / 0 B" },
	/* Too narrow for a name: it is dropped; the rest is cut to width - 1. */
	{ 5, 10, -1, "name.log", 24, " 50% 5 B / 10 B" },
	{ 5, 10, -1, "name.log", 10, " 50% 5 B " },
	{ 5, 10, -1, "name.log", 0, "" },
	/* Control characters are shown as '?'; UTF-8 is cut at a character. */
	{ 1, 10, -1, "a\nb\tc\x1b[31m.log", 40, " 10% 1 B / 10 B  a?b?c?[31m.log" },
	{ 1, 10, -1, "dossier/\xc3\xa9t\xc3\xa9/journal\xc3\xa9.log", 35,
	  " 10% 1 B / 10 B  ...\xc3\xa9/journal\xc3\xa9.log" },
	/* Units up the scale. */
	{ (uint64_t)5 << 40, (uint64_t)10 << 40, -1, NULL, 40, " 50% 5.0 TiB / 10.0 TiB" },
	{ 1048575, TD_PROGRESS_UNKNOWN, -1, NULL, 40, "1.0 MiB" },
};

START_TEST(format_line)
{
	char out[512];
	struct td_progress_view v = { lines[_i].done, lines[_i].total, lines[_i].rate,
				      lines[_i].file };
	size_t n = td_progress_format(out, sizeof(out), &v, lines[_i].width);
	ck_assert_str_eq(out, lines[_i].want);
	ck_assert_uint_eq(n, strlen(lines[_i].want));
}
END_TEST

/* A small buffer is filled, never overrun, and stays NUL-terminated. */
START_TEST(format_small_buffer)
{
	char out[12];
	memset(out, 'x', sizeof(out));
	struct td_progress_view v = { 1, 10, 1e9, "some/file.log" };
	size_t n = td_progress_format(out, 8, &v, 80);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(out, " 10% [#");
	ck_assert_int_eq(out[8], 'x');
	ck_assert_uint_eq(td_progress_format(out, 0, &v, 80), 0);
}
END_TEST

/* The deterministic mode writes every step; the end erases the line. */
START_TEST(always_mode_bytes)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	td_progress_init(TD_PROGRESS_ALWAYS, f);
	ck_assert(td_progress_enabled());
	td_progress_start(3000);
	td_progress_set_file("a.log");
	td_progress_at(1000);
	td_progress_at(500); /* never back */
	td_progress_at(2000);
	td_progress_set_file("b.log");
	td_progress_advance(1000);
	td_progress_end();
	td_progress_init(TD_PROGRESS_OFF, NULL);
	fclose(f);
	ck_assert_str_eq(buf, "\r  0% [--------------------] 0 B / 2.9 KiB  a.log\033[K"
			      "\r 33% [######--------------] 1000 B / 2.9 KiB  a.log\033[K"
			      "\r 66% [#############-------] 2.0 KiB / 2.9 KiB  a.log\033[K"
			      "\r 66% [#############-------] 2.0 KiB / 2.9 KiB  b.log\033[K"
			      "\r100% [####################] 2.9 KiB / 2.9 KiB  b.log\033[K"
			      "\r\033[K");
	free(buf);
}
END_TEST

/* Off (the default, and with --quiet): nothing is written at all. */
START_TEST(off_writes_nothing)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	td_progress_init(TD_PROGRESS_OFF, f);
	ck_assert(!td_progress_enabled());
	td_progress_start(10);
	td_progress_set_file("a.log");
	td_progress_advance(5);
	td_progress_end();
	fclose(f);
	ck_assert_uint_eq(len, 0);
	free(buf);
}
END_TEST

static void write_file(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fputc('x', f);
	fclose(f);
}

/* Files and folders are summed as the run walks them; stdin is unknown. */
START_TEST(total_of_paths)
{
	char dir[] = "/tmp/td_progress_XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char sub[64], a[64], fifo[64], p[128], link[128];
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(a, sizeof(a), "%s/a.log", dir);
	write_file(a, 100);
	snprintf(p, sizeof(p), "%s/b.log", sub);
	write_file(p, 20);
	/* A link to a folder met while walking is not followed (no loops). */
	snprintf(link, sizeof(link), "%s/loop", sub);
	ck_assert_int_eq(symlink(dir, link), 0);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);

	char *one[] = { dir };
	ck_assert_uint_eq(td_progress_total(1, one), 120);
	char *two[] = { a, sub, "/nonexistent/td_progress" };
	ck_assert_uint_eq(td_progress_total(3, two), 120);
	/* A named link to a folder is followed. */
	char *named[] = { link };
	ck_assert_uint_eq(td_progress_total(1, named), 120);
	char *in[] = { a, "-" };
	ck_assert_uint_eq(td_progress_total(2, in), TD_PROGRESS_UNKNOWN);
	char *pipe[] = { fifo };
	ck_assert_uint_eq(td_progress_total(1, pipe), TD_PROGRESS_UNKNOWN);
	ck_assert_uint_eq(td_progress_total(0, NULL), 0);

	unlink(fifo);
	unlink(link);
	unlink(p);
	unlink(a);
	rmdir(sub);
	rmdir(dir);
}
END_TEST

Suite *progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");
	tcase_add_loop_test(tc, choose_mode, 0, sizeof(choices) / sizeof(choices[0]));
	tcase_add_loop_test(tc, format_line, 0, sizeof(lines) / sizeof(lines[0]));
	tcase_add_test(tc, format_small_buffer);
	tcase_add_test(tc, always_mode_bytes);
	tcase_add_test(tc, off_writes_nothing);
	tcase_add_test(tc, total_of_paths);
	suite_add_tcase(s, tc);
	return s;
}
