/* Attributing inputs to machines by folder and computer name (hosts.h). */
#include "hosts.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

size_t td_host_votes_find(const struct td_host_votes *hv, struct td_str name)
{
	name = td_str_trim(name);
	for (size_t i = 0; i < hv->n; i++)
		if (name.len == hv->v[i].len &&
		    td_str_ieq(name, td_str_make(hv->v[i].name, hv->v[i].len)))
			return i;
	return hv->n;
}

int td_host_vote(struct td_host_votes *hv, struct td_str name, uint64_t weight)
{
	name = td_str_trim(name);
	if (!name.len)
		return TD_OK;
	size_t i = td_host_votes_find(hv, name);
	if (i < hv->n) {
		hv->v[i].count += weight;
		return TD_OK;
	}
	if (hv->n == TD_HOST_VOTES)
		return TD_OK; /* more names than kept: the first ones decide */
	char *copy = td_str_dup(name);
	if (!copy)
		return TD_E_NOMEM;
	hv->v[hv->n].name = copy;
	hv->v[hv->n].len = name.len;
	hv->v[hv->n].count = weight;
	hv->n++;
	return TD_OK;
}

void td_host_votes_release(struct td_host_votes *hv)
{
	for (size_t i = 0; i < hv->n; i++)
		free(hv->v[i].name);
	memset(hv, 0, sizeof(*hv));
}

struct td_str td_host_short(struct td_str name)
{
	bool numeric = true;
	for (size_t i = 0; i < name.len && numeric; i++)
		numeric = td_is_digit((unsigned char)name.p[i]) || name.p[i] == '.';
	if (numeric || memchr(name.p, ':', name.len))
		return name; /* an IPv4 or IPv6 address */
	const char *dot = memchr(name.p, '.', name.len);
	return dot ? td_str_make(name.p, (size_t)(dot - name.p)) : name;
}

/* Folder names that hold one kind of file rather than one machine. */
static bool generic_folder(struct td_str name)
{
	static const char *const names[] = {
		"logs",	    "log",     "registry", "reg",    "eventlogs", "event logs",
		"events",   "evtx",    "winevt",   "windows", "system32", "sql",
		"sqlserver", "mssql",  "configmgr", "sccm",  "sms",	     "ccm",
		"temp",	    "tmp",     "config",   "data",   "files",	     "dotnet",
		"schannel", "wcf",     "traces",   "svclog", "errorlog",  "iis",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (td_str_ieq(name, td_str_cstr(names[i])))
			return true;
	return false;
}

/* An archive is a folder "name.zip!" in paths (cli/run.h): "Logs.zip!"
 * holds logs as a folder "Logs" would, "CM-SQL01.zip!" one machine. */
static struct td_str archive_stem(struct td_str name)
{
	if (!name.len || name.p[name.len - 1] != '!')
		return name;
	ptrdiff_t dot = td_str_find_char(name, '.');
	return td_str_make(name.p, dot > 0 ? (size_t)dot : name.len - 1);
}

/* A group named after its archive is shown without the "!". */
static struct td_str no_archive_mark(struct td_str name)
{
	if (name.len && name.p[name.len - 1] == '!')
		name.len--;
	return name;
}

static size_t dir_len(const char *p)
{
	const char *slash = strrchr(p, '/');
	return slash ? (size_t)(slash - p) : 0;
}

void td_folder_split(const char *const *paths, size_t n, struct td_folder_split *out)
{
	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	/* The common folder of all paths. */
	size_t base = dir_len(paths[0]);
	for (size_t k = 1; k < n; k++) {
		size_t j = 0, lim = dir_len(paths[k]);
		while (j < base && j < lim && paths[0][j] == paths[k][j])
			j++;
		/* Back to a folder boundary of both. */
		bool whole = (j == base || paths[0][j] == '/') && (j == lim || paths[k][j] == '/');
		while (!whole && j > 0 && paths[0][--j] != '/')
			;
		if (j < base)
			base = j;
	}
	out->base = base;
	out->skip = base ? base + 1 : 0;
	struct td_str first_seen = { NULL, 0 };
	bool distinct = false;
	for (size_t k = 0; k < n; k++) {
		const char *rel = paths[k] + (strlen(paths[k]) >= out->skip ? out->skip : 0);
		const char *slash = strchr(rel, '/');
		if (!slash)
			return; /* a file in the common folder itself */
		struct td_str first = td_str_make(rel, (size_t)(slash - rel));
		if (generic_folder(archive_stem(first)))
			return;
		if (!first_seen.p)
			first_seen = first;
		else if (!td_str_eq(first, first_seen))
			distinct = true;
	}
	out->split = distinct;
}

/* The group of path with its archive mark, if any. */
static struct td_str raw_group(const struct td_folder_split *s, const char *path)
{
	if (!s->split)
		return td_str_make(path, s->base);
	const char *rel = path + s->skip;
	return td_str_make(path, s->skip + strcspn(rel, "/"));
}

struct td_str td_folder_group(const struct td_folder_split *s, const char *path)
{
	return no_archive_mark(raw_group(s, path));
}

/* The most named computer of votes (ties: the first named), as a short
 * name, or {NULL, 0}. */
static struct td_str winner(const struct td_host_votes *hv)
{
	size_t best = SIZE_MAX;
	for (size_t i = 0; i < hv->n; i++)
		if (best == SIZE_MAX || hv->v[i].count > hv->v[best].count)
			best = i;
	return best == SIZE_MAX ? td_str_make(NULL, 0)
				: td_host_short(td_str_cstr(hv->v[best].name));
}

struct grouped {
	struct td_str group;
	size_t input;
};

static int by_group(const void *pa, const void *pb)
{
	const struct grouped *a = pa, *b = pb;
	size_t n = a->group.len < b->group.len ? a->group.len : b->group.len;
	int c = memcmp(a->group.p, b->group.p, n);
	if (c || a->group.len != b->group.len)
		return c ? c : a->group.len < b->group.len ? -1 : 1;
	return a->input < b->input ? -1 : a->input > b->input;
}

/* The last folder of a group ("bundle/CM-SQL01" -> "CM-SQL01"), an
 * archive without its extension ("b.zip!/CM-SQL01.zip!" -> "CM-SQL01"). */
static struct td_str folder_name(struct td_str g)
{
	size_t k = g.len;
	while (k > 0 && g.p[k - 1] != '/')
		k--;
	return archive_stem(td_str_slice(g, k, g.len));
}

/* Machine folders: every input of a folder gets the folder's computer. */
static int name_folders(const char *const *paths, const struct td_host_votes *votes, size_t n,
			const struct td_folder_split *split, char **names)
{
	struct grouped *gs = malloc(n * sizeof(*gs));
	if (!gs)
		return TD_E_NOMEM;
	for (size_t i = 0; i < n; i++)
		gs[i] = (struct grouped){ raw_group(split, paths[i]), i };
	qsort(gs, n, sizeof(*gs), by_group);
	int rc = TD_OK;
	for (size_t a = 0; a < n && !rc;) {
		size_t b = a + 1;
		while (b < n && td_str_eq(gs[b].group, gs[a].group))
			b++;
		struct td_host_votes sum = { 0 };
		for (size_t k = a; k < b && !rc; k++) {
			const struct td_host_votes *hv = &votes[gs[k].input];
			for (size_t v = 0; v < hv->n && !rc; v++)
				rc = td_host_vote(&sum, td_host_short(td_str_cstr(hv->v[v].name)),
						  hv->v[v].count);
		}
		struct td_str name = winner(&sum);
		if (!name.p)
			name = folder_name(gs[a].group);
		for (size_t k = a; k < b && !rc; k++)
			if (!(names[gs[k].input] = td_str_dup(name)))
				rc = TD_E_NOMEM;
		td_host_votes_release(&sum);
		a = b;
	}
	free(gs);
	return rc;
}

int td_hosts_name_inputs(const char *const *paths, const struct td_host_votes *votes, size_t n,
			 char **names)
{
	memset(names, 0, n * sizeof(*names));
	struct td_folder_split split;
	td_folder_split(paths, n, &split);
	int rc = TD_OK;
	if (split.split) {
		rc = name_folders(paths, votes, n, &split, names);
	} else {
		/* The one computer the whole bundle names, if there is one. */
		struct td_str only = { NULL, 0 };
		bool several = false;
		for (size_t i = 0; i < n && !several; i++)
			for (size_t v = 0; v < votes[i].n && !several; v++) {
				struct td_str s = td_host_short(td_str_cstr(votes[i].v[v].name));
				if (!only.p)
					only = s;
				else if (!td_str_ieq(only, s))
					several = true;
			}
		for (size_t i = 0; i < n && !rc; i++) {
			struct td_str own = winner(&votes[i]);
			struct td_str name = own.p ? own : several ? td_str_make(NULL, 0) : only;
			if (name.p && !(names[i] = td_str_dup(name)))
				rc = TD_E_NOMEM;
		}
	}
	if (rc)
		for (size_t i = 0; i < n; i++) {
			free(names[i]);
			names[i] = NULL;
		}
	return rc;
}
