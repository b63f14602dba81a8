#!/usr/bin/env bash
# debug-kernel.sh - builds the debug test kernel once per machine: Debian's
# 6.12 source (linux-source-6.12, bookworm-backports) with KASAN, lockdep
# (PROVE_LOCKING, PROVE_RCU), sleep-in-atomic, debugobjects and list
# debugging, configured from x86_64_defconfig minus what a diskless,
# NIC-less qemu guest never uses, so the first build fits a 2-core machine:
# 9m32s with make -j2 on this project's 2-core build VM, 13m52s with qemu
# test runs sharing the CPUs (2026-12-07), from unpacking to
# .shrike-complete; 2.3 GB on disk. It boots to /init in 7-11 s under TCG.
#
# Its layout is tests/kernels/lib.sh's DEBUG_TREE
# ($SHRIKE_CACHE/debug-6.12, SHRIKE_CACHE defaulting to /var/cache/shrike):
#   src/                       the built tree: make -C src M=DIR modules
#                              builds an out-of-tree module with the host's gcc
#   kernel.release             the release, ending in -shrike-debug
#   config.fragment            what was applied on top of x86_64_defconfig
#   root/boot/vmlinuz-REL      the bzImage (and config-REL, System.map-REL)
#   root/lib/modules/REL/      make modules_install's tree
#   .shrike-complete           made last
#
# Usage: debug-kernel.sh. Does nothing when the tree is complete and was
# built with the fragment below; a partial tree (an interrupted run) or one
# of another fragment is made again. Root only to write SHRIKE_CACHE
# and to install missing packages. DEBUG_KERNEL_JOBS sets make's -j
# (default: the number of CPUs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/kernels/lib.sh
. "$here/lib.sh"
tree=$DEBUG_TREE

tarball=/usr/src/linux-source-6.12.tar.xz
jobs=${DEBUG_KERNEL_JOBS:-$(nproc)}
localversion=-shrike-debug

# The fragment applied to x86_64_defconfig, one CONFIG_X=value a line
# (=n: off). Every line is checked against the final .config: olddefconfig
# drops what an unmet dependency forbids without a word.
fragment() {
	cat <<'EOF'
# The release: REL-shrike-debug, no "+" from scripts/setlocalversion.
CONFIG_LOCALVERSION="-shrike-debug"
CONFIG_LOCALVERSION_AUTO=n

# Modules, unsigned (the rig loads an unsigned shrike.ko with insmod).
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_MODULE_SIG=n
CONFIG_MODULE_COMPRESS=n

# Booting the rig's initramfs on qemu's serial console, powering off by ACPI.
CONFIG_SMP=y
CONFIG_ACPI=y
CONFIG_TTY=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_UNIX98_PTYS=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_SHMEM=y
CONFIG_PROC_FS=y
CONFIG_PROC_SYSCTL=y
CONFIG_SYSFS=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_PRINTK=y
CONFIG_BUG=y
CONFIG_MULTIUSER=y
# The containers scenario: its disk (virtio-blk on qemu's PCI), and what
# runc needs of cgroup v2 (the device controller is a BPF program).
CONFIG_BLK_DEV=y
CONFIG_VIRTIO_MENU=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_BLK=y
CONFIG_BPF_SYSCALL=y
CONFIG_CGROUP_BPF=y
# The ia32 scenario's 32-bit program.
CONFIG_IA32_EMULATION=y
CONFIG_IA32_EMULATION_DEFAULT_DISABLED=n

# What shrike.ko attaches to: raw syscall tracepoints (sys_enter/sys_exit)
# and sched_process_exec/fork/exit, found with for_each_kernel_tracepoint.
CONFIG_FTRACE=y
CONFIG_FTRACE_SYSCALLS=y
CONFIG_TRACEPOINTS=y
CONFIG_KALLSYMS=y
CONFIG_KALLSYMS_ALL=y
CONFIG_DEBUG_FS=y

# What the scenarios and shrike-eventgen do: loopback TCP/UDP over IPv4 and
# IPv6 (HTTP, nc), AF_PACKET, generic netlink (the agent's channel), unshare
# of every namespace, cgroup v2 with the controllers a container gets,
# overlayfs (a container's writable layer; a module, as in Debian's
# kernels), memfd, ptrace, the fd kinds the fields scenarios open.
CONFIG_NET=y
CONFIG_UNIX=y
CONFIG_INET=y
CONFIG_IPV6=y
CONFIG_PACKET=y
CONFIG_NETDEVICES=y
CONFIG_NET_CORE=y
CONFIG_VETH=y
CONFIG_NAMESPACES=y
CONFIG_UTS_NS=y
CONFIG_IPC_NS=y
CONFIG_USER_NS=y
CONFIG_PID_NS=y
CONFIG_NET_NS=y
CONFIG_CGROUPS=y
CONFIG_CGROUP_PIDS=y
CONFIG_MEMCG=y
CONFIG_CPUSETS=y
CONFIG_CGROUP_SCHED=y
CONFIG_CGROUP_FREEZER=y
CONFIG_CGROUP_DEVICE=y
CONFIG_OVERLAY_FS=m
CONFIG_FILE_LOCKING=y
CONFIG_EPOLL=y
CONFIG_SIGNALFD=y
CONFIG_TIMERFD=y
CONFIG_EVENTFD=y
CONFIG_INOTIFY_USER=y
CONFIG_FANOTIFY=n
CONFIG_POSIX_TIMERS=y
CONFIG_FUTEX=y
CONFIG_SYSVIPC=y
CONFIG_POSIX_MQUEUE=y
CONFIG_AIO=y
CONFIG_MEMFD_CREATE=y
CONFIG_SECCOMP=y
CONFIG_AUDIT=y

# 4-level paging. qemu's -cpu max offers LA57, and with 5-level paging a
# KASAN kernel reports "BUG: KASAN: wild-memory-access in
# do_raw_spin_lock" when an interrupt lands in identify_cpu() while it
# re-reads the CPU's features (LA57 reads as off there, so KASAN computes its
# shadow bounds for 4 levels): 6 boots in 30 on this kernel before this line.
CONFIG_X86_5LEVEL=n

# Full preemption: preemption points everywhere, so DEBUG_PREEMPT and
# DEBUG_ATOMIC_SLEEP see more.
CONFIG_PREEMPT=y
CONFIG_PREEMPT_VOLUNTARY=n
CONFIG_PREEMPT_DYNAMIC=n

# The debug checks this kernel exists for.
CONFIG_DEBUG_KERNEL=y
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
CONFIG_KASAN_VMALLOC=y
CONFIG_PROVE_LOCKING=y
CONFIG_PROVE_RCU=y
CONFIG_LOCKDEP=y
CONFIG_DEBUG_LOCK_ALLOC=y
CONFIG_DEBUG_SPINLOCK=y
CONFIG_DEBUG_MUTEXES=y
CONFIG_DEBUG_RWSEMS=y
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_DEBUG_PREEMPT=y
CONFIG_DEBUG_OBJECTS=y
CONFIG_DEBUG_OBJECTS_FREE=y
CONFIG_DEBUG_OBJECTS_WORK=y
CONFIG_DEBUG_OBJECTS_RCU_HEAD=y
CONFIG_DEBUG_OBJECTS_TIMERS=y
CONFIG_DEBUG_LIST=y
CONFIG_DEBUG_NOTIFIERS=y
CONFIG_RCU_STALL_COMMON=y
CONFIG_SOFTLOCKUP_DETECTOR=y
CONFIG_DETECT_HUNG_TASK=y
CONFIG_UBSAN=y
CONFIG_UBSAN_BOUNDS=y
CONFIG_UBSAN_SHIFT=y
CONFIG_DEBUG_KMEMLEAK=n
# No DWARF: a third of the build time, and the splats' stacks come from
# ORC and kallsyms anyway.
CONFIG_DEBUG_INFO_NONE=y
CONFIG_FRAME_WARN=2048

# Left out: what a qemu guest with no disk, no NIC, no display and no USB
# never touches (the bulk of x86_64_defconfig's build time).
CONFIG_DRM=n
CONFIG_AGP=n
CONFIG_FB=n
CONFIG_SOUND=n
CONFIG_USB_SUPPORT=n
CONFIG_HID=n
CONFIG_WIRELESS=n
CONFIG_WLAN=n
CONFIG_CFG80211=n
CONFIG_MAC80211=n
CONFIG_RFKILL=n
CONFIG_ETHERNET=n
CONFIG_NETCONSOLE=n
CONFIG_NET_9P=n
CONFIG_NETFILTER=n
CONFIG_NET_SCHED=n
CONFIG_XFRM_USER=n
CONFIG_NETLABEL=n
CONFIG_IP_PNP=n
CONFIG_PCCARD=n
CONFIG_SCSI=n
CONFIG_ATA=n
CONFIG_MD=n
CONFIG_EXT4_FS=n
CONFIG_NETWORK_FILESYSTEMS=n
CONFIG_MISC_FILESYSTEMS=n
CONFIG_QUOTA=n
CONFIG_AUTOFS_FS=n
CONFIG_ISO9660_FS=n
CONFIG_VFAT_FS=n
CONFIG_MSDOS_FS=n
CONFIG_I2C=n
CONFIG_WATCHDOG=n
CONFIG_DMADEVICES=n
CONFIG_IOMMU_SUPPORT=n
CONFIG_HW_RANDOM=n
CONFIG_HIBERNATION=n
CONFIG_SUSPEND=n
CONFIG_EFI=n
CONFIG_VIRTUALIZATION=n
CONFIG_NUMA=n
CONFIG_SECURITY=n
CONFIG_KEXEC=n
CONFIG_CRASH_DUMP=n
CONFIG_MACINTOSH_DRIVERS=n
CONFIG_X86_EXTENDED_PLATFORM=n
CONFIG_VIRTIO_NET=n
CONFIG_VIRTIO_CONSOLE=n
# Speculation mitigations off: page-table isolation and retpolines cost a
# lot under TCG, and this kernel checks memory and locking, not them.
CONFIG_CPU_MITIGATIONS=n
EOF
}

if [ -f "$tree/.shrike-complete" ] && fragment | grep '^CONFIG_' | cmp -s - "$tree/config.fragment"; then
	exit 0
fi
start=$(date +%s)
if ! mkdir -p "$tree" 2>/dev/null || [ ! -w "$tree" ]; then
	echo "debug-kernel: cannot write $tree: run as root (or set SHRIKE_CACHE)" >&2
	exit 1
fi

# The source and what building it takes.
need=""
[ -f "$tarball" ] || need="$need linux-source-6.12"
for p in gcc make bc bison flex libelf-dev libssl-dev cpio xz-utils kmod perl; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || need="$need $p"
done
if [ -n "$need" ]; then
	[ "$(id -u)" = 0 ] || { echo "debug-kernel: missing packages:$need (run as root to install them)" >&2; exit 1; }
	echo "debug-kernel: installing$need"
	# shellcheck disable=SC2086 # a package per word
	apt-get install -y -qq -t bookworm-backports $need >/dev/null
fi
[ -f "$tarball" ] || { echo "debug-kernel: $tarball missing after installing linux-source-6.12" >&2; exit 1; }

rm -rf "$tree"
mkdir -p "$tree/src" "$tree/root/boot"
echo "debug-kernel: unpacking $tarball into $tree/src"
tar -xf "$tarball" -C "$tree/src" --strip-components=1
cd "$tree/src"

# Configure: defconfig, the fragment over it, olddefconfig, then the check.
fragment | grep '^CONFIG_' >"$tree/config.fragment"
make -s x86_64_defconfig
# merge_config.sh -m: drops the fragment's symbols from .config and appends
# the fragment (no make run: olddefconfig below resolves it).
scripts/kconfig/merge_config.sh -m -O . .config "$tree/config.fragment" >"$tree/merge.log"
make -s olddefconfig
bad=""
while IFS= read -r line; do
	sym=${line%%=*}
	val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$sym=" .config && bad="$bad $line(got $(grep "^$sym=" .config))"
	else
		grep -qxF "$line" .config || bad="$bad $line(got $(grep -E "^$sym=|^# $sym is not set" .config || echo unset))"
	fi
done <"$tree/config.fragment"
if [ -n "$bad" ]; then
	echo "debug-kernel: the final .config does not hold the fragment (an unmet dependency?):" >&2
	for b in $bad; do echo "  $b" >&2; done
	exit 1
fi

# Build. LOCALVERSION= (set, empty): setlocalversion appends no "+".
echo "debug-kernel: building with make -j$jobs (started $(date '+%F %T'))"
make -j"$jobs" LOCALVERSION= all
release=$(make -s LOCALVERSION= kernelrelease)
case $release in
*$localversion) ;;
*) echo "debug-kernel: release $release does not end in $localversion" >&2; exit 1 ;;
esac
make -s LOCALVERSION= INSTALL_MOD_PATH="$tree/root" modules_install
moddir=$tree/root/lib/modules/$release
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$moddir/$f" ] || { echo "debug-kernel: $moddir/$f missing" >&2; exit 1; }
done
install -m 0644 arch/x86/boot/bzImage "$tree/root/boot/vmlinuz-$release"
install -m 0644 .config "$tree/root/boot/config-$release"
install -m 0644 System.map "$tree/root/boot/System.map-$release"
echo "$release" >"$tree/kernel.release"
touch "$tree/.shrike-complete"
secs=$(( $(date +%s) - start ))
echo "debug-kernel: $release built in $((secs / 60))m$((secs % 60))s: $tree"
