/*
 * The native tools svx stands in for, and what each reads of the
 * environment. Sorted by name: looked up with bsearch.
 */
#include <stdlib.h>
#include <string.h>

#include "mappings.h"

/*
 * encore's svc, svstat and svok (and svx) read $SUPERVISEDIR to find a
 * relocated supervise/; sv and s6's tools never heard of it, so it cannot
 * hide a service from them.
 */
const struct tool_row tools[] = {
	{ "s6-svc", 0 },
	{ "s6-svok", 0 },
	{ "s6-svstat", 0 },
	{ "s6-svwait", 0 },
	{ "sv", 0 },
	{ "svc", 1 },
	{ "svok", 1 },
	{ "svstat", 1 },
	{ "svx", 1 },
};
const size_t ntools = sizeof(tools) / sizeof(tools[0]);

static int
cmp_tool(const void *key, const void *row)
{
	return strcmp(key, ((const struct tool_row *)row)->name);
}

const struct tool_row *
map_tool(const char *name)
{
	return bsearch(name, tools, ntools, sizeof(tools[0]), cmp_tool);
}

const char *
tool_row_name(const void *row)
{
	return ((const struct tool_row *)row)->name;
}
