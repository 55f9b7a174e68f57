/*
 * encore-standin DIR: a minimal supervisor that behaves, on disk and on
 * its FIFOs, like daemontools-encore 1.11's supervise, which Debian does
 * not package. It exists only so the end-to-end tests can drive svx's
 * encore adapter against a live process.
 *
 * What it reproduces (PROTOCOLS.md#encore, PROTOCOLS.md#control-letters):
 * $SUPERVISEDIR; a flock on supervise/lock; control and ok FIFOs; a
 * 20-byte status (40 with an executable ./log) rewritten in place after
 * an O_TRUNC at start; states
 * stopped/starting/started/running/stopping/failed; ./start, ./run,
 * ./stop, ./log, ./down, ./no-setsid; exit 100 = failed; the letters
 * + = L l d u o a h k t i q 1 2 w p c x; SIGTERM/SIGINT as "dx".
 * What it leaves out: ./notify, and the one-second sleep after each start.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { STOPPED, STARTING, STARTED, RUNNING, STOPPING, FAILED };

struct proc {
	pid_t		pid;
	int		state;
	int		want;		/* 0 after `o` */
	int		wantup;
	int		paused;
	int		ranstop;
	struct timespec	when;
};

static struct proc svmain = { 0, STARTING, 1, 1, 0, 0, { 0, 0 } };
static struct proc svlog = { 0, STARTING, 1, 0, 0, 0, { 0, 0 } };
static int fdstatus = -1, fdcontrol = -1, fdcontrolwrite = -1;
static int selfpipe[2] = { -1, -1 }, logpipe[2] = { -1, -1 };
static int flagexit, firstrun = 1;
static char svdir[PATH_MAX];

static void
die(const char *what)
{
	fprintf(stderr, "encore-standin: fatal: %s: %s\n", what,
	    strerror(errno));
	exit(111);
}

static int
is_exec(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (sb.st_mode & 0100);
}

static int
entry_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static const char *
svpath(const char *name)
{
	static char buf[PATH_MAX + 16];

	if (strlcpy(buf, svdir, sizeof(buf)) >= sizeof(buf) ||
	    strlcat(buf, "/", sizeof(buf)) >= sizeof(buf) ||
	    strlcat(buf, name, sizeof(buf)) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		die("supervise path");
	}
	return buf;
}

/* An absolute $SUPERVISEDIR gets the cwd, '/' -> ':' (PROTOCOLS.md#encore). */
static void
init_svdir(void)
{
	const char *base = getenv("SUPERVISEDIR");
	char cwd[PATH_MAX];
	char *p;

	if (base == NULL || *base == '\0')
		base = "supervise";
	if (base[0] != '/') {
		strlcpy(svdir, base, sizeof(svdir));
		return;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		die("getcwd");
	for (p = cwd + 1; *p != '\0'; p++)
		if (*p == '/')
			*p = ':';
	if (strlcpy(svdir, base, sizeof(svdir)) >= sizeof(svdir) ||
	    strlcat(svdir, cwd, sizeof(svdir)) >= sizeof(svdir)) {
		errno = ENAMETOOLONG;
		die("$SUPERVISEDIR");
	}
}

static void
pack(unsigned char *s, const struct proc *p)
{
	unsigned long long label = (1ULL << 62) + 10 +
	    (unsigned long long)p->when.tv_sec;
	unsigned long nsec = (unsigned long)p->when.tv_nsec;
	unsigned long pid = (unsigned long)p->pid;
	int i;

	for (i = 7; i >= 0; i--, label >>= 8)
		s[i] = label & 0xff;
	for (i = 11; i >= 8; i--, nsec >>= 8)
		s[i] = nsec & 0xff;
	for (i = 12; i < 16; i++, pid >>= 8)
		s[i] = pid & 0xff;
	s[16] = p->pid ? p->paused : 0;
	s[17] = p->want ? (p->wantup ? 'u' : 'd') : 0;
	s[18] = (unsigned char)p->state;
	s[19] = 0;
}

/* In place, like encore: seek to 0 and write the whole record. */
static void
announce(void)
{
	unsigned char s[40];
	size_t n = 20;

	pack(s, &svmain);
	if (logpipe[0] != -1) {
		pack(s + 20, &svlog);
		n = 40;
	}
	if (lseek(fdstatus, 0, SEEK_SET) == 0)
		(void)write(fdstatus, s, n);
}

static void
pidchange(struct proc *p)
{
	clock_gettime(CLOCK_REALTIME, &p->when);
	announce();
}

static void
child_exec(const char *prog, int fd)
{
	struct sigaction sa;
	sigset_t none;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (!entry_exists("no-setsid"))
		setsid();
	if (fd >= 0 && logpipe[0] >= 0) {
		dup2(logpipe[fd], fd);
		close(logpipe[0]);
		close(logpipe[1]);
	}
	execl(prog, prog, (char *)NULL);
	_exit(111);
}

/*
 * Signals are held across the fork: a child still running our handlers
 * (before child_exec resets them) would answer the TERM of a `d` sent
 * right after it by writing "dx" into our own control FIFO, and end us.
 * encore 1.11 has the same window, hidden by its sleep after each start.
 */
static pid_t
spawn(struct proc *p, const char *prog, int fd)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1)
		return -1;
	if (pid == 0)
		child_exec(prog, fd);
	if (p != NULL) {
		p->pid = pid;
		p->paused = 0;
	}
	return pid;
}

static void
trystart(struct proc *p)
{
	const char *prog;
	int fd;

	if (p == &svlog) {
		svlog.state = RUNNING;
		prog = "./log";
		fd = 0;
	} else {
		if (firstrun && !is_exec("start"))
			firstrun = 0;
		if (!firstrun && !entry_exists("run")) {
			p->want = 0;
			p->state = STARTED;
			announce();
			return;
		}
		prog = firstrun ? "./start" : "./run";
		p->state = firstrun ? STARTING : RUNNING;
		fd = 1;
	}
	if (spawn(p, prog, fd) != -1)
		pidchange(p);
}

static void
trystop(struct proc *p)
{
	if (p->ranstop || p != &svmain || !is_exec("stop")) {
		p->ranstop = 1;
		p->state = STOPPED;
		announce();
		return;
	}
	if (spawn(p, "./stop", 1) == -1)
		return;
	p->ranstop = 1;
	pidchange(p);
}

static void
stopsvc(pid_t killpid, struct proc *p)
{
	kill(killpid, SIGTERM);
	kill(killpid, SIGCONT);
	p->paused = 0;
	p->state = STOPPING;
	p->ranstop = 0;
}

static void
reaped(struct proc *p, int wstat)
{
	int crashed = WIFSIGNALED(wstat);
	int code = WIFEXITED(wstat) ? WEXITSTATUS(wstat) : 0;

	p->pid = 0;
	if ((p == &svmain && firstrun && (crashed || code != 0)) ||
	    (!crashed && code == 100)) {
		p->wantup = 0;
		p->state = FAILED;
	} else if (!p->want || !p->wantup)
		p->state = STOPPED;
	pidchange(p);
	if (p == &svmain)
		firstrun = 0;
	if (p->want && p->wantup) {
		if (!flagexit)
			trystart(p);
	} else if (p->state != FAILED)
		trystop(p);
}

/* Unlike encore 1.11 (PROTOCOLS.md#encore), reap every child that is
 * ready. */
static void
reap_all(void)
{
	pid_t r;
	int wstat;

	while ((r = waitpid(-1, &wstat, WNOHANG)) > 0) {
		if (r == svmain.pid)
			reaped(&svmain, wstat);
		else if (r == svlog.pid)
			reaped(&svlog, wstat);
	}
}

static const struct {
	char	letter;
	int	sig;
} signal_letters[] = {
	{ 'a', SIGALRM }, { 'h', SIGHUP }, { 'k', SIGKILL }, { 't', SIGTERM },
	{ 'i', SIGINT }, { 'q', SIGQUIT }, { '1', SIGUSR1 }, { '2', SIGUSR2 },
	{ 'w', SIGWINCH },
};

static int
signal_for(char c)
{
	size_t i;

	for (i = 0; i < sizeof(signal_letters) / sizeof(signal_letters[0]); i++)
		if (signal_letters[i].letter == c)
			return signal_letters[i].sig;
	return 0;
}

static void
command(char c, struct proc **target, pid_t *killpid)
{
	struct proc *p = *target;
	int sig = signal_for(c);

	if (sig != 0) {
		if (*killpid)
			kill(*killpid, sig);
		return;
	}
	switch (c) {
	case '+':
		if (*killpid > 0)
			*killpid = -*killpid;
		break;
	case '=':
		if (*killpid < 0)
			*killpid = -*killpid;
		break;
	case 'L':
	case 'l':
		*target = c == 'L' ? &svlog : &svmain;
		*killpid = (*target)->pid;
		break;
	case 'd':
		p->want = 1;
		p->wantup = 0;
		if (*killpid)
			stopsvc(*killpid, p);
		else
			trystop(p);
		announce();
		break;
	case 'u':
		if (p == &svmain)
			firstrun = !svmain.wantup;
		p->want = 1;
		p->wantup = 1;
		if (!p->pid)
			p->state = STARTING;
		announce();
		if (!p->pid)
			trystart(p);
		break;
	case 'o':
		p->want = 0;
		announce();
		if (!p->pid)
			trystart(p);
		break;
	case 'p':
	case 'c':
		p->paused = c == 'p';
		announce();
		if (*killpid)
			kill(*killpid, c == 'p' ? SIGSTOP : SIGCONT);
		break;
	case 'x':
		flagexit = 1;
		announce();
		break;
	default:
		break;
	}
}

static void
read_commands(void)
{
	struct proc *target = &svmain;
	pid_t killpid = svmain.pid;
	char c;

	while (read(fdcontrol, &c, 1) == 1)
		command(c, &target, &killpid);
	if (flagexit && svmain.state == STOPPED &&
	    (svlog.state == RUNNING || svlog.state == STARTED) && svlog.pid)
		stopsvc(svlog.pid, &svlog);
}

static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGTERM || sig == SIGINT)
		(void)write(fdcontrolwrite, "dx", 2);
	else if (sig == SIGTSTP)
		(void)write(fdcontrolwrite, "p", 1);
	else if (sig == SIGCONT)
		(void)write(fdcontrolwrite, "c", 1);
	(void)write(selfpipe[1], "", 1);
	errno = saved;
}

static void
setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
}

static int
open_fifo(const char *name, int flags)
{
	if (mkfifo(svpath(name), 0600) == -1 && errno != EEXIST)
		die("mkfifo");
	return open(svpath(name), flags | O_CLOEXEC);
}

static void
setup_files(void)
{
	int fdlock;

	if (mkdir(svdir, 0700) == -1 && errno != EEXIST)
		die("mkdir supervise");
	fdstatus = open(svpath("status"), O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644);
	if (fdstatus == -1)
		die("open status");
	fdlock = open(svpath("lock"), O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600);
	if (fdlock == -1 || flock(fdlock, LOCK_EX | LOCK_NB) == -1)
		die("unable to acquire lock");
	fdcontrol = open_fifo("control", O_RDONLY | O_NONBLOCK);
	fdcontrolwrite = open_fifo("control", O_WRONLY | O_NONBLOCK);
	if (fdcontrol == -1 || fdcontrolwrite == -1)
		die("open control");
	pidchange(&svmain);
	if (open_fifo("ok", O_RDONLY | O_NONBLOCK) == -1)
		die("open ok");
}

static void
main_loop(void)
{
	struct pollfd fds[2];
	char drain[64];

	for (;;) {
		if (flagexit && !svmain.pid && !svlog.pid)
			return;
		fds[0].fd = selfpipe[0];
		fds[1].fd = fdcontrol;
		fds[0].events = fds[1].events = POLLIN;
		if (poll(fds, 2, -1) == -1 && errno != EINTR)
			die("poll");
		while (read(selfpipe[0], drain, sizeof(drain)) > 0)
			;
		reap_all();
		read_commands();
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: encore-standin dir\n");
		return 100;
	}
	if (pipe(selfpipe) == -1)
		die("pipe");
	fcntl(selfpipe[0], F_SETFL, O_NONBLOCK);
	fcntl(selfpipe[1], F_SETFL, O_NONBLOCK);
	fcntl(selfpipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(selfpipe[1], F_SETFD, FD_CLOEXEC);
	if (chdir(argv[1]) == -1)
		die("chdir");
	init_svdir();
	if (is_exec("log")) {
		if (pipe(logpipe) == -1)
			die("pipe");
		svlog.wantup = 1;
	}
	if (entry_exists("down"))
		svmain.wantup = svlog.wantup = 0;
	setup_signals();
	setup_files();
	if (!svlog.want || svlog.wantup)
		if (logpipe[0] != -1)
			trystart(&svlog);
	if (!svmain.want || svmain.wantup)
		trystart(&svmain);
	main_loop();
	announce();
	return 0;
}
