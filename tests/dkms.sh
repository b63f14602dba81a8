#!/usr/bin/env bash
# dkms.sh - proves that `dkms add` + `dkms build` of the source tree works for
# each test kernel (tests/kernels/lib.sh), in private DKMS and source trees so
# the machine's own DKMS state is not touched: the host's kernels with the
# host's dkms, the trixie root's with the root's own dkms and gcc-14 (as on a
# trixie host), the debug kernel against its build tree.
# Usage: dkms.sh "KERNEL_RELEASES"
set -eu
cd "$(dirname "$0")/.."
. tests/kernels/lib.sh
kernels=$1
command -v dkms >/dev/null || { echo "dkms: not installed (make deps)" >&2; exit 1; }
[ -n "$kernels" ] || { echo "dkms: no kernel headers installed (make deps)" >&2; exit 1; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
hdr_ver=$(sed -n 's/^#define SHRIKE_VERSION[[:space:]]*"\(.*\)"$/\1/p' kmod/uapi/shrike.h)
[ "$ver" = "$hdr_ver" ] || { echo "dkms: dkms.conf version $ver != SHRIKE_VERSION $hdr_ver" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src/shrike-$ver
mkdir -p "$src"
cp -a dkms.conf "$src/"
cp -a kmod "$src/kmod"
rm -f "$src"/kmod/*.o "$src"/kmod/*.ko

# One DKMS tree per dkms (the host's and the trixie root's differ in version).
dkms_run() {
	local kind=$1
	shift
	case $kind in
	trixie) in_trixie_root "$tmp" dkms "$@" --sourcetree "$tmp/src" --dkmstree "$tmp/dkms-trixie" ;;
	*) dkms "$@" --sourcetree "$tmp/src" --dkmstree "$tmp/dkms-host" ;;
	esac
}
added=""
for k in $kernels; do
	kind=$(kernel_kind "$k")
	tree=host kdir=/usr/src/linux-headers-$k
	case $kind in
	trixie) tree=trixie ;;
	debug) kdir=$DEBUG_TREE/src ;;
	esac
	case " $added " in *" $tree "*) ;; *)
		mkdir -p "$tmp/dkms-$tree"
		dkms_run $tree add -m shrike -v "$ver" >"$tmp/add.log" 2>&1 || { cat "$tmp/add.log"; exit 1; }
		added="$added $tree" ;;
	esac
	if ! dkms_run $tree build -m shrike -v "$ver" -k "$k" \
		--kernelsourcedir "$kdir" >"$tmp/build.log" 2>&1; then
		cat "$tmp/build.log"
		find "$tmp/dkms-$tree" -name make.log -exec cat {} \;
		echo "dkms: build for $k FAILED"
		exit 1
	fi
	ko=$(find "$tmp/dkms-$tree/shrike/$ver/$k" -name 'shrike.ko*' | head -n1)
	[ -n "$ko" ] || { echo "dkms: no shrike.ko for $k"; exit 1; }
	vermagic=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$vermagic" = "$k" ] || { echo "dkms: $ko has vermagic $vermagic, want $k"; exit 1; }
	where=""
	[ $tree = trixie ] && where=" in the trixie build root"
	echo "  DKMS    shrike/$ver built for $k$where"
done
