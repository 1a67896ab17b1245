/*
 * Format and check-character validation of the identifiers the registries
 * carry: USCC, organisation code, 注册号, division, industry, ID card.
 */
#include <stddef.h>
#include <string.h>

#include "ident.h"

/* GB 32100-2015 table 1: the 31 characters of a USCC, by value. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weights 3^(i-1) mod 31 for positions 1-17 (GB 32100-2015 table 2). */
static const unsigned uscc_weights[USCC_LEN - 1] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

static int	uscc_value(int);
static int	orgcode_value(int);
static int	is_digit(int);

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The value of a USCC character, or -1 if it is not one. */
static int
uscc_value(int c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(uscc_alphabet, c)) == NULL)
		return -1;
	return (int)(p - uscc_alphabet);
}

/* GB 11714 values over the full alphabet (A = 10 ... Z = 35), unlike USCC. */
static int
orgcode_value(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

enum uscc_check
uscc_check(const char *s, size_t len, char *expected)
{
	unsigned	 sum = 0, c;
	size_t		 i;
	int		 v;

	if (len != USCC_LEN)
		return USCC_BAD_LENGTH;
	for (i = 0; i < USCC_LEN - 1; i++) {
		if ((v = uscc_value((unsigned char)s[i])) < 0)
			return USCC_BAD_CHAR;
		sum += (unsigned)v * uscc_weights[i];
	}
	/*
	 * Position 18 is only compared with what it should be, so that the
	 * standard's own "...Y4Z" says "expected 3" like any other typo.
	 */
	c = 31 - sum % 31;
	if (c == 31)
		c = 0;
	if (s[USCC_LEN - 1] == uscc_alphabet[c])
		return USCC_OK;
	if (expected != NULL)
		*expected = uscc_alphabet[c];
	return USCC_BAD_CHECK;
}

int
uscc_orgcode_valid(const char *uscc)
{
	static const unsigned	 w[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	const char		*code;
	unsigned		 sum = 0, c;
	size_t			 i;
	int			 v;
	char			 want;

	if (strnlen(uscc, USCC_LEN) < USCC_LEN - 1)
		return 0;
	code = uscc + 8;	/* positions 9-17 */
	for (i = 0; i < 8; i++) {
		if ((v = orgcode_value((unsigned char)code[i])) < 0)
			return 0;
		sum += (unsigned)v * w[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		want = 'X';
	else if (c == 11)
		want = '0';
	else
		want = (char)('0' + c);
	return code[8] == want;
}

/*
 * GS15-2006 makes the 15th digit an ISO 7064 MOD 11,10 check (GB/T
 * 17710-1999) over the first 14: a hybrid system with no letter.
 */
int
regno_valid(const char *s, size_t len)
{
	unsigned	 p = 10, t;
	size_t		 i;

	if (len != REGNO_LEN)
		return 0;
	for (i = 0; i < REGNO_LEN; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	for (i = 0; i < REGNO_LEN - 1; i++) {
		t = (p + (unsigned)(s[i] - '0')) % 10;
		p = (t == 0 ? 10 : t) * 2 % 11;
	}
	return (unsigned)(s[REGNO_LEN - 1] - '0') == (11 - p) % 10;
}

int
division_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len != 6 || memcmp(s, "000000", 6) == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * Only the shape: which divisions belong to which section changed between
 * the 2011 and 2017 editions, and registries carry both.
 */
int
industry_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len < 1 || len > 5 || len == 2)
		return 0;
	if (s[0] < 'A' || s[0] > 'T')
		return 0;
	for (i = 1; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
idcard_valid(const char *s, size_t len)
{
	static const unsigned	 w[17] = {
		7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
	};
	static const char	 map[] = "10X98765432";
	unsigned		 sum = 0;
	size_t			 i;

	if (len != 18)
		return 0;
	for (i = 0; i < 17; i++) {
		if (!is_digit((unsigned char)s[i]))
			return 0;
		sum += (unsigned)(s[i] - '0') * w[i];
	}
	return s[17] == map[sum % 11];
}

int
credential_valid(const char *s, size_t len)
{
	size_t	 i;
	int	 c;

	if (len < 1 || len > 32)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (!is_digit(c) && !(c >= 'A' && c <= 'Z') && c != '-')
			return 0;
	}
	return 1;
}

const char *
uscc_strerror(enum uscc_check r)
{
	switch (r) {
	case USCC_OK:
		return "valid";
	case USCC_BAD_LENGTH:
		return "not 18 characters long";
	case USCC_BAD_CHAR:
		return "a character outside 0-9 and A-Z without I, O, S, V, Z";
	case USCC_BAD_CHECK:
		return "wrong check character (position 18)";
	}
	return "unknown error";
}
