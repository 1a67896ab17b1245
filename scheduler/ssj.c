/*
 * ssj: the "double random, one public" scheduler. Parses the global
 * options, finds the command in the table and runs it (git-style).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "xmalloc.h"

const struct cmd_entry *cmd_table[] = {
	&cmd_abort_entry,
	&cmd_beacon_entry,
	&cmd_check_entry,
	&cmd_commit_entry,
	&cmd_daemon_entry,
	&cmd_draw_entry,
	&cmd_export_entry,
	&cmd_help_entry,
	&cmd_import_entry,
	&cmd_init_entry,
	&cmd_keygen_entry,
	&cmd_ledger_entry,
	&cmd_notice_entry,
	&cmd_publish_entry,
	&cmd_rehearse_entry,
	&cmd_replace_entry,
	&cmd_report_entry,
	&cmd_results_entry,
	&cmd_run_due_entry,
	&cmd_show_entry,
	&cmd_sign_entry,
	&cmd_snapshot_entry,
	&cmd_status_entry,
	&cmd_verify_entry,
	&cmd_verify_signature_entry,
	&cmd_witness_entry,
	NULL
};

static void
usage(void)
{
	fprintf(stderr, "usage: ssj [-v] [-D database] [-f plan] command "
	    "[args]\n       ssj help [command]\n       ssj --version\n");
}

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry	**e;

	for (e = cmd_table; *e != NULL; e++)
		if (strcmp((*e)->name, name) == 0)
			return *e;
	return NULL;
}

int
cmd_usage(const struct cmd_entry *e)
{
	fprintf(stderr, "usage: ssj %s\n", e->usage);
	return EXIT_USAGE;
}

struct config *
cmd_load_plan(struct ssj_ctx *ctx, int required, int *missing)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;

	if (missing != NULL)
		*missing = 0;
	if (access(ctx->plan_path, F_OK) == -1 && errno == ENOENT) {
		/* A plan named and missing is an error, never the defaults. */
		if (ctx->plan_given) {
			log_warnx("no plan at '%s', which -f or $SSJ_PLAN "
			    "names: check the name; nothing was done",
			    ctx->plan_path);
			return NULL;
		}
		if (missing != NULL)
			*missing = 1;
		if (required)
			log_warnx("no plan at '%s'; name one with -f or "
			    "$SSJ_PLAN", ctx->plan_path);
		return NULL;
	}
	cfg = config_load(ctx->plan_path, &errs);
	config_errors_print(&errs, stderr);
	config_errors_release(&errs);
	return cfg;
}

int
cmd_key_paths(struct ssj_ctx *ctx, const char *pubarg, const char *secarg,
    char **pub, char **sec, struct config **cfgp)
{
	struct config	*cfg = NULL;
	int		 missing;

	if (cfgp != NULL || (pub != NULL && pubarg == NULL) ||
	    (sec != NULL && secarg == NULL)) {
		cfg = cmd_load_plan(ctx, 0, &missing);
		if (cfg == NULL && (!missing || ctx->plan_given))
			return -1;
	}
	if (pub != NULL)
		*pub = xstrdup(pubarg != NULL ? pubarg : cfg != NULL ?
		    cfg->public_key : "ssj.pub");
	if (sec != NULL)
		*sec = xstrdup(secarg != NULL ? secarg : cfg != NULL ?
		    cfg->secret_key : "ssj.key");
	if (cfgp != NULL)
		*cfgp = cfg;
	else
		config_free(cfg);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ssj_ctx			 ctx;
	const struct cmd_entry		*cmd;
	const char			*env;
	int				 ch, ret;

	log_init("ssj", 1);
	memset(&ctx, 0, sizeof(ctx));
	ctx.db_path = (env = getenv("SSJ_DB")) != NULL && *env ? env :
	    "ssj.db";
	if ((env = getenv("SSJ_PLAN")) != NULL && *env) {
		ctx.plan_path = env;
		ctx.plan_given = 1;
	} else
		ctx.plan_path = "ssj.yaml";

	/* "+": options end at the command's name (POSIXLY_CORRECT). */
	while ((ch = getopt_long(argc, argv, "+D:f:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			ctx.db_path = optarg;
			break;
		case 'f':
			ctx.plan_path = optarg;
			ctx.plan_given = 1;
			break;
		case 'v':
			ctx.verbose++;
			break;
		case 'V':
			printf("ssj %s\n", SSJ_VERSION);
			return EXIT_DONE;
		case 'h':
			usage();
			return EXIT_DONE;
		default:
			usage();
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage();
		return EXIT_USAGE;
	}
	if ((cmd = cmd_find(argv[0])) == NULL) {
		log_warnx("unknown command '%s'; see 'ssj help'", argv[0]);
		return EXIT_USAGE;
	}
	log_setverbose(ctx.verbose);
	crypto_setup();
	optind = 0;	/* glibc: reinitialise getopt for the command */
	ret = cmd->exec(&ctx, argc, argv);
	/*
	 * A database another process holds is no fault of the command's:
	 * whether it was refused opening the database (exit 2, as a bad
	 * path) or beginning to write.
	 */
	if (ret == EXIT_USAGE && db_was_busy())
		ret = EXIT_FAILED;
	return ret;
}
