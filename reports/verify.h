/*
 * Replaying a draw from its verification bundle, with no database.
 */
#ifndef SSJ_VERIFY_H
#define SSJ_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "keys.h"

/*
 * The largest file a verifier reads (docs/protocol.md §8): the targets
 * frame, the small files (manifest, commitment, beacon record, key,
 * parameters, signatures), every other file.
 */
#define VERIFY_TARGETS_MAX	((off_t)16 << 30)
#define VERIFY_SMALL_MAX	((off_t)1 << 20)
#define VERIFY_FILE_MAX		((off_t)1 << 30)

enum verify_status {
	VERIFY_IDENTICAL = 0,	/* exit 0 */
	VERIFY_DIFFERS = 1,	/* exit 1: the first difference is named */
	VERIFY_MALFORMED = 2,	/* exit 2: unreadable or not a bundle */
};

struct verify_result {
	enum verify_status	 status;
	char			*difference;	/* why, when not identical */
	int			 public;
	size_t			 ntargets;	/* full bundles: the frame's */
	uint64_t		 selected;
	uint64_t		 replacements;
	uint64_t		 round;		/* the beacon round */
	char			 chain[65];
	char			 key_id[KEY_ID_LEN];
};

/*
 * Verifies the bundle in dir with the public key in pubpath (NULL: the
 * bundle's own ssj.pub). Returns 0 when every check passes; -1 otherwise,
 * with res->status and res->difference saying why.
 */
int	verify_bundle(const char *dir, const char *pubpath,
	    struct verify_result *);
void	verify_result_release(struct verify_result *);

#endif
