#!/bin/sh
# Parse + match throughput of tlsdiag on a generated mixed text bundle,
# against grep with the same patterns.  Prints one line per measurement.
#
# Then a zipped bundle of event logs and text logs (GEN_ZIP; TD_BENCH_ZIP_MB
# uncompressed, default 1024) read in memory, end to end: MB/s of
# uncompressed data and peak memory, next to unzip -tq (inflate alone) and
# tlsdiag on the same files extracted.
#
# Then the EVTX reader on the files of ../shared/corpus/evtx-bench: records/s
# and MB/s on one thread and one thread per core, libevtx's evtxexport on
# the same file, and a whole tlsdiag run on it (peak memory).
#
# usage: run_bench.sh TLSDIAG GEN_BUNDLE MEASURE DATA_DIR [EVTX_BENCH EVTX_DIR [GEN_ZIP]]
# TD_BENCH_MB sets the bundle size (default 500).
set -eu
tlsdiag=$1
gen=$2
measure=$3
data=$4
evtx_bench=${5:-}
evtx_dir=${6:-}
gen_zip=${7:-}
mb=${TD_BENCH_MB:-500}
zip_mb=${TD_BENCH_ZIP_MB:-1024}

if [ ! -f "$data/.size" ] || [ "$(cat "$data/.size")" != "$mb" ]; then
	echo "generating a $mb MB bundle in $data ..."
	rm -rf "$data"
	mkdir -p "$data/bundle"
	"$gen" "$data/bundle" "$mb"
	echo "$mb" > "$data/.size"
fi
"$tlsdiag" signatures literals | sed 's/[][\.*^$+?(){}|/]/\\&/g' | sort -u > "$data/literals.ere"
"$tlsdiag" signatures patterns | sort -u > "$data/patterns.pcre"

# best of 3 wall-clock runs; prints "seconds rss_kib cpu_seconds"
best() {
	b=""
	for i in 1 2 3; do
		# Not /dev/null: GNU grep stops at the first match when it sees it.
		r=$("$measure" "$@" 2>&1 >"$data/out" | tail -n 1)
		set -- "$@"
		t=$(echo "$r" | cut -d' ' -f1)
		rss=$(echo "$r" | cut -d' ' -f2)
		cpu=$(echo "$r" | cut -d' ' -f4)
		if [ -z "$b" ] || awk -v a="$t" -v b="${b%% *}" 'BEGIN { exit !(a < b) }'; then
			b="$t $rss $cpu"
		fi
	done
	echo "$b"
}

# MB/s of wall time, and per CPU second (one core's throughput).
report() {
	name=$1
	bytes=$2
	shift 2
	r=$(best "$@")
	echo "$r" | awk -v n="$name" -v b="$bytes" '{
		t = $1; r = $2; c = $3
		printf "%-36s %7.1f MB %7.3f s %8.1f MB/s  %8.1f MB/CPU-s  peak RSS %7d KiB\n",
			n, b / 1048576, t, b / 1048576 / (t > 0 ? t : 0.001),
			b / 1048576 / (c > 0 ? c : 0.001), r }'
}

size() { stat -c %s "$@" | awk '{s += $1} END {print s}'; }

echo "tlsdiag $("$tlsdiag" --version | cut -d' ' -f2), $(nproc) cores, $(uname -m); best of 3 runs"
b="$data/bundle"
report "tlsdiag: whole bundle" "$(size "$b"/*)" "$tlsdiag" --format json "$b"
for f in CcmMessaging.log ERRORLOG smsprov.log SoftwareDistribution.log; do
	report "tlsdiag: $f" "$(size "$b/$f")" "$tlsdiag" --format json "$b/$f"
done
report "grep -E -c -i -f literals: bundle" "$(size "$b"/*)" grep -E -c -i -f "$data/literals.ere" -r "$b"
# One alternation of every pattern: grep -P refuses a capture name used twice,
# so named groups become plain ones (lookbehinds keep their "(?<=" / "(?<!").
# A pattern grep cannot compile would time an error message: say so instead.
all=$(paste -sd'|' "$data/patterns.pcre" |
	sed 's/(?i)//g; s/(?<[A-Za-z_][A-Za-z0-9_]*>/(?:/g; s/^/(?i)/')
rc=0
echo x | grep -P -q "$all" 2>/dev/null || rc=$?
if [ "$rc" -le 1 ]; then
	report "grep -P -c (patterns): CMTrace" "$(size "$b/CcmMessaging.log")" \
		grep -P -c "$all" "$b/CcmMessaging.log"
else
	echo "grep -P -c (patterns): skipped, grep -P rejects the joined patterns"
fi

# --- zipped bundle ------------------------------------------------------------
if [ -n "$gen_zip" ]; then
	z="$data/bundle.zip"
	if [ ! -f "$data/.zipsize" ] || [ "$(cat "$data/.zipsize")" != "$zip_mb" ]; then
		echo "generating a $zip_mb MB zipped bundle in $z ..."
		rm -rf "$z" "$data/unzipped"
		"$gen_zip" "$z" "$zip_mb"
		echo "$zip_mb" > "$data/.zipsize"
	fi
	# Uncompressed bytes, from the zip's own listing (the last line of unzip -l).
	if command -v unzip >/dev/null 2>&1; then
		raw=$(unzip -l "$z" | tail -n 1 | awk '{print $1}')
	else
		raw=$((zip_mb * 1048576))
	fi
	echo "--- zipped bundle: $(size "$z" | awk '{printf "%.1f", $1 / 1048576}') MB zip," \
		"$(echo "$raw" | awk '{printf "%.1f", $1 / 1048576}') MB of logs; MB/s of uncompressed data"
	report "tlsdiag: zip, in memory" "$raw" "$tlsdiag" --format json "$z"
	if command -v unzip >/dev/null 2>&1; then
		report "unzip -tq (inflate and CRC alone)" "$raw" unzip -tq "$z"
		[ -d "$data/unzipped" ] || unzip -q "$z" -d "$data/unzipped"
		report "tlsdiag: the same files extracted" "$raw" "$tlsdiag" --format json "$data/unzipped"
	fi
else
	echo "zipped bundle: no generator (configure with tests enabled); skipped"
fi

# --- EVTX --------------------------------------------------------------------
if [ -z "$evtx_bench" ] || [ ! -d "$evtx_dir" ]; then
	echo "EVTX: no corpus/evtx-bench folder; skipped"
	exit 0
fi
mkdir -p "$data/evtx"
for gz in "$evtx_dir"/*.evtx.gz; do
	f="$data/evtx/$(basename "$gz" .gz)"
	[ -f "$f" ] || gunzip -c "$gz" > "$f"
	echo "--- $(basename "$f")"
	"$evtx_bench" "$f"
	report "tlsdiag: diagnosis of the file" "$(size "$f")" "$tlsdiag" --format json "$f"
	if command -v evtxexport >/dev/null 2>&1; then
		report "evtxexport (libevtx), text" "$(size "$f")" evtxexport "$f"
	else
		echo "evtxexport not installed (libevtx-utils); comparison skipped"
	fi
done
