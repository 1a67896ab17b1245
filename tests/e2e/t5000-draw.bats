#!/usr/bin/env bats
# The auditable draw: commit, draw, abort, export, verify -- and every way
# a draw is refused, with nothing left behind but the logged attempt.

load lib

BATCH=JDZ-2026-INFO-TC-1
NOTARY='公证处 3-1-4-1-5-9 salt:7c1e'
REP='企业代表 2-7-1-8 salt:44d0'

hash_of() {
	printf '%s' "$1" | b2sum -l 256 | cut -d' ' -f1
}

commit() {
	ssj commit "$BATCH" --witness notary="$(hash_of "$NOTARY")" \
	    --witness enterprise-rep="$(hash_of "$REP")" "$@"
}

draw() {
	beacon_record "$BATCH.commitment.txt" > beacon.json
	ssj draw "$BATCH" --reveal notary="$NOTARY" \
	    --reveal enterprise-rep="$REP" --beacon beacon.json "$@"
}

@test "commit, draw, export and verify a batch" {
	example_registries
	run commit
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "DSR-1 commitment" ]
	[[ "$output" == *"committed: 66 targets (4 excluded)"* ]]
	[ -f "$BATCH.commitment.txt" ]
	minisign -Vm "$BATCH.commitment.txt" -p keys/ssj.pub
	run draw
	[ "$status" -eq 0 ]
	[[ "$output" == *"drew batch '$BATCH': 9 of 66 targets"* ]]
	[[ "$output" == *"B                  41          3  3/41"* ]]
	run ssj export "$BATCH" full
	[ "$status" -eq 0 ]
	run ssj verify full -p keys/ssj.pub
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "verified: 9 targets, identical (the selection of 66 in the frame)" ]
	run ssj export "$BATCH" public --public
	[ "$status" -eq 0 ]
	[ ! -e public/frame/targets.txt ]
	[ ! -e public/frame/conflicts.txt ]
	grep -q '^file frame/targets.txt [0-9a-f]* withheld$' public/manifest.txt
	run ssj verify public -p keys/ssj.pub
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "verified (public bundle): 9 drawn targets, 9 teams"* ]]
	[[ "$output" == *"not checked ("*"every ticket, and that the drawn are the smallest tickets of their strata"* ]]
	# every file of both bundles passes stock minisign
	for f in $(find full public -type f ! -name '*.minisig' ! -name ssj.pub); do
		minisign -Vqm "$f" -p keys/ssj.pub || { echo "$f"; return 1; }
	done
}

@test "a draw alone writes its rows once (no WAL), and leaves the database in WAL" {
	example_registries
	commit > /dev/null
	beacon_record "$BATCH.commitment.txt" > beacon.json
	strace -qq -f -o opened -e trace=openat "$SSJ" draw "$BATCH" \
	    --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" \
	    --beacon beacon.json > /dev/null
	grep -q 'ssj\.db-journal' opened
	[ "$(sqlite3 ssj.db 'PRAGMA journal_mode')" = wal ]
	[ "$(sqlite3 ssj.db 'SELECT count(*) FROM selection')" -eq 9 ]
	ssj ledger verify > /dev/null
}

@test "the public bundle reveals no risk class" {
	example_registries
	commit > /dev/null
	draw > /dev/null
	ssj export "$BATCH" public --public > /dev/null
	head -1 public/selection.txt | grep -q '^DSR-1 public selection$'
	[ "$(awk -F'\t' 'NR > 1 { print NF }' public/selection.txt | sort -u)" = 1 ]
	# no ticket, seed, secret or per-stratum count (§8.1)
	refute grep -q '^\(secret\|seed\|stratum\) ' public/manifest.txt
	[ ! -e public/frame/parameters.txt ]
	refute grep -rqE '[0-9a-f]{32}' public/selection.txt public/teams.txt
	refute grep -rqP '\t(A|B|C|D)\t' public --include='*.txt'
	refute grep -q 'certain' public/selection.txt
}

@test "exporting twice gives byte-identical bundles" {
	example_registries
	commit > /dev/null
	draw > /dev/null
	ssj export "$BATCH" one > /dev/null
	ssj export "$BATCH" two > /dev/null
	diff -r one two
}

@test "the frames do not depend on the row order in the database" {
	example_registries
	commit > /dev/null
	grep -- '-blake2b-256 ' "$BATCH.commitment.txt" | grep -v secret > a.txt
	# a second database, the same registries imported in another order
	mkdir other && cd other
	cp -R ../data ../keys ../jingdezhen.yaml . && cp -R ../../calendars ..
	export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml
	ssj init > /dev/null
	{ head -1 data/enterprises.csv; tail -n +2 data/enterprises.csv | tac; } > e.csv
	ssj import risk data/risk-2026-10.csv > /dev/null 2>&1
	ssj import conflicts data/conflicts.csv > /dev/null
	ssj import enterprises e.csv > /dev/null 2>&1
	ssj import risk data/risk-2026-09.csv > /dev/null 2>&1
	ssj import inspectors data/inspectors-gbk.csv --encoding gbk > /dev/null
	commit > /dev/null
	grep -- '-blake2b-256 ' "$BATCH.commitment.txt" | grep -v secret > b.txt
	diff ../a.txt b.txt
}

@test "the lead's annual cap: those drawn that often this year are excluded, and only they" {
	example_registries
	# three batches of the untargeted task, the same item and the same
	# teams allowed again; the abnormal enterprises are drawn with
	# certainty in each
	local ex='{annual_cap: 2, same_item_year: false, rotation: false}'
	sed -i -e "s/exclude: {annual_cap: 2}/exclude: $ex/" \
	    -e 's/per_batch: 30, per_year: 60/per_batch: 30, per_year: 300/' \
	    -e 's/^        window: {from: 2026-07-20, to: 2026-11-30}$/&\
      - id: JDZ-2026-INFO-2\
        draw: 2026-07-22\
        window: {from: 2026-07-27, to: 2026-11-30}\
      - id: JDZ-2026-INFO-3\
        draw: 2026-07-29\
        window: {from: 2026-08-03, to: 2026-11-30}/' jingdezhen.yaml
	for BATCH in JDZ-2026-INFO-1 JDZ-2026-INFO-2 JDZ-2026-INFO-3; do
		commit > /dev/null
		draw > /dev/null
	done
	ssj export JDZ-2026-INFO-3 full > /dev/null
	sqlite3 ssj.db "SELECT a.uscc FROM selection a JOIN selection b ON
	    a.uscc = b.uscc AND a.draw = 1 AND b.draw = 2 ORDER BY 1" > twice
	[ -s twice ]
	grep $'\tannual-cap$' full/frame/excluded.txt | cut -f1 | diff twice -
	# drawn once: still in the pool
	sqlite3 ssj.db "SELECT uscc FROM selection WHERE draw IN (1, 2) GROUP BY
	    uscc HAVING count(*) = 1 LIMIT 1" > once
	[ -s once ]
	grep -q "^$(cat once)"$'\t' full/frame/targets.txt
}

@test "one live commitment per batch; abort; every attempt stays" {
	example_registries
	commit > /dev/null
	run commit
	[ "$status" -eq 2 ]
	[[ "$output" == *"batch '$BATCH' already has a live commitment (1); abort it first with 'ssj abort $BATCH --reason TEXT'"* ]]
	run ssj abort "$BATCH"
	[ "$status" -eq 2 ]
	run ssj abort "$BATCH" --reason "见证人未到场"
	[ "$status" -eq 0 ]
	[[ "$output" == "aborted commitment 1 of batch '$BATCH'; ledger entry "* ]]
	run draw
	[ "$status" -eq 2 ]
	[[ "$output" == *"has no live commitment: commit it first"* ]]
	commit > /dev/null
	run draw
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT state FROM batch_state ORDER BY commitment")" = "$(printf 'aborted\ndrawn')" ]
	ssj ledger show | grep -q ' attempt '
	run ssj ledger verify -p keys/ssj.pub
	[ "$status" -eq 0 ]
}

@test "a draw is final" {
	example_registries
	commit > /dev/null
	draw > /dev/null
	run draw
	[ "$status" -eq 2 ]
	[[ "$output" == *"batch '$BATCH' was drawn (draw 1): a draw is final"* ]]
	run commit
	[ "$status" -eq 2 ]
	[[ "$output" == *"a draw is final"* ]]
	run ssj abort "$BATCH" --reason x
	[ "$status" -eq 2 ]
}

@test "wrong reveals and beacons are refused, logged, and leave no draw" {
	example_registries
	commit > /dev/null
	beacon_record "$BATCH.commitment.txt" > beacon.json
	round=$(awk '$1 == "beacon" { print $4 }' "$BATCH.commitment.txt")
	before=$(sqlite3 ssj.db "SELECT count(*) FROM ledger")
	run ssj draw "$BATCH" --reveal notary=WRONG --reveal enterprise-rep="$REP" --beacon beacon.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"the value revealed for witness 'notary' does not match the hash it committed"* ]]
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --beacon beacon.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"witness 'enterprise-rep' has not revealed its value"* ]]
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" --reveal stranger=x --beacon beacon.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"'stranger' is not a witness of the commitment"* ]]
	beacon_record "$BATCH.commitment.txt" $((round + 1)) > other-round.json
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" --beacon other-round.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"the beacon record is of round $((round + 1)); the commitment names round $round"* ]]
	sed 's/"randomness":"./"randomness":"0/' beacon.json > bad-rnd.json
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" --beacon bad-rnd.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"'randomness' is not SHA-256 of 'signature'"* ]]
	echo 'not json' > junk.json
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" --beacon junk.json
	[ "$status" -eq 1 ]
	# a made-up signature, randomness = SHA-256 of it
	made_up_record "$round" > made-up.json
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" --beacon made-up.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"beacon: "*"signature"* ]]
	# a real signature of the next round, relabelled as the committed one
	python3 -c '
import hashlib, json, sys
r = json.load(open(sys.argv[1]))
r["round"] = int(sys.argv[2])
print(json.dumps(r))' other-round.json "$round" > relabelled.json
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" --beacon relabelled.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"beacon: bad signature: round $round is not signed by the chain's key"* ]]
	# eight refusals, each one ledger entry; no draw, no selection
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM ledger")" -eq $((before + 8)) ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM attempt WHERE kind = 'failed-draw'")" -eq 8 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM selection")" -eq 0 ]
	# and the right draw still works
	run draw
	[ "$status" -eq 0 ]
}

@test "a record of a round that is not out yet is refused" {
	example_registries
	# eleven days ahead on the local beacon: within the year commit allows
	commit --beacon-round 1000000 > /dev/null
	# signed by the test chain's key, which can sign any round
	"$BLS_SIGN" 1000000 > early.json
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP" --beacon early.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"beacon round 1000000 is not out until"*"a record of it cannot be genuine"* ]]
}

EDIT_REGISTRY="DROP TRIGGER enterprise_rev_no_update; UPDATE enterprise_rev SET status = '注销' WHERE id = (SELECT min(id) FROM enterprise_rev WHERE uscc IN (SELECT uscc FROM enterprise WHERE industry LIKE 'C307%'))"

@test "a registry edited between commit and draw is refused when the frames are rebuilt" {
	example_registries
	commit > /dev/null
	# a commitment made before schema 5 has no frames kept: rebuilt
	sqlite3 ssj.db "DELETE FROM frame_file"
	sqlite3 ssj.db "$EDIT_REGISTRY"
	run draw
	[ "$status" -eq 1 ]
	[[ "$output" == *"frame 'targets.txt' rebuilt from snapshot 5 differs from the commitment"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" -eq 0 ]
}

@test "a registry edited after commit: the draw takes the frames committed to, the ledger flags the edit" {
	example_registries
	commit > /dev/null
	targets=$(awk '$1 == "targets-blake2b-256" { print $2 }' \
	    "$BATCH.commitment.txt")
	sqlite3 ssj.db "$EDIT_REGISTRY"
	run draw
	[ "$status" -eq 0 ]
	ssj export "$BATCH" bundle > /dev/null
	[ "$(b2sum -l 256 bundle/frame/targets.txt | cut -d' ' -f1)" = "$targets" ]
	ssj verify bundle -p keys/ssj.pub > /dev/null
	run ssj ledger verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"(snapshot 1) does not match the rows it covers"* ]]
}

# The kept targets.txt of the live commitment, beside the database.
kept_targets() {
	echo "ssj.db-frames/$(awk '$1 == "targets-blake2b-256" { print $2 }' \
	    "$BATCH.commitment.txt")"
}

@test "frames kept beside the database and changed are refused, by draw and by export" {
	example_registries
	commit > /dev/null
	cp "$(kept_targets)" kept
	sed -i 's/A/B/' "$(kept_targets)"
	run draw
	[ "$status" -ne 0 ]
	[[ "$output" == *"frame 'targets.txt' kept in '$(kept_targets)' no longer matches the commitment's digest: remove the file: the frames are then rebuilt from the snapshot"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" -eq 0 ]
	cp kept "$(kept_targets)"
	draw > /dev/null
	sed -i 's/A/B/' "$(kept_targets)"
	run ssj export "$BATCH" bundle
	[ "$status" -ne 0 ]
	[[ "$output" == *"kept in '$(kept_targets)' no longer matches"* ]]
	[ ! -e bundle ]
}

@test "a database copied without its frames: the draw rebuilds them from the snapshot" {
	example_registries
	commit > /dev/null
	[ -f "$(kept_targets)" ]
	[ "$(stat -c %a ssj.db-frames)" = 700 ]
	[ "$(stat -c %a "$(kept_targets)")" = 600 ]
	# a commit of the same frames puts a missing file back
	rm -r ssj.db-frames
	ssj abort "$BATCH" --reason test > /dev/null
	commit > /dev/null
	[ -f "$(kept_targets)" ]
	rm -r ssj.db-frames
	run draw
	[ "$status" -eq 0 ]
	[[ "$output" == *"drew batch '$BATCH'"* ]]
	ssj export "$BATCH" bundle > /dev/null
	[ "$(b2sum -l 256 bundle/frame/targets.txt | cut -d' ' -f1)" = \
	    "$(basename "$(kept_targets)")" ]
	ssj verify bundle -p keys/ssj.pub > /dev/null
}

@test "frame files a failed commit left are removed by the next commit; others stay" {
	example_registries
	mkdir -m 700 ssj.db-frames
	orphan=ssj.db-frames/$(printf 'orphan' | b2sum -l 256 | cut -d' ' -f1)
	echo left > "$orphan"
	echo left > "$orphan.4242.0"
	echo left > ssj.db-frames/pending.AbC123
	echo mine > ssj.db-frames/notes.txt
	commit > /dev/null
	[ ! -e "$orphan" ]
	[ ! -e "$orphan.4242.0" ]
	[ ! -e ssj.db-frames/pending.AbC123 ]
	[ "$(cat ssj.db-frames/notes.txt)" = mine ]
	# five files, each named by its digest
	[ "$(ls ssj.db-frames | grep -c '^[0-9a-f]\{64\}$')" -eq 5 ]
	for f in ssj.db-frames/[0-9a-f]*; do
		[ "$(b2sum -l 256 "$f" | cut -d' ' -f1)" = "$(basename "$f")" ]
	done
	draw > /dev/null
}

@test "a new import between commit and draw changes nothing: the snapshot is fixed" {
	example_registries
	commit > /dev/null
	sed 's/,否,否,/,是,否,/' data/enterprises.csv > changed.csv
	ssj import enterprises changed.csv > /dev/null 2>&1
	run draw
	[ "$status" -eq 0 ]
}

@test "a plan changed between commit and draw is refused" {
	example_registries
	commit > /dev/null
	sed -i 's/^  name: 景德镇市市场监督管理局$/  name: 景德镇市市场监督管理局 /' jingdezhen.yaml
	printf '# edited\n' >> jingdezhen.yaml
	run draw
	[ "$status" -eq 1 ]
	[[ "$output" == *"frame 'parameters.txt' rebuilt from snapshot 5 differs from the commitment"* ]]
}

@test "a past beacon round cannot be committed to" {
	example_registries
	run ssj commit "$BATCH" --beacon-round 5
	[ "$status" -eq 2 ]
	[[ "$output" == *"beacon round 5 is already out"* ]]
	run ssj commit NO-SUCH-BATCH
	[ "$status" -eq 2 ]
	[[ "$output" == *"no batch 'NO-SUCH-BATCH' in the plan"* ]]
	run ssj commit "$BATCH" --witness 'bad name=00'
	[ "$status" -eq 2 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM commitment")" -eq 0 ]
}

@test "every changed byte of a bundle is found by verify" {
	example_registries
	commit > /dev/null
	draw > /dev/null
	ssj export "$BATCH" b > /dev/null
	for f in manifest.txt commitment.txt beacon.json selection.txt frame/targets.txt frame/parameters.txt frame/excluded.txt frame/inspectors.txt frame/conflicts.txt; do
		size=$(wc -c < "b/$f")
		for off in 0 $((size / 2)) $((size - 2)); do
			rm -rf c && cp -R b c
			python3 -c "
import sys
p, o = sys.argv[1], int(sys.argv[2])
d = bytearray(open(p, 'rb').read())
d[o] ^= 1
open(p, 'wb').write(d)" "c/$f" "$off"
			run ssj verify c -p keys/ssj.pub
			[ "$status" -ne 0 ] || { echo "not found: $f at $off"; return 1; }
		done
	done
	# two targets swapped: the file's digest is what differs, though
	# its lines, read in the same pass, are no longer in id order
	rm -rf c && cp -R b c
	awk 'NR == 2 { kept = $0; next } { print } NR == 3 { print kept }' \
	    b/frame/targets.txt > c/frame/targets.txt
	[ "$(b2sum < b/frame/targets.txt)" != "$(b2sum < c/frame/targets.txt)" ]
	run ssj verify c -p keys/ssj.pub
	[ "$status" -ne 0 ]
	[[ "$output" == *"frame/targets.txt: its digest differs from the manifest's"* ]]
}

@test "verify needs no database, no plan" {
	example_registries
	commit > /dev/null
	draw > /dev/null
	ssj export "$BATCH" b > /dev/null
	mkdir /tmp/ssj-verify-$$ && cp -R b keys/ssj.pub /tmp/ssj-verify-$$/
	cd /tmp/ssj-verify-$$
	unset SSJ_DB SSJ_PLAN
	run ssj -D /nonexistent.db -f /nonexistent.yaml verify b -p ssj.pub
	cd / && rm -rf /tmp/ssj-verify-$$
	[ "$status" -eq 0 ]
}

@test "the draw fetches the committed round through the plan's command, and checks it" {
	example_registries
	sed -i '$ s/}$/, command: "cat relay\/{chain}-{round}.json"}/' jingdezhen.yaml
	chain=$(awk '/^beacon:/ { sub(/,$/, "", $3); print $3 }' jingdezhen.yaml)
	commit > /dev/null
	round=$(awk '$1 == "beacon" { print $4 }' "$BATCH.commitment.txt")
	mkdir relay
	beacon_record "$BATCH.commitment.txt" > /dev/null
	made_up_record "$round" > "relay/$chain-$round.json"
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP"
	[ "$status" -eq 1 ]
	[[ "$output" == *"fetching beacon round $round: cat relay/$chain-$round.json"* ]]
	[[ "$output" == *"beacon: "*"signature"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" -eq 0 ]
	"$BLS_SIGN" "$round" > "relay/$chain-$round.json"
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --reveal enterprise-rep="$REP"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" -eq 1 ]
}
