/*
 * Unit tests of the plan loader: every key, its default and its errors
 * (with their exact line:col), ratios, includes, the calendar files and
 * the Jingdezhen example.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "beacon.h"
#include "config.h"
#include "crypto.h"
#include "xmalloc.h"

/*
 * A small valid plan, one section per macro so that a test can swap one.
 * Lines: HEAD 1-2, AUTH 3-8, ITEMS 9-11, SAMPLING 12-14, TASKS 15-21,
 * CAL 22; whatever a test appends starts on line 23.
 */
#define HEAD	"version: 1\n" \
		"plan: {id: P1, name: 计划, year: 2026}\n"
#define AUTH	"authority:\n" \
		"  name: 景德镇市市场监督管理局\n" \
		"  division: 360200\n" \
		"  departments:\n" \
		"    - {code: ZJ, name: 质量科}\n" \
		"    - {code: XF, name: 消防}\n"
#define ITEMS	"items:\n" \
		"  - {code: I1, name: 事项一, department: ZJ}\n" \
		"  - {code: I2, name: 事项二, type: key, department: XF}\n"
#define SAMPLING "sampling:\n" \
		"  general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}\n" \
		"  key: {classes: {A: 5%, B: 10%, C: 50%, D: 100%}}\n"
#define TASKS	"tasks:\n" \
		"  - id: T1\n" \
		"    name: 任务\n" \
		"    items: [I1]\n" \
		"    lead: ZJ\n" \
		"    batches:\n" \
		"      - {id: B1, draw: 2026-04-08, window: " \
		"{from: 2026-04-13, to: 2026-05-29}}\n"
#define CAL	"calendar: {years: [2026]}\n"
#define PLAN	HEAD AUTH ITEMS SAMPLING TASKS CAL

static struct config *load(const char *, struct config_errors *);
static char	*messages(const struct config_errors *);
static void	 expect(const char *, const char *);
static void	 expect_has(const char *, const char *);
static char	*srcpath(const char *);
static char	*write_file(const char *, const char *, const char *);
static char	*subst(const char *, const char *);

static char	 tmpdir[64];

static struct config *
load(const char *yaml, struct config_errors *errs)
{
	return config_load_buffer(yaml, strlen(yaml), "t.yaml",
	    CONFIG_NO_INCLUDE, errs);
}

/* Every message as `ssj check` prints it. */
static char *
messages(const struct config_errors *errs)
{
	char	*s = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&s, &len)) == NULL)
		fail_msg("open_memstream");
	config_errors_print(errs, fp);
	fclose(fp);
	return s;
}

/* The plan gives exactly these messages; it loads iff none is an error. */
static void
expect(const char *yaml, const char *want)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*got;

	cfg = load(yaml, &errs);
	got = messages(&errs);
	if (strcmp(got, want) != 0)
		fail_msg("messages differ\n--- want\n%s--- got\n%s---", want,
		    got);
	if ((cfg == NULL) != (errs.nerrors > 0))
		fail_msg("loaded %s with %zu errors",
		    cfg != NULL ? "a plan" : "nothing", errs.nerrors);
	free(got);
	config_free(cfg);
	config_errors_release(&errs);
}

/* The plan fails with, among others, this message line. */
static void
expect_has(const char *yaml, const char *line)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*got, *want;

	cfg = load(yaml, &errs);
	got = messages(&errs);
	want = xasprintf("%s\n", line);
	if (strstr(got, want) == NULL)
		fail_msg("no message\n%s--- got\n%s---", want, got);
	assert_null(cfg);
	free(want);
	free(got);
	config_errors_release(&errs);
}

/* A file of the source tree, wherever the test runs from. */
static char *
srcpath(const char *rel)
{
	const char	*me = __FILE__;
	const char	*tail = "tests/unit/test-config.c";
	size_t		 n = strlen(me) - strlen(tail);
	char		*p;

	p = xasprintf("%.*s%s", (int)n, me, rel);
	return p;
}

static char *
write_file(const char *dir, const char *name, const char *text)
{
	char	*p;
	FILE	*fp;

	p = xasprintf("%s/%s", dir, name);
	if ((fp = fopen(p, "w")) == NULL)
		fail_msg("cannot write '%s'", p);
	fputs(text, fp);
	fclose(fp);
	return p;
}

/* The text with every '@' replaced by dir. */
static char *
subst(const char *text, const char *dir)
{
	char	*out, *o;
	size_t	 n = 1;
	const char *t;

	for (t = text; *t != '\0'; t++)
		n += *t == '@' ? strlen(dir) : 1;
	out = o = xmalloc(n);
	for (t = text; *t != '\0'; t++) {
		if (*t == '@') {
			memcpy(o, dir, strlen(dir));
			o += strlen(dir);
		} else
			*o++ = *t;
	}
	*o = '\0';
	return out;
}

static int
setup_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-config.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown_tmpdir(void **state)
{
	char	*cmd;
	int	 rc;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static void
test_config__minimal_plan_and_defaults(void **state)
{
	struct config_errors		 errs = { NULL, 0, 0 };
	struct config			*cfg;
	const struct config_task	*t;
	const struct config_batch	*b;
	unsigned char			 digest[CRYPTO_DIGEST_BYTES];
	size_t				 i;

	(void)state;
	cfg = load(PLAN, &errs);
	assert_non_null(cfg);
	assert_int_equal(errs.n, 0);
	assert_int_equal(cfg->version, 1);
	assert_string_equal(cfg->path, "t.yaml");
	assert_string_equal(cfg->plan_id, "P1");
	assert_string_equal(cfg->plan_name, "计划");
	assert_int_equal(cfg->year, 2026);
	assert_string_equal(cfg->authority, "景德镇市市场监督管理局");
	/* A plain YAML integer is taken as the text it is. */
	assert_string_equal(cfg->division, "360200");
	assert_int_equal(cfg->ndepartments, 2);
	assert_string_equal(cfg->departments[1].code, "XF");
	assert_string_equal(cfg->departments[1].name, "消防");
	assert_int_equal(cfg->ndivisions, 0);
	assert_string_equal(cfg->public_key, "keys/ssj.pub");
	assert_string_equal(cfg->secret_key, "keys/ssj.key");
	/* Default risk classes (国市监信发〔2022〕6号). */
	assert_int_equal(cfg->nclasses, 4);
	assert_string_equal(cfg->classes[0].code, "A");
	assert_string_equal(cfg->classes[0].name, "信用风险低");
	assert_string_equal(cfg->classes[1].name, "信用风险一般");
	assert_string_equal(cfg->classes[2].name, "信用风险较高");
	assert_string_equal(cfg->classes[3].code, "D");
	assert_string_equal(cfg->classes[3].name, "信用风险高");
	assert_int_equal(cfg->nitems, 2);
	assert_int_equal(cfg->items[0].type, ITEM_GENERAL);
	assert_int_equal(cfg->items[1].type, ITEM_KEY);
	assert_null(cfg->items[0].basis);
	assert_null(cfg->items[0].qualification);
	for (i = 0; i < 4; i++) {
		assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[i].min, -1);
		assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[i].max, -1);
		assert_int_equal(
		    cfg->sampling[ITEM_GENERAL].quotas[i].ratio.den, 100);
	}
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[2].ratio.num, 10);
	assert_int_equal(cfg->sampling[ITEM_KEY].quotas[3].ratio.num, 100);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].certain, 0);
	assert_int_equal(cfg->nquiet, 0);
	assert_int_equal(cfg->ntasks, 1);
	t = &cfg->tasks[0];
	assert_string_equal(t->id, "T1");
	assert_int_equal(t->type, ITEM_GENERAL);
	assert_int_equal(t->njoint, 0);
	assert_int_equal(t->targeted, 0);
	assert_int_equal(t->team_size, 2);
	assert_int_equal(t->experts, 0);
	assert_int_equal(t->cap_per_batch, 0);
	assert_int_equal(t->cap_per_year, 0);
	assert_int_equal(t->exclude_same_item_year, 1);
	assert_int_equal(t->annual_cap, 0);
	assert_int_equal(t->apply_quiet_periods, 1);
	assert_int_equal(t->rotation, 1);
	assert_int_equal(t->public_names, 0);
	assert_string_equal(t->pos.file, "t.yaml");
	assert_int_equal(t->pos.line, 16);
	assert_int_equal(t->pos.col, 5);
	assert_int_equal(t->nbatches, 1);
	b = &t->batches[0];
	assert_string_equal(b->name, "B1");	/* the id, when unnamed */
	assert_int_equal(b->draw_date, date_from_ymd(2026, 4, 8));
	assert_int_equal(b->window_from, date_from_ymd(2026, 4, 13));
	assert_int_equal(b->window_to, date_from_ymd(2026, 5, 29));
	assert_int_equal(b->pos.line, 21);
	assert_int_equal(b->pos.col, 9);
	assert_true(calendar_covers(&cfg->calendar, b->draw_date));
	crypto_digest(PLAN, strlen(PLAN), digest);
	assert_memory_equal(cfg->digest, digest, sizeof(digest));
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_config__every_key(void **state)
{
	static const char yaml[] =
	    "version: 1\n"
	    "plan: {id: 3602002026001, name: 年度计划, year: 2026}\n"
	    "authority:\n"
	    "  name: 局\n"
	    "  division: \"360200\"\n"
	    "  departments: [{code: ZJ, name: 质量科}, "
	    "{code: XF, name: 消防}]\n"
	    "  divisions: {360202: 昌江区, \"360203\": 珠山区}\n"
	    "keys: {public: k/p.pub, secret: /etc/ssj/s.key}\n"
	    "calendar:\n"
	    "  years: [2026, 2025]\n"
	    "  holidays:\n"
	    "    - 2026-06-01\n"
	    "    - {name: 国庆节, from: 2026-10-01, to: 2026-10-07}\n"
	    "    - {name: 端午, date: 2026-06-19}\n"
	    "  workdays: [2026-10-10, {name: 调休, date: 2026-09-20}]\n"
	    "risk_classes:\n"
	    "  - {code: A, name: 低}\n"
	    "  - {code: E, name: 很高}\n"
	    "items:\n"
	    "  - code: I1\n"
	    "    name: 事项\n"
	    "    basis: |\n"
	    "      第一条\n"
	    "      第二条\n"
	    "    type: general\n"
	    "    department: ZJ\n"
	    "    qualification: CCC\n"
	    "  - {code: I2, name: 重点, type: key, department: XF}\n"
	    "sampling:\n"
	    "  general:\n"
	    "    classes: {A: 2.5%, E: {ratio: 30%, min: 1, max: 200}}\n"
	    "    certain: [serious]\n"
	    "  key: {classes: {A: 0%, E: 100%}, certain: [abnormal, serious]}\n"
	    "quiet_periods:\n"
	    "  - name: 园区\n"
	    "    divisions: [\"360203\", \"36\"]\n"
	    "    monthly: {from: 1, to: 25}\n"
	    "    exempt: [T1]\n"
	    "  - {name: 博览会, divisions: 3602, from: 2026-10-16, "
	    "to: 2026-10-20}\n"
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 联合\n"
	    "    items: [I1, I2]\n"
	    "    lead: ZJ\n"
	    "    joint: XF\n"
	    "    filter:\n"
	    "      industry: [C38, C3074, M]\n"
	    "      division: [\"3602\", \"360281\"]\n"
	    "      entity_type: [enterprise, individual, cooperative, foreign, "
	    "other]\n"
	    "      certificate: CCC\n"
	    "    team: {size: 3, experts: 1}\n"
	    "    workload: {per_batch: 10, per_year: 40}\n"
	    "    exclude: {same_item_year: false, annual_cap: 2, "
	    "quiet_periods: False, rotation: FALSE}\n"
	    "    public_names: true\n"
	    "    batches:\n"
	    "      - id: T1-1\n"
	    "        name: 第一批\n"
	    "        draw: 2026-04-08\n"
	    "        window: {from: 2026-04-08, to: 2026-04-08}\n";
	struct config_errors		 errs = { NULL, 0, 0 };
	struct config			*cfg;
	const struct config_task	*t;
	const struct config_quiet	*q;

	(void)state;
	cfg = config_load_buffer(yaml, strlen(yaml), "plans/t.yaml",
	    CONFIG_NO_INCLUDE, &errs);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.v[0].msg, "division '36' is not within the "
	    "authority's area '360200'");
	assert_true(errs.v[0].warning);
	assert_int_equal(errs.v[0].line, 36);
	assert_int_equal(errs.v[0].col, 27);
	assert_non_null(cfg);
	assert_string_equal(cfg->plan_id, "3602002026001");
	assert_int_equal(cfg->ndivisions, 2);
	assert_string_equal(cfg->divisions[0].code, "360202");
	assert_string_equal(config_division_name(cfg, "360203"), "珠山区");
	/* Keys are relative to the plan's directory; absolute ones stay. */
	assert_string_equal(cfg->public_key, "plans/k/p.pub");
	assert_string_equal(cfg->secret_key, "/etc/ssj/s.key");
	assert_int_equal(cfg->calendar.nyears, 2);
	assert_int_equal(cfg->calendar.years[0], 2025);
	assert_int_equal(cfg->calendar.nholidays, 3);
	assert_null(cfg->calendar.holidays[0].name);
	assert_string_equal(cfg->calendar.holidays[1].name, "国庆节");
	assert_int_equal(cfg->calendar.holidays[2].from,
	    cfg->calendar.holidays[2].to);
	assert_int_equal(cfg->calendar.nworkdays, 2);
	assert_string_equal(cfg->calendar.workdays[1].name, "调休");
	assert_false(calendar_is_workday(&cfg->calendar,
	    date_from_ymd(2026, 6, 1)));
	assert_true(calendar_is_workday(&cfg->calendar,
	    date_from_ymd(2026, 10, 10)));
	assert_int_equal(cfg->nclasses, 2);
	assert_string_equal(cfg->classes[1].name, "很高");
	assert_string_equal(cfg->items[0].basis, "第一条\n第二条\n");
	assert_string_equal(cfg->items[0].qualification, "CCC");
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[0].ratio.num, 25);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[0].ratio.den, 1000);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[1].min, 1);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[1].max, 200);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].certain, CERTAIN_SERIOUS);
	assert_int_equal(cfg->sampling[ITEM_KEY].certain,
	    CERTAIN_ABNORMAL | CERTAIN_SERIOUS);
	assert_int_equal(cfg->sampling[ITEM_KEY].quotas[0].ratio.num, 0);
	assert_int_equal(cfg->nquiet, 2);
	q = &cfg->quiet[0];
	assert_int_equal(q->ndivisions, 2);
	assert_int_equal(q->monthly_from, 1);
	assert_int_equal(q->monthly_to, 25);
	assert_int_equal(q->nexempt_tasks, 1);
	assert_string_equal(q->exempt_tasks[0], "T1");
	q = &cfg->quiet[1];
	assert_int_equal(q->ndivisions, 1);
	assert_string_equal(q->divisions[0], "3602");
	assert_int_equal(q->monthly_from, 0);
	assert_int_equal(q->from, date_from_ymd(2026, 10, 16));
	assert_int_equal(q->to, date_from_ymd(2026, 10, 20));
	assert_int_equal(q->pos.line, 39);
	t = &cfg->tasks[0];
	assert_int_equal(t->type, ITEM_KEY);
	assert_int_equal(t->njoint, 1);
	assert_string_equal(t->joint[0], "XF");
	assert_true(t->targeted);
	assert_int_equal(t->filter.nindustries, 3);
	assert_string_equal(t->filter.industries[2], "M");
	assert_int_equal(t->filter.ndivisions, 2);
	assert_int_equal(t->filter.nentity_types, 5);
	assert_int_equal(t->filter.ncertificates, 1);
	assert_int_equal(t->team_size, 3);
	assert_int_equal(t->experts, 1);
	assert_int_equal(t->cap_per_batch, 10);
	assert_int_equal(t->cap_per_year, 40);
	assert_int_equal(t->exclude_same_item_year, 0);
	assert_int_equal(t->annual_cap, 2);
	assert_int_equal(t->apply_quiet_periods, 0);
	assert_int_equal(t->rotation, 0);
	assert_int_equal(t->public_names, 1);
	assert_string_equal(t->batches[0].name, "第一批");
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_config__jingdezhen_example_loads(void **state)
{
	struct config_errors		 errs = { NULL, 0, 0 };
	struct config			*cfg;
	const struct config_task	*t;
	const struct config_batch	*b;
	unsigned char			 digest[CRYPTO_DIGEST_BYTES];
	char				*path, *out = NULL, *got;
	size_t				 len = 0;
	FILE				*fp;

	(void)state;
	path = srcpath("config/examples/jingdezhen.yaml");
	cfg = config_load(path, &errs);
	got = messages(&errs);
	if (errs.n != 0)
		fail_msg("messages:\n%s", got);
	free(got);
	assert_non_null(cfg);
	assert_string_equal(cfg->division, "360200");
	assert_int_equal(cfg->ndepartments, 4);
	assert_non_null(config_find_department(cfg, "XF"));
	assert_string_equal(config_division_name(cfg, "360281"), "乐平市");
	assert_int_equal(cfg->calendar.nyears, 2);
	assert_true(calendar_covers(&cfg->calendar, date_from_ymd(2025, 3,
	    1)));
	assert_false(calendar_is_workday(&cfg->calendar,
	    date_from_ymd(2026, 10, 1)));
	assert_int_equal(calendar_add_workdays(&cfg->calendar,
	    date_from_ymd(2026, 9, 18), 20), date_from_ymd(2026, 10, 22));
	assert_int_equal(cfg->ntasks, 5);
	t = config_find_task(cfg, "JDZ-2026-XFCP");
	assert_non_null(t);
	assert_int_equal(t->type, ITEM_KEY);
	assert_int_equal(t->njoint, 1);
	assert_true(t->targeted);
	t = config_find_task(cfg, "JDZ-2026-INFO");
	assert_non_null(t);
	assert_false(t->targeted);
	b = config_find_batch(cfg, "JDZ-2026-CCC-2", &t);
	assert_non_null(b);
	assert_string_equal(t->id, "JDZ-2026-CCC");
	assert_int_equal(cfg->nquiet, 2);
	assert_int_equal(cfg->quiet[0].monthly_to, 25);
	assert_int_equal(config_find_class(cfg, "D", 1), 3);
	assert_int_equal(crypto_digest_file(path, digest), 0);
	assert_memory_equal(cfg->digest, digest, sizeof(digest));
	if ((fp = open_memstream(&out, &len)) == NULL)
		fail_msg("open_memstream");
	config_print_summary(cfg, fp);
	fclose(fp);
	assert_string_equal(out, "景德镇市市场监督管理局 (360200), plan "
	    "3602002026001 for 2026: 4 departments, 6 items (3 general, "
	    "3 key), risk classes A/B/C/D, 5 tasks (4 targeted, 1 untargeted; "
	    "1 joint), 7 batches drawn from 2026-04-08 to 2026-10-14, "
	    "official calendars for 2025 and 2026.\n");
	free(out);
	free(path);
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_config__calendar_files_follow_the_notices(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*plan, *text, *got;

	(void)state;
	/* A plan in config/examples/ includes both as the example does. */
	plan = srcpath("config/examples/unit-test-plan.yaml");
	text = xasprintf("%s%s", HEAD AUTH ITEMS SAMPLING TASKS,
	    "calendar: {include: [../calendars/cn-2025.yaml, "
	    "../calendars/cn-2026.yaml]}\n");
	cfg = config_load_buffer(text, strlen(text), plan, 0, &errs);
	got = messages(&errs);
	if (errs.n != 0)
		fail_msg("messages:\n%s", got);
	free(got);
	assert_non_null(cfg);
	assert_int_equal(cfg->calendar.nyears, 2);
	assert_int_equal(calendar_count_workdays(&cfg->calendar,
	    date_from_ymd(2026, 1, 1), date_from_ymd(2026, 12, 31)), 248);
	assert_int_equal(calendar_count_workdays(&cfg->calendar,
	    date_from_ymd(2025, 1, 1), date_from_ymd(2025, 12, 31)), 248);
	assert_int_equal(cfg->calendar.nholidays, 13);
	assert_int_equal(cfg->calendar.nworkdays, 11);
	assert_string_equal(cfg->calendar.holidays[1].name, "春节");
	assert_true(calendar_is_workday(&cfg->calendar,
	    date_from_ymd(2025, 1, 26)));
	assert_true(calendar_is_workday(&cfg->calendar,
	    date_from_ymd(2026, 9, 20)));
	assert_int_equal(calendar_add_workdays(&cfg->calendar,
	    date_from_ymd(2026, 9, 18), 20), date_from_ymd(2026, 10, 22));
	config_free(cfg);
	config_errors_release(&errs);
	free(text);
	free(plan);
}

static void
test_config__unknown_keys(void **state)
{
	(void)state;
	expect(PLAN "windw: 1\n",
	    "t.yaml:23:1: unknown key 'windw' at the top level; expected one "
	    "of: version, plan, authority, keys, calendar, risk_classes, "
	    "items, sampling, quiet_periods, tasks, beacon, imports, "
	    "schedule, report\n");
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    leader: ZJ\n"
	    "    team: {size: 2, expert: 1}\n"
	    "    filter: {industries: [C38]}\n"
	    "    workload: {batch: 1}\n"
	    "    exclude: {same_item: true}\n"
	    "    batches:\n"
	    "      - {id: B1, draw: 2026-04-08, windw: 1, window: {from: "
	    "2026-04-13, to: 2026-05-29, until: 1}}\n"
	    CAL,
	    "t.yaml:20:5: unknown key 'leader' in task; expected one of: id, "
	    "name, items, lead, joint, filter, team, workload, exclude, "
	    "public_names, batches, public_list\n"
	    "t.yaml:21:21: unknown key 'expert' in team; expected one of: "
	    "size, experts\n"
	    "t.yaml:22:14: unknown key 'industries' in filter; expected one "
	    "of: industry, division, entity_type, certificate\n"
	    "t.yaml:23:16: unknown key 'batch' in workload; expected one of: "
	    "per_batch, per_year\n"
	    "t.yaml:24:15: unknown key 'same_item' in exclude; expected one "
	    "of: same_item_year, annual_cap, quiet_periods, rotation\n"
	    "t.yaml:26:36: unknown key 'windw' in batch; expected one of: id, "
	    "name, draw, window, commit\n"
	    "t.yaml:26:89: unknown key 'until' in window; expected one of: "
	    "from, to\n");
	expect("version: 1\n"
	    "plan: {id: P1, name: 计划, year: 2026, owner: x}\n"
	    "authority:\n"
	    "  name: 局\n"
	    "  division: 360200\n"
	    "  departments: [{code: ZJ, name: 质量科, head: x}]\n"
	    "  level: city\n"
	    "keys: {private: x}\n"
	    "calendar: {year: 2026, holidays: [{day: 2026-06-01}], "
	    "workdays: [{date: 2026-10-10, why: x}]}\n"
	    "risk_classes: [{code: A, name: a, level: 1}]\n"
	    "items: [{code: I1, name: x, department: ZJ, dept: ZJ}]\n"
	    "sampling: {general: {classes: {A: {ratio: 1%, minimum: 1}}, "
	    "sure: []}, special: {}}\n"
	    "quiet_periods: [{name: q, divisions: 3602, monthly: {from: 1, "
	    "to: 2, every: 1}, except: []}]\n"
	    "tasks: []\n",
	    "t.yaml:2:38: unknown key 'owner' in 'plan'; expected one of: id, "
	    "name, year\n"
	    "t.yaml:6:39: unknown key 'head' in department; expected one of: "
	    "code, name\n"
	    "t.yaml:7:3: unknown key 'level' in 'authority'; expected one of: "
	    "name, division, departments, divisions\n"
	    "t.yaml:8:8: unknown key 'private' in 'keys'; expected one of: "
	    "public, secret\n"
	    "t.yaml:9:12: unknown key 'year' in 'calendar'; expected one of: "
	    "include, years, holidays, workdays\n"
	    "t.yaml:9:35: missing key 'date' (or 'from' and 'to') in holiday\n"
	    "t.yaml:9:36: unknown key 'day' in holiday; expected one of: "
	    "name, date, from, to\n"
	    "t.yaml:9:85: unknown key 'why' in workday; expected one of: "
	    "name, date\n"
	    "t.yaml:10:35: unknown key 'level' in risk class; expected one "
	    "of: code, name\n"
	    "t.yaml:11:45: unknown key 'dept' in item; expected one of: code, "
	    "name, basis, type, department, qualification\n"
	    "t.yaml:12:47: unknown key 'minimum' in quota; expected one of: "
	    "ratio, min, max\n"
	    "t.yaml:12:61: unknown key 'sure' in 'sampling.general'; expected "
	    "one of: classes, certain\n"
	    "t.yaml:12:72: unknown key 'special' in 'sampling'; expected one "
	    "of: general, key, unclassified\n"
	    "t.yaml:13:70: unknown key 'every' in 'monthly'; expected one of: "
	    "from, to\n"
	    "t.yaml:13:81: unknown key 'except' in quiet period; expected one "
	    "of: name, divisions, monthly, from, to, exempt\n"
	    "t.yaml:14:8: warning: the plan has no tasks\n");
}

static void
test_config__duplicate_keys(void **state)
{
	(void)state;
	expect(PLAN "version: 1\n",
	    "t.yaml:23:1: duplicate key 'version' (first at 1:1)\n");
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - {id: T1, name: a, name: b, items: [I1], lead: ZJ, batches: "
	    "[{id: B1, draw: 2026-04-08, draw: 2026-04-09, window: {from: "
	    "2026-04-13, to: 2026-05-29}}]}\n" CAL,
	    "t.yaml:16:23: duplicate key 'name' (first at 16:14)\n"
	    "t.yaml:16:92: duplicate key 'draw' (first at 16:74)\n");
	/* Quoting does not make another key: "360202" is 360202. */
	expect(HEAD AUTH "  divisions: {360202: a, \"360202\": b}\n"
	    ITEMS SAMPLING TASKS CAL,
	    "t.yaml:9:26: duplicate key '360202' (first at 9:15)\n");
}

static void
test_config__missing_keys_and_values(void **state)
{
	(void)state;
	expect("version: 1\n",
	    "t.yaml:1:1: missing key 'plan' at the top level\n"
	    "t.yaml:1:1: missing key 'authority' at the top level\n"
	    "t.yaml:1:1: missing key 'items' at the top level\n"
	    "t.yaml:1:1: missing key 'sampling' at the top level\n"
	    "t.yaml:1:1: missing key 'tasks' at the top level\n");
	expect_has(PLAN "plan: {}\n",
	    "t.yaml:23:1: duplicate key 'plan' (first at 2:1)");
	expect("plan: {id: P1, name: 计划, year: 2026}\n"
	    AUTH ITEMS SAMPLING TASKS CAL,
	    "t.yaml:1:1: missing key 'version' at the top level\n");
	expect("version: 1\nplan: {id: P1, year: 2026}\n"
	    AUTH ITEMS SAMPLING TASKS CAL,
	    "t.yaml:2:7: missing key 'name' in 'plan'\n");
	/* "key:" is YAML's null: no value, reported at the key. */
	expect("version: 1\nplan:\n  id: P1\n  name:\n  year: 2026\n"
	    AUTH ITEMS SAMPLING TASKS CAL,
	    "t.yaml:4:3: missing value for 'name' in 'plan'\n");
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: ~\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    joint:\n"
	    "    team: null\n"
	    "    batches:\n"
	    "      - {id: B1, draw: 2026-04-08}\n" CAL,
	    "t.yaml:17:5: missing value for 'name' in task\n"
	    "t.yaml:23:9: missing key 'window' in batch\n");
	/* A quoted null is a string, not a null. */
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: \"null\"\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    batches: [{id: B1, draw: 2026-04-08, window: {from: "
	    "2026-04-13, to: 2026-05-29}}]\n" CAL,
	    "");
}

static void
test_config__wrong_types(void **state)
{
	(void)state;
	expect("version: 1\n"
	    "plan: [P1]\n"
	    "authority:\n"
	    "  name: {a: b}\n"
	    "  division: 3602\n"
	    "  departments: {code: ZJ}\n"
	    "  divisions: [360202]\n"
	    "keys: k\n"
	    "calendar: [2026]\n"
	    "risk_classes: {A: a}\n"
	    "items: I1\n"
	    "sampling: {general: 1%, key: {classes: [A], certain: {a: 1}}}\n"
	    "quiet_periods: {name: q}\n"
	    "tasks: {id: T1}\n",
	    "t.yaml:2:7: 'plan' must be a mapping, not a sequence\n"
	    "t.yaml:4:9: 'name' must be a string, not a mapping\n"
	    "t.yaml:5:13: 'division' must be a division code of 6 digits "
	    "(GB/T 2260), not '3602'\n"
	    "t.yaml:6:16: 'departments' must be a sequence, not a mapping\n"
	    "t.yaml:7:14: 'divisions' must be a mapping, not a sequence\n"
	    "t.yaml:8:7: 'keys' must be a mapping, not 'k'\n"
	    "t.yaml:9:11: 'calendar' must be a mapping, not a sequence\n"
	    "t.yaml:10:15: 'risk_classes' must be a sequence, not a mapping\n"
	    "t.yaml:11:8: 'items' must be a sequence, not 'I1'\n"
	    "t.yaml:12:21: 'general' must be a mapping, not '1%'\n"
	    "t.yaml:12:40: 'classes' must be a mapping, not a sequence\n"
	    "t.yaml:12:54: 'certain' must be a sequence, not a mapping\n"
	    "t.yaml:13:16: 'quiet_periods' must be a sequence, not a mapping\n"
	    "t.yaml:14:8: 'tasks' must be a sequence, not a mapping\n");
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T 1\n"
	    "    name: [任务]\n"
	    "    items: [[I1]]\n"
	    "    lead: ZJ\n"
	    "    team: {size: two}\n"
	    "    public_names: yes\n"
	    "    batches:\n"
	    "      - {id: B1, draw: 2026-4-8, window: {from: 2026-02-30, "
	    "to: 20260529}}\n"
	    "      - [B2]\n" CAL,
	    "t.yaml:16:9: 'id' must be a code of letters, digits, '.', '_' "
	    "and '-', not 'T 1'\n"
	    "t.yaml:17:11: 'name' must be a string, not a sequence\n"
	    "t.yaml:18:13: each entry of 'items' must be a string, not a "
	    "sequence\n"
	    "t.yaml:20:18: 'size' must be an integer, not 'two'\n"
	    "t.yaml:21:19: 'public_names' must be true or false, not 'yes'\n"
	    "t.yaml:23:24: 'draw' must be a date (YYYY-MM-DD), not "
	    "'2026-4-8'\n"
	    "t.yaml:23:49: 'from' must be a real date from 1900 on, not "
	    "'2026-02-30'\n"
	    "t.yaml:23:65: 'to' must be a date (YYYY-MM-DD), not '20260529'\n"
	    "t.yaml:24:9: each entry of 'batches' must be a mapping, not a "
	    "sequence\n");
}

static void
test_config__scalars(void **state)
{
	(void)state;
	/* Integers: decimal with an optional sign, quoted or not. */
	expect(HEAD AUTH ITEMS SAMPLING TASKS CAL
	    "quiet_periods:\n"
	    "  - {name: a, divisions: 3602, monthly: {from: \"+1\", "
	    "to: 0x1F}}\n"
	    "  - {name: b, divisions: 3602, monthly: {from: 1_0, to: 32}}\n"
	    "  - {name: c, divisions: 3602, monthly: {from: -1, to: 1.5}}\n",
	    "t.yaml:24:58: 'to' must be an integer, not '0x1F'\n"
	    "t.yaml:25:48: 'from' must be an integer, not '1_0'\n"
	    "t.yaml:25:57: 'to' must be at most 31, not '32'\n"
	    "t.yaml:26:48: 'from' must be at least 1, not '-1'\n"
	    "t.yaml:26:56: 'to' must be an integer, not '1.5'\n");
	/* Booleans: YAML 1.2's core forms, not YAML 1.1's yes/no/on/off. */
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: t\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    exclude: {same_item_year: True, rotation: on, "
	    "quiet_periods: \"false\"}\n"
	    "    public_names: No\n"
	    "    batches: [{id: B1, draw: 2026-04-08, window: {from: "
	    "2026-04-13, to: 2026-05-29}}]\n" CAL,
	    "t.yaml:20:47: 'rotation' must be true or false, not 'on'\n"
	    "t.yaml:21:19: 'public_names' must be true or false, not 'No'\n");
	/* Text: not empty, no control characters (but newlines in 'basis'). */
	expect(HEAD AUTH
	    "items:\n"
	    "  - {code: I1, name: \"\", department: ZJ}\n"
	    "  - {code: I2, name: \"a\\tb\", department: ZJ, "
	    "basis: \"a\\nb\"}\n"
	    "  - {code: I3, name: \"a\\0b\", department: ZJ, "
	    "basis: \"\\x1b\"}\n"
	    "  - {code: -I4, name: x, department: ZJ}\n"
	    "  - {code: 事项, name: x, department: ZJ}\n"
	    "  - {code: "
	    "A2345678901234567890123456789012345678901234567890123456789012345"
	    ", name: x, department: ZJ, qualification: \"\"}\n"
	    "  - {code: a.b_c-D, name: x, department: ZJ}\n"
	    SAMPLING TASKS CAL,
	    "t.yaml:10:22: 'name' must not be empty\n"
	    "t.yaml:11:22: 'name' must not contain control characters\n"
	    "t.yaml:12:22: 'name' must not contain control characters\n"
	    "t.yaml:12:53: 'basis' must not contain control characters\n"
	    "t.yaml:13:12: 'code' must be a code of letters, digits, '.', '_' "
	    "and '-', not '-I4'\n"
	    "t.yaml:14:12: 'code' must be a code of letters, digits, '.', '_' "
	    "and '-', not '事项'\n"
	    "t.yaml:15:12: 'code' must be at most 64 characters long\n"
	    "t.yaml:15:119: 'qualification' must be a code of letters, "
	    "digits, '.', '_' and '-', not ''\n");
}

/* The ratio parser on its own: one item type, one class. */
static void
ratio(const char *text, uint64_t num, uint64_t den, const char *err)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*yaml, *want, *got;

	yaml = xasprintf(HEAD AUTH
	    "items: [{code: I1, name: x, department: ZJ}]\n"
	    "risk_classes: [{code: A, name: a}]\n"
	    "sampling: {general: {classes: {A: %s}}}\n"
	    "tasks: []\n", text);
	cfg = load(yaml, &errs);
	got = messages(&errs);
	if (err == NULL) {
		if (cfg == NULL)
			fail_msg("'%s' refused:\n%s", text, got);
		assert_int_equal(
		    cfg->sampling[ITEM_GENERAL].quotas[0].ratio.num, num);
		assert_int_equal(
		    cfg->sampling[ITEM_GENERAL].quotas[0].ratio.den, den);
	} else {
		want = xasprintf("t.yaml:11:35: %s\n", err);
		if (strstr(got, want) == NULL)
			fail_msg("'%s': want %s got %s", text, want, got);
		assert_null(cfg);
		free(want);
	}
	free(got);
	free(yaml);
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_config__ratios(void **state)
{
	(void)state;
	ratio("5%", 5, 100, NULL);
	ratio("2.5%", 25, 1000, NULL);
	ratio("0%", 0, 100, NULL);
	ratio("100%", 100, 100, NULL);
	ratio("100.000%", 100000, 100000, NULL);
	ratio("0.000001%", 1, 100000000, NULL);
	ratio("12.345678%", 12345678, 100000000, NULL);
	ratio("05%", 5, 100, NULL);
	ratio("\"7.5%\"", 75, 1000, NULL);
	ratio("'33.30%'", 3330, 10000, NULL);
	ratio("0.05", 0, 0, "ratio '0.05' must be a percentage: write '5%'");
	ratio("0.025", 0, 0, "ratio '0.025' must be a percentage: write "
	    "'2.5%'");
	ratio("0.5", 0, 0, "ratio '0.5' must be a percentage: write '50%'");
	ratio("1.0", 0, 0, "ratio '1.0' is ambiguous: write '1%' or '100%'");
	ratio("1", 0, 0, "ratio '1' is ambiguous: write '1%' or '100%'");
	ratio("01.000", 0, 0, "ratio '01.000' is ambiguous: write '1%' or "
	    "'100%'");
	ratio("1.01", 0, 0, "ratio '1.01' must be a percentage: write "
	    "'101%'");
	ratio("0.00001", 0, 0, "ratio '0.00001' must be a percentage: write "
	    "'0.001%'");
	ratio("0.10", 0, 0, "ratio '0.10' must be a percentage: write '10%'");
	ratio("5", 0, 0, "ratio '5' must be a percentage: write '5%'");
	ratio("100.5%", 0, 0, "ratio '100.5%' is more than 100%");
	ratio("101%", 0, 0, "ratio '101%' is more than 100%");
	ratio("99999999999999999999999%", 0, 0,
	    "ratio '99999999999999999999999%' is more than 100%");
	ratio("1.1234567%", 0, 0, "ratio '1.1234567%' has more than 6 "
	    "decimals");
	ratio("-5%", 0, 0, "ratio '-5%' must be a percentage such as '5%' or "
	    "'2.5%'");
	ratio("5 %", 0, 0, "ratio '5 %' must be a percentage such as '5%' or "
	    "'2.5%'");
	ratio(".5%", 0, 0, "ratio '.5%' must be a percentage such as '5%' or "
	    "'2.5%'");
	ratio("5.%", 0, 0, "ratio '5.%' must be a percentage such as '5%' or "
	    "'2.5%'");
	ratio("5%%", 0, 0, "ratio '5%%' must be a percentage such as '5%' or "
	    "'2.5%'");
	ratio("5e-2", 0, 0, "ratio '5e-2' must be a percentage such as '5%' "
	    "or '2.5%'");
	ratio("\"%\"", 0, 0, "ratio '%' must be a percentage such as '5%' or "
	    "'2.5%'");
	ratio("五%", 0, 0, "ratio '五%' must be a percentage such as '5%' or "
	    "'2.5%'");
	ratio("[5%]", 0, 0, "the quota of risk class 'A' must be a percentage "
	    "or a mapping, not a sequence");
}

static void
test_config__quotas(void **state)
{
	(void)state;
	expect(HEAD AUTH ITEMS
	    "sampling:\n"
	    "  general: {classes: {A: {ratio: 1%, min: 5, max: 2}, "
	    "B: {min: 1}, "
	    "C: {ratio: 3%, min: -1}, D: {ratio: 4%, max: 1000000001}}}\n"
	    "  key: {classes: {A: 5%, B: 10%, C: 50%, E: 1%}}\n"
	    TASKS CAL,
	    "t.yaml:13:51: 'max' (2) is less than 'min' (5)\n"
	    "t.yaml:13:58: missing key 'ratio' in quota\n"
	    "t.yaml:13:88: 'min' must be at least 0, not '-1'\n"
	    "t.yaml:13:113: 'max' must be at most 1000000000, not "
	    "'1000000001'\n"
	    "t.yaml:14:18: no quota for risk class 'D' in 'sampling.key'\n"
	    "t.yaml:14:42: unknown risk class 'E'; expected one of: A, B, C, "
	    "D\n");
	/* min == max is a fixed count. */
	expect(HEAD AUTH ITEMS
	    "sampling:\n"
	    "  general: {classes: {A: {ratio: 0%, min: 3, max: 3}, B: 1%, "
	    "C: 1%, D: 1%}}\n"
	    "  key: {classes: {A: 5%, B: 10%, C: 50%, D: 1%}}\n"
	    TASKS CAL,
	    "");
}

static void
test_config__risk_classes_and_sampling(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	static const char	 five[] = HEAD AUTH ITEMS
	    "risk_classes: [{code: A, name: a}, {code: B, name: b}, "
	    "{code: C, name: c}, {code: D, name: d}, {code: E, name: e}]\n"
	    "sampling:\n"
	    "  general: {classes: {E: 100%, A: 1%, B: 2%, C: 3%, D: 4%}, "
	    "certain: [abnormal]}\n"
	    "  key: {classes: {A: 1%, B: 2%, C: 3%, D: 4%, E: 5%}}\n"
	    TASKS CAL;

	(void)state;
	/* Five classes (山东): quotas in class order, not written order. */
	cfg = load(five, &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->nclasses, 5);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[4].ratio.num, 100);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[0].ratio.num, 1);
	assert_int_equal(cfg->sampling[ITEM_GENERAL].certain,
	    CERTAIN_ABNORMAL);
	assert_int_equal(config_find_class(cfg, "E", 1), 4);
	assert_int_equal(config_find_class(cfg, "EX", 1), 4);
	assert_int_equal(config_find_class(cfg, "EX", 2), -1);
	config_free(cfg);
	config_errors_release(&errs);
	expect(HEAD AUTH ITEMS
	    "risk_classes: [{code: A, name: a}, {code: A, name: b}, "
	    "{name: c}]\n"
	    "sampling: {general: {classes: {A: 1%}, certain: [abnormal, "
	    "abnormal, wanted]}, key: {classes: {A: 1%}}}\n" TASKS CAL,
	    "t.yaml:12:43: duplicate risk class 'A' (first at 12:23)\n"
	    "t.yaml:12:56: missing key 'code' in risk class\n"
	    "t.yaml:13:60: duplicate entry 'abnormal' in 'certain' (first at "
	    "13:50)\n"
	    "t.yaml:13:70: unknown target set 'wanted'; expected one of: "
	    "abnormal, serious\n");
	/* Without usable classes, the defaults keep the rest quiet. */
	expect(HEAD AUTH ITEMS "risk_classes: []\n" SAMPLING TASKS CAL,
	    "t.yaml:12:15: 'risk_classes' must not be empty\n");
	/* Sampling of a type is needed only when an item has that type. */
	expect(HEAD AUTH ITEMS
	    "sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n"
	    TASKS CAL,
	    "t.yaml:12:11: missing key 'key' in 'sampling': item 'I2' is a "
	    "key item\n");
	expect(HEAD AUTH "items: [{code: I1, name: x, department: ZJ}]\n"
	    "sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n"
	    TASKS CAL,
	    "");
}

static void
test_config__references(void **state)
{
	(void)state;
	expect(HEAD AUTH
	    "items:\n"
	    "  - {code: I1, name: 事项一, department: ZJ}\n"
	    "  - {code: I2, name: 事项二, type: special, department: QQ}\n"
	    SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1, I9, I1]\n"
	    "    lead: XX\n"
	    "    joint: [XF, ZJ, RZ, XF]\n"
	    "    batches: [{id: B1, draw: 2026-04-08, window: "
	    "{from: 2026-04-13, to: 2026-05-29}}]\n"
	    CAL
	    "quiet_periods:\n"
	    "  - {name: q, divisions: 3602, monthly: {from: 1, to: 25}, "
	    "exempt: [T1, B1, T2]}\n",
	    "t.yaml:11:33: 'type' must be 'general' or 'key', not 'special'\n"
	    "t.yaml:11:54: unknown department 'QQ'; expected one of: ZJ, XF\n"
	    "t.yaml:18:17: unknown item 'I9'; expected one of: I1, I2\n"
	    "t.yaml:18:21: duplicate entry 'I1' in 'items' (first at 18:13)\n"
	    "t.yaml:19:11: unknown department 'XX'; expected one of: ZJ, XF\n"
	    "t.yaml:20:21: unknown department 'RZ'; expected one of: ZJ, XF\n"
	    "t.yaml:20:25: duplicate entry 'XF' in 'joint' (first at 20:13)\n"
	    "t.yaml:24:73: unknown task 'B1'; expected one of: T1\n"
	    "t.yaml:24:77: unknown task 'T2'; expected one of: T1\n");
	/* No cascade: codes are not checked against a list that is not one. */
	expect(HEAD
	    "authority: {name: 局, division: 360200, "
	    "departments: {ZJ: 质量科}}\n"
	    "items: {code: I1}\n"
	    "sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n"
	    "tasks: [{id: T1, name: t, items: [I1], lead: ZJ, joint: XF, "
	    "batches: [{id: B1, draw: 2026-04-08, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}]}]\n"
	    "quiet_periods: [{name: q, divisions: 3602, from: 2026-01-01, "
	    "to: 2026-01-02, exempt: T9}]\n",
	    "t.yaml:3:53: 'departments' must be a sequence, not a mapping\n"
	    "t.yaml:4:8: 'items' must be a sequence, not a mapping\n"
	    "t.yaml:6:106: warning: no official calendar for 2026: working "
	    "days count Monday to Friday only\n"
	    "t.yaml:7:86: unknown task 'T9'; expected one of: T1\n");
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1, I2]\n"
	    "    lead: ZJ\n"
	    "    joint: [ZJ]\n"
	    "    batches: [{id: B1, draw: 2026-04-08, window: "
	    "{from: 2026-04-13, to: 2026-05-29}}]\n" CAL,
	    "t.yaml:18:12: warning: item 'I2' belongs to department 'XF', "
	    "which neither leads nor joins the task\n"
	    "t.yaml:20:13: department 'ZJ' leads the task; it cannot also be "
	    "in 'joint'\n");
}

static void
test_config__ids_are_unique(void **state)
{
	(void)state;
	expect(HEAD
	    "authority:\n"
	    "  name: 局\n"
	    "  division: 360200\n"
	    "  departments: [{code: ZJ, name: a}, {code: ZJ, name: b}]\n"
	    "items: [{code: I1, name: a, department: ZJ}, {code: I1, name: b, "
	    "department: ZJ}]\n"
	    "sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n"
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: a\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    batches:\n"
	    "      - {id: B1, draw: 2026-04-08, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n"
	    "      - {id: T1, draw: 2026-04-08, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n"
	    "  - id: T2\n"
	    "    name: b\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    batches:\n"
	    "      - {id: B1, draw: 2026-04-08, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n"
	    "  - id: T2\n"
	    "    name: c\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    batches:\n"
	    "      - {id: B3, draw: 2026-04-08, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n" CAL,
	    "t.yaml:6:45: duplicate department 'ZJ' (first at 6:24)\n"
	    "t.yaml:7:53: duplicate item 'I1' (first at 7:16)\n"
	    "t.yaml:16:14: duplicate id 'T1' (first at 10:9)\n"
	    "t.yaml:22:14: duplicate id 'B1' (first at 15:14)\n"
	    "t.yaml:23:9: duplicate id 'T2' (first at 17:9)\n");
}

static void
test_config__dates_and_windows(void **state)
{
	(void)state;
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    batches:\n"
	    "      - {id: B1, draw: 2026-04-14, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n"
	    "      - {id: B2, draw: 2026-04-08, window: {from: 2026-04-13, "
	    "to: 2026-04-12}}\n"
	    "      - {id: B3, draw: 2025-12-01, window: {from: 2025-12-08, "
	    "to: 2026-01-30}}\n"
	    "      - {id: B4, draw: 2026-12-01, window: {from: 2026-12-08, "
	    "to: 2027-01-08}}\n"
	    "      - {id: B5, draw: 2026-04-13, window: {from: 2026-04-13, "
	    "to: 2026-04-13}}\n"
	    CAL,
	    "t.yaml:21:24: draw date 2026-04-14 is after the window's start "
	    "2026-04-13\n"
	    "t.yaml:22:67: window ends on 2026-04-12, before it starts on "
	    "2026-04-13\n"
	    "t.yaml:23:44: window 2025-12-08 to 2026-01-30 is not inside the "
	    "plan year 2026\n"
	    "t.yaml:24:44: window 2026-12-08 to 2027-01-08 is not inside the "
	    "plan year 2026\n");
}

static void
test_config__working_day_warnings(void **state)
{
	(void)state;
	/* Warnings only: the plan still loads. */
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    batches:\n"
	    "      - {id: B1, draw: 2026-04-06, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n"
	    "      - {id: B2, draw: 2026-04-11, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n"
	    "      - {id: B3, draw: 2026-02-28, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}\n"
	    "calendar: {holidays: [{name: 清明节, from: 2026-04-04, "
	    "to: 2026-04-06}], workdays: [2026-02-28]}\n",
	    "t.yaml:21:24: warning: draw date 2026-04-06 is not a working day "
	    "(清明节)\n"
	    "t.yaml:21:44: warning: no official calendar for 2026: working "
	    "days count Monday to Friday only\n"
	    "t.yaml:22:24: warning: draw date 2026-04-11 is not a working day "
	    "(a Saturday)\n"
	    "t.yaml:22:44: warning: no official calendar for 2026: working "
	    "days count Monday to Friday only\n"
	    "t.yaml:23:44: warning: no official calendar for 2026: working "
	    "days count Monday to Friday only\n");
}

static void
test_config__holidays_and_workdays(void **state)
{
	(void)state;
	expect(PLAN "# calendar errors\n"
	    "quiet_periods: []\n",
	    "");
	expect(HEAD AUTH ITEMS SAMPLING TASKS
	    "calendar:\n"
	    "  years: [2026, 1899, x]\n"
	    "  holidays:\n"
	    "    - {name: a, date: 2026-06-01, from: 2026-06-01, "
	    "to: 2026-06-02}\n"
	    "    - {name: b, from: 2026-06-01}\n"
	    "    - {name: c, to: 2026-06-01}\n"
	    "    - {name: d}\n"
	    "    - {name: e, from: 2026-06-10, to: 2026-06-01}\n"
	    "    - {name: f, from: 2026-01-01, to: 2027-01-02}\n"
	    "    - [2026-06-01]\n"
	    "    - {name: 国庆节, from: 2026-10-01, to: 2026-10-07}\n"
	    "  workdays:\n"
	    "    - 2026-05-08\n"
	    "    - {name: x, date: 2026-10-04}\n"
	    "    - 2026-10-10\n"
	    "    - {name: y}\n"
	    "    - 7\n",
	    "t.yaml:23:17: each entry of 'years' must be at least 1900, not "
	    "'1899'\n"
	    "t.yaml:23:23: each entry of 'years' must be an integer, not 'x'\n"
	    "t.yaml:25:7: a holiday takes either 'date' or 'from' and 'to', "
	    "not both\n"
	    "t.yaml:26:7: missing key 'to' in holiday\n"
	    "t.yaml:27:7: missing key 'from' in holiday\n"
	    "t.yaml:28:7: missing key 'date' (or 'from' and 'to') in holiday\n"
	    "t.yaml:29:39: holiday ends on 2026-06-01, before it starts on "
	    "2026-06-10\n"
	    "t.yaml:30:39: holiday is longer than 366 days\n"
	    "t.yaml:31:7: each entry of 'holidays' must be a date or a "
	    "mapping, not a sequence\n"
	    "t.yaml:34:7: make-up working day 2026-05-08 is a Friday; only a "
	    "Saturday or a Sunday can be one\n"
	    "t.yaml:35:23: 2026-10-04 is both a make-up working day and a "
	    "holiday ('国庆节')\n"
	    "t.yaml:37:7: missing key 'date' in workday\n"
	    "t.yaml:38:7: each entry of 'workdays' must be a date "
	    "(YYYY-MM-DD), not '7'\n");
}

static void
test_config__quiet_periods(void **state)
{
	(void)state;
	expect(PLAN
	    "quiet_periods:\n"
	    "  - {name: a, divisions: [\"36020\", \"3602\"], "
	    "monthly: {from: 1, "
	    "to: 25}, from: 2026-01-01}\n"
	    "  - {name: b, divisions: [], from: 2026-02-01}\n"
	    "  - {name: c, divisions: \"360203\"}\n"
	    "  - {name: d, divisions: [\"360203\"], monthly: {from: 26, "
	    "to: 5}}\n"
	    "  - {name: e, divisions: [\"360203\"], from: 2026-03-01, "
	    "to: 2026-02-01}\n"
	    "  - {name: f, divisions: [\"360303\", \"37\"], "
	    "monthly: {to: 5}}\n",
	    "t.yaml:24:5: a quiet period takes either 'monthly' or 'from' and "
	    "'to', not both\n"
	    "t.yaml:24:27: each entry of 'divisions' must be a division code "
	    "or prefix of 2, 4 or 6 digits, not '36020'\n"
	    "t.yaml:25:5: missing key 'to' in quiet period\n"
	    "t.yaml:25:26: 'divisions' must not be empty\n"
	    "t.yaml:26:5: missing key 'monthly' (or 'from' and 'to') in quiet "
	    "period\n"
	    "t.yaml:27:62: 'monthly' ends on day 5, before it starts on day "
	    "26\n"
	    "t.yaml:28:60: quiet period ends on 2026-02-01, before it starts "
	    "on 2026-03-01\n"
	    "t.yaml:29:27: warning: division '360303' is not within the "
	    "authority's area '360200'\n"
	    "t.yaml:29:37: warning: division '37' is not within the "
	    "authority's area '360200'\n"
	    "t.yaml:29:53: missing key 'from' in 'monthly'\n");
}

static void
test_config__filters(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;

	(void)state;
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    filter:\n"
	    "      industry: [C, C3, C385, C3851, C38511, c38, U1, \"3851\", "
	    "C38x]\n"
	    "      division: [\"36\", \"3602\", \"360281\", \"360\", "
	    "\"36028\", 3602811]\n"
	    "      entity_type: [enterprise, company, Individual]\n"
	    "      certificate: [CCC, \"C C C\"]\n"
	    "    batches: [{id: B1, draw: 2026-04-08, window: "
	    "{from: 2026-04-13, to: 2026-05-29}}]\n" CAL,
	    "t.yaml:21:38: each entry of 'industry' must be an industry code "
	    "or prefix (GB/T 4754: a letter A-T and up to 4 digits, e.g. "
	    "'C3851'), not 'C38511'\n"
	    "t.yaml:21:46: each entry of 'industry' must be an industry code "
	    "or prefix (GB/T 4754: a letter A-T and up to 4 digits, e.g. "
	    "'C3851'), not 'c38'\n"
	    "t.yaml:21:51: each entry of 'industry' must be an industry code "
	    "or prefix (GB/T 4754: a letter A-T and up to 4 digits, e.g. "
	    "'C3851'), not 'U1'\n"
	    "t.yaml:21:55: each entry of 'industry' must be an industry code "
	    "or prefix (GB/T 4754: a letter A-T and up to 4 digits, e.g. "
	    "'C3851'), not '3851'\n"
	    "t.yaml:21:63: each entry of 'industry' must be an industry code "
	    "or prefix (GB/T 4754: a letter A-T and up to 4 digits, e.g. "
	    "'C3851'), not 'C38x'\n"
	    "t.yaml:22:18: warning: division '36' is not within the "
	    "authority's area '360200'\n"
	    "t.yaml:22:42: each entry of 'division' must be a division code "
	    "or prefix of 2, 4 or 6 digits, not '360'\n"
	    "t.yaml:22:49: each entry of 'division' must be a division code "
	    "or prefix of 2, 4 or 6 digits, not '36028'\n"
	    "t.yaml:22:58: each entry of 'division' must be a division code "
	    "or prefix of 2, 4 or 6 digits, not '3602811'\n"
	    "t.yaml:23:33: unknown entity type 'company'; expected one of: "
	    "enterprise, individual, cooperative, foreign, other\n"
	    "t.yaml:23:42: unknown entity type 'Individual'; expected one of: "
	    "enterprise, individual, cooperative, foreign, other\n"
	    "t.yaml:24:26: each entry of 'certificate' must be a code of "
	    "letters, digits, '.', '_' and '-', not 'C C C'\n");
	/* An empty filter mapping filters nothing: untargeted (不定向). */
	cfg = load(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - {id: T1, name: t, items: I1, lead: ZJ, filter: {}, batches: "
	    "[{id: B1, draw: 2026-04-08, window: {from: 2026-04-13, "
	    "to: 2026-05-29}}]}\n"
	    "  - {id: T2, name: t, items: I1, lead: ZJ, filter: {certificate: "
	    "CMA}, batches: [{id: B2, draw: 2026-04-08, window: {from: "
	    "2026-04-13, to: 2026-05-29}}]}\n" CAL, &errs);
	assert_non_null(cfg);
	assert_false(cfg->tasks[0].targeted);
	assert_true(cfg->tasks[1].targeted);
	assert_string_equal(cfg->tasks[1].filter.certificates[0], "CMA");
	assert_int_equal(cfg->tasks[1].nitems, 1);
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_config__team_and_workload(void **state)
{
	(void)state;
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    team: {size: 1, experts: -1}\n"
	    "    workload: {per_batch: 10, per_year: 5}\n"
	    "    exclude: {annual_cap: 400}\n"
	    "    batches: []\n" CAL,
	    "t.yaml:20:18: 'size' must be at least 2, not '1'; the law "
	    "requires two inspectors on every check (行政处罚法)\n"
	    "t.yaml:20:30: 'experts' must be at least 0, not '-1'\n"
	    "t.yaml:21:27: 'per_batch' (10) is more than 'per_year' (5)\n"
	    "t.yaml:22:27: 'annual_cap' must be at most 366, not '400'\n"
	    "t.yaml:23:14: 'batches' must not be empty\n");
	/* per_year 0 means no yearly cap: any per_batch goes. */
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - id: T1\n"
	    "    name: 任务\n"
	    "    items: [I1]\n"
	    "    lead: ZJ\n"
	    "    workload: {per_batch: 10, per_year: 0}\n"
	    "    batches: [{id: B1, draw: 2026-04-08, window: "
	    "{from: 2026-04-13, to: 2026-05-29}}]\n" CAL,
	    "");
}

static void
test_config__authority(void **state)
{
	(void)state;
	expect(HEAD
	    "authority:\n"
	    "  name: 局\n"
	    "  division: \"36020\"\n"
	    "  departments: []\n"
	    "  divisions: {\"36020\": a, 360281: \"\", 360302: b}\n"
	    "items: [{code: I1, name: a, department: ZJ}]\n"
	    "sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n"
	    "tasks: []\n",
	    "t.yaml:5:13: 'division' must be a division code of 6 digits "
	    "(GB/T 2260), not '36020'\n"
	    "t.yaml:6:16: 'departments' must not be empty\n"
	    "t.yaml:7:15: each key of 'divisions' must be a division code of "
	    "6 digits (GB/T 2260), not '36020'\n"
	    "t.yaml:7:35: each name in 'divisions' must not be empty\n"
	    "t.yaml:8:41: unknown department 'ZJ'; expected one of: (none)\n"
	    "t.yaml:10:8: warning: the plan has no tasks\n");
	/* A province: its area is every code under 36. */
	expect("version: 1\nplan: {id: P1, name: 计划, year: 2026}\n"
	    "authority:\n"
	    "  name: 江西省市场监督管理局\n"
	    "  division: 360000\n"
	    "  departments: [{code: ZJ, name: 质量科}, "
	    "{code: XF, name: 消防}]\n"
	    "  divisions: {360281: 乐平市, 110000: 北京市}\n"
	    ITEMS SAMPLING TASKS CAL,
	    "t.yaml:7:28: warning: division '110000' is not within the "
	    "authority's area '360000'\n");
}

static void
test_config__keys(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	static const char	 yaml[] = PLAN "keys: {public: a.pub}\n";

	(void)state;
	cfg = config_load_buffer(yaml, strlen(yaml), "/srv/ssj/plan.yaml",
	    CONFIG_NO_INCLUDE, &errs);
	assert_non_null(cfg);
	assert_string_equal(cfg->public_key, "/srv/ssj/a.pub");
	assert_string_equal(cfg->secret_key, "/srv/ssj/keys/ssj.key");
	config_free(cfg);
	config_errors_release(&errs);
	expect(PLAN "keys: {public: k, secret: k}\n",
	    "t.yaml:23:7: 'public' and 'secret' name the same file 'k'\n");
	expect(PLAN "keys: {public: \"\"}\n",
	    "t.yaml:23:16: 'public' must not be empty\n");
}

static void
test_config__imports(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	static const char	 given[] = PLAN "imports: {max_removals: 12.5%}\n";

	(void)state;
	cfg = config_load_buffer(PLAN, strlen(PLAN), "t.yaml",
	    CONFIG_NO_INCLUDE, &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->max_removals.num, 5);
	assert_int_equal(cfg->max_removals.den, 100);
	assert_string_equal(cfg->max_removals_text, "5%");
	config_free(cfg);
	config_errors_release(&errs);
	cfg = config_load_buffer(given, strlen(given), "t.yaml",
	    CONFIG_NO_INCLUDE, &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->max_removals.num, 125);
	assert_int_equal(cfg->max_removals.den, 1000);
	assert_string_equal(cfg->max_removals_text, "12.5%");
	config_free(cfg);
	config_errors_release(&errs);
	expect(PLAN "imports: {max_removals: 0.05}\n",
	    "t.yaml:23:25: ratio '0.05' must be a percentage: write '5%'\n");
	expect(PLAN "imports: {max_remove: 5%}\n",
	    "t.yaml:23:11: unknown key 'max_remove' in 'imports'; expected "
	    "one of: max_removals\n");
}

/* report: the smallest class a public report shows the counts of. */
static void
test_config__report(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	static const char	 given[] = PLAN "report: {public_min: 25}\n";

	(void)state;
	cfg = config_load_buffer(PLAN, strlen(PLAN), "t.yaml",
	    CONFIG_NO_INCLUDE, &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->report_public_min, 10);
	config_free(cfg);
	config_errors_release(&errs);
	cfg = config_load_buffer(given, strlen(given), "t.yaml",
	    CONFIG_NO_INCLUDE, &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->report_public_min, 25);
	config_free(cfg);
	config_errors_release(&errs);
	expect(PLAN "report: {public_min: 0}\n",
	    "t.yaml:23:22: 'public_min' must be at least 1, not '0'\n");
	expect(PLAN "report: {public: 5}\n",
	    "t.yaml:23:10: unknown key 'public' in 'report'; expected one "
	    "of: public_min\n");
	expect(PLAN "report: 5\n",
	    "t.yaml:23:9: 'report' must be a mapping, not '5'\n");
}

static void
test_config__version(void **state)
{
	(void)state;
	/* Another version: nothing else is worth saying. */
	expect("version: 2\nfoo: bar\n",
	    "t.yaml:1:10: unsupported plan version 2; this ssj reads version "
	    "1\n");
	expect("version: one\nfoo: bar\n",
	    "t.yaml:1:10: 'version' must be an integer, not 'one'\n");
	expect_has("version: 0\n" PLAN,
	    "t.yaml:1:10: unsupported plan version 0; this ssj reads version "
	    "1");
}

static void
test_config__empty_lists(void **state)
{
	(void)state;
	expect(HEAD AUTH "items: []\n"
	    "sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n"
	    "tasks: []\n",
	    "t.yaml:9:8: 'items' must not be empty\n"
	    "t.yaml:11:8: warning: the plan has no tasks\n");
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks: [{id: T1, name: t, items: [], lead: ZJ, batches: [{id: B1, "
	    "draw: 2026-04-08, window: {from: 2026-04-13, to: 2026-05-29}}]}]\n"
	    CAL,
	    "t.yaml:15:34: 'items' must not be empty\n");
}

static void
test_config__syntax_errors(void **state)
{
	(void)state;
	expect("version: 1\nplan: {id: x\n  name: y}\n",
	    "t.yaml:3:7: syntax error: did not find expected ',' or '}' "
	    "(while parsing a flow mapping at 2:7)\n");
	expect("version: 1\n  bad: indent\n",
	    "t.yaml:2:6: syntax error: mapping values are not allowed in this "
	    "context\n");
	expect("version: 1\nplan:\n\t- x\n",
	    "t.yaml:3:1: syntax error: found character that cannot start any "
	    "token (while scanning for the next token at 3:1)\n");
	expect("version: 1\nx: \"abc\n",
	    "t.yaml:3:1: syntax error: found unexpected end of stream (while "
	    "scanning a quoted scalar at 2:4)\n");
	/* The reader gives an offset, turned into a line and a column. */
	expect("version: 1\nname: 景德\xff\n",
	    "t.yaml:2:9: syntax error: invalid leading UTF-8 octet (0xFF)\n");
	expect("version: 1\n---\nversion: 1\n",
	    "t.yaml:2:1: more than one document in the file\n");
	expect("",
	    "t.yaml: no YAML document in the file\n");
	expect("# only a comment\n",
	    "t.yaml: no YAML document in the file\n");
	expect("---\n",
	    "t.yaml:2:1: the plan must be a mapping, not an empty value\n");
	expect("- version: 1\n",
	    "t.yaml:1:1: the plan must be a mapping, not a sequence\n");
	expect("plan\n",
	    "t.yaml:1:1: the plan must be a mapping, not 'plan'\n");
	expect("? [a]\n: 1\n",
	    "t.yaml:1:1: missing key 'version' at the top level\n"
	    "t.yaml:1:1: missing key 'plan' at the top level\n"
	    "t.yaml:1:1: missing key 'authority' at the top level\n"
	    "t.yaml:1:1: missing key 'items' at the top level\n"
	    "t.yaml:1:1: missing key 'sampling' at the top level\n"
	    "t.yaml:1:1: missing key 'tasks' at the top level\n"
	    "t.yaml:1:3: mapping keys must be scalars\n");
}

static void
test_config__aliases(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*deep;
	size_t			 i;

	(void)state;
	/* Anchors share a filter, the batches' window, a quota. */
	cfg = load(HEAD AUTH ITEMS
	    "sampling:\n"
	    "  general: {classes: {A: &q {ratio: 1%, min: 1}, B: *q, C: *q, "
	    "D: *q}}\n"
	    "  key: {classes: {A: 5%, B: 10%, C: 50%, D: 100%}}\n"
	    "tasks:\n"
	    "  - {id: T1, name: a, items: [I1], lead: ZJ, "
	    "filter: &f {industry: "
	    "[C38]}, batches: [{id: B1, draw: 2026-04-08, window: &w {from: "
	    "2026-04-13, to: 2026-05-29}}]}\n"
	    "  - {id: T2, name: b, items: [I1], lead: ZJ, filter: *f, batches: "
	    "[{id: B2, draw: 2026-04-08, window: *w}]}\n" CAL, &errs);
	assert_non_null(cfg);
	assert_int_equal(errs.n, 0);
	assert_true(cfg->tasks[1].targeted);
	assert_string_equal(cfg->tasks[1].filter.industries[0], "C38");
	assert_int_equal(cfg->sampling[ITEM_GENERAL].quotas[3].min, 1);
	assert_int_equal(cfg->tasks[1].batches[0].window_to,
	    date_from_ymd(2026, 5, 29));
	config_free(cfg);
	config_errors_release(&errs);
	/* A node reached twice through an alias is reported once. */
	expect(HEAD AUTH ITEMS SAMPLING
	    "tasks:\n"
	    "  - {id: T1, name: a, items: [I1], lead: ZJ, batches: [\n"
	    "    {id: B1, draw: 2026-04-08, window: &w {from: 2026-04-13, "
	    "to: 2026-05-29}},\n"
	    "    {id: B2, draw: 2026-04-08, window: *w}]}\n",
	    "t.yaml:17:40: warning: no official calendar for 2026: working "
	    "days count Monday to Friday only\n");
	expect("version: 1\nplan: *p\n",
	    "t.yaml:2:7: unknown alias 'p'\n");
	/* An anchor is known once its node is complete: no cycles. */
	expect("version: 1\nplan: &p [*p]\n",
	    "t.yaml:2:11: unknown alias 'p'\n");
	/* Billion laughs: each use of an alias costs its whole size. */
	expect("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
	    "t.yaml:5:36: aliases expand to more than 100000 nodes\n");
	/* Deep nesting is refused before it costs anything. */
	deep = calloc(1, 200);
	for (i = 0; i < 70; i++)
		deep[i] = '[';
	expect(deep,
	    "t.yaml:1:65: nesting deeper than 64 levels\n");
	free(deep);
}

static void
test_config__messages_are_sorted_and_kept(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*got;

	(void)state;
	/* Earlier messages in errs stay first; ours follow in file order. */
	cfg = load("version: 1\nplan: x\n", &errs);
	assert_null(cfg);
	cfg = config_load_buffer(PLAN "z: 1\ny: 2\n",
	    strlen(PLAN "z: 1\ny: 2\n"), "u.yaml", 0, &errs);
	assert_null(cfg);
	got = messages(&errs);
	assert_string_equal(got,
	    "t.yaml:1:1: missing key 'authority' at the top level\n"
	    "t.yaml:1:1: missing key 'items' at the top level\n"
	    "t.yaml:1:1: missing key 'sampling' at the top level\n"
	    "t.yaml:1:1: missing key 'tasks' at the top level\n"
	    "t.yaml:2:7: 'plan' must be a mapping, not 'x'\n"
	    "u.yaml:23:1: unknown key 'z' at the top level; expected one of: "
	    "version, plan, authority, keys, calendar, risk_classes, items, "
	    "sampling, quiet_periods, tasks, beacon, imports, schedule, "
	    "report\n"
	    "u.yaml:24:1: unknown key 'y' at the top level; expected one of: "
	    "version, plan, authority, keys, calendar, risk_classes, items, "
	    "sampling, quiet_periods, tasks, beacon, imports, schedule, "
	    "report\n");
	assert_int_equal(errs.n, 7);
	assert_int_equal(errs.nerrors, 7);
	free(got);
	/* A warning is counted apart and does not stop the plan. */
	cfg = load(PLAN "tasks_note: 1\n", &errs);
	assert_null(cfg);
	config_errors_release(&errs);
	assert_int_equal(errs.n, 0);
	assert_null(errs.v);
	cfg = load(HEAD AUTH ITEMS SAMPLING "tasks: []\n", &errs);
	assert_non_null(cfg);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.nerrors, 0);
	assert_true(errs.v[0].warning);
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_config__print_format(void **state)
{
	char			 a[] = "a.yaml", b[] = "b.yaml";
	char			 m1[] = "cannot read the plan: "
				    "Permission denied";
	char			 m2[] = "the plan has no tasks";
	char			 m3[] = "unknown key 'x'";
	struct config_error	 v[3] = {
		{ a, 0, 0, 0, m1 },
		{ a, 3, 7, 1, m2 },
		{ b, 12, 1, 0, m3 },
	};
	struct config_errors	 errs = { v, 3, 2 };
	char			*got;

	(void)state;
	got = messages(&errs);
	assert_string_equal(got,
	    "a.yaml: cannot read the plan: Permission denied\n"
	    "a.yaml:3:7: warning: the plan has no tasks\n"
	    "b.yaml:12:1: unknown key 'x'\n");
	free(got);
}

static void
test_config__load_file(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	unsigned char		 digest[CRYPTO_DIGEST_BYTES];
	char			*path, *missing, *got;

	(void)state;
	path = write_file(tmpdir, "plan.yaml", PLAN);
	cfg = config_load(path, &errs);
	assert_non_null(cfg);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cfg->path, path);
	assert_int_equal(crypto_digest_file(path, digest), 0);
	assert_memory_equal(cfg->digest, digest, sizeof(digest));
	config_free(cfg);
	missing = xasprintf("%s/none.yaml", tmpdir);
	assert_null(config_load(missing, &errs));
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.v[0].line, 0);
	assert_string_equal(errs.v[0].file, missing);
	assert_string_equal(errs.v[0].msg,
	    "cannot read the plan: No such file or directory");
	config_errors_release(&errs);
	assert_null(config_load(tmpdir, &errs));
	got = messages(&errs);
	assert_non_null(strstr(got, ": cannot read the plan: not a regular "
	    "file (a directory, FIFO or device)\n"));
	free(got);
	config_errors_release(&errs);
	free(missing);
	free(path);
}

static void
test_config__includes(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*plan, *sub, *got, *want;

	(void)state;
	sub = xasprintf("%s/cal", tmpdir);
	mkdir(sub, 0700);
	free(write_file(sub, "local.yaml",
	    "# a local calendar including the national one\n"
	    "include: national.yaml\n"
	    "holidays: [{name: 市庆, date: 2026-07-06}]\n"));
	free(write_file(sub, "national.yaml",
	    "years: [2026]\n"
	    "holidays: [{name: 国庆节, from: 2026-10-01, to: 2026-10-07}]\n"
	    "workdays: [{name: 调休, date: 2026-10-10}]\n"));
	free(write_file(sub, "self.yaml", "include: [self.yaml]\n"));
	free(write_file(sub, "loop-a.yaml", "include: loop-b.yaml\n"));
	free(write_file(sub, "loop-b.yaml", "include: loop-a.yaml\n"));
	free(write_file(sub, "bad.yaml",
	    "years: [2026]\n"
	    "holidays: [2026-10-32]\n"
	    "weekdays: []\n"));
	free(write_file(sub, "list.yaml", "- 2026-10-01\n"));
	free(write_file(sub, "broken.yaml", "years: [2026\n"));
	free(write_file(sub, "empty.yaml", "# nothing\n"));

	/* Nested includes resolve relative to the including file. */
	plan = write_file(tmpdir, "plan.yaml", HEAD AUTH ITEMS SAMPLING TASKS
	    "calendar: {include: cal/local.yaml}\n");
	cfg = config_load(plan, &errs);
	got = messages(&errs);
	if (errs.n != 0)
		fail_msg("messages:\n%s", got);
	free(got);
	assert_true(calendar_covers(&cfg->calendar, date_from_ymd(2026, 1,
	    1)));
	assert_int_equal(cfg->calendar.nholidays, 2);
	assert_string_equal(cfg->calendar.holidays[0].name, "国庆节");
	assert_string_equal(cfg->calendar.holidays[1].name, "市庆");
	assert_true(calendar_is_workday(&cfg->calendar,
	    date_from_ymd(2026, 10, 10)));
	config_free(cfg);
	free(plan);

	/* Every problem with an include, in the files where they are. */
	plan = write_file(tmpdir, "plan.yaml", HEAD AUTH ITEMS SAMPLING TASKS
	    "calendar:\n"
	    "  include:\n"
	    "    - cal/national.yaml\n"
	    "    - cal/national.yaml\n"
	    "    - cal/none.yaml\n"
	    "    - cal/self.yaml\n"
	    "    - cal/loop-a.yaml\n"
	    "    - cal/bad.yaml\n"
	    "    - cal/list.yaml\n"
	    "    - cal/broken.yaml\n"
	    "    - cal/empty.yaml\n"
	    "    - plan.yaml\n"
	    "    - \"\"\n");
	assert_null(config_load(plan, &errs));
	got = messages(&errs);
	want = subst(
	    "@/plan.yaml:25:7: cannot include '@/cal/national.yaml': "
	    "it is already included\n"
	    "@/plan.yaml:26:7: cannot include '@/cal/none.yaml': No such "
	    "file or directory\n"
	    "@/plan.yaml:33:7: cannot include '@/plan.yaml': it is "
	    "already included\n"
	    "@/plan.yaml:34:7: each entry of 'include' must not be empty\n"
	    "@/cal/self.yaml:1:11: cannot include '@/cal/self.yaml': it "
	    "is already included\n"
	    "@/cal/loop-b.yaml:1:10: cannot include '@/cal/loop-a.yaml': "
	    "it is already included\n"
	    "@/cal/bad.yaml:2:12: each entry of 'holidays' must be a real "
	    "date from 1900 on, not '2026-10-32'\n"
	    "@/cal/bad.yaml:3:1: unknown key 'weekdays' in calendar file; "
	    "expected one of: include, years, holidays, workdays\n"
	    "@/cal/list.yaml:1:1: the calendar file must be a mapping, not a "
	    "sequence\n"
	    "@/cal/broken.yaml:2:1: syntax error: did not find expected ',' "
	    "or ']' (while parsing a flow sequence at 1:8)\n"
	    "@/cal/empty.yaml: no YAML document in the file\n",
	    tmpdir);
	assert_string_equal(got, want);
	free(want);
	free(got);
	config_errors_release(&errs);
	free(plan);

	/* Fuzzing and other untrusted buffers: no file is ever opened. */
	expect(HEAD AUTH ITEMS SAMPLING TASKS
	    "calendar: {include: [/etc/passwd]}\n",
	    "t.yaml:21:44: warning: no official calendar for 2026: working "
	    "days count Monday to Friday only\n"
	    "t.yaml:22:22: cannot include '/etc/passwd': includes are disabled "
	    "here\n");
	free(sub);
}

static void
test_config__lookups(void **state)
{
	struct config_errors		 errs = { NULL, 0, 0 };
	struct config			*cfg;
	const struct config_task	*t = NULL;

	(void)state;
	cfg = load(PLAN, &errs);
	assert_non_null(cfg);
	assert_non_null(config_find_task(cfg, "T1"));
	assert_null(config_find_task(cfg, "B1"));
	assert_null(config_find_task(cfg, "t1"));
	assert_non_null(config_find_batch(cfg, "B1", &t));
	assert_ptr_equal(t, &cfg->tasks[0]);
	assert_null(config_find_batch(cfg, "T1", &t));
	assert_null(t);
	assert_non_null(config_find_batch(cfg, "B1", NULL));
	assert_string_equal(config_find_item(cfg, "I2")->name, "事项二");
	assert_null(config_find_item(cfg, "I3"));
	assert_string_equal(config_find_department(cfg, "ZJ")->name, "质量科");
	assert_null(config_find_department(cfg, "RZ"));
	assert_int_equal(config_find_class(cfg, "A", 1), 0);
	assert_int_equal(config_find_class(cfg, "", 0), -1);
	assert_null(config_division_name(cfg, "360202"));
	config_free(cfg);
	config_free(NULL);
	config_errors_release(&errs);
}

static void
test_config__summary(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	char			*out = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	cfg = load(HEAD
	    "authority: {name: 局, division: 360281, departments: [{code: ZJ, "
	    "name: a}]}\n"
	    "items: [{code: I1, name: a, department: ZJ}]\n"
	    "sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n"
	    "tasks: []\n", &errs);
	assert_non_null(cfg);
	if ((fp = open_memstream(&out, &len)) == NULL)
		fail_msg("open_memstream");
	config_print_summary(cfg, fp);
	config_free(cfg);
	config_errors_release(&errs);
	cfg = load(PLAN, &errs);
	assert_non_null(cfg);
	config_print_summary(cfg, fp);
	fclose(fp);
	assert_string_equal(out,
	    "局 (360281), plan P1 for 2026: 1 department, 1 item (1 general, "
	    "0 key), risk classes A/B/C/D, 0 tasks (0 targeted, 0 untargeted; "
	    "0 joint), 0 batches, no official calendar.\n"
	    "景德镇市市场监督管理局 (360200), plan P1 for 2026: 2 departments, "
	    "2 items (1 general, 1 key), risk classes A/B/C/D, 1 task "
	    "(0 targeted, 1 untargeted; 0 joint), 1 batch drawn on 2026-04-08, "
	    "official calendar for 2026.\n");
	free(out);
	config_free(cfg);
	config_errors_release(&errs);
}


/*
 * The beacon pins the chain: known chains are filled in from their hash
 * and must agree with what the plan gives; others are given in full.
 */
static void
test_config__beacon_chain(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;

	(void)state;
	cfg = load(PLAN, &errs);
	assert_non_null(cfg);
	assert_string_equal(cfg->beacon.chain, BEACON_QUICKNET_CHAIN);
	assert_string_equal(cfg->beacon.scheme, BEACON_QUICKNET_SCHEME);
	assert_string_equal(cfg->beacon.public_key, BEACON_QUICKNET_KEY);
	assert_int_equal(cfg->beacon.genesis, BEACON_QUICKNET_GENESIS);
	assert_int_equal(cfg->beacon.period, BEACON_QUICKNET_PERIOD);
	config_free(cfg);
	config_errors_release(&errs);

	cfg = load(PLAN "beacon: {chain: " BEACON_MAINNET_CHAIN "}\n", &errs);
	assert_non_null(cfg);
	assert_string_equal(cfg->beacon.scheme, "pedersen-bls-chained");
	assert_string_equal(cfg->beacon.public_key, BEACON_MAINNET_KEY);
	assert_int_equal(cfg->beacon.genesis, 1595431050);
	assert_int_equal(cfg->beacon.period, 30);
	config_free(cfg);
	config_errors_release(&errs);

	expect_has(PLAN "beacon: {chain: " BEACON_MAINNET_CHAIN ", period: "
	    "3}\n", "t.yaml:23:91: drand's mainnet default chain has "
	    "genesis 1595431050 and period 30");
	expect_has(PLAN "beacon: {scheme: pedersen-bls-chained}\n",
	    "the scheme of drand's quicknet chain is "
	    "'bls-unchained-g1-rfc9380'");
	expect_has(PLAN "beacon: {public_key: " BEACON_MAINNET_KEY "}\n",
	    "this is not the public key of drand's quicknet chain: "
	    "remove 'public_key' or correct it");
	expect_has(PLAN "beacon: {chain: " BEACON_QUICKNET_KEY "}\n",
	    "'chain' must be a chain hash: 64 lowercase hex digits");
	expect_has(PLAN "beacon: {chain: 0000000000000000000000000000000000"
	    "000000000000000000000000000000, genesis: 1, period: 3}\n",
	    "is not one ssj knows: give its 'scheme', 'public_key', "
	    "'genesis' and 'period' (from the relay's /info)");
	expect_has(PLAN "beacon: {chain: 0000000000000000000000000000000000"
	    "000000000000000000000000000000, genesis: 1, period: 3, scheme: "
	    "pedersen-bls-chained, public_key: " BEACON_QUICKNET_KEY "}\n",
	    "the public key of a 'pedersen-bls-chained' chain is 96 "
	    "lowercase hex digits");
	cfg = load(PLAN "beacon: {chain: 00000000000000000000000000000000000"
	    "00000000000000000000000000000, genesis: 1, period: 3, scheme: "
	    "pedersen-bls-chained, public_key: " BEACON_MAINNET_KEY "}\n",
	    &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->beacon.genesis, 1);
	config_free(cfg);
	config_errors_release(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__minimal_plan_and_defaults),
		cmocka_unit_test(test_config__beacon_chain),
		cmocka_unit_test(test_config__every_key),
		cmocka_unit_test(test_config__jingdezhen_example_loads),
		cmocka_unit_test(
		    test_config__calendar_files_follow_the_notices),
		cmocka_unit_test(test_config__unknown_keys),
		cmocka_unit_test(test_config__report),
		cmocka_unit_test(test_config__duplicate_keys),
		cmocka_unit_test(test_config__missing_keys_and_values),
		cmocka_unit_test(test_config__wrong_types),
		cmocka_unit_test(test_config__scalars),
		cmocka_unit_test(test_config__ratios),
		cmocka_unit_test(test_config__quotas),
		cmocka_unit_test(test_config__risk_classes_and_sampling),
		cmocka_unit_test(test_config__references),
		cmocka_unit_test(test_config__ids_are_unique),
		cmocka_unit_test(test_config__dates_and_windows),
		cmocka_unit_test(test_config__working_day_warnings),
		cmocka_unit_test(test_config__holidays_and_workdays),
		cmocka_unit_test(test_config__quiet_periods),
		cmocka_unit_test(test_config__filters),
		cmocka_unit_test(test_config__team_and_workload),
		cmocka_unit_test(test_config__authority),
		cmocka_unit_test(test_config__keys),
		cmocka_unit_test(test_config__imports),
		cmocka_unit_test(test_config__version),
		cmocka_unit_test(test_config__empty_lists),
		cmocka_unit_test(test_config__syntax_errors),
		cmocka_unit_test(test_config__aliases),
		cmocka_unit_test(test_config__messages_are_sorted_and_kept),
		cmocka_unit_test(test_config__print_format),
		cmocka_unit_test(test_config__load_file),
		cmocka_unit_test(test_config__includes),
		cmocka_unit_test(test_config__lookups),
		cmocka_unit_test(test_config__summary),
	};

	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
