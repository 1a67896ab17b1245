/*
 * ssj export: writes a drawn batch's verification bundle -- manifest,
 * commitment, beacon record, frames rebuilt from the committed snapshot,
 * selection, teams, replacements, public key -- every file signed. --public leaves out what is
 * confidential: each target's risk class, the conflicts, the roster.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "bundle.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "draw.h"
#include "file.h"
#include "frame.h"
#include "keys.h"
#include "log.h"
#include "minisig.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_export_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "export batch dir [--public]",
	.summary = "write a drawn batch's signed verification bundle",
	.exec = cmd_export_exec,
};

struct out {
	const char		*dir;
	const struct seckey	*sk;
	const char		*batch;
	int64_t			 ledger;
	struct manifest		*m;
};

/* Signs a file of the bundle, written already, and lists it. */
static int
list_signed(struct out *o, const char *path, const char *kind,
    const unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	struct bundle_file	*f;
	char			*full;
	int			 ret = 0;

	if (kind != NULL) {
		full = xasprintf("%s/%s", o->dir, path);
		ret = minisig_sign_file(full, o->sk, kind, o->batch,
		    o->ledger);
		free(full);
	}
	if (ret == -1)
		return -1;
	o->m->files = xreallocarray(o->m->files, o->m->nfiles + 1,
	    sizeof(*o->m->files));
	f = &o->m->files[o->m->nfiles++];
	f->path = xstrdup(path);
	memcpy(f->digest, digest, CRYPTO_DIGEST_BYTES);
	f->withheld = 0;
	return 0;
}

/* Writes one file of the bundle, signs it, lists it. */
static int
put(struct out *o, const char *path, const char *kind, const void *p,
    size_t len)
{
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	char		*full;
	int		 ret;

	full = xasprintf("%s/%s", o->dir, path);
	ret = file_write(full, p, len, 0644, 0);
	free(full);
	if (ret == -1)
		return -1;
	crypto_digest(p, len, digest);
	return list_signed(o, path, kind, digest);
}

static void
withhold(struct out *o, const char *path, const unsigned char *digest)
{
	struct bundle_file	*f;

	o->m->files = xreallocarray(o->m->files, o->m->nfiles + 1,
	    sizeof(*o->m->files));
	f = &o->m->files[o->m->nfiles++];
	f->path = xstrdup(path);
	memcpy(f->digest, digest, CRYPTO_DIGEST_BYTES);
	f->withheld = 1;
}

static int
make_dir(const char *dir)
{
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("cannot create '%s'", dir);
		return -1;
	}
	return 0;
}

/* The frame files a public bundle has: excluded.txt and parameters.txt. */
static const int frame_public[FRAME_NFILES] = { 0, 0, 0, 1, 1 };

/* The frame files of the bundle, written by frame_build. */
static int
frame_files(int public)
{
	int	 flags = 0;
	size_t	 i;

	for (i = 0; i < FRAME_NFILES; i++)
		if (!public || frame_public[i])
			flags |= FRAME_WRITE(i);
	return flags;
}

static void
remove_frame_files(const char *dir)
{
	char	*path;
	size_t	 i;

	for (i = 0; i < FRAME_NFILES; i++) {
		path = xasprintf("%s/frame/%s", dir, frame_file_names[i]);
		(void)unlink(path);
		free(path);
	}
}

static int
write_bundle(struct out *o, int public, const struct drawn *dn,
    const struct frame *fr, const struct buf *names, const char *pubpath)
{
	struct buf	 pub = BUF_INIT, sub = BUF_INIT;
	char		*text = NULL, *path = NULL;
	size_t		 i;
	int		 ret = -1;

	if (put(o, "commitment.txt", "commitment", dn->commitment_text,
	    strlen(dn->commitment_text)) == -1 ||
	    put(o, "beacon.json", "beacon", dn->beacon, dn->beaconlen) == -1)
		goto out;
	for (i = 0; i < FRAME_NFILES; i++) {
		buf_reset(&sub);
		buf_printf(&sub, "frame/%s", frame_file_names[i]);
		if (public && !frame_public[i])
			withhold(o, buf_cstr(&sub), fr->digest[i]);
		else if (list_signed(o, buf_cstr(&sub), "frame",
		    fr->digest[i]) == -1)
			goto out;
	}
	if (put(o, "selection.txt", "selection", public ?
	    dn->public_selection->data : dn->selection->data, public ?
	    dn->public_selection->len : dn->selection->len) == -1 ||
	    put(o, "teams.txt", "teams", dn->teams.data, dn->teams.len) == -1 ||
	    put(o, "replacements.txt", "replacements", dn->replacements.data,
	    dn->replacements.len) == -1 ||
	    (names->len > 0 && put(o, "names.txt", "names", names->data,
	    names->len) == -1))
		goto out;
	if (file_read(pubpath, &pub) == -1 ||
	    put(o, "ssj.pub", NULL, pub.data, pub.len) == -1)
		goto out;
	o->m->public = public;
	text = manifest_format(o->m);
	path = xasprintf("%s/manifest.txt", o->dir);
	if (file_write(path, text, strlen(text), 0644, 0) == -1 ||
	    minisig_sign_file(path, o->sk, "manifest", o->batch, o->ledger) ==
	    -1)
		goto out;
	ret = 0;
out:
	free(text);
	free(path);
	buf_release(&pub);
	buf_release(&sub);
	return ret;
}

static int
cmd_export_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "public", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct drawn			 dn;
	struct frame			 fr;
	struct buf			 names = BUF_INIT;
	struct out			 o;
	struct config			*cfg = NULL;
	struct seckey			*sk = NULL;
	struct db			*db = NULL;
	char				*pubpath = NULL, *secpath = NULL, *framedir = NULL;
	int				 ch, public = 0, ret = EXIT_USAGE;

	memset(&dn, 0, sizeof(dn));
	memset(&fr, 0, sizeof(fr));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'P')
			return cmd_usage(&cmd_export_entry);
		public = 1;
	}
	if (argc - optind != 2)
		return cmd_usage(&cmd_export_entry);
	if (cmd_key_paths(ctx, NULL, NULL, &pubpath, &secpath, NULL) == -1 ||
	    (sk = seckey_load(secpath, key_passphrase)) == NULL ||
	    (db = schema_open(ctx->db_path, 0)) == NULL)
		goto out;
	/* A batch not drawn (or unknown) is the user's to fix, as in show. */
	if (draw_load(db, argv[optind], &dn) == -1)
		goto out;
	ret = EXIT_FAILED;
	if ((cfg = draw_plan(db, dn.plan_version)) == NULL)
		goto out;
	if ((batch = config_find_batch(cfg, argv[optind], &task)) == NULL) {
		log_warnx("batch '%s' is not in its own plan version",
		    argv[optind]);
		goto out;
	}
	o.dir = argv[optind + 1];
	framedir = xasprintf("%s/frame", o.dir);
	if (make_dir(o.dir) == -1 || make_dir(framedir) == -1)
		goto out;
	if (draw_rebuild_frames(db, cfg, &dn, task, batch,
	    frame_files(public), framedir, &fr) == -1) {
		remove_frame_files(o.dir);
		goto out;
	}
	if (draw_load_teams(db, &dn, (unsigned int)task->team_size) == -1)
		goto out;
	o.sk = sk;
	o.batch = argv[optind];
	o.ledger = dn.ledger;
	o.m = &dn.manifest;
	/* The inspectors' names, only where the plan makes them public. */
	if (task->public_names && draw_load_names(db, &dn, &names) == -1)
		goto out;
	if (write_bundle(&o, public, &dn, &fr, &names, pubpath) == -1)
		goto out;
	printf("wrote the %s bundle of batch '%s' to '%s': %zu files, each "
	    "signed\n", public ? "public" : "full", argv[optind], o.dir,
	    dn.manifest.nfiles + 1);
	ret = EXIT_DONE;
out:
	buf_release(&names);
	frame_release(&fr);
	drawn_release(&dn);
	config_free(cfg);
	seckey_free(sk);
	db_close(db);
	free(framedir);
	free(pubpath);
	free(secpath);
	return ret;
}
