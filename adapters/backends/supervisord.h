/*
 * supervisord as a backend (supervisord.c beside this): its programs read
 * and driven as services, through the XML-RPC client of
 * adapters/supervisord/. Silent.
 */
#ifndef SVX_BACKEND_SUPERVISORD_H
#define SVX_BACKEND_SUPERVISORD_H

#include "../model.h"
#include "../supervisord/supervisord.h"

/*
 * One program read as a service (model.h's svx_source): each
 * refresh asks getProcessInfo once. RESULT says how the last call went;
 * while it is not SD_OK the service reads as unsupervised, and the caller
 * words RESULT with CONN's fault (or, for SD_STILL_STOPPING, with PROC).
 */
struct sd_target {
	struct sd_conn	*conn;
	const char	*name;			/* NAME or GROUP:NAME */
	struct sd_proc	 proc;			/* the last answer */
	enum sd_result	 result;
	unsigned int	 opened:1;		/* by sd_source.open: its
						   close frees it */
};

/*
 * What each svx verb asks of supervisord: supervisorctl's own set. A
 * verb it has no call for (once: no "run once"; exit: no way to end one
 * program's supervision) is SDA_NONE, refused. A fault that means the
 * goal already holds (SD_FAULT_ALREADY_STARTED, SD_FAULT_NOT_RUNNING) is
 * no failure (PROTOCOLS.md#supervisord).
 */
enum sd_action { SDA_NONE, SDA_START, SDA_STOP, SDA_RESTART, SDA_SIGNAL };
struct sd_verb_row {
	enum sd_action	 action;
	const char	*signame;	/* SDA_SIGNAL */
	const char	*what;		/* the calls, as -v tells them */
};
extern const struct sd_verb_row sd_verbs[VERB_COUNT];

/*
 * How often a wait asks: 20 ms. A getProcessInfo costs supervisord
 * ~0.5 ms of CPU (300 calls, measured from its /proc stat), so a
 * wait costs it ~2.5% of a core while it lasts (PROTOCOLS.md#supervisord).
 */
#define SD_POLL_MS	20

/* The source every program is read through (model.h). */
extern const struct svx_source sd_source;
/* SV as PROGRAM of T's connection; then read once (T->result). */
void	sd_service_open(struct svx_service *sv, struct sd_target *t);
/*
 * SV's program read from an answer got otherwise (one getAllProcessInfo
 * for many): R, and P when R is SD_OK.
 */
void	sd_service_take(struct svx_service *sv, enum sd_result r,
	    const struct sd_proc *p);
/* supervisord's record in svx's terms (pure; PROTOCOLS.md#supervisord). */
void	sd_proc_unpack(const struct sd_proc *, struct svx_proc *);

#endif
