/*
 * ssj help: the list of commands with their synopsis, or one command's.
 * The same text is the SYNOPSIS of ssj(1); a test keeps them equal.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

static int	cmd_help_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "help [command]",
	.summary = "show the commands, or one command's usage",
	.exec = cmd_help_exec,
};

static int
cmd_help_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	**e, *one;
	size_t			  width = 0;

	(void)ctx;
	if (argc > 2)
		return cmd_usage(&cmd_help_entry);
	if (argc == 2) {
		if ((one = cmd_find(argv[1])) == NULL) {
			log_warnx("unknown command '%s'", argv[1]);
			return EXIT_USAGE;
		}
		printf("usage: ssj %s\n\n%s\n", one->usage, one->summary);
		return EXIT_DONE;
	}
	/* One column for the summaries, however long the longest name. */
	for (e = cmd_table; *e != NULL; e++)
		if (strlen((*e)->name) > width)
			width = strlen((*e)->name);
	printf("usage: ssj [-v] [-D database] [-f plan] command [args]\n\n"
	    "commands:\n");
	for (e = cmd_table; *e != NULL; e++)
		printf("  %-*s  %s\n", (int)width, (*e)->name,
		    (*e)->summary);
	printf("\nthe database is -D, $SSJ_DB or ./ssj.db; the plan is -f, "
	    "$SSJ_PLAN or ./ssj.yaml\n'ssj help command' shows a command's "
	    "usage; ssj(1) and ssj.yaml(5) say more\n");
	return EXIT_DONE;
}
