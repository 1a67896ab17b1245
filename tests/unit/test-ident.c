/*
 * Unit tests of ident.c, with every USCC vector of domain.md §5.1 and the
 * worked examples of GB 32100, GB 11714, GS15-2006 and GB 11643.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ident.h"

#define USCC(s, e)	uscc_check((s), strlen(s), (e))

static const char	 alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* domain.md §5.1, all of them: code, USCC valid, org code valid, expects. */
static const struct {
	const char	*code;
	int		 uscc_ok;
	int		 org_ok;
	char		 expected;
} vectors[] = {
	{ "91350100M000100Y43", 1, 1, 0 },
	{ "91350100M000100Y4Z", 0, 1, '3' },
	{ "91512081MA62K0260E", 1, 1, 0 },
	{ "914403001922038216", 1, 1, 0 },
	{ "91440300708461136T", 1, 1, 0 },
	{ "91330100716105852F", 1, 1, 0 },
	{ "91310115MA1G4L1WXK", 0, 0, '7' },
	{ "91360281MA35TE5T2K", 1, 1, 0 },
	/* Not in domain.md: a published test vector of a C# validator. */
	{ "91320621MA1MRHG205", 1, 1, 0 },
};

static void
test_ident__uscc_vectors(void **state)
{
	size_t	 i;
	char	 expected;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		expected = '?';
		if (vectors[i].uscc_ok) {
			assert_int_equal(USCC(vectors[i].code, &expected),
			    USCC_OK);
			assert_int_equal(expected, '?');
		} else {
			assert_int_equal(USCC(vectors[i].code, &expected),
			    USCC_BAD_CHECK);
			assert_int_equal(expected, vectors[i].expected);
			assert_int_equal(USCC(vectors[i].code, NULL),
			    USCC_BAD_CHECK);
		}
		assert_int_equal(uscc_orgcode_valid(vectors[i].code),
		    vectors[i].org_ok);
	}
}

/* The standard's worked example: sum 1640, 1640 mod 31 = 28, check 3. */
static void
test_ident__uscc_every_check_char(void **state)
{
	char	 code[USCC_LEN + 1] = "91350100M000100Y43";
	char	 expected;
	size_t	 i;
	int	 ok = 0;

	(void)state;
	for (i = 0; i < sizeof(alphabet) - 1; i++) {
		code[USCC_LEN - 1] = alphabet[i];
		if (USCC(code, &expected) == USCC_OK)
			ok++;
		else
			assert_int_equal(expected, '3');
	}
	assert_int_equal(ok, 1);
}

/* A remainder of 0 gives 31, which maps to '0'. */
static void
test_ident__uscc_check_zero(void **state)
{
	char	 code[USCC_LEN + 1] = "00000000000000000?";
	char	 expected;

	(void)state;
	code[17] = '1';
	assert_int_equal(USCC(code, &expected), USCC_BAD_CHECK);
	assert_int_equal(expected, '0');
	code[17] = '0';
	assert_int_equal(USCC(code, NULL), USCC_OK);
	/* A single 1 at position 1 (weight 1): 31 - 1 = 30 = 'Y'. */
	memcpy(code, "10000000000000000Y", USCC_LEN);
	assert_int_equal(USCC(code, NULL), USCC_OK);
}

static void
test_ident__uscc_bad_chars(void **state)
{
	static const char *const bad[] = {
		"91350100I000100Y43", "91350100O000100Y43",
		"91350100S000100Y43", "91350100V000100Y43",
		"91350100Z000100Y43", "91350100m000100Y43",
		"91350100-000100Y43", "z1350100M000100Y43",
		"91350100M000100YI3",
	};
	size_t	 i;
	char	 expected;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(USCC(bad[i], NULL), USCC_BAD_CHAR);
	/* At position 18 any wrong character is a wrong check character. */
	expected = '?';
	assert_int_equal(USCC("91350100M000100Y4 ", &expected),
	    USCC_BAD_CHECK);
	assert_int_equal(expected, '3');
	assert_int_equal(USCC("91350100M000100Y4z", NULL), USCC_BAD_CHECK);
	assert_int_equal(USCC("91350100M000100Y4O", NULL), USCC_BAD_CHECK);
	/* A NUL inside is no character either. */
	assert_int_equal(uscc_check("9135\0100M000100Y43", 18, NULL),
	    USCC_BAD_CHAR);
	assert_int_equal(uscc_check("91350100M000100Y4\0", 18, NULL),
	    USCC_BAD_CHECK);
}

static void
test_ident__uscc_bad_length(void **state)
{
	(void)state;
	assert_int_equal(USCC("", NULL), USCC_BAD_LENGTH);
	assert_int_equal(USCC("91350100M000100Y4", NULL), USCC_BAD_LENGTH);
	assert_int_equal(USCC("91350100M000100Y433", NULL), USCC_BAD_LENGTH);
	assert_int_equal(USCC("110108000000016", NULL), USCC_BAD_LENGTH);
	/* Only len counts: the same bytes, cut. */
	assert_int_equal(uscc_check("91350100M000100Y43", 17, NULL),
	    USCC_BAD_LENGTH);
}

static void
test_ident__uscc_strerror(void **state)
{
	(void)state;
	assert_string_equal(uscc_strerror(USCC_OK), "valid");
	assert_string_equal(uscc_strerror(USCC_BAD_LENGTH),
	    "not 18 characters long");
	assert_non_null(strstr(uscc_strerror(USCC_BAD_CHAR), "I, O, S, V, Z"));
	assert_non_null(strstr(uscc_strerror(USCC_BAD_CHECK), "check"));
}

static void
test_ident__orgcode(void **state)
{
	(void)state;
	/* M000100Y-4: 22*3 + 1*5 + 34*2 = 139, 139 mod 11 = 7, 11 - 7 = 4. */
	assert_int_equal(uscc_orgcode_valid("91350100M000100Y43"), 1);
	assert_int_equal(uscc_orgcode_valid("91350100M000100Y53"), 0);
	/* MA62K026-0: letters over the full alphabet (K = 20). */
	assert_int_equal(uscc_orgcode_valid("91512081MA62K0260E"), 1);
	/* 10000001: 1*3 + 1*2 = 5, so 11 - 5 = 6, not 0. */
	assert_int_equal(uscc_orgcode_valid("91000000100000010X"), 0);
	assert_int_equal(uscc_orgcode_valid("91000000100000016X"), 1);
	/* 40000000: 4*3 = 12, remainder 1, 11 - 1 = 10, written X. */
	assert_int_equal(uscc_orgcode_valid("9100000040000000X0"), 1);
	assert_int_equal(uscc_orgcode_valid("910000004000000010"), 0);
	/* Remainder 0 gives 11, written 0. */
	assert_int_equal(uscc_orgcode_valid("910000000000000000"), 1);
	assert_int_equal(uscc_orgcode_valid("910000000000000010"), 0);
	/* Too short to hold positions 9-17; lowercase is no letter. */
	assert_int_equal(uscc_orgcode_valid("91350100M000100Y"), 0);
	assert_int_equal(uscc_orgcode_valid(""), 0);
	assert_int_equal(uscc_orgcode_valid("91350100m000100Y43"), 0);
	/* 17 characters are enough: position 18 is not looked at. */
	assert_int_equal(uscc_orgcode_valid("91350100M000100Y4"), 1);
}

static void
test_ident__regno(void **state)
{
	char	 no[REGNO_LEN + 1] = "110108000000016";
	char	 c;
	int	 ok = 0;

	(void)state;
	/* GS15-2006: ISO 7064 MOD 11,10 (a published example). */
	assert_int_equal(regno_valid(no, REGNO_LEN), 1);
	for (c = '0'; c <= '9'; c++) {
		no[14] = c;
		ok += regno_valid(no, REGNO_LEN);
	}
	assert_int_equal(ok, 1);
	assert_int_equal(regno_valid("110108000000017", REGNO_LEN), 0);
	/* A transposition is caught. */
	assert_int_equal(regno_valid("101108000000016", REGNO_LEN), 0);
	assert_int_equal(regno_valid("11010800000001", 14), 0);
	assert_int_equal(regno_valid("1101080000000160", 16), 0);
	assert_int_equal(regno_valid("11010800000001X", REGNO_LEN), 0);
	assert_int_equal(regno_valid("91350100M000100", REGNO_LEN), 0);
	/* Only the first len bytes count. */
	assert_int_equal(regno_valid("110108000000016999", REGNO_LEN), 1);
}

static void
test_ident__division(void **state)
{
	static const char *const good[] = {
		"360000", "360200", "360202", "360203", "360222", "360281",
		"110101",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(division_valid(good[i], 6), 1);
	assert_int_equal(division_valid("000000", 6), 0);
	assert_int_equal(division_valid("36020", 5), 0);
	assert_int_equal(division_valid("3602021", 7), 0);
	assert_int_equal(division_valid("36020A", 6), 0);
	assert_int_equal(division_valid("36 202", 6), 0);
	assert_int_equal(division_valid("", 0), 0);
}

static void
test_ident__industry(void **state)
{
	static const char *const good[] = {
		"C", "C30", "C307", "C3071", "A0164", "T97", "M7455",
	};
	static const char *const bad[] = {
		"", "C3", "C30711", "U30", "c30", "CC", "C30A", "3071", "C 30",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(industry_valid(good[i], strlen(good[i])), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(industry_valid(bad[i], strlen(bad[i])), 0);
}

static void
test_ident__idcard(void **state)
{
	(void)state;
	/* GB 11643-1999's own examples. */
	assert_int_equal(idcard_valid("11010519491231002X", 18), 1);
	assert_int_equal(idcard_valid("440524188001010014", 18), 1);
	assert_int_equal(idcard_valid("110105194912310021", 18), 0);
	assert_int_equal(idcard_valid("11010519491231002x", 18), 0);
	assert_int_equal(idcard_valid("440524188001010015", 18), 0);
	assert_int_equal(idcard_valid("44052418800101001", 17), 0);
	assert_int_equal(idcard_valid("4405241880010100145", 19), 0);
	assert_int_equal(idcard_valid("44052418800101X014", 18), 0);
	/* The map 10X98765432: sum 0 gives 1, sum 7 gives 5. */
	assert_int_equal(idcard_valid("000000000000000001", 18), 1);
	assert_int_equal(idcard_valid("100000000000000001", 18), 0);
	assert_int_equal(idcard_valid("100000000000000005", 18), 1);
}

static void
test_ident__credential(void **state)
{
	(void)state;
	assert_int_equal(credential_valid("36020012345", 11), 1);
	assert_int_equal(credential_valid("JX-0201-0042", 12), 1);
	assert_int_equal(credential_valid("A", 1), 1);
	assert_int_equal(credential_valid("", 0), 0);
	assert_int_equal(credential_valid("jx-1", 4), 0);
	assert_int_equal(credential_valid("JX 1", 4), 0);
	assert_int_equal(credential_valid("赣0201", strlen("赣0201")), 0);
	assert_int_equal(credential_valid(
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", 32), 1);
	assert_int_equal(credential_valid(
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", 33), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ident__uscc_vectors),
		cmocka_unit_test(test_ident__uscc_every_check_char),
		cmocka_unit_test(test_ident__uscc_check_zero),
		cmocka_unit_test(test_ident__uscc_bad_chars),
		cmocka_unit_test(test_ident__uscc_bad_length),
		cmocka_unit_test(test_ident__uscc_strerror),
		cmocka_unit_test(test_ident__orgcode),
		cmocka_unit_test(test_ident__regno),
		cmocka_unit_test(test_ident__division),
		cmocka_unit_test(test_ident__industry),
		cmocka_unit_test(test_ident__idcard),
		cmocka_unit_test(test_ident__credential),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
