/* Locating and loading the signature database for the CLI. */
#ifndef TD_SIGPATH_H
#define TD_SIGPATH_H

#include "err.h"
#include "sigdb.h"

/* The directory to load: `explicit_dir` if given, else $TLSDIAG_SIGNATURES,
 * else the installed copy, else the source tree's signatures/. */
const char *td_sigpath_resolve(const char *explicit_dir);
/* Resolves and loads; on failure err explains. */
int td_sigpath_load(const char *explicit_dir, struct td_sigdb **db, struct td_err *err) TD_WUR;

#endif
