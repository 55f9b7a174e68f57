# bash completion for svx. Verbs, options and their values come from svx
# itself (svx --list=...), so they are always the ones it accepts; service
# names from every scan directory in use (svx status --all -o name).

_svx_words()
{
	"$1" --list="$2" 2>/dev/null
}

# Complete the last item of a comma list CUR from WORDS.
_svx_comma_list()
{
	local cur=$1 words=$2 head=
	[[ $cur == *,* ]] && head=${cur%,*},
	COMPREPLY=($(compgen -P "$head" -W "$words" -- "${cur##*,}"))
	compopt -o nospace 2>/dev/null
}

# import: the .service units where systemd looks (instances of templates
# are named by hand).
_svx_units()
{
	local d f IFS=:
	for d in ${SYSTEMD_UNIT_PATH:-/etc/systemd/system:/run/systemd/system:/usr/local/lib/systemd/system:/usr/lib/systemd/system:/lib/systemd/system}; do
		for f in "$d"/*.service; do
			[[ -e $f && $f != *@.service ]] && echo "${f##*/}"
		done
	done
}

_svx()
{
	local svx=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local prev= opt= i verb=

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# bash splits --opt=value at '=': the option is two words back.
	if [[ $cur == = ]]; then
		opt=$prev cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	case $opt in
	--format) COMPREPLY=($(compgen -W "$(_svx_words "$svx" formats)" -- "$cur")); return ;;
	--state) _svx_comma_list "$cur" "$(_svx_words "$svx" states)"; return ;;
	--backend) _svx_comma_list "$cur" "$(_svx_words "$svx" backends)"; return ;;
	--color | --colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--list) COMPREPLY=($(compgen -W "verbs options fields formats states backends" -- "$cur")); return ;;
	--to) COMPREPLY=($(compgen -W "daemontools runit s6" -- "$cur")); return ;;
	--scandir | --dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--settle | --wait) return ;;
	--group) COMPREPLY=($(compgen -g -- "$cur")); return ;;
	--warn-uptime | --crit-uptime | --warn-restarts | --crit-restarts) return ;;
	esac
	case $prev in
	-o) _svx_comma_list "$cur" "$(_svx_words "$svx" fields)"; return ;;
	-w | --settle) return ;;
	--group) COMPREPLY=($(compgen -g -- "$cur")); return ;;
	--warn-uptime | --crit-uptime | --warn-restarts | --crit-restarts) return ;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-* | =) continue ;;
		esac
		case ${COMP_WORDS[i - 1]} in
		-o | -w | --settle | --group | --*-uptime | --*-restarts | =) continue ;;
		esac
		verb=${COMP_WORDS[i]}
		break
	done
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_svx_words "$svx" options)" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return
	fi
	if [[ -z $verb ]]; then
		COMPREPLY=($(compgen -W "$(_svx_words "$svx" verbs)" -- "$cur"))
		return
	fi
	local IFS=$'\n'
	if [[ $verb == import ]]; then
		COMPREPLY=($(compgen -W "$(_svx_units | sort -u)" -- "$cur") $(compgen -f -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$("$svx" status --all -o name 2>/dev/null)" -- "$cur"))
	# A path works anywhere a name does.
	[[ $cur == */* || $cur == .* ]] && COMPREPLY+=($(compgen -d -- "$cur"))
}
complete -F _svx svx
