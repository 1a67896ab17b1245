/*
 * Civil dates as integer day numbers and the official working-day calendar
 * (holidays and make-up working days, 调休), without time zones or libc
 * time functions, so that every date computation is exact and portable.
 */
#ifndef SSJ_CALENDAR_H
#define SSJ_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (proleptic Gregorian); negative before it. */
typedef int32_t day_t;

#define DATE_STR_LEN	11	/* "YYYY-MM-DD" and NUL */

/*
 * Parses exactly "YYYY-MM-DD" (years 1900..9999, a real date) from the
 * first len bytes of s. Returns 0, or -1 (no message) when it is not one.
 */
int	date_parse(const char *s, size_t len, day_t *out);
/* Parses "YYYY-MM" as the first day of that month. */
int	date_parse_month(const char *s, size_t len, day_t *out);
day_t	date_from_ymd(int year, int month, int mday);
void	date_to_ymd(day_t, int *year, int *month, int *mday);
/* Writes "YYYY-MM-DD" into out (DATE_STR_LEN bytes); returns out. */
char	*date_format(day_t, char out[DATE_STR_LEN]);
/* 0 = Monday ... 6 = Sunday (ISO 8601). */
int	date_weekday(day_t);
/* Today's date in China (UTC+8), from the system clock. */
day_t	date_today(void);

#define TIMESTAMP_LEN	21	/* "YYYY-MM-DDTHH:MM:SSZ" and NUL */
/* The current time in UTC, as records keep it. */
void	timestamp_now(char out[TIMESTAMP_LEN]);
/* Parses exactly "YYYY-MM-DDTHH:MM:SSZ" into unix time; -1 if not that. */
int	timestamp_parse(const char *, int64_t *out);
/* For people: "YYYY-MM-DD HH:MM:SS +08:00", Beijing time, of unix time. */
#define TIMESTAMP_SHOW_LEN	48
char	*timestamp_beijing(int64_t, char out[TIMESTAMP_SHOW_LEN]);
/* The same of a record's UTC time (shown as it is if it is not one). */
char	*timestamp_show(const char *utc, char out[TIMESTAMP_SHOW_LEN]);

/* One holiday (a range of days off) or one make-up working day. */
struct calendar_range {
	day_t	 from;
	day_t	 to;		/* inclusive; == from for a single day */
	char	*name;		/* e.g. "春节"; may be NULL */
};

struct calendar {
	struct calendar_range	*holidays;	/* days off, Mon-Fri or not */
	size_t			 nholidays;
	struct calendar_range	*workdays;	/* Sat/Sun that are working days */
	size_t			 nworkdays;
	int			*years;		/* years an official calendar covers */
	size_t			 nyears;
};

void	calendar_init(struct calendar *);
void	calendar_release(struct calendar *);
/* Adds a range; the calendar keeps its own copy of name. */
void	calendar_add_holiday(struct calendar *, day_t, day_t, const char *);
void	calendar_add_workday(struct calendar *, day_t, const char *);
void	calendar_add_year(struct calendar *, int year);
/* Whether the calendar has official data for the year of that day. */
int	calendar_covers(const struct calendar *, day_t);
/* A working day: Mon-Fri and not a holiday, or a make-up working day. */
int	calendar_is_workday(const struct calendar *, day_t);
/*
 * The n-th working day after day (n >= 1): the deadline "within n working
 * days of day" (calendar-cn.md worked example: 2026-09-18 + 20 = 2026-10-22).
 */
day_t	calendar_add_workdays(const struct calendar *, day_t, int n);
/* Working days in [from, to], both inclusive. */
int	calendar_count_workdays(const struct calendar *, day_t from, day_t to);

#endif
