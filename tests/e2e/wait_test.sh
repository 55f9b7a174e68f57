#!/bin/sh
# svx's waits against one real supervisor (BACKEND=...): race-free start
# and stop with a real result, failures reported, bounds kept.
#
# not tested here: OpenRC (openrc_test.sh), personalities' own waits.

: "${BACKEND:?set BACKEND}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

# The "every time" tests repeat ten times; the sanitized rerun, which
# looks for memory errors rather than races, fewer (E2E_REPEAT).
REPEAT=${E2E_REPEAT:-10}

oneTimeSetUp() {
	suite_begin wait-$BACKEND
}

setUp() {
	n=$((n + 1))
	D=$T/s$n
}

down_service() {
	make_service "$D" "$@"
	touch "$D/down"
	start_supervisor "$BACKEND" "$D" || fail "cannot start $BACKEND"
}

# Written aside and renamed in: a supervisor may be exec'ing the old run
# script at that moment, and writing into it then fails (ETXTBSY).
crashing_run() {
	printf '#!/bin/sh\nexec %s -x 3\n' "$SIGREC" >"$D/run.new"
	chmod 755 "$D/run.new"
	mv "$D/run.new" "$D/run"
}

test_up_waits_for_the_process() {
	down_service
	"$SVX" -w 10 up "$D"
	assertEquals "up" 0 $?
	pid=$(service_pid "$D")
	assertNotNull "the service started" "$pid"
	"$SVX" status "$D" | grep -q "$BACKEND up (pid $pid)" ||
		fail "$("$SVX" status "$D")"
}

test_down_waits_until_down() {
	down_service
	"$SVX" -w 10 up "$D" || fail "up"
	"$SVX" -w 10 down "$D"
	assertEquals "down" 0 $?
	"$SVX" status "$D" | grep -q "$BACKEND down" || fail "$("$SVX" status "$D")"
}

# With a finish script, down is only done when the finish script is:
# runit's and s6's ./finish, encore's ./stop (encore writes a "stopped"
# record just before it starts ./stop, the same as the one after it but
# for the stamp: ten runs, so that a wait ending on the first shows).
test_down_waits_for_the_finish_script() {
	case $BACKEND in
	runit | s6) runs=3 ;;
	encore) runs=$REPEAT ;;
	*) skip_test; return 0 ;;
	esac
	down_service finish
	if [ "$BACKEND" = encore ]; then
		rm "$D/finish"
		printf '#!/bin/sh\nexec %s -f %s "$@"\n' "$SIGREC" "$D.log" \
			>"$D/stop"
		chmod 755 "$D/stop"
	fi
	i=0
	while [ "$i" -lt "$runs" ]; do
		i=$((i + 1))
		"$SVX" -w 10 up "$D" || fail "up $i"
		finished=$(grep -c "^finish" "$D.log")
		"$SVX" -w 10 down "$D" 2>"$T/err" &
		waiter=$!
		wait_for 10 eval '[ "$(grep -c "^finish" "$D.log")" -gt "$finished" ]' ||
			fail "run $i: no finish"
		kill -0 "$waiter" 2>/dev/null ||
			fail "run $i: returned while finishing: $("$SVX" status "$D")"
		touch "$D/release"
		wait "$waiter"
		assertEquals "run $i: down after finish: $(cat "$T/err")" 0 $?
		"$SVX" status "$D" | grep -q "$BACKEND down" ||
			fail "run $i: not down: $("$SVX" status "$D")"
		rm -f "$D/release"
	done
}

# encore's ./start is its readiness: up waits for it to end, and then
# needs no settle window; a ./start that fails is a permanent failure.
test_encore_up_waits_for_start() {
	[ "$BACKEND" = encore ] || { skip_test; return 0; }
	down_service
	printf '#!/bin/sh\nwhile [ ! -e go ]; do sleep 0.02; done\nexit "$(cat go)"\n' \
		>"$D/start"
	chmod 755 "$D/start"
	# A settle window longer than the answer may take: readiness
	# decides, not the window.
	"$SVX" -w 10 --settle 5000 up "$D" 2>"$T/err" &
	waiter=$!
	wait_for 10 status_has "$D" "starting" || fail "no ./start"
	kill -0 "$waiter" 2>/dev/null || fail "returned while starting"
	echo 0 >"$D/go"
	start=$(now_ms)
	wait "$waiter"
	assertEquals "up after ./start: $(cat "$T/err")" 0 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 3000 ] || fail "up $took ms after ./start: settled"
	"$SVX" status "$D" | grep -q "encore up" || fail "$("$SVX" status "$D")"
	"$SVX" -w 10 down "$D" || fail "down"
	echo 3 >"$D/go"
	"$SVX" -w 10 up "$D" 2>"$T/err"
	assertEquals "./start failed" 1 $?
	grep -q "permanent failure" "$T/err" || fail "$(cat "$T/err")"
}

test_restart_gives_a_new_pid() {
	down_service
	"$SVX" -w 10 up "$D" || fail "up"
	pid=$(service_pid "$D")
	"$SVX" -w 10 restart "$D"
	assertEquals "restart" 0 $?
	assertNotEquals "new pid" "$pid" "$(service_pid "$D")"
}

test_crash_on_start_is_a_failure() {
	down_service
	crashing_run
	"$SVX" -w 10 --settle 300 up "$D" 2>"$T/err"
	assertEquals "failure" 1 $?
	grep -q "died during start" "$T/err" || fail "$(cat "$T/err")"
	if [ "$BACKEND" = s6 ]; then
		grep -q "(exit 3)" "$T/err" || fail "no exit code: $(cat "$T/err")"
	fi
}

test_timeout_reports_the_last_state() {
	down_service
	touch "$D/ignore-term"
	"$SVX" -w 10 up "$D" || fail "up"
	start=$(now_ms)
	"$SVX" -w 1 down "$D" 2>"$T/err"
	assertEquals "timeout" 1 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 3000 ] || fail "took $took ms"
	grep -q "timed out after 1000 ms waiting for down; now" "$T/err" ||
		fail "$(cat "$T/err")"
	# --kill-on-timeout: SIGKILL, said, and a second wait: down, exit 0.
	# A restart whose old process will not go: that is what timed out
	# (s6 without notification-fd has no readiness to wait for).
	"$SVX" -w 1 restart "$D" 2>"$T/err"
	assertEquals "restart timeout" 1 $?
	grep -q "timed out after 1000 ms waiting for a new process; now" \
		"$T/err" || fail "$(cat "$T/err")"
	"$SVX" -w 1 --kill-on-timeout down "$D" 2>"$T/err"
	assertEquals "killed, then down: $(cat "$T/err")" 0 $?
	assertEquals "said" "svx: $D: not down after 1000 ms: sent SIGKILL" \
		"$(cat "$T/err")"
	status_has "$D" "$BACKEND down" || fail "not down: $("$SVX" status "$D")"
}

# Several services: one bound for all of them, not one each.
test_one_bound_for_several_services() {
	for x in 1 2 3; do
		make_service "$D.$x"
		touch "$D.$x/ignore-term"
		start_supervisor "$BACKEND" "$D.$x" || fail "start $x"
	done
	"$SVX" -w 10 up "$D.1" "$D.2" "$D.3" || fail "up"
	start=$(now_ms)
	"$SVX" -w 1 down "$D.1" "$D.2" "$D.3" 2>"$T/err"
	assertEquals "timeout" 1 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 2500 ] || fail "took $took ms for a 1 s bound"
	assertEquals "one line each" 3 "$(grep -c "timed out after 1000 ms" "$T/err")"
	"$SVX" -w 1 --kill-on-timeout down "$D.1" "$D.2" "$D.3" 2>"$T/err"
	assertEquals "killed, then down: $(cat "$T/err")" 0 $?
	for x in 1 2 3; do
		status_has "$D.$x" "$BACKEND down" || fail "$x not killed"
	done
}

# A restart whose new process dies at once is not a success.
test_restart_into_a_crash_is_a_failure() {
	down_service
	"$SVX" -w 10 up "$D" || fail "up"
	crashing_run
	"$SVX" -w 10 --settle 300 restart "$D" 2>"$T/err"
	assertEquals "failure" 1 $?
	grep -q "died during start" "$T/err" || fail "$(cat "$T/err")"
}

# svx asleep in its wait (the command written): PID's kernel wait is a poll.
in_poll() {
	grep -q poll "/proc/$1/wchan" 2>/dev/null
}

# A restart read by s6-supervise just after it started the service by
# itself: its first record (down, no process) is svx's base, and its `r`
# kills that first run (dead of TERM, or exit 0 once sigrec catches it).
# That death is the old process's, not the restart's. Made certain by
# ./lock-fd: with supervise/service-lock held, s6-supervise warns that
# the child will block, forks, and waits for the exec; the test holds
# that lock until svx has sent its `rcu`.
test_s6_restart_racing_the_first_start() {
	[ "$BACKEND" = s6 ] || { skip_test; return 0; }
	make_service "$D"
	echo 5 >"$D/lock-fd"
	mkdir -p "$D/supervise"
	mkfifo "$D.release"
	# shellcheck disable=SC2016 # $0 is the inner shell's
	s6-setlock "$D/supervise/service-lock" sh -c \
		': >"$0.locked"; read x <"$0.release"' "$D" &
	holder=$!
	track_pid "$holder"
	wait_for 10 test -e "$D.locked" || fail "lock not taken"
	start_supervisor s6 "$D" || fail "cannot start s6"
	wait_for 10 grep -q "child will block" "$D.supervisor.out" ||
		fail "s6-supervise never tried: $(cat "$D.supervisor.out")"
	"$SVX" -w 10 restart "$D" 2>"$T/err" &
	waiter=$!
	track_pid "$waiter"
	wait_for 10 in_poll "$waiter" || fail "svx never waited"
	service_started "$D" && fail "started before the lock was free"
	echo go >"$D.release"
	wait "$waiter"
	assertEquals "restart: $(cat "$T/err")" 0 $?
	# The first run died (often of TERM before it could log a line),
	# and another runs.
	[ -s "$D/supervise/death_tally" ] || fail "the first run never died"
	status_has "$D" "s6 up" || fail "$("$SVX" status "$D")"
	"$SVX" -w 10 down "$D" >/dev/null 2>&1
}

# Never supervised and no scanner watching: nothing will come; svx says
# so at once instead of waiting out the bound.
test_no_scanner_fails_at_once() {
	make_service "$D"
	start=$(now_ms)
	"$SVX" -w 5 up "$D" 2>"$T/err"
	assertEquals "not supervised" 102 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 1000 ] || fail "took $took ms"
	grep -q "supervisor not running" "$T/err" || fail "$(cat "$T/err")"
}

test_exit_waits_for_the_supervisor() {
	down_service
	"$SVX" -w 10 exit "$D"
	assertEquals "exit" 0 $?
	supervisor_gone "$D" || fail "supervisor still there"
}

test_supervisor_killed_during_a_wait() {
	down_service
	touch "$D/ignore-term"
	"$SVX" -w 10 up "$D" || fail "up"
	track_service "$D" || fail "not started"
	"$SVX" -w 30 down "$D" 2>"$T/err" &
	waiter=$!
	wait_for 10 log_has "$D" TERM || fail "no TERM"
	start=$(now_ms)
	kill -KILL "$(supervisor_pid "$D")"
	wait "$waiter"
	assertEquals "supervisor died" 102 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 2000 ] || fail "took $took ms to notice"
	grep -q "supervisor died" "$T/err" || fail "$(cat "$T/err")"
}

test_s6_readiness() {
	[ "$BACKEND" = s6 ] || { skip_test; return 0; }
	down_service
	echo 3 >"$D/notification-fd"
	touch "$D/not-ready"
	"$SVX" -w 1 up "$D" 2>"$T/err"
	assertEquals "never ready" 1 $?
	grep -q "waiting for readiness" "$T/err" || fail "$(cat "$T/err")"
	rm "$D/not-ready"
	"$SVX" -w 10 restart "$D"
	assertEquals "ready" 0 $?
	"$SVX" status "$D" | grep -q ", ready" || fail "$("$SVX" status "$D")"
}

test_runit_check_script() {
	[ "$BACKEND" = runit ] || { skip_test; return 0; }
	down_service
	printf '#!/bin/sh\ntest -e %s\n' "$D/ready" >"$D/check"
	chmod +x "$D/check"
	"$SVX" -w 1 up "$D" 2>"$T/err"
	assertEquals "check fails" 1 $?
	touch "$D/ready"
	"$SVX" -w 10 up "$D"
	assertEquals "check passes" 0 $?
}

# A directory linked into a scan directory: svx kicks the scanner (where
# it can be kicked) and waits for its supervisor.
test_fresh_service_in_a_scan_directory() {
	scan=$T/scan$n
	mkdir -p "$scan"
	case $BACKEND in
	s6) prog="s6-svscan" ;;
	runit) prog="runsvdir" ;;
	daemontools) prog="svscan" ;;
	*) skip_test; return 0 ;;
	esac
	pid=$("$LAUNCH" -o "$T/scan$n.out" -C / "$prog" "$scan") ||
		fail "scanner"
	track_pid "$pid"
	wait_for 10 scanner_ready "$pid" "$prog" "$scan" || fail "$prog not ready"
	D=$scan/fresh
	make_service "$T/fresh$n"
	mv "$T/fresh$n" "$D"
	mv "$T/fresh$n.log" "$D.log" 2>/dev/null
	printf '#!/bin/sh\nexec %s %s\n' "$SIGREC" "$D.log" >"$D/run.new"
	chmod 755 "$D/run.new"
	mv "$D/run.new" "$D/run"	# the scanner may be starting it
	start=$(now_ms)
	"$SVX" -w 10 up "$D"
	assertEquals "up" 0 $?
	took=$(( $(now_ms) - start ))
	case $BACKEND in
	# Not kicked, it would wait for the periodic scan, 5 s away.
	s6 | runit) [ "$took" -lt 3000 ] || fail "not kicked: $took ms" ;;
	esac
	"$SVX" status "$D" | grep -q "$BACKEND up" || fail "$("$SVX" status "$D")"
}

# The layout real systems use: the service lives elsewhere and is linked
# into a scan directory whose scanner init started from / (runsvdir's
# working directory is then /, not its scan directory). Through the sv
# personality, as init scripts call it: up within 2.5 s, where the
# periodic scan would take 5 s (runsvdir loses a kick that comes within
# a second of its last scan, and svx kicks again a second later).
test_fresh_link_under_a_scanner_started_from_root() {
	case $BACKEND in
	s6) prog="s6-svscan" ;;
	runit) prog="runsvdir" ;;
	*) skip_test; return 0 ;;
	esac
	scan=$T/linkscan$n
	mkdir -p "$scan"
	make_service "$scan/first"
	pid=$("$LAUNCH" -o "$T/linkscan$n.out" -C / "$prog" "$scan") ||
		fail "scanner"
	track_pid "$pid"
	wait_for 10 scanner_ready "$pid" "$prog" "$scan" || fail "$prog not ready"
	# Its first scan is over: only a kick brings the link in before the
	# next periodic one, 5 s away.
	wait_for 10 service_started "$scan/first" || fail "first scan"
	make_service "$T/sv$n/web"
	ln -s "$T/sv$n/web" "$scan/web"
	start=$(now_ms)
	"$C/sv" -w 10 start "$scan/web" >"$T/out" 2>&1
	assertEquals "sv -w 10 start: $(cat "$T/out")" 0 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 2500 ] || fail "up after $took ms"
	"$SVX" status "$scan/web" | grep -q "$BACKEND up" ||
		fail "$("$SVX" status "$scan/web")"
}

svx_gone() {
	! kill -0 "$svxpid" 2>/dev/null
}

# The service directory removed during a wait: by its own finish script
# on runit and s6 (tokiclover's framework does this), from outside on
# daemontools and encore (no finish script). The wait ends within a
# second, exit 111, one line naming the cause.
test_removed_directory_ends_the_wait() {
	D=$T/gone$n
	make_service "$D"
	case $BACKEND in
	runit | s6)
		# runsv writes its status after it forks the finish, so one
		# rm -rf can meet a file made behind it: a second pass then.
		printf '#!/bin/sh\nfor try in 1 2 3; do rm -rf "$PWD" 2>/dev/null && break; done\n' \
			>"$D/finish"
		chmod 755 "$D/finish" ;;
	*)	touch "$D/ignore-term" ;;
	esac
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	wait_for 10 service_started "$D" || fail "not started"
	"$SVX" -w 30 down "$D" >"$T/gone.out" 2>"$T/gone.err" &
	svxpid=$!
	track_pid "$svxpid"
	case $BACKEND in
	runit | s6) wait_for 10 eval '[ ! -d "$D" ]' || fail "finish ran not" ;;
	*)	wait_for 10 status_has "$D" "want down" || fail "no down sent"
		rm -rf "$D" ;;
	esac
	gone_at=$(now_ms)
	wait_for 5 svx_gone || fail "svx still waiting"
	took=$(( $(now_ms) - gone_at ))
	wait "$svxpid"
	assertEquals "exit" 111 $?
	[ "$took" -lt 1000 ] || fail "noticed after $took ms"
	assertEquals "svx: $D: service directory removed while waiting for down" \
		"$(cat "$T/gone.err")"
}

# The service directory, or its supervise/, renamed during a wait: the
# supervisor records nothing more where svx was told to look. The wait
# ends within a second, exit 111, one line naming the cause.
renamed_during_wait() {
	D=$T/mv$n.$1
	make_service "$D"
	touch "$D/ignore-term"
	start_supervisor "$BACKEND" "$D" || fail "supervisor"
	wait_for 10 service_started "$D" || fail "not started"
	track_service "$D" || fail "not tracked"
	"$SVX" -w 30 down "$D" >"$T/mv.out" 2>"$T/mv.err" &
	svxpid=$!
	track_pid "$svxpid"
	wait_for 10 status_has "$D" "want down" || fail "no down sent"
	case $1 in
	dir) mv "$D" "$D.moved" ;;
	supervise) mv "$D/supervise" "$D/supervise.moved" ;;
	esac
	moved_at=$(now_ms)
	wait_for 5 svx_gone || fail "svx still waiting"
	took=$(( $(now_ms) - moved_at ))
	wait "$svxpid"
	assertEquals "$1 renamed: exit" 111 $?
	[ "$took" -lt 1000 ] || fail "$1 renamed: noticed after $took ms"
	assertEquals "svx: $D: service directory or its supervise/ renamed while waiting for down" \
		"$(cat "$T/mv.err")"
}

test_renamed_directory_ends_the_wait() {
	renamed_during_wait dir
}

test_renamed_supervise_ends_the_wait() {
	renamed_during_wait supervise
}

# -w bounds the whole command, finding the names included: a thousand
# never-supervised services in a scan directory, on a machine with a
# thousand more processes (once a pass over /proc for each name: 9 s).
test_bound_covers_a_thousand_names() {
	[ "$BACKEND" = daemontools ] || { skip_test; return 0; }
	scan=$T/many
	mkdir -p "$scan"
	i=0
	while [ "$i" -lt 1000 ]; do
		i=$((i + 1))
		mkdir "$scan/s$i"
		printf '#!/bin/sh\nexec sleep 60\n' >"$scan/s$i/run"
	done
	crowd=$("$LAUNCH" -o "$T/crowd.out" sh -c \
		'i=0; while [ $i -lt 1000 ]; do sleep 600 & i=$((i + 1)); done; wait') ||
		fail "crowd"
	track_pid "$crowd"
	wait_for 30 eval '[ "$(pgrep -c -P "$crowd")" -ge 1000 ]' ||
		fail "crowd not there"
	start=$(now_ms)
	SVDIR=$scan timeout 30 "$SVX" -w 2 up $(seq -f 's%g' 1 1000) \
		2>"$T/many.err"
	assertEquals "not supervised" 102 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 4000 ] || fail "took $took ms for -w 2"
	assertEquals "one line each" 1000 \
		"$(grep -c ': supervisor not running' "$T/many.err")"
}

# run_script BODY: the service's run script, written aside and renamed in.
run_script() {
	printf '#!/bin/sh\n%s\n' "$1" >"$D/run.new"
	chmod 755 "$D/run.new"
	mv "$D/run.new" "$D/run"
}

# With default options, a run script that exits at once and one that
# dies 50 ms in are a failure every time, each verdict within 1.5 s.
test_default_settle_catches_quick_deaths() {
	down_service
	for body in "echo starting; exit 3" "sleep 0.05; exit 3"; do
		run_script "$body"
		i=0
		while [ "$i" -lt "$REPEAT" ]; do
			"$SVX" -w 4 down "$D" >/dev/null 2>&1
			start=$(now_ms)
			"$SVX" -w 4 up "$D" 2>"$T/err"
			rc=$?
			took=$(( $(now_ms) - start ))
			assertEquals "'$body', start $i: $(cat "$T/err")" 1 "$rc"
			[ "$took" -lt 1500 ] ||
				fail "'$body', start $i: verdict after $took ms"
			i=$((i + 1))
		done
	done
	"$SVX" -w 4 down "$D" >/dev/null 2>&1
}

# A healthy start without readiness waits out the window, and answers
# soon after it; --settle 0 answers at the first sight of the process.
test_default_settle_on_a_healthy_start() {
	down_service
	start=$(now_ms)
	"$SVX" -w 4 up "$D"
	assertEquals "up" 0 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -ge 200 ] || fail "up after $took ms: no settle window"
	[ "$took" -lt 2500 ] || fail "up after $took ms"
	"$SVX" -w 4 down "$D" || fail "down"
	"$SVX" -w 4 --settle 0 up "$D"
	assertEquals "up, --settle 0" 0 $?
}

# Wanted up, its run exiting at once: a crash loop is never "started",
# however the calls fall against the loop (10 in a row), and the error
# names the last exit code where the backend records one (s6's status;
# runit, daemontools and encore keep none).
test_crash_loop_never_started() {
	down_service
	run_script "echo starting; exit 3"
	"$SVX" up "$D" || fail "up"
	i=0
	while [ "$i" -lt "$REPEAT" ]; do
		start=$(now_ms)
		"$SVX" -w 4 up "$D" 2>"$T/err"
		rc=$?
		took=$(( $(now_ms) - start ))
		assertEquals "call $i: $(cat "$T/err")" 1 "$rc"
		[ "$took" -lt 2500 ] || fail "call $i: verdict after $took ms"
		if [ "$BACKEND" = s6 ]; then
			grep -q "exit 3" "$T/err" ||
				fail "call $i: no exit code: $(cat "$T/err")"
		fi
		i=$((i + 1))
	done
	# s6-svc -wu keeps s6's meaning, an up event: the loop has those.
	"$C/s6-svc" -T 4000 -wu -u "$D"
	assertEquals "s6-svc -wu: an up event" 0 $?
	"$SVX" -w 4 down "$D" >/dev/null 2>&1
}

# sv's verdict through the personality: a crash on start, and a crash
# loop, are failures well under a second, worded as native sv words its
# timeout; a healthy start still succeeds.
test_sv_start_judges_a_crash() {
	down_service
	run_script "echo starting; exit 3"
	for how in "-w 4 start" "start" "-w 4 restart"; do
		"$SVX" -w 4 down "$D" >/dev/null 2>&1
		start=$(now_ms)
		# shellcheck disable=SC2086
		SVWAIT=4 "$C/sv" $how "$D" >"$T/out"
		rc=$?
		took=$(( $(now_ms) - start ))
		assertEquals "sv $how: $(cat "$T/out")" 1 "$rc"
		[ "$took" -lt 1000 ] || fail "sv $how: verdict after $took ms"
		grep -Eq "^timeout: (down|run|finish): $D: " "$T/out" ||
			fail "sv $how: $(cat "$T/out")"
	done
	# LSB mode: an init script named as the service, linked to svx.
	"$SVX" -w 4 down "$D" >/dev/null 2>&1
	mkdir "$T/init$n"
	ln -s "$SVX_BUILD/svx" "$T/init$n/s$n"
	start=$(now_ms)
	SVDIR=$T SVWAIT=4 "$T/init$n/s$n" start >"$T/out"
	assertEquals "LSB start: $(cat "$T/out")" 1 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 1000 ] || fail "LSB start: verdict after $took ms"
	grep -q "^timeout: [a-z]*: s$n: " "$T/out" || fail "$(cat "$T/out")"
	# Now crash-looping (wanted up): the next try is judged.
	start=$(now_ms)
	"$C/sv" -w 4 start "$D" >"$T/out"
	assertEquals "sv start, crash loop: $(cat "$T/out")" 1 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 2000 ] || fail "crash loop: verdict after $took ms"
	"$SVX" -w 4 down "$D" >/dev/null 2>&1
	run_script "exec $SIGREC $D.log"
	"$C/sv" -w 4 start "$D" >"$T/out"
	assertEquals "healthy start: $(cat "$T/out")" 0 $?
	grep -q "^ok: run: $D: (pid " "$T/out" || fail "$(cat "$T/out")"
}

. shunit2
