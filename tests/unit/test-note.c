/*
 * Unit tests of signed notes and checkpoints: the Go reference vectors,
 * a real checkpoint of the Go checksum database, round trips, and every
 * way a note is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "crypto.h"
#include "merkle.h"
#include "note.h"
#include "xmalloc.h"

/*
 * golang.org/x/mod sumdb/note/note_test.go (TestNewVerifier, TestSign,
 * TestOpen): Peter Neumann's and Enoch Root's keys, a text, and their
 * signatures of it. The signer key's base64 is 0x01 || the Ed25519 seed.
 */
#define PETER_VKEY	"PeterNeumann+c74f20a3+" \
			"ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_SKEY_B64	"AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define ENOCH_VKEY	"EnochRoot+af0cfe78+" \
			"ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define GO_TEXT		"If you think cryptography is the answer to your " \
			"problem,\nthen you don't know what your problem is.\n"
#define PETER_SIG	"— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFup" \
			"LLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6" \
			"RyyBwJnAM=\n"
#define ENOCH_SIG	"— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MN" \
			"tCOXm2/" \
			"5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

/*
 * A checkpoint the Go checksum database (sum.golang.org) published, as
 * quoted in transparency-dev/trillian-tessera internal/parse/parse_test.go
 * (BenchmarkCheckpointUnsafe, which leaves off the final newline), and
 * its verifier key from golang/go src/cmd/go/internal/modfetch/key.go.
 */
#define SUMDB_VKEY	"sum.golang.org+033de0ae+" \
			"Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
#define SUMDB_NOTE	"go.sum database tree\n31700353\n" \
			"qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n\n" \
			"— sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo4" \
			"7fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61Q" \
			"qspBYwM=\n"

#define ORIGIN		"ssj.example/jingdezhen/ledger"
/* the head of the reference tree of test-merkle.c */
#define ROOT_B64	"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="

static unsigned char	 peter_pk[CRYPTO_SIGN_PUBLICKEYBYTES];
static unsigned char	 peter_sk[CRYPTO_SIGN_SECRETKEYBYTES];
static unsigned char	 enoch_pk[CRYPTO_SIGN_PUBLICKEYBYTES];
static unsigned char	 sumdb_pk[CRYPTO_SIGN_PUBLICKEYBYTES];

static void	 vkey_pk(const char *, unsigned char *);
static char	*signed_body(const char *);
static void	 reject(const char *, size_t, const char *, const char *);
static void	 reject_str(const char *, const char *);
static char	*replace(const char *, const char *, const char *);

/* The public key in a verifier key string "name+id+base64(0x01 || pk)". */
static void
vkey_pk(const char *vkey, unsigned char *pk)
{
	unsigned char	 raw[64];
	const char	*b64;
	size_t		 n;

	b64 = strchr(strchr(vkey, '+') + 1, '+') + 1;
	assert_int_equal(crypto_unbase64(raw, sizeof(raw), &n, b64,
	    strlen(b64)), 0);
	assert_int_equal(n, 1 + CRYPTO_SIGN_PUBLICKEYBYTES);
	assert_int_equal(raw[0], 0x01);
	memcpy(pk, raw + 1, CRYPTO_SIGN_PUBLICKEYBYTES);
}

static int
setup(void **state)
{
	unsigned char	 raw[64];
	size_t		 n;

	(void)state;
	crypto_setup();
	vkey_pk(PETER_VKEY, peter_pk);
	vkey_pk(ENOCH_VKEY, enoch_pk);
	vkey_pk(SUMDB_VKEY, sumdb_pk);
	/* libsodium's secret key is the seed, then the public key */
	assert_int_equal(crypto_unbase64(raw, sizeof(raw), &n, PETER_SKEY_B64,
	    strlen(PETER_SKEY_B64)), 0);
	assert_int_equal(n, 33);
	assert_int_equal(raw[0], 0x01);
	memcpy(peter_sk, raw + 1, 32);
	memcpy(peter_sk + 32, peter_pk, 32);
	return 0;
}

/* text signed by Peter's key, a new string. */
static char *
signed_body(const char *text)
{
	char	*note;

	note = note_sign(text, "PeterNeumann", peter_sk);
	assert_non_null(note);
	return note;
}

/* checkpoint_open must refuse note with exactly the message want. */
static void
reject(const char *note, size_t len, const char *name, const char *want)
{
	struct checkpoint	 cp;
	char			*err = NULL;

	if (checkpoint_open(note, len, name, peter_pk, &cp, &err) != -1)
		fail_msg("accepted, wanted '%s'", want);
	assert_non_null(err);
	assert_string_equal(err, want);
	assert_null(cp.origin);
	assert_null(cp.extensions);
	free(err);
}

static void
reject_str(const char *note, const char *want)
{
	reject(note, strlen(note), "PeterNeumann", want);
}

/* s with its first from replaced by to, a new string. */
static char *
replace(const char *s, const char *from, const char *to)
{
	struct buf	 b = BUF_INIT;
	const char	*at;

	at = strstr(s, from);
	assert_non_null(at);
	buf_add(&b, s, (size_t)(at - s));
	buf_addstr(&b, to);
	buf_addstr(&b, at + strlen(from));
	return buf_detach(&b, NULL);
}

static void
test_note__key_ids_and_verifier_keys(void **state)
{
	unsigned char	 id[4];
	char		*vkey;

	(void)state;
	note_key_id("PeterNeumann", peter_pk, id);
	assert_memory_equal(id, "\xc7\x4f\x20\xa3", 4);
	vkey = note_verifier_key("PeterNeumann", peter_pk);
	assert_string_equal(vkey, PETER_VKEY);
	free(vkey);
	vkey = note_verifier_key("EnochRoot", enoch_pk);
	assert_string_equal(vkey, ENOCH_VKEY);
	free(vkey);
	vkey = note_verifier_key("sum.golang.org", sumdb_pk);
	assert_string_equal(vkey, SUMDB_VKEY);
	free(vkey);
}

/* Ed25519 is deterministic: our note must be Go's, byte for byte. */
static void
test_note__sign_known_answer(void **state)
{
	char	*note;

	(void)state;
	note = note_sign(GO_TEXT, "PeterNeumann", peter_sk);
	assert_string_equal(note, GO_TEXT "\n" PETER_SIG);
	free(note);
}

static void
test_note__open_known_answer(void **state)
{
	const char	*both = GO_TEXT "\n" PETER_SIG ENOCH_SIG;
	char		*text, *err, *bad;

	(void)state;
	assert_int_equal(note_open(both, strlen(both), "PeterNeumann",
	    peter_pk, &text, &err), 0);
	assert_null(err);
	assert_string_equal(text, GO_TEXT);
	free(text);
	assert_int_equal(note_open(both, strlen(both), "EnochRoot", enoch_pk,
	    &text, &err), 0);
	assert_string_equal(text, GO_TEXT);
	free(text);
	/* Go's "invalid signature": four more base64 digits */
	bad = replace(both, "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAc",
	    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcABCD");
	assert_int_equal(note_open(bad, strlen(bad), "PeterNeumann", peter_pk,
	    &text, &err), -1);
	assert_null(text);
	assert_string_equal(err,
	    "line 4: the signature by 'PeterNeumann' does not verify");
	free(err);
	/* only Enoch's own key may check his now broken line */
	assert_int_equal(note_open(bad, strlen(bad), "EnochRoot", enoch_pk,
	    &text, &err), 0);
	free(text);
	free(bad);
	/* Go's misnamed signature and wrong key id: unknown keys */
	bad = replace(both, "— PeterNeumann", "— CarmenSandiego");
	assert_int_equal(note_open(bad, strlen(bad), "PeterNeumann", peter_pk,
	    &text, &err), -1);
	assert_string_equal(err,
	    "line 4: no signature by 'PeterNeumann' with key id c74f20a3");
	free(err);
	free(bad);
	bad = replace(both, "x08g", "xxxx");
	assert_int_equal(note_open(bad, strlen(bad), "PeterNeumann", peter_pk,
	    &text, &err), -1);
	assert_string_equal(err,
	    "line 4: no signature by 'PeterNeumann' with key id c74f20a3");
	free(err);
	free(bad);
	/* a change to the text */
	bad = replace(both, "cryptography", "cryptographY");
	assert_int_equal(note_open(bad, strlen(bad), "PeterNeumann", peter_pk,
	    &text, &err), -1);
	assert_string_equal(err,
	    "line 4: the signature by 'PeterNeumann' does not verify");
	free(err);
	free(bad);
}

/* Go's list of malformed notes (TestOpen, badMsgs). */
static void
test_note__go_malformed(void **state)
{
	static const struct {
		const char	*note, *err;
	} bad[] = {
		{ GO_TEXT, "line 2: no blank line before the signatures" },
		{ GO_TEXT "\n", "line 3: no signature after the blank line" },
		{ GO_TEXT "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupL"
		    "Lr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJn"
		    "AM=", "line 4: no newline at the end of the note" },
		{ "\x01" GO_TEXT "\n" PETER_SIG,
		    "line 1: control character 0x01" },
		{ "\xff" GO_TEXT "\n" PETER_SIG, "line 1: invalid UTF-8" },
		{ GO_TEXT "\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8p"
		    "AcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		    "line 4: the signature is not base64" },
		{ GO_TEXT "\n" PETER_SIG "Unexpected line.\n",
		    "line 5: not a signature line (an em dash and a space, a "
		    "key name, a space, base64)" },
	};
	char	*text, *err;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(note_open(bad[i].note, strlen(bad[i].note),
		    "PeterNeumann", peter_pk, &text, &err), -1);
		assert_null(text);
		assert_string_equal(err, bad[i].err);
		free(err);
	}
}

/* A checkpoint the Go checksum database signed. */
static void
test_note__sumdb_checkpoint(void **state)
{
	struct checkpoint	 cp;
	unsigned char		 root[MERKLE_HASH_BYTES];
	size_t			 n;
	char			*err;

	(void)state;
	assert_int_equal(checkpoint_open(SUMDB_NOTE, strlen(SUMDB_NOTE),
	    "sum.golang.org", sumdb_pk, &cp, &err), 0);
	assert_null(err);
	assert_string_equal(cp.origin, "go.sum database tree");
	assert_true(cp.size == 31700353);
	assert_int_equal(crypto_unbase64(root, sizeof(root), &n,
	    "qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=", 44), 0);
	assert_memory_equal(cp.root, root, sizeof(root));
	assert_null(cp.extensions);
	checkpoint_release(&cp);
	/* as tessera quotes it, without its last newline */
	assert_int_equal(checkpoint_open(SUMDB_NOTE, strlen(SUMDB_NOTE) - 1,
	    "sum.golang.org", sumdb_pk, &cp, &err), -1);
	assert_string_equal(err, "line 5: no newline at the end of the note");
	free(err);
	/* the right key under another name is another key */
	assert_int_equal(checkpoint_open(SUMDB_NOTE, strlen(SUMDB_NOTE),
	    "sum.golang.com", sumdb_pk, &cp, &err), -1);
	free(err);
}

static void
test_note__round_trip(void **state)
{
	struct checkpoint	 cp, got;
	unsigned char		 pk[CRYPTO_SIGN_PUBLICKEYBYTES];
	unsigned char		 sk[CRYPTO_SIGN_SECRETKEYBYTES];
	static const uint64_t	 sizes[] = { 0, 1, 10, 4242, UINT64_MAX };
	static const char	*ext[] = {
		NULL, "x\n", "a b c\n— not a sig\n"
	};
	char			*note, *err, *again;
	size_t			 i, j;

	(void)state;
	crypto_keypair(pk, sk);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (j = 0; j < sizeof(ext) / sizeof(ext[0]); j++) {
			memset(&cp, 0, sizeof(cp));
			cp.origin = xstrdup("日志 ssj.example/一");
			cp.size = sizes[i];
			crypto_random(cp.root, sizeof(cp.root));
			cp.extensions = ext[j] ? xstrdup(ext[j]) : NULL;
			note = checkpoint_sign(&cp, ORIGIN, sk);
			assert_int_equal(checkpoint_open(note, strlen(note),
			    ORIGIN, pk, &got, &err), 0);
			assert_string_equal(got.origin, cp.origin);
			assert_true(got.size == cp.size);
			assert_memory_equal(got.root, cp.root, sizeof(cp.root));
			if (ext[j] == NULL)
				assert_null(got.extensions);
			else
				assert_string_equal(got.extensions, ext[j]);
			again = checkpoint_sign(&got, ORIGIN, sk);
			assert_string_equal(again, note);
			free(again);
			free(note);
			checkpoint_release(&cp);
			checkpoint_release(&got);
		}
	}
}

/* The body, byte for byte, and its one signature line. */
static void
test_note__checkpoint_text(void **state)
{
	struct checkpoint	 cp;
	char			*note, *want;
	size_t			 n;

	(void)state;
	memset(&cp, 0, sizeof(cp));
	cp.origin = xstrdup(ORIGIN);
	cp.size = 8;
	assert_int_equal(crypto_unbase64(cp.root, sizeof(cp.root), &n,
	    ROOT_B64, strlen(ROOT_B64)), 0);
	note = checkpoint_sign(&cp, "PeterNeumann", peter_sk);
	want = note_sign(ORIGIN "\n8\n" ROOT_B64 "\n", "PeterNeumann",
	    peter_sk);
	assert_string_equal(note, want);
	/* c7 4f 20: the key id begins the signature's base64 */
	assert_memory_equal(note, ORIGIN "\n8\n" ROOT_B64 "\n\n— PeterNeumann "
	    "x08g", strlen(ORIGIN "\n8\n" ROOT_B64 "\n\n— PeterNeumann x08g"));
	free(note);
	free(want);
	checkpoint_release(&cp);
}

/* C2SP: verifiers must accept at least 16 signatures, most unknown. */
static void
test_note__other_signers(void **state)
{
	struct checkpoint	 cp;
	struct buf		 b = BUF_INIT;
	unsigned char		 junk[68], pk[CRYPTO_SIGN_PUBLICKEYBYTES];
	unsigned char		 sk[CRYPTO_SIGN_SECRETKEYBYTES], id[4];
	char			 b64[CRYPTO_BASE64_LEN(68)], *note, *err;
	char			*sig;
	int			 i;

	(void)state;
	note = signed_body(ORIGIN "\n8\n" ROOT_B64 "\n");
	sig = strstr(note, "\n\n") + 2;
	buf_add(&b, note, (size_t)(sig - note));
	for (i = 0; i < 15; i++) {
		crypto_random(junk, sizeof(junk));
		crypto_base64(b64, sizeof(b64), junk, sizeof(junk));
		buf_printf(&b, "— witness%d.example %s\n", i, b64);
	}
	/* our name with another id, our id under another name */
	note_key_id("PeterNeumann", peter_pk, id);
	crypto_random(junk, sizeof(junk));
	crypto_base64(b64, sizeof(b64), junk, sizeof(junk));
	buf_printf(&b, "— PeterNeumann %s\n", b64);
	memcpy(junk, id, 4);
	crypto_base64(b64, sizeof(b64), junk, sizeof(junk));
	buf_printf(&b, "— PeterNeumann2 %s\n", b64);
	buf_addstr(&b, sig);
	assert_int_equal(checkpoint_open(b.data, b.len, "PeterNeumann",
	    peter_pk, &cp, &err), 0);
	assert_true(cp.size == 8);
	checkpoint_release(&cp);
	/* and our line twice is still ours */
	buf_addstr(&b, sig);
	assert_int_equal(checkpoint_open(b.data, b.len, "PeterNeumann",
	    peter_pk, &cp, &err), 0);
	checkpoint_release(&cp);
	/* without our line: nothing we know signed it */
	buf_reset(&b);
	buf_add(&b, note, (size_t)(sig - note));
	crypto_keypair(pk, sk);
	free(note);
	memset(&cp, 0, sizeof(cp));
	cp.origin = xstrdup(ORIGIN);
	note = checkpoint_sign(&cp, "PeterNeumann", sk);
	checkpoint_release(&cp);
	buf_addstr(&b, strstr(note, "\n\n") + 2);
	reject(b.data, b.len, "PeterNeumann",
	    "line 5: no signature by 'PeterNeumann' with key id c74f20a3");
	free(note);
	buf_release(&b);
}

/* Well-formed notes whose text is not a checkpoint. */
static void
test_note__bad_bodies(void **state)
{
	static const struct {
		const char	*text, *err;
	} bad[] = {
		{ ORIGIN "\n", "line 2: the checkpoint ends before its tree "
		    "size" },
		{ ORIGIN "\n8\n", "line 3: the checkpoint ends before its "
		    "root hash" },
		{ "\n8\n" ROOT_B64 "\n", "line 1: empty line in the "
		    "checkpoint" },
		{ ORIGIN "\n\n8\n" ROOT_B64 "\n", "line 2: empty line in the "
		    "checkpoint" },
		{ ORIGIN "\n8\n" ROOT_B64 "\n\n", "line 4: empty line in the "
		    "checkpoint" },
		{ ORIGIN "\n8\n" ROOT_B64 "\next\n\nmore\n", "line 5: empty "
		    "line in the checkpoint" },
		{ " " ORIGIN "\n8\n" ROOT_B64 "\n", "line 1: the origin starts "
		    "or ends with a space" },
		{ ORIGIN " \n8\n" ROOT_B64 "\n", "line 1: the origin starts "
		    "or ends with a space" },
		{ ORIGIN "\n08\n" ROOT_B64 "\n", "line 2: the tree size has a "
		    "leading zero" },
		{ ORIGIN "\n00\n" ROOT_B64 "\n", "line 2: the tree size has a "
		    "leading zero" },
		{ ORIGIN "\n-8\n" ROOT_B64 "\n", "line 2: the tree size is not "
		    "a decimal number" },
		{ ORIGIN "\n+8\n" ROOT_B64 "\n", "line 2: the tree size is not "
		    "a decimal number" },
		{ ORIGIN "\n8 \n" ROOT_B64 "\n", "line 2: the tree size is not "
		    "a decimal number" },
		{ ORIGIN "\n 8\n" ROOT_B64 "\n", "line 2: the tree size is not "
		    "a decimal number" },
		{ ORIGIN "\n0x8\n" ROOT_B64 "\n", "line 2: the tree size is "
		    "not a decimal number" },
		{ ORIGIN "\n８\n" ROOT_B64 "\n", "line 2: the tree size is not "
		    "a decimal number" },
		{ ORIGIN "\n18446744073709551616\n" ROOT_B64 "\n", "line 2: "
		    "the tree size is larger than 2^64 - 1" },
		{ ORIGIN "\n99999999999999999999\n" ROOT_B64 "\n", "line 2: "
		    "the tree size is larger than 2^64 - 1" },
		{ ORIGIN "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",
		    "line 3: the root hash is not base64 of 32 bytes" },
		{ ORIGIN "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",
		    "line 3: the root hash is not base64 of 32 bytes" },
		{ ORIGIN "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n",
		    "line 3: the root hash is not base64 of 32 bytes" },
		{ ORIGIN "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyhh\n",
		    "line 3: the root hash is not base64 of 32 bytes" },
		{ ORIGIN "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n",
		    "line 3: the root hash is not base64 of 32 bytes" },
		{ ORIGIN "\n8\n " ROOT_B64 "\n", "line 3: the root hash is not "
		    "base64 of 32 bytes" },
		/* found by fuzz-checkpoint: libsodium took 景 for 3 digits */
		{ ORIGIN "\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt景gz+Nw7/RgQyg=\n",
		    "line 3: the root hash is not base64 of 32 bytes" },
		{ ORIGIN "\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt\xc2\xa0gz+Nw7/RgQyg"
		    "=\n", "line 3: the root hash is not base64 of 32 bytes" },
		{ ORIGIN "\n8\n" ROOT_B64 " \n", "line 3: the root hash is not "
		    "base64 of 32 bytes" },
	};
	char	*note;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		note = signed_body(bad[i].text);
		reject_str(note, bad[i].err);
		free(note);
	}
}

/* What is wrong with the note itself, signed or not. */
static void
test_note__bad_notes(void **state)
{
	static const struct {
		const char	*from, *to, *err;
	} edits[] = {
		{ "\n8\n", "\r\n8\r\n", "line 1: carriage return (lines must "
		    "end in a newline alone)" },
		{ "\n8\n", "\n8\t\n", "line 2: control character 0x09" },
		{ "\n8\n", "\n8\x1b[0m\n", "line 2: control character 0x1b" },
		{ "ledger", "l\xc0\xafger", "line 1: invalid UTF-8" },
		{ "ledger", "l\xed\xa0\x80ger", "line 1: invalid UTF-8" },
		{ "ledger", "l\xf4\x90\x80\x80ger", "line 1: invalid UTF-8" },
		{ "ledger", "l\xe6\x97ger", "line 1: invalid UTF-8" },
		{ "ledger", "l\x80ger", "line 1: invalid UTF-8" },
		{ "\n\n", "\n", "line 4: no blank line before the signatures" },
		{ "\n\n", "\n\n\n", "line 6: the signature by 'PeterNeumann' "
		    "does not verify" },
		{ "\n8\n", "\n9\n", "line 5: the signature by 'PeterNeumann' "
		    "does not verify" },
		{ "\n— ", "\n-- ", "line 5: not a signature line (an em dash "
		    "and a space, a key name, a space, base64)" },
		{ "\n— ", "\n—", "line 5: not a signature line (an em dash "
		    "and a space, a key name, a space, base64)" },
		{ "\n— ", "\n \xe2\x80\x94 ", "line 5: not a signature line "
		    "(an em dash and a space, a key name, a space, base64)" },
		{ "\n— ", "\n\xe2\x80\x93 ", "line 5: not a signature line "
		    "(an em dash and a space, a key name, a space, base64)" },
		{ "Neumann ", "Neumann\xc2\xa0", "line 5: no space after the "
		    "key name" },
		{ "Neumann ", "Neumann  ", "line 5: the signature is not "
		    "base64" },
		{ "Peter", "Peter+", "line 5: invalid key name" },
		{ "Peter", "Peter\xe3\x80\x80", "line 5: invalid key name" },
		{ "— PeterNeumann ", "—  ", "line 5: invalid key name" },
		{ "x08go", "x08go=", "line 5: the signature is not base64" },
		{ "x08go", "x08g", "line 5: the signature is not base64" },
		{ "x08go", "!08go", "line 5: the signature is not base64" },
		{ "x08go", "\xc3\x9f" "08go", "line 5: the signature is not "
		    "base64" },
	};
	unsigned char	 id[4], sig[80];
	char		 b64[CRYPTO_BASE64_LEN(80)], *note, *bad, *want;
	size_t		 i, len;

	(void)state;
	note = signed_body(ORIGIN "\n8\n" ROOT_B64 "\n");
	len = strlen(note);
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		bad = replace(note, edits[i].from, edits[i].to);
		reject_str(bad, edits[i].err);
		free(bad);
	}
	/* a NUL byte does not end the note */
	bad = xstrdup(note);
	*strstr(bad, "\n8\n") = '\0';
	reject(bad, len, "PeterNeumann", "line 1: control character 0x00");
	free(bad);
	reject(note, len - 1, "PeterNeumann",
	    "line 5: no newline at the end of the note");
	reject("", 0, "PeterNeumann", "line 1: empty note");
	reject("\n", 1, "PeterNeumann",
	    "line 1: no blank line before the signatures");
	bad = xasprintf("%s\n", note);
	reject_str(bad, "line 6: no signature after the blank line");
	free(bad);
	bad = xasprintf("%s%s", note, "— PeterNeumann AAAA\n");
	reject_str(bad, "line 6: the signature is too short");
	free(bad);
	/* the signature's base64 without its padding */
	assert_memory_equal(note + len - 2, "=\n", 2);
	bad = xstrdup(note);
	memcpy(bad + len - 2, "\n", 2);
	reject_str(bad, "line 5: the signature is not base64");
	free(bad);
	/* our name and id, but not 64 bytes of signature */
	note_key_id("PeterNeumann", peter_pk, id);
	memset(sig, 0, sizeof(sig));
	memcpy(sig, id, sizeof(id));
	for (i = 5; i < sizeof(sig); i += 3) {
		crypto_base64(b64, sizeof(b64), sig, i);
		bad = xasprintf("%s— PeterNeumann %s\n", note, b64);
		reject_str(bad, "line 6: the signature by 'PeterNeumann' does "
		    "not verify");
		free(bad);
	}
	/* the key the caller names */
	reject(note, len, "Peter Neumann", "invalid key name");
	reject(note, len, "", "invalid key name");
	note_key_id("PeterNeuman", peter_pk, id);
	want = xasprintf("line 5: no signature by 'PeterNeuman' with key id "
	    "%02x%02x%02x%02x", id[0], id[1], id[2], id[3]);
	reject(note, len, "PeterNeuman", want);
	free(want);
	free(note);
}

static void
test_note__too_long(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*note;
	size_t		 i;

	(void)state;
	buf_addstr(&b, ORIGIN "\n8\n" ROOT_B64 "\n");
	for (i = 0; i < 1300; i++)
		buf_printf(&b, "extension line %04zu with some words in it "
		    "for length\n", i);
	/* too long to sign */
	assert_null(note_sign(buf_cstr(&b), "PeterNeumann", peter_sk));
	buf_addstr(&b, "\n" PETER_SIG);
	reject(b.data, b.len, "PeterNeumann",
	    "line 1239: the note is longer than 65536 bytes");
	buf_release(&b);
	/* the longest note that fits is fine */
	buf_addstr(&b, ORIGIN "\n8\n" ROOT_B64 "\n");
	while (b.len < NOTE_MAX_BYTES - 200)
		buf_addstr(&b, "x");
	note = note_sign(buf_cstr(&b), "PeterNeumann", peter_sk);
	assert_null(note);
	buf_addch(&b, '\n');
	note = note_sign(buf_cstr(&b), "PeterNeumann", peter_sk);
	assert_non_null(note);
	free(note);
	buf_release(&b);
}

static void
test_note__sign_refuses(void **state)
{
	(void)state;
	assert_null(note_sign("", "PeterNeumann", peter_sk));
	assert_null(note_sign("no newline", "PeterNeumann", peter_sk));
	assert_null(note_sign("crlf\r\n", "PeterNeumann", peter_sk));
	assert_null(note_sign("tab\t\n", "PeterNeumann", peter_sk));
	assert_null(note_sign("\xff\n", "PeterNeumann", peter_sk));
	assert_null(note_sign("ok\n", "Peter Neumann", peter_sk));
	assert_null(note_sign("ok\n", "", peter_sk));
}

static void
test_note__names(void **state)
{
	(void)state;
	assert_true(note_name_valid("a"));
	assert_true(note_name_valid("ssj.example/ledger"));
	assert_true(note_name_valid("景德镇市场监管局/ledger"));
	assert_true(note_name_valid("a=b/c;d"));
	assert_false(note_name_valid(""));
	assert_false(note_name_valid(NULL));
	assert_false(note_name_valid("a b"));
	assert_false(note_name_valid("a+b"));
	assert_false(note_name_valid("a\tb"));
	assert_false(note_name_valid("a\nb"));
	assert_false(note_name_valid("a\xc2\x85" "b"));		/* NEL */
	assert_false(note_name_valid("a\xc2\xa0" "b"));		/* NBSP */
	assert_false(note_name_valid("a\xe2\x80\x80" "b"));	/* EN QUAD */
	assert_false(note_name_valid("a\xe2\x80\xaf" "b"));	/* NNBSP */
	assert_false(note_name_valid("a\xe3\x80\x80" "b"));	/* IDEO SP */
	assert_false(note_name_valid("a\xff"));
	assert_false(note_name_valid("a\xc0\x80"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_note__key_ids_and_verifier_keys),
		cmocka_unit_test(test_note__sign_known_answer),
		cmocka_unit_test(test_note__open_known_answer),
		cmocka_unit_test(test_note__go_malformed),
		cmocka_unit_test(test_note__sumdb_checkpoint),
		cmocka_unit_test(test_note__round_trip),
		cmocka_unit_test(test_note__checkpoint_text),
		cmocka_unit_test(test_note__other_signers),
		cmocka_unit_test(test_note__bad_bodies),
		cmocka_unit_test(test_note__bad_notes),
		cmocka_unit_test(test_note__too_long),
		cmocka_unit_test(test_note__sign_refuses),
		cmocka_unit_test(test_note__names),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
