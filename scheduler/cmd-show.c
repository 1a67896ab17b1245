/*
 * ssj show: a drawn batch's targets with their teams as they stand (the
 * leader first, experts marked, replaced places starred), how much choice
 * the draw had for each (the eligible count), and each inspector's load.
 * --public prints what may be published: names only if the plan says so.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "db.h"
#include "draw.h"
#include "log.h"
#include "schema.h"

static int	cmd_show_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "show batch [--public]",
	.summary = "show a drawn batch's targets, teams and inspector loads",
	.exec = cmd_show_exec,
};

/* An inspector's name as of the draw's snapshot. */
#define NAME_AS_OF \
	"(SELECT name FROM inspector_rev i WHERE i.credential = " \
	"c.credential AND i.snapshot <= ?2 ORDER BY i.snapshot DESC LIMIT 1)"

static int
show_teams(struct db *db, const struct drawn *dn,
    const struct config_task *task, int names)
{
	struct db_stmt	*st;
	int64_t		 rank = 0, slot;
	int		 rc;

	st = db_prepare(db, "SELECT c.rank, c.uscc, t.eligible, c.slot, "
	    "c.credential, " NAME_AS_OF ", EXISTS (SELECT 1 FROM replacement "
	    "r WHERE r.draw = c.draw AND r.rank = c.rank AND r.slot = "
	    "c.slot) FROM current_team c JOIN team t ON t.draw = c.draw AND "
	    "t.rank = c.rank WHERE c.draw = ?1 ORDER BY c.rank, c.slot");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, dn->draw);
	db_bind_int(st, 2, dn->snapshot);
	printf("%6s  %-20s %8s  %s\n", "rank", "target", "eligible",
	    "team (the leader first)");
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_col_int(st, 0) != rank) {
			if (rank != 0)
				printf("\n");
			rank = db_col_int(st, 0);
			printf("%6lld  %-20s %8lld ", (long long)rank,
			    db_col_text(st, 1), (long long)db_col_int(st, 2));
		}
		slot = db_col_int(st, 3);
		printf(" %s%s%s%s%s", slot >= task->team_size ? "expert " :
		    "", db_col_text(st, 4), names ? " " : "",
		    names ? db_col_text(st, 5) : "", db_col_int(st, 6) ?
		    "*" : "");
	}
	if (rank != 0)
		printf("\n");
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
show_loads(struct db *db, const struct drawn *dn, int names)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_prepare(db, "SELECT c.credential, " NAME_AS_OF ", count(*) "
	    "FROM current_team c WHERE c.draw = ?1 GROUP BY c.credential "
	    "ORDER BY count(*) DESC, c.credential");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, dn->draw);
	db_bind_int(st, 2, dn->snapshot);
	printf("\nload per inspector (targets in this batch):\n");
	while ((rc = db_step(st)) == DB_ROW)
		printf("  %-20s %-10s %4lld\n", db_col_text(st, 0),
		    names ? db_col_text(st, 1) : "",
		    (long long)db_col_int(st, 2));
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
show_replacements(struct db *db, const struct drawn *dn)
{
	struct db_stmt	*st;
	int		 rc, any = 0;

	st = db_prepare(db, "SELECT r.number, s.uscc, r.slot, r.removed, "
	    "r.drawn, r.reason, r.at FROM replacement r JOIN selection s ON "
	    "s.draw = r.draw AND s.rank = r.rank WHERE r.draw = ?1 ORDER BY "
	    "r.number");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, dn->draw);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!any++)
			printf("\nreplacements (* above):\n");
		printf("  %lld. %s slot %lld: %s -> %s, %s (%s)\n",
		    (long long)db_col_int(st, 0), db_col_text(st, 1),
		    (long long)db_col_int(st, 2), db_col_text(st, 3),
		    db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6));
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
cmd_show_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "public", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	const struct config_task	*task;
	struct drawn			 dn;
	struct config			*cfg = NULL;
	struct db			*db;
	int				 ch, public = 0, ret = EXIT_FAILED;

	memset(&dn, 0, sizeof(dn));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'P')
			return cmd_usage(&cmd_show_entry);
		public = 1;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_show_entry);
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (draw_load(db, argv[optind], &dn) == -1) {
		ret = EXIT_USAGE;
		goto out;
	}
	if ((cfg = draw_plan(db, dn.plan_version)) == NULL)
		goto out;
	if (config_find_batch(cfg, argv[optind], &task) == NULL) {
		log_warnx("batch '%s' is not in its own plan version",
		    argv[optind]);
		goto out;
	}
	printf("batch '%s': draw %lld, %llu targets selected, teams of %d "
	    "inspectors%s%s\n", argv[optind], (long long)dn.draw,
	    (unsigned long long)dn.manifest.selected, task->team_size,
	    task->experts > 0 ? " and experts" : "", public ?
	    " (public view)" : "");
	if (show_teams(db, &dn, task, !public || task->public_names) == -1 ||
	    show_loads(db, &dn, !public || task->public_names) == -1 ||
	    show_replacements(db, &dn) == -1)
		goto out;
	ret = EXIT_DONE;
out:
	drawn_release(&dn);
	config_free(cfg);
	db_close(db);
	return ret;
}
