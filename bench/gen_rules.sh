#!/usr/bin/env bash
# gen_rules.sh N - writes on stdout a rule file of N rules for the rule-count
# sweep of make bench: bench/rules/one_rule.yaml (write below /etc, which the
# bench's readiness check needs) and N-1 synthetic rules that never match the
# measured syscalls. Every second one is on openat, the measured syscall, but
# for another path (fd.name startswith /var/lib/synthI/); the others are on
# other syscalls (mkdir, unlink, rename, execve), so that a flat cost in N
# means the kernel's work does not grow with the rules of the event type.
set -eu
n=${1:?usage: gen_rules.sh N}
case $n in '' | *[!0-9]* | 0) echo "gen_rules.sh: N must be a positive number" >&2; exit 1 ;; esac
cat "$(dirname "$0")/rules/one_rule.yaml"
awk -v n="$n" 'BEGIN {
	for (i = 1; i < n; i++) {
		k = i % 8
		if (k % 2) cond = "evt.type in (open, openat, openat2) and fd.name startswith /var/lib/synth" i "/"
		else if (k == 0) cond = "evt.type in (mkdir, mkdirat) and fs.path.name = /synth" i
		else if (k == 2) cond = "evt.type in (unlink, unlinkat) and fs.path.name = /var/synth" i
		else if (k == 4) cond = "evt.type in (rename, renameat, renameat2) and fs.path.target = /var/synth" i
		else cond = "evt.type = execve and evt.rawres = 0 and proc.name = synth" i
		printf "\n- rule: Synthetic %d\n  desc: never matches the benchmark\n", i
		printf "  condition: %s\n", cond
		printf "  output: synthetic %d (file=%%fd.name command=%%proc.cmdline)\n  priority: NOTICE\n", i
		printf "  tags: [bench]\n"
	}
}'
