/*
 * supervisord as a backend: its programs have no service directory, no
 * status file and no control FIFO, so it has no letters and no unpacker.
 * A program's state is asked of supervisord over XML-RPC
 * (adapters/supervisord/, through sd_source); its verbs are XML-RPC calls
 * (mappings/supervisord_map.c). PROTOCOLS.md#supervisord.
 */
#include "../adapter.h"
#include "../supervisord/supervisord.h"

const struct svx_adapter adapter_supervisord = {
	.id = BACKEND_SUPERVISORD,
	.name = "supervisord",
	.supervisor = "supervisord",
	.source = &sd_source,
};
