/*
 * The ledger: entries built from the rows they cover (and rebuilt the same
 * way to verify them), the RFC 6962 tree over them, checkpoints, inclusion
 * proofs, and the findings that record a tampered database.
 */
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
#include "file.h"
#include "keys.h"
#include "ledger.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "num.h"
#include "proof.h"
#include "xmalloc.h"

#define LEDGER_MAGIC	"ssj-ledger/1"

/*
 * Which table an event's ref is a row of, and which rows it also covers
 * through a digest: the revisions a snapshot wrote, a draw's selection.
 */
static const struct {
	const char	*event;
	const char	*table;
	const char	*children;	/* NULL; "*" for a snapshot's */
	const char	*order;		/* of the children */
} covered[] = {
	{ "snapshot", "snapshot", "*", "id" },
	{ "plan", "plan_version", NULL, NULL },
	{ "key", "signing_key", NULL, NULL },
	{ "signature", "signature", NULL, NULL },
	{ "finding", "finding", NULL, NULL },
	{ "commit", "commitment", NULL, NULL },
	{ "attempt", "attempt", NULL, NULL },
	{ "draw", "draw", "selection", "rank" },
	{ "replace", "replacement", NULL, NULL },
	{ "results", "result_import", "result_rev", "id" },
	{ "review", "review", "review_target", "uscc" },
	{ "publication", "publication", "published", "uscc" },
	{ "notice", "notice", NULL, NULL },
	{ "schedule", "schedule_event", NULL, NULL },
	/*
	 * That a checkpoint was made, with the database's id and origin:
	 * deleting a checkpoint, or changing the meta values, no longer
	 * matches its entry. Checkpoints made before this event (ssj of
	 * schema 2) have none.
	 */
	{ "checkpoint", "checkpoint", NULL, NULL },
};

/*
 * The teams a draw wrote (schema version 2): listed in its entry only
 * when there are any, so that the entries of earlier draws still match.
 */
static const struct {
	const char	*event;
	const char	*table;
	const char	*order;
} team_children[] = {
	{ "draw", "team", "rank" },
	{ "draw", "assignment", "rank, slot" },
};

/* The revisions a snapshot of each registry wrote. */
static const struct {
	const char	*kind;
	const char	*table;
} revisions[] = {
	{ "enterprises", "enterprise_rev" },
	{ "inspectors", "inspector_rev" },
	{ "conflicts", "conflict_rev" },
	{ "risk", "risk_rev" },
};

/* Rows that name their event's row in a column of the event's name. */
static const struct {
	const char	*table;
	const char	*event;
} child_rows[] = {
	{ "selection", "draw" },
	{ "result_rev", "results" },
	{ "review_target", "review" },
	{ "published", "publication" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
has_children(const char *event)
{
	size_t	 i;

	for (i = 0; i < NELEM(covered); i++)
		if (strcmp(covered[i].event, event) == 0)
			return covered[i].children != NULL;
	return 0;
}

static const char *
covered_table(const char *event)
{
	size_t	 i;

	for (i = 0; i < NELEM(covered); i++)
		if (strcmp(covered[i].event, event) == 0)
			return covered[i].table;
	return NULL;
}

static const char *
revision_table(const char *kind)
{
	size_t	 i;

	for (i = 0; i < NELEM(revisions); i++)
		if (strcmp(revisions[i].kind, kind) == 0)
			return revisions[i].table;
	return NULL;
}


/*
 * One "name value" line of an entry. Values are UTF-8 with backslash, LF,
 * CR and other control bytes escaped, so that an entry is one line per
 * field whatever the value holds.
 */
static void
put_field(struct buf *b, const char *name, const char *v, size_t len)
{
	size_t	 i;

	buf_addstr(b, name);
	buf_addch(b, ' ');
	for (i = 0; i < len; i++) {
		if (v[i] == '\\')
			buf_addstr(b, "\\\\");
		else if (v[i] == '\n')
			buf_addstr(b, "\\n");
		else if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			buf_printf(b, "\\x%02x", (unsigned char)v[i]);
		else
			buf_addch(b, v[i]);
	}
	buf_addch(b, '\n');
}

static void
put_int(struct buf *b, const char *name, int64_t v)
{
	char	 num[24];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	put_field(b, name, num, strlen(num));
}

/*
 * Adds one column of the current row as a field: integers in decimal,
 * text as it is, blobs by their BLAKE2b-256.
 */
static void
put_column(struct buf *b, struct db_stmt *st, int c)
{
	unsigned char	 d[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX + 12];
	const void	*p;
	size_t		 len;

	switch (db_col_type(st, c)) {
	case DB_INTEGER:
		put_int(b, db_col_name(st, c), db_col_int(st, c));
		break;
	case DB_TEXT:
		put_field(b, db_col_name(st, c), db_col_text(st, c),
		    db_col_bytes(st, c));
		break;
	case DB_BLOB:
		p = db_col_blob(st, c, &len);
		crypto_digest(p, len, d);
		memcpy(hex, "blake2b-256:", 12);
		crypto_hex(d, sizeof(d), hex + 12);
		put_field(b, db_col_name(st, c), hex, strlen(hex));
		break;
	default:
		put_field(b, db_col_name(st, c), "null", 4);
		break;
	}
}

/*
 * The first id of a revision table's rows of snapshots >= snapshot, or
 * one past its last row. Imports only append, so the revisions are in
 * snapshot order by id (check_revisions() proves it): a binary
 * search over ids finds a snapshot's rows without an index by snapshot
 * (schema version 7), each step a look at the first row from an id on.
 */
static int
revision_bound(struct db *db, const char *table, int64_t snapshot,
    int64_t *bound)
{
	struct buf	 sql = BUF_INIT;
	struct db_stmt	*st = NULL;
	int64_t		 lo = 0, hi, mid;
	int		 rc, ret = -1;

	buf_printf(&sql, "SELECT coalesce(max(id), 0) + 1 FROM %s", table);
	if (db_query_int(db, buf_cstr(&sql), &hi) == -1)
		goto out;
	buf_reset(&sql);
	buf_printf(&sql, "SELECT snapshot FROM %s WHERE id >= ?1 ORDER BY id "
	    "LIMIT 1", table);
	if ((st = db_prepare(db, buf_cstr(&sql))) == NULL)
		goto out;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		db_bind_int(st, 1, mid);
		if ((rc = db_step(st)) == DB_ERROR)
			goto out;
		if (rc == DB_ROW && db_col_int(st, 0) < snapshot)
			lo = mid + 1;
		else
			hi = mid;
		db_reset(st);
	}
	*bound = lo;
	ret = 0;
out:
	db_finalize(st);
	buf_release(&sql);
	return ret;
}

/*
 * *out: the one value of "SELECT what FROM table WHERE where" with ?1
 * bound to v -- the first id from an id on, a count of rows.
 */
static int
query_table_int(struct db *db, const char *what, const char *table,
    const char *where, int64_t v, int64_t *out)
{
	struct buf	 sql = BUF_INIT;
	struct db_stmt	*st;
	int		 rc;

	buf_printf(&sql, "SELECT %s FROM %s WHERE %s", what, table, where);
	st = db_prepare(db, buf_cstr(&sql));
	buf_release(&sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, v);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_col_int(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/*
 * A row as the digest of rows takes it: each column as a type byte ('i',
 * 't', 'b', 'n'), a 4-byte big-endian length and its bytes.
 */
static void
put_cell(struct buf *row, char type, const void *p, size_t len)
{
	unsigned char	 head[5];

	head[0] = (unsigned char)type;
	head[1] = (unsigned char)(len >> 24);
	head[2] = (unsigned char)(len >> 16);
	head[3] = (unsigned char)(len >> 8);
	head[4] = (unsigned char)len;
	buf_add(row, head, sizeof(head));
	if (len > 0)
		buf_add(row, p, len);
}

void
ledger_rows_init(struct ledger_rows *r, const char *table, int64_t first_id)
{
	memset(r, 0, sizeof(*r));
	crypto_digest_init(&r->digest, CRYPTO_DIGEST_BYTES);
	/* A province's draw digests 2 M rows, an import 10 M. */
	r->hashing = bg_start(crypto_digest_consume, &r->digest);
	r->table = table;
	r->next = first_id;
}

/* Every row ended is in the digest: it may be read (and copied). */
static void
rows_settle(struct ledger_rows *r)
{
	bg_finish(r->hashing);
	r->hashing = NULL;
}

void
ledger_rows_row(struct ledger_rows *r)
{
	buf_reset(&r->row);
}

int
ledger_rows_begin(struct ledger_rows *r, int64_t id)
{
	if (r->stopped || id != r->next) {
		r->stopped = 1;
		return 0;
	}
	ledger_rows_row(r);
	ledger_rows_int(r, id);
	return 1;
}

void
ledger_rows_int(struct ledger_rows *r, int64_t v)
{
	char	 num[24];

	put_cell(&r->row, 'i', num, num_format_i64(num, v));
}

void
ledger_rows_text(struct ledger_rows *r, const char *s, size_t len)
{
	put_cell(&r->row, 't', s, len);
}

void
ledger_rows_blob(struct ledger_rows *r, const void *p, size_t len)
{
	put_cell(&r->row, 'b', p, len);
}

/* One update per row: the same digest, fewer calls. */
void
ledger_rows_end(struct ledger_rows *r)
{
	if (r->hashing != NULL)
		bg_add(r->hashing, r->row.data, r->row.len);
	else
		crypto_digest_update(&r->digest, r->row.data, r->row.len);
	r->next++;
	r->n++;
}

void
ledger_rows_release(struct ledger_rows *r)
{
	rows_settle(r);
	buf_release(&r->row);
}

/* *n: how many rows of table have ref in their column fk. */
static int
count_rows(struct db *db, const char *table, const char *fk, int64_t ref,
    int64_t *n)
{
	char	 where[64];

	snprintf(where, sizeof(where), "%s = ?1", fk);
	return query_table_int(db, "count(*)", table, where, ref, n);
}

/*
 * The digest of the rows of table whose column fk is ref, in order, each
 * row's cells in the table's column order; *nrows their number. The rows
 * may come digested by their writer (rows, NULL if not): a snapshot's
 * revisions partly, those from rows->next on then read from the table; a
 * draw's rows, taken when they are as many as the table has.
 */
static int
content_digest(struct db *db, const char *table, const char *fk,
    const char *order, int64_t ref, struct ledger_rows *rows,
    char hex[CRYPTO_DIGEST_HEX], int64_t *nrows)
{
	struct ledger_rows	 own;
	unsigned char		 out[CRYPTO_DIGEST_BYTES];
	struct buf		 sql = BUF_INIT;
	struct db_stmt		*st;
	const void		*p;
	size_t			 len;
	int64_t			 from = 0, to = 0, first;
	int			 c, n, rc, run = strcmp(fk, "snapshot") == 0;

	/* A draw's rows digested by their writer: taken if they are all. */
	if (rows != NULL && !run) {
		if (count_rows(db, table, fk, ref, nrows) == -1)
			return -1;
		if (rows->n > 0 && !rows->stopped && *nrows == rows->n) {
			rows_settle(rows);
			own.digest = rows->digest;
			crypto_digest_final(&own.digest, out);
			crypto_hex(out, sizeof(out), hex);
			return 0;
		}
	}
	buf_printf(&sql, "SELECT * FROM %s WHERE %s = ?1", table, fk);
	/* A snapshot's revisions: the run of ids it wrote. */
	if (run) {
		if (revision_bound(db, table, ref, &from) == -1 ||
		    revision_bound(db, table, ref + 1, &to) == -1) {
			buf_release(&sql);
			return -1;
		}
		buf_addstr(&sql, " AND id >= ?2 AND id < ?3");
	}
	buf_printf(&sql, " ORDER BY %s", order);
	ledger_rows_init(&own, table, from);
	/* Rows digested by their writer: they must start the run. */
	if (rows != NULL && run && rows->n > 0 && rows->next <= to) {
		if (query_table_int(db, "coalesce(min(id), -1)", table,
		    "id >= ?1", from, &first) == -1) {
			ledger_rows_release(&own);
			return -1;
		}
		if (first == rows->next - rows->n) {
			rows_settle(rows);
			rows_settle(&own);
			own.digest = rows->digest;
			own.next = rows->next;
			own.n = rows->n;
			from = rows->next;
		}
	}
	st = db_prepare(db, buf_cstr(&sql));
	buf_release(&sql);
	if (st == NULL) {
		ledger_rows_release(&own);
		return -1;
	}
	db_bind_int(st, 1, ref);
	if (run) {
		db_bind_int(st, 2, from);
		db_bind_int(st, 3, to);
	}
	while ((rc = db_step(st)) == DB_ROW) {
		buf_reset(&own.row);
		n = db_col_count(st);
		for (c = 0; c < n; c++) {
			switch (db_col_type(st, c)) {
			case DB_INTEGER:
				ledger_rows_int(&own, db_col_int(st, c));
				break;
			case DB_TEXT:
				ledger_rows_text(&own, db_col_text(st, c),
				    db_col_bytes(st, c));
				break;
			case DB_BLOB:
				p = db_col_blob(st, c, &len);
				ledger_rows_blob(&own, p, len);
				break;
			default:
				put_cell(&own.row, 'n', "", 0);
				break;
			}
		}
		ledger_rows_end(&own);
	}
	db_finalize(st);
	*nrows = own.n;
	rows_settle(&own);
	crypto_digest_final(&own.digest, out);
	ledger_rows_release(&own);
	if (rc != DB_DONE)
		return -1;
	crypto_hex(out, sizeof(out), hex);
	return 0;
}

/* The meta values a checkpoint's entry covers: the database's identity. */
static int
put_meta(struct db *db, struct buf *out)
{
	struct db_stmt	*st;
	const char	*k, *v;
	char		*name;
	int		 rc;

	st = db_prepare(db, "SELECT key, value FROM meta WHERE key IN "
	    "('database_id', 'origin') ORDER BY key");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		k = db_col_text(st, 0);
		v = db_col_text(st, 1);
		name = xasprintf("meta-%s", k);
		put_field(out, name, v, strlen(v));
		free(name);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Those of rows (n of them) digested from table, or NULL. */
static struct ledger_rows *
rows_of(struct ledger_rows *rows, size_t n, const char *table)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (rows[i].table != NULL && strcmp(rows[i].table, table) == 0)
			return &rows[i];
	return NULL;
}

/*
 * The canonical encoding of an event about row ref: what the entry says,
 * rebuilt from the rows (those of the n rows digested by their writer
 * in part). *missing is set when the row is not there.
 */
static int
build_entry(struct db *db, const char *event, int64_t ref,
    struct ledger_rows *rows, size_t nrows_of, struct buf *out, int *missing)
{
	struct buf	 sql = BUF_INIT;
	struct db_stmt	*st;
	const char	*table, *children = NULL, *order = NULL;
	char		 hex[CRYPTO_DIGEST_HEX], *name;
	int64_t		 nrows;
	size_t		 i;
	int		 c, rc, ret = -1;

	*missing = 0;
	buf_reset(out);
	for (i = 0; i < NELEM(covered); i++)
		if (strcmp(covered[i].event, event) == 0)
			break;
	if (i == NELEM(covered))
		return error("ledger: unknown event '%s'", event);
	table = covered[i].table;
	order = covered[i].order;
	if (covered[i].children != NULL &&
	    strcmp(covered[i].children, "*") != 0)
		children = covered[i].children;
	buf_printf(&sql, "SELECT * FROM %s WHERE id = ?1", table);
	st = db_prepare(db, buf_cstr(&sql));
	buf_release(&sql);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, ref);
	buf_addstr(out, LEDGER_MAGIC "\n");
	put_field(out, "event", event, strlen(event));
	put_int(out, "ref", ref);
	if ((rc = db_step(st)) == DB_DONE) {
		*missing = 1;
		ret = 0;
		goto out;
	}
	if (rc != DB_ROW)
		goto out;
	for (c = 0; c < db_col_count(st); c++) {
		put_column(out, st, c);
		/* A snapshot's revisions are in its registry's table. */
		if (covered[i].children != NULL && children == NULL &&
		    strcmp(db_col_name(st, c), "kind") == 0)
			children = revision_table(db_col_text(st, c));
	}
	if (children != NULL) {
		if (content_digest(db, children, event, order, ref,
		    rows_of(rows, nrows_of, children), hex, &nrows) == -1)
			goto out;
		/* "revisions", "revision-rows", "revisions-blake2b-256" */
		name = strcmp(event, "snapshot") == 0 ? xstrdup("revision") :
		    xstrdup(children);
		put_field(out, strcmp(event, "snapshot") == 0 ? "revisions" :
		    "rows", children, strlen(children));
		buf_printf(out, "%s-rows %lld\n", name, (long long)nrows);
		buf_printf(out, "%ss-blake2b-256 %s\n", name, hex);
		free(name);
	}
	for (i = 0; i < NELEM(team_children); i++) {
		if (strcmp(team_children[i].event, event) != 0)
			continue;
		if (content_digest(db, team_children[i].table, event,
		    team_children[i].order, ref, rows_of(rows, nrows_of,
		    team_children[i].table), hex, &nrows) == -1)
			goto out;
		if (nrows == 0)
			continue;
		put_field(out, "rows", team_children[i].table,
		    strlen(team_children[i].table));
		buf_printf(out, "%s-rows %lld\n", team_children[i].table,
		    (long long)nrows);
		buf_printf(out, "%ss-blake2b-256 %s\n",
		    team_children[i].table, hex);
	}
	if (strcmp(event, "checkpoint") == 0 && put_meta(db, out) == -1)
		goto out;
	ret = 0;
out:
	db_finalize(st);
	return ret;
}

int
ledger_append(struct db *db, const char *event, int64_t ref, int64_t *idx)
{
	return ledger_append_rows(db, event, ref, NULL, 0, idx);
}

int
ledger_append_rows(struct db *db, const char *event, int64_t ref,
    struct ledger_rows *rows, size_t nrows_of, int64_t *idx)
{
	struct buf	 entry = BUF_INIT;
	struct db_stmt	*st = NULL;
	int64_t		 next;
	int		 missing, ret = -1;

	if (build_entry(db, event, ref, rows, nrows_of, &entry, &missing) ==
	    -1)
		goto out;
	if (missing) {
		error("ledger: no %s %lld to record", event, (long long)ref);
		goto out;
	}
	if (db_query_int(db, "SELECT count(*) FROM ledger", &next) == -1)
		goto out;
	st = db_prepare(db, "INSERT INTO ledger (idx, event, ref, entry) "
	    "VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, next);
	db_bind_text(st, 2, event, SIZE_MAX);
	db_bind_int(st, 3, ref);
	db_bind_blob(st, 4, entry.data, entry.len);
	if (db_step(st) != DB_DONE) {
		error("ledger: cannot append entry %lld", (long long)next);
		goto out;
	}
	if (idx != NULL)
		*idx = next;
	ret = 0;
out:
	db_finalize(st);
	buf_release(&entry);
	return ret;
}

/* Inserts a row with text values into table; *id is its id. */
static int
insert_row(struct db *db, const char *sql, const char *const *values,
    size_t n, const void *blob, size_t bloblen, int64_t *id)
{
	struct db_stmt	*st;
	size_t		 i;
	int		 rc;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		db_bind_text(st, (int)i + 1, values[i], SIZE_MAX);
	if (blob != NULL)
		db_bind_blob(st, (int)n + 1, blob, bloblen);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	*id = db_last_rowid(db);
	return 0;
}

int
ledger_note_plan(struct db *db, const struct config *cfg, int64_t *idx)
{
	struct buf	 body = BUF_INIT;
	struct db_stmt	*st;
	const char	*values[3];
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX], now[TIMESTAMP_LEN];
	int64_t		 id;
	int		 rc, same, ret = -1;

	*idx = -1;
	crypto_hex(cfg->digest, sizeof(cfg->digest), hex);
	st = db_prepare(db, "SELECT digest FROM plan_version ORDER BY id DESC "
	    "LIMIT 1");
	if (st == NULL)
		return -1;
	rc = db_step(st);
	same = rc == DB_ROW && strcmp(db_col_text(st, 0), hex) == 0;
	db_finalize(st);
	if (rc == DB_ERROR)
		return -1;
	if (same)
		return 0;
	if (file_read(cfg->path, &body) == -1)
		goto out;
	/* The plan may have changed since it was loaded: keep what we ran. */
	crypto_digest(body.data, body.len, digest);
	if (memcmp(digest, cfg->digest, sizeof(digest)) != 0) {
		error("plan '%s' changed while ssj was running", cfg->path);
		goto out;
	}
	timestamp_now(now);
	values[0] = cfg->path;
	values[1] = hex;
	values[2] = now;
	if (insert_row(db, "INSERT INTO plan_version (file_name, digest, "
	    "loaded_at, body) VALUES (?1, ?2, ?3, ?4)", values, 3, body.data,
	    body.len, &id) == -1 || ledger_append(db, "plan", id, idx) == -1)
		goto out;
	ret = 0;
out:
	buf_release(&body);
	return ret;
}

int
ledger_note_key(struct db *db, const struct pubkey *pk, int64_t *idx)
{
	struct db_stmt	*st;
	unsigned char	 raw[2 + KEYNUM_BYTES + CRYPTO_SIGN_PUBLICKEYBYTES];
	char		 b64[CRYPTO_BASE64_LEN(sizeof(raw))];
	char		 kid[KEY_ID_LEN], now[TIMESTAMP_LEN];
	const char	*values[3];
	int64_t		 id;
	int		 rc, known;

	*idx = -1;
	/* The public key as its .pub file's second line ("RW..."). */
	raw[0] = 'E';
	raw[1] = 'd';
	memcpy(raw + 2, pk->keynum, KEYNUM_BYTES);
	memcpy(raw + 2 + KEYNUM_BYTES, pk->pk, CRYPTO_SIGN_PUBLICKEYBYTES);
	crypto_base64(b64, sizeof(b64), raw, sizeof(raw));
	key_id(pk->keynum, kid);
	st = db_prepare(db, "SELECT 1 FROM signing_key WHERE public_key = ?1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, b64, SIZE_MAX);
	rc = db_step(st);
	known = rc == DB_ROW;
	db_finalize(st);
	if (rc == DB_ERROR)
		return -1;
	if (known)
		return 0;
	timestamp_now(now);
	values[0] = kid;
	values[1] = b64;
	values[2] = now;
	if (insert_row(db, "INSERT INTO signing_key (key_id, public_key, "
	    "first_used) VALUES (?1, ?2, ?3)", values, 3, NULL, 0, &id) == -1)
		return -1;
	return ledger_append(db, "key", id, idx);
}

int
ledger_note_signature(struct db *db, const char *kind, const char *pub_id,
    const char *file, const char *digest_hex, const char *key_id_hex,
    int64_t *idx)
{
	const char	*values[6];
	char		 now[TIMESTAMP_LEN];
	int64_t		 id;

	timestamp_now(now);
	values[0] = kind;
	values[1] = pub_id != NULL ? pub_id : "";
	values[2] = file;
	values[3] = digest_hex;
	values[4] = key_id_hex;
	values[5] = now;
	if (insert_row(db, "INSERT INTO signature (kind, pub_id, file_name, "
	    "digest, key_id, signed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    values, 6, NULL, 0, &id) == -1)
		return -1;
	return ledger_append(db, "signature", id, idx);
}

/* Verification. */

struct stored {
	int64_t		 idx;
	char		*event;
	int64_t		 ref;
	unsigned char	*entry;
	size_t		 len;
};

static void
add_problem(struct ledger_report *r, int64_t idx, char *key, char *message)
{
	struct ledger_problem	*p;

	r->problems = xreallocarray(r->problems, r->nproblems + 1,
	    sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->idx = idx;
	p->key = key;
	p->message = message;
	p->acknowledged = 0;
}

void
ledger_add_problem(struct ledger_report *r, int64_t idx, char *key,
    char *message)
{
	add_problem(r, idx, key, message);
}

static void
sha256_hex(const void *p, size_t len, char hex[CRYPTO_DIGEST_HEX])
{
	unsigned char	 h[CRYPTO_SHA256_BYTES];

	crypto_sha256(p, len, h);
	crypto_hex(h, sizeof(h), hex);
}

/* The first line where two entries differ, to say what changed. */
static char *
first_difference(const unsigned char *a, size_t alen, const char *b,
    size_t blen)
{
	size_t	 i = 0, start = 0, end;

	while (i < alen && i < blen && a[i] == (unsigned char)b[i]) {
		if (a[i] == '\n')
			start = i + 1;
		i++;
	}
	for (end = start; end < blen && b[end] != '\n'; end++)
		;
	for (i = start; i < end && b[i] != ' '; i++)
		;
	return xstrndup(b + start, i - start);
}

static int
load_entries(struct db *db, struct stored **out, size_t *n)
{
	struct db_stmt	*st;
	struct stored	*v = NULL;
	const void	*p;
	size_t		 len, cap = 0;
	int		 rc;

	*n = 0;
	st = db_prepare(db, "SELECT idx, event, ref, entry FROM ledger "
	    "ORDER BY idx");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[*n].idx = db_col_int(st, 0);
		v[*n].event = xstrdup(db_col_text(st, 1) ? db_col_text(st, 1) :
		    "");
		v[*n].ref = db_col_int(st, 2);
		p = db_col_blob(st, 3, &len);
		v[*n].entry = xmalloc(len + 1);
		if (len > 0)
			memcpy(v[*n].entry, p, len);
		v[*n].len = len;
		(*n)++;
	}
	db_finalize(st);
	*out = v;
	return rc == DB_DONE ? 0 : -1;
}

static void
free_entries(struct stored *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].event);
		free(v[i].entry);
	}
	free(v);
}

/* Each entry rebuilt from its rows and compared with what is stored. */
static int
check_entries(struct db *db, const struct stored *v, size_t n, int quick,
    struct ledger_report *r)
{
	struct buf	 built = BUF_INIT;
	char		 s[CRYPTO_DIGEST_HEX], f[CRYPTO_DIGEST_HEX], *what;
	size_t		 i;
	int		 missing;

	for (i = 0; i < n; i++) {
		if (v[i].idx != (int64_t)i) {
			add_problem(r, (int64_t)i,
			    xasprintf("entry %zu absent", i),
			    xasprintf("entry %zu is missing: the ledger jumps "
			    "to %lld", i, (long long)v[i].idx));
			break;
		}
		if (covered_table(v[i].event) == NULL) {
			add_problem(r, v[i].idx,
			    xasprintf("entry %zu event %s", i, v[i].event),
			    xasprintf("entry %zu names an unknown event '%s'",
			    i, v[i].event));
			continue;
		}
		/* Reading every revision is for the full verification. */
		if (quick && has_children(v[i].event))
			continue;
		if (build_entry(db, v[i].event, v[i].ref, NULL, 0, &built,
		    &missing) == -1) {
			buf_release(&built);
			return -1;
		}
		if (built.len == v[i].len &&
		    memcmp(built.data, v[i].entry, built.len) == 0)
			continue;
		sha256_hex(v[i].entry, v[i].len, s);
		if (missing) {
			add_problem(r, v[i].idx,
			    xasprintf("entry %zu stored %s rows missing", i, s),
			    xasprintf("entry %zu (%s %lld): the %s it covers "
			    "was removed", i, v[i].event, (long long)v[i].ref,
			    v[i].event));
			continue;
		}
		sha256_hex(built.data, built.len, f);
		what = first_difference(v[i].entry, v[i].len, built.data,
		    built.len);
		add_problem(r, v[i].idx,
		    xasprintf("entry %zu stored %s found %s", i, s, f),
		    xasprintf("entry %zu (%s %lld) does not match the rows it "
		    "covers: '%s' differs%s", i, v[i].event, (long long)v[i].ref,
		    what, strncmp(what, "revision", 8) == 0 ? " (a revision row "
		    "was changed, added or removed)" : ""));
		free(what);
	}
	buf_release(&built);
	return 0;
}

/*
 * A revision table read in id order: each snapshot it names is one an
 * entry covers, and the snapshots never go down, or a row was slipped in
 * among earlier ones, where its snapshot's digest (revision_bound())
 * would not see it. The first such row is enough.
 */
static int
check_revisions(struct db *db, const char *table, struct ledger_report *r)
{
	struct buf	 sql = BUF_INIT;
	struct db_stmt	*st, *covers;
	int64_t		 snapshot, last = INT64_MIN;
	int		 rc;

	buf_printf(&sql, "SELECT id, snapshot FROM %s ORDER BY id", table);
	st = db_prepare(db, buf_cstr(&sql));
	buf_release(&sql);
	covers = db_prepare(db, "SELECT count(*) FROM ledger WHERE event = "
	    "'snapshot' AND ref = ?1");
	if (st == NULL || covers == NULL) {
		db_finalize(st);
		db_finalize(covers);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		if ((snapshot = db_col_int(st, 1)) == last)
			continue;
		if (snapshot < last) {
			add_problem(r, -1, xasprintf("misplaced %s %lld", table,
			    (long long)db_col_int(st, 0)), xasprintf("%s row "
			    "%lld (snapshot %lld) lies among the rows of "
			    "snapshot %lld: imports only append, so it was "
			    "written by hand", table,
			    (long long)db_col_int(st, 0), (long long)snapshot,
			    (long long)last));
			rc = DB_DONE;
			break;
		}
		last = snapshot;
		db_bind_int(covers, 1, snapshot);
		if ((rc = db_step(covers)) != DB_ROW)
			break;
		if (db_col_int(covers, 0) == 0)
			add_problem(r, -1, xasprintf("uncovered %s snapshot "
			    "%lld", table, (long long)snapshot),
			    xasprintf("%s rows of snapshot %lld are covered by "
			    "no ledger entry", table, (long long)snapshot));
		db_reset(covers);
	}
	db_finalize(covers);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Rows of covered tables that no entry covers. */
static int
check_coverage(struct db *db, int quick, struct ledger_report *r)
{
	struct buf	 sql = BUF_INIT;
	struct db_stmt	*st;
	const char	*table, *fk;
	size_t		 i;
	int		 rc = DB_DONE;

	for (i = 0; i < NELEM(covered) && rc == DB_DONE; i++) {
		buf_reset(&sql);
		buf_printf(&sql, "SELECT id FROM %s WHERE id NOT IN (SELECT "
		    "ref FROM ledger WHERE event = '%s')", covered[i].table,
		    covered[i].event);
		/* Only rows after the first one an entry covers. */
		if (strcmp(covered[i].event, "checkpoint") == 0)
			buf_printf(&sql, " AND id > (SELECT coalesce(min(ref), "
			    "9223372036854775807) FROM ledger WHERE event = "
			    "'%s')", covered[i].event);
		buf_addstr(&sql, " ORDER BY id");
		if ((st = db_prepare(db, buf_cstr(&sql))) == NULL)
			goto fail;
		while ((rc = db_step(st)) == DB_ROW)
			add_problem(r, -1, xasprintf("uncovered %s %lld",
			    covered[i].table, (long long)db_col_int(st, 0)),
			    xasprintf("%s %lld is covered by no ledger entry",
			    covered[i].table, (long long)db_col_int(st, 0)));
		db_finalize(st);
	}
	for (i = 0; !quick && i < NELEM(revisions) && rc == DB_DONE; i++)
		if (check_revisions(db, revisions[i].table, r) == -1)
			rc = DB_ERROR;
	/* Rows that point at a draw (or the like) no entry covers. */
	for (i = 0; !quick && i < NELEM(child_rows) && rc == DB_DONE; i++) {
		table = child_rows[i].table;
		fk = child_rows[i].event;
		buf_reset(&sql);
		buf_printf(&sql, "SELECT DISTINCT %s FROM %s WHERE %s NOT IN "
		    "(SELECT ref FROM ledger WHERE event = '%s') ORDER BY 1",
		    fk, table, fk, fk);
		if ((st = db_prepare(db, buf_cstr(&sql))) == NULL)
			goto fail;
		while ((rc = db_step(st)) == DB_ROW)
			add_problem(r, -1, xasprintf("uncovered %s %s %lld",
			    table, fk, (long long)db_col_int(st, 0)),
			    xasprintf("%s rows of %s %lld are covered by no "
			    "ledger entry", table, fk,
			    (long long)db_col_int(st, 0)));
		db_finalize(st);
	}
	buf_release(&sql);
	return rc == DB_DONE ? 0 : -1;
fail:
	buf_release(&sql);
	return -1;
}

/* Every stored checkpoint against the tree of the stored entries. */
static int
check_checkpoints(struct db *db, merkle_hash *leaves, size_t n,
    const struct pubkey *pk, struct ledger_report *r)
{
	struct db_stmt		*st;
	struct checkpoint	 cp;
	merkle_hash		 root;
	const void		*stored;
	const char		*note;
	char			 hex[CRYPTO_DIGEST_HEX], *err = NULL, *name;
	size_t			 len;
	int64_t			 id, size;
	int			 rc;

	st = db_prepare(db, "SELECT id, size, root, note FROM checkpoint "
	    "ORDER BY id");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		id = db_col_int(st, 0);
		size = db_col_int(st, 1);
		stored = db_col_blob(st, 2, &len);
		note = db_col_text(st, 3);
		r->checkpoint = id;
		r->checkpoint_size = (uint64_t)size;
		if (size < 0 || (uint64_t)size > n) {
			add_problem(r, (int64_t)n, xasprintf("checkpoint %lld "
			    "size %lld", (long long)id, (long long)size),
			    xasprintf("checkpoint %lld is of %lld entries; the "
			    "ledger has %zu: entries were removed",
			    (long long)id, (long long)size, n));
			continue;
		}
		merkle_root(root, (const merkle_hash *)leaves, (uint64_t)size);
		crypto_hex(root, sizeof(root), hex);
		if (len != sizeof(root) || memcmp(stored, root, len) != 0) {
			add_problem(r, -1, xasprintf("checkpoint %lld root %s",
			    (long long)id, hex), xasprintf("checkpoint %lld "
			    "(size %lld) no longer matches the ledger: an "
			    "entry was changed, removed or reordered",
			    (long long)id, (long long)size));
			continue;
		}
		if (pk == NULL)
			continue;
		r->signature_checked = 1;
		memset(&cp, 0, sizeof(cp));
		/* The signer's name is the note's origin, its first line. */
		name = xstrndup(note, strcspn(note, "\n"));
		if (checkpoint_open(note, strlen(note), name, pk->pk, &cp,
		    &err) == -1 || cp.size != (uint64_t)size ||
		    memcmp(cp.root, root, sizeof(root)) != 0)
			add_problem(r, -1, xasprintf("checkpoint %lld note",
			    (long long)id), xasprintf("checkpoint %lld: its "
			    "signed note does not verify with the plan's "
			    "public key%s%s", (long long)id, err ? ": " : "",
			    err ? err : ""));
		checkpoint_release(&cp);
		free(name);
		free(err);
		err = NULL;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * Marks the problems an earlier finding recorded; adds the alarms an
 * earlier full verification raised that no finding recorded yet.
 */
static int
check_findings(struct db *db, struct ledger_report *r)
{
	struct db_stmt	*st;
	const char	*details, *line, *end;
	size_t		 i, keylen;
	int		 rc;

	if ((st = db_prepare(db, "SELECT details FROM finding")) == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		details = db_col_text(st, 0);
		for (line = details; line != NULL && *line != '\0';
		    line = end ? end + 1 : NULL) {
			end = strchr(line, '\n');
			keylen = strcspn(line, "\t\n");
			for (i = 0; i < r->nproblems; i++)
				if (strlen(r->problems[i].key) == keylen &&
				    strncmp(r->problems[i].key, line, keylen)
				    == 0)
					r->problems[i].acknowledged = 1;
		}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT key, message, found_at FROM ledger_alarm "
	    "WHERE NOT EXISTS (SELECT 1 FROM finding WHERE instr(char(10) || "
	    "details, char(10) || key || char(9)) > 0) ORDER BY found_at, key");
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		for (i = 0; i < r->nproblems; i++)
			if (strcmp(r->problems[i].key, db_col_text(st, 0)) == 0)
				break;
		if (i == r->nproblems)
			add_problem(r, -1, xstrdup(db_col_text(st, 0)),
			    xasprintf("%s (found on %s)", db_col_text(st, 1),
			    db_col_text(st, 2)));
	}
	db_finalize(st);
	for (i = 0; i < r->nproblems; i++)
		if (!r->problems[i].acknowledged)
			r->nnew++;
	return rc == DB_DONE ? 0 : -1;
}

/*
 * What a full verification found stays found: commands that extend the
 * ledger, which only run the quick checks, refuse until a finding
 * records it.
 */
static int
raise_alarms(struct db *db, const struct ledger_report *r)
{
	struct db_stmt	*st;
	char		 now[TIMESTAMP_LEN];
	size_t		 i;
	int		 ret = 0;

	if (r->nnew == 0)
		return 0;
	timestamp_now(now);
	st = db_prepare(db, "INSERT OR IGNORE INTO ledger_alarm (key, message, "
	    "found_at) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return -1;
	for (i = 0; i < r->nproblems && ret == 0; i++) {
		if (r->problems[i].acknowledged)
			continue;
		db_bind_text(st, 1, r->problems[i].key, SIZE_MAX);
		db_bind_text(st, 2, r->problems[i].message, SIZE_MAX);
		db_bind_text(st, 3, now, SIZE_MAX);
		if (db_step(st) != DB_DONE)
			ret = -1;
		db_reset(st);
	}
	db_finalize(st);
	return ret;
}

int
ledger_verify(struct db *db, const struct pubkey *pk, int flags,
    struct ledger_report *r)
{
	return ledger_verify_with(db, pk, flags, NULL, r);
}

int
ledger_verify_with(struct db *db, const struct pubkey *pk, int flags,
    ledger_check_fn check, struct ledger_report *r)
{
	struct stored	*v = NULL;
	merkle_hash	*leaves = NULL;
	size_t		 n = 0, i;
	int		 quick = flags & LEDGER_QUICK, ret = -1;

	memset(r, 0, sizeof(*r));
	if (load_entries(db, &v, &n) == -1)
		goto out;
	r->size = n;
	if (check_entries(db, v, n, quick, r) == -1 ||
	    check_coverage(db, quick, r) == -1 ||
	    (!quick && check != NULL && check(db, r) == -1))
		goto out;
	leaves = xcalloc(n > 0 ? n : 1, sizeof(*leaves));
	for (i = 0; i < n; i++)
		merkle_leaf_hash(leaves[i], v[i].entry, v[i].len);
	if (check_checkpoints(db, leaves, n, pk, r) == -1 ||
	    check_findings(db, r) == -1)
		goto out;
	/* A checkpoint's own entry is for the next checkpoint to cover. */
	for (i = r->checkpoint_size; i < n; i++)
		if (strcmp(v[i].event, "checkpoint") != 0)
			r->pending++;
	if (!quick && raise_alarms(db, r) == -1)
		goto out;
	ret = 0;
out:
	free(leaves);
	free_entries(v, n);
	return ret;
}

void
ledger_report_release(struct ledger_report *r)
{
	size_t	 i;

	for (i = 0; i < r->nproblems; i++) {
		free(r->problems[i].key);
		free(r->problems[i].message);
	}
	free(r->problems);
	memset(r, 0, sizeof(*r));
}

int
ledger_guard(struct db *db)
{
	struct ledger_report	 r;
	size_t			 i;
	int			 ret = 0;

	if (ledger_verify(db, NULL, LEDGER_QUICK, &r) == -1)
		return -1;
	for (i = 0; i < r.nproblems; i++) {
		if (r.problems[i].acknowledged)
			continue;
		log_warnx("the ledger does not verify: %s",
		    r.problems[i].message);
		log_warnx("nothing was done; run 'ssj ledger verify', find out "
		    "what happened, and record it with 'ssj ledger "
		    "acknowledge --reason TEXT'");
		ret = -1;
		break;
	}
	ledger_report_release(&r);
	return ret;
}

int
ledger_acknowledge(struct db *db, const char *reason, const char *who,
    int64_t *idx, size_t *nrecorded)
{
	struct ledger_report	 r;
	struct buf		 details = BUF_INIT;
	const char		*values[4];
	char			 now[TIMESTAMP_LEN];
	int64_t			 id;
	size_t			 i;
	int			 ret = -1;

	*idx = -1;
	*nrecorded = 0;
	if (ledger_verify(db, NULL, 0, &r) == -1)
		return -1;
	for (i = 0; i < r.nproblems; i++) {
		if (r.problems[i].acknowledged)
			continue;
		buf_printf(&details, "%s\t%s\n", r.problems[i].key,
		    r.problems[i].message);
		(*nrecorded)++;
	}
	if (*nrecorded == 0) {
		ret = 0;
		goto out;
	}
	timestamp_now(now);
	values[0] = reason;
	values[1] = buf_cstr(&details);
	values[2] = who;
	values[3] = now;
	if (insert_row(db, "INSERT INTO finding (reason, details, "
	    "recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4)", values, 4,
	    NULL, 0, &id) == -1 || ledger_append(db, "finding", id, idx) == -1)
		goto out;
	ret = 0;
out:
	buf_release(&details);
	ledger_report_release(&r);
	return ret;
}

/* Checkpoints and proofs. */

char *
ledger_origin(struct db *db, const struct config *cfg)
{
	struct db_stmt	*st;
	char		*origin = NULL;
	int		 rc;

	st = db_prepare(db, "SELECT key, value FROM meta WHERE key IN "
	    "('origin', 'database_id') ORDER BY key = 'origin' DESC");
	if (st == NULL)
		return NULL;
	if ((rc = db_step(st)) == DB_ROW) {
		if (strcmp(db_col_text(st, 0), "origin") == 0)
			origin = xstrdup(db_col_text(st, 1));
		else
			origin = xasprintf("ssj/%s/%s", cfg != NULL ?
			    cfg->division : "local", db_col_text(st, 1));
	}
	db_finalize(st);
	if (origin == NULL && rc != DB_ERROR)
		error("database '%s' has no id: was it made by 'ssj init'?",
		    db_path(db));
	return origin;
}

static int
load_leaves(struct db *db, uint64_t size, merkle_hash **out)
{
	struct db_stmt	*st;
	merkle_hash	*leaves;
	const void	*p;
	size_t		 len;
	uint64_t	 n = 0;
	int		 rc;

	leaves = xcalloc(size > 0 ? size : 1, sizeof(*leaves));
	st = db_prepare(db, "SELECT entry FROM ledger WHERE idx < ?1 "
	    "ORDER BY idx");
	if (st == NULL) {
		free(leaves);
		return -1;
	}
	db_bind_int(st, 1, (int64_t)size);
	while ((rc = db_step(st)) == DB_ROW && n < size) {
		p = db_col_blob(st, 0, &len);
		merkle_leaf_hash(leaves[n++], p, len);
	}
	db_finalize(st);
	if (rc != DB_DONE || n != size) {
		free(leaves);
		return error("the ledger has %llu entries, not %llu",
		    (unsigned long long)n, (unsigned long long)size);
	}
	*out = leaves;
	return 0;
}

int
ledger_checkpoint(struct db *db, const char *origin, const struct seckey *sk,
    char **note, uint64_t *size)
{
	struct checkpoint	 cp;
	struct db_stmt		*st = NULL;
	merkle_hash		*leaves = NULL;
	int64_t			 n;
	char			 now[TIMESTAMP_LEN];
	int			 ret = -1;

	*note = NULL;
	if (db_query_int(db, "SELECT count(*) FROM ledger", &n) == -1 ||
	    load_leaves(db, (uint64_t)n, &leaves) == -1)
		goto out;
	memset(&cp, 0, sizeof(cp));
	cp.origin = (char *)(uintptr_t)origin;
	cp.size = (uint64_t)n;
	merkle_root(cp.root, (const merkle_hash *)leaves, cp.size);
	*note = checkpoint_sign(&cp, origin, sk->sk);
	/* The origin is fixed by the first checkpoint. */
	st = db_prepare(db, "INSERT OR IGNORE INTO meta (key, value) "
	    "VALUES ('origin', ?1)");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, origin, SIZE_MAX);
	if (db_step(st) != DB_DONE)
		goto out;
	db_finalize(st);
	timestamp_now(now);
	st = db_prepare(db, "INSERT INTO checkpoint (size, root, note, "
	    "created_at) VALUES (?1, ?2, ?3, ?4)");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, n);
	db_bind_blob(st, 2, cp.root, sizeof(cp.root));
	db_bind_text(st, 3, *note, SIZE_MAX);
	db_bind_text(st, 4, now, SIZE_MAX);
	if (db_step(st) != DB_DONE ||
	    ledger_append(db, "checkpoint", db_last_rowid(db), NULL) == -1)
		goto out;
	*size = (uint64_t)n;
	ret = 0;
out:
	if (ret == -1) {
		free(*note);
		*note = NULL;
	}
	db_finalize(st);
	free(leaves);
	return ret;
}

int
ledger_prove(struct db *db, uint64_t idx, struct proof *p)
{
	struct db_stmt	*st;
	merkle_hash	*leaves = NULL;
	merkle_hash	 path[MERKLE_MAX_PROOF];
	const void	*entry;
	size_t		 len, npath;
	int		 rc, ret = -1;

	memset(p, 0, sizeof(*p));
	st = db_prepare(db, "SELECT size, note FROM checkpoint ORDER BY id "
	    "DESC LIMIT 1");
	if (st == NULL)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		p->size = (uint64_t)db_col_int(st, 0);
		p->checkpoint = xstrdup(db_col_text(st, 1));
	}
	db_finalize(st);
	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			error("no checkpoint yet: make one with 'ssj ledger "
			    "checkpoint'");
		goto out;
	}
	if (idx >= p->size) {
		error("entry %llu is not in the latest checkpoint (%llu "
		    "entries); make a new one with 'ssj ledger checkpoint'",
		    (unsigned long long)idx, (unsigned long long)p->size);
		goto out;
	}
	if (load_leaves(db, p->size, &leaves) == -1 ||
	    merkle_inclusion_proof((const merkle_hash *)leaves, p->size, idx,
	    path, &npath) == -1)
		goto out;
	st = db_prepare(db, "SELECT entry FROM ledger WHERE idx = ?1");
	if (st == NULL)
		goto out;
	db_bind_int(st, 1, (int64_t)idx);
	if ((rc = db_step(st)) == DB_ROW) {
		entry = db_col_blob(st, 0, &len);
		p->entry = xmalloc(len + 1);
		memcpy(p->entry, entry, len);
		p->entry_len = len;
	}
	db_finalize(st);
	if (rc != DB_ROW)
		goto out;
	p->index = idx;
	p->npath = npath;
	p->path = xcalloc(npath > 0 ? npath : 1, sizeof(*p->path));
	memcpy(p->path, path, npath * sizeof(*path));
	ret = 0;
out:
	free(leaves);
	if (ret == -1)
		proof_release(p);
	return ret;
}
