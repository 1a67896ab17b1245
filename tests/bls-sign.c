/*
 * The test chain's signer: drand's round records, really signed, so that
 * the tests and the demo need no network and no drand node.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bls12381.h"
#include "crypto.h"

/*
 * bls-sign [-c] key              the chain's public key, hex
 * bls-sign [-c] ROUND [PREVIOUS] the record of ROUND, JSON
 *
 * Without -c the chain is bls-unchained-g1-rfc9380 (as quicknet); with -c
 * pedersen-bls-chained (as drand's default chain), where PREVIOUS is the
 * previous signature in hex (default: 32 zero bytes). The secret key is
 * fixed: SHA-256 of "ssj test chain", its top two bits cleared (< r).
 */
static void
usage(void)
{
	fprintf(stderr, "usage: bls-sign [-c] key | ROUND [PREVIOUS]\n");
	exit(2);
}

static void
print_hex(const unsigned char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

int
main(int argc, char **argv)
{
	unsigned char	 sk[32], pk[96], sig[96], prev[96], buf[104];
	unsigned char	 msg[32], rnd[32];
	size_t		 siglen, pklen, prevlen = 32;
	unsigned long long round;
	char		*end;
	int		 chained = 0, i;

	crypto_setup();
	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		chained = 1;
		argc--;
		argv++;
	}
	if (argc < 2 || argc > 3)
		usage();
	crypto_sha256("ssj test chain", 14, sk);
	sk[0] &= 0x3f;
	if (strcmp(argv[1], "key") == 0) {
		if (chained) {
			bls_pubkey_g1(sk, pk);
			pklen = BLS_G1_BYTES;
		} else {
			bls_pubkey_g2(sk, pk);
			pklen = BLS_G2_BYTES;
		}
		print_hex(pk, pklen);
		printf("\n");
		return 0;
	}
	round = strtoull(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || round == 0)
		usage();
	memset(prev, 0, sizeof(prev));
	if (argc == 3) {
		if (!chained)
			usage();
		prevlen = strlen(argv[2]) / 2;
		if (prevlen > sizeof(prev) ||
		    crypto_unhex(argv[2], prev, prevlen) != 0)
			usage();
	}
	if (!chained)
		prevlen = 0;
	memcpy(buf, prev, prevlen);
	for (i = 0; i < 8; i++)
		buf[prevlen + (size_t)i] = (unsigned char)(round >>
		    (56 - 8 * i));
	crypto_sha256(buf, prevlen + 8, msg);
	if (chained) {
		bls_sign_g2(sk, msg, sizeof(msg),
		    "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_", sig);
		siglen = BLS_G2_BYTES;
	} else {
		bls_sign_g1(sk, msg, sizeof(msg),
		    "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_", sig);
		siglen = BLS_G1_BYTES;
	}
	crypto_sha256(sig, siglen, rnd);
	printf("{\"round\":%llu,\"randomness\":\"", round);
	print_hex(rnd, sizeof(rnd));
	printf("\",\"signature\":\"");
	print_hex(sig, siglen);
	if (chained) {
		printf("\",\"previous_signature\":\"");
		print_hex(prev, prevlen);
	}
	printf("\"}\n");
	return 0;
}
