/*
 * svx check's facts: one service opened as every verb opens it, its
 * record unpacked by its backend's reader, and a crash loop told as
 * svx doctor tells it (s6's death tally; elsewhere a short watch, only
 * when the service is up for less than a second while wanted up).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "doctor.h"
#include "service.h"

#define TALLY_RECORD	14	/* s6: TAI64N, exit code, signal */

long
check_tally_count(int svfd)
{
	struct stat st;
	int fd;

	if (svfd == -1 ||
	    (fd = open_plain(svfd, "death_tally", O_NOFOLLOW, NULL)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	close(fd);
	return (long)(st.st_size / TALLY_RECORD);
}

static enum check_read
read_of(const struct svx_service *sv)
{
	switch (sv->det.verdict) {
	case VERDICT_SUPERVISED:
		return sv->status_ok ? CR_OK : CR_UNREADABLE;
	case VERDICT_UNSUPERVISED:
		return CR_UNSUPERVISED;
	case VERDICT_NOT_SERVICE:
		return CR_NOT_SERVICE;
	case VERDICT_ERROR:
		return sv->det.err == EACCES ? CR_DENIED : CR_UNREADABLE;
	default:
		return CR_UNREADABLE;
	}
}

static void
facts_of(const struct svx_service *sv, struct check_facts *f)
{
	const struct svx_proc *p = &sv->st.main;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	f->state = p->state;
	f->want = p->want;
	f->pid = p->pid;
	f->paused = p->paused;
	f->age = p->since.sec > 0 && now.tv_sec >= p->since.sec ?
	    now.tv_sec - p->since.sec : -1;
	if (sv->det.backend == BACKEND_S6)
		f->restarts = check_tally_count(sv->svfd);
}

void
check_facts_of(const struct svx_service *sv, struct check_facts *f)
{
	f->read = read_of(sv);
	f->err = sv->det.err;
	f->why = sv->det.why;
	f->backend = service_backend_name(sv);
	/* Asked of the directory, supervised or not: with no supervisor,
	 * ./down is what says whether it is meant to run. */
	f->normally_down = sv->normally_down;
	if (f->read == CR_OK)
		facts_of(sv, f);
}

void
check_gather(const char *path, const char *supervisedir,
    struct check_facts *f)
{
	struct doctor_finding loop;
	struct doctor_ctx c;

	memset(f, 0, sizeof(*f));
	f->age = -1;
	f->restarts = -1;
	f->backend = "unknown";
	doctor_open(&c, path, supervisedir);
	if (!c.opened) {
		f->err = c.open_err;
		f->read = c.open_err == EACCES ? CR_DENIED : c.open_err ==
		    ENOENT || c.open_err == ENOTDIR ? CR_NOT_SERVICE :
		    CR_UNREADABLE;
		return;
	}
	check_facts_of(&c.sv, f);
	if (f->read == CR_OK) {
		memset(&loop, 0, sizeof(loop));
		loop.check = DOC_CRASH_LOOP;
		f->crash_loop = doctor_rows[DOC_CRASH_LOOP].test(&c, &loop);
		f->deaths = loop.deaths;
		f->over_ms = loop.over_ms;
		if (f->crash_loop)
			facts_of(&c.sv, f);	/* the watch read it again */
	}
	doctor_close(&c);
}
