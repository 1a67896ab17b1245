/*
 * libFuzzer harness for the point decoders and the checked record path
 * (bls12381.c, beacon_load): the first byte picks the target. A point is
 * BLS_OK only if re-encoding k = 1 gives the same bytes; a record accepted
 * under a chain's key must name its round. Broken invariants abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "bls12381.h"
#include "crypto.h"

#define FUZZ_MAX	8192

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_point(const uint8_t *p, size_t n, int g2)
{
	unsigned char	 one[BLS_SCALAR_BYTES], out[BLS_G2_BYTES];
	int		 rc;

	rc = g2 ? bls_g2_check(p, n) : bls_g1_check(p, n);
	if (rc < BLS_OK || rc > BLS_NOT_IN_SUBGROUP)
		abort();
	if (rc != BLS_OK)
		return;
	/* Accepted: the right length, and canonical (1 P encodes as P). */
	if (n != (g2 ? (size_t)BLS_G2_BYTES : (size_t)BLS_G1_BYTES))
		abort();
	memset(one, 0, sizeof(one));
	one[BLS_SCALAR_BYTES - 1] = 1;
	if ((g2 ? bls_g2_mul(p, one, out) : bls_g1_mul(p, one, out)) != 0 ||
	    memcmp(out, p, n) != 0)
		abort();
}

static void
check_record(const uint8_t *p, size_t n, const char *scheme, const char *key)
{
	struct beacon	 b;
	char		*err = NULL;

	if (beacon_load((const char *)p, n, scheme, key, &b, &err) != 0) {
		if (err == NULL || strncmp(err, "beacon: ", 8) != 0 ||
		    b.signature != NULL)
			abort();
		free(err);
		return;
	}
	if (err != NULL || b.round == 0)
		abort();
	beacon_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;

	if (!ready) {
		crypto_setup();
		ready = 1;
	}
	if (size < 1 || size > FUZZ_MAX)
		return 0;
	switch (data[0] % 4) {
	case 0:
		check_point(data + 1, size - 1, 0);
		break;
	case 1:
		check_point(data + 1, size - 1, 1);
		break;
	case 2:
		check_record(data + 1, size - 1, BEACON_QUICKNET_SCHEME,
		    BEACON_QUICKNET_KEY);
		break;
	default:
		check_record(data + 1, size - 1, BEACON_MAINNET_SCHEME,
		    BEACON_MAINNET_KEY);
		break;
	}
	return 0;
}
