/*
 * libFuzzer harness of the registry import: the first byte picks the
 * registry and the encoding, the rest is the CSV file, imported into a
 * fresh in-memory database. Checks that a refused file leaves nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "crypto.h"
#include "csvfile.h"
#include "db.h"
#include "registry.h"
#include "schema.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int			 ready;
	struct registry_options		 opts = { 0 };
	struct registry_stats		 st;
	struct csvfile			*csv;
	struct db			*db;
	int64_t				 n;
	int				 from;

	if (size < 1 || size > 65536)
		return 0;
	if (!ready) {
		crypto_setup();
		ready = 1;
	}
	opts.encoding = (enum csv_encoding)((data[0] >> 2) % 4);
	if ((db = db_open(":memory:", DB_CREATE)) == NULL ||
	    schema_migrate(db, &from) == -1)
		abort();
	csv = csvfile_open_buffer(data + 1, size - 1, "fuzz.csv",
	    opts.encoding);
	if (csv == NULL)
		abort();
	if (registry_import_csv(db, (enum registry_kind)(data[0] % 4), csv,
	    &opts, &st) == -1)
		abort();
	if (st.refused || st.snapshot == 0) {
		if (db_query_int(db, "SELECT (SELECT count(*) FROM snapshot) + "
		    "(SELECT count(*) FROM enterprise_rev) + (SELECT count(*) "
		    "FROM inspector_rev) + (SELECT count(*) FROM conflict_rev) "
		    "+ (SELECT count(*) FROM risk_rev)", &n) == -1 || n != 0)
			abort();
	}
	csvfile_close(csv);
	db_close(db);
	return 0;
}
