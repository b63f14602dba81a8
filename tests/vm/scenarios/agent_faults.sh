# shellcheck shell=sh
# agent_faults: the agent's link to shrike.ko under faults, with real
# syscalls a rule matches (each ': >FILE' of a generator loop is one openat):
#   - SIGKILL, as an OOM kill would: the kernel keeps its table and counts
#     every matching event no agent receives (no_receiver); the agent
#     started again (as systemd would) subscribes, loads its table, and
#     reports exactly that gap: a log line and Falco's drop alert with
#     n_drops_no_receiver;
#   - SIGHUP with changed rules while events flow: a rule in both versions
#     loses no alert (alerts = events generated, the kernel's drops counted);
#     the rule the new version adds fires, the one it removes no more;
#   - rmmod under the running agent: it says so, keeps running, and once
#     the module is back reloads its table and alerts again.
# vm: timeout=400
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

T=/tmp/shrike-agent-faults
mkdir -p $T
rule() { # rule NAME FILE: a rule for openat of FILE
	printf -- '- rule: %s\n  desc: d\n  condition: evt.type = openat and fd.name = %s\n  output: %s (file=%%fd.name)\n  priority: WARNING\n' "$1" "$2" "$1"
}
{ rule "Kept rule" $T/kept; rule "Old rule" $T/old; } >$T/v1.yaml
{ rule "Kept rule" $T/kept; rule "New rule" $T/new; } >$T/v2.yaml
cp $T/v1.yaml $T/rules.yaml
# gen FILE N: N openat of FILE, one process.
gen() {
	i=0
	while [ $i -lt "$2" ]; do
		: >"$1"
		i=$((i + 1))
	done
}
count() { grep -c "$1" $T/alerts.out || true; }
stat_of() { shrike-agent --stats | sed -n "s/^ *$1[: ]* \([0-9]*\).*/\1/p"; }
start() {
	shrike-agent -r $T/rules.yaml -o json_output=true -o syslog_output.enabled=false \
		>>$T/alerts.out 2>>$T/agent.err &
	agent=$!
}
trap 'echo "-- agent stderr:"; cat $T/agent.err' EXIT

insmod /lib/modules/shrike.ko
rm -rf /run/shrike
: >$T/alerts.out
: >$T/agent.err
start
wait_for "agent ready" 30 grep -q 'waiting for events' $T/agent.err
gen $T/kept 100
wait_for "100 alerts" 30 sh -c "[ \$(grep -c '\"rule\":\"Kept rule\"' $T/alerts.out) -ge 100 ]"
expect_eq "no gap reported by the first agent" 0 "$(grep -c 'while no agent' $T/agent.err || true)"

echo "== SIGKILL, 300 events without an agent, restart"
kill -9 $agent
wait $agent 2>/dev/null || true
before=$(stat_of drops_no_receiver)
gen $T/kept 300
after=$(stat_of drops_no_receiver)
expect_eq "the kernel counted every event without a receiver" 300 $((after - before))
start
wait_for "agent ready again" 30 sh -c "grep -c 'waiting for events' $T/agent.err | grep -q 2"
expect_eq "gap logged" 1 "$(grep -c '300 system calls dropped while no agent was receiving' $T/agent.err)"
wait_for "the drop alert" 10 grep -q '"n_drops_no_receiver":300' $T/alerts.out
expect_eq "Kept rule alerts (the 300 are the gap)" 100 "$(count '"rule":"Kept rule"')"

echo "== SIGHUP with changed rules while events flow"
drops0=$(($(stat_of drops_buffer_full) + $(stat_of drops_receiver_full)))
gen $T/kept 20000 &
g=$!
# The reload lands in the middle of the stream: 1,000 of its alerts in.
wait_for "alerts flowing" 60 sh -c "[ \$(grep -c '\"rule\":\"Kept rule\"' $T/alerts.out) -ge 1100 ]"
cp $T/v2.yaml $T/rules.yaml
kill -HUP $agent
kill -0 $g 2>/dev/null || fail "the generator ended before the reload"
wait_for "reloaded" 30 grep -q 'table [0-9a-f]* loaded$' $T/agent.err
kill -0 $g 2>/dev/null || fail "the generator ended before the new table was in"
wait $g
drops=$(($(stat_of drops_buffer_full) + $(stat_of drops_receiver_full) - drops0))
wait_for "alerts of the kept rule" 60 sh -c "[ \$(grep -c '\"rule\":\"Kept rule\"' $T/alerts.out) -ge $((20100 - drops)) ]"
sleep 1
expect_eq "Kept rule: alerts + kernel drops = events" 20100 $(($(count '"rule":"Kept rule"') + drops))
echo "kernel drops during the reload: $drops"
gen $T/new 5
gen $T/old 5
wait_for "New rule alerts" 30 sh -c "[ \$(grep -c '\"rule\":\"New rule\"' $T/alerts.out) -ge 5 ]"
sleep 1
expect_eq "New rule alerts" 5 "$(count '"rule":"New rule"')"
expect_eq "Old rule alerts after the reload" 0 "$(count '"rule":"Old rule"')"

echo "== rmmod under the running agent, then insmod"
rmmod shrike
wait_for "the agent says the module is gone" 10 grep -q 'shrike.ko was removed' $T/agent.err
kill -0 $agent || fail "the agent exited"
insmod /lib/modules/shrike.ko
wait_for "the agent is back" 10 grep -q 'shrike.ko is back: table [0-9a-f]* loaded' $T/agent.err
gen $T/kept 50
wait_for "alerts again" 30 sh -c "[ \$(grep -c '\"rule\":\"Kept rule\"' $T/alerts.out) -ge $((20100 - drops + 50)) ]"
kill $agent
wait $agent || true
trap - EXIT
echo "agent_faults: done"
