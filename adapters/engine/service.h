/*
 * One service directory: opened once, detected, its status unpacked.
 * Silent; the shim decides what to print.
 */
#ifndef SVX_SERVICE_H
#define SVX_SERVICE_H

#include "../model.h"
#include "detect.h"

int	service_open(int atfd, const char *path, const char *supervisedir,
	    struct svx_service *);
/*
 * The backend ARG names a service of when it is one without directories
 * (its source's prefix: supervisord:web), else NULL: then ARG is a path.
 */
const struct svx_adapter *service_named_backend(const char *arg);
/*
 * ARG through B's source (service_named_backend's): 0, its state or why
 * it could not be read in SV; -1 with errno when it cannot be asked.
 */
int	service_open_named(const struct svx_adapter *b, const char *arg,
	    int64_t deadline_ms, struct svx_service *sv);
void	service_refresh(struct svx_service *);
/* How its state is asked (svx_adapter.source); NULL: read from files. */
const struct svx_source *service_source(const struct svx_service *);
/* Its backend's name: a directory's format, or its source's. */
const char	*service_backend_name(const struct svx_service *);
int	service_open_log(const struct svx_service *, const char *path,
	    const char *supervisedir, struct svx_service *log);
void	service_close(struct svx_service *);
#define SEND_MAX	32	/* letters in one write, well under PIPE_BUF */

enum send_result service_send(const struct svx_service *, enum svx_verb,
	    const char **bytes);
enum send_result service_letters(const struct svx_service *,
	    const enum svx_verb *, size_t n, char *buf, size_t buflen,
	    size_t *failed);
enum send_result service_send_verbs(const struct svx_service *,
	    const enum svx_verb *, size_t n, char *sent, size_t sentlen,
	    size_t *failed);
enum send_result service_send_bytes(const struct svx_service *,
	    const char *bytes);
int	service_down_file(const struct svx_service *, int present);
int	svdir_open(int dirfd, const char *path, const char *supervisedir,
	    int *relocated);
/* The control directory's name as encore's tools print it. */
int	svdir_name(const char *path, const char *supervisedir, char *buf,
	    size_t len);

#endif
