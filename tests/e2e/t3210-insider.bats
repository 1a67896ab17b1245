#!/usr/bin/env bats
# An insider with the sqlite3 shell, triggers dropped: deleting the
# checkpoints, changing the database's id or origin, or rewriting a row
# together with its ledger entry is named by 'ssj ledger verify'.
# What stays inherent is in docs/formats.md (the ledger).

load lib

prepare() {
	ssj init > /dev/null
	ssj keygen -p ssj.pub -s ssj.key > /dev/null
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	ssj import risk "$DATA/risk.csv" > /dev/null 2>&1
	ssj ledger checkpoint -s ssj.key cp.txt > /dev/null
	# something after the checkpoint, as any working database has
	ssj import conflicts "$DATA/conflicts.csv" > /dev/null
}

insider() {
	sqlite3 ssj.db "$(sqlite3 ssj.db "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger'") $1"
}

@test "a checkpoint leaves an entry; status counts none of its own" {
	prepare
	ssj ledger show | grep -Eq '^ +3 +checkpoint +1$'
	run ssj ledger show 3
	[[ "$output" == *"meta-database_id "* ]]
	[[ "$output" == *"meta-origin ssj/local/"* ]]
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 0 ]
	ssj ledger checkpoint -s ssj.key > /dev/null
	run ssj status
	[[ "$output" != *"in no checkpoint yet"* ]]
	[[ "$output" != *"no checkpoint:"* ]]
}

@test "status flags a database with no checkpoint" {
	ssj init > /dev/null
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	run ssj status
	[[ "$output" == *"! no checkpoint: the 1 ledger entries are anchored nowhere outside this database"* ]]
}

@test "DELETE FROM checkpoint is detected" {
	prepare
	insider "DELETE FROM checkpoint;"
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
	[[ "$output" == *"entry 3 (checkpoint 1): the checkpoint it covers was removed"* ]]
	run ssj status
	[[ "$output" == *"DOES NOT VERIFY"* ]]
}

@test "a changed database id or ledger origin is detected" {
	prepare
	cp ssj.db orig.db
	insider "UPDATE meta SET value = '0123456789abcdef' WHERE key = 'database_id';"
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
	[[ "$output" == *"entry 3 (checkpoint 1) does not match the rows it covers: 'meta-database_id"* ]]
	cp orig.db ssj.db
	insider "UPDATE meta SET value = 'ssj/360200/0123456789abcdef' WHERE key = 'origin';"
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
	[[ "$output" == *"'meta-origin"* ]]
	cp orig.db ssj.db
	insider "DELETE FROM meta WHERE key = 'origin';"
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
}

@test "a row rewritten with its entry is detected, with or without the checkpoint" {
	prepare
	edit="UPDATE snapshot SET file_name = 'forged.csv' WHERE id = 1;
	    UPDATE ledger SET entry = CAST(replace(CAST(entry AS TEXT),
	    'file_name $DATA/enterprises.csv', 'file_name forged.csv') AS BLOB)
	    WHERE idx = 0;"
	cp ssj.db orig.db
	insider "$edit"
	# the entry matches its row again ...
	ssj ledger show 0 | grep -q '^file_name forged.csv$'
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
	# ... but no longer the checkpoint
	[[ "$output" == *"checkpoint 1 (size 3) no longer matches the ledger"* ]]
	cp orig.db ssj.db
	insider "$edit DELETE FROM checkpoint;"
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
	[[ "$output" == *"the checkpoint it covers was removed"* ]]
	# and the checkpoint's entry removed too leaves a gap
	cp orig.db ssj.db
	insider "$edit DELETE FROM checkpoint; DELETE FROM ledger WHERE idx = 3;"
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
	[[ "$output" == *"entry 3 is missing"* ]]
}
