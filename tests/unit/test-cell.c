/*
 * Unit tests of cell.c: every accepted date, month and yes/no spelling,
 * the ambiguous forms that must stay refused, division prefixes, the
 * spreadsheet telltales and the edit distance behind "did you mean".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "cell.h"

static const char *
date_of(const char *s, int month)
{
	static char	 out[DATE_STR_LEN];
	day_t		 d;

	if ((month ? cell_month(s, strlen(s), &d) :
	    cell_date(s, strlen(s), &d)) == -1)
		return "refused";
	return date_format(d, out);
}

static void
test_cell__dates(void **state)
{
	static const char *const same[] = { "2026-01-05", "2026-1-5",
	    "2026/1/5", "2026/01/05", "2026.1.5", "2026.01.05", "2026年1月5日",
	    "2026年01月05日", "20260105" };
	static const char *const refused[] = { "", "1/5/2026", "5/1/2026",
	    "05/01/2026", "26-1-5", "2026-1", "2026/1-5", "2026-1/5",
	    "2026年1月5", "2026年1-5日", "2026-001-05", "2026-1-005",
	    "2026010", "202601055", "2026-13-01", "2026-02-29", "2026-02-30",
	    "1899-12-31", "2026-1-5 ", " 2026-1-5", "2026-1-5日", "2026-0-5",
	    "２０２６-1-5", "2026--1-5", "-2026-1-5", "2026-1-5T00:00",
	    "46027", "2026-1-+5" };
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(date_of(same[i], 0), "2026-01-05");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (strcmp(date_of(refused[i], 0), "refused") != 0)
			fail_msg("'%s' read as %s", refused[i],
			    date_of(refused[i], 0));
	assert_string_equal(date_of("2028-2-29", 0), "2028-02-29");
	assert_string_equal(date_of("9999/12/31", 0), "9999-12-31");
	assert_string_equal(date_of("1900.1.1", 0), "1900-01-01");
}

static void
test_cell__months(void **state)
{
	static const char *const same[] = { "2026-10", "2026/10", "2026.10",
	    "2026年10月", "202610", "2026-10-31", "2026/10/1", "20261005" };
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_string_equal(date_of(same[i], 1), "2026-10-01");
	assert_string_equal(date_of("2026-1", 1), "2026-01-01");
	assert_string_equal(date_of("10/2026", 1), "refused");
	assert_string_equal(date_of("2026-13", 1), "refused");
	assert_string_equal(date_of("2026年13月", 1), "refused");
	assert_string_equal(date_of("26-10", 1), "refused");
}

static void
test_cell__bools(void **state)
{
	static const char *const yes[] = { "是", "Y", "y", "yes", "YES",
	    "1", "true", "TRUE", "T", "有", "√", "✓", "在岗", "有效" };
	static const char *const no[] = { "否", "N", "n", "no", "No", "0",
	    "false", "False", "F", "无", "×", "✗", "不在岗", "离岗", "无效" };
	static const char *const neither[] = { "", "也许", "2", "yess", "是否",
	    "x", "ye", "是 ", "01" };
	size_t	 i;
	int	 v;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = -1;
		assert_int_equal(cell_bool(yes[i], strlen(yes[i]), &v), 0);
		assert_int_equal(v, 1);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = -1;
		assert_int_equal(cell_bool(no[i], strlen(no[i]), &v), 0);
		assert_int_equal(v, 0);
	}
	for (i = 0; i < sizeof(neither) / sizeof(neither[0]); i++)
		assert_int_equal(cell_bool(neither[i], strlen(neither[i]),
		    &v), -1);
}

static void
test_cell__scientific_and_day_numbers(void **state)
{
	(void)state;
	assert_true(cell_scientific("9.13607E+17", 11));
	assert_true(cell_scientific("9.13607e+17", 11));
	assert_true(cell_scientific("9E17", 4));
	assert_true(cell_scientific("3.6020019E10", 12));
	assert_false(cell_scientific("913607E+17", 10));
	assert_false(cell_scientific("91360202000000019L", 18));
	assert_false(cell_scientific("9.1E+", 5));
	assert_false(cell_scientific("E+17", 4));
	assert_false(cell_scientific("", 0));
	assert_true(cell_day_number("46027", 5));
	assert_false(cell_day_number("04602", 5));
	assert_false(cell_day_number("4602", 4));
	assert_false(cell_day_number("460270", 6));
}

static void
test_cell__divisions(void **state)
{
	char	 out[7];

	(void)state;
	assert_int_equal(cell_division("36", 2, out), 0);
	assert_string_equal(out, "360000");
	assert_int_equal(cell_division("3602", 4, out), 0);
	assert_string_equal(out, "360200");
	assert_int_equal(cell_division("360203", 6, out), 0);
	assert_string_equal(out, "360203");
	assert_int_equal(cell_division("360", 3, out), -1);
	assert_int_equal(cell_division("36020", 5, out), -1);
	assert_int_equal(cell_division("3602031", 7, out), -1);
	assert_int_equal(cell_division("00", 2, out), -1);
	assert_int_equal(cell_division("36A2", 4, out), -1);
}

static void
test_cell__distance(void **state)
{
	(void)state;
	assert_int_equal(cell_distance("企业名称", "企业名称"), 0);
	assert_int_equal(cell_distance("企业名", "企业名称"), 1);
	assert_int_equal(cell_distance("USCC", "uscc"), 0);
	assert_int_equal(cell_distance("nmae", "name"), 2);
	assert_int_equal(cell_distance("", "name"), 4);
	assert_int_equal(cell_distance("行政区域", "行政区划"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cell__dates),
		cmocka_unit_test(test_cell__months),
		cmocka_unit_test(test_cell__bools),
		cmocka_unit_test(test_cell__scientific_and_day_numbers),
		cmocka_unit_test(test_cell__divisions),
		cmocka_unit_test(test_cell__distance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
