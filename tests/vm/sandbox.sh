#!/usr/bin/env bash
# sandbox.sh - boots Shrike's test VM interactively: shrike.ko loaded,
# shrike-agent running with the default rules (alerts on the console), a
# shell on the console, the agent's webserver forwarded to the host's
# 127.0.0.1:8765 (VM_SANDBOX_PORT overrides). Usage: sandbox.sh [KERNEL]
# (default: the newest /boot/vmlinuz-*-cloud-amd64). Ctrl-A X quits qemu;
# exiting the shell powers the VM off. `make run` runs it where the running
# kernel cannot take shrike.ko.
set -eu
cd "$(dirname "$0")/../.."
kver=${1:-$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V | tail -n1)}
[ -n "$kver" ] || { echo "sandbox: no kernel installed (/boot/vmlinuz-*-cloud-amd64): run make deps" >&2; exit 1; }
[ -f "/boot/vmlinuz-$kver" ] || { echo "sandbox: /boot/vmlinuz-$kver missing" >&2; exit 1; }
port=${VM_SANDBOX_PORT:-8765}
bdir=${BUILD:-build}
mkdir -p "$bdir/vm/$kver"
initrd=$bdir/vm/$kver/sandbox-initramfs.gz

extra=$(mktemp -d)
trap 'rm -rf "$extra"' EXIT
# The network driver's modules (virtio_net and, where they are not built in,
# virtio_pci and the rest), numbered in load order, decompressed: busybox
# insmod takes no .xz.
mods=/lib/modules/$kver
declare -A seen=()
n=0
add_mod() {	# add_mod PATH-RELATIVE-TO-$mods: its dependencies first
	local m=$1 d
	[ -z "${seen[$m]:-}" ] || return 0
	seen[$m]=1
	# shellcheck disable=SC2013 # a module per word
	for d in $(sed -n "s|^$m: *||p" "$mods/modules.dep"); do add_mod "$d"; done
	n=$((n + 1))
	local out
	out=$extra/lib/modules/net/$(printf %02d $n)-$(basename "${m%.xz}")
	mkdir -p "${out%/*}"
	case $m in *.xz) xz -dc "$mods/$m" >"$out" ;; *) cp "$mods/$m" "$out" ;; esac
}
for name in virtio_pci virtio_net; do
	m=$(grep -o "^[^:]*/$name\.ko[^:]*" "$mods/modules.dep" || true)
	[ -z "$m" ] || add_mod "$m"
done
install -D -m 0644 agent/shrike.yaml "$extra/etc/shrike/shrike.yaml"

VM_SCENARIO_DIR=tests/vm/sandbox VM_EXTRA_ROOT=$extra VM_INITRD_ONLY=$initrd \
	BUILD=$bdir bash tests/vm/run.sh "$kver" sandbox 2> >(grep -v "not a dynamic executable" >&2)

# TCG unless VM_ACCEL=kvm: this machine kind's /dev/kvm exists but a guest
# under it hangs in the kernel's early boot (seen 2026-12-07: 2 minutes of
# host system time, no console output), so its presence proves nothing.
accel=${VM_ACCEL:-tcg}
cpu=max
[ "$accel" = kvm ] && cpu=host
echo "sandbox: booting $kver (qemu $accel; the agent's webserver is http://127.0.0.1:$port/); Ctrl-A X quits qemu"
exec qemu-system-x86_64 -accel "$accel" -m 1024 -smp 2 -cpu "$cpu" -nographic -no-reboot -nodefaults \
	-serial mon:stdio -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$port-:8765" \
	-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 loglevel=4 shrike_scenario=sandbox"
