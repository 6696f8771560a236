#!/bin/sh
# The README's signature coverage table is the output of
# "tlsdiag signatures coverage --format markdown" between the markers
# <!-- coverage:begin --> and <!-- coverage:end -->.  Fails with a diff when
# it is out of date; with --update rewrites the README's table instead.
#
# usage: check_coverage.sh TLSDIAG SIGNATURES_DIR README [--update]
set -u
tlsdiag=$1 sigdir=$2 readme=$3 update=${4:-}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$tlsdiag" --signatures "$sigdir" signatures coverage --format markdown > "$tmp/table" || exit 1
grep -q '^<!-- coverage:begin -->$' "$readme" && grep -q '^<!-- coverage:end -->$' "$readme" ||
	{ echo "$readme: no coverage markers"; exit 1; }
sed -n '/^<!-- coverage:begin -->$/,/^<!-- coverage:end -->$/p' "$readme" |
	sed '1d;$d' > "$tmp/current"
if [ "$update" = --update ]; then
	{
		sed '/^<!-- coverage:begin -->$/,$d' "$readme"
		echo '<!-- coverage:begin -->'
		cat "$tmp/table"
		echo '<!-- coverage:end -->'
		sed '1,/^<!-- coverage:end -->$/d' "$readme"
	} > "$tmp/readme" && cat "$tmp/readme" > "$readme"
	exit
fi
if ! diff -u "$tmp/current" "$tmp/table"; then
	echo "$readme: the coverage table is out of date; regenerate it with"
	echo "  sh tests/cli/check_coverage.sh build/tlsdiag signatures README.md --update"
	exit 1
fi
echo "ok: $readme coverage table"
