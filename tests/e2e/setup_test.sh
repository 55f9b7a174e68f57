#!/bin/sh
# The README's first commands on a fresh machine. There, pkg-config cannot
# answer for libbsd-overlay until the dependency step has installed
# libbsd-dev; a make that asked it while reading the Makefile compiled
# without the overlay and failed the first time (setprogname undeclared).
# Here a pkg-config that answers only once "deps" has run plays that
# machine: `make demo` and `make bench` must build the first time, with
# the dependency step and the demo or benchmark itself stubbed out.

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

. shunit2
