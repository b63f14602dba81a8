#!/usr/bin/env bash
# trixie-root.sh - makes the trixie build root the newest Debian kernel needs
# (7.x's kbuild wants glibc >= 2.38 and gcc-14; bookworm has 2.36 and gcc-12):
# a Debian trixie tree made with mmdebstrap from the registry the host already
# uses, with gcc-14, dkms and trixie-backports' cloud kernel image and
# headers installed in it. The VM rig boots that image (tests/kernels/list.sh)
# and shrike.ko is built for it inside the root (tests/kernels/kbuild.sh).
#
# Usage: trixie-root.sh [ROOT]   (default $SHRIKE_CACHE/trixie-root,
# SHRIKE_CACHE defaulting to /var/cache/shrike). Does nothing when ROOT is
# complete; a partial root (an interrupted run) is made again.
set -eu
cache=${SHRIKE_CACHE:-/var/cache/shrike}
root=${1:-$cache/trixie-root}
[ -f "$root/.shrike-complete" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "trixie-root: needs root to make $root" >&2; exit 1; }
command -v mmdebstrap >/dev/null || apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
uri=$(awk '/^URIs:/ && /debian$|debian\/$/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
[ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$uri" ] || uri=http://deb.debian.org/debian
rm -rf "$root" "$root.tmp"
mkdir -p "$(dirname "$root")"
echo "trixie-root: making $root from $uri (a few minutes, once)"
# The kernel's postinst runs initramfs-tools' hook: a root that has it makes
# an initramfs nobody boots; the rig makes its own.
# shellcheck disable=SC2016 # the hook's "$1" is mmdebstrap's
mmdebstrap --mode=root --variant=apt --format=directory \
	--aptopt='APT::Install-Recommends "false"' \
	--include='build-essential,gcc-14,make,kmod,dkms,bc,bison,flex,libelf-dev,libssl-dev,openssl,cpio,xz-utils,zstd' \
	--customize-hook='chroot "$1" apt-get install -y -qq -t trixie-backports linux-image-cloud-amd64 linux-headers-cloud-amd64 >/dev/null' \
	trixie "$root.tmp" \
	"deb $uri trixie main" "deb $uri trixie-updates main" "deb $uri trixie-backports main"
mv "$root.tmp" "$root"
touch "$root/.shrike-complete"
ls "$root"/boot/vmlinuz-* | sed 's/^/trixie-root: kernel /'
