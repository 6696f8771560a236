/* The parser interface: bytes in, events out.
 *
 * Parsers never open files: they are fed text from memory, so tests and
 * fuzzers drive them exactly as the tool does.  Text parsers are incremental:
 * td_parse_text() decodes the input to UTF-8 (in place for UTF-8 inputs) and
 * feeds it in windows (struct td_chunk).  feed() emits every complete record
 * of the window through td_emit() and reports how many bytes it consumed;
 * the unconsumed tail (an incomplete last record) is offered again, extended,
 * in the next window.  When `eof` is set the parser must consume everything;
 * when `force` is set the window cannot grow any more and the parser must
 * consume at least one record even if it looks incomplete.  Parser state
 * (line counts, the time zone found in a header, ...) lives in the
 * parser's own state struct between calls.
 *
 * Events reach the caller through struct td_parse_ctx; an event is valid only
 * during that callback.  Problems in the input are reported with
 * td_parse_diag() and parsing goes on: a parser returns an error only for
 * memory exhaustion or when the callback asks to stop.
 */
#ifndef TD_PARSER_H
#define TD_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "encoding.h"
#include "err.h"
#include "event.h"
#include "str.h"

/* Receives every event; returns 0 to go on, non-zero to stop parsing. */
typedef int (*td_event_cb)(const struct td_event *ev, void *user);

/* Largest window handed to feed(), hence the largest record kept whole. */
#define TD_MAX_WINDOW ((size_t)64 << 20)
/* Initial window size. */
#define TD_WINDOW ((size_t)8 << 20)
/* Tests and fuzzers: the initial and the largest window of every later
 * td_parse_text() (0, 0: TD_WINDOW and TD_MAX_WINDOW again).  Small windows
 * take small inputs through the paths of records that straddle windows and
 * of forced windows.  Not thread-safe. */
void td_parse_set_windows(size_t first, size_t max);
/* Longest message kept in an event; longer ones are cut with a note. */
#define TD_MAX_MESSAGE ((size_t)1 << 20)

struct td_parse_ctx {
	td_event_cb cb;
	void *user;
	struct td_diag *diag;
	struct td_str path;
	/* Filled by the driver. */
	enum td_format format;
	enum td_encoding encoding;
	uint64_t events;   /* events emitted so far */
	uint64_t orig_base;   /* original offset of the current window start */
	uint64_t window_pos;  /* UTF-8 stream position of the window start */
	const char *window;   /* the current window */
	/* Cursor for mapping stream positions to original offsets. */
	uint64_t map_pos, map_orig;
	/* A parser that knows the line number of the first byte after what it
	 * consumed sets it here, saving the driver a count; 0 = unknown. */
	uint64_t next_line;
};

struct td_chunk {
	const char *p;
	size_t len;
	uint64_t pos;  /* UTF-8 stream position of p[0] */
	uint64_t line; /* 1-based line number of p[0] */
	bool eof;
	bool force;
};

struct td_text_parser {
	enum td_format format;
	const char *name;
	/* How sure the parser is that `head` (the first decoded bytes of an
	 * input, up to 64 KiB) is its format: 0 (no) .. 100 (certain). */
	int (*probe)(struct td_str head);
	size_t state_size;
	/* state is zeroed before init. */
	int (*init)(void *state, struct td_parse_ctx *ctx);
	int (*feed)(void *state, const struct td_chunk *chunk, struct td_parse_ctx *ctx,
		    size_t *consumed);
	void (*release)(void *state);
};

/* Hands ev to the caller: sets its path and format and turns ev->offset
 * from a stream position into an original byte offset.  Returns TD_E_STOP
 * when the callback asked to stop, TD_OK otherwise. */
int td_emit(struct td_parse_ctx *ctx, struct td_event *ev) TD_WUR;
/* Emits one line of text as an event of its own (trimmed; blank lines are
 * skipped; cut to TD_MAX_MESSAGE), numbering it with *record.  For text a
 * format's parser cannot place. */
int td_emit_line(struct td_parse_ctx *ctx, const struct td_chunk *c, struct td_str line,
		 uint64_t lineno, uint64_t *record) TD_WUR;
/* Records a problem at a stream position (mapped to an original offset). */
void td_parse_diag(struct td_parse_ctx *ctx, enum td_diag_level level, uint64_t pos,
		   uint64_t line, const char *fmt, ...) TD_PRINTF(5, 6);

/* All text parsers, most specific first. */
extern const struct td_text_parser td_parser_cmtrace;
extern const struct td_text_parser td_parser_smstrace;
extern const struct td_text_parser td_parser_errorlog;
extern const struct td_text_parser td_parser_apptext;
extern const struct td_text_parser td_parser_eventxml;
extern const struct td_text_parser td_parser_eventtext;
extern const struct td_text_parser td_parser_eventcsv;
extern const struct td_text_parser td_parser_svclog;
extern const struct td_text_parser td_parser_registry;
extern const struct td_text_parser td_parser_w3c;
extern const struct td_text_parser td_parser_plain;

/* The parser for a format, or NULL. */
const struct td_text_parser *td_parser_for(enum td_format f);
/* Picks the text parser whose probe is most confident about `head` (plain
 * text when none is). */
const struct td_text_parser *td_parser_sniff(struct td_str head);

/* What td_parse_text() found out about an input. */
struct td_parse_info {
	enum td_encoding encoding;
	enum td_format format;
	uint64_t events;
};

/* How the driver tells the input's owner which bytes it reads next and
 * which it is done with (see td_input_prefetch() and td_input_drop()). */
struct td_read_hints {
	void (*prefetch)(void *user, size_t from, size_t len);
	void (*release)(void *user, size_t upto);
	void *user;
};

/* Detects the encoding and (unless `force_format` is set) the format of
 * `in`, then parses all of it, calling cb for every event.  hints may be
 * NULL.  Returns TD_OK, TD_E_STOP or TD_E_NOMEM; problems in the data go to
 * diag. */
int td_parse_text(struct td_bytes in, const struct td_text_parser *force_format,
		  struct td_parse_ctx *ctx, struct td_parse_info *info,
		  const struct td_read_hints *hints) TD_WUR;

struct td_evtx_options;
/* Any input: a native event log (.evtx) goes to the EVTX reader (with
 * evtx_opt, may be NULL), everything else to td_parse_text(). */
int td_parse_input(struct td_bytes in, struct td_parse_ctx *ctx, struct td_parse_info *info,
		   const struct td_read_hints *hints, const struct td_evtx_options *evtx_opt) TD_WUR;

/* Convenience for tests and fuzzers: parse memory with a given parser (or
 * sniffing when p is NULL). */
int td_parse_memory(const struct td_text_parser *p, const void *data, size_t len, td_event_cb cb,
		    void *user, struct td_diag *diag, struct td_parse_info *info) TD_WUR;

#endif
