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
	# each run that did something published a signed checkpoint, the
	# last one of the whole ledger but itself
	n=$(sqlite3 ssj.db "SELECT count(*) FROM checkpoint")
	[ "$n" -gt 0 ]
	[ "$(ls out/checkpoints | wc -l)" = "$n" ]
	size=$(sqlite3 ssj.db "SELECT size FROM checkpoint ORDER BY id DESC LIMIT 1")
	[ "$size" = "$(($(sqlite3 ssj.db "SELECT count(*) FROM ledger") - 1))" ]
	[ "$(cat out/checkpoints/checkpoint-$size.txt)" = "$(sqlite3 ssj.db "SELECT note FROM checkpoint ORDER BY id DESC LIMIT 1")" ]
	run ssj ledger verify -p keys/ssj.pub
	[[ "$output" == *"checkpoint $n ($size entries)"* ]]
	# running again, at any moment, changes nothing
	before=$(db_content)
	run ssj run-due --now "$YEAR-12-31 23:00"
	[ "$status" -eq 0 ]
	[ "$(db_content)" = "$before" ]
	run ssj status
	[[ "$output" == *"T-12"*"exported (beacon round "*"nothing more to do"* ]]
}

@test "a batch drawn by run-due is the draw a person would make by hand" {
	schedule_plan 2
	witnesses T-01
	t=$(at "$(commit_time T-01)")
	ssj run-due --now "@$t"
	round=$(sqlite3 ssj.db "SELECT beacon_round FROM commitment")
	[ -n "$round" ]
	# the same state, drawn by hand with the same inputs
	cp -a . ../manual
	ssj run-due --now "@$((t + 900))"
	(cd ../manual && "$BLS_SIGN" "$round" > rec.json &&
	    ssj draw T-01 --reveal notary="$(cat witnesses/T-01/notary.reveal)" \
	    --beacon rec.json --now "@$((t + 900))" > /dev/null &&
	    ssj show T-01 > ../manual.txt)
	ssj show T-01 > auto.txt
	diff auto.txt ../manual.txt
	[ "$(sqlite3 ssj.db 'SELECT seed FROM draw')" = \
	    "$(sqlite3 ../manual/ssj.db 'SELECT seed FROM draw')" ]
}

@test "nothing is done before its time; commit refuses outside the schedule" {
	schedule_plan 2
	witnesses T-01 T-02
	t=$(at "$(commit_time T-01)")
	before=$(db_content)
	run ssj run-due --now "@$((t - 60))"
	[ "$status" -eq 0 ]
	[ "$(db_content)" = "$before" ]
	run ssj commit T-01 --witness notary="$(cat witnesses/T-01/notary.hash)" --now "@$((t - 60))"
	[ "$status" -eq 2 ]
	[[ "$output" == *"batch 'T-01' is not due: its commitment is planned for $(commit_time T-01) Beijing time"* ]]
	[[ "$output" == *"--force --reason"* ]]
	[ "$(db_content)" = "$before" ]
	# after its window: overdue
	end=$(sed -n 's/.*id: T-01,.*to: \([0-9-]*\)}}/\1/p' plan.yaml)
	run env SSJ_NOW="@$(($(at "$end 00:00") + 86400))" "$SSJ" commit T-01 --witness notary="$(cat witnesses/T-01/notary.hash)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"batch 'T-01' is overdue: its window ended at "*" Beijing time"* ]] || false
	[ "$(db_content)" = "$before" ]
	# --force needs a reason, and the reason is on the ledger
	run ssj commit T-01 --force --now "@$((t - 60))"
	[ "$status" -eq 2 ]
	[[ "$output" == "usage: ssj commit"* ]]
	run ssj commit T-01 --witness notary="$(cat witnesses/T-01/notary.hash)" \
	    --now "@$((t - 60))" --force --reason "局长批准提前抽取"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT kind FROM schedule_event")" = forced ]
	[[ "$(sqlite3 ssj.db "SELECT detail FROM schedule_event")" == "局长批准提前抽取 -- overriding: batch 'T-01' is not due"* ]]
	[ "$(sqlite3 ssj.db "SELECT event FROM ledger ORDER BY idx DESC LIMIT 1")" = schedule ]
	ssj ledger verify > /dev/null
	# the forced commitment is drawn on schedule; T-02 waits its turn
	run ssj run-due --now "@$((t + 900))"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" = 1 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM commitment")" = 1 ]
	run ssj status T-01
	[ "$status" -eq 0 ]
	[[ "$output" == *"exported (beacon round"* ]]
	[[ "$output" == *"schedule:forced"*"局长批准提前抽取"* ]]
	[[ "$output" == *"schedule:draw"* ]]
}

@test "a missing witness hash holds the commitment, a missing reveal the draw" {
	schedule_plan 2
	t=$(at "$(commit_time T-01)")
	before=$(db_content)
	run ssj run-due --now "@$t"
	[ "$status" -eq 1 ]
	[ "$output" = "ssj: batch 'T-01': not committed: witness 'notary' has not given its hash ('witnesses/T-01/notary.hash')" ]
	[ "$(db_content)" = "$before" ]
	witnesses T-01
	mv witnesses/T-01/notary.reveal reveal
	run ssj run-due --now "@$((t + 60))"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM commitment")" = 1 ]
	run ssj run-due --now "@$((t + 3600))"
	[ "$status" -eq 1 ]
	[[ "$output" == "ssj: batch 'T-01': draw held: witness 'notary' has not revealed its value ('witnesses/T-01/notary.reveal')" ]]
	# no failed attempt: the draw was never tried
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM attempt")" = 0 ]
	mv reveal witnesses/T-01/notary.reveal
	run ssj run-due --now "@$((t + 7200))"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" = 1 ]
	# and a bad hash file is reported, not committed
	mkdir -p witnesses/T-02
	echo 'not a hash' > witnesses/T-02/notary.hash
	run ssj run-due --now "@$(at "$(commit_time T-02)")"
	[ "$status" -eq 1 ]
	[[ "$output" == *"batch 'T-02': not committed: 'witnesses/T-02/notary.hash' is not a witness hash"* ]]
}

@test "after downtime the missed steps are done late, and the lateness logged" {
	schedule_plan 2 "{commit: '09:30', delay: 10m, export: out}"
	t=$(at "$(commit_time T-01)")
	run ssj run-due --now "@$((t + 2 * 86400))"
	[ "$status" -eq 0 ]
	[[ "$output" == *"batch 'T-01': late: the commitment due at $(commit_time T-01) Beijing time"*"(2880 min late)"* ]]
	run ssj run-due --now "@$((t + 3 * 86400))"
	[ "$status" -eq 0 ]
	[[ "$output" == *"batch 'T-01': draw: drawn from beacon round"* ]]
	[[ "$output" == *"batch 'T-01': late: the draw due at"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM schedule_event WHERE kind = 'late'")" = 2 ]
	# a window missed whole is not committed: a person decides
	t2=$(at "$(commit_time T-02)")
	run ssj run-due --now "@$((t2 + 30 * 86400))"
	[ "$status" -eq 1 ]
	[[ "$output" == *"batch 'T-02': overdue: its window is over and it was never committed"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM commitment WHERE batch = 'T-02'")" = 0 ]
}

@test "a beacon that cannot be fetched holds the draw, reported past beacon_wait" {
	schedule_plan 1 "{commit: '09:30', delay: 10m, beacon_wait: 1h, retries: 2}"
	t=$(at "$(commit_time T-01)")
	ssj run-due --now "@$t"
	printf '#!/bin/sh\necho relay down >&2\nexit 1\n' > fetch.sh
	run ssj run-due --now "@$((t + 1200))"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not fetched yet"* ]]
	run ssj run-due --now "@$((t + 7200))"
	[ "$status" -eq 1 ]
	[[ "$output" == *"batch 'T-01': draw held: beacon round "*" cannot be fetched"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM attempt")" = 0 ]
	printf '#!/bin/sh\nexec "%s" "$1"\n' "$BLS_SIGN" > fetch.sh
	run ssj run-due --now "@$((t + 7260))"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" = 1 ]
}

@test "status shows each batch's state and next step; a second run-due waits for none" {
	schedule_plan 3
	witnesses T-01 T-02
	t=$(at "$(commit_time T-01)")
	ssj run-due --now "@$t"
	ssj run-due --now "@$((t + 900))"
	export SSJ_NOW="@$((t + 1000))"
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"T-01"*"exported (beacon round"* ]]
	[[ "$output" == *"T-02"*"planned; next: commit at $(commit_time T-02) Beijing time"* ]]
	run ssj status T-09
	[ "$status" -eq 2 ]
	[[ "$output" == *"no batch 'T-09' in the plan"* ]]
	# one engine per database
	exec 9> ssj.db.lock
	flock 9
	python3 -c 'import fcntl, os, time; f = open("ssj.db.lock", "w"); fcntl.lockf(f, fcntl.LOCK_EX); print(os.getpid(), flush=True); time.sleep(30)' > holder &
	holder=$!
	while [ ! -s holder ]; do sleep 0.1; done
	run ssj run-due
	kill $holder
	[ "$status" -eq 1 ]
	[[ "$output" == *"database 'ssj.db' is in use by another ssj daemon or run-due (pid $(cat holder)"* ]]
}

@test "a committed batch is drawn under the plan it was committed under" {
	schedule_plan 2 "{commit: '09:30', delay: 10m, export: out}"
	t=$(at "$(commit_time T-01)")
	ssj run-due --now "@$t"
	# the sampling changes after the commitment: T-02's business only
	sed -i 's/C: {ratio: 10%, min: 1}/C: {ratio: 20%, min: 1}/' plan.yaml
	grep -q 'C: {ratio: 20%' plan.yaml
	run ssj run-due --now "@$((t + 900))"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" = 1 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM attempt")" = 0 ]
	ssj verify out/T-01 -p keys/ssj.pub > /dev/null
}

@test "a task whose list is public gets its task notice after the export, once" {
	PUBLIC_LIST=true schedule_plan 2 "{commit: '09:30', delay: 10m, export: out}"
	t=$(at "$(commit_time T-01)")
	ssj run-due --now "@$t"
	run ssj run-due --now "@$((t + 900))"
	[ "$status" -eq 0 ] || { echo "status $status: $output"; false; }
	[ "$(sqlite3 ssj.db "SELECT subject FROM notice WHERE kind = 'task'")" = T-01 ]
	for f in out/notices/task-notice-$YEAR-001.*; do
		case $f in *.minisig) continue ;; esac
		minisign -Vqm "$f" -p keys/ssj.pub
	done
	[ -e out/notices/task-notice-$YEAR-001.html ]
	run ssj status T-01
	[[ "$output" == *"exported (beacon round"*"nothing more to do"* ]]
	before=$(db_content)
	run ssj run-due --now "@$((t + 1800))"
	[ "$status" -eq 0 ]
	[ "$(db_content)" = "$before" ]
	# a notice not written (its directory cannot be made) is reported,
	# and written by the next run; the bundles are not written twice
	t2=$(at "$(commit_time T-02)")
	ssj run-due --now "@$t2"
	mv out/notices notices.saved
	touch out/notices
	run ssj run-due --now "@$((t2 + 900))"
	[ "$status" -eq 1 ]
	[[ "$output" == *"batch 'T-02': its task notice is not written"* ]]
	[ -e out/T-02 ] && [ -e out/T-02.public ]
	SSJ_NOW="@$((t2 + 900))" run ssj status T-02
	[[ "$output" == *"drawn (beacon round"*"next: export due since"* ]]
	rm out/notices
	mv notices.saved out/notices
	run ssj run-due --now "@$((t2 + 960))"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM notice WHERE kind = 'task'")" = 2 ]
	[ -e out/notices/task-notice-$YEAR-002.json ]
}

@test "run-due prints nothing when nothing is due, the plan's warnings only with -v" {
	schedule_plan 2 "{commit: '09:30', delay: 10m}"
	# a draw date on a Sunday: a warning of the plan
	sun=$(python3 -c 'import datetime, sys
d = datetime.date(int(sys.argv[1]), 7, 1)
print(d + datetime.timedelta(days=(6 - d.weekday()) % 7))' "$YEAR")
	sed -i "s/id: T-02, draw: [0-9-]*/id: T-02, draw: $sun/; s/\(id: T-02,.*from: \)[0-9-]*/\1$sun/" plan.yaml
	ssj check 2>&1 | grep -q 'not a working day'
	run ssj run-due --now "$YEAR-01-01 00:00"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -z "$output" ]
	run ssj -v run-due --now "$YEAR-01-01 00:00"
	[ "$status" -eq 0 ]
	[[ "$output" == *"plan.yaml:"*": warning: draw date $sun is not a working day"* ]]
	[[ "$output" == *"next: commit of batch 'T-01' at $(commit_time T-01) Beijing time"* ]]
	# a broken plan: its errors, exit 2
	echo 'bogus: 1' >> plan.yaml
	run ssj run-due
	[ "$status" -eq 2 ]
	[[ "$output" == *"plan.yaml:"*":1: unknown key 'bogus'"* ]] || { echo "$output"; false; }
}
