# shellcheck shell=sh
# container: Falco's "container" pseudo event, once per container id at its
# first exec, a rule on it decided in the kernel and one (container.privileged)
# finished by the agent from a containerd state directory (a fixture).
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

priv=aaaa000011112222333344445555666677778888999900001111222233334444
plain=bbbb000011112222333344445555666677778888999900001111222233334444
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
for id in $priv $plain; do
	mkdir -p "/tmp/containerd/k8s.io/$id" "/sys/fs/cgroup/cri-containerd-$id.scope"
done
# Privileged as the runtimes make it: CAP_SYS_ADMIN kept, no masked paths.
cat >/tmp/containerd/k8s.io/$priv/config.json <<JSON
{"ociVersion":"1.1.0","process":{"capabilities":{"bounding":["CAP_CHOWN","CAP_SYS_ADMIN"]}},
 "linux":{},"annotations":{"io.kubernetes.cri.container-type":"container",
 "io.kubernetes.cri.container-name":"priv","io.kubernetes.cri.image-name":"docker.io/library/busybox:1.36"}}
JSON
cat >/tmp/containerd/k8s.io/$plain/config.json <<JSON
{"ociVersion":"1.1.0","process":{"capabilities":{"bounding":["CAP_CHOWN"]}},
 "linux":{"maskedPaths":["/proc/kcore"]},"annotations":{"io.kubernetes.cri.container-type":"container",
 "io.kubernetes.cri.container-name":"plain","io.kubernetes.cri.image-name":"docker.io/library/nginx:1.25.3"}}
JSON

# in_container ID: a shell moved into the container's cgroup execs a program.
in_container() {
	sh -c "echo \$\$ >/sys/fs/cgroup/cri-containerd-$1.scope/cgroup.procs; /bin/busybox true"
}

insmod /lib/modules/shrike.ko
shrike-agent -r rules/container.yaml -o rule_matching=all -o syslog_output.enabled=false \
	-o "container_engines.containerd.state_dirs=[/tmp/containerd]" >/tmp/agent.out 2>/tmp/agent.err &
agent=$!
wait_for "agent ready" 10 grep -q 'waiting for events' /tmp/agent.err

# Host processes are no container.
/bin/busybox true
sh -c "/bin/busybox true"
in_container $priv
in_container $priv
in_container $plain
wait_for "three alerts" 10 lines_ge /tmp/agent.out 3
# Seen already: no more.
in_container $plain
in_container $priv
/bin/busybox true
sleep 2

kill $agent
wait $agent || true
cat /tmp/agent.err
cat /tmp/agent.out
expect_eq "alerts" 3 "$(wc -l </tmp/agent.out)"
expect_eq "new container $priv" 1 "$(grep -c "New container ${priv%"${priv#????????????}"} (type=container)" /tmp/agent.out)"
expect_eq "new container $plain" 1 "$(grep -c "New container ${plain%"${plain#????????????}"} (type=container)" /tmp/agent.out)"
expect_eq "privileged" 1 "$(grep -c "Privileged container started (id=${priv%"${priv#????????????}"} image=docker.io/library/busybox)" /tmp/agent.out)"
grep -q 'host' /tmp/agent.out && fail "a host process made a container event"
echo "ok: one container event per id, none on the host"
rmmod shrike
echo "container: done"
