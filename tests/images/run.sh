#!/usr/bin/env bash
# run.sh - make images-check: the images are built twice and must have the
# same layers (diff ids), and each holds what the chart runs: the agent its
# programs and default rules, the driver loader its script, the DKMS source
# and a module prebuilt for each test kernel (KVERS).
set -eu
cd "$(dirname "$0")/../.."
bdir=${BUILD:-build}
ver=${VERSION:?VERSION}
out=$bdir/images
agent=$out/shrike-agent-$ver.oci.tar loader=$out/shrike-driver-loader-$ver.oci.tar
loader_paths="usr/bin/shrike-driver-loader usr/src/shrike-$ver/dkms.conf usr/src/shrike-$ver/kmod/main.c usr/sbin/dkms usr/sbin/insmod"
for k in ${KVERS:-}; do loader_paths="$loader_paths usr/share/shrike/modules/$k/shrike.ko"; done
check() {
	python3 tests/images/check.py "$agent" usr/bin/shrike-agent usr/bin/shrikec usr/bin/shrike-eventgen \
		etc/shrike/shrike.yaml etc/shrike/rules/shrike_rules.yaml >"$1.agent"
	# shellcheck disable=SC2086 # a path per word
	python3 tests/images/check.py "$loader" $loader_paths >"$1.loader"
}
check "$out/first"
BUILD=$bdir VERSION=$ver KVERS="${KVERS:-}" bash helm/images/build.sh
check "$out/second"
for i in agent loader; do
	cmp -s "$out/first.$i" "$out/second.$i" ||
		{ echo "images: $i: two builds differ in their layers:"; diff "$out/first.$i" "$out/second.$i"; exit 1; }
	echo "  IMAGES  $i: $(wc -l <"$out/first.$i") layers, the same in two builds"
done
rm -f "$out"/first.* "$out"/second.*
