/*
 * bench/bls: times one BLS verification of a real drand round per scheme
 * (hash to curve, point checks, pairing check), ssj's code, for bench/bls
 * to set beside @noble/curves doing the same check in the same run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bls12381.h"
#include "crypto.h"

/* quicknet round 1000 and mainnet round 1 (tests/unit/test-bls12381.c) */
#define QN_PK \
	"83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c" \
	"8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb" \
	"5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
#define QN_SIG \
	"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125" \
	"e342b73a8dd2bacbe47e4b6b63ed5e39"
#define MN_PK \
	"868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a5699" \
	"37c529eeda66c7293784a9402801af31"
#define MN_SIG \
	"8d61d9100567de44682506aea1a7a6fa6e5491cd27a0a0ed349ef6910ac5ac20" \
	"ff7bc3e09d7c046566c9f7f3c6f3b10104990e7cb424998203d8f7de586fb7fa" \
	"5f60045417a432684f85093b06ca91c769f0e7ca19268375e659c2a2352b4655"
#define MN_PREV \
	"176f93498eac9ca337150b46d21dd58673ea4e3581185f869672e59fa4cb390a"

/* Wall time, and this process's CPU time: the machine is shared. */
static uint64_t
now_ns(clockid_t clk)
{
	struct timespec	 ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	unsigned char	 qpk[96], qsig[48], mpk[48], msig[96], buf[40];
	unsigned char	 qmsg[32], mmsg[32];
	uint64_t	 t[4][64], t0, c0;
	int		 n = argc > 1 ? atoi(argv[1]) : 15, i;

	if (n < 1 || n > 64)
		n = 15;
	crypto_setup();
	crypto_unhex(QN_PK, qpk, 96);
	crypto_unhex(QN_SIG, qsig, 48);
	crypto_unhex(MN_PK, mpk, 48);
	crypto_unhex(MN_SIG, msig, 96);
	memset(buf, 0, 8);
	buf[6] = 1000 >> 8;
	buf[7] = 1000 & 0xff;
	crypto_sha256(buf, 8, qmsg);
	crypto_unhex(MN_PREV, buf, 32);
	memset(buf + 32, 0, 8);
	buf[39] = 1;
	crypto_sha256(buf, 40, mmsg);
	/* The first call also makes the constants: not timed. */
	if (bls_verify_g1sig(qpk, 96, qmsg, 32, qsig, 48,
	    "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_") != BLS_OK)
		return 1;
	for (i = 0; i < n; i++) {
		t0 = now_ns(CLOCK_MONOTONIC);
		c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
		if (bls_verify_g1sig(qpk, 96, qmsg, 32, qsig, 48,
		    "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_") != BLS_OK)
			return 1;
		t[0][i] = now_ns(CLOCK_MONOTONIC) - t0;
		t[1][i] = now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
		t0 = now_ns(CLOCK_MONOTONIC);
		c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
		if (bls_verify_g2sig(mpk, 48, mmsg, 32, msig, 96,
		    "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_") != BLS_OK)
			return 1;
		t[2][i] = now_ns(CLOCK_MONOTONIC) - t0;
		t[3][i] = now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
	}
	for (i = 0; i < 4; i++)
		qsort(t[i], (size_t)n, sizeof(t[i][0]), cmp);
	/* name, wall ms, cpu ms */
	printf("quicknet %.2f %.2f\nmainnet %.2f %.2f\n",
	    (double)t[0][n / 2] / 1e6, (double)t[1][n / 2] / 1e6,
	    (double)t[2][n / 2] / 1e6, (double)t[3][n / 2] / 1e6);
	return 0;
}
