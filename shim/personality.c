/*
 * The personalities: one sorted table, looked up by the basename of
 * argv[0] (s6-alias, toybox). A unit test checks the order, and that
 * the names are mappings/tools.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "compat/compat.h"
#include "personality.h"
#include "svx/svx.h"

const struct personality personalities[] = {
	{ "s6-svc", s6svc_main },
	{ "s6-svok", s6svok_main },
	{ "s6-svstat", s6svstat_main },
	{ "s6-svwait", s6svwait_main },
	{ "sv", sv_main },
	{ "svc", svc_main },
	{ "svok", svok_main },
	{ "svstat", svstat_main },
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
