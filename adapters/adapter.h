/*
 * The backend-neutral model of a supervised service, and the small
 * interface every backend adapter implements. Adapters are silent: they
 * return a result and set errno, never print, never exit.
 *
 * Facts about each format are in adapters/PROTOCOLS.md, a section per
 * backend; the rules a personality applies on top are in
 * compat-matrix.md.
 */
#ifndef SVX_ADAPTER_H
#define SVX_ADAPTER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The backends of service directories first (their state is in
 * supervise/ files; every per-format table is BACKEND_DIR_COUNT long),
 * then supervisord, whose programs have no directory: their state is
 * asked of it (svx_adapter.source).
 */
enum svx_backend {
	BACKEND_UNKNOWN = 0,
	BACKEND_DAEMONTOOLS,
	BACKEND_ENCORE,
	BACKEND_RUNIT,
	BACKEND_S6,
	BACKEND_DIR_COUNT,
	BACKEND_SUPERVISORD = BACKEND_DIR_COUNT,
	BACKEND_ALL_COUNT
};

/*
 * Control verbs: what a user asks of a service. The order is the order of
 * the compat matrix's rows; names live in mappings/.
 */
enum svx_verb {
	VERB_UP,
	VERB_DOWN,
	VERB_ONCE,
	VERB_PAUSE,
	VERB_CONT,
	VERB_HUP,
	VERB_ALARM,
	VERB_INTERRUPT,
	VERB_QUIT,
	VERB_USR1,
	VERB_USR2,
	VERB_TERM,
	VERB_KILL,
	VERB_WINCH,
	VERB_EXIT,
	VERB_RESTART,
	VERB_ABORT,		/* SIGABRT (s6 only) */
	/* Primitives the personalities need beyond svx's own verbs: */
	VERB_X_ONLY,		/* end the supervisor once the service is down,
				 * without stopping it (svc -x, s6-svc -x) */
	VERB_CYCLE,		/* the down-signal, want unchanged (s6-svc -r) */
	VERB_ONCE_AT_MOST,	/* want down, do not stop (s6-svc -O) */
	VERB_COUNT
};

enum svx_state {
	STATE_UNKNOWN = 0,
	STATE_DOWN,
	STATE_STARTING,		/* encore: ./start running */
	STATE_STARTED,		/* encore: ./start done, no ./run */
	STATE_UP,
	STATE_FINISHING,	/* runit/s6 ./finish, encore ./stop running */
	STATE_STOPPING,		/* encore: TERM sent, service not dead yet */
	STATE_FAILED,		/* encore: run exited 100 or start failed */
	STATE_EXITED,		/* the process is gone, its supervisor has not
				 * reaped it yet (daemontools sleeps a second
				 * after each start) */
	STATE_COUNT
};

enum svx_want {
	WANT_UNKNOWN = 0,
	WANT_UP,
	WANT_DOWN,
	WANT_ONCE
};

/* Facts a backend may not know are tri-state. */
enum svx_tri {
	TRI_UNKNOWN = -1,
	TRI_NO = 0,
	TRI_YES = 1
};

struct svx_stamp {
	int64_t		sec;		/* unix seconds (leap seconds removed) */
	uint32_t	nsec;
};

/* One supervised process: the service itself, or encore's ./log record. */
struct svx_proc {
	enum svx_state	state;
	enum svx_want	want;
	pid_t		pid;		/* the service process; 0 if none */
	pid_t		helper_pid;	/* finish/start/stop script; never the service */
	struct svx_stamp since;		/* last up/down transition */
	int		ready;		/* enum svx_tri */
	struct svx_stamp ready_since;	/* valid when ready == TRI_YES */
	int		wstat;		/* last death's wait status, -1 unknown */
	unsigned int	paused:1;
	unsigned int	got_term:1;	/* runit: TERM sent, child not reaped */
	unsigned int	fresh:1;	/* a supervisor's first record: nothing
					   has run under it yet (s6) */
	unsigned int	raw_state;	/* runit byte 19, encore byte 18 */
};

/* What one status file says. */
struct svx_status {
	struct svx_proc	main;
	struct svx_proc	log;		/* encore's 40-byte file only */
	unsigned int	has_log:1;
	size_t		size;		/* bytes the unpacker consumed */
};

#define STATUS_MAX	64	/* every known format is shorter; read at most this */

struct svx_source;		/* model.h */

/*
 * A backend is mostly data: its control bytes per verb (NULL means the
 * backend cannot do it, so nothing is sent: supervisors silently ignore
 * letters they do not know), and a pure unpacker. A backend without
 * service directories has neither: its services' state is asked of its
 * supervisor through SOURCE, and the hooks below are NULL.
 */
struct svx_adapter {
	enum svx_backend id;
	const char	*name;
	const char	*supervisor;	/* its supervisor program, for messages */
	/* NULL for a backend of service directories. */
	const struct svx_source *source;
	const char	*ctl[VERB_COUNT];
	/* 0, or -1 with errno EPROTO when the bytes are not this format. */
	int		(*unpack)(const unsigned char *, size_t,
			    struct svx_status *);
	/* Fill what the status file cannot say (s6 readiness). May be NULL. */
	void		(*complete)(int dirfd, struct svx_status *);
	/*
	 * Is the supervisor alive? 1 yes (*pid set when known), 0 no, -1
	 * errno. Never takes a lock (PROTOCOLS.md#liveness).
	 */
	int		(*alive)(int svfd, pid_t *pid);
	/*
	 * Letters for a verb the backend has no letter for, but can do in
	 * the state NOW (after_down: a down was sent just before in the same
	 * write). NULL when it cannot. The hook itself may be NULL.
	 */
	const char	*(*emulate)(enum svx_verb, const struct svx_proc *now,
			    int after_down);
	/* runsv ignores `x` on a log/ subservice
	 * (PROTOCOLS.md#control-letters). */
	unsigned int	 log_ignores_exit:1;
	/*
	 * encore signals whatever pid is in the record, ./start and ./stop
	 * included; the others signal only the service
	 * (PROTOCOLS.md#finish-scripts).
	 */
	unsigned int	 signals_reach_helpers:1;
};

/* Verbs that only send a signal to the process. */
int	verb_is_signal(enum svx_verb);

extern const struct svx_adapter adapter_daemontools;
extern const struct svx_adapter adapter_encore;
extern const struct svx_adapter adapter_runit;
extern const struct svx_adapter adapter_s6;
extern const struct svx_adapter adapter_supervisord;

const struct svx_adapter *adapter_for(enum svx_backend);
const char	*backend_name(enum svx_backend);
/*
 * Are B's services directories (./down, log/, a path)? Yes for the
 * directory backends and for BACKEND_UNKNOWN (a directory nobody
 * supervises), no for a backend asked through a source.
 */
int	backend_has_directory(enum svx_backend b);

/* Pure unpackers, exported for the unit tests and the fuzzers. */
int	status_unpack_daemontools(const unsigned char *, size_t,
	    struct svx_status *);
int	status_unpack_encore(const unsigned char *, size_t, struct svx_status *);
int	status_unpack_runit(const unsigned char *, size_t, struct svx_status *);
int	status_unpack_s6(const unsigned char *, size_t, struct svx_status *);

/* TAI64N labels as the backends write them (tai.c). */
void	tai_unpack_djb(const unsigned char *, struct svx_stamp *);
void	tai_unpack_s6(const unsigned char *, struct svx_stamp *);
int	tai_leap_offset(int64_t tai_sec);
uint64_t tai_label_s6(int64_t unix_sec);
/* Milliseconds of the monotonic clock (tai.c): every bound and interval. */
int64_t	monotonic_ms(void);
void	proc_clear(struct svx_proc *);
int	buf_append(char *buf, size_t len, size_t *at, const char *s);
int	proc_last_wstat(const struct svx_proc *);

/* Control FIFO (fifo.c). */
enum ctl_result {
	CTL_SENT = 0,
	CTL_NOT_RUNNING,	/* ENXIO: no reader on the FIFO */
	CTL_NOT_RESPONDING,	/* EAGAIN: FIFO full, supervisor stopped */
	CTL_NOT_FIFO,		/* something else sits where the FIFO should */
	CTL_MISSING,		/* ENOENT */
	CTL_ERROR		/* errno set */
};
enum ctl_result	ctl_send(int svfd, const char *bytes);
int	ctl_unread(int svfd);
int	fifo_has_reader(int svfd, const char *name);
int	lock_holder(int svfd, pid_t *holder);
int	lock_holder_at(int dirfd, const char *path, pid_t *holder);
int	alive_by_ok_fifo(int svfd, pid_t *pid);
int	alive_by_lock(int svfd, pid_t *pid);

/* Processes (proc.c). */
int	process_running(pid_t);
int	process_start_time(pid_t, struct svx_stamp *);
int	process_first_child(pid_t, int secs);
pid_t	process_parent(pid_t);

/* fds.c: close FDS (sorted in place), one close_range per run; close
 * every descriptor above 2 but KEEP (sorted in place). */
void	fds_close(int *fds, size_t n);
void	fds_close_all_but(int *keep, size_t n);
int	pidfd_of(pid_t pid);
/*
 * fds.c: NAME under DIRFD opened to read without ever blocking (a FIFO or
 * a device put in a service directory would hold svx forever), and only
 * if it is a regular file: its descriptor, or -1 with errno, ENOTPLAIN
 * when it is something else (its type, "a FIFO", into *KIND if KIND is
 * not NULL). FLAGS: O_NOFOLLOW where no symlink is expected.
 */
#ifdef EFTYPE
#define ENOTPLAIN	EFTYPE
#else
#define ENOTPLAIN	EMEDIUMTYPE	/* Linux has no EFTYPE */
#endif
int	open_plain(int dirfd, const char *name, int flags, const char **kind);
/* strerror(ERR), with words for ENOTPLAIN. */
const char *plain_strerror(int err);
/* An exclusive flock on FD without waiting: 0 taken, 1 held (by *HOLDER,
 * 0 if unknown), -1 errno. */
int	fd_lock(int fd, pid_t *holder);
/* A lock on KEY with nothing on disk: 0 taken (held by *FD while it is
 * open), 1 held by another, -1 errno. */
int	name_lock(const char *key, int *fd);
/* PATH under DIRFD, never leaving it, no symlink followed (openat2's
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, else step by step): an fd, or
 * -1 (EXDEV: absolute, or ".." out; ELOOP: a symlink on the way). */
int	open_beneath(int dirfd, const char *path, int flags, mode_t mode);
/* Its way without openat2 (kernels before 5.6; the tests call it): no
 * check of PATH, one O_NOFOLLOW openat per component. */
int	open_beneath_steps(int dirfd, const char *path, int flags,
	    mode_t mode);

int	process_catches(pid_t, int sig);
int	process_comm(const char *pid, char *comm, size_t len);
/* /proc/PID/FILE whole: its length, or -1 (EFBIG: it does not fit). */
ssize_t	proc_read(const char *pid, const char *file, char *buf, size_t len);
/* The pid holding a flock on the file DEV/INO (/proc/locks), or 0. */
pid_t	proc_flock_holder(dev_t dev, ino_t ino);
/* PID's real user id (/proc/PID/status): 0, or -1. */
int	proc_real_uid(const char *pid, uid_t *uid);

#endif
