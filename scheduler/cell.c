/*
 * Lenient parsers for the cells of imported files: every form accepted
 * here has one reading only, and each maps to one canonical value.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "cell.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Reads min to max digits at *s; -1 if there are fewer or more. */
static int
cell_digits(const char **s, const char *end, int min, int max)
{
	int	 v = 0, n = 0;

	while (*s < end && **s >= '0' && **s <= '9') {
		if (++n > max)
			return -1;
		/* only a year or YYYYMMDD is read as a value: 8 digits */
		if (n <= 9)
			v = v * 10 + (**s - '0');
		(*s)++;
	}
	return n >= min ? v : -1;
}

/* Skips the literal lit at *s; 0 if it is not there. */
static int
cell_skip(const char **s, const char *end, const char *lit)
{
	size_t	 n = strlen(lit);

	if ((size_t)(end - *s) < n || memcmp(*s, lit, n) != 0)
		return 0;
	*s += n;
	return 1;
}

/*
 * The year, month and (with want_day) day; *day is 1 without. The year
 * always comes first and has four digits: "1/5/2026" or "26-1-5" are not
 * read, since offices and spreadsheets disagree on them.
 */
static int
cell_ymd(const char *s, size_t len, int want_day, int *y, int *m, int *d)
{
	static const char *const seps[] = { "-", "/", "." };
	const char	*end = s + len, *p = s;
	size_t		 i;

	*d = 1;
	if ((*y = cell_digits(&p, end, 4, 8)) == -1)
		return -1;
	if (p == end) {
		/* YYYYMMDD or YYYYMM, digits only */
		if (len == (want_day ? 8u : 6u)) {
			*m = (*y / (want_day ? 100 : 1)) % 100;
			*d = want_day ? *y % 100 : 1;
			*y /= want_day ? 10000 : 100;
			return 0;
		}
		return -1;
	}
	if (p - s != 4)
		return -1;
	if (cell_skip(&p, end, "年")) {
		if ((*m = cell_digits(&p, end, 1, 2)) == -1 ||
		    !cell_skip(&p, end, "月"))
			return -1;
		if (want_day && ((*d = cell_digits(&p, end, 1, 2)) == -1 ||
		    !cell_skip(&p, end, "日")))
			return -1;
		return p == end ? 0 : -1;
	}
	for (i = 0; i < NELEM(seps); i++) {
		if (!cell_skip(&p, end, seps[i]))
			continue;
		if ((*m = cell_digits(&p, end, 1, 2)) == -1)
			return -1;
		if (want_day && (!cell_skip(&p, end, seps[i]) ||
		    (*d = cell_digits(&p, end, 1, 2)) == -1))
			return -1;
		return p == end ? 0 : -1;
	}
	return -1;
}

static int
cell_valid(int y, int m, int d)
{
	int	 y2, m2, d2;

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	/* 2026-02-30 would come back as March */
	date_to_ymd(date_from_ymd(y, m, d), &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d;
}

int
cell_date(const char *s, size_t len, day_t *out)
{
	int	 y, m, d;

	if (cell_ymd(s, len, 1, &y, &m, &d) == -1 || !cell_valid(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int
cell_month(const char *s, size_t len, day_t *out)
{
	day_t	 day;
	int	 y, m, d;

	if (cell_ymd(s, len, 0, &y, &m, &d) == -1 || !cell_valid(y, m, 1)) {
		/* A whole date stands for its month. */
		if (cell_date(s, len, &day) == -1)
			return -1;
		date_to_ymd(day, &y, &m, &d);
	}
	*out = date_from_ymd(y, m, 1);
	return 0;
}

int
cell_bool(const char *s, size_t len, int *out)
{
	/* Status words of rosters too: 在岗 (on duty), 有效 (valid). */
	static const char *const yes[] = { "是", "1", "y", "yes", "true",
	    "t", "有", "√", "✓", "✔", "Ｙ", "在岗", "有效" };
	static const char *const no[] = { "否", "0", "n", "no", "false", "f",
	    "无", "×", "✗", "✘", "Ｎ", "不在岗", "离岗", "无效" };
	size_t	 i;

	for (i = 0; i < NELEM(yes); i++)
		if (strlen(yes[i]) == len && strncasecmp(s, yes[i], len) == 0) {
			*out = 1;
			return 0;
		}
	for (i = 0; i < NELEM(no); i++)
		if (strlen(no[i]) == len && strncasecmp(s, no[i], len) == 0) {
			*out = 0;
			return 0;
		}
	return -1;
}

int
cell_scientific(const char *s, size_t len)
{
	const char	*end = s + len, *p = s;

	if (cell_digits(&p, end, 1, 1) == -1)
		return 0;
	if (p < end && *p == '.') {
		p++;
		if (cell_digits(&p, end, 1, 30) == -1)
			return 0;
	}
	if (p == end || (*p != 'E' && *p != 'e'))
		return 0;
	p++;
	if (p < end && *p == '+')
		p++;
	return cell_digits(&p, end, 1, 3) != -1 && p == end;
}

int
cell_day_number(const char *s, size_t len)
{
	const char	*p = s;

	/* 1927-05-18 to 2173-10-14 in Excel's 1900 system */
	return len == 5 && s[0] != '0' && cell_digits(&p, s + len, 5, 5) !=
	    -1;
}

int
cell_division(const char *s, size_t len, char out[7])
{
	size_t	 i;

	if (len != 2 && len != 4 && len != 6)
		return -1;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memcpy(out, s, len);
	memset(out + len, '0', 6 - len);
	out[6] = '\0';
	return strcmp(out, "000000") == 0 ? -1 : 0;
}

/* Code points of UTF-8 text, at most max; the count. */
static size_t
cell_chars(const char *s, uint32_t *v, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0;
	uint32_t		 c;

	while (*p != '\0' && n < max) {
		c = *p++;
		while ((*p & 0xc0) == 0x80)
			c = c << 6 | (*p++ & 0x3f);
		/* ASCII letters without case, as headers are matched */
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		v[n++] = c;
	}
	return n;
}

unsigned
cell_distance(const char *a, const char *b)
{
	uint32_t	 va[64], vb[64];
	unsigned	 row[65], diag, up, best;
	size_t		 na, nb, i, j;

	na = cell_chars(a, va, NELEM(va));
	nb = cell_chars(b, vb, NELEM(vb));
	for (j = 0; j <= nb; j++)
		row[j] = (unsigned)j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = (unsigned)i;
		for (j = 1; j <= nb; j++) {
			up = row[j];
			best = diag + (va[i - 1] != vb[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb] > 255 ? 255 : row[nb];
}
