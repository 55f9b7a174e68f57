/*
 * svx backend-env [SERVICE]: the SVC_BACKEND file of the supervision
 * framework (tokiclover's; its sv-config writes one per backend, and its
 * scripts source it), for the backend found on this machine: the one
 * supervising SERVICE, else the running scanners'. The commands are svx
 * and its personalities, so the file stays right after a migration.
 * The table of words is mappings/backend_env.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../adapters/scanner.h"
#include "shim.h"

/* svx's own absolute path: the file sourced later must not rely on PATH. */
static int
self_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* DIR/NAME when it is executable, into BUF. */
static int
executable_in(char *buf, size_t len, const char *dir, size_t dirlen,
    const char *name)
{
	if (snprintf(buf, len, "%.*s/%s", (int)dirlen, dir, name) >= (int)len)
		return 0;
	return access(buf, X_OK) == 0;
}

/* A personality next to svx: build/compat/, or PREFIX/lib/svx/compat/. */
static void
personality_path(char *buf, size_t len, const char *self, const char *name)
{
	static const char *const places[] = { "compat", "../lib/svx/compat" };
	const char *slash = strrchr(self, '/');
	char rel[PATH_MAX];
	size_t i, dirlen = slash != NULL ? (size_t)(slash - self) : 0;

	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		snprintf(rel, sizeof(rel), "%s/%s", places[i], name);
		if (executable_in(buf, len, self, dirlen, rel))
			return;
	}
	strlcpy(buf, name, len);	/* not installed: PATH decides */
}

/* NAME's absolute path from PATH, as sv-config finds it; else NAME. */
static void
program_path(char *buf, size_t len, const char *name)
{
	const char *path = getenv("PATH"), *p, *end;

	if (path == NULL)
		path = "/usr/bin:/bin:/usr/sbin:/sbin";
	for (p = path; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && executable_in(buf, len, p, (size_t)(end - p),
		    name))
			return;
	}
	strlcpy(buf, name, len);
}

static enum svx_backend
backend_of_scanners(void)
{
	struct scanner_proc procs[SCANNERS_MAX];
	size_t i, n = scanner_processes(procs, SCANNERS_MAX);

	for (i = 0; i < n; i++)
		if (scanner_backend(procs[i].kind) != BACKEND_UNKNOWN)
			return scanner_backend(procs[i].kind);
	return BACKEND_UNKNOWN;
}

static enum svx_backend
backend_of_service(const char *name, const char *svdir,
    const char *supervisedir)
{
	struct svx_service sv;
	char path[PATH_MAX];
	enum svx_backend b;

	if (resolve_service(name, svdir, path, sizeof(path)) == -1 ||
	    service_open(AT_FDCWD, path, supervisedir, &sv) == -1) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), name,
		    strerror(errno));
		return BACKEND_UNKNOWN;
	}
	b = sv.det.verdict == VERDICT_SUPERVISED ? sv.det.backend :
	    BACKEND_UNKNOWN;
	if (b == BACKEND_UNKNOWN)
		fprintf(stderr, "%s: %s: not supervised: no backend to "
		    "describe\n", getprogname(), name);
	service_close(&sv);
	return b;
}

static void
print_program(const char *var, const char *name, const char *args)
{
	char buf[PATH_MAX];

	program_path(buf, sizeof(buf), name);
	printf("%s='%s%s'\n", var, buf, args != NULL ? args : "");
}

static void
print_file(enum svx_backend b, const char *self)
{
	const struct env_backend *e = &backend_env_programs[b];
	const struct svx_adapter *a = adapter_for(b);
	char buf[PATH_MAX];
	size_t i;

	printf("# SVC_BACKEND for the supervision framework, by svx "
	    "backend-env.\n# Backend found: %s. Commands go through svx, "
	    "which works on\n# whichever supervisor owns a directory; "
	    "timeouts are in seconds.\n", e->name);
	printf("__SV_NAM__='%s'\n", e->name);
	print_program("__SV_CMD__", e->scanner, NULL);
	printf("__SVCCMD__='%s'\n", self);
	personality_path(buf, sizeof(buf), self, e->check);
	printf("__CHKCMD__='%s%s'\n", buf, e->check_args);
	personality_path(buf, sizeof(buf), self, e->status);
	printf("__STACMD__='%s'\n", buf);
	print_program("__LOGCMD__", e->logger, NULL);
	if (e->rescan != NULL) {
		char prog[64];

		strlcpy(prog, e->rescan, sizeof(prog));
		prog[strcspn(prog, " ")] = '\0';
		print_program("__SCANCMD__", prog, e->rescan + strlen(prog));
	}
	for (i = 0; i < backend_env_nwords; i++)
		if (a->ctl[backend_env_words[i].verb] != NULL)
			printf("%s='%s'\n", backend_env_words[i].var,
			    verb_names[backend_env_words[i].verb]);
	printf("__SIGWTUP__='-w ${SVC_TIMEOUT_UP:-${SV_TIMEOUT_UP:-10}} up'\n");
	printf("__SIGWDWN__='-w ${SVC_TIMEOUT_DOWN:-${SV_TIMEOUT_DOWN:-30}} "
	    "down'\n");
}

enum svx_outcome
backend_env(int n, char **args, const char *svdir, const char *supervisedir)
{
	char self[PATH_MAX];
	enum svx_backend b;

	if (n > 1) {
		fprintf(stderr, "%s: backend-env: one service at most\n",
		    getprogname());
		return OUT_USAGE;
	}
	if (n == 1)
		b = backend_of_service(args[0], svdir, supervisedir);
	else if ((b = backend_of_scanners()) == BACKEND_UNKNOWN)
		fprintf(stderr, "%s: backend-env: no svscan, runsvdir or "
		    "s6-svscan runs; name a service: svx backend-env "
		    "SERVICE\n", getprogname());
	if (b == BACKEND_UNKNOWN)
		return OUT_NOT_SUPERVISED;
	if (self_path(self, sizeof(self)) == -1)
		strlcpy(self, "svx", sizeof(self));
	print_file(b, self);
	return OUT_OK;
}
