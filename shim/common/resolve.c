/*
 * SERVICE arguments. A path is absolute or starts with ./ or ../ (or is
 * . or ..); anything else is a name looked up in $SVDIR when set, else in
 * the first default scan directory that has it. Names may hold a slash
 * (web/log is the log of web). A name no scan directory has, but that
 * exists from the current directory, is that directory: a shell glob such
 * over a relative folder then means what its user sees.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "resolve.h"

const char *const default_scandirs[] = {
	"/run/service", "/etc/service", "/service", "/var/service", NULL
};

int
is_path_argument(const char *arg)
{
	return arg[0] == '/' || strncmp(arg, "./", 2) == 0 ||
	    strncmp(arg, "../", 3) == 0 || strcmp(arg, ".") == 0 ||
	    strcmp(arg, "..") == 0;
}

int
path_join(char *out, size_t outlen, const char *dir, const char *name)
{
	if (strlcpy(out, dir, outlen) >= outlen ||
	    strlcat(out, "/", outlen) >= outlen ||
	    strlcat(out, name, outlen) >= outlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* 0 with OUT set; -1 with errno (ENOENT: no scan directory has it). */
int
resolve_service(const char *arg, const char *svdir, char *out,
    size_t outlen)
{
	struct stat sb;
	size_t i;

	if (arg[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (is_path_argument(arg)) {
		if (strlcpy(out, arg, outlen) >= outlen) {
			errno = ENAMETOOLONG;
			return -1;
		}
		return 0;
	}
	if (svdir != NULL && svdir[0] != '\0') {
		if (path_join(out, outlen, svdir, arg) == -1)
			return -1;
		if (fstatat(AT_FDCWD, out, &sb, 0) == 0 ||
		    fstatat(AT_FDCWD, arg, &sb, 0) == -1)
			return 0;	/* the error names $SVDIR's entry */
		return strlcpy(out, arg, outlen) >= outlen ? -1 : 0;
	}
	for (i = 0; default_scandirs[i] != NULL; i++) {
		if (path_join(out, outlen, default_scandirs[i], arg) == -1)
			return -1;
		if (fstatat(AT_FDCWD, out, &sb, 0) == 0)
			return 0;
	}
	if (fstatat(AT_FDCWD, arg, &sb, 0) == 0 &&
	    strlcpy(out, arg, outlen) < outlen)
		return 0;
	errno = ENOENT;
	return -1;
}
