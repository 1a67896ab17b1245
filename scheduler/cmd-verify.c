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
		printf("verified (public bundle): %llu drawn targets, %llu "
		    "teams, %llu replacement%s\n"
		    "checked: every file's digest and signature; the "
		    "commitment (its batch, its frame digests, made before "
		    "its beacon round was out); each witness's reveal; the "
		    "beacon record's round and randomness; the drawn list "
		    "(ids in byte order, each once, as many as the manifest "
		    "says); every team (one per drawn target, the same number "
		    "of sworn members (at least 2) and experts, no one twice, "
		    "an eligible count of at least its slots); every "
		    "replacement (numbered without a gap, of a drawn target, "
		    "removing the holder of the slot, drawing no one on the "
		    "team or taken off it before, with a reason); names.txt "
		    "(every credential of the teams once, in order)\n"
		    "not checked (withheld, so that no risk class can be "
		    "inferred; the full bundle lets an auditor check them): "
		    "the server secret and the seed; every ticket, and that "
		    "the drawn are the smallest tickets of their strata "
		    "(frame/targets.txt); each stratum's counts and n_h "
		    "(frame/parameters.txt); the caps; that the teams and "
		    "replacements are those the stream gives (the roster and "
		    "the conflicts)\n",
		    (unsigned long long)res.selected,
		    (unsigned long long)res.selected,
		    (unsigned long long)res.replacements,
		    res.replacements == 1 ? "" : "s");
	else
		printf("verified: %llu targets, identical (the selection of "
		    "%zu in the frame)\nteams: %llu teams "
		    "and %llu replacement%s replayed, identical\n",
		    (unsigned long long)res.selected, res.ntargets,
		    (unsigned long long)res.selected,
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
