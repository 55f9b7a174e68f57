/*
 * svx check's verdicts: the monitoring-plugins convention (exit 0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN) as a table of rules over a
 * service's facts and the thresholds given. The first rule that holds
 * decides; a rule with a threshold holds only when that threshold was
 * given (README, svx check).
 */
#include <stddef.h>

#include "mappings.h"

const char *const check_state_names[CHECK_NSTATES] = {
	[CHECK_OK] = "OK",
	[CHECK_WARNING] = "WARNING",
	[CHECK_CRITICAL] = "CRITICAL",
	[CHECK_UNKNOWN] = "UNKNOWN",
};

/*
 * The exit code is the state's number; over several services the worst
 * wins, ranked as monitoring-plugins' max_state_alt ranks them: OK, then
 * UNKNOWN, WARNING, CRITICAL (one service down outweighs one unread).
 */
static const int check_rank[CHECK_NSTATES] = {
	[CHECK_OK] = 0, [CHECK_UNKNOWN] = 1, [CHECK_WARNING] = 2,
	[CHECK_CRITICAL] = 3,
};

enum check_state
check_worse(enum check_state a, enum check_state b)
{
	return check_rank[b] > check_rank[a] ? b : a;
}

/*
 * The states that count as up: encore's STARTED is a start-only
 * service's ./start done, with no ./run to keep running, which is all
 * such a service ever does (PROTOCOLS.md#encore).
 */
static const unsigned char check_up_states[STATE_COUNT] = {
	[STATE_UP] = 1,
	[STATE_STARTED] = 1,
};

static int
is_up(const struct check_facts *f)
{
	return f->state < STATE_COUNT && check_up_states[f->state];
}

int
check_is_up(const struct check_facts *f)
{
	return f->read == CR_OK && is_up(f);
}

static int
wanted_up(const struct check_facts *f)
{
	return f->want == WANT_UP;
}

/*
 * No supervisor runs on it: a known failure, which monitoring-plugins
 * call CRITICAL (UNKNOWN is for what the plugin cannot tell), unless
 * ./down says it is meant to be down.
 */
static int
unsupervised(const struct check_facts *f, const struct check_limits *l)
{
	(void)l;
	return f->read == CR_UNSUPERVISED;
}

static int
unsupervised_meant_down(const struct check_facts *f,
    const struct check_limits *l)
{
	return unsupervised(f, l) && f->normally_down;
}

static int
unreadable(const struct check_facts *f, const struct check_limits *l)
{
	(void)l;
	return f->read != CR_OK;
}

static int
down_wanted_up(const struct check_facts *f, const struct check_limits *l)
{
	(void)l;
	return wanted_up(f) && !is_up(f);
}

/* encore's run exited 100 (or ./start failed): it will not be restarted. */
static int
failed(const struct check_facts *f, const struct check_limits *l)
{
	(void)l;
	return f->state == STATE_FAILED;
}

static int
crash_loop(const struct check_facts *f, const struct check_limits *l)
{
	(void)l;
	return f->crash_loop;
}

static int
restarts_over(const struct check_facts *f, long limit)
{
	return limit >= 0 && f->restarts >= 0 && f->restarts > limit;
}

static int
crit_restarts(const struct check_facts *f, const struct check_limits *l)
{
	return restarts_over(f, l->crit_restarts);
}

static int
warn_restarts(const struct check_facts *f, const struct check_limits *l)
{
	return restarts_over(f, l->warn_restarts);
}

/* Up for less than LIMIT seconds; an age not known is not judged. */
static int
young(const struct check_facts *f, int64_t limit)
{
	return limit >= 0 && is_up(f) && f->age >= 0 && f->age < limit;
}

static int
crit_uptime(const struct check_facts *f, const struct check_limits *l)
{
	return young(f, l->crit_uptime);
}

static int
warn_uptime(const struct check_facts *f, const struct check_limits *l)
{
	return young(f, l->warn_uptime);
}

static int
up_wanted_down(const struct check_facts *f, const struct check_limits *l)
{
	(void)l;
	return f->want == WANT_DOWN && f->state != STATE_DOWN;
}

/* Up but stopped (svx pause): it serves nothing until cont. */
static int
paused(const struct check_facts *f, const struct check_limits *l)
{
	(void)l;
	return is_up(f) && f->paused;
}

static int
always(const struct check_facts *f, const struct check_limits *l)
{
	(void)f;
	(void)l;
	return 1;
}

const struct check_rule check_rules[] = {
	{ CHECK_OK, "down as wanted (./down)", unsupervised_meant_down },
	{ CHECK_CRITICAL, NULL, unsupervised },
	{ CHECK_UNKNOWN, NULL, unreadable },
	{ CHECK_CRITICAL, "given up (permanent failure)", failed },
	{ CHECK_CRITICAL, "wanted up", down_wanted_up },
	{ CHECK_CRITICAL, "crash loop", crash_loop },
	{ CHECK_CRITICAL, "restarts over --crit-restarts", crit_restarts },
	{ CHECK_CRITICAL, "up less than --crit-uptime", crit_uptime },
	{ CHECK_WARNING, "restarts over --warn-restarts", warn_restarts },
	{ CHECK_WARNING, "up less than --warn-uptime", warn_uptime },
	{ CHECK_WARNING, "wanted down", up_wanted_down },
	{ CHECK_WARNING, "paused", paused },
	{ CHECK_OK, NULL, always },
};
const size_t check_nrules = sizeof(check_rules) / sizeof(check_rules[0]);

const struct check_rule *
check_judge(const struct check_facts *f, const struct check_limits *l)
{
	size_t i;

	for (i = 0; i < check_nrules; i++)
		if (check_rules[i].holds(f, l))
			return &check_rules[i];
	return &check_rules[check_nrules - 1];
}

/* Why the state could not be read, by how far it was. */
const char *const check_read_words[CR_COUNT] = {
	[CR_OK] = NULL,
	[CR_UNSUPERVISED] = "no supervisor running",
	[CR_NOT_SERVICE] = "not a service",
	[CR_DENIED] = "permission denied (svx perms SERVICE --group G)",
	[CR_NOT_ANSWERING] = "supervisor not answering",
	[CR_UNREADABLE] = "state not readable",
};

/*
 * supervisord's answer (or the lack of one) as a read: nothing listening
 * on its socket is no supervisor, as a dead svscan's service is; one that
 * hangs or answers what svx cannot parse is running but not telling.
 * A fault is not a read (the caller tells BAD_NAME apart).
 */
const enum check_read check_sd_reads[] = {
	[SD_OK] = CR_OK,
	[SD_NO_SOCKET] = CR_UNSUPERVISED,
	[SD_DENIED] = CR_DENIED,
	[SD_NOT_LISTENING] = CR_UNSUPERVISED,
	[SD_TIMEOUT] = CR_NOT_ANSWERING,
	[SD_FAULT] = CR_UNREADABLE,
	[SD_SOCKET_PATH] = CR_UNREADABLE,
	[SD_PROTOCOL] = CR_NOT_ANSWERING,
};
const size_t check_sd_nreads = sizeof(check_sd_reads) /
    sizeof(check_sd_reads[0]);
