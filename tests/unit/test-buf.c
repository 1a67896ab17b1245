/*
 * Unit tests of the growable buffer: growth, formatting, detaching.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void
test_buf__empty_is_a_string(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void
test_buf__grows_and_stays_terminated(void **state)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < 10000; i++)
		buf_addch(&b, 'a' + (int)(i % 26));
	assert_int_equal(b.len, 10000);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_release(&b);
	assert_null(b.data);
}

static void
test_buf__printf_and_binary(void **state)
{
	struct buf	 b = BUF_INIT;

	(void)state;
	buf_printf(&b, "%s-%d", "x", 42);
	buf_add(&b, "\0z", 2);
	buf_addstr(&b, "!");
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "x-42\0z!", 7);
	buf_release(&b);
}

static void
test_buf__detach_transfers_ownership(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*p;
	size_t		 len;

	(void)state;
	buf_addstr(&b, "景德镇");
	p = buf_detach(&b, &len);
	assert_int_equal(len, strlen("景德镇"));
	assert_string_equal(p, "景德镇");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
	p = buf_detach(&b, NULL);
	assert_string_equal(p, "");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf__empty_is_a_string),
		cmocka_unit_test(test_buf__grows_and_stays_terminated),
		cmocka_unit_test(test_buf__printf_and_binary),
		cmocka_unit_test(test_buf__detach_transfers_ownership),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
