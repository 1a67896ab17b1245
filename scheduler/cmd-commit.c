/*
 * ssj commit: freezes a batch's frames and publishes the commitment --
 * frame digests, a future beacon round, the witnesses' hashes, the hash
 * of a fresh server secret -- signed and logged, before any randomness.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "calendar.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "draw.h"
#include "engine.h"
#include "file.h"
#include "keys.h"
#include "ledger.h"
#include "log.h"
#include "minisig.h"
#include "num.h"
#include "schedule.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_commit_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_commit_entry = {
	.name = "commit",
	.usage = "commit batch [--witness name=hash ...] [--beacon-round n] "
	    "[--now time] [--force --reason text] [-o file] | "
	    "commit batch --republish [-o file]",
	.summary = "freeze a batch and publish its commitment, before the "
	    "draw",
	.exec = cmd_commit_exec,
};

static int
parse_witness(const char *arg, struct witness *w)
{
	const char	*eq;

	memset(w, 0, sizeof(*w));
	if ((eq = strchr(arg, '=')) == NULL)
		goto bad;
	w->name = xstrndup(arg, (size_t)(eq - arg));
	if (!witness_name_valid(w->name) ||
	    crypto_unhex(eq + 1, w->hash, sizeof(w->hash)) == -1)
		goto bad;
	return 0;
bad:
	free(w->name);
	w->name = NULL;
	return error("bad --witness '%s': give NAME=HASH, the name in A-Z "
	    "a-z 0-9 . _ - and the BLAKE2b-256 of the value in 64 lowercase "
	    "hex digits (b2sum -l 256)", arg);
}

static void
print_summary(const struct config *cfg, const struct commit_result *res,
    const char *out)
{
	uint64_t		 round = res->round;
	const struct frame	*fr = &res->frame;
	char			 at[TIMESTAMP_SHOW_LEN];
	size_t			 i;
	uint64_t		 total = 0;

	for (i = 0; i < fr->nstrata; i++)
		total += fr->strata[i].sample;
	printf("%s\n", res->text);
	printf("committed: %zu targets (%llu excluded), %llu inspectors, "
	    "%llu conflicts; %llu to draw:", fr->ntargets,
	    (unsigned long long)fr->nexcluded,
	    (unsigned long long)fr->ninspectors,
	    (unsigned long long)fr->nconflicts, (unsigned long long)total);
	for (i = 0; i < fr->nstrata; i++)
		printf(" %s %llu of %llu%s", fr->strata[i].name,
		    (unsigned long long)fr->strata[i].sample,
		    (unsigned long long)fr->strata[i].population,
		    i + 1 < fr->nstrata ? "," : "");
	timestamp_beijing(cfg->beacon.genesis + (int64_t)(round - 1) *
	    cfg->beacon.period, at);
	printf("\nbeacon round %llu is due at %s (Beijing time); ledger entry "
	    "%lld\n"
	    "published in '%s' and '%s.minisig'\n", (unsigned long long)round,
	    at, (long long)res->ledger, out, out);
}

/*
 * The file and its signature, written only once the database holds the
 * commitment: a crash before leaves nothing; a crash after leaves a
 * recorded commitment that --republish writes again, byte for byte (the
 * signature is deterministic).
 */
static int
publish(const char *path, const char *text, const struct seckey *sk,
    const char *batch, int64_t ledger)
{
	if (file_write(path, text, strlen(text), 0644, 0) == -1 ||
	    minisig_sign_file(path, sk, "commitment", batch, ledger) == -1)
		return error("commitment of batch '%s' recorded (ledger "
		    "entry %lld) but not published: write its file again "
		    "with 'ssj commit %s --republish'", batch,
		    (long long)ledger, batch);
	return 0;
}

/* The batch's live (or drawn) commitment, written again. */
static int
republish(struct db *db, const char *batch, const char *path,
    const struct seckey *sk, int quiet)
{
	struct batch_status	 bs;
	char			*text = NULL;
	int64_t			 ledger;
	int			 ret = -1;

	if (draw_batch_status(db, batch, &bs) == -1)
		return -1;
	if (bs.commitment == 0)
		return error("batch '%s' has no recorded commitment to "
		    "republish; commit it with 'ssj commit %s'", batch,
		    batch);
	if (draw_commitment_text(db, bs.commitment, &text, &ledger) == -1 ||
	    publish(path, text, sk, batch, ledger) == -1)
		goto out;
	if (!quiet)
		printf("published commitment %lld of batch '%s' (ledger entry "
		    "%lld) again in '%s' and '%s.minisig'\n",
		    (long long)bs.commitment, batch, (long long)ledger, path,
		    path);
	ret = 0;
out:
	free(text);
	return ret;
}

/* A reason on the ledger: one line of text, no control characters. */
static int
reason_check(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			break;
	if (*s == '\0' || *p != '\0')
		return error("bad --reason: give one line of text saying why "
		    "the schedule is overridden");
	return 0;
}

int
cmd_commit_batch(struct ssj_ctx *ctx, const struct config *cfg,
    const struct commit_opts *o, uint64_t *round)
{
	struct commit_request		 req;
	struct commit_result		 res;
	const struct config_task	*task;
	const struct config_batch	*b;
	struct seckey			*sk = NULL;
	struct db			*db = NULL;
	char				*outpath = NULL, msg[256], note[1024];
	int				 usage, ret = EXIT_USAGE;

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.batch = o->batch;
	req.witnesses = o->witnesses;
	req.nwitnesses = o->nwitnesses;
	req.round = o->round;
	req.now = (uint64_t)o->now;
	/*
	 * A plan with a schedule dates each commitment: outside its time,
	 * only a person, with a reason on record, may commit.
	 */
	msg[0] = '\0';
	if (!o->republish && cfg->schedule.given &&
	    (b = config_find_batch(cfg, o->batch, &task)) != NULL &&
	    schedule_commit_check(cfg, b, o->now, msg, sizeof(msg)) == -1 &&
	    o->reason == NULL) {
		log_warnx("%s; nothing was done ('ssj commit %s --force "
		    "--reason TEXT' to commit it anyway)", msg, o->batch);
		goto out;
	}
	outpath = o->out != NULL ? xstrdup(o->out) :
	    xasprintf("%s.commitment.txt", o->batch);
	/* The key first: nothing is done that could not be signed. */
	if ((sk = seckey_load(cfg->secret_key, key_passphrase)) == NULL ||
	    (db = schema_open(ctx->db_path, DB_PATIENT)) == NULL)
		goto out;
	ret = EXIT_FAILED;
	if (o->republish) {
		if (republish(db, o->batch, outpath, sk, o->quiet) == 0)
			ret = EXIT_DONE;
		goto out;
	}
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 ||
	    draw_commit(db, cfg, &req, &res, &usage) == -1) {
		db_rollback(db);
		if (usage)
			ret = EXIT_USAGE;
		goto out;
	}
	/* Forced: the reason, and what it overrode, on the ledger. */
	if (o->reason != NULL)
		snprintf(note, sizeof(note), "%s%s%s", o->reason, msg[0] !=
		    '\0' ? " -- overriding: " : "", msg);
	if (o->reason != NULL && engine_note(db, o->batch, o->now, "forced",
	    note) == -1) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db) == -1) {
		db_rollback(db);
		goto out;
	}
	if (publish(outpath, res.text, sk, o->batch, res.ledger) == -1)
		goto out;
	if (round != NULL)
		*round = res.round;
	if (!o->quiet)
		print_summary(cfg, &res, outpath);
	ret = EXIT_DONE;
out:
	commit_result_release(&res);
	free(outpath);
	seckey_free(sk);
	db_close(db);
	return ret;
}

static int
cmd_commit_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "witness", required_argument, NULL, 'w' },
		{ "beacon-round", required_argument, NULL, 'r' },
		{ "republish", no_argument, NULL, 'R' },
		{ "force", no_argument, NULL, 'F' },
		{ "reason", required_argument, NULL, 'm' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct commit_opts		 o;
	struct config			*cfg = NULL;
	struct witness			*w = NULL;
	const char			*nowarg = NULL, *reason = NULL;
	size_t				 nw = 0, i, j;
	int				 ch, force = 0;
	int				 ret = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			w = xreallocarray(w, nw + 1, sizeof(*w));
			if (parse_witness(optarg, &w[nw]) == -1)
				goto out;
			for (j = 0; j < nw; j++)
				if (strcmp(w[j].name, w[nw].name) == 0) {
					log_warnx("witness '%s' given twice",
					    w[nw].name);
					free(w[nw].name);
					goto out;
				}
			nw++;
			break;
		case 'r':
			if (num_parse_u64(optarg, 1, INT64_MAX, &o.round)
			    == -1) {
				log_warnx("bad --beacon-round '%s': give a "
				    "round number, from 1 to %lld", optarg,
				    (long long)INT64_MAX);
				goto out;
			}
			break;
		case 'R':
			o.republish = 1;
			break;
		case 'F':
			force = 1;
			break;
		case 'm':
			reason = optarg;
			break;
		case 'n':
			nowarg = optarg;
			break;
		case 'o':
			o.out = optarg;
			break;
		default:
			ret = cmd_usage(&cmd_commit_entry);
			goto out;
		}
	}
	if (argc - optind != 1 || (o.republish && (nw > 0 || o.round != 0 ||
	    force)) || force != (reason != NULL)) {
		ret = cmd_usage(&cmd_commit_entry);
		goto out;
	}
	if (reason != NULL && reason_check(reason) == -1)
		goto out;
	o.batch = argv[optind];
	o.witnesses = w;
	o.nwitnesses = nw;
	o.reason = reason;
	if (schedule_now(nowarg, &o.now) == -1 ||
	    (cfg = cmd_load_plan(ctx, 1, NULL)) == NULL)
		goto out;
	ret = cmd_commit_batch(ctx, cfg, &o, NULL);
out:
	for (i = 0; i < nw; i++)
		free(w[i].name);
	free(w);
	config_free(cfg);
	return ret;
}
