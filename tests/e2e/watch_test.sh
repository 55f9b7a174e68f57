#!/bin/sh
# svx watch against real scanners and supervisors of every backend at
# once: 200 services under svscan, runsvdir, s6-svscan and encore (its
# svscan from $ENCORE_BIN, else the stand-in, one supervisor each), one
# `svx watch --all --json` over all of them. A restart's event comes
# within 50 ms; idle, watch takes no CPU; services added to and removed
# from a scan directory are events; a supervisor that ends is one;
# SIGTERM, SIGINT and a closed stdout end it with exit 0.
#
# Every line watch prints goes through linestamp, which writes the time
# it read the line (microseconds) in front of it.
#
# supervisord's programs are asked once a second: one is watched here,
# its states' mapping is supervisord_test.sh's.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

STAMP=$SVX_BUILD/tests/linestamp
PER=60		# services per scan directory (encore: ENC)
ENC=20

scanner() {
	_pid=$("$LAUNCH" -o "$T/$(basename "$1").out" -C / "$1" "$2") ||
		fail "start $1"
	track_pid "$_pid"
}

# services DIR TAG COUNT: COUNT services named $P$TAG<n> in DIR, made
# with as few processes as the shell allows.
services() {
	_i=1 _dirs=
	while [ "$_i" -le "$3" ]; do
		_dirs="$_dirs $1/$P$2$_i"
		_i=$((_i + 1))
	done
	mkdir -p $_dirs
	for _d in $_dirs; do
		printf '#!/bin/sh\nexec %s %s\n' "$SIGREC" "$_d.log" >"$_d/run"
		: >"$_d.log"
	done
	(cd "$1" && chmod 755 "$P$2"*/run)
}

# How many of our services are up, as svx status --all sees them.
count_up() {
	SVX_SCANDIRS=$SCANS "$SVX" status --all --json "$P*" 2>/dev/null |
		jq -r --arg t "$T/" '[.services[] | select(.path |
		startswith($t)) | select(.state == "up")] | length'
}

all_up() {
	[ "$(count_up)" -eq "$TOTAL" ]
}

watching() {
	grep -qs "watching $2 services" "$1"
}

oneTimeSetUp() {
	suite_begin watch
	chmod 755 "$T"
	P=wm$$x
	DT=$T/dt RN=$T/rn S6=$T/s6 EN=$T/en
	mkdir -p "$T/src" "$T/gone" "$DT" "$RN" "$S6" "$EN" "$T/named"
	services "$DT" dt "$PER"
	services "$RN" rn "$PER"
	services "$S6" s6 "$PER"
	services "$EN" en "$ENC"
	TOTAL=$((3 * PER + ENC))
	SCANS=$DT:$RN:$S6:$EN
	scanner svscan "$DT"
	scanner runsvdir "$RN"
	scanner s6-svscan "$S6"
	if [ -n "${ENCORE_BIN:-}" ]; then
		scanner "$ENCORE_BIN/svscan" "$EN"
	else
		for _d in "$EN/$P"en*; do
			[ -d "$_d" ] || continue	# not its .log
			start_supervisor encore "$_d" || fail "stand-in $_d"
		done
	fi
	wait_for 60 all_up || fail "not all up: $(count_up) of $TOTAL"
	mkfifo "$T/events.fifo"
	"$STAMP" <"$T/events.fifo" >"$T/events" &
	track_pid $!
	SVX_SCANDIRS=$SCANS "$SVX" -v watch --all --json "$P*" \
		>"$T/events.fifo" 2>"$T/watch.err" &
	WATCH=$!
	track_pid "$WATCH"
	wait_for 20 watching "$T/watch.err" "$TOTAL" ||
		fail "watch not ready: $(cat "$T/watch.err")"
}

# The scanners, the services and the one watch are the suite's.
tearDown() {
	:
}

# event_after T0 NAME [JQ-CONDITION]: "MICROSECONDS-AFTER-T0 OBJECT" of
# the first event of NAME stamped at or after T0 (meeting the
# condition); false when none yet.
event_after() {
	_line=$(awk -v t0="$1" -v s="\"service\":\"$2\"" \
		'$1 >= t0 && index($0, s) { sub(/^[0-9]+ /, ""); print }' \
		"$T/events" | jq -c "select(${3:-true})" 2>/dev/null | head -n 1)
	[ -n "$_line" ] || return 1
	_at=$(awk -v t0="$1" -v s="\"service\":\"$2\"" -v line="$_line" \
		'$1 >= t0 && index($0, s) { l = $0; sub(/^[0-9]+ /, "", l)
		if (l == line) { print $1 - t0; exit } }' "$T/events")
	echo "$_at $_line"
}

has_event() {
	event_after "$@" >/dev/null
}

now_us() {
	date +%s%6N
}

# restart_latency NAME DIR: LATENCY, the microseconds from before `svx
# restart` to watch's first line about it; then waits for the service up
# again, and for its status to say it has been up a second: supervise
# (daemontools, encore) acts on nothing in the second after it starts a
# service (PROTOCOLS.md#daemontools), which would time its throttle, not
# watch. Called in the test's own shell: its fails count.
restart_latency() {
	LATENCY=999999
	_t0=$(now_us)
	"$SVX" restart "$2" || fail "restart $1"
	wait_for 5 has_event "$_t0" "$1" || { fail "$1: no event"; return; }
	LATENCY=$(event_after "$_t0" "$1" | cut -d' ' -f1)
	wait_for 10 has_event "$_t0" "$1" '.new == "up"' ||
		fail "$1 not up again"
	wait_for 5 up_a_second "$2" || fail "$1 not up for a second"
}

# up_a_second DIR: its status says up, since a second at least (the
# stamp in whole seconds: two of them apart).
up_a_second() {
	_since=$("$SVX" status --json "$1" 2>/dev/null |
		jq -r '.services[0] | select(.state == "up") | .since')
	[ -n "$_since" ] && [ "$_since" != null ] &&
		[ $(( $(date +%s) - _since )) -ge 2 ]
}

# stop_watch PID SIG: SIG sent, PID's end waited for with a bound (a
# watch that ignores SIG fails the test, it does not hang the suite);
# its exit code is wait's.
stop_watch() {
	kill -"$2" "$1"
	if ! wait_for 5 pid_gone "$1"; then
		fail "watch $1 still running 5 s after SIG$2"
		kill -KILL "$1"
	fi
	wait "$1"
}

test_restart_event_within_50ms_over_200_services() {
	for b in dt rn s6 en; do
		eval "d=\$$(echo "$b" | tr a-z A-Z)"
		name=${P}${b}1 best=999999
		# The best of three: the machine is shared with other suites.
		for try in 1 2 3; do
			restart_latency "$name" "$d/$name"
			us=$LATENCY
			[ "$us" -lt "$best" ] && best=$us
			[ "$best" -lt 50000 ] && break
		done
		echo "watch: $b restart seen after $best us (of $TOTAL services)"
		assertTrue "$b: restart seen in $best us, not under 50 ms" \
			"[ $best -lt 50000 ]"
	done
	e=$(sed 's/^[0-9]* //' "$T/events" | jq -c --arg n "${P}s61" \
		'select(.service == $n and .new == "up")' | tail -n 1)
	assertEquals "schema" svx.event/1 "$(echo "$e" | jq -r .schema)"
	assertEquals "backend" s6 "$(echo "$e" | jq -r .backend)"
	assertEquals "path" "$S6/${P}s61" "$(echo "$e" | jq -r .path)"
	assertEquals "pid" "$(service_pid "$S6/${P}s61")" \
		"$(echo "$e" | jq -r .pid)"
	assertTrue "time" "echo '$e' | jq -e '.time | test(\"Z\$\")'"
}

cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

test_idle_watch_uses_no_cpu() {
	wait_for 20 all_up || fail "not all up"
	before=$(cpu_ticks "$WATCH") lines=$(wc -l <"$T/events")
	# The measurement itself, not a synchronisation: ten idle seconds.
	sleep 10
	after=$(cpu_ticks "$WATCH")
	ms=$(( (after - before) * 1000 / $(getconf CLK_TCK) ))
	echo "watch: ${ms} ms of CPU over 10 idle s," \
		"$(( $(wc -l <"$T/events") - lines )) events meanwhile"
	assertTrue "idle CPU ${ms} ms, not under 10 ms" "[ $ms -lt 10 ]"
}

test_services_added_and_removed_are_events() {
	kinds="dt:$DT rn:$RN s6:$S6"
	[ -n "${ENCORE_BIN:-}" ] && kinds="$kinds en:$EN"
	for k in $kinds; do
		b=${k%%:*} d=${k#*:} name=${P}new$b
		make_service "$T/src/$name"
		# runit's with a log/, watched as NAME/log with its service.
		if [ "$b" = rn ]; then make_logger "$T/src/$name" reads; fi
		t0=$(now_us)
		mv "$T/src/$name" "$d/$name"
		wait_for 5 has_event "$t0" "$name" '.old == "absent"' ||
			fail "$b: no event for $name added"
		if [ "$b" = s6 ]; then s6-svscanctl -a "$d"; fi
		wait_for 15 has_event "$t0" "$name" '.new == "up"' ||
			fail "$b: $name added, never seen up"
		if [ "$b" = rn ]; then
			wait_for 15 has_event "$t0" "$name/log" \
				'.new == "up"' || fail "rn: $name/log never seen up"
		fi
		t1=$(now_us)
		mv "$d/$name" "$T/gone/$name"
		wait_for 5 has_event "$t1" "$name" '.new == "absent"' ||
			fail "$b: no event for $name removed"
		if [ "$b" = rn ]; then
			wait_for 5 has_event "$t1" "$name/log" \
				'.new == "absent"' || fail "rn: $name/log not removed"
		fi
	done
}

# An entry replaced in one rename (mv -T, ln -sfn) is the old service
# gone and the new one come, not the old one kept; an entry that cannot
# be watched is said on stderr (a symlink loop).
test_entry_replaced_in_one_rename() {
	make_service "$T/src/${P}lna"
	make_service "$T/src/${P}lnb"
	t0=$(now_us)
	ln -s "$T/src/${P}lna" "$S6/${P}ln"
	wait_for 5 has_event "$t0" "${P}ln" '.old == "absent"' ||
		fail "no event for ${P}ln added"
	t1=$(now_us)
	ln -s "$T/src/${P}lnb" "$S6/.${P}tmp"
	mv -T "$S6/.${P}tmp" "$S6/${P}ln"
	wait_for 5 has_event "$t1" "${P}ln" '.new == "absent"' ||
		fail "the one replaced not gone"
	wait_for 5 has_event "$t1" "${P}ln" '.old == "absent"' ||
		fail "the new one not come"
	rm "$S6/${P}ln"
	ln -s "${P}loop" "$S6/${P}loop"
	wait_for 5 grep -q "$S6/${P}loop: Too many levels of symbolic links" \
		"$T/watch.err" || fail "loop not said: $(cat "$T/watch.err")"
	rm "$S6/${P}loop"
}

# --all takes 32 patterns; more is a usage error, not
# some of them dropped.
test_too_many_patterns_is_a_usage_error() {
	# Bounded: a watch that took them would run until killed.
	SVX_SCANDIRS=$SCANS timeout 10 "$SVX" watch --all $(seq 33) \
		>/dev/null 2>"$T/pat.err"
	assertEquals "exit 100" 100 $?
	assertEquals "said" "svx: watch: at most 32 patterns with --all" \
		"$(cat "$T/pat.err")"
}

# A watch of named services, in plain lines, ended by SIG.
# Both files are emptied here, not by the child's redirections: those
# truncate only once it runs, and until then the last test's "watching
# N services" would pass for this one's.
named_watch() {
	: >"$T/named.out"
	: >"$T/named.err"
	"$SVX" -v watch "$@" >>"$T/named.out" 2>>"$T/named.err" &
	NAMED=$!
	track_pid "$NAMED"
	wait_for 10 watching "$T/named.err" "$#" ||
		fail "named watch not ready: $(cat "$T/named.err")"
}

# gone_line PREFIX: a line of the named watch says PREFIX, then the
# supervisor gone.
gone_line() {
	grep -F -- "$1" "$T/named.out" |
		grep -qF -- "-> unsupervised, supervisor gone"
}

test_supervisor_gone_and_sigterm() {
	for b in daemontools runit s6 encore; do
		make_service "$T/named/$b"
		start_supervisor "$b" "$T/named/$b" || fail "$b supervisor"
		wait_for 10 service_started "$T/named/$b" || fail "$b start"
	done
	named_watch "$T/named/daemontools" "$T/named/runit" \
		"$T/named/s6" "$T/named/encore"
	for b in daemontools runit s6 encore; do
		"$SVX" exit "$T/named/$b" || fail "$b exit"
		wait_for 10 gone_line "$T/named/$b ($b): " ||
			fail "$b: no supervisor gone: $(cat "$T/named.out")"
	done
	stop_watch "$NAMED" TERM
	assertEquals "SIGTERM: exit 0" 0 $?
}

test_sigint_ends_with_exit_0() {
	named_watch "$S6/${P}s62"
	stop_watch "$NAMED" INT
	assertEquals "SIGINT: exit 0" 0 $?
}

test_closed_stdout_ends_with_exit_0() {
	mkfifo "$T/closed.fifo"
	SVX_SCANDIRS=$SCANS "$SVX" -v watch --all "$P*" >"$T/closed.fifo" \
		2>"$T/closed.err" &
	pid=$!
	track_pid "$pid"
	exec 3<"$T/closed.fifo"
	wait_for 20 watching "$T/closed.err" "$TOTAL" ||
		fail "watch not ready: $(cat "$T/closed.err")"
	exec 3<&-
	wait_for 5 pid_gone "$pid" || fail "watch still running"
	wait "$pid"
	assertEquals "closed stdout: exit 0" 0 $?
	assertEquals "no error" "watching $TOTAL services" \
		"$(sed 's/.*watch: //' "$T/closed.err")"
}

# The reader goes away while watch writes: EPIPE, exit 0 all the same.
# A FIFO, not a pipeline: both ends are this shell's children, tracked.
test_stdout_closed_while_writing_ends_with_exit_0() {
	mkfifo "$T/pipe.fifo"
	head -n 1 <"$T/pipe.fifo" >"$T/pipe.out" &
	track_pid $!
	"$SVX" -v watch "$S6/${P}s63" >"$T/pipe.fifo" 2>"$T/pipe.err" &
	pid=$!
	track_pid "$pid"
	wait_for 10 watching "$T/pipe.err" 1 ||
		fail "watch not ready: $(cat "$T/pipe.err")"
	"$SVX" restart "$S6/${P}s63" || fail "restart"
	wait_for 10 pid_gone "$pid" || fail "watch still running"
	wait "$pid"
	assertEquals "EPIPE: exit 0" 0 $?
	assertContains "the line" "$(cat "$T/pipe.out")" "${P}s63 (s6): "
	assertEquals "no error" "watching 1 services" \
		"$(sed 's/.*watch: //' "$T/pipe.err")"
}

# supervise a dangling symlink (Debian's runit, s6): the
# supervisor makes its target outside the service directory, where no
# event of the service directory tells. runit's target's parent is not
# there either when watch starts: the nearest directory that is, is
# watched until it comes.
test_dangling_supervise_symlink_is_followed() {
	for b in runit s6; do
		make_service "$T/far/$b"
		ln -s "$T/farsv/$b/supervise" "$T/far/$b/supervise"
	done
	mkdir -p "$T/farsv/s6"
	named_watch "$T/far/runit" "$T/far/s6"
	mkdir "$T/farsv/runit"
	for b in runit s6; do
		start_supervisor "$b" "$T/far/$b" || fail "$b supervisor"
		wait_for 10 named_up "$T/far/$b ($b): " ||
			fail "$b: not seen up: $(cat "$T/named.out")"
	done
	stop_watch "$NAMED" TERM
	assertEquals "exit 0" 0 $?
	assertEquals "nothing said" "watching 2 services" \
		"$(sed 's/.*watch: //' "$T/named.err")"
}

# An absolute $SUPERVISEDIR (encore's) names the control directory by
# the service's physical path, not by its name relative to svx's working
# directory, which is not its parent here; and, as a dangling supervise
# link's target, it is made outside the service directory, watched for
# until it is.
test_absolute_supervisedir() {
	[ -n "${ENCORE_BIN:-}" ] || { skip_test; return; }
	make_service "$T/reloc/web"
	mkdir -p "$T/svd"
	export SUPERVISEDIR="$T/svd"
	named_watch "$T/reloc/web"
	start_supervisor encore "$T/reloc/web" || fail "encore supervisor"
	wait_for 10 named_up "$T/reloc/web (encore): " ||
		fail "not seen up: $(cat "$T/named.out")"
	t0=$(wc -l <"$T/named.out")
	"$SVX" down "$T/reloc/web" || fail "down"
	wait_for 10 named_to_after "$t0" "$T/reloc/web (encore): " down ||
		fail "down not seen: $(cat "$T/named.out")"
	unset SUPERVISEDIR
	stop_watch "$NAMED" TERM
	assertEquals "exit 0" 0 $?
	assertEquals "nothing said" "watching 1 services" \
		"$(sed 's/.*watch: //' "$T/named.err")"
	assertTrue "lines after down" "[ $(wc -l <"$T/named.out") -gt $t0 ]"
}

# A member of the group supervise/ grants search but not
# read (0710, as svx perms and s6-svperms set it) cannot have inotify
# watch the directory: watch falls back to the status file itself.
test_group_member_without_read_sees_changes() {
	# A build somewhere nobody cannot reach: nothing to test here.
	command -v setpriv >/dev/null &&
		setpriv --reuid=65534 --regid=4242 --clear-groups \
		test -x "$SVX" || { skip_test; return; }
	make_service "$T/grp/s6"
	chmod 755 "$T/grp" "$T/grp/s6"
	start_supervisor s6 "$T/grp/s6" || fail "s6 supervisor"
	wait_for 10 service_started "$T/grp/s6" || fail "s6 start"
	chgrp 4242 "$T/grp/s6/supervise"
	chmod 0710 "$T/grp/s6/supervise"
	: >"$T/named.out"	# appended to: emptied between rounds
	: >"$T/named.err"	# as named_watch does
	(cd / && exec setpriv --reuid=65534 --regid=4242 --clear-groups \
		"$SVX" -v watch "$T/grp/s6") >>"$T/named.out" 2>>"$T/named.err" &
	NAMED=$!
	track_pid "$NAMED"
	wait_for 10 watching "$T/named.err" 1 ||
		fail "watch not ready: $(cat "$T/named.err")"
	for i in 1 2; do
		"$SVX" -w 5 down "$T/grp/s6" || fail "down $i"
		wait_for 5 named_has "$T/grp/s6 (s6): up -> " ||
			fail "down $i not seen: $(cat "$T/named.out")"
		"$SVX" -w 5 up "$T/grp/s6" || fail "up $i"
		wait_for 5 named_up "$T/grp/s6 (s6): " ||
			fail "up $i not seen: $(cat "$T/named.out")"
		: >"$T/named.out"	# the next round's lines only
	done
	stop_watch "$NAMED" TERM
	assertEquals "exit 0" 0 $?
	assertEquals "nothing said" "watching 1 services" \
		"$(sed 's/.*watch: //' "$T/named.err")"
}

# When inotify's queue overflows, every service is opened
# again, not only read: a supervise/ removed and made again among the
# events lost is the new one. The watch is stopped while more events
# than the queue holds are made (a file each in the service directory),
# supervise/ removed, and a supervisor started, which makes it again.
test_overflow_opens_supervise_again() {
	q=$(cat /proc/sys/fs/inotify/max_queued_events) || q=16384
	make_service "$T/ovf/s6"
	mkdir "$T/ovf/s6/supervise"
	named_watch "$T/ovf/s6"
	kill -STOP "$NAMED"
	wait_for 5 process_stopped "$NAMED" || fail "watch not stopped"
	rmdir "$T/ovf/s6/supervise"
	(cd "$T/ovf/s6" && seq -f "f%.0f" "$((q + 100))" | xargs touch)
	start_supervisor s6 "$T/ovf/s6" || fail "s6 supervisor"
	kill -CONT "$NAMED"
	wait_for 10 named_up "$T/ovf/s6 (s6): " ||
		fail "not seen up after the overflow: $(cat "$T/named.out")"
	stop_watch "$NAMED" TERM
	assertEquals "exit 0" 0 $?
}

# Behind a socket that takes connections and never
# answers, each program's call was 5 s, once a second, and SIGTERM waited
# for them: now one call a tick, bounded by 500 ms.
test_silent_supervisord_holds_nothing_up() {
	silent_socket "$T/silent.sock" || fail "no silent socket"
	start=$(now_ms)
	export SVX_SUPERVISORD_SOCKET="$T/silent.sock"
	named_watch supervisord:a supervisord:b supervisord:c
	unset SVX_SUPERVISORD_SOCKET
	took=$(( $(now_ms) - start ))
	[ "$took" -lt 4000 ] || fail "ready after $took ms"
	# Whenever it comes, in a call or between two: within the bound.
	start=$(now_ms)
	stop_watch "$NAMED" TERM
	assertEquals "SIGTERM: exit 0" 0 $?
	took=$(( $(now_ms) - start ))
	echo "watch: SIGTERM acted on in $took ms, supervisord silent"
	[ "$took" -lt 1500 ] || fail "SIGTERM acted on after $took ms"
	kill "$silent_pid"
}

# named_to PREFIX STATE: a line of the named watch says PREFIX, then
# that its service went to STATE.
named_to() {
	grep -F -- "$1" "$T/named.out" | grep -qF -- "-> $2"
}

named_up() {
	named_to "$1" up
}

# named_to_after N PREFIX STATE: as named_to, past the first N lines
# (an earlier "-> down", the first record's, does not count).
named_to_after() {
	tail -n "+$(($1 + 1))" "$T/named.out" | grep -F -- "$2" |
		grep -qF -- "-> $3"
}

sd_up() {
	"$SVX" status supervisord:wmsd 2>/dev/null | grep -q "supervisord up"
}

named_has() {
	grep -qF -- "$1" "$T/named.out"
}

test_supervisord_program_asked_once_a_second() {
	command -v supervisord >/dev/null || { skip_test; return; }
	{
		supervisord_conf
		printf '[program:wmsd]\ncommand=%s %s\ndirectory=%s\n' \
			"$SIGREC" "$T/wmsd.log" "$T"
		printf 'startsecs=0\n'
	} >"$T/sd.conf"
	start_supervisord
	wait_for 20 sd_up || fail "supervisord:wmsd never up"
	named_watch supervisord:wmsd
	"$SVX" -w 10 down supervisord:wmsd || fail "down"
	wait_for 5 named_has "supervisord:wmsd (supervisord): up -> down" ||
		fail "no down line: $(cat "$T/named.out")"
	stop_watch "$NAMED" TERM
	assertEquals "SIGTERM: exit 0" 0 $?
	# The other tests' --all leaves this supervisord alone.
	unset SVX_SUPERVISORD_SOCKET
}

. shunit2
