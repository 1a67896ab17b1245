/*
 * ssj publish: writes the approved results of a batch as GSXT result
 * files (CSV and JSON, corrections apart), each signed, listed with its
 * digest in a signed manifest, the publication in the ledger.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "crypto.h"
#include "csvfile.h"
#include "db.h"
#include "file.h"
#include "gsxt.h"
#include "keys.h"
#include "ledger.h"
#include "log.h"
#include "minisig.h"
#include "results.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_publish_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_publish_entry = {
	.name = "publish",
	.usage = "publish batch dir [--encoding utf-8|gbk]",
	.summary = "write the approved results as signed GSXT result files",
	.exec = cmd_publish_exec,
};

#define MAX_FILES	4

struct pubfile {
	char		*name;		/* in dir */
	struct buf	 body;
};

/* Builds the files of a publication in memory, and the manifest's text. */
static int
build(const struct results_batch *rb, const struct publish_set *ps,
    enum csv_encoding enc, struct pubfile *f, size_t *nf, struct buf *man)
{
	struct buf	 text = BUF_INIT;
	unsigned char	 d[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX];
	size_t		 first = ps->nrecords - ps->ncorrections, i, part;
	int		 ret = 0;

	*nf = 0;
	for (part = 0; part < 2 && ret == 0; part++) {
		const struct gsxt_record *v = part == 0 ? ps->records :
		    ps->records + first;
		size_t n = part == 0 ? first : ps->ncorrections;

		if (n == 0)
			continue;
		buf_reset(&text);
		gsxt_csv(v, n, part == 1, &text);
		f[*nf].name = xasprintf("%s-%lld-%s.csv", rb->batch,
		    (long long)ps->number, part == 0 ? "gsxt" :
		    "gsxt-correction");
		ret = csv_encode_sheet(enc, text.data, text.len, &f[*nf].body);
		(*nf)++;
		f[*nf].name = xasprintf("%s-%lld-%s.json", rb->batch,
		    (long long)ps->number, part == 0 ? "gsxt" :
		    "gsxt-correction");
		gsxt_json(v, n, part == 1, &f[*nf].body);
		(*nf)++;
	}
	buf_release(&text);
	if (ret == -1)
		return -1;
	buf_printf(man, "ssj-publication/1\nbatch %s\npublication %lld\n"
	    "records %zu\ncorrections %zu\nencoding %s\n", rb->batch,
	    (long long)ps->number, ps->nrecords - ps->ncorrections,
	    ps->ncorrections, csv_encoding_name(enc));
	for (i = 0; i < *nf; i++) {
		crypto_digest(f[i].body.data, f[i].body.len, d);
		crypto_hex(d, sizeof(d), hex);
		buf_printf(man, "blake2b-256 %s %s\n", hex, f[i].name);
	}
	return 0;
}

/* Writes a new file of the publication (never over an old one), signed. */
static int
put(const char *dir, const char *name, const struct buf *body,
    const struct seckey *sk, const char *kind, const char *batch,
    int64_t ledger, char **written, size_t *nwritten)
{
	char	*path = xasprintf("%s/%s", dir, name);

	if (file_write(path, body->data, body->len, 0644,
	    FILE_EXCLUSIVE) == -1) {
		free(path);
		return -1;
	}
	written[(*nwritten)++] = path;
	if (minisig_sign_file(path, sk, kind, batch, ledger) == -1)
		return -1;
	written[(*nwritten)++] = xasprintf("%s.minisig", path);
	return 0;
}

static int
cmd_publish_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	struct pubfile			 f[MAX_FILES];
	struct publish_set		 ps;
	struct results_batch		 rb;
	struct buf			 man = BUF_INIT;
	enum csv_encoding		 enc = CSV_UTF8;
	struct seckey			*sk = NULL;
	struct db			*db = NULL;
	unsigned char			 d[CRYPTO_DIGEST_BYTES];
	char				 hex[CRYPTO_DIGEST_HEX];
	char				*secpath = NULL, *manname = NULL;
	char				*written[2 * MAX_FILES + 2];
	const char			*dir;
	size_t				 nf = 0, nwritten = 0, i;
	int64_t				 ledger;
	int				 ch, rc, usage, ret = EXIT_USAGE;

	memset(&rb, 0, sizeof(rb));
	memset(&ps, 0, sizeof(ps));
	memset(f, 0, sizeof(f));
	while ((ch = getopt_long(argc, argv, "e:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			if (csv_encoding_parse(optarg, &enc) == -1 ||
			    enc == CSV_GB18030) {
				log_warnx("unknown encoding '%s'; use utf-8 or "
				    "gbk", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return cmd_usage(&cmd_publish_entry);
		}
	}
	if (argc - optind != 2)
		return cmd_usage(&cmd_publish_entry);
	dir = argv[optind + 1];
	/* the bulk page cache: a batch of 250 000 targets is read whole */
	if ((db = schema_open(ctx->db_path, DB_BULK)) == NULL)
		return EXIT_USAGE;
	if (results_batch_load(db, argv[optind], &rb, &usage) == -1) {
		ret = usage ? EXIT_USAGE : EXIT_FAILED;
		goto out;
	}
	ret = EXIT_FAILED;
	/*
	 * One read transaction for the two queries per target: one snapshot,
	 * and no lock taken and dropped (and checked) around every query.
	 */
	if (db_exec(db, "BEGIN") == -1)
		goto out;
	rc = results_publish_collect(db, &rb, &ps);
	db_rollback(db);
	if (rc == -1)
		goto out;
	if (ps.nrecords == 0) {
		printf("nothing new to publish in batch '%s': %llu targets "
		    "published (已公示) already, %llu awaiting review or "
		    "correction; nothing was written\n", rb.batch,
		    (unsigned long long)ps.published,
		    (unsigned long long)ps.waiting);
		ret = EXIT_DONE;
		goto out;
	}
	if (build(&rb, &ps, enc, f, &nf, &man) == -1) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (cmd_key_paths(ctx, NULL, NULL, NULL, &secpath, NULL) == -1 ||
	    (sk = seckey_load(secpath, key_passphrase)) == NULL) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("cannot create '%s'", dir);
		goto out;
	}
	manname = xasprintf("%s-%lld-manifest.txt", rb.batch,
	    (long long)ps.number);
	crypto_digest(man.data, man.len, d);
	crypto_hex(d, sizeof(d), hex);
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 || results_publish_record(db, &rb, &ps,
	    manname, hex, &ledger) == -1)
		goto fail;
	for (i = 0; i < nf; i++)
		if (put(dir, f[i].name, &f[i].body, sk, "gsxt", rb.batch,
		    ledger, written, &nwritten) == -1)
			goto fail;
	if (put(dir, manname, &man, sk, "manifest", rb.batch, ledger,
	    written, &nwritten) == -1 || db_commit(db) == -1)
		goto fail;
	printf("published %zu result%s of batch '%s' (publication %lld, "
	    "ledger entry %lld)", ps.nrecords - ps.ncorrections,
	    ps.nrecords - ps.ncorrections == 1 ? "" : "s", rb.batch,
	    (long long)ps.number, (long long)ledger);
	if (ps.ncorrections > 0)
		printf(" and %zu correction%s (更正)", ps.ncorrections,
		    ps.ncorrections == 1 ? "" : "s");
	printf(" to '%s':\n", dir);
	for (i = 0; i < nf; i++)
		printf("  %s\n", f[i].name);
	printf("  %s\nthey are 已公示; check a file with 'minisign -Vm FILE "
	    "-p KEY.pub'\n", manname);
	ret = EXIT_DONE;
	goto out;
fail:
	db_rollback(db);
	/* nothing published: no file may say otherwise */
	for (i = 0; i < nwritten; i++)
		(void)unlink(written[i]);
out:
	for (i = 0; i < nwritten; i++)
		free(written[i]);
	for (i = 0; i < MAX_FILES; i++) {
		free(f[i].name);
		buf_release(&f[i].body);
	}
	buf_release(&man);
	free(manname);
	free(secpath);
	seckey_free(sk);
	publish_set_release(&ps);
	results_batch_release(&rb);
	db_close(db);
	return ret;
}
