/* Wu-Manber multi-literal search with ASCII case folding (see litset.h). */
#include "litset.h"

#include <stdlib.h>
#include <string.h>

#define BLOCKS 65536
#define NONE UINT32_MAX
/* Only the first MAX_M bytes of the shortest literal drive the shifts. */
#define MAX_M 64

struct td_litset {
	char **lits; /* folded copies */
	size_t *lens;
	size_t n, cap;
	size_t m;             /* window length: shortest literal, capped */
	uint8_t shift[BLOCKS];
	uint32_t head[BLOCKS]; /* first literal whose window ends with the block */
	uint32_t *next;
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
	free(ls->next);
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

static unsigned block(const char *p)
{
	return (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
}

int td_litset_compile(struct td_litset *ls)
{
	size_t m = MAX_M;
	for (size_t i = 0; i < ls->n; i++)
		if (ls->lens[i] < m)
			m = ls->lens[i];
	ls->m = m;
	ls->next = malloc((ls->n ? ls->n : 1) * sizeof(*ls->next));
	if (!ls->next)
		return TD_E_NOMEM;
	memset(ls->shift, (int)(m - 1), sizeof(ls->shift));
	for (size_t b = 0; b < BLOCKS; b++)
		ls->head[b] = NONE;
	/* Insert in reverse so each bucket lists literals in id order. */
	for (size_t i = ls->n; i-- > 0;) {
		const char *s = ls->lits[i];
		for (size_t j = 0; j + 1 < m; j++) {
			unsigned h = block(s + j);
			size_t sh = m - 2 - j;
			if (sh < ls->shift[h])
				ls->shift[h] = (uint8_t)sh;
		}
		unsigned h = block(s + m - 2);
		ls->next[i] = ls->head[h];
		ls->head[h] = (uint32_t)i;
	}
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

void td_litset_scan(const struct td_litset *ls, struct td_str text, struct td_litscan *sc)
{
	sc->nhits = 0;
	if (++sc->epoch == 0) {
		memset(sc->stamp, 0, sc->nlits * sizeof(*sc->stamp));
		sc->epoch = 1;
	}
	size_t m = ls->m, n = text.len;
	if (ls->n == 0 || n < m)
		return;
	const unsigned char *t = (const unsigned char *)text.p;
	const uint8_t *shift = ls->shift;
	size_t i = m - 1;
	while (i < n) {
		unsigned h = (unsigned)fold[t[i - 1]] << 8 | fold[t[i]];
		size_t s = shift[h];
		if (s) {
			i += s;
			continue;
		}
		size_t start = i + 1 - m;
		for (uint32_t id = ls->head[h]; id != NONE; id = ls->next[id]) {
			size_t len = ls->lens[id];
			if (sc->stamp[id] == sc->epoch || len > n - start)
				continue;
			if (folded_equal(t + start, ls->lits[id], len)) {
				sc->stamp[id] = sc->epoch;
				sc->hits[sc->nhits++] = id;
			}
		}
		i++;
	}
}
