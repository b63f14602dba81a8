/* enrich.c - user, group, container and pod fields (see enrich.h).
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
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "../lib/fields.h"

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
	struct id_caches *ids; /* users and groups, see below */
};

struct id_caches;
static void id_caches_free(struct id_caches *c);
static struct id_caches *id_caches_new(void);

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
	en->ids = id_caches_new();
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

static bool try_containerd(struct enricher *en, struct centry *e)
{
	size_t i;

	for (i = 0; i < en->ncontainerd; i++) {
		DIR *d = opendir(en->containerd_dirs[i]);
		struct dirent *ns;

		if (!d)
			continue;
		while ((ns = readdir(d))) {
			char dir[4096], path[4200];
			char *full;
			json_object *cfg, *a;
			const char *img;

			if (ns->d_name[0] == '.')
				continue;
			snprintf(dir, sizeof(dir), "%s/%s", en->containerd_dirs[i], ns->d_name);
			full = find_prefixed(dir, e->id);
			if (!full)
				continue;
			snprintf(path, sizeof(path), "%s/%s/config.json", dir, full);
			free(full);
			cfg = json_object_from_file(path);
			if (!cfg)
				continue;
			a = jget(cfg, "annotations");
			setf(e, CF_TYPE, "containerd");
			setf(e, CF_NAME, jstr(a, "io.kubernetes.cri.container-name"));
			img = jstr(a, "io.kubernetes.cri.image-name");
			setf(e, CF_IMAGE, img);
			if (img)
				split_image(e, img);
			setf(e, CF_POD_NAME, jstr(a, "io.kubernetes.cri.sandbox-name"));
			setf(e, CF_NS_NAME, jstr(a, "io.kubernetes.cri.sandbox-namespace"));
			setf(e, CF_POD_UID, jstr(a, "io.kubernetes.cri.sandbox-uid"));
			if (jstr(a, "io.kubernetes.cri.sandbox-id")) {
				char sb[13];

				snprintf(sb, sizeof(sb), "%s",
					 jstr(a, "io.kubernetes.cri.sandbox-id"));
				setf(e, CF_SANDBOX_ID, sb);
			}
			e->privileged = oci_privileged(cfg);
			oci_mounts(e, cfg);
			json_object_put(cfg);
			closedir(d);
			return true;
		}
		closedir(d);
	}
	return false;
}

static bool try_crio(struct enricher *en, struct centry *e)
{
	size_t i;

	for (i = 0; i < en->ncrio; i++) {
		char *full = find_prefixed(en->crio_dirs[i], e->id);
		char path[4200];
		json_object *cfg, *a;
		const char *img, *sb;

		if (!full)
			continue;
		snprintf(path, sizeof(path), "%s/%s/userdata/config.json", en->crio_dirs[i], full);
		free(full);
		cfg = json_object_from_file(path);
		if (!cfg)
			continue;
		a = jget(cfg, "annotations");
		setf(e, CF_TYPE, "cri-o");
		setf(e, CF_NAME, jstr(a, "io.kubernetes.container.name"));
		img = jstr(a, "io.kubernetes.cri-o.ImageName");
		setf(e, CF_IMAGE, img);
		if (img)
			split_image(e, img);
		setf(e, CF_POD_NAME, jstr(a, "io.kubernetes.pod.name"));
		setf(e, CF_NS_NAME, jstr(a, "io.kubernetes.pod.namespace"));
		setf(e, CF_POD_UID, jstr(a, "io.kubernetes.pod.uid"));
		sb = jstr(a, "io.kubernetes.cri-o.SandboxID");
		if (sb) {
			char sbid[13];
			json_object *scfg;

			snprintf(sbid, sizeof(sbid), "%s", sb);
			setf(e, CF_SANDBOX_ID, sbid);
			/* The pod's labels are on its sandbox. */
			snprintf(path, sizeof(path), "%s/%s/userdata/config.json", en->crio_dirs[i],
				 sb);
			scfg = strchr(sb, '/') ? NULL : json_object_from_file(path);
			if (scfg)
				labels_from_json_string(e, jstr(jget(scfg, "annotations"),
								"io.kubernetes.cri-o.Labels"));
			json_object_put(scfg);
		}
		e->privileged = oci_privileged(cfg);
		oci_mounts(e, cfg);
		json_object_put(cfg);
		return true;
	}
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

/* ---- users and groups -------------------------------------------------------------- */

/*
 * Names of user and group ids, cached: a lookup per alert would read and
 * parse /etc/passwd or /etc/group each time (NSS's files module reads the
 * file on every getpwuid), several system calls an alert.
 *
 * The host's: getpwuid/getgrgid (NSS: the files and whatever else
 * nsswitch.conf lists) once per id, an answer or "no such id", kept until
 * /etc/passwd (/etc/group) changes (device, inode, size or mtime; looked at
 * at most once a second), and at most ID_TTL seconds for NSS sources other
 * than the files.
 *
 * A container's own: /proc/PID/root/etc/passwd (group) read and parsed
 * whole, once per version of the file (device, inode, size, mtime), shared
 * by the processes that see it; which file a process sees is looked at again
 * at most once a second. Bounded: CFILES parsed files, CPIDS processes.
 */
#define ID_TTL		300
#define HOST_IDS_MAX	1024
#define CFILES		32
#define CPIDS		512
#define CFILE_MAX_BYTES (4 << 20)

struct file_stamp {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	bool ok; /* the file is there */
};

struct id_ent {
	unsigned long id;
	bool found;
	const char *name, *dir, *shell; /* dir, shell: users; "" when absent */
};

/* The host's answers for users or groups. */
struct host_ids {
	bool group;
	struct id_ent *v; /* strings malloc'd */
	size_t n, cap;
	struct file_stamp st;
	time_t checked, filled;
};

/* A container's passwd or group file, parsed. */
struct cfile {
	unsigned gen; /* 0: free slot */
	bool group;
	struct file_stamp st;
	char *text;	  /* the file; the entries point into it */
	struct id_ent *v; /* in file order: the first line of an id counts */
	size_t n;
	time_t used;
};

/* Which cfile a process sees (direct-mapped by pid and file). */
struct cpid {
	u64 pid;
	char cid[13]; /* its container: a reused pid is another process */
	bool valid, group;
	time_t checked;
	int file;     /* index in cfiles, -1: cannot be read */
	unsigned gen; /* cfiles[file].gen when it was found */
};

struct id_caches {
	struct host_ids users, groups;
	struct cfile files[CFILES];
	struct cpid pids[CPIDS];
	unsigned next_gen;
};

static void stamp_of(const struct stat *sb, struct file_stamp *st)
{
	memset(st, 0, sizeof(*st));
	st->dev = sb->st_dev;
	st->ino = sb->st_ino;
	st->size = sb->st_size;
	st->mtime = sb->st_mtim;
	st->ok = true;
}

static bool stamp_eq(const struct file_stamp *a, const struct file_stamp *b)
{
	return a->ok == b->ok && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void host_ids_flush(struct host_ids *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free((char *)h->v[i].name);
		free((char *)h->v[i].dir);
		free((char *)h->v[i].shell);
	}
	h->n = 0;
}

static void cfile_clear(struct cfile *f)
{
	free(f->text);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static struct id_caches *id_caches_new(void)
{
	struct id_caches *c = calloc(1, sizeof(*c));

	if (c)
		c->groups.group = true;
	return c;
}

static void id_caches_free(struct id_caches *c)
{
	size_t i;

	if (!c)
		return;
	host_ids_flush(&c->users);
	host_ids_flush(&c->groups);
	free(c->users.v);
	free(c->groups.v);
	for (i = 0; i < CFILES; i++)
		cfile_clear(&c->files[i]);
	free(c);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* The host's user (or group) id: NULL when it cannot be looked up now (no
 * memory), else an entry, found or not. Valid until the next call. */
static const struct id_ent *host_id(struct id_caches *c, bool group, unsigned int id)
{
	struct host_ids *h = group ? &c->groups : &c->users;
	const char *path = group ? "/etc/group" : "/etc/passwd";
	time_t now = time(NULL);
	struct id_ent e = { .id = id };
	size_t i;

	if (now != h->checked) {
		struct file_stamp st = { 0 };
		struct stat sb;

		h->checked = now;
		if (!stat(path, &sb))
			stamp_of(&sb, &st);
		if (!stamp_eq(&st, &h->st) || now - h->filled >= ID_TTL || now < h->filled) {
			host_ids_flush(h);
			h->st = st;
			h->filled = now;
		}
	}
	for (i = 0; i < h->n; i++)
		if (h->v[i].id == id)
			return &h->v[i];
	if (group) {
		struct group *gr = getgrgid((gid_t)id);

		if (gr) {
			e.found = true;
			e.name = dup_or_empty(gr->gr_name);
			e.dir = dup_or_empty(NULL);
			e.shell = dup_or_empty(NULL);
		}
	} else {
		struct passwd *pw = getpwuid((uid_t)id);

		if (pw) {
			e.found = true;
			e.name = dup_or_empty(pw->pw_name);
			e.dir = dup_or_empty(pw->pw_dir);
			e.shell = dup_or_empty(pw->pw_shell);
		}
	}
	if (e.found && (!e.name || !e.dir || !e.shell))
		goto nomem;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct id_ent *nv;

		if (h->cap >= HOST_IDS_MAX) {
			host_ids_flush(h);
		} else if ((nv = realloc(h->v, cap * sizeof(*nv)))) {
			h->v = nv;
			h->cap = cap;
		} else {
			goto nomem;
		}
	}
	h->v[h->n] = e;
	return &h->v[h->n++];
nomem:
	free((char *)e.name);
	free((char *)e.dir);
	free((char *)e.shell);
	return NULL;
}

/* Splits a passwd/group file into its lines' entries (the fields of lines
 * whose third field is a number), in place. 0, or -1 on ENOMEM. */
static int cfile_parse(struct cfile *f)
{
	size_t cap = 0;
	char *line = f->text, *next;

	for (; *line; line = next) {
		char *p = line, *fl[7], *end;
		int n = 0, nf = f->group ? 4 : 7;

		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		while (n < nf) {
			fl[n++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = 0;
		}
		if (n < 3 || !*fl[2])
			continue;
		while (n < nf)
			fl[n++] = "";
		if (f->n == cap) {
			struct id_ent *nv = realloc(f->v, (cap = cap ? cap * 2 : 32) * sizeof(*nv));

			if (!nv)
				return -1;
			f->v = nv;
		}
		f->v[f->n] = (struct id_ent){ .found = true, .name = fl[0] };
		f->v[f->n].id = strtoul(fl[2], &end, 10);
		if (*end)
			continue;
		if (!f->group) {
			f->v[f->n].dir = fl[5];
			f->v[f->n].shell = fl[6];
		}
		f->n++;
	}
	return 0;
}

/* Reads fd (stamped st) into a free or the least recently used slot. Its
 * index, or -1. */
static int cfile_load(struct id_caches *c, int fd, const struct file_stamp *st, bool group,
		      time_t now)
{
	struct cfile *f = NULL;
	size_t len = 0, want;
	ssize_t r;
	int i, slot = 0;

	for (i = 0; i < CFILES; i++) {
		if (!c->files[i].gen) {
			slot = i;
			break;
		}
		if (c->files[i].used < c->files[slot].used)
			slot = i;
	}
	f = &c->files[slot];
	cfile_clear(f);
	/* What the stamp says; a file that grew since is read again when its
	 * new stamp is seen. */
	want = st->size < CFILE_MAX_BYTES ? (size_t)st->size : CFILE_MAX_BYTES;
	f->text = malloc(want + 1);
	if (!f->text)
		return -1;
	while (len < want) {
		r = read(fd, f->text + len, want - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cfile_clear(f);
			return -1;
		}
		if (!r)
			break;
		len += (size_t)r;
	}
	f->text[len] = 0;
	f->group = group;
	f->st = *st;
	if (cfile_parse(f)) {
		cfile_clear(f);
		return -1;
	}
	if (!++c->next_gen)
		c->next_gen = 1;
	f->gen = c->next_gen;
	f->used = now;
	return slot;
}

/* The parsed passwd (group) file that process pid of container cid sees,
 * or NULL when it cannot be read (the process is gone). */
static const struct cfile *container_file(struct enricher *en, u64 pid, const char *cid, bool group)
{
	struct id_caches *c = en->ids;
	struct cpid *p = &c->pids[(pid * 2 + group) % CPIDS];
	time_t now = time(NULL);
	struct file_stamp st;
	struct stat sb;
	char path[4200];
	int fd, i;

	if (p->valid && p->pid == pid && p->group == group && !strcmp(p->cid, cid) &&
	    p->checked == now) {
		if (p->file < 0)
			return NULL;
		if (c->files[p->file].gen == p->gen) {
			c->files[p->file].used = now;
			return &c->files[p->file];
		}
	}
	p->valid = true;
	p->pid = pid;
	p->group = group;
	snprintf(p->cid, sizeof(p->cid), "%s", cid);
	p->checked = now;
	p->file = -1;
	snprintf(path, sizeof(path), "%s/%llu/root/etc/%s", en->proc_root, (unsigned long long)pid,
		 group ? "group" : "passwd");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return NULL;
	}
	stamp_of(&sb, &st);
	for (i = 0; i < CFILES; i++)
		if (c->files[i].gen && c->files[i].group == group && stamp_eq(&c->files[i].st, &st))
			break;
	if (i == CFILES)
		i = cfile_load(c, fd, &st, group, now);
	close(fd);
	if (i < 0)
		return NULL;
	p->file = i;
	p->gen = c->files[i].gen;
	c->files[i].used = now;
	return &c->files[i];
}

/*
 * User (or group) id as process pid of container cid sees it: its
 * container's passwd (group) while the process lives (cid not NULL and
 * have_pid), else the host's. NULL when there is no name.
 */
static const struct id_ent *id_lookup(struct enricher *en, const char *cid, bool have_pid, u64 pid,
				      bool is_user, unsigned long id)
{
	const struct id_ent *e;

	if (!en->ids)
		return NULL;
	if (cid && have_pid) {
		const struct cfile *f = container_file(en, pid, cid, !is_user);
		size_t i;

		if (f) {
			for (i = 0; i < f->n; i++)
				if (f->v[i].id == id)
					return &f->v[i];
			return NULL; /* not the host's */
		}
	}
	e = host_id(en->ids, !is_user, (unsigned int)id);
	return e && e->found ? e : NULL;
}

static void set_s(struct uevent *ev, u16 field, const char *s)
{
	if (s && *s)
		uevent_set_str(ev, field, NULL, s, strlen(s));
}

/*
 * evt.arg.uid and the other uid/gid arguments (setuid, setresuid, chown,
 * ...): libsinsp prints PT_UID and PT_GID resolved to the name; the kernel
 * sends the number (evt.rawarg), captured for the purpose (codegen). -1
 * ("unchanged") and ids without a name stay without one (<NA>).
 */
static void id_args(struct enricher *en, struct uevent *ev, const char *cid, bool have_pid, u64 pid)
{
	size_t i, n = ev->nvals;
	char arg[8];

	for (i = 0; i < n; i++) {
		const struct uevent_val *v = &ev->vals[i];
		const struct id_ent *e;
		int is_user;

		if (v->field != SHRIKE_F_EVT_RAWARG || v->missing || v->arglen >= sizeof(arg) ||
		    (v->v.type != SHRIKE_T_S64 && v->v.type != SHRIKE_T_U64) ||
		    (u64)v->v.s >= 0xffffffffull)
			continue;
		is_user = field_arg_id_kind(v->arg, v->arglen);
		memcpy(arg, v->arg, v->arglen);
		arg[v->arglen] = 0;
		if (is_user >= 0 &&
		    (e = id_lookup(en, cid, have_pid, pid, is_user, (unsigned long)v->v.s)) &&
		    *e->name)
			uevent_set_str(ev, SHRIKE_F_EVT_ARG, arg, e->name, strlen(e->name));
	}
}

/* cid: the container's id, NULL for the host. */
static void users(struct enricher *en, struct uevent *ev, const char *cid)
{
	const struct id_ent *e;
	struct shrike_val v;
	bool have_pid = false;
	u64 pid = 0;

	if (uevent_lookup(ev, SHRIKE_F_PROC_PID, NULL, 0, &v) == SHRIKE_FETCH_OK) {
		pid = v.u;
		have_pid = true;
	}
	/* In a container, its own users while the process lives; else (no
	 * pid, the process is gone) the host's, as Falco 0.31 always did. */
	if (uevent_lookup(ev, SHRIKE_F_USER_UID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (e = id_lookup(en, cid, have_pid, pid, true, (unsigned long)v.u))) {
		set_s(ev, SHRIKE_F_USER_NAME, e->name);
		set_s(ev, SHRIKE_F_USER_HOMEDIR, e->dir);
		set_s(ev, SHRIKE_F_USER_SHELL, e->shell);
	}
	if (uevent_lookup(ev, SHRIKE_F_USER_LOGINUID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (s64)v.u >= 0 && !cid && (e = id_lookup(en, NULL, false, 0, true, (unsigned long)v.u)))
		set_s(ev, SHRIKE_F_USER_LOGINNAME, e->name);
	id_args(en, ev, cid, have_pid, pid);
	if (uevent_lookup(ev, SHRIKE_F_GROUP_GID, NULL, 0, &v) == SHRIKE_FETCH_OK &&
	    (e = id_lookup(en, cid, have_pid, pid, false, (unsigned long)v.u)))
		set_s(ev, SHRIKE_F_GROUP_NAME, e->name);
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
					set_s(ev, cfield_id[i], e->f[i]);
				if (e->privileged >= 0)
					uevent_set_bool(ev, SHRIKE_F_CONTAINER_PRIVILEGED, NULL,
							e->privileged);
			}
		}
	}
	users(en, ev, id[0] ? id : NULL);
}
