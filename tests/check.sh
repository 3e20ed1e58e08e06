#!/bin/sh
# tests/check.sh [PART...] -- what CI runs (`make test-all`): the core suite,
# the unoptimized builds, the fuzzers, the sanitizer run and the data-race
# run, summed up.
#
# Parts, in this order unless named on the command line:
#   core  the core suite (tests/run.sh with build/dfc, what `make test` runs);
#   unopt the differential kernels (samples, tests/diff, tests/corpus) once
#         more built at -O0, as the frontend makes them (core builds them
#         at -O3; their lines end in `[-O0]`);
#   fuzz  each libFuzzer harness for a fixed number of inputs from a fixed
#         seed (tests/fuzz/run.sh --ci), so that a run is reproducible;
#   san   the whole suite again with dfc built with ASan and UBSan and the
#         kernels it generates built with them too (`make test SAN=1`);
#   race  the differential kernels (samples, tests/diff, tests/corpus, at
#         -O3) built with ThreadSanitizer and run with $RACE_THREADS OpenMP
#         threads (default: 4 in a whole run, "2 4" for `make race` and
#         `tests/check.sh race`) on LLVM's OpenMP runtime with its Archer
#         tool.
# The san and race parts each first check that their sanitizer does report
# a planted bug, so that a silently inactive sanitizer cannot pass.
#
# Every test prints `PASS name`, `FAIL name: why` or `SKIP name (why)`;
# the names of a part other than core start with the part (`san/`, `race/`,
# `fuzz/`). The run ends with the one line `N passed, N failed, N skipped`
# summing every part; the exit status is 1 if anything failed.
#
# Environment: PYTHON (default /usr/bin/python3), MAKE (default make),
# RACE_THREADS (thread counts of the race part).
set -u
cd "$(dirname "$0")/.." || exit 1
LC_ALL=C
export LC_ALL
PYTHON=${PYTHON:-/usr/bin/python3}
MAKE=${MAKE:-make}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dfc-check.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP
: >"$TMP/all"

# part NAME PREFIX CMD...: runs CMD, its output shown and kept in $TMP/all
# with PREFIX added to every test name; a command that fails without a
# FAIL line of its own counts as one failure.
part() {
	name=$1 prefix=$2
	shift 2
	start=$(date +%s)
	{
		"$@" 2>&1
		echo $? >"$TMP/status"
	} | sed -u "s#^\(PASS\|FAIL\|SKIP\) #\1 $prefix#" | tee "$TMP/part"
	st=$(cat "$TMP/status")
	if [ "$st" -ne 0 ] && ! grep -q '^FAIL ' "$TMP/part"; then
		echo "FAIL check/$name: exit status $st" | tee -a "$TMP/part"
	fi
	echo "check: part $name took $(($(date +%s) - start)) s"
	grep -E '^(PASS|FAIL|SKIP) ' "$TMP/part" >>"$TMP/all"
}

core() {
	PYTHON=$PYTHON DFC=build/dfc UNITS=build/tests sh tests/run.sh
}

unopt() {
	DFC_DIFF_FLAGS=-O0 "$PYTHON" tests/diff/run_diff.py --dfc build/dfc \
		samples/*.py tests/diff/*.py tests/corpus/*.py
}

fuzz() {
	$MAKE -s -j2 fuzz-build && $MAKE -s fuzz-ci
}

# ASan's runtime from gcc, which builds the sanitized kernels.
asan_lib() {
	gcc -print-file-name=libasan.so
}

# A kernel that writes past the end of a NumPy array, run under ASan as
# `make test SAN=1` runs kernels: the report proves the sanitizer active.
san_control() {
	printf '%s\n' "# dfc: poke(a: float64[N], idx: int64[M])" "def poke(a, idx):" \
		"    for i in range(idx.shape[0]):" "        a[idx[i]] = 1.0" >"$TMP/poke.py"
	DFC_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" CC=gcc \
		ASAN_OPTIONS=detect_leaks=0 build-san/dfc build "$TMP/poke.py" -o "$TMP/poke" >"$TMP/ctl" 2>&1 || {
		echo "FAIL control/asan: dfc build failed"
		sed 's/^/    /' "$TMP/ctl"
		return
	}
	LD_PRELOAD=$(asan_lib) ASAN_OPTIONS=detect_leaks=0 "$PYTHON" -c "
import sys; sys.path.insert(0, '$TMP/poke')
import numpy as np, poke
poke.poke(np.zeros(8), np.array([3, 9], dtype=np.int64))" >"$TMP/ctl" 2>&1
	if grep -q 'AddressSanitizer: heap-buffer-overflow' "$TMP/ctl"; then
		echo "PASS control/asan (an out-of-bounds write of a kernel is reported)"
	else
		echo "FAIL control/asan: an out-of-bounds write of a kernel was not reported"
		sed -n '1,20s/^/    /p' "$TMP/ctl"
	fi
}

san() {
	$MAKE -s -j2 SAN=1 all units >/dev/null || return 1
	san_control
	$MAKE -s SAN=1 test
}

# LLVM's library directory (libomp.so.5, libarcher.so), from clang's.
llvm_lib() {
	d=$(clang -print-resource-dir 2>/dev/null) && cd "$d/../.." 2>/dev/null && pwd
}

# race_env CMD...: CMD with kernels built by gcc with -fsanitize=thread
# and run (in run_diff's workers) with gcc's TSan runtime and LLVM's
# OpenMP runtime (which serves the GOMP_* calls gcc emits) preloaded, and
# Archer telling TSan about OpenMP's synchronization. -DDFCRT_PAR_MIN_WORK=0
# makes every parallel map fork, however small, and -DDFCRT_NT_MIN_BYTES=0
# every map that may stream its results do so (runtime/dfcrt.h).
race_env() {
	lib=$(llvm_lib)
	CC=gcc DFC_CFLAGS="-fsanitize=thread -g -DDFCRT_PAR_MIN_WORK=0 -DDFCRT_NT_MIN_BYTES=0" \
		DFC_DIFF_PRELOAD="$(gcc -print-file-name=libtsan.so) $lib/libomp.so.5" \
		OMP_TOOL_LIBRARIES=$lib/libarcher.so \
		TSAN_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=1" "$@"
}

# A parallel loop that races on a shared sum, built and run the same way.
race_control() {
	printf '%s\n' "void racy(double *a, int n) {" "	double s = 0;" \
		"	#pragma omp parallel for" "	for (int i = 0; i < n; i++) s += a[i];" \
		"	a[0] = s;" "}" >"$TMP/racy.c"
	gcc -O3 -fPIC -shared -fopenmp -fsanitize=thread -g -o "$TMP/libracy.so" "$TMP/racy.c"
	lib=$(llvm_lib)
	OMP_NUM_THREADS=4 OMP_TOOL_LIBRARIES=$lib/libarcher.so \
		TSAN_OPTIONS=ignore_noninstrumented_modules=1 \
		LD_PRELOAD="$(gcc -print-file-name=libtsan.so) $lib/libomp.so.5" "$PYTHON" -c "
import ctypes, numpy as np
a = np.ones(4096); ctypes.CDLL('$TMP/libracy.so').racy(a.ctypes.data_as(ctypes.c_void_p), 4096)
" >"$TMP/ctl" 2>&1
	if grep -q 'ThreadSanitizer: data race' "$TMP/ctl"; then
		echo "PASS control/tsan (a racy OpenMP loop is reported)"
	else
		echo "FAIL control/tsan: a racy OpenMP loop was not reported"
		sed -n '1,20s/^/    /p' "$TMP/ctl"
	fi
}

race() {
	lib=$(llvm_lib)
	if [ -z "$lib" ] || [ ! -f "$lib/libarcher.so" ] || [ ! -f "$lib/libomp.so.5" ]; then
		echo "SKIP tsan (no LLVM OpenMP runtime with libarcher.so: install libomp-dev)"
		return 0
	fi
	race_control
	for t in ${RACE_THREADS:-2 4}; do
		{
			OMP_NUM_THREADS=$t DFC_DIFF_FLAGS=-O3 race_env "$PYTHON" tests/diff/run_diff.py \
				--dfc build/dfc samples/*.py tests/diff/*.py tests/corpus/*.py 2>&1
			echo $? >"$TMP/race.status"
		} | sed -u "s#^\(PASS\|FAIL\|SKIP\) #\1 threads=$t/#" | tee "$TMP/race.out"
		if [ "$(cat "$TMP/race.status")" -ne 0 ] && ! grep -q '^FAIL ' "$TMP/race.out"; then
			echo "FAIL threads=$t/run_diff.py: the harness failed"
		fi
	done
}

# CI's race part runs with 4 threads only (time); `make race` with 2 and 4.
[ $# -gt 0 ] || { set -- core unopt fuzz san race; RACE_THREADS=${RACE_THREADS:-4}; }
for p in "$@"; do
	case $p in
	core) part core "" core ;;
	unopt) part unopt "" unopt ;;
	fuzz) part fuzz "" fuzz ;;
	san) part san san/ san ;;
	race) part race race/ race ;;
	*) echo "check: unknown part '$p' (core, unopt, fuzz, san, race)" >&2; exit 2 ;;
	esac
done
passed=$(grep -c '^PASS ' "$TMP/all")
failed=$(grep -c '^FAIL ' "$TMP/all")
skipped=$(grep -c '^SKIP ' "$TMP/all")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
