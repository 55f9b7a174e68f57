/*
 * The native tools' personalities: daemontools' (daemontools.c), runit's
 * (runit.c) and s6's (s6.c). Each is a main().
 */
#ifndef SVX_COMPAT_H
#define SVX_COMPAT_H

#include "../../mappings/mappings.h"

int	svc_main(int, char **);
int	svok_main(int, char **);
int	svstat_main(int, char **);
int	sv_main(int, char **);
int	s6svc_main(int, char **);
int	s6svok_main(int, char **);
int	s6svstat_main(int, char **);
int	s6svwait_main(int, char **);

/* What a send_words template is filled in with (words.c). */
struct send_context {
	const char	*dir;		/* the service as the user gave it */
	const char	*backend;	/* the adapter's name */
	const char	*what;		/* what was refused: "-k", "term" */
	int		 err;		/* errno after the send */
	int		 exiting;	/* the command was exit (x) */
};

/* Say R's line from W's table, if it has one; the outcome it counts as. */
enum svx_outcome compat_say_send(const struct send_words *, enum send_result,
	    const struct send_context *);
enum svx_outcome compat_say_word(const struct send_words *,
	    const struct send_word *, const struct send_context *);

#endif
