#!/usr/bin/env bash
# deps.sh - what the benchmark's peers need, on Debian bookworm, as root:
# sysdig (with libfalcosecurity, the libsinsp filter engine Falco uses),
# auditd's libraries, gnuplot for the plot, wrk for the webhook's load
# (bench/webhook.sh); and the .debs of auditd and
# falcosecurity-scap-dkms, only downloaded and unpacked into $BUILD/bench/pkg:
#  - installing falcosecurity-scap-dkms would make DKMS build it for every
#    installed kernel, and its 2022 source fails on 6.12, failing dpkg;
#  - installing auditd would start the host's audit daemon.
# bench/run.sh builds scap.ko from the unpacked source for 6.1 only.
set -eu
bdir=${BUILD:-build}
pkgs="sysdig libauparse0 libcap-ng0 libwrap0 libgssapi-krb5-2 gnuplot-nox linux-perf wrk"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -d "$bdir/bench/pkg/usr/src" ] && [ -x "$bdir/bench/pkg/sbin/auditd" ] && [ -z "$missing" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "bench deps: need root to install:$missing auditd falcosecurity-scap-dkms" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# The machine is shared: wait for another apt rather than fail.
apt="apt-get -o DPkg::Lock::Timeout=900"
if [ -n "$missing" ]; then
	echo "bench deps: installing$missing"
	$apt update -qq
	# shellcheck disable=SC2086 # apt: a command and its options; missing: a package per word
	$apt install -y -qq --no-install-recommends $missing >/dev/null
fi
mkdir -p "$bdir/bench/debs" "$bdir/bench/pkg"
(cd "$bdir/bench/debs" && ls auditd_*.deb falcosecurity-scap-dkms_*.deb >/dev/null 2>&1 ||
	$apt download auditd falcosecurity-scap-dkms 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
for d in "$bdir"/bench/debs/*.deb; do
	dpkg-deb -x "$d" "$bdir/bench/pkg"
done
