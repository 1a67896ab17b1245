#!/usr/bin/env bats
# ssj ledger: every event logged, checkpoints, proofs checked with no
# database, and an insider's edits with the sqlite3 shell detected.

load lib

# A database with two imports and a key pair.
prepare() {
	ssj init
	ssj keygen -p ssj.pub -s ssj.key > /dev/null
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	ssj import risk "$DATA/risk.csv" > /dev/null
}

# What an insider with the sqlite3 shell can do: drop the guards, edit.
insider() {
	sqlite3 ssj.db "$(sqlite3 ssj.db "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema WHERE type = 'trigger'") $1"
}

@test "imports are logged; the ledger verifies" {
	prepare
	run ssj ledger show
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^\ +0\ +snapshot\ +1$ ]]
	[[ "${lines[1]}" =~ ^\ +1\ +snapshot\ +2$ ]]
	run ssj ledger show 0
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ssj-ledger/1" ]
	[[ "$output" == *"file_name $DATA/enterprises.csv"* ]]
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 0 ]
	[[ "$output" == "ledger OK: 2 entries rebuilt from the rows they cover; no checkpoint yet" ]]
}

@test "a signed checkpoint in C2SP note format; verify checks it" {
	prepare
	run ssj ledger checkpoint -s ssj.key cp.txt
	[ "$status" -eq 0 ]
	[[ "$output" == "checkpoint of 3 entries written to 'cp.txt'" ]]
	# origin, size, base64 root, blank line, the signature line
	[[ "$(sed -n 1p cp.txt)" =~ ^ssj/local/[0-9a-f]{16}$ ]]
	[ "$(sed -n 2p cp.txt)" = 3 ]
	[[ "$(sed -n 3p cp.txt)" =~ ^[A-Za-z0-9+/]{43}=$ ]]
	[ -z "$(sed -n 4p cp.txt)" ]
	[[ "$(sed -n 5p cp.txt)" == "— ssj/local/"* ]]
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 0 ]
	[[ "$output" == *"checkpoint 1 (3 entries) matches, signature verified"* ]]
	# the key that signed is itself in the ledger
	ssj ledger show | grep -q ' key '
}

@test "an inclusion proof checks out with nothing but the public key" {
	prepare
	ssj ledger checkpoint -s ssj.key cp.txt
	ssj ledger prove 1 > proof.txt
	mkdir elsewhere && cp proof.txt ssj.pub elsewhere/ && cd elsewhere
	run ssj -D /nonexistent.db ledger verify-proof -p ssj.pub proof.txt
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "proof OK: entry 1 is in the ledger 'ssj/local/"*"' of 3 entries, signed by key ssj.pub" ]]
	[ "${lines[1]}" = "ssj-ledger/1" ]
	# from stdin too
	ssj -D /nonexistent.db ledger verify-proof -p ssj.pub < proof.txt
	# a changed entry no longer leads to the root
	sed 's/^entry \(.\)/entry X\1/' proof.txt > bad.txt
	run ssj ledger verify-proof -p ssj.pub bad.txt
	[ "$status" -ne 0 ]
	# another key does not verify the checkpoint
	ssj keygen -p other.pub -s other.key > /dev/null
	run ssj ledger verify-proof -p other.pub proof.txt
	[ "$status" -eq 1 ]
	[[ "$output" == *"the checkpoint does not verify with 'other.pub'"* ]]
}

@test "proving an entry beyond the checkpoint says what to do" {
	prepare
	run ssj ledger prove 0
	[ "$status" -eq 1 ]
	[[ "$output" == *"no checkpoint yet: make one with 'ssj ledger checkpoint'"* ]]
	ssj ledger checkpoint -s ssj.key > /dev/null
	run ssj ledger prove 3
	[ "$status" -eq 1 ]
	[[ "$output" == *"entry 3 is not in the latest checkpoint (3 entries)"* ]]
}

@test "a registry row changed with sqlite3 is found and named" {
	prepare
	ssj ledger checkpoint -s ssj.key > /dev/null
	insider "UPDATE enterprise_rev SET name = '别的公司' WHERE uscc = '91360202000000027F';"
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAILED: entry 0 (snapshot 1) does not match the rows it covers: 'revisions-blake2b-256' differs (a revision row was changed, added or removed)"* ]]
}

@test "every covered table: changed, removed or reordered rows are detected" {
	prepare
	ssj ledger checkpoint -s ssj.key > /dev/null
	cp ssj.db clean.db
	for sql in \
	    "UPDATE risk_rev SET class = 'D';" \
	    "DELETE FROM enterprise_rev WHERE uscc = '360202000012344';" \
	    "UPDATE snapshot SET file_digest = printf('%064d', 0) WHERE id = 2;" \
	    "DELETE FROM snapshot WHERE id = 2;" \
	    "UPDATE signing_key SET first_used = '2020-01-01T00:00:00Z';" \
	    "UPDATE ledger SET idx = idx + 10 WHERE idx = 2;" \
	    "DELETE FROM ledger WHERE idx = 2;" \
	    "UPDATE ledger SET entry = (SELECT entry FROM ledger WHERE idx = 0) WHERE idx = 1;" \
	    "UPDATE checkpoint SET root = zeroblob(32);" \
	    "INSERT INTO risk_rev (uscc, month, snapshot, present, line, digest, class) VALUES ('91360202000000019L', '2026-11', 2, 1, 9, x'00', 'A');"
	do
		cp clean.db ssj.db
		rm -f ssj.db-wal ssj.db-shm
		insider "$sql"
		run ssj ledger verify -p ssj.pub
		[ "$status" -eq 1 ] || { echo "not detected: $sql"; return 1; }
		[[ "$output" == *"ledger does not verify"* ]]
	done
}

@test "the quick checks of an import see an edited ledger row at once" {
	prepare
	ssj ledger checkpoint -s ssj.key > /dev/null
	insider "UPDATE ledger SET entry = CAST(entry || ' ' AS BLOB) WHERE idx = 0;"
	run ssj import conflicts "$DATA/conflicts.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"checkpoint 1 (size 3) no longer matches the ledger"* ]]
}

@test "a tampered database is flagged; the ledger refuses to grow until acknowledged" {
	prepare
	ssj ledger checkpoint -s ssj.key > /dev/null
	insider "UPDATE enterprise_rev SET division = '360203';"
	# status's quick check does not reread the revisions (issue 14)...
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"verifies (quick check"* ]]
	# ...the full verification does, and what it found stays found
	run ssj ledger verify
	[ "$status" -eq 1 ]
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"DOES NOT VERIFY"* ]]
	[[ "$output" == *"! ledger: entry 0 (snapshot 1) does not match the rows it covers"* ]]
	before=$(db_content)
	run ssj import conflicts "$DATA/conflicts.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the ledger does not verify"* ]]
	[[ "$output" == *"record it with 'ssj ledger acknowledge --reason TEXT'"* ]]
	run ssj ledger checkpoint -s ssj.key
	[ "$status" -eq 1 ]
	[ "$(db_content)" = "$before" ]
	run ssj ledger acknowledge
	[ "$status" -eq 2 ]
	run ssj ledger acknowledge --reason "纪检组 2026-11-27 核实: 测试"
	[ "$status" -eq 0 ]
	[[ "$output" == "recorded 1 problem as a finding, ledger entry 4" ]]
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 0 ]
	[[ "$output" == *"acknowledged: entry 0 (snapshot 1)"* ]]
	run ssj import conflicts "$DATA/conflicts.csv"
	[ "$status" -eq 0 ]
	run ssj ledger checkpoint -s ssj.key
	[ "$status" -eq 0 ]
	ssj ledger show | grep -q ' finding '
}

@test "no ssj command updates or deletes a covered row" {
	prepare
	ssj ledger checkpoint -s ssj.key > /dev/null
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	sed '/乐平市戊个体店/d' "$DATA/enterprises.csv" > e2.csv
	ssj import enterprises e2.csv --allow-removals > /dev/null
	# the triggers are still there and nothing fired them
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")" -eq 56 ]
	run sqlite3 ssj.db "UPDATE enterprise_rev SET name = 'x'"
	[ "$status" -ne 0 ]
	[[ "$output" == *"enterprise_rev is append-only"* ]]
	run ssj ledger verify -p ssj.pub
	[ "$status" -eq 0 ]
}

@test "bad usage of ledger" {
	ssj init
	run ssj ledger
	[ "$status" -eq 2 ]
	run ssj ledger frob
	[ "$status" -eq 2 ]
	run ssj ledger prove x
	[ "$status" -eq 2 ]
	run ssj ledger show -1
	[ "$status" -eq 2 ]
	run ssj ledger verify-proof -p nonesuch.pub proof.txt
	[ "$status" -eq 2 ]
}
