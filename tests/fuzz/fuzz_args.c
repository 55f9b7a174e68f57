/*
 * libFuzzer target: argument parsing of svx and of every personality, as
 * they run: the input is an argument vector (NUL-separated), its first
 * byte picks the program name. Nothing may reach a supervisor or the
 * filesystem: linked with --wrap, ctl_send, kill, fork and every call
 * that would create, remove or rename a file, or change its mode or
 * group (those made through syscall(2) too), answer without acting, and
 * the monotonic clock jumps an hour per call so every wait is over at
 * once.
 * exit() returns here through longjmp. The run happens in an empty
 * directory that is also $SVDIR, so names resolve to nothing.
 * What must hold: no crash, no hang, no memory error.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <setjmp.h>
#include <time.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/adapter.h"
#include "../../shim/compat/compat.h"
#include "../../shim/personality.h"

#define MAX_ARGS	32
#define MAX_ARGV_BYTES	4096

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int LLVMFuzzerInitialize(int *, char ***);

/* The wrapped calls: declared here, defined for the linker's --wrap. */
void __wrap_exit(int) __attribute__((noreturn));
enum ctl_result __wrap_ctl_send(int, const char *);
int __wrap_kill(pid_t, int);
pid_t __wrap_fork(void);
int __wrap_unlinkat(int, const char *, int);
int __wrap_renameat(int, const char *, int, const char *);
int __wrap_mkfifoat(int, const char *, mode_t);
int __wrap_mkdirat(int, const char *, mode_t);
int __wrap_symlink(const char *, const char *);
int __wrap_symlinkat(const char *, int, const char *);
long __wrap_syscall(long, ...);
long __real_syscall(long, ...);
int __wrap_mkdir(const char *, mode_t);
int __wrap_unlink(const char *);
int __wrap_linkat(int, const char *, int, const char *, int);
int __wrap_rmdir(const char *);
int __wrap_connect(int, const struct sockaddr *, socklen_t);
struct epoll_event;
int __wrap_epoll_wait(int, struct epoll_event *, int, int);
int __wrap_openat(int, const char *, int, ...);
int __wrap_open(const char *, int, ...);
int __wrap_fchownat(int, const char *, uid_t, gid_t, int);
int __wrap_fchmodat(int, const char *, mode_t, int);
int __wrap_clock_gettime(clockid_t, struct timespec *);
int __real_clock_gettime(clockid_t, struct timespec *);
void __real_exit(int) __attribute__((noreturn));
int __real_openat(int, const char *, int, ...);
int __real_open(const char *, int, ...);

static jmp_buf out;
static int in_run;
static time_t skew;

static char names[][12] = { "svx", "svc", "svstat", "svok", "sv",
    "s6-svc", "s6-svstat", "s6-svok", "s6-svwait", "web" };

void
__wrap_exit(int code)
{
	if (!in_run)
		__real_exit(code);
	longjmp(out, code + 1);
}

enum ctl_result
__wrap_ctl_send(int svfd, const char *bytes)
{
	(void)svfd;
	(void)bytes;
	return CTL_SENT;
}

int
__wrap_kill(pid_t pid, int sig)
{
	(void)pid;
	(void)sig;
	return 0;
}

pid_t
__wrap_fork(void)
{
	errno = EAGAIN;
	return -1;
}

/* Calls that would change the filesystem: refused, as on a read-only one. */
#define REFUSED(call, params, uses)	\
int					\
__wrap_##call params			\
{					\
	uses;				\
	errno = EROFS;			\
	return -1;			\
}

REFUSED(unlinkat, (int fd, const char *name, int flags),
    (void)fd; (void)name; (void)flags)
REFUSED(renameat, (int a, const char *b, int c, const char *d),
    (void)a; (void)b; (void)c; (void)d)
REFUSED(mkfifoat, (int fd, const char *name, mode_t mode),
    (void)fd; (void)name; (void)mode)
REFUSED(mkdirat, (int fd, const char *name, mode_t mode),
    (void)fd; (void)name; (void)mode)
REFUSED(symlink, (const char *target, const char *name),
    (void)target; (void)name)
REFUSED(mkdir, (const char *name, mode_t mode), (void)name; (void)mode)
REFUSED(unlink, (const char *name), (void)name)
REFUSED(linkat, (int a, const char *b, int c, const char *d, int e),
    (void)a; (void)b; (void)c; (void)d; (void)e)
REFUSED(rmdir, (const char *name), (void)name)
REFUSED(symlinkat, (const char *target, int fd, const char *name),
    (void)target; (void)fd; (void)name)

/*
 * The calls made through syscall(2): renameat2 (svx new's rename that
 * never replaces) refused, openat2 refused when it would create or
 * truncate (journal files), the rest (getdents64, close_range,
 * pidfd_open) made. Every Linux system call takes at most six word-sized
 * arguments, passed on as they came.
 */
long
__wrap_syscall(long n, ...)
{
	const struct open_how *how;
	long a[6];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	how = (const struct open_how *)a[2];
	if (n == SYS_renameat2 || (n == SYS_openat2 && how != NULL &&
	    (how->flags & (O_CREAT | O_TRUNC)) != 0)) {
		errno = EROFS;
		return -1;
	}
	return __real_syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* No supervisord answers: a real one on this machine is left alone. */
int
__wrap_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	(void)fd;
	(void)sa;
	(void)len;
	errno = ENOENT;
	return -1;
}

/* svx watch --all waits for services to come, forever: not here. */
int
__wrap_epoll_wait(int ep, struct epoll_event *evs, int n, int timeout)
{
	(void)ep;
	(void)evs;
	(void)n;
	(void)timeout;
	errno = EBADF;
	return -1;
}

/* Opening is allowed (probes open FIFOs write-only); creating is not. */
int
__wrap_openat(int fd, const char *name, int flags, ...)
{
	if (flags & (O_CREAT | O_TRUNC)) {
		errno = EROFS;
		return -1;
	}
	return __real_openat(fd, name, flags);
}

int
__wrap_open(const char *name, int flags, ...)
{
	if (flags & (O_CREAT | O_TRUNC)) {
		errno = EROFS;
		return -1;
	}
	return __real_open(name, flags);
}

/* svx perms: no mode or group is changed. */
int
__wrap_fchownat(int fd, const char *name, uid_t uid, gid_t gid, int flags)
{
	(void)fd;
	(void)name;
	(void)uid;
	(void)gid;
	(void)flags;
	errno = EROFS;
	return -1;
}

int
__wrap_fchmodat(int fd, const char *name, mode_t mode, int flags)
{
	(void)fd;
	(void)name;
	(void)mode;
	(void)flags;
	errno = EROFS;
	return -1;
}

/* The monotonic clock jumps an hour a call: every deadline has passed. */
int
__wrap_clock_gettime(clockid_t clk, struct timespec *ts)
{
	int r = __real_clock_gettime(clk, ts);

	if (r == 0 && clk == CLOCK_MONOTONIC && in_run) {
		skew += 3600;
		ts->tv_sec += skew;
	}
	return r;
}

static char dir[PATH_MAX];

static void
remove_dir(void)
{
	(void)rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int null;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/svx-fuzz-args.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL || chdir(dir) == -1)
		abort();
	atexit(remove_dir);
	setenv("SVDIR", dir, 1);
	/* No supervisord may be reached: a socket path where none is. */
	setenv("SVX_SUPERVISORD_SOCKET", "/nonexistent/svx-fuzz.sock", 1);
	unsetenv("SVX_SCANDIRS");
	unsetenv("SUPERVISEDIR");
	if ((null = __real_open("/dev/null", O_WRONLY)) == -1 ||
	    dup2(null, STDOUT_FILENO) == -1)
		abort();
	close(null);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[MAX_ARGV_BYTES + 1];
	char *argv[MAX_ARGS + 1];
	const struct personality *p;
	size_t i, start;
	int argc = 1;

	if (size < 1 || size > MAX_ARGV_BYTES)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	argv[0] = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	for (i = 0, start = 0; i < size && argc < MAX_ARGS; i++)
		if (i == size - 1 || buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	argv[argc] = NULL;
	optind = 0;		/* glibc: start getopt_long afresh */
	opterr = 1;
	p = find_personality(argv[0]);
	in_run = 1;
	if (setjmp(out) == 0) {
		if (p == NULL)
			(void)sv_main(argc, argv);
		else {
			setprogname(p->name);
			(void)p->main(argc, argv);
		}
	}
	in_run = 0;
	fflush(stdout);
	clearerr(stdout);
	return 0;
}
