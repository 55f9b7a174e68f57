#!/bin/sh
# OpenRC against one backend (BACKEND=daemontools|runit|s6), with the real
# Debian openrc package: init scripts run directly with openrc-run.
#  - the svx helper (shim/openrc/svx.sh): start, stop, status; SVDIR
#    from conf.d without export; a service that crashes at once, or is
#    never ready, reported as a failure and left wanted down;
#  - OpenRC's own supervisor=runit and supervisor=s6 modules, unchanged,
#    with svx's personalities first on PATH, whatever the backend;
#  - the supervision init script (shim/openrc/supervision), also with its
#    dependencies computed by OpenRC on a system without localmount (in a
#    mount namespace of its own: see rc_isolated).
#
# OpenRC runs services only on a system it booted, unless
# /run/openrc/softlevel exists: created here if missing, removed after.
# Its modules use $RC_SVCDIR (/run/openrc) sv/ and s6-scan/: created if
# missing, and only what this suite created is removed.
#
# not tested here: OpenRC dependencies between services, rc-update.

: "${BACKEND:?set BACKEND}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"
RC=/run/openrc
OPENRC_RUN=/sbin/openrc-run

oneTimeSetUp() {
	suite_begin openrc-$BACKEND
	made=
	openrc_prepare || true
}

oneTimeTearDown() {
	cleanup_processes
	# This suite's names in OpenRC's state too: a failed start of a
	# script outside /etc/init.d stays "starting", even after zap.
	rm -rf "$RC"/*/svxtest-$$-* /run/svxtest-$$-*.pid
	# Only what this suite created; scanners leave .s6-svscan/ and
	# .forced-rescan behind in the directories they watched.
	for f in $made; do
		rm -rf "$f"
	done
	rm -rf "$T"
}

setUp() {
	n=$((n + 1))
	NAME=svxtest-$$-$n
	D=$T/$NAME
	SCRIPT=$T/init.d/$NAME
	SYS=
	mkdir -p "$T/init.d"
}

tearDown() {
	[ -z "$SYS" ] && [ -e "$SCRIPT" ] &&
		"$OPENRC_RUN" "$SCRIPT" zap >/dev/null 2>&1
	cleanup_processes
}

have_openrc() {
	[ -x "$OPENRC_RUN" ] || { skip_test; return 1; }
}

# helper_script [-n] [VAR=VALUE...]: an init script using the svx helper
# on D; with -n, on the service named as the script is (svx_service unset).
helper_script() {
	_service="svx_service=$D"
	[ "${1:-}" = -n ] && { _service=; shift; }
	{
		echo "#!$OPENRC_RUN"
		echo "svx_bin=$SVX"
		[ -n "$_service" ] && echo "$_service"
		for v in "$@"; do echo "$v"; done
		echo ". $TOP/shim/openrc/svx.sh"
	} >"$SCRIPT"
	chmod 755 "$SCRIPT"
}

# rc COMMAND: openrc-run on SCRIPT, on the isolated system once the test
# has made one (isolated_system).
rc() {
	if [ -n "$SYS" ]; then
		rc_isolated "$@"
	else
		"$OPENRC_RUN" "$SCRIPT" "$@" >"$T/rc.out" 2>&1
	fi
}

have_mount_ns() {
	unshare -m true 2>/dev/null || { skip_test; return 1; }
}

# OpenRC computes dependencies only for the scripts in /etc/init.d (and
# /usr/local/etc/init.d), and marks a failed start of any other script
# "starting", not stopped. isolated_system gives the test a system of its
# own for openrc-run, as SYS (SCRIPT becomes SYS/init.d/NAME): rc_isolated
# runs openrc-run on /etc/init.d/NAME in a mount namespace with
# SYS/init.d bound on /etc/init.d (NAME's script alone: no localmount, no
# other service) and SYS/rc on /run/openrc (OpenRC's state, kept from one
# call to the next). Nothing of the real system's is seen or changed; the
# binds end with the namespace.
isolated_system() {
	SYS=$T/sys$n
	SCRIPT=$SYS/init.d/$NAME
	mkdir -p "$SYS/init.d" "$SYS/rc"
	for d in daemons exclusive failed hotplugged inactive options \
		scheduled started starting stopping tmp wasinactive; do
		mkdir "$SYS/rc/$d"
	done
	touch "$SYS/rc/softlevel"
}

rc_isolated() {
	unshare -m sh -c 'mount --bind "$1/rc" /run/openrc &&
		mount --bind "$1/init.d" /etc/init.d &&
		exec "$2" "/etc/init.d/$3" "$4"' sh \
		"$SYS" "$OPENRC_RUN" "$NAME" "$1" >"$T/rc.out" 2>&1
}

# openrc_state: the isolated system's state of the script, as OpenRC
# keeps it (a link in SYS/rc/STATE/), or "stopped".
openrc_state() {
	for _s in started starting stopping inactive; do
		[ -L "$SYS/rc/$_s/$NAME" ] && { echo "$_s"; return; }
	done
	echo stopped
}

test_helper_start_stop_status() {
	have_openrc || return 0
	make_service "$D"
	touch "$D/down"
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	helper_script
	rc start
	assertEquals "start: $(cat "$T/rc.out")" 0 $?
	"$SVX" status "$D" | grep -q "$BACKEND up" || fail "$("$SVX" status "$D")"
	rc status
	assertEquals "status started" 0 $?
	rc stop
	assertEquals "stop: $(cat "$T/rc.out")" 0 $?
	"$SVX" status "$D" | grep -q "$BACKEND down" || fail "still up"
	rc status
	assertEquals "status stopped" 3 $?
}

# OpenRC sources conf.d/NAME into the script's shell: SVDIR set there
# without export is where the helper finds the service by its name.
test_helper_svdir_from_conf_d_without_export() {
	have_openrc || return 0
	mkdir "$T/scan$n"
	D=$T/scan$n/$NAME
	make_service "$D"
	touch "$D/down"
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	helper_script -n
	mkdir -p "$T/conf.d"
	echo "SVDIR=$T/scan$n" >"$T/conf.d/$NAME"
	rc start
	assertEquals "start: $(cat "$T/rc.out")" 0 $?
	status_has "$D" "$BACKEND up" || fail "$("$SVX" status "$D")"
	rc status
	assertEquals "status started: $(cat "$T/rc.out")" 0 $?
	rc stop
	assertEquals "stop: $(cat "$T/rc.out")" 0 $?
	status_has "$D" "$BACKEND down" || fail "$("$SVX" status "$D")"
}

# wanted_down DIR: its supervisor has it down and wants it down.
wanted_down() {
	[ "$("$SVX" -o state,want status "$1" 2>/dev/null)" = "down down" ]
}

runs_other_than() {
	[ "$(wc -l <"$1.runs")" != "$2" ]
}

# A failed start leaves the service as OpenRC records it, stopped: wanted
# down, so that its supervisor does not go on restarting it.
test_helper_crash_on_start_leaves_it_down() {
	have_openrc && have_mount_ns || return 0
	isolated_system
	make_service "$D"
	touch "$D/down"
	: >"$D.runs"
	printf '#!/bin/sh\necho ran >>%s\nexec %s -x 3\n' "$D.runs" "$SIGREC" \
		>"$D/run"
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	helper_script
	rc start
	assertEquals "start fails" 1 $?
	grep -q "died during start" "$T/rc.out" || fail "$(cat "$T/rc.out")"
	# The supervisor reads the command when it next looks (supervise
	# after its one-second pause between starts, maybe one start later).
	wait_for 10 wanted_down "$D" || fail "$("$SVX" status "$D" 2>&1)"
	runs=$(wc -l <"$D.runs")
	# Restarting, it would run again within a second on every backend:
	# the count stays put for three.
	if wait_for 3 runs_other_than "$D" "$runs"; then
		fail "restarted: $runs, then $(wc -l <"$D.runs") runs"
	fi
	wanted_down "$D" || fail "$("$SVX" status "$D" 2>&1)"
	assertEquals "OpenRC's state" stopped "$(openrc_state)"
	rc status
	assertEquals "status stopped: $(cat "$T/rc.out")" 3 $?
}

# A start that times out, the service never ready (s6's notification-fd,
# runit's ./check; daemontools has no readiness): left wanted down, the
# process stopped.
test_helper_start_timeout_leaves_it_down() {
	have_openrc && have_mount_ns || return 0
	make_service "$D"
	touch "$D/down"
	case $BACKEND in
	s6)
		echo 3 >"$D/notification-fd"
		touch "$D/not-ready" ;;
	runit)
		printf '#!/bin/sh\nexit 1\n' >"$D/check"
		chmod 755 "$D/check" ;;
	*)
		skip_test
		return 0 ;;
	esac
	isolated_system
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	helper_script svx_timeout_start=1
	rc start
	assertEquals "start fails" 1 $?
	wait_for 10 wanted_down "$D" || fail "$("$SVX" status "$D" 2>&1)"
	log_has "$D" TERM || fail "no TERM: $(cat "$D.log")"
	assertEquals "started once" 1 "$(started_count "$D")"
	assertEquals "OpenRC's state" stopped "$(openrc_state)"
	rc status
	assertEquals "status stopped: $(cat "$T/rc.out")" 3 $?
}

test_helper_status_when_the_supervisor_died() {
	have_openrc || return 0
	make_service "$D"
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	wait_for 10 service_started "$D" || fail "not started"
	track_service "$D" || fail "not tracked"
	helper_script
	kill -KILL "$(supervisor_pid "$D")"
	wait_for 10 supervisor_gone "$D" || fail "still there"
	rc status
	assertEquals "status crashed" 32 $?
}

scanner_for() {
	case $1 in
	s6) echo s6-svscan ;;
	runit) echo runsvdir ;;
	daemontools) echo svscan ;;
	esac
}

# start_scanner DIR: BACKEND's scanner on DIR, recorded for cleanup.
start_scanner() {
	_pid=$("$LAUNCH" -o "$T/scanner$n.out" -C / "$(scanner_for "$BACKEND")" \
		"$1") || fail "scanner"
	track_pid "$_pid"
	wait_for 10 scanner_ready "$_pid" "$(scanner_for "$BACKEND")" "$1" ||
		fail "$(scanner_for "$BACKEND") never ran on $1"
}

test_helper_starts_a_service_just_linked_in() {
	have_openrc || return 0
	mkdir "$T/scan$n"
	start_scanner "$T/scan$n"
	make_service "$T/scan$n/$NAME"
	touch "$T/scan$n/$NAME/down"
	D=$T/scan$n/$NAME
	helper_script svx_timeout_start=10
	rc start
	assertEquals "start: $(cat "$T/rc.out")" 0 $?
	"$SVX" status "$D" | grep -q "$BACKEND up" || fail "$("$SVX" status "$D")"
}

# OpenRC resets PATH (/lib/rc/bin:/bin:/sbin:...) before it reads
# rc.conf and conf.d: that is where the personalities go first, as the
# README says. Here: the service's own conf.d file.
personalities_first() {
	mkdir -p "$T/conf.d"
	echo "PATH=$SVX_BUILD/compat:\$PATH" >"$T/conf.d/$NAME"
}

# OpenRC's own runit module, unchanged, with svx's sv first on PATH: it
# links the service into $RC_SVCDIR/sv, watched here by BACKEND's scanner.
test_openrc_runit_module_on_any_backend() {
	have_openrc || return 0
	start_scanner "$RC/sv"
	make_service "$D"
	touch "$D/down"
	{
		echo "#!$OPENRC_RUN"
		echo "supervisor=runit"
		echo "runit_service=$D"
	} >"$SCRIPT"
	chmod 755 "$SCRIPT"
	personalities_first
	rc start
	assertEquals "start: $(cat "$T/rc.out")" 0 $?
	"$SVX" status "$RC/sv/$NAME" | grep -q "$BACKEND up" ||
		fail "$("$SVX" status "$RC/sv/$NAME" 2>&1)"
	rc status
	assertEquals "status: $(cat "$T/rc.out")" 0 $?
	grep -q "run: " "$T/rc.out" || fail "$(cat "$T/rc.out")"
	rc stop
	assertEquals "stop: $(cat "$T/rc.out")" 0 $?
	"$SVX" status "$D" | grep -q "$BACKEND down" || fail "not down"
}

# The same module on a service that crashes on start: svx's sv judges
# each try a failure well under a second (native sv waits out its 7 s
# each time), so the start fails after the module's own six tries and
# their 1 s pauses, not after six 7 s timeouts.
test_openrc_runit_module_crash_on_start() {
	have_openrc || return 0
	start_scanner "$RC/sv"
	make_service "$D"
	touch "$D/down"
	printf '#!/bin/sh\necho starting\nexit 3\n' >"$D/run"
	{
		echo "#!$OPENRC_RUN"
		echo "supervisor=runit"
		echo "runit_service=$D"
	} >"$SCRIPT"
	chmod 755 "$SCRIPT"
	personalities_first
	start=$(now_ms)
	rc start
	assertNotEquals "start: $(cat "$T/rc.out")" 0 $?
	took=$(( $(now_ms) - start ))
	# Six tries, each followed by `sleep 1`: 6 s at the least; svscan
	# finds the link at its 5 s rescan, and supervise restarts a
	# crashed service a second after its start.
	bound=14000
	[ "$BACKEND" = daemontools ] && bound=22000
	[ "$took" -lt "$bound" ] || fail "failed after $took ms"
	echo "runit module, crash on start: failed after $took ms"
	grep -q "Failed to start" "$T/rc.out" || fail "$(cat "$T/rc.out")"
	# One try, as the module makes it: sv start on the linked service.
	ln -snf "$D" "$RC/sv/$NAME"
	start=$(now_ms)
	SVWAIT=7 "$C/sv" start "$RC/sv/$NAME" >"$T/out"
	assertEquals "one try: $(cat "$T/out")" 1 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 2000 ] || fail "one try took $took ms"
	echo "runit module, crash on start: one sv start, $took ms"
	rm -f "$RC/sv/$NAME"
}

# OpenRC's own s6 module, unchanged: s6-svc, s6-svwait and s6-svstat are
# svx's; s6-svscanctl stays native (it fails harmlessly elsewhere).
test_openrc_s6_module_on_any_backend() {
	have_openrc || return 0
	start_scanner "$RC/s6-scan"
	make_service "$D"
	touch "$D/down"
	{
		echo "#!$OPENRC_RUN"
		echo "supervisor=s6"
		echo "s6_service_path=$D"
		echo "s6_service_timeout_stop=10000"
	} >"$SCRIPT"
	chmod 755 "$SCRIPT"
	personalities_first
	rc start
	assertEquals "start: $(cat "$T/rc.out")" 0 $?
	"$SVX" status "$D" | grep -q "$BACKEND up" || fail "$("$SVX" status "$D")"
	rc stop
	assertEquals "stop: $(cat "$T/rc.out")" 0 $?
	"$SVX" status "$D" | grep -q "$BACKEND down" || fail "not down"
}

# supervision_script FILE: the supervision script on scan (BACKEND's
# scanner), as FILE.
supervision_script() {
	{
		echo "#!$OPENRC_RUN"
		echo "SVX_SCANDIR=$scan"
		echo "SVX_SCANNER=$(scanner_for "$BACKEND")"
		echo "svx_bin=$SVX"
		sed '1d' "$TOP/shim/openrc/supervision"
	} >"$1"
	chmod 755 "$1"
}

# The supervision script: BACKEND's scanner on a scan directory, and every
# service stopped through svx on the way down.
test_supervision_script() {
	have_openrc || return 0
	scan=$T/scan$n
	mkdir "$scan"
	make_service "$scan/one"
	make_service "$scan/two"
	make_logger "$scan/two" reads
	supervision_script "$SCRIPT"
	rc start
	assertEquals "start: $(cat "$T/rc.out")" 0 $?
	track_pid "$(cat "/run/$NAME.pid")"
	"$SVX" -w 10 up "$scan/one" "$scan/two"
	assertEquals "services up" 0 $?
	wait_for 10 "$SVX" status "$scan/two/log" >/dev/null 2>&1 ||
		fail "log not supervised"
	p1=$(service_pid "$scan/one")
	p2=$(service_pid "$scan/two")
	rc stop
	assertEquals "stop: $(cat "$T/rc.out")" 0 $?
	wait_for 10 pid_gone "$p1" || fail "one still runs"
	wait_for 10 pid_gone "$p2" || fail "two still runs"
	for s in one two two/log; do
		"$SVX" status "$scan/$s" >/dev/null 2>&1
		assertEquals "$s: no supervisor left" 102 $?
	done
}

# Debian's openrc has no localmount: the supervision script starts all
# the same, its dependencies computed by OpenRC, and stops.
test_supervision_script_without_localmount() {
	have_openrc && have_mount_ns || return 0
	isolated_system
	scan=$T/scan$n
	mkdir "$scan"
	make_service "$scan/one"
	supervision_script "$SCRIPT"
	rc start
	assertEquals "start: $(cat "$T/rc.out")" 0 $?
	[ -e "/run/$NAME.pid" ] && track_pid "$(cat "/run/$NAME.pid")"
	assertEquals "OpenRC's state" started "$(openrc_state)"
	"$SVX" -w 10 up "$scan/one"
	assertEquals "service up" 0 $?
	p1=$(service_pid "$scan/one")
	rc stop
	assertEquals "stop: $(cat "$T/rc.out")" 0 $?
	wait_for 10 pid_gone "$p1" || fail "one still runs"
}

. shunit2
