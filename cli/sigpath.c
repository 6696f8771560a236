/* Signature database location (see sigpath.h). */
#include "sigpath.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "td_config.h"

static int is_dir(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *td_sigpath_resolve(const char *explicit_dir)
{
	if (explicit_dir)
		return explicit_dir;
	const char *env = getenv("TLSDIAG_SIGNATURES");
	if (env && *env)
		return env;
	if (is_dir(TD_SIGDB_INSTALL_DIR))
		return TD_SIGDB_INSTALL_DIR;
	return TD_SIGDB_SOURCE_DIR;
}

int td_sigpath_load(const char *explicit_dir, struct td_sigdb **db, struct td_err *err)
{
	return td_sigdb_load(td_sigpath_resolve(explicit_dir), NULL, db, err);
}
