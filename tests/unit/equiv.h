/* equiv.h - does compiling for the bucket change a decision? Shared by
 * test_optimize.c (every rule file at hand) and tests/fuzz/fuzz_rules.c
 * (whatever the fuzzer makes): one ruleset is compiled with and without the
 * optimisation, and every rule of both tables is evaluated on the same
 * random events, which must give the same TRUE/FALSE/UNKNOWN.
 *
 * An event is what a rule is evaluated on: an event type from the rule's
 * own event-type set (as compiled without the optimisation), at the rule's
 * direction, and for every other field a value drawn from a hash of the
 * event's seed and the field, so that a field reads the same whenever and in
 * whatever order the program fetches it. Values come from the rule's own
 * operands (as written, as prefixes, suffixes and inside other text) and
 * from random strings and numbers; a fetch is sometimes MISSING or UNKNOWN,
 * and in "kernel" events every agent-only field is UNKNOWN.
 *
 * Header-only (static), as the fuzzer is built from one test file. */
#ifndef SHRIKE_TESTS_EQUIV_H
#define SHRIKE_TESTS_EQUIV_H

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "lib/fields.h"
#include "kmod/common/table.h"

static uint64_t equiv_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The operands of one rule, as written. */
struct equiv_pool {
	const struct ast_value **v;
	size_t n, cap;
};

static void equiv_pool_add(struct equiv_pool *p, const struct ast *a)
{
	size_t i;

	for (; a; a = a->l) {
		if (a->r)
			equiv_pool_add(p, a->r);
		for (i = 0; i < a->nvalues; i++) {
			if (p->n == p->cap) {
				size_t ncap = p->cap ? 2 * p->cap : 64;
				const struct ast_value **nv = realloc(p->v, ncap * sizeof(*nv));

				if (!nv)
					return;
				p->v = nv;
				p->cap = ncap;
			}
			p->v[p->n++] = &a->values[i];
		}
	}
}

#define EQUIV_ARENA 65536

/* One event. */
struct equiv_event {
	uint64_t seed;
	const char *type; /* evt.type */
	bool entry;	  /* evt.dir */
	bool kernel;	  /* agent-only fields UNKNOWN */
	const struct equiv_pool *pool;
	const struct shrike_table *t; /* being evaluated: its strings name args */
	char arena[EQUIV_ARENA];      /* strings of this evaluation */
	size_t used;
	struct shrike_str items[3]; /* one list value at a time suffices: */
	unsigned long fetches;	    /* the evaluator compares it at once */
};

static char *equiv_alloc(struct equiv_event *e, size_t n)
{
	char *p;

	if (e->used + n > EQUIV_ARENA)
		e->used = 0; /* older strings are no longer compared */
	p = e->arena + e->used;
	e->used += n;
	return p;
}

/* A string for draw h: an operand as written or inside other text, an
 * event type name, or random bytes. */
static struct shrike_str equiv_string(struct equiv_event *e, uint64_t h)
{
	static const char *const bits[] = { "", "/", "x", "/etc/", "/tmp/x", "a b", "..", "-" };
	const struct ast_value *v = NULL;
	struct shrike_str s;
	size_t n, i;
	char *p;

	if (e->pool->n && h % 8 < 6)
		v = e->pool->v[(h >> 8) % e->pool->n];
	h = equiv_mix(h);
	if (v) {
		const char *pre = bits[h % 8], *post = bits[(h >> 3) % 8];
		size_t keep = v->len;

		switch ((h >> 6) % 6) {
		case 0:
		case 1: /* as written */
			s.ptr = v->str;
			s.len = (u32)v->len;
			return s;
		case 2: /* cut short */
			keep = v->len ? (h >> 9) % v->len : 0;
			pre = post = "";
			break;
		case 3: post = ""; break;
		case 4: pre = ""; break;
		}
		n = strlen(pre) + keep + strlen(post);
		if (n >= EQUIV_ARENA / 4) {
			s.ptr = v->str;
			s.len = (u32)v->len;
			return s;
		}
		p = equiv_alloc(e, n + 1);
		memcpy(p, pre, strlen(pre));
		memcpy(p + strlen(pre), v->str, keep);
		memcpy(p + strlen(pre) + keep, post, strlen(post));
		s.ptr = p;
		s.len = (u32)n;
		return s;
	}
	if (h % 4 == 0) {
		const char *name = evtype_name((int)((h >> 2) % evtypes_count()));

		s.ptr = name;
		s.len = (u32)strlen(name);
		return s;
	}
	n = (h >> 2) % 12;
	p = equiv_alloc(e, n + 1);
	for (i = 0; i < n; i++) {
		h = equiv_mix(h);
		p[i] = "abcXYZ/._ *?[]05\\"[h % 17];
	}
	s.ptr = p;
	s.len = (u32)n;
	return s;
}

static u64 equiv_number(const struct equiv_event *e, uint64_t h)
{
	static const u64 small[] = { 0, 1, 2, 3, 22, 80, 443, 1000, (u64)-1, (u64)-2 };

	if (e->pool->n && h % 3 == 0) {
		const struct ast_value *v = e->pool->v[(h >> 2) % e->pool->n];
		char *end;
		long long x = strtoll(v->str, &end, 0);

		if (!*end && end != v->str)
			return (u64)x + (u64)((h >> 40) % 3) - 1; /* it, or next to it */
	}
	if (h % 3 == 1)
		return small[(h >> 2) % (sizeof(small) / sizeof(small[0]))];
	return equiv_mix(h) >> ((h >> 2) % 64);
}

static void equiv_ip(const struct equiv_event *e, uint64_t h, struct shrike_val *out)
{
	out->family = h % 5 ? 4 : 6;
	out->prefix = (u8)(out->family == 4 ? (h >> 3) % 33 : (h >> 3) % 129);
	memset(out->ip, 0, sizeof(out->ip));
	if (e->pool->n && (h >> 10) % 2) {
		const struct ast_value *v = e->pool->v[(h >> 11) % e->pool->n];
		char buf[64], *slash;

		if (v->len < sizeof(buf)) {
			memcpy(buf, v->str, v->len + 1);
			slash = strchr(buf, '/');
			if (slash)
				*slash = 0;
			if (inet_pton(AF_INET, buf, out->ip) == 1) {
				out->family = 4;
				out->ip[3] ^= (u8)((h >> 20) % 2);
				return;
			}
			if (inet_pton(AF_INET6, buf, out->ip) == 1) {
				out->family = 6;
				return;
			}
		}
	}
	h = equiv_mix(h);
	memcpy(out->ip, &h, 8);
	if (out->family == 4 && h % 2)
		out->ip[0] = 10;
}

static int equiv_fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	struct equiv_event *e = ctx;
	const struct shrike_field_desc *fd = &shrike_fields[field];
	uint64_t h = (uint64_t)field << 16 | arg;
	u32 i, n;

	/* A named argument is a string of the table: the two tables number
	 * their strings differently. */
	if (arg != SHRIKE_ARG_NONE && fd->argkind != SHRIKE_ARGK_INDEX) {
		const char *a = shrike_str_at(e->t, arg, &n);

		h = (uint64_t)field << 16;
		for (i = 0; i < n; i++)
			h = equiv_mix(h ^ (unsigned char)a[i]);
	}
	h = equiv_mix(e->seed ^ equiv_mix(h));
	e->fetches++;
	memset(out, 0, sizeof(*out));
	/* What the kernel has for every event it runs a rule on. */
	if (field == SHRIKE_F_EVT_TYPE) {
		out->type = SHRIKE_T_STR;
		out->str.ptr = e->type;
		out->str.len = (u32)strlen(e->type);
		return SHRIKE_FETCH_OK;
	}
	if (field == SHRIKE_F_EVT_DIR) {
		out->type = SHRIKE_T_STR;
		out->str.ptr = e->entry ? ">" : "<";
		out->str.len = 1;
		return SHRIKE_FETCH_OK;
	}
	if (e->kernel && fd->where == SHRIKE_W_AGENT)
		return SHRIKE_FETCH_UNKNOWN;
	switch (h % 16) {
	case 0: return SHRIKE_FETCH_MISSING;
	case 1: return SHRIKE_FETCH_UNKNOWN;
	}
	h = equiv_mix(h);
	out->type = fd->type;
	switch (fd->type) {
	case SHRIKE_T_STR: out->str = equiv_string(e, h); break;
	case SHRIKE_T_STRLIST:
		n = 1 + h % 3;
		for (i = 0; i < n; i++)
			e->items[i] = equiv_string(e, equiv_mix(h + i));
		out->list.items = e->items;
		out->list.n = n;
		break;
	case SHRIKE_T_BOOL: out->u = h % 2; break;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET: equiv_ip(e, h, out); break;
	default: out->u = equiv_number(e, h); break;
	}
	return SHRIKE_FETCH_OK;
}

struct equiv_stats {
	unsigned long rules, events;
	unsigned long fetches[2]; /* comparisons evaluated: as written, optimised */
	unsigned long results[3]; /* events by result: FALSE, TRUE, UNKNOWN */
};

static bool equiv_has_types(const struct shrike_rule *r)
{
	for (int w = 0; w < SHRIKE_EVT_BITMAP_WORDS; w++)
		if (r->evtypes[w])
			return true;
	return false;
}

/*
 * t0 compiled with no_opt, t1 without, both from the ruleset whose rules are
 * rules[0..n). Evaluates each rule on nevents events; 0, or -1 with what
 * differs in err.
 */
static int equiv_check(const struct shrike_table *t0, const struct shrike_table *t1,
		       const struct rule_def *rules, size_t n, unsigned nevents, uint64_t seed,
		       struct equiv_stats *st, char *err, size_t errlen)
{
	static struct equiv_event e; /* the arena is large */
	size_t i;

	if (t0->nrules != n || t1->nrules != n) {
		snprintf(err, errlen, "rule counts %u and %u, want %zu", t0->nrules, t1->nrules, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct shrike_rule *r0 = &t0->rules[i], *r1 = &t1->rules[i];
		u16 f0 = le16_to_cpu(r0->flags), f1 = le16_to_cpu(r1->flags);
		struct equiv_pool pool = { 0 };
		int types[__SHRIKE_EVT_MAX], ntypes = 0, k;
		bool never1 = r0->source == SHRIKE_SRC_SYSCALL && !equiv_has_types(r1);
		unsigned ev;

		/* Same rule, same event types and direction: only a rule the
		 * optimisation found false on all of them runs on none. */
		if (r0->source != r1->source || r0->priority != r1->priority ||
		    (f0 & SHRIKE_RF_ENABLED) != (f1 & SHRIKE_RF_ENABLED) ||
		    ((f1 & SHRIKE_RF_NEEDS_AGENT) && !(f0 & SHRIKE_RF_NEEDS_AGENT)) ||
		    (!never1 && ((f0 ^ f1) & (SHRIKE_RF_ENTRY | SHRIKE_RF_ALL_EVENTS) ||
				 memcmp(r0->evtypes, r1->evtypes, sizeof(r0->evtypes))))) {
			snprintf(err, errlen, "rule '%s': flags %#x and %#x or event types differ",
				 rules[i].name, f0, f1);
			return -1;
		}
		if (le32_to_cpu(r1->prog_len) > le32_to_cpu(r0->prog_len)) {
			snprintf(err, errlen, "rule '%s': %u instructions optimised, %u as written",
				 rules[i].name, le32_to_cpu(r1->prog_len),
				 le32_to_cpu(r0->prog_len));
			return -1;
		}
		for (k = 0; k < __SHRIKE_EVT_MAX; k++)
			if (shrike_rule_has_evtype(r0, (u32)k))
				types[ntypes++] = k;
		if (r0->source == SHRIKE_SRC_SYSCALL && !ntypes)
			continue; /* runs on no event */
		equiv_pool_add(&pool, rules[i].cond);
		st->rules++;
		for (ev = 0; ev < nevents; ev++) {
			int res[2];

			e.seed = equiv_mix(seed ^ equiv_mix(i << 20 | ev));
			e.type = ntypes ? evtype_name(types[e.seed % ntypes]) : "";
			e.entry = f0 & SHRIKE_RF_ENTRY;
			e.kernel = (e.seed >> 32) % 2;
			e.pool = &pool;
			e.used = 0;
			e.fetches = 0;
			e.t = t0;
			res[0] = shrike_eval(t0, r0, equiv_fetch, &e);
			st->fetches[0] += e.fetches;
			e.fetches = 0;
			e.t = t1;
			res[1] = never1 ? SHRIKE_V_FALSE : shrike_eval(t1, r1, equiv_fetch, &e);
			st->fetches[1] += e.fetches;
			st->events++;
			if (res[0] >= 0 && res[0] <= SHRIKE_V_UNKNOWN)
				st->results[res[0]]++;
			if (res[0] != res[1]) {
				snprintf(err, errlen,
					 "rule '%s': event %u (seed %#" PRIx64 ", %s at %s, %s): "
					 "%d as written, %d optimised",
					 rules[i].name, ev, e.seed, e.type,
					 e.entry ? "entry" : "exit", e.kernel ? "kernel" : "agent",
					 res[0], res[1]);
				free(pool.v);
				return -1;
			}
		}
		free(pool.v);
	}
	return 0;
}

#endif
