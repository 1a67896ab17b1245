#!/usr/bin/env bats
# ssj check: validating the plan (after smtpd -n, tmux's regress/conf).
# Each conf/bad-*.yaml must fail with exactly the messages in its .exp.

load lib
bats_require_minimum_version 1.5.0

CONF=$BATS_TEST_DIRNAME/conf
EXAMPLE=$ROOT/config/examples/jingdezhen.yaml

# A small valid plan in the current directory, as FILE (default ssj.yaml).
small_plan() {
	cat > "${1:-ssj.yaml}" <<'EOF'
version: 1
plan: {id: P1, name: 计划, year: 2026}
authority:
  name: 景德镇市市场监督管理局
  division: "360200"
  departments: [{code: ZJ, name: 产品质量安全监督管理科}]
calendar: {years: [2026]}
items: [{code: I1, name: 事项, department: ZJ}]
sampling:
  general: {classes: {A: 3%, B: 5%, C: 10%, D: 30%}}
tasks:
  - id: T1
    name: 任务
    items: [I1]
    lead: ZJ
    batches:
      - {id: T1-1, draw: 2026-04-08, window: {from: 2026-04-13, to: 2026-05-29}}
EOF
}

@test "check accepts the Jingdezhen example and summarises it" {
	run --separate-stderr ssj -f "$EXAMPLE" check
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "plan OK" ]
	[ "${lines[1]}" = "景德镇市市场监督管理局 (360200), plan 3602002026001 for 2026: 4 departments, 6 items (3 general, 3 key), risk classes A/B/C/D, 5 tasks (4 targeted, 1 untargeted; 1 joint), 7 batches drawn from 2026-04-08 to 2026-10-14, official calendars for 2025 and 2026." ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "check reads ./ssj.yaml, or the plan \$SSJ_PLAN names" {
	small_plan
	run ssj check
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "plan OK" ]
	[[ "${lines[1]}" == *"plan P1 for 2026: 1 department, 1 item"* ]]
	mv ssj.yaml other.yaml
	SSJ_PLAN=other.yaml run ssj check
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "plan OK" ]
}

@test "check without a plan fails and says how to name one" {
	run ssj check
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: no plan at 'ssj.yaml'; name one with -f or \$SSJ_PLAN" ]
	run ssj -f nowhere.yaml check
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: no plan at 'nowhere.yaml', which -f or \$SSJ_PLAN names: check the name; nothing was done" ]
}

@test "check takes no arguments" {
	small_plan
	run ssj check extra
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj check" ]
	run ssj check -x
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj check" ]
}

@test "warnings are printed but do not fail the check" {
	small_plan
	sed -i 's/draw: 2026-04-08/draw: 2026-04-11/' ssj.yaml
	run --separate-stderr ssj check
	[ "$status" -eq 0 ]
	[ "$stderr" = "ssj.yaml:17:26: warning: draw date 2026-04-11 is not a working day (a Saturday)" ]
	[ "${lines[0]}" = "plan OK" ]
}

@test "check reads the plan only: no database, no keys are created" {
	small_plan
	run ssj check
	[ "$status" -eq 0 ]
	[ ! -e ssj.db ]
	[ ! -e keys ]
	[ "$(ls)" = "ssj.yaml" ]
}

@test "includes are relative to the including file" {
	mkdir -p plans/calendars
	cp "$ROOT/config/calendars/cn-2026.yaml" plans/calendars/
	small_plan plans/p.yaml
	sed -i 's|^calendar: .*|calendar: {include: [calendars/cn-2026.yaml]}|' \
	    plans/p.yaml
	sed -i 's/draw: 2026-04-08/draw: 2026-04-06/' plans/p.yaml
	run --separate-stderr ssj -f plans/p.yaml check
	[ "$status" -eq 0 ]
	[ "$stderr" = "plans/p.yaml:17:26: warning: draw date 2026-04-06 is not a working day (清明节)" ]
	[[ "${lines[1]}" == *"official calendar for 2026." ]]
}

@test "a plan that is a directory or unreadable is an error" {
	mkdir ssj.yaml
	run ssj check
	[ "$status" -eq 2 ]
	[ "$output" = "ssj.yaml: cannot read the plan: not a regular file (a directory, FIFO or device)" ]
}

@test "every bad plan fails with exactly its expected messages" {
	local f name failed=
	for f in "$CONF"/bad-*.yaml; do
		name=$(basename "$f")
		cp "$f" "$name"
		run --separate-stderr ssj -f "$name" check
		if [ "$status" -ne 2 ] || [ -n "$output" ] ||
		    [ "$stderr" != "$(cat "${f%.yaml}.exp")" ]; then
			echo "# $name: status $status" >&3
			diff -u "${f%.yaml}.exp" - <<<"$stderr" | sed 's/^/# /' >&3 ||
			    true
			failed="$failed $name"
		fi
	done
	[ -z "$failed" ]
}

@test "every bad plan has its expected messages, and no stray ones" {
	local f n=0
	for f in "$CONF"/bad-*.yaml; do
		[ -f "${f%.yaml}.exp" ]
		[ -s "${f%.yaml}.exp" ]
		n=$((n + 1))
	done
	[ "$n" -ge 10 ]
	for f in "$CONF"/*.exp; do
		[ -f "${f%.exp}.yaml" ]
	done
}
