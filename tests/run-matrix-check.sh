#!/bin/sh
# run-matrix-check.sh BUILD: the committed compat-matrix.md must be what
# the tables generate now.
build=$1
results=${RESULTS:-build/results}
mkdir -p "$results"
if cmp -s "$build/compat-matrix.md" compat-matrix.md; then
	echo "matrix: compat-matrix.md is current"
	echo "matrix 1 0" >"$results/matrix.result"
else
	echo "matrix: compat-matrix.md is stale; run 'make matrix' and commit it"
	diff -u compat-matrix.md "$build/compat-matrix.md" | head -40
	echo "matrix 0 1" >"$results/matrix.result"
	exit 1
fi
