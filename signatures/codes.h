/* Error codes in every written form.
 *
 * Windows error codes reach logs as decimal (10054), hex (0x2746), HRESULT
 * wrapping a Win32 code (0x80072746, 80072746), or a signed decimal HRESULT
 * (-2147012794; -2146893007 == 0x80090331).  td_code_forms() lists the
 * spellings tlsdiag searches for one code, td_code_in_text() says whether a
 * text contains any of them as a whole token.
 */
#ifndef TD_CODES_H
#define TD_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h"

#define TD_CODE_FORM_MAX 24
#define TD_CODE_FORMS_MAX 10

enum td_code_form_kind {
	TD_FORM_DEC,      /* unsigned decimal token */
	TD_FORM_SIGNED,   /* "-" + decimal, the sign included in the form */
	TD_FORM_HEX0X,    /* "0x" + hex digits */
	TD_FORM_HEX8,     /* 8 hex digits, bare or after "0x" */
};

struct td_code_form {
	enum td_code_form_kind kind;
	char text[TD_CODE_FORM_MAX];
	size_t len;
};

/* Fills forms[] with the spellings of code (at most TD_CODE_FORMS_MAX);
 * returns how many.  A Win32 code c (<= 0xFFFF) also yields the forms of
 * its HRESULT 0x8007xxxx, and an HRESULT 0x8007xxxx the forms of c. */
size_t td_code_forms(uint32_t code, struct td_code_form *forms);
/* Whether text contains code in one of its forms, delimited as a token. */
bool td_code_in_text(uint32_t code, struct td_str text);
/* Parses one code token at the start of s ("0x80090331", "80090331" with
 * exactly 8 hex digits, "-2146893007", "10054"); returns bytes used or 0. */
size_t td_code_parse(struct td_str s, uint32_t *code);

#endif
