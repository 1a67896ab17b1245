/*
 * RFC 6962 Merkle trees over SHA-256: leaf hash SHA-256(0x00 || entry),
 * node hash SHA-256(0x01 || left || right), split at the largest power of
 * two below n; tree heads, inclusion and consistency proofs.
 */
#ifndef SSJ_MERKLE_H
#define SSJ_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_BYTES	32
#define MERKLE_MAX_PROOF	64	/* hashes in a proof of a 2^64 tree */

typedef unsigned char merkle_hash[MERKLE_HASH_BYTES];

/* The leaf hash of one entry's bytes. */
void	merkle_leaf_hash(merkle_hash out, const void *entry, size_t len);
/* The hash of an inner node. */
void	merkle_node_hash(merkle_hash out, const merkle_hash left,
	    const merkle_hash right);
/*
 * The tree head MTH(D[0:n]) of the first n leaf hashes; the empty tree's
 * head is SHA-256 of nothing.
 */
void	merkle_root(merkle_hash out, const merkle_hash *leaves, uint64_t n);
/*
 * The inclusion proof PATH(m, D[0:n]) of leaf m < n: *nproof hashes into
 * proof (at most MERKLE_MAX_PROOF). -1 if m >= n.
 */
int	merkle_inclusion_proof(const merkle_hash *leaves, uint64_t n,
	    uint64_t m, merkle_hash *proof, size_t *nproof);
/* 0 if the proof takes leaf m's hash to root in a tree of size n. */
int	merkle_verify_inclusion(const merkle_hash leaf, uint64_t m,
	    uint64_t n, const merkle_hash *proof, size_t nproof,
	    const merkle_hash root);
/*
 * The consistency proof PROOF(m, D[0:n]) between the tree of size m and
 * the tree of size n (0 < m <= n). -1 if the sizes are not that.
 */
int	merkle_consistency_proof(const merkle_hash *leaves, uint64_t n,
	    uint64_t m, merkle_hash *proof, size_t *nproof);
/*
 * 0 if the proof shows old_root (size m) is a prefix of new_root (n).
 * Equal sizes take equal roots and no proof; so does the empty tree
 * (m = 0, old_root the hash of nothing), a prefix of every tree.
 */
int	merkle_verify_consistency(uint64_t m, uint64_t n,
	    const merkle_hash old_root, const merkle_hash new_root,
	    const merkle_hash *proof, size_t nproof);

#endif
