/*
 * A consumer of bytes on a second thread (bg.h), for the idle second core
 * of a province's commit and draw: BLAKE2b runs at about 0.6 GB/s here,
 * 0.4 s for a targets file of 10 M lines, and writing it costs as much.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bg.h"
#include "xmalloc.h"

/*
 * Two buffers: the caller fills one while the thread consumes the other,
 * handed over when full, so that a file's many short lines cost one
 * hand-over a megabyte.
 */
#define BG_BYTES	((size_t)1 << 20)

struct bg {
	void		 (*consume)(void *, const void *, size_t);
	void		*arg;
	unsigned char	*buf[2];
	size_t		 len[2];
	int		 filling;	/* the caller's buffer */
	int		 handed;	/* the thread's, -1: none */
	int		 closing;
	int		 threaded;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
};

static void *
bg_main(void *arg)
{
	struct bg	*bg = arg;
	int		 i;

	pthread_mutex_lock(&bg->lock);
	for (;;) {
		while (bg->handed == -1 && !bg->closing)
			pthread_cond_wait(&bg->cond, &bg->lock);
		if (bg->handed == -1)
			break;
		i = bg->handed;
		pthread_mutex_unlock(&bg->lock);
		bg->consume(bg->arg, bg->buf[i], bg->len[i]);
		pthread_mutex_lock(&bg->lock);
		bg->handed = -1;
		pthread_cond_broadcast(&bg->cond);
	}
	pthread_mutex_unlock(&bg->lock);
	return NULL;
}

struct bg *
bg_start(void (*consume)(void *, const void *, size_t), void *arg)
{
	struct bg	*bg;

	bg = xcalloc(1, sizeof(*bg));
	bg->consume = consume;
	bg->arg = arg;
	bg->handed = -1;
	if (pthread_mutex_init(&bg->lock, NULL) != 0)
		return bg;
	if (pthread_cond_init(&bg->cond, NULL) != 0) {
		pthread_mutex_destroy(&bg->lock);
		return bg;
	}
	bg->buf[0] = xmalloc(BG_BYTES);
	bg->buf[1] = xmalloc(BG_BYTES);
	if (pthread_create(&bg->thread, NULL, bg_main, bg) != 0) {
		pthread_cond_destroy(&bg->cond);
		pthread_mutex_destroy(&bg->lock);
		free(bg->buf[0]);
		free(bg->buf[1]);
		bg->buf[0] = bg->buf[1] = NULL;
		return bg;
	}
	bg->threaded = 1;
	return bg;
}

/* Hands the caller's buffer over once the thread is done with its own. */
static void
hand_over(struct bg *bg)
{
	pthread_mutex_lock(&bg->lock);
	while (bg->handed != -1)
		pthread_cond_wait(&bg->cond, &bg->lock);
	bg->handed = bg->filling;
	pthread_cond_broadcast(&bg->cond);
	pthread_mutex_unlock(&bg->lock);
	bg->filling ^= 1;
	bg->len[bg->filling] = 0;
}

void
bg_add(struct bg *bg, const void *p, size_t n)
{
	const unsigned char	*q = p;
	size_t			 k;

	if (!bg->threaded) {
		if (n > 0)
			bg->consume(bg->arg, p, n);
		return;
	}
	while (n > 0) {
		k = BG_BYTES - bg->len[bg->filling];
		if (k > n)
			k = n;
		memcpy(bg->buf[bg->filling] + bg->len[bg->filling], q, k);
		bg->len[bg->filling] += k;
		q += k;
		n -= k;
		if (bg->len[bg->filling] == BG_BYTES)
			hand_over(bg);
	}
}

void
bg_finish(struct bg *bg)
{
	if (bg == NULL)
		return;
	if (bg->threaded) {
		if (bg->len[bg->filling] > 0)
			hand_over(bg);
		pthread_mutex_lock(&bg->lock);
		bg->closing = 1;
		pthread_cond_broadcast(&bg->cond);
		pthread_mutex_unlock(&bg->lock);
		pthread_join(bg->thread, NULL);
		pthread_cond_destroy(&bg->cond);
		pthread_mutex_destroy(&bg->lock);
		free(bg->buf[0]);
		free(bg->buf[1]);
	}
	free(bg);
}
