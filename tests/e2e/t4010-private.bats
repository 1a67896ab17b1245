#!/usr/bin/env bats
# The database holds inspectors' personal data and the secrets of live
# commitments: created 0600 whatever the umask, with its -wal and -shm,
# and 'ssj status' says when it is open to others.

load lib

mode() {
	stat -c %a "$1"
}

@test "a new database is 0600 under any umask, and so are its -wal, -shm and -journal" {
	for u in 000 022 077; do
		(umask $u && ssj -D "db$u" init > /dev/null)
		[ "$(mode "db$u")" = 600 ] || { echo "umask $u: $(mode "db$u")"; return 1; }
	done
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	(umask 000 && ssj init > /dev/null)
	# killed mid-import, SQLite's -wal and -shm stay behind: as private
	run bash -c 'umask 000; strace -qq -o /dev/null \
	    -e inject=pwrite64:signal=KILL:when=3 "$0" import enterprises \
	    data/enterprises.csv; exit $?' "$SSJ"
	[ "$status" -eq 137 ]
	[ -e ssj.db-wal ] && [ -e ssj.db-shm ]
	[ "$(mode ssj.db)" = 600 ]
	[ "$(mode ssj.db-wal)" = 600 ]
	[ "$(mode ssj.db-shm)" = 600 ]
	# killed writing a first import's rollback journal, the journal too
	rm ssj.db*
	(umask 000 && ssj init > /dev/null)
	run bash -c 'umask 000; strace -qq -o /dev/null -P "$(pwd -P)/ssj.db-journal" \
	    -e trace=pwrite64 -e inject=pwrite64:signal=KILL:when=2 "$0" \
	    import enterprises data/enterprises.csv; exit $?' "$SSJ"
	[ "$status" -eq 137 ]
	[ "$(mode ssj.db-journal)" = 600 ]
}

@test "init never loosens an existing database" {
	touch ssj.db
	chmod 640 ssj.db
	run ssj init
	[ "$(mode ssj.db)" = 640 ]
}

@test "status warns about a database open to group or others" {
	ssj init > /dev/null
	run ssj status
	[[ "$output" != *"open to group or others"* ]]
	chmod 644 ssj.db
	run ssj status
	[[ "$output" == *"! database 'ssj.db' is open to group or others (mode 0644)"* ]]
	[[ "$output" == *"chmod 600 'ssj.db'*"* ]]
}
