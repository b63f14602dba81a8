# shellcheck shell=sh
# agent: shrike-agent as deployed: JSON alerts with container.id and the pod
# fields read from a containerd state directory (a fixture), a process put in
# a container's cgroup, the audit webhook reached over HTTP, /healthz and
# /metrics with the kernel's counters, SIGHUP reloading, and every alert
# also sent to syslog (a receiver on /dev/log: shrike-logsink) at its rule's
# priority as the level, facility user, as Falco's syslog output sends it.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

id=1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff
state=/tmp/containerd/k8s.io/$id
mkdir -p $state
cat >$state/config.json <<JSON
{"ociVersion":"1.1.0","annotations":{"io.kubernetes.cri.container-type":"container",
 "io.kubernetes.cri.container-name":"web","io.kubernetes.cri.image-name":"docker.io/library/nginx:1.25.3",
 "io.kubernetes.cri.sandbox-name":"web-7d4b9c8f6-x2kqz","io.kubernetes.cri.sandbox-namespace":"prod",
 "io.kubernetes.cri.sandbox-uid":"2b1c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"}}
JSON
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/cri-containerd-$id.scope

shrike-logsink /dev/log >/tmp/syslog.out 2>&1 &
wait_for "a syslog receiver on /dev/log" 10 test -S /dev/log
insmod /lib/modules/shrike.ko
shrike-agent -r rules/agent.yaml -o json_output=true -o syslog_output.enabled=true \
	-o "container_engines.containerd.state_dirs=[/tmp/containerd]" \
	-o webserver.listen_address=127.0.0.1 >/tmp/agent.out 2>/tmp/agent.err &
agent=$!
wait_for "agent ready" 10 grep -q 'waiting for events' /tmp/agent.err

# A shell moved into the container's cgroup reads /etc/shadow.
sh -c "echo \$\$ >/sys/fs/cgroup/cri-containerd-$id.scope/cgroup.procs; /bin/busybox cat /etc/shadow >/dev/null"
# Outside it, the same read matches nothing.
/bin/busybox cat /etc/shadow >/dev/null

cat >/tmp/exec.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseStarted",
 "requestURI":"/api/v1/namespaces/prod/pods/web-1/exec?command=sh","verb":"create",
 "user":{"username":"alice"},"objectRef":{"resource":"pods","namespace":"prod","name":"web-1","subresource":"exec"},
 "stageTimestamp":"2024-01-02T03:04:05.000000Z","requestReceivedTimestamp":"2024-01-02T03:04:05.000000Z"}
JSON
wget -q -O /tmp/resp --header 'Content-Type: application/json' --post-file /tmp/exec.json \
	http://127.0.0.1:8765/k8s-audit
expect_eq "webhook answer" "<html><body>Ok</body></html>" "$(cat /tmp/resp)"
wget -q -O /tmp/resp --header 'Content-Type: text/plain' --post-file /tmp/exec.json \
	http://127.0.0.1:8765/k8s-audit 2>/dev/null && fail "wrong content type accepted"
wget -q -O /tmp/resp http://127.0.0.1:8765/healthz
expect_eq "healthz" '{"status": "ok"}' "$(cat /tmp/resp)"

wait_for "two alerts" 10 lines_ge /tmp/agent.out 2
sleep 2	# a stats tick, for the kernel counters in /metrics
wget -q -O /tmp/metrics http://127.0.0.1:8765/metrics
grep -q '^shrike_kernel_events_total [1-9]' /tmp/metrics || fail "no kernel counters in /metrics"
grep -q '^shrike_matches_total{rule="Shadow read in a pod",priority="Warning",source="syscall"} 1$' /tmp/metrics ||
	fail "no syscall match in /metrics"
echo "ok: metrics"

# SIGHUP recompiles and swaps the table.
kill -HUP $agent
wait_for "reload" 10 grep -q 'table .* loaded$' /tmp/agent.err

kill $agent
wait $agent || true
cat /tmp/agent.err
cat /tmp/agent.out
# The fields that matter, without the times.
shadow=$(grep '"Shadow read in a pod"' /tmp/agent.out)
case $shadow in
*'"output_fields": {'*'"container.id":"111122223333","container.image.repository":"docker.io/library/nginx","container.image.tag":"1.25.3","container.name":"web"'*'"k8s.ns.name":"prod","k8s.pod.name":"web-7d4b9c8f6-x2kqz","user.name":"root"}}') echo "ok: container and pod fields" ;;
*) fail "container alert: $shadow" ;;
esac
grep -q '"output":"[^"]*: Notice Exec into prod/web-1 by alice","priority":"Notice","rule":"Exec into a pod","source":"k8s_audit"' /tmp/agent.out ||
	fail "no webhook alert"
echo "ok: webhook alert"
expect_eq "alerts" 2 "$(wc -l </tmp/agent.out)"
# Each alert in syslog, as sent: <PRI> (facility user = 8, plus the level:
# Falco's priorities are syslog's levels), the time, shrike[PID], the line.
while IFS= read -r l; do
	case $(echo "$l" | sed -n 's/.*"priority":"\([A-Za-z]*\)".*/\1/p') in
	Emergency) v=0 ;; Alert) v=1 ;; Critical) v=2 ;; Error) v=3 ;;
	Warning) v=4 ;; Notice) v=5 ;; Informational) v=6 ;; *) v=7 ;;
	esac
	echo "<$((8 + v))>shrike[$agent]: $l"
done </tmp/agent.out >/tmp/syslog.want
sed -n 's/^\(<[0-9]*>\)[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] \(shrike\[[0-9]*\]: {"hostname".*\)/\1\2/p' \
	/tmp/syslog.out >/tmp/syslog.got
expect_eq "alerts in syslog" "$(cat /tmp/syslog.want)" "$(cat /tmp/syslog.got)"
rmmod shrike
echo "agent: done"
