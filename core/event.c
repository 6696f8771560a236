/* Names of formats and levels, field lookup (see event.h). */
#include "event.h"

static const char *const format_names[TD_FMT_COUNT] = {
	[TD_FMT_UNKNOWN] = "unknown", [TD_FMT_CMTRACE] = "cmtrace",
	[TD_FMT_SMSTRACE] = "smstrace", [TD_FMT_ERRORLOG] = "errorlog",
	[TD_FMT_APPTEXT] = "apptext",   [TD_FMT_PLAIN] = "plain",
	[TD_FMT_BINARY] = "binary",     [TD_FMT_EVTX] = "evtx",
	[TD_FMT_EVENTXML] = "eventxml", [TD_FMT_EVENTTEXT] = "eventtext",
	[TD_FMT_EVENTCSV] = "eventcsv", [TD_FMT_SVCLOG] = "svclog",
	[TD_FMT_REGISTRY] = "registry", [TD_FMT_W3C] = "w3c",
};

const char *td_format_name(enum td_format f)
{
	return (unsigned)f < TD_FMT_COUNT && format_names[f] ? format_names[f] : "unknown";
}

enum td_format td_format_from_name(struct td_str name)
{
	for (int f = 0; f < TD_FMT_COUNT; f++)
		if (format_names[f] && td_str_eq_cstr(name, format_names[f]))
			return (enum td_format)f;
	return TD_FMT_UNKNOWN;
}

const char *td_level_name(enum td_level l)
{
	switch (l) {
	case TD_LEVEL_NONE: return "none";
	case TD_LEVEL_VERBOSE: return "verbose";
	case TD_LEVEL_INFO: return "info";
	case TD_LEVEL_WARNING: return "warning";
	case TD_LEVEL_ERROR: return "error";
	case TD_LEVEL_CRITICAL: return "critical";
	}
	return "none";
}

struct td_str td_event_field(const struct td_event *ev, const char *name)
{
	struct td_str n = td_str_cstr(name);
	for (size_t i = 0; i < ev->nfields; i++)
		if (td_str_eq(ev->fields[i].name, n))
			return ev->fields[i].value;
	return td_str_make(NULL, 0);
}

struct td_str td_event_part(const struct td_event *ev, struct td_str name)
{
	if (td_str_eq_cstr(name, "message"))
		return ev->message;
	if (td_str_eq_cstr(name, "provider") || td_str_eq_cstr(name, "component"))
		return ev->provider;
	if (td_str_eq_cstr(name, "host"))
		return ev->host;
	if (td_str_eq_cstr(name, "channel"))
		return ev->channel;
	if (td_str_eq_cstr(name, "path"))
		return ev->path;
	for (size_t i = 0; i < ev->nfields; i++)
		if (td_str_eq(ev->fields[i].name, name))
			return ev->fields[i].value;
	return td_str_make(NULL, 0);
}
