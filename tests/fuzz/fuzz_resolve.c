/*
 * libFuzzer target: service-name resolution. Input: SVDIR, a NUL, the
 * argument. What must hold: no crash, and a resolved path that fits its
 * buffer and is the argument itself, or the argument under a directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../shim/common/resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[2 * PATH_MAX + 2];
	char out[PATH_MAX];
	const char *svdir, *arg;
	char *nul;
	size_t len;

	if (size == 0 || size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if ((nul = memchr(in, '\0', size)) != NULL && nul < in + size) {
		svdir = in;
		arg = nul + 1;
	} else {
		svdir = NULL;
		arg = in;
	}
	memset(out, 'x', sizeof(out));
	if (resolve_service(arg, svdir, out, sizeof(out)) == -1)
		return 0;
	len = strnlen(out, sizeof(out));
	if (len == sizeof(out))
		abort();	/* not terminated */
	if (len < strlen(arg) && arg[0] == '/')
		abort();	/* a path lost its tail */
	return 0;
}
