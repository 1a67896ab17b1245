/*
 * Unit tests of the ledger: entries rebuilt from their rows, every way an
 * insider could change a covered row, checkpoints, proofs and findings.
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

#include "crypto.h"
#include "csvfile.h"
#include "db.h"
#include "keys.h"
#include "ledger.h"
#include "merkle.h"
#include "note.h"
#include "proof.h"
#include "registry.h"
#include "schema.h"

#define ENTERPRISES "统一社会信用代码,企业名称,行政区划,行业代码,登记状态\n" \
	"91360202000000019L,景德镇市甲陶瓷有限公司,360202,C3074,存续\n" \
	"91360202000000027F,景德镇市乙电器有限公司,360202,C3851,存续\n"
#define RISK "统一社会信用代码,风险等级,分类月份\n" \
	"91360202000000019L,A,2026-10\n"

struct fixture {
	struct db	*db;
	int		 saved;
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
	/* The messages of refusals are expected: keep them out of TAP. */
	fflush(stderr);
	fx->saved = dup(2);
	assert_non_null(freopen("/dev/null", "w", stderr));
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	fflush(stderr);
	dup2(fx->saved, 2);
	close(fx->saved);
	db_close(fx->db);
	free(fx);
	return 0;
}

static void
import(struct fixture *fx, enum registry_kind kind, const char *text)
{
	struct registry_options	 opts;
	struct registry_stats	 st;
	struct csvfile		*csv;

	memset(&opts, 0, sizeof(opts));
	csv = csvfile_open_buffer(text, strlen(text), "t.csv", CSV_UTF8);
	assert_non_null(csv);
	assert_int_equal(registry_import_csv(fx->db, kind, csv, &opts, &st),
	    0);
	assert_false(st.refused);
	csvfile_close(csv);
}

/* What an insider does with the sqlite3 shell: triggers first. */
static void
tamper(struct fixture *fx, const char *sql)
{
	assert_int_equal(db_exec(fx->db, "DROP TRIGGER IF EXISTS "
	    "enterprise_rev_no_update; DROP TRIGGER IF EXISTS "
	    "enterprise_rev_no_delete; DROP TRIGGER IF EXISTS "
	    "snapshot_no_update; DROP TRIGGER IF EXISTS ledger_no_update; "
	    "DROP TRIGGER IF EXISTS ledger_no_delete"), 0);
	assert_int_equal(db_exec(fx->db, sql), 0);
}

static struct ledger_report
verify(struct fixture *fx)
{
	struct ledger_report	 r;

	assert_int_equal(ledger_verify(fx->db, NULL, 0, &r), 0);
	return r;
}

static void
test_ledger__import_is_logged_and_verifies(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;
	struct db_stmt		*st;
	const char		*entry;
	size_t			 len;

	r = verify(fx);
	assert_int_equal(r.size, 0);
	assert_int_equal(r.nproblems, 0);
	ledger_report_release(&r);

	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	import(fx, REGISTRY_RISK, RISK);
	r = verify(fx);
	assert_int_equal(r.size, 2);
	assert_int_equal(r.nproblems, 0);
	ledger_report_release(&r);
	assert_int_equal(ledger_guard(fx->db), 0);

	st = db_prepare(fx->db, "SELECT entry FROM ledger WHERE idx = 0");
	assert_int_equal(db_step(st), DB_ROW);
	entry = db_col_blob(st, 0, &len);
	assert_true(len > 0);
	assert_memory_equal(entry, "ssj-ledger/1\nevent snapshot\nref 1\n",
	    34);
	assert_non_null(strstr(entry, "\nkind enterprises\n"));
	assert_non_null(strstr(entry, "\nrevisions enterprise_rev\n"));
	assert_non_null(strstr(entry, "\nrevision-rows 2\n"));
	assert_non_null(strstr(entry, "\nrevisions-blake2b-256 "));
	db_finalize(st);
}

static void
test_ledger__a_changed_row_is_named(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;

	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	import(fx, REGISTRY_RISK, RISK);
	tamper(fx, "UPDATE enterprise_rev SET name = '别的公司' WHERE uscc = "
	    "'91360202000000027F'");
	r = verify(fx);
	assert_int_equal(r.nnew, 1);
	assert_int_equal(r.problems[0].idx, 0);
	assert_non_null(strstr(r.problems[0].message, "entry 0 (snapshot 1) "
	    "does not match the rows it covers: 'revisions-blake2b-256' "
	    "differs"));
	ledger_report_release(&r);
	assert_int_equal(ledger_guard(fx->db), -1);
}

static void
test_ledger__removed_added_and_uncovered_rows(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;

	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	tamper(fx, "DELETE FROM enterprise_rev WHERE uscc = "
	    "'91360202000000019L'");
	r = verify(fx);
	assert_int_equal(r.nnew, 1);
	assert_non_null(strstr(r.problems[0].message, "'revision-rows' "
	    "differs"));
	ledger_report_release(&r);

	/* a row slipped in under a snapshot no entry covers */
	assert_int_equal(db_exec(fx->db, "PRAGMA foreign_keys = OFF; "
	    "INSERT INTO enterprise_rev (uscc, snapshot, present, line, "
	    "digest, legacy, name, division, industry, entity_type, status, "
	    "address, abnormal, serious, certificates) VALUES "
	    "('91360203000000035Q', 9, 1, 2, x'00', 0, '幽灵', '360203', "
	    "'C3074', 'enterprise', '存续', '', 0, 0, '')"), 0);
	r = verify(fx);
	assert_int_equal(r.nnew, 2);
	assert_non_null(strstr(r.problems[1].message, "enterprise_rev rows of "
	    "snapshot 9 are covered by no ledger entry"));
	ledger_report_release(&r);
}

/*
 * A snapshot's revisions digested by their writer as it stores them: the
 * entry takes that digest and reads only the rows after it, to the same
 * result as `ledger verify` reading them all (the imports' rows, then
 * the removals an update appends); a digest given is really the one
 * used, and one that does not start the run is not.
 */
static void
test_ledger__rows_digested_by_their_writer(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;
	struct ledger_rows	 rows;
	struct registry_options	 opts;
	struct registry_stats	 st;
	struct csvfile		*csv;
	static const unsigned char zero[16];
	static const char	 update[] = "统一社会信用代码,企业名称,行政区划,"
	    "行业代码,登记状态\n91360202000000019L,景德镇市甲陶瓷股份有限公司,"
	    "360202,C3074,存续\n";
	int64_t			 idx;

	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	/* An update: one row changed (stored), one removed (appended). */
	memset(&opts, 0, sizeof(opts));
	opts.allow_removals = 1;
	csv = csvfile_open_buffer(update, strlen(update), "u.csv", CSV_UTF8);
	assert_non_null(csv);
	assert_int_equal(registry_import_csv(fx->db, REGISTRY_ENTERPRISES, csv,
	    &opts, &st), 0);
	csvfile_close(csv);
	assert_int_equal(st.changed, 1);
	assert_int_equal(st.removed, 1);
	r = verify(fx);
	assert_int_equal(r.size, 2);
	assert_int_equal(r.nproblems, 0);
	ledger_report_release(&r);

	/* Snapshot 3 by hand: ids 5 and 6 (after 1, 2, then 3, 4). */
	assert_int_equal(db_exec(fx->db, "INSERT INTO snapshot (id, kind, "
	    "file_name, file_digest, encoding, imported_at, rows_read, added, "
	    "changed, removed, rejected) VALUES (3, 'enterprises', 'h.csv', "
	    "printf('%064d', 0), 'UTF-8', '2026-12-05T00:00:00Z', 2, 2, 0, 0, "
	    "0); INSERT INTO enterprise_rev (id, uscc, snapshot, present, line, "
	    "digest, legacy, name, division, industry, entity_type, status, "
	    "address, abnormal, serious, certificates) VALUES (5, "
	    "'91360203000000035Q', 3, 1, 2, zeroblob(16), 0, '丙', '360203', "
	    "'C3074', 'enterprise', '存续', '', 0, 0, ''), (6, "
	    "'91360203000000043J', 3, 1, 3, zeroblob(16), 0, '丁', '360203', "
	    "'C3074', 'enterprise', '存续', '', 0, 0, '')"), 0);
	ledger_rows_init(&rows, "enterprise_rev", 5);
	assert_false(ledger_rows_begin(&rows, 4));
	assert_false(ledger_rows_begin(&rows, 5));	/* stopped */
	ledger_rows_release(&rows);

	/* Row 5 digested with a name it does not have: the entry shows it. */
	ledger_rows_init(&rows, "enterprise_rev", 5);
	assert_true(ledger_rows_begin(&rows, 5));
	ledger_rows_text(&rows, "91360203000000035Q", 18);
	ledger_rows_int(&rows, 3);
	ledger_rows_int(&rows, 1);
	ledger_rows_int(&rows, 2);
	ledger_rows_blob(&rows, zero, sizeof(zero));
	ledger_rows_int(&rows, 0);
	ledger_rows_text(&rows, "戊", strlen("戊"));
	ledger_rows_text(&rows, "360203", 6);
	ledger_rows_text(&rows, "C3074", 5);
	ledger_rows_text(&rows, "enterprise", 10);
	ledger_rows_text(&rows, "存续", strlen("存续"));
	ledger_rows_text(&rows, "", 0);
	ledger_rows_int(&rows, 0);
	ledger_rows_int(&rows, 0);
	ledger_rows_text(&rows, "", 0);
	ledger_rows_end(&rows);
	assert_int_equal(ledger_append_rows(fx->db, "snapshot", 3, &rows, 1,
	    &idx), 0);
	ledger_rows_release(&rows);
	r = verify(fx);
	assert_int_equal(r.nnew, 1);
	assert_int_equal(r.problems[0].idx, idx);
	assert_non_null(strstr(r.problems[0].message,
	    "'revisions-blake2b-256' differs"));
	ledger_report_release(&r);
}

/*
 * With no index by snapshot, a snapshot's digest reads its run of ids,
 * found by a binary search: a row of an old snapshot slipped in after a
 * later one is named by the check of the table's order.
 */
static void
test_ledger__revision_out_of_snapshot_order(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;
	int64_t			 on;

	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	import(fx, REGISTRY_RISK, RISK);
	import(fx, REGISTRY_ENTERPRISES, "统一社会信用代码,企业名称,行政区划,"
	    "行业代码,登记状态\n"
	    "91360202000000019L,景德镇市甲陶瓷有限公司,360202,C3074,存续\n"
	    "91360202000000027F,景德镇市乙电器股份有限公司,360202,C3851,"
	    "存续\n");
	/* the imports left the foreign keys off only while they ran */
	assert_int_equal(db_query_int(fx->db, "PRAGMA foreign_keys", &on), 0);
	assert_int_equal(on, 1);
	r = verify(fx);
	assert_int_equal(r.nproblems, 0);
	ledger_report_release(&r);

	assert_int_equal(db_exec(fx->db, "PRAGMA foreign_keys = OFF; "
	    "INSERT INTO enterprise_rev (uscc, snapshot, present, line, "
	    "digest, legacy, name, division, industry, entity_type, status, "
	    "address, abnormal, serious, certificates) VALUES "
	    "('91360203000000035Q', 1, 1, 4, x'00', 0, '幽灵', '360203', "
	    "'C3074', 'enterprise', '存续', '', 0, 0, '')"), 0);
	r = verify(fx);
	/* the runs the search finds are off too: the digests may differ */
	assert_true(r.nnew >= 1);
	assert_non_null(strstr(r.problems[r.nproblems - 1].message,
	    "enterprise_rev row 4 (snapshot 1) lies among the rows of "
	    "snapshot 3"));
	ledger_report_release(&r);
}

static void
test_ledger__snapshot_row_and_ledger_row(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;

	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	tamper(fx, "UPDATE snapshot SET rows_read = 1");
	r = verify(fx);
	assert_int_equal(r.nnew, 1);
	assert_non_null(strstr(r.problems[0].message, "'rows_read' differs"));
	ledger_report_release(&r);

	tamper(fx, "UPDATE snapshot SET rows_read = 2; UPDATE ledger SET "
	    "ref = 7");
	r = verify(fx);
	assert_true(r.nnew >= 1);
	assert_non_null(strstr(r.problems[0].message, "entry 0 (snapshot 7)"));
	ledger_report_release(&r);
}

static void
test_ledger__acknowledged_findings(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;
	int64_t			 idx;
	size_t			 n;

	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	tamper(fx, "UPDATE enterprise_rev SET division = '360203'");
	/* The quick checks of the guard do not read the revisions... */
	assert_int_equal(ledger_guard(fx->db), 0);
	/* ...but once a full verification found it, the ledger is stuck. */
	r = verify(fx);
	assert_int_equal(r.nnew, 1);
	ledger_report_release(&r);
	assert_int_equal(ledger_guard(fx->db), -1);
	assert_int_equal(ledger_acknowledge(fx->db, "纪检组核实: 测试篡改",
	    "auditor", &idx, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(idx, 1);
	r = verify(fx);
	assert_int_equal(r.nnew, 0);
	assert_int_equal(r.nproblems, 1);
	assert_true(r.problems[0].acknowledged);
	ledger_report_release(&r);
	assert_int_equal(ledger_guard(fx->db), 0);
	/* the ledger can grow again */
	import(fx, REGISTRY_RISK, RISK);
	/* nothing new: nothing to acknowledge */
	assert_int_equal(ledger_acknowledge(fx->db, "again", "auditor", &idx,
	    &n), 0);
	assert_int_equal(n, 0);
	/* a second change is a new problem */
	tamper(fx, "UPDATE enterprise_rev SET division = '360222'");
	r = verify(fx);
	assert_int_equal(r.nnew, 1);
	ledger_report_release(&r);
}

static void
checkpoint_key(struct seckey *sk, struct pubkey *pk)
{
	memset(sk, 0, sizeof(*sk));
	memset(sk->keynum, 7, sizeof(sk->keynum));
	crypto_keypair(pk->pk, sk->sk);
	memcpy(pk->keynum, sk->keynum, sizeof(pk->keynum));
}

static void
test_ledger__checkpoint_and_proof(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;
	struct seckey		 sk;
	struct pubkey		 pk;
	struct proof		 p;
	struct checkpoint	 cp;
	merkle_hash		 leaf;
	char			*note, *err = NULL;
	uint64_t		 size;

	checkpoint_key(&sk, &pk);
	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	import(fx, REGISTRY_RISK, RISK);
	assert_int_equal(ledger_checkpoint(fx->db, "ssj/360200/test", &sk,
	    &note, &size), 0);
	assert_int_equal(size, 2);
	assert_memory_equal(note, "ssj/360200/test\n2\n", 18);
	memset(&cp, 0, sizeof(cp));
	assert_int_equal(checkpoint_open(note, strlen(note), "ssj/360200/test",
	    pk.pk, &cp, &err), 0);
	assert_int_equal(cp.size, 2);
	checkpoint_release(&cp);
	free(note);

	r = verify(fx);
	assert_int_equal(r.checkpoint, 1);
	assert_int_equal(r.checkpoint_size, 2);
	assert_int_equal(r.nproblems, 0);
	ledger_report_release(&r);
	assert_int_equal(ledger_verify(fx->db, &pk, 0, &r), 0);
	assert_true(r.signature_checked);
	assert_int_equal(r.nproblems, 0);
	ledger_report_release(&r);

	assert_int_equal(ledger_prove(fx->db, 1, &p), 0);
	assert_int_equal(p.index, 1);
	assert_int_equal(p.size, 2);
	memset(&cp, 0, sizeof(cp));
	assert_int_equal(checkpoint_open(p.checkpoint, strlen(p.checkpoint),
	    "ssj/360200/test", pk.pk, &cp, &err), 0);
	merkle_leaf_hash(leaf, p.entry, p.entry_len);
	assert_int_equal(merkle_verify_inclusion(leaf, p.index, p.size,
	    (const merkle_hash *)p.path, p.npath, cp.root), 0);
	checkpoint_release(&cp);
	proof_release(&p);
	assert_int_equal(ledger_prove(fx->db, 2, &p), -1);

	/* rewriting an entry and its rows consistently still fails */
	tamper(fx, "UPDATE ledger SET entry = CAST(entry || 'x' AS BLOB) "
	    "WHERE idx = 1");
	/* and the quick checks see it: the checkpoint no longer matches */
	assert_int_equal(ledger_guard(fx->db), -1);
	r = verify(fx);
	assert_true(r.nnew >= 2);
	assert_non_null(strstr(r.problems[r.nproblems - 1].message,
	    "checkpoint 1 (size 2) no longer matches the ledger"));
	ledger_report_release(&r);
}

static void
test_ledger__wrong_key_fails_the_checkpoint(void **state)
{
	struct fixture		*fx = *state;
	struct ledger_report	 r;
	struct seckey		 sk, other_sk;
	struct pubkey		 pk, other_pk;
	char			*note;
	uint64_t		 size;

	checkpoint_key(&sk, &pk);
	checkpoint_key(&other_sk, &other_pk);
	import(fx, REGISTRY_ENTERPRISES, ENTERPRISES);
	assert_int_equal(ledger_checkpoint(fx->db, "ssj/360200/test", &sk,
	    &note, &size), 0);
	free(note);
	assert_int_equal(ledger_verify(fx->db, &other_pk, 0, &r), 0);
	assert_int_equal(r.nnew, 1);
	assert_non_null(strstr(r.problems[0].message, "checkpoint 1: its "
	    "signed note does not verify"));
	ledger_report_release(&r);
}

static void
test_ledger__keys_are_logged_once(void **state)
{
	struct fixture	*fx = *state;
	struct seckey	 sk;
	struct pubkey	 pk;
	int64_t		 idx, n;

	checkpoint_key(&sk, &pk);
	assert_int_equal(ledger_note_key(fx->db, &pk, &idx), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(ledger_note_key(fx->db, &pk, &idx), 0);
	assert_int_equal(idx, -1);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM ledger",
	    &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ledger_note_signature(fx->db, "file", NULL, "a.txt",
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "0707070707070707", &idx), 0);
	assert_int_equal(idx, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_ledger__import_is_logged_and_verifies, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__a_changed_row_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__removed_added_and_uncovered_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__rows_digested_by_their_writer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__revision_out_of_snapshot_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__snapshot_row_and_ledger_row, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__acknowledged_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__checkpoint_and_proof, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__wrong_key_fails_the_checkpoint, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_ledger__keys_are_logged_once, setup, teardown),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
