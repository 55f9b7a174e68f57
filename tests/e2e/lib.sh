# Helpers for the end-to-end tests, the fixture capture and the demo.
#
# Every process a test starts is recorded by pid; cleanup kills those pids
# and their descendants (found through /proc), never anything by name, and
# runs from a trap so a failing test still cleans up. Waits poll a
# condition with a bound; nothing sleeps blindly.

: "${SVX_BUILD:?SVX_BUILD must name the build directory}"
SVX=$SVX_BUILD/svx
LAUNCH=$SVX_BUILD/tests/launch
SIGREC=$SVX_BUILD/tests/sigrec
STANDIN=$SVX_BUILD/tests/encore-standin

# Where the pids of everything started are kept (one per line).
: "${SVX_PIDFILE:=${TMPDIR:-/tmp}/svx-pids.$$}"

# The supervisor program for each backend. encore's is the real
# daemontools-encore's supervise from $ENCORE_BIN when it is set (.ci/run
# builds one; README "Tests"), else the stand-in.
ENCORE_SUPERVISE=$STANDIN
[ -n "${ENCORE_BIN:-}" ] && ENCORE_SUPERVISE=$ENCORE_BIN/supervise
supervisor_program() {
	case $1 in
	daemontools) echo supervise ;;
	runit) echo runsv ;;
	s6) echo s6-supervise ;;
	encore) echo "$ENCORE_SUPERVISE" ;;
	esac
}

have_backend() {
	case $1 in
	encore) [ -x "$ENCORE_SUPERVISE" ] ;;
	*) command -v "$(supervisor_program "$1")" >/dev/null 2>&1 ;;
	esac
}

now_ms() {
	date +%s%3N
}

# wait_for SECONDS COMMAND...: true once COMMAND succeeds, false after
# SECONDS. Polls every 20 ms.
wait_for() {
	_limit=$(( $(now_ms) + $1 * 1000 ))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$_limit" ] && return 1
		sleep 0.02
	done
	return 0
}

track_pid() {
	echo "$1" >>"$SVX_PIDFILE"
}

# silent_socket PATH: a UNIX socket at PATH that takes connections and
# never answers, as a hung supervisord; its listener's pid, tracked, in
# $silent_pid. False when it could not be made. Ready once PATH.ready
# is there, written after listen(): the socket file alone appears at
# bind(), when a connection is still refused.
silent_socket() {
	rm -f "$1.ready"
	silent_pid=$("$LAUNCH" -o "$1.out" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(64)
open(sys.argv[1] + ".ready", "w").close()
time.sleep(3600)' "$1") || return 1
	track_pid "$silent_pid"
	wait_for 10 test -e "$1.ready"
}

# make_service DIR [finish]: a service running sigrec, logging to DIR.log.
# With "finish", ./finish logs its arguments and waits for DIR/release.
make_service() {
	mkdir -p "$1"
	printf '#!/bin/sh\nexec %s %s\n' "$SIGREC" "$1.log" >"$1/run"
	chmod 755 "$1/run"
	: >"$1.log"
	if [ "${2:-}" = finish ]; then
		printf '#!/bin/sh\nexec %s -f %s "$@"\n' "$SIGREC" "$1.log" \
			>"$1/finish"
		chmod 755 "$1/finish"
	fi
}

# make_logger DIR [reads]: a log/ subservice. By default it does not read
# its input: tests that start supervisors by hand have no scanner's pipe,
# so stdin is /dev/null. With "reads" it copies its input to DIR/log/out
# and ends at end of input, as real loggers do (runsv waits for that).
make_logger() {
	mkdir -p "$1/log"
	if [ "${2:-}" = reads ]; then
		printf '#!/bin/sh\nexec cat >>./out\n' >"$1/log/run"
	else
		printf '#!/bin/sh\nexec %s %s\n' "$SIGREC" "$1/log.log" \
			>"$1/log/run"
	fi
	chmod 755 "$1/log/run"
}

# start_supervisor BACKEND DIR: start the backend's supervisor on DIR and
# wait until it answers on its FIFOs. Prints nothing; records the pid.
start_supervisor() {
	_prog=$(supervisor_program "$1")
	_pid=$("$LAUNCH" -o "$2.supervisor.out" "$_prog" "$2") || return 1
	track_pid "$_pid"
	echo "$_pid" >"$2.supervisor.pid"
	if [ "$1" = runit ] && [ -d "$2/log" ]; then
		wait_for 10 supervisor_alive "$2/log" || return 1
	fi
	wait_for 10 supervisor_alive "$2"
}

supervisor_pid() {
	cat "$1.supervisor.pid"
}

# pids_in DIR: the processes whose working directory is DIR (a
# supervisor chdirs into its service directory).
pids_in() {
	for _p in /proc/[0-9]*; do
		[ "$(readlink "$_p/cwd" 2>/dev/null)" = "$1" ] &&
			echo "${_p#/proc/}"
	done
	return 0
}

# copies_in DIR: how many copies of the test service (sigrec) run in
# DIR, the directory it was started from.
copies_in() {
	_c=0
	for _p in $(pids_in "$1"); do
		[ "$(readlink "/proc/$_p/exe")" = "$SIGREC" ] && _c=$((_c + 1))
	done
	echo "$_c"
}

# Liveness as svx sees it: exit 0 when a supervisor owns DIR.
supervisor_alive() {
	"$SVX" probe "$1" >/dev/null 2>&1
}

supervisor_gone() {
	! kill -0 "$(supervisor_pid "$1")" 2>/dev/null
}

# The service's last "start PID" line in its signal log.
service_pid() {
	sed -n 's/^start //p' "$1.log" | tail -n 1
}

service_started() {
	[ -n "$(service_pid "$1")" ]
}

# track_service DIR: record DIR's running service by pid, once it has
# logged its start (the status can say "up" a moment before), so that
# cleanup finds it even after its supervisor is gone. False if it never
# starts.
track_service() {
	wait_for 10 service_started "$1" || return 1
	track_pid "$(service_pid "$1")"
}

# log_has DIR WORD: the signal log holds "WORD PID" for the current pid.
log_has() {
	grep -qx "$2 $(service_pid "$1")" "$1.log"
}

# status_has DIR TEXT: svx status of DIR contains TEXT.
status_has() {
	"$SVX" status "$1" 2>/dev/null | grep -qF -- "$2"
}

# started_count DIR: how many times the service has started.
started_count() {
	grep -c '^start ' "$1.log"
}

# The recorded pids and all their descendants, from one pass over /proc
# (the command name may hold spaces: fields are counted after its ')').
tree_of() {
	for _d in /proc/[0-9]*/stat; do
		cat "$_d" 2>/dev/null
		echo
	done | awk -v roots="$(tr '\n' ' ' <"$1")" '
		{
			s = $0; sub(/.*\) /, "", s); split(s, f, " ")
			pid = $1; parent[pid] = f[2]
		}
		END {
			n = split(roots, r, " ")
			for (i = 1; i <= n; i++) keep[r[i]] = 1
			do {
				changed = 0
				for (p in parent)
					if (!(p in keep) && (parent[p] in keep)) {
						keep[p] = 1; changed = 1
					}
			} while (changed)
			for (p in keep) print p
		}'
}

# Kill every recorded pid and its descendants, then wait for them to go.
# A supervisor may fork a new service between a look at /proc and the
# kill: the tree is stopped first (SIGSTOP), looked at again until no new
# process shows up, and only then killed.
cleanup_processes() {
	[ -s "$SVX_PIDFILE" ] || { rm -f "$SVX_PIDFILE"; return 0; }
	_all=$(tree_of "$SVX_PIDFILE" | sort)
	_prev= _rounds=0
	while [ "$_all" != "$_prev" ] && [ "$_rounds" -lt 10 ]; do
		for _p in $_all; do
			kill -STOP "$_p" 2>/dev/null
		done
		_prev=$_all _rounds=$((_rounds + 1))
		_all=$(tree_of "$SVX_PIDFILE" | sort)
	done
	for _p in $_all; do
		kill -KILL "$_p" 2>/dev/null
	done
	for _p in $_all; do
		wait_for 5 pid_gone "$_p"
	done
	rm -f "$SVX_PIDFILE"
}

pid_gone() {
	! kill -0 "$1" 2>/dev/null ||
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# A process stopped by SIGSTOP shows state T in /proc.
process_stopped() {
	[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = T ]
}

# openrc_prepare: what openrc-run needs on a system OpenRC did not boot
# (/run/openrc/softlevel, and the scan directories its runit and s6
# modules use), made only where missing; what was made is added to $made,
# for the caller to remove. False without openrc-run.
openrc_prepare() {
	[ -x /sbin/openrc-run ] || return 1
	for _f in /run/openrc /run/openrc/sv /run/openrc/s6-scan; do
		[ -e "$_f" ] || { mkdir -p "$_f" && made="$_f ${made:-}"; }
	done
	if [ ! -e /run/openrc/softlevel ]; then
		touch /run/openrc/softlevel && made="/run/openrc/softlevel $made"
	fi
}

# The head of a supervisord.conf for a test's or the demo's own supervisord: its
# socket, log and pid file in T, in the foreground (launch tracks it).
supervisord_conf() {
	cat <<EOF
[unix_http_server]
file=$T/sd.sock
chmod=0700

[supervisord]
nodaemon=true
logfile=$T/supervisord.log
pidfile=$T/supervisord.pid
childlogdir=$T

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

EOF
}
