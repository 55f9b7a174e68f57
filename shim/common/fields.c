/*
 * What each status field says of a service, decided once for every
 * format (fields.h).
 */
#include <sys/wait.h>

#include <stddef.h>

#include "fields.h"

const char *const row_state_names[ROW_NSTATES] = {
	"up", "down", "starting", "started", "finishing", "stopping", "failed",
	"exited", "unsupervised", "unknown",
};

static const enum row_state from_svx_state[STATE_COUNT] = {
	[STATE_UNKNOWN] = ROW_UNKNOWN, [STATE_DOWN] = ROW_DOWN,
	[STATE_STARTING] = ROW_STARTING, [STATE_STARTED] = ROW_STARTED,
	[STATE_UP] = ROW_UP, [STATE_FINISHING] = ROW_FINISHING,
	[STATE_STOPPING] = ROW_STOPPING, [STATE_FAILED] = ROW_FAILED,
	[STATE_EXITED] = ROW_EXITED,
};

/* A directory no supervisor owns, service or not, is unsupervised. */
enum row_state
row_state(enum svx_verdict v, int status_ok, enum svx_state s)
{
	switch (v) {
	case VERDICT_SUPERVISED:
		return status_ok && (unsigned int)s < STATE_COUNT ?
		    from_svx_state[s] : ROW_UNKNOWN;
	case VERDICT_UNSUPERVISED:
	case VERDICT_NOT_SERVICE:
		return ROW_UNSUPERVISED;
	default:
		return ROW_UNKNOWN;
	}
}

static const char *const want_words[] = {
	[WANT_UNKNOWN] = "unknown", [WANT_UP] = "up", [WANT_DOWN] = "down",
	[WANT_ONCE] = "once",
};

static const char *const supervisor_words[] = {
	[SUPERVISOR_RUNNING] = "running", [SUPERVISOR_ABSENT] = "absent",
	[SUPERVISOR_UNKNOWN] = "unknown",
};

static void
word(struct field_value *v, const char *w, int code)
{
	v->kind = FV_WORD;
	v->word = w;
	v->code = code;
}

static void
number(struct field_value *v, int known, long long n)
{
	v->kind = known ? FV_NUMBER : FV_ABSENT;
	v->number = n;
}

static void
boolean(struct field_value *v, int b)
{
	v->kind = FV_BOOL;
	v->number = b != 0;
}

static int
supervisor_code(enum svx_verdict v)
{
	return v == VERDICT_SUPERVISED ? SUPERVISOR_RUNNING :
	    v == VERDICT_UNSUPERVISED || v == VERDICT_NOT_SERVICE ?
	    SUPERVISOR_ABSENT : SUPERVISOR_UNKNOWN;
}

/* The last run's end, while the service is supervised and not running. */
static int
last_wstat(const struct svx_service *sv, int live)
{
	return live ? proc_last_wstat(&sv->st.main) : -1;
}

/*
 * A record read from a live supervisor is the only source of process
 * facts (live); a stale record's want still says what was last asked.
 */
void
field_get(enum status_field_id id, const char *name,
    const struct svx_service *sv, int64_t now, struct field_value *v)
{
	const struct svx_proc *p = &sv->st.main;
	int live = sv->det.verdict == VERDICT_SUPERVISED && sv->status_ok;
	int running = live && p->pid != 0 && p->state != STATE_EXITED;
	int stamped = live && p->since.sec > 0;
	int w = last_wstat(sv, live);
	enum row_state rs;

	v->kind = FV_ABSENT;
	switch (id) {
	case SF_NAME:
		word(v, name, 0);
		break;
	case SF_BACKEND:
		if (sv->det.backend != BACKEND_UNKNOWN)
			word(v, backend_name(sv->det.backend),
			    (int)sv->det.backend);
		break;
	case SF_SUPERVISOR:
		word(v, supervisor_words[supervisor_code(sv->det.verdict)],
		    supervisor_code(sv->det.verdict));
		break;
	case SF_STATE:
		rs = row_state(sv->det.verdict, sv->status_ok, p->state);
		word(v, row_state_names[rs], (int)rs);
		break;
	case SF_PID:
		number(v, running, (long long)p->pid);
		break;
	case SF_SINCE:
		number(v, stamped, (long long)p->since.sec);
		break;
	case SF_AGE:
		number(v, stamped, now - p->since.sec < 0 ? 0 :
		    (long long)(now - p->since.sec));
		break;
	case SF_WANT:
		word(v, want_words[sv->status_ok ? p->want : WANT_UNKNOWN],
		    sv->status_ok ? (int)p->want : WANT_UNKNOWN);
		break;
	case SF_NORMALLY:
		/* supervisord's programs have no ./down to tell. */
		if (backend_has_directory(sv->det.backend))
			word(v, sv->normally_down ? "down" : "up",
			    !sv->normally_down);
		break;
	case SF_PAUSED:
		boolean(v, live && p->paused);
		break;
	case SF_READY:
		if (live && p->ready != TRI_UNKNOWN)
			boolean(v, p->ready == TRI_YES);
		break;
	case SF_EXIT:
		number(v, w >= 0 && WIFEXITED(w), w >= 0 ? WEXITSTATUS(w) : 0);
		break;
	case SF_SIGNAL:
		if (w >= 0 && WIFSIGNALED(w) && signal_name(WTERMSIG(w)) != NULL)
			word(v, signal_name(WTERMSIG(w)), WTERMSIG(w));
		break;
	}
}

void
field_text(struct text *t, enum status_field_id id,
    const struct field_value *v)
{
	switch (v->kind) {
	case FV_ABSENT:
		text_puts(t, status_fields[id].absent);
		break;
	case FV_NUMBER:
		text_add(t, "%lld", v->number);
		break;
	case FV_BOOL:
		text_puts(t, v->number ? "true" : "false");
		break;
	case FV_WORD:
		if (id == SF_NAME)
			text_name(t, v->word);	/* escaped: anyone's name */
		else
			text_puts(t, v->word);
		break;
	}
}

void
format_fields(struct text *t, const enum status_field_id *ids, size_t n,
    const char *name, const struct svx_service *sv, int64_t now)
{
	struct field_value v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			text_puts(t, " ");
		field_get(ids[i], name, sv, now, &v);
		field_text(t, ids[i], &v);
	}
	text_puts(t, "\n");
}
