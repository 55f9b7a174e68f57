/*
 * libFuzzer target: every status unpacker on arbitrary bytes, and the
 * pure detection verdict on evidence built from them. What must hold:
 * no crash, no read past the input, and a status that unpacks is one svx
 * can print (states and wants in range, pids not negative, a consumed
 * size that is the input's).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/engine/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_proc(const struct svx_proc *p)
{
	if (p->state < 0 || p->state >= STATE_COUNT || p->want < WANT_UNKNOWN ||
	    p->want > WANT_ONCE || p->pid < 0 || p->helper_pid < 0 ||
	    p->since.nsec >= 1000000000u || (p->ready != TRI_UNKNOWN &&
	    p->ready != TRI_NO && p->ready != TRI_YES))
		abort();
}

static void
unpack_all(const uint8_t *data, size_t size)
{
	int (*const unpackers[])(const unsigned char *, size_t,
	    struct svx_status *) = { status_unpack_daemontools,
	    status_unpack_encore, status_unpack_runit, status_unpack_s6 };
	struct svx_status st;
	size_t i;

	for (i = 0; i < sizeof(unpackers) / sizeof(unpackers[0]); i++) {
		memset(&st, 0xa5, sizeof(st));
		if (unpackers[i](data, size, &st) != 0)
			continue;
		check_proc(&st.main);
		if (st.has_log)
			check_proc(&st.log);
		if (st.size != size)
			abort();
	}
}

/* The first byte chooses what the liveness probes found. */
static void
decide(const uint8_t *data, size_t size)
{
	static const int results[] = { 1, 0, -1, -2 };
	struct svx_evidence ev;
	struct svx_detect det;
	const struct svx_adapter *a;
	struct svx_status st;
	const char *why;

	if (size < 2)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.ok.result = results[data[0] & 3];
	ev.control.result = results[(data[0] >> 2) & 3];
	ev.lock.result = results[(data[0] >> 4) & 3];
	ev.ok.err = ev.ok.result == -1 ? 2 : 0;
	ev.files = data[1];
	ev.status_len = size - 2 > STATUS_MAX ? STATUS_MAX : size - 2;
	memcpy(ev.status, data + 2, ev.status_len);
	detect_decide(&ev, &det);
	if (det.why == NULL || det.verdict > VERDICT_ERROR ||
	    det.backend >= BACKEND_DIR_COUNT)
		abort();
	/* A backend recognised from the bytes can unpack them. */
	if (det.verdict == VERDICT_SUPERVISED && !det.starting &&
	    detect_format(&ev, &why) == det.backend) {
		if ((a = adapter_for(det.backend)) == NULL)
			abort();
		if (a->unpack(ev.status, ev.status_len, &st) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unpack_all(data, size);
	decide(data, size);
	return 0;
}
