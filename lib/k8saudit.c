/* k8saudit.c - field extraction from Kubernetes audit events: every ka.* and
 * jevt.* field of the registry, with the semantics of Falco's k8saudit plugin
 * (which values form lists, which are skipped, when a field has no value) and
 * of Falco 0.31's jevt.* checks. Most fields are a JSON path and a way of
 * reading what is there (the table ka_fields); the few others are small
 * functions. Any JSON shape is accepted: what does not fit yields no value,
 * never a crash. */
#include "k8saudit.h"

#include <stdlib.h>
#include <string.h>

/* ---- results ---------------------------------------------------------------- */

/* A field's value under construction: strings live in ev's arena. */
struct res {
	struct uevent *ev;
	struct shrike_str *items;
	u32 n, cap;
	int oom;
};

static void add(struct res *r, const char *s, size_t n)
{
	char *c;

	if (r->oom)
		return;
	if (n > UINT32_MAX || r->n == UINT32_MAX) {
		r->oom = 1;
		return;
	}
	if (r->n == r->cap) {
		u32 cap = r->cap ? (r->cap > UINT32_MAX / 2 ? UINT32_MAX : r->cap * 2) : 8;
		struct shrike_str *ni = uevent_alloc(r->ev, (size_t)cap * sizeof(*ni));

		if (!ni) {
			r->oom = 1;
			return;
		}
		if (r->n)
			memcpy(ni, r->items, r->n * sizeof(*ni));
		r->items = ni;
		r->cap = cap;
	}
	c = uevent_strndup(r->ev, s, n);
	if (!c) {
		r->oom = 1;
		return;
	}
	r->items[r->n].ptr = c;
	r->items[r->n].len = (u32)n;
	r->n++;
}

static void addz(struct res *r, const char *s)
{
	add(r, s, strlen(s));
}

/* The plugin's jsonValueAsString: a string as it is, anything else as JSON. */
static void add_json(struct res *r, json_object *j)
{
	char *s;

	if (j != K8S_JNULL && json_object_is_type(j, json_type_string)) {
		add(r, json_object_get_string(j), (size_t)json_object_get_string_len(j));
		return;
	}
	s = k8saudit_dump(j, false);
	if (!s) {
		r->oom = 1;
		return;
	}
	addz(r, s);
	free(s);
}

/* ---- plumbing --------------------------------------------------------------- */

static int done(struct uevent *ev, u16 field, const char *arg, size_t arglen, struct res *r,
		struct shrike_val *out)
{
	struct shrike_val v;

	memset(&v, 0, sizeof(v));
	if (r->oom || !r->n) {
		/* libsinsp: a list field that extracts no value prints <NA>. */
		uevent_cache(ev, field, arg, arglen, NULL);
		return SHRIKE_FETCH_MISSING;
	}
	if (shrike_fields[field].type == SHRIKE_T_STRLIST) {
		v.type = SHRIKE_T_STRLIST;
		v.list.items = r->items;
		v.list.n = r->n;
	} else {
		v.type = SHRIKE_T_STR;
		v.str = r->items[0];
	}
	/* The cache copies; point out at the cached copy. */
	if (uevent_cache(ev, field, arg, arglen, &v))
		return SHRIKE_FETCH_MISSING;
	return uevent_lookup(ev, field, arg, arglen, out);
}

static int missing(struct uevent *ev, u16 field, const char *arg, size_t arglen)
{
	uevent_cache(ev, field, arg, arglen, NULL);
	return SHRIKE_FETCH_MISSING;
}

/* extractFromKeys: one value as a string, or an array as a list of them. */
static void from_node(struct res *r, json_object *node, int list)
{
	size_t i, n;

	if (!node)
		return;
	if (!list) {
		add_json(r, node);
		return;
	}
	if (!k8s_is_array(node))
		return; /* the plugin's ErrExtractWrongType */
	n = json_object_array_length(node);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(node, i);

		add_json(r, e ? e : K8S_JNULL);
	}
}

/* arrayAsStringsSkipNil */
static void add_skipnil(struct res *r, const struct k8s_jvec *jv)
{
	size_t i;

	for (i = 0; i < jv->n; i++)
		if (jv->v[i])
			add_json(r, jv->v[i]);
}

static long index_arg(const char *arg, size_t arglen)
{
	long x = 0;
	size_t i;

	if (!arglen)
		return K8S_NO_INDEX;
	if (arglen > 9)
		return -2;
	for (i = 0; i < arglen; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return -2;
		x = x * 10 + (arg[i] - '0');
	}
	return x;
}

/* ---- binding subjects --------------------------------------------------------- */

static void subjects(struct res *r, json_object *root, const char *kind, bool ns)
{
	json_object *subj = K8S_GET(root, "requestObject", "subjects");
	size_t i, n;

	if (!k8s_is_array(subj))
		return;
	n = json_object_array_length(subj);
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(subj, i);
		json_object *k = k8s_get(s, "kind"), *name = k8s_get(s, "name");
		json_object *nsp = k8s_get(s, "namespace");

		if (!k8s_is_str(k, kind) || !name)
			continue;
		if (ns) {
			struct res tmp = { .ev = r->ev };
			char *joined;
			size_t a, b;

			add_json(&tmp, nsp ? nsp : K8S_JNULL);
			add_json(&tmp, name);
			if (tmp.oom || tmp.n != 2) {
				r->oom = 1;
				return;
			}
			a = tmp.items[0].len;
			b = tmp.items[1].len;
			joined = malloc(a + b + 2);
			if (!joined) {
				r->oom = 1;
				return;
			}
			memcpy(joined, tmp.items[0].ptr, a);
			joined[a] = ':';
			memcpy(joined + a + 1, tmp.items[1].ptr, b);
			add(r, joined, a + b + 1);
			free(joined);
		} else {
			add_json(r, name);
		}
	}
}

/*
 * The pod spec of the request object: a pod's spec, or the pod template of a
 * workload (deployments, daemonsets, statefulsets, replicasets, jobs:
 * spec.template.spec; cronjobs: spec.jobTemplate.spec.template.spec).
 */
static json_object *pod_spec(json_object *root)
{
	json_object *spec = K8S_GET(root, "requestObject", "spec");
	json_object *t;

	t = K8S_GET(spec, "template", "spec");
	if (t && t != K8S_JNULL && json_object_is_type(t, json_type_object))
		return t;
	t = K8S_GET(spec, "jobTemplate", "spec", "template", "spec");
	if (t && t != K8S_JNULL && json_object_is_type(t, json_type_object))
		return t;
	return spec;
}

/* strings.Split(strings.Split(image, ":")[0], "@")[0] */
static size_t repo_len(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == ':')
			break;
	n = i;
	for (i = 0; i < n; i++)
		if (s[i] == '@')
			break;
	return i;
}

/* ---- the fields that are a JSON path ----------------------------------------- */

/* How a field reads what is at its path. */
enum ka_kind {
	KA_NONE,	/* no value (ka.cluster.name: configuration, not the event) */
	KA_VALUE,	/* the value at path, as a string (the plugin's extractFromKeys) */
	KA_LIST,	/* the array at path, its elements as strings */
	KA_FN,		/* computed by fn */
	KA_SUBJECTS,	/* the binding's subjects of kind path[0]: their names */
	KA_SUBJECTS_NS, /* the same as "namespace:name" */
	/* The rest follow path with getValuesRecursive (k8s_values): */
	KA_EACH,      /* each value found, nulls skipped (arrayAsStringsSkipNil) */
	KA_FLAT,      /* each array found, its elements as strings */
	KA_IMAGE,     /* each value; one element without a value spoils all (arrayAsStrings) */
	KA_REPO,      /* KA_IMAGE, each cut to its repository */
	KA_EFFECTIVE, /* each value, else the pod's securityContext.<last key>, else "0" */
	KA_PORTS,     /* each port list's hostPort (containerPort without one) */
	KA_ANY_TRUE,  /* "true" if a value found is true, else "false" */
};

/* Which array elements getValuesRecursive expands. */
enum ka_index {
	KA_IDX_ARG,   /* the field's [N] argument, or all */
	KA_IDX_FIRST, /* the first only */
	KA_IDX_ALL,   /* all, whatever the argument */
};

/* What a function computing a field gets. */
struct ka_args {
	json_object *root, *spec; /* the audit event, pod_spec() of it */
	long idx;		  /* [N] argument, K8S_NO_INDEX if none */
	const char *arg;	  /* KEY argument, arglen bytes */
	size_t arglen;
};

struct ka_field {
	u8 kind;	     /* enum ka_kind */
	u8 spec;	     /* the path starts at the pod spec, not at the event */
	u8 index;	     /* enum ka_index */
	const char *path[5]; /* keys, up to a NULL */
	void (*fn)(struct res *r, const struct ka_args *a);
};

static size_t path_len(const struct ka_field *f)
{
	size_t n = 0;

	while (n < sizeof(f->path) / sizeof(f->path[0]) && f->path[n])
		n++;
	return n;
}

static void add_images(struct res *r, const struct k8s_jvec *jv, bool repo)
{
	size_t i;

	for (i = 0; i < jv->n; i++)
		if (!jv->v[i])
			return;
	for (i = 0; i < jv->n; i++) {
		size_t before = r->n;

		add_json(r, jv->v[i]);
		if (repo && r->n > before)
			r->items[before].len =
				(u32)repo_len(r->items[before].ptr, r->items[before].len);
	}
}

static void add_effective(struct res *r, const struct k8s_jvec *jv, json_object *spec,
			  const char *key)
{
	json_object *pod = K8S_GET(spec, "securityContext", key);
	struct res def = { .ev = r->ev };
	size_t i;

	/* The container's own value wins, then the pod's, then root. */
	if (pod)
		add_json(&def, pod);
	else
		addz(&def, "0");
	if (def.oom) {
		r->oom = 1;
		return;
	}
	for (i = 0; i < jv->n; i++) {
		if (jv->v[i])
			add_json(r, jv->v[i]);
		else
			add(r, def.items[0].ptr, def.items[0].len);
	}
}

static void add_host_ports(struct res *r, const struct k8s_jvec *jv)
{
	size_t i, j, n;

	for (i = 0; i < jv->n; i++) {
		json_object *ports = jv->v[i];

		if (!ports)
			continue;
		if (!k8s_is_array(ports)) {
			r->n = 0; /* ErrExtractWrongType: no value */
			return;
		}
		n = json_object_array_length(ports);
		for (j = 0; j < n; j++) {
			json_object *p = json_object_array_get_idx(ports, j);
			json_object *hp = k8s_get(p, "hostPort");

			/* With hostNetwork the container port is the host's. */
			if (!hp)
				hp = k8s_get(p, "containerPort");
			if (hp)
				add_json(r, hp);
		}
	}
}

static void add_flat(struct res *r, const struct k8s_jvec *jv)
{
	size_t i, k, n;

	for (i = 0; i < jv->n; i++) {
		if (!k8s_is_array(jv->v[i]))
			continue;
		n = json_object_array_length(jv->v[i]);
		for (k = 0; k < n; k++) {
			json_object *e = json_object_array_get_idx(jv->v[i], k);

			add_json(r, e ? e : K8S_JNULL);
		}
	}
}

static void add_any_true(struct res *r, const struct k8s_jvec *jv)
{
	size_t i;
	int any = 0;

	for (i = 0; i < jv->n; i++)
		if (jv->v[i] && jv->v[i] != K8S_JNULL &&
		    json_object_is_type(jv->v[i], json_type_boolean) &&
		    json_object_get_boolean(jv->v[i]))
			any = 1;
	addz(r, any ? "true" : "false");
}

/* The value of field f, whose path starts at from. */
static void extract(struct res *r, const struct ka_field *f, const struct ka_args *a)
{
	json_object *from = f->spec ? a->spec : a->root;
	long idx = f->index == KA_IDX_FIRST ? 0 : f->index == KA_IDX_ALL ? K8S_NO_INDEX : a->idx;
	struct k8s_jvec jv = { 0 };
	size_t n = path_len(f);

	switch (f->kind) {
	case KA_NONE: return;
	case KA_VALUE: from_node(r, k8s_getv(from, f->path, n), 0); return;
	case KA_LIST: from_node(r, k8s_getv(from, f->path, n), 1); return;
	case KA_FN: f->fn(r, a); return;
	case KA_SUBJECTS:
	case KA_SUBJECTS_NS: subjects(r, a->root, f->path[0], f->kind == KA_SUBJECTS_NS); return;
	}
	if (k8s_values(from, idx, f->path, n, &jv) == K8S_GV_OK) {
		switch (f->kind) {
		case KA_EACH: add_skipnil(r, &jv); break;
		case KA_FLAT: add_flat(r, &jv); break;
		case KA_IMAGE:
		case KA_REPO: add_images(r, &jv, f->kind == KA_REPO); break;
		case KA_EFFECTIVE: add_effective(r, &jv, a->spec, f->path[n - 1]); break;
		case KA_PORTS: add_host_ports(r, &jv); break;
		case KA_ANY_TRUE: add_any_true(r, &jv); break;
		}
	}
	if (jv.oom)
		r->oom = 1;
	free(jv.v);
}

/* ---- the fields that need code ----------------------------------------------- */

static void target_pod_name(struct res *r, const struct ka_args *a)
{
	if (k8s_is_str(K8S_GET(a->root, "objectRef", "resource"), "pods"))
		from_node(r, K8S_GET(a->root, "objectRef", "name"), 0);
}

static void uri_param(struct res *r, const struct ka_args *a)
{
	char *v = NULL;
	size_t n = 0;
	int rc = k8s_uri_param(k8s_get(a->root, "requestURI"), a->arg, a->arglen, &v, &n);

	if (rc < 0)
		r->oom = 1;
	else if (rc > 0)
		add(r, v, n);
	free(v);
}

/* The plugin answers "true" whatever the subjects, as the original
 * implementation effectively did. */
static void subject_has_name(struct res *r, const struct ka_args *a)
{
	(void)a;
	addz(r, "true");
}

/* Every key of each volume but "name". */
static void volume_types(struct res *r, const struct ka_args *a)
{
	struct k8s_jvec jv = { 0 };
	size_t i;

	if (k8s_values(a->spec, a->idx, (const char *const[]){ "volumes", "" }, 2, &jv) ==
	    K8S_GV_OK)
		for (i = 0; i < jv.n; i++) {
			json_object *vol = k8s_real(jv.v[i]);

			if (!vol || !json_object_is_type(vol, json_type_object))
				continue;
			json_object_object_foreach(vol, key, val)
			{
				(void)val;
				if (strcmp(key, "name"))
					addz(r, key);
			}
		}
	if (jv.oom)
		r->oom = 1;
	free(jv.v);
}

/* "true" if any hostPath volume is the path, or starts with it when the
 * argument ends in '*'. */
static void volume_hostpath(struct res *r, const struct ka_args *a)
{
	struct k8s_jvec jv = { 0 };
	size_t i;
	int hit = 0, prefix = a->arglen && a->arg[a->arglen - 1] == '*';
	size_t plen = prefix ? a->arglen - 1 : a->arglen;

	if (!a->arglen)
		return;
	if (k8s_values(a->spec, K8S_NO_INDEX,
		       (const char *const[]){ "volumes", "hostPath", "path" }, 3,
		       &jv) == K8S_GV_OK) {
		struct res paths = { .ev = r->ev };

		add_skipnil(&paths, &jv);
		for (i = 0; i < paths.n; i++) {
			const struct shrike_str *p = &paths.items[i];

			if (prefix ? p->len >= plen && !memcmp(p->ptr, a->arg, plen)
				   : p->len == a->arglen && !memcmp(p->ptr, a->arg, a->arglen))
				hit = 1;
		}
		addz(r, hit ? "true" : "false");
	}
	free(jv.v);
}

static void source_ips(struct res *r, const struct ka_args *a)
{
	json_object *ips = k8s_get(a->root, "sourceIPs");

	if (a->idx == K8S_NO_INDEX) {
		from_node(r, ips, 1);
	} else if (k8s_is_array(ips) && (size_t)a->idx < json_object_array_length(ips)) {
		json_object *e = json_object_array_get_idx(ips, (size_t)a->idx);

		add_json(r, e ? e : K8S_JNULL);
	}
}

/* ---- the table ----------------------------------------------------------------- */

#define F(id) [SHRIKE_F_KA_##id]
#define VALUE(...)                                        \
	{                                                 \
		.kind = KA_VALUE, .path = { __VA_ARGS__ } \
	}
#define LIST(...)                                        \
	{                                                \
		.kind = KA_LIST, .path = { __VA_ARGS__ } \
	}
#define SPEC(k, ...)                                            \
	{                                                       \
		.kind = (k), .spec = 1, .path = { __VA_ARGS__ } \
	}
#define WALK(k, ...)                                 \
	{                                            \
		.kind = (k), .path = { __VA_ARGS__ } \
	} /* or subjects */
#define FN(f)                            \
	{                                \
		.kind = KA_FN, .fn = (f) \
	}
#define ANNOTATION(name) VALUE("annotations", name)

/* ka.req.pod.containers.*, .initContainers.*, .ephemeralContainers.* */
#define CONTAINERS(P, C)                                                                          \
	F(REQ_POD_##P##_NAME) = SPEC(KA_EACH, C, "name"),                                         \
	F(REQ_POD_##P##_IMAGE) = SPEC(KA_IMAGE, C, "image"),                                      \
	F(REQ_POD_##P##_IMAGE_REPOSITORY) = SPEC(KA_REPO, C, "image"),                            \
	F(REQ_POD_##P##_COMMAND) = SPEC(KA_EACH, C, "command"),                                   \
	F(REQ_POD_##P##_ARGS) = SPEC(KA_EACH, C, "args"),                                         \
	F(REQ_POD_##P##_PRIVILEGED) = SPEC(KA_EACH, C, "securityContext", "privileged"),          \
	F(REQ_POD_##P##_ALLOW_PRIVILEGE_ESCALATION) =                                             \
		SPEC(KA_EACH, C, "securityContext", "allowPrivilegeEscalation"),                  \
	F(REQ_POD_##P##_READ_ONLY_FS) =                                                           \
		SPEC(KA_EACH, C, "securityContext", "readOnlyRootFilesystem"),                    \
	F(REQ_POD_##P##_RUN_AS_USER) = SPEC(KA_EACH, C, "securityContext", "runAsUser"),          \
	F(REQ_POD_##P##_EFF_RUN_AS_USER) = SPEC(KA_EFFECTIVE, C, "securityContext", "runAsUser"), \
	F(REQ_POD_##P##_RUN_AS_GROUP) = SPEC(KA_EACH, C, "securityContext", "runAsGroup"),        \
	F(REQ_POD_##P##_EFF_RUN_AS_GROUP) =                                                       \
		SPEC(KA_EFFECTIVE, C, "securityContext", "runAsGroup"),                           \
	F(REQ_POD_##P##_PROC_MOUNT) = SPEC(KA_EACH, C, "securityContext", "procMount"),           \
	F(REQ_POD_##P##_ADD_CAPABILITIES) =                                                       \
		SPEC(KA_EACH, C, "securityContext", "capabilities", "add")

/* Every ka.* field by id; jevt.* is k8saudit_extract()'s own. */
static const struct ka_field ka_fields[__SHRIKE_F_MAX] = {
	F(AUDITID) = VALUE("auditID"),
	F(STAGE) = VALUE("stage"),
	F(AUTH_DECISION) = ANNOTATION("authorization.k8s.io/decision"),
	F(AUTH_REASON) = ANNOTATION("authorization.k8s.io/reason"),
	F(AUTH_OPENSHIFT_DECISION) = ANNOTATION("authentication.openshift.io/decision"),
	F(AUTH_OPENSHIFT_USERNAME) = ANNOTATION("authentication.openshift.io/username"),
	F(VALIDATIONS_ADMISSION_POLICY_FAILURE) =
		ANNOTATION("validation.policy.admission.k8s.io/validation_failure"),
	F(SECURITY_POD_VIOLATIONS) = ANNOTATION("pod-security.kubernetes.io/audit-violations"),
	F(USER_NAME) = VALUE("user", "username"),
	F(USER_GROUPS) = LIST("user", "groups"),
	F(IMPUSER_NAME) = VALUE("impersonatedUser", "username"),
	F(VERB) = VALUE("verb"),
	F(URI) = VALUE("requestURI"),
	F(URI_PARAM) = FN(uri_param),
	F(TARGET_NAME) = VALUE("objectRef", "name"),
	F(TARGET_NAMESPACE) = VALUE("objectRef", "namespace"),
	F(TARGET_RESOURCE) = VALUE("objectRef", "resource"),
	F(TARGET_SUBRESOURCE) = VALUE("objectRef", "subresource"),
	F(TARGET_POD_NAME) = FN(target_pod_name),
	F(REQ_BINDING_SUBJECTS) = LIST("requestObject", "subjects"),
	F(REQ_BINDING_SUBJECTS_USER_NAMES) = WALK(KA_SUBJECTS, "User"),
	F(REQ_BINDING_SUBJECTS_SERVICEACCOUNT_NAMES) = WALK(KA_SUBJECTS, "ServiceAccount"),
	F(REQ_BINDING_SUBJECTS_SERVICEACCOUNT_NS_NAMES) = WALK(KA_SUBJECTS_NS, "ServiceAccount"),
	F(REQ_BINDING_SUBJECTS_GROUP_NAMES) = WALK(KA_SUBJECTS, "Group"),
	F(REQ_BINDING_ROLE) = VALUE("requestObject", "roleRef", "name"),
	F(REQ_BINDING_SUBJECT_HAS_NAME) = FN(subject_has_name),
	F(REQ_CONFIGMAP_NAME) = VALUE("objectRef", "name"),
	F(REQ_CONFIGMAP_OBJ) = VALUE("requestObject", "data"),
	/* The first container's only. */
	F(REQ_CONTAINER_IMAGE) = { KA_IMAGE, 1, KA_IDX_FIRST, { "containers", "image" } },
	F(REQ_CONTAINER_IMAGE_REPOSITORY) = { KA_REPO, 1, KA_IDX_FIRST, { "containers", "image" } },
	F(REQ_CONTAINER_HOST_NETWORK) = SPEC(KA_VALUE, "hostNetwork"),
	F(REQ_CONTAINER_PRIVILEGED) = { KA_ANY_TRUE,
					1,
					KA_IDX_ALL,
					{ "containers", "securityContext", "privileged" } },
	F(REQ_POD_HOST_IPC) = SPEC(KA_VALUE, "hostIPC"),
	F(REQ_POD_HOST_NETWORK) = SPEC(KA_VALUE, "hostNetwork"),
	F(REQ_POD_HOST_PID) = SPEC(KA_VALUE, "hostPID"),
	F(REQ_POD_RUN_AS_USER) = SPEC(KA_VALUE, "securityContext", "runAsUser"),
	F(REQ_POD_RUN_AS_GROUP) = SPEC(KA_VALUE, "securityContext", "runAsGroup"),
	F(REQ_POD_FS_GROUP) = SPEC(KA_VALUE, "securityContext", "fsGroup"),
	F(REQ_POD_SUPPLEMENTAL_GROUPS) = SPEC(KA_LIST, "securityContext", "supplementalGroups"),
	CONTAINERS(CONTAINERS, "containers"),
	CONTAINERS(INITCONTAINERS, "initContainers"),
	CONTAINERS(EPHEMERALCONTAINERS, "ephemeralContainers"),
	F(REQ_POD_CONTAINERS_HOST_PORT) = SPEC(KA_PORTS, "containers", "ports"),
	F(REQ_POD_INITCONTAINERS_HOST_PORT) = SPEC(KA_PORTS, "initContainers", "ports"),
	F(REQ_ROLE_RULES) = LIST("requestObject", "rules"),
	F(REQ_ROLE_RULES_APIGROUPS) = WALK(KA_FLAT, "requestObject", "rules", "apiGroups"),
	F(REQ_ROLE_RULES_NONRESOURCEURLS) =
		WALK(KA_FLAT, "requestObject", "rules", "nonResourceURLs"),
	F(REQ_ROLE_RULES_VERBS) = WALK(KA_FLAT, "requestObject", "rules", "verbs"),
	F(REQ_ROLE_RULES_RESOURCES) = WALK(KA_FLAT, "requestObject", "rules", "resources"),
	F(REQ_SERVICE_TYPE) = VALUE("requestObject", "spec", "type"),
	/* The path ends at "ports": the whole array is one value. */
	F(REQ_SERVICE_PORTS) = WALK(KA_EACH, "requestObject", "spec", "ports"),
	F(REQ_POD_VOLUMES_HOSTPATH) = SPEC(KA_EACH, "volumes", "hostPath", "path"),
	F(REQ_POD_VOLUMES_FLEXVOLUME_DRIVER) = SPEC(KA_EACH, "volumes", "flexVolume", "driver"),
	F(REQ_POD_VOLUMES_VOLUME_TYPE) = FN(volume_types),
	F(REQ_VOLUME_HOSTPATH) = FN(volume_hostpath),
	F(RESP_NAME) = VALUE("responseObject", "metadata", "name"),
	F(RESPONSE_CODE) = VALUE("responseStatus", "code"),
	F(RESPONSE_REASON) = VALUE("responseStatus", "reason"),
	F(USERAGENT) = VALUE("userAgent"),
	F(SOURCEIPS) = FN(source_ips),
	/* Configuration, not the event: only what the agent sets. */
	F(CLUSTER_NAME) = { KA_NONE },
};

/* ---- jevt, dispatch --------------------------------------------------------------- */

static int jevt(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		struct shrike_val *out)
{
	struct res r = { .ev = ev };
	json_object *v = NULL;
	char *s;

	switch (field) {
	case SHRIKE_F_JEVT_VALUE:
		if (k8saudit_pointer(ev->audit, arg, arglen, &v))
			return missing(ev, field, arg, arglen);
		/* json_as_string: strings as they are, the rest dumped. */
		if (v && json_object_is_type(v, json_type_string)) {
			add(&r, json_object_get_string(v), (size_t)json_object_get_string_len(v));
			break;
		}
		fallthrough;
	case SHRIKE_F_JEVT_OBJ:
		s = k8saudit_dump(field == SHRIKE_F_JEVT_OBJ ? ev->audit : v, true);
		if (!s)
			return missing(ev, field, arg, arglen);
		addz(&r, s);
		free(s);
		break;
	}
	return done(ev, field, arg, arglen, &r, out);
}

bool k8saudit_claims(const struct uevent *ev, u16 field)
{
	(void)ev;
	(void)field;
	return true;
}

int k8saudit_extract(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		     struct shrike_val *out)
{
	struct res r = { .ev = ev };
	struct ka_args a = { .root = ev->audit, .arg = arg, .arglen = arglen };

	if (field >= __SHRIKE_F_MAX || !a.root ||
	    shrike_fields[field].source != SHRIKE_SRC_K8S_AUDIT)
		return SHRIKE_FETCH_MISSING;
	if (field == SHRIKE_F_JEVT_VALUE || field == SHRIKE_F_JEVT_OBJ)
		return jevt(ev, field, arg, arglen, out);
	/* The plugin discards JSON that is not an audit event. */
	if (!k8s_get(a.root, "auditID"))
		return missing(ev, field, arg, arglen);
	a.idx = shrike_fields[field].argkind == SHRIKE_ARGK_INDEX ? index_arg(arg, arglen)
								  : K8S_NO_INDEX;
	if (a.idx == -2)
		return missing(ev, field, arg, arglen);
	a.spec = pod_spec(a.root);
	extract(&r, &ka_fields[field], &a);
	return done(ev, field, arg, arglen, &r, out);
}
