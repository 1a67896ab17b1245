/*
 * ssj replace: takes an inspector off a drawn target's team (a conflict
 * found after the draw, illness) and draws the replacement from the
 * remaining eligible inspectors, under the replacement's own stream
 * (docs/protocol.md §9.6). The old assignment stays; the reason is logged.
 * With --all, an inspector who falls ill leaves every team at once.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
	.usage = "replace batch (--target id | --all) --inspector credential "
	    "--reason text",
	.summary = "replace an inspector of a drawn team by a replacement draw",
	.exec = cmd_replace_exec,
};

/*
 * A reason is shown on terminals and in bundles: one line of text, no
 * control characters (C0, DEL or C1), valid UTF-8 -- as imports demand.
 */
static int
reason_valid(const char *s)
{
	static const unsigned int	 least[4] = {
		0, 0x80, 0x800, 0x10000
	};
	const unsigned char		*p = (const unsigned char *)s;
	unsigned int			 c;
	int				 n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return 0;
			p++;
			continue;
		}
		if (*p >= 0xc0 && *p <= 0xdf)
			n = 1, c = *p & 0x1f;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2, c = *p & 0x0f;
		else if (*p >= 0xf0 && *p <= 0xf7)
			n = 3, c = *p & 0x07;
		else
			return 0;
		for (p++, i = 0; i < n; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (*p & 0x3f);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF, C1 controls. */
		if (c < least[n] || c < 0xa0 || (c >= 0xd800 && c <= 0xdfff) ||
		    c > 0x10ffff)
			return 0;
	}
	return 1;
}

static void
print_replacement(const char *batch, const char *inspector,
    const struct replace_result *r)
{
	printf("replacement %llu of batch '%s': '%s' off target '%s' (rank "
	    "%zu, slot %zu), '%s' drawn in its place; ledger entry %lld\n",
	    (unsigned long long)r->number, batch, inspector, r->target,
	    r->rank, r->slot, r->drawn, (long long)r->ledger);
}

static int
cmd_replace_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "inspector", required_argument, NULL, 'i' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct replace_request		 req;
	struct replace_result		 one, *res = NULL;
	struct db			*db;
	size_t				 nres = 0, i;
	int				 ch, all = 0, usage = 0;
	int				 ret = EXIT_FAILED;

	memset(&req, 0, sizeof(req));
	memset(&one, 0, sizeof(one));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			req.target = optarg;
			break;
		case 'a':
			all = 1;
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
	if (argc - optind != 1 || (req.target == NULL) == !all ||
	    req.inspector == NULL || req.reason == NULL)
		return cmd_usage(&cmd_replace_entry);
	req.batch = argv[optind];
	if (*req.reason == '\0') {
		log_warnx("a replacement needs a reason");
		return EXIT_USAGE;
	}
	if (!reason_valid(req.reason)) {
		log_warnx("the reason holds a control character, a line end "
		    "or invalid UTF-8: give it as one line of text");
		return EXIT_USAGE;
	}
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 || (all ? draw_replace_all(db, &req, &res,
	    &nres, &usage) : draw_replace(db, &req, &one)) == -1) {
		db_rollback(db);
		if (usage || one.usage)
			ret = EXIT_USAGE;
		goto out;
	}
	if (db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	if (!all) {
		res = &one;
		nres = 1;
	}
	for (i = 0; i < nres; i++)
		print_replacement(req.batch, req.inspector, &res[i]);
	printf("export the bundle again: it now has %llu replacement%s\n",
	    (unsigned long long)res[nres - 1].number,
	    res[nres - 1].number == 1 ? "" : "s");
	ret = EXIT_DONE;
out:
	if (res != &one)
		free(res);
	db_close(db);
	return ret;
}
