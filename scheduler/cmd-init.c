/*
 * ssj init: creates the database, or migrates an older one forward to the
 * schema this build uses.
 */
#include <stdio.h>

#include "cmd.h"
#include "db.h"
#include "frame.h"
#include "log.h"
#include "schema.h"

static int	cmd_init_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "init",
	.summary = "create the database or migrate it to this version",
	.exec = cmd_init_exec,
};

static int
cmd_init_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct db	*db;
	int		 from, ret = EXIT_FAILED;

	(void)argv;
	if (argc != 1)
		return cmd_usage(&cmd_init_entry);
	if ((db = db_open(ctx->db_path, DB_CREATE)) == NULL)
		return EXIT_FAILED;
	if (schema_migrate(db, &from) == -1)
		goto out;
	/* A database from before schema 10 gets its frame image now. */
	if (from > 0 && from < 10 && (db_begin(db) == -1 ||
	    frame_image_update(db, NULL, NULL) == -1 ||
	    db_commit(db) == -1)) {
		db_rollback(db);
		goto out;
	}
	if (from == SCHEMA_VERSION)
		printf("database '%s' is up to date (schema %d)\n",
		    ctx->db_path, SCHEMA_VERSION);
	else if (from == 0)
		printf("created database '%s' (schema %d)\n", ctx->db_path,
		    SCHEMA_VERSION);
	else
		printf("migrated database '%s' from schema %d to %d\n",
		    ctx->db_path, from, SCHEMA_VERSION);
	ret = EXIT_DONE;
out:
	db_close(db);
	return ret;
}
