#!/bin/sh
# make bench: svx against the native tools, side by side in one run.
#
#  1. time until a start is reported, on each backend, like for like:
#     the native tools' "up event" against svx --settle 0 (svx's default
#     also holds the start 200 ms, shown once, on s6):
#       s6           s6-svc -wu -u DIR        vs  svx -w 10 --settle 0 up DIR
#       s6, ready    s6-svc -wU -u DIR        vs  svx -w 10 up DIR
#                    (notification-fd: readiness decides, no settle)
#       runit        sv -w 7 up DIR           vs  svx -w 10 --settle 0 up DIR
#       daemontools  svc -u DIR, then svstat polled every 10 ms
#                                             vs  svx -w 10 --settle 0 up DIR
#  2. an OpenRC start: the svx helper against OpenRC's own runit and s6
#     modules (openrc-run SCRIPT start), each on its own backend.
#  3. svx status over 1000 live services against svstat and sv status,
#     wall and CPU time, output to a pipe and to /dev/null, the other
#     CPUs idle and busy (tests/bench/status.sh; BENCH_STATUS=no skips it).
#  4. svx watch's event latency and idle CPU, next to loops of s6-svwait
#     and sv status polling once a second (tests/bench/watch.sh;
#     BENCH_WATCH=no skips it).
#
# Parts 1 and 2 (BENCH_STARTS=no skips them): every figure is the median
# of BENCH_RUNS runs (default 20; 5 for OpenRC's modules, which sleep
# whole seconds), measured by tests/bench/timeit.c from fork to exit, the
# service stopped again between runs (untimed). Ratios are native / svx:
# above 1, svx is faster. Part 3 has its own ratios, svx / native (the
# share of the native tool's time svx takes); BENCH_STATUS_RUNS runs
# (default 51).
#
# supervise holds back for a second after every start, and runsv the next
# start when a run lasted less than one (PROTOCOLS.md#daemontools,
# PROTOCOLS.md#runit), which would time the supervisor's throttle, not the
# client: the untimed reset lets that second pass.
# Everything runs under a temporary folder, stopped by pid at the end.

build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SVX_BUILD=$build
. "$TOP/tests/e2e/lib.sh"
TIMEIT=$build/tests/timeit
N=${BENCH_RUNS:-20}
NRC=${BENCH_OPENRC_RUNS:-5}
RC=/run/openrc

T=$(mktemp -d "${TMPDIR:-/tmp}/svx-bench.XXXXXX")
SVX_PIDFILE=$T/pids
made=
cleanup() {
	for p in ${busy:-}; do kill "$p" 2>/dev/null; done
	cleanup_processes
	rm -f "$RC"/sv/svxbench-* "$RC"/s6-scan/svxbench-*
	for f in $made; do rm -rf "$f"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# median_ms LABEL TIMEIT-ARGS...: run timeit, print "LABEL ms", keep ms.
median_ms() {
	label=$1
	shift
	set -- $("$TIMEIT" "$@") || { echo "$label: failed"; return 1; }
	ms=$(awk "BEGIN { printf \"%.1f\", $1 / 1000 }")
	[ "$4" -eq 0 ] || echo "  ($label: $4 runs failed)"
	printf '  %-44s %9s ms\n' "$label" "$ms"
	last=$ms
}

# ratio A B [DIGITS]: A / B, one decimal unless told (a goal of 0.6x
# needs two to be read honestly).
ratio() {
	awk "BEGIN { printf \"%.${3:-1}f\", $1 / $2 }"
}

down_service() {
	make_service "$T/$1"
	touch "$T/$1/down"
	start_supervisor "$2" "$T/$1" || { echo "cannot start $2"; exit 1; }
}

echo "svx benchmark, $(date -u +%Y-%m-%d), $(uname -srm), $(nproc) CPUs"
echo "median of $N runs (OpenRC modules: $NRC runs)"
echo
echo "1. time until a start is reported"
[ "${BENCH_STARTS:-yes}" = yes ] || { echo "  (skipped)"; SKIP12=1; }

results=
if [ -z "${SKIP12:-}" ] && have_backend s6; then
	down_service s6svc s6
	d=$T/s6svc
	median_ms "s6: s6-svc -wu -u" -n "$N" -r "s6-svc -wD -d $d" -- \
		s6-svc -wu -u "$d"
	native=$last
	median_ms "s6: svx -w 10 --settle 0 up" -n "$N" \
		-r "$SVX -w 10 down $d" -- "$SVX" -w 10 --settle 0 up "$d"
	results="$results
s6-svc -wu / svx --settle 0: $(ratio "$native" "$last")x (goal: svx no slower than 1.2x, i.e. ratio >= 0.83)"
	median_ms "s6: svx -w 10 up (200 ms settle)" -n "$N" \
		-r "$SVX -w 10 down $d" -- "$SVX" -w 10 up "$d"
	# With readiness (notification-fd): readiness decides, no settle.
	d=$T/s6ready
	make_service "$d"
	touch "$d/down"
	echo 3 >"$d/notification-fd"
	start_supervisor s6 "$d" || { echo "cannot start s6"; exit 1; }
	median_ms "s6 ready: s6-svc -wU -u" -n "$N" \
		-r "s6-svc -wD -d $d" -- s6-svc -wU -u "$d"
	native=$last
	median_ms "s6 ready: svx -w 10 up" -n "$N" \
		-r "$SVX -w 10 down $d" -- "$SVX" -w 10 up "$d"
	results="$results
s6-svc -wU / svx up (readiness): $(ratio "$native" "$last")x (goal: svx no slower than 1.2x, i.e. ratio >= 0.83)"
fi
if [ -z "${SKIP12:-}" ] && have_backend runit; then
	down_service rnsv runit
	d=$T/rnsv
	median_ms "runit: sv -w 7 up" -n "$N" \
		-r "sv -w 7 down $d >/dev/null; sleep 1.1" -- sv -w 7 up "$d"
	native=$last
	median_ms "runit: svx -w 10 --settle 0 up" -n "$N" \
		-r "$SVX -w 10 down $d; sleep 1.1" -- \
		"$SVX" -w 10 --settle 0 up "$d"
	results="$results
sv -w 7 up / svx --settle 0: $(ratio "$native" "$last")x (goal: >= 20x)"
fi
if [ -z "${SKIP12:-}" ] && have_backend daemontools; then
	down_service dtsvc daemontools
	d=$T/dtsvc
	poll="svc -u $d; until svstat $d | grep -q ': up'; do sleep 0.01; done"
	median_ms "daemontools: svc -u + svstat polling" -n "$N" \
		-r "sleep 1.1; $SVX -w 10 down $d; sleep 1.1" -- sh -c "$poll"
	native=$last
	median_ms "daemontools: svx -w 10 --settle 0 up" -n "$N" \
		-r "sleep 1.1; $SVX -w 10 down $d; sleep 1.1" -- \
		"$SVX" -w 10 --settle 0 up "$d"
	results="$results
svc -u + polling / svx --settle 0: $(ratio "$native" "$last")x"
fi

# ---- OpenRC -----------------------------------------------------------

# init_script NAME LINES...: an openrc-run script under $T/init.d.
init_script() {
	mkdir -p "$T/init.d"
	_s=$T/init.d/$1
	shift
	{ echo "#!/sbin/openrc-run"; for l in "$@"; do echo "$l"; done; } >"$_s"
	chmod 755 "$_s"
	echo "$_s"
}

scanner() {
	_pid=$("$LAUNCH" -o "$T/$1.scan.out" -C / "$1" "$2") ||
		{ echo "cannot start $1"; exit 1; }
	track_pid "$_pid"
	echo "$_pid" >"$T/$1.pid"
}

echo
echo "2. an OpenRC start (openrc-run SCRIPT start)"
if [ -z "${SKIP12:-}" ] && openrc_prepare && have_backend runit &&
    have_backend s6; then
	scanner runsvdir "$RC/sv"
	scanner s6-svscan "$RC/s6-scan"
	make_service "$T/svxbench-rn"
	touch "$T/svxbench-rn/down"
	s=$(init_script svxbench-rn supervisor=runit "runit_service=$T/svxbench-rn")
	median_ms "OpenRC runit module (runit)" -n "$NRC" \
		-r "/sbin/openrc-run $s stop >/dev/null 2>&1" -- /sbin/openrc-run "$s" start
	rn_module=$last
	make_service "$T/svxbench-s6"
	touch "$T/svxbench-s6/down"
	s=$(init_script svxbench-s6 supervisor=s6 "s6_service_path=$T/svxbench-s6")
	median_ms "OpenRC s6 module (s6)" -n "$NRC" \
		-r "/sbin/openrc-run $s stop >/dev/null 2>&1" -- /sbin/openrc-run "$s" start
	s6_module=$last
	for b in runit s6; do
		down_service "svxbench-h$b" "$b"
		s=$(init_script "svxbench-h$b" "svx_bin=$SVX" \
			"svx_service=$T/svxbench-h$b" ". $TOP/shim/openrc/svx.sh")
		median_ms "svx helper ($b)" -n "$N" \
			-r "/sbin/openrc-run $s stop >/dev/null 2>&1; sleep 1.1" \
			-- /sbin/openrc-run "$s" start
		eval "helper_$b=\$last"
	done
	# Like for like: OpenRC's modules link the directory into the scan
	# directory at each start, so the scanner's pickup is part of their
	# time. The same work through svx: link, then svx -w 10 up (which
	# kicks the scanner and waits for the supervisor).
	for b in runit s6; do
		case $b in runit) scan=$RC/sv ;; s6) scan=$RC/s6-scan ;; esac
		make_service "$T/svxbench-f$b"
		link=$scan/svxbench-f$b
		median_ms "link + svx -w 10 up ($b)" -n "$N" \
			-r "rm -f $link; s6-svscanctl -a $RC/s6-scan 2>/dev/null; \
			    $SVX -w 10 exit $T/svxbench-f$b >/dev/null 2>&1" \
			-- sh -c "ln -s $T/svxbench-f$b $link && $SVX -w 10 up $link"
		eval "fresh_$b=\$last"
	done
	rm -f "$RC/sv/svxbench-frunit" "$RC/s6-scan/svxbench-fs6"
	results="$results
OpenRC runit module / svx helper: $(ratio "$rn_module" "$helper_runit")x (goal: >= 10x)
OpenRC s6 module / svx helper: $(ratio "$s6_module" "$helper_s6")x (goal: >= 10x)
OpenRC runit module / link + svx -w up: $(ratio "$rn_module" "$fresh_runit")x (the same work)
OpenRC s6 module / link + svx -w up: $(ratio "$s6_module" "$fresh_s6")x (the same work)"
	for s in "$T"/init.d/*; do /sbin/openrc-run "$s" zap >/dev/null 2>&1; done
else
	echo "  (skipped: needs openrc, runit and s6)"
fi

[ "${BENCH_STATUS:-yes}" = yes ] && . "$TOP/tests/bench/status.sh"
[ "${BENCH_WATCH:-yes}" = yes ] && . "$TOP/tests/bench/watch.sh"

echo
echo "ratios:"
echo "$results" | sed '/^$/d; s/^/  /'
