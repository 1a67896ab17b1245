/*
 * ssj show: a drawn batch's targets with their teams as they stand (the
 * leader first, experts marked, replaced places starred), how much choice
 * the draw had for each (the eligible count), and each inspector's load.
 * --public prints what may be published: names only if the plan says so.
 * --csv writes the assignment sheet: per inspector, where to go, with whom.
 * --json gives the same figures to machines.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "cmd.h"
#include "config.h"
#include "csvfile.h"
#include "db.h"
#include "draw.h"
#include "file.h"
#include "jsonw.h"
#include "log.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_show_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "show batch [--public] [--csv [file] | --json]",
	.summary = "show a drawn batch's targets, teams and inspector loads",
	.exec = cmd_show_exec,
};

/* An inspector's name as of the draw's snapshot. */
#define NAME_AS_OF \
	"(SELECT name FROM inspector_rev i WHERE i.credential = " \
	"c.credential AND i.snapshot <= ?2 ORDER BY i.snapshot DESC LIMIT 1)"

/* The enterprise's columns as of the draw's snapshot. */
#define ENTERPRISE_AS_OF(col) \
	"(SELECT " col " FROM enterprise_rev e WHERE e.uscc = c.uscc AND " \
	"e.snapshot <= ?2 ORDER BY e.snapshot DESC LIMIT 1)"

/*
 * Text from the registries and the reasons, printed so that no control
 * character reaches the terminal (imports refuse them; an old database
 * may still hold some): each as \xNN.
 */
static void
put_text(const char *s)
{
	const unsigned char	*p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			printf("\\xc2\\x%02x", p[1]);	/* a C1 control */
			p++;
		} else
			putchar(*p);
	}
}

/* The task's items, code and name, ';'-separated, into b. */
static void
task_items(const struct config *cfg, const struct config_task *task,
    struct buf *b)
{
	size_t	 i, j;

	for (i = 0; i < task->nitems; i++) {
		buf_printf(b, "%s%s", i > 0 ? "; " : "", task->items[i]);
		for (j = 0; j < cfg->nitems; j++)
			if (strcmp(cfg->items[j].code, task->items[i]) == 0)
				buf_printf(b, " %s", cfg->items[j].name);
	}
}

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
	    "c.slot), " ENTERPRISE_AS_OF("name") ", "
	    ENTERPRISE_AS_OF("division") " FROM current_team c JOIN team t "
	    "ON t.draw = c.draw AND t.rank = c.rank WHERE c.draw = ?1 ORDER "
	    "BY c.rank, c.slot");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, dn->draw);
	db_bind_int(st, 2, dn->snapshot);
	printf("%6s  %-20s %8s  %s\n", "rank", "target", "eligible",
	    "enterprise (division), then the team (the leader first)");
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_col_int(st, 0) != rank) {
			if (rank != 0)
				printf("\n");
			rank = db_col_int(st, 0);
			/* The enterprise on a line of its own, under it. */
			printf("%6lld  %-20s %8lld  ", (long long)rank,
			    db_col_text(st, 1), (long long)db_col_int(st, 2));
			put_text(db_col_text(st, 7));
			printf(" (%s)\n%38s", db_col_text(st, 8), "");
		}
		slot = db_col_int(st, 3);
		printf(" %s%s%s", slot >= task->team_size ? "expert " : "",
		    db_col_text(st, 4), names ? " " : "");
		if (names)
			put_text(db_col_text(st, 5));
		printf("%s", db_col_int(st, 6) ? "*" : "");
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
	while ((rc = db_step(st)) == DB_ROW) {
		/* The name last: CJK widths would break a column after it. */
		printf("  %-20s %4lld  ", db_col_text(st, 0),
		    (long long)db_col_int(st, 2));
		if (names)
			put_text(db_col_text(st, 1));
		printf("\n");
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
show_replacements(struct db *db, const struct drawn *dn)
{
	struct db_stmt	*st;
	char		 at[TIMESTAMP_SHOW_LEN];
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
		printf("  %lld. %s slot %lld: %s -> %s, ",
		    (long long)db_col_int(st, 0), db_col_text(st, 1),
		    (long long)db_col_int(st, 2), db_col_text(st, 3),
		    db_col_text(st, 4));
		put_text(db_col_text(st, 5));
		printf(" (%s)\n", timestamp_show(db_col_text(st, 6), at));
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * --json: the batch, each target with its team as it stands, each
 * inspector's load, the replacements; names only where shown in text.
 * A public view leaves out the replacements' reasons (a recusal's
 * reason names a relation).
 */
static int
show_json(struct db *db, const struct drawn *dn, const struct config *cfg,
    const struct config_task *task, const struct config_batch *batch,
    const char *id, int names, int public)
{
	const struct config_item *it;
	struct db_stmt		*st = NULL;
	struct jsonw		*root, *o, *a, *t = NULL, *team = NULL;
	char			 d[DATE_STR_LEN];
	int64_t			 rank = 0;
	size_t			 i;
	int			 rc, ret = -1;

	root = jsonw_object();
	jsonw_str(root, "batch", id);
	jsonw_str(root, "task", task->id);
	jsonw_str(root, "task_name", task->name);
	jsonw_str(root, "batch_name", batch->name);
	jsonw_int(root, "commitment", dn->commitment);
	jsonw_int(root, "draw", dn->draw);
	jsonw_int(root, "selected", (int64_t)dn->manifest.selected);
	jsonw_int(root, "team_size", task->team_size);
	jsonw_int(root, "experts", task->experts);
	jsonw_bool(root, "public", public);
	a = jsonw_add_array(root, "items");
	for (i = 0; i < task->nitems; i++) {
		o = jsonw_push_object(a);
		it = config_find_item(cfg, task->items[i]);
		jsonw_str(o, "code", task->items[i]);
		jsonw_str(o, "name", it != NULL ? it->name : NULL);
	}
	o = jsonw_add_object(root, "window");
	jsonw_str(o, "from", date_format(batch->window_from, d));
	jsonw_str(o, "to", date_format(batch->window_to, d));
	st = db_prepare(db, "SELECT c.rank, c.uscc, t.eligible, c.slot, "
	    "c.credential, " NAME_AS_OF ", EXISTS (SELECT 1 FROM replacement "
	    "r WHERE r.draw = c.draw AND r.rank = c.rank AND r.slot = "
	    "c.slot), " ENTERPRISE_AS_OF("name") ", "
	    ENTERPRISE_AS_OF("division") " FROM current_team c JOIN team t "
	    "ON t.draw = c.draw AND t.rank = c.rank WHERE c.draw = ?1 ORDER "
	    "BY c.rank, c.slot");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, dn->draw);
	db_bind_int(st, 2, dn->snapshot);
	a = jsonw_add_array(root, "targets");
	while ((rc = db_step(st)) == DB_ROW) {
		if (t == NULL || db_col_int(st, 0) != rank) {
			rank = db_col_int(st, 0);
			t = jsonw_push_object(a);
			jsonw_int(t, "rank", rank);
			jsonw_str(t, "uscc", db_col_text(st, 1));
			jsonw_str(t, "name", db_col_text(st, 7));
			jsonw_str(t, "division", db_col_text(st, 8));
			jsonw_int(t, "eligible", db_col_int(st, 2));
			team = jsonw_add_array(t, "team");
		}
		o = jsonw_push_object(team);
		jsonw_int(o, "slot", db_col_int(st, 3));
		jsonw_str(o, "credential", db_col_text(st, 4));
		if (names)
			jsonw_str(o, "name", db_col_text(st, 5));
		jsonw_bool(o, "leader", db_col_int(st, 3) == 0);
		jsonw_bool(o, "expert", db_col_int(st, 3) >= task->team_size);
		jsonw_bool(o, "replaced", (int)db_col_int(st, 6));
	}
	db_finalize(st);
	if (rc != DB_DONE || (st = db_prepare(db, "SELECT c.credential, "
	    NAME_AS_OF ", count(*) FROM current_team c WHERE c.draw = ?1 "
	    "GROUP BY c.credential ORDER BY count(*) DESC, c.credential")) ==
	    NULL) {
		st = NULL;
		goto out;
	}
	db_bind_int(st, 1, dn->draw);
	db_bind_int(st, 2, dn->snapshot);
	a = jsonw_add_array(root, "loads");
	while ((rc = db_step(st)) == DB_ROW) {
		o = jsonw_push_object(a);
		jsonw_str(o, "credential", db_col_text(st, 0));
		if (names)
			jsonw_str(o, "name", db_col_text(st, 1));
		jsonw_int(o, "targets", db_col_int(st, 2));
	}
	db_finalize(st);
	if (rc != DB_DONE || (st = db_prepare(db, "SELECT r.number, s.uscc, "
	    "r.slot, r.removed, r.drawn, r.reason, r.at FROM replacement r "
	    "JOIN selection s ON s.draw = r.draw AND s.rank = r.rank WHERE "
	    "r.draw = ?1 ORDER BY r.number")) == NULL) {
		st = NULL;
		goto out;
	}
	db_bind_int(st, 1, dn->draw);
	a = jsonw_add_array(root, "replacements");
	while ((rc = db_step(st)) == DB_ROW) {
		o = jsonw_push_object(a);
		jsonw_int(o, "number", db_col_int(st, 0));
		jsonw_str(o, "uscc", db_col_text(st, 1));
		jsonw_int(o, "slot", db_col_int(st, 2));
		jsonw_str(o, "removed", db_col_text(st, 3));
		jsonw_str(o, "drawn", db_col_text(st, 4));
		if (!public)
			jsonw_str(o, "reason", db_col_text(st, 5));
		jsonw_str(o, "at", db_col_text(st, 6));
	}
	if (rc == DB_DONE)
		ret = jsonw_print(root, stdout);
out:
	db_finalize(st);
	jsonw_free(root);
	return ret;
}

/* One cell of the sheet, neutralised for spreadsheets (OWASP). */
static void
sheet_cell(FILE *fp, const char *s, int last)
{
	if (s == NULL)
		s = "";
	csv_write_cell(fp, s, strlen(s));
	fputs(last ? "\r\n" : ",", fp);
}

/*
 * The assignment sheet: one row per inspector and target, the inspector's
 * targets together, with what each needs to go -- the enterprise, its
 * address, the items, the window, the leader and the team mates. UTF-8
 * with a BOM and CRLF, so that Excel opens it as it is.
 */
static int
show_csv(struct db *db, const struct drawn *dn, const struct config *cfg,
    const struct config_task *task, const struct config_batch *batch,
    const char *path)
{
	static const char *const head[] = {
		"执法证号", "检查人员", "角色", "序号",
		"统一社会信用代码", "企业名称", "住所", "行政区划",
		"检查事项", "检查期限（北京时间）", "组长",
		"检查组成员", NULL
	};
	struct db_stmt	*st;
	struct file_out	 fo;
	struct buf	 items = BUF_INIT;
	char		 from[DATE_STR_LEN], to[DATE_STR_LEN];
	char		*window, *rank;
	const char	*role;
	FILE		*fp = stdout;
	size_t		 i;
	int		 rc, ret = -1;

	st = db_prepare(db, "SELECT c.credential, " NAME_AS_OF ", c.slot, "
	    "c.rank, c.uscc, " ENTERPRISE_AS_OF("name") ", "
	    ENTERPRISE_AS_OF("address") ", " ENTERPRISE_AS_OF("division")
	    ", (SELECT l.credential || ' ' || (SELECT name FROM inspector_rev "
	    "i WHERE i.credential = l.credential AND i.snapshot <= ?2 ORDER "
	    "BY i.snapshot DESC LIMIT 1) FROM current_team l WHERE l.draw = "
	    "c.draw AND l.rank = c.rank AND l.slot = 0), (SELECT "
	    "group_concat(m, '; ') FROM (SELECT o.credential || ' ' || "
	    "(SELECT name FROM inspector_rev i WHERE i.credential = "
	    "o.credential AND i.snapshot <= ?2 ORDER BY i.snapshot DESC "
	    "LIMIT 1) AS m FROM current_team o WHERE o.draw = c.draw AND "
	    "o.rank = c.rank AND o.slot <> c.slot ORDER BY o.slot)) FROM "
	    "current_team c WHERE c.draw = ?1 ORDER BY c.credential, c.rank");
	if (st == NULL)
		return -1;
	if (path != NULL && strcmp(path, "-") != 0) {
		if (file_out_open(&fo, path, 0644, 0) == -1) {
			db_finalize(st);
			return -1;
		}
		fp = fo.fp;
	}
	db_bind_int(st, 1, dn->draw);
	db_bind_int(st, 2, dn->snapshot);
	task_items(cfg, task, &items);
	window = xasprintf("%s 至 %s", date_format(batch->window_from, from),
	    date_format(batch->window_to, to));
	fputs("\xef\xbb\xbf", fp);
	for (i = 0; head[i] != NULL; i++)
		sheet_cell(fp, head[i], head[i + 1] == NULL);
	while ((rc = db_step(st)) == DB_ROW) {
		role = db_col_int(st, 2) == 0 ? "组长" : db_col_int(st, 2) <
		    task->team_size ? "组员" : "专家";
		rank = xasprintf("%lld", (long long)db_col_int(st, 3));
		sheet_cell(fp, db_col_text(st, 0), 0);
		sheet_cell(fp, db_col_text(st, 1), 0);
		sheet_cell(fp, role, 0);
		sheet_cell(fp, rank, 0);
		sheet_cell(fp, db_col_text(st, 4), 0);
		sheet_cell(fp, db_col_text(st, 5), 0);
		sheet_cell(fp, db_col_text(st, 6), 0);
		sheet_cell(fp, db_col_text(st, 7), 0);
		sheet_cell(fp, buf_cstr(&items), 0);
		sheet_cell(fp, window, 0);
		sheet_cell(fp, db_col_text(st, 8), 0);
		sheet_cell(fp, db_col_text(st, 9), 1);
		free(rank);
	}
	db_finalize(st);
	if (fp == stdout) {
		if (fflush(stdout) == EOF || ferror(stdout)) {
			log_warn("cannot write the sheet");
			rc = DB_ERROR;
		}
	} else if (rc != DB_DONE)
		file_out_abort(&fo);
	else if (file_out_commit(&fo) == -1)
		rc = DB_ERROR;
	ret = rc == DB_DONE ? 0 : -1;
	free(window);
	buf_release(&items);
	return ret;
}

static int
cmd_show_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "public", no_argument, NULL, 'P' },
		{ "csv", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 }
	};
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct drawn			 dn;
	struct buf			 items = BUF_INIT;
	struct config			*cfg = NULL;
	struct db			*db;
	const char			*id, *csv = NULL;
	char				 from[DATE_STR_LEN];
	char				 to[DATE_STR_LEN];
	int				 ch, public = 0, sheet = 0, json = 0;
	int				 ret = EXIT_FAILED;

	memset(&dn, 0, sizeof(dn));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'P')
			public = 1;
		else if (ch == 'C')
			sheet = 1;
		else if (ch == 'J')
			json = 1;
		else
			return cmd_usage(&cmd_show_entry);
	}
	/* --csv FILE: the file is the second operand. */
	if (argc - optind != 1 + (sheet && argc - optind == 2) ||
	    (sheet && public) || (sheet && json))
		return cmd_usage(&cmd_show_entry);
	id = argv[optind];
	if (sheet && argc - optind == 2)
		csv = argv[optind + 1];
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (draw_load(db, id, &dn) == -1) {
		ret = EXIT_USAGE;
		goto out;
	}
	if ((cfg = draw_plan(db, dn.plan_version)) == NULL)
		goto out;
	if ((batch = config_find_batch(cfg, id, &task)) == NULL) {
		log_warnx("batch '%s' is not in its own plan version", id);
		goto out;
	}
	if (sheet) {
		if (show_csv(db, &dn, cfg, task, batch, csv) == -1)
			goto out;
		if (csv != NULL && strcmp(csv, "-") != 0)
			printf("wrote the assignment sheet of batch '%s' to "
			    "'%s'\n", id, csv);
		ret = EXIT_DONE;
		goto out;
	}
	if (json) {
		if (show_json(db, &dn, cfg, task, batch, id, !public ||
		    task->public_names, public) == 0)
			ret = EXIT_DONE;
		goto out;
	}
	task_items(cfg, task, &items);
	printf("batch '%s': draw %lld, %llu targets selected, teams of %d "
	    "inspectors%s%s\nitems: %s\ninspection window: %s to %s (Beijing "
	    "time)\n", id, (long long)dn.draw,
	    (unsigned long long)dn.manifest.selected, task->team_size,
	    task->experts > 0 ? " and experts" : "", public ?
	    " (public view)" : "", buf_cstr(&items),
	    date_format(batch->window_from, from),
	    date_format(batch->window_to, to));
	if (show_teams(db, &dn, task, !public || task->public_names) == -1 ||
	    show_loads(db, &dn, !public || task->public_names) == -1 ||
	    show_replacements(db, &dn) == -1)
		goto out;
	ret = EXIT_DONE;
out:
	buf_release(&items);
	drawn_release(&dn);
	config_free(cfg);
	db_close(db);
	return ret;
}
