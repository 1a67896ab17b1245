/*
 * ssj daemon: the run-due engine on a timer, one per database, under
 * systemd (Type=notify) or on its own; SIGHUP re-reads the plan, keeping
 * the old one when the new has errors; SIGTERM ends after the step.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "daemon.h"
#include "db.h"
#include "engine.h"
#include "log.h"
#include "schedule.h"
#include "schema.h"

/* The longest sleep between passes: a plan's times are minutes. */
#define DAEMON_TICK_S	60

static int	cmd_daemon_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_daemon_entry = {
	.name = "daemon",
	.usage = "daemon [-n] [--foreground]",
	.summary = "run the schedule's steps as they fall due, as a service",
	.exec = cmd_daemon_exec,
};

static volatile sig_atomic_t	 quit, reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		quit = 1;
}

/*
 * -n: the plan, the database, the keys and the directories, checked as
 * the daemon would use them, and the next step it would take.
 */
static int
check_only(struct ssj_ctx *ctx, const struct config *cfg)
{
	const struct config_task	*t;
	struct schedule_facts		 f;
	struct schedule_item		 it, next;
	struct db			*db;
	char				 t1[SCHEDULE_TIME_LEN];
	int64_t				 now;
	size_t				 i, j;
	int				 ret = EXIT_USAGE;

	memset(&next, 0, sizeof(next));
	if (schedule_now(NULL, &now) == -1 ||
	    (db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (access(cfg->secret_key, R_OK) == -1) {
		log_warn("cannot read the secret key '%s', which signs every "
		    "commitment and bundle", cfg->secret_key);
		goto out;
	}
	if (cfg->schedule.witness_dir != NULL &&
	    access(cfg->schedule.witness_dir, R_OK | X_OK) == -1) {
		log_warn("cannot read the witness directory '%s'",
		    cfg->schedule.witness_dir);
		goto out;
	}
	for (i = 0; i < cfg->ntasks; i++) {
		t = &cfg->tasks[i];
		for (j = 0; j < t->nbatches; j++) {
			if (engine_facts(db, cfg, &t->batches[j], &f) == -1)
				goto out;
			schedule_batch(cfg, t, &t->batches[j], &f, now, &it);
			if (it.step != SCHEDULE_NONE &&
			    it.step != SCHEDULE_MANUAL && (next.batch == NULL ||
			    it.due < next.due))
				next = it;
		}
	}
	printf("plan '%s' and database '%s' OK\n", cfg->path, ctx->db_path);
	if (!cfg->schedule.given)
		printf("note: the plan has no 'schedule': the defaults apply "
		    "(commit at 09:00 Beijing time on each draw date)\n");
	if (next.batch != NULL)
		printf("next: %s of batch '%s' %s %s\n",
		    schedule_step_name(next.step), next.batch->id,
		    next.ready ? "due since" : "at",
		    schedule_format(next.due, t1));
	else
		printf("next: nothing; every batch is done or waits for a "
		    "person ('ssj status')\n");
	ret = EXIT_DONE;
out:
	db_close(db);
	return ret;
}

static void
status_line(const struct engine_report *r)
{
	char	 s[256];

	if (r->next_due != 0)
		snprintf(s, sizeof(s), "STATUS=next: %s%s", r->next,
		    r->problems > 0 ? " (problems: see the log)" : "");
	else
		snprintf(s, sizeof(s), "STATUS=nothing due in the plan%s",
		    r->problems > 0 ? " (problems: see the log)" : "");
	daemon_notify(s);
}

static int
cmd_daemon_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "foreground", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	struct engine_report		 r;
	struct sigaction		 sa;
	struct config			*cfg = NULL, *next;
	int64_t				 base, start, now, wd, wait;
	int				 ch, check = 0, fg = 0, fd = -1, ready = 0;
	int				 ret = EXIT_USAGE;

	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			check = 1;
			break;
		case 'F':
			fg = 1;
			break;
		default:
			return cmd_usage(&cmd_daemon_entry);
		}
	}
	if (argc != optind)
		return cmd_usage(&cmd_daemon_entry);
	/* From the start: a SIGTERM during the plan's loading stops it too. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/*
	 * SA_RESTART: the step in progress (a beacon fetch's read included)
	 * goes on to its end; sleep(3) ends at a signal all the same.
	 */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((cfg = engine_load_plan(ctx->plan_path, 1, 1)) == NULL)
		goto out;
	if (check) {
		ret = check_only(ctx, cfg);
		goto out;
	}
	/* The clock: $SSJ_NOW (tests) is where it starts, then it runs. */
	if (schedule_now(NULL, &base) == -1)
		goto out;
	start = (int64_t)time(NULL);
	ret = EXIT_FAILED;
	/* Under systemd, stderr is the journal: it takes levels. */
	if (fg && getenv("JOURNAL_STREAM") != NULL)
		log_setlevels(1);
	if (!fg) {
		/* syslog from here: stderr goes nowhere. */
		log_init("ssj", 0);
		if (daemon_detach() == -1)
			goto out;
	}
	if (daemon_lock(ctx->db_path, &fd) == -1)
		goto out;
	wd = daemon_watchdog();
	log_info("started on database '%s', plan '%s'", ctx->db_path,
	    cfg->path);
	while (!quit) {
		if (reload) {
			reload = 0;
			log_info("SIGHUP: reading the plan '%s' again",
			    ctx->plan_path);
			if ((next = engine_load_plan(ctx->plan_path, 1, 1)) == NULL)
				log_warnx("the plan '%s' has errors: the old "
				    "one stays in use", ctx->plan_path);
			else {
				config_free(cfg);
				cfg = next;
				log_info("the plan '%s' is in use", cfg->path);
			}
		}
		now = base + ((int64_t)time(NULL) - start);
		if (engine_run(ctx, cfg, now, &quit, &r) == -1)
			log_warnx("the database cannot be used; trying again "
			    "in %d seconds", DAEMON_TICK_S);
		if (!ready) {
			daemon_notify("READY=1");
			ready = 1;
		}
		status_line(&r);
		if (wd > 0)
			daemon_notify("WATCHDOG=1");
		wait = DAEMON_TICK_S;
		now = base + ((int64_t)time(NULL) - start);
		if (r.next_due != 0 && r.next_due - now < wait)
			wait = r.next_due - now;
		if (wd > 0 && wd / 2 < wait)
			wait = wd / 2;
		if (wait < 1)
			wait = 1;
		engine_report_release(&r);
		if (!quit && !reload)
			sleep((unsigned int)wait);
	}
	daemon_notify("STOPPING=1");
	log_info("stopped");
	ret = EXIT_DONE;
out:
	if (fd != -1)
		close(fd);
	config_free(cfg);
	return ret;
}
