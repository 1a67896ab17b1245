/*
 * Signed notes (C2SP signed-note) and the transparency-log checkpoints
 * written in them (C2SP tlog-checkpoint): origin, tree size, root hash,
 * then a blank line and one signature line per signer, Ed25519 key ids
 * SHA-256(name || 0x0A || 0x01 || public key)[:4].
 */
#ifndef SSJ_NOTE_H
#define SSJ_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "merkle.h"

#define NOTE_MAX_BYTES	65536		/* C2SP's limit on a whole note */

struct checkpoint {
	char		*origin;	/* one line, no spaces at either end */
	uint64_t	 size;
	merkle_hash	 root;
	char		*extensions;	/* extra body lines, each ending in a
					   newline, or NULL */
};

/*
 * 1 if name can name a note signer: non-empty UTF-8 with no control
 * characters, no Unicode spaces and no '+'; 0 if not. The functions
 * below that sign or name a key take only such names.
 */
int	note_name_valid(const char *name);
/* The key id of an Ed25519 note signer. */
void	note_key_id(const char *name,
	    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES],
	    unsigned char id[4]);
/*
 * The verifier key string other tools take: "<name>+<hex id>+<base64 of
 * 0x01 || pk>". Returns a new string; name must be valid.
 */
char	*note_verifier_key(const char *name,
	    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES]);

/*
 * Any note text (UTF-8 ending in a newline, no control characters but
 * newlines, at most NOTE_MAX_BYTES with its signature) signed by name
 * with sk: the text, a blank line and the signature line. Returns a new
 * string, or NULL if text cannot be a note's text.
 */
char	*note_sign(const char *text, const char *name,
	    const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES]);
/*
 * Verifies that name/pk signed the note (other signature lines are
 * checked for form only, as C2SP says) and returns its text, up to and
 * including the newline before the blank line, in *text (a new string).
 * -1 with a message "line N: ..." in *err (a new string) if the note is
 * malformed or not signed by that key.
 */
int	note_open(const char *note, size_t len, const char *name,
	    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES], char **text,
	    char **err);

/*
 * The checkpoint as a signed note by name with sk. Returns a new string.
 * Fatal if the origin or extension lines cannot be in a checkpoint or
 * name is not valid: check what comes from outside first.
 */
char	*checkpoint_sign(const struct checkpoint *, const char *name,
	    const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES]);
/*
 * Parses a signed checkpoint and verifies that name/pk signed it (other
 * signature lines are ignored, as C2SP says). Returns 0 with *out filled
 * in, or -1 with a message naming the problem ("line N: ...") in *err
 * (a new string).
 */
int	checkpoint_open(const char *text, size_t len, const char *name,
	    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES],
	    struct checkpoint *out, char **err);
void	checkpoint_release(struct checkpoint *);

#endif
