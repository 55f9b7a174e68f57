#!/bin/sh
# svx status --all against real scanners of every backend at once:
# discovery (several scan directories, running scanners found in /proc,
# duplicates through symlinks, dot-names, log/ attached), every output
# format checked against the native tools (JSON with jq against the
# schema, Prometheus line by line), filters, colour, odd names, and what
# a user without root sees.
#
# not tested here: the conventional scan directories (/run/service, ...):
# the machine's own are never touched; discovery of them is the same code
# path as $SVX_SCANDIRS.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

# service SCANDIR NAME [down|log]: a service made outside, then moved in
# (its sigrec log stays outside, where no scanner looks).
service() {
	make_service "$T/src/$2"
	case ${3:-} in
	down) touch "$T/src/$2/down" ;;
	log) make_logger "$T/src/$2" reads ;;
	esac
	mv "$T/src/$2" "$1/$2"
}

scanner() {
	_pid=$("$LAUNCH" -o "$T/$1.out" -C / "$1" "$2") || fail "start $1"
	track_pid "$_pid"
}

# Every service of ours in the state it should be in, by name, with its
# supervisor answering.
settled() {
	SVX_SCANDIRS=$SCANS "$SVX" status --all --json >"$T/settle" \
		2>/dev/null || true
	for want in up1:up web:up up2:up db:up up3:up cache:up enc:up \
		dn1:down dn2:down dn3:down; do
		[ "$(jq -r --arg t "$T/" --arg n "${want%%:*}" '.services[] |
			select(.path | startswith($t)) | select(.name == $n) |
			.supervisor + " " + .state' "$T/settle")" = \
			"running ${want#*:}" ] || return 1
	done
	for n in web db cache; do
		[ "$(jq -r --arg n "$n" '.services[] | select(.name == $n) |
			.log.state' "$T/settle")" = up ] || return 1
	done
}

oneTimeSetUp() {
	suite_begin listing
	chmod 755 "$T"
	DT=$T/dt RN=$T/rn S6=$T/s6 PLAIN=$T/plain
	mkdir -p "$T/src" "$DT" "$RN" "$S6" "$PLAIN"
	service "$DT" up1
	service "$DT" dn1 down
	service "$DT" web log
	service "$DT" .hidden
	service "$RN" up2
	service "$RN" dn2 down
	service "$RN" db log
	service "$S6" up3
	service "$S6" dn3 down
	service "$S6" cache log
	service "$S6" crash6
	service "$RN" crashrn
	# Up for a second, then exit 3: a restart loop (the supervisors'
	# own throttle is a second from the start).
	for d in "$S6/crash6" "$RN/crashrn"; do
		printf '#!/bin/sh\nsleep 1\nexit 3\n' >"$d/run"
	done
	# Unsupervised, and odd names: no scanner reads this directory.
	for name in never "sp ace" 'qu"ote' "$(printf 'tab\there')" \
		"$(printf 'nl\nname')" "$(printf 'bad\377name')" 'back\slash'; do
		make_service "$PLAIN/$name"
	done
	ln -s "$RN/up2" "$PLAIN/again"		# the same service twice
	make_service "$PLAIN/enc"
	start_supervisor encore "$PLAIN/enc" || fail "encore stand-in"
	SCANS=$DT:$RN:$S6:$PLAIN
	chmod -R go+rX "$T"
	scanner svscan "$DT"
	scanner runsvdir "$RN"
	scanner s6-svscan "$S6"
	wait_for 30 settled || fail "services not settled: $(cat "$T/settle")"
}

# The scanners and services are the whole suite's: set up once, cleaned
# up by oneTimeTearDown, not after each test.
tearDown() {
	:
}

all() {
	SVX_SCANDIRS=$SCANS "$SVX" status --all "$@"
}

json() {
	all --json >"$T/json" 2>"$T/json.err" || true
	jq -e . "$T/json" >/dev/null || fail "not JSON: $(head -c 300 "$T/json")"
}

# jqs FILTER: one of our services (by path) through a jq filter.
jqs() {
	jq -r --arg t "$T/" "$1" "$T/json"
}

test_discovery_several_scan_directories() {
	json
	names=$(jqs '.services[] | select(.path | startswith($t)) | .name' |
		sort | tr '\n' ' ')
	for n in up1 dn1 web up2 dn2 db up3 dn3 cache never enc; do
		case " $names " in *" $n "*) ;; *) fail "missing $n: $names" ;; esac
	done
	case " $names " in *" .hidden "*) fail "dot-name listed" ;; esac
	# The symlink and its target are one service, listed once.
	assertEquals "up2 once" 1 "$(jqs '[.services[] | select(.path |
		startswith($t)) | select(.name == "up2" or .name == "again")] |
		length')"
	# log/ is attached to its service.
	for n in web db cache; do
		assertEquals "$n log up" up "$(jqs ".services[] |
			select(.name == \"$n\") | .log.state")"
	done
}

test_running_scanners_are_found() {
	env -u SVX_SCANDIRS -u SVDIR "$SVX" status --all --json >"$T/found"
	for d in "$DT:3" "$RN:4" "$S6:4"; do
		n=${d##*:} d=${d%:*}
		assertEquals "$d found" "$n" "$(jq -r --arg d "$d/" '[.services[] |
			select(.path | startswith($d))] | length' "$T/found")"
	done
	# This one has no scanner: not found without SVX_SCANDIRS.
	assertEquals "plain not found" 0 "$(jq -r --arg d "$PLAIN/" \
		'[.services[] | select(.path | startswith($d))] | length' \
		"$T/found")"
}

# Every object has every field of the schema, with its type.
test_json_schema() {
	json
	assertEquals "schema" "svx.status/1" "$(jq -r .schema "$T/json")"
	bad=$(jqs '.services[] | select(.path | startswith($t)) | select(
		(.name | type) != "string" or (.path | type) != "string" or
		((.backend | type) != "string" and .backend != null) or
		(.supervisor | IN("running", "absent", "unknown") | not) or
		(.state | type) != "string" or
		((.pid | type) != "number" and .pid != null) or
		((.since | type) != "number" and .since != null) or
		(.want | IN("up", "down", "once", "unknown") | not) or
		(.normally | IN("up", "down") | not) or
		(.paused | type) != "boolean" or
		(.ready | IN(true, false, null) | not) or
		((.exit | type) != "number" and .exit != null) or
		((.signal | type) != "string" and .signal != null) or
		(.flapping | type) != "boolean" or
		((.log | type) != "object" and .log != null)) | .name')
	assertEquals "objects off the schema" "" "$bad"
}

# jfield NAME FIELD
jfield() {
	jqs ".services[] | select(.path | startswith(\$t)) |
		select(.name == \"$1\") | .$2"
}

test_json_agrees_with_the_native_tools() {
	json
	pid=$(svstat "$DT/up1" | sed -n 's/.*up (pid \([0-9]*\)).*/\1/p')
	assertEquals "daemontools pid" "$pid" "$(jfield up1 pid)"
	assertEquals "daemontools state" up "$(jfield up1 state)"
	assertEquals "daemontools backend" daemontools "$(jfield up1 backend)"
	secs=$(svstat "$DT/up1" | sed -n 's/.*) \([0-9]*\) seconds.*/\1/p')
	since=$(jfield up1 since)
	d=$(( $(date +%s) - secs - since ))
	[ "$d" -ge -2 ] && [ "$d" -le 2 ] || fail "since off by $d s"
	pid=$(sv status "$RN/up2" | sed -n 's/^run: [^:]*: (pid \([0-9]*\)).*/\1/p')
	assertEquals "runit pid" "$pid" "$(jfield up2 pid)"
	assertEquals "runit backend" runit "$(jfield up2 backend)"
	assertEquals "s6 pid" "$(s6-svstat -o pid "$S6/up3")" "$(jfield up3 pid)"
	assertEquals "s6 ready" "$(s6-svstat -o ready "$S6/up3")" \
		"$(jfield up3 ready)"
	for n in dn1 dn2 dn3; do
		assertEquals "$n state" down "$(jfield "$n" state)"
		assertEquals "$n pid" null "$(jfield "$n" pid)"
		assertEquals "$n normally" down "$(jfield "$n" normally)"
		assertEquals "$n want" down "$(jfield "$n" want)"
	done
	assertEquals "never" absent "$(jfield never supervisor)"
	assertEquals "never state" unsupervised "$(jfield never state)"
	assertEquals "encore" encore "$(jfield enc backend)"
}

# has_name RAW: the JSON holds a service named RAW (jq decodes escapes).
has_name() {
	jq -e --arg t "$T/" --arg n "$1" 'any(.services[] |
		select(.path | startswith($t)); .name == $n)' "$T/json" >/dev/null
}

test_json_odd_names() {
	json
	for raw in "sp ace" 'qu"ote' "$(printf 'tab\there')" \
		"$(printf 'nl\nname')" 'back\slash'; do
		has_name "$raw" || fail "no name $(printf '%s' "$raw" | od -c)"
	done
	# Not UTF-8: the byte becomes U+FFFD, and the output still parses.
	has_name "$(printf 'bad\357\277\275name')" || fail "bad UTF-8 name"
	grep -q "$(printf '\377')" "$T/json" && fail "raw invalid byte in JSON"
	assertTrue "parses" "jq -e . $T/json"
}

# Every line is a comment or one sample; values agree with the JSON.
test_prometheus_line_by_line() {
	json
	all --format=prometheus >"$T/prom" || true
	label='"([^"\\]|\\.)*"'
	bad=$(grep -Evx "# (HELP|TYPE) [a-z_]+ .+|[a-z_]+\{service=$label,backend=$label(,scandir=$label)?\} -?[0-9]+" "$T/prom")
	assertEquals "lines off the format" "" "$bad"
	# Each metric's samples form one group (the text format's rule).
	assertEquals "metrics grouped" "" "$(awk '!/^#/ {
		m = $0; sub(/\{.*/, "", m)
		if (m != last && (m in seen)) print "split: " m
		seen[m] = 1; last = m }' "$T/prom")"
	for m in node_service_state node_service_desired_state \
		node_service_normal_state node_service_state_last_change_unixtime \
		svx_supervisor_up; do
		grep -qx "# TYPE $m gauge" "$T/prom" || fail "no TYPE for $m"
	done
	sample() {
		grep -F "$1{service=\"$2\"," "$T/prom" | grep -F "scandir=\"$3\"" |
			awk '{ print $NF }'
	}
	assertEquals "up1 up" 1 "$(sample node_service_state up1 "$DT")"
	assertEquals "up1 desired" 1 "$(sample node_service_desired_state up1 "$DT")"
	assertEquals "up1 normal" 1 "$(sample node_service_normal_state up1 "$DT")"
	assertEquals "up1 since" "$(jfield up1 since)" \
		"$(sample node_service_state_last_change_unixtime up1 "$DT")"
	assertEquals "up1 supervisor" 1 "$(sample svx_supervisor_up up1 "$DT")"
	assertEquals "dn2 down" 0 "$(sample node_service_state dn2 "$RN")"
	assertEquals "dn2 desired" 0 "$(sample node_service_desired_state dn2 "$RN")"
	assertEquals "dn2 normal" 0 "$(sample node_service_normal_state dn2 "$RN")"
	assertEquals "s6 up" 1 "$(sample node_service_state up3 "$S6")"
	assertEquals "runit backend label" 1 "$(grep -c \
		"^node_service_state{service=\"up2\",backend=\"runit\"" "$T/prom")"
	# Unsupervised: the supervisor metric says so; no stale state.
	assertEquals "never supervisor" 0 "$(sample svx_supervisor_up never "$PLAIN")"
	assertEquals "never state" "" "$(sample node_service_state never "$PLAIN")"
	grep -qF 'service="nl\nname"' "$T/prom" || fail "newline not escaped"
	grep -qF 'service="qu\"ote"' "$T/prom" || fail "quote not escaped"
}

# s6_restarted DIR OLDPID: up with another pid.
s6_restarted() {
	set -- "$1" "$2" "$(s6-svstat -o up,pid "$1")"
	[ "${3%% *}" = true ] && [ "${3#* }" != "$2" ]
}

# flapping NAME STATE: NAME is in STATE and flagged as flapping.
flapping() {
	json
	[ "$(jfield "$1" state) $(jfield "$1" flapping)" = "$2 true" ]
}

# A service that keeps dying while wanted up. s6 counts its deaths
# (death_tally), up or down; elsewhere a young process its supervisor did
# not start with itself counts, and a first run does not.
test_flapping() {
	wait_for 15 flapping crash6 up || fail "s6 up: $(jfield crash6 state)"
	wait_for 15 flapping crash6 down || fail "s6 down"
	wait_for 15 flapping crashrn up || fail "runit: $(jfield crashrn state)"
	# One restart on s6 is one death: not flapping, though young.
	pid=$(s6-svstat -o pid "$S6/up3")
	s6-svc -r "$S6/up3"
	wait_for 10 s6_restarted "$S6/up3" "$pid" || fail "not restarted"
	json
	assertEquals "s6, restarted once" "up false" \
		"$(jfield up3 state) $(jfield up3 flapping)"
	# A first run (the supervisor started it with itself) is steady,
	# young as it is.
	make_service "$PLAIN/fresh"
	start_supervisor daemontools "$PLAIN/fresh" || fail "supervise"
	wait_for 10 service_started "$PLAIN/fresh" || fail "fresh not up"
	json
	assertEquals "first run" "up false" \
		"$(jfield fresh state) $(jfield fresh flapping)"
	[ "$(jq -r --arg p "$PLAIN/fresh" '.services[] | select(.path == $p)
		| (now - .since)' "$T/json" | cut -d. -f1)" -lt 5 ] ||
		fail "fresh was not young when judged"
	all --color=never >"$T/table" || true
	tail -n 1 "$T/table" | grep -Eq ", [1-9][0-9]* flapping" ||
		fail "summary: $(tail -n 1 "$T/table")"
}

test_table() {
	all --color=never >"$T/table" || true
	head -n 1 "$T/table" | grep -q "^SERVICE  *BACKEND  *STATE  *PID  *FOR" ||
		fail "header: $(head -n 1 "$T/table")"
	grep -Eq "^up1 +daemontools +up +[0-9]+ +[0-9]+[smhd]" "$T/table" ||
		fail "up1 row: $(grep up1 "$T/table")"
	grep -Eq "^dn2 +runit +down " "$T/table" || fail "dn2 row"
	# Several scan directories: each one's rows under a line naming it.
	for d in "$DT" "$RN" "$S6" "$PLAIN"; do
		grep -qxF "$d:" "$T/table" || fail "no heading for $d"
	done
	assertEquals "dn2 under rn" "$RN:" \
		"$(awk '/:$/ { h = $0 } /^dn2 / { print h; exit }' "$T/table")"
	grep -Eq "^never +- +unsupervised" "$T/table" ||
		fail "never row: $(grep never "$T/table")"
	tail -n 1 "$T/table" | grep -Eq "^[0-9]+ services: [0-9]+ up, [0-9]+ down, [0-9]+ unsupervised, [0-9]+ flapping" ||
		fail "summary: $(tail -n 1 "$T/table")"
	# Control characters in names are escaped: no raw ones in the table.
	LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T/table" &&
		fail "raw control characters in the table"
	grep -qF 'nl\x0aname' "$T/table" || fail "newline not shown escaped"
	grep -qF 'bad\xffname' "$T/table" || fail "bad UTF-8 not escaped"
	assertEquals "no escapes with never" 0 "$(grep -c "$(printf '\033')" "$T/table")"
	all --color=always >"$T/table" || true
	grep -q "$(printf '\033\\[')" "$T/table" || fail "no colour with always"
}

# --color=auto colours a terminal, unless NO_COLOR is set.
test_colour_on_a_terminal() {
	command -v script >/dev/null || { skip_test; return 0; }
	TERM=xterm SVX_SCANDIRS=$SCANS script -qec "$SVX status --all up1" \
		/dev/null >"$T/tty" </dev/null
	grep -q "$(printf '\033\\[')" "$T/tty" || fail "no colour on a tty"
	TERM=xterm NO_COLOR=1 SVX_SCANDIRS=$SCANS script -qec "$SVX status --all up1" \
		/dev/null >"$T/tty" </dev/null
	grep -q "^up1 " "$T/tty" || fail "no output: $(cat "$T/tty")"
	assertEquals "NO_COLOR" 0 "$(grep -c "$(printf '\033\\[')" "$T/tty")"
}

# ours FILTER-ARGS...: the names of our services that --all lists.
ours() {
	all --json "$@" | jq -r --arg t "$T/" '.services[] |
		select(.path | startswith($t)) | .name' | sort | tr '\n' ' ' |
		sed 's/ $//'
}

test_filters() {
	assertEquals "down" "dn1 dn2 dn3" "$(ours --state=down 'dn*' 'up*')"
	assertEquals "runit" "crashrn db dn2 up2" "$(ours --backend=runit)"
	assertEquals "pattern" "up1 up2 up3" "$(ours 'up*')"
	assertEquals "combined" "cache" "$(ours --state=up --backend=s6 'ca*')"
	assertEquals "two patterns" "dn1 up1" "$(ours 'dn1' 'up1')"
	all --format=lines --state=down >"$T/f" || true
	grep -q "^dn2: runit down " "$T/f" || fail "lines: $(cat "$T/f")"
	all --state=sideways 2>"$T/err"
	assertEquals "bad state" 100 $?
	grep -q "sideways" "$T/err" || fail "$(cat "$T/err")"
}

# Without root: what can be read is shown, liveness is unknown (never "up"
# from a status nobody could verify), and one line says how to get access.
test_without_root() {
	command -v setpriv >/dev/null || { skip_test; return 0; }
	SVX_SCANDIRS=$SCANS setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$SVX" status --all --json >"$T/nr" 2>"$T/nr.err"
	jq -e . "$T/nr" >/dev/null || fail "not JSON: $(cat "$T/nr")"
	up=$(jq -r --arg t "$T/" '.services[] | select(.path | startswith($t))
		| select(.supervisor != "absent") | select(.state == "up" or
		.supervisor == "running") | .name' "$T/nr")
	assertEquals "up claimed without access" "" "$up"
	assertEquals "unknown liveness" unknown "$(jq -r --arg p "$DT/up1" \
		'.services[] | select(.path == $p) | .supervisor' "$T/nr")"
	assertEquals "one hint" 1 "$(grep -c "svx perms SERVICE --group G" "$T/nr.err")"
	SVX_SCANDIRS=$SCANS setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$SVX" status --all up1 >"$T/nr" 2>/dev/null
	grep -Eq "^up1 +- +unknown +- +- +permission denied" "$T/nr" ||
		fail "$(cat "$T/nr")"
}

test_status_of_paths_streams_the_same_rows() {
	"$SVX" status "$DT"/* "$RN"/* >"$T/paths" 2>&1
	assertEquals "exit" 0 $?
	grep -q "^$DT/up1: daemontools up (pid " "$T/paths" ||
		fail "$(cat "$T/paths")"
	grep -q "^$RN/db: runit up (pid .*; log: up" "$T/paths" ||
		fail "$(grep db "$T/paths")"
	# Relative paths from the current directory, as a shell glob gives.
	(cd "$T" && "$SVX" status dt/up1 rn/dn2) >"$T/rel" 2>&1
	assertEquals "relative" "dt/up1: daemontools up" \
		"$(head -n 1 "$T/rel" | sed 's/ (pid.*//')"
}

# A scan directory far larger than one window of names (4096, read in
# several passes, shim/list/listing.c): every service once, in one strictly
# sorted order (byte order, as strcmp), not sorted per window. Plain
# directories are enough: unsupervised, they take the same path.
test_huge_scan_directory_sorted_whole() {
	mkdir "$T/many" || fail "mkdir"
	(cd "$T/many" && seq 1 20000 | sed 's/^/s/' | xargs mkdir) ||
		fail "mkdir services"
	# The same service again, through a symlink that sorts last: listed
	# once, under the first name in order.
	ln -s s1 "$T/many/zz-again"
	env SVDIR= SVX_SCANDIRS="$T/many" "$SVX" status --all --json \
		>"$T/many.json" 2>"$T/many.err"
	assertEquals "exit" 0 $?
	jq -r --arg d "$T/many/" '.services[] | select(.path |
		startswith($d)) | .name' "$T/many.json" >"$T/many.names"
	assertEquals "count" 20000 "$(wc -l <"$T/many.names")"
	assertEquals "order goes back" "" \
		"$(LC_ALL=C sort -cu "$T/many.names" 2>&1)"
	(cd "$T/many" && ls -A | grep -vx zz-again | LC_ALL=C sort) \
		>"$T/many.want"
	cmp -s "$T/many.want" "$T/many.names" ||
		fail "not every service once: $(diff "$T/many.want" \
			"$T/many.names" | head -n 5)"
	assertEquals "all unsupervised" 20000 "$(jq --arg d "$T/many/" \
		'[.services[] | select(.path | startswith($d)) |
		select(.state == "unsupervised")] | length' "$T/many.json")"
	assertEquals "errors" "" "$(grep -F "$T/many" "$T/many.err")"
	rm -rf "$T/many"
}

# Many named services, with one missing among them: every row, in order,
# the error on stderr, the exit code of the missing one.
test_many_services_in_order() {
	set --
	i=0
	while [ "$i" -lt 30 ]; do
		set -- "$@" "$DT"/* "$RN"/* "$S6"/*
		[ "$i" -eq 20 ] && set -- "$@" "$T/nosuch"
		i=$((i + 1))
	done
	[ "$#" -ge 300 ] || fail "only $# services"
	# No state column: the crash-looping services change it between calls.
	"$SVX" -o name,backend status "$@" >"$T/two" 2>"$T/two.err"
	two=$?
	# stdout and stderr one file: the order is visible, one process.
	"$SVX" -o name,backend status "$@" >"$T/one" 2>&1
	one=$?
	assertEquals "exit code" "$one" "$two"
	assertEquals "exit code of a missing service" 102 "$two"
	assertEquals "rows" "$(grep -v "^svx: " "$T/one")" "$(cat "$T/two")"
	assertEquals "errors" "svx: $T/nosuch: no such directory" \
		"$(cat "$T/two.err")"
	assertEquals "rows" $(($# - 1)) "$(wc -l <"$T/two")"
	"$SVX" status "$@" >/dev/full 2>"$T/full.err"
	assertEquals "stdout /dev/full" 111 $?
	grep -qx "svx: cannot write output: No space left on device" \
		"$T/full.err" || fail "$(cat "$T/full.err")"
}

. shunit2
