/*
 * The daemontools personalities: svc, svstat and svok as in daemontools
 * 0.76 (Debian 12), with encore 1.11's letters and svstat output when the
 * backend is encore, working on every backend. Messages, wording (djb's
 * error texts) and exit codes are the native tools'; where svx differs on
 * purpose, compat-matrix.md says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

#define SVC_MAX_VERBS	16

/* 0.76's text, although encore's q 1 2 w are accepted too. */
static const char svc_usage[] = "svc options: u up, d down, o once, "
    "x exit, p pause, c continue, h hup, a alarm, i interrupt, t term, "
    "k kill";

/* Open DIR as the native tool would name it: relative to the cwd. */
static int
open_native(const char *dir, struct svx_service *sv)
{
	return service_open(AT_FDCWD, dir, getenv("SUPERVISEDIR"), sv);
}

/* ---- svstat ------------------------------------------------------- */

/*
 * One status record in svstat's words. On encore the pid in the record
 * is printed whatever it belongs to, as encore's svstat does, since the
 * state word that follows says whose it is; elsewhere a finish script's
 * pid is never shown as the service's: the service is down.
 */
static void
svstat_record(struct text *t, const struct svx_service *sv,
    const struct svx_proc *p, int encore, int64_t now)
{
	static const char *const words[] = {
		", stopped", ", starting", ", started", ", running",
		", stopping", ", failed",
	};
	pid_t pid = encore && p->pid == 0 ? p->helper_pid : p->pid;
	int64_t secs = now - p->since.sec;

	if (p->state == STATE_EXITED)	/* gone, not reaped yet: down */
		pid = 0;

	if (secs < 0)
		secs = 0;
	if (pid != 0)
		text_add(t, "up (pid %ld) %lld seconds", (long)pid,
		    (long long)secs);
	else
		text_add(t, "down %lld seconds", (long long)secs);
	if (pid != 0 && sv->normally_down)
		text_puts(t, ", normally down");
	if (pid == 0 && !sv->normally_down)
		text_puts(t, ", normally up");
	if (pid != 0 && p->paused)
		text_puts(t, ", paused");
	if (pid == 0 && p->want == WANT_UP)
		text_puts(t, ", want up");
	if (pid != 0 && p->want == WANT_DOWN)
		text_puts(t, ", want down");
	if (!encore)
		return;
	if (pid != 0 && p->want == WANT_ONCE)
		text_puts(t, ", once");
	text_add(t, "%s", p->raw_state < sizeof(words) / sizeof(words[0]) ?
	    words[p->raw_state] : ", status unknown");
}

/* What svstat says of a directory whose state it cannot show. */
static void
svstat_problem(struct text *t, const struct svx_service *sv)
{
	const struct svx_detect *d = &sv->det;

	switch (d->verdict) {
	case VERDICT_SUPERVISED:
		text_puts(t, "unable to read supervise/status: bad format");
		break;
	case VERDICT_UNSUPERVISED:
		if (sv->svdir_err == ENOENT)
			text_add(t, "unable to open supervise/ok: %s",
			    djb_error_str(ENOENT));
		else
			text_puts(t, "supervise not running");
		break;
	case VERDICT_NOT_SERVICE:
		text_add(t, "unable to open supervise/ok: %s",
		    djb_error_str(sv->svdir_err != 0 ? sv->svdir_err : ENOENT));
		break;
	case VERDICT_AMBIGUOUS:
		text_add(t, "unable to tell which supervisor runs it: %s",
		    d->why);
		break;
	default:
		text_add(t, "unable to open supervise/ok: %s",
		    djb_error_str(d->err));
		break;
	}
}

static void
svstat_one(const char *dir, int64_t now)
{
	struct svx_service sv;
	char buf[2 * PATH_MAX + 512];
	struct text t;
	int encore;

	text_init(&t, buf, sizeof(buf));
	text_add(&t, "%s: ", dir);
	if (open_native(dir, &sv) == -1) {
		text_add(&t, "unable to chdir: %s", djb_error_str(errno));
		fprintf(stdout, "%s\n", buf);
		return;
	}
	encore = sv.det.backend == BACKEND_ENCORE;
	if (sv.det.verdict == VERDICT_SUPERVISED && sv.status_ok) {
		svstat_record(&t, &sv, &sv.st.main, encore, now);
		if (encore && sv.st.has_log) {
			text_add(&t, "\n%s log: ", dir);
			svstat_record(&t, &sv, &sv.st.log, encore, now);
		}
	} else
		svstat_problem(&t, &sv);
	fprintf(stdout, "%s\n", buf);
	service_close(&sv);
}

/* svstat takes no options: every argument is a directory (0.76). */
int
svstat_main(int argc, char **argv)
{
	int64_t now = now_seconds();
	int i;

	for (i = 1; i < argc; i++)
		svstat_one(argv[i], now);
	return personality_exit(&svstat_exits, OUT_OK);
}

/* ---- svok --------------------------------------------------------- */

static int
liveness_seen(const struct svx_evidence *ev)
{
	return ev->ok.result == 1 || ev->lock.result == 1 ||
	    ev->control.result == 1;
}

int
svok_main(int argc, char **argv)
{
	struct svx_service sv;
	enum svx_outcome out;

	if (argc < 2) {
		fprintf(stderr, "svok: usage: svok dir\n");
		return personality_exit(&svok_exits, OUT_USAGE);
	}
	if (open_native(argv[1], &sv) == -1) {
		fprintf(stderr, "svok: fatal: unable to chdir to %s: %s\n",
		    argv[1], djb_error_str(errno));
		return personality_exit(&svok_exits, OUT_SYSTEM);
	}
	if (sv.det.verdict == VERDICT_ERROR) {
		fprintf(stderr, "svok: fatal: unable to open %s/supervise/ok: "
		    "%s\n", argv[1], djb_error_str(sv.det.err));
		out = OUT_SYSTEM;
	} else
		out = liveness_seen(&sv.det.ev) ? OUT_OK : OUT_NOT_SUPERVISED;
	service_close(&sv);
	return personality_exit(&svok_exits, out);
}

/* ---- svc ---------------------------------------------------------- */

struct svc_cmd {
	enum svx_verb	 verbs[SVC_MAX_VERBS];
	char		 letters[SVC_MAX_VERBS + 1];
	size_t		 n;
};

/*
 * Letters are kept once each, in the order first seen (0.76 svc.c).
 * Returns the index of the first directory, or -1 after a usage error.
 */
static int
svc_parse(int argc, char **argv, struct svc_cmd *cmd)
{
	char spec[32];
	const struct letter_row *row;
	struct dgetopt g;
	size_t i;
	int c;

	for (i = 0; i < svc_nletters && i < sizeof(spec) - 1; i++)
		spec[i] = svc_letters[i].letter;
	spec[i] = '\0';
	cmd->n = 0;
	cmd->letters[0] = '\0';
	dgetopt_init(&g);
	while ((c = dgetopt(&g, argc, argv, spec)) != DGETOPT_END) {
		if (c < 0) {
			fprintf(stderr, "%s: illegal option -- %c\n%s\n",
			    getprogname(), g.opt, svc_usage);
			return -1;
		}
		row = map_letter(svc_letters, svc_nletters, c);
		if (strchr(cmd->letters, c) != NULL)
			continue;
		cmd->letters[cmd->n] = (char)c;
		cmd->letters[cmd->n + 1] = '\0';
		cmd->verbs[cmd->n++] = row->verb;
	}
	return g.ind;
}

static void
svc_warn(const char *dir, const char *what)
{
	fflush(stdout);
	fprintf(stderr, "svc: warning: unable to control %s: %s\n", dir, what);
}

/* Why nothing could be sent, in svc's words. */
static void
svc_not_controllable(const char *dir, const struct svx_service *sv)
{
	char why[512];

	switch (sv->det.verdict) {
	case VERDICT_UNSUPERVISED:
		svc_warn(dir, sv->svdir_err == ENOENT ? djb_error_str(ENOENT) :
		    "supervise not running");
		break;
	case VERDICT_NOT_SERVICE:
		svc_warn(dir, djb_error_str(sv->svdir_err != 0 ?
		    sv->svdir_err : ENOENT));
		break;
	case VERDICT_AMBIGUOUS:
		snprintf(why, sizeof(why), "cannot tell which supervisor "
		    "runs it: %s", sv->det.why);
		svc_warn(dir, why);
		break;
	default:
		svc_warn(dir, djb_error_str(sv->det.err));
		break;
	}
}

static void
svc_send(const char *dir, const struct svx_service *sv,
    const struct svc_cmd *cmd)
{
	char sent[SEND_MAX + 1], why[256];
	enum send_result r;
	size_t failed = 0;

	r = service_send_verbs(sv, cmd->verbs, cmd->n, sent, sizeof(sent),
	    &failed);
	switch (r) {
	case SEND_OK:
		break;
	case SEND_UNSUPPORTED:
		snprintf(why, sizeof(why), "%s cannot do -%c; nothing sent",
		    sv->adapter->name, cmd->letters[failed]);
		svc_warn(dir, why);
		break;
	case SEND_NOT_RUNNING:
		svc_warn(dir, "supervise not running");
		break;
	case SEND_ERROR:
		fflush(stdout);
		fprintf(stderr, "svc: warning: error writing commands to %s: "
		    "%s\n", dir, djb_error_str(errno));
		break;
	default:
		svc_warn(dir, send_rows[r].message);
		break;
	}
}

static void
svc_one(const char *dir, const struct svc_cmd *cmd)
{
	struct svx_service sv;

	if (open_native(dir, &sv) == -1) {
		fflush(stdout);
		fprintf(stderr, "svc: warning: unable to chdir to %s: %s\n",
		    dir, djb_error_str(errno));
		return;
	}
	personality_await_supervisor(&sv, dir, SCAN_PERIOD_MS);
	if (sv.det.verdict != VERDICT_SUPERVISED)
		svc_not_controllable(dir, &sv);
	else if (cmd->n > 0)
		svc_send(dir, &sv, cmd);
	service_close(&sv);
}

int
svc_main(int argc, char **argv)
{
	struct svc_cmd cmd;
	int i, first;

	if ((first = svc_parse(argc, argv, &cmd)) == -1)
		return personality_exit(&svc_exits, OUT_USAGE);
	for (i = first; i < argc; i++)
		svc_one(argv[i], &cmd);
	return personality_exit(&svc_exits, OUT_OK);
}
