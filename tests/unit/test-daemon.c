/*
 * Unit tests of the daemon's system side: the per-database lock (a second
 * process is refused), the notify protocol against a socket listening
 * here, and $WATCHDOG_USEC.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon.h"

static char	 dir[] = "/tmp/ssj-test-daemon.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	 cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_daemon__lock_refuses_a_second_process(void **state)
{
	char	 db[128];
	pid_t	 pid;
	int	 fd, st;

	(void)state;
	snprintf(db, sizeof(db), "%s/ssj.db", dir);
	assert_int_equal(daemon_lock(db, &fd), 0);
	/* fcntl locks are per process: the test is a child's try. */
	if ((pid = fork()) == 0) {
		int	 fd2;

		_exit(daemon_lock(db, &fd2) == -1 ? 0 : 1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	close(fd);
	/* released with its process: the child takes it now */
	if ((pid = fork()) == 0) {
		int	 fd2;

		_exit(daemon_lock(db, &fd2) == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_daemon__notify_sends_one_datagram(void **state)
{
	struct sockaddr_un	 sa;
	char			 got[256];
	ssize_t			 n;
	int			 s;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", dir);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	daemon_notify("READY=1\nSTATUS=next: commit");
	n = recv(s, got, sizeof(got) - 1, 0);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, "READY=1\nSTATUS=next: commit");
	/* not a path: nothing sent, nothing fatal */
	setenv("NOTIFY_SOCKET", "relative", 1);
	daemon_notify("READY=1");
	unsetenv("NOTIFY_SOCKET");
	daemon_notify("READY=1");
	close(s);
}

static void
test_daemon__watchdog(void **state)
{
	char	 pid[32];

	(void)state;
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	assert_int_equal(daemon_watchdog(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	assert_int_equal(daemon_watchdog(), 30);
	setenv("WATCHDOG_USEC", "1000", 1);
	assert_int_equal(daemon_watchdog(), 1);
	setenv("WATCHDOG_USEC", "x", 1);
	assert_int_equal(daemon_watchdog(), 0);
	/* for another process */
	setenv("WATCHDOG_USEC", "30000000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	assert_int_equal(daemon_watchdog(), 0);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(daemon_watchdog(), 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_daemon__lock_refuses_a_second_process),
		cmocka_unit_test(test_daemon__notify_sends_one_datagram),
		cmocka_unit_test(test_daemon__watchdog),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
