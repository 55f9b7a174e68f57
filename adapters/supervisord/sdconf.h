/*
 * supervisord's configuration, as svx migrate reads and edits it: where
 * the files are, a [program:x] section's raw values, supervisord's %()
 * expansions and its two word syntaxes (environment= and command=), and
 * the run script a program becomes. Silent; pure but for sdconf_locate.
 */
#ifndef SVX_SDCONF_H
#define SVX_SDCONF_H

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>

#include "../adapter.h"

#define SDCONF_TEXT_MAX	65536	/* one configuration file */
#define SDCONF_ENV_MAX	64	/* environment= pairs */

/* What %(NAME)s means for one program (supervisord's expansions). */
struct sd_expand {
	const char	*here;		/* the file's directory */
	const char	*program_name, *group_name, *host_node_name;
	const char	*process_num;	/* numprocs_start: "0" */
	const char	*environ;	/* supervisord's, NUL-separated */
	size_t		 environ_len;	/* 0: not readable */
};

struct sd_env {
	size_t		 n;
	char		 key[SDCONF_ENV_MAX][64];
	char		 value[SDCONF_ENV_MAX][512];
};

/* What the run script does besides running the command. */
struct sd_run {
	const char	*command;	/* as supervisord has it */
	const char	*program;	/* NULL, or its first word resolved */
	const char	*path;		/* NULL, or PATH exported first */
	const char	*directory;	/* "" for none */
	const char	*umask;		/* "" for none */
	const char	*user;		/* "" for none */
	const struct sd_env *env;
	int		 out_null;	/* stdout thrown away */
	int		 err_null;	/* stderr thrown away */
	int		 err_merge;	/* stderr into the log too */
	const char	*origin;	/* "[program:x] in FILE", a comment */
};

/* Where supervisord looks for its configuration, in its order, from its
 * working directory (supervisorctl looks in the same places). */
extern const char *const sdconf_search_paths[];

/*
 * The configuration file supervisord PID read: $SVX_SUPERVISORD_CONF,
 * else its -c, else the first of supervisord's search paths from its
 * working directory. 0, or -1.
 */
int	sdconf_locate(pid_t pid, char *out, size_t len);
/* The FILE of -c FILE among supervisord's arguments, read as its getopt
 * reads them; NULL if none. */
const char *sdconf_config_argument(const char *const *argv, size_t argc);
/* [include] files= of TEXT, expanded, as globs from HERE: their paths,
 * sorted per glob as supervisord reads them. The count, or -1. */
int	sdconf_includes(const char *text, const struct sd_expand *,
	    char (*paths)[PATH_MAX], size_t max);
int	sdconf_has_section(const char *text, const char *section);
/* KEY of [SECTION], continuation lines joined: 1, 0 (none), -1 (long). */
int	sdconf_value(const char *text, const char *section, const char *key,
	    char *out, size_t len);
/* TEXT with the lines of SECTIONS commented out, into OUT: 0 or -1. */
int	sdconf_comment_out(const char *text, const char *const *sections,
	    size_t n, char *out, size_t len);
int	sdconf_expand(const char *in, const struct sd_expand *, char *out,
	    size_t len, const char **why);
/* environment= as supervisord splits it (a non-POSIX shlex). */
int	sdconf_environment(const char *value, struct sd_env *,
	    const char **why);
/* command= split as supervisord does (POSIX shlex), each word quoted
 * for sh (the first replaced by FIRST unless NULL), into OUT: 0, or -1
 * with why. */
int	sdconf_sh_words(const char *command, const char *first, char *out,
	    size_t len, const char **why);
int	sdconf_first_word(const char *command, char *out, size_t len,
	    const char **why);
int	sdconf_render_run(const struct sd_run *, enum svx_backend, char *buf,
	    size_t len);

#endif
