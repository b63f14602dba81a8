# shellcheck shell=sh
# fields_proc: process, thread, user, ancestor and container fields from
# real processes, with exact values computed here (rules/fields_proc.yaml
# prints them), and cases that must not alert.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

insmod /lib/modules/shrike.ko
mkdir -p /tmp/fx
cd /tmp || exit
for f in p01 p01b p03 p03b p04 p06 p06s p07 p09 p11 p12 p13 p14 p15 p18 p19 p19b END; do
	: >/tmp/fx/$f
done
chmod 644 /tmp/fx/*
# Cgroups for container.id: a plain one, docker, systemd docker scope,
# kubepods, and an lxc one left to the agent.
mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
cid=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
for d in plain docker/$cid system.slice/docker-$cid.scope kubepods/besteffort/pod1234/$cid lxc.payload.x; do
	mkdir -p "/sys/fs/cgroup/$d"
	: >"/tmp/fx/p16.${d%%/*}"
done
: >/tmp/fx/p16.root
# in_cgroup CGROUP FILE: cat FILE from a process in CGROUP.
in_cgroup() {
	sh -c "echo \$\$ >/sys/fs/cgroup/$1/cgroup.procs; exec cat $2"
}
agent_start /scenarios/rules/fields_proc.yaml

cat /tmp/fx/p01 /tmp/fx/p01b &
p01=$!
wait $p01
/bin/busybox cat /tmp/fx/p03
(cd /bin && ./busybox cat /tmp/fx/p03b)
inner='echo $$ >/tmp/fx/p04.i; cat /tmp/fx/p04; true'
sh -c "echo \$\$ >/tmp/fx/p04.o; sh -c '$inner'; true"
/bin/busybox sh -c ': </tmp/fx/p06s; cat /tmp/fx/p06; true'
setsid cat /tmp/fx/p07 &
p07=$!
wait $p07
as_user cat /tmp/fx/p09
cat /tmp/fx/p11
setpriv --inh-caps +net_raw cat /tmp/fx/p12
sh -c 'echo 1000 >/proc/self/loginuid; exec cat /tmp/fx/p13'
unshare -p -f cat /tmp/fx/p14
(cd / && cat /tmp/fx/p15)
(cd /tmp/fx && cat /tmp/fx/p15)
cat /tmp/fx/p16.root
in_cgroup plain /tmp/fx/p16.plain
in_cgroup docker/$cid /tmp/fx/p16.docker
in_cgroup system.slice/docker-$cid.scope /tmp/fx/p16.system.slice
in_cgroup kubepods/besteffort/pod1234/$cid /tmp/fx/p16.kubepods
in_cgroup lxc.payload.x /tmp/fx/p16.lxc.payload.x
setsid sh -c 'exec 0</dev/ttyS0; cut -d" " -f7 /proc/$$/stat >/tmp/fx/p18.tty; cat /tmp/fx/p18'
sh -c 'sleep 2; exec cat /tmp/fx/p19'
cat /tmp/fx/p19b
/bin/busybox true p20
agent_stop cat /tmp/fx/END

# /proc/PID/stat: 5 pgrp, 6 session, 7 tty_nr (new_encode_dev, as Falco).
# shellcheck disable=SC2046 # a field per word
set -- $(cat /proc/$$/stat)
pgrp=$5 sess=$6 tty=$7
ino=$(stat -c %i /bin/busybox)
# Busybox sh runs a bare applet name (cat, sh) by re-executing itself as
# /proc/self/exe, then renames the process to the applet with
# prctl(PR_SET_NAME). Falco's proc.name is the comm as of the exec, "exe"
# (libsinsp sees no rename: tests/difftest shows it); proc.exe is argv[0].
expect_alerts P01 "name=exe exe=cat exepath=/bin/busybox args=/tmp/fx/p01 /tmp/fx/p01b cmdline=exe /tmp/fx/p01 /tmp/fx/p01b exeline=cat /tmp/fx/p01 /tmp/fx/p01b nargs=2 lenargs=23 pid=$p01 tid=$p01 vpid=$p01 vtid=$p01 ppid=$$ pvpid=$$ pname=sh ismain=true cwd=/tmp/ ino=$ino memfd=false upper=false uid=0 gid=0 loginuid=-1 tty=$tty sid=$sess vpgid=$pgrp sidl=false pgl=false a0=exe ap0=$p01"
expect_alerts P02 hit
expect_alerts P03 "name=busybox exe=/bin/busybox exeline=/bin/busybox cat /tmp/fx/p03 cmdline=busybox cat /tmp/fx/p03 args=cat /tmp/fx/p03 nargs=2 cwd=/tmp/
name=busybox exe=./busybox exeline=./busybox cat /tmp/fx/p03b cmdline=busybox cat /tmp/fx/p03b args=cat /tmp/fx/p03b nargs=2 cwd=/bin/"
po=$(cat /tmp/fx/p04.o) pi=$(cat /tmp/fx/p04.i)
expect_alerts P04 "a1=exe a2=exe a3=sh ap1=$pi ap2=$po ap3=$$ ppid=$pi pcmd=exe -c $inner pexe=sh pexepath=/bin/busybox acmd2=exe -c echo \$\$ >/tmp/fx/p04.o; sh -c '$inner'; true aexe2=sh aexepath2=/bin/busybox"
expect_val "pid 1 comm (P05 expects init)" init "$(cat /proc/1/comm)"
expect_alerts P05 hit
expect_alerts N05 ""
bsh='busybox sh -c : </tmp/fx/p06s; cat /tmp/fx/p06; true'
expect_alerts P06 "/tmp/fx/p06s cmd=$bsh pcmd=sh -e ./fields_proc.sh pname=sh pexe=sh
/tmp/fx/p06 cmd=exe /tmp/fx/p06 pcmd=$bsh pname=busybox pexe=/bin/busybox"
expect_alerts P07 "pid=$p07 sid=$p07 sidl=true sname=exe vpgid=$p07 pgl=true pgname=exe tty=0"
expect_alerts P08 hit
expect_alerts P09 "uid=1000 gid=1000 eff=[] perm=[] inh=[] loginuid=-1"
expect_alerts P10 hit
# Root's effective set, named in bit order from /proc's CapEff mask.
capeff=0x$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
i=0 caps=""
for c in CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP \
	LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER \
	SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE \
	SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP \
	MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF \
	CHECKPOINT_RESTORE; do
	[ $(((capeff >> i) & 1)) = 1 ] && caps="$caps${caps:+ }CAP_$c"
	i=$((i + 1))
done
expect_alerts P11 "eff=$caps inh=[]"
expect_alerts P12 "inh=CAP_NET_RAW"
expect_alerts P13 "loginuid=1000"
expect_alerts P14 "vpid=1 vtid=1 sname=<NA>"
expect_alerts P15 "cwd=/
cwd=/tmp/fx/"
# The root cgroup and lxc are left to the agent, which has no value either.
id12=${cid%"${cid#????????????}"}
expect_alerts P16 "p16.root id=<NA> cname=<NA>
p16.plain id=host cname=host:/tmp/fx/p16.plain
p16.docker id=$id12 cname=$id12:/tmp/fx/p16.docker
p16.system.slice id=$id12 cname=$id12:/tmp/fx/p16.system.slice
p16.kubepods id=$id12 cname=$id12:/tmp/fx/p16.kubepods
p16.lxc.payload.x id=<NA> cname=<NA>"
expect_alerts P17 "p16.plain
p16.docker
p16.system.slice
p16.kubepods"
expect_alerts P18 "tty=$(cat /tmp/fx/p18.tty)"
expect_alerts P19 "/tmp/fx/p19"
# Taken from the exec (bprm->filename), not read through the old pointer.
expect_alerts P20 "filename=/bin/busybox args=true p20"
[ "$(cat /tmp/fx/p18.tty)" != 0 ] || expect_val "P18 has a tty" "not 0" 0
finish fields_proc
rmmod shrike
