#!/usr/bin/env bash
# gen_rules.sh N [KIND] - writes on stdout a rule file of N rules for the
# rule-count sweep of make bench: bench/rules/one_rule.yaml (write below /etc,
# which the bench's readiness check needs) and N-1 synthetic rules that never
# match the measured syscalls (getpid, openat+close of /tmp/bench-file). KIND:
#   mixed   (default) every second rule on openat for another path
#           (fd.name startswith /var/lib/synthI/), the others on mkdir,
#           unlink, rename and execve in turn
#   openat  all on openat, each for another path
#   other   all on other syscalls (mkdir, unlink, rename, execve)
# A cost that grows with "other" rules means the kernel's work on an openat
# is not confined to the rules of its event type; one that grows with
# "openat" rules, that the rules of one event type are tried one by one.
set -eu
n=${1:?usage: gen_rules.sh N [mixed|openat|other]}
kind=${2:-mixed}
case $n in '' | *[!0-9]* | 0) echo "gen_rules.sh: N must be a positive number" >&2; exit 1 ;; esac
case $kind in mixed | openat | other) ;; *) echo "gen_rules.sh: KIND is mixed, openat or other" >&2; exit 1 ;; esac
cat "$(dirname "$0")/rules/one_rule.yaml"
awk -v n="$n" -v kind="$kind" 'BEGIN {
	for (i = 1; i < n; i++) {
		if (kind == "openat" || (kind == "mixed" && i % 2)) k = -1
		else k = (kind == "mixed" ? i / 2 : i) % 4
		if (k == -1) cond = "evt.type in (open, openat, openat2) and fd.name startswith /var/lib/synth" i "/"
		else if (k == 0) cond = "evt.type in (mkdir, mkdirat) and fs.path.name = /synth" i
		else if (k == 1) cond = "evt.type in (unlink, unlinkat) and fs.path.name = /var/synth" i
		else if (k == 2) cond = "evt.type in (rename, renameat, renameat2) and fs.path.target = /var/synth" i
		else cond = "evt.type = execve and evt.rawres = 0 and proc.name = synth" i
		printf "\n- rule: Synthetic %d\n  desc: never matches the benchmark\n", i
		printf "  condition: %s\n", cond
		printf "  output: synthetic %d (file=%%fd.name command=%%proc.cmdline)\n  priority: NOTICE\n", i
		printf "  tags: [bench]\n"
	}
}'
