/*
 * Signing keys in minisign's file formats: a public key file stock
 * `minisign -V -p` reads, and a secret key file (mode 0600, refused when
 * group- or world-readable), unencrypted as `minisign -W` writes it, or
 * encrypted with a passphrase (scrypt) as minisign does by default.
 */
#ifndef SSJ_KEYS_H
#define SSJ_KEYS_H

#include <stddef.h>

#include "crypto.h"

#define KEYNUM_BYTES	8

struct pubkey {
	unsigned char	keynum[KEYNUM_BYTES];	/* random key id */
	unsigned char	pk[CRYPTO_SIGN_PUBLICKEYBYTES];
};

/* A secret key in memory from crypto_secure_alloc; free with key_free. */
struct seckey {
	unsigned char	keynum[KEYNUM_BYTES];
	unsigned char	sk[CRYPTO_SIGN_SECRETKEYBYTES];
};

/* minisign's key id: "%016llX" of keynum read as little-endian. */
#define KEY_ID_LEN	17
void	key_id(const unsigned char keynum[KEYNUM_BYTES], char out[KEY_ID_LEN]);

/*
 * Creates a new key pair and writes both files (the secret one 0600,
 * created exclusively unless force). With a passphrase the secret key is
 * encrypted. Returns 0, or -1 with a message (and no file left behind).
 */
int	key_generate(const char *pubpath, const char *secpath,
	    const char *passphrase, int force, struct pubkey *out);
/* The base64 line of a public key file ("RW..."), NUL-terminated. */
#define PUBKEY_BASE64_LEN	57
void	pubkey_base64(const struct pubkey *, char out[PUBKEY_BASE64_LEN]);
/* Reads a public key file; -1 with a message "FILE:LINE: ...". */
int	pubkey_load(const char *path, struct pubkey *out);
/* Parses the base64 line of a public key ("RW..."). */
int	pubkey_parse(const char *b64, size_t len, struct pubkey *out);
/*
 * Reads a secret key file, after checking that only its owner can read
 * it. An encrypted key needs the passphrase: from get_passphrase (called
 * with a prompt; may be NULL), else -1. NULL with a message on failure.
 * get_passphrase returns crypto_secure_alloc memory, which seckey_load
 * wipes and frees, or NULL after saying why.
 */
struct seckey *seckey_load(const char *path,
	    char *(*get_passphrase)(const char *prompt));
/* The same from memory, without the permission check (tests, fuzzing). */
struct seckey *seckey_parse(const char *text, size_t len, const char *name,
	    const char *passphrase);
void	seckey_free(struct seckey *);
/* The public half, for checking that a secret and public key match. */
void	seckey_public(const struct seckey *, struct pubkey *out);

/*
 * Passphrases, for seckey_load and key_generate: $SSJ_PASSPHRASE when it
 * is set and not empty (automation), else asked on the terminal without
 * echo; key_new_passphrase asks twice. Both return crypto_secure_alloc
 * memory (free it with crypto_secure_free), or NULL with a message.
 */
char	*key_passphrase(const char *prompt);
char	*key_new_passphrase(const char *secpath);

#endif
