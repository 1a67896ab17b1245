#!/usr/bin/env bats
# ssj export builds its bundle beside the target and renames it into
# place: a kill at any point leaves the whole bundle or none of it, and
# no file a later export or verify could mistake for part of one.

load lib

BATCH=JDZ-2026-INFO-TC-1

drawn() {
	example_registries
	ssj commit "$BATCH" > /dev/null
	beacon_record "$BATCH.commitment.txt" > beacon.json
	ssj draw "$BATCH" --beacon beacon.json > /dev/null
}

@test "export creates missing parents and counts the files it wrote" {
	drawn
	run ssj export "$BATCH" out/2026/full
	[ "$status" -eq 0 ]
	n=$(find out/2026/full -type f | wc -l)
	[[ "$output" == *"to 'out/2026/full': $n files"* ]]
	run ssj export "$BATCH" out/2026/public --public
	[ "$status" -eq 0 ]
	n=$(find out/2026/public -type f | wc -l)
	[[ "$output" == *"to 'out/2026/public': $n files"* ]]
	# nothing else beside them
	[ "$(ls -A out/2026)" = "$(printf 'full\npublic')" ]
	ssj verify out/2026/full -p keys/ssj.pub > /dev/null
	ssj verify out/2026/public -p keys/ssj.pub > /dev/null
}

@test "export refuses a non-empty target and writes nothing" {
	drawn
	ssj export "$BATCH" b > /dev/null
	before=$(find b -type f -exec b2sum {} + | sort)
	# a public export into a full bundle must not keep the frames
	run ssj export "$BATCH" b --public
	[ "$status" -eq 2 ]
	[[ "$output" == *"'b' is not empty"* ]]
	[ "$(find b -type f -exec b2sum {} + | sort)" = "$before" ]
	: > file
	run ssj export "$BATCH" file
	[ "$status" -eq 2 ]
	[[ "$output" == *"'file' exists and is not a directory"* ]]
	# an empty directory is taken
	mkdir empty
	run ssj export "$BATCH" empty/
	[ "$status" -eq 0 ]
	ssj verify empty -p keys/ssj.pub > /dev/null
	[ "$(ls -A | grep -c ssj-export)" -eq 0 ]
}

@test "verify of a missing directory says so" {
	run ssj verify nowhere
	[ "$status" -eq 2 ]
	[[ "$output" == *"no bundle at 'nowhere': the directory does not exist"* ]]
}

@test "verify refuses a FIFO, a link and a stray file at once, and hangs on none" {
	cp -R "$ROOT/tests/vectors/bundles/VEC-GEN-1" b
	rm b/teams.txt
	mkfifo b/teams.txt
	run timeout 20 "$SSJ" verify b
	[ "$status" -eq 2 ]
	[[ "$output" == *"'teams.txt' is not a regular file"* ]]
	rm b/teams.txt
	ln -s /dev/zero b/teams.txt
	run timeout 20 "$SSJ" verify b
	[ "$status" -eq 2 ]
	[[ "$output" == *"'teams.txt' is a symbolic link"* ]]
	rm b/teams.txt
	cp "$ROOT/tests/vectors/bundles/VEC-GEN-1/teams.txt" b/
	: > b/frame/targets.txt.Q1w2E3
	run ssj verify b
	[ "$status" -eq 2 ]
	[[ "$output" == *"'frame/targets.txt.Q1w2E3' is not a file of this bundle"* ]]
	rm b/frame/targets.txt.Q1w2E3
	ssj verify b > /dev/null
}

# Kills export at the N-th call of one system call, for every N until
# the export completes; after each kill, the target is absent or the
# whole bundle, and nothing else is left but the killed export's hidden
# directory (mode 0700), which the next export removes.
kill_each() {
	local sc=$1 n=1 rc left
	while :; do
		rm -rf out
		mkdir out
		rc=0
		strace -f -o /dev/null -e trace="$sc" \
		    -e inject="$sc":signal=KILL:when=$n \
		    "$SSJ" export "$BATCH" out/b $2 > /dev/null 2>&1 || rc=$?
		if [ -e out/b ]; then
			"$SSJ" verify out/b -p keys/ssj.pub > /dev/null ||
			    { echo "$sc $n: a partial bundle"; return 1; }
		fi
		left=$(ls -A out | grep -v '^b$' || true)
		if [ -n "$left" ]; then
			[ "$rc" -ne 0 ] || { echo "$sc $n: $left"; return 1; }
			case $left in
			.b.ssj-export.*) ;;
			*) echo "$sc $n: left $left"; return 1 ;;
			esac
			[ "$(stat -c %a "out/$left")" = 700 ]
			# the next export to the same target removes it
			[ ! -e out/b ]
			"$SSJ" export "$BATCH" out/b $2 > /dev/null
			[ "$(ls -A out)" = b ] ||
			    { echo "$sc $n: not removed"; return 1; }
			"$SSJ" verify out/b -p keys/ssj.pub > /dev/null
		fi
		[ "$rc" -ne 0 ] || break
		n=$((n + 1))
	done
	[ -e out/b ]
	echo "$sc: $((n - 1)) kill points" >&3
}

@test "a kill at every write, fsync, rename, unlink or mkdir leaves the whole bundle or none" {
	command -v strace > /dev/null || skip "strace is not installed"
	drawn
	for sc in write fsync rename unlink mkdir; do
		kill_each $sc ""
	done
	kill_each rename --public
}
