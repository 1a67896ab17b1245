# Shared setup of the schedule's tests (family 2): a plan of NEXT year's
# batches, so that every fake moment is ahead of the real clock (a
# commitment's own time is the real one, and its round must come after).

load lib

# The year the plans are of: the next one.
YEAR=$(($(date +%Y) + 1))
NOTARY_HASH=

# schedule_plan N [SCHEDULE]: the example's registries imported, and a
# plan 'plan.yaml' of one task with N monthly batches of $YEAR (T-01...),
# each drawn on a working day, the test chain as its beacon with a fetch
# command, and the schedule given (default: commit 09:30, delay 10m,
# export to 'out', witness 'notary' from 'witnesses'). Leaves the shell
# in the copy, with SSJ_DB and SSJ_PLAN set. PUBLIC_LIST=true makes the
# task's drawn list public (a task notice after each draw).
schedule_plan() {
	local n=$1 sched=${2:-"{commit: '09:30', delay: 10m, export: out, witness_dir: witnesses, witnesses: [notary]}"}
	cp -R "$ROOT/config/examples" .
	cd examples
	sed -n '/^calendar:/q;p' jingdezhen.yaml |
	    sed "s/year: 2026/year: $YEAR/" > plan.yaml
	printf 'calendar: {include: [cn-%s.yaml]}\n' "$YEAR" >> plan.yaml
	sed -n '/^risk_classes:/,/^quiet_periods:/p' jingdezhen.yaml |
	    sed '$d' >> plan.yaml
	printf 'years: [%s]\nholidays:\n  - {name: 元旦, from: %s-01-01, to: %s-01-01}\n' \
	    "$YEAR" "$YEAR" "$YEAR" > "cn-$YEAR.yaml"
	python3 - "$YEAR" "$n" "${PUBLIC_LIST:-false}" >> plan.yaml <<'PY'
import datetime, sys
y, n = int(sys.argv[1]), int(sys.argv[2])
print("tasks:\n  - id: T\n    name: 企业公示信息抽查\n    items: [XY-GS-01]\n"
      "    lead: XY\n    filter: {industry: [C3074, C3075, C3072], division: "
      "['360203', '360222'], entity_type: [enterprise, individual]}\n"
      f"    public_list: {sys.argv[3]}\n    batches:")
for i in range(n):
    m, part = 1 + i * 12 // n, (i * 12 % n) * 28 // n
    d = datetime.date(y, m, 2 + part)
    while d.weekday() >= 5:
        d += datetime.timedelta(days=1)
    e = d + datetime.timedelta(days=12)
    print(f"      - {{id: T-{i + 1:02d}, draw: {d}, window: {{from: "
          f"{d + datetime.timedelta(days=1)}, to: {e}}}}}")
PY
	printf 'schedule: %s\n' "$sched" >> plan.yaml
	printf '#!/bin/sh\nexec "%s" "$1"\n' "$BLS_SIGN" > fetch.sh
	chmod +x fetch.sh
	printf 'beacon: {chain: %s, genesis: %s, period: 3, %s, %s, command: "./fetch.sh {round}"}\n' \
	    "$(printf 'ssj test beacon' | b2sum -l 256 | cut -d' ' -f1)" \
	    "$(($(date +%s) - 10))" "scheme: bls-unchained-g1-rfc9380" \
	    "public_key: $("$BLS_SIGN" key)" >> plan.yaml
	export SSJ_DB=ssj.db SSJ_PLAN=plan.yaml
	ssj init > /dev/null
	ssj keygen > /dev/null
	ssj import enterprises data/enterprises.csv > /dev/null 2>&1
	ssj import inspectors data/inspectors-gbk.csv --encoding gbk > /dev/null
	ssj import conflicts data/conflicts.csv > /dev/null
	ssj import risk data/risk-2026-10.csv > /dev/null 2>&1
}

# witnesses BATCH...: the notary's hash and reveal for each batch.
witnesses() {
	local b
	for b in "$@"; do
		mkdir -p "witnesses/$b"
		printf 'notary value for %s' "$b" > "witnesses/$b/notary.reveal"
		ssj witness hash --file "witnesses/$b/notary.reveal" \
		    > "witnesses/$b/notary.hash" 2> /dev/null
	done
}

# The batches of plan.yaml, one per line.
batches() {
	sed -n 's/^ *- {id: \(T-[0-9]*\),.*/\1/p' plan.yaml
}

# draw_time BATCH: its draw date at 09:30, Beijing time.
commit_time() {
	printf '%s 09:30' "$(sed -n "s/^ *- {id: $1, draw: \([0-9-]*\),.*/\1/p" plan.yaml)"
}
