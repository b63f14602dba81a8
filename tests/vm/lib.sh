# shellcheck shell=sh
# lib.sh - helpers for VM scenarios (sourced; runs under busybox sh -e).

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	echo "ok: $1"
}

# Whether this kernel has KASAN (the debug kernel): by its symbols, not by
# the boot banner, which a busy kernel log can have overwritten.
kasan_kernel() { grep -q ' kasan_report$' /proc/kallsyms; }

# as_user CMD...: runs a command as the unprivileged user (uid 1000).
as_user() {
	su -s /bin/sh -c "$*" user
}

# wait_for WHAT SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
# CMD's arguments are expanded once, by the caller: a condition on something
# that changes (a line count) must be a command that reads it, as lines_ge.
wait_for() {
	what=$1 secs=$2
	shift 2
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge $((secs * 10)) ] && fail "timed out waiting for $what"
		sleep 0.1
	done
}

# lines_ge FILE N: FILE has at least N lines (for wait_for).
lines_ge() {
	[ "$(wc -l <"$1")" -ge "$2" ]
}

# fake_container: this shell and its children can be put in a container
# (in_container) or back on the host (in_host). The VM has no container
# runtime: a container is a cgroup named as docker names its containers (the
# kernel reads container.id from the cgroup path; not the root cgroup, where
# container.id is UNKNOWN as on a cgroup v1 host), with /var/tmp an overlayfs
# mount standing for its writable layer over /tmp/ovl/lower, its image; files
# put there before this runs are the image's. Starts on the host.
fake_cid=c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00
fake_container() {
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup
	mkdir -p /sys/fs/cgroup/system.slice /sys/fs/cgroup/docker/$fake_cid
	in_host
	[ -f /lib/modules/overlay.ko ] || fail "no overlay.ko in the VM (tests/vm/run.sh copies the kernel's)"
	insmod /lib/modules/overlay.ko
	mkdir -p /tmp/ovl/lower /tmp/ovl/upper /tmp/ovl/work /var/tmp
	mount -t overlay overlay -o lowerdir=/tmp/ovl/lower,upperdir=/tmp/ovl/upper,workdir=/tmp/ovl/work /var/tmp
}
in_host() { echo $$ >/sys/fs/cgroup/system.slice/cgroup.procs; }
in_container() { echo $$ >/sys/fs/cgroup/docker/$fake_cid/cgroup.procs; }

# ---- field scenarios: rules whose output starts with a case tag ----------------

# agent_start RULES: the agent on RULES with every matching rule alerting,
# text alerts in /tmp/agent.out; returns once the table is loaded. With -A:
# the field scenarios read fields of read and write events too, which Falco
# (and so shrike-agent) skips without it.
agent_start() {
	shrike-agent -A -r "$1" -o rule_matching=all >/tmp/agent.out 2>/tmp/agent.err &
	agent_pid=$!
	# /proc, not kill -0: a kill() here would match the kill rules under test.
	i=0
	until grep -q 'waiting for events' /tmp/agent.err; do
		i=$((i + 1))
		if [ $i -ge 300 ] || [ ! -d /proc/$agent_pid ]; then
			cat /tmp/agent.err
			fail "agent not ready"
		fi
		sleep 0.1
	done
}

# agent_stop MARKER_CMD: runs a command that fires the rule tagged END, waits
# for it and for the other CPU's ring to drain, stops the agent, and leaves
# the alerts without time and priority in /tmp/alerts.txt.
agent_stop() {
	"$@"
	wait_for "END alert" 20 grep -q ' END' /tmp/agent.out
	sleep 1
	kill "$agent_pid"
	wait "$agent_pid" || true
	cut -d' ' -f3- /tmp/agent.out >/tmp/alerts.txt
}

# agent_run ARGS...: shrike-agent ARGS... in the background, its pid in
# agent, alerts in /tmp/alerts.out, stderr in /tmp/agent.err; returns once it
# waits for events.
agent_run() {
	shrike-agent "$@" >/tmp/alerts.out 2>/tmp/agent.err &
	# shellcheck disable=SC2034 # for the scenarios
	agent=$!
	wait_for "agent ready" 30 grep -q 'waiting for events' /tmp/agent.err
}

# agent_dump: agent_run's stderr and alerts so far, for a failing
# scenario's EXIT trap.
agent_dump() {
	echo "-- agent stderr:"
	cat /tmp/agent.err
	echo "-- alerts:"
	cat /tmp/alerts.out
}

# agent_drain WHAT N FILE PID: waits for N alerts in the agent's output FILE
# and a second more, stops the agent PID, and leaves the alerts without time
# in /tmp/alerts.txt, and prints them.
agent_drain() {
	wait_for "$1" 20 lines_ge "$3" "$2"
	sleep 1
	kill "$4"
	wait "$4" || true
	cut -d' ' -f2- "$3" >/tmp/alerts.txt
	cat /tmp/alerts.txt
}

nfail=0
# expect_alerts TAG EXPECTED: the alerts tagged TAG are exactly EXPECTED
# (lines; "" for none), tag dropped. Compared sorted: the work item drains
# the per-CPU rings one CPU after the other, so alerts from different CPUs
# (and a process that migrated) may arrive out of order. Failures are
# counted, not fatal, so one VM run reports them all; finish exits non-zero
# if any.
expect_alerts() {
	got=$(sed -n "s/^$1 //p" /tmp/alerts.txt | sort)
	if [ "$got" = "$(echo "$2" | sort)" ]; then
		echo "ok: $1"
	else
		nfail=$((nfail + 1))
		echo "FAIL: $1: expected '$2', got '$got'"
	fi
}

# expect_val WHAT EXPECTED ACTUAL: as expect_eq, counted.
expect_val() {
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		nfail=$((nfail + 1))
		echo "FAIL: $1: expected '$2', got '$3'"
	fi
}

# finish NAME: every alert tagged, none unchecked; exits 1 on any failure.
finish() {
	untagged=$(grep -v '^[A-Z][A-Z0-9_]* \|^END$' /tmp/alerts.txt || true)
	[ -z "$untagged" ] || { nfail=$((nfail + 1)); echo "FAIL: untagged alerts: $untagged"; }
	if [ $nfail != 0 ]; then
		echo "all alerts:"
		cat /tmp/alerts.txt
		cat /tmp/agent.err
		fail "$1: $nfail failed"
	fi
	echo "$1: done"
}

# eventgen_setup: what shrike-eventgen's actions need in the VM: a
# pseudo-terminal device (the shell kubectl exec -it would give), a program of
# the image (the lower layer: running it is no drop-and-execute), the
# fake_container, and the API server as a pod finds it, with no DNS server:
# its name in /etc/hosts and its address on lo, where shrike-eventgen listens.
# Before the agent starts: it resolves the name when it loads the rules.
eventgen_setup() {
	mkdir -p /dev/pts
	mount -t devpts devpts /dev/pts
	mkdir -p /tmp/ovl/lower
	cp "$(command -v shrike-eventgen)" /tmp/ovl/lower/shrike-eventgen-image
	fake_container
	grep -qw localhost /etc/hosts 2>/dev/null || echo "127.0.0.1 localhost" >>/etc/hosts
	echo "10.96.0.1 kubernetes.default.svc.cluster.local" >>/etc/hosts
	[ -f /etc/nsswitch.conf ] || echo "hosts: files" >/etc/nsswitch.conf
	ip addr add 10.96.0.1/32 dev lo || fail "ip addr add 10.96.0.1/32 dev lo"
}

# act ACTION COUNT: runs one shrike-eventgen action with the agent writing
# to /tmp/alerts.out and waits for COUNT new alerts (0: a second, for none);
# its alerts, time dropped and sorted (one action's syscalls may be read from
# two CPUs' rings in either order), go to /tmp/got under a header. What
# depends on timing is masked: a target pid, and the exe's inode times,
# which the agent reads from /proc/PID/exe only while the process lives
# (<NA> once it has exited: lib/procfs.c).
act() {
	name=$1 count=$2
	before=$(wc -l </tmp/alerts.out)
	shrike-eventgen "$name" || fail "shrike-eventgen $name exited $?"
	[ "$count" != 0 ] || sleep 1
	[ "$count" = 0 ] || wait_for "$name: $count alert(s)" 20 \
		lines_ge /tmp/alerts.out $((before + count))
	echo "== $name" >>/tmp/got
	tail -n +$((before + 1)) /tmp/alerts.out | cut -d' ' -f2- |
		sed 's/target_pid=[0-9]*/target_pid=N/; s/proc_exe_ino_\([cm]\)time=[0-9<>NA]*/proc_exe_ino_\1time=T/g' |
		sort >>/tmp/got
}

# The shrike-eventgen actions the rules scenarios (rules_syscall,
# falco_rules) run in the container, in their order (act_each).
eventgen_actions="write_below_etc write_below_binary_dir read_sensitive_file
clear_log delete_shell_history modify_shell_config symlink_sensitive
terminal_shell exec_from_dev_shm drop_and_execute memfd_exec netcat_rce
search_private_keys reverse_shell packet_socket kernel_module change_namespace
ptrace_attach setuid_bit setuid_to_root release_agent hardlink_sensitive
ptrace_traceme remove_bulk_data server_shell system_user_interactive
ssh_nonstandard_port dir_traversal_read debugfs_privileged read_sensitive_late
find_aws_credentials contact_k8s_api"

# act_each COUNTS: act on each of eventgen_actions in order, COUNTS (a
# word each, as many) giving its count.
act_each() {
	# shellcheck disable=SC2086 # a word per count
	set -- $1
	for action in $eventgen_actions; do
		[ $# != 0 ] || fail "act_each: no count for $action"
		act "$action" "$1"
		shift
	done
	[ $# = 0 ] || fail "act_each: $# counts more than actions"
}

# collect_since BEFORE HEADER: waits for the marker alert that follows the
# alerts.out line count BEFORE (a last alerting action), then puts every
# alert since, time dropped and in arrival order, into /tmp/got under HEADER.
collect_since() {
	wait_for "end marker" 10 lines_ge /tmp/alerts.out $(($1 + 1))
	sleep 1
	echo "== $2" >>/tmp/got
	tail -n +$(($1 + 1)) /tmp/alerts.out | cut -d' ' -f2- >>/tmp/got
}

# export_dir DIR: DIR's files, as a tar archive, onto the VM_DISK the host
# gave (tests/vm/run.sh), which reads them back with tar.
export_dir() {
	disk_attach
	tar cf /dev/vda -C "$1" .
	sync
}

# disk_attach: the disk the host gave (VM_DISK, or a scenario's "# vm:
# disk=...") as /dev/vda.
disk_attach() {
	for m in /lib/modules/virtio/*.ko; do
		insmod "$m" 2>/dev/null || true
	done
	wait_for "/dev/vda (the host's disk for this scenario)" 10 test -b /dev/vda
}
