/*
 * supervisord (Python's Supervisor) over its XML-RPC interface on a UNIX
 * socket, the `supervisor.*` methods supervisorctl uses. Silent.
 */
#ifndef SVX_SUPERVISORD_H
#define SVX_SUPERVISORD_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define SD_NAME_MAX	128
/* How svx's command line names a program: supervisord:NAME,
 * supervisord:GROUP:NAME. */
#define SD_NAME_PREFIX	"supervisord:"
#define SD_PROCS_MAX	256

/* supervisord's process states (PROTOCOLS.md#supervisord). */
enum sd_state {
	SD_STOPPED = 0, SD_STARTING = 10, SD_RUNNING = 20, SD_BACKOFF = 30,
	SD_STOPPING = 40, SD_EXITED = 100, SD_FATAL = 200, SD_UNKNOWN = 1000
};

struct sd_proc {
	char		 name[SD_NAME_MAX];
	char		 group[SD_NAME_MAX];
	char		 statename[16];
	char		 spawnerr[128];
	int		 state;			/* enum sd_state */
	pid_t		 pid;			/* 0 when none */
	int64_t		 start, stop, now;	/* unix seconds */
	int		 exitstatus;
	/* getProcessInfo's stdout_logfile and stderr_logfile are not "":
	 * supervisord keeps that log (NONE in its configuration: ""). */
	unsigned int	 stdout_log:1, stderr_log:1;
};

/*
 * One program's configuration as supervisord loaded it (getAllConfigInfo:
 * expanded, numprocs flattened). Numbers are -1 where supervisord says
 * "none"; truncated: a text member did not fit, and is not to be used.
 */
struct sd_program {
	char		 name[SD_NAME_MAX];
	char		 group[SD_NAME_MAX];
	char		 command[4096];
	char		 directory[1024];
	char		 stdout_logfile[1024];
	char		 stderr_logfile[1024];
	long long	 uid, autostart, redirect_stderr, stdout_syslog,
			 stderr_syslog, stopsignal, stopwaitsecs, startsecs,
			 startretries, killasgroup, stdout_logfile_maxbytes,
			 stdout_logfile_backups, stderr_logfile_maxbytes,
			 stderr_logfile_backups, inuse;
	int		 truncated;
};

/* reloadConfig's [[added], [changed], [removed]] in sd_conn.lists when
 * nothing differs; a removed group is "NAME " after it. */
#define SD_RELOAD_NOTHING	"\n\n\n\n"

/* Where the structs of an answer go: fixed records, filtered. */
struct sd_sink {
	void		*recs;
	size_t		 size, max, n;
	void		(*init)(void *rec);
	void		(*store)(void *rec, const char *key, const char *v,
			    int cut);
	int		(*keep)(const void *rec, const void *arg);
	const void	*arg;
};

enum sd_result {
	SD_OK,
	SD_NO_SOCKET,		/* nothing at the socket's path */
	SD_DENIED,		/* the socket is not ours to use */
	SD_NOT_LISTENING,	/* a socket file, no supervisord behind it */
	SD_TIMEOUT,		/* supervisord did not answer in time */
	SD_FAULT,		/* an XML-RPC fault: fault_code, fault_string */
	SD_SOCKET_PATH,		/* the socket's path does not fit sun_path */
	SD_PROTOCOL,		/* not HTTP, or not XML-RPC we understand */
	SD_STILL_STOPPING	/* restart: the program still stopping when
				 * the bound ran out; nothing started (no
				 * call's result: the backend's own) */
};

struct sd_conn {
	char		 socket[108];		/* sun_path */
	int		 fault_code;
	char		 fault_string[256];
	int		 timeout_ms;	/* a call's, without a bound */
	int64_t		 deadline_ms;	/* the command's bound, or 0 */
	long long	 result;		/* a scalar answer */
	char		 lists[1024];		/* lists of lists, a line each */
};

/* Faults whose meaning is that the goal already holds: startProcess on
 * a started program, stopProcess or signalProcess on one not running. */
#define SD_FAULT_ALREADY_STARTED	60
#define SD_FAULT_NOT_RUNNING		70

/* P is the program NAME (NAME or GROUP:NAME, as getProcessInfo takes it). */
int	sd_proc_is(const struct sd_proc *p, const char *name);

/* The socket: $SVX_SUPERVISORD_SOCKET, else [unix_http_server] file= of
 * the first supervisord.conf found, else the usual paths. 0, or -1 when
 * its path does not fit (SD_SOCKET_PATH; socket left empty). */
int	sd_find_socket(struct sd_conn *);
enum sd_result sd_process_info(struct sd_conn *, const char *name,
	    struct sd_proc *);
enum sd_result sd_all_process_info(struct sd_conn *, struct sd_proc *,
	    size_t max, size_t *n);
/* GROUP:NAME's configuration; a BAD_NAME fault if it has none. */
enum sd_result sd_program_info(struct sd_conn *, const char *group,
	    const char *name, struct sd_program *);
enum sd_result sd_pid(struct sd_conn *, pid_t *);
enum sd_result sd_remove_group(struct sd_conn *, const char *group);
enum sd_result sd_add_group(struct sd_conn *, const char *group);
enum sd_result sd_reload_config(struct sd_conn *);
enum sd_result sd_start(struct sd_conn *, const char *name);
enum sd_result sd_stop(struct sd_conn *, const char *name);
enum sd_result sd_signal(struct sd_conn *, const char *name,
	    const char *signame);

/*
 * A piece of a program's stdout log (PROTOCOLS.md#supervisord-logs).
 * BUF, of SIZE bytes, gets the bytes and a NUL; CUT: more came than it
 * holds. END is where the log ends now (its size), OVERFLOW
 * tailProcessStdoutLog's flag: the log held more than was asked.
 */
struct sd_log {
	char		*buf;
	size_t		 size, len;
	long long	 end;
	int		 overflow, cut;
};

/* tailProcessStdoutLog(NAME, OFFSET, LENGTH): the log's last LENGTH bytes
 * if it grew past OFFSET, else none; END and OVERFLOW set. */
enum sd_result sd_log_tail(struct sd_conn *, const char *name,
	    long long offset, long long length, struct sd_log *);
/* readProcessStdoutLog(NAME, OFFSET, LENGTH): those bytes, fewer at the
 * end; END is left as it was. */
enum sd_result sd_log_read(struct sd_conn *, const char *name,
	    long long offset, long long length, struct sd_log *);
/* The same of its stderr log, kept apart unless redirect_stderr=true:
 * tailProcessStderrLog, readProcessStderrLog. */
enum sd_result sd_err_log_tail(struct sd_conn *, const char *name,
	    long long offset, long long length, struct sd_log *);
enum sd_result sd_err_log_read(struct sd_conn *, const char *name,
	    long long offset, long long length, struct sd_log *);
/* readLog(OFFSET, LENGTH): supervisord's own log (logfile=); a negative
 * OFFSET with LENGTH 0 is its last -OFFSET bytes. END is left as it was. */
enum sd_result sd_main_log_read(struct sd_conn *, long long offset,
	    long long length, struct sd_log *);
/* Where the last N lines of BUF[0..LEN) start (pure): a last line without
 * its newline counts; 0 when BUF holds fewer. */
size_t	sd_log_lines_start(const char *buf, size_t len, long n);

/* Parsing, exposed for the unit tests and the fuzzer. */
enum sd_result sd_parse_into(const char *http, size_t len,
	    struct sd_conn *, struct sd_sink *);
enum sd_result sd_parse_response(const char *http, size_t len,
	    struct sd_conn *, struct sd_proc *, size_t max, size_t *n);
enum sd_result sd_parse_program(const char *http, size_t len,
	    struct sd_conn *, const char *group, const char *name,
	    struct sd_program *);
/* A tailProcessStdoutLog answer ([bytes, offset, overflow]) or, with
 * READ, a readProcessStdoutLog one (bytes), into LOG. */
enum sd_result sd_parse_log(const char *http, size_t len, struct sd_conn *,
	    int read, struct sd_log *);
int	sd_config_socket(const char *conf_text, char *out, size_t len);

#endif
