# shellcheck shell=sh
# drops: where losses start, and that each is counted by its cause. With the
# smallest per-CPU buffer (alert_buffer_kb=16) and the agent stopped
# (SIGSTOP) while a generator opens a file a rule matches 30,000 times
# (more than its 16 MiB socket buffer holds: about 14,000), the kernel drops
# events (its buffers full: buffer_full or receiver_full); then:
#   events generated == alerts + drops the kernel counted, exactly;
#   shrike-agent --stats and /metrics give the same counts by cause;
#   one drop alert (Falco's "syscall event drop", n_drops > 0) comes out.
# And on the agent's side, with 20,000 more events and the agent running: a
# program output that never reads loses alerts once its queue (16,384, the
# default) is full, each counted in /metrics, while stdout keeps every one;
# and it does not hold the agent's exit.
# vm: timeout=400
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

T=/tmp/shrike-drops
mkdir -p $T
printf -- '- rule: Drop target opened\n  desc: d\n  condition: evt.type = openat and fd.name = %s/target\n  output: drop target opened (file=%%fd.name)\n  priority: WARNING\n' $T >$T/rules.yaml
gen() {
	i=0
	while [ $i -lt "$1" ]; do
		: >$T/target
		i=$((i + 1))
	done
}
stat_of() { shrike-agent --stats | sed -n "s/^$1: \([0-9]*\)$/\1/p"; }
metric() { sed -n "s/^$1 //p" $T/metrics; }
alerts() { grep -c 'drop target opened' $T/alerts.out || true; }

insmod /lib/modules/shrike.ko alert_buffer_kb=16
shrike-agent -r $T/rules.yaml -o syslog_output.enabled=false \
	-o program_output.enabled=true -o 'program_output.program=exec sleep 3600' \
	-o program_output.keep_alive=true >$T/alerts.out 2>$T/agent.err &
agent=$!
trap 'echo "-- agent stderr:"; cat $T/agent.err' EXIT
wait_for "agent ready" 30 grep -q 'waiting for events' $T/agent.err

kill -STOP $agent
gen 30000
kill -CONT $agent
full=$(($(stat_of drops_buffer_full) + $(stat_of drops_receiver_full)))
echo "kernel drops: buffer_full $(stat_of drops_buffer_full), receiver_full $(stat_of drops_receiver_full)"
[ "$full" -gt 0 ] || fail "no drops: the buffers held everything"
expect_eq "no drops for another cause" "0 0 0" \
	"$(stat_of drops_no_receiver) $(stat_of drops_scratch) $(stat_of drops_task_table)"
wait_for "every alert not dropped" 120 sh -c "[ \$(grep -c 'drop target opened' $T/alerts.out) -ge $((30000 - full)) ]"
sleep 1
expect_eq "alerts + kernel drops = events" 30000 $(($(alerts) + full))

gen 20000
full=$(($(stat_of drops_buffer_full) + $(stat_of drops_receiver_full)))
wait_for "the next 20,000 alerts" 120 sh -c "[ \$(grep -c 'drop target opened' $T/alerts.out) -ge $((50000 - full)) ]"
sleep 1
expect_eq "alerts + kernel drops = events, with 20,000 more" 50000 $(($(alerts) + full))
sleep 2 # a stats tick: the agent's copy of the kernel counters
wget -q -O $T/metrics http://127.0.0.1:8765/metrics
expect_eq "/metrics buffer_full as --stats" "$(stat_of drops_buffer_full)" \
	"$(metric 'shrike_kernel_drops_total{cause="buffer_full"}')"
expect_eq "/metrics receiver_full as --stats" "$(stat_of drops_receiver_full)" \
	"$(metric 'shrike_kernel_drops_total{cause="receiver_full"}')"
expect_eq "one drop alert" 1 "$(grep -c 'Falco internal: syscall event drop. [1-9][0-9]* system calls dropped in last second' $T/alerts.out)"

# The program output: its queue of 16,384 overflowed, each loss counted;
# stdout lost nothing.
sent=$(metric 'shrike_output_sent_total{output="program"}')
lost=$(metric 'shrike_output_drops_total{output="program"}')
depth=$(metric 'shrike_output_queue_depth{output="program"}')
failed=$(metric 'shrike_output_failures_total{output="program"}')
echo "program output: sent $sent, dropped $lost, failed $failed, queued $depth"
[ "$lost" -gt 0 ] || fail "the slow program output lost nothing"
expect_eq "program output: sent + dropped + failed + queued = stdout's" \
	"$(metric 'shrike_output_sent_total{output="stdout"}')" $((sent + lost + failed + depth))
expect_eq "stdout dropped" 0 "$(metric 'shrike_output_drops_total{output="stdout"}')"
# SIGTERM: the agent exits, though its program output is stuck in a write
# (3 s to drain the queues, 1 s more for the stuck thread), and says so.
kill $agent
wait_for "the agent's exit" 10 sh -c "! kill -0 $agent"
wait $agent || true
grep -q '^shrike-agent: program output: still writing at exit' $T/agent.err ||
	fail "the stuck program output not reported"
trap - EXIT
echo "drops: done"
