/*
 * The migration's journal: DIR/.svx-migrate/journal, beside the
 * originals it keeps. It holds the plan (everything the undo needs,
 * read back without asking the old supervisor, which may be gone) and
 * one line per step, each on disk (fdatasync) before the step it
 * announces is taken. A step recorded may not have happened: every undo
 * looks at the directory before it acts. The journal goes last, after
 * the move is done or undone, so an interruption at any moment leaves
 * one behind for the same command (or --rollback) to finish with.
 *
 *   svx-migrate 1            the format
 *   from runit, to s6, want up|down|once, supervised 0|1, ...
 *   step down|hide|end|aside|write|start|commit, and what the undo
 *   needs of them: renamed FROM TO, wrapped, run-wrapped, config,
 *   made-down;
 *   the undo's own (undo.c, for both sources): target-stopped,
 *   put-back, undone;
 *   a supervisord program's move adds its own lines to the plan (sd-...).
 * A supervisord program's undo writes put-back since the undo became
 * one (undo.c); its journals from before have none, and read the same:
 * its put_back looks at the configuration before it acts.
 *
 * The directory is made under a staging name with the journal in it,
 * then renamed: it exists with a whole plan in it, or not at all.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mig.h"

#define JOURNAL		MIGRATE_JOURNAL
#define STAGING		BACKUP ".new"
#define JOURNAL_MAX	16384
#define FORMAT_LINE	"svx-migrate 1"

static const char *const place_words[] = {
	[PLACE_SCANNER] = "scanner", [PLACE_OWN] = "own",
};

/* A path is one line of the journal: none may hold a newline. */
static int
one_line(const struct migration *m)
{
	const char *const v[] = { m->path, m->parent, m->name, m->hidden,
	    m->newscan, m->where, m->log.dir };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strchr(v[i], '\n') != NULL)
			return 0;
	return 1;
}

static int
render_plan(const struct migration *m, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, FORMAT_LINE "\npid %ld\nfrom %s\nto %s\n"
	    "path %s\nparent %s\nname %s\nhidden %s\nplace %s\nnewscan %s\n"
	    "where %s\nwant %s\nsupervised %d\nlink %d\nold-scanner %d\n"
	    "files %u\nlog %d\nlog-dir %s\nrun-user %s\nlog-user %s\n",
	    (long)getpid(), m->from == BACKEND_UNKNOWN ? "supervisord" :
	    backend_name(m->from), backend_name(m->to),
	    m->path, m->parent, m->name, m->hidden, place_words[m->place],
	    m->newscan, m->where, want_name(m), m->supervised,
	    m->entry_is_link, (int)m->old_scanner, m->files, m->has_log,
	    m->log.dir, m->run_user, m->log_user);
	if (n <= 0 || (size_t)n >= len)
		return -1;
	return strlcat(buf, m->source, len) < len ? 0 : -1;
}

int
journal_begin(struct migration *m)
{
	char text[JOURNAL_MAX];
	int sfd;

	if (!one_line(m)) {
		errno = EINVAL;
		return -1;
	}
	if (render_plan(m, text, sizeof(text)) == -1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A staging directory left by an interruption holds a plan that
	 * never counted: nothing was done after it. */
	if (entry_exists(m->dirfd, STAGING) && remove_tree(m->dirfd, STAGING, 2) ==
	    -1)
		return -1;
	if (mkdirat(m->dirfd, STAGING, 0700) == -1)
		return -1;
	if ((sfd = openat(m->dirfd, STAGING, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (write_file(sfd, JOURNAL, text, 0600) == -1) {
		close(sfd);
		return -1;
	}
	close(sfd);
	if (renameat(m->dirfd, STAGING, m->dirfd, BACKUP) == -1 ||
	    fsync(m->dirfd) == -1)
		return -1;
	m->jfd = open_beneath(m->dirfd, BACKUP "/" JOURNAL,
	    O_WRONLY | O_APPEND, 0);
	return m->jfd == -1 ? -1 : 0;
}

int
journal_note(struct migration *m, const char *fmt, ...)
{
	char line[PATH_MAX + 64];
	va_list ap;
	size_t off = 0;
	ssize_t w;
	int n;

	if (m->jfd == -1)
		return 0;	/* a dry run, or none begun */
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 1) {
		errno = ENAMETOOLONG;
		return -1;
	}
	line[n++] = '\n';
	while (off < (size_t)n) {
		if ((w = write(m->jfd, line + off, (size_t)n - off)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += (size_t)w;
	}
	return fdatasync(m->jfd);
}

int
journal_resume(struct migration *m)
{
	m->jfd = open_beneath(m->dirfd, BACKUP "/" JOURNAL,
	    O_WRONLY | O_APPEND, 0);
	return m->jfd == -1 ? -1 : 0;
}

void
journal_close(struct migration *m)
{
	if (m->jfd != -1)
		close(m->jfd);
	m->jfd = -1;
}

/* ---- read back ------------------------------------------------------ */

static int
backend_named(const char *word, enum svx_backend *b)
{
	int i;

	for (i = BACKEND_UNKNOWN + 1; i < BACKEND_DIR_COUNT; i++)
		if (strcmp(word, backend_name((enum svx_backend)i)) == 0) {
			*b = (enum svx_backend)i;
			return 0;
		}
	return -1;
}

static int
flag(const char *v)
{
	return strcmp(v, "1") == 0;
}

static void
copy(char *dst, size_t len, const char *v)
{
	strlcpy(dst, v, len);
}

/* One "key value" of the plan into M: 0, or -1 when it makes no sense. */
static int
plan_line(struct migration *m, const char *k, const char *v)
{
	if (strcmp(k, "from") == 0 && strcmp(v, "supervisord") == 0) {
		m->from = BACKEND_UNKNOWN;	/* a program, not a directory */
		return 0;
	}
	if (strcmp(k, "from") == 0)
		return backend_named(v, &m->from);
	if (strcmp(k, "to") == 0)
		return backend_named(v, &m->to);
	if (strcmp(k, "path") == 0)
		copy(m->path, sizeof(m->path), v);
	else if (strcmp(k, "parent") == 0)
		copy(m->parent, sizeof(m->parent), v);
	else if (strcmp(k, "name") == 0)
		copy(m->name, sizeof(m->name), v);
	else if (strcmp(k, "hidden") == 0)
		copy(m->hidden, sizeof(m->hidden), v);
	else if (strcmp(k, "place") == 0)
		m->place = strcmp(v, "own") == 0 ? PLACE_OWN : PLACE_SCANNER;
	else if (strcmp(k, "newscan") == 0)
		copy(m->newscan, sizeof(m->newscan), v);
	else if (strcmp(k, "where") == 0)
		copy(m->where, sizeof(m->where), v);
	else if (strcmp(k, "want") == 0) {
		m->want_up = strcmp(v, "up") == 0;
		m->once = strcmp(v, "once") == 0;
	} else if (strcmp(k, "supervised") == 0)
		m->supervised = flag(v);
	else if (strcmp(k, "link") == 0)
		m->entry_is_link = flag(v);
	else if (strcmp(k, "old-scanner") == 0)
		m->old_scanner = (enum scanner_kind)atoi(v);
	else if (strcmp(k, "files") == 0)
		m->files = (unsigned int)strtoul(v, NULL, 10);
	else if (strcmp(k, "log") == 0)
		m->has_log = flag(v);
	else if (strcmp(k, "log-dir") == 0)
		copy(m->log.dir, sizeof(m->log.dir), v);
	/* Names that go into a script and a setuid: checked again. */
	else if (strcmp(k, "run-user") == 0 || strcmp(k, "log-user") == 0) {
		if (v[0] != '\0' && !run_user_name_ok(v))
			return -1;
		copy(k[0] == 'r' ? m->run_user : m->log_user,
		    sizeof(m->run_user), v);
	}
	else if (strncmp(k, "sd-", 3) == 0 &&
	    (strlcat(m->source, k, sizeof(m->source)) >= sizeof(m->source) ||
	    strlcat(m->source, " ", sizeof(m->source)) >= sizeof(m->source) ||
	    strlcat(m->source, v, sizeof(m->source)) >= sizeof(m->source) ||
	    strlcat(m->source, "\n", sizeof(m->source)) >= sizeof(m->source)))
		return -1;
	return 0;
}

/* One step line: what has (maybe) been done, for the undo. */
static void
step_line(struct migration *m, const char *k, const char *v)
{
	if (strcmp(k, "step") == 0) {
		copy(m->last_step, sizeof(m->last_step), v);
		m->hid |= strcmp(v, "hide") == 0;
		m->ended |= strcmp(v, "end") == 0;
		m->set_aside |= strcmp(v, "aside") == 0;
		m->wrote |= strcmp(v, "write") == 0;
		m->started |= strcmp(v, "start") == 0;
		m->committed |= strcmp(v, "commit") == 0;
	} else if (strcmp(k, "renamed") == 0) {
		const char *sp = strchr(v, ' ');

		if (sp != NULL && (size_t)(sp - v) < sizeof(m->fin_from)) {
			memcpy(m->fin_from, v, (size_t)(sp - v));
			m->fin_from[sp - v] = '\0';
			copy(m->fin_to, sizeof(m->fin_to), sp + 1);
		}
	} else {
		m->wrapped |= strcmp(k, "wrapped") == 0;
		m->run_wrapped |= strcmp(k, "run-wrapped") == 0;
		m->config_written |= strcmp(k, "config") == 0;
		m->made_down |= strcmp(k, "made-down") == 0;
		m->target_stopped |= strcmp(k, "target-stopped") == 0;
		m->put_back |= strcmp(k, "put-back") == 0;
		m->undone |= strcmp(k, "undone") == 0;
	}
	m->started_once |= m->started;
}

int
journal_load(struct migration *m)
{
	char text[JOURNAL_MAX], *line, *next, *sp;
	int bfd, fd, in_plan = 1;
	ssize_t n;

	if ((bfd = openat(m->dirfd, BACKUP, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	fd = open_plain(bfd, JOURNAL, 0, NULL);
	close(bfd);
	if (fd == -1)
		return errno == ENOENT ? 0 : -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0) {
		errno = n == 0 ? EINVAL : errno;
		return -1;
	}
	text[n] = '\0';
	if (strncmp(text, FORMAT_LINE "\n", sizeof(FORMAT_LINE)) != 0) {
		errno = EINVAL;
		return -1;
	}
	strlcpy(m->last_step, "plan", sizeof(m->last_step));
	m->source[0] = '\0';
	for (line = text + sizeof(FORMAT_LINE); *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			break;		/* cut short by the interruption */
		*next++ = '\0';
		if ((sp = strchr(line, ' ')) != NULL)
			*sp++ = '\0';
		if (strcmp(line, "step") == 0)
			in_plan = 0;
		if (in_plan && sp != NULL && plan_line(m, line, sp) == -1) {
			errno = EINVAL;
			return -1;
		}
		if (!in_plan)
			step_line(m, line, sp != NULL ? sp : "");
	}
	return 1;
}

/* The journal, then the directory once nothing else is in it. */
int
journal_remove(struct migration *m)
{
	journal_close(m);
	if (unlinkat(m->dirfd, BACKUP "/" JOURNAL, 0) == -1 && errno != ENOENT)
		return -1;
	if (unlinkat(m->dirfd, BACKUP, AT_REMOVEDIR) == -1 && errno != ENOENT)
		return -1;
	return fsync(m->dirfd);
}
