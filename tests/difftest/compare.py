#!/usr/bin/env python3
"""compare.py - the host half of the differential test (tests/difftest/run.sh).

  compare.py filters OUT NAME=PATH...
      one line per rule to evaluate with sysdig: NAME<TAB>RULE<TAB>FILTER, the
      rule's condition as shrikec expanded it (OUT/NAME.rules.json, from
      `shrikec list --json`) within NAME's round of the capture (the opens of
      /tmp/difftest-mark.NAME.begin and .end) and without the observers'
      own events (shrike-agent's; sysdig's are not in the capture).
  compare.py report OUT KNOWN NAME=PATH...
      matches, per rule, the events sysdig printed (OUT/sysdig/N.out) with
      shrike-agent's alerts (OUT/guest/NAME.json, with -p's thread.tid,
      evt.type, evt.dir, proc.name, evt.rawtime) by thread id, event type and
      direction, and writes OUT/report.txt: per rule, events matched by both,
      only by libsinsp (Shrike missed them), only by Shrike (false alerts), or
      why the rule is not comparable. A difference is explained when KNOWN
      has a line "NAME|RULE|SIDE|REASON" (SIDE: libsinsp, shrike or any)
      for it; any other difference fails (exit 1).
"""
import collections
import json
import os
import re
import subprocess
import sys

OBSERVERS = ("shrike-agent",)
FIELDS = ("thread.tid", "evt.type", "evt.dir", "proc.name", "evt.rawtime")


def sets_of(args):
    return [a.split("=", 1)[0] for a in args]


def windows(out):
    """NAME -> (begin, end) rawtimes of the round's marker opens."""
    cap = os.path.join(out, "guest", "capture.scap.gz")
    res = subprocess.run(
        ["sysdig", "-r", cap, "-p", "%evt.rawtime %fd.name",
         "evt.dir=< and evt.type in (open, openat, openat2) and fd.name contains /tmp/difftest-mark."],
        capture_output=True, text=True, check=True)
    marks = {}
    for line in res.stdout.splitlines():
        t, _, name = line.partition(" ")
        m = re.search(r"difftest-mark\.([^.]+)\.(begin|end)$", name)
        if m:
            marks.setdefault(m.group(1), {})[m.group(2)] = int(t)
    return {n: (v["begin"], v["end"]) for n, v in marks.items() if "begin" in v and "end" in v}


def rules_of(out, name):
    with open(os.path.join(out, name + ".rules.json")) as f:
        rules = json.load(f)
    return [r for r in rules
            if r["source"] == "syscall" and r["enabled"] and r.get("loaded", True)]


def for_sysdig(cond):
    """The condition as libsinsp 0.29.3's parser takes it. Three gaps of
    that version, none of which changes what the workload's events match:
    it ends a quoted string at an escaped quote or a single quote (both are
    dropped here: only Falco's exception lists of node.js command lines
    have them, and shrikec quotes with double quotes only), reads
    "intersects" as "in" followed by garbage (on the scalar syscall fields
    the rules use it with, intersects is in), and an empty list "()" is one
    empty value (an IP field then refuses it): such a test is false, as
    evt.num = 0 is."""
    cond = cond.replace('\\"', "").replace("'", "")
    cond = re.sub(r"([a-z][a-z0-9_.]*(?:\[[^]]*\])?) (?:in|intersects|pmatch) \(\)", "evt.num = 0", cond)
    return cond.replace(" intersects (", " in (")


def cmd_filters(out, args):
    win = windows(out)
    for name in sets_of(args):
        if name not in win:
            sys.exit("difftest: no round markers for %s in the capture" % name)
        b, e = win[name]
        for r in rules_of(out, name):
            flt = "evt.rawtime >= %d and evt.rawtime <= %d and not proc.name in (%s) and (%s)" % (
                b, e, ", ".join(OBSERVERS), for_sysdig(r["condition"]))
            print("%s\t%s\t%s" % (name, r["name"], flt.replace("\t", " ").replace("\n", " ")))


# Event types this libsinsp names differently: the 2022 driver reports
# dup2 and dup3 as dup (their own event types came later).
TYPE_ALIASES = {"dup2": "dup", "dup3": "dup"}


def undirected(c):
    """(tid, type, dir) counts -> (tid, type) counts."""
    u = collections.Counter()
    for (tid, typ, _), n in c.items():
        u[(tid, typ)] += n
    return u


def libsinsp_events(path):
    c = collections.Counter()
    with open(path, errors="replace") as f:
        for line in f:
            p = line.split()
            if len(p) >= 3:
                c[(p[0], p[1], p[2])] += 1
    return c


def shrike_events(out, name, win):
    per_rule = collections.defaultdict(collections.Counter)
    path = os.path.join(out, "guest", name + ".json")
    b, e = win
    with open(path, errors="replace") as f:
        for line in f:
            try:
                a = json.loads(line)
            except ValueError:
                continue
            of = a.get("output_fields") or {}
            if a.get("source", "syscall") != "syscall" or "thread.tid" not in of:
                continue
            if of.get("proc.name") in OBSERVERS:
                continue
            try:
                t = int(of.get("evt.rawtime"))
            except (TypeError, ValueError):
                t = b
            if t < b or t > e:
                continue
            typ = TYPE_ALIASES.get(str(of["evt.type"]), str(of["evt.type"]))
            key = (str(of["thread.tid"]), typ, str(of["evt.dir"]))
            per_rule[a["rule"]][key] += 1
    return per_rule


def unknown_field(err):
    m = re.search(r"'([a-z0-9_]+\.[a-zA-Z0-9_.]+)'", err) or re.search(r"([a-z0-9_]+\.[a-z0-9_.]+)", err)
    return m.group(1) if m else None


def load_known(path):
    known = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                p = line.split("|", 3)
                if len(p) == 4:
                    known[(p[0], p[1], p[2])] = p[3]
    return known


def cmd_report(out, known_path, args):
    names = sets_of(args)
    win = windows(out)
    known = load_known(known_path)
    shrike = {n: shrike_events(out, n, win[n]) for n in names}
    lines, unexplained = [], []
    totals = collections.Counter()
    with open(os.path.join(out, "filters.tsv")) as f:
        filters = [l.rstrip("\n").split("\t", 2) for l in f]
    seen = collections.defaultdict(set)
    for i, (name, rule, _) in enumerate(filters, 1):
        seen[name].add(rule)
        sd = os.path.join(out, "sysdig", str(i))
        rc = open(sd + ".rc").read().strip()
        err = open(sd + ".err", errors="replace").read().strip()
        s = shrike[name].get(rule, collections.Counter())
        if rc != "0":
            field = unknown_field(err)
            why = err.splitlines()[-1] if err else "sysdig exit " + rc
            lines.append("%s | %s | not comparable: libsinsp 0.29.3 (sysdig) refuses the condition%s: %s | shrike %d" % (
                name, rule, " (field %s)" % field if field else "", why, sum(s.values())))
            totals["not comparable"] += 1
            continue
        l = libsinsp_events(sd + ".out")
        exact = l & s
        # Falco runs a rule with no evt.dir test on both events of a
        # syscall and can alert at entry and again at exit; Shrike
        # evaluates it once, at exit. An entry event of libsinsp's whose
        # exit both sides matched is that second alert, not a miss.
        entry_dup = collections.Counter()
        for (tid, typ, d), n in (l - exact).items():
            if d == ">" and exact.get((tid, typ, "<")):
                entry_dup[(tid, typ, d)] = min(n, exact[(tid, typ, "<")])
        l = l - entry_dup
        totals["entry duplicates"] += sum(entry_dup.values())
        # The same syscall matched at its entry on one side and at its
        # exit on the other: the argument a rule tests is an entry
        # parameter in libsinsp's event table (ptrace's request), while
        # Shrike evaluates at exit with the syscall's arguments.
        ol, os_ = undirected(l - exact), undirected(s - exact)
        other_dir = ol & os_
        both = sum(exact.values()) + sum(other_dir.values())
        only_l = sum((ol - other_dir).values())
        only_s = sum((os_ - other_dir).values())
        totals["other direction"] += sum(other_dir.values())
        l, s = ol - other_dir, os_ - other_dir
        totals["rules"] += 1
        totals["both"] += both
        totals["only libsinsp"] += only_l
        totals["only shrike"] += only_s
        status = "same"
        notes = []
        for side, n, diff in (("libsinsp", only_l, l), ("shrike", only_s, s)):
            if not n:
                continue
            reason = known.get((name, rule, side)) or known.get((name, rule, "any"))
            sample = ", ".join(" ".join(k) for k in list(diff)[:3])
            if reason:
                notes.append("only %s %d, explained: %s (e.g. %s)" % (side, n, reason, sample))
                totals["explained " + side] += n
            else:
                notes.append("only %s %d, UNEXPLAINED (e.g. %s)" % (side, n, sample))
                unexplained.append((name, rule, side, n, sample))
        if notes:
            status = "; ".join(notes)
        lines.append("%s | %s | both %d (%d at the other direction), Falco's second alert at entry %d, only libsinsp %d, only shrike %d | %s" % (
            name, rule, both, sum(other_dir.values()), sum(entry_dup.values()), only_l, only_s, status))
    # Alerts for rules no filter was made for (should not happen).
    for name in names:
        for rule in shrike[name]:
            if rule not in seen[name]:
                unexplained.append((name, rule, "shrike", sum(shrike[name][rule].values()), "rule not in the filters"))
    report = os.path.join(out, "report.txt")
    with open(report, "w") as f:
        f.write("# Shrike vs libsinsp 0.29.3 (sysdig) on one capture: per rule, events by\n")
        f.write("# (thread, type, direction): file | rule | counts | differences\n")
        f.write("\n".join(lines) + "\n")
        f.write("# totals: %s\n" % ", ".join("%s %d" % kv for kv in sorted(totals.items())))
    print("difftest: %d rules compared, %d not comparable; events: both %d (%d at the other direction; %d more alerts at entry by Falco), only libsinsp %d (explained %d), only shrike %d (explained %d)" % (
        totals["rules"], totals["not comparable"], totals["both"], totals["other direction"], totals["entry duplicates"], totals["only libsinsp"],
        totals["explained libsinsp"], totals["only shrike"], totals["explained shrike"]))
    print("difftest: report in %s" % report)
    for u in unexplained:
        print("difftest: UNEXPLAINED: %s | %s | only %s %d (e.g. %s)" % u)
    return 1 if unexplained else 0


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, out = sys.argv[1], sys.argv[2]
    if cmd == "filters":
        cmd_filters(out, sys.argv[3:])
        return 0
    if cmd == "report":
        return cmd_report(out, sys.argv[3], sys.argv[4:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
