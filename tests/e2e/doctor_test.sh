#!/bin/sh
# svx doctor under each backend's real scanner (svscan, encore's svscan
# from $ENCORE_BIN, runsvdir, s6-svscan), started from / on a scan
# directory of the test's with every service linked in before it starts
# (so its first scan finds them, svscan's 5 s rescan never waited for):
# a healthy service (exit 0, "ok"), a run that is not executable, a run
# whose #! interpreter is missing, a down file, a crash loop (the last
# exit code where the backend records it: s6), a broken link; and beside
# the scanner, a service whose supervisor was killed and a directory no
# scanner watches. Every finding is one line "SERVICE: problem: ...;
# fix: ...", exit 1; --json gives one object per service.
#
# supervisord programs (test_supervisord): BACKOFF, FATAL, stopped while
# autostart, a log file removed, no such program, no supervisord.
#
# A logger kept down is found too; a finish script still running (not on
# daemontools: supervise 0.76 runs none), with its pid; and supervise/
# unreadable, svx run as uid 65534 through setpriv (no user is added to
# the machine).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin doctor
}

# scan_with PROG DIR [PATH]: a scanner on DIR, from /, tracked by pid.
scan_with() {
	_pid=$(env PATH="${3:-$PATH}" "$LAUNCH" -o "$2.out" -C / "$1" "$2") ||
		fail "start $1"
	track_pid "$_pid"
}

# doctor_says SERVICE TEXT: svx doctor's output for SERVICE has TEXT.
doctor_says() {
	"$SVX" doctor "$1" 2>&1 | grep -qF -- "$2"
}

# script W/sv/NAME TEXT [MODE]: a service whose run is TEXT, linked in.
script() {
	mkdir -p "$W/sv/$1"
	printf '%b' "$2" >"$W/sv/$1/run"
	chmod "${3:-755}" "$W/sv/$1/run"
	ln -s "$W/sv/$1" "$W/scan/$1"
}

# found NAME TEXT: svx doctor on scan/NAME exits 1 and says TEXT (its
# output left in T/d.out, T/d.err).
found() {
	"$SVX" doctor "$W/scan/$1" >"$T/d.out" 2>"$T/d.err"
	[ $? -eq 1 ] && grep -qF -- "$2" "$T/d.out"
}

# json_found NAME CHECK: --json says unhealthy, with a CHECK finding.
json_found() {
	[ "$("$SVX" doctor --json "$W/scan/$1" | jq -r "[.healthy,
		(.findings[] | select(.check == \"$2\") | .check)] |
		join(\" \")")" = "false $2" ]
}

# expect NAME CHECK TEXT: within 10 s svx doctor on scan/NAME names TEXT
# with exit 1, every line a finding; and --json has CHECK. Retried, as
# a crash loop is seen only when a death falls in the watch.
expect() {
	wait_for 10 found "$1" "$3" ||
		fail "$B $2: $(cat "$T/d.out" "$T/d.err")"
	assertEquals "$B $2: stderr" "" "$(cat "$T/d.err")"
	grep -v "^$W/scan/$1: problem: .*; fix: " "$T/d.out" &&
		fail "$B $2: a line that is no finding"
	if command -v jq >/dev/null 2>&1; then
		wait_for 10 json_found "$1" "$2" || fail "$B $2: json: $(
			"$SVX" doctor --json "$W/scan/$1")"
	fi
}

healthy() {
	"$SVX" doctor "$1" >/dev/null 2>&1
}

# the_story BACKEND SCANNER [PATH]: every case on W/scan.
the_story() {
	B=$1
	mkdir -p "$W/sv" "$W/scan"
	make_service "$W/sv/fine"
	ln -s "$W/sv/fine" "$W/scan/fine"
	script noexec '#!/bin/sh\nexec sleep 100000\n' 644
	script nointerp '#!/nonexistent/bin/sh\nexec sleep 100000\n'
	make_service "$W/sv/downed"
	touch "$W/sv/downed/down"
	ln -s "$W/sv/downed" "$W/scan/downed"
	script crash '#!/bin/sh\nexit 3\n'
	# A logger kept down (its own down file): the service is up.
	make_service "$W/sv/quietlog"
	make_logger "$W/sv/quietlog"
	touch "$W/sv/quietlog/log/down"
	ln -s "$W/sv/quietlog" "$W/scan/quietlog"
	ln -s "$W/sv/gone" "$W/scan/broken"
	scan_with "$2" "$W/scan" "${3:-$PATH}"
	wait_for 10 service_started "$W/sv/fine" || fail "$B: fine not started"
	track_service "$W/sv/fine"

	# Healthy: up a second or more, nothing wrong.
	wait_for 10 healthy "$W/scan/fine" ||
		fail "$B: fine: $("$SVX" doctor "$W/scan/fine" 2>&1)"
	assertEquals "$B fine" "$W/scan/fine: ok: nothing wrong found" \
		"$("$SVX" doctor "$W/scan/fine")"
	if command -v jq >/dev/null 2>&1; then
		assertEquals "$B fine json" "true 0 $B" "$("$SVX" doctor --json \
			"$W/scan/fine" | jq -r '[.healthy, (.findings | length),
			.backend] | join(" ")')"
	fi

	expect noexec run-not-executable \
		"problem: $W/scan/noexec/run is not an executable file"
	expect nointerp interpreter-missing \
		"problem: the interpreter /nonexistent/bin/sh named by the #! line"
	expect downed down-file "problem: $W/scan/downed/down exists"
	expect crash crash-loop "problem: crash-looping"
	track_service "$W/sv/quietlog"
	expect quietlog logger-down \
		"problem: its logger ($W/scan/quietlog/log) is not up"
	if [ "$B" = s6 ]; then
		# From death_tally, whether or not a run is up as it asks.
		for i in 1 2 3 4 5; do
			doctor_says "$W/scan/crash" "last death: exit 3" ||
				fail "$B: $("$SVX" doctor "$W/scan/crash" 2>&1)"
		done
	fi
	expect broken link-broken \
		"problem: $W/scan/broken is a symlink to $W/sv/gone"
	[ "$B" = daemontools ] || finishing
	stubborn
	unreadable
	outside
}

# A finish script that does not end, after `svx down`: finish-running,
# naming the script and its pid. s6-supervise would kill it after 5 s;
# encore runs ./stop there, and no ./finish.
finishing() {
	_fin=$W/sv/finisher
	_script=finish
	[ "$B" = encore ] && _script=stop
	make_service "$_fin"
	printf '#!/bin/sh\nexec sleep 100000\n' >"$_fin/$_script"
	chmod 755 "$_fin/$_script"
	echo 60000 >"$_fin/timeout-finish"
	ln -s "$_fin" "$W/scan/finisher"
	wait_for 10 supervisor_alive "$W/scan/finisher" ||
		fail "$B: finisher: no supervisor"
	track_service "$_fin" || fail "$B: finisher not started"
	wait_for 10 healthy "$W/scan/finisher" ||
		fail "$B finisher: $("$SVX" doctor "$W/scan/finisher" 2>&1)"
	"$SVX" down "$W/scan/finisher" || fail "$B: down finisher"
	expect finisher finish-running \
		"problem: $W/scan/finisher/$_script (pid "
	_pid=$(sed -n 's/.*problem: [^ ]* (pid \([0-9]*\)).*/\1/p' "$T/d.out")
	[ "$(readlink "/proc/$_pid/exe")" = "$(command -v sleep)" ] &&
		[ "$(readlink "/proc/$_pid/cwd")" = "$_fin" ] ||
		fail "$B finisher: pid $_pid is not the finish script"
}

# A service that ignores TERM, asked down: still running a second later.
stubborn() {
	make_service "$W/sv/stubborn"
	touch "$W/sv/stubborn/ignore-term"
	ln -s "$W/sv/stubborn" "$W/scan/stubborn"
	wait_for 10 service_started "$W/sv/stubborn" ||
		fail "$B: stubborn not started"
	track_service "$W/sv/stubborn"
	"$SVX" down "$W/scan/stubborn" || fail "$B: down stubborn"
	expect stubborn wont-stop "problem: wanted down, but its process (pid $(
		service_pid "$W/sv/stubborn")) still runs"
	"$SVX" -w 5 kill "$W/scan/stubborn" >/dev/null 2>&1
}

# as_nobody CMD...: CMD as uid and gid 65534, no groups.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

# supervise/ is 0700 root: another user may read the service directory
# but not its supervisor's files.
unreadable() {
	command -v setpriv >/dev/null 2>&1 || return 0
	chmod 755 "$T" "$W" "$W/sv" "$W/scan"
	as_nobody "$SVX" doctor "$W/scan/fine" >"$T/d.out" 2>"$T/d.err"
	assertEquals "$B unreadable: exit: $(cat "$T/d.err")" 1 $?
	grep -qF "$W/scan/fine: problem: the supervisor's control directory is not readable by this user" \
		"$T/d.out" || fail "$B unreadable: $(cat "$T/d.out" "$T/d.err")"
	grep -v "^$W/scan/fine: problem: .*; fix: " "$T/d.out" &&
		fail "$B unreadable: a line that is no finding"
	if command -v jq >/dev/null 2>&1; then
		assertEquals "$B unreadable json" "false supervise-unreadable" \
			"$(as_nobody "$SVX" doctor --json "$W/scan/fine" |
			jq -r '[.healthy, .findings[0].check] | join(" ")')"
	fi
}

# Beside the scanner: a supervisor killed, a directory never started;
# neither in a directory a scanner watches.
outside() {
	make_service "$W/alone"
	start_supervisor "$B" "$W/alone" || fail "$B: supervisor"
	track_service "$W/alone"
	kill -KILL "$(supervisor_pid "$W/alone")"
	wait_for 10 supervisor_gone "$W/alone" || fail "$B: supervisor left"
	"$SVX" doctor "$W/alone" >"$T/d.out" 2>&1
	assertEquals "$B dead supervisor: exit" 1 $?
	grep -qF "$W/alone: problem: no supervisor is running on $W/alone" \
		"$T/d.out" || fail "$B dead: $(cat "$T/d.out")"
	mkdir -p "$W/unwatched"
	make_service "$W/unwatched/svc"
	"$SVX" doctor "$W/unwatched/svc" >"$T/d.out" 2>&1
	assertEquals "$B unwatched: exit" 1 $?
	grep -qF "problem: no scanner watches $W/unwatched," "$T/d.out" ||
		fail "$B unwatched: $(cat "$T/d.out")"
}

test_daemontools() {
	have_backend daemontools || { skip_test; return; }
	enter_workdir
	the_story daemontools svscan
}

test_encore() {
	[ -n "${ENCORE_BIN:-}" ] && [ -x "$ENCORE_BIN/svscan" ] ||
		{ skip_test; return; }
	enter_workdir
	the_story encore svscan "$ENCORE_BIN:$PATH"
}

test_runit() {
	have_backend runit || { skip_test; return; }
	enter_workdir
	the_story runit runsvdir
}

test_s6() {
	have_backend s6 || { skip_test; return; }
	enter_workdir
	the_story s6 s6-svscan
}

# sd_found PROGRAM CHECK TEXT: svx doctor on supervisord:PROGRAM exits 1,
# says TEXT, and --json has CHECK (output in T/d.out, T/d.err).
sd_found() {
	"$SVX" doctor "supervisord:$1" >"$T/d.out" 2>"$T/d.err"
	[ $? -eq 1 ] && grep -qF -- "supervisord:$1: problem: $3" "$T/d.out" &&
		[ "$(wc -l <"$T/d.out")" -eq 1 ] || return 1
	command -v jq >/dev/null 2>&1 || return 0
	[ "$("$SVX" doctor --json "supervisord:$1" | jq -r '[.healthy,
		.backend, .findings[0].check] | join(" ")')" = \
		"false supervisord $2" ]
}

# sd_expect PROGRAM CHECK TEXT: sd_found within 10 s.
sd_expect() {
	wait_for 10 sd_found "$@" ||
		fail "supervisord $2: $(cat "$T/d.out" "$T/d.err")"
}

# supervisord programs: one healthy, one it never meant to start; a
# crash loop (BACKOFF) and one given up (FATAL) with the exit status
# from supervisord's log, a command it cannot spawn; one stopped by hand
# though autostart; a log file removed under it (and found again once
# supervisord reopens its logs on the fix's SIGUSR2); a program it does
# not know; no supervisord on the socket.
test_supervisord() {
	command -v supervisord >/dev/null || { skip_test; return; }
	enter_workdir
	{
		supervisord_conf
		cat <<EOF
[program:fine]
command=$SIGREC $W/fine.log
startsecs=1
[program:idle]
command=$SIGREC $W/idle.log
autostart=false
[program:crashy]
command=/bin/sh -c 'exit 3'
startsecs=1
startretries=100
[program:gaveup]
command=/bin/sh -c 'kill -KILL \$\$'
startsecs=1
startretries=0
[program:nocmd]
command=$W/nonexistent
startretries=0
[program:stopped]
command=$SIGREC $W/stopped.log
startsecs=0
[program:logged]
command=$SIGREC $W/logged.log
stdout_logfile=$W/logged.out
startsecs=0
EOF
	} >"$T/sd.conf"
	start_supervisord
	_ctl="supervisorctl -s unix://$T/sd.sock"
	wait_for 20 healthy supervisord:fine ||
		fail "fine: $("$SVX" doctor supervisord:fine 2>&1)"
	assertEquals "fine" "supervisord:fine: ok: nothing wrong found" \
		"$("$SVX" doctor supervisord:fine)"
	"$SVX" doctor supervisord:idle >"$T/d.out" 2>&1
	assertEquals "idle (autostart=false): $(cat "$T/d.out")" 0 $?

	sd_expect crashy backoff "crash-looping: it dies before startsecs and supervisord starts it again (BACKOFF): last death: exit status 3; supervisord says: Exited too quickly"
	sd_expect gaveup fatal "supervisord gave up starting it (FATAL): last death: terminated by SIGKILL"
	sd_expect nocmd fatal "supervisord gave up starting it (FATAL): supervisord says: can't find command '$W/nonexistent'"
	if command -v jq >/dev/null 2>&1; then
		assertEquals "crashy json" "3 null" "$("$SVX" doctor --json \
			supervisord:crashy | jq -r '.findings[0] |
			[.exit, .signal] | map(tostring) | join(" ")')"
	fi

	wait_for 10 healthy supervisord:stopped || fail "stopped never up"
	$_ctl stop stopped >/dev/null || fail "supervisorctl stop"
	sd_expect stopped stopped-autostart "stopped, though autostart=true"

	wait_for 10 healthy supervisord:logged || fail "logged never up"
	rm "$W/logged.out"
	sd_expect logged log-missing "its log file $W/logged.out is not on disk"
	grep -qF "fix: kill -USR2 $SD (supervisord reopens" "$T/d.out" ||
		fail "log-missing fix: $(cat "$T/d.out")"
	kill -USR2 "$SD"
	wait_for 10 healthy supervisord:logged ||
		fail "after USR2: $("$SVX" doctor supervisord:logged 2>&1)"
	[ -f "$W/logged.out" ] || fail "USR2 did not reopen the log"

	sd_expect nosuch program-unknown "the supervisord on $T/sd.sock has no such program"
	SVX_SUPERVISORD_SOCKET=$T/none.sock
	sd_expect fine supervisord-unreachable "supervisord does not answer on $T/none.sock: No such file or directory"
	SVX_SUPERVISORD_SOCKET=$T/sd.sock
}

# A supervise/control written by hand with no supervisor running (a
# regular file, no ok): every verb refuses it, and doctor says why, not
# "nothing wrong".
test_owner_unknown() {
	enter_workdir
	make_service "$W/hand"
	mkdir "$W/hand/supervise"
	echo u >"$W/hand/supervise/control"
	"$SVX" up "$W/hand" 2>/dev/null
	assertEquals "up refuses it" 111 $?
	"$SVX" doctor "$W/hand" >"$T/d.out" 2>&1
	assertEquals "exit" 1 $?
	grep -qF "$W/hand: problem: svx cannot tell what supervises $W/hand (" \
		"$T/d.out" || fail "$(cat "$T/d.out")"
	assertEquals "json" "owner-unknown" "$("$SVX" doctor --json "$W/hand" |
		jq -r '.findings[0].check')"
}

test_usage() {
	"$SVX" doctor >/dev/null 2>&1
	assertEquals "no service" 100 $?
	"$SVX" doctor /nonexistent/dir >"$T/u.out" 2>"$T/u.err"
	assertEquals "no such directory" 102 $?
}

. shunit2
