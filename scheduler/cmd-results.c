/*
 * ssj results: the template the inspectors fill in, its import (谁检查、
 * 谁录入), the history of a batch's results, and their review (审核).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "cmd.h"
#include "config.h"
#include "csvfile.h"
#include "db.h"
#include "file.h"
#include "ledger.h"
#include "log.h"
#include "results.h"
#include "schema.h"

static int	cmd_results_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_results_entry = {
	.name = "results",
	.usage = "results template batch [file] [--encoding utf-8|gbk]\n"
	    "       ssj results import batch file [--encoding utf-8|gbk|"
	    "gb18030] [--reject file]\n"
	    "       ssj results show batch [target]\n"
	    "       ssj results approve batch (--all | target ...) --by name\n"
	    "       ssj results return batch target --reason text --by name\n"
	    "       ssj results deadline date ...",
	.summary = "enter, show and review the results of a drawn batch",
	.exec = cmd_results_exec,
};

static int
parse_encoding(const char *s, enum csv_encoding *enc)
{
	if (csv_encoding_parse(s, enc) == -1) {
		log_warnx("unknown encoding '%s'; use utf-8, gbk or gb18030",
		    s);
		return -1;
	}
	return 0;
}

/*
 * Opens the database and loads the drawn batch; an EXIT_* on failure.
 * Every subcommand reads or writes the whole batch: the bulk page cache
 * (DB_BULK, as the registry imports) keeps a large import's pages from
 * spilling to the WAL and being read back.
 */
static int
open_batch(struct ssj_ctx *ctx, const char *batch, struct db **db,
    struct results_batch *rb)
{
	int	 usage;

	if ((*db = schema_open(ctx->db_path, DB_BULK)) == NULL)
		return EXIT_USAGE;
	if (results_batch_load(*db, batch, rb, &usage) == -1) {
		db_close(*db);
		*db = NULL;
		return usage ? EXIT_USAGE : EXIT_FAILED;
	}
	return EXIT_DONE;
}

static int
results_template_cmd(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	struct results_batch		 rb;
	struct buf			 text = BUF_INIT, out = BUF_INIT;
	enum csv_encoding		 enc = CSV_UTF8;
	struct db			*db;
	int				 ch, ret;

	while ((ch = getopt_long(argc, argv, "e:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			if (parse_encoding(optarg, &enc) == -1)
				return EXIT_USAGE;
			break;
		default:
			return cmd_usage(&cmd_results_entry);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return cmd_usage(&cmd_results_entry);
	if ((ret = open_batch(ctx, argv[optind], &db, &rb)) != EXIT_DONE)
		return ret;
	ret = EXIT_FAILED;
	if (results_template(db, &rb, &text) == -1 ||
	    csv_encode_sheet(enc, text.data, text.len, &out) == -1)
		goto out;
	if (argc - optind == 2 && strcmp(argv[optind + 1], "-") != 0) {
		if (file_write(argv[optind + 1], out.data, out.len, 0644,
		    0) == -1)
			goto out;
		log_info("wrote the template of batch '%s' to '%s' (%s); "
		    "fill it in and run 'ssj results import %s %s'",
		    rb.batch, argv[optind + 1], csv_encoding_name(enc),
		    rb.batch, argv[optind + 1]);
	} else if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		log_warn("cannot write the template");
		goto out;
	}
	ret = EXIT_DONE;
out:
	buf_release(&text);
	buf_release(&out);
	results_batch_release(&rb);
	db_close(db);
	return ret;
}

static int
results_import_cmd(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ "reject", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct results_import_options	 opts;
	struct results_import_stats	 st;
	struct results_batch		 rb;
	struct db			*db;
	int				 ch, ret;

	memset(&opts, 0, sizeof(opts));
	opts.encoding = CSV_UTF8;
	while ((ch = getopt_long(argc, argv, "e:r:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			if (parse_encoding(optarg, &opts.encoding) == -1)
				return EXIT_USAGE;
			break;
		case 'r':
			opts.reject_path = optarg;
			break;
		default:
			return cmd_usage(&cmd_results_entry);
		}
	}
	if (argc - optind != 2)
		return cmd_usage(&cmd_results_entry);
	if (opts.reject_path != NULL &&
	    strcmp(opts.reject_path, argv[optind + 1]) == 0) {
		log_warnx("the reject file must not be the input '%s'",
		    argv[optind + 1]);
		return EXIT_USAGE;
	}
	opts.today = date_today();
	if ((ret = open_batch(ctx, argv[optind], &db, &rb)) != EXIT_DONE)
		return ret;
	ret = EXIT_FAILED;
	if (results_import(db, &rb, argv[optind + 1], &opts, &st) == -1)
		goto out;
	if (st.refused) {
		log_warnx("'%s' refused%s; the database is unchanged",
		    argv[optind + 1], st.rejected > 0 ? " (import the good "
		    "rows with --reject file)" : "");
		ret = EXIT_USAGE;
		goto out;
	}
	if (st.import == 0)
		printf("'%s': nothing new (%llu rows as recorded, %llu not "
		    "filled in)\n", argv[optind + 1],
		    (unsigned long long)st.unchanged,
		    (unsigned long long)st.blank);
	else
		printf("imported '%s' into batch '%s' (import %lld, ledger "
		    "entry %lld): %llu rows, %llu new revisions of which "
		    "%llu corrections (更正), %llu unchanged, %llu not filled "
		    "in\n", argv[optind + 1], rb.batch, (long long)st.import,
		    (long long)st.ledger, (unsigned long long)st.rows,
		    (unsigned long long)st.revisions,
		    (unsigned long long)st.corrections,
		    (unsigned long long)st.unchanged,
		    (unsigned long long)st.blank);
	if (st.rejected > 0)
		printf("%llu bad rows rejected, written to '%s'\n",
		    (unsigned long long)st.rejected, opts.reject_path);
	if (st.import != 0)
		printf("review them: 'ssj results show %s', then 'ssj results "
		    "approve %s --all --by NAME'\n", rb.batch, rb.batch);
	ret = EXIT_DONE;
out:
	results_batch_release(&rb);
	db_close(db);
	return ret;
}

static int
results_show_cmd(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct results_batch	 rb;
	struct db		*db;
	int			 ret;

	if (getopt_long(argc, argv, "", NULL, NULL) != -1)
		return cmd_usage(&cmd_results_entry);
	if (argc - optind < 1 || argc - optind > 2)
		return cmd_usage(&cmd_results_entry);
	if ((ret = open_batch(ctx, argv[optind], &db, &rb)) != EXIT_DONE)
		return ret;
	ret = results_show(db, &rb, argc - optind == 2 ? argv[optind + 1] :
	    NULL, stdout) == 0 ? EXIT_DONE : EXIT_USAGE;
	results_batch_release(&rb);
	db_close(db);
	return ret;
}

static int
results_review_cmd(struct ssj_ctx *ctx, int argc, char **argv,
    enum review_action action)
{
	static const struct option	 longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "by", required_argument, NULL, 'b' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct review_request		 req;
	struct review_result		 res;
	struct results_batch		 rb;
	struct db			*db;
	int				 ch, ret;

	memset(&req, 0, sizeof(req));
	req.action = action;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			req.all = 1;
			break;
		case 'b':
			req.by = optarg;
			break;
		case 'r':
			req.reason = optarg;
			break;
		default:
			return cmd_usage(&cmd_results_entry);
		}
	}
	if (argc - optind < 1 || req.by == NULL)
		return cmd_usage(&cmd_results_entry);
	req.targets = argv + optind + 1;
	req.ntargets = (size_t)(argc - optind - 1);
	if (action == REVIEW_APPROVE && (req.all == (req.ntargets > 0) ||
	    req.reason != NULL))
		return cmd_usage(&cmd_results_entry);
	if (action == REVIEW_RETURN && (req.all || req.ntargets != 1 ||
	    req.reason == NULL))
		return cmd_usage(&cmd_results_entry);
	if (*req.by == '\0' || (req.reason != NULL && *req.reason == '\0')) {
		log_warnx("a review names who reviewed (--by)%s",
		    action == REVIEW_RETURN ? " and why it is returned "
		    "(--reason)" : "");
		return EXIT_USAGE;
	}
	if ((ret = open_batch(ctx, argv[optind], &db, &rb)) != EXIT_DONE)
		return ret;
	ret = EXIT_FAILED;
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 ||
	    results_review(db, &rb, &req, &res) == -1) {
		db_rollback(db);
		if (res.usage)
			ret = EXIT_USAGE;
		goto out;
	}
	if (db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	if (action == REVIEW_APPROVE)
		printf("approved (已审核) %zu target%s of batch '%s' by '%s'; "
		    "ledger entry %lld\npublish them: 'ssj publish %s DIR'\n",
		    res.targets, res.targets == 1 ? "" : "s", rb.batch, req.by,
		    (long long)res.ledger, rb.batch);
	else
		printf("returned (退回) '%s' of batch '%s' by '%s': %s; ledger "
		    "entry %lld\nimport its corrected result with 更正原因 "
		    "filled in\n", req.targets[0], rb.batch, req.by,
		    req.reason, (long long)res.ledger);
	ret = EXIT_DONE;
out:
	results_batch_release(&rb);
	db_close(db);
	return ret;
}

/* When results completed on each date are due, by the plan's calendar. */
static int
results_deadline_cmd(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct config	*cfg;
	char		 d[DATE_STR_LEN];
	day_t		 day, due;
	int		 i, ret = EXIT_DONE;

	if (getopt_long(argc, argv, "", NULL, NULL) != -1 ||
	    argc - optind < 1)
		return cmd_usage(&cmd_results_entry);
	if ((cfg = cmd_load_plan(ctx, 1, NULL)) == NULL)
		return EXIT_USAGE;
	for (i = optind; i < argc; i++) {
		if (date_parse(argv[i], strlen(argv[i]), &day) == -1) {
			log_warnx("'%s' is not a date (YYYY-MM-DD)", argv[i]);
			ret = EXIT_USAGE;
			break;
		}
		due = calendar_add_workdays(&cfg->calendar, day,
		    RESULT_DEADLINE_DAYS);
		printf("%s %s%s\n", argv[i], date_format(due, d),
		    calendar_covers(&cfg->calendar, day) &&
		    calendar_covers(&cfg->calendar, due) ? "" :
		    " (no official calendar: Monday to Friday counted)");
	}
	config_free(cfg);
	return ret;
}

static int
cmd_results_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	const char	*verb;

	if (argc < 2)
		return cmd_usage(&cmd_results_entry);
	verb = argv[1];
	argc--;
	argv++;
	if (strcmp(verb, "template") == 0)
		return results_template_cmd(ctx, argc, argv);
	if (strcmp(verb, "import") == 0)
		return results_import_cmd(ctx, argc, argv);
	if (strcmp(verb, "show") == 0)
		return results_show_cmd(ctx, argc, argv);
	if (strcmp(verb, "approve") == 0)
		return results_review_cmd(ctx, argc, argv, REVIEW_APPROVE);
	if (strcmp(verb, "return") == 0)
		return results_review_cmd(ctx, argc, argv, REVIEW_RETURN);
	if (strcmp(verb, "deadline") == 0)
		return results_deadline_cmd(ctx, argc, argv);
	log_warnx("unknown 'results' command '%s'; use template, import, "
	    "show, approve, return or deadline", verb);
	return EXIT_USAGE;
}
