#!/bin/sh
# svx log against each backend's own logger, started the way a scanner
# starts it (svscan and s6-svscan pipe a service into its log/; runsv does
# it itself): multilog (daemontools, encore's own), svlogd (runit), s6-log
# (s6). A line the service writes shows in `svx log -n 1` with the local
# time tai64nlocal (s6-tai64nlocal for s6-log) gives its stamp; `svx log
# -f` prints the next line within 100 ms, keeps following after the
# logger rotates (`svx alarm SERVICE/log`), prints nothing twice, and
# ends with exit 0 on SIGTERM and when its reader goes away. Bad input
# gets one line naming the service and its exit code, and changes
# nothing.
#
# The human-readable stamps, from the real loggers under their scanners:
# svlogd's UTC -tt and -ttt shown in local time (five digits kept),
# s6-log's T (local already) as written.
#
# not tested here: supervisord programs (supervisord_test.sh).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin log
}

# The service: says "started", then echoes each line written to its
# FIFO ./in (each writer's open waits for it to read).
make_talker() {
	mkdir -p "$1/log"
	mkfifo "$1/in"
	printf '#!/bin/sh\nexec 2>&1\necho started\nwhile :; do\n\tread -r l <./in && echo "$l"\ndone\n' >"$1/run"
	chmod 755 "$1/run"
	printf '#!/bin/sh\nexec %s\n' "$2" >"$1/log/run"
	chmod 755 "$1/log/run"
}

# scan_with PROG DIR [PATH]: a scanner on DIR, from /, tracked by pid.
scan_with() {
	_pid=$(env PATH="${3:-$PATH}" "$LAUNCH" -o "$2.out" -C / "$1" "$2") ||
		fail "start $1"
	track_pid "$_pid"
}

has_line() {
	grep -qx -- "$2" "$1" 2>/dev/null
}

ends_with() {
	[ "$("$SVX" log -n 1 "$1" 2>/dev/null | sed 's/^[^ ]* [^ ]* //')" = "$2" ]
}

rotated() {
	ls "$1" | grep -q '^@[0-9a-f]\{24\}\.s$'
}

# wait_ms MS COMMAND...: COMMAND true within MS milliseconds, checked
# without pausing (the measured latency is the bound's).
wait_ms() {
	_limit=$(( $(now_ms) + $1 ))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$_limit" ] && return 1
	done
	return 0
}

# check_backend NAME LOGGER-COMMAND NATIVE-TAI64NLOCAL: the whole story on
# W/scan/talk, already started.
check_backend() {
	svc=$W/scan/talk
	wait_for 20 ends_with "$svc" started ||
		fail "$1: no 'started' in the log: $(ls -l "$svc/log/main" 2>&1)"

	# -n 1: the service's line, stamped in local time as the native
	# tool reads the logger's stamp.
	"$SVX" log -n 1 "$svc" >"$W/n1" 2>"$W/n1.err"
	assertEquals "$1: log -n 1 exit" 0 $?
	assertEquals "$1: log -n 1" "$(tail -n 1 "$svc/log/main/current" |
		$3)" "$(cat "$W/n1")"
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} started$' \
		"$W/n1" || fail "$1: not a local stamp: $(cat "$W/n1")"
	assertEquals "$1: stderr" "" "$(cat "$W/n1.err")"

	# -f: what comes next, within 100 ms.
	"$SVX" log -f "$svc" >"$W/f.out" 2>"$W/f.err" &
	fpid=$!
	track_pid "$fpid"
	wait_for 5 grep -q ' started$' "$W/f.out" || fail "$1: -f: no start"
	# The best of three: the machine is shared with other suites, and
	# the poll below keeps a CPU busy.
	best=999999 sent=
	for try in 1 2 3; do
		sent="$sent ping1.$try"
		t0=$(now_ms)
		echo "ping1.$try" >"$svc/in"
		wait_ms 2000 grep -q " ping1\.$try\$" "$W/f.out" ||
			fail "$1: -f: no ping1.$try"
		took=$(( $(now_ms) - t0 ))
		[ "$took" -lt "$best" ] && best=$took
		[ "$best" -le 100 ] && break
	done
	echo "# $1: -f printed the line after $best ms"
	[ "$best" -le 100 ] || fail "$1: -f printed ping1 after $best ms"

	# The logger rotates: -f goes on in the new current.
	"$SVX" alarm "$svc/log" || fail "$1: alarm the logger"
	wait_for 5 rotated "$svc/log/main" || fail "$1: no rotation"
	echo ping2 >"$svc/in"
	wait_ms 2000 grep -q ' ping2$' "$W/f.out" ||
		fail "$1: -f lost the log at rotation: $(cat "$W/f.out")"
	echo ping3 >"$svc/in"
	wait_ms 2000 grep -q ' ping3$' "$W/f.out" || fail "$1: no ping3"
	assertEquals "$1: a line printed twice" "" \
		"$(sed 's/^[^ ]* [^ ]* //' "$W/f.out" | grep -v '^started$' |
		sort | uniq -d)"

	# SIGTERM ends it, exit 0.
	kill -TERM "$fpid"
	wait "$fpid"
	assertEquals "$1: -f on SIGTERM" 0 $?
	assertEquals "$1: -f stderr" "" "$(cat "$W/f.err")"

	# All of it, across the rotated file, in order.
	"$SVX" log "$svc" | sed 's/^[^ ]* [^ ]* //' >"$W/all"
	assertEquals "$1: log across rotation" "started$sent ping2 ping3 " \
		"$(tr '\n' ' ' <"$W/all")"

	# status -l: the status line, then the last lines, indented.
	"$SVX" status -l -n 2 "$svc" >"$W/sl"
	assertEquals "$1: status -l exit" 0 $?
	head -n 1 "$W/sl" | grep -q "^$svc: $1 up" || fail "$1: $(cat "$W/sl")"
	assertEquals "$1: status -l lines" "ping2 ping3 " \
		"$(sed -n '2,$s/^    [^ ]* [^ ]* //p' "$W/sl" | tr '\n' ' ')"

	# A reader that goes away ends -f as well, exit 0.
	( "$SVX" log -f "$svc"; echo "rc=$?" >"$W/pipe.rc" ) | head -n 1 \
		>/dev/null
	wait_for 5 test -s "$W/pipe.rc" || fail "$1: -f outlived its reader"
	assertEquals "$1: -f, reader gone" "rc=0" "$(cat "$W/pipe.rc")"
}

test_daemontools_multilog() {
	have_backend daemontools || { skip_test; return; }
	enter_workdir
	make_talker "$W/scan/talk" "multilog t ./main"
	scan_with svscan "$W/scan"
	check_backend daemontools "multilog t ./main" tai64nlocal
}

test_encore_multilog() {
	[ -n "${ENCORE_BIN:-}" ] && [ -x "$ENCORE_BIN/svscan" ] ||
		{ skip_test; return; }
	enter_workdir
	make_talker "$W/scan/talk" "$ENCORE_BIN/multilog t ./main"
	scan_with svscan "$W/scan" "$ENCORE_BIN:$PATH"
	check_backend encore "multilog t ./main" "$ENCORE_BIN/tai64nlocal"
}

test_runit_svlogd() {
	have_backend runit || { skip_test; return; }
	enter_workdir
	make_talker "$W/scan/talk" "svlogd -t ./main"
	mkdir "$W/scan/talk/log/main"	# svlogd makes none
	scan_with runsvdir "$W/scan"
	check_backend runit "svlogd -t ./main" tai64nlocal
}

test_s6_s6log() {
	have_backend s6 || { skip_test; return; }
	enter_workdir
	make_talker "$W/scan/talk" "s6-log t ./main"
	scan_with s6-svscan "$W/scan"
	check_backend s6 "s6-log t ./main" s6-tai64nlocal
}

# A service that says "started" once, through LOGGER-COMMAND.
make_sayer() {
	mkdir -p "$1/log/main"
	printf '#!/bin/sh\nexec 2>&1\necho started\nexec sleep 100000\n' \
		>"$1/run"
	printf '#!/bin/sh\nexec %s\n' "$2" >"$1/log/run"
	chmod 755 "$1/run" "$1/log/run"
}

# svlogd's UTC stamp STAMP ("YYYY-MM-DD_HH:MM:SS.xxxxx" or with T) as
# local time in TZ, as svx should show it.
utc_to_local() {
	_frac=${2#*.}
	_when=$(echo "$2" | cut -c1-19 | tr '_T' '  ')
	echo "$(TZ=$1 date -d "$_when UTC" '+%Y-%m-%d %H:%M:%S').$_frac"
}

test_human_stamps() {
	have_backend runit && have_backend s6 || { skip_test; return; }
	enter_workdir
	make_sayer "$W/rscan/tt" "svlogd -tt ./main"
	make_sayer "$W/rscan/ttt" "svlogd -ttt ./main"
	make_sayer "$W/sscan/T" "s6-log T ./main"
	scan_with runsvdir "$W/rscan"
	scan_with s6-svscan "$W/sscan"
	for _s in rscan/tt rscan/ttt sscan/T; do
		wait_for 20 has_line_end "$W/$_s/log/main/current" " started" ||
			fail "$_s: nothing logged"
	done
	# svlogd writes UTC whatever TZ says; svx shows it in its own zone.
	for _o in tt ttt; do
		_line=$(tail -n 1 "$W/rscan/$_o/log/main/current")
		_stamp=${_line%% *}
		assertEquals "svlogd -$_o" \
			"$(utc_to_local Asia/Kolkata "$_stamp") started" \
			"$(TZ=Asia/Kolkata "$SVX" log -n 1 "$W/rscan/$_o")"
	done
	# s6-log T: local time with no offset: as written, in any zone.
	assertEquals "s6-log T" "$(tail -n 1 "$W/sscan/T/log/main/current")" \
		"$(TZ=Asia/Kolkata "$SVX" log -n 1 "$W/sscan/T")"
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}\.[0-9]{9}  started$' \
		"$W/sscan/T/log/main/current" ||
		fail "s6-log T: $(cat "$W/sscan/T/log/main/current")"
}

# has_line_end FILE TEXT: FILE's last line ends with TEXT.
has_line_end() {
	case $(tail -n 1 "$1" 2>/dev/null) in *"$2") return 0 ;; esac
	return 1
}

# one_error COMMAND...: exactly one line on stderr, nothing on stdout.
one_error() {
	"$SVX" "$@" >"$T/e.out" 2>"$T/e.err"
	rc=$?
	assertEquals "$*: stdout" "" "$(cat "$T/e.out")"
	assertEquals "$*: one line" 1 "$(wc -l <"$T/e.err")"
	return $rc
}

test_bad_input() {
	enter_workdir
	mkdir -p nolog weird/log odd/log many/log many/log/a
	printf '#!/bin/sh\nexec cat >>./out\n' >weird/log/run
	printf '#!/bin/sh\nexec svlogd "$D"\n' >odd/log/run
	printf '#!/bin/sh\nexec svlogd -t ./a ./b\n' >many/log/run
	printf '@400000006b14d23a2f41e0a4 hello\n' >many/log/a/current
	before=$(find . -exec stat -c '%n %s %Y %i' {} + | sort)

	one_error log ./nolog
	assertEquals "no log/: exit" 1 $?
	grep -q '^svx: ./nolog: no log/' "$T/e.err" || fail "$(cat "$T/e.err")"
	one_error log ./weird
	assertEquals "unknown logger: exit" 103 $?
	grep -q '^svx: ./weird: log/run: .*not svlogd, multilog or s6-log' \
		"$T/e.err" || fail "$(cat "$T/e.err")"
	one_error log ./odd
	assertEquals "variable: exit" 103 $?
	grep -q '^svx: ./odd: log/run: .*variables' "$T/e.err" ||
		fail "$(cat "$T/e.err")"
	one_error log ./missing
	assertEquals "no such service: exit" 102 $?
	one_error log -n many ./many
	assertEquals "-n: exit" 100 $?
	one_error log --since yesterday-ish ./many
	assertEquals "--since: exit" 100 $?
	one_error log -f ./many ./weird
	assertEquals "-f two services: exit" 100 $?
	one_error log
	assertEquals "no service: exit" 100 $?

	# Several directories: the first, said on stderr.
	out=$(TZ=UTC "$SVX" log ./many 2>"$T/e.err")
	assertEquals "first directory" \
		"2026-12-06 03:10:40.792846500 hello" "$out"
	grep -q "writes 2 directories; showing the first, ./a" "$T/e.err" ||
		fail "$(cat "$T/e.err")"
	# ./b does not exist: nothing was made.
	after=$(find . -exec stat -c '%n %s %Y %i' {} + | sort)
	assertEquals "nothing changed" "$before" "$after"

	# A planted symlink is not followed.
	mkdir -p planted/log/main
	printf '#!/bin/sh\nexec multilog t ./main\n' >planted/log/run
	ln -s /etc/shadow planted/log/main/@400000006b14d2492b953424.s
	one_error log ./planted
	assertEquals "symlink: exit" 111 $?
	grep -q '^svx: ./planted: ./main/@400000006b14d2492b953424.s: not a regular file$' \
		"$T/e.err" || fail "$(cat "$T/e.err")"
}

. shunit2
