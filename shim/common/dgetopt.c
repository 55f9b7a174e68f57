/*
 * Option parsing as djb's sgetopt and skalibs' subgetopt do it, which the
 * native tools use and scripts rely on: no permutation (the first operand
 * ends the options), "-" alone is an operand, and any argument starting
 * with "--" ends the options and is consumed. Silent: the caller words
 * the errors, because each native tool words them differently.
 */
#include <string.h>

#include "dgetopt.h"

void
dgetopt_init(struct dgetopt *g)
{
	memset(g, 0, sizeof(*g));
	g->ind = 1;
}

/*
 * The next option letter; DGETOPT_END when the options are over (g->ind
 * is then the first operand); DGETOPT_BAD for a letter not in SPEC and
 * DGETOPT_NOARG for a missing argument (g->opt is the letter either way).
 */
int
dgetopt(struct dgetopt *g, int argc, char **argv, const char *spec)
{
	const char *p;

	if (g->next == NULL || *g->next == '\0') {
		if (g->ind >= argc || argv[g->ind][0] != '-' ||
		    argv[g->ind][1] == '\0')
			return DGETOPT_END;
		if (argv[g->ind][1] == '-') {
			g->ind++;
			return DGETOPT_END;
		}
		g->next = argv[g->ind++] + 1;
	}
	g->opt = *g->next++;
	g->arg = NULL;
	if (g->opt == ':' || (p = strchr(spec, g->opt)) == NULL)
		return DGETOPT_BAD;
	if (p[1] != ':')
		return g->opt;
	if (*g->next != '\0') {
		g->arg = g->next;
		g->next = NULL;
	} else if (g->ind < argc)
		g->arg = argv[g->ind++];
	else
		return DGETOPT_NOARG;
	return g->opt;
}
