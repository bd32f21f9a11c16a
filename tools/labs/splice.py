#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Copy the labs' step outputs from a VM log into Documentation/labs/.

A lab page marks where a step's output goes with an RST comment
".. lab-output: STEP" followed by a literal block ("::" and an indented
block); the block is replaced by the step's command and output as the
log has them.  Usage: splice.py [--check] LOG LAB.rst...

Every step must have ended as the lab meant it to (status 0, or nonzero
for a "step -x"), every marker must have its step in the log and every
step a marker.  --check writes nothing and prints one "PASS|FAIL lab"
line per page; otherwise the pages are rewritten.  Exit 1 on any problem.
"""
import os
import re
import sys


def read_log(path):
    steps, lab_status, cur, buf = {}, {}, None, []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = re.match(r"^@@LAB (\S+) (\S+) (BEGIN|END|FAILED)(.*)$", line)
            if m and m.group(3) == "BEGIN":
                cur, buf = (m.group(1), m.group(2)), []
            elif m and m.group(3) == "END" and cur:
                rc, want = (int(x) for x in m.group(4).split())
                ok = (rc == 0) if want == 0 else (rc != 0)
                steps[cur] = (buf, rc, ok)
                cur = None
            elif m and m.group(3) == "FAILED":
                lab_status[m.group(1)] = line
            elif line.startswith("@@LABS-DONE "):
                lab_status.setdefault(line.split()[1], None)
            elif cur:
                buf.append(line.expandtabs())
    return steps, lab_status


def splice(page, lab, steps, check):
    problems = []
    with open(page) as f:
        lines = f.read().split("\n")
    out, i, seen = [], 0, set()
    while i < len(lines):
        m = re.match(r"^\.\. lab-output: (\S+)\s*$", lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        name = m.group(1)
        seen.add(name)
        out.append(lines[i])
        i += 1
        # skip the old literal block: blank lines, "::", indented lines
        while i < len(lines) and lines[i].strip() in ("", "::"):
            i += 1
        while i < len(lines) and (lines[i].startswith("    ") or lines[i] == ""):
            if lines[i] == "" and i + 1 < len(lines) and not lines[i + 1].startswith("    "):
                break
            i += 1
        if (lab, name) not in steps:
            problems.append("no output in the log for step %s" % name)
            continue
        body, rc, ok = steps[(lab, name)]
        if not ok:
            problems.append("step %s ended with status %d" % (name, rc))
        out += ["", "::", ""] + [("    " + l).rstrip() for l in body] + [""]
    for (l, name) in steps:
        if l == lab and name not in seen:
            problems.append("step %s has no '.. lab-output: %s' in the page" % (name, name))
    if not check and not problems:
        text = "\n".join(out)
        text = re.sub(r"\n{3,}", "\n\n", text)
        with open(page, "w") as f:
            f.write(text if text.endswith("\n") else text + "\n")
    return problems


def main():
    args = sys.argv[1:]
    check = bool(args) and args[0] == "--check"
    if check:
        args = args[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    steps, lab_status = read_log(args[0])
    bad = 0
    for page in args[1:]:
        lab = os.path.splitext(os.path.basename(page))[0]
        problems = []
        if lab_status.get(lab):
            problems.append(lab_status[lab])
        elif lab not in lab_status:
            problems.append("the lab did not run to its end")
        problems += splice(page, lab, steps, check)
        print("%s labs:%s" % ("FAIL" if problems else "PASS", lab))
        for p in problems:
            print("    | " + p)
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
