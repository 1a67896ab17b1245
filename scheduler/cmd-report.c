/*
 * ssj report: the year's supervision (or a period's) as a static site --
 * an index, one page per task and one per batch: coverage of each risk
 * class against the plan, where the targets are, who inspected how much,
 * what was found, whether results were published in time, and how each
 * draw can be replayed. Here: the figures, gathered from the database
 * per batch, and the directory; reports/pages.c writes the pages. The
 * files' digests go into a signed manifest. --public leaves out what is
 * confidential and suppresses the counts of small classes. Built in a
 * fresh directory, renamed into place whole.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "calendar.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "draw.h"
#include "file.h"
#include "keys.h"
#include "log.h"
#include "minisig.h"
#include "pages.h"
#include "results.h"
#include "schema.h"
#include "xmalloc.h"

static int	cmd_report_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "report [--public] [--year year | --from date --to date] "
	    "dir",
	.summary = "write the year's draws and results as a signed static "
	    "site",
	.exec = cmd_report_exec,
};

/* The pages' figures, and what gathers and writes them. */
struct report {
	struct pages_site	 site;
	struct db		*db;
	struct config		**plans;	/* by plan version, loaded */
	int64_t			*plan_ids;
	size_t			 nplans;
	const char		*dir;		/* the temporary directory */
	struct buf		 manifest;
};



/* The plan a batch was committed under, loaded once per version. */
static const struct config *
plan_of(struct report *r, int64_t version)
{
	size_t	 i;

	for (i = 0; i < r->nplans; i++)
		if (r->plan_ids[i] == version)
			return r->plans[i];
	r->plans = xreallocarray(r->plans, r->nplans + 1, sizeof(*r->plans));
	r->plan_ids = xreallocarray(r->plan_ids, r->nplans + 1,
	    sizeof(*r->plan_ids));
	if ((r->plans[r->nplans] = draw_plan(r->db, version)) == NULL)
		return NULL;
	r->plan_ids[r->nplans] = version;
	return r->plans[r->nplans++];
}

/* The Beijing date of a record's UTC time; -1 if it is not one. */
static day_t
beijing_day(const char *utc)
{
	int64_t	 t;

	if (utc == NULL || timestamp_parse(utc, &t) == -1)
		return -1;
	t += 8 * 3600;
	return (day_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

/* The drawn batches of the period, oldest draw first. */
static int
load_batches(struct report *r, int year, day_t from, day_t to)
{
	struct db_stmt	*st;
	struct pages_batch	*b;
	const char	*p, *nl;
	struct buf	 w = BUF_INIT;
	day_t		 day;
	int		 rc;

	st = db_prepare(r->db, "SELECT c.batch, c.id, d.id, c.plan_version, "
	    "c.snapshot, c.beacon_round, c.created_at, d.drawn_at, d.reveals, "
	    "d.seed, c.year, (SELECT idx FROM ledger WHERE event = 'draw' AND "
	    "ref = d.id), (SELECT count(*) FROM attempt a JOIN commitment o "
	    "ON o.id = a.commitment WHERE o.batch = c.batch), (SELECT "
	    "count(*) FROM attempt a JOIN commitment o ON o.id = a.commitment "
	    "WHERE o.batch = c.batch AND a.kind = 'abort') FROM commitment c "
	    "JOIN draw d ON d.commitment = c.id ORDER BY d.drawn_at, c.batch");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		day = beijing_day(db_col_text(st, 7));
		if (year != 0 ? db_col_int(st, 10) != year :
		    from != 0 && (day < from || day > to))
			continue;
		r->site.b = xreallocarray(r->site.b, r->site.nb + 1, sizeof(*r->site.b));
		b = &r->site.b[r->site.nb++];
		memset(b, 0, sizeof(*b));
		b->id = xstrdup(db_col_text(st, 0));
		b->commitment = db_col_int(st, 1);
		b->draw = db_col_int(st, 2);
		b->plan_version = db_col_int(st, 3);
		b->snapshot = db_col_int(st, 4);
		b->round = db_col_int(st, 5);
		b->committed_at = xstrdup(db_col_text(st, 6));
		b->drawn_at = xstrdup(db_col_text(st, 7));
		b->seed = xstrdup(db_col_text(st, 9));
		b->ledger = db_col_int(st, 11);
		b->attempts = db_col_int(st, 12);
		b->aborts = db_col_int(st, 13);
		/* the witnesses' names: the first word of each reveal */
		buf_reset(&w);
		for (p = db_col_text(st, 8); p != NULL && *p != '\0';
		    p = *nl != '\0' ? nl + 1 : nl) {
			nl = p + strcspn(p, "\n");
			buf_printf(&w, "%s%.*s", w.len > 0 ? "、" : "",
			    (int)strcspn(p, " \n"), p);
		}
		b->witnesses = xstrdup(w.len > 0 ? buf_cstr(&w) : "无");
	}
	db_finalize(st);
	buf_release(&w);
	return rc == DB_DONE ? 0 : -1;
}


/* Strata: "name N n" lines; the plan's ratio of each class. */
static void
load_strata(struct pages_batch *b, const char *text)
{
	const struct config_quota	*q;
	char				 name[64], key[160];
	unsigned long long		 N, n;
	const char			*p;
	int				 c;

	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL) {
		if (sscanf(p, "%63s %llu %llu", name, &N, &n) != 3)
			continue;
		snprintf(key, sizeof(key), "%d\t%s", (int)b->task->type,
		    name);
		pages_tally_add(&b->v.strata, key, S_POOL, N);
		pages_tally_add(&b->v.strata, key, S_DRAWN, n);
		if (strcmp(name, "certain") == 0) {
			pages_tally_add(&b->v.strata, key, S_RNUM, 1);
			pages_tally_add(&b->v.strata, key, S_RDEN, 1);
		} else if ((c = config_find_class(b->cfg, name,
		    strlen(name))) >= 0) {
			q = &b->cfg->sampling[b->task->type].quotas[c];
			pages_tally_add(&b->v.strata, key, S_RNUM, q->ratio.num);
			pages_tally_add(&b->v.strata, key, S_RDEN, q->ratio.den);
			if (q->min >= 0)
				pages_tally_add(&b->v.strata, key, S_MIN,
				    (uint64_t)q->min + 1);
			if (q->max >= 0)
				pages_tally_add(&b->v.strata, key, S_MAX,
				    (uint64_t)q->max + 1);
		}
	}
}

/* Runs sql with the draw (?1) and snapshot (?2) bound, row by row. */
static struct db_stmt *
batch_query(struct report *r, const struct pages_batch *b,
    const char *sql)
{
	struct db_stmt	*st;

	if ((st = db_prepare(r->db, sql)) == NULL)
		return NULL;
	db_bind_int(st, 1, b->draw);
	if (strstr(sql, "?2") != NULL)
		db_bind_int(st, 2, b->snapshot);
	return st;
}

/* An enterprise's column as of the draw's snapshot. */
#define AS_OF(col) \
	"(SELECT " col " FROM enterprise_rev e WHERE e.uscc = s.uscc AND " \
	"e.snapshot <= ?2 ORDER BY e.snapshot DESC LIMIT 1)"

static int
load_batch(struct report *r, struct pages_batch *b)
{
	struct db_stmt		*st;
	const struct config_item *it;
	const char		*p, *codes;
	char			 code[16], key[160];
	size_t			 i, n;
	day_t			 done, due, pub;
	int			 rc, problem, col;

	if ((b->cfg = plan_of(r, b->plan_version)) == NULL)
		return -1;
	if ((b->cb = config_find_batch(b->cfg, b->id, &b->task)) == NULL)
		return error("batch '%s' is not in its own plan version; "
		    "check the database with 'ssj ledger verify'", b->id);
	if ((st = batch_query(r, b, "SELECT strata FROM draw WHERE id = ?1"))
	    == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		load_strata(b, db_col_text(st, 0));
	db_finalize(st);
	if (rc != DB_ROW)
		return -1;

	/* where: the targets' divisions and industries as drawn */
	if ((st = batch_query(r, b, "SELECT " AS_OF("division") ", "
	    AS_OF("industry") " FROM selection s WHERE s.draw = ?1")) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		b->v.targets++;
		pages_tally_add(&b->v.divisions, db_col_text(st, 0) != NULL ?
		    db_col_text(st, 0) : "", 0, 1);
		pages_tally_add(&b->v.industries, db_col_text(st, 1) != NULL ?
		    db_col_text(st, 1) : "", 0, 1);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;

	/* who: each inspector's targets and department */
	if ((st = batch_query(r, b, "SELECT c.credential, count(*), (SELECT "
	    "department FROM inspector_rev i WHERE i.credential = "
	    "c.credential AND i.snapshot <= ?2 ORDER BY i.snapshot DESC "
	    "LIMIT 1) FROM current_team c WHERE c.draw = ?1 GROUP BY "
	    "c.credential")) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		pages_tally_add(&b->v.loads, db_col_text(st, 0), 0,
		    (uint64_t)db_col_int(st, 1));
		snprintf(key, sizeof(key), "%s\t%s", db_col_text(st, 2) ?
		    db_col_text(st, 2) : "", db_col_text(st, 0));
		pages_tally_add(&b->v.depts, key, 0, (uint64_t)db_col_int(st, 1));
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	if ((st = batch_query(r, b, "SELECT reason, count(*) FROM "
	    "replacement WHERE draw = ?1 GROUP BY reason")) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		pages_tally_add(&b->v.reasons, db_col_text(st, 0), 0,
		    (uint64_t)db_col_int(st, 1));
		b->v.replacements += (uint64_t)db_col_int(st, 1);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;

	/*
	 * What was found: each target's item's latest revision, its codes,
	 * the target's stratum; published when a publication covers it.
	 */
	if ((st = batch_query(r, b, "SELECT r.item, r.result, r.department, "
	    "r.completed, s.stratum, (SELECT min(u.published_at) FROM "
	    "published p JOIN publication u ON u.id = p.publication WHERE "
	    "u.draw = r.draw AND p.uscc = r.uscc AND p.upto >= r.id), r.uscc "
	    "FROM result r JOIN selection_key k ON k.draw = r.draw AND k.uscc = "
	    "r.uscc JOIN selection s ON s.draw = k.draw AND s.rank = k.rank "
	    "WHERE r.draw = ?1 ORDER BY r.uscc, r.item")) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		codes = db_col_text(st, 1);
		problem = 0;
		for (p = codes; p != NULL && *p != '\0'; p += n +
		    (p[n] == ',')) {
			n = strcspn(p, ",");
			snprintf(code, sizeof(code), "%.*s", (int)n, p);
			pages_tally_add(&b->v.codes, code, 0, 1);
			for (i = 0; i < result_ncodes; i++)
				if (strcmp(result_codes[i].code, code) == 0)
					problem |= result_codes[i].problem;
		}
		it = config_find_item(b->cfg, db_col_text(st, 0));
		snprintf(key, sizeof(key), "%s\t%s", db_col_text(st, 0),
		    it != NULL ? it->name : "");
		pages_tally_add(&b->v.items, key, I_ROWS, 1);
		pages_tally_add(&b->v.items, key, I_PROBLEMS, (uint64_t)problem);
		snprintf(key, sizeof(key), "%d\t%s", (int)b->task->type,
		    db_col_text(st, 4));
		pages_tally_add(&b->v.strata, key, S_CHECKED, 1);
		pages_tally_add(&b->v.strata, key, S_PROBLEMS, (uint64_t)problem);
		/* the 20 working days run from the completion */
		col = T_OPEN;
		if (date_parse(db_col_text(st, 3), db_col_bytes(st, 3),
		    &done) == 0) {
			due = calendar_add_workdays(&b->cfg->calendar, done,
			    RESULT_DEADLINE_DAYS);
			pub = beijing_day(db_col_text(st, 5));
			if (pub >= 0)
				col = pub <= due ? T_ONTIME : T_LATE;
			else if (r->site.today > due)
				col = T_OVERDUE;
		}
		pages_tally_add(&b->v.timely, db_col_text(st, 2), col, 1);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	if ((st = batch_query(r, b, "SELECT count(*) FROM selection s WHERE "
	    "s.draw = ?1 AND NOT EXISTS (SELECT 1 FROM result_rev x WHERE "
	    "x.draw = s.draw AND x.uscc = s.uscc)")) == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW)
		b->v.unentered = (uint64_t)db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/* A file of the site: written, its digest into the manifest. */
static int
put(void *arg, const char *name, const struct buf *body)
{
	struct report	*r = arg;
	unsigned char	 d[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX], *path;
	int		 ret;

	path = xasprintf("%s/%s", r->dir, name);
	ret = file_write(path, body->data, body->len, 0644, FILE_EXCLUSIVE);
	free(path);
	if (ret == -1)
		return -1;
	crypto_digest(body->data, body->len, d);
	crypto_hex(d, sizeof(d), hex);
	/* b2sum's format: b2sum -l 256 -c MANIFEST.txt checks it too */
	buf_printf(&r->manifest, "%s  %s\n", hex, name);
	return 0;
}



static int
parse_date(const char *s, const char *opt, day_t *out)
{
	if (date_parse(s, strlen(s), out) == -1) {
		log_warnx("%s '%s' is not a date: write it YYYY-MM-DD", opt, s);
		return -1;
	}
	return 0;
}

static int
cmd_report_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "public", no_argument, NULL, 'P' },
		{ "year", required_argument, NULL, 'y' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct report		 r;
	struct seckey		*sk = NULL;
	struct buf		 pub = BUF_INIT;
	char			*pubpath = NULL, *secpath = NULL, *end;
	char			*tmpdir = NULL, *target = NULL, *parent = NULL;
	char			*copy, *path = NULL;
	char			 d1[DATE_STR_LEN];
	char			 d2[DATE_STR_LEN];
	day_t			 from = 0, to = 0;
	long			 year = 0;
	size_t			 i;
	int			 ch, state, ret = EXIT_USAGE;

	memset(&r, 0, sizeof(r));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'P':
			r.site.public = 1;
			break;
		case 'y':
			errno = 0;
			year = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || year < 1900 ||
			    year > 9999) {
				log_warnx("--year '%s' is not a year: write "
				    "it as four digits, e.g. --year 2026",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'f':
			if (parse_date(optarg, "--from", &from) == -1)
				return EXIT_USAGE;
			break;
		case 't':
			if (parse_date(optarg, "--to", &to) == -1)
				return EXIT_USAGE;
			break;
		default:
			return cmd_usage(&cmd_report_entry);
		}
	}
	if (argc - optind != 1 || (year != 0 && (from != 0 || to != 0)) ||
	    ((from != 0) != (to != 0)))
		return cmd_usage(&cmd_report_entry);
	if (from != 0 && from > to) {
		log_warnx("--from %s is after --to %s: give the period's first "
		    "day first", date_format(from, d1), date_format(to, d2));
		return EXIT_USAGE;
	}
	r.site.today = date_today();
	buf_init(&r.manifest);
	target = xstrdup(argv[optind]);
	while (strlen(target) > 1 && target[strlen(target) - 1] == '/')
		target[strlen(target) - 1] = '\0';
	copy = xstrdup(target);
	parent = xstrdup(dirname(copy));
	free(copy);
	copy = xstrdup(target);
	if (strcmp(basename(copy), ".") == 0 ||
	    strcmp(basename(copy), "..") == 0 || strcmp(target, "/") == 0) {
		free(copy);
		log_warnx("'%s' cannot be renamed into: give the report a new "
		    "directory", target);
		goto out;
	}
	free(copy);
	if ((state = file_target_state(target, "report")) == -1)
		goto out;
	if (cmd_key_paths(ctx, NULL, NULL, &pubpath, &secpath, NULL) == -1 ||
	    (sk = seckey_load(secpath, key_passphrase)) == NULL ||
	    (r.db = schema_open(ctx->db_path, 0)) == NULL)
		goto out;
	ret = EXIT_FAILED;
	if (load_batches(&r, (int)year, from, to) == -1)
		goto out;
	if (r.site.nb == 0) {
		if (year != 0)
			log_warnx("no batch of the plan year %ld was drawn: "
			    "nothing to report (nothing was written)", year);
		else if (from != 0)
			log_warnx("no batch was drawn from %s to %s: nothing "
			    "to report (nothing was written)",
			    date_format(from, d1), date_format(to, d2));
		else
			log_warnx("no batch was drawn yet: nothing to report "
			    "(nothing was written)");
		ret = EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < r.site.nb; i++)
		if (load_batch(&r, &r.site.b[i]) == -1)
			goto out;
	/* the public report: the plan's smallest class to show */
	r.site.threshold = (uint64_t)r.site.b[r.site.nb - 1].cfg->report_public_min;
	if (year != 0)
		r.site.period = xasprintf("%ld年度", year);
	else if (from != 0)
		r.site.period = xasprintf("%s至%s", date_format(from, d1),
		    date_format(to, d2));
	else
		r.site.period = xstrdup("");	/* every batch drawn */
	copy = xstrdup(target);
	tmpdir = file_temp_dir(parent, basename(copy), "report");
	free(copy);
	if (tmpdir == NULL)
		goto out;
	r.dir = tmpdir;
	if (pages_write(&r.site, put, &r) == -1 || file_read(pubpath, &pub) == -1 ||
	    put(&r, "ssj.pub", &pub) == -1)
		goto out;
	path = xasprintf("%s/MANIFEST.txt", tmpdir);
	if (file_write(path, r.manifest.data, r.manifest.len, 0644,
	    FILE_EXCLUSIVE) == -1 || minisig_sign_file(path, sk, "report",
	    r.site.public ? "public" : "full", -1) == -1 ||
	    file_sync_dir(tmpdir) == -1)
		goto out;
	if (file_dir_publish(tmpdir, target, parent, state, "report",
	    "report") == -1)
		goto out;
	free(tmpdir);
	tmpdir = NULL;
	printf("wrote the %s report of %zu batch%s to '%s': open '%s/"
	    "index.html'; check it with: minisign -Vm %s/MANIFEST.txt -p "
	    "%s\n", r.site.public ? "public" : "full", r.site.nb, r.site.nb == 1 ? "" :
	    "es", target, target, target, pubpath);
	ret = EXIT_DONE;
out:
	if (tmpdir != NULL)
		file_remove_tree(tmpdir);
	free(tmpdir);
	free(path);
	free(target);
	free(parent);
	free(pubpath);
	free(secpath);
	free(r.site.period);
	buf_release(&pub);
	buf_release(&r.manifest);
	for (i = 0; i < r.site.nb; i++) {
		pages_batch_release(&r.site.b[i]);
	}
	free(r.site.b);
	for (i = 0; i < r.nplans; i++)
		config_free(r.plans[i]);
	free(r.plans);
	free(r.plan_ids);
	seckey_free(sk);
	db_close(r.db);
	return ret;
}
