#!/usr/bin/env bats
# Inspector teams (docs/protocol.md §9): every hard rule holds in the
# teams drawn, an unstaffable batch is refused naming every target and
# its binding constraint, replacements are drawn, logged and replayed,
# and `ssj show` tells who goes where and how much choice there was.

load lib

NOTARY='公证处 3-1-4-1-5-9 salt:7c1e'

hash_of() {
	printf '%s' "$1" | b2sum -l 256 | cut -d' ' -f1
}

# commit_and_draw BATCH: the whole draw, with one witness.
commit_and_draw() {
	ssj commit "$1" --witness notary="$(hash_of "$NOTARY")" > /dev/null
	beacon_record "$1.commitment.txt" > beacon.json
	ssj draw "$1" --reveal notary="$NOTARY" --beacon beacon.json
}

# Rows that break a hard rule of §9.3 in the teams as they stand: an
# inspector twice on a team, a declared conflict in force, an inactive
# inspector, a credential expired before the window ends, a sworn slot
# held by an expert.
violations() {
	sqlite3 ssj.db "
	SELECT 'twice', draw, rank, credential FROM current_team
	    GROUP BY draw, rank, credential HAVING count(*) > 1
	UNION ALL
	SELECT 'conflict', t.draw, t.rank, t.credential FROM current_team t
	    JOIN conflict c ON c.credential = t.credential AND c.uscc = t.uscc
	    WHERE (c.valid_to = '' OR c.valid_to >= '$1')
	UNION ALL
	SELECT 'inactive or expired', t.draw, t.rank, t.credential
	    FROM current_team t JOIN inspector i USING (credential)
	    WHERE NOT i.active OR i.valid_until < '$2'
	UNION ALL
	SELECT 'expert in a sworn slot', t.draw, t.rank, t.credential
	    FROM current_team t JOIN inspector i USING (credential)
	    WHERE i.expert AND t.slot < $3"
}

@test "teams keep every hard rule; a joint task has its lead and joint departments" {
	example_registries
	run commit_and_draw JDZ-2026-XFCP-1
	[ "$status" -eq 0 ]
	[[ "$output" == *"teams of 2 inspectors:"* ]]
	[ -z "$(violations 2026-06-15 2026-07-31 2)" ]
	# (the draw writes its rows without SQLite checking each reference)
	[ -z "$(sqlite3 ssj.db 'PRAGMA foreign_key_check')" ]
	# the leader (slot 0) is of ZJ with CCC, slot 1 of XF with FIRE
	[ "$(sqlite3 ssj.db "SELECT DISTINCT i.department FROM current_team t
	    JOIN inspector i USING (credential) WHERE t.slot = 0")" = ZJ ]
	[ "$(sqlite3 ssj.db "SELECT DISTINCT i.department FROM current_team t
	    JOIN inspector i USING (credential) WHERE t.slot = 1")" = XF ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM current_team t JOIN
	    inspector i USING (credential) WHERE t.slot = 0 AND
	    instr(';' || i.qualifications || ';', ';CCC;') = 0")" = 0 ]
	# the workload cap of the plan (8 per batch) holds
	[ "$(sqlite3 ssj.db "SELECT max(n) FROM (SELECT count(*) AS n FROM
	    current_team GROUP BY credential)")" -le 8 ]
	run ssj export JDZ-2026-XFCP-1 full
	[ "$status" -eq 0 ]
	run ssj verify full -p keys/ssj.pub
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "teams: "*" replacements replayed, identical" ]]
	# the task makes the names public: both bundles name every member
	ssj export JDZ-2026-XFCP-1 public --public > /dev/null
	ssj verify public -p keys/ssj.pub > /dev/null
	for b in full public; do
		[ "$(sed -n 1p $b/names.txt)" = "DSR-1 names" ]
		[ "$(tail -n +2 $b/names.txt | cut -f1)" = "$(tail -n +2 full/teams.txt |
		    cut -f4,5 | tr '\t;' '\n\n' | grep -v '^-$' | LC_ALL=C sort -u)" ]
		minisign -Vqm $b/names.txt -p keys/ssj.pub
	done
}

@test "experts come only in addition, from the expert roster" {
	example_registries
	run commit_and_draw JDZ-2026-CERT-1
	[ "$status" -eq 0 ]
	[[ "$output" == *"teams of 2 inspectors and 1 expert:"* ]]
	[ -z "$(violations 2026-05-18 2026-07-31 2)" ]
	[ "$(sqlite3 ssj.db "SELECT DISTINCT i.expert FROM current_team t
	    JOIN inspector i USING (credential) WHERE t.slot = 2")" = 1 ]
}

@test "commit names the one target its conflicts leave unstaffable, not its division" {
	example_registries
	# Every inspector declares a conflict with one ceramics enterprise of
	# 珠山区: it alone cannot be staffed; the others of 360203 can.
	target=91360203MAU7UBQL9U
	{
		head -n 1 data/conflicts.csv
		iconv -f gbk -t utf-8 data/inspectors-gbk.csv |
		    awk -F, -v t="$target" 'NR > 1 { print $1 "," t ",其他,本人申报,2026-01-01," }'
	} > all-conflicts.csv
	ssj import conflicts all-conflicts.csv > /dev/null
	run ssj commit JDZ-2026-INFO-TC-1 --witness notary="$(hash_of "$NOTARY")"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: the frames fail the feasibility check: the draw fails if one of these is selected"* ]]
	[[ "$output" == *"target $target: 0 eligible inspectors"* ]]
	[ "$(grep -c '^ssj:   target ' <<< "$output")" -eq 1 ]
	[[ "$output" != *"and "*" more targets of the pool"* ]]
}

@test "an unstaffable batch is refused, every target named, nothing but the attempt kept" {
	example_registries
	# Only one XY inspector is left in 珠山区 and 浮梁县 for the
	# ceramics task: no team of 2 can be made there.
	iconv -f gbk -t utf-8 data/inspectors-gbk.csv |
	    awk -F, 'NR == 1 || $3 != "XY" || $1 == "36020322047"' \
	    > one-xy.csv
	ssj import inspectors one-xy.csv --allow-removals > /dev/null
	run ssj commit JDZ-2026-INFO-TC-1 --witness notary="$(hash_of "$NOTARY")"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: the frames fail the feasibility check"* ]]
	[[ "$output" == *"1 eligible inspector of XY with qualification INFO in 360203"*"; team size 2"* ]]
	before=$(sqlite3 ssj.db 'SELECT count(*) FROM assignment; SELECT count(*) FROM draw')
	beacon_record JDZ-2026-INFO-TC-1.commitment.txt > beacon.json
	run ssj draw JDZ-2026-INFO-TC-1 --reveal notary="$NOTARY" --beacon beacon.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"9 selected targets cannot be staffed:"* ]]
	[ "$(grep -c '^  target .*: .* eligible inspector.* team size 2$' <<< "$output")" -eq 9 ]
	[[ "$output" == *"the failed attempt is ledger entry"* ]]
	[ "$(sqlite3 ssj.db 'SELECT count(*) FROM assignment; SELECT count(*) FROM draw')" = "$before" ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM attempt WHERE kind = 'failed-draw' AND reason LIKE '%cannot be staffed%'")" = 1 ]
	ssj ledger verify > /dev/null
}

@test "a replacement is drawn, logged with its reason, kept beside the old assignment, replayed by verify" {
	example_registries
	commit_and_draw JDZ-2026-INFO-TC-1 > /dev/null
	set -- $(sqlite3 -separator ' ' ssj.db "SELECT c.uscc, c.credential
	    FROM current_team c JOIN team t USING (draw, rank) WHERE c.slot = 1
	    ORDER BY t.eligible DESC, c.rank LIMIT 1")
	assignments=$(sqlite3 ssj.db 'SELECT * FROM assignment')
	run ssj replace JDZ-2026-INFO-TC-1 --target "$1" --inspector "$2" --reason '病假'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "replacement 1 of batch 'JDZ-2026-INFO-TC-1': '$2' off target '$1'"* ]]
	# the old assignment stays; the replacement is its own row, logged
	[ "$(sqlite3 ssj.db 'SELECT * FROM assignment')" = "$assignments" ]
	[ "$(sqlite3 ssj.db "SELECT removed, reason FROM replacement")" = "$2|病假" ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM ledger WHERE event = 'replace'")" = 1 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM current_team WHERE uscc = '$1' AND credential = '$2'")" = 0 ]
	[ -z "$(violations 2026-09-14 2026-12-18 2)" ]
	ssj ledger verify > /dev/null
	run ssj show JDZ-2026-INFO-TC-1
	[ "$status" -eq 0 ]
	[[ "$output" == *"*"* ]]
	[[ "$output" == *"1. $1 slot 1: $2 -> "*", 病假 ("* ]]
	ssj export JDZ-2026-INFO-TC-1 full > /dev/null
	[ ! -e full/names.txt ]		# names are not public for this task
	[ "$(sed -n 2p full/replacements.txt | cut -f1,2,3,4,6)" = "$(printf '1\t%s\t1\t%s\t病假' "$1" "$2")" ]
	run ssj verify full -p keys/ssj.pub
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "teams: 9 teams and 1 replacement replayed, identical" ]
	# a replacement drawn otherwise is found
	sed -i '2s/\t[^\t]*\t\([^\t]*\)$/\tXX-0\t\1/' full/replacements.txt
	run ssj verify full -p keys/ssj.pub
	[ "$status" -eq 1 ]
}

@test "replace refuses what it cannot do and changes nothing" {
	example_registries
	commit_and_draw JDZ-2026-INFO-TC-1 > /dev/null
	target=$(sqlite3 ssj.db "SELECT uscc FROM selection WHERE rank = 1")
	before=$(db_content)
	run ssj replace JDZ-2026-INFO-TC-1 --target "$target" --inspector NOBODY --reason x
	[ "$status" -eq 2 ]
	[[ "$output" == *"inspector 'NOBODY' is not in the frame"* ]]
	run ssj replace JDZ-2026-INFO-TC-1 --target 91360000000000000X --inspector NOBODY --reason x
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not a selected target"* ]]
	run ssj replace JDZ-2026-INFO-TC-1 --target "$target" --inspector 36020216003 --reason ''
	[ "$status" -eq 2 ]
	[ "$(db_content)" = "$before" ]
	run ssj replace JDZ-2026-INFO-1 --target "$target" --inspector 36020216003 --reason x
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not drawn: there is no team to change"* ]]
}

@test "show: teams, eligible counts and loads; names only where public" {
	example_registries
	commit_and_draw JDZ-2026-INFO-TC-1 > /dev/null
	run ssj show JDZ-2026-INFO-TC-1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "batch 'JDZ-2026-INFO-TC-1': draw 1, 9 targets selected, teams of 2 inspectors" ]]
	[[ "$output" == *"load per inspector"* ]]
	[[ "$output" == *"钱荣怡"* || "$output" == *"潘建"* || "$output" == *"程晓涵"* || "$output" == *"姚鹏国"* ]]
	[ "$(grep -cE '^ +[0-9]+  [0-9A-Z]{15,18} +[0-9]+ ' <<< "$output")" -eq 9 ]
	# public_names is false for this task: no name in the public view
	run ssj show JDZ-2026-INFO-TC-1 --public
	[ "$status" -eq 0 ]
	# the drawn enterprises are public, the inspectors' names are not
	[[ "$output" == *"景德镇"* ]]
	for name in $(sqlite3 ssj.db "SELECT name FROM inspector"); do
		refute grep -qF "$name" <<< "$output"
	done
}

@test "rotation: a target's next team is not its last one" {
	example_registries
	# the same targets come again (every one drawn, none excluded);
	# their teams may not
	sed -i -e 's/same_item_year: true /same_item_year: false/' \
	    -e 's/^      B: 8%$/      B: 100%/' \
	    -e 's/per_batch: 10, per_year: 40/per_batch: 40, per_year: 80/' \
	    jingdezhen.yaml
	commit_and_draw JDZ-2026-CCC-1 > /dev/null
	# 昌江区 has but two ZJ inspectors with CCC, both maybe just there:
	# two more for the whole city
	{ iconv -f gbk -t utf-8 data/inspectors-gbk.csv
	  echo '36020099901,甲,ZJ,360200,CCC,2030-12-31,是,否,,'
	  echo '36020099902,乙,ZJ,360200,CCC,2030-12-31,是,否,,'
	} > more.csv
	ssj import inspectors more.csv > /dev/null
	commit_and_draw JDZ-2026-CCC-2 > /dev/null
	# every target drawn twice got a team with none of its first team
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM current_team a JOIN
	    current_team b ON a.uscc = b.uscc AND a.credential = b.credential
	    AND a.draw = 1 AND b.draw = 2")" = 0 ]
	ssj export JDZ-2026-CCC-2 full > /dev/null
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM selection a JOIN selection b
	    ON a.uscc = b.uscc AND a.draw = 1 AND b.draw = 2")" -gt 0 ]
	grep -q $'\trotation$' full/frame/conflicts.txt
	ssj verify full -p keys/ssj.pub > /dev/null
}

@test "rotation: the team of the latest of several earlier draws" {
	example_registries
	# three batches; the targets of the first two come again in the third
	sed -i -e 's/same_item_year: true /same_item_year: false/' \
	    -e 's/annual_cap: 2 /annual_cap: 9 /' \
	    -e 's/^      B: 8%$/      B: 100%/' \
	    -e 's/per_batch: 10, per_year: 40/per_batch: 40, per_year: 200/' \
	    -e 's/^        window: {from: 2026-09-01, to: 2026-10-30}$/&\
      - id: JDZ-2026-CCC-3\
        draw: 2026-11-04\
        window: {from: 2026-11-09, to: 2026-11-30}/' \
	    jingdezhen.yaml
	{ iconv -f gbk -t utf-8 data/inspectors-gbk.csv
	  echo '36020099901,甲,ZJ,360200,CCC,2030-12-31,是,否,,'
	  echo '36020099902,乙,ZJ,360200,CCC,2030-12-31,是,否,,'
	  echo '36020099903,丙,ZJ,360200,CCC,2030-12-31,是,否,,'
	  echo '36020099904,丁,ZJ,360200,CCC,2030-12-31,是,否,,'
	} > more.csv
	ssj import inspectors more.csv > /dev/null
	commit_and_draw JDZ-2026-CCC-1 > /dev/null
	commit_and_draw JDZ-2026-CCC-2 > /dev/null
	commit_and_draw JDZ-2026-CCC-3 > /dev/null
	ssj export JDZ-2026-CCC-3 full > /dev/null
	# each target's team in its latest draw, of the frame's inspectors;
	# a recusal of the same pair wins
	tail -n +2 full/frame/targets.txt | cut -f1 > targets
	tail -n +2 full/frame/inspectors.txt | cut -f1 > inspectors
	sqlite3 -separator $'\t' ssj.db "SELECT t.credential, t.uscc FROM
	    current_team t JOIN (SELECT uscc, max(draw) AS draw FROM selection
	    WHERE draw < 3 GROUP BY uscc) USING (uscc, draw)" > latest
	awk -F'\t' 'FILENAME == "targets" { t[$1]; next }
	    FILENAME == "inspectors" { i[$1]; next }
	    ($1 in i) && ($2 in t)' targets inspectors latest | sort > expected
	grep $'\trecusal$' full/frame/conflicts.txt | cut -f1,2 | sort > recusal
	grep $'\trotation$' full/frame/conflicts.txt | cut -f1,2 > rotation
	comm -23 expected recusal | diff - rotation
	# targets drawn twice are among them, with a team unlike their first
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM selection a JOIN selection b
	    ON a.uscc = b.uscc AND a.draw = 1 AND b.draw = 2")" -gt 0 ]
	[ -s rotation ]
}

@test "a draw's summary out of key order or cut short is refused" {
	example_registries
	commit_and_draw JDZ-2026-CCC-1 > /dev/null
	[ "$(sqlite3 ssj.db "SELECT length(keys) FROM draw_summary")" -ge 32 ]
	# its first two keys swapped
	sqlite3 ssj.db "UPDATE draw_summary SET keys = CAST(substr(keys, 17, 16)
	    || substr(keys, 1, 16) || substr(keys, 33) AS BLOB)"
	sqlite3 ssj.db .dump > before.sql
	run ssj commit JDZ-2026-CCC-2 --witness notary="$(hash_of "$NOTARY")"
	[ "$status" -ne 0 ]
	[[ "$output" == *"draw 1's summary is damaged"* ]]
	sqlite3 ssj.db .dump | diff before.sql -
	# a part of a key missing
	sqlite3 ssj.db "UPDATE draw_summary SET keys = CAST(substr(keys, 1,
	    length(keys) - 1) AS BLOB)"
	sqlite3 ssj.db .dump > before.sql
	run ssj commit JDZ-2026-CCC-2 --witness notary="$(hash_of "$NOTARY")"
	[ "$status" -ne 0 ]
	[[ "$output" == *"draw 1's summary is damaged"* ]]
	sqlite3 ssj.db .dump | diff before.sql -
	# as the message says: the ledger holds, the summary goes, the rows
	# are read
	[[ "$output" == *"ssj ledger verify"* ]]
	ssj ledger verify > /dev/null
	[[ "$output" == *"sqlite3 'ssj.db' 'DELETE FROM draw_summary WHERE draw = 1'"* ]]
	sqlite3 ssj.db 'DELETE FROM draw_summary WHERE draw = 1'
	ssj commit JDZ-2026-CCC-2 --witness notary="$(hash_of "$NOTARY")" \
	    > /dev/null
}

@test "after a replacement, the next commit's loads and rotation are the teams as replaced" {
	example_registries
	sed -i -e 's/same_item_year: true /same_item_year: false/' \
	    -e 's/^      B: 8%$/      B: 100%/' \
	    -e 's/per_batch: 10, per_year: 40/per_batch: 40, per_year: 80/' \
	    jingdezhen.yaml
	{ iconv -f gbk -t utf-8 data/inspectors-gbk.csv
	  echo '36020099901,甲,ZJ,360200,CCC,2030-12-31,是,否,,'
	  echo '36020099902,乙,ZJ,360200,CCC,2030-12-31,是,否,,'
	} > more.csv
	ssj import inspectors more.csv > /dev/null
	commit_and_draw JDZ-2026-CCC-1 > /dev/null
	set -- $(sqlite3 -separator ' ' ssj.db "SELECT c.uscc, c.credential
	    FROM current_team c JOIN team t USING (draw, rank) WHERE c.slot = 1
	    ORDER BY t.eligible DESC, c.rank LIMIT 1")
	ssj replace JDZ-2026-CCC-1 --target "$1" --inspector "$2" \
	    --reason '病假' > /dev/null
	new=$(sqlite3 ssj.db "SELECT credential FROM current_team WHERE
	    uscc = '$1' AND slot = 1")
	[ "$new" != "$2" ]
	commit_and_draw JDZ-2026-CCC-2 > /dev/null
	ssj export JDZ-2026-CCC-2 full > /dev/null
	# rotation: the team as replaced, not as drawn (the inspector drawn
	# in is in this frame only if eligible for it)
	if grep -q "^$new"$'\t' full/frame/inspectors.txt; then
		grep -q "^$new"$'\t'"$1"$'\trotation$' full/frame/conflicts.txt
	fi
	refute grep -q "^$2"$'\t'"$1"$'\trotation$' full/frame/conflicts.txt
	# loads: each inspector's slots in the teams as replaced
	sqlite3 -separator $'\t' ssj.db "SELECT credential, count(*) FROM
	    current_team WHERE draw = 1 GROUP BY credential" | sort > loads
	[ -s loads ]
	while IFS=$'\t' read -r cred n; do
		awk -F'\t' -v c="$cred" -v n="$n" '$1 == c && $7 != n { bad = 1 }
		    END { exit bad }' full/frame/inspectors.txt ||
		    { echo "load of $cred is not $n"; false; }
	done < loads
}
