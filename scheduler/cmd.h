/*
 * The command table: one struct cmd_entry per subcommand, each defined in
 * its own cmd-<verb>.c and listed in ssj.c (after tmux's cmd_table).
 */
#ifndef SSJ_CMD_H
#define SSJ_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

struct config;
struct db;
struct frame;

/* Exit statuses, documented in ssj(1). */
enum {
	EXIT_DONE = 0,		/* the command did what was asked */
	EXIT_FAILED = 1,	/* it ran and failed: a mismatch, infeasible */
	EXIT_USAGE = 2,		/* bad usage, plan or input; nothing changed */
};

/* Global options, the same for every command. */
struct ssj_ctx {
	const char	*db_path;	/* -D, else $SSJ_DB, else ./ssj.db */
	const char	*plan_path;	/* -f, else $SSJ_PLAN, else ./ssj.yaml */
	int		 plan_given;	/* -f or $SSJ_PLAN named the plan */
	int		 verbose;	/* -v */
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* after "ssj ": the SYNOPSIS form */
	const char	*summary;	/* one line for `ssj help` */
	/* argv[0] is the command's name; returns an EXIT_* status. */
	int		(*exec)(struct ssj_ctx *, int argc, char **argv);
};

extern const struct cmd_entry	 cmd_abort_entry;
extern const struct cmd_entry	 cmd_beacon_entry;
extern const struct cmd_entry	 cmd_check_entry;
extern const struct cmd_entry	 cmd_commit_entry;
extern const struct cmd_entry	 cmd_daemon_entry;
extern const struct cmd_entry	 cmd_draw_entry;
extern const struct cmd_entry	 cmd_export_entry;
extern const struct cmd_entry	 cmd_help_entry;
extern const struct cmd_entry	 cmd_import_entry;
extern const struct cmd_entry	 cmd_init_entry;
extern const struct cmd_entry	 cmd_keygen_entry;
extern const struct cmd_entry	 cmd_ledger_entry;
extern const struct cmd_entry	 cmd_notice_entry;
extern const struct cmd_entry	 cmd_publish_entry;
extern const struct cmd_entry	 cmd_replace_entry;
extern const struct cmd_entry	 cmd_report_entry;
extern const struct cmd_entry	 cmd_results_entry;
extern const struct cmd_entry	 cmd_run_due_entry;
extern const struct cmd_entry	 cmd_show_entry;
extern const struct cmd_entry	 cmd_sign_entry;
extern const struct cmd_entry	 cmd_snapshot_entry;
extern const struct cmd_entry	 cmd_status_entry;
extern const struct cmd_entry	 cmd_verify_entry;
extern const struct cmd_entry	 cmd_verify_signature_entry;
extern const struct cmd_entry	 cmd_witness_entry;
extern const struct cmd_entry	 cmd_rehearse_entry;

/* NULL-terminated, sorted by name. */
extern const struct cmd_entry	*cmd_table[];

const struct cmd_entry	*cmd_find(const char *name);
/* Prints "usage: ssj <usage>" on stderr and returns EXIT_USAGE. */
int			 cmd_usage(const struct cmd_entry *);
/*
 * Loads the plan named by the context, printing every message about it.
 * Returns NULL if it has errors, or if it does not exist and required is
 * set (or it was named explicitly); *missing says it did not exist.
 */
struct config		*cmd_load_plan(struct ssj_ctx *, int required,
			    int *missing);
/*
 * The key files a command uses: the ones named on its command line, else
 * the plan's, else ./ssj.pub and ./ssj.key. *pub and *sec (either may be
 * NULL) are new strings. With cfgp, the plan (or NULL when there is none)
 * is handed to the caller. -1 when a plan is there but has errors.
 */
int			 cmd_key_paths(struct ssj_ctx *, const char *pubarg,
			    const char *secarg, char **pub, char **sec,
			    struct config **cfgp);

/*
 * ssj status --json (cmd-status-json.c): the status's figures as JSON on
 * stdout; plan_missing tells a missing plan (cfg NULL) from a bad one.
 */
int			 cmd_status_json(struct db *, const struct config *,
			    const struct ssj_ctx *, int plan_missing,
			    day_t today);

/*
 * The steps of a batch, as commit, draw and export do them, for the
 * commands and for the schedule's engine (run-due, daemon). Each returns
 * an EXIT_* status and prints its summary unless quiet.
 */
struct witness;
struct reveal;
struct commit_opts {
	const char	*batch;
	struct witness	*witnesses;
	size_t		 nwitnesses;
	uint64_t	 round;		/* 0: the plan's margin */
	int64_t		 now;		/* the schedule's clock */
	const char	*reason;	/* --force: logged; or NULL */
	const char	*out;		/* NULL: BATCH.commitment.txt */
	int		 republish;
	int		 quiet;
};
int			 cmd_commit_batch(struct ssj_ctx *,
			    const struct config *, const struct commit_opts *,
			    uint64_t *round);
struct draw_opts {
	const char	*batch;
	struct reveal	*reveals;
	size_t		 nreveals;
	const char	*beacon_path;	/* NULL: the plan's command */
	const char	*beacon_text;	/* or the record itself, fetched */
	size_t		 beacon_len;
	int64_t		 now;
	int		 quiet;
	int		 failed;	/* set: the draw failed for good */
};
int			 cmd_draw_batch(struct ssj_ctx *, const struct config *,
			    struct draw_opts *);
int			 cmd_export_batch(struct ssj_ctx *, const char *batch,
			    const char *dir, int public, int quiet);
/*
 * A signed checkpoint of the whole ledger, recorded, written to out (NULL:
 * standard output) or, quietly, to outdir/checkpoint-SIZE.txt.
 */
int			 cmd_ledger_checkpoint(struct ssj_ctx *,
			    const char *secarg, const char *out,
			    const char *outdir);

/* The strata table of a draw or a rehearsal: N_h, n_h, n_h/N_h reduced. */
void			 cmd_print_strata(const struct frame *);

#endif
