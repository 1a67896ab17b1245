/*
 * Unit tests of the key files: keys stock minisign wrote, keys ssj
 * writes, every way a key file can be wrong, and the secrecy checks.
 */
#include <sys/stat.h>

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
#include "keys.h"

/* Made by stock minisign 0.11: `minisign -G -W` (no checksum, zeros). */
#define MS_W_SEC \
	"untrusted comment: minisign encrypted secret key\n" MS_W_B64 "\n"
#define MS_W_B64 \
	"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAAAAAtFTA3LlEVspho/MIQ3MDCLSbPG48r0mQUvfGnE3falmQrTbiTUief1MJWzh" \
	"mwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlvAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAAAAAAAAAAA="
#define MS_W_PUB \
	"RWQC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlv"
#define MS_W_ID		"5B11E5720353D102"
/* `minisign -G`, passphrase "pw": scrypt with minisign's limits. */
#define MS_ENC_SEC \
	"untrusted comment: minisign encrypted secret key\n" \
	"RWRTY0IyddlyB5lm7kntjYOrv0n6e3CB3RTzml8HVeJChsW5tu4AAAACAAAAAAAAAE" \
	"AAAAAAt0HtTbsRwer4w4vZrkTHb4CMUfB6mfLItqi6yHMVHe86debtOf4HTS4FXSbN" \
	"vzUKyc6KSjtSVAZZC4Z2Mm9xKyJxZINKMIMARlt8g5GQxPD483WGPDeKFSMIgwOQLN" \
	"Au7Nsk361M7k4=\n"
#define MS_ENC_PUB \
	"RWT1YabJBCTCmNomqjDDSHFFKmI6pPGYsA9SCE3/f2En0kYdIS4nW5Rs"

/* Fast scrypt limits (libsodium's minimum) for keys made by the tests. */
#define OPS_MIN		32768
#define MEM_MIN		16777216

enum chk_mode { CHK_RIGHT, CHK_ZERO, CHK_WRONG };

static char	 dir[] = "/tmp/ssj-test-keys-XXXXXX";
static char	 pubpath[64], secpath[64];

static void	 le64(unsigned char *, uint64_t);
static char	*key_text(const unsigned char *, size_t, const char *);
static char	*make_seckey(const struct seckey *, const char *,
		    enum chk_mode);
static void	 write_file(const char *, const char *, mode_t);
static char	*get_pw(const char *);
static char	*get_nothing(const char *);
static int	 setup(void **);
static int	 teardown(void **);

static void
le64(unsigned char *p, uint64_t x)
{
	int	 i;

	for (i = 0; i < 8; i++, x >>= 8)
		p[i] = (unsigned char)x;
}

static char *
key_text(const unsigned char *raw, size_t n, const char *comment)
{
	char	 b64[CRYPTO_BASE64_LEN(200)], *s;
	size_t	 len;

	assert_true(n <= 200);
	crypto_base64(b64, sizeof(b64), raw, n);
	len = strlen(comment) + strlen(b64) + 32;
	s = malloc(len);
	snprintf(s, len, "untrusted comment: %s\n%s\n", comment, b64);
	return s;
}

/*
 * A secret key file written here, independently of keys.c, from the
 * format alone: encrypted under the smallest scrypt limits if pass is set.
 */
static char *
make_seckey(const struct seckey *sk, const char *pass, enum chk_mode chk)
{
	unsigned char		 raw[158], stream[104];
	struct crypto_digest	 d;
	size_t			 i;

	memset(raw, 0, sizeof(raw));
	memcpy(raw, "Ed", 2);
	memcpy(raw + 4, "B2", 2);
	memcpy(raw + 54, sk->keynum, 8);
	memcpy(raw + 62, sk->sk, 64);
	if (chk != CHK_ZERO) {
		crypto_digest_init(&d, 32);
		crypto_digest_update(&d, "Ed", 2);
		crypto_digest_update(&d, sk->keynum, 8);
		crypto_digest_update(&d, sk->sk, 64);
		crypto_digest_final(&d, raw + 126);
		if (chk == CHK_WRONG)
			raw[126] ^= 1;
	}
	if (pass != NULL) {
		memcpy(raw + 2, "Sc", 2);
		crypto_random(raw + 6, 32);
		le64(raw + 38, OPS_MIN);
		le64(raw + 46, MEM_MIN);
		assert_int_equal(crypto_scrypt(stream, sizeof(stream), pass,
		    strlen(pass), raw + 6, OPS_MIN, MEM_MIN), 0);
		for (i = 0; i < sizeof(stream); i++)
			raw[54 + i] ^= stream[i];
	}
	return key_text(raw, sizeof(raw), "test key");
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE	*fp;

	unlink(path);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static char *
get_pw(const char *prompt)
{
	char	*p;

	assert_non_null(strstr(prompt, "passphrase for '"));
	p = crypto_secure_alloc(3);
	memcpy(p, "pw", 3);
	return p;
}

static char *
get_nothing(const char *prompt)
{
	(void)prompt;
	return NULL;
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ssj-test-keys-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(pubpath, sizeof(pubpath), "%s/k.pub", dir);
	snprintf(secpath, sizeof(secpath), "%s/k.key", dir);
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_keys__key_id_is_little_endian(void **state)
{
	static const unsigned char	 keynum[8] = {
		0x02, 0xd1, 0x53, 0x03, 0x72, 0xe5, 0x11, 0x5b
	};
	char				 id[KEY_ID_LEN];

	(void)state;
	key_id(keynum, id);
	assert_string_equal(id, "5B11E5720353D102");
}

static void
test_keys__stock_unencrypted_key(void **state)
{
	struct seckey	*sk;
	struct pubkey	 pk, half;
	char		 id[KEY_ID_LEN], b64[PUBKEY_BASE64_LEN];

	(void)state;
	assert_int_equal(pubkey_parse(MS_W_PUB, strlen(MS_W_PUB), &pk), 0);
	key_id(pk.keynum, id);
	assert_string_equal(id, MS_W_ID);
	pubkey_base64(&pk, b64);
	assert_string_equal(b64, MS_W_PUB);
	sk = seckey_parse(MS_W_SEC, strlen(MS_W_SEC), "ms.key", NULL);
	assert_non_null(sk);
	seckey_public(sk, &half);
	assert_memory_equal(&half, &pk, sizeof(pk));
	seckey_free(sk);
	/* A passphrase for a key without one is not needed, nor harmful. */
	sk = seckey_parse(MS_W_SEC, strlen(MS_W_SEC), "ms.key", "pw");
	assert_non_null(sk);
	seckey_free(sk);
}

/* Slow (scrypt with minisign's 1 GiB), but the one true vector. */
static void
test_keys__stock_encrypted_key(void **state)
{
	struct seckey	*sk;
	struct pubkey	 pk, half;

	(void)state;
	assert_int_equal(pubkey_parse(MS_ENC_PUB, strlen(MS_ENC_PUB), &pk),
	    0);
	assert_null(seckey_parse(MS_ENC_SEC, strlen(MS_ENC_SEC), "ms.key",
	    NULL));
	sk = seckey_parse(MS_ENC_SEC, strlen(MS_ENC_SEC), "ms.key", "pw");
	assert_non_null(sk);
	seckey_public(sk, &half);
	assert_memory_equal(&half, &pk, sizeof(pk));
	seckey_free(sk);
}

static void
test_keys__pubkey_parse_refuses(void **state)
{
	static const char	*bad[] = {
		"",
		"RWQC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFl",
		"RWQC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlvAA==",
		"RWQC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFl!",
		"RWQC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlv ",
		/* "Ec" instead of "Ed" */
		"RWMC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlv",
		/* a legacy key in another algorithm: "EC" */
		"RUMC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlv",
	};
	struct pubkey		 pk;
	const char		*sec;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pubkey_parse(bad[i], strlen(bad[i]), &pk),
		    -1);
	/* A secret key where a public one belongs is named as such. */
	sec = strchr(MS_W_SEC, '\n') + 1;
	assert_int_equal(pubkey_parse(sec, strlen(sec) - 1, &pk), -1);
}

static void
test_keys__seckey_text_refused(void **state)
{
	static const char	 body[] = MS_W_B64;
	char			 text[2048], longc[1100];
	const char		*bad[8];
	size_t			 i;
	struct seckey		*sk;

	(void)state;
	memset(longc, 'x', sizeof(longc) - 1);
	longc[sizeof(longc) - 1] = '\0';
	bad[0] = "";
	bad[1] = "untrusted comment: k\n";
	bad[2] = "untrusted comment: k";
	bad[3] = "untrusted comment: k\n\n";
	bad[4] = "comment: k\n" "RWQA\n";
	bad[5] = "untrusted comment: k\n" MS_W_PUB "\n";
	bad[6] = "untrusted comment: k\nRWQA!AA\n";
	bad[7] = "untrusted comment: k\nRWQAAEIy\n";
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(seckey_parse(bad[i], strlen(bad[i]), "k", NULL));
	/* Text after the key line, or a comment minisign cannot read. */
	snprintf(text, sizeof(text), "untrusted comment: k\n%s\nmore\n",
	    body);
	assert_null(seckey_parse(text, strlen(text), "k", NULL));
	snprintf(text, sizeof(text), "untrusted comment: %s\n%s\n", longc,
	    body);
	assert_null(seckey_parse(text, strlen(text), "k", NULL));
	/* CRLF and a missing last newline are fine. */
	snprintf(text, sizeof(text), "untrusted comment: k\r\n%s\r\n", body);
	assert_non_null(sk = seckey_parse(text, strlen(text), "k", NULL));
	seckey_free(sk);
	snprintf(text, sizeof(text), "untrusted comment: k\n%s", body);
	assert_non_null(sk = seckey_parse(text, strlen(text), "k", NULL));
	seckey_free(sk);
}

static void
test_keys__algorithms_checked(void **state)
{
	unsigned char	 raw[158];
	size_t		 n;
	char		*text;
	const char	*b64;
	int		 i;

	(void)state;
	b64 = strchr(MS_W_SEC, '\n') + 1;
	assert_int_equal(crypto_unbase64(raw, sizeof(raw), &n, b64,
	    strlen(b64) - 1), 0);
	assert_int_equal(n, 158);
	/* The signature, KDF and checksum algorithms, one at a time. */
	for (i = 0; i < 3; i++) {
		raw[2 * i] ^= 0x20;
		text = key_text(raw, sizeof(raw), "k");
		assert_null(seckey_parse(text, strlen(text), "k", "pw"));
		free(text);
		raw[2 * i] ^= 0x20;
	}
	text = key_text(raw, 157, "k");
	assert_null(seckey_parse(text, strlen(text), "k", NULL));
	free(text);
}

static void
test_keys__checksum_and_halves(void **state)
{
	struct seckey	*sk, *made;
	char		*text;

	(void)state;
	sk = seckey_parse(MS_W_SEC, strlen(MS_W_SEC), "k", NULL);
	assert_non_null(sk);
	text = make_seckey(sk, NULL, CHK_RIGHT);
	assert_non_null(made = seckey_parse(text, strlen(text), "k", NULL));
	seckey_free(made);
	free(text);
	text = make_seckey(sk, NULL, CHK_ZERO);
	assert_non_null(made = seckey_parse(text, strlen(text), "k", NULL));
	seckey_free(made);
	free(text);
	text = make_seckey(sk, NULL, CHK_WRONG);
	assert_null(seckey_parse(text, strlen(text), "k", NULL));
	free(text);
	/* No checksum to catch it: the test signature does. */
	sk->sk[40] ^= 1;
	text = make_seckey(sk, NULL, CHK_ZERO);
	assert_null(seckey_parse(text, strlen(text), "k", NULL));
	free(text);
	sk->sk[40] ^= 1;
	sk->sk[3] ^= 1;
	text = make_seckey(sk, NULL, CHK_ZERO);
	assert_null(seckey_parse(text, strlen(text), "k", NULL));
	free(text);
	seckey_free(sk);
}

static void
test_keys__encrypted_passphrase(void **state)
{
	struct seckey	*sk, *made;
	char		*text;

	(void)state;
	sk = seckey_parse(MS_W_SEC, strlen(MS_W_SEC), "k", NULL);
	assert_non_null(sk);
	text = make_seckey(sk, "right", CHK_RIGHT);
	assert_null(seckey_parse(text, strlen(text), "k", NULL));
	assert_null(seckey_parse(text, strlen(text), "k", "wrong"));
	assert_null(seckey_parse(text, strlen(text), "k", ""));
	made = seckey_parse(text, strlen(text), "k", "right");
	assert_non_null(made);
	assert_memory_equal(made, sk, sizeof(*sk));
	seckey_free(made);
	free(text);
	seckey_free(sk);
}

static void
test_keys__generate_and_load(void **state)
{
	struct seckey	*sk;
	struct pubkey	 pk, loaded, half;
	struct stat	 st;
	char		 buf[512], id[KEY_ID_LEN], want[80];
	FILE		*fp;
	size_t		 n;

	(void)state;
	assert_int_equal(key_generate(pubpath, secpath, NULL, 0, &pk), 0);
	assert_int_equal(stat(secpath, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(pubkey_load(pubpath, &loaded), 0);
	assert_memory_equal(&pk, &loaded, sizeof(pk));
	assert_non_null(sk = seckey_load(secpath, NULL));
	seckey_public(sk, &half);
	assert_memory_equal(&pk, &half, sizeof(pk));
	seckey_free(sk);

	/* Exactly minisign's layout, comment line and all. */
	key_id(pk.keynum, id);
	snprintf(want, sizeof(want), "untrusted comment: minisign public key "
	    "%s\nRW", id);
	assert_non_null(fp = fopen(pubpath, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_int_equal(n, 113);
	assert_memory_equal(buf, want, strlen(want));
	assert_non_null(fp = fopen(secpath, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "untrusted comment: minisign unencrypted "
	    "secret key\nRWQAAEIyAAAAAAAA"));
}

static void
test_keys__generate_never_overwrites(void **state)
{
	struct pubkey	 pk, again, loaded;

	(void)state;
	assert_int_equal(key_generate(pubpath, secpath, NULL, 0, &pk), 0);
	assert_int_equal(key_generate(pubpath, secpath, NULL, 0, &again),
	    -1);
	assert_int_equal(pubkey_load(pubpath, &loaded), 0);
	assert_memory_equal(&pk, &loaded, sizeof(pk));
	/* Nor when only one of the two exists. */
	assert_int_equal(unlink(pubpath), 0);
	assert_int_equal(key_generate(pubpath, secpath, NULL, 0, &again),
	    -1);
	assert_int_equal(access(pubpath, F_OK), -1);
	assert_int_equal(key_generate(pubpath, secpath, NULL, 1, &again), 0);
	assert_int_equal(pubkey_load(pubpath, &loaded), 0);
	assert_memory_equal(&again, &loaded, sizeof(pk));
	assert_memory_not_equal(&pk, &again, sizeof(pk));
	assert_int_equal(key_generate(pubpath, pubpath, NULL, 1, &again), -1);
}

static void
test_keys__generate_makes_the_directory(void **state)
{
	char		 pub[96], sec[96];
	struct stat	 st;

	(void)state;
	snprintf(pub, sizeof(pub), "%s/keys/a.pub", dir);
	snprintf(sec, sizeof(sec), "%s/keys/a.key", dir);
	assert_int_equal(key_generate(pub, sec, NULL, 0, NULL), 0);
	snprintf(pub, sizeof(pub), "%s/keys", dir);
	assert_int_equal(stat(pub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* One level only: a typo in a path is not silently created. */
	snprintf(pub, sizeof(pub), "%s/x/y/a.pub", dir);
	snprintf(sec, sizeof(sec), "%s/x/y/a.key", dir);
	assert_int_equal(key_generate(pub, sec, NULL, 0, NULL), -1);
}

static void
test_keys__load_refuses_what_others_can_read(void **state)
{
	static const mode_t	 bad[] = { 0640, 0604, 0644, 0620, 0602, 0610 };
	struct seckey		*sk;
	size_t			 i;

	(void)state;
	assert_int_equal(key_generate(pubpath, secpath, NULL, 0, NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(chmod(secpath, bad[i]), 0);
		assert_null(seckey_load(secpath, NULL));
	}
	assert_int_equal(chmod(secpath, 0400), 0);
	assert_non_null(sk = seckey_load(secpath, NULL));
	seckey_free(sk);
	/* A public key need not be secret. */
	assert_int_equal(chmod(pubpath, 0644), 0);
}

static void
test_keys__load_refuses_a_foreign_owner(void **state)
{
	struct seckey	*sk;

	(void)state;
	assert_int_equal(key_generate(pubpath, secpath, NULL, 0, NULL), 0);
	if (geteuid() != 0) {
		/* The owner is us: accepted. Only root can test the rest. */
		assert_non_null(sk = seckey_load(secpath, NULL));
		seckey_free(sk);
		skip();
	}
	assert_int_equal(chown(secpath, 12345, 12345), 0);
	assert_null(seckey_load(secpath, NULL));
	assert_int_equal(chown(secpath, 0, 0), 0);
	assert_non_null(sk = seckey_load(secpath, NULL));
	seckey_free(sk);
}

static void
test_keys__load_errors(void **state)
{
	struct pubkey	 pk;

	(void)state;
	assert_null(seckey_load(secpath, NULL));
	assert_int_equal(pubkey_load(pubpath, &pk), -1);
	assert_null(seckey_load(dir, NULL));
	assert_int_equal(pubkey_load(dir, &pk), -1);
	/* A secret key as the public one, and the other way round. */
	write_file(secpath, MS_W_SEC, 0600);
	assert_int_equal(pubkey_load(secpath, &pk), -1);
	write_file(pubpath, "untrusted comment: k\n" MS_W_PUB "\n", 0600);
	assert_int_equal(pubkey_load(pubpath, &pk), 0);
	assert_null(seckey_load(pubpath, NULL));
	/* Truncated files. */
	write_file(pubpath, "untrusted comment: k\n" "RWQC0VMDcuURW", 0644);
	assert_int_equal(pubkey_load(pubpath, &pk), -1);
	write_file(pubpath, "untrusted comment: k\n", 0644);
	assert_int_equal(pubkey_load(pubpath, &pk), -1);
	write_file(pubpath, "", 0644);
	assert_int_equal(pubkey_load(pubpath, &pk), -1);
}

static void
test_keys__load_encrypted_asks(void **state)
{
	struct seckey	*sk, *made;
	char		*text;

	(void)state;
	sk = seckey_parse(MS_W_SEC, strlen(MS_W_SEC), "k", NULL);
	assert_non_null(sk);
	text = make_seckey(sk, "pw", CHK_RIGHT);
	write_file(secpath, text, 0600);
	free(text);
	assert_null(seckey_load(secpath, NULL));
	assert_null(seckey_load(secpath, get_nothing));
	made = seckey_load(secpath, get_pw);
	assert_non_null(made);
	assert_memory_equal(made, sk, sizeof(*sk));
	seckey_free(made);
	seckey_free(sk);
}

/* Slow: two scrypt runs with minisign's limits. */
static void
test_keys__generate_encrypted(void **state)
{
	struct seckey	*sk;
	struct pubkey	 pk, half;
	unsigned char	 raw[158];
	char		 buf[512], *b64;
	FILE		*fp;
	size_t		 n;

	(void)state;
	assert_int_equal(key_generate(pubpath, secpath, "pw", 0, &pk), 0);
	assert_non_null(fp = fopen(secpath, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "minisign encrypted secret key\n"));
	b64 = strchr(buf, '\n') + 1;
	assert_int_equal(crypto_unbase64(raw, sizeof(raw), &n, b64,
	    strlen(b64) - 1), 0);
	assert_memory_equal(raw, "EdScB2", 6);
	assert_memory_equal(raw + 38, "\0\0\0\2\0\0\0\0", 8);	/* 2^25 */
	assert_memory_equal(raw + 46, "\0\0\0\100\0\0\0\0", 8);	/* 2^30 */
	assert_null(seckey_load(secpath, NULL));
	sk = seckey_load(secpath, get_pw);
	assert_non_null(sk);
	seckey_public(sk, &half);
	assert_memory_equal(&pk, &half, sizeof(pk));
	seckey_free(sk);
}

static void
test_keys__passphrase_from_environment(void **state)
{
	char	*p, big[1100];

	(void)state;
	assert_int_equal(setenv("SSJ_PASSPHRASE", "s3cret", 1), 0);
	assert_non_null(p = key_passphrase("passphrase for 'x': "));
	assert_string_equal(p, "s3cret");
	crypto_secure_free(p);
	assert_non_null(p = key_new_passphrase("x"));
	assert_string_equal(p, "s3cret");
	crypto_secure_free(p);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(setenv("SSJ_PASSPHRASE", big, 1), 0);
	assert_null(key_passphrase("passphrase for 'x': "));
	assert_int_equal(unsetenv("SSJ_PASSPHRASE"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys__key_id_is_little_endian),
		cmocka_unit_test(test_keys__stock_unencrypted_key),
		cmocka_unit_test(test_keys__stock_encrypted_key),
		cmocka_unit_test(test_keys__pubkey_parse_refuses),
		cmocka_unit_test(test_keys__seckey_text_refused),
		cmocka_unit_test(test_keys__algorithms_checked),
		cmocka_unit_test(test_keys__checksum_and_halves),
		cmocka_unit_test(test_keys__encrypted_passphrase),
		cmocka_unit_test_setup_teardown(test_keys__generate_and_load,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_keys__generate_never_overwrites, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_keys__generate_makes_the_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_keys__load_refuses_what_others_can_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_keys__load_refuses_a_foreign_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys__load_errors,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys__load_encrypted_asks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys__generate_encrypted,
		    setup, teardown),
		cmocka_unit_test(test_keys__passphrase_from_environment),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
