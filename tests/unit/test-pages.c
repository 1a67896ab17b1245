/*
 * Unit tests of the report's pages (pages.c): the files of a site, the
 * figures of a batch on its pages, exact fractions, and what a public
 * site hides -- class names, small classes, a class the total would give
 * away, the replacements' reasons.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "config.h"
#include "pages.h"
#include "xmalloc.h"

static const char plan[] =
	"version: 1\n"
	"plan: {id: P1, name: 计划, year: 2026}\n"
	"authority:\n"
	"  name: 景德镇市市场监督管理局\n"
	"  division: 360200\n"
	"  departments: [{code: ZJ, name: 质量科}]\n"
	"  divisions: {\"360203\": 珠山区}\n"
	"items:\n"
	"  - {code: I1, name: 事项一, department: ZJ}\n"
	"sampling:\n"
	"  general: {classes: {A: 5%, B: 3%, C: {ratio: 10%, min: 1}, "
	"D: 30%}}\n"
	"tasks:\n"
	"  - id: T1\n"
	"    name: 任务一\n"
	"    items: [I1]\n"
	"    lead: ZJ\n"
	"    workload: {per_batch: 4}\n"
	"    batches:\n"
	"      - {id: B1, name: 第一批, draw: 2026-04-08, window: "
	"{from: 2026-04-13, to: 2026-05-29}}\n"
	"calendar: {years: [2026]}\n";

/* Targets drawn from class C (the floor: 1), and the threshold. */
static const char	*c_drawn = "1";
static uint64_t		 threshold = 10;

/* The files put receives, by name. */
struct files {
	char	*name[16];
	char	*body[16];
	size_t	 n;
};

static int
put(void *arg, const char *name, const struct buf *body)
{
	struct files	*f = arg;

	assert_true(f->n < 16);
	f->name[f->n] = xstrdup(name);
	f->body[f->n] = xstrdup(body->data);
	f->n++;
	return 0;
}

static const char *
file(const struct files *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->name[i], name) == 0)
			return f->body[i];
	fail_msg("no file '%s'", name);
	return NULL;
}

static void
files_release(struct files *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++) {
		free(f->name[i]);
		free(f->body[i]);
	}
	memset(f, 0, sizeof(*f));
}

/*
 * One batch: A 5 of 100, B 1 of 30, C 1 of 4 (the floor), D 0 of 12; two
 * inspectors with loads 4 and 3; a replacement with its reason.
 */
static void
batch(struct config *cfg, struct pages_batch *b)
{
	static const char *const strata[][3] = {
		{ "0\tA", "100", "5" }, { "0\tB", "30", "1" },
		{ "0\tC", "4", NULL }, { "0\tD", "12", "0" },
	};
	size_t	 i;

	memset(b, 0, sizeof(*b));
	b->id = xstrdup("B1");
	b->committed_at = xstrdup("2026-04-08T01:00:00Z");
	b->drawn_at = xstrdup("2026-04-08T01:05:00Z");
	b->witnesses = xstrdup("notary");
	b->seed = xstrdup("00");
	b->round = 4242;
	b->cfg = cfg;
	b->cb = config_find_batch(cfg, "B1", &b->task);
	assert_non_null(b->cb);
	for (i = 0; i < 4; i++) {
		pages_tally_add(&b->v.strata, strata[i][0], S_POOL,
		    strtoull(strata[i][1], NULL, 10));
		pages_tally_add(&b->v.strata, strata[i][0], S_DRAWN,
		    strtoull(strata[i][2] != NULL ? strata[i][2] : c_drawn,
		    NULL, 10));
	}
	pages_tally_add(&b->v.strata, "0\tA", S_RNUM, 5);
	pages_tally_add(&b->v.strata, "0\tA", S_RDEN, 100);
	pages_tally_add(&b->v.strata, "0\tC", S_MIN, 2);
	pages_tally_add(&b->v.divisions, "360203", 0, 7);
	pages_tally_add(&b->v.industries, "C3074", 0, 7);
	pages_tally_add(&b->v.loads, "C1", 0, 4);
	pages_tally_add(&b->v.loads, "C2", 0, 3);
	pages_tally_add(&b->v.depts, "ZJ\tC1", 0, 4);
	pages_tally_add(&b->v.depts, "ZJ\tC2", 0, 3);
	pages_tally_add(&b->v.reasons, "近亲属回避", 0, 1);
	b->v.targets = 7;
	b->v.replacements = 1;
}

static void
write(int public, struct files *f)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct pages_site	 s;
	struct pages_batch	 b;
	struct config		*cfg;

	cfg = config_load_buffer(plan, strlen(plan), "t.yaml", 0, &errs);
	config_errors_print(&errs, stderr);
	config_errors_release(&errs);
	assert_non_null(cfg);
	batch(cfg, &b);
	memset(&s, 0, sizeof(s));
	s.public = public;
	s.threshold = threshold;
	s.today = date_from_ymd(2026, 12, 4);
	s.period = xstrdup("2026年度");
	s.b = &b;
	s.nb = 1;
	memset(f, 0, sizeof(*f));
	assert_int_equal(pages_write(&s, put, f), 0);
	pages_batch_release(&b);
	free(s.period);
	config_free(cfg);
}

static void
test_pages__the_full_site(void **state)
{
	struct files	 f;
	const char	*p;

	(void)state;
	write(0, &f);
	assert_int_equal(f.n, 4);
	p = file(&f, "index.html");
	assert_non_null(strstr(p, "<h1>景德镇市市场监督管理局2026年度“双随机、"
	    "一公开”抽查工作报告</h1>"));
	/* exact fractions, the plan's ratio, the floor */
	assert_non_null(strstr(p, "<td>A 信用风险低</td><td class=\"n\">100"
	    "</td><td class=\"n\">5</td><td class=\"n\">1/20</td><td "
	    "class=\"n\">5.0%</td><td class=\"n\">5.0%</td><td>—</td>"));
	assert_non_null(strstr(p, "<td>C 信用风险较高</td><td class=\"n\">4"
	    "</td><td class=\"n\">1</td><td class=\"n\">1/4</td>"));
	assert_non_null(strstr(p, "不少于1户"));
	assert_non_null(strstr(p, "<td>360203 珠山区</td><td class=\"n\">7"
	    "</td>"));
	assert_non_null(strstr(p, "近亲属回避"));
	assert_non_null(strstr(p, ">4242</td>"));
	/* loads 3 and 4 against the batch's cap */
	p = file(&f, "batch-B1.html");
	assert_non_null(strstr(p, "计划规定每批次每人不超过 4 户"));
	assert_non_null(strstr(p, ">上限 4</text>"));
	assert_non_null(strstr(p, "href=\"task-T1.html\""));
	assert_non_null(file(&f, "task-T1.html"));
	assert_non_null(strstr(file(&f, "style.css"), "@media print"));
	files_release(&f);
}

static void
test_pages__the_public_site_hides(void **state)
{
	struct files	 f;
	size_t		 i;

	(void)state;
	write(1, &f);
	for (i = 0; i < f.n; i++) {
		assert_null(strstr(f.body[i], "信用风险低"));
		assert_null(strstr(f.body[i], "信用风险一般"));
		assert_null(strstr(f.body[i], "信用风险较高"));
		assert_null(strstr(f.body[i], "信用风险高"));
		assert_null(strstr(f.body[i], "近亲属回避"));
	}
	/*
	 * B has 1 drawn and C 4 members: hidden; A (5 drawn of 100) too,
	 * with fewer than 10 drawn; D (12, none drawn) is shown.
	 */
	assert_non_null(strstr(f.body[0], "<td>A类</td><td class=\"n\">&lt;10"
	    "</td><td class=\"n\">&lt;10</td><td class=\"n\">—</td>"));
	assert_non_null(strstr(f.body[0], "<td>B类</td><td class=\"n\">&lt;10"
	    "</td>"));
	assert_non_null(strstr(f.body[0], "<td>C类</td><td class=\"n\">&lt;10"
	    "</td>"));
	assert_non_null(strstr(f.body[0], "<td>D类</td><td class=\"n\">12"
	    "</td><td class=\"n\">0</td><td class=\"n\">0/1</td>"));
	assert_non_null(strstr(f.body[0], "公开版"));
	files_release(&f);
}

/*
 * Threshold 5, none drawn from C: B alone is hidden among the classes
 * drawn, and the total (7) would give it away: A, the smallest shown,
 * is hidden with it.
 */
static void
test_pages__a_lone_hidden_class_takes_another(void **state)
{
	struct files	 f;

	(void)state;
	c_drawn = "0";
	threshold = 5;
	write(1, &f);
	c_drawn = "1";
	threshold = 10;
	assert_non_null(strstr(f.body[0], "<td>B类</td><td class=\"n\">&lt;5"
	    "</td>"));
	assert_non_null(strstr(f.body[0], "<td>A类</td><td class=\"n\">&lt;5"
	    "</td>"));
	assert_non_null(strstr(f.body[0], "<td>D类</td><td class=\"n\">12"
	    "</td>"));
	files_release(&f);
	/* with C drawn too, two are hidden: A is shown */
	threshold = 5;
	write(1, &f);
	threshold = 10;
	assert_non_null(strstr(f.body[0], "<td>A类</td><td class=\"n\">100"
	    "</td><td class=\"n\">5</td><td class=\"n\">1/20</td>"));
	files_release(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages__the_full_site),
		cmocka_unit_test(test_pages__the_public_site_hides),
		cmocka_unit_test(test_pages__a_lone_hidden_class_takes_another),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
