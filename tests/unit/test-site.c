/*
 * Unit tests of the report's pages (site.c): the table each chart
 * carries, tables with links, the page's head, escaping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "site.h"
#include "svg.h"

static void
test_site__a_chart_carries_its_table(void **state)
{
	static const struct svg_bar	 bars[] = {
		{ "360203 珠山区", 22, 1, 1, 20, 1 },
		{ "360202 昌江区", 10, 1, 0, 0, 0 },
	};
	static const char *const	 cols[] = { "批次", "#户数", NULL };
	static const char *const	 row[] = { "\x01" "batch-X.html\x01X",
	    "3" };
	struct svg_chart		 c;
	struct site_table		 tb;
	struct buf			 b = BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.id = "d";
	c.title = "各区县抽取户数";
	c.category_label = "行政区划";
	c.value_label = "抽取户数";
	c.mark_label = "目标";
	c.scale = SVG_COUNT;
	c.bars = bars;
	c.nbars = 2;
	site_chart(&b, &c);
	assert_non_null(strstr(b.data, "<figure class=\"fig\" id=\"d\">"));
	assert_non_null(strstr(b.data, "<caption>各区县抽取户数</caption>"));
	assert_non_null(strstr(b.data, "<th>行政区划</th><th class=\"n\">"
	    "抽取户数</th><th class=\"n\">目标</th>"));
	assert_non_null(strstr(b.data, "<tr><td>360203 珠山区</td><td "
	    "class=\"n\">22</td><td class=\"n\">20</td></tr>"));
	assert_non_null(strstr(b.data, "<tr><td>360202 昌江区</td><td "
	    "class=\"n\">10</td><td class=\"n\"></td></tr>"));
	buf_reset(&b);
	site_table_begin(&tb, &b, NULL, cols);
	site_table_row(&tb, row);
	site_table_end(&tb);
	assert_non_null(strstr(b.data, "<td><a href=\"batch-X.html\">X</a>"
	    "</td><td class=\"n\">3</td>"));
	buf_reset(&b);
	site_begin(&b, "报告 <1>", NULL, 0);
	site_end(&b, "页脚");
	assert_non_null(strstr(b.data, "<title>报告 &lt;1&gt;</title>"));
	assert_non_null(strstr(b.data, "href=\"index.html\""));
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "http:"));
	buf_release(&b);
}

static void
test_site__the_stylesheet_prints(void **state)
{
	(void)state;
	assert_non_null(strstr(site_stylesheet, "@media print"));
	assert_non_null(strstr(site_stylesheet, "Noto Sans CJK SC"));
	assert_null(strstr(site_stylesheet, "url("));
	/* its first lines are a plain comment: scans read them */
	assert_memory_equal(site_stylesheet, "/* ssj report */\n\n\n", 18);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site__a_chart_carries_its_table),
		cmocka_unit_test(test_site__the_stylesheet_prints),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
