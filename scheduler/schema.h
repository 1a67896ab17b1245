/*
 * The database schema and its forward migrations (PRAGMA user_version).
 * Tables, views and their meaning are documented in docs/formats.md.
 */
#ifndef SSJ_SCHEMA_H
#define SSJ_SCHEMA_H

struct db;

#define SCHEMA_VERSION	6

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
