/*
 * BLS signature verification on BLS12-381, written here from RFC 9380,
 * draft-irtf-cfrg-bls-signature and draft-irtf-cfrg-pairing-friendly-curves:
 * what checking a drand round needs. Public data only: nothing is constant
 * time. Points travel in the compressed ZCash encoding (48 bytes in G1, 96
 * in G2); scalars are 32 bytes big-endian.
 */
#ifndef SSJ_BLS12381_H
#define SSJ_BLS12381_H

#include <stddef.h>

#define BLS_G1_BYTES	48
#define BLS_G2_BYTES	96
#define BLS_SCALAR_BYTES 32

/* What a check found; bls_strerror() says it in words. */
enum bls_status {
	BLS_OK = 0,
	BLS_BAD_ENCODING,	/* wrong length, flags, or a coordinate >= p */
	BLS_NOT_ON_CURVE,	/* no point of the curve has that x */
	BLS_NOT_IN_SUBGROUP,	/* on the curve but not of order r */
	BLS_IDENTITY,		/* the point at infinity, never a key or sig */
	BLS_BAD_SIGNATURE	/* well formed, but the pairings differ */
};

const char	*bls_strerror(int);

/*
 * Decodes a compressed point and checks it: BLS_OK, or what is wrong with
 * it. The identity is accepted here (BLS_OK); the verifiers refuse it.
 */
int	bls_g1_check(const unsigned char *, size_t);
int	bls_g2_check(const unsigned char *, size_t);

/*
 * A BLS signature of msg (with domain separation tag dst) under pk:
 * g1sig has the signature in G1 and the key in G2 (drand's quicknet),
 * g2sig the signature in G2 and the key in G1 (drand's default chain).
 * Returns BLS_OK or the first thing found wrong: with the key, then with
 * the signature, then the pairing check.
 */
int	bls_verify_g1sig(const unsigned char *pk, size_t pklen,
	    const unsigned char *msg, size_t msglen,
	    const unsigned char *sig, size_t siglen, const char *dst);
int	bls_verify_g2sig(const unsigned char *pk, size_t pklen,
	    const unsigned char *msg, size_t msglen,
	    const unsigned char *sig, size_t siglen, const char *dst);

/*
 * For tests and the test chain's signer: hash_to_curve (RFC 9380) as
 * affine coordinates, big-endian, x then y (48 bytes each in G1; in G2
 * x.c0, x.c1, y.c0, y.c1); keys and signatures from a secret scalar;
 * k * P on encoded points; and whether e(p1, q1) = e(p2, q2).
 */
void	bls_hash_to_g1(const unsigned char *msg, size_t msglen,
	    const char *dst, unsigned char out[96]);
void	bls_hash_to_g2(const unsigned char *msg, size_t msglen,
	    const char *dst, unsigned char out[192]);
void	bls_pubkey_g1(const unsigned char sk[BLS_SCALAR_BYTES],
	    unsigned char pk[BLS_G1_BYTES]);
void	bls_pubkey_g2(const unsigned char sk[BLS_SCALAR_BYTES],
	    unsigned char pk[BLS_G2_BYTES]);
void	bls_sign_g1(const unsigned char sk[BLS_SCALAR_BYTES],
	    const unsigned char *msg, size_t msglen, const char *dst,
	    unsigned char sig[BLS_G1_BYTES]);
void	bls_sign_g2(const unsigned char sk[BLS_SCALAR_BYTES],
	    const unsigned char *msg, size_t msglen, const char *dst,
	    unsigned char sig[BLS_G2_BYTES]);
int	bls_g1_mul(const unsigned char in[BLS_G1_BYTES],
	    const unsigned char k[BLS_SCALAR_BYTES],
	    unsigned char out[BLS_G1_BYTES]);
int	bls_g2_mul(const unsigned char in[BLS_G2_BYTES],
	    const unsigned char k[BLS_SCALAR_BYTES],
	    unsigned char out[BLS_G2_BYTES]);
/* 1 if equal, 0 if not, -1 if a point does not decode. */
int	bls_pairing_equal(const unsigned char p1[BLS_G1_BYTES],
	    const unsigned char q1[BLS_G2_BYTES],
	    const unsigned char p2[BLS_G1_BYTES],
	    const unsigned char q2[BLS_G2_BYTES]);
/* The generators, compressed. */
void	bls_g1_generator(unsigned char out[BLS_G1_BYTES]);
void	bls_g2_generator(unsigned char out[BLS_G2_BYTES]);

#endif
