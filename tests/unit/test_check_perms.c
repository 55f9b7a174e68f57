/*
 * svx check's rules (mappings/check.c): each state from its facts and
 * thresholds, the first rule that holds deciding, and the worst of
 * several. svx perms's tables (adapters/engine/perms.c): the supervisors'
 * own modes at reset, what each level grants and never grants, and the
 * changes on a scratch supervise/: applied, applied again (nothing
 * changes), reset, and a symlinked supervise/ refused.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../adapters/engine/perms.h"
#include "../../adapters/engine/service.h"
#include "../../mappings/mappings.h"
#include "tmpdir.h"

static const struct check_limits none = { -1, -1, -1, -1 };

static struct check_facts
up_for(int64_t age, long restarts)
{
	struct check_facts f;

	memset(&f, 0, sizeof(f));
	f.read = CR_OK;
	f.state = STATE_UP;
	f.want = WANT_UP;
	f.pid = 123;
	f.age = age;
	f.restarts = restarts;
	f.backend = "s6";
	return f;
}

static enum check_state
judge(const struct check_facts *f, const struct check_limits *l)
{
	return check_judge(f, l)->state;
}

static void
test_check_rules(void **state)
{
	struct check_limits l = none;
	struct check_facts f = up_for(3600, 2);
	enum check_read r;

	(void)state;
	assert_int_equal(judge(&f, &none), CHECK_OK);
	assert_null(check_judge(&f, &none)->why);
	/* Thresholds not given judge nothing. */
	f.age = 0;
	assert_int_equal(judge(&f, &none), CHECK_OK);
	/* Uptime: under the warning, under the critical; at it is fine. */
	l.warn_uptime = 60;
	l.crit_uptime = 10;
	f.age = 59;
	assert_int_equal(judge(&f, &l), CHECK_WARNING);
	f.age = 9;
	assert_int_equal(judge(&f, &l), CHECK_CRITICAL);
	f.age = 60;
	assert_int_equal(judge(&f, &l), CHECK_OK);
	f.age = -1;		/* not known: not judged */
	assert_int_equal(judge(&f, &l), CHECK_OK);
	/* Restarts: over the threshold, not at it; unknown never. */
	l = none;
	l.warn_restarts = 2;
	l.crit_restarts = 5;
	f = up_for(3600, 2);
	assert_int_equal(judge(&f, &l), CHECK_OK);
	f.restarts = 3;
	assert_int_equal(judge(&f, &l), CHECK_WARNING);
	f.restarts = 6;
	assert_int_equal(judge(&f, &l), CHECK_CRITICAL);
	f.restarts = -1;
	assert_int_equal(judge(&f, &l), CHECK_OK);
	/* Down while wanted up, and a crash loop: critical. */
	f = up_for(5, -1);
	f.state = STATE_DOWN;
	assert_int_equal(judge(&f, &none), CHECK_CRITICAL);
	f.state = STATE_FAILED;
	assert_int_equal(judge(&f, &none), CHECK_CRITICAL);
	f.want = WANT_DOWN;	/* encore's run exited 100 */
	assert_int_equal(judge(&f, &none), CHECK_CRITICAL);
	assert_string_equal(check_judge(&f, &none)->why,
	    "given up (permanent failure)");
	f = up_for(0, -1);
	f.crash_loop = 1;
	assert_int_equal(judge(&f, &none), CHECK_CRITICAL);
	/* Down as wanted: fine; up while wanted down: a warning. */
	f = up_for(5, -1);
	f.state = STATE_DOWN;
	f.want = WANT_DOWN;
	assert_int_equal(judge(&f, &none), CHECK_OK);
	f.state = STATE_UP;
	assert_int_equal(judge(&f, &none), CHECK_WARNING);
	f.want = WANT_ONCE;
	assert_int_equal(judge(&f, &none), CHECK_OK);
	f.paused = 1;
	assert_int_equal(judge(&f, &none), CHECK_WARNING);
	assert_string_equal(check_judge(&f, &none)->why, "paused");
	/* Whatever could not be read is unknown, before anything else,
	 * but for no supervisor at all: a known failure. */
	for (r = CR_OK + 1; r < CR_COUNT; r++) {
		f = up_for(0, 99);
		f.read = r;
		f.crash_loop = 1;
		assert_non_null(check_read_words[r]);
		if (r == CR_UNSUPERVISED)
			continue;
		assert_int_equal(judge(&f, &l), CHECK_UNKNOWN);
		f.normally_down = 1;
		assert_int_equal(judge(&f, &l), CHECK_UNKNOWN);
	}
	/* The last rule always holds. */
	assert_int_equal(check_rules[check_nrules - 1].state, CHECK_OK);
}

/* monitoring-plugins: UNKNOWN only when the plugin cannot tell. */
static void
test_check_unsupervised(void **state)
{
	struct check_facts f;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.read = CR_UNSUPERVISED;
	f.age = f.restarts = -1;
	assert_int_equal(judge(&f, &none), CHECK_CRITICAL);
	assert_null(check_judge(&f, &none)->why);
	/* Meant to be down (./down): nothing is wrong. */
	f.normally_down = 1;
	assert_int_equal(judge(&f, &none), CHECK_OK);
	assert_string_equal(check_judge(&f, &none)->why,
	    "down as wanted (./down)");
	assert_false(check_is_up(&f));
	/* "web: no supervisor; db: paused" is CRITICAL, not WARNING. */
	assert_int_equal(check_worse(CHECK_CRITICAL, CHECK_WARNING),
	    CHECK_CRITICAL);
	/* supervisord: nothing listening is no supervisor; a hang or an
	 * answer svx cannot read, or a socket it may not use, unknown. */
	assert_int_equal(check_sd_nreads, SD_PROTOCOL + 1);
	assert_int_equal(check_sd_reads[SD_OK], CR_OK);
	assert_int_equal(check_sd_reads[SD_NO_SOCKET], CR_UNSUPERVISED);
	assert_int_equal(check_sd_reads[SD_NOT_LISTENING], CR_UNSUPERVISED);
	assert_int_equal(check_sd_reads[SD_TIMEOUT], CR_NOT_ANSWERING);
	assert_int_equal(check_sd_reads[SD_PROTOCOL], CR_NOT_ANSWERING);
	assert_int_equal(check_sd_reads[SD_DENIED], CR_DENIED);
	f.normally_down = 0;
	f.read = check_sd_reads[SD_NOT_LISTENING];
	assert_int_equal(judge(&f, &none), CHECK_CRITICAL);
	f.read = check_sd_reads[SD_TIMEOUT];
	assert_int_equal(judge(&f, &none), CHECK_UNKNOWN);
	assert_string_equal(check_read_words[f.read],
	    "supervisor not answering");
	f.read = check_sd_reads[SD_DENIED];
	assert_int_equal(judge(&f, &none), CHECK_UNKNOWN);
}

/* encore's start-only service: ./start done, no ./run, is up. */
static void
test_check_encore_started(void **state)
{
	struct check_facts f = up_for(3600, -1);
	struct check_limits l = none;

	(void)state;
	f.state = STATE_STARTED;
	f.pid = 0;
	f.backend = "daemontools-encore";
	assert_true(check_is_up(&f));
	assert_int_equal(judge(&f, &none), CHECK_OK);
	/* Judged as up by the uptime thresholds too. */
	l.warn_uptime = 7200;
	assert_int_equal(judge(&f, &l), CHECK_WARNING);
	/* Still starting (./start runs) is not up yet. */
	f.state = STATE_STARTING;
	assert_false(check_is_up(&f));
	assert_int_equal(judge(&f, &none), CHECK_CRITICAL);
}

static void
test_check_worst(void **state)
{
	(void)state;
	assert_int_equal(check_worse(CHECK_OK, CHECK_WARNING), CHECK_WARNING);
	assert_int_equal(check_worse(CHECK_UNKNOWN, CHECK_WARNING),
	    CHECK_WARNING);
	assert_int_equal(check_worse(CHECK_CRITICAL, CHECK_UNKNOWN),
	    CHECK_CRITICAL);
	assert_int_equal(check_worse(CHECK_OK, CHECK_UNKNOWN), CHECK_UNKNOWN);
	/* The exit codes are the plugin convention's. */
	assert_int_equal(CHECK_OK, 0);
	assert_int_equal(CHECK_WARNING, 1);
	assert_int_equal(CHECK_CRITICAL, 2);
	assert_int_equal(CHECK_UNKNOWN, 3);
	assert_string_equal(check_state_names[CHECK_CRITICAL], "CRITICAL");
}

static const struct perms_row *
row(enum perms_family fam, const char *name)
{
	size_t i;

	for (i = 0; i < perms_tables[fam].n; i++)
		if (strcmp(perms_tables[fam].rows[i].name, name) == 0)
			return &perms_tables[fam].rows[i];
	fail_msg("no row %s", name);
	return NULL;
}

static void
test_perms_tables(void **state)
{
	enum perms_family fam;
	size_t i;
	int lv;

	(void)state;
	assert_int_equal(perms_family_of(BACKEND_S6), PF_S6);
	assert_int_equal(perms_family_of(BACKEND_RUNIT), PF_DJB);
	assert_int_equal(perms_family_of(BACKEND_ENCORE), PF_ENCORE);
	assert_int_equal(perms_family_of(BACKEND_UNKNOWN), PF_DJB);
	assert_int_equal(perms_family_of(BACKEND_DAEMONTOOLS), PF_DJB);
	/* The supervisors' own modes (PROTOCOLS.md#perms). */
	assert_int_equal(row(PF_DJB, "supervise/")->mode[PERMS_OWNER], 0700);
	assert_int_equal(row(PF_DJB, "ok")->mode[PERMS_OWNER], 0600);
	assert_int_equal(row(PF_DJB, "control")->mode[PERMS_OWNER], 0600);
	assert_int_equal(row(PF_S6, "supervise/")->mode[PERMS_OWNER], 0700);
	assert_int_equal(row(PF_S6, "control")->mode[PERMS_OWNER], 0600);
	assert_int_equal(row(PF_S6, "event/")->mode[PERMS_OWNER], 03730);
	/* s6-svperms -g and -G's. */
	assert_int_equal(row(PF_S6, "supervise/")->mode[PERMS_STATUS], 0710);
	assert_int_equal(row(PF_S6, "control")->mode[PERMS_CONTROL], 0620);
	for (fam = 0; fam < PF_NFAMILIES; fam++) {
		const struct perms_table *t = &perms_tables[fam];

		assert_true(t->n <= PERMS_MAX_ROWS);
		/* The first row is supervise/ itself. */
		assert_string_equal(t->rows[0].name, "supervise/");
		for (i = 0; i < t->n; i++) {
			const struct perms_row *r = &t->rows[i];

			/* The status file: read, never set where the
			 * supervisor replaces it; encore's made readable. */
			if (strcmp(r->name, "status") == 0) {
				assert_int_equal(r->rewritten,
				    fam != PF_ENCORE);
				assert_int_equal(r->mode[PERMS_OWNER], 0);
				continue;
			}
			for (lv = 0; lv < PERMS_NLEVELS; lv++) {
				/* Never anything for others but event/'s
				 * sticky bit; never read or search for the
				 * group on supervise/ beyond search. */
				assert_int_equal(r->mode[lv] & 0007, 0);
				assert_int_equal(r->mode[lv] & 0700,
				    r->type == S_IFDIR ? 0700 : 0600);
				assert_int_equal(r->grouped[PERMS_OWNER], 0);
			}
		}
		/* Control is the group's only at the control level. */
		assert_int_equal(row(fam, "control")->mode[PERMS_STATUS], 0600);
		assert_int_equal(row(fam, "control")->grouped[PERMS_STATUS], 0);
		assert_int_equal(row(fam, "control")->mode[PERMS_CONTROL] & 0070,
		    0020);
		assert_int_equal(row(fam, "supervise/")->mode[PERMS_STATUS] &
		    0070, 0010);
	}
}

static mode_t
mode_at(const char *rel)
{
	struct stat st;

	assert_int_equal(lstat(scratch_path(rel), &st), 0);
	return st.st_mode & 07777;
}

static gid_t
gid_at(const char *rel)
{
	struct stat st;

	assert_int_equal(lstat(scratch_path(rel), &st), 0);
	return st.st_gid;
}

static int
open_dir(const char *rel)
{
	int fd = open(scratch_path(rel), O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	return fd;
}

static int
changes(const struct perms_target *t)
{
	size_t i;
	int n = 0;

	for (i = 0; i < perms_tables[t->family].n; i++)
		n += t->nodes[i].changed;
	return n;
}

/* Changing a group needs root: as another user, only the modes. */
static gid_t
some_gid(void)
{
	return geteuid() == 0 ? 4242 : getegid();
}

static void
test_perms_apply(void **state)
{
	struct perms_target t;
	size_t failed;
	gid_t g = some_gid();
	int fd;

	(void)state;
	scratch_mkdir("djb");
	scratch_supervise("djb", "", 0, 1);
	fd = open_dir("djb");
	assert_int_equal(perms_open(fd, scratch_path("djb"), NULL,
	    BACKEND_RUNIT, &t), 0);
	assert_int_equal(perms_apply(&t, PERMS_CONTROL, g, &failed), 0);
	assert_int_equal(changes(&t), 3);
	assert_int_equal(mode_at("djb/supervise"), 0710);
	assert_int_equal(mode_at("djb/supervise/ok"), 0620);
	assert_int_equal(mode_at("djb/supervise/control"), 0620);
	assert_int_equal(gid_at("djb/supervise/control"), g);
	/* Again: nothing to do. */
	assert_int_equal(perms_apply(&t, PERMS_CONTROL, g, &failed), 0);
	assert_int_equal(changes(&t), 0);
	perms_read(&t);
	{
		gid_t who = 0;

		assert_int_equal(perms_status_who(&t, &who), WHO_GROUP);
		assert_int_equal(who, g);
		assert_int_equal(perms_control_who(&t, &who), WHO_GROUP);
	}
	/* Status only takes control back. */
	assert_int_equal(perms_apply(&t, PERMS_STATUS, g, &failed), 0);
	assert_int_equal(mode_at("djb/supervise/control"), 0600);
	assert_int_equal(mode_at("djb/supervise/ok"), 0620);
	assert_int_equal(perms_apply(&t, PERMS_OWNER, g, &failed), 0);
	assert_int_equal(mode_at("djb/supervise"), 0700);
	assert_int_equal(mode_at("djb/supervise/ok"), 0600);
	/* The default group is the lock's, which svx never changes. */
	assert_int_equal(gid_at("djb/supervise/ok"),
	    gid_at("djb/supervise/lock"));
	perms_read(&t);
	{
		gid_t who = 0;

		assert_int_equal(perms_status_who(&t, &who), WHO_OWNER);
	}
	perms_close(&t);
	close(fd);
}

static void
test_perms_s6_event(void **state)
{
	struct perms_target t;
	size_t failed;
	gid_t g = some_gid();
	int fd;

	(void)state;
	scratch_mkdir("s6");
	scratch_supervise("s6", "", 0, 0);
	scratch_mkdir("s6/event");
	assert_int_equal(chmod(scratch_path("s6/event"), 03730), 0);
	fd = open_dir("s6");
	/* Not running, format unknown: event/ says s6. */
	assert_int_equal(perms_open(fd, scratch_path("s6"), NULL,
	    BACKEND_UNKNOWN, &t), 0);
	assert_int_equal(t.family, PF_S6);
	assert_int_equal(perms_apply(&t, PERMS_STATUS, g, &failed), 0);
	assert_int_equal(mode_at("s6/supervise"), 0710);
	assert_int_equal(mode_at("s6/supervise/control"), 0600);
	assert_int_equal(mode_at("s6/event"), 03730);
	assert_int_equal(gid_at("s6/event"), g);
	perms_close(&t);
	close(fd);
}

static void
test_perms_refuses_links(void **state)
{
	struct perms_target t;
	size_t failed;
	int fd;

	(void)state;
	scratch_mkdir("linked");
	scratch_mkdir("real");
	assert_int_equal(symlink(scratch_path("real"),
	    scratch_path("linked/supervise")), 0);
	fd = open_dir("linked");
	assert_int_equal(perms_open(fd, scratch_path("linked"), NULL,
	    BACKEND_RUNIT, &t), -1);
	assert_int_equal(t.err, ELOOP);
	/* Followed once it is a supervisor's (a control FIFO) in a place
	 * only root may change... */
	scratch_fifo("real/control");
	assert_int_equal(perms_open(fd, scratch_path("linked"), NULL,
	    BACKEND_RUNIT, &t), 0);
	assert_int_equal(t.linked, 1);
	perms_close(&t);
	/* ... and not where others may write, sticky (/tmp) or not, */
	assert_int_equal(chmod(scratch_path("real"), 0777), 0);
	assert_int_equal(perms_open(fd, scratch_path("linked"), NULL,
	    BACKEND_RUNIT, &t), -1);
	assert_int_equal(t.err, ELOOP);
	assert_int_equal(chmod(scratch_path("real"), 01777), 0);
	assert_int_equal(perms_open(fd, scratch_path("linked"), NULL,
	    BACKEND_RUNIT, &t), -1);
	assert_int_equal(t.err, ELOOP);
	assert_int_equal(chmod(scratch_path("real"), 0700), 0);
	/* ... nor through another symlink. */
	assert_int_equal(symlink(scratch_path("real"),
	    scratch_path("hop")), 0);
	assert_int_equal(unlink(scratch_path("linked/supervise")), 0);
	assert_int_equal(symlink(scratch_path("hop"),
	    scratch_path("linked/supervise")), 0);
	assert_int_equal(perms_open(fd, scratch_path("linked"), NULL,
	    BACKEND_RUNIT, &t), -1);
	assert_int_equal(t.err, ELOOP);
	close(fd);
	/* A link where control should be: refused, its target untouched. */
	scratch_mkdir("fifo");
	scratch_supervise("fifo", "", 0, 1);
	assert_int_equal(unlink(scratch_path("fifo/supervise/control")), 0);
	scratch_write("target", "", 0);
	assert_int_equal(chmod(scratch_path("target"), 0600), 0);
	assert_int_equal(symlink(scratch_path("target"),
	    scratch_path("fifo/supervise/control")), 0);
	fd = open_dir("fifo");
	assert_int_equal(perms_open(fd, scratch_path("fifo"), NULL,
	    BACKEND_RUNIT, &t), 0);
	assert_int_equal(perms_apply(&t, PERMS_CONTROL, some_gid(), &failed),
	    -1);
	assert_int_equal(errno, ELOOP);
	assert_string_equal(perms_tables[PF_DJB].rows[failed].name,
	    "control");
	assert_int_equal(mode_at("target"), 0600);
	perms_close(&t);
	close(fd);
	/* A FIFO with a second name (a hard link to another's): refused. */
	scratch_mkdir("hard");
	scratch_supervise("hard", "", 0, 1);
	assert_int_equal(link(scratch_path("hard/supervise/control"),
	    scratch_path("hard-control")), 0);
	fd = open_dir("hard");
	assert_int_equal(perms_open(fd, scratch_path("hard"), NULL,
	    BACKEND_RUNIT, &t), 0);
	assert_int_equal(perms_apply(&t, PERMS_CONTROL, some_gid(), &failed),
	    -1);
	assert_int_equal(errno, ENOTPLAIN);
	assert_int_equal(mode_at("hard-control"), 0600);
	perms_close(&t);
	close(fd);
}

/*
 * The status file's own mode: written under umask 077 it is 0600, and
 * a group let into supervise/ still cannot read the state. Said so, and
 * never "fixed": the supervisor replaces the file at every change.
 */
static void
test_perms_status_file(void **state)
{
	static const char *const names[] = { "stdjb", "sts6" };
	static const enum svx_backend backends[] = { BACKEND_RUNIT,
	    BACKEND_S6 };
	struct stat sb;
	struct perms_target t;
	size_t failed, k;
	gid_t g = some_gid(), who;
	char rel[64];
	int fd;

	(void)state;
	for (k = 0; k < 2; k++) {
		scratch_mkdir(names[k]);
		scratch_supervise(names[k], "", 0, k == 0);
		if (backends[k] == BACKEND_S6) {
			snprintf(rel, sizeof(rel), "%s/event", names[k]);
			scratch_mkdir(rel);
		}
		snprintf(rel, sizeof(rel), "%s/supervise/status", names[k]);
		assert_int_equal(chmod(scratch_path(rel), 0644), 0);
		fd = open_dir(names[k]);
		assert_int_equal(perms_open(fd, scratch_path(names[k]), NULL,
		    backends[k], &t), 0);
		assert_int_equal(perms_apply(&t, PERMS_STATUS, g, &failed), 0);
		perms_read(&t);
		who = 0;
		assert_int_equal(perms_status_who(&t, &who), WHO_GROUP);
		assert_int_equal(who, g);
		assert_false(perms_status_blocked(&t));
		/* The supervisor ran under umask 077. */
		assert_int_equal(chmod(scratch_path(rel), 0600), 0);
		perms_read(&t);
		assert_int_equal(perms_status_who(&t, &who), WHO_OWNER);
		assert_true(perms_status_blocked(&t));
		/* Applying again leaves it as the supervisor made it. */
		assert_int_equal(perms_apply(&t, PERMS_STATUS, g, &failed), 0);
		assert_int_equal(mode_at(rel), 0600);
		/* Reset: owner only either way, nothing to say. */
		assert_int_equal(perms_apply(&t, PERMS_OWNER, g, &failed), 0);
		perms_read(&t);
		assert_false(perms_status_blocked(&t));
		/* Not written yet: it limits nothing. */
		assert_int_equal(unlink(scratch_path(rel)), 0);
		assert_int_equal(perms_apply(&t, PERMS_STATUS, g, &failed), 0);
		perms_read(&t);
		assert_int_equal(perms_status_who(&t, &who), WHO_GROUP);
		perms_close(&t);
		close(fd);
	}
	/* encore writes it in place: a mode set there lasts, so the grant
	 * makes it readable (0644, its group left), and reset leaves it. */
	scratch_mkdir("sten");
	scratch_supervise("sten", "", 0, 1);
	assert_int_equal(chmod(scratch_path("sten/supervise/status"), 0600),
	    0);
	fd = open_dir("sten");
	assert_int_equal(perms_open(fd, scratch_path("sten"), NULL,
	    BACKEND_ENCORE, &t), 0);
	assert_int_equal(perms_apply(&t, PERMS_STATUS, g, &failed), 0);
	assert_int_equal(mode_at("sten/supervise/status"), 0644);
	assert_int_equal(lstat(scratch_path("sten/supervise/lock"), &sb), 0);
	assert_int_equal(gid_at("sten/supervise/status"), sb.st_gid);
	perms_read(&t);
	who = 0;
	assert_int_equal(perms_status_who(&t, &who), WHO_GROUP);
	assert_false(perms_status_blocked(&t));
	assert_int_equal(perms_apply(&t, PERMS_STATUS, g, &failed), 0);
	assert_int_equal(changes(&t), 0);
	assert_int_equal(perms_apply(&t, PERMS_OWNER, g, &failed), 0);
	assert_int_equal(mode_at("sten/supervise/status"), 0644);
	perms_close(&t);
	close(fd);
}

/*
 * encore's absolute SUPERVISEDIR (/run/sv/srv:web): walked one
 * directory at a time, never through a symlink nor a directory others
 * may change.
 */
static void
test_perms_relocated_trust(void **state)
{
	char base[PATH_MAX], joined[PATH_MAX], *slash;
	struct perms_target t;
	int fd;

	(void)state;
	scratch_mkdir("rsvc");
	scratch_mkdir("reloc");
	strlcpy(base, scratch_path("reloc"), sizeof(base));
	assert_int_equal(svdir_name(scratch_path("rsvc"), base, joined,
	    sizeof(joined)), 0);
	assert_int_equal(mkdir(joined, 0700), 0);
	fd = open_dir("rsvc");
	assert_int_equal(perms_open(fd, scratch_path("rsvc"), base,
	    BACKEND_ENCORE, &t), 0);
	assert_int_equal(t.relocated, 1);
	perms_close(&t);
	/* A directory on the way others may write. */
	assert_int_equal(chmod(base, 0777), 0);
	assert_int_equal(perms_open(fd, scratch_path("rsvc"), base,
	    BACKEND_ENCORE, &t), -1);
	assert_int_equal(t.err, ELOOP);
	assert_int_equal(chmod(base, 0700), 0);
	/* A symlink on the way, to a trusted directory all the same. */
	assert_int_equal(rename(base, scratch_path("reloc-real")), 0);
	assert_int_equal(symlink(scratch_path("reloc-real"), base), 0);
	assert_int_equal(perms_open(fd, scratch_path("rsvc"), base,
	    BACKEND_ENCORE, &t), -1);
	assert_int_equal(t.err, ELOOP);
	/* The last component a symlink. */
	assert_int_equal(unlink(base), 0);
	assert_int_equal(rename(scratch_path("reloc-real"), base), 0);
	slash = strrchr(joined, '/');
	assert_non_null(slash);
	assert_int_equal(rename(joined, scratch_path("svreal")), 0);
	assert_int_equal(symlink(scratch_path("svreal"), joined), 0);
	assert_int_equal(perms_open(fd, scratch_path("rsvc"), base,
	    BACKEND_ENCORE, &t), -1);
	assert_int_equal(t.err, ELOOP);
	/* Missing: no supervisor has made it yet. */
	assert_int_equal(unlink(joined), 0);
	assert_int_equal(perms_open(fd, scratch_path("rsvc"), base,
	    BACKEND_ENCORE, &t), -1);
	assert_int_equal(t.err, ENOENT);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_rules),
		cmocka_unit_test(test_check_unsupervised),
		cmocka_unit_test(test_check_encore_started),
		cmocka_unit_test(test_check_worst),
		cmocka_unit_test(test_perms_tables),
		cmocka_unit_test(test_perms_apply),
		cmocka_unit_test(test_perms_s6_event),
		cmocka_unit_test(test_perms_refuses_links),
		cmocka_unit_test(test_perms_status_file),
		cmocka_unit_test(test_perms_relocated_trust),
	};

	return cmocka_run_group_tests_name("check_perms", tests,
	    scratch_setup, scratch_teardown);
}
