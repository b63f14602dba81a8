# shellcheck shell=bash
# base.sh - the images' base roots, made by mmdebstrap from Debian's packages
# and cached in $SHRIKE_CACHE/images (make deps: `bash helm/images/base.sh`;
# sourced by build.sh for image_base_path). Bookworm's essential set plus:
#   agent   the agent's shared libraries and CA certificates
#   loader  kmod, and dkms with gcc, make, libelf and pahole (dwarves: the
#           BTF of modules for kernels built with it, 6.12 on) for the DKMS path
# A base whose package list changed is made again (the list is in its name).
# Documentation and locales are left out.
SHRIKE_CACHE=${SHRIKE_CACHE:-/var/cache/shrike}
image_base_path() {
	echo "$SHRIKE_CACHE/images/$1-base-$(image_base_pkgs "$1" | sha256sum | cut -c1-8).tar"
}
image_base_pkgs() {
	case $1 in
	agent) echo libmnl0,libyaml-0-2,libjson-c5,libmicrohttpd12,libcurl4,ca-certificates ;;
	loader) echo kmod,dkms,gcc,make,libc6-dev,libelf-dev,bc,openssl,dwarves ;;
	esac
}
image_base_make() {
	local b=$1 dst
	dst=$(image_base_path "$b")
	[ -f "$dst" ] && return 0
	mkdir -p "${dst%/*}"
	echo "images: making the $b base root with mmdebstrap"
	mmdebstrap --quiet --format=tar --variant=essential --include="$(image_base_pkgs "$b")" \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
		bookworm "$dst.tmp" && mv "$dst.tmp" "$dst"
	# Bases of older package lists.
	find "${dst%/*}" -name "$b-base-*.tar" ! -path "$dst" -delete
}
# Run directly (make deps): both bases.
if [ "${0##*/}" = base.sh ]; then
	set -eu
	image_base_make agent
	image_base_make loader
fi
