/* k8saudit.h - the ka.* and jevt.* fields of a Kubernetes audit event
 * (audit.k8s.io/v1 Event), computed as Falco's k8saudit plugin computes ka.*
 * and Falco 0.31's json engine computes jevt.*: the extractor of the
 * k8s_audit source (event.c's table). */
#ifndef SHRIKE_LIB_K8SAUDIT_H
#define SHRIKE_LIB_K8SAUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include "evstore.h"
#include "k8sjson.h"

/*
 * Computes field with argument text arg (a level "0" for INDEX fields, a
 * key or a JSON pointer for KEY fields; arglen 0 for none) on ev's audit
 * event, stores the result in ev's cache and fills *out. Returns
 * SHRIKE_FETCH_OK or SHRIKE_FETCH_MISSING; never fails on any JSON shape.
 */
int k8saudit_extract(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		     struct shrike_val *out);
/* Whether k8saudit_extract() computes field for ev: any k8s_audit field
 * (the store asks only about fields of ev's source; event.c's table has
 * the time fields computed before). */
bool k8saudit_claims(const struct uevent *ev, u16 field);

#endif
