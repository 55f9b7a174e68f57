#!/bin/sh
# run-e2e-sanitized.sh asan|memcheck [BUILD]: the end-to-end suites
# again, with every svx the tests run built with ASan+UBSan (BUILD/asan),
# or run under valgrind's memcheck (runit's core suite: each call costs
# valgrind's start-up, and the fault suite's closed stdout and other
# user would be valgrind's log file's trouble, not svx's). A report from
# either fails the run even where the test itself passed; reports are
# kept in $RESULTS/sanitizer-MODE/.
mode=$1
top=$(cd "$(dirname "$0")/.." && pwd)
case ${2:-build} in /*) base=${2} ;; *) base=$top/${2:-build} ;; esac
results=${RESULTS:-$base/results}
logs=$results/sanitizer-$mode
rm -rf "$logs" && mkdir -p "$logs"

case $mode in
asan)
	build=$base/asan
	# Leaks are memcheck's part: LeakSanitizer cannot run under the
	# strace some tests put svx under.
	ASAN_OPTIONS=log_path=$logs/asan:exitcode=86:detect_leaks=0
	UBSAN_OPTIONS=log_path=$logs/ubsan:print_stacktrace=1
	export ASAN_OPTIONS UBSAN_OPTIONS
	# OpenRC's own scripts (openrc-run, its modules) set the pace of
	# its suites, not svx: run once, unsanitized.
	E2E_PREFIX=asan- E2E_SETUP=no E2E_KILL=no E2E_REPEAT=3 E2E_OPENRC=no \
		sh "$top/tests/run-e2e.sh" "$build"
	;;
memcheck)
	# A build directory whose svx and personalities are valgrind
	# wrappers around build/'s, with the real test helpers.
	real=$base
	build=$base/memcheck
	rm -rf "$build" && mkdir -p "$build/compat"
	ln -s "$real/tests" "$build/tests"
	wrap() {
		printf '#!/bin/sh\nexec valgrind -q --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=87 --log-file=%s/memcheck.%%p %s "$@"\n' \
			"$logs" "$1" >"$2"
		chmod 755 "$2"
	}
	wrap "$real/svx" "$build/svx"
	for p in "$real"/compat/*; do
		wrap "$p" "$build/compat/${p##*/}"
	done
	E2E_PREFIX=memcheck- E2E_BACKENDS=runit E2E_SUITES= E2E_LISTING=no \
		E2E_SETUP=no \
		E2E_DOCS=no E2E_ONLY=core_test.sh \
		sh "$top/tests/run-e2e.sh" "$build"
	;;
*)
	echo "usage: run-e2e-sanitized.sh asan|memcheck" >&2
	exit 100
	;;
esac
status=$?
# Reports, wherever they came from. valgrind -q writes only errors, each
# line "==PID=="; a log without one is a clean run.
for f in "$logs"/memcheck.*; do
	[ -f "$f" ] && ! grep -q '^==[0-9]*==' "$f" && rm -f "$f"
done
if [ -n "$(ls "$logs")" ]; then
	echo "$mode: reports in $logs:"
	head -n 20 "$logs"/* | sed 's/^/  /'
	echo "$mode-reports 0 1" >"$results/$mode-reports.result"
	exit 1
fi
echo "$mode: no reports"
echo "$mode-reports 1 0" >"$results/$mode-reports.result"
exit $status
