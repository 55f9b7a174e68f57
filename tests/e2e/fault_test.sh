#!/bin/sh
# Faults and hostile input, against one real supervisor:
#   BACKEND=daemontools|runit|s6|encore SVX_BUILD=build sh fault_test.sh
#
# A stopped supervisor, control FIFOs replaced by other files, status
# files of every length, odd paths and names, 200 concurrent commands,
# unwritable stdout, an unprivileged user. What must hold every time: a
# bounded answer, a one-line message naming the service and the cause,
# the documented exit code, and nothing written where svx should not
# write. The cases that need no supervisor (fake FIFOs, paths) run once,
# with BACKEND=runit.
#
# The supervisor killed during a wait is wait_test.sh's
# test_supervisor_killed_during_a_wait ("supervisor died", exit 102).

: "${BACKEND:?set BACKEND}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin faults-$BACKEND
	chmod 755 "$T"
}

setUp() {
	n=$((n + 1))
	D=$T/s$n
}

tearDown() {
	# A test may leave its supervisor stopped: let cleanup reach it.
	[ -f "$D.supervisor.pid" ] &&
		kill -CONT "$(supervisor_pid "$D")" 2>/dev/null
	cd / || true
	cleanup_processes
}

once_only() {
	[ "$BACKEND" = runit ]
}

live_service() {
	make_service "$D"
	start_supervisor "$BACKEND" "$D" || fail "cannot start $BACKEND"
	track_service "$D" || fail "service never started"
	# Logged before recorded: runsv and s6-supervise write the record
	# after the fork.
	wait_for 10 status_has "$D" "$BACKEND up" || fail "never recorded up"
}

# took_ms COMMAND...: run it, leave its exit code in rc and its time in ms.
timed() {
	_t0=$(now_ms)
	"$@"
	rc=$?
	took=$(( $(now_ms) - _t0 ))
}

one_line() {
	[ "$(wc -l <"$1")" -eq 1 ] || fail "not one line: $(cat "$1")"
}

test_stopped_supervisor_bounded() {
	live_service
	pid=$(service_pid "$D")
	kill -STOP "$(supervisor_pid "$D")"
	timed "$SVX" -w 2 down "$D" 2>"$T/err"
	assertEquals "exit of a timed-out wait" 1 "$rc"
	[ "$took" -lt 3500 ] || fail "took $took ms for a 2 s bound"
	one_line "$T/err"
	grep -q "^svx: $D: timed out after 2000 ms waiting for down; .*the supervisor has not read [0-9]* bytes* of commands: stopped or hung$" \
		"$T/err" || fail "$(cat "$T/err")"
	# The status file is still the supervisor's own: read, not guessed.
	timed "$SVX" status "$D" >"$T/out" 2>&1
	assertEquals "status" 0 "$rc"
	[ "$took" -lt 1000 ] || fail "status took $took ms"
	grep -q "up (pid $pid)" "$T/out" || fail "$(cat "$T/out")"
	timed "$C/s6-svwait" -t 1000 -D "$D" 2>/dev/null
	assertEquals "s6-svwait timeout" 99 "$rc"
	[ "$took" -lt 2500 ] || fail "s6-svwait took $took ms"
	timed "$C/sv" -w 1 down "$D" >/dev/null 2>&1
	assertEquals "sv -w 1 down: timed out, one service" 1 "$rc"
	[ "$took" -lt 2500 ] || fail "sv -w 1 took $took ms"
	kill -CONT "$(supervisor_pid "$D")"
	wait_for 10 status_has "$D" "down" || fail "the queued down was lost"
}

# replace_control KIND: supervise/control becomes a regular file, a symlink
# to one, or a directory, while the supervisor runs.
replace_control() {
	mv "$D/supervise/control" "$T/control.$n"
	case $1 in
	file) printf keep >"$D/supervise/control" ;;
	symlink) printf target >"$T/target.$n"
		ln -s "$T/target.$n" "$D/supervise/control" ;;
	dir) mkdir "$D/supervise/control" ;;
	esac
}

restore_control() {
	rm -rf "$D/supervise/control"
	mv "$T/control.$n" "$D/supervise/control"
}

test_control_not_a_fifo_is_refused() {
	live_service
	for kind in file symlink dir; do
		replace_control "$kind"
		for tool in "$SVX up" "$SVX -w 2 down" "$C/svc -d" \
			"$C/sv down" "$C/s6-svc -d"; do
			$tool "$D" >"$T/out" 2>&1
			rc=$?
			case $tool in
			*/svc*) assertEquals "$kind: $tool" 0 "$rc" ;;
			*/sv\ *) assertEquals "$kind: $tool" 1 "$rc" ;;
			*/s6-svc*) assertEquals "$kind: $tool" 111 "$rc" ;;
			*) assertEquals "$kind: $tool" 111 "$rc" ;;
			esac
			grep -q "not a FIFO\|unable to control" "$T/out" ||
				fail "$kind: $tool: $(cat "$T/out")"
		done
		case $kind in
		file) assertEquals "file unchanged" keep \
			"$(cat "$D/supervise/control")" ;;
		symlink) assertEquals "target unchanged" target \
			"$(cat "$T/target.$n")" ;;
		dir) assertEquals "directory unchanged" "" \
			"$(ls -A "$D/supervise/control")" ;;
		esac
		restore_control
	done
	status_has "$D" "$BACKEND up" || fail "the service was touched"
	log_has "$D" TERM && fail "a command got through"
	return 0
}

# A service directory whose supervise/ is ours: an ok FIFO held open by a
# process of the test (a live supervisor, as far as the FIFO shows).
fake_supervised() {
	mkdir -p "$D/supervise"
	mkfifo "$D/supervise/ok" "$D/supervise/control"
	: >"$D/supervise/lock"
	_pid=$("$LAUNCH" -o "$D.reader.out" sh -c \
		'exec sleep 100000 <>"$1"' reader "$D/supervise/ok") ||
		fail "reader"
	track_pid "$_pid"
	wait_for 10 sh -c '[ "$(readlink /proc/$1/fd/0)" = "$2" ]' x "$_pid" \
		"$D/supervise/ok" || fail "the reader never opened ok"
}

test_status_files_of_every_length() {
	once_only || { skip_test; return 0; }
	fake_supervised
	len=0
	while [ "$len" -le 64 ]; do
		head -c "$len" /dev/urandom >"$D/supervise/status"
		bytes=$(od -An -tx1 "$D/supervise/status" | tr -d '\n')
		"$SVX" status "$D" >"$T/out" 2>"$T/err"
		rc=$?
		case $rc in
		111)
			one_line "$T/err"
			grep -q "^svx: $D: cannot tell which supervisor owns it: status file" \
				"$T/err" || fail "$len bytes:$bytes: $(cat "$T/err")" ;;
		0)
			# Bytes that happen to be a valid record: only where a
			# format has this length, and shown as a whole line.
			case $len in 18 | 20 | 35 | 40 | 43) ;;
			*) fail "$len bytes:$bytes taken as a state" ;;
			esac
			grep -Eq "^$D: [a-z0-9]+ [a-z]+" "$T/out" ||
				fail "$len bytes:$bytes: $(cat "$T/out")" ;;
		*) fail "$len bytes:$bytes: exit $rc: $(cat "$T/err")" ;;
		esac
		len=$((len + 1))
	done
	# No supervisor: a stale record is never shown as the present.
	cleanup_processes
	cp "$TOP/tests/fixtures/daemontools-up.status" "$D/supervise/status"
	"$SVX" status "$D" >"$T/out" 2>&1
	assertEquals "no supervisor" 102 $?
	grep -q "^$D: unsupervised; stale daemontools status: up" "$T/out" ||
		fail "$(cat "$T/out")"
}

test_odd_paths() {
	once_only || { skip_test; return 0; }
	mkdir -p "$D"
	make_service "$D/dangling"
	ln -s "$T/nowhere" "$D/dangling/supervise"
	"$SVX" up "$D/dangling" 2>"$T/err"
	assertEquals "dangling supervise" 102 $?
	one_line "$T/err"
	grep -q "^svx: $D/dangling: supervisor not running" "$T/err" ||
		fail "$(cat "$T/err")"
	[ -L "$D/dangling/supervise" ] && [ ! -e "$T/nowhere" ] ||
		fail "the symlink's target was created"
	echo data >"$D/file"
	"$SVX" up "$D/file" 2>"$T/err"
	assertEquals "a file" 102 $?
	assertEquals "svx: $D/file: not a directory" "$(cat "$T/err")"
	assertEquals "file unchanged" data "$(cat "$D/file")"
	# status words it as up does: the file is no directory, not its
	# supervise (a FIFO too, never opened).
	mkfifo "$D/fifo"
	for f in file fifo; do
		"$SVX" status "$D/$f" >/dev/null 2>"$T/err"
		assertEquals "status of a $f" 102 $?
		assertEquals "svx: $D/$f: not a directory" "$(cat "$T/err")"
	done
	long=$(printf "%05000d" 0)
	"$SVX" status "$D/$long" 2>"$T/err"
	assertEquals "longer than PATH_MAX" 111 $?
	one_line "$T/err"
	grep -q ": File name too long$" "$T/err" || fail "$(cat "$T/err")"
	"$SVX" down "$D/$long" 2>/dev/null
	assertEquals "longer than PATH_MAX, a command" 111 $?
	# A name longer than NAME_MAX whose first 255 bytes name a service:
	# too long, never that service's status.
	name=$(printf "%0255d" 0)
	ln -s "$D" "$T/$name"
	for format in "" --json --format=prometheus; do
		"$SVX" status $format "$T/${name}x" >"$T/out" 2>"$T/err"
		assertEquals "longer than NAME_MAX $format" 111 $?
		one_line "$T/err"
		grep -q ": File name too long$" "$T/err" || fail "$(cat "$T/err")"
		grep -q "$name" "$T/out" && fail "a row: $(cat "$T/out")"
	done
	rm -f "$T/$name"
}

test_odd_names_are_escaped() {
	once_only || { skip_test; return 0; }
	mkdir -p "$D"
	cd "$D" || fail "cd"
	esc=$(printf '\033')
	for name in "sp ace" "new
line" "esc${esc}[31mred" "back\\slash"; do
		# make_service's run script would split such a name.
		mkdir -p "$D/$name"
		printf '#!/bin/sh\nexec sleep 100000\n' >"$D/$name/run"
		chmod 755 "$D/$name/run"
		start_supervisor "$BACKEND" "$D/$name" || fail "$name"
		wait_for 10 status_has "$D/$name" "runit up" || fail "$name"
	done
	"$SVX" status "sp ace" "new
line" "esc${esc}[31mred" "back\\slash" >"$T/out" 2>&1
	assertEquals "status" 0 $?
	assertEquals "lines" 4 "$(wc -l <"$T/out")"
	grep -q "$esc" "$T/out" && fail "an escape sequence reached the terminal"
	grep -q '^new\\x0aline: runit up' "$T/out" || fail "$(cat "$T/out")"
	grep -q '^esc\\x1b\[31mred: runit up' "$T/out" || fail "$(cat "$T/out")"
	grep -q '^back\\\\slash: runit up' "$T/out" || fail "$(cat "$T/out")"
	grep -q '^sp ace: runit up' "$T/out" || fail "$(cat "$T/out")"
	"$SVX" up "esc${esc}[31mnone" 2>"$T/err"
	grep -q "$esc" "$T/err" && fail "an escape sequence in an error"
	one_line "$T/err"
	# A cause naming the path escapes it as the name is: one line, no
	# escape sequence (disable's cause names the scan directory entry).
	mkdir -p "$D/scan/new
line" "$D/scan/esc${esc}[31mdir"
	for name in "new
line" "esc${esc}[31mdir"; do
		printf '#!/bin/sh\n' >"$D/scan/$name/run"
		chmod 755 "$D/scan/$name/run"
		"$SVX" disable --scandir "$D/scan" "$D/scan/$name" >"$T/out" \
			2>"$T/err"
		assertEquals "disable: exit" 100 $?
		one_line "$T/err"
		grep -q "$esc" "$T/err" && fail "an escape sequence in a cause"
		grep -q "is a directory, not a link" "$T/err" ||
			fail "$(cat "$T/err")"
	done
}

# 200 commands at once into one FIFO: each is one write of less than
# PIPE_BUF, so none may be lost or torn. The FIFO is read by cat, which
# keeps every byte.
test_200_concurrent_commands_none_lost() {
	once_only || { skip_test; return 0; }
	fake_supervised
	cp "$TOP/tests/fixtures/daemontools-up.status" "$D/supervise/status"
	_pid=$("$LAUNCH" -o "$T/captured" sh -c 'exec cat <>"$1"' cat \
		"$D/supervise/control") || fail "cat"
	track_pid "$_pid"
	# The reader has the FIFO open (its stdin) before the first write.
	wait_for 10 sh -c '[ "$(readlink /proc/$1/fd/0)" = "$2" ]' x "$_pid" \
		"$D/supervise/control" || fail "the reader never opened control"
	i=0
	while [ "$i" -lt 200 ]; do
		"$SVX" hup "$D" 2>>"$T/errs" &
		i=$((i + 1))
	done
	wait
	assertEquals "errors" "" "$(cat "$T/errs")"
	wait_for 10 sh -c '[ "$(wc -c <"$1")" -ge 200 ]' x "$T/captured" ||
		fail "only $(wc -c <"$T/captured") bytes arrived"
	assertEquals "200 h, nothing else" 200 "$(tr -cd h <"$T/captured" |
		wc -c)"
	assertEquals "bytes" 200 "$(wc -c <"$T/captured")"
}

# The same against the real supervisor, with status read all along: every
# command is taken (exit 0), every status is whole (the same pid).
test_200_concurrent_commands_real_supervisor() {
	live_service
	pid=$(service_pid "$D")
	# The service logs its start before s6-supervise may have written
	# the record that says so: every read below must find it up.
	wait_for 10 sh -c '[ "$("$1" -o pid,state status "$2")" = "$3 up" ]' \
		x "$SVX" "$D" "$pid" || fail "never up: $("$SVX" status "$D")"
	i=0
	while [ "$i" -lt 200 ]; do
		{ "$SVX" hup "$D" || echo "hup $?"; } >>"$T/errs" 2>&1 &
		{ "$SVX" -o pid,state status "$D" >"$T/st.$i" 2>&1 ||
			echo "status $?"; } >>"$T/errs" 2>&1 &
		i=$((i + 1))
	done
	wait
	assertEquals "failures" "" "$(cat "$T/errs")"
	assertEquals "every status whole and the same" "200 $pid up" \
		"$(cat "$T"/st.* | sort | uniq -c | sed 's/^ *//')"
	wait_for 10 log_has "$D" HUP || fail "no HUP reached the service"
	assertEquals "still the same process" "$pid" "$(service_pid "$D")"
}

test_unwritable_stdout() {
	live_service
	for tool in "$SVX status" "$C/svstat" "$C/sv status" "$C/s6-svstat"; do
		$tool "$D" >/dev/full 2>"$T/err"
		rc=$?
		[ "$rc" -ne 0 ] || fail "$tool >/dev/full: exit 0"
		grep -q "No space left on device\|out of disk space" "$T/err" ||
			fail "$tool >/dev/full: $(cat "$T/err")"
		$tool "$D" >&- 2>"$T/err"
		rc=$?
		[ "$rc" -ne 0 ] || fail "$tool >&-: exit 0"
		grep -q "Bad file descriptor\|file descriptor not open" "$T/err" ||
			fail "$tool >&-: $(cat "$T/err")"
	done
	"$SVX" status "$D" >/dev/full 2>/dev/null
	assertEquals "svx status >/dev/full" 111 $?
}

# s6 keeps a death tally that svx status reads to tell a restart loop; a
# FIFO put there (anyone who can write supervise/) held svx status, and
# status --all with it, for ever. Now: at once, one line naming the
# service and the file, exit 111, the other services still listed.
# Wanted up, its run gone and its finish held (on ./release): no time
# window decides whether the tally is read.
test_death_tally_fifo_does_not_hold_status() {
	[ "$BACKEND" = s6 ] || { skip_test; return 0; }
	mkdir -p "$T/scan$n"
	D=$T/scan$n/bad
	make_service "$D" finish
	printf '#!/bin/sh\nexit 1\n' >"$D/run"
	start_supervisor s6 "$D" || fail "s6-supervise"
	wait_for 10 status_has "$D" "finishing" ||
		fail "not finishing: $("$SVX" status "$D")"
	rm -f "$D/supervise/death_tally"
	mkfifo "$D/supervise/death_tally"
	good=$T/scan$n/good
	make_service "$good"
	start_supervisor s6 "$good" || fail "s6-supervise good"
	track_service "$good" || fail "good not started"
	SVX_SCANDIRS=$T/scan$n timeout 10 "$SVX" status --all >"$T/out" \
		2>"$T/err"
	assertEquals "status --all: $(cat "$T/err")" 111 $?
	grep -qx "svx: $D: supervise/death_tally is a FIFO, not a regular file: not read" \
		"$T/err" || fail "status --all: $(cat "$T/err")"
	grep -Eq "^good +s6 +up " "$T/out" || fail "good: $(cat "$T/out")"
	grep -Eq "^bad +s6 +finishing " "$T/out" || fail "bad: $(cat "$T/out")"
	timeout 10 "$SVX" status "$D" >"$T/out" 2>"$T/err"
	assertEquals "status DIR" 111 $?
	one_line "$T/err"
	grep -q "^svx: $D: supervise/death_tally is a FIFO" "$T/err" ||
		fail "status DIR: $(cat "$T/err")"
	touch "$D/release"
	return 0
}

# supervise/status a FIFO: named as such, at once, never read as empty.
test_status_fifo_is_named() {
	once_only || { skip_test; return 0; }
	fake_supervised
	mkfifo "$D/supervise/status"
	: >"$D/run"
	timeout 10 "$SVX" status "$D" >"$T/out" 2>&1
	assertEquals "exit" 111 $?
	grep -q "supervise/status is not a regular file" "$T/out" ||
		fail "$(cat "$T/out")"
}

# As nobody: supervise/ is root's (mode 700), so nothing can be read or
# sent; a message with the way out, exit 111, nothing written.
test_unprivileged_user() {
	[ "$(id -u)" -eq 0 ] || { skip_test; return 0; }
	live_service
	chmod 755 "$D"
	chmod 700 "$D/supervise"
	for verb in up status "-w 2 down"; do
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$SVX" $verb "$D" >"$T/out" 2>"$T/err"
		assertEquals "$verb as nobody" 111 $?
		grep -q "^svx: $D: permission denied: .*svx perms SERVICE --group G" \
			"$T/err" || fail "$verb: $(cat "$T/err")"
	done
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$C/svc" -d "$D" 2>"$T/err"
	grep -q "unable to control $D: access denied" "$T/err" ||
		fail "svc: $(cat "$T/err")"
	# The FIFO is ordered: once root's HUP has arrived, a command that
	# got through before it would have been handled already.
	hups=$(grep -c "^HUP" "$D.log")
	"$SVX" hup "$D" || fail "root's hup"
	wait_for 10 eval '[ "$(grep -c "^HUP" "$D.log")" -gt "$hups" ]' ||
		fail "root's HUP never arrived"
	status_has "$D" "$BACKEND up" || fail "a command got through"
	log_has "$D" TERM && fail "a command got through"
	return 0
}

. shunit2
