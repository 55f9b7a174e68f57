/*
 * svx doctor for a supervisord program: what supervisord says of it
 * (getProcessInfo), its configuration (getAllConfigInfo) and its log
 * files on disk, read once by sd_doctor_open; then each check a row of a
 * table, pure over what was read. The findings and their words are
 * engine/doctor.h's and mappings/doctor.c's. Silent.
 */
#ifndef SVX_SD_DOCTOR_H
#define SVX_SD_DOCTOR_H

#include <sys/types.h>

#include <stddef.h>

#include "doctor.h"
#include "../supervisord/supervisord.h"

/* supervisord's XML-RPC fault for a name it does not know
 * (PROTOCOLS.md#supervisord). */
#define SD_FAULT_BAD_NAME	10

struct sd_doctor {
	const char	*socket;
	enum sd_result	 result;	/* getProcessInfo's */
	int		 fault_code;	/* when result is SD_FAULT */
	struct sd_proc	 proc;
	int		 have_prog;	/* prog holds its configuration */
	struct sd_program prog;
	pid_t		 supervisord;	/* its pid, 0 unknown */
	/* The first log file it keeps that is not on disk (lstat ENOENT),
	 * or "". */
	char		 log_missing[1024];
	/* Its last death as supervisord's own log words it, or "";
	 * death_exit: the exit code in it, or -1. */
	char		 death[64];
	int		 death_exit;
};

/* How much of the end of supervisord's log is searched for a death. */
#define SD_DOCTOR_LOG_BYTES	16384

struct sd_doctor_row {
	enum doctor_check id;
	const char	*name;		/* for --json and the manual */
	int		(*test)(const struct sd_doctor *,
			    struct doctor_finding *);
};

#define SD_DOC_COUNT	(DOC_COUNT - DOC_DIR_COUNT)
extern const struct sd_doctor_row sd_doctor_rows[SD_DOC_COUNT];

/* NAME (or GROUP:NAME) of C's supervisord, read into D. */
void	sd_doctor_open(struct sd_doctor *d, struct sd_conn *c,
	    const char *name);
/* The last "exited: NAME (WHY; ...)" line of supervisord's log LOG:
 * WHY into OUT ("exit status 3", "terminated by SIGKILL"), its exit code
 * or -1 into *EXIT; 1, or 0 when none (pure). */
int	sd_last_death(const char *log, size_t len, const char *name,
	    char *out, size_t outlen, int *exit);
/* Every row's test in order, findings into OUT: how many (at most MAX). */
size_t	sd_doctor_run(const struct sd_doctor *, struct doctor_finding *out,
	    size_t max);

#endif
