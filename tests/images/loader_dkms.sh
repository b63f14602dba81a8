#!/usr/bin/env bash
# loader_dkms.sh - the driver-loader image's DKMS path, as the chart's init
# container takes it on a node with no prebuilt module for its kernel: the
# image's root (unpacked by umoci) runs its own shrike-driver-loader, dkms and
# gcc against this machine's headers mounted under /host, in a private mount
# namespace, for each installed Debian kernel (--no-load: nothing goes into
# this machine's kernel; the VM's containers scenario loads the prebuilt one
# from the image under containerd). Usage: loader_dkms.sh "KERNEL_RELEASES"
set -eu
cd "$(dirname "$0")/../.."
. tests/kernels/lib.sh
bdir=${BUILD:-build}
ver=${VERSION:?VERSION}
layout=$bdir/images/shrike-driver-loader.layout
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
umoci unpack --image "$layout:$ver" "$tmp/b" >/dev/null
r=$tmp/b/rootfs
mkdir -p "$r/host/lib/modules" "$r/host/usr" "$r/host/etc" "$r/out"
n=0
for k in $1; do
	[ "$(kernel_kind "$k")" = host ] || continue
	rm -rf "$r/out"/*
	# shellcheck disable=SC2016 # expanded by the inner sh
	out=$(unshare --mount --propagation private sh -ec '
		r=$1 k=$2
		mount --rbind /lib/modules "$r/host/lib/modules"
		mount --rbind /usr "$r/host/usr"
		mount --rbind /etc "$r/host/etc"
		mount -t proc proc "$r/proc"
		mount -t tmpfs tmpfs "$r/tmp"
		exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOST_ROOT=/host \
			SHRIKE_PREBUILT_DIR=/none shrike-driver-loader --no-load --out /out --kernel-release "$k"' \
		sh "$r" "$k" 2>&1) || { echo "$out"; echo "images: FAIL: the loader image's DKMS build for $k"; exit 1; }
	want="shrike-driver-loader: no usable prebuilt module for $k; building shrike.ko $ver with DKMS against /lib/modules/$k/build
shrike-driver-loader: shrike.ko $ver for $k, built with DKMS against /lib/modules/$k/build: not loaded (--no-load), copied to /out/shrike.ko"
	[ "$out" = "$want" ] || { echo "images: FAIL: loader image, DKMS for $k:"; echo "  expected: $want"; echo "  got:      $out"; exit 1; }
	[ "$(modinfo -F vermagic "$r/out/shrike.ko" | cut -d' ' -f1)" = "$k" ] ||
		{ echo "images: FAIL: the loader image's module for $k has vermagic $(modinfo -F vermagic "$r/out/shrike.ko")"; exit 1; }
	echo "  IMAGES  driver-loader image: DKMS build for $k with the image's dkms and gcc"
	n=$((n + 1))
done
[ $n -gt 0 ] || { echo "images: no installed Debian kernel with headers for the loader's DKMS path" >&2; exit 1; }
