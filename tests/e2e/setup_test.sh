#!/bin/sh
# The README's first commands on a fresh machine. There, pkg-config cannot
# answer for libbsd-overlay until the dependency step has installed
# libbsd-dev; a make that asked it while reading the Makefile compiled
# without the overlay and failed the first time (setprogname undeclared).
# Here a pkg-config that answers only once "deps" has run plays that
# machine: `make demo` and `make bench` must build the first time, with
# the dependency step and the demo or benchmark itself stubbed out. And
# the benchmark's status part, small, prints what the README quotes.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin setup
	real_pkg_config=$(command -v pkg-config) || fail "pkg-config"
	mkdir -p "$T/bin"
	printf '#!/bin/sh\n[ -e %s/deps-done ] || exit 1\nexec %s "$@"\n' \
		"$T" "$real_pkg_config" >"$T/bin/pkg-config"
	chmod 755 "$T/bin/pkg-config"
}

setUp() {
	rm -f "$T/deps-done"
}

# fresh_make TARGET STUB-VARIABLE: TARGET from a clean build directory,
# on the fresh machine; its output in T/TARGET.log.
fresh_make() {
	PATH=$T/bin:$PATH make -C "$TOP" -j2 BUILD="$T/build-$1" \
		RESULTS="$T/results" DEPS_SH="touch $T/deps-done" \
		"$2=true" "$1" >"$T/$1.log" 2>&1
}

test_fresh_pkg_config_refuses_before_deps() {
	PATH=$T/bin:$PATH pkg-config --cflags libbsd-overlay >/dev/null 2>&1
	assertFalse "the stub answers before deps" $?
}

test_demo_builds_the_first_time() {
	fresh_make demo DEMO_SH
	assertTrue "make demo failed:
$(tail -n 20 "$T/demo.log")" $?
	assertTrue "deps ran" "[ -e '$T/deps-done' ]"
	"$T/build-demo/svx" --version >/dev/null
	assertTrue "svx runs" $?
	"$T/build-demo/compat/svc" -Z 2>/dev/null
	assertEquals "a personality answers" 100 $?
}

test_bench_builds_the_first_time() {
	fresh_make bench BENCH_SH
	assertTrue "make bench failed:
$(tail -n 20 "$T/bench.log")" $?
	assertTrue "timeit built" "[ -x '$T/build-bench/tests/timeit' ]"
}

# make bench's status part, small and short: svx against svstat and sv
# status in wall and CPU time, output to a pipe and to /dev/null, the
# other CPU idle and busy (README "Benchmark" quotes a full run).
test_bench_reports_wall_and_cpu_idle_and_busy() {
	[ "$(nproc)" -ge 2 ] || { skip_test; return 0; }
	BENCH_STARTS=no BENCH_WATCH=no BENCH_SERVICES=20 BENCH_STATUS_RUNS=3 \
		sh "$TOP/tests/bench/run.sh" "$SVX_BUILD" >"$T/bench.out" 2>&1
	assertTrue "bench failed: $(tail -n 5 "$T/bench.out")" $?
	num='[0-9]+\.[0-9]+'
	for tool in "svstat DIR/\*" "sv status DIR/\*"; do
		for out in pipe null; do
			for load in idle busy; do
				grep -Eq "^  $tool +$out +$load +$num +$num +$num +$num +$num +$num\$" \
					"$T/bench.out" ||
					fail "no row: $tool $out $load"
			done
		done
	done
	grep -Eq "svx status / svstat DIR/\*: wall $num-${num}x, CPU $num-${num}x" \
		"$T/bench.out" || fail "no svstat ratios: $(cat "$T/bench.out")"
}

. shunit2
