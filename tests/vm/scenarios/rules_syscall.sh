# rules_syscall: the default syscall rules (rules/shrike_rules.yaml) against
# shrike-eventgen: each action gives exactly its rule's alert, and the benign
# counterparts give none.
#
# The actions run in lib.sh's fake_container. Fields only a runtime knows
# (image, pod) print <NA> here; the rules that need them are tested with
# shrikec test (tests/cli/cases/rules_*).
. ./lib.sh

# Pseudo-terminals, for the shell that kubectl exec -it would give.
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
# A program of the image (the lower layer): running it is no drop-and-execute.
mkdir -p /tmp/ovl/lower
cp "$(command -v shrike-eventgen)" /tmp/ovl/lower/shrike-eventgen-image
fake_container

insmod /lib/modules/shrike.ko
trap '[ $? = 0 ] || { echo "-- agent stderr:"; cat /tmp/agent.err; echo "-- alerts:"; cat /tmp/alerts.out; shrike-agent --stats; }' EXIT
shrike-agent -r /rules/shrike_rules.yaml >/tmp/alerts.out 2>/tmp/agent.err &
agent=$!
wait_for "agent ready" 30 grep -q 'waiting for events' /tmp/agent.err

# act ACTION COUNT: runs one action and waits for COUNT new alerts;
# its alerts, time dropped and sorted (one action's syscalls may be read from
# two CPUs' rings in either order), go to /tmp/got under a header.
: >/tmp/got
act() {
	name=$1 count=$2
	before=$(wc -l </tmp/alerts.out)
	shrike-eventgen "$name" || fail "shrike-eventgen $name exited $?"
	[ "$count" != 0 ] || sleep 1
	[ "$count" = 0 ] || wait_for "$name: $count alert(s)" 20 \
		lines_ge /tmp/alerts.out $((before + count))
	echo "== $name" >>/tmp/got
	tail -n +$((before + 1)) /tmp/alerts.out | cut -d' ' -f2- |
		sed 's/target_pid=[0-9]*/target_pid=N/' | sort >>/tmp/got
}

in_container
act write_below_etc 1
act write_below_binary_dir 1
act read_sensitive_file 1
act clear_log 1
act delete_shell_history 1
act modify_shell_config 1
act symlink_sensitive 1
act terminal_shell 1
act exec_from_dev_shm 1
act drop_and_execute 1
act memfd_exec 1
act netcat_rce 1
act search_private_keys 1
act reverse_shell 3
act packet_socket 1
act kernel_module 1
act change_namespace 2
act ptrace_attach 1
act setuid_bit 1
act setuid_to_root 1
act release_agent 1

# Quiet: every benign counterpart in the container, and on the host the
# actions whose rules are about containers. A last alerting action marks the
# end: once its alert is in, anything the quiet ones caused is in too.
before=$(wc -l </tmp/alerts.out)
shrike-eventgen --benign --all || fail "benign actions failed"
/var/tmp/shrike-eventgen-image --list >/dev/null || fail "the image's program failed"
in_host
shrike-eventgen terminal_shell drop_and_execute release_agent || fail "host actions failed"
in_container
shrike-eventgen write_below_etc
wait_for "end marker" 10 lines_ge /tmp/alerts.out $((before + 1))
sleep 1
echo "== quiet" >>/tmp/got
tail -n +$((before + 1)) /tmp/alerts.out | cut -d' ' -f2- >>/tmp/got

kill $agent
wait $agent || true
cat /tmp/agent.err
cat /tmp/got
ls /tmp/shrike-eventgen /etc/shrike-eventgen-test /var/tmp/shrike-eventgen-drop \
	/dev/shm/shrike-eventgen-shm 2>/dev/null && fail "shrike-eventgen left files behind"

C="container_id=c0ffee00c0ff image=<NA> pod=<NA>"
expect_eq "alerts" "== write_below_etc
Error File below /etc opened for writing (file=/etc/shrike-eventgen-test user=root user_uid=0 command=shrike-eventgen write_below_etc parent=sh $C)
== write_below_binary_dir
Error File below a binary directory opened for writing (file=/usr/bin/shrike-eventgen-test user=root user_uid=0 command=shrike-eventgen write_below_binary_dir parent=sh $C)
== read_sensitive_file
Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow user=root user_uid=0 command=shrike-eventgen read_sensitive_file parent=sh $C)
== clear_log
Warning Log file truncated (file=/var/log/shrike-eventgen.log path=<NA> evt_type=openat user=root user_uid=0 command=shrike-eventgen clear_log parent=sh $C)
== delete_shell_history
Warning Shell history deleted or renamed (path=/tmp/shrike-eventgen/.bash_history source=<NA> evt_type=unlink user=root user_uid=0 command=shrike-eventgen delete_shell_history parent=sh $C)
== modify_shell_config
Warning Shell configuration file opened for writing (file=/tmp/shrike-eventgen/.bashrc user=root user_uid=0 command=shrike-eventgen modify_shell_config parent=sh $C)
== symlink_sensitive
Warning Symlink to a sensitive file created (target=/etc/shadow link=/tmp/shrike-eventgen/link user=root user_uid=0 command=shrike-eventgen symlink_sensitive parent=sh $C)
== terminal_shell
Notice A shell was spawned in a container with an attached terminal (user=root user_uid=0 shell=sh command=sh -c exit 0 parent=shrike-eventgen terminal=34816 $C namespace=<NA>)
== exec_from_dev_shm
Warning Program executed from /dev/shm (exe=/dev/shm/shrike-eventgen-shm cwd=/scenarios/ user=root user_uid=0 command=shrike-eventgen parent=shrike-eventgen $C)
== drop_and_execute
Critical Executable not part of the container image executed (exe=/var/tmp/shrike-eventgen-drop user=root user_uid=0 command=shrike-eventgen parent=shrike-eventgen $C)
== memfd_exec
Critical Program executed from a memfd (exe=/memfd:shrike-eventgen (deleted) user=root user_uid=0 command=memfd:shrike-ev parent=shrike-eventgen $C)
== netcat_rce
Warning Netcat runs a program on a network connection (command=nc -e /bin/sh 127.0.0.1 4444 user=root user_uid=0 parent=shrike-eventgen $C)
== search_private_keys
Warning Search for private keys or passwords (command=grep -rl BEGIN RSA PRIVATE KEY /tmp/shrike-eventgen user=root user_uid=0 parent=shrike-eventgen cwd=/scenarios/ $C)
== reverse_shell
Critical Standard stream redirected to a network connection (stream=0 connection=<NA> user=root user_uid=0 command=shrike-eventgen reverse_shell parent=shrike-eventgen terminal=0 $C)
Critical Standard stream redirected to a network connection (stream=1 connection=<NA> user=root user_uid=0 command=shrike-eventgen reverse_shell parent=shrike-eventgen terminal=0 $C)
Critical Standard stream redirected to a network connection (stream=2 connection=<NA> user=root user_uid=0 command=shrike-eventgen reverse_shell parent=shrike-eventgen terminal=0 $C)
== packet_socket
Notice Packet socket created (domain=17 user=root user_uid=0 command=shrike-eventgen packet_socket parent=sh $C)
== kernel_module
Warning Kernel module load attempted (evt_type=init_module res=ENOEXEC user=root user_uid=0 command=shrike-eventgen kernel_module parent=sh $C)
== change_namespace
Notice Namespace changed by a program that is not a container runtime (evt_type=setns setns_type=<NA> unshare_flags=<NA> user=root user_uid=0 command=shrike-eventgen change_namespace parent=shrike-eventgen $C)
Notice Namespace changed by a program that is not a container runtime (evt_type=unshare setns_type=<NA> unshare_flags=<NA> user=root user_uid=0 command=shrike-eventgen change_namespace parent=shrike-eventgen $C)
== ptrace_attach
Warning Process traced with ptrace (request=<NA> target_pid=N user=root user_uid=0 command=shrike-eventgen ptrace_attach parent=sh $C)
== setuid_bit
Notice Setuid or setgid bit set (file=<NA> fd=<NA> mode=2541 user=root user_uid=0 command=shrike-eventgen setuid_bit parent=sh $C)
== setuid_to_root
Warning Non-root process asked for root through setuid (evt_type=setuid uid=0 ruid=<NA> euid=<NA> user=nobody user_uid=65534 loginuid=-1 command=shrike-eventgen setuid_to_root parent=shrike-eventgen $C)
== release_agent
Critical release_agent written in a container (file=/tmp/shrike-eventgen/release_agent user=root user_uid=0 command=shrike-eventgen release_agent parent=sh $C)
== quiet
Error File below /etc opened for writing (file=/etc/shrike-eventgen-test user=root user_uid=0 command=shrike-eventgen write_below_etc parent=sh $C)" "$(cat /tmp/got)"
rmmod shrike
echo "rules_syscall: done"
