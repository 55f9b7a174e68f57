#!/bin/sh
# End-to-end tests of the core against one real supervisor:
#   BACKEND=daemontools|runit|s6|encore SVX_BUILD=build sh core_test.sh
# encore runs against tests/e2e/encore-standin.c (not packaged in Debian).
#
# Each test makes its own service directory under a temporary folder,
# starts the backend's supervisor on it, acts through build/svx and checks
# the effect in the test service's signal log, in /proc, and in the
# native status tool where one exists. tearDown kills what the test
# started, by pid.
#
# not tested here: scanners (svscan, runsvdir, s6-svscan) beyond what
# backend-env reads of them, waits (-w), personalities; non-root access
# (fault_test.sh).

: "${BACKEND:?set BACKEND}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin e2e-$BACKEND
}

setUp() {
	n=$((n + 1))
	D=$T/s$n
}

# A live service D under the backend, up and logging.
live_service() {
	make_service "$D" "$@"
	start_supervisor "$BACKEND" "$D" || fail "cannot start $BACKEND"
	wait_for 10 service_started "$D" || fail "service never started"
	# The service can log its start before its supervisor records it
	# (runsv and s6-supervise write the record after the fork).
	wait_for 10 status_has "$D" "$BACKEND up" || fail "never recorded up"
}

# The pid the native status tool reports, or nothing.
native_pid() {
	case $BACKEND in
	daemontools) svstat "$1" ;;
	runit) sv status "$1" ;;
	s6) s6-svstat "$1" ;;
	*) return 0 ;;
	esac 2>/dev/null | sed -n 's/.*(pid \([0-9]*\)).*/\1/p' | head -n 1
}

has_native() {
	[ "$BACKEND" != encore ]
}

# Wait until the service runs a new process, other than OLD.
new_pid_since() {
	[ -n "$(service_pid "$D")" ] && [ "$(service_pid "$D")" != "$1" ] &&
		status_has "$D" "up (pid $(service_pid "$D"))"
}

# shunit2 counts skipped assertions, not tests: one per skipped test.
# probe_is VERDICT: the first line of svx probe of D says VERDICT.
probe_is() {
	"$SVX" probe "$D" >"$T/probe" 2>&1
	head -n 1 "$T/probe" | grep -q "$1"
}

probe_says() {
	probe_is "$1" || fail "probe: $(cat "$T/probe")"
}

verb_supported() {
	case $BACKEND:$1 in
	daemontools:quit | daemontools:usr1 | daemontools:usr2) return 1 ;;
	daemontools:winch | runit:winch) return 1 ;;
	esac
	return 0
}

test_status_up_names_backend_and_pid() {
	live_service
	pid=$(service_pid "$D")
	wait_for 10 status_has "$D" "$BACKEND up (pid $pid)" ||
		fail "status: $("$SVX" status "$D" 2>&1)"
	"$SVX" status "$D" >/dev/null
	assertEquals "exit code of status" 0 $?
	if has_native; then
		assertEquals "native tool agrees on the pid" "$pid" \
			"$(native_pid "$D")"
	fi
}

test_probe_gives_verdict_and_evidence() {
	live_service
	out=$("$SVX" probe "$D")
	assertEquals "probe exit" 0 $?
	echo "$out" | grep -q "supervised by $BACKEND" ||
		fail "verdict: $out"
	echo "$out" | grep -q "status: *[0-9]* bytes" || fail "size: $out"
	echo "$out" | grep -q "files:.*run" || fail "files: $out"
	if [ "$BACKEND" = s6 ]; then
		echo "$out" | grep -q "lock held by pid $(supervisor_pid "$D")" ||
			fail "lock holder: $out"
	else
		echo "$out" | grep -q "supervise/ok has a reader" ||
			fail "ok FIFO: $out"
	fi
}

# Each signal verb reaches the process; unsupported ones send nothing.
test_signal_verbs_reach_the_service() {
	live_service
	for pair in hup:HUP alarm:ALRM interrupt:INT quit:QUIT usr1:USR1 \
		usr2:USR2 winch:WINCH; do
		verb=${pair%%:*}
		sig=${pair#*:}
		if verb_supported "$verb"; then
			"$SVX" "$verb" "$D"
			assertEquals "$verb exit" 0 $?
			wait_for 10 log_has "$D" "$sig" || fail "$verb: no $sig"
		else
			"$SVX" "$verb" "$D" 2>"$T/err"
			assertEquals "$verb refused" 103 $?
			grep -q "$BACKEND cannot $verb" "$T/err" ||
				fail "message: $(cat "$T/err")"
		fi
	done
	# The FIFO is ordered: once HUP #2 arrives, a wrongly sent letter
	# would have been handled already.
	before=$(grep -c "^HUP" "$D.log")
	"$SVX" hup "$D"
	wait_for 10 more_hups "$before" || fail "second HUP missing"
	for pair in quit:QUIT usr1:USR1 usr2:USR2 winch:WINCH; do
		verb_supported "${pair%%:*}" && continue
		assertFalse "${pair%%:*} must not arrive" \
			"grep -q '^${pair#*:} ' '$D.log'"
	done
}

more_hups() {
	[ "$(grep -c "^HUP" "$D.log")" -gt "$1" ]
}

test_pause_and_cont() {
	live_service
	pid=$(service_pid "$D")
	"$SVX" pause "$D"
	wait_for 10 process_stopped "$pid" || fail "not stopped"
	wait_for 10 status_has "$D" "paused" || fail "status lacks paused"
	probe_says "supervised by $BACKEND"
	"$SVX" cont "$D"
	wait_for 10 log_has "$D" CONT || fail "no CONT"
	wait_for 10 not_paused || fail "still paused"
}

not_paused() {
	! status_has "$D" "paused"
}

test_term_and_kill_restart_a_wanted_service() {
	live_service
	pid=$(service_pid "$D")
	"$SVX" term "$D"
	wait_for 10 grep -qx "TERM $pid" "$D.log" || fail "no TERM"
	wait_for 10 new_pid_since "$pid" || fail "not restarted after term"
	pid=$(service_pid "$D")
	"$SVX" kill "$D"
	wait_for 10 new_pid_since "$pid" || fail "not restarted after kill"
}

test_down_then_up() {
	live_service
	"$SVX" down "$D"
	assertEquals "down exit" 0 $?
	wait_for 10 log_has "$D" TERM || fail "no TERM"
	wait_for 10 status_has "$D" "$BACKEND down" || fail "not down"
	status_has "$D" "normally up" || fail "down flags: $("$SVX" status "$D")"
	probe_says "supervised by $BACKEND"
	pid=$(service_pid "$D")
	"$SVX" up "$D"
	wait_for 10 new_pid_since "$pid" || fail "not up again"
}

# The supervision framework's SVC_BACKEND file: its commands,
# sourced as the framework sources them, drive this backend's service.
test_backend_env_drives_the_service() {
	live_service
	"$SVX" backend-env "$D" >"$T/env.$n"
	assertEquals "backend-env exit" 0 $?
	case $BACKEND in
	encore) name=daemontools-encore ;;
	*) name=$BACKEND ;;
	esac
	grep -qx "__SV_NAM__='$name'" "$T/env.$n" || fail "$(cat "$T/env.$n")"
	# daemontools 0.76 has no quit: sv-config leaves __SIGQUIT__ out.
	if [ "$BACKEND" = daemontools ]; then
		grep -q __SIGQUIT__ "$T/env.$n" && fail "quit on daemontools"
	else
		grep -qx "__SIGQUIT__='quit'" "$T/env.$n" || fail "no quit"
	fi
	pid=$(service_pid "$D")
	(
		. "$T/env.$n"
		$__CHKCMD__ "$D" >/dev/null || exit 11
		eval "$__SVCCMD__ $__SIGWDWN__ \"\$D\"" || exit 12
		$__SVCCMD__ $__SIGSTRT__ "$D" || exit 13
		eval "$__SVCCMD__ $__SIGWTUP__ \"\$D\"" || exit 14
	)
	assertEquals "framework commands" 0 $?
	status_has "$D" "$BACKEND up" || fail "$("$SVX" status "$D")"
	new_pid_since "$pid" || fail "stop and start did not replace $pid"
}

# The variables the framework's scripts declare readonly after sourcing
# SV-CONFIG (lib/sh/runscript-functions), less those a backend has none
# of: __SVCENV__ (unused), __PRECMD__ and __SCANCMD__ (runit, s6),
# __SIGQUIT__ and __SIGUSR1/2__ (not on daemontools 0.76).
framework_words="__SV_NAM__ __SV_CMD__ __SVCCMD__ __CHKCMD__ __STACMD__
	__LOGCMD__ __SIGSTRT__ __SIGSTOP__ __SIGSONCE__ __SIGPAUSE__ __SIGCONT__
	__SIGHUP__ __SIGALRM__ __SIGINT__ __SIGTERM__ __SIGKILL__ __SIGEXIT__
	__SIGWTUP__ __SIGWDWN__ __SIGRELD__"

# defines FILE VAR...: every VAR is set, non-empty, once FILE is sourced.
defines() {
	(
		. "$1" || exit 1
		shift
		for _v in "$@"; do
			eval "[ -n \"\${$_v:-}\" ]" || { echo "$_v"; exit 1; }
		done
	)
}

# Today's framework reads ${SV_LIBDIR}/sh/SV-CONFIG, the default
# layout; the rescan and chpst sv-config writes for runit; none for svscan.
test_backend_env_current_layout() {
	live_service
	"$SVX" backend-env "$D" >"$T/env.$n"
	assertEquals "backend-env exit" 0 $?
	grep -q '^# SV-CONFIG .*' "$T/env.$n" &&
		grep -qF '${SV_LIBDIR}/sh/SV-CONFIG' "$T/env.$n" ||
		fail "header: $(head -n 3 "$T/env.$n")"
	missing=$(defines "$T/env.$n" $framework_words) ||
		fail "current layout lacks $missing"
	grep -qxF "__SIGWTUP__='-w \${SVC_TIMEOUT_UP:-\${SV_TIMEOUT_UP:-10}} up'" \
		"$T/env.$n" || fail "$(grep __SIGWTUP__ "$T/env.$n")"
	"$SVX" backend-env SV-CONFIG "$D" >"$T/env-named.$n"
	assertEquals "SV-CONFIG exit" 0 $?
	cmp -s "$T/env.$n" "$T/env-named.$n" || fail "SV-CONFIG differs"
	case $BACKEND in
	runit)
		grep -qxF "__SCANCMD__='$(command -v pkill) -CONT -F \${SV_TMPDIR}/runsvdir.pid'" \
			"$T/env.$n" || fail "$(grep SCANCMD "$T/env.$n")"
		grep -qxF "__PRECMD__='$(command -v chpst)'" "$T/env.$n" ||
			fail "no chpst" ;;
	daemontools | encore)
		grep -q "__SCANCMD__\|__PRECMD__" "$T/env.$n" &&
			fail "svscan takes no rescan" ;;
	esac
	# The scripts' spelling of pause, run as they run it.
	pid=$(service_pid "$D")
	(
		. "$T/env.$n"
		eval ${__SVCCMD__} ${__SIGPAUSE__} "$D"
	)
	assertEquals "framework pause" 0 $?
	wait_for 10 process_stopped "$pid" || fail "not paused"
	(
		. "$T/env.$n"
		eval ${__SVCCMD__} ${__SIGCONT__} "$D"
	)
	wait_for 10 not_paused || fail "still paused"
}

# The layout before mid-2018: ${SV_SVCDIR}/.opt/SVC_BACKEND, its own wait
# variables, and the scripts' names only.
test_backend_env_old_layout() {
	live_service
	"$SVX" backend-env SVC_BACKEND "$D" >"$T/env.$n"
	assertEquals "backend-env SVC_BACKEND exit" 0 $?
	grep -q '^# SVC_BACKEND .*' "$T/env.$n" &&
		grep -qF '${SV_SVCDIR}/.opt/SVC_BACKEND' "$T/env.$n" ||
		fail "header: $(head -n 3 "$T/env.$n")"
	missing=$(defines "$T/env.$n" $framework_words) ||
		fail "old layout lacks $missing"
	grep -q "^__SIGONCE__=\|^__SIGPAUS__=" "$T/env.$n" &&
		fail "today's sv-config names in the old layout"
	grep -qxF "__SIGWDWN__='-w \${SVC_WAIT_DOWN:-10} down'" "$T/env.$n" ||
		fail "$(grep __SIGWDWN__ "$T/env.$n")"
	(
		. "$T/env.$n"
		SVC_WAIT_DOWN=5 SVC_WAIT_UP=5
		eval ${__SVCCMD__} ${__SIGWDWN__} "$D" || exit 1
		eval ${__SVCCMD__} ${__SIGWTUP__} "$D"
	)
	assertEquals "old layout's waits" 0 $?
	status_has "$D" "$BACKEND up" || fail "$("$SVX" status "$D")"
}


# __SCANCMD__ names the running s6-svscan's directory, and does what the
# framework's svc_start runs it for: a service linked in since is started.
test_backend_env_rescan_reaches_the_scanner() {
	[ "$BACKEND" = s6 ] || { skip_test; return; }
	scan=$T/scan$n
	make_service "$D"
	mkdir -p "$scan"
	ln -s "$D" "$scan/first"
	scanner s6 "$scan"
	wait_for 10 service_started "$D" || fail "first service not started"
	"$SVX" backend-env "$scan/first" >"$T/env.$n"
	assertEquals "backend-env exit" 0 $?
	grep -qxF "__SCANCMD__='$(command -v s6-svscanctl) -an $(cd "$scan" && pwd -P)'" \
		"$T/env.$n" || fail "$(grep SCANCMD "$T/env.$n")"
	make_service "$D-late"
	ln -s "$D-late" "$scan/late"
	out=$(
		cd / || exit 1
		unset SV_RUNDIR
		. "$T/env.$n"
		eval ${__SCANCMD__} 2>&1
	)
	assertEquals "__SCANCMD__ exit" 0 $?
	assertEquals "__SCANCMD__ output" "" "$out"
	wait_for 10 service_started "$D-late" || fail "late service not started"
}

# With no SERVICE and scanners of two backends, which one the framework
# means is not svx's to guess: one line naming both, exit 100.
test_backend_env_refuses_two_kinds_of_scanner() {
	[ "$BACKEND" = encore ] && { skip_test; return; }
	case $BACKEND in
	s6) other=runit ;;
	*) other=s6 ;;
	esac
	scanner "$BACKEND" "$T/scan$n"
	scanner "$other" "$T/other$n"
	"$SVX" backend-env >"$T/env.$n" 2>"$T/err.$n"
	assertEquals "backend-env exit" 100 $?
	assertEquals "nothing on stdout" "" "$(cat "$T/env.$n")"
	assertEquals "one line" 1 "$(wc -l <"$T/err.$n")"
	for _w in "svx: backend-env: scanners of several backends run (" \
		"$BACKEND: $(cd "$T/scan$n" && pwd -P)" \
		"$other: $(cd "$T/other$n" && pwd -P)" "); name a SERVICE"; do
		grep -qF -- "$_w" "$T/err.$n" || fail "no '$_w': $(cat "$T/err.$n")"
	done
}

test_once_runs_without_restart() {
	live_service
	"$SVX" down "$D"
	wait_for 10 status_has "$D" "$BACKEND down" || fail "not down"
	pid=$(service_pid "$D")
	"$SVX" once "$D"
	wait_for 10 new_pid_since "$pid" || fail "once did not start it"
	case $BACKEND in
	daemontools | encore)
		status_has "$D" ", once" || fail "no once flag" ;;
	*)
		status_has "$D" "want down" || fail "once shows want down" ;;
	esac
	runs=$(started_count "$D")
	"$SVX" kill "$D"
	wait_for 10 status_has "$D" "$BACKEND down" || fail "not down"
	# "down" alone proves nothing: every supervisor shows it for the
	# second it pauses before a restart. Restarting, it would start
	# again within that second: the count stays put for two.
	if wait_for 2 eval '[ "$(started_count "$D")" -gt "$runs" ]'; then
		fail "restarted after once: $("$SVX" status "$D")"
	fi
}

test_restart_replaces_the_process() {
	live_service
	pid=$(service_pid "$D")
	"$SVX" restart "$D"
	assertEquals "restart exit" 0 $?
	wait_for 10 new_pid_since "$pid" || fail "no new pid"
	# From down, restart brings it up and wanted up.
	"$SVX" down "$D"
	wait_for 10 status_has "$D" "$BACKEND down" || fail "not down"
	pid=$(service_pid "$D")
	"$SVX" restart "$D"
	wait_for 10 new_pid_since "$pid" || fail "restart from down"
	status_has "$D" "want down" && fail "still wanted down"
	return 0
}

test_normally_down() {
	make_service "$D"
	touch "$D/down"
	start_supervisor "$BACKEND" "$D" || fail "cannot start"
	# s6-supervise holds its lock a moment before its first status
	# record: until then the state reads unknown.
	wait_for 10 status_has "$D" "$BACKEND down" ||
		fail "not down: $("$SVX" status "$D")"
	out=$("$SVX" status "$D")
	case $out in *"normally up"*) fail "flag: $out" ;; esac
	probe_says "supervised by $BACKEND"
	"$SVX" up "$D"
	wait_for 10 service_started "$D" || fail "up did not start it"
	wait_for 10 status_has "$D" "normally down" ||
		fail "no normally down: $("$SVX" status "$D")"
}

test_want_down_while_term_is_ignored() {
	make_service "$D"
	touch "$D/ignore-term"
	start_supervisor "$BACKEND" "$D" || fail "cannot start"
	wait_for 10 service_started "$D" || fail "not started"
	pid=$(service_pid "$D")
	"$SVX" down "$D"
	wait_for 10 log_has "$D" TERM || fail "no TERM"
	# encore names this state; the others still say up.
	word=up
	[ "$BACKEND" = encore ] && word=stopping
	wait_for 10 status_has "$D" "$word (pid $pid)" || fail "not $word"
	wait_for 10 status_has "$D" "want down" ||
		fail "no want down: $("$SVX" status "$D")"
	probe_says "supervised by $BACKEND"
	if [ "$BACKEND" = runit ]; then
		status_has "$D" "got TERM" || fail "no got TERM"
	fi
	"$SVX" kill "$D"
	wait_for 10 status_has "$D" "$BACKEND down" || fail "kill"
}

finish_pid() {
	sed -n 's/^finish \([0-9]*\).*/\1/p' "$D.log" | tail -n 1
}

finish_running() {
	[ -n "$(finish_pid)" ] &&
		status_has "$D" "finishing (finish pid $(finish_pid))"
}

# encore has ./stop where runit and s6 have ./finish; 0.76 has neither.
test_finishing_shows_the_finish_pid_not_the_service() {
	case $BACKEND in daemontools | encore) skip_test; return 0 ;; esac
	live_service finish
	"$SVX" down "$D"
	wait_for 10 finish_running || fail "status: $("$SVX" status "$D")"
	probe_says "supervised by $BACKEND"
	pid=$(service_pid "$D")
	status_has "$D" "pid $pid" && fail "service pid shown while finishing"
	touch "$D/release"
	wait_for 10 status_has "$D" "$BACKEND down" || fail "never down"
}

test_encore_stop_script_is_finishing() {
	[ "$BACKEND" = encore ] || { skip_test; return 0; }
	make_service "$D"
	printf '#!/bin/sh\nexec %s -f %s stop\n' "$SIGREC" "$D.log" >"$D/stop"
	chmod 755 "$D/stop"
	start_supervisor encore "$D" || fail "cannot start"
	wait_for 10 service_started "$D" || fail "not started"
	"$SVX" down "$D"
	wait_for 10 status_has "$D" "finishing (stop pid" ||
		fail "status: $("$SVX" status "$D")"
	touch "$D/release"
	wait_for 10 status_has "$D" "encore down" || fail "never down"
}

test_exit_ends_the_supervisor() {
	live_service
	"$SVX" exit "$D"
	assertEquals "exit verb" 0 $?
	wait_for 10 supervisor_gone "$D" || fail "supervisor still running"
	"$SVX" status "$D" >"$T/out"
	assertEquals "status of an exited service" 102 $?
	grep -q "unsupervised; stale $BACKEND status: down" "$T/out" ||
		fail "$(cat "$T/out")"
	"$SVX" exit "$D"
	assertEquals "exit again is a success" 0 $?
	"$SVX" up "$D" 2>"$T/err"
	assertEquals "up without a supervisor" 102 $?
	grep -q "supervisor not running" "$T/err" || fail "$(cat "$T/err")"
}

test_killed_supervisor_is_reported_stale() {
	live_service
	pid=$(service_pid "$D")
	track_pid "$pid"
	kill -KILL "$(supervisor_pid "$D")"
	wait_for 10 supervisor_gone "$D" || fail "supervisor survived"
	"$SVX" status "$D" >"$T/out"
	assertEquals "exit" 102 $?
	grep -q "unsupervised; stale $BACKEND status: up (pid $pid)" "$T/out" ||
		fail "$(cat "$T/out")"
	"$SVX" probe "$D" | grep -q "unsupervised; last written by $BACKEND" ||
		fail "probe: $("$SVX" probe "$D")"
	"$SVX" hup "$D" 2>/dev/null
	assertEquals "verb on a dead supervisor" 102 $?
	"$SVX" exit "$D" 2>"$T/err"
	assertEquals "exit with an orphan left" 102 $?
	grep -q "(pid $pid) still runs, orphaned" "$T/err" || fail "$(cat "$T/err")"
}

test_never_supervised_and_not_a_service() {
	make_service "$D"
	out=$("$SVX" status "$D")
	assertEquals "never supervised" 102 $?
	case $out in *"never supervised"*) ;; *) fail "$out" ;; esac
	"$SVX" probe "$D" | grep -q "unsupervised; last written by no known" ||
		fail "probe: $("$SVX" probe "$D")"
	mkdir "$D.empty"
	"$SVX" status "$D.empty" 2>"$T/err"
	assertEquals "not a service" 102 $?
	grep -q "not a service directory" "$T/err" || fail "$(cat "$T/err")"
	"$SVX" status "$D.missing" 2>"$T/err"
	assertEquals "missing" 102 $?
	grep -q "$D.missing: no such directory" "$T/err" || fail "$(cat "$T/err")"
}

log_line_up() {
	"$SVX" status "$D" 2>/dev/null | grep -q "; log: up (pid [0-9]*)"
}

# runsv runs log/ itself; svscan and s6-svscan start a second supervisor
# on it, done by hand here. encore's own ./log executable is the 40-byte
# format.
test_log_subservice_in_status() {
	make_service "$D"
	case $BACKEND in
	encore)
		printf '#!/bin/sh\nexec cat >/dev/null\n' >"$D/log"
		chmod 755 "$D/log" ;;
	*)
		make_logger "$D" ;;
	esac
	start_supervisor "$BACKEND" "$D" || fail "cannot start"
	case $BACKEND in
	daemontools | s6)
		start_supervisor "$BACKEND" "$D/log" || fail "log supervisor" ;;
	esac
	wait_for 10 log_line_up || fail "status: $("$SVX" status "$D")"
	if [ "$BACKEND" = encore ]; then
		assertEquals "40-byte status" 40 \
			"$(wc -c <"$D/supervise/status" | tr -d ' ')"
	fi
	"$SVX" status "$D/log" >/dev/null 2>&1 ||
		[ "$BACKEND" = encore ] || fail "log/ as a service"
	# The main service down, paused, then the log's own supervisor gone.
	"$SVX" down "$D"
	wait_for 10 status_has "$D" "$BACKEND down" || fail "not down"
	log_line_up || fail "log: $("$SVX" status "$D")"
	probe_says "supervised by $BACKEND"
	"$SVX" up "$D"
	wait_for 10 service_started "$D" || fail "not up"
	case $BACKEND in
	daemontools | s6)
		track_service "$D/log" || fail "log not up"	# orphaned next
		kill -KILL "$(supervisor_pid "$D/log")"
		wait_for 10 supervisor_gone "$D/log" || fail "log supervisor"
		wait_for 10 status_has "$D" "; log: unsupervised" ||
			fail "$("$SVX" status "$D")"
		"$SVX" probe "$D" | grep -q "log/: *unsupervised" ||
			fail "probe: $("$SVX" probe "$D")" ;;
	esac
}

# runsv ignores x on log/ (PROTOCOLS.md#control-letters): svx must refuse,
# not claim success.
test_exit_on_a_runit_log_is_refused() {
	[ "$BACKEND" = runit ] || { skip_test; return 0; }
	make_service "$D"
	make_logger "$D"
	start_supervisor runit "$D" || fail "cannot start"
	wait_for 10 log_line_up || fail "log not up"
	"$SVX" exit "$D/log" 2>"$T/err"
	assertEquals "refused" 103 $?
	grep -q "runit cannot exit" "$T/err" || fail "$(cat "$T/err")"
	"$SVX" status "$D" | grep -q "; log: up" || fail "log stopped"
}

# Two supervisors on one directory (PROTOCOLS.md#two-supervisors):
# s6-supervise does not see runsv's flock, and both run the service. svx
# must say so.
test_two_supervisors_are_reported() {
	[ "$BACKEND" = runit ] && have_backend s6 || { skip_test; return 0; }
	live_service
	_pid=$("$LAUNCH" -o "$D.s6.out" s6-supervise "$D") || fail "s6"
	track_pid "$_pid"
	wait_for 10 probe_is "ambiguous" || fail "not ambiguous: $(cat "$T/probe")"
	grep -q "two supervisors" "$T/probe" || fail "$(cat "$T/probe")"
	"$SVX" status "$D" 2>"$T/err"
	assertEquals "status" 111 $?
	grep -q "cannot tell which supervisor" "$T/err" || fail "$(cat "$T/err")"
	"$SVX" hup "$D" 2>/dev/null
	assertEquals "nothing sent" 111 $?
}

test_usage_errors() {
	"$SVX" 2>/dev/null
	assertEquals "no verb" 100 $?
	"$SVX" frobnicate "$T" 2>/dev/null
	assertEquals "unknown verb" 100 $?
	"$SVX" up 2>/dev/null
	assertEquals "no service" 100 $?
	# -o is a format of its own: with another, refused, not one
	# silently taken over the other.
	for other in --json --format=prometheus --format=lines; do
		"$SVX" status -o name "$other" "$T" >"$T/o.out" 2>"$T/o.err"
		assertEquals "-o with $other" 100 $?
		assertEquals "-o with $other: said" \
			"svx: status: -o is a format of its own: not with --json or --format" \
			"$(cat "$T/o.err")"
		assertEquals "-o with $other: nothing else" "" "$(cat "$T/o.out")"
	done
	"$SVX" --version | grep -q '^svx [0-9]' || fail "version"
	"$SVX" --help | grep -q 'usage: svx' || fail "help"
}

test_largest_exit_code_over_several_services() {
	live_service
	mkdir "$D.empty"
	"$SVX" status "$D" "$D.empty" >/dev/null 2>&1
	assertEquals "102 beats 0" 102 $?
	"$SVX" status "$D" >/dev/null
	assertEquals "0 alone" 0 $?
}

test_bare_name_from_svdir() {
	live_service
	SVDIR=$T "$SVX" status "s$n" | grep -q "^s$n: $BACKEND up" ||
		fail "$(SVDIR=$T "$SVX" status "s$n" 2>&1)"
	# JSON's path names the directory absolutely however it was named.
	real=$(cd "$T" && pwd -P)/s$n
	assertEquals "json path, bare name" "$real" \
		"$(cd / && SVDIR=$T "$SVX" status --json "s$n" |
		jq -r '.services[0].path')"
	assertEquals "json path, relative" "$real" \
		"$(cd "$T" && "$SVX" status --json "./s$n" |
		jq -r '.services[0].path')"
}

. shunit2
