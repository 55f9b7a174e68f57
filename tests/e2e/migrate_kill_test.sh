#!/bin/sh
# svx migrate killed at every step (issue 15): strace's fault injection
# sends SIGKILL to svx at each rename, unlink, link, symlink, mkdir, rmdir
# it makes, one invocation at a time (counted per system call, as strace
# counts them), and at each write into its journal; after each, the same
# command once more must leave the service running exactly once, under
# the old backend or the new one, wanted up as it was, with nothing left
# behind (no .svx-migrate, no dot-named entry) and its files whole. The
# kill points are counted from a clean run of the same move, and printed.
#
# Services live in W/sv and are linked into the scan directories, whose
# scanners start from /, as on real systems.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

FS_CALLS=rename,renameat,renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat,mkdir,mkdirat,rmdir

oneTimeSetUp() {
	suite_begin migrate-kill
	chmod 755 "$T"
}

setUp() {
	command -v strace >/dev/null || fail "strace not installed"
	enter_workdir
	points=0
}

logger_line() {
	case $1 in
	daemontools) echo "exec multilog t ./main" ;;
	runit) echo "exec svlogd -tt ./main" ;;
	s6) echo "exec s6-log t ./main" ;;
	esac
}

# service BACKEND NAME: W/sv/NAME with a finish script in BACKEND's
# style and BACKEND's logger; a copy of its files in W/orig/NAME.
service() {
	_d=$W/sv/$2
	make_service "$_d"
	touch "$_d/one-copy"
	printf '#!/bin/sh\necho finish "$@" >>%s.finish\n' "$_d" >"$_d/finish"
	chmod 755 "$_d/finish"
	mkdir -p "$_d/log/main"
	printf '#!/bin/sh\n%s\n' "$(logger_line "$1")" >"$_d/log/run"
	chmod 755 "$_d/log/run"
	mkdir -p "$W/orig/$2"
	cp -p "$_d/run" "$_d/finish" "$W/orig/$2/"
	cp -p "$_d/log/run" "$W/orig/$2/log-run"
}

# up_under FROM NAME: linked into FROM's scan directory, up.
up_under() {
	ln -s "$W/sv/$2" "$W/scan-$1/$2"
	"$SVX" -w 20 up "$W/scan-$1/$2" >/dev/null 2>&1 || return 1
	track_service "$W/sv/$2"
}

# The migration under test, its report in W/NAME.report.
move() {
	"$SVX" -w 20 migrate --to "$TO" --scandir "$W/scan-$TO" \
		"$W/scan-$FROM/$1" >"$W/$1.report" 2>&1
}

# count_calls TRACE: "CALL N" for each system call of the set in TRACE.
count_calls() {
	sed -n 's/^\([a-z0-9]*\)(.*/\1/p' "$1" | sort | uniq -c |
		awk '{ print $2, $1 }'
}

# killed_at NAME CALL N [STRACE OPTIONS...]: the move of a new service
# NAME, SIGKILLed at its Nth CALL; then the same command again.
killed_at() {
	_name=$1 _call=$2 _n=$3
	shift 3
	service "$FROM" "$_name"
	up_under "$FROM" "$_name" || { fail "$_name: not up"; return 1; }
	strace -qq -o /dev/null "$@" -e "inject=$_call:signal=KILL:when=$_n" \
		"$SVX" -w 20 migrate --to "$TO" --scandir "$W/scan-$TO" \
		"$W/scan-$FROM/$_name" >"$W/$_name.killed" 2>&1
	move "$_name"
	_rc=$?
	track_started "$W/$_name.report"
	points=$((points + 1))
	whole "$_name" "$_rc" "$_call #$_n"
}

# The service once, where it should be, wanted up, nothing left over.
whole() {
	_d=$W/sv/$1 _at=$3
	_where=
	[ -L "$W/scan-$FROM/$1" ] && _where=$FROM
	[ -L "$W/scan-$TO/$1" ] && _where="$_where$TO"
	case $_where in
	"$FROM"|"$TO") ;;
	*) fail "$_at: in [$_where], not in one scan directory"; return 1 ;;
	esac
	wait_for 10 status_has "$W/scan-$_where/$1" "$_where up" || {
		fail "$_at: $("$SVX" status "$W/scan-$_where/$1" 2>&1); $(cat "$W/$1.report")"
		return 1
	}
	ls -A "$W/scan-$FROM" "$W/scan-$TO" | grep -qx "\.$1\.svx-migrate" &&
		fail "$_at: a hidden entry is left"
	[ -e "$_d/.svx-migrate" ] || [ -e "$_d/.svx-migrate.new" ] &&
		fail "$_at: .svx-migrate is left"
	find "$_d" -name '*.new' | grep -q . &&
		fail "$_at: $(find "$_d" -name '*.new') left"
	wait_for 10 service_started "$_d"
	_copies=0
	for _p in $(pids_in "$_d"); do
		[ "$(readlink "/proc/$_p/exe")" = "$SIGREC" ] &&
			_copies=$((_copies + 1))
	done
	assertEquals "$_at: copies running" 1 "$_copies"
	grep -q '^overlap' "$_d.log" && fail "$_at: two copies ran at once"
	cmp -s "$_d/run" "$W/orig/$1/run" || fail "$_at: run changed"
	if [ "$_where" = "$FROM" ]; then
		cmp -s "$_d/finish" "$W/orig/$1/finish" ||
			fail "$_at: finish not restored"
		cmp -s "$_d/log/run" "$W/orig/$1/log-run" ||
			fail "$_at: log/run not restored"
	else
		# Moved: the original finish, kept or wrapped.
		cmp -s "$_d/finish" "$W/orig/$1/finish" ||
			cmp -s "$_d/finish.$FROM" "$W/orig/$1/finish" ||
			fail "$_at: the original finish is gone"
		grep -q "$(logger_line "$TO" | cut -d' ' -f2)" "$_d/log/run" ||
			fail "$_at: log/run: $(cat "$_d/log/run")"
	fi
	return 0
}

# sweep FROM TO: every kill point of the move FROM -> TO.
sweep() {
	FROM=$1 TO=$2
	have_backend "$FROM" && have_backend "$TO" || { skip_test; return; }
	scanner "$FROM" "$W/scan-$FROM"
	scanner "$TO" "$W/scan-$TO"
	# The points, from a clean move of the same kind of service.
	service "$FROM" ref
	up_under "$FROM" ref || fail "ref: not up"
	strace -qq -o "$W/fs.trace" -e "trace=$FS_CALLS" "$SVX" -w 20 migrate \
		--to "$TO" --scandir "$W/scan-$TO" "$W/scan-$FROM/ref" \
		>"$W/ref.report" 2>&1 || fail "ref: $(cat "$W/ref.report")"
	service "$FROM" refj
	up_under "$FROM" refj || fail "refj: not up"
	strace -qq -o "$W/j.trace" -e trace=write \
		-P "$W/sv/refj/.svx-migrate/journal" "$SVX" -w 20 migrate \
		--to "$TO" --scandir "$W/scan-$TO" "$W/scan-$FROM/refj" \
		>"$W/refj.report" 2>&1 || fail "refj: $(cat "$W/refj.report")"
	count_calls "$W/fs.trace" >"$W/fs.points"
	jn=$(grep -c '^write(' "$W/j.trace")
	[ -s "$W/fs.points" ] && [ "$jn" -gt 3 ] || fail "no kill points"
	k=0
	while read -r call n; do
		i=1
		while [ "$i" -le "$n" ]; do
			k=$((k + 1))
			killed_at "k$k" "$call" "$i" -e "trace=$call"
			i=$((i + 1))
		done
	done <"$W/fs.points"
	i=1
	while [ "$i" -le "$jn" ]; do
		k=$((k + 1))
		killed_at "k$k" write "$i" -e trace=write \
			-P "$W/sv/k$k/.svx-migrate/journal"
		i=$((i + 1))
	done
	echo "kill points $FROM -> $TO: $points ($(tr '\n' ' ' <"$W/fs.points")write $jn)"
}

# ---- supervisord -> runit --------------------------------------------

# program NAME: [program:NAME] in conf.d/NAME.conf, running sigrec in
# W/sv-NAME.wd (one copy at a time), added to the running supervisord.
program() {
	mkdir -p "$W/$1.wd"
	touch "$W/$1.wd/one-copy"
	printf '[program:%s]\ncommand=%s %s\ndirectory=%s\nstartsecs=1\n' \
		"$1" "$SIGREC" "$W/$1.wd.log" "$W/$1.wd" >"$T/conf.d/$1.conf"
	cp "$T/conf.d/$1.conf" "$W/$1.conf.orig"
	ctl update >/dev/null
	wait_for 20 sd_says "$1" RUNNING
}

ctl() {
	supervisorctl -s "unix://$T/sd.sock" "$@" 2>/dev/null
}

sd_says() {
	ctl status "$1" | grep -q "^$1 *$2 "
}

sd_move() {
	"$SVX" -w 20 migrate --to runit --scandir "$W/scan-runit" \
		"supervisord:$1" >"$W/$1.report" 2>&1
}

# The program once, in supervisord as it was or under runit, nothing
# left over.
sd_whole() {
	_at=$2
	if sd_says "$1" RUNNING; then
		cmp -s "$T/conf.d/$1.conf" "$W/$1.conf.orig" ||
			fail "$_at: back in supervisord, its file changed"
		[ -e "$W/scan-runit/$1" ] && fail "$_at: a directory too"
	else
		wait_for 10 status_has "$W/scan-runit/$1" "runit up" || {
			fail "$_at: $("$SVX" status "$W/scan-runit/$1" 2>&1); $(cat "$W/$1.report")"
			return 1
		}
		grep -q '^\[program' "$T/conf.d/$1.conf" &&
			fail "$_at: still in its file"
		ctl avail | grep -q "^$1 " && fail "$_at: still in supervisord"
	fi
	_left=$( (ls -A "$T/conf.d"; ls -A "$W/scan-runit") |
		grep -x "\\.$1\\..*svx-.*")
	[ -n "$_left" ] && fail "$_at: left: $_left"
	[ -e "$W/scan-runit/$1/.svx-migrate" ] && fail "$_at: journal left"
	_copies=0
	for _p in $(pids_in "$W/$1.wd"); do
		[ "$(readlink "/proc/$_p/exe")" = "$SIGREC" ] &&
			_copies=$((_copies + 1))
	done
	assertEquals "$_at: copies running" 1 "$_copies"
	grep -q '^overlap' "$W/$1.wd.log" && fail "$_at: two copies at once"
	return 0
}

sd_killed_at() {
	_name=$1 _call=$2 _n=$3
	shift 3
	program "$_name" || { fail "$_name: not RUNNING"; return 1; }
	strace -qq -o /dev/null "$@" -e "inject=$_call:signal=KILL:when=$_n" \
		"$SVX" -w 20 migrate --to runit --scandir "$W/scan-runit" \
		"supervisord:$_name" >"$W/$_name.killed" 2>&1
	sd_move "$_name"
	track_started "$W/$_name.report"
	points=$((points + 1))
	sd_whole "$_name" "$_call #$_n"
}

test_supervisord_to_runit() {
	command -v supervisord >/dev/null && have_backend runit ||
		{ skip_test; return; }
	mkdir -p "$T/conf.d"
	{
		supervisord_conf
		printf '[include]\nfiles = conf.d/*.conf\n'
	} >"$T/sd.conf"
	start_supervisord
	wait_for 20 ctl status >/dev/null
	scanner runit "$W/scan-runit"
	program ref || fail "ref: not RUNNING"
	strace -qq -o "$W/fs.trace" -e "trace=$FS_CALLS" "$SVX" -w 20 migrate \
		--to runit --scandir "$W/scan-runit" supervisord:ref \
		>"$W/ref.report" 2>&1 || fail "ref: $(cat "$W/ref.report")"
	program refj || fail "refj: not RUNNING"
	strace -qq -o "$W/j.trace" -e trace=write \
		-P "$W/scan-runit/.refj.svx-migrate/.svx-migrate/journal" \
		-P "$W/scan-runit/refj/.svx-migrate/journal" "$SVX" -w 20 migrate \
		--to runit --scandir "$W/scan-runit" supervisord:refj \
		>"$W/refj.report" 2>&1 || fail "refj: $(cat "$W/refj.report")"
	count_calls "$W/fs.trace" >"$W/fs.points"
	jn=$(grep -c '^write(' "$W/j.trace")
	[ -s "$W/fs.points" ] && [ "$jn" -gt 3 ] || fail "no kill points"
	k=0
	while read -r call n; do
		i=1
		while [ "$i" -le "$n" ]; do
			k=$((k + 1))
			sd_killed_at "k$k" "$call" "$i" -e "trace=$call"
			i=$((i + 1))
		done
	done <"$W/fs.points"
	i=1
	while [ "$i" -le "$jn" ]; do
		k=$((k + 1))
		sd_killed_at "k$k" write "$i" -e trace=write \
			-P "$W/scan-runit/.k$k.svx-migrate/.svx-migrate/journal" \
			-P "$W/scan-runit/k$k/.svx-migrate/journal"
		i=$((i + 1))
	done
	echo "kill points supervisord -> runit: $points ($(tr '\n' ' ' <"$W/fs.points")write $jn)"
}

test_runit_to_s6() { sweep runit s6; }
test_s6_to_daemontools() { sweep s6 daemontools; }
test_daemontools_to_runit() { sweep daemontools runit; }

. shunit2
