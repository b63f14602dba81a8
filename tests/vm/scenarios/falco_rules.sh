# shellcheck shell=sh
# falco_rules: Falco's own stable rules (../shared/falco/falco_rules.yaml, as
# Falco ships them) loaded into shrike-agent, against shrike-eventgen's
# actions in a container: each action gives exactly the alerts of Falco's
# rules for it (the ones Falco's stable set has a rule for), the others none.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

[ -f /falco/falco_rules.yaml ] || fail "no /falco/falco_rules.yaml: ../shared/falco missing beside the checkout"
eventgen_setup

insmod /lib/modules/shrike.ko
trap '[ $? = 0 ] || agent_dump' EXIT
agent_run -r /falco/falco_rules.yaml -o rule_matching=all

: >/tmp/got

in_container
# The alerts each action gives, in the order of lib.sh's eventgen_actions.
act_each "0 0 1 1 0 0 1 1 1 1 1 1 1 3 1 1 0 1 0 0 1 1 1 1 1 1 1 1 0 1 1 1"
# Benign counterparts, then a marker action.
before=$(wc -l </tmp/alerts.out)
shrike-eventgen --benign --all || fail "benign actions failed"
shrike-eventgen read_sensitive_file
collect_since "$before" "benign, then read_sensitive_file"
kill $agent
wait $agent || true

# What Falco's rules say: the same rule names and fields as Falco, with
# <NA> where this VM has no container runtime (image, ...). On the benign
# counterparts Falco's stable rules, less tuned than ours, fire too: logrotate
# truncating a log, modprobe, strace, gdb and a postgres archive command
# are not excepted there.
expect_eq "alerts" "== write_below_etc
== write_below_binary_dir
== read_sensitive_file
Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=init ggparent=<NA> gggparent=<NA> evt_type=openat user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen read_sensitive_file terminal=0
== clear_log
Warning Log files were tampered | file=/var/log/shrike-eventgen.log evt_type=openat user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen clear_log terminal=0
== delete_shell_history
== modify_shell_config
== symlink_sensitive
Warning Symlinks created over sensitive files | target=/etc/shadow linkpath=/tmp/shrike-eventgen/link evt_type=symlink user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen symlink_sensitive terminal=0
== terminal_shell
Notice A shell was spawned in a container with an attached terminal | evt_type=execve user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/bin/busybox parent=runc command=sh -c exit 0 terminal=34816 exe_flags=<NA>
== exec_from_dev_shm
Warning File execution detected from /dev/shm | evt_res=SUCCESS file=<NA> proc_cwd=/scenarios/ proc_pcmdline=shrike-eventgen exec_from_dev_shm user_loginname=<NA> group_gid=0 group_name=root evt_type=execve user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/dev/shm/shrike-eventgen-shm parent=shrike-eventgen command=shrike-eventgen terminal=0 exe_flags=<NA>
== drop_and_execute
Critical Executing binary not part of base image | proc_exe=/var/tmp/shrike-eventgen-drop proc_sname=<NA> gparent=sh proc_exe_ino_ctime=T proc_exe_ino_mtime=T proc_exe_ino_ctime_duration_proc_start=<NA> proc_cwd=/scenarios/ container_start_ts=<NA> evt_type=execve user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/var/tmp/shrike-eventgen-drop parent=shrike-eventgen command=shrike-eventgen terminal=0 exe_flags=<NA>
== memfd_exec
Critical Fileless execution via memfd_create | container_start_ts=<NA> proc_cwd=/scenarios/ evt_res=SUCCESS proc_sname=<NA> gparent=sh evt_type=execve user=root user_uid=0 user_loginuid=-1 process=memfd:shrike-ev proc_exepath=/memfd:shrike-eventgen (deleted) parent=shrike-eventgen command=memfd:shrike-ev terminal=0 exe_flags=<NA>
== netcat_rce
Warning Netcat runs inside container that allows remote code execution | evt_type=execve user=root user_uid=0 user_loginuid=-1 process=nc proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=nc -e /bin/sh 127.0.0.1 4444 terminal=0 exe_flags=<NA>
== search_private_keys
Warning Grep private keys or passwords activities found | evt_type=execve user=root user_uid=0 user_loginuid=-1 process=grep proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=grep -rl BEGIN RSA PRIVATE KEY /tmp/shrike-eventgen terminal=0 exe_flags=<NA>
== reverse_shell
Notice Redirect stdout/stdin to network connection | gparent=sh ggparent=init gggparent=<NA> fd.sip=127.0.0.1 connection=127.0.0.1:47802->127.0.0.1:47801 lport=47802 rport=47801 fd_type=ipv4 fd_proto=tcp evt_type=dup2 user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=shrike-eventgen reverse_shell terminal=0
Notice Redirect stdout/stdin to network connection | gparent=sh ggparent=init gggparent=<NA> fd.sip=127.0.0.1 connection=127.0.0.1:47802->127.0.0.1:47801 lport=47802 rport=47801 fd_type=ipv4 fd_proto=tcp evt_type=dup2 user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=shrike-eventgen reverse_shell terminal=0
Notice Redirect stdout/stdin to network connection | gparent=sh ggparent=init gggparent=<NA> fd.sip=127.0.0.1 connection=127.0.0.1:47802->127.0.0.1:47801 lport=47802 rport=47801 fd_type=ipv4 fd_proto=tcp evt_type=dup2 user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=shrike-eventgen reverse_shell terminal=0
== packet_socket
Notice Packet socket was created in a container | socket_info=<NA> connection=<NA> lport=<NA> rport=<NA> fd_type=<NA> fd_proto=<NA> evt_type=socket user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen packet_socket terminal=0
== kernel_module
Warning Linux Kernel Module injection from container | parent_exepath=/bin/busybox gparent=init gexepath=/bin/busybox module=kernel_module res=ENOEXEC evt_type=init_module user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen kernel_module terminal=0
== change_namespace
== ptrace_attach
Warning Detected ptrace PTRACE_ATTACH attempt | proc_pcmdline=sh -e ./falco_rules.sh evt_type=ptrace user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen ptrace_attach terminal=0
== setuid_bit
== setuid_to_root
== release_agent
Critical Detect an attempt to exploit a container escape using release_agent file | file=/tmp/shrike-eventgen/release_agent cap_effective=CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE evt_type=openat user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen release_agent terminal=0
== hardlink_sensitive
Warning Hardlinks created over sensitive files | target=/etc/shadow linkpath=/tmp/shrike-eventgen/hardlink evt_type=link user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen hardlink_sensitive terminal=0
== ptrace_traceme
Notice Detected potential PTRACE_TRACEME anti-debug attempt | proc_pcmdline=shrike-eventgen ptrace_traceme evt_type=ptrace user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=shrike-eventgen ptrace_traceme terminal=0
== remove_bulk_data
Warning Bulk data has been removed from disk | file=<NA> evt_type=execve user=root user_uid=0 user_loginuid=-1 process=shred proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=shred -u -z /tmp/shrike-eventgen/data terminal=0 exe_flags=<NA>
== server_shell
Notice Shell spawned by untrusted binary | parent_exe=nginx parent_exepath=/usr/bin/shrike-eventgen pcmdline=nginx -g daemon off; gparent=shrike-eventgen ggparent=sh aname[4]=init aname[5]=<NA> aname[6]=<NA> aname[7]=<NA> evt_type=execve user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/usr/bin/shrike-eventgen parent=nginx command=sh -c id terminal=0 exe_flags=<NA>
== system_user_interactive
Informational System user ran an interactive command | evt_type=execve user=nobody user_uid=65534 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sshd command=shrike-eventgen terminal=0 exe_flags=<NA>
== ssh_nonstandard_port
Notice Disallowed SSH Connection | connection=203.0.113.7:47803->203.0.113.7:443 lport=47803 rport=443 fd_type=ipv4 fd_proto=tcp evt_type=connect user=root user_uid=0 user_loginuid=-1 process=ssh proc_exepath=/usr/bin/shrike-eventgen parent=runc command=ssh -p 443 shrike@203.0.113.7 terminal=0
== dir_traversal_read
Warning Read monitored file via directory traversal | file=/etc/passwd fileraw=/tmp/shrike-eventgen/../../etc/passwd gparent=sh ggparent=init gggparent=<NA> evt_type=openat user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=shrike-eventgen dir_traversal_read terminal=0
== debugfs_privileged
== read_sensitive_late
Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=shrike-eventgen ggparent=sh gggparent=init evt_type=openat user=root user_uid=0 user_loginuid=-1 process=nginx proc_exepath=/usr/bin/shrike-eventgen parent=nginx command=nginx -g daemon off; terminal=0
== find_aws_credentials
Warning Detected AWS credentials search activity | proc_pcmdline=shrike-eventgen find_aws_credentials proc_cwd=/scenarios/ group_gid=0 group_name=root user_loginname=<NA> evt_type=execve user=root user_uid=0 user_loginuid=-1 process=grep proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=grep -ri aws_secret_access_key /tmp/shrike-eventgen terminal=0 exe_flags=<NA>
== contact_k8s_api
Notice Unexpected connection to K8s API Server from container | connection=10.96.0.1:47804->10.96.0.1:443 lport=47804 rport=443 fd_type=ipv4 fd_proto=tcp evt_type=connect user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen contact_k8s_api terminal=0
== benign, then read_sensitive_file
Warning Log files were tampered | file=/var/log/shrike-eventgen.log evt_type=openat user=root user_uid=0 user_loginuid=-1 process=logrotate proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=logrotate /etc/logrotate.conf terminal=0
Warning Linux Kernel Module injection from container | parent_exepath=/usr/bin/shrike-eventgen gparent=shrike-eventgen gexepath=/usr/bin/shrike-eventgen module= res=ENOEXEC evt_type=init_module user=root user_uid=0 user_loginuid=-1 process=modprobe proc_exepath=/usr/bin/shrike-eventgen parent=kmod command=modprobe terminal=0
Warning Detected ptrace PTRACE_ATTACH attempt | proc_pcmdline=shrike-eventgen --benign --all evt_type=ptrace user=root user_uid=0 user_loginuid=-1 process=strace proc_exepath=/usr/bin/shrike-eventgen parent=shrike-eventgen command=strace -p 1 terminal=0
Notice Detected potential PTRACE_TRACEME anti-debug attempt | proc_pcmdline=gdb -q ./a.out evt_type=ptrace user=root user_uid=0 user_loginuid=-1 process=gdb proc_exepath=/usr/bin/shrike-eventgen parent=gdb command=gdb -q ./a.out terminal=0
Notice Shell spawned by untrusted binary | parent_exe=postgres parent_exepath=/usr/bin/shrike-eventgen pcmdline=postgres -D /var/lib/postgresql/data gparent=shrike-eventgen ggparent=sh aname[4]=init aname[5]=<NA> aname[6]=<NA> aname[7]=<NA> evt_type=execve user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/usr/bin/shrike-eventgen parent=postgres command=sh -c wal-g wal-push pg_wal/000000010000000000000001 terminal=0 exe_flags=<NA>
Warning Sensitive file opened for reading by non-trusted program | file=/etc/shadow gparent=init ggparent=<NA> gggparent=<NA> evt_type=openat user=root user_uid=0 user_loginuid=-1 process=shrike-eventgen proc_exepath=/usr/bin/shrike-eventgen parent=sh command=shrike-eventgen read_sensitive_file terminal=0" "$(cat /tmp/got)"
rmmod shrike
echo "falco_rules: done"
