/* Newline counting (see lines.h). */
#include "lines.h"

#if defined(__x86_64__) || defined(__SSE2__)
#include <emmintrin.h>
#define TD_HAVE_SSE2 1
#endif

size_t td_count_newlines(struct td_str s)
{
	size_t n = 0, i = 0;
#ifdef TD_HAVE_SSE2
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (s.len - i >= 16) {
		/* Per-byte counters (cmpeq gives -1), summed before they overflow. */
		__m128i acc = zero;
		size_t blocks = (s.len - i) / 16;
		if (blocks > 255)
			blocks = 255;
		for (size_t b = 0; b < blocks; b++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s.p + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
		}
		__m128i sum = _mm_sad_epu8(acc, zero);
		n += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
	}
#endif
	for (; i < s.len; i++)
		n += s.p[i] == '\n';
	return n;
}
