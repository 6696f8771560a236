/* Windows and .NET Framework versions and their TLS defaults
 * (kb/VERSIONS.md 1a-1c and 2a, kb/REGISTRY.md 1b and 7). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "netfx.h"

const char *td_proto_name(enum td_proto p)
{
	static const char *const names[TD_NPROTO] = { "SSL 2.0", "SSL 3.0", "TLS 1.0",
						      "TLS 1.1", "TLS 1.2", "TLS 1.3" };
	return (unsigned)p < TD_NPROTO ? names[p] : "?";
}

const char *td_pstate_name(enum td_pstate s)
{
	switch (s) {
	case TD_PS_ENABLED: return "enabled";
	case TD_PS_OFF_BY_DEFAULT: return "disabled by default";
	case TD_PS_DISABLED: return "disabled";
	case TD_PS_UNSUPPORTED: return "not supported";
	default: return "Windows default not known";
	}
}

const char *td_verdict_name(enum td_verdict v)
{
	switch (v) {
	case TD_VERDICT_ENABLED: return "enabled";
	case TD_VERDICT_DISABLED: return "disabled";
	case TD_VERDICT_OFF_BY_DEFAULT: return "disabled by default";
	case TD_VERDICT_HALF_DISABLED: return "half-disabled";
	case TD_VERDICT_MISCONFIGURED: return "misconfigured";
	case TD_VERDICT_UNSUPPORTED: return "not supported";
	default: return "unknown";
	}
}

/* Client and server alike. */
enum td_pstate td_windows_default(uint32_t build, enum td_proto p, enum td_side side)
{
	if (!build)
		return TD_PS_UNKNOWN;
	switch (p) {
	case TD_PROTO_SSL2:
		/* Before 1607 only a reprint of Microsoft's table gives the
		 * defaults (kb/REGISTRY.md 1b); we do not guess. */
		return build >= TD_BUILD_1607 ? TD_PS_UNSUPPORTED : TD_PS_UNKNOWN;
	case TD_PROTO_SSL3:
		return build >= TD_BUILD_1607 ? TD_PS_OFF_BY_DEFAULT : TD_PS_ENABLED;
	case TD_PROTO_TLS10:
		return build >= TD_BUILD_TLS10_OFF ? TD_PS_OFF_BY_DEFAULT : TD_PS_ENABLED;
	case TD_PROTO_TLS11:
		if (build >= TD_BUILD_TLS10_OFF)
			return TD_PS_OFF_BY_DEFAULT;
		/* fall through */
	case TD_PROTO_TLS12:
		/* Server 2008 SP2 only after KB4019276, then off by default. */
		if (build < TD_BUILD_WIN7)
			return TD_PS_UNSUPPORTED;
		return build < TD_BUILD_WIN8 ? TD_PS_OFF_BY_DEFAULT : TD_PS_ENABLED;
	case TD_PROTO_TLS13:
		return build >= TD_BUILD_2022 ? TD_PS_ENABLED : TD_PS_UNSUPPORTED;
	default:
		return TD_PS_UNKNOWN;
	}
}

const char *td_windows_name(uint32_t build)
{
	static const struct {
		uint32_t from;
		const char *name;
	} names[] = {
		{ TD_BUILD_TLS10_OFF, "Windows 11 24H2 / Server 2025 or later" },
		{ 22000, "Windows 11" },
		{ 20348, "Windows Server 2022" },
		{ 19041, "Windows 10 2004 or later" },
		{ 17763, "Windows 10 1809 / Server 2019" },
		{ 15063, "Windows 10 1703-1803" },
		{ 14393, "Windows 10 1607 / Server 2016" },
		{ 10586, "Windows 10 1511" },
		{ 10240, "Windows 10 1507" },
		{ 9600, "Windows 8.1 / Server 2012 R2" },
		{ 9200, "Windows 8 / Server 2012" },
		{ 7601, "Windows 7 SP1 / Server 2008 R2 SP1" },
		{ 7600, "Windows 7 / Server 2008 R2 (no service pack)" },
		{ 6000, "Windows Vista / Server 2008" },
	};
	for (size_t i = 0; build && i < sizeof(names) / sizeof(names[0]); i++)
		if (build >= names[i].from)
			return names[i].name;
	return build ? "Windows older than Vista" : "";
}

/* The parts of a dotted version ("10.0.14393.3542"); returns how many. */
static int version_parts(const char *s, uint32_t part[4])
{
	int n = 0;
	const char *p = s;
	while (*p && (*p < '0' || *p > '9'))
		p++;
	while (*p && n < 4) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p || v > 99999)
			break;
		part[n++] = (uint32_t)v;
		p = end;
		if (*p != '.')
			break;
		p++;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* A build is the number after "major.minor." or a lone number of 4-5
 * digits; "6.01. 7601" (EventLog 6009) and "Build 9600" also work. */
uint32_t td_windows_build_from(const char *s)
{
	uint32_t part[4] = { 0 };
	int n = version_parts(s, part);
	if (n == 1)
		return part[0] >= 1000 ? part[0] : 0;
	if (n >= 3 && part[0] >= 5 && part[0] <= 10)
		return part[2];
	return 0;
}

uint32_t td_windows_ubr_from(const char *s)
{
	uint32_t part[4] = { 0 };
	int n = version_parts(s, part);
	return n == 4 && part[0] >= 5 && part[0] <= 10 ? part[3] : 0;
}

/* kb/VERSIONS.md 1d (DHE0): fixed in Windows 10 1511 and later, in 1607 /
 * Server 2016 from 14393.3542 (KB4537806, February 25 2020), in Server
 * 2019 and later; not in 1507, 8.1 / 2012 R2 or anything older. */
int td_windows_dhe_fixed(uint32_t build, uint32_t ubr)
{
	if (!build)
		return -1;
	if (build == TD_BUILD_1607)
		return ubr ? ubr >= 3542 : -1;
	return build > TD_BUILD_1507;
}

uint32_t td_winhttp_default(uint32_t build)
{
	if (!build || build < TD_BUILD_WIN7)
		return 0;
	if (build < TD_BUILD_WIN81)
		return 0x20 | 0x80; /* SSL 3.0 and TLS 1.0 */
	if (build >= TD_BUILD_2022)
		return 0x20 | 0x80 | 0x200 | 0x800 | 0x2000;
	return 0x20 | 0x80 | 0x200 | 0x800;
}

void td_protocol_bits_text(uint32_t mask, char *out, size_t cap)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = { { 0x8, "SSL 2.0" },   { 0x20, "SSL 3.0" },   { 0x80, "TLS 1.0" },
		     { 0x200, "TLS 1.1" }, { 0x800, "TLS 1.2" }, { 0x2000, "TLS 1.3" } };
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]) && n < cap; i++)
		if (mask & bits[i].bit)
			n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "",
					      bits[i].name);
	if (!n)
		snprintf(out, cap, "none");
}

/* kb/VERSIONS.md 2a: the smallest Release of each version. */
static const struct {
	uint32_t release;
	const char *name;
} netfx[] = {
	{ 533320, "4.8.1" }, { 528040, "4.8" },   { 461808, "4.7.2" }, { 461308, "4.7.1" },
	{ 460798, "4.7" },   { 394802, "4.6.2" }, { 394254, "4.6.1" }, { 393295, "4.6" },
	{ 379893, "4.5.2" }, { 378675, "4.5.1" }, { 378389, "4.5" },
};

const char *td_netfx_name(uint32_t release)
{
	for (size_t i = 0; i < sizeof(netfx) / sizeof(netfx[0]); i++)
		if (release >= netfx[i].release)
			return netfx[i].name;
	return "older than 4.5";
}
