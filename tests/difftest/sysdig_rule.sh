#!/bin/sh
# sysdig_rule.sh OUT N - one rule on the capture (tests/difftest/run.sh):
# OUT/sysdig/N.filter's third tab-separated field is the filter; sysdig's
# events go to N.out, its errors to N.err, its exit code to N.rc.
out=$1 n=$2
f=$(cut -f3- "$out/sysdig/$n.filter")
sysdig -r "$out/guest/capture.scap.gz" -p "%thread.tid %evt.type %evt.dir %proc.name %evt.rawtime" "$f" \
	>"$out/sysdig/$n.out" 2>"$out/sysdig/$n.err"
echo $? >"$out/sysdig/$n.rc"
