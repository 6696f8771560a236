#!/bin/sh
# Bash completion test: sources doc/tlsdiag.bash-completion in a bash without
# the bash-completion package, sets COMP_WORDS/COMP_CWORD as bash would for a
# command line and checks what _tlsdiag offers.  Exits 77 (skipped) when
# bash is not installed.
#
# usage: check_completion.sh TLSDIAG COMPLETION_FILE SIGNATURES_DIR (absolute paths)
if [ -z "${BASH_VERSION:-}" ]; then
	command -v bash >/dev/null 2>&1 || { echo "bash is not installed: skipped"; exit 77; }
	exec bash "$0" "$@"
fi
set -u
export LC_ALL=C
tlsdiag=$1
unset TLSDIAG_SIGNATURES
# shellcheck source=/dev/null
. "$2" || exit 1
sigdir=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bundle" "$tmp/bundle/Logs" "$tmp/db"
: > "$tmp/bundle/ERRORLOG"
: > "$tmp/bundle/app.log"
cd "$tmp" || exit 1 # no file here starts like a command

status=0
# Runs _tlsdiag on a command line given as words, the last one being the
# word completed; the completions end up in COMPREPLY.
complete_line()
{
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_tlsdiag
}
# expect "WANTED (sorted, space-separated)" WORD...
expect()
{
	local want=$1 got
	shift
	complete_line "$@"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	got=${got% }
	if [[ $got != "$want" ]]; then
		echo "FAIL: '$*': got '$got', want '$want'"
		status=1
	fi
}
# expect_has WANTED WORD...: WANTED is among the completions
expect_has()
{
	local want=$1
	shift
	complete_line "$@"
	if ! printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$want"; then
		echo "FAIL: '$*': '$want' not among ${#COMPREPLY[@]} completions"
		status=1
	fi
}

t=$tlsdiag
expect "signatures" "$t" sig
expect "--format" "$t" --fo
expect "--fail-on" "$t" --fa
expect "--quiet" "$t" --q
expect "--max-member-bytes --max-members" "$t" --max-mem
expect "" "$t" --max-depth ''
expect "html json ndjson text" "$t" --format ''
expect "ndjson" "$t" --format = nd
expect "html json ndjson text" "$t" -f ''
expect "ndjson text xml" "$t" events --format ''
expect "json ndjson text" "$t" timeline --format ''
expect "xml" "$t" events --format x
expect "json markdown text" "$t" signatures list --format ''
expect "error" "$t" --fail-on e
expect "error info never warning" "$t" --fail-on = ''
expect "never" "$t" -q --fail-on never --fail-on = n
expect "always auto never" "$t" --color ''
expect "always" "$t" --colour al
expect "" "$t" --max-evidence ''
expect "check coverage list show" "$t" signatures ''
expect "show" "$t" --signatures "$sigdir" signatures s
expect "cm-srsrp-receive-closed" "$t" --signatures "$sigdir" signatures show cm-srsrp-rec
expect "G20" "$t" --signatures = "$sigdir" explain G20
expect "G20" "$t" "--signatures=$sigdir" explain G20
expect_has "mars-10054-forcibly-closed" "$t" --signatures "$sigdir" explain mars
expect "" "$t" --signatures "$sigdir" explain G20 ''
expect "--help --host" "$t" timeline --h
expect "$tmp/bundle/ERRORLOG $tmp/bundle/Logs $tmp/bundle/app.log" "$t" -q "$tmp/bundle/"
expect "$tmp/bundle/app.log" "$t" --format json "$tmp/bundle/a"
expect "$tmp/bundle/app.log" "$t" events "$tmp/bundle/a"
expect "$tmp/db" "$t" --signatures "$tmp/d"
expect "$tmp/bundle/Logs" "$t" --signatures "$tmp/bundle/"
# The database comes from --signatures: an empty folder lists no ids.
expect "" "$t" --signatures "$tmp/db" explain G2
# A path first: the words after it are paths, not commands.
expect "$tmp/bundle/ERRORLOG" "$t" "$tmp/bundle" "$tmp/bundle/E"

[ $status = 0 ] && echo "ok: completions"
exit $status
