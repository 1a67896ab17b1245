/*
 * libsodium wrapper: the one place that knows which primitive ssj uses for
 * what, so that protocol code names purposes, not algorithms.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "log.h"

_Static_assert(sizeof(((struct crypto_digest *)0)->state) >=
    sizeof(crypto_generichash_state), "crypto_digest state too small");

void
crypto_setup(void)
{
	if (sodium_init() < 0)
		fatalx("cannot initialise libsodium");
}

void
crypto_digest_init(struct crypto_digest *d, size_t outlen)
{
	d->outlen = outlen;
	crypto_generichash_init((crypto_generichash_state *)(void *)d->state,
	    NULL, 0, outlen);
}

void
crypto_digest_update(struct crypto_digest *d, const void *p, size_t n)
{
	crypto_generichash_update((crypto_generichash_state *)(void *)d->state,
	    p, n);
}

void
crypto_digest_final(struct crypto_digest *d, unsigned char *out)
{
	crypto_generichash_final((crypto_generichash_state *)(void *)d->state,
	    out, d->outlen);
}

void
crypto_digest(const void *p, size_t n, unsigned char out[CRYPTO_DIGEST_BYTES])
{
	crypto_generichash(out, CRYPTO_DIGEST_BYTES, p, n, NULL, 0);
}

int
crypto_digest_file(const char *path, unsigned char out[CRYPTO_DIGEST_BYTES])
{
	struct crypto_digest	 d;
	unsigned char		 chunk[65536];
	FILE			*fp;
	size_t			 n;
	int			 ret = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		log_warn("cannot open '%s'", path);
		return -1;
	}
	crypto_digest_init(&d, CRYPTO_DIGEST_BYTES);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		crypto_digest_update(&d, chunk, n);
	if (ferror(fp)) {
		log_warn("cannot read '%s'", path);
		goto out;
	}
	crypto_digest_final(&d, out);
	ret = 0;
out:
	fclose(fp);
	return ret;
}

void
crypto_hex(const unsigned char *p, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, p, n);
}
