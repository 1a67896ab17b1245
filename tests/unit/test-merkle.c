/*
 * Unit tests of the RFC 6962 Merkle tree: the published Certificate
 * Transparency vectors, then every proof of every small tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"
#include "merkle.h"
#include "xmalloc.h"

#define SMALL	64	/* the property tests cover every tree up to this */
/* ISO C before C23 does not add const to an array element implicitly */
#define CH(p)	((const merkle_hash *)(p))

/*
 * The reference tree of RFC 6962 implementations: its eight inputs, the
 * heads of its prefixes of 1..8 leaves, and some audit paths and
 * consistency proofs. From google/certificate-transparency
 * cpp/merkletree/merkle_tree_test.cc (kInputs, kSHA256Roots, kSHA256Paths,
 * kSHA256Proofs), repeated in transparency-dev/merkle proof/verify_test.go,
 * which adds the consistency proof 6 -> 7. Their leaf numbers start at 1;
 * ours at 0.
 */
static const struct {
	const char	*hex;
	size_t		 len;
} inputs[8] = {
	{ "", 0 },
	{ "00", 1 },
	{ "10", 1 },
	{ "2021", 2 },
	{ "3031", 2 },
	{ "40414243", 4 },
	{ "5051525354555657", 8 },
	{ "606162636465666768696a6b6c6d6e6f", 16 },
};

static const char *empty_root =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

static const char *roots[8] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static const struct {
	uint64_t	 leaf, size;
	size_t		 n;
	const char	*hash[3];
} paths[] = {
	{ 0, 1, 0, { NULL } },
	{ 0, 8, 3, {
	    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
	} },
	{ 5, 8, 3, {
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	} },
	{ 2, 3, 1, {
	    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	} },
	{ 1, 5, 3, {
	    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	} },
};

static const struct {
	uint64_t	 m, n;
	size_t		 count;
	const char	*hash[3];
} consistency[] = {
	{ 1, 1, 0, { NULL } },
	{ 1, 8, 3, {
	    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
	} },
	{ 6, 8, 3, {
	    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	} },
	{ 2, 5, 2, {
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	} },
	{ 6, 7, 3, {
	    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	} },
};

static merkle_hash	 ref_leaves[8];
static merkle_hash	 small[SMALL];		/* leaf hashes of bytes 0..63 */

static void	 unhex(const char *, merkle_hash);
static void	 ref_root(merkle_hash, const merkle_hash *, uint64_t);
static size_t	 ref_path(const merkle_hash *, uint64_t, uint64_t,
		    merkle_hash *);
static size_t	 ref_subproof(const merkle_hash *, uint64_t, uint64_t, int,
		    merkle_hash *);
static void	 check_inclusion(const merkle_hash *, uint64_t, uint64_t,
		    const merkle_hash *, size_t, int);
static void	 check_consistency(const merkle_hash *, uint64_t, uint64_t,
		    const merkle_hash *, size_t, int);

static void
unhex(const char *s, merkle_hash out)
{
	assert_int_equal(crypto_unhex(s, out, MERKLE_HASH_BYTES), 0);
}

/*
 * A second implementation, straight from the recursive definitions of
 * RFC 6962 section 2.1, to hold the iterative one against.
 */
static uint64_t
ref_k(uint64_t n)
{
	uint64_t	 k = 1;

	while (2 * k < n)
		k *= 2;
	return k;
}

static void
ref_root(merkle_hash out, const merkle_hash *d, uint64_t n)
{
	merkle_hash	 l, r;
	uint64_t	 k;

	if (n == 0) {
		crypto_sha256(NULL, 0, out);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], MERKLE_HASH_BYTES);
		return;
	}
	k = ref_k(n);
	ref_root(l, d, k);
	ref_root(r, d + k, n - k);
	merkle_node_hash(out, l, r);
}

static size_t
ref_path(const merkle_hash *d, uint64_t n, uint64_t m, merkle_hash *out)
{
	uint64_t	 k;
	size_t		 len;

	if (n == 1)
		return 0;
	k = ref_k(n);
	if (m < k) {
		len = ref_path(d, k, m, out);
		ref_root(out[len], d + k, n - k);
	} else {
		len = ref_path(d + k, n - k, m - k, out);
		ref_root(out[len], d, k);
	}
	return len + 1;
}

static size_t
ref_subproof(const merkle_hash *d, uint64_t n, uint64_t m, int b,
    merkle_hash *out)
{
	uint64_t	 k;
	size_t		 len;

	if (m == n) {
		if (b)
			return 0;
		ref_root(out[0], d, m);
		return 1;
	}
	k = ref_k(n);
	if (m <= k) {
		len = ref_subproof(d, k, m, b, out);
		ref_root(out[len], d + k, n - k);
	} else {
		len = ref_subproof(d + k, n - k, m - k, 0, out);
		ref_root(out[len], d, k);
	}
	return len + 1;
}

/*
 * The proof must verify, and fail with any bit of any hash flipped
 * (every bit when all_bits, else five of them, moving with the sizes,
 * to keep the run short), with another leaf, with
 * the tree twice or half as big, one hash more, less, or in front.
 */
static void
check_inclusion(const merkle_hash *d, uint64_t n, uint64_t m,
    const merkle_hash *proof, size_t np, int all_bits)
{
	merkle_hash		 root, leaf, bad[MERKLE_MAX_PROOF + 1];
	uint64_t		 other;
	size_t			 i, bit;
	const merkle_hash	*cbad = CH(bad);

	ref_root(root, d, n);
	memcpy(leaf, d[m], MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_inclusion(leaf, m, n, proof, np,
	    root), 0);
	for (other = 0; other < n; other++)
		if (other != m)
			assert_int_equal(merkle_verify_inclusion(leaf, other, n,
			    proof, np, root), -1);
	assert_int_equal(merkle_verify_inclusion(leaf, m, n * 2, proof, np,
	    root), -1);
	if (m < n / 2)
		assert_int_equal(merkle_verify_inclusion(leaf, m, n / 2, proof,
		    np, root), -1);
	assert_int_equal(merkle_verify_inclusion(leaf, n, n, proof, np,
	    root), -1);
	for (bit = all_bits ? 0 : (n + m) % 61; bit < 8 * MERKLE_HASH_BYTES;
	    bit += all_bits ? 1 : 61) {
		leaf[bit / 8] ^= 1u << (bit % 8);
		assert_int_equal(merkle_verify_inclusion(leaf, m, n, proof, np,
		    root), -1);
		leaf[bit / 8] ^= 1u << (bit % 8);
		root[bit / 8] ^= 1u << (bit % 8);
		assert_int_equal(merkle_verify_inclusion(leaf, m, n, proof, np,
		    root), -1);
		root[bit / 8] ^= 1u << (bit % 8);
		for (i = 0; i < np; i++) {
			memcpy(bad, proof, np * MERKLE_HASH_BYTES);
			bad[i][bit / 8] ^= 1u << (bit % 8);
			assert_int_equal(merkle_verify_inclusion(leaf, m, n,
			    cbad, np, root), -1);
		}
	}
	memcpy(bad, proof, np * MERKLE_HASH_BYTES);
	memcpy(bad[np], root, MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_inclusion(leaf, m, n, cbad, np + 1,
	    root), -1);
	if (np > 0)
		assert_int_equal(merkle_verify_inclusion(leaf, m, n, proof,
		    np - 1, root), -1);
	memcpy(bad[0], leaf, MERKLE_HASH_BYTES);
	memcpy(bad + 1, proof, np * MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_inclusion(leaf, m, n, cbad, np + 1,
	    root), -1);
}

static void
check_consistency(const merkle_hash *d, uint64_t m, uint64_t n,
    const merkle_hash *proof, size_t np, int all_bits)
{
	merkle_hash		 r1, r2, bad[MERKLE_MAX_PROOF + 1];
	size_t			 i, bit;
	const merkle_hash	*cbad = CH(bad);

	ref_root(r1, d, m);
	ref_root(r2, d, n);
	assert_int_equal(merkle_verify_consistency(m, n, r1, r2, proof, np),
	    0);
	if (m == n) {
		assert_int_equal(np, 0);
		memcpy(bad[0], r1, MERKLE_HASH_BYTES);
		assert_int_equal(merkle_verify_consistency(m, n, r1, r2, cbad,
		    1), -1);
		return;
	}
	assert_int_equal(merkle_verify_consistency(m - 1, n, r1, r2, proof,
	    np), -1);
	assert_int_equal(merkle_verify_consistency(m + 1, n, r1, r2, proof,
	    np), -1);
	if ((m ^ 2) <= n && (m ^ 2) != m)
		assert_int_equal(merkle_verify_consistency(m ^ 2, n, r1, r2,
		    proof, np), -1);
	assert_int_equal(merkle_verify_consistency(m, n * 2, r1, r2, proof,
	    np), -1);
	if (m <= n / 2)
		assert_int_equal(merkle_verify_consistency(m, n / 2, r1, r2,
		    proof, np), -1);
	assert_int_equal(merkle_verify_consistency(m, n, r2, r1, proof, np),
	    -1);
	assert_int_equal(merkle_verify_consistency(n, m, r1, r2, proof, np),
	    -1);
	assert_int_equal(merkle_verify_consistency(m, n, r1, r2, proof, 0),
	    -1);
	for (bit = all_bits ? 0 : (n + m) % 61; bit < 8 * MERKLE_HASH_BYTES;
	    bit += all_bits ? 1 : 61) {
		r1[bit / 8] ^= 1u << (bit % 8);
		assert_int_equal(merkle_verify_consistency(m, n, r1, r2,
		    proof, np), -1);
		r1[bit / 8] ^= 1u << (bit % 8);
		r2[bit / 8] ^= 1u << (bit % 8);
		assert_int_equal(merkle_verify_consistency(m, n, r1, r2,
		    proof, np), -1);
		r2[bit / 8] ^= 1u << (bit % 8);
		for (i = 0; i < np; i++) {
			memcpy(bad, proof, np * MERKLE_HASH_BYTES);
			bad[i][bit / 8] ^= 1u << (bit % 8);
			assert_int_equal(merkle_verify_consistency(m, n, r1, r2,
			    cbad, np), -1);
		}
	}
	memcpy(bad, proof, np * MERKLE_HASH_BYTES);
	memcpy(bad[np], proof[np - 1], MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_consistency(m, n, r1, r2, cbad, np + 1),
	    -1);
	assert_int_equal(merkle_verify_consistency(m, n, r1, r2, proof,
	    np - 1), -1);
	memcpy(bad[0], proof[0], MERKLE_HASH_BYTES);
	memcpy(bad + 1, proof, np * MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_consistency(m, n, r1, r2, cbad, np + 1),
	    -1);
	memcpy(bad[0], r1, MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_consistency(m, n, r1, r2, cbad, np + 1),
	    -1);
}

static int
setup(void **state)
{
	unsigned char	 in[16], byte;
	size_t		 i;

	(void)state;
	crypto_setup();
	for (i = 0; i < 8; i++) {
		if (inputs[i].len > 0)
			assert_int_equal(crypto_unhex(inputs[i].hex, in,
			    inputs[i].len), 0);
		merkle_leaf_hash(ref_leaves[i], in, inputs[i].len);
	}
	for (i = 0; i < SMALL; i++) {
		byte = (unsigned char)i;
		merkle_leaf_hash(small[i], &byte, 1);
	}
	return 0;
}

static void
test_merkle__empty_tree(void **state)
{
	merkle_hash	 got, want;

	(void)state;
	unhex(empty_root, want);
	merkle_root(got, NULL, 0);
	assert_memory_equal(got, want, MERKLE_HASH_BYTES);
}

static void
test_merkle__hashes(void **state)
{
	merkle_hash		 got, want, l, r;
	const merkle_hash	*d = CH(ref_leaves);

	(void)state;
	/* the one-leaf tree's head is the leaf hash of the empty entry */
	unhex(roots[0], want);
	merkle_leaf_hash(got, "", 0);
	assert_memory_equal(got, want, MERKLE_HASH_BYTES);
	merkle_root(got, d, 1);
	assert_memory_equal(got, want, MERKLE_HASH_BYTES);
	/* the two-leaf head is the node of the two leaves */
	memcpy(l, ref_leaves[0], MERKLE_HASH_BYTES);
	memcpy(r, ref_leaves[1], MERKLE_HASH_BYTES);
	merkle_node_hash(got, l, r);
	unhex(roots[1], want);
	assert_memory_equal(got, want, MERKLE_HASH_BYTES);
	/* output may alias an input */
	merkle_node_hash(l, l, r);
	assert_memory_equal(l, want, MERKLE_HASH_BYTES);
}

static void
test_merkle__reference_roots(void **state)
{
	merkle_hash		 got, want;
	uint64_t		 n;
	const merkle_hash	*d = CH(ref_leaves);

	(void)state;
	for (n = 1; n <= 8; n++) {
		unhex(roots[n - 1], want);
		merkle_root(got, d, n);
		assert_memory_equal(got, want, MERKLE_HASH_BYTES);
		ref_root(got, d, n);
		assert_memory_equal(got, want, MERKLE_HASH_BYTES);
	}
}

static void
test_merkle__reference_paths(void **state)
{
	merkle_hash		 want[3], got[MERKLE_MAX_PROOF];
	size_t			 i, j, n;
	const merkle_hash	*d = CH(ref_leaves);

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		for (j = 0; j < paths[i].n; j++)
			unhex(paths[i].hash[j], want[j]);
		assert_int_equal(merkle_inclusion_proof(d,
		    paths[i].size, paths[i].leaf, got, &n), 0);
		assert_int_equal(n, paths[i].n);
		assert_memory_equal(got, want, n * MERKLE_HASH_BYTES);
		check_inclusion(d, paths[i].size, paths[i].leaf,
		    CH(want), paths[i].n, 1);
	}
}

/* Every leaf of every prefix of the reference tree. */
static void
test_merkle__reference_tree_all_paths(void **state)
{
	merkle_hash		 got[MERKLE_MAX_PROOF], want[MERKLE_MAX_PROOF];
	merkle_hash		 root;
	uint64_t		 n, m;
	size_t			 np;
	const merkle_hash	*d = CH(ref_leaves);

	(void)state;
	for (n = 1; n <= 8; n++) {
		unhex(roots[n - 1], root);
		for (m = 0; m < n; m++) {
			assert_int_equal(merkle_inclusion_proof(d, n,
			    m, got, &np), 0);
			assert_int_equal(np, ref_path(d, n, m, want));
			assert_memory_equal(got, want, np * MERKLE_HASH_BYTES);
			assert_int_equal(merkle_verify_inclusion(ref_leaves[m],
			    m, n, CH(got), np, root), 0);
		}
		assert_int_equal(merkle_inclusion_proof(d, n, n, got,
		    &np), -1);
		assert_int_equal(np, 0);
	}
}

static void
test_merkle__reference_consistency(void **state)
{
	merkle_hash		 want[3], got[MERKLE_MAX_PROOF];
	size_t			 i, j, n;
	const merkle_hash	*d = CH(ref_leaves);

	(void)state;
	for (i = 0; i < sizeof(consistency) / sizeof(consistency[0]); i++) {
		for (j = 0; j < consistency[i].count; j++)
			unhex(consistency[i].hash[j], want[j]);
		assert_int_equal(merkle_consistency_proof(d,
		    consistency[i].n, consistency[i].m, got, &n), 0);
		assert_int_equal(n, consistency[i].count);
		assert_memory_equal(got, want, n * MERKLE_HASH_BYTES);
		check_consistency(d, consistency[i].m,
		    consistency[i].n, CH(want), consistency[i].count, 1);
	}
}

/* Every pair of prefixes of the reference tree, against the published heads. */
static void
test_merkle__reference_tree_all_consistency(void **state)
{
	merkle_hash		 got[MERKLE_MAX_PROOF], want[MERKLE_MAX_PROOF];
	merkle_hash		 r1, r2;
	uint64_t		 m, n;
	size_t			 np;
	const merkle_hash	*d = CH(ref_leaves);

	(void)state;
	for (n = 1; n <= 8; n++) {
		unhex(roots[n - 1], r2);
		for (m = 1; m <= n; m++) {
			unhex(roots[m - 1], r1);
			assert_int_equal(merkle_consistency_proof(d, n,
			    m, got, &np), 0);
			assert_int_equal(np, ref_subproof(d, n, m, 1,
			    want));
			assert_memory_equal(got, want, np * MERKLE_HASH_BYTES);
			assert_int_equal(merkle_verify_consistency(m, n, r1, r2,
			    CH(got), np), 0);
		}
	}
}

static void
test_merkle__all_small_inclusion(void **state)
{
	merkle_hash		 got[MERKLE_MAX_PROOF], want[MERKLE_MAX_PROOF];
	merkle_hash		 root;
	uint64_t		 n, m;
	size_t			 np;
	const merkle_hash	*d = CH(small);

	(void)state;
	for (n = 1; n <= SMALL; n++) {
		merkle_root(root, d, n);
		ref_root(want[0], d, n);
		assert_memory_equal(root, want[0], MERKLE_HASH_BYTES);
		for (m = 0; m < n; m++) {
			assert_int_equal(merkle_inclusion_proof(d, n, m,
			    got, &np), 0);
			assert_int_equal(np, ref_path(d, n, m, want));
			assert_memory_equal(got, want, np * MERKLE_HASH_BYTES);
			check_inclusion(d, n, m, CH(got), np, n <= 16);
		}
	}
}

static void
test_merkle__all_small_consistency(void **state)
{
	merkle_hash		 got[MERKLE_MAX_PROOF], want[MERKLE_MAX_PROOF];
	uint64_t		 n, m;
	size_t			 np;
	const merkle_hash	*d = CH(small);

	(void)state;
	for (n = 1; n <= SMALL; n++) {
		for (m = 1; m <= n; m++) {
			assert_int_equal(merkle_consistency_proof(d, n, m,
			    got, &np), 0);
			assert_int_equal(np, ref_subproof(d, n, m, 1, want));
			assert_memory_equal(got, want, np * MERKLE_HASH_BYTES);
			check_consistency(d, m, n, CH(got), np, n <= 16);
		}
	}
}

/* The cases the RFC leaves to the implementer. */
static void
test_merkle__edges(void **state)
{
	merkle_hash		 empty, r1, r2, proof[MERKLE_MAX_PROOF];
	size_t			 np, i;
	const merkle_hash	*d = CH(small);

	(void)state;
	unhex(empty_root, empty);
	merkle_root(r1, d, 1);
	merkle_root(r2, d, 5);
	/* the empty tree is a prefix of every tree, with no proof */
	assert_int_equal(merkle_verify_consistency(0, 0, empty, empty, NULL,
	    0), 0);
	assert_int_equal(merkle_verify_consistency(0, 5, empty, r2, NULL, 0),
	    0);
	assert_int_equal(merkle_verify_consistency(0, 5, r1, r2, NULL, 0), -1);
	memcpy(proof[0], empty, MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_consistency(0, 5, empty, r2, CH(proof),
	    1), -1);
	assert_int_equal(merkle_verify_consistency(0, 0, empty, empty,
	    CH(proof), 1), -1);
	/* equal sizes: equal roots and nothing else */
	assert_int_equal(merkle_verify_consistency(5, 5, r2, r2, NULL, 0), 0);
	assert_int_equal(merkle_verify_consistency(5, 5, r1, r2, NULL, 0), -1);
	assert_int_equal(merkle_verify_consistency(5, 4, r2, r1, NULL, 0), -1);
	/* no proof from or to the empty tree, none from a larger tree */
	assert_int_equal(merkle_consistency_proof(d, 5, 0, proof, &np), -1);
	assert_int_equal(merkle_consistency_proof(d, 5, 6, proof, &np), -1);
	assert_int_equal(merkle_consistency_proof(d, 0, 0, proof, &np), -1);
	assert_int_equal(merkle_inclusion_proof(d, 0, 0, proof, &np), -1);
	/* nothing is in the empty tree */
	assert_int_equal(merkle_verify_inclusion(empty, 0, 0, NULL, 0, empty),
	    -1);
	/* the one-leaf tree: the leaf is the head */
	assert_int_equal(merkle_verify_inclusion(r1, 0, 1, NULL, 0, r1), 0);
	assert_int_equal(merkle_verify_inclusion(r1, 1, 1, NULL, 0, r1), -1);
	/* sizes near 2^64 neither overflow nor pass */
	for (i = 0; i < MERKLE_MAX_PROOF; i++)
		memcpy(proof[i], small[i], MERKLE_HASH_BYTES);
	assert_int_equal(merkle_verify_inclusion(r1, UINT64_MAX - 1,
	    UINT64_MAX, CH(proof), MERKLE_MAX_PROOF, r2), -1);
	assert_int_equal(merkle_verify_inclusion(r1, 0, UINT64_MAX, CH(proof),
	    MERKLE_MAX_PROOF, r2), -1);
	assert_int_equal(merkle_verify_consistency(UINT64_MAX - 1, UINT64_MAX,
	    r1, r2, CH(proof), MERKLE_MAX_PROOF), -1);
	assert_int_equal(merkle_verify_consistency(3, UINT64_MAX, r1, r2,
	    CH(proof), MERKLE_MAX_PROOF), -1);
	/* no proof is longer than a 2^64 tree needs */
	assert_int_equal(merkle_verify_inclusion(r1, 0, 2, CH(proof),
	    MERKLE_MAX_PROOF + 1, r2), -1);
}

/*
 * A tree of a million leaves and more: its head, the proof of a leaf in
 * the middle, and the proof that an older head is a prefix of it.
 */
static void
test_merkle__large_tree(void **state)
{
	const uint64_t	 n = (1u << 20) + 4242;
	const uint64_t	 m = 777777, old = n - 1000;
	merkle_hash	*leaves, root, oldroot, proof[MERKLE_MAX_PROOF];
	unsigned char	 entry[8];
	uint64_t	 i;
	size_t		 np, j;

	(void)state;
	leaves = xreallocarray(NULL, n, sizeof(*leaves));
	for (i = 0; i < n; i++) {
		for (j = 0; j < 8; j++)
			entry[j] = (unsigned char)(i >> (8 * j));
		merkle_leaf_hash(leaves[i], entry, sizeof(entry));
	}
	merkle_root(root, CH(leaves), n);
	assert_int_equal(merkle_inclusion_proof(CH(leaves), n, m, proof, &np),
	    0);
	assert_int_equal(np, 21);
	assert_int_equal(merkle_verify_inclusion(leaves[m], m, n, CH(proof),
	    np, root), 0);
	assert_int_equal(merkle_verify_inclusion(leaves[m], m + 1, n,
	    CH(proof), np, root), -1);
	merkle_root(oldroot, CH(leaves), old);
	assert_int_equal(merkle_consistency_proof(CH(leaves), n, old, proof,
	    &np), 0);
	assert_int_equal(merkle_verify_consistency(old, n, oldroot, root,
	    CH(proof), np), 0);
	assert_int_equal(merkle_verify_consistency(old - 1, n, oldroot, root,
	    CH(proof), np), -1);
	free(leaves);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merkle__empty_tree),
		cmocka_unit_test(test_merkle__hashes),
		cmocka_unit_test(test_merkle__reference_roots),
		cmocka_unit_test(test_merkle__reference_paths),
		cmocka_unit_test(test_merkle__reference_tree_all_paths),
		cmocka_unit_test(test_merkle__reference_consistency),
		cmocka_unit_test(test_merkle__reference_tree_all_consistency),
		cmocka_unit_test(test_merkle__all_small_inclusion),
		cmocka_unit_test(test_merkle__all_small_consistency),
		cmocka_unit_test(test_merkle__edges),
		cmocka_unit_test(test_merkle__large_tree),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
