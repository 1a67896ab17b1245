/*
 * Signatures of published files: FILE.minisig in minisign's prehashed
 * format ("ED": Ed25519 over BLAKE2b-512 of the file, and a global
 * signature over the signature and the trusted comment), which stock
 * `minisign -Vm FILE -p KEY.pub` verifies. The trusted comment carries
 * machine-checkable fields, so that a valid signature of another file
 * never passes for this one.
 */
#ifndef SSJ_MINISIG_H
#define SSJ_MINISIG_H

#include <stddef.h>
#include <stdint.h>

#include "keys.h"

/*
 * The trusted comment's fields, written as
 * "ssj-sig/1 kind=K [id=I] file=NAME blake2b-256=HEX [ledger=N]".
 */
struct sig_fields {
	char		*kind;		/* manifest, frame, notice, checkpoint... */
	char		*id;		/* batch or publication id, or NULL */
	char		*file;		/* the file's base name */
	char		 blake2b[65];	/* BLAKE2b-256 of the file, hex */
	int64_t		 ledger;	/* ledger index of the event; -1: none */
};

/*
 * Signs path into path.minisig (written to a temporary name, fsynced,
 * renamed). kind and id describe the file; ledger is the index of the
 * ledger event that produced it, or -1. Returns 0, or -1 with a message.
 */
int	minisig_sign_file(const char *path, const struct seckey *,
	    const char *kind, const char *id, int64_t ledger);
/*
 * Verifies sigpath (NULL: path.minisig) over path with key: the key id,
 * both signatures, and the trusted comment's fields against the file
 * (its base name and digest). Fills *fields (release them) and returns 0
 * when all hold; 1 when the file or comment does not match (said why);
 * -1 when a file cannot be read or parsed.
 */
int	minisig_verify_file(const char *path, const char *sigpath,
	    const struct pubkey *, struct sig_fields *fields);
/*
 * The same with the file's BLAKE2b-512 (prehash) and BLAKE2b-256 as its
 * caller read them (NULL: read here), for a file too large to read twice.
 */
int	minisig_verify_hashed(const char *path, const char *sigpath,
	    const struct pubkey *, const unsigned char *prehash,
	    const unsigned char *digest, struct sig_fields *fields);
/*
 * 0 if path.minisig is byte for byte the signature file ssj writes for
 * path -- so that not even the bytes no signature covers (the untrusted
 * comment, line ends) have changed; -1 with a message if not, or if it
 * cannot be read.
 */
int	minisig_canonical(const char *path);
/* Parses a trusted comment's fields; -1 if it is not ssj's. */
int	sig_fields_parse(const char *comment, struct sig_fields *out);
void	sig_fields_release(struct sig_fields *);
/*
 * The trusted comment for fields, the only spelling sig_fields_parse
 * accepts. Returns it (free(3) it), or NULL with a message if a value is
 * empty or longer than SIG_VALUE_MAX bytes.
 */
#define SIG_VALUE_MAX	255
char	*sig_fields_format(const struct sig_fields *);
/*
 * A value as the trusted comment spells it: bytes other than printable
 * ASCII, '%' and '=' as %XX. Safe to print; free(3) it.
 */
char	*sig_escape(const char *);

/* A .minisig file, parsed. */
struct minisig {
	int		 legacy;	/* "Ed": signs the file, not its hash */
	unsigned char	 keynum[KEYNUM_BYTES];
	unsigned char	 sig[CRYPTO_SIGN_BYTES];
	char		*comment;	/* the trusted comment, as signed */
	size_t		 comment_len;
	unsigned char	 global_sig[CRYPTO_SIGN_BYTES];
};

/*
 * Parses a .minisig from memory (name is for messages: "NAME:LINE: ...").
 * Returns 0 (release it with minisig_release) or -1 with a message.
 */
int	minisig_parse(const char *text, size_t len, const char *name,
	    struct minisig *out);
void	minisig_release(struct minisig *);

#endif
