/* k8sjson.h - the JSON walks over an audit event that Falco's k8saudit
 * plugin and Falco 0.31's json engine make: member access that tells null
 * from absent, the plugin's getValuesRecursive, RFC 6901 pointers, compact
 * dumps in nlohmann's or fastjson's form, the event's time, and the query
 * of its requestURI as Go parses it. They find JSON values; k8saudit.c
 * turns them into field values. Any JSON shape is
 * accepted; recursion is bounded. */
#ifndef SHRIKE_LIB_K8SJSON_H
#define SHRIKE_LIB_K8SJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "../kmod/common/table.h"

/* json-c spells JSON null as a NULL object; "present but null" needs a mark
 * of its own, distinct from "absent" (NULL). Never handed to json-c. */
extern char k8s_jnull_mark;
#define K8S_JNULL ((json_object *)&k8s_jnull_mark)

/* j, or NULL for K8S_JNULL: what json-c takes. */
json_object *k8s_real(json_object *j);
/* Member k of an object: the value, K8S_JNULL for null, NULL if absent. */
json_object *k8s_get(json_object *o, const char *k);
/* Members along keys (n of them); K8S_GET(o, "a", "b") for o.a.b. */
json_object *k8s_getv(json_object *o, const char *const *keys, size_t n);
#define K8S_GET(o, ...)                                     \
	k8s_getv((o), (const char *const[]){ __VA_ARGS__ }, \
		 sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))
bool k8s_is_array(json_object *o);
/* o is a JSON string equal to s. */
bool k8s_is_str(json_object *o, const char *s);

/* What k8s_values() found: one entry per value, NULL where an array element
 * lacked the path. oom set if a push failed. Free v. */
struct k8s_jvec {
	json_object **v;
	size_t n, cap;
	int oom;
};

#define K8S_NO_INDEX (-1L)
enum { K8S_GV_OK, K8S_GV_NA, K8S_GV_ERR };

/*
 * The plugin's getValuesRecursive: follows keys (nkeys of them; "" stays on
 * the node) from node. An array met before a key is expanded: every element
 * with idx K8S_NO_INDEX (an element lacking the path leaves a NULL), only
 * element idx otherwise. The value at the end of the path is not expanded.
 * K8S_GV_OK with the values appended to out, K8S_GV_NA (no value) or
 * K8S_GV_ERR (nested too deep).
 */
int k8s_values(json_object *node, long idx, const char *const *keys, size_t nkeys,
	       struct k8s_jvec *out);

/*
 * Stringifies j compactly: sorted keys and JSON escapes as Falco 0.31's
 * nlohmann dump (jevt.*), or document order as the plugin's fastjson
 * (ka.*). NULL j is JSON null. malloc'd; NULL on ENOMEM.
 */
char *k8saudit_dump(json_object *j, bool sorted);

/*
 * ka.uri.param: the value of query parameter key (klen bytes) of the
 * requestURI uri, as Go's url.Parse and url.ParseQuery give it: 1 with
 * *val malloc'd (*vlen bytes), 0 if there is none (uri not a string, no
 * such key, any parse error, as the plugin gives up on any), -ENOMEM.
 */
int k8s_uri_param(json_object *uri, const char *key, size_t klen, char **val, size_t *vlen);

/* RFC 6901: *out is the value (NULL for JSON null). 0, or -ENOENT. */
int k8saudit_pointer(json_object *root, const char *ptr, size_t len, json_object **out);

/* The event time Falco uses: stageTimestamp ("2024-01-02T03:04:05.123456Z")
 * in ns. Returns 0, or -EINVAL if there is none or it does not parse. */
int k8saudit_event_time(json_object *ev, u64 *ns);
int k8saudit_parse_time(const char *s, u64 *ns);

#endif
