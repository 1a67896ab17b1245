/*
 * The report site's pages (ssj report) from the figures of the batches
 * drawn: the index, a page per task and one per batch, each in six parts
 * -- coverage, where, who, what was found, timeliness, integrity -- as
 * charts (svg.h) with their tables (site.h). The figures come from the
 * database (scheduler/cmd-report.c); nothing here reads it.
 */
#ifndef SSJ_PAGES_H
#define SSJ_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

struct buf;
struct config;
struct config_batch;
struct config_task;

/*
 * Counts by key: up to TALLY_COLS columns each. A stratum's columns
 * S_RNUM on hold the plan's ratio (num, den) and its floor and ceiling
 * per batch (+ 1; 0: none): set once, not summed.
 */
#define TALLY_COLS	8
struct pages_tally {
	char		**key;
	uint64_t	(*v)[TALLY_COLS];
	size_t		  n;
	size_t		 *slot;		/* open addressing: index + 1, 0 free */
	size_t		  cap;		/* slots, a power of two */
};

/* Columns of the tallies. */
enum { S_POOL, S_DRAWN, S_PROBLEMS, S_CHECKED, S_RNUM, S_RDEN, S_MIN,
    S_MAX };
enum { T_ONTIME, T_LATE, T_OVERDUE, T_OPEN };
enum { I_ROWS, I_PROBLEMS };

/* What one batch adds to the pages that show it. */
struct pages_view {
	struct pages_tally	 strata;	/* "type\tclass": pool, drawn, ... */
	struct pages_tally	 divisions;	/* targets */
	struct pages_tally	 industries;	/* targets */
	struct pages_tally	 loads;		/* credential: targets */
	struct pages_tally	 depts;		/* department of each credential */
	struct pages_tally	 reasons;	/* replacements */
	struct pages_tally	 codes;		/* result rows per code */
	struct pages_tally	 items;		/* rows, with a problem */
	struct pages_tally	 timely;	/* department: T_* */
	uint64_t	 targets;
	uint64_t	 replacements;
	uint64_t	 unentered;	/* targets without any result */
	int64_t		 cap;		/* the plan's per inspector, or 0 */
	const char	*cap_what;	/* of a batch or of the year */
};

struct pages_batch {
	char				*id;
	int64_t				 commitment;
	int64_t				 draw;
	int64_t				 plan_version;
	int64_t				 snapshot;
	int64_t				 round;
	int64_t				 ledger;
	int64_t				 attempts;
	int64_t				 aborts;
	char				*committed_at;
	char				*drawn_at;
	char				*witnesses;
	char				*seed;
	const struct config		*cfg;
	const struct config_task	*task;
	const struct config_batch	*cb;
	struct pages_view			 v;
};


/* What the pages show: the batches of the period, in draw order. */
struct pages_site {
	int			 public;
	uint64_t		 threshold;	/* public: smallest class */
	day_t			 today;
	char			*period;	/* "2026年度", for titles */
	struct pages_batch	*b;
	size_t			 nb;
};

/* Adds n to key's column col (the plan's figures are set once). */
void	pages_tally_add(struct pages_tally *, const char *key, int col,
	    uint64_t n);
/* Frees a batch's strings and figures (not its plan). */
void	pages_batch_release(struct pages_batch *);

/* Receives each file of the site: 0, or -1 (said why) to stop. */
typedef int	(*pages_put)(void *arg, const char *name,
		    const struct buf *body);
/* Every page and the stylesheet, through put; 0 or -1. */
int	pages_write(const struct pages_site *, pages_put, void *arg);

#endif
