/* Event XML trees and the normalised event taken from them (xevent.h). */
#include "xevent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evmsg.h"
#include "parser.h"
#include "grow.h"
#include "timeutil.h"

struct td_xnode *td_x_new(struct td_arena *a, enum td_xkind kind, struct td_xnode *parent)
{
	struct td_xnode *n = td_arena_alloc(a, sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->parent = parent;
	if (parent) {
		if (parent->children_tail)
			parent->children_tail->next = n;
		else
			parent->children = n;
		parent->children_tail = n;
	}
	return n;
}

static struct td_str joined(struct td_arena *a, struct td_str x, struct td_str y)
{
	char *m = td_arena_alloc(a, x.len + y.len + 1);
	if (!m)
		return td_str_make(NULL, 0);
	memcpy(m, x.p, x.len);
	memcpy(m + x.len, y.p, y.len);
	m[x.len + y.len] = '\0';
	return td_str_make(m, x.len + y.len);
}

int td_x_add_text(struct td_arena *a, struct td_xnode *parent, struct td_str s)
{
	if (!s.len)
		return TD_OK;
	struct td_xnode *last = parent->children_tail;
	if (last && last->kind == TD_X_TEXT) {
		struct td_str m = joined(a, last->text, s);
		if (!m.p)
			return TD_E_NOMEM;
		last->text = m;
		return TD_OK;
	}
	struct td_xnode *t = td_x_new(a, TD_X_TEXT, parent);
	if (!t)
		return TD_E_NOMEM;
	t->text = s;
	return TD_OK;
}

int td_x_add_attr(struct td_arena *a, struct td_xnode *el, struct td_str name, struct td_str value)
{
	struct td_xattr *at = td_arena_alloc(a, sizeof(*at));
	if (!at)
		return TD_E_NOMEM;
	*at = (struct td_xattr){ .name = name, .value = value };
	if (el->attrs_tail)
		el->attrs_tail->next = at;
	else
		el->attrs = at;
	el->attrs_tail = at;
	return TD_OK;
}

/* The name without a namespace prefix. */
struct td_str td_x_local_name(struct td_str s)
{
	ptrdiff_t colon = td_str_find_char(s, ':');
	return colon < 0 ? s : td_str_slice(s, (size_t)colon + 1, s.len);
}

const struct td_xnode *td_x_child(const struct td_xnode *n, const char *name)
{
	size_t len = strlen(name);
	for (const struct td_xnode *k = n ? n->children : NULL; k; k = k->next) {
		if (k->kind != TD_X_ELEMENT || k->name.len < len)
			continue;
		/* Most names have no prefix: compare directly first. */
		if (k->name.len == len && memcmp(k->name.p, name, len) == 0)
			return k;
		if (k->name.len > len && k->name.p[k->name.len - len - 1] == ':' &&
		    memcmp(k->name.p + k->name.len - len, name, len) == 0)
			return k;
	}
	return NULL;
}

struct td_str td_x_attr(const struct td_xnode *n, const char *name)
{
	size_t len = strlen(name);
	for (const struct td_xattr *a = n ? n->attrs : NULL; a; a = a->next)
		if (a->name.len == len && a->name.p[0] == name[0] && memcmp(a->name.p, name, len) == 0)
			return a->value;
	return td_str_make(NULL, 0);
}

struct td_str td_x_text(const struct td_xnode *n)
{
	for (const struct td_xnode *k = n ? n->children : NULL; k; k = k->next)
		if (k->kind == TD_X_TEXT)
			return k->text;
	return td_str_make(NULL, 0);
}

const struct td_xnode *td_xevent_find(const struct td_xnode *root)
{
	if (!root)
		return NULL;
	if (root->kind == TD_X_ELEMENT && td_str_eq_cstr(td_x_local_name(root->name), "Event"))
		return root;
	return td_x_child(root, "Event");
}

/* --- XML ------------------------------------------------------------------ */

static int escaped(struct td_buf *b, struct td_str s, bool attr)
{
	int rc = TD_OK;
	size_t from = 0;
	for (size_t i = 0; i < s.len && !rc; i++) {
		const char *rep = NULL;
		switch (s.p[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		}
		if (!rep)
			continue;
		rc = td_buf_add(b, s.p + from, i - from);
		if (!rc)
			rc = td_buf_adds(b, rep);
		from = i + 1;
	}
	return rc ? rc : td_buf_add(b, s.p + from, s.len - from);
}

static int pad(struct td_buf *b, int indent)
{
	int rc = TD_OK;
	for (int i = 0; i < indent && !rc; i++)
		rc = td_buf_adds(b, "  ");
	return rc;
}

static int open_tag(const struct td_xnode *n, struct td_buf *b, int indent)
{
	int rc = pad(b, indent);
	if (!rc)
		rc = td_buf_addf(b, "<%.*s", td_str_pfmt(n->name));
	if (!rc && td_str_eq_cstr(n->name, "Event") && !n->parent->name.len &&
	    !td_x_attr(n, "xmlns").p)
		rc = td_buf_adds(b, " xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"");
	for (const struct td_xattr *a = n->attrs; a && !rc; a = a->next) {
		rc = td_buf_addf(b, " %.*s=\"", td_str_pfmt(a->name));
		if (!rc)
			rc = escaped(b, a->value, true);
		if (!rc)
			rc = td_buf_addc(b, '"');
	}
	return rc;
}

int td_x_xml(const struct td_xnode *n, struct td_buf *b, int indent)
{
	int rc = TD_OK;
	if (n->kind == TD_X_TEXT)
		return escaped(b, n->text, false);
	if (n->kind == TD_X_PI)
		return td_buf_addf(b, "<?%.*s %.*s?>", td_str_pfmt(n->name), td_str_pfmt(n->text));
	if (!n->name.len) {
		for (const struct td_xnode *k = n->children; k && !rc; k = k->next) {
			rc = td_x_xml(k, b, indent);
			if (!rc)
				rc = td_buf_addc(b, '\n');
		}
		return rc;
	}
	rc = open_tag(n, b, indent);
	if (rc)
		return rc;
	if (!n->children)
		return td_buf_adds(b, "/>");
	bool elements = false;
	for (const struct td_xnode *k = n->children; k; k = k->next)
		elements |= k->kind != TD_X_TEXT;
	rc = td_buf_addc(b, '>');
	for (const struct td_xnode *k = n->children; k && !rc; k = k->next) {
		if (!elements) {
			rc = td_x_xml(k, b, 0);
			continue;
		}
		/* Mixed content: whitespace-only text between elements is
		 * layout, not data. */
		if (k->kind == TD_X_TEXT && !td_str_trim(k->text).len)
			continue;
		rc = td_buf_addc(b, '\n');
		if (!rc && k->kind != TD_X_ELEMENT)
			rc = pad(b, indent + 1);
		if (!rc)
			rc = td_x_xml(k, b, indent + 1);
	}
	if (!rc && elements) {
		rc = td_buf_addc(b, '\n');
		if (!rc)
			rc = pad(b, indent);
	}
	return rc ? rc : td_buf_addf(b, "</%.*s>", td_str_pfmt(n->name));
}

/* --- the normalised event --------------------------------------------------- */

void td_xfields_release(struct td_xfields *f)
{
	free(f->items);
	memset(f, 0, sizeof(*f));
}

int td_xfields_push(struct td_xfields *f, struct td_str name, struct td_str value)
{
	if (td_grow(&f->items, &f->cap, f->n, sizeof(*f->items)))
		return TD_E_NOMEM;
	f->items[f->n++] = (struct td_field){ name, value.p ? value : td_str_make("", 0) };
	return TD_OK;
}

int td_xfields_add(struct td_xfields *f, struct td_str name, struct td_str value)
{
	if (!name.p)
		return TD_OK;
	if (f->n >= TD_XEVENT_MAX_FIELDS) {
		f->dropped++;
		return TD_OK;
	}
	return td_xfields_push(f, name, value);
}

void td_xevent_parts(const struct td_xnode *sys, const struct td_xnode **part)
{
	static const struct td_str names[S_PARTS] = {
		TD_STR_LIT("Provider"), TD_STR_LIT("EventID"),	     TD_STR_LIT("Version"),
		TD_STR_LIT("Level"),	TD_STR_LIT("Task"),	     TD_STR_LIT("Opcode"),
		TD_STR_LIT("Keywords"), TD_STR_LIT("TimeCreated"),   TD_STR_LIT("EventRecordID"),
		TD_STR_LIT("Correlation"), TD_STR_LIT("Execution"), TD_STR_LIT("Channel"),
		TD_STR_LIT("Computer"), TD_STR_LIT("Security"),
	};
	for (int i = 0; i < S_PARTS; i++)
		part[i] = NULL;
	for (const struct td_xnode *k = sys->children; k; k = k->next) {
		if (k->kind != TD_X_ELEMENT)
			continue;
		struct td_str name = td_x_local_name(k->name);
		for (int i = 0; i < S_PARTS; i++)
			if (!part[i] && name.len == names[i].len &&
			    memcmp(name.p, names[i].p, name.len) == 0) {
				part[i] = k;
				break;
			}
	}
}

static uint64_t number(struct td_str s, bool *ok)
{
	uint64_t v = 0;
	s = td_str_trim(s);
	*ok = s.len && td_str_parse_udec(s, 20, &v) == s.len;
	return v;
}

static enum td_level level_of(struct td_str s)
{
	bool ok;
	uint64_t v = number(s, &ok);
	if (!ok)
		return TD_LEVEL_NONE;
	switch (v) {
	case 0: return TD_LEVEL_INFO; /* LogAlways: shown as Information */
	case 1: return TD_LEVEL_CRITICAL;
	case 2: return TD_LEVEL_ERROR;
	case 3: return TD_LEVEL_WARNING;
	case 4: return TD_LEVEL_INFO;
	case 5: return TD_LEVEL_VERBOSE;
	}
	return TD_LEVEL_NONE;
}

static void time_of(const struct td_xsystem *x, struct td_time *t)
{
	struct td_str st = x->time;
	if (!st.p)
		return;
	t->text = st;
	if (x->has_ticks) {
		t->ticks = x->ticks;
		t->zone = TD_ZONE_UTC;
		t->digits = 7;
		return;
	}
	struct td_time parsed;
	if (td_time_parse_iso8601(td_str_trim(st), &parsed)) {
		/* SystemTime is UTC even where a tool leaves out the Z. */
		*t = parsed;
		t->zone = TD_ZONE_UTC;
		t->text = st;
	}
}

/* "Data[i]" names for unnamed inserts, by hand: most events of classic
 * logs have some, and snprintf costs more than the rest of the field. */
static struct td_str insert_name(struct td_arena *a, const char *base, size_t i)
{
	char digits[24];
	size_t nd = 0;
	do {
		digits[nd++] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	size_t nb = strlen(base);
	char *out = td_arena_alloc(a, nb + nd + 3);
	if (!out)
		return td_str_make(NULL, 0);
	memcpy(out, base, nb);
	size_t n = nb;
	out[n++] = '[';
	while (nd)
		out[n++] = digits[--nd];
	out[n++] = ']';
	out[n] = '\0';
	return td_str_make(out, n);
}

int td_xevent_data_field(struct td_arena *a, struct td_xfields *f, struct td_str element,
			 struct td_str name_attr, struct td_str value, size_t *unnamed)
{
	struct td_str local = td_x_local_name(element);
	struct td_str name = name_attr;
	if (!name.len && !td_str_eq_cstr(local, "Data"))
		name = local;
	if (!name.len) /* unnamed <Data>, or a nameless element */
		name = insert_name(a, "Data", ++*unnamed);
	if (!name.p)
		return TD_E_NOMEM;
	return td_xfields_add(f, name, value);
}

static int event_data(const struct td_xnode *ed, struct td_arena *a, struct td_xfields *f)
{
	size_t unnamed = 0;
	for (const struct td_xnode *k = ed->children; k; k = k->next) {
		if (k->kind != TD_X_ELEMENT)
			continue;
		int rc = td_xevent_data_field(a, f, k->name, td_x_attr(k, "Name"), td_x_text(k),
					      &unnamed);
		if (rc)
			return rc;
	}
	return TD_OK;
}

/* UserData: every leaf element becomes a field named after it (a nameless
 * one as "UserData[i]"). */
static int user_data(const struct td_xnode *n, struct td_arena *a, struct td_xfields *f,
		     int depth)
{
	if (depth > 32)
		return TD_OK;
	bool leaf = true;
	for (const struct td_xnode *k = n->children; k; k = k->next) {
		if (k->kind != TD_X_ELEMENT)
			continue;
		leaf = false;
		int rc = user_data(k, a, f, depth + 1);
		if (rc)
			return rc;
	}
	if (leaf && depth > 1) {
		struct td_str name = td_x_local_name(n->name);
		if (!name.len && !(name = insert_name(a, "UserData", f->n + 1)).p)
			return TD_E_NOMEM;
		return td_xfields_add(f, name, td_x_text(n));
	}
	return TD_OK;
}

/* Data values as text, one per line, "Name: value" for named ones. */
static int data_message(struct td_arena *a, const struct td_xfields *f, size_t first,
			struct td_str *out)
{
	size_t need = 1;
	for (size_t i = first; i < f->n; i++)
		need += f->items[i].name.len + f->items[i].value.len + 3;
	if (need > TD_MAX_MESSAGE)
		need = TD_MAX_MESSAGE;
	char *m = td_arena_alloc(a, need);
	if (!m)
		return TD_E_NOMEM;
	size_t len = 0;
	for (size_t i = first; i < f->n; i++) {
		struct td_str v = td_str_trim(f->items[i].value);
		if (!v.len)
			continue;
		struct td_str name = f->items[i].name;
		bool named = !(name.len > 5 && name.p[0] == 'D' && name.p[4] == '[' &&
			       memcmp(name.p, "Data[", 5) == 0);
		size_t add = (len ? 1 : 0) + (named ? name.len + 2 : 0) + v.len;
		if (add >= need - len)
			break;
		if (len)
			m[len++] = '\n';
		if (named) {
			memcpy(m + len, name.p, name.len);
			memcpy(m + len + name.len, ": ", 2);
			len += name.len + 2;
		}
		memcpy(m + len, v.p, v.len);
		len += v.len;
	}
	m[len] = '\0';
	*out = td_str_make(m, len);
	return TD_OK;
}

int td_xevent_system(const struct td_xsystem *x, struct td_xfields *f, struct td_event *ev)
{
	f->n = 0;
	f->dropped = 0;
	ev->provider = x->provider;
	bool ok;
	uint64_t v = number(x->event_id, &ok);
	if (ok && v <= UINT32_MAX) {
		ev->has_event_id = true;
		ev->event_id = (uint32_t)v;
	}
	ev->level = level_of(x->level);
	time_of(x, &ev->time);
	v = number(x->record_id, &ok);
	if (ok)
		ev->record = v;
	ev->host = td_str_trim(x->computer);
	ev->channel = td_str_trim(x->channel);
	/* Names with their lengths: this runs for every record. */
	const struct {
		struct td_str value;
		bool trim;
		struct td_str as;
	} plain[] = {
		{ x->qualifiers, false, TD_STR_LIT("Qualifiers") },
		{ x->version, true, TD_STR_LIT("Version") },
		{ x->task, true, TD_STR_LIT("Task") },
		{ x->opcode, true, TD_STR_LIT("Opcode") },
		{ x->keywords, true, TD_STR_LIT("Keywords") },
		{ x->pid, false, TD_STR_LIT("ProcessID") },
		{ x->tid, false, TD_STR_LIT("ThreadID") },
		{ x->user, false, TD_STR_LIT("UserID") },
		{ x->activity, false, TD_STR_LIT("ActivityID") },
		{ x->guid, false, TD_STR_LIT("ProviderGuid") },
	};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		struct td_str val = plain[i].trim ? td_str_trim(plain[i].value) : plain[i].value;
		if (!val.p || !val.len)
			continue;
		int rc = td_xfields_add(f, plain[i].as, val);
		if (rc)
			return rc;
	}
	return TD_OK;
}

static bool all_digits(struct td_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (!td_is_digit((unsigned char)s.p[i]))
			return false;
	return s.len > 0;
}

/* "-60 W. Europe Standard Time": a bias in minutes, a space, a name. */
static bool zone_shaped(struct td_str s)
{
	size_t i = s.len && s.p[0] == '-' ? 1 : 0, d = i;
	while (i < s.len && td_is_digit((unsigned char)s.p[i]))
		i++;
	return i > d && i + 1 < s.len && s.p[i] == ' ' && s.p[i + 1] != ' ';
}

/* EventLog 6013, written once a day: "The system uptime is %5 seconds."
 * Its seven values are four empty ones, the uptime, "60" and the time zone
 * as "<bias in minutes> <name>" ("420 US Mountain Standard Time", names
 * localised).  Where a tool left out the empty values, the first number
 * and the first zone-shaped value are taken instead. */
static int uptime_facts(size_t first_data, struct td_xfields *f)
{
	size_t n = f->n - first_data;
	struct td_field *v = f->items + first_data;
	struct td_str up = td_str_make(NULL, 0), zone = td_str_make(NULL, 0);
	if (n >= 7 && all_digits(td_str_trim(v[4].value)) && zone_shaped(td_str_trim(v[6].value))) {
		up = td_str_trim(v[4].value);
		zone = td_str_trim(v[6].value);
	} else {
		for (size_t i = 0; i < n; i++) {
			struct td_str t = td_str_trim(v[i].value);
			if (!td_str_starts_with(v[i].name, "Data["))
				continue;
			if (!up.len && all_digits(t))
				up = t;
			else if (!zone.len && zone_shaped(t))
				zone = t;
		}
	}
	/* The uptime changes daily: an event field, not a fact of the machine. */
	int rc = up.len ? td_xfields_push(f, TD_STR_LIT("uptime_seconds"), up) : TD_OK;
	if (!rc && zone.len)
		rc = td_xfields_push(f, TD_STR_LIT("fact.windows.timezone"), zone);
	return rc;
}

/* Events that tell the machine's version become facts: EventLog 6009
 * ("10.00." and the build number) at every start, 6013 (uptime and time
 * zone) every day. */
static int version_facts(const struct td_event *ev, size_t first_data, struct td_xfields *f)
{
	if (!ev->has_event_id || !td_str_eq_cstr(ev->provider, "EventLog") || f->n < first_data)
		return TD_OK;
	if (ev->event_id == 6013)
		return uptime_facts(first_data, f);
	if (ev->event_id != 6009 || f->n < first_data + 2)
		return TD_OK;
	struct td_str ver = td_str_trim(f->items[first_data].value);
	struct td_str build = td_str_trim(f->items[first_data + 1].value);
	while (ver.len && ver.p[ver.len - 1] == '.')
		ver.len--;
	/* A damaged or foreign record is no version. */
	if (!ver.len || !td_is_digit((unsigned char)ver.p[0]))
		ver.len = 0;
	int rc = ver.len ? td_xfields_push(f, TD_STR_LIT("fact.windows.version"), ver) : TD_OK;
	if (!rc && all_digits(build))
		rc = td_xfields_push(f, TD_STR_LIT("fact.windows.currentbuild"), build);
	return rc;
}

int td_xevent_finish(struct td_event *ev, size_t first_data, struct td_arena *a,
		     struct td_xfields *f)
{
	/* The message is made of the event's own values, not of the facts. */
	ev->fields = f->items;
	ev->nfields = f->n;
	int rc = td_evmsg_render(ev, first_data, TD_WIN_AUTO, a, &ev->message);
	if (rc == TD_E_FORMAT)
		rc = data_message(a, f, first_data, &ev->message);
	if (!rc)
		rc = version_facts(ev, first_data, f);
	ev->fields = f->items;
	ev->nfields = f->n;
	return rc;
}

int td_xevent_fill(const struct td_xnode *ev_el, struct td_arena *a, struct td_xfields *f,
		   struct td_event *ev)
{
	const struct td_xnode *sys = td_x_child(ev_el, "System");
	if (!sys)
		return TD_E_FORMAT;
	const struct td_xnode *part[S_PARTS];
	td_xevent_parts(sys, part);
	struct td_xsystem x = {
		.provider = td_x_attr(part[S_PROVIDER], "Name"),
		.guid = td_x_attr(part[S_PROVIDER], "Guid"),
		.event_id = td_x_text(part[S_EVENTID]),
		.qualifiers = td_x_attr(part[S_EVENTID], "Qualifiers"),
		.version = td_x_text(part[S_VERSION]),
		.level = td_x_text(part[S_LEVEL]),
		.task = td_x_text(part[S_TASK]),
		.opcode = td_x_text(part[S_OPCODE]),
		.keywords = td_x_text(part[S_KEYWORDS]),
		.time = td_x_attr(part[S_TIMECREATED], "SystemTime"),
		.record_id = td_x_text(part[S_RECORDID]),
		.activity = td_x_attr(part[S_CORRELATION], "ActivityID"),
		.pid = td_x_attr(part[S_EXECUTION], "ProcessID"),
		.tid = td_x_attr(part[S_EXECUTION], "ThreadID"),
		.channel = td_x_text(part[S_CHANNEL]),
		.computer = td_x_text(part[S_COMPUTER]),
		.user = td_x_attr(part[S_SECURITY], "UserID"),
	};
	if (!x.provider.p)
		x.provider = td_x_attr(part[S_PROVIDER], "EventSourceName");
	if (part[S_TIMECREATED] && part[S_TIMECREATED]->has_attr_ticks) {
		x.ticks = part[S_TIMECREATED]->attr_ticks;
		x.has_ticks = true;
	}
	int rc = td_xevent_system(&x, f, ev);
	size_t first_data = f->n;
	const struct td_xnode *ed = td_x_child(ev_el, "EventData");
	if (!rc && ed)
		rc = event_data(ed, a, f);
	const struct td_xnode *ud = td_x_child(ev_el, "UserData");
	if (!rc && ud)
		rc = user_data(ud, a, f, 0);
	if (rc)
		return rc;
	const struct td_xnode *ri = td_x_child(ev_el, "RenderingInfo");
	struct td_str rendered = td_str_trim(td_x_text(td_x_child(ri, "Message")));
	if (rendered.len) {
		/* Event Viewer's "Save as XML" renders the message; the values
		 * still make facts. */
		ev->message = rendered;
		rc = version_facts(ev, first_data, f);
		ev->fields = f->items;
		ev->nfields = f->n;
		return rc;
	}
	return td_xevent_finish(ev, first_data, a, f);
}
