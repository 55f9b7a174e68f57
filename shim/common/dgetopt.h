/*
 * getopt as the daemontools-family tools parse: letters clustered, no
 * permutation, and no state hidden in globals (dgetopt.c).
 */
#ifndef SVX_DGETOPT_H
#define SVX_DGETOPT_H

struct dgetopt {
	int		 ind;		/* the next argument to look at */
	const char	*next;		/* inside a cluster of letters */
	const char	*arg;		/* the option's argument */
	int		 opt;		/* the letter just parsed */
};
enum { DGETOPT_END = -1, DGETOPT_BAD = -2, DGETOPT_NOARG = -3 };
void	dgetopt_init(struct dgetopt *);
int	dgetopt(struct dgetopt *, int, char **, const char *);

#endif
