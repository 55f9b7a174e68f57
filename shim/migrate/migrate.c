/*
 * svx migrate --to BACKEND [--dry-run] [--scandir DIR] SERVICE... | --all
 *
 * Moves a service directory from one backend to another, live, never
 * with two copies of the service running (runsv and s6-supervise do not
 * exclude each other: PROTOCOLS.md#two-supervisors) and never deleting a
 * service directory:
 *
 *   1. plan: what each file becomes (mappings/migration.c), the logger, the
 *      finish script's arguments; where the service will run: the scan
 *      directory of a TARGET scanner (--scandir, or its own if one of the
 *      target's scanners watches it), else a supervisor of its own;
 *   2. record the wanted state, bring the service down and wait;
 *   3. take it out of its old scanner's sight (a dot-name: every scanner
 *      skips those), end its supervisor and wait for it to be gone;
 *   4. set the originals aside in DIR/.svx-migrate/ (the old supervise/
 *      directories too, so detection sees one backend), write the new
 *      files;
 *   5. start it under the target (its scanner, or a supervisor of its
 *      own, ./down present while it starts if it was wanted down),
 *      restore the wanted state, and verify;
 *   6. on any failure from 3 on, undo in reverse and start the old
 *      supervisor again with the original files.
 *
 * Here, the command and the order of the steps: plan.c makes the plan
 * (1), moves.c takes steps 2 to 4 (each with its undo), start.c step 5,
 * undo.c the rollback (6), recover.c what an interruption left, from
 * the journal (journal.c) every step is written to first.
 *
 * The report says what was translated, what was lost and why, and every
 * step taken. Exit: 0 moved, nothing lost; 1 moved, something lost;
 * 111 not moved (rolled back, or refused); 100 usage.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../list/listing.h"
#include "../supervisord/sd_shim.h"
#include "mig.h"
#include "migrate.h"

static int
cut_over(struct migration *m)
{
	if (hide_from_scanner(m) == -1 || end_supervisor(m) == -1 ||
	    set_aside(m) == -1 || rewrite_files(m) == -1)
		return -1;
	/* No supervisor before, none after: unless a scanner takes it. */
	if (!(!m->supervised && m->place == PLACE_OWN)) {
		if (start_target(m) == -1)
			return -1;
		if (m->supervised && restore_state(m, m->where, m->to, 0) == -1)
			return -1;
	}
	/* From here on, an interruption is finished forward. */
	m->committed = 1;
	return journal_note(m, "step commit");
}

static int
execute(struct migration *m)
{
	sigset_t was;
	int r = 0;

	hold_signals(&was);
	if (journal_begin(m) == -1) {
		mig_say(m, "error", "cannot write its journal in %s/%s: %s; "
		    "nothing done", m->path, BACKUP, strerror(errno));
		r = -1;
	} else if (bring_down(m) == -1 || cut_over(m) == -1)
		r = roll_back(m, &dir_undo) == 0 ? -1 : -2;
	else
		dir_finish(m);
	journal_close(m);
	sigprocmask(SIG_SETMASK, &was, NULL);
	if (r == 0)
		say_done(m);
	return r;
}

static void
migrate_end(struct migration *m)
{
	journal_close(m);
	if (m->dirfd != -1)
		close(m->dirfd);
	m->dirfd = -1;
}

/* M afresh for ARG, its directory found and held: 0, or -1 (said). */
static int
migration_begin(struct migration *m, const char *arg, const char *svdir,
    const struct mig_opts *o)
{
	memset(m, 0, sizeof(*m));
	m->arg = arg;
	m->opts = o;
	m->to = o->to;
	m->dirfd = m->jfd = -1;
	if (dir_locate(m, svdir) == 0)
		return 0;
	migrate_end(m);
	return -1;
}

static enum svx_outcome
migrate_one(const char *arg, const char *svdir, const struct mig_opts *o)
{
	static struct migration m;
	int r;

	if (migration_begin(&m, arg, svdir, o) == -1)
		return OUT_SYSTEM;
	/* An interrupted move first: undone (or finished), then this one. */
	if ((r = dir_recover(&m)) != 0) {
		migrate_end(&m);
		return r == -1 ? OUT_SYSTEM : OUT_OK;
	}
	if (o->rollback) {
		if (!m.undone)
			mig_say(&m, "done", "no interrupted migration to undo");
		migrate_end(&m);
		return OUT_OK;
	}
	if (m.undone) {
		/* Whole again: the move asked for, from the start. */
		migrate_end(&m);
		if (migration_begin(&m, arg, svdir, o) == -1)
			return OUT_SYSTEM;
	}
	r = dir_plan(&m);
	/* Found by its hidden link and already there: a move finished but
	 * for that link (its journal gone). */
	if (r == 1 && m.hid && !o->dry_run)
		remove_old_link(&m);
	if (r != 0) {
		migrate_end(&m);
		return r == 1 ? OUT_OK : OUT_SYSTEM;
	}
	if (o->dry_run) {
		(void)bring_down(&m);
		(void)hide_from_scanner(&m);
		(void)end_supervisor(&m);
		mig_ran(&m, "set the old supervise/ aside in %s/%s, write the new "
		    "files, start it under %s and restore its state", m.path,
		    BACKUP, backend_name(m.to));
	} else if (execute(&m) != 0) {
		migrate_end(&m);
		return OUT_SYSTEM;
	}
	migrate_end(&m);
	return m.lost ? OUT_FALSE : OUT_OK;
}

/* Every service of every scan directory in use, one at a time. */
static enum svx_outcome
migrate_all(const char *svdir, const struct mig_opts *o)
{
	struct scandir_list scans;
	char path[PATH_MAX];
	enum svx_outcome worst = OUT_OK, out;
	struct dirent *de;
	struct stat sb;
	size_t i;
	DIR *d;

	listing_find_scandirs(&scans);
	for (i = 0; i < scans.n; i++) {
		if ((d = opendir(scans.dirs[i].path)) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;	/* as every scanner skips them */
			snprintf(path, sizeof(path), "%s/%s",
			    scans.dirs[i].path, de->d_name);
			if (stat(path, &sb) == -1 || !S_ISDIR(sb.st_mode))
				continue;
			out = migrate_one(path, svdir, o);
			if (svx_exits.code[out] > svx_exits.code[worst])
				worst = out;
		}
		closedir(d);
	}
	return worst;
}

/* The report could not be written (stdout closed, a full disk): the
 * moves happened all the same; say so where it can still be read. */
static enum svx_outcome
report_lost(enum svx_outcome out)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return out;
	fprintf(stderr, "%s: migrate: the report could not be written (%s); "
	    "the moves went on: svx status says where each service is\n",
	    getprogname(), strerror(errno != 0 ? errno : EPIPE));
	return svx_exits.code[out] > svx_exits.code[OUT_SYSTEM] ? out :
	    OUT_SYSTEM;
}

/*
 * A service of a backend without directories (supervisord:web) moves by
 * its own engine: its configuration is its supervisor's, not a
 * directory's.
 */
static enum svx_outcome (*const named_moves[BACKEND_ALL_COUNT])(
    const char *, const struct mig_opts *) = {
	[BACKEND_SUPERVISORD] = sd_migrate_one,
};

enum svx_outcome
migrate(int n, char **args, const struct migrate_args *a)
{
	struct mig_opts o = { .to = a->to, .dry_run = a->dry_run,
	    .rollback = a->rollback, .verbose = a->verbose,
	    .scandir = a->scandir, .dir = a->dir,
	    .step_ms = a->wait_ms > 0 ? a->wait_ms : STEP_MS };
	enum svx_outcome worst = OUT_OK, out;
	int i;

	if (!a->rollback && a->to != BACKEND_DAEMONTOOLS &&
	    a->to != BACKEND_RUNIT && a->to != BACKEND_S6) {
		fprintf(stderr, "%s: migrate: --to daemontools, runit or s6\n",
		    getprogname());
		return OUT_USAGE;
	}
	if ((n == 0) == !a->all) {
		fprintf(stderr, "%s: migrate: name services, or --all\n",
		    getprogname());
		return OUT_USAGE;
	}
	/* A reader gone (the report piped to head) costs the report, never
	 * the move: the write fails, the move goes on, the end tells. */
	signal(SIGPIPE, SIG_IGN);
	if (a->all)
		return report_lost(migrate_all(a->svdir, &o));
	for (i = 0; i < n; i++) {
		if (a->dir != NULL && service_named_backend(args[i]) == NULL) {
			fprintf(stderr, "%s: migrate: %s: --dir is for "
			    "supervisord programs; a service directory stays "
			    "where it is\n", getprogname(), args[i]);
			return OUT_USAGE;
		}
	}
	for (i = 0; i < n; i++) {
		out = service_named_backend(args[i]) != NULL ?
		    named_moves[service_named_backend(args[i])->id](args[i],
		    &o) : migrate_one(args[i], a->svdir, &o);
		if (svx_exits.code[out] > svx_exits.code[worst])
			worst = out;
	}
	return report_lost(worst);
}
