// SPDX-License-Identifier: GPL-2.0
/*
 * guard.c - builds and consults a bucket's guard (guard.h). Building runs at
 * table load, in process context; consulting runs in the probe and is
 * bounded: one binary search per distinct key length up to the value's
 * length, and at most SHRIKE_GUARD_MAX_HITS hits.
 */
#include "guard.h"

/* Necessary conjuncts looked at per rule, and AND nodes kept pending. */
#define MAX_CONJ	16
#define MAX_PENDING	16
/* Key fields considered per bucket. */
#define MAX_CAND	8
/* Instructions scanned per instruction of a program: linear work at load. */
#define SCAN_PER_INSN	4

/*
 * The first instruction of the expression that ends at insn e, or -1 (also
 * when *budget, the instructions this rule may still scan, runs out: a
 * right-deep chain would otherwise cost its length squared).
 */
static int expr_start(const struct shrike_insn *p, int e, u32 *budget)
{
	int need = 1;

	for (; e >= 0; e--) {
		if (!*budget)
			return -1;
		(*budget)--;
		switch (p[e].op) {
		case SHRIKE_OP_TEST:
		case SHRIKE_OP_PUSH:
			need--;
			break;
		case SHRIKE_OP_AND:
		case SHRIKE_OP_OR:
			need++;
			break;
		case SHRIKE_OP_NOT:
		case SHRIKE_OP_JF:
		case SHRIKE_OP_JT:
			break;
		default:
			return -1;
		}
		if (!need)
			return e;
	}
	return -1;
}

/*
 * The TEST instructions that are necessary conjuncts of the program (the
 * operands of its top-level ANDs), into out[]. Read as the postfix
 * expression the program is: jumps only skip what is already decided.
 */
static u32 conjuncts(const struct shrike_insn *p, u32 n, const struct shrike_insn **out,
		     u64 *work)
{
	int pending[MAX_PENDING], np = 0, e, rs;
	u64 want = (u64)SCAN_PER_INSN * n;
	u32 nout = 0, budget = (u32)(want < *work ? want : *work), start = budget;

	if (n < 2 || p[n - 1].op != SHRIKE_OP_RET)
		return 0;
	pending[np++] = (int)n - 2;
	while (np) {
		e = pending[--np];
		if (e < 0)
			continue;
		if (p[e].op == SHRIKE_OP_TEST) {
			if (nout < MAX_CONJ)
				out[nout++] = &p[e];
			continue;
		}
		if (p[e].op != SHRIKE_OP_AND || np + 2 > MAX_PENDING)
			continue;
		rs = expr_start(p, e - 1, &budget);
		if (rs <= 0)
			continue;
		pending[np++] = e - 1;
		e = rs - 1;
		while (e >= 0 && (p[e].op == SHRIKE_OP_JF || p[e].op == SHRIKE_OP_JT))
			e--;
		pending[np++] = e;
	}
	*work -= start - budget;
	return nout;
}

/* A conjunct the guard can index: a kernel string field, '=', 'in', 'startswith'. */
static int usable(const struct shrike_insn *in)
{
	u16 f = le16_to_cpu(in->field);

	if (f >= __SHRIKE_F_MAX || shrike_fields[f].type != SHRIKE_T_STR ||
	    shrike_fields[f].where != SHRIKE_W_KERNEL ||
	    shrike_fields[f].source != SHRIKE_SRC_SYSCALL)
		return 0;
	return in->cmp == SHRIKE_CMP_EQ || in->cmp == SHRIKE_CMP_IN ||
	       in->cmp == SHRIKE_CMP_STARTSWITH;
}

static const struct shrike_insn *rule_key(const struct shrike_table *t, u16 ri, u16 field,
					  u16 arg, u64 *work)
{
	const struct shrike_rule *r = &t->rules[ri];
	const struct shrike_insn *c[MAX_CONJ];
	u32 i, n = conjuncts(&t->insns[le32_to_cpu(r->prog)], le32_to_cpu(r->prog_len), c, work);

	for (i = 0; i < n; i++)
		if (usable(c[i]) && le16_to_cpu(c[i]->field) == field &&
		    le16_to_cpu(c[i]->arg) == arg)
			return c[i];
	return NULL;
}

static u32 key_count(const struct shrike_table *t, const struct shrike_insn *in)
{
	u16 opnd = le16_to_cpu(in->operand);

	return in->cmp == SHRIKE_CMP_IN ? le32_to_cpu(t->sets[opnd].count) : 1;
}

static int key_cmp(const void *a, const void *b)
{
	const struct shrike_guard_key *x = a, *y = b;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = x->len ? memcmp(x->s, y->s, x->len) : 0;
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void shrike_guard_free(struct shrike_guard *g)
{
	shrike_free(g->keys);
	shrike_free(g->always);
	memset(g, 0, sizeof(*g));
}

int shrike_guard_build(struct shrike_guard *g, const struct shrike_table *t,
		       const u16 *rules, u32 n, u64 *work)
{
	u32 best = 0, nkeyed = 0, nkeys = 0, ncand = 0, i, j, k;
	u32 cand[MAX_CAND];
	u16 field = 0, arg = 0;

	memset(g, 0, sizeof(*g));
	/*
	 * The key field: of the (field, arg) pairs the first rules need, the
	 * one most of the bucket's rules need. A bounded number of candidates,
	 * each counted once over the bucket: linear in the table.
	 */
	for (i = 0; i < n && ncand < MAX_CAND; i++) {
		const struct shrike_rule *r = &t->rules[rules[i]];
		const struct shrike_insn *c[MAX_CONJ];
		u32 nc = conjuncts(&t->insns[le32_to_cpu(r->prog)], le32_to_cpu(r->prog_len), c,
				   work);

		for (j = 0; j < nc && ncand < MAX_CAND; j++) {
			u32 fa;

			if (!usable(c[j]))
				continue;
			fa = (u32)le16_to_cpu(c[j]->field) << 16 | le16_to_cpu(c[j]->arg);
			for (k = 0; k < ncand && cand[k] != fa; k++)
				;
			if (k == ncand)
				cand[ncand++] = fa;
		}
	}
	for (j = 0; j < ncand; j++) {
		u32 count = 0;

		for (k = 0; k < n; k++)
			count += rule_key(t, rules[k], cand[j] >> 16, cand[j] & 0xffff, work) != NULL;
		if (count > best) {
			best = count;
			field = cand[j] >> 16;
			arg = cand[j] & 0xffff;
		}
	}
	if (best < SHRIKE_GUARD_MIN_RULES)
		return 0;

	for (i = 0; i < n; i++) {
		const struct shrike_insn *in = rule_key(t, rules[i], field, arg, work);

		if (in) {
			nkeyed++;
			nkeys += key_count(t, in);
		}
	}
	g->keys = shrike_alloc(sizeof(*g->keys) * (nkeys ?: 1));
	g->always = shrike_alloc(sizeof(*g->always) * ((n - nkeyed) ?: 1));
	if (!g->keys || !g->always) {
		shrike_guard_free(g);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const struct shrike_insn *in = rule_key(t, rules[i], field, arg, work);
		u16 opnd;

		if (!in) {
			g->always[g->nalways++] = i;
			continue;
		}
		opnd = le16_to_cpu(in->operand);
		if (in->cmp == SHRIKE_CMP_IN) {
			u32 first = le32_to_cpu(t->sets[opnd].first);

			for (k = 0; k < le32_to_cpu(t->sets[opnd].count); k++) {
				struct shrike_guard_key *key = &g->keys[g->nkeys++];

				key->s = (const u8 *)shrike_str_at(t,
					le32_to_cpu(t->setitems[first + k]), &key->len);
				key->pos = i;
				key->prefix = 0;
			}
		} else {
			struct shrike_guard_key *key = &g->keys[g->nkeys++];

			key->s = (const u8 *)shrike_str_at(t, opnd, &key->len);
			key->pos = i;
			key->prefix = in->cmp == SHRIKE_CMP_STARTSWITH;
		}
	}
	shrike_sort(g->keys, g->nkeys, sizeof(*g->keys), key_cmp);
	g->field = field;
	g->arg = arg;
	return 0;
}

/* The first key of length len whose bytes are >= s (keys sorted by length, bytes). */
static u32 lower_bound(const struct shrike_guard *g, const u8 *s, u32 len)
{
	u32 lo = 0, hi = g->nkeys;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		const struct shrike_guard_key *k = &g->keys[mid];
		int c = k->len != len ? (k->len < len ? -1 : 1) : (len ? memcmp(k->s, s, len) : 0);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first key longer than len. */
static u32 first_longer(const struct shrike_guard *g, u32 len)
{
	u32 lo = 0, hi = g->nkeys;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (g->keys[mid].len <= len)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int add_hit(u16 *hits, int n, u16 pos)
{
	int i;

	if (n < 0 || n == SHRIKE_GUARD_MAX_HITS)
		return -1;
	/* Ascending, no duplicates (a rule may have several keys). */
	for (i = n; i > 0 && hits[i - 1] >= pos; i--)
		if (hits[i - 1] == pos)
			return n;
	memmove(&hits[i + 1], &hits[i], sizeof(*hits) * (n - i));
	hits[i] = pos;
	return n + 1;
}

int shrike_guard_hits(const struct shrike_guard *g, int rc, const struct shrike_val *v,
		      u16 *hits)
{
	const u8 *s;
	u32 n, i = 0;
	int nh = 0;

	/* MISSING makes every keyed comparison FALSE; UNKNOWN decides nothing. */
	if (rc == SHRIKE_FETCH_MISSING)
		return 0;
	if (rc != SHRIKE_FETCH_OK || v->type != SHRIKE_T_STR)
		return -1;
	s = (const u8 *)v->str.ptr;
	n = v->str.len;
	/* Keys are grouped by length: one search per length up to n. */
	while (i < g->nkeys && g->keys[i].len <= n && nh >= 0) {
		u32 len = g->keys[i].len, j = lower_bound(g, s, len);

		for (; j < g->nkeys && g->keys[j].len == len && !memcmp(g->keys[j].s, s, len); j++)
			if (g->keys[j].prefix || len == n)
				nh = add_hit(hits, nh, g->keys[j].pos);
		i = first_longer(g, len);
	}
	return nh;
}
