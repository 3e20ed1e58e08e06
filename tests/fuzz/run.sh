#!/bin/sh
# tests/fuzz/run.sh SECONDS TARGET... -- runs each libFuzzer harness of
# build/fuzz/ for SECONDS, from the repository root.
# tests/fuzz/run.sh --ci TARGET... -- what CI runs (`make test-all`): each
# harness for a fixed number of inputs (about 60 s each on the 2-core
# reference machine, table below) from the fixed seed $FUZZ_SEED (default 1),
# starting from the repository's seeds alone, so that a run at a given
# commit tries the same inputs every time; $FUZZ_CAP seconds (default 120)
# bound a harness on a slow or loaded machine (a run cut short passes).
#
# Seeds come from the repository (kernel files, YAML dumps of the samples
# made with build/dfc, recipes, and one recipe per site of the kernel the
# recipe harness transforms, tests/fuzz/recipe_kernel.py); what a run discovers accumulates in
# build/fuzz/corpus/TARGET (not with --ci), so later runs start where
# earlier ones stopped.
# A crash, a leak, a sanitizer report or a hang (10 s per input, 30 s with
# --ci) stops that harness: the input is saved as
# build/fuzz/artifacts/TARGET-crash-... and the run fails. Prints one line
# per harness; exit status 1 if any failed.
ci=0
if [ "${1:-}" = --ci ]; then
	ci=1
	secs=${FUZZ_CAP:-120}
else
	secs=${1:-60}
fi
shift
B=build/fuzz
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT INT TERM
mkdir -p "$B/artifacts" "$seeds/py" "$seeds/yaml" "$seeds/recipe" "$seeds/prof"
cp samples/*.py tests/diff/*.py tests/errors/*.py tests/golden/*.py tests/xform/*.py "$seeds/py/" 2>/dev/null
for f in samples/*.py; do
	build/dfc dump "$f" --format yaml > "$seeds/yaml/$(basename "$f" .py).yaml" 2>/dev/null
done
cp tests/errors/*.yaml "$seeds/yaml/" 2>/dev/null
cp tests/xform/*.recipe.yaml "$seeds/recipe/" 2>/dev/null
# Traces for `dfc prof`: the shapes an instrumented kernel writes.
printf '%s\n' '{"traceEvents": [' \
	'{"name": "k", "cat": "kernel", "ph": "X", "ts": 0.0, "dur": 12.5, "pid": 1, "tid": 1, "args": {"file": "k.py", "line": 4}},' \
	'{"name": "state_L6", "cat": "state", "ph": "X", "ts": 1.0, "dur": 10.0, "pid": 1, "tid": 1, "args": {"file": "k.py", "line": 6}},' \
	'{"name": "map_L6", "cat": "map", "ph": "X", "ts": 1.5, "dur": 9.0, "pid": 1, "tid": 1, "args": {"file": "k.py", "line": 6}}' \
	']}' >"$seeds/prof/trace.json"
printf '%s\n' '[{"name": "k", "cat": "kernel", "ph": "X", "ts": 3, "dur": 1, "pid": 2, "tid": 2}]' \
	>"$seeds/prof/bare.json"
# One recipe per site of the kernel the recipe harness transforms.
build/dfc match tests/fuzz/recipe_kernel.py 2>/dev/null | awk -v d="$seeds/recipe" '{
	f = sprintf("%s/site%03d.yaml", d, NR)
	print "- apply: " $1 >f
	at = $2
	if (gsub(/,/, ", ", at))
		at = "[" at "]"
	print "  at: " at >f
	if (NF > 2) {
		p = substr($0, index($0, "{") + 1)
		sub(/}$/, "", p)
		n = split(p, kv, ", ")
		for (i = 1; i <= n; i++)
			print "  " kv[i] >f
	}
	close(f)
}'

# ci_runs TARGET: inputs per harness in a --ci run, about 60 s of CPU time
# each on the reference machine (parse ~5700 inputs/s, yaml ~4800/s, recipe
# ~1250/s, prof ~20000/s; frontend first spends ~10 s on the ~340 kernel files it is
# seeded with, then ~150/s); other harnesses get a default.
ci_runs() {
	case $1 in
	parse) echo 300000 ;;
	frontend) echo 8000 ;;
	yaml) echo 250000 ;;
	recipe) echo 75000 ;;
	prof) echo 1200000 ;;
	*) echo 100000 ;;
	esac
}

failed=0
for t in "$@"; do
	case $t in
	parse|frontend) s=$seeds/py ;;
	yaml) s=$seeds/yaml ;;
	recipe) s=$seeds/recipe ;;
	prof) s=$seeds/prof ;;
	*) echo "FAIL fuzz/$t: unknown harness"; failed=1; continue ;;
	esac
	log=$B/artifacts/$t.log
	if [ $ci = 1 ]; then
		corpus=$seeds/new-$t
		opts="-seed=${FUZZ_SEED:-1} -runs=$(ci_runs "$t") -reload=0 -timeout=30"
		what=", seed ${FUZZ_SEED:-1}"
	else
		corpus=$B/corpus/$t
		opts=-timeout=10
		what=
	fi
	mkdir -p "$corpus"
	start=$(date +%s)
	# shellcheck disable=SC2086 # $opts is meant to split
	if "$B/$t" $opts -max_total_time="$secs" -rss_limit_mb=4096 -max_len=65536 \
		-artifact_prefix="$B/artifacts/$t-" -print_final_stats=1 \
		"$corpus" "$s" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "PASS fuzz/$t (${runs:-?} inputs in $(($(date +%s) - start)) s$what)"
	else
		echo "FAIL fuzz/$t: see $log"
		grep -E "ERROR|SUMMARY|internal compiler error|Test unit written" "$log" | head -5
		failed=1
	fi
done
exit $failed
