#!/usr/bin/env python3
"""layers.py - the source tree's shape, checked (make style).

1. Directory layers: who may include whom (LAYERS below). lib/ is the
   userspace layer shrikec and shrike-agent share; compiler/ and agent/ build
   on it and never on each other, except compiler/compiler.h, the compiler's
   one public header for programs that compile rules.
2. No include cycle between modules (a module is x.c with x.h, and x_int.h
   where x is split over several files): a file of module A including B's
   header while B's files include A's is a cycle.
3. No source file over MAX_LINES lines.

Prints file:line: message for each finding; exit 1 if there is any.
"""
import os
import re
import subprocess
import sys

MAX_LINES = 1000

# directory -> directories (or single files) its files may include
KERNEL = ["kmod/uapi", "kmod/common"]
LAYERS = {
    "kmod/uapi": ["kmod/uapi"],
    "kmod/common": KERNEL,
    "kmod/fields": ["kmod"],
    "kmod": ["kmod"],
    "lib": ["lib"] + KERNEL,
    "compiler": ["compiler", "lib"] + KERNEL,
    "agent": ["agent", "lib", "compiler/compiler.h"] + KERNEL,
    "eventgen": ["eventgen"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module(path):
    """x.c and x.h are module x; x_int.h, the header x's own files share
    when x is split over several (x.c, x_plan.c, ...), belongs to x too."""
    base = os.path.splitext(path)[0]
    return base[:-4] if base.endswith("_int") else base


def layer_of(path):
    best = None
    for d in LAYERS:
        if path.startswith(d + "/") and (best is None or len(d) > len(best)):
            best = d
    return best


def allowed(src_layer, target):
    for a in LAYERS[src_layer]:
        if target == a or target.startswith(a + "/"):
            return True
    return False


def main():
    files = subprocess.run(["git", "ls-files", "*.c", "*.h"], capture_output=True, text=True,
                           check=True).stdout.split()
    present = set(files)
    bad = []
    edges = {}
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) > MAX_LINES:
            bad.append(f"{f}:{MAX_LINES + 1}: {len(lines)} lines, over {MAX_LINES}: split it by job")
        layer = layer_of(f)
        mod = module(f)
        for n, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            rel = os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))
            target = rel if rel in present else os.path.normpath(m.group(1))
            if target not in present:
                continue  # a kernel or system header found by the build's -I
            if layer and not allowed(layer, target):
                bad.append(f"{f}:{n}: {layer}/ may not include {target} (layers: {', '.join(LAYERS[layer])})")
            tmod = module(target)
            if tmod != mod and layer:
                edges.setdefault(mod, {}).setdefault(tmod, f"{f}:{n}")
    # Tarjan's strongly connected components over the module graph.
    index, low, stack, on, sccs = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    for comp in sccs:
        where = [edges[a][b] for a in comp for b in edges.get(a, {}) if b in comp]
        bad.append(f"{where[0]}: include cycle between {', '.join(comp)} (via {'; '.join(where)})")
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
