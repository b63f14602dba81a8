/* enrich.c - container and pod fields, and the user and group ones through
 * userids.c (see enrich.h).
 *
 * The kernel sends container.id as the first 12 characters of the id found
 * in the cgroup path; each runtime keeps one directory per container named
 * by the full id, so a lookup is a prefix scan of a few directories, done
 * once per container and cached. Runtime state read:
 *   docker      ROOT/<id>/config.v2.json (name, image, labels, mounts) and
 *               hostconfig.json (Privileged)
 *   containerd  STATE/<namespace>/<id>/config.json: the OCI bundle, whose
 *               annotations io.kubernetes.cri.* name the container and pod
 *   cri-o       STATE/<id>/userdata/config.json, annotations
 *               io.kubernetes.*, and the sandbox's for the pod labels
 * OCI bundles do not say "privileged": a container is taken as privileged
 * when it keeps CAP_SYS_ADMIN and has no masked paths, which is what the
 * runtimes give a privileged container and nothing else. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "enrich.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "../lib/fields.h"
#include "userids.h"

/* A container not found is looked for again after this many seconds: its
 * runtime may not have written its state yet when its first event comes. */
#define NEGATIVE_TTL 5

enum cfield {
	CF_NAME,
	CF_IMAGE,
	CF_IMAGE_ID,
	CF_TYPE,
	CF_REPO,
	CF_TAG,
	CF_DIGEST,
	CF_MOUNTS,
	CF_POD_NAME,
	CF_POD_UID,
	CF_NS_NAME,
	CF_POD_LABELS,
	CF_SANDBOX_ID,
	__CF_MAX,
};

static const u16 cfield_id[__CF_MAX] = {
	[CF_NAME] = SHRIKE_F_CONTAINER_NAME,
	[CF_IMAGE] = SHRIKE_F_CONTAINER_IMAGE,
	[CF_IMAGE_ID] = SHRIKE_F_CONTAINER_IMAGE_ID,
	[CF_TYPE] = SHRIKE_F_CONTAINER_TYPE,
	[CF_REPO] = SHRIKE_F_CONTAINER_IMAGE_REPOSITORY,
	[CF_TAG] = SHRIKE_F_CONTAINER_IMAGE_TAG,
	[CF_DIGEST] = SHRIKE_F_CONTAINER_IMAGE_DIGEST,
	[CF_MOUNTS] = SHRIKE_F_CONTAINER_MOUNTS,
	[CF_POD_NAME] = SHRIKE_F_K8S_POD_NAME,
	[CF_POD_UID] = SHRIKE_F_K8S_POD_UID,
	[CF_NS_NAME] = SHRIKE_F_K8S_NS_NAME,
	[CF_POD_LABELS] = SHRIKE_F_K8S_POD_LABELS,
	[CF_SANDBOX_ID] = SHRIKE_F_K8S_POD_SANDBOX_ID,
};

struct centry {
	char id[13];
	bool found;
	int privileged; /* -1 unknown */
	char *f[__CF_MAX];
	time_t expires, used;
};

struct enricher {
	bool docker, containerd, crio;
	char *docker_root;
	char **containerd_dirs, **crio_dirs;
	size_t ncontainerd, ncrio;
	char *proc_root;
	long ttl;
	struct centry *cache;
	size_t ncache, cap;
	struct id_caches *ids; /* users and groups: userids.c */
};

static char **dup_list(char *const *l, size_t n)
{
	char **r = calloc(n + 1, sizeof(*r));
	size_t i;

	for (i = 0; r && i < n; i++)
		r[i] = strdup(l[i]);
	return r;
}

static void free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; l && i < n; i++)
		free(l[i]);
	free(l);
}

struct enricher *enricher_new(const struct config *cfg)
{
	struct enricher *en = calloc(1, sizeof(*en));
	char *const *l;
	size_t n;

	if (!en)
		return NULL;
	en->docker = cfg_bool(cfg, CFG_DOCKER_ENABLED);
	en->containerd = cfg_bool(cfg, CFG_CONTAINERD_ENABLED);
	en->crio = cfg_bool(cfg, CFG_CRIO_ENABLED);
	en->docker_root = strdup(cfg_str(cfg, CFG_DOCKER_ROOT));
	l = cfg_list(cfg, CFG_CONTAINERD_STATE_DIRS, &n);
	en->containerd_dirs = dup_list(l, n);
	en->ncontainerd = n;
	l = cfg_list(cfg, CFG_CRIO_STATE_DIRS, &n);
	en->crio_dirs = dup_list(l, n);
	en->ncrio = n;
	en->proc_root = strdup(cfg_str(cfg, CFG_PROC_ROOT));
	en->ttl = (long)cfg_int(cfg, CFG_CONTAINER_CACHE_TTL);
	en->cap = (size_t)cfg_int(cfg, CFG_CONTAINER_CACHE_SIZE);
	en->cache = calloc(en->cap, sizeof(*en->cache));
	en->ids = id_caches_new(en->proc_root);
	if (!en->docker_root || !en->containerd_dirs || !en->crio_dirs || !en->proc_root ||
	    !en->cache || !en->ids) {
		enricher_free(en);
		return NULL;
	}
	return en;
}

static void centry_clear(struct centry *e)
{
	int i;

	for (i = 0; i < __CF_MAX; i++)
		free(e->f[i]);
	memset(e, 0, sizeof(*e));
}

void enricher_free(struct enricher *en)
{
	size_t i;

	if (!en)
		return;
	for (i = 0; i < en->ncache; i++)
		centry_clear(&en->cache[i]);
	free(en->cache);
	id_caches_free(en->ids);
	free(en->docker_root);
	free_list(en->containerd_dirs, en->ncontainerd);
	free_list(en->crio_dirs, en->ncrio);
	free(en->proc_root);
	free(en);
}

/* ---- JSON helpers ------------------------------------------------------------- */

static json_object *jget(json_object *o, const char *k)
{
	json_object *v;

	return o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, k, &v)
		       ? v
		       : NULL;
}

static const char *jstr(json_object *o, const char *k)
{
	json_object *v = jget(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static void setf(struct centry *e, enum cfield f, const char *s)
{
	if (s && *s && !e->f[f])
		e->f[f] = strdup(s);
}

/* A directory entry of dir whose name starts with the 12-character id. */
static char *find_prefixed(const char *dir, const char *id)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *r = NULL;

	if (!d)
		return NULL;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, id, 12) && strlen(de->d_name) >= 12) {
			r = strdup(de->d_name);
			break;
		}
	closedir(d);
	return r;
}

/* "host:5000/org/app:1.2@sha256:..." -> repository, tag, digest. */
static void split_image(struct centry *e, const char *image)
{
	char *s = strdup(image), *at, *slash, *colon;

	if (!s)
		return;
	at = strchr(s, '@');
	if (at) {
		*at = 0;
		setf(e, CF_DIGEST, at + 1);
	}
	slash = strrchr(s, '/');
	colon = strrchr(s, ':');
	if (colon && (!slash || colon > slash)) {
		*colon = 0;
		setf(e, CF_TAG, colon + 1);
	} else if (!at) {
		setf(e, CF_TAG, "latest");
	}
	setf(e, CF_REPO, s);
	free(s);
}

static void add_mount(char **acc, const char *src, const char *dst, const char *mode, bool rw,
		      const char *prop)
{
	char *n;

	if (asprintf(&n, "%s%s%s:%s:%s:%s:%s", *acc ? *acc : "", *acc ? "," : "", src ? src : "",
		     dst ? dst : "", mode ? mode : "", rw ? "true" : "false", prop ? prop : "") < 0)
		return;
	free(*acc);
	*acc = n;
}

/* ---- OCI bundles (containerd, cri-o) --------------------------------------------- */

static bool oci_privileged(json_object *cfg)
{
	json_object *caps = jget(jget(jget(cfg, "process"), "capabilities"), "bounding");
	json_object *masked = jget(jget(cfg, "linux"), "maskedPaths");
	bool sys_admin = false;
	size_t i;

	if (!caps || !json_object_is_type(caps, json_type_array))
		return false;
	for (i = 0; i < json_object_array_length(caps); i++) {
		json_object *c = json_object_array_get_idx(caps, i);

		if (json_object_is_type(c, json_type_string) &&
		    !strcmp(json_object_get_string(c), "CAP_SYS_ADMIN"))
			sys_admin = true;
	}
	return sys_admin && (!masked || !json_object_is_type(masked, json_type_array) ||
			     json_object_array_length(masked) == 0);
}

static void oci_mounts(struct centry *e, json_object *cfg)
{
	json_object *m = jget(cfg, "mounts");
	char *acc = NULL;
	size_t i, j;

	if (!m || !json_object_is_type(m, json_type_array))
		return;
	for (i = 0; i < json_object_array_length(m); i++) {
		json_object *mt = json_object_array_get_idx(m, i), *opts = jget(mt, "options");
		const char *type = jstr(mt, "type"), *prop = "";
		bool rw = true, bind = type && !strcmp(type, "bind");

		if (opts && json_object_is_type(opts, json_type_array))
			for (j = 0; j < json_object_array_length(opts); j++) {
				const char *o =
					json_object_get_string(json_object_array_get_idx(opts, j));

				if (!o)
					continue;
				if (!strcmp(o, "ro"))
					rw = false;
				else if (!strcmp(o, "bind") || !strcmp(o, "rbind"))
					bind = true;
				else if (strstr(o, "private") || strstr(o, "shared") ||
					 strstr(o, "slave"))
					prop = o;
			}
		/* Falco lists the user's volumes, not the runtime's own
		 * proc/sys/dev mounts. */
		if (bind)
			add_mount(&acc, jstr(mt, "source"), jstr(mt, "destination"), "", rw, prop);
	}
	if (acc)
		e->f[CF_MOUNTS] = acc;
}

/* "app:web, tier:front": Falco's k8s.pod.labels, sorted, without the
 * runtime's own io.kubernetes.* labels. */
static void labels_from_json_string(struct centry *e, const char *s)
{
	json_object *l = s ? json_tokener_parse(s) : NULL;
	char *keys[256], *acc = NULL, *n;
	size_t nk = 0, i, j;

	if (!l || !json_object_is_type(l, json_type_object)) {
		json_object_put(l);
		return;
	}
	json_object_object_foreach(l, k, v)
	{
		if (nk < 256 && strncmp(k, "io.kubernetes.", 14) &&
		    json_object_is_type(v, json_type_string))
			keys[nk++] = k;
	}
	for (i = 1; i < nk; i++)
		for (j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			char *t = keys[j];

			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	for (i = 0; i < nk; i++) {
		if (asprintf(&n, "%s%s%s:%s", acc ? acc : "", acc ? ", " : "", keys[i],
			     jstr(l, keys[i])) < 0)
			break;
		free(acc);
		acc = n;
	}
	if (acc)
		e->f[CF_POD_LABELS] = acc;
	json_object_put(l);
}

/* What an OCI runtime's bundle of a container is called and which of its
 * annotations name the container and its pod. */
struct oci_keys {
	const char *type;   /* container.type */
	const char *config; /* the bundle's config.json, below the container's directory */
	const char *name, *image, *pod_name, *pod_ns, *pod_uid, *sandbox_id;
	const char *sandbox_labels; /* the sandbox's annotation with the pod labels, or NULL */
};

static const struct oci_keys containerd_keys = {
	.type = "containerd",
	.config = "config.json",
	.name = "io.kubernetes.cri.container-name",
	.image = "io.kubernetes.cri.image-name",
	.pod_name = "io.kubernetes.cri.sandbox-name",
	.pod_ns = "io.kubernetes.cri.sandbox-namespace",
	.pod_uid = "io.kubernetes.cri.sandbox-uid",
	.sandbox_id = "io.kubernetes.cri.sandbox-id",
};

static const struct oci_keys crio_keys = {
	.type = "cri-o",
	.config = "userdata/config.json",
	.name = "io.kubernetes.container.name",
	.image = "io.kubernetes.cri-o.ImageName",
	.pod_name = "io.kubernetes.pod.name",
	.pod_ns = "io.kubernetes.pod.namespace",
	.pod_uid = "io.kubernetes.pod.uid",
	.sandbox_id = "io.kubernetes.cri-o.SandboxID",
	.sandbox_labels = "io.kubernetes.cri-o.Labels",
};

/* The container of e's id in dir (one directory per container, named by the
 * full id), read from its OCI bundle as k says: false when it is not there. */
static bool try_oci(struct centry *e, const char *dir, const struct oci_keys *k)
{
	char *full = find_prefixed(dir, e->id);
	char path[4200];
	json_object *cfg, *a;
	const char *img, *sb;

	if (!full)
		return false;
	snprintf(path, sizeof(path), "%s/%s/%s", dir, full, k->config);
	free(full);
	cfg = json_object_from_file(path);
	if (!cfg)
		return false;
	a = jget(cfg, "annotations");
	setf(e, CF_TYPE, k->type);
	setf(e, CF_NAME, jstr(a, k->name));
	img = jstr(a, k->image);
	setf(e, CF_IMAGE, img);
	if (img)
		split_image(e, img);
	setf(e, CF_POD_NAME, jstr(a, k->pod_name));
	setf(e, CF_NS_NAME, jstr(a, k->pod_ns));
	setf(e, CF_POD_UID, jstr(a, k->pod_uid));
	sb = jstr(a, k->sandbox_id);
	if (sb) {
		char sbid[13];
		json_object *scfg;

		snprintf(sbid, sizeof(sbid), "%s", sb);
		setf(e, CF_SANDBOX_ID, sbid);
		/* The pod's labels are on its sandbox. */
		if (k->sandbox_labels) {
			snprintf(path, sizeof(path), "%s/%s/%s", dir, sb, k->config);
			/* A sandbox id names a directory beside this one:
			 * hex only, so that no annotation reads another file. */
			scfg = !sb[0] || sb[strspn(sb, "0123456789abcdef")]
				       ? NULL
				       : json_object_from_file(path);
			if (scfg)
				labels_from_json_string(
					e, jstr(jget(scfg, "annotations"), k->sandbox_labels));
			json_object_put(scfg);
		}
	}
	e->privileged = oci_privileged(cfg);
	oci_mounts(e, cfg);
	json_object_put(cfg);
	return true;
}

/* containerd: STATE/<namespace>/<id>. */
static bool try_containerd(struct enricher *en, struct centry *e)
{
	size_t i;

	for (i = 0; i < en->ncontainerd; i++) {
		DIR *d = opendir(en->containerd_dirs[i]);
		struct dirent *ns;

		if (!d)
			continue;
		while ((ns = readdir(d))) {
			char dir[4096];

			if (ns->d_name[0] == '.')
				continue;
			snprintf(dir, sizeof(dir), "%s/%s", en->containerd_dirs[i], ns->d_name);
			if (try_oci(e, dir, &containerd_keys)) {
				closedir(d);
				return true;
			}
		}
		closedir(d);
	}
	return false;
}

/* cri-o: STATE/<id>. */
static bool try_crio(struct enricher *en, struct centry *e)
{
	size_t i;

	for (i = 0; i < en->ncrio; i++)
		if (try_oci(e, en->crio_dirs[i], &crio_keys))
			return true;
	return false;
}

static bool try_docker(struct enricher *en, struct centry *e)
{
	char *full = find_prefixed(en->docker_root, e->id);
	char path[4200];
	json_object *cfg, *c, *labels, *mp, *hc;
	const char *name, *img, *imgid;
	char *acc = NULL;

	if (!full)
		return false;
	snprintf(path, sizeof(path), "%s/%s/config.v2.json", en->docker_root, full);
	cfg = json_object_from_file(path);
	if (!cfg) {
		free(full);
		return false;
	}
	c = jget(cfg, "Config");
	setf(e, CF_TYPE, "docker");
	name = jstr(cfg, "Name");
	setf(e, CF_NAME, name && name[0] == '/' ? name + 1 : name);
	img = jstr(c, "Image");
	setf(e, CF_IMAGE, img);
	if (img)
		split_image(e, img);
	imgid = jstr(cfg, "Image");
	if (imgid) {
		char id[13];

		if (!strncmp(imgid, "sha256:", 7))
			imgid += 7;
		snprintf(id, sizeof(id), "%s", imgid);
		setf(e, CF_IMAGE_ID, id);
	}
	/* dockershim pods: the kubelet's labels. */
	labels = jget(c, "Labels");
	setf(e, CF_POD_NAME, jstr(labels, "io.kubernetes.pod.name"));
	setf(e, CF_NS_NAME, jstr(labels, "io.kubernetes.pod.namespace"));
	setf(e, CF_POD_UID, jstr(labels, "io.kubernetes.pod.uid"));
	mp = jget(cfg, "MountPoints");
	if (mp && json_object_is_type(mp, json_type_object)) {
		json_object_object_foreach(mp, dst, m)
		{
			json_object *rw = jget(m, "RW");

			add_mount(&acc, jstr(m, "Source"),
				  jstr(m, "Destination") ? jstr(m, "Destination") : dst,
				  jstr(m, "Mode"), rw && json_object_get_boolean(rw),
				  jstr(m, "Propagation"));
		}
		if (acc)
			e->f[CF_MOUNTS] = acc;
	}
	json_object_put(cfg);
	snprintf(path, sizeof(path), "%s/%s/hostconfig.json", en->docker_root, full);
	free(full);
	hc = json_object_from_file(path);
	if (hc) {
		json_object *p = jget(hc, "Privileged");

		e->privileged = p && json_object_get_boolean(p);
		json_object_put(hc);
	}
	return true;
}

/* The cache entry of id, looked up on disk when missing or expired. */
static struct centry *container(struct enricher *en, const char *id, size_t len)
{
	time_t now = time(NULL);
	struct centry *e = NULL, *victim = NULL;
	size_t i;

	if (len < 12)
		return NULL;
	for (i = 0; i < en->ncache; i++) {
		if (!strncmp(en->cache[i].id, id, 12)) {
			e = &en->cache[i];
			break;
		}
		if (!victim || en->cache[i].used < victim->used)
			victim = &en->cache[i];
	}
	if (e && e->expires > now) {
		e->used = now;
		return e;
	}
	if (!e) {
		/* Full: the least recently used goes. */
		e = en->ncache < en->cap ? &en->cache[en->ncache++] : victim;
	}
	centry_clear(e);
	memcpy(e->id, id, 12);
	e->privileged = -1;
	e->found = (en->containerd && try_containerd(en, e)) || (en->crio && try_crio(en, e)) ||
		   (en->docker && try_docker(en, e));
	e->expires = now + (e->found ? en->ttl : NEGATIVE_TTL);
	e->used = now;
	return e;
}

void enrich_event(struct enricher *en, struct uevent *ev)
{
	struct shrike_val v;
	struct centry *e;
	char id[13] = "";
	int i;

	if (!en)
		return;
	/* The fields of procfs.c are read from there, when asked. */
	ev->proc_root = en->proc_root;
	if (uevent_lookup(ev, SHRIKE_F_CONTAINER_ID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    v.type == SHRIKE_T_STR) {
		if (v.str.len == 4 && !memcmp(v.str.ptr, "host", 4)) {
			uevent_set_str(ev, SHRIKE_F_CONTAINER_NAME, NULL, "host", 4);
		} else if (v.str.len) {
			snprintf(id, sizeof(id), "%.*s", (int)v.str.len, v.str.ptr);
			e = container(en, id, strlen(id));
			if (e && e->found) {
				for (i = 0; i < __CF_MAX; i++)
					enrich_set_str(ev, cfield_id[i], e->f[i]);
				if (e->privileged >= 0)
					uevent_set_bool(ev, SHRIKE_F_CONTAINER_PRIVILEGED, NULL,
							e->privileged);
			}
		}
	}
	enrich_users(en->ids, ev, id[0] ? id : NULL);
}
