#!/bin/sh
# demo.sh BUILD: svx driving one real service under each installed
# backend (and encore through the test stand-in): start, status, a signal,
# stop, exit; then a supervisord program moved live to runit. Everything
# runs under a temporary folder and is stopped by pid on the way out.
build=$1
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
TOP=$(cd "$(dirname "$0")/.." && pwd)
SVX_BUILD=$build
. "$TOP/tests/e2e/lib.sh"
C=$build/compat

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
# supervisord's program, moved live to runit.
if command -v supervisord >/dev/null && have_backend runit; then
	echo
	echo "== supervisord, and a move to runit"
	mkdir -p "$T/sd/web.wd"
	{
		supervisord_conf
		printf '[program:web]\ncommand=%s %s\ndirectory=%s\n' \
			"$SIGREC" "$T/sd/web.log" "$T/sd/web.wd"
		printf 'environment=GREETING="hello"\nstartsecs=1\n'
	} >"$T/sd.conf"
	sd=$("$LAUNCH" -o "$T/sd.out" -C "$T" supervisord -c "$T/sd.conf") ||
		exit 1
	track_pid "$sd"
	export SVX_SUPERVISORD_SOCKET="$T/sd.sock"
	wait_for 20 test -S "$T/sd.sock" || { echo "no supervisord"; exit 1; }
	show "$SVX" -w 10 up supervisord:web
	show "$SVX" status supervisord:web
	show "$SVX" migrate --to runit --dir "$T/sv" supervisord:web
	for p in $(pids_in "$T/sv/web") $(pids_in "$T/sv/web/log"); do
		track_pid "$p"
	done
	show "$SVX" status "$T/sv/web"
	show "$C/sv" status "$T/sv/web"
	show cat "$T/sv/web/run"
	show "$SVX" -w 5 exit "$T/sv/web"
fi
echo
echo "demo done; every process it started has been stopped."
