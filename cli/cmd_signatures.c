/* "tlsdiag signatures list|check|show ID". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "json.h"
#include "match.h"
#include "selfcheck.h"
#include "sigpath.h"

static void list_text(FILE *out, const struct td_sigdb *db)
{
	for (size_t i = 0; i < db->nsigs; i++) {
		const struct td_signature *s = &db->sigs[i];
		fprintf(out, "%-3s  %-7s  %-44s  %s\n", s->kb[0] ? s->kb : "-", td_severity_name(s->severity), s->id,
			s->title);
	}
	fprintf(out, "%zu signatures, %zu remedies, %zu references\n", db->nsigs, db->nremedies,
		db->nrefs);
}

static void formats_json(struct td_json *j, uint32_t mask)
{
	td_json_array_begin(j);
	for (int f = 1; f < TD_FMT_COUNT; f++)
		if (mask & (1u << f))
			td_json_cstr(j, td_format_name((enum td_format)f));
	td_json_array_end(j);
}

static void list_json(FILE *out, const struct td_sigdb *db)
{
	struct td_json j;
	td_json_init(&j, out, true);
	td_json_array_begin(&j);
	for (size_t i = 0; i < db->nsigs; i++) {
		const struct td_signature *s = &db->sigs[i];
		td_json_object_begin(&j);
		td_json_key(&j, "id");
		td_json_cstr(&j, s->id);
		td_json_key(&j, "kb");
		td_json_cstr(&j, s->kb[0] ? s->kb : NULL);
		td_json_key(&j, "title");
		td_json_cstr(&j, s->title);
		td_json_key(&j, "severity");
		td_json_cstr(&j, td_severity_name(s->severity));
		td_json_key(&j, "confidence");
		td_json_cstr(&j, td_confidence_name(s->confidence));
		td_json_key(&j, "community");
		td_json_bool(&j, s->community);
		td_json_key(&j, "sources");
		uint32_t mask = 0;
		for (size_t k = 0; k < s->nscopes; k++)
			mask |= s->scopes[k].formats;
		formats_json(&j, s->nscopes ? mask : ~(uint32_t)0 & ~(1u << TD_FMT_BINARY));
		td_json_key(&j, "detects");
		td_json_cstr(&j, s->check ? "check" : s->nclauses ? "logs" : "advisory");
		td_json_key(&j, "remedies");
		td_json_array_begin(&j);
		for (size_t k = 0; k < s->nremedies; k++)
			td_json_cstr(&j, s->remedies[k]->id);
		td_json_array_end(&j);
		td_json_key(&j, "references");
		td_json_array_begin(&j);
		for (size_t k = 0; k < s->nrefs; k++)
			td_json_cstr(&j, s->refs[k]->key);
		td_json_array_end(&j);
		td_json_key(&j, "file");
		td_json_cstr(&j, s->file);
		td_json_object_end(&j);
	}
	td_json_array_end(&j);
	td_json_newline(&j);
}

static void print_steps(FILE *out, const struct td_remedy *r);

void td_print_signature(FILE *out, const struct td_signature *s)
{
	if (s->kb[0])
		fprintf(out, "%s (kb %s)\n  %s\n", s->id, s->kb, s->title);
	else
		fprintf(out, "%s\n  %s\n", s->id, s->title);
	fprintf(out, "  severity %s, confidence %s%s\n", td_severity_name(s->severity),
		td_confidence_name(s->confidence), s->community ? ", community-reported" : "");
	const char *base = strrchr(s->file, '/');
	fprintf(out, "  defined in %s:%d\n\nCause:\n  %s\n", base ? base + 1 : s->file, s->line,
		s->cause);
	if (s->evidence)
		fprintf(out, "\nEvidence to collect:\n  %s\n", s->evidence);
	if (s->nscopes) {
		fputs("\nApplies to:\n", out);
		for (size_t i = 0; i < s->nscopes; i++) {
			const struct td_scope *sc = &s->scopes[i];
			fputs("  sources:", out);
			for (int f = 1; f < TD_FMT_COUNT; f++)
				if (sc->formats & (1u << f))
					fprintf(out, " %s", td_format_name((enum td_format)f));
			if (sc->component_src)
				fprintf(out, "; component =~ /%s/", sc->component_src);
			if (sc->file_src)
				fprintf(out, "; path =~ /%s/", sc->file_src);
			fputc('\n', out);
		}
	}
	if (s->check)
		fprintf(out, "\nCheck: %s\n", td_check_names[s->check].describe);
	if (s->nclauses) {
		fputs("\nRecognised by:\n", out);
		for (size_t i = 0; i < s->nclauses; i++) {
			const struct td_clause *c = &s->clauses[i];
			fprintf(out, "  %s:", td_role_name(c->role));
			for (size_t k = 0; k < c->nconds; k++) {
				const struct td_cond *d = &c->conds[k];
				if (d->kind == TD_COND_CODE && strcmp(d->field, "message") != 0) {
					fprintf(out, "%s %s %u", k ? " and" : "", d->field, d->code);
				} else if (d->kind == TD_COND_CODE) {
					fprintf(out, "%s code 0x%08X", k ? " and" : "", d->code);
				} else if (d->kind == TD_COND_EVENT) {
					fprintf(out, "%s event", k ? " and" : "");
					for (size_t e = 0; e < d->nids; e++)
						fprintf(out, "%s%u", e ? "/" : " ", d->ids[e]);
					if (d->provider_src)
						fprintf(out, " from provider =~ /%s/", d->provider_src);
				} else {
					fprintf(out, "%s %s =~ /%s/", k ? " and" : "", d->field, d->regex);
				}
			}
			fputc('\n', out);
		}
	}
	for (size_t i = 0; i < s->nsupersedes; i++)
		fprintf(out, "  supersedes %s on the same event\n", s->supersedes[i]->id);
	if (s->nfacts) {
		fprintf(out, "\nSets facts%s:\n",
			td_signature_facts_only(s) ? " (informational: facts only, no finding)" : "");
		for (size_t i = 0; i < s->nfacts; i++)
			fprintf(out, "  %s = %s\n", s->facts[i].name, s->facts[i].value);
	}
	if (s->nconfirmed_by) {
		fputs("\nConfirmed by configuration (reported as one diagnosis when they fire):\n", out);
		for (size_t i = 0; i < s->nconfirmed_by; i++)
			fprintf(out, "  %s: %s\n", s->confirmed_by[i]->id, s->confirmed_by[i]->title);
	}
	if (s->npeers) {
		fputs("\nLogged at the other end of the same failure (tlsdiag timeline pairs them to\n"
		      "estimate clock skew between hosts):\n",
		      out);
		for (size_t i = 0; i < s->npeers; i++)
			fprintf(out, "  %s: %s\n", s->peers[i]->id, s->peers[i]->title);
	}
	for (size_t i = 0; i < s->nremedies; i++) {
		const struct td_remedy *r = s->remedies[i];
		fprintf(out, "\nFix %zu [%s]: %s\n", i + 1, td_phase_name(r->phase), r->title);
		if (s->remedy_when && s->remedy_when[i])
			fprintf(out, "  (only when %s)\n", s->remedy_when[i]);
		print_steps(out, r);
	}
	if (s->nrefs) {
		fputs("\nReferences:\n", out);
		for (size_t i = 0; i < s->nrefs; i++)
			fprintf(out, "  [%s] %s%s%s\n", s->refs[i]->key, s->refs[i]->title,
				s->refs[i]->url ? " " : "", s->refs[i]->url ? s->refs[i]->url : "");
	}
	if (s->nexamples) {
		fputs("\nExamples:\n", out);
		for (size_t i = 0; i < s->nexamples; i++)
			fprintf(out, "  %s %s\n", s->examples[i].counter ? "-" : "+",
				s->examples[i].text);
	}
}

/* The steps of a remedy, registry values and file contents included. */
static void print_steps(FILE *out, const struct td_remedy *r)
{
	for (size_t k = 0; k < r->nsteps; k++) {
		const struct td_step *st = &r->steps[k];
		fprintf(out, "  %c. %s\n", (int)('a' + k % 26), st->text[0] ? st->text : "");
		for (size_t v = 0; v < st->nvalues; v++)
			fprintf(out, "     %s  %s = %s (%s)\n", st->values[v].key, st->values[v].name,
				st->values[v].data, st->values[v].type);
		if (st->path)
			fprintf(out, "     file %s\n", st->path);
		if (st->content)
			fprintf(out, "%s\n", st->content);
	}
}

void td_print_remedy(FILE *out, const struct td_remedy *r)
{
	fprintf(out, "%s [%s]: %s\n\n", r->id, td_phase_name(r->phase), r->title);
	print_steps(out, r);
	if (r->nrefs) {
		fputs("\nReferences:\n", out);
		for (size_t i = 0; i < r->nrefs; i++)
			fprintf(out, "  [%s] %s%s%s\n", r->refs[i]->key, r->refs[i]->title,
				r->refs[i]->url ? " " : "", r->refs[i]->url ? r->refs[i]->url : "");
	}
}

/* Every trigger/support/require pattern, one per line (for grep -P in the
 * benchmark), and every prefilter literal (for grep -F / -E). */
static void list_patterns(FILE *out, const struct td_sigdb *db, bool literals)
{
	for (size_t i = 0; i < db->nsigs; i++) {
		const struct td_signature *s = &db->sigs[i];
		for (size_t c = 0; c < s->nclauses; c++) {
			const struct td_clause *cl = &s->clauses[c];
			if (cl->role == TD_ROLE_UNLESS)
				continue;
			for (size_t k = 0; k < cl->nconds; k++) {
				const struct td_cond *d = &cl->conds[k];
				if (d->kind != TD_COND_PATTERN)
					continue;
				if (!literals)
					fprintf(out, "(?i)%s\n", d->regex);
				for (size_t l = 0; literals && l < d->nliterals; l++)
					fprintf(out, "%s\n", d->literals[l]);
			}
		}
	}
}

static void print_failure(void *user, const char *line)
{
	fprintf(user, "%s\n", line);
}

static int check(FILE *out, const struct td_sigdb *db)
{
	struct td_matcher *m;
	struct td_err err = { 0 };
	if (td_matcher_new(db, &m, &err)) {
		fprintf(stderr, "tlsdiag: %s\n", err.msg);
		return TD_EXIT_TROUBLE;
	}
	struct td_selfcheck_stats st;
	td_sigdb_selfcheck(db, m, print_failure, stderr, &st);
	td_matcher_free(m);
	fprintf(out, "%zu signatures, %zu examples, %zu counterexamples, %zu files: %s\n",
		st.signatures, st.examples, st.counterexamples, db->nfiles,
		st.failures ? "FAILED" : "ok");
	if (!db->jit)
		fprintf(out, "note: PCRE2 JIT is not available; patterns run interpreted\n");
	return st.failures ? TD_EXIT_FINDINGS : TD_EXIT_CLEAN;
}

/* A signature by id or kb id (G20), or a remedy by id, printed in full. */
static int explain(FILE *out, const struct td_sigdb *db, const char *id)
{
	const struct td_signature *s = td_sigdb_find(db, id);
	for (size_t i = 0; !s && i < db->nsigs; i++)
		if (db->sigs[i].kb[0] && strcasecmp(db->sigs[i].kb, id) == 0)
			s = &db->sigs[i];
	if (s) {
		td_print_signature(out, s);
		return TD_EXIT_CLEAN;
	}
	const struct td_remedy *r = td_sigdb_find_remedy(db, id);
	if (r) {
		td_print_remedy(out, r);
		return TD_EXIT_CLEAN;
	}
	fprintf(stderr, "tlsdiag: no signature or remedy '%s' (see 'tlsdiag signatures list')\n",
		id);
	return TD_EXIT_TROUBLE;
}

int td_cmd_signatures(int argc, char **argv, const char *sigdir, const char *format, FILE *out)
{
	if (argc < 1) {
		fprintf(stderr, "usage: tlsdiag signatures list [--format json] | check | show ID | "
				"coverage [--format markdown]\n");
		return TD_EXIT_TROUBLE;
	}
	struct td_sigdb *db;
	struct td_err err = { 0 };
	if (td_sigpath_load(sigdir, &db, &err)) {
		fprintf(stderr, "tlsdiag: %s\n", err.msg);
		return TD_EXIT_TROUBLE;
	}
	int rc = TD_EXIT_CLEAN;
	if (strcmp(argv[0], "list") == 0) {
		if (format && strcmp(format, "json") == 0)
			list_json(out, db);
		else
			list_text(out, db);
	} else if (strcmp(argv[0], "patterns") == 0 || strcmp(argv[0], "literals") == 0) {
		list_patterns(out, db, strcmp(argv[0], "literals") == 0);
	} else if (strcmp(argv[0], "check") == 0) {
		rc = check(out, db);
	} else if (strcmp(argv[0], "coverage") == 0) {
		if (format && strcmp(format, "markdown") != 0 && strcmp(format, "text") != 0) {
			fprintf(stderr, "tlsdiag: unknown coverage format '%s' (use text or "
					"markdown)\n", format);
			rc = TD_EXIT_TROUBLE;
		} else {
			td_print_coverage(out, db, format && strcmp(format, "markdown") == 0);
		}
	} else if ((strcmp(argv[0], "show") == 0 || strcmp(argv[0], "explain") == 0) &&
		   argc >= 2) {
		rc = explain(out, db, argv[1]);
	} else {
		fprintf(stderr, "tlsdiag: unknown 'signatures' command '%s'\n", argv[0]);
		rc = TD_EXIT_TROUBLE;
	}
	td_sigdb_free(db);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "tlsdiag: cannot write output: %s\n", strerror(errno));
		rc = TD_EXIT_TROUBLE;
	}
	return rc;
}
