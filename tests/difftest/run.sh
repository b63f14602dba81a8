#!/usr/bin/env bash
# run.sh - make difftest: Shrike against libsinsp, Falco's own filter engine,
# on the same live events (issue 16). One boot of the 6.1 guest (Debian's
# 2022 Falco driver builds for 6.1 only) runs tests/difftest/vm/difftest.sh:
# scap.ko records a capture with sysdig 0.29.3 while shrike.ko + shrike-agent
# alert on each rules file in turn over the same workload. Back on the host,
# sysdig evaluates each rule's condition, expanded by shrikec (`list
# --json`), on the capture within that file's round, and compare.py matches
# the two sides' events per rule and writes the report.
#
# Rules files: Falco 0.31's and Falco's current stable rules (beside the
# checkout in ../shared/falco; left out when missing) and the default rules.
# Differences are explained in tests/difftest/known.txt (rule, side, reason)
# or fail the test. Environment: BUILD, DIFF_KERNEL (default: the newest
# installed 6.1 cloud kernel with headers), DIFF_JOBS (sysdig passes at once,
# default the number of CPUs).
set -eu
cd "$(dirname "$0")/../.."
top=$PWD
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$top/$bdir ;; esac
. tests/kernels/lib.sh
kver=${DIFF_KERNEL:-}
[ -n "$kver" ] || kver=$(kernels_list | grep '^6\.1\.' | sort -V | tail -n1)
[ -n "$kver" ] || { echo "difftest: no 6.1 kernel (tests/kernels/lib.sh): run make deps" >&2; exit 1; }
{ [ -f "$bdir/kmod/$kver/shrike.ko" ] && [ -x "$bdir/bin/shrike-agent" ]; } ||
	{ echo "difftest: build first: make BUILD=${BUILD:-build} module programs" >&2; exit 1; }
out=$bdir/difftest
BUILD=$bdir bash bench/deps.sh
command -v python3 >/dev/null || { echo "difftest: needs python3 (make deps)" >&2; exit 1; }
scap=$(scap_build "$kver" "$bdir")

rm -rf "$out/root" "$out/guest" "$out/sysdig"
# (the guest directory is unpacked again from disk.img below)
mkdir -p "$out/root/lib/modules" "$out/root/difftest/rules" "$out/guest" "$out/sysdig"
cp "$scap" "$out/root/lib/modules/"
sets=""
add_set() {
	[ -f "$2" ] || { echo "difftest: $2 missing: rules file $1 left out" >&2; return 0; }
	cp "$2" "$out/root/difftest/rules/$1.yaml"
	sets="$sets $1=/difftest/rules/$1.yaml"
	"$bdir/bin/shrikec" list --json "$2" >"$out/$1.rules.json"
}
add_set shrike rules/shrike_rules.yaml
add_set falco031 "$top/../shared/falco/falco_rules.0.31.0.yaml"
add_set falco "$top/../shared/falco/falco_rules.yaml"
echo "$sets" >"$out/root/difftest/rulesets"

# The guest's results come back on a raw disk, as a tar archive.
# DIFF_REUSE=1: the last run's capture and alerts (to work on the host half).
if [ -z "${DIFF_REUSE:-}" ]; then
	rm -f "$out/disk.img"
	truncate -s 1G "$out/disk.img"
	echo "  DIFF    workload in a $kver guest with scap.ko and shrike.ko"
	VM_SCENARIO_DIR=tests/difftest/vm VM_TIMEOUT=${VM_TIMEOUT:-1500} VM_DISK=$out/disk.img \
		VM_EXTRA_PROGS="$(command -v sysdig)" VM_EXTRA_ROOT=$out/root BUILD=$bdir \
		bash tests/vm/run.sh "$kver" difftest
fi
tar xf "$out/disk.img" -C "$out/guest"

# sysdig on the capture, each rule's condition within its file's round.
# FILE<TAB>RULE<TAB>FILTER lines; sysdig prints the matching events.
echo "  DIFF    sysdig: each rule on the capture"
# shellcheck disable=SC2086 # a rules file per word
python3 tests/difftest/compare.py filters "$out" $sets >"$out/filters.tsv"
i=0
while IFS= read -r line; do
	i=$((i + 1))
	printf '%s\n' "$line" >"$out/sysdig/$i.filter"
done <"$out/filters.tsv"
# In a private mount namespace with the guest's /etc/hosts (rules compare
# fd.sip.name with names libsinsp resolves when it compiles the filter) and
# a resolver that fails at once (no network in tests).
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$out/resolv.conf"
# shellcheck disable=SC2016 # expanded by the inner sh
unshare --mount --propagation private sh -ec '
	mount --bind "$1/guest/hosts" /etc/hosts
	mount --bind "$1/resolv.conf" /etc/resolv.conf
	seq 1 "$2" | xargs -P "$3" -I{} sh tests/difftest/sysdig_rule.sh "$1" {}' \
	sh "$out" "$i" "${DIFF_JOBS:-$(nproc)}"
# shellcheck disable=SC2086 # a rules file per word
python3 tests/difftest/compare.py report "$out" tests/difftest/known.txt $sets
