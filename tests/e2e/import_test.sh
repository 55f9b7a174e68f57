#!/bin/sh
# svx import of the unit files Debian's own packages ship (memcached,
# nginx, redis-server, cron: tests/deps.sh installs them), each built by
# `svx import --to BACKEND --dir W/sv`, enabled under the backend's real
# scanner (runsvdir, s6-svscan, svscan; started from /, scan directory
# the test's) and checked to serve: memcached answers stats on 11211,
# nginx serves its page on 80, redis answers PING on 6379 (and under s6
# is ready through notification-fd and its check), cron runs in the
# foreground as the supervisor's own child; `svx hup` reloads nginx (new
# workers, the same master: runit's control/h runs its ExecReload, the
# others send SIGHUP). Then `svx down -w` stops each (no process of it
# left, its port closed) and `svx disable` ends its supervisor.
#
# Ports: the daemons run with their packages' own configurations, so on
# their usual ports; the suite first checks that nothing listens there
# and fails with the port's number if something does. The units are the
# installed ones, found where systemd looks ($SYSTEMD_UNIT_PATH unset).
#
# not tested here: encore (the same run scripts as daemontools); the
# syntax corner cases (tests/unit/test_unit.c), each directive's fields
# and the words sh passes (tests/unit/test_import.c); Type=notify's
# readiness under s6 for a daemon without a known check (said lost).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

UNITS="memcached nginx redis-server cron"

oneTimeSetUp() {
	suite_begin import
}

# Something listens on TCP port PORT (any address).
listening() {
	ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

ports_free() {
	for _port in 11211 6379 80; do
		if listening "$_port"; then
			fail "port $_port is in use: the packages' daemons listen there"
			return 1
		fi
	done
	return 0
}

scan_with() {
	mkdir -p "$2"
	_pid=$("$LAUNCH" -o "$2.out" -C / "$1" "$2") || fail "start $1"
	track_pid "$_pid"
}

memcached_serves() {
	timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/11211 &&
		printf "stats\r\nquit\r\n" >&3 && cat <&3' 2>/dev/null |
		grep -q '^STAT pid '
}

nginx_serves() {
	curl -fs --max-time 5 http://127.0.0.1:80/ | grep -q 'nginx'
}

redis_serves() {
	[ "$(timeout 5 redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]
}

# The supervised pid of DIR (svx status -o pid).
main_pid() {
	"$SVX" status -o pid "$1" 2>/dev/null
}

# cron in the foreground: the supervised process is cron itself, and its
# parent the supervisor (not init: it did not fork away).
cron_in_foreground() {
	_p=$(main_pid "$1")
	[ -n "$_p" ] && [ "$_p" != 0 ] &&
		[ "$(cat "/proc/$_p/comm" 2>/dev/null)" = cron ] &&
		[ "$(awk '{ print $4 }' "/proc/$_p/stat")" != 1 ]
}

serves() {
	case $2 in
	memcached) memcached_serves ;;
	nginx) nginx_serves ;;
	redis-server) redis_serves ;;
	cron) cron_in_foreground "$1" ;;
	esac
}

port_of() {
	case $1 in
	memcached) echo 11211 ;;
	nginx) echo 80 ;;
	redis-server) echo 6379 ;;
	esac
}

# The import's exit: 1 where a lost directive changes what runs (nginx's
# ExecStop; cron's Restart=on-failure where there is no finish script),
# else 0.
expected_exit() {
	case $1/$2 in
	nginx/*|cron/daemontools) echo 1 ;;
	*) echo 0 ;;
	esac
}

# stopped DIR: down, and none of the processes it ran are left.
stopped() {
	"$SVX" status "$1" 2>/dev/null | grep -q ' down ' &&
		! kill -0 "$2" 2>/dev/null
}

import_and_run() {
	b=$1 bound=$2
	for u in $UNITS; do
		"$SVX" import --to "$b" --dir "$W/sv" "$u" >"$W/$u.out" \
			2>"$W/$u.err"
		assertEquals "$b $u: import exit: $(cat "$W/$u.err")" \
			"$(expected_exit "$u" "$b")" $?
		grep -q "^$u: done: $W/sv/$u for $b" "$W/$u.out" ||
			fail "$b $u: $(tail -n 3 "$W/$u.out")"
		[ -x "$W/sv/$u/run" ] || fail "$b $u: no run"
	done
	grep -q '^nginx: lost: ExecStop=' "$W/nginx.out" ||
		fail "$b: nginx's ExecStop not said lost"
	grep -q "^nginx: translated: Type=forking: run keeps it in the foreground" \
		"$W/nginx.out" || fail "$b: nginx's Type=forking"
	case $b in
	daemontools) _fate=lost ;;
	*) _fate=translated ;;
	esac
	grep -q "^cron: $_fate: Restart=on-failure" "$W/cron.out" ||
		fail "$b: cron's Restart"
	for u in $UNITS; do
		"$SVX" enable -w "$bound" "$W/sv/$u" --scandir "$W/scan" \
			>"$W/$u.en" 2>&1
		assertEquals "$b $u: enable: $(cat "$W/$u.en")" 0 $?
		pid=$(main_pid "$W/scan/$u")
		[ -n "$pid" ] && [ "$pid" != 0 ] && track_pid "$pid"
		wait_for 15 serves "$W/scan/$u" "$u" ||
			fail "$b $u: not serving: $(cat "$W/sv/$u/log/main/current" \
				2>/dev/null | tail -n 5)"
	done
	# nginx's ExecReload: runit's control/h (nginx -s reload: new
	# workers, the same master); elsewhere svx hup's SIGHUP, the same.
	master=$(main_pid "$W/scan/nginx")
	workers=$(cat /proc/"$master"/task/*/children 2>/dev/null)
	[ "$b" != runit ] || [ -x "$W/sv/nginx/control/h" ] ||
		fail "$b: nginx: no control/h"
	"$SVX" hup "$W/scan/nginx" >/dev/null 2>&1 || fail "$b: nginx: hup"
	wait_for 10 eval '[ "$(cat /proc/"$master"/task/*/children 2>/dev/null)" != "$workers" ]' ||
		fail "$b: nginx: not reloaded (workers $workers)"
	assertEquals "$b: nginx: the same master" "$master" \
		"$(main_pid "$W/scan/nginx")"
	wait_for 10 nginx_serves || fail "$b: nginx: not serving after reload"
	for u in $UNITS; do
		pid=$(main_pid "$W/scan/$u")
		"$SVX" down -w 10 "$W/scan/$u" >"$W/$u.down" 2>&1
		assertEquals "$b $u: down: $(cat "$W/$u.down")" 0 $?
		wait_for 10 stopped "$W/scan/$u" "$pid" ||
			fail "$b $u: still running: $("$SVX" status "$W/scan/$u")"
		_port=$(port_of "$u")
		[ -z "$_port" ] || wait_for 10 eval "! listening $_port" ||
			fail "$b $u: port $_port still open"
		"$SVX" disable "$W/sv/$u" --scandir "$W/scan" >/dev/null 2>&1 ||
			fail "$b $u: disable"
	done
}

test_runit() {
	have_backend runit || { skip_test; return; }
	ports_free || return
	enter_workdir
	mkdir sv
	scan_with runsvdir "$W/scan"
	import_and_run runit 10
}

test_s6() {
	have_backend s6 || { skip_test; return; }
	ports_free || return
	enter_workdir
	mkdir sv
	scan_with s6-svscan "$W/scan"
	"$SVX" import --to s6 --dir "$W/sv" --dry-run redis-server >"$W/dry" \
		2>&1
	grep -qx '==> '"$W"'/sv/redis-server/notification-fd <==' "$W/dry" ||
		fail "redis under s6: no notification-fd: $(cat "$W/dry")"
	assertEquals "--dry-run builds nothing" "" "$(ls -A sv)"
	import_and_run s6 10
}

# Under s6, redis-server's readiness reaches s6-supervise: s6-svwait -U.
test_s6_redis_ready() {
	have_backend s6 || { skip_test; return; }
	ports_free || return
	enter_workdir
	mkdir sv
	scan_with s6-svscan "$W/scan"
	"$SVX" import --to s6 --dir "$W/sv" redis-server >/dev/null 2>&1 ||
		fail "import"
	"$SVX" enable -w 10 "$W/sv/redis-server" --scandir "$W/scan" \
		>/dev/null 2>&1 || fail "enable"
	pid=$(main_pid "$W/scan/redis-server")
	[ -n "$pid" ] && track_pid "$pid"
	s6-svwait -U -t 15000 "$W/scan/redis-server" ||
		fail "redis-server never ready: $(s6-svstat "$W/scan/redis-server")"
	redis_serves || fail "ready but no PONG"
	"$SVX" down -w 10 "$W/scan/redis-server" >/dev/null 2>&1 ||
		fail "down"
	"$SVX" disable "$W/sv/redis-server" --scandir "$W/scan" >/dev/null 2>&1
}

test_daemontools() {
	have_backend daemontools || { skip_test; return; }
	ports_free || return
	enter_workdir
	mkdir sv
	scan_with svscan "$W/scan"
	# svscan looks every 5 s: enable waits up to its rescan and more.
	import_and_run daemontools 12
}

# Down, its finish done, and not wanted up: no restart comes.
clean_stays_down() {
	"$SVX" status "$1" 2>/dev/null | grep ' down ' | grep -qv 'want up' &&
		! "$SVX" status "$1" 2>/dev/null | grep -q 'finish'
}

# Restart=on-failure through ./finish: a clean exit leaves it down (and
# wanted down), a failing one is restarted; ExecStopPost runs there.
restart_on_failure() {
	b=$1
	enter_workdir
	mkdir sv units
	scan_with "$2" "$W/scan"
	for how in clean failing; do
		code=0
		[ $how = failing ] && code=3
		cat >"units/$how.service" <<-EOF
		[Service]
		ExecStart=/bin/sh -c 'echo x >>$W/$how.runs; sleep 0.3; exit $code'
		ExecStopPost=/bin/sh -c 'echo "\$\$EXIT_CODE \$\$EXIT_STATUS" >>$W/$how.post'
		Restart=on-failure
		EOF
		"$SVX" import --to "$b" --dir "$W/sv" "units/$how.service" \
			>"$how.out" 2>&1 || fail "$b $how: import: $(cat "$how.out")"
		[ -x "sv/$how/finish" ] || fail "$b $how: no finish"
		"$SVX" enable -w 10 "$W/sv/$how" --scandir "$W/scan" \
			>/dev/null 2>&1
	done
	wait_for 10 eval '[ "$(wc -l <"$W/failing.runs" 2>/dev/null)" -ge 2 ]' ||
		fail "$b: a failing exit was not restarted"
	wait_for 10 clean_stays_down "$W/scan/clean" ||
		fail "$b: clean exit: $("$SVX" status "$W/scan/clean")"
	assertEquals "$b: clean ran once" 1 "$(wc -l <"$W/clean.runs")"
	# ExecStopPost in ./finish, with systemd's EXIT_CODE and EXIT_STATUS.
	wait_for 5 grep -qx 'exited 0' "$W/clean.post" ||
		fail "$b: ExecStopPost after a clean exit: $(cat "$W/clean.post")"
	wait_for 5 grep -qx 'exited 3' "$W/failing.post" ||
		fail "$b: ExecStopPost after exit 3: $(cat "$W/failing.post")"
	for how in clean failing; do
		"$SVX" disable "$W/sv/$how" --scandir "$W/scan" >/dev/null 2>&1
	done
}

test_restart_on_failure_runit() {
	have_backend runit || { skip_test; return; }
	restart_on_failure runit runsvdir
}

test_restart_on_failure_s6() {
	have_backend s6 || { skip_test; return; }
	restart_on_failure s6 s6-svscan
}

# Refusals: one line on stderr naming the unit, a documented exit code,
# nothing built.
test_refusals() {
	enter_workdir
	mkdir sv units
	printf '[Service]\nType=forking\nExecStart=/usr/sbin/mystery-daemon\n' \
		>units/myst.service
	"$SVX" import --to runit --dir sv units/myst.service >out 2>err
	assertEquals "forking, unknown daemon: exit" 103 $?
	grep -q 'mystery-daemon is not in svx' err || fail "$(cat err)"
	printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' \
		>units/one.service
	"$SVX" import --to s6 --dir sv units/one.service >out 2>err
	assertEquals "oneshot: exit" 103 $?
	# A FIFO where a unit file should be: said, never opened blocking.
	mkfifo units/fifo.service
	timeout 10 "$SVX" import --to s6 --dir sv units/fifo.service >out 2>err
	assertEquals "a FIFO: exit" 100 $?
	grep -q 'fifo.service: not a regular file' err || fail "$(cat err)"
	"$SVX" import --to s6 --dir sv no-such-unit-here >out 2>err
	assertEquals "no such unit: exit" 100 $?
	grep -q 'no unit no-such-unit-here.service where systemd looks' err ||
		fail "$(cat err)"
	"$SVX" import --dir sv cron >out 2>err
	assertEquals "no --to: exit" 100 $?
	assertEquals "nothing built" "" "$(ls sv)"
	# A name taken is left alone.
	mkdir sv/cron
	"$SVX" import --to runit --dir sv cron >out 2>err
	assertEquals "taken: exit" 100 $?
	grep -q 'already exists; left alone' err || fail "$(cat err)"
	assertEquals "taken: untouched" "" "$(ls sv/cron)"
}

# An alias (a link to another unit, as Debian's redis.service) is read
# under the name it links to: its directory, %n and drop-ins are that
# name's; a link to /dev/null is masked.
test_alias() {
	enter_workdir
	mkdir -p sv units/real.service.d
	printf '[Service]\nExecStart=/bin/echo %%n\n' >units/real.service
	printf '[Service]\nEnvironment=FROM=dropin\n' \
		>units/real.service.d/a.conf
	ln -s real.service units/nick.service
	ln -s /dev/null units/gone.service
	SYSTEMD_UNIT_PATH=$W/units "$SVX" import --to runit --dir "$W/sv" \
		nick >out 2>err
	assertEquals "alias: exit: $(cat err)" 0 $?
	grep -q '^nick: read: nick.service is an alias of real.service' out ||
		fail "$(cat out)"
	grep -qx "exec '/bin/echo' 'real.service'" sv/real/run ||
		fail "$(cat sv/real/run)"
	grep -qx "export FROM='dropin'" sv/real/run || fail "$(cat sv/real/run)"
	SYSTEMD_UNIT_PATH=$W/units "$SVX" import --to runit --dir "$W/sv" \
		gone >out 2>err
	assertEquals "masked: exit" 100 $?
	grep -q 'masked (a link to /dev/null)' err || fail "$(cat err)"
}

# A test-private unit directory ($SYSTEMD_UNIT_PATH), a drop-in that
# resets ExecStart= and an instance of a template: what runs is what the
# unit and its drop-in say, the instance's specifiers resolved.
test_dropin_template() {
	have_backend runit || { skip_test; return; }
	enter_workdir
	mkdir -p sv units/echo@.service.d
	cat >units/echo@.service <<-'EOF'
	[Unit]
	Description=say %i
	[Service]
	Environment="GREETING=hello world" WHO=%I
	ExecStart=/bin/false
	Restart=always
	EOF
	cat >units/echo@.service.d/10-cmd.conf <<-'EOF'
	[Service]
	ExecStart=
	ExecStart=/bin/sh -c 'echo "$1 ${2}" %n; exec sleep 100000' \
	  sh $GREETING ${WHO}
	EOF
	SYSTEMD_UNIT_PATH=$W/units "$SVX" import --to runit --dir "$W/sv" \
		'echo@a-b.service' >out 2>err
	assertEquals "instance: exit: $(cat err)" 0 $?
	grep -q "drop-in $W/units/echo@.service.d/10-cmd.conf" out ||
		fail "$(cat out)"
	[ -x "sv/echo@a-b/run" ] || fail "$(ls sv)"
	grep -qx "exec '/bin/sh' '-c' 'echo \"\$1 \${2}\" echo@a-b.service; exec sleep 100000' 'sh' 'hello' 'world' 'a/b'" \
		"sv/echo@a-b/run" || fail "$(cat "sv/echo@a-b/run")"
	mkdir scan
	scan_with runsvdir "$W/scan"
	"$SVX" enable -w 10 "$W/sv/echo@a-b" --scandir "$W/scan" >/dev/null \
		2>&1 || fail "enable"
	track_pid "$(main_pid "$W/scan/echo@a-b")"
	wait_for 10 grep -q 'hello world echo@a-b.service' \
		"sv/echo@a-b/log/main/current" ||
		fail "log: $(cat "sv/echo@a-b/log/main/current" 2>&1)"
	"$SVX" disable "$W/sv/echo@a-b" --scandir "$W/scan" >/dev/null 2>&1
}

. shunit2
