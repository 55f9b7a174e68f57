#!/bin/sh
# The s6 personalities (s6-svc, s6-svstat, s6-svok, s6-svwait):
#  - differential: Debian's s6 tools and build/compat/<tool> on the same
#    live s6-supervise services, every state and option; outputs (seconds
#    normalised) and exit codes identical apart from compat-matrix.md's
#    divergences;
#  - the same tools on runit, daemontools and encore services.
#
# not tested here: s6 2.12+ options (-s, P C K): Debian 12 ships 2.11.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin s6
}

setUp() {
	enter_workdir
}

# Fields ending a -o line (updownfor, readyfor) are seconds too.
normalise() {
	sed -E 's/[0-9]+ seconds/N seconds/g; s/@[0-9a-f]{24}/@TAI/g'
}

s6_service() {
	service_in_w s6 "$@"
}

s6_has() {
	s6-svstat "$1" 2>/dev/null | grep -q -- "$2"
}

TIMELESS="up,wantedup,normallyup,ready,paused,pid,exitcode,signal,signum"

# same_timed TOOL ARGS...: as same, for output with seconds elapsed in
# it: svx's output, taken between two of the native tool's, must equal
# theirs when those agree (no second boundary crossed); tried again
# when they do not.
same_timed() {
	_tool=$1
	shift
	for _try in 1 2 3 4 5; do
		"$_tool" "$@" >"$T/native1.out" 2>/dev/null
		"$C/$_tool" "$@" >"$T/svx.out" 2>/dev/null
		"$_tool" "$@" >"$T/native2.out" 2>/dev/null
		cmp -s "$T/native1.out" "$T/native2.out" && break
	done
	assertEquals "$_tool $*: stdout" "$(normalise <"$T/native1.out")" \
		"$(normalise <"$T/svx.out")"
}

test_svstat_same_in_every_state() {
	s6_service up
	s6_service paused
	s6-svc -p paused
	wait_for 10 s6_has paused ", paused" || fail "pause"
	s6_service down
	s6-svc -d down
	wait_for 10 s6_has down "^down" || fail "down"
	s6_service never down
	s6_service upnd down
	s6-svc -u upnd
	wait_for 10 service_started "$W/upnd" || fail "up"
	s6_service stubborn ignore-term
	s6-svc -d stubborn
	wait_for 10 s6_has stubborn "want down" || fail "want down"
	s6_service fin "" finish
	s6-svc -d fin
	wait_for 10 grep -q "^finish" "$W/fin.log" || fail "finish"
	s6_service killed
	s6-svc -k killed
	wait_for 10 s6_has killed "SIGKILL" || fail "kill"
	make_service "$W/rdy"
	echo 3 >"$W/rdy/notification-fd"
	start_supervisor s6 "$W/rdy" || fail "rdy"
	wait_for 10 s6_has rdy "ready" || fail "ready"
	s6_service dead
	s6-svc -dx dead
	wait_for 10 supervisor_gone "$W/dead" || fail "exit"
	mkdir nosup
	touch afile
	for d in up paused down never upnd stubborn fin killed rdy dead nosup \
		afile missing; do
		same s6-svstat "$d"
		same s6-svstat -n "$d"
		same s6-svstat -o "$TIMELESS" "$d"
		same s6-svstat -uwNrpes "$d"
		same s6-svok "$d"
	done
	same_timed s6-svstat -o updownsince,readysince,updownfor,readyfor up
	same_timed s6-svstat -o u,re,updown,p,pi,sign,signu,updownf,readyf up
	same s6-svstat -t -o pid -u up
	same s6-svstat -o up, up
	same s6-svstat -o '' up
	same s6-svstat -o upx up
	same s6-svstat -o ,up up
	same s6-svstat up paused
	same s6-svstat -- up
	same s6-svstat
	same s6-svstat -Z up
	same s6-svok
	same s6-svok up missing
	touch "$W/fin/release"
}

test_svc_messages_same() {
	s6_service dead
	s6-svc -dx dead
	wait_for 10 supervisor_gone "$W/dead" || fail "exit"
	mkdir nosup nocontrol nocontrol/supervise
	touch afile
	for d in dead nosup missing afile nocontrol ""; do
		same s6-svc -u "$d"
	done
	same s6-svc -Z dead
	same s6-svc
	same s6-svc -s TERM dead
	same s6-svc -w x -u dead
	same s6-svc -T 5x -u dead
	same s6-svc -u dead extra
}

states_agree() {
	_a=$(s6-svstat -o "$TIMELESS" a 2>/dev/null | sed -E 's/ [0-9]{3,} / P /')
	_b=$(s6-svstat -o "$TIMELESS" b 2>/dev/null | sed -E 's/ [0-9]{3,} / P /')
	[ "$_a" = "$_b" ] && { [ -z "${1:-}" ] || echo "$_a" | grep -q -- "$1"; }
}

# same_effect PATTERN LETTERS: native on a, personality on b.
same_effect() {
	s6-svc "$2" a
	"$C/s6-svc" "$2" b
	assertEquals "s6-svc $2: exit" 0 $?
	wait_for 10 states_agree "$1" ||
		fail "$2: $(s6-svstat a) / $(s6-svstat b)"
}

test_svc_letters_same_effect() {
	s6_service a
	s6_service b
	same_effect "^true true true false true" -p
	same_effect "^true true true false false" -c
	same_effect "^false false" -d
	same_effect "^true true" -u
	same_effect "^true false" -o
	same_effect "^true true" -u
	same_effect "^true false true" -O
	same_effect "^true true" -u
	pa=$(service_pid "$W/a")
	pb=$(service_pid "$W/b")
	same_effect "^true true" -r
	wait_for 10 new_pid a "$pa" || fail "a not restarted"
	wait_for 10 new_pid b "$pb" || fail "b not restarted"
	same_effect "^false false false" -D
	[ -e a/down ] && [ -e b/down ] || fail "D: no down file"
	same_effect "^true true true" -U
	[ ! -e a/down ] && [ ! -e b/down ] || fail "U: down file left"
	same_effect "^true false false" -Q
	[ -e b/down ] || fail "Q: no down file"
	for pair in a:ALRM h:HUP i:INT q:QUIT 1:USR1 2:USR2 y:WINCH; do
		"$C/s6-svc" "-${pair%%:*}" b
		wait_for 10 log_has "$W/b" "${pair#*:}" || fail "${pair#*:}"
	done
	same_effect "" -dx
	wait_for 10 supervisor_gone "$W/a" || fail "a supervised"
	wait_for 10 supervisor_gone "$W/b" || fail "b supervised"
}

new_pid() {
	[ -n "$(service_pid "$W/$1")" ] && [ "$(service_pid "$W/$1")" != "$2" ]
}

# run_on SERVICE OUT TOOL ARGS...: ARGS with each @ replaced by SERVICE.
run_on() {
	_svc=$1
	_out=$2
	shift 2
	_cmd=
	for _a; do
		[ "$_a" = @ ] && _a=$_svc
		_cmd="$_cmd '$_a'"
	done
	eval "$_cmd" >"$_out.out" 2>"$_out.err"
}

# same_pair TOOL ARGS...: a command that changes state, native on a and
# the personality on b (each wait is real: nothing has happened yet to
# the second service); outputs with b read as a.
same_pair() {
	_tool=$1
	shift
	run_on a "$T/native" "$_tool" "$@"
	native_rc=$?
	run_on b "$T/svx" "$C/$_tool" "$@"
	svx_rc=$?
	assertEquals "$_tool $* (a, b): exit code" "$native_rc" "$svx_rc"
	assertEquals "$_tool $*: stdout" "$(normalise <"$T/native.out")" \
		"$(sed 's/\bb\b/a/g' "$T/svx.out" | normalise)"
	assertEquals "$_tool $*: stderr" "$(cat "$T/native.err")" \
		"$(sed 's/\bb\b/a/g' "$T/svx.err")"
}

test_waits_same() {
	s6_service a
	s6_service b
	same s6-svc -wu -u a
	same s6-svc -wd -T 300 -u a
	same s6-svc -wU -T 300 -u a
	same s6-svwait -u a b
	same s6-svwait -o -d -t 200 a b
	same s6-svwait -a -d -t 200 a b
	same s6-svwait -U -t 200 a
	same s6-svwait -u missing
	same s6-svwait -Z a
	same s6-svwait -t x a
	# Already up when read: done once the command is sent, whatever it
	# does (s6-svlisten1 judges the state it read first).
	same_pair s6-svc -wu -T 2000 -d @
	same_pair s6-svc -wu -T 5000 -u @
	same_pair s6-svc -wr -T 5000 -r @
	same_pair s6-svc -wD -T 5000 -d @
	same_pair s6-svc -wu -T 5000 -u @
	# The supervisor exits with the goal met: success, not a failure.
	same_pair s6-svc -wD -T 5000 -dx @
	wait_for 10 supervisor_gone "$W/a" || fail "a supervised"
	wait_for 10 supervisor_gone "$W/b" || fail "b supervised"
	# A dead supervisor whose last state meets the goal: s6-svwait says 0.
	same s6-svwait -d -t 500 a
	# ... and one that does not: s6-svwait waits for the timeout (99);
	# svx says at once that the supervisor is gone (compat-matrix.md).
	"$C/s6-svwait" -u -t 500 a 2>/dev/null
	assertEquals "dead supervisor, goal not met" 1 $?
}

# s6-svwait -D while s6-svc -dx ends the supervisor: the goal is met.
test_svwait_supervisor_exit_with_goal_met() {
	s6_service a
	s6_service b
	s6-svwait -D -t 5000 a &
	_w=$!
	s6-svc -dx a
	wait "$_w"
	native_rc=$?
	"$C/s6-svwait" -D -t 5000 b &
	_w=$!
	s6-svc -dx b
	wait "$_w"
	assertEquals "s6-svwait -D, then -dx" "$native_rc" $?
	assertEquals "native" 0 "$native_rc"
}

fifos_in() {
	[ "$(ls "$1/event" 2>/dev/null | wc -l)" -ge "$2" ]
}

# -a: every service up at the same moment. a up then down while b comes
# up is never "all up": both time out.
test_svwait_all_at_the_same_moment() {
	s6_service a
	s6_service b down
	s6-svwait -u -a -t 2000 a b &
	native=$!
	"$C/s6-svwait" -u -a -t 2000 a b 2>/dev/null &
	svx=$!
	wait_for 5 fifos_in "$W/a" 2 || fail "waiters not listening"
	wait_for 5 fifos_in "$W/b" 2 || fail "waiters not listening"
	s6-svc -d a
	wait_for 5 s6_has a "^down" || fail "a not down"
	s6-svc -u b
	wait "$native"
	native_rc=$?
	wait "$svx"
	assertEquals "-a, never all up" "$native_rc" $?
	assertEquals "native" 99 "$native_rc"
}

# Down means ./finish done: with a finish still running, -wD times out.
test_finish_holds_down() {
	s6_service a "" finish
	s6_service b "" finish
	same_pair s6-svc -wD -T 500 -d @
	assertEquals "timed out" 99 "$svx_rc"
	touch "$W/a/release" "$W/b/release"
	same_pair s6-svwait -D -t 5000 @
	assertEquals "finished" 0 "$svx_rc"
}

# Readiness: -wU waits for the ready flag (notification-fd).
test_readiness_wait() {
	make_service "$W/r"
	echo 3 >"$W/r/notification-fd"
	touch "$W/r/down"
	start_supervisor s6 "$W/r" || fail "start"
	"$C/s6-svc" -wU -T 5000 -u r
	assertEquals "-wU" 0 $?
	s6-svstat r | grep -q ", ready" || fail "$(s6-svstat r)"
	touch "$W/r/not-ready"
	"$C/s6-svc" -wR -T 500 -r r 2>"$T/err"
	assertEquals "-wR never ready" 99 $?
	assertEquals "s6-svlisten1: fatal: timed out" "$(cat "$T/err")"
}

# A permanent failure (finish exits 125) ends a wait for up with 1.
test_permanent_failure() {
	mkdir -p "$W/pf"
	printf '#!/bin/sh\nexec %s -x 3\n' "$SIGREC" >"$W/pf/run"
	printf '#!/bin/sh\nexit 125\n' >"$W/pf/finish"
	echo 3 >"$W/pf/notification-fd"
	touch "$W/pf/down"
	chmod 755 "$W/pf/run" "$W/pf/finish"
	start_supervisor s6 "$W/pf" || fail "start"
	"$C/s6-svc" -wU -T 5000 -u pf 2>"$T/err"
	assertEquals "permanent failure" 1 $?
	assertEquals "s6-svlisten1: fatal: pf failed permanently or its supervisor died" \
		"$(cat "$T/err")"
}

# The s6 tools on the other backends, rendered from svx's state.
s6_on() {
	backend=$1
	have_backend "$backend" || { skip_test; return 0; }
	make_service "$W/s"
	start_supervisor "$backend" "$W/s" || fail "start"
	wait_for 10 service_started "$W/s" || fail "not started"
	pid=$(service_pid "$W/s")
	assertEquals "up (pid $pid) N seconds" "$("$C/s6-svstat" s | normalise)"
	assertEquals "true true true false false $pid" \
		"$("$C/s6-svstat" -o up,wantedup,normallyup,ready,paused,pid s)"
	"$C/s6-svok" s
	assertEquals "s6-svok" 0 $?
	"$C/s6-svc" -p s
	wait_for 10 process_stopped "$pid" || fail "pause"
	"$C/s6-svc" -c s
	for pair in a:ALRM h:HUP i:INT t:TERM; do
		"$C/s6-svc" "-${pair%%:*}" s
		wait_for 10 grep -q "^${pair#*:} " "$W/s.log" ||
			fail "${pair#*:}"
	done
	"$C/s6-svc" -wd -T 5000 -d s
	assertEquals "-wd -d" 0 $?
	"$C/s6-svstat" s | grep -q "^down (exitcode unknown) [0-9]* seconds, normally up" ||
		fail "$("$C/s6-svstat" s)"
	"$C/s6-svc" -wu -T 5000 -u s
	assertEquals "-wu -u" 0 $?
	"$C/s6-svwait" -u -t 1000 s
	assertEquals "s6-svwait -u" 0 $?
	"$C/s6-svc" -D s
	wait_for 10 sh -c "\"$C/s6-svstat\" s | grep -q '^down'" || fail "-D"
	[ -e "$W/s/down" ] || fail "-D left no down file"
	"$C/s6-svc" -U s
	[ ! -e "$W/s/down" ] || fail "-U left the down file"
	"$C/s6-svc" -dx s
	wait_for 10 supervisor_gone "$W/s" || fail "-dx"
	"$C/s6-svok" s
	assertEquals "s6-svok after exit" 1 $?
}

test_on_runit() {
	s6_on runit
}

test_on_daemontools() {
	s6_on daemontools
}

test_on_encore() {
	s6_on encore
}

# svx notices a supervisor killed during a wait; s6-svwait would wait on
# its stale status until the timeout.
test_svwait_supervisor_killed() {
	s6_service a ignore-term
	track_service "$W/a" || fail "not started"
	"$C/s6-svwait" -d -t 20000 a 2>"$T/err" &
	waiter=$!
	s6-svc -d a
	wait_for 10 log_has "$W/a" TERM || fail "no TERM"
	kill -KILL "$(supervisor_pid "$W/a")"
	wait "$waiter"
	assertEquals "one failed" 1 $?
	assertEquals "s6-svwait: fatal: some services reported permanent failure or their supervisor died" \
		"$(cat "$T/err")"
}

. shunit2
