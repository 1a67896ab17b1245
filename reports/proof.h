/*
 * The inclusion-proof file `ssj ledger prove` writes and `ssj ledger
 * verify-proof` reads without a database: the entry, its index, the audit
 * path, and the signed checkpoint it leads to.
 */
#ifndef SSJ_PROOF_H
#define SSJ_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "merkle.h"

struct proof {
	uint64_t	 index;		/* of the entry, 0-based */
	uint64_t	 size;		/* of the tree the proof is for */
	unsigned char	*entry;		/* the entry's bytes */
	size_t		 entry_len;
	merkle_hash	*path;		/* the audit path */
	size_t		 npath;
	char		*checkpoint;	/* the signed checkpoint's text */
};

/*
 * The file, every line ending in a newline:
 *
 *	ssj-inclusion-proof/1
 *	index N
 *	size N
 *	entry BASE64
 *	path BASE64		(npath lines, from the leaf up)
 *	checkpoint
 *	the signed checkpoint, byte for byte, to the end of the file
 *
 * so the checkpoint's line 1 is the file's line 6 + npath.
 */

/* Writes the proof as text; returns a new string. */
char	*proof_format(const struct proof *);
/*
 * Parses proof text; -1 with a message "line N: ..." in *err (a new
 * string) if it is malformed. Does not verify anything.
 */
int	proof_parse(const char *text, size_t len, struct proof *out,
	    char **err);
void	proof_release(struct proof *);

#endif
