/*
 * reaper CMD [ARG...]: run CMD as a child subreaper (Linux), so every
 * process a test orphans is re-parented here and reaped at once instead
 * of lingering as a zombie of PID 1. When CMD ends, anything still
 * running below us was leaked by a test: it is killed by pid, reported,
 * and the run fails. Exit status: CMD's, or 1 if anything leaked.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The parent of a live process; -1 for zombies, already dying. */
static pid_t
parent_of(const char *pid)
{
	char path[300], buf[512], *p, state = 'Z';
	FILE *f;
	long ppid = -1;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL)
		sscanf(p + 1, " %c %ld", &state, &ppid);
	fclose(f);
	return state == 'Z' ? -1 : (pid_t)ppid;
}

/* Kill our live children by pid; how many there were. */
/* The leaked process's command line, for the report. */
static void
describe(const char *pid, char *buf, size_t len)
{
	char path[300];
	ssize_t r, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r < 0)
		r = 0;
	for (i = 0; i < r; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[r] = '\0';
}

static int
kill_children(void)
{
	char what[256];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (parent_of(de->d_name) != getpid())
			continue;
		describe(de->d_name, what, sizeof(what));
		if (kill((pid_t)atol(de->d_name), SIGKILL) == 0) {
			fprintf(stderr, "reaper: killed leaked pid %s (%s)\n",
			    de->d_name, what);
			n++;
		}
	}
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	int status = 0, code, leaked = 0, rounds;
	pid_t child, r;

	if (argc < 2) {
		fprintf(stderr, "usage: reaper cmd [arg...]\n");
		return 100;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		perror("reaper: PR_SET_CHILD_SUBREAPER");
	if ((child = fork()) == -1)
		return 111;
	if (child == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	while ((r = waitpid(-1, &status, 0)) != child)
		if (r == -1 && errno != EINTR)
			return 111;
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	/* Orphans may still be forking; a few rounds catch the stragglers. */
	for (rounds = 0; rounds < 5; rounds++) {
		int n = kill_children();

		leaked += n;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (n == 0)
			break;
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
	if (leaked > 0) {
		fprintf(stderr, "reaper: %d process(es) leaked by %s\n", leaked,
		    argv[1]);
		return code != 0 ? code : 1;
	}
	return code;
}
