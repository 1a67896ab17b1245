/*
 * Unit tests of the radix sort: the order qsort with memcmp gives, on
 * keys shaped like a province's codes (long shared prefixes, buckets of
 * every size), on ties, and on the small cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sort.h"

#define KEY	18
/* A code NUL-padded to 18 bytes and a payload, as the import's rows. */
struct row {
	char		 code[KEY];
	uint32_t	 tail;
};

static uint64_t
next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int
row_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct row));
}

/*
 * n rows (n < 31^4): entity types of a few kinds, one province, two
 * divisions, then characters of a 31-letter alphabet, few of them at
 * first, some codes shorter (15-digit legacy numbers, NUL-padded); every
 * code distinct unless ties, when about one in four repeats another.
 */
static struct row *
rows(size_t n, uint64_t seed, int ties)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const char *const head[] = { "9136", "9236", "9336", "5236" };
	struct row	*r;
	uint64_t	 x = seed;
	size_t		 i, k, len, v;

	r = calloc(n > 0 ? n : 1, sizeof(*r));
	assert_non_null(r);
	for (i = 0; i < n; i++) {
		if (ties && i > 0 && next_random(&x) % 4 == 0) {
			memcpy(r[i].code, r[next_random(&x) % i].code, KEY);
			r[i].tail = (uint32_t)i;
			continue;
		}
		len = next_random(&x) % 10 == 0 ? 15 : KEY;
		memcpy(r[i].code, head[next_random(&x) % 4], 4);
		memcpy(r[i].code + 4, next_random(&x) % 2 ? "0203" : "0281", 4);
		/* the rest from fewer letters the deeper, then unique */
		for (k = 8; k < len - 4; k++)
			r[i].code[k] = alphabet[next_random(&x) % (k < 10 ?
			    3 : 31)];
		/* i in base 31: distinct for the sizes tried here */
		for (k = len, v = i; k > len - 4; k--, v /= 31)
			r[i].code[k - 1] = alphabet[v % 31];
		r[i].tail = (uint32_t)i;
	}
	return r;
}

/*
 * sort_bytes by the code: sorted, and the order qsort gives (with ties,
 * the same rows: their order among equal codes is free).
 */
static void
check(size_t n, uint64_t seed, int ties)
{
	struct row	*a, *b;
	size_t		 i;

	a = rows(n, seed, ties);
	b = rows(n, seed, ties);
	sort_bytes(a, n, sizeof(*a), KEY);
	for (i = 1; i < n; i++)
		assert_true(memcmp(a[i - 1].code, a[i].code, KEY) <= 0);
	if (ties)
		qsort(a, n, sizeof(*a), row_cmp);
	qsort(b, n, sizeof(*b), row_cmp);
	assert_memory_equal(a, b, n * sizeof(*a));
	free(a);
	free(b);
}

static void
test_sort__as_qsort(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 31, 32, 33, 64, 1000, 4096,
	    100000, 300001 };
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		check(sizes[i], 1 + i, 0);
		check(sizes[i], 0x9e3779b97f4a7c15ULL + i, 0);
	}
}

static void
test_sort__ties(void **state)
{
	(void)state;
	check(50000, 7, 1);
}

/* Keys shorter than the record: the rest is not looked at. */
static void
test_sort__key_prefix(void **state)
{
	unsigned char	 r[6][3] = { { 2, 0, 9 }, { 1, 5, 8 }, { 2, 0, 7 },
	    { 0, 9, 6 }, { 1, 4, 5 }, { 0, 9, 4 } };
	size_t		 i;

	(void)state;
	sort_bytes(r, 6, 3, 2);
	for (i = 1; i < 6; i++)
		assert_true(memcmp(r[i - 1], r[i], 2) <= 0);
	assert_memory_equal(r[2], "\1\4\5", 3);
	assert_memory_equal(r[3], "\1\5\10", 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort__as_qsort),
		cmocka_unit_test(test_sort__ties),
		cmocka_unit_test(test_sort__key_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
