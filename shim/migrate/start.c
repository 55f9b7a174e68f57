/*
 * A service started under the target, for both sources: linked into a
 * target scanner's directory, or under a supervisor svx starts itself
 * (with a pipe to its log's, as scanners make one), ./down present
 * while it starts when it is wanted down; then its wanted state
 * restored, and checked.
 */
#define _DEFAULT_SOURCE		/* getgrouplist, setgroups: BSD and glibc */
#include <sys/stat.h>

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/resolve.h"
#include "../control/control.h"
#include "mig.h"

/* Whom a supervisor runs as: svx itself, or a user's ids and groups,
 * all looked up before the fork (the child only switches). */
struct runas {
	int	 user;			/* 0: as svx */
	uid_t	 uid;
	gid_t	 gid;
	gid_t	 groups[64];
	int	 ngroups;
};

/* USER ("" or NULL: none) into *AS: 0, or -1 when it has no entry or
 * more groups than a supervisor is given here. */
static int
runas_lookup(const char *user, struct runas *as)
{
	const struct passwd *pw;

	memset(as, 0, sizeof(*as));
	if (user == NULL || user[0] == '\0')
		return 0;
	if (!run_user_name_ok(user) || (pw = getpwnam(user)) == NULL)
		return -1;
	as->user = 1;
	as->uid = pw->pw_uid;
	as->gid = pw->pw_gid;
	as->ngroups = (int)(sizeof(as->groups) / sizeof(as->groups[0]));
	return getgrouplist(user, pw->pw_gid, as->groups, &as->ngroups) ==
	    -1 ? -1 : 0;
}

/* In the child: the groups, then the gid, then the uid (the order that
 * leaves nothing of root's). */
static int
become(const struct runas *as)
{
	if (!as->user)
		return 0;
	return setgroups((size_t)as->ngroups, as->groups) == -1 ||
	    setgid(as->gid) == -1 || setuid(as->uid) == -1 ? -1 : 0;
}

/*
 * A supervisor of its own: a new session, no terminal, stdout into PIPE
 * when it has a logger to feed (what svscan and s6-svscan do); as AS
 * says when its supervisor ran as a user.
 */
static pid_t
spawn(const char *prog, const char *dir, int in, int out,
    const struct runas *as)
{
	pid_t pid;
	int null;
	sigset_t none;

	if ((pid = fork()) != 0)
		return pid;
	/* Not the mask the move holds (hold_signals): a supervisor
	 * and its service must see SIGINT, SIGTERM... again. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	(void)setsid();
	null = open("/dev/null", O_RDWR);
	(void)dup2(in >= 0 ? in : null, 0);
	(void)dup2(out >= 0 ? out : null, 1);
	(void)dup2(null, 2);
	fds_close_all_but(&null, 0);
	signal(SIGPIPE, SIG_DFL);
	if (become(as) == -1)
		_exit(127);
	execlp(prog, prog, dir, (char *)NULL);
	_exit(127);
}

int
start_own(struct migration *m, const char *user, const char *log_user)
{
	const char *prog = mig_supervisor[m->to];
	char logdir[PATH_MAX];
	struct runas as, log_as;
	int p[2] = { -1, -1 };

	if (prog == NULL || path_join(logdir, sizeof(logdir), m->path, "log") == -1)
		return -1;
	if (runas_lookup(user, &as) == -1 || runas_lookup(log_user, &log_as) ==
	    -1) {
		mig_say(m, "error", "cannot start its supervisors as %s and %s: "
		    "no such user, or too many groups", user != NULL &&
		    user[0] != '\0' ? user : "root", log_user != NULL &&
		    log_user[0] != '\0' ? log_user : "root");
		return -1;
	}
	/* runsv serves log/ itself; the others need a pipe, as their
	 * scanners make one. */
	if (m->has_log && m->to != BACKEND_RUNIT && pipe(p) == -1)
		return -1;
	m->pids[0] = spawn(prog, m->path, -1, p[1], &as);
	m->started = m->pids[0] > 0;
	m->started_once |= m->started;
	mig_ran(m, "%s %s (pid %ld)", prog, m->path, (long)m->pids[0]);
	if (p[0] != -1) {
		if (m->pids[0] > 0) {
			m->pids[1] = spawn(prog, logdir, p[0], -1, &log_as);
			mig_ran(m, "%s %s (pid %ld)", prog, logdir,
			    (long)m->pids[1]);
		}
		close(p[0]);
		close(p[1]);
	}
	return m->pids[0] > 0 && (p[0] == -1 || m->pids[1] > 0) ? 0 : -1;
}

static int
start_under_scanner(struct migration *m)
{
	char target[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	if (same_dir(m->newscan, m->parent)) {
		if (show_to_scanner(m) == -1)
			return -1;
	} else if (m->entry_is_link) {
		/* A link in the new scan directory to what the old one
		 * pointed at; the old link, hidden, goes at the end. */
		n = readlink(current_path(m, link, sizeof(link)), target,
		    sizeof(target) - 1);
		if (n <= 0)
			return -1;
		target[n] = '\0';
		if (target[0] != '/') {
			if (path_join(link, sizeof(link), m->parent, target) == -1)
				return -1;
			strlcpy(target, link, sizeof(target));
		}
		mig_ran(m, "ln -s %s %s", target, m->where);
		if (symlink(target, m->where) == -1)
			return -1;
	} else {
		/* A directory no scanner watched: linked in. */
		if (realpath(m->path, target) == NULL)
			return -1;
		mig_ran(m, "ln -s %s %s", target, m->where);
		if (symlink(target, m->where) == -1)
			return -1;
	}
	m->started = m->started_once = 1;
	kick_scanner(m->newscan);
	return 0;
}

/* Until a supervisor of the target owns it, within a step's bound. */
int
await_target(struct migration *m)
{
	struct svx_service sv;
	int r;

	if (service_open(AT_FDCWD, m->where, NULL, &sv) == -1)
		return -1;
	r = wait_supervisor(&sv, m->where, NULL, m->opts->step_ms,
	    &(int){ 0 });
	if (r == 0 && (sv.det.verdict != VERDICT_SUPERVISED ||
	    sv.det.backend != m->to))
		r = -1;
	service_close(&sv);
	return r;
}

int
start_target(struct migration *m)
{
	int r;

	/* Supervisors read ./down once, at start: there, it starts down. */
	if ((!m->want_up && !m->once) && !(m->files & (1u << MF_DOWN))) {
		mig_ran(m, "touch %s/down (while it starts)", m->path);
		m->made_down = 1;
		if (journal_note(m, "made-down") == -1 ||
		    write_file(m->dirfd, "down", "", 0644) == -1)
			return -1;
	}
	if (journal_note(m, "step start") == -1)
		return -1;
	r = m->place == PLACE_OWN ? start_own(m, NULL, NULL) :
	    start_under_scanner(m);
	if (r == 0)
		r = await_target(m);
	if (m->made_down) {
		mig_ran(m, "rm %s/down", m->path);
		(void)unlinkat(m->dirfd, "down", 0);
		m->made_down = 0;
	}
	return r;
}

/*
 * The wanted state again, and a look that it holds. AS_IT_WAS (a
 * rollback): back under its old supervisor and wanted as it was is
 * enough; a service that did not stay up before the move (a crash loop)
 * need not stay up now, or it could never be put back.
 */
int
restore_state(struct migration *m, const char *path, enum svx_backend b,
    int as_it_was)
{
	struct svx_service sv;
	enum svx_verb v = m->want_up ? VERB_UP : m->once ? VERB_ONCE :
	    VERB_DOWN;
	int ok, started;

	mig_ran(m, "svx -w %lld%s %s %s", (long long)m->opts->step_ms / 1000,
	    v == VERB_UP ? " --settle " STR(SETTLE_MS) : "", verb_names[v],
	    path);
	/* Up, and still up a moment later: a service that cannot run
	 * under the target dies within that, and the move is undone. */
	started = svx_run_verb(path, v, m->opts->step_ms, v == VERB_UP ?
	    SETTLE_MS : 0, 0) == OUT_OK;
	if (!started && !as_it_was)
		return -1;
	if (service_open(AT_FDCWD, path, NULL, &sv) == -1)
		return -1;
	ok = sv.det.verdict == VERDICT_SUPERVISED && sv.det.backend == b &&
	    sv.status_ok && (as_it_was && !started ?
	    (sv.st.main.want == WANT_UP) == m->want_up :
	    (sv.st.main.state == STATE_UP) == (m->want_up || m->once));
	service_close(&sv);
	if (ok && !started)
		mig_say(m, "warning", "back under %s, wanted %s, but it does not "
		    "stay up there either", backend_name(b), m->want_up ?
		    "up" : "down");
	return ok ? 0 : -1;
}
