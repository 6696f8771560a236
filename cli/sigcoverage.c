/* "tlsdiag signatures coverage": every kb/SIGNATURES.md entry (A01-I03) with
 * the signatures that ship for it, how they recognise it, how many examples
 * prove it and the documents it rests on.  The README's coverage table is
 * this command's markdown output (tests/cli/check_coverage.sh). */
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* The sections of kb/SIGNATURES.md and their number of entries. */
static const struct {
	char letter;
	int count;
} sections[] = {
	{ 'A', 20 }, { 'B', 9 }, { 'C', 4 }, { 'D', 30 }, { 'E', 11 },
	{ 'F', 9 },  { 'G', 22 }, { 'H', 10 }, { 'I', 3 },
};

/* "text code event", "check" or "none": how sig's triggers recognise it. */
static void trigger_kinds(const struct td_signature *sig, char *out, size_t cap)
{
	bool text = false, code = false, event = false;
	for (size_t c = 0; c < sig->nclauses; c++) {
		const struct td_clause *cl = &sig->clauses[c];
		if (cl->role != TD_ROLE_TRIGGER)
			continue;
		for (size_t k = 0; k < cl->nconds; k++) {
			text |= cl->conds[k].kind == TD_COND_PATTERN;
			code |= cl->conds[k].kind == TD_COND_CODE;
			event |= cl->conds[k].kind == TD_COND_EVENT;
		}
	}
	snprintf(out, cap, "%s%s%s%s%s%s%s", text ? "text" : "",
		 text && (code || event || sig->check) ? " " : "", code ? "code" : "",
		 code && (event || sig->check) ? " " : "", event ? "event" : "",
		 event && sig->check ? " " : "", sig->check ? "check" : "");
	if (!out[0])
		snprintf(out, cap, "none");
}

static const char *file_base(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

struct row {
	char kb[16], ids[300], files[120], kinds[40], refs[300];
	size_t examples, counters;
	bool missing;
};

static void append(char *dst, size_t cap, const char *sep, const char *s)
{
	size_t n = strlen(dst);
	if (n && strstr(dst, s) && strcmp(sep, ", ") == 0) {
		/* keep lists of files and keys free of repeats */
		const char *p = dst;
		size_t len = strlen(s);
		for (; (p = strstr(p, s)); p += len)
			if ((p == dst || p[-1] == ' ') && (p[len] == '\0' || p[len] == ','))
				return;
	}
	snprintf(dst + n, cap - n, "%s%s", n ? sep : "", s);
}

static void add_sig(struct row *r, const struct td_signature *s)
{
	char kinds[40];
	append(r->ids, sizeof(r->ids), ", ", s->id);
	append(r->files, sizeof(r->files), ", ", file_base(s->file));
	trigger_kinds(s, kinds, sizeof(kinds));
	append(r->kinds, sizeof(r->kinds), "; ", kinds);
	for (size_t i = 0; i < s->nexamples; i++) {
		r->examples += !s->examples[i].counter;
		r->counters += s->examples[i].counter;
	}
	for (size_t i = 0; i < s->nrefs; i++)
		append(r->refs, sizeof(r->refs), ", ", s->refs[i]->key);
}

static void print_row(FILE *out, const struct row *r, bool markdown)
{
	if (markdown) {
		if (r->missing)
			fprintf(out, "| %s | missing | | | | |\n", r->kb);
		else
			fprintf(out, "| %s | %s | %s | %s | %zu / %zu | %s |\n", r->kb, r->ids, r->files,
				r->kinds, r->examples, r->counters, r->refs);
		return;
	}
	if (r->missing)
		fprintf(out, "%-4s missing\n", r->kb);
	else
		fprintf(out, "%-4s %s  [%s; %s; %zu/%zu examples; %s]\n", r->kb, r->ids, r->files,
			r->kinds, r->examples, r->counters, r->refs);
}

void td_print_coverage(FILE *out, const struct td_sigdb *db, bool markdown)
{
	size_t shipped = 0, total = 0;
	if (markdown)
		fputs("| kb | signature | file | triggers | examples / counter | sources |\n"
		      "|---|---|---|---|---|---|\n",
		      out);
	for (size_t sec = 0; sec < sizeof(sections) / sizeof(sections[0]); sec++) {
		for (int n = 1; n <= sections[sec].count; n++) {
			struct row r = { .missing = true };
			snprintf(r.kb, sizeof(r.kb), "%c%02d", sections[sec].letter, n);
			for (size_t s = 0; s < db->nsigs; s++)
				if (strcmp(db->sigs[s].kb, r.kb) == 0) {
					r.missing = false;
					add_sig(&r, &db->sigs[s]);
				}
			total++;
			shipped += !r.missing;
			print_row(out, &r, markdown);
		}
	}
	/* Signatures of our own, with no kb entry. */
	for (size_t s = 0; s < db->nsigs; s++) {
		if (db->sigs[s].kb[0])
			continue;
		struct row r = { .missing = false };
		snprintf(r.kb, sizeof(r.kb), "-");
		add_sig(&r, &db->sigs[s]);
		print_row(out, &r, markdown);
	}
	fprintf(out, "%s%zu of %zu kb entries shipped, %zu signatures\n", markdown ? "\n" : "",
		shipped, total, db->nsigs);
}
