/* event.c - the userspace event model: field values keyed by (field,
 * argument text), their conversion from JSON test lines, values derived the
 * way Falco derives them (time strings, ancestors by level; in the agent,
 * the process fields read from /proc by procfs.c), the fetch callback for
 * shrike_eval() and Falco's rendering of values as text. */
#include "event.h"
#include "strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "dns.h"
#include "k8saudit.h"
#include "procfs.h"

/* Deep enough for any real test line, shallow enough to keep parsing bounded. */
#define JSON_DEPTH  32
#define ARENA_BLOCK 4096

struct uevent_arena {
	struct uevent_arena *next;
	size_t used, cap;
	max_align_t data[];
};

void *uevent_alloc(struct uevent *ev, size_t n)
{
	struct uevent_arena *a = ev->arena;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (need < n)
		return NULL;
	if (!a || a->cap - a->used < need) {
		size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;

		a = malloc(sizeof(*a) + cap);
		if (!a)
			return NULL;
		a->cap = cap;
		a->used = 0;
		/* A big block goes behind the current one, which may still have room. */
		if (ev->arena && need > ARENA_BLOCK) {
			a->next = ev->arena->next;
			ev->arena->next = a;
		} else {
			a->next = ev->arena;
			ev->arena = a;
		}
	}
	p = (char *)a->data + a->used;
	a->used += need;
	return p;
}

char *uevent_strndup(struct uevent *ev, const char *s, size_t n)
{
	char *p = uevent_alloc(ev, n + 1);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void uevent_init(struct uevent *ev, int source)
{
	memset(ev, 0, sizeof(*ev));
	ev->source = source;
}

void uevent_free(struct uevent *ev)
{
	struct uevent_arena *a = ev->arena, *n;

	for (; a; a = n) {
		n = a->next;
		free(a);
	}
	free(ev->vals);
	if (ev->audit)
		json_object_put(ev->audit);
	memset(ev, 0, sizeof(*ev));
}

void uevent_reset(struct uevent *ev, int source)
{
	struct uevent_arena *a, *n, *keep = NULL;
	struct uevent_val *vals = ev->vals;
	size_t cap = ev->cap;

	for (a = ev->arena; a; a = n) {
		n = a->next;
		if (!keep && a->cap == ARENA_BLOCK)
			keep = a;
		else
			free(a);
	}
	if (ev->audit)
		json_object_put(ev->audit);
	memset(ev, 0, sizeof(*ev));
	ev->source = source;
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
		ev->arena = keep;
	}
	ev->vals = vals;
	ev->cap = cap;
}

static struct uevent_val *find_val(struct uevent *ev, u16 field, const char *arg, size_t arglen)
{
	size_t i;

	/* Most fields asked for are not there (enrichment, <NA> in outputs). */
	if (field >= __SHRIKE_F_MAX || !(ev->present[field / 64] & (1ull << (field % 64))))
		return NULL;
	for (i = 0; i < ev->nvals; i++) {
		struct uevent_val *v = &ev->vals[i];

		if (v->field == field && v->arglen == arglen &&
		    (!arglen || !memcmp(v->arg, arg, arglen)))
			return v;
	}
	return NULL;
}

/* The slot for (field, arg), new or the one to replace. */
static struct uevent_val *slot(struct uevent *ev, u16 field, const char *arg, size_t arglen)
{
	struct uevent_val *v = find_val(ev, field, arg, arglen);

	if (v)
		return v;
	if (arglen > UINT32_MAX)
		return NULL;
	if (ev->nvals == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 16;
		struct uevent_val *nv = realloc(ev->vals, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		ev->vals = nv;
		ev->cap = cap;
	}
	v = &ev->vals[ev->nvals];
	memset(v, 0, sizeof(*v));
	v->arg = arglen ? uevent_strndup(ev, arg, arglen) : (char *)"";
	if (!v->arg)
		return NULL;
	v->field = field;
	v->arglen = (u32)arglen;
	ev->present[field / 64] |= 1ull << (field % 64);
	ev->nvals++;
	return v;
}

/* Copies the strings of v into ev's arena so the caller's may go. */
static int own_val(struct uevent *ev, struct shrike_val *v)
{
	u32 i;

	if (v->type == SHRIKE_T_STR) {
		char *s = uevent_strndup(ev, v->str.ptr, v->str.len);

		if (!s)
			return -ENOMEM;
		v->str.ptr = s;
	} else if (v->type == SHRIKE_T_STRLIST) {
		struct shrike_str *items =
			uevent_alloc(ev, sizeof(*items) * (v->list.n ? v->list.n : 1));

		if (!items)
			return -ENOMEM;
		for (i = 0; i < v->list.n; i++) {
			items[i].len = v->list.items[i].len;
			items[i].ptr = uevent_strndup(ev, v->list.items[i].ptr, items[i].len);
			if (!items[i].ptr)
				return -ENOMEM;
		}
		v->list.items = items;
	}
	return 0;
}

static int put(struct uevent *ev, u16 field, const char *arg, size_t arglen,
	       const struct shrike_val *val, int missing, int derived)
{
	struct uevent_val *v;
	struct shrike_val copy;

	if (field >= __SHRIKE_F_MAX)
		return -EINVAL;
	memset(&copy, 0, sizeof(copy));
	if (val) {
		copy = *val;
		if (own_val(ev, &copy))
			return -ENOMEM;
	}
	v = slot(ev, field, arg, arglen);
	if (!v)
		return -ENOMEM;
	v->v = copy;
	v->missing = !!missing;
	v->derived = !!derived;
	return 0;
}

int uevent_cache(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		 const struct shrike_val *v)
{
	return put(ev, field, arg, arglen, v, !v, 1);
}

static size_t argl(const char *arg)
{
	return arg ? strlen(arg) : 0;
}

int uevent_set_str(struct uevent *ev, u16 field, const char *arg, const char *s, size_t len)
{
	struct shrike_val v = { .type = SHRIKE_T_STR };

	if (len > UINT32_MAX)
		return -EINVAL;
	v.str.ptr = s ? s : "";
	v.str.len = (u32)len;
	return put(ev, field, arg, argl(arg), &v, 0, 0);
}

int uevent_set_u64(struct uevent *ev, u16 field, const char *arg, u64 x)
{
	struct shrike_val v = { .type = SHRIKE_T_U64 };

	v.u = x;
	return put(ev, field, arg, argl(arg), &v, 0, 0);
}

int uevent_set_s64(struct uevent *ev, u16 field, const char *arg, s64 x)
{
	struct shrike_val v = { .type = SHRIKE_T_S64 };

	v.s = x;
	return put(ev, field, arg, argl(arg), &v, 0, 0);
}

int uevent_set_bool(struct uevent *ev, u16 field, const char *arg, bool b)
{
	struct shrike_val v = { .type = SHRIKE_T_BOOL };

	v.u = b;
	return put(ev, field, arg, argl(arg), &v, 0, 0);
}

int uevent_set_strlist(struct uevent *ev, u16 field, const char *arg, const char *const *items,
		       size_t n)
{
	struct shrike_val v = { .type = SHRIKE_T_STRLIST };
	struct shrike_str *tmp;
	size_t i;
	int rc;

	if (n > UINT32_MAX)
		return -EINVAL;
	tmp = calloc(n ? n : 1, sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		tmp[i].ptr = items[i] ? items[i] : "";
		tmp[i].len = (u32)strlen(tmp[i].ptr);
	}
	v.list.items = tmp;
	v.list.n = (u32)n;
	rc = put(ev, field, arg, argl(arg), &v, 0, 0);
	free(tmp);
	return rc;
}

int uevent_set_ip(struct uevent *ev, u16 field, const char *arg, int family, const void *addr,
		  u8 prefix)
{
	struct shrike_val v;

	if ((family != 4 && family != 6) || !addr || prefix > (family == 4 ? 32 : 128) ||
	    field >= __SHRIKE_F_MAX)
		return -EINVAL;
	memset(&v, 0, sizeof(v));
	v.type = shrike_fields[field].type == SHRIKE_T_IPNET ? SHRIKE_T_IPNET : SHRIKE_T_IPADDR;
	v.family = (u8)family;
	v.prefix = prefix;
	memcpy(v.ip, addr, family == 4 ? 4 : 16);
	return put(ev, field, arg, argl(arg), &v, 0, 0);
}

int uevent_set_missing(struct uevent *ev, u16 field, const char *arg)
{
	return put(ev, field, arg, argl(arg), NULL, 1, 0);
}

/* ---- time ------------------------------------------------------------------ */

/*
 * localtime_r of sec, remembered for the last second asked (per thread):
 * alerts come many to a second. localtime_r reads the time zone once, so
 * the same second always breaks down the same way (a tzset() that changes
 * it would be seen from the next second on).
 */
static bool local_tm(time_t sec, struct tm *tm)
{
	static __thread time_t last_sec;
	static __thread struct tm last_tm;
	static __thread bool have;

	if (have && sec == last_sec) {
		*tm = last_tm;
		return true;
	}
	if (!localtime_r(&sec, tm))
		return false;
	last_sec = sec;
	last_tm = *tm;
	have = true;
	return true;
}

/* v in exactly width decimal digits (v < 10^width), as %0*u. */
static char *put_digits(char *p, unsigned v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* "YYYY-MM-DD" and sep (with date), then "HH:MM:SS"; tm_year in 0..9999. */
static char *put_date_time(char *p, const struct tm *tm, bool date, char sep)
{
	if (date) {
		p = put_digits(p, (unsigned)(tm->tm_year + 1900), 4);
		*p++ = '-';
		p = put_digits(p, (unsigned)(tm->tm_mon + 1), 2);
		*p++ = '-';
		p = put_digits(p, (unsigned)tm->tm_mday, 2);
		*p++ = sep;
	}
	p = put_digits(p, (unsigned)tm->tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)tm->tm_min, 2);
	*p++ = ':';
	return put_digits(p, (unsigned)tm->tm_sec, 2);
}

static bool year_fits(const struct tm *tm)
{
	return tm->tm_year >= -1900 && tm->tm_year <= 9999 - 1900;
}

void uevent_fmt_time(u64 ts, bool date, bool ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ts / 1000000000ull);
	unsigned nsec = (unsigned)(ts % 1000000000ull);
	struct tm tm;
	int n = 0;

	if (!local_tm(sec, &tm)) {
		snprintf(buf, len, "<date error>");
		return;
	}
	/* What the snprintf()s below print, without their cost (an alert's
	 * time is formatted at least once). */
	if (len >= 40 && year_fits(&tm)) {
		char *p = put_date_time(buf, &tm, date, ' ');

		if (ns) {
			*p++ = '.';
			p = put_digits(p, nsec, 9);
		}
		*p = 0;
		return;
	}
	if (date)
		n = snprintf(buf, len, "%04d-%02d-%02d ", tm.tm_year + 1900, tm.tm_mon + 1,
			     tm.tm_mday);
	if (n < 0 || (size_t)n >= len)
		return;
	if (ns)
		snprintf(buf + n, len - n, "%02d:%02d:%02d.%09u", tm.tm_hour, tm.tm_min, tm.tm_sec,
			 nsec);
	else
		snprintf(buf + n, len - n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void uevent_fmt_rfc3339(u64 ts, char *buf, size_t len)
{
	time_t sec = (time_t)(ts / 1000000000ull);
	unsigned ns = (unsigned)(ts % 1000000000ull);
	struct tm tm;
	char *p;

	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	if (len < 40 || !year_fits(&tm)) {
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
		return;
	}
	p = put_date_time(buf, &tm, true, 'T');
	*p++ = '.';
	p = put_digits(p, ns, 9);
	*p++ = 'Z';
	*p = 0;
}

void uevent_fmt_iso8601(u64 ts, char *buf, size_t len)
{
	time_t sec = (time_t)(ts / 1000000000ull);
	struct tm tm;

	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "<date error>");
		return;
	}
	/* libsinsp prints gmtime's %z: always +0000. */
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09u+0000", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned)(ts % 1000000000ull));
}

/* out = a copy of s, owned by the event. */
static int ret_copy(struct uevent *ev, const char *s, struct shrike_val *out)
{
	char *c = uevent_strndup(ev, s, strlen(s));

	if (!c)
		return SHRIKE_FETCH_UNKNOWN;
	memset(out, 0, sizeof(*out));
	out->type = SHRIKE_T_STR;
	out->str.ptr = c;
	out->str.len = (u32)strlen(c);
	return SHRIKE_FETCH_OK;
}

static int time_str(struct uevent *ev, u64 ts, u16 field, struct shrike_val *out)
{
	char buf[64];

	switch (field) {
	case SHRIKE_F_EVT_TIME:
	case SHRIKE_F_JEVT_TIME: uevent_fmt_time(ts, false, true, buf, sizeof(buf)); break;
	case SHRIKE_F_EVT_TIME_S: uevent_fmt_time(ts, false, false, buf, sizeof(buf)); break;
	case SHRIKE_F_EVT_DATETIME: uevent_fmt_time(ts, true, true, buf, sizeof(buf)); break;
	case SHRIKE_F_EVT_DATETIME_S: uevent_fmt_time(ts, true, false, buf, sizeof(buf)); break;
	case SHRIKE_F_EVT_TIME_ISO8601:
	case SHRIKE_F_JEVT_TIME_ISO8601: uevent_fmt_iso8601(ts, buf, sizeof(buf)); break;
	default: return SHRIKE_FETCH_MISSING;
	}
	return ret_copy(ev, buf, out);
}

/* Time fields computed from the event time (or the alert's, if it has none). */
static int derive_time(struct uevent *ev, u16 field, struct shrike_val *out)
{
	u64 ts;

	if (!ev->has_ts && !ev->ts_fallback)
		return SHRIKE_FETCH_MISSING;
	ts = ev->has_ts ? ev->ts : ev->ts_fallback;
	memset(out, 0, sizeof(*out));
	out->type = SHRIKE_T_U64;
	switch (field) {
	case SHRIKE_F_EVT_RAWTIME:
	case SHRIKE_F_JEVT_RAWTIME: out->u = ts; return SHRIKE_FETCH_OK;
	case SHRIKE_F_EVT_RAWTIME_S: out->u = ts / 1000000000ull; return SHRIKE_FETCH_OK;
	case SHRIKE_F_EVT_RAWTIME_NS: out->u = ts % 1000000000ull; return SHRIKE_FETCH_OK;
	}
	return time_str(ev, ts, field, out);
}

/* ---- lookup ------------------------------------------------------------------ */

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

static int parse_index(const char *arg, size_t n, u64 *out)
{
	u64 x = 0;
	size_t i;

	if (!n || n > 19)
		return -1;
	for (i = 0; i < n; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return -1;
		x = x * 10 + (u64)(arg[i] - '0');
	}
	*out = x;
	return 0;
}

static int stored(const struct uevent_val *v, struct shrike_val *out)
{
	if (v->missing)
		return SHRIKE_FETCH_MISSING;
	*out = v->v;
	return SHRIKE_FETCH_OK;
}

int uevent_lookup_cached(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			 struct shrike_val *out)
{
	struct uevent_val *v = find_val(ev, field, arg, arglen);

	return v ? stored(v, out) : SHRIKE_FETCH_MISSING;
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

static int derive_ancestor(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			   struct shrike_val *out)
{
	struct level *lv;
	struct uevent_val *all;
	struct shrike_str *items;
	size_t i, n = 0;
	u64 lvl;
	int base;

	if (arglen) {
		if (parse_index(arg, arglen, &lvl))
			return SHRIKE_FETCH_MISSING;
		base = ancestor_base(field);
		if (lvl == 0)
			return base < 0 ? SHRIKE_FETCH_MISSING
					: uevent_lookup(ev, (u16)base, NULL, 0, out);
		all = find_val(ev, field, NULL, 0);
		if (!all || all->missing)
			return SHRIKE_FETCH_MISSING;
		if (all->v.type != SHRIKE_T_STRLIST)
			return lvl == 1 ? stored(all, out) : SHRIKE_FETCH_MISSING;
		if (lvl > all->v.list.n)
			return SHRIKE_FETCH_MISSING;
		memset(out, 0, sizeof(*out));
		out->type = SHRIKE_T_STR;
		out->str = all->v.list.items[lvl - 1];
		return SHRIKE_FETCH_OK;
	}
	for (i = 0; i < ev->nvals; i++)
		if (ev->vals[i].field == field && !ev->vals[i].missing &&
		    ev->vals[i].v.type == SHRIKE_T_STR &&
		    !parse_index(ev->vals[i].arg, ev->vals[i].arglen, &lvl) && lvl)
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
		if (ev->vals[i].field == field && !ev->vals[i].missing &&
		    ev->vals[i].v.type == SHRIKE_T_STR &&
		    !parse_index(ev->vals[i].arg, ev->vals[i].arglen, &lvl) && lvl) {
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

static int is_time_field(u16 f)
{
	switch (f) {
	case SHRIKE_F_EVT_TIME:
	case SHRIKE_F_EVT_TIME_S:
	case SHRIKE_F_EVT_TIME_ISO8601:
	case SHRIKE_F_EVT_DATETIME:
	case SHRIKE_F_EVT_DATETIME_S:
	case SHRIKE_F_EVT_RAWTIME:
	case SHRIKE_F_EVT_RAWTIME_S:
	case SHRIKE_F_EVT_RAWTIME_NS:
	case SHRIKE_F_JEVT_TIME:
	case SHRIKE_F_JEVT_TIME_ISO8601:
	case SHRIKE_F_JEVT_RAWTIME: return 1;
	}
	return 0;
}

int uevent_lookup(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		  struct shrike_val *out)
{
	const struct shrike_field_desc *fd;
	struct uevent_val *v;

	if (field >= __SHRIKE_F_MAX)
		return SHRIKE_FETCH_MISSING;
	fd = &shrike_fields[field];
	if (fd->source != ev->source)
		return SHRIKE_FETCH_MISSING;
	v = find_val(ev, field, arg, arglen);
	if (v)
		return stored(v, out);
	if (is_time_field(field))
		return derive_time(ev, field, out);
	if (ev->source == SHRIKE_SRC_K8S_AUDIT)
		return k8saudit_extract(ev, field, arg, arglen, out);
	if (field == SHRIKE_F_EVT_SOURCE) {
		memset(out, 0, sizeof(*out));
		out->type = SHRIKE_T_STR;
		out->str.ptr = "syscall";
		out->str.len = 7;
		return SHRIKE_FETCH_OK;
	}
	if (fd->argkind == SHRIKE_ARGK_INDEX)
		return derive_ancestor(ev, field, arg, arglen, out);
	if (host_name_base(field) >= 0)
		return uevent_lookup(ev, (u16)host_name_base(field), NULL, 0, out);
	if (ev->proc_root && procfs_field(field))
		return procfs_lookup(ev, field, arg, arglen, out);
	return SHRIKE_FETCH_MISSING;
}

int uevent_lookup_shown(struct uevent *ev, u16 field, const char *arg, size_t arglen,
			struct shrike_val *out)
{
	int rc = uevent_lookup(ev, field, arg, arglen, out);
	char *name;

	if (rc != SHRIKE_FETCH_OK || shrike_fields[field].type != SHRIKE_T_STR ||
	    out->type != SHRIKE_T_IPADDR)
		return rc;
	name = dns_name_of(out);
	if (!name)
		return SHRIKE_FETCH_MISSING;
	rc = ret_copy(ev, name, out);
	free(name);
	return rc;
}

int uevent_fetch(void *vctx, u16 field, u16 arg, struct shrike_val *out)
{
	struct uevent_ctx *ctx = vctx;
	const char *a = NULL;
	char num[8];
	u32 alen = 0;

	if (!ctx || !ctx->ev || field >= __SHRIKE_F_MAX)
		return SHRIKE_FETCH_UNKNOWN;
	switch (shrike_fields[field].argkind) {
	case SHRIKE_ARGK_NONE:
		if (arg != SHRIKE_ARG_NONE)
			return SHRIKE_FETCH_UNKNOWN;
		break;
	case SHRIKE_ARGK_INDEX:
		if (arg != SHRIKE_ARG_NONE) {
			alen = (u32)snprintf(num, sizeof(num), "%u", arg);
			a = num;
		}
		break;
	default:
		if (arg == SHRIKE_ARG_NONE)
			break;
		if (!ctx->t || arg >= ctx->t->nstrrefs)
			return SHRIKE_FETCH_UNKNOWN;
		a = shrike_str_at(ctx->t, arg, &alen);
		break;
	}
	return uevent_lookup(ctx->ev, field, a, alen, out);
}

/* ---- rendering ------------------------------------------------------------------ */

static void render_ip(const struct shrike_val *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(v->family == 4 ? AF_INET : AF_INET6, v->ip, a, sizeof(a)))
		snprintf(a, sizeof(a), "<NA>");
	if (v->type == SHRIKE_T_IPNET)
		snprintf(buf, len, "%s/%u", a, v->prefix);
	else
		snprintf(buf, len, "%s", a);
}

void uevent_render_into(struct strbuf *b, u8 ftype, const struct shrike_val *v)
{
	char num[64];
	u32 i;

	switch (v->type) {
	case SHRIKE_T_STR: sb_put(b, v->str.ptr, v->str.len); break;
	case SHRIKE_T_U64: sb_u64(b, v->u); break;
	case SHRIKE_T_S64: sb_s64(b, v->s); break;
	case SHRIKE_T_BOOL: sb_put(b, v->u ? "true" : "false", v->u ? 4 : 5); break;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		render_ip(v, num, sizeof(num));
		sb_put(b, num, strlen(num));
		break;
	case SHRIKE_T_STRLIST:
		/* libsinsp prints a list field as "(a,b)"; a single-valued
		 * field given several values (any ancestor) shows its first. */
		if (ftype != SHRIKE_T_STRLIST) {
			if (v->list.n)
				sb_put(b, v->list.items[0].ptr, v->list.items[0].len);
			break;
		}
		sb_put(b, "(", 1);
		for (i = 0; i < v->list.n; i++) {
			if (i)
				sb_put(b, ",", 1);
			sb_put(b, v->list.items[i].ptr, v->list.items[i].len);
		}
		sb_put(b, ")", 1);
		break;
	}
}

char *uevent_render(u8 ftype, const struct shrike_val *v)
{
	struct strbuf b = { 0 };

	uevent_render_into(&b, ftype, v);
	return sb_take(&b);
}

/* Field and argument of a token as written in a rule: "proc.aname[2]". */
static const struct field_info *split_token(const char *token, size_t len, const char **arg,
					    size_t *arglen)
{
	const struct field_info *fi;
	size_t namelen;

	fi = field_lookup_split(token, len, &namelen);
	if (!fi || field_arg_error(fi, token, namelen, len))
		return NULL;
	*arg = field_arg(token, namelen, len, arglen);
	return fi;
}

int uevent_get_str(struct uevent_ctx *ctx, const char *token, size_t len, char *buf, size_t buflen)
{
	const struct field_info *fi;
	const char *arg;
	struct shrike_val v;
	size_t arglen, n;
	char *s;

	if (!ctx || !ctx->ev || !token)
		return -EINVAL;
	fi = split_token(token, len, &arg, &arglen);
	if (!fi)
		return -EINVAL;
	if (uevent_lookup_shown(ctx->ev, fi->id, arg, arglen, &v) != SHRIKE_FETCH_OK)
		return 0;
	s = uevent_render(fi->type, &v);
	if (!s)
		return -ENOMEM;
	n = strlen(s);
	if (buflen) {
		size_t c = n < buflen - 1 ? n : buflen - 1;

		memcpy(buf, s, c);
		buf[c] = 0;
	}
	free(s);
	return n + 1 > INT32_MAX ? INT32_MAX : (int)(n + 1);
}

/* ---- JSON test lines ---------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A JSON scalar as text: strings as they are, numbers in decimal. */
static int scalar_text(json_object *j, const char **s, size_t *n)
{
	switch (json_object_get_type(j)) {
	case json_type_string:
		*s = json_object_get_string(j);
		*n = (size_t)json_object_get_string_len(j);
		return 0;
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		*s = json_object_get_string(j);
		*n = strlen(*s);
		return 0;
	default: return -1;
	}
}

static int parse_u64(const char *s, size_t n, u64 *out)
{
	u64 x = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (u64)(s[i] - '0');
	}
	*out = x;
	return 0;
}

static int json_int(json_object *j, int sgn, struct shrike_val *out)
{
	const char *s;
	size_t n;
	u64 u;

	if (json_object_is_type(j, json_type_int)) {
		int64_t i = json_object_get_int64(j);

		if (sgn) {
			out->s = i;
			return 0;
		}
		if (i < 0)
			return -1;
		/* json-c keeps values above INT64_MAX as unsigned. */
		out->u = json_object_get_uint64(j);
		return 0;
	}
	if (!json_object_is_type(j, json_type_string))
		return -1;
	s = json_object_get_string(j);
	n = (size_t)json_object_get_string_len(j);
	if (sgn && n && s[0] == '-') {
		if (parse_u64(s + 1, n - 1, &u) || u > (u64)INT64_MAX + 1)
			return -1;
		out->s = (s64)(0 - u);
		return 0;
	}
	if (parse_u64(s, n, &u))
		return -1;
	if (sgn && u > INT64_MAX)
		return -1;
	out->u = u;
	return 0;
}

static int parse_ip(const char *s, size_t n, int net, struct shrike_val *out)
{
	char buf[64];
	const char *slash;
	size_t alen = n;
	u64 pfx = 0;
	int maxp;

	if (n >= sizeof(buf))
		return -1;
	slash = memchr(s, '/', n);
	if (slash) {
		if (!net)
			return -1;
		alen = (size_t)(slash - s);
		if (parse_u64(slash + 1, n - alen - 1, &pfx))
			return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = 0;
	memset(out->ip, 0, sizeof(out->ip));
	if (inet_pton(AF_INET, buf, out->ip) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, buf, out->ip) == 1)
		out->family = 6;
	else
		return -1;
	maxp = out->family == 4 ? 32 : 128;
	if (!slash)
		pfx = (u64)maxp;
	if (pfx > (u64)maxp)
		return -1;
	out->prefix = (u8)pfx;
	return 0;
}

/* Converts one JSON value to field f's type; strings point into j. */
static int convert(struct uevent *ev, const struct field_info *f, json_object *j,
		   struct shrike_val *out, char *err, size_t errlen, const char *key)
{
	const char *s;
	size_t n, i, cnt;

	memset(out, 0, sizeof(*out));
	if (json_object_is_type(j, json_type_array)) {
		struct shrike_str *items;

		if (f->type != SHRIKE_T_STR && f->type != SHRIKE_T_STRLIST)
			return fail(err, errlen, "%s: expected a %s, not a list", key,
				    field_type_name(f->type));
		cnt = json_object_array_length(j);
		if (cnt > UINT32_MAX)
			return fail(err, errlen, "%s: list too long", key);
		items = uevent_alloc(ev, (cnt ? cnt : 1) * sizeof(*items));
		if (!items)
			return fail(err, errlen, "out of memory");
		for (i = 0; i < cnt; i++) {
			if (scalar_text(json_object_array_get_idx(j, i), &s, &n) || n > UINT32_MAX)
				return fail(err, errlen,
					    "%s: list item %zu is not a string or number", key, i);
			items[i].ptr = s;
			items[i].len = (u32)n;
		}
		out->type = SHRIKE_T_STRLIST;
		out->list.items = items;
		out->list.n = (u32)cnt;
		return 0;
	}
	switch (f->type) {
	case SHRIKE_T_STR:
	case SHRIKE_T_STRLIST:
		if (scalar_text(j, &s, &n) || n > UINT32_MAX)
			return fail(err, errlen, "%s: expected a string", key);
		if (f->type == SHRIKE_T_STRLIST) {
			struct shrike_str *one = uevent_alloc(ev, sizeof(*one));

			if (!one)
				return fail(err, errlen, "out of memory");
			one->ptr = s;
			one->len = (u32)n;
			out->type = SHRIKE_T_STRLIST;
			out->list.items = one;
			out->list.n = 1;
			return 0;
		}
		out->type = SHRIKE_T_STR;
		out->str.ptr = s;
		out->str.len = (u32)n;
		return 0;
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
		out->type = f->type;
		if (json_int(j, f->type == SHRIKE_T_S64, out))
			return fail(err, errlen, "%s: expected %s integer", key,
				    f->type == SHRIKE_T_S64 ? "a" : "an unsigned");
		return 0;
	case SHRIKE_T_BOOL:
		out->type = SHRIKE_T_BOOL;
		if (json_object_is_type(j, json_type_boolean)) {
			out->u = json_object_get_boolean(j) ? 1 : 0;
			return 0;
		}
		if (json_object_is_type(j, json_type_string)) {
			s = json_object_get_string(j);
			if (!strcmp(s, "true") || !strcmp(s, "false")) {
				out->u = s[0] == 't';
				return 0;
			}
		}
		if (json_object_is_type(j, json_type_int)) {
			int64_t x = json_object_get_int64(j);

			if (x == 0 || x == 1) {
				out->u = (u64)x;
				return 0;
			}
		}
		return fail(err, errlen, "%s: expected true or false", key);
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		out->type = f->type;
		if (!json_object_is_type(j, json_type_string) ||
		    parse_ip(json_object_get_string(j), (size_t)json_object_get_string_len(j),
			     f->type == SHRIKE_T_IPNET, out))
			return fail(err, errlen, "%s: expected an IP %s", key,
				    f->type == SHRIKE_T_IPNET ? "network" : "address");
		return 0;
	}
	return fail(err, errlen, "%s: field type not supported", key);
}

int uevent_from_json_syscall(struct uevent *ev, const char *line, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;
	size_t len;
	int rc = 0;

	uevent_init(ev, SHRIKE_SRC_SYSCALL);
	if (err && errlen)
		err[0] = 0;
	if (!line)
		return fail(err, errlen, "no event");
	len = strlen(line);
	if (len > INT32_MAX)
		return fail(err, errlen, "event too long");
	tok = json_tokener_new_ex(JSON_DEPTH);
	if (!tok)
		return fail(err, errlen, "out of memory");
	root = json_tokener_parse_ex(tok, line, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		if (root)
			json_object_put(root);
		rc = fail(err, errlen, "invalid JSON: %s",
			  je == json_tokener_continue ? "unexpected end of input"
						      : json_tokener_error_desc(je));
		json_tokener_free(tok);
		return rc;
	}
	{
		size_t off = json_tokener_get_parse_end(tok);

		while (off < len && strchr(" \t\r\n", line[off]))
			off++;
		json_tokener_free(tok);
		if (off < len) {
			json_object_put(root);
			return fail(err, errlen, "invalid JSON: trailing data at offset %zu", off);
		}
	}
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return fail(err, errlen, "event is not a JSON object");
	}
	/* Values point into root until put() copies them. */
	json_object_object_foreach(root, key, val)
	{
		size_t klen = strlen(key), arglen, namelen;
		const struct field_info *fi = field_lookup_split(key, klen, &namelen);
		const char *why, *arg;
		struct shrike_val v;
		char idx[24];

		if (!fi) {
			rc = fail(err, errlen, "unknown field '%s'", key);
			break;
		}
		why = field_arg_error(fi, key, namelen, klen);
		if (why) {
			rc = fail(err, errlen, "%s: %s", key, why);
			break;
		}
		if (fi->source != SHRIKE_SRC_SYSCALL) {
			rc = fail(err, errlen, "%s: not a syscall field", key);
			break;
		}
		arg = field_arg(key, namelen, klen, &arglen);
		if (arg && fi->argkind == SHRIKE_ARGK_INDEX) {
			u64 x;

			/* Stored as the level the kernel sends: "02" is 2. */
			if (parse_index(arg, arglen, &x)) {
				rc = fail(err, errlen, "%s: bad index", key);
				break;
			}
			arglen = (size_t)snprintf(idx, sizeof(idx), "%" PRIu64, x);
			arg = idx;
		}
		if ((fi->id == SHRIKE_F_EVT_TIME || fi->id == SHRIKE_F_EVT_RAWTIME) &&
		    json_object_is_type(val, json_type_int)) {
			struct shrike_val t = { .type = SHRIKE_T_U64 };

			if (json_int(val, 0, &t)) {
				rc = fail(err, errlen, "%s: expected nanoseconds since the epoch",
					  key);
				break;
			}
			ev->ts = t.u;
			ev->has_ts = true;
			continue;
		}
		if (json_object_is_type(val, json_type_null)) {
			rc = put(ev, fi->id, arg, arglen, NULL, 1, 0);
		} else {
			rc = convert(ev, fi, val, &v, err, errlen, key);
			if (!rc)
				rc = put(ev, fi->id, arg, arglen, &v, 0, 0);
		}
		if (rc) {
			if (rc == -ENOMEM)
				fail(err, errlen, "out of memory");
			rc = -EINVAL;
			break;
		}
	}
	json_object_put(root);
	return rc;
}

int uevent_from_audit(struct uevent *ev, json_object *ev_json)
{
	uevent_init(ev, SHRIKE_SRC_K8S_AUDIT);
	if (!ev_json || !json_object_is_type(ev_json, json_type_object))
		return -EINVAL;
	ev->audit = json_object_get(ev_json);
	ev->has_ts = k8saudit_event_time(ev_json, &ev->ts) == 0;
	return 0;
}
