/*
 * The database schema and its forward migrations (PRAGMA user_version).
 * Tables, views and their meaning are documented in docs/formats.md.
 */
#ifndef SSJ_SCHEMA_H
#define SSJ_SCHEMA_H

struct db;

#define SCHEMA_VERSION	11

/*
 * The months risk_rev has revisions of, one index seek each: risk_rev_key
 * is led by the month (version 7), so that a query by code alone reads
 * "WHERE month IN (" RISK_MONTHS ") AND uscc = ?".
 */
#define RISK_MONTHS \
	"WITH RECURSIVE months(m) AS (SELECT min(month) FROM risk_rev " \
	"UNION ALL SELECT (SELECT min(month) FROM risk_rev WHERE month > m) " \
	"FROM months WHERE m IS NOT NULL) SELECT m FROM months"

/*
 * Creates the schema in an empty database or migrates an older one to
 * SCHEMA_VERSION, each step in one transaction. *from is the version found.
 */
int	schema_migrate(struct db *, int *from);
/*
 * Checks that the database has the schema this build expects; says what
 * to do (run 'ssj init') when it does not.
 */
int	schema_check(struct db *);
/* Opens an initialised database of the current version, or says why not. */
struct db *schema_open(const char *path, int flags);

#endif
