#!/usr/bin/env python3
"""check.py - an OCI image archive as make images writes it (tests/images/run.sh).

  check.py ARCHIVE                 prints the diff ids of its layers, one a line
  check.py ARCHIVE PATH...         also checks that each PATH is in a layer
"""
import json
import sys
import tarfile


def member(t, name):
    """The archive's file NAME (written as ./NAME by tar -C DIR .)."""
    for n in (name, "./" + name):
        try:
            return t.extractfile(n)
        except KeyError:
            pass
    sys.exit("%s: no %s" % (t.name, name))


def blob(t, digest):
    return member(t, "blobs/sha256/" + digest.split(":", 1)[1]).read()


def main():
    t = tarfile.open(sys.argv[1])
    index = json.loads(member(t, "index.json").read())
    if len(index["manifests"]) != 1:
        sys.exit("%s: %d manifests, expected 1" % (sys.argv[1], len(index["manifests"])))
    man = json.loads(blob(t, index["manifests"][0]["digest"]))
    cfg = json.loads(blob(t, man["config"]["digest"]))
    for d in cfg["rootfs"]["diff_ids"]:
        print(d)
    want = set(p.lstrip("/") for p in sys.argv[2:])
    for layer in man["layers"]:
        with tarfile.open(fileobj=member(t, "blobs/sha256/" + layer["digest"].split(":", 1)[1]), mode="r|*") as lt:
            for m in lt:
                want.discard(m.name.lstrip("./"))
    if want:
        sys.exit("%s: not in the image: %s" % (sys.argv[1], ", ".join(sorted(want))))
    if cfg["config"].get("Entrypoint") is None:
        sys.exit("%s: no entrypoint" % sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
