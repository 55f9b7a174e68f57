#!/bin/sh
# The daemontools personalities (svc, svstat, svok):
#  - differential: the native tool and build/compat/<tool> run on the same
#    live services under real supervise, in every state tests/fixtures/
#    holds; outputs (seconds normalised) and exit codes must be identical, apart
#    from the divergences listed in compat-matrix.md;
#  - cross-backend: the same tools drive runit, s6 and encore services
#    and report them in daemontools' format.
#  - encore's letters and options (svc -L -l -+ -=, svstat -L -l) on
#    every backend; against the real encore when ENCORE_BIN names one
#    (encore_rts_test.sh runs encore's own tests with these tools).

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
	# Whole: "^up" alone matches the paused state c must end.
	same_effect c "^up (pid P) N\$"
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

# personality_status_has "[OPTIONS] DIR" PATTERN
personality_status_has() {
	# shellcheck disable=SC2086
	"$C/svstat" $1 | grep -q -- "$2"
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

# A letter the backend cannot do is refused, nothing is sent, and svc
# exits 100 as 0.76's svc does for `illegal option` (Ansible's svc module
# would otherwise report "changed").
test_svc_refuses_what_the_backend_cannot_do() {
	dt_service a
	"$C/svc" -1 a 2>"$T/err"
	assertEquals "svc -1 on daemontools: exit" 100 $?
	assertEquals "svc: warning: unable to control a: daemontools cannot do -1; nothing sent" \
		"$(cat "$T/err")"
	svc -1 a 2>/dev/null
	assertEquals "native svc -1: exit" 100 $?
	"$C/svc" -q a missing 2>/dev/null
	assertEquals "the worst directory's code" 100 $?
	"$C/svc" -+h a 2>"$T/err"
	assertEquals "svc -+h off encore: exit" 100 $?
	assertEquals "svc: warning: unable to control a: daemontools cannot signal a process group (-+); nothing sent" \
		"$(cat "$T/err")"
	# The FIFO is ordered: once an ALRM sent after it has arrived, a
	# wrongly sent HUP would have been handled already.
	alrms=$(grep -c "^ALRM" "$W/a.log")
	svc -a a
	wait_for 10 eval '[ "$(grep -c "^ALRM" "$W/a.log")" -gt "$alrms" ]' ||
		fail "no ALRM"
	assertFalse "no HUP sent" "log_has '$W/a' HUP"
	"$C/svc" -+u a
	assertEquals "svc -+u: nothing to signal" 0 $?
	other_service runit r || { skip_test; return 0; }
	"$C/svc" -x r 2>"$T/err"
	assertEquals "svc -x on runit: exit" 100 $?
	grep -q "runit cannot do -x" "$T/err" || fail "$(cat "$T/err")"
	"$C/svc" -w r 2>"$T/err"
	assertEquals "svc -w on runit: exit" 100 $?
	grep -q "runit cannot do -w" "$T/err" || fail "$(cat "$T/err")"
}

# zombie_pid SVSTAT DIR: the pid in DIR's status record, as SVSTAT (a
# native svstat) prints it, when that process has exited and supervise
# has not reaped it (it sleeps a second after each start).
zombie_pid() {
	_z=$("$1" "$2" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
	[ -n "$_z" ] && [ "$(awk '{ print $3 }' "/proc/$_z/stat" \
		2>/dev/null)" = Z ] && echo "$_z"
}

# same_in_window NATIVE-SVSTAT DIR: the native svstat and svx's, run back
# to back while DIR's recorded process is a zombie; a sample whose record
# changed in between is taken again.
same_in_window() {
	_zp=$(zombie_pid "$1" "$2") || return 1
	_n=$("$1" "$2" | normalise)
	_s=$("$C/svstat" "$2" | normalise)
	[ "$(zombie_pid "$1" "$2")" = "$_zp" ] || return 1
	echo "$_n" >"$T/window.native"
	echo "$_s" >"$T/window.svx"
}

# The record, not a judgement: a process that has exited but is not
# reaped is still "up (pid N)" in svstat, as the native svstat prints it.
test_svstat_shows_the_record_while_unreaped() {
	mkdir crash
	printf '#!/bin/sh\nexit 3\n' >crash/run
	chmod 755 crash/run
	start_supervisor daemontools "$W/crash" || fail "supervise"
	wait_for 20 same_in_window svstat crash || fail "no zombie window seen"
	assertEquals "svstat in the unreaped window" \
		"$(cat "$T/window.native")" "$(cat "$T/window.svx")"
	grep -q "^crash: up (pid [0-9]*) N seconds$" "$T/window.svx" ||
		fail "$(cat "$T/window.svx")"
}

# encore's crash loop reads "up (pid N) 1 seconds, running" in encore's
# own svstat; svx's must print the same.
test_encore_crash_loop_as_encore_prints_it() {
	[ -n "${ENCORE_BIN:-}" ] || { skip_test; return 0; }
	mkdir crash
	printf '#!/bin/sh\nexit 3\n' >crash/run
	chmod 755 crash/run
	start_supervisor encore "$W/crash" || fail "supervise"
	wait_for 20 same_in_window "$ENCORE_BIN/svstat" crash ||
		fail "no zombie window seen"
	assertEquals "svstat in encore's crash loop" \
		"$(cat "$T/window.native")" "$(cat "$T/window.svx")"
	grep -q ", running$" "$T/window.svx" || fail "$(cat "$T/window.svx")"
}

# -L/-l: the log service. Off encore log/ is a service of its own, with
# its own supervisor; svx's svc sends the letters after -L there.
test_log_letters_on_daemontools() {
	dt_service a
	make_logger "$W/a"
	start_supervisor daemontools "$W/a/log" || fail "log supervise"
	wait_for 10 service_started "$W/a/log" || fail "log not started"
	dt_service b
	assertEquals "svstat -L" "a log: up (pid $(service_pid "$W/a/log")) N seconds" \
		"$("$C/svstat" -L a | normalise)"
	assertEquals "svstat -l" "a: up (pid $(service_pid "$W/a")) N seconds" \
		"$("$C/svstat" -l a | normalise)"
	assertEquals "svstat -L without log/" "b: no log service" \
		"$("$C/svstat" -L b)"
	assertEquals "svstat: -L then -l, the last counts" \
		"$("$C/svstat" -l a | normalise)" \
		"$("$C/svstat" -Ll a | normalise)"
	"$C/svc" -Lh -la a
	assertEquals "svc -Lh -la: exit" 0 $?
	wait_for 10 log_has "$W/a/log" HUP || fail "log got no HUP"
	wait_for 10 log_has "$W/a" ALRM || fail "service got no ALRM"
	assertFalse "service got the log's HUP" "log_has '$W/a' HUP"
	"$C/svc" -Ld a
	wait_for 10 personality_status_has "-L a" "^a log: down" ||
		fail "log not down: $("$C/svstat" -L a)"
	assertTrue "service still up" "personality_status_has a '^a: up'"
	"$C/svc" -Lh b 2>"$T/err"
	assertEquals "svc: warning: unable to control b/log: file does not exist" \
		"$(cat "$T/err")"
}

# $SUPERVISEDIR as encore's tools read it: once set, there is no fallback
# to supervise/; an empty value names /ok, /control, ... (PROTOCOLS.md#encore).
test_supervisedir_as_encore_reads_it() {
	dt_service a
	SUPERVISEDIR=$W/missing "$C/svok" a
	assertEquals "svok, relocated dir missing" 100 $?
	assertEquals "a: unable to open $W/missing/$(echo "${W#/}/a" | tr / :)/ok: file does not exist" \
		"$(SUPERVISEDIR=$W/missing "$C/svstat" a)"
	SUPERVISEDIR= "$C/svok" a
	assertEquals "svok, empty SUPERVISEDIR" 100 $?
	assertEquals "a: unable to open /ok: file does not exist" \
		"$(SUPERVISEDIR= "$C/svstat" a)"
	"$C/svok" a
	assertEquals "svok, unset" 0 $?
	SUPERVISEDIR=$W/missing "$C/sv" status ./a >/dev/null
	assertEquals "sv never heard of SUPERVISEDIR" 0 $?
	[ -n "${ENCORE_BIN:-}" ] || return 0
	for v in "$W/missing" ""; do
		for tool in svok svstat; do
			export SUPERVISEDIR="$v"
			same_tool_at "$ENCORE_BIN" $tool a
			unset SUPERVISEDIR
		done
	done
}

# same_tool_at BINDIR TOOL ARGS: as same_tool, with BINDIR's TOOL.
same_tool_at() {
	_bin=$1 _t=$2
	shift 2
	"$_bin/$_t" "$@" >"$T/native.out" 2>"$T/native.err"
	_nrc=$?
	"$C/$_t" "$@" >"$T/svx.out" 2>"$T/svx.err"
	assertEquals "$_t $*: exit" "$_nrc" $?
	assertEquals "$_t $*: stdout" "$(cat "$T/native.out")" \
		"$(cat "$T/svx.out")"
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
