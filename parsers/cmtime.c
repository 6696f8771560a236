/* ConfigMgr timestamps (see cmtime.h). */
#include "cmtime.h"

#include <string.h>

static bool digits(struct td_str s, size_t *i, size_t min, size_t max, int *out)
{
	return td_str_digits(s, i, min, max, out);
}

static bool expect(struct td_str s, size_t *i, char c)
{
	if (*i < s.len && s.p[*i] == c) {
		(*i)++;
		return true;
	}
	return false;
}

/* "hh:mm:ss[.frac][bias]" starting at s[*i]; bias_minutes is set when a
 * signed bias follows. */
static bool clock(struct td_str s, size_t *i, int *h, int *m, int *sec, int64_t *frac,
		  int *ndigits, bool *has_bias, int *bias)
{
	if (!digits(s, i, 1, 2, h) || !expect(s, i, ':') || !digits(s, i, 1, 2, m) ||
	    !expect(s, i, ':') || !digits(s, i, 1, 2, sec))
		return false;
	*frac = 0;
	*ndigits = 0;
	if (expect(s, i, '.')) {
		size_t n = td_time_parse_fraction(td_str_slice(s, *i, s.len), frac);
		if (n == 0)
			return false;
		*ndigits = (int)n;
		*i += n;
	}
	*has_bias = false;
	if (*i < s.len && (s.p[*i] == '+' || s.p[*i] == '-')) {
		bool neg = s.p[*i] == '-';
		(*i)++;
		if (!digits(s, i, 1, 4, bias))
			return false;
		if (neg)
			*bias = -*bias;
		*has_bias = true;
	}
	return true;
}

static bool finish(int y, int mo, int d, int h, int mi, int sec, int64_t frac, int ndigits,
		   bool has_bias, int bias, struct td_time *t)
{
	int64_t ticks;
	if (!td_time_from_civil(y, mo, d, h, mi, sec, frac, &ticks))
		return false;
	if (has_bias)
		ticks += (int64_t)bias * TD_TICKS_PER_MIN;
	t->ticks = ticks;
	t->zone = has_bias ? TD_ZONE_UTC : TD_ZONE_LOCAL;
	t->digits = (uint8_t)(ndigits > 7 ? 7 : ndigits);
	return true;
}

static bool parse_date(struct td_str date, int *y, int *mo, int *d)
{
	size_t k = 0;
	return digits(date, &k, 1, 2, mo) && expect(date, &k, '-') && digits(date, &k, 1, 2, d) &&
	       expect(date, &k, '-') && digits(date, &k, 4, 4, y) && k == date.len;
}

bool td_cm_parse_time(struct td_str time, struct td_str date, struct td_cm_date_cache *cache,
		      struct td_time *t)
{
	size_t i = 0;
	int h, mi, sec, nd, bias = 0, mo, d, y;
	int64_t frac;
	bool has_bias;
	if (!clock(time, &i, &h, &mi, &sec, &frac, &nd, &has_bias, &bias) || i != time.len)
		return false;
	if (cache && cache->len && cache->len == date.len && memcmp(cache->text, date.p, date.len) == 0) {
		y = cache->year;
		mo = cache->month;
		d = cache->day;
	} else {
		if (!parse_date(date, &y, &mo, &d))
			return false;
		if (cache && date.len <= sizeof(cache->text)) {
			memcpy(cache->text, date.p, date.len);
			cache->len = date.len;
			cache->year = y;
			cache->month = mo;
			cache->day = d;
		}
	}
	return finish(y, mo, d, h, mi, sec, frac, nd, has_bias, bias, t);
}

static int month_index(struct td_str s)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	if (s.len != 3)
		return 0;
	for (int m = 0; m < 12; m++) {
		struct td_str name = td_str_make(months + 3 * m, 3);
		if (td_str_ieq(s, name))
			return m + 1;
	}
	return 0;
}

/* "Www Mmm DD hh:mm:ss[.mmm] YYYY zone name" */
static bool sms2_stamp(struct td_str s, struct td_time *t)
{
	size_t i = 0;
	while (i < s.len && s.p[i] != ' ')
		i++; /* weekday */
	if (!expect(s, &i, ' ') || i + 3 > s.len)
		return false;
	int mo = month_index(td_str_make(s.p + i, 3));
	i += 3;
	int d, h, mi, sec, nd, y, bias;
	int64_t frac;
	bool has_bias;
	if (!mo || !expect(s, &i, ' '))
		return false;
	while (expect(s, &i, ' '))
		;
	if (!digits(s, &i, 1, 2, &d) || !expect(s, &i, ' ') ||
	    !clock(s, &i, &h, &mi, &sec, &frac, &nd, &has_bias, &bias) || has_bias ||
	    !expect(s, &i, ' ') || !digits(s, &i, 4, 4, &y))
		return false;
	return finish(y, mo, d, h, mi, sec, frac, nd, false, 0, t);
}

bool td_cm_parse_stamp(struct td_str stamp, struct td_time *t)
{
	t->text = stamp;
	size_t i = 0;
	int mo, d, y, h, mi, sec, nd, bias = 0;
	int64_t frac;
	bool has_bias;
	if (stamp.len && td_is_digit((unsigned char)stamp.p[0])) {
		if (!digits(stamp, &i, 1, 2, &mo) || !expect(stamp, &i, '-') ||
		    !digits(stamp, &i, 1, 2, &d) || !expect(stamp, &i, '-') ||
		    !digits(stamp, &i, 4, 4, &y) || !expect(stamp, &i, ' ') ||
		    !clock(stamp, &i, &h, &mi, &sec, &frac, &nd, &has_bias, &bias) || i != stamp.len)
			return false;
		return finish(y, mo, d, h, mi, sec, frac, nd, has_bias, bias, t);
	}
	return sms2_stamp(stamp, t);
}
