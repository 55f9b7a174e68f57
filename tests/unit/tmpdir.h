/*
 * Scratch service directories for the unit tests: real files and FIFOs
 * under a mkdtemp() directory, removed afterwards.
 */
#ifndef SVX_TEST_TMPDIR_H
#define SVX_TEST_TMPDIR_H

#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char scratch[256];

static inline const char *
scratch_path(const char *rel)
{
	static char buf[4][512];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, 512, "%s/%s", scratch, rel);
	return p;
}

static inline int
scratch_setup(void **state)
{
	(void)state;
	snprintf(scratch, sizeof(scratch), "%s/svx-unit.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(scratch) == NULL ? -1 : 0;
}

static inline int
scratch_teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static inline void
scratch_write(const char *rel, const void *data, size_t len)
{
	int fd = open(scratch_path(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd == -1 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

static inline void
scratch_mkdir(const char *rel)
{
	if (mkdir(scratch_path(rel), 0700) == -1)
		abort();
}

static inline void
scratch_fifo(const char *rel)
{
	if (mkfifo(scratch_path(rel), 0600) == -1)
		abort();
}

/* NAME/supervise/ as a supervisor leaves it: control (and, WITH_OK,
 * ok) FIFOs, a lock file, and STATUS (LEN bytes) as its status. */
static inline void
scratch_supervise(const char *name, const void *status, size_t len,
    int with_ok)
{
	static const char *const fifos[] = { "control", "ok" };
	char rel[256];
	size_t i;

	snprintf(rel, sizeof(rel), "%s/supervise", name);
	scratch_mkdir(rel);
	for (i = 0; i < (with_ok ? 2u : 1u); i++) {
		snprintf(rel, sizeof(rel), "%s/supervise/%s", name, fifos[i]);
		scratch_fifo(rel);
	}
	snprintf(rel, sizeof(rel), "%s/supervise/lock", name);
	scratch_write(rel, "", 0);
	snprintf(rel, sizeof(rel), "%s/supervise/status", name);
	scratch_write(rel, status, len);
}

#endif
