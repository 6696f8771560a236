#!/usr/bin/env python3
"""Hostile-input tests (ctest label "hostile"): tlsdiag next to a good input.

usage: run_hostile.py TLSDIAG SOURCE_DIR TRUNCSHIM [CASE...]

Every input is generated in a temporary folder at test time.  For each case
tlsdiag runs with the hostile inputs and a good CMTrace log (SRSRP.log, one
error finding), in text and in JSON, and the test checks:
  * no crash, no hang (a timeout per run), no sanitizer report;
  * the exit status the README documents (1: the good finding; 2: an input
    could not be read);
  * a message on stderr naming each hostile file (with line or offset when
    the case has one);
  * the good input's finding is still reported, and what could be read of
    the hostile inputs was read.

TD_HOSTILE_LONG_MB sets the size of the long-line case (default 65, just
above the 64 MiB window cap TD_MAX_WINDOW), TD_HOSTILE_FILES the number of
tiny files (default 20000) and TD_HOSTILE_CUTS the number of truncations per
file (default: every offset of the first 4.5 KiB and 600 more); the valgrind
run lowers them (tests/hostile/CMakeLists.txt).  Cases given after the
arguments run alone.  Exit status 0 when every case passed.
"""
import json
import os
import random
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import io
import tarfile
import gzip

TLSDIAG, SRC, SHIM = sys.argv[1], sys.argv[2], sys.argv[3]
ONLY = set(sys.argv[4:])
GOOD_ID = "cm-srsrp-receive-closed"
TIMEOUT = float(os.environ.get("TD_HOSTILE_TIMEOUT", "600"))
LONG_MB = int(os.environ.get("TD_HOSTILE_LONG_MB", "65"))
NFILES = int(os.environ.get("TD_HOSTILE_FILES", "20000"))
CUTS = int(os.environ.get("TD_HOSTILE_CUTS", "0"))  # cuts per file; 0: see offsets()
# Wrapper command (valgrind) taken from the environment, as ctest sets it.
WRAP = os.environ.get("TD_HOSTILE_WRAP", "").split()

failures = []
tmp = tempfile.mkdtemp(prefix="td-hostile.")
good = os.path.join(tmp, "good", "SRSRP.log")
os.makedirs(os.path.dirname(good))
shutil.copy(os.path.join(SRC, "samples/bundle/CM01-ReportingPoint/Logs/SRSRP.log"), good)
rnd = random.Random(20261204)


def fail(case, msg):
    failures.append(f"{case}: {msg}")
    print(f"FAIL {case}: {msg}", flush=True)


def path(*parts):
    p = os.path.join(tmp, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def write(name, data):
    p = path(name)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p


def run(args, stdout=None, env=None, timeout=TIMEOUT, stdin=subprocess.DEVNULL):
    e = dict(os.environ)
    e.update(env or {})
    t = time.time()
    try:
        p = subprocess.run(WRAP + [TLSDIAG] + args, stdout=stdout or subprocess.PIPE,
                           stderr=subprocess.PIPE, env=e, timeout=timeout, stdin=stdin)
    except subprocess.TimeoutExpired:
        return None, b"", b"timeout", time.time() - t
    return p.returncode, p.stdout or b"", p.stderr, time.time() - t


def check(case, inputs, exit_codes=(1,), stderr_has=(), stdout_lacks=(), env=None,
          extra=(), formats=("text", "json"), good_finding=True, per_input=None):
    """Runs tlsdiag on inputs + the good log in each format; returns the
    parsed JSON report (or None)."""
    doc = None
    for fmt in formats:
        args = list(extra) + ["--format", fmt] + list(inputs) + [good]
        rc, out, err, secs = run(args, env=env)
        errs = err.decode("utf-8", "replace")
        what = f"{case} [{fmt}]"
        if rc is None:
            fail(what, f"no exit within {TIMEOUT:.0f} s (hang)")
            continue
        if rc < 0 or rc > 2:
            fail(what, f"exit status {rc} (crash or sanitizer report)\n{errs[-3000:]}")
            continue
        if "Sanitizer" in errs or "runtime error:" in errs or "==ERROR" in errs:
            fail(what, f"sanitizer report:\n{errs[-3000:]}")
        if rc not in exit_codes:
            fail(what, f"exit status {rc}, expected {exit_codes}\n{errs[-2000:]}")
        for s in stderr_has:
            if s not in errs:
                fail(what, f"stderr lacks {s!r}:\n{errs[-2000:]}")
        text = out.decode("utf-8", "replace")
        for s in stdout_lacks:
            if s in text or s in errs:
                fail(what, f"output contains {s!r}")
        if fmt == "json":
            try:
                doc = json.loads(text)
            except ValueError as ex:
                fail(what, f"output is not JSON: {ex}")
                continue
            ids = [f["id"] for f in doc["findings"]]
            if good_finding and GOOD_ID not in ids:
                fail(what, f"the good input's finding is missing (findings: {ids})")
            good_in = [i for i in doc["inputs"] if i["path"] == good]
            if not good_in or good_in[0]["events"] != 6:
                fail(what, "the good input was not read whole")
            if per_input:
                per_input(what, doc, errs)
        elif good_finding and f"({GOOD_ID})" not in text:
            fail(what, "the good input's finding is missing from the text report")
        print(f"ok   {what}: exit {rc}, {secs:.1f} s", flush=True)
    return doc


def said(doc, p):
    """The input of the JSON report named p, or None."""
    for i in doc["inputs"]:
        if i["path"] == p:
            return i
    return None


def every_input_explained(names_with_problems):
    """A per_input check: each listed input has an error, a diagnostic or
    is binary, and its path is on stderr."""
    def chk(what, doc, errs):
        for p in names_with_problems:
            i = said(doc, p)
            if i is None:
                fail(what, f"{p}: not in the report")
            elif not (i["error"] or i["diagnostics"] or i["format"] == "binary"):
                fail(what, f"{p}: nothing said about it")
            elif f"tlsdiag: {p}" not in errs:
                fail(what, f"{p}: not named on stderr")
    return chk


def case(name):
    def deco(fn):
        if not ONLY or name in ONLY:
            t = time.time()
            try:
                fn(name)
            except Exception as ex:  # a broken test is a failure too
                import traceback
                traceback.print_exc()
                fail(name, f"test raised {ex!r}")
            print(f"---- {name}: {time.time() - t:.1f} s", flush=True)
        return fn
    return deco


EXTS = [".log", ".evtx", ".xml", ".csv", ".txt", ".svclog", ".reg", ".errlog", ".zip",
        ".gz", ".tar", ".tgz", ".7z", ".cab", ""]


@case("empty")
def _(name):
    files = [write(f"empty/e{i}{ext}", b"") for i, ext in enumerate(EXTS)]
    files.append(write("empty/ERRORLOG", b""))
    check(name, files, stderr_has=[f"{f}: note: empty; nothing to read" for f in files])
    # Standard input, empty.
    rc, out, err, _ = run(["-", good], stdin=open(files[0], "rb"))
    if rc != 1 or b"<stdin>: note: empty" not in err:
        fail(name, f"empty stdin: exit {rc}, stderr {err!r}")


def samples():
    """Real-looking inputs of every format: (name, bytes)."""
    s = {}
    for rel in ["samples/bundle/CM01-SQL/System.evtx",
                "samples/bundle/CM01-AppCatalog/Logs/ServicePortalWebSite.svclog",
                "samples/bundle/CM01-SQL/Log/ERRORLOG",
                "samples/bundle/CM01-SiteServer/Logs/smsprov.log",
                "samples/bundle/FS01-AzureBackup/Temp/CBEngineCurr.errlog",
                "tests/golden/inputs/events/wevtutil.xml",
                "tests/golden/inputs/events/viewer-copy.xml",
                "tests/golden/inputs/events/ev.csv",
                "tests/golden/inputs/events/ps.csv",
                "tests/golden/inputs/events/copy.txt",
                "tests/golden/inputs/events/format-list.txt",
                "tests/golden/inputs/registry/CM01-SQL/schannel.reg",
                "tests/golden/inputs/formats/CcmMessaging.log",
                "tests/golden/inputs/formats/app.log",
                "tests/golden/inputs/bundles/machines.zip",
                "tests/golden/inputs/bundles/nested.zip"]:
        with open(os.path.join(SRC, rel), "rb") as f:
            s[os.path.basename(rel)] = f.read()
    # A gzip'ed tar of the sample bundle's text logs.
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w:gz") as t:
        for k in ["SRSRP.log", "smsprov.log"]:
            t.add(os.path.join(SRC, "samples/bundle",
                               "CM01-ReportingPoint/Logs" if k == "SRSRP.log"
                               else "CM01-SiteServer/Logs", k), arcname="x/" + k)
    s["logs.tar.gz"] = b.getvalue()
    return s


def offsets(n):
    """Every offset in the first 4.5 KiB, then a stride (all of a small file)."""
    first = min(n, 4608)
    out = list(range(first))
    stride = max(1, (n - first) // 600)
    out += list(range(first, n, stride))
    if CUTS and len(out) > CUTS:
        out = out[::len(out) // CUTS + 1]
    return out


@case("truncated")
def _(name):
    for fname, data in samples().items():
        folder = os.path.join(tmp, "trunc", fname)
        os.makedirs(folder)
        cuts = offsets(len(data))
        for o in cuts:
            with open(os.path.join(folder, f"{o:06d}-{fname}"), "wb") as f:
                f.write(data[:o])
        binary = fname.endswith((".evtx", ".zip", ".gz"))

        def chk(what, doc, errs, folder=folder, binary=binary, n=len(cuts)):
            ins = [i for i in doc["inputs"] if i["path"].startswith(folder + "/")]
            files = {i["path"].split("!/")[0] for i in ins}
            if len(files) != n:
                fail(what, f"{len(files)} of {n} truncated files reported")
            for i in ins:
                if (i["error"] or i["format"] == "binary" or i["diagnostics"]) and \
                        f"tlsdiag: {i['path']}" not in errs:
                    fail(what, f"{i['path']}: its problem is not named on stderr")
            if binary:
                # A binary format cut short says so (all but the cuts at a
                # record or member boundary).
                told = {i["path"].split("!/")[0] for i in ins
                        if i["error"] or i["diagnostics"] or i["format"] == "binary"}
                if len(told) < n // 2:
                    fail(what, f"only {len(told)} of {n} cut files reported")
        check(f"{name} {fname} ({len(cuts)} cuts)", [folder], exit_codes=(1, 2),
              per_input=chk)
        shutil.rmtree(folder)


GARBAGE_EXTS = [".evtx", ".log", ".xml", ".svclog", ".reg", ".zip", ".gz", ".csv", ".7z",
                ".cab", ".tar"]


@case("garbage")
def _(name):
    files = []
    for ext in GARBAGE_EXTS:
        files.append(write(f"garbage/random{ext}", rnd.randbytes(200_000)))
    # Garbage behind each format's magic or first line.
    heads = {"evtx": b"ElfFile\0", "zip": b"PK\x03\x04", "gz": b"\x1f\x8b\x08\x00",
             "7z": b"7z\xbc\xaf\x27\x1c", "cab": b"MSCF\0\0\0\0", "xml": b"<?xml version='1.0'?><Events>",
             "svclog": b"<E2ETraceEvent xmlns=\"http://schemas.microsoft.com/2004/06/E2ETraceEvent\">",
             "reg": "\ufeffWindows Registry Editor Version 5.00\r\n\r\n[HKEY".encode("utf-16-le"),
             "log": b"<![LOG[", "csv": b"Level,Date and Time,Source,Event ID,Task Category\r\n"}
    for ext, head in heads.items():
        files.append(write(f"garbage/magic.{ext}", head + rnd.randbytes(100_000)))
    # An EVTX header that claims chunks, with garbage chunks.
    with open(os.path.join(SRC, "samples/bundle/CM01-SQL/System.evtx"), "rb") as f:
        ev = f.read()
    files.append(write("garbage/chunks.evtx", ev[:4096] + rnd.randbytes(3 * 65536)))
    bad = ev[:4096 + 512] + bytes(b ^ 0x5A for b in ev[4096 + 512:])
    files.append(write("garbage/records.evtx", bad))
    check(name, files, exit_codes=(1, 2), per_input=every_input_explained(files))


@case("long_line")
def _(name):
    n = LONG_MB << 20
    line = b"x" * (n - 200) + b" SSL Provider: The underlying connection was closed\n"
    p = write("long/one-line.log", line + b"second line after the long one\n")
    # The same as CMTrace, whose records may span lines.
    cm = write("long/cmtrace.log", b"<![LOG[" + b"y" * n + b"]LOG]!><time=\"10:20:00.000+300\" "
               b"date=\"03-05-2024\" component=\"X\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n")

    def chk(what, doc, errs):
        i = said(doc, p)
        if not i or i["events"] < 2:
            fail(what, f"{p}: the line after the long one was not read ({i})")
        if f"{p}:1: warning:" not in errs:
            fail(what, f"{p}: the cut line is not reported on stderr with its line")
        # Regression: each 64 MiB piece of the line was counted as a line.
        if i and any(d["line"] != 1 for d in i["diagnostics"]):
            fail(what, f"{p}: the one long line is reported on lines "
                 f"{sorted({d['line'] for d in i['diagnostics']})}")
        rc, out, _, _ = run(["events", p])
        last = json.loads(out.splitlines()[-1]) if rc == 0 and out else {}
        if last.get("line") != 2:
            fail(what, f"{p}: the line after the long one is numbered {last.get('line')}")
        j = said(doc, cm)
        if not j or j["events"] < 1:
            fail(what, f"{cm}: nothing read")
    check(f"{name} ({LONG_MB} MiB)", [p, cm], exit_codes=(1,), per_input=chk)


@case("encoding")
def _(name):
    with open(good, "rb") as f:
        txt = f.read()
    lines = txt.split(b"\n")
    files = {}
    # Invalid UTF-8 in every line but outside the failure's words.
    bad8 = [b"\xc0\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xff\xfe", b"\xe2\x82",
            b"\x80"]
    files["utf8.log"] = b"\n".join(l.replace(b"  $$", rnd.choice(bad8) + b"  $$", 1)
                                   if l else l for l in lines)
    u16 = txt.decode().encode("utf-16-le")
    # UTF-16LE with BOM and a lone high and low surrogate in each line.
    files["utf16-lone.log"] = b"\xff\xfe" + u16.replace(
        "  $$".encode("utf-16-le"), b"\x00\xd8" + "  $$".encode("utf-16-le"), 3).replace(
        "  $$".encode("utf-16-le"), b"\x00\xdc" + "  $$".encode("utf-16-le"), 2)
    files["utf16-odd.log"] = b"\xff\xfe" + u16 + b"\x41"   # odd byte count
    files["utf16be-odd.log"] = b"\xfe\xff" + txt.decode().encode("utf-16-be")[:-1]
    files["bom-garbage.log"] = b"\xff\xfe" + rnd.randbytes(50_000)
    files["bom8-garbage.log"] = b"\xef\xbb\xbf" + rnd.randbytes(50_000)
    files["bom-only.log"] = b"\xff\xfe"
    files["nul-text.log"] = txt.replace(b"\n", b"\0\n")
    ps = {k: write("enc/" + k, v) for k, v in files.items()}

    def chk(what, doc, errs):
        # The failure is still found in the files whose text survives.
        paths = {e["path"] for f in doc["findings"] for e in f["evidence"]}
        for k in ["utf8.log", "utf16-lone.log", "utf16-odd.log", "utf16be-odd.log"]:
            if ps[k] not in paths:
                fail(what, f"{k}: the failure in it was not found")
        for k, p in ps.items():
            if not said(doc, p):
                fail(what, f"{k}: not in the report")
    check(name, list(ps.values()), per_input=chk)


def laughs(root_open, root_close, inner):
    ents = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        ents.append(f'<!ENTITY lol{i} "' + f"&lol{i-1};" * 10 + '">')
    return ("<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n" + "\n".join(ents) + "\n]>\n" +
            root_open + inner.replace("@", "&lol9;") + root_close).encode()


EV = ("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='Schannel'/><EventID>36888</EventID><Level>2</Level>"
      "<TimeCreated SystemTime='2024-03-05T15:20:00.000Z'/><Computer>C1</Computer></System>"
      "<EventData><Data Name='AlertDesc'>@</Data></EventData></Event>")
SVC = ("<E2ETraceEvent xmlns=\"http://schemas.microsoft.com/2004/06/E2ETraceEvent\"><System "
       "xmlns=\"http://schemas.microsoft.com/2004/06/windows/eventlog/system\"><EventID>1</EventID>"
       "<Type>3</Type><TimeCreated SystemTime=\"2024-03-05T15:30:12.1Z\" /></System>"
       "<ApplicationData>@</ApplicationData></E2ETraceEvent>")


class Listener:
    """A local TCP port that records whether anything connected."""
    def __init__(self):
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        self.s.listen(5)
        self.s.settimeout(0.2)
        self.port = self.s.getsockname()[1]
        self.hits = 0
        self.stop = False
        self.t = threading.Thread(target=self.loop, daemon=True)
        self.t.start()

    def loop(self):
        while not self.stop:
            try:
                c, _ = self.s.accept()
                self.hits += 1
                c.close()
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.t.join()
        self.s.close()


@case("xml_entities")
def _(name):
    ls = Listener()
    url = f"http://127.0.0.1:{ls.port}/x.dtd"
    secret = "td-hostile-secret-" + str(rnd.randrange(1 << 30))
    sec = write("xml/secret.txt", secret)
    files = [
        write("xml/laughs-events.xml", laughs("<Events>", "</Events>", EV)),
        write("xml/laughs.svclog", laughs("", "", SVC)),
        write("xml/xxe-events.xml", (
            f"<?xml version=\"1.0\"?>\n<!DOCTYPE Events [<!ENTITY f SYSTEM \"file://{sec}\">"
            f"<!ENTITY h SYSTEM \"{url}\"><!ENTITY % p SYSTEM \"{url}\"> %p;]>\n<Events>" +
            EV.replace("@", "&f;&h;") + "</Events>").encode()),
        write("xml/xxe.svclog", (
            f"<!DOCTYPE E2ETraceEvent [<!ENTITY f SYSTEM \"file://{sec}\">"
            f"<!ENTITY h SYSTEM \"{url}\">]>" + SVC.replace("@", "&f;&h;")).encode()),
        write("xml/xinclude.xml", (
            "<Events xmlns:xi='http://www.w3.org/2001/XInclude'>" +
            EV.replace("@", f"<xi:include href='file://{sec}' parse='text'/>"
                       f"<xi:include href='{url}'/>") + "</Events>").encode()),
    ]
    t = time.time()
    check(name, files, exit_codes=(1, 2), stdout_lacks=[secret, "lollollol"])
    if time.time() - t > 120:
        fail(name, "entity expansion took more than 120 s")
    # A signature file with the same tricks: refused, nothing fetched.
    sigs = path("xml/sigs/x")
    sigs = os.path.dirname(sigs)
    shutil.rmtree(sigs)
    shutil.copytree(os.path.join(SRC, "signatures"), sigs)
    for k, body in {
        "laughs.xml": laughs("<signatures xmlns='urn:tlsdiag:signatures'>", "</signatures>",
                             "<!-- @ -->"),
        "xxe.xml": (f"<?xml version=\"1.0\"?><!DOCTYPE signatures [<!ENTITY f SYSTEM "
                    f"\"file://{sec}\"><!ENTITY h SYSTEM \"{url}\"><!ENTITY % p SYSTEM "
                    f"\"{url}\"> %p;]><signatures>&f;&h;</signatures>").encode(),
    }.items():
        d = path(f"xml/sigs-{k}/x")
        d = os.path.dirname(d)
        shutil.rmtree(d)
        shutil.copytree(sigs, d)
        with open(os.path.join(d, k), "wb") as f:
            f.write(body)
        rc, out, err, secs = run(["--signatures", d, good])
        errs = err.decode("utf-8", "replace")
        if rc != 2 or k not in errs or secret in errs or secret in out.decode("utf-8", "replace"):
            fail(name, f"signatures {k}: exit {rc}, stderr {errs[-500:]!r}")
        elif secs > 60:
            fail(name, f"signatures {k}: {secs:.0f} s")
        else:
            print(f"ok   {name} signatures {k}: exit {rc}, {errs.strip()[:150]}", flush=True)
    time.sleep(0.3)
    ls.close()
    if ls.hits:
        fail(name, f"{ls.hits} connection(s) to {url}: an external entity was fetched")


@case("deep_nesting")
def _(name):
    deep = 100_000
    files = [
        write("deep/deep-events.xml", ("<Events>" + EV.replace(
            "@", "<a>" * deep + "x" + "</a>" * deep) + "</Events>").encode()),
        write("deep/deep.svclog", SVC.replace("@", "<a>" * deep + "x" + "</a>" * deep).encode()),
        write("deep/unclosed-events.xml", ("<Events>" + "<Event>" * deep).encode()),
    ]
    check(f"{name} xml", files, exit_codes=(1, 2), per_input=every_input_explained(files))
    # Folders deeper than the limit (64).
    d = os.path.join(tmp, "deepdir")
    p = d
    for i in range(70):
        p = os.path.join(p, "d")
    os.makedirs(p)
    with open(os.path.join(p, "x.log"), "w") as f:
        f.write("deep\n")
    with open(os.path.join(d, "d", "near.log"), "w") as f:
        f.write("near\n")
    check(f"{name} folders", [d], exit_codes=(2,),
          stderr_has=["folder nesting deeper than the limit"],
          per_input=lambda w, doc, errs: said(doc, os.path.join(d, "d", "near.log")) or
          fail(w, "the file above the limit was not read"))
    # Archives nested beyond --max-depth (and a zip quine-like chain of 12).
    inner = b"hello from the bottom\n"
    name_in = "bottom.log"
    for lvl in range(12):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(name_in, inner)
            z.writestr(f"level{lvl}.log", f"level {lvl}\n")
        inner, name_in = b.getvalue(), f"n{lvl}.zip"
    nested = write("deep/nested.zip", inner)
    for extra, want in ((["--max-depth", "3"], "--max-depth"), ([], "--max-depth")):
        check(f"{name} archives {' '.join(extra) or 'default'}", [nested], extra=extra,
              exit_codes=(2,), stderr_has=[want])


@case("many_files")
def _(name):
    d = os.path.join(tmp, "many")
    per = 1000
    for i in range(NFILES):
        sub = os.path.join(d, f"d{i // per:04d}")
        if i % per == 0:
            os.makedirs(sub)
        with open(os.path.join(sub, f"f{i:07d}.log"), "w") as f:
            f.write(f"line {i}\n")

    def chk(what, doc, errs):
        n = sum(1 for i in doc["inputs"] if i["path"].startswith(d) and i["events"] == 1)
        if n != NFILES:
            fail(what, f"{n} of {NFILES} tiny files read")
    check(f"{name} ({NFILES})", [d], per_input=chk)
    shutil.rmtree(d)


@case("vanishing")
def _(name):
    d = path("van/x")
    d = os.path.dirname(d)
    os.symlink("nowhere.log", os.path.join(d, "dangling.log"))
    os.symlink("loop2.log", os.path.join(d, "loop1.log"))
    os.symlink("loop1.log", os.path.join(d, "loop2.log"))
    os.makedirs(os.path.join(d, "dir.log"))
    with open(os.path.join(d, "dir.log", "inside.log"), "w") as f:
        f.write("inside a folder named like a file\n")
    os.mkfifo(os.path.join(d, "fifo-in-folder.log"))
    fifo = path("van-fifo/no-writer.log")
    os.mkfifo(fifo)
    gone = path("van/gone.log")  # named but absent
    # Folder: links and loops are reported, FIFOs in folders skipped, the
    # folder named like a file read as a folder.
    check(f"{name} folder", [d], exit_codes=(2,),
          stderr_has=[f"{d}/dangling.log: broken symbolic link", f"{d}/loop1.log:"],
          per_input=lambda w, doc, errs: said(doc, os.path.join(d, "dir.log", "inside.log"))
          or fail(w, "the file inside dir.log was not read"))
    check(f"{name} named", [os.path.join(d, "dangling.log"), gone, fifo], exit_codes=(2,),
          stderr_has=[f"{gone}: cannot access", "no-writer.log: FIFO with no writer"],
          formats=("json",))
    # A file cut while it is read (tests/tools/truncshim): at mmap (before the
    # first read) and at the first read-ahead of its second window.
    lines = b"".join(b"2024-03-05 10:20:%02d.000 line %07d of a log being rotated\n"
                     % (i % 60, i) for i in range(200_000))
    for when, size in (("map", 100_000), ("read", len(lines) * 3 // 4 // 60 * 60)):
        cut = write(f"van-cut-{when}/cut.log", lines)
        keep = -(-size // 60)  # 60-byte lines; a cut last line is read too

        def chk(what, doc, errs, cut=cut, keep=keep):
            i = said(doc, cut)
            if not i or not i["error"] or "shrank" not in i["error"]:
                fail(what, f"the cut is not reported: {i}")
            elif i["events"] != keep:
                fail(what, f"{i['events']} events read of the {keep} left")
        env = {"LD_PRELOAD": SHIM, "TD_SHIM_TRUNCATE": "/" + os.path.basename(cut),
               "TD_SHIM_TRUNCATE_SIZE": str(size), "TD_SHIM_TRUNCATE_WHEN": when,
               "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}
        for fmt in ("text", "json"):
            with open(cut, "wb") as f:
                f.write(lines)
            check(f"{name} cut at {when}", [cut], exit_codes=(2,), env=env, formats=(fmt,),
                  stderr_has=[f"{cut}: the file shrank to {size} bytes"], per_input=chk)
    if os.geteuid() != 0:
        p = write("van-perm/noread.log", "secret\n")
        os.chmod(p, 0)
        check(f"{name} unreadable", [p], exit_codes=(2,), stderr_has=[f"{p}: cannot open"])
    else:
        print(f"skip {name} chmod 000 (running as root, who reads it anyway)")


@case("disk_full")
def _(name):
    if not os.path.exists("/dev/full"):
        print("skip disk_full: no /dev/full")
        return
    runs = [["--format", f, good] for f in ("text", "json", "ndjson", "html")]
    runs += [["timeline", "--format", f, good] for f in ("text", "json", "ndjson")]
    runs += [["events", "--format", f, good] for f in ("ndjson", "xml", "text")]
    runs += [["signatures", "list"], ["explain", "A04"], ["--help"]]
    for args in runs:
        with open("/dev/full", "wb") as full:
            rc, _, err, _ = run(args, stdout=full)
        errs = err.decode("utf-8", "replace")
        if rc != 2 or "No space left on device" not in errs:
            fail(name, f"{' '.join(args)} > /dev/full: exit {rc}, stderr {errs!r}")
        else:
            print(f"ok   {name} {' '.join(args[:3])}: {errs.strip()}", flush=True)


if not os.environ.get("TD_HOSTILE_KEEP"):
    shutil.rmtree(tmp, ignore_errors=True)
if failures:
    print(f"\n{len(failures)} failure(s):")
    for f in failures:
        print("  " + f.splitlines()[0])
    sys.exit(1)
print("all hostile cases passed")
