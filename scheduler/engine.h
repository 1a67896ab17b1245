/*
 * The engine run-due and the daemon share: one pass over the plan's
 * batches doing every step that is due (commit, draw, export), with the
 * schedule's events recorded in the database and the ledger.
 */
#ifndef SSJ_ENGINE_H
#define SSJ_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "schedule.h"

struct config;
struct config_batch;
struct db;
struct ssj_ctx;

/* What a pass did and found. */
struct engine_report {
	size_t		 done;		/* steps done */
	size_t		 problems;	/* each logged as one line */
	int64_t		 next_due;	/* the next step's time; 0: none */
	char		 next[160];	/* "draw of batch 'X' at T" */
};

/*
 * Records an event of the schedule about batch (kind: commit, draw,
 * export, late, stuck, forced) at time at, with its ledger entry, in the
 * caller's transaction.
 */
int	engine_note(struct db *, const char *batch, int64_t at,
	    const char *kind, const char *detail);
/* What the database and the export directory say of a batch. */
int	engine_facts(struct db *, const struct config *,
	    const struct config_batch *, struct schedule_facts *);
/*
 * Does what is due at now, batch after batch; stops between steps when
 * *stop is set. Each event is logged (log_info), each problem too
 * (log_warnx) and counted. -1 when the database cannot be used at all.
 */
int	engine_run(struct ssj_ctx *, const struct config *, int64_t now,
	    volatile sig_atomic_t *stop, struct engine_report *);
void	engine_report_release(struct engine_report *);
/*
 * The plan, every error printed as FILE:LINE:COL: message (through the
 * log when logged, for the daemon), the warnings only when asked: a run
 * from cron mails what it prints, and 'ssj check' shows them.
 */
struct config *engine_load_plan(const char *path, int warnings,
	    int logged);

#endif
