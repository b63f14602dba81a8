// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup.c - the cgroup family: container.id, from current's cgroup v2
 * path (docker, containerd, cri-o and podman scopes), which fd.c also
 * uses for fd.containername and fd.containerdirectory. The container event
 * itself is kmod/container.c.
 */
#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/limits.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include "fields.h"

static bool hex64(const char *s, u32 n)
{
	u32 i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* One cgroup path component: the container id in it, if any. */
static const char *component_id(const char *c, u32 n)
{
	static const char *const prefixes[] = {
		"docker-", "cri-containerd-", "crio-", "libpod-",
	};
	u32 i;

	if (hex64(c, n))
		return c;
	if (!ends_with(c, n, ".scope"))
		return NULL;
	n -= 6;
	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		u32 l = strlen(prefixes[i]);

		if (starts_with(c, n, prefixes[i]) && hex64(c + l, n - l))
			return c + l;
	}
	return NULL;
}

/*
 * The last answer per CPU, keyed by the cgroup's kernfs id: unique for the
 * cgroup's lifetime, and a cgroup v2 path cannot change (no rename on the
 * default hierarchy), so the id stands for the path. A process's execs,
 * opens and its children's all hit it; kernfs_path() and the scan of the
 * path cost about a d_path (make profile).
 */
struct cg_cache {
	u64 kn_id;		/* 0: empty */
	int rc;
	u8 len;
	char id[12];		/* or "host" */
};
static DEFINE_PER_CPU(struct cg_cache, cg_cache);

/*
 * The cgroup is pinned by a reference on its self css, taken under RCU
 * (css_tryget/css_put never sleep); kernfs_path only takes a spinlock.
 * A bare 64-hex component counts only under /docker or /kubepods, as
 * Falco's docker and CRI matchers do. Unrecognised runtimes (lxc, mesos),
 * and "/" (a cgroup v1 system: the answer would be in a v1 hierarchy) are
 * UNKNOWN rather than "host".
 */
struct xstr *shrike_container_info(struct shrike_event *ev)
{
	struct xstr *x = cached(ev, C_CGROUP);
	struct cg_cache *cc;
	struct cgroup *cg;
	char *buf, *c, *id = NULL;
	u64 kn_id;
	bool under_rt = false;
	int n;

	if (x)
		return x;
	x = cache_new(ev, C_CGROUP, sizeof(*x));
	if (!x)
		return NULL;
	x->rc = UNKNOWN;
	rcu_read_lock();
	cg = task_dfl_cgroup(current);
	if (!cg || !css_tryget(&cg->self)) {
		rcu_read_unlock();
		return x;
	}
	rcu_read_unlock();
	kn_id = cgroup_id(cg);
	cc = this_cpu_ptr(&cg_cache);
	if (cc->kn_id == kn_id) {
		css_put(&cg->self);
		x->rc = cc->rc;
		x->len = cc->len;
		x->p = cc->rc == OK ? sdup(ev, cc->id, cc->len) : NULL;
		if (cc->rc == OK && !x->p)
			x->rc = UNKNOWN;
		return x;
	}
	buf = shrike_scratch_alloc(ev, PATH_MAX);
	if (!buf) {
		css_put(&cg->self);
		return x;
	}
	n = kernfs_path(cg->kn, buf, PATH_MAX);
	css_put(&cg->self);
	if (n <= 1 || n >= PATH_MAX || strstr(buf, "lxc") || strstr(buf, "mesos") ||
	    strstr(buf, "garden") || strstr(buf, "bpm")) {
		scratch_shrink(ev, buf, PATH_MAX, 0);
		cc->kn_id = kn_id;
		cc->rc = UNKNOWN;
		return x;
	}
	for (c = buf; *c; ) {
		char *e = strchrnul(c + 1, '/');
		char *comp = *c == '/' ? c + 1 : c;
		const char *hit = component_id(comp, e - comp);

		if (hit && (hit != comp || under_rt))
			id = (char *)hit;
		if (starts_with(comp, e - comp, "docker") || starts_with(comp, e - comp, "kubepods"))
			under_rt = true;
		c = e;
	}
	if (id) {
		char short_id[12];

		memcpy(short_id, id, sizeof(short_id));
		scratch_shrink(ev, buf, PATH_MAX, 0);
		x->p = sdup(ev, short_id, sizeof(short_id));
		x->len = sizeof(short_id);
	} else {
		scratch_shrink(ev, buf, PATH_MAX, 0);
		x->p = "host";
		x->len = 4;
	}
	x->rc = x->p ? OK : UNKNOWN;
	if (x->rc == OK) {
		cc->kn_id = kn_id;
		cc->rc = OK;
		cc->len = x->len;
		memcpy(cc->id, x->p, x->len);
	}
	return x;
}

/* container.id. */
int shrike_fetch_container(struct shrike_event *ev, u16 field, u16 arg, struct shrike_val *out)
{
	struct xstr *xs = shrike_container_info(ev);

	return xs ? ret_xstr(out, xs) : UNKNOWN;
}
