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
		*consumed = c->len - rest.len;
		if (td_emit_line(ctx, c, line, lineno, &st->record))
			return TD_E_STOP;
		/* A line longer than the window comes in pieces: one line. */
		lineno += terminated;
	}
	ctx->next_line = lineno;
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
