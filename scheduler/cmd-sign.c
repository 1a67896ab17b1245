/*
 * ssj sign: signs one file into FILE.minisig with the plan's secret key,
 * through the same minisig_sign_file every published file goes through.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "crypto.h"
#include "db.h"
#include "keys.h"
#include "ledger.h"
#include "log.h"
#include "minisig.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_sign_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_sign_entry = {
	.name = "sign",
	.usage = "sign file [--kind kind] [--id id] [-s secfile]",
	.summary = "sign a file into file.minisig (minisign's format)",
	.exec = cmd_sign_exec,
};

/*
 * The signature is an event of the ledger when there is a database: its
 * entry's index goes into the trusted comment, so that the signed file
 * points at the record of its signing.
 */
static int
sign_logged(struct ssj_ctx *ctx, const char *path, const struct seckey *sk,
    const char *kind, const char *id, int64_t *idx)
{
	struct db	*db;
	struct pubkey	 pk;
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX], keyid[KEY_ID_LEN], *sig;
	const char	*base;
	int64_t		 key_entry;
	int		 ret = -1;

	*idx = -1;
	if (access(ctx->db_path, F_OK) == -1)
		return minisig_sign_file(path, sk, kind, id, -1);
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return -1;
	seckey_public(sk, &pk);
	key_id(sk->keynum, keyid);
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	if (crypto_digest_file(path, digest) == -1 || db_begin(db) == -1)
		goto out;
	crypto_hex(digest, sizeof(digest), hex);
	if (ledger_guard(db) == -1 || ledger_note_key(db, &pk,
	    &key_entry) == -1 || ledger_note_signature(db, kind, id, base,
	    hex, keyid, idx) == -1 ||
	    minisig_sign_file(path, sk, kind, id, *idx) == -1) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db) == -1) {
		/* A signature must not name an entry that does not exist. */
		sig = xasprintf("%s.minisig", path);
		unlink(sig);
		free(sig);
		goto out;
	}
	ret = 0;
out:
	db_close(db);
	return ret;
}

static int
cmd_sign_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "id", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct seckey			*sk = NULL;
	const char			*kind = "file", *id = NULL;
	const char			*secarg = NULL, *path;
	char				*secpath = NULL, keyid[KEY_ID_LEN];
	int64_t				 ledger;
	int				 ch, ret = EXIT_USAGE;

	while ((ch = getopt_long(argc, argv, "s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			kind = optarg;
			break;
		case 'i':
			id = optarg;
			break;
		case 's':
			secarg = optarg;
			break;
		default:
			return cmd_usage(&cmd_sign_entry);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_sign_entry);
	path = argv[optind];
	if (*kind == '\0' || (id != NULL && *id == '\0')) {
		log_warnx("empty --kind or --id");
		return EXIT_USAGE;
	}

	/* Before a passphrase is asked for: a missing file is bad input. */
	if (access(path, R_OK) == -1) {
		log_warn("cannot read '%s'", path);
		return EXIT_USAGE;
	}
	if (cmd_key_paths(ctx, NULL, secarg, NULL, &secpath, NULL) == -1)
		return EXIT_USAGE;
	if ((sk = seckey_load(secpath, key_passphrase)) == NULL)
		goto out;
	if (sign_logged(ctx, path, sk, kind, id, &ledger) == -1) {
		ret = EXIT_FAILED;
		goto out;
	}
	key_id(sk->keynum, keyid);
	printf("signed '%s' into '%s.minisig' with key %s", path, path, keyid);
	if (ledger >= 0)
		printf(", ledger entry %lld", (long long)ledger);
	printf("\n");
	ret = EXIT_DONE;
out:
	seckey_free(sk);
	free(secpath);
	return ret;
}
