/*
 * svx import: a service directory from a systemd unit (import.c: the
 * command line, finding the unit, the build; plan.c: every directive
 * kept, translated or lost, said; render.c: the files' text).
 */
#ifndef SVX_IMPORT_H
#define SVX_IMPORT_H

#include <limits.h>
#include <stddef.h>

#include "../../adapters/systemd/unit.h"
#include "../../mappings/mappings.h"
#include "../../mappings/systemd_map.h"

#define IMP_ENV_MAX	64
#define IMP_PRE_MAX	8
#define IMP_LIMITS_MAX	16
#define IMP_DIRS_MAX	8
#define IMP_TEXT_MAX	16384

struct import_opts {
	enum svx_backend to;
	const char	*dir;		/* --dir: where it is built */
	int		 dry_run;
};

/* Where output goes: the logger, nowhere, or a file. */
enum imp_out { IMPO_LOG, IMPO_NULL, IMPO_FILE, IMPO_APPEND,
	IMPO_TRUNCATE, IMPO_SAME, IMPO_LOST };

struct imp_dir {
	char		 path[PATH_MAX];
	const char	*mode;		/* "" for the default */
	const char	*env;		/* RUNTIME_DIRECTORY ... */
};

/* One unit's import: what was read, and what run will do. */
struct imp {
	const char	*arg;
	enum svx_backend to;
	struct unit_name name;
	struct unit_context ctx;
	char		 file[PATH_MAX];
	char		 dropin[UNIT_FILES_MAX][PATH_MAX];
	int		 ndropins;
	char		 svname[NAME_MAX + 1];
	int		 lost;		/* a loss that changes what runs */
	int		 refused;	/* cannot be imported at all */

	/* run's pieces, filled by plan.c */
	const char	*description;
	const char	*env[IMP_ENV_MAX];	/* "K=V", resolved */
	size_t		 nenv;
	const char	*envfile[IMP_ENV_MAX];	/* "-" first: optional */
	size_t		 nenvfile;
	const char	*unset[IMP_ENV_MAX];	/* NAME, or NAME=VALUE */
	size_t		 nunset;
	const char	*user, *group;
	int		 as_root;	/* ExecStart's '+' */
	char		 groups[256];		/* supplementary, "a,b" */
	char		 ids[128];		/* s6-applyuidgid's options */
	char		 home[PATH_MAX], shell[PATH_MAX];
	const char	*workdir;		/* "-" first: optional */
	const char	*umask;
	const char	*nice;
	const char	*oom;
	char		 limits[IMP_LIMITS_MAX][48];	/* "-o 65535" */
	size_t		 nlimits;
	struct imp_dir	 dirs[IMP_DIRS_MAX];
	size_t		 ndirs;
	int		 ignore_sigpipe;
	enum imp_out	 out, err;
	const char	*out_file, *err_file;
	int		 down;			/* Restart=no */
	const struct unit_restart *restart;	/* Restart=on-*: ./finish */
	char		 down_signal[32];	/* KillSignal, "" default */
	long long	 timeout_kill_ms;	/* -1 none */
	const struct unit_readiness *ready;
	int		 runtime_env;	/* $VAR expanded by sh at start */
	char		 start[IMP_TEXT_MAX];	/* ExecStart as sh words */
	char		 pre[IMP_PRE_MAX][IMP_TEXT_MAX / 4];	/* "-" prefix
						 * kept in pre_ignore */
	int		 pre_ignore[IMP_PRE_MAX];
	int		 pre_root[IMP_PRE_MAX];	/* '+': not as the user */
	/* Where the strings above that are not the unit's own live. */
	char		 env_store[IMP_ENV_MAX][UNIT_WORD_MAX];
	char		 unset_store[IMP_ENV_MAX][256];
	char		 path_store[IMP_ENV_MAX + IMP_DIRS_MAX][PATH_MAX];
	size_t		 npre;
	char		 reload[IMP_TEXT_MAX / 4];	/* ExecReload, sh words */
	char		 post[IMP_PRE_MAX][IMP_TEXT_MAX / 4];	/* ExecStopPost */
	int		 post_root[IMP_PRE_MAX];
	size_t		 npost;
};

/* Say one report line: "ARG: KIND: what". */
void	imp_say(const struct imp *, const char *kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Every directive of the unit read, said, and made into I's plan: 0,
 * or -1 (refused, said). */
int	imp_plan(struct imp *, const struct unit *);
/* The files' text into BUF (LEN): 0, or -1 when it does not fit. */
int	imp_render_run(const struct imp *, char *buf, size_t len);
int	imp_render_log(const struct imp *, char *buf, size_t len);
int	imp_render_check(const struct imp *, char *buf, size_t len);
int	imp_render_control_t(const struct imp *, char *buf, size_t len);
int	imp_render_finish(const struct imp *, char *buf, size_t len);
int	imp_render_control_h(const struct imp *, char *buf, size_t len);
/* systemd's PATH for a service (plan.c). */
extern const char *imp_systemd_path;
/* svx import UNIT...: the outcome. */
enum svx_outcome svx_import(int n, char **args, const struct import_opts *);

#endif
