#!/usr/bin/env bats
# A crash at any point of import, commit or draw leaves the whole
# operation or nothing: ssj is killed at every write, sync, rename, link
# and unlink in turn (strace fault injection).

load lib

BATCH=JDZ-2026-INFO-TC-1

commitments() {
	sqlite3 ssj.db 'SELECT count(*) FROM commitment'
}

snapshots() {
	sqlite3 ssj.db 'SELECT count(*) FROM snapshot'
}

# No signed commitment the database denies: a published file is the
# recorded commitment's text, and its signature verifies.
published_is_recorded() {
	[ -e "$BATCH.commitment.txt.minisig" ] || return 0
	[ "$(sqlite3 ssj.db 'SELECT text FROM commitment ORDER BY id DESC
	    LIMIT 1')" = "$(cat "$BATCH.commitment.txt")" ] &&
	    minisign -Vqm "$BATCH.commitment.txt" -p keys/ssj.pub
}

@test "a kill at any point of an import leaves the whole import or none" {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml
	ssj init > /dev/null
	imported() { [ "$(snapshots)" -eq 1 ]; }
	killpoints imported "$SSJ" import enterprises data/enterprises.csv
	echo "import enterprises: $KILLPOINTS kill points" >&3
	imported
}

@test "a kill at any point of a commit leaves no signed file the database denies" {
	example_registries
	committed() { [ "$(commitments)" -eq 1 ]; }
	KILL_FILES=published_is_recorded
	killpoints committed "$SSJ" commit "$BATCH"
	echo "commit: $KILLPOINTS kill points" >&3
	[ -e "$BATCH.commitment.txt.minisig" ]
	published_is_recorded
}

@test "a crash between the database and the file is mended by --republish" {
	example_registries
	# the five frame files beside the database are linked first, then
	# the commitment's text, after the database's commit
	run strace -qq -o /dev/null -e inject=linkat:signal=KILL:when=6 \
	    "$SSJ" commit "$BATCH"
	[ "$status" -eq 137 ]
	[ "$(ls ssj.db-frames | wc -l)" -eq 5 ]
	[ "$(commitments)" -eq 1 ]
	[ ! -e "$BATCH.commitment.txt" ]
	run ssj commit "$BATCH"
	[ "$status" -eq 2 ]
	run ssj commit "$BATCH" --republish
	[ "$status" -eq 0 ]
	[[ "$output" == *"published commitment 1 of batch '$BATCH'"* ]]
	published_is_recorded
	cp "$BATCH.commitment.txt.minisig" first.minisig
	# again: the same bytes, the signature is deterministic
	run ssj commit "$BATCH" --republish
	[ "$status" -eq 0 ]
	cmp first.minisig "$BATCH.commitment.txt.minisig"
	run ssj commit OTHER-BATCH --republish
	[ "$status" -ne 0 ]
	run ssj commit "$BATCH" --republish --beacon-round 5
	[ "$status" -eq 2 ]
}

@test "a kill at any point of a draw leaves the whole draw or none" {
	example_registries
	ssj commit "$BATCH" > /dev/null
	beacon_record "$BATCH.commitment.txt" > beacon.json
	drawn() { [ "$(sqlite3 ssj.db 'SELECT count(*) FROM draw')" -eq 1 ]; }
	killpoints drawn "$SSJ" draw "$BATCH" --beacon beacon.json
	echo "draw: $KILLPOINTS kill points" >&3
	drawn
}
