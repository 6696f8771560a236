/* Spellings of error codes (see codes.h). */
#include "codes.h"

#include <stdio.h>

static void add(struct td_code_form *f, size_t *n, enum td_code_form_kind k, const char *text)
{
	size_t len = strlen(text);
	if (*n >= TD_CODE_FORMS_MAX || len == 0 || len >= TD_CODE_FORM_MAX)
		return;
	for (size_t i = 0; i < *n; i++)
		if (f[i].kind == k && strcmp(f[i].text, text) == 0)
			return;
	memcpy(f[*n].text, text, len + 1);
	f[*n].kind = k;
	f[*n].len = len;
	(*n)++;
}

static void add_win32(struct td_code_form *f, size_t *n, uint32_t c)
{
	char t[TD_CODE_FORM_MAX];
	snprintf(t, sizeof(t), "%u", c);
	add(f, n, TD_FORM_DEC, t);
	snprintf(t, sizeof(t), "0x%x", c);
	add(f, n, TD_FORM_HEX0X, t);
	snprintf(t, sizeof(t), "%08x", c);
	add(f, n, TD_FORM_HEX8, t);
}

static void add_hresult(struct td_code_form *f, size_t *n, uint32_t h)
{
	char t[TD_CODE_FORM_MAX];
	snprintf(t, sizeof(t), "%08x", h);
	add(f, n, TD_FORM_HEX8, t);
	snprintf(t, sizeof(t), "%d", (int32_t)h);
	add(f, n, TD_FORM_SIGNED, t);
	snprintf(t, sizeof(t), "%u", h);
	add(f, n, TD_FORM_DEC, t);
}

size_t td_code_forms(uint32_t code, struct td_code_form *forms)
{
	size_t n = 0;
	if (code <= 0xFFFF) {
		add_win32(forms, &n, code);
		add_hresult(forms, &n, 0x80070000u | code);
	} else {
		add_hresult(forms, &n, code);
		if ((code & 0xFFFF0000u) == 0x80070000u)
			add_win32(forms, &n, code & 0xFFFF);
	}
	return n;
}

static bool is_alnum_at(struct td_str s, size_t i)
{
	return i < s.len && td_is_alnum((unsigned char)s.p[i]);
}

/* Whether the occurrence of form f at s[at] stands as a token. */
static bool delimited(const struct td_code_form *f, struct td_str s, size_t at)
{
	size_t end = at + f->len;
	bool before_ok = at == 0 || !td_is_alnum((unsigned char)s.p[at - 1]);
	switch (f->kind) {
	case TD_FORM_HEX8:
		/* Bare, or the digits of "0x........". */
		if (!before_ok && !(at >= 2 && (s.p[at - 1] == 'x' || s.p[at - 1] == 'X') &&
				    s.p[at - 2] == '0' &&
				    (at == 2 || !td_is_alnum((unsigned char)s.p[at - 3]))))
			return false;
		return !(end < s.len && td_is_xdigit((unsigned char)s.p[end]));
	case TD_FORM_HEX0X:
		return before_ok && !(end < s.len && td_is_xdigit((unsigned char)s.p[end]));
	case TD_FORM_SIGNED:
		return (at == 0 || !td_is_digit((unsigned char)s.p[at - 1])) &&
		       !(end < s.len && td_is_digit((unsigned char)s.p[end]));
	case TD_FORM_DEC:
		if (at > 0 && (s.p[at - 1] == '-' || s.p[at - 1] == '.'))
			return false;
		return before_ok && !is_alnum_at(s, end) &&
		       !(end + 1 < s.len && s.p[end] == '.' && td_is_digit((unsigned char)s.p[end + 1]));
	}
	return false;
}

bool td_code_in_text(uint32_t code, struct td_str text)
{
	struct td_code_form forms[TD_CODE_FORMS_MAX];
	size_t n = td_code_forms(code, forms);
	for (size_t i = 0; i < n; i++) {
		struct td_str needle = td_str_make(forms[i].text, forms[i].len);
		size_t from = 0;
		for (;;) {
			ptrdiff_t hit = td_str_ifind(td_str_slice(text, from, text.len), needle);
			if (hit < 0)
				break;
			size_t at = from + (size_t)hit;
			if (delimited(&forms[i], text, at))
				return true;
			from = at + 1;
		}
	}
	return false;
}

size_t td_code_parse(struct td_str s, uint32_t *code)
{
	uint64_t v;
	size_t n;
	if (s.len >= 3 && s.p[0] == '0' && (s.p[1] == 'x' || s.p[1] == 'X')) {
		n = td_str_parse_hex(td_str_slice(s, 2, s.len), 9, &v);
		if (n == 0 || n > 8)
			return 0;
		*code = (uint32_t)v;
		return n + 2;
	}
	if (s.len >= 2 && s.p[0] == '-') {
		n = td_str_parse_udec(td_str_slice(s, 1, s.len), 11, &v);
		if (n == 0 || v > 2147483648u)
			return 0;
		*code = (uint32_t)(-(int64_t)v);
		return n + 1;
	}
	n = td_str_parse_hex(s, 9, &v);
	if (n == 8 && !(s.len > 8 && td_is_alnum((unsigned char)s.p[8]))) {
		/* Eight hex digits with at least one letter or a leading 8: an
		 * HRESULT written bare. */
		bool letter = false;
		for (size_t i = 0; i < 8; i++)
			letter |= !td_is_digit((unsigned char)s.p[i]);
		if (letter || s.p[0] == '8') {
			*code = (uint32_t)v;
			return 8;
		}
	}
	n = td_str_parse_udec(s, 10, &v);
	if (n == 0 || v > UINT32_MAX)
		return 0;
	*code = (uint32_t)v;
	return n;
}
