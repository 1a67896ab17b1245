/*
 * All cryptography of ssj, over libsodium (the only includer of sodium.h).
 * Digests are BLAKE2b; later: signatures, key files, SHA-256 for the ledger.
 */
#ifndef SSJ_CRYPTO_H
#define SSJ_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_DIGEST_BYTES	32	/* BLAKE2b-256 */
#define CRYPTO_DIGEST_HEX	(2 * CRYPTO_DIGEST_BYTES + 1)

/* An incremental BLAKE2b state; the storage is libsodium's, kept opaque. */
struct crypto_digest {
	_Alignas(64) unsigned char	state[384];
	size_t				outlen;
};

/* Initialises libsodium; fatal if it cannot. Call once from main. */
void	crypto_setup(void);

/* BLAKE2b with an output of outlen bytes (16..64). */
void	crypto_digest_init(struct crypto_digest *, size_t outlen);
void	crypto_digest_update(struct crypto_digest *, const void *, size_t);
void	crypto_digest_final(struct crypto_digest *, unsigned char *out);
/* crypto_digest_update with a void * state: a consumer for bg_start. */
void	crypto_digest_consume(void *, const void *, size_t);
/* One-shot BLAKE2b-256 of a buffer. */
void	crypto_digest(const void *, size_t,
	    unsigned char out[CRYPTO_DIGEST_BYTES]);
/* BLAKE2b-256 of a file's bytes; -1 with a message if it cannot be read. */
int	crypto_digest_file(const char *path,
	    unsigned char out[CRYPTO_DIGEST_BYTES]);

/* Lowercase hex of n bytes into out, which holds 2n + 1 bytes. */
void	crypto_hex(const unsigned char *, size_t n, char *out);
/* Parses exactly 2n hex digits into n bytes; -1 if s is not that. */
int	crypto_unhex(const char *s, unsigned char *out, size_t n);

/* BLAKE2b-512 of a file's bytes (minisign's prehash); -1 with a message. */
#define CRYPTO_DIGEST512_BYTES	64
int	crypto_digest512_file(const char *path,
	    unsigned char out[CRYPTO_DIGEST512_BYTES]);
/*
 * Both of a file in one reading, so that a signature's prehash and the
 * digest its comment names are of the same bytes; -1 with a message.
 */
int	crypto_prehash_file(const char *path,
	    unsigned char prehash[CRYPTO_DIGEST512_BYTES],
	    unsigned char digest[CRYPTO_DIGEST_BYTES]);

/* SHA-256 (RFC 6962 Merkle trees, C2SP key ids, drand beacons). */
#define CRYPTO_SHA256_BYTES	32
struct crypto_sha256 {
	_Alignas(8) unsigned char	state[128];
};
void	crypto_sha256_init(struct crypto_sha256 *);
void	crypto_sha256_update(struct crypto_sha256 *, const void *, size_t);
void	crypto_sha256_final(struct crypto_sha256 *,
	    unsigned char out[CRYPTO_SHA256_BYTES]);
void	crypto_sha256(const void *, size_t,
	    unsigned char out[CRYPTO_SHA256_BYTES]);

/* Ed25519: keys, detached signatures. */
#define CRYPTO_SIGN_PUBLICKEYBYTES	32
#define CRYPTO_SIGN_SECRETKEYBYTES	64
#define CRYPTO_SIGN_BYTES		64
void	crypto_keypair(unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES],
	    unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES]);
/* The public half of a secret key. */
void	crypto_sk_to_pk(const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES],
	    unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES]);
void	crypto_sign_buf(unsigned char sig[CRYPTO_SIGN_BYTES], const void *,
	    size_t, const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES]);
/* 0 if sig is pk's signature of the message, -1 if not (no message). */
int	crypto_verify_buf(const unsigned char sig[CRYPTO_SIGN_BYTES],
	    const void *, size_t,
	    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES]);

/*
 * The draw's primitives (docs/protocol.md sections 6 and 9). The key
 * derivation is libsodium's crypto_kdf_derive_from_key (BLAKE2b keyed by
 * the 32-byte master key, salt u64le(id), personal ctx): len is 16..64.
 */
#define CRYPTO_KDF_KEYBYTES		32
#define CRYPTO_KDF_CONTEXTBYTES		8
#define CRYPTO_SIPHASH128_KEYBYTES	16
#define CRYPTO_SIPHASH128_BYTES		16
#define CRYPTO_CHACHA20_KEYBYTES	32
#define CRYPTO_CHACHA20_NONCEBYTES	12
#define CRYPTO_CHACHA20_BLOCKBYTES	64
void	crypto_kdf_blake2b(unsigned char *subkey, size_t len, uint64_t id,
	    const char ctx[CRYPTO_KDF_CONTEXTBYTES],
	    const unsigned char key[CRYPTO_KDF_KEYBYTES]);
/* SipHash-2-4 with a 128-bit output, the reference's 16 bytes. */
void	crypto_siphash128(unsigned char out[CRYPTO_SIPHASH128_BYTES],
	    const void *, size_t,
	    const unsigned char key[CRYPTO_SIPHASH128_KEYBYTES]);
/* SipHash-2-4's 64 bits, for hash tables. */
uint64_t crypto_siphash64(const void *, size_t,
	    const unsigned char key[CRYPTO_SIPHASH128_KEYBYTES]);
/*
 * len bytes of the ChaCha20 keystream (RFC 8439: 96-bit nonce, 32-bit
 * block counter starting at ic); the caller keeps ic + len / 64 within
 * 2^32 blocks.
 */
void	crypto_chacha20_ietf_stream(unsigned char *out, size_t len,
	    const unsigned char nonce[CRYPTO_CHACHA20_NONCEBYTES], uint32_t ic,
	    const unsigned char key[CRYPTO_CHACHA20_KEYBYTES]);

/* Fresh randomness from the operating system (never for a draw). */
void	crypto_random(void *, size_t);

/*
 * scrypt (scryptsalsa208sha256, as minisign uses it) of a passphrase into
 * outlen bytes; -1 with a message if the limits are out of range.
 */
#define CRYPTO_SCRYPT_SALTBYTES	32
int	crypto_scrypt(unsigned char *out, size_t outlen, const char *pass,
	    size_t passlen, const unsigned char salt[CRYPTO_SCRYPT_SALTBYTES],
	    unsigned long long opslimit, size_t memlimit);
/* minisign's defaults for a new encrypted key ("sensitive" limits). */
unsigned long long crypto_scrypt_opslimit(void);
size_t	crypto_scrypt_memlimit(void);

/* Standard base64 with padding (RFC 4648 section 4), as minisign writes. */
#define CRYPTO_BASE64_LEN(n)	(((n) + 2) / 3 * 4 + 1)
void	crypto_base64(char *out, size_t outmax, const unsigned char *,
	    size_t);
/* Decodes exactly; -1 if s is not valid base64 of at most outmax bytes. */
int	crypto_unbase64(unsigned char *out, size_t outmax, size_t *outlen,
	    const char *s, size_t len);

/* Memory for secrets: guarded, locked, wiped when freed. */
void	*crypto_secure_alloc(size_t);
void	crypto_secure_free(void *);
void	crypto_wipe(void *, size_t);
/* Constant-time comparison: 0 if equal. */
int	crypto_equal(const void *, const void *, size_t);

#endif
