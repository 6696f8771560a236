/* A small streaming JSON writer: the one place that escapes strings.
 *
 * Strings are written as valid JSON whatever their bytes: invalid UTF-8
 * becomes U+FFFD, control characters are escaped.  Commas and nesting are
 * tracked by the writer; callers just say key/value.  Write errors are
 * sticky (see td_json_error()).
 */
#ifndef TD_JSON_H
#define TD_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "str.h"

#define TD_JSON_MAX_DEPTH 32

struct td_json {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma[TD_JSON_MAX_DEPTH];
	bool after_key;
	int err;
};

void td_json_init(struct td_json *j, FILE *f, bool pretty);
void td_json_object_begin(struct td_json *j);
void td_json_object_end(struct td_json *j);
void td_json_array_begin(struct td_json *j);
void td_json_array_end(struct td_json *j);
void td_json_key(struct td_json *j, const char *key);
void td_json_str(struct td_json *j, struct td_str s);
void td_json_cstr(struct td_json *j, const char *z); /* NULL writes null */
void td_json_u64(struct td_json *j, uint64_t v);
void td_json_i64(struct td_json *j, int64_t v);
void td_json_bool(struct td_json *j, bool v);
void td_json_null(struct td_json *j);
/* Ends a top-level value with a newline (NDJSON record or document). */
void td_json_newline(struct td_json *j);
/* Writes s as the body of a JSON string (no quotes) to f. */
void td_json_escape(FILE *f, struct td_str s);
bool td_json_error(const struct td_json *j);

#endif
