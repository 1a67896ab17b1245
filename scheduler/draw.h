/*
 * The life of a batch's draw in the database: commit (freeze the frames,
 * record the commitment), abort, draw (check reveals and beacon, rebuild
 * the frames, select), and what export reads back. Every step is one
 * transaction and one ledger entry; a failed draw is logged as such.
 */
#ifndef SSJ_DRAW_H
#define SSJ_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "bundle.h"
#include "frame.h"

struct config;
struct db;
struct seckey;

enum batch_state {
	BATCH_OPEN,		/* nothing live: commit next */
	BATCH_COMMITTED,	/* a live commitment: draw or abort next */
	BATCH_DRAWN,		/* final */
};

struct batch_status {
	enum batch_state	 state;
	int64_t			 commitment;	/* live or drawn; 0 */
	int64_t			 draw;		/* 0 */
	int64_t			 attempts;	/* aborted and failed */
};

int	draw_batch_status(struct db *, const char *batch,
	    struct batch_status *);

struct commit_request {
	const char		*batch;
	struct witness		*witnesses;	/* names and hashes */
	size_t			 nwitnesses;
	uint64_t		 round;		/* 0: now + the plan's margin */
	uint64_t		 now;		/* unix time, for the round */
};

struct commit_result {
	int64_t			 commitment;
	uint64_t		 round;		/* the beacon round named */
	int64_t			 ledger;	/* its entry */
	char			*text;		/* commitment.txt */
	struct frame		 frame;		/* counts, strata, digests */
};

/*
 * Freezes the batch's frames and records a commitment (in the caller's
 * transaction). Returns 0, or -1 with a message; *usage set when the
 * refusal is the user's to fix (exit 2) rather than a failure.
 */
int	draw_commit(struct db *, const struct config *,
	    const struct commit_request *, struct commit_result *,
	    int *usage);
void	commit_result_release(struct commit_result *);
/*
 * A recorded commitment's text and ledger entry, to write its file again
 * when a crash came between the database and the file.
 */
int	draw_commitment_text(struct db *, int64_t commitment, char **text,
	    int64_t *ledger);

/* Records an aborted commitment; *ledger its entry. */
int	draw_abort(struct db *, int64_t commitment, const char *reason,
	    int64_t *ledger);

struct draw_request {
	const char		*batch;
	struct reveal		*reveals;
	size_t			 nreveals;
	const char		*beacon;	/* the record's text */
	size_t			 beaconlen;
	uint64_t		 now;		/* unix time */
};

struct draw_result {
	int64_t			 commitment;	/* the one drawn, or refused */
	int64_t			 draw;
	int64_t			 ledger;
	struct frame		 frame;
	uint64_t		 selected;
	unsigned int		 team_size;	/* sworn, and experts */
	unsigned int		 experts;
	uint64_t		 inspectors_used;
	uint64_t		 max_load;
	uint32_t		 min_eligible;	/* the least choice */
	char			*failure;	/* why a draw was refused */
};

/*
 * Draws the batch (in the caller's transaction). On a refusal (a reveal,
 * the beacon, or frames that no longer match) returns -1 with
 * result->failure set: the caller rolls back and records the attempt
 * with draw_record_failure().
 */
int	draw_run(struct db *, const struct config *,
	    const struct draw_request *, struct draw_result *);
int	draw_record_failure(struct db *, int64_t commitment,
	    const char *reason, int64_t *ledger);
void	draw_result_release(struct draw_result *);

/* What export needs of a drawn batch. */
struct drawn {
	int64_t			 commitment;
	int64_t			 draw;
	int64_t			 ledger;	/* the draw's entry */
	int64_t			 snapshot;
	struct frame_prior	 prior;
	int64_t			 plan_version;
	char			*commitment_text;
	char			*beacon;
	size_t			 beaconlen;
	struct manifest		 manifest;	/* without files */
	struct buf		*selection;	/* selection.txt, full */
	struct buf		*public_selection;
	struct buf		 teams;		/* draw_load_teams */
	struct buf		 replacements;
};

int	draw_load(struct db *, const char *batch, struct drawn *);
/* teams.txt and replacements.txt, and the manifest's count of the latter. */
int	draw_load_teams(struct db *, struct drawn *, unsigned int team_size);
/* names.txt: the name of every inspector of the teams (public_names). */
int	draw_load_names(struct db *, const struct drawn *, struct buf *);
void	drawn_release(struct drawn *);

/* The plan a batch was committed under, as it was then. */
struct config *draw_plan(struct db *, int64_t plan_version);
/*
 * Every commitment's frames rebuilt from its snapshot's revisions and
 * compared with it, each difference a problem of the report ('ssj ledger
 * verify'): a ledger_check_fn.
 */
struct ledger_report;
int	draw_check_frames(struct db *, struct ledger_report *);
/*
 * A drawn batch's frames rebuilt from its committed snapshot (writing the
 * files flags ask for into dir) and checked against the commitment.
 */
int	draw_rebuild_frames(struct db *, const struct config *,
	    const struct drawn *, const struct config_task *,
	    const struct config_batch *, int flags, const char *dir,
	    struct frame *);

struct replace_request {
	const char		*batch;
	const char		*target;	/* its id */
	const char		*inspector;	/* the credential off it */
	const char		*reason;
};

struct replace_result {
	uint64_t		 number;	/* the batch's n-th */
	size_t			 rank;		/* of the target */
	size_t			 slot;
	uint32_t		 chosen_index;
	char			 drawn[40];	/* the credential drawn */
	char			 target[24];	/* its id */
	int64_t			 ledger;
	int			 usage;		/* the user's to fix */
};

/*
 * §9.6: a replacement draw (in the caller's transaction), from the
 * teams as the draw and the earlier replacements left them.
 */
int	draw_replace(struct db *, const struct replace_request *,
	    struct replace_result *);
/*
 * The inspector (req->target unused) off every team of the batch that
 * has them, in rank order, each a replacement draw as above (in the
 * caller's transaction: all or none). *res, *nres the replacements (a
 * new array); *usage when the refusal is the user's to fix.
 */
int	draw_replace_all(struct db *, const struct replace_request *,
	    struct replace_result **res, size_t *nres, int *usage);

/*
 * ssj rehearse: the batch's frames as a commit would build them now,
 * selected and staffed under a throwaway seed, nothing written (the
 * caller opens the database read-only). Unstaffed targets leave
 * result->failure set, a warning; -1 with *usage as in draw_commit.
 */
int	draw_rehearse(struct db *, const struct config *, const char *batch,
	    struct draw_result *, int *usage);

#endif
