/*
 * ssj verify: replays a draw from its bundle alone -- no database, no
 * plan (reports/verify.c, docs/protocol.md §10).
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "log.h"
#include "verify.h"

static int	cmd_verify_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.usage = "verify dir [-p pubfile]",
	.summary = "replay a draw from its bundle, with no database",
	.exec = cmd_verify_exec,
};

static int
cmd_verify_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct verify_result	 res;
	const char		*pubarg = NULL;
	int			 ch, status;

	(void)ctx;
	while ((ch = getopt(argc, argv, "p:")) != -1) {
		if (ch != 'p')
			return cmd_usage(&cmd_verify_entry);
		pubarg = optarg;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_verify_entry);
	if (verify_bundle(argv[optind], pubarg, &res) == -1) {
		log_warnx("verify: %s", res.difference);
		status = res.status == VERIFY_DIFFERS ? EXIT_FAILED :
		    EXIT_USAGE;
		verify_result_release(&res);
		return status;
	}
	if (res.public)
		printf("verified (public bundle): %llu selected targets, each "
		    "ticket recomputed from the seed; the commitment, the "
		    "reveals, the beacon and the seed check out\n"
		    "not checked: that they are the smallest tickets of their "
		    "strata -- the frame with the strata (frame/targets.txt) "
		    "is withheld, only its digest is given; and that the %llu "
		    "teams and %llu replacements are those the stream gives "
		    "-- the roster and the conflicts are withheld\n",
		    (unsigned long long)res.selected,
		    (unsigned long long)res.selected,
		    (unsigned long long)res.replacements);
	else
		printf("verified: %zu targets, identical\nteams: %llu teams "
		    "and %llu replacement%s replayed, identical\n",
		    res.ntargets, (unsigned long long)res.selected,
		    (unsigned long long)res.replacements,
		    res.replacements == 1 ? "" : "s");
	printf("beacon: round %llu of chain %s, its BLS signature checked "
	    "under the committed key\n", (unsigned long long)res.round,
	    res.chain);
	printf("signatures: key %s%s\n", res.key_id, pubarg != NULL ? "" :
	    " (the one in the bundle: compare it with the key the authority "
	    "publishes, or give it with -p)");
	verify_result_release(&res);
	return EXIT_DONE;
}
