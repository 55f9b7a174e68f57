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
#define SD_PROCS_MAX	256

/* supervisord's process states (supervisor/states.py). */
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
};

enum sd_result {
	SD_OK,
	SD_NO_SOCKET,		/* nothing at the socket's path */
	SD_DENIED,		/* the socket is not ours to use */
	SD_NOT_LISTENING,	/* a socket file, no supervisord behind it */
	SD_TIMEOUT,		/* supervisord did not answer in time */
	SD_FAULT,		/* an XML-RPC fault: fault_code, fault_string */
	SD_PROTOCOL		/* not HTTP, or not XML-RPC we understand */
};

struct sd_conn {
	char		 socket[108];		/* sun_path */
	int		 fault_code;
	char		 fault_string[256];
	int		 timeout_ms;
};

/* The socket: $SVX_SUPERVISORD_SOCKET, else [unix_http_server] file= of
 * the first supervisord.conf found, else the usual paths. 0, or -1. */
int	sd_find_socket(struct sd_conn *);
enum sd_result sd_process_info(struct sd_conn *, const char *name,
	    struct sd_proc *);
enum sd_result sd_all_process_info(struct sd_conn *, struct sd_proc *,
	    size_t max, size_t *n);
enum sd_result sd_start(struct sd_conn *, const char *name);
enum sd_result sd_stop(struct sd_conn *, const char *name);
enum sd_result sd_signal(struct sd_conn *, const char *name,
	    const char *signame);

/* Parsing, exposed for the unit tests and the fuzzer. */
enum sd_result sd_parse_response(const char *http, size_t len,
	    struct sd_conn *, struct sd_proc *, size_t max, size_t *n);
int	sd_config_socket(const char *conf_text, char *out, size_t len);

#endif
