/*
 * svx's own command line (svx.c) and svx backend-env (backend_env.c).
 */
#ifndef SVX_SVX_H
#define SVX_SVX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../adapters/files/svnew.h"
#include "../../mappings/mappings.h"

/* svx log's options (log.c). */
struct log_opts {
	long		 lines;		/* -n; -1: all (10 with -f) */
	int		 follow;	/* -f */
	int		 since_set;	/* --since */
	int64_t		 since;		/* unix seconds */
};

/* svx new, enable, disable's options (lifecycle.c). */
#define SVX_NEW_DIR	"/etc/sv"	/* README: where service directories live */
#define LIFE_ENV_MAX	SVNEW_ENV_MAX	/* --env given at most */
struct life_opts {
	const char	*dir;		/* --dir */
	const char	*scandir;	/* --scandir */
	unsigned int	 backends;	/* --backend, as status --all's bits */
	int		 log;		/* --log */
	int		 down;		/* --down */
	int		 force;		/* --force */
	int		 dry_run;	/* --dry-run */
	int		 dashdash;	/* "--" came before COMMAND */
	int		 verbose;
	const char	*user;		/* --user */
	const char	*env[LIFE_ENV_MAX];	/* --env K=V */
	size_t		 nenv;
	int64_t		 wait_ms;	/* -w; -1 none */
	int64_t		 settle_ms;
	const char	*supervisedir;
};

/* svx check's thresholds as given, NULL when not (check.c). */
struct check_opts {
	const char	*warn_uptime, *crit_uptime;
	const char	*warn_restarts, *crit_restarts;
};
/* svx perms's (perms.c). */
struct perms_opts {
	const char	*group;		/* --group, a name or a number */
	gid_t		 gid;		/* ... as a number */
	int		 control;	/* --control */
	int		 show;		/* --show */
	int		 reset;		/* --reset */
};

int	svx_main(int, char **);
/* The plugin's exit code: enum check_state. */
int	svx_check(int n, char **args, const struct check_opts *,
	    const char *svdir, const char *supervisedir);
enum svx_outcome svx_perms(int n, char **args, struct perms_opts *,
	    const char *svdir, const char *supervisedir);
enum svx_outcome svx_new(int n, char **args, const struct life_opts *);
enum svx_outcome svx_enable(int n, char **args, const struct life_opts *);
enum svx_outcome svx_disable(int n, char **args, const struct life_opts *);
int	log_parse_lines(const char *, struct log_opts *);
int	log_parse_since(const char *, struct log_opts *);
enum svx_outcome svx_log(int n, char **args, const struct log_opts *,
	    const char *svdir);
/* The last LINES of the log of the service NAME ($SVDIR's, or a
 * supervisord program), indented, on stdout; nothing when it has none
 * svx can read. */
void	log_status_lines(const char *name, const char *svdir, long lines);
enum svx_outcome svx_doctor(int n, char **args, int json, const char *svdir,
	    const char *supervisedir);
enum svx_outcome backend_env(int n, char **args, const char *svdir,
	    const char *supervisedir);

#endif
