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
	const char	*why;		/* detection's words (cannot_words) */
	const char	*svdir;		/* the control directory's name */
};

/* Say R's line from W's table, if it has one; the outcome it counts as. */
enum svx_outcome compat_say_send(const struct send_words *, enum send_result,
	    const struct send_context *);
enum svx_outcome compat_say_word(const struct send_words *,
	    const struct send_word *, const struct send_context *);

struct svx_service;
struct text;
/* Why SV can be neither read nor controlled (mappings.h's cannot_reason),
 * with C's err and why set for the words. */
enum cannot_reason compat_cannot(const struct svx_service *sv,
	    struct send_context *c);
/* R's line from W's table said where that tool says it; the outcome it
 * counts as (OUT_OK for exit's "ok:"). */
enum svx_outcome compat_say_cannot(const struct cannot_words *,
	    enum cannot_reason r, const struct send_context *);
/* R's words from W's table appended to T, for a tool that builds a line. */
void	compat_put_cannot(struct text *t, const struct cannot_words *,
	    enum cannot_reason r, const struct send_context *);

#endif
