/* k8saudit.h - the ka.* and jevt.* fields of a Kubernetes audit event
 * (audit.k8s.io/v1 Event), computed as Falco's k8saudit plugin computes ka.*
 * and Falco 0.31's json engine computes jevt.*. */
#ifndef SHRIKE_LIB_K8SAUDIT_H
#define SHRIKE_LIB_K8SAUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>
#include "event.h"

/*
 * Computes field with argument text arg (a level "0" for INDEX fields, a
 * key or a JSON pointer for KEY fields; arglen 0 for none) on ev's audit
 * event, stores the result in ev's cache and fills *out. Returns
 * SHRIKE_FETCH_OK or SHRIKE_FETCH_MISSING; never fails on any JSON shape.
 */
int k8saudit_extract(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		     struct shrike_val *out);

/* The event time Falco uses: stageTimestamp ("2024-01-02T03:04:05.123456Z")
 * in ns. Returns 0, or -EINVAL if there is none or it does not parse. */
int k8saudit_event_time(json_object *ev, u64 *ns);
int k8saudit_parse_time(const char *s, u64 *ns);

/*
 * Stringifies j compactly: sorted keys and JSON escapes as Falco 0.31's
 * nlohmann dump (jevt.*), or document order as the plugin's fastjson
 * (ka.*). NULL j is JSON null. malloc'd; NULL on ENOMEM.
 */
char *k8saudit_dump(json_object *j, bool sorted);

/* RFC 6901: *out is the value (NULL for JSON null). 0, or -ENOENT. */
int k8saudit_pointer(json_object *root, const char *ptr, size_t len, json_object **out);

#endif
