/* evstore.h - the event model's value store: a userspace event (struct
 * uevent) as field values keyed by (field, argument text), the arena its
 * strings live in, the setters enrichment and conversions use, and lookup:
 * a stored value, else the value an extractor of the event's source computes
 * (uevent_extractors, a table by source that the store only reads: event.c
 * puts it together). uevent_fetch() is the one fetch callback handed to
 * shrike_eval(). */
#ifndef SHRIKE_LIB_EVSTORE_H
#define SHRIKE_LIB_EVSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "../kmod/common/table.h"

/* One stored value, keyed by (field, argument text). Internal layout. */
struct uevent_val {
	u16 field;
	u8 missing; /* explicitly no value (JSON null) */
	u8 derived; /* computed by an extractor, a cache entry */
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
/* (field, argument text of arglen bytes) = *v, or explicitly missing if v is
 * NULL; the strings of *v are copied. For conversions (evjson.c). */
int uevent_put(struct uevent *ev, u16 field, const char *arg, size_t arglen,
	       const struct shrike_val *v);

/* THE fetch callback: ctx is a struct uevent_ctx. */
int uevent_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out);

/*
 * The value of (field, argument text): SHRIKE_FETCH_OK with *out filled
 * (pointers valid until uevent_free), or SHRIKE_FETCH_MISSING.
 */
int uevent_lookup(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		  struct shrike_val *out);

/*
 * Extractors: what computes a value ev does not store. claims() says,
 * cheaply, whether this extractor computes field for ev; extract() then
 * computes it like uevent_lookup() (SHRIKE_FETCH_UNKNOWN on ENOMEM),
 * caching it with uevent_cache() where computing it again would cost.
 */
struct uevent_extractor {
	bool (*claims)(const struct uevent *ev, u16 field);
	int (*extract)(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		       struct shrike_val *out);
};

/* For each source, the extractors uevent_lookup() tries in order for a
 * field of that source with no stored value; a list ends with { NULL }.
 * Defined where the event model is put together (event.c). */
extern const struct uevent_extractor *const uevent_extractors[__SHRIKE_SRC_MAX];

/* Arena memory that lives as long as ev; NULL on ENOMEM. */
void *uevent_alloc(struct uevent *ev, size_t n);
char *uevent_strndup(struct uevent *ev, const char *s, size_t n);
/* *out = the string s, copied into ev: SHRIKE_FETCH_OK, or
 * SHRIKE_FETCH_UNKNOWN on ENOMEM. */
int uevent_copy_str(struct uevent *ev, const char *s, struct shrike_val *out);

/* Stores a value an extractor computed in ev's cache; missing if v is NULL. */
int uevent_cache(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		 const struct shrike_val *v);
/* The value stored for (field, arg) only, nothing computed: SHRIKE_FETCH_OK,
 * or SHRIKE_FETCH_MISSING (stored as missing, or not stored). */
int uevent_lookup_cached(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			 struct shrike_val *out);

/* An ancestor level as written ("2", "02"): 0 and *out, or -1 if arg is
 * not 1 to 19 decimal digits. */
int uevent_parse_level(const char *arg, size_t n, u64 *out);

#endif
