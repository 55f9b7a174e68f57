/*
 * The record shared by daemontools 0.76 and daemontools-encore
 * (PROTOCOLS.md#daemontools, PROTOCOLS.md#encore): TAI64N stamp,
 * little-endian pid, paused, want.
 */
#ifndef SVX_DJB_H
#define SVX_DJB_H

#include "../adapter.h"

#define DJB_OFF_STAMP	0
#define DJB_OFF_PID	12
#define DJB_OFF_PAUSED	16
#define DJB_OFF_WANT	17

int	djb_unpack_record(const unsigned char *, struct svx_proc *);
const char *djb_emulate(enum svx_verb, const struct svx_proc *, int);

#endif
