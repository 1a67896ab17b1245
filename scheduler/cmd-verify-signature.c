/*
 * ssj verify-signature: checks FILE.minisig without minisign, and also
 * that its trusted comment names this very file (base name and digest).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "keys.h"
#include "log.h"
#include "minisig.h"
#include "xmalloc.h"

static int	cmd_verify_signature_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_verify_signature_entry = {
	.name = "verify-signature",
	.usage = "verify-signature file [-p pubfile] [-x sigfile]",
	.summary = "check a file's signature and its trusted comment",
	.exec = cmd_verify_signature_exec,
};

static int
cmd_verify_signature_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct sig_fields	 fields;
	struct pubkey		 pk;
	const char		*pubarg = NULL, *sigpath = NULL;
	char			*pubpath = NULL, *kind = NULL, *id = NULL;
	char			 keyid[KEY_ID_LEN];
	int			 ch, rc, ret = EXIT_USAGE;

	while ((ch = getopt(argc, argv, "p:x:")) != -1) {
		switch (ch) {
		case 'p':
			pubarg = optarg;
			break;
		case 'x':
			sigpath = optarg;
			break;
		default:
			return cmd_usage(&cmd_verify_signature_entry);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_verify_signature_entry);

	if (cmd_key_paths(ctx, pubarg, NULL, &pubpath, NULL, NULL) == -1)
		return EXIT_USAGE;
	if (pubkey_load(pubpath, &pk) == -1)
		goto out;

	rc = minisig_verify_file(argv[optind], sigpath, &pk, &fields);
	if (rc == -1)
		goto out;
	if (rc != 0) {
		ret = EXIT_FAILED;
		goto out;
	}
	/* Escaped as in the comment: nothing unprintable reaches a tty. */
	kind = sig_escape(fields.kind);
	printf("signature OK: kind=%s", kind);
	if (fields.id != NULL) {
		id = sig_escape(fields.id);
		printf(" id=%s", id);
	}
	if (fields.ledger >= 0)
		printf(" ledger=%" PRId64, fields.ledger);
	key_id(pk.keynum, keyid);
	printf(" key %s\n", keyid);
	sig_fields_release(&fields);
	ret = EXIT_DONE;
out:
	free(kind);
	free(id);
	free(pubpath);
	return ret;
}
