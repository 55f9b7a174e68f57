/*
 * svx backend-env [SV-CONFIG | SVC_BACKEND] [SERVICE]: the backend file
 * of the supervision framework (tokiclover's; its sv-config writes one
 * per backend, and its scripts source it), in today's layout (SV-CONFIG)
 * or the one before mid-2018 (SVC_BACKEND), for the backend found on this
 * machine: the one supervising SERVICE, else the running scanners'. The
 * commands are svx and its personalities, so the file stays right after
 * a migration. The tables are mappings/env_words.c.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/engine/scanner.h"
#include "../common/output.h"
#include "../common/resolve.h"
#include "svx.h"

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

/* The layout whose file NAME is, into *L: 1, or 0 when none is. */
static int
layout_named(const char *name, enum env_layout *l)
{
	size_t i;

	for (i = 0; i < LAYOUT_COUNT; i++)
		if (strcmp(name, backend_env_layouts[i].file) == 0) {
			*l = (enum env_layout)i;
			return 1;
		}
	return 0;
}

/*
 * Scanners of several backends, or of one whose rescan names its scan
 * directory on several: which one the framework means is the user's to
 * say, not a guess from /proc's order.
 */
static enum svx_outcome
refuse(const char *why, const struct scanner_proc *procs, size_t n)
{
	char buf[2048], dir[PATH_MAX];
	struct text t;
	size_t i;

	text_init(&t, buf, sizeof(buf));
	for (i = 0; i < n; i++) {
		text_add(&t, "%s%s: ", i > 0 ? ", " : "",
		    backend_env_programs[scanner_backend(procs[i].kind)].name);
		if (scanner_dir(procs[i].pid, dir, sizeof(dir)) == 0)
			text_name(&t, dir);
		else
			text_add(&t, "pid %ld", (long)procs[i].pid);
	}
	fprintf(stderr, "%s: backend-env: %s (%s); name a SERVICE\n",
	    getprogname(), why, buf);
	return OUT_USAGE;
}

/* The running scanners' backend, and the scan directory if it needs it. */
static enum svx_outcome
backend_of_scanners(enum svx_backend *b, char *dir, size_t len)
{
	struct scanner_proc procs[SCANNERS_MAX];
	size_t i, n = scanner_processes(procs, SCANNERS_MAX);
	char why[64];

	if (n == 0) {
		fprintf(stderr, "%s: backend-env: no svscan, runsvdir or "
		    "s6-svscan runs; name a service: svx backend-env "
		    "SERVICE\n", getprogname());
		return OUT_NOT_SUPERVISED;
	}
	*b = scanner_backend(procs[0].kind);
	for (i = 1; i < n; i++)
		if (scanner_backend(procs[i].kind) != *b)
			return refuse("scanners of several backends run", procs,
			    n);
	if (!backend_env_programs[*b].rescan_dir)
		return OUT_OK;
	if (n > 1) {
		snprintf(why, sizeof(why), "%s runs on several directories",
		    backend_env_programs[*b].scanner);
		return refuse(why, procs, n);
	}
	if (scanner_dir(procs[0].pid, dir, len) == -1)
		dir[0] = '\0';
	return OUT_OK;
}

/* SERVICE's backend, and its scanner's directory if the rescan needs it. */
static enum svx_outcome
backend_of_service(const char *name, const char *svdir,
    const char *supervisedir, enum svx_backend *b, char *dir, size_t len)
{
	struct svx_service sv;
	char path[PATH_MAX];
	pid_t pid;

	if (resolve_service(name, svdir, path, sizeof(path)) == -1 ||
	    service_open(AT_FDCWD, path, supervisedir, &sv) == -1) {
		fprintf(stderr, "%s: %s: %s\n", getprogname(), name,
		    strerror(errno));
		return OUT_NOT_SUPERVISED;
	}
	*b = sv.det.verdict == VERDICT_SUPERVISED ? sv.det.backend :
	    BACKEND_UNKNOWN;
	service_close(&sv);
	if (*b == BACKEND_UNKNOWN) {
		fprintf(stderr, "%s: %s: not supervised: no backend to "
		    "describe\n", getprogname(), name);
		return OUT_NOT_SUPERVISED;
	}
	if (backend_env_programs[*b].rescan_dir &&
	    (pid = scanner_of_service(path, *b)) != 0 &&
	    scanner_dir(pid, dir, len) == -1)
		dir[0] = '\0';
	return OUT_OK;
}

/* VAR='VALUE', VALUE kept whole by sh's single quotes. */
static void
put_var(const char *var, const char *value)
{
	printf("%s='", var);
	for (; *value != '\0'; value++)
		if (*value == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*value);
	fputs("'\n", stdout);
}

static void
print_program(const char *var, const char *name, const char *args)
{
	char buf[PATH_MAX], value[PATH_MAX + 128];

	program_path(buf, sizeof(buf), name);
	snprintf(value, sizeof(value), "%s%s", buf, args);
	put_var(var, value);
}

/*
 * DIR as one word for the framework's `eval ${__SCANCMD__}`: what the
 * shell would read as syntax goes behind a backslash, which word
 * splitting keeps with the byte it guards. A control byte would not come
 * through the splitting whole: -1.
 */
static int
eval_word(char *out, size_t len, const char *dir)
{
	static const char plain[] = "/._-+,:@%=";
	const unsigned char *p = (const unsigned char *)dir;
	size_t o = 0;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return -1;
		if (*p < 0x80 && !isalnum(*p) && strchr(plain, *p) == NULL)
			out[o++] = '\\';
		out[o++] = (char)*p;
		if (o + 2 >= len)
			return -1;
	}
	out[o] = '\0';
	return 0;
}

/*
 * The rescan sv-config writes, on the scan directory of the backend's
 * running scanner; where none was found, on the framework's own run
 * directory, as sv-config writes it.
 */
static void
print_rescan(const struct env_backend *e, const struct env_layout_row *l,
    const char *scandir)
{
	char prog[PATH_MAX], word[2 * PATH_MAX], value[4 * PATH_MAX];

	program_path(prog, sizeof(prog), e->rescan);
	word[0] = '\0';
	if (e->rescan_dir && (scandir[0] == '\0' ||
	    eval_word(word, sizeof(word), scandir) == -1)) {
		if (scandir[0] != '\0')
			fprintf(stderr, "%s: backend-env: the scan directory "
			    "has a control character: rescan on %s\n",
			    getprogname(), l->rundir);
		strlcpy(word, l->rundir, sizeof(word));
	}
	snprintf(value, sizeof(value), "%s%s%s%s", prog, e->rescan_args,
	    e->rescan_dir ? " " : "", word);
	put_var("__SCANCMD__", value);
}

static void
print_file(enum svx_backend b, enum env_layout layout, const char *self,
    const char *scandir)
{
	const struct env_backend *e = &backend_env_programs[b];
	const struct env_layout_row *l = &backend_env_layouts[layout];
	const struct svx_adapter *a = adapter_for(b);
	char buf[PATH_MAX], value[PATH_MAX + 64];
	size_t i;

	printf("# %s for the supervision framework, by svx backend-env;\n"
	    "# the framework reads it as %s.\n# Backend found: %s. "
	    "Commands go through svx, which works on\n# whichever "
	    "supervisor owns a directory; timeouts are in seconds.\n",
	    l->file, l->where, e->name);
	put_var("__SV_NAM__", e->name);
	print_program("__SV_CMD__", e->scanner, "");
	put_var("__SVCCMD__", self);
	personality_path(buf, sizeof(buf), self, e->check);
	snprintf(value, sizeof(value), "%s%s", buf, e->check_args);
	put_var("__CHKCMD__", value);
	personality_path(buf, sizeof(buf), self, e->status);
	put_var("__STACMD__", buf);
	print_program("__LOGCMD__", e->logger, "");
	if (e->precmd != NULL)
		print_program("__PRECMD__", e->precmd, "");
	if (e->rescan != NULL)
		print_rescan(e, l, scandir);
	for (i = 0; i < backend_env_nwords; i++)
		if ((backend_env_words[i].layouts & LAYOUT_BIT(layout)) != 0 &&
		    a->ctl[backend_env_words[i].verb] != NULL)
			put_var(backend_env_words[i].var,
			    verb_names[backend_env_words[i].verb]);
	put_var("__SIGWTUP__", l->wait_up);
	put_var("__SIGWDWN__", l->wait_down);
}

enum svx_outcome
backend_env(int n, char **args, const char *svdir, const char *supervisedir)
{
	char self[PATH_MAX], scandir[PATH_MAX];
	enum env_layout layout = LAYOUT_CURRENT;
	enum svx_backend b = BACKEND_UNKNOWN;
	enum svx_outcome out;

	if (n > 0 && layout_named(args[0], &layout)) {
		n--;
		args++;
	}
	if (n > 1) {
		fprintf(stderr, "%s: backend-env: one service at most\n",
		    getprogname());
		return OUT_USAGE;
	}
	scandir[0] = '\0';
	out = n == 1 ? backend_of_service(args[0], svdir, supervisedir, &b,
	    scandir, sizeof(scandir)) :
	    backend_of_scanners(&b, scandir, sizeof(scandir));
	if (out != OUT_OK)
		return out;
	if (self_path(self, sizeof(self)) == -1)
		strlcpy(self, "svx", sizeof(self));
	print_file(b, layout, self, scandir);
	return OUT_OK;
}
