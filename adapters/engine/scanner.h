#ifndef SVX_SCANNER_H
#define SVX_SCANNER_H

#include <sys/types.h>

#include <stddef.h>

#include "../adapter.h"

enum scanner_kind {
	SCANNER_NONE,		/* none found for the parent directory */
	SCANNER_S6,		/* s6-svscan, told to rescan */
	SCANNER_RUNSVDIR,	/* runsvdir, sent SIGALRM */
	SCANNER_SVSCAN,		/* svscan: cannot be told; scans every 5 s */
	SCANNER_RUNSVDIR_UNTOLD	/* a runsvdir that does not catch SIGALRM
				   (upstream's): left alone, scans every 5 s */
};

#define SCANNERS_MAX	64
/* runsvdir ignores a SIGALRM within a second of its last scan. */
#define SCANNER_REKICK_MS	1000

struct scanner_proc {
	pid_t		 pid;
	enum scanner_kind kind;
};

enum scanner_kind scanner_kick(const char *service_path);
enum scanner_kind scanner_watching(const char *dir);
/* Two stats of one file (device and inode). */
struct stat;
int	same_file(const struct stat *, const struct stat *);
enum svx_backend scanner_backend(enum scanner_kind);
/* The running scanner processes (from /proc), at most MAX: read once
 * and kept for the command (scanner_forget drops them). */
size_t	scanner_processes(struct scanner_proc *, size_t max);
void	scanner_forget(void);
/* The scanner of a backend in a service's scan directory, or 0. */
pid_t	scanner_of_service(const char *service_path, enum svx_backend);
/* A scanner's scan directory, into BUF: 0, or -1 and errno. */
int	scanner_dir(pid_t, char *buf, size_t len);

#endif
