/* Streaming JSON writer (see json.h). */
#include "json.h"

#include "encoding.h"

void td_json_init(struct td_json *j, FILE *f, bool pretty)
{
	*j = (struct td_json){ .f = f, .pretty = pretty };
}

static void indent(struct td_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Comma and indentation before a value or key at the current level. */
static void before_item(struct td_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			fputc(',', j->f);
		j->need_comma[j->depth] = true;
		indent(j);
	}
}

static void open(struct td_json *j, char c)
{
	before_item(j);
	fputc(c, j->f);
	if (j->depth + 1 < TD_JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close(struct td_json *j, char c)
{
	bool had = j->need_comma[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (had)
		indent(j);
	fputc(c, j->f);
}

void td_json_object_begin(struct td_json *j)
{
	open(j, '{');
}

void td_json_object_end(struct td_json *j)
{
	close(j, '}');
}

void td_json_array_begin(struct td_json *j)
{
	open(j, '[');
}

void td_json_array_end(struct td_json *j)
{
	close(j, ']');
}

void td_json_escape(FILE *f, struct td_str s)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	while (i < s.len) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			size_t k = i;
			while (k < s.len && (unsigned char)s.p[k] >= 0x20 && (unsigned char)s.p[k] < 0x80 &&
			       s.p[k] != '"' && s.p[k] != '\\')
				k++;
			fwrite(s.p + i, 1, k - i, f);
			i = k;
			continue;
		}
		if (c < 0x80) {
			switch (c) {
			case '"': fputs("\\\"", f); break;
			case '\\': fputs("\\\\", f); break;
			case '\n': fputs("\\n", f); break;
			case '\r': fputs("\\r", f); break;
			case '\t': fputs("\\t", f); break;
			default:
				fputs("\\u00", f);
				fputc(hex[c >> 4], f);
				fputc(hex[c & 15], f);
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = td_utf8_next(td_str_slice(s, i, s.len), &cp);
		if (cp == 0xFFFD && n == 1)
			fputs("\xEF\xBF\xBD", f);
		else
			fwrite(s.p + i, 1, n, f);
		i += n;
	}
}

void td_json_key(struct td_json *j, const char *key)
{
	before_item(j);
	fputc('"', j->f);
	td_json_escape(j->f, td_str_cstr(key));
	fputs(j->pretty ? "\": " : "\":", j->f);
	j->after_key = true;
}

void td_json_str(struct td_json *j, struct td_str s)
{
	before_item(j);
	fputc('"', j->f);
	td_json_escape(j->f, s);
	fputc('"', j->f);
}

void td_json_cstr(struct td_json *j, const char *z)
{
	if (!z)
		td_json_null(j);
	else
		td_json_str(j, td_str_cstr(z));
}

void td_json_u64(struct td_json *j, uint64_t v)
{
	before_item(j);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void td_json_i64(struct td_json *j, int64_t v)
{
	before_item(j);
	fprintf(j->f, "%lld", (long long)v);
}

void td_json_bool(struct td_json *j, bool v)
{
	before_item(j);
	fputs(v ? "true" : "false", j->f);
}

void td_json_null(struct td_json *j)
{
	before_item(j);
	fputs("null", j->f);
}

void td_json_newline(struct td_json *j)
{
	fputc('\n', j->f);
	if (ferror(j->f))
		j->err = 1;
}

bool td_json_error(const struct td_json *j)
{
	return j->err || ferror(j->f);
}
