/*
 * libFuzzer harness for the drand record parser (beacon.c): whatever it
 * accepts must be self-consistent and survive a canonical re-encoding;
 * whatever it refuses must say why. Broken invariants abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "buf.h"
#include "crypto.h"
#include "xmalloc.h"

#define FUZZ_MAX	16384

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	 addhex(struct buf *, const unsigned char *, size_t);

static void
addhex(struct buf *b, const unsigned char *p, size_t n)
{
	char	*hex;

	hex = xmalloc(2 * n + 1);
	crypto_hex(p, n, hex);
	buf_addstr(b, hex);
	free(hex);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct beacon		 b, again;
	struct buf		 canon = BUF_INIT;
	unsigned char		 digest[CRYPTO_SHA256_BYTES];
	char			*err = NULL;

	if (!ready) {
		crypto_setup();
		ready = 1;
	}
	if (size > FUZZ_MAX)
		return 0;
	if (beacon_parse((const char *)data, size, &b, &err) != 0) {
		if (err == NULL || strncmp(err, "beacon: ", 8) != 0 ||
		    b.signature != NULL || b.previous != NULL)
			abort();
		free(err);
		return 0;
	}
	if (err != NULL || b.round == 0 || b.siglen == 0 ||
	    (b.previous == NULL) != (b.prevlen == 0))
		abort();
	crypto_sha256(b.signature, b.siglen, digest);
	if (memcmp(digest, b.randomness, sizeof(digest)) != 0)
		abort();

	buf_printf(&canon, "{\"round\":%llu,\"randomness\":\"",
	    (unsigned long long)b.round);
	addhex(&canon, b.randomness, sizeof(b.randomness));
	buf_addstr(&canon, "\",\"signature\":\"");
	addhex(&canon, b.signature, b.siglen);
	if (b.previous != NULL) {
		buf_addstr(&canon, "\",\"previous_signature\":\"");
		addhex(&canon, b.previous, b.prevlen);
	}
	buf_addstr(&canon, "\"}");
	if (beacon_parse(canon.data, canon.len, &again, &err) != 0 ||
	    again.round != b.round || again.siglen != b.siglen ||
	    again.prevlen != b.prevlen ||
	    memcmp(again.randomness, b.randomness, sizeof(b.randomness)) != 0 ||
	    memcmp(again.signature, b.signature, b.siglen) != 0 ||
	    (b.prevlen != 0 &&
	    memcmp(again.previous, b.previous, b.prevlen) != 0))
		abort();
	beacon_release(&again);
	beacon_release(&b);
	buf_release(&canon);
	return 0;
}
