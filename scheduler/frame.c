/*
 * Freezing a batch: the pool of targets after the task's filters and the
 * exclusions, each with its stratum, the eligible inspectors and the
 * conflicts, written as the canonical frame files of docs/protocol.md §2.
 * Everything is read from the registries as of one snapshot, so that the
 * same frames can be rebuilt, byte for byte, at any later time.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg.h"
#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "dsr.h"
#include "file.h"
#include "frame.h"
#include "framestore.h"
#include "log.h"
#include "num.h"
#include "schema.h"
#include "xmalloc.h"

const char *const frame_file_names[FRAME_NFILES] = {
	"targets.txt", "inspectors.txt", "conflicts.txt", "excluded.txt",
	"parameters.txt",
};

const char *const frame_digest_names[FRAME_NFILES] = {
	"targets-blake2b-256", "inspectors-blake2b-256",
	"conflicts-blake2b-256", "excluded-blake2b-256",
	"parameters-blake2b-256",
};

static const char *const frame_magic[FRAME_NFILES] = {
	"DSR-1 targets\n", "DSR-1 inspectors\n", "DSR-1 conflicts\n",
	"DSR-1 excluded\n", "DSR-1 parameters\n",
};

/* Why a target that matches the filters is not in the pool. */
enum exclusion {
	EX_NONE,
	EX_STATUS,
	EX_SAME_ITEM,
	EX_ANNUAL_CAP,
	EX_QUIET,
};

static const char *const exclusion_names[] = {
	"", "status", "same-item", "annual-cap", "quiet-period",
};

/*
 * An id as a sortable key: its characters as 5-bit digits, 1 to 31 in
 * the order of GB 32100's alphabet (0-9 and A-Z but I, O, S, V, Z; a 注册号
 * has digits only), 0 past its end, six digits to a word. Comparing keys
 * word by word orders ids as strcmp does, a prefix first; a key takes 12
 * bytes where the id takes 19, and compares in three steps.
 */
struct idkey {
	uint32_t	 w[3];
};

static const char id_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* A revision of a registry row, as much of it as the frame needs. */
struct rec {
	struct idkey	 key;
	uint32_t	 snapshot;
	uint32_t	 division;	/* enterprises: GB/T 2260 as a number */
	uint16_t	 month;		/* classes: year * 12 + month - 1 */
	uint8_t		 flags;		/* REC_* */
	uint8_t		 klass;		/* classes: index + 1, 0 if not the
					   plan's; enterprises in the pool:
					   their stratum */
};

enum {
	REC_PRESENT	= 1 << 0,
	REC_ACTIVE	= 1 << 1,	/* 存续 or 在业 */
	REC_ABNORMAL	= 1 << 2,
	REC_SERIOUS	= 1 << 3,
	REC_MATCH	= 1 << 4,	/* passes the task's filters */
};

/* One frame file being made: its digest, its text if kept, its file. */
struct sink {
	struct crypto_digest	 d;
	/*
	 * On a second thread: the digest, and the copy kept beside the
	 * database (kept_by_bg); NULL once closed.
	 */
	struct bg		*bg;
	int			 kept_by_bg;
	struct buf		 text;
	int			 keep;
	struct file_out		 out;
	int			 writing;
	size_t			 len;
	struct frame_store_out	 kept;		/* FRAME_STORE */
	int			 keeping;
};

/*
 * A pool target's latest earlier draw (for rotation), in key order: its
 * key first (pool_division's search), division, draw and rank.
 */
struct latest_draw {
	struct idkey	 key;
	uint32_t	 division;
	uint32_t	 rank;
	int64_t		 draw;
};

/* A declared conflict in force on a day of the window. */
struct recusal {
	char		*cred;
	char		*id;
};

/*
 * An id a recusal names, by key (first: pool_division's search): whether
 * the walk over the registry found it in the pool, and in which division.
 */
struct watched {
	struct idkey	 key;
	uint32_t	 division;
	int		 pooled;
};

struct build {
	struct db			*db;
	const struct config		*cfg;
	const struct config_task	*task;
	const struct config_batch	*batch;
	int64_t				 snapshot;
	const struct frame_prior	*prior;
	struct frame			*fr;
	struct sink			 sink[FRAME_NFILES];
	struct frame_store		 store;		/* FRAME_STORE */
	int				 month;		/* risk month */
	struct rec			*ev;		/* enterprises, by key (tables) */
	size_t				 nev;
	/*
	 * The snapshot is the latest: the registry as of it is the current
	 * tables the imports keep (schema v5), read in key order, instead
	 * of every revision up to it, sorted.
	 */
	int				 current;
	int				 classes_in_ev;	/* klass, of each
							   (the image's, or
							   classes_in_order's) */
	int				 flags;		/* frame_build's */
	struct latest_draw		*latest;	/* the walk's */
	size_t				 nlatest, latest_cap;
	struct recusal			*recusals;	/* load_recusals' */
	size_t				 nrecusals;
	struct watched			*watch;		/* their ids */
	size_t				 nwatch;
};

static void sink_add(struct sink *, const char *, size_t);

static void
sink_consume(void *arg, const void *p, size_t len)
{
	struct sink	*s = arg;

	crypto_digest_update(&s->d, p, len);
	if (s->kept_by_bg)
		frame_store_add(&s->kept, p, len);
}

static int
sink_init(struct sink *s, enum frame_file f, int keep, const char *dir,
    struct frame_store *store)
{
	char	*path;
	int	 rc = 0;

	crypto_digest_init(&s->d, CRYPTO_DIGEST_BYTES);
	buf_init(&s->text);
	s->keep = keep;
	s->len = 0;
	s->keeping = store != NULL;
	if (s->keeping && frame_store_out_open(store, &s->kept) == -1) {
		s->keeping = 0;
		return -1;
	}
	s->writing = dir != NULL;
	if (s->writing) {
		path = xasprintf("%s/%s", dir, frame_file_names[f]);
		rc = file_out_open(&s->out, path, 0644, 0);
		free(path);
		s->writing = rc == 0;
	}
	/* (frame_chunk rows are inserted by the caller's thread) */
	s->kept_by_bg = s->keeping && s->kept.writing;
	s->bg = bg_start(sink_consume, s);
	sink_add(s, frame_magic[f], strlen(frame_magic[f]));
	return rc;
}

static void
sink_add(struct sink *s, const char *p, size_t len)
{
	bg_add(s->bg, p, len);
	if (s->keep)
		buf_add(&s->text, p, len);
	if (s->writing)
		fwrite(p, 1, len, s->out.fp);
	s->len += len;
	if (s->keeping && !s->kept_by_bg)
		frame_store_add(&s->kept, p, len);
}

/* Once every byte is in: the digest (the thread stopped). */
static void
sink_digest(struct sink *s, unsigned char out[CRYPTO_DIGEST_BYTES])
{
	bg_finish(s->bg);
	s->bg = NULL;
	crypto_digest_final(&s->d, out);
}

/* A sink not closed: its thread stopped, its text dropped. */
static void
sink_release(struct sink *s)
{
	bg_finish(s->bg);
	s->bg = NULL;
	buf_release(&s->text);
}

static void sink_printf(struct sink *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
sink_printf(struct sink *s, const char *fmt, ...)
{
	struct buf	 line = BUF_INIT;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	sink_add(s, line.data, line.len);
	buf_release(&line);
}

static int
sink_close(struct build *b, enum frame_file f)
{
	struct sink	*s = &b->sink[f];

	sink_digest(s, b->fr->digest[f]);
	b->fr->len[f] = s->len;
	if (s->keep)
		b->fr->text[f] = buf_detach(&s->text, NULL);
	if (s->keeping) {
		s->keeping = 0;
		if (frame_store_out_commit(&s->kept, b->fr->digest[f]) == -1)
			return -1;
	}
	if (!s->writing)
		return 0;
	s->writing = 0;
	return file_out_commit(&s->out);
}

/* Helpers on values. */

static int
has_prefix(const char *s, char *const *prefixes, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static int
in_list(const char *s, char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Whether the ';'-separated list has one of the codes. */
static int
list_has_any(const char *list, char *const *codes, size_t n)
{
	const char	*p, *end;
	size_t		 i, len;

	for (p = list; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		for (i = 0; i < n; i++)
			if (strlen(codes[i]) == len &&
			    strncmp(p, codes[i], len) == 0)
				return 1;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
in_sorted(const char *id, char *const *v, size_t n)
{
	return n > 0 && bsearch(&id, v, n, sizeof(*v), cmp_str) != NULL;
}

static int
id_pack(const char *id, struct idkey *k)
{
	const char	*p;
	size_t		 i;
	uint32_t	 d;
	static uint8_t	 digit[256];

	if (digit['0'] == 0)
		for (p = id_alphabet; *p != '\0'; p++)
			digit[(unsigned char)*p] = (uint8_t)(p - id_alphabet + 1);
	memset(k, 0, sizeof(*k));
	for (i = 0; i < DSR_ID_MAX && id[i] != '\0'; i++) {
		if ((d = digit[(unsigned char)id[i]]) == 0)
			return -1;
		k->w[i / 6] |= d << 5 * (5 - i % 6);
	}
	return i == 0 || id[i] != '\0' ? -1 : 0;
}

/*
 * A commit unpacks every target: word by word, six digits a word. The
 * id's length.
 */
static size_t
id_unpack(const struct idkey *k, char id[DSR_ID_MAX + 1])
{
	size_t		 i = 0, w;
	uint32_t	 d;
	int		 shift;

	for (w = 0; w < 3; w++)
		for (shift = 25; shift >= 0; shift -= 5) {
			if ((d = k->w[w] >> shift & 31) == 0)
				goto out;
			id[i++] = id_alphabet[d - 1];
		}
out:
	id[i] = '\0';
	return i;
}

static int
key_cmp(const struct idkey *a, const struct idkey *b)
{
	size_t	 i;

	for (i = 0; i < 3; i++)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

/* Revisions in (id, month, snapshot) order: an id's latest one last. */
static int
rec_less(const struct rec *a, const struct rec *b)
{
	int	 c;

	if ((c = key_cmp(&a->key, &b->key)) != 0)
		return c < 0;
	if (a->month != b->month)
		return a->month < b->month;
	return a->snapshot < b->snapshot;
}

static void
rec_swap(struct rec *a, struct rec *b)
{
	struct rec	 t = *a;

	*a = *b;
	*b = t;
}

static void
rec_sift(struct rec *v, size_t i, size_t n)
{
	size_t	 c;

	for (; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && rec_less(&v[c], &v[c + 1]))
			c++;
		if (!rec_less(&v[i], &v[c]))
			break;
		rec_swap(&v[i], &v[c]);
	}
}

/*
 * Introsort, in place: qsort(3) would allocate a copy of the array, as
 * large as the registry, and call a comparison function per step.
 */
static void
rec_sort(struct rec *v, size_t n, unsigned int depth)
{
	struct rec	 pivot;
	size_t		 i, j;

	while (n > 16) {
		if (depth-- == 0) {
			for (i = n / 2; i-- > 0; )
				rec_sift(v, i, n);
			for (i = n - 1; i > 0; i--) {
				rec_swap(&v[0], &v[i]);
				rec_sift(v, 0, i);
			}
			return;
		}
		/* Hoare's partition around the median of three. */
		if (rec_less(&v[n / 2], &v[0]))
			rec_swap(&v[n / 2], &v[0]);
		if (rec_less(&v[n - 1], &v[n / 2]))
			rec_swap(&v[n - 1], &v[n / 2]);
		if (rec_less(&v[n / 2], &v[0]))
			rec_swap(&v[n / 2], &v[0]);
		pivot = v[n / 2];
		i = 0;
		j = n - 1;
		for (;;) {
			while (rec_less(&v[i], &pivot))
				i++;
			while (rec_less(&pivot, &v[j]))
				j--;
			if (i >= j)
				break;
			rec_swap(&v[i++], &v[j--]);
		}
		/* [0, j] <= pivot <= [j + 1, n): the smaller side first. */
		if (j + 1 < n - j - 1) {
			rec_sort(v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			rec_sort(v + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && rec_less(&v[j], &v[j - 1]); j--)
			rec_swap(&v[j], &v[j - 1]);
}

static void
rec_sort_all(struct rec *v, size_t n)
{
	unsigned int	 depth = 0;
	size_t		 m;

	/* The current tables come in key order already. */
	for (m = 1; m < n && !rec_less(&v[m], &v[m - 1]); m++)
		;
	if (m >= n)
		return;

	for (m = n; m > 1; m >>= 1)
		depth += 2;
	rec_sort(v, n, depth);
}

/* "YYYY-MM" as year * 12 + month - 1; -1 if it is not one. */
static int
month_number(const char *s)
{
	int	 y, m;

	if (strlen(s) != 7 || s[4] != '-')
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	return m >= 1 && m <= 12 && y >= 0 && y <= 9999 ? y * 12 + m - 1 : -1;
}

/* The task's 定向 filters, on one enterprise revision. */
static int
matches(const struct config_task *t, const char *division,
    const char *industry, const char *type, const char *certs)
{
	const struct config_filter	*f = &t->filter;

	if (f->nindustries > 0 && !has_prefix(industry, f->industries,
	    f->nindustries))
		return 0;
	if (f->ndivisions > 0 && !has_prefix(division, f->divisions,
	    f->ndivisions))
		return 0;
	if (f->nentity_types > 0 && !in_list(type, f->entity_types,
	    f->nentity_types))
		return 0;
	if (f->ncertificates > 0 && !list_has_any(certs, f->certificates,
	    f->ncertificates))
		return 0;
	return 1;
}

/* Room for the revisions of a table: their number, ids being dense. */
static int
rows_bound(struct db *db, const char *table, size_t *out)
{
	char	*sql;
	int64_t	 n;
	int	 rc;

	sql = xasprintf("SELECT max(id) FROM %s", table);
	rc = db_query_int(db, sql, &n);
	free(sql);
	*out = rc == 0 && n > 0 ? (size_t)n : 1;
	return rc;
}

static int
bad_id(const char *id)
{
	return error("frame: '%s' is not a USCC or registration number", id);
}

/* The latest revision of every enterprise as of the snapshot, by key. */
static int
load_enterprises(struct build *b)
{
	struct db_stmt	*st;
	struct rec	*v = NULL, *e;
	size_t		 n = 0, cap, i, j;
	const char	*status;
	uint64_t	 division;
	int64_t		 count;
	int		 rc, filtered;

	filtered = b->task->filter.nindustries > 0 ||
	    b->task->filter.nentity_types > 0 ||
	    b->task->filter.ncertificates > 0;
	if (b->current) {
		/* The count the import kept: no pass over the table. */
		if (db_query_int(b->db, "SELECT coalesce(sum(n), 0) FROM "
		    "registry_count WHERE kind = 'enterprises' AND dim = 'all'",
		    &count) == -1)
			return -1;
		cap = count > 0 ? (size_t)count : 1;
	} else if (rows_bound(b->db, "enterprise_rev", &cap) == -1)
		return -1;
	/* Columns no filter reads are not fetched: a third of the work. */
	st = db_prepare(b->db, b->current && !filtered ? "SELECT uscc, 0, 1, "
	    "division, '', '', status, abnormal, serious, '' FROM "
	    "enterprise_cur ORDER BY uscc" : b->current ? "SELECT uscc, 0, 1, "
	    "division, industry, entity_type, status, abnormal, serious, "
	    "certificates FROM enterprise_cur ORDER BY uscc" :
	    "SELECT uscc, snapshot, "
	    "present, division, industry, entity_type, status, abnormal, "
	    "serious, certificates FROM enterprise_rev WHERE snapshot <= ?1");
	if (st == NULL)
		return -1;
	if (!b->current)
		db_bind_int(st, 1, b->snapshot);
	v = xreallocarray(NULL, cap, sizeof(*v));
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {		/* rows added since max(id) */
			cap += cap / 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		e = &v[n++];
		memset(e, 0, sizeof(*e));
		if (id_pack(db_col_text(st, 0), &e->key) == -1) {
			rc = bad_id(db_col_text(st, 0));
			break;
		}
		e->snapshot = (uint32_t)db_col_int(st, 1);
		if (num_parse_u64(db_col_text(st, 3), 0, 999999, &division)
		    == -1) {
			rc = error("frame: enterprise '%s' has a bad division "
			    "code in the database", db_col_text(st, 0));
			break;
		}
		e->division = (uint32_t)division;
		status = db_col_text(st, 6);
		e->flags = (uint8_t)((db_col_int(st, 2) ? REC_PRESENT : 0) |
		    (strcmp(status, "存续") == 0 || strcmp(status, "在业") == 0 ?
		    REC_ACTIVE : 0) |
		    (db_col_int(st, 7) ? REC_ABNORMAL : 0) |
		    (db_col_int(st, 8) ? REC_SERIOUS : 0) |
		    (matches(b->task, db_col_text(st, 3), db_col_text(st, 4),
		    db_col_text(st, 5), db_col_text(st, 9)) ? REC_MATCH : 0));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(v);
		return -1;
	}
	rec_sort_all(v, n);
	/* Keep the last revision of each id. */
	for (i = j = 0; i < n; i++)
		if (i + 1 == n || key_cmp(&v[i].key, &v[i + 1].key) != 0)
			v[j++] = v[i];
	b->ev = xreallocarray(v, j > 0 ? j : 1, sizeof(*v));
	b->nev = j;
	return 0;
}

/* The risk month as the revisions spell it, "YYYY-MM". */
static void
risk_month_text(const struct build *b, char out[16])
{
	snprintf(out, 16, "%04d-%02d", b->month / 12 % 10000,
	    b->month % 12 + 1);
}

/* A class as the frame numbers it: the plan's index + 1, 0 if not one. */
static uint8_t
plan_class(const struct build *b, const char *cls)
{
	int	 k = config_find_class(b->cfg, cls, strlen(cls));

	return (uint8_t)(k >= 0 ? k + 1 : 0);
}

/*
 * The months of classes later than the risk month: while there are none,
 * each one's latest class (risk_cur) is its class as of the risk month.
 */
static int
later_months(struct build *b, int64_t *later)
{
	struct db_stmt	*st;
	char		 last[16];
	int		 rc;

	risk_month_text(b, last);
	if ((st = db_prepare(b->db, "SELECT count(*) FROM registry_count "
	    "WHERE kind = 'risk' AND dim = 'month' AND n > 0 AND key > ?1"))
	    == NULL)
		return -1;
	db_bind_text(st, 1, last, SIZE_MAX);
	rc = db_step(st);
	*later = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int	classes_in_order(struct build *);

/* A key's place in b->ev, SIZE_MAX if it is not there. */
static size_t
ev_place(const struct build *b, const struct idkey *k)
{
	size_t	 lo = 0, hi = b->nev, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = key_cmp(&b->ev[mid].key, k)) == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/*
 * Each enterprise's class of the latest month, up to the risk month, in
 * which its latest revision is not a removal; by key.
 */
static int
load_classes(struct build *b, struct rec **out, size_t *nout)
{
	struct db_stmt	*st;
	struct rec	*v = NULL, *r;
	size_t		 n = 0, cap = b->nev + 1, i, j;
	char		 last[16];
	int64_t		 later = 0;
	int		 rc, k;

	risk_month_text(b, last);
	if (b->current && later_months(b, &later) == -1)
		return -1;
	/* From the revisions: in their order, into b->ev, if they allow. */
	if (!b->current || later > 0) {
		*out = NULL;
		*nout = 0;
		if ((rc = classes_in_order(b)) != 1) {
			b->classes_in_ev = rc == 0;
			return rc;
		}
	}
	st = db_prepare(b->db, b->current && later == 0 ? "SELECT uscc, "
	    "month, 0, class, 1 FROM risk_cur WHERE ?1 = ?1 AND ?2 = ?2 "
	    "ORDER BY uscc" : "SELECT uscc, month, snapshot, class, present "
	    "FROM risk_rev NOT INDEXED WHERE snapshot <= ?1 AND month <= ?2");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, b->snapshot);
	db_bind_text(st, 2, last, SIZE_MAX);
	v = xreallocarray(NULL, cap, sizeof(*v));
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap += cap / 2;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		r = &v[n++];
		memset(r, 0, sizeof(*r));
		if (id_pack(db_col_text(st, 0), &r->key) == -1) {
			rc = bad_id(db_col_text(st, 0));
			break;
		}
		if ((k = month_number(db_col_text(st, 1))) < 0) {
			rc = error("frame: bad month '%s' in risk_rev",
			    db_col_text(st, 1));
			break;
		}
		r->month = (uint16_t)k;
		r->snapshot = (uint32_t)db_col_int(st, 2);
		r->klass = plan_class(b, db_col_text(st, 3));
		r->flags = db_col_int(st, 4) ? REC_PRESENT : 0;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(v);
		return -1;
	}
	rec_sort_all(v, n);
	/*
	 * The last revision of each (id, month) says whether the month has
	 * a class; of those that do, the last month's is the id's.
	 */
	for (i = j = 0; i < n; i++) {
		if (i + 1 < n && key_cmp(&v[i].key, &v[i + 1].key) == 0 &&
		    v[i].month == v[i + 1].month)
			continue;
		if (!(v[i].flags & REC_PRESENT))
			continue;
		if (j > 0 && key_cmp(&v[j - 1].key, &v[i].key) == 0)
			j--;
		v[j++] = v[i];
	}
	*out = xreallocarray(v, j > 0 ? j : 1, sizeof(*v));
	*nout = j;
	return 0;
}

/*
 * One enterprise's class as of the snapshot and risk month, from its
 * revisions alone: of each month its latest revision says whether it
 * has a class, and the last month that has one gives it.
 */
static int
class_of_one(struct build *b, struct db_stmt *st, struct rec *e,
    const char *last)
{
	char		 id[DSR_ID_MAX + 1];
	int		 rc, month, best = -1, klass = 0, present = 0;
	int		 cur = -1, cur_klass = 0;

	id_unpack(&e->key, id);
	db_bind_text(st, 1, id, SIZE_MAX);
	db_bind_int(st, 2, b->snapshot);
	db_bind_text(st, 3, last, SIZE_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((month = month_number(db_col_text(st, 0))) < 0) {
			db_reset(st);
			return error("frame: bad month '%s' in risk_rev",
			    db_col_text(st, 0));
		}
		/* A month's rows come by snapshot: its last one holds. */
		if (month != cur && cur >= 0 && present) {
			best = cur;
			klass = cur_klass;
		}
		cur = month;
		present = (int)db_col_int(st, 2);
		cur_klass = plan_class(b, db_col_text(st, 1));
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	if (cur >= 0 && present) {
		best = cur;
		klass = cur_klass;
	}
	e->month = (uint16_t)(best >= 0 ? best + 1 : 0);
	e->klass = (uint8_t)(best >= 0 ? klass : 0);
	return 0;
}

/*
 * The classes as of an earlier snapshot or risk month, into b->ev (each
 * enterprise's klass; month, its month + 1): the revisions read once in
 * the order they were written, which is the order of their snapshots,
 * each a lookup in b->ev, so that memory does not grow with the months
 * kept. A revision later in a month than another replaces it; the few
 * enterprises with a removal among theirs are read again one by one.
 * 1 if the revisions are not in snapshot order (the caller reads them
 * the other way).
 */
static int
classes_in_order(struct build *b)
{
	struct db_stmt	*st;
	size_t		*again = NULL, nagain = 0, cap = 0, i, place;
	struct idkey	 k;
	char		 last[16];
	int64_t		 snapshot, prev = 0;
	int		 rc, month, ret = -1;

	risk_month_text(b, last);
	/* The whole table: by the index led by month, a look-up a row. */
	st = db_prepare(b->db, "SELECT uscc, month, snapshot, class, present "
	    "FROM risk_rev NOT INDEXED WHERE snapshot <= ?1 AND month <= ?2 "
	    "ORDER BY id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, b->snapshot);
	db_bind_text(st, 2, last, SIZE_MAX);
	for (i = 0; i < b->nev; i++) {
		b->ev[i].month = 0;
		b->ev[i].klass = 0;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		if ((snapshot = db_col_int(st, 2)) < prev) {
			ret = 1;
			goto out;
		}
		prev = snapshot;
		if (id_pack(db_col_text(st, 0), &k) == -1) {
			bad_id(db_col_text(st, 0));
			goto out;
		}
		if ((place = ev_place(b, &k)) == SIZE_MAX)
			continue;
		if ((month = month_number(db_col_text(st, 1))) < 0) {
			error("frame: bad month '%s' in risk_rev",
			    db_col_text(st, 1));
			goto out;
		}
		if (!db_col_int(st, 4)) {
			if (nagain == cap) {
				cap = cap > 0 ? cap * 2 : 64;
				again = xreallocarray(again, cap,
				    sizeof(*again));
			}
			again[nagain++] = place;
			continue;
		}
		if (month + 1 < b->ev[place].month)
			continue;
		b->ev[place].month = (uint16_t)(month + 1);
		b->ev[place].klass = plan_class(b, db_col_text(st, 3));
	}
	if (rc != DB_DONE)
		goto out;
	db_finalize(st);
	st = db_prepare(b->db, "SELECT month, class, present FROM risk_rev "
	    "WHERE month IN (" RISK_MONTHS ") AND uscc = ?1 AND snapshot <= ?2 "
	    "AND month <= ?3 ORDER BY month, snapshot");
	if (st == NULL)
		goto out;
	for (i = 0; i < nagain; i++)
		if (class_of_one(b, st, &b->ev[again[i]], last) == -1)
			goto out;
	ret = 0;
out:
	db_finalize(st);
	free(again);
	return ret;
}

/*
 * The frame image (schema v6): each current enterprise as the frame reads
 * it, packed in key order, so that a commit reads the registry as a few
 * blobs instead of stepping through enterprise_cur and risk_cur row by
 * row (issue 14). Part 0 is the header, "ssj frame image 2", then
 * "enterprises S", "risk S" (the snapshots it was made from), "records
 * N" and one "class C" line per class, in the order the records number
 * them from 1. A record is little-endian 32-bit words: first one holding
 * the division (six digits fit in its low 20 bits), the flags
 * REC_ACTIVE, REC_ABNORMAL and REC_SERIOUS shifted by IMAGE_FLAGS_SHIFT,
 * IMAGE_W0 and the class (0: none) in its top byte; then the key's first
 * word if IMAGE_W0 is set, which it is for the first record of a part
 * and wherever the word changes (the code's first six characters: the
 * department, the kind and most of the division), and the key's other
 * two words. Mostly 12 bytes a record; image 1, up to schema 9, took 20.
 */
#define IMAGE_MAGIC	"ssj frame image 2\n"
#define IMAGE_PART	(1u << 20)
#define IMAGE_DIVISION	0xfffffu
#define IMAGE_FLAGS	(REC_ACTIVE | REC_ABNORMAL | REC_SERIOUS)
#define IMAGE_FLAGS_SHIFT 19
#define IMAGE_W0	(1u << 23)
#define IMAGE_CLASSES	254

struct image_head {
	int64_t		 enterprises;
	int64_t		 risk;
	uint64_t	 records;
	char		*classes[IMAGE_CLASSES];
	size_t		 nclasses;
};


/* The latest snapshot of a kind, 0 if none. */
static int
latest_of(struct db *db, const char *kind, int64_t *out)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, "SELECT coalesce(max(id), 0) FROM snapshot "
	    "WHERE kind = ?1")) == NULL)
		return -1;
	db_bind_text(st, 1, kind, SIZE_MAX);
	rc = db_step(st);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int
image_put_part(struct db_stmt *st, int64_t part, const void *p, size_t len)
{
	int	 rc;

	db_bind_int(st, 1, part);
	db_bind_blob(st, 2, p, len);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/* A class's number in the header, added if new; 0 if there are too many. */
static size_t
image_class(struct image_head *h, const char *cls)
{
	size_t	 i;

	for (i = 0; i < h->nclasses; i++)
		if (strcmp(h->classes[i], cls) == 0)
			return i + 1;
	if (h->nclasses == IMAGE_CLASSES || *cls == '\0' ||
	    strchr(cls, '\n') != NULL)
		return 0;
	h->classes[h->nclasses++] = xstrdup(cls);
	return h->nclasses;
}

void
frame_class_counts_free(struct frame_class_count *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].class);
	free(v);
}

/* The classes that have enterprises, "" (klass 0) for none. */
static void
image_counts(const struct image_head *h, const uint64_t *count,
    struct frame_class_count **out, size_t *nout)
{
	struct frame_class_count *v;
	size_t		 i, n = 0;

	v = xcalloc(h->nclasses + 1, sizeof(*v));
	for (i = 0; i <= h->nclasses; i++) {
		if (count[i] == 0)
			continue;
		v[n].class = xstrdup(i == 0 ? "" : h->classes[i - 1]);
		v[n++].n = count[i];
	}
	*out = v;
	*nout = n;
}

/*
 * Makes the image from the rows next() gives, in key order, and
 * risk_cur's classes, in the caller's transaction. A registry the image
 * cannot describe (a division that is not six digits, rows out of key
 * order, too many classes) leaves no image: the commits then read the
 * current tables, as before. The counts by class come with the image,
 * from the same merge, for registry_count.
 */
int
frame_image_write(struct db *db,
    int (*next)(void *, struct frame_image_row *), void *arg,
    struct frame_class_count **counts, size_t *ncounts)
{
	struct db_stmt	*sr = NULL, *ins = NULL;
	struct frame_image_row row;
	struct image_head h;
	struct idkey	 k, prev, rk;
	struct buf	 part = BUF_INIT, head = BUF_INIT;
	unsigned char	 rec[16];
	uint64_t	 count[IMAGE_CLASSES + 1];
	char		 code[DSR_ID_MAX + 1], division[7];
	const char	*why = NULL;
	int64_t		 nparts = 0;
	size_t		 i, klass, len;
	uint32_t	 word, w0 = 0;
	int		 rc, rr = DB_DONE, have_r = 0, ret = -1;

	if (counts != NULL) {
		*counts = NULL;
		*ncounts = 0;
	}
	memset(&h, 0, sizeof(h));
	memset(&prev, 0, sizeof(prev));
	memset(count, 0, sizeof(count));
	if (db_exec(db, "DELETE FROM frame_image") == -1 ||
	    latest_of(db, "enterprises", &h.enterprises) == -1 ||
	    latest_of(db, "risk", &h.risk) == -1)
		goto out;
	sr = db_prepare(db, "SELECT uscc, class FROM risk_cur ORDER BY uscc");
	ins = db_prepare(db, "INSERT INTO frame_image (part, data) VALUES "
	    "(?1, ?2)");
	if (sr == NULL || ins == NULL)
		goto out;
	while ((rc = next(arg, &row)) == 1) {
		if (row.uscc_len > DSR_ID_MAX) {
			why = "a code too long";
			break;
		}
		memcpy(code, row.uscc, row.uscc_len);
		code[row.uscc_len] = '\0';
		if (id_pack(code, &k) == -1 ||
		    (h.records > 0 && key_cmp(&prev, &k) >= 0)) {
			why = "a code out of order";
			break;
		}
		/* (its text is not NUL-terminated; other lengths fail) */
		len = row.division_len == 6 ? 6 : 0;
		memcpy(division, row.division, len);
		division[len] = '\0';
		if (strspn(division, "0123456789") != 6) {
			why = "a division not of six digits";
			break;
		}
		prev = k;
		/* The class: risk_cur, in the same order, merged. */
		klass = 0;
		for (;;) {
			if (!have_r) {
				if ((rr = db_step(sr)) != DB_ROW)
					break;
				if (id_pack(db_col_text(sr, 0), &rk) == -1) {
					why = "a class's code not a key";
					break;
				}
				have_r = 1;
			}
			if (key_cmp(&rk, &k) > 0)
				break;
			if (key_cmp(&rk, &k) == 0 && (klass = image_class(&h,
			    db_col_text(sr, 1))) == 0)
				why = "a class it cannot number";
			have_r = 0;
			if (klass > 0 || why != NULL)
				break;
		}
		if (why != NULL)
			break;
		if (rr != DB_ROW && rr != DB_DONE)
			goto out;
		word = (uint32_t)atoi(division) | (uint32_t)((row.active ?
		    REC_ACTIVE : 0) | (row.abnormal ? REC_ABNORMAL : 0) |
		    (row.serious ? REC_SERIOUS : 0)) << IMAGE_FLAGS_SHIFT |
		    (uint32_t)klass << 24;
		if (part.len == 0 || k.w[0] != w0) {
			word |= IMAGE_W0;
			w0 = k.w[0];
		}
		count[klass]++;
		num_put_le32(rec, word);
		len = 4;
		if (word & IMAGE_W0) {
			num_put_le32(rec + len, w0);
			len += 4;
		}
		num_put_le32(rec + len, k.w[1]);
		num_put_le32(rec + len + 4, k.w[2]);
		buf_add(&part, rec, len + 8);
		h.records++;
		if (part.len >= IMAGE_PART) {
			if (image_put_part(ins, ++nparts, part.data, part.len)
			    == -1)
				goto out;
			buf_reset(&part);
		}
	}
	if (why != NULL) {
		log_debug("frame image: none (%s)", why);
		ret = db_exec(db, "DELETE FROM frame_image");
		goto out;
	}
	if (rc != 0 || (part.len > 0 &&
	    image_put_part(ins, ++nparts, part.data, part.len) == -1))
		goto out;
	buf_printf(&head, "%senterprises %lld\nrisk %lld\nrecords %llu\n",
	    IMAGE_MAGIC, (long long)h.enterprises, (long long)h.risk,
	    (unsigned long long)h.records);
	for (i = 0; i < h.nclasses; i++)
		buf_printf(&head, "class %s\n", h.classes[i]);
	if (image_put_part(ins, 0, head.data, head.len) == -1)
		goto out;
	if (counts != NULL)
		image_counts(&h, count, counts, ncounts);
	ret = 1;
out:
	db_finalize(sr);
	db_finalize(ins);
	for (i = 0; i < h.nclasses; i++)
		free(h.classes[i]);
	buf_release(&part);
	buf_release(&head);
	return ret;
}

/* The rows of enterprise_cur, for frame_image_write. */
static int
image_row_of_table(void *arg, struct frame_image_row *row)
{
	struct db_stmt	*st = arg;
	const char	*status;
	int		 rc;

	if ((rc = db_step(st)) != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	row->uscc = db_col_text(st, 0);
	row->uscc_len = db_col_bytes(st, 0);
	row->division = db_col_text(st, 1);
	row->division_len = db_col_bytes(st, 1);
	status = db_col_text(st, 2);
	row->active = strcmp(status, "存续") == 0 || strcmp(status, "在业") ==
	    0;
	row->abnormal = db_col_int(st, 3) != 0;
	row->serious = db_col_int(st, 4) != 0;
	return 1;
}

int
frame_image_update(struct db *db, struct frame_class_count **counts,
    size_t *ncounts)
{
	struct db_stmt	*st;
	int		 ret;

	st = db_prepare(db, "SELECT uscc, division, status, abnormal, serious "
	    "FROM enterprise_cur ORDER BY uscc");
	if (st == NULL)
		return -1;
	ret = frame_image_write(db, image_row_of_table, st, counts, ncounts);
	db_finalize(st);
	return ret;
}

/* The header, if there is an image; 1 if there is none. */
static int
image_head_read(struct db *db, struct image_head *h)
{
	struct db_stmt	*st;
	const char	*p, *end, *line;
	char		 field[32];
	size_t		 len, plen;
	int		 rc, ret = 1;

	memset(h, 0, sizeof(*h));
	if ((st = db_prepare(db, "SELECT data FROM frame_image WHERE part = "
	    "0")) == NULL)
		return -1;
	if ((rc = db_step(st)) != DB_ROW) {
		db_finalize(st);
		return rc == DB_DONE ? 1 : -1;
	}
	p = db_col_blob(st, 0, &plen);
	end = p + plen;
	if (plen < strlen(IMAGE_MAGIC) || memcmp(p, IMAGE_MAGIC,
	    strlen(IMAGE_MAGIC)) != 0)
		goto out;
	p += strlen(IMAGE_MAGIC);
	while (frame_next_line(&p, end, &line, &len) == 1) {
		if (len > 6 && memcmp(line, "class ", 6) == 0) {
			if (h->nclasses == IMAGE_CLASSES)
				goto out;
			h->classes[h->nclasses++] = xstrndup(line + 6, len - 6);
			continue;
		}
		if (len >= sizeof(field))
			goto out;
		memcpy(field, line, len);
		field[len] = '\0';
		if (sscanf(field, "enterprises %" SCNd64, &h->enterprises) !=
		    1 && sscanf(field, "risk %" SCNd64, &h->risk) != 1 &&
		    sscanf(field, "records %" SCNu64, &h->records) != 1)
			goto out;
	}
	ret = 0;
out:
	db_finalize(st);
	if (ret == 1)
		log_debug("frame image: a header it cannot read");
	return ret;
}

struct walk;
static int	walk_start(struct build *, struct walk *, size_t);
static int	walk_one(struct build *, struct walk *, struct rec *);

/*
 * The walk over the enterprises and their classes from the image, when
 * it was made from the latest snapshots and the task filters on
 * divisions alone: 1 if it was used, 0 if the tables must be read
 * instead. One record at a time: a province's registry is never in
 * memory whole.
 */
static int
image_walk(struct build *b, struct walk *w)
{
	const struct config_filter *f = &b->task->filter;
	struct image_head h;
	struct db_stmt	*st = NULL;
	struct rec	 e;
	const unsigned char *p;
	uint8_t		 map[IMAGE_CLASSES + 1];
	char		 code[16];
	int64_t		 enterprises, risk, later = 0;
	uint32_t	 word, w0 = 0;
	size_t		 len, i, n = 0;
	int		 rc, first, ret = -1;

	if (f->nindustries > 0 || f->nentity_types > 0 || f->ncertificates > 0)
		return 0;
	if (later_months(b, &later) == -1)
		return -1;
	if (later > 0)
		return 0;
	if ((rc = image_head_read(b->db, &h)) != 0)
		return rc == 1 ? 0 : -1;
	if (latest_of(b->db, "enterprises", &enterprises) == -1 ||
	    latest_of(b->db, "risk", &risk) == -1)
		goto out;
	if (enterprises != h.enterprises || risk != h.risk) {
		log_debug("frame image: made before the latest import");
		ret = 0;
		goto out;
	}
	map[0] = 0;
	for (i = 0; i < h.nclasses; i++)
		map[i + 1] = plan_class(b, h.classes[i]);
	b->classes_in_ev = 1;
	if (walk_start(b, w, h.records) == -1 || (st = db_prepare(b->db,
	    "SELECT data FROM frame_image WHERE part > 0 ORDER BY part")) ==
	    NULL)
		goto out;
	while ((rc = db_step(st)) == DB_ROW) {
		p = db_col_blob(st, 0, &len);
		for (first = 1; len >= 12 && n < h.records; first = 0) {
			word = num_get_le32(p);
			if (word & IMAGE_W0) {
				if (len < 16)
					break;
				w0 = num_get_le32(p + 4);
				p += 4;
				len -= 4;
			} else if (first)
				break;
			n++;
			memset(&e, 0, sizeof(e));
			e.key.w[0] = w0;
			e.key.w[1] = num_get_le32(p + 4);
			e.key.w[2] = num_get_le32(p + 8);
			p += 12;
			len -= 12;
			e.division = word & IMAGE_DIVISION;
			e.flags = (uint8_t)(REC_PRESENT | (word >>
			    IMAGE_FLAGS_SHIFT & IMAGE_FLAGS));
			e.klass = word >> 24 <= h.nclasses ?
			    map[word >> 24] : 0;
			if (f->ndivisions > 0)
				snprintf(code, sizeof(code), "%06u",
				    e.division);
			if (f->ndivisions == 0 || has_prefix(code,
			    f->divisions, f->ndivisions))
				e.flags |= REC_MATCH;
			if (walk_one(b, w, &e) == -1)
				goto out;
		}
		if (len > 0)
			break;
	}
	if (rc != DB_DONE || n != h.records) {
		if (rc == DB_DONE || rc == DB_ROW)
			error("frame: the frame image holds %zu records of the "
			    "%llu its header says; run 'ssj init' to rebuild "
			    "it", n, (unsigned long long)h.records);
		goto out;
	}
	ret = 1;
out:
	db_finalize(st);
	for (i = 0; i < h.nclasses; i++)
		free(h.classes[i]);
	return ret;
}

static int
items_overlap(const char *items, const struct config_task *t)
{
	return list_has_any(items, t->items, t->nitems);
}

/*
 * An earlier draw's selection, by id: what draw_summary (schema v6) keeps
 * of it, 16 bytes an id, its key's three words and its rank,
 * little-endian; for a draw made before schema 6, read from its rows.
 */
struct drawn {
	struct idkey	 key;
	uint32_t	 rank;
};

static int
drawn_cmp(const void *a, const void *b)
{
	return key_cmp(&((const struct drawn *)a)->key,
	    &((const struct drawn *)b)->key);
}

#define DRAWN_BYTES	16

/*
 * The frame's targets are in id order, which is key order: the selection
 * sorted by target index is sorted by key, and a radix sort of (index,
 * rank) pairs, 16 bits of the index a pass, does it without comparing a
 * key (a province's draw selects half a million).
 */
uint64_t *
frame_selection_by_id(const size_t *sel, size_t nsel)
{
	uint64_t	*v, *w, *t;
	size_t		*count, i, sum, c;
	unsigned	 shift;

	v = xreallocarray(NULL, nsel > 0 ? nsel : 1, sizeof(*v));
	w = xreallocarray(NULL, nsel > 0 ? nsel : 1, sizeof(*w));
	count = xcalloc(1u << 16, sizeof(*count));
	for (i = 0; i < nsel; i++)
		v[i] = (uint64_t)sel[i] << 32 | (i + 1);
	for (shift = 32; shift < 64; shift += 16) {
		memset(count, 0, (1u << 16) * sizeof(*count));
		for (i = 0; i < nsel; i++)
			count[v[i] >> shift & 0xffff]++;
		for (i = 0, sum = 0; i < 1u << 16; i++) {
			c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < nsel; i++)
			w[count[v[i] >> shift & 0xffff]++] = v[i];
		t = v;
		v = w;
		w = t;
	}
	free(w);
	free(count);
	return v;
}

void
frame_selection_keys(const struct frame *fr, const uint64_t *by_id,
    size_t nsel, struct buf *out)
{
	unsigned char	 p[DRAWN_BYTES];
	struct idkey	 k;
	size_t		 i;

	for (i = 0; i < nsel; i++) {
		/* (the frame's ids were packed once: they are keys) */
		if (id_pack(fr->targets[by_id[i] >> 32].id, &k) == -1)
			continue;
		num_put_le32(p, k.w[0]);
		num_put_le32(p + 4, k.w[1]);
		num_put_le32(p + 8, k.w[2]);
		num_put_le32(p + 12, (uint32_t)by_id[i]);
		buf_add(out, p, sizeof(p));
	}
}

/* A draw's selection from its rows: a draw made before its summary was. */
static int
drawn_from_selection(struct db *db, int64_t draw, struct drawn **out,
    size_t *nout)
{
	struct db_stmt	*st;
	struct drawn	*v = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc;

	*out = NULL;
	*nout = 0;
	if ((st = db_prepare(db, "SELECT uscc, rank FROM selection WHERE "
	    "draw = ?1")) == NULL)
		return -1;
	db_bind_int(st, 1, draw);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap > 0 ? cap * 2 : 1024;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		if (id_pack(db_col_text(st, 0), &v[n].key) == -1) {
			rc = bad_id(db_col_text(st, 0));
			break;
		}
		v[n++].rank = (uint32_t)db_col_int(st, 1);
	}
	db_finalize(st);
	if (n > 1)
		qsort(v, n, sizeof(*v), drawn_cmp);
	*out = v;
	*nout = n;
	return rc == DB_DONE ? 0 : -1;
}

/* What an earlier draw tells the commit about (earlier_open_all). */
enum {
	EARLIER_SAME	= 1 << 0,	/* this year, for one of the task's
					   items: EX_SAME_ITEM */
	EARLIER_LEAD	= 1 << 1,	/* this year, by the task's lead: a
					   step towards EX_ANNUAL_CAP */
	EARLIER_ROTATE	= 1 << 2,	/* any year: a team to rotate */
};

/* Summary entries an earlier draw holds in memory at a time. */
#define EARLIER_PIECE	4096

/*
 * One earlier draw's selection, in key order, as the merge reads it:
 * read from its summary a piece at a time, or (a draw made before
 * summaries were kept) from its selection rows, whole.
 */
struct earlier {
	struct drawn	*v;
	size_t		 n, i;		/* entries in v; the next one */
	struct db_blob	*blob;
	size_t		 offset, left;	/* in the summary, bytes */
	struct idkey	 last;		/* the last key read; none: zeros */
	int64_t		 draw;
	unsigned	 what;		/* EARLIER_* */
};

/*
 * A summary is only what a later commit reads of a draw's rows: without
 * it, they are read instead (as for a draw made before schema 6).
 */
static int
summary_damaged(struct db *db, int64_t draw)
{
	return error("frame: draw %lld's summary is damaged (the database was "
	    "changed outside ssj): check the ledger ('ssj ledger verify'), "
	    "then remove the summary (sqlite3 '%s' 'DELETE FROM draw_summary "
	    "WHERE draw = %lld') and the commit reads the draw's rows",
	    (long long)draw, db_path(db), (long long)draw);
}

/*
 * The next piece of a draw's summary into r->v (none at its end). A
 * summary out of key order would make the merge miss keys: refused.
 */
static int
earlier_fill(struct db *db, struct earlier *r, unsigned char *raw)
{
	const unsigned char	*p = raw;
	size_t			 len, i;

	r->i = r->n = 0;
	if (r->left == 0)
		return 0;
	len = r->left < EARLIER_PIECE * DRAWN_BYTES ? r->left :
	    EARLIER_PIECE * DRAWN_BYTES;
	if (db_blob_read(r->blob, raw, len, r->offset) == -1)
		return -1;
	r->offset += len;
	r->left -= len;
	r->n = len / DRAWN_BYTES;
	for (i = 0; i < r->n; i++, p += DRAWN_BYTES) {
		r->v[i].key.w[0] = num_get_le32(p);
		r->v[i].key.w[1] = num_get_le32(p + 4);
		r->v[i].key.w[2] = num_get_le32(p + 8);
		r->v[i].rank = num_get_le32(p + 12);
		/* (an id's key is never zeros: the first is after "none") */
		if (key_cmp(&r->last, &r->v[i].key) >= 0)
			return summary_damaged(db, r->draw);
		r->last = r->v[i].key;
	}
	return 0;
}

/* An earlier draw, opened for the merge. */
static int
earlier_open(struct db *db, struct earlier *r)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, "SELECT 1 FROM draw_summary WHERE draw = "
	    "?1")) == NULL)
		return -1;
	db_bind_int(st, 1, r->draw);
	rc = db_step(st);
	db_finalize(st);
	if (rc == DB_DONE)
		return drawn_from_selection(db, r->draw, &r->v, &r->n);
	if (rc != DB_ROW || (r->blob = db_blob_open(db, "draw_summary",
	    "keys", r->draw, &r->left)) == NULL)
		return -1;
	if (r->left % DRAWN_BYTES != 0)
		return summary_damaged(db, r->draw);
	r->v = xreallocarray(NULL, EARLIER_PIECE, sizeof(*r->v));
	return 0;
}

/* The merge's order: by key, then the latest draw first. */
static int
earlier_before(const struct earlier *a, const struct earlier *b)
{
	int	 c;

	c = key_cmp(&a->v[a->i].key, &b->v[b->i].key);
	return c < 0 || (c == 0 && a->draw > b->draw);
}

static void
earlier_sift(struct earlier **heap, size_t n, size_t i)
{
	struct earlier	*t = heap[i];
	size_t		 c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && earlier_before(heap[c + 1], heap[c]))
			c++;
		if (!earlier_before(heap[c], t))
			break;
		heap[i] = heap[c];
		i = c;
	}
	heap[i] = t;
}

/*
 * The earlier draws as one stream in key order: their keys come out of
 * a heap, an enterprise's draws together and the latest first, so the
 * walk over the registry (in key order too) meets each enterprise's
 * draws as it comes to it, and a year of a province's draws is read
 * once, a piece of each draw at a time.
 */
struct earlier_stream {
	struct earlier	 *r;
	size_t		  nr;
	struct earlier	**heap;
	size_t		  n;
	unsigned char	 *raw;		/* a piece of a summary, as read */
};

/* What the earlier draws of one enterprise add up to. */
struct earlier_of {
	int		 same;		/* EARLIER_SAME */
	unsigned	 lead;		/* draws by the lead this year */
	int		 latest;	/* draw, rank: its latest draw */
	int64_t		 draw;
	uint32_t	 rank;
};

/* One more of its draws, the latest first. */
static void
earlier_add(struct earlier_of *o, const struct earlier *r)
{
	if (r->what & EARLIER_SAME)
		o->same = 1;
	if (r->what & EARLIER_LEAD)
		o->lead++;
	if ((r->what & EARLIER_ROTATE) && !o->latest) {
		o->latest = 1;
		o->draw = r->draw;
		o->rank = r->v[r->i].rank;
	}
}

/* The stream past its first entry. */
static int
earlier_next(struct db *db, struct earlier_stream *es)
{
	struct earlier	*top = es->heap[0];

	if (++top->i == top->n) {
		if (top->blob != NULL && earlier_fill(db, top, es->raw) == -1)
			return -1;
		if (top->i == top->n)	/* (the draw's last key) */
			es->heap[0] = es->heap[--es->n];
	}
	if (es->n > 0)
		earlier_sift(es->heap, es->n, 0);
	return 0;
}

/*
 * The earlier draws of the enterprise with key k, into o; the stream
 * passes every key up to k, so keys must be asked for in order.
 */
static int
earlier_at(struct db *db, struct earlier_stream *es, const struct idkey *k,
    struct earlier_of *o)
{
	struct earlier	*top;
	int		 c;

	memset(o, 0, sizeof(*o));
	while (es->n > 0) {
		top = es->heap[0];
		if ((c = key_cmp(&top->v[top->i].key, k)) > 0)
			break;
		if (c == 0)
			earlier_add(o, top);
		if (earlier_next(db, es) == -1)
			return -1;
	}
	return 0;
}

/*
 * The stream to its end, past keys no longer in the registry: each
 * summary is read whole, so a damaged one is found whatever it holds.
 */
static int
earlier_drain(struct db *db, struct earlier_stream *es)
{
	static const struct idkey after_all = {
		{ UINT32_MAX, UINT32_MAX, UINT32_MAX }
	};
	struct earlier_of o;

	return earlier_at(db, es, &after_all, &o);
}

static void
earlier_close(struct earlier_stream *es)
{
	size_t	 i;

	for (i = 0; i < es->nr; i++) {
		db_blob_close(es->r[i].blob);
		free(es->r[i].v);
	}
	free(es->r);
	free(es->heap);
	free(es->raw);
	memset(es, 0, sizeof(*es));
}

/*
 * Earlier draws (up to the prior one), opened as a stream: those of
 * this year for one of this task's items (EARLIER_SAME), those of this
 * year by the task's lead (EARLIER_LEAD), and, for rotation, all
 * (EARLIER_ROTATE).
 */
static int
earlier_open_all(struct build *b, struct earlier_stream *es)
{
	const struct config_task	*t = b->task;
	struct db_stmt			*st;
	struct earlier			*r;
	size_t				 cap = 0, i;
	unsigned			 what;
	int				 year, m, d, rc, this_year;

	memset(es, 0, sizeof(*es));
	date_to_ymd(b->batch->draw_date, &year, &m, &d);
	st = db_prepare(b->db, "SELECT w.id, c.year, c.items, c.lead FROM "
	    "draw w JOIN commitment c ON c.id = w.commitment WHERE w.id <= ?1 "
	    "ORDER BY w.id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, b->prior->draw);
	while ((rc = db_step(st)) == DB_ROW) {
		this_year = db_col_int(st, 1) == year;
		what = t->rotation ? EARLIER_ROTATE : 0;
		if (this_year && t->exclude_same_item_year &&
		    items_overlap(db_col_text(st, 2), t))
			what |= EARLIER_SAME;
		if (this_year && t->annual_cap > 0 &&
		    strcmp(db_col_text(st, 3), t->lead) == 0)
			what |= EARLIER_LEAD;
		if (what == 0)
			continue;
		if (es->nr == cap) {
			cap = cap > 0 ? cap * 2 : 16;
			es->r = xreallocarray(es->r, cap, sizeof(*es->r));
		}
		r = &es->r[es->nr++];
		memset(r, 0, sizeof(*r));
		r->draw = db_col_int(st, 0);
		r->what = what;
		if (earlier_open(b->db, r) == -1) {
			rc = DB_ERROR;
			break;
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	es->heap = xreallocarray(NULL, es->nr > 0 ? es->nr : 1,
	    sizeof(*es->heap));
	es->raw = xmalloc(EARLIER_PIECE * DRAWN_BYTES);
	for (i = 0; i < es->nr; i++) {
		r = &es->r[i];
		if (r->blob != NULL && earlier_fill(b->db, r, es->raw) == -1)
			return -1;
		if (r->n > 0)
			es->heap[es->n++] = r;
	}
	for (i = es->n / 2; i-- > 0;)
		earlier_sift(es->heap, es->n, i);
	return 0;
}

/* Whether a quiet period holds on a day. */
static int
quiet_on(const struct config_quiet *q, day_t day)
{
	int	 y, m, d;

	if (q->monthly_from > 0) {
		date_to_ymd(day, &y, &m, &d);
		return d >= q->monthly_from && d <= q->monthly_to;
	}
	return day >= q->from && day <= q->to;
}

/*
 * Whether the quiet periods that apply to a division leave no working day
 * of the batch's window: then its enterprises cannot be visited.
 */
static int
quiet_all_window(const struct build *b, uint32_t division)
{
	const struct config	*cfg = b->cfg;
	const struct config_quiet *q;
	char			 code[16];
	day_t			 day;
	size_t			 i;
	int			 applies[64], any = 0, covered;

	snprintf(code, sizeof(code), "%06u", division);
	for (i = 0; i < cfg->nquiet && i < 64; i++) {
		q = &cfg->quiet[i];
		applies[i] = has_prefix(code, q->divisions, q->ndivisions) &&
		    !in_list(b->task->id, q->exempt_tasks, q->nexempt_tasks);
		any |= applies[i];
	}
	if (!any)
		return 0;
	for (day = b->batch->window_from; day <= b->batch->window_to; day++) {
		if (!calendar_is_workday(&cfg->calendar, day))
			continue;
		covered = 0;
		for (i = 0; i < cfg->nquiet && i < 64 && !covered; i++)
			covered = applies[i] && quiet_on(&cfg->quiet[i], day);
		if (!covered)
			return 0;
	}
	return 1;
}

/* A small cache of quiet_all_window per division. */
struct quiet_cache {
	uint32_t	 division[4096];
	int8_t		 value[4096];
};

static int
quiet_excluded(const struct build *b, struct quiet_cache *qc,
    uint32_t division)
{
	size_t	 h = (division * 2654435761u) % 4096, probes;

	for (probes = 0; probes < 4096; probes++, h = (h + 1) % 4096) {
		if (qc->value[h] == -1) {
			qc->division[h] = division;
			qc->value[h] = (int8_t)quiet_all_window(b, division);
			return qc->value[h];
		}
		if (qc->division[h] == division)
			return qc->value[h];
	}
	return quiet_all_window(b, division);
}

static void
init_strata(struct build *b)
{
	const struct config		*cfg = b->cfg;
	const struct config_sampling	*s = &cfg->sampling[b->task->type];
	struct frame			*fr = b->fr;
	size_t				 i;

	memset(fr->strata, 0, sizeof(fr->strata));
	snprintf(fr->strata[0].name, sizeof(fr->strata[0].name), "%s",
	    FRAME_CERTAIN);
	fr->strata[0].num = fr->strata[0].den = 1;
	fr->strata[0].min = fr->strata[0].max = -1;
	for (i = 0; i < cfg->nclasses && i + 1 < DSR_MAX_STRATA; i++) {
		snprintf(fr->strata[i + 1].name, sizeof(fr->strata[i + 1].name),
		    "%s", cfg->classes[i].code);
		fr->strata[i + 1].num = s->quotas[i].ratio.num;
		fr->strata[i + 1].den = s->quotas[i].ratio.den;
		fr->strata[i + 1].min = s->quotas[i].min;
		fr->strata[i + 1].max = s->quotas[i].max;
	}
	fr->nstrata = i + 1;
}

/* Appends "ID\tWORD\n" or "ID\tWORD\tDIVISION\n" to a file. */
static void
put_target_line(struct sink *s, const struct rec *e, const char *word,
    int with_division)
{
	char		 line[DSR_ID_MAX + 64], *p;
	size_t		 len, i;
	uint32_t	 d;

	p = line + id_unpack(&e->key, line);
	*p++ = '\t';
	len = strlen(word);
	if (len > 32)
		fatalx("frame: stratum or reason '%s' too long", word);
	memcpy(p, word, len);
	p += len;
	if (with_division) {
		*p++ = '\t';
		for (i = 6, d = e->division; i-- > 0; d /= 10)
			p[i] = (char)('0' + d % 10);
		p += 6;
	}
	*p++ = '\n';
	sink_add(s, line, (size_t)(p - line));
}

/* GB/T 2260 codes are six digits. */
#define DIVISIONS	1000000

/* What the walk over the registry keeps from one enterprise to the next. */
struct walk {
	struct earlier_stream	 earlier;
	struct quiet_cache	*qc;
	const struct rec	*rv;		/* classes by key, if not in ev */
	size_t			 nr, r;
	unsigned char		*seen;		/* divisions: FRAME_KEEP_SHAPE */
	size_t			 watch_at;	/* in b->watch */
};

static int
cmp_key_first(const void *a, const void *b)
{
	return key_cmp(a, b);
}

/*
 * Declared conflicts in force on a day of the window, and their ids to
 * watch for in the pool as the walk passes them (build_conflicts keeps
 * those of the frame's inspectors and the pool's targets).
 */
static int
load_recusals(struct build *b)
{
	struct db_stmt	*st;
	struct recusal	*r;
	struct watched	*w;
	char		 from[DATE_STR_LEN], to[DATE_STR_LEN];
	char		*key = NULL, *next;
	const char	*vf, *vt;
	size_t		 i, n;
	int		 rc;

	date_format(b->batch->window_from, from);
	date_format(b->batch->window_to, to);
	st = db_prepare(b->db, "SELECT credential, uscc, valid_from, present, "
	    "valid_to FROM conflict_rev WHERE snapshot <= ?1 "
	    "ORDER BY credential, uscc, valid_from, snapshot DESC");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, b->snapshot);
	while ((rc = db_step(st)) == DB_ROW) {
		vf = db_col_text(st, 2);
		/* The first row of each key is its latest revision. */
		next = xasprintf("%s\t%s\t%s", db_col_text(st, 0),
		    db_col_text(st, 1), vf);
		if (key != NULL && strcmp(key, next) == 0) {
			free(next);
			continue;
		}
		free(key);
		key = next;
		vt = db_col_text(st, 4);
		if (!db_col_int(st, 3) || (*vf != '\0' && strcmp(vf, to) > 0) ||
		    (*vt != '\0' && strcmp(vt, from) < 0))
			continue;
		b->recusals = xreallocarray(b->recusals, b->nrecusals + 1,
		    sizeof(*b->recusals));
		r = &b->recusals[b->nrecusals++];
		r->cred = xstrdup(db_col_text(st, 0));
		r->id = xstrdup(db_col_text(st, 1));
	}
	db_finalize(st);
	free(key);
	if (rc != DB_DONE)
		return -1;
	b->watch = xreallocarray(NULL, b->nrecusals > 0 ? b->nrecusals : 1,
	    sizeof(*b->watch));
	for (i = n = 0; i < b->nrecusals; i++) {
		w = &b->watch[n];
		memset(w, 0, sizeof(*w));
		/* (an id that is not one is in no pool) */
		if (id_pack(b->recusals[i].id, &w->key) == 0)
			n++;
	}
	if (n > 1)
		qsort(b->watch, n, sizeof(*b->watch), cmp_key_first);
	for (i = b->nwatch = 0; i < n; i++)
		if (b->nwatch == 0 || key_cmp(&b->watch[b->nwatch - 1].key,
		    &b->watch[i].key) != 0)
			b->watch[b->nwatch++] = b->watch[i];
	return 0;
}

/*
 * Whether an id is in the pool, and its division: only for the ids the
 * conflicts can name, those of the recusals and the rotations.
 */
static int
pool_division(const struct build *b, const char *id, uint32_t *division)
{
	const struct watched	*w;
	const struct latest_draw *l;
	struct idkey		 k;

	if (id_pack(id, &k) == -1)
		return 0;
	/* (bsearch wants an array, even of none) */
	if (b->nwatch > 0 && (w = bsearch(&k, b->watch, b->nwatch,
	    sizeof(*b->watch), cmp_key_first)) != NULL && w->pooled) {
		*division = w->division;
		return 1;
	}
	if (b->nlatest > 0 && (l = bsearch(&k, b->latest, b->nlatest,
	    sizeof(*b->latest), cmp_key_first)) != NULL) {
		*division = l->division;
		return 1;
	}
	return 0;
}

static void
shape_add(struct build *b, const char *id, size_t idlen, uint32_t division)
{
	struct frame		*fr = b->fr;
	struct dsr_target	*t;

	/* (a few hundred divisions and the conflicts: no spare room kept) */
	fr->shape = xreallocarray(fr->shape, fr->nshape + 1,
	    sizeof(*fr->shape));
	t = &fr->shape[fr->nshape++];
	memset(t, 0, sizeof(*t));
	memcpy(t->id, id, idlen);
	t->division = division;
}

/* The target of a line of conflicts.txt, into the shape if in the pool. */
static void
shape_conflicted(struct build *b, const char *pair)
{
	char		 id[DSR_ID_MAX + 1];
	const char	*p = strchr(pair, '\t');
	size_t		 len;
	uint32_t	 division;

	if (p == NULL || (len = strcspn(++p, "\t")) > DSR_ID_MAX)
		return;
	memcpy(id, p, len);
	id[len] = '\0';
	if (pool_division(b, id, &division))
		shape_add(b, id, len, division);
}

/*
 * The walk's start: the earlier draws opened, and room for up to bound
 * targets if the draw keeps them (untouched until they come).
 */
static int
walk_start(struct build *b, struct walk *w, size_t bound)
{
	w->qc = xmalloc(sizeof(*w->qc));
	memset(w->qc->value, -1, sizeof(w->qc->value));
	if (b->flags & FRAME_KEEP_SHAPE)
		w->seen = xcalloc(DIVISIONS / 8, 1);
	if (b->flags & FRAME_KEEP_TARGETS)
		b->fr->targets = xmalloc_huge(bound > 0 ? bound : 1,
		    sizeof(*b->fr->targets));
	return earlier_open_all(b, &w->earlier);
}

static void
walk_free(struct walk *w)
{
	earlier_close(&w->earlier);
	free(w->qc);
	free(w->seen);
}

/*
 * What else the frames need of a pool target: its latest earlier draw
 * for rotation, whether a recusal names it, its division for the shape
 * (FRAME_KEEP_SHAPE: a target of each division; a commit checks these
 * and the conflicted targets instead of millions that share their
 * division's answer), itself for a draw (FRAME_KEEP_TARGETS).
 */
static void
walk_pooled(struct build *b, struct walk *w, const struct rec *e,
    const struct earlier_of *o)
{
	struct frame		*fr = b->fr;
	struct latest_draw	*l;
	struct watched		*wa;
	struct dsr_target	*t;
	uint32_t		 d = e->division;

	if (o->latest) {
		if (b->nlatest == b->latest_cap) {
			b->latest_cap = b->latest_cap > 0 ?
			    b->latest_cap * 2 : 256;
			b->latest = xreallocarray(b->latest, b->latest_cap,
			    sizeof(*b->latest));
		}
		l = &b->latest[b->nlatest++];
		l->key = e->key;
		l->division = d;
		l->draw = o->draw;
		l->rank = o->rank;
	}
	while (w->watch_at < b->nwatch &&
	    key_cmp(&b->watch[w->watch_at].key, &e->key) < 0)
		w->watch_at++;
	if (w->watch_at < b->nwatch &&
	    key_cmp(&b->watch[w->watch_at].key, &e->key) == 0) {
		wa = &b->watch[w->watch_at];
		wa->pooled = 1;
		wa->division = d;
	}
	if (w->seen != NULL && (d >= DIVISIONS ||
	    !(w->seen[d / 8] & (1u << (d % 8))))) {
		if (d < DIVISIONS)
			w->seen[d / 8] |= (unsigned char)(1u << (d % 8));
		shape_add(b, "", 0, d);
	}
	if (b->flags & FRAME_KEEP_TARGETS) {
		/* The pool as the draw holds it: tickets not computed. */
		t = &fr->targets[fr->ntargets - 1];
		memset(t, 0, sizeof(*t));
		id_unpack(&e->key, t->id);
		t->stratum = e->klass;
		t->division = d;
	}
}

/*
 * One enterprise of the registry, the next in key order: excluded (a
 * line of excluded.txt), in the pool (a line of targets.txt, in its
 * stratum), or neither.
 */
static int
walk_one(struct build *b, struct walk *w, struct rec *e)
{
	const struct config_sampling	*s = &b->cfg->sampling[b->task->type];
	const struct config_task	*t = b->task;
	struct frame			*fr = b->fr;
	struct earlier_of		 o;
	enum exclusion			 why;

	if (earlier_at(b->db, &w->earlier, &e->key, &o) == -1)
		return -1;
	if ((e->flags & (REC_PRESENT | REC_MATCH)) !=
	    (REC_PRESENT | REC_MATCH))
		return 0;
	why = EX_NONE;
	if (!(e->flags & REC_ACTIVE))
		why = EX_STATUS;
	else if (o.same)
		why = EX_SAME_ITEM;
	else if (t->annual_cap > 0 && o.lead >= (unsigned)t->annual_cap)
		why = EX_ANNUAL_CAP;
	if (why == EX_NONE && t->apply_quiet_periods && b->cfg->nquiet > 0 &&
	    quiet_excluded(b, w->qc, e->division))
		why = EX_QUIET;
	if (why != EX_NONE) {
		put_target_line(&b->sink[FRAME_EXCLUDED], e,
		    exclusion_names[why], 0);
		fr->nexcluded++;
		return 0;
	}
	if (((s->certain & CERTAIN_ABNORMAL) && (e->flags & REC_ABNORMAL)) ||
	    ((s->certain & CERTAIN_SERIOUS) && (e->flags & REC_SERIOUS)))
		e->klass = 0;
	else if (b->classes_in_ev)
		e->klass = e->klass > 0 ? e->klass :
		    (uint8_t)(b->cfg->unclassified + 1);
	else {
		/* The classes are sorted by key too: merge. */
		while (w->r < w->nr && key_cmp(&w->rv[w->r].key, &e->key) < 0)
			w->r++;
		if (w->r < w->nr && key_cmp(&w->rv[w->r].key, &e->key) == 0 &&
		    w->rv[w->r].klass > 0)
			e->klass = w->rv[w->r].klass;
		else
			e->klass = (uint8_t)(b->cfg->unclassified + 1);
	}
	fr->ntargets++;
	fr->strata[e->klass].population++;
	put_target_line(&b->sink[FRAME_TARGETS], e, fr->strata[e->klass].name,
	    1);
	walk_pooled(b, w, e, &o);
	return 0;
}

/*
 * The pool, the excluded and the strata: targets.txt and excluded.txt,
 * in one walk over the registry in key order, beside the earlier draws
 * in the same order: from the frame image, a record at a time, or from
 * the tables, read whole.
 */
static int
build_targets(struct build *b)
{
	struct walk	 w;
	struct rec	*rv = NULL;
	size_t		 nr = 0, i;
	uint64_t	 t0, t1;
	int		 image = 0, ret = -1;

	memset(&w, 0, sizeof(w));
	init_strata(b);
	if (load_recusals(b) == -1)
		goto out;
	t0 = mono_ms();
	if (b->current && (image = image_walk(b, &w)) == -1)
		goto out;
	if (!image) {
		if (load_enterprises(b) == -1 ||
		    load_classes(b, &rv, &nr) == -1)
			goto out;
		t1 = mono_ms();
		w.rv = rv;
		w.nr = nr;
		if (walk_start(b, &w, b->nev) == -1)
			goto out;
		for (i = 0; i < b->nev; i++)
			if (walk_one(b, &w, &b->ev[i]) == -1)
				goto out;
		log_debug("frames: enterprises and classes %llu ms (tables)",
		    (unsigned long long)(t1 - t0));
	}
	if (earlier_drain(b->db, &w.earlier) == -1)
		goto out;
	log_debug("frames: walk %llu ms%s", (unsigned long long)(mono_ms() -
	    t0), image ? " (the frame image)" : "");
	ret = 0;
out:
	walk_free(&w);
	free(rv);
	return ret;
}

/* A credential and a count, sorted by credential. */
struct cred_count {
	char		*cred;
	int64_t		 n;
};

static int
cmp_cred_count(const void *a, const void *b)
{
	return strcmp(((const struct cred_count *)a)->cred,
	    ((const struct cred_count *)b)->cred);
}

/*
 * A slot's inspector as the replacements with an id up to ?2 left it:
 * the latest one's, else the draw's (a.credential).
 */
#define SLOT_AS_OF \
	"coalesce((SELECT r.drawn FROM replacement r WHERE r.draw = a.draw " \
	"AND r.rank = a.rank AND r.slot = a.slot AND r.id <= ?2 ORDER BY " \
	"r.number DESC LIMIT 1), a.credential)"

/* Room for one more count, the array growing geometrically. */
static void
cred_count_room(struct cred_count **v, size_t n, size_t *cap)
{
	if (n == *cap) {
		*cap = *cap > 0 ? *cap * 2 : 1024;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
}

/* Adds n to a credential's count, making its entry if need be. */
static void
count_add(struct cred_count **v, size_t *n, const char *cred, int64_t k)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].cred, cred) == 0) {
			(*v)[i].n += k;
			return;
		}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].cred = xstrdup(cred);
	(*v)[(*n)++].n = k;
}

/*
 * §2.2's load: the slots each inspector holds in the teams of this task's
 * earlier draws of the year, as the replacements up to the prior one
 * left them: the slots as drawn, counted in SQL, then each replaced slot
 * moved from its drawn inspector to its latest replacement's. (No
 * subquery per slot: a year of a province's draws is millions of them.)
 */
static int
load_loads(struct build *b, struct cred_count **out, size_t *nout)
{
	struct db_stmt	*st, *sa;
	struct cred_count *v = NULL;
	const char	*p, *end, *line, *tab;
	size_t		 n = 0, cap = 0, len, i, j;
	int		 year, m, d, rc;

	*out = NULL;
	*nout = 0;
	date_to_ymd(b->batch->draw_date, &year, &m, &d);
	/*
	 * Each draw's slots per inspector: its summary's lines
	 * ("CREDENTIAL\tN"), else (a draw before schema 6) counted in SQL.
	 */
	st = db_prepare(b->db, "SELECT w.id, s.loads FROM draw w JOIN "
	    "commitment c ON c.id = w.commitment LEFT JOIN draw_summary s ON "
	    "s.draw = w.id WHERE w.id <= ?1 AND c.task = ?2 AND c.year = ?3");
	sa = db_prepare(b->db, "SELECT credential, count(*) FROM assignment "
	    "WHERE draw = ?1 GROUP BY credential");
	if (st == NULL || sa == NULL) {
		db_finalize(st);
		db_finalize(sa);
		return -1;
	}
	db_bind_int(st, 1, b->prior->draw);
	db_bind_text(st, 2, b->task->id, SIZE_MAX);
	db_bind_int(st, 3, year);
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_col_isnull(st, 1)) {
			db_bind_int(sa, 1, db_col_int(st, 0));
			while ((rc = db_step(sa)) == DB_ROW) {
				cred_count_room(&v, n, &cap);
				v[n].cred = xstrdup(db_col_text(sa, 0));
				v[n++].n = db_col_int(sa, 1);
			}
			db_reset(sa);
			if (rc != DB_DONE)
				break;
			continue;
		}
		p = db_col_text(st, 1);
		end = p + strlen(p);
		while (frame_next_line(&p, end, &line, &len) == 1 &&
		    (tab = memchr(line, '\t', len)) != NULL) {
			cred_count_room(&v, n, &cap);
			v[n].cred = xstrndup(line, (size_t)(tab - line));
			v[n++].n = strtoll(tab + 1, NULL, 10);
		}
	}
	db_finalize(st);
	db_finalize(sa);
	/* One entry a credential, the draws' counts summed. */
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_cred_count);
	for (i = j = 0; i < n; i++) {
		if (j > 0 && strcmp(v[j - 1].cred, v[i].cred) == 0) {
			v[j - 1].n += v[i].n;
			free(v[i].cred);
		} else
			v[j++] = v[i];
	}
	*out = v;
	*nout = j;
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(b->db, "SELECT a.credential, " SLOT_AS_OF " FROM "
	    "(SELECT DISTINCT draw, rank, slot FROM replacement WHERE id <= ?2 "
	    "AND draw <= ?1) p JOIN assignment a ON a.draw = p.draw AND "
	    "a.rank = p.rank AND a.slot = p.slot JOIN draw w ON w.id = a.draw "
	    "JOIN commitment c ON c.id = w.commitment WHERE c.task = ?3 AND "
	    "c.year = ?4");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, b->prior->draw);
	db_bind_int(st, 2, b->prior->replacement);
	db_bind_text(st, 3, b->task->id, SIZE_MAX);
	db_bind_int(st, 4, year);
	while ((rc = db_step(st)) == DB_ROW) {
		count_add(out, nout, db_col_text(st, 0), -1);
		count_add(out, nout, db_col_text(st, 1), 1);
	}
	db_finalize(st);
	/* Those the replacements took every slot from are none. */
	for (i = j = 0; i < *nout; i++) {
		if ((*out)[i].n > 0)
			(*out)[j++] = (*out)[i];
		else
			free((*out)[i].cred);
	}
	*nout = j;
	/* SQLite's ORDER BY is by its collation; ours is by bytes. */
	if (*nout > 1)
		qsort(*out, *nout, sizeof(**out), cmp_cred_count);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * Active inspectors with a credential valid through the window: of the
 * task's departments, and experts of any.
 */
static int
build_inspectors(struct build *b, char ***creds, size_t *ncreds)
{
	const struct config_task	*t = b->task;
	struct db_stmt			*st = NULL;
	struct cred_count		*loads = NULL, key, *found;
	char				 end[DATE_STR_LEN];
	const char			*cred, *next_cred;
	size_t				 nloads = 0, i;
	int				 rc = DB_DONE, ours;

	*creds = NULL;
	*ncreds = 0;
	if (load_loads(b, &loads, &nloads) == -1)
		goto out;
	date_format(b->batch->window_to, end);
	st = db_prepare(b->db, "SELECT credential, present, department, "
	    "jurisdiction, qualifications, valid_until, active, expert "
	    "FROM inspector_rev WHERE snapshot <= ?1 "
	    "ORDER BY credential, snapshot DESC");
	if (st == NULL) {
		rc = DB_ERROR;
		goto out;
	}
	db_bind_int(st, 1, b->snapshot);
	next_cred = NULL;
	rc = db_step(st);
	while (rc == DB_ROW) {
		/* The first row of each credential is its latest revision. */
		cred = xstrdup(db_col_text(st, 0));
		ours = strcmp(db_col_text(st, 2), t->lead) == 0 ||
		    in_list(db_col_text(st, 2), t->joint, t->njoint) ||
		    db_col_int(st, 7);
		if (db_col_int(st, 1) && db_col_int(st, 6) && ours &&
		    strcmp(db_col_text(st, 5), end) >= 0) {
			key.cred = (char *)(uintptr_t)cred;
			found = nloads == 0 ? NULL : bsearch(&key, loads,
			    nloads, sizeof(*loads), cmp_cred_count);
			sink_printf(&b->sink[FRAME_INSPECTORS],
			    "%s\t%s\t%s\t%s\t%s\t%d\t%lld\n", cred,
			    db_col_text(st, 2), db_col_text(st, 3),
			    db_col_text(st, 4), db_col_text(st, 5),
			    (int)db_col_int(st, 7),
			    found != NULL ? (long long)found->n : 0LL);
			*creds = xreallocarray(*creds, *ncreds + 1,
			    sizeof(char *));
			(*creds)[(*ncreds)++] = xstrdup(cred);
			b->fr->ninspectors++;
		}
		while ((rc = db_step(st)) == DB_ROW &&
		    (next_cred = db_col_text(st, 0)) != NULL &&
		    strcmp(next_cred, cred) == 0)
			;
		free((char *)(uintptr_t)cred);
	}
out:
	db_finalize(st);
	for (i = 0; i < nloads; i++)
		free(loads[i].cred);
	free(loads);
	return rc == DB_DONE ? 0 : -1;
}

/* One line of conflicts.txt: "CRED\tID\tKIND". */
static void
add_pair(char ***v, size_t *n, const char *cred, const char *id,
    const char *kind)
{
	*v = xreallocarray(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = xasprintf("%s\t%s\t%s", cred, id, kind);
}

/*
 * Rotation: each pool target's team in its latest earlier draw (as
 * the walk found it), as the replacements up to the prior one left
 * it.
 */
static int
load_rotations(struct build *b, char *const *creds, size_t ncreds,
    char ***pairs, size_t *npairs)
{
	struct db_stmt		*st;
	const struct latest_draw *l;
	char			 id[DSR_ID_MAX + 1];
	size_t			 i;
	int			 rc = DB_DONE;

	if (!b->task->rotation)
		return 0;
	st = db_prepare(b->db, "SELECT " SLOT_AS_OF " FROM assignment a "
	    "WHERE a.draw = ?1 AND a.rank = ?3");
	if (st == NULL)
		return -1;
	for (i = 0; i < b->nlatest && rc == DB_DONE; i++) {
		l = &b->latest[i];
		id_unpack(&l->key, id);
		db_bind_int(st, 1, l->draw);
		db_bind_int(st, 2, b->prior->replacement);
		db_bind_int(st, 3, l->rank);
		while ((rc = db_step(st)) == DB_ROW)
			if (in_sorted(db_col_text(st, 0), creds, ncreds))
				add_pair(pairs, npairs, db_col_text(st, 0), id,
				    "rotation");
		db_reset(st);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * conflicts.txt: each pair of a frame inspector and a pool target once,
 * by (credential, id), of the recusals in force and the rotations;
 * "recusal" sorts before "rotation", and wins.
 */
static int
build_conflicts(struct build *b, char *const *creds, size_t ncreds)
{
	char		**pairs = NULL;
	size_t		 npairs = 0, i, len, prev = 0;
	uint32_t	 division;
	int		 ret = -1;

	for (i = 0; i < b->nrecusals; i++)
		if (in_sorted(b->recusals[i].cred, creds, ncreds) &&
		    pool_division(b, b->recusals[i].id, &division))
			add_pair(&pairs, &npairs, b->recusals[i].cred,
			    b->recusals[i].id, "recusal");
	if (load_rotations(b, creds, ncreds, &pairs, &npairs) == -1)
		goto out;
	if (npairs > 1)
		qsort(pairs, npairs, sizeof(char *), cmp_str);
	for (i = 0; i < npairs; i++) {
		len = (size_t)(strrchr(pairs[i], '\t') - pairs[i]);
		if (i > 0 && prev == len &&
		    memcmp(pairs[i - 1], pairs[i], len) == 0)
			continue;
		prev = len;
		sink_printf(&b->sink[FRAME_CONFLICTS], "%s\n", pairs[i]);
		b->fr->nconflicts++;
		if (b->flags & FRAME_KEEP_SHAPE)
			shape_conflicted(b, pairs[i]);
	}
	ret = 0;
out:
	for (i = 0; i < npairs; i++)
		free(pairs[i]);
	free(pairs);
	return ret;
}

static void
put_list(struct buf *out, char *const *v, size_t n)
{
	size_t	 i;

	if (n == 0)
		buf_addch(out, '-');
	for (i = 0; i < n; i++)
		buf_printf(out, "%s%s", i > 0 ? ";" : "", v[i]);
}

static void
put_limit(struct buf *out, int64_t v)
{
	if (v < 0)
		buf_addstr(out, " -");
	else
		buf_printf(out, " %lld", (long long)v);
}

/*
 * A require line: what the inspectors of department dept need, the
 * qualifications of the task's items that are its own or of no
 * participating department (of all its items when the task is not joint).
 */
static void
put_require(struct buf *out, const struct config *cfg,
    const struct config_task *t, const char *dept)
{
	const struct config_item	*item;
	char				**quals = NULL;
	size_t				 n = 0, i, j;

	for (i = 0; i < t->nitems; i++) {
		item = config_find_item(cfg, t->items[i]);
		if (item == NULL || item->qualification == NULL)
			continue;
		if (t->njoint > 0 && strcmp(item->department, dept) != 0 &&
		    (strcmp(item->department, t->lead) == 0 ||
		    in_list(item->department, t->joint, t->njoint)))
			continue;
		for (j = 0; j < n && strcmp(quals[j],
		    item->qualification) != 0; j++)
			;
		if (j == n) {
			quals = xreallocarray(quals, n + 1, sizeof(char *));
			quals[n++] = item->qualification;
		}
	}
	if (n > 1)
		qsort(quals, n, sizeof(char *), cmp_str);
	buf_printf(out, "require %s ", dept);
	put_list(out, quals, n);
	buf_addch(out, '\n');
	free(quals);
}

/* parameters.txt, once the strata are counted. */
static int
build_parameters(struct build *b)
{
	const struct config_task	*t = b->task;
	const struct config_batch	*bt = b->batch;
	struct frame			*fr = b->fr;
	struct frame_stratum		*h;
	struct buf			 out = BUF_INIT;
	char				 d1[DATE_STR_LEN], d2[DATE_STR_LEN];
	char				 hex[CRYPTO_DIGEST_HEX];
	size_t				 i;

	crypto_hex(b->cfg->digest, sizeof(b->cfg->digest), hex);
	buf_printf(&out, "plan %s\nplan-blake2b-256 %s\ntask %s\nbatch %s\n"
	    "items ", b->cfg->plan_id, hex, t->id, bt->id);
	put_list(&out, t->items, t->nitems);
	buf_printf(&out, "\nlead %s\njoint ", t->lead);
	put_list(&out, t->joint, t->njoint);
	buf_printf(&out, "\ndraw-date %s\n", date_format(bt->draw_date, d1));
	buf_printf(&out, "window %s %s\n", date_format(bt->window_from, d1),
	    date_format(bt->window_to, d2));
	buf_printf(&out, "snapshot %lld\nrisk-month %04d-%02d\n",
	    (long long)b->snapshot, b->month / 12, b->month % 12 + 1);
	buf_printf(&out, "team-size %d\nexperts %d\ncap-per-batch", t->team_size,
	    t->experts);
	put_limit(&out, t->cap_per_batch > 0 ? t->cap_per_batch : -1);
	buf_addstr(&out, "\ncap-per-year");
	put_limit(&out, t->cap_per_year > 0 ? t->cap_per_year : -1);
	buf_addch(&out, '\n');
	put_require(&out, b->cfg, t, t->lead);
	for (i = 0; i < t->njoint; i++)
		put_require(&out, b->cfg, t, t->joint[i]);
	for (i = 0; i < fr->nstrata; i++) {
		h = &fr->strata[i];
		if (i == 0)
			h->sample = h->population;
		else if (dsr_sample_size(h->population, h->num, h->den, h->min,
		    h->max, &h->sample) == -1) {
			buf_release(&out);
			return error("stratum '%s': %llu targets at %llu/%llu "
			    "overflow the sample size", h->name,
			    (unsigned long long)h->population,
			    (unsigned long long)h->num,
			    (unsigned long long)h->den);
		}
		buf_printf(&out, "stratum %s %llu %llu/%llu", h->name,
		    (unsigned long long)h->population,
		    (unsigned long long)h->num, (unsigned long long)h->den);
		put_limit(&out, h->min);
		put_limit(&out, h->max);
		buf_printf(&out, " %llu\n", (unsigned long long)h->sample);
	}
	sink_add(&b->sink[FRAME_PARAMETERS], out.data, out.len);
	buf_release(&out);
	return 0;
}

int
frame_build(struct db *db, const struct config *cfg,
    const struct config_task *task, const struct config_batch *batch,
    int64_t snapshot, const struct frame_prior *prior, int flags,
    const char *dir, struct frame *fr)
{
	struct build	 b;
	char		**creds = NULL;
	size_t		 ncreds = 0, i;
	int64_t		 latest;
	uint64_t	 t0, t1, t2;
	int		 y, m, d, ret = -1;

	memset(fr, 0, sizeof(*fr));
	memset(&b, 0, sizeof(b));
	b.db = db;
	b.cfg = cfg;
	b.task = task;
	b.batch = batch;
	b.snapshot = snapshot;
	b.prior = prior;
	b.fr = fr;
	b.flags = flags;
	fr->snapshot = snapshot;
	date_to_ymd(batch->draw_date, &y, &m, &d);
	b.month = y * 12 + m - 1;
	if (db_query_int(db, "SELECT max(id) FROM snapshot", &latest) == -1 ||
	    ((flags & FRAME_STORE) && frame_store_open(&b.store, db) == -1))
		goto out;
	b.current = latest == snapshot && !(flags & FRAME_REVISIONS);
	for (i = 0; i < FRAME_NFILES; i++)
		if (sink_init(&b.sink[i], (enum frame_file)i,
		    (flags & FRAME_KEEP_TEXT) || i == FRAME_INSPECTORS ||
		    i == FRAME_CONFLICTS || i == FRAME_PARAMETERS,
		    flags & FRAME_WRITE(i) ? dir : NULL,
		    flags & FRAME_STORE ? &b.store : NULL) == -1)
			goto out;
	t0 = mono_ms();
	if (build_targets(&b) == -1)
		goto out;
	t1 = mono_ms();
	if (build_inspectors(&b, &creds, &ncreds) == -1)
		goto out;
	t2 = mono_ms();
	if (build_conflicts(&b, creds, ncreds) == -1 ||
	    build_parameters(&b) == -1)
		goto out;
	log_debug("frames: targets %llu ms, inspectors %llu ms, conflicts "
	    "%llu ms (%s)", (unsigned long long)(t1 - t0),
	    (unsigned long long)(t2 - t1),
	    (unsigned long long)(mono_ms() - t2), b.current ?
	    "current tables" : "revisions");
	for (i = 0; i < FRAME_NFILES; i++)
		if (sink_close(&b, (enum frame_file)i) == -1)
			goto out;
	ret = 0;
out:
	for (i = 0; i < FRAME_NFILES; i++) {
		sink_release(&b.sink[i]);
		if (b.sink[i].keeping)
			frame_store_out_abort(&b.sink[i].kept);
		if (b.sink[i].writing)
			file_out_abort(&b.sink[i].out);
	}
	frame_store_close(&b.store);
	free(b.ev);
	free(b.latest);
	for (i = 0; i < b.nrecusals; i++) {
		free(b.recusals[i].cred);
		free(b.recusals[i].id);
	}
	free(b.recusals);
	free(b.watch);
	for (i = 0; i < ncreds; i++)
		free(creds[i]);
	free(creds);
	if (ret == -1)
		frame_release(fr);
	return ret;
}

void
frame_release(struct frame *fr)
{
	size_t	 i;

	free(fr->targets);
	free(fr->shape);
	for (i = 0; i < FRAME_NFILES; i++)
		free(fr->text[i]);
	memset(fr, 0, sizeof(*fr));
}

/* The verifier's side: the frames read back from their text. */

int
frame_next_line(const char **p, const char *end, const char **line,
    size_t *len)
{
	const char	*nl;

	if (*p >= end)
		return 0;
	*line = *p;
	if ((nl = memchr(*p, '\n', (size_t)(end - *p))) == NULL)
		return -1;
	*len = (size_t)(nl - *p);
	*p = nl + 1;
	return 1;
}

static int
find_stratum(const struct frame *fr, const char *name, size_t len)
{
	size_t	 i;

	/* (a line each of a province's targets: the length last) */
	for (i = 0; i < fr->nstrata && len < sizeof(fr->strata[i].name); i++)
		if (memcmp(fr->strata[i].name, name, len) == 0 &&
		    strlen(fr->strata[i].name) == len)
			return (int)i;
	return -1;
}

static int
parse_limit(const char *s, int64_t *out)
{
	if (strcmp(s, "-") == 0) {
		*out = -1;
		return 0;
	}
	return num_parse_i64(s, 0, INT64_MAX, out);
}

/* "stratum NAME N NUM/DEN MIN MAX n" */
static int
parse_stratum(const char *line, size_t len, struct frame_stratum *h)
{
	char		 copy[256], min[32], max[32];
	unsigned long long n, num, den, sample;
	int		 used = 0;

	if (len >= sizeof(copy))
		return -1;
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (sscanf(copy, "stratum %31s %llu %llu/%llu %31s %31s %llu%n",
	    h->name, &n, &num, &den, min, max, &sample, &used) != 7 ||
	    (size_t)used != len || den == 0 || num > den ||
	    parse_limit(min, &h->min) == -1 ||
	    parse_limit(max, &h->max) == -1)
		return -1;
	h->population = n;
	h->num = num;
	h->den = den;
	h->sample = sample;
	return 0;
}

/* parameters.txt: the strata, in order. */
static int
parse_parameters(const char *parameters, size_t plen, struct frame *fr,
    char **err)
{
	const char	*p = parameters, *end = parameters + plen, *line;
	size_t		 len, lineno;
	int		 rc;

	for (lineno = 1; (rc = frame_next_line(&p, end, &line, &len)) == 1;
	    lineno++) {
		if (lineno == 1) {
			if (len != strlen(frame_magic[FRAME_PARAMETERS]) - 1 ||
			    memcmp(line, frame_magic[FRAME_PARAMETERS], len)
			    != 0)
				goto bad;
			continue;
		}
		if (len < 8 || memcmp(line, "stratum ", 8) != 0)
			continue;
		if (fr->nstrata == DSR_MAX_STRATA ||
		    parse_stratum(line, len, &fr->strata[fr->nstrata]) == -1 ||
		    find_stratum(fr, fr->strata[fr->nstrata].name,
		    strlen(fr->strata[fr->nstrata].name)) >= 0)
			goto bad;
		fr->nstrata++;
	}
	if (rc == -1 || lineno == 1 || fr->nstrata == 0)
		goto bad;
	return 0;
bad:
	*err = xasprintf("parameters.txt:%zu: %s", lineno, rc == -1 ?
	    "no newline at the end" : "not a DSR-1 parameters line");
	return -1;
}

/*
 * Room for the targets parameters.txt announces, but no more than a file
 * of size bytes can hold (a line has at least 11): a forged count must
 * not make the verifier allocate what it likes.
 */
static void
targets_alloc(struct frame *fr, uint64_t size)
{
	uint64_t	 n = 0;
	size_t		 k;

	for (k = 0; k < fr->nstrata; k++)
		n += fr->strata[k].population;
	if (n > size / 11)
		n = size / 11;
	fr->targets = xcalloc_huge(n > 0 ? (size_t)n : 1,
	    sizeof(*fr->targets));
	fr->cap = (size_t)n;
}

/*
 * One line of targets.txt after the first: id TAB stratum TAB division,
 * into t (its ticket zero).
 */
static int
read_target(const struct frame *fr, const char *line, size_t len,
    struct dsr_target *t)
{
	const char		*tab1, *tab2;
	size_t			 idlen;
	uint64_t		 division;
	int			 k;

	if ((tab1 = memchr(line, '\t', len)) == NULL ||
	    (tab2 = memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 -
	    line))) == NULL)
		return -1;
	idlen = (size_t)(tab1 - line);
	if (idlen == 0 || idlen > DSR_ID_MAX ||
	    (k = find_stratum(fr, tab1 + 1, (size_t)(tab2 - tab1 - 1))) < 0 ||
	    line + len - tab2 - 1 != 6 ||
	    num_parse_u64n(tab2 + 1, 6, 0, 999999, &division) == -1)
		return -1;
	memset(t, 0, sizeof(*t));
	memcpy(t->id, line, idlen);
	t->stratum = (uint8_t)k;
	t->division = (uint32_t)division;
	return 0;
}

/* The line appended to fr->targets, after the one before it by id. */
static int
parse_target(struct frame *fr, const char *line, size_t len)
{
	struct dsr_target	*t;

	if (fr->ntargets == fr->cap)
		return -1;
	t = &fr->targets[fr->ntargets];
	if (read_target(fr, line, len, t) == -1 || (fr->ntargets > 0 &&
	    strcmp(fr->targets[fr->ntargets - 1].id, t->id) >= 0))
		return -1;
	fr->ntargets++;
	return 0;
}

/* After the last line: every stratum as large as parameters.txt says. */
static int
check_counts(const struct frame *fr, const uint64_t *count, char **err)
{
	size_t		 k;

	for (k = 0; k < fr->nstrata; k++)
		if (count[k] != fr->strata[k].population) {
			*err = xasprintf("parameters.txt: stratum '%s' has %llu "
			    "targets, targets.txt %llu", fr->strata[k].name,
			    (unsigned long long)fr->strata[k].population,
			    (unsigned long long)count[k]);
			return -1;
		}
	return 0;
}

/* check_counts of the targets parsed into fr. */
static int
check_parsed(const struct frame *fr, char **err)
{
	uint64_t	 count[DSR_MAX_STRATA];
	size_t		 i;

	memset(count, 0, sizeof(count));
	for (i = 0; i < fr->ntargets; i++)
		count[fr->targets[i].stratum]++;
	return check_counts(fr, count, err);
}

static int
is_magic(const char *line, size_t len, enum frame_file f)
{
	return len == strlen(frame_magic[f]) - 1 &&
	    memcmp(line, frame_magic[f], len) == 0;
}

/*
 * Targets read for only the sample a ticket key selects: each line's
 * ticket made and offered to a dsr_pick as it is read, the strata
 * counted, the order checked against the line before. On two threads,
 * the second core otherwise idle but for hashing: of each three blocks
 * of SAMPLER_BLOCK lines, the caller's thread (part 0), which also reads
 * the file and hands it to the others, parses one and a second thread
 * (part 1) two. Both read every byte for the line breaks; each parses
 * only its own blocks, and keeps the id of the line before each of them
 * to check the order across. Picks and counts are merged at the end; a
 * target's place is its line's, whichever part read it.
 */
#define SAMPLER_BLOCK	1024
#define SAMPLER_PART(block)	((block) % 3 == 0 ? 0u : 1u)

struct sampler_part {
	const struct frame	*fr;
	const unsigned char	*key;
	struct dsr_pick		*pick;
	unsigned int		 mine;		/* SAMPLER_PART of its blocks */
	struct buf		 carry;		/* a line cut by a read's end */
	uint64_t		 lines;		/* seen, the magic line included */
	uint64_t		 bad;		/* the first bad line's number */
	char			 last[DSR_ID_MAX + 1];	/* the line before's id */
	size_t			 lastlen;
	uint64_t		 count[DSR_MAX_STRATA];
};

struct sampler {
	const unsigned char	*key;		/* the tickets' */
	int			 exact;		/* picks without populations */
	struct sampler_part	 part[2];
	struct bg		*second;	/* part 1's thread */
};

/* A line of the part's own: parsed, ordered, ticketed and offered. */
static int
sampler_target(struct sampler_part *pt, const char *line, size_t len,
    uint64_t pos)
{
	struct dsr_target	 t;
	size_t			 idlen;
	int			 c;

	if (read_target(pt->fr, line, len, &t) == -1)
		return -1;
	idlen = strlen(t.id);
	/* strcmp's order, with both lengths known */
	c = memcmp(pt->last, t.id, pt->lastlen < idlen ? pt->lastlen : idlen);
	if (c > 0 || (c == 0 && pt->lastlen >= idlen))
		return -1;
	memcpy(pt->last, t.id, idlen + 1);
	pt->lastlen = idlen;
	dsr_ticket(pt->key, t.id, idlen, t.ticket);
	pt->count[t.stratum]++;
	return dsr_pick_add(pt->pick, &t, pos);
}

static void
sampler_line(void *arg, const char *line, size_t len)
{
	struct sampler_part *pt = arg;
	const char	*tab;
	uint64_t	 n = pt->lines++;	/* 0: the magic line */
	size_t		 idlen;

	if (pt->bad != 0)
		return;
	if (n == 0) {
		if (!is_magic(line, len, FRAME_TARGETS))
			pt->bad = 1;
		return;
	}
	if (SAMPLER_PART((n - 1) / SAMPLER_BLOCK) == pt->mine) {
		if (sampler_target(pt, line, len, n - 1) == -1)
			pt->bad = n + 1;
		return;
	}
	/* The other part's block: its last id, for this part's next line. */
	if (n % SAMPLER_BLOCK != 0)
		return;
	tab = memchr(line, '\t', len);
	idlen = tab != NULL ? (size_t)(tab - line) : len;
	if (idlen > DSR_ID_MAX)
		idlen = DSR_ID_MAX;	/* a bad line, which its part reports */
	memcpy(pt->last, line, idlen);
	pt->last[idlen] = '\0';
	pt->lastlen = strlen(pt->last);
}

/*
 * A file's bytes as they come, in lines to fn (without the newline);
 * carry holds a line cut by the end of the bytes until the next ones.
 */
static void
split_lines(struct buf *carry, const void *bytes, size_t len,
    void (*fn)(void *, const char *, size_t), void *arg)
{
	const char	*p = bytes, *end = p + len, *nl;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			buf_add(carry, p, (size_t)(end - p));
			return;
		}
		if (carry->len > 0) {
			buf_add(carry, p, (size_t)(nl - p));
			fn(arg, carry->data, carry->len);
			buf_reset(carry);
		} else
			fn(arg, p, (size_t)(nl - p));
		p = nl + 1;
	}
}

/* Every byte of the file in order, to each part (bg's callback for 1). */
static void
sampler_part_bytes(void *arg, const void *bytes, size_t len)
{
	struct sampler_part	*pt = arg;

	split_lines(&pt->carry, bytes, len, sampler_line, pt);
}

/* Once parameters.txt gave the strata (sm's key and exact set). */
static void
sampler_start(struct sampler *sm, const struct frame *fr)
{
	uint64_t	 sample[DSR_MAX_STRATA], population[DSR_MAX_STRATA];
	size_t		 i;

	for (i = 0; i < fr->nstrata; i++) {
		sample[i] = fr->strata[i].sample;
		population[i] = fr->strata[i].population;
	}
	memset(sm->part, 0, sizeof(sm->part));
	for (i = 0; i < 2; i++) {
		sm->part[i].fr = fr;
		sm->part[i].key = sm->key;
		sm->part[i].pick = dsr_pick_new(sample, sm->exact ? NULL :
		    population, fr->nstrata);
		sm->part[i].mine = (unsigned int)i;
		buf_init(&sm->part[i].carry);
	}
	sm->second = bg_start(sampler_part_bytes, &sm->part[1]);
}

static void
sampler_bytes(struct sampler *sm, const void *bytes, size_t len)
{
	bg_add(sm->second, bytes, len);
	sampler_part_bytes(&sm->part[0], bytes, len);
}

/*
 * After the last byte: 0, or the number of the first bad line (*cut: the
 * last line, with no newline at its end). Then the targets are counted
 * in fr, and by stratum in part 0's count, for check_counts.
 */
static uint64_t
sampler_close(struct sampler *sm, struct frame *fr, int *cut)
{
	uint64_t	 bad0, bad1;
	size_t		 i;

	bg_finish(sm->second);
	sm->second = NULL;
	*cut = 0;
	bad0 = sm->part[0].bad;
	bad1 = sm->part[1].bad;
	if (bad0 != 0 && (bad1 == 0 || bad0 < bad1))
		return bad0;
	if (bad1 != 0)
		return bad1;
	if (sm->part[0].carry.len > 0) {
		*cut = 1;
		return sm->part[0].lines + 1;
	}
	if (sm->part[0].lines == 0)
		return 1;
	fr->ntargets = sm->part[0].lines - 1;
	for (i = 0; i < DSR_MAX_STRATA; i++)
		sm->part[0].count[i] += sm->part[1].count[i];
	return 0;
}

/*
 * After sampler_close found no bad line and the counts right: the sample
 * into fr, or 1: read the file again, sm->exact (dsr_pick_finish).
 */
static int
sampler_finish(struct sampler *sm, struct frame *fr, size_t **sel,
    size_t *nsel, char **err)
{
	int	 rc;

	dsr_pick_merge(sm->part[0].pick, sm->part[1].pick);
	sm->part[1].pick = NULL;
	if ((rc = dsr_pick_finish(sm->part[0].pick, &fr->targets, sel,
	    nsel)) == -1)
		*err = xstrdup("parameters.txt: a stratum's sample is larger "
		    "than the stratum");
	return rc;
}

static void
sampler_free(struct sampler *sm)
{
	size_t	 i;

	bg_finish(sm->second);
	sm->second = NULL;
	for (i = 0; i < 2; i++) {
		dsr_pick_free(sm->part[i].pick);
		sm->part[i].pick = NULL;
		buf_release(&sm->part[i].carry);
	}
}

int
frame_parse(const char *targets, size_t tlen, const char *parameters,
    size_t plen, struct frame *fr, char **err)
{
	const char	*p = targets, *end = targets + tlen, *line;
	size_t		 len, lineno;
	int		 rc;

	memset(fr, 0, sizeof(*fr));
	*err = NULL;
	if (parse_parameters(parameters, plen, fr, err) == -1)
		goto fail;
	targets_alloc(fr, tlen);
	for (lineno = 1; (rc = frame_next_line(&p, end, &line, &len)) == 1;
	    lineno++)
		if (lineno == 1 ? !is_magic(line, len, FRAME_TARGETS) :
		    parse_target(fr, line, len) == -1)
			goto bad;
	if (rc == -1 || lineno == 1)
		goto bad;
	if (check_parsed(fr, err) == -1)
		goto fail;
	return 0;
bad:
	*err = xasprintf("targets.txt:%zu: %s", lineno, rc == -1 ?
	    "no newline at the end" : "not a DSR-1 target line in id order");
fail:
	frame_release(fr);
	return -1;
}

/* frame_read_targets' two digests, on one second thread. */
struct file_digests {
	struct crypto_digest	 d256;
	struct crypto_digest	 d512;
	int			 wide;
};

static void
file_digests_consume(void *arg, const void *p, size_t n)
{
	struct file_digests	*fd = arg;

	crypto_digest_update(&fd->d256, p, n);
	if (fd->wide)
		crypto_digest_update(&fd->d512, p, n);
}

/* What frame_read_targets reads at once of a targets file to sample. */
#define READ_BYTES	((size_t)1 << 20)

/* frame_read_targets' one reading; *again: read it again, exact. */
static int
read_targets(FILE *fp, const char *parameters, size_t plen,
    const unsigned char *key, int exact, struct frame *fr,
    unsigned char digest[CRYPTO_DIGEST_BYTES],
    unsigned char prehash[CRYPTO_DIGEST512_BYTES], size_t **sel,
    size_t *nsel, char **err, int *again)
{
	struct file_digests	 fd;
	struct sampler		 sm;
	struct bg		*hashing;
	struct stat		 st;
	char			*line = NULL;
	size_t			 cap = 0, lineno = 0, len;
	ssize_t			 n;
	uint64_t		 bad;
	int			 sampling = 0, cut, ret = -1;

	*again = 0;
	memset(fr, 0, sizeof(*fr));
	memset(&sm, 0, sizeof(sm));
	*err = NULL;
	if (fstat(fileno(fp), &st) == -1) {
		*err = xasprintf("targets.txt: %s", strerror(errno));
		return -1;
	}
	if (parse_parameters(parameters, plen, fr, err) == -1)
		frame_release(fr);
	else if (key != NULL) {
		sm.key = key;
		sm.exact = exact;
		sampler_start(&sm, fr);
		sampling = 1;
	} else
		targets_alloc(fr, (uint64_t)st.st_size);
	crypto_digest_init(&fd.d256, CRYPTO_DIGEST_BYTES);
	crypto_digest_init(&fd.d512, CRYPTO_DIGEST512_BYTES);
	fd.wide = prehash != NULL;
	hashing = bg_start(file_digests_consume, &fd);
	/* A bad line ends the parsing, not the reading: the digests are
	 * the whole file's, for the caller to compare first. */
	if (key != NULL) {
		line = xmalloc(READ_BYTES);
		while ((len = fread(line, 1, READ_BYTES, fp)) > 0) {
			bg_add(hashing, line, len);
			if (sampling)
				sampler_bytes(&sm, line, len);
		}
	} else
		while ((n = getline(&line, &cap, fp)) > 0) {
			lineno++;
			bg_add(hashing, line, (size_t)n);
			if (*err != NULL)
				continue;
			len = (size_t)n - 1;
			if (line[len] != '\n' || (lineno == 1 ?
			    !is_magic(line, len, FRAME_TARGETS) :
			    parse_target(fr, line, len) == -1)) {
				*err = xasprintf("targets.txt:%zu: %s", lineno,
				    line[len] != '\n' ? "no newline at the end" :
				    "not a DSR-1 target line in id order");
				frame_release(fr);
			}
		}
	bg_finish(hashing);
	if (ferror(fp)) {
		sampler_free(&sm);	/* its thread reads fr */
		free(*err);
		*err = xasprintf("targets.txt: %s", strerror(errno));
		frame_release(fr);
		goto out;
	}
	crypto_digest_final(&fd.d256, digest);
	if (prehash != NULL)
		crypto_digest_final(&fd.d512, prehash);
	if (sampling) {
		if ((bad = sampler_close(&sm, fr, &cut)) != 0)
			*err = xasprintf("targets.txt:%llu: %s",
			    (unsigned long long)bad, cut ?
			    "no newline at the end" :
			    "not a DSR-1 target line in id order");
		else if (check_counts(fr, sm.part[0].count, err) == 0 &&
		    sampler_finish(&sm, fr, sel, nsel, err) == 1)
			*again = 1;
		if (*err != NULL || *again)
			frame_release(fr);
	} else if (*err == NULL && lineno == 0) {
		*err = xstrdup("targets.txt:1: not a DSR-1 target line in id "
		    "order");
		frame_release(fr);
	} else if (*err == NULL && check_parsed(fr, err) == -1)
		frame_release(fr);
	ret = 0;
out:
	sampler_free(&sm);
	free(line);
	return ret;
}

int
frame_read_targets(FILE *fp, const char *parameters, size_t plen,
    const unsigned char *key, struct frame *fr,
    unsigned char digest[CRYPTO_DIGEST_BYTES],
    unsigned char prehash[CRYPTO_DIGEST512_BYTES], size_t **sel,
    size_t *nsel, char **err)
{
	unsigned char	 first[CRYPTO_DIGEST_BYTES];
	int		 again, rc;

	if ((rc = read_targets(fp, parameters, plen, key, 0, fr, digest,
	    prehash, sel, nsel, err, &again)) == -1 || !again)
		return rc;
	/* What it selects was not all under the first bounds: all of it. */
	memcpy(first, digest, sizeof(first));
	if (fseeko(fp, 0, SEEK_SET) == -1) {
		*err = xasprintf("targets.txt: %s", strerror(errno));
		return -1;
	}
	if (read_targets(fp, parameters, plen, key, 1, fr, digest, prehash,
	    sel, nsel, err, &again) == -1)
		return -1;
	if (*err == NULL && memcmp(first, digest, sizeof(first)) != 0) {
		*err = xstrdup("targets.txt: changed while it was read");
		frame_release(fr);
		free(*sel);
		*sel = NULL;
	}
	return 0;
}

/* Frames kept at commit, read back. */

struct loader {
	struct frame		*fr;
	enum frame_file		 f;
	int			 parse;		/* targets into fr->targets */
	struct buf		 carry;		/* a line cut by a read's end */
	size_t			 lineno;
	uint64_t		 lines;
	int			 bad;
	struct crypto_digest	 d;
	struct bg		*hashing;	/* d on a second thread */
	uint64_t		 total;
	FILE			*out;		/* a copy, or NULL */
	struct buf		*text;		/* a copy, or NULL */
	struct sampler		*sampler;	/* or only the sample, by it */
};

static void
load_line(void *arg, const char *line, size_t len)
{
	struct loader	*l = arg;

	l->lineno++;
	l->lines++;
	if (!l->parse || l->bad)
		return;
	if (l->lineno == 1 ? !is_magic(line, len, FRAME_TARGETS) :
	    parse_target(l->fr, line, len) == -1)
		l->bad = 1;
}

/* frame_store_read's callback: the bytes hashed, copied and parsed. */
static void
load_bytes(void *arg, const void *bytes, size_t len)
{
	struct loader	*l = arg;

	l->total += len;
	bg_add(l->hashing, bytes, len);
	if (l->out != NULL)
		fwrite(bytes, 1, len, l->out);
	if (l->text != NULL)
		buf_add(l->text, bytes, len);
	if (l->sampler != NULL)
		sampler_bytes(l->sampler, bytes, len);
	else
		split_lines(&l->carry, bytes, len, load_line, l);
}

/*
 * One kept file, checked against its digest want; the targets parsed as
 * flags say, or (sampler given) only the sample they select.
 */
static int
load_file(struct db *db, enum frame_file f,
    const unsigned char want[CRYPTO_DIGEST_BYTES], int flags,
    const char *dir, struct sampler *sampler, struct frame *fr)
{
	struct loader		 l;
	struct file_out		 out;
	struct buf		 text = BUF_INIT;
	unsigned char		 got[CRYPTO_DIGEST_BYTES];
	char			*path, *where = NULL, *err = NULL;
	const char		*advice = NULL;
	int64_t			 size;
	int			 rc, keep, cut, writing = 0, ret = -1;

	memset(&l, 0, sizeof(l));
	buf_init(&l.carry);
	l.fr = fr;
	l.f = f;
	l.parse = f == FRAME_TARGETS && ((flags & FRAME_KEEP_TARGETS) ||
	    sampler != NULL);
	keep = (flags & FRAME_KEEP_TEXT) || f == FRAME_INSPECTORS ||
	    f == FRAME_CONFLICTS || f == FRAME_PARAMETERS;
	if ((rc = frame_store_find(db, want, &size, &where, &advice)) != 1) {
		ret = rc == 0 ? 1 : -1;
		goto out;
	}
	if (l.parse && sampler != NULL)
		l.sampler = sampler;
	else if (l.parse)
		targets_alloc(fr, (uint64_t)size);
	if ((flags & FRAME_WRITE(f)) && dir != NULL) {
		path = xasprintf("%s/%s", dir, frame_file_names[f]);
		rc = file_out_open(&out, path, 0644, 0);
		free(path);
		if (rc == -1)
			goto out;
		writing = 1;
		l.out = out.fp;
	}
	if (keep)
		l.text = &text;
	crypto_digest_init(&l.d, CRYPTO_DIGEST_BYTES);
	l.hashing = bg_start(crypto_digest_consume, &l.d);
	if (frame_store_read(db, want, load_bytes, &l) == -1)
		goto out;
	bg_finish(l.hashing);
	l.hashing = NULL;
	crypto_digest_final(&l.d, got);
	if (l.total != (uint64_t)size || memcmp(got, want, sizeof(got)) != 0 ||
	    l.carry.len > 0) {
		error("frame '%s' kept in %s no longer matches the "
		    "commitment's digest: %s", frame_file_names[f], where,
		    advice);
		goto out;
	}
	if (l.sampler != NULL ? sampler_close(l.sampler, fr, &cut) != 0 ||
	    check_counts(fr, l.sampler->part[0].count, &err) == -1 :
	    l.bad || (l.parse && (l.lineno == 0 || check_parsed(fr, &err) ==
	    -1)))
		goto bad;
	memcpy(fr->digest[f], got, sizeof(got));
	fr->len[f] = (size_t)l.total;
	if (keep)
		fr->text[f] = buf_detach(&text, NULL);
	/* The strata, as frame_build counted them. */
	if (f == FRAME_PARAMETERS && parse_parameters(fr->text[f], fr->len[f],
	    fr, &err) == -1)
		goto bad;
	switch (f) {
	case FRAME_TARGETS:
		if (!l.parse)
			fr->ntargets = l.lines > 0 ? l.lines - 1 : 0;
		break;
	case FRAME_INSPECTORS:
		fr->ninspectors = l.lines > 0 ? l.lines - 1 : 0;
		break;
	case FRAME_CONFLICTS:
		fr->nconflicts = l.lines > 0 ? l.lines - 1 : 0;
		break;
	case FRAME_EXCLUDED:
		fr->nexcluded = l.lines > 0 ? l.lines - 1 : 0;
		break;
	default:
		break;
	}
	if (writing) {
		writing = 0;
		if (file_out_commit(&out) == -1)
			goto out;
	}
	ret = 0;
	goto out;
bad:
	error("frame '%s' kept in %s: %s; %s", frame_file_names[f], where,
	    err != NULL ? err : "not a DSR-1 frame file", advice);
out:
	bg_finish(l.hashing);
	if (writing)
		file_out_abort(&out);
	buf_release(&text);
	buf_release(&l.carry);
	free(where);
	free(err);
	return ret;
}

static int
load_all(struct db *db, int64_t snapshot,
    unsigned char digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES], int flags,
    const char *dir, struct sampler *sm, struct frame *fr)
{
	/* parameters.txt first: the targets are parsed by its strata. */
	static const enum frame_file order[FRAME_NFILES] = {
		FRAME_PARAMETERS, FRAME_INSPECTORS, FRAME_CONFLICTS,
		FRAME_EXCLUDED, FRAME_TARGETS,
	};
	int64_t		 size;
	size_t		 i;
	int		 rc;

	memset(fr, 0, sizeof(*fr));
	fr->snapshot = snapshot;
	/* All or nothing: an older commitment has none of them. */
	for (i = 0; i < FRAME_NFILES; i++)
		if ((rc = frame_store_find(db, digest[i], &size, NULL,
		    NULL)) != 1)
			return rc == 0 ? 1 : -1;
	for (i = 0; i < FRAME_NFILES; i++) {
		if (order[i] == FRAME_TARGETS && sm != NULL)
			sampler_start(sm, fr);
		if ((rc = load_file(db, order[i], digest[order[i]], flags,
		    dir, sm, fr)) != 0) {
			if (sm != NULL)
				sampler_free(sm);	/* its thread reads fr */
			frame_release(fr);
			return rc;
		}
	}
	return 0;
}

int
frame_load(struct db *db, int64_t snapshot,
    unsigned char digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES],
    int flags, const char *dir, struct frame *fr)
{
	return load_all(db, snapshot, digest, flags, dir, NULL, fr);
}

int
frame_load_sample(struct db *db, int64_t snapshot,
    unsigned char digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES],
    const unsigned char key[DSR_TICKET_KEY_BYTES], struct frame *fr,
    size_t **sel, size_t *nsel)
{
	struct sampler	 sm;
	char		*err = NULL;
	int		 rc;

	memset(&sm, 0, sizeof(sm));
	sm.key = key;
	while ((rc = load_all(db, snapshot, digest, 0, NULL, &sm, fr)) == 0 &&
	    (rc = sampler_finish(&sm, fr, sel, nsel, &err)) == 1) {
		sampler_free(&sm);
		frame_release(fr);
		sm.exact = 1;
	}
	if (rc == -1 && err != NULL) {
		/* the counts were checked: a sample over its stratum */
		error("selection failed: %s", err);
		frame_release(fr);
	}
	sampler_free(&sm);
	free(err);
	return rc;
}

int
frame_check_parameters(const struct config *cfg,
    const struct config_task *task, const struct config_batch *batch,
    const struct frame *kept, unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	struct build	 b;
	struct frame	 fr;
	size_t		 i;
	int		 y, m, d, ret = -1;

	memset(&b, 0, sizeof(b));
	memset(&fr, 0, sizeof(fr));
	b.cfg = cfg;
	b.task = task;
	b.batch = batch;
	b.snapshot = kept->snapshot;
	b.fr = &fr;
	date_to_ymd(batch->draw_date, &y, &m, &d);
	b.month = y * 12 + m - 1;
	init_strata(&b);
	/* The plan's strata, counted as the kept targets are. */
	if (fr.nstrata != kept->nstrata) {
		memset(digest, 0, CRYPTO_DIGEST_BYTES);
		return 0;
	}
	for (i = 0; i < fr.nstrata; i++)
		fr.strata[i].population = kept->strata[i].population;
	if (sink_init(&b.sink[FRAME_PARAMETERS], FRAME_PARAMETERS, 0, NULL,
	    NULL) == -1 || build_parameters(&b) == -1)
		goto out;
	sink_digest(&b.sink[FRAME_PARAMETERS], digest);
	ret = 0;
out:
	sink_release(&b.sink[FRAME_PARAMETERS]);
	return ret;
}
