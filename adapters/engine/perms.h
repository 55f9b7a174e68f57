/*
 * svx perms: who may read a service's state and who may control it,
 * as modes and a group on what its supervisor created (PROTOCOLS.md#perms).
 * The modes are tables, one per family; nothing here prints. Every file
 * is reached from a descriptor without following a symlink, and changed
 * through that descriptor.
 */
#ifndef SVX_PERMS_H
#define SVX_PERMS_H

#include <sys/stat.h>
#include <sys/types.h>

#include "../adapter.h"

/* What a grant leaves: the three levels svx perms sets, and reset. */
enum perms_level {
	PERMS_OWNER,		/* --reset: the supervisor's own modes */
	PERMS_STATUS,		/* --group G: read the state */
	PERMS_CONTROL,		/* --group G --control: and send commands */
	PERMS_NLEVELS
};

enum perms_family { PF_DJB, PF_ENCORE, PF_S6, PF_NFAMILIES };

/* One thing the supervisor creates, and its mode at each level. */
struct perms_row {
	const char	*name;		/* as shown: "supervise/", "ok" */
	const char	*path;		/* its name in its directory */
	int		 in_svdir;	/* under supervise/; else the service's */
	mode_t		 type;		/* S_IFDIR, S_IFIFO */
	mode_t		 mode[PERMS_NLEVELS];
	int		 grouped[PERMS_NLEVELS];  /* 1: group G, 0: default */
	/* The supervisor replaces it (a new file, in its umask's mode) at
	 * every change of state: shown and judged, never set (mode[] and
	 * grouped[] unused). A mode of 0 at a level: left as it is. */
	int		 rewritten;
};

struct perms_table {
	const struct perms_row *rows;
	size_t		 n;
	/* The FIFO a reader opens for writing to prove the supervisor
	 * alive ("ok"), or NULL where that proof is readable by all (s6's
	 * lock): supervise/'s search bit is then the only door. */
	const char	*proof;
};

extern const struct perms_table perms_tables[PF_NFAMILIES];
enum perms_family perms_family_of(enum svx_backend);

#define PERMS_MAX_ROWS	4

/* Who may: as read back from the modes. */
enum perms_who { WHO_OWNER, WHO_GROUP, WHO_ALL, WHO_MIXED };

struct perms_node {
	const struct perms_row *row;
	int		 err;		/* 0, or why it could not be had */
	struct stat	 st;		/* before any change */
	int		 changed;
};

struct perms_target {
	int		 dirfd;		/* the service directory */
	int		 svfd;		/* supervise/, O_PATH, never a link */
	int		 err;		/* why svfd is -1: ELOOP a symlink
					   not followed */
	int		 linked;	/* supervise is a symlink, followed */
	int		 relocated;	/* SUPERVISEDIR's, not supervise/ */
	enum perms_family family;
	gid_t		 default_gid;	/* the supervisor's group */
	struct perms_node nodes[PERMS_MAX_ROWS];
	size_t		 n;
};

/*
 * Open DIRFD's control directory (SUPERVISEDIR as encore reads it, or
 * supervise/) without following a symlink, but for a supervise symlink
 * to a trusted directory holding a control FIFO; a SUPERVISEDIR path of
 * several components is walked as such a link's target is: 0, or -1
 * with errno (ELOOP: a symlink not followed or a directory others may
 * change, ENOENT: no supervisor has created it yet).
 */
int	perms_open(int dirfd, const char *path, const char *supervisedir,
	    enum svx_backend, struct perms_target *);
/* Read every row's node (fills nodes[]). */
void	perms_read(struct perms_target *);
/*
 * Set every node to LEVEL with group GID (for PERMS_OWNER, the
 * supervisor's): only what differs is changed. 0, or -1 with errno and
 * the failing node's index in *FAILED.
 */
int	perms_apply(struct perms_target *, enum perms_level, gid_t,
	    size_t *failed);
void	perms_close(struct perms_target *);
/* Who may read the state, and who may control, per the nodes now; the
 * group in *GID when WHO_GROUP. Reading takes the status file's read
 * bit too. */
enum perms_who perms_status_who(const struct perms_target *, gid_t *);
/* 1 when the status file (as read) keeps out the group supervise/ lets
 * in: the supervisor wrote it under a umask such as 077; 0 otherwise. */
int	perms_status_blocked(const struct perms_target *);
enum perms_who perms_control_who(const struct perms_target *, gid_t *);

#endif
