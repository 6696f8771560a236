/* The machine model: registry values and version facts per machine, and
 * the protocol verdicts (see machine.h). */
#include "machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "hosts.h"

void td_machines_init(struct td_machines *ms)
{
	memset(ms, 0, sizeof(*ms));
}

static void regval_release(struct td_regval *v)
{
	free(v->data);
	free(v->path);
	free(v->text);
	memset(v, 0, sizeof(*v));
}

#define MAX_SLOTS 48

/* Every single registry value a machine keeps (release and merge walk the
 * same list, so a new field cannot be left out of one of them). */
static size_t value_slots(struct td_machine *m, struct td_regval **out)
{
	size_t n = 0;
	for (int p = 0; p < TD_NPROTO; p++)
		for (int s = 0; s < 2; s++) {
			out[n++] = &m->proto[p].side[s].enabled;
			out[n++] = &m->proto[p].side[s].disabled_by_default;
		}
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 2; b++)
			for (int c = 0; c < 2; c++)
				out[n++] = &m->netfx[a][b][c];
	for (int i = 0; i < 2; i++)
		out[n++] = &m->winhttp[i];
	for (int i = 0; i < 3; i++)
		out[n++] = &m->wininet[i];
	out[n++] = &m->release;
	out[n++] = &m->cipher_policy;
	out[n++] = &m->cipher_local;
	out[n++] = &m->event_logging;
	out[n++] = &m->fips;
	out[n++] = &m->legacy_driver;
	out[n++] = &m->snac11_used;
	out[n++] = &m->clr_before_46;
	return n;
}

static void machine_release(struct td_machine *m)
{
	struct td_regval *slots[MAX_SLOTS];
	size_t n = value_slots(m, slots);
	for (size_t i = 0; i < n; i++)
		regval_release(slots[i]);
	regval_release(&m->snac11_at);
	for (size_t i = 0; i < m->ntypos; i++)
		regval_release(&m->typos[i]);
	free(m->typos);
	for (size_t i = 0; i < m->nalgos; i++)
		regval_release(&m->algos[i]);
	free(m->algos);
	free(m->name);
	free(m->reg_path);
	free(m->win.text);
	free(m->win.path);
	free(m->snac11);
	free(m->snac10);
}

void td_machines_release(struct td_machines *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		machine_release(&ms->m[i]);
	free(ms->m);
	memset(ms, 0, sizeof(*ms));
}

struct td_machine *td_machines_get(struct td_machines *ms, struct td_str folder)
{
	for (size_t i = ms->n; i-- > 0;)
		if (td_str_eq_cstr(folder, ms->m[i].name))
			return &ms->m[i];
	if (td_grow(&ms->m, &ms->cap, ms->n, sizeof(*ms->m))) {
		ms->nomem = true;
		return NULL;
	}
	struct td_machine *m = &ms->m[ms->n];
	memset(m, 0, sizeof(*m));
	m->name = td_str_dup(folder);
	if (!m->name) {
		ms->nomem = true;
		return NULL;
	}
	ms->n++;
	return m;
}

static void move_value(struct td_regval *dst, struct td_regval *src)
{
	if (!src->present)
		return;
	regval_release(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

/* Appends src's list of values to dst's (ownership moves). */
static int move_list(struct td_regval **dst, size_t *dn, struct td_regval **src, size_t *sn)
{
	if (!*sn)
		return TD_OK;
	struct td_regval *na = realloc(*dst, (*dn + *sn) * sizeof(*na));
	if (!na)
		return TD_E_NOMEM;
	memcpy(na + *dn, *src, *sn * sizeof(*na));
	*dst = na;
	*dn += *sn;
	*sn = 0;
	return TD_OK;
}

static void move_text(char **dst, char **src)
{
	if (*src && !*dst) {
		*dst = *src;
		*src = NULL;
	}
}

/* Moves what src knows into dst (later values win). */
static int merge(struct td_machine *dst, struct td_machine *src)
{
	dst->has_registry |= src->has_registry;
	dst->schannel_seen |= src->schannel_seen;
	dst->ndp_seen |= src->ndp_seen;
	dst->wow_seen |= src->wow_seen;
	for (int v = 0; v < 2; v++) {
		dst->netfx_seen[v] |= src->netfx_seen[v];
		dst->inet_seen[v] |= src->inet_seen[v];
	}
	move_text(&dst->reg_path, &src->reg_path);
	struct td_regval *to[MAX_SLOTS], *from[MAX_SLOTS];
	size_t n = value_slots(dst, to);
	value_slots(src, from);
	for (size_t i = 0; i < n; i++)
		move_value(to[i], from[i]);
	if (move_list(&dst->algos, &dst->nalgos, &src->algos, &src->nalgos) ||
	    move_list(&dst->typos, &dst->ntypos, &src->typos, &src->ntypos))
		return TD_E_NOMEM;
	if (src->win.build && !dst->win.build) {
		uint32_t ubr = dst->win.ubr;
		free(dst->win.text);
		free(dst->win.path);
		dst->win = src->win;
		memset(&src->win, 0, sizeof(src->win));
		if (!dst->win.ubr)
			dst->win.ubr = ubr;
	} else if (src->win.ubr && !dst->win.ubr &&
		   (!src->win.build || src->win.build == dst->win.build)) {
		dst->win.ubr = src->win.ubr;
	}
	if (src->snac11 && !dst->snac11) {
		move_text(&dst->snac11, &src->snac11);
		move_value(&dst->snac11_at, &src->snac11_at);
	}
	move_text(&dst->snac10, &src->snac10);
	return TD_OK;
}

int td_machines_group(struct td_machines *ms, char *const *names)
{
	if (!ms->n)
		return TD_OK;
	const char **paths = malloc(ms->n * sizeof(*paths));
	if (!paths)
		return TD_E_NOMEM;
	for (size_t i = 0; i < ms->n; i++)
		paths[i] = ms->m[i].name;
	struct td_folder_split split;
	td_folder_split(paths, ms->n, &split);
	struct td_machines out;
	td_machines_init(&out);
	int rc = TD_OK;
	for (size_t i = 0; i < ms->n && !rc; i++) {
		bool named = names && names[i];
		struct td_str name = named ? td_str_cstr(names[i]) : td_folder_group(&split, paths[i]);
		struct td_machine *m = td_machines_get(&out, name);
		if (m)
			m->named |= named;
		rc = m ? merge(m, &ms->m[i]) : TD_E_NOMEM;
	}
	free(paths);
	td_machines_release(ms);
	*ms = out;
	return rc;
}

/* Finds marker (lower case) in the lower-cased key; returns the position
 * just after it, or -1. */
static long after(const char *lkey, const char *marker)
{
	const char *p = strstr(lkey, marker);
	return p ? (long)(p - lkey) + (long)strlen(marker) : -1;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

static int set_value(struct td_regval *v, struct td_str type, struct td_str data,
		     struct td_str path, uint64_t line, struct td_str text)
{
	regval_release(v);
	v->present = true;
	v->is_dword = td_str_eq_cstr(type, "REG_DWORD") || td_str_eq_cstr(type, "REG_QWORD");
	if (v->is_dword) {
		uint64_t x = 0;
		size_t i = 0;
		for (; i < data.len && data.p[i] >= '0' && data.p[i] <= '9' && x <= 0xFFFFFFFFu; i++)
			x = x * 10 + (uint64_t)(data.p[i] - '0');
		v->is_dword = i == data.len && i > 0 && x <= 0xFFFFFFFFu;
		v->dword = (uint32_t)x;
	}
	v->data = td_str_dup(data);
	v->path = td_str_dup(path);
	v->line = line;
	v->text = td_str_dup(text);
	return v->data && v->path && v->text ? TD_OK : TD_E_NOMEM;
}

static int push_value(struct td_regval **arr, size_t *n, struct td_str type, struct td_str data,
		      struct td_str path, uint64_t line, struct td_str text)
{
	struct td_regval *na = realloc(*arr, (*n + 1) * sizeof(*na));
	if (!na)
		return TD_E_NOMEM;
	*arr = na;
	memset(&na[*n], 0, sizeof(*na));
	return set_value(&na[(*n)++], type, data, path, line, text);
}

static const char *const proto_keys[TD_NPROTO] = { "ssl 2.0", "ssl 3.0", "tls 1.0",
						   "tls 1.1", "tls 1.2", "tls 1.3" };

/* A protocol key name Schannel does not know but that looks like one of
 * its names without the space or with a "v" ("TLS1.2", "TLSv1.2"). */
static bool typo_name(const char *name)
{
	char squeezed[32];
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < sizeof(squeezed); p++)
		if (*p != ' ' && *p != '_' && *p != 'v')
			squeezed[n++] = *p;
	squeezed[n] = '\0';
	for (int i = 0; i < TD_NPROTO; i++) {
		char want[16];
		size_t k = 0;
		for (const char *p = proto_keys[i]; *p; p++)
			if (*p != ' ')
				want[k++] = *p;
		want[k] = '\0';
		if (strcmp(squeezed, want) == 0)
			return true;
	}
	return false;
}

static int schannel_value(struct td_machine *m, const char *rest, const char *lname,
			  struct td_str type, struct td_str data, struct td_str path,
			  uint64_t line, struct td_str text)
{
	if (!*rest) {
		if (strcmp(lname, "eventlogging") == 0)
			return set_value(&m->event_logging, type, data, path, line, text);
		return TD_OK;
	}
	static const char *const algo_keys[] = { "\\ciphers\\", "\\hashes\\",
						 "\\keyexchangealgorithms\\" };
	for (size_t i = 0; i < 3; i++)
		if (strncmp(rest, algo_keys[i], strlen(algo_keys[i])) == 0 &&
		    strcmp(lname, "enabled") == 0)
			return push_value(&m->algos, &m->nalgos, type, data, path, line, text);
	if (strncmp(rest, "\\protocols\\", 11) != 0)
		return TD_OK;
	const char *proto = rest + 11;
	const char *slash = strchr(proto, '\\');
	if (!slash)
		return TD_OK;
	char pname[32];
	size_t plen = (size_t)(slash - proto);
	if (plen >= sizeof(pname))
		return TD_OK;
	memcpy(pname, proto, plen);
	pname[plen] = '\0';
	const char *sname = slash + 1;
	int side = strcmp(sname, "client") == 0 ? TD_CLIENT
		   : strcmp(sname, "server") == 0 ? TD_SERVER
						   : -1;
	bool known = strcmp(lname, "enabled") == 0 || strcmp(lname, "disabledbydefault") == 0;
	if (side < 0 || !known)
		return TD_OK;
	for (int p = 0; p < TD_NPROTO; p++) {
		if (strcmp(pname, proto_keys[p]) != 0)
			continue;
		struct td_proto_side *ps = &m->proto[p].side[side];
		return set_value(lname[0] == 'e' ? &ps->enabled : &ps->disabled_by_default, type,
				 data, path, line, text);
	}
	if (!typo_name(pname))
		return TD_OK;
	return push_value(&m->typos, &m->ntypos, type, data, path, line, text);
}

int td_machine_regvalue(struct td_machine *m, struct td_str key, struct td_str name,
			struct td_str type, struct td_str data, bool deleted, struct td_str path,
			uint64_t line, struct td_str text)
{
	char lkey[1024], lname[128];
	if (key.len >= sizeof(lkey) || name.len >= sizeof(lname))
		return TD_OK;
	for (size_t i = 0; i < key.len; i++)
		lkey[i] = (char)td_ascii_lower((unsigned char)key.p[i]);
	lkey[key.len] = '\0';
	for (size_t i = 0; i < name.len; i++)
		lname[i] = (char)td_ascii_lower((unsigned char)name.p[i]);
	lname[name.len] = '\0';
	if (!m->has_registry) {
		m->has_registry = true;
		m->reg_path = td_str_dup(path);
		if (!m->reg_path)
			return TD_E_NOMEM;
	}
	bool wow = strstr(lkey, "\\wow6432node\\") != NULL;
	m->wow_seen |= wow;
	int view = wow ? TD_VIEW_32 : TD_VIEW_64;
	long at;
	/* Coverage is noted even for a deleted value: the export saw the key. */
	if ((at = after(lkey, "\\securityproviders\\schannel")) >= 0 &&
	    (lkey[at] == '\0' || lkey[at] == '\\')) {
		m->schannel_seen = true;
		return deleted ? TD_OK
			       : schannel_value(m, lkey + at, lname, type, data, path, line, text);
	}
	if ((at = after(lkey, "\\microsoft\\.netframework")) >= 0) {
		m->netfx_seen[view] = true;
		int ver = strcmp(lkey + at, "\\v4.0.30319") == 0   ? TD_NETFX_V4
			  : strcmp(lkey + at, "\\v2.0.50727") == 0 ? TD_NETFX_V2
								   : -1;
		int val = strcmp(lname, "schusestrongcrypto") == 0	   ? TD_NETFX_STRONG
			  : strcmp(lname, "systemdefaulttlsversions") == 0 ? TD_NETFX_SYSDEFAULT
									   : -1;
		if (ver < 0 || val < 0 || deleted)
			return TD_OK;
		return set_value(&m->netfx[ver][view][val], type, data, path, line, text);
	}
	if ((at = after(lkey, "\\net framework setup\\ndp")) >= 0) {
		m->ndp_seen = true;
		if (!deleted && strcmp(lkey + at, "\\v4\\full") == 0 &&
		    strcmp(lname, "release") == 0)
			return set_value(&m->release, type, data, path, line, text);
		return TD_OK;
	}
	if ((at = after(lkey, "\\currentversion\\internet settings")) >= 0) {
		bool policy = strstr(lkey, "\\policies\\") != NULL;
		bool user = strncmp(lkey, "hkey_current_user", 17) == 0 ||
			    strncmp(lkey, "hkcu", 4) == 0;
		if (!policy && !user)
			m->inet_seen[view] = true;
		if (deleted)
			return TD_OK;
		if (strcmp(lkey + at, "\\winhttp") == 0 && !policy && !user &&
		    strcmp(lname, "defaultsecureprotocols") == 0)
			return set_value(&m->winhttp[view], type, data, path, line, text);
		if (lkey[at] == '\0' && strcmp(lname, "secureprotocols") == 0 && !wow) {
			int scope = policy ? TD_INET_POLICY : user ? TD_INET_USER : TD_INET_MACHINE;
			return set_value(&m->wininet[scope], type, data, path, line, text);
		}
		return TD_OK;
	}
	if (!deleted && (ends_with(lkey, "\\control\\lsa\\fipsalgorithmpolicy")
			 ? strcmp(lname, "enabled") == 0
			 : ends_with(lkey, "\\control\\lsa") &&
				   strcmp(lname, "fipsalgorithmpolicy") == 0))
		return set_value(&m->fips, type, data, path, line, text);
	if (deleted || strcmp(lname, "functions") != 0)
		return TD_OK;
	if (ends_with(lkey, "\\policies\\microsoft\\cryptography\\configuration\\ssl\\00010002"))
		return set_value(&m->cipher_policy, type, data, path, line, text);
	if (ends_with(lkey, "\\cryptography\\configuration\\local\\ssl\\00010002"))
		return set_value(&m->cipher_local, type, data, path, line, text);
	return TD_OK;
}

static int set_text(char **dst, const char *value)
{
	free(*dst);
	*dst = strdup(value);
	return *dst ? TD_OK : TD_E_NOMEM;
}

static bool names_any(const char *value, const char *const *words)
{
	for (; *words; words++)
		if (td_str_ifind(td_str_cstr(value), td_str_cstr(*words)) >= 0)
			return true;
	return false;
}

/* Records a value a log named (a fact from a signature), cited by text. */
static int set_from_log(struct td_regval *v, const char *value, const char *path, uint64_t line,
			const char *text)
{
	v->present = true;
	v->data = strdup(value);
	v->path = strdup(path);
	v->line = line;
	v->text = strdup(text);
	return v->data && v->path && v->text ? TD_OK : TD_E_NOMEM;
}

/* A SQL client driver a log names: the legacy DBNETLIB client and SNAC 11
 * are kept (their first mention) for the driver checks. */
static int driver_in_use(struct td_machine *m, const char *value, const char *path,
			 uint64_t line)
{
	static const char *const legacy[] = { "ODBC SQL Server Driver", "DBNETLIB", "SQLOLEDB",
					      "OLE DB Provider for SQL Server", NULL };
	static const char *const snac11[] = { "Native Client 11", "SQLNCLI11", NULL };
	struct td_regval *v = names_any(value, legacy) || td_str_ieq_cstr(td_str_cstr(value),
									  "SQL Server")
				      ? &m->legacy_driver
			      : names_any(value, snac11) ? &m->snac11_used
							 : NULL;
	if (!v || v->present)
		return TD_OK;
	char text[300];
	snprintf(text, sizeof(text), "a log names the SQL client driver \"%s\"", value);
	return set_from_log(v, value, path, line, text);
}

/* The .NET 4 CLR reports 4.0.30319.42000 from .NET Framework 4.6 on; a
 * lower revision is 4.5.2 or older. */
static int clr_version(struct td_machine *m, const char *value, const char *path, uint64_t line)
{
	unsigned a, b, c, rev;
	if (m->clr_before_46.present || sscanf(value, "%u.%u.%u.%u", &a, &b, &c, &rev) != 4 ||
	    a != 4 || b != 0 || c != 30319 || rev >= 42000)
		return TD_OK;
	char text[200];
	snprintf(text, sizeof(text), "a log names CLR %s (.NET Framework 4.5.2 or older)", value);
	return set_from_log(&m->clr_before_46, value, path, line, text);
}

int td_machine_fact(struct td_machine *m, const char *name, const char *value, const char *path,
		    uint64_t line)
{
	if (strcmp(name, "windows.ubr") == 0) {
		char *end;
		unsigned long v = strtoul(value, &end, 10);
		if (end != value && !*end && v <= 0xFFFFFFFFu)
			m->win.ubr = (uint32_t)v;
		return TD_OK;
	}
	bool build_fact = strcmp(name, "windows.currentbuild") == 0 ||
			  strcmp(name, "windows.currentbuildnumber") == 0;
	if (build_fact || strcmp(name, "windows.version") == 0) {
		uint32_t b = td_windows_build_from(value);
		/* A build number wins over a version without one ("6.3"). */
		if (!b || (m->win.build && !build_fact))
			return TD_OK;
		m->win.build = b;
		if (td_windows_ubr_from(value))
			m->win.ubr = td_windows_ubr_from(value);
		int rc = set_text(&m->win.text, value);
		if (!rc)
			rc = set_text(&m->win.path, path);
		m->win.line = line;
		return rc;
	}
	if (strcmp(name, "sql_client.snac11") == 0) {
		int rc = set_text(&m->snac11, value);
		if (rc)
			return rc;
		regval_release(&m->snac11_at);
		m->snac11_at.present = true;
		m->snac11_at.path = strdup(path);
		m->snac11_at.line = line;
		char text[200];
		snprintf(text, sizeof(text), "SQL Server Native Client 11.0 version %s", value);
		m->snac11_at.text = strdup(text);
		return m->snac11_at.path && m->snac11_at.text ? TD_OK : TD_E_NOMEM;
	}
	if (strcmp(name, "sql_client.snac10") == 0)
		return set_text(&m->snac10, value);
	if (strcmp(name, "sql_client.in_use") == 0)
		return driver_in_use(m, value, path, line);
	if (strcmp(name, "dotnet.clr_version") == 0)
		return clr_version(m, value, path, line);
	return TD_OK;
}

/* The state one side's values give, before Windows defaults. */
static enum td_pstate side_state(struct td_proto_side *s, enum td_pstate os_default)
{
	const struct td_regval *en = &s->enabled, *dbd = &s->disabled_by_default;
	bool has_en = en->is_dword, has_dbd = dbd->is_dword; /* is_dword: set and numeric */
	s->half = has_en && has_dbd && (en->dword != 0) == (dbd->dword != 0);
	s->from_default = !has_en && !has_dbd;
	if (has_en && en->dword == 0)
		return TD_PS_DISABLED;
	if (has_dbd && dbd->dword != 0)
		return TD_PS_OFF_BY_DEFAULT;
	if (has_dbd || has_en) {
		/* One value says "on"; the other falls back to the default,
		 * which on Windows 7 keeps TLS 1.1/1.2 off unless asked for. */
		if (!has_dbd && os_default == TD_PS_OFF_BY_DEFAULT)
			return TD_PS_OFF_BY_DEFAULT;
		return TD_PS_ENABLED;
	}
	return os_default;
}

static void describe_side(const struct td_proto_side *s, const char *label, char *out, size_t cap)
{
	const struct td_regval *v[2] = { &s->enabled, &s->disabled_by_default };
	static const char *const names[2] = { "Enabled", "DisabledByDefault" };
	size_t n = (size_t)snprintf(out, cap, "%s", label);
	if (s->from_default)
		n += (size_t)snprintf(out + n, cap - n, " not set");
	for (int i = 0; i < 2 && n < cap; i++)
		if (v[i]->present)
			n += (size_t)snprintf(out + n, cap - n, " %s=%s", names[i],
					      v[i]->is_dword ? v[i]->data : "(not a DWORD)");
	if (n < cap)
		snprintf(out + n, cap - n, " (%s)", td_pstate_name(s->state));
}

static void verdict_of(struct td_machine *m, enum td_proto p)
{
	struct td_proto_cfg *c = &m->proto[p];
	for (int s = 0; s < 2; s++)
		c->side[s].state =
			side_state(&c->side[s], td_windows_default(m->win.build, p, (enum td_side)s));
	enum td_pstate cl = c->side[TD_CLIENT].state, sv = c->side[TD_SERVER].state;
	if (c->side[TD_CLIENT].half || c->side[TD_SERVER].half)
		c->verdict = TD_VERDICT_HALF_DISABLED;
	else if (cl != sv && cl != TD_PS_UNKNOWN && sv != TD_PS_UNKNOWN)
		c->verdict = TD_VERDICT_MISCONFIGURED;
	else if (cl != sv) /* one side set, the other an unknown default */
		c->verdict = TD_VERDICT_UNKNOWN;
	else if (cl == TD_PS_ENABLED)
		c->verdict = TD_VERDICT_ENABLED;
	else if (cl == TD_PS_DISABLED)
		c->verdict = TD_VERDICT_DISABLED;
	else if (cl == TD_PS_OFF_BY_DEFAULT)
		c->verdict = TD_VERDICT_OFF_BY_DEFAULT;
	else if (cl == TD_PS_UNSUPPORTED)
		c->verdict = TD_VERDICT_UNSUPPORTED;
	else
		c->verdict = TD_VERDICT_UNKNOWN;
	char a[110], b[110];
	describe_side(&c->side[TD_CLIENT], "client", a, sizeof(a));
	describe_side(&c->side[TD_SERVER], "server", b, sizeof(b));
	snprintf(c->why, sizeof(c->why), "%s; %s", a, b);
}

void td_machines_finish(struct td_machines *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		for (int p = 0; p < TD_NPROTO; p++)
			verdict_of(&ms->m[i], (enum td_proto)p);
}
