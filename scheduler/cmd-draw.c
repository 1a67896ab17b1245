/*
 * ssj draw: after the committed beacon round is out, checks the witnesses'
 * reveals and the beacon record against the commitment, rebuilds the
 * frames, derives the seed and selects. Final; a refusal is logged.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "beacon.h"
#include "buf.h"
#include "bundle.h"
#include "cmd.h"
#include "config.h"
#include "db.h"
#include "draw.h"
#include "file.h"
#include "ledger.h"
#include "log.h"
#include "schedule.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_draw_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_draw_entry = {
	.name = "draw",
	.usage = "draw batch [--reveal name=value ...] [--beacon file] "
	    "[--now time]",
	.summary = "draw a committed batch with the witnesses' values and the "
	    "beacon",
	.exec = cmd_draw_exec,
};

/* The committed round's record, from the plan's beacon command. */
static int
fetch_beacon(const struct config *cfg, struct db *db, const char *batch,
    struct buf *out)
{
	struct batch_status	 bs;
	int64_t			 round = 0;

	if (cfg->beacon.command == NULL)
		return error("no beacon record: give --beacon FILE, or a "
		    "'beacon.command' in the plan");
	if (draw_batch_status(db, batch, &bs) == -1)
		return -1;
	if (bs.state == BATCH_COMMITTED) {
		struct db_stmt	*st;

		st = db_prepare(db, "SELECT beacon_round FROM commitment "
		    "WHERE id = ?1");
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, bs.commitment);
		if (db_step(st) == DB_ROW)
			round = db_col_int(st, 0);
		db_finalize(st);
	}
	if (round == 0)
		return 0;	/* draw_run says what is wrong */
	return beacon_fetch(cfg->beacon.command, cfg->beacon.chain,
	    (uint64_t)round, out);
}

/*
 * The batch's state, before anything about the beacon: a batch the plan
 * does not have, or one with no live commitment, is the user's to fix
 * (exit 2, as commit says of the same states).
 */
static int
check_committed(const struct config *cfg, struct db *db, const char *batch)
{
	const struct config_task	*task;
	struct batch_status		 bs;

	if (config_find_batch(cfg, batch, &task) == NULL)
		return error("no batch '%s' in the plan '%s'", batch,
		    cfg->path);
	if (draw_batch_status(db, batch, &bs) == -1)
		return -1;
	if (bs.state == BATCH_DRAWN)
		return error("batch '%s' was drawn (draw %lld): a draw is "
		    "final", batch, (long long)bs.draw);
	if (bs.state == BATCH_OPEN)
		return error("batch '%s' has no live commitment: commit it "
		    "first with 'ssj commit %s'", batch, batch);
	return 0;
}

static int
parse_reveal(const char *arg, struct reveal *r)
{
	const char	*eq;

	memset(r, 0, sizeof(*r));
	if ((eq = strchr(arg, '=')) == NULL || eq == arg)
		return error("bad --reveal '%s': give NAME=VALUE", arg);
	r->name = xstrndup(arg, (size_t)(eq - arg));
	r->value = (unsigned char *)xstrdup(eq + 1);
	r->len = strlen(eq + 1);
	return 0;
}

void
cmd_print_strata(const struct frame *fr)
{
	const struct frame_stratum	*h;
	uint64_t			 g, a, t;
	size_t				 i;

	printf("  %-10s %10s %10s  %s\n", "stratum", "N_h", "n_h",
	    "inclusion probability");
	for (i = 0; i < fr->nstrata; i++) {
		h = &fr->strata[i];
		for (g = h->sample, a = h->population; a != 0; ) {
			t = g % a;
			g = a;
			a = t;
		}
		printf("  %-10s %10llu %10llu  %llu/%llu\n", h->name,
		    (unsigned long long)h->population,
		    (unsigned long long)h->sample,
		    (unsigned long long)(g ? h->sample / g : 0),
		    (unsigned long long)(g ? h->population / g : 0));
	}
}

static void
print_result(const char *batch, const struct draw_result *res)
{
	printf("drew batch '%s': %llu of %zu targets (draw %lld, ledger "
	    "entry %lld)\n", batch, (unsigned long long)res->selected,
	    res->frame.ntargets, (long long)res->draw, (long long)res->ledger);
	cmd_print_strata(&res->frame);
	printf("teams of %u inspector%s", res->team_size,
	    res->team_size == 1 ? "" : "s");
	if (res->experts > 0)
		printf(" and %u expert%s", res->experts,
		    res->experts == 1 ? "" : "s");
	printf(": %llu inspectors in use, at most %llu targets each; the "
	    "least choice was %u eligible for a target ('ssj show %s')\n",
	    (unsigned long long)res->inspectors_used,
	    (unsigned long long)res->max_load, (unsigned int)res->min_eligible,
	    batch);
}

int
cmd_draw_batch(struct ssj_ctx *ctx, const struct config *cfg,
    struct draw_opts *o)
{
	struct draw_request		 req;
	struct draw_result		 res;
	struct buf			 beacon = BUF_INIT;
	struct db			*db = NULL;
	int64_t				 ledger;
	int				 bulk = 0, ret = EXIT_USAGE;

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	o->failed = 0;
	req.batch = o->batch;
	req.reveals = o->reveals;
	req.nreveals = o->nreveals;
	if ((db = schema_open(ctx->db_path, DB_PATIENT)) == NULL ||
	    check_committed(cfg, db, req.batch) == -1)
		goto out;
	if (o->beacon_text != NULL)
		buf_add(&beacon, o->beacon_text, o->beacon_len);
	else if (o->beacon_path != NULL ? file_read(o->beacon_path, &beacon) ==
	    -1 : fetch_beacon(cfg, db, req.batch, &beacon) == -1)
		goto out;
	req.beacon = buf_cstr(&beacon);
	req.beaconlen = beacon.len;
	req.now = (uint64_t)o->now;
	ret = EXIT_FAILED;
	/*
	 * Every row the draw writes names the draw, written first in the
	 * same transaction: SQLite's check of the reference would be one
	 * more lookup for each of millions of rows. Its rows are added at
	 * the tables' ends: out of WAL if alone, they are written once
	 * (a province's draw: 130 MB, whose checkpoint took 0.35 s).
	 */
	if (db_exec(db, "PRAGMA foreign_keys = OFF") == -1 ||
	    (bulk = db_bulk_journal(db)) == -1 || db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1) {
		db_rollback(db);
		goto out;
	}
	if (draw_run(db, cfg, &req, &res) == -1) {
		db_rollback(db);
		if (res.failure == NULL)
			goto out;
		/* Nothing of the draw is kept; the attempt is. */
		if (db_begin(db) == -1 || draw_record_failure(db,
		    res.commitment, res.failure, &ledger) == -1 ||
		    db_commit(db) == -1) {
			db_rollback(db);
			goto out;
		}
		o->failed = 1;
		log_warnx("no draw of batch '%s': the failed attempt is ledger "
		    "entry %lld; the commitment stays live", req.batch,
		    (long long)ledger);
		goto out;
	}
	if (db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	if (!o->quiet)
		print_result(req.batch, &res);
	ret = EXIT_DONE;
out:
	if (bulk == 1)
		db_bulk_journal_end(db);
	draw_result_release(&res);
	buf_release(&beacon);
	db_close(db);
	return ret;
}

static int
cmd_draw_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "reveal", required_argument, NULL, 'r' },
		{ "beacon", required_argument, NULL, 'b' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct draw_opts		 o;
	struct config			*cfg = NULL;
	struct reveal			*rv = NULL;
	const char			*nowarg = NULL;
	size_t				 nrv = 0, i;
	int				 ch, ret = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			rv = xreallocarray(rv, nrv + 1, sizeof(*rv));
			if (parse_reveal(optarg, &rv[nrv]) == -1)
				goto out;
			nrv++;
			break;
		case 'b':
			o.beacon_path = optarg;
			break;
		case 'n':
			nowarg = optarg;
			break;
		default:
			ret = cmd_usage(&cmd_draw_entry);
			goto out;
		}
	}
	if (argc - optind != 1) {
		ret = cmd_usage(&cmd_draw_entry);
		goto out;
	}
	o.batch = argv[optind];
	o.reveals = rv;
	o.nreveals = nrv;
	if (schedule_now(nowarg, &o.now) == -1 ||
	    (cfg = cmd_load_plan(ctx, 1, NULL)) == NULL)
		goto out;
	ret = cmd_draw_batch(ctx, cfg, &o);
out:
	for (i = 0; i < nrv; i++) {
		free(rv[i].name);
		free(rv[i].value);
	}
	free(rv);
	config_free(cfg);
	return ret;
}
