/*
 * The backend-neutral model of a service as it is held once opened:
 * the evidence read of its files, the verdict on who supervises it, the
 * service itself, and the source a backend without directories is read
 * through. Types only: detection is engine/detect.c's, a service's
 * life engine/service.c's; a backend's source fills them in (the
 * supervisord backend), so they sit below both.
 */
#ifndef SVX_MODEL_H
#define SVX_MODEL_H

#include <sys/types.h>

#include <stdint.h>

#include "adapter.h"

/* Files seen, for the evidence and for telling formats apart. */
enum {
	EV_RUN = 1 << 0,		/* ./run */
	EV_START = 1 << 1,		/* encore ./start */
	EV_DOWN = 1 << 2,		/* ./down */
	EV_LOG_DIR = 1 << 3,		/* log/ subservice */
	EV_LOG_EXEC = 1 << 4,		/* encore's executable ./log */
	EV_SUPERVISE = 1 << 5,		/* the supervise directory */
	EV_OK = 1 << 6,			/* supervise/ok exists */
	EV_CONTROL = 1 << 7,		/* supervise/control exists */
	EV_LOCK = 1 << 8,		/* supervise/lock exists */
	EV_STATUS = 1 << 9,		/* supervise/status exists */
	EV_STAT = 1 << 10,		/* runit's supervise/stat */
	EV_STAT_FRESH = 1 << 11,	/* ... written with the status */
	EV_PIDFILE = 1 << 12,		/* runit's supervise/pid */
	EV_EVENT = 1 << 13,		/* s6's event/ fifodir */
	EV_DEATH_TALLY = 1 << 14,	/* s6's supervise/death_tally */
	EV_NOTIFY_FD = 1 << 15,		/* s6's ./notification-fd */
	EV_RELOCATED = 1 << 16,		/* control dir from $SUPERVISEDIR */
	EV_FINISH = 1 << 17,		/* ./finish */
	EV_NFILES = 18
};

/* A liveness probe: 1 yes, 0 no, -1 error (err set), -2 not a FIFO. */
struct probe_result {
	int	result;
	int	err;
};

struct svx_evidence {
	int		svdir_err;	/* 0 once the control dir opened */
	struct probe_result ok;		/* a reader on supervise/ok */
	struct probe_result control;	/* a reader on supervise/control */
	struct probe_result lock;	/* an fcntl lock on supervise/lock */
	pid_t		lock_pid;
	int		status_err;	/* 0 once read */
	size_t		status_len;
	unsigned char	status[STATUS_MAX];
	unsigned int	files;
	unsigned int	rereads;	/* liveness changed while reading */
	struct svx_stamp status_mtime;
	struct svx_stamp holder_start;	/* when the s6 lock holder started */
};

enum svx_verdict {
	VERDICT_SUPERVISED,	/* a live supervisor of `backend` */
	VERDICT_UNSUPERVISED,	/* none alive; `backend` last wrote status */
	VERDICT_NOT_SERVICE,
	VERDICT_AMBIGUOUS,	/* the evidence contradicts itself */
	VERDICT_ERROR,		/* could not look (err) */
	VERDICT_COUNT
};

struct svx_detect {
	enum svx_verdict verdict;
	enum svx_backend backend;
	const char	*why;		/* short reason, for every verdict */
	int		err;
	int		starting;	/* alive, but no status of its own yet */
	struct svx_evidence ev;
};

struct svx_service {
	int		dirfd;
	int		svfd;		/* the control directory, or -1 */
	int		svdir_err;	/* why svfd is -1 */
	int		relocated;	/* svfd came from $SUPERVISEDIR */
	int		is_log;		/* the log/ of its parent directory */
	struct svx_detect det;
	const struct svx_adapter *adapter;	/* owner or last known */
	struct svx_status st;
	int		status_ok;	/* st holds a valid unpacked status */
	int		normally_down;	/* ./down exists */
	const char	*native_state;	/* a source's own state word */
	void		*source_arg;	/* its adapter's source's own, for
					   REFRESH; NULL: a row as listed,
					   not asked */
};

enum send_result {
	SEND_OK = 0,
	SEND_UNSUPPORTED,	/* the backend has no letters for the verb */
	SEND_NOT_SUPERVISED,
	SEND_NOT_RUNNING,	/* supervisor died between detection and send */
	SEND_NOT_RESPONDING,
	SEND_NOT_FIFO,
	SEND_HELPER_RUNNING,	/* encore would signal ./start or ./stop */
	SEND_REFUSED,		/* a source's supervisor answered no, or not
				 * at all: the source's own words tell why */
	SEND_ERROR		/* errno set */
};

/*
 * A backend without directories (svx_adapter.source): its services are
 * named on the command line by PREFIX and NAME (supervisord:web), and
 * every step is asked of its supervisor (a supervisord program, over
 * XML-RPC). OPEN reads the service once (its state, or why it could not
 * be read, in det and status_ok, as a directory's) with every call
 * bounded by DEADLINE (monotonic ms; 0: the source's own per-call
 * bound); REFRESH asks again; SEND does a verb (WHAT: what was asked,
 * for -v), a restart whole; CLOSE lets go. A wait asks every POLL_MS,
 * as such a source pushes no events. UP_IS_READY: its "up" comes only
 * once the supervisor's own start delay has passed (supervisord's
 * startsecs), so a wait needs no settle of its own.
 */
struct svx_source {
	const char	*prefix;
	int		(*open)(struct svx_service *, const char *name,
			    int64_t deadline_ms);
	void		(*refresh)(struct svx_service *);
	enum send_result (*send)(const struct svx_service *, enum svx_verb,
			    const char **what);
	void		(*close)(struct svx_service *);
	int		 poll_ms;
	unsigned int	 up_is_ready:1;
};

#endif
