# Shared setup of the end-to-end tests: every test runs the real binary
# ($SSJ) in its own temporary directory with its own database.

SSJ=${SSJ:?set SSJ to the ssj binary}
DATA=$BATS_TEST_DIRNAME/data
ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup() {
	WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ssj-e2e.XXXXXX")
	cd "$WORK"
	unset SSJ_DB SSJ_PLAN
}

teardown() {
	cd /
	rm -rf "$WORK"
}

ssj() {
	"$SSJ" "$@"
}

# refute CMD...: CMD must fail. A bare '! CMD' cannot fail a test: bats
# runs it under set -e, which ignores a negated command.
refute() {
	if "$@"; then
		echo "succeeded, but must fail: $*" >&2
		return 1
	fi
}

# The database's whole content, to show that a command changed nothing.
db_content() {
	sqlite3 "${1:-ssj.db}" .dump
}

# registry N: N enterprises of 珠山区 with valid codes (organisation code
# and USCC check characters), in an order other than the codes'.
registry() {
	awk -v n="$1" 'BEGIN {
		a = "0123456789ABCDEFGHJKLMNPQRTUWXY"
		split("3 7 9 10 5 8 4 2", wo, " ")
		split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", wu, " ")
		print "统一社会信用代码,企业名称,行政区划,行业代码,主体类型," \
		    "登记状态,住所,经营异常名录,严重违法失信,证书类型"
		for (k = 1; k <= n; k++) {
			org = sprintf("%08d", (k * 7919) % 99999989)
			sum = 0
			for (i = 1; i <= 8; i++)
				sum += substr(org, i, 1) * wo[i]
			c = 11 - sum % 11
			s = "91360203" org (c == 10 ? "X" : c == 11 ? 0 : c)
			sum = 0
			for (i = 1; i <= 17; i++)
				sum += (index(a, substr(s, i, 1)) - 1) * wu[i]
			c = (31 - sum % 31) % 31
			printf "%s%s,景德镇市第%d瓷厂,360203,C3074,企业,存续," \
			    "珠山路%d号,否,否,\n", s, substr(a, c + 1, 1), k, k
		}
	}'
}

# The test chain's signer (tests/bls-sign.c), built next to the binary.
BLS_SIGN=${BLS_SIGN:-$(dirname "$SSJ")/tests/bls-sign}

# A local test beacon for PLAN: one round a second, so that a committed
# round (two ahead) is out two seconds later. drand cannot be reached
# here; the test chain (bls-unchained-g1-rfc9380, as quicknet) signs the
# rounds with a fixed test key.
local_beacon() {
	printf 'beacon: {chain: %s, genesis: %s, period: 1, margin: 2, %s, %s}\n' \
	    "$(printf 'ssj test beacon' | b2sum -l 256 | cut -d' ' -f1)" \
	    "$(($(date +%s) - 10))" "scheme: bls-unchained-g1-rfc9380" \
	    "public_key: $("$BLS_SIGN" key)" >> "$1"
}

# beacon_record COMMITMENT [ROUND]: waits until the committed round is
# out, then prints the test chain's record of ROUND (default: the
# committed one), signed, with randomness = SHA-256(signature).
beacon_record() {
	set -- "$1" "${2:-$(awk '$1 == "beacon" { print $4 }' "$1")}" \
	    "$(awk '$1 == "beacon" { print $5 + ($4 - 1) * $6 }' "$1")"
	while [ "$(date +%s)" -lt "$3" ]; do sleep 1; done
	"$BLS_SIGN" "$2"
}

# made_up_record ROUND: a record with a made-up signature (48 random-looking
# bytes) and randomness = SHA-256 of it: what the check must refuse.
made_up_record() {
	python3 -c '
import hashlib, json, sys
sig = hashlib.sha512(b"ssj test beacon " + sys.argv[1].encode()).digest()[:48]
print(json.dumps({"round": int(sys.argv[1]), "randomness":
    hashlib.sha256(sig).hexdigest(), "signature": sig.hex()},
    separators=(",", ":")))' "$1"
}

# A copy of the example plan (with a local beacon) and its sample
# registries imported into a new database, with a key: the state a draw
# starts from. Leaves the shell in the copy.
# The example plan in ./examples with a database, a key, the enterprises
# and the inspectors; example_registries adds the conflicts and classes.
example_plan() {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	local_beacon jingdezhen.yaml
	export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml
	ssj init > /dev/null
	ssj keygen > /dev/null
	ssj import enterprises data/enterprises.csv > /dev/null 2>&1
	ssj import inspectors data/inspectors-gbk.csv --encoding gbk > /dev/null
}

example_registries() {
	example_plan
	ssj import conflicts data/conflicts.csv > /dev/null
	ssj import risk data/risk-2026-09.csv > /dev/null 2>&1
	ssj import risk data/risk-2026-10.csv > /dev/null 2>&1
}

# strace, with LeakSanitizer off in the traced ssj: LSan cannot work
# under ptrace and would turn every exit of an ASan build (make asan) into
# a failure. Exported, so that 'bash -c' in a test gets it too.
strace() {
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
	    command strace "$@"
}
export -f strace

# The system calls a crash can come before: every write (SQLite's pwrite
# included), sync, truncation, rename, link and unlink.
KILL_SYSCALLS=write,pwrite64,fsync,fdatasync,ftruncate,rename,renameat
KILL_SYSCALLS=$KILL_SYSCALLS,renameat2,link,linkat,unlink,unlinkat

# The files in the current directory, SQLite's own aside, sorted.
own_files() {
	find . -type f ! -name '*-wal' ! -name '*-shm' ! -name '*-journal' |
	    sort
}

# killpoints NEW CMD...: kills CMD (SIGKILL, strace fault injection) at
# each of its kill points in turn, each time from the same starting state
# (the current directory, restored), and checks after each kill that
# nothing is left half done:
# - the database is the old one or the complete new one: its dump is
#   unchanged, or the function NEW says the operation is all there;
# - 'ssj ledger verify' passes;
# - no file is left that neither the old state nor a complete run has
#   (no temporary file; SQLite's -wal, -shm and -journal aside: a first
#   import leaves WAL for a rollback journal, and a kill can leave it
#   empty, which SQLite ignores);
# - the database is back in WAL mode once an ssj command opened it;
# - the function $KILL_FILES, if set, passes (e.g. no signed file the
#   database denies).
# CMD is a program ("$SSJ" ...), not a shell function. Ends in the state
# of a complete run; KILLPOINTS is the number of kill points.
# With $KILLPOINTS_MAX set (make asan: an instrumented ssj is ~10x slower),
# only that many are tried, evenly spread, the first and the last among
# them; make check tries every one.
killpoints() {
	local new=$1 state trace before after i call n name mode stride=1
	shift
	state=$(mktemp -d "${BATS_RUN_TMPDIR:-/tmp}/ssj-killpoints.XXXXXX")
	trace=$state.trace
	cp -a . "$state/dir"
	own_files > "$state.before"
	db_content > "$state.dump"
	# A complete run, to list the kill points and the files it leaves.
	strace -qq -o "$trace" -e trace="$KILL_SYSCALLS" "$@" > /dev/null ||
	    { echo "killpoints: '$*' fails without a kill"; return 1; }
	own_files | sort -m - "$state.before" | uniq > "$state.after"
	"$new" || { echo "killpoints: '$*' ran but '$new' says no"; return 1; }
	cp -a . "$state/done"
	# name and ordinal of each call, in order: strace counts per call
	awk -F'(' '/^[a-z0-9_]+\(/ { print $1, ++n[$1] }' "$trace" \
	    > "$state.calls"
	KILLPOINTS=$(wc -l < "$state.calls")
	[ "$KILLPOINTS" -gt 0 ] || { echo "killpoints: none"; return 1; }
	if [ -n "${KILLPOINTS_MAX:-}" ] && [ "$KILLPOINTS" -gt "$KILLPOINTS_MAX" ]
	then
		stride=$(( (KILLPOINTS + KILLPOINTS_MAX - 2) / (KILLPOINTS_MAX - 1) ))
	fi
	i=0
	while read -r name n; do
		i=$((i + 1))
		[ $(( (i - 1) % stride )) -eq 0 ] || [ "$i" -eq "$KILLPOINTS" ] ||
		    continue
		find . -mindepth 1 -delete
		cp -a "$state/dir/." .
		# in a shell of its own, which says "Killed" to /dev/null
		bash -c 'strace -qq -o /dev/null -e inject="$0" "$@"; exit $?' \
		    "$name:signal=KILL:when=$n" "$@" > /dev/null 2>&1 &&
		    call=0 || call=$?
		if [ "$call" != 137 ]; then
			echo "kill point $i ($name #$n): not killed ($call)"
			return 1
		fi
		if ! { [ "$(db_content)" = "$(cat "$state.dump")" ] || "$new"; }
		then
			echo "kill point $i ($name #$n): database half done"
			return 1
		fi
		ssj ledger verify > /dev/null 2>&1 ||
		    { echo "kill point $i ($name #$n): ledger verify fails"
		      ssj ledger verify; return 1; }
		mode=$(sqlite3 "${SSJ_DB:-ssj.db}" 'PRAGMA journal_mode')
		if [ "$mode" != wal ]; then
			echo "kill point $i ($name #$n): journal mode $mode"
			return 1
		fi
		own_files | comm -23 - "$state.after" > "$state.left"
		if [ -s "$state.left" ]; then
			echo "kill point $i ($name #$n): left behind:"
			cat "$state.left"
			return 1
		fi
		if [ -n "${KILL_FILES:-}" ] && ! "$KILL_FILES"; then
			echo "kill point $i ($name #$n): $KILL_FILES fails"
			return 1
		fi
	done < "$state.calls"
	find . -mindepth 1 -delete
	cp -a "$state/done/." .
	rm -rf "$state" "$state".*
}
