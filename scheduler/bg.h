/*
 * A stream of bytes consumed on a second thread: hashing and writing a
 * frame's files overlap what the caller does to make or parse them.
 */
#ifndef SSJ_BG_H
#define SSJ_BG_H

#include <stddef.h>

struct bg;

/*
 * Starts a thread that calls consume(arg, bytes, n) on what bg_add gets,
 * in order, in pieces of up to a megabyte. consume must not touch what
 * the caller uses meanwhile. If no thread can be started, bg_add calls
 * consume itself.
 */
struct bg	*bg_start(void (*consume)(void *, const void *, size_t),
		    void *arg);
/* Copies the bytes: the caller's buffer is free again on return. */
void		 bg_add(struct bg *, const void *, size_t);
/* Waits until every byte added is consumed, stops the thread, frees. */
void		 bg_finish(struct bg *);

#endif
