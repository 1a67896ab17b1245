/*
 * The daemon's dealings with the system: the per-database lock and
 * systemd's notify protocol (sd_notify(3): datagrams of "KEY=VALUE"
 * lines to the unix socket $NOTIFY_SOCKET names, '@' for an abstract one).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "xmalloc.h"

int
daemon_lock(const char *db_path, int *fdp)
{
	struct flock	 fl;
	char		*path, pid[32];
	int		 fd, len;

	path = xasprintf("%s.lock", db_path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		log_warn("cannot open the lock file '%s'", path);
		free(path);
		return -1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) == -1) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
			log_warnx("database '%s' is in use by another ssj "
			    "daemon or run-due (pid %ld, lock '%s'): one at "
			    "a time; nothing was done", db_path,
			    (long)fl.l_pid, path);
		else
			log_warn("cannot lock '%s'", path);
		close(fd);
		free(path);
		return -1;
	}
	/* The pid, for people; the lock itself is what counts. */
	len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, pid, (size_t)len) != len)
		log_warn("cannot write '%s'", path);
	free(path);
	*fdp = fd;
	return 0;
}

void
daemon_notify(const char *state)
{
	struct sockaddr_un	 sa;
	const char		*path;
	socklen_t		 len;
	size_t			 n;
	int			 fd;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL || *path == '\0')
		return;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path)) {
		log_warnx("$NOTIFY_SOCKET '%s' is not a socket path", path);
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("notify: socket");
		return;
	}
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sa, len) == -1)
		log_warn("notify: cannot send to '%s'", path);
	close(fd);
}

int64_t
daemon_watchdog(void)
{
	const char	*s, *p;
	char		*end;
	long long	 usec;

	if ((s = getenv("WATCHDOG_USEC")) == NULL || *s == '\0')
		return 0;
	/* Meant for this process only when WATCHDOG_PID says so. */
	if ((p = getenv("WATCHDOG_PID")) != NULL && *p != '\0' &&
	    strtoll(p, NULL, 10) != (long long)getpid())
		return 0;
	errno = 0;
	usec = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || usec <= 0)
		return 0;
	return usec / 1000000 > 0 ? usec / 1000000 : 1;
}

int
daemon_detach(void)
{
	pid_t	 pid;
	int	 fd;

	if ((pid = fork()) == -1)
		return error("cannot fork: %s", strerror(errno));
	if (pid != 0)
		_exit(0);
	if (setsid() == -1)
		return error("cannot start a session: %s", strerror(errno));
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;
}
