/* Multi-literal search with ASCII case folding (see litset.h).
 *
 * Literals of 8 bytes and more are found with Wu-Manber (2-byte blocks):
 * on log text almost every window shifts by several bytes.  Shorter ones
 * (error-code spellings such as "10054", short words) would shrink every
 * shift, so they get a second pass over each literal's rarest byte pair.
 * With AVX2, 32 positions at a time are classified by table lookups of
 * the pair's four nibbles into 8 buckets of pairs (the idea of Hyperscan's
 * "Teddy"), whatever the number of pairs; with SSE2 alone, 16 positions
 * are compared with every pair.  Only the positions that pass are
 * verified.  Elsewhere the short literals use their own Wu-Manber tables. */
#include "litset.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__SSE2__)
#include <emmintrin.h>
#include <immintrin.h>
#define TD_HAVE_SSE2 1
#endif

#define BLOCKS 65536
#define NONE UINT32_MAX
/* Only the first MAX_M bytes of the shortest literal drive the shifts. */
#define MAX_M 64
/* Literals shorter than this go to the short pass. */
#define LONG_MIN 8
/* Distinct leading byte pairs the SSE2 short pass handles. */
#define MAX_PAIRS 24
/* Buckets of the AVX2 nibble pass: one bit each in a byte. */
#define BUCKETS 8

/* Wu-Manber tables over a subset of the literals. */
struct wm {
	size_t m; /* window length: shortest literal of the subset, capped */
	size_t b; /* block length: 2, or 3 (hashed) when the window allows */
	size_t count;
	uint8_t shift[BLOCKS];
	uint32_t head[BLOCKS]; /* first literal whose window ends with the block */
};

/* Short literals sharing their first two (folded) bytes. */
struct pair {
	unsigned char b0, b1;
	bool fold0, fold1; /* the byte is a letter: compare case-folded */
	uint32_t first;    /* chain through pair_next */
};

struct td_litset {
	char **lits; /* folded copies */
	size_t *lens;
	size_t *woff;  /* offset of the window/pair that indexes the literal */
	size_t n, cap;
	struct wm lng, shrt;
	uint32_t *next;      /* WM bucket chains, shared by both tables */
	struct pair pairs[MAX_PAIRS];
	size_t npairs;       /* 0 with short literals: use shrt instead */
	uint32_t *pair_next;
	/* The AVX2 pass sorts the pairs into buckets and tells, for each
	 * nibble of each of the two bytes, which buckets have a pair that
	 * nibble allows (bit b: bucket b): lo0, hi0, lo1, hi1.  A position
	 * is a candidate when the four lookups share a bucket. */
	uint8_t nib[4][16];
	uint8_t bucket_first[BUCKETS]; /* pairs chained through pair_bucket_next */
	uint8_t pair_bucket_next[MAX_PAIRS];
	bool use_pairs;
	bool avx2;           /* the pair pass may use 32-byte vectors */
	int compiled;
};

static unsigned char fold[256];

static void init_fold(void)
{
	for (int i = 0; i < 256; i++)
		fold[i] = td_ascii_lower((unsigned char)i);
}

struct td_litset *td_litset_new(void)
{
	if (!fold['A'])
		init_fold();
	return calloc(1, sizeof(struct td_litset));
}

void td_litset_free(struct td_litset *ls)
{
	if (!ls)
		return;
	for (size_t i = 0; i < ls->n; i++)
		free(ls->lits[i]);
	free(ls->lits);
	free(ls->lens);
	free(ls->woff);
	free(ls->next);
	free(ls->pair_next);
	free(ls);
}

int td_litset_add(struct td_litset *ls, struct td_str lit)
{
	if (ls->compiled || lit.len < 2)
		return TD_E_USAGE;
	for (size_t i = 0; i < ls->n; i++) {
		if (ls->lens[i] != lit.len)
			continue;
		size_t k = 0;
		while (k < lit.len && ls->lits[i][k] == (char)fold[(unsigned char)lit.p[k]])
			k++;
		if (k == lit.len)
			return (int)i;
	}
	if (ls->n == ls->cap) {
		size_t ncap = ls->cap ? ls->cap * 2 : 32;
		char **nl = realloc(ls->lits, ncap * sizeof(*nl));
		if (!nl)
			return TD_E_NOMEM;
		ls->lits = nl;
		size_t *nn = realloc(ls->lens, ncap * sizeof(*nn));
		if (!nn)
			return TD_E_NOMEM;
		ls->lens = nn;
		ls->cap = ncap;
	}
	char *copy = malloc(lit.len + 1);
	if (!copy)
		return TD_E_NOMEM;
	for (size_t k = 0; k < lit.len; k++)
		copy[k] = (char)fold[(unsigned char)lit.p[k]];
	copy[lit.len] = '\0';
	ls->lits[ls->n] = copy;
	ls->lens[ls->n] = lit.len;
	return (int)ls->n++;
}

/* Table slot of the block of b folded bytes at p: 2-byte blocks index
 * exactly, 3-byte blocks are hashed (fewer chance hits on common pairs). */
static inline unsigned block_at(const unsigned char *p, size_t b)
{
	if (b == 2)
		return (unsigned)p[0] << 8 | p[1];
	return ((unsigned)p[0] * 0x3C5u + (unsigned)p[1] * 0x2Fu + p[2]) & (BLOCKS - 1);
}

static unsigned block(const char *p, size_t b)
{
	return block_at((const unsigned char *)p, b);
}

static bool is_short(const struct td_litset *ls, size_t i)
{
	return ls->lens[i] < LONG_MIN;
}

/* Rough frequency (per mille) of a folded byte in log text: used to index
 * each literal by its rarest part. */
static unsigned byte_freq(unsigned char c)
{
	static const unsigned char letters[26] = { 60, 12, 30, 30, 90, 20, 18, 35, 55, 1,  6,  35, 22,
						   55, 60, 18, 1,  50, 50, 65, 25, 8,  15, 2,  15, 1 };
	if (c >= 'a' && c <= 'z')
		return letters[c - 'a'];
	if (c == ' ')
		return 150;
	if (c >= '0' && c <= '9')
		return c == '0' ? 40 : c == '1' ? 30 : c == '2' ? 25 : 15;
	switch (c) {
	case '-': case '.': return 15;
	case ':': case '/': case '"': return 10;
	case '=': return 8;
	case '\\': case '_': return 5;
	}
	return 2;
}

static unsigned pair_freq(const char *p)
{
	return byte_freq((unsigned char)p[0]) * byte_freq((unsigned char)p[1]);
}

/* Offset of the m-byte window of literal i whose 2-byte blocks are rarest. */
static size_t rarest_window(const struct td_litset *ls, size_t i, size_t m)
{
	const char *s = ls->lits[i];
	size_t best = 0;
	unsigned long best_score = (unsigned long)-1;
	for (size_t k = 0; k + m <= ls->lens[i]; k++) {
		unsigned long score = 0;
		for (size_t j = 0; j + 1 < m; j++)
			score += pair_freq(s + k + j);
		if (score < best_score) {
			best_score = score;
			best = k;
		}
	}
	return best;
}

/* Offset of the rarest 2-byte pair of literal i. */
static size_t rarest_pair(const struct td_litset *ls, size_t i)
{
	return rarest_window(ls, i, 2);
}

/* Builds Wu-Manber tables over the literals with is_short() == want_short. */
static void build_wm(struct td_litset *ls, struct wm *w, bool want_short)
{
	size_t m = MAX_M;
	w->count = 0;
	for (size_t i = 0; i < ls->n; i++) {
		if (is_short(ls, i) != want_short)
			continue;
		w->count++;
		if (ls->lens[i] < m)
			m = ls->lens[i];
	}
	w->m = m;
	w->b = m >= 6 ? 3 : 2;
	size_t b = w->b;
	memset(w->shift, (int)(m - b + 1), sizeof(w->shift));
	for (size_t k = 0; k < BLOCKS; k++)
		w->head[k] = NONE;
	/* Insert in reverse so each bucket lists literals in id order. */
	for (size_t i = ls->n; i-- > 0;) {
		if (is_short(ls, i) != want_short)
			continue;
		ls->woff[i] = rarest_window(ls, i, m);
		const char *s = ls->lits[i] + ls->woff[i];
		for (size_t j = 0; j + b <= m; j++) {
			unsigned h = block(s + j, b);
			size_t sh = m - b - j;
			if (sh < w->shift[h])
				w->shift[h] = (uint8_t)sh;
		}
		unsigned h = block(s + m - b, b);
		ls->next[i] = w->head[h];
		w->head[h] = (uint32_t)i;
	}
}

static bool is_letter(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/* Groups the short literals by their first two bytes for the SSE2 pass;
 * false when there are too many groups. */
static bool build_pairs(struct td_litset *ls)
{
	ls->npairs = 0;
	for (size_t i = ls->n; i-- > 0;) {
		if (!is_short(ls, i))
			continue;
		ls->woff[i] = rarest_pair(ls, i);
		const char *at = ls->lits[i] + ls->woff[i];
		unsigned char b0 = (unsigned char)at[0], b1 = (unsigned char)at[1];
		struct pair *p = NULL;
		for (size_t k = 0; k < ls->npairs && !p; k++)
			if (ls->pairs[k].b0 == b0 && ls->pairs[k].b1 == b1)
				p = &ls->pairs[k];
		if (!p) {
			if (ls->npairs == MAX_PAIRS)
				return false;
			p = &ls->pairs[ls->npairs++];
			*p = (struct pair){ b0, b1, is_letter(b0), is_letter(b1), NONE };
		}
		ls->pair_next[i] = p->first;
		p->first = (uint32_t)i;
	}
	return true;
}

/* The byte values a pair's byte accepts: itself, and its upper case. */
static size_t pair_byte_values(unsigned char b, bool folded, unsigned char v[2])
{
	v[0] = b;
	if (!folded)
		return 1;
	v[1] = (unsigned char)(b - 0x20);
	return 2;
}

/* The nibble sets of one bucket: bits of allowed lo0, hi0, lo1, hi1. */
struct nibsets {
	uint16_t set[4];
};

static void nibsets_add(struct nibsets *ns, const struct pair *p)
{
	unsigned char v[2];
	size_t k = pair_byte_values(p->b0, p->fold0, v);
	for (size_t j = 0; j < k; j++) {
		ns->set[0] |= (uint16_t)(1u << (v[j] & 15));
		ns->set[1] |= (uint16_t)(1u << (v[j] >> 4));
	}
	k = pair_byte_values(p->b1, p->fold1, v);
	for (size_t j = 0; j < k; j++) {
		ns->set[2] |= (uint16_t)(1u << (v[j] & 15));
		ns->set[3] |= (uint16_t)(1u << (v[j] >> 4));
	}
}

/* Byte pairs a bucket lets through: the product of its nibble set sizes
 * (the pairs it holds, and the mixtures of their nibbles). */
static unsigned nibsets_size(const struct nibsets *ns)
{
	unsigned size = 1;
	for (int i = 0; i < 4; i++)
		size *= (unsigned)__builtin_popcount(ns->set[i]);
	return size;
}

/* Puts every pair in the bucket it widens least, so that few byte pairs
 * other than the literals' pass the nibble test. */
static void build_buckets(struct td_litset *ls)
{
	struct nibsets b[BUCKETS];
	memset(b, 0, sizeof(b));
	memset(ls->nib, 0, sizeof(ls->nib));
	memset(ls->bucket_first, 0xff, sizeof(ls->bucket_first));
	for (size_t k = 0; k < ls->npairs; k++) {
		size_t best = 0;
		unsigned best_growth = UINT32_MAX;
		for (size_t i = 0; i < BUCKETS; i++) {
			struct nibsets t = b[i];
			unsigned before = b[i].set[0] ? nibsets_size(&t) : 0;
			nibsets_add(&t, &ls->pairs[k]);
			unsigned growth = nibsets_size(&t) - before;
			if (growth < best_growth) {
				best_growth = growth;
				best = i;
			}
		}
		nibsets_add(&b[best], &ls->pairs[k]);
		ls->pair_bucket_next[k] = ls->bucket_first[best];
		ls->bucket_first[best] = (uint8_t)k;
	}
	for (size_t i = 0; i < BUCKETS; i++)
		for (int w = 0; w < 4; w++)
			for (int nib = 0; nib < 16; nib++)
				if (b[i].set[w] & (1u << nib))
					ls->nib[w][nib] |= (uint8_t)(1u << i);
}

int td_litset_compile(struct td_litset *ls)
{
	size_t n = ls->n ? ls->n : 1;
	ls->next = malloc(n * sizeof(*ls->next));
	ls->pair_next = malloc(n * sizeof(*ls->pair_next));
	ls->woff = calloc(n, sizeof(*ls->woff));
	if (!ls->next || !ls->pair_next || !ls->woff)
		return TD_E_NOMEM;
	build_wm(ls, &ls->lng, false);
	build_wm(ls, &ls->shrt, true);
#ifdef TD_HAVE_SSE2
	/* The pair pass keeps its own offsets; the scalar short tables are only
	 * used when it is not. */
	ls->use_pairs = ls->shrt.count && build_pairs(ls);
	ls->avx2 = __builtin_cpu_supports("avx2") && !getenv("TLSDIAG_NO_AVX2");
	if (ls->use_pairs)
		build_buckets(ls);
	if (!ls->use_pairs)
		build_wm(ls, &ls->shrt, true);
#else
	ls->use_pairs = false;
#endif
	ls->compiled = 1;
	return TD_OK;
}

size_t td_litset_count(const struct td_litset *ls)
{
	return ls->n;
}

struct td_str td_litset_get(const struct td_litset *ls, uint32_t id)
{
	return td_str_make(ls->lits[id], ls->lens[id]);
}

int td_litscan_init(struct td_litscan *sc, const struct td_litset *ls)
{
	memset(sc, 0, sizeof(*sc));
	sc->nlits = ls->n;
	sc->stamp = calloc(ls->n ? ls->n : 1, sizeof(*sc->stamp));
	sc->hits = malloc((ls->n ? ls->n : 1) * sizeof(*sc->hits));
	if (!sc->stamp || !sc->hits) {
		td_litscan_release(sc);
		return TD_E_NOMEM;
	}
	return TD_OK;
}

void td_litscan_release(struct td_litscan *sc)
{
	free(sc->stamp);
	free(sc->hits);
	memset(sc, 0, sizeof(*sc));
}

static int folded_equal(const unsigned char *t, const char *lit, size_t len)
{
	for (size_t k = 0; k < len; k++)
		if (fold[t[k]] != (unsigned char)lit[k])
			return 0;
	return 1;
}

/* Literal id's indexed part was seen at text offset at: verify the whole
 * literal around it. */
static void hit(const struct td_litset *ls, const unsigned char *t, size_t n, size_t at,
		uint32_t id, struct td_litscan *sc)
{
	size_t len = ls->lens[id], off = ls->woff[id];
	if (sc->stamp[id] == sc->epoch || at < off)
		return;
	size_t start = at - off;
	if (len > n - start)
		return;
	if (folded_equal(t + start, ls->lits[id], len)) {
		sc->stamp[id] = sc->epoch;
		sc->hits[sc->nhits++] = id;
	}
}

static inline unsigned wm_hash(const struct wm *w, const unsigned char *t, size_t i)
{
	if (w->b == 2)
		return (unsigned)fold[t[i - 1]] << 8 | fold[t[i]];
	unsigned char blk[3] = { fold[t[i - 2]], fold[t[i - 1]], fold[t[i]] };
	return block_at(blk, 3);
}

/* One Wu-Manber step for the window ending at i: returns the next window
 * end. */
static inline size_t wm_step(const struct td_litset *ls, const struct wm *w,
			     const unsigned char *t, size_t n, size_t i, struct td_litscan *sc)
{
	unsigned h = wm_hash(w, t, i);
	size_t s = w->shift[h];
	if (s)
		return i + s;
	for (uint32_t id = w->head[h]; id != NONE; id = ls->next[id])
		hit(ls, t, n, i + 1 - w->m, id, sc);
	return i + 1;
}

/* Each step depends on the previous one (load, table, shift), so a long
 * text is scanned as two halves whose steps interleave and overlap in the
 * CPU.  The second half starts at the first window end the first half does
 * not examine, so every window end is covered by exactly one of them. */
static void scan_wm(const struct td_litset *ls, const struct wm *w, const unsigned char *t,
		    size_t n, struct td_litscan *sc)
{
	size_t m = w->m;
	if (!w->count || n < m)
		return;
	size_t a = m - 1;
	if (n >= 2 * m + 16) {
		size_t split = n / 2 + m - 1, b = split;
		while (a < split && b < n) {
			a = wm_step(ls, w, t, n, a, sc);
			b = wm_step(ls, w, t, n, b, sc);
		}
		while (a < split)
			a = wm_step(ls, w, t, n, a, sc);
		while (b < n)
			b = wm_step(ls, w, t, n, b, sc);
		return;
	}
	while (a < n)
		a = wm_step(ls, w, t, n, a, sc);
}

/* When pair p is the folded pair c0 c1 at pos, verifies its literals. */
static inline void pair_literals(const struct td_litset *ls, const struct pair *p,
				 unsigned char c0, unsigned char c1, const unsigned char *t,
				 size_t n, size_t pos, struct td_litscan *sc)
{
	if (p->b0 != c0 || p->b1 != c1)
		return;
	for (uint32_t id = p->first; id != NONE; id = ls->pair_next[id])
		hit(ls, t, n, pos, id, sc);
}

static void pair_candidates(const struct td_litset *ls, const unsigned char *t, size_t n,
			    size_t pos, struct td_litscan *sc)
{
	unsigned char c0 = fold[t[pos]], c1 = fold[t[pos + 1]];
	for (size_t k = 0; k < ls->npairs; k++)
		pair_literals(ls, &ls->pairs[k], c0, c1, t, n, pos, sc);
}

#ifdef TD_HAVE_SSE2
/* Verifies the candidates flagged in mask (bit k: position base + k). */
static void pair_hits(const struct td_litset *ls, const unsigned char *t, size_t n, size_t base,
		      unsigned mask, struct td_litscan *sc)
{
	while (mask) {
		unsigned bit = (unsigned)__builtin_ctz(mask);
		mask &= mask - 1;
		pair_candidates(ls, t, n, base + bit, sc);
	}
}

/* Positions whose two bytes equal the first two bytes of a short literal,
 * 16 at a time. */
/* Bit k set: a short literal's indexed pair may start at p[k] (p holds at
 * least 17 readable bytes). */
static unsigned pair_mask(const struct td_litset *ls, const unsigned char *p)
{
	const __m128i lower = _mm_set1_epi8(0x20);
	__m128i a = _mm_loadu_si128((const __m128i *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(p + 1));
	__m128i af = _mm_or_si128(a, lower), bf = _mm_or_si128(b, lower);
	__m128i any = _mm_setzero_si128();
	for (size_t k = 0; k < ls->npairs; k++) {
		const struct pair *pr = &ls->pairs[k];
		__m128i e0 = _mm_cmpeq_epi8(pr->fold0 ? af : a, _mm_set1_epi8((char)pr->b0));
		__m128i e1 = _mm_cmpeq_epi8(pr->fold1 ? bf : b, _mm_set1_epi8((char)pr->b1));
		any = _mm_or_si128(any, _mm_and_si128(e0, e1));
	}
	return (unsigned)_mm_movemask_epi8(any);
}

/* The pairs of the buckets in `buckets` that start at pos (bit b: bucket
 * b); their literals are verified. */
static void bucket_candidates(const struct td_litset *ls, const unsigned char *t, size_t n,
			      size_t pos, unsigned buckets, struct td_litscan *sc)
{
	unsigned char c0 = fold[t[pos]], c1 = fold[t[pos + 1]];
	while (buckets) {
		unsigned b = (unsigned)__builtin_ctz(buckets);
		buckets &= buckets - 1;
		for (unsigned k = ls->bucket_first[b]; k != 0xff; k = ls->pair_bucket_next[k])
			pair_literals(ls, &ls->pairs[k], c0, c1, t, n, pos, sc);
	}
}

/* 32 positions per step on CPUs with AVX2 (checked when the set is
 * compiled): each byte and the next are looked up by their nibbles in
 * the bucket tables (the cost does not grow with the pairs), and only the
 * positions where all four lookups share a bucket are checked. */
/* Bucket bits of the 32 positions at p (33 readable bytes). */
__attribute__((target("avx2"))) static inline __m256i nibble_buckets(const struct td_litset *ls,
								    const unsigned char *p)
{
	const __m256i lo0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)ls->nib[0]));
	const __m256i hi0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)ls->nib[1]));
	const __m256i lo1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)ls->nib[2]));
	const __m256i hi1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const void *)ls->nib[3]));
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
	__m256i ahi = _mm256_and_si256(_mm256_srli_epi16(a, 4), low4);
	__m256i bhi = _mm256_and_si256(_mm256_srli_epi16(b, 4), low4);
	__m256i m0 = _mm256_and_si256(_mm256_shuffle_epi8(lo0, _mm256_and_si256(a, low4)),
				      _mm256_shuffle_epi8(hi0, ahi));
	__m256i m1 = _mm256_and_si256(_mm256_shuffle_epi8(lo1, _mm256_and_si256(b, low4)),
				      _mm256_shuffle_epi8(hi1, bhi));
	return _mm256_and_si256(m0, m1);
}

/* Checks the candidates in bits (bit k: position base + k, its buckets in
 * m's byte k). */
__attribute__((target("avx2"))) static void bucket_hits(const struct td_litset *ls,
						       const unsigned char *t, size_t n,
						       size_t base, __m256i m, unsigned bits,
						       struct td_litscan *sc)
{
	uint8_t buckets[32];
	_mm256_storeu_si256((__m256i *)(void *)buckets, m);
	while (bits) {
		unsigned k = (unsigned)__builtin_ctz(bits);
		bits &= bits - 1;
		bucket_candidates(ls, t, n, base + k, buckets[k], sc);
	}
}

/* 32 positions per step on CPUs with AVX2 (checked when the set is
 * compiled): each byte and the next are looked up by their nibbles in
 * the bucket tables (the cost does not grow with the pairs), and only the
 * positions where all four lookups share a bucket are checked.  The tail
 * is padded, so the whole text is done here. */
__attribute__((target("avx2"))) static size_t pair_scan_avx2(const struct td_litset *ls,
							       const unsigned char *t, size_t n,
							       struct td_litscan *sc)
{
	const __m256i zero = _mm256_setzero_si256();
	size_t i = 0;
	for (; i + 33 <= n; i += 32) {
		__m256i m = nibble_buckets(ls, t + i);
		unsigned bits = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, zero));
		if (bits)
			bucket_hits(ls, t, n, i, m, bits, sc);
	}
	if (i + 1 < n) {
		/* Pairs can start at i .. n-2 (at most 31 of them). */
		unsigned char pad[64] = { 0 };
		memcpy(pad, t + i, n - i);
		__m256i m = nibble_buckets(ls, pad);
		unsigned bits = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, zero));
		bits &= (1u << (n - 1 - i)) - 1;
		if (bits)
			bucket_hits(ls, t, n, i, m, bits, sc);
	}
	return n;
}

static void scan_pairs(const struct td_litset *ls, const unsigned char *t, size_t n,
		       struct td_litscan *sc)
{
	if (n < 2)
		return;
	size_t i = ls->avx2 ? pair_scan_avx2(ls, t, n, sc) : 0;
	for (; i + 17 <= n; i += 16)
		pair_hits(ls, t, n, i, pair_mask(ls, t + i), sc);
	if (i + 1 < n) {
		/* The tail, padded: pairs can start at i .. n-2. */
		unsigned char pad[32] = { 0 };
		memcpy(pad, t + i, n - i);
		pair_hits(ls, t, n, i, pair_mask(ls, pad) & ((1u << (n - 1 - i)) - 1), sc);
	}
}
#endif

void td_litset_scan(const struct td_litset *ls, struct td_str text, struct td_litscan *sc)
{
	sc->nhits = 0;
	if (++sc->epoch == 0) {
		memset(sc->stamp, 0, sc->nlits * sizeof(*sc->stamp));
		sc->epoch = 1;
	}
	const unsigned char *t = (const unsigned char *)text.p;
	size_t n = text.len;
	if (ls->n == 0 || n < 2)
		return;
	scan_wm(ls, &ls->lng, t, n, sc);
#ifdef TD_HAVE_SSE2
	if (ls->use_pairs) {
		scan_pairs(ls, t, n, sc);
		return;
	}
#endif
	scan_wm(ls, &ls->shrt, t, n, sc);
}
