/*
 * Unit tests of registry imports: snapshots, change detection, removals,
 * every kind of bad row with its message, reject files, dumps of any
 * snapshot. Each test works on a fresh in-memory database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "crypto.h"
#include "csvfile.h"
#include "db.h"
#include "ident.h"
#include "registry.h"
#include "schema.h"

#define HDR_E "统一社会信用代码,企业名称,行政区划,行业代码,主体类型,登记状态," \
	"住所,经营异常名录,严重违法失信,证书类型\n"
#define ROW_E1 "91360202000000019L,景德镇市甲陶瓷有限公司,360202,C3074,企业," \
	"存续,\"珠山路1号,2栋\",否,否,CCC\n"
#define ROW_E2 "91360202000000027F,景德镇市乙电器有限公司,360202,C3851,企业," \
	"存续,,是,否,CCC;CMA\n"
#define ROW_E3 "91360203000000035Q,景德镇市丙检测有限公司,360203,M7452,," \
	"在业,,否,否,CNAS\n"

struct fixture {
	struct db	*db;
	FILE		*cap;
	int		 saved;
	char		*err;
};

static int
setup(void **state)
{
	struct fixture	*fx;
	int		 from;

	fx = calloc(1, sizeof(*fx));
	fx->db = db_open(":memory:", DB_CREATE);
	assert_non_null(fx->db);
	assert_int_equal(schema_migrate(fx->db, &from), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	db_close(fx->db);
	free(fx->err);
	free(fx);
	return 0;
}

/* Collects what the import prints on stderr. */
static void
capture(struct fixture *fx)
{
	fflush(stderr);
	fx->cap = tmpfile();
	fx->saved = dup(2);
	dup2(fileno(fx->cap), 2);
}

static const char *
captured(struct fixture *fx)
{
	long	 n;

	fflush(stderr);
	dup2(fx->saved, 2);
	close(fx->saved);
	n = ftell(fx->cap);
	free(fx->err);
	fx->err = calloc(1, (size_t)n + 1);
	rewind(fx->cap);
	if (n > 0)
		assert_int_equal(fread(fx->err, 1, (size_t)n, fx->cap), n);
	fclose(fx->cap);
	return fx->err;
}

static int
import_with(struct fixture *fx, enum registry_kind kind, const char *name,
    const char *text, const struct registry_options *opts,
    struct registry_stats *st)
{
	struct csvfile		*csv;
	int			 rc;

	csv = csvfile_open_buffer(text, strlen(text), name, CSV_UTF8);
	assert_non_null(csv);
	capture(fx);
	rc = registry_import_csv(fx->db, kind, csv, opts, st);
	captured(fx);
	csvfile_close(csv);
	return rc;
}

static int
import(struct fixture *fx, enum registry_kind kind, const char *name,
    const char *text, const char *reject, struct registry_stats *st)
{
	struct registry_options	 opts;

	memset(&opts, 0, sizeof(opts));
	opts.encoding = CSV_UTF8;
	opts.reject_path = reject;
	/* The removal limit has its own tests. */
	opts.allow_removals = 1;
	return import_with(fx, kind, name, text, &opts, st);
}

static int64_t
count(struct fixture *fx, const char *sql)
{
	int64_t	 n = -1;

	assert_int_equal(db_query_int(fx->db, sql, &n), 0);
	return n;
}

static char *
dump(struct fixture *fx, enum registry_kind kind, int64_t snapshot)
{
	char	*p = NULL;
	size_t	 n = 0;
	FILE	*fp;

	fp = open_memstream(&p, &n);
	assert_int_equal(registry_dump(fx->db, kind, snapshot, fp), 0);
	fclose(fp);
	return p;
}

static void
test_registry__first_import(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "e.csv",
	    HDR_E ROW_E1 ROW_E2 ROW_E3, NULL, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.snapshot, 1);
	assert_int_equal(st.rows, 3);
	assert_int_equal(st.added, 3);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise"), 3);
	/* quoted comma kept, type derived from the USCC, lists sorted */
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise WHERE "
	    "address = '珠山路1号,2栋'"), 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise WHERE "
	    "uscc = '91360203000000035Q' AND entity_type = 'enterprise'"), 1);
	assert_int_equal(count(fx, "SELECT abnormal FROM enterprise WHERE "
	    "uscc = '91360202000000027F'"), 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM snapshot WHERE "
	    "kind = 'enterprises' AND rows_read = 3 AND added = 3"), 1);
}

static void
test_registry__reimport_unchanged(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	import(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E ROW_E1 ROW_E2, NULL,
	    &st);
	/* Same rows in another order: nothing changes, no snapshot. */
	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "e2.csv",
	    HDR_E ROW_E2 ROW_E1, NULL, &st), 0);
	assert_int_equal(st.snapshot, 0);
	assert_int_equal(st.same_as, 1);
	assert_int_equal(st.unchanged, 2);
	assert_int_equal(count(fx, "SELECT count(*) FROM snapshot"), 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise_rev"), 2);
}

static void
test_registry__changes_and_removals(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	char			*old, *now;

	import(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E ROW_E1 ROW_E2 ROW_E3,
	    NULL, &st);
	/* E1 renamed, E2 gone, E3 the same, E4 new */
	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E
	    "91360202000000019L,景德镇市甲瓷业有限公司,360202,C3074,企业,存续,"
	    "\"珠山路1号,2栋\",否,否,CCC\n" ROW_E3
	    "913602220000000434,浮梁县丁茶业有限公司,360222,C1530,企业,存续,,"
	    "否,否,\n", NULL, &st), 0);
	assert_int_equal(st.snapshot, 2);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.changed, 1);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.unchanged, 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise"), 3);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise WHERE "
	    "uscc = '91360202000000027F'"), 0);

	/* Snapshot 1 reads back exactly as it was. */
	old = dump(fx, REGISTRY_ENTERPRISES, 1);
	now = dump(fx, REGISTRY_ENTERPRISES, 0);
	assert_non_null(strstr(old, "景德镇市甲陶瓷有限公司"));
	assert_non_null(strstr(old, "91360202000000027F"));
	assert_null(strstr(old, "913602220000000434"));
	assert_non_null(strstr(now, "景德镇市甲瓷业有限公司"));
	assert_null(strstr(now, "91360202000000027F"));
	free(old);
	free(now);
}

static void
test_registry__dump_reimports(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	char			*text;

	import(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E ROW_E1 ROW_E2 ROW_E3,
	    NULL, &st);
	text = dump(fx, REGISTRY_ENTERPRISES, 0);
	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "dump.csv", text,
	    NULL, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.snapshot, 0);
	assert_int_equal(st.unchanged, 3);
	free(text);
}

static void
test_registry__bad_rows_refuse_file(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	const char		*err;

	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "bad.csv", HDR_E
	    ROW_E1
	    "91350100M000100Y4Z,坏校验位,360202,C3074,企业,存续,,否,否,\n"
	    "91360202000000027F,x,36020,C3074,企业,存续,,否,否,\n"
	    "91360203000000035Q,y,360203,C3074,企业,营业,,也许,否,\n"
	    "91360202000000019L,重复,360202,C3074,企业,存续,,否,否,\n"
	    "913602220000000434,short row\n", NULL, &st), 0);
	assert_true(st.refused);
	assert_int_equal(st.rejected, 5);
	err = fx->err;
	assert_non_null(strstr(err, "bad.csv:3: column '统一社会信用代码': bad "
	    "check character 'Z' in '91350100M000100Y4Z' (expected '3')"));
	assert_non_null(strstr(err, "bad.csv:4: column '行政区划': '36020' "
	    "is not a six-digit division code"));
	assert_non_null(strstr(err, "bad.csv:5: column '登记状态': unknown "
	    "registration status '营业'"));
	assert_non_null(strstr(err, "bad.csv:5: column '经营异常名录': '也许' "
	    "is neither 是 nor 否"));
	assert_non_null(strstr(err, "bad.csv:6: duplicate code "
	    "'91360202000000019L' (first on line 2)"));
	assert_non_null(strstr(err, "bad.csv:7: wrong number of columns: 2, "
	    "the header has 10"));
	/* The database is exactly as it was. */
	assert_int_equal(count(fx, "SELECT count(*) FROM snapshot"), 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise_rev"), 0);
}

static void
test_registry__reject_file(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	char			 path[] = "/tmp/ssj-test-reject-XXXXXX";
	char			 text[4096];
	FILE			*fp;
	size_t			 n;
	int			 fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "r.csv", HDR_E
	    ROW_E1 "91350100M000100Y4Z,\"坏,校验位\",360202,C3074,企业,存续,,"
	    "否,否,\n" ROW_E2, path, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.added, 2);
	assert_int_equal(st.rejected, 1);
	assert_int_equal(count(fx, "SELECT rejected FROM snapshot"), 1);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	unlink(path);
	assert_non_null(strstr(text, ",行号,错误原因\r\n"));
	assert_non_null(strstr(text, "91350100M000100Y4Z,\"坏,校验位\","
	    "360202,C3074,企业,存续,,否,否,,3,"));
	assert_non_null(strstr(text, "bad check character"));
}

static void
test_registry__legacy_and_warnings(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "l.csv", HDR_E
	    "360202000012344,老字号瓷厂,360202,C3074,企业,存续,,否,否,\n"
	    "360202000012345,无校验位的老号,360202,C3074,,存续,,否,否,\n"
	    "91360202000000018H,机构代码校验不符,360202,C3074,,存续,,否,否,\n",
	    NULL, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.added, 3);
	assert_int_equal(st.legacy, 2);
	assert_int_equal(st.warnings, 2);
	assert_non_null(strstr(fx->err, "l.csv:3: warning: column '统一社会信用"
	    "代码': '360202000012345' fails the check digit of a 15-digit "
	    "registration number (GS15-2006)"));
	assert_non_null(strstr(fx->err, "l.csv:4: warning: column '统一社会信用"
	    "代码': '91360202000000018H' fails the GB 11714 organisation-code "
	    "check (positions 9-17)"));
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise WHERE "
	    "legacy AND entity_type = 'other'"), 1);
}

static void
test_registry__header_any_order_and_english(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "en.csv",
	    "status,Name,USCC,industry,division\r\n"
	    "存续（在营、开业、在册）,\"A \"\"Q\"\" Co\",９１３６０２０２０００"
	    "０００019l,c3074,360202\r\n", NULL, &st), 0);
	assert_false(st.refused);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise WHERE "
	    "uscc = '91360202000000019L' AND name = 'A \"Q\" Co' AND "
	    "status = '存续' AND industry = 'C3074'"), 1);
}

static void
test_registry__missing_required_column(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "h.csv",
	    "统一社会信用代码,企业名称\n" ROW_E1, NULL, &st), 0);
	assert_true(st.refused);
	assert_non_null(strstr(fx->err, "h.csv:1: no column '行政区划'"));
}

/*
 * Enough keys that some share the 32-bit tag of the duplicates' table
 * (about ten pairs among 300 000): none is taken for a duplicate, and
 * the real duplicates are found, each naming its first line.
 */
static void
test_registry__many_keys_and_duplicates(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	struct buf		 text = BUF_INIT, dups = BUF_INIT;
	const int		 n = 300000;
	int			 i;

	buf_addstr(&text, "执法证号,姓名,部门,管辖区域,证件有效期至\n");
	for (i = 0; i < n; i++)
		buf_printf(&text, "3602%07d,张三,ZJ,360202,2030-12-31\n",
		    (int)((int64_t)i * 7919 % n));
	buf_addstr(&dups, buf_cstr(&text));
	buf_addstr(&dups, "36020000007,李四,XY,360203,2030-12-31\n"
	    "36020299999,王五,XY,360203,2030-12-31\n");

	/* A first import (stored at once) and an update (staged) alike. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(import(fx, REGISTRY_INSPECTORS, "i1.csv",
		    buf_cstr(&dups), NULL, &st), 0);
		assert_true(st.refused);
		assert_int_equal(st.rejected, 2);
		/* Row i + 2 has the code (i * 7919) mod n. */
		assert_non_null(strstr(fx->err, "i1.csv:300002: duplicate "
		    "code '36020000007' (first on line 23755)"));
		assert_non_null(strstr(fx->err, "i1.csv:300003: duplicate "
		    "code '36020299999' (first on line 82323)"));
		if (i > 0)
			break;
		/* Refused, the first import left the index by key. */
		assert_int_equal(count(fx, "SELECT count(*) FROM "
		    "sqlite_master WHERE name = 'inspector_rev_key'"), 1);
		/* A registry to update: rows then go in in key order. */
		assert_int_equal(import(fx, REGISTRY_INSPECTORS, "i0.csv",
		    "执法证号,姓名,部门,管辖区域,证件有效期至\n"
		    "36029999999,赵六,ZJ,360202,2030-12-31\n", NULL, &st), 0);
		assert_false(st.refused);
		assert_int_equal(count(fx, "SELECT count(*) FROM "
		    "sqlite_master WHERE name = 'inspector_rev_key'"), 1);
	}

	assert_int_equal(import(fx, REGISTRY_INSPECTORS, "i2.csv",
	    buf_cstr(&text), NULL, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.added, n);
	assert_int_equal(st.removed, 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM inspector_rev a JOIN "
	    "inspector_rev b ON b.rowid = a.rowid + 1 WHERE a.snapshot = 2 "
	    "AND b.snapshot = 2 AND b.credential <= a.credential"), 0);
	buf_release(&text);
	buf_release(&dups);
}

static void
test_registry__inspectors_and_personal_data(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	char			*text;

	assert_int_equal(import(fx, REGISTRY_INSPECTORS, "i.csv",
	    "执法证号,姓名,部门,管辖区域,资质,证件有效期至,在岗,专家,身份证号码,"
	    "手机号码\n"
	    "36020019001,张三,ZJ,360203;360202、360202,CCC；CERT,2027-12-31,"
	    "是,否,11010519491231002X,13800000000\n"
	    "36020019002,李四,XY,360281,INFO,2026-06-30,否,是,,\n",
	    NULL, &st), 0);
	assert_false(st.refused);
	assert_int_equal(count(fx, "SELECT count(*) FROM inspector WHERE "
	    "jurisdiction = '360202;360203' AND qualifications = 'CCC;CERT'"),
	    1);
	text = dump(fx, REGISTRY_INSPECTORS, 0);
	assert_null(strstr(text, "11010519491231002X"));
	assert_null(strstr(text, "13800000000"));
	assert_null(strstr(text, "身份证"));
	assert_non_null(strstr(text, "36020019002,李四,XY,360281,INFO,"
	    "2026-06-30,否,是"));
	free(text);

	assert_int_equal(import(fx, REGISTRY_INSPECTORS, "i2.csv",
	    "执法证号,姓名,部门,管辖区域,证件有效期至,身份证号码\n"
	    "36020019003,王五,ZJ,360202,2027-02-30,110105194912310021\n",
	    NULL, &st), 0);
	assert_true(st.refused);
	assert_non_null(strstr(fx->err, "i2.csv:2: column '证件有效期至': "
	    "'2027-02-30' is not a date"));
	assert_non_null(strstr(fx->err, "i2.csv:2: column '身份证号码': not a "
	    "valid 18-character ID card number"));
	assert_null(strstr(fx->err, "110105194912310021"));
}

static void
test_registry__risk_classes(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_RISK, "r.csv",
	    "统一社会信用代码,风险等级,分类月份\n"
	    "91360202000000019L,a,2026-09\n"
	    "91360202000000019L,B,2026-10-01\n"
	    "91360202000000027F,E,2026-10\n", NULL, &st), 0);
	assert_true(st.refused);
	assert_non_null(strstr(fx->err, "r.csv:4: column '风险等级': unknown "
	    "class 'E' (the plan's classes: A, B, C, D)"));

	assert_int_equal(import(fx, REGISTRY_RISK, "r.csv",
	    "统一社会信用代码,风险等级,分类月份\n"
	    "91360202000000019L,a,2026-09\n"
	    "91360202000000019L,B,2026-10-01\n", NULL, &st), 0);
	assert_int_equal(st.added, 2);
	/* Another month adds; the earlier months stay. */
	assert_int_equal(import(fx, REGISTRY_RISK, "r2.csv",
	    "统一社会信用代码,风险等级,分类月份\n"
	    "91360202000000019L,C,2026-11\n", NULL, &st), 0);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.removed, 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM risk"), 3);
	assert_int_equal(count(fx, "SELECT count(*) FROM risk_latest WHERE "
	    "class = 'C' AND month = '2026-11'"), 1);
}

/* A row of a risk file the test writes, and where it must land. */
struct risk_line {
	char		 code[19];
	const char	*month;
	const char	*class;
	unsigned long	 line;
};

static int
risk_line_cmp(const void *a, const void *b)
{
	const struct risk_line *x = a, *y = b;
	int		 c;

	/* SQLite's BINARY order of (uscc, month): a prefix first */
	if ((c = strcmp(x->code, y->code)) != 0)
		return c;
	return strcmp(x->month, y->month);
}

/*
 * Code i: 18-character codes with a check character, every seventh a
 * 15-digit registration number that is a prefix of others around it.
 */
static void
risk_code(int i, char out[19])
{
	char	 code[32], expected;

	if (i % 7 == 0)
		snprintf(code, sizeof(code), "360203%09d", i / 7);
	else {
		snprintf(code, sizeof(code), "360203%09d%02d0", i / 7, i % 7);
		if (uscc_check(code, 18, &expected) == USCC_BAD_CHECK)
			code[17] = expected;
	}
	snprintf(out, 19, "%.18s", code);
}

/*
 * An update of risk classes stages its rows in memory and sorts them
 * there: stored in SQLite's key order, each with its line and class,
 * and a duplicate named with its first line as from import_row.
 */
static void
test_registry__risk_update_staged_in_order(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	struct buf		 text = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	struct risk_line	*v;
	struct db_stmt		*q;
	static const char *const classes[] = { "A", "B", "C", "D" };
	const int		 n = 20000;
	int			 i, j, added;

	v = calloc((size_t)(n + n / 11 + 1), sizeof(*v));
	assert_non_null(v);
	buf_addstr(&text, "统一社会信用代码,风险等级,分类月份\n");
	for (i = 0; i < n; i++) {
		risk_code(i, v[i].code);
		buf_printf(&text, "%s,A,2026-09\n", v[i].code);
	}
	assert_int_equal(import(fx, REGISTRY_RISK, "r9.csv", buf_cstr(&text),
	    NULL, &st), 0);
	assert_false(st.refused);

	/* The update: scrambled, two months, every class. */
	buf_reset(&text);
	buf_addstr(&text, "统一社会信用代码,风险等级,分类月份\n");
	for (i = 0; i < n; i++) {
		j = (int)((int64_t)i * 7919 % n);
		risk_code(j, v[i].code);
		v[i].month = i % 3 == 0 ? "2026-09" : "2026-10";
		v[i].class = classes[(i / 5) % 4];
		v[i].line = (unsigned long)i + 2;
		buf_printf(&text, "%s,%s,%s\n", v[i].code, v[i].class,
		    v[i].month);
	}
	/* and some codes again, for a month before (key order: after) */
	for (i = 0, j = n; i < n; i += 11, j++) {
		v[j] = v[n - 1 - i];
		v[j].month = "2026-08";
		v[j].line = (unsigned long)j + 2;
		buf_printf(&text, "%s,%s,%s\n", v[j].code, v[j].class,
		    v[j].month);
	}
	buf_addstr(&want, buf_cstr(&text));
	buf_printf(&want, "%s,B,%s\n", v[5].code, v[5].month);
	assert_int_equal(import(fx, REGISTRY_RISK, "r10.csv",
	    buf_cstr(&want), NULL, &st), 0);
	assert_true(st.refused);
	buf_reset(&want);
	buf_printf(&want, "r10.csv:%d: duplicate entry '%s, %s' (first on "
	    "line 7)", j + 2, v[5].code, v[5].month);
	assert_non_null(strstr(fx->err, buf_cstr(&want)));

	assert_int_equal(import(fx, REGISTRY_RISK, "r10.csv", buf_cstr(&text),
	    NULL, &st), 0);
	assert_false(st.refused);
	/* 2026-09 rows of class A are unchanged; not stored */
	qsort(v, (size_t)j, sizeof(*v), risk_line_cmp);
	buf_reset(&want);
	for (i = 0; i < j; i++)
		if (strcmp(v[i].month, "2026-09") != 0 ||
		    strcmp(v[i].class, "A") != 0)
			buf_printf(&want, "%s %s %s %lu;", v[i].code,
			    v[i].month, v[i].class, v[i].line);
	q = db_prepare(fx->db, "SELECT uscc, month, class, line FROM "
	    "risk_rev WHERE snapshot = ?1 ORDER BY id");
	assert_non_null(q);
	db_bind_int(q, 1, st.snapshot);
	while (db_step(q) == DB_ROW)
		buf_printf(&got, "%s %s %s %lld;", db_col_text(q, 0),
		    db_col_text(q, 1), db_col_text(q, 2),
		    (long long)db_col_int(q, 3));
	db_finalize(q);
	/* new months added (without look-ups), 2026-09 compared */
	for (i = 0, added = 0; i < j; i++)
		added += strcmp(v[i].month, "2026-09") != 0;
	assert_int_equal(st.added, added);
	assert_int_equal(st.added + st.changed + st.unchanged, j);
	assert_string_equal(buf_cstr(&got), buf_cstr(&want));
	buf_release(&text);
	buf_release(&got);
	buf_release(&want);
	free(v);
}

/* Enterprise i of test_registry__update_compares_by_digest, as a row. */
static void
enterprise_row(struct buf *b, int i, const char *name)
{
	char	 code[19];

	risk_code(i, code);
	buf_printf(b, "%s,%s%d,360202,C3074,企业,存续,,否,否,\n", code, name,
	    i);
}

/* Of n enterprises, every 7th renamed, every 11th (not 7th) gone; 50 new. */
static void
updated_rows(struct buf *b, int n)
{
	int	 i, j;

	for (i = 0; i < n + 50; i++) {
		j = i < n ? (int)((int64_t)i * 7919 % n) : i;
		if (j < n && j % 11 == 0 && j % 7 != 0)
			continue;
		enterprise_row(b, j, j < n && j % 7 == 0 ? "乙公司" : "甲公司");
	}
}

/*
 * An update of enterprises compares its rows with the current ones by
 * digest, in memory, and reads back only those that changed: every
 * kind of row among thousands, in scrambled order.
 */
static void
test_registry__update_compares_by_digest(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	struct buf		 text = BUF_INIT;
	struct db_stmt		*q;
	const int		 n = 3000;
	char			 code[19];
	int			 i;

	buf_addstr(&text, HDR_E);
	for (i = 0; i < n; i++)
		enterprise_row(&text, (int)((int64_t)i * 7919 % n), "甲公司");
	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "e1.csv",
	    buf_cstr(&text), NULL, &st), 0);
	assert_int_equal(st.added, n);

	buf_reset(&text);
	buf_addstr(&text, HDR_E);
	updated_rows(&text, n);
	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "e2.csv",
	    buf_cstr(&text), NULL, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.changed, (n + 6) / 7);
	assert_int_equal(st.removed, (n + 10) / 11 - (n + 76) / 77);
	assert_int_equal(st.added, 50);
	assert_int_equal(st.unchanged, n - st.changed - st.removed);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise WHERE "
	    "name LIKE '乙公司%'"), (n + 6) / 7);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise"),
	    n + 50 - (int64_t)st.removed);
	/* the changed and the new stored in key order, then the removed */
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise_rev a "
	    "JOIN enterprise_rev b ON b.id = a.id + 1 WHERE a.snapshot = 2 AND "
	    "b.snapshot = 2 AND a.present = b.present AND b.uscc <= a.uscc"),
	    0);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise_rev WHERE "
	    "snapshot = 2 AND NOT present"), (int64_t)st.removed);
	/* exactly those the file left out (15-digit codes among them) */
	q = db_prepare(fx->db, "SELECT count(*) FROM enterprise WHERE uscc = "
	    "?1");
	assert_non_null(q);
	for (i = 0; i < n + 50; i++) {
		risk_code(i, code);
		db_bind_text(q, 1, code, strlen(code));
		assert_int_equal(db_step(q), DB_ROW);
		if (db_col_int(q, 0) != (i >= n || i % 11 != 0 || i % 7 == 0))
			fail_msg("enterprise %d (%s): present %lld", i, code,
			    (long long)db_col_int(q, 0));
		db_reset(q);
	}
	db_finalize(q);

	/* a removed one back: new again */
	buf_reset(&text);
	buf_addstr(&text, HDR_E);
	enterprise_row(&text, 11, "甲公司");
	updated_rows(&text, n);
	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "e3.csv",
	    buf_cstr(&text), NULL, &st), 0);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.changed + st.removed, 0);
	buf_release(&text);
}

/* registry_count's enterprises by class, as "class n;..." */
static char *
class_counts(struct fixture *fx)
{
	struct db_stmt	*st;
	struct buf	 b = BUF_INIT;

	st = db_prepare(fx->db, "SELECT key, n FROM registry_count WHERE "
	    "kind = 'enterprises' AND dim = 'class' ORDER BY key");
	assert_non_null(st);
	while (db_step(st) == DB_ROW)
		buf_printf(&b, "%s %lld;", db_col_text(st, 0),
		    (long long)db_col_int(st, 1));
	db_finalize(st);
	return buf_detach(&b, NULL);
}

/*
 * The counts by class come from the frame image's merge; with no image
 * (a registry it cannot describe), from the tables: the same figures.
 */
static void
test_registry__class_counts_with_and_without_image(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	char			*counts;
	static const char risk[] =
	    "统一社会信用代码,风险等级,分类月份\n"
	    "91360202000000019L,A,2026-10\n"
	    "91360203000000035Q,C,2026-10\n";
	static const char risk2[] =
	    "统一社会信用代码,风险等级,分类月份\n"
	    "91360202000000027F,C,2026-11\n";

	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "e.csv",
	    HDR_E ROW_E1 ROW_E2 ROW_E3, NULL, &st), 0);
	counts = class_counts(fx);
	assert_string_equal(counts, " 3;");
	free(counts);
	assert_int_equal(import(fx, REGISTRY_RISK, "r.csv", risk, NULL, &st),
	    0);
	counts = class_counts(fx);
	assert_string_equal(counts, " 1;A 1;C 1;");
	free(counts);
	assert_int_equal(count(fx, "SELECT count(*) FROM frame_image"), 2);

	/* A division the image cannot hold: no image, the same counts. */
	assert_int_equal(db_exec(fx->db, "UPDATE enterprise_cur SET division "
	    "= '3602' WHERE uscc = '91360202000000019L'"), 0);
	assert_int_equal(import(fx, REGISTRY_RISK, "r2.csv", risk2, NULL,
	    &st), 0);
	assert_int_equal(st.added, 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM frame_image"), 0);
	counts = class_counts(fx);
	assert_string_equal(counts, "A 1;C 2;");
	free(counts);
}

static void
test_registry__conflict_dates(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_CONFLICTS, "c.csv",
	    "执法证号,统一社会信用代码,回避事由,来源,生效日期,失效日期\n"
	    "36020019001,91360202000000019L,亲属关系,本人申报,2026-01-01,\n"
	    "36020019001,91360202000000027F,曾任职,本人申报,2026-05-01,"
	    "2026-04-01\n", NULL, &st), 0);
	assert_true(st.refused);
	assert_non_null(strstr(fx->err, "c.csv:3: column '失效日期': "
	    "2026-04-01 is before the start 2026-05-01"));
}

static void
test_registry__bad_encoding_names_column(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_ENTERPRISES, "enc.csv", HDR_E
	    "91360202000000019L,\xbe\xb0\xb5\xc2,360202,C3074,企业,存续,,否,否,"
	    "\n", NULL, &st), 0);
	assert_true(st.refused);
	assert_non_null(strstr(fx->err, "enc.csv:2: column '企业名称': "
	    "invalid utf-8 byte sequence"));
}

static void
test_registry__empty_file(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;

	assert_int_equal(import(fx, REGISTRY_RISK, "empty.csv", "", NULL,
	    &st), 0);
	assert_true(st.refused);
	assert_non_null(strstr(fx->err, "empty.csv: empty file"));
}

static void
test_registry__rejected_row_keeps_previous(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	struct registry_options	 opts;
	char			 path[] = "/tmp/ssj-test-reject-XXXXXX";
	int			 fd;

	import(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E ROW_E1 ROW_E2 ROW_E3,
	    NULL, &st);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	memset(&opts, 0, sizeof(opts));
	opts.reject_path = path;
	/* E2's division is bad: its old version stays, not "removed" */
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E
	    ROW_E1 "91360202000000027F,改名,36020X,C3851,企业,存续,,是,否,\n"
	    ROW_E3, &opts, &st), 0);
	unlink(path);
	assert_false(st.refused);
	assert_int_equal(st.rejected, 1);
	assert_int_equal(st.kept, 1);
	assert_int_equal(st.removed, 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise WHERE "
	    "uscc = '91360202000000027F' AND name = '景德镇市乙电器有限公司'"),
	    1);
	/* A row too short to check still names its key. */
	fd = mkstemp(path);
	close(fd);
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E
	    ROW_E1 "91360202000000027F,short\n" ROW_E3, &opts, &st), 0);
	unlink(path);
	assert_int_equal(st.kept, 1);
	assert_int_equal(st.removed, 0);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise"), 3);
}

static void
test_registry__removal_limit(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	struct registry_options	 opts;

	import(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E ROW_E1 ROW_E2 ROW_E3,
	    NULL, &st);
	memset(&opts, 0, sizeof(opts));
	/* one of three is 33 %, more than the default 5 % */
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "two.csv",
	    HDR_E ROW_E1 ROW_E3, &opts, &st), 0);
	assert_true(st.refused);
	assert_non_null(strstr(fx->err, "two.csv: would remove 1 of the 3 "
	    "enterprises in the registry (33.3%), more than the limit of 5%: "
	    "91360202000000027F"));
	assert_non_null(strstr(fx->err, "--allow-removals"));
	assert_int_equal(count(fx, "SELECT count(*) FROM snapshot"), 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise_rev"), 3);
	/* a plan's 50 % lets it through, and so does --allow-removals */
	opts.max_removals_num = 50;
	opts.max_removals_den = 100;
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "two.csv",
	    HDR_E ROW_E1 ROW_E3, &opts, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.pool_lost, 1);
	assert_int_equal(st.pool_gained, 0);
	opts.max_removals_num = 0;
	opts.allow_removals = 1;
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "one.csv",
	    HDR_E ROW_E1, &opts, &st), 0);
	assert_int_equal(st.removed, 1);
}

static void
test_registry__partial_and_remove(void **state)
{
	struct fixture		*fx = *state;
	struct registry_stats	 st;
	struct registry_options	 opts;

	import(fx, REGISTRY_ENTERPRISES, "e.csv", HDR_E ROW_E1 ROW_E2 ROW_E3,
	    NULL, &st);
	memset(&opts, 0, sizeof(opts));
	opts.partial = 1;
	/* a delta: E1 deregistered, one new; E2 and E3 stay */
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "delta.csv",
	    HDR_E "91360202000000019L,景德镇市甲陶瓷有限公司,360202,C3074,企业,"
	    "注销,,否,否,CCC\n"
	    "913602220000000434,浮梁县丁茶业有限公司,360222,C1530,企业,存续,,"
	    "否,否,\n", &opts, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.changed, 1);
	assert_int_equal(st.removed, 0);
	assert_true(st.pool);
	assert_int_equal(st.pool_gained, 1);
	assert_int_equal(st.pool_lost, 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise"), 4);
	/* an explicit removal: a file of codes, any other column ignored */
	memset(&opts, 0, sizeof(opts));
	opts.remove = 1;
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "gone.csv",
	    "统一社会信用代码,企业名称\n91360202000000027F,乙\n"
	    "91360202000000078P,不在\n", &opts, &st), 0);
	assert_false(st.refused);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.pool_lost, 1);
	assert_non_null(strstr(fx->err, "gone.csv:3: warning: "
	    "'91360202000000078P' is not in the registry"));
	assert_int_equal(count(fx, "SELECT count(*) FROM enterprise"), 3);
	/* a bad code in a removal file refuses it whole */
	assert_int_equal(import_with(fx, REGISTRY_ENTERPRISES, "gone.csv",
	    "统一社会信用代码\n91360202000000027X\n", &opts, &st), 0);
	assert_true(st.refused);
	/* conflicts are removed by their whole key */
	import(fx, REGISTRY_CONFLICTS, "c.csv", "执法证号,统一社会信用代码,"
	    "生效日期,回避事由\n36020019001,91360203000000035Q,2026-01-01,亲属\n",
	    NULL, &st);
	assert_int_equal(import_with(fx, REGISTRY_CONFLICTS, "gone.csv",
	    "执法证号,统一社会信用代码,生效日期\n"
	    "36020019001,91360203000000035Q,2026-01-01\n", &opts, &st), 0);
	assert_int_equal(st.removed, 1);
	assert_int_equal(count(fx, "SELECT count(*) FROM conflict"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_registry__first_import,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__reimport_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__changes_and_removals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry__dump_reimports,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__bad_rows_refuse_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry__reject_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__legacy_and_warnings, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__header_any_order_and_english, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__missing_required_column, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__inspectors_and_personal_data, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_registry__risk_classes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__class_counts_with_and_without_image, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__risk_update_staged_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__update_compares_by_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry__conflict_dates,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__bad_encoding_names_column, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__rejected_row_keeps_previous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry__removal_limit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__partial_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_registry__many_keys_and_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry__empty_file,
		    setup, teardown),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
