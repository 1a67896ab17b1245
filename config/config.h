/*
 * The plan (ssj.yaml): authority, item list, risk classes and sampling
 * ratios, tasks and batches, calendar. config.c is the only user of
 * libyaml; every error carries FILE:LINE:COL. Documented in ssj.yaml(5).
 */
#ifndef SSJ_CONFIG_H
#define SSJ_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "calendar.h"

#define CONFIG_VERSION	1	/* the plan format this build reads */

/* An exact fraction num/den in [0, 1]: "2.5%" is 25/1000, never a float. */
struct ratio {
	uint64_t	num;
	uint64_t	den;
};

/* Where a node of the plan starts, 1-based, for later messages. */
struct config_pos {
	const char	*file;		/* borrowed from the config */
	int		 line;
	int		 col;
};

struct config_department {
	char		*code;		/* e.g. "ZL" */
	char		*name;		/* e.g. "质量发展科" */
};

struct config_division {
	char		*code;		/* GB/T 2260, six digits */
	char		*name;
};

enum item_type {
	ITEM_GENERAL = 0,		/* 一般检查事项 */
	ITEM_KEY = 1,			/* 重点检查事项 */
	ITEM_NTYPES
};

/* One entry of the 随机抽查事项清单. */
struct config_item {
	char		*code;
	char		*name;
	char		*basis;		/* legal basis (抽查依据) */
	enum item_type	 type;
	char		*department;	/* responsible department's code */
	char		*qualification;	/* inspectors need it; NULL if none */
};

struct config_class {
	char		*code;		/* "A" */
	char		*name;		/* "信用风险低" */
};

/* How many of a stratum to draw: clamp(ceil(N * ratio), min, max). */
struct config_quota {
	struct ratio	 ratio;
	int64_t		 min;		/* -1: no minimum */
	int64_t		 max;		/* -1: no maximum */
};

/* Target sets drawn with certainty (probability 1). */
enum config_certain {
	CERTAIN_ABNORMAL = 1 << 0,	/* 经营异常名录 */
	CERTAIN_SERIOUS = 1 << 1,	/* 严重违法失信名单 */
};

/* Sampling rules for one item type. */
struct config_sampling {
	struct config_quota	*quotas;	/* nclasses, in class order */
	unsigned		 certain;	/* CERTAIN_* flags */
};

/* 定向 filters: a target must match every non-empty list. */
struct config_filter {
	char		**industries;	/* GB/T 4754 code prefixes: "C307" */
	size_t		  nindustries;
	char		**divisions;	/* GB/T 2260 prefixes: "3602", "360281" */
	size_t		  ndivisions;
	char		**entity_types;	/* enterprise, individual, ... */
	size_t		  nentity_types;
	char		**certificates;	/* e.g. "CCC": holds at least one */
	size_t		  ncertificates;
};

/* A 安静生产期: no inspection visits in these areas on these days. */
struct config_quiet {
	char		 *name;
	char		**divisions;	/* prefixes, as in filters */
	size_t		  ndivisions;
	int		  monthly_from;	/* days of every month, 1..31; 0 if */
	int		  monthly_to;	/*   the period is a date range */
	day_t		  from;		/* date range, inclusive, when not */
	day_t		  to;		/*   monthly */
	char		**exempt_tasks;	/* task ids the period does not stop */
	size_t		  nexempt_tasks;
	struct config_pos pos;
};

struct config_batch {
	char		*id;
	char		*name;
	day_t		 draw_date;
	day_t		 window_from;	/* inspection window, inclusive */
	day_t		 window_to;
	struct config_pos pos;
	int		 commit_minute;	/* schedule: -1 = the plan's */
};

struct config_task {
	char			 *id;
	char			 *name;
	char			**items;	/* item codes */
	size_t			  nitems;
	enum item_type		  type;		/* KEY if any item is key */
	char			 *lead;		/* lead department code */
	char			**joint;	/* joint department codes */
	size_t			  njoint;
	int			  targeted;	/* 定向: a filter is set */
	struct config_filter	  filter;
	int			  team_size;	/* >= 2 sworn inspectors */
	int			  experts;	/* experts in addition; 0 = none */
	int			  cap_per_batch; /* per inspector; 0 = none */
	int			  cap_per_year;	/* per inspector; 0 = none */
	int			  exclude_same_item_year;
	int			  annual_cap;	/* per enterprise; 0 = none */
	int			  apply_quiet_periods;
	int			  rotation;	/* not the previous team */
	int			  public_names;	/* inspector names public */
	int			  public_list;	/* 抽查任务公告: drawn list public */
	struct config_batch	 *batches;
	size_t			  nbatches;
	struct config_pos	  pos;
};

/* The public randomness a commitment names a future round of (drand). */
struct config_beacon {
	char		*chain;		/* the chain hash, hex */
	int64_t		 genesis;	/* unix time of round 1 */
	int64_t		 period;	/* seconds between rounds */
	int64_t		 margin;	/* rounds ahead a commitment names */
	char		*command;	/* prints a round's record; "{round}" */
	char		*scheme;	/* drand's scheme id */
	char		*public_key;	/* the chain's key, hex */
};

/*
 * The schedule (ssj.yaml(5) 'schedule'): when ssj run-due and ssj daemon
 * commit, draw and export each batch. Times are Beijing time (UTC+8).
 */
struct config_schedule {
	int		  given;	/* the plan has a 'schedule' */
	int		  commit_minute; /* of the draw date; default 09:00 */
	int64_t		  delay;	/* s from commitment to the round */
	int64_t		  beacon_wait;	/* s past the round: then stuck */
	int		  retries;	/* beacon fetches per run */
	char		 *export_dir;	/* bundles go here; NULL: none */
	int		  export_public; /* also the public bundle */
	char		 *witness_dir;	/* NAME.hash, NAME.reveal by batch */
	char		**witnesses;	/* required for every batch */
	size_t		  nwitnesses;
};

struct config {
	char			 *path;		/* the plan file as given */
	unsigned char		  digest[32];	/* BLAKE2b-256 of its bytes */
	int			  version;
	char			 *plan_id;	/* 抽查计划编号 */
	char			 *plan_name;
	int			  year;
	char			 *authority;	/* 抽查机关 */
	char			 *division;	/* the authority's GB/T 2260 */
	struct config_department *departments;
	size_t			  ndepartments;
	struct config_division	 *divisions;	/* names for reports */
	size_t			  ndivisions;
	char			 *public_key;	/* paths, relative to the */
	char			 *secret_key;	/*   plan's directory resolved */
	struct calendar		  calendar;
	struct config_class	 *classes;	/* default A, B, C, D */
	size_t			  nclasses;
	struct config_item	 *items;
	size_t			  nitems;
	struct config_sampling	  sampling[ITEM_NTYPES];
	size_t			  unclassified;	/* class of the unclassified */
	struct config_beacon	  beacon;
	struct config_quiet	 *quiet;
	size_t			  nquiet;
	struct config_task	 *tasks;
	size_t			  ntasks;
	/* imports: max_removals (default 5%) and its text, for messages */
	struct ratio		  max_removals;
	char			 *max_removals_text;
	struct config_schedule	  schedule;
	/* report: a public report hides classes with fewer members */
	int			  report_public_min;
};

/* One message about the plan: "file:line:col: [warning: ]msg". */
struct config_error {
	char		*file;
	int		 line;		/* 1-based; 0 if unknown */
	int		 col;		/* 1-based; 0 if unknown */
	int		 warning;	/* 1: reported, but the plan loads */
	char		*msg;
};

struct config_errors {
	struct config_error	*v;
	size_t			 n;
	size_t			 nerrors;	/* n minus the warnings */
};

enum config_flags {
	CONFIG_NO_INCLUDE = 1 << 0,	/* refuse include files (fuzzing) */
};

/*
 * Loads and validates a plan. Every problem found is appended to errs
 * (which the caller initialises to zero and releases); returns NULL if
 * any of them is an error, the plan otherwise (free with config_free).
 */
struct config	*config_load(const char *path, struct config_errors *errs);
/* The same from memory; name is used in messages and to resolve includes. */
struct config	*config_load_buffer(const char *buf, size_t len,
		    const char *name, int flags, struct config_errors *errs);
void		 config_free(struct config *);
void		 config_errors_release(struct config_errors *);
/* Prints every message, one per line, in file order. */
void		 config_errors_print(const struct config_errors *, FILE *);
/* Prints the one-paragraph summary `ssj check` shows after "plan OK". */
void		 config_print_summary(const struct config *, FILE *);

/* Lookups: NULL or -1 when absent. */
const struct config_task  *config_find_task(const struct config *,
			    const char *id);
const struct config_batch *config_find_batch(const struct config *,
			    const char *id, const struct config_task **task);
const struct config_item  *config_find_item(const struct config *,
			    const char *code);
const struct config_department *config_find_department(
			    const struct config *, const char *code);
int			   config_find_class(const struct config *,
			    const char *code, size_t len);
/* The display name of a division code, or NULL. */
const char		  *config_division_name(const struct config *,
			    const char *code);

#endif
