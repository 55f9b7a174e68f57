#!/bin/sh
# deps.sh: make sure the Debian packages svx's build, tests and demo need
# are installed. As root it installs what is missing with apt-get;
# otherwise it prints the exact command and fails.
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
