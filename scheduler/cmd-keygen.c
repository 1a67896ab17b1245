/*
 * ssj keygen: creates the signing key pair in minisign's formats, by
 * default where the plan's keys.public and keys.secret say.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "crypto.h"
#include "keys.h"
#include "log.h"
#include "xmalloc.h"

static int	cmd_keygen_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_keygen_entry = {
	.name = "keygen",
	.usage = "keygen [-p pubfile] [-s secfile] [-f] [--passphrase]",
	.summary = "create the key pair that signs published files",
	.exec = cmd_keygen_exec,
};

static int
cmd_keygen_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "passphrase", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	struct pubkey			 pk;
	const char			*pubarg = NULL, *secarg = NULL;
	char				*pubpath = NULL, *secpath = NULL;
	char				*pass = NULL;
	char				 keyid[KEY_ID_LEN];
	char				 pub64[PUBKEY_BASE64_LEN];
	int				 ch, force = 0, encrypt = 0;
	int				 ret = EXIT_USAGE;

	while ((ch = getopt_long(argc, argv, "fp:s:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			force = 1;
			break;
		case 'p':
			pubarg = optarg;
			break;
		case 's':
			secarg = optarg;
			break;
		case 'P':
			encrypt = 1;
			break;
		default:
			return cmd_usage(&cmd_keygen_entry);
		}
	}
	if (argc != optind)
		return cmd_usage(&cmd_keygen_entry);

	if (cmd_key_paths(ctx, pubarg, secarg, &pubpath, &secpath, NULL) ==
	    -1)
		return EXIT_USAGE;

	/* Ask for no passphrase for a key that could not be written. */
	if (encrypt && !force && (access(secpath, F_OK) == 0 ||
	    access(pubpath, F_OK) == 0)) {
		log_warnx("'%s' already exists; not overwriting it (-f does)",
		    access(secpath, F_OK) == 0 ? secpath : pubpath);
		ret = EXIT_FAILED;
		goto out;
	}
	if (encrypt && (pass = key_new_passphrase(secpath)) == NULL)
		goto out;
	if (key_generate(pubpath, secpath, pass, force, &pk) == -1) {
		ret = EXIT_FAILED;
		goto out;
	}
	key_id(pk.keynum, keyid);
	pubkey_base64(&pk, pub64);
	printf("created key %s\n"
	    "  secret key '%s' (%s; keep it secret)\n"
	    "  public key '%s' (publish it)\n"
	    "files signed with it can be verified with:\n"
	    "  minisign -Vm FILE -P %s\n", keyid, secpath,
	    pass != NULL ? "encrypted" : "not encrypted", pubpath, pub64);
	ret = EXIT_DONE;
out:
	if (pass != NULL)
		crypto_secure_free(pass);
	free(pubpath);
	free(secpath);
	return ret;
}
