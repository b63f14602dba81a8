#!/usr/bin/env bash
# driver_loader.sh - the driver loader's paths that this machine can run
# without loading anything into its own kernel (--no-load): the DKMS build
# for each installed Debian kernel's headers, with a private source and DKMS
# tree as tests/dkms.sh uses; a matching prebuilt module; a prebuilt module
# for another kernel; and the exact paragraph when nothing works.
# The load steps run in the VM: tests/vm/scenarios/driver_loader.sh.
# The trixie root's kernel (tests/kernels/lib.sh) is built for inside the
# root, with its dkms and gcc-14, as a loader image based on trixie does; the
# debug kernel is no kernel a node runs, and is left out.
# Usage: driver_loader.sh "KERNEL_RELEASES"
set -eu
cd "$(dirname "$0")/../.."
. tests/kernels/lib.sh
kernels=$1
loader=$PWD/helm/images/driver-loader/shrike-driver-loader
command -v dkms >/dev/null || { echo "driver-loader: dkms not installed (make deps)" >&2; exit 1; }
[ -n "$kernels" ] || { echo "driver-loader: no kernel headers installed (make deps)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
src=$tmp/src/shrike-$ver
mkdir -p "$src" "$tmp/empty-host"
cp -a dkms.conf kmod "$src/"
rm -f "$src"/kmod/*.o "$src"/kmod/*.ko
export SHRIKE_SRC=$src

fail() { echo "driver-loader: FAIL: $*"; exit 1; }
expect_eq() { [ "$2" = "$3" ] || fail "$1:"$'\n'"  expected: $2"$'\n'"  got:      $3"; }

cp "$loader" "$tmp/loader"
first=""
for k in $kernels; do
	kind=$(kernel_kind "$k")
	case $kind in
	host) out=$(SHRIKE_PREBUILT_DIR=$tmp/none "$tmp/loader" --no-load --out "$tmp/built/$k" --kernel-release "$k" 2>&1) ||
		{ echo "$out"; fail "DKMS build for $k"; } ;;
	trixie) out=$(in_trixie_root "$tmp" env SHRIKE_SRC="$src" SHRIKE_PREBUILT_DIR="$tmp/none" \
		"$tmp/loader" --no-load --out "$tmp/built/$k" --kernel-release "$k" 2>&1) ||
		{ echo "$out"; fail "DKMS build for $k in the trixie build root"; } ;;
	*) continue ;;
	esac
	expect_eq "DKMS messages for $k" \
		"shrike-driver-loader: no usable prebuilt module for $k; building shrike.ko $ver with DKMS against /lib/modules/$k/build
shrike-driver-loader: shrike.ko $ver for $k, built with DKMS against /lib/modules/$k/build: not loaded (--no-load), copied to $tmp/built/$k/shrike.ko" "$out"
	expect_eq "vermagic of the DKMS build for $k" "$k" "$(modinfo -F vermagic "$tmp/built/$k/shrike.ko" | cut -d' ' -f1)"
	echo "  LOADER  DKMS build for $k$([ "$kind" = trixie ] && echo ' in the trixie build root')"
	[ -n "$first" ] || first=$k
done

# A prebuilt module for the release is taken as is, without a build.
mkdir -p "$tmp/prebuilt/$first"
cp "$tmp/built/$first/shrike.ko" "$tmp/prebuilt/$first/"
out=$(SHRIKE_PREBUILT_DIR=$tmp/prebuilt "$loader" --no-load --kernel-release "$first" 2>&1) || { echo "$out"; fail "prebuilt"; }
expect_eq "prebuilt message" \
	"shrike-driver-loader: shrike.ko $ver for $first, prebuilt ($tmp/prebuilt/$first/shrike.ko): not loaded (--no-load)" "$out"

# A prebuilt module under the wrong release is refused by its vermagic; with
# no headers (an empty HOST_ROOT, a release without /lib/modules) the loader
# stops with the paragraph.
mkdir -p "$tmp/prebuilt/9.9.9-test"
cp "$tmp/built/$first/shrike.ko" "$tmp/prebuilt/9.9.9-test/"
set +e
out=$(HOST_ROOT=$tmp/empty-host SHRIKE_PREBUILT_DIR=$tmp/prebuilt "$loader" --no-load --kernel-release 9.9.9-test 2>&1)
rc=$?
set -e
expect_eq "exit code without prebuilt or headers" 1 "$rc"
expect_eq "paragraph for a mismatched prebuilt and no headers" \
	"shrike-driver-loader: cannot make shrike.ko $ver available for kernel 9.9.9-test: the prebuilt $tmp/prebuilt/9.9.9-test/shrike.ko is for $first, not 9.9.9-test, and there are no kernel headers for 9.9.9-test to build it with DKMS (no $tmp/empty-host/lib/modules/9.9.9-test/build or $tmp/empty-host/usr/src/linux-headers-9.9.9-test). Install the headers on the node (Debian, Ubuntu: apt-get install linux-headers-9.9.9-test; RHEL, Fedora, Amazon Linux: dnf install kernel-devel-9.9.9-test) and mount the node's /lib/modules and /usr into this container (the chart mounts them at /host/lib/modules and /host/usr), or put a module built for 9.9.9-test at $tmp/prebuilt/9.9.9-test/shrike.ko in the driver-loader image." \
	"$out"
echo "  LOADER  prebuilt, wrong-kernel prebuilt and no-headers paths"
