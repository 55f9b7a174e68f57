#!/bin/sh
# The daemontools personalities (svc, svstat, svok):
#  - differential: the native tool and build/compat/<tool> run on the same
#    live services under real supervise, in every state of reference §2.7;
#    outputs (seconds normalised) and exit codes must be identical, apart
#    from the divergences listed in compat-matrix.md;
#  - cross-backend: the same tools drive runit, s6 and encore services
#    and report them in daemontools' format.
#
# not tested here: encore's svstat -L/-l (encore's own svstat options).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin dt
}

setUp() {
	enter_workdir
}

normalise() {
	sed -E 's/[0-9]+ seconds/N seconds/g'
}

# dt_service NAME [FILE]: W/NAME under supervise (suite.sh).
dt_service() {
	service_in_w daemontools "$@"
}

svstat_has() {
	svstat "$1" | grep -q -- "$2"
}

test_svstat_same_in_every_state() {
	dt_service up
	dt_service paused
	svc -p paused
	wait_for 10 svstat_has paused ", paused" || fail "pause"
	dt_service down
	svc -d down
	wait_for 10 svstat_has down "down " || fail "down"
	dt_service never down
	dt_service upnd down
	svc -o upnd
	wait_for 10 service_started "$W/upnd" || fail "once"
	dt_service stubborn ignore-term
	svc -d stubborn
	wait_for 10 svstat_has stubborn "want down" || fail "want down"
	dt_service dead
	svc -dx dead
	wait_for 10 supervisor_gone "$W/dead" || fail "exit"
	mkdir nosup
	touch nosup/run afile
	same svstat up paused down never upnd stubborn dead nosup afile \
		missing ./up "$W/up" up/
	same svstat
}

test_svok_same() {
	dt_service up
	dt_service dead
	svc -dx dead
	wait_for 10 supervisor_gone "$W/dead" || fail "exit"
	mkdir nosup
	touch afile
	for d in up dead nosup missing afile "up dead"; do
		# shellcheck disable=SC2086
		same svok $d
	done
	same svok
}

test_svc_messages_same() {
	dt_service dead
	svc -dx dead
	wait_for 10 supervisor_gone "$W/dead" || fail "exit"
	mkdir nosup
	touch afile
	same svc -h dead nosup missing afile
	same svc -Z dead
	same svc
	same svc -u
	same svc -- dead
}

# Each letter has the same effect as the native svc: run one on service
# a, the other on an identical service b, compare the states after.
same_effect() {
	_letter=$1
	shift
	svc "-$_letter" a
	"$C/svc" "-$_letter" b
	wait_for 10 states_agree "$@" ||
		fail "-$_letter: $(svstat a) / $(svstat b)"
}

# states_agree [PATTERN]: a and b look alike (pids and names aside), and
# match PATTERN when given.
states_agree() {
	_a=$(svstat a | sed -E 's/^a: //; s/pid [0-9]+/pid P/; s/[0-9]+ seconds/N/')
	_b=$(svstat b | sed -E 's/^b: //; s/pid [0-9]+/pid P/; s/[0-9]+ seconds/N/')
	[ "$_a" = "$_b" ] && { [ -z "${1:-}" ] || echo "$_a" | grep -q -- "$1"; }
}

new_pid() {
	[ -n "$(service_pid "$W/$1")" ] && [ "$(service_pid "$W/$1")" != "$2" ]
}

test_svc_letters_same_effect() {
	dt_service a
	dt_service b
	same_effect p ", paused"
	same_effect c "^up"
	for l in h a i; do
		same_effect "$l" "^up"
	done
	same_effect d "^down"
	same_effect u "^up"
	same_effect d "^down"
	same_effect o "^up"
	same_effect k "^down"
	same_effect u "^up"
	pa=$(service_pid "$W/a")
	pb=$(service_pid "$W/b")
	svc -t a
	"$C/svc" -t b
	wait_for 10 new_pid a "$pa" || fail "a not restarted"
	wait_for 10 new_pid b "$pb" || fail "b not restarted"
	wait_for 10 states_agree "^up" || fail "-t: $(svstat a) / $(svstat b)"
	# Signals reach the service: the test service logs each one.
	for pair in h:HUP a:ALRM i:INT; do
		"$C/svc" "-${pair%%:*}" b
		wait_for 10 log_has "$W/b" "${pair#*:}" || fail "${pair#*:}"
	done
	svc -dx a
	"$C/svc" -dx b
	wait_for 10 supervisor_gone "$W/a" || fail "a still supervised"
	wait_for 10 supervisor_gone "$W/b" || fail "b still supervised"
	same svstat a
}

# ---- on the other backends ------------------------------------------

# other_service BACKEND NAME: a running service under that backend.
other_service() {
	have_backend "$1" || return 1
	make_service "$W/$2"
	start_supervisor "$1" "$W/$2" || fail "$1 $2"
	wait_for 10 service_started "$W/$2" || fail "$2 not started"
}

personality_status_has() {
	"$C/svstat" "$1" | grep -q -- "$2"
}

cross_backend() {
	other_service "$1" s || { skip_test; return 0; }
	pid=$(service_pid "$W/s")
	assertEquals "svstat" "s: up (pid $pid) N seconds$2" \
		"$("$C/svstat" s | normalise)"
	"$C/svok" s
	assertEquals "svok on a live $1 service" 0 $?
	"$C/svc" -p s
	wait_for 10 process_stopped "$pid" || fail "not paused"
	wait_for 10 personality_status_has s ", paused" || fail "svstat paused"
	"$C/svc" -c s
	wait_for 10 log_has "$W/s" CONT || fail "no CONT"
	for pair in h:HUP a:ALRM i:INT q:QUIT 1:USR1 2:USR2; do
		"$C/svc" "-${pair%%:*}" s
		wait_for 10 log_has "$W/s" "${pair#*:}" || fail "${pair#*:}"
	done
	"$C/svc" -d s
	wait_for 10 personality_status_has s "^s: down" ||
		fail "down: $("$C/svstat" s)"
	"$C/svc" -u s
	wait_for 10 personality_status_has s "^s: up" || fail "up"
	"$C/svc" -dx s
	assertEquals "svc always 0" 0 $?
	wait_for 10 supervisor_gone "$W/s" || fail "-dx"
	assertEquals "s: supervise not running" "$("$C/svstat" s)"
	"$C/svok" s
	assertEquals "svok after exit" 100 $?
	"$C/svc" -u s 2>"$T/err"
	assertEquals "svc: warning: unable to control s: supervise not running" \
		"$(cat "$T/err")"
}

test_on_runit() {
	cross_backend runit ""
}

test_on_s6() {
	cross_backend s6 ""
}

test_on_encore() {
	cross_backend encore ", running"
}

test_svc_refuses_what_the_backend_cannot_do() {
	dt_service a
	"$C/svc" -q a 2>"$T/err"
	assertEquals "exit" 0 $?
	assertEquals "svc: warning: unable to control a: daemontools cannot do -q; nothing sent" \
		"$(cat "$T/err")"
	other_service runit r || { skip_test; return 0; }
	"$C/svc" -x r 2>"$T/err"
	grep -q "runit cannot do -x" "$T/err" || fail "$(cat "$T/err")"
	"$C/svc" -w r 2>"$T/err"
	grep -q "runit cannot do -w" "$T/err" || fail "$(cat "$T/err")"
}

# svstat renders a finishing runit or s6 service as down: the finish
# script's pid is never shown as the service's.
test_svstat_finishing_is_down() {
	have_backend runit || { skip_test; return 0; }
	make_service "$W/f" finish
	start_supervisor runit "$W/f" || fail "runsv"
	wait_for 10 service_started "$W/f" || fail "not started"
	"$C/svc" -d f
	wait_for 10 grep -q "^finish" "$W/f.log" || fail "finish not run"
	assertEquals "f: down N seconds, normally up" \
		"$("$C/svstat" f | normalise)"
	touch "$W/f/release"
}

. shunit2
