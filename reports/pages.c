/*
 * The report's pages: the figures of the batches tallied into views (a
 * batch, a task's batches, the period's), each view written as the six
 * parts of a page. Counts are exact integers; a public site hides the
 * counts of small classes (hidden_strata) and names no one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "pages.h"
#include "results.h"
#include "site.h"
#include "svg.h"
#include "xmalloc.h"

/* FNV-1a: the keys are short codes; a year has thousands at most. */
static size_t
tally_hash(const char *key)
{
	uint64_t	 h = UINT64_C(14695981039346656037);

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * UINT64_C(1099511628211);
	return (size_t)h;
}

/* The index of key, added when it is not there yet. */
static size_t
tally_find(struct pages_tally *t, const char *key)
{
	size_t	 h, i, j;

	if (2 * (t->n + 1) > t->cap) {
		free(t->slot);
		t->cap = t->cap == 0 ? 64 : 2 * t->cap;
		t->slot = xcalloc(t->cap, sizeof(*t->slot));
		for (j = 0; j < t->n; j++) {
			for (h = tally_hash(t->key[j]) & (t->cap - 1);
			    t->slot[h] != 0; h = (h + 1) & (t->cap - 1))
				;
			t->slot[h] = j + 1;
		}
	}
	for (h = tally_hash(key) & (t->cap - 1); t->slot[h] != 0;
	    h = (h + 1) & (t->cap - 1))
		if (strcmp(t->key[t->slot[h] - 1], key) == 0)
			return t->slot[h] - 1;
	i = t->n++;
	t->key = xreallocarray(t->key, t->n, sizeof(*t->key));
	t->v = xreallocarray(t->v, t->n, sizeof(*t->v));
	t->key[i] = xstrdup(key);
	memset(t->v[i], 0, sizeof(t->v[i]));
	t->slot[h] = i + 1;
	return i;
}

void
pages_tally_add(struct pages_tally *t, const char *key, int col, uint64_t n)
{
	size_t	 i = tally_find(t, key);

	/* the plan's figures: the first batch's stay */
	if ((col == S_RNUM || col == S_RDEN) && t->v[i][S_RDEN] != 0)
		return;
	if (col >= S_MIN && t->v[i][col] != 0)
		return;
	t->v[i][col] += n;
}

static void
tally_merge(struct pages_tally *dst, const struct pages_tally *src)
{
	size_t	 i;
	int	 c;

	for (i = 0; i < src->n; i++)
		for (c = 0; c < TALLY_COLS; c++)
			if (src->v[i][c] != 0 || c == 0)
				pages_tally_add(dst, src->key[i], c, src->v[i][c]);
}

static void
tally_release(struct pages_tally *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		free(t->key[i]);
	free(t->key);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* Sorts by key (bytes), or by column col descending then key. */
static int	 sort_col;
static const struct pages_tally *sort_tally;

static int
by_key(const void *a, const void *b)
{
	size_t	 i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t x, y;

	if (sort_col >= 0) {
		x = sort_tally->v[i][sort_col];
		y = sort_tally->v[j][sort_col];
		if (x != y)
			return x < y ? 1 : -1;
	}
	return strcmp(sort_tally->key[i], sort_tally->key[j]);
}

/* The tally's indices in order (a new array). */
static size_t *
tally_order(const struct pages_tally *t, int col)
{
	size_t	*ix, i;

	ix = xcalloc(t->n + 1, sizeof(*ix));
	for (i = 0; i < t->n; i++)
		ix[i] = i;
	sort_col = col;
	sort_tally = t;
	qsort(ix, t->n, sizeof(*ix), by_key);
	return ix;
}

static void
view_merge(struct pages_view *dst, const struct pages_view *src)
{
	tally_merge(&dst->strata, &src->strata);
	tally_merge(&dst->divisions, &src->divisions);
	tally_merge(&dst->industries, &src->industries);
	tally_merge(&dst->loads, &src->loads);
	tally_merge(&dst->depts, &src->depts);
	tally_merge(&dst->reasons, &src->reasons);
	tally_merge(&dst->codes, &src->codes);
	tally_merge(&dst->items, &src->items);
	tally_merge(&dst->timely, &src->timely);
	dst->targets += src->targets;
	dst->replacements += src->replacements;
	dst->unentered += src->unentered;
}

static void
view_release(struct pages_view *v)
{
	tally_release(&v->strata);
	tally_release(&v->divisions);
	tally_release(&v->industries);
	tally_release(&v->loads);
	tally_release(&v->depts);
	tally_release(&v->reasons);
	tally_release(&v->codes);
	tally_release(&v->items);
	tally_release(&v->timely);
}
/* The name of a class code in the plan, or the code. */
static const char *
class_name(const struct config *cfg, const char *code)
{
	int	 i;

	if ((i = config_find_class(cfg, code, strlen(code))) < 0)
		return code;
	return cfg->classes[i].name;
}
/* A file name for an id: what is not [A-Za-z0-9._-] becomes '_'. */
static char *
page_name(const char *kind, const char *id)
{
	char	*s, *p;

	s = xasprintf("%s-%s.html", kind, id);
	for (p = s + strlen(kind) + 1; p < s + strlen(s) - 5; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_'))
			*p = '_';
	return s;
}
/*
 * Which strata a public page hides (hide[k] for the k-th of ix): those
 * with fewer members than the threshold in the pool, or fewer drawn
 * (but some): a class of one drawn target would name that target's
 * class on a batch whose list is public. When one stratum alone would
 * be hidden among drawn ones, the batch's public total gives it away:
 * the smallest one shown is hidden with it.
 */
static int *
hidden_strata(const struct pages_site *r, const struct pages_tally *t,
    const size_t *ix)
{
	uint64_t	 N, n, least = UINT64_MAX;
	size_t		 k, hid = 0, pick = SIZE_MAX;
	int		*hide;

	hide = xcalloc(t->n + 1, sizeof(*hide));
	if (!r->public)
		return hide;
	for (k = 0; k < t->n; k++) {
		N = t->v[ix[k]][S_POOL];
		n = t->v[ix[k]][S_DRAWN];
		hide[k] = N < r->threshold || (n > 0 && n < r->threshold);
		hid += hide[k] && n > 0;
	}
	for (k = 0; k < t->n && hid == 1; k++)
		if (!hide[k] && t->v[ix[k]][S_DRAWN] > 0 &&
		    t->v[ix[k]][S_DRAWN] < least) {
			least = t->v[ix[k]][S_DRAWN];
			pick = k;
		}
	if (pick != SIZE_MAX)
		hide[pick] = 1;
	return hide;
}

/* A count as a table shows it: suppressed under the threshold. */
static void
count_text(const struct pages_site *r, uint64_t n, int small, struct buf *out)
{
	if (small)
		buf_printf(out, "<%llu", (unsigned long long)r->threshold);
	else
		buf_printf(out, "%llu", (unsigned long long)n);
}

static const char *const type_names[ITEM_NTYPES] = { "一般检查事项",
    "重点检查事项" };

#define MAX_BINS	40	/* columns of the load histogram */

/* A stratum's label: the class (its code alone in public), the type. */
static char *
stratum_label(const struct pages_site *r, const struct config *cfg,
    const char *key, int with_type)
{
	const char	*name = strchr(key, '\t') + 1;
	int		 type = key[0] - '0';
	const char	*what;

	if (strcmp(name, "certain") == 0)
		what = "必抽对象";
	else if (r->public)
		return xasprintf("%s类%s%s%s", name, with_type ? "（" : "",
		    with_type ? type_names[type] : "", with_type ? "）" : "");
	else
		what = class_name(cfg, name);
	if (r->public || strcmp(name, "certain") == 0)
		return xasprintf("%s%s%s%s", what, with_type ? "（" : "",
		    with_type ? type_names[type] : "", with_type ? "）" : "");
	return xasprintf("%s %s%s%s%s", name, what, with_type ? "（" : "",
	    with_type ? type_names[type] : "", with_type ? "）" : "");
}

/* The exact fraction n/N, reduced, as the bundle spells it. */
static void
fraction(uint64_t n, uint64_t N, struct buf *out)
{
	uint64_t	 a = n, b = N, t;

	if (N == 0) {
		buf_addstr(out, "0/0");
		return;
	}
	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	buf_printf(out, "%llu/%llu", (unsigned long long)(n / a),
	    (unsigned long long)(N / a));
}

static void
section_coverage(const struct pages_site *r, const struct config *cfg,
    const struct pages_view *v, const char *id, struct buf *out)
{
	struct site_table	 tb;
	static const char *const cols[] = { "抽查对象类别", "#对象总数 N",
	    "#抽取户数 n", "#入选概率 n/N", "#实际比例", "#计划比例",
	    "每批次下限/上限", NULL };
	struct svg_bar	*bars;
	struct svg_chart c;
	struct buf	 N = BUF_INIT, n = BUF_INIT, lim = BUF_INIT;
	struct buf	 f = BUF_INIT, pc = BUF_INIT, plan = BUF_INIT;
	const char	*cells[7];
	char		**labels, cid[64];
	size_t		*ix, i, k, nb = 0;
	int		 two_types = 0, small, *hide;

	site_h2(out, "coverage", "一、抽查覆盖：各信用风险类别与计划比例");
	ix = tally_order(&v->strata, -1);
	for (i = 1; i < v->strata.n; i++)
		two_types |= v->strata.key[ix[i]][0] !=
		    v->strata.key[ix[0]][0];
	bars = xcalloc(v->strata.n + 1, sizeof(*bars));
	labels = xcalloc(v->strata.n + 1, sizeof(*labels));
	hide = hidden_strata(r, &v->strata, ix);
	site_p(out, r->public ? "每一类别内按抽签号（ticket）最小者抽取，"
	    "入选概率为精确分数 n/N。对象总数或抽取户数不足门槛数的类别（以及"
	    "可由合计推算出其数字的类别）不公开其数字。" :
	    "每一类别内按抽签号（ticket）最小者抽取，入选概率为精确分数 "
	    "n/N；红线为计划规定的比例（下限、上限另见计划）。");
	for (k = 0; k < v->strata.n; k++) {
		i = ix[k];
		labels[k] = stratum_label(r, cfg, v->strata.key[i], two_types);
		small = hide[k];
		if (!small && v->strata.v[i][S_POOL] > 0) {
			bars[nb].label = labels[k];
			bars[nb].num = v->strata.v[i][S_DRAWN];
			bars[nb].den = v->strata.v[i][S_POOL];
			bars[nb].has_mark = v->strata.v[i][S_RDEN] != 0;
			bars[nb].mark_num = v->strata.v[i][S_RNUM];
			bars[nb].mark_den = v->strata.v[i][S_RDEN];
			nb++;
		}
	}
	snprintf(cid, sizeof(cid), "%s-coverage", id);
	memset(&c, 0, sizeof(c));
	c.id = cid;
	c.title = "各类别实际抽取比例与计划比例";
	c.category_label = "抽查对象类别";
	c.value_label = "抽取比例 n/N";
	c.mark_label = "计划比例";
	c.scale = SVG_PERCENT;
	c.bars = bars;
	c.nbars = nb;
	site_chart(out, &c);
	site_table_begin(&tb, out, "各类别入选概率（精确分数）", cols);
	for (k = 0; k < v->strata.n; k++) {
		i = ix[k];
		small = hide[k];
		buf_reset(&N);
		buf_reset(&n);
		buf_reset(&f);
		buf_reset(&pc);
		buf_reset(&plan);
		count_text(r, v->strata.v[i][S_POOL], small, &N);
		count_text(r, v->strata.v[i][S_DRAWN], small, &n);
		if (small) {
			buf_addstr(&f, "—");
			buf_addstr(&pc, "—");
		} else {
			fraction(v->strata.v[i][S_DRAWN],
			    v->strata.v[i][S_POOL], &f);
			svg_value(SVG_PERCENT, v->strata.v[i][S_DRAWN],
			    v->strata.v[i][S_POOL], &pc);
		}
		svg_value(SVG_PERCENT, v->strata.v[i][S_RNUM],
		    v->strata.v[i][S_RDEN], &plan);
		cells[0] = labels[k];
		cells[1] = buf_cstr(&N);
		cells[2] = buf_cstr(&n);
		cells[3] = buf_cstr(&f);
		cells[4] = buf_cstr(&pc);
		cells[5] = buf_cstr(&plan);
		buf_reset(&lim);
		if (v->strata.v[i][S_MIN] != 0)
			buf_printf(&lim, "不少于%llu户", (unsigned long long)
			    (v->strata.v[i][S_MIN] - 1));
		if (v->strata.v[i][S_MAX] != 0)
			buf_printf(&lim, "%s不多于%llu户", lim.len > 0 ?
			    "，" : "", (unsigned long long)
			    (v->strata.v[i][S_MAX] - 1));
		cells[6] = lim.len > 0 ? buf_cstr(&lim) : "—";
		site_table_row(&tb, cells);
	}
	site_table_end(&tb);
	for (k = 0; k < v->strata.n; k++)
		free(labels[k]);
	free(labels);
	free(bars);
	free(hide);
	free(ix);
	buf_release(&N);
	buf_release(&n);
	buf_release(&lim);
	buf_release(&f);
	buf_release(&pc);
	buf_release(&plan);
}

/* A chart of counts from a tally (the largest first, at most max). */
static void
count_chart(const struct pages_tally *t, const char *id, const char *title,
    const char *category, const char *value, const struct config *cfg,
    int divisions, size_t max, struct buf *out)
{
	struct svg_chart c;
	struct svg_bar	*bars;
	const char	*name;
	char		**labels;
	size_t		*ix, i, n;
	uint64_t	 rest = 0;

	ix = tally_order(t, 0);
	n = t->n < max ? t->n : max;
	bars = xcalloc(n + 2, sizeof(*bars));
	labels = xcalloc(n + 2, sizeof(*labels));
	for (i = 0; i < t->n; i++) {
		if (i >= n) {
			rest += t->v[ix[i]][0];
			continue;
		}
		name = divisions && cfg != NULL ? config_division_name(cfg,
		    t->key[ix[i]]) : NULL;
		labels[i] = xasprintf("%s%s%s", t->key[ix[i]][0] != '\0' ?
		    t->key[ix[i]] : "（无）", name != NULL ? " " : "",
		    name != NULL ? name : "");
		bars[i].label = labels[i];
		bars[i].num = t->v[ix[i]][0];
		bars[i].den = 1;
	}
	if (rest > 0) {
		labels[n] = xstrdup("其他");
		bars[n].label = labels[n];
		bars[n].num = rest;
		bars[n].den = 1;
		n++;
	}
	memset(&c, 0, sizeof(c));
	c.id = id;
	c.title = title;
	c.category_label = category;
	c.value_label = value;
	c.scale = SVG_COUNT;
	c.bars = bars;
	c.nbars = n;
	site_chart(out, &c);
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(bars);
	free(ix);
}

static void
section_where(const struct pages_site *r, const struct config *cfg,
    const struct pages_view *v, const char *id, struct buf *out)
{
	char	 cid[64];

	(void)r;
	site_h2(out, "where", "二、抽查对象分布：区县与行业");
	snprintf(cid, sizeof(cid), "%s-division", id);
	count_chart(&v->divisions, cid, "各区县（登记机关）抽取户数",
	    "行政区划", "抽取户数", cfg, 1, 20, out);
	snprintf(cid, sizeof(cid), "%s-industry", id);
	count_chart(&v->industries, cid, "各行业（国民经济行业代码）抽取户数",
	    "行业代码", "抽取户数", cfg, 0, 20, out);
}

static void
section_who(const struct pages_site *r, const struct config *cfg,
    const struct pages_view *v, const char *id, struct buf *out)
{
	struct site_table	 tb;
	static const char *const dcols[] = { "部门", "#出动检查人员",
	    "#检查任务人次", NULL };
	static const char *const rcols[] = { "调整原因", "#次数", NULL };
	const struct config_department *d;
	struct svg_chart c;
	struct svg_bar	*bars;
	struct pages_tally	 dep = { NULL, NULL, 0, NULL, 0 };
	struct buf	 a = BUF_INIT, b = BUF_INIT, cap = BUF_INIT;
	const char	*cells[3];
	char		 cid[64], *lab, **labels, key[80];
	size_t		*ix, i, maxload = 0, w, nbins;
	uint64_t	*hist;

	site_h2(out, "who", "三、检查人员：出动人数、工作量与调整");
	for (i = 0; i < v->loads.n; i++)
		if (v->loads.v[i][0] > maxload)
			maxload = (size_t)v->loads.v[i][0];
	/* up to the cap, so that the room left under it shows */
	if (v->cap > 0 && (uint64_t)v->cap > maxload && v->cap <= 100)
		maxload = (size_t)v->cap;
	/* at most MAX_BINS columns: loads k*w+1 .. (k+1)*w in column k */
	w = (maxload + MAX_BINS - 1) / MAX_BINS;
	if (w == 0)
		w = 1;
	nbins = (maxload + w - 1) / w;
	hist = xcalloc(nbins + 1, sizeof(*hist));
	for (i = 0; i < v->loads.n; i++)
		hist[(v->loads.v[i][0] - 1) / w]++;
	bars = xcalloc(nbins + 1, sizeof(*bars));
	labels = xcalloc(nbins + 1, sizeof(*labels));
	for (i = 0; i < nbins; i++) {
		labels[i] = w == 1 ? xasprintf("%zu", i + 1) :
		    xasprintf("%zu–%zu", i * w + 1, (i + 1) * w);
		bars[i].label = labels[i];
		bars[i].num = hist[i];
		bars[i].den = 1;
	}
	buf_printf(&a, "共出动检查人员 %zu 名；每名检查人员承担的检查对象数"
	    "分布如下", v->loads.n);
	if (v->cap > 0)
		buf_printf(&a, "，计划规定%s每人不超过 %lld 户", v->cap_what,
		    (long long)v->cap);
	buf_addstr(&a, "。");
	site_p(out, buf_cstr(&a));
	snprintf(cid, sizeof(cid), "%s-load", id);
	memset(&c, 0, sizeof(c));
	c.id = cid;
	c.title = "检查人员工作量分布";
	c.category_label = "每人检查对象数（户）";
	c.value_label = "检查人员数";
	c.scale = SVG_COUNT;
	c.bars = bars;
	c.nbars = nbins;
	c.columns = 1;
	if (v->cap > 0 && (size_t)v->cap <= maxload) {
		buf_printf(&cap, "上限 %lld", (long long)v->cap);
		c.limit_after = ((size_t)v->cap - 1) / w;
		c.limit_label = buf_cstr(&cap);
	} else
		c.limit_after = SIZE_MAX;
	site_chart(out, &c);
	/* per department: the people and their places on teams */
	for (i = 0; i < v->depts.n; i++) {
		snprintf(key, sizeof(key), "%.*s",
		    (int)strcspn(v->depts.key[i], "\t"), v->depts.key[i]);
		pages_tally_add(&dep, key, 0, 1);
		pages_tally_add(&dep, key, 1, v->depts.v[i][0]);
	}
	ix = tally_order(&dep, -1);
	site_table_begin(&tb, out, "各部门出动检查人员（联合抽查）", dcols);
	for (i = 0; i < dep.n; i++) {
		d = cfg != NULL ? config_find_department(cfg,
		    dep.key[ix[i]]) : NULL;
		lab = xasprintf("%s %s", dep.key[ix[i]], d != NULL ? d->name :
		    "");
		buf_reset(&a);
		buf_reset(&b);
		buf_printf(&a, "%llu", (unsigned long long)dep.v[ix[i]][0]);
		buf_printf(&b, "%llu", (unsigned long long)dep.v[ix[i]][1]);
		cells[0] = lab;
		cells[1] = buf_cstr(&a);
		cells[2] = buf_cstr(&b);
		site_table_row(&tb, cells);
		free(lab);
	}
	site_table_end(&tb);
	free(ix);
	buf_reset(&a);
	buf_printf(&a, "抽取后调整检查人员（回避、不能到岗等，每次从同一随机流"
	    "补抽并记入台账）共 %llu 次。", (unsigned long long)v->replacements);
	site_p(out, buf_cstr(&a));
	/* the reasons are free text and may name a recusal: not public */
	if (!r->public && v->reasons.n > 0) {
		ix = tally_order(&v->reasons, 0);
		site_table_begin(&tb, out, "调整原因", rcols);
		for (i = 0; i < v->reasons.n; i++) {
			buf_reset(&a);
			buf_printf(&a, "%llu",
			    (unsigned long long)v->reasons.v[ix[i]][0]);
			cells[0] = v->reasons.key[ix[i]];
			cells[1] = buf_cstr(&a);
			site_table_row(&tb, cells);
		}
		site_table_end(&tb);
		free(ix);
	}
	for (i = 0; i < nbins; i++)
		free(labels[i]);
	free(labels);
	free(bars);
	free(hist);
	tally_release(&dep);
	buf_release(&a);
	buf_release(&b);
	buf_release(&cap);
}

static const char *
code_name(const char *code)
{
	size_t	 i;

	for (i = 0; i < result_ncodes; i++)
		if (strcmp(result_codes[i].code, code) == 0)
			return result_codes[i].name;
	return code;
}

static void
section_found(const struct pages_site *r, const struct config *cfg,
    const struct pages_view *v, const char *id, struct buf *out)
{
	struct site_table	 tb;
	static const char *const icols[] = { "检查事项", "#检查结果条数",
	    "#发现问题", NULL };
	struct svg_chart c;
	struct svg_bar	*bars;
	struct pages_tally	 named = { NULL, NULL, 0, NULL, 0 };
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	const char	*cells[3];
	char		 cid[64], *lab, **labels;
	size_t		*ix, i, nb = 0;
	uint64_t	 rows = 0;

	site_h2(out, "found", "四、检查结果：结果类别、检查事项与风险类别");
	for (i = 0; i < v->items.n; i++)
		rows += v->items.v[i][I_ROWS];
	buf_printf(&a, "已录入检查结果 %llu 条；尚未录入结果的检查对象 %llu "
	    "户。", (unsigned long long)rows,
	    (unsigned long long)v->unentered);
	site_p(out, buf_cstr(&a));
	if (rows == 0) {
		buf_release(&a);
		return;
	}
	for (i = 0; i < v->codes.n; i++) {
		lab = xasprintf("%s %s", v->codes.key[i],
		    code_name(v->codes.key[i]));
		pages_tally_add(&named, lab, 0, v->codes.v[i][0]);
		free(lab);
	}
	snprintf(cid, sizeof(cid), "%s-results", id);
	count_chart(&named, cid, "各检查结果类别条数", "检查结果",
	    "条数", NULL, 0, 30, out);
	ix = tally_order(&v->items, -1);
	site_table_begin(&tb, out, "各检查事项的结果", icols);
	for (i = 0; i < v->items.n; i++) {
		buf_reset(&a);
		buf_reset(&b);
		buf_printf(&a, "%llu",
		    (unsigned long long)v->items.v[ix[i]][I_ROWS]);
		buf_printf(&b, "%llu",
		    (unsigned long long)v->items.v[ix[i]][I_PROBLEMS]);
		lab = xstrdup(v->items.key[ix[i]]);
		lab[strcspn(lab, "\t")] = ' ';
		cells[0] = lab;
		cells[1] = buf_cstr(&a);
		cells[2] = buf_cstr(&b);
		site_table_row(&tb, cells);
		free(lab);
	}
	site_table_end(&tb);
	free(ix);
	/* the problems found per class: does the classification work? */
	ix = tally_order(&v->strata, -1);
	bars = xcalloc(v->strata.n + 1, sizeof(*bars));
	labels = xcalloc(v->strata.n + 1, sizeof(*labels));
	for (i = 0; i < v->strata.n; i++) {
		if (v->strata.v[ix[i]][S_CHECKED] == 0 || (r->public &&
		    (v->strata.v[ix[i]][S_POOL] < r->threshold ||
		    v->strata.v[ix[i]][S_DRAWN] < r->threshold)))
			continue;
		labels[nb] = stratum_label(r, cfg, v->strata.key[ix[i]], 1);
		bars[nb].label = labels[nb];
		bars[nb].num = v->strata.v[ix[i]][S_PROBLEMS];
		bars[nb].den = v->strata.v[ix[i]][S_CHECKED];
		nb++;
	}
	if (r->public)
		site_p(out, "各类别发现问题比例：抽取户数不足门槛数的类别不公开。");
	snprintf(cid, sizeof(cid), "%s-problems", id);
	memset(&c, 0, sizeof(c));
	c.id = cid;
	c.title = "各风险类别发现问题的比例";
	c.category_label = "抽查对象类别";
	c.value_label = "发现问题的结果占比";
	c.scale = SVG_PERCENT;
	c.bars = bars;
	c.nbars = nb;
	site_chart(out, &c);
	for (i = 0; i < nb; i++)
		free(labels[i]);
	free(labels);
	free(bars);
	free(ix);
	tally_release(&named);
	buf_release(&a);
	buf_release(&b);
}

static void
section_timely(const struct pages_site *r, const struct config *cfg,
    const struct pages_view *v, const char *id, struct buf *out)
{
	struct site_table	 tb;
	static const char *const cols[] = { "部门", "#按期公示",
	    "#逾期公示", "#逾期未公示", "#期限内未公示", NULL };
	const struct config_department *d;
	struct svg_chart c;
	struct svg_bar	*bars;
	struct buf	 n[4];
	const char	*cells[5];
	char		 cid[64], **labels;
	size_t		*ix, i;
	int		 k;

	(void)r;
	site_h2(out, "timely", "五、公示时效：检查完成后20个工作日内公示");
	if (v->timely.n == 0) {
		site_p(out, "尚无检查结果。");
		return;
	}
	for (k = 0; k < 4; k++)
		buf_init(&n[k]);
	ix = tally_order(&v->timely, -1);
	bars = xcalloc(v->timely.n, sizeof(*bars));
	labels = xcalloc(v->timely.n, sizeof(*labels));
	for (i = 0; i < v->timely.n; i++) {
		d = cfg != NULL ? config_find_department(cfg,
		    v->timely.key[ix[i]]) : NULL;
		labels[i] = xasprintf("%s %s", v->timely.key[ix[i]],
		    d != NULL ? d->name : "");
		bars[i].label = labels[i];
		bars[i].num = v->timely.v[ix[i]][T_ONTIME];
		bars[i].den = v->timely.v[ix[i]][T_ONTIME] +
		    v->timely.v[ix[i]][T_LATE] + v->timely.v[ix[i]][T_OVERDUE] +
		    v->timely.v[ix[i]][T_OPEN];
	}
	snprintf(cid, sizeof(cid), "%s-timely", id);
	memset(&c, 0, sizeof(c));
	c.id = cid;
	c.title = "各部门按期公示的检查结果占比";
	c.category_label = "部门";
	c.value_label = "按期公示占比";
	c.scale = SVG_PERCENT;
	c.bars = bars;
	c.nbars = v->timely.n;
	site_chart(out, &c);
	site_table_begin(&tb, out, "各部门检查结果公示情况（条）", cols);
	for (i = 0; i < v->timely.n; i++) {
		for (k = 0; k < 4; k++) {
			buf_reset(&n[k]);
			buf_printf(&n[k], "%llu",
			    (unsigned long long)v->timely.v[ix[i]][k]);
			cells[1 + k] = buf_cstr(&n[k]);
		}
		cells[0] = labels[i];
		site_table_row(&tb, cells);
	}
	site_table_end(&tb);
	for (i = 0; i < v->timely.n; i++)
		free(labels[i]);
	for (k = 0; k < 4; k++)
		buf_release(&n[k]);
	free(labels);
	free(bars);
	free(ix);
}

static void
section_integrity(const struct pages_site *r, const size_t *which, size_t n,
    struct buf *out)
{
	struct site_table	 tb;
	static const char *const cols[] = { "批次", "承诺时间（北京时间）",
	    "#信标轮次", "见证人", "#尝试", "#中止", "#台账条目", NULL };
	const struct pages_batch	*b;
	struct buf		 a[5], cmd = BUF_INIT;
	const char		*cells[7];
	char			 at[TIMESTAMP_SHOW_LEN], *link;
	size_t			 i;
	int			 k;

	site_h2(out, "integrity", "六、抽取过程可验证：承诺、信标、见证与复核");
	site_p(out, "每一批次先公开承诺（名录快照摘要、将使用的未来信标轮次、"
	    "见证人的承诺），再以信标和见证人公开的随机值生成种子；中止和失败"
	    "的尝试同样记入台账，不能重抽而不留痕迹。");
	for (k = 0; k < 5; k++)
		buf_init(&a[k]);
	site_table_begin(&tb, out, "各批次的承诺与抽取记录", cols);
	for (i = 0; i < n; i++) {
		b = &r->b[which[i]];
		for (k = 0; k < 5; k++)
			buf_reset(&a[k]);
		link = page_name("batch", b->id);
		buf_printf(&a[0], "\x01%s\x01%s", link, b->id);
		buf_printf(&a[1], "%lld", (long long)b->round);
		buf_printf(&a[2], "%lld", (long long)b->attempts);
		buf_printf(&a[3], "%lld", (long long)b->aborts);
		cells[0] = buf_cstr(&a[0]);
		cells[1] = timestamp_show(b->committed_at, at);
		cells[2] = buf_cstr(&a[1]);
		cells[3] = b->witnesses;
		cells[4] = buf_cstr(&a[2]);
		cells[5] = buf_cstr(&a[3]);
		buf_printf(&a[4], "%lld", (long long)b->ledger);
		cells[6] = buf_cstr(&a[4]);
		site_table_row(&tb, cells);
		free(link);
	}
	site_table_end(&tb);
	site_p(out, "任何人可以用公开的验证包复核一次抽取，得到完全相同的结果"
	    "（无需数据库）：");
	for (i = 0; i < n && i < 3; i++)
		buf_printf(&cmd, "ssj export %s %s-bundle --public\n"
		    "ssj verify %s-bundle\n", r->b[which[i]].id,
		    r->b[which[i]].id, r->b[which[i]].id);
	if (n > 3)
		buf_addstr(&cmd, "...\n");
	site_code(out, buf_cstr(&cmd));
	for (k = 0; k < 5; k++)
		buf_release(&a[k]);
	buf_release(&cmd);
}

/* All six sections over the batches which[]. */
static void
sections(const struct pages_site *r, const struct config *cfg, const size_t *which,
    size_t n, const char *id, struct buf *out)
{
	struct pages_view	 v;
	size_t		 i;

	memset(&v, 0, sizeof(v));
	for (i = 0; i < n; i++)
		view_merge(&v, &r->b[which[i]].v);
	/*
	 * The cap the histogram is held against: a batch's per batch; a
	 * task's batches, its per year (the loads add up over them); the
	 * tasks together have none (each cap is a task's).
	 */
	v.cap_what = n == 1 ? "每批次" : "全年";
	for (i = 1; i < n; i++)
		if (r->b[which[i]].task != r->b[which[0]].task)
			break;
	if (n == 1)
		v.cap = r->b[which[0]].task->cap_per_batch;
	else if (i == n)
		v.cap = r->b[which[0]].task->cap_per_year;
	section_coverage(r, cfg, &v, id, out);
	section_where(r, cfg, &v, id, out);
	section_who(r, cfg, &v, id, out);
	section_found(r, cfg, &v, id, out);
	section_timely(r, cfg, &v, id, out);
	section_integrity(r, which, n, out);
	view_release(&v);
}

static void
footer(const struct pages_site *r, struct buf *out)
{
	char	 d[DATE_STR_LEN];

	buf_printf(out, "由 ssj %s 于 %s 生成%s；各页面的摘要见 MANIFEST.txt，"
	    "其签名可用 minisign -Vm MANIFEST.txt -p ssj.pub 验证。",
	    SSJ_VERSION, date_format(r->today, d), r->public ?
	    "（公开版：不含企业风险类别和检查人员个人信息）" : "（内部版）");
}

static const char *const batch_cols[] = { "批次", "抽查任务", "抽取时间",
    "#抽取户数", "#检查人员", "#调整", "#已录入结果", NULL };

static void
batch_row(const struct pages_batch *b, struct site_table *tb)
{
	struct buf	 a[6];
	const char	*cells[7];
	char		 at[TIMESTAMP_SHOW_LEN], *link, *tl;
	uint64_t	 rows = 0;
	size_t		 i;

	for (i = 0; i < 6; i++)
		buf_init(&a[i]);
	for (i = 0; i < b->v.items.n; i++)
		rows += b->v.items.v[i][I_ROWS];
	link = page_name("batch", b->id);
	tl = page_name("task", b->task->id);
	buf_printf(&a[0], "\x01%s\x01%s %s", link, b->id, b->cb->name);
	buf_printf(&a[1], "\x01%s\x01%s", tl, b->task->name);
	buf_printf(&a[2], "%llu", (unsigned long long)b->v.targets);
	buf_printf(&a[3], "%zu", b->v.loads.n);
	buf_printf(&a[4], "%llu", (unsigned long long)b->v.replacements);
	cells[0] = buf_cstr(&a[0]);
	cells[1] = buf_cstr(&a[1]);
	cells[2] = timestamp_show(b->drawn_at, at);
	cells[3] = buf_cstr(&a[2]);
	cells[4] = buf_cstr(&a[3]);
	cells[5] = buf_cstr(&a[4]);
	buf_printf(&a[5], "%llu", (unsigned long long)rows);
	cells[6] = buf_cstr(&a[5]);
	site_table_row(tb, cells);
	for (i = 0; i < 6; i++)
		buf_release(&a[i]);
	free(link);
	free(tl);
}

int
pages_write(const struct pages_site *r, pages_put put, void *arg)
{
	struct site_table	 tb;
	const struct config	*cfg = r->b[r->nb - 1].cfg;
	const struct pages_batch	*b;
	struct buf		 page = BUF_INIT, t = BUF_INIT, f = BUF_INIT;
	char			*name, *title, *sub;
	size_t			*which, n, i, j;
	int			 ret = -1;

	which = xcalloc(r->nb, sizeof(*which));
	footer(r, &f);
	/* the index: every batch of the period */
	title = xasprintf("%s%s“双随机、一公开”抽查工作报告%s",
	    cfg->authority, r->period, r->public ? "（公开版）" : "");
	sub = xasprintf("抽查计划 %s：%s。共 %zu 个批次已完成随机抽取。",
	    cfg->plan_id, cfg->plan_name, r->nb);
	site_begin(&page, title, sub, 1);
	free(title);
	free(sub);
	site_h2(&page, "batches", "抽查批次");
	site_table_begin(&tb, &page, NULL, batch_cols);
	for (i = 0; i < r->nb; i++) {
		batch_row(&r->b[i], &tb);
		which[i] = i;
	}
	site_table_end(&tb);
	sections(r, cfg, which, r->nb, "all", &page);
	site_end(&page, buf_cstr(&f));
	if (put(arg, "index.html", &page) == -1)
		goto out;
	/* one page per task, with its batches */
	for (i = 0; i < r->nb; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(r->b[j].task->id, r->b[i].task->id) == 0)
				break;
		if (j < i)
			continue;
		for (j = i, n = 0; j < r->nb; j++)
			if (strcmp(r->b[j].task->id, r->b[i].task->id) == 0)
				which[n++] = j;
		b = &r->b[i];
		buf_reset(&page);
		buf_reset(&t);
		buf_printf(&t, "任务 %s，牵头部门 %s%s%s，%s，%s。", b->task->id,
		    b->task->lead, b->task->njoint > 0 ? "（部门联合抽查）" :
		    "", "", b->task->targeted ? "定向抽查" : "不定向抽查",
		    type_names[b->task->type]);
		site_begin(&page, b->task->name, buf_cstr(&t), 0);
		site_h2(&page, "batches", "本任务的批次");
		site_table_begin(&tb, &page, NULL, batch_cols);
		for (j = 0; j < n; j++)
			batch_row(&r->b[which[j]], &tb);
		site_table_end(&tb);
		name = page_name("task", b->task->id);
		sections(r, b->cfg, which, n, "task", &page);
		site_end(&page, buf_cstr(&f));
		ret = put(arg, name, &page);
		free(name);
		if (ret == -1)
			goto out;
		ret = -1;
	}
	/* one page per batch */
	for (i = 0; i < r->nb; i++) {
		b = &r->b[i];
		buf_reset(&page);
		buf_reset(&t);
		title = xasprintf("%s（%s）", b->task->name, b->cb->name);
		/*
		 * The seed gives every enterprise's ticket, hence the strata
		 * (docs/protocol.md §8.1): full reports only.
		 */
		buf_printf(&t, "批次 %s，抽取 %llu 户", b->id,
		    (unsigned long long)b->v.targets);
		if (!r->public)
			buf_printf(&t, "，种子 %s", b->seed);
		buf_addstr(&t, "。");
		site_begin(&page, title, buf_cstr(&t), 0);
		free(title);
		name = page_name("task", b->task->id);
		buf_addstr(&page, "<p>所属抽查任务：");
		site_link(&page, name, b->task->name);
		buf_addstr(&page, "</p>\n");
		free(name);
		which[0] = i;
		sections(r, b->cfg, which, 1, "batch", &page);
		site_end(&page, buf_cstr(&f));
		name = page_name("batch", b->id);
		ret = put(arg, name, &page);
		free(name);
		if (ret == -1)
			goto out;
		ret = -1;
	}
	buf_reset(&page);
	buf_addstr(&page, site_stylesheet);
	if (put(arg, "style.css", &page) == -1)
		goto out;
	ret = 0;
out:
	free(which);
	buf_release(&page);
	buf_release(&t);
	buf_release(&f);
	return ret;
}

void
pages_batch_release(struct pages_batch *b)
{
	free(b->id);
	free(b->committed_at);
	free(b->drawn_at);
	free(b->witnesses);
	free(b->seed);
	view_release(&b->v);
	memset(b, 0, sizeof(*b));
}
