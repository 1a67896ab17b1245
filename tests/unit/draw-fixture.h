/*
 * A small world for the frame and draw tests: a plan with one targeted
 * task, and registries imported into an in-memory database, each row
 * there to exercise one rule (filters, exclusions, strata, eligibility).
 */
#ifndef SSJ_TEST_DRAW_FIXTURE_H
#define SSJ_TEST_DRAW_FIXTURE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "csvfile.h"
#include "db.h"
#include "registry.h"
#include "schema.h"

/*
 * Task T1: ceramics (C307) in Jingdezhen, key items; a quiet period on
 * every day of May in 360222 makes its enterprises undrawable for the
 * batch B1 window (May only); T2 is exempt from it. T3 filters on the
 * division alone, drawn in May (the latest risk month): a commit reads
 * it from the frame image.
 */
static const char fixture_plan[] =
    "version: 1\n"
    "plan: {id: P1, name: 计划, year: 2026}\n"
    "authority:\n"
    "  name: 景德镇市市场监督管理局\n"
    "  division: \"360200\"\n"
    "  departments: [{code: ZJ, name: 质量科}, {code: XF, name: 消防}]\n"
    "items:\n"
    "  - {code: I1, name: 事项一, type: key, department: ZJ, "
    "qualification: CCC}\n"
    "sampling:\n"
    "  key:\n"
    "    classes: {A: 10%, B: {ratio: 50%, min: 1}, C: 100%, D: 100%}\n"
    "    certain: [abnormal]\n"
    "quiet_periods:\n"
    "  - {name: 园区, divisions: [\"360222\"], from: 2026-05-01, "
    "to: 2026-05-31, exempt: [T2]}\n"
    "tasks:\n"
    "  - id: T1\n"
    "    name: 陶瓷\n"
    "    items: [I1]\n"
    "    lead: ZJ\n"
    "    joint: [XF]\n"
    "    filter: {industry: [C307], division: [\"3602\"]}\n"
    "    batches:\n"
    "      - {id: B1, draw: 2026-04-28, window: {from: 2026-05-06, "
    "to: 2026-05-29}}\n"
    "  - id: T2\n"
    "    name: 陶瓷二\n"
    "    items: [I1]\n"
    "    lead: ZJ\n"
    "    filter: {industry: [C307]}\n"
    "    batches:\n"
    "      - {id: B2, draw: 2026-04-28, window: {from: 2026-05-06, "
    "to: 2026-05-29}}\n"
    "  - id: T3\n"
    "    name: 全市\n"
    "    items: [I1]\n"
    "    lead: ZJ\n"
    "    filter: {division: [\"3602\"]}\n"
    "    batches:\n"
    "      - {id: B3, draw: 2026-05-04, window: {from: 2026-05-06, "
    "to: 2026-05-29}}\n"
    "calendar: {years: [2026]}\n";

/* USCCs with correct check characters (GB 32100). */
static const char fixture_enterprises[] =
    "统一社会信用代码,企业名称,行政区划,行业代码,登记状态,经营异常名录\n"
    "91360202000000019L,甲陶瓷,360202,C3074,存续,否\n"	/* A */
    "91360202000000027F,乙陶瓷,360202,C3075,存续,是\n"	/* certain */
    "91360203000000035Q,丙陶瓷,360203,C3074,注销,否\n"	/* status */
    "913602220000000434,丁陶瓷,360222,C3074,存续,否\n"	/* quiet */
    "92360281000000051A,戊陶瓷,360281,C3079,在业,否\n"	/* no class */
    "91360202000000078P,己电器,360202,C3851,存续,否\n"	/* filter */
    "9336028100000006XY,庚陶瓷,360281,C3071,存续,否\n";	/* C */

static const char fixture_risk[] =
    "统一社会信用代码,风险等级,分类月份\n"
    "91360202000000019L,B,2026-03\n"
    "91360202000000019L,A,2026-04\n"
    "91360202000000019L,D,2026-05\n"	/* after the draw month */
    "9336028100000006XY,C,2026-04\n";

static const char fixture_inspectors[] =
    "执法证号,姓名,部门,管辖区域,资质,证件有效期至,在岗,专家\n"
    "A001,甲,ZJ,360202,CCC,2027-12-31,是,否\n"
    "A002,乙,XF,360281,CCC,2027-12-31,是,否\n"
    "A003,丙,ZJ,360202,CCC,2026-05-20,是,否\n"	/* expires */
    "A004,丁,ZJ,360202,CCC,2027-12-31,否,否\n"	/* inactive */
    "A005,戊,RZ,360202,CERT,2027-12-31,是,否\n"	/* other dept */
    "A006,己,RZ,360202,CCC,2027-12-31,是,是\n";	/* expert */

static const char fixture_conflicts[] =
    "执法证号,统一社会信用代码,回避事由,生效日期,失效日期\n"
    "A001,91360202000000019L,亲属,2026-01-01,\n"
    "A001,91360202000000027F,曾任职,2025-01-01,2025-12-31\n"	/* over */
    "A002,9336028100000006XY,持股,,\n"
    "A005,91360202000000019L,亲属,,\n";	/* A005 not in frame */

static void
fixture_import(struct db *db, enum registry_kind kind, const char *text,
    const struct config *cfg)
{
	struct registry_options	 opts;
	struct registry_stats	 st;
	struct csvfile		*csv;

	memset(&opts, 0, sizeof(opts));
	opts.cfg = cfg;
	csv = csvfile_open_buffer(text, strlen(text), "fixture.csv", CSV_UTF8);
	if (csv == NULL || registry_import_csv(db, kind, csv, &opts, &st) ==
	    -1 || st.refused)
		fprintf(stderr, "fixture import failed\n");
	csvfile_close(csv);
}

/*
 * The plan is a file: the ledger records its bytes. Written once; not
 * told by the name's last letter, which mkstemp() makes an X one time
 * in 62.
 */
static char fixture_path[] = "/tmp/ssj-fixture-XXXXXX";
static int fixture_written;

/* A fresh database with the registries, and the plan; NULL on failure. */
static struct db *
fixture_world(struct config **cfgp)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct db		*db;
	FILE			*fp;
	int			 fd, from;

	if (!fixture_written) {
		if ((fd = mkstemp(fixture_path)) == -1 ||
		    (fp = fdopen(fd, "w")) == NULL)
			return NULL;
		fputs(fixture_plan, fp);
		fclose(fp);
		fixture_written = 1;
	}
	*cfgp = config_load(fixture_path, &errs);
	config_errors_print(&errs, stderr);
	config_errors_release(&errs);
	if (*cfgp == NULL)
		return NULL;
	if ((db = db_open(":memory:", DB_CREATE)) == NULL ||
	    schema_migrate(db, &from) == -1)
		return NULL;
	fixture_import(db, REGISTRY_ENTERPRISES, fixture_enterprises, *cfgp);
	fixture_import(db, REGISTRY_RISK, fixture_risk, *cfgp);
	fixture_import(db, REGISTRY_INSPECTORS, fixture_inspectors, *cfgp);
	fixture_import(db, REGISTRY_CONFLICTS, fixture_conflicts, *cfgp);
	return db;
}

static void
fixture_done(void)
{
	if (fixture_written)
		unlink(fixture_path);
}

#endif
