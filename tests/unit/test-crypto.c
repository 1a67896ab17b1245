/*
 * Unit tests of the libsodium wrapper: every function in crypto.h, with
 * known-answer vectors from the RFCs and the BLAKE2 reference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto.h"

static void	unhex(const char *, unsigned char *, size_t);
static void	assert_hex(const unsigned char *, size_t, const char *);

static void
unhex(const char *s, unsigned char *out, size_t n)
{
	assert_int_equal(crypto_unhex(s, out, n), 0);
}

static void
assert_hex(const unsigned char *p, size_t n, const char *want)
{
	char	 hex[2 * 64 + 1];

	assert_true(n <= 64);
	crypto_hex(p, n, hex);
	assert_string_equal(hex, want);
}

/* The BLAKE2 reference's answers (RFC 7693 appendix A for "abc"). */
static void
test_crypto__blake2b_vectors(void **state)
{
	unsigned char		 out[CRYPTO_DIGEST512_BYTES];
	struct crypto_digest	 d;

	(void)state;
	crypto_digest("", 0, out);
	assert_hex(out, 32, "0e5751c026e543b2e8ab2eb06099daa1"
	    "d1e5df47778f7787faab45cdf12fe3a8");
	crypto_digest("abc", 3, out);
	assert_hex(out, 32, "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	crypto_digest_init(&d, 64);
	crypto_digest_final(&d, out);
	assert_hex(out, 64, "786a02f742015903c6c6fd852552d272"
	    "912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b"
	    "903a685b1448b755d56f701afe9be2ce");
	crypto_digest_init(&d, 64);
	crypto_digest_update(&d, "a", 1);
	crypto_digest_update(&d, "", 0);
	crypto_digest_update(&d, "bc", 2);
	crypto_digest_final(&d, out);
	assert_hex(out, 64, "ba80a53f981c4d0d6a2797b69f12f6e9"
	    "4c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc95"
	    "18d38aa8dbf1925ab92386edd4009923");
}

static void
test_crypto__digest_incremental_is_one_shot(void **state)
{
	unsigned char		 a[CRYPTO_DIGEST_BYTES], b[CRYPTO_DIGEST_BYTES];
	unsigned char		 data[1000];
	struct crypto_digest	 d;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7);
	crypto_digest(data, sizeof(data), a);
	crypto_digest_init(&d, CRYPTO_DIGEST_BYTES);
	for (i = 0; i < sizeof(data); i += 37)
		crypto_digest_update(&d, data + i,
		    sizeof(data) - i < 37 ? sizeof(data) - i : 37);
	crypto_digest_final(&d, b);
	assert_memory_equal(a, b, sizeof(a));
}

static void
test_crypto__digest_files(void **state)
{
	char		 path[] = "/tmp/ssj-test-crypto-XXXXXX";
	unsigned char	 out[CRYPTO_DIGEST512_BYTES];
	unsigned char	 d256[CRYPTO_DIGEST_BYTES];
	int		 fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(crypto_digest_file(path, out), 0);
	assert_hex(out, 32, "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	assert_int_equal(crypto_digest512_file(path, out), 0);
	assert_hex(out, 64, "ba80a53f981c4d0d6a2797b69f12f6e9"
	    "4c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc95"
	    "18d38aa8dbf1925ab92386edd4009923");
	memset(out, 0, sizeof(out));
	memset(d256, 0, sizeof(d256));
	assert_int_equal(crypto_prehash_file(path, out, d256), 0);
	assert_hex(d256, 32, "bddd813c634239723171ef3fee98579b"
	    "94964e3bb1cb3e427262c8c068d52319");
	assert_hex(out, 64, "ba80a53f981c4d0d6a2797b69f12f6e9"
	    "4c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc95"
	    "18d38aa8dbf1925ab92386edd4009923");
	unlink(path);
	assert_int_equal(crypto_digest_file(path, out), -1);
	assert_int_equal(crypto_digest512_file(path, out), -1);
	assert_int_equal(crypto_prehash_file(path, out, d256), -1);
}

/* FIPS 180-2 appendix B.1 and B.2. */
static void
test_crypto__sha256_vectors(void **state)
{
	static const char	 two[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	unsigned char		 out[CRYPTO_SHA256_BYTES];
	struct crypto_sha256	 h;

	(void)state;
	crypto_sha256("abc", 3, out);
	assert_hex(out, 32, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256_init(&h);
	crypto_sha256_update(&h, two, 20);
	crypto_sha256_update(&h, two + 20, strlen(two) - 20);
	crypto_sha256_final(&h, out);
	assert_hex(out, 32, "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_crypto__hex(void **state)
{
	unsigned char	 b[3];
	char		 s[7];

	(void)state;
	crypto_hex((const unsigned char *)"\x00\xab\xff", 3, s);
	assert_string_equal(s, "00abff");
	assert_int_equal(crypto_unhex("00abff", b, 3), 0);
	assert_memory_equal(b, "\x00\xab\xff", 3);
	/* One spelling: what ssj writes, lowercase. */
	assert_int_equal(crypto_unhex("00ABFF", b, 3), -1);
	assert_int_equal(crypto_unhex("00abf", b, 3), -1);
	assert_int_equal(crypto_unhex("00abff00", b, 3), -1);
	assert_int_equal(crypto_unhex("00abfg", b, 3), -1);
	assert_int_equal(crypto_unhex("00 bff", b, 3), -1);
	assert_int_equal(crypto_unhex("", b, 0), 0);
}

/* RFC 8032 section 7.1, tests 1 and 2: libsodium's sk is seed || pk. */
static void
test_crypto__ed25519_rfc8032(void **state)
{
	static const struct {
		const char	*seed, *pk, *msg, *sig;
	} v[] = {
		{ "9d61b19deffd5a60ba844af492ec2cc4"
		  "4449c5697b326919703bac031cae7f60",
		  "d75a980182b10ab7d54bfed3c964073a"
		  "0ee172f3daa62325af021a68f707511a",
		  "",
		  "e5564300c360ac729086e2cc806e828a"
		  "84877f1eb8e5d974d873e06522490155"
		  "5fb8821590a33bacc61e39701cf9b46b"
		  "d25bf5f0595bbe24655141438e7a100b" },
		{ "4ccd089b28ff96da9db6c346ec114e0f"
		  "5b8a319f35aba624da8cf6ed4fb8a6fb",
		  "3d4017c3e843895a92b70aa74d1b7ebc"
		  "9c982ccf2ec4968cc0cd55f12af4660c",
		  "72",
		  "92a009a9f0d4cab8720e820b5f642540"
		  "a2b27b5416503f8fb3762223ebdb69da"
		  "085ac1e43e15996e458f3613d0f11d8c"
		  "387b2eaeb4302aeeb00d291612bb0c00" },
	};
	unsigned char	 sk[CRYPTO_SIGN_SECRETKEYBYTES];
	unsigned char	 pk[CRYPTO_SIGN_PUBLICKEYBYTES], got[32];
	unsigned char	 sig[CRYPTO_SIGN_BYTES], want[CRYPTO_SIGN_BYTES];
	unsigned char	 msg[1];
	size_t		 i, mlen;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unhex(v[i].seed, sk, 32);
		unhex(v[i].pk, pk, 32);
		memcpy(sk + 32, pk, 32);
		mlen = strlen(v[i].msg) / 2;
		if (mlen > 0)
			unhex(v[i].msg, msg, mlen);
		unhex(v[i].sig, want, sizeof(want));
		crypto_sign_buf(sig, msg, mlen, sk);
		assert_memory_equal(sig, want, sizeof(sig));
		crypto_sk_to_pk(sk, got);
		assert_memory_equal(got, pk, sizeof(pk));
		assert_int_equal(crypto_verify_buf(sig, msg, mlen, pk), 0);
		sig[63] ^= 0x01;
		assert_int_equal(crypto_verify_buf(sig, msg, mlen, pk), -1);
	}
}

static void
test_crypto__keypair_signs_and_verifies(void **state)
{
	unsigned char	 sk[CRYPTO_SIGN_SECRETKEYBYTES];
	unsigned char	 sk2[CRYPTO_SIGN_SECRETKEYBYTES];
	unsigned char	 pk[CRYPTO_SIGN_PUBLICKEYBYTES];
	unsigned char	 pk2[CRYPTO_SIGN_PUBLICKEYBYTES];
	unsigned char	 sig[CRYPTO_SIGN_BYTES], again[CRYPTO_SIGN_BYTES];

	(void)state;
	crypto_keypair(pk, sk);
	crypto_keypair(pk2, sk2);
	assert_memory_not_equal(pk, pk2, sizeof(pk));
	crypto_sk_to_pk(sk, pk2);
	assert_memory_equal(pk, pk2, sizeof(pk));
	crypto_sign_buf(sig, "message", 7, sk);
	/* Deterministic: published bundles rebuild byte for byte. */
	crypto_sign_buf(again, "message", 7, sk);
	assert_memory_equal(sig, again, sizeof(sig));
	assert_int_equal(crypto_verify_buf(sig, "message", 7, pk), 0);
	assert_int_equal(crypto_verify_buf(sig, "messagE", 7, pk), -1);
	assert_int_equal(crypto_verify_buf(sig, "message", 6, pk), -1);
	crypto_keypair(pk2, sk2);
	assert_int_equal(crypto_verify_buf(sig, "message", 7, pk2), -1);
}

static void
test_crypto__random(void **state)
{
	unsigned char	 a[32], b[32], zero[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	crypto_random(a, sizeof(a));
	crypto_random(b, sizeof(b));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	crypto_random(a, 0);
}

/*
 * scrypt under libsodium's smallest limits is N = 1024, r = 8, p = 1; the
 * answer is Python's hashlib.scrypt (OpenSSL), an independent code base.
 */
static void
test_crypto__scrypt(void **state)
{
	unsigned char	 salt[CRYPTO_SCRYPT_SALTBYTES], out[32];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (unsigned char)i;
	assert_int_equal(crypto_scrypt(out, sizeof(out), "ssj", 3, salt,
	    32768, 16777216), 0);
	assert_hex(out, 32, "a7ec3246e24decbc541dbf97f3564323"
	    "e133c343b9869be577b9e0f487e44735");
	/* minisign's limits for a new key: ops 2^25, memory 1 GiB. */
	assert_true(crypto_scrypt_opslimit() == 33554432ULL);
	assert_int_equal(crypto_scrypt_memlimit(), 1073741824);
	/* A key file names its own limits: absurd ones are refused. */
	assert_int_equal(crypto_scrypt(out, sizeof(out), "ssj", 3, salt,
	    1, 16777216), -1);
	assert_int_equal(crypto_scrypt(out, sizeof(out), "ssj", 3, salt,
	    32768, 1), -1);
	assert_int_equal(crypto_scrypt(out, sizeof(out), "ssj", 3, salt,
	    UINT64_MAX, 16777216), -1);
	assert_int_equal(crypto_scrypt(out, sizeof(out), "ssj", 3, salt,
	    32768, SIZE_MAX), -1);
}

/* RFC 4648 section 10, and what a strict decoder must refuse. */
static void
test_crypto__base64(void **state)
{
	static const char	*enc[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	static const char	*bad[] = {
		"Zg", "Zg=", "Zm9", "Zm9v!", "Zm9v\n", " Zm9v", "Zm9v=",
		"Zh==", "Zm9=", "Zm9vYg==Zg==", "Zm-v", "Zm_v", "====",
		/* libsodium 1.0.18 alone takes these as "Zm9/". */
		"Zm9\x80", "Zm9\xbf", "Zm9\xff", "\xff\xff\xff\xff",
	};
	unsigned char		 out[16];
	char			 s[CRYPTO_BASE64_LEN(6)];
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		crypto_base64(s, sizeof(s), (const unsigned char *)enc[i][0],
		    strlen(enc[i][0]));
		assert_string_equal(s, enc[i][1]);
		n = 99;
		assert_int_equal(crypto_unbase64(out, sizeof(out), &n,
		    enc[i][1], strlen(enc[i][1])), 0);
		assert_int_equal(n, strlen(enc[i][0]));
		assert_memory_equal(out, enc[i][0], n);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(crypto_unbase64(out, sizeof(out), &n, bad[i],
		    strlen(bad[i])), -1);
	/* The length counts: an embedded NUL is not the end. */
	assert_int_equal(crypto_unbase64(out, sizeof(out), &n, "Zm9v\0Zm9v",
	    9), -1);
	assert_int_equal(crypto_unbase64(out, sizeof(out), &n, "Zm9vYmFy",
	    4), 0);
	assert_int_equal(n, 3);
	/* Too long for the output: refused, not truncated. */
	assert_int_equal(crypto_unbase64(out, 5, &n, "Zm9vYmFy", 8), -1);
	assert_int_equal(crypto_unbase64(out, 6, &n, "Zm9vYmFy", 8), 0);
	assert_int_equal(CRYPTO_BASE64_LEN(42), 57);
	assert_int_equal(CRYPTO_BASE64_LEN(0), 1);
}

static void
test_crypto__secure_memory(void **state)
{
	unsigned char	*p;
	unsigned char	 buf[16];

	(void)state;
	p = crypto_secure_alloc(100);
	memset(p, 0xaa, 100);
	crypto_wipe(p, 100);
	memset(buf, 0, sizeof(buf));
	assert_memory_equal(p, buf, sizeof(buf));
	assert_int_equal(p[99], 0);
	crypto_secure_free(p);
	memset(buf, 0x55, sizeof(buf));
	crypto_wipe(buf, 8);
	assert_int_equal(buf[7], 0);
	assert_int_equal(buf[8], 0x55);
}

static void
test_crypto__equal(void **state)
{
	(void)state;
	assert_int_equal(crypto_equal("abcd", "abcd", 4), 0);
	assert_int_not_equal(crypto_equal("abcd", "abce", 4), 0);
	assert_int_not_equal(crypto_equal("xbcd", "abcd", 4), 0);
	assert_int_equal(crypto_equal("abcd", "abce", 3), 0);
	assert_int_equal(crypto_equal("", "", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypto__blake2b_vectors),
		cmocka_unit_test(test_crypto__digest_incremental_is_one_shot),
		cmocka_unit_test(test_crypto__digest_files),
		cmocka_unit_test(test_crypto__sha256_vectors),
		cmocka_unit_test(test_crypto__hex),
		cmocka_unit_test(test_crypto__ed25519_rfc8032),
		cmocka_unit_test(test_crypto__keypair_signs_and_verifies),
		cmocka_unit_test(test_crypto__random),
		cmocka_unit_test(test_crypto__scrypt),
		cmocka_unit_test(test_crypto__base64),
		cmocka_unit_test(test_crypto__secure_memory),
		cmocka_unit_test(test_crypto__equal),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
