/*
 * ssj notice: the public notices (公告) -- the plan's, a batch's drawn list
 * where the plan makes it public, and a batch's published results under
 * a number per authority and year -- as CSV, JSON and HTML, each signed.
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
#include "bulletin.h"
#include "calendar.h"
#include "cmd.h"
#include "config.h"
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

static int	cmd_notice_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_notice_entry = {
	.name = "notice",
	.usage = "notice plan dir\n"
	    "       ssj notice task batch dir\n"
	    "       ssj notice result batch dir",
	.summary = "write a signed public notice (CSV, JSON, HTML)",
	.exec = cmd_notice_exec,
};

static const char *const type_names[ITEM_NTYPES] = { "一般检查事项",
    "重点检查事项" };

static void
date_cn(day_t day, char *out, size_t len)
{
	int	 y, m, d;

	date_to_ymd(day, &y, &m, &d);
	snprintf(out, len, "%d年%d月%d日", y, m, d);
}

static const char *
dept_name(const struct config *cfg, const char *code)
{
	const struct config_department	*d;

	d = config_find_department(cfg, code);
	return d != NULL ? d->name : code;
}

static char *
ratio_text(const struct config_quota *q)
{
	struct buf	 b = BUF_INIT;
	uint64_t	 num = q->ratio.num * 100, den = q->ratio.den, frac;
	int		 digits = 0;

	/* an exact decimal percentage, as the plan wrote it */
	buf_printf(&b, "%llu", (unsigned long long)(num / den));
	frac = num % den;
	if (frac != 0)
		buf_addch(&b, '.');
	while (frac != 0 && digits++ < 6) {
		frac *= 10;
		buf_printf(&b, "%llu", (unsigned long long)(frac / den));
		frac %= den;
	}
	buf_addch(&b, '%');
	if (q->min >= 0)
		buf_printf(&b, "，不少于%lld户", (long long)q->min);
	if (q->max >= 0)
		buf_printf(&b, "，不多于%lld户", (long long)q->max);
	return buf_detach(&b, NULL);
}

static void
plan_notice(const struct config *cfg, struct bulletin *b)
{
	static const char *const item_cols[] = { "序号", "事项编号",
	    "检查事项", "事项类别", "抽查依据", "检查部门", NULL };
	static const char *const task_cols[] = { "序号", "任务编号",
	    "抽查任务名称", "检查事项", "抽查类型", "牵头部门", "联合部门",
	    "批次", "抽取日期", "检查时间", NULL };
	static const char *const ratio_cols[] = { "信用风险分类",
	    "一般检查事项抽查比例", "重点检查事项抽查比例", NULL };
	struct bulletin_table	*t;
	const struct config_task *tk;
	const struct config_batch *bt;
	struct buf		 items = BUF_INIT, joint = BUF_INIT;
	char			 n[24], d1[DATE_STR_LEN], d2[DATE_STR_LEN];
	char			 d3[DATE_STR_LEN], *win, *r0, *r1;
	const char		*row[12];
	size_t			 i, j, k, seq = 0;

	bulletin_paragraph(b, "根据“双随机、一公开”监管工作要求，现将本年度"
	    "抽查事项清单、抽查任务、抽查比例和时间安排公告如下。");
	t = bulletin_table(b, "一、随机抽查事项清单", item_cols);
	for (i = 0; i < cfg->nitems; i++) {
		snprintf(n, sizeof(n), "%zu", i + 1);
		row[0] = n;
		row[1] = cfg->items[i].code;
		row[2] = cfg->items[i].name;
		row[3] = type_names[cfg->items[i].type];
		row[4] = cfg->items[i].basis;
		row[5] = dept_name(cfg, cfg->items[i].department);
		bulletin_row(t, row);
	}
	t = bulletin_table(b, "二、抽查任务和时间安排", task_cols);
	for (i = 0; i < cfg->ntasks; i++) {
		tk = &cfg->tasks[i];
		buf_reset(&items);
		for (j = 0; j < tk->nitems; j++) {
			const struct config_item *it = config_find_item(cfg,
			    tk->items[j]);
			buf_printf(&items, "%s%s", j > 0 ? "；" : "",
			    it != NULL ? it->name : tk->items[j]);
		}
		buf_reset(&joint);
		for (j = 0; j < tk->njoint; j++)
			buf_printf(&joint, "%s%s", j > 0 ? "、" : "",
			    dept_name(cfg, tk->joint[j]));
		for (k = 0; k < tk->nbatches; k++) {
			bt = &tk->batches[k];
			snprintf(n, sizeof(n), "%zu", ++seq);
			win = xasprintf("%s至%s", date_format(bt->window_from,
			    d1), date_format(bt->window_to, d2));
			row[0] = n;
			row[1] = tk->id;
			row[2] = tk->name;
			row[3] = buf_cstr(&items);
			row[4] = tk->targeted ? "定向" : "不定向";
			row[5] = dept_name(cfg, tk->lead);
			row[6] = joint.len > 0 ? buf_cstr(&joint) : "";
			row[7] = bt->name;
			row[8] = date_format(bt->draw_date, d3);
			row[9] = win;
			bulletin_row(t, row);
			free(win);
		}
	}
	t = bulletin_table(b, "三、抽查比例", ratio_cols);
	for (i = 0; i < cfg->nclasses; i++) {
		r0 = ratio_text(&cfg->sampling[ITEM_GENERAL].quotas[i]);
		r1 = ratio_text(&cfg->sampling[ITEM_KEY].quotas[i]);
		row[0] = cfg->classes[i].name;
		row[1] = r0;
		row[2] = r1;
		bulletin_row(t, row);
		free(r0);
		free(r1);
	}
	buf_release(&items);
	buf_release(&joint);
}

static char *
task_items(const struct results_batch *rb, int depts)
{
	struct buf			 b = BUF_INIT;
	const struct config_item	*it;
	size_t				 i;

	for (i = 0; i < rb->task->nitems; i++) {
		it = config_find_item(rb->cfg, rb->task->items[i]);
		if (depts)
			buf_printf(&b, "%s%s", i > 0 ? "、" : "", dept_name(
			    rb->cfg, it != NULL ? it->department :
			    rb->task->lead));
		else
			buf_printf(&b, "%s%s", i > 0 ? "；" : "", it != NULL ?
			    it->name : rb->task->items[i]);
	}
	return buf_detach(&b, NULL);
}

static int
task_notice(struct db *db, const struct results_batch *rb,
    struct bulletin *b)
{
	/* 检查人员, the last, only where the plan makes names public */
	static const char *const cols[] = { "序号", "市场主体名称",
	    "统一社会信用代码/注册号", "登记机关（区划）", "检查事项", "检查部门",
	    "检查人员", NULL };
	static const char *const cols_nameless[] = { "序号", "市场主体名称",
	    "统一社会信用代码/注册号", "登记机关（区划）", "检查事项", "检查部门",
	    NULL };
	struct bulletin_table	*t;
	struct drawn_target	*v;
	const char		*row[8], *div;
	char			*items, *depts, *para, n[24], drawn[64];
	size_t			 nv, i;

	if (results_drawn_targets(db, rb, &v, &nv) == -1)
		return -1;
	items = task_items(rb, 0);
	depts = task_items(rb, 1);
	date_cn(rb->cbatch->draw_date, drawn, sizeof(drawn));
	para = xasprintf("根据“双随机、一公开”监管工作要求，%s于%s通过随机抽取"
	    "确定了%s（%s）的检查对象%zu户，现予公告。", rb->cfg->authority,
	    drawn, rb->task->name, rb->cbatch->name, nv);
	bulletin_paragraph(b, para);
	free(para);
	t = bulletin_table(b, NULL, rb->task->public_names ? cols :
	    cols_nameless);
	for (i = 0; i < nv; i++) {
		snprintf(n, sizeof(n), "%zu", i + 1);
		div = config_division_name(rb->cfg, v[i].division);
		row[0] = n;
		row[1] = v[i].name;
		row[2] = v[i].uscc;
		row[3] = div != NULL ? div : v[i].division;
		row[4] = items;
		row[5] = depts;
		row[6] = v[i].names;
		bulletin_row(t, row);
	}
	free(items);
	free(depts);
	drawn_targets_free(v, nv);
	return 0;
}

static int
result_notice(struct db *db, const struct results_batch *rb,
    struct bulletin *b)
{
	static const char *const cols[] = { "序号", "抽查计划编号",
	    "抽查计划名称", "抽查任务编号", "抽查任务名称", "抽查类型", "检查机关",
	    "抽查市场主体名称", "统一社会信用代码/注册号", "检查完成日期",
	    "检查结果", "备注", NULL };
	struct bulletin_table	*t;
	struct publish_set	 ps;
	struct gsxt_record	*r;
	struct buf		 res = BUF_INIT, note = BUF_INIT;
	const char		*row[13];
	char			*para, n[24];
	size_t			 i, j;

	if (results_published(db, rb, &ps) == -1)
		return -1;
	if (ps.nrecords == 0) {
		publish_set_release(&ps);
		return error("no result of batch '%s' is published (已公示) "
		    "yet; run 'ssj publish %s DIR' first", rb->batch,
		    rb->batch);
	}
	para = xasprintf("根据“双随机、一公开”监管工作要求，%s组织实施了%s"
	    "（%s），现将%zu户市场主体的抽查检查结果公告如下。",
	    rb->cfg->authority, rb->task->name, rb->cbatch->name,
	    ps.nrecords);
	bulletin_paragraph(b, para);
	free(para);
	t = bulletin_table(b, NULL, cols);
	for (i = 0; i < ps.nrecords; i++) {
		r = &ps.records[i];
		buf_reset(&res);
		for (j = 0; j < r->ndetails; j++) {
			if (r->ndetails > 1)
				buf_printf(&res, "%s%s：", j > 0 ? "\n" : "",
				    r->details[j].item);
			buf_addstr(&res, r->details[j].result);
		}
		buf_reset(&note);
		if (r->reason != NULL)
			buf_printf(&note, "更正：%s", r->reason);
		snprintf(n, sizeof(n), "%zu", i + 1);
		row[0] = n;
		row[1] = r->plan_id;
		row[2] = r->plan_name;
		row[3] = r->task_id;
		row[4] = r->task_name;
		row[5] = r->type;
		row[6] = r->authority;
		row[7] = r->name;
		row[8] = r->uscc;
		row[9] = r->date;
		row[10] = buf_cstr(&res);
		row[11] = buf_cstr(&note);
		bulletin_row(t, row);
	}
	buf_release(&res);
	buf_release(&note);
	publish_set_release(&ps);
	return 0;
}

/*
 * A notice with these rows already on record: *number its number.
 * Then nothing is written again.
 */
static int
notice_exists(struct db *db, const char *kind, const char *subject,
    const char *digest, int64_t *number)
{
	struct db_stmt	*st;
	int		 rc;

	*number = 0;
	st = db_prepare(db, "SELECT number FROM notice WHERE kind = ?1 AND "
	    "subject = ?2 AND digest = ?3 ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind, SIZE_MAX);
	db_bind_text(st, 2, subject, SIZE_MAX);
	db_bind_text(st, 3, digest, SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW)
		*number = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* The next number of a kind of notice for the authority and the year. */
static int
notice_number(struct db *db, const char *kind, const char *authority,
    int year, int64_t *number)
{
	struct db_stmt	*st;
	int		 rc;

	st = db_prepare(db, "SELECT coalesce(max(number), 0) + 1 FROM notice "
	    "WHERE kind = ?1 AND authority = ?2 AND year = ?3");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind, SIZE_MAX);
	db_bind_text(st, 2, authority, SIZE_MAX);
	db_bind_int(st, 3, year);
	if ((rc = db_step(st)) == DB_ROW)
		*number = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int
notice_record(struct db *db, const struct bulletin *b, const char *subject,
    int year, int64_t number, const char *digest, int64_t *ledger)
{
	struct db_stmt	*st;
	char		 at[TIMESTAMP_LEN];
	int		 rc;

	timestamp_now(at);
	st = db_prepare(db, "INSERT INTO notice (kind, authority, year, "
	    "number, subject, title, digest, written_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, b->kind, SIZE_MAX);
	db_bind_text(st, 2, b->authority, SIZE_MAX);
	db_bind_int(st, 3, year);
	db_bind_int(st, 4, number);
	db_bind_text(st, 5, subject, SIZE_MAX);
	db_bind_text(st, 6, b->title, SIZE_MAX);
	db_bind_text(st, 7, digest, SIZE_MAX);
	db_bind_text(st, 8, at, SIZE_MAX);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return ledger_append(db, "notice", db_last_rowid(db), ledger);
}

static const char *const kind_titles[] = { "抽查计划公告", "抽查任务公告" };

static int
cmd_notice_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	static const char *const exts[] = { "csv", "json", "html" };
	struct results_batch	 rb;
	struct bulletin		 b;
	struct buf		 rows = BUF_INIT, body[3];
	struct config		*cfg = NULL;
	struct seckey		*sk = NULL;
	struct db		*db = NULL;
	const struct config	*plan;
	unsigned char		 d[CRYPTO_DIGEST_BYTES];
	char			 hex[CRYPTO_DIGEST_HEX], date[64];
	char			*secpath = NULL, *title = NULL, *paths[6];
	const char		*kind, *subject, *dir;
	size_t			 npaths = 0, i;
	int64_t			 number, ledger;
	int			 usage, ret = EXIT_USAGE;

	memset(&rb, 0, sizeof(rb));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 3; i++)
		buf_init(&body[i]);
	if (getopt_long(argc, argv, "", NULL, NULL) != -1 || argc < 3)
		return cmd_usage(&cmd_notice_entry);
	kind = argv[1];
	if (strcmp(kind, "plan") == 0 ? argc != 3 : argc != 4 ||
	    (strcmp(kind, "task") != 0 && strcmp(kind, "result") != 0))
		return cmd_usage(&cmd_notice_entry);
	dir = argv[argc - 1];
	if ((db = schema_open(ctx->db_path, 0)) == NULL)
		return EXIT_USAGE;
	if (strcmp(kind, "plan") == 0) {
		if ((cfg = cmd_load_plan(ctx, 1, NULL)) == NULL)
			goto out;
		plan = cfg;
		subject = cfg->plan_id;
	} else {
		if (results_batch_load(db, argv[2], &rb, &usage) == -1) {
			ret = usage ? EXIT_USAGE : EXIT_FAILED;
			goto out;
		}
		plan = rb.cfg;
		subject = rb.batch;
		if (strcmp(kind, "task") == 0 && !rb.task->public_list) {
			log_warnx("the plan does not make the drawn list of "
			    "task '%s' public: set 'public_list: true' for "
			    "it to publish a task notice", rb.task->id);
			goto out;
		}
	}
	/* the key (and its passphrase) before the database is locked */
	if (cmd_key_paths(ctx, NULL, NULL, NULL, &secpath, NULL) == -1 ||
	    (sk = seckey_load(secpath, key_passphrase)) == NULL)
		goto out;
	if (db_begin(db) == -1) {
		ret = EXIT_FAILED;
		goto out;
	}
	/* The number is taken in the transaction that records it. */
	if (notice_number(db, kind, plan->authority, plan->year,
	    &number) == -1)
		goto fail;
	date_cn(date_today(), date, sizeof(date));
	if (strcmp(kind, "result") == 0)
		title = xasprintf("%s%d年度第%03lld号抽查任务检查结果公告",
		    plan->authority, plan->year, (long long)number);
	else if (strcmp(kind, "task") == 0)
		title = xasprintf("%s%s（%s）%s", plan->authority,
		    rb.task->name, rb.cbatch->name, kind_titles[1]);
	else
		title = xasprintf("%s%s", plan->plan_name, kind_titles[0]);
	bulletin_init(&b, kind, title, plan->authority, date);
	if (strcmp(kind, "plan") == 0)
		plan_notice(plan, &b);
	else if ((strcmp(kind, "task") == 0 ? task_notice(db, &rb, &b) :
	    result_notice(db, &rb, &b)) == -1) {
		ret = strcmp(kind, "result") == 0 ? EXIT_USAGE : EXIT_FAILED;
		goto fail;
	}
	bulletin_rows_csv(&b, &rows);
	crypto_digest(rows.data, rows.len, d);
	crypto_hex(d, sizeof(d), hex);
	if (notice_exists(db, kind, subject, hex, &number) == -1)
		goto fail;
	if (number != 0) {
		db_rollback(db);
		printf("nothing new: the %s notice of '%s' with these rows is "
		    "no. %lld already; nothing was written\n", kind, subject,
		    (long long)number);
		ret = EXIT_DONE;
		goto out;
	}
	if (notice_number(db, kind, plan->authority, plan->year,
	    &number) == -1 || ledger_guard(db) == -1 || notice_record(db, &b,
	    subject, plan->year, number, hex, &ledger) == -1) {
		ret = EXIT_FAILED;
		goto fail;
	}
	ret = EXIT_FAILED;
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("cannot create '%s'", dir);
		goto fail;
	}
	buf_reset(&rows);
	bulletin_csv(&b, &rows);
	if (csv_encode_sheet(CSV_UTF8, rows.data, rows.len, &body[0]) == -1)
		goto fail;
	bulletin_json(&b, &body[1]);
	bulletin_html(&b, &body[2]);
	for (i = 0; i < 3; i++) {
		paths[npaths] = xasprintf("%s/%s-notice-%d-%03lld.%s", dir,
		    kind, plan->year, (long long)number, exts[i]);
		if (file_write(paths[npaths], body[i].data, body[i].len,
		    0644, FILE_EXCLUSIVE) == -1) {
			free(paths[npaths]);
			goto fail;
		}
		npaths++;
		if (minisig_sign_file(paths[npaths - 1], sk, "notice",
		    subject, ledger) == -1)
			goto fail;
		paths[npaths] = xasprintf("%s.minisig", paths[npaths - 1]);
		npaths++;
	}
	if (db_commit(db) == -1)
		goto fail;
	printf("%s (notice %lld, ledger entry %lld):\n", title,
	    (long long)number, (long long)ledger);
	for (i = 0; i < npaths; i += 2)
		printf("  %s\n", paths[i]);
	ret = EXIT_DONE;
	goto out;
fail:
	db_rollback(db);
	for (i = 0; i < npaths; i++)
		(void)unlink(paths[i]);
out:
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	for (i = 0; i < 3; i++)
		buf_release(&body[i]);
	buf_release(&rows);
	bulletin_release(&b);
	free(title);
	free(secpath);
	seckey_free(sk);
	config_free(cfg);
	results_batch_release(&rb);
	db_close(db);
	return ret;
}
