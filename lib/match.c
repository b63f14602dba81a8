/* match.c - rule matching in userspace over the shared evaluator. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "match.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "dns.h"

/* Patterns compiled once each; a table holds few distinct regexes. */
struct regex_cache {
	char *pat;
	regex_t re;
	bool ok;
};
static struct regex_cache *cache;
static size_t ncache;

static const struct regex_cache *regex_get(const char *pat, u32 patlen)
{
	struct regex_cache *nc, *c;
	char *anchored;
	size_t i;

	for (i = 0; i < ncache; i++)
		if (strlen(cache[i].pat) == patlen && !memcmp(cache[i].pat, pat, patlen))
			return &cache[i];
	nc = realloc(cache, (ncache + 1) * sizeof(*cache));
	if (!nc)
		return NULL;
	cache = nc;
	c = &cache[ncache];
	c->pat = strndup(pat, patlen);
	if (!c->pat)
		return NULL;
	/* FullMatch: the pattern must cover the whole value. */
	if (asprintf(&anchored, "^(%.*s)$", (int)patlen, pat) < 0) {
		free(c->pat);
		return NULL;
	}
	c->ok = regcomp(&c->re, anchored, REG_EXTENDED | REG_NOSUB) == 0;
	free(anchored);
	ncache++;
	return c;
}

static int regex_hook(const char *pat, u32 patlen, const char *s, u32 len)
{
	const struct regex_cache *c = regex_get(pat, patlen);
	char *z;
	int r;

	if (!c || !c->ok)
		return -1;
	z = strndup(s, len);
	if (!z)
		return -1;
	r = regexec(&c->re, z, 0, NULL, 0) == 0;
	free(z);
	return r;
}

void match_init(void)
{
	shrike_eval_set_regex_hook(regex_hook);
	shrike_eval_set_host_hook(dns_match);
}

static int event_type(struct uevent *ev)
{
	struct shrike_val v;

	if (uevent_lookup(ev, SHRIKE_F_EVT_TYPE, NULL, 0, &v) != SHRIKE_FETCH_OK ||
	    v.type != SHRIKE_T_STR)
		return -1;
	return evtype_lookup(v.str.ptr, v.str.len);
}

int match_event(struct uevent_ctx *ctx, match_fn fn, void *data)
{
	const struct shrike_table *t = ctx->t;
	int evt = ctx->ev->source == SHRIKE_SRC_SYSCALL ? event_type(ctx->ev) : -1;
	int n = 0;
	u32 i;

	for (i = 0; i < t->nrules; i++) {
		const struct shrike_rule *r = &t->rules[i];
		u16 flags = le16_to_cpu(r->flags);

		if (!(flags & SHRIKE_RF_ENABLED) || r->source != ctx->ev->source)
			continue;
		if (r->source == SHRIKE_SRC_SYSCALL && !(flags & SHRIKE_RF_ALL_EVENTS) &&
		    (evt < 0 || !shrike_rule_has_evtype(r, (u32)evt)))
			continue;
		if (shrike_eval(t, r, uevent_fetch, ctx) != SHRIKE_V_TRUE)
			continue;
		n++;
		fn(r, data);
		if (!(t->flags & SHRIKE_TF_MATCH_ALL))
			break;
	}
	return n;
}
