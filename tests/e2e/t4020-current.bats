#!/usr/bin/env bats
# Schema 4 keeps the current registry as tables the imports maintain
# (enterprise_cur, risk_cur, registry_count) so that status and the frames
# never read the revisions through the GROUP BY views: they must say what
# the views say after any sequence of imports, and a database made by an
# older ssj must migrate to them with its ledger and bundles unchanged.

load lib

# selection_key against the selection it is derived from, row for row.
selection_keys_match() {
	[ "$(sqlite3 ssj.db "SELECT draw, uscc, rank FROM selection_key
	    EXCEPT SELECT draw, uscc, rank FROM selection")" = "" ]
	[ "$(sqlite3 ssj.db "SELECT draw, uscc, rank FROM selection
	    EXCEPT SELECT draw, uscc, rank FROM selection_key")" = "" ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM selection_key")" = \
	    "$(sqlite3 ssj.db "SELECT count(*) FROM selection")" ]
}

# The current tables against the views they replace, and the counts
# against the same figures computed from the views.
current_matches_views() {
	local e='uscc, legacy, division, industry, entity_type, status,
	    abnormal, serious, certificates'
	[ "$(sqlite3 ssj.db "SELECT $e FROM enterprise ORDER BY uscc")" = \
	    "$(sqlite3 ssj.db "SELECT $e FROM enterprise_cur ORDER BY uscc")" ] ||
	    { echo "enterprise_cur differs from the view"; return 1; }
	[ "$(sqlite3 ssj.db 'SELECT uscc, month, class FROM risk_latest
	    ORDER BY uscc')" = "$(sqlite3 ssj.db 'SELECT uscc, month, class
	    FROM risk_cur ORDER BY uscc')" ] ||
	    { echo "risk_cur differs from the view"; return 1; }
	[ "$(sqlite3 ssj.db "
	    SELECT 'all', '', count(*) FROM enterprise
	    UNION ALL SELECT 'active', '', count(*) FROM enterprise
	      WHERE status IN ('存续', '在业')
	    UNION ALL SELECT 'abnormal', '', count(*) FROM enterprise
	      WHERE abnormal
	    UNION ALL SELECT 'serious', '', count(*) FROM enterprise
	      WHERE serious
	    UNION ALL SELECT 'legacy', '', count(*) FROM enterprise
	      WHERE legacy
	    UNION ALL SELECT * FROM (SELECT 'division', division, count(*)
	      FROM enterprise GROUP BY 2)
	    UNION ALL SELECT * FROM (SELECT 'type', entity_type, count(*)
	      FROM enterprise GROUP BY 2)
	    UNION ALL SELECT * FROM (SELECT 'class', coalesce(class, ''),
	      count(*) FROM enterprise_class GROUP BY 2)
	    UNION ALL SELECT * FROM (SELECT 'month', month, count(*) FROM risk
	      GROUP BY 2)
	    ORDER BY 1, 2" | grep -v '|0$')" = "$(sqlite3 ssj.db "SELECT dim, key, n FROM
	    registry_count WHERE n > 0 ORDER BY 1, 2")" ] ||
	    { echo "registry_count differs from the views"; return 1; }
}

# old_database DIR: the example plan with the database, plan and keys an
# earlier release made (DIR: ssj.sql, jingdezhen.yaml, keys/, and from
# schema 9 the frame files it kept beside the database, frames/).
old_database() {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	cp "$1/jingdezhen.yaml" .
	rm -rf keys ssj.db ssj.db-frames
	cp -R "$1/keys" keys
	chmod 600 keys/ssj.key
	sqlite3 ssj.db < "$1/ssj.sql"
	if [ -d "$1/frames" ]; then
		cp -R "$1/frames" ssj.db-frames
		chmod 700 ssj.db-frames
		chmod 600 ssj.db-frames/*
	fi
	export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml
}

# migrated_as_made DIR: after 'ssj init', what a database an earlier
# release made must give: no index on the selection (schema 11; schema
# 8's by draw and code is dropped), selection_key holding every draw's
# selection by code, the current tables as the views, its ledger
# verifying, and its drawn batch exporting the bundle that release
# exported (DIR/bundle.b2sums), byte for byte.
migrated_as_made() {
	[ -z "$(sqlite3 ssj.db "SELECT name FROM sqlite_master WHERE
	    tbl_name = 'selection' AND type = 'index' AND sql IS NOT NULL")" ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM selection_key")" -gt 0 ]
	selection_keys_match
	current_matches_views
	run ssj ledger verify
	[ "$status" -eq 0 ]
	ssj export JDZ-2026-INFO-TC-1 bundle > /dev/null
	diff <(cd bundle && find . -type f | sort | xargs b2sum) \
	    "$1/bundle.b2sums"
	ssj verify bundle -p keys/ssj.pub > /dev/null
}

@test "the current tables and counts follow every import as the views do" {
	example_registries
	current_matches_views
	# a later registry: a quarter gone, some changed, one new
	{ head -n 301 data/enterprises.csv | sed '5s/存续/注销/; 9s/,否,/,是,/'
	  sed -n 2p data/enterprises.csv |
	      sed 's/^91[0-9A-Z]*/91360203MA35K0XX9A/'; } > later.csv
	run ssj import enterprises later.csv --allow-removals
	[ "$status" -eq 0 ]
	[[ "$output" == *"removed"* ]]
	current_matches_views
	# a class withdrawn from the latest month: the month before counts
	{ echo '统一社会信用代码,分类月份'
	  sed -n '2,4s/^\([^,]*\),[^,]*,\(.*\)$/\1,\2/p' \
	      data/risk-2026-10.csv; } > withdraw.csv
	run ssj import risk --remove withdraw.csv
	[ "$status" -eq 0 ]
	current_matches_views
	# and given again, changed
	{ echo '统一社会信用代码,风险等级,分类月份'
	  sed -n '2,3s/^\([^,]*\),[^,]*,\(.*\)$/\1,D,\2/p' \
	      data/risk-2026-10.csv; } > again.csv
	run ssj import risk again.csv
	[ "$status" -eq 0 ]
	current_matches_views
	# status reads the counts: the same figures as the views give
	run ssj status
	[ "$status" -eq 0 ]
	n=$(sqlite3 ssj.db 'SELECT count(*) FROM enterprise')
	[[ "$output" == *"enterprises: $n, "* ]]
	d=$(sqlite3 ssj.db "SELECT count(*) FROM enterprise_class
	    WHERE class = 'D'")
	[[ "$output" == *" D $d"* ]]
}

@test "a risk file of a new month and of one imported before: the new month's rows added, the other's compared" {
	example_registries
	# 2026-10 again, two classes changed (neither was D), eight the
	# same; and 2026-11, never imported, five rows
	[ "$(sed -n '2,3p' data/risk-2026-10.csv | grep -c ',D,')" -eq 0 ]
	{ echo '统一社会信用代码,风险等级,分类月份'
	  sed -n '2,3s/^\([^,]*\),[^,]*,/\1,D,/p' data/risk-2026-10.csv
	  sed -n '4,11p' data/risk-2026-10.csv
	  sed -n '12,16s/,2026-10$/,2026-11/p' data/risk-2026-10.csv
	} > mixed.csv
	run ssj import risk mixed.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *": 15 rows, 5 added, 2 changed, 0 removed, 8 unchanged"* ]]
	current_matches_views
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM risk_cur
	    WHERE month = '2026-11'")" -eq 5 ]
	# the same file again: every row as it is now, no snapshot
	run ssj import risk mixed.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"'mixed.csv': nothing changed"* ]]
	current_matches_views
}

# The share of a table's pages left unused, in per cent.
unused_pct() {
	sqlite3 ssj.db "SELECT sum(unused) * 100 / sum(pgsize) FROM dbstat
	    WHERE name = '$1'"
}

@test "a first import writes the current tables packed, and later ones keep them right" {
	example_plan
	rm -f ssj.db
	ssj init > /dev/null
	registry 100000 > big.csv
	run ssj import enterprises big.csv
	[ "$status" -eq 0 ]
	# its frame image, made from the rows in memory (two parts), is the
	# one the tables give ('ssj init' from schema 9 remakes it)
	image=$(sqlite3 ssj.db "SELECT hex(data) FROM frame_image ORDER BY part")
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM frame_image")" -eq 3 ]
	sqlite3 ssj.db "PRAGMA user_version = 9; DELETE FROM frame_image;
	    DROP TABLE selection_key;
	    CREATE INDEX selection_draw_uscc ON selection(draw, uscc)"
	ssj init > /dev/null
	[ "$(sqlite3 ssj.db "SELECT hex(data) FROM frame_image ORDER BY part")" = \
	    "$image" ]
	{ echo '统一社会信用代码,风险等级,分类月份'
	  awk -F, 'NR > 1 { print $1 "," substr("ABCD", NR % 4 + 1, 1) \
	      ",2026-05" }' big.csv; } > risk-05.csv
	run ssj import risk risk-05.csv
	[ "$status" -eq 0 ]
	# row by row, even in key order, SQLite leaves 12-14 % of them empty
	[ "$(unused_pct enterprise_cur)" -le 2 ]
	[ "$(unused_pct risk_cur)" -le 2 ]
	[ "$(sqlite3 ssj.db 'SELECT count(*) FROM enterprise_cur')" -eq 100000 ]
	current_matches_views
	sed 's/,2026-05$/,2026-06/; 3s/,[ABCD],/,D,/' risk-05.csv > risk-06.csv
	run ssj import risk risk-06.csv
	[ "$status" -eq 0 ]
	current_matches_views
}

@test "a failed import leaves the current tables as they were" {
	example_registries
	before=$(sqlite3 ssj.db .dump)
	{ head -n 200 data/enterprises.csv
	  sed -n 2p data/enterprises.csv |
	      sed 's/^91[0-9A-Z]*/91360203MA35K0XX9C/'; } > bad.csv
	run ssj import enterprises bad.csv
	[ "$status" -ne 0 ]
	[ "$(sqlite3 ssj.db .dump)" = "$before" ]
}

@test "a schema-3 database migrates: its ledger verifies, its drawn batch exports the same bundle, its live commitment draws" {
	local v3=$DATA/schema-v3
	old_database "$v3"
	run ssj status
	[ "$status" -eq 2 ]
	[[ "$output" == *"has schema version 3; run 'ssj init' to migrate it"* ]]
	run ssj init
	[ "$status" -eq 0 ]
	[ "$output" = "migrated database 'ssj.db' from schema 3 to 11" ]
	# schema 7: no index by snapshot; the ledger finds a snapshot's rows
	# by a binary search over ids
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM sqlite_master WHERE name
	    GLOB '*_rev_snapshot'")" -eq 0 ]
	# ssj 0.1.0's bundle, byte for byte
	migrated_as_made "$v3"
	# committed by 0.1.0, drawn now
	run ssj draw JDZ-2026-INFO-1 --beacon "$v3/beacon-19.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"drew batch 'JDZ-2026-INFO-1': 26 of 373 targets"* ]]
	selection_keys_match
	ssj export JDZ-2026-INFO-1 bundle-2 > /dev/null
	ssj verify bundle-2 -p keys/ssj.pub > /dev/null
	run ssj ledger verify
	[ "$status" -eq 0 ]
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"enterprises: 400, "* ]]
}

@test "a schema-8 database (frames kept inside it) migrates: its drawn batch exports the same bundle, its live commitment draws from the frames it keeps" {
	local v8=$DATA/schema-v8
	old_database "$v8"
	run ssj init
	[ "$status" -eq 0 ]
	[ "$output" = "migrated database 'ssj.db' from schema 8 to 11" ]
	# its frame image rewritten, in records of mostly 12 bytes
	[[ "$(sqlite3 ssj.db "SELECT CAST(data AS TEXT) FROM frame_image
	    WHERE part = 0")" == "ssj frame image 2"* ]]
	[ "$(sqlite3 ssj.db "SELECT sum(length(data)) FROM frame_image
	    WHERE part > 0")" -lt $((13 * $(sqlite3 ssj.db "SELECT count(*)
	    FROM enterprise_cur"))) ]
	migrated_as_made "$v8"
	# the live commitment's frames are read from the chunks: one
	# changed byte is refused
	targets=$(sqlite3 ssj.db "SELECT text FROM commitment WHERE batch =
	    'JDZ-2026-INFO-1'" | awk '$1 == "targets-blake2b-256" { print $2 }')
	cp ssj.db kept.db
	sqlite3 ssj.db "UPDATE frame_chunk SET data = CAST(replace(CAST(data
	    AS TEXT), char(9) || 'B' || char(9),
	    char(9) || 'C' || char(9)) AS BLOB) WHERE head = (SELECT head
	    FROM frame_file WHERE digest = X'$targets')"
	run ssj draw JDZ-2026-INFO-1 --beacon "$v8/beacon.json"
	[ "$status" -ne 0 ]
	[[ "$output" == *"kept in the database no longer matches the commitment's digest: the database was changed; check the ledger"* ]]
	mv kept.db ssj.db
	rm -f ssj.db-wal ssj.db-shm
	run ssj draw JDZ-2026-INFO-1 --beacon "$v8/beacon.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"drew batch 'JDZ-2026-INFO-1': 26 of 373 targets"* ]]
	[ ! -e ssj.db-frames ] || [ -z "$(ls ssj.db-frames)" ]
	ssj export JDZ-2026-INFO-1 bundle-2 > /dev/null
	ssj verify bundle-2 -p keys/ssj.pub > /dev/null
	run ssj ledger verify
	[ "$status" -eq 0 ]
}

# Made by ssj 46ac616 (schema 10): example_registries, JDZ-2026-INFO-TC-1
# committed, drawn and exported (bundle.b2sums), JDZ-2026-INFO-1 committed
# (beacon.json its round); the database dumped, its kept frames copied.
@test "a schema-10 database (the release before selection_key) migrates: its selection keyed by code, its bundle the same, its live commitment drawn from the frames kept beside it" {
	local v10=$DATA/schema-v10
	old_database "$v10"
	[ "$(sqlite3 ssj.db "PRAGMA user_version")" -eq 10 ]
	run ssj draw JDZ-2026-INFO-1 --beacon "$v10/beacon.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"has schema version 10; run 'ssj init' to migrate it"* ]]
	run ssj init
	[ "$status" -eq 0 ]
	[ "$output" = "migrated database 'ssj.db' from schema 10 to 11" ]
	migrated_as_made "$v10"
	# the live commitment's targets are read from the file kept beside
	# the database: one changed byte is refused
	kept=ssj.db-frames/$(sqlite3 ssj.db "SELECT text FROM commitment
	    WHERE batch = 'JDZ-2026-INFO-1'" |
	    awk '$1 == "targets-blake2b-256" { print $2 }')
	[ -f "$kept" ]
	cp "$kept" kept
	sed -i 's/A/B/' "$kept"
	run ssj draw JDZ-2026-INFO-1 --beacon "$v10/beacon.json"
	[ "$status" -ne 0 ]
	[[ "$output" == *"kept in '$kept' no longer matches the commitment's digest"* ]]
	cp kept "$kept"
	run ssj draw JDZ-2026-INFO-1 --beacon "$v10/beacon.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"drew batch 'JDZ-2026-INFO-1': "* ]]
	selection_keys_match
	ssj export JDZ-2026-INFO-1 bundle-2 > /dev/null
	ssj verify bundle-2 -p keys/ssj.pub > /dev/null
	run ssj ledger verify
	[ "$status" -eq 0 ]
}

@test "frames from the current tables are the frames from the revisions, byte for byte, for every task" {
	example_registries
	# a later registry, so that the revisions are not the current rows
	sed 's/,否,否,/,是,否,/' data/enterprises.csv > changed.csv
	ssj import enterprises changed.csv > /dev/null 2>&1
	drawn=0
	i=0
	# drawn in the order of their dates: each narrows the next (same item,
	# annual caps); the risk months are later than some draw dates, not
	# than others
	for b in JDZ-2026-CCC-1 JDZ-2026-CERT-1 JDZ-2026-XFCP-1 \
	    JDZ-2026-INFO-1 JDZ-2026-CCC-2 JDZ-2026-INFO-TC-1 \
	    JDZ-2026-XFCP-2; do
		run ssj commit "$b"
		[ "$status" -eq 0 ]
		# the kept frames dropped: the draw rebuilds them from the
		# snapshot's revisions and refuses any byte that differs; every
		# other time without the earlier draws' summaries, read from
		# their rows instead (as for a draw made before schema 6)
		sqlite3 ssj.db "DELETE FROM frame_file"
		[ $((i++ % 2)) = 1 ] && sqlite3 ssj.db "DELETE FROM draw_summary"
		beacon_record "$b.commitment.txt" > beacon.json
		run ssj draw "$b" --beacon beacon.json
		# (a draw may fail to staff a team: not a frame's matter)
		[[ "$output" != *"differs from the commitment"* ]] ||
		    { echo "$b: $output"; false; }
		[[ "$output" == *"drew batch"* ||
		    "$output" == *"cannot be staffed"* ]] ||
		    { echo "$b: $output"; false; }
		[[ "$output" == *"drew batch"* ]] && drawn=$((drawn + 1))
	done
	# (the frames are checked before the teams: all seven were)
	[ "$drawn" -ge 3 ]
}

@test "the frame image is read only while it is the latest, and gives the frames the tables give" {
	example_plan
	# classes of months before the draw (2026-07-15): the image applies
	sed 's/2026-09$/2026-05/' data/risk-2026-09.csv > risk-05.csv
	sed 's/2026-10$/2026-06/' data/risk-2026-10.csv > risk-06.csv
	ssj import risk risk-05.csv > /dev/null 2>&1
	ssj import risk risk-06.csv > /dev/null 2>&1
	[[ "$(sqlite3 ssj.db "SELECT CAST(data AS TEXT) FROM frame_image
	    WHERE part = 0")" == "ssj frame image 2"* ]]
	cp ssj.db before.db
	run ssj -v commit JDZ-2026-INFO-1
	[ "$status" -eq 0 ]
	[[ "$output" == *"(the frame image)"* ]]
	digests=$(sqlite3 ssj.db "SELECT text FROM commitment" | grep blake2b | grep -v secret)
	# the same registry, the image said to be older than its snapshots
	cp before.db ssj.db
	rm -f ssj.db-wal ssj.db-shm
	sqlite3 ssj.db "UPDATE frame_image SET data = CAST(replace(CAST(data
	    AS TEXT), 'enterprises ', 'enterprises 9') AS BLOB) WHERE part = 0"
	run ssj -v commit JDZ-2026-INFO-1
	[ "$status" -eq 0 ]
	[[ "$output" == *"made before the latest import"* ]]
	[[ "$output" != *"(the frame image)"* ]]
	[ "$(sqlite3 ssj.db "SELECT text FROM commitment" | grep blake2b | grep -v secret)" = \
	    "$digests" ]
	# the next enterprises import remakes it
	sed 's/,否,否,/,是,否,/' data/enterprises.csv > changed.csv
	run ssj import enterprises changed.csv
	[ "$status" -eq 0 ]
	[[ "$(sqlite3 ssj.db "SELECT CAST(data AS TEXT) FROM frame_image
	    WHERE part = 0")" != *"enterprises 9"* ]]
}

@test "ledger verify rebuilds every commitment's frames from its snapshot: derived tables changed by hand are named" {
	example_registries
	run ssj commit JDZ-2026-CCC-1
	[ "$status" -eq 0 ]
	run ssj ledger verify
	[ "$status" -eq 0 ]
	# an insider closes an enterprise in the current tables alone (the
	# revisions, which the ledger covers, say it is open) and drops the
	# image, so that the next commit reads the tables
	sqlite3 ssj.db "DELETE FROM frame_image; UPDATE enterprise_cur
	    SET status = '注销' WHERE uscc = (SELECT uscc FROM enterprise_cur
	    WHERE status = '存续' ORDER BY uscc LIMIT 1)"
	run ssj commit JDZ-2026-INFO-1
	[ "$status" -eq 0 ]
	run ssj ledger verify
	[ "$status" -ne 0 ]
	[[ "$output" == *"batch 'JDZ-2026-INFO-1'): frame 'targets.txt' rebuilt from snapshot"*"differs from the one committed"* ]]
	[[ "$output" != *"JDZ-2026-CCC-1'): frame"* ]]
}
