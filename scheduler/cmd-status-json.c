/*
 * ssj status --json: the figures `ssj status` shows, for machines (a
 * bureau's own dashboard): the database and its registries, the ledger,
 * the breakdowns in full, the plan's batches with their states and
 * results, the deadlines. Kept apart from cmd-status.c, whose text it
 * mirrors, so that each can change without the other.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "cmd.h"
#include "config.h"
#include "db.h"
#include "draw.h"
#include "jsonw.h"
#include "keys.h"
#include "ledger.h"
#include "log.h"
#include "results.h"
#include "schema.h"

/* A two-column query (key, count) as an object; NULL keys as "". */
static int
breakdown(struct db *db, struct jsonw *parent, const char *key,
    const char *sql)
{
	struct db_stmt	*st;
	struct jsonw	*o;
	int		 rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	o = jsonw_add_object(parent, key);
	while ((rc = db_step(st)) == DB_ROW)
		jsonw_int(o, db_col_text(st, 0) != NULL ? db_col_text(st, 0) :
		    "", db_col_int(st, 1));
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* One row of integers, each under its name (NULL-terminated). */
static int
counts(struct db *db, struct jsonw *o, const char *sql,
    const char *const *names)
{
	struct db_stmt	*st;
	size_t		 i;
	int		 rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		for (i = 0; names[i] != NULL; i++)
			jsonw_int(o, names[i], db_col_int(st, (int)i));
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int
database(struct db *db, struct jsonw *root, const char *path)
{
	struct db_stmt	*st;
	struct jsonw	*o, *a, *r;
	int64_t		 n;
	int		 rc;

	o = jsonw_add_object(root, "database");
	jsonw_str(o, "path", path);
	jsonw_int(o, "schema", SCHEMA_VERSION);
	if (db_query_int(db, "SELECT count(*) FROM snapshot", &n) == -1)
		return -1;
	jsonw_int(o, "snapshots", n);
	a = jsonw_add_array(o, "registries");
	st = db_prepare(db, "SELECT kind, id, imported_at, file_name FROM "
	    "(SELECT *, max(id) FROM snapshot GROUP BY kind) ORDER BY id");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		r = jsonw_push_object(a);
		jsonw_str(r, "kind", db_col_text(st, 0));
		jsonw_int(r, "snapshot", db_col_int(st, 1));
		jsonw_str(r, "imported_at", db_col_text(st, 2));
		jsonw_str(r, "file", db_col_text(st, 3));
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
ledger(struct db *db, const struct config *cfg, struct jsonw *root)
{
	struct ledger_report	 r;
	struct pubkey		 pk, *pkp = NULL;
	struct jsonw		*o;

	if (cfg != NULL && access(cfg->public_key, R_OK) == 0 &&
	    pubkey_load(cfg->public_key, &pk) == 0)
		pkp = &pk;
	if (ledger_verify(db, pkp, 0, &r) == -1)
		return -1;
	o = jsonw_add_object(root, "ledger");
	jsonw_int(o, "entries", (int64_t)r.size);
	jsonw_int(o, "checkpoint", r.checkpoint);
	jsonw_int(o, "checkpoint_size", (int64_t)r.checkpoint_size);
	jsonw_int(o, "pending", (int64_t)r.pending);
	jsonw_bool(o, "verifies", r.nnew == 0);
	jsonw_int(o, "problems", (int64_t)r.nproblems);
	jsonw_int(o, "unacknowledged", (int64_t)r.nnew);
	ledger_report_release(&r);
	return 0;
}

static int
registries(struct db *db, struct jsonw *root, day_t today)
{
	static const char *const ent[] = { "total", "in_business",
	    "abnormal", "serious", "legacy", NULL };
	static const char *const ins[] = { "total", "active", "experts",
	    NULL };
	static const char *const con[] = { "declared", "in_force", NULL };
	struct db_stmt	*st;
	struct jsonw	*o;
	char		 d[DATE_STR_LEN];
	int64_t		 n;
	int		 rc;

	o = jsonw_add_object(root, "enterprises");
	if (counts(db, o, "SELECT count(*), total(status IN ('存续', "
	    "'在业')), total(abnormal), total(serious), total(legacy) FROM "
	    "enterprise", ent) == -1 ||
	    db_query_int(db, "SELECT count(*) FROM enterprise_class WHERE "
	    "class IS NULL", &n) == -1)
		return -1;
	jsonw_int(o, "unclassified", n);
	if ((st = db_prepare(db, "SELECT max(month) FROM risk")) == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		jsonw_str(o, "risk_month", db_col_text(st, 0));
	db_finalize(st);
	if (rc != DB_ROW ||
	    breakdown(db, o, "by_class", "SELECT class, count(*) FROM "
	    "enterprise_class GROUP BY class ORDER BY class IS NULL, class") ==
	    -1 ||
	    breakdown(db, o, "by_division", "SELECT division, count(*) FROM "
	    "enterprise GROUP BY 1 ORDER BY count(*) DESC, 1") == -1 ||
	    breakdown(db, o, "by_type", "SELECT entity_type, count(*) FROM "
	    "enterprise GROUP BY 1 ORDER BY count(*) DESC, 1") == -1 ||
	    breakdown(db, root, "risk_months", "SELECT month, count(*) FROM "
	    "risk GROUP BY month ORDER BY month DESC") == -1)
		return -1;
	o = jsonw_add_object(root, "inspectors");
	if (counts(db, o, "SELECT count(*), total(active), total(expert) "
	    "FROM inspector", ins) == -1 ||
	    breakdown(db, o, "by_department", "SELECT department, count(*) "
	    "FROM inspector GROUP BY 1 ORDER BY count(*) DESC, 1") == -1)
		return -1;
	o = jsonw_add_object(root, "conflicts");
	if ((st = db_prepare(db, "SELECT count(*), total(valid_from <= ?1 "
	    "AND (valid_to = '' OR valid_to >= ?1)) FROM conflict")) == NULL)
		return -1;
	db_bind_text(st, 1, date_format(today, d), SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW)
		for (n = 0; con[n] != NULL; n++)
			jsonw_int(o, con[n], db_col_int(st, (int)n));
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static const char *const state_names[] = { "open", "committed", "drawn" };

/* Each batch of the plan: its dates, its state, its results' states. */
static int
batches(struct db *db, const struct config *cfg, struct jsonw *root)
{
	const struct config_task	*t;
	const struct config_batch	*b;
	struct batch_status		 bs;
	struct db_stmt			*st = NULL;
	struct jsonw			*a, *o, *r;
	char				 d[DATE_STR_LEN];
	size_t				 i, j;
	int				 rc = DB_DONE;

	a = jsonw_add_array(root, "batches");
	st = db_prepare(db, "SELECT state, count(*) FROM result_state "
	    "WHERE draw = ?1 GROUP BY state ORDER BY state");
	if (st == NULL)
		return -1;
	for (i = 0; i < cfg->ntasks && rc == DB_DONE; i++) {
		t = &cfg->tasks[i];
		for (j = 0; j < t->nbatches && rc == DB_DONE; j++) {
			b = &t->batches[j];
			if (draw_batch_status(db, b->id, &bs) == -1) {
				rc = DB_ERROR;
				break;
			}
			o = jsonw_push_object(a);
			jsonw_str(o, "task", t->id);
			jsonw_str(o, "batch", b->id);
			jsonw_str(o, "name", b->name);
			jsonw_str(o, "draw_date", date_format(b->draw_date, d));
			jsonw_str(o, "window_from", date_format(b->window_from,
			    d));
			jsonw_str(o, "window_to", date_format(b->window_to, d));
			jsonw_str(o, "state", state_names[bs.state]);
			jsonw_int(o, "commitment", bs.commitment);
			jsonw_int(o, "draw", bs.draw);
			jsonw_int(o, "attempts", bs.attempts);
			if (bs.draw == 0)
				continue;
			r = jsonw_add_object(o, "results");
			db_reset(st);
			db_bind_int(st, 1, bs.draw);
			while ((rc = db_step(st)) == DB_ROW)
				jsonw_int(r, db_col_text(st, 0), db_col_int(st,
				    1));
		}
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The deadlines' counts; the lines results_due prints are dropped. */
static int
due(struct db *db, const struct config *cfg, day_t today, struct jsonw *root)
{
	struct jsonw	*o;
	uint64_t	 overdue, soon;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*mem;
	int		 ret;

	if ((mem = open_memstream(&text, &len)) == NULL)
		return error("open_memstream: %s", strerror(errno));
	ret = results_due(db, cfg, today, mem, &overdue, &soon);
	fclose(mem);
	free(text);
	if (ret == -1)
		return -1;
	o = jsonw_add_object(root, "results");
	jsonw_int(o, "deadline_working_days", RESULT_DEADLINE_DAYS);
	jsonw_int(o, "overdue", (int64_t)overdue);
	jsonw_int(o, "due_soon", (int64_t)soon);
	return 0;
}

int
cmd_status_json(struct db *db, const struct config *cfg,
    const struct ssj_ctx *ctx, int plan_missing, day_t today)
{
	struct jsonw	*root, *o;
	char		 d[DATE_STR_LEN];
	int		 ret = -1;

	root = jsonw_object();
	jsonw_str(root, "today", date_format(today, d));
	if (database(db, root, ctx->db_path) == -1)
		goto out;
	if (cfg != NULL) {
		o = jsonw_add_object(root, "plan");
		jsonw_str(o, "path", ctx->plan_path);
		jsonw_str(o, "id", cfg->plan_id);
		jsonw_str(o, "name", cfg->plan_name);
		jsonw_int(o, "year", cfg->year);
		jsonw_str(o, "authority", cfg->authority);
		jsonw_str(o, "division", cfg->division);
		jsonw_int(o, "tasks", (int64_t)cfg->ntasks);
	} else {
		o = jsonw_add_object(root, "plan");
		jsonw_str(o, "path", ctx->plan_path);
		jsonw_str(o, "error", plan_missing ? "missing" : "invalid");
	}
	if (ledger(db, cfg, root) == -1 || registries(db, root, today) == -1)
		goto out;
	if (cfg != NULL && (batches(db, cfg, root) == -1 ||
	    due(db, cfg, today, root) == -1))
		goto out;
	ret = jsonw_print(root, stdout);
out:
	jsonw_free(root);
	return ret;
}
