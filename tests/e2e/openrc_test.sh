#!/bin/sh
# OpenRC against one backend (BACKEND=daemontools|runit|s6), with the real
# Debian openrc package: init scripts run directly with openrc-run.
#  - the svx helper (shim/openrc/svx.sh): start, stop, status, and a
#    service that crashes at once reported as a failure;
#  - OpenRC's own supervisor=runit and supervisor=s6 modules, unchanged,
#    with svx's personalities first on PATH, whatever the backend;
#  - the supervision init script (shim/openrc/supervision).
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
	rm -f "$RC"/sv/svxtest-$$-* "$RC"/s6-scan/svxtest-$$-*
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
	mkdir -p "$T/init.d"
}

tearDown() {
	[ -e "$SCRIPT" ] && "$OPENRC_RUN" "$SCRIPT" zap >/dev/null 2>&1
	cleanup_processes
}

have_openrc() {
	[ -x "$OPENRC_RUN" ] || { skip_test; return 1; }
}

# helper_script [VAR=VALUE...]: an init script using the svx helper.
helper_script() {
	{
		echo "#!$OPENRC_RUN"
		echo "svx_bin=$SVX"
		echo "svx_service=$D"
		for v in "$@"; do echo "$v"; done
		echo ". $TOP/shim/openrc/svx.sh"
	} >"$SCRIPT"
	chmod 755 "$SCRIPT"
}

rc() {
	"$OPENRC_RUN" "$SCRIPT" "$@" >"$T/rc.out" 2>&1
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

test_helper_reports_a_crash_on_start() {
	have_openrc || return 0
	make_service "$D"
	touch "$D/down"
	printf '#!/bin/sh\nexec %s -x 3\n' "$SIGREC" >"$D/run"
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	helper_script
	rc start
	assertEquals "start fails" 1 $?
	grep -q "died during start" "$T/rc.out" || fail "$(cat "$T/rc.out")"
	rc status
	assertEquals "status crashed" 32 $?
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
	_pid=$("$LAUNCH" -o "$T/scanner$n.out" -C "$1" "$(scanner_for "$BACKEND")" \
		"$1") || fail "scanner"
	track_pid "$_pid"
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

# The supervision script: BACKEND's scanner on a scan directory, and every
# service stopped through svx on the way down.
test_supervision_script() {
	have_openrc || return 0
	scan=$T/scan$n
	mkdir "$scan"
	make_service "$scan/one"
	make_service "$scan/two"
	make_logger "$scan/two" reads
	{
		echo "#!$OPENRC_RUN"
		echo "SVX_SCANDIR=$scan"
		echo "SVX_SCANNER=$(scanner_for "$BACKEND")"
		echo "svx_bin=$SVX"
		sed '1d' "$TOP/shim/openrc/supervision"
	} >"$SCRIPT"
	chmod 755 "$SCRIPT"
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

. shunit2
