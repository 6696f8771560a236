/* Civil time <-> ticks conversions (see timeutil.h).  The day arithmetic is
 * the well-known days-from-civil algorithm on a proleptic Gregorian
 * calendar. */
#include "timeutil.h"

#include <stdio.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

bool td_time_from_civil(int year, int month, int day, int hour, int min, int sec,
			int64_t frac_ticks, int64_t *out)
{
	if (year < 1601 || year > 9999 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour < 0 || hour > 23 || min < 0 || min > 59 ||
	    sec < 0 || sec > 60 || frac_ticks < 0 || frac_ticks >= TD_TICKS_PER_SEC)
		return false;
	int64_t days = days_from_civil(year, (unsigned)month, (unsigned)day);
	int64_t secs = days * 86400 + hour * 3600 + min * 60 + sec;
	*out = secs * TD_TICKS_PER_SEC + frac_ticks;
	return true;
}

void td_time_to_civil(int64_t ticks, int *year, int *month, int *day, int *hour, int *min,
		      int *sec, int64_t *frac_ticks)
{
	int64_t secs = ticks / TD_TICKS_PER_SEC;
	int64_t frac = ticks % TD_TICKS_PER_SEC;
	if (frac < 0) {
		frac += TD_TICKS_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400;
	int64_t rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, year, month, day);
	*hour = (int)(rem / 3600);
	*min = (int)(rem / 60 % 60);
	*sec = (int)(rem % 60);
	*frac_ticks = frac;
}

int64_t td_time_from_filetime(uint64_t filetime)
{
	/* 1601-01-01 to 1970-01-01 is 11644473600 seconds. */
	return (int64_t)(filetime - UINT64_C(116444736000000000));
}

size_t td_time_parse_fraction(struct td_str s, int64_t *ticks)
{
	int64_t v = 0;
	size_t i = 0;
	while (i < s.len && i < 9 && td_is_digit((unsigned char)s.p[i])) {
		if (i < 7)
			v = v * 10 + (s.p[i] - '0');
		i++;
	}
	for (size_t k = i; k < 7; k++)
		v *= 10;
	*ticks = v;
	return i;
}

/* Writes v (< 100) as two decimal digits: a table and 32-bit arithmetic,
 * because every EVTX record formats a time. */
static void put2(char *out, unsigned v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	out[0] = pairs[2 * v];
	out[1] = pairs[2 * v + 1];
}

size_t td_time_format(char *out, size_t cap, int64_t ticks, unsigned digits, enum td_zone zone)
{
	int y, mo, d, h, mi, s;
	int64_t frac;
	td_time_to_civil(ticks, &y, &mo, &d, &h, &mi, &s, &frac);
	if (cap < 40 || y < 0 || y > 9999) {
		if (cap)
			out[0] = '\0';
		return 0;
	}
	/* Formatted by hand: event logs format millions of these. */
	put2(out, (unsigned)y / 100);
	put2(out + 2, (unsigned)y % 100);
	out[4] = '-';
	put2(out + 5, (unsigned)mo);
	out[7] = '-';
	put2(out + 8, (unsigned)d);
	out[10] = 'T';
	put2(out + 11, (unsigned)h);
	out[13] = ':';
	put2(out + 14, (unsigned)mi);
	out[16] = ':';
	put2(out + 17, (unsigned)s);
	size_t len = 19;
	if (digits > 7)
		digits = 7;
	if (digits) {
		char f[8];
		unsigned v = (unsigned)frac; /* 0 .. 9999999 */
		f[0] = (char)('0' + v / 1000000);
		v %= 1000000;
		put2(f + 1, v / 10000);
		put2(f + 3, v / 100 % 100);
		put2(f + 5, v % 100);
		out[len++] = '.';
		for (unsigned i = 0; i < digits; i++)
			out[len++] = f[i];
	}
	if (zone == TD_ZONE_UTC)
		out[len++] = 'Z';
	out[len] = '\0';
	return len;
}

/* Reads exactly n digits at s[*i]. */
static bool fixed_digits(struct td_str s, size_t *i, size_t n, int *out)
{
	return td_str_digits(s, i, n, n, out);
}

static bool expect(struct td_str s, size_t *i, char c)
{
	if (*i < s.len && s.p[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

size_t td_time_parse_iso8601(struct td_str s, struct td_time *t)
{
	size_t i = 0;
	int y, mo, d, h, mi, sec = 0;
	int64_t frac = 0;
	size_t digits = 0;
	if (!fixed_digits(s, &i, 4, &y) || !expect(s, &i, '-') || !fixed_digits(s, &i, 2, &mo) ||
	    !expect(s, &i, '-') || !fixed_digits(s, &i, 2, &d))
		return 0;
	if (!(expect(s, &i, 'T') || expect(s, &i, ' ')))
		return 0;
	if (!fixed_digits(s, &i, 2, &h) || !expect(s, &i, ':') || !fixed_digits(s, &i, 2, &mi))
		return 0;
	if (expect(s, &i, ':')) {
		if (!fixed_digits(s, &i, 2, &sec))
			return 0;
		if (i < s.len && (s.p[i] == '.' || s.p[i] == ',')) {
			digits = td_time_parse_fraction(td_str_slice(s, i + 1, s.len), &frac);
			if (digits)
				i += 1 + digits;
		}
	}
	int64_t ticks;
	if (!td_time_from_civil(y, mo, d, h, mi, sec, frac, &ticks))
		return 0;
	enum td_zone zone = TD_ZONE_LOCAL;
	if (expect(s, &i, 'Z') || expect(s, &i, 'z')) {
		zone = TD_ZONE_UTC;
	} else if (i < s.len && (s.p[i] == '+' || s.p[i] == '-')) {
		size_t j = i + 1;
		int oh, om = 0;
		if (fixed_digits(s, &j, 2, &oh)) {
			size_t save = j;
			if (!(expect(s, &j, ':') && fixed_digits(s, &j, 2, &om))) {
				j = save;
				if (!fixed_digits(s, &j, 2, &om)) {
					j = save;
					om = 0;
				}
			}
			if (oh <= 14 && om < 60) {
				int64_t off = (int64_t)(oh * 60 + om) * TD_TICKS_PER_MIN;
				ticks += s.p[i] == '+' ? -off : off;
				zone = TD_ZONE_UTC;
				i = j;
			}
		}
	}
	t->ticks = ticks;
	t->zone = (uint8_t)zone;
	t->digits = (uint8_t)digits;
	t->text = td_str_slice(s, 0, i);
	return i;
}

/* --- dates as Windows tools print them ---------------------------------- */

static bool loose_num(struct td_str s, size_t *i, size_t min, size_t max, int *out)
{
	return td_str_digits(s, i, min, max, out);
}

static bool loose_chr(struct td_str s, size_t *i, char c)
{
	if (*i < s.len && s.p[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

/* "h:mm[:ss[.f]]" then an optional AM/PM. */
static bool clock_part(struct td_str s, size_t *i, int *h, int *mi, int *sec, int64_t *frac,
		       int *digits)
{
	*sec = 0;
	*frac = 0;
	*digits = 0;
	if (!loose_num(s, i, 1, 2, h) || !loose_chr(s, i, ':') || !loose_num(s, i, 2, 2, mi))
		return false;
	if (loose_chr(s, i, ':')) {
		if (!loose_num(s, i, 2, 2, sec))
			return false;
		if (*i < s.len && (s.p[*i] == '.' || s.p[*i] == ',')) {
			size_t n = td_time_parse_fraction(td_str_slice(s, *i + 1, s.len), frac);
			if (n) {
				*digits = (int)n;
				*i += n + 1;
			}
		}
	}
	size_t j = *i;
	if (j < s.len && s.p[j] == ' ')
		j++;
	if (j + 1 < s.len && (s.p[j + 1] == 'M' || s.p[j + 1] == 'm') &&
	    (s.p[j] == 'A' || s.p[j] == 'a' || s.p[j] == 'P' || s.p[j] == 'p') &&
	    (j + 2 == s.len || !td_is_alnum((unsigned char)s.p[j + 2]))) {
		bool pm = s.p[j] == 'P' || s.p[j] == 'p';
		if (*h < 1 || *h > 12)
			return false;
		*h = *h % 12 + (pm ? 12 : 0);
		*i = j + 2;
	}
	return true;
}

/* Dates other than ISO: "M/D/YYYY", "YYYY/MM/DD", "D.M.YYYY", then a
 * clock. */
static size_t other_date(struct td_str s, struct td_time *t)
{
	size_t i = 0;
	int a, b, c, y, mo, d;
	if (!loose_num(s, &i, 1, 4, &a))
		return 0;
	char sep = i < s.len ? s.p[i] : 0;
	if ((sep != '/' && sep != '.') || !loose_chr(s, &i, sep) || !loose_num(s, &i, 1, 2, &b) ||
	    !loose_chr(s, &i, sep) || !loose_num(s, &i, 1, 4, &c))
		return 0;
	if (a >= 1000) {
		y = a, mo = b, d = c; /* YYYY/MM/DD */
	} else if (c >= 1000 && sep == '/') {
		y = c, mo = a, d = b; /* M/D/YYYY (month first, as en-US writes) */
	} else if (c >= 1000) {
		y = c, mo = b, d = a; /* D.M.YYYY */
	} else {
		return 0;
	}
	if (!(loose_chr(s, &i, ' ') || loose_chr(s, &i, '-') || loose_chr(s, &i, ':')))
		return 0;
	int h, mi, sec, digits;
	int64_t frac;
	if (!clock_part(s, &i, &h, &mi, &sec, &frac, &digits))
		return 0;
	int64_t ticks;
	if (!td_time_from_civil(y, mo, d, h, mi, sec, frac, &ticks))
		return 0;
	t->ticks = ticks;
	t->zone = TD_ZONE_LOCAL;
	t->digits = (uint8_t)digits;
	t->text = td_str_make(s.p, i);
	return i;
}

size_t td_time_parse_loose(struct td_str s, struct td_time *t)
{
	if (!s.len || !td_is_digit((unsigned char)s.p[0]))
		return 0;
	size_t n = td_time_parse_iso8601(s, t);
	if (n) {
		/* "2020-08-05 12:16:37 UTC" */
		struct td_str r = td_str_slice(s, n, s.len);
		if (t->zone == TD_ZONE_LOCAL && td_str_starts_with(r, " UTC")) {
			t->zone = TD_ZONE_UTC;
			n += 4;
			t->text = td_str_make(s.p, n);
		}
		return n;
	}
	return other_date(s, t);
}
