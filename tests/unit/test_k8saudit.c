/* test_k8saudit.c - every k8s audit field on the fixtures in
 * tests/unit/k8s/, and hostile JSON shapes. Times are rendered with
 * TZ=UTC. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "lib/event.h"
#include "event_fixtures.h"
#include "lib/k8saudit.h"
#include "lib/fields.h"

/* ---- k8s audit ------------------------------------------------------------------- */

START_TEST(test_k8s_privileged_pod)
{
	struct uevent ev;

	utc();
	load_audit(&ev, "pod_create_privileged.json");
	EQ(&ev, "ka.auditid", "7c3f5e8a-1b2d-4c6e-9f0a-2b4d6e8f0a1c");
	EQ(&ev, "ka.stage", "ResponseComplete");
	EQ(&ev, "ka.auth.decision", "allow");
	EQ(&ev, "ka.auth.reason", "");
	EQ(&ev, "ka.auth.openshift.decision", "<NA>");
	EQ(&ev, "ka.security.pod.violations", "<NA>");
	EQ(&ev, "ka.user.name", "kubernetes-admin");
	EQ(&ev, "ka.user.groups", "(system:masters,system:authenticated)");
	EQ(&ev, "ka.impuser.name", "<NA>");
	EQ(&ev, "ka.verb", "create");
	EQ(&ev, "ka.uri",
	   "/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply&fieldValidation=Strict");
	EQ(&ev, "ka.uri.param[fieldManager]", "kubectl-client-side-apply");
	EQ(&ev, "ka.uri.param[fieldValidation]", "Strict");
	EQ(&ev, "ka.uri.param[dryRun]", "<NA>");
	EQ(&ev, "ka.target.name", "nginx-priv");
	EQ(&ev, "ka.target.namespace", "default");
	EQ(&ev, "ka.target.resource", "pods");
	EQ(&ev, "ka.target.subresource", "<NA>");
	EQ(&ev, "ka.target.pod.name", "nginx-priv");
	EQ(&ev, "ka.req.pod.containers.name", "(nginx,sidecar)");
	EQ(&ev, "ka.req.pod.containers.image",
	   "(docker.io/library/nginx:1.25.3,quay.io/prometheus/node-exporter@sha256:"
	   "4cb2b9019f1757be8482419002cb7afe028fdba35d47958829e4cfeaf6246d80)");
	EQ(&ev, "ka.req.pod.containers.image[0]", "(docker.io/library/nginx:1.25.3)");
	EQ(&ev, "ka.req.pod.containers.image[2]", "<NA>");
	EQ(&ev, "ka.req.pod.containers.image.repository",
	   "(docker.io/library/nginx,quay.io/prometheus/node-exporter)");
	EQ(&ev, "ka.req.container.image", "docker.io/library/nginx:1.25.3");
	EQ(&ev, "ka.req.container.image.repository", "docker.io/library/nginx");
	/* hostPort where set, else containerPort (the host's with hostNetwork). */
	EQ(&ev, "ka.req.pod.containers.host_port", "(8080,443)");
	EQ(&ev, "ka.req.pod.containers.host_port[1]", "<NA>");
	/* Containers without the setting are skipped, not "false". */
	EQ(&ev, "ka.req.pod.containers.privileged", "(true)");
	EQ(&ev, "ka.req.pod.containers.privileged[0]", "(true)");
	EQ(&ev, "ka.req.pod.containers.privileged[1]", "<NA>");
	EQ(&ev, "ka.req.container.privileged", "true");
	EQ(&ev, "ka.req.pod.containers.allow_privilege_escalation", "(true)");
	EQ(&ev, "ka.req.pod.containers.read_only_fs", "(true)");
	EQ(&ev, "ka.req.pod.containers.run_as_user", "(0)");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_user", "(1000,0)");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_user[1]", "(0)");
	EQ(&ev, "ka.req.pod.containers.run_as_group", "<NA>");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_group", "(0,0)");
	EQ(&ev, "ka.req.pod.containers.proc_mount", "(Default)");
	EQ(&ev, "ka.req.pod.containers.add_capabilities", "([\"NET_ADMIN\",\"SYS_TIME\"])");
	EQ(&ev, "ka.req.pod.containers.command", "<NA>");
	EQ(&ev, "ka.req.pod.initContainers.name", "(init)");
	EQ(&ev, "ka.req.pod.initContainers.image", "(busybox:1.36)");
	EQ(&ev, "ka.req.pod.initContainers.image.repository", "(busybox)");
	EQ(&ev, "ka.req.pod.initContainers.command", "([\"sh\",\"-c\",\"true\"])");
	EQ(&ev, "ka.req.pod.initContainers.privileged", "<NA>");
	EQ(&ev, "ka.req.pod.initContainers.eff_run_as_user", "(1000)");
	EQ(&ev, "ka.req.pod.ephemeralContainers.image", "<NA>");
	EQ(&ev, "ka.req.pod.run_as_user", "1000");
	EQ(&ev, "ka.req.pod.run_as_group", "<NA>");
	EQ(&ev, "ka.req.pod.fs_group", "2000");
	EQ(&ev, "ka.req.pod.supplemental_groups", "(3000,3001)");
	EQ(&ev, "ka.req.pod.host_network", "true");
	EQ(&ev, "ka.req.container.host_network", "true");
	EQ(&ev, "ka.req.pod.host_pid", "false");
	EQ(&ev, "ka.req.pod.host_ipc", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.hostpath", "(/etc)");
	EQ(&ev, "ka.req.pod.volumes.hostpath[1]", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.flexvolume_driver", "(example.com/lvm)");
	EQ(&ev, "ka.req.pod.volumes.volume_type", "(hostPath,configMap,flexVolume)");
	EQ(&ev, "ka.req.pod.volumes.volume_type[1]", "(configMap)");
	EQ(&ev, "ka.req.volume.hostpath[/etc]", "true");
	EQ(&ev, "ka.req.volume.hostpath[/e*]", "true");
	EQ(&ev, "ka.req.volume.hostpath[/et]", "false");
	EQ(&ev, "ka.req.volume.hostpath[/var/run/docker.sock]", "false");
	EQ(&ev, "ka.req.binding.subjects", "<NA>");
	EQ(&ev, "ka.req.role.rules", "<NA>");
	EQ(&ev, "ka.req.service.type", "<NA>");
	EQ(&ev, "ka.resp.name", "nginx-priv");
	EQ(&ev, "ka.response.code", "201");
	EQ(&ev, "ka.response.reason", "<NA>");
	EQ(&ev, "ka.useragent", "kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9");
	EQ(&ev, "ka.sourceips", "(172.18.0.1)");
	EQ(&ev, "ka.sourceips[0]", "(172.18.0.1)");
	EQ(&ev, "ka.cluster.name", "<NA>");
	EQ(&ev, "jevt.time", "03:04:05.123456000");
	EQ(&ev, "jevt.time.iso8601", "2024-01-02T03:04:05.123456000+0000");
	EQ(&ev, "jevt.rawtime", "1704164645123456000");
	EQ(&ev, "jevt.value[/objectRef/resource]", "pods");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/0/ports/0/hostPort]", "8080");
	EQ(&ev, "jevt.value[/requestObject/spec/hostNetwork]", "true");
	EQ(&ev, "jevt.value[/annotations/authorization.k8s.io~1decision]", "allow");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/0/securityContext]",
	   "{\"allowPrivilegeEscalation\":true,\"capabilities\":{\"add\":[\"NET_ADMIN\",\"SYS_TIME\"]},"
	   "\"privileged\":true}");
	EQ(&ev, "jevt.value[/responseStatus/metadata]", "{}");
	EQ(&ev, "jevt.value[/nope]", "<NA>");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/01/name]", "<NA>");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/-]", "<NA>");
	EQ(&ev, "jevt.value[/requestObject/spec/containers/1/name]", "sidecar");
	EQ(&ev, "jevt.value[/verb/x]", "<NA>");
	/* Repeated lookups come from the cache and agree. */
	EQ(&ev, "ka.req.pod.containers.image[0]", "(docker.io/library/nginx:1.25.3)");
	EQ(&ev, "proc.name", "<NA>");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_exec)
{
	struct uevent ev;

	utc();
	load_audit(&ev, "pod_exec.json");
	EQ(&ev, "ka.verb", "create");
	EQ(&ev, "ka.target.resource", "pods");
	EQ(&ev, "ka.target.subresource", "exec");
	EQ(&ev, "ka.target.name", "web-7d4b9c8f6-x2kqz");
	EQ(&ev, "ka.target.namespace", "prod");
	EQ(&ev, "ka.target.pod.name", "web-7d4b9c8f6-x2kqz");
	EQ(&ev, "ka.uri.param[command]", "/bin/sh");
	EQ(&ev, "ka.uri.param[container]", "web");
	EQ(&ev, "ka.uri.param[tty]", "true");
	EQ(&ev, "ka.user.name", "alice@example.com");
	EQ(&ev, "ka.user.groups", "(developers,system:authenticated)");
	EQ(&ev, "ka.impuser.name", "system:serviceaccount:prod:deployer");
	EQ(&ev, "ka.sourceips", "(10.0.0.5,192.168.1.20)");
	EQ(&ev, "ka.sourceips[1]", "(192.168.1.20)");
	EQ(&ev, "ka.sourceips[2]", "<NA>");
	EQ(&ev, "ka.auth.reason",
	   "RBAC: allowed by RoleBinding \"dev-exec/prod\" of Role \"exec\" to Group \"developers\"");
	EQ(&ev, "ka.response.code", "101");
	EQ(&ev, "ka.stage", "ResponseStarted");
	EQ(&ev, "ka.resp.name", "<NA>");
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.req.container.privileged", "<NA>");
	EQ(&ev, "ka.req.volume.hostpath[/etc]", "<NA>");
	EQ(&ev, "ka.req.binding.subject.has_name[x]", "true");
	EQ(&ev, "jevt.time", "05:06:07.987654000");
	EQ(&ev, "jevt.rawtime", "1709528767987654000");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_anonymous_and_readyz)
{
	struct uevent ev;

	load_audit(&ev, "anonymous_api.json");
	EQ(&ev, "ka.user.name", "system:anonymous");
	EQ(&ev, "ka.user.groups", "(system:unauthenticated)");
	EQ(&ev, "ka.verb", "get");
	EQ(&ev, "ka.uri", "/api");
	EQ(&ev, "ka.uri.param[x]", "<NA>");
	EQ(&ev, "ka.target.resource", "<NA>");
	EQ(&ev, "ka.target.name", "<NA>");
	EQ(&ev, "ka.auth.decision", "forbid");
	EQ(&ev, "ka.response.code", "403");
	EQ(&ev, "ka.response.reason", "Forbidden");
	EQ(&ev, "ka.useragent", "curl/8.4.0");
	EQ(&ev, "ka.sourceips", "(203.0.113.7)");
	EQ(&ev, "jevt.value[/responseStatus/message]",
	   "forbidden: User \"system:anonymous\" cannot get path \"/api\"");
	EQ(&ev, "jevt.value[/responseStatus/code]", "403");
	uevent_free(&ev);

	load_audit(&ev, "readyz.json");
	EQ(&ev, "ka.uri", "/readyz");
	EQ(&ev, "ka.verb", "get");
	EQ(&ev, "ka.user.name", "system:anonymous");
	EQ(&ev, "ka.useragent", "kube-probe/1.29");
	EQ(&ev, "ka.response.code", "200");
	EQ(&ev, "ka.auth.decision", "allow");
	EQ(&ev, "ka.target.subresource", "<NA>");
	EQ(&ev, "jevt.value[/level]", "Metadata");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_configmap)
{
	struct uevent ev;

	load_audit(&ev, "configmap_secret.json");
	EQ(&ev, "ka.target.resource", "configmaps");
	EQ(&ev, "ka.req.configmap.name", "app-settings");
	/* ka.* keep the document's order, jevt.* sort keys like nlohmann. */
	EQ(&ev, "ka.req.configmap.obj",
	   "{\"log_level\":\"debug\",\"aws_access_key_id\":\"AKIAIOSFODNN7EXAMPLE\","
	   "\"note\":\"line1\\nline2 \\\"quoted\\\"\"}");
	EQ(&ev, "jevt.value[/requestObject/data]",
	   "{\"aws_access_key_id\":\"AKIAIOSFODNN7EXAMPLE\",\"log_level\":\"debug\","
	   "\"note\":\"line1\\nline2 \\\"quoted\\\"\"}");
	EQ(&ev, "jevt.value[/requestObject/data/aws_access_key_id]", "AKIAIOSFODNN7EXAMPLE");
	EQ(&ev, "ka.uri.param[fieldManager]", "kubectl-create");
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.req.pod.host_network", "<NA>");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_clusterrolebinding)
{
	struct uevent ev;

	utc();
	load_audit(&ev, "crb_cluster_admin.json");
	EQ(&ev, "ka.target.resource", "clusterrolebindings");
	EQ(&ev, "ka.target.name", "backdoor");
	EQ(&ev, "ka.target.namespace", "<NA>");
	EQ(&ev, "ka.target.pod.name", "<NA>");
	EQ(&ev, "ka.req.binding.role", "cluster-admin");
	EQ(&ev, "ka.req.binding.subjects",
	   "({\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"mallory\"},"
	   "{\"kind\":\"ServiceAccount\",\"name\":\"builder\",\"namespace\":\"ci\"},"
	   "{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"contractors\"})");
	EQ(&ev, "ka.req.binding.subjects.user_names", "(mallory)");
	EQ(&ev, "ka.req.binding.subjects.serviceaccount_names", "(builder)");
	EQ(&ev, "ka.req.binding.subjects.serviceaccount_ns_names", "(ci:builder)");
	EQ(&ev, "ka.req.binding.subjects.group_names", "(contractors)");
	EQ(&ev, "ka.req.binding.subject.has_name[mallory]", "true");
	EQ(&ev, "ka.req.role.rules.verbs", "<NA>");
	EQ(&ev, "jevt.time", "09:10:11.000000001");
	EQ(&ev, "jevt.rawtime", "1720429811000000001");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_role_service_workload)
{
	struct uevent ev;
	json_object *j;

	load_audit(&ev, "daemonset_create.json");
	/* A workload's pod template counts as the pod. */
	EQ(&ev, "ka.req.pod.containers.privileged", "(true)");
	EQ(&ev, "ka.req.container.privileged", "true");
	EQ(&ev, "ka.req.pod.containers.image.repository", "(ghcr.io/acme/node-agent)");
	EQ(&ev, "ka.req.container.image", "ghcr.io/acme/node-agent:2.1");
	EQ(&ev, "ka.req.pod.host_pid", "true");
	EQ(&ev, "ka.req.pod.host_ipc", "true");
	EQ(&ev, "ka.req.pod.host_network", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.hostpath", "(/)");
	EQ(&ev, "ka.req.volume.hostpath[/]", "true");
	EQ(&ev, "ka.req.volume.hostpath[/*]", "true");
	EQ(&ev, "ka.user.groups",
	   "(system:serviceaccounts,system:serviceaccounts:kube-system,system:authenticated)");
	uevent_free(&ev);

	j = json_tokener_parse(
		"{\"auditID\":\"r\",\"verb\":\"create\",\"objectRef\":{\"resource\":\"clusterroles\"},"
		"\"requestObject\":{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/exec\"],"
		"\"verbs\":[\"get\",\"create\"]},{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"*\"]}],"
		"\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30080}]}}}");
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
	json_object_put(j);
	EQ(&ev, "ka.req.role.rules",
	   "({\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/exec\"],\"verbs\":[\"get\",\"create\"]},"
	   "{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"*\"]})");
	EQ(&ev, "ka.req.role.rules.verbs", "(get,create,*)");
	EQ(&ev, "ka.req.role.rules.verbs[1]", "(*)");
	EQ(&ev, "ka.req.role.rules.resources", "(pods,pods/exec)");
	EQ(&ev, "ka.req.role.rules.apiGroups", "()");
	EQ(&ev, "ka.req.role.rules.nonResourceURLs", "(/metrics)");
	EQ(&ev, "ka.req.service.type", "NodePort");
	EQ(&ev, "ka.req.service.ports", "([{\"port\":80,\"nodePort\":30080}])");
	EQ(&ev, "jevt.time", "<NA>"); /* no stageTimestamp */
	EQ(&ev, "jevt.obj",
	   "{\"auditID\":\"r\",\"objectRef\":{\"resource\":\"clusterroles\"},\"requestObject\":{\"rules\":"
	   "[{\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"pods/exec\"],\"verbs\":[\"get\",\"create\"]},"
	   "{\"nonResourceURLs\":[\"/metrics\"],\"verbs\":[\"*\"]}],\"spec\":{\"ports\":[{\"nodePort\":30080,"
	   "\"port\":80}],\"type\":\"NodePort\"}},\"verb\":\"create\"}");
	uevent_free(&ev);
}
END_TEST

START_TEST(test_k8s_uri_params)
{
	static const struct {
		const char *uri, *key, *exp;
	} c[] = {
		{ "/x?a=1&a=2", "a", "1" },	 { "/x?a+b=c+d&e=%2Fz", "a b", "c d" },
		{ "/x?e=%2Fz", "e", "/z" },	 { "/x?flag", "flag", "" },
		{ "/x?a=1;b=2", "a", "<NA>" },	 /* Go rejects semicolons */
		{ "/x?a=%zz&b=1", "b", "<NA>" }, /* any bad escape spoils all */
		{ "/x#frag?a=1", "a", "<NA>" },	 { "/x?a=1#frag", "a", "1" },
		{ "/%zz?a=1", "a", "<NA>" },	 { "/x?=v&a=", "a", "" },
	};
	struct uevent ev;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_object *j = json_object_new_object();
		char tok[64];

		json_object_object_add(j, "auditID", json_object_new_string("u"));
		json_object_object_add(j, "requestURI", json_object_new_string(c[i].uri));
		ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
		json_object_put(j);
		snprintf(tok, sizeof(tok), "ka.uri.param[%s]", c[i].key);
		ck_assert_msg(!strcmp(val(&ev, tok), c[i].exp), "%s [%s]: got %s", c[i].uri,
			      c[i].key, val(&ev, tok));
		uevent_free(&ev);
	}
}
END_TEST

START_TEST(test_k8s_time_and_pointer)
{
	json_object *j = json_tokener_parse("{\"a/b\":{\"m~n\":[10,{\"\":null}]}}"), *o;
	u64 ns;

	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05Z", &ns), 0);
	ck_assert(ns == 1704164645000000000ull);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05.5Z", &ns), 0);
	ck_assert(ns == 1704164645500000000ull);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05.1234567891Z", &ns), 0);
	ck_assert(ns == 1704164645123456789ull);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02 03:04:05Z", &ns), -EINVAL);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05+01:00", &ns), -EINVAL);
	ck_assert_int_eq(k8saudit_parse_time("2024-01-02T03:04:05.Z", &ns), -EINVAL);

	ck_assert_int_eq(k8saudit_pointer(j, "/a~1b/m~0n/0", 12, &o), 0);
	ck_assert_int_eq(json_object_get_int(o), 10);
	ck_assert_int_eq(k8saudit_pointer(j, "/a~1b/m~0n/1/", 13, &o), 0);
	ck_assert_ptr_null(o); /* JSON null */
	ck_assert_int_eq(k8saudit_pointer(j, "/a~1b/m~0n/1//x", 15, &o), -ENOENT);
	ck_assert_int_eq(k8saudit_pointer(j, "/a~2b", 5, &o), -ENOENT);
	ck_assert_int_eq(k8saudit_pointer(j, "a", 1, &o), -ENOENT);
	ck_assert_int_eq(k8saudit_pointer(j, "", 0, &o), 0);
	ck_assert_ptr_eq(o, j);
	json_object_put(j);
}
END_TEST

/* Every k8s field with a spread of arguments: values or MISSING, no crash. */
static void every_field(struct uevent *ev)
{
	static const char *const args[] = { NULL, "0",	  "1", "7", "999999999999",
					    "/",  "/a/0", "*", "x" };
	char tok[512], buf[256];
	struct uevent_ctx c = { NULL, ev };
	size_t i, k;

	for (i = 0; i < fields_count(); i++) {
		const struct field_info *fi = field_at(i);

		if (fi->source != SHRIKE_SRC_K8S_AUDIT)
			continue;
		for (k = 0; k < sizeof(args) / sizeof(args[0]); k++) {
			int n = args[k] ? snprintf(tok, sizeof(tok), "%s[%s]", fi->name, args[k])
					: snprintf(tok, sizeof(tok), "%s", fi->name);

			(void)uevent_get_str(&c, tok, (size_t)n, buf, sizeof(buf));
		}
	}
}

START_TEST(test_k8s_hostile_shapes)
{
	static const char *const docs[] = {
		"{}",
		"{\"auditID\":1}",
		"{\"auditID\":null,\"user\":[],\"requestObject\":\"x\",\"objectRef\":7}",
		"{\"auditID\":\"a\",\"requestObject\":{\"spec\":{\"containers\":{\"image\":\"x\"},"
		"\"volumes\":[null,1,\"s\",[],{\"hostPath\":null}],\"securityContext\":[]}}}",
		"{\"auditID\":\"a\",\"requestObject\":{\"spec\":{\"containers\":[null,1,[{\"image\":3}],"
		"{\"ports\":{\"hostPort\":1}},{\"ports\":[null,5,{\"hostPort\":{}}]}],"
		"\"template\":5},\"rules\":[1,{\"verbs\":\"get\"}],\"subjects\":[{\"kind\":1},null]},"
		"\"sourceIPs\":\"1.2.3.4\",\"requestURI\":5,\"stageTimestamp\":\"nope\"}",
		"{\"auditID\":\"a\",\"requestObject\":{\"spec\":{\"template\":{\"spec\":[]},"
		"\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"cron:1\"}]}}}}}}}",
	};
	struct uevent ev;
	json_object *j, *deep, *cur;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		j = json_tokener_parse(docs[i]);
		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
		json_object_put(j);
		every_field(&ev);
		uevent_free(&ev);
	}
	j = json_tokener_parse(docs[3]);
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.req.pod.containers.image", "(x)");
	EQ(&ev, "ka.req.pod.volumes.hostpath", "<NA>");
	EQ(&ev, "ka.req.pod.volumes.volume_type", "(hostPath)");
	EQ(&ev, "ka.req.pod.containers.eff_run_as_user", "<NA>");
	uevent_free(&ev);
	j = json_tokener_parse(docs[4]);
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.req.pod.containers.host_port", "<NA>");
	EQ(&ev, "ka.req.binding.subjects", "({\"kind\":1},null)");
	EQ(&ev, "ka.req.role.rules.verbs", "<NA>");
	EQ(&ev, "ka.sourceips", "<NA>");
	EQ(&ev, "ka.uri.param[a]", "<NA>");
	EQ(&ev, "jevt.time", "<NA>");
	uevent_free(&ev);
	j = json_tokener_parse(docs[5]);
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.req.pod.containers.image", "(cron:1)");
	uevent_free(&ev);
	/* Not an audit event at all: ka.* have no value, jevt.* still work. */
	j = json_tokener_parse("{\"verb\":\"get\"}");
	uevent_from_audit(&ev, j);
	json_object_put(j);
	EQ(&ev, "ka.verb", "<NA>");
	EQ(&ev, "jevt.value[/verb]", "get");
	uevent_free(&ev);
	ck_assert_int_eq(uevent_from_audit(&ev, NULL), -EINVAL);
	EQ(&ev, "jevt.obj", "<NA>");
	uevent_free(&ev);
	j = json_object_new_array();
	ck_assert_int_eq(uevent_from_audit(&ev, j), -EINVAL);
	json_object_put(j);
	uevent_free(&ev);

	/* Arrays nested far deeper than any parser would allow, and a wide one. */
	deep = json_object_new_array();
	cur = deep;
	for (i = 0; i < 5000; i++) {
		json_object *n = json_object_new_array();

		json_object_array_add(cur, n);
		cur = n;
	}
	j = json_object_new_object();
	json_object_object_add(j, "auditID", json_object_new_string("d"));
	cur = json_object_new_object();
	json_object_object_add(j, "requestObject", cur);
	json_object_object_add(cur, "rules", json_object_get(deep));
	json_object_object_add(cur, "subjects", deep);
	cur = json_object_new_object();
	json_object_object_add(json_object_object_get(j, "requestObject"), "spec", cur);
	json_object_object_add(cur, "containers", json_object_get(deep));
	deep = json_object_new_array();
	for (i = 0; i < 200000; i++)
		json_object_array_add(deep, json_object_new_string("10.0.0.1"));
	json_object_object_add(j, "sourceIPs", deep);
	ck_assert_int_eq(uevent_from_audit(&ev, j), 0);
	json_object_put(j);
	every_field(&ev);
	EQ(&ev, "ka.req.pod.containers.image", "<NA>");
	EQ(&ev, "ka.sourceips[199999]", "(10.0.0.1)");
	uevent_free(&ev);
}
END_TEST

Suite *make_k8saudit_suite(void)
{
	Suite *s = suite_create("k8saudit");
	TCase *tc = tcase_create("k8saudit");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_k8s_privileged_pod);
	tcase_add_test(tc, test_k8s_exec);
	tcase_add_test(tc, test_k8s_anonymous_and_readyz);
	tcase_add_test(tc, test_k8s_configmap);
	tcase_add_test(tc, test_k8s_clusterrolebinding);
	tcase_add_test(tc, test_k8s_role_service_workload);
	tcase_add_test(tc, test_k8s_uri_params);
	tcase_add_test(tc, test_k8s_time_and_pointer);
	tcase_add_test(tc, test_k8s_hostile_shapes);
	suite_add_tcase(s, tc);
	return s;
}
