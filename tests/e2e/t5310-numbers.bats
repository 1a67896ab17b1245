#!/usr/bin/env bats
# Numbers that would wrap or leave a batch stuck are refused (exit 2),
# and the database is left as it was.

load lib

BATCH=JDZ-2026-INFO-TC-1

@test "commit --beacon-round: -1, 2^64-1, 2^64+1 and other non-rounds are refused" {
	example_registries
	before=$(db_content)
	for r in -1 18446744073709551615 18446744073709551616 \
	    18446744073709551617 9223372036854775808 0 +5 ' 5' 5x 1e9 0x10 ''
	do
		run ssj commit "$BATCH" --beacon-round "$r"
		[ "$status" -eq 2 ] || { echo "'$r': $status"; return 1; }
		[[ "$output" == *"bad --beacon-round '$r': give a round number"* ]]
	done
	[ ! -e "$BATCH.commitment.txt" ]
	[ "$(db_content)" = "$before" ]
}

@test "commit --beacon-round: a round more than a year ahead is refused" {
	example_registries
	before=$(db_content)
	run ssj commit "$BATCH" --beacon-round 9223372036854775807
	[ "$status" -eq 2 ]
	[[ "$output" == *"is more than a year ahead"* ]]
	# one round a second: a year and a day ahead
	run ssj commit "$BATCH" --beacon-round $((40 + 367 * 86400))
	[ "$status" -eq 2 ]
	[ "$(db_content)" = "$before" ]
	run ssj commit "$BATCH" --beacon-round $((40 + 300 * 86400))
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db 'SELECT beacon_round FROM commitment')" -eq \
	    $((40 + 300 * 86400)) ]
}

@test "ledger and snapshot indexes out of range are refused" {
	example_registries
	for i in -1 18446744073709551617 9223372036854775808 +1 1x; do
		run ssj ledger show -- "$i"
		[ "$status" -eq 2 ] || { echo "ledger show '$i': $status"; return 1; }
		[[ "$output" == *"bad entry index '$i'"* ]]
	done
	for i in 0 -1 18446744073709551617 9223372036854775808 +1; do
		run ssj snapshot dump enterprises "$i"
		[ "$status" -eq 2 ] || { echo "snapshot '$i': $status"; return 1; }
		[[ "$output" == *"bad snapshot id '$i'"* ]]
	done
}
