/*
 * Unit tests of the report's charts (svg.c): values as text, the axis,
 * bar lengths from exact fractions, marks and limits, escaping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "svg.h"

/* The number of times needle occurs in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
value_is(enum svg_scale s, uint64_t num, uint64_t den, const char *want)
{
	struct buf	 b = BUF_INIT;

	svg_value(s, num, den, &b);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void
test_svg__values_are_exact_and_rounded_half_up(void **state)
{
	(void)state;
	value_is(SVG_COUNT, 0, 1, "0");
	value_is(SVG_COUNT, 12345, 1, "12345");
	value_is(SVG_PERCENT, 1, 3, "33.3%");
	value_is(SVG_PERCENT, 2, 3, "66.7%");
	value_is(SVG_PERCENT, 1, 8, "12.5%");
	value_is(SVG_PERCENT, 1, 16, "6.3%");	/* 6.25: half up */
	value_is(SVG_PERCENT, 3, 59, "5.1%");
	value_is(SVG_PERCENT, 1, 1, "100.0%");
	value_is(SVG_PERCENT, 0, 7, "0.0%");
	value_is(SVG_PERCENT, 1, 0, "\xe2\x80\x94");
	value_is(SVG_COUNT, 1, 0, "\xe2\x80\x94");
}

static void
test_svg__axis_reaches_the_max_in_at_most_five_steps(void **state)
{
	static const uint64_t	 cases[][3] = {
		/* max, axis, step */
		{ 0, 1, 1 }, { 1, 1, 1 }, { 3, 3, 1 }, { 5, 5, 1 },
		{ 6, 6, 2 }, { 10, 10, 2 }, { 11, 15, 5 }, { 22, 25, 5 },
		{ 26, 30, 10 }, { 101, 150, 50 }, { 9999999, 10000000,
		    2000000 },
	};
	uint64_t		 step, axis;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		axis = svg_axis_max(cases[i][0], &step);
		assert_int_equal(axis, cases[i][1]);
		assert_int_equal(step, cases[i][2]);
		assert_true(axis / step <= 5);
		assert_true(axis >= cases[i][0]);
	}
}

static void
test_svg__escape(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	svg_escape(&b, "a&b<c>\"d\"\x01\x1f\te 检查");
	assert_string_equal(buf_cstr(&b),
	    "a&amp;b&lt;c&gt;&quot;d&quot;\te 检查");
	buf_release(&b);
}

static void
test_svg__bars_are_as_long_as_their_fraction(void **state)
{
	/* the plot is 760 - 250 - 90 = 420 pixels wide */
	static const struct svg_bar	 bars[] = {
		{ "A 信用风险低", 1, 2, 1, 3, 100 },
		{ "B <b>", 1, 4, 0, 0, 0 },
		{ "over", 3, 2, 0, 0, 0 },
		{ "empty", 0, 0, 0, 0, 0 },
	};
	struct svg_chart	 c;
	struct buf		 b = BUF_INIT, again = BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.id = "t";
	c.title = "各类别 & 比例";
	c.category_label = "类别";
	c.value_label = "抽取比例";
	c.mark_label = "计划比例";
	c.scale = SVG_PERCENT;
	c.bars = bars;
	c.nbars = 4;
	svg_chart(&c, &b);
	assert_int_equal(count(b.data, "<svg "), 1);
	assert_int_equal(count(b.data, "</svg>"), 1);
	assert_non_null(strstr(b.data, "<title id=\"t-t\">各类别 &amp; 比例"
	    "</title>"));
	assert_int_equal(count(b.data, ">各类别 &amp; 比例</text>"), 1);
	assert_non_null(strstr(b.data, ">类别</text>"));
	assert_non_null(strstr(b.data, ">抽取比例</text>"));
	assert_non_null(strstr(b.data, ">计划比例</text>"));
	assert_non_null(strstr(b.data, ">A 信用风险低</text>"));
	assert_non_null(strstr(b.data, ">B &lt;b&gt;</text>"));
	/* 1/2 of 420, 1/4 of it, clamped at the whole, nothing */
	assert_non_null(strstr(b.data, "width=\"210\" height=\"20\""));
	assert_non_null(strstr(b.data, "width=\"105\" height=\"20\""));
	assert_non_null(strstr(b.data, "width=\"420\" height=\"20\""));
	assert_non_null(strstr(b.data, "width=\"0\" height=\"20\""));
	/* the values as text; one mark, at 3% of 420 = 12 past x 250 */
	assert_non_null(strstr(b.data, ">50.0%</text>"));
	assert_non_null(strstr(b.data, ">25.0%</text>"));
	assert_non_null(strstr(b.data, ">\xe2\x80\x94</text>"));
	assert_int_equal(count(b.data, "class=\"mk\""), 2);	/* + legend */
	assert_non_null(strstr(b.data, "x1=\"262\""));
	/* ticks 0% to 100% */
	assert_non_null(strstr(b.data, ">0%</text>"));
	assert_non_null(strstr(b.data, ">100%</text>"));
	assert_null(strstr(b.data, "nan"));
	/* the same data, the same bytes */
	svg_chart(&c, &again);
	assert_string_equal(b.data, again.data);
	buf_release(&b);
	buf_release(&again);
}

static void
test_svg__long_labels_are_cut(void **state)
{
	static const struct svg_bar	 bars[] = {
		{ "一二三四五六七八九十一二三四五六七八九十", 1, 1, 0, 0, 0 },
	};
	struct svg_chart	 c;
	struct buf		 b = BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.id = "t";
	c.title = "t";
	c.category_label = "c";
	c.value_label = "v";
	c.bars = bars;
	c.nbars = 1;
	svg_chart(&c, &b);
	assert_non_null(strstr(b.data, ">一二三四五六七八九十一二三四五六七"
	    "\xe2\x80\xa6</text>"));
	buf_release(&b);
}

static void
test_svg__columns_with_a_limit(void **state)
{
	static const struct svg_bar	 bars[] = {
		{ "1", 4, 1, 0, 0, 0 },
		{ "2", 0, 1, 0, 0, 0 },
		{ "3", 7, 1, 0, 0, 0 },
	};
	struct svg_chart	 c;
	struct buf		 b = BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.id = "h";
	c.title = "工作量分布";
	c.category_label = "每人检查对象数";
	c.value_label = "检查人员数";
	c.scale = SVG_COUNT;
	c.bars = bars;
	c.nbars = 3;
	c.columns = 1;
	c.limit_after = 1;
	c.limit_label = "上限 2";
	svg_chart(&c, &b);
	/* the axis reaches 8 (step 2) over 200 pixels: 7 is 175 high */
	assert_non_null(strstr(b.data, "height=\"175\""));
	assert_non_null(strstr(b.data, "height=\"100\""));
	assert_non_null(strstr(b.data, ">8</text>"));
	assert_non_null(strstr(b.data, ">上限 2</text>"));
	assert_int_equal(count(b.data, "class=\"mk\""), 1);
	assert_non_null(strstr(b.data, ">每人检查对象数</text>"));
	assert_non_null(strstr(b.data, ">检查人员数</text>"));
	/* no limit beyond the columns */
	buf_reset(&b);
	c.limit_after = 3;
	svg_chart(&c, &b);
	assert_int_equal(count(b.data, "class=\"mk\""), 0);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg__values_are_exact_and_rounded_half_up),
		cmocka_unit_test(
		    test_svg__axis_reaches_the_max_in_at_most_five_steps),
		cmocka_unit_test(test_svg__escape),
		cmocka_unit_test(test_svg__bars_are_as_long_as_their_fraction),
		cmocka_unit_test(test_svg__long_labels_are_cut),
		cmocka_unit_test(test_svg__columns_with_a_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
