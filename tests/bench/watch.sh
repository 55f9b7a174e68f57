#!/bin/sh
# Part 4 of make bench: svx watch against a shell loop of the native
# tools polling once a second. One s6 and one runit service, watched by
# `svx watch --json`, whose lines go through linestamp (the time each is
# read); meanwhile `s6-svwait -t 1000 -u` (back at once while up) and
# `sv status`, each once a second in a sh loop. Printed: watch's event
# latency (a restart, from before the command to the line read,
# median of BENCH_WATCH_RUNS), and the CPU time of watch and of each loop
# (with the children it reaped) over the same 10 idle seconds.
# Sourced by run.sh (its helpers, T, N and cleanup are in scope).

WRUNS=${BENCH_WATCH_RUNS:-5}
STAMP=$SVX_BUILD/tests/linestamp

now_us() {
	date +%s%6N
}

# cpu_ms PID: the process's CPU time and its reaped children's, in ms.
cpu_ms() {
	sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" \
		'{ printf "%d", ($12 + $13 + $14 + $15) * 1000 / hz }'
}

# first_line_after T0 NAME: microseconds from T0 to the first line
# naming NAME stamped after T0; false when none yet.
first_line_after() {
	awk -v t0="$1" -v s="\"service\":\"$2\"" \
		'$1 >= t0 && index($0, s) { print $1 - t0; found = 1; exit }
		END { exit !found }' "$T/watch.events"
}

echo
echo "4. svx watch, and the native tools polling once a second"
if have_backend s6 && have_backend runit; then
	for b in s6 runit; do
		make_service "$T/w$b"
		start_supervisor "$b" "$T/w$b" || { echo "cannot start $b"; exit 1; }
		wait_for 10 service_started "$T/w$b" || { echo "$b: no start"; exit 1; }
	done
	mkfifo "$T/watch.fifo"
	"$STAMP" <"$T/watch.fifo" >"$T/watch.events" &
	track_pid $!
	"$SVX" -v watch --json "$T/ws6" "$T/wrunit" >"$T/watch.fifo" \
		2>"$T/watch.err" &
	wpid=$!
	track_pid "$wpid"
	wait_for 10 grep -q "watching 2 services" "$T/watch.err" ||
		{ echo "watch not ready"; exit 1; }
	lat=
	for i in $(seq "$WRUNS"); do
		for b in s6 runit; do
			t0=$(now_us)
			"$SVX" restart "$T/w$b"
			wait_for 5 first_line_after "$t0" "$T/w$b" >/dev/null &&
				lat="$lat $(first_line_after "$t0" "$T/w$b")"
		done
		# Out of each supervisor's one-second throttle.
		sleep 1.1
	done
	med=$(echo "$lat" | tr ' ' '\n' | sed '/^$/d' | sort -n |
		awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }')
	sh -c "while :; do s6-svwait -t 1000 -u $T/ws6 >/dev/null 2>&1; \
		sleep 1; done" &
	s6loop=$!
	track_pid "$s6loop"
	sh -c "while :; do sv status $T/wrunit >/dev/null 2>&1; sleep 1; done" &
	svloop=$!
	track_pid "$svloop"
	w0=$(cpu_ms "$wpid") a0=$(cpu_ms "$s6loop") b0=$(cpu_ms "$svloop")
	sleep 10	# the measurement: ten idle seconds
	w1=$(cpu_ms "$wpid") a1=$(cpu_ms "$s6loop") b1=$(cpu_ms "$svloop")
	kill "$s6loop" "$svloop" "$wpid"
	printf '  %-44s %9s ms\n' "svx watch: a restart's line (median)" "$med"
	printf '  %-44s %9s ms\n' "svx watch: CPU over 10 idle s" \
		"$((w1 - w0))"
	printf '  %-44s %9s ms\n' "s6-svwait -u every 1 s: CPU over 10 s" \
		"$((a1 - a0))"
	printf '  %-44s %9s ms\n' "sv status every 1 s: CPU over 10 s" \
		"$((b1 - b0))"
	echo "  (the loops see a change up to a second late; watch at once)"
	results="$results
svx watch: event in $med ms, idle CPU $((w1 - w0)) ms/10 s; \
s6-svwait loop $((a1 - a0)) ms, sv status loop $((b1 - b0)) ms"
else
	echo "  (skipped: needs runit and s6)"
fi
