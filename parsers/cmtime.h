/* ConfigMgr timestamps, shared by the CMTrace and SMS-trace parsers.
 *
 * Both formats write local wall-clock time followed by a bias in minutes
 * with the Windows TIME_ZONE_INFORMATION convention: UTC = local + bias
 * (+240 on a US Eastern machine in summer, -60 in Central Europe).
 */
#ifndef TD_CMTIME_H
#define TD_CMTIME_H

#include <stdbool.h>

#include "str.h"
#include "timeutil.h"

/* The last date parsed: consecutive records nearly always share it. */
struct td_cm_date_cache {
	char text[12];
	size_t len;
	int year, month, day;
};

/* CMTrace: time "hh:mm:ss[.f{1,7}][(+|-)bias]" and date "M-D-YYYY" (1-2
 * digit month and day).  Fills t (ticks, zone UTC when a bias is present,
 * LOCAL otherwise, fractional digits); t->text is left to the caller.
 * cache (may be NULL) remembers the last date.  Returns false when either
 * part is malformed. */
bool td_cm_parse_time(struct td_str time, struct td_str date, struct td_cm_date_cache *cache,
		      struct td_time *t);
/* SMS trace stamp: "MM-DD-YYYY hh:mm:ss.mmm(+|-)bias", or the SMS 2.0 form
 * "Www Mmm DD hh:mm:ss[.mmm] YYYY <zone name>" (local, zone unknown).
 * t->text is set to stamp. */
bool td_cm_parse_stamp(struct td_str stamp, struct td_time *t);

#endif
