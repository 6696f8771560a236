#!/usr/bin/env python3
"""Mixed real bundle: the public corpus (text logs and event logs) and the
sample bundle, packed as a customer would send them -- a zip holding one
folder per machine, one machine packed again as a tar.gz inside it -- must
give exactly what the same files give unpacked in a folder: the same inputs
(formats, encodings, events, machines), the same findings, and no input
error.  Skipped (77) when the corpus is absent.

usage: bundle_compare.py TLSDIAG CORPUS_DIR SAMPLES_DIR
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile


def files_under(root):
    out = []
    for d, _, names in os.walk(root):
        for n in sorted(names):
            out.append(os.path.join(d, n))
    return sorted(out)


def run(tlsdiag, path):
    env = dict(os.environ, NO_COLOR="1", TZ="UTC")
    p = subprocess.run([tlsdiag, "--format", "json", path], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if p.returncode not in (0, 1):
        sys.exit(f"tlsdiag exited {p.returncode} on {path}: {p.stderr.decode()[:500]}")
    return json.loads(p.stdout)


def inputs_by_name(doc, prefix):
    out = {}
    for i in doc["inputs"]:
        name = i["path"]
        if not name.startswith(prefix):
            sys.exit(f"input {name} is not under {prefix}")
        name = name[len(prefix):].replace(".tar.gz!/", "/")
        out[name] = (i["format"], i["encoding"], i["events"], i["host"], i["error"])
    return out


def findings(doc):
    return sorted((f["id"], f["machine"], f["count"]) for f in doc["findings"])


def main():
    tlsdiag, corpus, samples = sys.argv[1:4]
    if not os.path.isdir(os.path.join(corpus, "text")):
        print(f"corpus not found at {corpus}: skipped")
        return 77
    # The bundle's layout: machine folder -> files.
    layout = {}
    for f in files_under(os.path.join(corpus, "text")):
        layout.setdefault("WEB01", []).append(f)
    for f in files_under(os.path.join(corpus, "evtx")):
        layout.setdefault("DC01", []).append(f)
    for f in files_under(samples):
        rel = os.path.relpath(f, samples)
        layout.setdefault(rel.split(os.sep)[0], []).append(f)
    tmp = tempfile.mkdtemp(prefix="tlsdiag-bundle.")
    try:
        folder = os.path.join(tmp, "case")
        zpath = os.path.join(tmp, "case.zip")
        packed = "DC01"  # this machine arrives as a tar.gz inside the zip
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
            tar_bytes = io.BytesIO()
            with tarfile.open(fileobj=tar_bytes, mode="w:gz") as t:
                for machine, paths in sorted(layout.items()):
                    for k, src in enumerate(paths):
                        name = f"{k:03d}-{os.path.basename(src)}"
                        dst = os.path.join(folder, machine, name)
                        os.makedirs(os.path.dirname(dst), exist_ok=True)
                        shutil.copyfile(src, dst)
                        if machine == packed:
                            t.add(src, arcname=name)
                        else:
                            z.write(src, f"{machine}/{name}")
            z.writestr(f"{packed}.tar.gz", tar_bytes.getvalue())
        os.rename(os.path.join(folder, packed), os.path.join(folder, packed + ".tar.gz"))
        # The folder twin of "DC01.tar.gz!/x" is "DC01.tar.gz/x".
        from_zip = run(tlsdiag, zpath)
        from_dir = run(tlsdiag, folder)
        a = inputs_by_name(from_zip, zpath + "!/")
        b = {k.replace(".tar.gz/", "/"): v
             for k, v in inputs_by_name(from_dir, folder + "/").items()}
        status = 0
        if a != b:
            for k in sorted(set(a) | set(b)):
                if a.get(k) != b.get(k):
                    print(f"input {k}: zip {a.get(k)} folder {b.get(k)}")
            status = 1
        errors = [k for k, v in a.items() if v[4]]
        if errors:
            print("inputs with errors:", errors)
            status = 1
        if findings(from_zip) != findings(from_dir):
            print("findings differ:\n zip", findings(from_zip), "\n dir", findings(from_dir))
            status = 1
        machines = sorted({v[3] for v in a.values() if v[3]})
        print(f"{len(a)} inputs, {from_zip['summary']['events']} events, "
              f"{len(from_zip['findings'])} findings, machines {machines}")
        return status
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
