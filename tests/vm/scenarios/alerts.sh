# shellcheck shell=sh
# alerts: real syscalls become Falco alerts end to end: the agent compiles
# the rules, loads them, and prints what the kernel sends up; a kernel-decided
# rule, a rule finished by the agent stage (user.name), and silence for
# events no rule matches.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
shrike-agent -r rules/alerts.yaml >/tmp/alerts.out 2>/tmp/agent.err &
agent=$!
wait_for "agent ready" 10 grep -q 'waiting for events' /tmp/agent.err

# A real execve (busybox would run a bare "touch" inside this shell).
/bin/busybox touch /etc/shrike-test-file
# /bin/cat: a bare "cat" in busybox sh is re-executed as /proc/self/exe,
# which Falco names "exe" (its comm at the exec).
as_user /bin/cat /etc/shadow 2>/dev/null || true
echo shrike-vm >/tmp/hostname-copy; cat /etc/passwd >/dev/null
cat /etc/shadow >/dev/null

wait_for "two alerts" 10 lines_ge /tmp/alerts.out 2
sleep 1
kill $agent
wait $agent || true
cat /tmp/agent.err
# Drop the time: everything after it must match exactly.
cut -d' ' -f2- /tmp/alerts.out >/tmp/alerts.txt
cat /tmp/alerts.txt
expect_eq "alerts" "Error File below /etc opened for writing (user=root command=busybox touch /etc/shrike-test-file file=/etc/shrike-test-file)
Warning Shadow read attempt (user=user uid=1000 command=cat /etc/shadow res=EACCES)" "$(cat /tmp/alerts.txt)"
shrike-agent --stats

# One event, 40 matching rules, every match wanted: an alert names at most
# 32 (SHRIKE_ALERT_RULES_MAX); the other 8 are counted, not lost silently.
: >/tmp/cap.yaml
for i in $(seq 1 40); do
	printf -- '- rule: R%02d\n  desc: d\n  condition: evt.type=openat and fd.name=/tmp/cap-test\n  output: R%02d\n  priority: NOTICE\n' "$i" "$i" >>/tmp/cap.yaml
done
: >/tmp/cap-test
shrike-agent -r /tmp/cap.yaml -o rule_matching=all >/tmp/cap.out 2>/tmp/agent.err &
agent=$!
wait_for "agent ready" 10 grep -q 'waiting for events' /tmp/agent.err
cat /tmp/cap-test
wait_for "32 alerts" 10 lines_ge /tmp/cap.out 32
wait_for "the drop alert" 10 grep -q 'syscall event drop' /tmp/cap.out
sleep 1
kill $agent
wait $agent || true
expect_eq "alerts of 40 matching rules" "$(for i in $(seq 1 32); do printf 'R%02d\n' "$i"; done)" \
	"$(cut -d' ' -f3- /tmp/cap.out | grep '^R')"
expect_eq "the drop alert" "Debug Falco internal: syscall event drop. 8 system calls dropped in last second." \
	"$(grep 'syscall event drop' /tmp/cap.out | cut -d' ' -f2-)"
expect_eq "rules left out, counted" "drops_rule_cap: 8" "$(shrike-agent --stats | grep rule_cap)"
rmmod shrike
echo "alerts: done"
