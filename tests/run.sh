#!/bin/sh
# tests/run.sh -- dfc's whole test suite (`make test` runs it from the repo root).
#
# In order: the unit test programs build/tests/* (exit 0 pass, 77 skip, else
# fail); golden tests tests/golden/X.py (`dfc dump X.py --format text` equals
# X.txt, or, when X.err exists, exit status 1 with stderr equal to X.err);
# error tests tests/errors/X.py and X.yaml (`dfc dump X` exits 1 with stderr
# equal to X.err); the wrapper scripts tests/wrap/X.py (`$PYTHON X.py DFC`
# prints nothing and exits 0 on success, 77 to skip); then the differential
# cases of tests/diff/run_diff.py and the random transformation sequences of
# tests/xform_random.py.
# Every test prints `PASS name`, `FAIL name: why` (with at most 40 lines of
# diff or output) or `SKIP name (why)`, and the run ends with the one line
# `N passed, N failed, N skipped`; the exit status is 1 if anything failed.
#
# Environment: PYTHON (default /usr/bin/python3), DFC (default build/dfc),
# UNITS (where the unit test programs are, default build/tests),
# UPDATE=1 rewrites the .txt/.err goldens from the actual outputs.
set -u
cd "$(dirname "$0")/.." || exit 1
LC_ALL=C
export LC_ALL
PYTHON=${PYTHON:-/usr/bin/python3}
DFC=${DFC:-build/dfc}
UPDATE=${UPDATE:-0}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dfc-test.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 120"
passed=0
failed=0
skipped=0

pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}

fail() {
	echo "FAIL $1: $2"
	failed=$((failed + 1))
}

skip() {
	echo "SKIP $1 ($2)"
	skipped=$((skipped + 1))
}

# show FILE: the first 40 lines of FILE, indented, and how many were left out.
show() {
	sed -n '1,40s/^/    /p' "$1"
	n=$(wc -l <"$1")
	[ "$n" -gt 40 ] && echo "    ... ($((n - 40)) more lines)"
	return 0
}

# why STATUS: a failed command's exit status in words.
why() {
	if [ "$1" -eq 124 ]; then
		echo "timed out"
	elif [ "$1" -gt 128 ]; then
		echo "killed by signal $(($1 - 128))"
	else
		echo "exit status $1"
	fi
}

# dfc ARGS...: runs dfc with stdout in $TMP/out and stderr in $TMP/err.
dfc() {
	$TIMEOUT "$DFC" "$@" >"$TMP/out" 2>"$TMP/err"
}

# expect_output NAME WANT ARGS...: dfc ARGS exits 0 and prints WANT.
expect_output() {
	name=$1 want=$2
	shift 2
	dfc "$@"
	st=$?
	if [ "$st" -ne 0 ]; then
		fail "$name" "dfc $* failed, $(why "$st")"
		show "$TMP/err"
	elif [ "$UPDATE" = 1 ]; then
		cp "$TMP/out" "$want"
		pass "$name (updated $want)"
	elif [ ! -f "$want" ]; then
		fail "$name" "$want is missing (UPDATE=1 writes it)"
	else
		compare "$name" "$want" "$TMP/out" "the output differs"
	fi
}

# expect_error NAME WANT ARGS...: dfc ARGS exits 1 with stderr WANT.
expect_error() {
	name=$1 want=$2
	shift 2
	dfc "$@"
	st=$?
	if [ "$st" -ne 1 ]; then
		fail "$name" "dfc $* should exit with status 1, got $(why "$st")"
		show "$TMP/err"
	elif [ "$UPDATE" = 1 ]; then
		cp "$TMP/err" "$want"
		pass "$name (updated $want)"
	elif [ ! -f "$want" ]; then
		fail "$name" "$want is missing (UPDATE=1 writes it)"
	else
		compare "$name" "$want" "$TMP/err" "the diagnostics differ"
	fi
}

# compare NAME WANT GOT WHAT: byte equality, else WHAT and a unified diff.
compare() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "$4 from $2"
		diff -u -L "$2" -L actual "$2" "$3" >"$TMP/diff"
		show "$TMP/diff"
	fi
}

have_dfc() {
	[ -x "$DFC" ] && return 0
	fail "$1" "$DFC is not built (run make)"
	return 1
}

run_units() {
	for src in tests/unit/*.c; do
		[ -f "$src" ] || continue
		t=${UNITS:-build/tests}/$(basename "$src" .c)
		name=unit/$(basename "$t")
		if [ ! -x "$t" ]; then
			fail "$name" "$t is not built (run make units)"
			continue
		fi
		$TIMEOUT "$t" >"$TMP/out" 2>&1
		st=$?
		case $st in
		0) pass "$name" ;;
		77) skip "$name" "$(tail -n 1 "$TMP/out")" ;;
		*)
			fail "$name" "$(why "$st")"
			show "$TMP/out"
			;;
		esac
	done
}

run_golden() {
	for src in tests/golden/*.py; do
		[ -f "$src" ] || continue
		name=golden/$(basename "$src")
		have_dfc "$name" || continue
		if [ -f "${src%.py}.err" ]; then
			expect_error "$name" "${src%.py}.err" dump "$src"
		else
			expect_output "$name" "${src%.py}.txt" dump "$src" --stage parsed --format text
		fi
	done
}

run_errors() {
	for src in tests/errors/*.py tests/errors/*.yaml; do
		[ -f "$src" ] || continue
		name=errors/$(basename "$src")
		have_dfc "$name" || continue
		expect_error "$name" "${src%.*}.err" dump "$src"
	done
}

# Transformation tests: tests/xform/X.py (or X.yaml) with the recipe
# X.recipe.yaml; X.txt is the text dump after the recipe, X.err the expected
# refusal (exit status 1). Kernels that apply also run in run_diff (their
# "# dfc-test: script" hint builds them with the recipe).
run_xform() {
	for src in tests/xform/*.py tests/xform/*.yaml; do
		[ -f "$src" ] || continue
		case $src in *.recipe.yaml) continue ;; esac
		base=${src%.*}
		name=xform/$(basename "$src")
		have_dfc "$name" || continue
		if [ -f "$base.err" ]; then
			expect_error "$name" "$base.err" dump "$src" --script "$base.recipe.yaml"
		else
			expect_output "$name" "$base.txt" dump "$src" --script "$base.recipe.yaml" --format text
		fi
	done
}

# Scripts that build kernels with dfc and call what it generates.
run_wrap() {
	for src in tests/wrap/*.py; do
		[ -f "$src" ] || continue
		name=wrap/$(basename "$src")
		have_dfc "$name" || continue
		TMPDIR=$TMP $TIMEOUT "$PYTHON" "$src" "$DFC" >"$TMP/out" 2>&1
		st=$?
		case $st in
		0) pass "$name" ;;
		77) skip "$name" "$(tail -n 1 "$TMP/out")" ;;
		*)
			fail "$name" "$(why "$st")"
			show "$TMP/out"
			;;
		esac
	done
}

# The differential cases: each PASS/FAIL/SKIP line of run_diff.py counts.
# Arguments: files (default: all); $DFC_DIFF_FLAGS adds build options.
run_diff() {
	{
		TMPDIR=$TMP "$PYTHON" tests/diff/run_diff.py --dfc "$DFC" "$@" 2>"$TMP/diff.err"
		echo $? >"$TMP/diff.status"
	} | tee "$TMP/diff.out"
	n=$(grep -c '^PASS ' "$TMP/diff.out")
	passed=$((passed + n))
	n=$(grep -c '^SKIP ' "$TMP/diff.out")
	skipped=$((skipped + n))
	n=$(grep -c '^FAIL ' "$TMP/diff.out")
	failed=$((failed + n))
	st=$(cat "$TMP/diff.status")
	if [ "$st" -ne 0 ] && [ "$n" -eq 0 ]; then
		fail "diff/run_diff.py" "the harness itself failed, $(why "$st")"
		show "$TMP/diff.err"
	fi
}

# Random recipes built and compared against NumPy: one line per case counts.
run_xform_random() {
	{
		TMPDIR=$TMP "$PYTHON" tests/xform_random.py --dfc "$DFC" 2>"$TMP/random.err"
		echo $? >"$TMP/random.status"
	} | tee "$TMP/random.out"
	n=$(grep -c '^PASS ' "$TMP/random.out")
	passed=$((passed + n))
	n=$(grep -c '^SKIP ' "$TMP/random.out")
	skipped=$((skipped + n))
	n=$(grep -c '^FAIL ' "$TMP/random.out")
	failed=$((failed + n))
	st=$(cat "$TMP/random.status")
	if [ "$st" -ne 0 ] && [ "$n" -eq 0 ]; then
		fail "xform_random.py" "the harness itself failed, $(why "$st")"
		show "$TMP/random.err"
	fi
}

# Random programs (tests/stress/run.py): 200 kernels of a fixed seed, so
# that a run is reproducible; `make stress` runs more with a random seed.
run_stress() {
	{
		TMPDIR=$TMP "$PYTHON" tests/stress/run.py --dfc "$DFC" --seed 1 --count 200 \
			2>"$TMP/stress.err"
		echo $? >"$TMP/stress.status"
	} | grep -v '^stress: seed' | tee "$TMP/stress.out"
	n=$(grep -c '^PASS ' "$TMP/stress.out")
	passed=$((passed + n))
	n=$(grep -c '^SKIP ' "$TMP/stress.out")
	skipped=$((skipped + n))
	n=$(grep -c '^FAIL ' "$TMP/stress.out")
	failed=$((failed + n))
	st=$(cat "$TMP/stress.status")
	if [ "$st" -ne 0 ] && [ "$n" -eq 0 ]; then
		fail "stress/run.py" "the harness itself failed, $(why "$st")"
		show "$TMP/stress.err"
	fi
}

run_units
run_golden
run_errors
run_xform
run_wrap
run_diff
# (The same files once more at -O0 are a part of their own in
# tests/check.sh, `unopt`, which `make test-all` runs after this suite.)
# And with every map that may stream its results doing so at any size
# (runtime/dfcrt.h, DFCRT_NT_MIN_BYTES): the streamed loops are otherwise
# taken only by results of 32 MiB and more (the race part of tests/check.sh
# streams every file's maps too).
DFC_DIFF_CFLAGS=-DDFCRT_NT_MIN_BYTES=0 run_diff samples/*.py tests/diff/streamed_stores.py \
	tests/diff/streamed_partial.py
# And with each of the two ways a gemm of impl blas may run (runtime/
# dfcrt.h, dfcrt_gemm_choose): OpenBLAS, and the tiled loops of
# codegen/openmp/gemm.c; the run above takes the one the machine picks
# (the tiled loops on this project's machines, so the second line here
# covers the files that exercise them for machines where it is OpenBLAS).
DFC_DIFF_CFLAGS=-DDFCRT_GEMM=0 run_diff tests/diff/matmul*.py tests/diff/gemm_tiled.py \
	tests/diff/rank_update*.py
DFC_DIFF_CFLAGS=-DDFCRT_GEMM=1 run_diff tests/diff/matmul_large.py tests/diff/gemm_tiled.py
run_xform_random
run_stress
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
