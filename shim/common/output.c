/*
 * Human output of svx's own commands: status lines and probe reports.
 * Lines are built in a caller's fixed buffer (no heap) and written whole,
 * so concurrent svx runs never interleave within a line.
 */
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output.h"

void
text_init(struct text *t, char *buf, size_t cap)
{
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	buf[0] = '\0';
}

/* N bytes of S as they are; the status line's hot path (no format). */
void
text_put(struct text *t, const char *s, size_t n)
{
	size_t room = t->cap - 1 - t->len;

	if (t->len >= t->cap - 1)
		return;
	if (n > room)
		n = room;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void
text_puts(struct text *t, const char *s)
{
	text_put(t, s, strlen(s));
}

void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= t->cap - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->len += (size_t)n;
	if (t->len >= t->cap)
		t->len = t->cap - 1;
}

int
text_report(struct text *t, const char *name, const char *kind,
    const char *fmt, va_list ap)
{
	char what[PATH_MAX * 2 + 512];

	text_name(t, name);
	text_add(t, ": %s: ", kind);
	if (vsnprintf(what, sizeof(what), fmt, ap) < 0)
		return -1;
	text_visible(t, what);
	return 0;
}

/* Names come from directories anyone may create: escape what a terminal
 * would interpret. */
/* Length of the valid UTF-8 sequence at S, or 0 (RFC 3629). */
size_t
utf8_seq_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	c = n == 3 ? (s[0] & 0x0fU) << 12 | (s[1] & 0x3fU) << 6 :
	    n == 4 ? (s[0] & 0x07U) << 18 | (s[1] & 0x3fU) << 12 : 0x80;
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return n;
}

/*
 * A name as printed: control characters, backslashes and bytes that are
 * not UTF-8 escaped (\\, \xNN), so a line is one line and a terminal
 * shows what is there.
 */
void
text_name(struct text *t, const char *name)
{
	const unsigned char *p = (const unsigned char *)name, *run = p;
	size_t n;

	while (*p != '\0') {
		if (*p >= 0x20 && *p != 0x7f && *p != '\\' &&
		    (n = utf8_seq_len(p)) != 0) {
			p += n;
			continue;
		}
		text_put(t, (const char *)run, (size_t)(p - run));
		if (*p == '\\')
			text_puts(t, "\\\\");
		else
			text_add(t, "\\x%02x", *p);
		run = ++p;
	}
	text_put(t, (const char *)run, (size_t)(p - run));
}

/*
 * Text that holds names (paths in a cause): as text_name escapes them,
 * but a backslash kept, so that a line stays one line and carries no
 * terminal control whatever a directory is called.
 */
void
text_visible(struct text *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t n;

	while (*p != '\0') {
		if (*p >= 0x20 && *p != 0x7f && (n = utf8_seq_len(p)) != 0) {
			p += n;
			continue;
		}
		text_put(t, (const char *)run, (size_t)(p - run));
		text_add(t, "\\x%02x", *p);
		run = ++p;
	}
	text_put(t, (const char *)run, (size_t)(p - run));
}

/* Columns NAME takes as text_name prints it (a UTF-8 sequence: one). */
size_t
name_width(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t w = 0, n;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f || (n = utf8_seq_len(p)) == 0) {
			w += 4;
			p++;
		} else {
			w += *p == '\\' ? 2 : 1;
			p += n;
		}
	}
	return w;
}

int64_t
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

/* "12s", "3m 4s", "3h 12m", "3d 4h": two units are enough to read. */
void
format_duration(struct text *t, int64_t secs)
{
	static const struct {
		int64_t		 size;
		const char	*unit;
	} units[] = {
		{ 86400, "d" }, { 3600, "h" }, { 60, "m" }, { 1, "s" },
	};
	size_t i;

	if (secs < 0)
		secs = 0;
	for (i = 0; i < 3; i++) {
		if (secs >= units[i].size) {
			text_add(t, "%lld%s %lld%s",
			    (long long)(secs / units[i].size), units[i].unit,
			    (long long)(secs % units[i].size / units[i + 1].size),
			    units[i + 1].unit);
			return;
		}
	}
	text_add(t, "%llds", (long long)secs);
}

static const char *
helper_word(enum svx_backend b, enum svx_state s)
{
	if (s == STATE_STARTING)
		return "start";
	return b == BACKEND_ENCORE ? "stop" : "finish";
}

static void
format_exit(struct text *t, int wstat)
{
	int sig;

	if (wstat < 0)
		return;
	if (WIFSIGNALED(wstat)) {
		sig = WTERMSIG(wstat);
		if (signal_name(sig) != NULL)
			text_add(t, ", signal %s", signal_name(sig));
		else
			text_add(t, ", signal %d", sig);
	} else if (WIFEXITED(wstat))
		text_add(t, ", exit %d", WEXITSTATUS(wstat));
}

static int
is_running(const struct svx_proc *p)
{
	return p->pid != 0 && p->state != STATE_EXITED;
}

static void
format_flags(struct text *t, const struct svx_service *sv,
    const struct svx_proc *p)
{
	int running = is_running(p);
	/* A supervisord program has no ./down to go by. */
	int has_down = backend_has_directory(sv->det.backend);

	if (running && sv->normally_down && has_down)
		text_puts(t, ", normally down");
	if (!running && !sv->normally_down && p->state != STATE_STARTED &&
	    has_down)
		text_puts(t, ", normally up");
	if (p->want == WANT_ONCE)
		text_puts(t, ", once");
	else if (running && p->want == WANT_DOWN)
		text_puts(t, ", want down");
	else if (!running && p->want == WANT_UP)
		text_puts(t, ", want up");
	if (p->paused)
		text_puts(t, ", paused");
	/* Only "ready": s6 without notification-fd is never ready. */
	if (running && p->ready == TRI_YES)
		text_puts(t, ", ready");
	if (p->got_term)
		text_puts(t, ", got TERM");
	format_exit(t, proc_last_wstat(p));
}

void
format_proc(struct text *t, const struct svx_service *sv,
    const struct svx_proc *p, int64_t now)
{
	text_puts(t, state_names[p->state]);
	if (p->pid != 0)
		text_add(t, " (pid %ld)", (long)p->pid);
	else if (p->helper_pid != 0)
		text_add(t, " (%s pid %ld)",
		    helper_word(sv->det.backend, p->state),
		    (long)p->helper_pid);
	if (p->since.sec > 0) {		/* 0: never stamped */
		text_puts(t, " ");
		format_duration(t, now - p->since.sec);
	}
	format_flags(t, sv, p);
}

/* log/ has its own verdict; never show a state that was not read. */
static void
format_log_dir(struct text *t, const struct svx_service *log, int64_t now)
{
	switch (log->det.verdict) {
	case VERDICT_SUPERVISED:
		if (log->status_ok)
			format_proc(t, log, &log->st.main, now);
		else
			text_add(t, "status unreadable (%s)", log->det.why);
		break;
	case VERDICT_UNSUPERVISED:
		text_puts(t, "unsupervised");
		break;
	case VERDICT_NOT_SERVICE:
		text_puts(t, "not a service directory");
		break;
	case VERDICT_AMBIGUOUS:
		text_add(t, "ambiguous (%s)", log->det.why);
		break;
	default:
		text_add(t, "unreadable (%s)", strerror(log->det.err));
		break;
	}
}

/* A log/ whose state could not be read makes the whole answer an error. */
int
log_unreadable(const struct svx_service *log)
{
	return log->det.verdict == VERDICT_AMBIGUOUS ||
	    log->det.verdict == VERDICT_ERROR ||
	    (log->det.verdict == VERDICT_SUPERVISED && !log->status_ok);
}

static void
format_log(struct text *t, const struct svx_service *sv,
    const struct svx_service *log, int64_t now)
{
	if (sv->status_ok && sv->st.has_log) {
		text_puts(t, "; log: ");
		format_proc(t, sv, &sv->st.log, now);
	} else if (log != NULL) {
		text_puts(t, "; log: ");
		format_log_dir(t, log, now);
	}
}

void
format_status_line(struct text *t, const char *name,
    const struct svx_service *sv, const struct svx_service *log, int64_t now)
{
	text_name(t, name);
	text_puts(t, ": ");
	if (sv->det.verdict == VERDICT_SUPERVISED) {
		text_puts(t, service_backend_name(sv));
		text_puts(t, " ");
		format_proc(t, sv, &sv->st.main, now);
		if (sv->native_state != NULL)
			text_add(t, " [%s]", sv->native_state);
	} else if (sv->status_ok) {
		text_add(t, "unsupervised; stale %s status: ",
		    backend_name(sv->det.backend));
		format_proc(t, sv, &sv->st.main, now);
	} else {
		text_add(t, "unsupervised (%s)", sv->det.why);
	}
	format_log(t, sv, log, now);
	text_puts(t, "\n");
}

static const char *
probe_word(const struct probe_result *pr)
{
	switch (pr->result) {
	case 1:
		return "has a reader";
	case 0:
		return "has no reader";
	case -2:
		return "is not a FIFO";
	default:
		return pr->err == ENOENT ? "is missing" : strerror(pr->err);
	}
}

static const char *const verdict_words[] = {
	[VERDICT_SUPERVISED] = "supervised by",
	[VERDICT_UNSUPERVISED] = "unsupervised; last written by",
	[VERDICT_NOT_SERVICE] = "not a service directory",
	[VERDICT_AMBIGUOUS] = "ambiguous; status format",
	[VERDICT_ERROR] = "cannot tell",
};

static void
print_verdict(FILE *f, const struct svx_service *sv)
{
	const struct svx_detect *d = &sv->det;

	fputs(verdict_words[d->verdict], f);
	if (d->verdict != VERDICT_NOT_SERVICE && d->verdict != VERDICT_ERROR)
		fprintf(f, " %s", d->backend == BACKEND_UNKNOWN ?
		    "no known backend" : backend_name(d->backend));
	if (d->verdict == VERDICT_ERROR)
		fprintf(f, ": %s", strerror(d->err));
	if (d->verdict == VERDICT_ERROR && d->err == EACCES)
		fprintf(f, " (%s)", perms_denied_hint);
	fputc('\n', f);
}

static void
print_files(FILE *f, unsigned int files)
{
	unsigned int i;

	fputs("  files:      ", f);
	for (i = 0; i < EV_NFILES; i++)
		if (files & (1U << i))
			fprintf(f, " %s", evidence_file_name(1U << i));
	fputc('\n', f);
}

static void
print_liveness(FILE *f, const struct svx_evidence *ev)
{
	fprintf(f, "  liveness:    supervise/ok %s; supervise/control %s; ",
	    probe_word(&ev->ok), probe_word(&ev->control));
	if (ev->lock.result == 1)
		fprintf(f, "supervise/lock held by pid %ld (fcntl)\n",
		    (long)ev->lock_pid);
	else if (ev->lock.result == 0)
		fputs("supervise/lock not held (fcntl)\n", f);
	else
		fprintf(f, "supervise/lock %s\n", ev->lock.err == ENOENT ?
		    "is missing" : strerror(ev->lock.err));
	if (ev->rereads > 0)
		fprintf(f, "  note:        liveness changed while reading "
		    "(%u rereads)\n", ev->rereads);
}

static void
print_status_bytes(FILE *f, const struct svx_evidence *ev)
{
	size_t i;

	if (ev->status_err != 0 && ev->status_len == 0) {
		fprintf(f, "  status:      %s\n", ev->status_err == ENOENT ?
		    "missing" : strerror(ev->status_err));
		return;
	}
	fprintf(f, "  status:      %zu bytes:", ev->status_len);
	for (i = 0; i < ev->status_len; i++)
		fprintf(f, "%s%02x", i % 4 == 0 ? " " : "", ev->status[i]);
	fprintf(f, "\n  written:     %lld.%09lu", (long long)ev->status_mtime.sec,
	    (unsigned long)ev->status_mtime.nsec);
	if (ev->holder_start.sec != 0)
		fprintf(f, " (supervisor started %lld.%09lu)",
		    (long long)ev->holder_start.sec,
		    (unsigned long)ev->holder_start.nsec);
	fputc('\n', f);
}

void
print_probe(FILE *f, const char *name, const char *path,
    const struct svx_service *sv, const struct svx_service *log)
{
	const struct svx_evidence *ev = &sv->det.ev;
	char buf[1024];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, name);
	fprintf(f, "%s: ", buf);
	print_verdict(f, sv);
	text_init(&t, buf, sizeof(buf));
	text_name(&t, path);
	fprintf(f, "  directory:   %s\n", buf);
	fprintf(f, "  reason:      %s\n", sv->det.why);
	if (ev->svdir_err == 0) {
		fprintf(f, "  control dir: %s\n", ev->files & EV_RELOCATED ?
		    "$SUPERVISEDIR" : "supervise/");
		print_liveness(f, ev);
		print_status_bytes(f, ev);
	}
	print_files(f, ev->files);
	if (sv->status_ok) {
		text_init(&t, buf, sizeof(buf));
		format_proc(&t, sv, &sv->st.main, now_seconds());
		fprintf(f, "  state:       %s%s\n", buf,
		    sv->det.verdict == VERDICT_SUPERVISED ? "" : " (stale)");
	}
	if (log != NULL) {
		fputs("  log/:        ", f);
		print_verdict(f, log);
	}
}

/* Scripts must see a failed write: `svx status > /dev/full` is an error. */
int
finish_output(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return -1;
	return 0;
}
