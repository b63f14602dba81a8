# alerts: real syscalls become Falco alerts end to end: the agent compiles
# the rules, loads them, and prints what the kernel sends up; a kernel-decided
# rule, a rule finished by the agent stage (user.name), and silence for
# events no rule matches.
. ./lib.sh

insmod /lib/modules/shrike.ko
shrike-agent -r rules/alerts.yaml >/tmp/alerts.out 2>/tmp/agent.err &
agent=$!
wait_for "agent ready" 10 grep -q 'waiting for events' /tmp/agent.err

# A real execve (busybox would run a bare "touch" inside this shell).
/bin/busybox touch /etc/shrike-test-file
as_user cat /etc/shadow 2>/dev/null || true
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
rmmod shrike
echo "alerts: done"
