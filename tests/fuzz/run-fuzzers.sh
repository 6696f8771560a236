#!/bin/sh
# Runs libFuzzer targets for a bounded time each and prints a summary
# (used by "make fuzz").  Usage: run-fuzzers.sh BUILD_DIR OUT_DIR SECONDS NAME...
# Each target fuzzes a scratch corpus in OUT_DIR/corpus/NAME, seeded from
# tests/fuzz/corpus/NAME (the repository is never written); crashes, leaks,
# timeouts and out-of-memory inputs go to OUT_DIR/crashes/NAME/, the log to
# OUT_DIR/logs/NAME.log.  Exits 1 when any target left such an input.
set -u
build=$1 out=$2 seconds=$3
shift 3
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/corpus" "$out/crashes" "$out/logs"
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS ASAN_OPTIONS

# Largest input per target: a few records, windows and chunks.
max_len() {
	case $1 in
	evtx) echo 139264 ;;   # header + two 64 KiB chunks
	archive) echo 65536 ;;
	sigdb) echo 16384 ;;
	*) echo 32768 ;;
	esac
}

failed=0
summary=""
for name in "$@"; do
	bin=$build/tests/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "$bin: not built" >&2
		failed=1
		continue
	fi
	corpus=$out/corpus/$name crashes=$out/crashes/$name log=$out/logs/$name.log
	mkdir -p "$corpus" "$crashes"
	cp -p "$src/corpus/$name"/* "$corpus"/ 2>/dev/null
	echo "fuzz_$name: $seconds s" >&2
	"$bin" -max_total_time="$seconds" -max_len="$(max_len "$name")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 \2/p' "$log" | tail -n 1)
	found=$(find "$crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o \
		-name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	[ "$rc" -ne 0 ] && [ "$found" -eq 0 ] && found="exit $rc"
	[ "$found" != 0 ] && failed=1
	summary="$summary$(printf '%-10s %10s runs %8s/s  cov %-6s ft %-7s  crashes %s' "$name" \
		"${runs:-?}" "${speed:-?}" "${cov% *}" "${cov#* }" "$found")
"
done
echo
printf 'target           runs     execs/s  coverage        artefacts (%s)\n' "$out/crashes"
printf '%s' "$summary"
exit $failed
