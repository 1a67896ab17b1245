/*
 * Commit, abort and draw a batch: the database side of DSR-1. The frames
 * are built from the registries as of the snapshot a commitment names;
 * the draw rebuilds them from that snapshot and refuses when a digest
 * differs, so that nothing can change between the commitment and the
 * randomness that follows it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "buf.h"
#include "bundle.h"
#include "calendar.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "draw.h"
#include "dsr.h"
#include "frame.h"
#include "ledger.h"
#include "log.h"
#include "num.h"
#include "team.h"
#include "xmalloc.h"

/* How far ahead a commitment may name its beacon round: a year. */
#define COMMIT_ROUNDS_AHEAD_S	(366 * 86400ULL)

int
draw_batch_status(struct db *db, const char *batch, struct batch_status *s)
{
	struct db_stmt	*st;
	int		 rc;

	memset(s, 0, sizeof(*s));
	s->state = BATCH_OPEN;
	/* Newest first: a draw is final; else the latest live commitment. */
	st = db_prepare(db, "SELECT c.id, d.id, EXISTS (SELECT 1 FROM attempt "
	    "a WHERE a.commitment = c.id AND a.kind = 'abort') FROM "
	    "commitment c LEFT JOIN draw d ON d.commitment = c.id WHERE "
	    "c.batch = ?1 ORDER BY c.id DESC");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, batch, SIZE_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		if (!db_col_isnull(st, 1)) {
			s->state = BATCH_DRAWN;
			s->commitment = db_col_int(st, 0);
			s->draw = db_col_int(st, 1);
		} else if (!db_col_int(st, 2) && s->state == BATCH_OPEN &&
		    s->commitment == 0) {
			s->state = BATCH_COMMITTED;
			s->commitment = db_col_int(st, 0);
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT count(*) FROM attempt a JOIN commitment c "
	    "ON c.id = a.commitment WHERE c.batch = ?1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, batch, SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW)
		s->attempts = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int
find_batch(const struct config *cfg, const char *id,
    const struct config_task **task, const struct config_batch **batch)
{
	if ((*batch = config_find_batch(cfg, id, task)) == NULL)
		return error("no batch '%s' in the plan '%s'", id, cfg->path);
	return 0;
}

/* The batch in the plan, and its state, refusing a drawn one. */
static int
undrawn_batch(struct db *db, const struct config *cfg, const char *id,
    const struct config_task **task, const struct config_batch **batch,
    struct batch_status *bs)
{
	if (find_batch(cfg, id, task, batch) == -1 ||
	    draw_batch_status(db, id, bs) == -1)
		return -1;
	if (bs->state == BATCH_DRAWN)
		return error("batch '%s' was drawn (draw %lld): a draw is "
		    "final", id, (long long)bs->draw);
	return 0;
}

static char *
joined(char *const *v, size_t n)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i > 0 ? ";" : "", v[i]);
	return buf_detach(&b, NULL);
}

/* The targets as §9 takes them: the selected (sel) or all. */
static struct team_target *
team_targets(const struct dsr_target *targets, const size_t *sel, size_t n)
{
	struct team_target	*v = xcalloc(n + 1, sizeof(*v));
	size_t			 i, j;

	for (i = 0; i < n; i++) {
		j = sel != NULL ? sel[i] : i;
		v[i].id = targets[j].id;
		v[i].division = targets[j].division;
	}
	return v;
}

static int
parse_team_frame(const struct frame *fr, struct team_frame *tf)
{
	char	*err = NULL;

	if (team_frame_parse(fr->text[FRAME_INSPECTORS],
	    fr->len[FRAME_INSPECTORS], fr->text[FRAME_CONFLICTS],
	    fr->len[FRAME_CONFLICTS], fr->text[FRAME_PARAMETERS],
	    fr->len[FRAME_PARAMETERS], tf, &err) == -1) {
		error("frames: %s", err);
		free(err);
		return -1;
	}
	return 0;
}

/*
 * Warns, before anything is committed, of pool targets no team could
 * staff and of caps too tight for the batch: the draw would fail. A
 * frame that holds the pool's shape (FRAME_KEEP_SHAPE) is checked by
 * it; if some of it fails, returns 1 without a word: the whole pool's
 * check (check_whole_pool) names the targets.
 */
static int
check_feasible(struct frame *fr)
{
	struct team_frame	 tf;
	struct team_target	*v;
	struct buf		 report = BUF_INIT;
	uint64_t		 nselected = 0;
	size_t			 i, n, nbad;
	const char		*p, *nl;
	int			 ret = 0;

	if (parse_team_frame(fr, &tf) == -1)
		return -1;
	for (i = 0; i < fr->nstrata; i++)
		nselected += fr->strata[i].sample;
	n = fr->shape != NULL ? fr->nshape : fr->ntargets;
	v = team_targets(fr->shape != NULL ? fr->shape : fr->targets, NULL, n);
	nbad = team_check(&tf, v, n, nselected, &report);
	if (fr->shape != NULL && nbad > 0)
		ret = 1;
	else if (report.len > 0) {
		log_warnx("warning: the frames fail the feasibility check: "
		    "the draw fails if %s", nbad > 0 ? "one of these is "
		    "selected" : "the caps bind");
		for (p = buf_cstr(&report); (nl = strchr(p, '\n')) != NULL;
		    p = nl + 1)
			log_warnx("  %.*s", (int)(nl - p), p);
	}
	buf_release(&report);
	free(v);
	team_frame_release(&tf);
	return ret;
}

/* The feasibility check of every target of the pool, one by one. */
static int
check_whole_pool(struct db *db, const struct config *cfg,
    const struct config_task *task, const struct config_batch *batch,
    int64_t snapshot, const struct frame_prior *prior)
{
	struct frame	 whole;
	int		 ret;

	if (frame_build(db, cfg, task, batch, snapshot, prior,
	    FRAME_KEEP_TARGETS, NULL, &whole) == -1)
		return -1;
	ret = check_feasible(&whole);
	frame_release(&whole);
	return ret;
}

int
draw_commit(struct db *db, const struct config *cfg,
    const struct commit_request *req, struct commit_result *res, int *usage)
{
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct batch_status		 bs;
	struct commitment		 c;
	struct db_stmt			*st = NULL;
	unsigned char			 secret[32], digest[CRYPTO_DIGEST_BYTES];
	char				 hex[CRYPTO_DIGEST_HEX];
	char				 now[TIMESTAMP_LEN], *items = NULL;
	struct frame_prior		 prior;
	int64_t				 snapshot, plan_version, plan_entry;
	int64_t				 created;
	uint64_t			 current;
	int				 y, m, d, rc, ret = -1;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	*usage = 1;
	if (undrawn_batch(db, cfg, req->batch, &task, &batch, &bs) == -1)
		goto out;
	if (bs.state == BATCH_COMMITTED) {
		error("batch '%s' already has a live commitment (%lld); abort "
		    "it first with 'ssj abort %s --reason TEXT'", req->batch,
		    (long long)bs.commitment, req->batch);
		goto out;
	}
	current = beacon_round_at((uint64_t)cfg->beacon.genesis,
	    (uint64_t)cfg->beacon.period, req->now);
	c.round = req->round != 0 ? req->round : current +
	    (uint64_t)cfg->beacon.margin;
	res->round = c.round;
	if (c.round <= current) {
		error("beacon round %llu is already out (the current round is "
		    "%llu): a commitment names a future round",
		    (unsigned long long)c.round, (unsigned long long)current);
		goto out;
	}
	/* A round years ahead would leave the batch stuck until aborted. */
	if (c.round - current > COMMIT_ROUNDS_AHEAD_S /
	    (uint64_t)cfg->beacon.period) {
		error("beacon round %llu is more than a year ahead (the current "
		    "round is %llu): name a round due before the draw",
		    (unsigned long long)c.round, (unsigned long long)current);
		goto out;
	}
	if (db_query_int(db, "SELECT max(id) FROM snapshot", &snapshot) == -1)
		goto out;
	if (snapshot == 0) {
		error("no registry imported yet: nothing to draw from");
		goto out;
	}
	*usage = 0;
	if (db_query_int(db, "SELECT max(id) FROM draw", &prior.draw) == -1 ||
	    db_query_int(db, "SELECT max(id) FROM replacement",
	    &prior.replacement) == -1 ||
	    ledger_note_plan(db, cfg, &plan_entry) == -1 ||
	    db_query_int(db, "SELECT max(id) FROM plan_version",
	    &plan_version) == -1)
		goto out;
	if (frame_build(db, cfg, task, batch, snapshot, &prior,
	    FRAME_KEEP_SHAPE | FRAME_STORE, NULL, &res->frame) == -1 ||
	    (rc = check_feasible(&res->frame)) == -1 || (rc == 1 &&
	    check_whole_pool(db, cfg, task, batch, snapshot, &prior) == -1))
		goto out;

	/*
	 * Verifiers check the round against the commitment's time, taken
	 * now: building the frames of a large registry takes seconds, in
	 * which the round may have come out.
	 */
	timestamp_now(now);
	if (timestamp_parse(now, &created) == -1)
		fatalx("commit: bad timestamp '%s'", now);
	current = beacon_round_at((uint64_t)cfg->beacon.genesis,
	    (uint64_t)cfg->beacon.period, (uint64_t)created);
	if (c.round <= current && req->round == 0)
		c.round = res->round = current + (uint64_t)cfg->beacon.margin;
	else if (c.round <= current) {
		error("beacon round %llu came out while the frames were being "
		    "built (the current round is %llu): name a later round",
		    (unsigned long long)c.round, (unsigned long long)current);
		goto out;
	}
	crypto_random(secret, sizeof(secret));
	crypto_digest(secret, sizeof(secret), c.secret_hash);
	c.batch = (char *)(uintptr_t)req->batch;
	c.created = now;
	c.snapshot = snapshot;
	memcpy(c.frame, res->frame.digest, sizeof(c.frame));
	snprintf(c.chain, sizeof(c.chain), "%s", cfg->beacon.chain);
	c.genesis = (uint64_t)cfg->beacon.genesis;
	snprintf(c.scheme, sizeof(c.scheme), "%s", cfg->beacon.scheme);
	snprintf(c.key, sizeof(c.key), "%s", cfg->beacon.public_key);
	c.period = (uint64_t)cfg->beacon.period;
	c.witnesses = req->witnesses;
	c.nwitnesses = req->nwitnesses;
	res->text = commitment_format(&c);
	crypto_digest(res->text, strlen(res->text), digest);
	crypto_hex(digest, sizeof(digest), hex);

	items = joined(task->items, task->nitems);
	date_to_ymd(batch->draw_date, &y, &m, &d);
	st = db_prepare(db, "INSERT INTO commitment (batch, task, items, lead, "
	    "year, plan_version, snapshot, prior_draw, beacon_round, targets, "
	    "text, digest, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13)");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, req->batch, SIZE_MAX);
	db_bind_text(st, 2, task->id, SIZE_MAX);
	db_bind_text(st, 3, items, SIZE_MAX);
	db_bind_text(st, 4, task->lead, SIZE_MAX);
	db_bind_int(st, 5, y);
	db_bind_int(st, 6, plan_version);
	db_bind_int(st, 7, snapshot);
	db_bind_int(st, 8, prior.draw);
	db_bind_int(st, 9, (int64_t)c.round);
	db_bind_int(st, 10, (int64_t)res->frame.ntargets);
	db_bind_text(st, 11, res->text, SIZE_MAX);
	db_bind_text(st, 12, hex, SIZE_MAX);
	db_bind_text(st, 13, now, SIZE_MAX);
	if (db_step(st) != DB_DONE)
		goto out;
	db_finalize(st);
	res->commitment = db_last_rowid(db);
	st = db_prepare(db, "INSERT INTO commitment_secret (commitment, "
	    "secret) VALUES (?1, ?2)");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, res->commitment);
	db_bind_blob(st, 2, secret, sizeof(secret));
	if (db_step(st) != DB_DONE ||
	    ledger_append(db, "commit", res->commitment, &res->ledger) == -1)
		goto out;
	ret = 0;
out:
	crypto_wipe(secret, sizeof(secret));
	db_finalize(st);
	free(items);
	if (ret == -1)
		commit_result_release(res);
	return ret;
}

void
commit_result_release(struct commit_result *res)
{
	free(res->text);
	frame_release(&res->frame);
	memset(res, 0, sizeof(*res));
}

int
draw_commitment_text(struct db *db, int64_t commitment, char **text,
    int64_t *ledger)
{
	struct db_stmt	*st;
	int		 rc;

	*text = NULL;
	st = db_prepare(db, "SELECT c.text, l.idx FROM commitment c JOIN "
	    "ledger l ON l.event = 'commit' AND l.ref = c.id WHERE c.id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, commitment);
	if ((rc = db_step(st)) == DB_ROW) {
		*text = xstrdup(db_col_text(st, 0));
		*ledger = db_col_int(st, 1);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return error("commitment %lld is missing",
		    (long long)commitment);
	return 0;
}

static int
record_attempt(struct db *db, int64_t commitment, const char *kind,
    const char *reason, int64_t *ledger)
{
	struct db_stmt	*st;
	char		 now[TIMESTAMP_LEN];
	int		 rc;

	timestamp_now(now);
	st = db_prepare(db, "INSERT INTO attempt (commitment, kind, reason, "
	    "at) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, commitment);
	db_bind_text(st, 2, kind, SIZE_MAX);
	db_bind_text(st, 3, reason, SIZE_MAX);
	db_bind_text(st, 4, now, SIZE_MAX);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return ledger_append(db, "attempt", db_last_rowid(db), ledger);
}

int
draw_abort(struct db *db, int64_t commitment, const char *reason,
    int64_t *ledger)
{
	return record_attempt(db, commitment, "abort", reason, ledger);
}

int
draw_record_failure(struct db *db, int64_t commitment, const char *reason,
    int64_t *ledger)
{
	return record_attempt(db, commitment, "failed-draw", reason, ledger);
}

/* A refusal of the draw: said, kept for the attempt's record. */
static int fail(struct draw_result *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct draw_result *res, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(res->failure);
	res->failure = buf_detach(&b, NULL);
	log_warnx("%s", res->failure);
	return -1;
}

/*
 * The last replacement a commitment's frames count: the last one logged
 * before the commitment was.
 */
static int
prior_replacement(struct db *db, int64_t commitment, int64_t *out)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_prepare(db, "SELECT coalesce(max(r.id), 0) FROM replacement r "
	    "JOIN ledger l ON l.event = 'replace' AND l.ref = r.id WHERE "
	    "l.idx < (SELECT idx FROM ledger WHERE event = 'commit' AND "
	    "ref = ?1)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, commitment);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/* The commitment's row: its text, snapshot and what its frames count. */
static int
load_commitment(struct db *db, int64_t id, char **text, int64_t *snapshot,
    struct frame_prior *prior, unsigned char secret[32])
{
	struct db_stmt	*st;
	const void	*p;
	size_t		 len;
	int		 rc;

	st = db_prepare(db, "SELECT c.text, c.snapshot, c.prior_draw, "
	    "s.secret FROM commitment c LEFT JOIN commitment_secret s ON "
	    "s.commitment = c.id WHERE c.id = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW) {
		*text = xstrdup(db_col_text(st, 0));
		*snapshot = db_col_int(st, 1);
		prior->draw = db_col_int(st, 2);
		p = db_col_blob(st, 3, &len);
		memset(secret, 0, 32);
		if (p != NULL && len == 32)
			memcpy(secret, p, 32);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return error("commitment %lld is missing", (long long)id);
	return prior_replacement(db, id, &prior->replacement);
}

/*
 * Whether hash is that of the value and a newline: what `echo VALUE |
 * b2sum` gives, the commonest way a witness gets its hash wrong.
 */
static int
newline_hash(const struct reveal *r, const unsigned char *hash)
{
	struct crypto_digest	 d;
	unsigned char		 h[CRYPTO_DIGEST_BYTES];

	crypto_digest_init(&d, sizeof(h));
	crypto_digest_update(&d, r->value, r->len);
	crypto_digest_update(&d, "\n", 1);
	crypto_digest_final(&d, h);
	return crypto_equal(h, hash, sizeof(h)) == 0;
}

/* The reveals in commitment order, each checked against its hash. */
static int
check_reveals(const struct commitment *c, const struct draw_request *req,
    struct dsr_reveal *out, struct draw_result *res)
{
	unsigned char	 h[CRYPTO_DIGEST_BYTES];
	size_t		 i, j;

	for (j = 0; j < req->nreveals; j++) {
		for (i = 0; i < c->nwitnesses; i++)
			if (strcmp(c->witnesses[i].name, req->reveals[j].name)
			    == 0)
				break;
		if (i == c->nwitnesses)
			return fail(res, "'%s' is not a witness of the "
			    "commitment", req->reveals[j].name);
	}
	for (i = 0; i < c->nwitnesses; i++) {
		for (j = 0; j < req->nreveals; j++)
			if (strcmp(c->witnesses[i].name, req->reveals[j].name)
			    == 0)
				break;
		if (j == req->nreveals)
			return fail(res, "witness '%s' has not revealed its "
			    "value (--reveal %s=VALUE)", c->witnesses[i].name,
			    c->witnesses[i].name);
		crypto_digest(req->reveals[j].value, req->reveals[j].len, h);
		if (crypto_equal(h, c->witnesses[i].hash, sizeof(h)) != 0)
			return fail(res, "the value revealed for witness '%s' "
			    "does not match the hash it committed%s",
			    c->witnesses[i].name, newline_hash(&req->reveals[j],
			    c->witnesses[i].hash) ? ": the hash was made with "
			    "a trailing newline; use 'ssj witness hash'" : "");
		out[i].name = c->witnesses[i].name;
		out[i].value = req->reveals[j].value;
		out[i].len = req->reveals[j].len;
	}
	return 0;
}

static void
put_hex_text(struct buf *b, const unsigned char *p, size_t n)
{
	char	*hex = xmalloc(2 * n + 1);

	crypto_hex(p, n, hex);
	buf_addstr(b, hex);
	free(hex);
}

/* A draw refused because targets cannot be staffed: every one named. */
static void
refuse_unstaffed(struct draw_result *res, const struct team_state *teams)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	buf_printf(&b, "%zu selected target%s cannot be staffed:",
	    teams->nunstaffed, teams->nunstaffed == 1 ? "" : "s");
	for (i = 0; i < teams->nunstaffed; i++)
		buf_printf(&b, "\n  %s", teams->unstaffed[i]);
	fail(res, "%s", buf_cstr(&b));
	buf_release(&b);
}

/* What the summary says of the teams: inspectors used, loads, choice. */
static void
team_summary(const struct team_frame *tf, const struct team_state *teams,
    struct draw_result *res)
{
	size_t	 i;

	res->team_size = tf->team_size;
	res->experts = tf->experts;
	for (i = 0; i < tf->ninspectors; i++) {
		if (teams->load[i] > 0)
			res->inspectors_used++;
		if (teams->load[i] > res->max_load)
			res->max_load = teams->load[i];
	}
	res->min_eligible = UINT32_MAX;
	for (i = 0; i < teams->ntargets; i++)
		if (teams->eligible[i] < res->min_eligible)
			res->min_eligible = teams->eligible[i];
	if (teams->ntargets == 0)
		res->min_eligible = 0;
}

/*
 * Rows go in ROWS_AT_ONCE to an INSERT: a province's draw writes millions,
 * and each statement's step costs as much as a few rows.
 */
#define ROWS_AT_ONCE	64

/*
 * "INSERT OR FAIL INTO table (columns) VALUES (?, ...), ..." for n rows.
 * OR FAIL, not the default ABORT: an ABORT of a statement of many rows
 * would have to undo its own rows, and SQLite copies every page such a
 * statement touches to a statement journal first -- for the selection's
 * index by code, whose pages the rows hit at random, 237 MB of writes to
 * a temporary file for a draw of 48 000 (measured at 1 M; the draw took
 * a fifth longer). A failure rolls the whole transaction back anyway.
 */
static struct db_stmt *
prepare_insert(struct db *db, const char *table, const char *columns,
    size_t ncolumns, size_t n)
{
	struct db_stmt	*st;
	struct buf	 sql = BUF_INIT;
	size_t		 r, c;

	buf_printf(&sql, "INSERT OR FAIL INTO %s (%s) VALUES ", table, columns);
	for (r = 0; r < n; r++) {
		buf_addstr(&sql, r > 0 ? ", (" : "(");
		for (c = 0; c < ncolumns; c++)
			buf_addstr(&sql, c > 0 ? ", ?" : "?");
		buf_addch(&sql, ')');
	}
	st = db_prepare(db, buf_cstr(&sql));
	buf_release(&sql);
	return st;
}

/*
 * Rows [from, to) of a table through statements of ROWS_AT_ONCE rows and
 * of one; bind(arg, st, row, first parameter, rows) binds a row and
 * digests it into rows for the draw's ledger entry (NULL: a table the
 * ledger does not cover).
 */
static int
insert_rows(struct db *db, const char *table, const char *columns,
    size_t ncolumns, size_t nrows,
    void (*bind)(void *, struct db_stmt *, size_t, int, struct ledger_rows *),
    void *arg, struct ledger_rows *rows)
{
	struct db_stmt	*many, *one, *st;
	size_t		 r = 0, k, n;
	int		 ret = -1;

	many = prepare_insert(db, table, columns, ncolumns, ROWS_AT_ONCE);
	one = prepare_insert(db, table, columns, ncolumns, 1);
	if (many == NULL || one == NULL)
		goto out;
	while (r < nrows) {
		if (nrows - r >= ROWS_AT_ONCE) {
			st = many;
			n = ROWS_AT_ONCE;
		} else {
			st = one;
			n = 1;
		}
		for (k = 0; k < n; k++) {
			if (rows != NULL)
				ledger_rows_row(rows);
			bind(arg, st, r + k, (int)(k * ncolumns) + 1, rows);
			if (rows != NULL)
				ledger_rows_end(rows);
		}
		if (db_step(st) != DB_DONE)
			goto out;
		db_reset(st);
		r += n;
	}
	ret = 0;
out:
	db_finalize(many);
	db_finalize(one);
	return ret;
}

struct teams_rows {
	int64_t				 draw;
	const struct team_frame		*tf;
	const struct team_state		*teams;
};

/* A row's cells, bound and digested alike. */
static void
cell_int(struct db_stmt *st, int p, struct ledger_rows *rows, int64_t v)
{
	db_bind_int(st, p, v);
	ledger_rows_int(rows, v);
}

static void
cell_text(struct db_stmt *st, int p, struct ledger_rows *rows,
    const char *s, size_t len)
{
	db_bind_text(st, p, s, len);
	ledger_rows_text(rows, s, len);
}

static void
bind_team(void *arg, struct db_stmt *st, size_t t, int p,
    struct ledger_rows *rows)
{
	const struct teams_rows	*tr = arg;

	cell_int(st, p, rows, tr->draw);
	cell_int(st, p + 1, rows, (int64_t)t + 1);
	cell_int(st, p + 2, rows, tr->teams->eligible[t]);
}

static void
bind_slot(void *arg, struct db_stmt *st, size_t i, int p,
    struct ledger_rows *rows)
{
	const struct teams_rows	*tr = arg;
	size_t			 nslots = tr->teams->nslots;
	const char		*cred;

	cred = tr->tf->inspectors[tr->teams->slot[i]].cred;
	cell_int(st, p, rows, tr->draw);
	cell_int(st, p + 1, rows, (int64_t)(i / nslots) + 1);
	cell_int(st, p + 2, rows, (int64_t)(i % nslots));
	cell_text(st, p + 3, rows, cred, strlen(cred));
}

struct selected_rows {
	int64_t			 draw;
	const struct frame	*fr;
	const size_t		*sel;
	/* the tickets in hex, one a row of a statement, bound as they are */
	char			 hex[ROWS_AT_ONCE][2 * DSR_TICKET_BYTES + 1];
};

static void
bind_selected(void *arg, struct db_stmt *st, size_t i, int p,
    struct ledger_rows *rows)
{
	struct selected_rows	*sr = arg;
	const struct dsr_target	*t = &sr->fr->targets[sr->sel[i]];
	const char		*stratum = sr->fr->strata[t->stratum].name;
	char			*hex = sr->hex[i % ROWS_AT_ONCE];

	num_hex(t->ticket, DSR_TICKET_BYTES, hex);
	cell_int(st, p, rows, sr->draw);
	cell_int(st, p + 1, rows, (int64_t)i + 1);
	cell_text(st, p + 2, rows, t->id, strlen(t->id));
	cell_text(st, p + 3, rows, stratum, strlen(stratum));
	cell_text(st, p + 4, rows, hex, 2 * DSR_TICKET_BYTES);
}

struct selection_keys {
	int64_t			 draw;
	const struct frame	*fr;
	const uint64_t		*by_id;		/* frame_selection_by_id */
};

/* selection_key's row: derived from the selection, not in the ledger. */
static void
bind_key(void *arg, struct db_stmt *st, size_t i, int p,
    struct ledger_rows *rows)
{
	const struct selection_keys	*sk = arg;
	const char			*id;

	(void)rows;
	id = sk->fr->targets[sk->by_id[i] >> 32].id;
	db_bind_int(st, p, sk->draw);
	db_bind_text(st, p + 1, id, strlen(id));
	db_bind_int(st, p + 2, (int64_t)(uint32_t)sk->by_id[i]);
}

/*
 * The teams' rows: each target's eligible count, each slot's inspector
 * (rows[0] and rows[1] digest them).
 */
static int
store_teams(struct db *db, int64_t draw, const struct team_frame *tf,
    const struct team_state *teams, struct ledger_rows rows[2])
{
	struct teams_rows	 tr = { draw, tf, teams };

	return insert_rows(db, "team", "draw, rank, eligible", 3,
	    teams->ntargets, bind_team, &tr, &rows[0]) == -1 ||
	    insert_rows(db, "assignment", "draw, rank, slot, credential", 4,
	    teams->ntargets * teams->nslots, bind_slot, &tr, &rows[1]) ==
	    -1 ? -1 : 0;
}

/* What a later commit reads of this draw (schema v6's draw_summary). */
static int
store_summary(struct db *db, int64_t draw, const struct frame *fr,
    const uint64_t *by_id, size_t nsel, const struct team_frame *tf,
    const struct team_state *teams)
{
	struct db_stmt	*st;
	struct buf	 keys = BUF_INIT, loads = BUF_INIT;
	uint64_t	*slots;
	size_t		 i;
	int		 rc;

	frame_selection_keys(fr, by_id, nsel, &keys);
	slots = xcalloc(tf->ninspectors > 0 ? tf->ninspectors : 1,
	    sizeof(*slots));
	for (i = 0; i < teams->ntargets * teams->nslots; i++)
		slots[teams->slot[i]]++;
	for (i = 0; i < tf->ninspectors; i++)
		if (slots[i] > 0)
			buf_printf(&loads, "%s\t%llu\n", tf->inspectors[i].cred,
			    (unsigned long long)slots[i]);
	free(slots);
	rc = DB_ERROR;
	if ((st = db_prepare(db, "INSERT INTO draw_summary (draw, keys, "
	    "loads) VALUES (?1, ?2, ?3)")) != NULL) {
		db_bind_int(st, 1, draw);
		/* (an empty selection is an empty blob, not NULL) */
		db_bind_blob(st, 2, keys.len > 0 ? keys.data : "", keys.len);
		db_bind_text(st, 3, buf_cstr(&loads), loads.len);
		rc = db_step(st);
		db_finalize(st);
	}
	buf_release(&keys);
	buf_release(&loads);
	return rc == DB_DONE ? 0 : -1;
}

/* The tables of a draw's rows: selection, team, assignment. */
#define DRAW_ROW_TABLES	3

/*
 * The draw's row and its selection (digested into rows), and the
 * selection by code (by_id, in that order: appended, where rows in rank
 * order would land at random places).
 */
static int
store_draw(struct db *db, int64_t commitment, const struct draw_request *req,
    const struct dsr_reveal *reveals, size_t nreveals,
    const unsigned char secret[32], const unsigned char seed[32],
    const struct frame *fr, const size_t *sel, const uint64_t *by_id,
    size_t nsel, struct draw_result *res, struct ledger_rows *rows)
{
	struct db_stmt	*st = NULL;
	struct buf	 rv = BUF_INIT, strata = BUF_INIT, hex = BUF_INIT;
	struct selected_rows sr;
	struct selection_keys sk;
	char		 now[TIMESTAMP_LEN];
	size_t		 i;
	int		 ret = -1;

	for (i = 0; i < nreveals; i++) {
		buf_printf(&rv, "%s ", reveals[i].name);
		bundle_escape(&rv, reveals[i].value, reveals[i].len);
		buf_addch(&rv, '\n');
	}
	for (i = 0; i < fr->nstrata; i++)
		buf_printf(&strata, "%s %llu %llu\n", fr->strata[i].name,
		    (unsigned long long)fr->strata[i].population,
		    (unsigned long long)fr->strata[i].sample);
	put_hex_text(&hex, seed, 32);
	timestamp_now(now);
	st = db_prepare(db, "INSERT INTO draw (commitment, beacon, reveals, "
	    "secret, seed, strata, selected, drawn_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, commitment);
	db_bind_blob(st, 2, req->beacon, req->beaconlen);
	db_bind_text(st, 3, buf_cstr(&rv), rv.len);
	db_bind_blob(st, 4, secret, 32);
	db_bind_text(st, 5, buf_cstr(&hex), hex.len);
	db_bind_text(st, 6, buf_cstr(&strata), strata.len);
	db_bind_int(st, 7, (int64_t)nsel);
	db_bind_text(st, 8, now, SIZE_MAX);
	if (db_step(st) != DB_DONE)
		goto out;
	res->draw = db_last_rowid(db);
	sr.draw = res->draw;
	sr.fr = fr;
	sr.sel = sel;
	sk.draw = res->draw;
	sk.fr = fr;
	sk.by_id = by_id;
	if (insert_rows(db, "selection", "draw, rank, uscc, stratum, ticket",
	    5, nsel, bind_selected, &sr, rows) == -1 ||
	    insert_rows(db, "selection_key", "draw, uscc, rank", 3, nsel,
	    bind_key, &sk, NULL) == -1)
		goto out;
	ret = 0;
out:
	db_finalize(st);
	buf_release(&rv);
	buf_release(&strata);
	buf_release(&hex);
	return ret;
}

int
draw_run(struct db *db, const struct config *cfg,
    const struct draw_request *req, struct draw_result *res)
{
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct batch_status		 bs;
	struct commitment		 c;
	struct beacon			 bc;
	struct dsr_reveal		*reveals = NULL;
	unsigned char			 secret[32], h[CRYPTO_DIGEST_BYTES];
	unsigned char			 cdigest[CRYPTO_DIGEST_BYTES];
	unsigned char			 seed[DSR_SEED_BYTES];
	unsigned char			 key[DSR_TICKET_KEY_BYTES];
	uint64_t			 samples[DSR_MAX_STRATA];
	size_t				*sel = NULL, nsel = 0, i;
	uint64_t			*by_id = NULL;
	char				*text = NULL, *err = NULL;
	struct frame_prior		 prior;
	struct team_frame		 tf;
	struct team_state		 teams;
	struct team_target		*tt = NULL;
	unsigned char			 team_key[DSR_STREAM_KEY_BYTES];
	/* the selection, teams and assignments, for the ledger entry */
	struct ledger_rows		 rows[DRAW_ROW_TABLES];
	int64_t				 snapshot = 0;
	uint64_t			 due, t0, t1, t2, t3, tf0;
	int				 rc, ret = -1;

	memset(res, 0, sizeof(*res));
	ledger_rows_init(&rows[0], "selection", 0);
	ledger_rows_init(&rows[1], "team", 0);
	ledger_rows_init(&rows[2], "assignment", 0);
	memset(&c, 0, sizeof(c));
	memset(&bc, 0, sizeof(bc));
	memset(&tf, 0, sizeof(tf));
	memset(&teams, 0, sizeof(teams));
	memset(&prior, 0, sizeof(prior));
	if (undrawn_batch(db, cfg, req->batch, &task, &batch, &bs) == -1)
		goto out;
	if (bs.state == BATCH_OPEN) {
		error("batch '%s' has no live commitment: commit it first "
		    "with 'ssj commit %s'", req->batch, req->batch);
		goto out;
	}
	res->commitment = bs.commitment;
	if (load_commitment(db, bs.commitment, &text, &snapshot, &prior,
	    secret) == -1)
		goto out;
	if (commitment_parse(text, strlen(text), &c, &err) == -1) {
		fail(res, "commitment %lld: %s", (long long)bs.commitment,
		    err);
		goto out;
	}
	crypto_digest(text, strlen(text), cdigest);

	/*
	 * The beacon: signed by the committed chain's key, the committed
	 * round, randomness = SHA-256(sig).
	 */
	if (beacon_load(req->beacon, req->beaconlen, c.scheme, c.key, &bc,
	    &err) == -1) {
		fail(res, "%s", err);
		goto out;
	}
	if (bc.round != c.round) {
		fail(res, "the beacon record is of round %llu; the commitment "
		    "names round %llu", (unsigned long long)bc.round,
		    (unsigned long long)c.round);
		goto out;
	}
	/* A record of a round that is not out yet cannot be genuine. */
	due = c.genesis + (c.round - 1) * c.period;
	if (req->now < due) {
		fail(res, "beacon round %llu is not out until %llu seconds "
		    "from now: a record of it cannot be genuine",
		    (unsigned long long)c.round,
		    (unsigned long long)(due - req->now));
		goto out;
	}
	reveals = xcalloc(c.nwitnesses > 0 ? c.nwitnesses : 1,
	    sizeof(*reveals));
	if (check_reveals(&c, req, reveals, res) == -1)
		goto out;
	crypto_digest(secret, sizeof(secret), h);
	if (crypto_equal(h, c.secret_hash, sizeof(h)) != 0) {
		fail(res, "the server secret no longer matches its committed "
		    "hash: the database was changed");
		goto out;
	}

	dsr_seed(cdigest, bc.randomness, reveals, c.nwitnesses, secret,
	    seed);
	dsr_ticket_key(seed, key);

	/*
	 * The same frames: those commit kept, read back and checked against
	 * the committed digests, the sample selected as the targets are read
	 * (nothing is stored unless every digest matches); else (an older
	 * commitment) rebuilt from the committed snapshot.
	 */
	tf0 = mono_ms();
	if ((rc = frame_load_sample(db, snapshot, c.frame, key, &res->frame,
	    &sel, &nsel)) == -1 || (rc == 1 && frame_build(db, cfg, task,
	    batch, snapshot, &prior, FRAME_KEEP_TARGETS | FRAME_REVISIONS,
	    NULL, &res->frame) == -1))
		goto out;
	/* Kept frames: the plan must still be the one they were made by. */
	if (rc == 0) {
		if (frame_check_parameters(cfg, task, batch, &res->frame, h) ==
		    -1)
			goto out;
		memcpy(res->frame.digest[FRAME_PARAMETERS], h, sizeof(h));
	}
	for (i = 0; i < FRAME_NFILES; i++)
		if (memcmp(res->frame.digest[i], c.frame[i],
		    CRYPTO_DIGEST_BYTES) != 0) {
			fail(res, "frame '%s' rebuilt from snapshot %lld "
			    "differs from the commitment: the registries or "
			    "the plan changed since; revert the change, or "
			    "'ssj abort %s --reason TEXT' and commit again",
			    frame_file_names[i], (long long)snapshot,
			    req->batch);
			goto out;
		}

	t0 = mono_ms();
	if (rc == 1) {
		dsr_tickets(key, res->frame.targets, res->frame.ntargets);
		for (i = 0; i < res->frame.nstrata; i++)
			samples[i] = res->frame.strata[i].sample;
		if (dsr_select(res->frame.targets, res->frame.ntargets,
		    samples, res->frame.nstrata, &sel, &nsel) == -1) {
			error("selection failed: a stratum's sample is larger "
			    "than it");
			goto out;
		}
	} else
		t0 = tf0;	/* selected as the frames were read */
	res->selected = nsel;

	/* §9: the teams, in rank order; a batch not staffed is refused. */
	t1 = mono_ms();
	if (parse_team_frame(&res->frame, &tf) == -1)
		goto out;
	tt = team_targets(res->frame.targets, sel, nsel);
	dsr_team_key(seed, team_key);
	if (team_assign(&tf, team_key, tt, nsel, &teams) == 1) {
		refuse_unstaffed(res, &teams);
		goto out;
	}
	t2 = mono_ms();
	/* What bench/draw compares: the teams against the selection. */
	log_debug("draw: selection %llu.%03llu s, teams %llu.%03llu s",
	    (unsigned long long)((t1 - t0) / 1000),
	    (unsigned long long)((t1 - t0) % 1000),
	    (unsigned long long)((t2 - t1) / 1000),
	    (unsigned long long)((t2 - t1) % 1000));
	team_summary(&tf, &teams, res);
	/*
	 * 32 MiB of cache for the draw's rows, where SQLite's default is 2
	 * MiB. Sized (a third saved at 1 M) for the selection's index by
	 * code, which took the rows at random places; since schema 11 every
	 * row goes to its table's right edge, and the cache only keeps the
	 * pages being filled from being written to the WAL before the
	 * commit and again at it.
	 */
	if (db_exec(db, "PRAGMA cache_size = -32768") == -1)
		goto out;
	by_id = frame_selection_by_id(sel, nsel);
	if (store_draw(db, bs.commitment, req, reveals, c.nwitnesses, secret,
	    seed, &res->frame, sel, by_id, nsel, res, &rows[0]) == -1 ||
	    store_teams(db, res->draw, &tf, &teams, &rows[1]) == -1 ||
	    store_summary(db, res->draw, &res->frame, by_id, nsel, &tf,
	    &teams) == -1)
		goto out;
	t3 = mono_ms();
	if (ledger_append_rows(db, "draw", res->draw, rows, DRAW_ROW_TABLES,
	    &res->ledger) == -1)
		goto out;
	log_debug("draw: frames %llu ms, store %llu ms, ledger %llu ms",
	    (unsigned long long)(rc == 1 ? t0 - tf0 : t1 - tf0),
	    (unsigned long long)(t3 - t2),
	    (unsigned long long)(mono_ms() - t3));
	ret = 0;
out:
	crypto_wipe(secret, sizeof(secret));
	crypto_wipe(seed, sizeof(seed));
	crypto_wipe(key, sizeof(key));
	crypto_wipe(team_key, sizeof(team_key));
	for (i = 0; i < DRAW_ROW_TABLES; i++)
		ledger_rows_release(&rows[i]);
	team_state_release(&teams);
	team_frame_release(&tf);
	free(tt);
	free(sel);
	free(by_id);
	free(reveals);
	free(text);
	free(err);
	beacon_release(&bc);
	commitment_release(&c);
	if (ret == 0)
		return 0;
	/* A refusal leaves its reason for the attempt record. */
	if (res->failure == NULL)
		draw_result_release(res);
	return -1;
}

void
draw_result_release(struct draw_result *res)
{
	free(res->failure);
	frame_release(&res->frame);
	memset(res, 0, sizeof(*res));
}

/* Export's view of a drawn batch. */

static int
parse_reveal_lines(const char *text, struct manifest *m)
{
	const char	*p, *nl, *sp;
	struct reveal	*r;

	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL ||
		    (sp = memchr(p, ' ', (size_t)(nl - p))) == NULL)
			return error("draw: malformed reveals");
		m->reveals = xreallocarray(m->reveals, m->nreveals + 1,
		    sizeof(*m->reveals));
		r = &m->reveals[m->nreveals++];
		r->name = xstrndup(p, (size_t)(sp - p));
		if (bundle_unescape(sp + 1, (size_t)(nl - sp - 1), &r->value,
		    &r->len) == -1)
			return error("draw: malformed reveal of '%s'", r->name);
	}
	return 0;
}

static int
parse_strata_lines(const char *text, struct manifest *m)
{
	const char		*p, *nl;
	struct stratum_count	*s;
	char			 line[128];
	unsigned long long	 n, k;

	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL ||
		    (size_t)(nl - p) >= sizeof(line))
			return error("draw: malformed strata");
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		m->strata = xreallocarray(m->strata, m->nstrata + 1,
		    sizeof(*m->strata));
		s = &m->strata[m->nstrata++];
		memset(s, 0, sizeof(*s));
		if (sscanf(line, "%31s %llu %llu", s->name, &n, &k) != 3)
			return error("draw: malformed strata");
		s->population = n;
		s->sample = k;
	}
	return 0;
}

static int
load_selection(struct db *db, struct drawn *dn)
{
	struct db_stmt	*st;
	unsigned char	 ticket[DSR_TICKET_BYTES];
	int		 rc;

	st = db_prepare(db, "SELECT rank, uscc, stratum, ticket FROM "
	    "selection WHERE draw = ?1 ORDER BY rank");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, dn->draw);
	dn->selection = xcalloc(1, sizeof(struct buf));
	dn->public_selection = xcalloc(1, sizeof(struct buf));
	buf_addstr(dn->selection, SELECTION_MAGIC);
	buf_addstr(dn->public_selection, SELECTION_PUBLIC_MAGIC);
	while ((rc = db_step(st)) == DB_ROW) {
		if (num_unhex(db_col_text(st, 3), ticket, sizeof(ticket)) ==
		    -1) {
			db_finalize(st);
			return error("draw %lld: malformed ticket",
			    (long long)dn->draw);
		}
		selection_line(dn->selection, (uint64_t)db_col_int(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2), ticket);
		selection_line(dn->public_selection,
		    (uint64_t)db_col_int(st, 0), db_col_text(st, 1), NULL,
		    ticket);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int
draw_load(struct db *db, const char *batch, struct drawn *dn)
{
	struct batch_status	 bs;
	struct db_stmt		*st = NULL;
	struct beacon		 bc;
	struct manifest		*m = &dn->manifest;
	const void		*p;
	size_t			 len;
	char			*err = NULL;
	int			 rc, ret = -1;

	memset(dn, 0, sizeof(*dn));
	memset(&bc, 0, sizeof(bc));
	if (draw_batch_status(db, batch, &bs) == -1)
		goto out;
	if (bs.state != BATCH_DRAWN) {
		error("batch '%s' is not drawn yet", batch);
		goto out;
	}
	dn->commitment = bs.commitment;
	dn->draw = bs.draw;
	st = db_prepare(db, "SELECT c.snapshot, c.prior_draw, c.plan_version, "
	    "c.text, c.digest, c.beacon_round, d.beacon, d.reveals, d.secret, "
	    "d.seed, d.strata, d.selected, (SELECT idx FROM ledger WHERE "
	    "event = 'draw' AND ref = d.id) FROM commitment c JOIN draw d ON "
	    "d.commitment = c.id WHERE d.id = ?1");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, dn->draw);
	if ((rc = db_step(st)) != DB_ROW) {
		if (rc == DB_DONE)
			error("draw %lld is missing", (long long)dn->draw);
		goto out;
	}
	dn->snapshot = db_col_int(st, 0);
	dn->prior.draw = db_col_int(st, 1);
	dn->plan_version = db_col_int(st, 2);
	dn->commitment_text = xstrdup(db_col_text(st, 3));
	m->batch = xstrdup(batch);
	m->round = (uint64_t)db_col_int(st, 5);
	p = db_col_blob(st, 6, &len);
	dn->beacon = xmalloc(len + 1);
	memcpy(dn->beacon, p, len);
	dn->beacon[len] = '\0';
	dn->beaconlen = len;
	p = db_col_blob(st, 8, &len);
	dn->ledger = db_col_isnull(st, 12) ? -1 : db_col_int(st, 12);
	m->selected = (uint64_t)db_col_int(st, 11);
	if (crypto_unhex(db_col_text(st, 4), m->commitment, 32) == -1 ||
	    len != 32 || crypto_unhex(db_col_text(st, 9), m->seed, 32) == -1 ||
	    parse_reveal_lines(db_col_text(st, 7), m) == -1 ||
	    parse_strata_lines(db_col_text(st, 10), m) == -1) {
		error("draw %lld is malformed", (long long)dn->draw);
		goto out;
	}
	memcpy(m->secret, p, 32);
	if (beacon_parse(dn->beacon, dn->beaconlen, &bc, &err) == -1) {
		error("draw %lld: %s", (long long)dn->draw, err);
		goto out;
	}
	memcpy(m->randomness, bc.randomness, 32);
	db_finalize(st);
	st = NULL;
	if (load_selection(db, dn) == -1 ||
	    prior_replacement(db, dn->commitment, &dn->prior.replacement) ==
	    -1)
		goto out;
	ret = 0;
out:
	db_finalize(st);
	free(err);
	beacon_release(&bc);
	if (ret == -1)
		drawn_release(dn);
	return ret;
}

static int	load_replacements(struct db *, struct drawn *);

/*
 * teams.txt: each target's line, its slots in order. The slots, the
 * selection and the teams are read each in its key order and merged:
 * a join would seek two rows a slot, a province's million slots.
 */
int
draw_load_teams(struct db *db, struct drawn *dn, unsigned int team_size)
{
	struct db_stmt	*st, *ss, *sc;
	int64_t		 rank = 0;
	int		 rc, rs = DB_ROW, rt = DB_ROW, slot, slot_max = 0;

	buf_addstr(&dn->teams, "DSR-1 teams\n");
	st = db_prepare(db, "SELECT rank, slot, credential FROM assignment "
	    "WHERE draw = ?1 ORDER BY rank, slot");
	ss = db_prepare(db, "SELECT rank, uscc FROM selection WHERE draw = ?1 "
	    "ORDER BY rank");
	sc = db_prepare(db, "SELECT rank, eligible FROM team WHERE draw = ?1 "
	    "ORDER BY rank");
	if (st == NULL || ss == NULL || sc == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	db_bind_int(st, 1, dn->draw);
	db_bind_int(ss, 1, dn->draw);
	db_bind_int(sc, 1, dn->draw);
	while ((rc = db_step(st)) == DB_ROW) {
		slot = (int)db_col_int(st, 1);
		if (db_col_int(st, 0) != rank) {
			if (rank != 0)
				buf_addstr(&dn->teams, (unsigned int)slot_max <
				    team_size ? "\t-\n" : "\n");
			rank = db_col_int(st, 0);
			while ((rs = db_step(ss)) == DB_ROW &&
			    db_col_int(ss, 0) < rank)
				;
			while ((rt = db_step(sc)) == DB_ROW &&
			    db_col_int(sc, 0) < rank)
				;
			if (rs != DB_ROW || rt != DB_ROW ||
			    db_col_int(ss, 0) != rank ||
			    db_col_int(sc, 0) != rank) {
				rc = rs == DB_ERROR || rt == DB_ERROR ?
				    DB_ERROR : error("draw %lld: rank %lld has "
				    "slots but no selection or team row",
				    (long long)dn->draw, (long long)rank);
				goto out;
			}
			buf_printf(&dn->teams, "%lld\t%s\t%lld\t",
			    (long long)rank, db_col_text(ss, 1),
			    (long long)db_col_int(sc, 1));
		} else
			buf_addch(&dn->teams, (unsigned int)slot == team_size ?
			    '\t' : ';');
		buf_addstr(&dn->teams, db_col_text(st, 2));
		slot_max = slot;
	}
	if (rc != DB_DONE)
		goto out;
	if (rank != 0)
		buf_addstr(&dn->teams, (unsigned int)slot_max < team_size ?
		    "\t-\n" : "\n");
out:
	db_finalize(st);
	db_finalize(ss);
	db_finalize(sc);
	return rc == DB_DONE ? load_replacements(db, dn) : -1;
}

/* replacements.txt, in their order. */
static int
load_replacements(struct db *db, struct drawn *dn)
{
	struct db_stmt	*st;
	int		 rc;

	buf_addstr(&dn->replacements, REPLACEMENTS_MAGIC);
	st = db_prepare(db, "SELECT r.number, s.uscc, r.slot, r.removed, "
	    "r.drawn, r.reason FROM replacement r JOIN selection s ON s.draw "
	    "= r.draw AND s.rank = r.rank WHERE r.draw = ?1 ORDER BY "
	    "r.number");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, dn->draw);
	while ((rc = db_step(st)) == DB_ROW) {
		buf_printf(&dn->replacements, "%lld\t%s\t%lld\t%s\t%s\t",
		    (long long)db_col_int(st, 0), db_col_text(st, 1),
		    (long long)db_col_int(st, 2), db_col_text(st, 3),
		    db_col_text(st, 4));
		bundle_escape(&dn->replacements,
		    (const unsigned char *)db_col_text(st, 5),
		    db_col_bytes(st, 5));
		buf_addch(&dn->replacements, '\n');
		dn->manifest.replacements++;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
cmp_cred(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * names.txt: every inspector of the teams, as drawn or by replacement,
 * with the name of the snapshot. The drawn ones are the draw summary's
 * (schema v6) when it has one: a province's million slots are not read
 * for a few thousand credentials.
 */
int
draw_load_names(struct db *db, const struct drawn *dn, struct buf *out)
{
	struct db_stmt	*st;
	char		**v = NULL;
	const char	*p, *end, *line, *tab;
	size_t		 n = 0, cap = 0, len, i;
	int		 rc, summary = 0;

	st = db_prepare(db, "SELECT loads FROM draw_summary WHERE draw = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, dn->draw);
	if ((rc = db_step(st)) == DB_ROW) {
		summary = 1;
		p = db_col_text(st, 0);
		end = p + strlen(p);
		while (frame_next_line(&p, end, &line, &len) == 1 &&
		    (tab = memchr(line, '\t', len)) != NULL) {
			if (n == cap) {
				cap = cap > 0 ? cap * 2 : 256;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			v[n++] = xstrndup(line, (size_t)(tab - line));
		}
	}
	db_finalize(st);
	if (rc != DB_ROW && rc != DB_DONE)
		goto out;
	st = db_prepare(db, summary ? "SELECT drawn FROM replacement WHERE "
	    "draw = ?1" : "SELECT credential FROM assignment WHERE draw = ?1 "
	    "UNION SELECT drawn FROM replacement WHERE draw = ?1");
	if (st == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	db_bind_int(st, 1, dn->draw);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap > 0 ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = xstrdup(db_col_text(st, 0));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto out;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_cred);
	st = db_prepare(db, "SELECT name FROM inspector_rev WHERE credential "
	    "= ?1 AND snapshot <= ?2 ORDER BY snapshot DESC LIMIT 1");
	if (st == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	buf_addstr(out, "DSR-1 names\n");
	for (i = 0; i < n && rc == DB_DONE; i++) {
		if (i > 0 && strcmp(v[i - 1], v[i]) == 0)
			continue;
		db_bind_text(st, 1, v[i], SIZE_MAX);
		db_bind_int(st, 2, dn->snapshot);
		rc = db_step(st);
		buf_printf(out, "%s\t%s\n", v[i], rc == DB_ROW &&
		    db_col_text(st, 0) != NULL ? db_col_text(st, 0) : "");
		if (rc == DB_ROW)
			rc = DB_DONE;
		db_reset(st);
	}
	db_finalize(st);
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc == DB_DONE ? 0 : -1;
}

void
drawn_release(struct drawn *dn)
{
	free(dn->commitment_text);
	free(dn->beacon);
	manifest_release(&dn->manifest);
	if (dn->selection != NULL)
		buf_release(dn->selection);
	if (dn->public_selection != NULL)
		buf_release(dn->public_selection);
	free(dn->selection);
	free(dn->public_selection);
	buf_release(&dn->teams);
	buf_release(&dn->replacements);
	memset(dn, 0, sizeof(*dn));
}

/* The plan the draw was committed under, as it was. */
struct config *
draw_plan(struct db *db, int64_t id)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg = NULL;
	struct db_stmt		*st;
	const void		*body;
	size_t			 len;

	st = db_prepare(db, "SELECT file_name, body FROM plan_version WHERE "
	    "id = ?1");
	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW) {
		body = db_col_blob(st, 1, &len);
		cfg = config_load_buffer(body, len, db_col_text(st, 0), 0,
		    &errs);
		if (cfg == NULL) {
			config_errors_print(&errs, stderr);
			log_warnx("the plan this batch was committed under "
			    "(plan version %lld) no longer loads",
			    (long long)id);
		}
	} else
		log_warnx("plan version %lld is missing", (long long)id);
	db_finalize(st);
	config_errors_release(&errs);
	return cfg;
}

static void
frame_differs(struct ledger_report *r, int64_t idx, int64_t commitment,
    const char *batch, size_t file, int64_t snapshot)
{
	ledger_add_problem(r, idx, xasprintf("frame %lld %s",
	    (long long)commitment, frame_file_names[file]), xasprintf("entry "
	    "%lld (commit %lld, batch '%s'): frame '%s' rebuilt from snapshot "
	    "%lld's revisions differs from the one committed: it was made "
	    "from derived tables changed outside ssj (enterprise_cur, "
	    "risk_cur, frame_image); investigate, then record a finding "
	    "('ssj ledger acknowledge')", (long long)idx,
	    (long long)commitment, batch, frame_file_names[file],
	    (long long)snapshot));
}

/*
 * For 'ssj ledger verify': every commitment's frames rebuilt from its
 * snapshot's revisions, which the ledger covers, and compared with the
 * committed digests. Commit reads derived tables (the current tables, the
 * frame image) and draw and export read the frames it kept: this is what
 * proves that they were the registry's.
 */
int
draw_check_frames(struct db *db, struct ledger_report *r)
{
	struct db_stmt			*st;
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct config			*cfg = NULL;
	struct commitment		 c;
	struct frame_prior		 prior;
	struct frame			 fr;
	unsigned char			 secret[32];
	char				*text, *err;
	int64_t				 id, idx, snapshot, version = 0;
	size_t				 i;
	int				 rc, ret = -1;

	st = db_prepare(db, "SELECT c.id, c.batch, c.plan_version, l.idx FROM "
	    "commitment c JOIN ledger l ON l.event = 'commit' AND l.ref = "
	    "c.id ORDER BY c.id");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		id = db_col_int(st, 0);
		idx = db_col_int(st, 3);
		text = err = NULL;
		memset(&c, 0, sizeof(c));
		memset(&prior, 0, sizeof(prior));
		if (version != db_col_int(st, 2)) {
			config_free(cfg);
			version = db_col_int(st, 2);
			cfg = draw_plan(db, version);
		}
		if (cfg == NULL || find_batch(cfg, db_col_text(st, 1), &task,
		    &batch) == -1) {
			log_warnx("commitment %lld: its frames are not "
			    "rebuilt: its plan no longer has its batch",
			    (long long)id);
			continue;
		}
		if (load_commitment(db, id, &text, &snapshot, &prior,
		    secret) == -1 || commitment_parse(text, strlen(text), &c,
		    &err) == -1 || frame_build(db, cfg, task, batch, snapshot,
		    &prior, FRAME_REVISIONS, NULL, &fr) == -1) {
			crypto_wipe(secret, sizeof(secret));
			if (err != NULL)
				error("commitment %lld: %s", (long long)id,
				    err);
			free(text);
			free(err);
			commitment_release(&c);
			goto out;
		}
		crypto_wipe(secret, sizeof(secret));
		for (i = 0; i < FRAME_NFILES; i++)
			if (memcmp(fr.digest[i], c.frame[i],
			    CRYPTO_DIGEST_BYTES) != 0)
				frame_differs(r, idx, id, batch->id, i,
				    snapshot);
		frame_release(&fr);
		free(text);
		commitment_release(&c);
	}
	ret = rc == DB_DONE ? 0 : -1;
out:
	db_finalize(st);
	config_free(cfg);
	return ret;
}

int
draw_rebuild_frames(struct db *db, const struct config *cfg,
    const struct drawn *dn, const struct config_task *task,
    const struct config_batch *batch, int flags, const char *dir,
    struct frame *fr)
{
	struct commitment	 c;
	char			*err = NULL;
	size_t			 i;
	int			 rc, ret = -1;

	memset(&c, 0, sizeof(c));
	memset(fr, 0, sizeof(*fr));
	if (commitment_parse(dn->commitment_text, strlen(dn->commitment_text),
	    &c, &err) == -1) {
		error("commitment %lld: %s", (long long)dn->commitment, err);
		goto out;
	}
	/* Kept by commit (checked against c.frame), or rebuilt. */
	if ((rc = frame_load(db, dn->snapshot, c.frame, flags, dir, fr)) ==
	    -1 || (rc == 1 && frame_build(db, cfg, task, batch, dn->snapshot,
	    &dn->prior, flags | FRAME_REVISIONS, dir, fr) == -1))
		goto out;
	for (i = 0; i < FRAME_NFILES; i++)
		if (memcmp(fr->digest[i], c.frame[i], CRYPTO_DIGEST_BYTES) !=
		    0) {
			error("frame '%s' rebuilt from snapshot %lld no longer "
			    "matches the commitment: check the ledger ('ssj "
			    "ledger verify')", frame_file_names[i],
			    (long long)dn->snapshot);
			goto out;
		}
	ret = 0;
out:
	free(err);
	commitment_release(&c);
	return ret;
}

static int
target_id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dsr_target *)a)->id,
	    ((const struct dsr_target *)b)->id);
}

/* The selected targets in rank order, with their divisions from fr. */
static int
load_selected(struct db *db, int64_t draw, const struct frame *fr,
    struct team_target **out, size_t *n)
{
	struct db_stmt		*st;
	struct dsr_target	 key;
	const struct dsr_target	*t;
	int			 rc;

	*out = NULL;
	*n = 0;
	st = db_prepare(db, "SELECT uscc FROM selection WHERE draw = ?1 "
	    "ORDER BY rank");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, draw);
	memset(&key, 0, sizeof(key));
	while ((rc = db_step(st)) == DB_ROW) {
		snprintf(key.id, sizeof(key.id), "%s", db_col_text(st, 0));
		t = bsearch(&key, fr->targets, fr->ntargets,
		    sizeof(*fr->targets), target_id_cmp);
		if (t == NULL) {
			db_finalize(st);
			return error("draw %lld: '%s' is selected but not in "
			    "the frame", (long long)draw, key.id);
		}
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[*n].id = t->id;
		(*out)[(*n)++].division = t->division;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * The teams as they stand: the draw's assignment replayed from the
 * frames and the seed, then each recorded replacement, each checked
 * against the rows -- a replacement must start from what was published.
 */
static int
replay_teams(struct db *db, struct drawn *dn, const struct team_frame *tf,
    const struct team_target *tt, size_t n, struct team_state *st)
{
	struct db_stmt	*q;
	unsigned char	 key[DSR_STREAM_KEY_BYTES];
	struct buf	 text = BUF_INIT;
	char		*err = NULL;
	size_t		 slot;
	uint32_t	 chosen;
	long		 old;
	int		 rc, ret = -1;

	dsr_team_key(dn->manifest.seed, key);
	if (team_assign(tf, key, tt, n, st) != 0 ||
	    draw_load_teams(db, dn, tf->team_size) == -1)
		goto out;
	team_write(tf, st, tt, &text);
	if (text.len != dn->teams.len ||
	    memcmp(text.data, dn->teams.data, text.len) != 0) {
		error("draw %lld: the teams recorded are not those the frames "
		    "and the seed give: check the ledger ('ssj ledger verify')",
		    (long long)dn->draw);
		goto out;
	}
	q = db_prepare(db, "SELECT number, rank, slot, removed, drawn FROM "
	    "replacement WHERE draw = ?1 ORDER BY number");
	if (q == NULL)
		goto out;
	db_bind_int(q, 1, dn->draw);
	while ((rc = db_step(q)) == DB_ROW) {
		old = team_find(tf, db_col_text(q, 3));
		dsr_replace_key(dn->manifest.seed, (uint64_t)db_col_int(q, 0),
		    key);
		if (old < 0 || db_col_int(q, 1) < 1 ||
		    (size_t)db_col_int(q, 1) > n ||
		    team_replace(tf, st, tt, (size_t)db_col_int(q, 1) - 1,
		    (uint32_t)old, key, &slot, &chosen, &err) == -1 ||
		    slot != (size_t)db_col_int(q, 2) ||
		    strcmp(tf->inspectors[chosen].cred,
		    db_col_text(q, 4)) != 0) {
			error("draw %lld: replacement %lld does not replay: "
			    "check the ledger ('ssj ledger verify')",
			    (long long)dn->draw, (long long)db_col_int(q, 0));
			db_finalize(q);
			goto out;
		}
	}
	db_finalize(q);
	ret = rc == DB_DONE ? 0 : -1;
out:
	crypto_wipe(key, sizeof(key));
	buf_release(&text);
	free(err);
	return ret;
}

/* What a replacement needs of a drawn batch: its teams as they stand. */
struct replace_ctx {
	struct drawn		 dn;
	struct config		*cfg;
	struct frame		 fr;
	struct team_frame	 tf;
	struct team_state	 st;
	struct team_target	*tt;
	size_t			 n;
};

static void
replace_ctx_release(struct replace_ctx *rc)
{
	free(rc->tt);
	team_state_release(&rc->st);
	team_frame_release(&rc->tf);
	frame_release(&rc->fr);
	config_free(rc->cfg);
	drawn_release(&rc->dn);
	memset(rc, 0, sizeof(*rc));
}

static int
replace_load(struct db *db, const char *id, struct replace_ctx *rc,
    int *usage)
{
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct batch_status		 bs;

	memset(rc, 0, sizeof(*rc));
	if (draw_batch_status(db, id, &bs) == -1)
		return -1;
	if (bs.state != BATCH_DRAWN) {
		*usage = 1;
		return error("batch '%s' is not drawn: there is no team to "
		    "change", id);
	}
	if (draw_load(db, id, &rc->dn) == -1 ||
	    (rc->cfg = draw_plan(db, rc->dn.plan_version)) == NULL ||
	    find_batch(rc->cfg, id, &task, &batch) == -1 ||
	    draw_rebuild_frames(db, rc->cfg, &rc->dn, task, batch,
	    FRAME_KEEP_TARGETS, NULL, &rc->fr) == -1 ||
	    parse_team_frame(&rc->fr, &rc->tf) == -1 ||
	    load_selected(db, rc->dn.draw, &rc->fr, &rc->tt, &rc->n) == -1 ||
	    replay_teams(db, &rc->dn, &rc->tf, rc->tt, rc->n, &rc->st) == -1)
		return -1;
	return 0;
}

/* The inspector old off target t: the next replacement, drawn and kept. */
static int
replace_one(struct db *db, struct replace_ctx *rc, size_t t, long old,
    const char *reason, struct replace_result *res)
{
	struct db_stmt	*q = NULL;
	unsigned char	 key[DSR_STREAM_KEY_BYTES];
	char		 now[TIMESTAMP_LEN], *err = NULL;
	int		 ret = -1;

	memset(res, 0, sizeof(*res));
	res->number = rc->dn.manifest.replacements + 1;
	res->rank = t + 1;
	dsr_replace_key(rc->dn.manifest.seed, res->number, key);
	if (team_replace(&rc->tf, &rc->st, rc->tt, t, (uint32_t)old, key,
	    &res->slot, &res->chosen_index, &err) == -1) {
		error("%s", err);
		res->usage = strstr(err, "is not on the team") != NULL;
		goto out;
	}
	snprintf(res->drawn, sizeof(res->drawn), "%s",
	    rc->tf.inspectors[res->chosen_index].cred);
	snprintf(res->target, sizeof(res->target), "%s", rc->tt[t].id);
	timestamp_now(now);
	q = db_prepare(db, "INSERT INTO replacement (draw, number, rank, "
	    "slot, removed, drawn, reason, at) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8)");
	if (q == NULL)
		goto out;
	db_bind_int(q, 1, rc->dn.draw);
	db_bind_int(q, 2, (int64_t)res->number);
	db_bind_int(q, 3, (int64_t)res->rank);
	db_bind_int(q, 4, (int64_t)res->slot);
	db_bind_text(q, 5, rc->tf.inspectors[old].cred, SIZE_MAX);
	db_bind_text(q, 6, res->drawn, SIZE_MAX);
	db_bind_text(q, 7, reason, SIZE_MAX);
	db_bind_text(q, 8, now, SIZE_MAX);
	if (db_step(q) != DB_DONE ||
	    ledger_append(db, "replace", db_last_rowid(db), &res->ledger) ==
	    -1)
		goto out;
	rc->dn.manifest.replacements = res->number;
	ret = 0;
out:
	crypto_wipe(key, sizeof(key));
	db_finalize(q);
	free(err);
	return ret;
}

int
draw_replace(struct db *db, const struct replace_request *req,
    struct replace_result *res)
{
	struct replace_ctx	 rc;
	size_t			 t;
	long			 old;
	int			 ret = -1;

	memset(res, 0, sizeof(*res));
	if (replace_load(db, req->batch, &rc, &res->usage) == -1)
		goto out;
	for (t = 0; t < rc.n && strcmp(rc.tt[t].id, req->target) != 0; t++)
		;
	if (t == rc.n) {
		error("'%s' is not a selected target of batch '%s'",
		    req->target, req->batch);
		res->usage = 1;
		goto out;
	}
	if ((old = team_find(&rc.tf, req->inspector)) < 0) {
		error("inspector '%s' is not in the frame of batch '%s'",
		    req->inspector, req->batch);
		res->usage = 1;
		goto out;
	}
	ret = replace_one(db, &rc, t, old, req->reason, res);
out:
	replace_ctx_release(&rc);
	return ret;
}

int
draw_replace_all(struct db *db, const struct replace_request *req,
    struct replace_result **res, size_t *nres, int *usage)
{
	struct replace_ctx	 rc;
	size_t			 t, k;
	long			 old;
	int			 ret = -1;

	*res = NULL;
	*nres = 0;
	*usage = 0;
	if (replace_load(db, req->batch, &rc, usage) == -1)
		goto out;
	if ((old = team_find(&rc.tf, req->inspector)) < 0) {
		*usage = 1;
		error("inspector '%s' is not in the frame of batch '%s'",
		    req->inspector, req->batch);
		goto out;
	}
	/* Rank order, each from the teams the one before left. */
	for (t = 0; t < rc.n; t++) {
		for (k = 0; k < rc.st.nslots; k++)
			if (rc.st.slot[t * rc.st.nslots + k] == (uint32_t)old)
				break;
		if (k == rc.st.nslots)
			continue;
		*res = xreallocarray(*res, *nres + 1, sizeof(**res));
		if (replace_one(db, &rc, t, old, req->reason,
		    &(*res)[*nres]) == -1) {
			error("no replacement is kept: the batch's teams are "
			    "as they were");
			goto out;
		}
		(*nres)++;
	}
	if (*nres == 0) {
		*usage = 1;
		error("inspector '%s' is on no team of batch '%s'",
		    req->inspector, req->batch);
		goto out;
	}
	ret = 0;
out:
	replace_ctx_release(&rc);
	if (ret == -1) {
		free(*res);
		*res = NULL;
		*nres = 0;
	}
	return ret;
}

/*
 * A rehearsal: the frames the batch would be committed with now, drawn
 * under a throwaway seed, nothing written. The caller keeps the database
 * read-only; the unstaffed targets are said as warnings, not refused.
 */
int
draw_rehearse(struct db *db, const struct config *cfg, const char *id,
    struct draw_result *res, int *usage)
{
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct batch_status		 bs;
	struct frame_prior		 prior;
	struct team_frame		 tf;
	struct team_state		 teams;
	struct team_target		*tt = NULL;
	unsigned char			 seed[DSR_SEED_BYTES];
	unsigned char			 key[DSR_TICKET_KEY_BYTES];
	unsigned char			 team_key[DSR_STREAM_KEY_BYTES];
	uint64_t			 samples[DSR_MAX_STRATA];
	size_t				*sel = NULL, nsel = 0, i;
	int64_t				 snapshot;
	int				 ret = -1;

	memset(res, 0, sizeof(*res));
	memset(&tf, 0, sizeof(tf));
	memset(&teams, 0, sizeof(teams));
	*usage = 1;
	if (undrawn_batch(db, cfg, id, &task, &batch, &bs) == -1)
		goto out;
	if (db_query_int(db, "SELECT max(id) FROM snapshot", &snapshot) == -1)
		goto out;
	if (snapshot == 0) {
		error("no registry imported yet: nothing to draw from");
		goto out;
	}
	*usage = 0;
	if (db_query_int(db, "SELECT max(id) FROM draw", &prior.draw) == -1 ||
	    db_query_int(db, "SELECT max(id) FROM replacement",
	    &prior.replacement) == -1 ||
	    frame_build(db, cfg, task, batch, snapshot, &prior,
	    FRAME_KEEP_TARGETS, NULL, &res->frame) == -1 ||
	    check_feasible(&res->frame) == -1)
		goto out;
	crypto_random(seed, sizeof(seed));
	dsr_ticket_key(seed, key);
	dsr_tickets(key, res->frame.targets, res->frame.ntargets);
	for (i = 0; i < res->frame.nstrata; i++)
		samples[i] = res->frame.strata[i].sample;
	if (dsr_select(res->frame.targets, res->frame.ntargets, samples,
	    res->frame.nstrata, &sel, &nsel) == -1) {
		error("selection failed: a stratum's sample is larger than it");
		goto out;
	}
	res->selected = nsel;
	if (parse_team_frame(&res->frame, &tf) == -1)
		goto out;
	tt = team_targets(res->frame.targets, sel, nsel);
	dsr_team_key(seed, team_key);
	if (team_assign(&tf, team_key, tt, nsel, &teams) == 1)
		refuse_unstaffed(res, &teams);
	team_summary(&tf, &teams, res);
	ret = 0;
out:
	crypto_wipe(seed, sizeof(seed));
	crypto_wipe(key, sizeof(key));
	crypto_wipe(team_key, sizeof(team_key));
	team_state_release(&teams);
	team_frame_release(&tf);
	free(tt);
	free(sel);
	if (ret == -1)
		draw_result_release(res);
	return ret;
}
