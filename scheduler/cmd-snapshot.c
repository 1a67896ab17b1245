/*
 * ssj snapshot: lists the registry snapshots, and writes any registry as it
 * was at any snapshot, so that a past draw's inputs can be rebuilt.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cmd.h"
#include "db.h"
#include "log.h"
#include "num.h"
#include "registry.h"
#include "schema.h"

static int	cmd_snapshot_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_snapshot_entry = {
	.name = "snapshot",
	.usage = "snapshot [list | dump enterprises|inspectors|conflicts|risk "
	    "[id]]",
	.summary = "list snapshots, or write a registry as of a snapshot",
	.exec = cmd_snapshot_exec,
};

static int
snapshot_list(struct db *db)
{
	struct db_stmt	*st;
	char		 at[TIMESTAMP_SHOW_LEN];
	int		 rc;

	st = db_prepare(db, "SELECT id, kind, imported_at, rows_read, added, "
	    "changed, removed, rejected, encoding, file_name, file_digest "
	    "FROM snapshot ORDER BY id");
	if (st == NULL)
		return -1;
	printf("%4s  %-11s  %-25s  %9s  %9s  %9s  %9s  %8s  %s\n", "id",
	    "registry", "imported (Beijing time)", "rows", "added", "changed",
	    "removed", "rejected", "file");
	while ((rc = db_step(st)) == DB_ROW)
		printf("%4lld  %-11s  %-25s  %9lld  %9lld  %9lld  %9lld  %8lld"
		    "  %s (%s, blake2b %.16s…)\n",
		    (long long)db_col_int(st, 0), db_col_text(st, 1),
		    timestamp_show(db_col_text(st, 2), at),
		    (long long)db_col_int(st, 3),
		    (long long)db_col_int(st, 4), (long long)db_col_int(st, 5),
		    (long long)db_col_int(st, 6), (long long)db_col_int(st, 7),
		    db_col_text(st, 9), db_col_text(st, 8),
		    db_col_text(st, 10));
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
parse_id(const char *s, int64_t *out)
{
	return num_parse_i64(s, 1, INT64_MAX, out);
}

static int
cmd_snapshot_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct db		*db;
	enum registry_kind	 kind;
	int64_t			 id = 0, max;
	int			 ret = EXIT_FAILED;

	if (argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0)) {
		if ((db = schema_open(ctx->db_path, 0)) == NULL)
			return EXIT_USAGE;
		ret = snapshot_list(db) == 0 ? EXIT_DONE : EXIT_FAILED;
		db_close(db);
		return ret;
	}
	if (strcmp(argv[1], "dump") != 0 || argc < 3 || argc > 4)
		return cmd_usage(&cmd_snapshot_entry);
	if (registry_kind_parse(argv[2], &kind) == -1) {
		log_warnx("unknown registry '%s'; use enterprises, inspectors, "
		    "conflicts or risk", argv[2]);
		return EXIT_USAGE;
	}
	if (argc == 4 && parse_id(argv[3], &id) == -1) {
		log_warnx("bad snapshot id '%s'", argv[3]);
		return EXIT_USAGE;
	}
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (db_query_int(db, "SELECT max(id) FROM snapshot", &max) == -1)
		goto out;
	if (id > max) {
		log_warnx("no snapshot %lld; the latest is %lld",
		    (long long)id, (long long)max);
		ret = EXIT_USAGE;
		goto out;
	}
	if (registry_dump(db, kind, id, stdout) == -1)
		goto out;
	ret = EXIT_DONE;
out:
	db_close(db);
	return ret;
}
