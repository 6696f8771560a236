/* Progress line on standard error (see progress.h). */
#include "progress.h"

#include <dirent.h>
#include <pthread.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "run.h"

/* Redraws at most this often, and not before the run is this old (a quick
 * run shows nothing). */
#define INTERVAL 0.1
#define FIRST_DRAW 0.25
/* Width when the terminal does not say, and the range accepted. */
#define DEFAULT_WIDTH 80
#define MAX_WIDTH 400
/* Columns of the bar, shown from this terminal width on. */
#define BAR 20
#define BAR_FROM 72
/* Fewest columns worth showing of a file name. */
#define MIN_NAME 8

static struct {
	enum td_progress_mode mode;
	FILE *f;
	bool running, drawn;
	uint64_t total, done, pos;
	char *file;
	double start, last;
} P;

/* Inputs parsed on worker threads report their progress too. */
static pthread_mutex_t P_lock = PTHREAD_MUTEX_INITIALIZER;

enum td_progress_mode td_progress_choose(bool quiet, const char *env, const char *term, bool tty)
{
	if (quiet || (env && strcmp(env, "never") == 0))
		return TD_PROGRESS_OFF;
	if (env && strcmp(env, "always") == 0)
		return TD_PROGRESS_ALWAYS;
	if (!tty || (term && strcmp(term, "dumb") == 0))
		return TD_PROGRESS_OFF;
	return TD_PROGRESS_TTY;
}

void td_progress_init(enum td_progress_mode mode, FILE *f)
{
	td_progress_end();
	P.mode = f ? mode : TD_PROGRESS_OFF;
	P.f = f;
}

bool td_progress_enabled(void)
{
	return P.mode != TD_PROGRESS_OFF;
}

/* --- the total: stat only ---------------------------------------------- */

/* Adds the size of path (a buffer of PATH_MAX bytes holding len bytes) to
 * *sum; returns false when the size cannot be known. */
static bool size_of(char *path, size_t len, int depth, uint64_t *sum)
{
	struct stat lst, st;
	if (lstat(path, &lst) != 0)
		return true; /* reported by the run */
	bool link = S_ISLNK(lst.st_mode);
	if (link && stat(path, &st) != 0)
		return true;
	const struct stat *s = link ? &st : &lst;
	if (S_ISREG(s->st_mode)) {
		*sum += (uint64_t)s->st_size;
		return true;
	}
	if (!S_ISDIR(s->st_mode))
		return depth > 0; /* a named pipe or device is read to its end */
	if ((link && depth > 0) || depth >= TD_MAX_DEPTH)
		return true;
	DIR *d = opendir(path);
	if (!d)
		return true;
	bool known = true;
	for (struct dirent *e; known && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		bool slash = len && path[len - 1] == '/';
		int n = snprintf(path + len, PATH_MAX - len, "%s%s", slash ? "" : "/", e->d_name);
		if (n > 0 && (size_t)n < PATH_MAX - len)
			known = size_of(path, len + (size_t)n, depth + 1, sum);
		path[len] = '\0';
	}
	closedir(d);
	return known;
}

uint64_t td_progress_total(int npaths, char *const *paths)
{
	char *path = malloc(PATH_MAX);
	uint64_t sum = 0;
	bool known = path != NULL;
	for (int i = 0; i < npaths && known; i++) {
		size_t len = strlen(paths[i]);
		known = strcmp(paths[i], "-") != 0 && len < PATH_MAX;
		if (known) {
			memcpy(path, paths[i], len + 1);
			known = size_of(path, len, 0, &sum);
		}
	}
	free(path);
	return known ? sum : TD_PROGRESS_UNKNOWN;
}

/* --- formatting -------------------------------------------------------- */

struct line {
	char *p;
	size_t cap, len; /* len < cap whenever cap > 0 */
};

static void add(struct line *l, const char *fmt, ...) TD_PRINTF(2, 3);

static void add(struct line *l, const char *fmt, ...)
{
	if (l->len + 1 >= l->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->p + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < l->cap - l->len ? (size_t)n : l->cap - l->len - 1;
}

/* 512 B, 12.3 KiB, 4.0 GiB */
static void human(char *out, size_t cap, uint64_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	if (n < 1024) {
		snprintf(out, cap, "%u B", (unsigned)n);
		return;
	}
	double v = (double)n / 1024;
	size_t u = 0;
	while (v >= 1023.95 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(out, cap, "%.1f %s", v, units[u]);
}

static bool continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Columns of UTF-8 text (one per character). */
static size_t columns(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += !continuation(s[i]);
	return n;
}

/* Appends name in at most room columns: whole, or "..." and its end. */
static void add_name(struct line *l, const char *name, size_t room)
{
	size_t len = strlen(name), from = 0;
	if (columns(name, len) > room) {
		add(l, "...");
		size_t keep = 0;
		from = len;
		while (from > 0 && keep < room - 3)
			keep += !continuation(name[--from]);
		while (from < len && continuation(name[from]))
			from++;
	}
	for (size_t i = from; i < len && l->len + 1 < l->cap; i++) {
		unsigned char c = (unsigned char)name[i];
		l->p[l->len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	l->p[l->len] = '\0';
}

size_t td_progress_format(char *out, size_t cap, const struct td_progress_view *v, unsigned width)
{
	char head[128], done[16], total[16], rate[16];
	struct line h = { head, sizeof(head), 0 };
	head[0] = '\0';
	human(done, sizeof(done), v->done);
	if (v->total != TD_PROGRESS_UNKNOWN) {
		double frac = v->total ? (double)v->done / (double)v->total : 1.0;
		frac = frac > 1.0 ? 1.0 : frac;
		human(total, sizeof(total), v->total);
		add(&h, "%3d%% ", (int)(frac * 100));
		if (width >= BAR_FROM) {
			int fill = (int)(frac * BAR);
			add(&h, "[%.*s%.*s] ", fill, "####################", BAR - fill,
			    "--------------------");
		}
		add(&h, "%s / %s", done, total);
	} else {
		add(&h, "%s", done);
	}
	if (v->rate >= 0) {
		human(rate, sizeof(rate), (uint64_t)v->rate);
		add(&h, "  %s/s", rate);
	}
	size_t avail = width > 1 ? width - 1 : 0;
	struct line l = { out, cap, 0 };
	if (cap == 0)
		return 0;
	out[0] = '\0';
	add(&l, "%.*s", (int)(h.len < avail ? h.len : avail), head);
	if (v->file && avail >= h.len + 2 + MIN_NAME) {
		add(&l, "  ");
		add_name(&l, v->file, avail - h.len - 2);
	}
	return l.len;
}

/* --- the terminal ------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned term_width(void)
{
	struct winsize ws;
	if (P.mode != TD_PROGRESS_TTY || ioctl(fileno(P.f), TIOCGWINSZ, &ws) != 0 || !ws.ws_col)
		return DEFAULT_WIDTH;
	return ws.ws_col < MAX_WIDTH ? ws.ws_col : MAX_WIDTH;
}

/* Redraws the line: always in ALWAYS mode, else when the run is old enough
 * and the last redraw long enough ago. */
static void draw(void)
{
	if (!P.running)
		return;
	double rate = -1;
	if (P.mode == TD_PROGRESS_TTY) {
		double t = now();
		if (t - P.start < FIRST_DRAW || t - P.last < INTERVAL)
			return;
		P.last = t;
		rate = (double)P.done / (t - P.start);
	}
	struct td_progress_view v = { P.done, P.total, rate, P.file };
	char buf[MAX_WIDTH * 4 + 16];
	buf[0] = '\r';
	size_t n = 1 + td_progress_format(buf + 1, sizeof(buf) - 1, &v, term_width());
	fwrite(buf, 1, n, P.f);
	fputs("\033[K", P.f); /* clears what a longer line before left */
	fflush(P.f);
	P.drawn = true;
}

void td_progress_start(uint64_t total)
{
	if (!td_progress_enabled())
		return;
	td_progress_end();
	P.running = true;
	P.total = total;
	P.start = now();
	P.last = 0;
}

void td_progress_set_file(const char *name)
{
	pthread_mutex_lock(&P_lock);
	if (P.running) {
		free(P.file);
		P.file = name ? strdup(name) : NULL; /* no memory: no name shown */
		P.pos = 0;
		draw();
	}
	pthread_mutex_unlock(&P_lock);
}

static void advance(uint64_t bytes)
{
	if (!P.running || !bytes)
		return;
	P.done += bytes;
	draw();
}

void td_progress_advance(uint64_t bytes)
{
	pthread_mutex_lock(&P_lock);
	advance(bytes);
	pthread_mutex_unlock(&P_lock);
}

void td_progress_at(uint64_t pos)
{
	pthread_mutex_lock(&P_lock);
	if (P.running && pos > P.pos) {
		uint64_t delta = pos - P.pos;
		P.pos = pos;
		advance(delta);
	}
	pthread_mutex_unlock(&P_lock);
}

void td_progress_end(void)
{
	pthread_mutex_lock(&P_lock);
	if (P.drawn) {
		fputs("\r\033[K", P.f);
		fflush(P.f);
	}
	free(P.file);
	P.file = NULL;
	P.running = P.drawn = false;
	P.total = P.done = P.pos = 0;
	pthread_mutex_unlock(&P_lock);
}
