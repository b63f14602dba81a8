/* SPDX-License-Identifier: GPL-2.0 */
/*
 * table.h - the verified view of a rule table and the evaluator over it,
 * shared by shrike.ko (syscall tracepoints), shrikec and the agent.
 *
 * Nothing in a table is used before shrike_table_verify() accepted it; after
 * that every index, range and program in it is known to be in bounds, so the
 * evaluator does no bounds checks of its own beyond cheap belts-and-braces.
 */
#ifndef _SHRIKE_COMMON_TABLE_H
#define _SHRIKE_COMMON_TABLE_H

#include "compat.h"
#include "../uapi/shrike.h"

/* Per-field facts from the X-macro registry, indexed by SHRIKE_F_*. */
struct shrike_field_desc {
	const char *name;
	u8 type;		/* SHRIKE_T_* */
	u8 where;		/* SHRIKE_W_* */
	u8 source;		/* SHRIKE_SRC_* */
	u8 argkind;		/* SHRIKE_ARGK_* */
};
extern const struct shrike_field_desc shrike_fields[__SHRIKE_F_MAX];

/*
 * A parsed table. Points into the caller's buffer, which must stay alive and
 * unchanged for as long as the view is used.
 */
struct shrike_table {
	const u8 *base;
	u32 len;
	u32 flags;		/* SHRIKE_TF_* */
	u32 checksum;

	const u8 *strings;
	u32 strings_len;
	const struct shrike_strref *strrefs;
	u32 nstrrefs;
	const __le64 *ints;
	u32 nints;
	const struct shrike_set *sets;
	u32 nsets;
	const __le32 *setitems;
	u32 nsetitems;
	const struct shrike_cidr *cidrs;	/* sorted by set */
	u32 ncidrs;
	const struct shrike_insn *insns;
	u32 ninsns;
	const struct shrike_rule *rules;
	u32 nrules;
	const struct shrike_capture *captures;
	u32 ncaptures;
	const __le32 *tags;
	u32 ntags;
};

#define SHRIKE_VERR_MSG_LEN	80	/* NETLINK_MAX_FMTMSG_LEN */

/* Why a table was rejected. msg points at buf (or a literal), never NULL. */
struct shrike_verr {
	u32 offset;		/* byte offset in the table of the bad thing */
	const char *msg;	/* "rule 3: insn 7: jump out of program" */
	int err;		/* -EINVAL, -EOPNOTSUPP, -ERANGE or -E2BIG */
	char buf[SHRIKE_VERR_MSG_LEN];
};

/*
 * Verifies every byte of buf and fills *t. buf must be 8-byte aligned (a
 * kvmalloc'd or malloc'd copy). Returns 0 or the negative errno also stored
 * in e->err; e may be NULL.
 */
int shrike_table_verify(const void *buf, u32 len, struct shrike_table *t,
			struct shrike_verr *e);

/* The operator's spelling in rules ("=", "startswith"), or "?". */
const char *shrike_cmp_name(unsigned int cmp);

/* FNV-1a, 32 bit: the table checksum. */
u32 shrike_fnv1a(const void *p, u32 len);

/* Accessors. Indices must come from the verified table. */
static inline const struct shrike_rule *shrike_rule_at(const struct shrike_table *t,
						       u32 i)
{
	return i < t->nrules ? &t->rules[i] : NULL;
}

/* String i of STRREFS; *len gets its length. Not NUL-terminated. */
static inline const char *shrike_str_at(const struct shrike_table *t, u32 i,
					u32 *len)
{
	if (i >= t->nstrrefs) {
		*len = 0;
		return "";
	}
	*len = le32_to_cpu(t->strrefs[i].len);
	return (const char *)t->strings + le32_to_cpu(t->strrefs[i].off);
}

static inline const char *shrike_rule_name(const struct shrike_table *t,
					   const struct shrike_rule *r, u32 *len)
{
	return shrike_str_at(t, le32_to_cpu(r->name), len);
}

static inline const char *shrike_rule_output(const struct shrike_table *t,
					     const struct shrike_rule *r, u32 *len)
{
	return shrike_str_at(t, le32_to_cpu(r->output), len);
}

static inline const char *shrike_rule_tag(const struct shrike_table *t,
					  const struct shrike_rule *r, u32 i,
					  u32 *len)
{
	if (i >= le16_to_cpu(r->ntags)) {
		*len = 0;
		return "";
	}
	return shrike_str_at(t, le32_to_cpu(t->tags[le32_to_cpu(r->tags) + i]),
			     len);
}

static inline const struct shrike_capture *
shrike_rule_capture(const struct shrike_table *t, const struct shrike_rule *r,
		    u32 i)
{
	if (i >= le16_to_cpu(r->ncaptures))
		return NULL;
	return &t->captures[le32_to_cpu(r->captures) + i];
}

static inline int shrike_rule_has_evtype(const struct shrike_rule *r, u32 evt)
{
	if (evt >= SHRIKE_EVT_BITMAP_WORDS * 64)
		return 0;
	return (le64_to_cpu(r->evtypes[evt / 64]) >> (evt % 64)) & 1;
}

/* Evaluator. */

struct shrike_str {
	const char *ptr;
	u32 len;
};

/*
 * A field value, filled by the fetch callback. type is the SHRIKE_T_* of
 * what was filled in; a type that does not fit the comparison makes it
 * FALSE. Pointers must stay valid until the evaluation returns.
 */
struct shrike_val {
	u8 type;		/* SHRIKE_T_* */
	u8 family;		/* IPADDR/IPNET: 4 or 6 */
	u8 prefix;		/* IPNET: prefix length; IPADDR: ignored */
	union {
		u64 u;		/* U64, BOOL (0 or 1) */
		s64 s;		/* S64 */
		struct shrike_str str;		/* STR */
		struct {
			const struct shrike_str *items;
			u32 n;
		} list;				/* STRLIST */
		u8 ip[16];	/* IPADDR/IPNET, network order; v4 in [0..3] */
	};
};

enum shrike_fetch_result {
	SHRIKE_FETCH_OK,
	SHRIKE_FETCH_MISSING,	/* no value for this event: comparison FALSE */
	SHRIKE_FETCH_UNKNOWN,	/* not computable here: comparison UNKNOWN */
};

/* arg is the instruction's arg: SHRIKE_ARG_NONE, a level or a STRREFS index. */
typedef int (*shrike_fetch_fn)(void *ctx, u16 field, u16 arg,
			       struct shrike_val *out);

/*
 * Evaluates rule r's program. Returns SHRIKE_V_FALSE, _TRUE or _UNKNOWN.
 * Bounded by the program length; no allocation, no recursion.
 */
int shrike_eval(const struct shrike_table *t, const struct shrike_rule *r,
		shrike_fetch_fn fetch, void *ctx);

/*
 * The same within a work budget: *work units (a test is one, a string
 * comparison the bytes it may read, contains being linear) are taken as the
 * program runs; a test the rest cannot pay for is UNKNOWN, and *work is left
 * 0. The kernel gives each event SHRIKE_EVAL_BUDGET; the agent, which
 * decides what the kernel could not, no budget (work NULL).
 */
int shrike_eval_bounded(const struct shrike_table *t, const struct shrike_rule *r,
			shrike_fetch_fn fetch, void *ctx, u32 *work);
#define SHRIKE_EVAL_BUDGET	65536

#ifndef __KERNEL__
/*
 * Userspace regex: returns 1 match, 0 no match, <0 cannot tell (UNKNOWN).
 * Without a hook every regex comparison is UNKNOWN. Set it once, before any
 * evaluation; it is not synchronised.
 */
typedef int (*shrike_regex_fn)(const char *pat, u32 patlen,
			       const char *s, u32 len);
void shrike_eval_set_regex_hook(shrike_regex_fn fn);

/*
 * Userspace host names (fd.sip.name and its kin): a fetch that gives an
 * IPADDR value for a STR field asks "is this address one of NAME's?" for
 * each name operand. Returns 1 yes, 0 no, <0 cannot tell (UNKNOWN). Without
 * a hook such comparisons are UNKNOWN. Set it once, like the regex hook.
 */
typedef int (*shrike_host_fn)(const char *name, u32 len,
			      const struct shrike_val *addr);
void shrike_eval_set_host_hook(shrike_host_fn fn);
#endif

/* Exposed for tests and the agent's own matching. */
int shrike_glob_match(const char *pat, u32 plen, const char *s, u32 slen,
		      int fold);
/* The first unclosed '[' of a glob pattern, or plen (verifier, shrikec). */
u32 shrike_glob_unclosed(const char *pat, u32 plen);

#endif /* _SHRIKE_COMMON_TABLE_H */
