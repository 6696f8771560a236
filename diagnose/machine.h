/* The machine model: what the registry exports and version facts of a
 * bundle say about each machine's TLS configuration (kb/REGISTRY.md,
 * kb/VERSIONS.md section 1).
 *
 * Values are first recorded per input file, then grouped into machines by
 * folder (td_machines_group): a bundle of several machines keeps each one's
 * files in a folder of its own.  Per machine the model
 * keeps the registry values that decide TLS behaviour (each with the file
 * and line it came from), the Windows build, and, after td_machines_finish,
 * a verdict per protocol version in the style of the Exchange HealthChecker:
 * enabled, disabled, disabled by default, half-disabled (Enabled and
 * DisabledByDefault not opposite), misconfigured (client and server
 * differ), not supported, or unknown.
 *
 * A value is "absent" only where the export covers the place it would be:
 * the model notes which areas (SCHANNEL, .NETFramework per view, Internet
 * Settings per view, NDP) had any value at all, and rules about missing
 * values apply only to covered areas.
 *
 * Pure: no I/O.  Everything is owned by struct td_machines.
 */
#ifndef TD_MACHINE_H
#define TD_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "str.h"

enum td_proto {
	TD_PROTO_SSL2,
	TD_PROTO_SSL3,
	TD_PROTO_TLS10,
	TD_PROTO_TLS11,
	TD_PROTO_TLS12,
	TD_PROTO_TLS13,
	TD_NPROTO
};

enum td_side { TD_CLIENT, TD_SERVER };

/* What one side (client or server) of a protocol does. */
enum td_pstate {
	TD_PS_UNKNOWN = 0,  /* not set and the Windows version is unknown */
	TD_PS_ENABLED,
	TD_PS_OFF_BY_DEFAULT, /* enabled, but only for applications that ask */
	TD_PS_DISABLED,
	TD_PS_UNSUPPORTED,  /* this Windows version has no such protocol */
};

enum td_verdict {
	TD_VERDICT_UNKNOWN = 0,
	TD_VERDICT_ENABLED,
	TD_VERDICT_DISABLED,
	TD_VERDICT_OFF_BY_DEFAULT,
	TD_VERDICT_HALF_DISABLED,
	TD_VERDICT_MISCONFIGURED,
	TD_VERDICT_UNSUPPORTED,
};

/* One registry value as the export showed it. */
struct td_regval {
	bool present;
	bool is_dword; /* a REG_DWORD/QWORD with a number; implies present */
	uint32_t dword;
	char *data;    /* as the parser rendered it */
	char *path;    /* file */
	uint64_t line;
	char *text;    /* "key\name = data (type)" */
};

struct td_proto_side {
	struct td_regval enabled, disabled_by_default;
	enum td_pstate state;  /* after td_machines_finish */
	bool from_default;     /* state is the Windows default (no values) */
	bool half;             /* both values set and not opposite */
};

struct td_proto_cfg {
	struct td_proto_side side[2];
	enum td_verdict verdict;
	char why[240]; /* the values that led to the verdict, in words */
};

enum td_netfx_ver { TD_NETFX_V2, TD_NETFX_V4 };
enum td_view { TD_VIEW_64, TD_VIEW_32 };
enum td_netfx_value { TD_NETFX_STRONG, TD_NETFX_SYSDEFAULT };
enum td_inet_scope { TD_INET_USER, TD_INET_MACHINE, TD_INET_POLICY };

/* A fact that says which Windows this is. */
struct td_winver {
	uint32_t build; /* 0: unknown */
	uint32_t ubr;   /* update build revision ("14393.3542" -> 3542); 0: unknown */
	char *text;     /* as found, e.g. "6.1.7601" or "Windows Server 2012 R2" */
	char *path;
	uint64_t line;
};

struct td_machine {
	char *name; /* the computer (hosts.h), else the folder; "" for standard input */
	bool named; /* name is the machine's name (hosts.h), not just a folder */
	bool has_registry;
	char *reg_path; /* the first registry export read for it */
	/* Areas the registry exports cover (some value seen under them). */
	bool schannel_seen, ndp_seen, wow_seen;
	bool netfx_seen[2], inet_seen[2]; /* per view */
	struct td_proto_cfg proto[TD_NPROTO];
	struct td_regval netfx[2][2][2]; /* [version][view][value] */
	struct td_regval winhttp[2];     /* DefaultSecureProtocols per view */
	struct td_regval wininet[3];     /* SecureProtocols per scope */
	struct td_regval release;        /* NDP\v4\Full\Release */
	struct td_regval cipher_policy, cipher_local;
	struct td_regval event_logging;
	struct td_regval fips; /* Lsa\FipsAlgorithmPolicy (either form) */
	/* Enabled values under SCHANNEL\Ciphers, \Hashes, \KeyExchangeAlgorithms;
	 * each data is "Hashes\SHA=0" style. */
	struct td_regval *algos;
	size_t nalgos;
	/* Protocol keys whose names Schannel ignores ("TLS1.2"). */
	struct td_regval *typos;
	size_t ntypos;
	struct td_winver win;
	/* SQL client drivers the machine has (facts). */
	char *snac11, *snac10;
	struct td_regval snac11_at;
	/* SQL client drivers its logs show in use (fact sql_client.in_use from
	 * the signatures, sigfacts.h): the first line naming the legacy
	 * DBNETLIB client ("SQL Server" ODBC driver, SQLOLEDB) and SNAC 11. */
	struct td_regval legacy_driver, snac11_used;
	/* A log naming a .NET 4 CLR older than 4.6 (4.0.30319 revision below
	 * 42000; fact dotnet.clr_version). */
	struct td_regval clr_before_46;
};

struct td_machines {
	struct td_machine *m;
	size_t n, cap;
	bool nomem;
};

void td_machines_init(struct td_machines *ms);
void td_machines_release(struct td_machines *ms);
/* The machine named name (created on first use), or NULL without memory. */
struct td_machine *td_machines_get(struct td_machines *ms, struct td_str name);
/* Groups machines recorded per input file (named by the file's path) into
 * machines: names[i] (when names and it are not NULL) is the machine the
 * file of ms->m[i] came from (td_hosts_name_inputs); the others go by
 * folder (td_folder_split: one machine per machine folder, else one for
 * the common folder).  Later values win when two files set the same one. */
int td_machines_group(struct td_machines *ms, char *const *names) TD_WUR;
/* Records one registry value event (fields key, value, type, data,
 * deleted); values that do not decide TLS behaviour are ignored. */
int td_machine_regvalue(struct td_machine *m, struct td_str key, struct td_str name,
			struct td_str type, struct td_str data, bool deleted, struct td_str path,
			uint64_t line, struct td_str text);
/* Records a fact ("windows.currentbuild", "sql_client.snac11", ...). */
int td_machine_fact(struct td_machine *m, const char *name, const char *value, const char *path,
		    uint64_t line);
/* Computes the per-protocol states and verdicts. */
void td_machines_finish(struct td_machines *ms);

/* Windows build numbers (kb/VERSIONS.md 1c). */
#define TD_BUILD_WIN7 7600
#define TD_BUILD_WIN8 9200
#define TD_BUILD_WIN81 9600
#define TD_BUILD_1507 10240
#define TD_BUILD_1607 14393
#define TD_BUILD_2022 20348
/* The first Windows release after the September 2023 change that turns
 * TLS 1.0 and 1.1 off by default: Windows 11 24H2 / Server 2025.  The kb
 * names no build ("Insider builds from September 2023 and future
 * releases"); this is our choice, the first generally available one. */
#define TD_BUILD_TLS10_OFF 26100

/* What Windows does with a protocol side when no value is set
 * (kb/REGISTRY.md 1b); TD_PS_UNKNOWN for build 0. */
enum td_pstate td_windows_default(uint32_t build, enum td_proto p, enum td_side side);
/* "Windows 7 SP1 / Server 2008 R2 SP1" for a build; "" for 0. */
const char *td_windows_name(uint32_t build);
/* The build in a version text: "6.1.7601", "10.0.17763.1", "7601". */
uint32_t td_windows_build_from(const char *s);
/* The update build revision in a version text: "10.0.14393.3542" -> 3542;
 * 0 when the text has no fourth part. */
uint32_t td_windows_ubr_from(const char *s);
/* Whether this build has the TLS_DHE leading-zero fix (kb/VERSIONS.md 1d):
 * 1 yes, 0 no, -1 unknown (build 0, or 14393 without its revision). */
int td_windows_dhe_fixed(uint32_t build, uint32_t ubr);
/* WinHTTP's protocols when DefaultSecureProtocols is absent (bit mask;
 * 0 when unknown). */
uint32_t td_winhttp_default(uint32_t build);

const char *td_proto_name(enum td_proto p);
const char *td_pstate_name(enum td_pstate s);
const char *td_verdict_name(enum td_verdict v);
/* "SSL 3.0, TLS 1.0" for a DefaultSecureProtocols / SecureProtocols mask. */
void td_protocol_bits_text(uint32_t mask, char *out, size_t cap);

#endif
