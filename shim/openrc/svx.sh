# svx for OpenRC: start, stop and status of a supervised service, on
# whichever supervisor owns it (daemontools, encore, runit or s6). Source
# it from an openrc-run script:
#
#	#!/sbin/openrc-run
#	description="web server"
#	svx_service=/etc/sv/web		# default: $RC_SVCNAME, looked up
#					# in $SVDIR or /run/service, ...
#	svx_timeout_start=10		# seconds (default 10)
#	svx_timeout_stop=10		# seconds (default 10)
#	svx_settle=500			# ms the same pid must stay up, where
#					# the backend has no readiness
#					# (default: svx's own, 200)
#	svx_kill_on_timeout=yes		# SIGKILL a service that will not stop
#	. /usr/local/lib/svx/openrc.sh
#
# SVDIR may be set in /etc/conf.d/NAME, exported or not.
#
# start returns once the service is up (and ready, where the backend
# knows readiness) or reports why not: no sleeps, no retry loops. A start
# that fails leaves the service wanted down, as OpenRC then records it:
# its supervisor does not go on restarting it. Without
# readiness (s6's notification-fd, runit's ./check), "up" means the same
# process for svx_settle ms (svx's default, 200, unless set): enough to
# catch a run script that fails at once or within ~100 ms (a missing
# binary, a bad option); a service that can die later should signal
# readiness, or set a longer svx_settle. status
# answers with OpenRC's codes: 0 started, 3 stopped, 4 stopping,
# 8 starting, 32 crashed (wanted up but not running, or its supervisor
# died with the service still wanted up).

: "${svx_bin:=svx}"

_svx_service()
{
	printf '%s\n' "${svx_service:-$RC_SVCNAME}"
}

# OpenRC sources conf.d into this shell, where a plain SVDIR=... (or
# SUPERVISEDIR=...) is not exported: svx must see it all the same.
_svx()
{
	[ -z "${SVDIR:-}" ] || export SVDIR
	[ -z "${SUPERVISEDIR:-}" ] || export SUPERVISEDIR
	"$svx_bin" "$@"
}

start()
{
	local rc
	ebegin "Starting ${name:-$RC_SVCNAME}"
	_svx -w "${svx_timeout_start:-10}" ${svx_settle:+--settle "$svx_settle"} \
		up "$(_svx_service)"
	rc=$?
	# OpenRC records a failed start as stopped: make it so, or the
	# supervisor restarts the service behind a "stopped" and the next
	# stop is refused as "already stopped". The command is sent, not
	# waited for.
	[ "$rc" -eq 0 ] || _svx down "$(_svx_service)" >/dev/null 2>&1
	eend "$rc" "Failed to start ${name:-$RC_SVCNAME}"
}

stop()
{
	local kill=
	yesno "${svx_kill_on_timeout:-yes}" && kill=--kill-on-timeout
	ebegin "Stopping ${name:-$RC_SVCNAME}"
	_svx -w "${svx_timeout_stop:-10}" $kill down "$(_svx_service)"
	eend $? "Failed to stop ${name:-$RC_SVCNAME}"
}

status()
{
	# supervisor, state, want: one line from svx, never parsed prose.
	set -- $(_svx -o supervisor,state,want status \
		"$(_svx_service)" 2>/dev/null)
	case "${1:-unknown}:${2:-unknown}:${3:-unknown}" in
	running:up:*)
		einfo "status: started"
		return 0 ;;
	running:starting:*)
		ewarn "status: starting"
		return 8 ;;
	running:stopping:* | running:finishing:down | \
	running:finishing:once)
		ewarn "status: stopping"
		return 4 ;;
	running:*:up | absent:*:up)
		eerror "status: crashed"
		return 32 ;;
	running:* | absent:*)
		einfo "status: stopped"
		return 3 ;;
	*)
		eerror "status: unknown (svx status $(_svx_service) says why)"
		return 32 ;;
	esac
}
