#!/bin/sh
# The demo `make demo` runs: a fresh database in a temporary directory, the
# Jingdezhen plan checked, a signing key, the sample registries imported
# (inspectors from a GBK spreadsheet export), a repeated and a bad import,
# the ledger checkpointed, proved and verified -- also after an insider's
# edit -- a file signed and checked with stock minisign, the results
# entered, reviewed, published and noticed (一公开), the year's report,
# a day of the plan's schedule run by 'ssj run-due --now', then the status.
set -eu

SSJ=${SSJ:-ssj}
config=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ssj-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# A copy, so that the paths in the output are short and nothing is left
# behind in the source tree.
cp -R "$config/examples" "$config/calendars" "$work/"
cd "$work/examples"
export SSJ_DB=ssj.db
export SSJ_PLAN=jingdezhen.yaml

# run ARGS: shows the command as a user would type it, then runs it.
run() {
	printf '\n$ ssj %s\n' "$*"
	"$SSJ" "$@"
}

echo "ssj demo in $work/examples, on a copy of config/examples"
run init
run check
run keygen
run import enterprises data/enterprises.csv
run import inspectors data/inspectors-gbk.csv --encoding gbk
run import conflicts data/conflicts.csv
run import risk data/risk-2026-09.csv
run import risk data/risk-2026-10.csv

# The same file again: no new snapshot.
run import enterprises data/enterprises.csv

# A file with mistakes is refused whole, every bad row named.
cat > bad-risk.csv <<'CSV'
统一社会信用代码,风险等级,分类月份
91350100M000100Y4Z,B,2026-10
91360202000000019L,E,2026-10
91360202000000027F,A,2026-13
CSV
printf '\n$ ssj import risk bad-risk.csv\n'
if "$SSJ" import risk bad-risk.csv; then
	echo "demo: the bad file was accepted" >&2
	exit 1
else
	echo "(exit status $?: nothing imported)"
fi

run snapshot

# The draw of a batch (DSR-1). Two witnesses commit to values they keep
# secret until the draw; the commitment names a future beacon round.
# drand cannot be reached from here: the demo's plan names a local test
# chain of one round a second, whose rounds tests/bls-sign signs with a
# fixed test key; the draw checks the record's BLS signature as it checks
# drand's (a real draw gets drand's record: 'ssj beacon fetch').
BLS_SIGN=${BLS_SIGN:-$(dirname "$SSJ")/tests/bls-sign}
printf 'beacon: {chain: %s, genesis: %s, period: 1, margin: 2, %s, %s}\n' \
    "$(printf 'ssj demo beacon' | b2sum -l 256 | cut -d' ' -f1)" \
    "$(($(date +%s) - 10))" "scheme: bls-unchained-g1-rfc9380" \
    "public_key: $("$BLS_SIGN" key)" >> jingdezhen.yaml
notary='公证处 3-1-4-1-5-9-2-6 salt:7c1e9a'
rep='企业代表 2-7-1-8-2-8 salt:44d0f3'
h1=$(printf '%s' "$notary" | b2sum -l 256 | cut -d' ' -f1)
h2=$(printf '%s' "$rep" | b2sum -l 256 | cut -d' ' -f1)
run commit JDZ-2026-INFO-TC-1 --witness notary="$h1" \
    --witness enterprise-rep="$h2"
round=$(awk '$1 == "beacon" { print $4 }' JDZ-2026-INFO-TC-1.commitment.txt)
sleep 3
"$BLS_SIGN" "$round" > beacon.json
printf '\n$ cat beacon.json   # the test chain'"'"'s record of round %s\n' "$round"
cat beacon.json
run beacon verify beacon.json
# A made-up record (any signature, randomness = SHA-256 of it) is refused.
python3 -c '
import hashlib, json, sys
sig = hashlib.sha512(b"ssj demo beacon " + sys.argv[1].encode()).digest()[:48]
print(json.dumps({"round": int(sys.argv[1]), "randomness":
    hashlib.sha256(sig).hexdigest(), "signature": sig.hex()},
    separators=(",", ":")))' "$round" > made-up.json
printf '\n$ ssj draw JDZ-2026-INFO-TC-1 ... --beacon made-up.json\n'
if "$SSJ" draw JDZ-2026-INFO-TC-1 --reveal notary="$notary" \
    --reveal enterprise-rep="$rep" --beacon made-up.json; then
	echo "demo: a made-up beacon record was accepted" >&2
	exit 1
else
	echo "(exit status $?: no draw)"
fi
# A wrong reveal is refused and logged; the commitment stays live.
printf '\n$ ssj draw JDZ-2026-INFO-TC-1 --reveal notary=WRONG ...\n'
if "$SSJ" draw JDZ-2026-INFO-TC-1 --reveal notary=WRONG \
    --reveal enterprise-rep="$rep" --beacon beacon.json; then
	echo "demo: a wrong reveal was accepted" >&2
	exit 1
else
	echo "(exit status $?: no draw)"
fi
run draw JDZ-2026-INFO-TC-1 --reveal notary="$notary" \
    --reveal enterprise-rep="$rep" --beacon beacon.json
# A conflict found after the draw: the leader of the target with the
# most choice is replaced by a replacement draw, the reason on record.
set -- $(sqlite3 -separator ' ' ssj.db "SELECT c.uscc, c.credential FROM
    current_team c JOIN team t USING (draw, rank) WHERE c.slot = 0
    ORDER BY t.eligible DESC, c.rank LIMIT 1")
run replace JDZ-2026-INFO-TC-1 --target "$1" --inspector "$2" \
    --reason '检查前发现与企业负责人系近亲属（回避）'
run show JDZ-2026-INFO-TC-1
run export JDZ-2026-INFO-TC-1 bundle
run export JDZ-2026-INFO-TC-1 public --public
cat bundle/selection.txt bundle/teams.txt bundle/replacements.txt
run verify bundle -p keys/ssj.pub
run verify public -p keys/ssj.pub
printf '\n$ minisign -Vm bundle/manifest.txt -p keys/ssj.pub\n'
minisign -Vm bundle/manifest.txt -p keys/ssj.pub
# One changed byte anywhere is found.
sed -i 's/^1\t/1 \t/' bundle/selection.txt
printf '\n$ ssj verify bundle   # after changing one byte of selection.txt\n'
if "$SSJ" verify bundle -p keys/ssj.pub; then
	echo "demo: a changed bundle verified" >&2
	exit 1
else
	echo "(exit status $?)"
fi

# The evidence: a signed checkpoint of the ledger, a proof that the first
# import is in it (checked with the public key alone), a signed file.
run ledger show
run ledger checkpoint checkpoint.txt
cat checkpoint.txt
run ledger verify
printf '\n$ ssj ledger prove 0 > proof.txt\n'
"$SSJ" ledger prove 0 > proof.txt
run ledger verify-proof proof.txt
run sign checkpoint.txt --kind checkpoint
printf '\n$ minisign -Vm checkpoint.txt -p keys/ssj.pub\n'
minisign -Vm checkpoint.txt -p keys/ssj.pub
run verify-signature checkpoint.txt

# An insider edits a registry row with the sqlite3 shell (on a copy).
cp ssj.db insider.db
sqlite3 insider.db "DROP TRIGGER enterprise_rev_no_update;
    UPDATE enterprise_rev SET division = '360203' WHERE id = 1;"
printf '\n$ sqlite3 insider.db "UPDATE enterprise_rev SET ..."'
printf '\n$ ssj -D insider.db ledger verify\n'
if "$SSJ" -D insider.db ledger verify; then
	echo "demo: the edit was not detected" >&2
	exit 1
else
	echo "(exit status $?: the edit is detected and named)"
fi

# 一公开: the results. The template has one row per drawn target and
# item, with its team as it stands after the replacement; a clerk fills it
# in (here a script, writing GBK with CRLF as a spreadsheet would).
run results template JDZ-2026-INFO-TC-1 results.csv
python3 - <<'PY'
import csv
rows = list(csv.reader(open('results.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
for n, r in enumerate(rows[1:]):
    r[ix['检查方式']] = '书面检查;实地核查'
    r[ix['检查结果']] = ['未发现问题', '未按规定公示应当公示的信息', '发现问题已责令改正'][n % 3]
    r[ix['检查完成日期']] = '2026-10-09' if n < 4 else '2026-11-20'
    r[ix['签名执法人员']] = ';'.join(m.split(' ')[0] for m in r[ix['检查人员']].split(';'))
    if n % 3:
        r[ix['发现问题']] = '2025年度年报未公示'
        r[ix['后续处置措施']] = '违反本部门相关规定，责令改正；后续跟踪由日常监管部门负责'
with open('results-gbk.csv', 'w', encoding='gbk', newline='') as f:
    csv.writer(f, lineterminator='\r\n').writerows(rows)
rows[3][ix['检查完成日期']] = '2027-01-15'    # in the future
rows[4][ix['签名执法人员']] = '36020099999'   # not on the team
with open('bad-results.csv', 'w', encoding='gbk', newline='') as f:
    csv.writer(f, lineterminator='\r\n').writerows(rows)
PY
printf '\n$ ssj results import JDZ-2026-INFO-TC-1 bad-results.csv --encoding gbk\n'
if "$SSJ" results import JDZ-2026-INFO-TC-1 bad-results.csv --encoding gbk; then
	echo "demo: the bad results were accepted" >&2
	exit 1
else
	echo "(exit status $?: nothing imported)"
fi
run results import JDZ-2026-INFO-TC-1 results-gbk.csv --encoding gbk
printf '\n$ ssj status --due\n'
if "$SSJ" status --due; then
	echo "demo: nothing was overdue" >&2
	exit 1
else
	echo "(exit status $?: results are overdue)"
fi
# Review: one target is returned, corrected (a new revision with its
# reason, 更正) and approved with the rest.
target=$(sed -n 2p results.csv | cut -d, -f4)
run results return JDZ-2026-INFO-TC-1 "$target" --reason '文书编号缺失' \
    --by 张审核
python3 - <<'PY'
import csv
rows = list(csv.reader(open('results-gbk.csv', encoding='gbk')))
ix = {k: i for i, k in enumerate(rows[0])}
rows[1][ix['文书编号']] = '景市监检〔2026〕101号'
rows[1][ix['更正原因']] = '补录文书编号'
with open('results-gbk.csv', 'w', encoding='gbk', newline='') as f:
    csv.writer(f, lineterminator='\r\n').writerows(rows)
PY
run results import JDZ-2026-INFO-TC-1 results-gbk.csv --encoding gbk
run results show JDZ-2026-INFO-TC-1 "$target"
run results approve JDZ-2026-INFO-TC-1 --all --by 张审核
# Publication: GSXT result files, signed, and once only.
run publish JDZ-2026-INFO-TC-1 gsxt
run publish JDZ-2026-INFO-TC-1 gsxt
# The three public notices, each checked with stock minisign.
run notice plan notices
run notice task JDZ-2026-INFO-TC-1 notices
run notice result JDZ-2026-INFO-TC-1 notices
for f in gsxt/*.csv gsxt/*.json notices/*; do
	case $f in *.minisig) continue ;; esac
	printf '\n$ minisign -Vm %s -p keys/ssj.pub\n' "$f"
	minisign -Vm "$f" -p keys/ssj.pub
done
run status --due
run ledger verify
# The year as a static site (charts, tables, no script), signed; and
# the one for the public, with nothing confidential in it.
run report --year 2026 report-2026
run report --public --year 2026 report-2026-public
printf '\n$ minisign -Vm report-2026-public/MANIFEST.txt -p keys/ssj.pub\n'
minisign -Vm report-2026-public/MANIFEST.txt -p keys/ssj.pub


# A day of the schedule: a plan whose 'schedule' says when each batch is
# committed (its draw date, at the plan's or the batch's time), which
# round it names (the first one 10 minutes later) and where the bundles
# go. 'ssj run-due' does what is due at the moment given -- here a fake
# clock, --now; cron or 'ssj daemon' use the real one -- and nothing else.
# The day is next year's (a commitment's own time is the real clock's).
mkdir ../day && cd ../day
year=$(($(date +%Y) + 1))
day=$(python3 -c 'import datetime, sys
d = datetime.date(int(sys.argv[1]), 1, 12)
print(d + datetime.timedelta(days=(7 - d.weekday()) % 7))' "$year")
end=$(date -d "$day + 12 days" +%F)
sed -n '/^calendar:/q;p' ../examples/jingdezhen.yaml |
    sed "s/year: 2026/year: $year/" > day.yaml
sed -n '/^risk_classes:/,/^quiet_periods:/p' ../examples/jingdezhen.yaml |
    sed '$d' >> day.yaml
cat >> day.yaml <<YAML
calendar: {years: [$year], holidays: [{name: 元旦, from: $year-01-01, to: $year-01-01}]}
tasks:
  - id: TC
    name: 陶瓷行业公示信息定向抽查
    items: [XY-GS-01]
    lead: XY
    filter: {industry: [C3074, C3075, C3072], division: ["360203", "360222"]}
    batches:
      - {id: TC-1, draw: $day, commit: "08:30", window: {from: $day, to: $end}}
      - {id: TC-2, draw: $day, window: {from: $day, to: $end}}
      - {id: TC-3, draw: $day, commit: "14:00", window: {from: $day, to: $end}}
schedule:
  commit: "10:00"          # the default time; TC-1 and TC-3 name theirs
  delay: 10m               # the round: the first one 10 minutes later
  export: out              # full and public bundles, and commitments
  witness_dir: witnesses   # witnesses/BATCH/NAME.hash, NAME.reveal
  witnesses: [notary]
YAML
printf '#!/bin/sh\n# the test chain; a real plan fetches from drand\nexec "%s" "$1"\n' \
    "$BLS_SIGN" > fetch.sh
chmod +x fetch.sh
printf 'beacon: {chain: %s, genesis: %s, period: 3, %s, %s, command: "./fetch.sh {round}"}\n' \
    "$(printf 'ssj demo beacon' | b2sum -l 256 | cut -d' ' -f1)" \
    "$(($(date +%s) - 10))" "scheme: bls-unchained-g1-rfc9380" \
    "public_key: $("$BLS_SIGN" key)" >> day.yaml
cp -R ../examples/keys .
export SSJ_DB=day.db SSJ_PLAN=day.yaml
"$SSJ" init > /dev/null
for f in enterprises inspectors conflicts; do
	case $f in
	inspectors) "$SSJ" import $f ../examples/data/inspectors-gbk.csv --encoding gbk ;;
	*) "$SSJ" import $f ../examples/data/$f.csv ;;
	esac
done > /dev/null 2>&1
"$SSJ" import risk ../examples/data/risk-2026-10.csv > /dev/null 2>&1
# The notary gives a hash for TC-1 and TC-2 before the day, TC-3's later.
for b in TC-1 TC-2; do
	mkdir -p witnesses/$b
	printf '公证处 %s salt:%s' "$b" "$(date +%N)" > witnesses/$b/notary.reveal
	"$SSJ" witness hash --file witnesses/$b/notary.reveal \
	    > witnesses/$b/notary.hash 2> /dev/null
done
printf '\n$ cat day.yaml   # its tasks and schedule\n'
sed -n '/^tasks:/,/^schedule:/p' day.yaml | sed '$d'
sed -n '/^schedule:/,/^beacon:/p' day.yaml | sed '$d'
run status TC-1
for t in 06:00 08:35 08:50 10:00 12:00 14:05 18:00 18:20; do
	if [ $t = 18:00 ]; then
		mkdir -p witnesses/TC-3
		printf '公证处 TC-3' > witnesses/TC-3/notary.reveal
		"$SSJ" witness hash --file witnesses/TC-3/notary.reveal \
		    > witnesses/TC-3/notary.hash 2> /dev/null
		printf '\n(the notary gives the hash of TC-3, late)\n'
	fi
	printf '\n$ ssj run-due --now "%s %s"\n' "$day" "$t"
	"$SSJ" run-due --now "$day $t" 2>&1 || echo "(exit status $?: something is stuck)"
done
printf '\n$ ssj run-due --now "%s 23:00"   # again: nothing more is due\n' "$day"
"$SSJ" run-due --now "$day 23:00"
printf '\n$ ssj status   # the tasks and batches part, at 23:00\n'
SSJ_NOW="$day 23:00" "$SSJ" status | sed -n '/^tasks and batches/,/^$/p'
# The history: commitments and draws carry the real clock's time (as
# their signed files do), the schedule's events the fake clock's.
run status TC-3
printf '\n$ ls out\n'
ls out
run verify out/TC-1 -p keys/ssj.pub
printf '\n$ ssj daemon -n   # the same engine on a timer, as a service\n'
"$SSJ" daemon -n
cd ../examples
export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml

run status
echo
echo "demo done (the temporary directory is removed)"
