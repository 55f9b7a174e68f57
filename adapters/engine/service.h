/*
 * One service directory: opened once, detected, its status unpacked.
 * Silent; the shim decides what to print.
 */
#ifndef SVX_SERVICE_H
#define SVX_SERVICE_H

#include "../adapter.h"
#include "detect.h"

struct svx_service;

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

int	service_open(int atfd, const char *path, const char *supervisedir,
	    struct svx_service *);
/*
 * The backend ARG names a service of when it is one without directories
 * (its source's prefix: supervisord:web), else NULL: then ARG is a path.
 */
const struct svx_adapter *service_named_backend(const char *arg);
/*
 * ARG through B's source (service_named_backend's): 0, its state or why
 * it could not be read in SV; -1 with errno when it cannot be asked.
 */
int	service_open_named(const struct svx_adapter *b, const char *arg,
	    int64_t deadline_ms, struct svx_service *sv);
void	service_refresh(struct svx_service *);
/* How its state is asked (svx_adapter.source); NULL: read from files. */
const struct svx_source *service_source(const struct svx_service *);
/* Its backend's name: a directory's format, or its source's. */
const char	*service_backend_name(const struct svx_service *);
int	service_open_log(const struct svx_service *, const char *path,
	    const char *supervisedir, struct svx_service *log);
void	service_close(struct svx_service *);
#define SEND_MAX	32	/* letters in one write, well under PIPE_BUF */

enum send_result service_send(const struct svx_service *, enum svx_verb,
	    const char **bytes);
enum send_result service_letters(const struct svx_service *,
	    const enum svx_verb *, size_t n, char *buf, size_t buflen,
	    size_t *failed);
enum send_result service_send_verbs(const struct svx_service *,
	    const enum svx_verb *, size_t n, char *sent, size_t sentlen,
	    size_t *failed);
enum send_result service_send_bytes(const struct svx_service *,
	    const char *bytes);
int	service_down_file(const struct svx_service *, int present);
int	svdir_open(int dirfd, const char *path, const char *supervisedir,
	    int *relocated);
/* The control directory's name as encore's tools print it. */
int	svdir_name(const char *path, const char *supervisedir, char *buf,
	    size_t len);

#endif
