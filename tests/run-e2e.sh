#!/bin/sh
# run-e2e.sh BUILD: the shunit2 suites against each backend, each under
# the reaper (which fails the run if a test leaks a process). Records
# "e2e-BACKEND passed failed" per backend in $RESULTS.
build=$1
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
results=${RESULTS:-build/results}
mkdir -p "$results"
top=$(cd "$(dirname "$0")/.." && pwd)
status=0

supervisor_of() {
	case $1 in
	daemontools) echo supervise ;;
	runit) echo runsv ;;
	s6) echo s6-supervise ;;
	encore)
		if [ -n "${ENCORE_BIN:-}" ]; then
			echo "$ENCORE_BIN/supervise"
		else
			echo "$build/tests/encore-standin"
		fi ;;
	esac
}

# run_suite NAME SCRIPT [VAR=VALUE...]: one shunit2 file under the reaper.
run_suite() {
	name=${E2E_PREFIX:-}$1 script=$2
	shift 2
	case " ${E2E_ONLY:-$script} " in *" $script "*) ;; *) return 0 ;; esac
	log=$results/$name.log
	began=$(date +%s)
	env SHUNIT_COLOR=none SVX_BUILD="$build" "$@" \
		"$build/tests/reaper" sh "$top/tests/e2e/$script" >"$log" 2>&1
	rc=$?
	ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}\./\1/p' "$log")
	failures=$(sed -n 's/.*failures=\([0-9]*\).*/\1/p' "$log")
	skipped=$(sed -n 's/.*skipped=\([0-9]*\).*/\1/p' "$log")
	ran=${ran:-0} failures=${failures:-0} skipped=${skipped:-0}
	if [ "$rc" -ne 0 ] && [ "$failures" -eq 0 ]; then
		failures=1	# the suite itself broke, or leaked a process
	fi
	passed=$((ran - failures - skipped))
	[ "$passed" -lt 0 ] && passed=0
	echo "$name: $passed passed, $failures failed, $skipped skipped" \
		"($(($(date +%s) - began)) s)"
	if [ "$failures" -ne 0 ]; then
		grep -B1 -E 'ASSERT|reaper|FAILED' "$log" | sed 's/^/  /'
		status=1
	fi
	echo "$name $passed $failures" >"$results/$name.result"
}

installed() {
	command -v "$(supervisor_of "$1")" >/dev/null 2>&1
}

BACKENDS=${E2E_BACKENDS:-daemontools runit s6 encore}

# Lane 1: each backend's own suites, then svx killed at every step of a
# migration (strace; once, not sanitized).
lane_backends() {
	for backend in $BACKENDS; do
		if ! installed "$backend"; then
			echo "e2e-$backend: $(supervisor_of "$backend") not installed"
			echo "e2e-$backend 0 1" >"$results/e2e-$backend.result"
			status=1
			continue
		fi
		run_suite "e2e-$backend" core_test.sh BACKEND="$backend"
		run_suite "e2e-wait-$backend" wait_test.sh BACKEND="$backend"
		run_suite "faults-$backend" fault_test.sh BACKEND="$backend"
		# svx check's verdicts, svx perms for a non-root group.
		run_suite "check-perms-$backend" check_perms_test.sh \
			BACKEND="$backend"
	done
	[ "${E2E_KILL:-yes}" = yes ] &&
		run_suite migrate-kill migrate_kill_test.sh
	return $status
}

# Lane 2: the clients, OpenRC's modules, the listing, the docs, the
# migrations and supervisord.
lane_others() {
	# OpenRC's modules need a scanner: not for the encore stand-in.
	# Its suites share /run/openrc: all in this one lane.
	for backend in $BACKENDS; do
		[ "$backend" = encore ] || [ "${E2E_OPENRC:-yes}" = no ] ||
			! installed "$backend" ||
			run_suite "openrc-$backend" openrc_test.sh \
				BACKEND="$backend"
	done
	for suite in ${E2E_SUITES:-daemontools runit s6}; do
		run_suite "tools-$suite" "${suite}_test.sh"
	done
	# The README's first commands on a fresh machine (no svx to
	# sanitize).
	[ "${E2E_SETUP:-yes}" = yes ] && run_suite setup setup_test.sh
	# encore's own rts.tests with svx's svc, svstat and svok (real
	# encore from $ENCORE_BIN; every case skips without one).
	run_suite encore-rts encore_rts_test.sh
	[ "${E2E_LISTING:-yes}" = yes ] && run_suite status-all listing_test.sh
	# svx watch over 200 services of every backend at once.
	[ "${E2E_WATCH:-yes}" = yes ] && run_suite watch watch_test.sh
	[ "${E2E_DOCS:-yes}" = yes ] && run_suite docs docs_test.sh
	# svx log against multilog, svlogd and s6-log under their scanners.
	[ "${E2E_LOG:-yes}" = yes ] && run_suite log log_test.sh
	# svx new, enable, disable under each backend's scanner.
	[ "${E2E_LIFECYCLE:-yes}" = yes ] &&
		run_suite lifecycle lifecycle_test.sh
	# svx doctor's findings under each backend's scanner.
	[ "${E2E_DOCTOR:-yes}" = yes ] && run_suite doctor doctor_test.sh
	[ "${E2E_MIGRATE:-yes}" = yes ] && run_suite migrate migrate_test.sh
	# svx import of Debian's memcached, nginx, redis and cron units,
	# run under each backend's scanner (their own ports: one lane).
	[ "${E2E_IMPORT:-yes}" = yes ] && run_suite import import_test.sh
	if [ "${E2E_SUPERVISORD:-yes}" = yes ]; then
		run_suite supervisord supervisord_test.sh
		run_suite supervisord-migrate sd_migrate_test.sh
	fi
	return $status
}

# Two lanes at once (E2E_LANES=1: one after the other). The suites spend
# most of their time waiting on supervisors (svscan's 5 s rescan,
# supervise's second between two starts), not on a CPU, and each runs
# its own scanners in its own directories; what the machine has in
# common (/run/openrc) stays in one lane.
if [ "${E2E_LANES:-2}" -ge 2 ]; then
	lane_backends &
	first=$!
	lane_others &
	second=$!
	wait "$first" || status=1
	wait "$second" || status=1
else
	lane_backends || status=1
	lane_others || status=1
fi
exit $status
