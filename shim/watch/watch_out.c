/*
 * svx watch's output: one line per change, or one svx.event/1 JSON
 * object per line (README "Watching", svx.8). Built in the caller's
 * fixed buffer.
 */
#include <sys/wait.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../mappings/watch_words.h"
#include "watch.h"

/* ISO 8601, UTC, to the millisecond: sortable, and a script's clock. */
static void
format_stamp(struct text *t, int64_t secs, long nsec)
{
	struct tm tm;
	char buf[32];
	time_t sec = (time_t)secs;

	if (gmtime_r(&sec, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		text_add(t, "%lld", (long long)sec);
		return;
	}
	text_add(t, "%s.%03ldZ", buf, nsec / 1000000);
}

static void
format_time(struct text *t, const struct timespec *at)
{
	format_stamp(t, at->tv_sec, at->tv_nsec);
}

/* The supervisor's own stamp of the transition, where it wrote one. */
static void
json_since(struct text *t, const struct watch_snap *s)
{
	if (s->since.sec <= 0) {
		text_puts(t, ",\"since\":null");
		return;
	}
	text_puts(t, ",\"since\":\"");
	format_stamp(t, s->since.sec, (long)s->since.nsec);
	text_puts(t, "\"");
}

/* S as a JSON string: escaped, bytes that are not UTF-8 as U+FFFD. */
static void
json_text(struct text *t, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	text_puts(t, "\"");
	while (*p != '\0') {
		if (*p == '"' || *p == '\\')
			text_add(t, "\\%c", *p++);
		else if (*p < 0x20 || *p == 0x7f)
			text_add(t, "\\u%04x", *p++);
		else if ((n = utf8_seq_len(p)) == 0) {
			text_puts(t, "\\ufffd");
			p++;
		} else {
			text_put(t, (const char *)p, n);
			p += n;
		}
	}
	text_puts(t, "\"");
}

static void
json_path(struct text *t, const struct watch_event *e)
{
	char path[PATH_MAX + NAME_MAX + 2];
	const char *sep = "/";

	if (e->dir == NULL) {
		json_text(t, e->name);
		return;
	}
	if (e->dir[0] != '\0' && e->dir[strlen(e->dir) - 1] == '/')
		sep = "";
	snprintf(path, sizeof(path), "%s%s%s", e->dir, sep, e->name);
	json_text(t, path);
}

static int
exit_code_of(int wstat)
{
	return wstat >= 0 && WIFEXITED(wstat) ? WEXITSTATUS(wstat) : -1;
}

static const char *
signal_of(int wstat)
{
	return wstat >= 0 && WIFSIGNALED(wstat) ? signal_name(WTERMSIG(wstat)) :
	    NULL;
}

/*
 * The note a plain line ends with: the directory came, or what entering
 * the new state means (supervisor gone, directory removed).
 */
static const char *
note_of(const struct watch_event *e)
{
	if (e->was.state == WS_ABSENT)
		return watch_note_added;
	if (e->was.state == e->now.state)
		return NULL;
	return watch_words[e->now.state].entered;
}

void
watch_format_line(struct text *t, const struct watch_event *e)
{
	const char *sig = signal_of(e->now.wstat), *note = note_of(e);
	int code = exit_code_of(e->now.wstat);

	format_time(t, &e->at);
	text_puts(t, " ");
	text_name(t, e->service);
	if (e->backend != NULL)
		text_add(t, " (%s)", e->backend);
	text_add(t, ": %s -> %s", watch_words[e->was.state].word,
	    watch_words[e->now.state].word);
	if (e->now.pid > 0)
		text_add(t, ", pid %ld", (long)e->now.pid);
	if (code >= 0)
		text_add(t, ", exit %d", code);
	else if (sig != NULL)
		text_add(t, ", signal %s", sig);
	if (note != NULL)
		text_add(t, ", %s", note);
}

void
watch_format_json(struct text *t, const struct watch_event *e)
{
	const char *sig = signal_of(e->now.wstat);
	int code = exit_code_of(e->now.wstat);

	text_puts(t, "{\"schema\":\"" WATCH_SCHEMA "\",\"time\":\"");
	format_time(t, &e->at);
	text_puts(t, "\",\"service\":");
	json_text(t, e->service);
	text_puts(t, ",\"path\":");
	json_path(t, e);
	text_puts(t, ",\"backend\":");
	if (e->backend != NULL)
		json_text(t, e->backend);
	else
		text_puts(t, "null");
	text_add(t, ",\"old\":\"%s\",\"new\":\"%s\"",
	    watch_words[e->was.state].word, watch_words[e->now.state].word);
	json_since(t, &e->now);
	if (e->now.pid > 0)
		text_add(t, ",\"pid\":%ld", (long)e->now.pid);
	else
		text_puts(t, ",\"pid\":null");
	if (e->was.pid > 0 && e->was.pid != e->now.pid)
		text_add(t, ",\"old_pid\":%ld", (long)e->was.pid);
	else
		text_puts(t, ",\"old_pid\":null");
	if (code >= 0)
		text_add(t, ",\"exit\":%d", code);
	else
		text_puts(t, ",\"exit\":null");
	text_puts(t, ",\"signal\":");
	if (sig != NULL)
		json_text(t, sig);
	else
		text_puts(t, "null");
	text_puts(t, "}");
}
