/*
 * ssj export: writes a drawn batch's verification bundle -- manifest,
 * commitment, beacon record, frames rebuilt from the committed snapshot,
 * selection, teams, replacements, public key -- every file signed.
 * --public leaves out what is confidential: each target's risk class,
 * the conflicts, the roster. The bundle is built in a fresh directory
 * beside the target and renamed into place: whole or not at all.
 */
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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

/* Creates dir and its missing parents, like mkdir -p (issue 10 §4). */
static int
make_dirs(const char *dir)
{
	char	*p, *copy;
	int	 ret = 0;

	copy = xstrdup(dir);
	for (p = copy + 1; ret == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (*p == '/' && p[-1] == '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) == -1 && errno != EEXIST) {
			log_warn("cannot create '%s'", copy);
			ret = -1;
		}
		if (p == copy + strlen(dir))
			break;
		*p = '/';
	}
	free(copy);
	return ret;
}

/* The regular files under dir, counted: what export really wrote. */
static size_t
count_files(const char *dir)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;
	size_t		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			n += count_files(path);
		else if (S_ISREG(st.st_mode))
			n++;
		free(path);
	}
	closedir(d);
	return n;
}

/*
 * The frame files a public bundle has: excluded.txt alone (parameters.txt
 * counts each stratum's targets, docs/protocol.md §8.1).
 */
static const int frame_public[FRAME_NFILES] = { 0, 0, 0, 1, 0 };

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

static int
write_bundle(struct out *o, int public, const struct drawn *dn,
    const struct frame *fr, const struct buf *names, const char *pubpath)
{
	struct buf	 pub = BUF_INIT, sub = BUF_INIT;
	struct buf	 psel = BUF_INIT, pteams = BUF_INIT, preps = BUF_INIT;
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
	if (public && (bundle_public_selection(dn->selection->data,
	    dn->selection->len, &psel) == -1 || bundle_public_teams(
	    dn->teams.data, dn->teams.len, &pteams) == -1 ||
	    bundle_public_replacements(dn->replacements.data,
	    dn->replacements.len, &preps) == -1)) {
		log_warnx("batch '%s': the stored selection, teams or "
		    "replacements are malformed", o->batch);
		goto out;
	}
	if (put(o, "selection.txt", "selection", public ? psel.data :
	    dn->selection->data, public ? psel.len : dn->selection->len) ==
	    -1 ||
	    put(o, "teams.txt", "teams", public ? pteams.data :
	    dn->teams.data, public ? pteams.len : dn->teams.len) == -1 ||
	    put(o, "replacements.txt", "replacements", public ? preps.data :
	    dn->replacements.data, public ? preps.len : dn->replacements.len)
	    == -1 ||
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
	buf_release(&psel);
	buf_release(&pteams);
	buf_release(&preps);
	return ret;
}

static int
cmd_export_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "public", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	int				 ch, public = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'P')
			return cmd_usage(&cmd_export_entry);
		public = 1;
	}
	if (argc - optind != 2)
		return cmd_usage(&cmd_export_entry);
	return cmd_export_batch(ctx, argv[optind], argv[optind + 1], public,
	    0);
}

int
cmd_export_batch(struct ssj_ctx *ctx, const char *name, const char *dir,
    int public, int quiet)
{
	const struct config_task	*task;
	const struct config_batch	*batch;
	struct drawn			 dn;
	struct frame			 fr;
	struct buf			 names = BUF_INIT;
	struct out			 o;
	struct config			*cfg = NULL;
	struct seckey			*sk = NULL;
	struct db			*db = NULL;
	char				*pubpath = NULL, *secpath = NULL;
	char				*framedir = NULL, *tmpdir = NULL;
	char				*target = NULL, *parent = NULL;
	char				*base = NULL, *copy;
	size_t				 nwritten;
	int				 state;
	int				 ret = EXIT_USAGE;

	memset(&dn, 0, sizeof(dn));
	memset(&fr, 0, sizeof(fr));
	if (cmd_key_paths(ctx, NULL, NULL, &pubpath, &secpath, NULL) == -1 ||
	    (sk = seckey_load(secpath, key_passphrase)) == NULL ||
	    (db = schema_open(ctx->db_path, 0)) == NULL)
		goto out;
	/* A batch not drawn (or unknown) is the user's to fix, as in show. */
	if (draw_load(db, name, &dn) == -1)
		goto out;
	ret = EXIT_FAILED;
	if ((cfg = draw_plan(db, dn.plan_version)) == NULL)
		goto out;
	if ((batch = config_find_batch(cfg, name, &task)) == NULL) {
		log_warnx("batch '%s' is not in its own plan version",
		    name);
		goto out;
	}
	/* Nothing is written unless the target can take the bundle. */
	target = xstrdup(dir);
	while (strlen(target) > 1 && target[strlen(target) - 1] == '/')
		target[strlen(target) - 1] = '\0';
	copy = xstrdup(target);
	parent = xstrdup(dirname(copy));
	free(copy);
	copy = xstrdup(target);
	base = xstrdup(basename(copy));
	free(copy);
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    strcmp(base, "/") == 0) {
		log_warnx("'%s' cannot be renamed into: give the bundle a new "
		    "directory", target);
		ret = EXIT_USAGE;
		goto out;
	}
	if ((state = file_target_state(target, "bundle")) == -1) {
		ret = EXIT_USAGE;
		goto out;
	}
	if (make_dirs(parent) == -1)
		goto out;
	if ((tmpdir = file_temp_dir(parent, base, "export")) == NULL)
		goto out;
	o.dir = tmpdir;
	framedir = xasprintf("%s/frame", o.dir);
	if (mkdir(framedir, 0755) == -1) {
		log_warn("cannot create '%s'", framedir);
		goto out;
	}
	if (draw_rebuild_frames(db, cfg, &dn, task, batch,
	    frame_files(public), framedir, &fr) == -1)
		goto out;
	if (draw_load_teams(db, &dn, (unsigned int)task->team_size) == -1)
		goto out;
	o.sk = sk;
	o.batch = name;
	o.ledger = dn.ledger;
	o.m = &dn.manifest;
	/* The inspectors' names, only where the plan makes them public. */
	if (task->public_names && draw_load_names(db, &dn, &names) == -1)
		goto out;
	if (write_bundle(&o, public, &dn, &fr, &names, pubpath) == -1)
		goto out;
	nwritten = count_files(tmpdir);
	if (file_sync_dir(framedir) == -1 || file_sync_dir(tmpdir) == -1)
		goto out;
	if (file_dir_publish(tmpdir, target, parent, state, "bundle",
	    "export") == -1)
		goto out;
	free(tmpdir);
	tmpdir = NULL;
	if (!quiet)
		printf("wrote the %s bundle of batch '%s' to '%s': %zu files, "
		    "each signed but ssj.pub\n", public ? "public" : "full",
		    name, target, nwritten);
	ret = EXIT_DONE;
out:
	if (tmpdir != NULL)
		file_remove_tree(tmpdir);
	free(tmpdir);
	free(target);
	free(parent);
	free(base);
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
