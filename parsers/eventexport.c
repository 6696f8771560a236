/* Shared parts of the exported-event readers (eventexport.h). */
#include "eventexport.h"

#include <string.h>

void td_export_init(struct td_export *x)
{
	memset(x, 0, sizeof(*x));
	td_arena_init(&x->arena, (size_t)64 << 20);
}

void td_export_release(struct td_export *x)
{
	td_arena_release(&x->arena);
	td_xfields_release(&x->fields);
}

int td_export_xml_event(struct td_export *x, struct td_str xml, struct td_event *ev,
			bool *tolerant)
{
	struct td_xnode *root;
	int rc = td_xevent_parse_xml(xml, &x->arena, &root, tolerant);
	if (rc)
		return rc;
	const struct td_xnode *el = td_xevent_find(root);
	if (!el)
		return TD_E_FORMAT;
	return td_xevent_fill(el, &x->arena, &x->fields, ev);
}

enum td_level td_export_level_name(struct td_str s)
{
	static const struct {
		const char *name;
		enum td_level level;
	} names[] = {
		{ "Error", TD_LEVEL_ERROR },	      { "Warning", TD_LEVEL_WARNING },
		{ "Information", TD_LEVEL_INFO },     { "Critical", TD_LEVEL_CRITICAL },
		{ "Verbose", TD_LEVEL_VERBOSE },      { "Informational", TD_LEVEL_INFO },
		{ "Info", TD_LEVEL_INFO },	      { "Erreur", TD_LEVEL_ERROR },
		{ "Avertissement", TD_LEVEL_WARNING }, { "Fehler", TD_LEVEL_ERROR },
		{ "Warnung", TD_LEVEL_WARNING },      { "Informationen", TD_LEVEL_INFO },
		{ "Kritisch", TD_LEVEL_CRITICAL },    { "Critique", TD_LEVEL_CRITICAL },
		{ "Error Audit", TD_LEVEL_ERROR },    { "FailureAudit", TD_LEVEL_ERROR },
		{ "SuccessAudit", TD_LEVEL_INFO },
	};
	s = td_str_trim(s);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (td_str_ieq_cstr(s, names[i].name))
			return names[i].level;
	return TD_LEVEL_NONE;
}
