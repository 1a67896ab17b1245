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

/*
 * Public bytes (tickets) as lowercase hex, out holding 2 * n + 1; and
 * back, 0 or -1 if s is not 2 * n hex digits. Not constant-time, unlike
 * crypto_hex: for values anyone may read, millions at a time.
 */
/*
 * v in decimal, as "%lld" writes it, into out (24 bytes, NUL-terminated);
 * its length. For the digests that format millions of them.
 */
size_t	num_format_i64(char out[24], int64_t v);
void	num_hex(const unsigned char *p, size_t n, char *out);
int	num_unhex(const char *s, unsigned char *out, size_t n);

/* 32 bits little-endian in 4 bytes, for the records ssj packs itself. */
static inline void
num_put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline uint32_t
num_get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* 64 bits big-endian in 8 bytes: records that sort_bytes orders by it. */
static inline void
num_put_be64(unsigned char *p, uint64_t v)
{
	int	 i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static inline uint64_t
num_get_be64(const unsigned char *p)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

#endif
