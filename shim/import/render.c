/*
 * svx import's files, as text: run (a portable sh script: redirections,
 * umask, environment, directories and the working directory are sh's
 * own; the user switch, the limits and s6's readiness are each
 * backend's own tools, exec'd in a chain), log/run (the backend's
 * logger, as svx new writes it), data/check and control/t.
 */
#include <stdio.h>
#include <string.h>

#include "../../adapters/files/svfiles.h"
#include "../../adapters/files/svnew.h"
#include "import.h"

#define PUT(s)	(bad |= buf_append(buf, len, &at, (s)))
#define QUOTE(s) (bad |= svnew_quote(buf, len, &at, (s)))

static int
put_redirect(char *buf, size_t len, size_t *atp, int fd, enum imp_out o,
    const char *file)
{
	static const char *const ops[] = {
		[IMPO_NULL] = ">/dev/null", [IMPO_FILE] = "<>",
		[IMPO_APPEND] = ">>", [IMPO_TRUNCATE] = ">",
	};
	size_t at = *atp;
	int bad = 0;

	if (o == IMPO_LOG || o == IMPO_SAME || o == IMPO_LOST)
		return 0;
	PUT(fd == 1 ? "exec 1" : "exec 2");
	PUT(ops[o]);
	if (o != IMPO_NULL)
		QUOTE(file);
	PUT("\n");
	*atp = at;
	return bad;
}

/* stdout and stderr: stderr joins the logger before stdout may leave it. */
static int
put_output(const struct imp *i, char *buf, size_t len, size_t *atp)
{
	size_t at = *atp;
	int bad = 0;

	if (i->err == IMPO_LOG && i->out != IMPO_LOG)
		PUT("exec 2>&1\n");
	bad |= put_redirect(buf, len, &at, 1, i->out, i->out_file);
	if (i->err == IMPO_SAME || (i->err == IMPO_LOG && i->out == IMPO_LOG))
		PUT("exec 2>&1\n");
	else
		bad |= put_redirect(buf, len, &at, 2, i->err, i->err_file);
	*atp = at;
	return bad;
}

static int
put_export(char *buf, size_t len, size_t *atp, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char key[256];
	size_t at = *atp;
	int bad = 0;

	if (eq == NULL || (size_t)(eq - kv) >= sizeof(key))
		return 0;
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	if (strspn(key, "_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789") != strlen(key) || (key[0] >= '0' && key[0] <= '9'))
		return 0;	/* no sh name: it cannot be exported */
	PUT("export ");
	PUT(key);
	PUT("=");
	QUOTE(eq + 1);
	PUT("\n");
	*atp = at;
	return bad;
}

static int
put_user_env(const struct imp *i, char *buf, size_t len, size_t *atp)
{
	size_t at = *atp;
	int bad = 0;

	PUT("export USER=");
	QUOTE(i->user);
	PUT(" LOGNAME=");
	QUOTE(i->user);
	PUT(" HOME=");
	QUOTE(i->home);
	PUT(" SHELL=");
	QUOTE(i->shell);
	PUT("\n");
	*atp = at;
	return bad;
}

/* EnvironmentFile=: read at start as systemd does; '-': may be missing. */
static int
put_envfiles(const struct imp *i, char *buf, size_t len, size_t *atp)
{
	size_t at = *atp, k;
	const char *f;
	int bad = 0, optional;

	for (k = 0; k < i->nenvfile; k++) {
		f = i->envfile[k];
		optional = f[0] == '-';
		f += optional;
		PUT(optional ? "if [ -r " : "[ -r ");
		QUOTE(f);
		PUT(optional ? " ]; then set -a; . " : " ] || { echo \"$0: ");
		if (optional) {
			QUOTE(f);
			PUT("; set +a; fi\n");
			continue;
		}
		QUOTE(f);
		PUT(": no such file\" >&2; exit 111; }\nset -a; . ");
		QUOTE(f);
		PUT("; set +a\n");
	}
	*atp = at;
	return bad;
}

static int
put_dirs(const struct imp *i, char *buf, size_t len, size_t *atp)
{
	size_t at = *atp, k;
	int bad = 0;

	for (k = 0; k < i->ndirs; k++) {
		PUT("mkdir -p ");
		QUOTE(i->dirs[k].path);
		if (i->user != NULL && !i->as_root) {
			PUT(" && chown ");
			QUOTE(i->user);
			if (i->group != NULL) {
				PUT(":");
				QUOTE(i->group);
			}
			PUT(" ");
			QUOTE(i->dirs[k].path);
		}
		PUT(" && chmod ");
		PUT(i->dirs[k].mode[0] != '\0' ? i->dirs[k].mode : "0755");
		PUT(" ");
		QUOTE(i->dirs[k].path);
		PUT(" || exit 111\n");
	}
	/* systemd's RUNTIME_DIRECTORY and STATE_DIRECTORY: each list's
	 * paths, colon-separated. */
	for (k = 0; k < i->ndirs; k++) {
		size_t j;

		for (j = 0; j < k && strcmp(i->dirs[j].env, i->dirs[k].env) !=
		    0; j++)
			;
		if (j < k)
			continue;	/* exported with the first of its kind */
		PUT("export ");
		PUT(i->dirs[k].env);
		PUT("=");
		for (j = k; j < i->ndirs; j++)
			if (strcmp(i->dirs[j].env, i->dirs[k].env) == 0) {
				if (j > k)
					PUT(":");
				QUOTE(i->dirs[j].path);
			}
		PUT("\n");
	}
	*atp = at;
	return bad;
}

/* WorkingDirectory= without its '-', '~' being its user's home. */
static const char *
workdir_of(const struct imp *i)
{
	const char *d = i->workdir + (i->workdir[0] == '-');

	return d[0] == '~' ? (i->user != NULL ? i->home : "/root") : d;
}

static int
put_workdir(const struct imp *i, char *buf, size_t len, size_t *atp)
{
	size_t at = *atp;
	int bad = 0;

	if (i->workdir == NULL || i->ready != NULL)
		return 0;	/* with s6 readiness: in the chain */
	PUT("cd ");
	QUOTE(workdir_of(i));
	PUT(i->workdir[0] == '-' ? " 2>/dev/null || :\n" :
	    " || exit 111\n");
	*atp = at;
	return bad;
}

/* UnsetEnvironment=: NAME unset; NAME=VALUE only while it holds VALUE. */
static int
put_unsets(const struct imp *i, char *buf, size_t len, size_t *atp)
{
	char name[256];
	const char *eq;
	size_t at = *atp, k;
	int bad = 0;

	for (k = 0; k < i->nunset; k++) {
		eq = strchr(i->unset[k], '=');
		snprintf(name, sizeof(name), "%.*s", eq != NULL ? (int)(eq -
		    i->unset[k]) : (int)strlen(i->unset[k]), i->unset[k]);
		if (strspn(name, "_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
		    "rstuvwxyz0123456789") != strlen(name) || (name[0] >= '0' &&
		    name[0] <= '9'))
			continue;	/* no sh name: sh never had it */
		if (eq != NULL) {
			PUT("[ \"${");
			PUT(name);
			PUT("-}\" = ");
			QUOTE(eq + 1);
			PUT(" ] && ");
		}
		PUT("unset ");
		PUT(name);
		PUT("\n");
	}
	*atp = at;
	return bad;
}

/* The unit's environment: its user's, Environment=, EnvironmentFile=,
 * then UnsetEnvironment= (systemd applies it last). */
static int
put_env_all(const struct imp *i, char *buf, size_t len, size_t *atp)
{
	size_t k;
	int bad = 0;

	if (i->user != NULL && !i->as_root)
		bad |= put_user_env(i, buf, len, atp);
	for (k = 0; k < i->nenv; k++)
		bad |= put_export(buf, len, atp, i->env[k]);
	bad |= put_envfiles(i, buf, len, atp);
	return bad | put_unsets(i, buf, len, atp);
}

/* What runs a command as the unit's user, limited: the chain's head.
 * MAIN: ExecStart (readiness is its); AS_ROOT: the command's '+'. */
static int
put_chain(const struct imp *i, char *buf, size_t len, size_t *atp, int main,
    int as_root)
{
	size_t at = *atp, k;
	int bad = 0;

	/* s6-notifyoncheck runs ./data/check from its working directory
	 * (its -c wants execline): the service directory, so the unit's
	 * WorkingDirectory= comes after it, in the chain. */
	if (main && i->ready != NULL) {
		PUT("s6-notifyoncheck -3 3 -w 250 -n 0 ");
		if (i->workdir != NULL) {
			PUT("sh -c 'cd \"$1\"");
			PUT(i->workdir[0] == '-' ? " 2>/dev/null" :
			    " || exit 111");
			PUT("; shift; exec \"$@\"' sh ");
			QUOTE(workdir_of(i));
			PUT(" ");
		}
	}
	if (i->nice != NULL) {
		PUT("nice -n ");
		PUT(i->nice);
		PUT(" ");
	}
	if (i->nlimits > 0) {
		PUT(unit_limit_tool[i->to]);
		for (k = 0; k < i->nlimits; k++) {
			PUT(" ");
			PUT(i->limits[k]);
		}
		PUT(" ");
	}
	if (i->user != NULL && !as_root) {
		if (i->to == BACKEND_S6 && i->ids[0] != '\0') {
			PUT("s6-applyuidgid ");
			PUT(i->ids);
			PUT(" ");
		} else if (i->to == BACKEND_RUNIT) {
			PUT("chpst -u ");
			QUOTE(i->user);
			if (i->group != NULL || i->groups[0] != '\0') {
				PUT(":");
				QUOTE(i->group != NULL ? i->group : i->user);
			}
			if (i->groups[0] != '\0') {
				char g[256], *p;

				strlcpy(g, i->groups, sizeof(g));
				for (p = g; *p != '\0'; p++)
					if (*p == ',')
						*p = ':';
				PUT(":");
				QUOTE(g);
			}
			PUT(" ");
		} else {
			PUT(user_switcher(i->to));
			QUOTE(i->user);
			PUT(" ");
		}
	}
	*atp = at;
	return bad;
}

int
imp_render_run(const struct imp *i, char *buf, size_t len)
{
	size_t at = 0, k;
	int bad = 0;

	PUT("#!/bin/sh\n# svx import: ");
	PUT(i->name.full);
	PUT(" from ");
	PUT(i->file);
	PUT(i->ndropins > 0 ? " and its drop-ins" : "");
	PUT(", for ");
	PUT(backend_name(i->to));
	PUT("\n");
	if (i->description != NULL && strchr(i->description, '\n') == NULL) {
		PUT("# ");
		PUT(i->description);
		PUT("\n");
	}
	bad |= put_output(i, buf, len, &at);
	PUT("PATH=");
	PUT(imp_systemd_path);
	PUT("; export PATH\n");
	if (i->ignore_sigpipe)
		PUT("trap '' PIPE\n");
	if (i->umask != NULL) {
		PUT("umask ");
		PUT(i->umask);
		PUT("\n");
	}
	bad |= put_env_all(i, buf, len, &at);
	bad |= put_dirs(i, buf, len, &at);
	bad |= put_workdir(i, buf, len, &at);
	if (i->oom != NULL) {
		PUT("echo ");
		PUT(i->oom);
		PUT(" >/proc/self/oom_score_adj || exit 111\n");
	}
	if (i->runtime_env)
		PUT("set -f\n");
	for (k = 0; k < i->npre; k++) {
		bad |= put_chain(i, buf, len, &at, 0, i->pre_root[k]);
		PUT(i->pre[k]);
		PUT(i->pre_ignore[k] ? "\n" : " || exit 111\n");
	}
	PUT("exec ");
	bad |= put_chain(i, buf, len, &at, 1, i->as_root);
	PUT(i->start);
	PUT("\n");
	return bad ? -1 : 0;
}

int
imp_render_log(const struct imp *i, char *buf, size_t len)
{
	size_t at = 0;
	int bad = 0;

	PUT("#!/bin/sh\n# svx import: ");
	PUT(i->name.full);
	PUT("'s output, in ./" SVNEW_LOGDIR "/\nexec ");
	PUT(svnew_logger(i->to));
	PUT("\n");
	return bad ? -1 : 0;
}

int
imp_render_check(const struct imp *i, char *buf, size_t len)
{
	size_t at = 0;
	int bad = 0;

	PUT("#!/bin/sh\n# svx import: ");
	PUT(i->name.full);
	PUT(" is Type=notify; s6-notifyoncheck runs this until it exits 0\n");
	PUT(i->ready->check);
	PUT("\n");
	return bad ? -1 : 0;
}

/*
 * Restart=on-*: ./finish gets how the service ended (runit: EXIT SIG;
 * s6: EXIT SIG NAME, EXIT 256 when killed; PROTOCOLS.md#finish-scripts)
 * and, when systemd would not restart it, keeps it down: runit's
 * supervise/control told d, s6's exit 125.
 */
int
imp_render_finish(const struct imp *i, char *buf, size_t len)
{
	size_t at = 0, k;
	int bad = 0;

	PUT("#!/bin/sh\n# svx import: ");
	PUT(i->name.full);
	PUT("'s");
	PUT(i->npost > 0 ? " ExecStopPost" : "");
	if (i->restart != NULL) {
		PUT(" Restart=");
		PUT(i->restart->value);
	}
	/* runit: EXIT -1 and SIG when killed; s6: EXIT 256. */
	PUT("\n# clean: exit 0, or SIGHUP, SIGINT, SIGTERM, SIGPIPE (systemd's "
	    "clean signals)\nclean=no killed=no\n[ \"$1\" = 0 ] && clean=yes\n"
	    "case ${2:-0} in\n0) ;;\n1|2|13|15) clean=yes ;;\n"
	    "*) killed=yes ;;\nesac\n");
	if (i->npost > 0) {
		PUT("if [ \"${2:-0}\" = 0 ]; then EXIT_CODE=exited "
		    "EXIT_STATUS=$1\nelse EXIT_CODE=killed EXIT_STATUS=$(kill -l "
		    "\"$2\")\nfi\nexport EXIT_CODE EXIT_STATUS\nPATH=");
		PUT(imp_systemd_path);
		PUT("; export PATH\n");
		bad |= put_env_all(i, buf, len, &at);
		if (i->runtime_env)
			PUT("set -f\n");
		for (k = 0; k < i->npost; k++) {
			bad |= put_chain(i, buf, len, &at, 0, i->post_root[k]);
			PUT(i->post[k]);
			PUT("\n");
		}
	}
	if (i->restart == NULL)
		return bad ? -1 : 0;
	PUT("if ");
	PUT(i->restart->restart_when);
	PUT("; then exit 0; fi\n");
	PUT(i->to == BACKEND_S6 ? "exit 125\n" :
	    "printf d >supervise/control\n");
	return bad ? -1 : 0;
}

/* ExecReload= as runit's control/h: runsv runs it on svx hup (and sends
 * no SIGHUP when it exits 0), in the service directory. */
int
imp_render_control_h(const struct imp *i, char *buf, size_t len)
{
	size_t at = 0;
	int bad = 0;

	PUT("#!/bin/sh\n# svx import: ");
	PUT(i->name.full);
	PUT("'s ExecReload\nPATH=");
	PUT(imp_systemd_path);
	PUT("; export PATH\n");
	/* The unit's environment, as its run has it. */
	bad |= put_env_all(i, buf, len, &at);
	PUT("MAINPID=$(cat supervise/pid); export MAINPID\nset -f\nexec ");
	PUT(i->reload);
	PUT("\n");
	return bad ? -1 : 0;
}

/* runsv runs control/t for down, exit and term alike, and sends no
 * SIGTERM when it exits 0 (PROTOCOLS.md#control-letters). */
int
imp_render_control_t(const struct imp *i, char *buf, size_t len)
{
	size_t at = 0;
	int bad = 0;

	PUT("#!/bin/sh\n# svx import: ");
	PUT(i->name.full);
	PUT("'s KillSignal\nexec kill -s ");
	PUT(i->down_signal + 3);	/* "SIGQUIT": kill -s QUIT */
	PUT(" \"$(cat supervise/pid)\"\n");
	return bad ? -1 : 0;
}
