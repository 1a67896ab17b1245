/*
 * Identifiers and codes of the registries: 统一社会信用代码 (GB 32100-2015,
 * with its GB 11714 organisation code), legacy 15-digit 注册号, GB/T 2260
 * division codes, GB/T 4754 industry codes, 居民身份证号码, inspectors'
 * credential numbers (执法证号).
 */
#ifndef SSJ_IDENT_H
#define SSJ_IDENT_H

#include <stddef.h>

#define USCC_LEN	18
#define REGNO_LEN	15

enum uscc_check {
	USCC_OK = 0,
	USCC_BAD_LENGTH,	/* not 18 characters */
	USCC_BAD_CHAR,		/* pos 1-17: outside 0-9 A-Z minus I O S V Z */
	USCC_BAD_CHECK,		/* the mod-31 check character (pos 18) is wrong */
};

/*
 * Checks an 18-character USCC. On USCC_BAD_CHECK, *expected (if not NULL)
 * is the check character the first 17 call for; any other character at
 * position 18 (even one outside the alphabet) is USCC_BAD_CHECK.
 */
enum uscc_check	uscc_check(const char *, size_t len, char *expected);
/* The GB 11714 check of positions 9-17: 1 valid, 0 not (a warning). */
int		uscc_orgcode_valid(const char *uscc);
/*
 * A legacy 15-digit 注册号: 1 if the 15th digit is the GS15-2006 check
 * digit (ISO 7064 MOD 11,10) of the first 14.
 */
int		regno_valid(const char *, size_t len);
/* Six ASCII digits, not 000000: 1 if well formed. */
int		division_valid(const char *, size_t len);
/* A GB/T 4754 code: a section letter A-T, then 0, 2, 3 or 4 digits. */
int		industry_valid(const char *, size_t len);
/* An 18-character 居民身份证号码 with its ISO 7064 MOD 11-2 check. */
int		idcard_valid(const char *, size_t len);
/* A credential number: 1-32 characters of A-Z 0-9 and '-'. */
int		credential_valid(const char *, size_t len);
/* A human-readable reason for a uscc_check() result. */
const char	*uscc_strerror(enum uscc_check);

#endif
