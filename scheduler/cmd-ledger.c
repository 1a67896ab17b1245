/*
 * ssj ledger: signed checkpoints of the ledger, its full verification
 * against the rows it covers, inclusion proofs (checked without any
 * database), and the explicit record of a tampered database's findings.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "db.h"
#include "draw.h"
#include "file.h"
#include "keys.h"
#include "ledger.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "num.h"
#include "proof.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_ledger_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_ledger_entry = {
	.name = "ledger",
	.usage = "ledger checkpoint [-s secfile] [file] | verify [-p pubfile] "
	    "| show [index] | prove index | verify-proof [-p pubfile] [file] "
	    "| acknowledge --reason text",
	.summary = "checkpoint, verify and prove the tamper-evident ledger",
	.exec = cmd_ledger_exec,
};

/* To a file, atomically, or to standard output. */
static int
write_out(const char *path, const char *text)
{
	if (path != NULL)
		return file_write(path, text, strlen(text), 0644, 0);
	fputs(text, stdout);
	return fflush(stdout) == EOF ? -1 : 0;
}

int
cmd_ledger_checkpoint(struct ssj_ctx *ctx, const char *secarg,
    const char *out, const char *outdir)
{
	char		*secpath = NULL, *path = NULL;
	struct config	*cfg = NULL;
	struct seckey	*sk = NULL;
	struct pubkey	 pk;
	struct db	*db;
	char		*origin = NULL, *note = NULL;
	uint64_t	 size;
	int64_t		 key_entry, plan_entry = -1;
	int		 ret = EXIT_FAILED;

	if (cmd_key_paths(ctx, NULL, secarg, NULL, &secpath, &cfg) == -1)
		return EXIT_USAGE;
	if ((db = schema_open(ctx->db_path, 0)) == NULL) {
		free(secpath);
		config_free(cfg);
		return EXIT_USAGE;
	}
	if ((sk = seckey_load(secpath, key_passphrase)) == NULL) {
		ret = EXIT_USAGE;
		goto out;
	}
	seckey_public(sk, &pk);
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 ||
	    (origin = ledger_origin(db, cfg)) == NULL ||
	    (cfg != NULL && ledger_note_plan(db, cfg, &plan_entry) == -1) ||
	    ledger_note_key(db, &pk, &key_entry) == -1 ||
	    ledger_checkpoint(db, origin, sk, &note, &size) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	/* In a directory: named by its size, so that none replaces another. */
	if (outdir != NULL) {
		path = xasprintf("%s/checkpoint-%llu.txt", outdir,
		    (unsigned long long)size);
		ret = write_out(path, note) == -1 ? EXIT_FAILED : EXIT_DONE;
		goto out;
	}
	if (write_out(out, note) == -1)
		goto out;
	if (out != NULL)
		printf("checkpoint of %llu entries written to '%s'\n",
		    (unsigned long long)size, out);
	ret = EXIT_DONE;
out:
	free(path);
	free(origin);
	free(note);
	free(secpath);
	seckey_free(sk);
	db_close(db);
	config_free(cfg);
	return ret;
}

static int
ledger_verify_cmd(struct ssj_ctx *ctx, const char *pubarg)
{
	struct ledger_report	 r;
	struct pubkey		 pk, *pkp = NULL;
	struct db		*db;
	char			*pubpath = NULL;
	size_t			 i;
	int			 ret = EXIT_USAGE;

	if (cmd_key_paths(ctx, pubarg, NULL, &pubpath, NULL, NULL) == -1)
		return EXIT_USAGE;
	/* Without a public key the checkpoints' roots are still compared. */
	if (pubarg != NULL || access(pubpath, F_OK) == 0) {
		if (pubkey_load(pubpath, &pk) == -1)
			goto out_cfg;
		pkp = &pk;
	}
	ret = EXIT_FAILED;
	if ((db = schema_open(ctx->db_path, 0)) == NULL) {
		ret = EXIT_USAGE;
		goto out_cfg;
	}
	if (ledger_verify_with(db, pkp, 0, draw_check_frames, &r) == -1)
		goto out;
	for (i = 0; i < r.nproblems; i++)
		printf("%s: %s\n", r.problems[i].acknowledged ?
		    "acknowledged" : "FAILED", r.problems[i].message);
	if (r.nnew > 0) {
		printf("ledger does not verify: %zu problem%s, the first: %s\n",
		    r.nnew, r.nnew > 1 ? "s" : "",
		    r.problems[0].message);
		goto out_report;
	}
	printf("ledger OK: %llu entries rebuilt from the rows they cover",
	    (unsigned long long)r.size);
	if (r.checkpoint > 0)
		printf("; checkpoint %lld (%llu entries) %s", (long long)
		    r.checkpoint, (unsigned long long)r.checkpoint_size,
		    r.signature_checked ? "matches, signature verified" :
		    "matches (no public key: signature not checked)");
	else
		printf("; no checkpoint yet");
	putchar('\n');
	if (r.nproblems > 0)
		printf("%zu acknowledged finding%s above\n", r.nproblems,
		    r.nproblems > 1 ? "s" : "");
	ret = EXIT_DONE;
out_report:
	ledger_report_release(&r);
out:
	db_close(db);
out_cfg:
	free(pubpath);
	return ret;
}

static int
parse_index(const char *s, int64_t *out)
{
	if (num_parse_i64(s, 0, INT64_MAX, out) == -1) {
		log_warnx("bad entry index '%s'", s);
		return -1;
	}
	return 0;
}

/* The list of entries, or one entry's text exactly as it was logged. */
static int
ledger_show_cmd(struct ssj_ctx *ctx, const char *index)
{
	struct db	*db;
	struct db_stmt	*st;
	const void	*entry;
	size_t		 len;
	int64_t		 idx = -1;
	int		 rc, n = 0, ret = EXIT_FAILED;

	if (index != NULL && parse_index(index, &idx) == -1)
		return EXIT_USAGE;
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	st = db_prepare(db, "SELECT idx, event, ref, entry FROM ledger "
	    "WHERE ?1 < 0 OR idx = ?1 ORDER BY idx");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, idx);
	while ((rc = db_step(st)) == DB_ROW) {
		n++;
		entry = db_col_blob(st, 3, &len);
		if (idx >= 0)
			fwrite(entry, 1, len, stdout);
		else
			printf("%6lld  %-10s %lld\n", (long long)db_col_int(st,
			    0), db_col_text(st, 1), (long long)db_col_int(st,
			    2));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto out;
	if (idx >= 0 && n == 0) {
		log_warnx("no ledger entry %lld", (long long)idx);
		ret = EXIT_USAGE;
		goto out;
	}
	ret = EXIT_DONE;
out:
	db_close(db);
	return ret;
}

static int
ledger_prove_cmd(struct ssj_ctx *ctx, const char *index)
{
	struct proof	 p;
	struct db	*db;
	char		*text;
	int64_t		 idx;
	int		 ret;

	if (parse_index(index, &idx) == -1)
		return EXIT_USAGE;
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (ledger_prove(db, (uint64_t)idx, &p) == -1) {
		db_close(db);
		return EXIT_FAILED;
	}
	text = proof_format(&p);
	ret = write_out(NULL, text) == 0 ? EXIT_DONE : EXIT_FAILED;
	free(text);
	proof_release(&p);
	db_close(db);
	return ret;
}

/* Checks a proof file with nothing but the public key: no database. */
static int
ledger_verify_proof_cmd(struct ssj_ctx *ctx, const char *pubarg,
    const char *path)
{
	struct buf		 text = BUF_INIT;
	struct proof		 p;
	struct checkpoint	 cp;
	struct pubkey		 pk;
	merkle_hash		 leaf;
	char			*err = NULL, *name = NULL, *pubpath = NULL;
	const char		*what = path != NULL ? path : "stdin";
	int			 ret = EXIT_USAGE;

	memset(&p, 0, sizeof(p));
	memset(&cp, 0, sizeof(cp));
	if (cmd_key_paths(ctx, pubarg, NULL, &pubpath, NULL, NULL) == -1)
		return EXIT_USAGE;
	if (pubkey_load(pubpath, &pk) == -1 || file_read(path, &text) == -1)
		goto out;
	if (proof_parse(text.data, text.len, &p, &err) == -1) {
		/* "line N: ..." becomes "FILE:N: ..." */
		log_warnx("%s:%s", what, strncmp(err, "line ", 5) == 0 ?
		    err + 5 : err);
		goto out;
	}
	ret = EXIT_FAILED;
	name = xstrndup(p.checkpoint, strcspn(p.checkpoint, "\n"));
	if (checkpoint_open(p.checkpoint, strlen(p.checkpoint), name, pk.pk,
	    &cp, &err) == -1) {
		log_warnx("%s: the checkpoint does not verify with '%s': %s",
		    what, pubpath, err);
		goto out;
	}
	if (cp.size != p.size) {
		log_warnx("%s: the proof is for a tree of %llu entries, the "
		    "checkpoint of %llu", what, (unsigned long long)p.size,
		    (unsigned long long)cp.size);
		goto out;
	}
	merkle_leaf_hash(leaf, p.entry, p.entry_len);
	if (merkle_verify_inclusion(leaf, p.index, p.size,
	    (const merkle_hash *)p.path, p.npath, cp.root) == -1) {
		log_warnx("%s: entry %llu is not in the checkpoint: the proof "
		    "does not lead to its root", what,
		    (unsigned long long)p.index);
		goto out;
	}
	printf("proof OK: entry %llu is in the ledger '%s' of %llu entries, "
	    "signed by key %s\n", (unsigned long long)p.index, cp.origin,
	    (unsigned long long)cp.size, pubpath);
	fwrite(p.entry, 1, p.entry_len, stdout);
	ret = EXIT_DONE;
out:
	free(name);
	free(err);
	checkpoint_release(&cp);
	proof_release(&p);
	buf_release(&text);
	free(pubpath);
	return ret;
}

/* Who records a finding: the login behind sudo, else the user. */
static const char *
operator_name(void)
{
	struct passwd	*pw;
	const char	*s;

	if ((s = getenv("SUDO_USER")) != NULL && *s != '\0')
		return s;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	return "unknown";
}

static int
ledger_acknowledge_cmd(struct ssj_ctx *ctx, const char *reason)
{
	struct db	*db;
	int64_t		 idx;
	size_t		 n;
	int		 ret = EXIT_FAILED;

	if (reason == NULL || *reason == '\0') {
		log_warnx("a finding needs --reason TEXT: what was found, and "
		    "by whom it was checked");
		return EXIT_USAGE;
	}
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (db_begin(db) == -1)
		goto out;
	if (ledger_acknowledge(db, reason, operator_name(), &idx, &n) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	if (n == 0)
		printf("the ledger verifies: nothing to acknowledge\n");
	else
		printf("recorded %zu problem%s as a finding, ledger entry "
		    "%lld\n", n, n > 1 ? "s" : "", (long long)idx);
	ret = EXIT_DONE;
out:
	db_close(db);
	return ret;
}

static int
cmd_ledger_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char			*verb, *pub = NULL, *sec = NULL;
	const char			*reason = NULL;
	int				 ch;

	if (argc < 2)
		return cmd_usage(&cmd_ledger_entry);
	verb = argv[1];
	argc--;
	argv++;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "p:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			pub = optarg;
			break;
		case 's':
			sec = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		default:
			return cmd_usage(&cmd_ledger_entry);
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(verb, "checkpoint") == 0 && argc <= 1 && pub == NULL &&
	    reason == NULL)
		return cmd_ledger_checkpoint(ctx, sec, argc ? argv[0] : NULL,
		    NULL);
	if (strcmp(verb, "verify") == 0 && argc == 0 && sec == NULL &&
	    reason == NULL)
		return ledger_verify_cmd(ctx, pub);
	if (strcmp(verb, "show") == 0 && argc <= 1 && pub == NULL &&
	    sec == NULL && reason == NULL)
		return ledger_show_cmd(ctx, argc ? argv[0] : NULL);
	if (strcmp(verb, "prove") == 0 && argc == 1 && pub == NULL &&
	    sec == NULL && reason == NULL)
		return ledger_prove_cmd(ctx, argv[0]);
	if (strcmp(verb, "verify-proof") == 0 && argc <= 1 && sec == NULL &&
	    reason == NULL)
		return ledger_verify_proof_cmd(ctx, pub, argc ? argv[0] :
		    NULL);
	if (strcmp(verb, "acknowledge") == 0 && argc == 0 && pub == NULL &&
	    sec == NULL)
		return ledger_acknowledge_cmd(ctx, reason);
	return cmd_usage(&cmd_ledger_entry);
}
