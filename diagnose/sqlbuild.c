/* SQL Server build checks (see sqlbuild.h). */
#include "sqlbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool td_sql_parse_build(const char *s, uint32_t out[4])
{
	memset(out, 0, 4 * sizeof(uint32_t));
	int parts = 0;
	while (parts < 4) {
		char *end;
		if (*s < '0' || *s > '9')
			return false;
		unsigned long v = strtoul(s, &end, 10);
		if (v > 999999)
			return false;
		out[parts++] = (uint32_t)v;
		if (*end != '.')
			break;
		s = end + 1;
	}
	return parts >= 3;
}

int td_sql_build_cmp(const uint32_t a[4], const uint32_t b[4])
{
	for (int i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static void fmt_build(char *out, size_t cap, const uint32_t b[4])
{
	snprintf(out, cap, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

void td_sql_check_tls12(const struct td_sigdb *db, const uint32_t build[4],
			struct td_sql_verdict *v)
{
	memset(v, 0, sizeof(*v));
	char bs[48];
	fmt_build(bs, sizeof(bs), build);
	uint32_t key = build[0] * 100 + build[1];
	const struct td_sql_version *ver = NULL;
	for (size_t i = 0; i < db->nsql_versions; i++)
		if (db->sql_versions[i].major == key)
			ver = &db->sql_versions[i];
	if (!ver) {
		/* Versions newer than every listed one support TLS 1.2 at RTM. */
		bool newest = db->nsql_versions > 0;
		for (size_t i = 0; i < db->nsql_versions; i++)
			if (db->sql_versions[i].major >= key)
				newest = false;
		if (newest) {
			v->status = TD_SQL_OK;
			snprintf(v->text, sizeof(v->text),
				 "SQL Server %s is newer than every version with a TLS 1.2 minimum", bs);
		} else {
			snprintf(v->text, sizeof(v->text), "SQL Server %s: version not in the data", bs);
		}
		return;
	}
	v->version = ver;
	if (ver->tls12 == 1) {
		v->status = TD_SQL_OK;
		snprintf(v->text, sizeof(v->text), "%s %s supports TLS 1.2 in every build", ver->name,
			 bs);
		return;
	}
	if (ver->tls12 == 0) {
		v->status = TD_SQL_NEVER;
		snprintf(v->text, sizeof(v->text), "%s %s never supports TLS 1.2. %s", ver->name, bs,
			 ver->advice ? ver->advice : "");
		return;
	}
	const struct td_sql_line *line = NULL;
	for (size_t i = 0; i < ver->nlines; i++) {
		const struct td_sql_line *l = &ver->lines[i];
		if (td_sql_build_cmp(build, l->from) >= 0 && td_sql_build_cmp(build, l->to) <= 0)
			line = l;
	}
	if (!line) {
		snprintf(v->text, sizeof(v->text), "%s %s: build not in a known servicing line",
			 ver->name, bs);
		return;
	}
	v->line = line;
	if (line->has_tls12 && td_sql_build_cmp(build, line->tls12) >= 0) {
		v->status = TD_SQL_OK;
		char ms[48];
		fmt_build(ms, sizeof(ms), line->tls12);
		snprintf(v->text, sizeof(v->text), "%s %s %s %s supports TLS 1.2 (minimum %s)",
			 ver->name, line->level, line->branch, bs, ms);
		return;
	}
	v->status = TD_SQL_BELOW;
	/* Name every minimum of the same service-pack level. */
	char mins[300] = "";
	size_t o = 0;
	for (size_t i = 0; i < ver->nlines; i++) {
		const struct td_sql_line *l = &ver->lines[i];
		if (strcmp(l->level, line->level) != 0 || !l->has_tls12)
			continue;
		char ms[48];
		fmt_build(ms, sizeof(ms), l->tls12);
		int n = snprintf(mins + o, sizeof(mins) - o, "%s%s (%s)", o ? " / " : "", ms,
				 l->branch);
		if (n > 0 && (size_t)n < sizeof(mins) - o)
			o += (size_t)n;
	}
	const char *advice = line->advice ? line->advice : ver->advice ? ver->advice : "";
	if (o)
		snprintf(v->text, sizeof(v->text),
			 "%s %s (%s, %s line) is below the TLS 1.2 minimum %s. %s", ver->name, bs,
			 line->level, line->branch, mins, advice);
	else
		snprintf(v->text, sizeof(v->text),
			 "%s %s (%s, %s line) has no TLS 1.2 support in its servicing line. %s",
			 ver->name, bs, line->level, line->branch, advice);
}

bool td_sql_check_kb3146034(const struct td_sigdb *db, const uint32_t build[4], char *text,
			    size_t cap)
{
	for (size_t i = 0; i < db->nsql_affected; i++) {
		const struct td_sql_affected *a = &db->sql_affected[i];
		if (td_sql_build_cmp(build, a->build) != 0)
			continue;
		char bs[48], fs[48];
		fmt_build(bs, sizeof(bs), build);
		fmt_build(fs, sizeof(fs), a->fixed);
		snprintf(text, cap,
			 "SQL Server %s is an early TLS 1.2 build with intermittent service "
			 "terminations (KB3146034); install %s or later",
			 bs, fs);
		return true;
	}
	return false;
}
