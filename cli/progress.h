/* Progress of a run on standard error: the bytes of the inputs read so far
 * out of their total, the rate and the input being read, as one line
 * redrawn in place with '\r' at most ten times a second and erased at the
 * end, so that a report on the same terminal starts on a clean line.
 *
 * It is shown only when stderr is a terminal whose TERM is not "dumb", and
 * never with --quiet.  TLSDIAG_PROGRESS=always writes it wherever stderr
 * goes, for tests: 80 columns, no rate and a redraw on every call, so the
 * bytes written depend on the inputs only; TLSDIAG_PROGRESS=never turns it
 * off.
 *
 * There is one progress per process, behind a lock (worker threads parsing
 * files advance it; the line names the file a worker started last); every
 * function below is a no-op while it is off.  Byte counts are generic: a
 * file read from disk advances by its positions (td_progress_at), an archive
 * member by the compressed bytes its reader consumed (td_progress_advance),
 * so the total is always the sum of the sizes on disk.
 */
#ifndef TD_PROGRESS_H
#define TD_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A total that is not known (standard input): only bytes are shown. */
#define TD_PROGRESS_UNKNOWN UINT64_MAX

enum td_progress_mode {
	TD_PROGRESS_OFF,
	TD_PROGRESS_TTY,    /* a terminal: throttled redraws, the rate, its width */
	TD_PROGRESS_ALWAYS, /* any stream, deterministic (tests) */
};

/* The mode for a run from --quiet, $TLSDIAG_PROGRESS (env, may be NULL:
 * "always", "never", anything else is auto), $TERM (may be NULL) and whether
 * stderr is a terminal. */
enum td_progress_mode td_progress_choose(bool quiet, const char *env, const char *term, bool tty);
/* Turns progress on (or off with TD_PROGRESS_OFF), writing to f (borrowed;
 * stderr in the tool). */
void td_progress_init(enum td_progress_mode mode, FILE *f);
bool td_progress_enabled(void);

/* Sum of the sizes of the regular files named in paths or found in the
 * folders among them, walked as td_run_path() walks them (symbolic links to
 * folders followed only when named, depth capped), with stat only.
 * TD_PROGRESS_UNKNOWN when a path is "-" or another file that is not
 * regular (a pipe). */
uint64_t td_progress_total(int npaths, char *const *paths);

/* Starts counting towards total bytes (or TD_PROGRESS_UNKNOWN). */
void td_progress_start(uint64_t total);
/* The input now being read (copied); its position starts at 0. */
void td_progress_set_file(const char *name);
/* Counts bytes more as read. */
void td_progress_advance(uint64_t bytes);
/* The current file has been read up to byte pos: advances by what pos is
 * past the last position given (never goes back). */
void td_progress_at(uint64_t pos);
/* Erases the line if one was drawn and stops counting. */
void td_progress_end(void);

/* What one progress line shows. */
struct td_progress_view {
	uint64_t done;
	uint64_t total;   /* or TD_PROGRESS_UNKNOWN */
	double rate;      /* bytes per second; negative: not shown */
	const char *file; /* input being read, or NULL */
};

/* Formats v as one line of at most width - 1 columns (the last column is
 * left free so the terminal never wraps) into out, NUL-terminated within
 * cap bytes: percentage, a bar when width allows, bytes read / total, rate,
 * then the file name, shortened from the left ("...") to what is left, or
 * dropped when fewer than 8 columns are.  Control characters of the name
 * are shown as '?'.  Returns the length in bytes. */
size_t td_progress_format(char *out, size_t cap, const struct td_progress_view *v, unsigned width);

#endif
