#!/bin/sh
# Man page test: doc/tlsdiag.1 formats without a single warning (groff -ww,
# and mandoc -T lint where installed), names the version tlsdiag reports and
# documents every option of "tlsdiag --help".  Exits 77 (skipped) when
# neither groff nor mandoc is installed.
#
# usage: check_man.sh TLSDIAG MANPAGE
set -u
tlsdiag=$1
page=$2
tmp=${TMPDIR:-/tmp}/man.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C

status=0
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$page" 2> "$tmp/warn"
	groff -man -Tascii -P-cbou "$page" > "$tmp/text" 2>> "$tmp/warn"
elif command -v mandoc >/dev/null 2>&1; then
	mandoc -T ascii "$page" | col -b > "$tmp/text"
	: > "$tmp/warn"
else
	echo "neither groff nor mandoc is installed: skipped"
	exit 77
fi
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$page" >> "$tmp/warn" 2>&1
fi
if [ -s "$tmp/warn" ]; then
	echo "warnings formatting $page:"
	cat "$tmp/warn"
	status=1
fi

version=$("$tlsdiag" --version | sed 's/^tlsdiag //')
grep -q "^\.TH TLSDIAG 1 .*\"tlsdiag $version\"" "$page" ||
	{ echo "$page: .TH does not name version $version"; status=1; }

for opt in $("$tlsdiag" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	grep -q -- "$opt" "$tmp/text" || { echo "$page: option $opt is not documented"; status=1; }
done
for cmd in "signatures list" "signatures check" "signatures show" "signatures coverage" explain \
	events timeline; do
	grep -q "tlsdiag $cmd" "$tmp/text" || { echo "$page: no synopsis of '$cmd'"; status=1; }
done
[ $status = 0 ] && echo "ok: $page"
exit $status
