/*
 * Unit tests of the JSON writer: keys in the order given, nesting,
 * escaping, null for a missing string and for text that is not UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonw.h"

static char *
print(struct jsonw *root)
{
	char	*text = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	assert_int_equal(jsonw_print(root, fp), 0);
	fclose(fp);
	return text;
}

static void
test_jsonw__keys_in_order_nested(void **state)
{
	struct jsonw	*root, *o, *a;
	char		*text;

	(void)state;
	root = jsonw_object();
	jsonw_str(root, "z", "检查\"结果\"\n");
	jsonw_int(root, "a", -9007199254740993LL);
	jsonw_bool(root, "m", 1);
	o = jsonw_add_object(root, "o");
	jsonw_str(o, "none", NULL);
	a = jsonw_add_array(root, "list");
	jsonw_push_str(a, "x");
	jsonw_int(jsonw_push_object(a), "n", 0);
	text = print(root);
	assert_string_equal(text,
	    "{\n"
	    "  \"z\": \"检查\\\"结果\\\"\\n\",\n"
	    "  \"a\": -9007199254740993,\n"
	    "  \"m\": true,\n"
	    "  \"o\": {\n"
	    "    \"none\": null\n"
	    "  },\n"
	    "  \"list\": [\n"
	    "    \"x\",\n"
	    "    {\n"
	    "      \"n\": 0\n"
	    "    }\n"
	    "  ]\n"
	    "}\n");
	free(text);
	jsonw_free(root);
}

static void
test_jsonw__not_utf8_is_null(void **state)
{
	struct jsonw	*root, *a;
	char		*text;

	(void)state;
	root = jsonw_object();
	jsonw_str(root, "bad", "\xff\xfe");
	a = jsonw_add_array(root, "l");
	jsonw_push_str(a, "\xc3");
	text = print(root);
	assert_string_equal(text, "{\n  \"bad\": null,\n  \"l\": [\n"
	    "    null\n  ]\n}\n");
	free(text);
	jsonw_free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonw__keys_in_order_nested),
		cmocka_unit_test(test_jsonw__not_utf8_is_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
