# shellcheck shell=sh
# rules_syscall: the default syscall rules (rules/shrike_rules.yaml) against
# shrike-eventgen: each action gives exactly its rule's alert, and the benign
# counterparts give none.
#
# The actions run in lib.sh's fake_container. Fields only a runtime knows
# (image, pod) print <NA> here; the rules that need them are tested with
# shrikec test (tests/cli/cases/rules_*).
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

eventgen_setup

insmod /lib/modules/shrike.ko
trap '[ $? = 0 ] || { agent_dump; shrike-agent --stats; }' EXIT
agent_run -r /rules/shrike_rules.yaml

: >/tmp/got

in_container
# The alerts each action gives, in the order of lib.sh's eventgen_actions.
# None for debugfs_privileged: no runtime to say the container is privileged,
# the agent stage stays quiet (shrikec test covers the alert:
# tests/cli/cases/rules_container).
act_each "1 1 1 1 1 1 1 1 1 1 1 1 1 3 1 1 2 1 1 1 1 1 1 2 1 1 1 1 0 1 1 1"

# Quiet: every benign counterpart in the container, and on the host the
# actions whose rules are about containers. A last alerting action marks the
# end: once its alert is in, anything the quiet ones caused is in too.
before=$(wc -l </tmp/alerts.out)
shrike-eventgen --benign --all || fail "benign actions failed"
/var/tmp/shrike-eventgen-image --list >/dev/null || fail "the image's program failed"
in_host
shrike-eventgen terminal_shell drop_and_execute release_agent contact_k8s_api ||
	fail "host actions failed"
in_container
shrike-eventgen write_below_etc
collect_since "$before" quiet

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
Warning Log file truncated (file=/var/log/shrike-eventgen.log path=/var/log/shrike-eventgen.log evt_type=openat user=root user_uid=0 command=shrike-eventgen clear_log parent=sh $C)
== delete_shell_history
Warning Shell history deleted or renamed (path=/tmp/shrike-eventgen/.bash_history source=<NA> evt_type=unlink user=root user_uid=0 command=shrike-eventgen delete_shell_history parent=sh $C)
== modify_shell_config
Warning Shell configuration file opened for writing (file=/tmp/shrike-eventgen/.bashrc user=root user_uid=0 command=shrike-eventgen modify_shell_config parent=sh $C)
== symlink_sensitive
Warning Symlink to a sensitive file created (target=/etc/shadow link=/tmp/shrike-eventgen/link user=root user_uid=0 command=shrike-eventgen symlink_sensitive parent=sh $C)
== terminal_shell
Notice A shell was spawned in a container with an attached terminal (user=root user_uid=0 shell=sh command=sh -c exit 0 parent=runc terminal=34816 $C namespace=<NA>)
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
Critical Standard stream redirected to a network connection (stream=0 connection=127.0.0.1:47802->127.0.0.1:47801 user=root user_uid=0 command=shrike-eventgen reverse_shell parent=shrike-eventgen terminal=0 $C)
Critical Standard stream redirected to a network connection (stream=1 connection=127.0.0.1:47802->127.0.0.1:47801 user=root user_uid=0 command=shrike-eventgen reverse_shell parent=shrike-eventgen terminal=0 $C)
Critical Standard stream redirected to a network connection (stream=2 connection=127.0.0.1:47802->127.0.0.1:47801 user=root user_uid=0 command=shrike-eventgen reverse_shell parent=shrike-eventgen terminal=0 $C)
== packet_socket
Notice Packet socket created (domain=AF_PACKET user=root user_uid=0 command=shrike-eventgen packet_socket parent=sh $C)
== kernel_module
Warning Kernel module load attempted (evt_type=init_module res=ENOEXEC user=root user_uid=0 command=shrike-eventgen kernel_module parent=sh $C)
== change_namespace
Notice Namespace changed by a program that is not a container runtime (evt_type=setns setns_type=CLONE_NEWUTS unshare_flags=<NA> user=root user_uid=0 command=shrike-eventgen change_namespace parent=shrike-eventgen $C)
Notice Namespace changed by a program that is not a container runtime (evt_type=unshare setns_type=<NA> unshare_flags=CLONE_NEWUTS user=root user_uid=0 command=shrike-eventgen change_namespace parent=shrike-eventgen $C)
== ptrace_attach
Warning Process traced with ptrace (request=PTRACE_SEIZE target_pid=N res=SUCCESS user=root user_uid=0 command=shrike-eventgen ptrace_attach parent=sh $C)
== setuid_bit
Notice Setuid or setgid bit set (file=/tmp/shrike-eventgen/suid-file fd=<NA> mode=2541 user=root user_uid=0 command=shrike-eventgen setuid_bit parent=sh $C)
== setuid_to_root
Warning Non-root process asked for root through setuid (evt_type=setuid uid=0 ruid=<NA> euid=<NA> user=nobody user_uid=65534 loginuid=-1 command=shrike-eventgen setuid_to_root parent=shrike-eventgen $C)
== release_agent
Critical release_agent written in a container (file=/tmp/shrike-eventgen/release_agent user=root user_uid=0 command=shrike-eventgen release_agent parent=sh $C)
== hardlink_sensitive
Warning Hard link to a sensitive file (target=/etc/shadow link=/tmp/shrike-eventgen/hardlink res=EXDEV evt_type=link user=root user_uid=0 command=shrike-eventgen hardlink_sensitive parent=sh $C)
== ptrace_traceme
Notice Process asked to be traced by its parent, an anti-debugging check (res=SUCCESS user=root user_uid=0 command=shrike-eventgen ptrace_traceme parent=shrike-eventgen pcmdline=shrike-eventgen ptrace_traceme exe=/usr/bin/shrike-eventgen $C)
== remove_bulk_data
Warning Program that destroys data in bulk started (command=dd if=/dev/zero of=/dev/sdz bs=1M count=1 user=root user_uid=0 parent=shrike-eventgen pcmdline=shrike-eventgen remove_bulk_data cwd=/scenarios/ terminal=0 $C)
Warning Program that destroys data in bulk started (command=shred -u -z /tmp/shrike-eventgen/data user=root user_uid=0 parent=shrike-eventgen pcmdline=shrike-eventgen remove_bulk_data cwd=/scenarios/ terminal=0 $C)
== server_shell
Notice Shell started below a server process (shell=sh command=sh -c id parent=nginx pcmdline=nginx -g daemon off; gparent=shrike-eventgen ggparent=sh user=root user_uid=0 terminal=0 $C)
== system_user_interactive
Informational System user ran a program in a login session (user=nobody user_uid=65534 loginuid=-1 command=shrike-eventgen parent=sshd gparent=shrike-eventgen terminal=0 $C)
== ssh_nonstandard_port
Notice SSH connection to a non-standard port (connection=203.0.113.7:47803->203.0.113.7:443 server_port=443 proto=tcp user=root user_uid=0 command=ssh -p 443 shrike@203.0.113.7 parent=runc terminal=0 $C)
== dir_traversal_read
Warning File read through a directory traversal (path=/tmp/shrike-eventgen/../../etc/passwd cwd=/scenarios/ res=SUCCESS user=root user_uid=0 command=shrike-eventgen dir_traversal_read parent=shrike-eventgen gparent=sh $C)
== debugfs_privileged
== read_sensitive_late
Warning Sensitive file opened for reading by a server after its startup (file=/etc/shadow user=root user_uid=0 command=nginx -g daemon off; parent=nginx main_thread=true $C)
== find_aws_credentials
Warning Search for AWS credentials (command=grep -ri aws_secret_access_key /tmp/shrike-eventgen user=root user_uid=0 loginuid=-1 parent=shrike-eventgen cwd=/scenarios/ $C)
== contact_k8s_api
Notice Connection to the K8s API server from a container (connection=10.96.0.1:47804->10.96.0.1:443 server=kubernetes.default.svc.cluster.local lport=47804 rport=443 proto=tcp user=root user_uid=0 command=shrike-eventgen contact_k8s_api parent=sh $C)
== quiet
Error File below /etc opened for writing (file=/etc/shrike-eventgen-test user=root user_uid=0 command=shrike-eventgen write_below_etc parent=sh $C)" "$(cat /tmp/got)"
rmmod shrike
echo "rules_syscall: done"
