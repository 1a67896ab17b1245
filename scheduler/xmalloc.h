/*
 * Allocation that never fails: out of memory is fatal, so no caller checks
 * for NULL. Every function aborts through fatal() with the size it wanted.
 */
#ifndef SSJ_XMALLOC_H
#define SSJ_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
/*
 * xcalloc for an array of many megabytes (a province's targets), on huge
 * pages where the kernel gives them: its first touch then faults a few
 * pages instead of thousands (70 ms of a 1 M draw). Freed with free(3).
 * xmalloc_huge leaves it as it comes, so that what is never used is
 * never touched: room for as many as may come, at no cost until they do.
 */
void	*xcalloc_huge(size_t, size_t);
void	*xmalloc_huge(size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Returns a newly allocated formatted string; free it with free(3). */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
