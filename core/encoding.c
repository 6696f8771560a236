/* Encoding detection and conversion to UTF-8 (see encoding.h). */
#include "encoding.h"

#include <string.h>

#if defined(__x86_64__) || defined(__SSE2__)
#include <emmintrin.h>
#define TD_HAVE_SSE2 1
#endif

const char *td_encoding_name(enum td_encoding e)
{
	switch (e) {
	case TD_ENC_UTF8: return "utf-8";
	case TD_ENC_UTF8_BOM: return "utf-8-bom";
	case TD_ENC_UTF16LE_BOM: return "utf-16le-bom";
	case TD_ENC_UTF16LE: return "utf-16le";
	case TD_ENC_UTF16BE_BOM: return "utf-16be-bom";
	case TD_ENC_UTF16BE: return "utf-16be";
	case TD_ENC_CP1252: return "windows-1252";
	case TD_ENC_BINARY: return "binary";
	}
	return "unknown";
}

bool td_encoding_needs_decode(enum td_encoding e)
{
	return e != TD_ENC_UTF8 && e != TD_ENC_UTF8_BOM && e != TD_ENC_BINARY;
}

size_t td_utf8_next(struct td_str s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s.p;
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (s.len < n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return n;
}

size_t td_utf8_put(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xFFFD;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return td_utf8_put(out, 0xFFFD);
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

bool td_utf8_valid(struct td_str s)
{
	size_t i = 0;
	while (i < s.len) {
		if ((unsigned char)s.p[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = td_utf8_next(td_str_slice(s, i, s.len), &cp);
		if (cp == 0xFFFD && n == 1)
			return false;
		i += n;
	}
	return true;
}

/* Like td_utf8_valid, but a sequence cut by the end of s counts as valid. */
static bool utf8_valid_head(struct td_bytes b)
{
	struct td_str s = td_str_make((const char *)b.p, b.len);
	size_t i = 0;
	while (i < s.len) {
		unsigned char c = (unsigned char)s.p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = td_utf8_next(td_str_slice(s, i, s.len), &cp);
		if (cp == 0xFFFD && n == 1) {
			size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			return c >= 0xC2 && c <= 0xF4 && s.len - i < want;
		}
		i += n;
	}
	return true;
}

enum td_encoding td_encoding_sniff(struct td_bytes head, size_t *bom_len)
{
	*bom_len = 0;
	if (td_bytes_has_prefix(head, "\xEF\xBB\xBF", 3)) {
		*bom_len = 3;
		return TD_ENC_UTF8_BOM;
	}
	if (td_bytes_has_prefix(head, "\xFF\xFE", 2)) {
		*bom_len = 2;
		return TD_ENC_UTF16LE_BOM;
	}
	if (td_bytes_has_prefix(head, "\xFE\xFF", 2)) {
		*bom_len = 2;
		return TD_ENC_UTF16BE_BOM;
	}
	size_t n = head.len < TD_SNIFF_BYTES ? head.len : TD_SNIFF_BYTES;
	size_t zero_even = 0, zero_odd = 0, ctrl = 0, high = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = head.p[i];
		if (c == 0) {
			if (i & 1)
				zero_odd++;
			else
				zero_even++;
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
			   c != 0x1b) {
			ctrl++;
		} else if (c >= 0x80) {
			high++;
		}
	}
	size_t pairs = n / 2;
	/* Mostly-ASCII UTF-16 text has a NUL in nearly every code unit. */
	if (pairs >= 1 && zero_odd * 10 >= pairs * 3 && zero_even * 10 < pairs)
		return TD_ENC_UTF16LE;
	if (pairs >= 1 && zero_even * 10 >= pairs * 3 && zero_odd * 10 < pairs)
		return TD_ENC_UTF16BE;
	if (zero_even + zero_odd > 0 || (n && ctrl * 20 > n))
		return TD_ENC_BINARY;
	if (high && !utf8_valid_head(td_bytes_make(head.p, n)))
		return TD_ENC_CP1252;
	return TD_ENC_UTF8;
}

/* Windows-1252 bytes 0x80..0x9F; the five undefined bytes map to the C1
 * control of the same value, as Windows' own conversion does. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static void decode_utf16(bool be, struct td_bytes in, bool final, char *out, size_t outcap,
			 size_t *in_used, size_t *out_used)
{
	const uint8_t *p = in.p;
	size_t i = 0, o = 0, len = in.len;
	while (i < len) {
#ifdef TD_HAVE_SSE2
		/* Fast path: sixteen ASCII code units at a time, packed to bytes. */
		while (!be && len - i >= 32 && outcap - o >= 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
			/* Any unit of 0x80 and more sets a bit outside the low 7. */
			__m128i high = _mm_and_si128(_mm_or_si128(a, b),
						     _mm_set1_epi16((short)0xFF80));
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(high, _mm_setzero_si128())) != 0xFFFF)
				break;
			_mm_storeu_si128((__m128i *)(void *)(out + o), _mm_packus_epi16(a, b));
			o += 16;
			i += 32;
		}
#endif
		/* Four ASCII code units at a time. */
		while (!be && len - i >= 8 && outcap - o >= 8) {
			uint64_t v;
			memcpy(&v, p + i, 8);
			if (v & UINT64_C(0xFF80FF80FF80FF80))
				break;
			out[o] = (char)p[i];
			out[o + 1] = (char)p[i + 2];
			out[o + 2] = (char)p[i + 4];
			out[o + 3] = (char)p[i + 6];
			o += 4;
			i += 8;
		}
		if (i >= len || outcap - o < 4)
			break;
		if (len - i < 2) {
			if (!final)
				break;
			o += td_utf8_put(out + o, 0xFFFD);
			i = len;
			break;
		}
		uint32_t u = be ? (uint32_t)(p[i] << 8 | p[i + 1]) : (uint32_t)(p[i] | p[i + 1] << 8);
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (len - i < 4) {
				if (!final)
					break;
				o += td_utf8_put(out + o, 0xFFFD);
				i += 2;
				continue;
			}
			uint32_t lo = be ? (uint32_t)(p[i + 2] << 8 | p[i + 3])
					 : (uint32_t)(p[i + 2] | p[i + 3] << 8);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				uint32_t cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				o += td_utf8_put(out + o, cp);
				i += 4;
				continue;
			}
			o += td_utf8_put(out + o, 0xFFFD);
			i += 2;
			continue;
		}
		o += td_utf8_put(out + o, u);
		i += 2;
	}
	*in_used = i;
	*out_used = o;
}

static void decode_cp1252(struct td_bytes in, char *out, size_t outcap, size_t *in_used,
			  size_t *out_used)
{
	size_t i = 0, o = 0;
	while (i < in.len && outcap - o >= 4) {
		unsigned char c = in.p[i++];
		uint32_t cp = c < 0x80 ? c : c < 0xA0 ? cp1252_high[c - 0x80] : c;
		o += td_utf8_put(out + o, cp);
	}
	*in_used = i;
	*out_used = o;
}

void td_decode(enum td_encoding e, struct td_bytes in, bool final, char *out, size_t outcap,
	       size_t *in_used, size_t *out_used)
{
	switch (e) {
	case TD_ENC_UTF16LE:
	case TD_ENC_UTF16LE_BOM:
		decode_utf16(false, in, final, out, outcap, in_used, out_used);
		return;
	case TD_ENC_UTF16BE:
	case TD_ENC_UTF16BE_BOM:
		decode_utf16(true, in, final, out, outcap, in_used, out_used);
		return;
	case TD_ENC_CP1252:
		decode_cp1252(in, out, outcap, in_used, out_used);
		return;
	default: {
		size_t n = in.len < outcap ? in.len : outcap;
		memcpy(out, in.p, n);
		*in_used = n;
		*out_used = n;
		return;
	}
	}
}

uint64_t td_encoding_orig_span(enum td_encoding e, struct td_str s)
{
	if (!td_encoding_needs_decode(e))
		return s.len;
	/* Characters = bytes that are not continuation bytes (10xxxxxx);
	 * 4-byte sequences (lead byte >= 0xF0) were surrogate pairs. */
	uint64_t chars = 0, astral = 0;
	const unsigned char *p = (const unsigned char *)s.p;
	size_t i = 0;
#ifdef TD_HAVE_SSE2
	const __m128i top = _mm_set1_epi8((char)0xC0), cont = _mm_set1_epi8((char)0x80);
	const __m128i f0 = _mm_set1_epi8((char)0xF0);
	for (; i + 16 <= s.len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		unsigned high = (unsigned)_mm_movemask_epi8(v);
		if (!high) {
			chars += 16; /* all ASCII */
			continue;
		}
		unsigned c = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, top), cont));
		unsigned a = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, f0), v));
		chars += 16 - (uint64_t)__builtin_popcount(c);
		astral += (uint64_t)__builtin_popcount(a);
	}
#endif
	for (; i < s.len; i++) {
		chars += (p[i] & 0xC0) != 0x80;
		astral += p[i] >= 0xF0;
	}
	if (e == TD_ENC_CP1252)
		return chars;
	return 2 * (chars + astral);
}
