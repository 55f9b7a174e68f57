/*
 * Reading the captured status files of tests/fixtures/ (see its README).
 */
#ifndef SVX_TEST_FIXTURES_H
#define SVX_TEST_FIXTURES_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef FIXTURES
#error "FIXTURES must name the fixtures directory"
#endif

/* Bytes of FIXTURES/NAME.status into BUF; the length, or -1. */
static inline ssize_t
fixture_status(const char *name, unsigned char *buf, size_t cap)
{
	char path[512];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.status", FIXTURES, name);
	fd = open(path, O_RDONLY);
	if (fd == -1)
		return -1;
	r = read(fd, buf, cap);
	close(fd);
	return r;
}

/* The pid recorded next to the fixture, or -1. */
static inline long
fixture_pid(const char *name)
{
	char path[512];
	long pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.pid", FIXTURES, name);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = -1;
	fclose(f);
	return pid;
}

#endif
