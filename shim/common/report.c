/*
 * One line on stderr per failed service: its name, then the cause. svx's
 * CLI, its control of one service and its listings word errors alike.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report.h"

/* One line on stderr naming the service and the cause. */
void
report_error(const char *name, const char *fmt, ...)
{
	char buf[PATH_MAX + 512];
	struct text t;
	va_list ap;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, name);
	text_puts(&t, ": ");
	va_start(ap, fmt);
	vsnprintf(buf + t.len, sizeof(buf) - t.len, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
}

enum svx_outcome
report_open_error(const char *name, int err, int bare)
{
	switch (err) {
	case ENOENT:
		if (bare)
			report_error(name, "%s", "no such service (looked in $SVDIR"
			    " or /run/service, /etc/service, /service, "
			    "/var/service)");
		else
			report_error(name, "%s", "no such directory");
		return OUT_NOT_SUPERVISED;
	case ENOTDIR:
		report_error(name, "%s", "not a directory");
		return OUT_NOT_SUPERVISED;
	case EACCES:
		report_error(name, "permission denied: %s", "supervise/ is "
		    "readable by root only; run svx as root");
		return OUT_SYSTEM;
	default:
		report_error(name, "cannot open: %s", strerror(err));
		return OUT_SYSTEM;
	}
}

/* The verdicts that leave no state to act on, as an outcome. */
enum svx_outcome
report_verdict(const char *name, const struct svx_service *sv)
{
	const struct svx_detect *d = &sv->det;

	switch (d->verdict) {
	case VERDICT_NOT_SERVICE:
		report_error(name, "not a service directory: %s", d->why);
		return OUT_NOT_SUPERVISED;
	case VERDICT_AMBIGUOUS:
		report_error(name, "cannot tell which supervisor owns it: %s "
		    "(see svx probe)", d->why);
		return OUT_SYSTEM;
	case VERDICT_ERROR:
		if (d->err == EACCES)
			return report_open_error(name, EACCES, 0);
		report_error(name, "%s", d->why);
		return OUT_SYSTEM;
	default:
		return OUT_OK;
	}
}
