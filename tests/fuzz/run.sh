#!/bin/sh
# tests/fuzz/run.sh SECONDS TARGET... -- runs each libFuzzer harness of
# build/fuzz/ for SECONDS, from the repository root.
#
# Seeds come from the repository (kernel files, YAML dumps of the samples
# made with build/dfc, recipes); what a run discovers accumulates in
# build/fuzz/corpus/TARGET, so later runs start where earlier ones stopped.
# A crash, a leak, a sanitizer report or a hang (10 s per input) stops that
# harness: the input is saved as build/fuzz/artifacts/TARGET-crash-... and
# the run fails. Prints one line per harness; exit status 1 if any failed.
secs=${1:-60}
shift
B=build/fuzz
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT INT TERM
mkdir -p "$B/artifacts" "$seeds/py" "$seeds/yaml" "$seeds/recipe"
cp samples/*.py tests/diff/*.py tests/errors/*.py tests/golden/*.py tests/xform/*.py "$seeds/py/" 2>/dev/null
for f in samples/*.py; do
	build/dfc dump "$f" --format yaml > "$seeds/yaml/$(basename "$f" .py).yaml" 2>/dev/null
done
cp tests/errors/*.yaml "$seeds/yaml/" 2>/dev/null
cp tests/xform/*.recipe.yaml "$seeds/recipe/" 2>/dev/null
failed=0
for t in "$@"; do
	case $t in
	parse|frontend) s=$seeds/py ;;
	yaml) s=$seeds/yaml ;;
	recipe) s=$seeds/recipe ;;
	*) echo "FAIL fuzz/$t: unknown harness"; failed=1; continue ;;
	esac
	mkdir -p "$B/corpus/$t"
	log=$B/artifacts/$t.log
	if "$B/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
		-artifact_prefix="$B/artifacts/$t-" -print_final_stats=1 \
		"$B/corpus/$t" "$s" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "PASS fuzz/$t (${secs} s, ${runs:-?} inputs)"
	else
		echo "FAIL fuzz/$t: see $log"
		grep -E "ERROR|SUMMARY|internal compiler error|Test unit written" "$log" | head -5
		failed=1
	fi
done
exit $failed
