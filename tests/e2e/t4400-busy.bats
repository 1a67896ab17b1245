#!/usr/bin/env bats
# Two ssj at once: a command that finds the database held longer than its
# busy timeout names the holder and changes nothing; a draw waits out a
# long import rather than fail.

load lib

# slow_import KIND FILE: an import that holds the write lock for 6 s (a
# delay injected at its commit's first sync), in the background.
slow_import() {
	strace -qq -o /dev/null -e inject=fdatasync:delay_enter=6000000:when=1 \
	    "$SSJ" import "$@" > slow.out 2>&1 &
	SLOW=$!
	wait_for_writer
}

# Until some process holds SQLite's write lock for half a second on end:
# in WAL mode byte 120 of the -shm file; under a rollback journal (a
# first import) the RESERVED byte of the database, 0x40000001, which the
# kernel may show within one range with PENDING and SHARED.
wait_for_writer() {
	local i shm db held=0
	for i in $(seq 200); do
		shm=$(stat -c %i ssj.db-shm 2> /dev/null) || shm=none
		db=$(stat -c %i ssj.db)
		awk -v shm=":$shm" -v db=":$db" '
		    $2 == "POSIX" && $4 == "WRITE" &&
		    ((substr($6, length($6) - length(shm) + 1) == shm &&
		      $7 <= 120 && $8 >= 120) ||
		     (substr($6, length($6) - length(db) + 1) == db &&
		      $7 <= 1073741825 && $8 >= 1073741825)) { found = 1 }
		    END { exit !found }' /proc/locks &&
		    held=$((held + 1)) || held=0
		[ "$held" -ge 5 ] && return 0
		sleep 0.1
	done
	echo "no writer came"
	return 1
}

@test "a command that finds the database held names the holder, changes nothing, exits 1" {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml
	ssj init > /dev/null
	# a first import (under a rollback journal), then a second (WAL)
	sed '/乐平市/d' data/enterprises.csv > changed.csv
	for file in data/enterprises.csv changed.csv; do
		slow_import enterprises "$file" --allow-removals
		SSJ_BUSY_TIMEOUT=1 run ssj import conflicts data/conflicts.csv
		[ "$status" -eq 1 ]
		[[ "$output" == "ssj: database 'ssj.db' is busy: '$SSJ import enterprises $file --allow-removals' (pid "*") has been writing to it for longer than 1 s; nothing was changed: run this again when it is done"* ]]
		wait "$SLOW"
		grep -q "imported '$file'" slow.out
	done
	# the imports that held it are whole; the refused ones left nothing
	[ "$(sqlite3 ssj.db 'SELECT group_concat(kind) FROM snapshot')" = enterprises,enterprises ]
	ssj ledger verify > /dev/null
}

@test "a draw waits out a long import instead of failing" {
	example_registries
	ssj commit JDZ-2026-INFO-TC-1 > /dev/null
	beacon_record JDZ-2026-INFO-TC-1.commitment.txt > beacon.json
	sed '/乐平市/d' data/enterprises.csv > changed.csv
	slow_import enterprises changed.csv --allow-removals
	# the short timeout is for other commands; a draw waits 15 minutes
	SSJ_BUSY_TIMEOUT=1 run ssj draw JDZ-2026-INFO-TC-1 --beacon beacon.json
	[ "$status" -eq 0 ]
	[[ "$output" == *"drew batch 'JDZ-2026-INFO-TC-1'"* ]]
	wait "$SLOW"
	grep -q "imported 'changed.csv'" slow.out
	ssj ledger verify > /dev/null
}

@test "a bad \$SSJ_BUSY_TIMEOUT is refused" {
	ssj init > /dev/null
	for t in -1 x 86401 18446744073709551617; do
		SSJ_BUSY_TIMEOUT=$t run ssj status
		[ "$status" -eq 2 ] || { echo "'$t': $status"; return 1; }
		[[ "$output" == *"bad \$SSJ_BUSY_TIMEOUT '$t'"* ]]
	done
}
