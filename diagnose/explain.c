/* Explaining the numbers in an event (explain.h). */
#include "explain.h"

#include <string.h>

struct found {
	const struct td_explain **out;
	size_t n, max;
};

static void add(struct found *f, const struct td_explain *x)
{
	if (!x || f->n == f->max)
		return;
	for (size_t i = 0; i < f->n; i++)
		if (f->out[i] == x)
			return;
	f->out[f->n++] = x;
}

/* A number written in decimal, 0x-hex or signed 32-bit decimal. */
static bool number(struct td_str s, uint32_t *v)
{
	s = td_str_trim(s);
	uint64_t x = 0;
	bool neg = s.len && s.p[0] == '-';
	if (neg)
		s = td_str_slice(s, 1, s.len);
	if (s.len > 2 && s.p[0] == '0' && (s.p[1] == 'x' || s.p[1] == 'X')) {
		s = td_str_slice(s, 2, s.len);
		if (!s.len || s.len > 16 || td_str_parse_hex(s, 16, &x) != s.len || neg)
			return false;
		*v = (uint32_t)x;
		return x <= UINT32_MAX;
	}
	if (!s.len || td_str_parse_udec(s, 10, &x) != s.len)
		return false;
	if (neg) {
		if (x > 2147483648u)
			return false;
		*v = (uint32_t)(0u - (uint32_t)x);
		return true;
	}
	if (x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* Hex digits without a prefix (or with 0x), as IIS writes crypt-protocol. */
static bool hex(struct td_str s, uint32_t *v)
{
	s = td_str_trim(s);
	if (s.len > 2 && s.p[0] == '0' && (s.p[1] == 'x' || s.p[1] == 'X'))
		s = td_str_slice(s, 2, s.len);
	uint64_t x;
	if (!s.len || s.len > 8 || td_str_parse_hex(s, 8, &x) != s.len)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* A status code; HRESULTs wrapping a WinHTTP error explain that error. */
static void status(struct found *f, const struct td_sigdb *db, uint32_t code)
{
	const struct td_explain *x = td_sigdb_explain(db, TD_EXPLAIN_STATUS, code);
	if (!x && (code & 0xffff0000u) == 0x80070000u)
		x = td_sigdb_explain(db, TD_EXPLAIN_WINHTTP, code & 0xffffu);
	add(f, x);
}

static void flags(struct found *f, const struct td_sigdb *db, enum td_explain_kind kind,
		  uint32_t v)
{
	for (int bit = 31; bit >= 0; bit--)
		if (v >> bit & 1)
			add(f, td_sigdb_explain(db, kind, (uint32_t)1 << bit));
}

static const char *const status_fields[] = {
	"ErrorCode", "FailureStatus", "FailureReason", "Status", "HResult", "hresult", "Error",
};

static void from_fields(struct found *f, const struct td_sigdb *db, const struct td_event *ev)
{
	uint32_t v;
	if (number(td_event_field(ev, "AlertDesc"), &v))
		add(f, td_sigdb_explain(db, TD_EXPLAIN_ALERT, v));
	if (number(td_event_field(ev, "ErrorState"), &v) ||
	    number(td_event_field(ev, "ErrorStatus"), &v))
		add(f, td_sigdb_explain(db, TD_EXPLAIN_STATE, v));
	if (number(td_event_field(ev, "CipherSuite"), &v))
		add(f, td_sigdb_explain(db, TD_EXPLAIN_CIPHER_SUITE, v));
	if (number(td_event_field(ev, "Protocol"), &v))
		flags(f, db, TD_EXPLAIN_PROTOCOL, v);
	/* IIS W3C crypt-protocol: the SP_PROT server bit in hex without 0x. */
	if (hex(td_event_field(ev, "crypt-protocol"), &v))
		flags(f, db, TD_EXPLAIN_PROTOCOL, v);
	/* A registry protocol mask (WinHTTP DefaultSecureProtocols). */
	if (td_event_field(ev, "protocols").p && number(td_event_field(ev, "data"), &v))
		flags(f, db, TD_EXPLAIN_PROTOCOL, v);
	for (size_t i = 0; i < sizeof(status_fields) / sizeof(status_fields[0]); i++)
		if (number(td_event_field(ev, status_fields[i]), &v) && v > 255)
			status(f, db, v);
}

/* The decimal number right after the first occurrence of phrase. */
static bool number_after(struct td_str msg, const char *phrase, uint32_t *v)
{
	ptrdiff_t at = td_str_ifind(msg, td_str_cstr(phrase));
	if (at < 0)
		return false;
	struct td_str rest = td_str_slice(msg, (size_t)at + strlen(phrase), msg.len);
	while (rest.len && (rest.p[0] == ' ' || rest.p[0] == ':'))
		rest = td_str_slice(rest, 1, rest.len);
	uint64_t x;
	size_t n = td_str_parse_udec(rest, 5, &x);
	if (!n)
		return false;
	*v = (uint32_t)x;
	return true;
}

static void from_text(struct found *f, const struct td_sigdb *db, struct td_str msg)
{
	uint32_t v;
	static const char *const alerts[] = { "fatal alert code is", "fatal error code is",
					      "fatal alert was received", "fatal alert was generated" };
	for (size_t i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (number_after(msg, alerts[i], &v))
			add(f, td_sigdb_explain(db, TD_EXPLAIN_ALERT, v));
	if (number_after(msg, "error state is", &v))
		add(f, td_sigdb_explain(db, TD_EXPLAIN_STATE, v));
	/* Hex codes of 8 digits and signed decimals of 10. */
	for (size_t i = 0; i + 10 <= msg.len && f->n < f->max; i++) {
		const char *p = msg.p + i;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && (i == 0 || !td_is_alnum(p[-1]))) {
			uint64_t x;
			struct td_str hex = td_str_slice(msg, i + 2, msg.len);
			size_t n = td_str_parse_hex(hex, 9, &x);
			if (n != 8)
				continue;
			bool flagword = i >= 24 && td_str_ifind(td_str_slice(msg, i - 24, i),
								 TD_STR_LIT("StatusInformation is")) >= 0;
			if (flagword)
				flags(f, db, TD_EXPLAIN_SECURE_FAILURE, (uint32_t)x);
			else
				status(f, db, (uint32_t)x);
			i += 9;
		} else if (p[0] == '-' && p[1] == '2' && (i == 0 || !td_is_alnum(p[-1]))) {
			uint64_t x;
			size_t n = td_str_parse_udec(td_str_slice(msg, i + 1, msg.len), 11, &x);
			if (n == 10 && x <= 2147483648u) {
				status(f, db, (uint32_t)(0u - (uint32_t)x));
				i += n;
			}
		}
	}
}

size_t td_explain_event(const struct td_sigdb *db, const struct td_event *ev,
			const struct td_explain **out, size_t max)
{
	struct found f = { out, 0, max };
	if (!db->nexplains)
		return 0;
	from_fields(&f, db, ev);
	from_text(&f, db, ev->message);
	return f.n;
}
