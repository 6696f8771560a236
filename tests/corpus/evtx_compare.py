#!/usr/bin/env python3
"""Compares tlsdiag's EVTX reader with libevtx (evtxexport) and python-evtx.

For every .evtx listed in the corpus MANIFEST.tsv:
  * the events are the same whether records are read through the tree or
    straight from the template skeletons (TD_EVTX_TREE=1 forces the tree);
  * tlsdiag must exit 0 and return at least as many records as libevtx and
    python-evtx found (MANIFEST columns, measured with the Debian packages),
    except for the differences listed in KNOWN (explained in README.md);
  * when evtxexport is installed it is run live: every record id it exports
    must be among ours, and on a sample of records per file the System values
    and every EventData/UserData value must be equal;
  * when evtx_dump.py (python-evtx) is installed, the same field comparison
    runs on a sample of files (python-evtx reads about 400 records/s, too
    slow for the whole corpus in CI).

Usage: evtx_compare.py TLSDIAG CORPUS_DIR
       evtx_compare.py TLSDIAG --fixtures MKEVTX SPEC_DIR OUT_DIR
         (the fixtures written by tests/tools/mkevtx, every record compared)
Exit 0 = all equal, 1 = differences, 77 = corpus missing (ctest skip).
"""
import base64
import csv
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'
SAMPLE = 25          # records compared per file
PY_EVERY = 12        # python-evtx compares every n-th eligible file
PY_MAX_BYTES = 1 << 20

# Where another reader returns more records than we do, and why.
KNOWN = {
    'omerbenamram-evtx/samples/Microsoft-Windows-HelloForBusiness%4Operational.evtx':
        'python-evtx follows a damaged size field and emits one garbage record '
        '(6 vs 5); libevtx and tlsdiag report the damaged record instead',
}

TIME_RE = re.compile(r'^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z?$')


def norm(v):
    """A value in a form the three readers agree on."""
    if v is None:
        return ''
    v = v.strip()
    m = TIME_RE.match(v)
    if m:  # times to the microsecond (python-evtx prints 6 digits)
        frac = (m.group(7) or '')[:6].ljust(6, '0')
        return '%s-%s-%sT%s:%s:%s.%s' % (m.groups()[:6] + (frac,))
    if re.fullmatch(r'0x[0-9a-fA-F]+', v):
        return hex(int(v, 16))
    if re.fullmatch(r'\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
                    r'[0-9a-fA-F]{12}\}?', v):
        return v.strip('{}').lower()
    if v in ('True', 'False'):
        return v.lower()
    return v


def events(xml_text):
    """Event elements of a reader's XML output, parsed one by one (some
    readers' output is not well-formed as a whole)."""
    out = []
    for m in re.finditer(r'<Event[ >].*?</Event>', xml_text, re.S):
        try:
            out.append(ET.fromstring(m.group(0)))
        except ET.ParseError:
            out.append(None)
    return out


def markup(el):
    """Text of an element; '<markup>' when a reader wrote a string value
    holding XML without escaping it (libevtx)."""
    if len(el):
        return '<markup>'
    return el.text or ''


def facts(ev):
    """{key: value} of one Event element."""
    f = {}
    sys_el = ev.find(NS + 'System')
    if sys_el is None:
        return f
    def text(name):
        e = sys_el.find(NS + name)
        return None if e is None else (e.text or '')
    def attr(name, a):
        e = sys_el.find(NS + name)
        return None if e is None else e.get(a)
    for k, v in (('provider', attr('Provider', 'Name')), ('id', text('EventID')),
                 ('level', text('Level')), ('task', text('Task')),
                 ('opcode', text('Opcode')), ('keywords', text('Keywords')),
                 ('time', attr('TimeCreated', 'SystemTime')),
                 ('record', text('EventRecordID')), ('channel', text('Channel')),
                 ('computer', text('Computer')), ('pid', attr('Execution', 'ProcessID')),
                 ('tid', attr('Execution', 'ThreadID')), ('user', attr('Security', 'UserID'))):
        if v is not None and v != '':
            f[k] = norm(v)
    q = attr('EventID', 'Qualifiers')
    if q:
        f['qualifiers'] = q
    data = ev.find(NS + 'EventData')
    if data is not None:
        seen = {}
        for d in data:
            tag = d.tag.replace(NS, '')
            values = [markup(d)]
            # python-evtx prints an array as "<string>a</string>\n<string>b</string>"
            # in one element where the others repeat the element per item.
            if values[0].startswith('<string>'):
                values = re.findall(r'<string>(.*?)</string>', values[0], re.S)
            for v in values:
                key = '%s:%s' % (tag, d.get('Name') or '')
                seen[key] = seen.get(key, 0) + 1
                f['%s#%d' % (key, seen[key])] = norm(v)
    user = ev.find(NS + 'UserData')
    if user is not None:
        for i, d in enumerate(user.iter()):
            if len(d) == 0 and d is not user:
                f['user%d:%s' % (i, d.tag.split('}')[-1])] = norm(d.text)
    return f


def as_number(v):
    try:
        return float(v) if not v.startswith('0x') else float(int(v, 16))
    except (ValueError, AttributeError):
        return None


def tolerated(peer, key, o, v):
    """Differences in how the other reader prints a value, not what it is."""
    if o is None:
        # python-evtx writes an element for an empty optional value, which
        # Windows and libevtx leave out
        return v == '' and peer == 'python-evtx'
    if not v:
        return False
    astral = re.compile('[\U00010000-\U0010ffff]')
    if peer == 'libevtx' and astral.sub('?', o) == astral.sub('?', v):
        return True  # libevtx 20181227 decodes surrogate pairs wrongly
    if v == '<markup>' and o.startswith('<'):
        return True  # libevtx does not escape XML held in a string value
    if re.fullmatch(r'[0-9A-F]+', o):
        try:  # python-evtx prints binary as base64
            if base64.b64decode(v, validate=True).hex().upper() == o:
                return True
        except ValueError:
            pass
    if TIME_RE.match(o) and TIME_RE.match(v):
        # python-evtx converts FILETIMEs through a float: off by a few us
        return peer == 'python-evtx' and abs(usec(o) - usec(v)) <= 5
    a, b = as_number(o), as_number(v)
    if a is None or b is None:
        return False
    if a == b:
        return True  # SizeT: libevtx decimal, Windows and we hex
    if a < 0 and b < 0 and a >= -2**31 and -b == (int(a) & 0x7fffffff):
        return True  # libevtx prints negative Int32 as sign and magnitude
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b))  # libevtx: 7 digits


def usec(t):
    m = TIME_RE.match(t)
    y, mo, d, h, mi, se = (int(x) for x in m.groups()[:6])
    frac = int((m.group(7) or '0')[:6].ljust(6, '0'))
    return ((((y * 400 + mo) * 40 + d) * 24 + h) * 60 + mi) * 60 * 10**6 + se * 10**6 + frac


def same(peer, ours, theirs):
    """Keys where the values differ."""
    diff = []
    for k, v in theirs.items():
        o = ours.get(k)
        if o == v or tolerated(peer, k, o, v):
            continue
        diff.append('%s: ours %r, theirs %r' % (k, (o or '')[:120], v[:120]))
    return diff


def run(cmd, timeout=600):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, -1
    return p.stdout.decode('utf-8', 'replace'), p.returncode


def run_env(cmd, env, timeout=600):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout,
                           env=dict(os.environ, **env))
    except subprocess.TimeoutExpired:
        return None, -1
    return p.stdout.decode('utf-8', 'replace'), p.returncode


def by_record(evs):
    out = {}
    for e in evs:
        if e is None:
            continue
        f = facts(e)
        if 'record' in f:
            out.setdefault(f['record'], f)
    return out


def check_file(tlsdiag, corpus, row, index, have_libevtx, have_python):
    name = row['local_file']
    path = os.path.join(corpus, name)
    problems = []
    text, rc = run([tlsdiag, 'events', '--format', 'xml', path])
    if text is None or rc != 0:
        return name, ['tlsdiag events exited %s' % rc], 0
    ours_list = events(text)
    ours = by_record(ours_list)
    # Without XML output most records skip the tree (evtx_binxml.c
    # td_evtx_direct); TD_EVTX_TREE=1 forces the tree: both must agree.
    direct, _ = run([tlsdiag, 'events', path])
    tree, _ = run_env([tlsdiag, 'events', path], {'TD_EVTX_TREE': '1'})
    if direct != tree:
        problems.append('the direct and the tree path give different events')
    lib = int(row['records_libevtx'] or 0)
    pyc = row['records_python_evtx']
    pyc = int(pyc) if pyc.isdigit() else 0
    if len(ours_list) < max(lib, pyc) and name not in KNOWN:
        problems.append('%d records, libevtx %d, python-evtx %d' % (len(ours_list), lib, pyc))
    compared = 0
    peers = []
    if have_libevtx:
        peers.append(('libevtx', ['evtxexport', '-f', 'xml', path]))
    size = os.path.getsize(path)
    if (have_python and index % PY_EVERY == 0 and size <= PY_MAX_BYTES and pyc and
            pyc == lib):
        peers.append(('python-evtx', ['evtx_dump.py', path]))
    for peer, cmd in peers:
        ptext, _ = run(cmd, timeout=300)
        if ptext is None:
            continue
        theirs = by_record(events(ptext))
        missing = [r for r in theirs if r not in ours]
        if missing:
            problems.append('%s records missing here: %s' % (peer, ', '.join(missing[:5])))
        keys = sorted(theirs, key=lambda r: int(r) if r.isdigit() else 0)
        step = max(1, len(keys) // SAMPLE)
        for r in keys[::step][:SAMPLE]:
            if r not in ours:
                continue
            compared += 1
            d = same(peer, ours[r], theirs[r])
            if d:
                problems.append('%s record %s: %s' % (peer, r, '; '.join(d[:4])))
    return name, problems, compared


def check_fixtures(tlsdiag, mkevtx, spec_dir, out_dir):
    """Our writer's files read by all three readers: same records, same
    values, every record compared."""
    os.makedirs(out_dir, exist_ok=True)
    peers = [(p, cmd) for p, cmd in (('libevtx', ['evtxexport', '-f', 'xml']),
                                       ('python-evtx', ['evtx_dump.py']))
             if shutil.which(cmd[0])]
    if not peers:
        print('neither evtxexport nor evtx_dump.py installed; skipped')
        return 77
    bad = 0
    for spec in sorted(f for f in os.listdir(spec_dir) if f.endswith('.spec')):
        for variant, args in (('', []), ('-chunked', ['--per-chunk', '3']),
                              ('-dirty', ['--per-chunk', '4', '--dirty'])):
            path = os.path.join(out_dir, spec[:-5] + variant + '.evtx')
            subprocess.run([mkevtx] + args + [os.path.join(spec_dir, spec), path], check=True)
            text, rc = run([tlsdiag, 'events', '--format', 'xml', path])
            ours = by_record(events(text or ''))
            n_spec = sum(1 for line in open(os.path.join(spec_dir, spec), encoding='utf-8')
                         if line.strip() and not line.startswith('#'))
            problems = [] if rc == 0 and len(ours) == n_spec else \
                ['tlsdiag: exit %s, %d of %d records' % (rc, len(ours), n_spec)]
            for peer, cmd in peers:
                ptext, prc = run(cmd + [path])
                theirs = by_record(events(ptext or ''))
                if prc != 0 or len(theirs) != n_spec:
                    problems.append('%s: exit %s, %d of %d records' % (peer, prc, len(theirs),
                                                                      n_spec))
                for r, f in theirs.items():
                    d = same(peer, ours.get(r, {}), f)
                    if d:
                        problems.append('%s record %s: %s' % (peer, r, '; '.join(d[:4])))
            print('%s: %d records, %s' % (os.path.basename(path), len(ours),
                                          'same in all readers' if not problems else 'DIFFERENT'))
            for p in problems:
                print('  ' + p)
            bad += bool(problems)
    return 1 if bad else 0


def main():
    if len(sys.argv) == 6 and sys.argv[2] == '--fixtures':
        return check_fixtures(sys.argv[1], sys.argv[3], sys.argv[4], sys.argv[5])
    tlsdiag, corpus = sys.argv[1], sys.argv[2]
    manifest = os.path.join(corpus, 'MANIFEST.tsv')
    if not os.path.exists(manifest):
        print('corpus not found at %s; skipped' % corpus)
        return 77
    rows = list(csv.DictReader(open(manifest, encoding='utf-8'), delimiter='\t'))
    # TD_CORPUS_EVERY=N compares every Nth file only (the valgrind run).
    rows = rows[::max(1, int(os.environ.get('TD_CORPUS_EVERY', '1')))]
    have_libevtx = shutil.which('evtxexport') is not None
    have_python = shutil.which('evtx_dump.py') is not None
    if not have_libevtx:
        print('note: evtxexport not installed (libevtx-utils): live comparison skipped')
    if not have_python:
        print('note: evtx_dump.py not installed (python3-evtx): field comparison skipped')
    bad = 0
    compared = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = [pool.submit(check_file, tlsdiag, corpus, row, i, have_libevtx, have_python)
                for i, row in enumerate(rows)]
        for j in jobs:
            name, problems, n = j.result()
            compared += n
            if problems:
                bad += 1
                print('%s:\n  %s' % (name, '\n  '.join(problems[:8])))
    print('%d files, %d with differences, %d records compared field by field'
          % (len(rows), bad, compared))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
