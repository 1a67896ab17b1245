/*
 * ssj status: what the database holds and what the plan expects next --
 * registries with their breakdowns, snapshots, tasks and batches with their
 * dates, and anything that needs attention before the next draw.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "calendar.h"
#include "cmd.h"
#include "config.h"
#include "db.h"
#include "engine.h"
#include "keys.h"
#include "ledger.h"
#include "log.h"
#include "results.h"
#include "schedule.h"
#include "schema.h"

static int	cmd_status_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "status [--due | --json | batch]",
	.summary = "show what the database holds and what needs attention",
	.exec = cmd_status_exec,
};

#define MAX_LINES	10	/* of a breakdown, and of one kind of warning */

struct status {
	struct db		*db;
	const struct config	*cfg;
	day_t			 today;
	int64_t			 now;
	int			 nattention;
	struct buf		 attention;
};

static void attention(struct status *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Collected while the rest is shown, printed together at the end. */
static void
attention(struct status *s, const char *fmt, ...)
{
	va_list	 ap;

	s->nattention++;
	buf_addstr(&s->attention, "  ! ");
	va_start(ap, fmt);
	buf_vprintf(&s->attention, fmt, ap);
	va_end(ap);
	buf_addch(&s->attention, '\n');
}

/* Prints "label: key count  key count ..." from a two-column query. */
static int
breakdown(struct status *s, const char *label, const char *sql, int names)
{
	struct db_stmt	*st;
	const char	*key, *name;
	int		 rc, n = 0;
	int64_t		 rest = 0;

	if ((st = db_prepare(s->db, sql)) == NULL)
		return -1;
	printf("  %s:", label);
	while ((rc = db_step(st)) == DB_ROW) {
		key = db_col_text(st, 0);
		if (key == NULL || *key == '\0')
			key = "(none)";
		if (n++ >= MAX_LINES) {
			rest += db_col_int(st, 1);
			continue;
		}
		name = names && s->cfg != NULL ?
		    config_division_name(s->cfg, key) : NULL;
		printf("  %s%s%s %lld", key, name ? " " : "", name ? name : "",
		    (long long)db_col_int(st, 1));
	}
	if (rest > 0)
		printf("  others %lld", (long long)rest);
	printf("%s\n", n == 0 ? "  none" : "");
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
show_database(struct status *s, const char *path)
{
	struct db_stmt	*st;
	char		 at[TIMESTAMP_SHOW_LEN];
	struct stat	 sb;
	int64_t		 nsnap = 0;
	int		 rc;

	if (db_query_int(s->db, "SELECT count(*) FROM snapshot", &nsnap) ==
	    -1)
		return -1;
	printf("database '%s': schema %d, %lld snapshots\n", path,
	    SCHEMA_VERSION, (long long)nsnap);
	/* Inspectors' ID-card numbers and live commitments' secrets. */
	if (stat(path, &sb) == 0 && (sb.st_mode & (S_IRWXG | S_IRWXO)))
		attention(s, "database '%s' is open to group or others (mode "
		    "%04o), and it holds inspectors' personal data and the "
		    "secrets of live commitments: fix it with: chmod 600 "
		    "'%s'*", path, (unsigned int)(sb.st_mode & 07777), path);
	/* The snapshot each registry is as of, and where it came from. */
	st = db_prepare(s->db, "SELECT kind, id, imported_at, file_name "
	    "FROM (SELECT *, max(id) FROM snapshot GROUP BY kind) ORDER BY id");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		printf("  %-11s as of snapshot %lld, %s, from '%s'\n",
		    db_col_text(st, 0), (long long)db_col_int(st, 1),
		    timestamp_show(db_col_text(st, 2), at), db_col_text(st, 3));
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * The ledger, checked quickly: every entry but the registries' and the
 * selections' rows, which only 'ssj ledger verify' rereads (their cost
 * grows with the registry), and the checkpoints; what a full
 * verification found and no finding recorded is flagged too.
 */
static int
show_ledger(struct status *s)
{
	struct ledger_report	 r;
	struct pubkey		 pk, *pkp = NULL;
	size_t			 i, shown = 0;

	if (s->cfg != NULL && access(s->cfg->public_key, R_OK) == 0 &&
	    pubkey_load(s->cfg->public_key, &pk) == 0)
		pkp = &pk;
	if (ledger_verify(s->db, pkp, LEDGER_QUICK, &r) == -1)
		return -1;
	printf("ledger: %llu entries", (unsigned long long)r.size);
	if (r.checkpoint > 0)
		printf(", the latest checkpoint (%lld) covers %llu",
		    (long long)r.checkpoint,
		    (unsigned long long)r.checkpoint_size);
	printf("; %s (quick check; 'ssj ledger verify' rereads every row)\n",
	    r.nnew > 0 ? "DOES NOT VERIFY" : r.nproblems > 0 ?
	    "verifies, with acknowledged findings" : "verifies");
	for (i = 0; i < r.nproblems; i++) {
		if (r.problems[i].acknowledged || shown++ >= MAX_LINES)
			continue;
		attention(s, "ledger: %s", r.problems[i].message);
	}
	if (r.nnew > 0)
		attention(s, "commands that extend the ledger refuse to run: "
		    "investigate ('ssj ledger verify'), then record the finding "
		    "with 'ssj ledger acknowledge --reason TEXT'");
	else if (r.checkpoint == 0 && r.size > 0)
		attention(s, "no checkpoint: the %llu ledger entries are "
		    "anchored nowhere outside this database; publish one with "
		    "'ssj ledger checkpoint FILE'", (unsigned long long)r.size);
	else if (r.pending > 0)
		attention(s, "%llu ledger entries are in no checkpoint yet: "
		    "publish one with 'ssj ledger checkpoint FILE'",
		    (unsigned long long)r.pending);
	ledger_report_release(&r);
	return 0;
}

/*
 * A figure the imports keep in registry_count (schema v5): status reads
 * no registry, whatever its size.
 */
static int
count_of(struct status *s, const char *kind, const char *dim, int64_t *n)
{
	struct db_stmt	*st;
	int		 rc;

	*n = 0;
	st = db_prepare(s->db, "SELECT total(n) FROM registry_count WHERE "
	    "kind = ?1 AND dim = ?2");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind, SIZE_MAX);
	db_bind_text(st, 2, dim, SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW)
		*n = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/* The latest month with risk classes, or "" if none. */
static int
latest_risk_month(struct status *s, char *out, size_t len)
{
	struct db_stmt	*st;
	int		 rc;

	out[0] = '\0';
	st = db_prepare(s->db, "SELECT max(key) FROM registry_count WHERE "
	    "kind = 'risk' AND dim = 'month' AND n > 0");
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW && db_col_text(st, 0) != NULL)
		snprintf(out, len, "%s", db_col_text(st, 0));
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int
show_enterprises(struct status *s)
{
	int64_t		 total, active, abnormal, serious, legacy, unclassified;
	char		 month[8];

	if (count_of(s, "enterprises", "all", &total) == -1 ||
	    count_of(s, "enterprises", "active", &active) == -1 ||
	    count_of(s, "enterprises", "abnormal", &abnormal) == -1 ||
	    count_of(s, "enterprises", "serious", &serious) == -1 ||
	    count_of(s, "enterprises", "legacy", &legacy) == -1)
		return -1;
	printf("\nenterprises: %lld, %lld in business (存续, 在业), %lld on "
	    "the abnormal-operations list, %lld serious violators",
	    (long long)total, (long long)active, (long long)abnormal,
	    (long long)serious);
	if (legacy > 0)
		printf(", %lld with a legacy 注册号", (long long)legacy);
	putchar('\n');
	if (total == 0) {
		attention(s, "no enterprises: import them with 'ssj import "
		    "enterprises FILE'");
		return 0;
	}
	if (latest_risk_month(s, month, sizeof(month)) == -1)
		return -1;
	printf("  risk classes as of %s (the latest month of each "
	    "enterprise)\n", month[0] != '\0' ? month : "(none imported)");
	if (breakdown(s, "by class", "SELECT key, n FROM registry_count "
	    "WHERE kind = 'enterprises' AND dim = 'class' AND n > 0 "
	    "ORDER BY key = '', key", 0) == -1 ||
	    breakdown(s, "by division", "SELECT key, n FROM registry_count "
	    "WHERE kind = 'enterprises' AND dim = 'division' AND n > 0 "
	    "ORDER BY n DESC, key", 1) == -1 ||
	    breakdown(s, "by type", "SELECT key, n FROM registry_count "
	    "WHERE kind = 'enterprises' AND dim = 'type' AND n > 0 "
	    "ORDER BY n DESC, key", 0) == -1)
		return -1;
	if (db_query_int(s->db, "SELECT coalesce(sum(n), 0) FROM "
	    "registry_count WHERE kind = 'enterprises' AND dim = 'class' AND "
	    "key = ''", &unclassified) == -1)
		return -1;
	if (unclassified > 0)
		attention(s, "%lld enterprises have no risk class; import the "
		    "classes with 'ssj import risk FILE'",
		    (long long)unclassified);
	return 0;
}

static int
show_inspectors(struct status *s)
{
	struct db_stmt	*st;
	int64_t		 total, active, experts, conflicts, in_force;
	char		 today[DATE_STR_LEN];
	size_t		 i;
	int		 rc, unknown = 0;

	if ((st = db_prepare(s->db, "SELECT count(*), total(active), "
	    "total(expert) FROM inspector")) == NULL)
		return -1;
	if (db_step(st) != DB_ROW) {
		db_finalize(st);
		return -1;
	}
	total = db_col_int(st, 0);
	active = db_col_int(st, 1);
	experts = db_col_int(st, 2);
	db_finalize(st);
	printf("\ninspectors: %lld, %lld active, %lld experts\n",
	    (long long)total, (long long)active, (long long)experts);
	if (total == 0)
		attention(s, "no inspectors: import them with 'ssj import "
		    "inspectors FILE'");
	else if (breakdown(s, "by department", "SELECT department, count(*) "
	    "FROM inspector GROUP BY 1 ORDER BY count(*) DESC, 1", 0) == -1)
		return -1;

	date_format(s->today, today);
	if ((st = db_prepare(s->db, "SELECT count(*), total(valid_from <= ?1 "
	    "AND (valid_to = '' OR valid_to >= ?1)) FROM conflict")) == NULL)
		return -1;
	db_bind_text(st, 1, today, SIZE_MAX);
	if (db_step(st) != DB_ROW) {
		db_finalize(st);
		return -1;
	}
	conflicts = db_col_int(st, 0);
	in_force = db_col_int(st, 1);
	db_finalize(st);
	printf("conflicts of interest (回避): %lld declared, %lld in force "
	    "today\n", (long long)conflicts, (long long)in_force);

	if (s->cfg == NULL)
		return 0;
	if ((st = db_prepare(s->db, "SELECT DISTINCT department FROM "
	    "inspector ORDER BY 1")) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		for (i = 0; i < s->cfg->ndepartments; i++)
			if (strcmp(s->cfg->departments[i].code,
			    db_col_text(st, 0)) == 0)
				break;
		if (i == s->cfg->ndepartments && unknown++ < MAX_LINES)
			attention(s, "inspectors of department '%s', which "
			    "the plan does not name", db_col_text(st, 0));
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
show_risk(struct status *s)
{
	char		 today[DATE_STR_LEN], last[8] = "";
	int		 y, m, d, ly, lm;

	if (breakdown(s, "risk classifications by month", "SELECT key, n "
	    "FROM registry_count WHERE kind = 'risk' AND dim = 'month' AND "
	    "n > 0 ORDER BY key DESC", 0) == -1 ||
	    latest_risk_month(s, last, sizeof(last)) == -1)
		return -1;
	/* Classes are recomputed monthly: last month's should be here. */
	date_to_ymd(s->today, &y, &m, &d);
	if (last[0] != '\0' && sscanf(last, "%4d-%2d", &ly, &lm) == 2 &&
	    (y * 12 + m) - (ly * 12 + lm) > 1)
		attention(s, "the latest risk classes are of %s; import the "
		    "monthly classification (today is %s)", last,
		    date_format(s->today, today));
	return 0;
}

static const char *
when(const struct status *s, day_t day, char *out, size_t len)
{
	if (day < s->today)
		snprintf(out, len, "past");
	else if (day == s->today)
		snprintf(out, len, "today");
	else
		snprintf(out, len, "in %d days", (int)(day - s->today));
	return out;
}

/*
 * Credentials must be valid through a batch's whole inspection window:
 * flag every active inspector of the task's departments whose credential
 * ends before an upcoming window does.
 */
static int
check_credentials(struct status *s, const struct config_task *t,
    const struct config_batch *b, int *shown)
{
	struct db_stmt	*st;
	char		 end[DATE_STR_LEN], today[DATE_STR_LEN];
	size_t		 i;
	int		 rc, ours;

	date_format(b->window_to, end);
	date_format(s->today, today);
	st = db_prepare(s->db, "SELECT credential, name, department, "
	    "valid_until FROM inspector WHERE active AND valid_until < ?1 "
	    "ORDER BY valid_until, credential");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, end, SIZE_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		ours = strcmp(db_col_text(st, 2), t->lead) == 0;
		for (i = 0; i < t->njoint && !ours; i++)
			ours = strcmp(db_col_text(st, 2), t->joint[i]) == 0;
		if (!ours)
			continue;
		if ((*shown)++ >= MAX_LINES)
			continue;
		attention(s, "inspector '%s' (%s, %s): credential %s %s, "
		    "before batch '%s' ends on %s", db_col_text(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2),
		    strcmp(db_col_text(st, 3), today) < 0 ? "expired on" :
		    "valid until", db_col_text(st, 3), b->id, end);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The first batch not drawn yet that draws today or later, or NULL. */
static const struct config_batch *
next_batch(const struct status *s)
{
	const struct config_batch	*b, *next = NULL;
	struct schedule_facts		 f;
	size_t				 i, j;

	for (i = 0; i < s->cfg->ntasks; i++)
		for (j = 0; j < s->cfg->tasks[i].nbatches; j++) {
			b = &s->cfg->tasks[i].batches[j];
			if (b->draw_date < s->today || (next != NULL &&
			    b->draw_date >= next->draw_date))
				continue;
			if (engine_facts(s->db, s->cfg, b, &f) == 0 &&
			    !f.drawn)
				next = b;
		}
	return next;
}

/* "committed (beacon round R, out at T); next: draw at T" */
static int
show_state(struct status *s, const struct config_task *t,
    const struct config_batch *b)
{
	struct schedule_facts	 f;
	struct schedule_item	 it;
	char			 t1[SCHEDULE_TIME_LEN];

	if (engine_facts(s->db, s->cfg, b, &f) == -1)
		return -1;
	schedule_batch(s->cfg, t, b, &f, s->now, &it);
	/* Without a schedule, commit needs no --force: say so. */
	if (it.state == SCHEDULE_OVERDUE && !s->cfg->schedule.given)
		it.why = "its window is over and it was never committed: "
		    "commit it if it is still to be done, or drop it from "
		    "the plan";
	printf("      %s", schedule_state_name(it.state));
	if (it.state == SCHEDULE_COMMITTED)
		printf(" (beacon round %llu, out at %s)",
		    (unsigned long long)it.round, schedule_format(
		    schedule_round_time(s->cfg, it.round), t1));
	else if (it.round != 0)
		printf(" (beacon round %llu)", (unsigned long long)it.round);
	if (it.step == SCHEDULE_MANUAL)
		printf("; next: %s\n", it.why);
	else if (it.step != SCHEDULE_NONE)
		printf("; next: %s %s %s\n", schedule_step_name(it.step),
		    it.ready ? "due since" : "at", schedule_format(it.due, t1));
	else
		printf("; nothing more to do\n");
	if (it.state == SCHEDULE_FAILED || (it.state == SCHEDULE_OVERDUE &&
	    b->window_to >= s->today - 31))
		attention(s, "batch '%s' is %s: %s", b->id,
		    schedule_state_name(it.state), it.why);
	return 0;
}

static int
show_plan(struct status *s)
{
	const struct config		*cfg = s->cfg;
	const struct config_task	*t;
	const struct config_batch	*b, *next;
	char				 d[DATE_STR_LEN], f[DATE_STR_LEN];
	char				 e[DATE_STR_LEN], w[32];
	size_t				 i, j;
	int				 shown = 0;

	printf("\ntasks and batches (today is %s, Beijing time):\n",
	    date_format(s->today, d));
	if ((next = next_batch(s)) != NULL)
		printf("  next draw: batch '%s' on %s, in %d working days\n",
		    next->id, date_format(next->draw_date, d),
		    calendar_count_workdays(&cfg->calendar, s->today + 1,
		    next->draw_date));
	for (i = 0; i < cfg->ntasks; i++) {
		t = &cfg->tasks[i];
		printf("  %s  %s (%s, %s, lead %s%s)\n", t->id, t->name,
		    t->type == ITEM_KEY ? "key items" : "general items",
		    t->targeted ? "定向" : "不定向", t->lead,
		    t->njoint > 0 ? ", joint" : "");
		for (j = 0; j < t->nbatches; j++) {
			b = &t->batches[j];
			printf("    %-20s draw %s (%s)  window %s..%s\n", b->id,
			    date_format(b->draw_date, d),
			    when(s, b->draw_date, w, sizeof(w)),
			    date_format(b->window_from, f),
			    date_format(b->window_to, e));
			if (show_state(s, t, b) == -1)
				return -1;
			if (b->window_to < s->today)
				continue;
			if (!calendar_covers(&cfg->calendar, b->window_to))
				attention(s, "batch '%s': no official calendar "
				    "for the end of its window (%s); add the "
				    "year's holidays to the plan", b->id, e);
			if (check_credentials(s, t, b, &shown) == -1)
				return -1;
		}
	}
	if (shown > MAX_LINES)
		attention(s, "and %d more credentials that end before a "
		    "window does", shown - MAX_LINES);
	return 0;
}

/* One line of a batch's history, in time order by the caller's query. */
static void
history_line(int64_t at, const char *what, const char *detail)
{
	char	 t1[SCHEDULE_TIME_LEN];

	printf("  %-33s %-12s %s\n", schedule_format(at, t1), what, detail);
}

/* ssj status BATCH: its plan, state and whole history. */
static int
show_batch(struct status *s, const char *id)
{
	const struct config_task	*t;
	const struct config_batch	*b;
	struct db_stmt			*st;
	char				 d[DATE_STR_LEN], f[DATE_STR_LEN];
	char				 e[DATE_STR_LEN], t1[SCHEDULE_TIME_LEN];
	int64_t				 at;
	int				 rc;

	if ((b = config_find_batch(s->cfg, id, &t)) == NULL) {
		log_warnx("no batch '%s' in the plan '%s'; 'ssj status' lists "
		    "them", id, s->cfg->path);
		return 1;
	}
	printf("batch '%s' of task %s (%s)\n", b->id, t->id, t->name);
	printf("  draw %s, window %s..%s; commitment planned for %s\n",
	    date_format(b->draw_date, d), date_format(b->window_from, f),
	    date_format(b->window_to, e), schedule_format(
	    schedule_commit_time(s->cfg, b), t1));
	if (show_state(s, t, b) == -1)
		return -1;
	printf("history:\n");
	/* Commitments, attempts, draws and the schedule's events. */
	st = db_prepare(s->db, "SELECT * FROM ("
	    "SELECT created_at AS ts, NULL AS at, 'commitment', "
	    "'commitment ' || id || "
	    "', beacon round ' || beacon_round, id, 0 FROM commitment "
	    "WHERE batch = ?1 "
	    "UNION ALL SELECT a.at, NULL, a.kind, a.reason, a.commitment, 1 "
	    "FROM attempt a JOIN commitment c ON c.id = a.commitment "
	    "WHERE c.batch = ?1 "
	    "UNION ALL SELECT d.drawn_at, NULL, 'draw', 'draw ' || d.id || "
	    "', ' || d.selected || ' selected', d.commitment, 2 FROM draw d "
	    "JOIN commitment c ON c.id = d.commitment WHERE c.batch = ?1 "
	    "UNION ALL SELECT NULL, at, 'schedule:' || kind, detail, 0, 3 "
	    "FROM schedule_event WHERE batch = ?1) "
	    /* In time order: the commands' clock is the real one. */
	    "ORDER BY coalesce(strftime('%s', ts) + 0, at)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, id, SIZE_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		at = db_col_isnull(st, 1) ? 0 : db_col_int(st, 1);
		if (db_col_text(st, 0) != NULL &&
		    timestamp_parse(db_col_text(st, 0), &at) == -1)
			at = 0;
		history_line(at, db_col_text(st, 2), db_col_text(st, 3));
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
cmd_status_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct status	 s;
	struct config	*cfg;
	uint64_t	 overdue = 0;
	int		 missing, due, json, rc, ret = EXIT_FAILED;

	/* --due: only the publication deadlines; 1 when any is overdue */
	due = argc == 2 && strcmp(argv[1], "--due") == 0;
	json = argc == 2 && strcmp(argv[1], "--json") == 0;
	if (argc > 2 || (argc == 2 && !due && !json && argv[1][0] == '-'))
		return cmd_usage(&cmd_status_entry);
	memset(&s, 0, sizeof(s));
	if (schedule_now(NULL, &s.now) == -1)
		return EXIT_USAGE;
	/* Today in Beijing, by the schedule's clock ($SSJ_NOW for tests). */
	s.today = (day_t)((s.now + SCHEDULE_TZ) / 86400);
	if ((s.db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	cfg = cmd_load_plan(ctx, argc == 2 && !due && !json, &missing);
	s.cfg = cfg;
	if (argc == 2 && !due && !json) {
		ret = EXIT_USAGE;
		if (cfg != NULL && (rc = show_batch(&s, argv[1])) != 1)
			ret = rc == 0 ? EXIT_DONE : EXIT_FAILED;
		goto out;
	}
	if (due) {
		if (cfg != NULL && results_print_due(s.db, cfg, s.today,
		    stdout, &overdue) == 0)
			ret = overdue > 0 ? EXIT_FAILED : EXIT_DONE;
		else if (cfg == NULL)
			ret = EXIT_USAGE;
		goto out;
	}
	if (json) {
		/* the same figures for machines: cmd-status-json.c */
		if (cmd_status_json(s.db, cfg, ctx, missing, s.today) == 0)
			ret = EXIT_DONE;
		goto out;
	}

	if (show_database(&s, ctx->db_path) == -1)
		goto out;
	if (cfg != NULL)
		printf("plan '%s': %s (%s), plan %s for %d, %zu tasks\n",
		    ctx->plan_path, cfg->authority, cfg->division,
		    cfg->plan_id, cfg->year, cfg->ntasks);
	else if (missing)
		printf("no plan at '%s'\n", ctx->plan_path);
	else
		printf("plan '%s' has errors; see 'ssj check'\n",
		    ctx->plan_path);
	if (show_ledger(&s) == -1 || show_enterprises(&s) == -1 ||
	    show_inspectors(&s) == -1 ||
	    show_risk(&s) == -1)
		goto out;
	if (cfg != NULL && show_plan(&s) == -1)
		goto out;
	if (cfg != NULL && results_print_due(s.db, cfg, s.today, stdout,
	    &overdue) == -1)
		goto out;
	if (overdue > 0)
		attention(&s, "%llu results are past their publication "
		    "deadline; approve and publish them ('ssj status --due')",
		    (unsigned long long)overdue);
	if (s.nattention == 0)
		printf("\nnothing needs attention\n");
	else
		printf("\nneeds attention:\n%s", buf_cstr(&s.attention));
	ret = EXIT_DONE;
out:
	buf_release(&s.attention);
	config_free(cfg);
	db_close(s.db);
	return ret;
}
