#!/bin/sh
# run-layout-check.sh BUILD: the layout the README's "Layout" draws holds.
#  1. Dependencies point one way, shim -> mappings -> adapters: no file
#     includes a header of a layer above its own.
#  2. No cycle between folders: folder A includes from folder B and B,
#     directly or through others, from A.
#  3. Every folder on the README's Layout lines exists, and every source
#     folder is on one.
#  4. A header is rebuilt into the objects that include it and no others
#     (make -n -W HEADER, against the -MMD dependency files).
#  5. The same two rules (1, 2) hold for what the objects link against:
#     an object that uses a symbol another folder's object defines
#     depends on that folder, whatever its #include lines say; and no
#     cycle either with both kinds together (A includes from B, B's
#     objects use A's).
# Records "layout PASSED FAILED" in $RESULTS.
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
results=${RESULTS:-$top/build/results}
mkdir -p "$results"
cd "$top" || exit 111
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "layout: ok: $1"; }
fail() { failed=$((failed + 1)); echo "layout: FAIL: $1"; }

# "FROM-FOLDER TO-FOLDER FILE" for each #include "..." in the sources.
edges=$(find adapters mappings shim -name '*.[ch]' | sort | while read -r f; do
	d=${f%/*}
	sed -n 's/^#include "\(.*\)".*/\1/p' "$f" | while read -r inc; do
		t=$(cd "$d/${inc%/*}" 2>/dev/null && pwd) || t=missing
		case $inc in */*) ;; *) t=$(cd "$d" && pwd) ;; esac
		echo "$d ${t#"$top"/} $f"
	done
done)

rank() {
	case $1 in
	adapters*) echo 0 ;;
	mappings*) echo 1 ;;
	shim*) echo 2 ;;
	*) echo 9 ;;
	esac
}
up=$(echo "$edges" | while read -r from to file; do
	[ "$(rank "$to")" -gt "$(rank "$from")" ] && echo "$file includes from $to"
done)
if [ -z "$up" ]; then
	pass "dependencies point shim -> mappings -> adapters"
else
	fail "a dependency points up:"
	echo "$up" | sed 's/^/  /'
fi

# Folder cycles of "FROM TO ..." edges on stdin: the transitive closure
# of the folder graph (a few dozen folders), then any pair that reaches
# each other.
cycles_of() {
	awk '
	$1 != $2 { e[$1 SUBSEP $2] = 1; n[$1] = 1; n[$2] = 1 }
	END {
		for (k in n) for (i in n) for (j in n)
			if ((i SUBSEP k) in e && (k SUBSEP j) in e)
				e[i SUBSEP j] = 1
		for (i in n) for (j in n)
			if (i < j && (i SUBSEP j) in e && (j SUBSEP i) in e)
				print i " <-> " j
	}' | sort
}
cycles=$(echo "$edges" | cycles_of)
if [ -z "$cycles" ]; then
	pass "no cycle between folders"
else
	fail "folders that include from each other:"
	echo "$cycles" | sed 's/^/  /'
fi

# The README's Layout block: one "folder/  what it holds" line each.
drawn=$(sed -n '/^Layout$/,/^Dependencies point one way/p' README | sed -n 's/^    \(\(adapters\|mappings\|shim\)[a-z0-9_/]*\)\/ .*/\1/p' | sort)
real=$(find adapters mappings shim -type d | sort)
if [ -n "$drawn" ] && [ "$drawn" = "$real" ]; then
	pass "README's Layout draws every folder, and only those"
else
	fail "README's Layout and the folders differ:"
	printf '%s\n' "$drawn" >"$results/layout.drawn"
	printf '%s\n' "$real" | diff "$results/layout.drawn" - | sed 's/^/  /'
fi

# Touching a header rebuilds what includes it, nothing else. The
# dependency files name headers as the #include reached them
# (shim/list/../common/output.h): compared by their real paths.
includers() {
	for d in $(find "$build/adapters" "$build/mappings" "$build/shim" \
	    -name '*.d' 2>/dev/null); do
		sed 's/^[^:]*://; s/\\$//' "$d" | tr ' ' '\n' | grep . |
		    xargs realpath -m --relative-to="$top" |
		    grep -qx "$1" && echo "${d%.d}.o"
	done | sort
}
hdr_ok=1
stamp=$(mktemp) || exit 111
make -s BUILD="$build" all >/dev/null 2>&1	# up to date first
for h in adapters/backends/djb.h shim/common/dgetopt.h shim/list/listing.h \
    adapters/engine/wait.h; do
	want=$(includers "$h")
	touch -r "$h" "$stamp"
	touch "$h"
	got=$(make -n BUILD="$build" all 2>/dev/null |
	    sed -n 's/.* -c -o \([^ ]*\.o\) .*/\1/p' | sort)
	touch -r "$stamp" "$h"
	if [ -z "$want" ] || [ "$want" != "$got" ]; then
		hdr_ok=0
		echo "  $h: rebuilds [$(echo $got)], includers [$(echo $want)]"
	fi
done
rm -f "$stamp"
if [ "$hdr_ok" = 1 ]; then
	pass "a header rebuilds only the objects that include it"
else
	fail "a header rebuilds other objects than its includers"
fi

# Link-level edges "FROM-FOLDER TO-FOLDER SYMBOL": every global symbol
# an object leaves undefined that an object of another folder defines.
# The objects the Makefile builds (LAYOUT_OBJECTS), not whatever an old
# build left in BUILD.
make -s BUILD="$build" all >/dev/null 2>&1
objects=${LAYOUT_OBJECTS:-$(find "$build/adapters" "$build/mappings" \
    "$build/shim" -name '*.o')}
ledges=$(printf '%s\n' $objects | sort | while read -r o; do
	d=${o#"$build"/}
	d=${d%/*}
	nm -g --defined-only "$o" | awk -v d="$d" 'NF == 3 { print "D", $3, d }'
	nm -u "$o" | awk -v d="$d" '{ print "U", $NF, d }'
done | awk '
	$1 == "D" { def[$2] = $3; next }
	{ use[++n] = $2 " " $3 }
	END {
		for (i = 1; i <= n; i++) {
			split(use[i], a, " ")
			if ((a[1] in def) && def[a[1]] != a[2])
				print a[2], def[a[1]], a[1]
		}
	}' | sort -u)
if [ -z "$ledges" ]; then
	fail "no link-level dependency found (nm missing, or nothing built?)"
else
	lup=$(echo "$ledges" | while read -r from to sym; do
		[ "$(rank "$to")" -gt "$(rank "$from")" ] &&
		    echo "$from uses $sym of $to"
	done)
	lcycles=$(printf '%s\n%s\n' "$edges" "$ledges" | cycles_of)
	if [ -z "$lup" ] && [ -z "$lcycles" ]; then
		pass "what the objects link against points one way, no cycle (with the includes too)"
	else
		fail "link-level dependencies up or in a cycle:"
		printf '%s\n%s\n' "$lup" "$lcycles" | grep . | sed 's/^/  /'
	fi
fi

echo "layout $passed $failed" >"$results/layout.result"
[ "$failed" -eq 0 ]
