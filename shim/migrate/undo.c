/*
 * The undo of a move, one engine for both of svx migrate's sources: a
 * service directory (migrate.c) and a supervisord program
 * (sd_migrate.c). The order is written here once:
 *
 *   1. the target's supervisor ended, and the ./down svx made for its
 *      start gone: nothing of the old owner starts before, so two
 *      copies never run at once;
 *   2. the files as they were (the source's put_back);
 *   3. the old supervisor has it again (restart_old), then its wanted
 *      state (restore_want);
 *   4. what the move left behind, the journal last (drop).
 *
 * Every step looks at what is there before it acts, and the journal
 * records the undo's own steps (target-stopped, put-back, undone: the
 * lines journal.c reads back for both sources), so an interrupted
 * rollback goes on from where it stopped.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/resolve.h"
#include "../control/control.h"
#include "mig.h"

const char *
want_name(const struct migration *m)
{
	return m->want_up ? "up" : m->once ? "once" : "down";
}

/* Who had it before the move: "supervisord", or a backend's name. */
const char *
source_name(const struct migration *m)
{
	return m->from == BACKEND_UNKNOWN ? "supervisord" :
	    backend_name(m->from);
}

void
hold_signals(sigset_t *was)
{
	static const int held[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	    SIGTSTP };
	sigset_t hold;
	size_t i;

	sigemptyset(&hold);
	for (i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		sigaddset(&hold, held[i]);
	sigprocmask(SIG_BLOCK, &hold, was);
}

/* Out of sight of the target's scanner, then its supervisor ended. */
int
stop_target(struct migration *m)
{
	char now[PATH_MAX];
	int pfd;

	if (!m->started)
		return 0;
	if (m->place == PLACE_SCANNER) {
		if (same_dir(m->newscan, m->parent)) {
			/* Still in sight, its scanner would restart it. */
			if (hide_from_scanner(m) == -1)
				return -1;
		} else if ((pfd = open(m->newscan, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) != -1) {
			mig_ran(m, "rm %s", m->where);
			(void)unlinkat(pfd, m->name, 0);
			close(pfd);
			kick_scanner(m->newscan);
		}
	}
	current_path(m, now, sizeof(now));
	mig_ran(m, "svx -w %lld exit %s", (long long)m->opts->step_ms /
	    1000, now);
	if (svx_run_verb(now, VERB_EXIT, m->opts->step_ms, 0, 0) != OUT_OK)
		return -1;
	m->started = 0;
	return 0;
}

/* The down file svx made for a start, gone: it was not there before. */
static void
unmake_down(struct migration *m)
{
	if (!m->made_down || (m->files & (1u << MF_DOWN)))
		return;
	mig_ran(m, "rm %s/down", m->path);
	(void)unlinkat(m->dirfd, "down", 0);
	m->made_down = 0;
}

/* Step 1: once it is done, the journal says so. */
static int
end_target(struct migration *m)
{
	if (m->started && !m->target_stopped) {
		if (stop_target(m) == -1)
			return -1;
		m->target_stopped = 1;
		if (journal_note(m, "target-stopped") == -1)
			return -1;
	}
	unmake_down(m);
	return 0;
}

/* Step 2, once: the journal says when it is done. */
static int
put_back_files(struct migration *m, const struct mig_undo *u)
{
	if (m->put_back)
		return 0;
	if (u->put_back(m) == -1)
		return -1;
	m->put_back = 1;
	return journal_note(m, "put-back");
}

/* The target's supervisor would not end: nothing more is touched. */
static void
say_target_stuck(struct migration *m, const struct mig_undo *u)
{
	char left[PATH_MAX + 32];

	left[0] = '\0';
	if (u->left_at != NULL)
		u->left_at(m, left, sizeof(left));
	mig_say(m, "error", "the %s supervisor did not end; nothing more was "
	    "undone: see svx probe %s%s%s", backend_name(m->to), m->path,
	    left[0] != '\0' ? " and " : "", left);
}

int
roll_back(struct migration *m, const struct mig_undo *u)
{
	mig_say(m, m->last_step[0] != '\0' ? "undoing" : "failed",
	    "rolling back to %s", source_name(m));
	if (!m->undone) {
		if (end_target(m) == -1) {
			/* Its supervisor may still run: starting the old one
			 * too would run two copies. */
			say_target_stuck(m, u);
			return -1;
		}
		if (put_back_files(m, u) == -1 || u->restart_old(m) == -1 ||
		    u->restore_want(m) == -1) {
			u->not_back(m);
			return -1;
		}
		m->undone = 1;
		if (journal_note(m, "undone") == -1)
			return -1;
	}
	if (u->drop(m) == -1)
		return -1;
	mig_say(m, "rolled back", "%s again, wanted %s", source_name(m),
	    !m->supervised ? "nothing (it had no supervisor)" : want_name(m));
	return 0;
}
