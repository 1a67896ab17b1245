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

# The database's whole content, to show that a command changed nothing.
db_content() {
	sqlite3 "${1:-ssj.db}" .dump
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
example_registries() {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	local_beacon jingdezhen.yaml
	export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml
	ssj init > /dev/null
	ssj keygen > /dev/null
	ssj import enterprises data/enterprises.csv > /dev/null 2>&1
	ssj import inspectors data/inspectors-gbk.csv --encoding gbk > /dev/null
	ssj import conflicts data/conflicts.csv > /dev/null
	ssj import risk data/risk-2026-09.csv > /dev/null 2>&1
	ssj import risk data/risk-2026-10.csv > /dev/null 2>&1
}
