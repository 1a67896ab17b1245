/*
 * The schedule's engine: one pass over the plan's batches doing what is
 * due -- commit, draw, export -- through the very functions the commands
 * use, each step whole or not begun, each event on the ledger.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beacon.h"
#include "buf.h"
#include "bundle.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "draw.h"
#include "engine.h"
#include "file.h"
#include "ledger.h"
#include "log.h"
#include "schedule.h"
#include "schema.h"
#include "xmalloc.h"

/* A step done more than this after its time is logged as late. */
#define ENGINE_LATE_S	300
/* How long a missed window is reported as a problem by every run. */
#define ENGINE_OVERDUE_S	(30 * 86400)

static void problem(struct engine_report *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct engine_report *r, const char *fmt, ...)
{
	va_list	 ap;
	char	 line[1024];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_warnx("%s", line);
	r->problems++;
}

int
engine_note(struct db *db, const char *batch, int64_t at, const char *kind,
    const char *detail)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_prepare(db, "INSERT INTO schedule_event (batch, at, kind, "
	    "detail) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, batch, SIZE_MAX);
	db_bind_int(st, 2, at);
	db_bind_text(st, 3, kind, SIZE_MAX);
	db_bind_text(st, 4, detail, SIZE_MAX);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return ledger_append(db, "schedule", db_last_rowid(db), NULL);
}

/* Records one event in a transaction of its own, and logs it. */
static int
note(struct ssj_ctx *ctx, const char *batch, int64_t at, const char *kind,
    const char *detail)
{
	struct db	*db;
	int		 ret = -1;

	if ((db = schema_open(ctx->db_path, DB_PATIENT)) == NULL)
		return -1;
	if (db_begin(db) == 0) {
		if (ledger_guard(db) == 0 &&
		    engine_note(db, batch, at, kind, detail) == 0 &&
		    db_commit(db) == 0)
			ret = 0;
		else
			db_rollback(db);
	}
	db_close(db);
	if (ret == 0)
		log_info("batch '%s': %s: %s", batch, kind, detail);
	return ret;
}

/* Logs a step done late (past ENGINE_LATE_S), on the ledger too. */
static void
lateness(struct ssj_ctx *ctx, const char *batch, const char *step,
    int64_t due, int64_t now)
{
	char	 t1[SCHEDULE_TIME_LEN], t2[SCHEDULE_TIME_LEN], d[160];

	if (now - due <= ENGINE_LATE_S)
		return;
	snprintf(d, sizeof(d), "%s due at %s, done at %s (%lld min late)",
	    step, schedule_format(due, t1), schedule_format(now, t2),
	    (long long)((now - due) / 60));
	(void)note(ctx, batch, now, "late", d);
}

static int
exists(const char *path)
{
	struct stat	 st;

	return lstat(path, &st) == 0;
}

static char *
bundle_dir(const struct config *cfg, const char *batch, int public)
{
	return xasprintf("%s/%s%s", cfg->schedule.export_dir, batch,
	    public ? ".public" : "");
}

/* Whether the batch's task publishes its drawn list (抽查任务公告). */
static int
task_public(const struct config *cfg, const struct config_batch *b)
{
	const struct config_task	*t;

	return config_find_batch(cfg, b->id, &t) != NULL && t->public_list;
}

static int
db_query_int_text(struct db *db, const char *sql, const char *arg,
    int64_t *out)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	db_bind_text(st, 1, arg, SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

int
engine_facts(struct db *db, const struct config *cfg,
    const struct config_batch *b, struct schedule_facts *f)
{
	struct batch_status	 bs;
	struct db_stmt		*st;
	char			*dir;
	int64_t			 n;
	int			 rc;

	memset(f, 0, sizeof(*f));
	if (draw_batch_status(db, b->id, &bs) == -1)
		return -1;
	f->committed = bs.state == BATCH_COMMITTED;
	f->drawn = bs.state == BATCH_DRAWN;
	if (bs.commitment != 0) {
		st = db_prepare(db, "SELECT c.beacon_round, (SELECT count(*) "
		    "FROM attempt a WHERE a.commitment = c.id AND a.kind = "
		    "'failed-draw') FROM commitment c WHERE c.id = ?1");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, bs.commitment);
		if ((rc = db_step(st)) == DB_ROW) {
			f->round = (uint64_t)db_col_int(st, 0);
			f->failed = f->committed && db_col_int(st, 1) > 0;
		}
		db_finalize(st);
		if (rc != DB_ROW)
			return -1;
	} else if (bs.attempts > 0)
		f->aborted = 1;
	if (f->drawn && cfg->schedule.export_dir != NULL) {
		dir = bundle_dir(cfg, b->id, 0);
		f->exported = exists(dir);
		free(dir);
		if (f->exported && cfg->schedule.export_public) {
			dir = bundle_dir(cfg, b->id, 1);
			f->exported = exists(dir);
			free(dir);
		}
		if (f->exported && task_public(cfg, b) &&
		    db_query_int_text(db, "SELECT count(*) FROM notice WHERE "
		    "kind = 'task' AND subject = ?1", b->id, &n) == 0)
			f->exported = n > 0;
	}
	return 0;
}

/*
 * A witness file of the batch: DIR/BATCH/NAME.EXT, its bytes without the
 * line ends an editor leaves (as 'ssj witness hash --file'). 1 when it is
 * not there, -1 when it cannot be read.
 */
static int
witness_file(const struct config *cfg, const char *batch, const char *name,
    const char *ext, struct buf *out, char **pathp)
{
	char	*path;

	path = xasprintf("%s/%s/%s.%s", cfg->schedule.witness_dir, batch,
	    name, ext);
	*pathp = path;
	buf_reset(out);
	if (!exists(path))
		return 1;
	if (file_read(path, out) == -1)
		return -1;
	while (out->len > 0 && (out->data[out->len - 1] == '\n' ||
	    out->data[out->len - 1] == '\r'))
		out->len--;
	return 0;
}

/* The schedule's export directory, made if missing (not its parents). */
static int
export_dir(const struct config *cfg)
{
	if (cfg->schedule.export_dir == NULL ||
	    mkdir(cfg->schedule.export_dir, 0755) == 0 || errno == EEXIST)
		return 0;
	log_warn("cannot create '%s'", cfg->schedule.export_dir);
	return -1;
}

/* Where the engine publishes a commitment: beside the bundles, or the DB. */
static char *
commitment_path(struct ssj_ctx *ctx, const struct config *cfg,
    const char *batch)
{
	char	*out, *copy, *slash;

	if (cfg->schedule.export_dir != NULL)
		return xasprintf("%s/%s.commitment.txt",
		    cfg->schedule.export_dir, batch);
	copy = xstrdup(ctx->db_path);
	slash = strrchr(copy, '/');
	if (slash != NULL)
		*slash = '\0';
	out = xasprintf("%s/%s.commitment.txt", slash != NULL ? copy : ".",
	    batch);
	free(copy);
	return out;
}

/*
 * A commitment recorded but not published in the export directory
 * (killed in between, or committed by hand elsewhere): written there,
 * byte for byte, before anything else is done with the batch.
 */
static void
republish_step(struct ssj_ctx *ctx, const struct config *cfg,
    const char *batch, struct engine_report *r)
{
	struct commit_opts	 o;
	char			*out, *sig;

	out = commitment_path(ctx, cfg, batch);
	sig = xasprintf("%s.minisig", out);
	if (!exists(out) || !exists(sig)) {
		export_dir(cfg);
		memset(&o, 0, sizeof(o));
		o.batch = batch;
		o.out = out;
		o.republish = 1;
		o.quiet = 1;
		if (cmd_commit_batch(ctx, cfg, &o, NULL) == EXIT_DONE)
			log_info("batch '%s': commitment published again in "
			    "'%s'", batch, out);
		else
			problem(r, "batch '%s': its commitment cannot be "
			    "published ('%s')", batch, out);
	}
	free(sig);
	free(out);
}

static void
commit_step(struct ssj_ctx *ctx, const struct config *cfg,
    const struct schedule_item *it, int64_t now, struct engine_report *r)
{
	const char		*batch = it->batch->id;
	struct commit_opts	 o;
	struct witness		*w;
	struct buf		 v = BUF_INIT;
	char			*path = NULL, *out;
	char			 t1[SCHEDULE_TIME_LEN], d[200];
	uint64_t		 round;
	size_t			 i, nw = 0;
	int			 rc;

	w = xcalloc(cfg->schedule.nwitnesses + 1, sizeof(*w));
	for (i = 0; i < cfg->schedule.nwitnesses; i++) {
		free(path);
		rc = witness_file(cfg, batch, cfg->schedule.witnesses[i],
		    "hash", &v, &path);
		if (rc == 1) {
			problem(r, "batch '%s': not committed: witness '%s' "
			    "has not given its hash ('%s')", batch,
			    cfg->schedule.witnesses[i], path);
			goto out;
		}
		/* b2sum prints "HASH  -": the first 64 digits are it. */
		if (rc == 0 && v.len >= 64 && (v.len == 64 ||
		    v.data[64] == ' ' || v.data[64] == '\t')) {
			v.data[64] = '\0';
			if (crypto_unhex(v.data, w[nw].hash, 32) == -1)
				rc = -1;
		} else
			rc = -1;
		if (rc == -1) {
			problem(r, "batch '%s': not committed: '%s' is not a "
			    "witness hash (64 hex digits, as 'ssj witness "
			    "hash' prints)", batch, path);
			goto out;
		}
		w[nw++].name = cfg->schedule.witnesses[i];
	}
	memset(&o, 0, sizeof(o));
	o.batch = batch;
	o.witnesses = w;
	o.nwitnesses = nw;
	o.now = now;
	o.round = schedule_commit_round(cfg, now);
	o.quiet = 1;
	out = commitment_path(ctx, cfg, batch);
	export_dir(cfg);
	o.out = out;
	rc = cmd_commit_batch(ctx, cfg, &o, &round);
	free(out);
	if (rc != EXIT_DONE) {
		problem(r, "batch '%s': the commitment failed (see above)",
		    batch);
		goto out;
	}
	r->done++;
	snprintf(d, sizeof(d), "beacon round %llu, due at %s",
	    (unsigned long long)round, schedule_format(
	    schedule_round_time(cfg, round), t1));
	(void)note(ctx, batch, now, "commit", d);
	lateness(ctx, batch, "the commitment", it->due, now);
out:
	free(path);
	free(w);
	buf_release(&v);
}

/* The committed witnesses' reveals from the witness directory. */
static int
load_reveals(struct ssj_ctx *ctx, const struct config *cfg,
    const char *batch, struct reveal **rvp, size_t *nrvp,
    struct engine_report *r)
{
	struct batch_status	 bs;
	struct commitment	 c;
	struct reveal		*rv = NULL;
	struct buf		 v = BUF_INIT;
	struct db		*db;
	char			*text = NULL, *err = NULL, *path = NULL;
	int64_t			 ledger;
	size_t			 i, n = 0;
	int			 rc, ret = -1;

	memset(&c, 0, sizeof(c));
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return -1;
	if (draw_batch_status(db, batch, &bs) == -1 ||
	    draw_commitment_text(db, bs.commitment, &text, &ledger) == -1)
		goto out;
	if (commitment_parse(text, strlen(text), &c, &err) == -1) {
		problem(r, "batch '%s': its commitment cannot be read: %s",
		    batch, err);
		goto out;
	}
	rv = xcalloc(c.nwitnesses + 1, sizeof(*rv));
	for (i = 0; i < c.nwitnesses; i++) {
		free(path);
		path = NULL;
		rc = cfg->schedule.witness_dir == NULL ? 1 :
		    witness_file(cfg, batch, c.witnesses[i].name, "reveal",
		    &v, &path);
		if (rc != 0) {
			problem(r, "batch '%s': draw held: witness '%s' has "
			    "not revealed its value%s%s%s", batch,
			    c.witnesses[i].name, path != NULL ? " ('" : "",
			    path != NULL ? path : "", path != NULL ? "')" :
			    " (no witness_dir in the plan)");
			goto out;
		}
		rv[n].name = xstrdup(c.witnesses[i].name);
		rv[n].value = (unsigned char *)xstrndup(v.data, v.len);
		rv[n].len = v.len;
		n++;
	}
	ret = 0;
out:
	if (ret == -1) {
		for (i = 0; i < n; i++) {
			free(rv[i].name);
			free(rv[i].value);
		}
		free(rv);
		rv = NULL;
		n = 0;
	}
	*rvp = rv;
	*nrvp = n;
	commitment_release(&c);
	buf_release(&v);
	free(path);
	free(text);
	free(err);
	db_close(db);
	return ret;
}

/*
 * The committed round's record, with retries and a doubling pause: a
 * relay that blinks is no reason to wait for the next run.
 */
static int
fetch(const struct config *cfg, uint64_t round, struct buf *out,
    volatile sig_atomic_t *stop)
{
	unsigned int	 pause = 1;
	int		 i;

	for (i = 0; i < cfg->schedule.retries; i++) {
		if (i > 0) {
			if (stop != NULL && *stop)
				break;
			sleep(pause);
			pause *= 2;
		}
		buf_reset(out);
		if (beacon_fetch(cfg->beacon.command, cfg->beacon.chain, round,
		    out) == 0)
			return 0;
	}
	return -1;
}

/*
 * The plan the batch was committed under: a plan reloaded since (SIGHUP,
 * or a new file for cron) applies to the batches not committed yet. NULL
 * when it no longer loads (an include moved): the current one is used.
 */
static struct config *
committed_plan(struct ssj_ctx *ctx, const char *batch)
{
	struct batch_status	 bs;
	struct config		*cfg = NULL;
	struct db		*db;
	int64_t			 pv = 0;
	struct db_stmt		*st;

	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return NULL;
	if (draw_batch_status(db, batch, &bs) == 0 && bs.commitment != 0 &&
	    (st = db_prepare(db, "SELECT plan_version FROM commitment WHERE "
	    "id = ?1")) != NULL) {
		db_bind_int(st, 1, bs.commitment);
		if (db_step(st) == DB_ROW)
			pv = db_col_int(st, 0);
		db_finalize(st);
	}
	if (pv != 0 && (cfg = draw_plan(db, pv)) == NULL)
		log_warnx("batch '%s': drawn under the current plan", batch);
	db_close(db);
	return cfg;
}

static void
draw_step(struct ssj_ctx *ctx, const struct config *cfg,
    const struct schedule_item *it, int64_t now, volatile sig_atomic_t *stop,
    struct engine_report *r)
{
	const char		*batch = it->batch->id;
	struct draw_opts	 o;
	struct config		*committed;
	struct reveal		*rv = NULL;
	struct buf		 rec = BUF_INIT;
	char			 t1[SCHEDULE_TIME_LEN], d[160];
	size_t			 nrv = 0, i;
	int			 rc;

	if (load_reveals(ctx, cfg, batch, &rv, &nrv, r) == -1)
		return;
	committed = committed_plan(ctx, batch);
	if (cfg->beacon.command == NULL) {
		problem(r, "batch '%s': draw held: the plan has no "
		    "'beacon.command' to fetch round %llu with", batch,
		    (unsigned long long)it->round);
		goto out;
	}
	if (fetch(cfg, it->round, &rec, stop) == -1) {
		if (now - it->due > cfg->schedule.beacon_wait) {
			snprintf(d, sizeof(d), "beacon round %llu (out at %s) "
			    "cannot be fetched", (unsigned long long)it->round,
			    schedule_format(it->due, t1));
			problem(r, "batch '%s': draw held: %s", batch, d);
		} else
			log_info("batch '%s': beacon round %llu not fetched "
			    "yet; trying again on the next run", batch,
			    (unsigned long long)it->round);
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.batch = batch;
	o.reveals = rv;
	o.nreveals = nrv;
	/* The record as fetched: no file to leave behind if killed. */
	o.beacon_text = rec.data;
	o.beacon_len = rec.len;
	o.now = now;
	o.quiet = 1;
	rc = cmd_draw_batch(ctx, committed != NULL ? committed : cfg, &o);
	if (rc != EXIT_DONE) {
		problem(r, "batch '%s': %s", batch, o.failed ? "the draw "
		    "failed and is held for a person: see 'ssj ledger'" :
		    "no draw (see above)");
		goto out;
	}
	r->done++;
	snprintf(d, sizeof(d), "drawn from beacon round %llu",
	    (unsigned long long)it->round);
	(void)note(ctx, batch, now, "draw", d);
	lateness(ctx, batch, "the draw", it->due, now);
out:
	for (i = 0; i < nrv; i++) {
		free(rv[i].name);
		free(rv[i].value);
	}
	free(rv);
	buf_release(&rec);
	config_free(committed);
}

/*
 * The task notice, by 'ssj notice task BATCH DIR/notices' itself, which
 * writes nothing when the batch has one already.
 */
static int
notice(struct ssj_ctx *ctx, const struct config *cfg, const char *batch)
{
	char	 verb[] = "notice", kind[] = "task", *argv[5];
	int	 rc;

	argv[0] = verb;
	argv[1] = kind;
	argv[2] = xstrdup(batch);
	argv[3] = xasprintf("%s/notices", cfg->schedule.export_dir);
	argv[4] = NULL;
	optind = 0;	/* glibc: a fresh getopt for the command */
	rc = cmd_notice_entry.exec(ctx, 4, argv);
	free(argv[2]);
	free(argv[3]);
	return rc == EXIT_DONE ? 0 : -1;
}

static void
export_step(struct ssj_ctx *ctx, const struct config *cfg,
    const struct schedule_item *it, int64_t now, struct engine_report *r)
{
	const char	*batch = it->batch->id;
	char		*dir;
	int		 public, rc = EXIT_DONE;

	if (export_dir(cfg) == -1) {
		problem(r, "batch '%s': not exported", batch);
		return;
	}
	for (public = 0; public <= cfg->schedule.export_public &&
	    rc == EXIT_DONE; public++) {
		dir = bundle_dir(cfg, batch, public);
		if (!exists(dir))
			rc = cmd_export_batch(ctx, batch, dir, public, 1);
		free(dir);
	}
	if (rc != EXIT_DONE) {
		problem(r, "batch '%s': not exported (see above)", batch);
		return;
	}
	/* 一公开: the task notice, when the plan makes the list public. */
	if (task_public(cfg, it->batch) && notice(ctx, cfg, batch) == -1) {
		problem(r, "batch '%s': its task notice is not written (see "
		    "above)", batch);
		return;
	}
	r->done++;
	dir = bundle_dir(cfg, batch, 0);
	(void)note(ctx, batch, now, "export", dir);
	free(dir);
}

/* Keeps the earliest step still to come, for the daemon's STATUS. */
static void
note_next(const struct schedule_item *it, struct engine_report *r)
{
	char	 t1[SCHEDULE_TIME_LEN];

	if (it->step == SCHEDULE_NONE || it->step == SCHEDULE_MANUAL ||
	    (r->next_due != 0 && it->due >= r->next_due))
		return;
	r->next_due = it->due;
	snprintf(r->next, sizeof(r->next), "%s of batch '%s' at %s",
	    schedule_step_name(it->step), it->batch->id,
	    schedule_format(it->due, t1));
}

/* One batch as far as it can go now: commit, draw, export. */
static int
run_batch(struct ssj_ctx *ctx, const struct config *cfg,
    const struct config_task *t, const struct config_batch *b, int64_t now,
    volatile sig_atomic_t *stop, struct engine_report *r)
{
	struct schedule_facts	 f;
	struct schedule_item	 it;
	struct db		*db;
	size_t			 before;

	do {
		if (stop != NULL && *stop)
			return 0;
		if ((db = schema_open(ctx->db_path, 0)) == NULL)
			return -1;
		if (engine_facts(db, cfg, b, &f) == -1) {
			db_close(db);
			return -1;
		}
		db_close(db);
		schedule_batch(cfg, t, b, &f, now, &it);
		if ((f.committed || f.drawn) && cfg->schedule.export_dir !=
		    NULL)
			republish_step(ctx, cfg, b->id, r);
		/*
		 * A failed draw waits for a person; so does a window missed
		 * whole, reported for a month.
		 */
		if (it.state == SCHEDULE_FAILED || (it.state ==
		    SCHEDULE_OVERDUE && now - schedule_window_end(b) <
		    ENGINE_OVERDUE_S))
			problem(r, "batch '%s': %s: %s", b->id,
			    schedule_state_name(it.state), it.why);
		if (!it.ready) {
			note_next(&it, r);
			return 0;
		}
		before = r->done;
		if (it.step == SCHEDULE_COMMIT)
			commit_step(ctx, cfg, &it, now, r);
		else if (it.step == SCHEDULE_DRAW)
			draw_step(ctx, cfg, &it, now, stop, r);
		else if (it.step == SCHEDULE_EXPORT)
			export_step(ctx, cfg, &it, now, r);
	} while (r->done > before);
	return 0;
}

/*
 * After a run that did something, a signed checkpoint of the ledger in
 * EXPORT/checkpoints/: what is published cannot be rewritten unnoticed,
 * and the tail no checkpoint covers stays short (docs/formats.md §5).
 */
static void
checkpoint_step(struct ssj_ctx *ctx, const struct config *cfg,
    struct engine_report *r)
{
	char	*dir;

	if (cfg->schedule.export_dir == NULL || export_dir(cfg) == -1)
		return;
	dir = xasprintf("%s/checkpoints", cfg->schedule.export_dir);
	if ((mkdir(dir, 0755) == -1 && errno != EEXIST) ||
	    cmd_ledger_checkpoint(ctx, NULL, NULL, dir) != EXIT_DONE)
		problem(r, "the ledger's checkpoint is not published in '%s' "
		    "(see above); 'ssj ledger checkpoint' writes one", dir);
	free(dir);
}

int
engine_run(struct ssj_ctx *ctx, const struct config *cfg, int64_t now,
    volatile sig_atomic_t *stop, struct engine_report *r)
{
	const struct config_task	*t;
	size_t				 i, j;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < cfg->ntasks; i++) {
		t = &cfg->tasks[i];
		for (j = 0; j < t->nbatches; j++)
			if (run_batch(ctx, cfg, t, &t->batches[j], now, stop,
			    r) == -1)
				return -1;
	}
	if (r->done > 0)
		checkpoint_step(ctx, cfg, r);
	return 0;
}

void
engine_report_release(struct engine_report *r)
{
	memset(r, 0, sizeof(*r));
}

struct config *
engine_load_plan(const char *path, int warnings, int logged)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	struct config_error	*e;
	char			 at[32];
	size_t			 i;

	if (access(path, F_OK) == -1) {
		log_warn("cannot read the plan '%s'", path);
		return NULL;
	}
	cfg = config_load(path, &errs);
	for (i = 0; i < errs.n; i++) {
		e = &errs.v[i];
		if (e->warning && !warnings)
			continue;
		at[0] = '\0';
		if (e->line > 0)
			snprintf(at, sizeof(at), ":%d:%d", e->line, e->col);
		if (logged)
			log_warnx("%s%s: %s%s", e->file, at, e->warning ?
			    "warning: " : "", e->msg);
		else
			fprintf(stderr, "%s%s: %s%s\n", e->file, at,
			    e->warning ? "warning: " : "", e->msg);
	}
	config_errors_release(&errs);
	return cfg;
}
