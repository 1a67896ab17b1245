/*
 * Checked decimal numbers: the one way ssj reads a number from an option,
 * a file or the database, with its range.
 */
#ifndef SSJ_NUM_H
#define SSJ_NUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decimal digits only (no sign, space or '+'), the whole string, with
 * min <= value <= max. 0, or -1 with no message: the caller says where.
 */
int	num_parse_u64(const char *, uint64_t min, uint64_t max, uint64_t *);
/* The same with an optional leading '-'. */
int	num_parse_i64(const char *, int64_t min, int64_t max, int64_t *);
/* The same on the first len bytes of s (a field inside a line). */
int	num_parse_u64n(const char *s, size_t len, uint64_t min, uint64_t max,
	    uint64_t *);

#endif
