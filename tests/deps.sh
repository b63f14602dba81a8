#!/usr/bin/env bash
# Installs what Shrike needs to build and test on Debian bookworm: the
# toolchain, the userspace libraries, qemu and busybox for the VM rig, the
# Debian packaging tools for make deb and tests/deb.sh (openssl: dkms makes
# its module signing key with it), and the Debian cloud kernels 6.1 (bookworm)
# and 6.12 (bookworm-backports) with their headers, and qemu from
# bookworm-backports (qemu 7.2's TCG crashes 6.12 guests). Only installs what
# is missing; does nothing when not root.
set -eu

pkgs="build-essential pkg-config libmnl-dev libyaml-dev libjson-c-dev check
libmicrohttpd-dev libcurl4-openssl-dev qemu-system-x86 busybox-static cpio kmod
dkms clang libclang-rt-14-dev curl linux-image-cloud-amd64 linux-headers-cloud-amd64
golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev
debhelper dh-dkms lintian fakeroot man-db systemd openssl mmdebstrap iproute2 python3
umoci containerd runc clang-format shellcheck libxml2-utils"
bpo_pkgs="linux-image-cloud-amd64 linux-headers-cloud-amd64 qemu-system-x86 linux-source-6.12"

have_bpo_kernel() {
	ls /boot/vmlinuz-6.1[2-9]*-cloud-amd64 >/dev/null 2>&1 &&
		ls -d /usr/src/linux-headers-6.1[2-9]*-cloud-amd64 >/dev/null 2>&1 &&
		dpkg --compare-versions "$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null)" ge 1:8 &&
		[ -f /usr/src/linux-source-6.12.tar.xz ]
}

# The kernels that are not the host's (tests/kernels/lib.sh), cached under
# /var/cache/shrike: trixie-backports' newest cloud kernel in a trixie build
# root (a minute), and the debug kernel built from Debian's 6.12 source
# (once per machine; see tests/kernels/debug-kernel.sh for its time).
kernel_roots() {
	[ "$(id -u)" = 0 ] || return 0
	bash tests/kernels/trixie-root.sh
	bash tests/kernels/debug-kernel.sh
}
cd "$(dirname "$0")/.."

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
need_bpo=0
have_bpo_kernel || need_bpo=1
# qemu comes from backports only; do not install bookworm's first.
missing=${missing/ qemu-system-x86/}

if [ -z "$missing" ] && [ $need_bpo = 0 ]; then
	kernel_roots
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing:$missing$([ $need_bpo = 1 ] && echo ' 6.12 cloud kernel, qemu >= 8'); run as root to install" >&2
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# bookworm-backports from the same registry the system already uses.
bpo=/etc/apt/sources.list.d/shrike-bookworm-backports.sources
if [ $need_bpo = 1 ] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	uri=$(awk '/^URIs:/ && /debian$|debian\/$/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || uri=$(awk '/^deb / && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	cat >"$bpo" <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
echo "deps: installing:$missing$([ $need_bpo = 1 ] && echo ' (and 6.12 and qemu from bookworm-backports)')"
apt-get update -qq
# The kernels' postinst would otherwise try to build every DKMS module.
# shellcheck disable=SC2086 # a package per word
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing >/dev/null
if [ $need_bpo = 1 ]; then
	# shellcheck disable=SC2086 # a package per word
	apt-get install -y -qq --no-install-recommends -t bookworm-backports $bpo_pkgs >/dev/null
fi
# containerd is for the VM guests (the container scenario): its package
# starts the daemon on this machine too, which nothing here uses.
case " $missing " in *" containerd "*)
	systemctl disable --now containerd >/dev/null 2>&1 || true ;;
esac
kernel_roots
