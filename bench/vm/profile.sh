# shellcheck shell=sh
# profile: shrike.ko's per-stage and per-field cycle counters for a few
# syscalls under three rule sets (bench/profile.sh boots it; not in make check).
# shellcheck source=tests/vm/lib.sh
. ./lib.sh
# shellcheck disable=SC1091 # made by bench/run.sh or bench/profile.sh for the guest
. /bench/params
set +e
mount -t debugfs none /sys/kernel/debug 2>/dev/null
echo "PROFILE kernel $(uname -r)"
for rules in /bench/one_rule.yaml /rules/shrike_rules.yaml /falco/falco_rules.yaml; do
	[ -f "$rules" ] || { echo "PROFILE skip $rules (absent)"; continue; }
	insmod /lib/modules/shrike.ko
	shrike-agent -r "$rules" >/tmp/p.out 2>/tmp/p.err &
	mon=$!
	i=0
	until shrike-agent --status 2>/dev/null | grep -q 'table: loaded'; do
		i=$((i + 1)); [ $i -gt 300 ] && break; sleep 0.1
	done
	for op in getpid open_read open_write_etc fork_exec; do
		echo 1 >/sys/module/shrike/parameters/profile
		syscall_bench -s "$SCALE" $op | sed "s|^|PROFILE $(basename "$rules") |"
		echo 0 >/sys/module/shrike/parameters/profile
		sed "s|^|PROFILE $(basename "$rules") $op |" /sys/kernel/debug/shrike/profile
		rm -f /etc/shrike-bench-write
	done
	shrike-agent --stats | sed "s|^|PROFILE $(basename "$rules") stats |"
	kill $mon; wait $mon
	rmmod shrike
done
echo "PROFILE done"
