/*
 * The registries of 一单两库 and their imports: enterprises (检查对象名录库),
 * inspectors (执法检查人员名录库), conflicts of interest (回避) and monthly
 * credit-risk classes. Each import is one transaction and one snapshot;
 * every earlier snapshot can be read back.
 */
#ifndef SSJ_REGISTRY_H
#define SSJ_REGISTRY_H

#include <stdint.h>
#include <stdio.h>

#include "csvfile.h"

struct config;
struct db;

enum registry_kind {
	REGISTRY_ENTERPRISES,
	REGISTRY_INSPECTORS,
	REGISTRY_CONFLICTS,
	REGISTRY_RISK,
	REGISTRY_NKINDS
};

struct registry_options {
	enum csv_encoding	 encoding;
	/* Where bad rows go; NULL: any bad row refuses the whole file. */
	const char		*reject_path;
	/* Risk classes, departments, qualifications; NULL: A-D, no checks. */
	const struct config	*cfg;
	/* A progress line on stderr (the caller checks it is a terminal). */
	int			 progress;
	/* A delta: rows add or update, absent keys are not removed. */
	int			 partial;
	/* Every row names a key to remove (ssj import --remove). */
	int			 remove;
	/*
	 * A whole-registry import removing more than num/den of it is
	 * refused unless allow_removals; den 0: the default, 5%. The text
	 * ("5%") is for the message.
	 */
	int			 allow_removals;
	uint64_t		 max_removals_num;
	uint64_t		 max_removals_den;
	const char		*max_removals_text;
};

struct registry_stats {
	int64_t		 snapshot;	/* the new snapshot; 0 if none */
	int64_t		 same_as;	/* nothing changed since this one */
	int		 refused;	/* bad input: nothing was imported */
	uint64_t	 rows;		/* data rows read */
	uint64_t	 added;
	uint64_t	 changed;
	uint64_t	 removed;
	uint64_t	 unchanged;
	uint64_t	 rejected;	/* bad rows (written to reject_path) */
	uint64_t	 kept;		/* rejected, previous version kept */
	int		 pool;		/* the pool counts below apply */
	uint64_t	 pool_gained;	/* now drawable, before not */
	uint64_t	 pool_lost;	/* drawable before, now not */
	uint64_t	 warnings;
	uint64_t	 legacy;	/* 15-digit 注册号 instead of a USCC */
	int64_t		 ledger_entry;	/* the snapshot's ledger entry */
	int64_t		 plan_entry;	/* the plan's, if it was recorded */
	const char	*encoding;	/* the file's, as read */
	int		 encoding_detected; /* GB18030 without --encoding */
};

int		 registry_kind_parse(const char *, enum registry_kind *);
const char	*registry_kind_name(enum registry_kind);

/*
 * Imports a CSV file as a new snapshot of one registry, reporting every
 * bad row as "FILE:LINE: column 'X': reason" on stderr. Returns 0 when the
 * import is done -- or refused for bad input, with stats->refused set and
 * the database unchanged -- and -1 on any other failure (reported).
 */
int	registry_import(struct db *, enum registry_kind, const char *path,
	    const struct registry_options *, struct registry_stats *);
/* The same from an open reader (tests and fuzzing); the caller closes it. */
int	registry_import_csv(struct db *, enum registry_kind, struct csvfile *,
	    const struct registry_options *, struct registry_stats *);

/*
 * Writes a registry as it was at a snapshot (0: the latest) as CSV, with
 * the Chinese headers and in key order -- a file that imports back to the
 * same state. Personal data (ID-card numbers, phones) is never written.
 */
int	registry_dump(struct db *, enum registry_kind, int64_t snapshot,
	    FILE *);

#endif
