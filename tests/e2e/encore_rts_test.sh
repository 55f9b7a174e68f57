#!/bin/sh
# daemontools-encore 1.11's own regression tests (rts.tests), run with
# svx's svc, svstat and svok in place of encore's, against encore's real
# supervise and svscan from $ENCORE_BIN. The tests are read from encore's
# source tarball ($ENCORE_SRC, default ../shared/vendor/ beside the
# checkout), never copied into this repository. Only the ten tests that
# call svc, svstat or svok are run, in encore's own order and in one
# shell, as encore's `make rts` does (each leaves its service directory to
# the next); their output must equal encore's .exp files byte for byte.
# Waits inside the tests are encore's own (svok loops, a few sleeps).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

: "${ENCORE_SRC:=$TOP/../shared/vendor/daemontools-encore-1.11.tar.gz}"
RTS_TESTS="nonexistent supervise-base supervise-downtime supervise-lock
supervise-notify supervise-restart supervise-start supervise-stop svc
svscan"

# The rts directory: encore's programs, svx's three personalities over
# theirs, the sleeper, and rts.sh made of the preamble and the tests with
# a marker line before each.
rts_prepare() {
	R=$T/rts
	mkdir -p "$R/src"
	tar -xzf "$ENCORE_SRC" -C "$R/src" || return 1
	src=$(echo "$R"/src/daemontools-encore-*/rts.tests)
	for p in "$ENCORE_BIN"/*; do ln -s "$p" "$R/"; done
	for p in svc svstat svok; do
		rm -f "$R/$p"
		ln -s "$C/$p" "$R/$p"
	done
	ln -s "$SVX_BUILD/tests/sleeper" "$R/sleeper"
	cat "$src/00-preamble.sh" >"$R/rts.sh"
	for t in $RTS_TESTS; do
		printf "echo '@@@ %s'\n" "$t" >>"$R/rts.sh"
		cat "$src/$t.sh" >>"$R/rts.sh"
		cp "$src/$t.exp" "$R/$t.exp"
	done
}

oneTimeSetUp() {
	suite_begin encore-rts
	RTS_SKIP=
	if [ -z "${ENCORE_BIN:-}" ] || [ ! -x "$ENCORE_BIN/supervise" ]; then
		RTS_SKIP="ENCORE_BIN does not name a built encore"
		return 0
	fi
	[ -r "$ENCORE_SRC" ] || { RTS_SKIP="$ENCORE_SRC missing"; return 0; }
	rts_prepare || fail "cannot unpack $ENCORE_SRC"
	# encore runs them with an empty environment (env - /bin/sh rts.sh);
	# a sanitizer's options are let through.
	(cd "$R" && exec env - ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
		${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
		/bin/sh rts.sh >"$R/rts.raw" 2>&1) &
	rts_pid=$!
	track_pid "$rts_pid"
	wait_for 180 rts_done || fail "rts.sh did not end within 180 s"
	cat -v "$R/rts.raw" >"$R/rts.out"
}

rts_done() {
	! kill -0 "$rts_pid" 2>/dev/null
}

# The part of rts.out from NAME's marker to the next marker.
rts_part() {
	awk -v name="@@@ $1" '
		/^@@@ / { on = ($0 == name); next }
		on { print }' "$R/rts.out"
}

# rts_case NAME [ALTERNATIVE]: its output equals encore's expected output,
# or the ALTERNATIVE file where the kernel may order lines either way.
rts_case() {
	if [ -n "$RTS_SKIP" ]; then
		skip_test "$RTS_SKIP"
		return 0
	fi
	rts_part "$1" >"$R/$1.out"
	if [ -n "${2:-}" ] && cmp -s "$2" "$R/$1.out"; then
		return 0
	fi
	diff -u "$R/$1.exp" "$R/$1.out" >"$R/$1.diff"
	assertTrue "$1 differs from encore's expected output:
$(cat "$R/$1.diff")" $?
	return 0
}

# After `svc -d` (svc.exp) and when supervise stops its log
# (supervise-stop.exp), the .exp files have "Caught CONT" then "Caught
# TERM": supervise sends TERM, then CONT, and when both are pending as the
# sleeper wakes, the kernel stacks CONT's handler over TERM's, so CONT's
# line is written first. When the sleeper runs on the other CPU between
# the two kill()s, TERM's handler exits before CONT arrives: encore's own
# svc gives that output too, on a loaded machine. Only such a CONT line
# may be missing; every other line must be there, in order.
rts_alternative() {
	awk '{ line[NR] = $0 }
		END { for (i = 1; i <= NR; i++)
			if (!(line[i] == "Caught CONT" &&
			    line[i + 1] == "Caught TERM")) print line[i] }' \
		"$R/$1.exp" >"$R/$1.alt"
	echo "$R/$1.alt"
}

test_nonexistent() { rts_case nonexistent; }
test_supervise_base() { rts_case supervise-base; }
test_supervise_downtime() { rts_case supervise-downtime; }
test_supervise_lock() { rts_case supervise-lock; }
test_supervise_notify() { rts_case supervise-notify; }
test_supervise_restart() { rts_case supervise-restart; }
test_supervise_start() { rts_case supervise-start; }
test_supervise_stop() {
	[ -n "$RTS_SKIP" ] || alt=$(rts_alternative supervise-stop)
	rts_case supervise-stop "${alt:-}"
}
test_svc() {
	[ -n "$RTS_SKIP" ] || alt=$(rts_alternative svc)
	rts_case svc "${alt:-}"
}
test_svscan() { rts_case svscan; }

. shunit2
