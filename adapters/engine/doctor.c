/*
 * svx doctor's checks, one row each: a test over the service as opened
 * and detected (service.c, detect.c), its files, its scanner
 * (scanner.c) and its log/ subservice. Each test says only whether its
 * problem is there, and the facts the words need (doctor.h); the words
 * are mappings/doctor.c's.
 *
 * A crash loop is told from the supervisor's own records where it keeps
 * them (s6's supervise/death_tally); daemontools, encore and runit keep
 * only the last change, so the status is watched for at most
 * DOCTOR_WATCH_MS: every supervisor waits a second between two starts
 * of a run that dies at once, so a loop shows a death in that time.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "doctor.h"
#include "scanner.h"

#define WATCH_STEP_MS	50
#define SHEBANG_MAX	256	/* a #! line longer is not the kernel's either */

/* CLOCK_REALTIME to compare with the records' stamps; CLOCK_MONOTONIC
 * for the watch's bound, which a clock set meanwhile must not stretch. */
static int64_t
clock_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
now_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

static int64_t
stamp_ms(const struct svx_stamp *s)
{
	return s->sec * 1000 + s->nsec / 1000000;
}

static void
nap_ms(int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
dangling(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) &&
	    stat(path, &sb) == -1 && errno == ENOENT;
}

static int
supervised(const struct doctor_ctx *c)
{
	return c->opened && c->sv.det.verdict == VERDICT_SUPERVISED &&
	    c->sv.status_ok;
}

static int
svdir_refused(const struct svx_service *sv)
{
	const struct svx_evidence *ev = &sv->det.ev;

	return (sv->svfd == -1 && sv->svdir_err == EACCES) ||
	    ev->status_err == EACCES || (ev->ok.result == -1 &&
	    ev->ok.err == EACCES) || (ev->lock.result == -1 &&
	    ev->lock.err == EACCES);
}

static int
t_link_broken(struct doctor_ctx *c, struct doctor_finding *f)
{
	ssize_t n;

	if (c->opened || !dangling(c->path))
		return 0;
	if ((n = readlink(c->path, f->what, sizeof(f->what) - 1)) == -1)
		n = 0;
	f->what[n] = '\0';
	return 1;
}

static int
t_not_dir(struct doctor_ctx *c, struct doctor_finding *f)
{
	if (c->opened || dangling(c->path))
		return 0;
	f->err = c->open_err;
	return 1;
}

static int
t_run_missing(struct doctor_ctx *c, struct doctor_finding *f)
{
	struct stat sb;

	(void)f;
	return c->opened && fstatat(c->sv.dirfd, "run", &sb, 0) == -1 &&
	    errno == ENOENT;
}

static int
t_run_not_exec(struct doctor_ctx *c, struct doctor_finding *f)
{
	struct stat sb;

	(void)f;
	return c->opened && fstatat(c->sv.dirfd, "run", &sb, 0) == 0 &&
	    (!S_ISREG(sb.st_mode) || (sb.st_mode & 0111) == 0);
}

/* The first word after "#!" in LINE (N bytes), into BUF. */
static int
shebang_word(const char *line, size_t n, char *buf, size_t len)
{
	size_t i = 2, start;

	if (n < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	for (start = i; i < n && line[i] != ' ' && line[i] != '\t' &&
	    line[i] != '\n' && line[i] != '\0'; i++)
		;
	if (i == start || i - start >= len)
		return 0;
	memcpy(buf, line + start, i - start);
	buf[i - start] = '\0';
	return 1;
}

int
doctor_interpreter(int dirfd, const char *name, char *buf, size_t len)
{
	char line[SHEBANG_MAX];
	ssize_t n;
	int fd;

	/* open_plain: O_NONBLOCK, and only a regular file (never a FIFO
	 * someone left as run); no symlink followed. */
	if ((fd = open_plain(dirfd, name, O_NOFOLLOW, NULL)) == -1)
		return errno == ENOTPLAIN || errno == ELOOP ||
		    errno == ENOENT ? 0 : -1;
	n = read(fd, line, sizeof(line));
	close(fd);
	if (n == -1)
		return -1;
	return shebang_word(line, (size_t)n, buf, len);
}

static int
t_interp_missing(struct doctor_ctx *c, struct doctor_finding *f)
{
	struct stat sb;

	if (!c->opened || doctor_interpreter(c->sv.dirfd, "run", f->what,
	    sizeof(f->what)) != 1)
		return 0;
	/* The kernel resolves a relative one from the cwd: the service's. */
	if (fstatat(c->sv.dirfd, f->what, &sb, 0) == -1) {
		f->err = errno;
		return 1;
	}
	if (!S_ISREG(sb.st_mode) || (sb.st_mode & 0111) == 0) {
		f->err = EACCES;
		return 1;
	}
	return 0;
}

static int
t_svdir_unreadable(struct doctor_ctx *c, struct doctor_finding *f)
{
	f->err = EACCES;
	return c->opened && svdir_refused(&c->sv);
}

/* Not a service at all (no run) is run_missing's finding alone. */
static int
no_supervisor(const struct doctor_ctx *c)
{
	struct stat sb;

	return c->opened && !svdir_refused(&c->sv) &&
	    (c->sv.det.verdict == VERDICT_UNSUPERVISED ||
	    c->sv.det.verdict == VERDICT_NOT_SERVICE) &&
	    fstatat(c->sv.dirfd, "run", &sb, 0) == 0;
}

static int
t_no_supervisor(struct doctor_ctx *c, struct doctor_finding *f)
{
	(void)f;
	return no_supervisor(c);
}

/*
 * The evidence contradicts itself (a supervise/control that is a file,
 * two supervisors' marks): every verb refuses it, so doctor says so
 * rather than "nothing wrong". WHAT: detection's words for it.
 */
static int
t_owner_unknown(struct doctor_ctx *c, struct doctor_finding *f)
{
	if (!c->opened || svdir_refused(&c->sv) ||
	    (c->sv.det.verdict != VERDICT_AMBIGUOUS &&
	    c->sv.det.verdict != VERDICT_ERROR))
		return 0;
	strlcpy(f->what, c->sv.det.why != NULL ? c->sv.det.why : "?",
	    sizeof(f->what));
	return 1;
}

/* The directory that holds PATH's last component, into BUF. */
static void
parent_of(const char *path, char *buf, size_t len)
{
	size_t n;
	char *slash;

	strlcpy(buf, path, len);
	for (n = strlen(buf); n > 1 && buf[n - 1] == '/'; n--)
		buf[n - 1] = '\0';
	if ((slash = strrchr(buf, '/')) == NULL)
		strlcpy(buf, ".", len);
	else if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
}

static int
t_no_scanner(struct doctor_ctx *c, struct doctor_finding *f)
{
	/* A log/ gets its supervisor from its parent's. */
	if (!no_supervisor(c) || c->sv.is_log)
		return 0;
	parent_of(c->path, f->what, sizeof(f->what));
	return scanner_watching(f->what) == SCANNER_NONE;
}

static int
up_long_enough(const struct svx_proc *p, int64_t now)
{
	return p->state == STATE_UP && now - stamp_ms(&p->since) >=
	    DOCTOR_UP_MIN_MS;
}

static int
t_down_file(struct doctor_ctx *c, struct doctor_finding *f)
{
	const struct svx_proc *p = &c->sv.st.main;

	(void)f;
	return c->opened && c->sv.normally_down && p->want != WANT_UP &&
	    p->state != STATE_UP;
}

/*
 * A death between two looks at the record: up, then no more or another
 * pid; or, from not up, a new record (pid or stamp) not up either: a run
 * shorter than a look (WATCH_STEP_MS) came and went between them. An
 * exit seen by its pid (STATE_EXITED) and then recorded down by its
 * supervisor is the one death.
 */
static int
died(const struct svx_proc *was, const struct svx_proc *now)
{
	if (was->state == STATE_UP)
		return now->state != STATE_UP || now->pid != was->pid;
	if (now->state == STATE_UP || (was->state == STATE_EXITED &&
	    now->state == STATE_DOWN))
		return 0;
	return now->pid != was->pid ||
	    stamp_ms(&now->since) != stamp_ms(&was->since);
}

/*
 * Watch the record for up to C->watch_ms: deaths seen into F; 1 when
 * they make a loop (some, and never up long enough meanwhile).
 */
static int
watch_deaths(struct doctor_ctx *c, struct doctor_finding *f)
{
	struct svx_proc was = c->sv.st.main;
	int64_t start = clock_ms(CLOCK_MONOTONIC), now = start;

	while (now - start < c->watch_ms && f->deaths < 2) {
		nap_ms(WATCH_STEP_MS);
		service_refresh(&c->sv);
		now = clock_ms(CLOCK_MONOTONIC);
		if (!supervised(c) || c->sv.st.main.want != WANT_UP ||
		    up_long_enough(&c->sv.st.main, now_ms()))
			return 0;
		if (died(&was, &c->sv.st.main))
			f->deaths++;
		was = c->sv.st.main;
	}
	f->over_ms = now - start;
	return f->deaths > 0;
}

static int
t_crash_loop(struct doctor_ctx *c, struct doctor_finding *f)
{
	const struct svx_proc *p = &c->sv.st.main;
	int64_t now = now_ms();
	int n;

	f->wstat = -1;
	if (!supervised(c) || p->want != WANT_UP || up_long_enough(p, now))
		return 0;
	if (c->sv.det.backend == BACKEND_S6) {
		/* The last death from its record, not the status file's,
		 * which holds none while the next run is up. */
		n = batch_recent_deaths(c->sv.dirfd, ".", now / 1000 -
		    DOCTOR_TALLY_SECS, NULL, &f->wstat);
		f->deaths = n > 0 ? n : 0;
		f->over_ms = DOCTOR_TALLY_SECS * 1000;
		f->recorded = 1;
		return f->deaths >= 2;
	}
	if (!watch_deaths(c, f))
		return 0;
	f->wstat = proc_last_wstat(&c->sv.st.main);
	return 1;
}

/*
 * The script a supervisor runs after the service ends, by backend: runsv
 * and s6-supervise run ./finish; encore's supervise runs ./stop (once the
 * service went down) and knows no ./finish; supervise 0.76 runs neither.
 */
static const char *const after_script[BACKEND_DIR_COUNT] = {
	[BACKEND_ENCORE] = "stop",
	[BACKEND_RUNIT] = "finish",
	[BACKEND_S6] = "finish",
};

/*
 * How long the script has run is taken from its process (runsv does not
 * restamp its status when ./finish starts: the stamp is the service's
 * start), the status stamp only when /proc does not say. runsv records
 * the finish state a moment before the script's pid: no pid yet is a
 * script just starting.
 */
static int
t_finish_running(struct doctor_ctx *c, struct doctor_finding *f)
{
	const struct svx_proc *p = &c->sv.st.main;
	struct svx_stamp began;
	const char *script;

	if (!supervised(c) || p->state != STATE_FINISHING ||
	    p->helper_pid <= 0 || (size_t)c->sv.det.backend >= BACKEND_DIR_COUNT ||
	    (script = after_script[c->sv.det.backend]) == NULL)
		return 0;
	snprintf(f->what, sizeof(f->what), "%s/%s", c->path, script);
	f->pid = p->helper_pid;
	if (process_start_time(p->helper_pid, &began) == -1)
		began = p->since;
	f->over_ms = now_ms() - stamp_ms(&began);
	return f->over_ms >= DOCTOR_UP_MIN_MS;
}

static int
running_wanted_down(const struct doctor_ctx *c)
{
	const struct svx_proc *p = &c->sv.st.main;

	/* encore records the TERM it sent: stopping, want down. */
	return supervised(c) && (p->state == STATE_UP ||
	    p->state == STATE_STOPPING) && p->want == WANT_DOWN &&
	    p->pid > 0 && process_running(p->pid);
}

/*
 * Wanted down, and its process still runs: it did not end on the signal
 * its supervisor sent (TERM). A stop just sent reads the same for a
 * moment, and no status stamp says when it was asked for: it is looked
 * at again for a second, and reported only if it runs on.
 */
static int
t_wont_stop(struct doctor_ctx *c, struct doctor_finding *f)
{
	int64_t start = clock_ms(CLOCK_MONOTONIC);

	while (running_wanted_down(c)) {
		if (clock_ms(CLOCK_MONOTONIC) - start >= DOCTOR_UP_MIN_MS) {
			f->pid = c->sv.st.main.pid;
			return 1;
		}
		nap_ms(WATCH_STEP_MS);
		service_refresh(&c->sv);
	}
	return 0;
}

/* encore's ./log program, recorded in the service's own status. */
static int
encore_log_down(const struct svx_service *sv)
{
	return (sv->det.ev.files & EV_LOG_EXEC) && sv->st.has_log &&
	    sv->st.log.state != STATE_UP;
}

static int
t_logger_down(struct doctor_ctx *c, struct doctor_finding *f)
{
	struct svx_service log;
	int down;

	(void)f;
	if (!supervised(c))
		return 0;
	if (encore_log_down(&c->sv))
		return 1;
	if (service_open_log(&c->sv, c->path, c->supervisedir, &log) != 1)
		return 0;
	down = log.det.verdict != VERDICT_SUPERVISED || !log.status_ok ||
	    log.st.main.state != STATE_UP;
	service_close(&log);
	return down;
}

/* In the order they are reported: a cause before what it causes. */
const struct doctor_row doctor_rows[DOC_DIR_COUNT] = {
	{ DOC_LINK_BROKEN, "link-broken", t_link_broken },
	{ DOC_NOT_DIR, "not-a-directory", t_not_dir },
	{ DOC_RUN_MISSING, "run-missing", t_run_missing },
	{ DOC_RUN_NOT_EXEC, "run-not-executable", t_run_not_exec },
	{ DOC_INTERP_MISSING, "interpreter-missing", t_interp_missing },
	{ DOC_SVDIR_UNREADABLE, "supervise-unreadable", t_svdir_unreadable },
	{ DOC_NO_SUPERVISOR, "no-supervisor", t_no_supervisor },
	{ DOC_OWNER_UNKNOWN, "owner-unknown", t_owner_unknown },
	{ DOC_NO_SCANNER, "no-scanner", t_no_scanner },
	{ DOC_DOWN_FILE, "down-file", t_down_file },
	{ DOC_CRASH_LOOP, "crash-loop", t_crash_loop },
	{ DOC_FINISH_RUNNING, "finish-running", t_finish_running },
	{ DOC_WONT_STOP, "wont-stop", t_wont_stop },
	{ DOC_LOGGER_DOWN, "logger-down", t_logger_down },
};

void
doctor_open(struct doctor_ctx *c, const char *path, const char *supervisedir)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->supervisedir = supervisedir;
	c->watch_ms = DOCTOR_WATCH_MS;
	c->sv.dirfd = c->sv.svfd = -1;
	if (service_open(AT_FDCWD, path, supervisedir, &c->sv) == 0)
		c->opened = 1;
	else
		c->open_err = errno;
}

void
doctor_close(struct doctor_ctx *c)
{
	if (c->opened)
		service_close(&c->sv);
	c->opened = 0;
}

size_t
doctor_run(struct doctor_ctx *c, struct doctor_finding *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < DOC_DIR_COUNT && n < max; i++) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].check = doctor_rows[i].id;
		out[n].wstat = -1;
		if (doctor_rows[i].test(c, &out[n]))
			n++;
	}
	return n;
}
