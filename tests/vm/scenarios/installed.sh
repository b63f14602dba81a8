# shellcheck shell=sh
# installed: Shrike as a host gets it from the packages, without systemd: the
# tree of `make install` (the shrike package's files) copied over the root,
# shrike.ko where DKMS installs it (updates/dkms) and found by depmod, loaded
# by the unit's own ExecStartPre (modprobe shrike), one version everywhere,
# then the unit's ExecStart (default config and rules) alerting on a write
# below /etc, and the module unloaded by modprobe -r.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

kver=$(uname -r)
ver=$(shrikec --version | cut -d' ' -f2)
cp -a /installed/. /
for t in modprobe depmod modinfo; do ln -sf /usr/bin/kmod /sbin/$t; done
mkdir -p "/lib/modules/$kver/updates/dkms"
cp /lib/modules/shrike.ko "/lib/modules/$kver/updates/dkms/shrike.ko"
/sbin/depmod -a "$kver"
expect_eq "modules.dep" "updates/dkms/shrike.ko:" "$(grep shrike "/lib/modules/$kver/modules.dep")"

unit=/lib/systemd/system/shrike-agent.service
pre=$(sed -n 's/^ExecStartPre=+//p' $unit)
start=$(sed -n 's/^ExecStart=//p' $unit)
expect_eq "unit ExecStartPre" "/sbin/modprobe shrike" "$pre"
expect_eq "unit ExecStart" "/usr/bin/shrike-agent -c /etc/shrike/shrike.yaml" "$start"
expect_eq "modules-load.d" "shrike" "$(grep -v '^#' /usr/lib/modules-load.d/shrike.conf)"

[ ! -e /sys/module/shrike ] || fail "shrike.ko loaded before modprobe"
$pre
[ -d /sys/module/shrike ] || fail "modprobe shrike loaded nothing"
expect_eq "modinfo -n" "/lib/modules/$kver/updates/dkms/shrike.ko" "$(/sbin/modinfo -n shrike)"
expect_eq "module version = shrikec --version" "$ver" "$(/sbin/modinfo -F version shrike)"
expect_eq "loaded module version" "$ver" "$(cat /sys/module/shrike/version)"
expect_eq "shrike-agent --version" "$ver" "$(shrike-agent --version | cut -d' ' -f2)"
# modprobe again: already loaded, nothing to do.
$pre

# In a service's cgroup, as systemd runs it (container.id "host").
mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/system.slice/shrike-test.scope
echo $$ >/sys/fs/cgroup/system.slice/shrike-test.scope/cgroup.procs
$start >/tmp/agent.out 2>/tmp/agent.err &
agent_pid=$!
wait_for "agent ready" 30 grep -q 'waiting for events' /tmp/agent.err
shrike-eventgen write_below_etc
wait_for "alert" 10 grep -q 'File below /etc' /tmp/agent.out
kill $agent_pid
wait $agent_pid || true
expect_eq "alert" "Error File below /etc opened for writing (file=/etc/shrike-eventgen-test user=root user_uid=0 command=shrike-eventgen write_below_etc parent=sh container_id=host image=<NA> pod=<NA>)" \
	"$(grep 'File below /etc' /tmp/agent.out | cut -d' ' -f2-)"

/sbin/modprobe -r shrike
[ ! -e /sys/module/shrike ] || fail "modprobe -r shrike left it loaded"
echo "installed: ok"
