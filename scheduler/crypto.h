/*
 * All cryptography of ssj, over libsodium (the only includer of sodium.h).
 * Digests are BLAKE2b; later: signatures, key files, SHA-256 for the ledger.
 */
#ifndef SSJ_CRYPTO_H
#define SSJ_CRYPTO_H

#include <stddef.h>

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
/* One-shot BLAKE2b-256 of a buffer. */
void	crypto_digest(const void *, size_t,
	    unsigned char out[CRYPTO_DIGEST_BYTES]);
/* BLAKE2b-256 of a file's bytes; -1 with a message if it cannot be read. */
int	crypto_digest_file(const char *path,
	    unsigned char out[CRYPTO_DIGEST_BYTES]);

/* Lowercase hex of n bytes into out, which holds 2n + 1 bytes. */
void	crypto_hex(const unsigned char *, size_t n, char *out);

#endif
