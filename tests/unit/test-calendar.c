/*
 * Unit tests of civil dates and the working-day calendar, checked against
 * the official 2025 and 2026 arrangements (calendar-cn.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"

static day_t	d(const char *);
static void	cn2026(struct calendar *);
static void	cn2025(struct calendar *);

/* A date the test knows is valid. */
static day_t
d(const char *s)
{
	day_t	 day;

	if (date_parse(s, strlen(s), &day) == -1)
		fail_msg("bad test date '%s'", s);
	return day;
}

/* 国务院办公厅关于2026年部分节假日安排的通知, as in cn-2026.yaml. */
static void
cn2026(struct calendar *cal)
{
	calendar_init(cal);
	calendar_add_holiday(cal, d("2026-01-01"), d("2026-01-03"), "元旦");
	calendar_add_holiday(cal, d("2026-02-15"), d("2026-02-23"), "春节");
	calendar_add_holiday(cal, d("2026-04-04"), d("2026-04-06"), "清明节");
	calendar_add_holiday(cal, d("2026-05-01"), d("2026-05-05"), "劳动节");
	calendar_add_holiday(cal, d("2026-06-19"), d("2026-06-21"), "端午节");
	calendar_add_holiday(cal, d("2026-09-25"), d("2026-09-27"), "中秋节");
	calendar_add_holiday(cal, d("2026-10-01"), d("2026-10-07"), "国庆节");
	calendar_add_workday(cal, d("2026-01-04"), NULL);
	calendar_add_workday(cal, d("2026-02-14"), NULL);
	calendar_add_workday(cal, d("2026-02-28"), NULL);
	calendar_add_workday(cal, d("2026-05-09"), NULL);
	calendar_add_workday(cal, d("2026-09-20"), "国庆节调休");
	calendar_add_workday(cal, d("2026-10-10"), "国庆节调休");
	calendar_add_year(cal, 2026);
}

/* 国办发明电〔2024〕12号, as in cn-2025.yaml. */
static void
cn2025(struct calendar *cal)
{
	calendar_add_holiday(cal, d("2025-01-01"), d("2025-01-01"), "元旦");
	calendar_add_holiday(cal, d("2025-01-28"), d("2025-02-04"), "春节");
	calendar_add_holiday(cal, d("2025-04-04"), d("2025-04-06"), NULL);
	calendar_add_holiday(cal, d("2025-05-01"), d("2025-05-05"), NULL);
	calendar_add_holiday(cal, d("2025-05-31"), d("2025-06-02"), NULL);
	calendar_add_holiday(cal, d("2025-10-01"), d("2025-10-08"), NULL);
	calendar_add_workday(cal, d("2025-01-26"), NULL);
	calendar_add_workday(cal, d("2025-02-08"), NULL);
	calendar_add_workday(cal, d("2025-04-27"), NULL);
	calendar_add_workday(cal, d("2025-09-28"), NULL);
	calendar_add_workday(cal, d("2025-10-11"), NULL);
	calendar_add_year(cal, 2025);
}

static void
test_calendar__epoch_and_known_days(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(2026, 10, 22), 20748);
	assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);
}

static void
test_calendar__ymd_round_trip(void **state)
{
	day_t	 day;
	int	 y, m, md, py = 1899, pm = 12, pd = 31;

	(void)state;
	/* Every day from 1900 to 2200 follows the day before it. */
	for (day = date_from_ymd(1900, 1, 1); day <= date_from_ymd(2200, 12,
	    31); day++) {
		date_to_ymd(day, &y, &m, &md);
		assert_int_equal(date_from_ymd(y, m, md), day);
		if (md == 1) {
			assert_true((m == pm + 1 && y == py) ||
			    (m == 1 && pm == 12 && y == py + 1));
			assert_true(pd >= 28 && pd <= 31);
		} else {
			assert_int_equal(md, pd + 1);
			assert_int_equal(m, pm);
		}
		if (m == 2 && md == 29)
			assert_true(y % 4 == 0 && (y % 100 != 0 ||
			    y % 400 == 0));
		py = y;
		pm = m;
		pd = md;
	}
}

static void
test_calendar__parse_accepts_real_dates(void **state)
{
	day_t	 day;

	(void)state;
	assert_int_equal(date_parse("2026-09-18", 10, &day), 0);
	assert_int_equal(day, date_from_ymd(2026, 9, 18));
	assert_int_equal(date_parse("2000-02-29", 10, &day), 0);
	assert_int_equal(date_parse("2024-02-29", 10, &day), 0);
	assert_int_equal(date_parse("1900-01-01", 10, &day), 0);
	assert_int_equal(date_parse("9999-12-31", 10, &day), 0);
	/* Only len bytes count: a date at the start of a longer string. */
	assert_int_equal(date_parse("2026-01-31T08:00", 10, &day), 0);
	assert_int_equal(day, date_from_ymd(2026, 1, 31));
}

static void
test_calendar__parse_rejects_the_rest(void **state)
{
	static const char *const bad[] = {
		"2026-4-8", "2026-04-8", "26-04-08", "2026/04/08",
		"2026-04-08 ", " 2026-04-08", "2026-04-08x", "+026-04-08",
		"2026-13-01", "2026-00-10", "2026-04-00", "2026-04-31",
		"2026-02-29", "1900-02-29", "2100-02-29", "1899-12-31",
		"20260408", "", "2026-0a-01", "2026--4-01", "２０２６-04-08",
	};
	day_t		 day = 42;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (date_parse(bad[i], strlen(bad[i]), &day) != -1)
			fail_msg("accepted '%s'", bad[i]);
	}
	/* A valid date cut short is not a date. */
	assert_int_equal(date_parse("2026-04-08", 9, &day), -1);
	assert_int_equal(day, 42);
}

static void
test_calendar__parse_month(void **state)
{
	day_t	 day;

	(void)state;
	assert_int_equal(date_parse_month("2026-10", 7, &day), 0);
	assert_int_equal(day, date_from_ymd(2026, 10, 1));
	assert_int_equal(date_parse_month("2026-13", 7, &day), -1);
	assert_int_equal(date_parse_month("2026-00", 7, &day), -1);
	assert_int_equal(date_parse_month("2026-1", 6, &day), -1);
	assert_int_equal(date_parse_month("2026-10-01", 10, &day), -1);
	assert_int_equal(date_parse_month("1899-12", 7, &day), -1);
	assert_int_equal(date_parse_month("2026/10", 7, &day), -1);
}

static void
test_calendar__format(void **state)
{
	char	 out[DATE_STR_LEN];

	(void)state;
	assert_string_equal(date_format(0, out), "1970-01-01");
	assert_string_equal(date_format(date_from_ymd(2026, 2, 28), out),
	    "2026-02-28");
	assert_string_equal(date_format(date_from_ymd(1900, 1, 1), out),
	    "1900-01-01");
	assert_string_equal(date_format(date_from_ymd(9999, 12, 31), out),
	    "9999-12-31");
	/* Out of range: never a plausible date, never an overflow. */
	assert_string_equal(date_format(INT32_MAX, out), "xxxx-xx-xx");
	assert_string_equal(date_format(INT32_MIN, out), "xxxx-xx-xx");
}

static void
test_calendar__weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(0), 3);			/* Thursday */
	assert_int_equal(date_weekday(-1), 2);
	assert_int_equal(date_weekday(-4), 6);
	assert_int_equal(date_weekday(d("2026-09-18")), 4);	/* Friday */
	assert_int_equal(date_weekday(d("2026-09-20")), 6);	/* Sunday */
	assert_int_equal(date_weekday(d("2026-10-10")), 5);	/* Saturday */
	assert_int_equal(date_weekday(d("2026-10-22")), 3);
	assert_int_equal(date_weekday(d("1900-01-01")), 0);	/* Monday */
}

static void
test_calendar__today_is_plausible(void **state)
{
	day_t	 today;

	(void)state;
	today = date_today();
	assert_true(today > date_from_ymd(2024, 1, 1));
	assert_true(today < date_from_ymd(2200, 1, 1));
}

static void
test_calendar__workdays_of_2026(void **state)
{
	struct calendar	 cal;

	(void)state;
	cn2026(&cal);
	assert_false(calendar_is_workday(&cal, d("2026-01-01")));
	/* Sun */
	assert_true(calendar_is_workday(&cal, d("2026-01-04")));
	/* Fri */
	assert_true(calendar_is_workday(&cal, d("2026-02-13")));
	/* Mon */
	assert_false(calendar_is_workday(&cal, d("2026-02-16")));
	/* Sat */
	assert_true(calendar_is_workday(&cal, d("2026-02-28")));
	/* Sun */
	assert_false(calendar_is_workday(&cal, d("2026-03-01")));
	assert_true(calendar_is_workday(&cal, d("2026-03-02")));
	assert_false(calendar_is_workday(&cal, d("2026-10-07")));
	assert_true(calendar_is_workday(&cal, d("2026-10-08")));
	assert_true(calendar_is_workday(&cal, d("2026-10-10")));
	assert_false(calendar_is_workday(&cal, d("2026-10-11")));
	assert_int_equal(calendar_count_workdays(&cal, d("2026-01-01"),
	    d("2026-12-31")), 248);
	calendar_release(&cal);
}

static void
test_calendar__worked_example(void **state)
{
	struct calendar	 cal;
	char		 out[DATE_STR_LEN];

	(void)state;
	cn2026(&cal);
	/* calendar-cn.md: completed Friday 2026-09-18, 20 working days. */
	assert_string_equal(date_format(calendar_add_workdays(&cal,
	    d("2026-09-18"), 20), out), "2026-10-22");
	assert_string_equal(date_format(calendar_add_workdays(&cal,
	    d("2026-09-18"), 1), out), "2026-09-20");
	assert_string_equal(date_format(calendar_add_workdays(&cal,
	    d("2026-09-18"), 8), out), "2026-09-30");
	assert_string_equal(date_format(calendar_add_workdays(&cal,
	    d("2026-09-18"), 9), out), "2026-10-08");
	assert_string_equal(date_format(calendar_add_workdays(&cal,
	    d("2026-09-18"), 11), out), "2026-10-10");
	assert_int_equal(calendar_count_workdays(&cal, d("2026-09-19"),
	    d("2026-10-22")), 20);
	calendar_release(&cal);
}

static void
test_calendar__add_workdays_edges(void **state)
{
	struct calendar	 cal;

	(void)state;
	cn2026(&cal);
	/* Nothing to add: the day itself, whatever it is. */
	assert_int_equal(calendar_add_workdays(&cal, d("2026-10-01"), 0),
	    d("2026-10-01"));
	assert_int_equal(calendar_add_workdays(&cal, d("2026-10-01"), -5),
	    d("2026-10-01"));
	/* From inside a holiday, the first day after it. */
	assert_int_equal(calendar_add_workdays(&cal, d("2026-10-01"), 1),
	    d("2026-10-08"));
	/* Spring festival: Fri 02-13, then Sat 02-14 is worked. */
	assert_int_equal(calendar_add_workdays(&cal, d("2026-02-13"), 1),
	    d("2026-02-14"));
	assert_int_equal(calendar_add_workdays(&cal, d("2026-02-14"), 1),
	    d("2026-02-24"));
	/* 10 working days for an abnormal-list follow-up, over 元旦. */
	assert_int_equal(calendar_add_workdays(&cal, d("2025-12-26"), 10),
	    d("2026-01-12"));
	calendar_release(&cal);
}

static void
test_calendar__count_edges(void **state)
{
	struct calendar	 cal;

	(void)state;
	cn2026(&cal);
	assert_int_equal(calendar_count_workdays(&cal, d("2026-10-08"),
	    d("2026-10-08")), 1);
	assert_int_equal(calendar_count_workdays(&cal, d("2026-10-01"),
	    d("2026-10-07")), 0);
	assert_int_equal(calendar_count_workdays(&cal, d("2026-10-09"),
	    d("2026-10-08")), 0);
	calendar_release(&cal);
}

static void
test_calendar__no_data_means_monday_to_friday(void **state)
{
	struct calendar	 cal;

	(void)state;
	calendar_init(&cal);
	assert_false(calendar_covers(&cal, d("2026-05-01")));
	/* Fri */
	assert_true(calendar_is_workday(&cal, d("2026-05-01")));
	assert_false(calendar_is_workday(&cal, d("2026-05-02")));
	assert_int_equal(calendar_add_workdays(&cal, d("2026-05-01"), 1),
	    d("2026-05-04"));
	assert_int_equal(calendar_count_workdays(&cal, d("2027-01-01"),
	    d("2027-12-31")), 261);
	calendar_release(&cal);
	calendar_release(&cal);		/* releasing twice is harmless */
}

static void
test_calendar__two_years(void **state)
{
	struct calendar	 cal;

	(void)state;
	cn2026(&cal);
	cn2025(&cal);
	assert_true(calendar_covers(&cal, d("2025-01-01")));
	assert_true(calendar_covers(&cal, d("2026-12-31")));
	assert_false(calendar_covers(&cal, d("2027-01-01")));
	assert_false(calendar_covers(&cal, d("2024-12-31")));
	assert_int_equal(calendar_count_workdays(&cal, d("2025-01-01"),
	    d("2025-12-31")), 248);
	/* 国庆节、中秋节 2025: 09-28 (Sun) worked, 10-08 off, 10-11 worked. */
	assert_true(calendar_is_workday(&cal, d("2025-09-28")));
	assert_false(calendar_is_workday(&cal, d("2025-10-08")));
	assert_true(calendar_is_workday(&cal, d("2025-10-11")));
	calendar_release(&cal);
}

static void
test_calendar__years_sorted_unique(void **state)
{
	struct calendar	 cal;

	(void)state;
	calendar_init(&cal);
	calendar_add_year(&cal, 2026);
	calendar_add_year(&cal, 2024);
	calendar_add_year(&cal, 2026);
	calendar_add_year(&cal, 2025);
	calendar_add_year(&cal, 2027);
	assert_int_equal(cal.nyears, 4);
	assert_int_equal(cal.years[0], 2024);
	assert_int_equal(cal.years[1], 2025);
	assert_int_equal(cal.years[2], 2026);
	assert_int_equal(cal.years[3], 2027);
	calendar_release(&cal);
	assert_int_equal(cal.nyears, 0);
	assert_null(cal.years);
}

static void
test_calendar__names_are_copied(void **state)
{
	struct calendar	 cal;
	char		 name[16];

	(void)state;
	calendar_init(&cal);
	strcpy(name, "端午节");
	calendar_add_holiday(&cal, d("2026-06-19"), d("2026-06-21"), name);
	calendar_add_workday(&cal, d("2026-06-27"), name);
	name[0] = 'x';
	assert_string_equal(cal.holidays[0].name, "端午节");
	assert_string_equal(cal.workdays[0].name, "端午节");
	assert_int_equal(cal.workdays[0].from, cal.workdays[0].to);
	/* A make-up day beats a holiday over the same day. */
	calendar_add_holiday(&cal, d("2026-06-27"), d("2026-06-27"), NULL);
	assert_true(calendar_is_workday(&cal, d("2026-06-27")));
	calendar_release(&cal);
}

/* Times shown to people: Beijing time, across midnight and the year. */
static void
test_calendar__beijing_time(void **state)
{
	char	 out[TIMESTAMP_SHOW_LEN];

	(void)state;
	assert_string_equal(timestamp_beijing(0, out),
	    "1970-01-01 08:00:00 +08:00");
	/* 2026-12-31T16:00:00Z is already the new year in Beijing */
	assert_string_equal(timestamp_show("2026-12-31T16:00:00Z", out),
	    "2027-01-01 00:00:00 +08:00");
	assert_string_equal(timestamp_show("2026-12-31T15:59:59Z", out),
	    "2026-12-31 23:59:59 +08:00");
	assert_string_equal(timestamp_show("2024-02-28T16:30:05Z", out),
	    "2024-02-29 00:30:05 +08:00");
	assert_string_equal(timestamp_beijing(-8 * 3600 - 1, out),
	    "1969-12-31 23:59:59 +08:00");
	/* not a record's time: shown as it is, never invented */
	assert_string_equal(timestamp_show("yesterday", out), "yesterday");
	assert_string_equal(timestamp_show(NULL, out), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar__epoch_and_known_days),
		cmocka_unit_test(test_calendar__ymd_round_trip),
		cmocka_unit_test(test_calendar__parse_accepts_real_dates),
		cmocka_unit_test(test_calendar__parse_rejects_the_rest),
		cmocka_unit_test(test_calendar__parse_month),
		cmocka_unit_test(test_calendar__format),
		cmocka_unit_test(test_calendar__weekday),
		cmocka_unit_test(test_calendar__today_is_plausible),
		cmocka_unit_test(test_calendar__workdays_of_2026),
		cmocka_unit_test(test_calendar__worked_example),
		cmocka_unit_test(test_calendar__add_workdays_edges),
		cmocka_unit_test(test_calendar__count_edges),
		cmocka_unit_test(test_calendar__no_data_means_monday_to_friday),
		cmocka_unit_test(test_calendar__two_years),
		cmocka_unit_test(test_calendar__years_sorted_unique),
		cmocka_unit_test(test_calendar__names_are_copied),
		cmocka_unit_test(test_calendar__beijing_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
