/*
 * Civil dates as day numbers and the working-day calendar that publication
 * deadlines are counted in (Mon-Fri, minus holidays, plus 调休 days).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "xmalloc.h"

#define DAYS_1970	719468	/* 0000-03-01 to 1970-01-01 */
#define CHINA_OFFSET	(8 * 3600)

static int	date_digits(const char *, int);
static int	date_days_in_month(int, int);
static int	calendar_in(const struct calendar_range *, size_t, day_t);

/* Reads n ASCII digits; the caller knows the bytes are there. */
static int
date_digits(const char *s, int n)
{
	int	 v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int
date_days_in_month(int year, int month)
{
	static const int	 mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month == 2 && year % 4 == 0 && (year % 100 != 0 ||
	    year % 400 == 0))
		return 29;
	return mdays[month - 1];
}

int
date_parse(const char *s, size_t len, day_t *out)
{
	int	 y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if ((y = date_digits(s, 4)) == -1 ||
	    (m = date_digits(s + 5, 2)) == -1 ||
	    (d = date_digits(s + 8, 2)) == -1)
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > date_days_in_month(y, m))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int
date_parse_month(const char *s, size_t len, day_t *out)
{
	int	 y, m;

	if (len != 7 || s[4] != '-')
		return -1;
	if ((y = date_digits(s, 4)) == -1 || (m = date_digits(s + 5, 2)) == -1)
		return -1;
	if (y < 1900 || m < 1 || m > 12)
		return -1;
	*out = date_from_ymd(y, m, 1);
	return 0;
}

/*
 * Howard Hinnant's days_from_civil: years start on 1 March so that the
 * leap day is the last day of the year, and eras of 400 years repeat.
 */
day_t
date_from_ymd(int year, int month, int mday)
{
	long	 y, era, yoe, doy, doe;

	y = (long)year - (month <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + mday - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (day_t)(era * 146097 + doe - DAYS_1970);
}

void
date_to_ymd(day_t day, int *year, int *month, int *mday)
{
	long	 z, era, doe, yoe, doy, mp, m;

	z = (long)day + DAYS_1970;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
}

char *
date_format(day_t day, char out[DATE_STR_LEN])
{
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		snprintf(out, DATE_STR_LEN, "xxxx-xx-xx");
	else
		snprintf(out, DATE_STR_LEN, "%04d-%02d-%02d", y, m, d);
	return out;
}

int
date_weekday(day_t day)
{
	/* 1970-01-01 was a Thursday, 3 counting Monday as 0. */
	return (int)((((long)day % 7) + 7 + 3) % 7);
}

day_t
date_today(void)
{
	long long	 t;

	t = (long long)time(NULL) + CHINA_OFFSET;
	return (day_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

void
calendar_init(struct calendar *cal)
{
	memset(cal, 0, sizeof(*cal));
}

void
calendar_release(struct calendar *cal)
{
	size_t	 i;

	for (i = 0; i < cal->nholidays; i++)
		free(cal->holidays[i].name);
	for (i = 0; i < cal->nworkdays; i++)
		free(cal->workdays[i].name);
	free(cal->holidays);
	free(cal->workdays);
	free(cal->years);
	calendar_init(cal);
}

void
calendar_add_holiday(struct calendar *cal, day_t from, day_t to,
    const char *name)
{
	struct calendar_range	*r;

	cal->holidays = xreallocarray(cal->holidays, cal->nholidays + 1,
	    sizeof(*cal->holidays));
	r = &cal->holidays[cal->nholidays++];
	r->from = from;
	r->to = to;
	r->name = name != NULL ? xstrdup(name) : NULL;
}

void
calendar_add_workday(struct calendar *cal, day_t day, const char *name)
{
	struct calendar_range	*r;

	cal->workdays = xreallocarray(cal->workdays, cal->nworkdays + 1,
	    sizeof(*cal->workdays));
	r = &cal->workdays[cal->nworkdays++];
	r->from = r->to = day;
	r->name = name != NULL ? xstrdup(name) : NULL;
}

void
calendar_add_year(struct calendar *cal, int year)
{
	size_t	 i;

	/* Kept sorted and unique: the summary lists them. */
	for (i = 0; i < cal->nyears && cal->years[i] < year; i++)
		;
	if (i < cal->nyears && cal->years[i] == year)
		return;
	cal->years = xreallocarray(cal->years, cal->nyears + 1,
	    sizeof(*cal->years));
	memmove(&cal->years[i + 1], &cal->years[i],
	    (cal->nyears - i) * sizeof(*cal->years));
	cal->years[i] = year;
	cal->nyears++;
}

int
calendar_covers(const struct calendar *cal, day_t day)
{
	size_t	 i;
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	for (i = 0; i < cal->nyears; i++)
		if (cal->years[i] == y)
			return 1;
	return 0;
}

static int
calendar_in(const struct calendar_range *r, size_t n, day_t day)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (day >= r[i].from && day <= r[i].to)
			return 1;
	return 0;
}

int
calendar_is_workday(const struct calendar *cal, day_t day)
{
	/* A make-up day wins: the notice names it a working day outright. */
	if (calendar_in(cal->workdays, cal->nworkdays, day))
		return 1;
	if (calendar_in(cal->holidays, cal->nholidays, day))
		return 0;
	return date_weekday(day) < 5;
}

day_t
calendar_add_workdays(const struct calendar *cal, day_t day, int n)
{
	while (n > 0) {
		day++;
		if (calendar_is_workday(cal, day))
			n--;
	}
	return day;
}

int
calendar_count_workdays(const struct calendar *cal, day_t from, day_t to)
{
	int	 n = 0;

	if (to < from)
		return 0;
	for (;;) {
		if (calendar_is_workday(cal, from))
			n++;
		if (from == to)
			break;
		from++;
	}
	return n;
}

void
timestamp_now(char out[TIMESTAMP_LEN])
{
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(out, TIMESTAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
timestamp_parse(const char *s, int64_t *out)
{
	day_t	 day;
	int	 h, m, sec;

	if (strlen(s) != TIMESTAMP_LEN - 1 || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z' || date_parse(s, 10, &day) == -1)
		return -1;
	h = (s[11] - '0') * 10 + (s[12] - '0');
	m = (s[14] - '0') * 10 + (s[15] - '0');
	sec = (s[17] - '0') * 10 + (s[18] - '0');
	if (s[11] < '0' || s[11] > '9' || s[12] < '0' || s[12] > '9' ||
	    s[14] < '0' || s[14] > '9' || s[15] < '0' || s[15] > '9' ||
	    s[17] < '0' || s[17] > '9' || s[18] < '0' || s[18] > '9' ||
	    h > 23 || m > 59 || sec > 59)
		return -1;
	*out = (int64_t)day * 86400 + h * 3600 + m * 60 + sec;
	return 0;
}

/*
 * A time as people in the plan's zone read it: records keep UTC, but a
 * bureau in China reads Beijing time, so every time shown says which.
 */
char *
timestamp_beijing(int64_t t, char out[TIMESTAMP_SHOW_LEN])
{
	long long	 s = (long long)t + CHINA_OFFSET, sec;
	day_t		 day;
	char		 d[DATE_STR_LEN];

	sec = (s % 86400 + 86400) % 86400;
	day = (day_t)((s - sec) / 86400);

	snprintf(out, TIMESTAMP_SHOW_LEN, "%s %02lld:%02lld:%02lld +08:00",
	    date_format(day, d), sec / 3600, sec / 60 % 60, sec % 60);
	return out;
}

char *
timestamp_show(const char *utc, char out[TIMESTAMP_SHOW_LEN])
{
	int64_t	 t;

	if (utc == NULL || timestamp_parse(utc, &t) == -1) {
		snprintf(out, TIMESTAMP_SHOW_LEN, "%s", utc != NULL ? utc :
		    "");
		return out;
	}
	return timestamp_beijing(t, out);
}
