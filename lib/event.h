/* event.h - the userspace event that rules are evaluated on, shared by
 * `shrikec test` and shrike-agent: a syscall event as a set of field values
 * (from the kernel's captures, from enrichment, or from a JSON test line), or
 * a Kubernetes audit event as its parsed JSON. The event model in parts,
 * each depending only on the store:
 *   evstore.h  the value store and lookup; uevent_fetch() is the one fetch
 *              callback handed to shrike_eval()
 *   evtext.h   values rendered as Falco prints them in an output string
 *   evjson.h   syscall events from JSON test lines, JSON string quoting
 *   k8saudit.h the ka.* and jevt.* fields of an audit event
 *   procfs.h   the process fields the agent reads from /proc
 * event.c puts them together: the extractors of each source's fields, and
 * audit events. */
#ifndef SHRIKE_LIB_EVENT_H
#define SHRIKE_LIB_EVENT_H

#include <json-c/json.h>
#include "evstore.h"
#include "evtext.h"
#include "evjson.h"

/*
 * A k8s_audit event from a parsed audit.k8s.io/v1 Event (takes a new
 * reference on ev_json). The time is its stageTimestamp, as Falco's. Returns
 * 0, or -EINVAL if ev_json is not an object (the event is then empty).
 */
int uevent_from_audit(struct uevent *ev, json_object *ev_json);

#endif
