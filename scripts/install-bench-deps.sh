#!/bin/sh
# scripts/install-bench-deps.sh -- installs what `make bench` compares dfc with.
#
# Debian packages: Numba, Pythran, matplotlib (the chart) and threadpoolctl
# (which BLAS NumPy uses), each only where apt knows it; then DaCe from PyPI
# with pip, best effort (--break-system-packages on Debian 12's managed
# Python). Nothing here is needed by `make test` or CI: a contender that is
# missing is reported as "not installed" by bench/, not fatal. Idempotent:
# packages already installed are left alone and apt is not touched.
# BENCH_NO_PIP=1 skips the pip step.
set -u

PYTHON=${PYTHON:-/usr/bin/python3}
PACKAGES="python3-numba python3-pythran python3-matplotlib python3-threadpoolctl"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	SUDO=none
fi

missing=
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing="$missing $p"
done

if [ -n "$missing" ] && [ "$SUDO" = none ]; then
	echo "install-bench-deps: missing:$missing (not root and no sudo: skipped)" >&2
elif [ -n "$missing" ]; then
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
	avail=
	for p in $missing; do
		cand=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
		if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
			avail="$avail $p"
		else
			echo "install-bench-deps: $p is not available from apt: skipped" >&2
		fi
	done
	if [ -n "$avail" ]; then
		echo "install-bench-deps: installing$avail"
		# shellcheck disable=SC2086 # the package list is meant to split
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $avail >/dev/null ||
			echo "install-bench-deps: apt-get install failed (the benchmark goes on without)" >&2
	fi
else
	echo "install-bench-deps: the Debian packages are installed"
fi

# DaCe: PyPI only, tried once; a failure is reported, not fatal.
if [ "${BENCH_NO_PIP:-0}" != 1 ] && ! "$PYTHON" -c "import dace" >/dev/null 2>&1; then
	if "$PYTHON" -m pip --version >/dev/null 2>&1; then
		echo "install-bench-deps: pip install dace (best effort)"
		"$PYTHON" -m pip install -q --break-system-packages dace "networkx<3.5" >/dev/null 2>&1 ||
			"$PYTHON" -m pip install -q dace "networkx<3.5" >/dev/null 2>&1 ||
			echo "install-bench-deps: dace did not install from PyPI (reported as not installed)" >&2
	else
		echo "install-bench-deps: no pip for $PYTHON: dace skipped" >&2
	fi
fi
exit 0
