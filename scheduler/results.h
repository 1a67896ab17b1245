/*
 * Results of a drawn batch (一公开): the result codes, the template the
 * inspectors fill in, imports as revisions that are never overwritten,
 * review (审核) and the 20-working-day publication deadline.
 */
#ifndef SSJ_RESULTS_H
#define SSJ_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "calendar.h"
#include "csvfile.h"
#include "gsxt.h"

struct config;
struct config_batch;
struct config_task;
struct db;

/* One 检查结果 of domain.md §4.3 (Zhejiang's list, the codes it stores). */
struct result_code {
	const char	*code;
	const char	*name;
	const char	*alias;		/* GSXT wording, or NULL */
	int		 exclusive;	/* cannot be combined with another */
	int		 problem;	/* a problem was found */
};

extern const struct result_code	 result_codes[];
extern const size_t		 result_ncodes;

/*
 * Parses a 检查结果 cell: codes or names, several separated by commas or
 * semicolons where the list allows. Appends the codes, in list order and
 * comma-separated, to out; -1 with *why (a new string) if it is not one.
 */
int	results_parse_codes(const char *, size_t, struct buf *out,
	    char **why);
/* The names of comma-separated codes, joined by sep. */
void	results_code_names(const char *codes, const char *sep,
	    struct buf *out);

/* The 检查方式 (check methods). */
extern const char *const	 result_methods[];

/* Review states per target, as the result_state view names them. */
#define RESULT_NONE		"未录入"
#define RESULT_PENDING		"待审核"
#define RESULT_RETURNED		"退回"
#define RESULT_APPROVED		"已审核"
#define RESULT_PUBLISHED	"已公示"

/* Results are published within this many working days of completion. */
#define RESULT_DEADLINE_DAYS	20
/* `ssj status` warns of what falls due within this many. */
#define RESULT_DUE_SOON_DAYS	5

/* A drawn batch with the plan it was committed under. */
struct results_batch {
	char				*batch;
	int64_t				 commitment;
	int64_t				 draw;
	int64_t				 snapshot;
	struct config			*cfg;	/* as committed */
	const struct config_task	*task;
	const struct config_batch	*cbatch;
};

/*
 * Loads a drawn batch; -1 with a message (*usage set when the batch is
 * not drawn or unknown: the user's to fix).
 */
int	results_batch_load(struct db *, const char *batch,
	    struct results_batch *, int *usage);
void	results_batch_release(struct results_batch *);

/*
 * The template as UTF-8 CSV: one row per drawn target and item of the
 * task (joint tasks: the item's department), its current team.
 */
int	results_template(struct db *, const struct results_batch *,
	    struct buf *out);

struct results_import_options {
	enum csv_encoding	 encoding;
	/* Where bad rows go; NULL: any bad row refuses the whole file. */
	const char		*reject_path;
	day_t			 today;
};

struct results_import_stats {
	int		 refused;	/* bad input: nothing was imported */
	uint64_t	 rows;		/* data rows read */
	uint64_t	 blank;		/* template rows not filled in */
	uint64_t	 unchanged;	/* as their latest revision */
	uint64_t	 revisions;	/* new revisions written */
	uint64_t	 corrections;	/* of which change an earlier one */
	uint64_t	 rejected;
	int64_t		 import;	/* result_import id; 0 if none */
	int64_t		 ledger;
};

/*
 * Imports a filled-in template (one transaction, one ledger entry),
 * reporting every bad row as "FILE:LINE: column 'X': reason". Returns 0
 * when done or refused (stats->refused, the database unchanged), -1 on
 * any other failure.
 */
int	results_import(struct db *, const struct results_batch *,
	    const char *path, const struct results_import_options *,
	    struct results_import_stats *);

/* The targets with their states, or one target's whole history. */
int	results_show(struct db *, const struct results_batch *,
	    const char *target, FILE *);

enum review_action {
	REVIEW_APPROVE,
	REVIEW_RETURN,
};

struct review_request {
	enum review_action	 action;
	int			 all;		/* every target 待审核 */
	char			**targets;
	size_t			 ntargets;
	const char		*by;
	const char		*reason;	/* return: required */
};

struct review_result {
	int64_t		 review;
	int64_t		 ledger;
	size_t		 targets;
	int		 usage;		/* the refusal is the user's to fix */
};

/* Records one review action in the caller's transaction. */
int	results_review(struct db *, const struct results_batch *,
	    const struct review_request *, struct review_result *);

/* What `ssj publish` publishes: the approved targets not yet published. */
struct publish_set {
	struct gsxt_record	*records;	/* first publications, then */
	size_t			 nrecords;	/*   corrections (更正) */
	size_t			 ncorrections;
	char			**uscc;		/* per record */
	int64_t			*upto;
	int64_t			*replaces;	/* publication id; 0 */
	int64_t			 number;	/* this publication's */
	uint64_t		 published;	/* targets already 已公示 */
	uint64_t		 waiting;	/* not yet approved */
};

/* The approved results of a batch as GSXT records; none is fine. */
int	results_publish_collect(struct db *, const struct results_batch *,
	    struct publish_set *);
void	publish_set_release(struct publish_set *);
/* The published (已公示) results as records, for the result notice. */
int	results_published(struct db *, const struct results_batch *,
	    struct publish_set *);

/* A drawn target as the task notice lists it. */
struct drawn_target {
	char	*uscc;
	char	*name;
	char	*division;	/* of registration, GB/T 2260 */
	char	*names;		/* the team's names, 、-separated */
};

int	results_drawn_targets(struct db *, const struct results_batch *,
	    struct drawn_target **, size_t *);
void	drawn_targets_free(struct drawn_target *, size_t);
/*
 * Records the publication (in the caller's transaction): its targets
 * become 已公示; *ledger is its entry, for the signatures.
 */
int	results_publish_record(struct db *, const struct results_batch *,
	    const struct publish_set *, const char *manifest,
	    const char *digest_hex, int64_t *ledger);

/*
 * The deadlines: for every batch, per department, the results overdue
 * and due within RESULT_DUE_SOON_DAYS working days of today, by the
 * plan's calendar. Prints them; *overdue counts the targets overdue.
 */
int	results_due(struct db *, const struct config *, day_t today,
	    FILE *, uint64_t *overdue, uint64_t *soon);
/* The same under a heading, for `ssj status`. */
int	results_print_due(struct db *, const struct config *, day_t today,
	    FILE *, uint64_t *overdue);

#endif
