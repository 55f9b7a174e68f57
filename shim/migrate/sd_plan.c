/*
 * The plan of a supervisord program's move (sd_migrate.c does it): what
 * supervisord runs (getAllConfigInfo, expanded by supervisord itself),
 * what it gives the program from its own process (working directory,
 * umask, PATH, [supervisord] environment=, its user), the rest of the
 * program's [program:x] section from the file supervisord read, and
 * where the new directory goes. Everything that can refuse the move
 * refuses it here, before anything is touched.
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../common/output.h"
#include "../common/resolve.h"
#include "../supervisord/sd_shim.h"
#include "sd_migrate.h"

#define INCLUDES_MAX	128
#define STOP_SLACK_MS	5000	/* beyond stopwaitsecs, for the stop */

static char sd_environ[65536];

/* ---- what supervisord has ------------------------------------------------ */

/* "supervisord:GROUP:NAME" or "supervisord:NAME" (its group's name). */
static int
parse_name(struct sd_move *s, const char *arg)
{
	const char *q = sd_program_name(arg), *colon = strchr(q, ':');

	s->qname = q;
	if (colon == NULL) {
		strlcpy(s->group, q, sizeof(s->group));
		strlcpy(s->name, q, sizeof(s->name));
	} else if ((size_t)(colon - q) < sizeof(s->group)) {
		snprintf(s->group, sizeof(s->group), "%.*s", (int)(colon - q),
		    q);
		strlcpy(s->name, colon + 1, sizeof(s->name));
	}
	return s->group[0] != '\0' && s->name[0] != '\0' &&
	    s->name[0] != '.' && strchr(s->name, '/') == NULL ? 0 : -1;
}

/* Its group holds it alone: removeProcessGroup takes the whole group. */
static int
alone_in_group(struct sd_move *s)
{
	static struct sd_proc procs[SD_PROCS_MAX];
	size_t n = 0, i, members = 0;
	enum sd_result r;

	if ((r = sd_all_process_info(&s->c, procs, SD_PROCS_MAX, &n)) !=
	    SD_OK) {
		(void)sd_report(s->m.arg, &s->c, r);
		return -1;
	}
	for (i = 0; i < n; i++)
		members += strcmp(procs[i].group, s->group) == 0;
	if (members != 1) {
		mig_say(&s->m, "error", "its group %s has %zu programs; svx moves "
		    "a group of one (numprocs=1, no [group:x] of several)",
		    s->group, members);
		return -1;
	}
	return 0;
}

/*
 * supervisord's configuration files in step with what it runs: a
 * reread that finds nothing added, changed or removed. (A reread only
 * loads the files; supervisorctl reread does the same.)
 */
static int
files_in_step(struct sd_move *s)
{
	enum sd_result r;

	if ((r = sd_reload_config(&s->c)) != SD_OK) {
		(void)sd_report(s->m.arg, &s->c, r);
		return -1;
	}
	if (strcmp(s->c.lists, SD_RELOAD_NOTHING) != 0) {
		mig_say(&s->m, "error", "supervisord's files differ from what it "
		    "runs (supervisorctl reread lists changes): apply them "
		    "with supervisorctl update, or undo them, first");
		return -1;
	}
	return 0;
}

static int
ask_supervisord(struct sd_move *s)
{
	enum sd_result r;

	if (sd_find_socket(&s->c) == -1) {
		mig_say(&s->m, "error", "no supervisord socket path fits");
		return -1;
	}
	if ((r = sd_process_info(&s->c, s->qname, &s->proc)) != SD_OK ||
	    (r = sd_program_info(&s->c, s->group, s->name, &s->prog)) !=
	    SD_OK || (r = sd_pid(&s->c, &s->sdpid)) != SD_OK) {
		(void)sd_report(s->m.arg, &s->c, r);
		return -1;
	}
	if (s->prog.truncated) {
		mig_say(&s->m, "error", "a value of its configuration is longer "
		    "than svx takes");
		return -1;
	}
	if (s->proc.state == SD_UNKNOWN) {
		mig_say(&s->m, "error", "supervisord says its state is UNKNOWN");
		return -1;
	}
	/* What it does now is what it will do under the target. */
	s->m.want_up = s->proc.state == SD_RUNNING || s->proc.state ==
	    SD_STARTING || s->proc.state == SD_BACKOFF;
	s->m.supervised = 1;
	/* supervisord's own stop may take stopwaitsecs, then SIGKILL. */
	s->stop_ms = s->prog.stopwaitsecs * 1000 + STOP_SLACK_MS;
	if (s->stop_ms < mig_options->step_ms)
		s->stop_ms = mig_options->step_ms;
	return alone_in_group(s) == -1 || files_in_step(s) == -1 ? -1 : 0;
}

/* ---- supervisord's process ----------------------------------------------- */

static void
read_environ(struct sd_move *s, struct sd_expand *x, const char *pid)
{
	const char *p;
	ssize_t n;

	x->environ = sd_environ;
	x->environ_len = 0;
	/* All of it or nothing (proc_read refuses a cut one, EFBIG): a
	 * cut one could lose PATH. */
	if ((n = proc_read(pid, "environ", sd_environ,
	    sizeof(sd_environ))) <= 0)
		return;
	x->environ_len = (size_t)n;
	for (p = sd_environ; p < sd_environ + n; p += strlen(p) + 1)
		if (strncmp(p, "PATH=", 5) == 0)
			strlcpy(s->sd_path, p + 5, sizeof(s->sd_path));
}

/* Its user, working directory and umask: what a program inherits. */
static int
read_process(struct sd_move *s, struct sd_expand *x)
{
	char path[64], pid[24], status[4096], *u;
	struct stat sb;
	ssize_t n;

	snprintf(pid, sizeof(pid), "%ld", (long)s->sdpid);
	snprintf(path, sizeof(path), "/proc/%s", pid);
	if (stat(path, &sb) == -1) {
		mig_say(&s->m, "error", "supervisord (pid %s) is not in /proc: "
		    "%s", pid, strerror(errno));
		return -1;
	}
	s->sd_uid = sb.st_uid;
	snprintf(path, sizeof(path), "/proc/%s/cwd", pid);
	if ((n = readlink(path, s->sd_cwd, sizeof(s->sd_cwd) - 1)) <= 0) {
		mig_say(&s->m, "error", "supervisord's working directory cannot "
		    "be read (%s): run svx as its user or root",
		    strerror(errno));
		return -1;
	}
	s->sd_cwd[n] = '\0';
	if (proc_read(pid, "status", status, sizeof(status)) > 0 &&
	    (u = strstr(status, "\nUmask:\t")) != NULL)
		snprintf(s->sd_umask, sizeof(s->sd_umask), "%.4s", u + 8);
	read_environ(s, x, pid);
	return 0;
}

/* ---- its configuration file ------------------------------------------ */

static void
set_here(struct sd_move *s, const char *file)
{
	path_dir(file, s->here, sizeof(s->here));
}

/* FILE read, and whether it holds the program's section: 1, 0, -1. */
static int
holds_section(struct sd_move *s, const char *file)
{
	if (read_small(AT_FDCWD, file, 0, s->conf_text,
	    sizeof(s->conf_text)) < 0)
		return -1;
	snprintf(s->section[0], sizeof(s->section[0]), "program:%s",
	    s->group);
	s->nsections = 1;
	if (sdconf_has_section(s->conf_text, s->section[0]))
		return 1;
	/* A [group:x] naming programs: the program's own section, and the
	 * group's, both in this file (commenting two files out is not
	 * one step). */
	snprintf(s->section[0], sizeof(s->section[0]), "program:%s",
	    s->name);
	snprintf(s->section[1], sizeof(s->section[1]), "group:%s", s->group);
	s->nsections = 2;
	if (!sdconf_has_section(s->conf_text, s->section[0]))
		return 0;
	if (!sdconf_has_section(s->conf_text, s->section[1])) {
		mig_say(&s->m, "error", "[%s] is not in %s with [%s]: svx edits "
		    "one file", s->section[1], file, s->section[0]);
		return -2;
	}
	return 1;
}

/* [supervisord] environment=: every program gets it. */
static int
supervisord_environment(struct sd_move *s, const struct sd_expand *x)
{
	char raw[4096];
	const char *why;
	int r = sdconf_value(s->conf_text, "supervisord", "environment", raw,
	    sizeof(raw));

	if (r == 1 && sdconf_expand(raw, x, s->sd_environment,
	    sizeof(s->sd_environment), &why) == -1)
		r = -1;
	if (r == -1)
		mig_say(&s->m, "error", "[supervisord] environment= cannot be "
		    "read");
	return r == -1 ? -1 : 0;
}

/*
 * The one file with the section, among supervisord's main one and its
 * includes (in one too, configparser would merge them: svx refuses),
 * read into its conf_text.
 */
static int
find_section(struct sd_move *s, struct sd_expand *x)
{
	static char includes[INCLUDES_MAX][PATH_MAX];
	char main_conf[PATH_MAX];
	const char *found = NULL;
	int n, i, r;

	if (sdconf_locate(s->sdpid, main_conf, sizeof(main_conf)) == -1) {
		mig_say(&s->m, "error", "cannot find the configuration file "
		    "supervisord (pid %ld) read; name it in "
		    "SVX_SUPERVISORD_CONF", (long)s->sdpid);
		return -1;
	}
	set_here(s, main_conf);
	x->here = s->here;
	if ((r = holds_section(s, main_conf)) == -1)
		mig_say(&s->m, "error", "%s: %s", main_conf, strerror(errno));
	if (r < 0 || supervisord_environment(s, x) == -1)
		return -1;
	if (r == 1)
		found = main_conf;
	if ((n = sdconf_includes(s->conf_text, x, includes,
	    INCLUDES_MAX)) == -1) {
		mig_say(&s->m, "error", "%s: its [include] files= cannot be read "
		    "(or name more than %d files)", main_conf, INCLUDES_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((r = holds_section(s, includes[i])) == -1)
			mig_say(&s->m, "error", "%s: %s", includes[i],
			    strerror(errno));
		if (r < 0)
			return -1;
		if (r == 1 && found != NULL) {
			mig_say(&s->m, "error", "[%s] is in %s and in %s: svx edits "
			    "one file", s->section[0], found, includes[i]);
			return -1;
		}
		if (r == 1)
			found = includes[i];
	}
	if (found == NULL) {
		mig_say(&s->m, "error", "no [program:%s] in %s or its includes",
		    s->group, main_conf);
		return -1;
	}
	/* Read again: the last file read was the last include. */
	if (holds_section(s, found) != 1)
		return -1;
	set_here(s, found);
	return strlcpy(s->conf, found, sizeof(s->conf)) < sizeof(s->conf) ?
	    0 : -1;
}

static const struct {
	const char	*key;
	size_t		 off, len;
} raw_keys[] = {
#define RAW(k)	{ #k, offsetof(struct sd_move, k), sizeof(((struct sd_move *)0)->k) }
	RAW(environment), RAW(umask), RAW(autorestart), RAW(exitcodes),
	RAW(priority), RAW(stopasgroup), RAW(numprocs_start),
	RAW(stdout_logfile), RAW(stderr_logfile),
#undef RAW
};

/* A link to the file (conf.d/x.conf -> ../available/x.conf) stays one:
 * the file it leads to is edited. */
static int
edit_real_file(struct sd_move *s)
{
	char real[PATH_MAX], *base;

	if (realpath(s->conf, real) == NULL) {
		mig_say(&s->m, "error", "%s: %s", s->conf, strerror(errno));
		return -1;
	}
	strlcpy(s->conf, real, sizeof(s->conf));
	set_here(s, s->conf);
	base = strrchr(s->conf, '/') + 1;
	/* Dot-names: no [include] glob of supervisord's takes them. */
	snprintf(s->kept, sizeof(s->kept), ".%.*s.svx-migrate",
	    NAME_MAX - 14, base);
	snprintf(s->tmp, sizeof(s->tmp), ".%.*s.svx-new", NAME_MAX - 10,
	    base);
	if (sdconf_comment_out(s->conf_text, s->sections, s->nsections,
	    s->edited_text, sizeof(s->edited_text)) == -1) {
		mig_say(&s->m, "error", "%s: too big, or a line too long, for svx "
		    "to comment [%s] out", s->conf, s->section[0]);
		return -1;
	}
	return 0;
}

/* Both environment= lists in one: supervisord's, then the program's. */
static int
merge_environment(struct sd_move *s)
{
	struct sd_env own;
	const char *why;
	size_t i, j;

	if (sdconf_environment(s->sd_environment, &s->env, &why) == -1 ||
	    sdconf_environment(s->environment, &own, &why) == -1) {
		mig_say(&s->m, "error", "%s: an environment= svx cannot split: %s",
		    s->conf, why);
		return -1;
	}
	for (i = 0; i < own.n; i++) {
		for (j = 0; j < s->env.n && strcmp(s->env.key[j], own.key[i]);
		    j++)
			;
		if (j == SDCONF_ENV_MAX) {
			mig_say(&s->m, "error", "more than %d variables",
			    SDCONF_ENV_MAX);
			return -1;
		}
		strlcpy(s->env.key[j], own.key[i], sizeof(s->env.key[j]));
		strlcpy(s->env.value[j], own.value[i], sizeof(s->env.value[j]));
		if (j == s->env.n)
			s->env.n++;
	}
	return 0;
}

/* What getAllConfigInfo leaves out, from the section, expanded. */
static int
read_section(struct sd_move *s)
{
	char raw[4096], pnum[32];
	const char *why;
	struct utsname u;
	struct sd_expand x;
	size_t i;
	int got;

	memset(&x, 0, sizeof(x));
	if (read_process(s, &x) == -1)
		return -1;
	x.program_name = s->group;
	x.group_name = s->group;
	x.process_num = "0";
	x.host_node_name = uname(&u) == 0 ? u.nodename : "";
	if (find_section(s, &x) == -1)
		return -1;
	x.here = s->here;
	if (s->nsections == 2)
		x.program_name = s->name;
	if (sdconf_value(s->conf_text, s->section[0], "numprocs_start", pnum,
	    sizeof(pnum)) == 1)
		x.process_num = pnum;
	for (i = 0; i < sizeof(raw_keys) / sizeof(raw_keys[0]); i++) {
		char *out = (char *)s + raw_keys[i].off;

		got = sdconf_value(s->conf_text, s->section[0],
		    raw_keys[i].key, raw, sizeof(raw));
		if (got == 1 && sdconf_expand(raw, &x, out, raw_keys[i].len,
		    &why) == -1) {
			mig_say(&s->m, "error", "%s: %s= of [%s]: %s", s->conf,
			    raw_keys[i].key, s->section[0], why);
			return -1;
		}
		if (got == -1) {
			mig_say(&s->m, "error", "%s: %s= of [%s] is too long",
			    s->conf, raw_keys[i].key, s->section[0]);
			return -1;
		}
	}
	s->sections[0] = s->section[0];
	s->sections[1] = s->section[1];
	return edit_real_file(s) == -1 || merge_environment(s) == -1 ? -1 : 0;
}

/* ---- the plan ------------------------------------------------------------ */

/* user=, or supervisord's own user: who the program runs as. */
static int
user_of(struct sd_move *s)
{
	uid_t uid = s->prog.uid >= 0 ? (uid_t)s->prog.uid : s->sd_uid;
	struct passwd *pw;

	if (uid == geteuid())
		return 0;
	if ((pw = getpwuid(uid)) == NULL) {
		mig_say(&s->m, "error", "it runs as uid %ld, which has no name "
		    "here", (long)uid);
		return -1;
	}
	if (geteuid() != 0) {
		mig_say(&s->m, "error", "it runs as %s: only root can start it as "
		    "that user", pw->pw_name);
		return -1;
	}
	return strlcpy(s->user, pw->pw_name, sizeof(s->user)) <
	    sizeof(s->user) ? 0 : -1;
}

static int
defines(const struct sd_env *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcmp(e->key[i], key) == 0)
			return 1;
	return 0;
}

/*
 * supervisord finds a bare command on its own PATH, whatever PATH the
 * program's environment= gives it. Exported first, that PATH finds the
 * same one; where environment= replaces it, the command is written with
 * the path supervisord would have found.
 */
static int
find_program(struct sd_move *s)
{
	char word[PATH_MAX], dirs[4096], cand[PATH_MAX], *d, *save;
	const char *why;
	struct stat sb;

	if (s->sd_path[0] == '\0')
		return 0;
	if (!defines(&s->env, "PATH")) {
		s->run.path = s->sd_path;
		return 0;
	}
	if (sdconf_first_word(s->prog.command, word, sizeof(word),
	    &why) == -1 || strchr(word, '/') != NULL)
		return 0;
	strlcpy(dirs, s->sd_path, sizeof(dirs));
	for (d = strtok_r(dirs, ":", &save); d != NULL;
	    d = strtok_r(NULL, ":", &save))
		if (path_join(cand, sizeof(cand), d, word) == 0 &&
		    stat(cand, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    access(cand, X_OK) == 0)
			return strlcpy(s->program, cand, sizeof(s->program)) <
			    sizeof(s->program) ? 0 : -1;
	mig_say(&s->m, "error", "%s is not on supervisord's PATH", word);
	return -1;
}

static int
is_word(const char *v, const char *w)
{
	return strcasecmp(v, w) == 0;
}

/*
 * Where the output went: the section's own words (getAllConfigInfo has
 * AUTO already turned into a file name), unset being AUTO.
 */
static int
logged(const char *raw)
{
	return !is_word(raw, "none") && !is_word(raw, "off");
}

static int
named_file(const char *raw)
{
	return raw[0] != '\0' && logged(raw) && !is_word(raw, "auto") &&
	    !is_word(raw, "syslog");
}

/* What the run script does besides the command. */
static void
plan_run(struct sd_move *s)
{
	s->out_logged = logged(s->stdout_logfile);
	s->err_logged = s->prog.redirect_stderr ? s->out_logged :
	    logged(s->stderr_logfile);
	s->err_file = !s->prog.redirect_stderr && named_file(s->stderr_logfile);
	s->m.has_log = s->out_logged || s->err_logged;
	s->run.out_null = !s->out_logged;
	s->run.err_null = !s->err_logged;
	s->run.err_merge = s->err_logged;
	/* No directory= of its own: supervisord's, where it ran. */
	strlcpy(s->directory, s->prog.directory[0] != '\0' &&
	    !is_word(s->prog.directory, "none") ? s->prog.directory :
	    s->sd_cwd, sizeof(s->directory));
	if (s->umask[0] == '\0')
		strlcpy(s->umask, s->sd_umask, sizeof(s->umask));
	s->run.command = s->prog.command;
	s->run.program = s->program;
	s->run.directory = s->directory;
	s->run.umask = s->umask;
	s->run.user = s->user;
	s->run.env = &s->env;
}

int
sd_sets(const struct sd_move *s, enum sd_option o)
{
	const struct sd_program *p = &s->prog;

	switch (o) {
	case SDO_COMMAND:
	case SDO_DIRECTORY:
	case SDO_UMASK:
		return 1;	/* always written: what it ran with */
	case SDO_USER:
		return s->user[0] != '\0';
	case SDO_ENVIRONMENT:
		return s->env.n > 0 || s->run.path != NULL;
	case SDO_AUTOSTART:
		return !p->autostart;
	case SDO_STDOUT_LOG:
		return s->out_logged;
	case SDO_STDERR_LOG:
		return s->err_logged;
	case SDO_STDERR_FILE:
		return s->err_file;
	case SDO_SYSLOG:
		return p->stdout_syslog > 0 || p->stderr_syslog > 0 ||
		    is_word(s->stdout_logfile, "syslog") ||
		    is_word(s->stderr_logfile, "syslog");
	case SDO_STOPSIGNAL:
		return p->stopsignal != 15;
	case SDO_STOPWAITSECS:
		/* s6 gets timeout-kill even for the default: say so. */
		return p->stopwaitsecs != 10 || s->m.to == BACKEND_S6;
	case SDO_STARTSECS:
		return p->startsecs != 1;
	case SDO_STARTRETRIES:
		return p->startretries != 3;
	case SDO_AUTORESTART:
		return is_word(s->autorestart, "false");
	case SDO_EXITCODES:
		return s->exitcodes[0] != '\0' && strcmp(s->exitcodes, "0") !=
		    0;
	case SDO_GROUP_KILL:
		return p->killasgroup > 0 || is_word(s->stopasgroup, "true");
	case SDO_PRIORITY:
		return s->priority[0] != '\0' && strcmp(s->priority, "999") !=
		    0;
	default:
		return 0;
	}
}

static void
report_options(struct sd_move *s)
{
	const struct sd_option_rule *r;
	enum mig_fate f;
	int o;

	for (o = 0; o < SDO_COUNT; o++) {
		if (!sd_sets(s, (enum sd_option)o))
			continue;
		r = &sd_option_rules[o];
		f = r->fate[s->m.to];
		if (f == FATE_LOST) {
			mig_say(&s->m, "lost", "%s: %s", r->name, r->lost_why);
			s->m.lost = 1;
		} else
			mig_say(&s->m, f == FATE_KEEP ? "kept" : "translated",
			    "%s: %s", r->name, r->as[s->m.to]);
	}
}

/* Where it will be built and run: --dir, --scandir, or both. */
static int
place_new(struct sd_move *s, const char *dir)
{
	static char scanbuf[PATH_MAX], homebuf[PATH_MAX];
	struct migration *m = &s->m;
	const char *scan = NULL, *home;
	enum scanner_kind watcher;

	/* Absolute: svx_run_verb would look a relative one up in $SVDIR. */
	if (mig_options->scandir != NULL) {
		if (strlcpy(scanbuf, mig_options->scandir, sizeof(scanbuf)) >=
		    sizeof(scanbuf) || make_absolute(scanbuf, sizeof(scanbuf)) == -1)
			return -1;
		scan = scanbuf;
	}
	if (dir != NULL && (strlcpy(homebuf, dir, sizeof(homebuf)) >=
	    sizeof(homebuf) || make_absolute(homebuf, sizeof(homebuf)) == -1))
		return -1;
	home = dir != NULL ? homebuf : scan;
	if (home == NULL) {
		mig_say(m, "error", "say where its service directory goes: --dir "
		    "DIR, --scandir DIR, or both");
		return -1;
	}
	if (strlcpy(m->parent, home, sizeof(m->parent)) >= sizeof(m->parent) ||
	    strlcpy(m->name, s->name, sizeof(m->name)) >= sizeof(m->name) ||
	    path_join(m->path, sizeof(m->path), m->parent, m->name) == -1)
		return -1;
	snprintf(m->hidden, sizeof(m->hidden), ".%.*s.svx-migrate",
	    NAME_MAX - 14, m->name);
	watcher = scanner_watching(home);
	if (scan == NULL && scanner_backend(watcher) == m->to)
		scan = home;
	if (watcher != SCANNER_NONE && (scan == NULL || !same_dir(scan,
	    home))) {
		/* It would start its own supervisor there too. */
		mig_say(m, "error", "a %s scanner watches %s: build it elsewhere "
		    "(--dir)", backend_name(scanner_backend(watcher)), home);
		return -1;
	}
	if (scan == NULL) {
		m->place = PLACE_OWN;
		strlcpy(m->where, m->path, sizeof(m->where));
		return 0;
	}
	if (scanner_backend(scanner_watching(scan)) != m->to) {
		mig_say(m, "error", "no %s scanner runs on %s", backend_name(m->to),
		    scan);
		return -1;
	}
	m->place = PLACE_SCANNER;
	strlcpy(m->newscan, scan, sizeof(m->newscan));
	if (path_join(m->where, sizeof(m->where), scan, m->name) == -1)
		return -1;
	/* Hidden in its scanner's directory until it is whole; hidden
	 * again there should the move be undone. */
	if (same_dir(scan, m->parent))
		m->old_scanner = watcher;
	return 0;
}

static int
taken(const char *dir, const char *name)
{
	char path[PATH_MAX];

	return path_join(path, sizeof(path), dir, name) == 0 &&
	    faccessat(AT_FDCWD, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

/* A --dir that does not exist yet: svx makes it, in a parent it can
 * write. */
static int
can_make(const char *dir)
{
	char up[PATH_MAX];

	path_dir(dir, up, sizeof(up));
	return access(up, W_OK) == 0;
}

static int
preflight(struct sd_move *s, const char *dir)
{
	struct migration *m = &s->m;
	const char *names[] = { m->hidden, s->kept, s->tmp };
	const char *dirs[] = { m->parent, s->here, s->here };
	size_t i;
	int e;

	if (taken(m->parent, m->name) || (m->place == PLACE_SCANNER &&
	    taken(m->newscan, m->name))) {
		mig_say(m, "error", "%s exists already", taken(m->parent, m->name) ?
		    m->path : m->where);
		return -1;
	}
	for (i = 0; i < 3; i++)
		if (taken(dirs[i], names[i])) {
			mig_say(m, "error", "%s/%s is left from an earlier "
			    "migration; look at it, then remove it", dirs[i],
			    names[i]);
			return -1;
		}
	if (access(m->parent, W_OK) == -1) {
		e = errno;
		if (e != ENOENT || dir == NULL || !can_make(m->parent)) {
			mig_say(m, "error", "%s: %s", m->parent, strerror(e));
			return -1;
		}
	}
	/* The configuration is edited by write-and-rename beside it. */
	if (access(s->conf, W_OK) == -1 || access(s->here, W_OK) == -1) {
		mig_say(m, "error", "%s cannot be edited (%s): supervisord would "
		    "start it again when it restarts", s->conf, strerror(errno));
		return -1;
	}
	return 0;
}

int
sd_plan(struct sd_move *s, const char *dir)
{
	struct migration *m = &s->m;

	if (parse_name(s, m->arg) == -1) {
		mig_say(m, "error", "not a supervisord program name svx can use "
		    "as a directory name");
		return -1;
	}
	if (ask_supervisord(s) == -1 || read_section(s) == -1 ||
	    user_of(s) == -1 || find_program(s) == -1 ||
	    place_new(s, dir) == -1 || preflight(s, dir) == -1)
		return -1;
	plan_run(s);
	mig_say(m, "plan", "supervisord -> %s, %s at %s%s%s; wanted %s (it is %s)",
	    backend_name(m->to), m->place == PLACE_SCANNER ? "under the "
	    "scanner" : "under a supervisor of its own", m->path, m->place ==
	    PLACE_SCANNER && !same_dir(m->newscan, m->parent) ? ", linked "
	    "from " : "", m->place == PLACE_SCANNER && !same_dir(m->newscan,
	    m->parent) ? m->where : "", m->want_up ? "up" : "down",
	    s->proc.statename);
	mig_say(m, "plan", "[%s] in %s: commented out, the original kept as "
	    "%s/%s until the move is done", s->section[0], s->conf, s->here,
	    s->kept);
	report_options(s);
	mig_say(m, "note", "it inherits its new supervisor's environment, not "
	    "supervisord's: of that, the run script carries PATH over; "
	    "SUPERVISOR_ENABLED and the other SUPERVISOR_* are gone");
	return 0;
}
