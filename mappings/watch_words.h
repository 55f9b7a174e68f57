/*
 * svx watch's words (watch_words.c): each state as svx.event/1 and the
 * plain lines name it, and what entering it means when that is not
 * plain from the word.
 */
#ifndef SVX_WATCH_WORDS_H
#define SVX_WATCH_WORDS_H

#include "../adapters/engine/watch.h"

#define WATCH_SCHEMA	"svx.event/1"

struct watch_word {
	const char	*word;		/* JSON "old", "new"; the plain line */
	const char	*entered;	/* the plain line's note, or NULL */
};

extern const struct watch_word watch_words[WS_COUNT];
/* The note of a service that was absent: its directory came. */
extern const char watch_note_added[];

#endif
