#!/bin/sh
# scripts/demo.sh -- `make demo`: compile a sample with dfc, check it against
# NumPy on the same random inputs, and time both.
#
# Builds samples/jacobi2d.py into out/demo, then runs the compiled kernel and
# the NumPy original at a size where NumPy takes tens of milliseconds, checks
# that they agree (exit 1 if not) and prints the median of 7 timed runs of
# each, e.g. `jacobi2d N=600,M=600: numpy 60.2 ms, dfc 9.1 ms (6.6x), max abs
# diff 0`. OpenMP uses every core (OMP_NUM_THREADS is unset).
# Environment: PYTHON (default /usr/bin/python3), DFC (default build/dfc).
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-/usr/bin/python3}
DFC=${DFC:-build/dfc}
KERNEL=samples/jacobi2d.py
SIZES=N=600,M=600
ARGS="max_iters=30 k=10 tol=1e-12"
OUT=out/demo
unset OMP_NUM_THREADS

if [ ! -x "$DFC" ]; then
	echo "demo: $DFC is not built (run make)" >&2
	exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"
echo "demo: $DFC build $KERNEL -o $OUT"
"$DFC" build "$KERNEL" -o "$OUT"
echo "demo: NumPy and dfc on the same random inputs ($ARGS), median of 7 runs"
"$PYTHON" tests/diff/run_diff.py --bench --prebuilt "$OUT" --sizes "$SIZES" \
	--args "$ARGS" --repeat 7 "$KERNEL"
