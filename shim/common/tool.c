/*
 * What every personality shares at its end: the exit, and the wait for a
 * supervisor a scanner is about to start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/engine/wait.h"
#include "output.h"
#include "tool.h"

/*
 * The code OUT exits with. A tool that counts its failures (s6-svwait)
 * exits with how many services met OUT_FALSE, as exit(3) keeps it: its
 * low 8 bits.
 */
int
personality_code(const struct exit_map *map, enum svx_outcome out,
    unsigned int count)
{
	if (out == OUT_FALSE && map->counts_false)
		return (int)(count & 0xff);
	return map->code[out];
}

/*
 * A personality's exit code for OUT. A failed write to stdout is an
 * error even where the native tool ignores it (daemontools' svstat exits
 * 0): no script can rely on output that was lost, so it exits with svx's
 * own code for a system error (compat-matrix.md).
 */
int
personality_exit(const struct exit_map *map, enum svx_outcome out)
{
	if (finish_output() == -1) {
		fprintf(stderr, "%s: fatal: unable to write output: %s\n",
		    getprogname(), strerror(errno));
		return svx_exits.code[OUT_SYSTEM];
	}
	return map->code[out];
}

/*
 * $SUPERVISEDIR as the running personality's native tool reads it: encore's
 * tools (and svx) do; sv and s6's tools never heard of it, so it cannot
 * hide a service from them.
 */
const char *
personality_supervisedir(void)
{
	const struct tool_row *t = map_tool(getprogname());

	return t != NULL && t->reads_supervisedir ?
	    getenv("SUPERVISEDIR") : NULL;
}

/*
 * The native tools fail at once on a directory no supervisor owns yet.
 * When a scanner watches its parent (it was just linked in), svx kicks
 * the scanner and waits for the supervisor, at most MS (svscan, which
 * cannot be kicked, rescans every 5 s): init scripts then need no retry
 * loops (compat-matrix.md). With no scanner, nothing waits.
 */
void
personality_await_supervisor(struct svx_service *sv, const char *path,
    int64_t ms)
{
	int kicked;

	if (sv->det.verdict != VERDICT_UNSUPERVISED || ms <= 0)
		return;
	(void)wait_supervisor(sv, path, personality_supervisedir(), -ms, &kicked);
}
