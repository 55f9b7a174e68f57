/*
 * svx watch's words, by enum watch_state (adapters/engine/watch.h). The
 * state words are status --all's where both have the state.
 */
#include "watch_words.h"

const struct watch_word watch_words[WS_COUNT] = {
	[WS_ABSENT] = { "absent", "directory removed" },
	[WS_UNSUPERVISED] = { "unsupervised", "supervisor gone" },
	[WS_UNKNOWN] = { "unknown", "cannot read its state" },
	[WS_DOWN] = { "down", NULL },
	[WS_STARTING] = { "starting", NULL },
	[WS_UP] = { "up", NULL },
	[WS_READY] = { "ready", NULL },
	[WS_PAUSED] = { "paused", NULL },
	[WS_FINISHING] = { "finishing", NULL },
	[WS_STOPPING] = { "stopping", NULL },
	[WS_FAILED] = { "failed", NULL },
};

const char watch_note_added[] = "directory added";
