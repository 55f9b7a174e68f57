#!/bin/sh
# summary.sh RESULTS: one line over every suite that ran:
# "N passed, N failed". Fails if any suite failed or none ran.
results=$1
passed=0 failed=0 suites=0
for f in "$results"/*.result; do
	[ -f "$f" ] || continue
	read -r name p fl <"$f"
	suites=$((suites + 1))
	passed=$((passed + p))
	failed=$((failed + fl))
	[ "$fl" -ne 0 ] && echo "failed suite: $name ($fl)"
done
[ "$suites" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
