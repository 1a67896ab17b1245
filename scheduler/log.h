/*
 * Messages to the user and to the system log, after OpenSMTPD's log.h:
 * log_warn appends strerror(errno), fatal* never return. The CLI prints
 * "ssj: message" on stderr; the daemon (later) switches to syslog.
 */
#ifndef SSJ_LOG_H
#define SSJ_LOG_H

#include <stdarg.h>
#include <stdint.h>

/* Sets the program name printed before messages and whether to use stderr. */
void	log_init(const char *progname, int foreground);
void	log_setverbose(int);
/* Prefixes each line on stderr with its syslog level, "<6>", for journald. */
void	log_setlevels(int);
int	log_getverbose(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	vlog_warnx(const char *, va_list) __attribute__((format(printf, 1, 0)));
_Noreturn void fatal(const char *, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds of a monotonic clock, for the timings -v shows. */
uint64_t	mono_ms(void);

/* log_warnx that returns -1, for "return error(...)". */
int	error(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
