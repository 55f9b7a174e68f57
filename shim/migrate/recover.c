/*
 * svx migrate of a service directory, after an interruption: the move's
 * journal (journal.c) read back, the move finished when its target had
 * it (the commit), else undone (undo.c); and the last traces of a
 * finished move removed, the old scan directory's link last.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../common/resolve.h"
#include "mig.h"

/* Whether DIR/NAME exists, as an entry (a link is not followed). */
static int
exists_at(const char *dir, const char *name)
{
	int fd, r;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	r = entry_exists(fd, name);
	close(fd);
	return r;
}

/* The old scan directory's link, hidden since step 1: the last trace. */
void
remove_old_link(struct migration *m)
{
	char old[PATH_MAX];
	struct stat sb;
	int pfd;

	if ((pfd = open(m->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if (fstatat(pfd, m->hidden, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(sb.st_mode)) {
		if (path_join(old, sizeof(old), m->parent, m->hidden) == -1)
			strlcpy(old, m->hidden, sizeof(old));
		mig_ran(m, "rm %s (the old scan directory's link)", old);
		(void)unlinkat(pfd, m->hidden, 0);
	}
	close(pfd);
}

/*
 * Done: the originals go, then the journal, then the old link. Should
 * svx be stopped before the link goes, the next run finds the service
 * by it, already where it belongs, and removes it.
 */
void
dir_finish(struct migration *m)
{
	(void)remove_originals(m);
	(void)journal_remove(m);
	if (m->hid && m->place == PLACE_SCANNER && !same_dir(m->newscan,
	    m->parent) && m->entry_is_link)
		remove_old_link(m);
}

/*
 * An earlier move of this directory, interrupted: finished when its
 * target had it (the commit), else undone. 0 when the directory is
 * whole again, -1 (said) when not.
 */
int
dir_recover(struct migration *m)
{
	struct migration plan = *m;
	sigset_t was;
	int r;

	switch (journal_load(&plan)) {
	case 0:
		return 0;
	case -1:
		mig_say(m, "error", "%s/%s/journal cannot be read (%s): look at it "
		    "before anything is moved", m->path, BACKUP,
		    plain_strerror(errno));
		return -1;
	}
	*m = plan;
	say_interrupted(m);
	if (m->opts->dry_run)
		return 1;
	if (journal_resume(m) == -1) {
		mig_say(m, "error", "cannot write its journal: %s",
		    strerror(errno));
		return -1;
	}
	/* Hidden or not: the directory says, whatever the journal does. */
	m->hid = exists_at(m->parent, m->hidden);
	hold_signals(&was);
	if (m->committed) {
		if (m->opts->rollback)
			mig_say(m, "note", "it had reached %s: the move is finished; "
			    "to go back, svx migrate --to %s", backend_name(
			    m->to), backend_name(m->from));
		dir_finish(m);
		say_done(m);
		r = 1;
	} else
		r = roll_back(m, &dir_undo);
	journal_close(m);
	sigprocmask(SIG_SETMASK, &was, NULL);
	return r;
}
