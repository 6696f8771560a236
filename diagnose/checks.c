/* Rules on the machine model (see checks.h). */
#include "checks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netfx.h"

static void say(struct td_check_hit *h, const char *fmt, ...) TD_PRINTF(2, 3);
static void cite_text(struct td_check_hit *h, const char *path, uint64_t line, const char *fmt,
		      ...) TD_PRINTF(4, 5);

static void say(struct td_check_hit *h, const char *fmt, ...)
{
	if (h->dlen + 1 >= sizeof(h->detail))
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(h->detail + h->dlen, sizeof(h->detail) - h->dlen, fmt, ap);
	va_end(ap);
	if (n > 0)
		h->dlen += (size_t)n;
	if (h->dlen >= sizeof(h->detail))
		h->dlen = sizeof(h->detail) - 1;
}

static void cite(struct td_check_hit *h, const struct td_regval *v)
{
	if (!v->present || h->nev >= TD_CHECK_MAX_EVIDENCE)
		return;
	for (size_t i = 0; i < h->nev; i++)
		if (h->ev[i].path == v->path && h->ev[i].line == v->line)
			return;
	struct td_check_evidence *e = &h->ev[h->nev++];
	e->path = v->path;
	e->line = v->line;
	snprintf(e->text, sizeof(e->text), "%s", v->text);
}

/* Evidence for something the export lacks, or a fact without a value. */
static void cite_text(struct td_check_hit *h, const char *path, uint64_t line, const char *fmt,
		      ...)
{
	if (!path || h->nev >= TD_CHECK_MAX_EVIDENCE)
		return;
	struct td_check_evidence *e = &h->ev[h->nev++];
	e->path = path;
	e->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

static void cite_windows(struct td_check_hit *h, const struct td_machine *m)
{
	if (m->win.build)
		cite_text(h, m->win.path, m->win.line, "Windows version %s (%s)", m->win.text,
			  td_windows_name(m->win.build));
}

/* A DWORD value that is set (is_dword implies present) to 0 / to non-zero. */
static bool is_zero(const struct td_regval *v)
{
	return v->is_dword && v->dword == 0;
}

static bool is_nonzero(const struct td_regval *v)
{
	return v->is_dword && v->dword != 0;
}

static const char *const side_names[2] = { "Client", "Server" };

static void cite_side(struct td_check_hit *h, const struct td_machine *m, enum td_proto p,
		      int s)
{
	const struct td_proto_side *ps = &m->proto[p].side[s];
	if (ps->from_default)
		cite_text(h, m->reg_path, 0, "SCHANNEL\\Protocols\\%s\\%s: no Enabled or "
			  "DisabledByDefault value in this export", td_proto_name(p), side_names[s]);
	cite(h, &ps->enabled);
	cite(h, &ps->disabled_by_default);
}

static bool check_tls12_disabled(const struct td_machine *m, struct td_check_hit *h)
{
	const struct td_proto_cfg *c = &m->proto[TD_PROTO_TLS12];
	bool hit = false;
	for (int s = 0; s < 2; s++) {
		const struct td_proto_side *ps = &c->side[s];
		if (!is_zero(&ps->enabled) && !is_nonzero(&ps->disabled_by_default))
			continue;
		hit = true;
		cite(h, &ps->enabled);
		cite(h, &ps->disabled_by_default);
	}
	if (hit)
		say(h, "TLS 1.2 is %s: %s.", td_verdict_name(c->verdict), c->why);
	return hit;
}

/* kb H02: Windows 7 / 2008 R2 keep TLS 1.2 off unless the keys say so. */
static bool check_tls12_default_off(const struct td_machine *m, struct td_check_hit *h)
{
	if (m->win.build < TD_BUILD_WIN7 || m->win.build >= TD_BUILD_WIN8 || !m->schannel_seen)
		return false;
	const struct td_proto_cfg *c = &m->proto[TD_PROTO_TLS12];
	bool hit = false;
	for (int s = 0; s < 2; s++) {
		const struct td_proto_side *ps = &c->side[s];
		if (ps->state != TD_PS_OFF_BY_DEFAULT || is_nonzero(&ps->disabled_by_default))
			continue;
		hit = true;
		cite_side(h, m, TD_PROTO_TLS12, s);
	}
	if (!hit)
		return false;
	cite_windows(h, m);
	say(h, "On %s TLS 1.2 is off unless SCHANNEL\\Protocols\\TLS 1.2 sets Enabled=1 and "
	       "DisabledByDefault=0: %s.", td_windows_name(m->win.build), c->why);
	return true;
}

/* kb H03: Vista / Server 2008 have TLS 1.2 only with KB4019276. */
static bool check_os_2008(const struct td_machine *m, struct td_check_hit *h)
{
	if (!m->win.build || m->win.build >= TD_BUILD_WIN7)
		return false;
	cite_windows(h, m);
	say(h, "%s (build %u) has TLS 1.1 and 1.2 only on Server 2008 SP2 with KB4019276, and "
	       "then still disabled by default; Vista has neither.",
	    td_windows_name(m->win.build), m->win.build);
	const struct td_proto_cfg *c = &m->proto[TD_PROTO_TLS12];
	if (!c->side[TD_CLIENT].from_default || !c->side[TD_SERVER].from_default) {
		cite_side(h, m, TD_PROTO_TLS12, TD_CLIENT);
		cite_side(h, m, TD_PROTO_TLS12, TD_SERVER);
		say(h, " The TLS 1.2 keys are set (%s); they work only once KB4019276 is "
		       "installed, which a registry export does not show.", c->why);
	}
	return true;
}

/* HealthChecker: half-disabled and client/server mismatches, TLS only. */
static bool check_protocol_verdict(const struct td_machine *m, struct td_check_hit *h)
{
	bool hit = false;
	for (int p = TD_PROTO_TLS10; p < TD_NPROTO; p++) {
		const struct td_proto_cfg *c = &m->proto[p];
		if (c->verdict != TD_VERDICT_HALF_DISABLED && c->verdict != TD_VERDICT_MISCONFIGURED)
			continue;
		say(h, "%s%s is %s: %s.", hit ? " " : "", td_proto_name(p),
		    td_verdict_name(c->verdict), c->why);
		cite_side(h, m, p, TD_CLIENT);
		cite_side(h, m, p, TD_SERVER);
		hit = true;
	}
	return hit;
}

static bool check_ssl_enabled(const struct td_machine *m, struct td_check_hit *h)
{
	bool hit = false;
	for (int p = TD_PROTO_SSL2; p <= TD_PROTO_SSL3; p++)
		for (int s = 0; s < 2; s++) {
			const struct td_proto_side *ps = &m->proto[p].side[s];
			if (ps->state != TD_PS_ENABLED)
				continue;
			/* The SSL 2.0 defaults come from a reprint only (kb/REGISTRY.md 1b). */
			if (ps->from_default && (!m->schannel_seen || p == TD_PROTO_SSL2))
				continue;
			say(h, "%s%s %s is enabled%s.", hit ? " " : "", td_proto_name(p),
			    side_names[s],
			    ps->from_default ? " (the Windows default for this version)" : "");
			cite_side(h, m, (enum td_proto)p, s);
			hit = true;
		}
	if (hit && m->win.build)
		cite_windows(h, m);
	return hit;
}

static bool check_key_typo(const struct td_machine *m, struct td_check_hit *h)
{
	for (size_t i = 0; i < m->ntypos; i++)
		cite(h, &m->typos[i]);
	if (m->ntypos)
		say(h, "%zu value(s) sit under protocol keys whose names Schannel does not read "
		       "(the names are \"TLS 1.2\" etc., with a space); they have no effect.",
		    m->ntypos);
	return m->ntypos > 0;
}

/* kb H10. */
static bool check_tls13_old_os(const struct td_machine *m, struct td_check_hit *h)
{
	if (!m->win.build || m->win.build >= TD_BUILD_2022)
		return false;
	bool hit = false;
	for (int s = 0; s < 2; s++) {
		const struct td_proto_side *ps = &m->proto[TD_PROTO_TLS13].side[s];
		if (!is_nonzero(&ps->enabled))
			continue;
		cite_side(h, m, TD_PROTO_TLS13, s);
		hit = true;
	}
	if (!hit)
		return false;
	cite_windows(h, m);
	say(h, "TLS 1.3 is enabled on %s; Windows supports it only from Windows 11 / Server "
	       "2022, and enabling it earlier is not a secure configuration.",
	    td_windows_name(m->win.build));
	return true;
}

/* kb E08. */
static bool check_netfx_release(const struct td_machine *m, struct td_check_hit *h)
{
	const struct td_regval *r = &m->release;
	if (!r->present && m->clr_before_46.present) {
		/* No registry export says; a log's CLR version does (dotnet-version-seen). */
		cite(h, &m->clr_before_46);
		say(h, "A log shows the .NET 4 runtime at %s, which is .NET Framework 4.5.2 or "
		       "older (4.6 and later report 4.0.30319.42000): older than 4.6.2, which "
		       "Configuration Manager requires for TLS 1.1/1.2.",
		    m->clr_before_46.data);
		return true;
	}
	if (!r->present) {
		if (!m->ndp_seen || !m->reg_path)
			return false;
		cite_text(h, m->reg_path, 0, "NET Framework Setup\\NDP\\v4\\Full\\Release: not "
			  "in this export, which has other NDP keys");
		say(h, "No .NET Framework 4.5 or later is installed (NDP\\v4\\Full has no "
		       "Release value).");
		return true;
	}
	if (!r->is_dword || r->dword >= TD_NETFX_462)
		return false;
	cite(h, r);
	say(h, "Release %u is .NET Framework %s, older than 4.6.2 (Release %u), which "
	       "Configuration Manager requires for TLS 1.1/1.2.",
	    r->dword, td_netfx_name(r->dword), TD_NETFX_462);
	if (r->dword < TD_NETFX_46)
		say(h, " Before 4.6, applications get TLS 1.2 only with SchUseStrongCrypto and "
		       "SystemDefaultTlsVersions set.");
	return true;
}

/* kb E09: both values, 1, in all four places the export covers. */
static bool check_netfx_strong(const struct td_machine *m, struct td_check_hit *h)
{
	static const char *const vers[2] = { "v2.0.50727", "v4.0.30319" };
	static const char *const vals[2] = { "SchUseStrongCrypto", "SystemDefaultTlsVersions" };
	static const char *const views[2] = { "", "Wow6432Node\\" };
	bool hit = false;
	for (int view = 0; view < 2; view++) {
		if (!m->netfx_seen[view])
			continue;
		for (int ver = 0; ver < 2; ver++)
			for (int val = 0; val < 2; val++) {
				const struct td_regval *v = &m->netfx[ver][view][val];
				const char *what = !v->present ? "missing"
						   : !v->is_dword ? "not a DWORD"
						   : v->dword == 1 ? NULL
						   : v->dword == 0 ? "0"
								   : "neither 0 nor 1";
				if (!what)
					continue;
				say(h, "%s%s%s\\%s %s", hit ? "; " : "", views[view], vers[ver],
				    vals[val], what);
				if (v->present)
					cite(h, v);
				else
					cite_text(h, m->reg_path, 0,
						  "SOFTWARE\\%sMicrosoft\\.NETFramework\\%s\\%s: "
						  "missing", views[view], vers[ver], vals[val]);
				hit = true;
			}
	}
	if (!hit)
		return false;
	say(h, ".");
	if (m->wow_seen && !m->netfx_seen[TD_VIEW_32])
		say(h, " The export does not show the Wow6432Node copy, which 32-bit "
		       "processes use.");
	return true;
}

static bool has_bit(const struct td_regval *v, uint32_t bit)
{
	return v->is_dword && (v->dword & bit);
}

/* kb F02 (a)-(e). */
static bool check_winhttp(const struct td_machine *m, struct td_check_hit *h)
{
	static const char *const view_names[2] = { "64-bit", "32-bit (Wow6432Node)" };
	bool old_os = m->win.build >= TD_BUILD_WIN7 && m->win.build < TD_BUILD_WIN81;
	bool hit = false;
	char bits[96];
	for (int view = 0; view < 2; view++) {
		const struct td_regval *v = &m->winhttp[view];
		if (v->present) {
			td_protocol_bits_text(v->is_dword ? v->dword : 0, bits, sizeof(bits));
			bool no12 = !has_bit(v, 0x800), ssl = has_bit(v, 0x8) || has_bit(v, 0x20);
			if (no12 || ssl) {
				say(h, "%s%s DefaultSecureProtocols = %s (%s): %s%s%s.", hit ? " " : "",
				    view_names[view], v->data, bits, no12 ? "no TLS 1.2" : "",
				    no12 && ssl ? ", and " : "", ssl ? "SSL still allowed" : "");
				cite(h, v);
				hit = true;
			}
		} else if (old_os && m->inet_seen[view]) {
			say(h, "%s%s DefaultSecureProtocols is not set: on %s WinHTTP then "
			       "offers SSL 3.0 and TLS 1.0 only.",
			    hit ? " " : "", view_names[view], td_windows_name(m->win.build));
			cite_text(h, m->reg_path, 0, "%sInternet Settings\\WinHttp\\"
				  "DefaultSecureProtocols: not set",
				  view ? "Wow6432Node\\...\\" : "");
			hit = true;
		}
	}
	const struct td_regval *a = &m->winhttp[0], *b = &m->winhttp[1];
	if (m->wow_seen && a->present != b->present && m->inet_seen[a->present ? 1 : 0]) {
		say(h, "%sDefaultSecureProtocols is set only in the %s view, so %s WinHTTP "
		       "applications behave differently.",
		    hit ? " " : "", a->present ? "64-bit" : "32-bit",
		    a->present ? "32-bit" : "64-bit");
		cite(h, a->present ? a : b);
		hit = true;
	} else if (a->present && b->present && a->is_dword && b->is_dword &&
		   a->dword != b->dword && hit) {
		say(h, " The two views differ (%s and %s).", a->data, b->data);
	}
	if (hit) {
		if (old_os)
			say(h, " On %s the value is honoured only with KB3140245 installed.",
			    td_windows_name(m->win.build));
		cite_windows(h, m);
	}
	return hit;
}

/* kb/REGISTRY.md 8 (advisory: not from a Microsoft page). */
static bool check_wininet(const struct td_machine *m, struct td_check_hit *h)
{
	static const char *const scopes[3] = { "user", "machine", "policy" };
	bool hit = false;
	char bits[96];
	for (int s = 0; s < 3; s++) {
		const struct td_regval *v = &m->wininet[s];
		if (!v->present || has_bit(v, 0x800))
			continue;
		td_protocol_bits_text(v->is_dword ? v->dword : 0, bits, sizeof(bits));
		say(h, "%sWinINet SecureProtocols (%s) = %s (%s) has no TLS 1.2.", hit ? " " : "",
		    scopes[s], v->data, bits);
		cite(h, v);
		hit = true;
	}
	if (hit && m->wininet[TD_INET_POLICY].present)
		say(h, " The policy value wins over the others.");
	return hit;
}

/* Whether a suite name can be used with TLS 1.2 (AEAD or SHA-2 MAC) or is
 * a TLS 1.3 suite. */
static bool tls12_suite(const char *s, size_t n)
{
	char name[128];
	if (n >= sizeof(name))
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	return strstr(name, "_GCM_") || strstr(name, "_SHA256") || strstr(name, "_SHA384") ||
	       strncmp(name, "TLS_AES_", 8) == 0 || strncmp(name, "TLS_CHACHA20", 12) == 0;
}

/* Whether the list names suite, ignoring the curve suffixes of Windows 2012
 * and 2012 R2 ("_P256"). */
static bool list_has(const char *list, const char *suite)
{
	size_t n = strlen(suite);
	for (const char *p = list; (p = strstr(p, suite)); p += n) {
		bool start = p == list || p[-1] == ',' || p[-1] == '\n' || p[-1] == ' ';
		char c = p[n];
		if (start && (c == '\0' || c == ',' || c == '\n' || c == ' ' || c == '_'))
			return true;
	}
	return false;
}

/* The suites the documented peers need (kb/REGISTRY.md 4). */
static const struct {
	const char *peer;
	const char *suites[4];
} peer_suites[] = {
	{ "WSUS sync with sws.update.microsoft.com",
	  { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
	    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" } },
	{ "Microsoft 365 / Azure Front Door",
	  { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
	    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" } },
};
#define PEER_AFD 1

/* kb H06. */
static bool check_cipher_policy(const struct td_machine *m, enum td_severity base,
				struct td_check_hit *h)
{
	const struct td_regval *v = &m->cipher_policy;
	if (!v->present)
		return false;
	cite(h, v);
	cite(h, &m->cipher_local);
	size_t total = 0, modern = 0;
	for (const char *p = v->data; *p;) {
		size_t n = strcspn(p, ",\n");
		const char *s = p;
		while (n && *s == ' ')
			s++, n--;
		if (n) {
			total++;
			modern += tls12_suite(s, n);
		}
		p += strcspn(p, ",\n");
		if (*p)
			p++;
	}
	h->severity = base;
	say(h, "The SSL Cipher Suite Order policy lists %zu suite(s) and wins over the local "
	       "list.", total);
	if (!modern) {
		say(h, " None of them can be used with TLS 1.2.");
		h->severity = TD_SEV_WARNING;
	}
	for (size_t i = 0; i < sizeof(peer_suites) / sizeof(peer_suites[0]); i++) {
		size_t missing = 0;
		for (size_t k = 0; k < 4; k++)
			missing += !list_has(v->data, peer_suites[i].suites[k]);
		if (missing == 4) {
			say(h, " It has none of the suites %s needs (e.g. %s).", peer_suites[i].peer,
			    peer_suites[i].suites[0]);
			h->severity = TD_SEV_WARNING;
		} else if (missing) {
			say(h, " It lacks %zu of the 4 suites %s uses.", missing, peer_suites[i].peer);
		}
	}
	return true;
}

/* kb F05: a local cipher-suite list (no policy; H06 covers a policy) with
 * none of the suites Microsoft 365 / Azure Front Door negotiates. */
static bool check_cipher_local_afd(const struct td_machine *m, struct td_check_hit *h)
{
	const struct td_regval *v = &m->cipher_local;
	if (m->cipher_policy.present || !v->present || !v->data)
		return false;
	for (size_t k = 0; k < 4; k++)
		if (list_has(v->data, peer_suites[PEER_AFD].suites[k]))
			return false;
	cite(h, v);
	cite_windows(h, m);
	say(h, "The local cipher-suite list has none of the suites %s negotiates for TLS 1.2 "
	       "(%s, %s, %s, %s), so handshakes with it fail.",
	    peer_suites[PEER_AFD].peer, peer_suites[PEER_AFD].suites[0], peer_suites[PEER_AFD].suites[1],
	    peer_suites[PEER_AFD].suites[2], peer_suites[PEER_AFD].suites[3]);
	return true;
}

/* kb A03: SNAC 11 below the SQL Server 2012 SP4 build (11.*.7001.0). */
static bool check_snac(const struct td_machine *m, struct td_check_hit *h)
{
	if (!m->snac11)
		return false;
	unsigned a = 0, b = 0, c = 0;
	if (sscanf(m->snac11, "%u.%u.%u", &a, &b, &c) != 3 || c >= 7001)
		return false;
	cite(h, &m->snac11_at);
	cite(h, &m->snac11_used);
	say(h, "SQL Server Native Client 11.0 is version %s, below 11.*.7001.0 (the SQL Server "
	       "2012 SP4 level that supports TLS 1.2).", m->snac11);
	if (m->snac11_used.present)
		say(h, " The logs show it in use.");
	if (m->snac10)
		say(h, " SQL Server Native Client 10.0 (%s) is installed too; it needs its TLS 1.2 "
		       "update package.", m->snac10);
	return true;
}

/* The machine's name for a sentence: its computer or folder. */
static const char *label(const struct td_machine *m)
{
	return m->name && *m->name ? m->name : "this machine";
}

/* The cipher-suite list in effect: the policy, else the local list; NULL
 * when the export shows neither. */
static const struct td_regval *suite_list(const struct td_machine *m)
{
	if (m->cipher_policy.present)
		return &m->cipher_policy;
	return m->cipher_local.present ? &m->cipher_local : NULL;
}

/* Whether TLS_DHE suites can be negotiated: 1 the list in effect has
 * some, 0 it has none or the Diffie-Hellman key exchange is disabled, -1
 * the export shows no list.  *list / *dh: the values that decided. */
static int dhe_enabled(const struct td_machine *m, const struct td_regval **list,
		       const struct td_regval **dh)
{
	*list = suite_list(m);
	*dh = NULL;
	for (size_t i = 0; i < m->nalgos; i++)
		if (is_zero(&m->algos[i]) &&
		    td_str_ifind(td_str_cstr(m->algos[i].text),
				 TD_STR_LIT("\\KeyExchangeAlgorithms\\Diffie-Hellman\\")) >= 0) {
			*dh = &m->algos[i];
			return 0;
		}
	if (!*list)
		return -1;
	return td_str_ifind(td_str_cstr((*list)->data), TD_STR_LIT("TLS_DHE_")) >= 0;
}

static void say_build(struct td_check_hit *h, const struct td_machine *m)
{
	if (m->win.ubr)
		say(h, "%s (build %u.%u)", td_windows_name(m->win.build), m->win.build, m->win.ubr);
	else
		say(h, "%s (build %u)", td_windows_name(m->win.build), m->win.build);
}

/* kb H04 (kb/VERSIONS.md 1d): a machine without the TLS_DHE leading-zero
 * fix whose TLS_DHE suites are on; with a fixed machine of the bundle whose
 * suites are not ruled out and a failure logged on either of the two, the
 * pair is named (an error: the failures are explained). */
static bool check_dhe(const struct td_check_context *ctx, size_t i, struct td_check_hit *h)
{
	const struct td_machine *m = &ctx->machines[i];
	if (td_windows_dhe_fixed(m->win.build, m->win.ubr) != 0)
		return false;
	const struct td_regval *list, *dh, *plist, *pdh;
	int dhe = dhe_enabled(m, &list, &dh);
	if (dhe == 0)
		return false;
	/* Fixed machines that failed too are the likely peers; when only this
	 * machine failed, every fixed machine may be. */
	size_t peers[8], npeers = 0;
	bool failed_here = ctx->symptom && ctx->symptom[i];
	for (int pass = 0; pass < 2 && !npeers && ctx->symptom; pass++)
		for (size_t j = 0; j < ctx->n && npeers < 8; j++) {
			const struct td_machine *p = &ctx->machines[j];
			if (j != i && td_windows_dhe_fixed(p->win.build, p->win.ubr) == 1 &&
			    dhe_enabled(p, &plist, &pdh) != 0 &&
			    (ctx->symptom[j] || (pass == 1 && failed_here)))
				peers[npeers++] = j;
		}
	if (!npeers && dhe != 1)
		return false;
	cite_windows(h, m);
	if (list)
		cite(h, list);
	say(h, "%s runs ", label(m));
	say_build(h, m);
	say(h, ", which lacks the TLS_DHE leading-zero fix (Windows 10 1511 and later, Server 2016 "
	       "from 14393.3542 with KB4537806, Server 2019 and later have it)");
	if (dhe == 1)
		say(h, ", and its cipher-suite list offers TLS_DHE suites.");
	else
		say(h, "; no cipher-suite list in the inputs rules TLS_DHE suites out.");
	if (!npeers) {
		say(h, " Handshakes that negotiate a TLS_DHE suite with a peer that has the fix fail "
		       "now and then (when the key has a leading zero byte).");
		return true;
	}
	h->severity = TD_SEV_ERROR;
	say(h, " %s of the bundle that %s the fix:", npeers > 1 ? "Machines" : "A machine",
	    npeers > 1 ? "have" : "has");
	for (size_t k = 0; k < npeers; k++) {
		const struct td_machine *p = &ctx->machines[peers[k]];
		say(h, "%s %s, ", k ? ";" : "", label(p));
		say_build(h, p);
		if (p->win.path)
			cite_text(h, p->win.path, p->win.line, "%s: Windows version %s (%s)", label(p),
				  p->win.text, td_windows_name(p->win.build));
		const struct td_regval *pl = suite_list(p);
		if (pl)
			cite(h, pl);
	}
	say(h, ". Connection failures (forcibly closed, Schannel alert 20) are logged on ");
	bool first = true;
	if (failed_here) {
		say(h, "%s", label(m));
		first = false;
	}
	for (size_t k = 0; k < npeers; k++)
		if (ctx->symptom[peers[k]]) {
			say(h, "%s%s", first ? "" : " and ", label(&ctx->machines[peers[k]]));
			first = false;
		}
	say(h, ": when a machine with the fix and one without negotiate a TLS_DHE suite, they "
	       "compute the keys differently whenever the shared secret has a leading zero byte, so "
	       "handshakes fail intermittently.");
	return true;
}

/* kb H08: a Windows release that turns TLS 1.0 and 1.1 off by default
 * (TD_BUILD_TLS10_OFF and later), with a process failing on it. */
static bool check_tls10_off(const struct td_check_context *ctx, size_t i, struct td_check_hit *h)
{
	const struct td_machine *m = &ctx->machines[i];
	if (m->win.build < TD_BUILD_TLS10_OFF || !ctx->symptom || !ctx->symptom[i])
		return false;
	bool off = false;
	for (int p = TD_PROTO_TLS10; p <= TD_PROTO_TLS11; p++)
		for (int s = 0; s < 2; s++) {
			enum td_pstate st = m->proto[p].side[s].state;
			if (st != TD_PS_OFF_BY_DEFAULT && st != TD_PS_DISABLED)
				continue;
			if (!off)
				say(h, "%s runs %s (build %u), a Windows release that turns TLS 1.0 "
				       "and 1.1 off by default.", label(m), td_windows_name(m->win.build),
				    m->win.build);
			say(h, " %s %s is %s.", td_proto_name((enum td_proto)p), side_names[s],
			    td_pstate_name(st));
			cite_side(h, m, (enum td_proto)p, s);
			off = true;
		}
	if (!off)
		return false;
	cite_windows(h, m);
	say(h, " A process on it failed to create a TLS credential (Schannel 36871, state 10013) "
	       "or found no protocol in common: it still asks for TLS 1.0 or 1.1.");
	return true;
}

bool td_check_uses_symptoms(enum td_check c)
{
	return c == TD_CHECK_DHE_LEADING_ZERO || c == TD_CHECK_TLS10_OFF_BY_DEFAULT;
}

bool td_check_machine_in(enum td_check c, const struct td_check_context *ctx, size_t i,
			 enum td_severity base, struct td_check_hit *hit)
{
	if (i >= ctx->n)
		return false;
	if (!td_check_uses_symptoms(c))
		return td_check_machine(c, &ctx->machines[i], base, hit);
	memset(hit, 0, sizeof(*hit));
	hit->severity = base;
	return c == TD_CHECK_DHE_LEADING_ZERO ? check_dhe(ctx, i, hit)
					      : check_tls10_off(ctx, i, hit);
}

/* SQL client drivers the logs show in use (facts from signatures): the
 * legacy DBNETLIB client speaks TLS 1.0 only (kb D14; KB3135244 lists TLS
 * 1.2 for it only on fully updated Windows 10 1809 and later); SNAC 11 of
 * unknown version needs checking against 11.*.7001.0 (kb A03), an
 * informational note. */
static bool check_legacy_driver(const struct td_machine *m, struct td_check_hit *h)
{
	if (m->legacy_driver.present) {
		cite(h, &m->legacy_driver);
		cite_windows(h, m);
		say(h, "The logs show the legacy SQL Server client in use (\"%s\": the Windows "
		       "\"SQL Server\" ODBC driver or the SQLOLEDB provider, DBNETLIB). It negotiates "
		       "TLS 1.0 only, so its connections fail once TLS 1.0 is disabled on the SQL "
		       "Server; KB3135244 lists TLS 1.2 for it only on Windows 10 1809 and later "
		       "with the November 2020 updates.",
		    m->legacy_driver.data);
		return true;
	}
	if (m->snac11_used.present && !m->snac11) {
		cite(h, &m->snac11_used);
		h->severity = TD_SEV_INFO;
		say(h, "The logs show SQL Server Native Client 11.0 in use but no registry export "
		       "gives its version: it supports TLS 1.2 only from 11.*.7001.0 (collect the "
		       "SQLNCLI11 registry key).");
		return true;
	}
	return false;
}

bool td_check_is_machine_rule(enum td_check c)
{
	return c != TD_CHECK_NONE && c != TD_CHECK_SQL_BUILD_TLS12 &&
	       c != TD_CHECK_SQL_BUILD_KB3146034 && c < TD_CHECK_COUNT;
}

bool td_check_machine(enum td_check c, const struct td_machine *m, enum td_severity base,
		      struct td_check_hit *hit)
{
	memset(hit, 0, sizeof(*hit));
	hit->severity = base;
	switch (c) {
	case TD_CHECK_TLS12_DISABLED: return check_tls12_disabled(m, hit);
	case TD_CHECK_TLS12_OS_DEFAULT_OFF: return check_tls12_default_off(m, hit);
	case TD_CHECK_OS_2008: return check_os_2008(m, hit);
	case TD_CHECK_PROTOCOL_VERDICT: return check_protocol_verdict(m, hit);
	case TD_CHECK_SSL_ENABLED: return check_ssl_enabled(m, hit);
	case TD_CHECK_PROTOCOL_KEY_TYPO: return check_key_typo(m, hit);
	case TD_CHECK_TLS13_OLD_OS: return check_tls13_old_os(m, hit);
	case TD_CHECK_NETFX_RELEASE: return check_netfx_release(m, hit);
	case TD_CHECK_NETFX_STRONG_CRYPTO: return check_netfx_strong(m, hit);
	case TD_CHECK_WINHTTP_PROTOCOLS: return check_winhttp(m, hit);
	case TD_CHECK_WININET_PROTOCOLS: return check_wininet(m, hit);
	case TD_CHECK_CIPHER_POLICY: return check_cipher_policy(m, base, hit);
	case TD_CHECK_SNAC_VERSION: return check_snac(m, hit);
	case TD_CHECK_CIPHER_LOCAL_AFD: return check_cipher_local_afd(m, hit);
	case TD_CHECK_DHE_LEADING_ZERO:
	case TD_CHECK_TLS10_OFF_BY_DEFAULT: {
		struct td_check_context one = { m, 1, NULL };
		return td_check_machine_in(c, &one, 0, base, hit);
	}
	case TD_CHECK_SQL_CLIENT_LEGACY: return check_legacy_driver(m, hit);
	default: return false;
	}
}
