#!/usr/bin/env bats
# ssj run-due: the plan's schedule done at a fake moment (--now) -- what
# is due and nothing else, idempotent, late but logged, never drawn twice.

load schedule

# unix time of a Beijing moment
at() {
	date -d "$1 +0800" +%s
}

# draws of BATCH, and the rounds of its draws against its commitment's
one_draw_each() {
	local b n
	for b in $(batches); do
		n=$(sqlite3 ssj.db "SELECT count(*) FROM draw d JOIN commitment c ON c.id = d.commitment WHERE c.batch = '$b'")
		[ "$n" = 1 ] || { echo "batch $b: $n draws"; return 1; }
		# the record drawn from is of the committed round
		sqlite3 ssj.db "SELECT c.beacon_round, d.beacon FROM draw d JOIN commitment c ON c.id = d.commitment WHERE c.batch = '$b'" |
		    python3 -c 'import json, sys
r, rec = sys.stdin.read().split("|", 1)
assert json.loads(rec)["round"] == int(r), (r, rec)' ||
		    { echo "batch $b: not its committed round"; return 1; }
	done
}

@test "a year of batches run at random moments: one draw each, from its committed round, verified" {
	schedule_plan 12
	witnesses $(batches)
	# moments: per batch one soon after its commitment time, one after
	# its round is out, others anywhere; then sorted, as cron would
	: > moments
	RANDOM=$$
	for b in $(batches); do
		t=$(at "$(commit_time "$b")")
		echo $((t + RANDOM % 7200)) >> moments
		echo $((t + 7200 + 660 + RANDOM % 86400)) >> moments
		echo $((t + RANDOM % (8 * 86400))) >> moments
		echo $((t - RANDOM * 30)) >> moments
	done
	for t in $(sort -n moments); do
		run ssj run-due --now "@$t"
		[ "$status" -eq 0 ] || { echo "at @$t: $output"; return 1; }
	done
	one_draw_each
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM attempt")" = 0 ]
	ssj ledger verify
	for b in $(batches); do
		ssj verify "out/$b" -p keys/ssj.pub > /dev/null
		ssj verify "out/$b.public" -p keys/ssj.pub > /dev/null
		minisign -Vqm "out/$b.commitment.txt" -p keys/ssj.pub
	done
	# every step on the ledger: 12 commits, draws and exports
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM schedule_event WHERE kind IN ('commit', 'draw', 'export')")" = 36 ]
	# running again, at any moment, changes nothing
	before=$(db_content)
	run ssj run-due --now "$YEAR-12-31 23:00"
	[ "$status" -eq 0 ]
	[ "$(db_content)" = "$before" ]
	run ssj status
	[[ "$output" == *"T-12"*"exported (beacon round "*"nothing more to do"* ]]
}
