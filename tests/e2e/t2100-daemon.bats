#!/usr/bin/env bats
# ssj daemon: the run-due engine as a service -- one per database, plan
# reloads that keep a broken plan out, SIGTERM after the step, systemd's
# notify protocol, and crashes (SIGKILL) that never draw a batch twice.

load schedule

at() {
	date -d "$1 +0800" +%s
}

# notify_listen: a datagram socket at $PWD/notify, its messages appended
# to 'notified', one per line; NOTIFY_SOCKET names it.
notify_listen() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("notify")
open("listening", "w").close()
with open("notified", "a") as f:
    while True:
        f.write(s.recv(4096).decode() + "\n")
        f.flush()' &
	LISTENER=$!
	while [ ! -e listening ]; do sleep 0.1; done
	export NOTIFY_SOCKET=$PWD/notify
}

# start_daemon [NOW]: ssj daemon --foreground in the background, its
# log in 'log', its pid in DAEMON.
start_daemon() {
	SSJ_NOW=${1:-} "$SSJ" daemon --foreground >> log 2>&1 &
	DAEMON=$!
}

# wait_for FILE PATTERN: up to 20 s for a line of FILE to match.
wait_for() {
	local i
	for i in $(seq 200); do
		grep -q -- "$2" "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	echo "no '$2' in $1:"
	cat "$1"
	return 1
}

teardown() {
	[ -z "${DAEMON:-}" ] || kill -9 "$DAEMON" 2> /dev/null || true
	[ -z "${LISTENER:-}" ] || kill "$LISTENER" 2> /dev/null || true
	cd /
	rm -rf "$WORK"
}

@test "daemon -n checks the plan and the database and exits" {
	schedule_plan 2
	# a witness directory it cannot read
	run ssj daemon -n
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read the witness directory '"*"witnesses'"* ]]
	mkdir witnesses
	SSJ_NOW="$(commit_time T-01)" run ssj daemon -n
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "plan 'plan.yaml' and database 'ssj.db' OK" ]
	[ "${lines[1]}" = "next: commit of batch 'T-01' due since $(commit_time T-01) Beijing time" ]
	# a secret key it cannot read (root reads it all the same)
	if [ "$(id -u)" != 0 ]; then
		chmod 000 keys/ssj.key
		run ssj daemon -n
		chmod 600 keys/ssj.key
		[ "$status" -eq 2 ]
		[[ "$output" == *"cannot read the secret key"* ]]
	fi
	echo 'schedule: {delay: soon}' >> plan.yaml
	run ssj daemon -n
	[ "$status" -eq 2 ]
	[[ "$output" == *"plan.yaml:"*":"*": "* ]]
	run ssj -D nonesuch.db daemon -n
	[ "$status" -eq 2 ]
}

@test "the daemon says READY and its next step on the notify socket; one per database; SIGTERM ends it" {
	schedule_plan 2
	witnesses T-01 T-02
	notify_listen
	t=$(at "$(commit_time T-01)")
	start_daemon "@$t"
	wait_for notified 'READY=1'
	wait_for notified "STATUS=next: draw of batch 'T-01' at "
	wait_for log "batch 'T-01': commit: beacon round"
	# a second one refuses, naming the first
	run "$SSJ" daemon --foreground
	[ "$status" -eq 1 ]
	[[ "$output" == *"database 'ssj.db' is in use by another ssj daemon or run-due (pid $DAEMON"* ]]
	kill -TERM "$DAEMON"
	wait "$DAEMON"
	[ "$?" -eq 0 ]
	DAEMON=
	wait_for notified 'STOPPING=1'
	grep -q 'ssj: stopped' log
	# and the watchdog is fed when systemd asks for it
	: > notified
	WATCHDOG_USEC=2000000 start_daemon "@$t"
	wait_for notified 'WATCHDOG=1'
	kill -INT "$DAEMON"
	wait "$DAEMON"
	DAEMON=
}

@test "SIGHUP with a broken plan keeps the old plan running; a good one takes effect" {
	schedule_plan 2
	witnesses T-01 T-02
	t=$(at "$(commit_time T-01)")
	start_daemon "@$((t - 3600))"
	wait_for log 'ssj: started'
	cp plan.yaml good.yaml
	echo 'bogus: [' >> plan.yaml
	kill -HUP "$DAEMON"
	wait_for log "the plan 'plan.yaml' has errors: the old one stays in use"
	grep -q '^ssj: plan.yaml:[0-9]*:[0-9]*: ' log
	kill -0 "$DAEMON"
	# a good plan: commit at 08:00, an hour and a half earlier
	sed 's/commit: .09:30./commit: "08:00"/' good.yaml > plan.yaml
	kill -HUP "$DAEMON"
	wait_for log "batch 'T-01': commit: beacon round"
	kill -TERM "$DAEMON"
	wait "$DAEMON"
	DAEMON=
}

@test "the daemon runs the schedule; SIGTERM during a draw finishes it first" {
	schedule_plan 2
	witnesses T-01 T-02
	t=$(at "$(commit_time T-01)")
	start_daemon "@$t"
	wait_for log "batch 'T-01': commit: beacon round"
	kill -TERM "$DAEMON"
	wait "$DAEMON"
	# a slow beacon: the daemon is in the draw's step when told to stop
	printf '#!/bin/sh\ntouch fetching\nsleep 2\nexec "%s" "$1"\n' "$BLS_SIGN" > fetch.sh
	start_daemon "@$((t + 900))"
	wait_for log "fetching beacon round" || true
	while [ ! -e fetching ]; do sleep 0.1; done
	kill -TERM "$DAEMON"
	wait "$DAEMON"
	[ "$?" -eq 0 ]
	DAEMON=
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" = 1 ]
	grep -q "batch 'T-01': draw: drawn from beacon round" log
	ssj ledger verify > /dev/null
	# the export is left for the next start
	[ ! -e out/T-01 ]
	start_daemon "@$((t + 1000))"
	wait_for log "batch 'T-01': export: "
	kill -TERM "$DAEMON"
	wait "$DAEMON"
	DAEMON=
	ssj verify out/T-01 -p keys/ssj.pub > /dev/null
}

@test "crash test: SIGKILL at 100 random moments over 20 batches, each drawn once" {
	schedule_plan 20
	witnesses $(batches)
	# five moments around each batch: its commitment, its round, after
	RANDOM=$$
	: > moments
	for b in $(batches); do
		t=$(at "$(commit_time "$b")")
		for k in 0 1 2 3 4; do
			echo $((t + k * 400 + RANDOM % 400)) >> moments
		done
	done
	kills=0
	early=0
	for b in $(batches); do
		t=$(at "$(commit_time "$b")")
		for now in $(awk -v t="$t" '$1 >= t && $1 < t + 2000' moments); do
			start_daemon "@$now"
			# killed anywhere from its start to well into its pass
			sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
			kill -9 "$DAEMON" 2> /dev/null && kills=$((kills + 1))
			wait "$DAEMON" 2> /dev/null || true
		done
		# then one left to finish the batch, if the kills did not let
		# it (on a loaded machine a pass may take longer than a kill)
		[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw d JOIN commitment c ON c.id = d.commitment WHERE c.batch = '$b'")" = 0 ] ||
		    early=$((early + 1))
		start_daemon "@$((t + 2100))"
		for i in $(seq 300); do
			[ -e "out/$b.public" ] && break
			sleep 0.1
		done
		kill -TERM "$DAEMON"
		wait "$DAEMON" || true	# TERM may come before its handler
	done
	DAEMON=
	drawn=$(sqlite3 ssj.db "SELECT count(*) FROM draw")
	echo "# $kills kills; $drawn of 20 batches drawn, $early of them between kills" >&3
	[ "$kills" -ge 90 ]
	# nothing is left to do at the end of the year
	run ssj run-due --now "$YEAR-12-31 23:00"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -z "$output" ]
	for b in $(batches); do
		n=$(sqlite3 ssj.db "SELECT count(*) FROM draw d JOIN commitment c ON c.id = d.commitment WHERE c.batch = '$b'")
		[ "$n" = 1 ] || { echo "batch $b: $n draws"; return 1; }
		ssj verify "out/$b" -p keys/ssj.pub > /dev/null
		ssj verify "out/$b.public" -p keys/ssj.pub > /dev/null
		minisign -Vqm "out/$b.commitment.txt" -p keys/ssj.pub
	done
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM attempt")" = 0 ]
	ssj ledger verify > /dev/null
	# no half-written bundle: nothing but the bundles and commitments
	[ -z "$(find out -mindepth 1 -maxdepth 1 -name '.*')" ]
}

@test "packaging/ssj.service passes systemd-analyze verify; the cron example runs run-due" {
	command -v systemd-analyze > /dev/null || skip "no systemd-analyze"
	sed "s#/usr/local/bin/ssj#$SSJ#g" "$ROOT/packaging/ssj.service" > ssj.service
	run systemd-analyze verify --man=no ./ssj.service
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	grep -q '^Type=notify$' ssj.service
	grep -q '^ProtectSystem=strict$' ssj.service
	grep -q '^NoNewPrivileges=yes$' ssj.service
	grep -q '^WatchdogSec=' ssj.service
	grep -q ' run-due$' "$ROOT/packaging/ssj.cron"
}

@test "without --foreground the daemon leaves the terminal; under journald its lines have levels" {
	schedule_plan 2
	witnesses T-01 T-02
	t=$(at "$(commit_time T-01)")
	SSJ_NOW="@$t" run ssj daemon
	[ "$status" -eq 0 ]
	for i in $(seq 100); do
		[ -s ssj.db.lock ] && [ "$(sqlite3 -cmd '.timeout 5000' ssj.db 'SELECT count(*) FROM commitment')" = 1 ] && break
		sleep 0.1
	done
	pid=$(cat ssj.db.lock)
	kill -0 "$pid"
	[ "$(sqlite3 -cmd '.timeout 5000' ssj.db 'SELECT count(*) FROM commitment')" = 1 ]
	kill -TERM "$pid"
	for i in $(seq 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
	refute kill -0 "$pid" 2> /dev/null
	# journald: "<6>" before an informational line, "<3>" an error
	JOURNAL_STREAM=8:1234 start_daemon "@$((t + 900))"
	wait_for log "^<6>ssj: batch 'T-01': draw: drawn from beacon round"
	kill -TERM "$DAEMON"
	wait "$DAEMON"
	DAEMON=
}
