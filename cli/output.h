/* The one output layer: every byte tlsdiag writes to stdout goes through
 * an output format (text for people, JSON for triage bots, NDJSON for log
 * shippers, HTML for a self-contained report page).  td_output_write()
 * calls the format's hooks in a fixed order: begin, input (each), finding
 * (each), plan, facts, machines, summary, end.
 */
#ifndef TD_OUTPUT_H
#define TD_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diagnose.h"
#include "encoding.h"
#include "err.h"
#include "event.h"
#include "json.h"
#include "match.h"
#include "sigdb.h"
#include "timeline.h"

/* What tlsdiag learned about one input. */
struct td_input_report {
	char *path;
	enum td_format format;
	enum td_encoding encoding;
	uint64_t bytes;
	uint64_t events;
	struct td_diag diag;
	char *host;      /* the machine it came from (folder or computer name), or NULL */
	struct td_time first, last; /* of its events with a time; zone NONE: none */
	size_t dx_input; /* its index in the diagnoser, + 1; 0: never parsed */
	char *error;     /* why it could not be read, or NULL */
	bool unreadable; /* error is set: counts towards exit status 2 */
};

struct td_run_report {
	struct td_input_report *inputs;
	size_t ninputs;
	const struct td_diagnosis *dx;
	const struct td_sigdb *db;
	uint64_t events;
	size_t unreadable;
	int exit_code;
	struct td_match_stats stats;
	const struct td_timeline *timeline; /* NULL unless the run collected one */
	/* With --explain: signatures that found nothing because no input could
	 * show them (no trigger, or no input of the formats/files they read). */
	const struct td_signature **unchecked;
	size_t nunchecked;
};

struct td_output_opts {
	bool color;
	bool verbose;
	bool explain; /* list the signatures the inputs could not show */
};

struct td_output;

struct td_output_ops {
	const char *name;
	void (*begin)(struct td_output *o);
	void (*input)(struct td_output *o, const struct td_input_report *in, size_t index);
	void (*finding)(struct td_output *o, const struct td_finding *f, size_t index);
	void (*plan)(struct td_output *o);
	void (*facts)(struct td_output *o);
	void (*machines)(struct td_output *o); /* the machine model per machine */
	void (*summary)(struct td_output *o);
	void (*end)(struct td_output *o);
};

struct td_output {
	const struct td_output_ops *ops;
	FILE *f;
	struct td_output_opts opts;
	const struct td_run_report *r;
	struct td_json json;
	int section; /* JSON: which top-level array is open */
};

extern const struct td_output_ops td_output_text;
extern const struct td_output_ops td_output_json;
extern const struct td_output_ops td_output_ndjson;
extern const struct td_output_ops td_output_html;

/* The output format with this name, or NULL. */
const struct td_output_ops *td_output_find(const char *name);
/* Writes the report; returns TD_E_IO when writing failed (disk full, closed
 * pipe), TD_OK otherwise. */
int td_output_write(const struct td_output_ops *ops, FILE *f, const struct td_output_opts *opts,
		    const struct td_run_report *r) TD_WUR;

enum td_timeline_format { TD_TIMELINE_TEXT, TD_TIMELINE_JSON, TD_TIMELINE_NDJSON };

/* Writes r's timeline (`tlsdiag timeline`): the skews and entries flt
 * keeps, in the order of the timeline, and a summary carrying exit_code.
 * Returns TD_E_IO when writing failed, TD_OK otherwise. */
int td_output_timeline(FILE *f, enum td_timeline_format fmt, const struct td_run_report *r,
		       const struct td_timeline_filter *flt, int exit_code) TD_WUR;

/* Shared by the formats: the finding index of each plan item's findings
 * and a time formatted for display ("" when the time is unknown). */
size_t td_output_finding_index(const struct td_run_report *r, const struct td_finding *f);
void td_output_time(char *out, size_t cap, const struct td_time *t);
/* Writes s with control characters other than tab shown as '?'. */
void td_output_safe(FILE *f, const char *s);
/* JSON values shared by the formats: a time (null when unknown), a number
 * (null when 0: no line, no record), and the "tool" member. */
void td_output_json_time(struct td_json *j, const struct td_time *t);
void td_output_json_u64(struct td_json *j, uint64_t v);
void td_output_json_tool(struct td_json *j);
/* An explained number as the code tables write it: "0x80090331" for a
 * status, "0xC02F" for a flag, protocol bit or cipher suite, "70" else. */
void td_output_explain_code(char *out, size_t cap, const struct td_explain *x);
/* Occurrences of f counted but not kept as evidence (--max-evidence). */
uint64_t td_output_not_kept(const struct td_finding *f);

#endif
