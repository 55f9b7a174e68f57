/*
 * The registry of backends, indexed by enum svx_backend: beside the
 * backends it lists, so the files they build on (adapters/) do not
 * depend on them.
 */
#include <stddef.h>

#include "../adapter.h"

static const struct svx_adapter *const adapters[BACKEND_ALL_COUNT] = {
	[BACKEND_DAEMONTOOLS] = &adapter_daemontools,
	[BACKEND_ENCORE] = &adapter_encore,
	[BACKEND_RUNIT] = &adapter_runit,
	[BACKEND_S6] = &adapter_s6,
	[BACKEND_SUPERVISORD] = &adapter_supervisord,
};

const struct svx_adapter *
adapter_for(enum svx_backend b)
{
	if ((unsigned int)b >= BACKEND_ALL_COUNT)
		return NULL;
	return adapters[b];
}

int
backend_has_directory(enum svx_backend b)
{
	const struct svx_adapter *a = adapter_for(b);

	return a == NULL || a->source == NULL;
}

