#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise one iscsi-test-cu run (CUnit verbose output on stdin).

Prints "FAMILY: N tests, P passed, F failed, S skipped" and then one line
per failed or skipped test, with the first assertion or skip reason.
Exits 1 if a test failed, if CUnit's own count disagrees with ours, or if
nothing ran; 0 otherwise. A libiscsi test that skips calls CU_PASS after
logging "[SKIPPED] why", so a skip is a pass whose output says so.

    cu-summary.py FAMILY [MEMBERS] < run.log

With MEMBERS, a file of FAMILY's tests as "iscsi-test-cu --list" names
them (FAMILY.SUITE.TEST), the run is one of a family that holds them all
(ALL holds SCSI, iSCSI and LINUX: the same tests, in the same suites):
only those tests are counted, and each must have run.
"""
import re
import sys

family = sys.argv[1] if len(sys.argv) > 1 else "?"
members = None
if len(sys.argv) > 2:
    with open(sys.argv[2]) as f:
        members = [line.strip().split(".", 1)[1] for line in f
                   if line.count(".") == 2]
test_re = re.compile(r"^  Test: (\S+) \.\.\.(.*)$")
suite_re = re.compile(r"^Suite: (\S+)")
summary_re = re.compile(r"^\s+tests\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)")

results = []        # [suite.test, verdict, detail]
suite = "?"
cur = None
cu_total = None
for line in sys.stdin:
    line = line.rstrip("\n")
    m = suite_re.match(line)
    if m:
        suite = m.group(1)
        cur = None
        continue
    m = test_re.match(line)
    if m:
        cur = [suite + "." + m.group(1), None, ""]
        results.append(cur)
        line = m.group(2)
    m = summary_re.match(line)
    if m:
        cu_total = tuple(int(x) for x in m.groups())
        cur = None
        continue
    if cur is None:
        continue
    if cur[1] is None:
        # CUnit prints the verdict where the test's own logging stopped,
        # and suite cleanup may log on the same line after it.
        v = re.match(r"^(passed|FAILED)", line)
        text = line if v is None else ""
        if "[SKIPPED]" in text and not cur[2]:
            cur[2] = text.strip()
        if v and v.group(1) == "passed":
            cur[1] = "skip" if "[SKIPPED]" in cur[2] else "pass"
        elif v:
            cur[1] = "fail"
            cur[2] = ""
    elif cur[1] == "fail" and not cur[2] and re.match(r"^\s+\d+\. ", line):
        cur[2] = line.split("    [")[0].strip()

if members is not None:
    ran = {r[0]: r for r in results}
    missing = [m for m in members if m not in ran]
    results = [ran[m] for m in members if m in ran]
    for m in missing:
        results.append([m, None, "not in the run"])

counts = {v: sum(1 for r in results if r[1] == v)
          for v in ("pass", "fail", "skip", None)}
print(f"{family}: {len(results)} tests, {counts['pass']} passed, "
      f"{counts['fail']} failed, {counts['skip']} skipped"
      + (f", {counts[None]} unfinished" if counts[None] else ""))
for name, verdict, detail in results:
    if verdict != "pass":
        print(f"  {verdict or 'unfinished'}: {family}.{name}: {detail}")

ok = bool(results) and not counts["fail"] and not counts[None]
if cu_total is None:
    print(f"{family}: no CUnit summary (did iscsi-test-cu crash?)")
    ok = False
elif members is not None:
    pass    # CUnit counted the whole run, checked on its own summary
elif cu_total[1] != len(results) or cu_total[3] != counts["fail"]:
    print(f"{family}: CUnit counted ran={cu_total[1]} failed={cu_total[3]}")
    ok = False
sys.exit(0 if ok else 1)
