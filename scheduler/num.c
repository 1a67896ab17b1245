/*
 * Checked decimal numbers: strtoull(3) takes "-1" for 2^64-1 and wraps
 * silently past it; these take digits only and refuse what is out of
 * range.
 */
#include <stdint.h>
#include <string.h>

#include "num.h"

int
num_parse_u64n(const char *s, size_t len, uint64_t min, uint64_t max,
    uint64_t *out)
{
	uint64_t	 v = 0, d;
	size_t		 i;

	if (s == NULL || len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
num_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	if (s == NULL)
		return -1;
	return num_parse_u64n(s, strlen(s), min, max, out);
}

int
num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t	 u;

	if (s == NULL || min > max)
		return -1;
	if (s[0] == '-') {
		/* -INT64_MIN is INT64_MAX + 1, as an unsigned. */
		if (num_parse_u64(s + 1, 0, (uint64_t)INT64_MAX + 1, &u) == -1)
			return -1;
		if (u == 0 || min >= 0 ||
		    u > (uint64_t)-(min + 1) + 1)
			return -1;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)u;
		return 0;
	}
	if (max < 0 || num_parse_u64(s, 0, (uint64_t)max, &u) == -1)
		return -1;
	if ((int64_t)u < min)
		return -1;
	*out = (int64_t)u;
	return 0;
}

void
num_hex(const unsigned char *p, size_t n, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Lowercase only, as crypto_unhex: every hex string has one spelling. */
static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
num_unhex(const char *s, unsigned char *out, size_t n)
{
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if ((hi = hex_digit(s[2 * i])) < 0 ||
		    (lo = hex_digit(s[2 * i + 1])) < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return s[2 * n] == '\0' ? 0 : -1;
}

size_t
num_format_i64(char out[24], int64_t v)
{
	char		 rev[24];
	uint64_t	 u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t		 n = 0, len = 0;

	do {
		rev[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		out[len++] = '-';
	while (n > 0)
		out[len++] = rev[--n];
	out[len] = '\0';
	return len;
}
