/* The signature database: documented TLS failures as data.
 *
 * td_sigdb_load() reads every *.xml file of a directory, validates each
 * against tlsdiag-signatures.xsd (libxml2, no network, no entity expansion),
 * builds the structures below, compiles every PCRE2 pattern (UTF,
 * MATCH_INVALID_UTF, JIT when available) and resolves every cross-reference
 * (remedies, references, superseded signatures).  Any problem is reported
 * as "file:line: signature 'id': reason" and makes the load fail: a tool
 * that silently drops a rule would silently miss a diagnosis.
 *
 * The database is immutable after loading and owns all its memory; every
 * pointer into it lives until td_sigdb_free().  Signatures keep the order of
 * the files (sorted by name) and of the elements inside them.
 */
#ifndef TD_SIGDB_H
#define TD_SIGDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "event.h"
#include "pcre.h"

enum td_severity {
	TD_SEV_INFO = 0,
	TD_SEV_WARNING,
	TD_SEV_ERROR,
};

enum td_confidence {
	TD_CONF_LOW = 0,
	TD_CONF_MEDIUM,
	TD_CONF_HIGH,
};

enum td_role {
	TD_ROLE_TRIGGER = 0,
	TD_ROLE_SUPPORT,
	TD_ROLE_REQUIRE,
	TD_ROLE_UNLESS,
};

enum td_cond_kind {
	TD_COND_PATTERN,
	TD_COND_CODE,
	TD_COND_EVENT, /* a Windows event: its id (and provider) */
};

/* One condition on one event. */
struct td_cond {
	enum td_cond_kind kind;
	int line;         /* line in the database file */
	char *field;      /* event part matched: "message", "component", a field */
	char *regex;      /* TD_COND_PATTERN: source text */
	pcre2_code *re;   /* TD_COND_PATTERN: compiled */
	char *literal;    /* prefilter source text as written ("a|b"), or NULL */
	char **literals;  /* its alternatives, lower-cased: one occurs in every match */
	size_t nliterals;
	uint32_t code;    /* TD_COND_CODE: normalised 32-bit value */
	uint32_t *ids;    /* TD_COND_EVENT: event ids, sorted */
	size_t nids;
	char *provider_src;     /* TD_COND_EVENT: provider pattern, or NULL */
	pcre2_code *provider;   /* compiled (caseless) */
};

/* Conditions that must all hold on one event. */
struct td_clause {
	enum td_role role;
	int line;
	struct td_cond *conds;
	size_t nconds;
	/* The condition used to find candidate events quickly: the event
	 * condition, else the first code, else the first message pattern with
	 * a literal; NULL if none. */
	const struct td_cond *key;
};

struct td_scope {
	uint32_t formats; /* bit (1u << enum td_format) per accepted format */
	char *component_src, *file_src;
	pcre2_code *component, *file; /* NULL: any */
};

struct td_example {
	char *text;
	bool counter;
	enum td_format format; /* TD_FMT_UNKNOWN: the first format in scope */
	char *component, *file;
	int line;
	bool has_event_id; /* attribute event="36888" */
	uint32_t event_id;
	char *fields_buf;  /* attribute fields="Name=value;..." split in place */
	struct td_field *fields;
	size_t nfields;
};

enum td_step_kind {
	TD_STEP_ACTION,
	TD_STEP_UPDATE,
	TD_STEP_REGISTRY,
	TD_STEP_FILE,
	TD_STEP_RESTART,
	TD_STEP_CHECK,
};

struct td_regvalue {
	char *key, *name, *type, *data;
};

struct td_step {
	enum td_step_kind kind;
	char *text;    /* whitespace-normalised prose, may be empty */
	char *kb;      /* update: KB number or package */
	char *path;    /* file: path to create or edit */
	char *content; /* file: content to put there */
	struct td_regvalue *values;
	size_t nvalues;
};

/* Phases order the merged fix plan. */
enum td_phase {
	TD_PHASE_INVESTIGATE = 0,
	TD_PHASE_CLIENT,
	TD_PHASE_SERVER,
	TD_PHASE_CERTIFICATE,
	TD_PHASE_NETWORK,
	TD_PHASE_WORKAROUND,
	TD_PHASE_LAST,
};

struct td_reference {
	char *key, *title, *url;
	bool community;
};

struct td_remedy {
	char *id, *title;
	enum td_phase phase;
	struct td_step *steps;
	size_t nsteps;
	const struct td_reference **refs;
	size_t nrefs;
	char *file;
	int line;
};

/* Rules on facts and on the machine model (diagnose/checks.c); the names
 * are the values of <check name="..."> (td_check_names). */
enum td_check {
	TD_CHECK_NONE = 0,
	TD_CHECK_SQL_BUILD_TLS12,
	TD_CHECK_SQL_BUILD_KB3146034,
	TD_CHECK_TLS12_DISABLED,
	TD_CHECK_TLS12_OS_DEFAULT_OFF,
	TD_CHECK_OS_2008,
	TD_CHECK_PROTOCOL_VERDICT,
	TD_CHECK_SSL_ENABLED,
	TD_CHECK_PROTOCOL_KEY_TYPO,
	TD_CHECK_TLS13_OLD_OS,
	TD_CHECK_NETFX_RELEASE,
	TD_CHECK_NETFX_STRONG_CRYPTO,
	TD_CHECK_WINHTTP_PROTOCOLS,
	TD_CHECK_WININET_PROTOCOLS,
	TD_CHECK_CIPHER_POLICY,
	TD_CHECK_SNAC_VERSION,
	TD_CHECK_DHE_LEADING_ZERO,
	TD_CHECK_TLS10_OFF_BY_DEFAULT,
	TD_CHECK_CIPHER_LOCAL_AFD,
	TD_CHECK_SQL_CLIENT_LEGACY,
	TD_CHECK_COUNT
};

struct td_check_info {
	const char *name;     /* <check name> */
	const char *describe; /* what it compares, for "signatures show" */
};
extern const struct td_check_info td_check_names[TD_CHECK_COUNT];

/* A fact a trigger match sets (<fact name value>): value is a template in
 * which ${Name} stands for the event field of that name, else the pattern
 * capture of that name (diagnose/sigfacts.h expands it). */
struct td_sigfact {
	char *name, *value;
	int line;
};

struct td_signature {
	char *id, *kb, *title, *cause, *evidence;
	char *file; /* database file it came from */
	int line;
	enum td_severity severity;
	enum td_confidence confidence;
	bool community;
	/* NULL, or the event part (field or capture) whose values the evidence
	 * shows once each (distinct="c-ip"). */
	char *distinct;
	struct td_scope *scopes; /* none: every format but the registry */
	size_t nscopes;
	struct td_clause *clauses;
	size_t nclauses;
	enum td_check check;
	const struct td_signature **supersedes;
	size_t nsupersedes;
	/* Configuration findings that explain this failure when they stand
	 * (<confirmed-by>): the diagnosis then names both as one. */
	const struct td_signature **confirmed_by;
	size_t nconfirmed_by;
	/* Signatures the other end of the same connection logs for the same
	 * failure (<peer>; symmetric after loading): the timeline pairs them
	 * across hosts to estimate clock skew. */
	const struct td_signature **peers;
	size_t npeers;
	const struct td_remedy **remedies;
	/* Per remedy: NULL, or the condition under which it applies,
	 * "Field=v1|v2" (an event field of a trigger had one of the values). */
	char **remedy_when;
	size_t nremedies;
	const struct td_reference **refs;
	size_t nrefs;
	struct td_example *examples;
	size_t nexamples;
	struct td_sigfact *facts;
	size_t nfacts;
	size_t index; /* position in td_sigdb.sigs */
};

/* SQL Server servicing data used by the sql-build checks. */
struct td_sql_line {
	char *level, *branch, *advice;
	uint32_t from[4], to[4], tls12[4];
	bool has_tls12;
};

struct td_sql_version {
	uint32_t major; /* e.g. 11, or 10.50 encoded as 1050 */
	char *name, *advice;
	int tls12;      /* 0 none, 1 all, 2 decided by lines */
	struct td_sql_line *lines;
	size_t nlines;
};

struct td_sql_affected {
	uint32_t build[4], fixed[4];
};

/* Code tables that explain numbers in the evidence (codes.xml). */
enum td_explain_kind {
	TD_EXPLAIN_ALERT,          /* TLS alert description */
	TD_EXPLAIN_STATUS,         /* SSPI / CryptoAPI / Win32 status, HRESULT */
	TD_EXPLAIN_WINHTTP,        /* WinHTTP error 12xxx */
	TD_EXPLAIN_STATE,          /* Schannel internal error state */
	TD_EXPLAIN_SECURE_FAILURE, /* WinHTTP secure-failure flag bit */
	TD_EXPLAIN_PROTOCOL,       /* SP_PROT protocol bit */
	TD_EXPLAIN_CIPHER_SUITE,   /* IANA cipher suite number */
	TD_EXPLAIN_KINDS
};

struct td_explain {
	enum td_explain_kind kind;
	uint32_t code;
	char *name, *text;
};

struct td_sigdb {
	struct td_explain *explains; /* sorted by kind, then code */
	size_t nexplains;
	struct td_signature *sigs;
	size_t nsigs;
	struct td_remedy *remedies;
	size_t nremedies;
	struct td_reference *refs;
	size_t nrefs;
	struct td_sql_version *sql_versions;
	size_t nsql_versions;
	struct td_sql_affected *sql_affected;
	size_t nsql_affected;
	char **files; /* the files loaded, in order */
	size_t nfiles;
	bool jit;     /* at least one pattern was JIT-compiled */
};

/* The table entry for a code, or NULL. */
const struct td_explain *td_sigdb_explain(const struct td_sigdb *db, enum td_explain_kind kind,
					  uint32_t code);
const char *td_explain_kind_name(enum td_explain_kind kind);

/* Loads every *.xml under dir, validated against the schema in schema_path
 * (NULL: dir/tlsdiag-signatures.xsd).  On success *out owns the database
 * (free with td_sigdb_free); on failure err says where and why. */
int td_sigdb_load(const char *dir, const char *schema_path, struct td_sigdb **out,
		  struct td_err *err) TD_WUR;
/* Loads a database from in-memory documents (tests, fuzzing): docs[i] of
 * lens[i] bytes named names[i]. */
int td_sigdb_load_memory(const char *const *docs, const size_t *lens, const char *const *names,
			 size_t ndocs, const char *schema_path, struct td_sigdb **out,
			 struct td_err *err) TD_WUR;
void td_sigdb_free(struct td_sigdb *db);

const struct td_signature *td_sigdb_find(const struct td_sigdb *db, const char *id);
const struct td_remedy *td_sigdb_find_remedy(const struct td_sigdb *db, const char *id);
const struct td_reference *td_sigdb_find_ref(const struct td_sigdb *db, const char *key);

/* Whether sig applies to an event of this format, component and path.
 * md: match data to reuse (NULL: one is allocated for the call). */
bool td_signature_in_scope(const struct td_signature *sig, enum td_format fmt,
			   struct td_str component, struct td_str path, pcre2_match_data *md);

/* Whether one of the literal alternatives of d occurs in s (ASCII case
 * folded); true when d has none. */
bool td_cond_literal_in(const struct td_cond *d, struct td_str s);
/* Whether an input of this format and path could show sig (its scopes,
 * ignoring component patterns, which depend on each event). */
bool td_signature_applicable(const struct td_signature *sig, enum td_format fmt,
			     struct td_str path, pcre2_match_data *md);

/* Whether sig only sets facts: informational, with <fact> elements.  Its
 * matches feed the facts and the machine model, never a finding. */
bool td_signature_facts_only(const struct td_signature *sig);

const char *td_severity_name(enum td_severity s);
const char *td_confidence_name(enum td_confidence c);
const char *td_role_name(enum td_role r);
const char *td_phase_name(enum td_phase p);
const char *td_step_kind_name(enum td_step_kind k);

#endif
