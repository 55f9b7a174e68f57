/*
 * The table of personalities, by the name svx is called as (personality.c).
 */
#ifndef SVX_PERSONALITY_H
#define SVX_PERSONALITY_H

#include <stddef.h>

struct personality {
	const char	*name;
	int		(*main)(int, char **);
};

extern const struct personality personalities[];
extern const size_t npersonalities;
const struct personality *find_personality(const char *);
const char *personality_name(const void *);

#endif
