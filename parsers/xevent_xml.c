/* Event XML text into the event tree (xevent.h): libxml2's reader for
 * well-formed XML, a tolerant scanner for what Event Viewer copies and
 * hand-edited exports produce (collapse markers "- ", unescaped '&',
 * unclosed elements, truncated text). */
#include <libxml/xmlreader.h>
#include <string.h>

#include "encoding.h"
#include "xevent.h"

#define XML_MAX_DEPTH TD_XML_MAX_DEPTH

static struct td_str copy(struct td_arena *a, const xmlChar *z)
{
	return td_arena_strdup(a, td_str_cstr(z ? (const char *)z : ""));
}

/* libxml2's streaming reader: no network, no DTD loading, entities left
 * unexpanded (only the predefined ones and character references decode). */
static int strict_tree(struct td_str xml, struct td_arena *a, struct td_xnode *root)
{
	if (xml.len > INT32_MAX)
		return TD_E_LIMIT;
	xmlTextReaderPtr r = xmlReaderForMemory(xml.p, (int)xml.len, NULL, NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR |
							XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!r)
		return TD_E_NOMEM;
	struct td_xnode *cur = root;
	int depth = 0, rc = TD_OK, ret;
	while (rc == TD_OK && (ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			if (++depth > XML_MAX_DEPTH) {
				rc = TD_E_LIMIT;
				break;
			}
			struct td_xnode *el = td_x_new(a, TD_X_ELEMENT, cur);
			if (!el) {
				rc = TD_E_NOMEM;
				break;
			}
			el->name = copy(a, xmlTextReaderConstLocalName(r));
			bool empty = xmlTextReaderIsEmptyElement(r);
			while (rc == TD_OK && xmlTextReaderMoveToNextAttribute(r) == 1) {
				if (xmlTextReaderIsNamespaceDecl(r))
					continue;
				rc = td_x_add_attr(a, el, copy(a, xmlTextReaderConstLocalName(r)),
						   copy(a, xmlTextReaderConstValue(r)));
			}
			if (empty)
				depth--;
			else
				cur = el;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			depth--;
			if (cur->parent)
				cur = cur->parent;
		} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
			   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
			rc = td_x_add_text(a, cur, copy(a, xmlTextReaderConstValue(r)));
		}
	}
	if (rc == TD_OK && ret != 0)
		rc = TD_E_FORMAT;
	xmlFreeTextReader(r);
	return rc;
}

/* --- the tolerant scanner ------------------------------------------------ */

/* Decodes the predefined entities and character references; anything else
 * (a bare '&') stays as written. */
static struct td_str unescape(struct td_arena *a, struct td_str s)
{
	if (td_str_find_char(s, '&') < 0)
		return td_arena_strdup(a, s);
	char *out = td_arena_alloc(a, s.len + 1);
	if (!out)
		return td_str_make(NULL, 0);
	size_t n = 0;
	static const struct {
		const char *name;
		char c;
	} ents[] = { { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' },
		     { "apos;", '\'' } };
	for (size_t i = 0; i < s.len;) {
		if (s.p[i] != '&') {
			out[n++] = s.p[i++];
			continue;
		}
		struct td_str rest = td_str_slice(s, i + 1, s.len);
		bool done = false;
		for (size_t k = 0; k < sizeof(ents) / sizeof(ents[0]) && !done; k++)
			if (td_str_starts_with(rest, ents[k].name)) {
				out[n++] = ents[k].c;
				i += 1 + strlen(ents[k].name);
				done = true;
			}
		if (!done && rest.len > 1 && rest.p[0] == '#') {
			bool hex = rest.p[1] == 'x' || rest.p[1] == 'X';
			uint64_t cp = 0;
			struct td_str digits = td_str_slice(rest, hex ? 2 : 1, rest.len);
			size_t d = hex ? td_str_parse_hex(digits, 6, &cp) : td_str_parse_udec(digits, 7, &cp);
			size_t used = (hex ? 2 : 1) + d;
			if (d && used < rest.len && rest.p[used] == ';' && cp && cp <= 0x10ffff) {
				char u[4];
				size_t w = td_utf8_put(u, (uint32_t)cp);
				if (w <= used + 2) { /* never longer than what it replaces */
					memcpy(out + n, u, w);
					n += w;
					i += 1 + used + 1;
					done = true;
				}
			}
		}
		if (!done)
			out[n++] = s.p[i++];
	}
	out[n] = '\0';
	return td_str_make(out, n);
}

static bool name_char(char c)
{
	return td_is_alnum((unsigned char)c) || c == '_' || c == ':' || c == '-' || c == '.' ||
	       (unsigned char)c >= 0x80;
}

static struct td_str local(struct td_str name)
{
	ptrdiff_t colon = td_str_find_char(name, ':');
	return colon < 0 ? name : td_str_slice(name, (size_t)colon + 1, name.len);
}

/* Text between tags, unless it is only layout or collapse markers. */
static int text_node(struct td_arena *a, struct td_xnode *cur, struct td_str t)
{
	struct td_str trimmed = td_str_trim(t);
	if (!trimmed.len || td_str_eq_cstr(trimmed, "-") || td_str_eq_cstr(trimmed, "+"))
		return TD_OK;
	/* "- " markers before a tag on the next line of mixed text */
	struct td_str v = unescape(a, t);
	return v.p ? td_x_add_text(a, cur, v) : TD_E_NOMEM;
}

static int tolerant_tree(struct td_str s, struct td_arena *a, struct td_xnode *root)
{
	struct td_xnode *cur = root;
	int depth = 0;
	size_t i = 0;
	while (i < s.len) {
		ptrdiff_t lt = td_str_find_char(td_str_slice(s, i, s.len), '<');
		size_t tag = lt < 0 ? s.len : i + (size_t)lt;
		if (tag > i) {
			int rc = text_node(a, cur, td_str_slice(s, i, tag));
			if (rc)
				return rc;
		}
		if (tag >= s.len)
			break;
		struct td_str rest = td_str_slice(s, tag, s.len);
		const char *close = NULL;
		size_t skip = 0;
		if (td_str_starts_with(rest, "<!--"))
			close = "-->", skip = 4;
		else if (td_str_starts_with(rest, "<![CDATA["))
			close = "]]>", skip = 9;
		else if (td_str_starts_with(rest, "<?") || td_str_starts_with(rest, "<!"))
			close = ">", skip = 2;
		if (close) {
			ptrdiff_t end = td_str_find(td_str_slice(rest, skip, rest.len), td_str_cstr(close));
			size_t body_end = end < 0 ? rest.len : skip + (size_t)end;
			if (skip == 9) {
				int rc = td_x_add_text(a, cur,
						       td_arena_strdup(a, td_str_slice(rest, 9, body_end)));
				if (rc)
					return rc;
			}
			i = tag + (end < 0 ? rest.len : body_end + strlen(close));
			continue;
		}
		size_t j = 1;
		bool end_tag = j < rest.len && rest.p[j] == '/';
		j += end_tag;
		size_t name_start = j;
		while (j < rest.len && name_char(rest.p[j]))
			j++;
		struct td_str name = td_str_slice(rest, name_start, j);
		if (!name.len) { /* a lone '<' in text */
			int rc = td_x_add_text(a, cur, TD_STR_LIT("<"));
			if (rc)
				return rc;
			i = tag + 1;
			continue;
		}
		if (end_tag) {
			/* Close the nearest open element of that name, if any. */
			for (struct td_xnode *k = cur; k && k->parent; k = k->parent)
				if (td_str_eq(k->name, local(name))) {
					cur = k->parent;
					depth = 0;
					for (struct td_xnode *d = cur; d->parent; d = d->parent)
						depth++;
					break;
				}
			ptrdiff_t gt = td_str_find_char(td_str_slice(rest, j, rest.len), '>');
			i = tag + (gt < 0 ? rest.len : j + (size_t)gt + 1);
			continue;
		}
		if (depth >= XML_MAX_DEPTH)
			return TD_E_LIMIT;
		struct td_xnode *el = td_x_new(a, TD_X_ELEMENT, cur);
		if (!el)
			return TD_E_NOMEM;
		el->name = td_arena_strdup(a, local(name));
		bool empty = false;
		/* Attributes: name="v", name='v' or name=v, up to '>' or '/>'. */
		while (j < rest.len) {
			while (j < rest.len && (rest.p[j] == ' ' || rest.p[j] == '\t' ||
						rest.p[j] == '\r' || rest.p[j] == '\n'))
				j++;
			if (j >= rest.len)
				break;
			if (rest.p[j] == '>') {
				j++;
				break;
			}
			if (rest.p[j] == '/' && j + 1 < rest.len && rest.p[j + 1] == '>') {
				empty = true;
				j += 2;
				break;
			}
			size_t an = j;
			while (j < rest.len && name_char(rest.p[j]))
				j++;
			if (j == an) {
				j++; /* stray character */
				continue;
			}
			struct td_str aname = td_str_slice(rest, an, j);
			struct td_str aval = td_str_make("", 0);
			if (j < rest.len && rest.p[j] == '=') {
				j++;
				char q = j < rest.len ? rest.p[j] : 0;
				size_t vs = j + (q == '"' || q == '\'');
				size_t ve = vs;
				if (q == '"' || q == '\'') {
					while (ve < rest.len && rest.p[ve] != q)
						ve++;
					j = ve < rest.len ? ve + 1 : ve;
				} else {
					while (ve < rest.len && rest.p[ve] != ' ' && rest.p[ve] != '>' &&
					       rest.p[ve] != '/')
						ve++;
					j = ve;
				}
				aval = unescape(a, td_str_slice(rest, vs, ve));
			}
			if (td_str_eq_cstr(aname, "xmlns") || td_str_starts_with(aname, "xmlns:"))
				continue;
			int rc = td_x_add_attr(a, el, td_arena_strdup(a, local(aname)), aval);
			if (rc)
				return rc;
		}
		if (!empty) {
			cur = el;
			depth++;
		}
		i = tag + j;
	}
	return TD_OK;
}

int td_xevent_parse_xml(struct td_str xml, struct td_arena *a, struct td_xnode **root,
			bool *tolerant)
{
	*root = td_x_new(a, TD_X_ELEMENT, NULL);
	if (!*root)
		return TD_E_NOMEM;
	*tolerant = false;
	int rc = strict_tree(xml, a, *root);
	if (rc == TD_OK)
		return TD_OK;
	if (rc == TD_E_NOMEM)
		return rc;
	/* Not well-formed: start again with the tolerant scanner. */
	*root = td_x_new(a, TD_X_ELEMENT, NULL);
	if (!*root)
		return TD_E_NOMEM;
	*tolerant = true;
	return tolerant_tree(xml, a, *root);
}
