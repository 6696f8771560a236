#!/bin/sh
# Browser test of the HTML report: tlsdiag writes the report of
# samples/bundle and of a hostile input, headless Chromium loads them from
# file:// and this checks that (1) the page loads, (2) its script ran without
# an error or a blocked load (data-ok set, no data-errors on <html>), (3) the
# findings are in the page, (4) a 1280x2000 screenshot is a real picture
# (pngcheck), and that nothing from the hostile log became markup.
#
# Chromium never touches the network: the page's policy forbids every load,
# the flags below turn off background services, resolve no host name and
# send any connection to a closed port on loopback, and where the machine
# allows it (root, or user namespaces) Chromium runs in a network namespace
# of its own with no interface up, so not even its IPv6 reachability probe
# (a UDP connect to a public address) has a route.
#
# usage: run_browser.sh TLSDIAG PNGCHECK SOURCE_DIR
# Exit 77 (skipped) when no Chromium is installed; $CHROMIUM names one
# (CHROMIUM=none skips the test).
set -u
tlsdiag=$1
pngcheck=$2
src=$3

browser=${CHROMIUM:-}
if [ -n "$browser" ] && ! command -v "$browser" >/dev/null 2>&1; then
	echo "skipped: CHROMIUM=$browser is not a program"
	exit 77
fi
if [ -z "$browser" ]; then
	# Debian's /usr/bin/chromium is a launcher script that adds flags from
	# /etc/chromium.d (remote extensions among them): use the binary.
	for c in /usr/lib/chromium/chromium chromium chromium-browser; do
		if command -v "$c" >/dev/null 2>&1; then
			browser=$(command -v "$c")
			break
		fi
	done
fi
if [ -z "$browser" ]; then
	echo "skipped: no chromium (apt-get install chromium)"
	exit 77
fi

offline=
if unshare -n true 2>/dev/null; then
	offline="unshare -n"
elif unshare -rn true 2>/dev/null; then
	offline="unshare -rn"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/td-browser.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

# A run of the browser on page $1 with its own profile, time limit and the
# offline flags; the rest of the arguments are the browser's.
browse() {
	page=$1
	shift
	mkdir -p "$tmp/home"
	# $offline is empty or a command with its option: split on purpose.
	# shellcheck disable=SC2086
	HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home XDG_CACHE_HOME=$tmp/home \
	timeout -k 5 60 $offline "$browser" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
		--disable-dev-shm-usage --no-first-run --no-default-browser-check \
		--disable-background-networking --disable-component-update \
		--disable-default-apps --disable-domain-reliability --disable-extensions \
		--disable-sync --disable-client-side-phishing-detection --no-pings \
		--metrics-recording-only --disable-breakpad --mute-audio --hide-scrollbars \
		--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication \
		--host-resolver-rules='MAP * ~NOTFOUND' --proxy-server='127.0.0.1:9' \
		"$@" "file://$tmp/$page" 2>"$tmp/browser.log"
}

# The DOM of page $1 after its script ran, in $tmp/$1.dom.
dump() {
	if ! browse "$1" --dump-dom > "$tmp/$1.dom"; then
		fail "$1: chromium failed"
		tail -5 "$tmp/browser.log"
		return 1
	fi
	grep -q '</html>' "$tmp/$1.dom" || { fail "$1: no page loaded"; return 1; }
	grep -q '<html[^>]* data-ok="1"' "$tmp/$1.dom" || fail "$1: the page's script did not run"
	if grep -q 'data-errors=' "$tmp/$1.dom"; then
		fail "$1: script errors or blocked loads:"
		grep -o 'data-errors="[^"]*"' "$tmp/$1.dom"
	fi
	return 0
}

start=$(date +%s)

"$tlsdiag" --signatures "$src/signatures" --format html "$src/samples/bundle" \
	> "$tmp/report.html"
rc=$?
[ $rc -eq 1 ] || fail "tlsdiag exited $rc on samples/bundle (1 expected: findings)"
if dump report.html; then
	for id in G08 G20 A01 A04 C01 A16 D08 sql_server.certificate 'ConfigMgr cannot open a TLS connection' \
		'Fix plan' 'Timeline of failures' '<svg'; do
		grep -q "$id" "$tmp/report.html.dom" || fail "report.html: '$id' missing"
	done
	n=$(grep -c '<section class="finding sev-' "$tmp/report.html.dom")
	[ "$n" -eq 8 ] || fail "report.html: $n findings in the page, 8 expected"
	grep -q 'class="finding[^"]*collapsed' "$tmp/report.html.dom" &&
		fail "report.html: findings collapsed on load"
fi

# The checker itself must see a blank picture as blank (tests/browser/blank.png:
# 1280x2000, all white).
if "$pngcheck" "$src/tests/browser/blank.png" 1280 2000 >/dev/null; then
	fail "pngcheck takes a blank picture for a page"
fi
if browse report.html --screenshot="$tmp/shot.png" --window-size=1280,2000 >/dev/null; then
	"$pngcheck" "$tmp/shot.png" 1280 2000 || fail "screenshot is not a picture of the page"
else
	fail "chromium could not take a screenshot"
	tail -5 "$tmp/browser.log"
fi

# Markup and script in a log stay text: no element, attribute or load.
"$tlsdiag" --signatures "$src/signatures" --format html "$src/tests/golden/inputs/hostile" \
	> "$tmp/hostile.html"
if dump hostile.html; then
	grep -q 'data-pwned' "$tmp/hostile.html.dom" || fail "hostile.html: the log line is missing"
	grep -q '<html[^>]*data-pwned' "$tmp/hostile.html.dom" &&
		fail "hostile.html: script from the log ran"
	grep -q '<img' "$tmp/hostile.html.dom" && fail "hostile.html: markup from the log"
fi

echo "browser test: $(($(date +%s) - start)) s with $("$browser" --version 2>/dev/null)" \
	"${offline:+(in a network namespace: $offline)}"
[ $status -eq 0 ] && echo "browser test passed"
exit $status
