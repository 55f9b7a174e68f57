#!/bin/sh
# Install, manuals and completions: make install into a DESTDIR, the
# installed svx and personalities run from a clean environment, make
# uninstall removes every file; the manual pages lint clean and name every
# verb and option of svx's tables; the bash completion offers exactly the
# tables' words and the services of the scan directories in use; comments
# cite only the repository (adapters/PROTOCOLS.md's sections).

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/e2e/suite.sh"

oneTimeSetUp() {
	suite_begin docs
}

test_manual_pages_lint_clean() {
	command -v mandoc >/dev/null || fail "mandoc not installed"
	out=$(mandoc -Tlint -W warning "$TOP/shim/man/svx.8" \
		"$TOP/shim/man/svx-compat.7" 2>&1)
	assertEquals "mandoc -Tlint" "0 " "$? $out"
}

# mdoc escapes '-' as '\-' in names; the page is read as mandoc wrote it.
man_has() {
	grep -Fq -- "$1" "$T/svx.8.flat"
}

test_manual_names_every_verb_and_option() {
	sed 's/\\-/-/g' "$TOP/shim/man/svx.8" >"$T/svx.8.flat"
	n=0
	for verb in $("$SVX" --list=verbs); do
		man_has ".It Cm $verb" || fail "svx.8 does not describe $verb"
		n=$((n + 1))
	done
	assertTrue "verbs listed" "[ $n -ge 20 ]"
	for opt in $("$SVX" --list=options); do
		opt=${opt%=}
		case $opt in
		--*) man_has "Fl -${opt#--}" || fail "svx.8 lacks $opt" ;;
		-*) man_has "Fl ${opt#-}" || fail "svx.8 lacks $opt" ;;
		esac
	done
	for field in $("$SVX" --list=fields); do
		man_has "$field" || fail "svx.8 lacks the field $field"
	done
	for code in 0 1 100 102 103 111; do
		man_has ".It $code" || fail "svx.8 EXIT STATUS lacks $code"
	done
}

# complete WORDS...: what the bash completion offers for the last word
# (bash splits --opt=value at '=' as readline does).
complete_words() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_svx
		printf "%s\n" "${COMPREPLY[@]}" | sort' \
		complete "${COMPLETION:-$TOP/shim/completion/svx.bash}" "$@"
}

sorted() {
	"$@" | sort
}

test_bash_completion_offers_the_tables() {
	assertEquals "verbs" "$(sorted "$SVX" --list=verbs)" \
		"$(complete_words "$SVX" "")"
	assertEquals "options" "$(sorted "$SVX" --list=options)" \
		"$(complete_words "$SVX" -)"
	assertEquals "long options after a verb" \
		"$(sorted "$SVX" --list=options | grep -- '^--')" \
		"$(complete_words "$SVX" status --)"
	assertEquals "formats" "$(sorted "$SVX" --list=formats)" \
		"$(complete_words "$SVX" status --format = "")"
	assertEquals "a state list" \
		"$(printf '%s\n' down,up down,unknown down,unsupervised | sort)" \
		"$(complete_words "$SVX" status --all --state = down,u)"
	assertEquals "fields after -o" "$(sorted "$SVX" --list=fields)" \
		"$(complete_words "$SVX" -o "")"
	assertEquals "a verb by prefix" "restart" \
		"$(complete_words "$SVX" res)"
	assertEquals "migrate --to" "daemontools
runit
s6" "$(complete_words "$SVX" migrate --to = "")"
}

test_bash_completion_offers_services() {
	# Names no other scanner on the machine has: completion offers the
	# services of every running scanner too.
	mkdir -p "$T/scan/cq-web" "$T/scan/cq-db" "$T/scan/.hidden" "$T/other/x"
	got=$(SVDIR= SVX_SCANDIRS=$T/scan complete_words "$SVX" up "")
	echo "$got" | grep -qx cq-web || fail "cq-web not offered: $got"
	echo "$got" | grep -qx cq-db || fail "cq-db not offered: $got"
	echo "$got" | grep -q hidden && fail "a dot-name offered: $got"
	assertEquals "by prefix" "cq-web" \
		"$(SVDIR= SVX_SCANDIRS=$T/scan complete_words "$SVX" status cq-w)"
	assertEquals "paths" "$T/other/x" \
		"$(complete_words "$SVX" status "$T/other/")"
}

# zsh_complete WORDS...: what _svx hands to zsh's completion system,
# with compadd and _describe replaced by printers.
zsh_complete() {
	zsh -f -c '
		_call_program() { shift; eval "$@" }
		_describe() { print -l -- "${(@P)2}" }
		compadd() {
			local a seen=0
			for a; do
				if ((seen)); then print -r -- "$a"
				elif [[ $a == -- ]]; then seen=1; fi
			done
		}
		words=("$@"); CURRENT=$#
		source "'"$TOP/shim/completion/_svx"'"' zsh "$@" | sort
}

test_zsh_completion_offers_the_tables() {
	command -v zsh >/dev/null || fail "zsh not installed"
	zsh -n "$TOP/shim/completion/_svx" || fail "zsh -n _svx"
	assertEquals "verbs" "$(sorted "$SVX" --list=verbs)" \
		"$(zsh_complete "$SVX" "")"
	assertEquals "options" "$(sorted "$SVX" --list=options)" \
		"$(zsh_complete "$SVX" -)"
}

test_install_runs_from_a_clean_shell_and_uninstalls() {
	stage=$T/stage
	make -s -C "$TOP" install DESTDIR="$stage" BUILD="$SVX_BUILD" \
		>"$T/install.out" 2>&1 || fail "make install: $(cat "$T/install.out")"
	bin=$stage/usr/local/bin/svx
	compat=$stage/usr/local/lib/svx/compat
	assertEquals "version" "svx $("$SVX" --version | cut -d' ' -f2)" \
		"$(env -i PATH=/usr/bin:/bin "$bin" --version)"
	for p in sv svc svstat svok s6-svc s6-svstat s6-svok s6-svwait; do
		[ -x "$compat/$p" ] || fail "$p not installed"
	done
	# A real service under runsv, through the installed personalities.
	make_service "$T/svc"
	start_supervisor runit "$T/svc" || fail "runsv"
	wait_for 10 service_started "$T/svc" || fail "not started"
	env -i PATH=/usr/bin:/bin "$compat/svok" "$T/svc"
	assertEquals "installed svok" 0 $?
	env -i PATH=/usr/bin:/bin "$compat/sv" status "$T/svc" |
		grep -q "^run: $T/svc: (pid " || fail "installed sv status"
	env -i PATH=/usr/bin:/bin "$bin" -w 5 down "$T/svc"
	assertEquals "installed svx -w down" 0 $?
	env -i PATH=/usr/bin:/bin "$compat/s6-svstat" -o up "$T/svc" >"$T/up"
	assertEquals "down, through s6-svstat" "false" "$(cat "$T/up")"
	[ -s "$stage/usr/local/share/man/man8/svx.8" ] || fail "svx.8"
	[ -s "$stage/usr/local/share/man/man7/svx-compat.7" ] || fail "svx-compat.7"
	[ -x "$stage/etc/init.d/supervision" ] || fail "init script"
	grep -q "svx_bin:=/usr/local/bin/svx" "$stage/usr/local/lib/svx/openrc.sh" ||
		fail "openrc.sh does not name the installed svx"
	COMPLETION=$stage/usr/local/share/bash-completion/completions/svx \
		complete_words "$bin" "restart" | grep -qx restart ||
		fail "installed bash completion"
	make -s -C "$TOP" uninstall DESTDIR="$stage" >/dev/null 2>&1
	assertEquals "left after uninstall" "" \
		"$(find "$stage" -type f -o -type l)"
}

test_install_path_is_opt_in() {
	stage=$T/stage2
	make -s -C "$TOP" install-path DESTDIR="$stage" >/dev/null 2>&1
	. "$stage/etc/profile.d/svx-compat.sh"
	assertEquals "first on PATH" "/usr/local/lib/svx/compat" "${PATH%%:*}"
	make -s -C "$TOP" uninstall-path DESTDIR="$stage" >/dev/null 2>&1
	assertEquals "removed" "" "$(find "$stage" -type f)"
}

# The tree svx's comments may send a reader into: everything but the build
# and recorded results.
cited_tree() {
	grep -rnIE "$1" "$TOP/Makefile" "$TOP/README" "$TOP/compat-matrix.md" \
		"$TOP/adapters" "$TOP/mappings" "$TOP/shim" "$TOP/tests" \
		2>/dev/null
}

# The anchors GitHub gives the headings of adapters/PROTOCOLS.md.
protocol_anchors() {
	sed -n 's/^##* //p' "$TOP/adapters/PROTOCOLS.md" | tr 'A-Z' 'a-z' |
		sed 's/[^a-z0-9 -]//g; s/ /-/g'
}

# Every fact a comment leans on is in the repository: no section signs or
# G-numbered ids of a document kept elsewhere, no path to one, no number
# of a tracker's issues or of a review's items as the reason for a line,
# and each PROTOCOLS.md#<anchor> cited names a heading that exists. (The
# patterns are spelt so that this file does not match them.)
test_comments_cite_only_the_repository() {
	sect=$(printf '\302\247')
	outside=$(cited_tree "$sect|[(]G[0-9]+[),]|referenc[e] G[0-9]|shared/referenc[e]|(backends|style|features)[.]md|[Ii]ssues? [0-9]|[Rr]eview [i]tem")
	assertEquals "citations of documents outside the repository" "" \
		"$outside"
	[ -s "$TOP/adapters/PROTOCOLS.md" ] || fail "adapters/PROTOCOLS.md"
	protocol_anchors >"$T/anchors"
	assertTrue "PROTOCOLS.md has sections" "[ $(wc -l <"$T/anchors") -ge 10 ]"
	cited_tree 'PROTOCOLS[.]md#[a-z0-9-]+' |
		grep -oE 'PROTOCOLS[.]md#[a-z0-9-]+' | sed 's/.*#//' |
		sort -u >"$T/cited"
	assertTrue "comments cite PROTOCOLS.md sections" "[ -s $T/cited ]"
	missing=$(grep -vxFf "$T/anchors" "$T/cited")
	assertEquals "PROTOCOLS.md sections cited but missing" "" "$missing"
}

. shunit2
