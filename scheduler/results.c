/*
 * Results of drawn batches in the database: the template, imports as new
 * revisions (never an update), review actions and the deadlines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "crypto.h"
#include "csvfile.h"
#include "db.h"
#include "draw.h"
#include "file.h"
#include "ledger.h"
#include "log.h"
#include "results.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * domain.md §4.3, in its order. The status outcomes (注销 ...) and the
 * "nothing to check" ones stand alone; the problems may be combined.
 */
const struct result_code result_codes[] = {
	{ "1", "未发现问题", NULL, 1, 0 },
	{ "A", "发现问题待后续处理", NULL, 0, 1 },
	{ "2", "违反工商行政管理相关规定", NULL, 0, 1 },
	{ "B", "未按规定公示应当公示的信息", NULL, 0, 1 },
	{ "C", "公示信息隐瞒真实情况弄虚作假", "公示信息隐瞒真实情况、弄虚作假",
	    0, 1 },
	{ "6", "通过登记的住所（经营场所）无法联系", NULL, 0, 1 },
	{ "D", "违反其他工商行政管理规定行为", NULL, 0, 1 },
	{ "3", "违反食品药品管理相关规定", NULL, 0, 1 },
	{ "4", "违反质量技术监督相关规定", NULL, 0, 1 },
	{ "5", "违反其他部门相关规定", NULL, 0, 1 },
	{ "G", "违反公安部门相关规定", NULL, 0, 1 },
	{ "E", "发现问题经责令已改正", "发现问题已责令改正", 0, 1 },
	{ "F", "未发现开展本次抽查涉及的经营活动", NULL, 1, 0 },
	{ "7", "已关闭停业或正在组织清算", NULL, 1, 0 },
	{ "8", "不配合检查情节严重", "不予配合检查情节严重", 0, 1 },
	{ "9", "注销", NULL, 1, 0 },
	{ "10", "被吊销", NULL, 1, 0 },
	{ "11", "被撤销", NULL, 1, 0 },
	{ "12", "迁出", NULL, 1, 0 },
};
const size_t result_ncodes = NELEM(result_codes);

const char *const result_methods[] = {
	"书面检查", "实地核查", "网络监测", NULL
};

/* Separators of several values in one cell: , ; and their full widths. */
static size_t
sep_len(const char *s, size_t n)
{
	if (n >= 1 && (*s == ',' || *s == ';'))
		return 1;
	if (n >= 3 && (memcmp(s, "，", 3) == 0 || memcmp(s, "；", 3) == 0 ||
	    memcmp(s, "、", 3) == 0))
		return 3;
	return 0;
}

/* The next value of a list cell, trimmed; 0 at the end. */
static int
next_value(const char **p, const char *end, const char **v, size_t *vlen)
{
	const char	*s = *p, *e;
	size_t		 k;

	while (s < end && (*s == ' ' || *s == '\t' || sep_len(s,
	    (size_t)(end - s)) > 0))
		s += *s == ' ' || *s == '\t' ? 1 : sep_len(s,
		    (size_t)(end - s));
	if (s == end) {
		*p = s;
		return 0;
	}
	for (e = s; e < end && (k = sep_len(e, (size_t)(end - e))) == 0; e++)
		;
	*p = e;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*v = s;
	*vlen = (size_t)(e - s);
	return 1;
}

static int
code_index(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < result_ncodes; i++) {
		if ((strlen(result_codes[i].code) == n &&
		    memcmp(result_codes[i].code, s, n) == 0) ||
		    (strlen(result_codes[i].name) == n &&
		    memcmp(result_codes[i].name, s, n) == 0) ||
		    (result_codes[i].alias != NULL &&
		    strlen(result_codes[i].alias) == n &&
		    memcmp(result_codes[i].alias, s, n) == 0))
			return (int)i;
	}
	return -1;
}

int
results_parse_codes(const char *s, size_t len, struct buf *out, char **why)
{
	unsigned char	 seen[NELEM(result_codes)];
	const char	*p = s, *end = s + len, *v;
	size_t		 vlen, i, n = 0, excl = SIZE_MAX;
	int		 k, first = 1;

	*why = NULL;
	memset(seen, 0, sizeof(seen));
	/* A whole name may hold a separator (、); try it whole first. */
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if ((k = code_index(s, len)) != -1) {
		buf_addstr(out, result_codes[k].code);
		return 0;
	}
	p = s;
	end = s + len;
	while (next_value(&p, end, &v, &vlen)) {
		if ((k = code_index(v, vlen)) == -1) {
			*why = xasprintf("unknown result '%.*s' (use a code "
			    "or name of 检查结果, see ssj(1))", (int)vlen, v);
			return -1;
		}
		if (seen[k]) {
			*why = xasprintf("'%.*s' twice", (int)vlen, v);
			return -1;
		}
		seen[k] = 1;
		n++;
		if (result_codes[k].exclusive)
			excl = (size_t)k;
	}
	if (n == 0) {
		*why = xstrdup("empty");
		return -1;
	}
	if (excl != SIZE_MAX && n > 1) {
		*why = xasprintf("'%s' (%s) cannot be combined with another "
		    "result", result_codes[excl].name, result_codes[excl].code);
		return -1;
	}
	for (i = 0; i < result_ncodes; i++) {
		if (!seen[i])
			continue;
		if (!first)
			buf_addch(out, ',');
		buf_addstr(out, result_codes[i].code);
		first = 0;
	}
	return 0;
}

void
results_code_names(const char *codes, const char *sep, struct buf *out)
{
	const char	*p = codes, *e;
	int		 k, first = 1;

	while (*p != '\0') {
		e = p + strcspn(p, ",");
		if (!first)
			buf_addstr(out, sep);
		first = 0;
		if ((k = code_index(p, (size_t)(e - p))) != -1)
			buf_addstr(out, result_codes[k].name);
		else
			buf_add(out, p, (size_t)(e - p));
		p = *e == ',' ? e + 1 : e;
	}
}

int
results_batch_load(struct db *db, const char *batch, struct results_batch *rb,
    int *usage)
{
	struct batch_status	 bs;
	struct db_stmt		*st;
	int64_t			 plan_version = 0;
	int			 rc;

	memset(rb, 0, sizeof(*rb));
	*usage = 0;
	if (draw_batch_status(db, batch, &bs) == -1)
		return -1;
	if (bs.state != BATCH_DRAWN) {
		*usage = 1;
		return error("batch '%s' has not been drawn; results come "
		    "after 'ssj draw %s'", batch, batch);
	}
	rb->batch = xstrdup(batch);
	rb->commitment = bs.commitment;
	rb->draw = bs.draw;
	st = db_prepare(db, "SELECT snapshot, plan_version FROM commitment "
	    "WHERE id = ?1");
	if (st == NULL)
		goto fail;
	db_bind_int(st, 1, rb->commitment);
	if ((rc = db_step(st)) == DB_ROW) {
		rb->snapshot = db_col_int(st, 0);
		plan_version = db_col_int(st, 1);
	}
	db_finalize(st);
	if (rc != DB_ROW)
		goto fail;
	if ((rb->cfg = draw_plan(db, plan_version)) == NULL)
		goto fail;
	if ((rb->cbatch = config_find_batch(rb->cfg, batch, &rb->task)) ==
	    NULL) {
		error("batch '%s' is not in the plan it was committed under",
		    batch);
		goto fail;
	}
	return 0;
fail:
	results_batch_release(rb);
	return -1;
}

void
results_batch_release(struct results_batch *rb)
{
	free(rb->batch);
	config_free(rb->cfg);
	memset(rb, 0, sizeof(*rb));
}

/* A drawn target and its current team, as the template and import see it. */
struct member {
	char		*credential;
	char		*name;
	char		*department;
};

struct target {
	char		*uscc;
	char		*name;
	char		*address;
	char		*division;
	int64_t		 rank;
	struct member	*team;
	size_t		 nteam;
};

struct targets {
	struct target	*v;
	size_t		 n;
	size_t		*by_uscc;	/* indices sorted by uscc */
	size_t		 hint;		/* the last one found */
};

/* What targets_load reads besides the codes; the rest is left "". */
#define TG_NAMES	0x1	/* the targets' names, addresses, divisions */
#define TG_TEAMS	0x2	/* their current teams' credentials */
#define TG_MEMBERS	0x4	/* and the members' names and departments */
#define TG_ALL		(TG_NAMES | TG_TEAMS | TG_MEMBERS)

static struct targets *sort_targets;	/* for qsort's comparison */

static int
target_cmp(const void *a, const void *b)
{
	return strcmp(sort_targets->v[*(const size_t *)a].uscc,
	    sort_targets->v[*(const size_t *)b].uscc);
}

static void
targets_release(struct targets *t)
{
	size_t	 i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->v[i].nteam; j++) {
			free(t->v[i].team[j].credential);
			free(t->v[i].team[j].name);
			free(t->v[i].team[j].department);
		}
		free(t->v[i].team);
		free(t->v[i].uscc);
		free(t->v[i].name);
		free(t->v[i].address);
		free(t->v[i].division);
	}
	free(t->v);
	free(t->by_uscc);
	memset(t, 0, sizeof(*t));
}

static char *
col_dup(struct db_stmt *st, int c)
{
	const char	*s = db_col_text(st, c);

	return xstrdup(s != NULL ? s : "");
}

/*
 * The selection in rank order with names as committed, and the teams, as
 * much as `what` asks (TG_*): an import of 500 000 rows needs neither the
 * names nor the members' details, a publication no team.
 */
static int
targets_load(struct db *db, const struct results_batch *rb,
    struct targets *t, int what)
{
	struct db_stmt	*st;
	struct target	*tg;
	struct member	*m;
	size_t		 i = 0;
	int		 rc;

	memset(t, 0, sizeof(*t));
	if (what & TG_MEMBERS)
		what |= TG_TEAMS;
	if (what & TG_NAMES)
		st = db_prepare(db, "SELECT s.rank, s.uscc, e.name, "
		    "e.address, e.division FROM "
		    "selection s LEFT JOIN enterprise_rev e ON e.id = (SELECT "
		    "id FROM enterprise_rev WHERE uscc = s.uscc AND snapshot "
		    "<= ?2 ORDER BY snapshot DESC LIMIT 1) WHERE s.draw = ?1 "
		    "ORDER BY s.rank");
	else
		st = db_prepare(db, "SELECT s.rank, s.uscc, NULL, NULL, NULL "
		    "FROM selection s WHERE s.draw = ?1 ORDER BY s.rank");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, rb->draw);
	if (what & TG_NAMES)
		db_bind_int(st, 2, rb->snapshot);
	while ((rc = db_step(st)) == DB_ROW) {
		t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
		tg = &t->v[t->n++];
		memset(tg, 0, sizeof(*tg));
		tg->rank = db_col_int(st, 0);
		tg->uscc = col_dup(st, 1);
		tg->name = col_dup(st, 2);
		tg->address = col_dup(st, 3);
		tg->division = col_dup(st, 4);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto fail;
	if (!(what & TG_TEAMS))
		goto sort;
	if (what & TG_MEMBERS)
		st = db_prepare(db, "SELECT t.rank, t.credential, i.name, "
		    "i.department FROM current_team t LEFT JOIN inspector_rev "
		    "i ON i.id = (SELECT id FROM inspector_rev WHERE "
		    "credential = t.credential ORDER BY snapshot DESC LIMIT 1) "
		    "WHERE t.draw = ?1 ORDER BY t.rank, t.slot");
	else
		st = db_prepare(db, "SELECT t.rank, t.credential, NULL, NULL "
		    "FROM current_team t WHERE t.draw = ?1 "
		    "ORDER BY t.rank, t.slot");
	if (st == NULL)
		goto fail;
	db_bind_int(st, 1, rb->draw);
	while ((rc = db_step(st)) == DB_ROW) {
		while (i < t->n && t->v[i].rank < db_col_int(st, 0))
			i++;
		if (i == t->n || t->v[i].rank != db_col_int(st, 0))
			continue;
		tg = &t->v[i];
		tg->team = xreallocarray(tg->team, tg->nteam + 1,
		    sizeof(*tg->team));
		m = &tg->team[tg->nteam++];
		m->credential = col_dup(st, 1);
		m->name = col_dup(st, 2);
		m->department = col_dup(st, 3);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto fail;
sort:
	t->by_uscc = xcalloc(t->n + 1, sizeof(*t->by_uscc));
	for (i = 0; i < t->n; i++)
		t->by_uscc[i] = i;
	sort_targets = t;
	qsort(t->by_uscc, t->n, sizeof(*t->by_uscc), target_cmp);
	sort_targets = NULL;
	return 0;
fail:
	targets_release(t);
	return -1;
}

static struct target *
targets_find(struct targets *t, const char *uscc)
{
	size_t	 lo = 0, hi = t->n, mid;
	int	 c;

	/* a file in the template's order: the last target, or the next */
	if (t->hint < t->n && strcmp(uscc, t->v[t->hint].uscc) == 0)
		return &t->v[t->hint];
	if (t->hint + 1 < t->n && strcmp(uscc, t->v[t->hint + 1].uscc) == 0)
		return &t->v[++t->hint];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(uscc, t->v[t->by_uscc[mid]].uscc);
		if (c == 0) {
			t->hint = t->by_uscc[mid];
			return &t->v[t->hint];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The members of the team who sign for an item's department. */
static int
signs_for(const struct target *tg, const struct member *m, const char *dept)
{
	size_t	 i;

	for (i = 0; i < tg->nteam; i++)
		if (strcmp(tg->team[i].department, dept) == 0)
			return strcmp(m->department, dept) == 0;
	return 1;	/* nobody of that department: the whole team */
}

static void
csv_field(FILE *fp, const char *s, int last)
{
	csv_write_field(fp, s, strlen(s));
	fputs(last ? "\r\n" : ",", fp);
}

/* The template's columns, in order; import finds them by header. */
enum {
	COL_BATCH, COL_TASK, COL_TASK_NAME, COL_TARGET, COL_NAME,
	COL_ADDRESS, COL_ITEM, COL_ITEM_NAME, COL_DEPARTMENT, COL_TEAM,
	COL_METHOD, COL_RESULT, COL_COMPLETED, COL_FINDINGS, COL_MEASURES,
	COL_DOCUMENT, COL_SIGNERS, COL_REASON, NCOLS
};

static const struct {
	const char	*header;
	int		 required;	/* import refuses a file without it */
	int		 input;		/* filled in by the inspectors */
} columns[NCOLS] = {
	{ "批次", 0, 0 },
	{ "抽查任务编号", 0, 0 },
	{ "抽查任务名称", 0, 0 },
	{ "统一社会信用代码/注册号", 1, 0 },
	{ "市场主体名称", 0, 0 },
	{ "住所", 0, 0 },
	{ "检查事项编号", 1, 0 },
	{ "检查事项", 0, 0 },
	{ "检查部门", 0, 0 },
	{ "检查人员", 0, 0 },
	{ "检查方式", 1, 1 },
	{ "检查结果", 1, 1 },
	{ "检查完成日期", 1, 1 },
	{ "发现问题", 0, 1 },
	{ "后续处置措施", 0, 1 },
	{ "文书编号", 0, 1 },
	{ "签名执法人员", 1, 1 },
	{ "更正原因", 0, 1 },
};

/* Columns a reject file adds; ignored when it is imported again. */
static const char *const reject_columns[] = { "行号", "错误原因" };

int
results_template(struct db *db, const struct results_batch *rb,
    struct buf *out)
{
	const struct config_item	*item;
	const struct config_department	*dept;
	struct targets			 t;
	struct target			*tg;
	struct buf			 team = BUF_INIT;
	char				*text = NULL;
	size_t				 len = 0, i, j, k;
	FILE				*fp;
	int				 c;

	if (targets_load(db, rb, &t, TG_ALL) == -1)
		return -1;
	if ((fp = open_memstream(&text, &len)) == NULL) {
		targets_release(&t);
		return error("cannot write the template: %s", strerror(errno));
	}
	for (c = 0; c < NCOLS; c++)
		csv_field(fp, columns[c].header, c == NCOLS - 1);
	for (i = 0; i < t.n; i++) {
		tg = &t.v[i];
		for (j = 0; j < rb->task->nitems; j++) {
			item = config_find_item(rb->cfg, rb->task->items[j]);
			if (item == NULL)
				continue;
			dept = config_find_department(rb->cfg,
			    item->department);
			buf_reset(&team);
			for (k = 0; k < tg->nteam; k++) {
				if (!signs_for(tg, &tg->team[k],
				    item->department))
					continue;
				buf_printf(&team, "%s%s %s", team.len > 0 ?
				    ";" : "", tg->team[k].credential,
				    tg->team[k].name);
			}
			csv_field(fp, rb->batch, 0);
			csv_field(fp, rb->task->id, 0);
			csv_field(fp, rb->task->name, 0);
			csv_field(fp, tg->uscc, 0);
			csv_field(fp, tg->name, 0);
			csv_field(fp, tg->address, 0);
			csv_field(fp, item->code, 0);
			csv_field(fp, item->name, 0);
			csv_field(fp, dept != NULL ? dept->name :
			    item->department, 0);
			csv_field(fp, team.len > 0 ? buf_cstr(&team) : "", 0);
			for (c = COL_METHOD; c < NCOLS; c++)
				csv_field(fp, "", c == NCOLS - 1);
		}
	}
	fclose(fp);
	buf_add(out, text, len);
	free(text);
	buf_release(&team);
	targets_release(&t);
	return 0;
}

/* The latest revision of a target's item, to tell a change from a repeat. */
struct latest {
	char		*uscc;
	char		*item;
	int64_t		 revision;
	char		*fields;	/* method .. signers, joined by NUL */
	size_t		 len;
};

static int
latest_cmp(const void *a, const void *b)
{
	const struct latest	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->uscc, y->uscc)) != 0)
		return c;
	return strcmp(x->item, y->item);
}

/* One row read, checked and ready to write. */
struct row {
	unsigned long	 line;
	int		 bad;
	const char	*uscc;		/* the target's */
	const char	*department;	/* the item's */
	char		*item;
	size_t		 key;		/* target x nitems + item, with both */
	char		*f[NCOLS];	/* canonical values of the inputs */
	char		*fields;	/* method .. signers, joined by NUL */
	size_t		 len;
	int64_t		 revision;	/* 0: unchanged, skip it */
	char		*raw;		/* the record as CSV, for --reject */
	char		*why;		/* the first reason it is bad */
};

struct msg {
	unsigned long	 line;
	size_t		 seq;
	char		*text;
};

struct import {
	struct db			*db;
	const struct results_batch	*rb;
	const struct results_import_options *opts;
	struct results_import_stats	*stats;
	const char			*name;
	struct targets			 t;
	struct latest			*latest;
	size_t				 nlatest;
	int				 column[NCOLS];	/* -1: absent */
	struct row			*rows;
	size_t				 nrows;
	struct msg			*msgs;
	size_t				 nmsgs;
	struct db_stmt			*other;	/* drawn in another batch */
};

static void row_bad(struct import *, struct row *, int col, const char *,
    ...) __attribute__((format(printf, 4, 5)));

static void
row_bad(struct import *im, struct row *r, int col, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (col >= 0)
		buf_printf(&b, "column '%s': ", columns[col].header);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	im->msgs = xreallocarray(im->msgs, im->nmsgs + 1, sizeof(*im->msgs));
	im->msgs[im->nmsgs].line = r->line;
	im->msgs[im->nmsgs].seq = im->nmsgs;
	im->msgs[im->nmsgs++].text = xstrdup(buf_cstr(&b));
	if (!r->bad)
		r->why = buf_detach(&b, NULL);
	r->bad = 1;
	buf_release(&b);
}

static int
msg_cmp(const void *a, const void *b)
{
	const struct msg	*x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Every bad row's messages, in file order. */
static void
print_msgs(struct import *im)
{
	size_t	 i;

	if (im->nmsgs > 0)
		qsort(im->msgs, im->nmsgs, sizeof(*im->msgs), msg_cmp);
	for (i = 0; i < im->nmsgs; i++)
		fprintf(stderr, "%s:%lu: %s\n", im->name, im->msgs[i].line,
		    im->msgs[i].text);
}

static int
load_latest(struct import *im)
{
	struct db_stmt	*st;
	struct latest	*l;
	struct buf	 b = BUF_INIT;
	int		 c, rc;

	st = db_prepare(im->db, "SELECT uscc, item, revision, method, result, "
	    "completed, findings, measures, document, signers FROM result "
	    "WHERE draw = ?1");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, im->rb->draw);
	while ((rc = db_step(st)) == DB_ROW) {
		im->latest = xreallocarray(im->latest, im->nlatest + 1,
		    sizeof(*im->latest));
		l = &im->latest[im->nlatest++];
		l->uscc = col_dup(st, 0);
		l->item = col_dup(st, 1);
		l->revision = db_col_int(st, 2);
		buf_reset(&b);
		for (c = 3; c < 10; c++) {
			buf_addstr(&b, db_col_text(st, c));
			buf_addch(&b, '\0');
		}
		l->fields = buf_detach(&b, &l->len);
	}
	db_finalize(st);
	buf_release(&b);
	if (im->nlatest > 0)
		qsort(im->latest, im->nlatest, sizeof(*im->latest),
		    latest_cmp);
	return rc == DB_DONE ? 0 : -1;
}

static const struct latest *
find_latest(const struct import *im, const char *uscc, const char *item)
{
	struct latest	 key;

	if (im->nlatest == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.uscc = (char *)(uintptr_t)uscc;
	key.item = (char *)(uintptr_t)item;
	return bsearch(&key, im->latest, im->nlatest, sizeof(*im->latest),
	    latest_cmp);
}

static int
read_header(struct import *im, const struct csv_record *rec)
{
	size_t	 f, i;
	int	 c, ok = 1;

	for (c = 0; c < NCOLS; c++)
		im->column[c] = -1;
	for (f = 0; f < rec->nfields; f++) {
		for (c = 0; c < NCOLS; c++)
			if (strcmp(rec->fields[f], columns[c].header) == 0)
				break;
		if (c < NCOLS) {
			if (im->column[c] != -1) {
				fprintf(stderr, "%s:%lu: column '%s' twice\n",
				    im->name, rec->line, columns[c].header);
				ok = 0;
			}
			im->column[c] = (int)f;
			continue;
		}
		for (i = 0; i < NELEM(reject_columns); i++)
			if (strcmp(rec->fields[f], reject_columns[i]) == 0)
				break;
		if (i == NELEM(reject_columns))
			log_warnx("%s:%lu: ignoring unknown column '%s'",
			    im->name, rec->line, rec->fields[f]);
	}
	for (c = 0; c < NCOLS; c++) {
		if (columns[c].required && im->column[c] == -1) {
			fprintf(stderr, "%s:%lu: no column '%s'; start from "
			    "'ssj results template %s'\n", im->name,
			    rec->line, columns[c].header, im->rb->batch);
			ok = 0;
		}
	}
	return ok ? 0 : -1;
}

static const char *
field(const struct import *im, const struct csv_record *rec, int c,
    size_t *len)
{
	int	 f = im->column[c];

	if (f < 0 || (size_t)f >= rec->nfields) {
		*len = 0;
		return "";
	}
	*len = rec->lens[f];
	return rec->fields[f];
}

/* The batch a target was drawn in other than this one, for the message. */
static char *
drawn_elsewhere(struct import *im, const char *uscc)
{
	char	*batch = NULL;

	/* Draw by draw, the latest first: selection_key is by (draw, uscc). */
	if (im->other == NULL && (im->other = db_prepare(im->db, "SELECT "
	    "c.batch FROM draw d CROSS JOIN selection_key s ON s.draw = d.id AND "
	    "s.uscc = ?1 JOIN commitment c ON c.id = d.commitment WHERE "
	    "d.id <> ?2 ORDER BY d.id DESC LIMIT 1")) == NULL)
		return NULL;
	db_reset(im->other);
	db_bind_text(im->other, 1, uscc, SIZE_MAX);
	db_bind_int(im->other, 2, im->rb->draw);
	if (db_step(im->other) == DB_ROW)
		batch = col_dup(im->other, 0);
	db_reset(im->other);
	return batch;
}

static int
item_of_task(const struct results_batch *rb, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < rb->task->nitems; i++)
		if (strlen(rb->task->items[i]) == n &&
		    memcmp(rb->task->items[i], s, n) == 0)
			return (int)i;
	return -1;
}

static void
check_methods(struct import *im, struct row *r, const char *s, size_t n)
{
	struct buf	 b = BUF_INIT;
	const char	*p = s, *v;
	size_t		 vlen, i;

	while (next_value(&p, s + n, &v, &vlen)) {
		for (i = 0; result_methods[i] != NULL; i++)
			if (strlen(result_methods[i]) == vlen &&
			    memcmp(result_methods[i], v, vlen) == 0)
				break;
		if (result_methods[i] == NULL) {
			row_bad(im, r, COL_METHOD, "unknown method '%.*s' "
			    "(use 书面检查, 实地核查 or 网络监测)", (int)vlen, v);
			buf_release(&b);
			return;
		}
		buf_printf(&b, "%s%s", b.len > 0 ? ";" : "",
		    result_methods[i]);
	}
	if (b.len == 0)
		row_bad(im, r, COL_METHOD, "empty");
	r->f[COL_METHOD] = buf_detach(&b, NULL);
}

static void
check_signers(struct import *im, struct row *r, const struct target *tg,
    const char *s, size_t n)
{
	struct buf	 b = BUF_INIT, team = BUF_INIT;
	const char	*p = s, *v, *q;
	size_t		 vlen, i, k, nsigners = 0;

	while (next_value(&p, s + n, &v, &vlen)) {
		/* "credential name", as the template lists them */
		if ((q = memchr(v, ' ', vlen)) != NULL)
			vlen = (size_t)(q - v);
		for (i = 0; i < tg->nteam; i++)
			if (strlen(tg->team[i].credential) == vlen &&
			    memcmp(tg->team[i].credential, v, vlen) == 0)
				break;
		if (i == tg->nteam) {
			for (k = 0; k < tg->nteam; k++)
				buf_printf(&team, "%s%s", k > 0 ? ", " : "",
				    tg->team[k].credential);
			row_bad(im, r, COL_SIGNERS, "'%.*s' is not on the "
			    "team of '%s' (its team: %s)", (int)vlen, v,
			    tg->uscc, buf_cstr(&team));
			goto out;
		}
		for (k = 0; k < b.len; k += strcspn(b.data + k, ";") + 1)
			if (strncmp(b.data + k, v, vlen) == 0 &&
			    (b.data[k + vlen] == ';' ||
			    b.data[k + vlen] == '\0')) {
				row_bad(im, r, COL_SIGNERS, "'%.*s' twice",
				    (int)vlen, v);
				goto out;
			}
		buf_printf(&b, "%s%.*s", b.len > 0 ? ";" : "", (int)vlen, v);
		nsigners++;
	}
	if (nsigners == 0)
		row_bad(im, r, COL_SIGNERS, "empty: the inspectors who "
		    "signed the record (their credential numbers)");
out:
	r->f[COL_SIGNERS] = buf_detach(&b, NULL);
	buf_release(&team);
}

static void
check_row(struct import *im, const struct csv_record *rec, struct row *r)
{
	const struct config_item	*item;
	const struct target		*tg;
	const struct latest		*l;
	struct buf			 b = BUF_INIT;
	const char			*s;
	char				*why, *other, today[DATE_STR_LEN];
	char				 d[DATE_STR_LEN];
	size_t				 n, i;
	day_t				 day;
	int				 c, k;

	for (c = 0; c < NCOLS; c++) {
		s = field(im, rec, c, &n);
		if (memchr(s, (unsigned char)CSV_BAD_BYTE, n) != NULL) {
			row_bad(im, r, c, "invalid %s byte sequence",
			    csv_encoding_name(im->opts->encoding));
			return;
		}
	}
	s = field(im, rec, COL_BATCH, &n);
	if (n > 0 && strcmp(s, im->rb->batch) != 0)
		row_bad(im, r, COL_BATCH, "'%s' is not the batch imported "
		    "('%s')", s, im->rb->batch);
	s = field(im, rec, COL_TARGET, &n);
	if ((tg = targets_find(&im->t, s)) == NULL) {
		if (n == 0)
			row_bad(im, r, COL_TARGET, "empty");
		else if ((other = drawn_elsewhere(im, s)) != NULL) {
			row_bad(im, r, COL_TARGET, "'%s' was not drawn in "
			    "batch '%s' but in batch '%s'", s, im->rb->batch,
			    other);
			free(other);
		} else
			row_bad(im, r, COL_TARGET, "'%s' was not drawn in "
			    "batch '%s'", s, im->rb->batch);
	} else {
		r->uscc = tg->uscc;
		r->key = (size_t)(tg - im->t.v) * im->rb->task->nitems;
	}
	s = field(im, rec, COL_ITEM, &n);
	if ((k = item_of_task(im->rb, s, n)) == -1) {
		for (i = 0; i < im->rb->task->nitems; i++)
			buf_printf(&b, "%s%s", i > 0 ? ", " : "",
			    im->rb->task->items[i]);
		row_bad(im, r, COL_ITEM, "'%s' is not an item of task '%s' "
		    "(its items: %s)", s, im->rb->task->id, buf_cstr(&b));
		buf_reset(&b);
	} else {
		r->item = xstrdup(im->rb->task->items[k]);
		r->key += (size_t)k;
		item = config_find_item(im->rb->cfg, r->item);
		r->department = item != NULL ? item->department :
		    im->rb->task->lead;
	}
	s = field(im, rec, COL_METHOD, &n);
	check_methods(im, r, s, n);
	s = field(im, rec, COL_RESULT, &n);
	if (results_parse_codes(s, n, &b, &why) == -1) {
		row_bad(im, r, COL_RESULT, "%s", why);
		free(why);
	}
	r->f[COL_RESULT] = buf_detach(&b, NULL);
	s = field(im, rec, COL_COMPLETED, &n);
	if (date_parse(s, n, &day) == -1)
		row_bad(im, r, COL_COMPLETED, "'%s' is not a date "
		    "(YYYY-MM-DD)", s);
	else if (day < im->rb->cbatch->window_from)
		row_bad(im, r, COL_COMPLETED, "%s is before the batch's "
		    "window opens (%s)", s, date_format(im->rb->cbatch->
		    window_from, d));
	else if (day > im->opts->today)
		row_bad(im, r, COL_COMPLETED, "%s is in the future (today is "
		    "%s)", s, date_format(im->opts->today, today));
	r->f[COL_COMPLETED] = xstrndup(s, n);
	for (c = COL_FINDINGS; c <= COL_DOCUMENT; c++) {
		s = field(im, rec, c, &n);
		r->f[c] = xstrndup(s, n);
	}
	s = field(im, rec, COL_REASON, &n);
	r->f[COL_REASON] = xstrndup(s, n);
	if (tg != NULL) {
		s = field(im, rec, COL_SIGNERS, &n);
		check_signers(im, r, tg, s, n);
	}
	if (r->bad || r->item == NULL || r->uscc == NULL)
		goto out;
	for (c = COL_METHOD; c <= COL_SIGNERS; c++) {
		buf_addstr(&b, r->f[c] != NULL ? r->f[c] : "");
		buf_addch(&b, '\0');
	}
	r->fields = buf_detach(&b, &r->len);
	r->revision = 1;
	if ((l = find_latest(im, r->uscc, r->item)) != NULL) {
		if (l->len == r->len && memcmp(l->fields, r->fields,
		    r->len) == 0)
			r->revision = 0;
		else if (*r->f[COL_REASON] == '\0')
			row_bad(im, r, COL_REASON, "the result of '%s' item "
			    "'%s' differs from its revision %lld: a "
			    "correction (更正) needs its reason", r->uscc,
			    r->item, (long long)l->revision);
		else
			r->revision = l->revision + 1;
	}
out:
	buf_release(&b);
}

/*
 * The same target and item twice in one file: the later lines are bad,
 * each naming the one before. Rows are in file order: one pass, the last
 * line seen of each (target, item).
 */
static void
check_duplicates(struct import *im)
{
	unsigned long	*seen;
	struct row	*r;
	size_t		 i, n = im->t.n * im->rb->task->nitems;

	seen = xcalloc(n + 1, sizeof(*seen));
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (r->uscc == NULL || r->item == NULL)
			continue;
		if (seen[r->key] != 0)
			row_bad(im, r, COL_ITEM, "duplicate row: item '%s' of "
			    "'%s' is on line %lu already", r->item, r->uscc,
			    seen[r->key]);
		seen[r->key] = r->line;
	}
	free(seen);
}

static int
write_rejects(struct import *im, struct csv_record *hdr)
{
	struct buf	 text = BUF_INIT, enc = BUF_INIT;
	struct row	*r;
	char		*line = NULL, num[24];
	size_t		 len = 0, i, f;
	FILE		*fp;
	int		 ret;

	if ((fp = open_memstream(&line, &len)) == NULL)
		return error("cannot write '%s': %s", im->opts->reject_path,
		    strerror(errno));
	for (f = 0; f < hdr->nfields; f++) {
		csv_write_field(fp, hdr->fields[f], hdr->lens[f]);
		fputc(',', fp);
	}
	fputs("行号,错误原因\r\n", fp);
	for (i = 0; i < im->nrows; i++) {
		r = &im->rows[i];
		if (!r->bad)
			continue;
		fputs(r->raw, fp);
		snprintf(num, sizeof(num), "%lu", r->line);
		fprintf(fp, ",%s,", num);
		csv_write_field(fp, r->why, strlen(r->why));
		fputs("\r\n", fp);
	}
	fclose(fp);
	buf_add(&text, line, len);
	free(line);
	ret = csv_encode_sheet(CSV_UTF8, text.data, text.len, &enc);
	if (ret == 0)
		ret = file_write(im->opts->reject_path, enc.data, enc.len,
		    0600, 0);
	buf_release(&text);
	buf_release(&enc);
	return ret;
}

static char *
record_raw(const struct csv_record *rec)
{
	char	*text = NULL;
	size_t	 len = 0, f;
	FILE	*fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		fatalx("open_memstream: %s", strerror(errno));
	for (f = 0; f < rec->nfields; f++) {
		if (f > 0)
			fputc(',', fp);
		csv_write_field(fp, rec->fields[f], rec->lens[f]);
	}
	fclose(fp);
	return text;
}

static int
store(struct import *im, const char *path, const unsigned char digest[32])
{
	struct db_stmt	*st;
	struct row	*r;
	char		 hex[CRYPTO_DIGEST_HEX], at[TIMESTAMP_LEN];
	size_t		 i;
	int		 c, rc = DB_DONE;

	crypto_hex(digest, 32, hex);
	timestamp_now(at);
	st = db_prepare(im->db, "INSERT INTO result_import (draw, file_name, "
	    "file_digest, encoding, rows_read, revisions, rejected, "
	    "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, im->rb->draw);
	db_bind_text(st, 2, path, SIZE_MAX);
	db_bind_text(st, 3, hex, SIZE_MAX);
	db_bind_text(st, 4, csv_encoding_name(im->opts->encoding), SIZE_MAX);
	db_bind_int(st, 5, (int64_t)im->stats->rows);
	db_bind_int(st, 6, (int64_t)im->stats->revisions);
	db_bind_int(st, 7, (int64_t)im->stats->rejected);
	db_bind_text(st, 8, at, SIZE_MAX);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	im->stats->import = db_last_rowid(im->db);
	st = db_prepare(im->db, "INSERT INTO result_rev (results, draw, uscc, "
	    "item, department, revision, line, method, result, completed, "
	    "findings, measures, document, signers, reason) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, im->stats->import);
	db_bind_int(st, 2, im->rb->draw);
	for (i = 0; i < im->nrows && rc == DB_DONE; i++) {
		r = &im->rows[i];
		if (r->bad || r->revision == 0)
			continue;
		db_bind_text(st, 3, r->uscc, SIZE_MAX);
		db_bind_text(st, 4, r->item, SIZE_MAX);
		db_bind_text(st, 5, r->department, SIZE_MAX);
		db_bind_int(st, 6, r->revision);
		db_bind_int(st, 7, (int64_t)r->line);
		for (c = COL_METHOD; c <= COL_REASON; c++)
			db_bind_text(st, 8 + c - COL_METHOD, r->f[c],
			    SIZE_MAX);
		rc = db_step(st);
		db_reset(st);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return ledger_append(im->db, "results", im->stats->import,
	    &im->stats->ledger);
}

static void
import_release(struct import *im)
{
	size_t	 i;
	int	 c;

	for (i = 0; i < im->nrows; i++) {
		for (c = 0; c < NCOLS; c++)
			free(im->rows[i].f[c]);
		free(im->rows[i].item);
		free(im->rows[i].fields);
		free(im->rows[i].raw);
		free(im->rows[i].why);
	}
	free(im->rows);
	for (i = 0; i < im->nlatest; i++) {
		free(im->latest[i].uscc);
		free(im->latest[i].item);
		free(im->latest[i].fields);
	}
	free(im->latest);
	for (i = 0; i < im->nmsgs; i++)
		free(im->msgs[i].text);
	free(im->msgs);
	db_finalize(im->other);
	targets_release(&im->t);
}

/* A template row nobody filled in: every input column empty. */
static int
blank_row(const struct import *im, const struct csv_record *rec)
{
	const char	*s;
	size_t		 n;
	int		 c;

	for (c = 0; c < NCOLS; c++) {
		if (!columns[c].input || c == COL_REASON)
			continue;
		s = field(im, rec, c, &n);
		if (n > 0 && *s != '\0')
			return 0;
	}
	return 1;
}

int
results_import(struct db *db, const struct results_batch *rb,
    const char *path, const struct results_import_options *opts,
    struct results_import_stats *stats)
{
	struct import		 im;
	struct csvfile		*cf;
	struct csv_record	 rec, hdr;
	unsigned char		 digest[32];
	struct row		*r;
	size_t			 i;
	int			 rc, ret = -1, have_header = 0;

	memset(stats, 0, sizeof(*stats));
	memset(&im, 0, sizeof(im));
	memset(&hdr, 0, sizeof(hdr));
	im.db = db;
	im.rb = rb;
	im.opts = opts;
	im.stats = stats;
	im.name = path;
	if ((cf = csvfile_open(path, opts->encoding)) == NULL) {
		stats->refused = 1;
		return 0;
	}
	if (targets_load(db, rb, &im.t, TG_TEAMS) == -1 ||
	    load_latest(&im) == -1)
		goto out;
	while ((rc = csvfile_next(cf, &rec)) == 1) {
		if (!have_header) {
			if (read_header(&im, &rec) == -1) {
				stats->refused = 1;
				ret = 0;
				goto out;
			}
			hdr.nfields = rec.nfields;
			hdr.fields = xcalloc(rec.nfields + 1,
			    sizeof(*hdr.fields));
			hdr.lens = xcalloc(rec.nfields + 1, sizeof(*hdr.lens));
			for (i = 0; i < rec.nfields; i++) {
				hdr.fields[i] = xstrndup(rec.fields[i],
				    rec.lens[i]);
				hdr.lens[i] = rec.lens[i];
			}
			have_header = 1;
			continue;
		}
		stats->rows++;
		if (blank_row(&im, &rec)) {
			stats->blank++;
			continue;
		}
		im.rows = xreallocarray(im.rows, im.nrows + 1,
		    sizeof(*im.rows));
		r = &im.rows[im.nrows++];
		memset(r, 0, sizeof(*r));
		r->line = rec.line;
		if (opts->reject_path != NULL)
			r->raw = record_raw(&rec);
		check_row(&im, &rec, r);
	}
	if (rc == -1) {
		fprintf(stderr, "%s\n", csvfile_error(cf));
		stats->refused = 1;
		ret = 0;
		goto out;
	}
	if (!have_header) {
		fprintf(stderr, "%s: empty; start from 'ssj results template "
		    "%s'\n", path, rb->batch);
		stats->refused = 1;
		ret = 0;
		goto out;
	}
	check_duplicates(&im);
	print_msgs(&im);
	for (i = 0; i < im.nrows; i++) {
		if (im.rows[i].bad)
			stats->rejected++;
		else if (im.rows[i].revision == 0)
			stats->unchanged++;
		else {
			stats->revisions++;
			if (im.rows[i].revision > 1)
				stats->corrections++;
		}
	}
	if (stats->rejected > 0 && opts->reject_path == NULL) {
		stats->refused = 1;
		ret = 0;
		goto out;
	}
	if (stats->rejected > 0 && write_rejects(&im, &hdr) == -1)
		goto out;
	if (stats->revisions == 0) {
		ret = 0;
		goto out;
	}
	csvfile_digest(cf, digest);
	if (db_begin(db) == -1)
		goto out;
	if (ledger_guard(db) == -1 || store(&im, path, digest) == -1 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		stats->import = 0;
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < hdr.nfields; i++)
		free(hdr.fields[i]);
	free(hdr.fields);
	free(hdr.lens);
	import_release(&im);
	csvfile_close(cf);
	return ret;
}

/* Every drawn target's state, sorted by uscc. */
struct state {
	char	*uscc;
	char	*state;
	int64_t	 upto;
};

static void
states_release(struct state *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].uscc);
		free(v[i].state);
	}
	free(v);
}

static int
states_load(struct db *db, int64_t draw, struct state **vp, size_t *np)
{
	struct db_stmt	*st;
	struct state	*v = NULL;
	size_t		 n = 0;
	int		 rc;

	st = db_prepare(db, "SELECT uscc, state, coalesce(upto, 0) FROM "
	    "result_state WHERE draw = ?1 ORDER BY uscc");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, draw);
	while ((rc = db_step(st)) == DB_ROW) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n].uscc = col_dup(st, 0);
		v[n].state = col_dup(st, 1);
		v[n].upto = db_col_int(st, 2);
		n++;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		states_release(v, n);
		return -1;
	}
	*vp = v;
	*np = n;
	return 0;
}

static int
state_cmp(const void *a, const void *b)
{
	return strcmp(((const struct state *)a)->uscc,
	    ((const struct state *)b)->uscc);
}

static struct state *
state_find(struct state *v, size_t n, const char *uscc)
{
	struct state	 key;

	memset(&key, 0, sizeof(key));
	key.uscc = (char *)(uintptr_t)uscc;
	return n > 0 ? bsearch(&key, v, n, sizeof(*v), state_cmp) : NULL;
}

static int
review_allowed(enum review_action a, const char *state)
{
	if (a == REVIEW_APPROVE)
		return strcmp(state, RESULT_PENDING) == 0;
	return strcmp(state, RESULT_PENDING) == 0 ||
	    strcmp(state, RESULT_APPROVED) == 0;
}

int
results_review(struct db *db, const struct results_batch *rb,
    const struct review_request *req, struct review_result *res)
{
	struct state	*v = NULL, *s;
	struct db_stmt	*st = NULL;
	char		 at[TIMESTAMP_LEN];
	unsigned char	*pick = NULL;
	size_t		 n = 0, i;
	int		 rc, ret = -1, bad = 0;

	memset(res, 0, sizeof(*res));
	if (states_load(db, rb->draw, &v, &n) == -1)
		return -1;
	pick = xcalloc(n + 1, 1);
	for (i = 0; req->all && i < n; i++)
		if (review_allowed(req->action, v[i].state))
			pick[i] = 1;
	for (i = 0; i < req->ntargets; i++) {
		if ((s = state_find(v, n, req->targets[i])) == NULL) {
			log_warnx("'%s' was not drawn in batch '%s'",
			    req->targets[i], rb->batch);
			bad = 1;
		} else if (!review_allowed(req->action, s->state)) {
			log_warnx("'%s' is %s: %s", s->uscc, s->state,
			    strcmp(s->state, RESULT_NONE) == 0 ? "import its "
			    "results first" : strcmp(s->state,
			    RESULT_PUBLISHED) == 0 ? "import a correction "
			    "(更正原因) to change it" : strcmp(s->state,
			    RESULT_RETURNED) == 0 ? "import a corrected "
			    "result first" : "it was approved already");
			bad = 1;
		} else
			pick[s - v] = 1;
	}
	for (i = 0; i < n; i++)
		res->targets += pick[i];
	if (bad || res->targets == 0) {
		if (!bad)
			log_warnx("no result of batch '%s' awaits review "
			    "(待审核)", rb->batch);
		res->usage = 1;
		goto out;
	}
	timestamp_now(at);
	st = db_prepare(db, "INSERT INTO review (draw, action, reason, "
	    "reviewer, at, targets) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, rb->draw);
	db_bind_text(st, 2, req->action == REVIEW_APPROVE ? "approve" :
	    "return", SIZE_MAX);
	db_bind_text(st, 3, req->reason != NULL ? req->reason : "", SIZE_MAX);
	db_bind_text(st, 4, req->by, SIZE_MAX);
	db_bind_text(st, 5, at, SIZE_MAX);
	db_bind_int(st, 6, (int64_t)res->targets);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		goto out;
	res->review = db_last_rowid(db);
	st = db_prepare(db, "INSERT INTO review_target (review, uscc, upto) "
	    "VALUES (?1, ?2, ?3)");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, res->review);
	for (i = 0, rc = DB_DONE; i < n && rc == DB_DONE; i++) {
		if (!pick[i])
			continue;
		db_bind_text(st, 2, v[i].uscc, SIZE_MAX);
		db_bind_int(st, 3, v[i].upto);
		rc = db_step(st);
		db_reset(st);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		goto out;
	ret = ledger_append(db, "review", res->review, &res->ledger);
out:
	free(pick);
	states_release(v, n);
	return ret;
}

static int
show_target(struct db *db, const struct results_batch *rb,
    const struct target *tg, const char *state, FILE *fp)
{
	struct db_stmt	*st;
	struct buf	 names = BUF_INIT;
	int		 rc;

	fprintf(fp, "%s %s: %s\n", tg->uscc, tg->name, state);
	st = db_prepare(db, "SELECT item, revision, results, line, method, "
	    "result, completed, findings, measures, document, signers, "
	    "reason FROM result_rev WHERE draw = ?1 AND uscc = ?2 "
	    "ORDER BY item, revision");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, rb->draw);
	db_bind_text(st, 2, tg->uscc, SIZE_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		buf_reset(&names);
		results_code_names(db_col_text(st, 5), "；", &names);
		fprintf(fp, "  %s revision %lld (import %lld, line %lld): %s; "
		    "%s; completed %s; signed by %s\n", db_col_text(st, 0),
		    (long long)db_col_int(st, 1),
		    (long long)db_col_int(st, 2),
		    (long long)db_col_int(st, 3), buf_cstr(&names),
		    db_col_text(st, 4), db_col_text(st, 6),
		    db_col_text(st, 10));
		if (*db_col_text(st, 7) != '\0')
			fprintf(fp, "    发现问题: %s\n", db_col_text(st, 7));
		if (*db_col_text(st, 8) != '\0')
			fprintf(fp, "    后续处置措施: %s\n", db_col_text(st, 8));
		if (*db_col_text(st, 9) != '\0')
			fprintf(fp, "    文书编号: %s\n", db_col_text(st, 9));
		if (*db_col_text(st, 11) != '\0')
			fprintf(fp, "    更正原因: %s\n", db_col_text(st, 11));
	}
	db_finalize(st);
	buf_release(&names);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT 'review', v.at, v.action, v.reviewer, "
	    "v.reason FROM review_target t JOIN review v ON v.id = t.review "
	    "WHERE v.draw = ?1 AND t.uscc = ?2 UNION ALL SELECT "
	    "'publication', u.published_at, CASE p.replaces WHEN 0 THEN "
	    "'results' ELSE 'correction' END, u.manifest, '' FROM "
	    "published p JOIN publication u ON u.id = p.publication WHERE "
	    "u.draw = ?1 AND p.uscc = ?2 ORDER BY 2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, rb->draw);
	db_bind_text(st, 2, tg->uscc, SIZE_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		if (strcmp(db_col_text(st, 0), "review") == 0)
			fprintf(fp, "  %s %s by %s%s%s\n", db_col_text(st, 1),
			    strcmp(db_col_text(st, 2), "approve") == 0 ?
			    "approved (已审核)" : "returned (退回)",
			    db_col_text(st, 3),
			    *db_col_text(st, 4) != '\0' ? ": " : "",
			    db_col_text(st, 4));
		else
			fprintf(fp, "  %s published (%s) in '%s'\n",
			    db_col_text(st, 1), db_col_text(st, 2),
			    db_col_text(st, 3));
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int
results_show(struct db *db, const struct results_batch *rb,
    const char *target, FILE *fp)
{
	static const char *const order[] = { RESULT_NONE, RESULT_PENDING,
	    RESULT_RETURNED, RESULT_APPROVED, RESULT_PUBLISHED };
	struct targets	 t;
	struct state	*v = NULL, *s;
	struct target	*tg;
	size_t		 n = 0, i, j, count;
	int		 ret = -1;

	if (targets_load(db, rb, &t, TG_NAMES) == -1)
		return -1;
	if (states_load(db, rb->draw, &v, &n) == -1)
		goto out;
	if (target != NULL) {
		if ((tg = targets_find(&t, target)) == NULL) {
			error("'%s' was not drawn in batch '%s'", target,
			    rb->batch);
			goto out;
		}
		s = state_find(v, n, tg->uscc);
		ret = show_target(db, rb, tg, s != NULL ? s->state : "?", fp);
		goto out;
	}
	fprintf(fp, "batch %s (%s %s): %zu targets:", rb->batch,
	    rb->task->id, rb->task->name, t.n);
	for (j = 0; j < NELEM(order); j++) {
		for (i = 0, count = 0; i < n; i++)
			count += strcmp(v[i].state, order[j]) == 0;
		fprintf(fp, " %zu %s", count, order[j]);
	}
	fputc('\n', fp);
	for (i = 0; i < t.n; i++) {
		s = state_find(v, n, t.v[i].uscc);
		fprintf(fp, "%4lld  %s  %s  %s\n", (long long)t.v[i].rank,
		    t.v[i].uscc, s != NULL ? s->state : "?", t.v[i].name);
	}
	ret = 0;
out:
	states_release(v, n);
	targets_release(&t);
	return ret;
}

int
results_due(struct db *db, const struct config *cfg, day_t today, FILE *fp,
    uint64_t *overdue, uint64_t *soon)
{
	const struct config_department	*dept;
	struct db_stmt			*st;
	struct buf			 dep = BUF_INIT;
	char				 c[DATE_STR_LEN], d[DATE_STR_LEN];
	day_t				 completed, due, horizon;
	int				 rc, late;

	*overdue = *soon = 0;
	horizon = calendar_add_workdays(&cfg->calendar, today,
	    RESULT_DUE_SOON_DAYS);
	st = db_prepare(db, "SELECT r.department, c.batch, s.uscc, "
	    "s.completed, s.state FROM result_state s JOIN draw d ON d.id = "
	    "s.draw JOIN commitment c ON c.id = d.commitment JOIN (SELECT "
	    "DISTINCT draw, uscc, department FROM result) r ON r.draw = "
	    "s.draw AND r.uscc = s.uscc WHERE s.state <> '" RESULT_PUBLISHED
	    "' AND s.completed IS NOT NULL ORDER BY r.department, "
	    "s.completed, c.batch, s.uscc");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (date_parse(db_col_text(st, 3), db_col_bytes(st, 3),
		    &completed) == -1)
			continue;
		due = calendar_add_workdays(&cfg->calendar, completed,
		    RESULT_DEADLINE_DAYS);
		if (due > horizon)
			continue;
		late = today > due;
		if (late)
			(*overdue)++;
		else
			(*soon)++;
		if (strcmp(buf_cstr(&dep), db_col_text(st, 0)) != 0) {
			buf_reset(&dep);
			buf_addstr(&dep, db_col_text(st, 0));
			dept = config_find_department(cfg, dep.data);
			fprintf(fp, "  %s %s:\n", dep.data, dept != NULL ?
			    dept->name : "");
		}
		fprintf(fp, "    %s %s %s: completed %s, due %s, %s\n",
		    late ? "overdue" : "due soon", db_col_text(st, 1),
		    db_col_text(st, 2), date_format(completed, c),
		    date_format(due, d), db_col_text(st, 4));
	}
	db_finalize(st);
	buf_release(&dep);
	return rc == DB_DONE ? 0 : -1;
}

int
results_print_due(struct db *db, const struct config *cfg, day_t today,
    FILE *fp, uint64_t *overdue)
{
	struct buf	 b = BUF_INIT;
	char		*text = NULL, d[DATE_STR_LEN];
	size_t		 len = 0;
	uint64_t	 soon;
	FILE		*mem;
	int		 ret;

	if ((mem = open_memstream(&text, &len)) == NULL)
		return error("open_memstream: %s", strerror(errno));
	ret = results_due(db, cfg, today, mem, overdue, &soon);
	fclose(mem);
	if (ret == 0) {
		fprintf(fp, "\nresults to publish within %d working days of "
		    "completion (today %s): %llu overdue, %llu due within %d "
		    "working days\n%s", RESULT_DEADLINE_DAYS,
		    date_format(today, d), (unsigned long long)*overdue,
		    (unsigned long long)soon, RESULT_DUE_SOON_DAYS, text);
		if (!calendar_covers(&cfg->calendar, today))
			fprintf(fp, "  (no official calendar for %.4s: "
			    "Monday to Friday counted)\n", d);
	}
	free(text);
	buf_release(&b);
	return ret;
}

void
publish_set_release(struct publish_set *ps)
{
	size_t	 i;

	for (i = 0; i < ps->nrecords; i++) {
		gsxt_record_release(&ps->records[i]);
		free(ps->uscc[i]);
	}
	free(ps->records);
	free(ps->uscc);
	free(ps->upto);
	free(ps->replaces);
	memset(ps, 0, sizeof(*ps));
}

/* A target's latest revision of each item, in the task's item order. */
static int
record_details(struct db_stmt *st, const struct results_batch *rb,
    struct gsxt_record *r, struct buf *reason)
{
	const struct config_item	*item;
	struct gsxt_detail		*d;
	struct buf			 names = BUF_INIT;
	const char			*code;
	size_t				 i;
	int				 rc;

	db_reset(st);
	db_bind_text(st, 2, r->uscc, SIZE_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		code = db_col_text(st, 0);
		/* rows come by item and revision: keep each item's last */
		if (r->ndetails > 0 && strcmp(r->details[r->ndetails - 1].
		    item, code) == 0) {
			d = &r->details[r->ndetails - 1];
			free(d->result);
		} else {
			r->details = xreallocarray(r->details,
			    r->ndetails + 1, sizeof(*r->details));
			d = &r->details[r->ndetails++];
			d->item = xstrdup(code);
		}
		buf_reset(&names);
		results_code_names(db_col_text(st, 1), "；", &names);
		d->result = xstrdup(buf_cstr(&names));
		if (r->date == NULL || strcmp(db_col_text(st, 2), r->date) > 0) {
			free(r->date);
			r->date = col_dup(st, 2);
		}
		if (*db_col_text(st, 3) != '\0' && db_col_int(st, 4) > 1)
			buf_printf(reason, "%s%s", reason->len > 0 ? "；" : "",
			    db_col_text(st, 3));
	}
	db_reset(st);
	buf_release(&names);
	if (rc != DB_DONE)
		return -1;
	/* the item's name, as GSXT shows it */
	for (i = 0; i < r->ndetails; i++) {
		if ((item = config_find_item(rb->cfg, r->details[i].item)) ==
		    NULL)
			continue;
		free(r->details[i].item);
		r->details[i].item = xstrdup(item->name);
	}
	return 0;
}

static int
collect(struct db *db, const struct results_batch *rb, struct publish_set *ps,
    int published)
{
	struct targets		 t;
	struct target		*tg;
	struct state		*v = NULL;
	struct db_stmt		*st = NULL, *prev = NULL;
	struct gsxt_record	*r;
	struct buf		 reason = BUF_INIT;
	char			*plan_no = NULL, *task_no = NULL;
	size_t			 n = 0, i, pass;
	int64_t			 replaces, number;
	int			 ret = -1;

	memset(ps, 0, sizeof(*ps));
	if (targets_load(db, rb, &t, TG_NAMES) == -1)
		return -1;
	if (states_load(db, rb->draw, &v, &n) == -1)
		goto out;
	st = db_prepare(db, "SELECT coalesce(max(number), 0) + 1 FROM "
	    "publication WHERE draw = ?1");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, rb->draw);
	if (db_step(st) != DB_ROW)
		goto out;
	ps->number = db_col_int(st, 0);
	db_finalize(st);
	st = db_prepare(db, "SELECT item, result, completed, reason, revision "
	    "FROM result_rev WHERE draw = ?1 AND uscc = ?2 "
	    "ORDER BY item, revision");
	prev = db_prepare(db, "SELECT u.id, u.number FROM published p JOIN "
	    "publication u ON u.id = p.publication WHERE u.draw = ?1 AND "
	    "p.uscc = ?2 ORDER BY u.id DESC LIMIT 1");
	if (st == NULL || prev == NULL)
		goto out;
	db_bind_int(st, 1, rb->draw);
	db_bind_int(prev, 1, rb->draw);
	plan_no = gsxt_plan_number(rb->cfg);
	task_no = gsxt_task_number(rb->cfg, rb->cbatch);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].state, RESULT_PUBLISHED) == 0)
			ps->published++;
		else if (strcmp(v[i].state, RESULT_APPROVED) != 0)
			ps->waiting += strcmp(v[i].state, RESULT_NONE) != 0;
	}
	/* First publications first, then the corrections. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			if (strcmp(v[i].state, published ? RESULT_PUBLISHED :
			    RESULT_APPROVED) != 0)
				continue;
			replaces = number = 0;
			db_reset(prev);
			db_bind_text(prev, 2, v[i].uscc, SIZE_MAX);
			if (db_step(prev) == DB_ROW) {
				replaces = db_col_int(prev, 0);
				number = db_col_int(prev, 1);
			}
			db_reset(prev);
			if (published && pass == 1)
				break;
			if (!published && (pass == 0) != (replaces == 0))
				continue;
			if ((tg = targets_find(&t, v[i].uscc)) == NULL)
				continue;
			ps->records = xreallocarray(ps->records,
			    ps->nrecords + 1, sizeof(*ps->records));
			ps->uscc = xreallocarray(ps->uscc, ps->nrecords + 1,
			    sizeof(*ps->uscc));
			ps->upto = xreallocarray(ps->upto, ps->nrecords + 1,
			    sizeof(*ps->upto));
			ps->replaces = xreallocarray(ps->replaces,
			    ps->nrecords + 1, sizeof(*ps->replaces));
			ps->uscc[ps->nrecords] = xstrdup(v[i].uscc);
			ps->upto[ps->nrecords] = v[i].upto;
			ps->replaces[ps->nrecords] = replaces;
			r = &ps->records[ps->nrecords++];
			memset(r, 0, sizeof(*r));
			r->id = xasprintf("%s/%s/%lld", rb->batch, tg->uscc,
			    (long long)(published ? number : ps->number));
			if (replaces != 0 && !published) {
				r->replaces = xasprintf("%s/%s/%lld",
				    rb->batch, tg->uscc, (long long)number);
				ps->ncorrections++;
			}
			r->plan_id = xstrdup(plan_no);
			r->plan_name = xstrdup(rb->cfg->plan_name);
			r->task_id = xstrdup(task_no);
			r->task_name = xstrdup(rb->task->name);
			r->type = xstrdup(rb->task->targeted ? "定向" :
			    "不定向");
			r->authority = xstrdup(rb->cfg->authority);
			r->name = xstrdup(tg->name);
			r->uscc = xstrdup(tg->uscc);
			buf_reset(&reason);
			if (record_details(st, rb, r, &reason) == -1)
				goto out;
			if ((replaces != 0 && !published) ||
			    (published && reason.len > 0))
				r->reason = xstrdup(buf_cstr(&reason));
			if (r->date == NULL)
				r->date = xstrdup("");
		}
	}
	ret = 0;
out:
	if (ret == -1)
		publish_set_release(ps);
	free(plan_no);
	free(task_no);
	buf_release(&reason);
	db_finalize(st);
	db_finalize(prev);
	states_release(v, n);
	targets_release(&t);
	return ret;
}

int
results_publish_record(struct db *db, const struct results_batch *rb,
    const struct publish_set *ps, const char *manifest,
    const char *digest_hex, int64_t *ledger)
{
	struct db_stmt	*st;
	char		 at[TIMESTAMP_LEN];
	int64_t		 id;
	size_t		 i;
	int		 rc;

	timestamp_now(at);
	st = db_prepare(db, "INSERT INTO publication (draw, number, manifest, "
	    "digest, records, corrections, published_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, rb->draw);
	db_bind_int(st, 2, ps->number);
	db_bind_text(st, 3, manifest, SIZE_MAX);
	db_bind_text(st, 4, digest_hex, SIZE_MAX);
	db_bind_int(st, 5, (int64_t)ps->nrecords);
	db_bind_int(st, 6, (int64_t)ps->ncorrections);
	db_bind_text(st, 7, at, SIZE_MAX);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	id = db_last_rowid(db);
	st = db_prepare(db, "INSERT INTO published (publication, uscc, upto, "
	    "replaces) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	for (i = 0, rc = DB_DONE; i < ps->nrecords && rc == DB_DONE; i++) {
		db_bind_text(st, 2, ps->uscc[i], SIZE_MAX);
		db_bind_int(st, 3, ps->upto[i]);
		db_bind_int(st, 4, ps->replaces[i]);
		rc = db_step(st);
		db_reset(st);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return ledger_append(db, "publication", id, ledger);
}

int
results_publish_collect(struct db *db, const struct results_batch *rb,
    struct publish_set *ps)
{
	return collect(db, rb, ps, 0);
}

int
results_published(struct db *db, const struct results_batch *rb,
    struct publish_set *ps)
{
	return collect(db, rb, ps, 1);
}

void
drawn_targets_free(struct drawn_target *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].uscc);
		free(v[i].name);
		free(v[i].division);
		free(v[i].names);
	}
	free(v);
}

int
results_drawn_targets(struct db *db, const struct results_batch *rb,
    struct drawn_target **vp, size_t *np)
{
	struct targets	 t;
	struct buf	 names = BUF_INIT;
	size_t		 i, j;

	if (targets_load(db, rb, &t, TG_ALL) == -1)
		return -1;
	*vp = xcalloc(t.n + 1, sizeof(**vp));
	*np = t.n;
	for (i = 0; i < t.n; i++) {
		buf_reset(&names);
		for (j = 0; j < t.v[i].nteam; j++)
			buf_printf(&names, "%s%s", j > 0 ? "、" : "",
			    t.v[i].team[j].name);
		(*vp)[i].uscc = xstrdup(t.v[i].uscc);
		(*vp)[i].name = xstrdup(t.v[i].name);
		(*vp)[i].division = xstrdup(t.v[i].division);
		(*vp)[i].names = xstrdup(buf_cstr(&names));
	}
	buf_release(&names);
	targets_release(&t);
	return 0;
}
