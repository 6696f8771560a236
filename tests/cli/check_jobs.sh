#!/bin/sh
# The report does not depend on the number of threads that parse inputs:
# tlsdiag with --jobs 1 and with several workers gives byte-identical JSON
# reports, HTML pages and timelines on the golden inputs, the sample bundle,
# zipped bundles and, when present, the shared corpus (many inputs of every
# format, so that jobs finish out of order).
# usage: check_jobs.sh TLSDIAG SOURCE_DIR
set -u
tlsdiag=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
compare() {
	name=$1
	shift
	"$tlsdiag" --jobs 1 "$@" >"$tmp/one" 2>"$tmp/one.err"
	rc1=$?
	for n in 2 3 7; do
		"$tlsdiag" --jobs $n "$@" >"$tmp/many" 2>"$tmp/many.err"
		rcn=$?
		if [ $rc1 -ne $rcn ] || ! cmp -s "$tmp/one" "$tmp/many" ||
			! cmp -s "$tmp/one.err" "$tmp/many.err"; then
			echo "FAIL: $name: --jobs 1 and --jobs $n differ (exit $rc1 / $rcn)"
			diff "$tmp/one" "$tmp/many" | head -20
			diff "$tmp/one.err" "$tmp/many.err" | head -10
			fail=1
		fi
	done
	echo "ok: $name ($(wc -c <"$tmp/one") bytes)"
}
inputs="$src/tests/golden/inputs"
compare "golden inputs, json" --quiet --format json "$inputs"
compare "samples, json" --quiet --format json "$src/samples"
compare "samples, html" --quiet --format html "$src/samples"
compare "samples, timeline" --quiet timeline --format json "$src/samples"
compare "bundles, text" --quiet --verbose "$inputs/bundles"
if [ -d "$src/../shared/corpus" ]; then
	compare "corpus, json" --quiet --format json "$src/../shared/corpus" "$src/samples"
	compare "corpus, timeline" --quiet timeline --format ndjson "$src/../shared/corpus"
else
	echo "note: ../shared/corpus not found; corpus comparison skipped"
fi
exit $fail
