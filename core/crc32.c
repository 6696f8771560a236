/* CRC-32 by carry-less multiplication where the processor has it (crc32.h).
 *
 * The method (Gopal et al., "Fast CRC Computation for Generic Polynomials
 * Using PCLMULQDQ Instruction", Intel, 2009), in the bit-reflected form:
 * the message is kept as four 128-bit lanes; each 64-byte step multiplies
 * every lane's two halves by x^(512±32) mod P and adds the next 64 bytes, which leaves
 * the CRC unchanged modulo P.  The four lanes are then folded into one
 * (x^(128±32) mod P), that one to 64 bits and 32 bits, and a Barrett
 * reduction gives the remainder.  The constants are those powers of x
 * modulo P, bit-reflected (unit test: against zlib on every length).
 */
#include "crc32.h"

#include <stdbool.h>
#include <stdlib.h>
#include <zlib.h>

/* Whole 64-byte steps below this are not worth the set-up. */
#define FOLD_FROM 64

static uint32_t crc_zlib(uint32_t crc, const uint8_t *p, size_t n)
{
	/* zlib takes uInt lengths. */
	while (n) {
		uInt part = n > 0x40000000u ? 0x40000000u : (uInt)n;
		crc = (uint32_t)crc32(crc, p, part);
		p += part;
		n -= part;
	}
	return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define FOLD_TARGET __attribute__((target("pclmul,sse4.1")))

/* Both halves of a lane times its constants, plus the data that follows. */
FOLD_TARGET static inline __m128i fold(__m128i lane, __m128i k, __m128i next)
{
	__m128i lo = _mm_clmulepi64_si128(lane, k, 0x00);
	__m128i hi = _mm_clmulepi64_si128(lane, k, 0x11);
	return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

/* The reflected CRC state (not inverted) over n bytes, n a multiple of 16
 * and at least 64. */
FOLD_TARGET static uint32_t fold_crc(uint32_t state, const uint8_t *p, size_t n)
{
	/* x^(512+32) and x^(512-32) mod P: a lane 64 bytes on. */
	const __m128i k512 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);
	/* x^(128+32) and x^(128-32) mod P: a lane 16 bytes on. */
	const __m128i k128 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);
	/* x^64 mod P, and the Barrett pair: floor(x^64 / P) and P. */
	const __m128i k64 = _mm_set_epi64x(0, 0x163cd6124);
	const __m128i barrett = _mm_set_epi64x(0x1f7011641, 0x1db710641);
	const __m128i low32 = _mm_set_epi32(0, 0, 0, -1);

	__m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
	__m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
	__m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
	x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)state));
	p += 64;
	n -= 64;
	for (; n >= 64; p += 64, n -= 64) {
		x0 = fold(x0, k512, _mm_loadu_si128((const __m128i *)(const void *)p));
		x1 = fold(x1, k512, _mm_loadu_si128((const __m128i *)(const void *)(p + 16)));
		x2 = fold(x2, k512, _mm_loadu_si128((const __m128i *)(const void *)(p + 32)));
		x3 = fold(x3, k512, _mm_loadu_si128((const __m128i *)(const void *)(p + 48)));
	}
	/* Four lanes into one, then the remaining 16-byte blocks. */
	__m128i x = fold(x0, k128, x1);
	x = fold(x, k128, x2);
	x = fold(x, k128, x3);
	for (; n >= 16; p += 16, n -= 16)
		x = fold(x, k128, _mm_loadu_si128((const __m128i *)(const void *)p));

	/* 128 bits to 64: the low half times x^(128-32), added to the high
	 * half (this also appends the 32 zero bits a CRC implies). */
	x = _mm_xor_si128(_mm_clmulepi64_si128(x, k128, 0x10), _mm_srli_si128(x, 8));
	/* 64 to 32 bits. */
	x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, low32), k64, 0x00),
			  _mm_srli_si128(x, 4));
	/* Barrett: q = (low 32 bits) * floor(x^64 / P), remainder = x + q * P. */
	__m128i q = _mm_clmulepi64_si128(_mm_and_si128(x, low32), barrett, 0x10);
	q = _mm_clmulepi64_si128(_mm_and_si128(q, low32), barrett, 0x00);
	x = _mm_xor_si128(x, q);
	return (uint32_t)_mm_extract_epi32(x, 1);
}

static bool use_fold(void)
{
	static int known; /* 0: not yet asked, 1: yes, 2: no */
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED);
	if (!k) {
		__builtin_cpu_init();
		bool ok = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1") &&
			  !getenv("TLSDIAG_NO_PCLMUL");
		k = ok ? 1 : 2;
		__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	}
	return k == 1;
}

uint32_t td_crc32(uint32_t crc, const void *data, size_t n)
{
	const uint8_t *p = data;
	if (n >= FOLD_FROM && use_fold()) {
		size_t whole = n & ~(size_t)15;
		crc = ~fold_crc(~crc, p, whole);
		p += whole;
		n -= whole;
	}
	return crc_zlib(crc, p, n);
}

#else

uint32_t td_crc32(uint32_t crc, const void *data, size_t n)
{
	return crc_zlib(crc, data, n);
}

#endif
