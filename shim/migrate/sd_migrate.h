/*
 * svx migrate of a supervisord program: the plan (sd_plan.c: what
 * supervisord and its configuration say, what the directory holds) and
 * the move (sd_migrate.c: build, cut over, roll back).
 */
#ifndef SVX_SD_MIGRATE_H
#define SVX_SD_MIGRATE_H

#include <sys/types.h>

#include <limits.h>

#include "../../adapters/supervisord/sdconf.h"
#include "../../adapters/supervisord/supervisord.h"
#include "../../mappings/mappings.h"
#include "mig.h"

struct sd_move {
	struct migration	 m;
	struct sd_conn	 c;
	struct sd_program prog;
	struct sd_proc	 proc;
	const char	*qname;			/* supervisord's name for it */
	char		 group[SD_NAME_MAX], name[SD_NAME_MAX];
	/* supervisord itself, from /proc: what its programs inherit. */
	pid_t		 sdpid;
	uid_t		 sd_uid;
	char		 sd_cwd[PATH_MAX], sd_umask[16], sd_path[4096];
	char		 sd_environment[4096];	/* [supervisord] environment= */
	/* The file of its section, its directory, the names svx uses. */
	char		 conf[PATH_MAX], here[PATH_MAX];
	char		 kept[NAME_MAX + 1], tmp[NAME_MAX + 1];
	const char	*sections[2];
	char		 section[2][SD_NAME_MAX + 16];
	size_t		 nsections;
	/* Raw values of its section, expanded. */
	char		 environment[4096], umask[32], autorestart[32],
			 exitcodes[128], priority[32], stopasgroup[32],
			 numprocs_start[32], stdout_logfile[PATH_MAX],
			 stderr_logfile[PATH_MAX];
	struct sd_env	 env;
	char		 user[64], program[PATH_MAX], directory[PATH_MAX];
	struct sd_run	 run;
	int		 out_logged, err_logged, err_file;
	int64_t		 stop_ms;
	/* What has been done, for the undo. */
	int		 made_parent, built, stopped, removed, edited,
			 replaced;
	/* The configuration file's text, and the same with the program's
	 * sections commented out. */
	char		 conf_text[SDCONF_TEXT_MAX];
	char		 edited_text[SDCONF_TEXT_MAX];
};

int	sd_plan(struct sd_move *, const char *dir);
/* Whether the program sets OPTION: reported, and acted on. */
int	sd_sets(const struct sd_move *, enum sd_option);

#endif
