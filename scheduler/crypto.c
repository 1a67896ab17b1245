/*
 * libsodium wrapper: the one place that knows which primitive ssj uses for
 * what, so that protocol code names purposes, not algorithms.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "bg.h"
#include "crypto.h"
#include "log.h"

_Static_assert(sizeof(((struct crypto_digest *)0)->state) >=
    sizeof(crypto_generichash_state), "crypto_digest state too small");
_Static_assert(sizeof(((struct crypto_sha256 *)0)->state) >=
    sizeof(crypto_hash_sha256_state), "crypto_sha256 state too small");
_Static_assert(CRYPTO_SIGN_BYTES == crypto_sign_BYTES &&
    CRYPTO_SIGN_PUBLICKEYBYTES == crypto_sign_PUBLICKEYBYTES &&
    CRYPTO_SIGN_SECRETKEYBYTES == crypto_sign_SECRETKEYBYTES &&
    CRYPTO_SHA256_BYTES == crypto_hash_sha256_BYTES &&
    CRYPTO_SCRYPT_SALTBYTES == crypto_pwhash_scryptsalsa208sha256_SALTBYTES,
    "sizes agree with libsodium");
_Static_assert(CRYPTO_KDF_KEYBYTES == crypto_kdf_blake2b_KEYBYTES &&
    CRYPTO_KDF_CONTEXTBYTES == crypto_kdf_blake2b_CONTEXTBYTES &&
    CRYPTO_SIPHASH128_KEYBYTES == crypto_shorthash_siphashx24_KEYBYTES &&
    CRYPTO_SIPHASH128_BYTES == crypto_shorthash_siphashx24_BYTES &&
    CRYPTO_CHACHA20_KEYBYTES == crypto_stream_chacha20_ietf_KEYBYTES &&
    CRYPTO_CHACHA20_NONCEBYTES == crypto_stream_chacha20_ietf_NONCEBYTES,
    "draw primitive sizes agree with libsodium");

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
crypto_digest_consume(void *d, const void *p, size_t n)
{
	crypto_digest_update(d, p, n);
}

void
crypto_digest(const void *p, size_t n, unsigned char out[CRYPTO_DIGEST_BYTES])
{
	crypto_generichash(out, CRYPTO_DIGEST_BYTES, p, n, NULL, 0);
}

/*
 * BLAKE2b-256 and BLAKE2b-512 of a file's bytes in one reading, either
 * output NULL if not wanted.
 */
static int
digest_file(const char *path, unsigned char *out256, unsigned char *out512)
{
	struct crypto_digest	 d256, d512;
	struct bg		*wide = NULL;
	unsigned char		 chunk[65536];
	FILE			*fp;
	size_t			 n;
	int			 ret = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		log_warn("cannot open '%s'", path);
		return -1;
	}
	crypto_digest_init(&d256, CRYPTO_DIGEST_BYTES);
	crypto_digest_init(&d512, CRYPTO_DIGEST512_BYTES);
	/* Both: the second on a second thread, at the same time. */
	if (out256 != NULL && out512 != NULL)
		wide = bg_start(crypto_digest_consume, &d512);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (out256 != NULL)
			crypto_digest_update(&d256, chunk, n);
		if (wide != NULL)
			bg_add(wide, chunk, n);
		else if (out512 != NULL)
			crypto_digest_update(&d512, chunk, n);
	}
	bg_finish(wide);
	if (ferror(fp)) {
		log_warn("cannot read '%s'", path);
		goto out;
	}
	if (out256 != NULL)
		crypto_digest_final(&d256, out256);
	if (out512 != NULL)
		crypto_digest_final(&d512, out512);
	ret = 0;
out:
	fclose(fp);
	return ret;
}

int
crypto_digest_file(const char *path, unsigned char out[CRYPTO_DIGEST_BYTES])
{
	return digest_file(path, out, NULL);
}

int
crypto_digest512_file(const char *path,
    unsigned char out[CRYPTO_DIGEST512_BYTES])
{
	return digest_file(path, NULL, out);
}

int
crypto_prehash_file(const char *path,
    unsigned char prehash[CRYPTO_DIGEST512_BYTES],
    unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	return digest_file(path, digest, prehash);
}

void
crypto_hex(const unsigned char *p, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, p, n);
}

int
crypto_unhex(const char *s, unsigned char *out, size_t n)
{
	size_t	 binlen, i;

	/* Lowercase only: every hex string ssj reads has one spelling. */
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return -1;
	if (i != 2 * n || sodium_hex2bin(out, n, s, 2 * n, NULL,
	    &binlen, NULL) != 0 || binlen != n)
		return -1;
	return 0;
}

void
crypto_sha256_init(struct crypto_sha256 *h)
{
	crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)h->state);
}

void
crypto_sha256_update(struct crypto_sha256 *h, const void *p, size_t n)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)h->state,
	    p, n);
}

void
crypto_sha256_final(struct crypto_sha256 *h,
    unsigned char out[CRYPTO_SHA256_BYTES])
{
	crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)h->state,
	    out);
}

void
crypto_sha256(const void *p, size_t n, unsigned char out[CRYPTO_SHA256_BYTES])
{
	crypto_hash_sha256(out, p, n);
}

void
crypto_keypair(unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES],
    unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES])
{
	crypto_sign_keypair(pk, sk);
}

void
crypto_sk_to_pk(const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES],
    unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES])
{
	crypto_sign_ed25519_sk_to_pk(pk, sk);
}

void
crypto_sign_buf(unsigned char sig[CRYPTO_SIGN_BYTES], const void *p, size_t n,
    const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES])
{
	crypto_sign_detached(sig, NULL, p, n, sk);
}

int
crypto_verify_buf(const unsigned char sig[CRYPTO_SIGN_BYTES], const void *p,
    size_t n, const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES])
{
	return crypto_sign_verify_detached(sig, p, n, pk) == 0 ? 0 : -1;
}

/* The draw's subkeys: fatal on a length libsodium refuses (a bug). */
void
crypto_kdf_blake2b(unsigned char *subkey, size_t len, uint64_t id,
    const char ctx[CRYPTO_KDF_CONTEXTBYTES],
    const unsigned char key[CRYPTO_KDF_KEYBYTES])
{
	if (crypto_kdf_blake2b_derive_from_key(subkey, len, id, ctx, key) != 0)
		fatalx("crypto_kdf_blake2b: bad subkey length %zu", len);
}

/* Tickets: SipHash-2-4-128, as the reference implementation writes it. */
void
crypto_siphash128(unsigned char out[CRYPTO_SIPHASH128_BYTES], const void *p,
    size_t n, const unsigned char key[CRYPTO_SIPHASH128_KEYBYTES])
{
	crypto_shorthash_siphashx24(out, p, n, key);
}

/* Hash tables: SipHash-2-4, keyed so that no file can aim at collisions. */
uint64_t
crypto_siphash64(const void *p, size_t n,
    const unsigned char key[CRYPTO_SIPHASH128_KEYBYTES])
{
	unsigned char	 out[crypto_shorthash_siphash24_BYTES];
	uint64_t	 h = 0;
	size_t		 i;

	crypto_shorthash_siphash24(out, p, n, key);
	for (i = 0; i < sizeof(out); i++)
		h = h << 8 | out[i];
	return h;
}

/* The teams' stream: keystream = ChaCha20 of zeros, from block ic on. */
void
crypto_chacha20_ietf_stream(unsigned char *out, size_t len,
    const unsigned char nonce[CRYPTO_CHACHA20_NONCEBYTES], uint32_t ic,
    const unsigned char key[CRYPTO_CHACHA20_KEYBYTES])
{
	/* libsodium carries a wrapped counter into the nonce: never let it. */
	if (len > ((uint64_t)UINT32_MAX + 1 - ic) * CRYPTO_CHACHA20_BLOCKBYTES)
		fatalx("crypto_chacha20_ietf_stream: counter would wrap");
	memset(out, 0, len);
	crypto_stream_chacha20_ietf_xor_ic(out, out, len, nonce, ic, key);
}

void
crypto_random(void *p, size_t n)
{
	randombytes_buf(p, n);
}

int
crypto_scrypt(unsigned char *out, size_t outlen, const char *pass,
    size_t passlen, const unsigned char salt[CRYPTO_SCRYPT_SALTBYTES],
    unsigned long long opslimit, size_t memlimit)
{
	/* A key file names its own limits: keep them sane. */
	if (opslimit < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
	    opslimit > crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE *
	    4ULL || memlimit < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN ||
	    memlimit > crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE *
	    4ULL)
		return error("scrypt limits out of range (ops %llu, mem %zu)",
		    opslimit, memlimit);
	if (crypto_pwhash_scryptsalsa208sha256(out, outlen, pass, passlen,
	    salt, opslimit, memlimit) != 0)
		return error("scrypt failed: out of memory");
	return 0;
}

unsigned long long
crypto_scrypt_opslimit(void)
{
	return crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
}

size_t
crypto_scrypt_memlimit(void)
{
	return crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;
}

void
crypto_base64(char *out, size_t outmax, const unsigned char *p, size_t n)
{
	if (outmax < CRYPTO_BASE64_LEN(n))
		fatalx("crypto_base64: %zu bytes do not hold %zu encoded",
		    outmax, n);
	sodium_bin2base64(out, outmax, p, n, sodium_base64_VARIANT_ORIGINAL);
}

int
crypto_unbase64(unsigned char *out, size_t outmax, size_t *outlen,
    const char *s, size_t len)
{
	const char	*end;
	size_t		 i;

	/* libsodium 1.0.18 reads every byte >= 0x80 as '/': refuse them. */
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return -1;
	if (sodium_base642bin(out, outmax, s, len, NULL, outlen, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || end != s + len)
		return -1;
	return 0;
}

void *
crypto_secure_alloc(size_t n)
{
	void	*p;

	if ((p = sodium_malloc(n)) == NULL)
		fatal("sodium_malloc: %zu bytes", n);
	return p;
}

void
crypto_secure_free(void *p)
{
	sodium_free(p);
}

void
crypto_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n);
}
