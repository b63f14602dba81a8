#!/usr/bin/env bash
# dkms.sh - proves that `dkms add` + `dkms build` of the source tree works for
# each installed kernel's headers, in private DKMS and source trees so the
# machine's own DKMS state is not touched. Usage: dkms.sh "KERNEL_RELEASES"
set -eu
cd "$(dirname "$0")/.."
kernels=$1
command -v dkms >/dev/null || { echo "dkms: not installed (make deps)" >&2; exit 1; }
[ -n "$kernels" ] || { echo "dkms: no kernel headers installed (make deps)" >&2; exit 1; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
hdr_ver=$(sed -n 's/^#define SHRIKE_VERSION[[:space:]]*"\(.*\)"$/\1/p' kmod/uapi/shrike.h)
[ "$ver" = "$hdr_ver" ] || { echo "dkms: dkms.conf version $ver != SHRIKE_VERSION $hdr_ver" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src/shrike-$ver
mkdir -p "$src" "$tmp/dkms"
cp -a dkms.conf "$src/"
cp -a kmod "$src/kmod"
rm -f "$src"/kmod/*.o "$src"/kmod/*.ko

trees="--sourcetree $tmp/src --dkmstree $tmp/dkms"
dkms add -m shrike -v "$ver" $trees >"$tmp/add.log" 2>&1 || { cat "$tmp/add.log"; exit 1; }
for k in $kernels; do
	if ! dkms build -m shrike -v "$ver" -k "$k" $trees \
		--kernelsourcedir "/usr/src/linux-headers-$k" >"$tmp/build.log" 2>&1; then
		cat "$tmp/build.log"
		find "$tmp/dkms" -name make.log -exec cat {} \;
		echo "dkms: build for $k FAILED"
		exit 1
	fi
	ko=$(find "$tmp/dkms/shrike/$ver/$k" -name 'shrike.ko*' | head -n1)
	[ -n "$ko" ] || { echo "dkms: no shrike.ko for $k"; exit 1; }
	vermagic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$vermagic" = "$k" ] || { echo "dkms: $ko has vermagic $vermagic, want $k"; exit 1; }
	echo "  DKMS    shrike/$ver built for $k"
done
