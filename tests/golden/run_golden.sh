#!/bin/sh
# Golden CLI test: runs tlsdiag with the arguments of CASE.args (one per line)
# from the tests/golden folder, standard input from CASE.stdin and the
# environment variables of CASE.env (NAME=value lines) if present, and
# compares stdout, stderr and the exit status with CASE.out, CASE.err and
# CASE.exit.  UPDATE_GOLDEN=1 rewrites the expectations instead.
#
# usage: run_golden.sh TLSDIAG GOLDEN_DIR CASE
set -u
tlsdiag=$1
dir=$2
case=$3
cd "$dir" || exit 1
[ -f "$case.args" ] || { echo "no $case.args"; exit 1; }

tmp=${TMPDIR:-/tmp}/golden.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"' EXIT

# Arguments one per line, so paths with spaces need no quoting.
set --
while IFS= read -r arg || [ -n "$arg" ]; do
	set -- "$@" "$arg"
done < "$case.args"

stdin=/dev/null
[ -f "$case.stdin" ] && stdin=$case.stdin
(
	unset TLSDIAG_PROGRESS
	if [ -f "$case.env" ]; then set -a; . "./$case.env"; set +a; fi
	NO_COLOR=1 TZ=UTC LC_ALL=C exec "$tlsdiag" "$@"
) < "$stdin" > "$tmp/out" 2> "$tmp/err"
echo $? > "$tmp/exit"

if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$tmp/out" "$case.out"
	cp "$tmp/exit" "$case.exit"
	if [ -s "$tmp/err" ]; then cp "$tmp/err" "$case.err"; else rm -f "$case.err"; fi
	echo "updated $case"
	exit 0
fi

status=0
diff -u "$case.out" "$tmp/out" || status=1
diff -u "$case.exit" "$tmp/exit" || status=1
if [ -f "$case.err" ]; then
	diff -u "$case.err" "$tmp/err" || status=1
elif [ -s "$tmp/err" ]; then
	echo "unexpected stderr:"; cat "$tmp/err"; status=1
fi
exit $status
