/*
 * The schema, one migration per version. Registries are append-only
 * revisions: a row is never updated or deleted; an import adds the rows
 * that changed and a "removed" row for what disappeared, under a snapshot.
 */
#include <stddef.h>

#include "buf.h"
#include "db.h"
#include "log.h"
#include "schema.h"

/*
 * Each registry table keeps every revision of every record: the state as of
 * snapshot S is, per key, the revision with the largest snapshot <= S, if it
 * is present. No CHECK constraints on the bulk tables: registry.c validates
 * every value before it is written, and a CHECK costs ~3x on bulk loads.
 * A snapshot row is written last, once its counts are known: the foreign
 * keys to it are checked at COMMIT.
 */
static const char *const schema_v1[] = {
	"CREATE TABLE meta ("
	"  key   TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") STRICT, WITHOUT ROWID",
	/* A random id of this database, part of the ledger's origin. */
	"INSERT INTO meta (key, value) VALUES ('database_id',"
	"  lower(hex(randomblob(8))))",
	"CREATE TABLE snapshot ("
	"  id          INTEGER PRIMARY KEY,"
	"  kind        TEXT NOT NULL CHECK (kind IN"
	"                ('enterprises', 'inspectors', 'conflicts', 'risk')),"
	"  file_name   TEXT NOT NULL,"
	"  file_digest TEXT NOT NULL CHECK (length(file_digest) = 64),"
	"  encoding    TEXT NOT NULL,"
	"  imported_at TEXT NOT NULL,"
	"  rows_read   INTEGER NOT NULL CHECK (rows_read >= 0),"
	"  added       INTEGER NOT NULL CHECK (added >= 0),"
	"  changed     INTEGER NOT NULL CHECK (changed >= 0),"
	"  removed     INTEGER NOT NULL CHECK (removed >= 0),"
	"  rejected    INTEGER NOT NULL CHECK (rejected >= 0)"
	") STRICT",
	"CREATE TABLE enterprise_rev ("
	"  id           INTEGER PRIMARY KEY,"
	"  uscc         TEXT NOT NULL,"
	"  snapshot     INTEGER NOT NULL REFERENCES snapshot(id)"
	"                 DEFERRABLE INITIALLY DEFERRED,"
	"  present      INTEGER NOT NULL,"
	"  line         INTEGER NOT NULL,"
	"  digest       BLOB NOT NULL,"
	"  legacy       INTEGER NOT NULL,"
	"  name         TEXT NOT NULL,"
	"  division     TEXT NOT NULL,"
	"  industry     TEXT NOT NULL,"
	"  entity_type  TEXT NOT NULL,"
	"  status       TEXT NOT NULL,"
	"  address      TEXT NOT NULL,"
	"  abnormal     INTEGER NOT NULL,"
	"  serious      INTEGER NOT NULL,"
	"  certificates TEXT NOT NULL"
	") STRICT",
	"CREATE UNIQUE INDEX enterprise_rev_key"
	"  ON enterprise_rev(uscc, snapshot)",
	"CREATE INDEX enterprise_rev_snapshot ON enterprise_rev(snapshot)",
	"CREATE TABLE inspector_rev ("
	"  id             INTEGER PRIMARY KEY,"
	"  credential     TEXT NOT NULL,"
	"  snapshot       INTEGER NOT NULL REFERENCES snapshot(id)"
	"                   DEFERRABLE INITIALLY DEFERRED,"
	"  present        INTEGER NOT NULL,"
	"  line           INTEGER NOT NULL,"
	"  digest         BLOB NOT NULL,"
	"  name           TEXT NOT NULL,"
	"  department     TEXT NOT NULL,"
	"  jurisdiction   TEXT NOT NULL,"
	"  qualifications TEXT NOT NULL,"
	"  valid_until    TEXT NOT NULL,"
	"  active         INTEGER NOT NULL,"
	"  expert         INTEGER NOT NULL,"
	"  id_card        TEXT NOT NULL,"	/* personal: never exported */
	"  phone          TEXT NOT NULL"	/* personal: never exported */
	") STRICT",
	"CREATE UNIQUE INDEX inspector_rev_key"
	"  ON inspector_rev(credential, snapshot)",
	"CREATE INDEX inspector_rev_snapshot ON inspector_rev(snapshot)",
	"CREATE TABLE conflict_rev ("
	"  id          INTEGER PRIMARY KEY,"
	"  credential  TEXT NOT NULL,"
	"  uscc        TEXT NOT NULL,"
	"  valid_from  TEXT NOT NULL,"		/* '' = since always */
	"  snapshot    INTEGER NOT NULL REFERENCES snapshot(id)"
	"                DEFERRABLE INITIALLY DEFERRED,"
	"  present     INTEGER NOT NULL,"
	"  line        INTEGER NOT NULL,"
	"  digest      BLOB NOT NULL,"
	"  valid_to    TEXT NOT NULL,"		/* '' = open-ended */
	"  reason      TEXT NOT NULL,"
	"  source      TEXT NOT NULL"
	") STRICT",
	"CREATE UNIQUE INDEX conflict_rev_key"
	"  ON conflict_rev(credential, uscc, valid_from, snapshot)",
	"CREATE INDEX conflict_rev_snapshot ON conflict_rev(snapshot)",
	"CREATE TABLE risk_rev ("
	"  id          INTEGER PRIMARY KEY,"
	"  uscc        TEXT NOT NULL,"
	"  month       TEXT NOT NULL,"		/* YYYY-MM */
	"  snapshot    INTEGER NOT NULL REFERENCES snapshot(id)"
	"                DEFERRABLE INITIALLY DEFERRED,"
	"  present     INTEGER NOT NULL,"
	"  line        INTEGER NOT NULL,"
	"  digest      BLOB NOT NULL,"
	"  class       TEXT NOT NULL"
	") STRICT",
	"CREATE UNIQUE INDEX risk_rev_key ON risk_rev(uscc, month, snapshot)",
	"CREATE INDEX risk_rev_snapshot ON risk_rev(snapshot)",

	/* The evidence: the ledger and what its entries cover. */
	"CREATE TABLE ledger ("
	"  idx    INTEGER PRIMARY KEY CHECK (idx >= 0),"
	"  event  TEXT NOT NULL,"
	"  ref    INTEGER NOT NULL,"		/* the row the entry covers */
	"  entry  BLOB NOT NULL"		/* its canonical encoding */
	") STRICT",
	"CREATE TABLE checkpoint ("
	"  id         INTEGER PRIMARY KEY,"
	"  size       INTEGER NOT NULL CHECK (size >= 0),"
	"  root       BLOB NOT NULL CHECK (length(root) = 32),"
	"  note       TEXT NOT NULL,"	/* the signed checkpoint */
	"  created_at TEXT NOT NULL"
	") STRICT",
	"CREATE TABLE plan_version ("
	"  id         INTEGER PRIMARY KEY,"
	"  file_name  TEXT NOT NULL,"
	"  digest     TEXT NOT NULL CHECK (length(digest) = 64),"
	"  body       BLOB NOT NULL,"
	"  loaded_at  TEXT NOT NULL"
	") STRICT",
	"CREATE TABLE signing_key ("
	"  id         INTEGER PRIMARY KEY,"
	"  key_id     TEXT NOT NULL,"		/* minisign's, hex */
	"  public_key TEXT NOT NULL,"		/* base64, as in the .pub */
	"  first_used TEXT NOT NULL"
	") STRICT",
	"CREATE TABLE signature ("
	"  id         INTEGER PRIMARY KEY,"
	"  kind       TEXT NOT NULL,"
	"  pub_id     TEXT NOT NULL,"		/* '' when there is none */
	"  file_name  TEXT NOT NULL,"
	"  digest     TEXT NOT NULL CHECK (length(digest) = 64),"
	"  key_id     TEXT NOT NULL,"
	"  signed_at  TEXT NOT NULL"
	") STRICT",
	/* What a full verification found; operational, not evidence. */
	"CREATE TABLE ledger_alarm ("
	"  key      TEXT PRIMARY KEY,"
	"  message  TEXT NOT NULL,"
	"  found_at TEXT NOT NULL"
	") STRICT, WITHOUT ROWID",
	"CREATE TABLE finding ("
	"  id          INTEGER PRIMARY KEY,"
	"  reason      TEXT NOT NULL,"
	"  details     TEXT NOT NULL,"	/* the mismatches, one per line */
	"  recorded_by TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL"
	") STRICT",

	/* Draws: commitments, attempts, draws and their selections. */
	"CREATE TABLE commitment ("
	"  id           INTEGER PRIMARY KEY,"
	"  batch        TEXT NOT NULL,"
	"  task         TEXT NOT NULL,"
	"  items        TEXT NOT NULL,"		/* ';'-separated */
	"  lead         TEXT NOT NULL,"
	"  year         INTEGER NOT NULL,"
	"  plan_version INTEGER NOT NULL REFERENCES plan_version(id),"
	"  snapshot     INTEGER NOT NULL REFERENCES snapshot(id),"
	"  prior_draw   INTEGER NOT NULL,"	/* earlier draws it excludes */
	"  beacon_round INTEGER NOT NULL,"
	"  targets      INTEGER NOT NULL,"
	"  text         TEXT NOT NULL,"		/* commitment.txt */
	"  digest       TEXT NOT NULL CHECK (length(digest) = 64),"
	"  created_at   TEXT NOT NULL"
	") STRICT",
	/* Not in the ledger until the draw reveals it. */
	"CREATE TABLE commitment_secret ("
	"  commitment INTEGER PRIMARY KEY REFERENCES commitment(id),"
	"  secret     BLOB NOT NULL CHECK (length(secret) = 32)"
	") STRICT",
	"CREATE TABLE attempt ("
	"  id         INTEGER PRIMARY KEY,"
	"  commitment INTEGER NOT NULL REFERENCES commitment(id),"
	"  kind       TEXT NOT NULL CHECK (kind IN ('abort', 'failed-draw')),"
	"  reason     TEXT NOT NULL,"
	"  at         TEXT NOT NULL"
	") STRICT",
	"CREATE TABLE draw ("
	"  id          INTEGER PRIMARY KEY,"
	"  commitment  INTEGER NOT NULL UNIQUE REFERENCES commitment(id),"
	"  beacon      BLOB NOT NULL,"		/* the record as given */
	"  reveals     TEXT NOT NULL,"		/* "name value" lines */
	"  secret      BLOB NOT NULL CHECK (length(secret) = 32),"
	"  seed        TEXT NOT NULL CHECK (length(seed) = 64),"
	"  strata      TEXT NOT NULL,"		/* "name N n p/q" lines */
	"  selected    INTEGER NOT NULL,"
	"  drawn_at    TEXT NOT NULL"
	") STRICT",
	"CREATE TABLE selection ("
	"  draw     INTEGER NOT NULL REFERENCES draw(id)"
	"             DEFERRABLE INITIALLY DEFERRED,"
	"  rank     INTEGER NOT NULL,"
	"  uscc     TEXT NOT NULL,"
	"  stratum  TEXT NOT NULL,"
	"  ticket   TEXT NOT NULL,"
	"  PRIMARY KEY (draw, rank)"
	") STRICT, WITHOUT ROWID",
	"CREATE INDEX selection_uscc ON selection(uscc)",
	"CREATE VIEW batch_state AS"
	"  SELECT c.batch, c.id AS commitment, c.created_at, c.beacon_round,"
	"         CASE WHEN d.id IS NOT NULL THEN 'drawn'"
	"              WHEN a.id IS NOT NULL THEN 'aborted'"
	"              ELSE 'committed' END AS state,"
	"         d.id AS draw, d.selected"
	"  FROM commitment c LEFT JOIN draw d ON d.commitment = c.id"
	"  LEFT JOIN attempt a ON a.commitment = c.id AND a.kind = 'abort'",

	/* The current state, for the sqlite3 shell and for ssj itself. */
	"CREATE VIEW enterprise AS"
	"  SELECT uscc, legacy, name, division, industry, entity_type, status,"
	"         address, abnormal, serious, certificates, snapshot"
	"  FROM (SELECT *, max(snapshot) FROM enterprise_rev GROUP BY uscc)"
	"  WHERE present",
	"CREATE VIEW inspector AS"		/* without the personal data */
	"  SELECT credential, name, department, jurisdiction, qualifications,"
	"         valid_until, active, expert, snapshot"
	"  FROM (SELECT *, max(snapshot) FROM inspector_rev"
	"        GROUP BY credential)"
	"  WHERE present",
	"CREATE VIEW conflict AS"
	"  SELECT credential, uscc, valid_from, valid_to, reason, source,"
	"         snapshot"
	"  FROM (SELECT *, max(snapshot) FROM conflict_rev"
	"        GROUP BY credential, uscc, valid_from)"
	"  WHERE present",
	"CREATE VIEW risk AS"
	"  SELECT uscc, month, class, snapshot"
	"  FROM (SELECT *, max(snapshot) FROM risk_rev GROUP BY uscc, month)"
	"  WHERE present",
	"CREATE VIEW risk_latest AS"
	"  SELECT uscc, class, month FROM"
	"  (SELECT uscc, class, month, max(month) FROM risk GROUP BY uscc)",
	"CREATE VIEW enterprise_class AS"
	"  SELECT e.uscc, e.name, e.division, e.industry, e.status,"
	"         r.class, r.month AS class_month"
	"  FROM enterprise e LEFT JOIN risk_latest r USING (uscc)",
	NULL
};

/*
 * Version 2: inspector teams (docs/protocol.md §9). The draw writes each
 * slot's inspector (assignment) and each target's eligible count (team);
 * a replacement is a row of its own, never an update: the current team
 * is each slot's latest replacement, else the draw's assignment. A
 * commitment's frames count the replacements its ledger entry follows.
 */
static const char *const schema_v2[] = {
	"CREATE TABLE team ("
	"  draw      INTEGER NOT NULL REFERENCES draw(id)"
	"              DEFERRABLE INITIALLY DEFERRED,"
	"  rank      INTEGER NOT NULL,"
	"  eligible  INTEGER NOT NULL,"
	"  PRIMARY KEY (draw, rank)"
	") STRICT, WITHOUT ROWID",
	"CREATE TABLE assignment ("
	"  draw        INTEGER NOT NULL REFERENCES draw(id)"
	"                DEFERRABLE INITIALLY DEFERRED,"
	"  rank        INTEGER NOT NULL,"
	"  slot        INTEGER NOT NULL,"
	"  credential  TEXT NOT NULL,"
	"  PRIMARY KEY (draw, rank, slot)"
	") STRICT, WITHOUT ROWID",
	"CREATE INDEX assignment_credential ON assignment(credential)",
	"CREATE TABLE replacement ("
	"  id          INTEGER PRIMARY KEY,"
	"  draw        INTEGER NOT NULL REFERENCES draw(id),"
	"  number      INTEGER NOT NULL,"	/* 1, 2, ... per draw */
	"  rank        INTEGER NOT NULL,"
	"  slot        INTEGER NOT NULL,"
	"  removed     TEXT NOT NULL,"
	"  drawn       TEXT NOT NULL,"
	"  reason      TEXT NOT NULL CHECK (reason <> ''),"
	"  at          TEXT NOT NULL,"
	"  UNIQUE (draw, number)"
	") STRICT",
	"CREATE VIEW current_team AS"
	"  SELECT a.draw, a.rank, a.slot, s.uscc,"
	"         coalesce((SELECT r.drawn FROM replacement r"
	"                   WHERE r.draw = a.draw AND r.rank = a.rank"
	"                   AND r.slot = a.slot ORDER BY r.number DESC"
	"                   LIMIT 1), a.credential) AS credential"
	"  FROM assignment a"
	"  JOIN selection s ON s.draw = a.draw AND s.rank = a.rank",
	NULL
};

/*
 * Version 3: results, their review and publication (一公开). A result is
 * never updated: a change is a new revision with its reason (更正). A
 * review action (approve, return) and a publication each cover the
 * targets they name up to a revision (upto, a result_rev id), so that a
 * later revision is awaiting review again. Each import, review and
 * publication is one ledger entry with its rows as children.
 */
static const char *const schema_v3[] = {
	"CREATE TABLE result_import ("
	"  id          INTEGER PRIMARY KEY,"
	"  draw        INTEGER NOT NULL REFERENCES draw(id),"
	"  file_name   TEXT NOT NULL,"
	"  file_digest TEXT NOT NULL CHECK (length(file_digest) = 64),"
	"  encoding    TEXT NOT NULL,"
	"  rows_read   INTEGER NOT NULL CHECK (rows_read >= 0),"
	"  revisions   INTEGER NOT NULL CHECK (revisions >= 0),"
	"  rejected    INTEGER NOT NULL CHECK (rejected >= 0),"
	"  imported_at TEXT NOT NULL"
	") STRICT",
	/* results: the import that wrote it (the ledger event's name). */
	"CREATE TABLE result_rev ("
	"  id          INTEGER PRIMARY KEY,"
	"  results     INTEGER NOT NULL REFERENCES result_import(id)"
	"                DEFERRABLE INITIALLY DEFERRED,"
	"  draw        INTEGER NOT NULL REFERENCES draw(id),"
	"  uscc        TEXT NOT NULL,"
	"  item        TEXT NOT NULL,"
	"  department  TEXT NOT NULL,"
	"  revision    INTEGER NOT NULL CHECK (revision >= 1),"
	"  line        INTEGER NOT NULL,"
	"  method      TEXT NOT NULL,"		/* ';'-separated */
	"  result      TEXT NOT NULL,"		/* codes, ','-separated */
	"  completed   TEXT NOT NULL,"		/* YYYY-MM-DD */
	"  findings    TEXT NOT NULL,"
	"  measures    TEXT NOT NULL,"
	"  document    TEXT NOT NULL,"
	"  signers     TEXT NOT NULL,"		/* credentials, ';' */
	"  reason      TEXT NOT NULL,"		/* 更正: why it changed */
	"  UNIQUE (draw, uscc, item, revision)"
	") STRICT",
	"CREATE INDEX result_rev_results ON result_rev(results)",
	"CREATE TABLE review ("
	"  id          INTEGER PRIMARY KEY,"
	"  draw        INTEGER NOT NULL REFERENCES draw(id),"
	"  action      TEXT NOT NULL CHECK (action IN ('approve', 'return')),"
	"  reason      TEXT NOT NULL,"
	"  reviewer    TEXT NOT NULL CHECK (reviewer <> ''),"
	"  at          TEXT NOT NULL,"
	"  targets     INTEGER NOT NULL CHECK (targets > 0)"
	") STRICT",
	"CREATE TABLE review_target ("
	"  review      INTEGER NOT NULL REFERENCES review(id)"
	"                DEFERRABLE INITIALLY DEFERRED,"
	"  uscc        TEXT NOT NULL,"
	"  upto        INTEGER NOT NULL,"	/* the newest result_rev id */
	"  PRIMARY KEY (review, uscc)"
	") STRICT, WITHOUT ROWID",
	"CREATE TABLE publication ("
	"  id          INTEGER PRIMARY KEY,"
	"  draw        INTEGER NOT NULL REFERENCES draw(id),"
	"  number      INTEGER NOT NULL,"	/* 1, 2, ... per draw */
	"  manifest    TEXT NOT NULL,"		/* its file name */
	"  digest      TEXT NOT NULL CHECK (length(digest) = 64),"
	"  records     INTEGER NOT NULL CHECK (records > 0),"
	"  corrections INTEGER NOT NULL CHECK (corrections >= 0),"
	"  published_at TEXT NOT NULL,"
	"  UNIQUE (draw, number)"
	") STRICT",
	"CREATE TABLE published ("
	"  publication INTEGER NOT NULL REFERENCES publication(id)"
	"                DEFERRABLE INITIALLY DEFERRED,"
	"  uscc        TEXT NOT NULL,"
	"  upto        INTEGER NOT NULL,"
	"  replaces    INTEGER NOT NULL,"	/* publication corrected; 0 */
	"  PRIMARY KEY (publication, uscc)"
	") STRICT, WITHOUT ROWID",
	/* Result notices are numbered per authority and year, no gaps. */
	"CREATE TABLE notice ("
	"  id          INTEGER PRIMARY KEY,"
	"  kind        TEXT NOT NULL CHECK (kind IN ('plan', 'task', 'result')),"
	"  authority   TEXT NOT NULL,"
	"  year        INTEGER NOT NULL,"
	"  number      INTEGER NOT NULL,"	/* per kind, authority, year */
	"  subject     TEXT NOT NULL,"		/* plan id or batch */
	"  title       TEXT NOT NULL,"
	"  digest      TEXT NOT NULL CHECK (length(digest) = 64),"
	"  written_at  TEXT NOT NULL,"
	"  UNIQUE (kind, authority, year, number)"
	") STRICT",
	/* The latest revision of each target's item. */
	"CREATE VIEW result AS"
	"  SELECT id, results, draw, uscc, item, department, revision, method,"
	"         result, completed, findings, measures, document, signers,"
	"         reason"
	"  FROM (SELECT *, max(revision) FROM result_rev"
	"        GROUP BY draw, uscc, item)",
	/* 未录入 -> 待审核 -> 已审核 -> 已公示; 退回 until a new revision. */
	"CREATE VIEW result_state AS"
	"  SELECT s.draw, s.rank, s.uscc, r.upto, r.completed,"
	"         v.action, v.upto AS reviewed, p.upto AS published,"
	"         CASE WHEN r.upto IS NULL THEN '未录入'"
	"              WHEN v.upto IS NULL OR v.upto < r.upto THEN '待审核'"
	"              WHEN v.action = 'return' THEN '退回'"
	"              WHEN p.upto >= r.upto THEN '已公示'"
	"              ELSE '已审核' END AS state"
	"  FROM selection s"
	"  LEFT JOIN (SELECT draw, uscc, max(id) AS upto,"
	"             max(completed) AS completed FROM result"
	"             GROUP BY draw, uscc) r"
	"    ON r.draw = s.draw AND r.uscc = s.uscc"
	"  LEFT JOIN (SELECT draw, uscc, action, upto FROM"
	"             (SELECT v.draw, t.uscc, v.action, t.upto, row_number()"
	"              OVER (PARTITION BY v.draw, t.uscc ORDER BY v.id DESC)"
	"              AS n FROM review_target t JOIN review v"
	"              ON v.id = t.review) WHERE n = 1) v"
	"    ON v.draw = s.draw AND v.uscc = s.uscc"
	"  LEFT JOIN (SELECT u.draw, p.uscc, max(p.upto) AS upto"
	"             FROM published p JOIN publication u"
	"             ON u.id = p.publication GROUP BY u.draw, p.uscc) p"
	"    ON p.draw = s.draw AND p.uscc = s.uscc",
	NULL
};

/*
 * Version 4: what the schedule did to each batch, and when -- commits,
 * draws and exports by run-due or the daemon, lateness, problems that
 * held a step, forced commits -- each row in the ledger ("schedule").
 */
static const char *const schema_v4[] = {
	"CREATE TABLE schedule_event ("
	"  id     INTEGER PRIMARY KEY,"
	"  batch  TEXT NOT NULL,"
	"  at     INTEGER NOT NULL,"	/* unix time, the schedule's clock */
	"  kind   TEXT NOT NULL CHECK (kind IN ('commit', 'draw', 'export',"
	"           'late', 'stuck', 'forced')),"
	"  detail TEXT NOT NULL"
	") STRICT",
	"CREATE INDEX schedule_event_batch ON schedule_event (batch, id)",
	NULL
};

/*
 * Version 5: the current state, kept by the imports (registry.c) so that
 * no command reads the revisions through the GROUP BY views to learn it
 * (issue 14). Derived data, not evidence: rewritten by every import, in
 * its transaction, and rebuilt from the revisions here. enterprise_cur
 * holds each present enterprise's latest revision, the columns a frame
 * reads; risk_cur each enterprise's class of its latest month that has
 * one; registry_count the figures 'ssj status' shows; frame_file and
 * frame_chunk the frames commit wrote. The views stay:
 * they are what the sqlite3 shell and the snapshots read.
 */
static const char *const schema_v5[] = {
	"CREATE TABLE enterprise_cur ("
	"  uscc         TEXT PRIMARY KEY,"
	"  legacy       INTEGER NOT NULL,"
	"  division     TEXT NOT NULL,"
	"  industry     TEXT NOT NULL,"
	"  entity_type  TEXT NOT NULL,"
	"  status       TEXT NOT NULL,"
	"  abnormal     INTEGER NOT NULL,"
	"  serious      INTEGER NOT NULL,"
	"  certificates TEXT NOT NULL"
	") STRICT, WITHOUT ROWID",
	"CREATE TABLE risk_cur ("
	"  uscc   TEXT PRIMARY KEY,"
	"  month  TEXT NOT NULL,"
	"  class  TEXT NOT NULL"
	") STRICT, WITHOUT ROWID",
	/* (kind, dimension, key): 'enterprises' 'division' '360203' n. */
	"CREATE TABLE registry_count ("
	"  kind   TEXT NOT NULL,"
	"  dim    TEXT NOT NULL,"
	"  key    TEXT NOT NULL,"
	"  n      INTEGER NOT NULL,"
	"  PRIMARY KEY (kind, dim, key)"
	") STRICT, WITHOUT ROWID",
	/*
	 * The frame files of each commitment, by their BLAKE2b-256, as
	 * chunks in id order under the id of the file's first one (head):
	 * the files of one frame are written at once, their chunks
	 * interleaved. Draw and export read them back and check the digest
	 * instead of rebuilding them (frame.c).
	 */
	"CREATE TABLE frame_file ("
	"  digest BLOB PRIMARY KEY CHECK (length(digest) = 32),"
	"  size   INTEGER NOT NULL CHECK (size >= 0),"
	"  head   INTEGER NOT NULL"
	") STRICT, WITHOUT ROWID",
	"CREATE TABLE frame_chunk ("
	"  id     INTEGER PRIMARY KEY,"
	"  head   INTEGER NOT NULL,"
	"  data   BLOB NOT NULL"
	") STRICT",
	"CREATE INDEX frame_chunk_head ON frame_chunk(head, id)",
	"INSERT INTO enterprise_cur SELECT uscc, legacy, division, industry,"
	"  entity_type, status, abnormal, serious, certificates"
	"  FROM enterprise ORDER BY uscc",
	"INSERT INTO risk_cur SELECT uscc, month, class FROM risk_latest"
	"  ORDER BY uscc",
	/* The same statements as registry.c's refresh_counts(). */
	"INSERT INTO registry_count SELECT 'enterprises', 'all', '', count(*)"
	"  FROM enterprise_cur",
	"INSERT INTO registry_count SELECT 'enterprises', 'active', '',"
	"  count(*) FROM enterprise_cur WHERE status IN ('存续', '在业')",
	"INSERT INTO registry_count SELECT 'enterprises', 'abnormal', '',"
	"  count(*) FROM enterprise_cur WHERE abnormal",
	"INSERT INTO registry_count SELECT 'enterprises', 'serious', '',"
	"  count(*) FROM enterprise_cur WHERE serious",
	"INSERT INTO registry_count SELECT 'enterprises', 'legacy', '',"
	"  count(*) FROM enterprise_cur WHERE legacy",
	"INSERT INTO registry_count SELECT 'enterprises', 'division',"
	"  division, count(*) FROM enterprise_cur GROUP BY division",
	"INSERT INTO registry_count SELECT 'enterprises', 'type',"
	"  entity_type, count(*) FROM enterprise_cur GROUP BY entity_type",
	"INSERT INTO registry_count SELECT 'enterprises', 'class',"
	"  coalesce(r.class, ''), count(*) FROM enterprise_cur e"
	"  LEFT JOIN risk_cur r ON r.uscc = e.uscc GROUP BY 3",
	"INSERT INTO registry_count SELECT 'risk', 'month', month, count(*)"
	"  FROM risk GROUP BY month",
	NULL
};

/*
 * Append-only, enforced: no ssj command updates or deletes a ledger row or
 * a row it covers; these triggers make an accidental one fail loudly. (An
 * insider can drop them; `ssj ledger verify` still finds what changed.)
 */
static const char *const append_only[] = {
	"snapshot", "enterprise_rev", "inspector_rev", "conflict_rev",
	"risk_rev", "ledger", "checkpoint", "plan_version", "signing_key",
	"signature", "finding", "commitment", "commitment_secret", "attempt",
	"draw", "selection", "selection_key", "team", "assignment",
	"replacement",
	"result_import", "result_rev", "review", "review_target", "publication",
	"published", "notice", "schedule_event", NULL
};

/*
 * Version 6: the frame image, each current enterprise as a frame reads it
 * (key, division, flags, class) packed in key order, written by the
 * imports after the current tables (frame.c): a commit reads the registry
 * as a few blobs instead of stepping through two tables. Part 0 is a
 * header naming the snapshots it was made from; derived data, used only
 * while those are the latest, and rebuilt by the next import.
 */
static const char *const schema_v6[] = {
	"CREATE TABLE frame_image ("
	"  part  INTEGER PRIMARY KEY CHECK (part >= 0),"
	"  data  BLOB NOT NULL"
	") STRICT",
	/*
	 * What a later commit needs of a draw, written with it: its
	 * selection's ids packed by id with their ranks (keys), and each
	 * inspector's slots as drawn (loads, "CREDENTIAL\tN" lines), so
	 * that the year's history is read as a blob a draw, not as rows.
	 * A draw made before has none: its rows are read instead.
	 */
	"CREATE TABLE draw_summary ("
	"  draw   INTEGER PRIMARY KEY REFERENCES draw(id),"
	"  keys   BLOB NOT NULL,"
	"  loads  TEXT NOT NULL"
	") STRICT",
	/*
	 * Every query of the slots names its draw (the primary key's
	 * prefix); the workloads are read from the summaries. An index by
	 * credential cost a province's draw a second for nothing.
	 */
	"DROP INDEX assignment_credential",
	NULL
};

/*
 * Version 7: no index by snapshot on the revision tables (a tenth of a
 * database of twelve months of classes). Imports only append, so the
 * revisions of one snapshot are one run of ids: an import reads its own
 * by id, the ledger finds a snapshot's run by a binary search over ids
 * (ledger.c), and 'ssj ledger verify' checks that every table is in
 * snapshot order. And the risk classes' index led by the month: a
 * month's classes go to its right edge, where led by the code each
 * import put one entry beside every enterprise's older months on every
 * page of it, rewriting the whole index (a growing half gigabyte a month
 * at 1 M enterprises). A lookup by code alone goes month by month
 * (RISK_MONTHS in schema.h).
 */
static const char *const schema_v7[] = {
	"DROP INDEX enterprise_rev_snapshot",
	"DROP INDEX inspector_rev_snapshot",
	"DROP INDEX conflict_rev_snapshot",
	"DROP INDEX risk_rev_snapshot",
	"DROP INDEX risk_rev_key",
	"CREATE UNIQUE INDEX risk_rev_key ON risk_rev(month, uscc, snapshot)",
	NULL
};

/*
 * Version 8: the selection's index by code led by the draw. Led by the
 * code, every draw put its targets beside each earlier draw's on every
 * page of the index and so rewrote all of it: at 10 M enterprises the
 * eleventh draw of a year took 7.9 s where the first took 4.7. A draw's
 * targets now go to the index's right edge; a lookup by code alone goes
 * draw by draw (a year has a few dozen).
 */
static const char *const schema_v8[] = {
	"DROP INDEX selection_uscc",
	"CREATE INDEX selection_draw_uscc ON selection(draw, uscc)",
	NULL
};

/*
 * Version 9: the frame files a commit keeps go beside the database, in
 * DB-frames/ under their digests (framestore.c), listed in frame_file
 * with head 0; those kept in frame_chunk before stay there. Inside the
 * database a file was written twice (the WAL, then the database) page by
 * page: a commit of 1 M enterprises took 0.43-0.55 s, beside it 0.33.
 * Nothing changes in the tables; the version tells an older ssj that it
 * cannot read the frames.
 */
static const char *const schema_v9[] = {
	NULL
};

/*
 * Version 10: the frame image in records of 16 bytes (image 2, frame.c),
 * where image 1 took 20: the division, flags and class share a word. A
 * tenth of a gigabyte less at 10 M enterprises. 'ssj init' rewrites the
 * image; until then a commit reads the current tables.
 */
static const char *const schema_v10[] = {
	NULL
};

/*
 * Version 11: a draw's selection by code is a table the draw writes in
 * code order, where it was an index on selection. The index took the
 * rows in rank order, which is random by code: at 10 M enterprises its
 * 480 000 inserts, each at a random place of the draw's part of the
 * index, took a second of the draw, the table's a fifth of that.
 */
static const char *const schema_v11[] = {
	"CREATE TABLE selection_key ("
	"  draw  INTEGER NOT NULL REFERENCES draw(id)"
	"          DEFERRABLE INITIALLY DEFERRED,"
	"  uscc  TEXT NOT NULL,"
	"  rank  INTEGER NOT NULL,"
	"  PRIMARY KEY (draw, uscc)"
	") STRICT, WITHOUT ROWID",
	"INSERT INTO selection_key (draw, uscc, rank) SELECT draw, uscc, rank "
	"FROM selection ORDER BY draw, uscc",
	"DROP INDEX selection_draw_uscc",
	NULL
};

static const char *const *const migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
	schema_v5,
	schema_v6,
	schema_v7,
	schema_v8,
	schema_v9,
	schema_v10,
	schema_v11,
};

#define NMIGRATIONS	(sizeof(migrations) / sizeof(migrations[0]))

_Static_assert(NMIGRATIONS == SCHEMA_VERSION,
    "one migration per schema version");

static int
create_append_only_triggers(struct db *db)
{
	struct buf	 sql = BUF_INIT;
	int64_t		 exists;
	size_t		 i;
	int		 ret = 0;

	for (i = 0; append_only[i] != NULL && ret == 0; i++) {
		/* Tables of later versions get theirs when they come. */
		buf_reset(&sql);
		buf_printf(&sql, "SELECT count(*) FROM sqlite_master WHERE "
		    "type = 'table' AND name = '%s'", append_only[i]);
		if ((ret = db_query_int(db, buf_cstr(&sql), &exists)) == -1 ||
		    !exists)
			continue;
		buf_reset(&sql);
		buf_printf(&sql, "CREATE TRIGGER IF NOT EXISTS %s_no_update "
		    "BEFORE UPDATE ON %s BEGIN SELECT RAISE(ABORT, "
		    "'%s is append-only'); END;"
		    "CREATE TRIGGER IF NOT EXISTS %s_no_delete "
		    "BEFORE DELETE ON %s BEGIN SELECT RAISE(ABORT, "
		    "'%s is append-only'); END;", append_only[i],
		    append_only[i], append_only[i], append_only[i],
		    append_only[i], append_only[i]);
		ret = db_exec(db, buf_cstr(&sql));
	}
	buf_release(&sql);
	return ret;
}

static int
run_migration(struct db *db, const char *const *stmts)
{
	size_t	 i;

	for (i = 0; stmts[i] != NULL; i++)
		if (db_exec(db, stmts[i]) == -1)
			return -1;
	return 0;
}

int
schema_migrate(struct db *db, int *from)
{
	int	 version;

	if (db_user_version(db, &version) == -1)
		return -1;
	*from = version;
	if (version > SCHEMA_VERSION)
		return error("database '%s' has schema version %d, newer than "
		    "this ssj's %d; use a newer ssj", db_path(db), version,
		    SCHEMA_VERSION);
	if (version == SCHEMA_VERSION)
		return 0;
	/* WAL cannot be entered inside a transaction; it persists. */
	if (db_exec(db, "PRAGMA journal_mode = WAL") == -1)
		return -1;
	for (; version < SCHEMA_VERSION; version++) {
		if (db_begin(db) == -1)
			return -1;
		if (run_migration(db, migrations[version]) == -1 ||
		    create_append_only_triggers(db) == -1 ||
		    db_set_user_version(db, version + 1) == -1 ||
		    db_commit(db) == -1) {
			db_rollback(db);
			return error("database '%s': migration to schema "
			    "version %d failed", db_path(db), version + 1);
		}
	}
	return 0;
}

int
schema_check(struct db *db)
{
	int	 version;

	if (db_user_version(db, &version) == -1)
		return -1;
	if (version == SCHEMA_VERSION)
		return 0;
	if (version == 0)
		return error("database '%s' is not initialised; run 'ssj init'",
		    db_path(db));
	if (version < SCHEMA_VERSION)
		return error("database '%s' has schema version %d; run "
		    "'ssj init' to migrate it to %d", db_path(db), version,
		    SCHEMA_VERSION);
	return error("database '%s' has schema version %d, newer than this "
	    "ssj's %d; use a newer ssj", db_path(db), version, SCHEMA_VERSION);
}

struct db *
schema_open(const char *path, int flags)
{
	struct db	*db;

	if ((db = db_open(path, flags)) == NULL)
		return NULL;
	if (schema_check(db) == -1) {
		db_close(db);
		return NULL;
	}
	return db;
}
