/*
 * ssj replace: takes an inspector off a drawn target's team (a conflict
 * found after the draw, illness) and draws the replacement from the
 * remaining eligible inspectors, under the replacement's own stream
 * (docs/protocol.md §9.6). The old assignment stays; the reason is logged.
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

static int	cmd_replace_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_replace_entry = {
	.name = "replace",
	.usage = "replace batch --target id --inspector credential "
	    "--reason text",
	.summary = "replace an inspector of a drawn team by a replacement draw",
	.exec = cmd_replace_exec,
};

static int
cmd_replace_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "inspector", required_argument, NULL, 'i' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct replace_request		 req;
	struct replace_result		 res;
	struct db			*db;
	int				 ch, ret = EXIT_FAILED;

	memset(&req, 0, sizeof(req));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			req.target = optarg;
			break;
		case 'i':
			req.inspector = optarg;
			break;
		case 'r':
			req.reason = optarg;
			break;
		default:
			return cmd_usage(&cmd_replace_entry);
		}
	}
	if (argc - optind != 1 || req.target == NULL ||
	    req.inspector == NULL || req.reason == NULL)
		return cmd_usage(&cmd_replace_entry);
	req.batch = argv[optind];
	if (*req.reason == '\0') {
		log_warnx("a replacement needs a reason");
		return EXIT_USAGE;
	}
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 || draw_replace(db, &req, &res) == -1) {
		db_rollback(db);
		if (res.usage)
			ret = EXIT_USAGE;
		goto out;
	}
	if (db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	printf("replacement %llu of batch '%s': '%s' off target '%s' (rank "
	    "%zu, slot %zu), '%s' drawn in its place; ledger entry %lld\n",
	    (unsigned long long)res.number, req.batch, req.inspector,
	    req.target, res.rank, res.slot, res.drawn, (long long)res.ledger);
	printf("export the bundle again: it now has %llu replacement%s\n",
	    (unsigned long long)res.number, res.number == 1 ? "" : "s");
	ret = EXIT_DONE;
out:
	db_close(db);
	return ret;
}
