/*
 * ssj import: reads one registry file (enterprises, inspectors, conflicts
 * or risk classes) into a new snapshot, or refuses it whole and says why.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "csvfile.h"
#include "db.h"
#include "log.h"
#include "registry.h"
#include "schema.h"

static int	cmd_import_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "import enterprises|inspectors|conflicts|risk "
	    "file | --remove file [--partial] [--allow-removals] "
	    "[--encoding utf-8|gbk|gb18030] [--reject file]",
	.summary = "import a registry file as a new snapshot",
	.exec = cmd_import_exec,
};

static void
print_result(const char *path, const struct registry_options *opts,
    const struct registry_stats *st)
{
	if (st->snapshot == 0) {
		printf("'%s': nothing changed; the registry is as of "
		    "snapshot %lld", path, (long long)st->same_as);
		if (st->kept > 0)
			printf(" (%llu kept (rejected))",
			    (unsigned long long)st->kept);
		putchar('\n');
	} else {
		printf("imported '%s' as snapshot %lld: %llu rows, %llu added, "
		    "%llu changed, %llu removed, %llu unchanged", path,
		    (long long)st->snapshot, (unsigned long long)st->rows,
		    (unsigned long long)st->added,
		    (unsigned long long)st->changed,
		    (unsigned long long)st->removed,
		    (unsigned long long)st->unchanged);
		if (st->kept > 0)
			printf(", %llu kept (rejected)",
			    (unsigned long long)st->kept);
		printf("%s\n", opts->partial ? " (partial: nothing removed "
		    "for being absent)" : "");
		if (st->pool)
			printf("the draw pool gained %llu and lost %llu\n",
			    (unsigned long long)st->pool_gained,
			    (unsigned long long)st->pool_lost);
	}
	if (st->encoding_detected)
		printf("'%s' is not UTF-8: read as %s (GBK is part of it); "
		    "--encoding overrides\n", path, st->encoding);
	if (st->legacy > 0)
		printf("%llu legacy 15-digit registration number%s (注册号) "
		    "marked as such\n", (unsigned long long)st->legacy,
		    st->legacy == 1 ? "" : "s");
	if (st->rejected > 0)
		printf("%llu bad rows rejected, written to '%s'\n",
		    (unsigned long long)st->rejected, opts->reject_path);
	if (st->warnings > 0)
		printf("%llu warning%s\n", (unsigned long long)st->warnings,
		    st->warnings > 1 ? "s" : "");
}

/*
 * The reject file replaces what is at its name: only a regular file (or
 * nothing) may be there -- never a device such as /dev/full, a FIFO, a
 * directory or a symbolic link.
 */
static int
reject_path_ok(const char *path)
{
	struct stat	 st;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("cannot use '%s' as the reject file", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		log_warnx("the reject file '%s' exists and is not a regular "
		    "file; name a new file", path);
		return -1;
	}
	return 0;
}

static int
cmd_import_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ "reject", required_argument, NULL, 'r' },
		{ "partial", no_argument, NULL, 'p' },
		{ "remove", no_argument, NULL, 'R' },
		{ "allow-removals", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct registry_options		 opts;
	struct registry_stats		 st;
	enum registry_kind		 kind;
	struct config			*cfg = NULL;
	struct db			*db = NULL;
	int				 ch, missing, ret = EXIT_USAGE;

	memset(&opts, 0, sizeof(opts));
	opts.encoding = CSV_AUTO;
	while ((ch = getopt_long(argc, argv, "e:r:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			if (csv_encoding_parse(optarg, &opts.encoding) == -1) {
				log_warnx("unknown encoding '%s'; use utf-8, "
				    "gbk or gb18030", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			opts.reject_path = optarg;
			break;
		case 'p':
			opts.partial = 1;
			break;
		case 'R':
			opts.remove = 1;
			break;
		case 'a':
			opts.allow_removals = 1;
			break;
		default:
			return cmd_usage(&cmd_import_entry);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		return cmd_usage(&cmd_import_entry);
	if (registry_kind_parse(argv[0], &kind) == -1) {
		log_warnx("unknown registry '%s'; use enterprises, inspectors, "
		    "conflicts or risk", argv[0]);
		return EXIT_USAGE;
	}
	if (opts.reject_path != NULL && strcmp(opts.reject_path, argv[1])
	    == 0) {
		log_warnx("the reject file must not be the input '%s'",
		    argv[1]);
		return EXIT_USAGE;
	}
	if (opts.reject_path != NULL && reject_path_ok(opts.reject_path) == -1)
		return EXIT_USAGE;
	if (opts.remove && opts.partial) {
		log_warnx("--remove and --partial do not go together: a "
		    "removal is never a whole registry");
		return EXIT_USAGE;
	}
	/*
	 * Classes and departments come from the plan, when there is one,
	 * and so does the removal limit.
	 */
	cfg = cmd_load_plan(ctx, 0, &missing);
	if (cfg == NULL && !missing)
		return EXIT_USAGE;
	if (cfg == NULL && kind == REGISTRY_RISK)
		log_info("no plan at '%s': risk classes A, B, C, D",
		    ctx->plan_path);
	if (cfg != NULL) {
		opts.max_removals_num = cfg->max_removals.num;
		opts.max_removals_den = cfg->max_removals.den;
		opts.max_removals_text = cfg->max_removals_text;
	}
	if (kind == REGISTRY_RISK || kind == REGISTRY_INSPECTORS)
		opts.cfg = cfg;
	opts.progress = isatty(STDERR_FILENO);

	if ((db = schema_open(ctx->db_path, DB_BULK)) == NULL) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (registry_import(db, kind, argv[1], &opts, &st) == -1) {
		ret = EXIT_FAILED;
		goto out;
	}
	if (st.refused) {
		log_warnx("'%s' refused%s; the database is unchanged", argv[1],
		    st.rejected > 0 && opts.reject_path == NULL ?
		    " (import the good rows with --reject file)" : "");
		ret = EXIT_USAGE;
		goto out;
	}
	print_result(argv[1], &opts, &st);
	ret = EXIT_DONE;
out:
	db_close(db);
	config_free(cfg);
	return ret;
}
