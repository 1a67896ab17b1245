/*
 * Fixed-size records sorted in place by their leading bytes, as memcmp
 * orders them, without a comparison callback or a copy of the records.
 */
#ifndef SSJ_SORT_H
#define SSJ_SORT_H

#include <stddef.h>

/* The largest record sort_bytes takes. */
#define SORT_MAX_SIZE	64

/*
 * Sorts n records of size bytes (at most SORT_MAX_SIZE) at base by their
 * first keylen bytes. Not stable: records of equal keys come in any
 * order.
 */
void	sort_bytes(void *base, size_t n, size_t size, size_t keylen);

#endif
