#!/bin/sh
# run-unit.sh BUILD SUITE TEST...: run cmocka binaries in TAP mode and
# record "SUITE passed failed" in $RESULTS/SUITE.result. A binary that
# dies (a sanitizer abort) counts as one more failure.
build=$1 suite=$2
shift 2
results=${RESULTS:-build/results}
mkdir -p "$results"
passed=0 failed=0
for t in "$@"; do
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$build/tests/$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		printf '%s\n' "$out" | sed "s/^/  $t: /"
	fi
	echo "$suite: $t: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$suite $passed $failed" >"$results/$suite.result"
[ "$failed" -eq 0 ]
