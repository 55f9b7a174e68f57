/*
 * supervisord as a backend: its programs have no service directory, no
 * status file and no control FIFO, so it has no letters and no unpacker.
 * A program is named supervisord:NAME (or supervisord:GROUP:NAME); its
 * state is asked of supervisord over XML-RPC, and its verbs are XML-RPC
 * calls, both through sd_source (adapters/supervisord/).
 * PROTOCOLS.md#supervisord.
 */
#include "../adapter.h"
#include "../supervisord/supervisord.h"

const struct svx_adapter adapter_supervisord = {
	.id = BACKEND_SUPERVISORD,
	.name = "supervisord",
	.supervisor = "supervisord",
	.source = &sd_source,
};

/*
 * supervisorctl's verbs. restart is two calls: stopProcess, which
 * answers once the program is down, then startProcess, as
 * supervisorctl restart does it; a stop that cannot answer in time
 * fails the restart before anything is started again.
 */
const struct sd_verb_row sd_verbs[VERB_COUNT] = {
	[VERB_UP] = { SDA_START, NULL, "startProcess" },
	[VERB_DOWN] = { SDA_STOP, NULL, "stopProcess" },
	[VERB_RESTART] = { SDA_RESTART, NULL, "stopProcess, startProcess" },
	[VERB_PAUSE] = { SDA_SIGNAL, "STOP", "signalProcess STOP" },
	[VERB_CONT] = { SDA_SIGNAL, "CONT", "signalProcess CONT" },
	[VERB_HUP] = { SDA_SIGNAL, "HUP", "signalProcess HUP" },
	[VERB_ALARM] = { SDA_SIGNAL, "ALRM", "signalProcess ALRM" },
	[VERB_INTERRUPT] = { SDA_SIGNAL, "INT", "signalProcess INT" },
	[VERB_QUIT] = { SDA_SIGNAL, "QUIT", "signalProcess QUIT" },
	[VERB_USR1] = { SDA_SIGNAL, "USR1", "signalProcess USR1" },
	[VERB_USR2] = { SDA_SIGNAL, "USR2", "signalProcess USR2" },
	[VERB_TERM] = { SDA_SIGNAL, "TERM", "signalProcess TERM" },
	[VERB_KILL] = { SDA_SIGNAL, "KILL", "signalProcess KILL" },
	[VERB_WINCH] = { SDA_SIGNAL, "WINCH", "signalProcess WINCH" },
	[VERB_ABORT] = { SDA_SIGNAL, "ABRT", "signalProcess ABRT" },
};
