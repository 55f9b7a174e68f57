# What every shunit2 suite here shares: the build and lib.sh, one
# temporary folder per suite (T) with its pid file, and cleanup by pid
# after each test and at the end. A suite sets TOP, sources this, calls
# suite_begin NAME from its oneTimeSetUp, and redefines a hook only to add
# to it.

SVX_BUILD=${SVX_BUILD:-$TOP/build}
case $SVX_BUILD in /*) ;; *) SVX_BUILD=$TOP/$SVX_BUILD ;; esac
. "$TOP/tests/e2e/lib.sh"
C=$SVX_BUILD/compat

suite_begin() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/svx-$1.XXXXXX")
	SVX_PIDFILE=$T/pids
	n=0
}

oneTimeTearDown() {
	cleanup_processes
	rm -rf "$T"
}

tearDown() {
	cd / || true
	cleanup_processes
}

# A fresh folder per test, W, made the current directory.
enter_workdir() {
	n=$((n + 1))
	W=$T/w$n
	mkdir -p "$W"
	cd "$W" || fail "cd"
}

skip_test() {
	startSkipping
	assertTrue "skipped" true
}

# service_in_w BACKEND NAME [FILE] [finish]: a service W/NAME under
# BACKEND's supervisor, with W/NAME/FILE made first (down, ignore-term,
# ...); waited for until it runs, unless it should not (down, or waiting
# for its readiness notification).
service_in_w() {
	make_service "$W/$2" ${4:-}
	[ -n "${3:-}" ] && touch "$W/$2/$3"
	start_supervisor "$1" "$W/$2" || fail "$1 supervisor for $2"
	[ -e "$W/$2/down" ] || [ -e "$W/$2/notification-fd" ] ||
		wait_for 10 service_started "$W/$2" || fail "$2 not started"
}

# same_tool TOOL ARGS...: the native TOOL and its personality agree on
# stdout and exit code (through the suite's normalise, for seconds) and on
# stderr, byte for byte.
same_tool() {
	"$@" >"$T/native.out" 2>"$T/native.err"
	native_rc=$?
	_tool=$1
	shift
	"$C/$_tool" "$@" >"$T/svx.out" 2>"$T/svx.err"
	svx_rc=$?
	assertEquals "$_tool $*: exit code" "$native_rc" "$svx_rc"
	assertEquals "$_tool $*: stdout" "$(normalise <"$T/native.out")" \
		"$(normalise <"$T/svx.out")"
	assertEquals "$_tool $*: stderr" "$(cat "$T/native.err")" \
		"$(cat "$T/svx.err")"
}

# same TOOL ARGS...: the suites' differential check (runit_test.sh passes
# sv itself).
same() {
	same_tool "$@"
}

scanner_program() {
	case $1 in
	daemontools) echo svscan ;;
	runit) echo runsvdir ;;
	s6) echo s6-svscan ;;
	esac
}

# scanner BACKEND DIR: BACKEND's scanner on DIR, started from / as init
# systems start them (runit's stage 2, svscanboot, an init running
# s6-svscan); svx finds it in /proc by its directory (adapters/engine/scanner.c).
scanner() {
	mkdir -p "$2"
	_pid=$("$LAUNCH" -o "$2.out" -C / "$(scanner_program "$1")" "$2") ||
		fail "start $(scanner_program "$1")"
	track_pid "$_pid"
	wait_for 10 scanner_ready "$_pid" "$(scanner_program "$1")" "$2" ||
		fail "$(scanner_program "$1") never ran on $2"
}

# scanner_ready PID PROGRAM DIR: PROGRAM runs as PID, and works in DIR
# (runsvdir goes back to where it started after each scan: svx knows it
# by its argument, and kicks it only once it catches SIGALRM), as svx
# looks for a scanner.
scanner_ready() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
	if [ "$2" = runsvdir ]; then
		catches_alrm "$1"
	else
		[ "$(readlink "/proc/$1/cwd")" = "$(cd "$3" && pwd -P)" ]
	fi
}

# catches_alrm PID: SIGALRM (14) is in PID's caught signals (SigCgt, a
# hexadecimal mask whose bit N-1 is signal N).
catches_alrm() {
	_cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$_cgt" ] && [ $(( 0x$_cgt & 0x2000 )) -ne 0 ]
}

# The pids of supervisors svx started itself, from its report.
track_started() {
	sed -n 's/.*: ran: [a-z6-]*supervise[^ ]* [^ ]* (pid \([0-9]*\))$/\1/p;
		s/.*: ran: runsv [^ ]* (pid \([0-9]*\))$/\1/p' "$1" |
		while read -r p; do track_pid "$p"; done
}

# supervisord on T/sd.conf, tracked (its pid in SD); svx pointed at its
# socket.
start_supervisord() {
	SD=$("$LAUNCH" -o "$T/sd.out" -C "$T" supervisord -c "$T/sd.conf") ||
		fail "supervisord"
	track_pid "$SD"
	SVX_SUPERVISORD_SOCKET=$T/sd.sock
	export SVX_SUPERVISORD_SOCKET
}
