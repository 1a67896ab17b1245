/*
 * Unit tests of the checked number parser: digits only, no wrap, the
 * range kept at both ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"
#include "num.h"

static void
test_num__u64_range(void **state)
{
	uint64_t	 v = 7;

	(void)state;
	assert_int_equal(num_parse_u64("0", 0, 10, &v), 0);
	assert_true(v == 0);
	assert_int_equal(num_parse_u64("10", 0, 10, &v), 0);
	assert_true(v == 10);
	assert_int_equal(num_parse_u64("11", 0, 10, &v), -1);
	assert_int_equal(num_parse_u64("0", 1, 10, &v), -1);
	assert_int_equal(num_parse_u64("18446744073709551615", 0, UINT64_MAX,
	    &v), 0);
	assert_true(v == UINT64_MAX);
	/* 2^64 and 2^64 + 1: strtoull(3) would say ERANGE or wrap */
	assert_int_equal(num_parse_u64("18446744073709551616", 0, UINT64_MAX,
	    &v), -1);
	assert_int_equal(num_parse_u64("18446744073709551617", 0, UINT64_MAX,
	    &v), -1);
	assert_int_equal(num_parse_u64("99999999999999999999999", 0,
	    UINT64_MAX, &v), -1);
	assert_int_equal(num_parse_u64("9223372036854775808", 1, INT64_MAX,
	    &v), -1);
	assert_true(v == UINT64_MAX);	/* untouched on failure */
}

static void
test_num__u64_refuses_what_strtoull_takes(void **state)
{
	static const char *const bad[] = {
		"-1", "+1", " 1", "1 ", "", "1x", "0x10", "1e3", "１", "1\n",
		"-0",
	};
	uint64_t	 v;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(num_parse_u64(bad[i], 0, UINT64_MAX, &v), -1);
	assert_int_equal(num_parse_u64(NULL, 0, UINT64_MAX, &v), -1);
}

static void
test_num__u64n_field(void **state)
{
	uint64_t	 v;

	(void)state;
	assert_int_equal(num_parse_u64n("360281\t5", 6, 0, 999999, &v), 0);
	assert_true(v == 360281);
	assert_int_equal(num_parse_u64n("360281\t5", 7, 0, 999999, &v), -1);
	assert_int_equal(num_parse_u64n("12", 0, 0, 99, &v), -1);
}

static void
test_num__i64_range(void **state)
{
	int64_t		 v;

	(void)state;
	assert_int_equal(num_parse_i64("-5", -5, 5, &v), 0);
	assert_true(v == -5);
	assert_int_equal(num_parse_i64("-6", -5, 5, &v), -1);
	assert_int_equal(num_parse_i64("6", -5, 5, &v), -1);
	assert_int_equal(num_parse_i64("-1", 0, 5, &v), -1);
	assert_int_equal(num_parse_i64("-9223372036854775808", INT64_MIN,
	    INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(num_parse_i64("-9223372036854775809", INT64_MIN,
	    INT64_MAX, &v), -1);
	assert_int_equal(num_parse_i64("9223372036854775807", INT64_MIN,
	    INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_parse_i64("9223372036854775808", INT64_MIN,
	    INT64_MAX, &v), -1);
	assert_int_equal(num_parse_i64("3", 4, 9, &v), -1);
	assert_int_equal(num_parse_i64("--1", INT64_MIN, 0, &v), -1);
	assert_int_equal(num_parse_i64("-", INT64_MIN, 0, &v), -1);
}

/* Public hex: the same bytes as crypto_hex, one lowercase spelling back. */
/* What "%lld" writes, for the digests' integers. */
static void
test_num__format_i64_as_printf(void **state)
{
	static const int64_t	 v[] = { 0, 1, -1, 9, 10, -10, 1234567890,
	    INT64_MAX, INT64_MIN, INT64_MIN + 1 };
	char			 got[24], want[24];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(want, sizeof(want), "%lld", (long long)v[i]);
		assert_int_equal(num_format_i64(got, v[i]), strlen(want));
		assert_string_equal(got, want);
	}
}

static void
test_num__hex_round_trip(void **state)
{
	unsigned char	 b[256], back[256];
	char		 hex[513], ref[513];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)i;
	num_hex(b, sizeof(b), hex);
	crypto_hex(b, sizeof(b), ref);
	assert_string_equal(hex, ref);
	assert_int_equal(num_unhex(hex, back, sizeof(back)), 0);
	assert_memory_equal(back, b, sizeof(b));
	assert_int_equal(num_unhex("0aFF", back, 2), -1);
	assert_int_equal(num_unhex("0a", back, 2), -1);
	assert_int_equal(num_unhex("0a0b0", back, 2), -1);
	assert_int_equal(num_unhex("0g", back, 1), -1);
	assert_int_equal(num_unhex("", back, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num__u64_range),
		cmocka_unit_test(test_num__u64_refuses_what_strtoull_takes),
		cmocka_unit_test(test_num__u64n_field),
		cmocka_unit_test(test_num__i64_range),
		cmocka_unit_test(test_num__format_i64_as_printf),
		cmocka_unit_test(test_num__hex_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
