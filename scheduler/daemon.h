/*
 * What a long-running ssj needs from the system: one instance per
 * database (a lock file beside it), and systemd's notify protocol spoken
 * directly on $NOTIFY_SOCKET (no libsystemd).
 */
#ifndef SSJ_DAEMON_H
#define SSJ_DAEMON_H

#include <stdint.h>

/*
 * Takes the lock on DB.lock, held until the process ends; -1 with a
 * message naming the process that holds it. *fd is the lock's.
 */
int	daemon_lock(const char *db_path, int *fd);
/* Leaves the terminal: a child in a session of its own, stdio on /dev/null. */
int	daemon_detach(void);
/* Sends "READY=1", "STATUS=...", "WATCHDOG=1" if $NOTIFY_SOCKET is set. */
void	daemon_notify(const char *state);
/* $WATCHDOG_USEC for this process, in seconds (at least 1); 0: none. */
int64_t	daemon_watchdog(void);

#endif
