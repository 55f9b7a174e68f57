/*
 * daemontools' client tools as personalities: svc's option letters (the
 * letters are the bytes 0.76's svc writes: PROTOCOLS.md#control-letters)
 * and the encore 1.11 additions, mapped onto verbs so that they work on
 * every backend.
 */
#include <errno.h>
#include <stddef.h>

#include "mappings.h"

/* Sorted by letter (ASCII), for the unit test and a linear lookup. */
const struct letter_row svc_letters[] = {
	{ '1', VERB_USR1, 1 },
	{ '2', VERB_USR2, 1 },
	{ 'a', VERB_ALARM, 0 },
	{ 'c', VERB_CONT, 0 },
	{ 'd', VERB_DOWN, 0 },
	{ 'h', VERB_HUP, 0 },
	{ 'i', VERB_INTERRUPT, 0 },
	{ 'k', VERB_KILL, 0 },
	{ 'o', VERB_ONCE, 0 },
	{ 'p', VERB_PAUSE, 0 },
	{ 'q', VERB_QUIT, 1 },
	{ 't', VERB_TERM, 0 },
	{ 'u', VERB_UP, 0 },
	{ 'w', VERB_WINCH, 1 },
	{ 'x', VERB_X_ONLY, 0 },
};
const size_t svc_nletters = sizeof(svc_letters) / sizeof(svc_letters[0]);

/* Sorted by letter (ASCII). */
const struct svc_modifier svc_modifiers[] = {
	{ '+', SVC_TO_GROUP, "signals after it go to the process group" },
	{ '=', SVC_TO_PROCESS, "signals after it go to the process alone" },
	{ 'L', SVC_TO_LOG, "letters after it address the log service" },
	{ 'l', SVC_TO_MAIN, "letters after it address the service" },
};
const size_t svc_nmodifiers = sizeof(svc_modifiers) /
    sizeof(svc_modifiers[0]);

const struct svc_modifier *
map_svc_modifier(int c)
{
	size_t i;

	for (i = 0; i < svc_nmodifiers; i++)
		if (svc_modifiers[i].letter == c)
			return &svc_modifiers[i];
	return NULL;
}

const struct letter_row *
map_letter(const struct letter_row *rows, size_t n, int c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].letter == c)
			return &rows[i];
	return NULL;
}

/* svok, svstat and svc keep daemontools' codes on every backend. */
const struct exit_map svc_exits = {
	.personality = "svc",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 0, [OUT_TIMEOUT] = 0,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 0,
		[OUT_UNSUPPORTED] = 100, [OUT_SYSTEM] = 0,
	},
	.note = "Per-directory problems are warnings on stderr; the exit code "
	"stays 0, as daemontools' svc does. A letter the backend cannot do "
	"(`-1` on daemontools 0.76, `-+` off encore) is refused with 100, the "
	"code of 0.76's `illegal option`: a script must not read it as done."
};

const struct exit_map svstat_exits = {
	.personality = "svstat",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 0, [OUT_TIMEOUT] = 0,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 0,
		[OUT_UNSUPPORTED] = 0, [OUT_SYSTEM] = 0,
	},
	.note = "Every directory gets a line on stdout; the exit code stays 0."
};

const struct exit_map svok_exits = {
	.personality = "svok",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 100, [OUT_TIMEOUT] = 100,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 100,
		[OUT_UNSUPPORTED] = 100, [OUT_SYSTEM] = 111,
	},
	.note = "One directory; extra arguments are ignored, as by 0.76's "
	"svok."
};

/*
 * svc only warns: every refusal is a line on stderr naming the
 * directory, and the next directory is tried.
 */
const struct send_words svc_send_words = {
	.personality = "svc",
	.exits = &svc_exits,
	.err_text = djb_error_str,
	.row = {
		[SEND_OK] = { OUT_OK, NULL, 0, NULL },
		[SEND_UNSUPPORTED] = { OUT_UNSUPPORTED, "svc: warning: unable "
		    "to control {dir}: {backend} cannot do {what}; nothing "
		    "sent", 0, NULL },
		[SEND_NOT_SUPERVISED] = { OUT_NOT_SUPERVISED, "svc: warning: "
		    "unable to control {dir}: not supervised", 0, NULL },
		[SEND_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "svc: warning: "
		    "unable to control {dir}: supervise not running", 0, NULL },
		[SEND_NOT_RESPONDING] = { OUT_SYSTEM, "svc: warning: unable "
		    "to control {dir}: supervisor not responding (control "
		    "FIFO full); nothing sent", 0, NULL },
		[SEND_NOT_FIFO] = { OUT_SYSTEM, "svc: warning: unable to "
		    "control {dir}: supervise/control is not a FIFO; nothing "
		    "sent", 0, NULL },
		[SEND_HELPER_RUNNING] = { OUT_UNSUPPORTED, "svc: warning: "
		    "unable to control {dir}: encore is running ./start or "
		    "./stop, which would get the signal instead of the "
		    "service; nothing sent", 0, NULL },
		[SEND_REFUSED] = { OUT_SYSTEM, "svc: warning: unable to "
		    "control {dir}: {backend} refused the command", 0, NULL },
		[SEND_ERROR] = { OUT_SYSTEM, "svc: warning: error writing "
		    "commands to {dir}: {err}", 0, NULL },
	},
};

/* Off encore, a signal after -+ (no other supervisor has groups). */
const struct send_word svc_group_refused = {
	OUT_UNSUPPORTED, "svc: warning: unable to control {dir}: {backend} "
	"cannot signal a process group (-+); nothing sent", 0, NULL
};

/*
 * What svstat puts after "DIR: " for a service it cannot show; {svdir}
 * is the ok file's directory as it opened it (supervise/, or
 * $SUPERVISEDIR's on encore). Every failure to open ok reads as the
 * errno of that open.
 */
const struct cannot_words svstat_cannot_words = {
	.personality = "svstat",
	.exits = &svstat_exits,
	.err_text = djb_error_str,
	.row = {
		[CANNOT_BAD_FORMAT] = { OUT_SYSTEM, "unable to read "
		    "supervise/status: bad format", 0, NULL },
		[CANNOT_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "supervise not "
		    "running", 0, NULL },
		[CANNOT_NO_SVDIR] = { OUT_NOT_SUPERVISED, "unable to open "
		    "{svdir}/ok: {err}", ENOENT, NULL },
		[CANNOT_NO_OK] = { OUT_NOT_SUPERVISED, "unable to open "
		    "{svdir}/ok: {err}", ENOENT, NULL },
		[CANNOT_NOT_SERVICE] = { OUT_NOT_SUPERVISED, "unable to open "
		    "{svdir}/ok: {err}", 0, NULL },
		[CANNOT_AMBIGUOUS] = { OUT_SYSTEM, "unable to tell which "
		    "supervisor runs it: {why}", 0, NULL },
		[CANNOT_ERROR] = { OUT_SYSTEM, "unable to open {svdir}/ok: "
		    "{err}", 0, NULL },
	},
};

/* svc's warning for a service it cannot control (it goes on with the
 * next); only one nobody supervises is refused so. 0.76's svc opens
 * supervise/control: no ok test of encore's. */
const struct cannot_words svc_cannot_words = {
	.personality = "svc",
	.exits = &svc_exits,
	.err_text = djb_error_str,
	.row = {
		[CANNOT_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "svc: warning: "
		    "unable to control {dir}: supervise not running", 0, NULL },
		[CANNOT_NO_SVDIR] = { OUT_NOT_SUPERVISED, "svc: warning: "
		    "unable to control {dir}: {err}", ENOENT, NULL },
		[CANNOT_NO_OK] = { OUT_NOT_SUPERVISED, "svc: warning: unable "
		    "to control {dir}: supervise not running", 0, NULL },
		[CANNOT_NOT_SERVICE] = { OUT_NOT_SUPERVISED, "svc: warning: "
		    "unable to control {dir}: {err}", 0, NULL },
		[CANNOT_AMBIGUOUS] = { OUT_SYSTEM, "svc: warning: unable to "
		    "control {dir}: cannot tell which supervisor runs it: "
		    "{why}", 0, NULL },
		[CANNOT_ERROR] = { OUT_SYSTEM, "svc: warning: unable to "
		    "control {dir}: {err}", 0, NULL },
	},
};
