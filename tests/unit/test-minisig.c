/*
 * Unit tests of signatures: stock minisign's own files, ssj's, the
 * trusted comment grammar, and every way a signature must fail.
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

#include "buf.h"
#include "crypto.h"
#include "keys.h"
#include "minisig.h"

/* A key pair by `minisign -G -W`, and what stock minisign signed with it. */
#define MS_SEC \
	"untrusted comment: minisign encrypted secret key\n" \
	"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAAAAAtFTA3LlEVspho/MIQ3MDCLSbPG48r0mQUvfGnE3falmQrTbiTUief1MJWzh" \
	"mwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlvAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAAAAAAAAAAA=\n"
#define MS_PUB	"RWQC0VMDcuURW/1MJWzhmwdxvfzDTJk0umkNOW5MMFxzobt61ng5bFlv"
#define VECTOR_TEXT	"ssj test vector\n"
#define VECTOR_HEX \
	"91df39f259f27112b91b2c027c29c7f9c459bed9a1727cea259b5bfb71a92554"
/* minisign -S -t "ssj-sig/1 kind=file id=v1 file=vector.txt ..." */
#define VECTOR_SIG \
	"untrusted comment: signature from minisign secret key\n" \
	"RUQC0VMDcuURW9KQfuwwoRRpFJDSetkO2LKjPDq75B9Gu+N81JbUCsZAucfjhYRlLuCw" \
	"c2Kj9qZGar0eTq6O5b3S0wy5lXEaWwg=\n" \
	"trusted comment: ssj-sig/1 kind=file id=v1 file=vector.txt " \
	"blake2b-256=" VECTOR_HEX " ledger=7\n" \
	"EDwREQIqr4Fszvbi8Xyc8XDqPZdL+L3NnoXkkIyoPZabJqBZZhZJjWJnRkUDNo2E8f0W" \
	"hCrnWfrqDmxK9lGeCw==\n"
/* minisign -S -l: legacy, the file itself signed. */
#define LEGACY_SIG \
	"untrusted comment: signature from minisign secret key\n" \
	"RWQC0VMDcuURW8fO/Bgz+oYRiFkorT4jes71M0odRN4ojv1BOYvaySO1+ExIQ+2gLSj7" \
	"87tqanNtWN4ezKs8junGt0cpPX2cNws=\n" \
	"trusted comment: ssj-sig/1 kind=file file=vector.txt blake2b-256=" \
	VECTOR_HEX "\n" \
	"m98bhdB7Iz50puXhxEN4v9S8dK3lmar0l4SmK3I0rQsBLsGNw7+AUbkmkqEBx3+It0KL" \
	"HCxm4g8QFd295qTNDA==\n"
/* minisign's own trusted comment: valid, but names no ssj fields. */
#define PLAIN_SIG \
	"untrusted comment: signature from minisign secret key\n" \
	"RUQC0VMDcuURW9KQfuwwoRRpFJDSetkO2LKjPDq75B9Gu+N81JbUCsZAucfjhYRlLuCw" \
	"c2Kj9qZGar0eTq6O5b3S0wy5lXEaWwg=\n" \
	"trusted comment: timestamp:1\tfile:vector.txt\thashed\n" \
	"Eip7ZW5yxCzXAN1isPhUGCf3CB/AUR4nJmpyIrJknMmCSLuZSZXUl04KRLGV4kKqm5cV" \
	"qc0vl1m4I/6rFnoACA==\n"

static char		 dir[] = "/tmp/ssj-test-minisig-XXXXXX";
static struct seckey	*sk;
static struct pubkey	 pk;

static char	*path_of(const char *);
static void	 put(const char *, const char *, size_t);
static char	*get(const char *, size_t *);
static void	 craft(const char *, const char *, const char *);
static int	 verify(const char *, const char *, struct sig_fields *);
static int	 setup(void **);
static int	 teardown(void **);

static char *
path_of(const char *name)
{
	static char	 p[4][128];
	static int	 i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void
put(const char *name, const char *text, size_t len)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path_of(name), "wb"));
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static char *
get(const char *name, size_t *len)
{
	FILE	*fp;
	char	*s;
	size_t	 n;

	assert_non_null(fp = fopen(path_of(name), "rb"));
	s = malloc(65536);
	n = fread(s, 1, 65535, fp);
	fclose(fp);
	s[n] = '\0';
	if (len != NULL)
		*len = n;
	return s;
}

/*
 * Writes sig as a prehashed signature of file with any trusted comment,
 * built from the format alone, as another signer could.
 */
static void
craft(const char *file, const char *sig, const char *comment)
{
	unsigned char	 h[CRYPTO_DIGEST512_BYTES], raw[74], g[64];
	char		 b64[CRYPTO_BASE64_LEN(74)];
	struct buf	 b = BUF_INIT, t = BUF_INIT;

	assert_int_equal(crypto_digest512_file(path_of(file), h), 0);
	memcpy(raw, "ED", 2);
	memcpy(raw + 2, sk->keynum, 8);
	crypto_sign_buf(raw + 10, h, sizeof(h), sk->sk);
	buf_add(&b, raw + 10, 64);
	buf_addstr(&b, comment);
	crypto_sign_buf(g, b.data, b.len, sk->sk);
	crypto_base64(b64, sizeof(b64), raw, sizeof(raw));
	buf_printf(&t, "untrusted comment: crafted\n%s\ntrusted comment: %s\n",
	    b64, comment);
	crypto_base64(b64, sizeof(b64), g, sizeof(g));
	buf_printf(&t, "%s\n", b64);
	put(sig, t.data, t.len);
	buf_release(&b);
	buf_release(&t);
}

static int
verify(const char *file, const char *sig, struct sig_fields *f)
{
	struct sig_fields	 mine;
	int			 rc;

	rc = minisig_verify_file(path_of(file), sig != NULL ? path_of(sig) :
	    NULL, &pk, f != NULL ? f : &mine);
	if (f == NULL)
		sig_fields_release(&mine);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ssj-test-minisig-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	if ((sk = seckey_parse(MS_SEC, strlen(MS_SEC), "ms.key", NULL)) ==
	    NULL || pubkey_parse(MS_PUB, strlen(MS_PUB), &pk) == -1)
		return -1;
	put("vector.txt", VECTOR_TEXT, strlen(VECTOR_TEXT));
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	seckey_free(sk);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_minisig__stock_signature_verifies(void **state)
{
	struct sig_fields	 f;

	(void)state;
	put("vector.txt.minisig", VECTOR_SIG, strlen(VECTOR_SIG));
	assert_int_equal(verify("vector.txt", NULL, &f), 0);
	assert_string_equal(f.kind, "file");
	assert_string_equal(f.id, "v1");
	assert_string_equal(f.file, "vector.txt");
	assert_string_equal(f.blake2b, VECTOR_HEX);
	assert_int_equal(f.ledger, 7);
	sig_fields_release(&f);
}

static void
test_minisig__stock_legacy_and_plain_refused(void **state)
{
	(void)state;
	put("legacy.minisig", LEGACY_SIG, strlen(LEGACY_SIG));
	assert_int_equal(verify("vector.txt", "legacy.minisig", NULL), 1);
	put("plain.minisig", PLAIN_SIG, strlen(PLAIN_SIG));
	assert_int_equal(verify("vector.txt", "plain.minisig", NULL), 1);
}

static void
test_minisig__sign_and_verify(void **state)
{
	struct sig_fields	 f;
	char			*a, *b;
	const char		*line;
	size_t			 alen, blen;
	struct stat		 st;

	(void)state;
	put("a.txt", "hello\n", 6);
	assert_int_equal(minisig_sign_file(path_of("a.txt"), sk, "manifest",
	    "B-2026-01", -1), 0);
	a = get("a.txt.minisig", &alen);
	/* The signature line as stock minisign writes it for this file. */
	line = strchr(a, '\n') + 1;
	assert_memory_equal(a, "untrusted comment: ssj signature of a.txt, "
	    "key 5B11E5720353D102\nRUQC0VMDcuURW", 77);
	assert_non_null(strstr(line, "\ntrusted comment: ssj-sig/1 "
	    "kind=manifest id=B-2026-01 file=a.txt blake2b-256="));
	assert_int_equal(stat(path_of("a.txt.minisig"), &st), 0);
	assert_true((st.st_mode & 0444) == 0444 || (st.st_mode & 0400));
	assert_int_equal(verify("a.txt", NULL, &f), 0);
	assert_string_equal(f.kind, "manifest");
	assert_string_equal(f.id, "B-2026-01");
	assert_int_equal(f.ledger, -1);
	sig_fields_release(&f);
	/* Same key, same file: the same bytes (no timestamp). */
	assert_int_equal(minisig_sign_file(path_of("a.txt"), sk, "manifest",
	    "B-2026-01", -1), 0);
	b = get("a.txt.minisig", &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
	/* The stock vector's signature line, rebuilt by ssj. */
	assert_int_equal(minisig_sign_file(path_of("vector.txt"), sk, "file",
	    "v1", 7), 0);
	a = get("vector.txt.minisig", NULL);
	line = strchr(VECTOR_SIG, '\n') + 1;
	assert_non_null(strstr(a, "\nRUQC0VMDcuURW9KQfuwwoRRpFJDSetkO2LKjPDq7"
	    "5B9Gu+N81JbUCsZAucfjhYRlLuCwc2Kj9qZGar0eTq6O5b3S0wy5lXEaWwg=\n"));
	assert_non_null(strstr(a, strstr(line, "trusted comment:")));
	free(a);
}

static void
test_minisig__escaped_values_round_trip(void **state)
{
	static const char	 id[] = "批次 1=2%\t\x7f\n\"'\\";
	struct sig_fields	 f;
	char			*s, *e;

	(void)state;
	put("名单 a=b.csv", "x", 1);
	assert_int_equal(minisig_sign_file(path_of("名单 a=b.csv"), sk,
	    "notice", id, 0), 0);
	s = get("名单 a=b.csv.minisig", NULL);
	assert_non_null(strstr(s, " id=%E6%89%B9%E6%AC%A1%201%3D2%25%09%7F%0A"
	    "\"'\\ file=%E5%90%8D%E5%8D%95%20a%3Db.csv blake2b-256="));
	assert_non_null(strstr(s, " ledger=0\n"));
	assert_non_null(strstr(s,
	    "signature of %E5%90%8D%E5%8D%95%20a%3Db.csv,"));
	free(s);
	assert_int_equal(verify("名单 a=b.csv", NULL, &f), 0);
	assert_string_equal(f.id, id);
	assert_string_equal(f.file, "名单 a=b.csv");
	assert_int_equal(f.ledger, 0);
	sig_fields_release(&f);
	e = sig_escape("a b=c%d");
	assert_string_equal(e, "a%20b%3Dc%25d");
	free(e);
}

static void
test_minisig__fields_grammar(void **state)
{
	static const char	*good[] = {
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k id=i file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX " ledger=0",
		"ssj-sig/1 kind=%25 id=%20 file=%E6%89%B9 blake2b-256="
		    VECTOR_HEX " ledger=9223372036854775807",
	};
	static const char	*bad[] = {
		"",
		"ssj-sig/1",
		"ssj-sig/1 ",
		"ssj-sig/2 kind=k file=f blake2b-256=" VECTOR_HEX,
		"SSJ-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX,
		" ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1  kind=k file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX " ",
		"ssj-sig/1 kind=k  file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 file=f kind=k blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k file=f",
		"ssj-sig/1 file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k kind=k file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k file=f id=i blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind= file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k id= file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX " ledger=",
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX " ledger=07",
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX " ledger=-1",
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX " ledger=+1",
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX
		    " ledger=9223372036854775808",
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX
		    " ledger=1 x=y",
		"ssj-sig/1 kind=k file=f blake2b-256=" VECTOR_HEX " time=1",
		"ssj-sig/1 kind=k file=f blake2b-256="
		    "91DF39F259F27112B91B2C027C29C7F9"
		    "C459BED9A1727CEA259B5BFB71A92554",
		"ssj-sig/1 kind=k file=f blake2b-256="
		    "91df39f259f27112b91b2c027c29c7f9"
		    "c459bed9a1727cea259b5bfb71a9255",
		"ssj-sig/1 kind=k file=f blake2b-256="
		    "91df39f259f27112b91b2c027c29c7f9"
		    "c459bed9a1727cea259b5bfb71a9255g",
		"ssj-sig/1 kind=%41 file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=%e6 file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=%00 file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=a%00b file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=% file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=%4 file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k=v file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=k\tfile=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind=\xe6\x89\xb9 file=f blake2b-256=" VECTOR_HEX,
		"ssj-sig/1 kind file=f blake2b-256=" VECTOR_HEX,
		"timestamp:1\tfile:vector.txt\thashed",
	};
	struct sig_fields	 f;
	char			 big[1000], *s;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(sig_fields_parse(good[i], &f), 0);
		s = sig_fields_format(&f);
		assert_string_equal(s, good[i]);
		free(s);
		sig_fields_release(&f);
	}
	assert_int_equal(sig_fields_parse(good[3], &f), 0);
	assert_string_equal(f.kind, "%");
	assert_string_equal(f.id, " ");
	assert_string_equal(f.file, "批");
	assert_true(f.ledger == INT64_MAX);
	sig_fields_release(&f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sig_fields_parse(bad[i], &f), -1);
		assert_null(f.kind);
		assert_null(f.file);
	}
	/* Values are at most SIG_VALUE_MAX bytes. */
	memset(big, 'x', sizeof(big));
	snprintf(big + SIG_VALUE_MAX + 1, sizeof(big) - SIG_VALUE_MAX - 1,
	    " file=f blake2b-256=%s", VECTOR_HEX);
	memcpy(big, "ssj-sig/1 kind=", 15);
	assert_int_equal(sig_fields_parse(big, &f), 0);
	sig_fields_release(&f);
	memmove(big + 1, big, strlen(big) + 1);
	assert_int_equal(sig_fields_parse(big, &f), -1);
}

static void
test_minisig__format_refuses(void **state)
{
	struct sig_fields	 f;
	char			 big[SIG_VALUE_MAX + 2];

	(void)state;
	memset(&f, 0, sizeof(f));
	strcpy(f.blake2b, VECTOR_HEX);
	f.ledger = -1;
	f.file = (char *)(uintptr_t)"f";
	assert_null(sig_fields_format(&f));		/* no kind */
	f.kind = (char *)(uintptr_t)"";
	assert_null(sig_fields_format(&f));
	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f.kind = big;
	assert_null(sig_fields_format(&f));
	f.kind = (char *)(uintptr_t)"k";
	f.ledger = -2;
	assert_null(sig_fields_format(&f));
	f.ledger = -1;
	strcpy(f.blake2b, "zz");
	assert_null(sig_fields_format(&f));
	/* Nor does signing: and it leaves no signature behind. */
	put("b.txt", "b", 1);
	assert_int_equal(minisig_sign_file(path_of("b.txt"), sk, "", NULL,
	    -1), -1);
	assert_int_equal(minisig_sign_file(path_of("b.txt"), sk, "k", "",
	    -1), -1);
	assert_int_equal(minisig_sign_file(path_of("b.txt"), sk, "k", big,
	    -1), -1);
	assert_int_equal(minisig_sign_file(path_of("b.txt"), sk, "k", NULL,
	    -5), -1);
	assert_int_equal(minisig_sign_file(path_of("none"), sk, "k", NULL,
	    -1), -1);
	assert_int_equal(access(path_of("b.txt.minisig"), F_OK), -1);
	assert_int_equal(access(path_of("none.minisig"), F_OK), -1);
}

/* A valid signature of another file never passes for this one. */
static void
test_minisig__another_file_fails(void **state)
{
	char	*s;
	size_t	 len;

	(void)state;
	put("a.txt", "same\n", 5);
	put("b.txt", "other\n", 6);
	assert_int_equal(minisig_sign_file(path_of("a.txt"), sk, "file", NULL,
	    -1), 0);
	s = get("a.txt.minisig", &len);
	put("b.minisig", s, len);
	free(s);
	assert_int_equal(verify("b.txt", "b.minisig", NULL), 1);
	/* Even with the very same bytes: the name is signed too. */
	put("b.txt", "same\n", 5);
	assert_int_equal(verify("b.txt", "b.minisig", NULL), 1);
	assert_int_equal(verify("a.txt", "b.minisig", NULL), 0);
}

static void
test_minisig__any_changed_byte_fails(void **state)
{
	char	*orig, *s, *p;
	size_t	 len, i;

	(void)state;
	put("a.txt", "0123456789\n", 11);
	assert_int_equal(minisig_sign_file(path_of("a.txt"), sk, "k", "i", 3),
	    0);
	orig = get("a.txt.minisig", &len);
	/* Every byte of the file. */
	for (i = 0; i < 11; i++) {
		s = strdup("0123456789\n");
		s[i] ^= 0x01;
		put("a.txt", s, 11);
		assert_int_equal(verify("a.txt", NULL, NULL), 1);
		free(s);
	}
	put("a.txt", "0123456789\n\n", 12);
	assert_int_equal(verify("a.txt", NULL, NULL), 1);
	put("a.txt", "0123456789", 10);
	assert_int_equal(verify("a.txt", NULL, NULL), 1);
	put("a.txt", "0123456789\n", 11);
	assert_int_equal(verify("a.txt", NULL, NULL), 0);
	/*
	 * Every byte of the last three lines: a changed byte is either
	 * malformed or a mismatch, never accepted. The untrusted comment
	 * alone may change.
	 */
	p = strchr(orig, '\n') + 1;
	for (i = (size_t)(p - orig); i < len - 1; i++) {
		if (orig[i] == '\n')
			continue;
		s = malloc(len);
		memcpy(s, orig, len);
		s[i] = s[i] == 'A' ? 'B' : 'A';
		put("a.txt.minisig", s, len);
		assert_int_not_equal(verify("a.txt", NULL, NULL), 0);
		free(s);
	}
	s = malloc(len);
	memcpy(s, orig, len);
	s[20] = 'X';
	put("a.txt.minisig", s, len);
	assert_int_equal(verify("a.txt", NULL, NULL), 0);
	free(s);
	free(orig);
}

static void
test_minisig__mismatches(void **state)
{
	struct seckey	*other;
	struct pubkey	 saved;

	(void)state;
	put("a.txt", "data\n", 5);
	/* Authentic, but naming the wrong digest. */
	craft("a.txt", "d.minisig", "ssj-sig/1 kind=k file=a.txt blake2b-256="
	    VECTOR_HEX);
	assert_int_equal(verify("a.txt", "d.minisig", NULL), 1);
	craft("a.txt", "d.minisig", "hello");
	assert_int_equal(verify("a.txt", "d.minisig", NULL), 1);
	/* Another key: its id, then a key with our id but not our key. */
	assert_int_equal(minisig_sign_file(path_of("a.txt"), sk, "k", NULL,
	    -1), 0);
	assert_int_equal(key_generate(path_of("o.pub"), path_of("o.key"),
	    NULL, 0, NULL), 0);
	other = seckey_load(path_of("o.key"), NULL);
	assert_non_null(other);
	saved = pk;
	seckey_public(other, &pk);
	assert_int_equal(verify("a.txt", NULL, NULL), 1);
	memcpy(pk.keynum, saved.keynum, KEYNUM_BYTES);
	assert_int_equal(verify("a.txt", NULL, NULL), 1);
	pk = saved;
	assert_int_equal(verify("a.txt", NULL, NULL), 0);
	seckey_free(other);
}

static void
test_minisig__malformed(void **state)
{
	char	*orig, big[16385];
	size_t	 len, len2, i;

	(void)state;
	put("a.txt", "data\n", 5);
	/* No .minisig, then no file. */
	assert_int_equal(verify("a.txt", NULL, NULL), -1);
	assert_int_equal(minisig_sign_file(path_of("a.txt"), sk, "k", NULL,
	    -1), 0);
	assert_int_equal(verify("nothing", "a.txt.minisig", NULL), -1);
	orig = get("a.txt.minisig", &len);
	/* Every truncation short of the last newline. */
	for (i = 0; i < len - 1; i++) {
		put("t.minisig", orig, i);
		assert_int_equal(verify("a.txt", "t.minisig", NULL), -1);
	}
	put("t.minisig", orig, len - 1);
	assert_int_equal(verify("a.txt", "t.minisig", NULL), 0);
	/* Text after the signature, CRLF line ends, a huge file. */
	memcpy(big, orig, len);
	memcpy(big + len, "extra\n", 6);
	put("t.minisig", big, len + 6);
	assert_int_equal(verify("a.txt", "t.minisig", NULL), -1);
	for (i = 0, len2 = 0; i < len; i++) {
		if (orig[i] == '\n')
			big[len2++] = '\r';
		big[len2++] = orig[i];
	}
	put("t.minisig", big, len2);
	assert_int_equal(verify("a.txt", "t.minisig", NULL), 0);
	memset(big, 'x', sizeof(big));
	put("t.minisig", big, sizeof(big));
	assert_int_equal(verify("a.txt", "t.minisig", NULL), -1);
	free(orig);
}

static void
test_minisig__parse(void **state)
{
	struct minisig	 ms;
	struct buf	 b = BUF_INIT;
	const char	*p;

	(void)state;
	assert_int_equal(minisig_parse(VECTOR_SIG, strlen(VECTOR_SIG), "v",
	    &ms), 0);
	assert_int_equal(ms.legacy, 0);
	assert_memory_equal(ms.keynum, "\x02\xd1\x53\x03\x72\xe5\x11\x5b", 8);
	assert_int_equal(ms.comment_len, strlen(ms.comment));
	assert_non_null(strstr(VECTOR_SIG, ms.comment));
	minisig_release(&ms);
	assert_int_equal(minisig_parse(LEGACY_SIG, strlen(LEGACY_SIG), "v",
	    &ms), 0);
	assert_int_equal(ms.legacy, 1);
	minisig_release(&ms);
	/* CRLF, as a file that crossed Windows may have. */
	for (p = VECTOR_SIG; *p != '\0'; p++) {
		if (*p == '\n')
			buf_addch(&b, '\r');
		buf_addch(&b, *p);
	}
	assert_int_equal(minisig_parse(b.data, b.len, "v", &ms), 0);
	assert_string_equal(ms.comment, "ssj-sig/1 kind=file id=v1 "
	    "file=vector.txt blake2b-256=" VECTOR_HEX " ledger=7");
	minisig_release(&ms);
	buf_reset(&b);
	/* A carriage return inside the comment: minisign would cut there. */
	buf_addstr(&b, VECTOR_SIG);
	*strstr(b.data, " ledger") = '\r';
	assert_int_equal(minisig_parse(b.data, b.len, "v", &ms), -1);
	buf_release(&b);
	assert_int_equal(minisig_parse("", 0, "v", &ms), -1);
	assert_int_equal(minisig_parse("untrusted comment: x\nRUQ=\n", 26,
	    "v", &ms), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_minisig__stock_signature_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_minisig__stock_legacy_and_plain_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_minisig__sign_and_verify,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_minisig__escaped_values_round_trip, setup, teardown),
		cmocka_unit_test(test_minisig__fields_grammar),
		cmocka_unit_test_setup_teardown(test_minisig__format_refuses,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_minisig__another_file_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_minisig__any_changed_byte_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minisig__mismatches,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_minisig__malformed,
		    setup, teardown),
		cmocka_unit_test(test_minisig__parse),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
