#!/bin/sh
# run-fuzz.sh FUZZBUILD SECONDS TARGET...: every kept finding of each
# target replayed (tests/fuzz/regressions/TARGET/), then each target
# fuzzed for SECONDS from its seeds: the captured status files
# (tests/fixtures/) for unpack and detect, the command lines and names in
# tests/fuzz/seeds/ for args and resolve. A new finding is saved in
# FUZZBUILD/findings/TARGET/ and fails the run. Targets run in batches
# of FUZZ_JOBS at once (default 1; sh has no wait -n). Records "fuzz-TARGET passed failed" in $RESULTS.
fb=$1 secs=$2
shift 2
case $fb in /*) ;; *) fb=$(pwd)/$fb ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
results=${RESULTS:-build/results}
mkdir -p "$results"

# seeds TARGET DIR: the corpus a run starts from.
seeds() {
	mkdir -p "$2"
	case $1 in
	fuzz_unpack)
		cp "$top"/tests/fixtures/*.status "$2/" ;;
	fuzz_detect)
		# Shapes: ok+control FIFOs with readers (daemontools, runit,
		# encore), control FIFO with a reader and a lock file (s6),
		# nothing alive.
		for f in "$top"/tests/fixtures/*.status; do
			b=$(basename "$f" .status)
			for shape in '\305\000' '\224\000' '\005\001' '\000\002'; do
				{ printf "$shape"; cat "$f"; } \
					>"$2/$b-$(printf "$shape" | od -An -tx1 | tr -d ' ')"
			done
		done ;;
	fuzz_unit)
		# The crafted units (svx import's syntax cases).
		cp "$top"/tests/fixtures/units/*.service "$2/" ;;
	*)
		cp "$top"/tests/fuzz/seeds/"${1#fuzz_}"/* "$2/" 2>/dev/null ;;
	esac
}

# stats LOG: libFuzzer's last line of figures: executions and coverage.
stats() {
	grep -a -E '^#[0-9]+' "$1" | tail -n 1 |
		sed -E 's/^#([0-9]+)[^c]*cov: ([0-9]+) ft: ([0-9]+).*/\1 runs, cov \2, ft \3/'
}

run_target() {
	t=$1 bin=$fb/$1
	log=$fb/logs/$t.log
	mkdir -p "$fb/logs" "$fb/findings/$t"
	rc=0
	reg=$top/tests/fuzz/regressions/$t
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		"$bin" -close_fd_mask=3 "$reg"/* >"$log.replay" 2>&1 || rc=1
	fi
	corpus=$fb/corpus/$t
	[ -d "$corpus" ] || seeds "$t" "$corpus"
	# The targets' scratch directories, removed even after a crash; on
	# tmpfs where there is one (fuzz_detect makes and removes thousands
	# of files a second: on ext4 one unlink once stalled for 47 s).
	scratch=$fb/tmp
	[ -d /dev/shm ] && [ -w /dev/shm ] && scratch=/dev/shm/svx-fuzz.$$
	TMPDIR=$scratch/$t
	export TMPDIR
	rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-close_fd_mask=2 -print_final_stats=1 \
		-artifact_prefix="$fb/findings/$t/" "$corpus" >"$log" 2>&1 ||
		rc=1
	rm -rf "$TMPDIR"
	rmdir "$scratch" 2>/dev/null
	if [ "$rc" -eq 0 ]; then
		echo "fuzz-$t: ok, ${secs}s: $(stats "$log")"
		echo "fuzz-$t 1 0" >"$results/fuzz-$t.result"
	else
		echo "fuzz-$t: FAILED (see $log; inputs in $fb/findings/$t/)"
		grep -m 3 -E 'ERROR|SUMMARY|deadly|Test unit written' "$log" \
			"$log.replay" 2>/dev/null | sed 's/^/  /'
		echo "fuzz-$t 0 1" >"$results/fuzz-$t.result"
	fi
	return "$rc"
}

status=0
jobs=${FUZZ_JOBS:-1}
running=0
for t; do
	run_target "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
for t; do
	grep -q " 0 1$" "$results/fuzz-$t.result" 2>/dev/null && status=1
done
exit $status
