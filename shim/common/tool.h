/*
 * What every personality shares: svx's version, its exit, and how the
 * native tools find a service (tool.c).
 */
#ifndef SVX_TOOL_H
#define SVX_TOOL_H

#include <stdint.h>

#include "../../adapters/engine/service.h"
#include "../../mappings/mappings.h"

#define SVX_VERSION	"0.1.0"
#define SCAN_PERIOD_MS	5500	/* svscan rescans every 5 s */

int	personality_code(const struct exit_map *, enum svx_outcome,
	    unsigned int count);
int	personality_exit(const struct exit_map *, enum svx_outcome);
const char *personality_supervisedir(void);
void	personality_await_supervisor(struct svx_service *, const char *,
	    int64_t ms);

#endif
