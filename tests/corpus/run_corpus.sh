#!/bin/sh
# Real-corpus test: every public log under ../shared/corpus/text is parsed
# without crashing, without a parse error, and without any TLS finding (the
# files contain none).  Exits 77 (skipped) when the corpus is absent.
#
# usage: run_corpus.sh TLSDIAG CORPUS_DIR
set -u
tlsdiag=$1
corpus=$2
if [ ! -d "$corpus/text" ]; then
	echo "corpus not found at $corpus: skipped"
	exit 77
fi
out=${TMPDIR:-/tmp}/corpus.$$.ndjson
trap 'rm -f "$out"' EXIT
NO_COLOR=1 TZ=UTC "$tlsdiag" --format ndjson "$corpus/text" > "$out"
rc=$?
if [ $rc -ne 0 ]; then
	echo "tlsdiag exited $rc on the corpus (0 expected: no TLS finding, no unreadable file)"
	grep '"type":"finding"' "$out" | cut -c1-300
	exit 1
fi
if grep -q '"level":"error"' "$out"; then
	echo "parse errors reported on real files:"
	grep '"level":"error"' "$out" | cut -c1-300
	exit 1
fi
inputs=$(grep -c '"type":"input"' "$out")
files=$(find "$corpus/text" -type f | wc -l)
if [ "$inputs" -ne "$files" ]; then
	echo "read $inputs inputs, the corpus has $files files"
	exit 1
fi
grep '"type":"summary"' "$out"
exit 0
