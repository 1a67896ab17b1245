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
