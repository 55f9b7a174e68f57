/*
 * s6's client tools as personalities (s6 2.11.3.2, Debian 12): s6-svc's
 * letters, s6-svstat's fields, and the exit codes of all four tools.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "mappings.h"

/*
 * s6-svc letters (sorted by ASCII). D, U and Q also create or remove
 * ./down; s6-supervise does that itself, svx does it on every backend.
 */
const struct s6_letter s6svc_letters[] = {
	{ '1', VERB_USR1, 0 },
	{ '2', VERB_USR2, 0 },
	{ 'D', VERB_DOWN, 1 },
	{ 'O', VERB_ONCE_AT_MOST, 0 },
	{ 'Q', VERB_ONCE_AT_MOST, 1 },
	{ 'U', VERB_UP, -1 },
	{ 'a', VERB_ALARM, 0 },
	{ 'b', VERB_ABORT, 0 },
	{ 'c', VERB_CONT, 0 },
	{ 'd', VERB_DOWN, 0 },
	{ 'h', VERB_HUP, 0 },
	{ 'i', VERB_INTERRUPT, 0 },
	{ 'k', VERB_KILL, 0 },
	{ 'o', VERB_ONCE, 0 },
	{ 'p', VERB_PAUSE, 0 },
	{ 'q', VERB_QUIT, 0 },
	{ 'r', VERB_CYCLE, 0 },
	{ 't', VERB_TERM, 0 },
	{ 'u', VERB_UP, 0 },
	{ 'x', VERB_X_ONLY, 0 },
	{ 'y', VERB_WINCH, 0 },
};
const size_t s6svc_nletters = sizeof(s6svc_letters) /
    sizeof(s6svc_letters[0]);

const struct s6_letter *
map_s6svc_letter(int c)
{
	size_t i;

	for (i = 0; i < s6svc_nletters; i++)
		if (s6svc_letters[i].letter == c)
			return &s6svc_letters[i];
	return NULL;
}

/*
 * s6-svstat -o fields, in the order 2.11 tries them: a piece of the list
 * is a prefix of the first name it matches (`p` is paused, not pid).
 */
const struct s6_field s6svstat_fields[] = {
	{ "up", 'u', S6F_UP },
	{ "wantedup", 'w', S6F_WANTEDUP },
	{ "normallyup", 'N', S6F_NORMALLYUP },
	{ "ready", 'r', S6F_READY },
	{ "paused", 0, S6F_PAUSED },
	{ "pid", 'p', S6F_PID },
	{ "exitcode", 'e', S6F_EXITCODE },
	{ "signal", 's', S6F_SIGNAL },
	{ "signum", 0, S6F_SIGNUM },
	{ "updownsince", 0, S6F_UPDOWNSINCE },
	{ "readysince", 0, S6F_READYSINCE },
	{ "updownfor", 't', S6F_UPDOWNFOR },
	{ "readyfor", 0, S6F_READYFOR },
};
const size_t s6svstat_nfields = sizeof(s6svstat_fields) /
    sizeof(s6svstat_fields[0]);

/* The field a -o piece of LEN bytes names, or NULL. */
const struct s6_field *
map_s6svstat_field(const char *piece, size_t len)
{
	size_t i;

	for (i = 0; i < s6svstat_nfields; i++)
		if (len <= strlen(s6svstat_fields[i].name) &&
		    strncmp(piece, s6svstat_fields[i].name, len) == 0)
			return &s6svstat_fields[i];
	return NULL;
}

const struct s6_field *
map_s6svstat_letter(int c)
{
	size_t i;

	for (i = 0; i < s6svstat_nfields; i++)
		if (s6svstat_fields[i].letter == c)
			return &s6svstat_fields[i];
	return NULL;
}

/*
 * Each map's name is also the PROG its messages start with. 0 running /
 * 1 not (the answer), 100 usage, 111 system: skalibs' conventions.
 */
const struct exit_map s6svok_exits = {
	.personality = "s6-svok",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 1, [OUT_TIMEOUT] = 1,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 1,
		[OUT_UNSUPPORTED] = 100, [OUT_SYSTEM] = 111,
	},
	.note = "One directory; extra arguments are ignored."
};

const struct exit_map s6svstat_exits = {
	.personality = "s6-svstat",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 1, [OUT_TIMEOUT] = 1,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 1,
		[OUT_UNSUPPORTED] = 100, [OUT_SYSTEM] = 111,
	},
	.note = "One directory; extra arguments are ignored."
};

/* 2.11: 100 for "supervisor not listening". */
const struct exit_map s6svc_exits = {
	.personality = "s6-svc",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 1, [OUT_TIMEOUT] = 99,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 100,
		[OUT_UNSUPPORTED] = 100, [OUT_SYSTEM] = 111,
	},
	.note = "With -w the wait is s6-svlisten1's, with its codes and its "
	"name on its messages (next table)."
};

/* s6-svc -w's wait: s6 hands it to s6-svlisten1, whose codes these are. */
const struct exit_map s6svlisten1_exits = {
	.personality = "s6-svlisten1",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 1, [OUT_TIMEOUT] = 99,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 1,
		[OUT_UNSUPPORTED] = 100, [OUT_SYSTEM] = 111,
	},
	.note = "s6-svc -w: a failure is a service that failed permanently or "
	"whose supervisor died."
};

const struct exit_map s6svwait_exits = {
	.personality = "s6-svwait",
	.code = {
		[OUT_OK] = 0, [OUT_FALSE] = 1, [OUT_TIMEOUT] = 99,
		[OUT_USAGE] = 100, [OUT_NOT_SUPERVISED] = 111,
		[OUT_UNSUPPORTED] = 100, [OUT_SYSTEM] = 111,
	},
	.counts_false = 1,
	.note = "A failure is a service that failed permanently or whose "
	"supervisor died; the code is how many did (modulo 256)."
};

/*
 * s6-svc's words for a command not sent: fatal, with skalibs' doubled
 * ": :" where no errno follows.
 */
static const char *
libc_error_str(int err)
{
	return strerror(err);
}

const struct send_words s6svc_send_words = {
	.personality = "s6-svc",
	.exits = &s6svc_exits,
	.err_text = libc_error_str,
	.row = {
		[SEND_OK] = { OUT_OK, NULL, 0, NULL },
		[SEND_UNSUPPORTED] = { OUT_UNSUPPORTED, "s6-svc: fatal: : "
		    "unable to control {dir}: {backend} cannot do {what}", 0,
		    NULL },
		[SEND_NOT_SUPERVISED] = { OUT_SYSTEM, "s6-svc: fatal: unable "
		    "to control {dir}: {err}", 0, NULL },
		[SEND_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "s6-svc: fatal: : "
		    "unable to control {dir}: supervisor not listening", 0,
		    NULL },
		[SEND_NOT_RESPONDING] = { OUT_SYSTEM, "s6-svc: fatal: unable "
		    "to control {dir}: {err}", EAGAIN, NULL },
		[SEND_NOT_FIFO] = { OUT_SYSTEM, "s6-svc: fatal: : unable to "
		    "control {dir}: supervise/control is not a FIFO", 0, NULL },
		[SEND_HELPER_RUNNING] = { OUT_UNSUPPORTED, "s6-svc: fatal: : "
		    "unable to control {dir}: {backend} cannot do {what}", 0,
		    NULL },
		[SEND_REFUSED] = { OUT_SYSTEM, "s6-svc: fatal: : unable to "
		    "control {dir}: {backend} refused the command", 0, NULL },
		[SEND_ERROR] = { OUT_SYSTEM, "s6-svc: fatal: unable to "
		    "control {dir}: {err}", 0, NULL },
	},
};

/*
 * s6-svc's end for a service it cannot control: s6_svc_writectl's, whose
 * "supervisor not listening" is also what a missing supervise/ reads as
 * (the FIFO's open fails ENOENT or ENXIO alike).
 */
const struct cannot_words s6svc_cannot_words = {
	.personality = "s6-svc",
	.exits = &s6svc_exits,
	.err_text = libc_error_str,
	.row = {
		[CANNOT_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "s6-svc: fatal: : "
		    "unable to control {dir}: supervisor not listening", 0,
		    NULL },
		[CANNOT_SVDIR_NOT_DIR] = { OUT_NOT_SUPERVISED, "s6-svc: fatal: "
		    "something is wrong with the {dir}/supervise directory: "
		    "{err}", ENOTDIR, NULL },
		[CANNOT_NO_CONTROL] = { OUT_NOT_SUPERVISED, "s6-svc: fatal: "
		    "something is wrong with the {dir}/supervise directory: "
		    "{err}", ENOENT, NULL },
		[CANNOT_AMBIGUOUS] = { OUT_SYSTEM, "s6-svc: fatal: : unable to "
		    "control {dir}: {why}", 0, NULL },
		[CANNOT_ERROR] = { OUT_SYSTEM, "s6-svc: fatal: unable to "
		    "control {dir}: {err}", 0, NULL },
	},
};
