#!/usr/bin/env python3
"""gen_sysdig.py RULES.yaml > NAME.sysdig - the sysdig filter equivalent to a
Falco rules file: lists and macros expanded, the syscall rules' conditions
or-ed. sysdig 0.29 (2022) lacks some fields newer rules use: each rule is
compiled alone by `sysdig -r` and one it rejects is left out, listed on
stderr (and so the comparison is slightly in sysdig's favour)."""
import re
import subprocess
import sys

import yaml

items = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
lists, macros, rules = {}, {}, []
for it in items:
    if "list" in it:
        lists[it["list"]] = it["items"]
    elif "macro" in it:
        macros[it["macro"]] = it["condition"]
    elif "rule" in it and it.get("source", "syscall") == "syscall" and it.get("enabled", "true") != "false":
        rules.append((it["rule"], it["condition"]))


def quote(v):
    return v if re.fullmatch(r"[\w./:*-]+", v) else '"%s"' % v.replace('"', '\\"')


def expand(cond):
    for _ in range(10):
        new = re.sub(r"\(([^()]*)\)", lambda m: "(" + ", ".join(
            ", ".join(quote(x) for x in lists[t.strip()]) if t.strip() in lists else t.strip()
            for t in m.group(1).split(",")) + ")" if any(t.strip() in lists for t in m.group(1).split(",")) else m.group(0), cond)
        new = re.sub(r"(?<![\w.])([a-z_][\w]*)(?![\w.])", lambda m: "(" + macros[m.group(1)] + ")"
                     if m.group(1) in macros else m.group(0), new)
        if new == cond:
            break
        cond = new
    return " ".join(cond.split())


kept = []
for name, cond in rules:
    c = expand(cond)
    r = subprocess.run(["sysdig", "-r", "/nonexistent.scap", c], capture_output=True, text=True)
    if "filter error" in r.stdout + r.stderr:
        print("left out %r: %s" % (name, (r.stdout + r.stderr).strip().splitlines()[0]), file=sys.stderr)
        continue
    kept.append("(" + c + ")")
print(" or ".join(kept))
