/*
 * Allocation wrappers that turn out-of-memory into a fatal error, so that
 * the rest of the program never handles NULL from an allocator.
 */
#define _DEFAULT_SOURCE		/* madvise(2), MADV_HUGEPAGE */

#include <sys/mman.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		fatalx("xmalloc: zero size");
	if ((p = malloc(size)) == NULL)
		fatal("xmalloc: allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		fatalx("xcalloc: zero size");
	if ((p = calloc(n, size)) == NULL)
		fatal("xcalloc: allocating %zu * %zu bytes", n, size);
	return p;
}

#define HUGE_PAGE	((size_t)2 << 20)

void *
xmalloc_huge(size_t n, size_t size)
{
	size_t	 bytes, round;
	void	*p;

	if (n == 0 || size == 0 || n > SIZE_MAX / size ||
	    (bytes = n * size) < 2 * HUGE_PAGE)
		return xreallocarray(NULL, n, size);
	round = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if ((p = aligned_alloc(HUGE_PAGE, round)) == NULL)
		fatal("xmalloc_huge: allocating %zu bytes", round);
#ifdef MADV_HUGEPAGE
	(void)madvise(p, round, MADV_HUGEPAGE);	/* a hint: may be refused */
#endif
	return p;
}

void *
xcalloc_huge(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0 || n > SIZE_MAX / size)
		return xcalloc(n, size);
	p = xmalloc_huge(n, size);
	memset(p, 0, n * size);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		fatalx("xreallocarray: zero size");
	if (n > SIZE_MAX / size)
		fatalx("xreallocarray: %zu * %zu bytes overflow", n, size);
	if ((p = realloc(old, n * size)) == NULL)
		fatal("xreallocarray: allocating %zu * %zu bytes", n, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		fatalx("xasprintf: bad format '%s'", fmt);
	p = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}
