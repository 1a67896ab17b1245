/*
 * Unit tests of the consumer on a second thread: every byte consumed, in
 * order, whatever the pieces; the caller's buffer free on return.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bg.h"
#include "crypto.h"

/* What the thread was given, in order. */
struct copy {
	unsigned char	*data;
	size_t		 len;
	size_t		 calls;
};

static void
copy_consume(void *arg, const void *p, size_t n)
{
	struct copy	*c = arg;

	memcpy(c->data + c->len, p, n);
	c->len += n;
	c->calls++;
}

static unsigned char
byte_at(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 13));
}

/*
 * None, one byte, pieces across its 1 MiB buffers, one piece of several
 * buffers, a piece ending exactly at a buffer's end: the bytes come out
 * as they went in, and the digest through it is the one-shot digest.
 */
static void
test_bg__every_byte_in_order(void **state)
{
	static const size_t	 sizes[] = { 0, 1, 4096, 1 << 20,
	    (1 << 20) + 1, 3 * (1 << 20) + 12345 };
	static const size_t	 pieces[] = { 1, 37, 65536, 1 << 20,
	    5 << 20 };
	unsigned char		 a[CRYPTO_DIGEST_BYTES], b[CRYPTO_DIGEST_BYTES];
	unsigned char		*data;
	struct crypto_digest	 d;
	struct copy		 c;
	struct bg		*copying, *hashing;
	size_t			 n = 5 << 20, i, j, k, at, len;

	(void)state;
	data = malloc(n);
	c.data = malloc(n);
	assert_non_null(data);
	assert_non_null(c.data);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < sizeof(pieces) / sizeof(pieces[0]); j++) {
			if (sizes[i] > 65536 && pieces[j] == 1)
				continue;	/* (slow, and nothing new) */
			for (at = 0; at < sizes[i]; at++)
				data[at] = byte_at(at);
			crypto_digest(data, sizes[i], a);
			c.len = c.calls = 0;
			crypto_digest_init(&d, CRYPTO_DIGEST_BYTES);
			copying = bg_start(copy_consume, &c);
			hashing = bg_start(crypto_digest_consume, &d);
			for (at = 0, k = 0; at < sizes[i]; at += len, k++) {
				len = sizes[i] - at < pieces[j] ?
				    sizes[i] - at : pieces[j];
				bg_add(copying, data + at, len);
				bg_add(hashing, data + at, len);
				/* the piece was copied: the buffer is free */
				if (k % 2 == 0)
					memset(data + at, 0xff, len);
			}
			bg_finish(copying);
			bg_finish(hashing);
			crypto_digest_final(&d, b);
			assert_memory_equal(a, b, sizeof(a));
			assert_int_equal(c.len, sizes[i]);
			for (at = 0; at < sizes[i]; at++)
				if (c.data[at] != byte_at(at))
					fail_msg("byte %zu of %zu in pieces of "
					    "%zu", at, sizes[i], pieces[j]);
			/* a megabyte a hand-over, not a piece */
			assert_true(c.calls <= (sizes[i] >> 20) + 1);
		}
	free(data);
	free(c.data);
}

/* Finished with nothing added, or never started: nothing consumed. */
static void
test_bg__nothing_added(void **state)
{
	struct copy	 c = { NULL, 0, 0 };

	(void)state;
	bg_finish(bg_start(copy_consume, &c));
	bg_finish(NULL);
	assert_int_equal(c.calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bg__every_byte_in_order),
		cmocka_unit_test(test_bg__nothing_added),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
