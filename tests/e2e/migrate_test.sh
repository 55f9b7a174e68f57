#!/bin/sh
# svx migrate against real supervisors and scanners: live
# services moved in all six directions among daemontools, runit and s6,
# each with a log/ running that backend's own logger and a finish script;
# the wanted state kept, the logs going on in the same directory, the
# personalities and svx status working after, and never two copies at
# once (the test service holds a lock while it runs: a second copy
# would log "overlap"). A migration that fails half-way rolls back to
# the original backend and files; --dry-run changes nothing.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin migrate
}

setUp() {
	enter_workdir
}

logger_line() {
	case $1 in
	daemontools) echo "exec multilog t s100000 n5 ./main" ;;
	runit) echo "exec svlogd -tt ./main" ;;
	s6) echo "exec s6-log t s100000 n5 ./main" ;;
	esac
}

# service BACKEND NAME: W/sv/NAME, run by sigrec (one copy at a time, or
# "overlap" in its log), a finish script in BACKEND's argument style that
# logs its arguments, and a log/ with BACKEND's logger into log/main.
service() {
	d=$W/sv/$2
	make_service "$d"
	touch "$d/one-copy"
	printf '#!/bin/sh\nexec %s -f %s "$@"\n' "$SIGREC" "$d.log" >"$d/finish"
	# sigrec -f waits for ./release; the finish should just log and end.
	touch "$d/release"
	chmod 755 "$d/finish"
	mkdir -p "$d/log/main"
	printf '#!/bin/sh\n%s\n' "$(logger_line "$1")" >"$d/log/run"
	chmod 755 "$d/log/run"
	[ "$1" = runit ] && printf 's100000\nn5\n' >"$d/log/main/config"
	return 0
}

log_lines() {
	cat "$1"/log/main/current 2>/dev/null | grep -c 'start '
}

native_state() {
	case $1 in
	daemontools) "$C/svstat" "$2" | sed 's/^[^:]*: \([a-z]*\).*/\1/' ;;
	runit) "$C/sv" status "$2" | cut -d: -f1 ;;
	s6) "$C/s6-svstat" -o up "$2" ;;
	esac
}

# migrate_live FROM TO [down]: the whole move, checked.
migrate_live() {
	from=$1 to=$2 want=${3:-up}
	service "$from" web
	scanner "$from" "$W/scan-$from"
	scanner "$to" "$W/scan-$to"
	[ "$want" = down ] && touch "$W/sv/web/down"
	ln -s "$W/sv/web" "$W/scan-$from/web"
	# svx tells the scanner to look (s6-svscan scans only when told).
	"$SVX" -w 20 "$want" "$W/scan-$from/web" || fail "$want under $from"
	if [ "$want" = up ]; then
		wait_for 20 status_has "$W/scan-$from/web" "$from up" ||
			fail "not up under $from"
		wait_for 10 status_has "$W/scan-$from/web" "log: up" ||
			fail "log not up under $from"
		track_service "$W/sv/web" || fail "no start"
		old=$(service_pid "$W/sv/web")
		wait_for 10 sh -c '[ "$(grep -c "start " "$1"/log/main/current \
			2>/dev/null)" -ge 1 ]' x "$W/sv/web" || fail "nothing logged"
	else
		wait_for 20 status_has "$W/scan-$from/web" "$from down" ||
			fail "not down under $from"
		rm "$W/sv/web/down"
	fi
	"$SVX" migrate --to "$to" --scandir "$W/scan-$to" "$W/scan-$from/web" \
		>"$W/report" 2>&1
	rc=$?
	case $to in
	daemontools) assertEquals "exit: finish lost" 1 "$rc" ;;
	*) assertEquals "exit: $(cat "$W/report")" 0 "$rc" ;;
	esac
	grep -q ": done: $to, wanted $want, at $W/scan-$to/web$" "$W/report" ||
		fail "report: $(cat "$W/report")"
	[ -e "$W/scan-$from/web" ] && fail "still in the old scan directory"
	[ -L "$W/scan-$from/.web.svx-migrate" ] && fail "old link left"
	status_has "$W/scan-$to/web" "$to $want" ||
		fail "status: $("$SVX" status "$W/scan-$to/web")"
	[ -d "$W/sv/web/.svx-migrate" ] && fail "backup left after success"
	# The same command again: the service is not there any more.
	"$SVX" migrate --to "$to" --scandir "$W/scan-$to" "$W/scan-$from/web" \
		>"$W/again" 2>&1
	assertEquals "again: exit" 111 $?
	assertEquals "again" "$W/scan-$from/web: error: no such service (moved already? svx status --all shows where it runs); nothing done" \
		"$(cat "$W/again")"
	case $want in
	up)
		assertEquals "native tool" \
			"$(case $to in daemontools) echo up ;; runit) echo run ;;
			s6) echo true ;; esac)" "$(native_state "$to" "$W/scan-$to/web")"
		status_has "$W/scan-$to/web" "log: up" ||
			fail "log: $("$SVX" status "$W/scan-$to/web")"
		kill -0 "$old" 2>/dev/null && fail "the old copy $old still runs"
		track_service "$W/sv/web"
		new=$(service_pid "$W/sv/web")
		[ "$new" != "$old" ] || fail "no new copy"
		# The new copy's "start" line reaches the same log directory.
		wait_for 10 grep -q "start $new" "$W/sv/web/log/main/current" ||
			fail "log did not go on in log/main"
		grep -q "start $old" "$W/sv/web/log/main/current" ||
			fail "the old lines are gone"
		;;
	down)
		assertEquals "never started" 0 "$(grep -c '^start ' "$W/sv/web.log")"
		;;
	esac
	grep -q '^overlap' "$W/sv/web.log" && fail "two copies ran at once"
	# The finish script gets the arguments its own backend would give:
	# SIGKILL (sigrec catches TERM and exits 0) shows the difference.
	case $want:$from:$to in
	up:runit:s6 | up:s6:runit)
		"$SVX" kill "$W/scan-$to/web" || fail "kill"
		case $from in
		runit) pattern='^finish [0-9]+ -1 9$' ;;
		s6) pattern='^finish [0-9]+ 256 9 ' ;;
		esac
		wait_for 10 grep -Eq "$pattern" "$W/sv/web.log" ||
			fail "$from-style args: $(grep '^finish' "$W/sv/web.log")"
		;;
	esac
	"$SVX" -w 10 down "$W/scan-$to/web" || fail "down after"
	return 0
}

test_daemontools_to_runit() { migrate_live daemontools runit; }
test_daemontools_to_s6() { migrate_live daemontools s6; }
test_runit_to_daemontools() { migrate_live runit daemontools; }
test_runit_to_s6() { migrate_live runit s6; }
test_s6_to_daemontools() { migrate_live s6 daemontools; }
test_s6_to_runit() { migrate_live s6 runit; }
test_down_stays_down() { migrate_live runit s6 down; }

# No scanner anywhere: svx ends the old supervisor and starts the new one
# itself, with a pipe to the logger as a scanner would make.
test_supervisor_of_its_own() {
	service runit web
	start_supervisor runit "$W/sv/web" || fail "runsv"
	track_service "$W/sv/web" || fail "no start"
	"$SVX" migrate --to s6 "$W/sv/web" >"$W/report" 2>&1
	rc=$?
	track_started "$W/report"
	assertEquals "exit: $(cat "$W/report")" 0 "$rc"
	grep -q "ran: s6-supervise $W/sv/web/log (pid " "$W/report" ||
		fail "$(cat "$W/report")"
	status_has "$W/sv/web" "s6 up" || fail "$("$SVX" status "$W/sv/web")"
	track_service "$W/sv/web"
	new=$(service_pid "$W/sv/web")
	wait_for 10 grep -q "start $new" "$W/sv/web/log/main/current" ||
		fail "log did not go on"
	assertEquals "s6-svstat" true "$("$C/s6-svstat" -o up "$W/sv/web")"
	grep -q '^overlap' "$W/sv/web.log" && fail "two copies ran at once"
	return 0
}

# linked_up BACKEND [OTHER]: W/sv/web (made first) linked into BACKEND's
# scan directory, up there, with OTHER's scanner ready too; OLD its pid.
linked_up() {
	scanner "$1" "$W/scan-$1"
	[ -n "${2:-}" ] && scanner "$2" "$W/scan-$2"
	ln -s "$W/sv/web" "$W/scan-$1/web"
	"$SVX" -w 20 up "$W/scan-$1/web" || fail "not up"
	track_service "$W/sv/web" || fail "no start"
	old=$(service_pid "$W/sv/web")
}

# files DIR: every file but what supervisors write, with its checksum.
files() {
	(cd "$1" && find . -path '*/supervise' -prune -o -path '*/event' \
		-prune -o -path './log/main' -prune -o -type f -print |
		sort | xargs md5sum; find . -path '*/supervise' -prune -o \
		-path '*/event' -prune -o -print | sort)
}

# Under s6 this run script fails at once (no supervise/ok there): the
# migration must fail after the old supervisor is gone, and roll back.
test_failure_rolls_back() {
	service runit web
	cat >"$W/sv/web/run" <<EOF
#!/bin/sh
[ -p supervise/ok ] || exit 1
exec $SIGREC $W/sv/web.log
EOF
	linked_up runit s6
	files "$W/sv/web" >"$W/before"
	"$SVX" -w 15 migrate --to s6 --scandir "$W/scan-s6" "$W/scan-runit/web" \
		>"$W/report" 2>&1
	assertEquals "exit" 111 $?
	grep -q ": rolled back: runit again, wanted up$" "$W/report" ||
		fail "$(cat "$W/report")"
	[ -e "$W/scan-s6/web" ] && fail "left in the s6 scan directory"
	[ -L "$W/scan-runit/web" ] || fail "not back in the runit one"
	wait_for 10 status_has "$W/scan-runit/web" "runit up" ||
		fail "$("$SVX" status "$W/scan-runit/web")"
	files "$W/sv/web" >"$W/after"
	assertEquals "files as they were" "$(cat "$W/before")" "$(cat "$W/after")"
	track_service "$W/sv/web"
	kill -0 "$old" 2>/dev/null && fail "the old copy still runs"
	grep -q '^overlap' "$W/sv/web.log" && fail "two copies ran at once"
	return 0
}

# A paused service moved: a new process runs under the target, not a
# stopped one; said as lost (exit 1), with the way to pause it again.
test_paused_said_lost() {
	service runit web
	linked_up runit s6
	"$SVX" pause "$W/scan-runit/web" || fail "pause"
	wait_for 10 status_has "$W/scan-runit/web" "paused" || fail "not paused"
	"$SVX" migrate --to s6 --scandir "$W/scan-s6" "$W/scan-runit/web" \
		>"$W/report" 2>&1
	assertEquals "exit: $(cat "$W/report")" 1 $?
	grep -q "^$W/scan-runit/web: lost: paused: the new process runs (svx pause $W/scan-s6/web stops it again)$" \
		"$W/report" || fail "$(cat "$W/report")"
	grep -q ": done: s6, wanted up, at $W/scan-s6/web$" "$W/report" ||
		fail "$(cat "$W/report")"
	track_service "$W/sv/web"
	"$SVX" -w 10 down "$W/scan-s6/web" || fail "down after"
}

# A service that did not stay up before the move (a crash loop) cannot
# pass the target's start check: the move is rolled back, and the
# rollback is done once it is back under runit, wanted up, as it was
# (it used to demand a start that stays up, and left the migration
# unfinishable). The same command then says the same, not "interrupted".
test_crash_loop_rolled_back_as_it_was() {
	service runit web
	printf '#!/bin/sh\nsleep 0.05\nexit 4\n' >"$W/sv/web/run"
	scanner runit "$W/scan-runit"
	scanner s6 "$W/scan-s6"
	ln -s "$W/sv/web" "$W/scan-runit/web"
	# The scanner kicked; the start's verdict is a failure, as it should.
	"$SVX" -w 10 up "$W/scan-runit/web" 2>/dev/null &&
		fail "a crash loop said up"
	wait_for 10 status_has "$W/scan-runit/web" "web: runit " ||
		fail "never supervised"
	for try in 1 2; do
		"$SVX" -w 15 migrate --to s6 --scandir "$W/scan-s6" \
			"$W/scan-runit/web" >"$W/report" 2>&1
		assertEquals "$try: exit: $(cat "$W/report")" 111 $?
		grep -q ": rolled back: runit again, wanted up$" "$W/report" ||
			fail "$try: $(cat "$W/report")"
		grep -q ": warning: back under runit, wanted up, but it does not stay up there either$" \
			"$W/report" || fail "$try: $(cat "$W/report")"
		[ -e "$W/sv/web/.svx-migrate" ] && fail "$try: journal left"
		"$SVX" status "$W/scan-runit/web" >"$W/status" 2>&1
		grep -q "interrupted" "$W/status" && fail "$try: $(cat "$W/status")"
		grep -q "web: runit " "$W/status" ||
			fail "$try: $(cat "$W/status")"
	done
	[ -e "$W/scan-s6/web" ] && fail "left in the s6 scan directory"
	track_service "$W/sv/web"
	return 0
}

# s6-log writing outside the service (an absolute directory): svlogd
# would read its size and count from that directory's config, which is
# not svx's to write. Moved, that said as lost (exit 1), nothing there.
test_log_directory_outside_the_service() {
	service s6 web
	mkdir -p "$W/outside"
	printf '#!/bin/sh\nexec s6-log t s100000 n5 %s\n' "$W/outside" \
		>"$W/sv/web/log/run"
	linked_up s6 runit
	"$SVX" -w 20 migrate --to runit --scandir "$W/scan-runit" \
		"$W/scan-s6/web" >"$W/report" 2>&1
	assertEquals "exit: $(cat "$W/report")" 1 $?
	grep -q ": lost: log size and count: svlogd reads them from $W/outside/config, outside the service directory, where svx writes nothing$" \
		"$W/report" || fail "report: $(cat "$W/report")"
	grep -q ": done: runit, wanted up, at $W/scan-runit/web$" \
		"$W/report" || fail "report: $(cat "$W/report")"
	[ -e "$W/outside/config" ] && fail "written outside the service"
	grep -qx "exec svlogd -t $W/outside" "$W/sv/web/log/run" ||
		fail "log/run: $(cat "$W/sv/web/log/run")"
	track_service "$W/sv/web"
	return 0
}

test_dry_run_changes_nothing() {
	service s6 web
	linked_up s6 runit
	pid=$old
	# Everything under W: names, types, sizes, modes, link targets, the
	# files' checksums, and anything newer than the stamp.
	snapshot() {
		(cd "$W" && find . -newer "$T/dry.stamp" -print; find . -printf \
			'%p %y %s %m %l\n' | sort; find . -type f ! -name current \
			-print0 | xargs -0 md5sum | sort)
	}
	: >"$T/dry.stamp"
	snapshot >"$T/dry.before"
	"$SVX" migrate --to runit --dry-run --scandir "$W/scan-runit" \
		"$W/scan-s6/web" >"$T/dry.report" 2>&1
	assertEquals "exit" 0 $?
	grep -q ": would run: svx -w 30 down $W/scan-s6/web$" "$T/dry.report" ||
		fail "$(cat "$T/dry.report")"
	grep -q ": translated: log/run: s6-log -> svlogd" "$T/dry.report" ||
		fail "$(cat "$T/dry.report")"
	snapshot >"$T/dry.after"
	assertEquals "tree byte for byte" "$(cat "$T/dry.before")" \
		"$(cat "$T/dry.after")"
	assertEquals "same process" "$pid" "$(service_pid "$W/sv/web")"
	status_has "$W/scan-s6/web" "s6 up (pid $pid)" || fail "touched"
}

# Its old scanner would start a supervisor of its own backend next to
# the new one: refused, nothing done.
test_refused_without_a_target_scanner() {
	service runit web
	linked_up runit
	pid=$old
	"$SVX" migrate --to s6 "$W/scan-runit/web" >"$W/report" 2>&1
	assertEquals "exit" 111 $?
	grep -q "is watched by a runit scanner; name a scan directory where a s6 scanner runs (--scandir)" \
		"$W/report" || fail "$(cat "$W/report")"
	status_has "$W/scan-runit/web" "runit up (pid $pid)" || fail "touched"
	"$SVX" migrate --to s6 --scandir "$W/scan-runit" "$W/scan-runit/web" \
		>"$W/report" 2>&1
	assertEquals "a scan directory of the wrong backend" 111 $?
	grep -q "no s6 scanner runs on $W/scan-runit" "$W/report" ||
		fail "$(cat "$W/report")"
}

# svlogd's config a FIFO (anyone who can write log/main): svx read it and
# waited for ever, --dry-run too. Refused at once, the file named.
test_logger_config_fifo_refused_at_once() {
	service runit web
	start_supervisor runit "$W/sv/web" || fail "runsv"
	track_service "$W/sv/web" || fail "no start"
	pid=$(service_pid "$W/sv/web")
	rm "$W/sv/web/log/main/config"
	mkfifo "$W/sv/web/log/main/config"
	for dry in --dry-run ""; do
		timeout 10 "$SVX" migrate $dry --to s6 "$W/sv/web" \
			>"$W/report" 2>&1
		assertEquals "exit $dry" 111 $?
		grep -qx "$W/sv/web: error: log/main/config: not a regular file: svx reads only regular files there" \
			"$W/report" || fail "$dry: $(cat "$W/report")"
	done
	[ -p "$W/sv/web/log/main/config" ] || fail "the FIFO was touched"
	status_has "$W/sv/web" "runit up (pid $pid)" || fail "touched"
}

# One migration of a service at a time: the second is refused at once,
# naming the first one's pid, and says nothing of a rollback. The first is
# held in its first step (down) by a finish script that reads a FIFO of
# the test's, until the second has been refused.
test_second_migration_refused_at_once() {
	service runit web
	mkfifo "$W/gate"
	printf '#!/bin/sh\necho "finish $$" >>%s\nread x <%s\n' \
		"$W/sv/web.log" "$W/gate" >"$W/sv/web/finish"
	linked_up runit s6
	"$SVX" migrate --to s6 --scandir "$W/scan-s6" "$W/scan-runit/web" \
		>"$W/report1" 2>&1 &
	first=$!
	track_pid "$first"
	wait_for 20 grep -q '^finish ' "$W/sv/web.log" ||
		fail "the first never stopped it: $(cat "$W/report1")"
	timed_ms=$(now_ms)
	timeout 10 "$SVX" migrate --to s6 --scandir "$W/scan-s6" \
		"$W/scan-runit/web" >"$W/report2" 2>&1
	rc=$?
	took=$(( $(now_ms) - timed_ms ))
	assertEquals "second: $(cat "$W/report2")" 111 "$rc"
	grep -qx "$W/scan-runit/web: error: another svx migrate (pid $first) is moving it; nothing done" \
		"$W/report2" || fail "second: $(cat "$W/report2")"
	assertEquals "one line" 1 "$(wc -l <"$W/report2")"
	[ "$took" -lt 2000 ] || fail "refused after $took ms"
	timeout 10 sh -c 'echo go >"$1"' x "$W/gate" || fail "gate"
	wait "$first"
	assertEquals "first: $(cat "$W/report1")" 0 $?
	grep -q ": done: s6, wanted up, at $W/scan-s6/web$" "$W/report1" ||
		fail "first: $(cat "$W/report1")"
	grep -q "rollback\|rolled back" "$W/report1" "$W/report2" &&
		fail "a rollback told"
	status_has "$W/scan-s6/web" "s6 up" ||
		fail "$("$SVX" status "$W/scan-s6/web")"
	# Nothing left that stops the next one.
	"$SVX" migrate --dry-run --to runit --scandir "$W/scan-runit" \
		"$W/scan-s6/web" >"$W/report3" 2>&1
	assertEquals "next: $(cat "$W/report3")" 0 $?
	grep -q '^overlap' "$W/sv/web.log" && fail "two copies ran at once"
	return 0
}

# refused_for WHAT DIR OWNER: run as root, svx migrate refuses, naming DIR
# and its OWNER, and the service is as it was.
refused_for() {
	for dry in --dry-run ""; do
		"$SVX" migrate $dry --to s6 --scandir "$W/scan-s6" \
			"$W/scan-runit/web" >"$W/report" 2>&1
		assertEquals "$1 $dry: exit" 111 $?
		grep -q "^$W/scan-runit/web: error: $2 is owned by $3 (uid [0-9]*), mode [0-7]*: run as root, svx migrates nothing that another user owns or can write$" \
			"$W/report" || fail "$1 $dry: $(cat "$W/report")"
		assertEquals "$1: one line" 1 "$(wc -l <"$W/report")"
	done
	status_has "$W/scan-runit/web" "runit up (pid $old)" ||
		fail "$1: touched: $("$SVX" status "$W/scan-runit/web")"
	[ -e "$W/scan-s6/web" ] && fail "$1: linked into the s6 scan directory"
	return 0
}

# Root is not steered by a user: a service directory, its log/ or
# supervise/, or the target scan directory that another user owns or can
# write is refused (reading its status stays allowed).
test_root_refuses_what_a_user_controls() {
	[ "$(id -u)" -eq 0 ] || { skip_test; return 0; }
	service runit web
	linked_up runit s6
	chown nobody "$W/sv/web"
	refused_for owner "$W/sv/web" nobody
	status_has "$W/scan-runit/web" "runit up" || fail "status refused"
	chown root "$W/sv/web"
	chmod g+w "$W/sv/web/log"
	refused_for "group-writable log/" "$W/sv/web/log" root
	chmod g-w "$W/sv/web/log"
	# A supervise/ chowned by hand (its status file root's): whom the
	# service ran as cannot be told.
	chown nobody "$W/sv/web/supervise"
	"$SVX" migrate --to s6 --scandir "$W/scan-s6" "$W/scan-runit/web" \
		>"$W/report" 2>&1
	assertEquals "chowned supervise/: exit" 111 $?
	grep -qx "$W/scan-runit/web: error: $W/sv/web/supervise is owned by uid $(id -u nobody), its status file another's: svx cannot tell which user its service ran as" \
		"$W/report" || fail "chowned supervise/: $(cat "$W/report")"
	status_has "$W/scan-runit/web" "runit up (pid $old)" ||
		fail "chowned supervise/: touched"
	chown root "$W/sv/web/supervise"
	chmod o+w "$W/scan-s6"
	refused_for "world-writable scan directory" "$W/scan-s6" root
	chmod o-w "$W/scan-s6"
}

# dry_run_passes TO DIR: svx migrate --dry-run to TO's W/scan-TO passes.
dry_run_passes() {
	"$SVX" migrate --dry-run --to "$1" --scandir "$W/scan-$1" "$2" \
		>/dev/null 2>&1
}

# uid_of PID: the real uid the process runs as.
uid_of() {
	awk '/^Uid:/ { print $2 }' "/proc/$1/status"
}

# user_runsv: W/sv/web (its run made, saved as W/run.orig) supervised
# as runit's docs show for a user's service: chpst -u nobody runsv DIR,
# its supervise/ the user's; PID the supervisor, OLD the service's pid.
user_runsv() {
	cp "$W/sv/web/run" "$W/run.orig"
	mkdir "$W/sv/web/supervise"
	chown nobody "$W/sv/web/supervise" "$W/sv/web.log"
	pid=$("$LAUNCH" -o "$W/runsv.out" -C / chpst -u nobody runsv \
		"$W/sv/web") || fail "chpst -u nobody runsv"
	track_pid "$pid"
	track_service "$W/sv/web" || fail "no start under the user's runsv"
	old=$(service_pid "$W/sv/web")
	scanner s6 "$W/scan-s6"
	# Its dry run passes once the new scanner runs in its directory.
	wait_for 10 dry_run_passes s6 "$W/sv/web" ||
		fail "dry run: $("$SVX" migrate --dry-run --to s6 --scandir \
			"$W/scan-s6" "$W/sv/web" 2>&1)"
}

# A service whose supervisor ran as a user (chpst -u nobody runsv DIR,
# its supervise/ the user's) keeps the user
# under root's s6-svscan (run wraps the original with s6-setuidgid), and
# the report says so; and back under root's runsvdir, still the user's.
test_user_supervisor_keeps_its_user() {
	[ "$(id -u)" -eq 0 ] || { skip_test; return 0; }
	chmod 755 "$T" "$W"
	make_service "$W/sv/web"
	# Its logger too: runsv runs log/run as its own user.
	mkdir -p "$W/sv/web/log/main" "$W/sv/web/log/supervise"
	printf '#!/bin/sh\nexec svlogd -tt ./main\n' >"$W/sv/web/log/run"
	chmod 755 "$W/sv/web/log/run"
	chown nobody "$W/sv/web/log/main" "$W/sv/web/log/supervise"
	user_runsv
	assertEquals "before: runs as nobody" "$(id -u nobody)" "$(uid_of "$old")"
	# A finish ran as the user too: root's supervisor would run it as
	# root, so the move is refused, and nothing is touched.
	printf '#!/bin/sh\nexit 0\n' >"$W/sv/web/finish"
	chmod 755 "$W/sv/web/finish"
	"$SVX" migrate --to s6 --scandir "$W/scan-s6" "$W/sv/web" \
		>"$W/report" 2>&1
	assertEquals "with a finish: exit" 111 $?
	grep -q ": error: its supervisor ran as nobody, and so did its finish: under s6's it would run as root" \
		"$W/report" || fail "with a finish: $(cat "$W/report")"
	status_has "$W/sv/web" "runit up (pid $old)" || fail "touched"
	rm "$W/sv/web/finish"
	"$SVX" migrate --to s6 --scandir "$W/scan-s6" "$W/sv/web" \
		>"$W/report" 2>&1
	assertEquals "to s6: $(cat "$W/report")" 0 $?
	grep -q ": translated: run: its supervisor ran as nobody; a wrapper starts it as nobody (s6-setuidgid nobody), the original kept as run.user$" \
		"$W/report" || fail "not said: $(cat "$W/report")"
	grep -q ": done: s6, wanted up, at $W/scan-s6/web$" "$W/report" ||
		fail "report: $(cat "$W/report")"
	wait_for 10 sh -c '[ "$(grep -c "^start " "$1")" -ge 2 ]' x \
		"$W/sv/web.log" || fail "no new start"
	track_service "$W/sv/web"
	new=$(service_pid "$W/sv/web")
	assertEquals "under s6: runs as nobody" "$(id -u nobody)" \
		"$(uid_of "$new")"
	cmp -s "$W/run.orig" "$W/sv/web/run.user" || fail "run.user is not run"
	grep -q ": translated: log/run: its supervisor ran as nobody; the logger is started as nobody$" \
		"$W/report" || fail "logger not said: $(cat "$W/report")"
	grep -qx "exec s6-setuidgid nobody s6-log .*main" "$W/sv/web/log/run" ||
		fail "log/run: $(cat "$W/sv/web/log/run")"
	wait_for 10 status_has "$W/scan-s6/web" "log: up" || fail "log not up"
	assertEquals "logger runs as nobody" "$(id -u nobody)" \
		"$(uid_of "$("$SVX" status -o pid "$W/sv/web/log")")"
	# Ended (a zombie until its launcher's parent reaps it).
	wait_for 5 sh -c '! kill -0 "$1" 2>/dev/null ||
		grep -q "^State:.*Z" "/proc/$1/status"' x "$pid" ||
		fail "the user's runsv still runs"
	# Back, under root's runsvdir: the wrapper stays, and the user too.
	scanner runit "$W/scan-runit"
	wait_for 10 dry_run_passes runit "$W/scan-s6/web" || fail "dry run"
	"$SVX" migrate --to runit --scandir "$W/scan-runit" "$W/scan-s6/web" \
		>"$W/report" 2>&1
	assertEquals "to runit: $(cat "$W/report")" 0 $?
	wait_for 10 sh -c '[ "$(grep -c "^start " "$1")" -ge 3 ]' x \
		"$W/sv/web.log" || fail "no start under runit"
	track_service "$W/sv/web"
	assertEquals "under runit: runs as nobody" "$(id -u nobody)" \
		"$(uid_of "$(service_pid "$W/sv/web")")"
	grep -q '^overlap' "$W/sv/web.log" && fail "two copies ran at once"
	return 0
}

# The same service, whose run fails under s6 (no supervise/ok there):
# the move rolls back, run is the original again, and svx starts the old
# supervisor as the user it ran as, not as root.
test_user_supervisor_rolled_back_as_the_user() {
	[ "$(id -u)" -eq 0 ] || { skip_test; return 0; }
	chmod 755 "$T" "$W"
	make_service "$W/sv/web"
	cat >"$W/sv/web/run" <<EOF
#!/bin/sh
[ -p supervise/ok ] || exit 1
exec $SIGREC $W/sv/web.log
EOF
	user_runsv
	"$SVX" -w 15 migrate --to s6 --scandir "$W/scan-s6" "$W/sv/web" \
		>"$W/report" 2>&1
	assertEquals "exit: $(cat "$W/report")" 111 $?
	grep -q ": rolled back: runit again, wanted up$" "$W/report" ||
		fail "report: $(cat "$W/report")"
	track_started "$W/report"
	cmp -s "$W/run.orig" "$W/sv/web/run" || fail "run is not the original"
	[ -e "$W/sv/web/run.user" ] && fail "run.user left"
	wait_for 10 status_has "$W/sv/web" "runit up" ||
		fail "status: $("$SVX" status "$W/sv/web")"
	wait_for 10 sh -c '[ "$(sed -n "s/^start //p" "$1" | tail -n 1)" \
		!= "$2" ]' x "$W/sv/web.log" "$old" || fail "not started again"
	track_service "$W/sv/web"
	assertEquals "after the rollback: runs as nobody" "$(id -u nobody)" \
		"$(uid_of "$(service_pid "$W/sv/web")")"
	grep -q '^overlap' "$W/sv/web.log" && fail "two copies ran at once"
	return 0
}

# A user's process named runsvdir, started from the user's directory on
# it, is no scanner of root's: svx migrate
# --all (run dry: --all takes every scan directory of the machine) does
# not take that directory for one.
test_users_runsvdir_is_no_scanner_for_root() {
	[ "$(id -u)" -eq 0 ] || { skip_test; return 0; }
	chmod 755 "$T" "$W"
	scanner s6 "$W/scan-s6"
	mkdir -p "$W/bin" "$W/user" "$W/usv"
	cp "$SVX_BUILD/tests/sleeper" "$W/bin/runsvdir"
	make_service "$W/usv/web"
	ln -s "$W/usv/web" "$W/user/web"
	chown -R nobody "$W/user" "$W/usv"
	pid=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$LAUNCH" -o "$W/user/out" -C "$W/user" "$W/bin/runsvdir" .) ||
		fail "the user's runsvdir"
	track_pid "$pid"
	wait_for 5 sh -c '[ "$(cat /proc/$1/comm)" = runsvdir ]' x "$pid" ||
		fail "not named runsvdir"
	timeout 120 "$SVX" migrate --all --dry-run --to s6 --scandir \
		"$W/scan-s6" >"$W/report" 2>&1
	grep -F "$W/user" "$W/report" && fail "the user's directory was taken"
	# Named, it is the user's: refused whatever scanner there is.
	"$SVX" migrate --dry-run --to s6 --scandir "$W/scan-s6" \
		"$W/user/web" >"$W/report" 2>&1
	assertEquals "named: exit" 111 $?
	grep -q "error: $W/usv/web is owned by nobody" "$W/report" ||
		fail "named: $(cat "$W/report")"
	return 0
}

# Killed before it linked the service into the target's scan directory
# (strace's SIGKILL at the symlink call): svx status says so, by the name
# the admin knows, though the entry is hidden; a dry run says what the
# same command would do; --rollback puts it back, wanted up, running once.
test_interrupted_then_rolled_back() {
	command -v strace >/dev/null || { fail "strace not installed"; return; }
	service runit web
	linked_up runit s6
	files "$W/sv/web" >"$W/before"
	strace -qq -o /dev/null -e trace=symlink \
		-e inject=symlink:signal=KILL:when=1 "$SVX" migrate --to s6 \
		--scandir "$W/scan-s6" "$W/scan-runit/web" >"$W/report" 2>&1
	[ -L "$W/scan-runit/.web.svx-migrate" ] || fail "not interrupted"
	"$SVX" status "$W/scan-runit/web" >/dev/null 2>"$W/err"
	grep -q "a migration to s6 was interrupted after start" "$W/err" ||
		fail "status: $(cat "$W/err")"
	"$SVX" probe "$W/scan-runit/web" >/dev/null 2>"$W/err"
	grep -q "a migration to s6 was interrupted after start" "$W/err" ||
		fail "probe: $(cat "$W/err")"
	"$SVX" migrate --dry-run --to s6 --scandir "$W/scan-s6" \
		"$W/scan-runit/web" >"$W/report" 2>&1
	grep -q "would recover: .* the same command undoes it first" \
		"$W/report" || fail "dry run: $(cat "$W/report")"
	"$SVX" migrate --rollback "$W/scan-runit/web" >"$W/report" 2>&1
	assertEquals "rollback: $(cat "$W/report")" 0 $?
	grep -q ": rolled back: runit again, wanted up$" "$W/report" ||
		fail "$(cat "$W/report")"
	status_has "$W/scan-runit/web" "runit up" ||
		fail "$("$SVX" status "$W/scan-runit/web")"
	[ -e "$W/scan-runit/.web.svx-migrate" ] && fail "hidden entry left"
	[ -e "$W/scan-s6/web" ] && fail "linked into s6"
	files "$W/sv/web" | diff "$W/before" - || fail "files differ"
	"$SVX" migrate --rollback "$W/scan-runit/web" >"$W/report" 2>&1
	grep -q "no interrupted migration to undo" "$W/report" ||
		fail "second rollback: $(cat "$W/report")"
	grep -q '^overlap' "$W/sv/web.log" && fail "two copies ran at once"
	return 0
}

# The report piped to head: the reader goes after one line, the move
# goes on to its end, and svx says on stderr that the report was lost.
test_report_reader_gone() {
	service runit web
	linked_up runit s6
	{ "$SVX" migrate --to s6 --scandir "$W/scan-s6" "$W/scan-runit/web" \
		2>"$W/err"; echo $? >"$W/rc"; } | head -n 1 >/dev/null
	assertEquals "exit" 111 "$(cat "$W/rc")"
	grep -q "the report could not be written" "$W/err" ||
		fail "stderr: $(cat "$W/err")"
	status_has "$W/scan-s6/web" "s6 up" ||
		fail "not moved: $("$SVX" status "$W/scan-s6/web")"
	[ -d "$W/sv/web/.svx-migrate" ] && fail "journal left"
	return 0
}

. shunit2
