/*
 * Opening a service directory and everything derived from it.
 *
 * The control directory is supervise/, except with $SUPERVISEDIR set, read
 * as daemontools-encore's tools read it (PROTOCOLS.md#encore): a relative
 * value replaces the name "supervise"; an absolute one is followed by the
 * service's physical path with every '/' after the first turned into ':'
 * (SUPERVISEDIR=/run/sv, service /srv/web: /run/sv/srv:web); an empty
 * value leaves the bare suffix, so the files are /ok, /control... in the
 * root directory. Once the variable is set there is no fallback to
 * supervise/: encore's svok exits 100 when the relocated directory is
 * missing, and svx says the same thing.
 */
/* O_PATH: Linux, outside POSIX. */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service.h"

#define DIR_FLAGS	(O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY)
#define PATH_FLAGS	(O_PATH | O_DIRECTORY | O_CLOEXEC)

int
svdir_name(const char *path, const char *supervisedir, char *buf,
    size_t len)
{
	char real[PATH_MAX];
	char *p;

	if (supervisedir == NULL)
		supervisedir = "supervise";
	if (supervisedir[0] != '/') {
		if (strlcpy(buf, supervisedir, len) >= len)
			goto toolong;
		return 0;
	}
	if (realpath(path, real) == NULL)
		return -1;
	for (p = real + 1; *p != '\0'; p++)
		if (*p == '/')
			*p = ':';
	if (strlcpy(buf, supervisedir, len) >= len ||
	    strlcat(buf, real, len) >= len)
		goto toolong;
	return 0;
toolong:
	errno = ENAMETOOLONG;
	return -1;
}

static int
open_relocated_as(int dirfd, const char *path, const char *supervisedir,
    int flags)
{
	char joined[PATH_MAX];

	/* encore names the files "" + "/ok": the root directory's. */
	if (supervisedir[0] == '\0')
		return open("/", flags);
	if (supervisedir[0] != '/')
		return openat(dirfd, supervisedir, flags);
	if (svdir_name(path, supervisedir, joined, sizeof(joined)) == -1)
		return -1;
	return open(joined, flags);
}

static int
open_relocated(int dirfd, const char *path, const char *supervisedir)
{
	return open_relocated_as(dirfd, path, supervisedir, DIR_FLAGS);
}

static int
open_relocated_path(int dirfd, const char *path, const char *supervisedir)
{
	return open_relocated_as(dirfd, path, supervisedir, PATH_FLAGS);
}

int
svdir_open(int dirfd, const char *path, const char *supervisedir,
    int *relocated)
{
	*relocated = supervisedir != NULL;
	int fd;

	if (supervisedir != NULL)
		fd = open_relocated(dirfd, path, supervisedir);
	else
		fd = openat(dirfd, "supervise", DIR_FLAGS);
	if (fd != -1 || errno != EACCES)
		return fd;
	/*
	 * Search access without read (mode 0710 for a group, as s6-svperms
	 * and svx perms grant, PROTOCOLS.md#perms): the files inside open
	 * by name all the same, from a descriptor that cannot list them.
	 */
	if (supervisedir != NULL)
		return open_relocated_path(dirfd, path, supervisedir);
	return openat(dirfd, "supervise", PATH_FLAGS);
}

/*
 * A status file can outlive its process: supervise 0.76 reaps nothing
 * during the second it sleeps after each start, so a service that died
 * at once still reads "up". The status is a record; the process table
 * says whether that pid still runs.
 */
static void
mark_exited(struct svx_proc *p)
{
	if (p->state == STATE_UP && p->pid != 0 && !process_running(p->pid))
		p->state = STATE_EXITED;
}

static void
unpack_status(struct svx_service *sv)
{
	const struct svx_evidence *ev = &sv->det.ev;

	sv->status_ok = 0;
	sv->adapter = adapter_for(sv->det.backend);
	if (sv->adapter == NULL || sv->det.starting)
		return;
	if (sv->adapter->unpack(ev->status, ev->status_len, &sv->st) == -1)
		return;
	sv->status_ok = 1;
	if (sv->adapter->complete != NULL)
		sv->adapter->complete(sv->dirfd, &sv->st);
	mark_exited(&sv->st.main);
	if (sv->st.has_log)
		mark_exited(&sv->st.log);
}

void
service_refresh(struct svx_service *sv)
{
	struct svx_evidence ev;

	if (service_source(sv) != NULL) {
		service_source(sv)->refresh(sv);
		return;
	}
	detect_gather(sv->dirfd, sv->svfd, sv->svdir_err, &ev);
	if (sv->relocated)
		ev.files |= EV_RELOCATED;
	detect_decide(&ev, &sv->det);
	sv->normally_down = (ev.files & EV_DOWN) != 0;
	unpack_status(sv);
}

const struct svx_adapter *
service_named_backend(const char *arg)
{
	const struct svx_adapter *a;
	int b;

	for (b = BACKEND_DIR_COUNT; b < BACKEND_ALL_COUNT; b++) {
		a = adapter_for((enum svx_backend)b);
		if (a != NULL && a->source != NULL &&
		    a->source->prefix != NULL && strncmp(arg,
		    a->source->prefix, strlen(a->source->prefix)) == 0)
			return a;
	}
	return NULL;
}

int
service_open_named(const struct svx_adapter *b, const char *arg,
    int64_t deadline_ms, struct svx_service *sv)
{
	memset(sv, 0, sizeof(*sv));
	sv->dirfd = sv->svfd = -1;
	return b->source->open(sv, arg + strlen(b->source->prefix),
	    deadline_ms);
}

const struct svx_source *
service_source(const struct svx_service *sv)
{
	return sv->adapter != NULL ? sv->adapter->source : NULL;
}

const char *
service_backend_name(const struct svx_service *sv)
{
	return backend_name(sv->det.backend);
}

/* Is this directory its parent's log/? (the same inode as ../log) */
static int
is_log_subservice(int dirfd)
{
	struct stat self, log;

	return fstat(dirfd, &self) == 0 &&
	    fstatat(dirfd, "../log", &log, 0) == 0 &&
	    self.st_dev == log.st_dev && self.st_ino == log.st_ino;
}

/*
 * 0, or -1 with errno when PATH cannot be opened as a directory (the
 * caller names the cause). Everything else is in sv->det. A dangling
 * supervise symlink means "never started" (PROTOCOLS.md#liveness), which
 * is ENOENT here.
 */
int
service_open(int atfd, const char *path, const char *supervisedir,
    struct svx_service *sv)
{
	memset(sv, 0, sizeof(*sv));
	sv->svfd = -1;
	sv->dirfd = openat(atfd, path, DIR_FLAGS);
	if (sv->dirfd == -1)
		return -1;
	sv->svfd = svdir_open(sv->dirfd, path, supervisedir, &sv->relocated);
	if (sv->svfd == -1)
		sv->svdir_err = errno;
	sv->is_log = is_log_subservice(sv->dirfd);
	service_refresh(sv);
	return 0;
}

/*
 * 1 and LOG filled when the service PATH has a log/ directory, else 0.
 * encore relocates log/ by its own physical path, so the path is rebuilt.
 */
int
service_open_log(const struct svx_service *sv, const char *path,
    const char *supervisedir, struct svx_service *log)
{
	char logpath[PATH_MAX];

	if (!(sv->det.ev.files & EV_LOG_DIR))
		return 0;
	if (strlcpy(logpath, path, sizeof(logpath)) >= sizeof(logpath) ||
	    strlcat(logpath, "/log", sizeof(logpath)) >= sizeof(logpath))
		return 0;
	if (service_open(sv->dirfd, "log", NULL, log) == -1)
		return 0;
	if (supervisedir != NULL) {
		service_close(log);
		if (service_open(AT_FDCWD, logpath, supervisedir, log) == -1)
			return 0;
	}
	return 1;
}

void
service_close(struct svx_service *sv)
{
	if (service_source(sv) != NULL && sv->source_arg != NULL)
		service_source(sv)->close(sv);
	if (sv->svfd != -1)
		close(sv->svfd);
	if (sv->dirfd != -1)
		close(sv->dirfd);
	sv->svfd = sv->dirfd = -1;
}

static enum send_result
ctl_result_to_send(enum ctl_result r)
{
	switch (r) {
	case CTL_SENT:
		return SEND_OK;
	case CTL_NOT_RUNNING:
	case CTL_MISSING:
		return SEND_NOT_RUNNING;
	case CTL_NOT_RESPONDING:
		return SEND_NOT_RESPONDING;
	case CTL_NOT_FIFO:
		return SEND_NOT_FIFO;
	default:
		return SEND_ERROR;
	}
}

static const char *
letters_for(const struct svx_service *sv, enum svx_verb verb,
    const struct svx_proc *now, int after_down)
{
	const struct svx_adapter *a = sv->adapter;

	if (sv->is_log && a->log_ignores_exit &&
	    (verb == VERB_EXIT || verb == VERB_X_ONLY))
		return NULL;
	if (a->ctl[verb] != NULL)
		return a->ctl[verb];
	return a->emulate != NULL ? a->emulate(verb, now, after_down) : NULL;
}

/*
 * The letters for N verbs on this service's backend, concatenated into
 * BUF for one write. SEND_UNSUPPORTED with *failed set to the first verb
 * the backend cannot do: nothing may be sent then.
 */
enum send_result
service_letters(const struct svx_service *sv, const enum svx_verb *verbs,
    size_t n, char *buf, size_t buflen, size_t *failed)
{
	const struct svx_proc *now = sv->status_ok ? &sv->st.main : NULL;
	const char *l;
	int after_down = 0;
	size_t i;

	buf[0] = '\0';
	if (sv->det.verdict != VERDICT_SUPERVISED || sv->adapter == NULL)
		return SEND_NOT_SUPERVISED;
	for (i = 0; i < n; i++) {
		if (sv->adapter->signals_reach_helpers && verb_is_signal(verbs[i])
		    && now != NULL && now->pid == 0 && now->helper_pid != 0) {
			*failed = i;
			return SEND_HELPER_RUNNING;
		}
		l = letters_for(sv, verbs[i], now, after_down);
		if (l == NULL) {
			*failed = i;
			return SEND_UNSUPPORTED;
		}
		if (strlcat(buf, l, buflen) >= buflen) {
			errno = E2BIG;
			return SEND_ERROR;
		}
		after_down |= verbs[i] == VERB_DOWN;
	}
	return SEND_OK;
}

enum send_result
service_send_verbs(const struct svx_service *sv, const enum svx_verb *verbs,
    size_t n, char *sent, size_t sentlen, size_t *failed)
{
	enum send_result r;

	r = service_letters(sv, verbs, n, sent, sentlen, failed);
	if (r != SEND_OK || sent[0] == '\0')
		return r;
	return ctl_result_to_send(ctl_send(sv->svfd, sent));
}

/* BYTES as they are: a native client's own protocol (encore's svc). */
enum send_result
service_send_bytes(const struct svx_service *sv, const char *bytes)
{
	if (sv->det.verdict != VERDICT_SUPERVISED)
		return SEND_NOT_SUPERVISED;
	return ctl_result_to_send(ctl_send(sv->svfd, bytes));
}

enum send_result
service_send(const struct svx_service *sv, enum svx_verb verb,
    const char **bytes)
{
	static char sent[SEND_MAX + 1];
	enum send_result r;
	size_t failed;

	if (service_source(sv) != NULL) {
		*bytes = NULL;
		return sv->source_arg != NULL ?
		    service_source(sv)->send(sv, verb, bytes) :
		    SEND_NOT_SUPERVISED;
	}
	r = service_send_verbs(sv, &verb, 1, sent, sizeof(sent), &failed);
	*bytes = sent[0] != '\0' ? sent : NULL;
	return r;
}

/*
 * The ./down file, which every supervisor reads at start
 * (PROTOCOLS.md#the-down-file). s6-svc's D and U do this themselves on s6;
 * svx does it on every backend.
 */
int
service_down_file(const struct svx_service *sv, int present)
{
	int fd;

	if (!present)
		return unlinkat(sv->dirfd, "down", 0) == -1 && errno != ENOENT ?
		    -1 : 0;
	fd = openat(sv->dirfd, "down", O_WRONLY | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC | O_NOCTTY, 0644);
	if (fd == -1)
		return -1;
	close(fd);
	return 0;
}
