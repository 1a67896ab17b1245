/*
 * The schema, one migration per version. Registries are append-only
 * revisions: a row is never updated or deleted; an import adds the rows
 * that changed and a "removed" row for what disappeared, under a snapshot.
 */
#include <stddef.h>

#include "db.h"
#include "log.h"
#include "schema.h"

/*
 * Each registry table keeps every revision of every record: the state as of
 * snapshot S is, per key, the revision with the largest snapshot <= S, if it
 * is present. No CHECK constraints on the bulk tables: import.c validates
 * every value before it is written, and a CHECK costs ~3x on bulk loads.
 */
static const char *const migrations[] = {
	/* 1: registries and snapshots */
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
	") STRICT;"
	"CREATE TABLE enterprise_rev ("
	"  id           INTEGER PRIMARY KEY,"
	"  uscc         TEXT NOT NULL,"
	"  snapshot     INTEGER NOT NULL REFERENCES snapshot(id),"
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
	") STRICT;"
	"CREATE UNIQUE INDEX enterprise_rev_key"
	"  ON enterprise_rev(uscc, snapshot);"
	"CREATE TABLE inspector_rev ("
	"  id             INTEGER PRIMARY KEY,"
	"  credential     TEXT NOT NULL,"
	"  snapshot       INTEGER NOT NULL REFERENCES snapshot(id),"
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
	") STRICT;"
	"CREATE UNIQUE INDEX inspector_rev_key"
	"  ON inspector_rev(credential, snapshot);"
	"CREATE TABLE conflict_rev ("
	"  id          INTEGER PRIMARY KEY,"
	"  credential  TEXT NOT NULL,"
	"  uscc        TEXT NOT NULL,"
	"  valid_from  TEXT NOT NULL,"		/* '' = since always */
	"  snapshot    INTEGER NOT NULL REFERENCES snapshot(id),"
	"  present     INTEGER NOT NULL,"
	"  line        INTEGER NOT NULL,"
	"  digest      BLOB NOT NULL,"
	"  valid_to    TEXT NOT NULL,"		/* '' = open-ended */
	"  reason      TEXT NOT NULL,"
	"  source      TEXT NOT NULL"
	") STRICT;"
	"CREATE UNIQUE INDEX conflict_rev_key"
	"  ON conflict_rev(credential, uscc, valid_from, snapshot);"
	"CREATE TABLE risk_rev ("
	"  id          INTEGER PRIMARY KEY,"
	"  uscc        TEXT NOT NULL,"
	"  month       TEXT NOT NULL,"		/* YYYY-MM */
	"  snapshot    INTEGER NOT NULL REFERENCES snapshot(id),"
	"  present     INTEGER NOT NULL,"
	"  line        INTEGER NOT NULL,"
	"  digest      BLOB NOT NULL,"
	"  class       TEXT NOT NULL"
	") STRICT;"
	"CREATE UNIQUE INDEX risk_rev_key ON risk_rev(uscc, month, snapshot);"
	/* The current state, for the sqlite3 shell and for ssj itself. */
	"CREATE VIEW enterprise AS"
	"  SELECT uscc, legacy, name, division, industry, entity_type, status,"
	"         address, abnormal, serious, certificates, snapshot"
	"  FROM (SELECT *, max(snapshot) FROM enterprise_rev GROUP BY uscc)"
	"  WHERE present;"
	"CREATE VIEW inspector AS"		/* without the personal data */
	"  SELECT credential, name, department, jurisdiction, qualifications,"
	"         valid_until, active, expert, snapshot"
	"  FROM (SELECT *, max(snapshot) FROM inspector_rev"
	"        GROUP BY credential)"
	"  WHERE present;"
	"CREATE VIEW conflict AS"
	"  SELECT credential, uscc, valid_from, valid_to, reason, source,"
	"         snapshot"
	"  FROM (SELECT *, max(snapshot) FROM conflict_rev"
	"        GROUP BY credential, uscc, valid_from)"
	"  WHERE present;"
	"CREATE VIEW risk AS"
	"  SELECT uscc, month, class, snapshot"
	"  FROM (SELECT *, max(snapshot) FROM risk_rev GROUP BY uscc, month)"
	"  WHERE present;"
	"CREATE VIEW risk_latest AS"
	"  SELECT uscc, class, month FROM"
	"  (SELECT uscc, class, month, max(month) FROM risk GROUP BY uscc);"
	"CREATE VIEW enterprise_class AS"
	"  SELECT e.uscc, e.name, e.division, e.industry, e.status,"
	"         r.class, r.month AS class_month"
	"  FROM enterprise e LEFT JOIN risk_latest r USING (uscc);",
};

#define NMIGRATIONS	(sizeof(migrations) / sizeof(migrations[0]))

_Static_assert(NMIGRATIONS == SCHEMA_VERSION,
    "one migration per schema version");

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
		if (db_exec(db, migrations[version]) == -1 ||
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
