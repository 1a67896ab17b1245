/*
 * Registry imports: CSV rows are validated and normalised field by field,
 * compared with the current state by digest, and written as revisions
 * under one new snapshot, in one transaction.
 */
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "calendar.h"
#include "cell.h"
#include "config.h"
#include "crypto.h"
#include "csvfile.h"
#include "db.h"
#include "file.h"
#include "frame.h"
#include "ident.h"
#include "ledger.h"
#include "log.h"
#include "num.h"
#include "registry.h"
#include "schema.h"
#include "sort.h"
#include "xmalloc.h"

enum field_type {
	FT_USCC,		/* 统一社会信用代码, or a legacy 注册号 */
	FT_CREDENTIAL,		/* 执法证号 */
	FT_TEXT,		/* one line of free text */
	FT_DIVISION,		/* GB/T 2260 */
	FT_DIVISIONS,		/* a list of them */
	FT_INDUSTRY,		/* GB/T 4754 */
	FT_ENTITY_TYPE,
	FT_STATUS,		/* 登记状态 */
	FT_BOOL,
	FT_CODES,		/* a list of codes: certificates, qualifications */
	FT_DATE,
	FT_MONTH,
	FT_CLASS,		/* a risk class of the plan */
	FT_DEPARTMENT,
	FT_IDCARD,
	FT_PHONE,
	FT_LEGACY,		/* derived from the USCC column */
};

enum field_flags {
	F_REQUIRED = 1 << 0,	/* the column must exist and not be empty */
	F_INT = 1 << 1,		/* stored as an INTEGER */
	F_DERIVED = 1 << 2,	/* not a column of the file */
	F_OPTIONAL = 1 << 3,	/* may be empty even when present */
};

struct field {
	const char	*column;	/* SQL column; English header */
	const char	*header;	/* Chinese header, used by dumps */
	const char	*aliases;	/* more accepted headers, '|'-separated */
	enum field_type	 type;
	unsigned	 flags;
	const char	*dflt;		/* value of an absent or empty column */
};

struct kind {
	const char		*name;
	const char		*table;
	const char		*view;
	const struct field	*fields;
	size_t			 nfields;
	size_t			 nkeys;		/* the first nkeys fields */
	int			 whole;		/* absent from file = removed */
};

#define MAX_FIELDS	12

static const struct field enterprise_fields[] = {
	{ "uscc", "统一社会信用代码",
	  "统一社会信用代码/注册号|注册号|credit_code", FT_USCC, F_REQUIRED,
	  NULL },
	{ "legacy", NULL, NULL, FT_LEGACY, F_DERIVED | F_INT, NULL },
	{ "name", "企业名称", "名称|主体名称|市场主体名称", FT_TEXT,
	  F_REQUIRED, NULL },
	{ "division", "行政区划", "行政区划代码|区划代码|所属区域", FT_DIVISION,
	  F_REQUIRED, NULL },
	{ "industry", "行业代码", "国民经济行业代码|行业", FT_INDUSTRY,
	  F_REQUIRED, NULL },
	{ "entity_type", "主体类型", "企业类型|类型|type", FT_ENTITY_TYPE, 0,
	  NULL },
	{ "status", "登记状态", "经营状态|状态", FT_STATUS, F_REQUIRED, NULL },
	{ "address", "住所", "地址|经营场所|住所（经营场所）", FT_TEXT,
	  F_OPTIONAL, "" },
	{ "abnormal", "经营异常名录", "列入经营异常名录|经营异常", FT_BOOL,
	  F_INT, "0" },
	{ "serious", "严重违法失信", "严重违法失信名单|严重违法", FT_BOOL,
	  F_INT, "0" },
	{ "certificates", "证书类型", "获证类型|证书|certificate", FT_CODES,
	  F_OPTIONAL, "" },
};

static const struct field inspector_fields[] = {
	{ "credential", "执法证号", "执法证件号|执法证编号|证号", FT_CREDENTIAL,
	  F_REQUIRED, NULL },
	{ "name", "姓名", NULL, FT_TEXT, F_REQUIRED, NULL },
	{ "department", "部门", "所在部门|业务部门|科室", FT_DEPARTMENT,
	  F_REQUIRED, NULL },
	{ "jurisdiction", "管辖区域", "管辖区划|岗位管辖片区", FT_DIVISIONS,
	  F_REQUIRED, NULL },
	{ "qualifications", "资质", "执法资质|岗位资格资质|qualification",
	  FT_CODES, F_OPTIONAL, "" },
	{ "valid_until", "证件有效期至", "有效期至|证件有效期", FT_DATE,
	  F_REQUIRED, NULL },
	{ "active", "在岗", "状态|执法人员状态", FT_BOOL, F_INT, "1" },
	{ "expert", "专家", "是否专家", FT_BOOL, F_INT, "0" },
	{ "id_card", "身份证号码", "身份证号|id_number", FT_IDCARD, F_OPTIONAL,
	  "" },
	{ "phone", "手机号码", "手机|电话|联系电话", FT_PHONE, F_OPTIONAL, "" },
};

static const struct field conflict_fields[] = {
	{ "credential", "执法证号", "执法证件号|执法证编号|证号", FT_CREDENTIAL,
	  F_REQUIRED, NULL },
	{ "uscc", "统一社会信用代码",
	  "统一社会信用代码/注册号|注册号|credit_code", FT_USCC, F_REQUIRED,
	  NULL },
	{ "valid_from", "生效日期", "起始日期|开始日期|from", FT_DATE,
	  F_OPTIONAL, "" },
	{ "valid_to", "失效日期", "截止日期|结束日期|to", FT_DATE, F_OPTIONAL,
	  "" },
	{ "reason", "回避事由", "事由|原因", FT_TEXT, F_REQUIRED, NULL },
	{ "source", "来源", "信息来源", FT_TEXT, F_OPTIONAL, "" },
};

static const struct field risk_fields[] = {
	{ "uscc", "统一社会信用代码",
	  "统一社会信用代码/注册号|注册号|credit_code", FT_USCC, F_REQUIRED,
	  NULL },
	{ "month", "分类月份", "月份|分类日期|as_of", FT_MONTH, F_REQUIRED,
	  NULL },
	{ "class", "风险等级", "信用风险分类|风险分类|分类结果", FT_CLASS,
	  F_REQUIRED, NULL },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct kind kinds[REGISTRY_NKINDS] = {
	{ "enterprises", "enterprise_rev", "enterprise", enterprise_fields,
	  NELEM(enterprise_fields), 1, 1 },
	{ "inspectors", "inspector_rev", "inspector", inspector_fields,
	  NELEM(inspector_fields), 1, 1 },
	{ "conflicts", "conflict_rev", "conflict", conflict_fields,
	  NELEM(conflict_fields), 3, 0 },
	{ "risk", "risk_rev", "risk", risk_fields, NELEM(risk_fields), 2, 0 },
};

/* Columns a reject file adds; ignored when it is imported again. */
static const char *const reject_columns[] = { "行号", "错误原因" };

static const char *const default_classes[] = { "A", "B", "C", "D" };

/* 登记状态: canonical value first, then what else means the same. */
static const char *const statuses[][4] = {
	{ "存续", "active", "在营", "开业" },
	{ "在业", "operating", NULL, NULL },
	{ "吊销", "revoked", NULL, NULL },
	{ "注销", "deregistered", NULL, NULL },
	{ "撤销", "cancelled", NULL, NULL },
	{ "迁出", "moved", NULL, NULL },
	{ "停业", "suspended", NULL, NULL },
	{ "清算", "liquidating", NULL, NULL },
};

static const char *const entity_types[][3] = {
	{ "enterprise", "企业", "公司" },
	{ "individual", "个体工商户", "个体" },
	{ "cooperative", "农民专业合作社", "合作社" },
	{ "foreign", "外国企业常驻代表机构", "代表机构" },
	{ "other", "其他", NULL },
};

#define MAX_WARNINGS_SHOWN	100
/* The longest registered names and addresses are a few hundred bytes. */
#define MAX_FIELD_BYTES		4096
#define PROGRESS_ROWS		65536

/*
 * The keys of a file, to refuse a duplicate on its own line: a table of
 * (tag, row), the tag the top 32 bits of the key's keyed hash, the row
 * where the key went (its line in import_row, or its revision's id); a
 * tag that matches is confirmed against that row.
 */
struct key_set {
	uint64_t	*slot;		/* tag << 32 | row; 0 is empty */
	size_t		 mask;
	size_t		 n;
	unsigned char	 hash_key[CRYPTO_SIPHASH128_KEYBYTES];
};

/*
 * A first import of enterprises keeps each stored row's columns of
 * enterprise_cur as it reads the file: enterprise_cur is then written
 * from a sort in memory and its figures counted on the way, where
 * enterprise_cur_sql has SQLite sort every revision again (1.7 s of a
 * first import of 1 M). The columns after the code repeat (a county, an
 * industry, a status): each distinct run of them, a tail, is kept once,
 * with the number of rows that have it. Past CUR_TAILS_MAX bytes of
 * tails the set is given up and the SQL does the work.
 */
#define CUR_CODE	18		/* bytes of a code, NUL-padded */
#define CUR_TAILS_MAX	(64u << 20)

struct cur_row {
	char		 code[CUR_CODE];
	uint32_t	 tail;
};

struct cur_set {
	int		 on;
	int		 field[MAX_FIELDS];	/* enterprise_cur's, after uscc */
	size_t		 nfields;
	struct cur_row	*row;
	size_t		 n, cap;
	struct buf	 arena;		/* the tails, one after the other */
	struct buf	 tail;		/* the current row's */
	uint32_t	*start;		/* of tail i in the arena; one more */
	uint64_t	*count;		/* rows with tail i */
	size_t		 ntails, tailcap;
	uint32_t	*slot;		/* tail index + 1; 0 is empty */
	size_t		 mask;
};

/*
 * Revisions wait here to be inserted REV_AT_ONCE to a statement: SQLite's
 * cost per statement (its step, reset and program start) is about a fifth
 * of a row's insert. Each gets its id as it comes (imports append), so
 * that the key set and the ledger name it before it is written.
 */
#define REV_AT_ONCE	64

struct rev_cell {
	int64_t		 v;		/* an integer, or */
	size_t		 off, len;	/* text or a blob in text */
	int		 type;		/* REV_INT, REV_TEXT, REV_BLOB */
};

enum { REV_INT, REV_TEXT, REV_BLOB };

struct rev_batch {
	struct db_stmt	*many;		/* REV_AT_ONCE revisions */
	struct buf	 text;		/* their text, back to back */
	struct rev_cell	*cell;		/* REV_AT_ONCE rows of ncells */
	size_t		 ncells;	/* a revision's columns */
	size_t		 n;		/* waiting */
	int64_t		 next_id;	/* the next revision's */
};

/*
 * An update of risk classes stages its rows in memory, where the other
 * kinds use import_row: a row is RISK_ROW bytes, its key first, so that
 * the radix sort (sort_bytes) puts them in key order in place. At 10 M
 * rows that is 300 MB of memory instead of writing the TEMP table (390
 * MB) and SQLite's sorted runs (350 MB) to temporary files and reading
 * them back, a fifth of the import. The class is its index in the plan.
 */
#define STAGE_CODE	18		/* a code, NUL-padded */
#define RISK_KEY	(STAGE_CODE + 7)	/* and the month, YYYY-MM */
#define RISK_ROW	(RISK_KEY + 1 + 4) /* the class's index, the line */
#define RISK_CLASSES	256

/* Rows of a fixed size, in memory, that sort_bytes sorts in place. */
struct row_stage {
	int		 on;
	unsigned char	*row;
	size_t		 n, cap;
};

/*
 * An update of enterprises stages its rows in import_row as they come,
 * and each one's code, digest (row_digest's, made on the reader's
 * thread) and line in memory: sorted there, they are compared with the
 * current revisions in key order, and only the rows that changed are
 * read back from import_row, where SQLite sorted every row whole (150
 * bytes or more) to compare it. A rejected row that keeps its enterprise
 * (kept) is staged too, flagged: what the file names is what is not
 * removed.
 */
#define DIGEST_LINE	(STAGE_CODE + 16)	/* after the code and digest */
#define DIGEST_KEPT	(DIGEST_LINE + 4)	/* a byte: 1 if kept */
#define DIGEST_ROW	(DIGEST_KEPT + 1)

/* One import in progress. */
struct import {
	const struct kind		*kind;
	const struct registry_options	*opts;
	struct registry_stats		*stats;
	struct db			*db;
	struct csvfile			*csv;
	const char			*name;		/* the file, for messages */
	/* Column of the file for each field, or -1. */
	int				 column[MAX_FIELDS];
	char				**header;	/* the file's header */
	size_t				 nheader;
	/*
	 * The current row, normalised: in own_value, or in the row the
	 * reader thread left (struct read_row).
	 */
	struct buf			*value;
	int64_t				*ivalue;
	const unsigned char		*digest;	/* its digest, or NULL */
	struct buf			 own_value[MAX_FIELDS];
	int64_t				 own_ivalue[MAX_FIELDS];
	int				 legacy;
	unsigned long			 line;
	int				 row_bad;
	struct buf			 reasons;	/* of a bad row */
	struct buf			*said;	/* its messages, or NULL: stderr */
	struct file_out			 reject;
	FILE				*rejmem;	/* UTF-8 until closed */
	char				*rejbuf;
	size_t				 rejlen;
	int64_t				 snapshot;
	/* Its revisions: every id from this one on (imports append). */
	int64_t				 first_revision;
	char				 imported_at[TIMESTAMP_LEN];
	int				 incremental;	/* a previous state exists */
	struct db_stmt			*insert;	/* one revision */
	struct rev_batch		 revs;		/* ... or REV_AT_ONCE */
	struct db_stmt			*current;	/* latest revision of a key */
	struct db_stmt			*stage;		/* into import_row */
	struct db_stmt			*row_key;	/* line and key of a row */
	char				*key_index;	/* SQL, while dropped */
	struct db_stmt			*remove;	/* --remove rows */
	struct key_set			 seen;		/* keys of this file */
	struct buf			 key;		/* of the current row */
	struct buf			 other_key;	/* a row's, compared */
	struct buf			 digest_in;	/* what row_digest takes */
	int				 progress_shown;
	/* Risk: classifications gained (+) or lost (-) per month. */
	struct month_delta		*deltas;
	size_t				 ndeltas;
	/* The revisions' digest for the snapshot's ledger entry. */
	struct ledger_rows		 rows;
	/* A first import's rows in the draw pool (pool_count). */
	uint64_t			 pool_rows;
	int				 pool_field;	/* or -1 */
	/* A first import of enterprises: enterprise_cur in memory. */
	struct cur_set			 cur;
	/* An update of risk classes: its rows, staged in memory. */
	struct row_stage		 risk;
	/* An update of enterprises: codes and digests, in memory. */
	struct row_stage		 digests;
	struct db_stmt			*staged;	/* import_row by line */
};

struct month_delta {
	char		 month[8];	/* YYYY-MM */
	int64_t		 n;
	int		 fresh;		/* no revision before: 1, 0, -1 unknown */
};

static void	 import_release(struct import *);
static int	 rev_flush(struct import *);

int
registry_kind_parse(const char *s, enum registry_kind *out)
{
	size_t	 i;

	for (i = 0; i < REGISTRY_NKINDS; i++)
		if (strcmp(s, kinds[i].name) == 0) {
			*out = (enum registry_kind)i;
			return 0;
		}
	return -1;
}

const char *
registry_kind_name(enum registry_kind k)
{
	return kinds[k].name;
}

/* Text helpers. */

static int
is_space_at(const char *s, size_t len, size_t *width)
{
	if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
	    s[0] == '\n')) {
		*width = 1;
		return 1;
	}
	/* U+3000 IDEOGRAPHIC SPACE, common in Chinese spreadsheets */
	if (len >= 3 && (unsigned char)s[0] == 0xe3 &&
	    (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) {
		*width = 3;
		return 1;
	}
	return 0;
}

static void
trim(const char **s, size_t *len)
{
	size_t	 w;

	while (*len > 0 && is_space_at(*s, *len, &w)) {
		*s += w;
		*len -= w;
	}
	while (*len > 0) {
		if ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
		    (*s)[*len - 1] == '\r' || (*s)[*len - 1] == '\n')
			(*len)--;
		else if (*len >= 3 && memcmp(*s + *len - 3, "\xe3\x80\x80", 3)
		    == 0)
			*len -= 3;
		else
			break;
	}
}

/*
 * Codes are ASCII: full-width letters and digits (U+FF10.., U+FF21..,
 * U+FF41..) become ASCII and letters upper case, so "９１３６…" matches.
 */
static void
normalize_code(struct buf *out, const char *s, size_t len)
{
	size_t	 i;
	unsigned char c, c2;

	buf_reset(out);
	/* The common case, plain upper-case ASCII, is copied whole. */
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || (s[i] >= 'a' && s[i] <= 'z'))
			break;
	buf_add(out, s, i);
	for (; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == 0xef && i + 2 < len &&
		    ((unsigned char)s[i + 1] == 0xbc ||
		    (unsigned char)s[i + 1] == 0xbd)) {
			c2 = (unsigned char)s[i + 2];
			if ((unsigned char)s[i + 1] == 0xbc && c2 >= 0x90 &&
			    c2 <= 0x99)
				c = (unsigned char)('0' + (c2 - 0x90));
			else if ((unsigned char)s[i + 1] == 0xbc &&
			    c2 >= 0xa1 && c2 <= 0xba)
				c = (unsigned char)('A' + (c2 - 0xa1));
			else if ((unsigned char)s[i + 1] == 0xbd &&
			    c2 >= 0x81 && c2 <= 0x9a)
				c = (unsigned char)('A' + (c2 - 0x81));
			else {
				buf_add(out, s + i, 3);
				i += 2;
				continue;
			}
			i += 2;
		} else if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		buf_addch(out, c);
	}
}

static int
division_token_valid(const char *s, size_t len)
{
	return division_valid(s, len);
}

/* Separators of lists inside one field: ; ， , 、 | ； and spaces. */
static size_t
separator_at(const char *s, size_t len)
{
	size_t	 w;

	if (*s == ';' || *s == ',' || *s == '|' || *s == '/')
		return 1;
	if (is_space_at(s, len, &w))
		return w;
	if (len >= 3 && ((memcmp(s, "\xef\xbc\x9b", 3) == 0) ||	/* ； */
	    memcmp(s, "\xef\xbc\x8c", 3) == 0 ||			/* ， */
	    memcmp(s, "\xe3\x80\x81", 3) == 0))			/* 、 */
		return 3;
	return 0;
}

static int
strcmp_qsort(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Splits a list into tokens, normalises each as a code, sorts them and
 * drops duplicates: the canonical "A;B;C". Calls check on each token.
 */
static int
normalize_list(struct buf *out, const char *s, size_t len,
    int (*check)(const char *, size_t), const char **bad)
{
	struct buf	 tok = BUF_INIT;
	char		**v = NULL;
	char		 div[7];
	size_t		 n = 0, i, start, w;
	int		 ret = -1;

	buf_reset(out);
	i = 0;
	while (i < len) {
		while (i < len && (w = separator_at(s + i, len - i)) > 0)
			i += w;
		if (i >= len)
			break;
		start = i;
		while (i < len && separator_at(s + i, len - i) == 0)
			i++;
		normalize_code(&tok, s + start, i - start);
		v = xreallocarray(v, n + 1, sizeof(*v));
		/* A 2- or 4-digit prefix is the province or city code. */
		if (check == division_token_valid &&
		    cell_division(tok.data, tok.len, div) == 0)
			v[n++] = xstrdup(div);
		else
			v[n++] = xstrdup(buf_cstr(&tok));
		if (check != NULL && !check(v[n - 1], strlen(v[n - 1]))) {
			*bad = xstrdup(v[n - 1]);
			goto out;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), strcmp_qsort);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
			continue;
		if (out->len > 0)
			buf_addch(out, ';');
		buf_addstr(out, v[i]);
	}
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	buf_release(&tok);
	return ret;
}

/* What breaks a cell's text into lines (check_text). */
static int
is_line_break(char c)
{
	return c == '\r' || c == '\n' || c == '\t';
}

static int
has_control(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

static int
code_token_valid(const char *s, size_t len)
{
	return len > 0 && len <= 64 && !has_control(s, len);
}

/* Messages about the current row. */

static const char *
column_label(const struct import *im, size_t f)
{
	if (im->column[f] >= 0)
		return im->header[im->column[f]];
	return im->kind->fields[f].header;
}

/* A row's message: to stderr, or kept for it (the reader thread's). */
static void
say(struct import *im, const char *what, const char *msg)
{
	if (im->said != NULL)
		buf_printf(im->said, "%s:%lu: %s%s\n", im->name, im->line,
		    what, msg);
	else
		fprintf(stderr, "%s:%lu: %s%s\n", im->name, im->line, what,
		    msg);
}

static void row_bad(struct import *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
row_bad(struct import *im, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	say(im, "", msg);
	if (im->reasons.len > 0)
		buf_addstr(&im->reasons, "; ");
	buf_addstr(&im->reasons, msg);
	free(msg);
	im->row_bad = 1;
}

static void row_warn(struct import *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
row_warn(struct import *im, const char *fmt, ...)
{
	struct buf	 msg = BUF_INIT;
	va_list		 ap;

	if (++im->stats->warnings > MAX_WARNINGS_SHOWN)
		return;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	say(im, "warning: ", buf_cstr(&msg));
	buf_release(&msg);
}

/* Validation of one field; the value goes to im->value[f]/ivalue[f]. */

static const char *
class_list(const struct config *cfg, struct buf *b)
{
	size_t	 i, n;

	buf_reset(b);
	n = cfg != NULL ? cfg->nclasses : NELEM(default_classes);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addstr(b, ", ");
		buf_addstr(b, cfg != NULL ? cfg->classes[i].code :
		    default_classes[i]);
	}
	return buf_cstr(b);
}

/* The plan's risk classes (the defaults without a plan): how many, each. */
static size_t
plan_nclasses(const struct config *cfg)
{
	return cfg != NULL ? cfg->nclasses : NELEM(default_classes);
}

static const char *
plan_class_name(const struct config *cfg, size_t i)
{
	return cfg != NULL ? cfg->classes[i].code : default_classes[i];
}

/* A class's index among them, or -1. */
static int
plan_class_index(const struct config *cfg, const char *s, size_t len)
{
	size_t	 i;

	if (cfg != NULL)
		return config_find_class(cfg, s, len);
	for (i = 0; i < NELEM(default_classes); i++)
		if (strlen(default_classes[i]) == len &&
		    memcmp(default_classes[i], s, len) == 0)
			return (int)i;
	return -1;
}

static int
class_known(const struct config *cfg, const char *s, size_t len)
{
	return plan_class_index(cfg, s, len) >= 0;
}

static void
check_uscc(struct import *im, size_t f, const char *label)
{
	struct buf	*v = &im->value[f];
	char		 expected;

	im->legacy = 0;
	if (v->len == REGNO_LEN && strspn(v->data, "0123456789") ==
	    REGNO_LEN) {
		/* Old numbers may predate GS15-2006's check digit. */
		im->legacy = 1;
		if (!regno_valid(v->data, v->len))
			row_warn(im, "column '%s': '%s' fails the check digit "
			    "of a 15-digit registration number (GS15-2006)",
			    label, v->data);
		return;
	}
	switch (uscc_check(v->data, v->len, &expected)) {
	case USCC_OK:
		/* Said once, when the enterprise itself is imported. */
		if (im->kind == &kinds[REGISTRY_ENTERPRISES] &&
		    !uscc_orgcode_valid(v->data))
			row_warn(im, "column '%s': '%s' fails the GB 11714 "
			    "organisation-code check (positions 9-17)",
			    label, v->data);
		return;
	case USCC_BAD_CHECK:
		row_bad(im, "column '%s': bad check character '%c' in '%s' "
		    "(expected '%c')", label, v->data[USCC_LEN - 1], v->data,
		    expected);
		return;
	case USCC_BAD_LENGTH:
		row_bad(im, "column '%s': '%s' is not an 18-character USCC "
		    "nor a 15-digit registration number", label, v->data);
		return;
	default:
		row_bad(im, "column '%s': '%s': %s", label, v->data,
		    uscc_strerror(uscc_check(v->data, v->len, NULL)));
		return;
	}
}

static void
check_text(struct import *im, size_t f, const char *s, size_t len)
{
	struct buf	*v = &im->value[f];
	size_t		 i, run;

	/* One line: a run of CR, LF and tab inside a cell is one space. */
	buf_reset(v);
	for (i = 0; i < len; i++) {
		for (run = 0; i + run < len && !is_line_break(s[i + run]);
		    run++)
			;
		buf_add(v, s + i, run);
		i += run;
		if (i == len)
			break;
		buf_addch(v, ' ');
		while (i + 1 < len && is_line_break(s[i + 1]))
			i++;
	}
	if (has_control(v->data, v->len))
		row_bad(im, "column '%s': contains a control character",
		    column_label(im, f));
}

static int
status_parse(struct buf *v, const char *s, size_t len)
{
	size_t	 i, j, cut;

	/* "存续（在营、开业、在册）": the part before the parenthesis */
	for (cut = 0; cut < len; cut++)
		if (s[cut] == '(' || (cut + 3 <= len &&
		    memcmp(s + cut, "\xef\xbc\x88", 3) == 0))
			break;
	for (i = 0; i < NELEM(statuses); i++)
		for (j = 0; j < NELEM(statuses[i]); j++)
			if (statuses[i][j] != NULL &&
			    strlen(statuses[i][j]) == cut &&
			    strncasecmp(statuses[i][j], s, cut) == 0) {
				buf_reset(v);
				buf_addstr(v, statuses[i][0]);
				return 0;
			}
	return -1;
}

static int
entity_type_parse(struct buf *v, const char *s, size_t len)
{
	size_t	 i, j;
	char	*tmp;
	int	 found = -1;

	tmp = xstrndup(s, len);
	for (i = 0; i < NELEM(entity_types) && found < 0; i++) {
		if (strcasecmp(tmp, entity_types[i][0]) == 0 ||
		    strcmp(tmp, entity_types[i][1]) == 0)
			found = (int)i;
	}
	/* GSXT's detailed 企业类型, e.g. "有限责任公司(自然人投资或控股)" */
	for (i = 0; i < NELEM(entity_types) && found < 0; i++)
		for (j = 1; j < NELEM(entity_types[i]); j++)
			if (entity_types[i][j] != NULL &&
			    strstr(tmp, entity_types[i][j]) != NULL) {
				found = (int)i;
				break;
			}
	free(tmp);
	if (found < 0)
		return -1;
	buf_reset(v);
	buf_addstr(v, entity_types[found][0]);
	return 0;
}

/* The entity type a USCC's first two characters name (GB 32100 table). */
static const char *
entity_type_of_uscc(const char *uscc, int legacy)
{
	if (legacy || uscc[0] != '9')
		return "other";
	switch (uscc[1]) {
	case '1':
		return "enterprise";
	case '2':
		return "individual";
	case '3':
		return "cooperative";
	default:
		return "other";
	}
}

static int
phone_valid(const char *s, size_t len)
{
	size_t	 i, digits = 0;

	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != '+' && s[i] != '-' && s[i] != ' ')
			return 0;
	}
	return digits >= 5 && digits <= 20;
}

static void
bad_date(struct import *im, const char *label, const char *s, size_t len,
    const char *what, const char *forms)
{
	if (cell_day_number(s, len))
		row_bad(im, "column '%s': '%.*s' is a spreadsheet's day "
		    "number, not %s: format the column as a date (YYYY-MM-DD) "
		    "before saving", label, (int)len, s, what);
	else
		row_bad(im, "column '%s': '%.*s' is not %s that cannot be "
		    "misread; write it as %s", label, (int)len, s, what, forms);
}

static void
check_field(struct import *im, size_t f, const char *raw, size_t rawlen)
{
	const struct field	*fd = &im->kind->fields[f];
	const struct config	*cfg = im->opts->cfg;
	struct buf		*v = &im->value[f];
	struct buf		 tmp = BUF_INIT;
	const char		*label = column_label(im, f);
	const char		*s = raw, *bad = NULL;
	size_t			 len = rawlen;
	day_t			 day;
	char			 date[DATE_STR_LEN];
	int			 yes = 0;

	trim(&s, &len);
	/* What csv_write_cell() wrote for a spreadsheet: '=..., '-... */
	if (len >= 2 && s[0] == '\'' && csv_formula_lead(s + 1, len - 1)) {
		s++;
		len--;
	}
	if (len > MAX_FIELD_BYTES) {
		row_bad(im, "column '%s': %zu bytes, more than the %d a field "
		    "may hold", label, len, MAX_FIELD_BYTES);
		return;
	}
	if (memchr(s, (unsigned char)CSV_BAD_BYTE, len) != NULL) {
		if (im->opts->encoding == CSV_AUTO)
			row_bad(im, "column '%s': invalid byte sequence, "
			    "neither utf-8 nor gb18030 (if the file is GBK, "
			    "import it with --encoding gbk)", label);
		else
			row_bad(im, "column '%s': invalid %s byte sequence",
			    label, csv_encoding_name(csvfile_encoding(im->csv)));
		return;
	}
	if (len == 0) {
		if (fd->flags & F_REQUIRED) {
			row_bad(im, "column '%s': empty", label);
			return;
		}
		buf_reset(v);
		if (fd->dflt != NULL) {
			buf_addstr(v, fd->dflt);
			im->ivalue[f] = atoi(fd->dflt);
		}
		return;		/* derived later, or empty by design */
	}
	/* A spreadsheet kept 6 digits of an 18-digit code: they are gone. */
	if (fd->type != FT_TEXT && fd->type != FT_DEPARTMENT &&
	    cell_scientific(s, len)) {
		row_bad(im, "column '%s': '%.*s' is a number in scientific "
		    "notation, its digits are lost: format the column as text "
		    "in the spreadsheet before saving, and enter the codes "
		    "again", label, (int)len, s);
		return;
	}

	switch (fd->type) {
	case FT_USCC:
		normalize_code(v, s, len);
		check_uscc(im, f, label);
		break;
	case FT_CREDENTIAL:
		normalize_code(v, s, len);
		if (!credential_valid(v->data, v->len))
			row_bad(im, "column '%s': '%s' is not a credential "
			    "number (1-32 of A-Z, 0-9 and '-')", label,
			    v->data);
		break;
	case FT_TEXT:
	case FT_DEPARTMENT:
		check_text(im, f, s, len);
		if (fd->type == FT_DEPARTMENT && cfg != NULL &&
		    config_find_department(cfg, v->data) == NULL)
			row_warn(im, "column '%s': department '%s' is not in "
			    "the plan", label, v->data);
		break;
	case FT_DIVISION:
		normalize_code(v, s, len);
		if (!division_valid(v->data, v->len))
			row_bad(im, "column '%s': '%s' is not a six-digit "
			    "division code (GB/T 2260)", label, v->data);
		break;
	case FT_DIVISIONS:
		if (normalize_list(v, s, len, division_token_valid, &bad) ==
		    -1) {
			row_bad(im, "column '%s': '%s' is not a division code "
			    "(GB/T 2260: 6 digits, or a prefix of 2 or 4)", label,
			    bad);
			free((char *)(uintptr_t)bad);
		}
		break;
	case FT_INDUSTRY:
		normalize_code(v, s, len);
		if (!industry_valid(v->data, v->len))
			row_bad(im, "column '%s': '%s' is not an industry code "
			    "(GB/T 4754, e.g. 'C3074')", label, v->data);
		break;
	case FT_ENTITY_TYPE:
		if (entity_type_parse(v, s, len) == -1)
			row_bad(im, "column '%s': unknown entity type '%.*s' "
			    "(expected 企业, 个体工商户, 农民专业合作社, "
			    "外国企业常驻代表机构 or 其他)", label, (int)len, s);
		break;
	case FT_STATUS:
		if (status_parse(v, s, len) == -1)
			row_bad(im, "column '%s': unknown registration status "
			    "'%.*s' (expected 存续, 在业, 吊销, 注销, 撤销, 迁出, "
			    "停业 or 清算)", label, (int)len, s);
		break;
	case FT_BOOL:
		if (cell_bool(s, len, &yes) == -1)
			row_bad(im, "column '%s': '%.*s' is neither 是 nor 否 "
			    "(accepted: " CELL_BOOL_FORMS ")", label, (int)len,
			    s);
		im->ivalue[f] = yes;
		break;
	case FT_CODES:
		normalize_list(v, s, len, code_token_valid, &bad);
		if (bad != NULL) {
			row_bad(im, "column '%s': bad code '%s'", label, bad);
			free((char *)(uintptr_t)bad);
		}
		break;
	case FT_DATE:
		if (cell_date(s, len, &day) == -1) {
			bad_date(im, label, s, len, "a date", CELL_DATE_FORMS);
			break;
		}
		buf_reset(v);
		buf_addstr(v, date_format(day, date));
		break;
	case FT_MONTH:
		if (cell_month(s, len, &day) == -1) {
			bad_date(im, label, s, len, "a month", CELL_MONTH_FORMS);
			break;
		}
		buf_reset(v);
		buf_add(v, date_format(day, date), 7);
		break;
	case FT_CLASS:
		normalize_code(v, s, len);
		if (!class_known(cfg, v->data, v->len))
			row_bad(im, "column '%s': unknown class '%s' (the "
			    "plan's classes: %s)", label, v->data,
			    class_list(cfg, &tmp));
		break;
	case FT_IDCARD:
		normalize_code(v, s, len);
		if (!idcard_valid(v->data, v->len))
			row_bad(im, "column '%s': not a valid 18-character ID "
			    "card number", label);	/* never echo it */
		break;
	case FT_PHONE:
		buf_reset(v);
		buf_add(v, s, len);
		if (!phone_valid(s, len))
			row_bad(im, "column '%s': not a phone number", label);
		break;
	case FT_LEGACY:
		break;
	}
	buf_release(&tmp);
}

/* Cross-field rules and derived values, once every field is checked. */
static void
check_row(struct import *im)
{
	const struct field	*fields = im->kind->fields;
	size_t			 f;

	for (f = 0; f < im->kind->nfields; f++) {
		if (fields[f].type == FT_LEGACY)
			im->ivalue[f] = im->legacy;
		if (fields[f].type == FT_ENTITY_TYPE &&
		    im->value[f].len == 0 && !im->row_bad) {
			buf_addstr(&im->value[f],
			    entity_type_of_uscc(im->value[0].data,
			    im->legacy));
		}
	}
	if (im->kind == &kinds[REGISTRY_CONFLICTS] && im->value[2].len > 0 &&
	    im->value[3].len > 0 &&
	    strcmp(im->value[2].data, im->value[3].data) > 0)
		row_bad(im, "column '%s': %s is before the start %s",
		    column_label(im, 3), im->value[3].data, im->value[2].data);
}

/*
 * The digest of a row's values (not its key): what decides "changed".
 * Each value as a 4-byte big-endian length and its bytes, given to
 * BLAKE2b at once (a call per value cost a million rows 0.3 s).
 */
static void
row_digest(struct import *im, unsigned char out[16])
{
	struct crypto_digest	 d;
	unsigned char		 len[4];
	size_t			 f, n;
	char			 num[24];
	const char		*p;

	buf_reset(&im->digest_in);
	for (f = im->kind->nkeys; f < im->kind->nfields; f++) {
		if (im->kind->fields[f].flags & F_INT) {
			n = num_format_i64(num, im->ivalue[f]);
			p = num;
		} else {
			p = buf_cstr(&im->value[f]);
			n = im->value[f].len;
		}
		len[0] = (unsigned char)(n >> 24);
		len[1] = (unsigned char)(n >> 16);
		len[2] = (unsigned char)(n >> 8);
		len[3] = (unsigned char)n;
		buf_add(&im->digest_in, len, sizeof(len));
		buf_add(&im->digest_in, p, n);
	}
	crypto_digest_init(&d, 16);
	crypto_digest_update(&d, im->digest_in.data, im->digest_in.len);
	crypto_digest_final(&d, out);
}

/* SQL */

/* The revision table's unique index by key, dropped for a first import. */
static int
key_index_drop(struct import *im)
{
	struct db_stmt	*st;
	struct buf	 sql = BUF_INIT;
	int		 rc;

	if ((st = db_prepare(im->db, "SELECT sql FROM sqlite_master WHERE "
	    "type = 'index' AND name = ?1 || '_key'")) == NULL)
		return -1;
	db_bind_text(st, 1, im->kind->table, SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW)
		im->key_index = xstrdup(db_col_text(st, 0));
	db_finalize(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	buf_printf(&sql, "DROP INDEX %s_key", im->kind->table);
	rc = db_exec(im->db, buf_cstr(&sql));
	buf_release(&sql);
	return rc;
}

/* The index again, from the rows' keys sorted; in the same transaction. */
static int
key_index_restore(struct import *im)
{
	int	 rc;

	if (im->key_index == NULL)
		return 0;
	/* The sort's runs are as large as the page cache may be. */
	if (db_exec(im->db, "PRAGMA cache_size = -8192") == -1)
		return -1;
	rc = db_exec(im->db, im->key_index);
	free(im->key_index);
	im->key_index = NULL;
	return rc;
}

/* row_key: "SELECT line, keys... FROM table WHERE column = ?1". */
static int
prepare_row_key(struct import *im, const char *table, const char *column)
{
	struct buf	 sql = BUF_INIT;
	size_t		 f;

	buf_addstr(&sql, "SELECT line");
	for (f = 0; f < im->kind->nkeys; f++)
		buf_printf(&sql, ", %s", im->kind->fields[f].column);
	buf_printf(&sql, " FROM %s WHERE %s = ?1", table, column);
	im->row_key = db_prepare(im->db, buf_cstr(&sql));
	buf_release(&sql);
	return im->row_key == NULL ? -1 : 0;
}

/*
 * Whether the revision table's columns are id and then those the insert
 * names, in its order: the order in which store_row digests a revision
 * for the ledger (else the ledger reads the rows back). 1, 0 or -1.
 */
static int
columns_in_insert_order(struct import *im)
{
	const struct kind	*k = im->kind;
	static const char *const meta[] = { "snapshot", "present", "line",
	    "digest" };
	struct db_stmt		*st;
	const char		*want;
	size_t			 i = 0;
	int			 rc, same = 1;

	st = db_prepare(im->db, "SELECT name FROM pragma_table_info(?1) "
	    "ORDER BY cid");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, k->table, SIZE_MAX);
	while (same && (rc = db_step(st)) == DB_ROW) {
		if (i == 0)
			want = "id";
		else if (i <= k->nkeys)
			want = k->fields[i - 1].column;
		else if (i <= k->nkeys + 4)
			want = meta[i - k->nkeys - 1];
		else if (i < k->nfields + 5)
			want = k->fields[i - 5].column;
		else
			want = "";
		same = strcmp(db_col_text(st, 0), want) == 0;
		i++;
	}
	db_finalize(st);
	if (same && rc != DB_DONE)
		return -1;
	return same && i == k->nfields + 5;
}

static int
prepare_statements(struct import *im)
{
	const struct kind	*k = im->kind;
	struct buf		 sql = BUF_INIT;
	size_t			 f, r;
	int			 rc, ret = -1;

	/* INSERT INTO t (keys, snapshot, present, line, digest, values) */
	buf_printf(&sql, "INSERT INTO %s (", k->table);
	for (f = 0; f < k->nkeys; f++)
		buf_printf(&sql, "%s, ", k->fields[f].column);
	buf_addstr(&sql, "snapshot, present, line, digest");
	for (f = k->nkeys; f < k->nfields; f++)
		buf_printf(&sql, ", %s", k->fields[f].column);
	buf_addstr(&sql, ") VALUES ");
	for (r = 0; r < REV_AT_ONCE; r++) {
		buf_addstr(&sql, r > 0 ? ", (" : "(");
		for (f = 0; f < k->nfields + 4; f++)
			buf_addstr(&sql, f > 0 ? ", ?" : "?");
		buf_addch(&sql, ')');
		if (r == 0 && (im->insert = db_prepare(im->db,
		    buf_cstr(&sql))) == NULL)
			goto out;
	}
	if ((im->revs.many = db_prepare(im->db, buf_cstr(&sql))) == NULL)
		goto out;
	im->revs.ncells = k->nfields + 4;
	im->revs.cell = xreallocarray(NULL, REV_AT_ONCE * im->revs.ncells,
	    sizeof(*im->revs.cell));
	im->revs.next_id = im->first_revision;
	if ((rc = columns_in_insert_order(im)) == -1)
		goto out;
	if (rc == 0)
		im->rows.stopped = 1;

	buf_reset(&sql);
	buf_printf(&sql, "SELECT present, digest FROM %s WHERE ", k->table);
	for (f = 0; f < k->nkeys; f++)
		buf_printf(&sql, "%s%s = ?%zu", f > 0 ? " AND " : "",
		    k->fields[f].column, f + 1);
	buf_addstr(&sql, " ORDER BY snapshot DESC LIMIT 1");
	if ((im->current = db_prepare(im->db, buf_cstr(&sql))) == NULL)
		goto out;

	crypto_random(im->seen.hash_key, sizeof(im->seen.hash_key));
	if (!im->incremental) {
		/*
		 * A first import goes straight into the empty table, in the
		 * file's order, without its index by key: made afterwards
		 * from the sorted keys, it costs a fraction of a million
		 * insertions at random places (key_index_restore).
		 */
		if (prepare_row_key(im, k->table, "id") == -1 ||
		    (!im->opts->remove && key_index_drop(im) == -1))
			goto out;
		ret = 0;
		goto out;
	}
	/*
	 * An update's valid rows wait in import_row, in the file's order, to
	 * be stored in key order: each revision's lookup and insertion then
	 * reads the pages the last one read, however long the history.
	 */
	if (db_exec(im->db, "DROP TABLE IF EXISTS temp.import_row") == -1)
		goto out;
	buf_reset(&sql);
	buf_addstr(&sql, "CREATE TEMP TABLE import_row (line INTEGER PRIMARY "
	    "KEY, kept INTEGER NOT NULL");
	for (f = 0; f < k->nfields; f++)
		buf_printf(&sql, ", %s", k->fields[f].column);
	buf_addch(&sql, ')');
	if (db_exec(im->db, buf_cstr(&sql)) == -1 ||
	    prepare_row_key(im, "temp.import_row", "line") == -1)
		goto out;
	buf_reset(&sql);
	buf_addstr(&sql, "INSERT INTO temp.import_row VALUES (?1, ?2");
	for (f = 0; f < k->nfields; f++)
		buf_printf(&sql, ", ?%zu", f + 3);
	buf_addch(&sql, ')');
	if ((im->stage = db_prepare(im->db, buf_cstr(&sql))) == NULL)
		goto out;
	/* (a class is a byte of a staged row; risk is never whole) */
	im->risk.on = k == &kinds[REGISTRY_RISK] && !k->whole &&
	    !im->opts->remove && plan_nclasses(im->opts->cfg) <= RISK_CLASSES;
	if (k == &kinds[REGISTRY_ENTERPRISES] && !im->opts->remove) {
		buf_reset(&sql);
		buf_addstr(&sql, "SELECT line");
		for (f = 0; f < k->nfields; f++)
			buf_printf(&sql, ", %s", k->fields[f].column);
		buf_addstr(&sql, " FROM temp.import_row WHERE line = ?1");
		if ((im->staged = db_prepare(im->db, buf_cstr(&sql))) == NULL)
			goto out;
		im->digests.on = 1;
	}
	ret = 0;
out:
	buf_release(&sql);
	return ret;
}

static void
bind_key(struct import *im, struct db_stmt *st)
{
	size_t	 f;

	for (f = 0; f < im->kind->nkeys; f++)
		db_bind_text(st, (int)f + 1, buf_cstr(&im->value[f]),
		    im->value[f].len);
}

/* The current row's key as bytes (im->key), fields joined by US (0x1f). */
static void
key_bytes(struct import *im)
{
	size_t	 f;

	buf_reset(&im->key);
	for (f = 0; f < im->kind->nkeys; f++) {
		if (f > 0)
			buf_addch(&im->key, 0x1f);
		buf_add(&im->key, buf_cstr(&im->value[f]), im->value[f].len);
	}
}

/* Room in a stage for one more row of size bytes; the row's place. */
static unsigned char *
stage_room(struct row_stage *rs, size_t size)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap > 0 ? 2 * rs->cap : 65536;
		rs->row = xreallocarray(rs->row, rs->cap, size);
	}
	return rs->row + rs->n++ * size;
}

static void
stage_free(struct row_stage *rs)
{
	free(rs->row);
	rs->row = NULL;
	rs->n = rs->cap = 0;
}

/* A code (checked: STAGE_CODE bytes at most) at the head of a row. */
static void
stage_code_put(unsigned char *r, const struct buf *code)
{
	memset(r, 0, STAGE_CODE);
	memcpy(r, code->data, code->len);
}

/* The code at the head of a staged row, into out. */
static void
stage_code_get(const unsigned char *r, struct buf *out)
{
	buf_reset(out);
	buf_add(out, r, strnlen((const char *)r, STAGE_CODE));
}

/* The current enterprise's code, digest (none if kept) and line. */
static int
digest_stage_add(struct import *im, int kept)
{
	const struct buf *code = kept ? &im->key : &im->value[0];
	unsigned char	*r;

	if (code->len > STAGE_CODE || (!kept && im->digest == NULL))
		return error("%s:%lu: a row the checks let through unstaged; "
		    "the import is undone: report this as a bug", im->name,
		    im->line);
	r = stage_room(&im->digests, DIGEST_ROW);
	stage_code_put(r, code);
	if (kept)
		memset(r + STAGE_CODE, 0, 16);
	else
		memcpy(r + STAGE_CODE, im->digest, 16);
	num_put_le32(r + DIGEST_LINE, (uint32_t)im->line);
	r[DIGEST_KEPT] = (unsigned char)kept;
	return 0;
}

/*
 * The current risk row into the stage (risk_fields: code, month, class,
 * all checked by now); *row is its index there, for the key set.
 */
static int
risk_stage_add(struct import *im, uint64_t *row)
{
	struct row_stage *rs = &im->risk;
	const struct buf *code = &im->value[0], *month = &im->value[1];
	unsigned char	*r;
	uint32_t	 line = (uint32_t)im->line;
	int		 k;

	k = plan_class_index(im->opts->cfg, im->value[2].data,
	    im->value[2].len);
	if (code->len > STAGE_CODE || month->len != RISK_KEY - STAGE_CODE ||
	    k < 0 || k >= RISK_CLASSES)
		return error("%s:%lu: a risk row the checks let through "
		    "unstaged; the import is undone: report this as a bug",
		    im->name, im->line);
	*row = rs->n;
	r = stage_room(rs, RISK_ROW);
	stage_code_put(r, code);
	memcpy(r + STAGE_CODE, month->data, month->len);
	r[RISK_KEY] = (unsigned char)k;
	num_put_le32(r + RISK_KEY + 1, line);
	return 0;
}

/* Staged row i's key, as key_bytes makes it, into im->other_key. */
static uint32_t
risk_stage_key(struct import *im, size_t i)
{
	const unsigned char *r = im->risk.row + i * RISK_ROW;

	stage_code_get(r, &im->other_key);
	buf_addch(&im->other_key, 0x1f);
	buf_add(&im->other_key, r + STAGE_CODE, RISK_KEY - STAGE_CODE);
	return num_get_le32(r + RISK_KEY + 1);
}

/*
 * Whether the row the key set names has the key im->key: 1 (and its
 * line), 0 or -1.
 */
static int
row_key_equal(struct import *im, uint64_t row, uint64_t *line)
{
	struct db_stmt	*st = im->row_key;
	size_t		 f;
	int		 rc;

	if (im->risk.on) {
		*line = risk_stage_key(im, (size_t)row);
		return im->other_key.len == im->key.len &&
		    memcmp(im->other_key.data, im->key.data, im->key.len) == 0;
	}
	/* A first import's row may still wait to be written (rare). */
	if (!im->incremental && row >= (uint64_t)(im->revs.next_id -
	    (int64_t)im->revs.n) && rev_flush(im) == -1)
		return -1;
	buf_reset(&im->other_key);
	db_bind_int(st, 1, (int64_t)row);
	if ((rc = db_step(st)) == DB_ROW) {
		*line = (uint64_t)db_col_int(st, 0);
		for (f = 0; f < im->kind->nkeys; f++) {
			if (f > 0)
				buf_addch(&im->other_key, 0x1f);
			buf_add(&im->other_key, db_col_text(st, (int)f + 1),
			    db_col_bytes(st, (int)f + 1));
		}
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return -1;
	return rc == DB_ROW && im->other_key.len == im->key.len &&
	    memcmp(im->other_key.data, im->key.data, im->key.len) == 0;
}

static void
key_set_grow(struct key_set *s)
{
	uint64_t	*old = s->slot;
	size_t		 i, j, oldsize = old != NULL ? s->mask + 1 : 0;

	s->mask = oldsize > 0 ? 2 * oldsize - 1 : 1023;
	s->slot = xcalloc(s->mask + 1, sizeof(*s->slot));
	for (i = 0; i < oldsize; i++) {
		if (old[i] == 0)
			continue;
		for (j = (old[i] >> 32) & s->mask; s->slot[j] != 0;
		    j = (j + 1) & s->mask)
			;
		s->slot[j] = old[i];
	}
	free(old);
}

/*
 * Looks im->key up. Returns 1 when the file did not have it, with the
 * empty slot and the tag that key_set_put takes, 0 when it had it (on
 * line *first), -1 on a database failure.
 */
static int
key_set_find(struct import *im, size_t *slot, uint32_t *tag_out,
    uint64_t *first)
{
	struct key_set	*s = &im->seen;
	uint32_t	 tag;
	size_t		 i;
	int		 rc;

	if (s->slot == NULL || (s->n + 1) * 10 > (s->mask + 1) * 7)
		key_set_grow(s);
	tag = (uint32_t)(crypto_siphash64(im->key.data, im->key.len,
	    s->hash_key) >> 32);
	for (i = tag & s->mask; s->slot[i] != 0; i = (i + 1) & s->mask) {
		if ((uint32_t)(s->slot[i] >> 32) != tag)
			continue;
		rc = row_key_equal(im, s->slot[i] & UINT32_MAX, first);
		if (rc != 0)
			return rc == 1 ? 0 : -1;
	}
	*slot = i;
	*tag_out = tag;
	return 1;
}

static void
key_set_put(struct key_set *s, size_t slot, uint32_t tag, uint32_t row)
{
	s->slot[slot] = (uint64_t)tag << 32 | row;
	s->n++;
}

/* Reports a key seen earlier in this file, which refuses the row. */
static void
report_duplicate(struct import *im, uint64_t first)
{
	struct buf	 key = BUF_INIT;
	size_t		 f;

	for (f = 0; f < im->kind->nkeys; f++) {
		if (f > 0)
			buf_addstr(&key, ", ");
		buf_addstr(&key, buf_cstr(&im->value[f]));
	}
	row_bad(im, "duplicate %s '%s' (first on line %llu)",
	    im->kind->nkeys > 1 ? "entry" : "code", buf_cstr(&key),
	    (unsigned long long)first);
	buf_release(&key);
}

/* Into import_row: the current row, or a kept row's key alone. */
static int
stage_row(struct import *im, int kept)
{
	const struct kind	*k = im->kind;
	size_t			 f;
	int			 rc, col;

	db_bind_int(im->stage, 1, (int64_t)im->line);
	db_bind_int(im->stage, 2, kept);
	for (f = 0, col = 3; f < k->nfields; f++, col++) {
		if (kept && f == 0)
			db_bind_text(im->stage, col, buf_cstr(&im->key),
			    im->key.len);
		else if (kept)
			db_bind_null(im->stage, col);
		else if (k->fields[f].flags & F_INT)
			db_bind_int(im->stage, col, im->ivalue[f]);
		else
			db_bind_text(im->stage, col, buf_cstr(&im->value[f]),
			    im->value[f].len);
	}
	rc = db_step(im->stage);
	db_reset(im->stage);
	return rc == DB_DONE ? 0 : -1;
}

static int	store_row(struct import *);

/* The waiting revisions, REV_AT_ONCE to a statement, the rest one by one. */
static int
rev_flush(struct import *im)
{
	struct rev_batch	*b = &im->revs;
	const struct rev_cell	*c;
	struct db_stmt		*st;
	const char		*text;
	size_t			 i = 0, r, rows, p;
	int			 rc;

	while (i < b->n) {
		st = b->n - i >= REV_AT_ONCE ? b->many : im->insert;
		rows = st == b->many ? REV_AT_ONCE : 1;
		for (r = 0, p = 1; r < rows; r++, i++) {
			for (c = &b->cell[i * b->ncells];
			    c < &b->cell[(i + 1) * b->ncells]; c++, p++) {
				if (c->type == REV_INT) {
					db_bind_int(st, (int)p, c->v);
					continue;
				}
				text = (const char *)b->text.data + c->off;
				if (c->type == REV_TEXT)
					db_bind_text(st, (int)p, text, c->len);
				else
					db_bind_blob(st, (int)p, text, c->len);
			}
		}
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return -1;
	}
	if (b->n > 0 && db_last_rowid(im->db) != b->next_id - 1)
		return error("database '%s': %s: a revision stored as id "
		    "%lld, counted as %lld; the import is undone: report "
		    "this as a bug",
		    db_path(im->db), im->kind->table,
		    (long long)db_last_rowid(im->db),
		    (long long)(b->next_id - 1));
	b->n = 0;
	buf_reset(&b->text);
	return 0;
}

static void
rev_cell_int(struct rev_cell *c, int64_t v)
{
	c->type = REV_INT;
	c->v = v;
}

static void
rev_cell_bytes(struct rev_batch *b, struct rev_cell *c, int type,
    const void *p, size_t len)
{
	c->type = type;
	c->off = b->text.len;
	c->len = len;
	buf_add(&b->text, p, len);
}

/* The current row as a revision, stored with the next REV_AT_ONCE - 1. */
static int
rev_add(struct import *im, const unsigned char digest[16])
{
	const struct kind	*k = im->kind;
	struct rev_batch	*b = &im->revs;
	struct rev_cell		*c = &b->cell[b->n * b->ncells];
	size_t			 f;

	for (f = 0; f < k->nkeys; f++)
		rev_cell_bytes(b, c++, REV_TEXT, buf_cstr(&im->value[f]),
		    im->value[f].len);
	rev_cell_int(c++, im->snapshot);
	rev_cell_int(c++, 1);
	rev_cell_int(c++, (int64_t)im->line);
	rev_cell_bytes(b, c++, REV_BLOB, digest, 16);
	for (f = k->nkeys; f < k->nfields; f++) {
		if (k->fields[f].flags & F_INT)
			rev_cell_int(c++, im->ivalue[f]);
		else
			rev_cell_bytes(b, c++, REV_TEXT,
			    buf_cstr(&im->value[f]), im->value[f].len);
	}
	b->next_id++;
	return ++b->n == REV_AT_ONCE ? rev_flush(im) : 0;
}

/*
 * A valid row of the file: a duplicate is refused; else a first import
 * stores it, an update stages it (in import_row; risk classes in memory).
 * A kept row (of an update) is only a key, im->key, that the import must
 * not remove. Returns 0, or -1 on a database failure.
 */
static int
take_row(struct import *im, int kept)
{
	uint64_t	 first = 0, row = 0;	/* (first: when a duplicate) */
	uint32_t	 tag;
	size_t		 slot;
	int		 rc;

	if (!kept)
		key_bytes(im);
	if ((rc = key_set_find(im, &slot, &tag, &first)) != 1) {
		if (rc == 0 && !kept)
			report_duplicate(im, first);
		return rc;
	}
	if (im->risk.on) {
		if (risk_stage_add(im, &row) == -1)
			return -1;
	} else if (im->incremental) {
		if (stage_row(im, kept) == -1 || (im->digests.on &&
		    digest_stage_add(im, kept) == -1))
			return -1;
		row = im->line;
	} else {
		if (store_row(im) == -1)
			return -1;
		row = (uint64_t)(im->revs.next_id - 1);
	}
	if (row > UINT32_MAX) {
		fprintf(stderr, "%s: more revisions than an import takes; "
		    "split the file\n", im->name);
		return -1;
	}
	key_set_put(&im->seen, slot, tag, (uint32_t)row);
	if (kept)
		im->stats->kept++;
	return 0;
}

/* The month of a risk row, value[1]; NULL for other kinds. */
static struct month_delta *
month_delta(struct import *im)
{
	const char	*month;
	size_t		 i;

	if (im->kind != &kinds[REGISTRY_RISK])
		return NULL;
	month = buf_cstr(&im->value[1]);
	for (i = 0; i < im->ndeltas; i++)
		if (strcmp(im->deltas[i].month, month) == 0)
			return &im->deltas[i];
	im->deltas = xreallocarray(im->deltas, im->ndeltas + 1,
	    sizeof(*im->deltas));
	snprintf(im->deltas[i].month, sizeof(im->deltas[i].month), "%s",
	    month);
	im->deltas[i].n = 0;
	im->deltas[i].fresh = -1;
	return &im->deltas[im->ndeltas++];
}

/* A risk row of month value[1] gained (+1) or lost (-1) its class. */
static void
count_month(struct import *im, int64_t n)
{
	struct month_delta *d;

	if ((d = month_delta(im)) != NULL)
		d->n += n;
}

/*
 * Whether the row's month had no revision before the import, when every
 * row of it is new and needs no look-up (a month's file, the common
 * case: 6 s of a 10 M import): 1, 0, or -1 on a failure. Asked at the
 * month's first row, before this import stores any row of it.
 */
static int
month_is_new(struct import *im)
{
	struct month_delta *d;
	struct db_stmt	*st;
	int		 rc;

	if ((d = month_delta(im)) == NULL)
		return 0;
	if (d->fresh != -1)
		return d->fresh;
	if ((st = db_prepare(im->db, "SELECT NOT EXISTS (SELECT 1 FROM "
	    "risk_rev WHERE month = ?1)")) == NULL)
		return -1;
	db_bind_text(st, 1, d->month, SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW)
		d->fresh = db_col_int(st, 0) != 0;
	db_finalize(st);
	return rc == DB_ROW ? d->fresh : -1;
}

/*
 * The revision just written, into the snapshot's digest: its columns in
 * the table's order, as `ledger verify` reads them back.
 */
static void
digest_revision(struct import *im, int64_t id, const unsigned char digest[16])
{
	const struct kind	*k = im->kind;
	size_t			 f;

	if (!ledger_rows_begin(&im->rows, id))
		return;
	for (f = 0; f < k->nkeys; f++)
		ledger_rows_text(&im->rows, buf_cstr(&im->value[f]),
		    im->value[f].len);
	ledger_rows_int(&im->rows, im->snapshot);
	ledger_rows_int(&im->rows, 1);
	ledger_rows_int(&im->rows, (int64_t)im->line);
	ledger_rows_blob(&im->rows, digest, 16);
	for (f = k->nkeys; f < k->nfields; f++) {
		if (k->fields[f].flags & F_INT)
			ledger_rows_int(&im->rows, im->ivalue[f]);
		else
			ledger_rows_text(&im->rows, buf_cstr(&im->value[f]),
			    im->value[f].len);
	}
	ledger_rows_end(&im->rows);
}

/* A status of an enterprise in the draw pool (see pool_count). */
static int
status_active(const char *s, size_t len)
{
	return (len == strlen("存续") && memcmp(s, "存续", len) == 0) ||
	    (len == strlen("在业") && memcmp(s, "在业", len) == 0);
}

/* Whether the current row is in the draw pool. */
static int
in_pool(struct import *im)
{
	int	 f = im->pool_field;

	if (f < 0)
		return 0;
	if (im->kind->fields[f].flags & F_INT)
		return im->ivalue[f] != 0;
	return status_active(buf_cstr(&im->value[f]), im->value[f].len);
}

/* enterprise_cur's columns after the code (see cur_write). */
static const char *const cur_columns[] = {
	"legacy", "division", "industry", "entity_type", "status",
	"abnormal", "serious", "certificates",
};

static void
cur_begin(struct import *im)
{
	struct cur_set	*c = &im->cur;
	size_t		 i, f;

	if (im->kind != &kinds[REGISTRY_ENTERPRISES] || im->incremental ||
	    im->opts->remove)
		return;
	for (i = 0; i < NELEM(cur_columns); i++) {
		for (f = 0; f < im->kind->nfields; f++)
			if (strcmp(im->kind->fields[f].column,
			    cur_columns[i]) == 0)
				break;
		if (f == im->kind->nfields)
			return;
		c->field[i] = (int)f;
	}
	c->nfields = NELEM(cur_columns);
	c->on = 1;
}

static void
cur_give_up(struct cur_set *c)
{
	c->on = 0;
	free(c->row);
	free(c->start);
	free(c->count);
	free(c->slot);
	buf_release(&c->arena);
	buf_release(&c->tail);
	c->row = NULL;
	c->start = NULL;
	c->count = NULL;
	c->slot = NULL;
	c->n = c->cap = c->ntails = c->tailcap = c->mask = 0;
}

/* The tail's cells: an int as 8 bytes, a text as 2 bytes of length. */
static void
cur_tail(struct import *im)
{
	struct cur_set	*c = &im->cur;
	unsigned char	 b[8];
	uint64_t	 v;
	size_t		 i, k, len;
	int		 f;

	buf_reset(&c->tail);
	for (i = 0; i < c->nfields; i++) {
		f = c->field[i];
		if (im->kind->fields[f].flags & F_INT) {
			v = (uint64_t)im->ivalue[f];
			for (k = 0; k < 8; k++)
				b[k] = (unsigned char)(v >> (8 * k));
			buf_add(&c->tail, b, 8);
			continue;
		}
		len = im->value[f].len;
		b[0] = (unsigned char)(len >> 8);
		b[1] = (unsigned char)len;
		buf_add(&c->tail, b, 2);
		buf_add(&c->tail, buf_cstr(&im->value[f]), len);
	}
}

static void
cur_slots_grow(struct cur_set *c, const unsigned char *key)
{
	size_t		 i, j, size = c->mask > 0 ? 2 * (c->mask + 1) : 1024;
	uint64_t	 h;

	free(c->slot);
	c->slot = xcalloc(size, sizeof(*c->slot));
	c->mask = size - 1;
	for (i = 0; i < c->ntails; i++) {
		h = crypto_siphash64(c->arena.data + c->start[i],
		    c->start[i + 1] - c->start[i], key);
		for (j = h & c->mask; c->slot[j] != 0; j = (j + 1) & c->mask)
			;
		c->slot[j] = (uint32_t)i + 1;
	}
}

/* The index of the current row's tail, added if new; -1 past the budget. */
static int64_t
cur_tail_index(struct import *im)
{
	struct cur_set	*c = &im->cur;
	const unsigned char *key = im->seen.hash_key;
	uint64_t	 h;
	size_t		 j, t;

	if ((c->ntails + 1) * 10 > (c->mask + 1) * 7)
		cur_slots_grow(c, key);
	h = crypto_siphash64(c->tail.data, c->tail.len, key);
	for (j = h & c->mask; c->slot[j] != 0; j = (j + 1) & c->mask) {
		t = c->slot[j] - 1;
		if (c->start[t + 1] - c->start[t] == c->tail.len &&
		    memcmp(c->arena.data + c->start[t], c->tail.data,
		    c->tail.len) == 0)
			return (int64_t)t;
	}
	if (c->arena.len + c->tail.len + (c->ntails + 1) * 24 >
	    CUR_TAILS_MAX)
		return -1;
	if (c->ntails + 2 > c->tailcap) {
		c->tailcap = c->tailcap > 0 ? 2 * c->tailcap : 1024;
		c->start = xreallocarray(c->start, c->tailcap,
		    sizeof(*c->start));
		c->count = xreallocarray(c->count, c->tailcap,
		    sizeof(*c->count));
	}
	t = c->ntails++;
	c->start[t] = (uint32_t)c->arena.len;
	buf_add(&c->arena, c->tail.data, c->tail.len);
	c->start[t + 1] = (uint32_t)c->arena.len;
	c->count[t] = 0;
	c->slot[j] = (uint32_t)t + 1;
	return (int64_t)t;
}

/* The row store_row just wrote, into the set. */
static void
cur_add(struct import *im)
{
	struct cur_set	*c = &im->cur;
	int64_t		 t;

	if (im->value[0].len > CUR_CODE) {
		cur_give_up(c);
		return;
	}
	cur_tail(im);
	if ((t = cur_tail_index(im)) < 0) {
		log_debug("import: too many distinct rows to keep in memory; "
		    "the current table is made by SQLite");
		cur_give_up(c);
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap > 0 ? 2 * c->cap : 65536;
		c->row = xreallocarray(c->row, c->cap, sizeof(*c->row));
	}
	memset(c->row[c->n].code, 0, CUR_CODE);
	memcpy(c->row[c->n].code, buf_cstr(&im->value[0]), im->value[0].len);
	c->row[c->n].tail = (uint32_t)t;
	c->n++;
	c->count[t]++;
}

/*
 * Writes the current row if it is new or changed. Returns 0, or -1 on a
 * database failure.
 */
static int
store_row(struct import *im)
{
	unsigned char		 digest[16];
	const void		*old;
	size_t			 oldlen;
	int			 rc, is_new = 1;

	if (im->digest != NULL)
		memcpy(digest, im->digest, sizeof(digest));
	else
		row_digest(im, digest);
	/* (a first import has nothing to look up) */
	if ((rc = im->incremental ? month_is_new(im) : 1) == -1)
		return -1;
	if (rc == 0) {
		bind_key(im, im->current);
		rc = db_step(im->current);
		if (rc == DB_ROW && db_col_int(im->current, 0)) {
			old = db_col_blob(im->current, 1, &oldlen);
			is_new = 0;
			if (oldlen == sizeof(digest) &&
			    memcmp(old, digest, sizeof(digest)) == 0) {
				db_reset(im->current);
				im->stats->unchanged++;
				return 0;
			}
		}
		db_reset(im->current);
		if (rc == DB_ERROR)
			return -1;
	}

	if (rev_add(im, digest) == -1)
		return -1;
	digest_revision(im, im->revs.next_id - 1, digest);
	if (!im->incremental && in_pool(im))
		im->pool_rows++;
	if (im->cur.on)
		cur_add(im);
	if (is_new) {
		im->stats->added++;
		count_month(im, 1);
	} else
		im->stats->changed++;
	return 0;
}

/* The risk rows staged, sorted in place, each stored in key order. */
static int
risk_stage_store(struct import *im)
{
	struct row_stage *rs = &im->risk;
	const unsigned char *r;
	size_t		 i;
	int		 ret = 0;

	sort_bytes(rs->row, rs->n, RISK_ROW, RISK_KEY);
	for (i = 0; i < rs->n && ret == 0; i++) {
		r = rs->row + i * RISK_ROW;
		stage_code_get(r, &im->value[0]);
		buf_reset(&im->value[1]);
		buf_add(&im->value[1], r + STAGE_CODE, RISK_KEY - STAGE_CODE);
		buf_reset(&im->value[2]);
		buf_addstr(&im->value[2], plan_class_name(im->opts->cfg,
		    r[RISK_KEY]));
		im->line = num_get_le32(r + RISK_KEY + 1);
		ret = store_row(im);
	}
	stage_free(rs);
	return ret;
}

/* A staged row (line, then every field) into the current row's values. */
static void
staged_columns(struct import *im, struct db_stmt *st)
{
	const struct kind	*k = im->kind;
	size_t			 f;

	im->line = (unsigned long)db_col_int(st, 0);
	for (f = 0; f < k->nfields; f++) {
		if (k->fields[f].flags & F_INT) {
			im->ivalue[f] = db_col_int(st, (int)f + 1);
			continue;
		}
		buf_reset(&im->value[f]);
		buf_add(&im->value[f], db_col_text(st, (int)f + 1),
		    db_col_bytes(st, (int)f + 1));
	}
}

/* Row line of import_row into the current row's values. */
static int
staged_row_read(struct import *im, uint32_t line)
{
	int	 rc;

	db_bind_int(im->staged, 1, line);
	if ((rc = db_step(im->staged)) == DB_ROW)
		staged_columns(im, im->staged);
	db_reset(im->staged);
	return rc == DB_ROW ? 0 : -1;
}

/*
 * The enterprises staged, compared with their current revisions by
 * digest: first each code's latest revision by the key index alone, in
 * key order; then those revisions' digests in the order of their ids,
 * which is the table's (a look-up of each in key order reads the table's
 * pages in the order of the file first imported: 6 us a row at 1 M).
 * What changed is read back from import_row and stored, in key order.
 */
static int
digest_stage_store(struct import *im)
{
	struct row_stage *ds = &im->digests;
	struct db_stmt	*latest = NULL, *digest = NULL;
	unsigned char	*r, *byid = NULL, *changed = NULL;
	const void	*old;
	size_t		 i, k, oldlen;
	int64_t		 id;
	int		 rc, ret = -1;

	sort_bytes(ds->row, ds->n, DIGEST_ROW, STAGE_CODE);
	latest = db_prepare(im->db, "SELECT id FROM enterprise_rev WHERE "
	    "uscc = ?1 ORDER BY snapshot DESC LIMIT 1");
	digest = db_prepare(im->db, "SELECT present, digest FROM "
	    "enterprise_rev WHERE id = ?1");
	if (latest == NULL || digest == NULL)
		goto out;
	/* each: its revision's id, big-endian (sorts), and its index */
	byid = xreallocarray(NULL, ds->n > 0 ? ds->n : 1, 12);
	changed = xcalloc(ds->n > 0 ? ds->n : 1, 1);
	for (i = 0; i < ds->n; i++) {
		r = ds->row + i * DIGEST_ROW;
		id = 0;
		if (!r[DIGEST_KEPT]) {		/* kept: stays as it is */
			stage_code_get(r, &im->value[0]);
			bind_key(im, latest);
			rc = db_step(latest);
			id = rc == DB_ROW ? db_col_int(latest, 0) : 0;
			db_reset(latest);
			if (rc == DB_ERROR)
				goto out;
		}
		num_put_be64(byid + i * 12, (uint64_t)id);
		num_put_le32(byid + i * 12 + 8, (uint32_t)i);
	}
	sort_bytes(byid, ds->n, 12, 8);
	for (i = 0; i < ds->n; i++) {
		id = (int64_t)num_get_be64(byid + i * 12);
		k = num_get_le32(byid + i * 12 + 8);
		r = ds->row + k * DIGEST_ROW;
		changed[k] = 1;
		if (id == 0)
			continue;	/* new */
		db_bind_int(digest, 1, id);
		if ((rc = db_step(digest)) == DB_ROW &&
		    db_col_int(digest, 0)) {
			old = db_col_blob(digest, 1, &oldlen);
			changed[k] = oldlen != 16 ||
			    memcmp(old, r + STAGE_CODE, 16) != 0;
		}
		db_reset(digest);
		if (rc == DB_ERROR)
			goto out;
	}
	for (i = 0; i < ds->n; i++) {
		r = ds->row + i * DIGEST_ROW;
		if (r[DIGEST_KEPT])
			continue;	/* kept: counted as such */
		if (!changed[i]) {
			im->stats->unchanged++;
			continue;
		}
		if (staged_row_read(im, num_get_le32(r + DIGEST_LINE)) == -1)
			goto out;
		/* (store_row looks it up again: only when changed) */
		im->digest = r + STAGE_CODE;
		rc = store_row(im);
		im->digest = NULL;
		if (rc == -1)
			goto out;
	}
	ret = 0;
out:
	db_finalize(latest);
	db_finalize(digest);
	free(byid);
	free(changed);
	return ret;
}

/* The staged rows in key order, each stored as store_row would. */
static int
store_staged(struct import *im)
{
	const struct kind	*k = im->kind;
	struct buf		 sql = BUF_INIT;
	struct db_stmt		*st;
	size_t			 f;
	int			 rc;

	/*
	 * The sorter's runs are as large as the page cache may be, and the
	 * lookups in key order need few pages: a small cache bounds the RSS.
	 */
	if (db_exec(im->db, "PRAGMA cache_size = -8192") == -1)
		return -1;
	if (im->risk.on)
		return risk_stage_store(im);
	if (im->digests.on)
		return digest_stage_store(im);
	buf_addstr(&sql, "SELECT line");
	for (f = 0; f < k->nfields; f++)
		buf_printf(&sql, ", %s", k->fields[f].column);
	buf_addstr(&sql, " FROM temp.import_row WHERE NOT kept ORDER BY ");
	for (f = 0; f < k->nkeys; f++)
		buf_printf(&sql, "%s%s", f > 0 ? ", " : "",
		    k->fields[f].column);
	st = db_prepare(im->db, buf_cstr(&sql));
	buf_release(&sql);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		staged_columns(im, st);
		if (store_row(im) == -1)
			break;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The header row: which column holds which field. */

static int
header_matches(const struct field *fd, const char *s)
{
	const char	*a, *end;
	size_t		 n;

	if (strcasecmp(s, fd->column) == 0 ||
	    (fd->header != NULL && strcmp(s, fd->header) == 0))
		return 1;
	for (a = fd->aliases; a != NULL && *a != '\0'; a = end) {
		end = strchr(a, '|');
		n = end != NULL ? (size_t)(end - a) : strlen(a);
		if (strlen(s) == n && strncasecmp(s, a, n) == 0)
			return 1;
		end = end != NULL ? end + 1 : a + n;
	}
	return 0;
}

/* The accepted name nearest to an unknown one, if it is near enough. */
static const char *
header_nearest(const struct kind *k, const char *s)
{
	static char	 alias[128];
	char		 name[128];
	const char	*best = NULL, *a, *end;
	unsigned	 d, bestd = 255, limit;
	size_t		 f, n, chars = 0;

	for (a = s; *a != '\0'; a++)
		chars += ((unsigned char)*a & 0xc0) != 0x80;
	/* one typo in a short name, a third of a long one */
	limit = chars < 6 ? 1 : (unsigned)(chars / 3);
	for (f = 0; f < k->nfields; f++) {
		if (k->fields[f].flags & F_DERIVED)
			continue;
		if ((d = cell_distance(s, k->fields[f].column)) < bestd) {
			bestd = d;
			best = k->fields[f].column;
		}
		if ((d = cell_distance(s, k->fields[f].header)) < bestd) {
			bestd = d;
			best = k->fields[f].header;
		}
		for (a = k->fields[f].aliases; a != NULL && *a != '\0';
		    a = end) {
			end = strchr(a, '|');
			n = end != NULL ? (size_t)(end - a) : strlen(a);
			snprintf(name, sizeof(name), "%.*s", (int)n, a);
			if ((d = cell_distance(s, name)) < bestd) {
				bestd = d;
				memcpy(alias, name, sizeof(alias));
				best = alias;
			}
			end = end != NULL ? end + 1 : a + n;
		}
	}
	return bestd <= limit ? best : NULL;
}

/* Every name a column may have, Chinese and English, on stderr. */
static void
header_list(const struct import *im)
{
	const struct kind	*k = im->kind;
	size_t			 f, shown = 0;

	fprintf(stderr, "%s: the columns of %s are", im->name, k->name);
	for (f = 0; f < k->nfields; f++) {
		if ((k->fields[f].flags & F_DERIVED) ||
		    (im->opts->remove && f >= k->nkeys))
			continue;
		fprintf(stderr, "%s %s (%s%s%s)", shown++ > 0 ? "," : "",
		    k->fields[f].header, k->fields[f].column,
		    k->fields[f].aliases != NULL ? ", or " : "",
		    k->fields[f].aliases != NULL ? k->fields[f].aliases : "");
	}
	fputs("; '|' separates other accepted names\n", stderr);
}

static int
read_header(struct import *im, const struct csv_record *rec)
{
	const struct kind	*k = im->kind;
	const char		*s, *near;
	size_t			 c, f, i, len;
	int			 bad = 0, known, listed = 0;

	im->nheader = rec->nfields;
	im->header = xcalloc(rec->nfields, sizeof(*im->header));
	for (f = 0; f < k->nfields; f++)
		im->column[f] = -1;
	for (c = 0; c < rec->nfields; c++) {
		s = rec->fields[c];
		len = rec->lens[c];
		trim(&s, &len);
		im->header[c] = xstrndup(s, len);
		known = im->opts->remove;	/* a dump names the keys */
		for (f = 0; f < k->nfields; f++) {
			if ((k->fields[f].flags & F_DERIVED) ||
			    (im->opts->remove && f >= k->nkeys) ||
			    !header_matches(&k->fields[f], im->header[c]))
				continue;
			known = 1;
			if (im->column[f] >= 0) {
				fprintf(stderr, "%s:%lu: column '%s' repeats "
				    "column '%s' (both are %s)\n", im->name,
				    rec->line, im->header[c],
				    im->header[im->column[f]],
				    k->fields[f].column);
				bad = 1;
			} else
				im->column[f] = (int)c;
		}
		for (i = 0; i < NELEM(reject_columns); i++)
			if (strcmp(im->header[c], reject_columns[i]) == 0)
				known = 1;
		if (known)
			continue;
		if ((near = header_nearest(k, im->header[c])) != NULL)
			row_warn(im, "ignoring unknown column '%s' (did you "
			    "mean '%s'?)", im->header[c], near);
		else
			row_warn(im, "ignoring unknown column '%s'",
			    im->header[c]);
		listed = 1;
	}
	for (f = 0; f < k->nfields; f++)
		if ((k->fields[f].flags & F_REQUIRED) && im->column[f] < 0 &&
		    (!im->opts->remove || f < k->nkeys)) {
			fprintf(stderr, "%s:%lu: no column '%s' (%s): the header "
			    "is not one of %s\n", im->name, rec->line,
			    k->fields[f].header, k->fields[f].column, k->name);
			bad = 1;
		}
	if (bad || listed)
		header_list(im);
	return bad ? -1 : 0;
}

/* The reject file: the bad rows as they came, with line and reasons. */

static int
reject_open(struct import *im)
{
	size_t	 c;

	/* Inspectors' rows carry ID-card and phone numbers: 0600 whatever */
	if (file_out_open(&im->reject, im->opts->reject_path, 0600, 0) == -1)
		return -1;
	if (fchmod(fileno(im->reject.fp), 0600) == -1) {
		file_out_abort(&im->reject);
		return error("cannot set the mode of '%s': %s",
		    im->opts->reject_path, strerror(errno));
	}
	/* Written in the input's encoding at the end, so Excel opens it. */
	if ((im->rejmem = open_memstream(&im->rejbuf, &im->rejlen)) == NULL)
		fatal("open_memstream");
	for (c = 0; c < im->nheader; c++) {
		csv_write_cell(im->rejmem, im->header[c],
		    strlen(im->header[c]));
		fputc(',', im->rejmem);
	}
	fprintf(im->rejmem, "%s,%s\r\n", reject_columns[0],
	    reject_columns[1]);
	return 0;
}

static void
reject_row(struct import *im, const struct csv_record *rec)
{
	size_t	 c;
	char	 line[24];

	if (im->rejmem == NULL)
		return;
	for (c = 0; c < rec->nfields; c++) {
		csv_write_cell(im->rejmem, rec->fields[c], rec->lens[c]);
		fputc(',', im->rejmem);
	}
	/* Pad short rows so the extra columns stay under their header. */
	for (; c < im->nheader; c++)
		fputc(',', im->rejmem);
	snprintf(line, sizeof(line), "%lu", im->line);
	csv_write_field(im->rejmem, line, strlen(line));
	fputc(',', im->rejmem);
	csv_write_cell(im->rejmem, im->reasons.data, im->reasons.len);
	fputs("\r\n", im->rejmem);
}

/* Keeps the reject file (when the import is done) or forgets it. */
static int
reject_close(struct import *im, int keep)
{
	struct buf		 b = BUF_INIT;
	enum csv_encoding	 enc;

	if (im->rejmem != NULL) {
		fclose(im->rejmem);
		im->rejmem = NULL;
		if (keep) {
			enc = csvfile_encoding(im->csv);
			if (csvfile_bom(im->csv))
				csv_encode(enc, "\xef\xbb\xbf", 3, &b);
			csv_encode(enc, im->rejbuf, im->rejlen, &b);
			fwrite(b.data, 1, b.len, im->reject.fp);
			buf_release(&b);
		}
		free(im->rejbuf);
		im->rejbuf = NULL;
	}
	if (im->reject.fp == NULL)
		return 0;
	if (!keep) {
		file_out_abort(&im->reject);
		return 0;
	}
	return file_out_commit(&im->reject);
}

static void
show_progress(struct import *im, int done, uint64_t offset)
{
	uint64_t	 size = csvfile_size(im->csv);
	uint64_t	 pct;

	if (!im->opts->progress)
		return;
	if (done) {
		if (im->progress_shown)
			fputs("\r\033[K", stderr);
		return;
	}
	pct = size > 0 ? offset * 100 / size : 0;
	fprintf(stderr, "\r\033[Kssj: importing '%s': %llu%% (%llu rows)",
	    im->name, (unsigned long long)pct,
	    (unsigned long long)im->stats->rows);
	fflush(stderr);
	im->progress_shown = 1;
}

/* The bookkeeping of a snapshot. */


/*
 * A snapshot's row is written last, with its counts and the file's
 * digest, so that it is never updated: its id is taken now, inside the
 * transaction that will write it.
 */
static int
snapshot_begin(struct import *im)
{
	char	 sql[128];
	int64_t	 last;

	timestamp_now(im->imported_at);
	if (db_query_int(im->db, "SELECT max(id) FROM snapshot", &last) == -1)
		return -1;
	im->snapshot = last + 1;
	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM %s",
	    im->kind->table);
	if (db_query_int(im->db, sql, &last) == -1)
		return -1;
	im->first_revision = last + 1;
	ledger_rows_init(&im->rows, im->kind->table, im->first_revision);
	return 0;
}

static int
snapshot_end(struct import *im)
{
	struct registry_stats	*s = im->stats;
	struct db_stmt		*st;
	unsigned char		 digest[CRYPTO_DIGEST_BYTES];
	char			 hex[CRYPTO_DIGEST_HEX];
	int			 rc;

	csvfile_digest(im->csv, digest);
	crypto_hex(digest, sizeof(digest), hex);
	st = db_prepare(im->db, "INSERT INTO snapshot (id, kind, file_name, "
	    "file_digest, encoding, imported_at, rows_read, added, changed, "
	    "removed, rejected) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11)");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, im->snapshot);
	db_bind_text(st, 2, im->kind->name, SIZE_MAX);
	db_bind_text(st, 3, im->name, SIZE_MAX);
	db_bind_text(st, 4, hex, SIZE_MAX);
	db_bind_text(st, 5, csv_encoding_name(csvfile_encoding(im->csv)),
	    SIZE_MAX);
	db_bind_text(st, 6, im->imported_at, SIZE_MAX);
	db_bind_int(st, 7, (int64_t)s->rows);
	db_bind_int(st, 8, (int64_t)s->added);
	db_bind_int(st, 9, (int64_t)s->changed);
	db_bind_int(st, 10, (int64_t)s->removed);
	db_bind_int(st, 11, (int64_t)s->rejected);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	/* The plan that judged the rows, then the snapshot itself. */
	if (im->opts->cfg != NULL && ledger_note_plan(im->db, im->opts->cfg,
	    &s->plan_entry) == -1)
		return -1;
	log_debug("import: %lld revisions digested as stored",
	    (long long)im->rows.n);
	return ledger_append_rows(im->db, "snapshot", im->snapshot, &im->rows,
	    1, &s->ledger_entry);
}

/*
 * The enterprises the file does not name, from a merge of enterprise_cur
 * in key order with the staged codes, sorted the same way (BINARY is
 * memcmp, and a code has no NUL): where SQLite's NOT IN built an index
 * of every code the file named, 2.8 s of a 1 M update. Each is removed
 * by insert, in key order as before.
 */
static int
removed_by_merge(struct import *im, struct db_stmt *insert, int64_t *removed)
{
	const struct row_stage *ds = &im->digests;
	struct db_stmt	*cur;
	unsigned char	 code[STAGE_CODE];
	const char	*s;
	size_t		 i = 0, len;
	int		 c = 1, rc;

	if ((cur = db_prepare(im->db, "SELECT uscc FROM enterprise_cur ORDER "
	    "BY uscc")) == NULL)
		return -1;
	*removed = 0;
	while ((rc = db_step(cur)) == DB_ROW) {
		s = db_col_text(cur, 0);
		len = db_col_bytes(cur, 0);
		memset(code, 0, sizeof(code));
		memcpy(code, s, len < STAGE_CODE ? len : STAGE_CODE);
		/* a longer code than any staged is named by none */
		while (i < ds->n && (c = memcmp(ds->row + i * DIGEST_ROW, code,
		    STAGE_CODE)) < 0)
			i++;
		if (i < ds->n && c == 0 && len <= STAGE_CODE)
			continue;
		db_bind_text(insert, 2, s, len);
		if (db_step(insert) != DB_DONE)
			break;
		db_reset(insert);
		(*removed)++;
	}
	db_finalize(cur);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * For a registry given whole: everything present before and absent from
 * this file gets a "removed" revision.
 */
static int
mark_removed(struct import *im)
{
	const struct kind	*k = im->kind;
	const char		*key = k->fields[0].column, *from = k->view;
	struct buf		 sql = BUF_INIT;
	struct db_stmt		*st;
	int64_t			 removed;
	size_t			 f;
	int			 merge, rc;

	merge = k == &kinds[REGISTRY_ENTERPRISES] && im->digests.on;
	buf_printf(&sql, "INSERT INTO %s (%s, snapshot, present, line, "
	    "digest", k->table, key);
	for (f = k->nkeys; f < k->nfields; f++)
		buf_printf(&sql, ", %s", k->fields[f].column);
	buf_printf(&sql, ") %s %s, ?1, 0, 0, x''", merge ? "VALUES (" :
	    "SELECT", merge ? "?2" : key);
	for (f = k->nkeys; f < k->nfields; f++)
		buf_addstr(&sql, (k->fields[f].flags & F_INT) ? ", 0" : ", ''");
	if (merge)
		buf_addch(&sql, ')');
	else {
		if (k == &kinds[REGISTRY_ENTERPRISES])
			from = "enterprise_cur";
		buf_printf(&sql, " FROM %s WHERE %s NOT IN (SELECT %s FROM "
		    "temp.import_row)", from, key, key);
	}
	st = db_prepare(im->db, buf_cstr(&sql));
	buf_release(&sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, im->snapshot);
	if (merge) {
		rc = removed_by_merge(im, st, &removed);
		db_finalize(st);
		stage_free(&im->digests);
		if (rc == -1)
			return -1;
	} else {
		rc = db_step(st);
		db_finalize(st);
		if (rc != DB_DONE || db_query_int(im->db, "SELECT changes()",
		    &removed) == -1)
			return -1;
	}
	im->stats->removed = (uint64_t)removed;
	return 0;
}

/*
 * A rejected row must not take its enterprise or inspector out of the
 * registry: when its key can be read and is present, it counts as seen,
 * so that the previous version stays in the new snapshot.
 */
static int
keep_rejected(struct import *im, const struct csv_record *rec)
{
	const char	*s;
	size_t		 len;
	int		 rc, present = 0;

	if (!im->incremental || im->kind->nkeys != 1 || im->column[0] < 0 ||
	    (size_t)im->column[0] >= rec->nfields)
		return 0;
	s = rec->fields[im->column[0]];
	len = rec->lens[im->column[0]];
	trim(&s, &len);
	normalize_code(&im->key, s, len);
	if (im->key.len == 0)
		return 0;
	db_bind_text(im->current, 1, buf_cstr(&im->key), im->key.len);
	rc = db_step(im->current);
	if (rc == DB_ROW)
		present = (int)db_col_int(im->current, 0);
	db_reset(im->current);
	if (rc == DB_ERROR)
		return -1;
	return present ? take_row(im, 1) : 0;
}

/* ssj import --remove: the row names a key; a "removed" revision. */
static int
remove_row(struct import *im)
{
	const struct kind	*k = im->kind;
	struct buf		 sql = BUF_INIT;
	size_t			 f;
	int			 rc, present = 0;

	if (im->incremental) {
		bind_key(im, im->current);
		rc = db_step(im->current);
		if (rc == DB_ROW)
			present = (int)db_col_int(im->current, 0);
		db_reset(im->current);
		if (rc == DB_ERROR)
			return -1;
	}
	if (!present) {
		row_warn(im, "'%s' is not in the registry; nothing to remove",
		    buf_cstr(&im->value[0]));
		return 0;
	}
	if (im->remove == NULL) {
		buf_printf(&sql, "INSERT INTO %s (", k->table);
		for (f = 0; f < k->nkeys; f++)
			buf_printf(&sql, "%s, ", k->fields[f].column);
		buf_addstr(&sql, "snapshot, present, line, digest");
		for (f = k->nkeys; f < k->nfields; f++)
			buf_printf(&sql, ", %s", k->fields[f].column);
		buf_addstr(&sql, ") VALUES (");
		for (f = 0; f < k->nkeys; f++)
			buf_printf(&sql, "?%zu, ", f + 1);
		buf_printf(&sql, "?%zu, 0, ?%zu, x''", k->nkeys + 1,
		    k->nkeys + 2);
		for (f = k->nkeys; f < k->nfields; f++)
			buf_addstr(&sql, (k->fields[f].flags & F_INT) ?
			    ", 0" : ", ''");
		buf_addch(&sql, ')');
		im->remove = db_prepare(im->db, buf_cstr(&sql));
		buf_release(&sql);
		if (im->remove == NULL)
			return -1;
	}
	bind_key(im, im->remove);
	db_bind_int(im->remove, (int)k->nkeys + 1, im->snapshot);
	db_bind_int(im->remove, (int)k->nkeys + 2, (int64_t)im->line);
	rc = db_step(im->remove);
	db_reset(im->remove);
	if (rc == DB_CONSTRAINT) {
		row_bad(im, "'%s' is named twice", buf_cstr(&im->value[0]));
		return 0;
	}
	if (rc != DB_DONE)
		return -1;
	im->stats->removed++;
	count_month(im, -1);
	return 0;
}

/*
 * A whole file that would take more than the plan's share of the registry
 * away is far more often a partial export than a real closure: refused,
 * naming how many and the first codes. Returns 1 when refused.
 */
static int
removals_check(struct import *im)
{
	const struct registry_options	*o = im->opts;
	const struct registry_stats	*s = im->stats;
	const struct kind		*k = im->kind;
	struct db_stmt			*st;
	struct buf			 sql = BUF_INIT, codes = BUF_INIT;
	uint64_t			 num = 5, den = 100, before, permille;
	int				 rc, n = 0;

	if (o->max_removals_den > 0) {
		num = o->max_removals_num;
		den = o->max_removals_den;
	}
	/* What was present is either in the file, kept, or removed. */
	before = s->unchanged + s->changed + s->kept + s->removed;
	if (s->removed == 0 || o->allow_removals ||
	    s->removed * den <= num * before)
		return 0;
	buf_printf(&sql, "SELECT %s FROM %s NOT INDEXED WHERE id >= ?1 AND "
	    "present = 0 ORDER BY %s LIMIT 6", k->fields[0].column, k->table,
	    k->fields[0].column);
	if ((st = db_prepare(im->db, buf_cstr(&sql))) == NULL) {
		buf_release(&sql);
		return -1;
	}
	db_bind_int(st, 1, im->first_revision);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n++ == 5) {
			buf_addstr(&codes, ", ...");
			break;
		}
		buf_printf(&codes, "%s%s", n > 1 ? ", " : "",
		    db_col_text(st, 0));
	}
	db_finalize(st);
	buf_release(&sql);
	if (rc == DB_ERROR) {
		buf_release(&codes);
		return -1;
	}
	permille = s->removed * 1000 / before;
	fprintf(stderr, "%s: would remove %llu of the %llu %s in the "
	    "registry (%llu.%llu%%), more than the limit of %s: %s\n",
	    im->name, (unsigned long long)s->removed,
	    (unsigned long long)before, k->name,
	    (unsigned long long)(permille / 10),
	    (unsigned long long)(permille % 10),
	    o->max_removals_text != NULL ? o->max_removals_text : "5%",
	    buf_cstr(&codes));
	fprintf(stderr, "%s: if the file is only a part, import it with "
	    "--partial; if they are really gone, with --allow-removals\n",
	    im->name);
	buf_release(&codes);
	return 1;
}

/*
 * The current state (schema v5's enterprise_cur, risk_cur and
 * registry_count), brought up to the new snapshot from its rows alone
 * (ids from ?1 on): an import costs what it changed, and no reader needs
 * the GROUP BY views to know what is current. NOT INDEXED: the index by
 * key would spare the sort of the snapshot's rows by looking up every
 * revision the table has.
 */
static const char *const enterprise_cur_sql[] = {
	"DELETE FROM enterprise_cur WHERE uscc IN (SELECT uscc FROM "
	"enterprise_rev NOT INDEXED WHERE id >= ?1 AND NOT present)",
	"INSERT OR REPLACE INTO enterprise_cur (uscc, legacy, division, "
	"industry, entity_type, status, abnormal, serious, certificates) "
	"SELECT uscc, legacy, division, industry, entity_type, status, "
	"abnormal, serious, certificates FROM enterprise_rev NOT INDEXED "
	"WHERE id >= ?1 AND present ORDER BY uscc",
	"DELETE FROM registry_count WHERE kind = 'enterprises' AND dim <> "
	"'class'",
	/*
	 * The figures of schema.c's migration to version 5, the five
	 * totals in one pass over the table instead of five.
	 */
	"INSERT INTO registry_count WITH t AS MATERIALIZED (SELECT count(*) "
	"AS n, coalesce(sum(status IN ('存续', '在业')), 0) AS active, "
	"coalesce(sum(abnormal <> 0), 0) AS abnormal, coalesce(sum(serious "
	"<> 0), 0) AS serious, coalesce(sum(legacy <> 0), 0) AS legacy FROM "
	"enterprise_cur) "
	"SELECT 'enterprises', 'all', '', n FROM t UNION ALL "
	"SELECT 'enterprises', 'active', '', active FROM t UNION ALL "
	"SELECT 'enterprises', 'abnormal', '', abnormal FROM t UNION ALL "
	"SELECT 'enterprises', 'serious', '', serious FROM t UNION ALL "
	"SELECT 'enterprises', 'legacy', '', legacy FROM t",
	"INSERT INTO registry_count SELECT 'enterprises', 'division', "
	"division, count(*) FROM enterprise_cur GROUP BY division",
	"INSERT INTO registry_count SELECT 'enterprises', 'type', "
	"entity_type, count(*) FROM enterprise_cur GROUP BY entity_type",
	NULL
};

/*
 * A present row of the snapshot is an enterprise's class when its month
 * is the latest (risk_cur_upsert); a removed one of the current month
 * leaves the class of the latest month still present, found among the
 * revisions (here).
 */
static const char *const risk_cur_sql[] = {
	"CREATE TEMP TABLE IF NOT EXISTS risk_lost (uscc TEXT PRIMARY KEY) "
	"WITHOUT ROWID",
	"DELETE FROM temp.risk_lost",
	"INSERT OR IGNORE INTO temp.risk_lost SELECT r.uscc FROM risk_rev r "
	"NOT INDEXED JOIN risk_cur c ON c.uscc = r.uscc AND c.month = "
	"r.month WHERE r.id >= ?1 AND NOT r.present",
	"DELETE FROM risk_cur WHERE uscc IN (SELECT uscc FROM temp.risk_lost)",
	"INSERT INTO risk_cur (uscc, month, class) SELECT uscc, month, class "
	"FROM (SELECT uscc, month, class, max(month) FROM (SELECT uscc, "
	"month, class, present, max(snapshot) FROM risk_rev WHERE month IN "
	"(" RISK_MONTHS ") AND uscc IN (SELECT uscc FROM temp.risk_lost) "
	"GROUP BY uscc, month) WHERE present GROUP BY uscc)",
	NULL
};


static int
run_sql(struct db *db, const char *const *sql, int64_t first_revision)
{
	struct db_stmt	*st;
	size_t		 i;
	int		 rc;

	for (i = 0; sql[i] != NULL; i++) {
		if ((st = db_prepare(db, sql[i])) == NULL)
			return -1;
		if (strstr(sql[i], "?1") != NULL)
			db_bind_int(st, 1, first_revision);
		rc = db_step(st);
		db_finalize(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

/*
 * The import's classes into risk_cur. In key order, the upserts are a
 * sweep: an update stored its revisions in key order (store_staged), so
 * by id they need no sort (2 s of a 10 M import); a first import's are
 * in the file's order.
 */
static int
risk_cur_upsert(struct import *im)
{
	char		 sql[320];
	const char	*v[] = { sql, NULL };

	snprintf(sql, sizeof(sql), "INSERT INTO risk_cur (uscc, month, class) "
	    "SELECT uscc, month, class FROM risk_rev NOT INDEXED WHERE id >= "
	    "?1 AND present ORDER BY %s ON CONFLICT (uscc) DO UPDATE SET "
	    "month = excluded.month, class = excluded.class WHERE "
	    "excluded.month >= risk_cur.month", im->incremental ? "id" :
	    "uscc");
	return run_sql(im->db, v, im->first_revision);
}

/*
 * The current enterprises by risk class, counted in one pass over the
 * current tables: a GROUP BY would sort every enterprise to find a
 * handful of classes (5 s of a 10 M import). For a registry without a
 * frame image; the image's merge counts them otherwise.
 */
static int
class_tally(struct db *db, struct frame_class_count **out, size_t *nout)
{
	struct db_stmt		*st;
	struct frame_class_count *t = NULL;
	const char		*class;
	size_t			 nt = 0, i = 0;
	int			 rc;

	if ((st = db_prepare(db, "SELECT coalesce(r.class, '') FROM "
	    "enterprise_cur e LEFT JOIN risk_cur r ON r.uscc = e.uscc")) ==
	    NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		class = db_col_text(st, 0);
		/* Most rows have the class of the row before. */
		if (i == nt || strcmp(t[i].class, class) != 0) {
			for (i = 0; i < nt && strcmp(t[i].class, class) != 0;
			    i++)
				;
			if (i == nt) {
				t = xreallocarray(t, nt + 1, sizeof(*t));
				t[nt].class = xstrdup(class);
				t[nt++].n = 0;
			}
		}
		t[i].n++;
	}
	db_finalize(st);
	*out = t;
	*nout = nt;
	return rc == DB_DONE ? 0 : -1;
}

/* registry_count's enterprises by class: counted, or counted now. */
static int
class_count(struct db *db, const struct frame_class_count *counted,
    size_t ncounted)
{
	struct db_stmt		*ins = NULL;
	struct frame_class_count *tally = NULL;
	const struct frame_class_count *v = counted;
	int64_t			 classes;
	size_t			 i, n = ncounted, ntally = 0;
	int			 rc, ret = -1;

	if (db_exec(db, "DELETE FROM registry_count WHERE kind = "
	    "'enterprises' AND dim = 'class'") == -1)
		return -1;
	if (counted == NULL) {
		if (db_query_int(db, "SELECT EXISTS (SELECT 1 FROM risk_cur)",
		    &classes) == -1)
			return -1;
		/* None yet (a first import): every enterprise is without one. */
		if (!classes)
			return db_exec(db, "INSERT INTO registry_count (kind, "
			    "dim, key, n) SELECT 'enterprises', 'class', '', n "
			    "FROM registry_count WHERE kind = 'enterprises' AND "
			    "dim = 'all' AND n > 0");
		if (class_tally(db, &tally, &ntally) == -1)
			goto out;
		v = tally;
		n = ntally;
	}
	if ((ins = db_prepare(db, "INSERT INTO registry_count (kind, dim, "
	    "key, n) VALUES ('enterprises', 'class', ?1, ?2)")) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		db_bind_text(ins, 1, v[i].class, SIZE_MAX);
		db_bind_int(ins, 2, (int64_t)v[i].n);
		rc = db_step(ins);
		db_reset(ins);
		if (rc != DB_DONE)
			goto out;
	}
	ret = 0;
out:
	db_finalize(ins);
	frame_class_counts_free(tally, ntally);
	return ret;
}

/* The columns of tail t, in cur_columns' order. */
enum { CUR_LEGACY, CUR_DIVISION, CUR_INDUSTRY, CUR_TYPE, CUR_STATUS,
    CUR_ABNORMAL, CUR_SERIOUS, CUR_CERTIFICATES };

struct cur_cell {
	int64_t		 v;
	const char	*s;		/* NULL for an int */
	size_t		 len;
};

static void
cur_cells(const struct import *im, size_t t, struct cur_cell *cell)
{
	const struct cur_set	*c = &im->cur;
	const unsigned char	*p = (const unsigned char *)c->arena.data +
	    c->start[t];
	uint64_t		 v;
	size_t			 i, k;

	for (i = 0; i < c->nfields; i++) {
		if (im->kind->fields[c->field[i]].flags & F_INT) {
			for (v = 0, k = 0; k < 8; k++)
				v |= (uint64_t)p[k] << (8 * k);
			cell[i].v = (int64_t)v;
			cell[i].s = NULL;
			p += 8;
			continue;
		}
		cell[i].len = (size_t)p[0] << 8 | p[1];
		cell[i].s = (const char *)p + 2;
		p += 2 + cell[i].len;
	}
}

static int
cur_count(struct db_stmt *st, const char *dim, const char *key, size_t len,
    uint64_t n)
{
	int	 rc;

	db_bind_text(st, 1, dim, SIZE_MAX);
	db_bind_text(st, 2, key, len);
	db_bind_int(st, 3, (int64_t)n);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Rows a statement: each step costs as much as a few rows. */
#define CUR_AT_ONCE	64

/* The set's rows, sorted, for frame_image_write. */
struct cur_image {
	struct import	*im;
	size_t		 i;
};

static int
cur_image_row(void *arg, struct frame_image_row *row)
{
	struct cur_image	*ci = arg;
	const struct cur_row	*r;
	struct cur_cell		 cell[NELEM(cur_columns)];

	if (ci->i == ci->im->cur.n)
		return 0;
	r = &ci->im->cur.row[ci->i++];
	cur_cells(ci->im, r->tail, cell);
	row->uscc = r->code;
	row->uscc_len = strnlen(r->code, CUR_CODE);
	row->division = cell[CUR_DIVISION].s;
	row->division_len = cell[CUR_DIVISION].len;
	row->active = status_active(cell[CUR_STATUS].s, cell[CUR_STATUS].len);
	row->abnormal = cell[CUR_ABNORMAL].v != 0;
	row->serious = cell[CUR_SERIOUS].v != 0;
	return 1;
}

/* An INSERT of n rows of enterprise_cur. */
static struct db_stmt *
cur_insert(struct db *db, size_t n)
{
	struct db_stmt	*st;
	struct buf	 sql = BUF_INIT;
	size_t		 i;

	_Static_assert(NELEM(cur_columns) == 8, "a code and eight columns");
	buf_addstr(&sql, "INSERT OR REPLACE INTO enterprise_cur (uscc, legacy, "
	    "division, industry, entity_type, status, abnormal, serious, "
	    "certificates) VALUES ");
	for (i = 0; i < n; i++)
		buf_addstr(&sql, i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?)" :
		    ", (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	st = db_prepare(db, buf_cstr(&sql));
	buf_release(&sql);
	return st;
}

/*
 * enterprise_cur and the enterprises' figures from the set, as
 * enterprise_cur_sql makes them after a first import.
 */
static int
cur_write(struct import *im)
{
	struct cur_set	*c = &im->cur;
	struct cur_cell	 cell[NELEM(cur_columns)];
	struct db_stmt	*ins, *many, *one, *cnt = NULL;
	static const char *const total[] = { "all", "active", "abnormal",
	    "serious", "legacy" };
	uint64_t	 sum[NELEM(total)] = { 0 }, n;
	size_t		 i, k, r;
	int		 p, rc = DB_DONE, ret = -1;

	sort_bytes(c->row, c->n, sizeof(*c->row), CUR_CODE);
	many = cur_insert(im->db, CUR_AT_ONCE);
	one = cur_insert(im->db, 1);
	if (many == NULL || one == NULL)
		goto out;
	for (i = 0; i < c->n && rc == DB_DONE; ) {
		ins = c->n - i >= CUR_AT_ONCE ? many : one;
		for (r = 0; r < (ins == many ? CUR_AT_ONCE : 1); r++, i++) {
			p = (int)(r * (1 + NELEM(cur_columns))) + 1;
			cur_cells(im, c->row[i].tail, cell);
			db_bind_text(ins, p, c->row[i].code,
			    strnlen(c->row[i].code, CUR_CODE));
			for (k = 0; k < c->nfields; k++) {
				if (cell[k].s == NULL)
					db_bind_int(ins, p + (int)k + 1,
					    cell[k].v);
				else
					db_bind_text(ins, p + (int)k + 1,
					    cell[k].s, cell[k].len);
			}
		}
		rc = db_step(ins);
		db_reset(ins);
	}
	if (rc != DB_DONE)
		goto out;
	if (db_exec(im->db, "DELETE FROM registry_count WHERE kind = "
	    "'enterprises' AND dim <> 'class'") == -1)
		goto out;
	cnt = db_prepare(im->db, "INSERT INTO registry_count (kind, dim, key, "
	    "n) VALUES ('enterprises', ?1, ?2, ?3) ON CONFLICT DO UPDATE SET "
	    "n = n + excluded.n");
	if (cnt == NULL)
		goto out;
	for (i = 0; i < c->ntails; i++) {
		n = c->count[i];
		cur_cells(im, i, cell);
		sum[0] += n;
		if (status_active(cell[CUR_STATUS].s, cell[CUR_STATUS].len))
			sum[1] += n;
		if (cell[CUR_ABNORMAL].v != 0)
			sum[2] += n;
		if (cell[CUR_SERIOUS].v != 0)
			sum[3] += n;
		if (cell[CUR_LEGACY].v != 0)
			sum[4] += n;
		if (cur_count(cnt, "division", cell[CUR_DIVISION].s,
		    cell[CUR_DIVISION].len, n) == -1 ||
		    cur_count(cnt, "type", cell[CUR_TYPE].s,
		    cell[CUR_TYPE].len, n) == -1)
			goto out;
	}
	for (i = 0; i < NELEM(total); i++)
		if (cur_count(cnt, total[i], "", 0, sum[i]) == -1)
			goto out;
	ret = 0;
out:
	db_finalize(many);
	db_finalize(one);
	db_finalize(cnt);
	return ret;
}

/*
 * The frame image, from the set sorted by cur_write when there is one
 * (not read back from the tables); then the set goes. The enterprises by
 * class come from the image's merge of the current tables.
 */
static int
image_update(struct import *im)
{
	struct frame_class_count *counts = NULL;
	struct cur_image ci;
	size_t		 ncounts = 0;
	int		 made;

	if (!im->cur.on)
		made = frame_image_update(im->db, &counts, &ncounts);
	else {
		ci.im = im;
		ci.i = 0;
		made = frame_image_write(im->db, cur_image_row, &ci, &counts,
		    &ncounts);
		cur_give_up(&im->cur);
	}
	if (made == -1 || class_count(im->db, made == 1 ? counts : NULL,
	    ncounts) == -1)
		made = -1;
	frame_class_counts_free(counts, ncounts);
	return made == -1 ? -1 : 0;
}

/*
 * A current table filled from empty is written packed. SQLite fills the
 * pages of a table written row by row, even in key order, to about 86 %,
 * but copies a table into an empty one of the same definition page by
 * page, full (its transfer optimisation, as VACUUM does): 12 % of the
 * table, 120 MiB at 10 M enterprises, for about a second per million
 * rows (won back by writing enterprise_cur CUR_AT_ONCE rows a
 * statement). So the rows go first to a TEMP table of the same
 * definition, which the unqualified name then means (SQLite looks in
 * temp first), and pack_end copies it over. 1 if packing, 0 if the table
 * has rows already.
 */
static int
pack_begin(struct db *db, const char *table)
{
	struct db_stmt	*st;
	struct buf	 sql = BUF_INIT;
	const char	*def;
	int		 rc, ret = -1;

	buf_printf(&sql, "SELECT sql, NOT EXISTS (SELECT 1 FROM main.%s) FROM "
	    "main.sqlite_schema WHERE type = 'table' AND name = '%s'", table,
	    table);
	if ((st = db_prepare(db, buf_cstr(&sql))) == NULL)
		goto out;
	if ((rc = db_step(st)) != DB_ROW) {
		ret = rc == DB_DONE ? 0 : -1;
		goto out;
	}
	def = db_col_text(st, 0);
	ret = 0;
	if (db_col_int(st, 1) && strncmp(def, "CREATE TABLE ", 13) == 0) {
		buf_reset(&sql);
		buf_printf(&sql, "CREATE TEMP TABLE %s", def + 13);
		ret = db_exec(db, buf_cstr(&sql)) == -1 ? -1 : 1;
	}
out:
	db_finalize(st);
	buf_release(&sql);
	return ret;
}

static int
pack_end(struct db *db, const char *table)
{
	struct buf	 sql = BUF_INIT;
	int		 ret;

	buf_printf(&sql, "INSERT INTO main.%s SELECT * FROM temp.%s", table,
	    table);
	ret = db_exec(db, buf_cstr(&sql));
	buf_reset(&sql);
	buf_printf(&sql, "DROP TABLE temp.%s", table);
	if (ret == 0)
		ret = db_exec(db, buf_cstr(&sql));
	buf_release(&sql);
	return ret;
}

static int
current_update(struct import *im)
{
	struct db_stmt	*st;
	const char	*table;
	size_t		 i;
	int		 rc, packing;

	/*
	 * The rows go in key order (sorted: SQLite's sorter takes as much
	 * memory as the page cache may), appended to the tables' right
	 * edges: a small cache does, and keeps the peak RSS bounded.
	 */
	if (db_exec(im->db, "PRAGMA cache_size = -8192") == -1)
		return -1;
	if (im->kind == &kinds[REGISTRY_ENTERPRISES])
		table = "enterprise_cur";
	else if (im->kind == &kinds[REGISTRY_RISK])
		table = "risk_cur";
	else
		return 0;
	if ((packing = pack_begin(im->db, table)) == -1)
		return -1;
	if (im->kind == &kinds[REGISTRY_ENTERPRISES]) {
		if (im->cur.on ? cur_write(im) == -1 : run_sql(im->db,
		    enterprise_cur_sql, im->first_revision) == -1)
			return -1;
	} else {
		if (risk_cur_upsert(im) == -1 ||
		    run_sql(im->db, risk_cur_sql, im->first_revision) == -1)
			return -1;
		st = db_prepare(im->db, "INSERT INTO registry_count (kind, "
		    "dim, key, n) VALUES ('risk', 'month', ?1, ?2) ON CONFLICT "
		    "DO UPDATE SET n = n + excluded.n");
		if (st == NULL)
			return -1;
		for (i = 0, rc = DB_DONE; i < im->ndeltas && rc == DB_DONE;
		    i++) {
			db_bind_text(st, 1, im->deltas[i].month, SIZE_MAX);
			db_bind_int(st, 2, im->deltas[i].n);
			rc = db_step(st);
			db_reset(st);
		}
		db_finalize(st);
		if (rc != DB_DONE || db_exec(im->db, "DELETE FROM "
		    "registry_count WHERE kind = 'risk' AND n = 0") == -1)
			return -1;
	}
	if (packing && pack_end(im->db, table) == -1)
		return -1;
	return 0;
}

/*
 * What the import changed in the draw pool: enterprises 存续 or 在业,
 * inspectors 在岗, before this snapshot and with it.
 */
static int
pool_count(struct import *im)
{
	const struct kind	*k = im->kind;
	struct buf		 sql = BUF_INIT;
	struct db_stmt		*st;
	const char		*key = k->fields[0].column, *cond;
	int			 rc;

	/* Both sides are rows of the same table: r now, p before. */
	if (im->kind == &kinds[REGISTRY_ENTERPRISES])
		cond = "present AND status IN ('存续', '在业')";
	else if (im->kind == &kinds[REGISTRY_INSPECTORS])
		cond = "present AND active";
	else
		return 0;
	im->stats->pool = 1;
	/* A first import: store_row counted them. */
	if (!im->incremental) {
		im->stats->pool_gained = im->pool_rows;
		im->stats->pool_lost = 0;
		return 0;
	}
	buf_printf(&sql, "SELECT coalesce(sum(a AND NOT b), 0), "
	    "coalesce(sum(b AND NOT a), 0) FROM (SELECT (%s) AS a, ", cond);
	if (im->incremental)
		buf_printf(&sql, "coalesce((SELECT (%s) FROM %s p WHERE "
		    "p.%s = r.%s AND p.snapshot < ?1 ORDER BY p.snapshot DESC "
		    "LIMIT 1), 0)", cond, k->table, key, key);
	else
		buf_addstr(&sql, "0");
	buf_printf(&sql, " AS b FROM %s r NOT INDEXED WHERE r.id >= ?2)",
	    k->table);
	st = db_prepare(im->db, buf_cstr(&sql));
	buf_release(&sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, im->snapshot);
	db_bind_int(st, 2, im->first_revision);
	if ((rc = db_step(st)) == DB_ROW) {
		im->stats->pool_gained = (uint64_t)db_col_int(st, 0);
		im->stats->pool_lost = (uint64_t)db_col_int(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int
latest_snapshot(struct db *db, const char *kind, int64_t *id, char *digest)
{
	struct db_stmt	*st;
	int		 rc;

	*id = 0;
	st = db_prepare(db, "SELECT id, file_digest FROM snapshot "
	    "WHERE kind = ?1 ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind, SIZE_MAX);
	if ((rc = db_step(st)) == DB_ROW) {
		*id = db_col_int(st, 0);
		snprintf(digest, CRYPTO_DIGEST_HEX, "%s", db_col_text(st, 1));
	}
	db_finalize(st);
	return rc == DB_ERROR ? -1 : 0;
}

static void
import_release(struct import *im)
{
	size_t	 i;

	db_finalize(im->insert);
	db_finalize(im->revs.many);
	buf_release(&im->revs.text);
	free(im->revs.cell);
	db_finalize(im->current);
	db_finalize(im->stage);
	db_finalize(im->row_key);
	free(im->key_index);
	db_finalize(im->remove);
	free(im->seen.slot);
	for (i = 0; i < MAX_FIELDS; i++)
		buf_release(&im->own_value[i]);
	for (i = 0; i < im->nheader; i++)
		free(im->header[i]);
	free(im->header);
	buf_release(&im->reasons);
	buf_release(&im->key);
	buf_release(&im->other_key);
	buf_release(&im->digest_in);
	free(im->deltas);
	ledger_rows_release(&im->rows);
	cur_give_up(&im->cur);
	stage_free(&im->risk);
	stage_free(&im->digests);
	db_finalize(im->staged);
}

/*
 * The reader thread: it reads and checks the file's rows (CSV, decoding,
 * every field's checks, their messages) a batch ahead of the import,
 * which stores them in order. Reading is about half of a row's cost:
 * on the second core, a 10 M-row import overlaps the two.
 */
#define READ_BATCH	256

/* A row as the reader left it. */
struct read_row {
	unsigned long	 line;
	int		 bad;
	int		 legacy;
	struct buf	 value[MAX_FIELDS];
	int64_t		 ivalue[MAX_FIELDS];
	unsigned char	 digest[16];	/* row_digest's, of a good row */
	struct buf	 reasons;
	struct buf	 said;		/* its messages, for stderr */
	/* the record as read, for the reject file and keep_rejected */
	struct buf	 raw;		/* each field NUL-terminated */
	size_t		*ends;		/* each field's end in raw */
	size_t		 nfields, cap;
	uint64_t	 offset;	/* of the file, once it is read */
};

struct read_batch {
	struct read_row	 row[READ_BATCH];
	size_t		 n;
	/* the last: 1 at the end of the file, -1 a read error, 2 too long */
	int		 end;
	int		 full;		/* the import's until it hands it back */
};

struct reader {
	struct import		 im;	/* the reader's: its row, its stats */
	struct registry_stats	 stats;
	struct read_batch	 batch[2];
	unsigned long		 past;	/* a line past UINT32_MAX (end 2) */
	int			 stop;	/* the import gave up */
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	/* the import's side */
	size_t			 at;	/* batch */
	size_t			 next;	/* row */
	struct csv_record	 rec;	/* reader_record's */
	char			**fields;
	size_t			*lens;
	size_t			 cap;
};

static void
read_one(struct reader *rd, struct read_row *r, const struct csv_record *rec)
{
	struct import	*im = &rd->im;
	size_t		 f, c;

	im->value = r->value;
	im->ivalue = r->ivalue;
	im->said = &r->said;
	im->line = r->line = rec->line;
	im->row_bad = 0;
	im->legacy = 0;
	buf_reset(&im->reasons);
	buf_reset(&r->said);
	if (rec->nfields != im->nheader) {
		row_bad(im, "wrong number of columns: %zu, the header has %zu",
		    rec->nfields, im->nheader);
	} else {
		for (f = 0; f < im->kind->nfields; f++) {
			if ((im->kind->fields[f].flags & F_DERIVED) ||
			    (im->opts->remove && f >= im->kind->nkeys))
				continue;
			if (im->column[f] < 0)
				check_field(im, f, "", 0);
			else
				check_field(im, f, rec->fields[im->column[f]],
				    rec->lens[im->column[f]]);
		}
		if (!im->opts->remove)
			check_row(im);
		/* On this thread too: a first import stores the row as is,
		 * an update of enterprises compares it by its digest (other
		 * updates digest it once staged, in store_staged). */
		if (!im->row_bad && !im->opts->remove && (!im->incremental ||
		    im->digests.on))
			row_digest(im, r->digest);
	}
	r->bad = im->row_bad;
	r->legacy = im->legacy;
	buf_reset(&r->reasons);
	buf_add(&r->reasons, im->reasons.data, im->reasons.len);
	if (rec->nfields > r->cap) {
		r->cap = rec->nfields;
		r->ends = xreallocarray(r->ends, r->cap, sizeof(*r->ends));
	}
	buf_reset(&r->raw);
	for (c = 0; c < rec->nfields; c++) {
		buf_add(&r->raw, rec->fields[c], rec->lens[c]);
		buf_addch(&r->raw, '\0');
		r->ends[c] = r->raw.len;
	}
	r->nfields = rec->nfields;
	r->offset = csvfile_offset(im->csv);
}

static void *
reader_main(void *arg)
{
	struct reader		*rd = arg;
	struct read_batch	*b;
	struct csv_record	 rec;
	size_t			 i = 0;
	int			 rc = 1, stop;

	while (rc == 1) {
		b = &rd->batch[i];
		pthread_mutex_lock(&rd->lock);
		while (b->full && !rd->stop)
			pthread_cond_wait(&rd->cond, &rd->lock);
		stop = rd->stop;
		pthread_mutex_unlock(&rd->lock);
		if (stop)
			break;
		for (b->n = 0, b->end = 0; b->n < READ_BATCH; b->n++) {
			if ((rc = csvfile_next(rd->im.csv, &rec)) != 1) {
				b->end = rc == 0 ? 1 : -1;
				break;
			}
			if (rec.line > UINT32_MAX) {
				rd->past = rec.line;
				b->end = 2;
				rc = 0;
				break;
			}
			read_one(rd, &b->row[b->n], &rec);
		}
		pthread_mutex_lock(&rd->lock);
		b->full = 1;
		pthread_cond_broadcast(&rd->cond);
		pthread_mutex_unlock(&rd->lock);
		i ^= 1;
	}
	return NULL;
}

/* Starts the reader on a copy of im (after the header): -1 if it cannot. */
static int
reader_start(struct reader *rd, const struct import *im)
{
	memset(rd, 0, sizeof(*rd));
	rd->im = *im;
	rd->im.stats = &rd->stats;
	buf_init(&rd->im.reasons);
	buf_init(&rd->im.key);
	buf_init(&rd->im.other_key);
	buf_init(&rd->im.digest_in);
	if (pthread_mutex_init(&rd->lock, NULL) != 0)
		return error("cannot make a mutex for the reader thread");
	if (pthread_cond_init(&rd->cond, NULL) != 0) {
		pthread_mutex_destroy(&rd->lock);
		return error("cannot make a condition for the reader thread");
	}
	if (pthread_create(&rd->thread, NULL, reader_main, rd) != 0) {
		pthread_cond_destroy(&rd->cond);
		pthread_mutex_destroy(&rd->lock);
		return error("cannot start a thread: %s", strerror(errno));
	}
	return 0;
}

/*
 * The next row the reader left; NULL at the end of the batches (*end as
 * the last batch says).
 */
static struct read_row *
reader_next(struct reader *rd, int *end)
{
	struct read_batch	*b = &rd->batch[rd->at];

	/* A batch is the reader's until full, then the import's. */
	if (rd->next == 0) {
		pthread_mutex_lock(&rd->lock);
		while (!b->full)
			pthread_cond_wait(&rd->cond, &rd->lock);
		pthread_mutex_unlock(&rd->lock);
	}
	if (rd->next < b->n)
		return &b->row[rd->next++];
	if (b->end != 0) {
		*end = b->end;
		return NULL;
	}
	/* Handed back for the reader to fill again. */
	pthread_mutex_lock(&rd->lock);
	b->full = 0;
	pthread_cond_broadcast(&rd->cond);
	pthread_mutex_unlock(&rd->lock);
	rd->at ^= 1;
	rd->next = 0;
	return reader_next(rd, end);
}

/* A row's record as read, for a bad row's reject line (rd->rec). */
static const struct csv_record *
reader_record(struct reader *rd, const struct read_row *r)
{
	size_t	 c, from;

	if (r->nfields > rd->cap) {
		rd->cap = r->nfields;
		rd->fields = xreallocarray(rd->fields, rd->cap,
		    sizeof(*rd->fields));
		rd->lens = xreallocarray(rd->lens, rd->cap, sizeof(*rd->lens));
	}
	for (c = 0, from = 0; c < r->nfields; from = r->ends[c++]) {
		rd->fields[c] = r->raw.data + from;
		rd->lens[c] = r->ends[c] - from - 1;
	}
	rd->rec.nfields = r->nfields;
	rd->rec.fields = rd->fields;
	rd->rec.lens = rd->lens;
	rd->rec.line = r->line;
	return &rd->rec;
}

/* Stops the reader wherever it is, and frees it. */
static void
reader_stop(struct reader *rd)
{
	struct read_row	*r;
	size_t		 i, j, f;

	pthread_mutex_lock(&rd->lock);
	rd->stop = 1;
	pthread_cond_broadcast(&rd->cond);
	pthread_mutex_unlock(&rd->lock);
	pthread_join(rd->thread, NULL);
	pthread_cond_destroy(&rd->cond);
	pthread_mutex_destroy(&rd->lock);
	for (i = 0; i < 2; i++)
		for (j = 0; j < READ_BATCH; j++) {
			r = &rd->batch[i].row[j];
			for (f = 0; f < MAX_FIELDS; f++)
				buf_release(&r->value[f]);
			buf_release(&r->reasons);
			buf_release(&r->said);
			buf_release(&r->raw);
			free(r->ends);
		}
	buf_release(&rd->im.reasons);
	buf_release(&rd->im.key);
	buf_release(&rd->im.other_key);
	buf_release(&rd->im.digest_in);
	free(rd->fields);
	free(rd->lens);
}

int
registry_import_csv(struct db *db, enum registry_kind kind,
    struct csvfile *csv, const struct registry_options *opts,
    struct registry_stats *stats)
{
	struct import		 im;
	struct csv_record	 rec;
	struct reader		 rd;
	struct read_row		*row;
	const struct csv_record	*bad;
	int64_t			 npresent = 0;
	uint64_t		 t[6];
	size_t			 f;
	int			 rc, ret = -1, in_tx = 0, bad_file = 0;
	int			 reading = 0, end = 0;
	int			 fk_off = 0, bulk = 0;
	char			 sql[128];

	memset(stats, 0, sizeof(*stats));
	stats->ledger_entry = stats->plan_entry = -1;
	memset(&im, 0, sizeof(im));
	im.kind = &kinds[kind];
	im.opts = opts;
	im.stats = stats;
	im.db = db;
	im.csv = csv;
	im.name = csvfile_name(csv);
	im.value = im.own_value;
	im.ivalue = im.own_ivalue;
	im.pool_field = -1;
	for (f = 0; f < im.kind->nfields; f++)
		if ((kind == REGISTRY_ENTERPRISES &&
		    strcmp(im.kind->fields[f].column, "status") == 0) ||
		    (kind == REGISTRY_INSPECTORS &&
		    strcmp(im.kind->fields[f].column, "active") == 0))
			im.pool_field = (int)f;

	if ((rc = csvfile_next(csv, &rec)) != 1) {
		if (rc == 0)
			fprintf(stderr, "%s: empty file: no header row\n",
			    im.name);
		else
			fprintf(stderr, "%s\n", csvfile_error(csv));
		stats->refused = 1;
		ret = 0;
		goto out;
	}
	im.line = rec.line;
	if (read_header(&im, &rec) == -1) {
		stats->refused = 1;
		ret = 0;
		goto out;
	}

	/*
	 * The revisions name the snapshot row written last, in the same
	 * transaction, by the id this import chose; with no index by
	 * snapshot (schema version 7) SQLite would clear their deferred
	 * foreign keys when that row comes by reading the whole table (a
	 * second at 12 M revisions, growing with the history).
	 */
	if (db_exec(db, "PRAGMA foreign_keys = OFF") == -1)
		goto out;
	fk_off = 1;
	/*
	 * A first import only adds pages: written once under a rollback
	 * journal, where WAL writes each twice (a fifth of the time of a
	 * 10 M import here, where the disk bounds it).
	 */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT 1 FROM %s "
	    "LIMIT 1)", im.kind->table);
	if (db_query_int(db, sql, &npresent) == -1 ||
	    (npresent == 0 && (bulk = db_bulk_journal(db)) == -1))
		goto out;
	if (db_begin(db) == -1)
		goto out;
	in_tx = 1;
	/* (again: another import may have come first) */
	if (ledger_guard(db) == -1 || db_query_int(db, sql, &npresent) == -1)
		goto out;
	im.incremental = npresent > 0;
	if (snapshot_begin(&im) == -1 || prepare_statements(&im) == -1)
		goto out;
	cur_begin(&im);
	/*
	 * A first import only appends: a few pages of cache do, and the
	 * memory goes to the current set instead.
	 */
	if (!im.incremental && db_exec(db, "PRAGMA cache_size = -8192") == -1)
		goto out;
	/*
	 * The sorts after the reading (the key index, the current tables
	 * in key order) may take the second core, which the reader leaves
	 * then: 10-25 % of the index's time.
	 */
	if (db_exec(db, "PRAGMA threads = 1") == -1)
		goto out;
	if (opts->reject_path != NULL && reject_open(&im) == -1)
		goto out;

	t[0] = mono_ms();
	if (reader_start(&rd, &im) == -1)
		goto out;
	reading = 1;
	while ((row = reader_next(&rd, &end)) != NULL) {
		im.value = row->value;
		im.ivalue = row->ivalue;
		im.digest = !im.incremental || im.digests.on ? row->digest :
		    NULL;
		im.line = row->line;
		im.row_bad = row->bad;
		im.legacy = row->legacy;
		buf_reset(&im.reasons);
		buf_add(&im.reasons, row->reasons.data, row->reasons.len);
		if (row->said.len > 0)
			fputs(buf_cstr(&row->said), stderr);
		stats->rows++;
		if (stats->rows % PROGRESS_ROWS == 0)
			show_progress(&im, 0, row->offset);
		if (!im.row_bad && opts->remove) {
			if (remove_row(&im) == -1)
				goto out;
		} else if (!im.row_bad) {
			if (take_row(&im, 0) == -1)
				goto out;
			if (!im.row_bad && im.legacy &&
			    kind == REGISTRY_ENTERPRISES)
				stats->legacy++;
		}
		if (im.row_bad) {
			stats->rejected++;
			bad = reader_record(&rd, row);
			reject_row(&im, bad);
			if (im.kind->whole && !opts->remove &&
			    keep_rejected(&im, bad) == -1)
				goto out;
		}
	}
	im.value = im.own_value;
	im.ivalue = im.own_ivalue;
	im.digest = NULL;
	reader_stop(&rd);
	reading = 0;
	stats->warnings += rd.stats.warnings;
	if (end == 2) {
		fprintf(stderr, "%s:%lu: more lines than an import takes (%lu); "
		    "split the file and import it with --partial\n", im.name,
		    rd.past, (unsigned long)UINT32_MAX);
		bad_file = 1;
	}
	rc = end == -1 ? -1 : 0;
	show_progress(&im, 1, 0);
	/* Every key is seen: the set's memory is the sort's (cur_write). */
	free(im.seen.slot);
	im.seen.slot = NULL;
	im.seen.mask = im.seen.n = 0;
	if (rc == -1) {
		fprintf(stderr, "%s\n", csvfile_error(csv));
		bad_file = 1;
	}
	if (stats->warnings > MAX_WARNINGS_SHOWN)
		fprintf(stderr, "%s: %llu more warnings not shown\n", im.name,
		    (unsigned long long)(stats->warnings - MAX_WARNINGS_SHOWN));
	if (bad_file || (stats->rejected > 0 && opts->reject_path == NULL)) {
		stats->refused = 1;
		ret = 0;
		goto out;
	}
	t[1] = mono_ms();
	if (rev_flush(&im) == -1 || key_index_restore(&im) == -1 ||
	    (im.incremental && !opts->remove && (store_staged(&im) == -1 ||
	    rev_flush(&im) == -1)))
		goto out;
	if (im.kind->whole && im.incremental && !opts->partial &&
	    !opts->remove) {
		if (mark_removed(&im) == -1 || (rc = removals_check(&im)) == -1)
			goto out;
		if (rc == 1) {
			stats->refused = 1;
			ret = 0;
			goto out;
		}
	}
	if (stats->added + stats->changed + stats->removed == 0) {
		/* Nothing to record: no new snapshot. */
		db_rollback(db);
		in_tx = 0;
		if (db_query_int(db, "SELECT max(id) FROM snapshot",
		    &stats->same_as) == -1)
			goto out;
		ret = reject_close(&im, 1);
		goto out;
	}
	/* The frame image names the snapshot: after its row. */
	t[2] = mono_ms();
	if (current_update(&im) == -1)
		goto out;
	t[3] = mono_ms();
	if (pool_count(&im) == -1 || snapshot_end(&im) == -1)
		goto out;
	t[4] = mono_ms();
	if ((im.kind == &kinds[REGISTRY_ENTERPRISES] ||
	    im.kind == &kinds[REGISTRY_RISK]) && image_update(&im) == -1)
		goto out;
	t[5] = mono_ms();
	if (reject_close(&im, 1) == -1 || db_commit(db) == -1)
		goto out;
	log_debug("import: rows read %llu ms, stored %llu ms, current "
	    "tables %llu ms, counts %llu ms, frame image %llu ms, commit "
	    "%llu ms", (unsigned long long)(t[1] - t[0]),
	    (unsigned long long)(t[2] - t[1]),
	    (unsigned long long)(t[3] - t[2]),
	    (unsigned long long)(t[4] - t[3]),
	    (unsigned long long)(t[5] - t[4]),
	    (unsigned long long)(mono_ms() - t[5]));
	in_tx = 0;
	stats->snapshot = im.snapshot;
	ret = 0;
out:
	if (reading) {
		im.value = im.own_value;
		im.ivalue = im.own_ivalue;
		reader_stop(&rd);
	}
	stats->encoding = csv_encoding_name(csvfile_encoding(csv));
	stats->encoding_detected = csvfile_detected(csv);
	show_progress(&im, 1, 0);
	if (in_tx)
		db_rollback(db);
	if (bulk == 1)
		db_bulk_journal_end(db);
	if (fk_off && db_exec(db, "PRAGMA foreign_keys = ON") == -1)
		ret = -1;
	reject_close(&im, 0);
	import_release(&im);
	return ret;
}

int
registry_import(struct db *db, enum registry_kind kind, const char *path,
    const struct registry_options *opts, struct registry_stats *stats)
{
	struct csvfile	*csv;
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX], last[CRYPTO_DIGEST_HEX];
	int64_t		 last_id;
	int		 ret;

	memset(stats, 0, sizeof(*stats));
	/* Opened first: it refuses devices and FIFOs, which never end. */
	if ((csv = csvfile_open(path, opts->encoding)) == NULL) {
		stats->refused = 1;
		return 0;
	}
	/* The very file of the latest snapshot of this kind: nothing to do. */
	if (latest_snapshot(db, kinds[kind].name, &last_id, last) == -1) {
		csvfile_close(csv);
		return -1;
	}
	if (last_id > 0 && !opts->remove &&
	    crypto_digest_file(path, digest) == 0) {
		crypto_hex(digest, sizeof(digest), hex);
		if (strcmp(hex, last) == 0) {
			stats->same_as = last_id;
			csvfile_close(csv);
			return 0;
		}
	}
	ret = registry_import_csv(db, kind, csv, opts, stats);
	csvfile_close(csv);
	return ret;
}

/* Dumps. */

int
registry_dump(struct db *db, enum registry_kind kind, int64_t snapshot,
    FILE *fp)
{
	const struct kind	*k = &kinds[kind];
	struct buf		 sql = BUF_INIT;
	struct db_stmt		*st;
	const char		*s;
	size_t			 f, nout;
	int			 rc, cols[MAX_FIELDS];
	char			 num[24];

	/* Every column of the file but the derived and the personal ones. */
	nout = 0;
	for (f = 0; f < k->nfields; f++) {
		if ((k->fields[f].flags & F_DERIVED) ||
		    k->fields[f].type == FT_IDCARD ||
		    k->fields[f].type == FT_PHONE)
			continue;
		cols[nout++] = (int)f;
	}
	buf_addstr(&sql, "SELECT ");
	for (f = 0; f < nout; f++)
		buf_printf(&sql, "%s%s", f > 0 ? ", " : "",
		    k->fields[cols[f]].column);
	buf_printf(&sql, " FROM (SELECT *, max(snapshot) FROM %s "
	    "WHERE snapshot <= ?1 GROUP BY ", k->table);
	for (f = 0; f < k->nkeys; f++)
		buf_printf(&sql, "%s%s", f > 0 ? ", " : "",
		    k->fields[f].column);
	buf_addstr(&sql, ") WHERE present ORDER BY ");
	for (f = 0; f < k->nkeys; f++)
		buf_printf(&sql, "%s%s", f > 0 ? ", " : "",
		    k->fields[f].column);
	st = db_prepare(db, buf_cstr(&sql));
	buf_release(&sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, snapshot > 0 ? snapshot : INT64_MAX);

	for (f = 0; f < nout; f++) {
		if (f > 0)
			fputc(',', fp);
		s = k->fields[cols[f]].header;
		csv_write_cell(fp, s, strlen(s));
	}
	fputs("\r\n", fp);
	while ((rc = db_step(st)) == DB_ROW) {
		for (f = 0; f < nout; f++) {
			if (f > 0)
				fputc(',', fp);
			if (k->fields[cols[f]].type == FT_BOOL)
				s = db_col_int(st, (int)f) ? "是" : "否";
			else if (k->fields[cols[f]].flags & F_INT) {
				snprintf(num, sizeof(num), "%lld",
				    (long long)db_col_int(st, (int)f));
				s = num;
			} else
				s = db_col_text(st, (int)f);
			csv_write_cell(fp, s, strlen(s));
		}
		fputs("\r\n", fp);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	if (fflush(fp) == EOF || ferror(fp))
		return error("cannot write the dump: %s", strerror(errno));
	return 0;
}
