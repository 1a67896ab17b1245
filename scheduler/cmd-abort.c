/*
 * ssj abort: ends a batch's live commitment without a draw, with the
 * reason on record; every attempt stays in the ledger.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "draw.h"
#include "ledger.h"
#include "log.h"
#include "schema.h"

static int	cmd_abort_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_abort_entry = {
	.name = "abort",
	.usage = "abort batch --reason text",
	.summary = "abort a batch's live commitment, with the reason logged",
	.exec = cmd_abort_exec,
};

static int
cmd_abort_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct batch_status		 bs;
	struct db			*db;
	const char			*reason = NULL, *batch;
	int64_t				 ledger;
	int				 ch, ret = EXIT_FAILED;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'r')
			return cmd_usage(&cmd_abort_entry);
		reason = optarg;
	}
	if (argc - optind != 1 || reason == NULL)
		return cmd_usage(&cmd_abort_entry);
	batch = argv[optind];
	if (*reason == '\0') {
		log_warnx("an abort needs a reason");
		return EXIT_USAGE;
	}
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 ||
	    draw_batch_status(db, batch, &bs) == -1) {
		db_rollback(db);
		goto out;
	}
	if (bs.state != BATCH_COMMITTED) {
		db_rollback(db);
		log_warnx("batch '%s' has no live commitment to abort%s",
		    batch, bs.state == BATCH_DRAWN ? ": it was drawn, and a "
		    "draw is final" : "");
		ret = EXIT_USAGE;
		goto out;
	}
	if (draw_abort(db, bs.commitment, reason, &ledger) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	printf("aborted commitment %lld of batch '%s'; ledger entry %lld\n",
	    (long long)bs.commitment, batch, (long long)ledger);
	ret = EXIT_DONE;
out:
	db_close(db);
	return ret;
}
