/* The machine model, its verdicts and rules, and every version threshold of
 * kb/VERSIONS.md the checks use (Windows builds, .NET Release values, SQL
 * Server builds from the shipped sql-builds.xml, SNAC). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "hosts.h"
#include "machine.h"
#include "netfx.h"
#include "sigdb.h"
#include "sqlbuild.h"

#define SCH "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
#define WINHTTP "HKEY_LOCAL_MACHINE\\SOFTWARE\\%sMicrosoft\\Windows\\CurrentVersion\\" \
		"Internet Settings\\WinHttp"

static struct td_machines ms;
static uint64_t next_line;

static void setup(void)
{
	td_machines_init(&ms);
	next_line = 1;
}

static void teardown(void)
{
	td_machines_release(&ms);
}

static struct td_machine *machine(const char *name)
{
	struct td_machine *m = td_machines_get(&ms, td_str_cstr(name));
	ck_assert_ptr_nonnull(m);
	return m;
}

static void value(struct td_machine *m, const char *key, const char *name, const char *type,
		  const char *data)
{
	char text[600];
	snprintf(text, sizeof(text), "%s\\%s = %s (%s)", key, name, data, type);
	ck_assert_int_eq(td_machine_regvalue(m, td_str_cstr(key), td_str_cstr(name),
					     td_str_cstr(type), td_str_cstr(data), false,
					     TD_STR_LIT("x.reg"), next_line++, td_str_cstr(text)),
			 TD_OK);
}

static void dword(struct td_machine *m, const char *key, const char *name, unsigned v)
{
	char data[16];
	snprintf(data, sizeof(data), "%u", v);
	value(m, key, name, "REG_DWORD", data);
}

static void proto(struct td_machine *m, const char *p, const char *side, int en, int dbd)
{
	char key[300];
	snprintf(key, sizeof(key), SCH "\\Protocols\\%s\\%s", p, side);
	if (en >= 0)
		dword(m, key, "Enabled", (unsigned)en);
	if (dbd >= 0)
		dword(m, key, "DisabledByDefault", (unsigned)dbd);
}

static void build(struct td_machine *m, const char *b)
{
	ck_assert_int_eq(td_machine_fact(m, "windows.currentbuild", b, "x.reg", 1), TD_OK);
}

static bool fires(enum td_check c, const struct td_machine *m, struct td_check_hit *h)
{
	return td_check_machine(c, m, TD_SEV_WARNING, h);
}

/* --- verdicts ------------------------------------------------------------ */

struct verdict_case {
	const char *build; /* NULL: unknown */
	int cen, cdbd, sen, sdbd; /* -1: not set */
	enum td_verdict want;
	enum td_pstate client;
};

static const struct verdict_case verdicts[] = {
	{ "14393", 1, 0, 1, 0, TD_VERDICT_ENABLED, TD_PS_ENABLED },
	{ "14393", -1, -1, -1, -1, TD_VERDICT_ENABLED, TD_PS_ENABLED },
	{ "14393", 0, 1, 0, 1, TD_VERDICT_DISABLED, TD_PS_DISABLED },
	{ "14393", 1, 1, 1, 1, TD_VERDICT_HALF_DISABLED, TD_PS_OFF_BY_DEFAULT },
	{ "14393", 0, 0, 0, 1, TD_VERDICT_HALF_DISABLED, TD_PS_DISABLED },
	{ "14393", 1, 0, 0, 1, TD_VERDICT_MISCONFIGURED, TD_PS_ENABLED },
	{ "14393", 0, -1, -1, -1, TD_VERDICT_MISCONFIGURED, TD_PS_DISABLED },
	{ "7601", -1, -1, -1, -1, TD_VERDICT_OFF_BY_DEFAULT, TD_PS_OFF_BY_DEFAULT },
	/* Enabled=1 alone on Windows 7 leaves DisabledByDefault at its default. */
	{ "7601", 1, -1, 1, -1, TD_VERDICT_OFF_BY_DEFAULT, TD_PS_OFF_BY_DEFAULT },
	{ "7601", 1, 0, 1, 0, TD_VERDICT_ENABLED, TD_PS_ENABLED },
	{ "6002", -1, -1, -1, -1, TD_VERDICT_UNSUPPORTED, TD_PS_UNSUPPORTED },
	{ NULL, -1, -1, -1, -1, TD_VERDICT_UNKNOWN, TD_PS_UNKNOWN },
	{ NULL, 1, 0, 1, 0, TD_VERDICT_ENABLED, TD_PS_ENABLED },
	{ NULL, 1, 0, -1, -1, TD_VERDICT_UNKNOWN, TD_PS_ENABLED },
};

START_TEST(tls12_verdicts)
{
	const struct verdict_case *c = &verdicts[_i];
	struct td_machine *m = machine("m");
	if (c->build)
		build(m, c->build);
	proto(m, "TLS 1.2", "Client", c->cen, c->cdbd);
	proto(m, "TLS 1.2", "Server", c->sen, c->sdbd);
	if (c->cen < 0 && c->sen < 0)
		dword(m, SCH, "EventLogging", 1);
	td_machines_finish(&ms);
	const struct td_proto_cfg *p = &m->proto[TD_PROTO_TLS12];
	ck_assert_msg(p->verdict == c->want, "case %d: %s (%s)", _i, td_verdict_name(p->verdict),
		      p->why);
	ck_assert_int_eq(p->side[TD_CLIENT].state, c->client);
	ck_assert(strstr(p->why, "client") && strstr(p->why, "server"));
}
END_TEST

START_TEST(windows_defaults)
{
	/* kb/REGISTRY.md 1b, at each build where a default changes. */
	ck_assert_int_eq(td_windows_default(0, TD_PROTO_TLS12, TD_CLIENT), TD_PS_UNKNOWN);
	ck_assert_int_eq(td_windows_default(6002, TD_PROTO_TLS12, TD_CLIENT), TD_PS_UNSUPPORTED);
	ck_assert_int_eq(td_windows_default(6002, TD_PROTO_TLS10, TD_CLIENT), TD_PS_ENABLED);
	ck_assert_int_eq(td_windows_default(7600, TD_PROTO_TLS11, TD_SERVER), TD_PS_OFF_BY_DEFAULT);
	ck_assert_int_eq(td_windows_default(7601, TD_PROTO_TLS12, TD_CLIENT), TD_PS_OFF_BY_DEFAULT);
	ck_assert_int_eq(td_windows_default(9200, TD_PROTO_TLS12, TD_CLIENT), TD_PS_ENABLED);
	ck_assert_int_eq(td_windows_default(10586, TD_PROTO_SSL3, TD_CLIENT), TD_PS_ENABLED);
	ck_assert_int_eq(td_windows_default(14393, TD_PROTO_SSL3, TD_CLIENT), TD_PS_OFF_BY_DEFAULT);
	ck_assert_int_eq(td_windows_default(14393, TD_PROTO_SSL2, TD_SERVER), TD_PS_UNSUPPORTED);
	ck_assert_int_eq(td_windows_default(9600, TD_PROTO_SSL2, TD_SERVER), TD_PS_UNKNOWN);
	ck_assert_int_eq(td_windows_default(19045, TD_PROTO_TLS13, TD_CLIENT), TD_PS_UNSUPPORTED);
	ck_assert_int_eq(td_windows_default(20348, TD_PROTO_TLS13, TD_CLIENT), TD_PS_ENABLED);
	ck_assert_int_eq(td_windows_default(22621, TD_PROTO_TLS13, TD_SERVER), TD_PS_ENABLED);
}
END_TEST

START_TEST(windows_builds)
{
	ck_assert_uint_eq(td_windows_build_from("6.1.7601"), 7601);
	ck_assert_uint_eq(td_windows_build_from("10.0.17763.1"), 17763);
	ck_assert_uint_eq(td_windows_build_from("6.01. 7601"), 7601); /* EventLog 6009 */
	ck_assert_uint_eq(td_windows_build_from("9600"), 9600);
	ck_assert_uint_eq(td_windows_build_from("6.3"), 0);
	ck_assert_uint_eq(td_windows_build_from("Windows"), 0);
	ck_assert_str_eq(td_windows_name(7601), "Windows 7 SP1 / Server 2008 R2 SP1");
	ck_assert_str_eq(td_windows_name(9200), "Windows 8 / Server 2012");
	ck_assert_str_eq(td_windows_name(9600), "Windows 8.1 / Server 2012 R2");
	ck_assert_str_eq(td_windows_name(14393), "Windows 10 1607 / Server 2016");
	ck_assert_str_eq(td_windows_name(17763), "Windows 10 1809 / Server 2019");
	ck_assert_str_eq(td_windows_name(20348), "Windows Server 2022");
	ck_assert_str_eq(td_windows_name(22000), "Windows 11");
	ck_assert_str_eq(td_windows_name(0), "");
	/* WinHTTP's own defaults (kb/VERSIONS.md 1a). */
	ck_assert_uint_eq(td_winhttp_default(7601), 0xA0);
	ck_assert_uint_eq(td_winhttp_default(9200), 0xA0);
	ck_assert_uint_eq(td_winhttp_default(9600), 0xAA0);
	ck_assert_uint_eq(td_winhttp_default(20348), 0x2AA0);
	ck_assert_uint_eq(td_winhttp_default(0), 0);
}
END_TEST

/* --- .NET Release (kb/VERSIONS.md 2a): every minimum and the value below -- */

static const struct {
	uint32_t release;
	const char *name;
} netfx_mins[] = {
	{ 378389, "4.5" },   { 378675, "4.5.1" }, { 379893, "4.5.2" }, { 393295, "4.6" },
	{ 394254, "4.6.1" }, { 394802, "4.6.2" }, { 460798, "4.7" },   { 461308, "4.7.1" },
	{ 461808, "4.7.2" }, { 528040, "4.8" },   { 533320, "4.8.1" },
};

START_TEST(netfx_thresholds)
{
	uint32_t r = netfx_mins[_i].release;
	ck_assert_str_eq(td_netfx_name(r), netfx_mins[_i].name);
	const char *below = _i ? netfx_mins[_i - 1].name : "older than 4.5";
	ck_assert_str_eq(td_netfx_name(r - 1), below);
	/* E08 fires below 4.6.2 only. */
	struct td_machine *m = machine("m");
	dword(m, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full",
	      "Release", r);
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(fires(TD_CHECK_NETFX_RELEASE, m, &h) == (r < TD_NETFX_462));
	if (r < TD_NETFX_462)
		ck_assert(strstr(h.detail, netfx_mins[_i].name) != NULL);
	if (r < TD_NETFX_46)
		ck_assert(strstr(h.detail, "Before 4.6") != NULL);
}
END_TEST

START_TEST(netfx_missing_release)
{
	struct td_machine *m = machine("m");
	value(m, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v3.5", "Install",
	      "REG_DWORD", "1");
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(fires(TD_CHECK_NETFX_RELEASE, m, &h));
	ck_assert(strstr(h.detail, "No .NET Framework 4.5") != NULL);
	ck_assert_uint_eq(h.ev[0].line, 0);
	/* Without any NDP key the export says nothing about .NET. */
	struct td_machine *n = machine("n");
	dword(n, SCH, "EventLogging", 1);
	ck_assert(!fires(TD_CHECK_NETFX_RELEASE, n, &h));
}
END_TEST

/* --- .NET strong crypto: four places, absent only where covered --------- */

START_TEST(netfx_strong_crypto)
{
	static const char *const keys[4] = {
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319",
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727",
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319",
		"HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v2.0.50727",
	};
	struct td_machine *m = machine("m");
	for (int i = 0; i < 4; i++) {
		dword(m, keys[i], "SchUseStrongCrypto", 1);
		dword(m, keys[i], "SystemDefaultTlsVersions", 1);
	}
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(!fires(TD_CHECK_NETFX_STRONG_CRYPTO, m, &h));
	/* One place, value _i / 2: 0, 2 or missing (another value there). */
	struct td_machine *n = machine("n");
	for (int i = 0; i < 4; i++) {
		dword(n, keys[i], "SchUseStrongCrypto", 1);
		if (i != _i)
			dword(n, keys[i], "SystemDefaultTlsVersions", 1);
	}
	td_machines_finish(&ms);
	ck_assert(fires(TD_CHECK_NETFX_STRONG_CRYPTO, n, &h));
	ck_assert_msg(strstr(h.detail, "SystemDefaultTlsVersions missing") != NULL, "%s", h.detail);
	ck_assert(strstr(h.detail, "SchUseStrongCrypto") == NULL);
	ck_assert(strstr(h.detail, _i >= 2 ? "Wow6432Node\\" : "v") != NULL);
	ck_assert_uint_eq(h.nev, 1);
	ck_assert_uint_eq(h.ev[0].line, 0);
}
END_TEST

START_TEST(netfx_values_not_0_or_1)
{
	struct td_machine *m = machine("m");
	const char *k = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319";
	dword(m, k, "SchUseStrongCrypto", 0);
	dword(m, k, "SystemDefaultTlsVersions", 2);
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(fires(TD_CHECK_NETFX_STRONG_CRYPTO, m, &h));
	ck_assert(strstr(h.detail, "v4.0.30319\\SchUseStrongCrypto 0") != NULL);
	ck_assert(strstr(h.detail, "SystemDefaultTlsVersions neither 0 nor 1") != NULL);
	/* No Wow6432Node in the export: its places are not claimed missing. */
	ck_assert(strstr(h.detail, "Wow6432Node") == NULL);
}
END_TEST

/* --- WinHTTP DefaultSecureProtocols: every bit ---------------------------- */

static const struct {
	uint32_t bit;
	const char *name;
	bool ssl;
} dsp_bits[] = {
	{ 0x8, "SSL 2.0", true },    { 0x20, "SSL 3.0", true },   { 0x80, "TLS 1.0", false },
	{ 0x200, "TLS 1.1", false }, { 0x800, "TLS 1.2", false }, { 0x2000, "TLS 1.3", false },
};

START_TEST(winhttp_bits)
{
	uint32_t bit = dsp_bits[_i].bit;
	char text[96];
	td_protocol_bits_text(bit, text, sizeof(text));
	ck_assert_str_eq(text, dsp_bits[_i].name);
	td_protocol_bits_text(bit | 0x800, text, sizeof(text));
	ck_assert(strstr(text, dsp_bits[_i].name) && strstr(text, "TLS 1.2"));
	for (int view = 0; view < 2; view++) {
		struct td_machine *m = machine(view ? "m32" : "m64");
		char key[300];
		snprintf(key, sizeof(key), WINHTTP, view ? "Wow6432Node\\" : "");
		dword(m, key, "DefaultSecureProtocols", bit);
		td_machines_finish(&ms);
		struct td_check_hit h;
		bool want = bit != 0x800 || dsp_bits[_i].ssl;
		ck_assert_msg(fires(TD_CHECK_WINHTTP_PROTOCOLS, m, &h) == want, "bit 0x%x", bit);
		if (!want)
			continue;
		ck_assert(strstr(h.detail, view ? "32-bit" : "64-bit") != NULL);
		ck_assert((strstr(h.detail, "no TLS 1.2") != NULL) == (bit != 0x800));
		ck_assert((strstr(h.detail, "SSL still allowed") != NULL) == dsp_bits[_i].ssl);
	}
}
END_TEST

START_TEST(winhttp_absent_and_views)
{
	char k64[300], k32[300];
	snprintf(k64, sizeof(k64), WINHTTP, "");
	snprintf(k32, sizeof(k32), WINHTTP, "Wow6432Node\\");
	/* (a) absent on 6.1 / 6.2 where the export covers Internet Settings. */
	struct td_machine *w7 = machine("w7");
	build(w7, "7601");
	value(w7, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings",
	      "User Agent", "REG_SZ", "x");
	struct td_machine *w81 = machine("w81");
	build(w81, "9600");
	value(w81, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings",
	      "User Agent", "REG_SZ", "x");
	/* (d) one view only on a 64-bit export; (e) noted on 6.2. */
	struct td_machine *one = machine("one");
	build(one, "9200");
	dword(one, k64, "DefaultSecureProtocols", 0xA00);
	value(one, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\"
		   "Internet Settings", "User Agent", "REG_SZ", "x");
	struct td_machine *both = machine("both");
	dword(both, k64, "DefaultSecureProtocols", 0xA00);
	dword(both, k32, "DefaultSecureProtocols", 0xA00);
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(fires(TD_CHECK_WINHTTP_PROTOCOLS, w7, &h));
	ck_assert(strstr(h.detail, "SSL 3.0 and TLS 1.0 only") != NULL);
	ck_assert(!fires(TD_CHECK_WINHTTP_PROTOCOLS, w81, &h));
	ck_assert(fires(TD_CHECK_WINHTTP_PROTOCOLS, one, &h));
	ck_assert_msg(strstr(h.detail, "only in the 64-bit view") != NULL, "%s", h.detail);
	ck_assert(strstr(h.detail, "KB3140245") != NULL);
	ck_assert(!fires(TD_CHECK_WINHTTP_PROTOCOLS, both, &h));
}
END_TEST

START_TEST(wininet_rule)
{
	struct td_machine *m = machine("m");
	dword(m, "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings",
	      "SecureProtocols", 0xA80);
	dword(m, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\"
		 "Internet Settings", "SecureProtocols", 0xA0);
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(fires(TD_CHECK_WININET_PROTOCOLS, m, &h));
	ck_assert(strstr(h.detail, "(policy) = 160 (SSL 3.0, TLS 1.0)") != NULL);
	ck_assert(strstr(h.detail, "(user)") == NULL);
	ck_assert(strstr(h.detail, "policy value wins") != NULL);
}
END_TEST

/* --- Schannel rules ------------------------------------------------------- */

START_TEST(schannel_rules)
{
	struct td_check_hit h;
	struct td_machine *w7 = machine("w7");
	build(w7, "7601");
	dword(w7, SCH, "EventLogging", 1);
	proto(w7, "TLS1.2", "Client", 1, 0);
	struct td_machine *off = machine("off");
	proto(off, "TLS 1.2", "Server", -1, 1);
	struct td_machine *old = machine("old");
	build(old, "14393");
	proto(old, "TLS 1.3", "Client", 1, 0);
	struct td_machine *vista = machine("vista");
	build(vista, "6002");
	struct td_machine *ssl = machine("ssl");
	proto(ssl, "SSL 3.0", "Server", 1, 0);
	td_machines_finish(&ms);
	/* H02, and the misspelt key does not count as the TLS 1.2 key. */
	ck_assert(fires(TD_CHECK_TLS12_OS_DEFAULT_OFF, w7, &h));
	ck_assert(fires(TD_CHECK_PROTOCOL_KEY_TYPO, w7, &h));
	ck_assert(strstr(h.ev[0].text, "TLS1.2\\Client\\Enabled") != NULL);
	ck_assert(!fires(TD_CHECK_TLS12_DISABLED, w7, &h));
	/* H01 on an explicit DisabledByDefault=1, whatever the version. */
	ck_assert(fires(TD_CHECK_TLS12_DISABLED, off, &h));
	ck_assert(!fires(TD_CHECK_TLS12_OS_DEFAULT_OFF, off, &h));
	/* H10 needs a known build before Server 2022. */
	ck_assert(fires(TD_CHECK_TLS13_OLD_OS, old, &h));
	ck_assert(!fires(TD_CHECK_TLS13_OLD_OS, off, &h));
	/* H03 from the version alone. */
	ck_assert(fires(TD_CHECK_OS_2008, vista, &h));
	ck_assert(!fires(TD_CHECK_OS_2008, w7, &h));
	ck_assert(fires(TD_CHECK_SSL_ENABLED, ssl, &h));
	ck_assert(strstr(h.detail, "SSL 3.0 Server is enabled.") != NULL);
	/* Windows 7 keeps SSL 3.0 on by default: reported as the default. */
	ck_assert(fires(TD_CHECK_SSL_ENABLED, w7, &h));
	ck_assert(strstr(h.detail, "Windows default") != NULL);
	ck_assert(fires(TD_CHECK_PROTOCOL_VERDICT, off, &h) == false); /* version unknown */
}
END_TEST

START_TEST(cipher_policy_rule)
{
	struct td_check_hit h;
	const char *k = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\"
			"Configuration\\SSL\\00010002";
	struct td_machine *bad = machine("bad");
	value(bad, k, "Functions", "REG_SZ", "TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_RC4_128_SHA");
	struct td_machine *good = machine("good");
	value(good, k, "Functions", "REG_SZ",
	      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
	      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,"
	      "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
	td_machines_finish(&ms);
	ck_assert(td_check_machine(TD_CHECK_CIPHER_POLICY, bad, TD_SEV_INFO, &h));
	ck_assert_int_eq(h.severity, TD_SEV_WARNING);
	ck_assert(strstr(h.detail, "2 suite(s)") && strstr(h.detail, "None of them"));
	ck_assert(td_check_machine(TD_CHECK_CIPHER_POLICY, good, TD_SEV_INFO, &h));
	ck_assert_int_eq(h.severity, TD_SEV_INFO);
	ck_assert(strstr(h.detail, "lacks") == NULL);
}
END_TEST

/* --- kb H04: the TLS_DHE leading-zero fix (kb/VERSIONS.md 1d) ----------- */

START_TEST(dhe_fix_builds)
{
	static const struct {
		uint32_t build, ubr;
		int fixed;
	} cases[] = {
		{ 0, 0, -1 },	     { 6002, 0, 0 },	   { 7601, 0, 0 },	   { 9200, 0, 0 },
		{ 9600, 0, 0 },	     { 10240, 0, 0 },	   { 10586, 0, 1 },	   { 14393, 0, -1 },
		{ 14393, 3541, 0 },  { 14393, 3542, 1 },  { 14393, 3564, 1 },  { 15063, 0, 1 },
		{ 17763, 0, 1 },     { 20348, 0, 1 },	   { 26100, 0, 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(td_windows_dhe_fixed(cases[i].build, cases[i].ubr) == cases[i].fixed,
			      "%u.%u", cases[i].build, cases[i].ubr);
	ck_assert_uint_eq(td_windows_ubr_from("10.0.14393.3542"), 3542);
	ck_assert_uint_eq(td_windows_ubr_from("6.3.9600"), 0);
	ck_assert_uint_eq(td_windows_ubr_from("14393"), 0);
	/* The revision comes from the UBR value or a four-part version. */
	struct td_machine *m = machine("m");
	build(m, "14393");
	ck_assert_int_eq(td_machine_fact(m, "windows.ubr", "3542", "x.reg", 2), TD_OK);
	ck_assert_uint_eq(m->win.ubr, 3542);
	ck_assert_int_eq(td_machine_fact(m, "windows.ubr", "35x", "x.reg", 3), TD_OK);
	ck_assert_uint_eq(m->win.ubr, 3542);
	m = machine("v");
	ck_assert_int_eq(td_machine_fact(m, "windows.version", "10.0.14393.3541", "x.reg", 1),
			 TD_OK);
	ck_assert_uint_eq(m->win.build, 14393);
	ck_assert_uint_eq(m->win.ubr, 3541);
}
END_TEST

#define SUITES_POLICY "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\" \
		      "Configuration\\SSL\\00010002"
#define SUITES_LOCAL "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Cryptography\\" \
		     "Configuration\\Local\\SSL\\00010002"

/* One machine per case; index i of ms. */
static size_t dhe_machine(const char *name, const char *b, const char *ubr, const char *policy,
			  const char *local)
{
	struct td_machine *m = machine(name);
	if (b)
		build(m, b);
	if (ubr)
		ck_assert_int_eq(td_machine_fact(m, "windows.ubr", ubr, "x.reg", 2), TD_OK);
	if (policy)
		value(m, SUITES_POLICY, "Functions", "REG_SZ", policy);
	if (local)
		value(m, SUITES_LOCAL, "Functions", "REG_MULTI_SZ", local);
	return (size_t)(m - ms.m);
}

START_TEST(dhe_rule_one_machine)
{
	const char *dhe = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_DHE_RSA_WITH_AES_256_GCM_SHA384";
	const char *no_dhe = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
	size_t unfixed = dhe_machine("unfixed", "9600", NULL, dhe, NULL);
	size_t local = dhe_machine("local", "7601", NULL, NULL, "TLS_RSA_WITH_AES_128_CBC_SHA\n"
							     "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
	size_t nodhe = dhe_machine("nodhe", "9600", NULL, no_dhe, NULL);
	/* The policy wins over a local list that has DHE suites. */
	size_t policy = dhe_machine("policy", "9600", NULL, no_dhe, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
	size_t nolist = dhe_machine("nolist", "9600", NULL, NULL, NULL);
	size_t patched = dhe_machine("patched", "14393", "3542", dhe, NULL);
	size_t unpatched = dhe_machine("unpatched", "14393", "3300", dhe, NULL);
	size_t norev = dhe_machine("norev", "14393", NULL, dhe, NULL);
	size_t dhkey = dhe_machine("dhkey", "9600", NULL, dhe, NULL);
	dword(&ms.m[dhkey], SCH "\\KeyExchangeAlgorithms\\Diffie-Hellman", "Enabled", 0);
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[unfixed], &h));
	ck_assert_int_eq(h.severity, TD_SEV_WARNING);
	ck_assert(strstr(h.detail, "build 9600") && strstr(h.detail, "offers TLS_DHE suites"));
	ck_assert(strstr(h.detail, "fail now and then") != NULL);
	ck_assert(strstr(h.ev[h.nev - 1].text, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384") != NULL);
	ck_assert(fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[local], &h));
	ck_assert(fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[unpatched], &h));
	ck_assert(strstr(h.detail, "build 14393.3300") != NULL);
	ck_assert(!fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[nodhe], &h));
	ck_assert(!fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[policy], &h));
	ck_assert(!fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[nolist], &h)); /* alone: not known */
	ck_assert(!fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[patched], &h));
	ck_assert(!fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[norev], &h));
	ck_assert(!fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[dhkey], &h));
}
END_TEST

START_TEST(dhe_rule_pair)
{
	size_t client = dhe_machine("APP12", "9600", NULL, NULL, NULL);
	size_t server = dhe_machine("SQL19", "17763", NULL, NULL, NULL);
	size_t other = dhe_machine("SQL22", "20348", NULL,
				   "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", NULL);
	td_machines_finish(&ms);
	bool symptom[3] = { false, false, false };
	struct td_check_context ctx = { ms.m, ms.n, symptom };
	struct td_check_hit h;
	/* No failure logged: a machine whose list is not shown is not reported. */
	ck_assert(!td_check_machine_in(TD_CHECK_DHE_LEADING_ZERO, &ctx, client, TD_SEV_WARNING, &h));
	/* A failure on the fixed server names the pair; the server with no
	 * TLS_DHE suites is no partner. */
	symptom[server] = true;
	ck_assert(td_check_machine_in(TD_CHECK_DHE_LEADING_ZERO, &ctx, client, TD_SEV_WARNING, &h));
	ck_assert_int_eq(h.severity, TD_SEV_ERROR);
	ck_assert(strstr(h.detail, "APP12 runs") && strstr(h.detail, "SQL19, Windows 10 1809"));
	ck_assert(strstr(h.detail, "logged on SQL19:") != NULL);
	ck_assert(strstr(h.detail, "SQL22") == NULL);
	ck_assert(!td_check_machine_in(TD_CHECK_DHE_LEADING_ZERO, &ctx, server, TD_SEV_WARNING, &h));
	ck_assert(!td_check_machine_in(TD_CHECK_DHE_LEADING_ZERO, &ctx, other, TD_SEV_WARNING, &h));
	/* A failure on the unfixed client counts too; then every fixed machine
	 * whose suites allow DHE may be the peer. */
	size_t other2 = dhe_machine("WEB16", "14393", "3564", NULL, NULL);
	td_machines_finish(&ms);
	ctx.machines = ms.m;
	ctx.n = ms.n;
	bool symptom4[4] = { true, false, false, false };
	ctx.symptom = symptom4;
	ck_assert(td_check_machine_in(TD_CHECK_DHE_LEADING_ZERO, &ctx, client, TD_SEV_WARNING, &h));
	ck_assert(strstr(h.detail, "logged on APP12:") != NULL);
	ck_assert(strstr(h.detail, "Machines of the bundle that have the fix: SQL19") != NULL);
	ck_assert(strstr(h.detail, "WEB16") != NULL);
	/* A fixed machine that failed too is named alone. */
	symptom4[other2] = true;
	ck_assert(td_check_machine_in(TD_CHECK_DHE_LEADING_ZERO, &ctx, client, TD_SEV_WARNING, &h));
	ck_assert(strstr(h.detail, "A machine of the bundle that has the fix: WEB16") != NULL);
	ck_assert(strstr(h.detail, "SQL19,") == NULL);
	ck_assert(strstr(h.detail, "logged on APP12 and WEB16:") != NULL);
	/* Without the context the same rule sees one machine only. */
	ck_assert(!fires(TD_CHECK_DHE_LEADING_ZERO, &ms.m[client], &h));
	ck_assert(td_check_uses_symptoms(TD_CHECK_DHE_LEADING_ZERO));
	ck_assert(!td_check_uses_symptoms(TD_CHECK_CIPHER_POLICY));
	ck_assert(!td_check_machine_in(TD_CHECK_DHE_LEADING_ZERO, &ctx, 4, TD_SEV_WARNING, &h));
}
END_TEST

/* kb F05: the local list (no policy) against the Azure Front Door suites. */
START_TEST(cipher_local_afd_rule)
{
	size_t none = dhe_machine("none", "19045", NULL, NULL,
				  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\nTLS_RSA_WITH_AES_256_GCM_SHA384");
	size_t one = dhe_machine("one", "19045", NULL, NULL,
				 "TLS_RSA_WITH_AES_256_GCM_SHA384\nTLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
	size_t suffix = dhe_machine("suffix", "9600", NULL, NULL,
				    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384_P384");
	size_t policy = dhe_machine("policy", "19045", NULL, "TLS_RSA_WITH_AES_256_GCM_SHA384",
				    "TLS_RSA_WITH_AES_256_GCM_SHA384");
	size_t nolist = dhe_machine("nolist", "19045", NULL, NULL, NULL);
	td_machines_finish(&ms);
	struct td_check_hit h;
	ck_assert(fires(TD_CHECK_CIPHER_LOCAL_AFD, &ms.m[none], &h));
	ck_assert(strstr(h.detail, "Azure Front Door") && strstr(h.detail, "none of the suites"));
	ck_assert(strstr(h.ev[0].text, "Local\\SSL\\00010002\\Functions") != NULL);
	ck_assert(!fires(TD_CHECK_CIPHER_LOCAL_AFD, &ms.m[one], &h));
	ck_assert(!fires(TD_CHECK_CIPHER_LOCAL_AFD, &ms.m[suffix], &h));
	ck_assert(!fires(TD_CHECK_CIPHER_LOCAL_AFD, &ms.m[policy], &h)); /* H06's case */
	ck_assert(!fires(TD_CHECK_CIPHER_LOCAL_AFD, &ms.m[nolist], &h));
}
END_TEST

/* --- kb H08: TLS 1.0 / 1.1 off by default from TD_BUILD_TLS10_OFF -------- */

START_TEST(tls10_off_rule)
{
	ck_assert_int_eq(td_windows_default(26100, TD_PROTO_TLS10, TD_CLIENT), TD_PS_OFF_BY_DEFAULT);
	ck_assert_int_eq(td_windows_default(26100, TD_PROTO_TLS11, TD_SERVER), TD_PS_OFF_BY_DEFAULT);
	ck_assert_int_eq(td_windows_default(26100, TD_PROTO_TLS12, TD_CLIENT), TD_PS_ENABLED);
	ck_assert_int_eq(td_windows_default(22631, TD_PROTO_TLS10, TD_CLIENT), TD_PS_ENABLED);
	ck_assert_str_eq(td_windows_name(26100), "Windows 11 24H2 / Server 2025 or later");
	size_t fresh = dhe_machine("W11", "26100", NULL, NULL, NULL);
	size_t reenabled = dhe_machine("W11B", "26100", NULL, NULL, NULL);
	struct td_machine *r = &ms.m[reenabled];
	const char *pr[] = { "TLS 1.0", "TLS 1.1" }, *sd[] = { "Client", "Server" };
	for (int p = 0; p < 2; p++)
		for (int s2 = 0; s2 < 2; s2++)
			proto(r, pr[p], sd[s2], 1, 0);
	size_t inmarket = dhe_machine("W11C", "22631", NULL, NULL, NULL);
	size_t client_only = dhe_machine("W11D", "26100", NULL, NULL, NULL);
	proto(&ms.m[client_only], "TLS 1.0", "Client", 1, 0);
	td_machines_finish(&ms);
	bool symptom[4] = { true, true, true, true };
	struct td_check_context ctx = { ms.m, ms.n, symptom };
	struct td_check_hit h;
	ck_assert(td_check_machine_in(TD_CHECK_TLS10_OFF_BY_DEFAULT, &ctx, fresh, TD_SEV_WARNING, &h));
	ck_assert(strstr(h.detail, "TLS 1.0 Client is disabled by default.") != NULL);
	ck_assert(strstr(h.detail, "TLS 1.1 Server is disabled by default.") != NULL);
	ck_assert(strstr(h.detail, "36871") != NULL);
	ck_assert(!td_check_machine_in(TD_CHECK_TLS10_OFF_BY_DEFAULT, &ctx, reenabled, TD_SEV_WARNING,
				       &h));
	ck_assert(!td_check_machine_in(TD_CHECK_TLS10_OFF_BY_DEFAULT, &ctx, inmarket, TD_SEV_WARNING,
				       &h));
	/* TLS 1.0 client re-enabled; its server side and TLS 1.1 are still off. */
	ck_assert(td_check_machine_in(TD_CHECK_TLS10_OFF_BY_DEFAULT, &ctx, client_only,
				      TD_SEV_WARNING, &h));
	ck_assert(strstr(h.detail, "TLS 1.0 Client") == NULL);
	/* Only together with a failure on the machine. */
	symptom[fresh] = false;
	ck_assert(!td_check_machine_in(TD_CHECK_TLS10_OFF_BY_DEFAULT, &ctx, fresh, TD_SEV_WARNING, &h));
	ck_assert(!fires(TD_CHECK_TLS10_OFF_BY_DEFAULT, &ms.m[fresh], &h));
}
END_TEST

/* kb A03: SNAC 11 below 11.*.7001.0. */
START_TEST(snac_threshold)
{
	static const struct {
		const char *version;
		bool below;
	} cases[] = { { "11.0.2100.60", true }, { "11.3.6518.0", true }, { "11.4.7000.0", true },
		      { "11.4.7001.0", false }, { "11.4.7462.6", false } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[8];
		snprintf(name, sizeof(name), "m%zu", i);
		struct td_machine *m = machine(name);
		ck_assert_int_eq(td_machine_fact(m, "sql_client.snac11", cases[i].version, "x.reg", 3),
				 TD_OK);
		struct td_check_hit h;
		ck_assert_msg(fires(TD_CHECK_SNAC_VERSION, m, &h) == cases[i].below, "%s",
			      cases[i].version);
	}
}
END_TEST

/* --- naming machines ------------------------------------------------------ */

static void vote(struct td_host_votes *hv, const char *name, uint64_t n)
{
	ck_assert_int_eq(td_host_vote(hv, td_str_cstr(name), n), TD_OK);
}

static void name_inputs(const char *const *paths, struct td_host_votes *votes, size_t n,
			const char *const *want)
{
	char *names[8];
	ck_assert_int_eq(td_hosts_name_inputs(paths, votes, n, names), TD_OK);
	for (size_t i = 0; i < n; i++) {
		if (want[i])
			ck_assert_msg(names[i] && strcmp(names[i], want[i]) == 0,
				      "input %zu: %s, want %s", i, names[i] ? names[i] : "NULL",
				      want[i]);
		else
			ck_assert_msg(!names[i], "input %zu: %s, want NULL", i, names[i]);
		free(names[i]);
		td_host_votes_release(&votes[i]);
	}
}

START_TEST(naming)
{
	ck_assert(td_str_eq_cstr(td_host_short(td_str_cstr("CM-SQL01.contoso.com")), "CM-SQL01"));
	ck_assert(td_str_eq_cstr(td_host_short(td_str_cstr("10.0.0.5")), "10.0.0.5"));
	ck_assert(td_str_eq_cstr(td_host_short(td_str_cstr("fe80::1")), "fe80::1"));

	/* Votes: case-insensitive, blanks ignored, at most TD_HOST_VOTES names. */
	struct td_host_votes hv = { 0 };
	vote(&hv, "SQL01", 1);
	vote(&hv, "sql01", 2);
	vote(&hv, "  ", 5);
	for (int i = 0; i < 10; i++) {
		char name[16];
		snprintf(name, sizeof(name), "H%d", i);
		vote(&hv, name, 1);
	}
	ck_assert_uint_eq(hv.n, TD_HOST_VOTES);
	ck_assert_uint_eq(hv.v[0].count, 3);
	td_host_votes_release(&hv);

	/* Machine folders: the computer the folder's events name most, else
	 * the folder's own name. */
	const char *split[] = { "b/Server1/ERRORLOG", "b/Server1/Logs/smsprov.log",
				"b/CLI07/tls.reg", "b/CLI07/System.evtx" };
	struct td_host_votes v1[4];
	memset(v1, 0, sizeof(v1));
	vote(&v1[0], "CM-SQL01", 40);
	vote(&v1[3], "cli07.contoso.com", 3);
	vote(&v1[3], "DC01.contoso.com", 1); /* a forwarded event */
	const char *want1[] = { "CM-SQL01", "CM-SQL01", "cli07", "cli07" };
	name_inputs(split, v1, 4, want1);

	const char *split2[] = { "b/Server1/ERRORLOG", "b/Server2/x.log" };
	struct td_host_votes v2[2];
	memset(v2, 0, sizeof(v2));
	const char *want2[] = { "Server1", "Server2" };
	name_inputs(split2, v2, 2, want2);

	/* One folder: each input its own computer; the others the bundle's
	 * only computer, if it names one. */
	const char *flat[] = { "m/System.evtx", "m/smsprov.log", "m/ERRORLOG" };
	struct td_host_votes v3[3];
	memset(v3, 0, sizeof(v3));
	vote(&v3[0], "SITE01.contoso.com", 9);
	const char *want3[] = { "SITE01", "SITE01", "SITE01" };
	name_inputs(flat, v3, 3, want3);

	struct td_host_votes v4[3];
	memset(v4, 0, sizeof(v4));
	vote(&v4[0], "SITE01.contoso.com", 9);
	vote(&v4[2], "SQL01", 9);
	const char *want4[] = { "SITE01", NULL, "SQL01" };
	name_inputs(flat, v4, 3, want4);

	/* Machines in archives: named by the archive without its extension. */
	const char *nested[] = { "in/all.tar.gz!/./CM-SQL01.zip!/ERRORLOG",
				 "in/all.tar.gz!/./CM-CLI07.zip!/Registry/x.reg" };
	struct td_host_votes v6[2];
	memset(v6, 0, sizeof(v6));
	const char *want6[] = { "CM-SQL01", "CM-CLI07" };
	name_inputs(nested, v6, 2, want6);

	struct td_host_votes v5[3];
	memset(v5, 0, sizeof(v5));
	const char *want5[] = { NULL, NULL, NULL };
	name_inputs(flat, v5, 3, want5);
}
END_TEST

/* --- grouping into machines ----------------------------------------------- */

static struct td_str group_name(const char *const *paths, size_t n, size_t i)
{
	struct td_folder_split split;
	td_folder_split(paths, n, &split);
	return td_folder_group(&split, paths[i]);
}

START_TEST(grouping)
{
	const char *multi[] = { "b/CM01/Log/ERRORLOG", "b/CM01/System.evtx", "b/SQL01/x.reg" };
	ck_assert(td_str_eq_cstr(group_name(multi, 3, 0), "b/CM01"));
	ck_assert(td_str_eq_cstr(group_name(multi, 3, 1), "b/CM01"));
	ck_assert(td_str_eq_cstr(group_name(multi, 3, 2), "b/SQL01"));
	/* Folders named for a kind of file: one machine. */
	const char *one[] = { "bundle/Registry/tls.reg", "bundle/EventLogs/System.evtx" };
	ck_assert(td_str_eq_cstr(group_name(one, 2, 1), "bundle"));
	/* A file in the base folder itself: one machine. */
	const char *flat[] = { "m/tls.reg", "m/Logs/a.log", "m/Other/b.log" };
	ck_assert(td_str_eq_cstr(group_name(flat, 3, 2), "m"));
	/* Prefixes that are not whole folder names. */
	const char *pre[] = { "a/bc/x/1.reg", "a/b/y/2.reg" };
	ck_assert(td_str_eq_cstr(group_name(pre, 2, 0), "a/bc"));
	ck_assert(td_str_eq_cstr(group_name(pre, 2, 1), "a/b"));
	const char *single[] = { "x.reg" };
	ck_assert_uint_eq(group_name(single, 1, 0).len, 0);
	/* Archive members (cli/run.h): the archive is a folder. */
	const char *zip[] = { "bundle.zip!/CM-SQL01/ERRORLOG", "bundle.zip!/CM-CLI07/x.reg",
			      "bundle.zip!/CM-SQL01/Log/System.evtx" };
	ck_assert(td_str_eq_cstr(group_name(zip, 3, 0), "bundle.zip!/CM-SQL01"));
	ck_assert(td_str_eq_cstr(group_name(zip, 3, 1), "bundle.zip!/CM-CLI07"));
	ck_assert(td_str_eq_cstr(group_name(zip, 3, 2), "bundle.zip!/CM-SQL01"));
	const char *nested[] = { "in/all.tar.gz!/./CM-SQL01.zip!/ERRORLOG",
				 "in/all.tar.gz!/./CM-CLI07.zip!/Registry/x.reg" };
	ck_assert(td_str_eq_cstr(group_name(nested, 2, 0),
				 "in/all.tar.gz!/./CM-SQL01.zip"));
	ck_assert(td_str_eq_cstr(group_name(nested, 2, 1),
				 "in/all.tar.gz!/./CM-CLI07.zip"));
	/* One archive per kind of file, or the archive's files themselves:
	 * one machine, named without the archive mark. */
	const char *kinds[] = { "CM01/Logs.zip!/a.log", "CM01/Registry.7z!/tls.reg" };
	ck_assert(td_str_eq_cstr(group_name(kinds, 2, 1), "CM01"));
	const char *flatzip[] = { "CM01.zip!/ERRORLOG", "CM01.zip!/tls.reg" };
	ck_assert(td_str_eq_cstr(group_name(flatzip, 2, 1), "CM01.zip"));

	/* Values of several files of one machine merge; later values win. */
	struct td_machine *a = machine("b/CM01/Registry/a.reg");
	proto(a, "TLS 1.2", "Client", 0, 1);
	struct td_machine *b = machine("b/CM01/Registry/b.reg");
	proto(b, "TLS 1.2", "Client", 1, 0);
	struct td_machine *c = machine("b/CM01/System.evtx");
	build(c, "9600");
	ck_assert_int_eq(td_machines_group(&ms, NULL), TD_OK);
	ck_assert_uint_eq(ms.n, 1);
	td_machines_finish(&ms);
	ck_assert_str_eq(ms.m[0].name, "b/CM01");
	ck_assert_uint_eq(ms.m[0].win.build, 9600);
	ck_assert_int_eq(ms.m[0].proto[TD_PROTO_TLS12].side[TD_CLIENT].state, TD_PS_ENABLED);
}
END_TEST

/* --- SQL Server builds: every threshold of kb/VERSIONS.md 3a, with the
 * shipped data ------------------------------------------------------------ */

static const struct {
	const char *first, *below;
} sql_mins[] = {
	{ "12.0.4439.1", "12.0.4438.0" }, { "12.0.4219.0", "12.0.4218.0" },
	{ "12.0.2564.0", "12.0.2563.0" }, { "12.0.2271.0", "12.0.2269.0" },
	{ "12.0.5000.0", NULL },	  { "12.0.6024.0", NULL },
	{ "11.0.6216.27", "11.0.6216.26" }, { "11.0.6518.0", "11.0.6517.0" },
	{ "11.0.5352.0", "11.0.5343.0" }, { "11.0.5644.2", "11.0.5644.1" },
	{ "11.0.7001.0", NULL },	  { "10.50.6542.0", "10.50.6537.0" },
	{ "10.0.6547.0", "10.0.6543.0" }, { "13.0.1601.5", NULL },
	{ "16.0.1000.6", NULL },
};

START_TEST(sql_thresholds)
{
	struct td_sigdb *db = NULL;
	struct td_err err = { 0 };
	ck_assert_int_eq(td_sigdb_load(TD_TEST_SOURCE_DIR "/signatures", NULL, &db, &err), TD_OK);
	uint32_t b[4];
	struct td_sql_verdict v;
	ck_assert(td_sql_parse_build(sql_mins[_i].first, b));
	td_sql_check_tls12(db, b, &v);
	ck_assert_msg(v.status == TD_SQL_OK, "%s: %s", sql_mins[_i].first, v.text);
	if (sql_mins[_i].below) {
		ck_assert(td_sql_parse_build(sql_mins[_i].below, b));
		td_sql_check_tls12(db, b, &v);
		ck_assert_msg(v.status == TD_SQL_BELOW, "%s: %s", sql_mins[_i].below, v.text);
	}
	/* kb/VERSIONS.md 3c examples and versions that never get TLS 1.2. */
	const char *below[] = { "11.0.5058.0", "12.0.4100.1", "10.50.6000.34" };
	for (size_t i = 0; i < 3; i++) {
		ck_assert(td_sql_parse_build(below[i], b));
		td_sql_check_tls12(db, b, &v);
		ck_assert_msg(v.status == TD_SQL_BELOW, "%s", below[i]);
	}
	ck_assert(td_sql_parse_build("9.00.5000.00", b));
	td_sql_check_tls12(db, b, &v);
	ck_assert_int_eq(v.status, TD_SQL_NEVER);
	td_sigdb_free(db);
}
END_TEST

Suite *machine_suite(void)
{
	Suite *s = suite_create("machine");
	TCase *t = tcase_create("model");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, tls12_verdicts, 0, sizeof(verdicts) / sizeof(verdicts[0]));
	tcase_add_test(t, windows_defaults);
	tcase_add_test(t, windows_builds);
	tcase_add_loop_test(t, netfx_thresholds, 0, sizeof(netfx_mins) / sizeof(netfx_mins[0]));
	tcase_add_test(t, netfx_missing_release);
	tcase_add_loop_test(t, netfx_strong_crypto, 0, 4);
	tcase_add_test(t, netfx_values_not_0_or_1);
	tcase_add_loop_test(t, winhttp_bits, 0, sizeof(dsp_bits) / sizeof(dsp_bits[0]));
	tcase_add_test(t, winhttp_absent_and_views);
	tcase_add_test(t, wininet_rule);
	tcase_add_test(t, schannel_rules);
	tcase_add_test(t, cipher_policy_rule);
	tcase_add_test(t, snac_threshold);
	tcase_add_test(t, dhe_fix_builds);
	tcase_add_test(t, dhe_rule_one_machine);
	tcase_add_test(t, dhe_rule_pair);
	tcase_add_test(t, tls10_off_rule);
	tcase_add_test(t, cipher_local_afd_rule);
	tcase_add_test(t, grouping);
	tcase_add_test(t, naming);
	tcase_add_loop_test(t, sql_thresholds, 0, sizeof(sql_mins) / sizeof(sql_mins[0]));
	suite_add_tcase(s, t);
	return s;
}
