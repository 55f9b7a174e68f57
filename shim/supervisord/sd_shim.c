/*
 * supervisord's programs on svx's command line, supervisord:NAME (or
 * supervisord:GROUP:NAME): the words for its failed calls and faults,
 * and its programs as rows of status --all. Its verbs and waits are
 * every service's (control.c, through the adapter's sd_source), and its
 * status line too:
 *
 *   supervisord:web: supervisord up (pid 123) 3m 4s [RUNNING]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/output.h"
#include "../list/listing.h"
#include "sd_shim.h"

const char *
sd_program_name(const char *arg)
{
	return arg + sizeof(SD_NAME_PREFIX) - 1;
}

static const struct sd_fault_row *
fault_row(int code)
{
	size_t i;

	for (i = 0; i < sd_nfaults; i++)
		if (sd_faults[i].code == code)
			return &sd_faults[i];
	return NULL;
}

/* One line naming the program and the cause; the outcome it stands for. */
enum svx_outcome
sd_report(const char *arg, const struct sd_conn *c, enum sd_result r)
{
	const struct sd_fault_row *f;
	enum svx_outcome out = OUT_SYSTEM;
	char buf[512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, arg);
	text_puts(&t, ": ");
	if (r == SD_FAULT) {
		f = fault_row(c->fault_code);
		text_add(&t, "%s (supervisord fault %d: %s)", f != NULL &&
		    f->message != NULL ? f->message : "refused", c->fault_code,
		    c->fault_string);
		if (f != NULL)
			out = f->outcome;
	} else if (r > SD_OK && r <= SD_PROTOCOL) {
		text_puts(&t, sd_results[r].before);
		text_puts(&t, c->socket);
		text_puts(&t, sd_results[r].after);
		out = sd_results[r].outcome;
	}
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
	return out;
}

/* SV's last call, as sd_report words it (control.c's source_words). */
enum svx_outcome
sd_report_service(const char *name, const struct svx_service *sv)
{
	const struct sd_target *t = sv->source_arg;
	struct svx_proc last;
	char buf[512];
	struct text line;

	if (t->result != SD_STILL_STOPPING)
		return sd_report(name, t->conn, t->result);
	/* No call failed: the program took longer to stop than the bound. */
	sd_proc_unpack(&t->proc, &last);
	text_init(&line, buf, sizeof(buf));
	text_name(&line, name);
	text_puts(&line, ": ");
	text_puts(&line, sd_still_stopping);
	format_proc(&line, sv, &last, now_seconds());
	text_add(&line, " [%s]", t->proc.statename);
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
	return OUT_TIMEOUT;
}

/* ---- status --all ---------------------------------------------------- */

/* A program as a listing row: the formats then treat it as any other. */
static void
as_probe(const struct sd_proc *sp, const char *name, struct batch_probe *p)
{

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->parentfd = -1;
	p->log_of = -1;
	p->live_fd = p->status_fd = -1;
	p->native_state = sp->statename;
	p->said_flapping = sp->state == SD_BACKOFF;
	p->det.verdict = VERDICT_SUPERVISED;
	p->det.backend = BACKEND_SUPERVISORD;
	p->det.why = "supervisord";
	p->supervisor = SUP_RUNNING;
	p->status_ok = 1;
	sd_proc_unpack(sp, &p->st.main);
}

/* supervisord's programs as status --all lists them (sd_fetch). */
struct sd_programs {
	struct sd_proc	 procs[SD_PROCS_MAX];
	char		 names[SD_PROCS_MAX][2 * SD_NAME_MAX + 16];
	size_t		 n;
	struct sd_conn	 c;
	enum sd_result	 r;
};

/*
 * supervisord's programs, asked for before the table starts (their names
 * count in its first column's width): every program once, named as svx
 * takes it (supervisord:NAME, or GROUP:NAME in a group). No socket file,
 * no supervisord: NULL, nothing to list, nothing said. *WIDEST: the
 * widest name O's patterns match. The answer is kept in one static
 * place (~190 KB, not for a stack) until the next call.
 */
const void *
sd_fetch(const struct listing_opts *o, size_t *widest)
{
	static struct sd_programs all;
	size_t i, w;

	*widest = 0;
	memset(&all.c, 0, sizeof(all.c));
	all.n = 0;
	if (sd_find_socket(&all.c) != 0 || access(all.c.socket, F_OK) != 0)
		return NULL;
	all.r = sd_all_process_info(&all.c, all.procs, SD_PROCS_MAX, &all.n);
	for (i = 0; i < all.n; i++) {
		const struct sd_proc *sp = &all.procs[i];

		if (strcmp(sp->group, sp->name) == 0 || sp->group[0] == '\0')
			snprintf(all.names[i], sizeof(all.names[i]),
			    SD_NAME_PREFIX "%s", sp->name);
		else
			snprintf(all.names[i], sizeof(all.names[i]),
			    SD_NAME_PREFIX "%s:%s", sp->group, sp->name);
		if (listing_name_matches(o, all.names[i]) &&
		    (w = name_width(all.names[i])) > *widest)
			*widest = w;
	}
	return &all;
}

void
sd_listing(const void *answer, struct listing *l)
{
	const struct sd_programs *all = answer;
	struct batch_probe p;
	size_t i;

	if (all == NULL)
		return;
	if (all->r != SD_OK) {
		(void)sd_report("supervisord", &all->c, all->r);
		if (all->r == SD_DENIED)
			l->denied = 1;
		if (svx_exits.code[OUT_SYSTEM] > svx_exits.code[l->worst])
			l->worst = OUT_SYSTEM;
		return;
	}
	l->headings = 1;	/* its rows under a line naming the socket */
	for (i = 0; i < all->n; i++) {
		if (!listing_name_matches(l->opts, all->names[i]))
			continue;
		as_probe(&all->procs[i], all->names[i], &p);
		listing_row(l, all->c.socket, &p, NULL);
	}
}

/*
 * A named program as a row of `svx status NAME...`: then every format
 * (lines, -o, JSON) treats it as a service directory's.
 */
void
sd_named_row(struct listing *l, const char *arg)
{
	static struct sd_proc sp;
	struct batch_probe p;
	struct sd_conn c;
	enum sd_result r;
	enum svx_outcome out;

	memset(&c, 0, sizeof(c));
	if (sd_find_socket(&c) == -1)
		r = SD_SOCKET_PATH;
	else
		r = sd_process_info(&c, sd_program_name(arg), &sp);
	if (r != SD_OK) {
		fflush(l->out);
		out = sd_report(arg, &c, r);
		if (svx_exits.code[out] > svx_exits.code[l->worst])
			l->worst = out;
		return;
	}
	as_probe(&sp, arg, &p);
	listing_named_row(l, arg, &p, NULL);
}
