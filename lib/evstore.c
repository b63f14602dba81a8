/* evstore.c - the event model's value store (see evstore.h): values keyed by
 * (field, argument text) in one arena per event, cached results of
 * extractors, and lookup, which falls back to the extractors of the event's
 * source from the table uevent_extractors. */
#include "evstore.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"

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

int uevent_put(struct uevent *ev, u16 field, const char *arg, size_t arglen,
	       const struct shrike_val *v)
{
	return put(ev, field, arg, arglen, v, !v, 0);
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

/* A number or boolean: bits is the value of the union's u (s for S64). */
static int set_scalar(struct uevent *ev, u16 field, const char *arg, u8 type, u64 bits)
{
	struct shrike_val v = { .type = type };

	v.u = bits;
	return put(ev, field, arg, argl(arg), &v, 0, 0);
}

int uevent_set_u64(struct uevent *ev, u16 field, const char *arg, u64 x)
{
	return set_scalar(ev, field, arg, SHRIKE_T_U64, x);
}

int uevent_set_s64(struct uevent *ev, u16 field, const char *arg, s64 x)
{
	return set_scalar(ev, field, arg, SHRIKE_T_S64, (u64)x);
}

int uevent_set_bool(struct uevent *ev, u16 field, const char *arg, bool b)
{
	return set_scalar(ev, field, arg, SHRIKE_T_BOOL, b);
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

/* ---- lookup ------------------------------------------------------------------ */

/* out = a copy of s, owned by the event. */
int uevent_copy_str(struct uevent *ev, const char *s, struct shrike_val *out)
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

int uevent_parse_level(const char *arg, size_t n, u64 *out)
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

int uevent_lookup(struct uevent *ev, u16 field, const char *arg, size_t arglen,
		  struct shrike_val *out)
{
	const struct uevent_extractor *x;
	struct uevent_val *v;

	if (field >= __SHRIKE_F_MAX || shrike_fields[field].source != ev->source ||
	    ev->source < 0 || ev->source >= __SHRIKE_SRC_MAX)
		return SHRIKE_FETCH_MISSING;
	v = find_val(ev, field, arg, arglen);
	if (v)
		return stored(v, out);
	for (x = uevent_extractors[ev->source]; x && x->extract; x++)
		if (x->claims(ev, field))
			return x->extract(ev, field, arg, arglen, out);
	return SHRIKE_FETCH_MISSING;
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
