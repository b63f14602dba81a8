# shellcheck shell=sh
# driver_loader: the driver loader's load steps on a real kernel. A module
# prebuilt for this release is loaded; a loaded one of the same version is
# left alone; one of another version is reported, and replaced with
# --replace; with no prebuilt module for the release and no headers it stops
# with its one paragraph (exact text). Its DKMS path runs on the host
# (tests/helm/driver_loader.sh): the VM has no compiler.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

command -v shrike-driver-loader >/dev/null ||
	fail "shrike-driver-loader is not in the VM: make installs helm/images/driver-loader/shrike-driver-loader into \$(BUILD)/bin"
rel=$(uname -r)
ver=$(shrike-agent --version | sed -n 's/^shrike-agent \([^ ]*\) .*/\1/p')
mkdir -p "/tmp/prebuilt/$rel" /tmp/host /tmp/other/5.10.0-99-other
cp /lib/modules/shrike.ko "/tmp/prebuilt/$rel/shrike.ko"
# An empty node: no /lib/modules/<release>, no /usr/src.
export HOST_ROOT=/tmp/host SHRIKE_PREBUILT_DIR=/tmp/prebuilt
loader=shrike-driver-loader

out=$($loader 2>&1)
expect_eq "prebuilt load" "$loader: loaded shrike.ko $ver for $rel, prebuilt (/tmp/prebuilt/$rel/shrike.ko)" "$out"
grep -q '^shrike ' /proc/modules || fail "shrike not in /proc/modules after the loader"
expect_eq "loaded version" "$ver" "$(cat /sys/module/shrike/version)"
expect_eq "agent sees it" "module: shrike $ver" "$(shrike-agent --status | grep '^module:')"

out=$($loader 2>&1)
expect_eq "same version already loaded" "$loader: shrike.ko $ver is already loaded on $rel: nothing to do" "$out"

set +e
out=$(SHRIKE_VERSION=9.9.9 $loader 2>&1)
rc=$?
set -e
expect_eq "other version loaded: exit" 1 "$rc"
expect_eq "other version loaded: message" "$loader: shrike.ko $ver is already loaded on $rel, but this loader provides 9.9.9: leaving it loaded. Unload it (rmmod shrike) once no shrike-agent uses it and run again, or run with --replace (chart: driver.loader.replaceLoaded=true)." "$out"
grep -q '^shrike ' /proc/modules || fail "the loader unloaded shrike without --replace"

out=$(SHRIKE_VERSION=9.9.9 $loader --replace 2>&1)
expect_eq "other version loaded: --replace" "$loader: shrike.ko $ver is loaded on $rel: replacing it with 9.9.9
$loader: loaded shrike.ko $ver for $rel, prebuilt (/tmp/prebuilt/$rel/shrike.ko)" "$out"
grep -q '^shrike ' /proc/modules || fail "shrike not loaded after --replace"

rmmod shrike
set +e
out=$(SHRIKE_PREBUILT_DIR=/tmp/other $loader 2>&1)
rc=$?
set -e
expect_eq "no prebuilt, no headers: exit" 1 "$rc"
expect_eq "no prebuilt, no headers: paragraph" "$loader: cannot make shrike.ko available for kernel $rel: there is no prebuilt module for $rel in /tmp/other (it has: 5.10.0-99-other), and there are no kernel headers for $rel to build it with DKMS (no /tmp/host/lib/modules/$rel/build or /tmp/host/usr/src/linux-headers-$rel). Install the headers on the node (Debian, Ubuntu: apt-get install linux-headers-$rel; RHEL, Fedora, Amazon Linux: dnf install kernel-devel-$rel) and mount the node's /lib/modules and /usr into this container (the chart mounts them at /host/lib/modules and /host/usr), or put a module built for $rel at /tmp/other/$rel/shrike.ko in the driver-loader image." "$out"
grep -q '^shrike ' /proc/modules && fail "shrike loaded although the loader failed"
echo "driver_loader: done"
