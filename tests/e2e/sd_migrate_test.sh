#!/bin/sh
# svx migrate from supervisord against Debian's supervisor on a
# temporary configuration and socket: a program moved live to each of
# daemontools (a supervisor of its own), runit (built in its scanner's
# directory) and s6 (built in --dir, linked into the scanner's), with its
# environment, directory, stop signal, output and wanted state; never two
# copies at once (sigrec's ./one-copy lock: a second copy logs
# "overlap"); gone from supervisord and from its configuration, so a
# restart of supervisord would not start it again. A move that fails
# under the target rolls back: the program RUNNING in supervisord, the
# configuration byte for byte as it was. --dry-run changes nothing; a
# group of several programs is refused.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

# program NAME [OPTIONS...]: [program:NAME] in conf.d/NAME.conf, running
# sigrec in its own directory T/NAME.wd (one copy at a time), saying its
# GREETING on stdout first.
program() {
	_name=$1
	shift
	mkdir -p "$T/$_name.wd"
	touch "$T/$_name.wd/one-copy"
	{
		printf '; the %s program\n[program:%s]\n' "$_name" "$_name"
		printf "command=/bin/sh -c 'echo \"greeting \$GREETING\"; exec %s %s'\n" \
			"$SIGREC" "$T/$_name.log"
		printf 'directory=%s\nenvironment=GREETING="hello, %s",WHERE=%%(here)s\n' \
			"$T/$_name.wd" "$_name"
		for _o in "$@"; do printf '%s\n' "$_o"; done
	} >"$T/conf.d/$_name.conf"
	cp "$T/conf.d/$_name.conf" "$T/$_name.conf.orig"
}

oneTimeSetUp() {
	suite_begin sd-migrate
	chmod 755 "$T"
	command -v supervisord >/dev/null || return 0
	mkdir -p "$T/conf.d"
	{
		supervisord_conf
		cat <<EOF
[include]
files = conf.d/*.conf

; A second [supervisord]: configparser merges them, as svx reads them.
[supervisord]
environment=SUITE="sd-migrate"

[group:pair]
programs=pa,pb
EOF
	} >"$T/sd.conf"
	program dt startsecs=1 stopwaitsecs=5
	program rn startsecs=1 stopsignal=QUIT redirect_stderr=true
	# No directory= of its own: it runs where supervisord runs (T).
	sed -i '/^directory=/d' "$T/conf.d/rn.conf"
	cp "$T/conf.d/rn.conf" "$T/rn.conf.orig"
	touch "$T/one-copy"
	# Linked in, as Debian's conf.d often is: the link must stay one.
	mkdir -p "$T/available"
	mv "$T/conf.d/rn.conf" "$T/available/rn.conf"
	ln -s ../available/rn.conf "$T/conf.d/rn.conf"
	program s6p autostart=false stopsignal=HUP
	# Runs only under supervisord: under any other supervisor it exits.
	program bad startsecs=1
	cat >"$T/conf.d/bad.conf" <<EOF
[program:bad]
command=/bin/sh -c '[ -n "\$SUPERVISOR_ENABLED" ] || exit 3; exec $SIGREC $T/bad.log'
directory=$T/bad.wd
startsecs=1
EOF
	cp "$T/conf.d/bad.conf" "$T/bad.conf.orig"
	program dry startsecs=1
	program piped startsecs=1
	program pa autostart=false
	# Another user's program (nobody): its files where nobody may write.
	if [ "$(id -u)" -eq 0 ]; then
		mkdir -p "$T/u"
		chmod 777 "$T/u"
		touch "$T/u/one-copy"
		cat >"$T/conf.d/usr.conf" <<EOF
[program:usr]
command=$SIGREC $T/u/usr.log
directory=$T/u
user=nobody
startsecs=1
EOF
	fi
	program pb autostart=false
	# Ignores TERM: supervisord holds it STOPPING for stopwaitsecs.
	program lk startsecs=1 stopwaitsecs=5
	touch "$T/lk.wd/ignore-term"
	start_supervisord
	for p in dt rn bad dry piped lk $([ "$(id -u)" -eq 0 ] && echo usr); do
		wait_for 20 sd_says "$p" RUNNING || fail "$p never RUNNING"
	done
}

# One supervisord for the whole suite: cleanup at the end only.
tearDown() {
	cd / || true
}

setUp() {
	command -v supervisord >/dev/null || fail "supervisor not installed"
	enter_workdir
}

ctl() {
	supervisorctl -s "unix://$T/sd.sock" "$@" 2>/dev/null
}

sd_says() {
	ctl status "$1" | grep -q "^$1 *$2 "
}

# Gone from supervisord: no process, nothing in its loaded configuration.
gone_from_supervisord() {
	ctl status "$1" | grep -q "no such process" || return 1
	! ctl avail | grep -q "^$1 "
}

# Every line of [program:NAME] commented out, nothing else changed.
commented_out() {
	sed 's/^; svx migrate: //' "$T/conf.d/$1.conf" |
		cmp -s - "$T/$1.conf.orig" || return 1
	! grep -q '^\[program' "$T/conf.d/$1.conf"
}

last_pid() {
	sed -n 's/^start //p' "$T/$1.log" | tail -n 1
}

no_overlap() {
	! grep -q overlap "$T/$1.log"
}

# says LINE: the report has a line starting so (a basic regex).
says() {
	grep -q "^$1" "$W/report" || fail "$(cat "$W/report")"
}

# stopped_by SIG NAME DIR BACKEND: svx down sends SIG, not SIGTERM, to
# the program (sigrec records it and goes on; SIGKILL ends it).
stopped_by() {
	_pid=$(last_pid "$2")
	"$SVX" down "$3" || fail "down"
	wait_for 10 grep -qx "$1 $_pid" "$T/$2.log" ||
		fail "no $1: $(cat "$T/$2.log")"
	grep -q "TERM $_pid" "$T/$2.log" && fail "TERM as well"
	"$SVX" kill "$3" || fail "kill"
	wait_for 10 status_has "$3" "$4 down" || fail "not down"
}

# migrate TO NAME ARGS...: the report in W/report, its exit in rc, the
# supervisors svx started tracked.
migrate() {
	_to=$1 _name=$2
	shift 2
	"$SVX" migrate --to "$_to" "$@" "supervisord:$_name" >"$W/report" 2>&1
	rc=$?
	track_started "$W/report"
}

test_to_daemontools_with_a_supervisor_of_its_own() {
	have_backend daemontools || { skip_test; return; }
	old=$(last_pid dt)
	migrate daemontools dt --dir "$W/sv"
	assertEquals "exit: stopwaitsecs lost: $(cat "$W/report")" 1 "$rc"
	says "supervisord:dt: lost: stopwaitsecs: "
	says "supervisord:dt: done: daemontools, wanted up, at $W/sv/dt$"
	status_has "$W/sv/dt" "daemontools up" ||
		fail "$("$SVX" status "$W/sv/dt")"
	"$C/svstat" "$W/sv/dt" | grep -q ": up (pid " || fail "svstat"
	new=$(last_pid dt)
	[ "$new" != "$old" ] || fail "the same process"
	kill -0 "$old" 2>/dev/null && fail "supervisord's copy still runs"
	no_overlap dt || fail "two copies at once"
	gone_from_supervisord dt || fail "still in supervisord"
	commented_out dt || fail "$(cat "$T/conf.d/dt.conf")"
	[ -e "$T/conf.d/.dt.conf.svx-migrate" ] && fail "original left"
	# Its environment, its directory and its output, under multilog.
	wait_for 10 grep -q "greeting hello, dt" "$W/sv/dt/log/main/current" ||
		fail "log: $(cat "$W/sv/dt/log/main/current")"
	assertEquals "cwd" "$T/dt.wd" "$(readlink "/proc/$new/cwd")"
	# What it inherited from supervisord: PATH, umask, [supervisord]
	# environment=; then its own environment=.
	tr '\0' '\n' <"/proc/$new/environ" >"$W/env"
	grep -qx "WHERE=$T/conf.d" "$W/env" || fail "%(here)s"
	grep -qx "GREETING=hello, dt" "$W/env" || fail "environment="
	grep -qx "SUITE=sd-migrate" "$W/env" || fail "[supervisord] environment="
	assertEquals "PATH" "$(tr '\0' '\n' <"/proc/$SD/environ" | grep '^PATH=')" \
		"$(grep '^PATH=' "$W/env")"
	assertEquals "umask" "$(grep '^Umask:' "/proc/$SD/status")" \
		"$(grep '^Umask:' "/proc/$new/status")"
	grep -qx "exec multilog s16777215 n10 ./main" "$W/sv/dt/log/run" ||
		fail "log/run: $(cat "$W/sv/dt/log/run")"
}

test_to_runit_in_its_scanners_directory() {
	have_backend runit || { skip_test; return; }
	scanner runit "$W/scan"
	old=$(last_pid rn)
	migrate runit rn --scandir "$W/scan"
	assertEquals "exit: $(cat "$W/report")" 0 "$rc"
	says "supervisord:rn: translated: stopsignal: control/t"
	says "supervisord:rn: done: runit, wanted up, at $W/scan/rn$"
	"$C/sv" status "$W/scan/rn" | grep -q "^run: " ||
		fail "$("$C/sv" status "$W/scan/rn")"
	sv status "$W/scan/rn" | grep -q "^run: $W/scan/rn: (pid " ||
		fail "native sv: $(sv status "$W/scan/rn")"
	no_overlap rn || fail "two copies at once"
	gone_from_supervisord rn || fail "still in supervisord"
	commented_out rn || fail "$(cat "$T/conf.d/rn.conf")"
	[ -L "$T/conf.d/rn.conf" ] || fail "the link became a file"
	[ -e "$T/available/.rn.conf.svx-migrate" ] && fail "original left"
	[ -e "$W/scan/.rn.svx-migrate" ] && fail "dot-name left"
	assertEquals "supervisord's working directory" "$T" \
		"$(readlink "/proc/$(last_pid rn)/cwd")"
	[ "$(last_pid rn)" != "$old" ] || fail "the same process"
	# supervisord's stopsignal=QUIT, through runit's control/t.
	stopped_by QUIT rn "$W/scan/rn" runit
	"$SVX" -w 10 up "$W/scan/rn" || fail "up again"
	wait_for 10 grep -q "greeting hello, rn" "$W/scan/rn/log/main/current" ||
		fail "svlogd: nothing logged"
	assertEquals "svlogd's config" "s52428800
n10" "$(cat "$W/scan/rn/log/main/config")"
}

test_to_s6_wanted_down_linked_from_its_scanner() {
	have_backend s6 || { skip_test; return; }
	scanner s6 "$W/scan"
	sd_says s6p STOPPED || fail "s6p is not STOPPED in supervisord"
	migrate s6 s6p --dir "$W/sv" --scandir "$W/scan"
	assertEquals "exit: $(cat "$W/report")" 0 "$rc"
	says "supervisord:s6p: done: s6, wanted down, at $W/scan/s6p$"
	assertEquals "link" "$W/sv/s6p" "$(readlink "$W/scan/s6p")"
	assertEquals "s6-svstat" "false" "$(s6-svstat -o up "$W/scan/s6p")"
	[ -e "$W/sv/s6p/down" ] || fail "autostart=false: no ./down"
	assertEquals "down-signal" "SIGHUP" "$(cat "$W/sv/s6p/down-signal")"
	assertEquals "timeout-kill" "10000" "$(cat "$W/sv/s6p/timeout-kill")"
	[ -s "$T/s6p.log" ] && fail "it ran: $(cat "$T/s6p.log")"
	gone_from_supervisord s6p || fail "still in supervisord"
	commented_out s6p || fail "$(cat "$T/conf.d/s6p.conf")"
	"$SVX" -w 10 up "$W/scan/s6p" || fail "up under s6"
	# Up can be said a moment before the program logs its start.
	wait_for 10 grep -q "^start " "$T/s6p.log" || fail "no start"
	stopped_by HUP s6p "$W/scan/s6p" s6
}

test_a_failed_move_rolls_back() {
	have_backend runit || { skip_test; return; }
	old=$(last_pid bad)
	migrate runit bad --dir "$W/sv" -w 5
	assertEquals "exit: $(cat "$W/report")" 111 "$rc"
	says "supervisord:bad: failed: rolling back to supervisord$"
	says "supervisord:bad: rolled back: supervisord again, wanted up$"
	sd_says bad RUNNING || fail "not RUNNING in supervisord: $(ctl status bad)"
	[ "$(last_pid bad)" != "$old" ] || fail "not started again"
	cmp -s "$T/conf.d/bad.conf" "$T/bad.conf.orig" ||
		fail "configuration not restored: $(cat "$T/conf.d/bad.conf")"
	[ -e "$T/conf.d/.bad.conf.svx-migrate" ] && fail "original left"
	[ -e "$W/sv" ] && fail "directory left: $(ls -a "$W/sv")"
	no_overlap bad || fail "two copies at once"
}

# The report piped to a reader that leaves after one line (SIGPIPE):
# the move goes on to the end. --dir relative to the working directory.
test_a_closed_pipe_does_not_stop_the_move() {
	have_backend s6 || { skip_test; return; }
	"$SVX" migrate --to s6 --dir sv supervisord:piped | head -n 1 \
		>"$W/first"
	grep -q "^supervisord:piped: plan: " "$W/first" ||
		fail "$(cat "$W/first")"
	wait_for 20 status_has "$W/sv/piped" "s6 up" ||
		fail "not up under s6: $("$SVX" status "$W/sv/piped")"
	# Its report went to head: its supervisors, found by where they run.
	for p in $(pids_in "$W/sv/piped") $(pids_in "$W/sv/piped/log"); do
		track_pid "$p"
	done
	wait_for 10 gone_from_supervisord piped || fail "still in supervisord"
	commented_out piped || fail "$(cat "$T/conf.d/piped.conf")"
	wait_for 10 sh -c '! ls -A "$1" | grep -q svx-migrate' x "$T/conf.d" ||
		fail "original left: $(ls -A "$T/conf.d")"
	no_overlap piped || fail "two copies at once"
}

# user=: the same user under the target (chpst -u), from a root svx.
# One migration of a program at a time, though it has no directory to
# lock before it is built: the second is refused at once, changes
# nothing and tells no rollback. The first is held STOPPING by its
# program, which ignores TERM until supervisord kills it (stopwaitsecs).
test_second_migration_of_a_program_refused() {
	have_backend runit || { skip_test; return; }
	scanner runit "$W/scan"
	"$SVX" migrate --to runit --scandir "$W/scan" supervisord:lk \
		>"$W/first" 2>&1 &
	first=$!
	track_pid "$first"
	wait_for 10 sd_says lk STOPPING || fail "never stopping: $(cat "$W/first")"
	migrate runit lk --scandir "$W/scan"
	assertEquals "second: $(cat "$W/report")" 111 "$rc"
	assertEquals "supervisord:lk: error: another svx migrate is moving it; nothing done" \
		"$(cat "$W/report")"
	wait "$first"
	# Exit 1: moved, stopwaitsecs lost.
	assertEquals "first: $(cat "$W/first")" 1 $?
	track_started "$W/first"
	grep -q "^supervisord:lk: done: runit, wanted up, at $W/scan/lk$" \
		"$W/first" || fail "first: $(cat "$W/first")"
	grep -q "rollback\|rolled back" "$W/first" && fail "a rollback told"
	gone_from_supervisord lk || fail "still in supervisord"
	no_overlap lk || fail "two copies at once"
}

test_a_program_of_another_user() {
	{ [ "$(id -u)" -eq 0 ] && have_backend runit; } || {
		skip_test
		return
	}
	migrate runit usr --dir "$W/sv"
	assertEquals "exit: $(cat "$W/report")" 0 "$rc"
	says "supervisord:usr: translated: user: run: chpst -u"
	grep -qx "exec chpst -u 'nobody' '$SIGREC' '$T/u/usr.log'" \
		"$W/sv/usr/run" || fail "$(cat "$W/sv/usr/run")"
	wait_for 10 status_has "$W/sv/usr" "runit up" || fail "not up"
	wait_for 10 sh -c '[ "$(grep -c "^start " "$1")" -ge 2 ]' x \
		"$T/u/usr.log" || fail "no new start: $(cat "$T/u/usr.log")"
	pid=$(sed -n 's/^start //p' "$T/u/usr.log" | tail -n 1)
	assertEquals "its user" "$(id -u nobody)" \
		"$(awk '/^Uid:/ { print $3 }' "/proc/$pid/status")"
	no_overlap u/usr || fail "two copies at once"
}

test_dry_run_changes_nothing() {
	old=$(last_pid dry)
	migrate s6 dry --dir "$W/sv" --dry-run
	assertEquals "exit: $(cat "$W/report")" 0 "$rc"
	says "supervisord:dry: would write: run: export GREETING='hello, dry'$"
	says "supervisord:dry: would write: log/run: exec s6-log s52428800 n10 ./main$"
	sd_says dry RUNNING || fail "not RUNNING"
	assertEquals "same process" "$old" "$(last_pid dry)"
	cmp -s "$T/conf.d/dry.conf" "$T/dry.conf.orig" || fail "edited"
	[ -e "$W/sv" ] && fail "made $W/sv"
	return 0
}

test_refusals() {
	migrate runit pair:pa --dir "$W/sv"
	assertEquals "a group of two" 111 "$rc"
	says "supervisord:pair:pa: error: its group pair has 2 programs"
	migrate runit dry
	assertEquals "nowhere to go" 111 "$rc"
	says "supervisord:dry: error: say where its service directory goes"
	mkdir -p "$W/sv/dry"
	migrate runit dry --dir "$W/sv"
	assertEquals "taken" 111 "$rc"
	says "supervisord:dry: error: $W/sv/dry exists already$"
	migrate runit nope --dir "$W/sv"
	assertEquals "no such program" 111 "$rc"
	says ".*supervisord:nope: no such program"
	# A file changed since supervisord read it: what it runs is not
	# what the file says.
	sed -i 's|^command=/bin/sh|command=/bin/dash|' "$T/conf.d/dry.conf"
	migrate runit dry --dir "$W/sv2"
	assertEquals "file changed" 111 "$rc"
	says "supervisord:dry: error: supervisord's files differ from what it runs"
	cp "$T/dry.conf.orig" "$T/conf.d/dry.conf"
	"$SVX" migrate --to runit --dir "$W/sv" "$W/sv/dry" 2>"$W/err"
	assertEquals "--dir with a directory" 100 $?
	sd_says dry RUNNING || fail "dry touched"
	cmp -s "$T/conf.d/dry.conf" "$T/dry.conf.orig" || fail "edited"
}

. shunit2
