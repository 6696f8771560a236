/* One entry point for every input: binary event logs or text (parser.h). */
#include "evtx.h"
#include "parser.h"

int td_parse_input(struct td_bytes in, struct td_parse_ctx *ctx, struct td_parse_info *info,
		   const struct td_read_hints *hints, const struct td_evtx_options *evtx_opt)
{
	if (!td_evtx_probe(in))
		return td_parse_text(in, NULL, ctx, info, hints);
	info->format = TD_FMT_EVTX;
	info->encoding = TD_ENC_BINARY;
	ctx->events = 0;
	int rc = td_evtx_parse(in, ctx, evtx_opt, NULL, hints);
	info->events = ctx->events;
	return rc;
}
