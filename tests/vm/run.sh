#!/usr/bin/env bash
# run.sh - boots each kernel in qemu with a generated initramfs and runs each
# scenario in it as root. Usage: run.sh "KERNELS" "SCENARIOS"
#
# A scenario fails when its script exits non-zero, when the VM does not report
# a result in time, or when the kernel log holds an Oops, BUG, WARNING, GPF,
# bad paging, KASAN/UBSAN, lockdep, RCU stall, soft lockup or hung task report. Its console log is printed then.
set -u
cd "$(dirname "$0")/../.." || exit
top=$PWD
kernels=$1
scenarios=$2
timeout=${VM_TIMEOUT:-300}
# For the benchmarks (bench/run.sh): scenarios from another directory, extra
# programs (with their shared libraries) and a tree copied over the root.
sdir=${VM_SCENARIO_DIR:-tests/vm/scenarios}
extra_progs=${VM_EXTRA_PROGS:-}
extra_root=${VM_EXTRA_ROOT:-}
# VM_DISK=FILE: FILE (raw, made by the caller) is the guest's /dev/vda, for
# a scenario's results too large for the console (lib.sh's export_dir).
disk=${VM_DISK:-}
# BUILD: the build directory (make BUILD=...), so parallel builds do not mix.
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$top/$bdir ;; esac
build=$bdir/vm
. tests/kernels/lib.sh

[ -n "$kernels" ] || { echo "vm: no test kernels (tests/kernels/lib.sh): run make deps" >&2; exit 1; }
[ -n "$scenarios" ] || { echo "vm: no scenario given (T=NAME)" >&2; exit 1; }
for s in $scenarios; do
	[ -f "$sdir/$s.sh" ] || { echo "vm: no scenario $sdir/$s.sh" >&2; exit 1; }
done

# TCG unless VM_ACCEL=kvm: this machine kind's /dev/kvm exists but a guest
# under it hangs in the kernel's early boot (seen 2026-12-07: 2 minutes of
# host system time, no console output), so its presence proves nothing.
accel=${VM_ACCEL:-tcg}
# Two vCPUs so scenarios see concurrency. Needs qemu >= 8 (deps installs
# bookworm-backports' qemu): under qemu 7.2's TCG a 6.12 guest double-faulted
# or corrupted memory in about one boot in four, with or without shrike.ko.
# VM_CPU and VM_SMP override.
smp=${VM_SMP:-2}
cpu=${VM_CPU:-max}
[ "$accel" = kvm ] && cpu=${VM_CPU:-host}

# A scenario asks for more than the defaults on a line of its own:
#   # vm: memory=MB disk=containers timeout=SECONDS
# disk=containers: the raw disk (a tar archive) containers_disk makes;
# timeout: instead of VM_TIMEOUT (the debug kernel gets twice either).
vm_opt() { sed -n "s/^# vm:.* $2=\([^ ]*\).*/\1/p; s/^# vm: $2=\([^ ]*\).*/\1/p" "$1" | head -n1; }

# The containers scenario's disk, a tar archive extracted over the guest's
# root: containerd, its runc shim, runc and ctr with their libraries, and
# containerd's root (var/lib/containerd) holding the chart's agent and
# driver-loader images (make images), imported and unpacked into overlayfs
# snapshots by this same containerd on this host. Importing them in each
# guest took 80 s of a 120 s run on 6.1 and most of 11 minutes on the debug
# kernel, all of it in containerd under TCG. Made once per build (again when
# an image or containerd is newer); none when either is missing.
containers_disk() {
	local out=$build/containers.tar d p ver i pid rc=0
	local imgs=""
	ver=$("$bdir/bin/shrike-agent" --version 2>/dev/null | sed -n 's/^shrike-agent \([^ ]*\) .*/\1/p')
	for i in agent driver-loader; do
		[ -f "$bdir/images/shrike-$i-$ver.oci.tar" ] && imgs="$imgs $bdir/images/shrike-$i-$ver.oci.tar"
	done
	[ "$(echo "$imgs" | wc -w)" = 2 ] && command -v containerd >/dev/null && command -v runc >/dev/null || return 0
	# shellcheck disable=SC2086 # imgs: a file per word
	if [ -f "$out" ] && [ -z "$(find $imgs "$(command -v containerd)" -newer "$out" | head -n1)" ]; then
		echo "$out"
		return 0
	fi
	# On the host's disk: overlayfs takes no upper directory on tmpfs
	# everywhere.
	mkdir -p "$build"
	d=$(mktemp -d /var/tmp/shrike-containerd.XXXXXX)
	mkdir -p "$d/root/usr/bin" "$d/root/var/lib/containerd" "$d/state"
	for p in containerd containerd-shim-runc-v2 ctr runc; do
		add_prog "$d/root" "$(readlink -f "$(command -v $p)")"
	done
	# Its own root, state and socket; no CRI (no kubelet here).
	printf 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n' >"$d/config.toml"
	containerd --config "$d/config.toml" --root "$d/root/var/lib/containerd" --state "$d/state" \
		--address "$d/sock" >"$d/containerd.log" 2>&1 &
	pid=$!
	for i in $(seq 100); do [ -S "$d/sock" ] && break; sleep 0.1; done
	for i in agent driver-loader; do
		p=docker.io/shrike/shrike-$i
		[ $i = agent ] && p=docker.io/shrike/shrike
		if ! ctr -a "$d/sock" image import --base-name "$p" "$bdir/images/shrike-$i-$ver.oci.tar" >"$d/import.log" 2>&1; then
			cat "$d/import.log" "$d/containerd.log" >&2
			echo "vm: ctr image import $i failed" >&2
			rc=1
			break
		fi
	done
	kill "$pid"
	wait "$pid"
	# Nothing of it may stay mounted before the rm -rf.
	if grep -qF " $d/" /proc/mounts; then
		echo "vm: $d still has mounts; left in place" >&2
		return 1
	fi
	[ $rc = 0 ] || { rm -rf "$d"; return 1; }
	# Its top directories by name: an entry for . would set the guest's /
	# to mktemp's 0700.
	# shellcheck disable=SC2046 # a directory per word
	(cd "$d/root" && tar -cf "$out.tmp" $(ls -A)) && mv "$out.tmp" "$out" || rc=1
	rm -rf "$d"
	[ $rc = 0 ] || { rm -f "$out.tmp"; echo "vm: writing $out failed" >&2; return 1; }
	echo "$out"
}

# Copies a program and the shared libraries it needs into the initramfs root.
add_prog() {
	local root=$1 prog=$2 lib
	install -D -m 0755 "$prog" "$root/usr/bin/$(basename "$prog")"
	for lib in $(ldd "$prog" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D -m 0755 "$lib" "$root$lib"
	done
}

mkinitramfs() {
	local kver=$1 out=$2 root
	root=$(mktemp -d)
	chmod 0755 "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,root,home/user,lib/modules,usr/bin,scenarios}
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	install -m 0755 tests/vm/init "$root/init"
	cp "$bdir/kmod/$kver/shrike.ko" "$root/lib/modules/shrike.ko"
	# overlayfs, for scenarios that stand in for a container's writable layer.
	# busybox insmod takes no compressed module.
	local ovl moddir
	moddir=$(kernel_moddir "$kver")
	ovl=$(ls "$moddir"/kernel/fs/overlayfs/overlay.ko* 2>/dev/null | head -n1)
	case $ovl in
	*.xz) xz -dc "$ovl" >"$root/lib/modules/overlay.ko" ;;
	?*) cp "$ovl" "$root/lib/modules/overlay.ko" ;;
	esac
	# virtio's block driver, in load order, for a disk (lib.sh's disk_attach).
	if true; then
		mkdir -p "$root/lib/modules/virtio"
		local i=0 m f
		for m in virtio/virtio_ring virtio/virtio virtio/virtio_pci_legacy_dev \
			virtio/virtio_pci_modern_dev virtio/virtio_pci block/virtio_blk; do
			f=$(ls "$moddir/kernel/drivers/$m.ko"* 2>/dev/null | head -n1)
			[ -n "$f" ] || continue
			i=$((i + 1))
			case $f in
			*.xz) xz -dc "$f" >"$root/lib/modules/virtio/$i-${m#*/}.ko" ;;
			*) cp "$f" "$root/lib/modules/virtio/$i-${m#*/}.ko" ;;
			esac
		done
	fi
	for p in "$bdir"/bin/*; do
		case $p in *unit-tests) continue ;; esac
		add_prog "$root" "$p"
	done
	# curl, an HTTP client that shows error answers' bodies (busybox wget
	# does not): the audit_webhook scenario. make deps installs it.
	if [ -x /usr/bin/curl ]; then add_prog "$root" /usr/bin/curl; fi
	# util-linux's setpriv as util-setpriv (busybox's sets no securebits nor
	# bounding set): the privilege scenario's NET_ADMIN-only root process.
	if [ -x /usr/bin/setpriv ]; then
		add_prog "$root" /usr/bin/setpriv
		mv "$root/usr/bin/setpriv" "$root/usr/bin/util-setpriv"
	fi
	# The installed tree (make install, laid out as the packages lay it out)
	# in /installed, and kmod's modprobe/depmod/modinfo (busybox's read no
	# module signatures or compressed modules): the installed scenario.
	make -s --no-print-directory install BUILD="$bdir" DESTDIR="$root/installed" PREFIX=/usr >/dev/null
	add_prog "$root" /usr/bin/kmod
	mkdir -p "$root/lib/modules/$kver"
	cp "$moddir"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/" 2>/dev/null || true
	cp tests/vm/scenarios/*.sh tests/vm/lib.sh tests/vm/activity.sh "$root/scenarios/"
	[ "$sdir" = tests/vm/scenarios ] || cp "$sdir"/*.sh "$root/scenarios/"
	for p in $extra_progs; do
		add_prog "$root" "$p"
	done
	# cp -a gives the root the extra tree's top directory's mode too (0700
	# from mktemp -d): / must stay 0755, or no user but root can run
	# anything (su, shrike-eventgen's actions that drop to nobody).
	[ -z "$extra_root" ] || { cp -a "$extra_root"/. "$root"/ && chmod 0755 "$root"; }
	cp -r tests/vm/rules "$root/scenarios/rules"
	# Falco's stable rules, read from the compatibility data beside the
	# checkout (never copied into the repo): the falco_rules scenario.
	if [ -f "$top/../shared/falco/falco_rules.yaml" ]; then
		mkdir -p "$root/falco" && cp "$top/../shared/falco/falco_rules.yaml" "$root/falco/"
	fi
	[ -d rules ] && cp -r rules "$root/rules"
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
	printf 'root:*:19000:0:99999:7:::\nuser:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
	chmod 0600 "$root/etc/shadow"
	echo shrike-vm >"$root/etc/hostname"
	chown 1000:1000 "$root/home/user"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$root"
}

# Prints the kernel-log lines that fail a run: lockdep's, KASAN's and
# debugobjects' reports all carry one of these ("WARNING: possible circular
# locking dependency", "BUG: KASAN: ..."); the debug kernel's boot banners
# ("RCU lockdep checking is enabled", "KernelAddressSanitizer initialized")
# do not.
kernel_problems() {
	sed -n '/^SHRIKE-VM: dmesg-begin/,/^SHRIKE-VM: dmesg-end/p' "$1" |
		grep -E 'Oops|BUG:|WARNING:|general protection|unable to handle|KASAN:|UBSAN:|possible recursive locking|circular locking|DEBUG_LOCKS_WARN_ON|lockdep is turned off|ODEBUG|Call Trace|kernel panic|rcu.*stall|soft lockup|blocked for more than'
}

# Whether the kernel log printed at the end still begins at boot: a log that
# wrapped (its ring buffer, log_buf_len=4M here, overwritten) may have lost a
# report kernel_problems would have found.
kernel_log_whole() {
	sed -n '/^SHRIKE-VM: dmesg-begin/,/^SHRIKE-VM: dmesg-end/p' "$1" | sed -n 2p | grep -q '\] Linux version '
}

# VM_INITRD_ONLY=FILE: only builds the initramfs of the one kernel into FILE
# (tests/vm/sandbox.sh boots it itself).
if [ -n "${VM_INITRD_ONLY:-}" ]; then
	[ -f "$bdir/kmod/$kernels/shrike.ko" ] || { echo "vm: $bdir/kmod/$kernels/shrike.ko missing: no headers for $kernels?" >&2; exit 1; }
	mkinitramfs "$kernels" "$VM_INITRD_ONLY"
	exit
fi

pass=0 fail=0 failed=""
# run_kernel KVER: every scenario on one kernel; counts into pass, fail and
# failed.
run_kernel() {
	local kver=$1 vmlinuz initrd kaccel ktimeout stime stimeout s log start mem sdisk qrc secs rc problems why
	vmlinuz=$(kernel_vmlinuz "$kver")
	[ -f "$vmlinuz" ] || { echo "vm: $vmlinuz missing" >&2; exit 1; }
	[ -f "$bdir/kmod/$kver/shrike.ko" ] || { echo "vm: $bdir/kmod/$kver/shrike.ko missing: no headers for $kver?" >&2; exit 1; }
	mkdir -p "$build/$kver"
	initrd=$build/$kver/initramfs.gz
	mkinitramfs "$kver" "$initrd"
	# The debug kernel under one TCG thread for both vCPUs: with a thread
	# each, a vCPU can still run code another just patched (text_poke's
	# int3), and the debug kernel, patching more static keys at boot,
	# died of "Oops: int3" in one boot of about 25 (2026-12-07).
	# KASAN and lockdep make it 2-8x slower: twice the time (reload, the
	# longest, took 223 s of the 300).
	kaccel=$accel ktimeout=$timeout
	if [ "$(kernel_kind "$kver")" = debug ]; then
		[ "$accel" = tcg ] && kaccel=tcg,thread=single
		ktimeout=$((timeout * 2))
	fi
	for s in $scenarios; do
		log=$build/$kver/$s.log
		start=$(date +%s)
		mem=$(vm_opt "$sdir/$s.sh" memory)
		stime=$(vm_opt "$sdir/$s.sh" timeout)
		stimeout=$ktimeout
		[ -z "$stime" ] || stimeout=$((stime * ktimeout / timeout))
		sdisk=${disk:+file=$disk}
		# Read only: both lanes may boot it at once.
		if [ "$(vm_opt "$sdir/$s.sh" disk)" = containers ] && [ -z "$sdisk" ]; then
			sdisk="file=$(containers_disk),readonly=on"
		fi
		timeout --foreground -k 5 "$stimeout" qemu-system-x86_64 -accel "$kaccel" -m "${mem:-1024}" -smp "$smp" \
			-cpu "$cpu" -nographic -no-reboot -nodefaults -serial stdio \
			-kernel "$vmlinuz" -initrd "$initrd" \
			${sdisk:+-drive $sdisk,format=raw,if=virtio} \
			-append "console=ttyS0 panic=-1 oops=panic loglevel=4 log_buf_len=4M shrike_scenario=$s" \
			</dev/null >"$log" 2>&1
		qrc=$?
		secs=$(( $(date +%s) - start ))
		sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\r//g' "$log" >"$log.tmp" && mv "$log.tmp" "$log"
		rc=$(sed -n 's/^SHRIKE-VM: result \([0-9]*\)$/\1/p' "$log" | tail -n1)
		problems=$(kernel_problems "$log")
		why=""
		if [ $qrc = 124 ]; then why="timeout after ${stimeout}s"
		elif [ -z "$rc" ]; then why="no result (VM died, qemu exit $qrc)"
		elif [ "$rc" != 0 ]; then why="scenario exited $rc"
		elif [ -n "$problems" ]; then why="kernel log reports a problem"
		elif ! kernel_log_whole "$log"; then why="kernel log overflowed: its start is lost, and a problem with it"
		fi
		if [ -z "$why" ]; then
			pass=$((pass + 1))
			echo "  VM      PASS $s on $kver (${secs}s)"
			[ -n "${VM_VERBOSE:-}" ] && sed -n '/^SHRIKE-VM: start/,/^SHRIKE-VM: dmesg-begin/p' "$log"
		else
			fail=$((fail + 1))
			failed="$failed $s@$kver"
			echo "  VM      FAIL $s on $kver: $why (${secs}s); full log: $log"
			if grep -q '^SHRIKE-VM: start' "$log"; then
				echo "  scenario output:"
				sed -n '/^SHRIKE-VM: start/,/^SHRIKE-VM: dmesg-begin/p' "$log" | sed 's/^/    | /'
				echo "  kernel log since /init:"
				sed -n '/Run \/init as init process/,$p' "$log" | sed 's/^/    | /'
			else
				sed 's/^/    | /' "$log"
			fi
			# shellcheck disable=SC2001 # every line
			[ -n "$problems" ] && { echo "  kernel log problems:"; echo "$problems" | sed 's/^/    ! /'; }
		fi
	done
}

# The containers disk, once, before any lane needs it.
for s in $scenarios; do
	if [ "$(vm_opt "$sdir/$s.sh" disk)" = containers ] && [ -z "$disk" ]; then
		containers_disk >/dev/null || exit 1
		break
	fi
done
# The debug kernel's lane beside the others (VM_SERIAL=1: one after the
# other): it runs its vCPUs on one host thread and is the slowest, so on
# two cores the two lanes take about as long as the others alone. Its
# output is printed when it is done.
lane_out="" lane_tally=""
# shellcheck disable=SC2086 # kernels: a release per word
if [ -z "${VM_SERIAL:-}" ] && [ "$(echo $kernels | wc -w)" -gt 1 ]; then
	for kver in $kernels; do
		[ "$(kernel_kind "$kver")" = debug ] || continue
		lane_out=$(mktemp) lane_tally=$(mktemp)
		( run_kernel "$kver"; echo "$pass $fail $failed" >"$lane_tally" ) >"$lane_out" 2>&1 &
		lane_pid=$!
		# shellcheck disable=SC2086 # a release per word
		kernels=$(echo $kernels | tr ' ' '\n' | grep -vxF "$kver" | tr '\n' ' ')
		break
	done
fi
for kver in $kernels; do
	run_kernel "$kver"
done
if [ -n "$lane_out" ]; then
	wait "$lane_pid" || true
	cat "$lane_out"
	read -r lp lf lfailed <"$lane_tally" || { lp=0 lf=1 lfailed="the debug lane (no tally)"; }
	pass=$((pass + lp)) fail=$((fail + lf)) failed="$failed ${lfailed:-}"
	# shellcheck disable=SC2086,SC2116 # words one space apart
	failed=$(echo $failed)
	rm -f "$lane_out" "$lane_tally"
fi
# The failures again at the end, where a CI log's tail shows them: what
# each scenario printed (its last 40 lines) and the kernel log's problems.
for f in $failed; do
	log=$build/${f#*@}/${f%@*}.log
	echo "vm: FAILED ${f%@*} on ${f#*@}; full log: $log"
	sed -n '/^SHRIKE-VM: start/,/^SHRIKE-VM: dmesg-begin/p' "$log" 2>/dev/null | tail -n 40 | sed 's/^/    | /'
	kernel_problems "$log" 2>/dev/null | head -n 20 | sed 's/^/    ! /'
done
echo "vm: $pass passed, $fail failed${failed:+ (}${failed# }${failed:+)}"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
