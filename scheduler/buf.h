/*
 * A growable byte buffer (git's strbuf, reduced): data is always
 * NUL-terminated and never NULL once initialised with BUF_INIT or buf_init.
 */
#ifndef SSJ_BUF_H
#define SSJ_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_init(struct buf *);
/* Frees the contents; the buffer can be used again afterwards. */
void	 buf_release(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_grow(struct buf *, size_t extra);
void	 buf_addstr(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Returns the contents (NUL-terminated, never NULL); the caller frees it. */
char	*buf_detach(struct buf *, size_t *len);
/* Returns the contents as a C string; the buffer still owns it. */
const char *buf_cstr(struct buf *);

/*
 * Inline, as a call costs as much as the copy: an import adds some 75
 * pieces of a few bytes per row, tens of millions in all.
 */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len)
		buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_addch(struct buf *b, int c)
{
	if (b->cap - b->len < 2)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

#endif
