/*
 * Writing to supervise/control: only ever to a FIFO verified on the open
 * descriptor, never blocking, and with the right diagnosis when there is
 * no reader, a full pipe, or something else in its place.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../adapters/adapter.h"
#include "tmpdir.h"

static int
svdir(const char *name)
{
	int fd;

	scratch_mkdir(name);
	fd = open(scratch_path(name), O_RDONLY | O_DIRECTORY);
	assert_true(fd != -1);
	return fd;
}

static void
test_reader_gets_bytes(void **state)
{
	char buf[8];
	int fd, reader;

	(void)state;
	fd = svdir("a");
	scratch_fifo("a/control");
	reader = open(scratch_path("a/control"), O_RDONLY | O_NONBLOCK);
	assert_int_equal(ctl_send(fd, "dx"), CTL_SENT);
	assert_int_equal(read(reader, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "dx", 2);
	assert_int_equal(fifo_has_reader(fd, "control"), 1);
	close(reader);
	assert_int_equal(ctl_send(fd, "u"), CTL_NOT_RUNNING);
	assert_int_equal(fifo_has_reader(fd, "control"), 0);
	close(fd);
}

static void
test_missing(void **state)
{
	int fd;

	(void)state;
	fd = svdir("b");
	assert_int_equal(ctl_send(fd, "u"), CTL_MISSING);
	assert_int_equal(fifo_has_reader(fd, "ok"), -1);
	assert_int_equal(errno, ENOENT);
	close(fd);
}

/* A stopped supervisor's FIFO fills up: EAGAIN, never a hang. */
static void
test_full_fifo(void **state)
{
	char junk[4096];
	int fd, reader, writer;

	(void)state;
	fd = svdir("c");
	scratch_fifo("c/control");
	reader = open(scratch_path("c/control"), O_RDONLY | O_NONBLOCK);
	writer = open(scratch_path("c/control"), O_WRONLY | O_NONBLOCK);
	memset(junk, 'h', sizeof(junk));
	while (write(writer, junk, sizeof(junk)) > 0)
		;
	assert_int_equal(ctl_send(fd, "u"), CTL_NOT_RESPONDING);
	close(writer);
	close(reader);
	close(fd);
}

static void
assert_unchanged(const char *rel)
{
	char buf[32];
	ssize_t r;
	int f;

	f = open(scratch_path(rel), O_RDONLY);
	assert_true(f != -1);
	r = read(f, buf, sizeof(buf));
	close(f);
	assert_int_equal(r, 8);
	assert_memory_equal(buf, "original", 8);
}

static void
test_not_fifo(void **state)
{
	int fd;

	(void)state;
	fd = svdir("d");
	scratch_write("d/control", "original", 8);
	assert_int_equal(ctl_send(fd, "dx"), CTL_NOT_FIFO);
	assert_unchanged("d/control");
	assert_int_equal(fifo_has_reader(fd, "control"), -2);
	close(fd);

	fd = svdir("e");
	scratch_write("target", "original", 8);
	assert_int_equal(symlink(scratch_path("target"),
	    scratch_path("e/control")), 0);
	assert_int_equal(ctl_send(fd, "dx"), CTL_NOT_FIFO);
	assert_unchanged("target");
	close(fd);

	fd = svdir("f");
	scratch_mkdir("f/control");
	assert_int_equal(ctl_send(fd, "dx"), CTL_NOT_FIFO);
	close(fd);
}

static void
test_bad_payload(void **state)
{
	int fd;

	(void)state;
	fd = svdir("g");
	scratch_fifo("g/control");
	assert_int_equal(ctl_send(fd, ""), CTL_ERROR);
	assert_int_equal(ctl_send(fd,
	    "0123456789012345678901234567890123456789"), CTL_ERROR);
	close(fd);
}

static void
test_lock_free(void **state)
{
	pid_t holder = 0;
	int fd;

	(void)state;
	fd = svdir("h");
	assert_int_equal(lock_holder(fd, &holder), -1);
	scratch_write("h/lock", "", 0);
	assert_int_equal(lock_holder(fd, &holder), 0);
	assert_int_equal(adapter_s6.alive(fd, &holder), 0);
	close(fd);
}

/* A lock that is not a regular file is never opened: a FIFO, a link to
 * a device, a directory; the batch's path form the same. */
static void
test_lock_not_plain(void **state)
{
	pid_t holder = 0;
	int fd, top;

	(void)state;
	fd = svdir("l1");
	scratch_fifo("l1/lock");
	errno = 0;
	assert_int_equal(lock_holder(fd, &holder), -1);
	assert_int_equal(errno, ENOTPLAIN);
	close(fd);
	fd = svdir("l2");
	assert_int_equal(symlink("/dev/null", scratch_path("l2/lock")), 0);
	errno = 0;
	assert_int_equal(lock_holder(fd, &holder), -1);
	assert_int_equal(errno, ENOTPLAIN);
	close(fd);
	fd = svdir("l3");
	scratch_mkdir("l3/lock");
	errno = 0;
	assert_int_equal(lock_holder(fd, &holder), -1);
	assert_int_equal(errno, ENOTPLAIN);
	close(fd);
	top = open(scratch_path("."), O_RDONLY | O_DIRECTORY);
	assert_true(top >= 0);
	errno = 0;
	assert_int_equal(lock_holder_at(top, "l1/lock", &holder), -1);
	assert_int_equal(errno, ENOTPLAIN);
	scratch_write("l4-lock", "", 0);
	assert_int_equal(lock_holder_at(top, "l4-lock", &holder), 0);
	close(top);
}

static void
test_alive_by_ok(void **state)
{
	pid_t pid = 1;
	int fd, reader;

	(void)state;
	fd = svdir("i");
	assert_int_equal(adapter_runit.alive(fd, &pid), -1);
	scratch_fifo("i/ok");
	assert_int_equal(adapter_daemontools.alive(fd, &pid), 0);
	reader = open(scratch_path("i/ok"), O_RDONLY | O_NONBLOCK);
	assert_int_equal(adapter_encore.alive(fd, &pid), 1);
	assert_int_equal(pid, 0);
	close(reader);
	close(fd);
}

static void
on_usr1(int sig)
{
	(void)sig;
}

/* /proc facts about ourselves: what the scanner kick and waits rely on. */
static void
test_process_facts(void **state)
{
	char self[24], comm[32], line[4096];
	int fds[4], given[4], i, keep, swap;
	ssize_t n;

	(void)state;
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_DFL);
	assert_int_equal(process_catches(getpid(), SIGUSR1), 1);
	assert_int_equal(process_catches(getpid(), SIGUSR2), 0);
	signal(SIGUSR1, SIG_DFL);
	assert_int_equal(process_parent(getpid()), getppid() > 1 ?
	    getppid() : 0);
	snprintf(self, sizeof(self), "%ld", (long)getpid());
	assert_int_equal(process_comm(self, comm, sizeof(comm)), 0);
	assert_string_equal(comm, "test_fifo");
	assert_int_equal(process_comm("0", comm, sizeof(comm)), -1);
	/* /proc files whole or not at all: one cut short is EFBIG. */
	assert_true((n = proc_read(self, "cmdline", line, sizeof(line))) > 4);
	assert_int_equal(proc_read(self, "cmdline", line, (size_t)n + 1), n);
	errno = 0;
	assert_int_equal(proc_read(self, "cmdline", line, (size_t)n), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(proc_read(self, "cmdline", line, 4), -1);
	/* fds_close: every one of them, given in any order; not others. */
	keep = dup(0);
	for (i = 0; i < 4; i++)
		fds[i] = dup(0);
	swap = fds[0], fds[0] = fds[3], fds[3] = swap;
	memcpy(given, fds, sizeof(given));
	fds_close(fds, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(fcntl(given[i], F_GETFD), -1);
	assert_int_not_equal(fcntl(keep, F_GETFD), -1);
	close(keep);
}

/* name_lock: one holder at a time, freed with its socket; a key too long
 * for a socket address still locks, by its hash. */
static void
test_name_lock(void **state)
{
	char key[64], longkey[400];
	int a, b, n;

	(void)state;
	snprintf(key, sizeof(key), "svx-test %ld", (long)getpid());
	assert_int_equal(name_lock(key, &a), 0);
	assert_int_equal(name_lock(key, &b), 1);
	close(a);
	assert_int_equal(name_lock(key, &b), 0);
	close(b);
	n = snprintf(longkey, sizeof(longkey), "svx-test %ld ", (long)getpid());
	memset(longkey + n, 'x', sizeof(longkey) - 1 - (size_t)n);
	longkey[sizeof(longkey) - 1] = '\0';
	assert_int_equal(name_lock(longkey, &a), 0);
	assert_int_equal(name_lock(longkey, &b), 1);
	close(a);
}

/* open_beneath, with openat2 and by steps: inside only, no symlink. */
static void
test_open_beneath(void **state)
{
	int (*const ways[])(int, const char *, int, mode_t) = {
		open_beneath, open_beneath_steps
	};
	size_t i;
	int top, fd;

	(void)state;
	top = svdir("beneath");
	assert_int_equal(mkdirat(top, "a", 0755), 0);
	assert_int_equal(mkdirat(top, "a/b", 0755), 0);
	fd = openat(top, "a/b/f", O_WRONLY | O_CREAT, 0644);
	assert_true(fd != -1);
	close(fd);
	assert_int_equal(symlinkat("b", top, "a/l"), 0);
	for (i = 0; i < 2; i++) {
		fd = ways[i](top, "a/b/f", O_RDONLY, 0);
		assert_true(fd != -1);
		close(fd);
		fd = ways[i](top, "./a//b/f", O_RDONLY, 0);
		assert_true(fd != -1);
		close(fd);
		assert_int_equal(ways[i](top, "a/l/f", O_RDONLY, 0), -1);
		assert_true(errno == ELOOP || errno == ENOTDIR);
		assert_int_equal(ways[i](top, "a/l", O_RDONLY, 0), -1);
		assert_true(errno == ELOOP || errno == ENOTDIR);
	}
	assert_int_equal(open_beneath(top, "/etc/passwd", O_RDONLY, 0), -1);
	assert_int_equal(errno, EXDEV);
	assert_int_equal(open_beneath(top, "a/../../x", O_RDONLY, 0), -1);
	assert_int_equal(errno, EXDEV);
	assert_int_equal(open_beneath(top, "..", O_RDONLY, 0), -1);
	assert_int_equal(errno, EXDEV);
	close(top);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_gets_bytes),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_full_fifo),
		cmocka_unit_test(test_not_fifo),
		cmocka_unit_test(test_bad_payload),
		cmocka_unit_test(test_lock_free),
		cmocka_unit_test(test_lock_not_plain),
		cmocka_unit_test(test_alive_by_ok),
		cmocka_unit_test(test_process_facts),
		cmocka_unit_test(test_name_lock),
		cmocka_unit_test(test_open_beneath),
	};

	return cmocka_run_group_tests_name("fifo", tests, scratch_setup,
	    scratch_teardown);
}
