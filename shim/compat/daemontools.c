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

#include "../common/dgetopt.h"
#include "../common/output.h"
#include "../common/tool.h"
#include "compat.h"

#define SVC_MAX_VERBS	16

/* 0.76's text, although encore's q 1 2 w are accepted too. */
static const char svc_usage[] = "svc options: u up, d down, o once, "
    "x exit, p pause, c continue, h hup, a alarm, i interrupt, t term, "
    "k kill";

/* Open DIR as the native tool would name it: relative to the cwd. */
static int
open_native(const char *dir, struct svx_service *sv)
{
	return service_open(AT_FDCWD, dir, personality_supervisedir(), sv);
}

/* ---- svstat ------------------------------------------------------- */

/*
 * One status record in svstat's words: what the supervisor recorded, as
 * the native svstat prints it. A pid whose process has exited but is not
 * reaped yet is still "up (pid N)" (supervise 0.76 and encore reap
 * nothing while they sleep a second after each start, and any supervisor
 * reaps a moment after the death): right after `svc -d` native svstat
 * says "up (pid N) 141 seconds, want down", and a crash-looping encore
 * service reads "up (pid N) 1 seconds, running"; scripts (Ansible's svc
 * module) parse exactly that. On encore the pid is printed whatever it belongs to, as encore's
 * svstat does, since the state word that follows says whose it is;
 * elsewhere a finish script's pid is never shown as the service's.
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

/* What svstat says of a directory whose state it cannot show, naming
 * the ok file's directory as svstat opened it. */
static void
svstat_problem(struct text *t, const char *dir, const struct svx_service *sv)
{
	char svdir[PATH_MAX];
	struct send_context c = { .dir = dir, .svdir = svdir };
	enum cannot_reason r = compat_cannot(sv, &c);

	if (svdir_name(dir, personality_supervisedir(), svdir,
	    sizeof(svdir)) == -1)
		strlcpy(svdir, "supervise", sizeof(svdir));
	compat_put_cannot(t, &svstat_cannot_words, r, &c);
}

/* encore 1.11's svstat -l (the service only) and -L (its log only). */
enum svstat_which {
	SVSTAT_BOTH,		/* no option: encore prints both records */
	SVSTAT_MAIN,
	SVSTAT_LOG
};

/*
 * The log service's line off encore, where log/ is a service of its own:
 * "DIR log: ..." as encore prints its ./log record.
 */
static void
svstat_log_dir(struct text *t, const char *dir, const struct svx_service *sv,
    int64_t now)
{
	char logdir[PATH_MAX + 8];
	struct svx_service log;

	if (!service_open_log(sv, dir, personality_supervisedir(), &log)) {
		text_add(t, "%s: no log service", dir);
		return;
	}
	snprintf(logdir, sizeof(logdir), "%s/log", dir);
	text_add(t, "%s log: ", dir);
	if (log.det.verdict == VERDICT_SUPERVISED && log.status_ok)
		svstat_record(t, &log, &log.st.main, 0, now);
	else
		svstat_problem(t, logdir, &log);
	service_close(&log);
}

/* encore's records: the service's, then its ./log's as a second line. */
static void
svstat_encore(struct text *t, const char *dir, const struct svx_service *sv,
    enum svstat_which which, int64_t now)
{
	if (which != SVSTAT_LOG) {
		text_add(t, "%s: ", dir);
		svstat_record(t, sv, &sv->st.main, 1, now);
	}
	if (which == SVSTAT_MAIN)
		return;
	if (sv->st.has_log) {
		if (which == SVSTAT_BOTH)
			text_puts(t, "\n");
		text_add(t, "%s log: ", dir);
		svstat_record(t, sv, &sv->st.log, 1, now);
	} else if (which == SVSTAT_LOG)
		text_add(t, "%s: no log service", dir);
}

static void
svstat_one(const char *dir, enum svstat_which which, int64_t now)
{
	struct svx_service sv;
	char buf[4 * PATH_MAX + 512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	if (open_native(dir, &sv) == -1) {
		text_add(&t, "%s: unable to chdir: %s", dir,
		    djb_error_str(errno));
		fprintf(stdout, "%s\n", buf);
		return;
	}
	if (sv.det.verdict != VERDICT_SUPERVISED || !sv.status_ok) {
		text_add(&t, "%s: ", dir);
		svstat_problem(&t, dir, &sv);
	} else if (sv.det.backend == BACKEND_ENCORE)
		svstat_encore(&t, dir, &sv, which, now);
	else if (which == SVSTAT_LOG)
		svstat_log_dir(&t, dir, &sv, now);
	else {
		text_add(&t, "%s: ", dir);
		svstat_record(&t, &sv, &sv.st.main, 0, now);
	}
	fprintf(stdout, "%s\n", buf);
	service_close(&sv);
}

/*
 * 0.76's svstat takes no options: every argument is a directory. encore's
 * takes -l and -L; leading arguments made only of those letters are read
 * as encore's options (the last one counts), "--" ends them, and anything
 * else is a directory as in 0.76. Returns the first directory's index.
 */
static int
svstat_options(int argc, char **argv, enum svstat_which *which)
{
	const char *p;
	int i;

	*which = SVSTAT_BOTH;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strspn(argv[i] + 1, "lL") != strlen(argv[i] + 1))
			break;
		for (p = argv[i] + 1; *p != '\0'; p++)
			*which = *p == 'L' ? SVSTAT_LOG : SVSTAT_MAIN;
	}
	return i;
}

int
svstat_main(int argc, char **argv)
{
	int64_t now = now_seconds();
	enum svstat_which which;
	int i;

	for (i = svstat_options(argc, argv, &which); i < argc; i++)
		svstat_one(argv[i], which, now);
	return personality_exit(&svstat_exits, OUT_OK);
}

/* ---- svok --------------------------------------------------------- */

/*
 * svok's yes, as native svok gives it: a reader on supervise/ok, which
 * supervise and runsv open only after their first status write, so a
 * script that waits for svok then runs svstat reads a whole record
 * (encore's rts.tests do). control has a reader earlier, while the
 * status file is still the empty one supervise has just truncated: it
 * counts only where there is no ok FIFO at all; s6 answers by its lock.
 */
static int
liveness_seen(const struct svx_evidence *ev)
{
	return ev->ok.result == 1 || ev->lock.result == 1 ||
	    (ev->control.result == 1 && ev->ok.result == -1 &&
	    ev->ok.err == ENOENT);
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

/*
 * What svc was asked, kept as encore 1.11's svc builds it: `l` (address
 * the service), then the letters in the order given, each kept once
 * between two L/l modifiers. 0.76's svc keeps each letter once in all;
 * with no modifier the two agree. On encore these are the bytes sent.
 */
#define SVC_MAX_BYTES	32	/* encore svc.c: "too many options" */

struct svc_cmd {
	char		 bytes[SVC_MAX_BYTES + 1];
	size_t		 n;
};

/* Is C in the bytes since the last L or l? */
static int
svc_seen(const struct svc_cmd *cmd, size_t from, int c)
{
	return memchr(cmd->bytes + from, c, cmd->n - from) != NULL;
}

static void
svc_spec(char *spec, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < svc_nmodifiers && n < len - 1; i++)
		spec[n++] = svc_modifiers[i].letter;
	for (i = 0; i < svc_nletters && n < len - 1; i++)
		spec[n++] = svc_letters[i].letter;
	spec[n] = '\0';
}

/* The index of the first directory, or -1 after a usage error. */
static int
svc_parse(int argc, char **argv, struct svc_cmd *cmd)
{
	const struct svc_modifier *mod;
	struct dgetopt g;
	size_t from = 1;
	char spec[48];
	int c;

	svc_spec(spec, sizeof(spec));
	cmd->bytes[0] = 'l';
	cmd->n = 1;
	dgetopt_init(&g);
	while ((c = dgetopt(&g, argc, argv, spec)) != DGETOPT_END) {
		if (c < 0) {
			fprintf(stderr, "%s: illegal option -- %c\n%s\n",
			    getprogname(), g.opt, svc_usage);
			return -1;
		}
		if (cmd->n >= SVC_MAX_BYTES) {
			fprintf(stderr, "svc: fatal: too many options\n");
			return -1;
		}
		mod = map_svc_modifier(c);
		if (mod == NULL && svc_seen(cmd, from, c))
			continue;
		cmd->bytes[cmd->n++] = (char)c;
		if (mod != NULL && (mod->kind == SVC_TO_LOG ||
		    mod->kind == SVC_TO_MAIN))
			from = cmd->n;
	}
	cmd->bytes[cmd->n] = '\0';
	return g.ind;
}

/*
 * Off encore, the same request as verbs for two services: the directory
 * and its log/. Each has its own supervisor there, and none of them can
 * signal a process group, so a letter after `+` is refused (*bad set).
 */
struct svc_split {
	enum svx_verb	 verbs[2][SVC_MAX_BYTES];
	char		 letters[2][SVC_MAX_BYTES];
	size_t		 n[2];
	int		 bad;		/* the letter refused, or 0 */
};

enum { SVC_MAIN, SVC_LOG };

/* Letters that do not signal: the rest reach the process (group). */
static int
svc_needs_no_signal(enum svx_verb v)
{
	return v == VERB_UP || v == VERB_ONCE || v == VERB_X_ONLY;
}

static void
svc_split(const struct svc_cmd *cmd, struct svc_split *sp)
{
	const struct svc_modifier *mod;
	const struct letter_row *row;
	int target = SVC_MAIN, group = 0;
	size_t i, k;

	memset(sp, 0, sizeof(*sp));
	for (i = 1; i < cmd->n; i++) {
		if ((mod = map_svc_modifier(cmd->bytes[i])) != NULL) {
			if (mod->kind == SVC_TO_LOG || mod->kind == SVC_TO_MAIN)
				target = mod->kind == SVC_TO_LOG ? SVC_LOG :
				    SVC_MAIN;
			else
				group = mod->kind == SVC_TO_GROUP;
			continue;
		}
		row = map_letter(svc_letters, svc_nletters, cmd->bytes[i]);
		if (group && !svc_needs_no_signal(row->verb) && sp->bad == 0)
			sp->bad = '+';
		k = sp->n[target]++;
		sp->verbs[target][k] = row->verb;
		sp->letters[target][k] = cmd->bytes[i];
	}
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
	struct send_context c = { .dir = dir };

	(void)compat_say_cannot(&svc_cannot_words, compat_cannot(sv, &c), &c);
}

/* Say why R kept LETTER from DIR (svc_send_words); the outcome. */
static enum svx_outcome
svc_refused(const char *dir, const struct svx_service *sv,
    enum send_result r, int letter)
{
	char what[3] = { '-', (char)letter, '\0' };
	struct send_context c = { .dir = dir, .backend = sv->adapter->name,
	    .what = what, .err = errno };

	return compat_say_send(&svc_send_words, r, &c);
}

/* A signal after -+ off encore: refused before anything is sent. */
static enum svx_outcome
svc_group_refused_by(const char *dir, const struct svx_service *sv)
{
	struct send_context c = { .dir = dir, .backend = sv->adapter->name };

	return compat_say_word(&svc_send_words, &svc_group_refused, &c);
}

/* The letters for one service of the split, checked, not sent. */
static enum send_result
svc_check(const struct svx_service *sv, const struct svc_split *sp, int t,
    char *buf, size_t len, int *letter)
{
	enum send_result r;
	size_t failed = 0;

	buf[0] = '\0';
	if (sp->n[t] == 0)
		return SEND_OK;
	r = service_letters(sv, sp->verbs[t], sp->n[t], buf, len, &failed);
	if (r != SEND_OK)
		*letter = sp->letters[t][failed];
	return r;
}

/*
 * Off encore: everything must be possible for the service and its log/
 * before anything is sent to either.
 */
static enum svx_outcome
svc_send_split(const char *dir, const struct svx_service *sv,
    const struct svc_cmd *cmd)
{
	char main_bytes[SEND_MAX + 1], log_bytes[SEND_MAX + 1];
	char logdir[PATH_MAX + 8];
	struct svx_service log;
	struct svc_split sp;
	enum send_result r;
	int has_log = 0, letter = 0;

	svc_split(cmd, &sp);
	if (sp.bad != 0)
		return svc_group_refused_by(dir, sv);
	if (sp.n[SVC_LOG] > 0) {
		has_log = service_open_log(sv, dir, personality_supervisedir(),
		    &log);
		snprintf(logdir, sizeof(logdir), "%s/log", dir);
		if (!has_log) {
			svc_warn(logdir, djb_error_str(ENOENT));
			return OUT_NOT_SUPERVISED;
		}
		if (log.det.verdict != VERDICT_SUPERVISED) {
			svc_not_controllable(logdir, &log);
			service_close(&log);
			return OUT_NOT_SUPERVISED;
		}
	}
	r = svc_check(sv, &sp, SVC_MAIN, main_bytes, sizeof(main_bytes),
	    &letter);
	if (r == SEND_OK && has_log)
		r = svc_check(&log, &sp, SVC_LOG, log_bytes, sizeof(log_bytes),
		    &letter);
	if (r == SEND_OK && main_bytes[0] != '\0')
		r = service_send_bytes(sv, main_bytes);
	if (r == SEND_OK && has_log && log_bytes[0] != '\0')
		r = service_send_bytes(&log, log_bytes);
	if (has_log)
		service_close(&log);
	return svc_refused(dir, sv, r, letter);
}

static enum svx_outcome
svc_send(const char *dir, const struct svx_service *sv,
    const struct svc_cmd *cmd)
{
	/* encore's supervise reads svc's own bytes, modifiers included. */
	if (sv->det.backend == BACKEND_ENCORE)
		return svc_refused(dir, sv, service_send_bytes(sv, cmd->bytes),
		    0);
	return svc_send_split(dir, sv, cmd);
}

static enum svx_outcome
svc_one(const char *dir, const struct svc_cmd *cmd)
{
	struct svx_service sv;
	enum svx_outcome out = OUT_NOT_SUPERVISED;

	if (open_native(dir, &sv) == -1) {
		fflush(stdout);
		fprintf(stderr, "svc: warning: unable to chdir to %s: %s\n",
		    dir, djb_error_str(errno));
		return OUT_NOT_SUPERVISED;
	}
	personality_await_supervisor(&sv, dir, SCAN_PERIOD_MS);
	if (sv.det.verdict != VERDICT_SUPERVISED)
		svc_not_controllable(dir, &sv);
	else
		out = svc_send(dir, &sv, cmd);
	service_close(&sv);
	return out;
}

int
svc_main(int argc, char **argv)
{
	enum svx_outcome out = OUT_OK, one;
	struct svc_cmd cmd;
	int i, first;

	if ((first = svc_parse(argc, argv, &cmd)) == -1)
		return personality_exit(&svc_exits, OUT_USAGE);
	/* Every directory is tried; the exit code is the worst one's. */
	for (i = first; i < argc; i++) {
		one = svc_one(argv[i], &cmd);
		if (svc_exits.code[one] > svc_exits.code[out])
			out = one;
	}
	return personality_exit(&svc_exits, out);
}
