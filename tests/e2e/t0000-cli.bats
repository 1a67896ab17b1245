#!/usr/bin/env bats
# The command line: usage, help, version, exit statuses, and ssj(1) kept in
# step with `ssj help`.

load lib

commands() {
	ssj help | sed -n 's/^  \([a-z-]*\) .*/\1/p'
}

@test "no command: usage on stderr, exit 2" {
	run ssj
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: ssj [-v] [-D database] [-f plan] command"* ]]
}

@test "--version prints the version" {
	run ssj --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^ssj\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "an unknown command is a usage error" {
	run ssj frobnicate
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: unknown command 'frobnicate'; see 'ssj help'" ]
}

@test "an unknown global option is a usage error" {
	run ssj -x status
	[ "$status" -eq 2 ]
}

@test "help lists every command with a summary" {
	run ssj help
	[ "$status" -eq 0 ]
	for c in check help import init snapshot status; do
		[[ "$output" == *"  $c "* ]]
	done
}

@test "help COMMAND shows its usage; an unknown one fails" {
	run ssj help import
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ssj import enterprises|inspectors|conflicts|risk file"* ]]
	run ssj help nonesuch
	[ "$status" -eq 2 ]
}

@test "ssj(1) SYNOPSIS shows exactly the usage of every command" {
	synopsis=$(mandoc -Tascii "$ROOT/man/ssj.1" | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | tr -s ' \n\t' ' ')
	for c in $(commands); do
		usage=$(ssj help "$c" | sed -n 's/^usage: //p')
		[[ "$synopsis" == *"$usage"* ]] || {
			echo "missing from ssj(1): $usage"
			return 1
		}
	done
}

@test "mandoc finds nothing to complain about in the manual pages" {
	run mandoc -Tlint -Wwarning "$ROOT/man/ssj.1" "$ROOT/man/ssj.yaml.5"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "extra arguments are usage errors, exit 2" {
	for c in init check run-due daemon; do
		run ssj "$c" extra
		[ "$status" -eq 2 ]
		[[ "$output" == "usage: ssj $c"* ]]
	done
	# status takes one batch, no more
	run ssj status one two
	[ "$status" -eq 2 ]
	[[ "$output" == "usage: ssj status"* ]]
}
