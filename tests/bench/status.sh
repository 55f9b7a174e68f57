#!/bin/sh
# Part 3 of make bench: svx status over 1000 live services per backend,
# against the native status tools, side by side; system calls per
# service; peak memory at 10 and at 10,000 service directories.
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
_pid=$("$LAUNCH" -o "$T/s6svscan.out" -C "$T/bench/s6" s6-svscan -c \
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

set -- "$T"/bench/dt/*
median_ms "daemontools: svstat DIR/*" -n "$N" -- svstat "$@"
native=$last
median_ms "daemontools: svx status DIR/*" -n "$N" -- "$SVX" status "$@"
results="$results
svx status / svstat DIR/*: $(ratio "$last" "$native" 2)x the time (goal: <= 0.6x)"
base=$(syscalls "$SVX" status "$T/bench/dt/svc0000")
sx=$(syscalls "$SVX" status "$@")
nbase=$(syscalls svstat "$T/bench/dt/svc0000")
nx=$(syscalls svstat "$@")
calls="  daemontools: svx $(per_service "$sx" "$base" "$SCALE") system calls per service, svstat $(per_service "$nx" "$nbase" "$SCALE")"

set -- "$T"/bench/rn/*
median_ms "runit: sv status DIR/*" -n "$N" -- sv status "$@"
native=$last
median_ms "runit: svx status DIR/*" -n "$N" -- "$SVX" status "$@"
results="$results
svx status / sv status DIR/*: $(ratio "$last" "$native" 2)x the time (goal: <= 0.6x)"
base=$(syscalls "$SVX" status "$T/bench/rn/svc0000")
sx=$(syscalls "$SVX" status "$@")
nbase=$(syscalls sv status "$T/bench/rn/svc0000")
nx=$(syscalls sv status "$@")
calls="$calls
  runit: svx $(per_service "$sx" "$base" "$SCALE") system calls per service, sv $(per_service "$nx" "$nbase" "$SCALE")"

set -- "$T"/bench/s6/*
median_ms "s6: s6-svstat, one per directory" -n "$N" -- sh -c \
	"for d in $T/bench/s6/*; do s6-svstat \$d; done"
native=$last
median_ms "s6: svx status DIR/*" -n "$N" -- "$SVX" status "$@"
results="$results
svx status / a loop of s6-svstat: $(ratio "$last" "$native")x the time"
base=$(syscalls "$SVX" status "$T/bench/s6/svc0000")
sx=$(syscalls "$SVX" status "$@")
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

# The teardown the scanners expect (reference §9), then the pids anyway.
kill -TERM "$(cat "$T/svscan.pid" 2>/dev/null)" 2>/dev/null
svc -dx "$T"/bench/dt/* 2>/dev/null
s6-svscanctl -t "$T/bench/s6" 2>/dev/null
