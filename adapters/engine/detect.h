/*
 * Which supervisor owns a service directory, from the filesystem alone
 * (PROTOCOLS.md#liveness, PROTOCOLS.md#telling-backends-apart): liveness
 * first, then the status file's length and fingerprints, then liveness
 * again.
 */
#ifndef SVX_DETECT_H
#define SVX_DETECT_H

#include <sys/types.h>

#include "../adapter.h"

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

void	detect_decide(const struct svx_evidence *, struct svx_detect *);
enum svx_backend detect_format(const struct svx_evidence *, const char **why);
void	detect_gather(int dirfd, int svdir_fd, int svdir_err,
	    struct svx_evidence *);
const char *evidence_file_name(unsigned int bit);

#endif
