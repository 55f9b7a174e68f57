#!/bin/sh
# svx migrate killed at every step: strace's fault injection
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
# NAME, SIGKILLed at its Nth CALL; then the same command again. What is
# wrong afterwards goes to W/NAME.problems (empty: whole).
killed_at() {
	_name=$1 _call=$2 _n=$3
	shift 3
	if ! status_has "$W/scan-$FROM/$_name" "$FROM up"; then
		echo "$_call #$_n: $_name never came up: $("$SVX" status \
			"$W/scan-$FROM/$_name" 2>&1 | tr '\n' ' ')" \
			>"$W/$_name.problems"
		return 0
	fi
	strace -qq -o /dev/null "$@" -e "inject=$_call:signal=KILL:when=$_n" \
		"$SVX" -w 20 migrate --to "$TO" --scandir "$W/scan-$TO" \
		"$W/scan-$FROM/$_name" >"$W/$_name.killed" 2>&1
	move "$_name"
	track_started "$W/$_name.report"
	problems "$_name" "$_call #$_n" >"$W/$_name.problems"
}

# killed_at_prepare N: services k1..kN under FROM, all brought up at
# once (svscan finds new ones only at its 5 s rescan: one wait, not N).
killed_at_prepare() {
	_i=1 _paths=
	while [ "$_i" -le "$1" ]; do
		service "$FROM" "k$_i"
		ln -s "$W/sv/k$_i" "$W/scan-$FROM/k$_i"
		_paths="$_paths $W/scan-$FROM/k$_i"
		_i=$((_i + 1))
	done
	"$SVX" -w 60 up $_paths >/dev/null 2>&1
	_i=1
	while [ "$_i" -le "$1" ]; do
		track_service "$W/sv/k$_i"
		_i=$((_i + 1))
	done
}

# problems NAME AT: what is wrong with the service NAME, a line each:
# running once, where it should be, wanted up, nothing left over, its
# files whole.
problems() {
	_d=$W/sv/$1 _at=$2
	_where=
	[ -L "$W/scan-$FROM/$1" ] && _where=$FROM
	[ -L "$W/scan-$TO/$1" ] && _where="$_where$TO"
	case $_where in
	"$FROM"|"$TO") ;;
	*) echo "$_at: in [$_where], not in one scan directory"; return ;;
	esac
	wait_for 10 status_has "$W/scan-$_where/$1" "$_where up" || {
		echo "$_at: $("$SVX" status "$W/scan-$_where/$1" 2>&1 |
			tr '\n' ' '); report: $(tr '\n' ' ' <"$W/$1.report")"
		return
	}
	ls -A "$W/scan-$FROM" "$W/scan-$TO" | grep -qx "\.$1\.svx-migrate" &&
		echo "$_at: a hidden entry is left"
	[ -e "$_d/.svx-migrate" ] || [ -e "$_d/.svx-migrate.new" ] &&
		echo "$_at: .svx-migrate is left: $(ls -A "$_d/.svx-migrate" \
			2>&1 | tr '\n' ' '); report: $(tail -n 4 "$W/$1.report" |
			tr '\n' ' ')"
	find "$_d" -name '*.new' | grep -q . &&
		echo "$_at: $(find "$_d" -name '*.new') left"
	wait_for 10 service_started "$_d"
	_copies=$(copies_in "$_d")
	[ "$_copies" -eq 1 ] || echo "$_at: $_copies copies running"
	grep -q '^overlap' "$_d.log" && echo "$_at: two copies ran at once"
	cmp -s "$_d/run" "$W/orig/$1/run" || echo "$_at: run changed"
	if [ "$_where" = "$FROM" ]; then
		cmp -s "$_d/finish" "$W/orig/$1/finish" ||
			echo "$_at: finish not restored"
		cmp -s "$_d/log/run" "$W/orig/$1/log-run" ||
			echo "$_at: log/run not restored"
	else
		# Moved: the original finish, kept or wrapped.
		cmp -s "$_d/finish" "$W/orig/$1/finish" ||
			cmp -s "$_d/finish.$FROM" "$W/orig/$1/finish" ||
			echo "$_at: the original finish is gone"
		grep -q "$(logger_line "$TO" | cut -d' ' -f2)" "$_d/log/run" ||
			echo "$_at: log/run: $(cat "$_d/log/run")"
	fi
	return 0
}

# The kill points, "CALL N" a line, from a reference run's traces: every
# invocation of each file system call, then each journal write.
points_of() {
	count_calls "$1" | while read -r _call _count; do
		_i=1
		while [ "$_i" -le "$_count" ]; do
			echo "$_call $_i"
			_i=$((_i + 1))
		done
	done
	_i=1
	while [ "$_i" -le "$2" ]; do
		echo "write $_i"
		_i=$((_i + 1))
	done
}

# W/points from the reference runs' traces, with enough in it to count.
list_points() {
	points_of "$W/fs.trace" "$(grep -c '^write(' "$W/j.trace")" \
		>"$W/points"
	[ "$(grep -c '^write' "$W/points")" -gt 3 ] &&
		[ "$(wc -l <"$W/points")" -gt 10 ] || fail "no kill points"
}

# run_points RUNNER FILE N: each point of FILE through RUNNER, N at
# once (the moves are independent services; most of their time is
# waiting); then every problem found, as a failure. Prints the count.
run_points() {
	_runner=$1 _k=0
	"${_runner}_prepare" "$(wc -l <"$2")"
	while read -r _call _n; do
		_k=$((_k + 1))
		if [ "$_call" = write ]; then
			"$_runner" "k$_k" write "$_n" -e trace=write \
				-P "$(journal_of "k$_k")" \
				-P "$(journal_of "k$_k" hidden)" &
		else
			"$_runner" "k$_k" "$_call" "$_n" -e "trace=$_call" &
		fi
		[ $((_k % $3)) -eq 0 ] && wait
	done <"$2"
	wait
	_i=1
	while [ "$_i" -le "$_k" ]; do
		[ -f "$W/k$_i.problems" ] || echo "k$_i: no verdict" >"$W/k$_i.problems"
		while read -r _line; do
			fail "$_line"
		done <"$W/k$_i.problems"
		_i=$((_i + 1))
	done
	points=$_k
}

# The journal of service NAME: in its directory (a directory's move),
# or in the directory being built (a supervisord program's), under its
# dot-name, then its name.
journal_of() {
	case $KIND:${2:-} in
	dir:hidden) echo "$W/sv/$1/.svx-migrate/journal" ;;
	dir:*) echo "$W/sv/$1/.svx-migrate/journal" ;;
	sd:hidden) echo "$W/scan-runit/.$1.svx-migrate/.svx-migrate/journal" ;;
	sd:*) echo "$W/scan-runit/$1/.svx-migrate/journal" ;;
	esac
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
	# Exit 1: moved, something lost (daemontools runs no finish).
	strace -qq -o "$W/fs.trace" -e "trace=$FS_CALLS" "$SVX" -w 20 migrate \
		--to "$TO" --scandir "$W/scan-$TO" "$W/scan-$FROM/ref" \
		>"$W/ref.report" 2>&1
	[ $? -le 1 ] || fail "ref: $(cat "$W/ref.report")"
	service "$FROM" refj
	up_under "$FROM" refj || fail "refj: not up"
	strace -qq -o "$W/j.trace" -e trace=write \
		-P "$W/sv/refj/.svx-migrate/journal" "$SVX" -w 20 migrate \
		--to "$TO" --scandir "$W/scan-$TO" "$W/scan-$FROM/refj" \
		>"$W/refj.report" 2>&1
	[ $? -le 1 ] || fail "refj: $(cat "$W/refj.report")"
	list_points
	KIND=dir
	run_points killed_at "$W/points" 4
	echo "kill points $FROM -> $TO: $points ($(count_calls "$W/fs.trace" |
		tr '\n' ' ')write $(grep -c '^write' "$W/points"))"
}

# ---- supervisord -> runit --------------------------------------------

# program NAME: [program:NAME] in conf.d/NAME.conf, running sigrec in
# W/sv-NAME.wd (one copy at a time), added to the running supervisord.
program() {
	program_file "$1"
	ctl update >/dev/null
	wait_for 20 sd_says "$1" RUNNING
}

program_file() {
	mkdir -p "$W/$1.wd"
	touch "$W/$1.wd/one-copy"
	printf '[program:%s]\ncommand=%s %s\ndirectory=%s\nstartsecs=0\n' \
		"$1" "$SIGREC" "$W/$1.wd.log" "$W/$1.wd" >"$T/conf.d/$1.conf"
	cp "$T/conf.d/$1.conf" "$W/$1.conf.orig"
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
sd_problems() {
	_at=$2
	if sd_says "$1" RUNNING; then
		cmp -s "$T/conf.d/$1.conf" "$W/$1.conf.orig" ||
			echo "$_at: back in supervisord, its file changed"
		[ -e "$W/scan-runit/$1" ] && echo "$_at: a directory too"
	else
		wait_for 10 status_has "$W/scan-runit/$1" "runit up" || {
			echo "$_at: $("$SVX" status "$W/scan-runit/$1" 2>&1 |
				tr '\n' ' '); report: $(tr '\n' ' ' <"$W/$1.report")"
			return 1
		}
		grep -q '^\[program' "$T/conf.d/$1.conf" &&
			echo "$_at: still in its file"
		ctl avail | grep -q "^$1 " && echo "$_at: still in supervisord"
	fi
	_left=$( (ls -A "$T/conf.d"; ls -A "$W/scan-runit") |
		grep -x "\\.$1\\..*svx-.*")
	[ -n "$_left" ] && echo "$_at: left: $_left"
	[ -e "$W/scan-runit/$1/.svx-migrate" ] && echo "$_at: journal left"
	_copies=$(copies_in "$W/$1.wd")
	[ "$_copies" -eq 1 ] || echo "$_at: $_copies copies running"
	grep -q '^overlap' "$W/$1.wd.log" && echo "$_at: two copies at once"
	return 0
}

# sd_killed_at_prepare N: programs k1..kN, added to supervisord at once.
sd_killed_at_prepare() {
	_i=1
	while [ "$_i" -le "$1" ]; do
		program_file "k$_i"
		_i=$((_i + 1))
	done
	ctl update >/dev/null
	_i=1
	while [ "$_i" -le "$1" ]; do
		wait_for 20 sd_says "k$_i" RUNNING
		_i=$((_i + 1))
	done
}

sd_killed_at() {
	_name=$1 _call=$2 _n=$3
	shift 3
	if ! sd_says "$_name" RUNNING; then
		echo "$_call #$_n: $_name never RUNNING" >"$W/$_name.problems"
		return 0
	fi
	strace -qq -o /dev/null "$@" -e "inject=$_call:signal=KILL:when=$_n" \
		"$SVX" -w 20 migrate --to runit --scandir "$W/scan-runit" \
		"supervisord:$_name" >"$W/$_name.killed" 2>&1
	sd_move "$_name"
	track_started "$W/$_name.report"
	sd_problems "$_name" "$_call #$_n" >"$W/$_name.problems"
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
		>"$W/ref.report" 2>&1
	# Exit 1: moved, something lost (startsecs).
	[ $? -le 1 ] || fail "ref: $(cat "$W/ref.report")"
	KIND=sd
	program refj || fail "refj: not RUNNING"
	strace -qq -o "$W/j.trace" -e trace=write \
		-P "$W/scan-runit/.refj.svx-migrate/.svx-migrate/journal" \
		-P "$W/scan-runit/refj/.svx-migrate/journal" "$SVX" -w 20 migrate \
		--to runit --scandir "$W/scan-runit" supervisord:refj \
		>"$W/refj.report" 2>&1
	[ $? -le 1 ] || fail "refj: $(cat "$W/refj.report")"
	list_points
	# One at a time: each move reads supervisord's whole configuration
	# again and must find only its own program gone.
	KIND=sd
	run_points sd_killed_at "$W/points" 1
	echo "kill points supervisord -> runit: $points ($(count_calls \
		"$W/fs.trace" | tr '\n' ' ')write $(grep -c '^write' "$W/points"))"
}

test_runit_to_s6() { sweep runit s6; }
test_s6_to_daemontools() { sweep s6 daemontools; }
test_daemontools_to_runit() { sweep daemontools runit; }

. shunit2
