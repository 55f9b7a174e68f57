#!/bin/sh
# Part 3 of make bench: svx status over 1000 live services per backend,
# against the native status tools, side by side, in wall and CPU time,
# with output to a pipe and to /dev/null, the other CPUs idle and busy;
# system calls per service; peak memory at 10 and at 10,000 service
# directories.
# Sourced by run.sh (its helpers, T, N and cleanup are in scope).

SCALE=${BENCH_SERVICES:-1000}

# mkservices DIR COUNT: COUNT services that sleep, under DIR.
mkservices() {
	mkdir -p "$1"
	i=0
	while [ "$i" -lt "$2" ]; do
		d=$(printf '%s/svc%04d' "$1" "$i")
		mkdir -p "$d"
		printf '#!/bin/sh\nexec sleep 100000\n' >"$d/run"
		chmod 755 "$d/run"
		i=$((i + 1))
	done
}

all_up() {
	[ "$("$SVX" -o state status "$1"/* 2>/dev/null | grep -c '^up$')" -ge "$2" ]
}

# syscalls CMD...: system calls the command made, as strace -c counts them.
syscalls() {
	strace -f -c -o "$T/strace.out" "$@" >/dev/null 2>&1
	awk '/ total$/ { print $4; exit }' "$T/strace.out"
}

per_service() {
	awk "BEGIN { printf \"%.1f\", ($1 - $2) / $3 }"
}

echo
echo "3. svx status over $SCALE live services per backend"
mkservices "$T/bench/dt" "$SCALE"
mkservices "$T/bench/rn" "$SCALE"
mkservices "$T/bench/s6" "$SCALE"
scanner svscan "$T/bench/dt"
scanner runsvdir "$T/bench/rn"
_pid=$("$LAUNCH" -o "$T/s6svscan.out" -C / s6-svscan -c \
	$((SCALE * 2 + 10)) "$T/bench/s6") || { echo "s6-svscan"; exit 1; }
track_pid "$_pid"
for b in dt rn s6; do
	wait_for 120 all_up "$T/bench/$b" "$SCALE" ||
		{ echo "  ($b: not all $SCALE services came up)"; }
done
# Measured in the steady state: every service up for more than a few
# seconds (svx looks closer at services that have only just started).
oldest_young() {
	[ "$("$SVX" -o age status "$T"/bench/*/* 2>/dev/null | sort -n |
		head -n 1)" -ge 6 ]
}
wait_for 30 oldest_young

# The four cases: stdout to a pipe (as under `| less`, stderr elsewhere)
# and to /dev/null, each with the other CPUs idle and busy. Busy: a shell
# loop pinned to every CPU but the first, started here and stopped by pid
# (by run.sh's cleanup too, if the run is cut short). The timed commands
# are not pinned: the scheduler places them, as it would anywhere.
busy=
busy_start() {
	for _c in $(other_cpus); do
		taskset -c "$_c" sh -c 'while :; do :; done' &
		busy="$busy $!"
	done
}
busy_stop() {
	for _p in $busy; do
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	busy=
}
# other_cpus: the CPUs this shell may run on, but the first.
other_cpus() {
	sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status |
	    tr ',' '\n' | awk -F- '{ hi = $2 == "" ? $1 : $2
		for (c = $1; c <= hi; c++) print c }' | sed 1d
}

ms() {
	awk "BEGIN { printf \"%.1f\", $1 / 1000 }"
}

# row KEY RUNS LABEL OUTPUT LOAD NATIVE... --vs SVX...: the native tool
# and svx in turn, RUNS runs each: one row of wall and CPU medians, and
# svx/native (the median of the pairs' ratios), kept for the summary
# under KEY.
row() {
	_key=$1 _runs=$2 _label=$3 _out=$4 _load=$5
	shift 5
	set -- $("$TIMEIT" -n "$_runs" -o "$_out" "$@")
	[ "$#" -eq 14 ] || { echo "  $_label: failed"; return 1; }
	printf '  %-21s %-9s %-4s  %6.1f %6.1f  %6.1f %6.1f   %5.2f %5.2f\n' \
	    "$_label" "$_out" "$_load" "$(ms "$1")" "$(ms "$6")" \
	    "$(ms "$7")" "$(ms "${12}")" "${13}" "${14}"
	[ "$4" -eq 0 ] && [ "${10}" -eq 0 ] ||
		echo "  ($_label: $4 native and ${10} svx runs failed)"
	ratios="$ratios
$_key ${13} ${14}"
}

# span KEY: the range of KEY's ratios over the cases, wall then CPU.
span() {
	echo "$ratios" | awk -v k="$1" '$1 == k {
		if (n++ == 0) { wl = wh = $2; cl = ch = $3 }
		if ($2 < wl) wl = $2; if ($2 > wh) wh = $2
		if ($3 < cl) cl = $3; if ($3 > ch) ch = $3 }
	END { printf "wall %.2f-%.2fx, CPU %.2f-%.2fx", wl, wh, cl, ch }'
}

NS=${BENCH_STATUS_RUNS:-51}
echo "  wall and CPU time (user + system, every process of the command);"
echo "  medians of $NS runs, the native tool and svx in turn; svx/native is"
echo "  the median of the pairs' ratios (below 1, svx takes less)"
printf '  %-21s %-9s %-5s %13s  %13s   %11s\n' "svx status DIR/* vs" \
    output other "native ms" "svx ms" "svx/native"
printf '  %-21s %-9s %-5s %6s %6s  %6s %6s   %5s %5s\n' "" "" CPUs \
    wall cpu wall cpu wall cpu
ratios=
for load in idle busy; do
	if [ "$load" = busy ] && { [ -z "$(other_cpus)" ] ||
	    ! command -v taskset >/dev/null; }; then
		echo "  (busy: skipped, no other CPU or no taskset)"
		break
	fi
	[ "$load" = busy ] && busy_start
	for out in pipe null; do
		row dt "$NS" "svstat DIR/*" "$out" "$load" svstat \
		    "$T"/bench/dt/* --vs "$SVX" status "$T"/bench/dt/*
		row rn "$NS" "sv status DIR/*" "$out" "$load" sv status \
		    "$T"/bench/rn/* --vs "$SVX" status "$T"/bench/rn/*
	done
	busy_stop
done
# s6-svstat takes one directory: a loop of 1000 is ~100x slower, so one
# case, and BENCH_RUNS runs.
row s6 "$N" "s6-svstat, a loop" null idle sh -c \
	"for d in $T/bench/s6/*; do s6-svstat \$d; done" \
	--vs "$SVX" status "$T"/bench/s6/*
results="$results
svx status / svstat DIR/*: $(span dt) the time (goal: <= 0.6x)
svx status / sv status DIR/*: $(span rn) the time (goal: <= 0.6x)"

base=$(syscalls "$SVX" status "$T/bench/dt/svc0000")
sx=$(syscalls "$SVX" status "$T"/bench/dt/*)
nbase=$(syscalls svstat "$T/bench/dt/svc0000")
nx=$(syscalls svstat "$T"/bench/dt/*)
calls="  daemontools: svx $(per_service "$sx" "$base" "$SCALE") system calls per service, svstat $(per_service "$nx" "$nbase" "$SCALE")"
base=$(syscalls "$SVX" status "$T/bench/rn/svc0000")
sx=$(syscalls "$SVX" status "$T"/bench/rn/*)
nbase=$(syscalls sv status "$T/bench/rn/svc0000")
nx=$(syscalls sv status "$T"/bench/rn/*)
calls="$calls
  runit: svx $(per_service "$sx" "$base" "$SCALE") system calls per service, sv $(per_service "$nx" "$nbase" "$SCALE")"
base=$(syscalls "$SVX" status "$T/bench/s6/svc0000")
sx=$(syscalls "$SVX" status "$T"/bench/s6/*)
calls="$calls
  s6: svx $(per_service "$sx" "$base" "$SCALE") system calls per service"

median_ms "svx status --all ($((SCALE * 3)) services)" -n "$N" -- env \
	SVX_SCANDIRS="$T/bench/dt:$T/bench/rn:$T/bench/s6" "$SVX" status --all
echo "$calls"

# Peak memory: 10 and 10,000 service directories (unsupervised: reading
# them is the work; no supervisor needed).
mkservices "$T/mem10" 10
mkservices "$T/mem10k" 10000
set -- $("$TIMEIT" -n 3 -- env SVDIR= SVX_SCANDIRS="$T/mem10" "$SVX" status --all)
rss10=$5
set -- $("$TIMEIT" -n 3 -- env SVDIR= SVX_SCANDIRS="$T/mem10k" "$SVX" status --all)
rss10k=$5
echo "  peak resident memory of svx status --all: ${rss10} KiB at 10 directories, ${rss10k} KiB at 10,000"
results="$results
peak memory at 10,000 / at 10 directories: $(ratio "$rss10k" "$rss10" 2)x (goal: the same)"

# The teardown the scanners expect (PROTOCOLS.md#scanners), then the pids
# anyway.
kill -TERM "$(cat "$T/svscan.pid" 2>/dev/null)" 2>/dev/null
svc -dx "$T"/bench/dt/* 2>/dev/null
s6-svscanctl -t "$T/bench/s6" 2>/dev/null
