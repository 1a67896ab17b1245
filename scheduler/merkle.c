/*
 * RFC 6962 Merkle trees for the ledger: tree heads, audit paths and
 * consistency proofs, built without recursion so that size is no concern.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "merkle.h"

_Static_assert(MERKLE_HASH_BYTES == CRYPTO_SHA256_BYTES,
    "the tree hash is SHA-256");

static uint64_t	split_point(uint64_t);
static int	hash_equal(const merkle_hash, const merkle_hash);

/* The largest power of two smaller than n (n >= 2), RFC 6962's k. */
static uint64_t
split_point(uint64_t n)
{
	uint64_t	 k = 1;

	/* k * 2 <= n - 1 without overflowing for n near 2^64 */
	while (k <= (n - 1) / 2)
		k <<= 1;
	return k;
}

static int
hash_equal(const merkle_hash a, const merkle_hash b)
{
	return memcmp(a, b, MERKLE_HASH_BYTES) == 0;
}

void
merkle_leaf_hash(merkle_hash out, const void *entry, size_t len)
{
	struct crypto_sha256	 h;
	unsigned char		 prefix = 0x00;

	crypto_sha256_init(&h);
	crypto_sha256_update(&h, &prefix, 1);
	crypto_sha256_update(&h, entry, len);
	crypto_sha256_final(&h, out);
}

void
merkle_node_hash(merkle_hash out, const merkle_hash left,
    const merkle_hash right)
{
	struct crypto_sha256	 h;
	unsigned char		 prefix = 0x01;

	crypto_sha256_init(&h);
	crypto_sha256_update(&h, &prefix, 1);
	crypto_sha256_update(&h, left, MERKLE_HASH_BYTES);
	crypto_sha256_update(&h, right, MERKLE_HASH_BYTES);
	crypto_sha256_final(&h, out);
}

/*
 * Leaves are folded left to right into a stack of perfect subtrees whose
 * sizes are the binary digits of the count so far (at most 64 of them);
 * folding what is left from the right gives MTH, because the leftmost
 * subtree always has RFC 6962's size k.
 */
void
merkle_root(merkle_hash out, const merkle_hash *leaves, uint64_t n)
{
	merkle_hash	 stack[64];
	uint64_t	 sizes[64];
	uint64_t	 i;
	size_t		 top = 0;

	if (n == 0) {
		crypto_sha256(NULL, 0, out);
		return;
	}
	for (i = 0; i < n; i++) {
		memcpy(stack[top], leaves[i], MERKLE_HASH_BYTES);
		sizes[top++] = 1;
		while (top >= 2 && sizes[top - 2] == sizes[top - 1]) {
			merkle_node_hash(stack[top - 2], stack[top - 2],
			    stack[top - 1]);
			sizes[top - 2] *= 2;
			top--;
		}
	}
	if (top == 0 || top > 64)
		fatalx("%s: %zu subtrees", __func__, top);
	memcpy(out, stack[--top], MERKLE_HASH_BYTES);
	while (top > 0) {
		top--;
		merkle_node_hash(out, stack[top], out);
	}
}

/*
 * PATH(m, D[n]) names, from the root down, the subtree beside the one
 * holding leaf m; the proof lists them from the leaf up.
 */
int
merkle_inclusion_proof(const merkle_hash *leaves, uint64_t n, uint64_t m,
    merkle_hash *proof, size_t *nproof)
{
	uint64_t	 lo = 0, size = n, k;
	size_t		 count = 0, i;

	*nproof = 0;
	if (m >= n)
		return -1;
	while (size > 1) {
		k = split_point(size);
		if (m - lo < k) {
			merkle_root(proof[count++], leaves + lo + k, size - k);
			size = k;
		} else {
			merkle_root(proof[count++], leaves + lo, k);
			lo += k;
			size -= k;
		}
	}
	for (i = 0; i < count / 2; i++) {
		merkle_hash	 t;

		memcpy(t, proof[i], MERKLE_HASH_BYTES);
		memcpy(proof[i], proof[count - 1 - i], MERKLE_HASH_BYTES);
		memcpy(proof[count - 1 - i], t, MERKLE_HASH_BYTES);
	}
	*nproof = count;
	return 0;
}

/* RFC 9162 section 2.1.3.2, from the text. */
int
merkle_verify_inclusion(const merkle_hash leaf, uint64_t m, uint64_t n,
    const merkle_hash *proof, size_t nproof, const merkle_hash root)
{
	merkle_hash	 r;
	uint64_t	 fn, sn;
	size_t		 i;

	if (m >= n || nproof > MERKLE_MAX_PROOF)
		return -1;
	fn = m;
	sn = n - 1;
	memcpy(r, leaf, MERKLE_HASH_BYTES);
	for (i = 0; i < nproof; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(r, proof[i], r);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			merkle_node_hash(r, r, proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || !hash_equal(r, root))
		return -1;
	return 0;
}

/*
 * SUBPROOF(m, D[n], b) walks down the new tree: each step adds the hash
 * of the subtree the old tree does not decide, and the walk ends at the
 * subtree both trees share, whose hash comes first unless it is the old
 * root itself (b still true), which the verifier already has.
 */
int
merkle_consistency_proof(const merkle_hash *leaves, uint64_t n, uint64_t m,
    merkle_hash *proof, size_t *nproof)
{
	merkle_hash	 steps[MERKLE_MAX_PROOF];
	uint64_t	 lo = 0, size = n, old = m, k;
	size_t		 count = 0, nsteps = 0, i;
	int		 whole = 1;

	*nproof = 0;
	if (m == 0 || m > n)
		return -1;
	while (old != size) {
		k = split_point(size);
		if (old <= k) {
			merkle_root(steps[nsteps++], leaves + lo + k, size - k);
			size = k;
		} else {
			merkle_root(steps[nsteps++], leaves + lo, k);
			lo += k;
			size -= k;
			old -= k;
			whole = 0;
		}
	}
	/* only a tree of more than 2^63 leaves could need one more */
	if (nsteps + !whole > MERKLE_MAX_PROOF)
		return -1;
	if (!whole)
		merkle_root(proof[count++], leaves + lo, size);
	for (i = nsteps; i > 0; i--)
		memcpy(proof[count++], steps[i - 1], MERKLE_HASH_BYTES);
	*nproof = count;
	return 0;
}

/*
 * RFC 9162 section 2.1.4.2, from the text, with the cases it leaves out:
 * equal sizes need an empty proof and equal roots, and the empty tree is
 * a prefix of every tree.
 */
int
merkle_verify_consistency(uint64_t m, uint64_t n, const merkle_hash old_root,
    const merkle_hash new_root, const merkle_hash *proof, size_t nproof)
{
	merkle_hash	 empty, fr, sr;
	uint64_t	 fn, sn;
	size_t		 i = 0;

	if (m > n || nproof > MERKLE_MAX_PROOF)
		return -1;
	if (m == 0) {
		crypto_sha256(NULL, 0, empty);
		return nproof == 0 && hash_equal(old_root, empty) ? 0 : -1;
	}
	if (m == n)
		return nproof == 0 && hash_equal(old_root, new_root) ? 0 : -1;
	if (nproof == 0)
		return -1;
	/* a power-of-two old tree is a node of the new one: its root leads */
	if ((m & (m - 1)) == 0)
		memcpy(fr, old_root, MERKLE_HASH_BYTES);
	else
		memcpy(fr, proof[i++], MERKLE_HASH_BYTES);
	memcpy(sr, fr, MERKLE_HASH_BYTES);
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < nproof; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(fr, proof[i], fr);
			merkle_node_hash(sr, proof[i], sr);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			merkle_node_hash(sr, sr, proof[i]);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || !hash_equal(fr, old_root) || !hash_equal(sr, new_root))
		return -1;
	return 0;
}
