/*
 * ssj rehearse: a dry run of a batch on the current data under a
 * throwaway seed -- pools, sample sizes, whether the teams can be staffed
 * -- that leaves no trace: the database is opened read-only.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "db.h"
#include "draw.h"
#include "log.h"
#include "schema.h"

static int	cmd_rehearse_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_rehearse_entry = {
	.name = "rehearse",
	.usage = "rehearse batch",
	.summary = "dry-run a batch's draw on the current data, recording "
	    "nothing",
	.exec = cmd_rehearse_exec,
};

static void
print_rehearsal(const char *batch, const struct draw_result *res)
{
	uint64_t			 total = 0;
	size_t				 i;

	printf("rehearsal of batch '%s' on snapshot %lld: %zu targets in the "
	    "pool (%llu excluded), %llu inspectors, %llu conflicts\n", batch,
	    (long long)res->frame.snapshot, res->frame.ntargets,
	    (unsigned long long)res->frame.nexcluded,
	    (unsigned long long)res->frame.ninspectors,
	    (unsigned long long)res->frame.nconflicts);
	cmd_print_strata(&res->frame);
	for (i = 0; i < res->frame.nstrata; i++)
		total += res->frame.strata[i].sample;
	printf("expected sample: %llu targets\n", (unsigned long long)total);
	if (res->failure != NULL)
		printf("teams: NOT FEASIBLE under this seed (see the warning "
		    "above); the draw would be refused\n");
	else
		printf("teams of %u inspector%s%s: all %llu targets staffed, "
		    "%llu inspectors in use, at most %llu targets each; the "
		    "least choice was %u eligible for a target\n",
		    res->team_size, res->team_size == 1 ? "" : "s",
		    res->experts > 0 ? " and experts" : "",
		    (unsigned long long)res->selected,
		    (unsigned long long)res->inspectors_used,
		    (unsigned long long)res->max_load,
		    (unsigned int)res->min_eligible);
	printf("nothing was recorded: the seed was thrown away, the real "
	    "draw has its own ('ssj commit %s')\n", batch);
}

static int
cmd_rehearse_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct draw_result	 res;
	struct config		*cfg = NULL;
	struct db		*db = NULL;
	int			 usage, ret = EXIT_USAGE;

	memset(&res, 0, sizeof(res));
	if (getopt_long(argc, argv, "", NULL, NULL) != -1 ||
	    argc - optind != 1)
		return cmd_usage(&cmd_rehearse_entry);
	if ((cfg = cmd_load_plan(ctx, 1, NULL)) == NULL ||
	    (db = schema_open(ctx->db_path, 0)) == NULL)
		goto out;
	/* Practice leaves no trace: any write would fail, not happen. */
	if (db_exec(db, "PRAGMA query_only = ON") == -1) {
		ret = EXIT_FAILED;
		goto out;
	}
	if (draw_rehearse(db, cfg, argv[optind], &res, &usage) == -1) {
		ret = usage ? EXIT_USAGE : EXIT_FAILED;
		goto out;
	}
	print_rehearsal(argv[optind], &res);
	ret = res.failure != NULL ? EXIT_FAILED : EXIT_DONE;
out:
	draw_result_release(&res);
	db_close(db);
	config_free(cfg);
	return ret;
}
