/* k8sjson.c - the JSON walks over an audit event (see k8sjson.h): member
 * access, the k8saudit plugin's getValuesRecursive, RFC 6901 pointers,
 * nlohmann's and fastjson's dumps, the audit time, ka.uri.param's query. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strptime */
#endif
#include "k8sjson.h"
#include "evjson.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DEPTH 64 /* nested arrays walked before giving up */

char k8s_jnull_mark;

json_object *k8s_real(json_object *j)
{
	return j == K8S_JNULL ? NULL : j;
}

json_object *k8s_get(json_object *o, const char *k)
{
	json_object *v;

	if (!o || o == K8S_JNULL || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, k, &v))
		return NULL;
	return v ? v : K8S_JNULL;
}

json_object *k8s_getv(json_object *o, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n && o; i++)
		o = k8s_get(o, keys[i]);
	return o;
}

bool k8s_is_array(json_object *o)
{
	return o && o != K8S_JNULL && json_object_is_type(o, json_type_array);
}

bool k8s_is_str(json_object *o, const char *s)
{
	return o && o != K8S_JNULL && json_object_is_type(o, json_type_string) &&
	       !strcmp(json_object_get_string(o), s);
}

/* ---- stringify ---------------------------------------------------------------- */

/* nlohmann's quoting, or Go's (fastjson's slow path). */
static void put_quoted(struct strbuf *b, const char *s, size_t n, bool sorted)
{
	json_quote(b, s, n, sorted ? JSON_QUOTE_NLOHMANN : JSON_QUOTE_GO);
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
	j = k8s_real(j);
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
			   sorted);
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
			put_quoted(b, keys[i], strlen(keys[i]), sorted);
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

/* ---- the plugin's getValuesRecursive ------------------------------------------ */

static void jpush(struct k8s_jvec *jv, json_object *o)
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
	       struct k8s_jvec *out)
{
	size_t i, k, len;

	if (depth > MAX_DEPTH)
		return K8S_GV_ERR;
	for (i = 0; i < nkeys; i++) {
		if (k8s_is_array(node)) {
			len = json_object_array_length(node);
			if (idx == K8S_NO_INDEX) {
				for (k = 0; k < len; k++) {
					json_object *e = json_object_array_get_idx(node, k);
					int r = gvr(e ? e : K8S_JNULL, idx, keys + i, nkeys - i,
						    depth + 1, out);

					if (r == K8S_GV_NA)
						jpush(out, NULL);
					else if (r == K8S_GV_ERR)
						return r;
				}
				return K8S_GV_OK;
			}
			if ((size_t)idx >= len)
				return K8S_GV_NA;
			node = json_object_array_get_idx(node, (size_t)idx);
			node = node ? node : K8S_JNULL;
		}
		if (keys[i][0])
			node = k8s_get(node, keys[i]);
		if (!node)
			return K8S_GV_NA;
	}
	jpush(out, node);
	return K8S_GV_OK;
}

int k8s_values(json_object *node, long idx, const char *const *keys, size_t nkeys,
	       struct k8s_jvec *out)
{
	return gvr(node, idx, keys, nkeys, 0, out);
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

int k8s_uri_param(json_object *uri, const char *key, size_t klen, char **val, size_t *vlen)
{
	const char *s, *q, *end, *p;
	size_t n, i;
	char *kb = NULL, *vb = NULL;
	int found = 0, bad = 0, rc = -ENOMEM;

	*val = NULL;
	if (!uri || uri == K8S_JNULL || !json_object_is_type(uri, json_type_string))
		return 0;
	s = json_object_get_string(uri);
	n = (size_t)json_object_get_string_len(uri);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0; /* url.Parse: invalid control character */
	end = memchr(s, '#', n);
	if (!end)
		end = s + n;
	q = memchr(s, '?', (size_t)(end - s));
	/* url.Parse rejects a bad escape in the path. */
	for (p = s; p < (q ? q : end); p++)
		if (*p == '%' && (end - p < 3 || hexval(p[1]) < 0 || hexval(p[2]) < 0))
			return 0;
	if (!q)
		return 0;
	q++;
	kb = malloc((size_t)(end - q) + 1);
	vb = malloc((size_t)(end - q) + 1);
	if (!kb || !vb)
		goto out;
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
				/* The value stays; later ones go to a new vb. */
				found = 1;
				*val = vb;
				*vlen = (size_t)vl;
				vb = malloc((size_t)(end - q) + 1);
				if (!vb)
					goto out;
			}
		}
		q = amp ? amp + 1 : end;
	}
	/* The plugin gives up on any parse error, even after a match. */
	rc = found && !bad;
out:
	if (rc <= 0) {
		free(*val);
		*val = NULL;
	}
	free(kb);
	free(vb);
	return rc;
}

/* ---- jevt.value's pointer, the event time ------------------------------------- */

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
	json_object *ts = k8s_get(ev, "stageTimestamp");

	if (!ts || ts == K8S_JNULL || !json_object_is_type(ts, json_type_string))
		return -EINVAL;
	return k8saudit_parse_time(json_object_get_string(ts), ns);
}
