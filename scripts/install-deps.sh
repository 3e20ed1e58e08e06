#!/bin/sh
# scripts/install-deps.sh -- installs the Debian packages dfc needs (DESIGN §7).
#
# Idempotent: when every package is already installed (dpkg-query) it does
# nothing and never touches apt. Otherwise it runs `apt-get update` once and
# installs the missing ones, through sudo when not root. A package that apt
# cannot find stops the script with a message naming it.
set -eu

PACKAGES="build-essential gcc make clang libomp-dev libyaml-dev python3 python3-numpy
graphviz libopenblas-dev libisl-dev libclang-14-dev libclang-rt-14-dev openmpi-bin libopenmpi-dev"

missing=
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages are installed"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: not root and no sudo: install them as root" >&2
	exit 1
fi

echo "install-deps: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
unavailable=
for p in $missing; do
	# A candidate of "(none)" or no output: apt knows no installable version.
	cand=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
	[ -n "$cand" ] && [ "$cand" != "(none)" ] || unavailable="$unavailable $p"
done
if [ -n "$unavailable" ]; then
	echo "install-deps: not available from the configured apt sources:$unavailable" >&2
	echo "install-deps: dfc needs a Debian 12 (bookworm) or compatible system" >&2
	exit 1
fi
# shellcheck disable=SC2086 # the package list is meant to split
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
echo "install-deps: done"
