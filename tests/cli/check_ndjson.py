#!/usr/bin/env python3
"""NDJSON stream test: every line tlsdiag writes with --format ndjson (and
"events --format ndjson") is one complete JSON object, valid UTF-8, with no
duplicate keys and no NaN; every finding line carries what a log shipper
needs on its own (id, kb, severity, title, evidence, remedies).

usage: check_ndjson.py TLSDIAG SOURCE_DIR
"""
import glob
import json
import subprocess
import sys

SEVERITIES = {"error", "warning", "info"}
TYPES = {"input", "finding", "fix_plan", "facts", "machine", "summary", "unchecked"}


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in %r" % keys)
    return dict(pairs)


def reject_constant(name):
    raise ValueError("not JSON: %s" % name)


def parse_lines(out, what):
    if out and not out.endswith(b"\n"):
        raise AssertionError("%s: output does not end with a newline" % what)
    objs = []
    for n, raw in enumerate(out.split(b"\n")[:-1], 1):
        try:
            obj = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates,
                             parse_constant=reject_constant)
        except ValueError as e:
            raise AssertionError("%s: line %d is not one JSON value: %s\n%.300r"
                                 % (what, n, e, raw))
        if not isinstance(obj, dict):
            raise AssertionError("%s: line %d is not an object" % (what, n))
        objs.append(obj)
    return objs


def check_finding(f, where):
    need = {"id": str, "title": str, "severity": str, "evidence": list, "remedies": list,
            "references": list, "count": int}
    for key, typ in need.items():
        if not isinstance(f.get(key), typ):
            raise AssertionError("%s: finding without %s: %.300r" % (where, key, f))
    if "kb" not in f or not (f["kb"] is None or isinstance(f["kb"], str)):
        raise AssertionError("%s: finding %s: kb must be a string or null" % (where, f["id"]))
    if f["severity"] not in SEVERITIES:
        raise AssertionError("%s: finding %s: severity %r" % (where, f["id"], f["severity"]))
    for e in f["evidence"]:
        if not isinstance(e, dict) or not isinstance(e.get("path"), str):
            raise AssertionError("%s: finding %s: evidence without a path" % (where, f["id"]))
    for r in f["remedies"]:
        if not isinstance(r, dict) or not all(isinstance(r.get(k), str)
                                              for k in ("id", "title", "phase")) \
                or not isinstance(r.get("steps"), list):
            raise AssertionError("%s: finding %s: incomplete remedy %.200r"
                                 % (where, f["id"], r))


def check_report(tlsdiag, args):
    what = "tlsdiag " + " ".join(args)
    p = subprocess.run([tlsdiag, "--format", "ndjson"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode not in (0, 1, 2) or b"Sanitizer" in p.stderr or b"runtime error" in p.stderr:
        raise AssertionError("%s: exit status %d\n%s" % (what, p.returncode,
                                                        p.stderr.decode(errors="replace")))
    objs = parse_lines(p.stdout, what)
    types = [o.get("type") for o in objs]
    for t in types:
        if t not in TYPES:
            raise AssertionError("%s: line of unknown type %r" % (what, t))
    if types.count("summary") != 1:
        raise AssertionError("%s: %d summary lines" % (what, types.count("summary")))
    summary = objs[types.index("summary")]
    if summary.get("exit_code") != p.returncode:
        raise AssertionError("%s: summary exit_code %r, status %d"
                             % (what, summary.get("exit_code"), p.returncode))
    findings = [o for o in objs if o["type"] == "finding"]
    for f in findings:
        check_finding(f, what)
    if summary.get("findings") != len(findings):
        raise AssertionError("%s: summary says %r findings, %d lines"
                             % (what, summary.get("findings"), len(findings)))
    return len(objs), len(findings)


def check_events(tlsdiag, args):
    what = "tlsdiag events " + " ".join(args)
    p = subprocess.run([tlsdiag, "events", "--format", "ndjson"] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    objs = parse_lines(p.stdout, what)
    for o in objs:
        if not isinstance(o.get("path"), str):
            raise AssertionError("%s: event without a path: %.200r" % (what, o))
    return len(objs)


def main():
    tlsdiag, src = sys.argv[1], sys.argv[2]
    golden = src + "/tests/golden/inputs"
    runs = [
        [src + "/samples/bundle"],
        ["--explain", "--verbose", "--max-evidence", "2", golden],
        ["--fail-on", "info", golden + "/machines", golden + "/fail-on"],
        [golden + "/garbage.bin", golden + "/does-not-exist.log"],
    ]
    lines = findings = 0
    for args in runs:
        n, f = check_report(tlsdiag, args)
        lines += n
        findings += f
    events = check_events(tlsdiag, sorted(glob.glob(golden + "/events/*"))
                          + [src + "/samples/bundle/CM01-SQL/System.evtx"])
    if findings == 0 or events == 0:
        raise AssertionError("nothing was checked (%d findings, %d events)" % (findings, events))
    print("ok: %d report lines (%d findings), %d event lines" % (lines, findings, events))


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("FAIL:", e)
        sys.exit(1)
