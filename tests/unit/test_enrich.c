/* test_enrich.c - the agent's enrichment: container and pod fields from
 * fixture runtime state directories (tests/unit/containers/), and cached
 * user and group names. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "agent/config.h"
#include "agent/enrich.h"
#include "lib/event.h"
#include "kmod/uapi/shrike.h"
#include "agent_helpers.h"

/* ---- enrichment from fixture runtime directories --------------------------------- */

static const char *fval(struct uevent *ev, const char *token)
{
	static char buf[4096];
	struct uevent_ctx c = { NULL, ev };
	int r = uevent_get_str(&c, token, strlen(token), buf, sizeof(buf));

	ck_assert_msg(r >= 0, "token %s: %d", token, r);
	return r ? buf : "<NA>";
}

static struct enricher *fixture_enricher(struct config *c)
{
	char dir[512], kv[700];
	const char *f = __FILE__, *slash = strrchr(f, '/');

	snprintf(dir, sizeof(dir), "%.*scontainers", slash ? (int)(slash - f + 1) : 0, f);
	config_init(c);
	snprintf(kv, sizeof(kv), "container_engines.docker.root=%s/docker", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	snprintf(kv, sizeof(kv), "container_engines.containerd.state_dirs=[%s/containerd]", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	snprintf(kv, sizeof(kv), "container_engines.cri-o.state_dirs=[/nonexistent, %s/crio]", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	snprintf(kv, sizeof(kv), "container_engines.proc_root=%s/proc", dir);
	ck_assert_int_eq(config_set(c, kv, NULL), 0);
	ck_assert_int_eq(config_set(c, "container_engines.cache_size=2", NULL), 0);
	return enricher_new(c);
}

static void container_event(struct uevent *ev, const char *id, u64 pid, u64 uid)
{
	uevent_init(ev, SHRIKE_SRC_SYSCALL);
	ck_assert_int_eq(uevent_set_str(ev, SHRIKE_F_CONTAINER_ID, NULL, id, strlen(id)), 0);
	if (pid)
		ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_PROC_PID, NULL, pid), 0);
	ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_USER_UID, NULL, uid), 0);
	ck_assert_int_eq(uevent_set_u64(ev, SHRIKE_F_GROUP_GID, NULL, uid), 0);
}

START_TEST(test_enrich_runtimes)
{
	struct config c;
	struct enricher *en = fixture_enricher(&c);
	struct uevent ev;

	ck_assert_ptr_nonnull(en);
	/* Docker: names, image parts, mounts, Privileged from hostconfig. */
	container_event(&ev, "abcdef123456", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "web-frontend");
	ck_assert_str_eq(fval(&ev, "container.type"), "docker");
	ck_assert_str_eq(fval(&ev, "container.image"),
			 "registry.example.com:5000/team/nginx:1.25.3");
	ck_assert_str_eq(fval(&ev, "container.image.repository"),
			 "registry.example.com:5000/team/nginx");
	ck_assert_str_eq(fval(&ev, "container.image.tag"), "1.25.3");
	ck_assert_str_eq(fval(&ev, "container.image.id"), "5a3ea7e55ed1");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "true");
	ck_assert_str_eq(fval(&ev, "container.mounts"),
			 "/srv/data:/data::true:rprivate,/srv/conf:/etc/conf:ro:false:rprivate");
	ck_assert_str_eq(fval(&ev, "k8s.pod.name"), "<NA>");
	ck_assert_str_eq(fval(&ev, "user.name"), "root"); /* no pid: the host's */
	uevent_free(&ev);

	/* containerd/CRI: the OCI bundle's annotations. */
	container_event(&ev, "111122223333", 4242, 101);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "web");
	ck_assert_str_eq(fval(&ev, "container.type"), "containerd");
	ck_assert_str_eq(fval(&ev, "container.image.repository"), "docker.io/library/nginx");
	ck_assert_str_eq(fval(&ev, "container.image.tag"), "<NA>");
	ck_assert_str_eq(fval(&ev, "container.image.digest"),
			 "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "false");
	ck_assert_str_eq(fval(&ev, "container.mounts"),
			 "/var/lib/kubelet/pods/2b1c/volumes/logs:/var/log/app::true:rprivate,"
			 "/var/lib/kubelet/pods/2b1c/etc-hosts:/etc/hosts::false:rprivate");
	ck_assert_str_eq(fval(&ev, "k8s.pod.name"), "web-7d4b9c8f6-x2kqz");
	ck_assert_str_eq(fval(&ev, "k8s.ns.name"), "prod");
	ck_assert_str_eq(fval(&ev, "k8s.pod.uid"), "2b1c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d");
	ck_assert_str_eq(fval(&ev, "k8s.pod.sandbox_id"), "fedcba987654");
	ck_assert_str_eq(fval(&ev, "k8s.pod.labels"), "<NA>");
	/* The container's own passwd through /proc/PID/root. */
	ck_assert_str_eq(fval(&ev, "user.name"), "nginx");
	ck_assert_str_eq(fval(&ev, "user.homedir"), "/var/cache/nginx");
	ck_assert_str_eq(fval(&ev, "group.name"), "nginx");
	uevent_free(&ev);

	/* cri-o: annotations, the pod labels from the sandbox, privileged. */
	container_event(&ev, "444455556666", 4242, 555);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "agent");
	ck_assert_str_eq(fval(&ev, "container.type"), "cri-o");
	ck_assert_str_eq(fval(&ev, "container.image.repository"), "quay.io/acme/agent");
	ck_assert_str_eq(fval(&ev, "container.image.tag"), "v2");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "true");
	ck_assert_str_eq(fval(&ev, "container.mounts"), "/:/host::true:rslave");
	ck_assert_str_eq(fval(&ev, "k8s.ns.name"), "kube-system");
	ck_assert_str_eq(fval(&ev, "k8s.pod.name"), "node-agent-abcde");
	ck_assert_str_eq(fval(&ev, "k8s.pod.labels"),
			 "app:node-agent, controller-revision-hash:6d5f, tier:system");
	/* A uid the container does not know: no name, not the host's. */
	ck_assert_str_eq(fval(&ev, "user.name"), "<NA>");
	uevent_free(&ev);

	/* Unknown container, host, short id: nothing invented. */
	container_event(&ev, "0123456789ab", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "<NA>");
	ck_assert_str_eq(fval(&ev, "container.privileged"), "<NA>");
	uevent_free(&ev);
	container_event(&ev, "host", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "host");
	ck_assert_str_eq(fval(&ev, "k8s.ns.name"), "<NA>");
	uevent_free(&ev);
	container_event(&ev, "abc", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "<NA>");
	uevent_free(&ev);

	/* The cache holds 2: the others were evicted, and come back. */
	container_event(&ev, "abcdef123456", 0, 0);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "container.name"), "web-frontend");
	uevent_free(&ev);
	enricher_free(en);
	config_free(&c);
}
END_TEST

/* ---- user and group names, cached --------------------------------------------- */

static void put_file(const char *path, const char *text)
{
	char cmd[700];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void proc_files(const char *proc, unsigned pid, const char *passwd, const char *group)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%u/root/etc/passwd", proc, pid);
	put_file(path, passwd);
	if (group) {
		snprintf(path, sizeof(path), "%s/%u/root/etc/group", proc, pid);
		put_file(path, group);
	}
}

/* user.name, group.name of uid = gid in container cid's process pid. */
static void names(struct enricher *en, const char *cid, u64 pid, u64 uid, const char *user,
		  const char *group)
{
	struct uevent ev;

	container_event(&ev, cid, pid, uid);
	enrich_event(en, &ev);
	ck_assert_msg(!strcmp(fval(&ev, "user.name"), user), "pid %llu uid %llu: user %s, not %s",
		      (unsigned long long)pid, (unsigned long long)uid, fval(&ev, "user.name"),
		      user);
	if (group)
		ck_assert_str_eq(fval(&ev, "group.name"), group);
	uevent_free(&ev);
}

START_TEST(test_enrich_id_cache)
{
	struct config c;
	struct enricher *en;
	struct uevent ev;
	char *d = tmpdir(), proc[300], kv[400], path[600], target[600], cmd[700], want[32];
	unsigned pid;
	int round;
	time_t t0;

	snprintf(proc, sizeof(proc), "%s/proc", d);
	config_init(&c);
	snprintf(kv, sizeof(kv), "container_engines.proc_root=%s", proc);
	ck_assert_int_eq(config_set(&c, kv, NULL), 0);
	ck_assert_int_eq(config_set(&c, "container_engines.docker.enabled=false", NULL), 0);
	ck_assert_int_eq(config_set(&c, "container_engines.containerd.enabled=false", NULL), 0);
	ck_assert_int_eq(config_set(&c, "container_engines.cri-o.enabled=false", NULL), 0);
	en = enricher_new(&c);
	ck_assert_ptr_nonnull(en);
	proc_files(proc, 100,
		   "root:x:0:0:root:/root:/bin/sh\n# comment\nbad:x::1\n"
		   "alice:x:1000:1000::/home/alice:/bin/ash\nalice2:x:1000:1000:::\n",
		   "root:x:0:\nstaff:x:1000:alice\n");

	/* The container's own names, the first line of an id; its home and shell. */
	container_event(&ev, "aaaabbbbcccc", 100, 1000);
	enrich_event(en, &ev);
	ck_assert_str_eq(fval(&ev, "user.name"), "alice");
	ck_assert_str_eq(fval(&ev, "user.homedir"), "/home/alice");
	ck_assert_str_eq(fval(&ev, "user.shell"), "/bin/ash");
	ck_assert_str_eq(fval(&ev, "group.name"), "staff");
	uevent_free(&ev);
	/* An id the container does not know has no name, not the host's. */
	names(en, "aaaabbbbcccc", 100, 4242, "<NA>", "<NA>");
	/* A process that is gone (no /proc entry): the host's. */
	names(en, "aaaabbbbcccc", 999, 0, "root", NULL);
	/* The host's, cached, the same every time. */
	names(en, "host", 0, 0, "root", NULL);
	names(en, "host", 0, 0, "root", NULL);

	/* More containers (their own files) than files cached, more processes
	 * than processes cached: still each one's own names. */
	for (pid = 200; pid < 240; pid++) {
		char pw[128];

		snprintf(pw, sizeof(pw), "u%u:x:1000:1000::/:/bin/sh\n", pid);
		proc_files(proc, pid, pw, NULL);
	}
	snprintf(target, sizeof(target), "%s/100/root", proc);
	for (pid = 1000; pid < 1600; pid++) {
		snprintf(path, sizeof(path), "%s/%u", proc, pid);
		ck_assert_int_eq(mkdir(path, 0700), 0);
		snprintf(path, sizeof(path), "%s/%u/root", proc, pid);
		ck_assert_int_eq(symlink(target, path), 0);
	}
	for (round = 0; round < 2; round++) {
		for (pid = 200; pid < 240; pid++) {
			snprintf(want, sizeof(want), "u%u", pid);
			names(en, "aaaabbbbcccc", pid, 1000, want, NULL);
		}
		for (pid = 1000; pid < 1600; pid++)
			names(en, "aaaabbbbcccc", pid, 1000, "alice", "staff");
	}

	/* A changed file is read again, from the next second on. */
	proc_files(proc, 100, "bob:x:1000:1000::/home/bob:/bin/sh\n", NULL);
	t0 = time(NULL);
	while (time(NULL) == t0)
		usleep(20000);
	names(en, "aaaabbbbcccc", 100, 1000, "bob", "staff");
	names(en, "aaaabbbbcccc", 1000, 1000, "bob", "staff");
	/* A pid seen again in another container is another process: its
	 * file is looked at again at once. */
	proc_files(proc, 100, "carol:x:1000:1000::/home/carol:/bin/sh\n", NULL);
	names(en, "ddddeeeeffff", 100, 1000, "carol", "staff");

	enricher_free(en);
	config_free(&c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	ck_assert_int_eq(system(cmd), 0);
	free(d);
}
END_TEST

Suite *make_enrich_suite(void)
{
	Suite *s = suite_create("enrich");
	TCase *tc = tcase_create("enrich");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_enrich_runtimes);
	tcase_add_test(tc, test_enrich_id_cache);
	suite_add_tcase(s, tc);
	return s;
}
