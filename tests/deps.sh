#!/bin/sh
# deps.sh: make sure the Debian packages svx's build, tests and demo need
# are installed. As root it installs what is missing with apt-get;
# otherwise it prints the exact command and fails.

# svx import's end-to-end suite runs the daemons of these packages from
# their own unit files. Their postinst scripts would start them through
# invoke-rc.d: a policy-rc.d that answers 101 ("action forbidden") is put
# in place for the install, only where none exists, and removed after.
# (curl and ss, from iproute2, ask the daemons.)
daemons=
for p in memcached nginx redis-server cron curl iproute2; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q 'install ok installed' || daemons="$daemons $p"
done
if [ -n "$daemons" ] && [ "$(id -u)" -ne 0 ]; then
	echo "missing packages:$daemons (their daemons must not start:"
	echo "  a /usr/sbin/policy-rc.d that exits 101 during the install)"
	exit 1
fi
policy=/usr/sbin/policy-rc.d made_policy=
if [ -n "$daemons" ] && [ ! -e "$policy" ] && [ ! -L "$policy" ]; then
	printf '#!/bin/sh\n# svx tests/deps.sh: no daemon starts during its install\nexit 101\n' >"$policy.svx" &&
		chmod 755 "$policy.svx" && mv "$policy.svx" "$policy" &&
		made_policy=yes
	trap '[ -n "$made_policy" ] && rm -f "$policy"' EXIT INT TERM
fi
if [ -n "$daemons" ]; then
	echo "installing (daemons not started):$daemons"
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends $daemons >/dev/null ||
		{ apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $daemons >/dev/null; } ||
		exit 1
	[ -n "$made_policy" ] && rm -f "$policy"
	made_policy=
fi

need="build-essential clang libclang-rt-dev pkg-config libbsd-dev libexpat1-dev libcmocka-dev shunit2 \
daemontools runit s6 openrc jq strace mandoc zsh valgrind supervisor"
missing=
for p in $need; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages:$missing"
	echo "install them with:"
	echo "  sudo apt-get install -y$missing"
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null ||
	{ apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; }
