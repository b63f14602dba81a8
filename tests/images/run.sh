#!/usr/bin/env bash
# run.sh - make images-check: the images are built twice and must have the
# same layers (diff ids), and each holds what the chart runs: the agent its
# programs and default rules, the driver loader its script, the DKMS source
# and a module prebuilt for each test kernel (KVERS), the shrikec image its
# program and the default rules, over the agent image's base layer (the same
# diff id: a registry or a node that has one image has the other's base).
# tests/images/shrikec.sh runs the shrikec image.
set -eu
cd "$(dirname "$0")/../.."
bdir=${BUILD:-build}
ver=${VERSION:?VERSION}
out=$bdir/images
agent=$out/shrike-agent-$ver.oci.tar loader=$out/shrike-driver-loader-$ver.oci.tar shrikec=$out/shrikec-$ver.oci.tar
loader_paths="usr/bin/shrike-driver-loader usr/src/shrike-$ver/dkms.conf usr/src/shrike-$ver/kmod/main.c usr/sbin/dkms usr/sbin/insmod"
for k in ${KVERS:-}; do loader_paths="$loader_paths usr/share/shrike/modules/$k/shrike.ko"; done
check() {
	python3 tests/images/check.py "$agent" usr/bin/shrike-agent usr/bin/shrikec usr/bin/shrike-eventgen \
		etc/shrike/shrike.yaml etc/shrike/rules/shrike_rules.yaml >"$1.agent"
	# shellcheck disable=SC2086 # a path per word
	python3 tests/images/check.py "$loader" $loader_paths >"$1.loader"
	# shellcheck disable=SC2046 # a path per word
	python3 tests/images/check.py "$shrikec" usr/bin/shrikec usr/lib/x86_64-linux-gnu/libyaml-0.so.2 \
		usr/lib/x86_64-linux-gnu/libjson-c.so.5 $(for r in rules/*.yaml; do echo "etc/shrike/rules.d/${r#rules/}"; done) >"$1.shrikec"
}
check "$out/first"
BUILD=$bdir VERSION=$ver KVERS="${KVERS:-}" bash helm/images/build.sh
check "$out/second"
for i in agent loader shrikec; do
	cmp -s "$out/first.$i" "$out/second.$i" ||
		{ echo "images: $i: two builds differ in their layers:"; diff "$out/first.$i" "$out/second.$i"; exit 1; }
	echo "  IMAGES  $i: $(wc -l <"$out/first.$i") layers, the same in two builds"
done
[ "$(head -n 1 "$out/first.shrikec")" = "$(head -n 1 "$out/first.agent")" ] ||
	{ echo "images: the shrikec image's base layer is not the agent image's"; exit 1; }
echo "  IMAGES  shrikec: the agent image's base layer, $(du -m "$shrikec" | cut -f1) MB in all"
rm -f "$out"/first.* "$out"/second.*
