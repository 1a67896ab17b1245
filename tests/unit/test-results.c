/*
 * Unit tests of the results module's pure parts: the 检查结果 codes and
 * names (domain.md §4.3), and CSV encoding for spreadsheets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "csvfile.h"
#include "results.h"

/* The codes a cell parses to, or "!" and the reason when it is refused. */
static char *
parse(const char *s)
{
	struct buf	 b = BUF_INIT;
	char		*why;

	if (results_parse_codes(s, strlen(s), &b, &why) == -1) {
		buf_reset(&b);
		buf_printf(&b, "!%s", why);
		free(why);
	}
	return buf_detach(&b, NULL);
}

static void
check(const char *cell, const char *want)
{
	char	*got = parse(cell);

	assert_string_equal(got, want);
	free(got);
}

static void
test_results__codes_and_names(void **state)
{
	(void)state;
	check("1", "1");
	check("未发现问题", "1");
	check(" 未发现问题 ", "1");
	check("发现问题已责令改正", "E");		/* the GSXT wording */
	check("公示信息隐瞒真实情况、弄虚作假", "C");	/* holds a 、 */
	check("10", "10");
	check("被吊销", "10");
}

static void
test_results__several_in_list_order(void **state)
{
	(void)state;
	check("C,B", "B,C");
	check("未按规定公示应当公示的信息；发现问题待后续处理", "A,B");
	check("E、6", "6,E");
	check("B;C;", "B,C");
}

static void
test_results__refusals(void **state)
{
	(void)state;
	check("", "!empty");
	check("很好", "!unknown result '很好' (use a code or name of "
	    "检查结果, see ssj(1))");
	check("B,B", "!'B' twice");
	check("1,B", "!'未发现问题' (1) cannot be combined with another "
	    "result");
	check("注销;迁出", "!'迁出' (12) cannot be combined with another "
	    "result");
	check("13", "!unknown result '13' (use a code or name of "
	    "检查结果, see ssj(1))");
}

static void
test_results__every_code_by_name_and_code(void **state)
{
	struct buf	 names = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < result_ncodes; i++) {
		check(result_codes[i].code, result_codes[i].code);
		check(result_codes[i].name, result_codes[i].code);
		buf_reset(&names);
		results_code_names(result_codes[i].code, "；", &names);
		assert_string_equal(buf_cstr(&names), result_codes[i].name);
	}
	buf_reset(&names);
	results_code_names("B,C", "；", &names);
	assert_string_equal(buf_cstr(&names),
	    "未按规定公示应当公示的信息；公示信息隐瞒真实情况弄虚作假");
	buf_release(&names);
}

static void
test_results__encode_for_spreadsheets(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	assert_int_equal(csv_encode_sheet(CSV_UTF8, "检查", 6, &b), 0);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "\xef\xbb\xbf检查", 9);
	buf_reset(&b);
	assert_int_equal(csv_encode_sheet(CSV_GBK, "检查,a\r\n", 10, &b), 0);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "\xbc\xec\xb2\xe9,a\r\n", 8);
	buf_reset(&b);
	/* an emoji has no GBK form */
	assert_int_equal(csv_encode_sheet(CSV_GBK, "a\xf0\x9f\x98\x80", 5, &b), -1);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results__codes_and_names),
		cmocka_unit_test(test_results__several_in_list_order),
		cmocka_unit_test(test_results__refusals),
		cmocka_unit_test(test_results__every_code_by_name_and_code),
		cmocka_unit_test(test_results__encode_for_spreadsheets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
