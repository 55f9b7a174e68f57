/*
 * runit's sv as a personality (runit 2.1.2, as Debian 12 builds it:
 * PROTOCOLS.md#native-tools): its command words and the letters each one
 * writes, as table rows. sv decides by the first character unless the
 * whole word is one of the exact rows; both lists are sorted for bsearch
 * (a unit test checks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mappings.h"

/* Whole words, tried first. */
const struct sv_action sv_words[] = {
	{ "check", 0, "C", SV_WAITS },
	{ "force-reload", 0, "tc", SV_WAITS | SV_KILL },
	{ "force-restart", 0, "tcu", SV_WAITS | SV_KILL },
	{ "force-shutdown", 0, "x", SV_WAITS | SV_KILL },
	{ "force-stop", 0, "d", SV_WAITS | SV_KILL },
	{ "reload", 0, "h", SV_WAITS },
	{ "restart", 0, "tcu", SV_WAITS },
	{ "shutdown", 0, "x", SV_WAITS },
	{ "start", 0, "u", SV_WAITS },
	{ "status", 0, "", SV_STATUS },
	{ "stop", 0, "d", SV_WAITS },
	{ "try-restart", 0, "tc", SV_WAITS },
};
const size_t sv_nwords = sizeof(sv_words) / sizeof(sv_words[0]);

/*
 * Otherwise the first character decides (sorted by character). `r` and
 * `f` have no row: only their exact words exist. `s` means status, but
 * not in LSB mode, where only the exact word does.
 */
const struct sv_action sv_first[] = {
	{ NULL, '1', "1", 0 },
	{ NULL, '2', "2", 0 },
	{ NULL, 'D', "d", SV_WAITS | SV_KILL },
	{ NULL, 'E', "x", SV_WAITS | SV_KILL },
	{ NULL, 'T', "tc", SV_WAITS | SV_KILL },
	{ NULL, 'X', "x", SV_WAITS | SV_KILL },
	{ NULL, 'a', "a", 0 },
	{ NULL, 'c', "c", 0 },
	{ NULL, 'd', "d", 0 },
	{ NULL, 'e', "x", 0 },
	{ NULL, 'h', "h", 0 },
	{ NULL, 'i', "i", 0 },
	{ NULL, 'k', "k", 0 },
	{ NULL, 'o', "o", 0 },
	{ NULL, 'p', "p", 0 },
	{ NULL, 'q', "q", 0 },
	{ NULL, 's', "", SV_STATUS | SV_NOT_LSB },
	{ NULL, 't', "t", 0 },
	{ NULL, 'u', "u", 0 },
	{ NULL, 'x', "x", 0 },
};
const size_t sv_nfirst = sizeof(sv_first) / sizeof(sv_first[0]);

/* runsv's letters, as verbs: what they mean on any backend. */
const struct letter_row sv_letters[] = {
	{ '1', VERB_USR1, 0 },
	{ '2', VERB_USR2, 0 },
	{ 'a', VERB_ALARM, 0 },
	{ 'c', VERB_CONT, 0 },
	{ 'd', VERB_DOWN, 0 },
	{ 'h', VERB_HUP, 0 },
	{ 'i', VERB_INTERRUPT, 0 },
	{ 'k', VERB_KILL, 0 },
	{ 'o', VERB_ONCE, 0 },
	{ 'p', VERB_PAUSE, 0 },
	{ 'q', VERB_QUIT, 0 },
	{ 't', VERB_TERM, 0 },
	{ 'u', VERB_UP, 0 },
	{ 'x', VERB_EXIT, 0 },
};
const size_t sv_nletters = sizeof(sv_letters) / sizeof(sv_letters[0]);

static int
cmp_word(const void *key, const void *row)
{
	return strcmp(key, ((const struct sv_action *)row)->word);
}

static int
cmp_first(const void *key, const void *row)
{
	return *(const char *)key - ((const struct sv_action *)row)->first;
}

/* The row for WORD, or NULL: sv's usage error. */
const struct sv_action *
map_sv_action(const char *word, int lsb)
{
	const struct sv_action *a;

	if (word[0] == '\0')
		return NULL;
	if ((a = bsearch(word, sv_words, sv_nwords, sizeof(sv_words[0]),
	    cmp_word)) != NULL)
		return a;
	a = bsearch(word, sv_first, sv_nfirst, sizeof(sv_first[0]),
	    cmp_first);
	if (a != NULL && lsb && (a->flags & SV_NOT_LSB))
		return NULL;
	return a;
}

const char *
sv_action_name(const void *row)
{
	return ((const struct sv_action *)row)->word;
}

/*
 * sv counts failures (at most 99); usage and fatal errors are 100. In LSB
 * mode usage is 2 and fatal 151; `status` answers 0 running, 3 down, 4
 * unknown. The counting itself is in the shim; these are the fixed codes.
 */
const struct sv_codes sv_codes = { 99, 100, 100, 2, 151, 0, 3, 4 };

/*
 * sv's words for a command not sent, on stdout as sv prints them: fail:
 * and warning: lines count a failure; exit (x) to a supervisor already
 * gone is its goal met.
 */
const struct send_words sv_send_words = {
	.personality = "sv",
	.exits = NULL,
	.on_stdout = 1,
	.err_text = djb_error_str,
	.row = {
		[SEND_OK] = { OUT_OK, NULL, 0, NULL },
		[SEND_UNSUPPORTED] = { OUT_UNSUPPORTED, "warning: {dir}: unable "
		    "to control: {backend} cannot do {what}; nothing sent", 0,
		    NULL },
		[SEND_NOT_SUPERVISED] = { OUT_NOT_SUPERVISED, "warning: {dir}: "
		    "unable to write to supervise/control: {err}", 0, NULL },
		[SEND_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "fail: {dir}: runsv "
		    "not running", 0, "ok: {dir}: runsv not running" },
		[SEND_NOT_RESPONDING] = { OUT_SYSTEM, "warning: {dir}: unable "
		    "to write to supervise/control: {err}", EAGAIN, NULL },
		/* sv itself would write into whatever file sits there. */
		[SEND_NOT_FIFO] = { OUT_SYSTEM, "warning: {dir}: unable to "
		    "control: supervise/control is not a FIFO; nothing sent",
		    0, NULL },
		[SEND_HELPER_RUNNING] = { OUT_UNSUPPORTED, "warning: {dir}: "
		    "unable to control: {backend} cannot do {what}; nothing "
		    "sent", 0, NULL },
		[SEND_REFUSED] = { OUT_SYSTEM, "warning: {dir}: unable to "
		    "control: {backend} refused the command", 0, NULL },
		[SEND_ERROR] = { OUT_SYSTEM, "warning: {dir}: unable to write "
		    "to supervise/control: {err}", 0, NULL },
	},
};

/*
 * sv's line for a service whose state it cannot get (svstatus_get): a
 * warning, or for a runsv that is not running "fail:", which is "ok:" for
 * exit, whose goal that is. Each counts, as a failure, but the "ok:".
 */
const struct cannot_words sv_cannot_words = {
	.personality = "sv",
	.on_stdout = 1,
	.err_text = djb_error_str,
	.row = {
		[CANNOT_BAD_FORMAT] = { OUT_SYSTEM, "warning: {dir}: unable to "
		    "read supervise/status: bad format", 0, NULL },
		[CANNOT_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "fail: {dir}: "
		    "runsv not running", 0, "ok: {dir}: runsv not running" },
		[CANNOT_NO_SVDIR] = { OUT_SYSTEM, "warning: {dir}: unable to "
		    "open supervise/ok: {err}", ENOENT, NULL },
		/* sv has no $SUPERVISEDIR: an ok missing there is runsv's. */
		[CANNOT_NO_OK] = { OUT_NOT_SUPERVISED, "fail: {dir}: runsv not "
		    "running", 0, "ok: {dir}: runsv not running" },
		[CANNOT_NOT_SERVICE] = { OUT_SYSTEM, "warning: {dir}: unable to "
		    "open supervise/ok: {err}", 0, NULL },
		[CANNOT_AMBIGUOUS] = { OUT_SYSTEM, "warning: {dir}: unable to "
		    "tell which supervisor runs it: {why}", 0, NULL },
		[CANNOT_ERROR] = { OUT_SYSTEM, "warning: {dir}: unable to open "
		    "supervise/ok: {err}", 0, NULL },
	},
};
