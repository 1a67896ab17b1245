/*
 * ssj witness hash: the hash a witness gives to commit --witness, of the
 * very bytes draw --reveal will be given, so that no shell or editor
 * newline comes between the two.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "crypto.h"
#include "file.h"
#include "log.h"

static int	cmd_witness_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_witness_entry = {
	.name = "witness",
	.usage = "witness hash (value | --file file)",
	.summary = "print the hash of a witness's value for commit --witness",
	.exec = cmd_witness_exec,
};

static int
cmd_witness_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "file", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned char			 h[CRYPTO_DIGEST_BYTES];
	char				 hex[CRYPTO_DIGEST_HEX];
	struct buf			 value = BUF_INIT;
	const char			*path = NULL;
	size_t				 stripped = 0;
	int				 ch, ret = EXIT_USAGE;

	(void)ctx;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'F')
			return cmd_usage(&cmd_witness_entry);
		path = optarg;
	}
	if (argc - optind < 1 || strcmp(argv[optind], "hash") != 0 ||
	    argc - optind != (path == NULL ? 2 : 1))
		return cmd_usage(&cmd_witness_entry);
	if (path == NULL)
		buf_addstr(&value, argv[optind + 1]);
	else {
		if (file_read(path, &value) == -1)
			goto out;
		/*
		 * The value is revealed as --reveal NAME="$(cat FILE)", which
		 * drops the line ends an editor leaves: so does the hash.
		 */
		while (value.len > 0 && (value.data[value.len - 1] == '\n' ||
		    value.data[value.len - 1] == '\r')) {
			value.len--;
			stripped++;
		}
		if (memchr(buf_cstr(&value), '\0', value.len) != NULL) {
			log_warnx("'%s' holds a NUL byte: a value to reveal on "
			    "the command line cannot", path);
			goto out;
		}
		if (stripped > 0)
			log_warnx("note: the line end at the end of '%s' is "
			    "not part of the value (reveal it as \"$(cat "
			    "%s)\")", path, path);
	}
	if (value.len == 0) {
		log_warnx("the value is empty: a witness reveals something no "
		    "one can guess");
		goto out;
	}
	crypto_digest(buf_cstr(&value), value.len, h);
	crypto_hex(h, sizeof(h), hex);
	printf("%s\n", hex);
	ret = EXIT_DONE;
out:
	buf_release(&value);
	return ret;
}
