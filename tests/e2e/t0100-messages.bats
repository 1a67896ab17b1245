#!/usr/bin/env bats
# Messages that lead to the fix, and one exit status per kind of failure:
# the mistakes a new user makes, each answered with what to do next.

bats_require_minimum_version 1.5.0
load lib

BATCH=JDZ-2026-INFO-TC-1
NOTARY='公证处 3-1-4-1-5-9 salt:7c1e'

hash_of() {
	printf '%s' "$1" | b2sum -l 256 | cut -d' ' -f1
}

@test "a missing signing key says to run 'ssj keygen', and nothing changes" {
	example_registries
	rm keys/ssj.key
	before=$(db_content)
	run --separate-stderr ssj commit "$BATCH"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: cannot open secret key 'keys/ssj.key': No such file or directory; run 'ssj keygen' (see ssj(1))" ]
	[ "$(db_content)" = "$before" ]
	[ ! -e "$BATCH.commitment.txt" ]
}

@test "draw of an uncommitted batch says so before anything about the beacon" {
	example_registries
	before=$(db_content)
	# no --beacon and no beacon.command in the plan: the state comes first
	run --separate-stderr ssj draw "$BATCH"
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: batch '$BATCH' has no live commitment: commit it first with 'ssj commit $BATCH'" ]
	run --separate-stderr ssj draw "$BATCH" --beacon nonesuch.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: batch '$BATCH' has no live commitment: commit it first with 'ssj commit $BATCH'" ]
	run --separate-stderr ssj draw NONESUCH-1
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: no batch 'NONESUCH-1' in the plan 'jingdezhen.yaml'" ]
	[ "$(db_content)" = "$before" ]
}

@test "a witness hash made with a trailing newline is named as such" {
	example_registries
	ssj commit "$BATCH" --witness notary="$(echo "$NOTARY" | b2sum -l 256 | cut -d' ' -f1)" > /dev/null
	beacon_record "$BATCH.commitment.txt" > beacon.json
	run --separate-stderr ssj draw "$BATCH" --reveal notary="$NOTARY" --beacon beacon.json
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"the value revealed for witness 'notary' does not match the hash it committed: the hash was made with a trailing newline; use 'ssj witness hash'"* ]]
	# a plainly wrong value gets no such hint
	run --separate-stderr ssj draw "$BATCH" --reveal notary=WRONG --beacon beacon.json
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"does not match the hash it committed"* ]]
	[[ "$stderr" != *"trailing newline"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM draw")" -eq 0 ]
}

@test "a ratio of 1 or 1.0 is refused as ambiguous" {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	sed -i 's/^      A: 3%$/      A: 1/' jingdezhen.yaml
	run ssj -f jingdezhen.yaml check
	[ "$status" -eq 2 ]
	[[ "$output" == *"jingdezhen.yaml:120:10: ratio '1' is ambiguous: write '1%' or '100%'"* ]]
	sed -i 's/^      A: 1$/      A: 1.0/' jingdezhen.yaml
	run ssj -f jingdezhen.yaml check
	[ "$status" -eq 2 ]
	[[ "$output" == *"ratio '1.0' is ambiguous: write '1%' or '100%'"* ]]
}

@test "a frame changed since the commitment says what to do" {
	example_registries
	ssj commit "$BATCH" --witness notary="$(hash_of "$NOTARY")" > /dev/null
	printf '# edited\n' >> jingdezhen.yaml
	sed -i 's/^  name: 景德镇市市场监督管理局$/  name: 景德镇市市场监督管理局 /' jingdezhen.yaml
	beacon_record "$BATCH.commitment.txt" > beacon.json
	run --separate-stderr ssj draw "$BATCH" --reveal notary="$NOTARY" --beacon beacon.json
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"frame 'parameters.txt' rebuilt from snapshot 5 differs from the commitment: the registries or the plan changed since; revert the change, or 'ssj abort $BATCH --reason TEXT' and commit again"* ]]
}

@test "an unknown batch is a usage error everywhere" {
	example_registries
	before=$(db_content)
	for cmd in "commit NONESUCH-1" "draw NONESUCH-1" \
	    "abort NONESUCH-1 --reason x" "show NONESUCH-1" \
	    "export NONESUCH-1 out" "rehearse NONESUCH-1" \
	    "replace NONESUCH-1 --target x --inspector y --reason z" \
	    "replace NONESUCH-1 --inspector y --all --reason z"; do
		run ssj $cmd
		[ "$status" -eq 2 ] || { echo "$cmd: $status"; return 1; }
	done
	[ "$(db_content)" = "$before" ]
}

@test "the same state gives the same status from commit and draw" {
	example_registries
	ssj commit "$BATCH" --witness notary="$(hash_of "$NOTARY")" > /dev/null
	run ssj commit "$BATCH"
	[ "$status" -eq 2 ]
	beacon_record "$BATCH.commitment.txt" > beacon.json
	ssj draw "$BATCH" --reveal notary="$NOTARY" --beacon beacon.json > /dev/null
	# drawn: final for both
	run ssj commit "$BATCH"
	[ "$status" -eq 2 ]
	[[ "$output" == *"a draw is final"* ]]
	run ssj draw "$BATCH" --reveal notary="$NOTARY" --beacon beacon.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"a draw is final"* ]]
	# unknown to the plan: the same message from both
	run ssj commit NONESUCH-1
	[ "$status" -eq 2 ]
	a=$output
	run ssj draw NONESUCH-1
	[ "$status" -eq 2 ]
	[ "$output" = "$a" ]
}

@test "a missing file is reported once" {
	example_registries
	before=$(db_content)
	run --separate-stderr ssj import enterprises nonesuch.csv
	[ "$status" -eq 2 ]
	[ "$(grep -c "cannot open 'nonesuch.csv'" <<< "$stderr")" -eq 1 ]
	run --separate-stderr ssj import risk nonesuch.csv
	[ "$status" -eq 2 ]
	[ "$(grep -c "cannot open 'nonesuch.csv'" <<< "$stderr")" -eq 1 ]
	[ "$(db_content)" = "$before" ]
}

@test "help ends with a newline and its columns align" {
	ssj help > help.txt
	[ "$(tail -c 1 help.txt | od -An -c | tr -d ' ')" = '\n' ]
	# every summary starts in the same column, after the longest name
	cols=$(sed -n '/^commands:$/,/^$/p' help.txt | grep '^  ' |
	    awk '{ match($0, /^  [a-z-]+ +/); print RLENGTH }' | sort -u)
	[ "$(wc -l <<< "$cols")" -eq 1 ]
	[ "$cols" -ge "$(( $(sed -n 's/^  \([a-z-]*\) .*/\1/p' help.txt | wc -L) + 3 ))" ]
}
