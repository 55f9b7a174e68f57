/*
 * libFuzzer target: detection, status and probe output over a service
 * directory built from the input. The first two bytes choose the shape
 * (what supervise/ok, control and lock are, whether svx's process holds
 * a FIFO's read end as a live supervisor would, down, log/, a dangling
 * supervise symlink); the rest is supervise/status. What must hold: no
 * crash, no hang, and a state shown only from a status that unpacks.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../shim/common/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char root[PATH_MAX];
static int rootfd = -1;

enum node { NODE_NONE, NODE_FIFO, NODE_FILE, NODE_DIR };

static void
remove_root(void)
{
	static const char *const files[] = { "svc/supervise/ok",
	    "svc/supervise/control", "svc/supervise/lock",
	    "svc/supervise/status", "svc/down" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		(void)unlinkat(rootfd, files[i], 0);
	(void)unlinkat(rootfd, "svc/supervise", AT_REMOVEDIR);
	(void)unlinkat(rootfd, "svc/supervise", 0);	/* the symlink */
	(void)unlinkat(rootfd, "svc/log", AT_REMOVEDIR);
	(void)unlinkat(rootfd, "svc", AT_REMOVEDIR);
	(void)rmdir(root);
}

static void
setup_root(void)
{
	if (rootfd != -1)
		return;
	snprintf(root, sizeof(root), "%s/svx-fuzz-detect.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(root) == NULL || (rootfd = open(root, O_RDONLY |
	    O_DIRECTORY)) == -1)
		abort();
	atexit(remove_root);
}

static void
remove_node(int dfd, const char *name)
{
	if (unlinkat(dfd, name, 0) == -1 && errno == EISDIR)
		(void)unlinkat(dfd, name, AT_REMOVEDIR);
	else if (errno == EPERM)
		(void)unlinkat(dfd, name, AT_REMOVEDIR);
}

static void
make_node(int dfd, const char *name, enum node kind)
{
	int fd;

	remove_node(dfd, name);
	switch (kind) {
	case NODE_FIFO:
		(void)mkfifoat(dfd, name, 0600);
		break;
	case NODE_FILE:
		if ((fd = openat(dfd, name, O_WRONLY | O_CREAT, 0600)) != -1)
			close(fd);
		break;
	case NODE_DIR:
		(void)mkdirat(dfd, name, 0700);
		break;
	default:
		break;
	}
}

static void
write_status(int svfd, const uint8_t *data, size_t size)
{
	int fd;

	remove_node(svfd, "status");
	if ((fd = openat(svfd, "status", O_WRONLY | O_CREAT, 0600)) == -1)
		return;
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

static void
exercise(const char *path)
{
	struct svx_service sv, log;
	char buf[PATH_MAX + 512];
	struct text t;
	FILE *null;
	int has_log;

	if (service_open(AT_FDCWD, path, NULL, &sv) == -1)
		return;
	has_log = service_open_log(&sv, path, NULL, &log) == 1;
	if (sv.status_ok && (sv.st.main.state >= STATE_COUNT ||
	    sv.st.main.pid < 0))
		abort();
	text_init(&t, buf, sizeof(buf));
	format_status_line(&t, "fuzz\x1b[31m", &sv, has_log ? &log : NULL, 0);
	if ((null = fopen("/dev/null", "w")) != NULL) {
		print_probe(null, "fuzz", path, &sv, has_log ? &log : NULL);
		fclose(null);
	}
	if (strchr(buf, '\x1b') != NULL)
		abort();	/* names are escaped */
	if (has_log)
		service_close(&log);
	service_close(&sv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum node kinds[] = { NODE_NONE, NODE_FIFO, NODE_FILE,
	    NODE_DIR };
	char path[PATH_MAX];
	int svcfd, svfd, rd = -1, rd2 = -1;

	if (size < 2)
		return 0;
	setup_root();
	(void)mkdirat(rootfd, "svc", 0700);
	if ((svcfd = openat(rootfd, "svc", O_RDONLY | O_DIRECTORY)) == -1)
		abort();
	remove_node(svcfd, "supervise");
	if (data[1] & 0x80) {
		/* A dangling supervise symlink. */
		(void)symlinkat("nowhere", svcfd, "supervise");
		svfd = -1;
	} else {
		(void)mkdirat(svcfd, "supervise", 0700);
		svfd = openat(svcfd, "supervise", O_RDONLY | O_DIRECTORY);
	}
	if (svfd != -1) {
		make_node(svfd, "ok", kinds[data[0] & 3]);
		make_node(svfd, "control", kinds[(data[0] >> 2) & 3]);
		make_node(svfd, "lock", (data[0] >> 4) & 1 ? NODE_FILE :
		    NODE_NONE);
		write_status(svfd, data + 2, size - 2);
		/* A reader on a FIFO: what a live supervisor looks like. */
		if (data[0] & 0x40)
			rd = openat(svfd, "ok", O_RDONLY | O_NONBLOCK);
		if (data[0] & 0x80)
			rd2 = openat(svfd, "control", O_RDONLY | O_NONBLOCK);
	}
	make_node(svcfd, "down", data[1] & 1 ? NODE_FILE : NODE_NONE);
	make_node(svcfd, "log", data[1] & 2 ? NODE_DIR : NODE_NONE);
	snprintf(path, sizeof(path), "%s/svc", root);
	exercise(path);
	if (rd != -1)
		close(rd);
	if (rd2 != -1)
		close(rd2);
	if (svfd != -1) {
		remove_node(svfd, "ok");
		remove_node(svfd, "control");
		remove_node(svfd, "lock");
		remove_node(svfd, "status");
		close(svfd);
	}
	close(svcfd);
	return 0;
}
