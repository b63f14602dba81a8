# shellcheck shell=bash
# lib.sh - where each test kernel's parts are, for everything that builds for
# or boots a kernel (Makefile, tests/vm/run.sh, tests/dkms.sh, the driver
# loader test). Sourced. Three kinds, named by their kernel release:
#   host    a Debian cloud kernel installed on this machine: /boot/vmlinuz-K,
#           /lib/modules/K, headers in /usr/src/linux-headers-K (6.1, 6.12)
#   trixie  trixie-backports' cloud kernel installed in the trixie build root
#           (tests/kernels/trixie-root.sh): booted from the root's /boot, built
#           for inside the root with its gcc-14 (7.x)
#   debug   Debian's 6.12 source built with KASAN and lockdep
#           (tests/kernels/debug-kernel.sh), release *-shrike-debug
# SHRIKE_CACHE (default /var/cache/shrike) holds the last two.
SHRIKE_CACHE=${SHRIKE_CACHE:-/var/cache/shrike}
TRIXIE_ROOT=$SHRIKE_CACHE/trixie-root
DEBUG_TREE=$SHRIKE_CACHE/debug-6.12

# The test kernels' releases, one per line: the host's cloud kernels with
# headers, the trixie root's, the debug kernel.
kernels_list() {
	local v k
	for v in /boot/vmlinuz-*-cloud-amd64; do
		k=${v#/boot/vmlinuz-}
		[ -f "$v" ] && [ -f "/usr/src/linux-headers-$k/Makefile" ] && echo "$k"
	done
	if [ -f "$TRIXIE_ROOT/.shrike-complete" ]; then
		for v in "$TRIXIE_ROOT"/boot/vmlinuz-*; do
			k=${v##*/vmlinuz-}
			[ -f "$v" ] && [ -f "$TRIXIE_ROOT/usr/src/linux-headers-$k/Makefile" ] && echo "$k"
		done
	fi
	[ -f "$DEBUG_TREE/.shrike-complete" ] && cat "$DEBUG_TREE/kernel.release"
	return 0
}

kernel_kind() {
	case $1 in
	*-shrike-debug) echo debug ;;
	*) if [ -f "/boot/vmlinuz-$1" ]; then echo host
	   elif [ -f "$TRIXIE_ROOT/boot/vmlinuz-$1" ]; then echo trixie
	   else echo none; fi ;;
	esac
}

# The root a kernel's /boot and /lib/modules live under ("" for the host).
kernel_root() {
	case $(kernel_kind "$1") in
	trixie) echo "$TRIXIE_ROOT" ;;
	debug) echo "$DEBUG_TREE/root" ;;
	*) echo "" ;;
	esac
}

kernel_vmlinuz() { echo "$(kernel_root "$1")/boot/vmlinuz-$1"; }
kernel_moddir() { echo "$(kernel_root "$1")/lib/modules/$1"; }

# kernel_kbuild KVER DIR [ARGS...]: builds the module in DIR (kbuild's M=)
# for KVER as that kernel needs it: the host's headers with the host's gcc;
# the trixie root's headers inside the root, DIR bind-mounted at its own path
# in a private mount namespace; the debug tree with the host's gcc.
kernel_kbuild() {
	local k=$1 m=$2
	shift 2
	case $(kernel_kind "$k") in
	host) make -C "/usr/src/linux-headers-$k" M="$m" "$@" ;;
	debug) make -C "$DEBUG_TREE/src" M="$m" "$@" ;;
	trixie) in_trixie_root "$m" make -C "/usr/src/linux-headers-$k" M="$m" "$@" ;;
	*) echo "kernels: no kernel $k (tests/kernels/lib.sh)" >&2; return 1 ;;
	esac
}

# in_trixie_root DIR CMD...: runs CMD in the trixie root, in DIR, with DIR,
# /proc, /dev and /tmp bind-mounted at their own paths. Root only.
in_trixie_root() {
	local dir=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private -- sh -ec '
		r=$1; dir=$2; shift 2
		for d in /proc /dev /tmp "$dir"; do mkdir -p "$r$d"; mount --rbind "$d" "$r$d"; done
		cd "$r$dir"
		exec chroot "$r" sh -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"' sh "$TRIXIE_ROOT" "$dir" "$@"
}

# scap_build KVER BDIR: Falco's 2022 driver, scap.ko, built for KVER from the
# falcosecurity-scap-dkms source bench/deps.sh unpacks into BDIR/bench/pkg,
# into BDIR/scap/KVER (rebuilt when the source is newer). For 6.1 only: the
# source fails on 6.12. Prints the module's path.
scap_build() {
	local k=$1 b=$2 src dst
	src=$(ls -d "$b"/bench/pkg/usr/src/scap-* 2>/dev/null | head -n1)
	[ -n "$src" ] || { echo "scap: no source in $b/bench/pkg: run bench/deps.sh" >&2; return 1; }
	dst=$b/scap/$k
	if [ ! -f "$dst/scap.ko" ] || [ -n "$(find "$src" -newer "$dst/scap.ko" -type f | head -n1)" ]; then
		echo "  KBUILD  scap.ko for $k" >&2
		rm -rf "$dst" && mkdir -p "$dst" && cp -a "$src"/. "$dst"/
		kernel_kbuild "$k" "$dst" modules >"$dst/build.log" 2>&1 || { cat "$dst/build.log" >&2; return 1; }
	fi
	echo "$dst/scap.ko"
}
