/*
 * Where a commitment's frame files are kept, for draw and export to read
 * back instead of rebuilding them: files beside the database named by
 * their BLAKE2b-256 (schema 9), or chunks inside it (older commitments,
 * and databases with no file of their own).
 */
#ifndef SSJ_FRAMESTORE_H
#define SSJ_FRAMESTORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "file.h"

struct db;
struct db_stmt;

/* The files of one frame being kept, in the caller's write transaction. */
struct frame_store {
	struct db	*db;
	char		*dir;		/* beside the database; NULL: chunks */
	int64_t		 next_chunk;	/* the next chunk's id */
};

/* One file being kept. */
struct frame_store_out {
	struct frame_store	*store;
	struct file_out		 file;
	int			 writing;	/* to file, */
	unsigned char		*block;		/*   by blocks not yet written */
	size_t			 blocklen;
	int			 direct;	/*   with O_DIRECT */
	struct db_stmt		*insert;	/* chunks */
	struct buf		 chunk;
	int64_t			 head;
	uint64_t		 size;
	int			 failed;
};

/* The size of the chunks kept in the database: 1 MiB (tests make it less). */
extern size_t	frame_chunk_bytes;

/*
 * Ready to keep files, in a write transaction; removes the files a
 * commit that failed or was killed left beside the database. -1 said why.
 */
int	frame_store_open(struct frame_store *, struct db *);
void	frame_store_close(struct frame_store *);
/* Starts keeping a file; -1 said why. */
int	frame_store_out_open(struct frame_store *, struct frame_store_out *);
void	frame_store_add(struct frame_store_out *, const void *, size_t);
/*
 * Keeps the file under its digest, or drops it when it is kept already
 * (the same inspectors, another batch's frames); always releases. -1
 * said why.
 */
int	frame_store_out_commit(struct frame_store_out *,
	    const unsigned char digest[CRYPTO_DIGEST_BYTES]);
void	frame_store_out_abort(struct frame_store_out *);

/*
 * Whether the file of that digest is kept (1, with its size), not (0:
 * rebuild it), or -1 on error. For messages, unless NULL: where it is
 * (free it) and what to do if it no longer matches its digest.
 */
int	frame_store_find(struct db *,
	    const unsigned char digest[CRYPTO_DIGEST_BYTES], int64_t *size,
	    char **where, const char **advice);
/* The file's bytes in order to fn; -1 said why. */
int	frame_store_read(struct db *,
	    const unsigned char digest[CRYPTO_DIGEST_BYTES],
	    void (*fn)(void *, const void *, size_t), void *arg);

#endif
