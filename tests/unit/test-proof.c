/*
 * Unit tests of the inclusion-proof file: a proof written by hand (and by
 * an independent Python script) read and checked, round trips, and every
 * way a file is refused.
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
#include "proof.h"
#include "xmalloc.h"

/*
 * Leaf 5 ("@ABC") of the RFC 6962 reference tree of 8 leaves, with its
 * published audit path (see test-merkle.c), under a checkpoint of that
 * tree signed by Peter Neumann's key from golang.org/x/mod's note tests.
 * Python's hashlib and cryptography gave the same bytes.
 */
#define PETER_VKEY	"PeterNeumann+c74f20a3+" \
			"ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define CHECKPOINT	"ssj.example/jingdezhen/ledger\n8\n" \
			"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n" \
			"— PeterNeumann x08go+FSBwFH/k1xtMletvZrDuS0lM8AO" \
			"zQV4uo+L11afXJJc3r2jrNZM109CuwiGdg1kCgJCdFnVsbNGHh" \
			"aRqO+Sws=\n"
#define HEAD		"ssj-inclusion-proof/1\nindex 5\nsize 8\n" \
			"entry QEFCQw==\n"
#define PATH		"path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n" \
			"path yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=\n" \
			"path 037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=\n"
#define GOLDEN		HEAD PATH "checkpoint\n" CHECKPOINT

static const char *path_hex[3] = {
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
};

static void	 reject(const char *, size_t, const char *);
static void	 reject_str(const char *, const char *);
static void	 round_trip(const struct proof *);

static void
reject(const char *text, size_t len, const char *want)
{
	struct proof	 pf;
	char		*err = NULL;

	if (proof_parse(text, len, &pf, &err) != -1)
		fail_msg("accepted, wanted '%s'", want);
	assert_non_null(err);
	assert_string_equal(err, want);
	assert_null(pf.entry);
	assert_null(pf.path);
	assert_null(pf.checkpoint);
	free(err);
}

static void
reject_str(const char *text, const char *want)
{
	reject(text, strlen(text), want);
}

/* The proof written and read back: the same values, the same bytes. */
static void
round_trip(const struct proof *pf)
{
	struct proof	 got;
	char		*text, *again, *err;

	text = proof_format(pf);
	assert_int_equal(proof_parse(text, strlen(text), &got, &err), 0);
	assert_null(err);
	assert_true(got.index == pf->index);
	assert_true(got.size == pf->size);
	assert_int_equal(got.entry_len, pf->entry_len);
	assert_memory_equal(got.entry, pf->entry, pf->entry_len);
	assert_int_equal(got.npath, pf->npath);
	if (pf->npath > 0)
		assert_memory_equal(got.path, pf->path,
		    pf->npath * MERKLE_HASH_BYTES);
	else
		assert_null(got.path);
	assert_string_equal(got.checkpoint, pf->checkpoint);
	again = proof_format(&got);
	assert_string_equal(again, text);
	free(again);
	free(text);
	proof_release(&got);
}

static void
test_proof__golden(void **state)
{
	struct proof	 pf;
	merkle_hash	 want;
	char		*err, *text;
	size_t		 i;

	(void)state;
	assert_int_equal(proof_parse(GOLDEN, strlen(GOLDEN), &pf, &err), 0);
	assert_null(err);
	assert_true(pf.index == 5);
	assert_true(pf.size == 8);
	assert_int_equal(pf.entry_len, 4);
	assert_memory_equal(pf.entry, "@ABC", 4);
	assert_int_equal(pf.npath, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(crypto_unhex(path_hex[i], want,
		    MERKLE_HASH_BYTES), 0);
		assert_memory_equal(pf.path[i], want, MERKLE_HASH_BYTES);
	}
	assert_string_equal(pf.checkpoint, CHECKPOINT);
	text = proof_format(&pf);
	assert_string_equal(text, GOLDEN);
	free(text);
	proof_release(&pf);
	assert_null(pf.entry);
}

/* What `ssj ledger verify-proof` does with it, with the key alone. */
static void
test_proof__verifies(void **state)
{
	struct proof		 pf;
	struct checkpoint	 cp;
	unsigned char		 raw[64], pk[CRYPTO_SIGN_PUBLICKEYBYTES];
	unsigned char		 sk[CRYPTO_SIGN_SECRETKEYBYTES];
	merkle_hash		 leaf;
	const char		*b64;
	char			*err, *vkey, *again;
	size_t			 n;

	(void)state;
	b64 = strrchr(PETER_VKEY, '+') + 1;
	assert_int_equal(crypto_unbase64(raw, sizeof(raw), &n, b64,
	    strlen(b64)), 0);
	memcpy(pk, raw + 1, sizeof(pk));
	vkey = note_verifier_key("PeterNeumann", pk);
	assert_string_equal(vkey, PETER_VKEY);
	free(vkey);
	assert_int_equal(proof_parse(GOLDEN, strlen(GOLDEN), &pf, &err), 0);
	assert_int_equal(checkpoint_open(pf.checkpoint, strlen(pf.checkpoint),
	    "PeterNeumann", pk, &cp, &err), 0);
	assert_true(cp.size == pf.size);
	merkle_leaf_hash(leaf, pf.entry, pf.entry_len);
	assert_int_equal(merkle_verify_inclusion(leaf, pf.index, pf.size,
	    (const merkle_hash *)pf.path, pf.npath, cp.root), 0);
	/* another entry, or the same at another index, is not in it */
	merkle_leaf_hash(leaf, "@ABD", 4);
	assert_int_equal(merkle_verify_inclusion(leaf, pf.index, pf.size,
	    (const merkle_hash *)pf.path, pf.npath, cp.root), -1);
	merkle_leaf_hash(leaf, pf.entry, pf.entry_len);
	assert_int_equal(merkle_verify_inclusion(leaf, pf.index - 1, pf.size,
	    (const merkle_hash *)pf.path, pf.npath, cp.root), -1);
	/* our signer writes the checkpoint Python wrote */
	b64 = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
	assert_int_equal(crypto_unbase64(raw, sizeof(raw), &n, b64,
	    strlen(b64)), 0);
	memcpy(sk, raw + 1, 32);
	memcpy(sk + 32, pk, 32);
	again = checkpoint_sign(&cp, "PeterNeumann", sk);
	assert_string_equal(again, CHECKPOINT);
	free(again);
	checkpoint_release(&cp);
	proof_release(&pf);
}

static void
test_proof__round_trips(void **state)
{
	struct proof	 pf;
	unsigned char	*big;
	merkle_hash	 path[MERKLE_MAX_PROOF];
	size_t		 i;

	(void)state;
	memset(&pf, 0, sizeof(pf));
	pf.checkpoint = xstrdup(CHECKPOINT);
	/* one entry, no path */
	pf.size = 1;
	pf.entry = (unsigned char *)xstrdup("x");
	pf.entry_len = 1;
	round_trip(&pf);
	free(pf.entry);
	/* a large binary entry and the longest path, in a huge tree */
	big = xmalloc(100000);
	crypto_random(big, 100000);
	crypto_random(path, sizeof(path));
	pf.entry = big;
	pf.entry_len = 100000;
	pf.path = path;
	pf.npath = MERKLE_MAX_PROOF;
	pf.index = UINT64_MAX - 1;
	pf.size = UINT64_MAX;
	round_trip(&pf);
	/* every length of base64 padding */
	for (i = 1; i <= 6; i++) {
		pf.entry_len = i;
		pf.npath = i;
		pf.index = i;
		pf.size = 1000 * i;
		round_trip(&pf);
	}
	free(big);
	free(pf.checkpoint);
}

/* The checkpoint's first line is the file's line 6 + npath. */
static void
test_proof__checkpoint_line(void **state)
{
	const char	*p = GOLDEN;
	size_t		 line;

	(void)state;
	for (line = 1; line < 6 + 3; line++)
		p = strchr(p, '\n') + 1;
	assert_string_equal(p, CHECKPOINT);
}

static void
test_proof__rejects(void **state)
{
	static const struct {
		const char	*text, *err;
	} bad[] = {
		{ "", "line 1: the proof ends before its version line" },
		{ "ssj-inclusion-proof/1", "line 1: no newline at the end of "
		    "the line" },
		{ "ssj-inclusion-proof/2\n", "line 1: unsupported version "
		    "(this is 'ssj-inclusion-proof/1')" },
		{ "ssj-inclusion-proof/10\n", "line 1: unsupported version "
		    "(this is 'ssj-inclusion-proof/1')" },
		{ "ssj-inclusion-proof/1 \n", "line 1: unsupported version "
		    "(this is 'ssj-inclusion-proof/1')" },
		{ "ssj-inclusion-proof/\n", "line 1: not an ssj inclusion "
		    "proof (no 'ssj-inclusion-proof/1' line)" },
		{ CHECKPOINT, "line 1: not an ssj inclusion proof (no "
		    "'ssj-inclusion-proof/1' line)" },
		{ "\n" GOLDEN, "line 1: not an ssj inclusion proof (no "
		    "'ssj-inclusion-proof/1' line)" },
		{ "ssj-inclusion-proof/1\r\nindex 5\r\n", "line 1: carriage "
		    "return (lines must end in a newline alone)" },
		{ "ssj-inclusion-proof/1\n", "line 2: the proof ends before "
		    "its 'index' line" },
		{ "ssj-inclusion-proof/1\nsize 8\n", "line 2: expected 'index "
		    "N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex 05\n", "line 2: expected "
		    "'index N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex -5\n", "line 2: expected "
		    "'index N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex 5 \n", "line 2: expected "
		    "'index N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex  5\n", "line 2: expected "
		    "'index N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex\n", "line 2: expected 'index "
		    "N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex \n", "line 2: expected 'index "
		    "N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nIndex 5\n", "line 2: expected 'index "
		    "N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex\t5\n", "line 2: expected "
		    "'index N' with N a decimal number (no leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex 18446744073709551616\n",
		    "line 2: expected 'index N' with N a decimal number (no "
		    "leading zeros)" },
		{ "ssj-inclusion-proof/1\nindex 5\n", "line 3: the proof ends "
		    "before its 'size' line" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8", "line 3: no "
		    "newline at the end of the line" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 0x8\n", "line 3: "
		    "expected 'size N' with N a decimal number (no leading "
		    "zeros)" },
		{ "ssj-inclusion-proof/1\nindex 0\nsize 0\n", "line 3: index 0 "
		    "is not in a tree of size 0" },
		{ "ssj-inclusion-proof/1\nindex 8\nsize 8\n", "line 3: index 8 "
		    "is not in a tree of size 8" },
		{ "ssj-inclusion-proof/1\nindex 18446744073709551615\nsize "
		    "18446744073709551615\n", "line 3: index "
		    "18446744073709551615 is not in a tree of size "
		    "18446744073709551615" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\n", "line 4: the "
		    "proof ends before its 'entry' line" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry\n", "line 4: "
		    "expected 'entry BASE64'" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry \n", "line 4: "
		    "the entry is empty" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry QEFCQw\n",
		    "line 4: the entry is not base64" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry QEFCQx==\n",
		    "line 4: the entry is not base64" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry QEFC Qw==\n",
		    "line 4: the entry is not base64" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry ====\n",
		    "line 4: the entry is not base64" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry QEF\xe6\x99"
		    "\xafw==\n", "line 4: the entry is not base64" },
		{ "ssj-inclusion-proof/1\nindex 5\nsize 8\nentry QEFCQw==\n",
		    "line 5: the proof ends before its 'checkpoint' line" },
		{ HEAD "path\n", "line 5: expected 'path BASE64' or "
		    "'checkpoint'" },
		{ HEAD "path \n", "line 5: the hash is not base64 of 32 "
		    "bytes" },
		{ HEAD "path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnmt=\n",
		    "line 5: the hash is not base64 of 32 bytes" },
		{ HEAD "path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms\n",
		    "line 5: the hash is not base64 of 32 bytes" },
		{ HEAD "path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZng==\n",
		    "line 5: the hash is not base64 of 32 bytes" },
		{ HEAD "path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4f\xc3\xa9hZnms="
		    "\n",
		    "line 5: the hash is not base64 of 32 bytes" },
		{ HEAD "path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnmsA\n",
		    "line 5: the hash is not base64 of 32 bytes" },
		{ HEAD "path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=AAAA"
		    "\n",
		    "line 5: the hash is not base64 of 32 bytes" },
		{ HEAD "Path vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n",
		    "line 5: expected 'path BASE64' or 'checkpoint'" },
		{ HEAD "\ncheckpoint\n" CHECKPOINT, "line 5: expected 'path "
		    "BASE64' or 'checkpoint'" },
		{ HEAD "checkpoint \n" CHECKPOINT, "line 5: expected 'path "
		    "BASE64' or 'checkpoint'" },
		{ HEAD "size 8\ncheckpoint\n" CHECKPOINT, "line 5: expected "
		    "'path BASE64' or 'checkpoint'" },
		{ HEAD PATH, "line 8: the proof ends before its 'checkpoint' "
		    "line" },
		{ HEAD PATH "checkpoint", "line 8: no newline at the end of "
		    "the line" },
		{ HEAD PATH "checkpoint\n", "line 9: no signed checkpoint "
		    "after the 'checkpoint' line" },
		{ HEAD "checkpoint\n", "line 6: no signed checkpoint after the "
		    "'checkpoint' line" },
		{ HEAD PATH "checkpoint\n" "ssj.example/jingdezhen/ledger\r\n",
		    "line 9: carriage return (lines must end in a newline "
		    "alone)" },
	};
	struct buf	 b = BUF_INIT;
	char		*text;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		reject_str(bad[i].text, bad[i].err);
	/* a NUL anywhere */
	text = xstrdup(GOLDEN);
	text[strlen(HEAD) + 2] = '\0';
	reject(text, strlen(GOLDEN), "line 5: NUL byte");
	memcpy(text, GOLDEN, strlen(GOLDEN));
	text[strlen(GOLDEN) - 2] = '\0';
	reject(text, strlen(GOLDEN), "line 13: NUL byte");
	free(text);
	/* no more path lines than a 2^64 tree needs */
	buf_addstr(&b, HEAD);
	for (i = 0; i < MERKLE_MAX_PROOF + 1; i++)
		buf_addstr(&b, "path "
		    "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=\n");
	buf_addstr(&b, "checkpoint\n" CHECKPOINT);
	reject(b.data, b.len, "line 69: more than 64 path lines");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proof__golden),
		cmocka_unit_test(test_proof__verifies),
		cmocka_unit_test(test_proof__round_trips),
		cmocka_unit_test(test_proof__checkpoint_line),
		cmocka_unit_test(test_proof__rejects),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
