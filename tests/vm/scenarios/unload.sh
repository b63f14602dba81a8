# shellcheck shell=sh
# unload: rmmod is safe at any moment: with the agent subscribed, events
# being generated and drained, tables being replaced, and a load
# transaction open; several times over, at different points. The module
# must go (nothing pins it but LOCK), the kernel log stay clean, and it
# must load and work again afterwards.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

T=/tmp/shrike-unload
mkdir -p $T
printf -- '- rule: Unload target opened\n  desc: the generators'"'"' file\n  condition: evt.type = openat and fd.name = %s/target\n  output: unload target opened (file=%%fd.name)\n  priority: WARNING\n' $T >$T/rules.yaml
shrikec compile $T/rules.yaml -o $T/a.tbl
shrikec compile --rule-matching all $T/rules.yaml -o $T/b.tbl

gen() {
	while [ ! -e $T/stop ]; do
		: >$T/target
	done
}

# Replaces the table until the family is gone.
reloader() {
	while shrike-agent --load-table $T/a.tbl >/dev/null 2>&1 &&
		shrike-agent --load-table $T/b.tbl >/dev/null 2>&1; do
		:
	done
}

round=1
while [ $round -le 6 ]; do
	rm -f $T/stop $T/hold.in
	insmod /lib/modules/shrike.ko
	shrike-agent -r $T/rules.yaml >$T/alerts.out 2>$T/agent.err &
	agent=$!
	wait_for "agent ready" 30 grep -q 'waiting for events' $T/agent.err
	gen &
	g1=$!
	gen &
	g2=$!
	# Odd rounds also reload all the time; even ones hold a transaction.
	if [ $((round % 2)) = 1 ]; then
		reloader &
		extra=$!
	else
		mkfifo $T/hold.in
		shrike-nltest hold $T/a.tbl <$T/hold.in >$T/hold.out &
		extra=$!
		exec 3>$T/hold.in
		wait_for "held transaction" 10 grep -q '^held$' $T/hold.out
	fi
	wait_for "alerts flowing" 30 grep -q 'unload target opened' $T/alerts.out
	# A different moment each round.
	sleep "0.$((round * 15 % 100))"
	rmmod shrike
	grep -q '^shrike ' /proc/modules && fail "round $round: shrike still loaded"
	touch $T/stop
	wait $g1 $g2
	if [ $((round % 2)) = 1 ]; then
		wait $extra || true
	else
		echo commit >&3
		exec 3>&-
		wait $extra || true
		grep -q '^commit: ' $T/hold.out || fail "round $round: holder did not finish"
	fi
	kill $agent
	wait $agent || true
	echo "ok: round $round: removed with $(grep -c 'unload target opened' $T/alerts.out) alerts received"
	round=$((round + 1))
done

# The container event's exec probe writes the per-CPU records too: with the
# default rules (which have container-event rules), execs in fresh container
# cgroups, each a container never seen, while rmmod runs. Every producer must
# stop before the buffers it writes go (the unload order in kmod/main.c).
fake_container
cgen() {
	i=0
	while [ ! -e $T/stop ]; do
		id=$(printf '%012x%052d' $(($1 * 1000000 + i)) 0)
		mkdir -p "/sys/fs/cgroup/docker/$id"
		sh -c "echo \$\$ >/sys/fs/cgroup/docker/$id/cgroup.procs; exec /bin/true"
		rmdir "/sys/fs/cgroup/docker/$id" 2>/dev/null
		i=$((i + 1))
	done
}
while [ $round -le 12 ]; do
	rm -f $T/stop
	insmod /lib/modules/shrike.ko
	shrike-agent -r /rules/shrike_rules.yaml >$T/alerts.out 2>$T/agent.err &
	agent=$!
	wait_for "agent ready" 60 grep -q 'waiting for events' $T/agent.err
	cgen $round &
	g1=$!
	cgen $((round + 100)) &
	g2=$!
	wait_for "container events" 60 sh -c "shrike-agent --stats | grep -q '^events: [1-9]'"
	sleep "0.$((round * 15 % 100))"
	rmmod shrike
	grep -q '^shrike ' /proc/modules && fail "round $round: shrike still loaded"
	touch $T/stop
	wait $g1 $g2
	kill $agent
	wait $agent || true
	echo "ok: round $round: removed during container execs"
	round=$((round + 1))
done
in_host

# Works again after all that.
insmod /lib/modules/shrike.ko
shrike-agent --load-table $T/a.tbl
: >$T/target
expect_eq "rule still matches" "rule 0 of table $(shrike-agent --status | sed -n 's/^table: loaded, checksum //p'): 1 matches" \
	"$(shrike-agent --stats | grep '^rule ')"
rmmod shrike
echo "unload: done"
