#!/usr/bin/env bash
# profile.sh - make profile: where an event's time goes inside shrike.ko.
# Boots the 6.1 guest once (bench/vm/profile.sh) with shrike.ko's "profile"
# parameter on, runs syscall_bench's getpid, open_read, open_write_etc and fork_exec
# under one rule, the default rules and Falco's stable rules, and prints the
# per-stage and per-field cycle counts (/sys/kernel/debug/shrike/profile)
# with the kernel's counters. Cycles are the guest's TSC: under qemu TCG
# they are emulated time, good for comparing stages, not for absolutes.
#
# Environment: BUILD (default build), BENCH_KERNEL (default: the newest
# installed 6.1 cloud kernel), SCALE (syscall_bench iterations, default 0.2).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$top/$bdir ;; esac
kver=${BENCH_KERNEL:-$(ls /boot | sed -n 's/^vmlinuz-\(6\.1\.0-[0-9]*-cloud-amd64\)$/\1/p' | sort -V | tail -n1)}
out=$bdir/profile
{ [ -n "$kver" ] && [ -f "$bdir/kmod/$kver/shrike.ko" ] && [ -x "$bdir/bin/shrike-agent" ]; } ||
	{ echo "profile: build first: make BUILD=${BUILD:-build} module programs (kernel '$kver')" >&2; exit 1; }
mkdir -p "$out/bin" "$out/root/bench"
gcc -O2 -static -Wall -Wextra -Werror -o "$out/bin/syscall_bench" bench/syscall_bench.c
gcc -O2 -static -nostdlib -Wall -Werror -o "$out/bin/bench-true" bench/true.c
echo "SCALE=${SCALE:-0.2}" >"$out/root/bench/params"
# One rule: a write below /etc.
cat >"$out/root/bench/one_rule.yaml" <<'RULE'
- rule: Write below etc
  desc: a file below /etc opened for writing
  condition: evt.type in (open, openat, openat2) and evt.is_open_write = true and fd.name startswith /etc/
  output: "File below /etc opened for writing (file=%fd.name command=%proc.cmdline)"
  priority: ERROR
RULE
echo "  PROFILE on $kver"
VM_SCENARIO_DIR=bench/vm VM_TIMEOUT=${VM_TIMEOUT:-1800} VM_EXTRA_PROGS="$out/bin/syscall_bench $out/bin/bench-true" \
	VM_EXTRA_ROOT=$out/root BUILD=$bdir bash tests/vm/run.sh "$kver" profile
log=$bdir/vm/$kver/profile.log
grep '^PROFILE' "$log" | sed 's/^PROFILE //'
