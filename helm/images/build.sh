#!/usr/bin/env bash
# build.sh - make images: the chart's two images and the rules CLI's as OCI
# image archives in $BUILD/images, from Debian's packages only and with no
# registry: each base root is made by mmdebstrap (helm/images/base.sh, cached
# by make deps), and umoci assembles base + Shrike's files as two layers, with
# every file's time set to the last commit's, so that two builds of one commit
# have the same layers (the test compares their diff ids). The images on the
# agent's base share its layer.
#   shrike-agent-VERSION.oci.tar          shrike/shrike:VERSION: shrike-agent,
#       shrikec, shrike-eventgen, the default rules in /etc/shrike/rules
#   shrikec-VERSION.oci.tar               shrike/shrikec:VERSION: shrikec (the
#       entrypoint) and the default rules where the Debian package puts them,
#       /etc/shrike/rules.d, on the agent's base; working directory /work (a
#       CI job mounts its checkout there)
#   shrike-driver-loader-VERSION.oci.tar  shrike/shrike-driver-loader:VERSION:
#       the loader, shrike.ko prebuilt for each test kernel in
#       /usr/share/shrike/modules/RELEASE, the DKMS source, dkms and gcc
# Import with `ctr image import --base-name shrike/shrike FILE` (the archive's
# ref name is the tag) or `skopeo copy oci-archive:FILE ...`.
# Environment: BUILD, VERSION, KVERS (the releases to prebuild for).
set -eu
cd "$(dirname "$0")/../.."
top=$PWD
bdir=${BUILD:-build}
case $bdir in /*) ;; *) bdir=$top/$bdir ;; esac
ver=${VERSION:?VERSION}
out=$bdir/images
. helm/images/base.sh
for b in agent loader; do
	[ -f "$(image_base_path $b)" ] || { echo "images: no $(image_base_path $b): run make deps" >&2; exit 1; }
done
command -v umoci >/dev/null || { echo "images: no umoci: run make deps" >&2; exit 1; }
# Every file's time: the last commit's (or the epoch outside git).
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)

mkdir -p "$out"
stage=$out/stage
rm -rf "$stage" "$out"/base-*.layout
make -s --no-print-directory install BUILD="$bdir" DESTDIR="$stage" PREFIX=/usr SYSCONFDIR=/etc >/dev/null

# files NAME DIR...: an empty directory for an image's files (echoed), with
# each DIR made under it.
files() {
	local f=$out/files-$1
	shift
	rm -rf "$f" && mkdir -p "$f" && (cd "$f" && mkdir -p "$@") && echo "$f"
}

# base_layout BASE: a layout whose image "base" is the base root as one layer,
# made once a run for the images that share it.
base_layout() {
	local layout=$out/base-$1.layout bundle=$out/base-$1.bundle
	[ -d "$layout" ] && return 0
	rm -rf "$bundle"
	umoci init --layout "$layout"
	umoci new --image "$layout:base"
	umoci unpack --image "$layout:base" "$bundle" >/dev/null
	tar -xf "$(image_base_path "$1")" -C "$bundle/rootfs"
	umoci repack --image "$layout:base" "$bundle"
	rm -rf "$bundle"
}

# image NAME REPO BASE FILES_DIR ENTRYPOINT [WORKDIR]: the archive of base +
# FILES_DIR as a second layer, which tar makes (sorted, every file dated by
# the commit, owned by root) and umoci adds: the base is neither unpacked nor
# compressed again. FILES_DIR removed.
image() {
	local name=$1 repo=$2 base=$3 files=$4 entry=$5 workdir=${6:-/} layout=$out/$1.layout
	base_layout "$base"
	rm -rf "$layout"
	cp -a "$out/base-$base.layout" "$layout"
	umoci tag --image "$layout:base" "$ver"
	umoci rm --image "$layout:base"
	# shellcheck disable=SC2046 # a name per word
	tar -C "$files" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
		-cf "$out/$name.layer.tar" $(cd "$files" && ls -A)
	umoci raw add-layer --image "$layout:$ver" "$out/$name.layer.tar"
	umoci config --image "$layout:$ver" --os linux --architecture amd64 \
		--config.entrypoint "$entry" --config.workingdir "$workdir" \
		--config.label "org.opencontainers.image.version=$ver" \
		--config.label "org.opencontainers.image.title=$repo"
	umoci gc --layout "$layout"
	rm -rf "$files" "$out/$name.layer.tar"
	(cd "$layout" && tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
		-cf "$out/$name-$ver.oci.tar" .)
	echo "  IMAGE   $repo:$ver $(du -m "$out/$name-$ver.oci.tar" | cut -f1) MB ($out/$name-$ver.oci.tar)"
}

# The agent: what make install puts in /usr/bin, the man pages left out; the
# default rules where the chart's rules_file names them.
a=$(files agent usr/bin etc/shrike/rules etc/shrike/rules.d)
cp "$stage"/usr/bin/shrike-agent "$stage"/usr/bin/shrikec "$stage"/usr/bin/shrike-eventgen "$a/usr/bin/"
cp rules/*.yaml "$a/etc/shrike/rules/"
cp "$stage/etc/shrike/shrike.yaml" "$a/etc/shrike/"
image shrike-agent shrike/shrike agent "$a" shrike-agent

# The driver loader: the DKMS source as make install lays it out, a module
# for each release in KVERS.
l=$(files loader usr/bin usr/src usr/share/shrike/modules)
cp -a "$stage/usr/src/shrike-$ver" "$l/usr/src/"
install -m 0755 helm/images/driver-loader/shrike-driver-loader "$l/usr/bin/"
for k in ${KVERS:-}; do
	[ -f "$bdir/kmod/$k/shrike.ko" ] || continue
	install -D -m 0644 "$bdir/kmod/$k/shrike.ko" "$l/usr/share/shrike/modules/$k/shrike.ko"
done
image shrike-driver-loader shrike/shrike-driver-loader loader "$l" shrike-driver-loader

# The rules CLI for CI jobs: shrikec, which needs only libyaml and json-c of
# the agent's base, and the default rules and their cases as make install
# (and so the Debian package) lays them out.
c=$(files shrikec usr/bin etc/shrike usr/share/shrike work)
cp "$stage/usr/bin/shrikec" "$c/usr/bin/"
cp -a "$stage/etc/shrike/rules.d" "$c/etc/shrike/"
cp -a "$stage/usr/share/shrike/rules-tests" "$c/usr/share/shrike/"
image shrikec shrike/shrikec agent "$c" shrikec /work
rm -rf "$stage" "$out"/base-*.layout
