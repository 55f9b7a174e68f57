/*
 * svx doctor's words: for each check (adapters/engine/doctor.c), the
 * problem and its fix, as templates the shim fills in (placeholders in
 * mappings.h). One row per check, indexed by it; a unit test checks that
 * every check has both.
 */
#include "mappings.h"

const struct doctor_words doctor_words[DOC_COUNT] = {
	[DOC_LINK_BROKEN] = { "{dir} is a symlink to {what}, which does not "
	    "exist", "point it at the service directory (ln -sfn DIR {dir}) "
	    "or remove it (rm {dir})" },
	[DOC_NOT_DIR] = { "{dir} cannot be opened as a directory: {err}",
	    "name a service directory" },
	[DOC_RUN_MISSING] = { "{dir} has no run file, so nothing can start",
	    "write {dir}/run (svx new writes one) and chmod +x it" },
	[DOC_RUN_NOT_EXEC] = { "{dir}/run is not an executable file; the "
	    "supervisor's exec fails each time", "chmod +x {dir}/run" },
	[DOC_INTERP_MISSING] = { "the interpreter {what} named by the #! line "
	    "of {dir}/run cannot run: {err}", "install {what}, or correct "
	    "the #! line of {dir}/run" },
	[DOC_SVDIR_UNREADABLE] = { "the supervisor's control directory is "
	    "not readable by this user: {err}", "run svx doctor as root, or "
	    "give a group access: svx perms {service} --group G" },
	[DOC_NO_SUPERVISOR] = { "no supervisor is running on {dir}",
	    "svx enable {service} (links it into a watched scan directory "
	    "and waits for its supervisor)" },
	[DOC_OWNER_UNKNOWN] = { "svx cannot tell what supervises {dir} "
	    "({what}), so no command can act on it", "svx probe {service} "
	    "shows the evidence; with no supervisor running, remove what "
	    "none made (a supervise/control or ok that is a regular file)" },
	[DOC_NO_SCANNER] = { "no scanner watches {what}, so nothing will "
	    "start a supervisor for it", "svx enable {service} --scandir "
	    "DIR for a scan directory a scanner watches, or start the "
	    "scanner on {what}" },
	[DOC_DOWN_FILE] = { "{dir}/down exists, so its supervisor leaves it "
	    "down", "svx up {service} to start it now; rm {dir}/down to "
	    "start it with its supervisor" },
	[DOC_CRASH_LOOP] = { "crash-looping: wanted up, but dies at once "
	    "({rate}); last death: {last}", "svx log {service} for its "
	    "output; run {dir}/run by hand to see it fail" },
	/* {what}: ./finish, or encore's ./stop. */
	[DOC_FINISH_RUNNING] = { "{what} (pid {pid}) is still running, so "
	    "the service cannot restart", "see why {what} does not exit, or "
	    "kill {pid}" },
	[DOC_WONT_STOP] = { "wanted down, but its process (pid {pid}) still "
	    "runs: it does not end on the TERM its supervisor sent",
	    "svx -w 5 --kill-on-timeout down {service}; see why the "
	    "service ignores TERM" },
	[DOC_LOGGER_DOWN] = { "its logger ({dir}/log) is not up: once the "
	    "pipe is full, the service blocks on every write", "svx doctor "
	    "{service}/log; svx up {service}/log" },
	/* supervisord programs: {what} is its socket, its spawn error or
	 * the missing log file; {pid} supervisord's. */
	[DOC_SD_UNREACHABLE] = { "supervisord does not answer on {what}: "
	    "{err}", "start supervisord (supervisord -c CONFIG), or see why "
	    "the one running does not answer; SVX_SUPERVISORD_SOCKET names "
	    "the socket to ask" },
	[DOC_SD_UNKNOWN] = { "the supervisord on {what} has no such program",
	    "add a [program:NAME] section to its configuration, then "
	    "supervisorctl reread and supervisorctl update" },
	[DOC_SD_FATAL] = { "supervisord gave up starting it (FATAL): {cause}",
	    "svx log {service} for its output; correct its command, then "
	    "svx up {service}" },
	[DOC_SD_BACKOFF] = { "crash-looping: it dies before startsecs and "
	    "supervisord starts it again (BACKOFF): {cause}", "svx log "
	    "{service} for its output; run its command by hand to see it "
	    "fail" },
	[DOC_SD_STOPPED] = { "stopped, though autostart=true: someone stopped "
	    "it, and nothing starts it again before supervisord restarts",
	    "svx up {service}" },
	[DOC_SD_LOG_MISSING] = { "its log file {what} is not on disk: "
	    "supervisord writes on to the removed file, and svx log shows "
	    "nothing new", "kill -USR2 {pid} (supervisord reopens its log "
	    "files)" },
};
