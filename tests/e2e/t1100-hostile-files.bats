#!/usr/bin/env bats
# A plan or key that is named but missing, not a regular file, or too
# large is refused at once (exit 2) with nothing changed: never the
# defaults, never a hang on a FIFO or /dev/zero.

load lib

@test "a plan named with -f or \$SSJ_PLAN and missing is an error, not the defaults" {
	example_registries
	before=$(db_content)
	unset SSJ_PLAN
	run ssj -f nonexistent.yaml import risk data/risk-2026-09.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"no plan at 'nonexistent.yaml', which -f or \$SSJ_PLAN names"* ]]
	[[ "$output" != *"risk classes A, B, C, D"* ]]
	SSJ_PLAN=nonexistent.yaml run ssj import risk data/risk-2026-09.csv
	[ "$status" -eq 2 ]
	SSJ_PLAN=nonexistent.yaml run ssj import inspectors \
	    data/inspectors-gbk.csv --encoding gbk
	[ "$status" -eq 2 ]
	# the key paths come from the plan: none is guessed
	run ssj -f nonexistent.yaml keygen
	[ "$status" -eq 2 ]
	[ ! -e ssj.key ]
	[ "$(db_content)" = "$before" ]
	# no plan named, none in the directory: the defaults, as before
	run ssj import risk data/risk-2026-09.csv
	[ "$status" -eq 0 ]
}

@test "a plan that is a FIFO, a device, a directory or over 16 MiB is refused" {
	mkfifo fifo.yaml
	mkdir dir.yaml
	truncate -s 17M big.yaml
	for p in fifo.yaml /dev/zero dir.yaml; do
		run timeout 10 "$SSJ" -f "$p" check
		[ "$status" -eq 2 ] || { echo "$p: $status"; return 1; }
		[[ "$output" == *"$p: cannot read the plan: not a regular file"* ]]
	done
	run timeout 10 "$SSJ" -f big.yaml check
	[ "$status" -eq 2 ]
	[[ "$output" == *"big.yaml: cannot read the plan: larger than 16 MiB"* ]]
}

@test "a calendar included by the plan that is a FIFO is refused" {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	inc=$(grep -o '[^ "]*calendars/[^ "]*\.yaml' jingdezhen.yaml | head -1)
	[ -n "$inc" ]
	rm "$inc"
	mkfifo "$inc"
	run timeout 10 "$SSJ" -f jingdezhen.yaml check
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot include '$inc': not a regular file"* ]]
}

@test "a key that is a FIFO, a device or a directory is refused, not waited on" {
	cp "$ROOT/README.md" doc.txt
	mkfifo fifo
	mkdir dir
	for k in fifo /dev/zero dir; do
		run timeout 10 "$SSJ" sign -s "$k" doc.txt
		[ "$status" -ne 0 ] && [ "$status" -ne 124 ] ||
		    { echo "secret $k: $status"; return 1; }
		[[ "$output" == *"secret key '$k' is not a regular file"* ]]
		run timeout 10 "$SSJ" verify-signature -p "$k" doc.txt
		[ "$status" -ne 0 ] && [ "$status" -ne 124 ] ||
		    { echo "public $k: $status"; return 1; }
		[[ "$output" == *"public key '$k' is not a regular file"* ]]
	done
	[ ! -e doc.txt.minisig ]
}
