/* Timestamps: one unit for every parser.
 *
 * A tlsdiag time is an int64 count of 100-nanosecond ticks since
 * 1970-01-01T00:00:00 (EVTX FILETIME resolution, Unix epoch).  struct td_time
 * carries the value, whether it is UTC or local time of an unknown zone, how
 * many fractional digits the source wrote (its precision) and the original
 * text.  Conversions below never allocate.
 */
#ifndef TD_TIMEUTIL_H
#define TD_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "str.h"

#define TD_TICKS_PER_SEC INT64_C(10000000)
#define TD_TICKS_PER_MIN (60 * TD_TICKS_PER_SEC)

enum td_zone {
	TD_ZONE_NONE = 0, /* no timestamp */
	TD_ZONE_UTC,      /* ticks are UTC */
	TD_ZONE_LOCAL,    /* ticks are the writer's wall clock; offset unknown */
};

struct td_time {
	int64_t ticks;
	uint8_t zone;       /* enum td_zone */
	uint8_t digits;     /* fractional-second digits in the source, 0..9 */
	struct td_str text; /* the timestamp as written */
};

/* Converts a civil date and time to ticks; validates every field (month
 * 1-12, day within the month, hour < 24, minute < 60, second <= 60).
 * Years 1601..9999 are accepted. */
bool td_time_from_civil(int year, int month, int day, int hour, int min, int sec,
			int64_t frac_ticks, int64_t *out);
/* Splits ticks into civil fields (inverse of td_time_from_civil). */
void td_time_to_civil(int64_t ticks, int *year, int *month, int *day, int *hour, int *min,
		      int *sec, int64_t *frac_ticks);
/* Windows FILETIME (100 ns since 1601) to ticks. */
int64_t td_time_from_filetime(uint64_t filetime);
/* Reads 1..9 fractional digits at the start of s; returns the digits read
 * and sets *ticks (digits beyond the 7th are dropped). */
size_t td_time_parse_fraction(struct td_str s, int64_t *ticks);
/* Formats as ISO 8601 "YYYY-MM-DDTHH:MM:SS[.f...][Z]" with `digits`
 * fractional digits (capped at 7); Z is added when zone is UTC.  Returns the
 * length written (buffer of at least 40 bytes). */
size_t td_time_format(char *out, size_t cap, int64_t ticks, unsigned digits, enum td_zone zone);
/* Parses an ISO 8601 timestamp at the start of s: "YYYY-MM-DD[T ]hh:mm:ss",
 * optional fraction, optional "Z" or "+hh:mm"/"-hh:mm"/"+hhmm".  With an
 * offset or Z the result is UTC; otherwise it is local.  Returns the number
 * of bytes consumed, 0 if s does not start with such a timestamp. */
size_t td_time_parse_iso8601(struct td_str s, struct td_time *t);
/* A date and time at the start of s as Windows tools print them: ISO 8601
 * (a trailing " UTC" makes it UTC), "M/D/YYYY h:mm[:ss[.f]] [AM|PM]" (en-US
 * Event Viewer and PowerShell), "YYYY/MM/DD ..." or "D.M.YYYY ...".  Without
 * a zone the time is local.  Returns the bytes taken, 0 if none. */
size_t td_time_parse_loose(struct td_str s, struct td_time *t);

#endif
