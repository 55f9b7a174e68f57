#!/bin/sh
# The sv personality:
#  - differential: Debian's sv and build/compat/sv on the same live runsv
#    services, over every state and every command word; outputs (seconds
#    normalised) and exit codes identical apart from the divergences in
#    compat-matrix.md (check, restart/term/kill confirmation, -V, LSB
#    status for the main service);
#  - LSB mode (an init-script name linked to svx) on runit, s6 and
#    daemontools services;
#  - sv on s6, daemontools and encore services, effects seen by the test
#    service and in the status.
#
# not tested here: runit's own custom control/ scripts (runsv's, not sv's).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin sv
}

setUp() {
	enter_workdir
	SVDIR=$W
	export SVDIR
}

normalise() {
	sed -E 's/ [0-9]+s(,|;|$)/ Ns\1/g; s/: [0-9]+s(,|;|$)/: Ns\1/g'
}

# same ARGS...: same_tool for sv, the only tool of this suite.
same() {
	same_tool sv "$@"
}

rn_service() {
	service_in_w runit "$@"
}

sv_has() {
	sv status "$1" 2>/dev/null | grep -q -- "$2"
}

test_status_same_in_every_state() {
	rn_service up
	rn_service paused
	sv pause paused >/dev/null
	wait_for 10 sv_has paused ", paused" || fail "pause"
	rn_service down
	sv down down >/dev/null
	wait_for 10 sv_has down "^down:" || fail "down"
	rn_service never down
	rn_service upnd down
	sv up upnd >/dev/null
	wait_for 10 service_started "$W/upnd" || fail "up"
	rn_service stubborn ignore-term
	sv down stubborn >/dev/null
	wait_for 10 sv_has stubborn "got TERM" || fail "got TERM"
	rn_service fin "" finish
	sv down fin >/dev/null
	wait_for 10 sv_has fin "^finish:" || fail "finish"
	rn_service withlog
	make_logger "$W/withlog2"
	make_service "$W/withlog2"
	start_supervisor runit "$W/withlog2" || fail "runsv"
	wait_for 10 sv_has withlog2 "run: log:" || fail "log"
	rn_service dead
	sv exit dead >/dev/null
	wait_for 10 supervisor_gone "$W/dead" || fail "exit"
	mkdir nosup
	touch nosup/run afile
	same status up paused down never upnd stubborn fin withlog2 dead \
		nosup afile missing ./up "$W/up" up/ ""
	same s up
	same stat up
	same status
	same
	same bogus up
	same -Z status up
	same -w
	touch "$W/fin/release"
}

test_control_words_same_letters_and_messages() {
	rn_service dead
	sv exit dead >/dev/null
	wait_for 10 supervisor_gone "$W/dead" || fail "exit"
	mkdir nosup
	for word in up down once pause cont hup alarm interrupt quit 1 2 \
		term kill exit; do
		same "$word" dead nosup missing
	done
	same restart dead
	same -w1 start dead nosup
	same -w1 shutdown dead
	same -w1 force-shutdown dead
	same r dead
	same f dead
	same reloadx dead
}

# Each word has the same effect as the native sv: one on service a, the
# other on service b (identical), then compare.
states_agree() {
	_a=$(sv status a | sed -E 's/ a: / X: /; s/pid [0-9]+/pid P/g; s/[0-9]+s/Ns/g')
	_b=$(sv status b | sed -E 's/ b: / X: /; s/pid [0-9]+/pid P/g; s/[0-9]+s/Ns/g')
	[ "$_a" = "$_b" ] && { [ -z "${1:-}" ] || echo "$_a" | grep -q -- "$1"; }
}

# same_effect PATTERN SV-ARGS...: the service named last is added by us.
same_effect() {
	_pattern=$1
	shift
	sv "$@" a >"$T/a.out" 2>&1
	"$C/sv" "$@" b >"$T/b.out" 2>&1
	assertEquals "$* output" "$(sed 's/ a: / X: /' "$T/a.out" | unpid)" \
		"$(sed 's/ b: / X: /' "$T/b.out" | unpid)"
	wait_for 10 states_agree "$_pattern" ||
		fail "$*: $(sv status a) / $(sv status b)"
}

unpid() {
	normalise | sed -E 's/pid [0-9]+/pid P/g'
}

test_words_same_effect() {
	rn_service a
	rn_service b
	same_effect ", paused" pause
	# Whole: "^run" alone matches the paused state cont must end.
	same_effect "^run: X: (pid P) Ns\$" cont
	same_effect "^down" down
	same_effect "^run" once
	same_effect "^down" kill
	same_effect "^run" up
	for pair in hup:HUP alarm:ALRM interrupt:INT quit:QUIT 1:USR1 2:USR2; do
		"$C/sv" "${pair%%:*}" b
		wait_for 10 log_has "$W/b" "${pair#*:}" || fail "${pair#*:}"
	done
	same_effect "^down" -w5 stop
	same_effect "^run" -w5 start
	same_effect "^run" -w5 reload
	same_effect "^run" -w5 try-restart
	same_effect "^run" -w5 restart
	same_effect "" exit
	wait_for 10 supervisor_gone "$W/a" || fail "a still supervised"
	wait_for 10 supervisor_gone "$W/b" || fail "b still supervised"
	same status a
}

test_waits_and_timeouts_same() {
	rn_service a
	rn_service stubborn ignore-term
	same -v up a
	same -w 1 down stubborn
	same -w 1 down stubborn
	same status stubborn
	# force-stop: timeout, then kill: the service goes.
	rn_service stubborn2 ignore-term
	sv -w 1 force-stop stubborn >"$T/native.out"
	assertEquals "native force-stop" 1 $?
	"$C/sv" -w 1 force-stop stubborn2 >"$T/svx.out"
	assertEquals "svx force-stop" 1 $?
	assertEquals "kill line" "$(sed 's/stubborn:/X:/' "$T/native.out" | unpid)" \
		"$(sed 's/stubborn2:/X:/' "$T/svx.out" | unpid)"
	wait_for 10 sv_has stubborn2 "^down" || fail "not killed"
	SVWAIT=1 same -v exit a
}

# pair ARGS...: native sv on a, the personality on b, each a real wait
# (ARGS end with the service: a or b is appended); b read as a after.
pair() {
	sv "$@" a >"$T/native.out" 2>"$T/native.err"
	native_rc=$?
	"$C/sv" "$@" b >"$T/svx.out" 2>"$T/svx.err"
	svx_rc=$?
	assertEquals "sv $* (a, b): exit code" "$native_rc" "$svx_rc"
	assertEquals "sv $*: stdout" "$(unpid <"$T/native.out")" \
		"$(sed 's/\bb:/a:/g' "$T/svx.out" | unpid)"
}

# down means ./finish done: while it runs, sv -w says timeout, finish.
test_finish_holds_down() {
	rn_service a "" finish
	rn_service b "" finish
	pair -w 1 down
	assertEquals "timed out" 1 "$svx_rc"
	grep -q "^timeout: finish: b:" "$T/svx.out" || fail "$(cat "$T/svx.out")"
	touch "$W/a/release" "$W/b/release"
	pair -w 5 down
	assertEquals "down" 0 "$svx_rc"
	pair -w 5 up
	pair -w 5 restart
	assertEquals "restarted" 0 "$svx_rc"
}

test_check_and_restart_divergences() {
	rn_service a
	sv down a >/dev/null
	wait_for 10 sv_has a "^down" || fail "down"
	"$C/sv" -w 1 check a >/dev/null
	assertEquals "down and wanted down: ok" 0 $?
	sv up a >/dev/null
	wait_for 10 sv_has a "^run" || fail "up"
	printf '#!/bin/sh\nexit 1\n' >a/check
	chmod +x a/check
	"$C/sv" -w 1 check a >"$T/out"
	assertEquals "check fails" 1 $?
	grep -q "^timeout: run: a:" "$T/out" || fail "$(cat "$T/out")"
	rm a/check
	# restart in the second the service started still sees a new pid.
	sv restart a >/dev/null
	pid=$(service_pid "$W/a")
	"$C/sv" restart a >"$T/out"
	assertEquals "restart" 0 $?
	new=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$T/out")
	assertNotEquals "a new pid" "$pid" "$new"
}

# /etc/init.d/foo -> svx: runit's LSB mode, on every backend.
lsb_on() {
	backend=$1
	have_backend "$backend" || { skip_test; return 0; }
	make_service "$W/foo"
	start_supervisor "$backend" "$W/foo" || fail "start"
	wait_for 10 service_started "$W/foo" || fail "not started"
	ln -s "$SVX_BUILD/svx" "$W/foo-init"
	mkdir init
	ln -s "$SVX_BUILD/svx" init/foo
	./init/foo status >"$T/out"
	assertEquals "status up" 0 $?
	grep -q "^run: foo: (pid $(service_pid "$W/foo"))" "$T/out" ||
		fail "$(cat "$T/out")"
	./init/foo stop >"$T/out"
	assertEquals "stop" 0 $?
	grep -q "^ok: down: foo:" "$T/out" || fail "$(cat "$T/out")"
	./init/foo status >/dev/null
	assertEquals "status down" 3 $?
	./init/foo start >"$T/out"
	assertEquals "start" 0 $?
	grep -q "^ok: run: foo:" "$T/out" || fail "$(cat "$T/out")"
	./init/foo stat 2>"$T/err"
	assertEquals "usage" 2 $?
	assertEquals "usage: foo [-w sec] command" "$(head -n 1 "$T/err")"
	./init/foo restart >/dev/null
	assertEquals "restart" 0 $?
	./init/foo shutdown >"$T/out"
	assertEquals "shutdown" 0 $?
	wait_for 10 supervisor_gone "$W/foo" || fail "supervisor left"
	./init/foo status >/dev/null
	assertEquals "not running" 1 $?
	rm -rf "$W/foo/supervise"
	./init/foo status >/dev/null
	assertEquals "unknown" 4 $?
}

test_lsb_on_runit() {
	lsb_on runit
}

test_lsb_on_s6() {
	lsb_on s6
}

test_lsb_on_daemontools() {
	lsb_on daemontools
}

test_lsb_same_as_native_on_runit() {
	rn_service foo
	mkdir native svx
	ln -s /usr/bin/sv native/foo
	ln -s "$SVX_BUILD/svx" svx/foo
	for word in status s bogus "" ; do
		./native/foo $word >"$T/n.out" 2>"$T/n.err"
		nrc=$?
		./svx/foo $word >"$T/s.out" 2>"$T/s.err"
		src=$?
		assertEquals "lsb $word rc" "$nrc" "$src"
		assertEquals "lsb $word out" "$(normalise <"$T/n.out")" \
			"$(normalise <"$T/s.out")"
		assertEquals "lsb $word err" "$(cat "$T/n.err")" \
			"$(cat "$T/s.err")"
	done
}

# sv on the other backends: the runit line rendered from their state.
sv_on() {
	backend=$1
	have_backend "$backend" || { skip_test; return 0; }
	make_service "$W/s"
	start_supervisor "$backend" "$W/s" || fail "start"
	wait_for 10 service_started "$W/s" || fail "not started"
	pid=$(service_pid "$W/s")
	assertEquals "run: s: (pid $pid) Ns" "$("$C/sv" status s | normalise)"
	"$C/sv" pause s >/dev/null
	wait_for 10 process_stopped "$pid" || fail "pause"
	"$C/sv" cont s >/dev/null
	wait_for 10 log_has "$W/s" CONT || fail "cont"
	for pair in hup:HUP alarm:ALRM interrupt:INT term:TERM; do
		"$C/sv" "${pair%%:*}" s
		wait_for 10 grep -q "^${pair#*:} " "$W/s.log" ||
			fail "${pair#*:}"
	done
	"$C/sv" -w 5 stop s >"$T/out"
	assertEquals "stop" 0 $?
	grep -q "^ok: down: s: [0-9]*s, normally up" "$T/out" ||
		fail "$(cat "$T/out")"
	"$C/sv" -w 5 start s >"$T/out"
	assertEquals "start" 0 $?
	grep -q "^ok: run: s: (pid [0-9]*)" "$T/out" || fail "$(cat "$T/out")"
	"$C/sv" -w 5 restart s >/dev/null
	assertEquals "restart" 0 $?
	"$C/sv" -w 5 exit s >"$T/out"
	assertEquals "exit" 0 $?
	wait_for 10 supervisor_gone "$W/s" || fail "supervisor left"
	"$C/sv" status s >"$T/out"
	assertEquals "fail: s: runsv not running" "$(cat "$T/out")"
}

test_sv_on_s6() {
	sv_on s6
}

test_sv_on_daemontools() {
	sv_on daemontools
}

test_sv_on_encore() {
	sv_on encore
}

test_sv_refuses_what_daemontools_cannot_do() {
	have_backend daemontools || { skip_test; return 0; }
	make_service "$W/d"
	start_supervisor daemontools "$W/d" || fail "start"
	"$C/sv" quit d >"$T/out"
	assertEquals "counted as a failure" 1 $?
	assertEquals "warning: d: unable to control: daemontools cannot do quit; nothing sent" \
		"$(cat "$T/out")"
}

. shunit2
