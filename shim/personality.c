/*
 * The personalities: one sorted table, looked up by the basename of
 * argv[0] (s6-alias, toybox). A unit test checks the order.
 */
#include <stdlib.h>
#include <string.h>

#include "shim.h"

const struct personality personalities[] = {
	{ "svx", svx_main },
};
const size_t npersonalities = sizeof(personalities) /
    sizeof(personalities[0]);

static int
cmp_personality(const void *key, const void *row)
{
	return strcmp(key, ((const struct personality *)row)->name);
}

const struct personality *
find_personality(const char *name)
{
	return bsearch(name, personalities, npersonalities,
	    sizeof(personalities[0]), cmp_personality);
}

const char *
personality_name(const void *row)
{
	return ((const struct personality *)row)->name;
}
