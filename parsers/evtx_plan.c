/* Plans of EVTX template skeletons: where the System values and the
 * EventData elements of a template are, looked up once per template and
 * chunk so that td_evtx_direct() only reads substitution values per record
 * (evtx_internal.h). */
#include <string.h>

#include "evtx_internal.h"

static bool named(const struct td_xnode *k, const char *local)
{
	return k->kind == TD_X_ELEMENT && td_str_eq_cstr(td_x_local_name(k->name), local);
}

/* The first attribute of k called name (the whole name: attributes of
 * System parts carry no prefix). */
static const struct td_xattr *attr(const struct td_xnode *k, const char *name)
{
	size_t len = strlen(name);
	for (const struct td_xattr *a = k ? k->attrs : NULL; a; a = a->next)
		if (a->name.len == len && memcmp(a->name.p, name, len) == 0)
			return a;
	return NULL;
}

/* The children of EventData that make or stop fields: elements and
 * substitutions (text and processing instructions make nothing). */
static struct td_evtx_step *data_steps(struct td_arena *a, const struct td_xnode *ed, size_t *n)
{
	size_t count = 0;
	for (const struct td_xnode *k = ed->children; k; k = k->next)
		count += k->kind == TD_X_SUBST || k->kind == TD_X_ELEMENT;
	*n = count;
	struct td_evtx_step *steps = td_arena_alloc(a, (count ? count : 1) * sizeof(*steps));
	if (!steps)
		return NULL;
	size_t i = 0;
	for (const struct td_xnode *k = ed->children; k; k = k->next) {
		if (k->kind != TD_X_SUBST && k->kind != TD_X_ELEMENT)
			continue;
		steps[i++] = (struct td_evtx_step){
			.kind = k->kind == TD_X_SUBST ? TD_STEP_SUBST : TD_STEP_FIELD,
			.node = k,
			.name = k->kind == TD_X_ELEMENT ? attr(k, "Name") : NULL,
		};
	}
	return steps;
}

/* The steps for the children of parent other than skip and text: an
 * EventData element, a substitution (only where subst_ok) or the tree. */
static struct td_evtx_step *steps_of(struct td_arena *a, const struct td_xnode *parent,
				     const struct td_xnode *skip, bool subst_ok, size_t *n)
{
	size_t count = 0;
	for (const struct td_xnode *k = parent->children; k; k = k->next)
		count += k != skip && k->kind != TD_X_TEXT;
	*n = count;
	struct td_evtx_step *steps = td_arena_alloc(a, (count ? count : 1) * sizeof(*steps));
	if (!steps)
		return NULL;
	size_t i = 0;
	for (const struct td_xnode *k = parent->children; k; k = k->next) {
		if (k == skip || k->kind == TD_X_TEXT)
			continue;
		struct td_evtx_step *st = &steps[i++];
		*st = (struct td_evtx_step){ .kind = TD_STEP_TREE, .node = k };
		if (subst_ok && k->kind == TD_X_SUBST) {
			st->kind = TD_STEP_SUBST;
		} else if (named(k, "EventData")) {
			struct td_evtx_step *sub = data_steps(a, k, &st->nsteps);
			if (!sub)
				return NULL;
			st->kind = TD_STEP_EVENTDATA;
			st->steps = sub;
		}
	}
	return steps;
}

struct td_evtx_plan *td_evtx_plan_build(struct td_arena *a, const struct td_xnode *skel)
{
	struct td_evtx_plan *p = td_arena_alloc(a, sizeof(*p));
	if (!p)
		return NULL;
	memset(p, 0, sizeof(*p));
	struct td_evtx_step *root = steps_of(a, skel, NULL, false, &p->nroot);
	if (!root)
		return NULL;
	p->root = root;
	const struct td_xnode *event = NULL, *sys = NULL;
	for (const struct td_xnode *k = skel->children; k && !event; k = k->next)
		if (named(k, "Event"))
			event = k;
	for (const struct td_xnode *k = event ? event->children : NULL; k && !sys; k = k->next)
		if (named(k, "System"))
			sys = k;
	if (!sys)
		return p;
	struct td_evtx_step *steps = steps_of(a, event, sys, true, &p->nevent);
	if (!steps)
		return NULL;
	p->event = steps;
	p->sys = sys;
	td_xevent_parts(sys, p->part);
	static const struct {
		enum td_xsys_part part;
		const char *name;
	} attrs[TD_PA_COUNT] = {
		[TD_PA_PROVIDER_NAME] = { S_PROVIDER, "Name" },
		[TD_PA_EVENT_SOURCE] = { S_PROVIDER, "EventSourceName" },
		[TD_PA_GUID] = { S_PROVIDER, "Guid" },
		[TD_PA_QUALIFIERS] = { S_EVENTID, "Qualifiers" },
		[TD_PA_SYSTEMTIME] = { S_TIMECREATED, "SystemTime" },
		[TD_PA_ACTIVITY] = { S_CORRELATION, "ActivityID" },
		[TD_PA_PID] = { S_EXECUTION, "ProcessID" },
		[TD_PA_TID] = { S_EXECUTION, "ThreadID" },
		[TD_PA_USER] = { S_SECURITY, "UserID" },
	};
	for (int i = 0; i < TD_PA_COUNT; i++)
		p->attr[i] = attr(p->part[attrs[i].part], attrs[i].name);
	return p;
}
