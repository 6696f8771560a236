/* Plain text fallback: every non-blank line is one event, so no text input
 * is ever ignored.  Lines longer than TD_MAX_MESSAGE are cut (noted). */
#include "lines.h"
#include "parser.h"

struct plain_state {
	uint64_t record;
};

static int plain_probe(struct td_str head)
{
	return 1; /* anything that is text */
}

static int plain_init(void *state, struct td_parse_ctx *ctx)
{
	return TD_OK;
}

static int plain_feed(void *state, const struct td_chunk *c, struct td_parse_ctx *ctx,
		      size_t *consumed)
{
	struct plain_state *st = state;
	struct td_str rest = td_str_make(c->p, c->len), line;
	uint64_t lineno = c->line;
	bool terminated;
	*consumed = 0;
	while (td_next_line(&rest, &line, &terminated)) {
		if (!terminated && !c->eof && !c->force)
			break;
		size_t start = (size_t)(line.p - c->p);
		*consumed = c->len - rest.len;
		struct td_str msg = line;
		if (msg.len > TD_MAX_MESSAGE) {
			td_parse_diag(ctx, TD_DIAG_WARNING, c->pos + start, lineno,
				      "line of %zu bytes cut to %zu", msg.len, TD_MAX_MESSAGE);
			msg.len = TD_MAX_MESSAGE;
		}
		if (td_str_trim(msg).len) {
			struct td_event ev = {
				.line = lineno, .record = ++st->record, .offset = c->pos + start,
				.message = msg,
			};
			if (td_emit(ctx, &ev))
				return TD_E_STOP;
		}
		lineno++;
	}
	return TD_OK;
}

const struct td_text_parser td_parser_plain = {
	.format = TD_FMT_PLAIN,
	.name = "plain",
	.probe = plain_probe,
	.state_size = sizeof(struct plain_state),
	.init = plain_init,
	.feed = plain_feed,
};
