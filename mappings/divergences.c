/*
 * Where a personality differs from its native tool on purpose, and the
 * rules it follows on a backend the native tool does not know. Data for
 * compat-matrix.md; every row names the test that proves it.
 */
#include <stddef.h>

#include "mappings.h"

const struct divergence divergences[] = {
	{ "sv, svc, s6-svc", "a directory just linked into a scan "
	    "directory whose scanner runs, no supervisor yet", "fails at "
	    "once (not running / not listening)", "kicks the scanner "
	    "(s6-svscan control, SIGALRM to a runsvdir that catches it, as "
	    "Debian's does; upstream's would die of it and is left to its "
	    "5 s rescan) and waits for the supervisor: within -w for sv, "
	    "5.5 s otherwise (svscan rescans every 5 s); with no scanner, "
	    "fails at once as natively",
	    "openrc_test.sh: test_openrc_runit_module_on_any_backend" },
	{ "all", "a process that has died but is not reaped yet (supervise "
	    "0.76 sleeps a second after each start)", "`up (pid N)` until "
	    "the supervisor wakes", "svx status: `exited`; svx -w: a death "
	    "(never \"down\": no finish script has run); the personalities "
	    "show what the supervisor recorded, as natively",
	    "wait_test.sh: test_restart_into_a_crash_is_a_failure" },
	{ "s6-svstat", "a service whose backend records no exit status "
	    "(daemontools, encore, runit)", "n/a",
	    "`down (exitcode unknown) ...`; `-o exitcode` -1, `signal` NA",
	    "s6_test.sh: test_on_runit" },
	{ "s6-svstat", "readiness on another backend", "n/a",
	    "`ready` while down means the finish script is done (s6's "
	    "`D`); while up, runit's `./check` passing; never otherwise",
	    "s6_test.sh: test_on_runit" },
	{ "s6-svstat", "a ready stamp in the future", "wraps to ~1.8e19 "
	    "seconds", "0 seconds", "(seconds_since in shim/compat/s6.c)" },
	{ "s6-svc", "a letter the backend cannot do (b on daemontools, y on "
	    "runit, ...)", "supervisor ignores it", "`s6-svc: fatal: : unable "
	    "to control DIR: BACKEND cannot do -X`, exit 100, nothing sent",
	    "test_tables.c: test_control_letters" },
	{ "s6-svc", "`supervise/control` is a regular file",
	    "the letters are written into it", "refused, exit 111",
	    "test_fifo.c: test_not_fifo" },
	{ "s6-svc", "-w with a command the supervisor does not get "
	    "(supervisor dead)", "the inner s6-svc's error, then waits "
	    "(forever without -T)", "the error, exit 100, no wait",
	    "s6_test.sh: test_svc_messages_same" },
	{ "s6-svc", "D, U, Q on another backend", "n/a",
	    "svx creates or removes ./down, then sends d, u or once-at-most",
	    "s6_test.sh: test_on_runit" },
	{ "s6-svwait", "a supervisor killed during the wait", "no `x` event: "
	    "waits on the stale status until the timeout", "done at once, "
	    "as s6 does on `x`: a failure (exit = number of failures) "
	    "unless the last state read meets the goal",
	    "s6_test.sh: test_svwait_supervisor_killed" },
	{ "s6-svwait", "more than 256 directories (or more than the "
	    "descriptor limit allows: 8 each)", "waits on all of them",
	    "`s6-svwait: fatal: too many services`, exit 100",
	    "(s6svwait_main in shim/compat/s6.c)" },
	{ "s6-svwait", "DIR/event missing", "creates it (mode 3730)",
	    "creates nothing (inotify instead)", "(wait_subscribe in "
	    "adapters/engine/wait.c)" },
	{ "s6-svwait, s6-svc -w", "-U/-R on another backend with ./check",
	    "n/a", "./check passing, run as sv runs it, counts as ready",
	    "(readiness in adapters/engine/wait.c)" },
	{ "sv", "`check`", "2.1.2: any down service passes, want ignored",
	    "compares against the wanted state, as runit 2.3.0 does",
	    "runit_test.sh: test_check_and_restart_divergences" },
	{ "sv", "`restart`, `term`, `kill` and the force-* variants with -v/-w",
	    "done when the status stamp's second is not before sv's start "
	    "(a restart in the same second reports the old pid)",
	    "done when a new pid is up", "runit_test.sh: "
	    "test_check_and_restart_divergences" },
	{ "sv", "`start`, `restart` (-w, SVWAIT, LSB) of a service that dies "
	    "on start or crash-loops", "`timeout: down: ...` and exit 1 once "
	    "the wait runs out (7 s)", "the same line and exit code as soon "
	    "as the new process dies within the settle window (200 ms; a "
	    "./check passing decides instead); a crash loop: its next try",
	    "wait_test.sh: test_sv_start_judges_a_crash" },
	{ "sv", "waiting (-v, -w, start, stop, ...)",
	    "polls every 420 ms; exits 420 ms after the timeout line",
	    "woken by the supervisor's events (inotify, s6 fifodir, pidfd); "
	    "exits at the timeout", "runit_test.sh: test_waits_and_timeouts_same" },
	{ "sv", "`./check` that never exits", "sv waits for it forever",
	    "killed at the deadline, counts as not ready", "(wait engine)" },
	{ "sv", "LSB `status` of a service with a log/",
	    "exit code from the log's state (runit #20)",
	    "exit code from the main service's state",
	    "runit_test.sh: test_lsb_on_runit" },
	{ "sv", "`-V`", "runit's `$Id: ... $` line",
	    "`$Id: svx VERSION (sv personality) $`, then usage, exit 100",
	    "runit_test.sh: test_status_same_in_every_state" },
	{ "sv", "an argument ending in `/`, while waiting",
	    "looked up in SVDIR in the wait loop", "the same directory as "
	    "when the command was sent", "(sv_path in shim/compat/runit.c)" },
	{ "sv", "log/ present but unreadable", "a warning, then a second "
	    "line built from stale bytes", "the warning only",
	    "(status_get in shim/compat/runit.c)" },
	{ "sv", "a command the backend cannot do (quit, 1, 2 on daemontools)",
	    "runsv has every letter", "`warning: X: unable to control: "
	    "BACKEND cannot do VERB; nothing sent`, counted as a failure",
	    "runit_test.sh: test_sv_refuses_what_daemontools_cannot_do" },
	{ "sv", "status of an s6, daemontools or encore service",
	    "n/a", "the runit line from svx's state: `finish:` while a "
	    "finish (encore: stop) script runs, with its pid; encore's "
	    "stopping is `want down, got TERM`; readiness is not shown",
	    "runit_test.sh: test_sv_on_s6, test_sv_on_encore" },
	{ "sv", "a command the backend cannot do (quit, 1, 2 on daemontools "
	    "0.76; `x` on a running runit service's log/)", "n/a on runit",
	    "`warning: DIR: unable to control: BACKEND cannot do VERB; "
	    "nothing sent`, counted as a failed service: exit 1 for one, as "
	    "sv counts any service it could not act on",
	    "runit_test.sh: test_sv_refuses_what_daemontools_cannot_do" },
	{ "svc", "a letter the backend cannot do (q 1 2 w on daemontools, "
	    "w on runit, x on a running runit service, + off encore)",
	    "0.76: `illegal option`, exit 100; runit's and s6's supervisors "
	    "silently ignore it",
	    "warning `unable to control DIR: BACKEND cannot do -X; nothing "
	    "sent`, nothing written to any directory's service, exit 100 "
	    "(0.76's code for a letter it does not know)",
	    "daemontools_test.sh: test_svc_refuses_what_the_backend_cannot_do" },
	{ "svc", "letters q 1 2 w (encore 1.11's)",
	    "0.76: usage error", "accepted on every backend that can do them",
	    "daemontools_test.sh: test_on_runit, test_on_s6" },
	{ "svc", "modifiers L l + = (encore 1.11's)", "0.76: usage error; "
	    "encore: sent to supervise as they are", "encore: the same bytes "
	    "as encore's svc; elsewhere `-L` sends the letters after it to "
	    "DIR/log's own supervisor (`unable to control DIR/log` without "
	    "one), and a signal after `+` is refused: no other supervisor "
	    "signals a process group",
	    "daemontools_test.sh: test_log_letters_on_daemontools; "
	    "encore_rts_test.sh" },
	{ "svstat", "options -l and -L (encore 1.11's)", "0.76: read as "
	    "directory names", "encore's meaning on every backend: leading "
	    "arguments made of l and L only are options; off encore `-L` "
	    "prints `DIR log:` with DIR/log's own record, or `DIR: no log "
	    "service`", "daemontools_test.sh: test_log_letters_on_daemontools" },
	{ "svc, svstat, svok, svx", "$SUPERVISEDIR naming a missing directory, "
	    "or empty", "encore: no fallback (svok exits 100; an empty value "
	    "names /ok); 0.76: ignored", "as encore; sv and the s6 tools "
	    "ignore it, as their native tools do",
	    "daemontools_test.sh: test_supervisedir_as_encore_reads_it" },
	{ "svc", "the control FIFO is full (supervisor stopped)",
	    "blocks forever in write(2)",
	    "warning `unable to control DIR: supervisor not responding ...`",
	    "test_fifo.c: test_full_fifo" },
	{ "svstat", "status file unreadable (read error)",
	    "0.76 prints the previous directory's bytes",
	    "`DIR: unable to read supervise/status: bad format`",
	    "test_detect.c: test_no_supervise_dir" },
	{ "svstat", "a runit or s6 service whose finish script runs",
	    "n/a (0.76 would print the finish script's pid as `up`)",
	    "`down N seconds`: the service is down",
	    "daemontools_test.sh: test_svstat_finishing_is_down" },
	{ "svstat", "two supervisors, or a status file of another format",
	    "prints whatever the bytes decode to",
	    "`DIR: unable to tell which supervisor runs it: WHY`",
	    "core_test.sh: test_two_supervisors_are_reported" },
	{ "svstat", "encore service", "0.76 ignores bytes 18-39",
	    "encore 1.11's format: `, once`, state word, `DIR log:` line",
	    "daemontools_test.sh: test_on_encore" },
	{ "svstat, sv", "stdout cannot be written (closed, full disk)",
	    "exit 0", "`fatal: unable to write output: WHY`; svstat exits 111, "
	    "sv 100 (its fatal code)", "fault_test.sh: test_unwritable_stdout" },
	{ "svok", "an s6 service", "no supervise/ok: exit 100",
	    "0 when s6-supervise holds the lock", "daemontools_test.sh: "
	    "test_on_s6" },
};
const size_t ndivergences = sizeof(divergences) / sizeof(divergences[0]);
