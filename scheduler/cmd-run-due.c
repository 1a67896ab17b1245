/*
 * ssj run-due: does what the plan's schedule says is due now -- commits,
 * draws, exports -- and nothing else, for cron; exit 1 with one line per
 * problem when something is stuck.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "daemon.h"
#include "engine.h"
#include "log.h"
#include "schedule.h"

static int	cmd_run_due_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_run_due_entry = {
	.name = "run-due",
	.usage = "run-due [--now time]",
	.summary = "do the schedule's steps that are due: commit, draw, export",
	.exec = cmd_run_due_exec,
};

static int
cmd_run_due_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct engine_report		 r;
	struct config			*cfg = NULL;
	const char			*nowarg = NULL;
	int64_t				 now;
	int				 ch, fd = -1, ret = EXIT_USAGE;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'n')
			return cmd_usage(&cmd_run_due_entry);
		nowarg = optarg;
	}
	if (argc != optind)
		return cmd_usage(&cmd_run_due_entry);
	if (schedule_now(nowarg, &now) == -1 ||
	    (cfg = engine_load_plan(ctx->plan_path, log_getverbose(), 0)) ==
	    NULL)
		goto out;
	ret = EXIT_FAILED;
	/* Never two engines on one database: a second run waits for none. */
	if (daemon_lock(ctx->db_path, &fd) == -1)
		goto out;
	if (engine_run(ctx, cfg, now, NULL, &r) == -1) {
		engine_report_release(&r);
		goto out;
	}
	if (log_getverbose() && r.next_due != 0)
		log_info("next: %s", r.next);
	ret = r.problems > 0 ? EXIT_FAILED : EXIT_DONE;
	engine_report_release(&r);
out:
	if (fd != -1)
		close(fd);
	config_free(cfg);
	return ret;
}
