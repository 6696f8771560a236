/* Multi-literal search, ignoring ASCII case: the prefilter that keeps most
 * log events away from the regex engine.
 *
 * A set of literals is compiled once (Wu-Manber tables for the long ones, a
 * vectorised two-byte filter for the short ones, see litset.c);
 * td_litset_scan() then reports which literals occur in a text.  Literals
 * must be at least 2 bytes long.  Identical literals (after case folding)
 * share one id.
 */
#ifndef TD_LITSET_H
#define TD_LITSET_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "str.h"

struct td_litset;

/* Reusable per-caller scan state (distinct ids found by the last scan). */
struct td_litscan {
	uint32_t *stamp; /* per literal: epoch of the last scan that found it */
	uint32_t epoch;
	uint32_t *hits;  /* distinct literal ids found by the last scan */
	size_t nhits;
	size_t nlits;
};

struct td_litset *td_litset_new(void);
void td_litset_free(struct td_litset *ls);
/* Adds a literal (len >= 2); returns its id (>= 0) or a negative status.
 * Must be called before td_litset_compile(). */
int td_litset_add(struct td_litset *ls, struct td_str lit);
int td_litset_compile(struct td_litset *ls) TD_WUR;
size_t td_litset_count(const struct td_litset *ls);
struct td_str td_litset_get(const struct td_litset *ls, uint32_t id);

int td_litscan_init(struct td_litscan *sc, const struct td_litset *ls) TD_WUR;
void td_litscan_release(struct td_litscan *sc);
/* Finds every literal of ls in text; afterwards sc->hits[0..nhits) lists
 * the distinct ids found (long literals first, each group in the order it
 * was found). */
void td_litset_scan(const struct td_litset *ls, struct td_str text, struct td_litscan *sc);

#endif
