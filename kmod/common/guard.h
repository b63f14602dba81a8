/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guard.h - a bucket's guard: which of its rules an event can match at all,
 * found from one string field instead of by running every rule.
 *
 * Most rules of a bucket compare one field (fd.name, often) with '=', 'in'
 * or 'startswith' as a necessary conjunct: when that comparison is FALSE the
 * rule is FALSE. The guard indexes those keys; for an event it fetches the
 * field once and yields the rules whose key the value satisfies, plus the
 * rules without such a key, in table order. The rules' programs still run
 * in full, so the decision (TRUE, FALSE, UNKNOWN) and first-match order are
 * those of the unguarded bucket: the guard only skips rules that are FALSE.
 * Freestanding like the evaluator: the same code runs in shrike.ko and in
 * the unit tests that prove the equivalence.
 */
#ifndef _SHRIKE_COMMON_GUARD_H
#define _SHRIKE_COMMON_GUARD_H

#include "table.h"

/* Fewer keyed rules than this: no guard, the plain loop is as cheap. */
#define SHRIKE_GUARD_MIN_RULES	2
/* Rules one value may select before the guard gives up and runs them all. */
#define SHRIKE_GUARD_MAX_HITS	64

struct shrike_guard_key {
	const u8 *s;
	u32 len;
	u16 pos;		/* the rule's position in its bucket */
	u8 prefix;		/* startswith; else the whole value */
};

struct shrike_guard {
	u16 field, arg;		/* the key field; nkeys == 0: no guard */
	u32 nkeys;
	struct shrike_guard_key *keys;	/* sorted by length, then bytes */
	u32 nalways;
	u16 *always;		/* positions of rules without a key, ascending */
};

/*
 * Builds the guard of one bucket: rules[0..n) are its rules' indices in
 * table order. *work is what the table's guards may still spend reading
 * programs (instructions scanned), shared by all buckets so that building is
 * linear in the table: once spent, the rest are read as having no key (and
 * run for every event). Returns 0 (g filled, maybe without keys) or -ENOMEM.
 */
int shrike_guard_build(struct shrike_guard *g, const struct shrike_table *t,
		       const u16 *rules, u32 n, u64 *work);
/* A table's *work for shrike_guard_build(): linear in its instructions. */
#define SHRIKE_GUARD_WORK(t)	(256ull * (t)->ninsns + (1u << 20))
void shrike_guard_free(struct shrike_guard *g);

/*
 * The positions, ascending, of the keyed rules a value of the key field can
 * satisfy, into hits[SHRIKE_GUARD_MAX_HITS]; the caller runs those and
 * g->always[], merged in table order. rc is the key field's fetch result
 * (SHRIKE_FETCH_*) and v its value. Returns the count, or -1 when every rule
 * must run (an UNKNOWN or non-string value, too many hits).
 */
int shrike_guard_hits(const struct shrike_guard *g, int rc, const struct shrike_val *v,
		      u16 *hits);

#endif
