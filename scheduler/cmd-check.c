/*
 * ssj check: loads and validates the plan, prints every message about it,
 * then "plan OK" and a summary; the plan's counterpart of `smtpd -n`.
 */
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"

static int	cmd_check_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "check",
	.summary = "validate the plan and summarise it",
	.exec = cmd_check_exec,
};

static int
cmd_check_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct config	*cfg;

	/* No options yet; "--" is still accepted, as getopt would. */
	if (argc > 1 && !(argc == 2 && argv[1][0] == '-' &&
	    argv[1][1] == '-' && argv[1][2] == '\0'))
		return cmd_usage(&cmd_check_entry);
	if ((cfg = cmd_load_plan(ctx, 1, NULL)) == NULL)
		return EXIT_USAGE;
	printf("plan OK\n");
	config_print_summary(cfg, stdout);
	config_free(cfg);
	return EXIT_DONE;
}
