/*
 * libFuzzer harness for the lenient cell parsers (cell.c): dates, months,
 * yes/no, division prefixes, scientific notation. Whatever is accepted
 * must be canonical and read back to the same value -- a date written
 * YYYY-MM-DD parses again to the same day, a month is its first day, a
 * division is six digits -- and the edit distance must be symmetric, zero
 * from a text to itself, and bounded. Broken invariants abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cell.h"

#define FUZZ_MAX	256

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	char		 out[DATE_STR_LEN], div[7], a[FUZZ_MAX + 1], *b;
	day_t		 d, d2;
	size_t		 i, cut;
	int		 y, m, md, v;

	if (size > FUZZ_MAX)
		return 0;
	if (cell_date(s, size, &d) == 0) {
		date_to_ymd(d, &y, &m, &md);
		if (y < 1900 || y > 9999)
			abort();
		date_format(d, out);
		if (cell_date(out, strlen(out), &d2) != 0 || d2 != d)
			abort();
		if (cell_month(s, size, &d2) != 0 ||
		    d2 != date_from_ymd(y, m, 1))
			abort();
		/* every date form also names one unambiguous day */
		if (cell_day_number(s, size) || cell_scientific(s, size))
			abort();
	}
	if (cell_month(s, size, &d) == 0) {
		date_to_ymd(d, &y, &m, &md);
		if (md != 1 || y < 1900 || y > 9999)
			abort();
	}
	if (cell_bool(s, size, &v) == 0 && v != 0 && v != 1)
		abort();
	if (cell_division(s, size, div) == 0) {
		if (strlen(div) != 6 || strspn(div, "0123456789") != 6 ||
		    memcmp(div, s, size) != 0 || strcmp(div, "000000") == 0)
			abort();
	}
	if (cell_scientific(s, size) && cell_bool(s, size, &v) == 0)
		abort();

	/* Split in two at the first byte's value: a distance check. */
	if (size > 0 && memchr(s, '\0', size) == NULL) {
		cut = (unsigned char)s[0] % size;
		memcpy(a, s, cut);
		a[cut] = '\0';
		b = malloc(size - cut + 1);
		if (b == NULL)
			abort();
		memcpy(b, s + cut, size - cut);
		b[size - cut] = '\0';
		if (cell_distance(a, b) != cell_distance(b, a))
			abort();
		if (cell_distance(a, a) != 0 || cell_distance(b, b) != 0)
			abort();
		/* at most one edit per byte of the longer */
		i = strlen(a) > strlen(b) ? strlen(a) : strlen(b);
		if (cell_distance(a, b) > i)
			abort();
		free(b);
	}
	return 0;
}
