/*
 * How each family of native tools words an errno. daemontools and runit
 * print djb's error_str() texts ("file does not exist"); the s6 tools
 * print the C library's strerror(). Personalities must print the text of
 * the tool they stand in for.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "mappings.h"

static const struct {
	int		 err;
	const char	*text;
} djb_errors[] = {
	{ 0, "no error" },
	{ EINTR, "interrupted system call" },
	{ ENOMEM, "out of memory" },
	{ ENOENT, "file does not exist" },
	{ ETXTBSY, "text busy" },
	{ EIO, "input/output error" },
	{ EEXIST, "file already exists" },
	{ ETIMEDOUT, "timed out" },
	{ EINPROGRESS, "operation in progress" },
	{ EAGAIN, "temporary failure" },
	{ EPIPE, "broken pipe" },
	{ EPERM, "permission denied" },
	{ EACCES, "access denied" },
	{ ENXIO, "device not configured" },
	{ EPROTO, "protocol error" },
	{ EISDIR, "is a directory" },
	{ ECONNREFUSED, "connection refused" },
	{ ENOTDIR, "not a directory" },
	{ ESRCH, "no such process" },
	{ E2BIG, "argument list too long" },
	{ ENOEXEC, "exec format error" },
	{ EBADF, "file descriptor not open" },
	{ ECHILD, "no child processes" },
	{ EDEADLK, "operation would cause deadlock" },
	{ EFAULT, "bad address" },
	{ ENOTBLK, "not a block device" },
	{ EBUSY, "device busy" },
	{ EXDEV, "cross-device link" },
	{ ENODEV, "device does not support operation" },
	{ EINVAL, "invalid argument" },
	{ ENFILE, "system cannot open more files" },
	{ EMFILE, "process cannot open more files" },
	{ ENOTTY, "not a tty" },
	{ EFBIG, "file too big" },
	{ ENOSPC, "out of disk space" },
	{ ESPIPE, "unseekable descriptor" },
	{ EROFS, "read-only file system" },
	{ EMLINK, "too many links" },
	{ ELOOP, "symbolic link loop" },
	{ ENAMETOOLONG, "file name too long" },
	{ ENOTEMPTY, "directory not empty" },
	{ EDQUOT, "disk quota exceeded" },
	{ ESTALE, "stale NFS file handle" },
	{ ENOLCK, "no locks available" },
	{ ENOSYS, "system call not available" },
};

const char *
djb_error_str(int err)
{
	size_t i;

	for (i = 0; i < sizeof(djb_errors) / sizeof(djb_errors[0]); i++)
		if (djb_errors[i].err == err)
			return djb_errors[i].text;
	return "unknown error";
}

const char *const cannot_reason_names[CANNOT_REASONS] = {
	[CANNOT_BAD_FORMAT] = "supervised, its status not understood",
	[CANNOT_NOT_RUNNING] = "no supervisor runs",
	[CANNOT_NO_SVDIR] = "no supervise/",
	[CANNOT_NO_OK] = "$SUPERVISEDIR's directory without ok",
	[CANNOT_NOT_SERVICE] = "supervise/ cannot be opened",
	[CANNOT_SVDIR_NOT_DIR] = "supervise is not a directory",
	[CANNOT_NO_CONTROL] = "supervise/ without its control FIFO",
	[CANNOT_AMBIGUOUS] = "several formats seen",
	[CANNOT_ERROR] = "detection met an error",
};

/*
 * Every "permission denied" svx prints on a service ends with the way
 * out (README, Without root): status and control, for a whole group.
 */
const char perms_denied_hint[] = "run svx as root, or give a group "
    "access: svx perms SERVICE --group G [--control]";
