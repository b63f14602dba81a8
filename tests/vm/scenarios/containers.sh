# shellcheck shell=sh
# vm: memory=2048 disk=containers timeout=600
# containers: the chart's images under real containerd and runc. The host
# gives containerd, runc, ctr and containerd's root with the images (make
# images) imported and unpacked on a disk (tests/vm/run.sh's
# containers_disk). The driver-loader image runs as the
# chart's init container (SYS_MODULE, the node's /lib/modules, /usr and
# /etc under /host) and loads shrike.ko by the prebuilt path; the agent image
# runs with the chart's capabilities and mounts and alerts on real
# containers: a privileged one, a terminal shell in one, a write below /etc
# in one, with container.id, name and image from containerd's state. ctr run
# is given what the kubelet's CRI plugin gives runc for a pod's container: a
# cgroup below /kubepods and the io.kubernetes.cri.* annotations in the
# bundle (plain ctr records the image in its database only, and puts the
# container in /default/ID, which Falco's CRI matcher does not take either).
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

disk_attach
ver=$(shrike-agent --version | sed -n 's/^shrike-agent \([^ ]*\) .*/\1/p')
rel=$(uname -r)

# containerd as a node runs it: cgroup v2, overlayfs snapshots on a tmpfs.
# The one difference: the VM's root is the initramfs, from which runc cannot
# pivot_root, so every container runs with --no-pivot (runc then moves the
# mount and chroots).
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
insmod /lib/modules/overlay.ko
mkdir -p /var/lib/containerd /run/containerd /etc/containerd
mount -t tmpfs tmpfs /var/lib/containerd
tar xf /dev/vda -C / --numeric-owner || fail "the containers disk does not read as tar"
containerd >/tmp/containerd.log 2>&1 &
trap '[ $? = 0 ] || { echo "-- containerd:"; tail -30 /tmp/containerd.log; echo "-- agent:"; cat /tmp/out/agent.err /tmp/out/alerts.json 2>/dev/null; }' EXIT
wait_for "containerd" 60 test -S /run/containerd/containerd.sock
expect_eq "images" "docker.io/shrike/shrike-driver-loader:$ver
docker.io/shrike/shrike:$ver" "$(ctr image ls -q | sort)"
# The workloads' image: the agent's under an application's name (the
# default rules trust the chart's own images).
app=registry.example.com/shop/web:2.1
ctr image tag "docker.io/shrike/shrike:$ver" "$app" >/dev/null

# ---- the driver loader, as the chart's init container ----------------------------------
out=$(ctr run --no-pivot --rm --cap-add CAP_SYS_MODULE --env HOST_ROOT=/host \
	--mount type=bind,src=/lib/modules,dst=/host/lib/modules,options=rbind:ro \
	--mount type=bind,src=/usr,dst=/host/usr,options=rbind:ro \
	--mount type=bind,src=/etc,dst=/host/etc,options=rbind:ro \
	"docker.io/shrike/shrike-driver-loader:$ver" loader shrike-driver-loader --replace 2>&1) ||
	{ rc=$?; echo "$out"; fail "the driver-loader image exited $rc"; }
expect_eq "driver loader (prebuilt)" \
	"shrike-driver-loader: loaded shrike.ko $ver for $rel, prebuilt (/usr/share/shrike/modules/$rel/shrike.ko)" "$out"
grep -q '^shrike ' /proc/modules || fail "shrike.ko not loaded by the driver-loader image"
out=$(ctr run --no-pivot --rm --cap-add CAP_SYS_MODULE --env HOST_ROOT=/host \
	--mount type=bind,src=/lib/modules,dst=/host/lib/modules,options=rbind:ro \
	"docker.io/shrike/shrike-driver-loader:$ver" loader2 shrike-driver-loader 2>&1) ||
	{ rc=$?; echo "$out"; fail "the driver-loader image exited $rc (second run)"; }
expect_eq "driver loader (already loaded)" \
	"shrike-driver-loader: shrike.ko $ver is already loaded on $rel: nothing to do" "$out"

# ---- the agent, as the chart's DaemonSet runs it ---------------------------------------
# The chart's capabilities (drop ALL, add these), hostPID, the node's /proc,
# /etc and containerd's state under /host, alerts to a file we read.
mkdir -p /tmp/out
# --net-host bind-mounts the node's hosts and resolv.conf.
[ -f /etc/hosts ] || echo "127.0.0.1 localhost" >/etc/hosts
touch /etc/resolv.conf
caps=""
for c in NET_ADMIN SYS_ADMIN SYS_PTRACE DAC_READ_SEARCH; do caps="$caps --cap-add CAP_$c"; done
# shellcheck disable=SC2086 # caps: an option and its argument per capability
ctr run --no-pivot -d --net-host --with-ns pid:/proc/1/ns/pid $caps \
	--mount type=bind,src=/proc,dst=/host/proc,options=rbind:ro \
	--mount type=bind,src=/etc,dst=/host/etc,options=rbind:ro \
	--mount type=bind,src=/run/containerd,dst=/host/run/containerd,options=rbind:ro \
	--mount type=bind,src=/tmp/out,dst=/out,options=rbind \
	"docker.io/shrike/shrike:$ver" agent sh -c 'exec shrike-agent -r /etc/shrike/rules \
		-o json_output=true -o stdout_output.enabled=false \
		-o file_output.enabled=true -o file_output.filename=/out/alerts.json \
		-o container_engines.containerd.state_dirs=[/host/run/containerd/io.containerd.runtime.v2.task] \
		-o container_engines.proc_root=/host/proc 2>/out/agent.err'
wait_for "the agent in its container" 60 grep -q 'waiting for events' /tmp/out/agent.err

# ---- workloads -----------------------------------------------------------------------
# cid NAME: a 64-hex container id, as the kubelet's.
cid() { echo "$1" | sha256sum | cut -c1-64; }
cri() {
	echo "--cgroup /kubepods/besteffort/pod0f1e2d3c/$(cid "$1")
		--annotation io.kubernetes.cri.container-type=container
		--annotation io.kubernetes.cri.container-name=$1
		--annotation io.kubernetes.cri.image-name=$app
		--annotation io.kubernetes.cri.sandbox-name=$1-pod
		--annotation io.kubernetes.cri.sandbox-namespace=shop"
}
priv=$(cid priv) shell=$(cid shell) etc=$(cid etc)
# shellcheck disable=SC2046 # cri: options and their arguments, a word each
ctr run --no-pivot --rm --privileged $(cri priv) "$app" "$priv" true
# shellcheck disable=SC2046 # cri: options and their arguments, a word each
ctr run --no-pivot --rm $(cri shell) "$app" "$shell" shrike-eventgen terminal_shell >/dev/null
# shellcheck disable=SC2046 # cri: options and their arguments, a word each
ctr run --no-pivot --rm $(cri etc) "$app" "$etc" sh -c 'echo x >/etc/shrike-test'
wait_for "three alerts" 30 lines_ge /tmp/out/alerts.json 3
sleep 2
ctr task kill -s TERM agent
sleep 1
cat /tmp/out/agent.err
# The alerts' texts, time dropped (the JSON lines' "output").
sed 's/^{"hostname":"[^"]*","output":"[^ ]* \([^"]*\)".*/\1/' /tmp/out/alerts.json | sort >/tmp/got
expect_eq "alerts" "Critical Privileged container started (container_id=$(echo "$priv" | cut -c1-12) name=priv image=registry.example.com/shop/web:2.1 pod=priv-pod namespace=shop)
Error File below /etc opened for writing (file=/etc/shrike-test user=root user_uid=0 command=sh -c echo x >/etc/shrike-test parent=containerd-shim container_id=$(echo "$etc" | cut -c1-12) image=registry.example.com/shop/web pod=etc-pod)
Notice A shell was spawned in a container with an attached terminal (user=root user_uid=0 shell=sh command=sh -c exit 0 parent=runc terminal=34816 container_id=$(echo "$shell" | cut -c1-12) image=registry.example.com/shop/web pod=shell-pod namespace=shop)" \
	"$(cat /tmp/got)"
echo "containers: done"
