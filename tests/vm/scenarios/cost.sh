# shellcheck shell=sh
# cost: evaluation work is bounded in the kernel (issue 15, item 5), on a
# 4,000-byte path any user can open. contains is linear (Two-Way) and decided
# in the kernel; a glob whose backtracking would cost about a million steps
# runs out of the event's work budget (SHRIKE_EVAL_BUDGET) and goes up
# UNKNOWN, and the agent, without a budget, decides it: the alert is right
# both ways, and the kernel log has no stall. A glob with an unclosed '['
# (a literal '[', written "[[]" by shrikec) is decided in the kernel too.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

a() { printf "%${1}s" | tr ' ' a; }
insmod /lib/modules/shrike.ko

# 15 directories of 255 bytes under /tmp/c: paths of about 4,000 bytes.
dir=/tmp/c
for i in $(seq 1 15); do dir=$dir/$(a 255); done
mkdir -p "$dir"
f1=$dir/$(a 120)b
f2=$dir/$(a 121)
f3=$dir/x[$(a 119)
for f in "$f1" "$f2" "$f3"; do : >"$f"; done
echo "path lengths: ${#f1} ${#f2} ${#f3}"
[ ${#f1} -ge 3960 ] || fail "path only ${#f1} bytes"

cat >/tmp/cost.yaml <<YAML
- rule: Cost contains
  desc: an 890-byte pattern of runs of a on a 4,000-byte path of such runs (naive search ~10^6 compares), linear
  condition: evt.type in (open, openat) and fd.name contains "$(a 255)/$(a 255)/$(a 255)/$(a 120)b"
  output: contains matched (proc=%proc.name)
  priority: NOTICE
- rule: Cost unclosed bracket
  desc: fnmatch takes an unclosed '[' literally
  condition: evt.type in (open, openat) and fd.name glob "*/x[$(a 119)"
  output: unclosed bracket matched (proc=%proc.name)
  priority: NOTICE
- rule: Cost glob
  desc: backtracking from every position of the path, ~120 steps each
  condition: evt.type in (open, openat) and fd.name glob "*$(a 119)b"
  output: glob matched (proc=%proc.name)
  priority: NOTICE
YAML
shrikec explain "Cost unclosed bracket" /tmp/cost.yaml | grep 'test fd.name glob' | sed 's/aaa*/A/'

agent_start /tmp/cost.yaml
for f in "$f1" "$f2" "$f3"; do /bin/busybox cat "$f"; done
agent_drain "three alerts" 3 /tmp/agent.out "$agent_pid"
expect_eq "alerts" "Notice contains matched (proc=busybox)
Notice glob matched (proc=busybox)
Notice unclosed bracket matched (proc=busybox)" "$(cat /tmp/alerts.txt)"
shrike-agent --stats
# The glob ran out of budget on each of the three long paths, and nowhere
# else (the other opens here have short paths).
expect_eq "events over budget" "eval_budget: 3" "$(shrike-agent --stats | grep '^eval_budget:')"
rmmod shrike
echo "cost: done"
