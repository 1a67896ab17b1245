/*
 * The plan's meaning: turns config.c's node tree into a struct config with
 * table-driven keys, resolves every reference and reports each problem at
 * its line and column, all of them before giving up.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "config-node.h"
#include "log.h"
#include "xmalloc.h"

#define NELEM(a)		(sizeof(a) / sizeof((a)[0]))
#define PLAN_ID_MAX		64	/* ids end up in file names */
#define PLAN_LABEL_MAX		128
#define PLAN_LIST_MAX		16	/* codes listed in "expected one of" */
#define PLAN_MAX_KEYS		16
#define PLAN_HOLIDAY_MAX	366	/* days in one holiday range */

/* How a key's value is read, and where it is stored. */
enum pk_kind {
	PK_NODE,	/* handed back to the caller as found[i] */
	PK_STRING,	/* char *: one line of text */
	PK_TEXT,	/* char *: text that may span lines */
	PK_ID,		/* char *: a code, see plan_ident */
	PK_INT,		/* int in [min, max] */
	PK_COUNT,	/* int64_t in [min, max] */
	PK_BOOL,	/* int: 0 or 1 */
	PK_DATE,	/* day_t */
};

#define PK_REQUIRED	0x1
#define PK_GIVEN(mask, i)	(((mask) & (1U << (i))) != 0)

struct plan_key {
	const char	*name;
	enum pk_kind	 kind;
	int		 flags;
	size_t		 off;		/* in the object; not for PK_NODE */
	long long	 min;
	long long	 max;
	const char	*hint;		/* appended to a "too small" error */
};

struct pent {
	const char		*key;
	size_t			 seq;	/* order of definition */
	size_t			 i;	/* index in the config's array */
	const struct cnode	*node;	/* where it was defined */
};

/* A sorted index of codes, for lookups and repeats in O(n log n). */
struct pindex {
	struct pent	*v;
	size_t		 n;
};

/* A make-up working day and where it was given, to check against holidays. */
struct pworkday {
	day_t			 day;
	const struct cnode	*node;
};

struct plan {
	struct cload	*ld;
	struct config	*cfg;
	char		*area;		/* the authority's division prefix */
	struct pindex	 depts;
	struct pindex	 classes;
	struct pindex	 items;
	struct pindex	 ids;		/* tasks and batches: one namespace */
	struct pindex	 tasks;
	int		 depts_ok;	/* the lists were read: a code */
	int		 items_ok;	/*   missing from them is an error */
	int		 tasks_ok;
	struct pworkday	*wdays;
	size_t		 nwdays;
	struct buf	 list;		/* scratch for "expected one of" */
};

/* A holiday as written, before it becomes a calendar range. */
struct plan_holiday {
	char	*name;
	day_t	 date;
	day_t	 from;
	day_t	 to;
};

typedef int (*plan_check_fn)(struct plan *, const struct cnode *,
    const char *);

static void	*plan_calloc(size_t, size_t);
static void	 pindex_add(struct pindex *, const char *, size_t,
		    const struct cnode *);
static int	 pent_cmp(const void *, const void *);
static int	 pent_key_cmp(const void *, const void *);
static void	 pindex_sort(struct plan *, struct pindex *, const char *,
		    const char *);
static const struct pent *pindex_find(const struct pindex *, const char *);
static void	 pindex_release(struct pindex *);
static const char *plan_list(struct plan *, const void *, size_t, size_t,
		    size_t);
static void	 plan_expected(struct plan *, const struct cnode *,
		    const char *, const char *);
static int	 plan_text(struct plan *, const struct cnode *, const char *,
		    int, char **);
static int	 plan_ident(struct plan *, const struct cnode *,
		    const char *, char **);
static int	 plan_int(struct plan *, const struct cnode *, const char *,
		    const struct plan_key *, long long *);
static int	 plan_bool(struct plan *, const struct cnode *, const char *,
		    int *);
static int	 plan_date(struct plan *, const struct cnode *, const char *,
		    day_t *);
static int	 plan_value(struct plan *, const struct plan_key *,
		    const struct cnode *, void *);
static int	 plan_map(struct plan *, const struct cnode *, const char *,
		    const char *, const struct plan_key *, size_t, void *,
		    const struct cnode **);
static int	 plan_key_null(const struct cnode *, const char *);
static const struct cnode *const *plan_seq(struct plan *,
		    const struct cnode *, const char *, int, size_t *,
		    const struct cnode **);
static size_t	 plan_strlist(struct plan *, const struct cnode *,
		    const char *, int, plan_check_fn, char ***,
		    const struct cnode ***);
static int	 check_string(struct plan *, const struct cnode *,
		    const char *);
static int	 check_ident(struct plan *, const struct cnode *,
		    const char *);
static int	 check_digits(const struct cnode *, int);
static int	 check_division(struct plan *, const struct cnode *,
		    const char *);
static int	 check_division_prefix(struct plan *, const struct cnode *,
		    const char *);
static int	 check_industry(struct plan *, const struct cnode *,
		    const char *);
static int	 check_entity_type(struct plan *, const struct cnode *,
		    const char *);
static void	 plan_unclassified(struct plan *, const struct cnode *);
static int	 check_certain(struct plan *, const struct cnode *,
		    const char *);
static int	 check_year(struct plan *, const struct cnode *,
		    const char *);
static void	 plan_area_warn(struct plan *, const struct cnode *);
static int	 plan_ratio(struct plan *, const struct cnode *,
		    struct ratio *);
static const char *plan_weekday(day_t);
static char	*plan_resolve(const char *, const char *);
static void	 plan_plan(struct plan *, const struct cnode *);
static void	 plan_authority(struct plan *, const struct cnode *);
static void	 plan_keys(struct plan *, const struct cnode *);
static void	 plan_holiday(struct plan *, const struct cnode *);
static void	 plan_workday(struct plan *, const struct cnode *);
static void	 plan_calendar(struct plan *, const struct cnode *,
		    const char *, const char *);
static void	 plan_calendar_check(struct plan *);
static void	 plan_classes(struct plan *, const struct cnode *);
static void	 plan_items(struct plan *, const struct cnode *);
static void	 plan_quota(struct plan *, const struct cnode *,
		    const char *, struct config_quota *);
static void	 plan_sampling_type(struct plan *, const struct cnode *,
		    enum item_type);
static void	 plan_sampling(struct plan *, const struct cnode *);
static void	 plan_filter(struct plan *, const struct cnode *,
		    struct config_task *);
static void	 plan_batch(struct plan *, const struct cnode *,
		    struct config_task *);
static void	 plan_task(struct plan *, const struct cnode *);
static void	 plan_tasks(struct plan *, const struct cnode *);
static void	 plan_quiet(struct plan *, const struct cnode *);
static void	 plan_quiets(struct plan *, const struct cnode *);
static void	 plan_strv_free(char **, size_t);
static void	 plan_clock(struct plan *, const struct cnode *,
		    const char *, int *);
static void	 plan_duration(struct plan *, const struct cnode *,
		    const char *, int64_t, int64_t *);
static int	 check_witness(struct plan *, const struct cnode *,
		    const char *);
static void	 plan_schedule(struct plan *, const struct cnode *);

static const char *const item_type_names[ITEM_NTYPES] = { "general", "key" };
static const char *const entity_types[] = {
	"enterprise", "individual", "cooperative", "foreign", "other"
};
static const char *const certain_names[] = { "abnormal", "serious" };
static const unsigned certain_flags[] = { CERTAIN_ABNORMAL, CERTAIN_SERIOUS };
static const char *const default_classes[][2] = {
	{ "A", "信用风险低" },
	{ "B", "信用风险一般" },
	{ "C", "信用风险较高" },
	{ "D", "信用风险高" },
};

/*
 * The key tables. Each is in the order the man page documents the keys,
 * which is also the order "expected one of" lists them in; they are short
 * enough that a linear search costs nothing.
 */
enum { T_VERSION, T_PLAN, T_AUTHORITY, T_KEYS, T_CALENDAR, T_CLASSES,
    T_ITEMS, T_SAMPLING, T_QUIET, T_TASKS, T_BEACON, T_IMPORTS,
    T_SCHEDULE, T_REPORT };
static const struct plan_key top_keys[] = {
	{ .name = "version", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "plan", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "authority", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "keys", .kind = PK_NODE },
	{ .name = "calendar", .kind = PK_NODE },
	{ .name = "risk_classes", .kind = PK_NODE },
	{ .name = "items", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "sampling", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "quiet_periods", .kind = PK_NODE },
	{ .name = "tasks", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "beacon", .kind = PK_NODE },
	{ .name = "imports", .kind = PK_NODE },
	{ .name = "schedule", .kind = PK_NODE },
	{ .name = "report", .kind = PK_NODE },
};

static const struct plan_key report_keys[] = {
	{ .name = "public_min", .kind = PK_INT,
	  .off = offsetof(struct config, report_public_min), .min = 1,
	  .max = 1000000 },
};

enum { IM_MAX_REMOVALS };
static const struct plan_key imports_keys[] = {
	{ .name = "max_removals", .kind = PK_NODE },
};

enum { B_CHAIN, B_GENESIS, B_PERIOD, B_MARGIN, B_COMMAND, B_SCHEME,
    B_PUBLIC_KEY };
static const struct plan_key beacon_keys[] = {
	{ .name = "chain", .kind = PK_STRING,
	  .off = offsetof(struct config_beacon, chain) },
	{ .name = "genesis", .kind = PK_COUNT,
	  .off = offsetof(struct config_beacon, genesis), .min = 0,
	  .max = 4102444800 },
	{ .name = "period", .kind = PK_COUNT,
	  .off = offsetof(struct config_beacon, period), .min = 1,
	  .max = 86400 },
	{ .name = "margin", .kind = PK_COUNT,
	  .off = offsetof(struct config_beacon, margin), .min = 1,
	  .max = 100000000 },
	{ .name = "command", .kind = PK_STRING,
	  .off = offsetof(struct config_beacon, command) },
	{ .name = "scheme", .kind = PK_STRING,
	  .off = offsetof(struct config_beacon, scheme) },
	{ .name = "public_key", .kind = PK_STRING,
	  .off = offsetof(struct config_beacon, public_key) },
};

static const struct plan_key plan_keys_tab[] = {
	{ .name = "id", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config, plan_id) },
	{ .name = "name", .kind = PK_STRING, .flags = PK_REQUIRED,
	  .off = offsetof(struct config, plan_name) },
	{ .name = "year", .kind = PK_INT, .flags = PK_REQUIRED,
	  .off = offsetof(struct config, year), .min = 1900, .max = 9999 },
};

enum { A_NAME, A_DIVISION, A_DEPARTMENTS, A_DIVISIONS };
static const struct plan_key authority_keys[] = {
	{ .name = "name", .kind = PK_STRING, .flags = PK_REQUIRED,
	  .off = offsetof(struct config, authority) },
	{ .name = "division", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "departments", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "divisions", .kind = PK_NODE },
};

enum { D_CODE, D_NAME };
static const struct plan_key department_keys[] = {
	{ .name = "code", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_department, code) },
	{ .name = "name", .kind = PK_STRING, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_department, name) },
};

enum { K_PUBLIC, K_SECRET };
static const struct plan_key keys_keys[] = {
	{ .name = "public", .kind = PK_STRING,
	  .off = offsetof(struct config, public_key) },
	{ .name = "secret", .kind = PK_STRING,
	  .off = offsetof(struct config, secret_key) },
};

enum { C_INCLUDE, C_YEARS, C_HOLIDAYS, C_WORKDAYS };
static const struct plan_key calendar_keys[] = {
	{ .name = "include", .kind = PK_NODE },
	{ .name = "years", .kind = PK_NODE },
	{ .name = "holidays", .kind = PK_NODE },
	{ .name = "workdays", .kind = PK_NODE },
};

enum { H_NAME, H_DATE, H_FROM, H_TO };
static const struct plan_key holiday_keys[] = {
	{ .name = "name", .kind = PK_STRING,
	  .off = offsetof(struct plan_holiday, name) },
	{ .name = "date", .kind = PK_DATE,
	  .off = offsetof(struct plan_holiday, date) },
	{ .name = "from", .kind = PK_DATE,
	  .off = offsetof(struct plan_holiday, from) },
	{ .name = "to", .kind = PK_DATE,
	  .off = offsetof(struct plan_holiday, to) },
};

static const struct plan_key workday_keys[] = {
	{ .name = "name", .kind = PK_STRING,
	  .off = offsetof(struct plan_holiday, name) },
	{ .name = "date", .kind = PK_DATE, .flags = PK_REQUIRED,
	  .off = offsetof(struct plan_holiday, date) },
};

enum { WD_NAME, WD_DATE };
enum { R_CODE, R_NAME };
static const struct plan_key class_keys[] = {
	{ .name = "code", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_class, code) },
	{ .name = "name", .kind = PK_STRING, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_class, name) },
};

enum { I_CODE, I_NAME, I_BASIS, I_TYPE, I_DEPARTMENT, I_QUALIFICATION };
static const struct plan_key item_keys[] = {
	{ .name = "code", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_item, code) },
	{ .name = "name", .kind = PK_STRING, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_item, name) },
	{ .name = "basis", .kind = PK_TEXT,
	  .off = offsetof(struct config_item, basis) },
	{ .name = "type", .kind = PK_NODE },
	{ .name = "department", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_item, department) },
	{ .name = "qualification", .kind = PK_ID,
	  .off = offsetof(struct config_item, qualification) },
};

enum { SP_GENERAL, SP_KEY, SP_UNCLASSIFIED };
static const struct plan_key sampling_keys[] = {
	{ .name = "general", .kind = PK_NODE },
	{ .name = "key", .kind = PK_NODE },
	{ .name = "unclassified", .kind = PK_NODE },
};

enum { S_CLASSES, S_CERTAIN };
static const struct plan_key sampling_type_keys[] = {
	{ .name = "classes", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "certain", .kind = PK_NODE },
};

enum { Q_RATIO, Q_MIN, Q_MAX };
static const struct plan_key quota_keys[] = {
	{ .name = "ratio", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "min", .kind = PK_COUNT,
	  .off = offsetof(struct config_quota, min), .min = 0,
	  .max = 1000000000 },
	{ .name = "max", .kind = PK_COUNT,
	  .off = offsetof(struct config_quota, max), .min = 0,
	  .max = 1000000000 },
};

enum { QP_NAME, QP_DIVISIONS, QP_MONTHLY, QP_FROM, QP_TO, QP_EXEMPT };
static const struct plan_key quiet_keys[] = {
	{ .name = "name", .kind = PK_STRING, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_quiet, name) },
	{ .name = "divisions", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "monthly", .kind = PK_NODE },
	{ .name = "from", .kind = PK_DATE,
	  .off = offsetof(struct config_quiet, from) },
	{ .name = "to", .kind = PK_DATE,
	  .off = offsetof(struct config_quiet, to) },
	{ .name = "exempt", .kind = PK_NODE },
};

enum { M_FROM, M_TO };
static const struct plan_key monthly_keys[] = {
	{ .name = "from", .kind = PK_INT, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_quiet, monthly_from), .min = 1,
	  .max = 31 },
	{ .name = "to", .kind = PK_INT, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_quiet, monthly_to), .min = 1,
	  .max = 31 },
};

enum { TK_ID, TK_NAME, TK_ITEMS, TK_LEAD, TK_JOINT, TK_FILTER, TK_TEAM,
    TK_WORKLOAD, TK_EXCLUDE, TK_PUBLIC_NAMES, TK_BATCHES, TK_PUBLIC_LIST };
static const struct plan_key task_keys[] = {
	{ .name = "id", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_task, id) },
	{ .name = "name", .kind = PK_STRING, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_task, name) },
	{ .name = "items", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "lead", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_task, lead) },
	{ .name = "joint", .kind = PK_NODE },
	{ .name = "filter", .kind = PK_NODE },
	{ .name = "team", .kind = PK_NODE },
	{ .name = "workload", .kind = PK_NODE },
	{ .name = "exclude", .kind = PK_NODE },
	{ .name = "public_names", .kind = PK_BOOL,
	  .off = offsetof(struct config_task, public_names) },
	{ .name = "batches", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "public_list", .kind = PK_BOOL,
	  .off = offsetof(struct config_task, public_list) },
};

enum { F_INDUSTRY, F_DIVISION, F_ENTITY_TYPE, F_CERTIFICATE };
static const struct plan_key filter_keys[] = {
	{ .name = "industry", .kind = PK_NODE },
	{ .name = "division", .kind = PK_NODE },
	{ .name = "entity_type", .kind = PK_NODE },
	{ .name = "certificate", .kind = PK_NODE },
};

static const struct plan_key team_keys[] = {
	{ .name = "size", .kind = PK_INT,
	  .off = offsetof(struct config_task, team_size), .min = 2,
	  .max = 99, .hint = "; the law requires two inspectors on every "
	  "check (行政处罚法)" },
	{ .name = "experts", .kind = PK_INT,
	  .off = offsetof(struct config_task, experts), .min = 0,
	  .max = 99 },
};

enum { W_PER_BATCH, W_PER_YEAR };
static const struct plan_key workload_keys[] = {
	{ .name = "per_batch", .kind = PK_INT,
	  .off = offsetof(struct config_task, cap_per_batch), .min = 0,
	  .max = 100000 },
	{ .name = "per_year", .kind = PK_INT,
	  .off = offsetof(struct config_task, cap_per_year), .min = 0,
	  .max = 100000 },
};

static const struct plan_key exclude_keys[] = {
	{ .name = "same_item_year", .kind = PK_BOOL,
	  .off = offsetof(struct config_task, exclude_same_item_year) },
	{ .name = "annual_cap", .kind = PK_INT,
	  .off = offsetof(struct config_task, annual_cap), .min = 0,
	  .max = 366 },
	{ .name = "quiet_periods", .kind = PK_BOOL,
	  .off = offsetof(struct config_task, apply_quiet_periods) },
	{ .name = "rotation", .kind = PK_BOOL,
	  .off = offsetof(struct config_task, rotation) },
};

enum { B_ID, B_NAME, B_DRAW, B_WINDOW, B_COMMIT };
static const struct plan_key batch_keys[] = {
	{ .name = "id", .kind = PK_ID, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_batch, id) },
	{ .name = "name", .kind = PK_STRING,
	  .off = offsetof(struct config_batch, name) },
	{ .name = "draw", .kind = PK_DATE, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_batch, draw_date) },
	{ .name = "window", .kind = PK_NODE, .flags = PK_REQUIRED },
	{ .name = "commit", .kind = PK_NODE },
};

enum { WI_FROM, WI_TO };
static const struct plan_key window_keys[] = {
	{ .name = "from", .kind = PK_DATE, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_batch, window_from) },
	{ .name = "to", .kind = PK_DATE, .flags = PK_REQUIRED,
	  .off = offsetof(struct config_batch, window_to) },
};

/* xcalloc for a count that may be zero, which xcalloc calls a bug. */
static void *
plan_calloc(size_t n, size_t size)
{
	return n == 0 ? NULL : xcalloc(n, size);
}

static void
pindex_add(struct pindex *x, const char *key, size_t i,
    const struct cnode *node)
{
	struct pent	*e;

	if (key == NULL)
		return;
	x->v = xreallocarray(x->v, x->n + 1, sizeof(*x->v));
	e = &x->v[x->n];
	e->key = key;
	e->seq = x->n++;
	e->i = i;
	e->node = node;
}

static int
pent_cmp(const void *a, const void *b)
{
	const struct pent	*ea = a, *eb = b;
	int			 c;

	if ((c = strcmp(ea->key, eb->key)) != 0)
		return c;
	return ea->seq < eb->seq ? -1 : ea->seq > eb->seq;
}

static int
pent_key_cmp(const void *key, const void *ent)
{
	return strcmp(key, ((const struct pent *)ent)->key);
}

/*
 * Sorts the index; unless noun is NULL, every repeat of a code is an
 * error at the repeat.
 */
static void
pindex_sort(struct plan *p, struct pindex *x, const char *noun,
    const char *where)
{
	const struct pent	*first;
	size_t			 i;

	if (x->n == 0)
		return;
	qsort(x->v, x->n, sizeof(*x->v), pent_cmp);
	if (noun == NULL)
		return;
	for (i = 1, first = &x->v[0]; i < x->n; i++) {
		if (strcmp(x->v[i].key, first->key) != 0) {
			first = &x->v[i];
			continue;
		}
		cload_error(p->ld, x->v[i].node, "duplicate %s '%s'%s (first "
		    "at %d:%d)", noun, x->v[i].key, where, first->node->line,
		    first->node->col);
	}
}

static const struct pent *
pindex_find(const struct pindex *x, const char *key)
{
	if (x->n == 0)
		return NULL;
	return bsearch(key, x->v, x->n, sizeof(*x->v), pent_key_cmp);
}

static void
pindex_release(struct pindex *x)
{
	free(x->v);
	x->v = NULL;
	x->n = 0;
}

/* "A, B, C": the codes of an array of structs, for "expected one of". */
static const char *
plan_list(struct plan *p, const void *base, size_t n, size_t size,
    size_t off)
{
	const char	*code;
	size_t		 i, shown = 0;

	buf_reset(&p->list);
	for (i = 0; i < n; i++) {
		code = *(const char *const *)(const void *)
		    ((const char *)base + i * size + off);
		if (code == NULL)
			continue;
		if (shown == PLAN_LIST_MAX) {
			buf_addstr(&p->list, ", ...");
			break;
		}
		if (shown++ > 0)
			buf_addstr(&p->list, ", ");
		buf_addstr(&p->list, code);
	}
	if (shown == 0)
		buf_addstr(&p->list, "(none)");
	return buf_cstr(&p->list);
}

static void
plan_expected(struct plan *p, const struct cnode *n, const char *label,
    const char *what)
{
	char	 show[CNODE_SHOW_MAX];

	cload_error(p->ld, n, "%s must be %s, not %s", label, what,
	    cnode_show(n, show));
}

/* A non-empty string without control characters (but \n, \t in text). */
static int
plan_text(struct plan *p, const struct cnode *n, const char *label,
    int multiline, char **out)
{
	size_t		 i;
	unsigned char	 c;

	if (n->kind != CNODE_SCALAR || cnode_is_null(n)) {
		plan_expected(p, n, label, "a string");
		return -1;
	}
	if (n->len == 0) {
		cload_error(p->ld, n, "%s must not be empty", label);
		return -1;
	}
	for (i = 0; i < n->len; i++) {
		c = (unsigned char)n->str[i];
		if ((c < 0x20 || c == 0x7f) &&
		    !(multiline && (c == '\n' || c == '\t'))) {
			cload_error(p->ld, n, "%s must not contain control "
			    "characters", label);
			return -1;
		}
	}
	if (out != NULL) {
		free(*out);
		*out = xstrndup(n->str, n->len);
	}
	return 0;
}

/* Codes go into file names, CSV and logs: keep them plain. */
static int
plan_ident(struct plan *p, const struct cnode *n, const char *label,
    char **out)
{
	size_t	 i;
	char	 c;

	if (n->kind != CNODE_SCALAR || cnode_is_null(n)) {
		plan_expected(p, n, label, "a code");
		return -1;
	}
	if (n->len > PLAN_ID_MAX) {
		cload_error(p->ld, n, "%s must be at most %d characters long",
		    label, PLAN_ID_MAX);
		return -1;
	}
	for (i = 0; i < n->len; i++) {
		c = n->str[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || (i > 0 && (c == '.' ||
		    c == '_' || c == '-')))
			continue;
		break;
	}
	if (n->len == 0 || i < n->len) {
		plan_expected(p, n, label, "a code of letters, digits, '.', "
		    "'_' and '-'");
		return -1;
	}
	if (out != NULL) {
		free(*out);
		*out = xstrndup(n->str, n->len);
	}
	return 0;
}

static int
plan_int(struct plan *p, const struct cnode *n, const char *label,
    const struct plan_key *k, long long *out)
{
	const char	*s = n->str;
	long long	 v = 0;
	size_t		 i = 0;
	int		 neg = 0;
	char		 show[CNODE_SHOW_MAX];

	if (n->kind != CNODE_SCALAR || n->len == 0) {
		plan_expected(p, n, label, "an integer");
		return -1;
	}
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i++;
	}
	if (i == n->len || n->len - i > 15) {
		plan_expected(p, n, label, "an integer");
		return -1;
	}
	for (; i < n->len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			plan_expected(p, n, label, "an integer");
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < k->min) {
		cload_error(p->ld, n, "%s must be at least %lld, not %s%s",
		    label, k->min, cnode_show(n, show),
		    k->hint != NULL ? k->hint : "");
		return -1;
	}
	if (v > k->max) {
		cload_error(p->ld, n, "%s must be at most %lld, not %s", label,
		    k->max, cnode_show(n, show));
		return -1;
	}
	*out = v;
	return 0;
}

/* YAML 1.2's core booleans only: "yes" and "on" are YAML 1.1 traps. */
static int
plan_bool(struct plan *p, const struct cnode *n, const char *label,
    int *out)
{
	static const char *const	 yes[] = { "true", "True", "TRUE" };
	static const char *const	 no[] = { "false", "False", "FALSE" };
	size_t				 i;

	if (n->kind == CNODE_SCALAR) {
		for (i = 0; i < NELEM(yes); i++) {
			if (strcmp(n->str, yes[i]) == 0) {
				*out = 1;
				return 0;
			}
			if (strcmp(n->str, no[i]) == 0) {
				*out = 0;
				return 0;
			}
		}
	}
	plan_expected(p, n, label, "true or false");
	return -1;
}

static int
plan_date(struct plan *p, const struct cnode *n, const char *label,
    day_t *out)
{
	size_t	 i;

	if (n->kind == CNODE_SCALAR && date_parse(n->str, n->len, out) == 0)
		return 0;
	if (n->kind == CNODE_SCALAR && n->len == 10) {
		for (i = 0; i < 10; i++)
			if ((i == 4 || i == 7) ? n->str[i] != '-' :
			    (n->str[i] < '0' || n->str[i] > '9'))
				break;
		if (i == 10) {
			plan_expected(p, n, label, "a real date from 1900 on");
			return -1;
		}
	}
	plan_expected(p, n, label, "a date (YYYY-MM-DD)");
	return -1;
}

/* Converts one value into the object; 0 if it is there to be used. */
static int
plan_value(struct plan *p, const struct plan_key *k, const struct cnode *v,
    void *obj)
{
	char		 label[PLAN_LABEL_MAX];
	char		*field;
	long long	 ll;
	int		 b;
	day_t		 d;

	snprintf(label, sizeof(label), "'%s'", k->name);
	if (k->kind == PK_NODE)
		return 0;
	field = (char *)obj + k->off;
	switch (k->kind) {
	case PK_STRING:
	case PK_TEXT:
		return plan_text(p, v, label, k->kind == PK_TEXT,
		    (char **)(void *)field);
	case PK_ID:
		return plan_ident(p, v, label, (char **)(void *)field);
	case PK_INT:
		if (plan_int(p, v, label, k, &ll) == -1)
			return -1;
		*(int *)(void *)field = (int)ll;
		return 0;
	case PK_COUNT:
		if (plan_int(p, v, label, k, &ll) == -1)
			return -1;
		*(int64_t *)(void *)field = ll;
		return 0;
	case PK_BOOL:
		if (plan_bool(p, v, label, &b) == -1)
			return -1;
		*(int *)(void *)field = b;
		return 0;
	case PK_DATE:
		if (plan_date(p, v, label, &d) == -1)
			return -1;
		*(day_t *)(void *)field = d;
		return 0;
	default:
		break;
	}
	return -1;
}

/*
 * Reads a mapping through its key table: unknown keys, missing required
 * keys and bad values are errors. found[i] is the value of keys[i] when
 * it was given and is usable, else NULL; an empty value ("key:") counts
 * as not given. Returns the keys given, usable or not, as a bit mask
 * (PK_GIVEN), or -1 if the node is not a mapping at all.
 */
static int
plan_map(struct plan *p, const struct cnode *map, const char *label,
    const char *where, const struct plan_key *keys, size_t nkeys, void *obj,
    const struct cnode **found)
{
	const struct cnode	*k, *v;
	const char		*expect;
	char			 show[CNODE_SHOW_MAX];
	unsigned		 given = 0;
	size_t			 i, j;

	if (nkeys > PLAN_MAX_KEYS)
		fatalx("%s: key table too long", __func__);
	for (j = 0; j < nkeys; j++)
		found[j] = NULL;
	if (map->kind != CNODE_MAP) {
		plan_expected(p, map, label, "a mapping");
		return -1;
	}
	for (i = 0; i < map->n; i++) {
		k = CNODE_KEY(map, i);
		v = CNODE_VALUE(map, i);
		for (j = 0; j < nkeys; j++)
			if (k->len == strlen(keys[j].name) &&
			    memcmp(k->str, keys[j].name, k->len) == 0)
				break;
		if (j == nkeys) {
			expect = plan_list(p, keys, nkeys, sizeof(*keys),
			    offsetof(struct plan_key, name));
			cload_error(p->ld, k, "unknown key %s %s; expected one "
			    "of: %s", cnode_show(k, show), where, expect);
			continue;
		}
		if (cnode_is_null(v)) {
			if (keys[j].flags & PK_REQUIRED)
				cload_error(p->ld, k, "missing value for '%s' "
				    "%s", keys[j].name, where);
			continue;
		}
		given |= 1U << j;
		if (plan_value(p, &keys[j], v, obj) == 0)
			found[j] = v;
	}
	for (j = 0; j < nkeys; j++)
		if ((keys[j].flags & PK_REQUIRED) && !PK_GIVEN(given, j) &&
		    !plan_key_null(map, keys[j].name))
			cload_error(p->ld, map, "missing key '%s' %s",
			    keys[j].name, where);
	return (int)given;
}

/* Whether the mapping has the key with an empty value, already reported. */
static int
plan_key_null(const struct cnode *map, const char *name)
{
	size_t	 i;

	for (i = 0; i < map->n; i++)
		if (CNODE_KEY(map, i)->len == strlen(name) &&
		    memcmp(CNODE_KEY(map, i)->str, name, strlen(name)) == 0)
			return 1;
	return 0;
}

/*
 * The entries of a sequence. Where one_ok is set, a lone scalar is a list
 * of one ("joint: XF"), kept in *one. NULL after an error.
 */
static const struct cnode *const *
plan_seq(struct plan *p, const struct cnode *n, const char *label,
    int one_ok, size_t *count, const struct cnode **one)
{
	static const struct cnode *const	 none[1] = { NULL };

	*count = 0;
	if (n->kind == CNODE_SEQ) {
		*count = n->n;
		return n->n > 0 ? (const struct cnode *const *)n->v : none;
	}
	if (one_ok && n->kind == CNODE_SCALAR && !cnode_is_null(n)) {
		*one = n;
		*count = 1;
		return one;
	}
	plan_expected(p, n, label, "a sequence");
	return NULL;
}

/*
 * A list of strings, each checked by check; bad entries are reported and
 * left out, repeats are errors. Returns how many are in *out; if nodesp
 * is not NULL, *nodesp says where each was written (free it).
 */
static size_t
plan_strlist(struct plan *p, const struct cnode *n, const char *key,
    int nonempty, plan_check_fn check, char ***out,
    const struct cnode ***nodesp)
{
	const struct cnode *const	*v;
	const struct cnode		*one;
	struct pindex			 seen = { NULL, 0 };
	char				 label[PLAN_LABEL_MAX];
	char				 where[PLAN_LABEL_MAX];
	char				**strs = NULL;
	const struct cnode		**nodes;
	size_t				 count, i, ns = 0;

	*out = NULL;
	if (nodesp != NULL)
		*nodesp = NULL;
	snprintf(label, sizeof(label), "'%s'", key);
	if ((v = plan_seq(p, n, label, 1, &count, &one)) == NULL)
		return 0;
	if (count == 0 && nonempty) {
		cload_error(p->ld, n, "'%s' must not be empty", key);
		return 0;
	}
	snprintf(label, sizeof(label), "each entry of '%s'", key);
	strs = plan_calloc(count, sizeof(*strs));
	nodes = plan_calloc(count, sizeof(*nodes));
	for (i = 0; i < count; i++) {
		if (check_string(p, v[i], label) == -1 ||
		    (check != NULL && check(p, v[i], label) == -1))
			continue;
		strs[ns] = xstrndup(v[i]->str, v[i]->len);
		nodes[ns] = v[i];
		pindex_add(&seen, strs[ns], ns, v[i]);
		ns++;
	}
	snprintf(where, sizeof(where), " in '%s'", key);
	pindex_sort(p, &seen, "entry", where);
	pindex_release(&seen);
	if (ns == 0) {
		free(strs);
		free(nodes);
		strs = NULL;
		nodes = NULL;
	}
	*out = strs;
	if (nodesp != NULL)
		*nodesp = nodes;
	else
		free(nodes);
	return ns;
}

static int
check_string(struct plan *p, const struct cnode *n, const char *label)
{
	return plan_text(p, n, label, 0, NULL);
}

static int
check_ident(struct plan *p, const struct cnode *n, const char *label)
{
	return plan_ident(p, n, label, NULL);
}

/* Whether a scalar is exactly len ASCII digits. */
static int
check_digits(const struct cnode *n, int len)
{
	int	 i;

	if (n->kind != CNODE_SCALAR || n->len != (size_t)len)
		return 0;
	for (i = 0; i < len; i++)
		if (n->str[i] < '0' || n->str[i] > '9')
			return 0;
	return 1;
}

static int
check_division(struct plan *p, const struct cnode *n, const char *label)
{
	if (check_digits(n, 6))
		return 0;
	plan_expected(p, n, label, "a division code of 6 digits (GB/T 2260)");
	return -1;
}

static int
check_division_prefix(struct plan *p, const struct cnode *n,
    const char *label)
{
	if (check_digits(n, 2) || check_digits(n, 4) || check_digits(n, 6)) {
		plan_area_warn(p, n);
		return 0;
	}
	plan_expected(p, n, label, "a division code or prefix of 2, 4 or 6 "
	    "digits");
	return -1;
}

/* GB/T 4754-2017: a section letter A-T, then up to 4 digits. */
static int
check_industry(struct plan *p, const struct cnode *n, const char *label)
{
	size_t	 i;

	if (n->kind == CNODE_SCALAR && n->len >= 1 && n->len <= 5 &&
	    n->str[0] >= 'A' && n->str[0] <= 'T') {
		for (i = 1; i < n->len; i++)
			if (n->str[i] < '0' || n->str[i] > '9')
				break;
		if (i == n->len)
			return 0;
	}
	plan_expected(p, n, label, "an industry code or prefix (GB/T 4754: "
	    "a letter A-T and up to 4 digits, e.g. 'C3851')");
	return -1;
}

static int
check_entity_type(struct plan *p, const struct cnode *n, const char *label)
{
	char	 show[CNODE_SHOW_MAX];
	size_t	 i;

	for (i = 0; i < NELEM(entity_types); i++)
		if (strcmp(n->str, entity_types[i]) == 0)
			return 0;
	(void)label;
	cload_error(p->ld, n, "unknown entity type %s; expected one of: "
	    "enterprise, individual, cooperative, foreign, other",
	    cnode_show(n, show));
	return -1;
}

static int
check_certain(struct plan *p, const struct cnode *n, const char *label)
{
	char	 show[CNODE_SHOW_MAX];
	size_t	 i;

	for (i = 0; i < NELEM(certain_names); i++)
		if (strcmp(n->str, certain_names[i]) == 0)
			return 0;
	(void)label;
	cload_error(p->ld, n, "unknown target set %s; expected one of: "
	    "abnormal, serious", cnode_show(n, show));
	return -1;
}

static int
check_year(struct plan *p, const struct cnode *n, const char *label)
{
	static const struct plan_key	 k = { .min = 1900, .max = 9999 };
	long long			 y;

	return plan_int(p, n, label, &k, &y);
}

/* A division outside the authority's own area is likely a typing error. */
static void
plan_area_warn(struct plan *p, const struct cnode *n)
{
	if (p->area == NULL || (n->len >= strlen(p->area) &&
	    strncmp(n->str, p->area, strlen(p->area)) == 0))
		return;
	cload_warn(p->ld, n, "division '%s' is not within the authority's "
	    "area '%s'", n->str, p->cfg->division);
}

/*
 * An exact percentage: DIGITS[.DIGITS]% with at most 6 decimals, 0% to
 * 100%, kept as num / (100 * 10^decimals) so that no float is involved.
 */
static int
plan_ratio(struct plan *p, const struct cnode *n, struct ratio *r)
{
	const char	*s = n->str;
	struct buf	 b = BUF_INIT;
	char		 show[CNODE_SHOW_MAX];
	uint64_t	 ip = 0, frac = 0, den = 100;
	size_t		 i = 0, nint = 0, ndec = 0, dot = 0;
	int		 pct = 0;

	if (n->kind != CNODE_SCALAR || cnode_is_null(n)) {
		plan_expected(p, n, "a ratio", "a percentage such as '5%'");
		return -1;
	}
	for (; i < n->len && s[i] >= '0' && s[i] <= '9'; i++, nint++)
		ip = ip < 1000 ? ip * 10 + (uint64_t)(s[i] - '0') : ip;
	if (i < n->len && s[i] == '.') {
		dot = ++i;
		for (; i < n->len && s[i] >= '0' && s[i] <= '9'; i++, ndec++)
			if (ndec < 7) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				den *= 10;
			}
	}
	if (i < n->len && s[i] == '%') {
		pct = 1;
		i++;
	}
	if (nint == 0 || i != n->len || (dot && ndec == 0)) {
		cload_error(p->ld, n, "ratio %s must be a percentage such as "
		    "'5%%' or '2.5%%'", cnode_show(n, show));
		return -1;
	}
	if (!pct && ip == 1 && frac == 0) {
		/* 1 reads as 1 % to some and as the whole to others. */
		cload_error(p->ld, n, "ratio %s is ambiguous: write '1%%' or "
		    "'100%%'", cnode_show(n, show));
		return -1;
	}
	if (!pct) {
		/* Say what the fraction is as a percentage: 0.05 is 5%. */
		if (dot) {
			buf_add(&b, s, dot - 1);
			for (i = 0; i < 2; i++)
				buf_addch(&b, i < ndec ? s[dot + i] : '0');
			while (b.len > 1 && b.data[0] == '0') {
				memmove(b.data, b.data + 1, b.len);
				b.len--;
			}
			if (ndec > 2) {
				buf_addch(&b, '.');
				buf_add(&b, s + dot + 2, ndec - 2);
				while (b.data[b.len - 1] == '0')
					b.data[--b.len] = '\0';
				if (b.data[b.len - 1] == '.')
					b.data[--b.len] = '\0';
			}
		} else
			buf_add(&b, s, n->len);
		buf_addch(&b, '%');
		cload_error(p->ld, n, "ratio %s must be a percentage: write "
		    "'%.20s'", cnode_show(n, show), buf_cstr(&b));
		buf_release(&b);
		return -1;
	}
	if (ndec > 6) {
		cload_error(p->ld, n, "ratio %s has more than 6 decimals",
		    cnode_show(n, show));
		return -1;
	}
	if (ip > 100 || (ip == 100 && frac > 0)) {
		cload_error(p->ld, n, "ratio %s is more than 100%%",
		    cnode_show(n, show));
		return -1;
	}
	r->num = ip * (den / 100) + frac;
	r->den = den;
	return 0;
}

static const char *
plan_weekday(day_t d)
{
	static const char *const	 names[7] = {
		"a Monday", "a Tuesday", "a Wednesday", "a Thursday",
		"a Friday", "a Saturday", "a Sunday"
	};

	return names[date_weekday(d)];
}

/* A path relative to the directory of the plan file. */
static char *
plan_resolve(const char *plan, const char *path)
{
	const char	*slash;

	if (path[0] == '/' || (slash = strrchr(plan, '/')) == NULL)
		return xstrdup(path);
	return xasprintf("%.*s/%s", (int)(slash - plan), plan, path);
}

static void
plan_plan(struct plan *p, const struct cnode *n)
{
	const struct cnode	*f[NELEM(plan_keys_tab)];

	plan_map(p, n, "'plan'", "in 'plan'", plan_keys_tab,
	    NELEM(plan_keys_tab), p->cfg, f);
}

static void
plan_authority(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	const struct cnode	*f[NELEM(authority_keys)];
	const struct cnode	*df[NELEM(department_keys)];
	const struct cnode	*one;
	const struct cnode	*const *v;
	const struct cnode	*k, *val;
	struct config_department *d;
	struct config_division	*dv;
	size_t			 count, i, len;

	if (plan_map(p, n, "'authority'", "in 'authority'", authority_keys,
	    NELEM(authority_keys), cfg, f) == -1)
		return;
	if (f[A_DIVISION] != NULL &&
	    check_division(p, f[A_DIVISION], "'division'") == 0) {
		cfg->division = xstrdup(f[A_DIVISION]->str);
		/* 360200 is the city: its area is every code under 3602. */
		len = 6;
		while (len > 2 && strncmp(cfg->division + len - 2, "00",
		    2) == 0)
			len -= 2;
		p->area = xstrndup(cfg->division, len);
	}
	if (f[A_DEPARTMENTS] != NULL &&
	    (v = plan_seq(p, f[A_DEPARTMENTS], "'departments'", 0, &count,
	    &one)) != NULL) {
		p->depts_ok = 1;
		if (count == 0)
			cload_error(p->ld, f[A_DEPARTMENTS], "'departments' "
			    "must not be empty");
		cfg->departments = plan_calloc(count, sizeof(*d));
		for (i = 0; i < count; i++) {
			d = &cfg->departments[cfg->ndepartments];
			if (plan_map(p, v[i], "each entry of 'departments'",
			    "in department", department_keys,
			    NELEM(department_keys), d, df) == -1)
				continue;
			pindex_add(&p->depts, d->code, cfg->ndepartments,
			    df[D_CODE]);
			cfg->ndepartments++;
		}
	}
	pindex_sort(p, &p->depts, "department", "");
	if (f[A_DIVISIONS] == NULL)
		return;
	if (f[A_DIVISIONS]->kind != CNODE_MAP) {
		plan_expected(p, f[A_DIVISIONS], "'divisions'", "a mapping");
		return;
	}
	cfg->divisions = plan_calloc(f[A_DIVISIONS]->n, sizeof(*dv));
	for (i = 0; i < f[A_DIVISIONS]->n; i++) {
		k = CNODE_KEY(f[A_DIVISIONS], i);
		val = CNODE_VALUE(f[A_DIVISIONS], i);
		if (check_division(p, k, "each key of 'divisions'") == -1)
			continue;
		plan_area_warn(p, k);
		dv = &cfg->divisions[cfg->ndivisions];
		if (plan_text(p, val, "each name in 'divisions'", 0,
		    &dv->name) == -1)
			continue;
		dv->code = xstrdup(k->str);
		cfg->ndivisions++;
	}
}

static void
plan_keys(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	const struct cnode	*f[NELEM(keys_keys)];
	char			*s;

	if (n != NULL)
		plan_map(p, n, "'keys'", "in 'keys'", keys_keys,
		    NELEM(keys_keys), cfg, f);
	if (cfg->public_key == NULL)
		cfg->public_key = xstrdup("keys/ssj.pub");
	if (cfg->secret_key == NULL)
		cfg->secret_key = xstrdup("keys/ssj.key");
	s = plan_resolve(cfg->path, cfg->public_key);
	free(cfg->public_key);
	cfg->public_key = s;
	s = plan_resolve(cfg->path, cfg->secret_key);
	free(cfg->secret_key);
	cfg->secret_key = s;
	if (strcmp(cfg->public_key, cfg->secret_key) == 0)
		cload_error(p->ld, n, "'public' and 'secret' name the same "
		    "file '%s'", cfg->public_key);
}

static void
plan_holiday(struct plan *p, const struct cnode *n)
{
	struct plan_holiday	 h;
	const struct cnode	*f[NELEM(holiday_keys)];
	char			 d1[DATE_STR_LEN], d2[DATE_STR_LEN];
	int			 given;

	memset(&h, 0, sizeof(h));
	if (n->kind == CNODE_SCALAR) {
		if (plan_date(p, n, "each entry of 'holidays'", &h.date) == 0)
			calendar_add_holiday(&p->cfg->calendar, h.date, h.date,
			    NULL);
		return;
	}
	if (n->kind != CNODE_MAP) {
		plan_expected(p, n, "each entry of 'holidays'", "a date or a "
		    "mapping");
		return;
	}
	given = plan_map(p, n, "each entry of 'holidays'", "in holiday",
	    holiday_keys, NELEM(holiday_keys), &h, f);
	if (PK_GIVEN(given, H_DATE) && (PK_GIVEN(given, H_FROM) ||
	    PK_GIVEN(given, H_TO))) {
		cload_error(p->ld, n, "a holiday takes either 'date' or 'from' "
		    "and 'to', not both");
		goto out;
	}
	if (PK_GIVEN(given, H_DATE)) {
		if (f[H_DATE] != NULL)
			calendar_add_holiday(&p->cfg->calendar, h.date, h.date,
			    h.name);
		goto out;
	}
	if (!PK_GIVEN(given, H_FROM) || !PK_GIVEN(given, H_TO)) {
		if (PK_GIVEN(given, H_FROM) || PK_GIVEN(given, H_TO))
			cload_error(p->ld, n, "missing key '%s' in holiday",
			    PK_GIVEN(given, H_FROM) ? "to" : "from");
		else
			cload_error(p->ld, n, "missing key 'date' (or 'from' "
			    "and 'to') in holiday");
		goto out;
	}
	if (f[H_FROM] == NULL || f[H_TO] == NULL)
		goto out;
	if (h.to < h.from) {
		cload_error(p->ld, f[H_TO], "holiday ends on %s, before it "
		    "starts on %s", date_format(h.to, d1),
		    date_format(h.from, d2));
		goto out;
	}
	if (h.to - h.from >= PLAN_HOLIDAY_MAX) {
		cload_error(p->ld, f[H_TO], "holiday is longer than %d days",
		    PLAN_HOLIDAY_MAX);
		goto out;
	}
	calendar_add_holiday(&p->cfg->calendar, h.from, h.to, h.name);
out:
	free(h.name);
}

static void
plan_workday(struct plan *p, const struct cnode *n)
{
	struct plan_holiday	 h;
	const struct cnode	*f[NELEM(workday_keys)];
	const struct cnode	*at = n;
	char			 d[DATE_STR_LEN];

	memset(&h, 0, sizeof(h));
	if (n->kind == CNODE_SCALAR) {
		if (plan_date(p, n, "each entry of 'workdays'", &h.date) == -1)
			return;
	} else if (n->kind == CNODE_MAP) {
		plan_map(p, n, "each entry of 'workdays'", "in workday",
		    workday_keys, NELEM(workday_keys), &h, f);
		if ((at = f[WD_DATE]) == NULL)
			goto out;
	} else {
		plan_expected(p, n, "each entry of 'workdays'", "a date or a "
		    "mapping");
		return;
	}
	/* Make-up days turn a weekend day into a working day, nothing else. */
	if (date_weekday(h.date) < 5) {
		cload_error(p->ld, at, "make-up working day %s is %s; only a "
		    "Saturday or a Sunday can be one", date_format(h.date, d),
		    plan_weekday(h.date));
		goto out;
	}
	calendar_add_workday(&p->cfg->calendar, h.date, h.name);
	p->wdays = xreallocarray(p->wdays, p->nwdays + 1, sizeof(*p->wdays));
	p->wdays[p->nwdays].day = h.date;
	p->wdays[p->nwdays++].node = at;
out:
	free(h.name);
}

/* The plan's calendar section, or an included calendar file. */
static void
plan_calendar(struct plan *p, const struct cnode *n, const char *label,
    const char *where)
{
	const struct cnode	*f[NELEM(calendar_keys)];
	const struct cnode	*const *v;
	const struct cnode	*one, *root;
	size_t			 count, i;
	long long		 y;

	if (plan_map(p, n, label, where, calendar_keys,
	    NELEM(calendar_keys), NULL, f) == -1)
		return;
	if (f[C_INCLUDE] != NULL &&
	    (v = plan_seq(p, f[C_INCLUDE], "'include'", 1, &count,
	    &one)) != NULL) {
		for (i = 0; i < count; i++) {
			if (plan_text(p, v[i], "each entry of 'include'", 0,
			    NULL) == -1)
				continue;
			if ((root = cload_include(p->ld, v[i])) != NULL)
				plan_calendar(p, root, "the calendar file",
				    "in calendar file");
		}
	}
	if (f[C_YEARS] != NULL &&
	    (v = plan_seq(p, f[C_YEARS], "'years'", 1, &count, &one)) != NULL) {
		for (i = 0; i < count; i++) {
			if (check_year(p, v[i], "each entry of 'years'") == -1)
				continue;
			y = strtoll(v[i]->str, NULL, 10);
			calendar_add_year(&p->cfg->calendar, (int)y);
		}
	}
	if (f[C_HOLIDAYS] != NULL &&
	    (v = plan_seq(p, f[C_HOLIDAYS], "'holidays'", 0, &count,
	    &one)) != NULL)
		for (i = 0; i < count; i++)
			plan_holiday(p, v[i]);
	if (f[C_WORKDAYS] != NULL &&
	    (v = plan_seq(p, f[C_WORKDAYS], "'workdays'", 0, &count,
	    &one)) != NULL)
		for (i = 0; i < count; i++)
			plan_workday(p, v[i]);
}

/* A day cannot be both off and on: two calendars disagree. */
static void
plan_calendar_check(struct plan *p)
{
	const struct calendar	*cal = &p->cfg->calendar;
	const struct calendar_range *h;
	char			 d[DATE_STR_LEN];
	size_t			 i, j;

	for (i = 0; i < p->nwdays; i++) {
		for (j = 0; j < cal->nholidays; j++) {
			h = &cal->holidays[j];
			if (p->wdays[i].day < h->from ||
			    p->wdays[i].day > h->to)
				continue;
			cload_error(p->ld, p->wdays[i].node, "%s is both a "
			    "make-up working day and a holiday%s%s%s",
			    date_format(p->wdays[i].day, d),
			    h->name != NULL ? " ('" : "",
			    h->name != NULL ? h->name : "",
			    h->name != NULL ? "')" : "");
			break;
		}
	}
}

static void
plan_classes(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	const struct cnode	*f[NELEM(class_keys)];
	const struct cnode	*const *v;
	const struct cnode	*one;
	struct config_class	*c;
	struct pindex		 seen = { NULL, 0 };
	size_t			 count = 0, i, j;

	if (n != NULL &&
	    (v = plan_seq(p, n, "'risk_classes'", 0, &count, &one)) != NULL) {
		if (count == 0)
			cload_error(p->ld, n, "'risk_classes' must not be "
			    "empty");
		cfg->classes = plan_calloc(count, sizeof(*c));
		for (i = 0; i < count; i++) {
			c = &cfg->classes[cfg->nclasses];
			if (plan_map(p, v[i], "each entry of 'risk_classes'",
			    "in risk class", class_keys, NELEM(class_keys), c,
			    f) == -1)
				continue;
			if (c->code != NULL)
				pindex_add(&seen, f[R_CODE]->str, i, f[R_CODE]);
			/* Quotas are per class: keep only usable codes. */
			for (j = 0; c->code != NULL && j < cfg->nclasses; j++)
				if (strcmp(cfg->classes[j].code, c->code) == 0)
					break;
			if (c->code == NULL || j < cfg->nclasses) {
				free(c->code);
				free(c->name);
				c->code = c->name = NULL;
				continue;
			}
			pindex_add(&p->classes, c->code, cfg->nclasses,
			    f[R_CODE]);
			cfg->nclasses++;
		}
		pindex_sort(p, &seen, "risk class", "");
		pindex_release(&seen);
	}
	/* Without usable classes, the defaults spare later noise. */
	if (cfg->nclasses == 0) {
		free(cfg->classes);
		pindex_release(&p->classes);
		cfg->classes = xcalloc(NELEM(default_classes), sizeof(*c));
		for (i = 0; i < NELEM(default_classes); i++) {
			cfg->classes[i].code = xstrdup(default_classes[i][0]);
			cfg->classes[i].name = xstrdup(default_classes[i][1]);
			pindex_add(&p->classes, cfg->classes[i].code, i, n);
		}
		cfg->nclasses = NELEM(default_classes);
	}
	pindex_sort(p, &p->classes, NULL, NULL);
}

static void
plan_items(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	const struct cnode	*f[NELEM(item_keys)];
	const struct cnode	*const *v;
	const struct cnode	*one;
	struct config_item	*it;
	size_t			 count, i;
	char			 show[CNODE_SHOW_MAX];

	if ((v = plan_seq(p, n, "'items'", 0, &count, &one)) == NULL)
		return;
	p->items_ok = 1;
	if (count == 0)
		cload_error(p->ld, n, "'items' must not be empty");
	cfg->items = plan_calloc(count, sizeof(*it));
	for (i = 0; i < count; i++) {
		it = &cfg->items[cfg->nitems];
		if (plan_map(p, v[i], "each entry of 'items'", "in item",
		    item_keys, NELEM(item_keys), it, f) == -1)
			continue;
		pindex_add(&p->items, it->code, cfg->nitems,
		    f[I_CODE]);
		cfg->nitems++;
		it->type = ITEM_GENERAL;
		if (f[I_TYPE] != NULL) {
			if (f[I_TYPE]->kind == CNODE_SCALAR &&
			    strcmp(f[I_TYPE]->str, "key") == 0)
				it->type = ITEM_KEY;
			else if (f[I_TYPE]->kind != CNODE_SCALAR ||
			    strcmp(f[I_TYPE]->str, "general") != 0)
				cload_error(p->ld, f[I_TYPE], "'type' must be "
				    "'general' or 'key', not %s",
				    cnode_show(f[I_TYPE], show));
		}
		if (f[I_DEPARTMENT] != NULL && p->depts_ok &&
		    pindex_find(&p->depts, it->department) == NULL)
			cload_error(p->ld, f[I_DEPARTMENT], "unknown "
			    "department '%s'; expected one of: %s",
			    it->department,
			    plan_list(p, cfg->departments, cfg->ndepartments,
			    sizeof(*cfg->departments),
			    offsetof(struct config_department, code)));
	}
	pindex_sort(p, &p->items, "item", "");
}

/* A quota: "5%", or {ratio: 5%, min: 1, max: 200}. */
static void
plan_quota(struct plan *p, const struct cnode *n, const char *cls,
    struct config_quota *q)
{
	const struct cnode	*f[NELEM(quota_keys)];
	char			 label[PLAN_LABEL_MAX];

	if (n->kind == CNODE_SCALAR) {
		plan_ratio(p, n, &q->ratio);
		return;
	}
	snprintf(label, sizeof(label), "the quota of risk class '%s'", cls);
	if (n->kind != CNODE_MAP) {
		plan_expected(p, n, label, "a percentage or a mapping");
		return;
	}
	plan_map(p, n, label, "in quota", quota_keys, NELEM(quota_keys), q, f);
	if (f[Q_RATIO] != NULL)
		plan_ratio(p, f[Q_RATIO], &q->ratio);
	if (f[Q_MIN] != NULL && f[Q_MAX] != NULL && q->min > q->max)
		cload_error(p->ld, f[Q_MAX], "'max' (%lld) is less than 'min' "
		    "(%lld)", (long long)q->max, (long long)q->min);
}

static void
plan_sampling_type(struct plan *p, const struct cnode *n, enum item_type t)
{
	struct config		*cfg = p->cfg;
	struct config_sampling	*s = &cfg->sampling[t];
	const struct cnode	*f[NELEM(sampling_type_keys)];
	const struct cnode	*k, *classes;
	const struct pent	*e;
	unsigned char		*given;
	char			 label[PLAN_LABEL_MAX], where[PLAN_LABEL_MAX];
	char			 show[CNODE_SHOW_MAX];
	char			**names;
	size_t			 i, j, nnames;

	snprintf(label, sizeof(label), "'%s'", item_type_names[t]);
	snprintf(where, sizeof(where), "in 'sampling.%s'", item_type_names[t]);
	if (plan_map(p, n, label, where, sampling_type_keys,
	    NELEM(sampling_type_keys), NULL, f) == -1)
		return;
	if ((classes = f[S_CLASSES]) != NULL && classes->kind != CNODE_MAP) {
		plan_expected(p, classes, "'classes'", "a mapping");
		classes = NULL;
	}
	if (classes != NULL) {
		given = xcalloc(cfg->nclasses, 1);
		for (i = 0; i < classes->n; i++) {
			k = CNODE_KEY(classes, i);
			if ((e = pindex_find(&p->classes, k->str)) == NULL ||
			    strlen(k->str) != k->len) {
				cload_error(p->ld, k, "unknown risk class %s; "
				    "expected one of: %s", cnode_show(k, show),
				    plan_list(p, cfg->classes, cfg->nclasses,
				    sizeof(*cfg->classes),
				    offsetof(struct config_class, code)));
				continue;
			}
			given[e->i] = 1;
			plan_quota(p, CNODE_VALUE(classes, i),
			    cfg->classes[e->i].code, &s->quotas[e->i]);
		}
		/* No class is left out silently: 0% must be written. */
		for (i = 0; i < cfg->nclasses; i++)
			if (!given[i])
				cload_error(p->ld, classes, "no quota for risk "
				    "class '%s' %s", cfg->classes[i].code,
				    where);
		free(given);
	}
	if (f[S_CERTAIN] != NULL) {
		nnames = plan_strlist(p, f[S_CERTAIN], "certain", 0,
		    check_certain, &names, NULL);
		for (i = 0; i < nnames; i++)
			for (j = 0; j < NELEM(certain_names); j++)
				if (strcmp(names[i], certain_names[j]) == 0)
					s->certain |= certain_flags[j];
		plan_strv_free(names, nnames);
	}
}

static void
plan_unclassified(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	const struct pent	*e;
	char			 show[CNODE_SHOW_MAX];

	if (n->kind != CNODE_SCALAR) {
		plan_expected(p, n, "'unclassified'", "a risk class");
		return;
	}
	if ((e = pindex_find(&p->classes, n->str)) == NULL ||
	    strlen(n->str) != n->len) {
		cload_error(p->ld, n, "unknown risk class %s for "
		    "'unclassified'; expected one of: %s", cnode_show(n, show),
		    plan_list(p, cfg->classes, cfg->nclasses,
		    sizeof(*cfg->classes), offsetof(struct config_class, code)));
		return;
	}
	cfg->unclassified = e->i;
}

/* How much of a registry one whole-file import may remove unasked. */
static void
plan_imports(struct plan *p, const struct cnode *n)
{
	const struct cnode	*f[NELEM(imports_keys)];

	memset(f, 0, sizeof(f));
	if (n != NULL)
		plan_map(p, n, "'imports'", "in 'imports'", imports_keys,
		    NELEM(imports_keys), NULL, f);
	if (f[IM_MAX_REMOVALS] != NULL && plan_ratio(p, f[IM_MAX_REMOVALS],
	    &p->cfg->max_removals) == 0) {
		p->cfg->max_removals_text = xstrdup(f[IM_MAX_REMOVALS]->str);
		return;
	}
	p->cfg->max_removals.num = 5;
	p->cfg->max_removals.den = 100;
	p->cfg->max_removals_text = xstrdup("5%");
}

/*
 * What the draw checks a round against: a chain ssj knows fills in what the
 * plan leaves out, and must agree with what it gives; any other chain is
 * given in full, its key a point of the scheme's group.
 */
static void
plan_beacon_chain(struct plan *p, struct config_beacon *b,
    const struct cnode **f)
{
	const struct beacon_known	*k = beacon_known(b->chain);
	char				*err = NULL;

	if (k != NULL) {
		if (b->scheme != NULL && strcmp(b->scheme, k->scheme) != 0)
			cload_error(p->ld, f[B_SCHEME], "the scheme of "
			    "drand's %s chain is '%s'", k->name, k->scheme);
		if (b->public_key != NULL &&
		    strcmp(b->public_key, k->key) != 0)
			cload_error(p->ld, f[B_PUBLIC_KEY], "this is not the "
			    "public key of drand's %s chain: remove "
			    "'public_key' or correct it", k->name);
		if ((f[B_GENESIS] != NULL && b->genesis != k->genesis) ||
		    (f[B_PERIOD] != NULL && b->period != k->period))
			cload_error(p->ld, f[f[B_GENESIS] != NULL ? B_GENESIS :
			    B_PERIOD], "drand's %s chain has genesis %lld "
			    "and period %lld", k->name, (long long)k->genesis,
			    (long long)k->period);
		if (b->scheme == NULL)
			b->scheme = xstrdup(k->scheme);
		if (b->public_key == NULL)
			b->public_key = xstrdup(k->key);
		b->genesis = k->genesis;
		b->period = k->period;
		return;
	}
	if (b->scheme == NULL || b->public_key == NULL ||
	    f[B_GENESIS] == NULL || f[B_PERIOD] == NULL) {
		cload_error(p->ld, f[B_CHAIN], "chain '%s' is not one ssj "
		    "knows: give its 'scheme', 'public_key', 'genesis' and "
		    "'period' (from the relay's /info)", b->chain);
		return;
	}
	if (beacon_check_key(b->scheme, b->public_key, &err) == -1) {
		cload_error(p->ld, f[strncmp(err, "beacon: unknown", 15) == 0 ?
		    B_SCHEME : B_PUBLIC_KEY], "%s", err + strlen("beacon: "));
		free(err);
	}
}

/* The beacon; drand's quicknet unless the plan names another chain. */
static void
plan_beacon(struct plan *p, const struct cnode *n)
{
	struct config_beacon	*b = &p->cfg->beacon;
	const struct cnode	*f[NELEM(beacon_keys)];
	size_t			 i;

	memset(f, 0, sizeof(f));
	if (n != NULL)
		plan_map(p, n, "'beacon'", "in 'beacon'", beacon_keys,
		    NELEM(beacon_keys), b, f);
	if (b->chain != NULL) {
		for (i = 0; b->chain[i] != '\0'; i++)
			if (!isxdigit((unsigned char)b->chain[i]) ||
			    isupper((unsigned char)b->chain[i]))
				break;
		if (i != 64 || b->chain[i] != '\0')
			cload_error(p->ld, f[B_CHAIN], "'chain' must be a "
			    "chain hash: 64 lowercase hex digits");
		else
			plan_beacon_chain(p, b, f);
	} else {
		b->chain = xstrdup(BEACON_QUICKNET_CHAIN);
		plan_beacon_chain(p, b, f);
	}
	if (f[B_MARGIN] == NULL)
		b->margin = 100;		/* five minutes of quicknet */
	if (b->command != NULL && strstr(b->command, "{round}") == NULL)
		cload_error(p->ld, f[B_COMMAND], "'command' must contain "
		    "'{round}', the round to fetch");
}

static void
plan_sampling(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	const struct cnode	*f[NELEM(sampling_keys)];
	size_t			 i, t;
	int			 mapped;

	for (t = 0; t < ITEM_NTYPES; t++) {
		cfg->sampling[t].quotas = xcalloc(cfg->nclasses,
		    sizeof(*cfg->sampling[t].quotas));
		for (i = 0; i < cfg->nclasses; i++) {
			cfg->sampling[t].quotas[i].ratio.num = 0;
			cfg->sampling[t].quotas[i].ratio.den = 100;
			cfg->sampling[t].quotas[i].min = -1;
			cfg->sampling[t].quotas[i].max = -1;
		}
	}
	/* An enterprise with no class yet is treated as B (信用风险一般). */
	cfg->unclassified = 0;
	for (i = 0; i < cfg->nclasses; i++)
		if (strcmp(cfg->classes[i].code, "B") == 0)
			cfg->unclassified = i;
	if (n == NULL)
		return;
	mapped = plan_map(p, n, "'sampling'", "in 'sampling'", sampling_keys,
	    NELEM(sampling_keys), NULL, f) != -1;
	if (mapped && f[SP_UNCLASSIFIED] != NULL)
		plan_unclassified(p, f[SP_UNCLASSIFIED]);
	for (t = 0; t < ITEM_NTYPES; t++) {
		if (mapped && f[t] != NULL) {
			plan_sampling_type(p, f[t], (enum item_type)t);
			continue;
		}
		if (!mapped)
			continue;
		for (i = 0; i < cfg->nitems; i++)
			if (cfg->items[i].type == (enum item_type)t)
				break;
		if (i < cfg->nitems)
			cload_error(p->ld, n, "missing key '%s' in 'sampling': "
			    "item '%s' is a %s item", item_type_names[t],
			    cfg->items[i].code, item_type_names[t]);
	}
}

static void
plan_filter(struct plan *p, const struct cnode *n, struct config_task *t)
{
	struct config_filter	*fl = &t->filter;
	const struct cnode	*f[NELEM(filter_keys)];

	if (plan_map(p, n, "'filter'", "in filter", filter_keys,
	    NELEM(filter_keys), NULL, f) == -1)
		return;
	if (f[F_INDUSTRY] != NULL)
		fl->nindustries = plan_strlist(p, f[F_INDUSTRY], "industry", 1,
		    check_industry, &fl->industries, NULL);
	if (f[F_DIVISION] != NULL)
		fl->ndivisions = plan_strlist(p, f[F_DIVISION], "division", 1,
		    check_division_prefix, &fl->divisions, NULL);
	if (f[F_ENTITY_TYPE] != NULL)
		fl->nentity_types = plan_strlist(p, f[F_ENTITY_TYPE],
		    "entity_type", 1, check_entity_type, &fl->entity_types,
		    NULL);
	if (f[F_CERTIFICATE] != NULL)
		fl->ncertificates = plan_strlist(p, f[F_CERTIFICATE],
		    "certificate", 1, check_ident, &fl->certificates, NULL);
	t->targeted = fl->nindustries > 0 || fl->ndivisions > 0 ||
	    fl->nentity_types > 0 || fl->ncertificates > 0;
}

static void
plan_batch(struct plan *p, const struct cnode *n, struct config_task *t)
{
	struct config		*cfg = p->cfg;
	struct config_batch	*b = &t->batches[t->nbatches];
	const struct cnode	*f[NELEM(batch_keys)];
	const struct cnode	*wf[NELEM(window_keys)];
	const struct calendar_range *h;
	char			 d1[DATE_STR_LEN], d2[DATE_STR_LEN];
	size_t			 i;
	int			 y1, y2, m, d, window = 0;

	b->commit_minute = -1;
	if (plan_map(p, n, "each entry of 'batches'", "in batch", batch_keys,
	    NELEM(batch_keys), b, f) == -1)
		return;
	t->nbatches++;
	if (f[B_COMMIT] != NULL)
		plan_clock(p, f[B_COMMIT], "'commit'", &b->commit_minute);
	b->pos.file = cfg->path;
	b->pos.line = n->line;
	b->pos.col = n->col;
	if (b->name == NULL && b->id != NULL)
		b->name = xstrdup(b->id);
	pindex_add(&p->ids, b->id, t->nbatches - 1, f[B_ID]);
	if (f[B_WINDOW] != NULL && plan_map(p, f[B_WINDOW], "'window'",
	    "in window", window_keys, NELEM(window_keys), b, wf) != -1 &&
	    wf[WI_FROM] != NULL && wf[WI_TO] != NULL) {
		window = 1;
		if (b->window_to < b->window_from) {
			cload_error(p->ld, wf[WI_TO], "window ends on %s, "
			    "before it starts on %s",
			    date_format(b->window_to, d1),
			    date_format(b->window_from, d2));
			window = 0;
		}
	}
	if (window && cfg->year != 0) {
		date_to_ymd(b->window_from, &y1, &m, &d);
		date_to_ymd(b->window_to, &y2, &m, &d);
		if (y1 != cfg->year || y2 != cfg->year)
			cload_error(p->ld, f[B_WINDOW], "window %s to %s is "
			    "not inside the plan year %d",
			    date_format(b->window_from, d1),
			    date_format(b->window_to, d2), cfg->year);
		else if (!calendar_covers(&cfg->calendar, b->window_from))
			cload_warn(p->ld, f[B_WINDOW], "no official calendar "
			    "for %d: working days count Monday to Friday "
			    "only", y1);
	}
	if (f[B_DRAW] == NULL)
		return;
	if (window && b->draw_date > b->window_from)
		cload_error(p->ld, f[B_DRAW], "draw date %s is after the "
		    "window's start %s", date_format(b->draw_date, d1),
		    date_format(b->window_from, d2));
	if (calendar_is_workday(&cfg->calendar, b->draw_date))
		return;
	for (i = 0, h = NULL; i < cfg->calendar.nholidays; i++) {
		h = &cfg->calendar.holidays[i];
		if (b->draw_date >= h->from && b->draw_date <= h->to &&
		    h->name != NULL)
			break;
	}
	if (i < cfg->calendar.nholidays)
		cload_warn(p->ld, f[B_DRAW], "draw date %s is not a working "
		    "day (%s)", date_format(b->draw_date, d1), h->name);
	else
		cload_warn(p->ld, f[B_DRAW], "draw date %s is not a working "
		    "day (%s)", date_format(b->draw_date, d1),
		    plan_weekday(b->draw_date));
}

static void
plan_task(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	struct config_task	*t = &cfg->tasks[cfg->ntasks];
	const struct cnode	*f[NELEM(task_keys)];
	const struct cnode	*sf[PLAN_MAX_KEYS];
	const struct cnode	*const *v;
	const struct cnode	**nodes;
	const struct cnode	*one;
	const struct pent	*e;
	const struct config_item *it;
	size_t			 i, j, count;
	int			 joint_ok;
	const char		*dept;

	t->team_size = 2;
	t->exclude_same_item_year = 1;
	t->apply_quiet_periods = 1;
	t->rotation = 1;
	if (plan_map(p, n, "each entry of 'tasks'", "in task", task_keys,
	    NELEM(task_keys), t, f) == -1)
		return;
	cfg->ntasks++;
	t->pos.file = cfg->path;
	t->pos.line = n->line;
	t->pos.col = n->col;
	pindex_add(&p->ids, t->id, cfg->ntasks - 1, f[TK_ID]);
	pindex_add(&p->tasks, t->id, cfg->ntasks - 1, f[TK_ID]);
	if (f[TK_LEAD] != NULL && p->depts_ok &&
	    pindex_find(&p->depts, t->lead) == NULL)
		cload_error(p->ld, f[TK_LEAD], "unknown department '%s'; "
		    "expected one of: %s", t->lead, plan_list(p,
		    cfg->departments, cfg->ndepartments,
		    sizeof(*cfg->departments),
		    offsetof(struct config_department, code)));
	t->type = ITEM_GENERAL;
	if (f[TK_ITEMS] != NULL) {
		t->nitems = plan_strlist(p, f[TK_ITEMS], "items", 1,
		    check_ident, &t->items, &nodes);
		for (i = 0; i < t->nitems; i++) {
			if ((e = pindex_find(&p->items, t->items[i])) == NULL &&
			    p->items_ok)
				cload_error(p->ld, nodes[i], "unknown item "
				    "'%s'; expected one of: %s", t->items[i],
				    plan_list(p, cfg->items, cfg->nitems,
				    sizeof(*cfg->items),
				    offsetof(struct config_item, code)));
			else if (e != NULL && cfg->items[e->i].type == ITEM_KEY)
				t->type = ITEM_KEY;
		}
		free(nodes);
	}
	if (f[TK_JOINT] != NULL) {
		t->njoint = plan_strlist(p, f[TK_JOINT], "joint", 0,
		    check_ident, &t->joint, &nodes);
		for (i = 0; i < t->njoint; i++) {
			if (pindex_find(&p->depts, t->joint[i]) == NULL &&
			    p->depts_ok)
				cload_error(p->ld, nodes[i], "unknown "
				    "department '%s'; expected one of: %s",
				    t->joint[i], plan_list(p,
				    cfg->departments, cfg->ndepartments,
				    sizeof(*cfg->departments),
				    offsetof(struct config_department, code)));
			else if (t->lead != NULL &&
			    strcmp(t->joint[i], t->lead) == 0)
				cload_error(p->ld, nodes[i], "department '%s' "
				    "leads the task; it cannot also be in "
				    "'joint'", t->lead);
		}
		free(nodes);
	}
	/* An item no participating department answers for is a slip. */
	for (i = 0; i < t->nitems && t->lead != NULL; i++) {
		if ((e = pindex_find(&p->items, t->items[i])) == NULL)
			continue;
		it = &cfg->items[e->i];
		if ((dept = it->department) == NULL ||
		    strcmp(dept, t->lead) == 0)
			continue;
		for (j = 0; j < t->njoint; j++)
			if (strcmp(dept, t->joint[j]) == 0)
				break;
		if (j == t->njoint)
			cload_warn(p->ld, f[TK_ITEMS], "item '%s' belongs to "
			    "department '%s', which neither leads nor joins "
			    "the task", it->code, dept);
	}
	if (f[TK_FILTER] != NULL)
		plan_filter(p, f[TK_FILTER], t);
	if (f[TK_TEAM] != NULL)
		plan_map(p, f[TK_TEAM], "'team'", "in team", team_keys,
		    NELEM(team_keys), t, sf);
	/* The leader and one of each joint department are team members. */
	/* Only of a joint list without errors of its own: no cascade. */
	for (i = 0, joint_ok = 1; i < t->njoint; i++) {
		if (pindex_find(&p->depts, t->joint[i]) == NULL ||
		    (t->lead != NULL && strcmp(t->joint[i], t->lead) == 0))
			joint_ok = 0;
		for (j = 0; j < i; j++)
			if (strcmp(t->joint[i], t->joint[j]) == 0)
				joint_ok = 0;
	}
	if (t->team_size < 1 + (int)t->njoint && joint_ok)
		cload_error(p->ld, f[TK_TEAM] != NULL ? f[TK_TEAM] :
		    f[TK_JOINT], "a team of %d cannot hold the leader and one "
		    "inspector of each of the %zu joint departments; make "
		    "'size' at least %zu", t->team_size, t->njoint,
		    1 + t->njoint);
	if (f[TK_WORKLOAD] != NULL && plan_map(p, f[TK_WORKLOAD], "'workload'",
	    "in workload", workload_keys, NELEM(workload_keys), t,
	    sf) != -1 && sf[W_PER_BATCH] != NULL && sf[W_PER_YEAR] != NULL &&
	    t->cap_per_year > 0 && t->cap_per_batch > t->cap_per_year)
		cload_error(p->ld, sf[W_PER_BATCH], "'per_batch' (%d) is more "
		    "than 'per_year' (%d)", t->cap_per_batch, t->cap_per_year);
	if (f[TK_EXCLUDE] != NULL)
		plan_map(p, f[TK_EXCLUDE], "'exclude'", "in exclude",
		    exclude_keys, NELEM(exclude_keys), t, sf);
	if (f[TK_BATCHES] == NULL ||
	    (v = plan_seq(p, f[TK_BATCHES], "'batches'", 0, &count,
	    &one)) == NULL)
		return;
	if (count == 0)
		cload_error(p->ld, f[TK_BATCHES], "'batches' must not be "
		    "empty");
	t->batches = plan_calloc(count, sizeof(*t->batches));
	for (i = 0; i < count; i++)
		plan_batch(p, v[i], t);
}

static void
plan_tasks(struct plan *p, const struct cnode *n)
{
	const struct cnode	*const *v;
	const struct cnode	*one;
	size_t			 count, i;

	if ((v = plan_seq(p, n, "'tasks'", 0, &count, &one)) == NULL)
		return;
	p->tasks_ok = 1;
	if (count == 0)
		cload_warn(p->ld, n, "the plan has no tasks");
	p->cfg->tasks = plan_calloc(count, sizeof(*p->cfg->tasks));
	for (i = 0; i < count; i++)
		plan_task(p, v[i]);
	/* `ssj draw ID` must never wonder whether ID is a task or a batch. */
	pindex_sort(p, &p->ids, "id", "");
	pindex_sort(p, &p->tasks, NULL, NULL);
}

static void
plan_quiet(struct plan *p, const struct cnode *n)
{
	struct config		*cfg = p->cfg;
	struct config_quiet	*q = &cfg->quiet[cfg->nquiet];
	const struct cnode	*f[NELEM(quiet_keys)];
	const struct cnode	*mf[NELEM(monthly_keys)];
	const struct cnode	**nodes;
	char			 d1[DATE_STR_LEN], d2[DATE_STR_LEN];
	size_t			 i;
	int			 given;

	if ((given = plan_map(p, n, "each entry of 'quiet_periods'",
	    "in quiet period", quiet_keys, NELEM(quiet_keys), q, f)) == -1)
		return;
	cfg->nquiet++;
	q->pos.file = cfg->path;
	q->pos.line = n->line;
	q->pos.col = n->col;
	if (f[QP_DIVISIONS] != NULL)
		q->ndivisions = plan_strlist(p, f[QP_DIVISIONS], "divisions", 1,
		    check_division_prefix, &q->divisions, NULL);
	if (PK_GIVEN(given, QP_MONTHLY) && (PK_GIVEN(given, QP_FROM) ||
	    PK_GIVEN(given, QP_TO)))
		cload_error(p->ld, n, "a quiet period takes either 'monthly' "
		    "or 'from' and 'to', not both");
	else if (f[QP_MONTHLY] != NULL) {
		if (plan_map(p, f[QP_MONTHLY], "'monthly'", "in 'monthly'",
		    monthly_keys, NELEM(monthly_keys), q, mf) != -1 &&
		    mf[M_FROM] != NULL && mf[M_TO] != NULL &&
		    q->monthly_from > q->monthly_to)
			cload_error(p->ld, mf[M_TO], "'monthly' ends on day "
			    "%d, before it starts on day %d", q->monthly_to,
			    q->monthly_from);
	} else if (PK_GIVEN(given, QP_FROM) && PK_GIVEN(given, QP_TO)) {
		if (f[QP_FROM] != NULL && f[QP_TO] != NULL && q->to < q->from)
			cload_error(p->ld, f[QP_TO], "quiet period ends on "
			    "%s, before it starts on %s",
			    date_format(q->to, d1), date_format(q->from, d2));
	} else if (PK_GIVEN(given, QP_FROM) || PK_GIVEN(given, QP_TO))
		cload_error(p->ld, n, "missing key '%s' in quiet period",
		    PK_GIVEN(given, QP_FROM) ? "to" : "from");
	else if (!PK_GIVEN(given, QP_MONTHLY))
		cload_error(p->ld, n, "missing key 'monthly' (or 'from' and "
		    "'to') in quiet period");
	if (f[QP_EXEMPT] == NULL)
		return;
	q->nexempt_tasks = plan_strlist(p, f[QP_EXEMPT], "exempt", 0,
	    check_ident, &q->exempt_tasks, &nodes);
	for (i = 0; i < q->nexempt_tasks; i++)
		if (pindex_find(&p->tasks, q->exempt_tasks[i]) == NULL &&
		    p->tasks_ok)
			cload_error(p->ld, nodes[i], "unknown task '%s'; "
			    "expected one of: %s", q->exempt_tasks[i],
			    plan_list(p, cfg->tasks, cfg->ntasks,
			    sizeof(*cfg->tasks),
			    offsetof(struct config_task, id)));
	free(nodes);
}

static void
plan_quiets(struct plan *p, const struct cnode *n)
{
	const struct cnode	*const *v;
	const struct cnode	*one;
	size_t			 count, i;

	if ((v = plan_seq(p, n, "'quiet_periods'", 0, &count, &one)) == NULL)
		return;
	p->cfg->quiet = plan_calloc(count, sizeof(*p->cfg->quiet));
	for (i = 0; i < count; i++)
		plan_quiet(p, v[i]);
}

/* A time of day in Beijing time, "HH:MM", as minutes after midnight. */
static void
plan_clock(struct plan *p, const struct cnode *n, const char *label,
    int *out)
{
	const char	*s = n->str;
	int		 h, m;

	if (n->kind != CNODE_SCALAR || n->len != 5 || s[2] != ':' ||
	    !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]) ||
	    (h = (s[0] - '0') * 10 + s[1] - '0') > 23 ||
	    (m = (s[3] - '0') * 10 + s[4] - '0') > 59) {
		plan_expected(p, n, label, "a time of day in Beijing time, "
		    "\"HH:MM\"");
		return;
	}
	*out = h * 60 + m;
}

/* A duration with its unit: "90s", "10m", "2h", "1d"; in seconds. */
static void
plan_duration(struct plan *p, const struct cnode *n, const char *label,
    int64_t max, int64_t *out)
{
	const char	*s = n->str;
	int64_t		 v = 0, unit;
	size_t		 i;
	char		 show[CNODE_SHOW_MAX];

	if (n->kind != CNODE_SCALAR || n->len < 2 || n->len > 10)
		goto bad;
	for (i = 0; i + 1 < n->len; i++) {
		if (!isdigit((unsigned char)s[i]))
			goto bad;
		v = v * 10 + (s[i] - '0');
	}
	switch (s[n->len - 1]) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		goto bad;
	}
	if (v * unit > max) {
		cload_error(p->ld, n, "%s must be at most %lld seconds, not %s",
		    label, (long long)max, cnode_show(n, show));
		return;
	}
	*out = v * unit;
	return;
bad:
	plan_expected(p, n, label, "a duration such as 90s, 10m, 2h or 1d");
}

enum { S_COMMIT, S_DELAY, S_BEACON_WAIT, S_RETRIES, S_EXPORT, S_PUBLIC,
    S_WITNESS_DIR, S_WITNESSES };
static const struct plan_key schedule_keys[] = {
	{ .name = "commit", .kind = PK_NODE },
	{ .name = "delay", .kind = PK_NODE },
	{ .name = "beacon_wait", .kind = PK_NODE },
	{ .name = "retries", .kind = PK_INT,
	  .off = offsetof(struct config_schedule, retries), .min = 1,
	  .max = 20 },
	{ .name = "export", .kind = PK_STRING,
	  .off = offsetof(struct config_schedule, export_dir) },
	{ .name = "public", .kind = PK_BOOL,
	  .off = offsetof(struct config_schedule, export_public) },
	{ .name = "witness_dir", .kind = PK_STRING,
	  .off = offsetof(struct config_schedule, witness_dir) },
	{ .name = "witnesses", .kind = PK_NODE },
};

static int
check_witness(struct plan *p, const struct cnode *n, const char *label)
{
	size_t	 i;

	for (i = 0; i < n->len; i++)
		if (!isalnum((unsigned char)n->str[i]) && n->str[i] != '.' &&
		    n->str[i] != '_' && n->str[i] != '-')
			break;
	if (n->len == 0 || n->len > 64 || i < n->len) {
		plan_expected(p, n, label, "a witness name of 1 to 64 of A-Z "
		    "a-z 0-9 . _ -");
		return -1;
	}
	return 0;
}

/* When ssj run-due and ssj daemon do each step; defaults without it. */
static void
plan_schedule(struct plan *p, const struct cnode *n)
{
	struct config_schedule	*sc = &p->cfg->schedule;
	const struct cnode	*f[NELEM(schedule_keys)];
	char			*s;

	sc->commit_minute = 9 * 60;
	sc->delay = 600;
	sc->beacon_wait = 3600;
	sc->retries = 3;
	sc->export_public = 1;
	if (n == NULL)
		return;
	sc->given = 1;
	if (plan_map(p, n, "'schedule'", "in 'schedule'", schedule_keys,
	    NELEM(schedule_keys), sc, f) == -1)
		return;
	if (f[S_COMMIT] != NULL)
		plan_clock(p, f[S_COMMIT], "'commit'", &sc->commit_minute);
	if (f[S_DELAY] != NULL)
		plan_duration(p, f[S_DELAY], "'delay'", 86400, &sc->delay);
	if (f[S_DELAY] != NULL && sc->delay < 60)
		cload_error(p->ld, f[S_DELAY], "'delay' must be at least a "
		    "minute: nobody may know the round at commit time");
	if (f[S_BEACON_WAIT] != NULL)
		plan_duration(p, f[S_BEACON_WAIT], "'beacon_wait'", 7 * 86400,
		    &sc->beacon_wait);
	if (f[S_WITNESSES] != NULL)
		sc->nwitnesses = plan_strlist(p, f[S_WITNESSES], "witnesses",
		    1, check_witness, &sc->witnesses, NULL);
	if (sc->nwitnesses > 0 && sc->witness_dir == NULL)
		cload_error(p->ld, f[S_WITNESSES], "'witnesses' needs a "
		    "'witness_dir' to read their hashes and reveals from");
	if (sc->export_dir != NULL) {
		s = plan_resolve(p->cfg->path, sc->export_dir);
		free(sc->export_dir);
		sc->export_dir = s;
	}
	if (sc->witness_dir != NULL) {
		s = plan_resolve(p->cfg->path, sc->witness_dir);
		free(sc->witness_dir);
		sc->witness_dir = s;
	}
}

struct config *
plan_build(struct cload *ld, const struct cnode *root, const char *path)
{
	struct plan		 p;
	struct config		*cfg;
	const struct cnode	*f[NELEM(top_keys)];
	const struct cnode	*rf[NELEM(report_keys)];
	const struct cnode	*v;
	static const struct plan_key version_key = { .min = 0,
	    .max = 1000000 };
	long long		 version;
	size_t			 i;

	memset(&p, 0, sizeof(p));
	buf_init(&p.list);
	p.ld = ld;
	p.cfg = cfg = xcalloc(1, sizeof(*cfg));
	cfg->path = xstrdup(path);
	calendar_init(&cfg->calendar);
	/* Another version's keys would only confuse: check it first. */
	for (i = 0; root->kind == CNODE_MAP && i < root->n; i++) {
		v = CNODE_VALUE(root, i);
		if (strcmp(CNODE_KEY(root, i)->str, "version") != 0 ||
		    cnode_is_null(v))
			continue;
		if (plan_int(&p, v, "'version'", &version_key, &version) == -1)
			goto out;
		if (version != CONFIG_VERSION) {
			cload_error(ld, v, "unsupported plan version %lld; "
			    "this ssj reads version %d", version,
			    CONFIG_VERSION);
			goto out;
		}
		cfg->version = (int)version;
	}
	if (plan_map(&p, root, "the plan", "at the top level", top_keys,
	    NELEM(top_keys), NULL, f) == -1)
		goto out;
	if (f[T_PLAN] != NULL)
		plan_plan(&p, f[T_PLAN]);
	if (f[T_AUTHORITY] != NULL)
		plan_authority(&p, f[T_AUTHORITY]);
	plan_keys(&p, f[T_KEYS]);
	if (f[T_CALENDAR] != NULL) {
		plan_calendar(&p, f[T_CALENDAR], "'calendar'", "in 'calendar'");
		plan_calendar_check(&p);
	}
	plan_classes(&p, f[T_CLASSES]);
	if (f[T_ITEMS] != NULL)
		plan_items(&p, f[T_ITEMS]);
	plan_sampling(&p, f[T_SAMPLING]);
	if (f[T_TASKS] != NULL)
		plan_tasks(&p, f[T_TASKS]);
	if (f[T_QUIET] != NULL)
		plan_quiets(&p, f[T_QUIET]);
	plan_beacon(&p, f[T_BEACON]);
	plan_imports(&p, f[T_IMPORTS]);
	plan_schedule(&p, f[T_SCHEDULE]);
	/* a public report hides the counts of classes smaller than this */
	cfg->report_public_min = 10;
	if (f[T_REPORT] != NULL)
		plan_map(&p, f[T_REPORT], "'report'", "in 'report'",
		    report_keys, NELEM(report_keys), cfg, rf);
out:
	pindex_release(&p.depts);
	pindex_release(&p.classes);
	pindex_release(&p.items);
	pindex_release(&p.ids);
	pindex_release(&p.tasks);
	free(p.wdays);
	free(p.area);
	buf_release(&p.list);
	return cfg;
}

static void
plan_strv_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
config_free(struct config *cfg)
{
	struct config_task	*t;
	size_t			 i, j;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->ndepartments; i++) {
		free(cfg->departments[i].code);
		free(cfg->departments[i].name);
	}
	for (i = 0; i < cfg->ndivisions; i++) {
		free(cfg->divisions[i].code);
		free(cfg->divisions[i].name);
	}
	for (i = 0; i < cfg->nclasses; i++) {
		free(cfg->classes[i].code);
		free(cfg->classes[i].name);
	}
	for (i = 0; i < cfg->nitems; i++) {
		free(cfg->items[i].code);
		free(cfg->items[i].name);
		free(cfg->items[i].basis);
		free(cfg->items[i].department);
		free(cfg->items[i].qualification);
	}
	for (i = 0; i < ITEM_NTYPES; i++)
		free(cfg->sampling[i].quotas);
	for (i = 0; i < cfg->nquiet; i++) {
		free(cfg->quiet[i].name);
		plan_strv_free(cfg->quiet[i].divisions,
		    cfg->quiet[i].ndivisions);
		plan_strv_free(cfg->quiet[i].exempt_tasks,
		    cfg->quiet[i].nexempt_tasks);
	}
	for (i = 0; i < cfg->ntasks; i++) {
		t = &cfg->tasks[i];
		free(t->id);
		free(t->name);
		plan_strv_free(t->items, t->nitems);
		free(t->lead);
		plan_strv_free(t->joint, t->njoint);
		plan_strv_free(t->filter.industries, t->filter.nindustries);
		plan_strv_free(t->filter.divisions, t->filter.ndivisions);
		plan_strv_free(t->filter.entity_types,
		    t->filter.nentity_types);
		plan_strv_free(t->filter.certificates,
		    t->filter.ncertificates);
		for (j = 0; j < t->nbatches; j++) {
			free(t->batches[j].id);
			free(t->batches[j].name);
		}
		free(t->batches);
	}
	free(cfg->path);
	free(cfg->plan_id);
	free(cfg->plan_name);
	free(cfg->authority);
	free(cfg->division);
	free(cfg->departments);
	free(cfg->divisions);
	free(cfg->public_key);
	free(cfg->secret_key);
	free(cfg->beacon.chain);
	free(cfg->beacon.command);
	free(cfg->beacon.scheme);
	free(cfg->beacon.public_key);
	free(cfg->schedule.export_dir);
	free(cfg->schedule.witness_dir);
	plan_strv_free(cfg->schedule.witnesses, cfg->schedule.nwitnesses);
	calendar_release(&cfg->calendar);
	free(cfg->classes);
	free(cfg->items);
	free(cfg->quiet);
	free(cfg->tasks);
	free(cfg->max_removals_text);
	free(cfg);
}

const struct config_task *
config_find_task(const struct config *cfg, const char *id)
{
	size_t	 i;

	for (i = 0; i < cfg->ntasks; i++)
		if (cfg->tasks[i].id != NULL &&
		    strcmp(cfg->tasks[i].id, id) == 0)
			return &cfg->tasks[i];
	return NULL;
}

const struct config_batch *
config_find_batch(const struct config *cfg, const char *id,
    const struct config_task **task)
{
	const struct config_task	*t;
	size_t				 i, j;

	for (i = 0; i < cfg->ntasks; i++) {
		t = &cfg->tasks[i];
		for (j = 0; j < t->nbatches; j++) {
			if (t->batches[j].id == NULL ||
			    strcmp(t->batches[j].id, id) != 0)
				continue;
			if (task != NULL)
				*task = t;
			return &t->batches[j];
		}
	}
	if (task != NULL)
		*task = NULL;
	return NULL;
}

const struct config_item *
config_find_item(const struct config *cfg, const char *code)
{
	size_t	 i;

	for (i = 0; i < cfg->nitems; i++)
		if (cfg->items[i].code != NULL &&
		    strcmp(cfg->items[i].code, code) == 0)
			return &cfg->items[i];
	return NULL;
}

const struct config_department *
config_find_department(const struct config *cfg, const char *code)
{
	size_t	 i;

	for (i = 0; i < cfg->ndepartments; i++)
		if (cfg->departments[i].code != NULL &&
		    strcmp(cfg->departments[i].code, code) == 0)
			return &cfg->departments[i];
	return NULL;
}

int
config_find_class(const struct config *cfg, const char *code, size_t len)
{
	size_t	 i;

	for (i = 0; i < cfg->nclasses; i++)
		if (strlen(cfg->classes[i].code) == len &&
		    memcmp(cfg->classes[i].code, code, len) == 0)
			return (int)i;
	return -1;
}

const char *
config_division_name(const struct config *cfg, const char *code)
{
	size_t	 i;

	for (i = 0; i < cfg->ndivisions; i++)
		if (strcmp(cfg->divisions[i].code, code) == 0)
			return cfg->divisions[i].name;
	return NULL;
}

void
config_print_summary(const struct config *cfg, FILE *fp)
{
	const struct config_task	*t;
	size_t				 i, j, nkey = 0, ntargeted = 0;
	size_t				 njoint = 0, nbatches = 0;
	day_t				 first = 0, last = 0, d;
	char				 d1[DATE_STR_LEN], d2[DATE_STR_LEN];

	for (i = 0; i < cfg->nitems; i++)
		if (cfg->items[i].type == ITEM_KEY)
			nkey++;
	for (i = 0; i < cfg->ntasks; i++) {
		t = &cfg->tasks[i];
		if (t->targeted)
			ntargeted++;
		if (t->njoint > 0)
			njoint++;
		for (j = 0; j < t->nbatches; j++) {
			d = t->batches[j].draw_date;
			if (nbatches++ == 0 || d < first)
				first = d;
			if (nbatches == 1 || d > last)
				last = d;
		}
	}
	fprintf(fp, "%s (%s), plan %s for %d: %zu department%s, %zu item%s "
	    "(%zu general, %zu key), risk classes ", cfg->authority,
	    cfg->division, cfg->plan_id, cfg->year, cfg->ndepartments,
	    cfg->ndepartments == 1 ? "" : "s", cfg->nitems,
	    cfg->nitems == 1 ? "" : "s", cfg->nitems - nkey, nkey);
	for (i = 0; i < cfg->nclasses; i++)
		fprintf(fp, "%s%s", i > 0 ? "/" : "", cfg->classes[i].code);
	fprintf(fp, ", %zu task%s (%zu targeted, %zu untargeted; %zu joint), "
	    "%zu batch%s", cfg->ntasks, cfg->ntasks == 1 ? "" : "s",
	    ntargeted, cfg->ntasks - ntargeted, njoint, nbatches,
	    nbatches == 1 ? "" : "es");
	if (nbatches > 0 && first == last)
		fprintf(fp, " drawn on %s", date_format(first, d1));
	else if (nbatches > 0)
		fprintf(fp, " drawn from %s to %s", date_format(first, d1),
		    date_format(last, d2));
	if (cfg->calendar.nyears == 0)
		fprintf(fp, ", no official calendar.\n");
	else {
		fprintf(fp, ", official calendar%s for ",
		    cfg->calendar.nyears == 1 ? "" : "s");
		for (i = 0; i < cfg->calendar.nyears; i++)
			fprintf(fp, "%s%d", i == 0 ? "" :
			    i + 1 == cfg->calendar.nyears ? " and " : ", ",
			    cfg->calendar.years[i]);
		fprintf(fp, ".\n");
	}
}
