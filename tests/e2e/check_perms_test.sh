#!/bin/sh
# svx check and svx perms against one real supervisor:
#   BACKEND=daemontools|runit|s6|encore SVX_BUILD=build sh check_perms_test.sh
#
# check: the monitoring-plugins convention, exit 0 OK, 1 WARNING,
# 2 CRITICAL, 3 UNKNOWN, one line "SVX STATE - ... | perfdata", in each
# case (up; up less than --warn-uptime; a crash loop, restarts over
# --crit-restarts where the backend counts them, up less than
# --crit-uptime, no supervisor unless ./down; no service, permission
# denied, supervisord not answering), and over several services the
# worst state.
#
# perms: after svx perms --group G a member of G, a user svx runs with
# setpriv under numeric ids (uid 65534, group 4242, neither added to the
# machine), reads svx status; with --control runs svx restart; a
# non-member gets the error that names svx perms. Applying twice changes
# nothing the second time; a supervisor that restarts keeps the modes;
# --reset restores the supervisor's own; a symlinked supervise is
# followed only to a supervisor's directory that only root may change; a
# status file the supervisor wrote 0600 is said (encore's made readable).

: "${BACKEND:?set BACKEND}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

G=4242		# a group no one has: setpriv gives it
NOBODY=65534

oneTimeSetUp() {
	suite_begin check-perms-$BACKEND
	chmod 755 "$T"
}

setUp() {
	n=$((n + 1))
	D=$T/s$n
}

live_service() {
	make_service "$1"
	start_supervisor "$BACKEND" "$1" || fail "cannot start $BACKEND"
	track_service "$1" || fail "service never started"
	# Logged before recorded: runsv and s6-supervise write the record
	# after the fork.
	wait_for 10 status_has "$1" "$BACKEND up" || fail "never recorded up"
}

# A service whose run exits 3 at once, under its supervisor.
crashing_service() {
	mkdir -p "$1"
	printf '#!/bin/sh\nexit 3\n' >"$1/run"
	chmod 755 "$1/run"
	start_supervisor "$BACKEND" "$1" || fail "cannot start $BACKEND"
}

member() {
	setpriv --reuid=$NOBODY --regid=$NOBODY --groups=$G -- "$@"
}

stranger() {
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- "$@"
}

# check_gives CODE ARGS...: svx check ARGS exits CODE (its line in
# T/check.out).
check_gives() {
	_want=$1
	shift
	"$SVX" check "$@" >"$T/check.out" 2>"$T/check.err"
	[ $? -eq "$_want" ]
}

one_line() {
	[ "$(wc -l <"$1")" -eq 1 ] || fail "not one line: $(cat "$1")"
}

has() {
	grep -Eq -- "$1" "$T/check.out" || fail "no /$1/ in: $(cat "$T/check.out")"
}

counts_restarts() {
	[ "$BACKEND" = s6 ]
}

test_check_ok_with_perfdata() {
	live_service "$D"
	pid=$(service_pid "$D")
	check_gives 0 "$D" || fail "exit: $(cat "$T/check.out")"
	one_line "$T/check.out"
	has "^SVX OK - $D up [0-9]+s \\(pid $pid\\)"
	has "\\| uptime=[0-9]+s;;;0;"
	if counts_restarts; then
		has " restarts=0;;;0;$"
	else
		grep -q restarts "$T/check.out" &&
			fail "a restart count $BACKEND does not keep: $(cat "$T/check.out")"
	fi
	return 0
}

test_check_warning_when_young() {
	live_service "$D"
	check_gives 1 --warn-uptime 3600 "$D" || fail "$(cat "$T/check.out")"
	has "^SVX WARNING - $D up [0-9]+s .*up less than --warn-uptime"
	has "uptime=[0-9]+s;3600:;;0;"
	check_gives 2 --warn-uptime 3600 --crit-uptime 1800 "$D" ||
		fail "crit-uptime: $(cat "$T/check.out")"
	has "^SVX CRITICAL - .*up less than --crit-uptime"
	has "uptime=[0-9]+s;3600:;1800:;0;"
	check_gives 0 --warn-uptime 0 "$D" || fail "$(cat "$T/check.out")"
	"$SVX" pause "$D" || fail "pause"
	wait_for 5 check_gives 1 "$D" || fail "paused: $(cat "$T/check.out")"
	has "^SVX WARNING - $D up .*, paused \\|"
	"$SVX" cont "$D" || fail "cont"
	wait_for 5 check_gives 0 "$D" || fail "cont: $(cat "$T/check.out")"
}

test_check_critical_crash_loop() {
	crashing_service "$D"
	wait_for 15 check_gives 2 "$D" || fail "$(cat "$T/check.out")"
	one_line "$T/check.out"
	has "^SVX CRITICAL - $D (down|up|exited|finishing)"
	has "(wanted up|crash loop)"
}

gave_up() {
	check_gives 2 "$D" && grep -q " failed " "$T/check.out"
}

# encore gives up on a run that exits 100: failed, never restarted.
test_check_critical_encore_failed() {
	[ "$BACKEND" = encore ] || { skip_test; return 0; }
	mkdir -p "$D"
	printf '#!/bin/sh\nexit 100\n' >"$D/run"
	chmod 755 "$D/run"
	start_supervisor encore "$D" || fail "encore"
	wait_for 10 gave_up || fail "$(cat "$T/check.out")"
	has "^SVX CRITICAL - $D failed .*given up \\(permanent failure\\)"
}

test_check_critical_restarts() {
	live_service "$D"
	first=$(service_pid "$D")
	"$SVX" restart "$D" || fail "restart"
	wait_for 10 sh -c "[ \"\$(sed -n 's/^start //p' '$D.log' | tail -n 1)\" != $first ]" ||
		fail "no new process"
	# The new process runs before its supervisor records it up.
	wait_for 10 status_has "$D" "up (pid $(service_pid "$D"))" ||
		fail "new process not recorded: $("$SVX" status "$D")"
	if counts_restarts; then
		check_gives 2 --crit-restarts 0 "$D" ||
			fail "$(cat "$T/check.out")"
		has "^SVX CRITICAL - $D up .*1 restart, restarts over --crit-restarts"
		has "restarts=1;;0;0;$"
		check_gives 1 --warn-restarts 0 --crit-restarts 5 "$D" ||
			fail "$(cat "$T/check.out")"
		has "restarts=1;0;5;0;$"
	else
		# Nothing counts restarts here: said so, no number made up.
		check_gives 0 --crit-restarts 0 "$D" ||
			fail "$(cat "$T/check.out")"
		has "restarts not counted by $BACKEND"
		grep -q "restarts=" "$T/check.out" && fail "invented a count"
	fi
	return 0
}

# UNKNOWN only when svx cannot tell (monitoring-plugins): not a service,
# permission denied, a bad threshold.
test_check_unknown() {
	mkdir -p "$D.empty"
	check_gives 3 "$D.empty" || fail "empty: $(cat "$T/check.out")"
	has "^SVX UNKNOWN - $D.empty: not a service \\(no run script"
	check_gives 3 "$D.none" || fail "none: $(cat "$T/check.out")"
	live_service "$D"
	stranger "$SVX" check "$D" >"$T/check.out" 2>&1
	assertEquals "denied" 3 $?
	has "^SVX UNKNOWN - $D: permission denied \\(svx perms"
	check_gives 3 --warn-uptime soon "$D" || fail "bad threshold"
	has "^SVX UNKNOWN - --warn-uptime soon"
}

# No supervisor is a known failure: CRITICAL, unless ./down says the
# service is meant to be down; over several, it outweighs a warning.
test_check_unsupervised() {
	make_service "$D"
	check_gives 2 "$D" || fail "unsupervised: $(cat "$T/check.out")"
	one_line "$T/check.out"
	has "^SVX CRITICAL - $D: no supervisor running$"
	: >"$D/down"
	check_gives 0 "$D" || fail "meant down: $(cat "$T/check.out")"
	has "^SVX OK - $D: no supervisor running, down as wanted \\(\\./down\\)$"
	rm -f "$D/down"
	live_service "$D.paused"
	"$SVX" pause "$D.paused" || fail "pause"
	wait_for 5 check_gives 1 "$D.paused" || fail "$(cat "$T/check.out")"
	check_gives 2 "$D" "$D.paused" || fail "worst: $(cat "$T/check.out")"
	has "^SVX CRITICAL - $D: no supervisor running; $D.paused up .*, paused"
	"$SVX" cont "$D.paused" || fail "cont"
}

test_check_several_worst_wins() {
	live_service "$D"
	crashing_service "$D.crash"
	wait_for 15 check_gives 2 "$D" "$D.crash" ||
		fail "$(cat "$T/check.out")"
	one_line "$T/check.out"
	has "^SVX CRITICAL - $D up .*; $D.crash "
	has "'s$n uptime'=[0-9]+s;;;0;"
	check_gives 3 "$D" "$D.nothing" || fail "$(cat "$T/check.out")"
}

# supervisord programs through its socket, once (BACKEND=runit): up is
# OK without a restart count; stopped while autostart is off is not
# "wanted up"; a name it does not know is UNKNOWN; no supervisord is
# CRITICAL, one that does not answer UNKNOWN.
test_check_supervisord() {
	[ "$BACKEND" = runit ] && command -v supervisord >/dev/null ||
		{ skip_test; return 0; }
	{
		supervisord_conf
		printf '[program:web]\ncommand=%s %s\nstartsecs=0\n\n' \
			"$SIGREC" "$T/sdweb.log"
		printf '[program:idle]\ncommand=%s %s\nautostart=false\n' \
			"$SIGREC" "$T/sdidle.log"
	} >"$T/sd.conf"
	start_supervisord
	wait_for 20 check_gives 0 supervisord:web || fail "$(cat "$T/check.out")"
	has "^SVX OK - supervisord:web up [0-9]+s \\(pid [0-9]+\\) \\| uptime=[0-9]+s;;;0;$"
	check_gives 3 supervisord:nosuch || fail "$(cat "$T/check.out")"
	has "^SVX UNKNOWN - supervisord:nosuch: not a service \\(supervisord has no such program\\)"
	check_gives 0 supervisord:idle || fail "idle: $(cat "$T/check.out")"
	# No supervisord: CRITICAL, as a service with no supervisor is.
	SVX_SUPERVISORD_SOCKET=$T/none.sock check_gives 2 supervisord:web ||
		fail "no socket: $(cat "$T/check.out")"
	has "^SVX CRITICAL - supervisord:web: no supervisor running$"
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		"$T/stale.sock" || fail "no stale socket"
	SVX_SUPERVISORD_SOCKET=$T/stale.sock check_gives 2 supervisord:web ||
		fail "stale socket: $(cat "$T/check.out")"
	# One that takes the connection and never answers: it runs, but
	# svx cannot tell the program's state.
	silent_socket "$T/silent.sock" || fail "no silent socket"
	SVX_SUPERVISORD_SOCKET=$T/silent.sock check_gives 3 supervisord:web ||
		fail "silent: $(cat "$T/check.out")"
	has "^SVX UNKNOWN - supervisord:web: supervisor not answering$"
	kill "$silent_pid"
}

test_perms_status_for_members() {
	live_service "$D"
	pid=$(service_pid "$D")
	"$SVX" perms --group $G "$D" >"$T/out" 2>&1
	assertEquals "perms" 0 $?
	grep -q "^$D: status: group $G; control: owner only ([0-9] changed)$" \
		"$T/out" || fail "$(cat "$T/out")"
	member "$SVX" status "$D" >"$T/out" 2>"$T/err"
	assertEquals "member status" 0 $?
	grep -q "^$D: $BACKEND up (pid $pid) " "$T/out" ||
		fail "$(cat "$T/out" "$T/err")"
	member "$SVX" check "$D" >"$T/check.out" 2>&1
	assertEquals "member check" 0 $?
	# Status only: no control.
	member "$SVX" restart "$D" >"$T/out" 2>"$T/err"
	assertEquals "member restart without --control" 111 $?
	grep -q "^svx: $D: permission denied: .*svx perms SERVICE --group G" \
		"$T/err" || fail "$(cat "$T/err")"
	stranger "$SVX" status "$D" >"$T/out" 2>"$T/err"
	assertEquals "stranger status" 111 $?
	grep -q "^svx: $D: permission denied: .*svx perms SERVICE --group G" \
		"$T/err" || fail "$(cat "$T/err")"
	assertEquals "nothing sent" "$pid" "$(service_pid "$D")"
}

test_perms_control_for_members() {
	live_service "$D"
	pid=$(service_pid "$D")
	"$SVX" perms --group $G --control "$D" >"$T/out" 2>&1
	assertEquals "perms" 0 $?
	grep -q "^$D: status: group $G; control: group $G " "$T/out" ||
		fail "$(cat "$T/out")"
	stranger "$SVX" restart "$D" >"$T/out" 2>"$T/err"
	assertEquals "stranger restart" 111 $?
	grep -q "^svx: $D: permission denied: .*svx perms" "$T/err" ||
		fail "$(cat "$T/err")"
	assertEquals "stranger sent nothing" "$pid" "$(service_pid "$D")"
	member "$SVX" -w 10 restart "$D" >"$T/out" 2>"$T/err"
	assertEquals "member restart: $(cat "$T/err")" 0 $?
	wait_for 10 sh -c "[ \"\$(sed -n 's/^start //p' '$D.log' | tail -n 1)\" != $pid ]" ||
		fail "not restarted"
	member "$SVX" status "$D" | grep -q "$BACKEND up (pid $(service_pid "$D"))" ||
		fail "member status after restart"
}

# mode_of PATH: its octal mode and group, as stat prints them.
mode_of() {
	stat -c '%a %g' "$1"
}

test_perms_idempotent_kept_across_restart_and_reset() {
	live_service "$D"
	"$SVX" perms --group $G --control "$D" >/dev/null || fail "perms"
	"$SVX" perms --group $G --control "$D" >"$T/out" 2>&1
	grep -q "(unchanged)$" "$T/out" || fail "second time: $(cat "$T/out")"
	"$SVX" perms --show "$D" >"$T/show" || fail "show"
	grep -q "^$D: supervise/ 0710 0:$G$" "$T/show" || fail "$(cat "$T/show")"
	grep -q "^$D: supervise/control 0620 0:$G$" "$T/show" ||
		fail "$(cat "$T/show")"
	if [ "$BACKEND" = s6 ]; then
		grep -q "^$D: event/ 3730 0:$G$" "$T/show" || fail "$(cat "$T/show")"
	else
		grep -q "^$D: supervise/ok 0620 0:$G$" "$T/show" ||
			fail "$(cat "$T/show")"
	fi
	# The supervisor ends and a new one starts on the same directory:
	# the modes it finds are kept (PROTOCOLS.md#perms).
	"$SVX" -w 10 exit "$D" >/dev/null 2>&1 || fail "exit"
	wait_for 10 supervisor_gone "$D" || fail "supervisor still there"
	: >"$D.log"
	start_supervisor "$BACKEND" "$D" || fail "restart $BACKEND"
	track_service "$D" || fail "service never started again"
	assertEquals "supervise/ after restart" "710 $G" "$(mode_of "$D/supervise")"
	assertEquals "control after restart" "620 $G" \
		"$(mode_of "$D/supervise/control")"
	member "$SVX" status "$D" | grep -q "$BACKEND up" ||
		fail "member status after the supervisor restarted"
	"$SVX" perms --reset "$D" >"$T/out" 2>&1 || fail "reset: $(cat "$T/out")"
	grep -q "^$D: status: owner only; control: owner only " "$T/out" ||
		fail "$(cat "$T/out")"
	assertEquals "supervise/ reset" "700 0" "$(mode_of "$D/supervise")"
	assertEquals "control reset" "600 0" "$(mode_of "$D/supervise/control")"
	if [ "$BACKEND" = s6 ]; then
		assertEquals "event/ reset" "3730 0" "$(mode_of "$D/event")"
	else
		assertEquals "ok reset" "600 0" "$(mode_of "$D/supervise/ok")"
	fi
	member "$SVX" status "$D" >/dev/null 2>&1
	assertEquals "member after reset" 111 $?
}

# A supervisor run under umask 077 writes status 0600: a group let into
# supervise/ still cannot read it. daemontools, runit and s6 replace the
# file at every change, so svx says so (111) and sets nothing; encore
# writes it in place, so svx makes it readable and that lasts.
test_perms_status_file_mode() {
	live_service "$D"
	chmod 600 "$D/supervise/status"
	"$SVX" perms --group $G "$D" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$BACKEND" = encore ]; then
		assertEquals "encore: $(cat "$T/err")" 0 $rc
		assertEquals "status made readable" "644" \
			"$(stat -c %a "$D/supervise/status")"
		grep -q "^$D: status: group $G; " "$T/out" || fail "$(cat "$T/out")"
		"$SVX" -w 10 restart "$D" >/dev/null 2>&1 || fail "restart"
		assertEquals "kept across a change" "644" \
			"$(stat -c %a "$D/supervise/status")"
		member "$SVX" status "$D" | grep -q "$BACKEND up" ||
			fail "member status"
		return 0
	fi
	assertEquals "unreadable status" 111 $rc
	grep -q "^svx: $D: supervise/status is not readable by the group: .*umask" \
		"$T/err" || fail "$(cat "$T/err")"
	grep -q "^$D: status: owner only; " "$T/out" || fail "$(cat "$T/out")"
	assertEquals "never set" "600" "$(stat -c %a "$D/supervise/status")"
	"$SVX" perms --show "$D" >"$T/show" || fail "show"
	grep -q "^$D: supervise/status 0600 0:" "$T/show" || fail "$(cat "$T/show")"
	member "$SVX" status "$D" >/dev/null 2>&1
	assertEquals "member cannot read it" 111 $?
	chmod 644 "$D/supervise/status"
	"$SVX" perms --group $G "$D" >"$T/out" 2>&1
	assertEquals "readable again: $(cat "$T/out")" 0 $?
	member "$SVX" status "$D" | grep -q "$BACKEND up" || fail "member status"
}

test_perms_refuses_symlink_and_bad_group() {
	make_service "$D"
	mkdir -p "$T/elsewhere$n"
	ln -s "$T/elsewhere$n" "$D/supervise"
	chmod 700 "$T/elsewhere$n"
	"$SVX" perms --group $G "$D" >"$T/out" 2>"$T/err"
	assertEquals "symlink" 111 $?
	grep -q "^svx: $D: supervise is a symlink" "$T/err" || fail "$(cat "$T/err")"
	assertEquals "target untouched" "700 0" "$(mode_of "$T/elsewhere$n")"
	"$SVX" perms --group no-such-group-svx "$D" >/dev/null 2>&1
	assertEquals "unknown group" 100 $?
	"$SVX" perms "$D" >/dev/null 2>&1
	assertEquals "nothing asked" 100 $?
	"$SVX" perms --show "$D.nothing" >/dev/null 2>&1
	assertEquals "no such service" 102 $?
}

# runsv and s6-supervise follow a supervise symlink (to keep the files on
# a writable filesystem): svx perms follows it to a directory only root
# may change, holding a control FIFO.
test_perms_follows_a_supervisors_link() {
	case $BACKEND in runit | s6) ;; *) skip_test; return 0 ;; esac
	make_service "$D"
	# Dangling: the supervisor makes it (s6-supervise 2.11 refuses a
	# link to a directory that exists: "unable to mkdir").
	ln -s "$T/run$n" "$D/supervise"
	start_supervisor "$BACKEND" "$D" || fail "$BACKEND"
	track_service "$D" || fail "service never started"
	"$SVX" perms --group $G "$D" >"$T/out" 2>&1
	assertEquals "perms: $(cat "$T/out")" 0 $?
	assertEquals "the link's target" "710 $G" "$(mode_of "$T/run$n")"
	"$SVX" perms --show "$D" | grep -q "^$D: supervise/ 0710 0:$G (through a symlink)$" ||
		fail "show: $("$SVX" perms --show "$D")"
	member "$SVX" status "$D" | grep -q "$BACKEND up" ||
		fail "member status through the link"
	# Not where others may write.
	chmod 777 "$T/run$n"
	"$SVX" perms --reset "$D" >/dev/null 2>"$T/err"
	assertEquals "others may write there" 111 $?
	assertEquals "untouched" "777 $G" "$(mode_of "$T/run$n")"
	chmod 700 "$T/run$n"
}

# A log/ subservice has its own supervise/ (runsv's, or its own
# supervisor's as a scanner starts one): given the same access.
test_perms_log_subservice() {
	make_service "$D"
	make_logger "$D"
	start_supervisor "$BACKEND" "$D" || fail "$BACKEND"
	[ "$BACKEND" = runit ] || start_supervisor "$BACKEND" "$D/log" ||
		fail "$BACKEND on log/"
	track_service "$D" || fail "service never started"
	"$SVX" perms --group $G --control "$D" >"$T/out" 2>&1 || fail "$(cat "$T/out")"
	grep -q "^$D/log: status: group $G; control: group $G " "$T/out" ||
		fail "$(cat "$T/out")"
	assertEquals "log/supervise" "710 $G" "$(mode_of "$D/log/supervise")"
}

. shunit2
