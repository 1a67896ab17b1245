/*
 * The schedule: what is due when, as pure functions of the plan, the
 * clock and each batch's state (no database, no files). Every time is
 * unix seconds; every time shown is Beijing time (UTC+8, no DST).
 */
#ifndef SSJ_SCHEDULE_H
#define SSJ_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

struct config;
struct config_task;
struct config_batch;

#define SCHEDULE_TZ		(8 * 3600)	/* Asia/Shanghai */
#define SCHEDULE_TIME_LEN	40	/* "YYYY-MM-DD HH:MM:SS Beijing time" */

enum schedule_state {
	SCHEDULE_PLANNED,	/* not committed yet */
	SCHEDULE_COMMITTED,	/* round R, due at T */
	SCHEDULE_DRAWN,
	SCHEDULE_EXPORTED,
	SCHEDULE_ABORTED,	/* its commitment aborted, none live */
	SCHEDULE_OVERDUE,	/* its window is over, never committed */
	SCHEDULE_FAILED,	/* the live commitment has a failed draw */
};

enum schedule_step {
	SCHEDULE_NONE,		/* nothing more to do */
	SCHEDULE_COMMIT,
	SCHEDULE_DRAW,
	SCHEDULE_EXPORT,
	SCHEDULE_MANUAL,	/* a person must act: see why */
};

/* What the database and the export directory say of a batch. */
struct schedule_facts {
	int		 committed;	/* a live commitment */
	int		 drawn;
	int		 aborted;	/* an aborted commitment, none live */
	int		 failed;	/* the live commitment failed a draw */
	uint64_t	 round;		/* of the live or drawn commitment */
	int		 exported;	/* its bundle is in the export dir */
};

struct schedule_item {
	const struct config_task	*task;
	const struct config_batch	*batch;
	enum schedule_state		 state;
	enum schedule_step		 step;
	int64_t				 due;	/* when step is due; 0 */
	int				 ready;	/* due <= now */
	uint64_t			 round;	/* committed, or 0 */
	const char			*why;	/* SCHEDULE_MANUAL: what to do */
};

/* Unix time of a Beijing date and minute of the day. */
int64_t		 schedule_local(day_t, int minute);
/* "2026-04-08 09:00 Beijing time" (seconds shown when not zero). */
char		*schedule_format(int64_t, char out[SCHEDULE_TIME_LEN]);
/*
 * Parses a moment: "YYYY-MM-DD HH:MM[:SS]" or with a 'T', in Beijing
 * time, or the same ending in 'Z' (UTC), or "@SECONDS" (unix time).
 * Returns 0, or -1 (no message).
 */
int		 schedule_parse(const char *, int64_t *);
/*
 * The clock: arg (--now) if not NULL, else $SSJ_NOW if set, else the
 * system clock. -1 with a message when the one given is not a moment.
 */
int		 schedule_now(const char *arg, int64_t *);

/* When the batch's commitment is made: its draw date at the plan's time. */
int64_t		 schedule_commit_time(const struct config *,
		    const struct config_batch *);
/* The end of its inspection window: midnight after the last day. */
int64_t		 schedule_window_end(const struct config_batch *);
/* The first beacon round out at or after t, and when a round is out. */
uint64_t	 schedule_round_after(const struct config *, int64_t t);
int64_t		 schedule_round_time(const struct config *, uint64_t round);
/* The round a commitment made at now names: the plan's delay after. */
uint64_t	 schedule_commit_round(const struct config *, int64_t now);
/*
 * Whether a commitment may be made now: 0, or -1 with the reason
 * (when it may, in Beijing time) written to msg.
 */
int		 schedule_commit_check(const struct config *,
		    const struct config_batch *, int64_t now, char *msg,
		    size_t len);

/* A batch's state and next step at now. */
void		 schedule_batch(const struct config *,
		    const struct config_task *, const struct config_batch *,
		    const struct schedule_facts *, int64_t now,
		    struct schedule_item *);
const char	*schedule_state_name(enum schedule_state);
const char	*schedule_step_name(enum schedule_step);

#endif
