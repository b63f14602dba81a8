# shellcheck shell=sh
# audit_webhook: the default Kubernetes audit rules (rules/k8s_audit_rules.yaml)
# through the agent's webhook, as an API server's webhook audit backend posts
# them (an EventList, or single Events): exactly one alert each for a
# privileged pod, an exec into a pod, an anonymous request allowed, a
# ClusterRoleBinding to cluster-admin and a password in a ConfigMap; none for
# the anonymous probes of /readyz, /livez, /healthz and /version, an
# unprivileged pod or the end of the exec session. Malformed bodies get a 400
# with the reason, and the agent keeps answering and evaluating.
#
# No shrike.ko: the agent runs with --disable-source syscall, as on a control
# plane node that only receives audit events. curl is the client (copied in by
# tests/vm/run.sh): busybox wget drops the body of an error answer.
# shellcheck source=tests/vm/lib.sh
. ./lib.sh

a=/tmp/audit
mkdir -p $a
# anonymous_probe NAME N IP AGENT: an anonymous get of /NAME from IP by AGENT,
# allowed as public information, as $a/anonymous_NAME.json (N: its auditID
# and time).
anonymous_probe() {
	cat >"$a/anonymous_$1.json" <<JSON
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"6b1d2a10-010$2-4c2e-9a51-7f00c0ffee1$2","stage":"ResponseComplete","requestURI":"/$1","verb":"get","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs":["$3"],"userAgent":"$4","responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2025-03-04T09:59:5$2.000000Z","stageTimestamp":"2025-03-04T09:59:5$2.001000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \\"system:public-info-viewer\\" of ClusterRole \\"system:public-info-viewer\\" to Group \\"system:unauthenticated\\""}}
JSON
}
anonymous_probe readyz 0 10.0.0.2 kube-probe/1.30
anonymous_probe livez 1 10.0.0.2 kube-probe/1.30
anonymous_probe healthz 2 10.0.0.3 HAProxy
anonymous_probe version 3 10.0.0.4 Go-http-client/2.0
cat >$a/pod_unprivileged.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"6b1d2a10-0104-4c2e-9a51-7f00c0ffee14","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/pods","verb":"create","user":{"username":"system:serviceaccount:kube-system:replicaset-controller","groups":["system:serviceaccounts","system:serviceaccounts:kube-system","system:authenticated"]},"sourceIPs":["10.0.0.5"],"userAgent":"kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3968350/system:serviceaccount:kube-system:replicaset-controller","objectRef":{"resource":"pods","namespace":"payments","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"Pod","apiVersion":"v1","metadata":{"generateName":"api-6f9c7d8b5-","namespace":"payments","labels":{"app":"api"}},"spec":{"containers":[{"name":"api","image":"ghcr.io/example/payments-api:2.4.1","ports":[{"containerPort":8080}],"securityContext":{"privileged":false,"allowPrivilegeEscalation":false,"runAsNonRoot":true,"capabilities":{"drop":["ALL"]}}}]}},"responseObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"api-6f9c7d8b5-k2x9z","namespace":"payments"}},"requestReceivedTimestamp":"2025-03-04T09:59:54.000000Z","stageTimestamp":"2025-03-04T09:59:54.014000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \"system:controller:replicaset-controller\" of ClusterRole \"system:controller:replicaset-controller\" to ServiceAccount \"replicaset-controller/kube-system\""}}
JSON
cat >$a/exec_session_end.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"6b1d2a10-0002-4c2e-9a51-7f00c0ffee02","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/pods/api-6f9c7d8b5-k2x9z/exec?command=sh&container=api&stdin=true&stdout=true&tty=true","verb":"create","user":{"username":"dev@example.com","groups":["developers","system:authenticated"]},"sourceIPs":["192.0.2.10"],"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/3968350","objectRef":{"resource":"pods","namespace":"payments","name":"api-6f9c7d8b5-k2x9z","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"2025-03-04T10:00:02.000000Z","stageTimestamp":"2025-03-04T10:09:42.500000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by RoleBinding \"dev-edit/payments\" of ClusterRole \"edit\" to Group \"developers\""}}
JSON
cat >$a/pod_privileged.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"6b1d2a10-0001-4c2e-9a51-7f00c0ffee01","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/pods?fieldManager=kubectl-run","verb":"create","user":{"username":"dev@example.com","groups":["developers","system:authenticated"]},"sourceIPs":["192.0.2.10"],"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/3968350","objectRef":{"resource":"pods","namespace":"payments","name":"toolbox","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"toolbox","namespace":"payments","labels":{"run":"toolbox"}},"spec":{"containers":[{"name":"toolbox","image":"docker.io/library/alpine:3.20","command":["sleep","infinity"],"securityContext":{"privileged":true}}],"restartPolicy":"Never"}},"responseObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"toolbox","namespace":"payments","uid":"0d1c2b3a-4958-4677-8695-a4b3c2d1e0f9"}},"requestReceivedTimestamp":"2025-03-04T10:00:01.000000Z","stageTimestamp":"2025-03-04T10:00:01.012000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by RoleBinding \"dev-edit/payments\" of ClusterRole \"edit\" to Group \"developers\""}}
JSON
cat >$a/exec.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"6b1d2a10-0002-4c2e-9a51-7f00c0ffee02","stage":"ResponseStarted","requestURI":"/api/v1/namespaces/payments/pods/api-6f9c7d8b5-k2x9z/exec?command=sh&container=api&stdin=true&stdout=true&tty=true","verb":"create","user":{"username":"dev@example.com","groups":["developers","system:authenticated"]},"sourceIPs":["192.0.2.10"],"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/3968350","objectRef":{"resource":"pods","namespace":"payments","name":"api-6f9c7d8b5-k2x9z","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"2025-03-04T10:00:02.000000Z","stageTimestamp":"2025-03-04T10:00:02.021000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by RoleBinding \"dev-edit/payments\" of ClusterRole \"edit\" to Group \"developers\""}}
JSON
cat >$a/anonymous_secrets.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"6b1d2a10-0003-4c2e-9a51-7f00c0ffee03","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/kube-system/secrets?limit=500","verb":"list","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"sourceIPs":["198.51.100.77"],"userAgent":"python-requests/2.31.0","objectRef":{"resource":"secrets","namespace":"kube-system","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2025-03-04T10:00:03.000000Z","stageTimestamp":"2025-03-04T10:00:03.031000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \"debug-anon\" of ClusterRole \"cluster-admin\" to User \"system:anonymous\""}}
JSON
cat >$a/crb_cluster_admin.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"6b1d2a10-0004-4c2e-9a51-7f00c0ffee04","stage":"ResponseComplete","requestURI":"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create","verb":"create","user":{"username":"dev@example.com","groups":["developers","system:authenticated"]},"sourceIPs":["192.0.2.10"],"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/3968350","objectRef":{"resource":"clusterrolebindings","name":"dev-admin","apiGroup":"rbac.authorization.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"dev-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"dev@example.com"}]},"responseObject":{"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"dev-admin"}},"requestReceivedTimestamp":"2025-03-04T10:00:04.000000Z","stageTimestamp":"2025-03-04T10:00:04.041000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \"bootstrap-admins\" of ClusterRole \"cluster-admin\" to Group \"developers\""}}
JSON
cat >$a/configmap_password.json <<'JSON'
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"6b1d2a10-0005-4c2e-9a51-7f00c0ffee05","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/payments/configmaps?fieldManager=kubectl-client-side-apply","verb":"create","user":{"username":"dev@example.com","groups":["developers","system:authenticated"]},"sourceIPs":["192.0.2.10"],"userAgent":"kubectl/v1.30.2 (linux/amd64) kubernetes/3968350","objectRef":{"resource":"configmaps","namespace":"payments","name":"api-env","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"api-env","namespace":"payments"},"data":{"DB_HOST":"db.payments.svc","DB_USER":"api","DB_PASSWORD":"s3cr3t-Passw0rd"}},"responseObject":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"api-env","namespace":"payments"}},"requestReceivedTimestamp":"2025-03-04T10:00:05.000000Z","stageTimestamp":"2025-03-04T10:00:05.051000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by RoleBinding \"dev-edit/payments\" of ClusterRole \"edit\" to Group \"developers\""}}
JSON

# list FILE...: an EventList of the events in FILEs (one a line).
list() {
	printf '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[%s]}\n' \
		"$(cat "$@" | paste -sd, -)"
}

trap '[ $? = 0 ] || { echo "-- agent stderr:"; cat /tmp/agent.err; echo "-- alerts:"; cat /tmp/alerts.out; }' EXIT
shrike-agent --disable-source syscall -r /rules/k8s_audit_rules.yaml \
	-o webserver.listen_address=127.0.0.1 -o webserver.listen_port=8765 \
	-o syslog_output.enabled=false >/tmp/alerts.out 2>/tmp/agent.err &
agent=$!
wait_for "agent ready" 30 grep -q 'waiting for events' /tmp/agent.err
grep -q 'webserver listening on port 8765$' /tmp/agent.err || fail "webserver not on port 8765"
grep -q '^shrike ' /proc/modules && fail "shrike.ko is loaded: this scenario runs without it"
url=http://127.0.0.1:8765

# post FILE [CONTENT-TYPE]: prints the answer's status code and body.
post() {
	code=$(curl -sS -o /tmp/body -w '%{http_code}' -H "Content-Type: ${2:-application/json}" \
		--data-binary @"$1" $url/k8s-audit) || fail "curl $1: exit $?"
	echo "$code $(cat /tmp/body)"
}
OK="200 <html><body>Ok</body></html>"

# The quiet ones first, as a list and one by one: the alerts that follow
# come after them (each answer is sent once its events are evaluated), so
# the final count shows they gave none.
quiet="anonymous_readyz anonymous_livez anonymous_healthz anonymous_version pod_unprivileged exec_session_end"
# shellcheck disable=SC2046 # a file name per word
list $(for f in $quiet; do echo "$a/$f.json"; done) >$a/quiet_list.json
expect_eq "quiet EventList" "$OK" "$(post $a/quiet_list.json)"
for f in $quiet; do
	expect_eq "quiet $f" "$OK" "$(post "$a/$f.json")"
done

expect_eq "Event pod_privileged" "$OK" "$(post $a/pod_privileged.json)"
wait_for "the privileged pod alert" 10 lines_ge /tmp/alerts.out 1
expect_eq "Event exec" "$OK" "$(post $a/exec.json)"
list $a/anonymous_secrets.json $a/crb_cluster_admin.json $a/configmap_password.json >$a/list.json
expect_eq "EventList of three" "$OK" "$(post $a/list.json)"

# Malformed bodies: a 400 with the reason, and nothing evaluated.
head -c 700 $a/list.json >$a/truncated.json
expect_eq "truncated body" "400 Bad Request: Could not parse data: unexpected end of input" \
	"$(post $a/truncated.json)"
echo 'kind=Event verb=create' >$a/not_json.txt
case $(post $a/not_json.txt) in
"400 Bad Request: Could not parse data: "?*) echo "ok: not JSON" ;;
*) fail "not JSON: $(post $a/not_json.txt)" ;;
esac
echo '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web"}}' >$a/pod.json
expect_eq "not an audit event" "400 Bad Request: Data not recognized as a k8s audit event" \
	"$(post $a/pod.json)"
expect_eq "wrong content type" "400 Wrong Content Type" "$(post $a/exec.json text/plain)"

# Still up, still evaluating: health, and the privileged pod once more.
[ -d /proc/$agent ] || fail "the agent died"
expect_eq "healthz" '200 {"status": "ok"}' "$(curl -sS -w '%{http_code} ' -o /tmp/body $url/healthz; cat /tmp/body)"
expect_eq "Event pod_privileged again" "$OK" "$(post $a/pod_privileged.json)"

wait_for "six alerts" 30 lines_ge /tmp/alerts.out 6
sleep 1
curl -sS -o /tmp/metrics $url/metrics
kill $agent
rc=0
wait $agent || rc=$?
cat /tmp/agent.err
expect_eq "agent exit status" 0 $rc

P="source_ips=(192.0.2.10) user_agent=kubectl/v1.30.2 (linux/amd64) kubernetes/3968350"
PRIV="10:00:01.012000000: Warning Pod started with a privileged container (user=dev@example.com pod=toolbox namespace=payments images=(docker.io/library/alpine:3.20) privileged=(true) $P)"
expect_eq "alerts" "$PRIV
10:00:02.021000000: Notice Exec or attach into a pod (user=dev@example.com pod=api-6f9c7d8b5-k2x9z namespace=payments subresource=exec command=sh container=api $P)
10:00:03.031000000: Warning Request by anonymous user allowed (user=system:anonymous verb=list uri=/api/v1/namespaces/kube-system/secrets?limit=500 reason=RBAC: allowed by ClusterRoleBinding \"debug-anon\" of ClusterRole \"cluster-admin\" to User \"system:anonymous\" source_ips=(198.51.100.77) user_agent=python-requests/2.31.0)
10:00:04.041000000: Warning Binding to cluster-admin created (user=dev@example.com binding=dev-admin subjects=({\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"dev@example.com\"}) role=cluster-admin source_ips=(192.0.2.10))
10:00:05.051000000: Warning ConfigMap with private credentials (user=dev@example.com verb=create configmap=api-env namespace=payments)
$PRIV" "$(cat /tmp/alerts.out)"

# The agent's count: 6 + 6 quiet events, 1 + 1 + 3 + 1 alerting ones; four
# bodies refused.
expect_eq "audit events counted" 'shrike_events_total{source="k8s_audit"} 18' \
	"$(grep '^shrike_events_total{source="k8s_audit"} ' /tmp/metrics)"
expect_eq "400 answers counted" 'shrike_http_requests_total{code="400"} 4' \
	"$(grep '^shrike_http_requests_total{code="400"}' /tmp/metrics)"
echo "audit_webhook: done"
