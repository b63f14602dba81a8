/* event.c - the event model put together (see event.h): for each source,
 * the table of extractors that compute what an event does not store (the
 * store's uevent_extractors), the values a syscall event derives from its
 * stored ones the way Falco derives them (time strings, ancestors by level,
 * host names), and audit events. */
#include "event.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "k8saudit.h"
#include "procfs.h"

/* ---- time ------------------------------------------------------------------ */

/* The time fields, each as a number or as one of Falco's time strings. */
static const struct time_field {
	u16 field;
	enum { T_NS, T_S, T_NSEC, T_TIME, T_ISO8601 } how;
	bool date, ns; /* T_TIME: uevent_fmt_time()'s */
} time_fields[] = {
	{ SHRIKE_F_EVT_RAWTIME, T_NS, false, false },
	{ SHRIKE_F_JEVT_RAWTIME, T_NS, false, false },
	{ SHRIKE_F_EVT_RAWTIME_S, T_S, false, false },
	{ SHRIKE_F_EVT_RAWTIME_NS, T_NSEC, false, false },
	{ SHRIKE_F_EVT_TIME, T_TIME, false, true },
	{ SHRIKE_F_JEVT_TIME, T_TIME, false, true },
	{ SHRIKE_F_EVT_TIME_S, T_TIME, false, false },
	{ SHRIKE_F_EVT_DATETIME, T_TIME, true, true },
	{ SHRIKE_F_EVT_DATETIME_S, T_TIME, true, false },
	{ SHRIKE_F_EVT_TIME_ISO8601, T_ISO8601, false, false },
	{ SHRIKE_F_JEVT_TIME_ISO8601, T_ISO8601, false, false },
};

static const struct time_field *time_field(u16 field)
{
	size_t i;

	for (i = 0; i < sizeof(time_fields) / sizeof(time_fields[0]); i++)
		if (time_fields[i].field == field)
			return &time_fields[i];
	return NULL;
}

static bool time_claims(const struct uevent *ev, u16 field)
{
	(void)ev;
	return time_field(field) != NULL;
}

/* Time fields computed from the event time (or the alert's, if it has none). */
static int derive_time(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		       struct shrike_val *out)
{
	const struct time_field *tf = time_field(field);
	char buf[64];
	u64 ts;

	(void)arg;
	(void)arglen;
	if (!tf || (!ev->has_ts && !ev->ts_fallback))
		return SHRIKE_FETCH_MISSING;
	ts = ev->has_ts ? ev->ts : ev->ts_fallback;
	memset(out, 0, sizeof(*out));
	out->type = SHRIKE_T_U64;
	switch (tf->how) {
	case T_NS: out->u = ts; return SHRIKE_FETCH_OK;
	case T_S: out->u = ts / 1000000000ull; return SHRIKE_FETCH_OK;
	case T_NSEC: out->u = ts % 1000000000ull; return SHRIKE_FETCH_OK;
	case T_TIME: uevent_fmt_time(ts, tf->date, tf->ns, buf, sizeof(buf)); break;
	case T_ISO8601: uevent_fmt_iso8601(ts, buf, sizeof(buf)); break;
	}
	return uevent_copy_str(ev, buf, out);
}

/* ---- ancestors ------------------------------------------------------------ */

/* proc.aname[0] is the process itself: the field each ancestor field mirrors. */
static int ancestor_base(u16 field)
{
	switch (field) {
	case SHRIKE_F_PROC_ANAME: return SHRIKE_F_PROC_NAME;
	case SHRIKE_F_PROC_AEXE: return SHRIKE_F_PROC_EXE;
	case SHRIKE_F_PROC_AEXEPATH: return SHRIKE_F_PROC_EXEPATH;
	case SHRIKE_F_PROC_ACMDLINE: return SHRIKE_F_PROC_CMDLINE;
	case SHRIKE_F_PROC_APID: return SHRIKE_F_PROC_PID;
	}
	return -1;
}

/*
 * An INDEX field asked by level when the event gives the ancestors as one
 * list (the no-argument key, parent first), or asked with no level when the
 * event gives them one by one.
 */
struct level {
	u64 lvl;
	struct shrike_str s;
};

static int cmp_level(const void *a, const void *b)
{
	const struct level *x = a, *y = b;

	return (x->lvl > y->lvl) - (x->lvl < y->lvl);
}

/* v is field's value at a level (not 0) given one by one: its level. */
static bool one_level(const struct uevent_val *v, u16 field, u64 *lvl)
{
	return v->field == field && !v->missing && v->v.type == SHRIKE_T_STR &&
	       !uevent_parse_level(v->arg, v->arglen, lvl) && *lvl;
}

static bool ancestor_claims(const struct uevent *ev, u16 field)
{
	(void)ev;
	return shrike_fields[field].argkind == SHRIKE_ARGK_INDEX;
}

static int derive_ancestor(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			   struct shrike_val *out)
{
	struct level *lv;
	struct shrike_val all;
	struct shrike_str *items;
	size_t i, n = 0;
	u64 lvl;
	int base;

	if (arglen) {
		if (uevent_parse_level(arg, arglen, &lvl))
			return SHRIKE_FETCH_MISSING;
		base = ancestor_base(field);
		if (lvl == 0)
			return base < 0 ? SHRIKE_FETCH_MISSING
					: uevent_lookup(ev, (u16)base, NULL, 0, out);
		if (uevent_lookup_cached(ev, field, NULL, 0, &all) != SHRIKE_FETCH_OK)
			return SHRIKE_FETCH_MISSING;
		if (all.type != SHRIKE_T_STRLIST) {
			if (lvl != 1)
				return SHRIKE_FETCH_MISSING;
			*out = all;
			return SHRIKE_FETCH_OK;
		}
		if (lvl > all.list.n)
			return SHRIKE_FETCH_MISSING;
		memset(out, 0, sizeof(*out));
		out->type = SHRIKE_T_STR;
		out->str = all.list.items[lvl - 1];
		return SHRIKE_FETCH_OK;
	}
	for (i = 0; i < ev->nvals; i++)
		if (one_level(&ev->vals[i], field, &lvl))
			n++;
	if (!n)
		return SHRIKE_FETCH_MISSING;
	lv = malloc(n * sizeof(*lv));
	items = uevent_alloc(ev, n * sizeof(*items));
	if (!lv || !items) {
		free(lv);
		return SHRIKE_FETCH_UNKNOWN;
	}
	n = 0;
	for (i = 0; i < ev->nvals; i++)
		if (one_level(&ev->vals[i], field, &lvl)) {
			lv[n].lvl = lvl;
			lv[n].s = ev->vals[i].v.str;
			n++;
		}
	/* Ordered by level, so that rendering shows the parent first. */
	qsort(lv, n, sizeof(*lv), cmp_level);
	for (i = 0; i < n; i++)
		items[i] = lv[i].s;
	free(lv);
	if (!n)
		return SHRIKE_FETCH_MISSING;
	memset(out, 0, sizeof(*out));
	out->type = SHRIKE_T_STRLIST;
	out->list.items = items;
	out->list.n = (u32)n;
	return SHRIKE_FETCH_OK;
}

/* ---- host names, evt.source ------------------------------------------------- */

/* fd.sip.name and its kin: their value is the address, which the evaluator
 * compares with names (eval_host) and an output shows as one (dns.c). */
static int host_name_base(u16 field)
{
	switch (field) {
	case SHRIKE_F_FD_SIP_NAME: return SHRIKE_F_FD_SIP;
	case SHRIKE_F_FD_CIP_NAME: return SHRIKE_F_FD_CIP;
	case SHRIKE_F_FD_LIP_NAME: return SHRIKE_F_FD_LIP;
	case SHRIKE_F_FD_RIP_NAME: return SHRIKE_F_FD_RIP;
	}
	return -1;
}

static bool host_name_claims(const struct uevent *ev, u16 field)
{
	(void)ev;
	return host_name_base(field) >= 0;
}

static int host_name(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		     struct shrike_val *out)
{
	(void)arg;
	(void)arglen;
	return uevent_lookup(ev, (u16)host_name_base(field), NULL, 0, out);
}

static bool evt_source_claims(const struct uevent *ev, u16 field)
{
	(void)ev;
	return field == SHRIKE_F_EVT_SOURCE;
}

static int evt_source(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		      struct shrike_val *out)
{
	(void)ev;
	(void)field;
	(void)arg;
	(void)arglen;
	memset(out, 0, sizeof(*out));
	out->type = SHRIKE_T_STR;
	out->str.ptr = "syscall";
	out->str.len = 7;
	return SHRIKE_FETCH_OK;
}

/* ---- the extractors ----------------------------------------------------------- */

/* For a field of the event's source that it does not store: the first
 * extractor that claims it computes it. */
static const struct uevent_extractor syscall_extractors[] = {
	{ time_claims, derive_time },	      /* evt.time, evt.rawtime and kin */
	{ evt_source_claims, evt_source },    /* "syscall" */
	{ ancestor_claims, derive_ancestor }, /* proc.aname[N] and kin */
	{ host_name_claims, host_name },      /* fd.sip.name and kin */
	{ procfs_claims, procfs_lookup },     /* the agent: from /proc/PID */
	{ NULL, NULL },
};

static const struct uevent_extractor k8s_audit_extractors[] = {
	{ time_claims, derive_time },	       /* jevt.time and kin */
	{ k8saudit_claims, k8saudit_extract }, /* ka.*, jevt.* */
	{ NULL, NULL },
};

const struct uevent_extractor *const uevent_extractors[__SHRIKE_SRC_MAX] = {
	[SHRIKE_SRC_SYSCALL] = syscall_extractors,
	[SHRIKE_SRC_K8S_AUDIT] = k8s_audit_extractors,
};

int uevent_from_audit(struct uevent *ev, json_object *ev_json)
{
	uevent_init(ev, SHRIKE_SRC_K8S_AUDIT);
	if (!ev_json || !json_object_is_type(ev_json, json_type_object))
		return -EINVAL;
	ev->audit = json_object_get(ev_json);
	ev->has_ts = k8saudit_event_time(ev_json, &ev->ts) == 0;
	return 0;
}
