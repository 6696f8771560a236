/* Unit tests for the plans of EVTX template skeletons (parsers/evtx_plan.c):
 * on hand-built skeletons of ordinary and odd shapes, the plan must pick
 * the nodes and attributes the per-record lookups picked before it. */
#include <check.h>
#include <string.h>

#include "evtx_internal.h"

static struct td_arena arena;

static void setup(void)
{
	td_arena_init(&arena, (size_t)1 << 20);
}

static void teardown(void)
{
	td_arena_release(&arena);
}

static struct td_xnode *el(struct td_xnode *parent, const char *name)
{
	struct td_xnode *n = td_x_new(&arena, TD_X_ELEMENT, parent);
	ck_assert_ptr_nonnull(n);
	n->name = td_str_cstr(name);
	return n;
}

/* A placeholder for substitution index (0-based). */
static struct td_xnode *subst(struct td_xnode *parent, uint16_t index, bool optional)
{
	struct td_xnode *n = td_x_new(&arena, TD_X_SUBST, parent);
	ck_assert_ptr_nonnull(n);
	n->subst = (uint16_t)(index + 1);
	n->optional = optional;
	return n;
}

static void text(struct td_xnode *parent, const char *s)
{
	ck_assert_int_eq(td_x_add_text(&arena, parent, td_str_cstr(s)), 0);
}

/* An attribute with a literal value, or (value NULL) substitution index. */
static const struct td_xattr *attr(struct td_xnode *n, const char *name, const char *value,
				   uint16_t index)
{
	ck_assert_int_eq(td_x_add_attr(&arena, n, td_str_cstr(name),
				       value ? td_str_cstr(value) : td_str_make(NULL, 0)),
			 0);
	if (!value)
		n->attrs_tail->subst = (uint16_t)(index + 1);
	return n->attrs_tail;
}

static struct td_xnode *root(void)
{
	return td_x_new(&arena, TD_X_ELEMENT, NULL);
}

START_TEST(ordinary_record)
{
	struct td_xnode *r = root();
	text(r, "\n");
	struct td_xnode *ev = el(r, "Event");
	attr(ev, "xmlns", "http://schemas.microsoft.com/win/2004/08/events/event", 0);
	struct td_xnode *sys = el(ev, "System");
	struct td_xnode *prov = el(sys, "Provider");
	const struct td_xattr *name = attr(prov, "Name", "Schannel", 0);
	const struct td_xattr *guid = attr(prov, "Guid", NULL, 0);
	struct td_xnode *id = el(sys, "EventID");
	const struct td_xattr *qual = attr(id, "Qualifiers", NULL, 1);
	subst(id, 2, false);
	struct td_xnode *tc = el(sys, "TimeCreated");
	const struct td_xattr *st = attr(tc, "SystemTime", NULL, 3);
	struct td_xnode *exe = el(sys, "Execution");
	const struct td_xattr *pid = attr(exe, "ProcessID", NULL, 4);
	const struct td_xattr *tid = attr(exe, "ThreadID", NULL, 5);
	struct td_xnode *sec = el(sys, "Security");
	const struct td_xattr *user = attr(sec, "UserID", NULL, 6);
	struct td_xnode *corr = el(sys, "Correlation");
	const struct td_xattr *act = attr(corr, "ActivityID", NULL, 7);
	attr(corr, "RelatedActivityID", NULL, 8);
	struct td_xnode *comp = el(sys, "Computer");
	text(comp, "HOST");
	text(ev, "\n");
	struct td_xnode *ed = el(ev, "EventData");
	struct td_xnode *d1 = el(ed, "Data");
	const struct td_xattr *d1name = attr(d1, "Name", "Protocol", 0);
	subst(d1, 9, true);
	text(ed, " ");
	struct td_xnode *d2 = el(ed, "Data");
	subst(d2, 10, false);
	struct td_xnode *s11 = subst(ed, 11, false);
	struct td_xnode *bin = el(ed, "Binary");
	subst(bin, 12, false);

	const struct td_evtx_plan *p = td_evtx_plan_build(&arena, r);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_eq(p->sys, sys);
	const struct td_xnode *parts[S_PARTS];
	td_xevent_parts(sys, parts);
	ck_assert_int_eq(memcmp(p->part, parts, sizeof(parts)), 0);
	ck_assert_ptr_eq(p->part[S_PROVIDER], prov);
	ck_assert_ptr_null(p->part[S_LEVEL]);
	ck_assert_ptr_eq(p->attr[TD_PA_PROVIDER_NAME], name);
	ck_assert_ptr_null(p->attr[TD_PA_EVENT_SOURCE]);
	ck_assert_ptr_eq(p->attr[TD_PA_GUID], guid);
	ck_assert_ptr_eq(p->attr[TD_PA_QUALIFIERS], qual);
	ck_assert_ptr_eq(p->attr[TD_PA_SYSTEMTIME], st);
	ck_assert_ptr_eq(p->attr[TD_PA_ACTIVITY], act);
	ck_assert_ptr_eq(p->attr[TD_PA_PID], pid);
	ck_assert_ptr_eq(p->attr[TD_PA_TID], tid);
	ck_assert_ptr_eq(p->attr[TD_PA_USER], user);

	/* Event: System and text are left out. */
	ck_assert_uint_eq(p->nevent, 1);
	ck_assert_int_eq(p->event[0].kind, TD_STEP_EVENTDATA);
	ck_assert_ptr_eq(p->event[0].node, ed);
	/* EventData: elements and substitutions, not text. */
	const struct td_evtx_step *ds = p->event[0].steps;
	ck_assert_uint_eq(p->event[0].nsteps, 4);
	ck_assert_int_eq(ds[0].kind, TD_STEP_FIELD);
	ck_assert_ptr_eq(ds[0].node, d1);
	ck_assert_ptr_eq(ds[0].name, d1name);
	ck_assert_int_eq(ds[1].kind, TD_STEP_FIELD);
	ck_assert_ptr_eq(ds[1].node, d2);
	ck_assert_ptr_null(ds[1].name);
	ck_assert_int_eq(ds[2].kind, TD_STEP_SUBST);
	ck_assert_ptr_eq(ds[2].node, s11);
	ck_assert_int_eq(ds[3].kind, TD_STEP_FIELD);
	ck_assert_ptr_eq(ds[3].node, bin);

	/* As a nested template the Event element is not EventData. */
	ck_assert_uint_eq(p->nroot, 1);
	ck_assert_int_eq(p->root[0].kind, TD_STEP_TREE);
}
END_TEST

/* Prefixes, repeated parts and attributes, classic Provider names: the
 * first of each counts, as with the lookups per record. */
START_TEST(odd_shapes)
{
	struct td_xnode *r = root();
	struct td_xnode *pi = td_x_new(&arena, TD_X_PI, r);
	ck_assert_ptr_nonnull(pi);
	el(r, "NotEvent");
	struct td_xnode *ev = el(r, "e:Event");
	el(r, "Event"); /* a second Event is not looked at */
	struct td_xnode *ud0 = el(ev, "UserData");
	struct td_xnode *sys = el(ev, "e:System");
	struct td_xnode *prov = el(sys, "Provider");
	const struct td_xattr *src = attr(prov, "EventSourceName", NULL, 0);
	attr(prov, "name", "lower case is another name", 0);
	struct td_xnode *prov2 = el(sys, "e:Provider");
	attr(prov2, "Name", "second Provider", 0);
	struct td_xnode *exe = el(sys, "Execution");
	const struct td_xattr *pid = attr(exe, "ProcessID", NULL, 1);
	attr(exe, "ProcessID", NULL, 2);
	struct td_xnode *sys2 = el(ev, "System");
	struct td_xnode *s3 = subst(ev, 3, true);
	struct td_xnode *pi2 = td_x_new(&arena, TD_X_PI, ev);
	ck_assert_ptr_nonnull(pi2);
	struct td_xnode *ed = el(ev, "x:EventData");
	td_x_new(&arena, TD_X_PI, ed);
	text(ed, "loose");

	const struct td_evtx_plan *p = td_evtx_plan_build(&arena, r);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_eq(p->sys, sys);
	ck_assert_ptr_eq(p->part[S_PROVIDER], prov);
	ck_assert_ptr_null(p->attr[TD_PA_PROVIDER_NAME]);
	ck_assert_ptr_eq(p->attr[TD_PA_EVENT_SOURCE], src);
	ck_assert_ptr_eq(p->attr[TD_PA_PID], pid);
	ck_assert_ptr_null(p->attr[TD_PA_TID]);
	ck_assert_ptr_null(p->attr[TD_PA_SYSTEMTIME]);

	enum td_evtx_step_kind want[] = { TD_STEP_TREE, TD_STEP_TREE, TD_STEP_SUBST, TD_STEP_TREE,
					  TD_STEP_EVENTDATA };
	const struct td_xnode *nodes[] = { ud0, sys2, s3, pi2, ed };
	ck_assert_uint_eq(p->nevent, 5);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(p->event[i].kind, want[i]);
		ck_assert_ptr_eq(p->event[i].node, nodes[i]);
	}
	ck_assert_uint_eq(p->event[4].nsteps, 0);
	ck_assert_uint_eq(p->nroot, 4); /* PI, NotEvent, e:Event, Event */
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(p->root[i].kind, TD_STEP_TREE);
}
END_TEST

/* A template that is only EventData (a nested BinXML value): no System,
 * root steps; a substitution at the root sends it to the tree. */
START_TEST(nested_event_data)
{
	struct td_xnode *r = root();
	text(r, " ");
	struct td_xnode *ed = el(r, "EventData");
	struct td_xnode *d = el(ed, "Data");
	subst(d, 0, false);
	const struct td_evtx_plan *p = td_evtx_plan_build(&arena, r);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->sys);
	ck_assert_uint_eq(p->nevent, 0);
	ck_assert_uint_eq(p->nroot, 1);
	ck_assert_int_eq(p->root[0].kind, TD_STEP_EVENTDATA);
	ck_assert_uint_eq(p->root[0].nsteps, 1);
	ck_assert_ptr_eq(p->root[0].steps[0].node, d);

	subst(r, 1, false);
	p = td_evtx_plan_build(&arena, r);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->nroot, 2);
	ck_assert_int_eq(p->root[1].kind, TD_STEP_TREE);

	/* Event without System: no plan for a record either. */
	struct td_xnode *r2 = root();
	struct td_xnode *ev = el(r2, "Event");
	el(ev, "EventData");
	p = td_evtx_plan_build(&arena, r2);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->sys);

	/* An empty skeleton. */
	p = td_evtx_plan_build(&arena, root());
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->sys);
	ck_assert_uint_eq(p->nroot, 0);
}
END_TEST

/* The plan lives in a capped arena: out of room, it is NULL (the record
 * then goes through the tree), never half built. */
START_TEST(out_of_memory)
{
	struct td_xnode *r = root();
	struct td_xnode *ev = el(r, "Event");
	el(ev, "System");
	struct td_xnode *ed = el(ev, "EventData");
	for (int i = 0; i < 100; i++)
		subst(el(ed, "Data"), (uint16_t)i, false);
	const struct td_evtx_plan *full = td_evtx_plan_build(&arena, r);
	ck_assert_ptr_nonnull(full);
	ck_assert_uint_eq(full->event[0].nsteps, 100);
	for (size_t cap = 0; cap < 8192; cap += 64) {
		struct td_arena small;
		td_arena_init(&small, cap);
		const struct td_evtx_plan *p = td_evtx_plan_build(&small, r);
		if (p) {
			ck_assert_ptr_nonnull(p->sys);
			ck_assert_uint_eq(p->nevent, 1);
			ck_assert_uint_eq(p->event[0].nsteps, 100);
		}
		td_arena_release(&small);
	}
}
END_TEST

Suite *evtx_plan_suite(void)
{
	Suite *s = suite_create("evtx_plan");
	TCase *tc = tcase_create("plan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ordinary_record);
	tcase_add_test(tc, odd_shapes);
	tcase_add_test(tc, nested_event_data);
	tcase_add_test(tc, out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}
