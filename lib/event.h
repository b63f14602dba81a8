/* event.h - the userspace event that rules are evaluated on, shared by
 * `shrikec test` and shrike-agent: a syscall event as a set of field values
 * (from the kernel's captures, from enrichment, or from a JSON test line), or
 * a Kubernetes audit event as its parsed JSON. uevent_fetch() is the one fetch
 * callback handed to shrike_eval(); uevent_get_str() renders a value the way
 * Falco prints it in an output string. */
#ifndef SHRIKE_LIB_EVENT_H
#define SHRIKE_LIB_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "../kmod/common/table.h"

/* One stored value, keyed by (field, argument text). Internal layout. */
struct uevent_val {
	u16 field;
	u8 missing; /* explicitly no value (JSON null) */
	u8 derived; /* computed here (k8s audit), a cache entry */
	char *arg;  /* argument text as written, "" if none */
	u32 arglen;
	struct shrike_val v;
};

struct uevent_arena;

struct uevent {
	int source; /* SHRIKE_SRC_* */
	u64 ts;	    /* event time, ns since the epoch */
	bool has_ts;
	u64 ts_fallback;    /* used for time fields when !has_ts (alert time) */
	json_object *audit; /* k8s_audit: the audit event (a reference we own) */
	struct uevent_val *vals;
	size_t nvals, cap;
	u64 present[(__SHRIKE_F_MAX + 63) / 64]; /* fields with a value in vals */
	struct uevent_arena *arena;		 /* every string and list of this event */
	/* procfs.c: where /proc/PID is read for the fields the kernel leaves
	 * to the agent (NULL: never, as in `shrikec test`), what was read. */
	const char *proc_root;
	u8 proc_read;
	const char *environ;
	u32 environ_len;
};

/* What uevent_fetch() gets as ctx. t resolves STRREFS arguments. */
struct uevent_ctx {
	const struct shrike_table *t;
	struct uevent *ev;
};

/* An empty event of the given source. */
void uevent_init(struct uevent *ev, int source);
void uevent_free(struct uevent *ev);
/* Empties ev (initialized or reset before) for the next event of source,
 * keeping a block of its memory for it: uevent_free's and uevent_init's
 * work without the allocations. */
void uevent_reset(struct uevent *ev, int source);

/*
 * Parses one JSON object whose keys are field tokens as written in rules
 * ("proc.aname[2]", "evt.arg.flags") into a syscall event. Values: strings,
 * numbers, true/false, arrays of strings for list values, null for an
 * explicitly missing value; each is converted to the field's registered
 * type. A number for evt.time or evt.rawtime sets the event time, from which
 * every evt.time* / evt.datetime* / evt.rawtime* field is derived unless the
 * line gives that field itself. Returns 0, or -EINVAL with a message in err.
 */
int uevent_from_json_syscall(struct uevent *ev, const char *line, char *err, size_t errlen);

/*
 * A k8s_audit event from a parsed audit.k8s.io/v1 Event (takes a new
 * reference on ev_json). The time is its stageTimestamp, as Falco's. Returns
 * 0, or -EINVAL if ev_json is not an object (the event is then empty).
 */
int uevent_from_audit(struct uevent *ev, json_object *ev_json);

/*
 * Enrichment setters. arg is the argument text ("2", "flags", "HOME") or
 * NULL; a later set of the same (field, arg) replaces the earlier one.
 * Return 0, -EINVAL (bad field) or -ENOMEM.
 */
int uevent_set_str(struct uevent *ev, u16 field, const char *arg, const char *s, size_t len);
int uevent_set_u64(struct uevent *ev, u16 field, const char *arg, u64 v);
int uevent_set_s64(struct uevent *ev, u16 field, const char *arg, s64 v);
int uevent_set_bool(struct uevent *ev, u16 field, const char *arg, bool v);
int uevent_set_strlist(struct uevent *ev, u16 field, const char *arg, const char *const *items,
		       size_t n);
/* family 4 or 6, addr in network order; prefix only for IPNET fields. */
int uevent_set_ip(struct uevent *ev, u16 field, const char *arg, int family, const void *addr,
		  u8 prefix);
int uevent_set_missing(struct uevent *ev, u16 field, const char *arg);

/* THE fetch callback: ctx is a struct uevent_ctx. */
int uevent_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out);

/*
 * The value of (field, argument text): SHRIKE_FETCH_OK with *out filled
 * (pointers valid until uevent_free), or SHRIKE_FETCH_MISSING.
 */
int uevent_lookup(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		  struct shrike_val *out);

/*
 * The value of (field, argument text) as an output shows it: as
 * uevent_lookup, except for fd.sip.name and its kin, whose value is the
 * address (what the evaluator compares names with) and which show the name
 * dns_name_of() gives it, or are missing (<NA>).
 */
int uevent_lookup_shown(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			struct shrike_val *out);

/*
 * Renders the value of a field token ("proc.aname[2]", "ka.req.pod.
 * containers.image") as Falco prints it in output text: numbers in decimal,
 * booleans true/false, lists as "(a,b)". Writes at most buflen bytes,
 * NUL-terminated. Returns the rendered length + 1 (more than buflen means it
 * was truncated), 0 if the event has no value (print <NA>), -EINVAL for a
 * token that names no field.
 */
int uevent_get_str(struct uevent_ctx *ctx, const char *token, size_t len, char *buf, size_t buflen);

/* Renders v of a field of registered type ftype into a malloc'd string, or
 * appends it to b. */
char *uevent_render(u8 ftype, const struct shrike_val *v);
struct strbuf;
void uevent_render_into(struct strbuf *b, u8 ftype, const struct shrike_val *v);

/* Falco's time strings (libsinsp ts_to_string / ts_to_iso_8601). buf >= 40. */
void uevent_fmt_time(u64 ts, bool date, bool ns, char *buf, size_t len);
void uevent_fmt_iso8601(u64 ts, char *buf, size_t len);
/* Falco's JSON "time": gmtime, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ". */
void uevent_fmt_rfc3339(u64 ts, char *buf, size_t len);

/* Arena memory that lives as long as ev; NULL on ENOMEM. */
void *uevent_alloc(struct uevent *ev, size_t n);
char *uevent_strndup(struct uevent *ev, const char *s, size_t n);

/* Stores a computed value in ev's cache (k8saudit.c); missing if v is NULL. */
int uevent_cache(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		 const struct shrike_val *v);
/* The value stored for (field, arg) only, nothing derived: SHRIKE_FETCH_OK,
 * or SHRIKE_FETCH_MISSING (stored as missing, or not stored). */
int uevent_lookup_cached(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			 struct shrike_val *out);

#endif
