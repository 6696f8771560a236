/* The text driver: encoding detection, decoding in windows, format sniffing
 * and the feed loop every text parser runs under (see parser.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "parser.h"

/* Original byte offset of stream position pos (inside the current window). */
static uint64_t orig_offset(struct td_parse_ctx *ctx, uint64_t pos)
{
	if (!td_encoding_needs_decode(ctx->encoding))
		return pos;
	if (pos < ctx->map_pos || ctx->map_pos < ctx->window_pos) {
		ctx->map_pos = ctx->window_pos;
		ctx->map_orig = ctx->orig_base;
	}
	struct td_str span = td_str_make(ctx->window + (ctx->map_pos - ctx->window_pos),
					 (size_t)(pos - ctx->map_pos));
	ctx->map_orig += td_encoding_orig_span(ctx->encoding, span);
	ctx->map_pos = pos;
	return ctx->map_orig;
}

int td_emit(struct td_parse_ctx *ctx, struct td_event *ev)
{
	ev->path = ctx->path;
	ev->format = ctx->format;
	ev->offset = orig_offset(ctx, ev->offset);
	if (ev->line_end < ev->line)
		ev->line_end = ev->line;
	ctx->events++;
	if (ctx->cb && ctx->cb(ev, ctx->user))
		return TD_E_STOP;
	return TD_OK;
}

int td_emit_line(struct td_parse_ctx *ctx, const struct td_chunk *c, struct td_str line,
		 uint64_t lineno, uint64_t *record)
{
	struct td_str t = td_str_trim(line);
	if (!t.len)
		return TD_OK;
	if (t.len > TD_MAX_MESSAGE) {
		td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + (size_t)(t.p - c->p), lineno,
			      "%s: line of %zu bytes cut to %zu", td_format_name(ctx->format), t.len,
			      TD_MAX_MESSAGE);
		t.len = TD_MAX_MESSAGE;
	}
	struct td_event ev = { .line = lineno, .line_end = lineno, .record = ++*record,
			       .offset = c->pos + (size_t)(t.p - c->p), .message = t };
	return td_emit(ctx, &ev);
}

void td_parse_diag(struct td_parse_ctx *ctx, enum td_diag_level level, uint64_t pos,
		   uint64_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	td_diag_vadd(ctx->diag, level, orig_offset(ctx, pos), line, fmt, ap);
	va_end(ap);
}

/* Most specific first; plain text last. */
static const struct td_text_parser *const parsers[] = {
	&td_parser_cmtrace, &td_parser_smstrace, &td_parser_errorlog, &td_parser_registry, &td_parser_w3c, &td_parser_svclog, &td_parser_eventtext, &td_parser_eventcsv,
	&td_parser_eventxml,
	&td_parser_apptext, &td_parser_plain,
};

const struct td_text_parser *td_parser_for(enum td_format f)
{
	for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		if (parsers[i]->format == f)
			return parsers[i];
	return NULL;
}

const struct td_text_parser *td_parser_sniff(struct td_str head)
{
	const struct td_text_parser *best = &td_parser_plain;
	int best_score = 0;
	for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		int s = parsers[i]->probe(head);
		if (s > best_score) {
			best_score = s;
			best = parsers[i];
		}
	}
	return best;
}

/* Feeds one window and handles the bookkeeping shared by both paths.
 * Returns the parser's status; *consumed is clamped to the window. */
static int feed_window(const struct td_text_parser *p, void *state, struct td_parse_ctx *ctx,
		       struct td_chunk *chunk, uint64_t orig_base, size_t *consumed)
{
	ctx->window = chunk->p;
	ctx->window_pos = chunk->pos;
	ctx->orig_base = orig_base;
	ctx->map_pos = chunk->pos;
	ctx->map_orig = orig_base;
	ctx->next_line = 0;
	*consumed = 0;
	int rc = p->feed(state, chunk, ctx, consumed);
	if (*consumed > chunk->len)
		*consumed = chunk->len;
	if (rc == TD_OK && chunk->eof && *consumed < chunk->len) {
		/* A parser must take everything at the end; never loop. */
		*consumed = chunk->len;
	}
	return rc;
}

/* Window sizes (TD_WINDOW, TD_MAX_WINDOW unless a test or fuzzer shrank
 * them with td_parse_set_windows). */
static size_t window_first = TD_WINDOW, window_max = TD_MAX_WINDOW;

void td_parse_set_windows(size_t first, size_t max)
{
	window_first = first >= 16 ? first : TD_WINDOW;
	window_max = max >= window_first ? max : TD_MAX_WINDOW;
	if (window_max < window_first)
		window_max = window_first;
}

static int run_utf8(const struct td_text_parser *p, void *state, struct td_parse_ctx *ctx,
		    struct td_bytes in, size_t bom, const struct td_read_hints *hints)
{
	size_t pos = bom, window = window_first;
	uint64_t line = 1;
	for (;;) {
		size_t avail = in.len - pos;
		size_t n = avail < window ? avail : window;
		if (hints && hints->prefetch)
			hints->prefetch(hints->user, pos, n);
		struct td_chunk chunk = {
			.p = (const char *)in.p + pos, .len = n, .pos = pos, .line = line,
			.eof = n == avail, .force = n < avail && window >= window_max,
		};
		size_t used;
		int rc = feed_window(p, state, ctx, &chunk, pos, &used);
		if (rc)
			return rc;
		line = ctx->next_line ? ctx->next_line
				      : line + td_count_newlines(td_str_make(chunk.p, used));
		pos += used;
		if (hints && hints->release)
			hints->release(hints->user, pos);
		if (chunk.eof)
			return TD_OK;
		if (used == 0) {
			if (window < window_max) {
				window *= 2;
			} else {
				/* A forced window was refused: skip it rather than spin. */
				td_parse_diag(ctx, TD_DIAG_ERROR, pos, line,
					      "%s: parser made no progress; skipped %zu bytes",
					      p->name, n);
				line += td_count_newlines(td_str_make(chunk.p, n));
				pos += n;
			}
		}
	}
}

static int run_decoded(const struct td_text_parser *p, void *state, struct td_parse_ctx *ctx,
		       enum td_encoding enc, struct td_bytes in, size_t bom,
		       const struct td_read_hints *hints)
{
	size_t cap = window_first, blen = 0, inpos = bom;
	uint64_t stream_pos = 0, orig_buf0 = bom, line = 1;
	char *buf = malloc(cap);
	if (!buf)
		return TD_E_NOMEM;
	int rc = TD_OK;
	for (;;) {
		if (hints && hints->prefetch && inpos < in.len)
			hints->prefetch(hints->user, inpos, 2 * (cap - blen));
		while (inpos < in.len && cap - blen >= 4) {
			size_t iu, ou;
			td_decode(enc, td_bytes_make(in.p + inpos, in.len - inpos), true, buf + blen,
				  cap - blen, &iu, &ou);
			inpos += iu;
			blen += ou;
			if (iu == 0)
				break;
		}
		bool eof = inpos >= in.len;
		struct td_chunk chunk = {
			.p = buf, .len = blen, .pos = stream_pos, .line = line, .eof = eof,
			.force = !eof && cap >= window_max,
		};
		size_t used;
		rc = feed_window(p, state, ctx, &chunk, orig_buf0, &used);
		if (rc)
			break;
		if (used == 0 && !eof) {
			if (cap < window_max) {
				char *nb = realloc(buf, cap * 2);
				if (!nb) {
					rc = TD_E_NOMEM;
					break;
				}
				buf = nb;
				cap *= 2;
				continue;
			}
			td_parse_diag(ctx, TD_DIAG_ERROR, stream_pos, line,
				      "%s: parser made no progress; skipped %zu bytes", p->name, blen);
			used = blen;
		}
		struct td_str done = td_str_make(buf, used);
		line = ctx->next_line ? ctx->next_line : line + td_count_newlines(done);
		/* The offset cursor of the last event already covers a prefix. */
		uint64_t mapped = ctx->map_pos - stream_pos;
		if (mapped <= used)
			orig_buf0 = ctx->map_orig +
				    td_encoding_orig_span(enc, td_str_make(buf + mapped, used - mapped));
		else
			orig_buf0 += td_encoding_orig_span(enc, done);
		stream_pos += used;
		memmove(buf, buf + used, blen - used);
		blen -= used;
		if (hints && hints->release)
			hints->release(hints->user, (size_t)orig_buf0);
		if (eof && blen == 0)
			break;
	}
	free(buf);
	return rc;
}

/* Decodes up to TD_SNIFF_BYTES of text for the format probes. */
static char *decode_head(enum td_encoding enc, struct td_bytes body, size_t *len)
{
	size_t cap = TD_SNIFF_BYTES + 8;
	char *head = malloc(cap);
	if (!head)
		return NULL;
	size_t take = body.len < 2 * TD_SNIFF_BYTES ? body.len : 2 * TD_SNIFF_BYTES;
	size_t iu;
	td_decode(enc, td_bytes_make(body.p, take), take == body.len, head, cap, &iu, len);
	if (*len > TD_SNIFF_BYTES)
		*len = TD_SNIFF_BYTES;
	return head;
}

int td_parse_text(struct td_bytes in, const struct td_text_parser *force_format,
		  struct td_parse_ctx *ctx, struct td_parse_info *info,
		  const struct td_read_hints *hints)
{
	size_t bom;
	enum td_encoding enc = td_encoding_sniff(in, &bom);
	info->encoding = enc;
	info->events = 0;
	if (enc == TD_ENC_BINARY) {
		if (!force_format) {
			info->format = TD_FMT_BINARY;
			return TD_OK;
		}
		enc = TD_ENC_UTF8;
	}
	struct td_bytes body = td_bytes_make(in.p + bom, in.len - bom);
	const struct td_text_parser *p = force_format;
	if (!p) {
		if (td_encoding_needs_decode(enc)) {
			size_t hl;
			char *head = decode_head(enc, body, &hl);
			if (!head)
				return TD_E_NOMEM;
			p = td_parser_sniff(td_str_make(head, hl));
			free(head);
		} else {
			size_t hl = body.len < TD_SNIFF_BYTES ? body.len : TD_SNIFF_BYTES;
			p = td_parser_sniff(td_str_make((const char *)body.p, hl));
		}
	}
	info->format = p->format;
	ctx->format = p->format;
	ctx->encoding = enc;
	ctx->events = 0;
	void *state = calloc(1, p->state_size ? p->state_size : 1);
	if (!state)
		return TD_E_NOMEM;
	int rc = p->init ? p->init(state, ctx) : TD_OK;
	if (rc == TD_OK) {
		if (td_encoding_needs_decode(enc))
			rc = run_decoded(p, state, ctx, enc, in, bom, hints);
		else
			rc = run_utf8(p, state, ctx, in, bom, hints);
	}
	if (p->release)
		p->release(state);
	free(state);
	info->events = ctx->events;
	return rc;
}

int td_parse_memory(const struct td_text_parser *p, const void *data, size_t len, td_event_cb cb,
		    void *user, struct td_diag *diag, struct td_parse_info *info)
{
	struct td_parse_ctx ctx = { .cb = cb, .user = user, .diag = diag,
				    .path = TD_STR_LIT("<memory>") };
	struct td_parse_info tmp;
	return td_parse_text(td_bytes_make(data, len), p, &ctx, info ? info : &tmp, NULL);
}
