/*
 * The frames of a batch (docs/protocol.md §2): the pool of targets with
 * their strata, the eligible inspectors, the conflict pairs, the excluded
 * and the parameters, built from the registries as of one snapshot, as
 * canonical text files with their digests -- and read back by a verifier.
 */
#ifndef SSJ_FRAME_H
#define SSJ_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto.h"
#include "dsr.h"

struct config;
struct config_batch;
struct config_task;
struct db;

enum frame_file {
	FRAME_TARGETS,
	FRAME_INSPECTORS,
	FRAME_CONFLICTS,
	FRAME_EXCLUDED,
	FRAME_PARAMETERS,
	FRAME_NFILES
};

/* "targets.txt", ... and the commitment's "targets-blake2b-256", ... */
extern const char *const frame_file_names[FRAME_NFILES];
extern const char *const frame_digest_names[FRAME_NFILES];

#define FRAME_CERTAIN	"certain"

struct frame_stratum {
	char		 name[32];	/* "certain" or a class code */
	uint64_t	 population;	/* N_h */
	uint64_t	 num;		/* quota: num/den, min, max (-1) */
	uint64_t	 den;
	int64_t		 min;
	int64_t		 max;
	uint64_t	 sample;	/* n_h */
};

struct frame {
	/* sorted by id; FRAME_KEEP_TARGETS (or frame_load_sample's sample) */
	struct dsr_target	*targets;
	size_t			 ntargets;	/* the pool's size */
	size_t			 cap;		/* room in targets (parsing) */
	/*
	 * FRAME_KEEP_SHAPE: what the feasibility check needs of the pool,
	 * not the pool: a target of each of its divisions (id empty), then
	 * each of its targets that conflicts.txt names, by id.
	 */
	struct dsr_target	*shape;
	size_t			 nshape;
	struct frame_stratum	 strata[DSR_MAX_STRATA];
	size_t			 nstrata;
	uint64_t		 ninspectors;
	uint64_t		 nconflicts;
	uint64_t		 nexcluded;
	int64_t			 snapshot;
	char			*text[FRAME_NFILES];	/* inspectors, conflicts, */
	size_t			 len[FRAME_NFILES];	/*   parameters; all if kept */
	unsigned char		 digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES];
};

enum frame_flags {
	FRAME_KEEP_TEXT = 1 << 0,	/* keep every file's text in memory */
	FRAME_KEEP_TARGETS = 1 << 1,	/* fill targets, for a draw */
	FRAME_STORE = 1 << 2,		/* keep the files (framestore.h) */
	/* Read the revisions even when the current tables would do. */
	FRAME_REVISIONS = 1 << 3,
	FRAME_KEEP_SHAPE = 1 << 4,	/* fill shape, for a commit */
};
/* Write file f (an enum frame_file) into the directory given. */
#define FRAME_WRITE(f)	(1 << (8 + (f)))

/* The earlier draws a frame counts: ids up to these (0: none). */
struct frame_prior {
	int64_t		 draw;
	int64_t		 replacement;
};

/* The current enterprises of one risk class ("" for none), and how many. */
struct frame_class_count {
	char		*class;
	uint64_t	 n;
};
void	frame_class_counts_free(struct frame_class_count *, size_t);

/*
 * Rewrites the frame image (schema v6) from the current tables, in the
 * caller's transaction: the imports call it after changing them. 1 if
 * an image was made, with the enterprises it counted by class in
 * *counts (free them), if counts is not NULL; 0 if the registry is one
 * no image describes (the commits then read the current tables); -1 on
 * a failure.
 */
int	frame_image_update(struct db *, struct frame_class_count **counts,
	    size_t *ncounts);

/*
 * The same from the current enterprises next(arg, row) gives in key order
 * (1 for a row, 0 at the end, -1 on failure) and the classes of risk_cur:
 * for an import that holds them in memory. The strings are not
 * NUL-terminated.
 */
struct frame_image_row {
	const char	*uscc;
	size_t		 uscc_len;
	const char	*division;
	size_t		 division_len;
	int		 active;		/* 存续 or 在业 */
	int		 abnormal;
	int		 serious;
};
int	frame_image_write(struct db *,
	    int (*next)(void *, struct frame_image_row *), void *,
	    struct frame_class_count **counts, size_t *ncounts);

/*
 * The selection sel[0..nsel) (indices into the frame's targets, in rank
 * order) by id: each one's index << 32 | rank, rank from 1; free it.
 */
uint64_t *frame_selection_by_id(const size_t *sel, size_t nsel);
/*
 * The selection as draw_summary keeps it (schema v6): each selected id
 * packed with its rank, by id, for the later commits' history.
 */
struct buf;
void	frame_selection_keys(const struct frame *, const uint64_t *by_id,
	    size_t nsel, struct buf *out);

/*
 * Builds the frames of a batch of task from the registries as of
 * snapshot, counting the draws and replacements up to prior; writes
 * the files flags ask for (FRAME_WRITE) into dir, each whole or not at
 * all. Returns 0, or -1 with a message.
 */
int	frame_build(struct db *, const struct config *,
	    const struct config_task *, const struct config_batch *,
	    int64_t snapshot, const struct frame_prior *prior, int flags,
	    const char *dir, struct frame *);

/*
 * The frames of a commitment as frame_build(FRAME_STORE) kept them, by
 * their digests: each file read back, re-hashed and compared, written
 * into dir as flags ask, its text and targets kept as frame_build keeps
 * them. Returns 0; 1 when a file is not kept (an older commitment:
 * rebuild it); -1 with a message, a kept file that changed among them.
 */
int	frame_load(struct db *, int64_t snapshot,
	    unsigned char digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES],
	    int flags, const char *dir, struct frame *);
/*
 * frame_load for a draw of a province: of the targets, only the sample
 * a draw with ticket key key selects (§7) is kept -- fr->targets holds
 * it in id order, *sel (free it) its indices in selection order, *nsel
 * of them -- and fr->ntargets is the pool's size. The pool is never held
 * whole: each target's ticket is made as its line is read.
 */
int	frame_load_sample(struct db *, int64_t snapshot,
	    unsigned char digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES],
	    const unsigned char key[DSR_TICKET_KEY_BYTES], struct frame *,
	    size_t **sel, size_t *nsel);
/*
 * parameters.txt made again from the plan given and the strata counts of
 * frames frame_load read: its digest, for the draw to check that the plan
 * is the one committed to.
 */
int	frame_check_parameters(const struct config *,
	    const struct config_task *, const struct config_batch *,
	    const struct frame *, unsigned char digest[CRYPTO_DIGEST_BYTES]);
/*
 * Reads a frame's targets and parameters back from their text (a
 * verifier's side): fills targets (tickets not computed) and strata.
 * -1 with "FILE:LINE: message" in *err (a new string).
 */
int	frame_parse(const char *targets, size_t tlen, const char *parameters,
	    size_t plen, struct frame *, char **err);
/*
 * The same, reading targets.txt from fp line by line, so that its text
 * is never held whole; in the same reading its BLAKE2b-256 digest and,
 * unless prehash is NULL, its BLAKE2b-512 (a signature's prehash).
 * -1 with *err if fp cannot be read to its end. Otherwise 0 with both
 * digests of the whole file, and the frame parsed -- or, when it is not
 * a frame's, the frame empty and "FILE:LINE: message" in *err. With a
 * ticket key, only the sample it selects is kept, as frame_load_sample
 * keeps it (sel and nsel); else sel and nsel are not used.
 */
int	frame_read_targets(FILE *fp, const char *parameters, size_t plen,
	    const unsigned char *key, struct frame *,
	    unsigned char digest[CRYPTO_DIGEST_BYTES],
	    unsigned char prehash[CRYPTO_DIGEST512_BYTES], size_t **sel,
	    size_t *nsel, char **err);
void	frame_release(struct frame *);
/*
 * The next line of a frame's text as [*line, *line + *len), without its
 * LF: 1, or 0 at the end, -1 for a last line with no LF.
 */
int	frame_next_line(const char **p, const char *end, const char **line,
	    size_t *len);

#endif
