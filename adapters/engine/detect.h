/*
 * Which supervisor owns a service directory, from the filesystem alone
 * (PROTOCOLS.md#liveness, PROTOCOLS.md#telling-backends-apart): liveness
 * first, then the status file's length and fingerprints, then liveness
 * again.
 */
#ifndef SVX_DETECT_H
#define SVX_DETECT_H

#include "../model.h"

void	detect_decide(const struct svx_evidence *, struct svx_detect *);
enum svx_backend detect_format(const struct svx_evidence *, const char **why);
void	detect_gather(int dirfd, int svdir_fd, int svdir_err,
	    struct svx_evidence *);
const char *evidence_file_name(unsigned int bit);

#endif
