# shellcheck shell=sh
# record: shrike-agent -w (record mode) on the default syscall rules while
# shrike-eventgen performs every action and its benign counterpart; then
# shrikec test on the recording prints exactly the alerts the live agent
# printed (time column dropped), and each action's own recording replays to
# exactly its live alerts, each benign counterpart's to none.
#
# Each action runs as `sh -c 'move into the fake container; exec
# shrike-eventgen ...'` from this shell, which stays on the host: the
# container's cgroup holds the eventgen process tree and nothing else, and
# an action's file keeps only the events whose container.id is the fake
# container's (the rules of every event type shrike-eventgen causes read
# container.id, through user.name). The agent, this shell and its helpers
# (wc, sleep, mv) are on the host: their events are left out.
#
# Writing the files out (rules/tests/record.sh gives the VM a disk): the
# files go onto /dev/vda as a tar archive, when there is one.
# vm: timeout=900
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

eventgen_setup

insmod /lib/modules/shrike.ko
trap '[ $? = 0 ] || { agent_dump; shrike-agent --stats; }' EXIT

# ctr ARGS...: shrike-eventgen ARGS... alone in the fake container.
ctr() {
	sh -c "echo \$\$ >/sys/fs/cgroup/docker/$fake_cid/cgroup.procs && exec shrike-eventgen \"\$@\"" \
		sh "$@"
}

# In the order of lib.sh's eventgen_actions, the alerts each gives
# (rules_syscall.sh's counts; none for debugfs_privileged: no runtime here).
counts="1 1 1 1 1 1 1 1 1 1 1 1 1 3 1 1 2 1 1 1 1 1 1 2 1 1 1 1 0 1 1 1"
ours=c0ffee00c0ff
mkdir -p /tmp/events

# ---- one recording of everything: live alerts = replayed alerts ----------------
agent_run -r /rules/shrike_rules.yaml -w /tmp/all.jsonl
total=0
for c in $counts; do total=$((total + c)); done
for a in $eventgen_actions; do
	ctr "$a" || fail "shrike-eventgen $a"
	ctr --benign "$a" || fail "shrike-eventgen --benign $a"
done
wait_for "$total alerts" 60 lines_ge /tmp/alerts.out $total
sleep 2
kill $agent
wait $agent || true
grep -q 'events recorded to /tmp/all.jsonl, 0 lost' /tmp/agent.err ||
	fail "recording: $(grep recorded /tmp/agent.err)"
echo "recorded: $(wc -l </tmp/all.jsonl) events, $(grep -c "\"container.id\":\"$ours\"" /tmp/all.jsonl) in the container"
shrikec test /rules/shrike_rules.yaml --events /tmp/all.jsonl >/tmp/replay.out ||
	fail "shrikec test exited $?"
expect_eq "live alerts: $total" "$total" "$(wc -l </tmp/alerts.out)"
expect_eq "replayed alerts = live alerts" "$(cut -d' ' -f2- /tmp/alerts.out)" \
	"$(cut -d' ' -f2- /tmp/replay.out)"
# Not only the same text: the same event time (the first column).
expect_eq "replayed times = live times" "$(cut -d' ' -f1 /tmp/alerts.out)" \
	"$(cut -d' ' -f1 /tmp/replay.out)"

# ---- one recording per action and per benign counterpart ------------------------
# On the kernel the committed files come from (6.1, rules/tests/record.sh)
# and when writing them out; the other kernels have checked the same
# recording and replay above (make check's time: about a minute a kernel).
# A disk to write to is a virtio PCI device (vendor 0x1af4; qemu runs with
# -nodefaults), seen before its driver is loaded.
disk=$(grep -lx 0x1af4 /sys/bus/pci/devices/*/vendor 2>/dev/null || true)
case "$(uname -r)" in
6.1.*) ;;
*)
	if [ -z "$disk" ]; then
		rmmod shrike
		echo "record: done (one recording; per action only on 6.1)"
		exit 0
	fi
	;;
esac
# The agent writes to /tmp/rec.jsonl; after each run, once its alerts are in
# and a second more (the other CPU's ring), the file is moved away and
# SIGUSR1 makes the agent open a new one.
agent_run -r /rules/shrike_rules.yaml -w /tmp/rec.jsonl
# rotate NAME: the recording so far, its container's events only, to
# /tmp/events/NAME.jsonl.
rotate() {
	mv /tmp/rec.jsonl /tmp/rec.old
	kill -USR1 $agent
	wait_for "the agent's new -w file" 10 test -e /tmp/rec.jsonl
	grep "\"container.id\":\"$ours\"" /tmp/rec.old >"/tmp/events/$1.jsonl" || true
	rm /tmp/rec.old
}
# replayed FILE: the alerts shrikec test prints for FILE, time dropped.
replayed() {
	shrikec test /rules/shrike_rules.yaml --events "$1" | cut -d' ' -f2-
}
: >/tmp/cases
# shellcheck disable=SC2086 # a word per count
set -- $counts
for a in $eventgen_actions; do
	n=$1
	shift
	before=$(wc -l </tmp/alerts.out)
	ctr "$a" || fail "shrike-eventgen $a"
	[ "$n" = 0 ] || wait_for "$a: $n alert(s)" 20 lines_ge /tmp/alerts.out $((before + n))
	sleep 1
	rotate "${a}_attack"
	live=$(tail -n +$((before + 1)) /tmp/alerts.out | cut -d' ' -f2-)
	expect_eq "$a: live alerts" "$n" "$(echo "$live" | grep -c . || true)"
	expect_eq "$a: replayed = live" "$live" "$(replayed "/tmp/events/${a}_attack.jsonl")"

	before=$(wc -l </tmp/alerts.out)
	ctr --benign "$a" || fail "shrike-eventgen --benign $a"
	sleep 1
	rotate "${a}_benign"
	expect_eq "$a --benign: live alerts" "" "$(tail -n +$((before + 1)) /tmp/alerts.out)"
	expect_eq "$a --benign: replayed" "" "$(replayed "/tmp/events/${a}_benign.jsonl")"
	echo "$a $n $(wc -l <"/tmp/events/${a}_attack.jsonl") $(wc -l <"/tmp/events/${a}_benign.jsonl")" >>/tmp/cases
done
kill $agent
wait $agent || true
grep -q ', 0 lost' /tmp/agent.err || fail "recording: $(grep recorded /tmp/agent.err)"
echo "action alerts attack_events benign_events:"
cat /tmp/cases
cp /tmp/cases /tmp/events/cases.txt

if [ -n "$disk" ]; then
	for m in /lib/modules/virtio/*.ko; do
		insmod "$m" 2>/dev/null || true
	done
	sleep 1
	[ -b /dev/vda ] || fail "no /dev/vda for the events"
	tar cf /dev/vda -C /tmp/events .
	sync
	echo "record: events written to the disk"
fi
rmmod shrike
echo "record: done"
