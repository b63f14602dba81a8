/* k8saudit.c - field extraction from Kubernetes audit events: every ka.* and
 * jevt.* field of the registry, with the semantics of Falco's k8saudit plugin
 * (which values form lists, which are skipped, when a field has no value) and
 * of Falco 0.31's jevt.* checks. Any JSON shape is accepted: what does not fit
 * yields no value, never a crash; recursion is bounded. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strptime */
#endif
#include "k8saudit.h"
#include "strbuf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEPTH 64 /* nested arrays walked before giving up */
#define NO_INDEX  (-1L)

/* json-c spells JSON null as a NULL object; "present but null" needs a mark
 * of its own, distinct from "absent" (NULL). Never handed to json-c. */
static char jnull_mark;
#define JNULL ((json_object *)&jnull_mark)

static json_object *real(json_object *j)
{
	return j == JNULL ? NULL : j;
}

/* Member k of an object: the value, JNULL for null, NULL if absent. */
static json_object *get(json_object *o, const char *k)
{
	json_object *v;

	if (!o || o == JNULL || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, k, &v))
		return NULL;
	return v ? v : JNULL;
}

static json_object *getv(json_object *o, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n && o; i++)
		o = get(o, keys[i]);
	return o;
}
#define GET(o, ...)                                     \
	getv((o), (const char *const[]){ __VA_ARGS__ }, \
	     sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

static int is_array(json_object *o)
{
	return o && o != JNULL && json_object_is_type(o, json_type_array);
}

/* ---- stringify ---------------------------------------------------------------- */

/*
 * nlohmann escapes control characters as \b \f \n \r \t or \u00xx; Go's
 * strconv quoting (fastjson's slow path) uses \a \v and \xXX instead.
 */
static void put_quoted(struct strbuf *b, const char *s, size_t n, bool go)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	sb_chr(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[8];

		switch (c) {
		case '"': sb_put(b, "\\\"", 2); continue;
		case '\\': sb_put(b, "\\\\", 2); continue;
		case '\b': sb_put(b, "\\b", 2); continue;
		case '\f': sb_put(b, "\\f", 2); continue;
		case '\n': sb_put(b, "\\n", 2); continue;
		case '\r': sb_put(b, "\\r", 2); continue;
		case '\t': sb_put(b, "\\t", 2); continue;
		}
		if (go && c == '\a') {
			sb_put(b, "\\a", 2);
		} else if (go && c == '\v') {
			sb_put(b, "\\v", 2);
		} else if (c < 0x20 || (go && c == 0x7f)) {
			if (go) {
				e[0] = '\\';
				e[1] = 'x';
				e[2] = hex[c >> 4];
				e[3] = hex[c & 15];
				sb_put(b, e, 4);
			} else {
				memcpy(e, "\\u00", 4);
				e[4] = hex[c >> 4];
				e[5] = hex[c & 15];
				sb_put(b, e, 6);
			}
		} else {
			sb_chr(b, (char)c);
		}
	}
	sb_chr(b, '"');
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void dump(struct strbuf *b, json_object *j, bool sorted, int depth)
{
	size_t i, n;

	if (depth > 4 * MAX_DEPTH) {
		sb_put(b, "null", 4);
		return;
	}
	j = real(j);
	switch (json_object_get_type(j)) {
	case json_type_null: sb_put(b, "null", 4); return;
	case json_type_boolean:
		if (json_object_get_boolean(j))
			sb_put(b, "true", 4);
		else
			sb_put(b, "false", 5);
		return;
	case json_type_int:
	case json_type_double: {
		const char *s = json_object_get_string(j);

		sb_put(b, s, strlen(s));
		return;
	}
	case json_type_string:
		put_quoted(b, json_object_get_string(j), (size_t)json_object_get_string_len(j),
			   !sorted);
		return;
	case json_type_array:
		sb_chr(b, '[');
		n = json_object_array_length(j);
		for (i = 0; i < n; i++) {
			if (i)
				sb_chr(b, ',');
			dump(b, json_object_array_get_idx(j, i), sorted, depth + 1);
		}
		sb_chr(b, ']');
		return;
	case json_type_object: {
		const char **keys;
		size_t k = 0;

		n = (size_t)json_object_object_length(j);
		keys = malloc((n ? n : 1) * sizeof(*keys));
		if (!keys) {
			b->oom = 1;
			return;
		}
		{
			json_object_object_foreach(j, key, val)
			{
				(void)val;
				if (k < n)
					keys[k++] = key;
			}
		}
		if (sorted)
			qsort(keys, k, sizeof(*keys), cmp_keys);
		sb_chr(b, '{');
		for (i = 0; i < k; i++) {
			json_object *v = NULL;

			if (i)
				sb_chr(b, ',');
			put_quoted(b, keys[i], strlen(keys[i]), !sorted);
			sb_chr(b, ':');
			json_object_object_get_ex(j, keys[i], &v);
			dump(b, v, sorted, depth + 1);
		}
		sb_chr(b, '}');
		free(keys);
		return;
	}
	}
}

char *k8saudit_dump(json_object *j, bool sorted)
{
	struct strbuf b = { 0 };

	dump(&b, j, sorted, 0);
	return sb_take(&b);
}

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

	if (j != JNULL && json_object_is_type(j, json_type_string)) {
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

/* ---- the plugin's getValuesRecursive ------------------------------------------ */

struct jvec {
	json_object **v; /* NULL: that element had no value */
	size_t n, cap;
	int oom;
};

enum { GV_OK, GV_NA, GV_ERR };

static void jpush(struct jvec *jv, json_object *o)
{
	if (jv->oom)
		return;
	if (jv->n == jv->cap) {
		size_t cap = jv->cap ? jv->cap * 2 : 8;
		json_object **nv = realloc(jv->v, cap * sizeof(*nv));

		if (!nv) {
			jv->oom = 1;
			return;
		}
		jv->v = nv;
		jv->cap = cap;
	}
	jv->v[jv->n++] = o;
}

/*
 * Follows keys from node. An array met before a key is expanded: every
 * element without an index (an element lacking the path leaves a NULL), only
 * element idx with one. The value at the end of the path is not expanded.
 */
static int gvr(json_object *node, long idx, const char *const *keys, size_t nkeys, int depth,
	       struct jvec *out)
{
	size_t i, k, len;

	if (depth > MAX_DEPTH)
		return GV_ERR;
	for (i = 0; i < nkeys; i++) {
		if (is_array(node)) {
			len = json_object_array_length(node);
			if (idx == NO_INDEX) {
				for (k = 0; k < len; k++) {
					json_object *e = json_object_array_get_idx(node, k);
					int r = gvr(e ? e : JNULL, idx, keys + i, nkeys - i,
						    depth + 1, out);

					if (r == GV_NA)
						jpush(out, NULL);
					else if (r == GV_ERR)
						return r;
				}
				return GV_OK;
			}
			if ((size_t)idx >= len)
				return GV_NA;
			node = json_object_array_get_idx(node, (size_t)idx);
			node = node ? node : JNULL;
		}
		if (keys[i][0])
			node = get(node, keys[i]);
		if (!node)
			return GV_NA;
	}
	jpush(out, node);
	return GV_OK;
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
	if (!is_array(node))
		return; /* the plugin's ErrExtractWrongType */
	n = json_object_array_length(node);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(node, i);

		add_json(r, e ? e : JNULL);
	}
}

/* arrayAsStringsSkipNil */
static void add_skipnil(struct res *r, const struct jvec *jv)
{
	size_t i;

	for (i = 0; i < jv->n; i++)
		if (jv->v[i])
			add_json(r, jv->v[i]);
}

/*
 * The pod spec of the request object: a pod's spec, or the pod template of a
 * workload (deployments, daemonsets, statefulsets, replicasets, jobs:
 * spec.template.spec; cronjobs: spec.jobTemplate.spec.template.spec).
 */
static json_object *pod_spec(json_object *root)
{
	json_object *spec = GET(root, "requestObject", "spec");
	json_object *t;

	t = GET(spec, "template", "spec");
	if (t && t != JNULL && json_object_is_type(t, json_type_object))
		return t;
	t = GET(spec, "jobTemplate", "spec", "template", "spec");
	if (t && t != JNULL && json_object_is_type(t, json_type_object))
		return t;
	return spec;
}

static long index_arg(const char *arg, size_t arglen)
{
	long x = 0;
	size_t i;

	if (!arglen)
		return NO_INDEX;
	if (arglen > 9)
		return -2;
	for (i = 0; i < arglen; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return -2;
		x = x * 10 + (arg[i] - '0');
	}
	return x;
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

/* ---- containers --------------------------------------------------------------- */

enum cattr {
	C_NAME,
	C_IMAGE,
	C_REPO,
	C_COMMAND,
	C_ARGS,
	C_HOST_PORT,
	C_PRIVILEGED,
	C_APE,
	C_RO_FS,
	C_RUN_AS_USER,
	C_EFF_USER,
	C_RUN_AS_GROUP,
	C_EFF_GROUP,
	C_PROC_MOUNT,
	C_ADD_CAPS,
};

static void containers(struct res *r, json_object *spec, const char *ckey, enum cattr a, long idx)
{
	struct jvec jv = { 0 };
	size_t i, j, n;
	int rc = GV_NA;

	switch (a) {
	case C_NAME:
	case C_COMMAND:
	case C_ARGS: {
		const char *k = a == C_NAME ? "name" : a == C_COMMAND ? "command" : "args";

		rc = gvr(spec, idx, (const char *const[]){ ckey, k }, 2, 0, &jv);
		if (rc == GV_OK)
			add_skipnil(r, &jv);
		break;
	}
	case C_IMAGE:
	case C_REPO:
		rc = gvr(spec, idx, (const char *const[]){ ckey, "image" }, 2, 0, &jv);
		if (rc != GV_OK)
			break;
		/* arrayAsStrings: one container without an image spoils all. */
		for (i = 0; i < jv.n; i++)
			if (!jv.v[i])
				goto out;
		for (i = 0; i < jv.n; i++) {
			size_t before = r->n;

			add_json(r, jv.v[i]);
			if (a == C_REPO && r->n > before)
				r->items[before].len =
					(u32)repo_len(r->items[before].ptr, r->items[before].len);
		}
		break;
	case C_HOST_PORT:
		rc = gvr(spec, idx, (const char *const[]){ ckey, "ports" }, 2, 0, &jv);
		if (rc != GV_OK)
			break;
		for (i = 0; i < jv.n; i++) {
			json_object *ports = jv.v[i];

			if (!ports)
				continue;
			if (!is_array(ports)) {
				r->n = 0; /* ErrExtractWrongType: no value */
				goto out;
			}
			n = json_object_array_length(ports);
			for (j = 0; j < n; j++) {
				json_object *p = json_object_array_get_idx(ports, j);
				json_object *hp = get(p, "hostPort");

				/* With hostNetwork the container port is the host's. */
				if (!hp)
					hp = get(p, "containerPort");
				if (hp)
					add_json(r, hp);
			}
		}
		break;
	case C_PRIVILEGED:
	case C_APE:
	case C_RO_FS:
	case C_RUN_AS_USER:
	case C_RUN_AS_GROUP:
	case C_PROC_MOUNT: {
		static const char *const k[] = {
			[C_PRIVILEGED] = "privileged",	      [C_APE] = "allowPrivilegeEscalation",
			[C_RO_FS] = "readOnlyRootFilesystem", [C_RUN_AS_USER] = "runAsUser",
			[C_RUN_AS_GROUP] = "runAsGroup",      [C_PROC_MOUNT] = "procMount",
		};

		rc = gvr(spec, idx, (const char *const[]){ ckey, "securityContext", k[a] }, 3, 0,
			 &jv);
		if (rc == GV_OK)
			add_skipnil(r, &jv);
		break;
	}
	case C_ADD_CAPS:
		rc = gvr(spec, idx,
			 (const char *const[]){ ckey, "securityContext", "capabilities", "add" }, 4,
			 0, &jv);
		if (rc == GV_OK)
			add_skipnil(r, &jv);
		break;
	case C_EFF_USER:
	case C_EFF_GROUP: {
		const char *k = a == C_EFF_USER ? "runAsUser" : "runAsGroup";
		json_object *pod = GET(spec, "securityContext", k);
		struct res def = { .ev = r->ev };

		/* The container's own value wins, then the pod's, then root. */
		if (pod)
			add_json(&def, pod);
		else
			addz(&def, "0");
		if (def.oom) {
			r->oom = 1;
			break;
		}
		rc = gvr(spec, idx, (const char *const[]){ ckey, "securityContext", k }, 3, 0, &jv);
		if (rc != GV_OK)
			break;
		for (i = 0; i < jv.n; i++) {
			if (jv.v[i])
				add_json(r, jv.v[i]);
			else
				add(r, def.items[0].ptr, def.items[0].len);
		}
		break;
	}
	}
out:
	if (jv.oom)
		r->oom = 1;
	free(jv.v);
}

/* Which container list and attribute a ka.req.pod.*Containers.* field reads. */
static int container_field(u16 f, const char **ckey, enum cattr *a)
{
#define CF(P, K)                                                   \
	case SHRIKE_F_KA_REQ_POD_##P##_NAME:                       \
		*ckey = K;                                         \
		*a = C_NAME;                                       \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_IMAGE:                      \
		*ckey = K;                                         \
		*a = C_IMAGE;                                      \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_IMAGE_REPOSITORY:           \
		*ckey = K;                                         \
		*a = C_REPO;                                       \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_COMMAND:                    \
		*ckey = K;                                         \
		*a = C_COMMAND;                                    \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_ARGS:                       \
		*ckey = K;                                         \
		*a = C_ARGS;                                       \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_PRIVILEGED:                 \
		*ckey = K;                                         \
		*a = C_PRIVILEGED;                                 \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_ALLOW_PRIVILEGE_ESCALATION: \
		*ckey = K;                                         \
		*a = C_APE;                                        \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_READ_ONLY_FS:               \
		*ckey = K;                                         \
		*a = C_RO_FS;                                      \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_RUN_AS_USER:                \
		*ckey = K;                                         \
		*a = C_RUN_AS_USER;                                \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_EFF_RUN_AS_USER:            \
		*ckey = K;                                         \
		*a = C_EFF_USER;                                   \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_RUN_AS_GROUP:               \
		*ckey = K;                                         \
		*a = C_RUN_AS_GROUP;                               \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_EFF_RUN_AS_GROUP:           \
		*ckey = K;                                         \
		*a = C_EFF_GROUP;                                  \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_PROC_MOUNT:                 \
		*ckey = K;                                         \
		*a = C_PROC_MOUNT;                                 \
		return 1;                                          \
	case SHRIKE_F_KA_REQ_POD_##P##_ADD_CAPABILITIES:           \
		*ckey = K;                                         \
		*a = C_ADD_CAPS;                                   \
		return 1;

	switch (f) {
		CF(CONTAINERS, "containers")
		CF(INITCONTAINERS, "initContainers")
		CF(EPHEMERALCONTAINERS, "ephemeralContainers")
	case SHRIKE_F_KA_REQ_POD_CONTAINERS_HOST_PORT:
		*ckey = "containers";
		*a = C_HOST_PORT;
		return 1;
	case SHRIKE_F_KA_REQ_POD_INITCONTAINERS_HOST_PORT:
		*ckey = "initContainers";
		*a = C_HOST_PORT;
		return 1;
	}
#undef CF
	return 0;
}

/* ---- ka.uri.param: Go's url.Parse + url.ParseQuery ------------------------------ */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* QueryUnescape into dst (at least n bytes); -1 on a bad escape. */
static long unescape(const char *s, size_t n, char *dst)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int h, l;

			if (i + 2 >= n)
				return -1;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			dst[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			dst[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	return (long)o;
}

static void uri_param(struct res *r, json_object *uri, const char *key, size_t klen)
{
	const char *s, *q, *end, *p;
	size_t n, i;
	char *kb = NULL, *vb = NULL;
	int found = 0, bad = 0;

	if (!uri || uri == JNULL || !json_object_is_type(uri, json_type_string))
		return;
	s = json_object_get_string(uri);
	n = (size_t)json_object_get_string_len(uri);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return; /* url.Parse: invalid control character */
	end = memchr(s, '#', n);
	if (!end)
		end = s + n;
	q = memchr(s, '?', (size_t)(end - s));
	/* url.Parse rejects a bad escape in the path. */
	for (p = s; p < (q ? q : end); p++)
		if (*p == '%' && (end - p < 3 || hexval(p[1]) < 0 || hexval(p[2]) < 0))
			return;
	if (!q)
		return;
	q++;
	kb = malloc((size_t)(end - q) + 1);
	vb = malloc((size_t)(end - q) + 1);
	if (!kb || !vb) {
		r->oom = 1;
		goto out;
	}
	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		const char *pe = amp ? amp : end, *eq;
		long kl, vl;

		if (memchr(q, ';', (size_t)(pe - q))) {
			bad = 1; /* Go >= 1.17: semicolons are an error */
		} else if (pe > q) {
			eq = memchr(q, '=', (size_t)(pe - q));
			kl = unescape(q, (size_t)((eq ? eq : pe) - q), kb);
			vl = eq ? unescape(eq + 1, (size_t)(pe - eq - 1), vb) : 0;
			if (kl < 0 || vl < 0)
				bad = 1;
			else if (!found && (size_t)kl == klen && !memcmp(kb, key, klen)) {
				found = 1;
				add(r, vb, (size_t)vl);
			}
		}
		q = amp ? amp + 1 : end;
	}
	/* The plugin gives up on any parse error, even after a match. */
	if (bad)
		r->n = 0;
out:
	free(kb);
	free(vb);
}

/* ---- jevt --------------------------------------------------------------------- */

int k8saudit_pointer(json_object *root, const char *ptr, size_t len, json_object **out)
{
	json_object *cur = root;
	size_t i = 0;
	char *tok;

	if (!len) {
		*out = root;
		return 0;
	}
	if (ptr[0] != '/')
		return -ENOENT;
	tok = malloc(len + 1);
	if (!tok)
		return -ENOENT;
	while (i < len) {
		size_t t = 0;

		i++; /* the '/' */
		while (i < len && ptr[i] != '/') {
			if (ptr[i] == '~') {
				if (i + 1 >= len || (ptr[i + 1] != '0' && ptr[i + 1] != '1'))
					goto fail;
				tok[t++] = ptr[i + 1] == '0' ? '~' : '/';
				i += 2;
			} else {
				tok[t++] = ptr[i++];
			}
		}
		tok[t] = 0;
		if (!cur)
			goto fail;
		if (json_object_is_type(cur, json_type_object)) {
			json_object *v;

			if (strlen(tok) != t || !json_object_object_get_ex(cur, tok, &v))
				goto fail;
			cur = v;
		} else if (json_object_is_type(cur, json_type_array)) {
			size_t k, x = 0;

			/* Digits without a leading zero; "-" is past the end. */
			if (!t || t > 18 || (t > 1 && tok[0] == '0'))
				goto fail;
			for (k = 0; k < t; k++) {
				if (tok[k] < '0' || tok[k] > '9')
					goto fail;
				x = x * 10 + (size_t)(tok[k] - '0');
			}
			if (x >= json_object_array_length(cur))
				goto fail;
			cur = json_object_array_get_idx(cur, x);
		} else {
			goto fail;
		}
	}
	free(tok);
	*out = cur;
	return 0;
fail:
	free(tok);
	return -ENOENT;
}

int k8saudit_parse_time(const char *s, u64 *ns)
{
	struct tm tm;
	const char *p;
	u64 frac = 0, scale = 100000000ull;
	time_t t;

	if (!s)
		return -EINVAL;
	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -EINVAL;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			frac += (u64)(*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p == 'Z')
		p++;
	if (*p)
		return -EINVAL;
	t = timegm(&tm);
	if (t < 0)
		return -EINVAL;
	*ns = (u64)t * 1000000000ull + frac;
	return 0;
}

int k8saudit_event_time(json_object *ev, u64 *ns)
{
	json_object *ts = get(ev, "stageTimestamp");

	if (!ts || ts == JNULL || !json_object_is_type(ts, json_type_string))
		return -EINVAL;
	return k8saudit_parse_time(json_object_get_string(ts), ns);
}

/* ---- binding subjects --------------------------------------------------------- */

static void subjects(struct res *r, json_object *root, const char *kind, bool ns)
{
	json_object *subj = GET(root, "requestObject", "subjects");
	size_t i, n;

	if (!is_array(subj))
		return;
	n = json_object_array_length(subj);
	for (i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(subj, i);
		json_object *k = get(s, "kind"), *name = get(s, "name");
		json_object *nsp = get(s, "namespace");

		if (!k || k == JNULL || !json_object_is_type(k, json_type_string) ||
		    strcmp(json_object_get_string(k), kind) || !name)
			continue;
		if (ns) {
			struct res tmp = { .ev = r->ev };
			char *joined;
			size_t a, b;

			add_json(&tmp, nsp ? nsp : JNULL);
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

/* ka.req.role.rules.X and ka.sourceips: flattened arrays of strings. */
static void flat_arrays(struct res *r, json_object *from, const char *const *keys, size_t nkeys,
			long idx)
{
	struct jvec jv = { 0 };
	size_t i, k, n;

	if (gvr(from, idx, keys, nkeys, 0, &jv) == GV_OK)
		for (i = 0; i < jv.n; i++) {
			if (!is_array(jv.v[i]))
				continue;
			n = json_object_array_length(jv.v[i]);
			for (k = 0; k < n; k++) {
				json_object *e = json_object_array_get_idx(jv.v[i], k);

				add_json(r, e ? e : JNULL);
			}
		}
	if (jv.oom)
		r->oom = 1;
	free(jv.v);
}

/* ---- dispatch ----------------------------------------------------------------- */

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

int k8saudit_extract(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		     struct shrike_val *out)
{
	json_object *root = ev->audit, *spec;
	struct res r = { .ev = ev };
	const char *ckey;
	enum cattr ca;
	long idx;

	if (field >= __SHRIKE_F_MAX || !root || shrike_fields[field].source != SHRIKE_SRC_K8S_AUDIT)
		return SHRIKE_FETCH_MISSING;
	if (field == SHRIKE_F_JEVT_VALUE || field == SHRIKE_F_JEVT_OBJ)
		return jevt(ev, field, arg, arglen, out);
	/* The plugin discards JSON that is not an audit event. */
	if (!get(root, "auditID"))
		return missing(ev, field, arg, arglen);
	idx = shrike_fields[field].argkind == SHRIKE_ARGK_INDEX ? index_arg(arg, arglen) : NO_INDEX;
	if (idx == -2)
		return missing(ev, field, arg, arglen);
	spec = pod_spec(root);

	if (container_field(field, &ckey, &ca)) {
		containers(&r, spec, ckey, ca, idx);
		return done(ev, field, arg, arglen, &r, out);
	}

	switch (field) {
	case SHRIKE_F_KA_AUDITID: from_node(&r, get(root, "auditID"), 0); break;
	case SHRIKE_F_KA_STAGE: from_node(&r, get(root, "stage"), 0); break;
	case SHRIKE_F_KA_AUTH_DECISION:
		from_node(&r, GET(root, "annotations", "authorization.k8s.io/decision"), 0);
		break;
	case SHRIKE_F_KA_AUTH_REASON:
		from_node(&r, GET(root, "annotations", "authorization.k8s.io/reason"), 0);
		break;
	case SHRIKE_F_KA_AUTH_OPENSHIFT_DECISION:
		from_node(&r, GET(root, "annotations", "authentication.openshift.io/decision"), 0);
		break;
	case SHRIKE_F_KA_AUTH_OPENSHIFT_USERNAME:
		from_node(&r, GET(root, "annotations", "authentication.openshift.io/username"), 0);
		break;
	case SHRIKE_F_KA_VALIDATIONS_ADMISSION_POLICY_FAILURE:
		from_node(&r,
			  GET(root, "annotations",
			      "validation.policy.admission.k8s.io/validation_failure"),
			  0);
		break;
	case SHRIKE_F_KA_SECURITY_POD_VIOLATIONS:
		from_node(&r,
			  GET(root, "annotations", "pod-security.kubernetes.io/audit-violations"),
			  0);
		break;
	case SHRIKE_F_KA_USER_NAME: from_node(&r, GET(root, "user", "username"), 0); break;
	case SHRIKE_F_KA_USER_GROUPS: from_node(&r, GET(root, "user", "groups"), 1); break;
	case SHRIKE_F_KA_IMPUSER_NAME:
		from_node(&r, GET(root, "impersonatedUser", "username"), 0);
		break;
	case SHRIKE_F_KA_VERB: from_node(&r, get(root, "verb"), 0); break;
	case SHRIKE_F_KA_URI: from_node(&r, get(root, "requestURI"), 0); break;
	case SHRIKE_F_KA_URI_PARAM: uri_param(&r, get(root, "requestURI"), arg, arglen); break;
	case SHRIKE_F_KA_TARGET_NAME:
	case SHRIKE_F_KA_REQ_CONFIGMAP_NAME:
		from_node(&r, GET(root, "objectRef", "name"), 0);
		break;
	case SHRIKE_F_KA_TARGET_NAMESPACE:
		from_node(&r, GET(root, "objectRef", "namespace"), 0);
		break;
	case SHRIKE_F_KA_TARGET_RESOURCE:
		from_node(&r, GET(root, "objectRef", "resource"), 0);
		break;
	case SHRIKE_F_KA_TARGET_SUBRESOURCE:
		from_node(&r, GET(root, "objectRef", "subresource"), 0);
		break;
	case SHRIKE_F_KA_TARGET_POD_NAME: {
		json_object *res = GET(root, "objectRef", "resource");

		if (res && res != JNULL && json_object_is_type(res, json_type_string) &&
		    !strcmp(json_object_get_string(res), "pods"))
			from_node(&r, GET(root, "objectRef", "name"), 0);
		break;
	}
	case SHRIKE_F_KA_REQ_BINDING_SUBJECTS:
		from_node(&r, GET(root, "requestObject", "subjects"), 1);
		break;
	case SHRIKE_F_KA_REQ_BINDING_SUBJECTS_USER_NAMES: subjects(&r, root, "User", false); break;
	case SHRIKE_F_KA_REQ_BINDING_SUBJECTS_SERVICEACCOUNT_NAMES:
		subjects(&r, root, "ServiceAccount", false);
		break;
	case SHRIKE_F_KA_REQ_BINDING_SUBJECTS_SERVICEACCOUNT_NS_NAMES:
		subjects(&r, root, "ServiceAccount", true);
		break;
	case SHRIKE_F_KA_REQ_BINDING_SUBJECTS_GROUP_NAMES:
		subjects(&r, root, "Group", false);
		break;
	case SHRIKE_F_KA_REQ_BINDING_ROLE:
		from_node(&r, GET(root, "requestObject", "roleRef", "name"), 0);
		break;
	case SHRIKE_F_KA_REQ_BINDING_SUBJECT_HAS_NAME:
		/* The plugin answers "true" whatever the subjects, as the
		 * original implementation effectively did. */
		addz(&r, "true");
		break;
	case SHRIKE_F_KA_REQ_CONFIGMAP_OBJ:
		from_node(&r, GET(root, "requestObject", "data"), 0);
		break;
	case SHRIKE_F_KA_REQ_CONTAINER_IMAGE:
	case SHRIKE_F_KA_REQ_CONTAINER_IMAGE_REPOSITORY:
		/* The first container's only. */
		containers(&r, spec, "containers",
			   field == SHRIKE_F_KA_REQ_CONTAINER_IMAGE ? C_IMAGE : C_REPO, 0);
		break;
	case SHRIKE_F_KA_REQ_CONTAINER_HOST_NETWORK:
	case SHRIKE_F_KA_REQ_POD_HOST_NETWORK: from_node(&r, get(spec, "hostNetwork"), 0); break;
	case SHRIKE_F_KA_REQ_CONTAINER_PRIVILEGED: {
		struct jvec jv = { 0 };
		size_t i;
		int any = 0;

		if (gvr(spec, NO_INDEX,
			(const char *const[]){ "containers", "securityContext", "privileged" }, 3,
			0, &jv) == GV_OK) {
			for (i = 0; i < jv.n; i++)
				if (jv.v[i] && jv.v[i] != JNULL &&
				    json_object_is_type(jv.v[i], json_type_boolean) &&
				    json_object_get_boolean(jv.v[i]))
					any = 1;
			addz(&r, any ? "true" : "false");
		}
		free(jv.v);
		break;
	}
	case SHRIKE_F_KA_REQ_POD_HOST_IPC: from_node(&r, get(spec, "hostIPC"), 0); break;
	case SHRIKE_F_KA_REQ_POD_HOST_PID: from_node(&r, get(spec, "hostPID"), 0); break;
	case SHRIKE_F_KA_REQ_POD_RUN_AS_USER:
		from_node(&r, GET(spec, "securityContext", "runAsUser"), 0);
		break;
	case SHRIKE_F_KA_REQ_POD_RUN_AS_GROUP:
		from_node(&r, GET(spec, "securityContext", "runAsGroup"), 0);
		break;
	case SHRIKE_F_KA_REQ_POD_FS_GROUP:
		from_node(&r, GET(spec, "securityContext", "fsGroup"), 0);
		break;
	case SHRIKE_F_KA_REQ_POD_SUPPLEMENTAL_GROUPS:
		from_node(&r, GET(spec, "securityContext", "supplementalGroups"), 1);
		break;
	case SHRIKE_F_KA_REQ_ROLE_RULES:
		from_node(&r, GET(root, "requestObject", "rules"), 1);
		break;
	case SHRIKE_F_KA_REQ_ROLE_RULES_APIGROUPS:
	case SHRIKE_F_KA_REQ_ROLE_RULES_NONRESOURCEURLS:
	case SHRIKE_F_KA_REQ_ROLE_RULES_VERBS:
	case SHRIKE_F_KA_REQ_ROLE_RULES_RESOURCES: {
		const char *k = field == SHRIKE_F_KA_REQ_ROLE_RULES_APIGROUPS ? "apiGroups"
				: field == SHRIKE_F_KA_REQ_ROLE_RULES_NONRESOURCEURLS
					? "nonResourceURLs"
				: field == SHRIKE_F_KA_REQ_ROLE_RULES_VERBS ? "verbs"
									    : "resources";

		flat_arrays(&r, get(root, "requestObject"), (const char *const[]){ "rules", k }, 2,
			    idx);
		break;
	}
	case SHRIKE_F_KA_REQ_SERVICE_TYPE:
		from_node(&r, GET(root, "requestObject", "spec", "type"), 0);
		break;
	case SHRIKE_F_KA_REQ_SERVICE_PORTS: {
		struct jvec jv = { 0 };

		/* The path ends at "ports": the whole array is one value. */
		if (gvr(root, idx, (const char *const[]){ "requestObject", "spec", "ports" }, 3, 0,
			&jv) == GV_OK)
			add_skipnil(&r, &jv);
		if (jv.oom)
			r.oom = 1;
		free(jv.v);
		break;
	}
	case SHRIKE_F_KA_REQ_POD_VOLUMES_HOSTPATH:
	case SHRIKE_F_KA_REQ_POD_VOLUMES_FLEXVOLUME_DRIVER: {
		struct jvec jv = { 0 };
		int hp = field == SHRIKE_F_KA_REQ_POD_VOLUMES_HOSTPATH;

		if (gvr(spec, idx,
			(const char *const[]){ "volumes", hp ? "hostPath" : "flexVolume",
					       hp ? "path" : "driver" },
			3, 0, &jv) == GV_OK)
			add_skipnil(&r, &jv);
		if (jv.oom)
			r.oom = 1;
		free(jv.v);
		break;
	}
	case SHRIKE_F_KA_REQ_POD_VOLUMES_VOLUME_TYPE: {
		struct jvec jv = { 0 };
		size_t i;

		/* Every key of each volume but "name". */
		if (gvr(spec, idx, (const char *const[]){ "volumes", "" }, 2, 0, &jv) == GV_OK)
			for (i = 0; i < jv.n; i++) {
				json_object *vol = real(jv.v[i]);

				if (!vol || !json_object_is_type(vol, json_type_object))
					continue;
				json_object_object_foreach(vol, key, val)
				{
					(void)val;
					if (strcmp(key, "name"))
						addz(&r, key);
				}
			}
		if (jv.oom)
			r.oom = 1;
		free(jv.v);
		break;
	}
	case SHRIKE_F_KA_REQ_VOLUME_HOSTPATH: {
		struct jvec jv = { 0 };
		size_t i;
		int hit = 0, prefix = arglen && arg[arglen - 1] == '*';
		size_t plen = prefix ? arglen - 1 : arglen;

		if (!arglen)
			break;
		/* "true" if any hostPath volume is the path, or starts with it
		 * when the argument ends in '*'. */
		if (gvr(spec, NO_INDEX, (const char *const[]){ "volumes", "hostPath", "path" }, 3,
			0, &jv) == GV_OK) {
			struct res paths = { .ev = ev };

			add_skipnil(&paths, &jv);
			for (i = 0; i < paths.n; i++) {
				const struct shrike_str *p = &paths.items[i];

				if (prefix ? p->len >= plen && !memcmp(p->ptr, arg, plen)
					   : p->len == arglen && !memcmp(p->ptr, arg, arglen))
					hit = 1;
			}
			addz(&r, hit ? "true" : "false");
		}
		free(jv.v);
		break;
	}
	case SHRIKE_F_KA_RESP_NAME:
		from_node(&r, GET(root, "responseObject", "metadata", "name"), 0);
		break;
	case SHRIKE_F_KA_RESPONSE_CODE:
		from_node(&r, GET(root, "responseStatus", "code"), 0);
		break;
	case SHRIKE_F_KA_RESPONSE_REASON:
		from_node(&r, GET(root, "responseStatus", "reason"), 0);
		break;
	case SHRIKE_F_KA_USERAGENT: from_node(&r, get(root, "userAgent"), 0); break;
	case SHRIKE_F_KA_SOURCEIPS: {
		json_object *ips = get(root, "sourceIPs");

		if (idx == NO_INDEX) {
			from_node(&r, ips, 1);
		} else if (is_array(ips) && (size_t)idx < json_object_array_length(ips)) {
			json_object *e = json_object_array_get_idx(ips, (size_t)idx);

			add_json(&r, e ? e : JNULL);
		}
		break;
	}
	case SHRIKE_F_KA_CLUSTER_NAME:
		/* Configuration, not the event: only what the agent sets. */
		break;
	default: break;
	}
	return done(ev, field, arg, arglen, &r, out);
}
