/*
 * The ledger: an append-only log, in the database, of every event that
 * matters. Each entry is the canonical encoding of one event, rebuilt from
 * the rows it covers; the entries are the leaves of an RFC 6962 Merkle
 * tree whose heads are published as signed checkpoints.
 */
#ifndef SSJ_LEDGER_H
#define SSJ_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "merkle.h"

struct config;
struct db;
struct proof;
struct pubkey;
struct seckey;

/*
 * Appends the entry of an event about row ref of the table the event
 * covers (snapshot, plan, key, signature, finding), built from the
 * database exactly as `ledger verify` rebuilds it. Runs inside the
 * caller's transaction. *idx (may be NULL) is the new entry's index.
 */
int	ledger_append(struct db *, const char *event, int64_t ref,
	    int64_t *idx);

/*
 * Rows digested as their writer stores them, so that the entry need not
 * read them back. A snapshot's revisions: each row, in id order, begun
 * with its id (ledger_rows_begin returns 0, and takes no more rows, when
 * the id is not the next of the run), then every other column in the
 * table's order, then ended; what the run lacks at the end is read from
 * the table. A draw's selection, teams and assignments: each row begun
 * with ledger_rows_row, every column in order, in the order of the
 * table's key; taken only when they are all of the draw's rows. `ledger
 * verify` reads them all.
 */
struct bg;
struct ledger_rows {
	struct crypto_digest	 digest;
	struct bg		*hashing;	/* digest on a second thread */
	struct buf		 row;
	const char		*table;		/* whose rows */
	int64_t			 next;		/* the next row's id */
	int64_t			 n;		/* rows digested */
	int			 stopped;
};

void	ledger_rows_init(struct ledger_rows *, const char *table,
	    int64_t first_id);
int	ledger_rows_begin(struct ledger_rows *, int64_t id);
void	ledger_rows_row(struct ledger_rows *);
void	ledger_rows_int(struct ledger_rows *, int64_t);
void	ledger_rows_text(struct ledger_rows *, const char *, size_t);
void	ledger_rows_blob(struct ledger_rows *, const void *, size_t);
void	ledger_rows_end(struct ledger_rows *);
void	ledger_rows_release(struct ledger_rows *);
/* ledger_append of an event whose rows (n of them, by table) digested. */
int	ledger_append_rows(struct db *, const char *event, int64_t ref,
	    struct ledger_rows *, size_t n, int64_t *idx);

/*
 * Record, once, what later entries depend on: the plan's bytes when they
 * differ from the last recorded plan; a signing key the first time it
 * signs. *idx is the new entry, or -1 when nothing was recorded.
 */
int	ledger_note_plan(struct db *, const struct config *, int64_t *idx);
int	ledger_note_key(struct db *, const struct pubkey *, int64_t *idx);
/* Records the signature of a file (its base name and BLAKE2b-256). */
int	ledger_note_signature(struct db *, const char *kind, const char *id,
	    const char *file, const char *digest_hex, const char *key_id,
	    int64_t *idx);

/* One thing that does not hold. */
struct ledger_problem {
	int64_t	 idx;		/* the first entry concerned, or -1 */
	char	*key;		/* what a finding records, one line */
	char	*message;	/* for people */
	int	 acknowledged;	/* recorded by an earlier finding */
};

struct ledger_report {
	uint64_t		 size;		/* entries */
	int64_t			 checkpoint;	/* latest checkpoint id, or 0 */
	uint64_t		 checkpoint_size;
	uint64_t		 pending;	/* entries after it, but its own */
	int			 signature_checked;
	struct ledger_problem	*problems;	/* in ledger order */
	size_t			 nproblems;
	size_t			 nnew;		/* not acknowledged */
};

enum ledger_verify_flags {
	/*
	 * Skip what reads whole registries: the revisions and selections
	 * behind snapshot and draw entries. What an earlier full
	 * verification found (its alarms) is still reported.
	 */
	LEDGER_QUICK = 1 << 0,
};

/*
 * Rebuilds every entry from the rows it covers, checks that every covered
 * row is covered, recomputes the tree and compares it with every stored
 * checkpoint (and their signatures when pk is not NULL). Returns 0 with
 * the report filled in (problems or not), -1 if it could not run. A full
 * verification records what it finds as alarms, which block
 * ledger_guard() until a finding records them.
 */
int	ledger_verify(struct db *, const struct pubkey *pk, int flags,
	    struct ledger_report *);
/*
 * The same, with a check of what the covered rows imply (draw.c's frames
 * rebuilt from their snapshots) run by a full verification: it adds what
 * does not hold with ledger_add_problem, so that findings acknowledge and
 * alarms block it as any other problem.
 */
typedef int	(*ledger_check_fn)(struct db *, struct ledger_report *);
int	ledger_verify_with(struct db *, const struct pubkey *pk, int flags,
	    ledger_check_fn, struct ledger_report *);
/* Adds a problem: key and message are the report's, to free. */
void	ledger_add_problem(struct ledger_report *, int64_t idx, char *key,
	    char *message);
void	ledger_report_release(struct ledger_report *);
/*
 * For commands that extend the ledger: the quick verification; -1 with a
 * message saying what to do when the ledger has problems (or alarms) no
 * finding has recorded.
 */
int	ledger_guard(struct db *);
/* Records every unacknowledged problem in a finding; *idx its entry. */
int	ledger_acknowledge(struct db *, const char *reason, const char *who,
	    int64_t *idx, size_t *nrecorded);

/*
 * The ledger's origin line: "ssj/<division>/<database id>", fixed by the
 * first checkpoint. Returns a new string.
 */
char	*ledger_origin(struct db *, const struct config *);
/* Signs and stores a checkpoint of the whole ledger; *note a new string. */
int	ledger_checkpoint(struct db *, const char *origin,
	    const struct seckey *, char **note, uint64_t *size);
/* The proof that entry idx is in the latest checkpoint. */
int	ledger_prove(struct db *, uint64_t idx, struct proof *);

#endif
