#!/bin/sh
# demo.sh BUILD: svx driving one real service under each installed
# backend (and encore through the test stand-in): start, status, a signal,
# stop, exit. Everything runs under a temporary folder and is stopped by
# pid on the way out.
build=$1
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
TOP=$(cd "$(dirname "$0")/.." && pwd)
SVX_BUILD=$build
. "$TOP/tests/e2e/lib.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/svx-demo.XXXXXX")
SVX_PIDFILE=$T/pids
trap 'cleanup_processes; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

show() {
	printf '\n$ %s\n' "$*" | sed "s|$build/||; s|$T/||g"
	"$@" >"$T/out" 2>&1
	rc=$?
	sed "s|$T/||g" "$T/out"
	[ "$rc" -eq 0 ] || echo "(exit $rc)"
}

for backend in daemontools runit s6 encore; do
	if ! have_backend "$backend"; then
		echo "== $backend: not installed, skipped"
		continue
	fi
	echo
	echo "== $backend ($(supervisor_program "$backend" | sed "s|$build/tests/||"))"
	d=$T/$backend/web
	make_service "$d"
	start_supervisor "$backend" "$d" || { echo "cannot start"; exit 1; }
	wait_for 10 service_started "$d"
	show "$SVX" status "$d"
	show "$SVX" probe "$d"
	show "$SVX" -v hup "$d"
	wait_for 10 log_has "$d" HUP && echo "(the service logged: HUP)"
	show "$SVX" quit "$d"
	show "$SVX" down "$d"
	wait_for 10 status_has "$d" "$backend down"
	show "$SVX" status "$d"
	show "$SVX" up "$d"
	wait_for 10 status_has "$d" "$backend up"
	show "$SVX" status "$d"
	show "$SVX" exit "$d"
	wait_for 10 supervisor_gone "$d"
	show "$SVX" status "$d"
done
# Every backend at once: one command line, one table.
echo
echo "== all of them at once"
dirs= scans=
for backend in daemontools runit s6 encore; do
	have_backend "$backend" || continue
	touch "$T/$backend/web/down"
	start_supervisor "$backend" "$T/$backend/web" || exit 1
	dirs="$dirs $T/$backend/web" scans="$scans${scans:+:}$T/$backend"
done
show "$SVX" -w 5 up $dirs
show env SVX_SCANDIRS="$scans" "$SVX" status --all --color=never
show env SVX_SCANDIRS="$scans" "$SVX" status --all --format=prometheus \
	--backend=s6
show "$SVX" -w 5 exit $dirs
echo
echo "demo done; every process it started has been stopped."
