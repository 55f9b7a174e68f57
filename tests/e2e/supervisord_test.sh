#!/bin/sh
# supervisord as a backend, against Debian's supervisor on a
# temporary configuration and socket: status, every mapped verb and its
# effect on the program (the signal-recording test service), waits, the
# verbs supervisord cannot do, and the errors: no socket, nothing
# listening, permission denied, an XML-RPC fault.
#
# status --all lists supervisord's programs next to the service
# directories, in every format.
#
# svx log on a program (tailProcessStdoutLog, readProcessStdoutLog): the
# whole log, -n, control bytes, -f (a line written later, a log cleared under it, a
# reader gone, SIGINT), status -l, and the refusals (--since, no such
# program, stdout_logfile and stderr_logfile NONE); a stderr log apart
# (tailProcessStderrLog, readProcessStderrLog), its lines labelled.
#
# not tested: rotation by stdout_logfile_maxbytes (the same path as the
# clear: the log gets shorter); a log too big for supervisord to send.
#
# Migration from supervisord: sd_migrate_test.sh.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin supervisord
	chmod 755 "$T"
	command -v supervisord >/dev/null || return 0
	{
		supervisord_conf
		cat <<EOF
[program:web]
command=$SIGREC $T/web.log
directory=$T
startsecs=1
stopwaitsecs=5

[program:idle]
command=$SIGREC $T/idle.log
directory=$T
autostart=false
startsecs=0

[program:counter]
command=/bin/sh $T/counter.sh
directory=$T
startsecs=0

[program:quiet]
command=sleep 3600
stdout_logfile=NONE
stderr_logfile=NONE
startsecs=0

[program:both]
command=/bin/sh $T/both.sh
directory=$T
startsecs=0

[program:spare]
command=$SIGREC $T/spare.log
directory=$T
autostart=false
startsecs=0

[program:crash]
command=/bin/sh -c 'echo starting; sleep 0.3; exit 3'
directory=$T
autostart=false
startsecs=1
startretries=1

[program:slow]
command=/bin/sh -c 'trap "" TERM; echo up; while :; do sleep 0.1; done'
directory=$T
autostart=false
startsecs=0
stopwaitsecs=4

[group:grp]
programs=idle
EOF
	} >"$T/sd.conf"
	# 20 numbered lines, then whatever is left in $T/more.
	cat >"$T/counter.sh" <<EOF
i=1
while [ \$i -le 20 ]; do echo "line \$i"; i=\$((i + 1)); done
while :; do
	[ -e $T/more ] && { cat $T/more; rm -f $T/more; }
	sleep 0.05
done
EOF
	# Two lines to each log, then to stderr whatever is left in
	# $T/both.more.
	cat >"$T/both.sh" <<EOF
echo out1; echo err1 >&2; echo out2; echo err2 >&2
while :; do
	[ -e $T/both.more ] && { cat $T/both.more >&2; rm -f $T/both.more; }
	sleep 0.05
done
EOF
	start_supervisord
	wait_for 20 sd_says web RUNNING || fail "web never RUNNING"
}

# One supervisord for the whole suite: cleanup at the end only.
tearDown() {
	cd / || true
}

setUp() {
	command -v supervisord >/dev/null || fail "supervisor not installed"
}

# The state supervisord itself reports, through supervisorctl.
sd_says() {
	supervisorctl -s "unix://$T/sd.sock" status "$1" 2>/dev/null |
		grep -q "^$1 *$2 "
}

web_pid() {
	sed -n 's/^start //p' "$T/web.log" | tail -n 1
}

test_status_line() {
	"$SVX" status supervisord:web >"$T/out"
	assertEquals "exit" 0 $?
	grep -Eq "^supervisord:web: supervisord up \(pid $(web_pid)\) [0-9]+[smhd].* \[RUNNING\]$" \
		"$T/out" || fail "$(cat "$T/out")"
	"$SVX" status supervisord:grp:idle >"$T/out"
	assertEquals "group:name" 0 $?
	grep -q "^supervisord:grp:idle: supervisord down \[STOPPED\]$" \
		"$T/out" || fail "$(cat "$T/out")"
}

test_signals_reach_the_program() {
	pid=$(web_pid)
	for verb in hup:HUP alarm:ALRM interrupt:INT quit:QUIT usr1:USR1 \
		usr2:USR2 winch:WINCH; do
		"$SVX" "${verb%%:*}" supervisord:web || fail "${verb%%:*}"
		wait_for 5 grep -qx "${verb#*:} $pid" "$T/web.log" ||
			fail "no ${verb#*:} for $pid"
	done
	"$SVX" pause supervisord:web || fail "pause"
	wait_for 5 sh -c 'grep -q "^State:.*T" /proc/$1/status' x "$pid" ||
		fail "not stopped"
	"$SVX" cont supervisord:web || fail "cont"
	wait_for 5 grep -qx "CONT $pid" "$T/web.log" || fail "no CONT"
	assertEquals "same process" "$pid" "$(web_pid)"
}

test_down_and_up_wait() {
	"$SVX" -w 10 down supervisord:web
	assertEquals "down" 0 $?
	sd_says web STOPPED || fail "supervisorctl does not say STOPPED"
	old=$(web_pid)
	kill -0 "$old" 2>/dev/null && fail "still running"
	"$SVX" -w 10 up supervisord:web
	assertEquals "up" 0 $?
	# up means RUNNING: supervisord's startsecs (1 s) has passed.
	sd_says web RUNNING || fail "supervisorctl does not say RUNNING"
	[ "$(web_pid)" != "$old" ] || fail "no new process"
	"$SVX" -w 10 up supervisord:web
	assertEquals "up when up" 0 $?
	"$SVX" -w 10 restart supervisord:web
	assertEquals "restart" 0 $?
	track_pid "$(web_pid)"
}

test_term_and_kill() {
	pid=$(web_pid)
	"$SVX" term supervisord:web || fail "term"
	wait_for 5 grep -qx "TERM $pid" "$T/web.log" || fail "no TERM"
	"$SVX" -w 10 up supervisord:web || fail "not back up"
	pid=$(web_pid)
	"$SVX" kill supervisord:web || fail "kill"
	wait_for 5 sh -c '! kill -0 "$1" 2>/dev/null' x "$pid" ||
		fail "not killed"
	"$SVX" -w 10 up supervisord:web || fail "not back up after kill"
}

test_what_supervisord_cannot_do() {
	pid=$(web_pid)
	for verb in once exit; do
		"$SVX" "$verb" supervisord:web 2>"$T/err"
		assertEquals "$verb" 103 $?
		assertEquals "svx: supervisord:web: supervisord cannot $verb: supervisord has no call for it; nothing sent" \
			"$(cat "$T/err")"
	done
	assertEquals "untouched" "$pid" "$(web_pid)"
}

# -v names the XML-RPC calls a verb made, as it names the letters sent
# to a control FIFO; restart is supervisorctl's two calls.
test_verbose_names_the_calls() {
	"$SVX" -v hup supervisord:web >"$T/out" 2>&1
	assertEquals "hup" 0 $?
	assertEquals "supervisord:web: sent \"signalProcess HUP\" to supervisord (supervisord)" \
		"$(cat "$T/out")"
	"$SVX" -v restart supervisord:web >"$T/out" 2>&1
	assertEquals "restart" 0 $?
	assertEquals "supervisord:web: sent \"stopProcess, startProcess\" to supervisord (supervisord)" \
		"$(cat "$T/out")"
	# With a wait, -v tells the state it ended in, as for a directory.
	"$SVX" -v -w 10 up supervisord:web >"$T/out" 2>&1
	assertEquals "up" 0 $?
	grep -Eq "^supervisord:web: supervisord up \(pid $(web_pid)\) .*\[RUNNING\]$" \
		"$T/out" || fail "no state line: $(cat "$T/out")"
	track_pid "$(web_pid)"
}

# The start verdict, as for every backend: a program that exits at once
# is a failure, told with supervisord's own word, not a success because
# startProcess answered. No exit code: supervisord loses it for a start
# that ends before startsecs (it says 0; svx doctor reads its log). The
# program lives 0.3 s: one that is gone before startProcess answers is
# a spawn error instead (fault 50), a failure worded otherwise.
test_crash_on_start_fails() {
	"$SVX" -w 15 up supervisord:crash 2>"$T/err"
	assertEquals "exit" 1 $?
	grep -Eq "^svx: supervisord:crash: permanent failure; now failed [0-9]+s, want up \[FATAL\]$" \
		"$T/err" || fail "$(cat "$T/err")"
	wait_for 10 sd_says crash FATAL || fail "supervisorctl: not FATAL"
	"$SVX" -w 10 down supervisord:crash
	assertEquals "down when FATAL" 0 $?
}

# restart never starts a second copy while the first still runs: a
# program slower to stop than the bound (it ignores TERM; supervisord
# kills it after stopwaitsecs) is a timeout naming its state, and it is
# not started again. A signal to a program that is not running is
# nothing to do, as a letter to a down service: no error.
test_restart_slower_than_the_bound() {
	"$SVX" -w 10 up supervisord:slow || fail "slow not up"
	pid=$(supervisorctl -s "unix://$T/sd.sock" pid slow)
	track_pid "$pid"
	# 2 s: room for a slow (sanitized) svx to see STOPPING once; the
	# program holds it for stopwaitsecs, 4 s.
	"$SVX" -w 2 restart supervisord:slow 2>"$T/err"
	assertEquals "timeout" 1 $?
	grep -Eq "^svx: supervisord:slow: timed out waiting for it to stop \(restart\): nothing started; now stopping \(pid $pid\) [0-9]s, want down \[STOPPING\]$" \
		"$T/err" || fail "$(cat "$T/err")"
	# Not started again: STOPPED once supervisord has killed it.
	wait_for 10 sd_says slow STOPPED || fail "not STOPPED after the kill"
	"$SVX" hup supervisord:slow 2>"$T/err"
	assertEquals "hup when stopped" 0 $?
	assertEquals "no error" "" "$(cat "$T/err")"
}

# -w sends every command first, then waits once for all, supervisord's
# programs as the directories.
test_one_wait_for_many_programs() {
	old=$(web_pid)
	"$SVX" -w 10 restart supervisord:web supervisord:spare 2>"$T/err"
	assertEquals "both restarted" 0 $?
	assertEquals "no error" "" "$(cat "$T/err")"
	[ "$(web_pid)" != "$old" ] || fail "web not restarted"
	sd_says web RUNNING || fail "web not RUNNING"
	sd_says spare RUNNING || fail "spare not RUNNING"
	track_pid "$(web_pid)"
	"$SVX" -w 10 down supervisord:spare supervisord:crash
	assertEquals "both down" 0 $?
	sd_says spare STOPPED || fail "spare not STOPPED"
}

test_errors() {
	"$SVX" status supervisord:nope 2>"$T/err"
	assertEquals "no such program" 102 $?
	assertEquals "svx: supervisord:nope: no such program (supervisord fault 10: BAD_NAME: nope)" \
		"$(cat "$T/err")"
	SVX_SUPERVISORD_SOCKET=$T/none.sock "$SVX" status supervisord:web \
		2>"$T/err"
	assertEquals "no socket" 102 $?
	assertEquals "svx: supervisord:web: no supervisord socket at $T/none.sock (set SVX_SUPERVISORD_SOCKET)" \
		"$(cat "$T/err")"
	# A socket file nobody listens on: supervisord gone.
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		"$T/stale.sock" || fail "no stale socket"
	SVX_SUPERVISORD_SOCKET=$T/stale.sock "$SVX" -w 5 up supervisord:web \
		2>"$T/err"
	assertEquals "not running" 102 $?
	assertEquals "svx: supervisord:web: supervisord not running (nothing listens on $T/stale.sock)" \
		"$(cat "$T/err")"
	# A socket path longer than a UNIX socket takes: one line, the
	# same for every command, never a path cut short.
	long=$T/$(printf '%0120d' 0).sock
	for cmd in "status" "-w 5 up" "log" "doctor"; do
		# shellcheck disable=SC2086
		SVX_SUPERVISORD_SOCKET=$long "$SVX" $cmd supervisord:web \
			>/dev/null 2>"$T/err"
		assertEquals "$cmd: too long" 111 $?
		assertEquals "$cmd: words" "svx: supervisord:web: supervisord's socket path is too long for a UNIX socket (108 bytes); set SVX_SUPERVISORD_SOCKET" \
			"$(cat "$T/err")"
	done
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$SVX" status supervisord:web 2>"$T/err"
		assertEquals "denied" 111 $?
		grep -q "^svx: supervisord:web: permission denied on $T/sd.sock" \
			"$T/err" || fail "$(cat "$T/err")"
	fi
}

# -w bounds the whole command, supervisord's calls included: behind a
# socket that takes connections and never answers, each XML-RPC call gets
# what is left of the bound (it was 5 s a call: 25 s for five names).
test_bound_covers_a_silent_supervisord() {
	silent_socket "$T/silent.sock" || fail "no silent socket"
	start=$(now_ms)
	SVX_SUPERVISORD_SOCKET=$T/silent.sock timeout 60 "$SVX" -w 2 up \
		supervisord:a supervisord:b supervisord:c supervisord:d \
		supervisord:e 2>"$T/err"
	assertEquals "not responding" 111 $?
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 3000 ] || fail "took $took ms for -w 2"
	assertEquals "one line each" 5 "$(grep -c \
		"^svx: supervisord:[a-e]: supervisord not responding on $T/silent.sock$" \
		"$T/err")"
	kill "$silent_pid"
}

test_mixed_with_service_directories() {
	enter_workdir
	mkdir -p "$W/plain"
	"$SVX" status supervisord:web "$W/plain" supervisord:grp:idle \
		>"$T/out" 2>&1
	assertEquals "worst exit" 102 $?
	sed -n 1p "$T/out" | grep -q "^supervisord:web: supervisord up " ||
		fail "line 1: $(cat "$T/out")"
	sed -n 2p "$T/out" | grep -q "$W/plain: not a service directory" ||
		fail "line 2: $(cat "$T/out")"
	sed -n 3p "$T/out" | grep -q "^supervisord:grp:idle: supervisord " ||
		fail "line 3: $(cat "$T/out")"
	assertEquals "json" "supervisord:web supervisord up RUNNING" \
		"$("$SVX" status --json supervisord:web "$W/plain" 2>/dev/null |
		jq -r '.services[] | select(.backend == "supervisord") |
		[.name, .backend, .state, .native_state] | join(" ")')"
	assertEquals "-o" "supervisord:web up $(web_pid)
supervisord:grp:idle down -1" \
		"$("$SVX" status -o name,state,pid supervisord:web \
		supervisord:grp:idle)"
}

test_status_all_includes_programs() {
	mkdir -p "$T/noscan"
	all() {
		SVDIR=$T/noscan SVX_SCANDIRS= "$SVX" status --all "$@" 2>/dev/null
	}
	all --color=never >"$T/table"
	grep -Eq "^supervisord:web +supervisord +up +$(web_pid) +[0-9]+[smhd].* +\[RUNNING\]" \
		"$T/table" || fail "$(cat "$T/table")"
	grep -Eq "^supervisord:grp:idle +supervisord +down +- +- +\[STOPPED\]" \
		"$T/table" || fail "$(cat "$T/table")"
	grep -qx "$T/sd.sock:" "$T/table" || fail "no heading: $(cat "$T/table")"
	all --json >"$T/json"
	assertEquals "json" "supervisord running RUNNING up $(web_pid) null" \
		"$(jq -r '.services[] | select(.name == "supervisord:web") |
		[.path, .backend, .supervisor, .native_state, .state, .pid,
		.normally] | map(tostring) | join(" ")' "$T/json" | cut -d' ' -f2-)"
	assertEquals "never started: since unknown" "null" \
		"$(jq -r '.services[] | select(.name == "supervisord:grp:idle") |
		.since' "$T/json")"
	all --format=prometheus >"$T/prom"
	grep -qx "node_service_state{service=\"supervisord:web\",backend=\"supervisord\",scandir=\"$T/sd.sock\"} 1" \
		"$T/prom" || fail "$(grep supervisord "$T/prom")"
	assertEquals "only supervisord" "supervisord:both supervisord
supervisord:counter supervisord
supervisord:crash supervisord
supervisord:grp:idle supervisord
supervisord:quiet supervisord
supervisord:slow supervisord
supervisord:spare supervisord
supervisord:web supervisord" "$(all --backend=supervisord -o name,backend)"
	assertEquals "a pattern" "supervisord:web: supervisord up" \
		"$(all --format=lines 'supervisord:w*' | sed 's/ (pid.*//')"
}

# A line for counter to print: written whole, then renamed into place.
counter_says() {
	echo "$1" >"$T/more.tmp" && mv "$T/more.tmp" "$T/more"
}

test_log_lines() {
	wait_for 10 sd_says counter RUNNING || fail "counter not RUNNING"
	wait_for 5 sh -c '"$1" log supervisord:counter | grep -qx "line 20"' \
		x "$SVX" || fail "no line 20"
	"$SVX" log supervisord:counter >"$T/out"
	assertEquals "whole log" 0 $?
	assertEquals "all 20" "line 1" "$(sed -n 1p "$T/out")"
	assertEquals "20 lines" 20 "$(grep -c '^line ' "$T/out")"
	assertEquals "-n 3" "line 18
line 19
line 20" "$("$SVX" log -n 3 supervisord:counter)"
	assertEquals "-n 0" "" "$("$SVX" log -n 0 supervisord:counter)"
	"$SVX" status -l -n 2 supervisord:counter >"$T/out"
	assertEquals "status -l" 0 $?
	grep -q '^supervisord:counter: supervisord up ' "$T/out" ||
		fail "$(cat "$T/out")"
	assertEquals "status -l lines" "    line 19
    line 20" "$(sed 1d "$T/out")"
	# A colour escape and a CR, which XML cannot carry as they are.
	printf '\033[31mred\033[0m\r\n' >"$T/more.tmp" &&
		mv "$T/more.tmp" "$T/more"
	wait_for 5 sh -c '"$1" log -n 1 supervisord:counter | grep -q red' \
		x "$SVX" || fail "no red line"
	assertEquals "bytes as written" "$(printf '\033[31mred\033[0m\r\n' |
		od -An -c)" "$("$SVX" log -n 1 supervisord:counter | od -An -c)"
}

test_log_follow() {
	wait_for 10 sd_says counter RUNNING || fail "counter not RUNNING"
	"$SVX" log -f supervisord:counter >"$T/follow" 2>"$T/follow.err" &
	fp=$!
	track_pid "$fp"
	wait_for 5 grep -qx "line 20" "$T/follow" || fail "no lines before"
	assertEquals "10 lines before" 10 "$(wc -l <"$T/follow")"
	counter_says "written later"
	wait_for 5 grep -qx "written later" "$T/follow" ||
		fail "not within 5 s: $(cat "$T/follow")"
	# Cleared (as a rotation leaves it): shorter, read from its start.
	supervisorctl -s "unix://$T/sd.sock" clear counter >/dev/null ||
		fail "clear"
	counter_says "after the clear"
	wait_for 5 grep -qx "after the clear" "$T/follow" ||
		fail "nothing after the clear: $(cat "$T/follow")"
	assertEquals "each line once" 1 "$(grep -c 'written later' "$T/follow")"
	kill -INT "$fp"
	wait "$fp"
	assertEquals "SIGINT ends it" 0 $?
	assertEquals "no error" "" "$(cat "$T/follow.err")"
	# A reader gone ends it too, with nothing new to write.
	start=$(now_ms)
	timeout 10 "$SVX" log -f supervisord:counter | head -n 1 >"$T/out"
	assertEquals "head" "after the clear" "$(cat "$T/out")"
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 3000 ] || fail "a closed stdout took $took ms"
}

# A stderr_logfile apart (AUTO): its lines after the stdout log's, each
# after "[stderr] ", for the whole log, -n, -f and status -l.
test_log_stderr() {
	wait_for 10 sd_says both RUNNING || fail "both not RUNNING"
	wait_for 5 sh -c '"$1" log supervisord:both | grep -qx "\[stderr\] err2"' \
		- "$SVX" || fail "$("$SVX" log supervisord:both 2>&1)"
	assertEquals "whole" "out1
out2
[stderr] err1
[stderr] err2" "$("$SVX" log supervisord:both)"
	assertEquals "-n 1" "out2
[stderr] err2" "$("$SVX" log -n 1 supervisord:both)"
	"$SVX" status -l -n 1 supervisord:both >"$T/out"
	assertEquals "status -l" "    out2
    [stderr] err2" "$(sed 1d "$T/out")"
	# Emptied here: the shell truncates it only once the child runs.
	: >"$T/follow"
	"$SVX" log -f -n 0 supervisord:both >>"$T/follow" 2>&1 &
	fp=$!
	track_pid "$fp"
	# -n 0 starts at the end the follower first reads, which may come
	# after a line written now: write one line at a time until one is
	# shown; every line shown must be one of those.
	tries=0
	until [ -s "$T/follow" ] || [ "$tries" -ge 20 ]; do
		echo "late err" >"$T/both.tmp" && mv "$T/both.tmp" "$T/both.more"
		wait_for 1 test -s "$T/follow"
		tries=$((tries + 1))
	done
	wait_for 1 grep -qx "\[stderr\] late err" "$T/follow" ||
		fail "-f: $(cat "$T/follow")"
	kill -INT "$fp"
	wait "$fp"
	assertEquals "-f: only new lines" "" \
		"$(grep -vx '\[stderr\] late err' "$T/follow")"
}

test_log_refusals() {
	"$SVX" log --since -1h supervisord:counter 2>"$T/err"
	assertEquals "--since" 100 $?
	assertEquals "svx: supervisord:counter: --since: supervisord's log lines carry no time stamps" \
		"$(cat "$T/err")"
	"$SVX" log supervisord:nope 2>"$T/err"
	assertEquals "no such program" 102 $?
	assertEquals "svx: supervisord:nope: no such program (supervisord fault 10: BAD_NAME: nope)" \
		"$(cat "$T/err")"
	"$SVX" log supervisord:quiet 2>"$T/err"
	assertEquals "NONE" 1 $?
	assertEquals "svx: supervisord:quiet: supervisord keeps no log of it (stdout_logfile=NONE, stderr_logfile=NONE or redirected)" \
		"$(cat "$T/err")"
	SVX_SUPERVISORD_SOCKET=$T/none.sock "$SVX" log -f supervisord:web \
		2>"$T/err"
	assertEquals "no socket" 102 $?
	assertEquals "svx: supervisord:web: no supervisord socket at $T/none.sock (set SVX_SUPERVISORD_SOCKET)" \
		"$(cat "$T/err")"
}

. shunit2
