/* SQL Server build numbers against the TLS 1.2 thresholds of the database
 * (<sql-builds>, from kb/VERSIONS.md section 3). */
#ifndef TD_SQLBUILD_H
#define TD_SQLBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sigdb.h"

enum td_sql_status {
	TD_SQL_UNKNOWN = 0, /* version or servicing line not in the data */
	TD_SQL_OK,          /* supports TLS 1.2 */
	TD_SQL_BELOW,       /* below the first TLS 1.2 build of its line */
	TD_SQL_NEVER,       /* the version never supports TLS 1.2 */
};

struct td_sql_verdict {
	enum td_sql_status status;
	const struct td_sql_version *version;
	const struct td_sql_line *line;
	char text[600]; /* one or two sentences for the report */
};

/* Parses "11.0.5058.0" (3 or 4 parts). */
bool td_sql_parse_build(const char *s, uint32_t out[4]);
int td_sql_build_cmp(const uint32_t a[4], const uint32_t b[4]);
void td_sql_check_tls12(const struct td_sigdb *db, const uint32_t build[4],
			struct td_sql_verdict *v);
/* Whether build is one of the builds with the KB3146034 defect; text gets
 * the explanation. */
bool td_sql_check_kb3146034(const struct td_sigdb *db, const uint32_t build[4], char *text,
			    size_t cap);

#endif
