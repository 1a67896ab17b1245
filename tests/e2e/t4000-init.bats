#!/usr/bin/env bats
# ssj init: creating and migrating the database.

load lib

@test "init creates a WAL database with the current schema" {
	run ssj init
	[ "$status" -eq 0 ]
	[ "$output" = "created database 'ssj.db' (schema 11)" ]
	[ "$(sqlite3 ssj.db 'PRAGMA journal_mode')" = wal ]
	[ "$(sqlite3 ssj.db 'PRAGMA user_version')" = 11 ]
	sqlite3 ssj.db 'SELECT count(*) FROM enterprise'
}

@test "init again says it is up to date and changes nothing" {
	ssj init
	before=$(db_content)
	run ssj init
	[ "$status" -eq 0 ]
	[ "$output" = "database 'ssj.db' is up to date (schema 11)" ]
	[ "$(db_content)" = "$before" ]
}

@test "-D and \$SSJ_DB name the database" {
	run ssj -D other.db init
	[ "$status" -eq 0 ]
	[ -f other.db ]
	SSJ_DB=third.db run ssj init
	[ "$status" -eq 0 ]
	[ -f third.db ]
	[ ! -f ssj.db ]
}

@test "commands other than init refuse a missing database" {
	run ssj status
	[ "$status" -eq 2 ]
	[[ "$output" == *"no database at 'ssj.db'; create it with 'ssj init'"* ]]
	[ ! -f ssj.db ]
}

@test "a database of a newer schema is refused" {
	ssj init
	sqlite3 ssj.db 'PRAGMA user_version = 99'
	run ssj status
	[ "$status" -eq 2 ]
	[[ "$output" == *"schema version 99, newer than this ssj's 11"* ]]
	run ssj init
	[ "$status" -eq 1 ]
}

@test "an uninitialised SQLite file is named as such" {
	sqlite3 ssj.db 'CREATE TABLE x(y)'
	run ssj status
	[ "$status" -eq 2 ]
	[[ "$output" == *"database 'ssj.db' is not initialised; run 'ssj init'"* ]]
}

@test "a file that is not a database is refused, and kept" {
	printf 'hello, this is not SQLite\n%.0s' $(seq 200) > ssj.db
	before=$(md5sum ssj.db)
	run ssj init
	[ "$status" -eq 1 ]
	[[ "$output" == *"ssj.db"* ]]
	[ "$(md5sum ssj.db)" = "$before" ]
}

@test "a database path that cannot be created fails cleanly" {
	touch plain-file
	run ssj -D plain-file/ssj.db init
	[ "$status" -eq 1 ]
	[[ "$output" == "ssj: cannot open database 'plain-file/ssj.db'"* ]]
}

@test "the views answer ad-hoc questions in the sqlite3 shell" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv"
	ssj import risk "$DATA/risk.csv"
	[ "$(sqlite3 ssj.db "SELECT class FROM enterprise_class WHERE uscc = '913602220000000434'")" = D ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM enterprise_class WHERE class IS NULL")" = 1 ]
}
