/* Schannel message templates by Windows version (evmsg.h). */
#include "evmsg.h"

#include <stdio.h>
#include <string.h>

struct template {
	uint32_t id;
	enum td_winver from; /* first version with this text */
	const char *text;
};

/* Each id's texts in version order; a text holds until the next one. */
static const struct template schannel[] = {
#define V61 TD_WIN_61
#define V63 TD_WIN_63
#define V10586 TD_WIN_10586
#define V14393 TD_WIN_14393
#define V19041 TD_WIN_19041
	{ 36864, V61,
	  "The schannel security package has loaded successfully." },
	{ 36865, V61,
	  "A fatal error occurred while opening the system %1 cryptographic "
	  "module. Operations that require the SSL or TLS cryptographic protocols "
	  "will not work correctly. The error code is %2." },
	{ 36867, V61,
	  "Creating an SSL %1 credential." },
	{ 36867, V10586,
	  "Creating a TLS %1 credential." },
	{ 36868, V61,
	  "The SSL %1 credential's private key has the following properties:%n%n   "
	  "CSP name: %2%n   CSP type: %3%n   Key name: %4%n   Key Type: %5%n   Key "
	  "Flags: %6%n%n The attached data contains the certificate." },
	{ 36868, V10586,
	  "The TLS %1 credential's private key has the following properties:%n%n   "
	  "CSP name: %2%n   CSP type: %3%n   Key name: %4%n   Key Type: %5%n   Key "
	  "Flags: %6%n%n The attached data contains the certificate." },
	{ 36869, V61,
	  "The SSL %1 credential's certificate does not have a private key "
	  "information property attached to it. This most often occurs when a "
	  "certificate is backed up incorrectly and then later restored. This "
	  "message can also indicate a certificate enrollment failure." },
	{ 36869, V10586,
	  "The TLS %1 credential's certificate does not have a private key "
	  "information property attached to it. This most often occurs when a "
	  "certificate is backed up incorrectly and then later restored. This "
	  "message can also indicate a certificate enrollment failure." },
	{ 36870, V61,
	  "A fatal error occurred when attempting to access the SSL %1 credential "
	  "private key. The error code returned from the cryptographic module is "
	  "%2. The internal error state is %3." },
	{ 36870, V10586,
	  "A fatal error occurred when attempting to access the TLS %1 credential "
	  "private key. The error code returned from the cryptographic module is "
	  "%2. The internal error state is %3." },
	{ 36871, V61,
	  "A fatal error occurred while creating an SSL %1 credential. The "
	  "internal error state is %2." },
	{ 36871, V10586,
	  "A fatal error occurred while creating a TLS %1 credential. The internal "
	  "error state is %2." },
	{ 36872, V61,
	  "The SSL %1 specified certificate's chain could not be retrieved:%n%n   "
	  "Failure Status: %2%n   Flags: %3%n%n The attached data contains the "
	  "certificate." },
	{ 36872, V10586,
	  "The TLS %1 specified certificate's chain could not be retrieved:%n%n   "
	  "Failure Status: %2%n   Flags: %3%n%n The attached data contains the "
	  "certificate." },
	{ 36873, V61,
	  "No supported cipher suites were found when initiating an SSL "
	  "connection. This indicates a configuration problem with the client "
	  "application and/or the installed cryptographic modules. The SSL "
	  "connection request has failed." },
	{ 36873, V10586,
	  "No supported cipher suites were found when initiating a TLS connection. "
	  "This indicates a configuration problem with the client application "
	  "and/or the installed cryptographic modules. The TLS connection request "
	  "has failed." },
	{ 36874, V61,
	  "An %1 connection request was received from a remote client application, "
	  "but none of the cipher suites supported by the client application are "
	  "supported by the server. The SSL connection request has failed." },
	{ 36874, V10586,
	  "An %1 connection request was received from a remote client application, "
	  "but none of the cipher suites supported by the client application are "
	  "supported by the server. The TLS connection request has failed." },
	{ 36875, V61,
	  "The remote server has requested SSL client authentication, but no "
	  "suitable client certificate could be found. An anonymous connection "
	  "will be attempted. This SSL connection request may succeed or fail, "
	  "depending on the server's policy settings." },
	{ 36875, V10586,
	  "The remote server has requested TLS client authentication, but no "
	  "suitable client certificate could be found. An anonymous connection "
	  "will be attempted. This TLS connection request may succeed or fail, "
	  "depending on the server's policy settings." },
	{ 36876, V61,
	  "The certificate received from the remote server has not validated "
	  "correctly. The error code is %1. The SSL connection request has failed. "
	  "The attached data contains the server certificate." },
	{ 36876, V10586,
	  "The certificate received from the remote server has not validated "
	  "correctly. The error code is %1. The TLS connection request has failed. "
	  "The attached data contains the server certificate." },
	{ 36877, V61,
	  "The certificate received from the remote client application has not "
	  "validated correctly. The error code is %1. The attached data contains "
	  "the client certificate." },
	{ 36878, V61,
	  "The certificate received from the remote client application is not "
	  "suitable for direct mapping to a client system account, possibly "
	  "because the authority that issuing the certificate is not sufficiently "
	  "trusted. The error code is %1. The attached data contains the client "
	  "certificate." },
	{ 36879, V61,
	  "The certificate received from the remote client application was not "
	  "successfully mapped to a client system account. The error code is %1. "
	  "This is not necessarily a fatal error, as the server application may "
	  "still find the certificate acceptable." },
	{ 36880, V61,
	  "An SSL %1 handshake completed successfully. The negotiated "
	  "cryptographic parameters are as follows.%n%n   Protocol: %2%n   "
	  "CipherSuite: %3%n   Exchange strength: %4" },
	{ 36880, V10586,
	  "A TLS %1 handshake completed successfully. The negotiated cryptographic "
	  "parameters are as follows.%n%n   Protocol version: %2%n   CipherSuite: "
	  "%3%n   Exchange strength: %4 bits%n   Context handle: %5%n   Target "
	  "name: %6%n   Local certificate subject name: %7%n   Remote certificate "
	  "subject name: %8" },
	{ 36881, V61,
	  "The certificate received from the remote server has either expired or "
	  "is not yet valid. The SSL connection request has failed. The attached "
	  "data contains the server certificate." },
	{ 36881, V10586,
	  "The certificate received from the remote server has either expired or "
	  "is not yet valid. The TLS connection request has failed. The attached "
	  "data contains the server certificate." },
	{ 36882, V61,
	  "The certificate received from the remote server was issued by an "
	  "untrusted certificate authority. Because of this, none of the data "
	  "contained in the certificate can be validated. The SSL connection "
	  "request has failed. The attached data contains the server certificate." },
	{ 36882, V10586,
	  "The certificate received from the remote server was issued by an "
	  "untrusted certificate authority. Because of this, none of the data "
	  "contained in the certificate can be validated. The TLS connection "
	  "request has failed. The attached data contains the server certificate." },
	{ 36883, V61,
	  "The certificate received from the remote server has been revoked. This "
	  "means that the certificate authority that issued the certificate has "
	  "invalidated it. The SSL connection request has failed. The attached "
	  "data contains the server certificate." },
	{ 36883, V10586,
	  "The certificate received from the remote server has been revoked. This "
	  "means that the certificate authority that issued the certificate has "
	  "invalidated it. The TLS connection request has failed. The attached "
	  "data contains the server certificate." },
	{ 36884, V61,
	  "The certificate received from the remote server does not contain the "
	  "expected name. It is therefore not possible to determine whether we are "
	  "connecting to the correct server. The server name we were expecting is "
	  "%1. The SSL connection request has failed. The attached data contains "
	  "the server certificate." },
	{ 36884, V10586,
	  "The certificate received from the remote server does not contain the "
	  "expected name. It is therefore not possible to determine whether we are "
	  "connecting to the correct server. The server name we were expecting is "
	  "%1. The TLS connection request has failed. The attached data contains "
	  "the server certificate." },
	{ 36885, V61,
	  "When asking for client authentication, this server sends a list of "
	  "trusted certificate authorities to the client. The client uses this "
	  "list to choose a client certificate that is trusted by the server. "
	  "Currently, this server trusts so many certificate authorities that the "
	  "list has grown too long. This list has thus been truncated. The "
	  "administrator of this machine should review the certificate authorities "
	  "trusted for client authentication and remove those that do not really "
	  "need to be trusted." },
	{ 36886, V61,
	  "No suitable default server credential exists on this system. This will "
	  "prevent server applications that expect to make use of the system "
	  "default credentials from accepting SSL connections. An example of such "
	  "an application is the directory server. Applications that manage their "
	  "own credentials, such as the internet information server, are not "
	  "affected by this." },
	{ 36887, V61,
	  "The following fatal alert was received: %1." },
	{ 36887, V63,
	  "A fatal alert was received from the remote endpoint. The TLS protocol "
	  "defined fatal alert code is %1." },
	{ 36888, V61,
	  "The following fatal alert was generated: %1. The internal error state "
	  "is %2." },
	{ 36888, V63,
	  "A fatal alert was generated and sent to the remote endpoint. This may "
	  "result in termination of the connection. The TLS protocol defined fatal "
	  "error code is %1. The Windows SChannel error state is %2." },
	{ 36888, V10586,
	  "A fatal alert was generated and sent to the remote endpoint. This may "
	  "result in termination of the connection. The TLS protocol defined fatal "
	  "error code is %1. The Windows SChannel error state is %2.%n%n   Target "
	  "name: %3" },
	{ 36888, V14393,
	  "A fatal alert was generated and sent to the remote endpoint. This may "
	  "result in termination of the connection. The TLS protocol defined fatal "
	  "alert code is %1.%n%n   Target name: %3%n%nThe TLS alert registry can "
	  "be found at "
	  "http://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-p"
	  "arameters-6" },
	{ 36889, V61,
	  "The SSL %1 specified certificate's chain is incomplete:%n%n   Failure "
	  "Status: %2%n%n This can cause trust validation failures or "
	  "interoperability problems. For more information see KB 954755%n The "
	  "attached data contains the certificate." },
	{ 36889, V10586,
	  "The TLS %1 specified certificate's chain is incomplete:%n%n   Failure "
	  "Status: %2%n%n This can cause trust validation failures or "
	  "interoperability problems. For more information see KB 954755%n The "
	  "attached data contains the certificate." },
	{ 36928, V19041,
	  "Could not retrieve an OCSP response.%n%n   The Failure Reason is: %1%n  "
	  "  The OCSP Url is: %2%n   The previous OCSP response contained the "
	  "following times:%n      ThisUpdate: %3%n      NextUpdate: %4%n%nThe "
	  "attached data contains the certificate." },
#undef V61
#undef V63
#undef V10586
#undef V14393
#undef V19041
};

bool td_evmsg_is_schannel(struct td_str provider)
{
	return td_str_ieq_cstr(provider, "Schannel") ||
	       td_str_ieq_cstr(provider, "Microsoft-Windows-Schannel-Events");
}

#define MAX_INSERTS 16

/* The inserts %1, %2, ...: the EventData values in order, without the
 * caller process fields newer builds add (they render as a sentence of
 * their own at the end). */
static size_t inserts_of(const struct td_event *ev, size_t first_data, struct td_str *ins)
{
	size_t n = 0;
	for (size_t i = first_data; i < ev->nfields && n < MAX_INSERTS; i++) {
		struct td_str name = ev->fields[i].name;
		if (td_str_eq_cstr(name, "CallerProcessId") ||
		    td_str_eq_cstr(name, "CallerProcessImageName"))
			continue;
		ins[n++] = ev->fields[i].value;
	}
	return n;
}

static bool has_field(const struct td_event *ev, const char *name)
{
	return td_event_field(ev, name).p != NULL;
}

/* The version an event's inserts point to. */
static enum td_winver guess(const struct td_event *ev, size_t inserts)
{
	switch (ev->event_id) {
	case 36888:
		return inserts >= 3 ? TD_WIN_14393 : TD_WIN_63;
	case 36880:
		return inserts >= 5 ? TD_WIN_19041 : TD_WIN_63;
	}
	return TD_WIN_19041;
}

static const char *pick(uint32_t id, enum td_winver ver)
{
	const char *best = NULL;
	for (size_t i = 0; i < sizeof(schannel) / sizeof(schannel[0]); i++)
		if (schannel[i].id == id && (schannel[i].from <= ver || !best))
			best = schannel[i].text;
	return best;
}

int td_evmsg_render(const struct td_event *ev, size_t first_data, enum td_winver ver,
		    struct td_arena *a, struct td_str *out)
{
	if (!ev->has_event_id || !td_evmsg_is_schannel(ev->provider))
		return TD_E_FORMAT;
	struct td_str ins[MAX_INSERTS];
	size_t inserts = inserts_of(ev, first_data, ins);
	const char *text = pick(ev->event_id, ver ? ver : guess(ev, inserts));
	if (!text)
		return TD_E_FORMAT;
	struct td_str image = td_event_field(ev, "CallerProcessImageName");
	struct td_str pid = td_event_field(ev, "CallerProcessId");
	size_t need = strlen(text) + 64 + image.len + pid.len;
	for (size_t k = 0; k < inserts; k++)
		need += ins[k].len;
	char *m = td_arena_alloc(a, need);
	if (!m)
		return TD_E_NOMEM;
	size_t len = 0;
	for (const char *p = text; *p; p++) {
		if (p[0] != '%' || !p[1]) {
			m[len++] = *p;
			continue;
		}
		if (p[1] == 'n') {
			m[len++] = '\n';
			p++;
			continue;
		}
		size_t k = 0, d = 1;
		while (td_is_digit(p[d]) && d < 3)
			k = k * 10 + (size_t)(p[d++] - '0');
		if (d == 1) {
			m[len++] = *p;
			continue;
		}
		/* Each %k occurs once per template, so need covers it. */
		struct td_str v = k >= 1 && k <= inserts ? ins[k - 1] : td_str_make("", 0);
		memcpy(m + len, v.p, v.len);
		len += v.len;
		p += d - 1;
	}
	if (image.len || has_field(ev, "CallerProcessId")) {
		int n = snprintf(m + len, need - len, " The SSPI client process is %.*s (PID: %.*s).",
				 td_str_pfmt(image), td_str_pfmt(pid));
		if (n > 0 && (size_t)n < need - len)
			len += (size_t)n;
	}
	m[len] = '\0';
	*out = td_str_make(m, len);
	return TD_OK;
}
