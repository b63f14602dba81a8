// SPDX-License-Identifier: GPL-2.0
/*
 * verify.c - proves a rule table safe to evaluate: every byte of it is
 * checked once here so that shrike_eval() can run in a tracepoint without
 * bounds checks, unbounded loops or surprises. Each rejection says what was
 * wrong and where, because the message ends up in the netlink extended ACK
 * and in shrikec's diagnostics.
 */
#include "table.h"

#define HDR_SIZE	((u32)sizeof(struct shrike_table_hdr))
#define SEC_SIZE	((u32)sizeof(struct shrike_section))

/* What a TEST's operand indexes. */
enum operand_pool {
	POOL_NONE,
	POOL_INTS,
	POOL_STRS,
	POOL_SETS,
};

static const char *const sec_names[__SHRIKE_SEC_MAX] = {
	[SHRIKE_SEC_UNSPEC]	= "UNSPEC",
	[SHRIKE_SEC_STRINGS]	= "STRINGS",
	[SHRIKE_SEC_STRREFS]	= "STRREFS",
	[SHRIKE_SEC_INTS]	= "INTS",
	[SHRIKE_SEC_SETS]	= "SETS",
	[SHRIKE_SEC_SETITEMS]	= "SETITEMS",
	[SHRIKE_SEC_CIDRS]	= "CIDRS",
	[SHRIKE_SEC_INSNS]	= "INSNS",
	[SHRIKE_SEC_RULES]	= "RULES",
	[SHRIKE_SEC_CAPTURES]	= "CAPTURES",
	[SHRIKE_SEC_TAGS]	= "TAGS",
};

static const u32 sec_recsize[__SHRIKE_SEC_MAX] = {
	[SHRIKE_SEC_STRINGS]	= 1,
	[SHRIKE_SEC_STRREFS]	= sizeof(struct shrike_strref),
	[SHRIKE_SEC_INTS]	= sizeof(__le64),
	[SHRIKE_SEC_SETS]	= sizeof(struct shrike_set),
	[SHRIKE_SEC_SETITEMS]	= sizeof(__le32),
	[SHRIKE_SEC_CIDRS]	= sizeof(struct shrike_cidr),
	[SHRIKE_SEC_INSNS]	= sizeof(struct shrike_insn),
	[SHRIKE_SEC_RULES]	= sizeof(struct shrike_rule),
	[SHRIKE_SEC_CAPTURES]	= sizeof(struct shrike_capture),
	[SHRIKE_SEC_TAGS]	= sizeof(__le32),
};

static const char *const cmp_names[__SHRIKE_CMP_MAX] = {
	[SHRIKE_CMP_EQ]		 = "=",
	[SHRIKE_CMP_NE]		 = "!=",
	[SHRIKE_CMP_LT]		 = "<",
	[SHRIKE_CMP_LE]		 = "<=",
	[SHRIKE_CMP_GT]		 = ">",
	[SHRIKE_CMP_GE]		 = ">=",
	[SHRIKE_CMP_CONTAINS]	 = "contains",
	[SHRIKE_CMP_ICONTAINS]	 = "icontains",
	[SHRIKE_CMP_BCONTAINS]	 = "bcontains",
	[SHRIKE_CMP_STARTSWITH]	 = "startswith",
	[SHRIKE_CMP_BSTARTSWITH] = "bstartswith",
	[SHRIKE_CMP_ENDSWITH]	 = "endswith",
	[SHRIKE_CMP_GLOB]	 = "glob",
	[SHRIKE_CMP_IGLOB]	 = "iglob",
	[SHRIKE_CMP_PMATCH]	 = "pmatch",
	[SHRIKE_CMP_IN]		 = "in",
	[SHRIKE_CMP_INTERSECTS]	 = "intersects",
	[SHRIKE_CMP_EXISTS]	 = "exists",
	[SHRIKE_CMP_REGEX]	 = "regex",
};

const char *shrike_cmp_name(unsigned int cmp)
{
	return cmp < __SHRIKE_CMP_MAX && cmp_names[cmp] ? cmp_names[cmp] : "?";
}

static const char *const type_names[__SHRIKE_T_MAX] = {
	[SHRIKE_T_U64]		= "integer",
	[SHRIKE_T_S64]		= "signed integer",
	[SHRIKE_T_STR]		= "string",
	[SHRIKE_T_BOOL]		= "bool",
	[SHRIKE_T_IPADDR]	= "address",
	[SHRIKE_T_IPNET]	= "network",
	[SHRIKE_T_STRLIST]	= "string list",
};

static const char *const src_names[__SHRIKE_SRC_MAX] = {
	[SHRIKE_SRC_SYSCALL]	= "syscall",
	[SHRIKE_SRC_K8S_AUDIT]	= "k8s_audit",
};

u32 shrike_fnv1a(const void *p, u32 len)
{
	const u8 *b = p;
	u32 h = 2166136261u;
	u32 i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

static __printf(4, 5) int fail(struct shrike_verr *e, int err, u32 off,
			       const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return err;
	va_start(ap, fmt);
	vsnprintf(e->buf, sizeof(e->buf), fmt, ap);
	va_end(ap);
	e->err = err;
	e->offset = off;
	e->msg = e->buf;
	return err;
}

/*
 * Which operand pool a comparison on a field of this type takes, or -1 if
 * the comparison makes no sense for the type. Both the verifier and the
 * evaluator's type dispatch follow this one table.
 */
static int cmp_pool(u8 type, u8 cmp)
{
	switch (type) {
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
	case SHRIKE_T_BOOL:
		switch (cmp) {
		case SHRIKE_CMP_EQ:
		case SHRIKE_CMP_NE:
			return POOL_INTS;
		case SHRIKE_CMP_LT:
		case SHRIKE_CMP_LE:
		case SHRIKE_CMP_GT:
		case SHRIKE_CMP_GE:
			/* Falco refuses orderings on booleans. */
			return type == SHRIKE_T_BOOL ? -1 : POOL_INTS;
		case SHRIKE_CMP_IN:
			return POOL_SETS;
		case SHRIKE_CMP_EXISTS:
			return POOL_NONE;
		}
		return -1;
	case SHRIKE_T_STR:
	case SHRIKE_T_STRLIST:
		switch (cmp) {
		case SHRIKE_CMP_EQ:
		case SHRIKE_CMP_NE:
		case SHRIKE_CMP_CONTAINS:
		case SHRIKE_CMP_ICONTAINS:
		case SHRIKE_CMP_BCONTAINS:
		case SHRIKE_CMP_STARTSWITH:
		case SHRIKE_CMP_BSTARTSWITH:
		case SHRIKE_CMP_ENDSWITH:
		case SHRIKE_CMP_GLOB:
		case SHRIKE_CMP_IGLOB:
		case SHRIKE_CMP_REGEX:
			return POOL_STRS;
		case SHRIKE_CMP_PMATCH:
		case SHRIKE_CMP_IN:
		case SHRIKE_CMP_INTERSECTS:
			return POOL_SETS;
		case SHRIKE_CMP_EXISTS:
			return POOL_NONE;
		}
		return -1;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		switch (cmp) {
		case SHRIKE_CMP_EQ:
		case SHRIKE_CMP_NE:
		case SHRIKE_CMP_IN:
			return POOL_SETS;	/* a CIDR set */
		case SHRIKE_CMP_EXISTS:
			return POOL_NONE;
		}
		return -1;
	}
	return -1;
}

/* Set member order: by length, then bytes. */
static int member_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return alen ? memcmp(a, b, alen) : 0;
}

/*
 * Verification is linear in the table: sets are disjoint and ascending, so
 * each member is compared with its neighbour once, and the bytes those
 * compares and the glob pattern checks read (strings may overlap in the pool
 * and be shared by sets and tests) are charged against this budget, bytes
 * per table byte. shrikec's tables need a small fraction of it (it shares
 * identical sets and interns strings).
 */
#define VERIFY_SET_BYTES_PER_TABLE_BYTE	64
#define VERIFY_SET_BYTES_MIN		(1u << 20)

struct vctx {
	const u8 *base;
	struct shrike_table *t;
	struct shrike_verr *e;
	u32 sec_off[__SHRIKE_SEC_MAX];
	u64 work, budget;	/* bytes read by set and glob checks */
};

static u32 strref_len(const struct shrike_table *t, u32 i)
{
	return le32_to_cpu(t->strrefs[i].len);
}

static const u8 *strref_ptr(const struct shrike_table *t, u32 i)
{
	return t->strings + le32_to_cpu(t->strrefs[i].off);
}

static int check_header(struct vctx *v, u32 len)
{
	const struct shrike_table_hdr *h = (const void *)v->base;
	struct shrike_verr *e = v->e;
	u32 nsec, sum;

	if (len < HDR_SIZE)
		return fail(e, -EINVAL, 0, "table of %u bytes is shorter than its header",
			    len);
	if (len > SHRIKE_MAX_TABLE_SIZE)
		return fail(e, -E2BIG, offsetof(struct shrike_table_hdr, total_len),
			    "table of %u bytes is over the limit of %u", len,
			    SHRIKE_MAX_TABLE_SIZE);
	if (le32_to_cpu(h->magic) != SHRIKE_TABLE_MAGIC)
		return fail(e, -EINVAL, offsetof(struct shrike_table_hdr, magic),
			    "bad magic 0x%08x", le32_to_cpu(h->magic));
	if (le16_to_cpu(h->format) != SHRIKE_TABLE_FORMAT)
		return fail(e, -EOPNOTSUPP, offsetof(struct shrike_table_hdr, format),
			    "table format %u, expected %u",
			    le16_to_cpu(h->format), SHRIKE_TABLE_FORMAT);
	if (le16_to_cpu(h->abi) != SHRIKE_ABI_VERSION)
		return fail(e, -EOPNOTSUPP, offsetof(struct shrike_table_hdr, abi),
			    "table abi %u, module abi %u",
			    le16_to_cpu(h->abi), SHRIKE_ABI_VERSION);
	if (le32_to_cpu(h->total_len) != len)
		return fail(e, -EINVAL, offsetof(struct shrike_table_hdr, total_len),
			    "total_len %u but %u bytes given",
			    le32_to_cpu(h->total_len), len);
	nsec = le32_to_cpu(h->nsections);
	if (nsec > SHRIKE_MAX_SECTIONS)
		return fail(e, -E2BIG, offsetof(struct shrike_table_hdr, nsections),
			    "%u sections, at most %u", nsec, SHRIKE_MAX_SECTIONS);
	if (HDR_SIZE + nsec * SEC_SIZE > len)
		return fail(e, -ERANGE, offsetof(struct shrike_table_hdr, nsections),
			    "section table of %u entries past the end", nsec);
	/* Before anything past the header is interpreted. */
	sum = shrike_fnv1a(v->base + HDR_SIZE, len - HDR_SIZE);
	if (sum != le32_to_cpu(h->checksum))
		return fail(e, -EINVAL, offsetof(struct shrike_table_hdr, checksum),
			    "checksum 0x%08x, computed 0x%08x",
			    le32_to_cpu(h->checksum), sum);
	if (le32_to_cpu(h->flags) & ~SHRIKE_TF_MASK)
		return fail(e, -EOPNOTSUPP, offsetof(struct shrike_table_hdr, flags),
			    "unknown table flags 0x%x",
			    le32_to_cpu(h->flags) & ~SHRIKE_TF_MASK);
	v->t->flags = le32_to_cpu(h->flags);
	v->t->checksum = sum;
	return 0;
}

static int check_sections(struct vctx *v, u32 len)
{
	const struct shrike_table_hdr *h = (const void *)v->base;
	const struct shrike_section *s = (const void *)(v->base + HDR_SIZE);
	struct shrike_verr *e = v->e;
	u32 nsec = le32_to_cpu(h->nsections);
	u32 tab_end = HDR_SIZE + nsec * SEC_SIZE;
	u8 order[SHRIKE_MAX_SECTIONS];
	u32 seen = 0, i, j, pos;
	struct shrike_table *t = v->t;

	for (i = 0; i < nsec; i++) {
		u32 type = le32_to_cpu(s[i].type);
		u32 off = le32_to_cpu(s[i].off);
		u32 slen = le32_to_cpu(s[i].len);
		u32 eoff = HDR_SIZE + i * SEC_SIZE;

		if (type == SHRIKE_SEC_UNSPEC || type > SHRIKE_SEC_MAX)
			return fail(e, -EOPNOTSUPP, eoff,
				    "section %u: unknown type %u", i, type);
		if (seen & (1u << type))
			return fail(e, -EINVAL, eoff,
				    "section %u: duplicate %s section", i,
				    sec_names[type]);
		seen |= 1u << type;
		if (off & 7)
			return fail(e, -EINVAL, eoff + 4,
				    "section %s: offset %u not 8-byte aligned",
				    sec_names[type], off);
		if (off < tab_end)
			return fail(e, -ERANGE, eoff + 4,
				    "section %s: offset %u inside the header",
				    sec_names[type], off);
		if ((u64)off + slen > len)
			return fail(e, -ERANGE, eoff + 8,
				    "section %s: %u bytes at %u past the end of the table",
				    sec_names[type], slen, off);
		if (slen % sec_recsize[type])
			return fail(e, -EINVAL, eoff + 8,
				    "section %s: length %u not a multiple of %u",
				    sec_names[type], slen, sec_recsize[type]);
		v->sec_off[type] = off;

		/* Insertion sort by offset, for the overlap and padding checks. */
		for (j = i; j > 0 && le32_to_cpu(s[order[j - 1]].off) > off; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = SHRIKE_SEC_STRINGS; i <= SHRIKE_SEC_MAX; i++) {
		if (i == SHRIKE_SEC_CIDRS || (seen & (1u << i)))
			continue;
		return fail(e, -EINVAL, offsetof(struct shrike_table_hdr, nsections),
			    "missing %s section", sec_names[i]);
	}

	/* No overlaps, and every byte no section owns is zero padding. */
	pos = tab_end;
	for (i = 0; i <= nsec; i++) {
		u32 next = i < nsec ? le32_to_cpu(s[order[i]].off) : len;

		if (next < pos)
			return fail(e, -EINVAL, next,
				    "section %s overlaps the one before it",
				    sec_names[le32_to_cpu(s[order[i]].type)]);
		for (; pos < next; pos++)
			if (v->base[pos])
				return fail(e, -EINVAL, pos,
					    "nonzero padding byte at %u", pos);
		if (i < nsec)
			pos = next + le32_to_cpu(s[order[i]].len);
	}

	for (i = 0; i < nsec; i++) {
		u32 type = le32_to_cpu(s[i].type);
		const u8 *p = v->base + le32_to_cpu(s[i].off);
		u32 n = le32_to_cpu(s[i].len) / sec_recsize[type];

		switch (type) {
		case SHRIKE_SEC_STRINGS:
			t->strings = p;
			t->strings_len = n;
			break;
		case SHRIKE_SEC_STRREFS:
			t->strrefs = (const void *)p;
			t->nstrrefs = n;
			break;
		case SHRIKE_SEC_INTS:
			t->ints = (const void *)p;
			t->nints = n;
			break;
		case SHRIKE_SEC_SETS:
			t->sets = (const void *)p;
			t->nsets = n;
			break;
		case SHRIKE_SEC_SETITEMS:
			t->setitems = (const void *)p;
			t->nsetitems = n;
			break;
		case SHRIKE_SEC_CIDRS:
			t->cidrs = (const void *)p;
			t->ncidrs = n;
			break;
		case SHRIKE_SEC_INSNS:
			t->insns = (const void *)p;
			t->ninsns = n;
			break;
		case SHRIKE_SEC_RULES:
			t->rules = (const void *)p;
			t->nrules = n;
			break;
		case SHRIKE_SEC_CAPTURES:
			t->captures = (const void *)p;
			t->ncaptures = n;
			break;
		case SHRIKE_SEC_TAGS:
			t->tags = (const void *)p;
			t->ntags = n;
			break;
		}
	}

	if (t->nstrrefs > SHRIKE_MAX_STRREFS)
		return fail(e, -E2BIG, v->sec_off[SHRIKE_SEC_STRREFS],
			    "%u strrefs, at most %u", t->nstrrefs, SHRIKE_MAX_STRREFS);
	if (t->nsets > SHRIKE_MAX_SETS)
		return fail(e, -E2BIG, v->sec_off[SHRIKE_SEC_SETS],
			    "%u sets, at most %u", t->nsets, SHRIKE_MAX_SETS);
	if (t->ninsns > SHRIKE_MAX_INSNS)
		return fail(e, -E2BIG, v->sec_off[SHRIKE_SEC_INSNS],
			    "%u insns, at most %u", t->ninsns, SHRIKE_MAX_INSNS);
	if (t->nrules > SHRIKE_MAX_RULES)
		return fail(e, -E2BIG, v->sec_off[SHRIKE_SEC_RULES],
			    "%u rules, at most %u", t->nrules, SHRIKE_MAX_RULES);
	return 0;
}

static int check_pools(struct vctx *v)
{
	const struct shrike_table *t = v->t;
	struct shrike_verr *e = v->e;
	u32 i, k, set_end = 0;

	for (i = 0; i < t->nstrrefs; i++) {
		u32 off = le32_to_cpu(t->strrefs[i].off);
		u32 slen = le32_to_cpu(t->strrefs[i].len);
		u32 at = v->sec_off[SHRIKE_SEC_STRREFS] + i * 8;

		if (slen > SHRIKE_MAX_STRING_LEN)
			return fail(e, -E2BIG, at + 4,
				    "strref %u: length %u over %u", i, slen,
				    SHRIKE_MAX_STRING_LEN);
		if ((u64)off + slen > t->strings_len)
			return fail(e, -ERANGE, at,
				    "strref %u: %u bytes at %u past the string pool",
				    i, slen, off);
	}

	for (i = 0; i < t->nsetitems; i++)
		if (le32_to_cpu(t->setitems[i]) >= t->nstrrefs)
			return fail(e, -ERANGE, v->sec_off[SHRIKE_SEC_SETITEMS] + i * 4,
				    "setitem %u: strref %u out of range", i,
				    le32_to_cpu(t->setitems[i]));

	for (i = 0; i < t->nsets; i++) {
		u32 first = le32_to_cpu(t->sets[i].first);
		u32 count = le32_to_cpu(t->sets[i].count);
		u32 at = v->sec_off[SHRIKE_SEC_SETS] + i * 8;

		if (count > SHRIKE_MAX_SET_SIZE)
			return fail(e, -E2BIG, at + 4,
				    "set %u: %u members, at most %u", i, count,
				    SHRIKE_MAX_SET_SIZE);
		if ((u64)first + count > t->nsetitems)
			return fail(e, -ERANGE, at,
				    "set %u: members %u..%u past SETITEMS", i,
				    first, first + count);
		if (first < set_end)
			return fail(e, -EINVAL, at,
				    "set %u: starts at member %u, inside set %u (sets ascend, disjoint)",
				    i, first, i - 1);
		set_end = first + count;
		/* The evaluator's binary search depends on this order. */
		for (k = 1; k < count; k++) {
			u32 a = le32_to_cpu(t->setitems[first + k - 1]);
			u32 b = le32_to_cpu(t->setitems[first + k]);

			if (strref_len(t, a) == strref_len(t, b))
				v->work += strref_len(t, a);
			if (v->work > v->budget)
				return fail(e, -E2BIG,
					    v->sec_off[SHRIKE_SEC_SETITEMS] + (first + k) * 4,
					    "set %u: member %u: compares read over %llu bytes (%u/table byte)",
					    i, k, (unsigned long long)v->budget,
					    VERIFY_SET_BYTES_PER_TABLE_BYTE);
			if (!((first + k) & 1023))
				shrike_resched();
			if (member_cmp(strref_ptr(t, a), strref_len(t, a),
				       strref_ptr(t, b), strref_len(t, b)) >= 0)
				return fail(e, -EINVAL,
					    v->sec_off[SHRIKE_SEC_SETITEMS] +
					    (first + k) * 4,
					    "set %u: member %u not sorted or duplicate",
					    i, k);
		}
	}

	for (i = 0; i < t->ncidrs; i++) {
		const struct shrike_cidr *c = &t->cidrs[i];
		u32 at = v->sec_off[SHRIKE_SEC_CIDRS] + i * sizeof(*c);
		u32 set = le32_to_cpu(c->set);
		u32 bits, b;

		if (c->family != 4 && c->family != 6)
			return fail(e, -EOPNOTSUPP, at,
				    "cidr %u: unknown family %u", i, c->family);
		bits = c->family == 4 ? 32 : 128;
		if (c->prefix > bits)
			return fail(e, -ERANGE, at + 1,
				    "cidr %u: prefix /%u too long for IPv%u", i,
				    c->prefix, c->family);
		if (c->pad[0] || c->pad[1])
			return fail(e, -EINVAL, at + 2,
				    "cidr %u: nonzero padding", i);
		if (set >= t->nsets)
			return fail(e, -ERANGE, at + 4,
				    "cidr %u: set %u out of range", i, set);
		if (i && le32_to_cpu(t->cidrs[i - 1].set) > set)
			return fail(e, -EINVAL, at + 4,
				    "cidr %u: not sorted by set", i);
		/* Host bits, and for IPv4 the unused 12 bytes, are zero. */
		for (b = c->prefix; b < 128; b++)
			if (c->addr[b / 8] & (0x80 >> (b % 8)))
				return fail(e, -EINVAL, at + 8 + b / 8,
					    "cidr %u: host bits set past /%u", i,
					    c->prefix);
	}

	for (i = 0; i < t->ntags; i++)
		if (le32_to_cpu(t->tags[i]) >= t->nstrrefs)
			return fail(e, -ERANGE, v->sec_off[SHRIKE_SEC_TAGS] + i * 4,
				    "tag %u: strref %u out of range", i,
				    le32_to_cpu(t->tags[i]));
	return 0;
}

/*
 * Checks a (field, arg) pair for captures and TESTs alike. Returns 0 or an
 * errno with *why naming the problem; the caller says whose pair it was.
 */
static int check_field_arg(const struct shrike_table *t, u16 field, u16 arg,
			   const char **why)
{
	switch (shrike_fields[field].argkind) {
	case SHRIKE_ARGK_NONE:
		if (arg != SHRIKE_ARG_NONE) {
			*why = "takes no argument";
			return -EINVAL;
		}
		break;
	case SHRIKE_ARGK_INDEX:
		break;		/* any level; NONE means "any ancestor" */
	case SHRIKE_ARGK_NAME:
	case SHRIKE_ARGK_KEY:
		if (arg == SHRIKE_ARG_NONE) {
			*why = "needs an argument";
			return -EINVAL;
		}
		fallthrough;
	case SHRIKE_ARGK_KEY_OPT:
		if (arg != SHRIKE_ARG_NONE && arg >= t->nstrrefs) {
			*why = "argument strref out of range";
			return -ERANGE;
		}
		break;
	default:
		*why = "has an argument kind this verifier does not know";
		return -EOPNOTSUPP;
	}
	return 0;
}

static int check_captures(struct vctx *v)
{
	const struct shrike_table *t = v->t;
	const char *why;
	u32 i;
	int err;

	for (i = 0; i < t->ncaptures; i++) {
		u16 field = le16_to_cpu(t->captures[i].field);
		u16 arg = le16_to_cpu(t->captures[i].arg);
		u32 at = v->sec_off[SHRIKE_SEC_CAPTURES] + i * 4;

		if (field >= __SHRIKE_F_MAX)
			return fail(v->e, -EOPNOTSUPP, at,
				    "capture %u: unknown field %u", i, field);
		err = check_field_arg(t, field, arg, &why);
		if (err)
			return fail(v->e, err, at + 2, "capture %u: field %s %s",
				    i, shrike_fields[field].name, why);
	}
	return 0;
}

/* Pending forward jumps of one program, sorted by target. */
struct pending {
	u16 target;
	u8 depth;
};

static int check_test(struct vctx *v, const struct shrike_rule *r, u32 ri,
		      u32 pc, u32 at, const struct shrike_insn *in)
{
	const struct shrike_table *t = v->t;
	struct shrike_verr *e = v->e;
	u16 field = le16_to_cpu(in->field);
	u16 arg = le16_to_cpu(in->arg);
	u16 opnd = le16_to_cpu(in->operand);
	const struct shrike_field_desc *fd;
	const char *why;
	u32 slen, k;
	int pool, err;

	if (in->cmp >= __SHRIKE_CMP_MAX)
		return fail(e, -EOPNOTSUPP, at + 1,
			    "rule %u: insn %u: unknown comparison %u", ri, pc,
			    in->cmp);
	if (field >= __SHRIKE_F_MAX)
		return fail(e, -EOPNOTSUPP, at + 2,
			    "rule %u: insn %u: unknown field %u", ri, pc, field);
	fd = &shrike_fields[field];
	if (fd->source != r->source)
		return fail(e, -EINVAL, at + 2,
			    "rule %u: insn %u: %s is not a %s field", ri, pc,
			    fd->name, src_names[r->source]);
	if (fd->where == SHRIKE_W_AGENT &&
	    !(le16_to_cpu(r->flags) & SHRIKE_RF_NEEDS_AGENT))
		return fail(e, -EINVAL, at + 2,
			    "rule %u: insn %u: agent-only field %s without NEEDS_AGENT",
			    ri, pc, fd->name);
	pool = cmp_pool(fd->type, in->cmp);
	if (pool < 0)
		return fail(e, -EINVAL, at + 1,
			    "rule %u: insn %u: '%s' not valid on %s field %s",
			    ri, pc, cmp_names[in->cmp], type_names[fd->type],
			    fd->name);
	err = check_field_arg(t, field, arg, &why);
	if (err)
		return fail(e, err, at + 4, "rule %u: insn %u: field %s %s",
			    ri, pc, fd->name, why);
	switch (pool) {
	case POOL_NONE:
		if (opnd)
			return fail(e, -EINVAL, at + 6,
				    "rule %u: insn %u: '%s' takes no operand",
				    ri, pc, cmp_names[in->cmp]);
		break;
	case POOL_INTS:
		if (opnd >= t->nints)
			return fail(e, -ERANGE, at + 6,
				    "rule %u: insn %u: operand %u out of INTS (%u)",
				    ri, pc, opnd, t->nints);
		if (fd->type == SHRIKE_T_BOOL && le64_to_cpu(t->ints[opnd]) > 1)
			return fail(e, -EINVAL, at + 6,
				    "rule %u: insn %u: bool compared with %llu",
				    ri, pc,
				    (unsigned long long)le64_to_cpu(t->ints[opnd]));
		break;
	case POOL_STRS:
		if (opnd >= t->nstrrefs)
			return fail(e, -ERANGE, at + 6,
				    "rule %u: insn %u: operand %u out of STRREFS (%u)",
				    ri, pc, opnd, t->nstrrefs);
		if (in->cmp != SHRIKE_CMP_GLOB && in->cmp != SHRIKE_CMP_IGLOB)
			break;
		/* Each bracket then parses in its own length (eval.c). */
		slen = strref_len(t, opnd);
		v->work += slen;
		if (v->work > v->budget)
			return fail(e, -E2BIG, at + 6,
				    "rule %u: insn %u: glob checks read over %llu bytes",
				    ri, pc, (unsigned long long)v->budget);
		k = shrike_glob_unclosed((const char *)strref_ptr(t, opnd), slen);
		if (k < slen)
			return fail(e, -EINVAL, at + 6,
				    "rule %u: insn %u: glob: '[' at %u never closed",
				    ri, pc, k);
		break;
	case POOL_SETS:
		if (opnd >= t->nsets)
			return fail(e, -ERANGE, at + 6,
				    "rule %u: insn %u: operand %u out of SETS (%u)",
				    ri, pc, opnd, t->nsets);
		break;
	}
	return 0;
}

/*
 * One linear pass proves the stack discipline for every path: jumps only go
 * forward, so when the pass reaches a jump target the depth along the
 * fall-through path is known and must equal the depth the jump carried.
 * Compiled code has at most one pending jump per stack slot, which bounds
 * the pending list without a per-instruction array.
 */
static int check_program(struct vctx *v, const struct shrike_rule *r, u32 ri)
{
	const struct shrike_table *t = v->t;
	struct shrike_verr *e = v->e;
	struct pending pend[SHRIKE_MAX_STACK];
	u32 first = le32_to_cpu(r->prog);
	u32 n = le32_to_cpu(r->prog_len);
	u32 npend = 0, depth = 0, pc, k;
	int err;

	for (pc = 0; pc < n; pc++) {
		const struct shrike_insn *in = &t->insns[first + pc];
		u32 at = v->sec_off[SHRIKE_SEC_INSNS] + (first + pc) * 8;
		u16 opnd = le16_to_cpu(in->operand);

		while (npend && pend[0].target == pc) {
			if (pend[0].depth != depth)
				return fail(e, -EINVAL, at,
					    "rule %u: insn %u: stack depth %u here, %u from a jump",
					    ri, pc, depth, pend[0].depth);
			npend--;
			memmove(pend, pend + 1, npend * sizeof(pend[0]));
		}

		if (in->op >= __SHRIKE_OP_MAX)
			return fail(e, -EOPNOTSUPP, at,
				    "rule %u: insn %u: unknown opcode %u", ri, pc,
				    in->op);
		if (in->op != SHRIKE_OP_TEST &&
		    (in->cmp || in->field || in->arg))
			return fail(e, -EINVAL, at + 1,
				    "rule %u: insn %u: nonzero cmp/field/arg", ri, pc);

		switch (in->op) {
		case SHRIKE_OP_TEST:
			err = check_test(v, r, ri, pc, at, in);
			if (err)
				return err;
			fallthrough;
		case SHRIKE_OP_PUSH:
			if (in->op == SHRIKE_OP_PUSH && opnd > SHRIKE_V_UNKNOWN)
				return fail(e, -EINVAL, at + 6,
					    "rule %u: insn %u: bad constant %u",
					    ri, pc, opnd);
			if (depth >= SHRIKE_MAX_STACK)
				return fail(e, -E2BIG, at,
					    "rule %u: insn %u: stack deeper than %u",
					    ri, pc, SHRIKE_MAX_STACK);
			depth++;
			break;
		case SHRIKE_OP_NOT:
		case SHRIKE_OP_AND:
		case SHRIKE_OP_OR:
		case SHRIKE_OP_RET: {
			u32 need = in->op == SHRIKE_OP_NOT ||
				   in->op == SHRIKE_OP_RET ? 1 : 2;

			if (opnd)
				return fail(e, -EINVAL, at + 6,
					    "rule %u: insn %u: nonzero operand", ri, pc);
			if (depth < need)
				return fail(e, -EINVAL, at,
					    "rule %u: insn %u: stack underflow", ri, pc);
			if (in->op == SHRIKE_OP_RET) {
				if (pc != n - 1)
					return fail(e, -EINVAL, at,
						    "rule %u: insn %u: RET before the end of the program",
						    ri, pc);
				if (depth != 1)
					return fail(e, -EINVAL, at,
						    "rule %u: insn %u: %u values on the stack at RET",
						    ri, pc, depth);
			}
			depth -= need - 1;
			break;
		}
		case SHRIKE_OP_JF:
		case SHRIKE_OP_JT: {
			u32 target = pc + 1 + opnd;

			if (!depth)
				return fail(e, -EINVAL, at,
					    "rule %u: insn %u: stack underflow", ri, pc);
			if (target >= n)
				return fail(e, -ERANGE, at + 6,
					    "rule %u: insn %u: jump out of program",
					    ri, pc);
			for (k = 0; k < npend && pend[k].target < target; k++)
				;
			if (k < npend && pend[k].target == target) {
				if (pend[k].depth != depth)
					return fail(e, -EINVAL, at,
						    "rule %u: insn %u: jump to %u with depth %u, another with %u",
						    ri, pc, target, depth,
						    pend[k].depth);
				break;
			}
			if (npend == SHRIKE_MAX_STACK)
				return fail(e, -E2BIG, at,
					    "rule %u: insn %u: more than %u pending jumps",
					    ri, pc, SHRIKE_MAX_STACK);
			memmove(pend + k + 1, pend + k,
				(npend - k) * sizeof(pend[0]));
			pend[k].target = target;
			pend[k].depth = depth;
			npend++;
			break;
		}
		}
	}
	/* The last instruction was not RET (a RET elsewhere failed above). */
	if (t->insns[first + n - 1].op != SHRIKE_OP_RET)
		return fail(e, -EINVAL,
			    v->sec_off[SHRIKE_SEC_INSNS] + (first + n - 1) * 8,
			    "rule %u: program does not end with RET", ri);
	return 0;
}

static int check_rules(struct vctx *v)
{
	const struct shrike_table *t = v->t;
	struct shrike_verr *e = v->e;
	u32 prev_end = 0, i, w, b;
	int err;

	for (i = 0; i < t->nrules; i++) {
		const struct shrike_rule *r = &t->rules[i];
		const u8 *raw = (const u8 *)r;
		u32 at = v->sec_off[SHRIKE_SEC_RULES] + i * sizeof(*r);
		u32 name = le32_to_cpu(r->name);
		u32 prog = le32_to_cpu(r->prog);
		u32 plen = le32_to_cpu(r->prog_len);
		u32 caps = le32_to_cpu(r->captures);
		u32 ncaps = le16_to_cpu(r->ncaptures);
		u32 tags = le32_to_cpu(r->tags);
		u32 ntags = le16_to_cpu(r->ntags);
		u16 flags = le16_to_cpu(r->flags);

		if (name >= t->nstrrefs)
			return fail(e, -ERANGE, at, "rule %u: name strref %u out of range",
				    i, name);
		if (!strref_len(t, name))
			return fail(e, -EINVAL, at, "rule %u: empty name", i);
		if (strref_len(t, name) > SHRIKE_NAME_MAX)
			return fail(e, -E2BIG, at, "rule %u: name of %u bytes, at most %u",
				    i, strref_len(t, name), SHRIKE_NAME_MAX);
		if (le32_to_cpu(r->desc) >= t->nstrrefs)
			return fail(e, -ERANGE, at + offsetof(struct shrike_rule, desc),
				    "rule %u: desc strref %u out of range", i,
				    le32_to_cpu(r->desc));
		if (le32_to_cpu(r->output) >= t->nstrrefs)
			return fail(e, -ERANGE, at + offsetof(struct shrike_rule, output),
				    "rule %u: output strref %u out of range", i,
				    le32_to_cpu(r->output));
		if (r->source >= __SHRIKE_SRC_MAX)
			return fail(e, -EOPNOTSUPP, at + offsetof(struct shrike_rule, source),
				    "rule %u: unknown source %u", i, r->source);
		if (r->priority >= __SHRIKE_PRI_MAX)
			return fail(e, -EOPNOTSUPP, at + offsetof(struct shrike_rule, priority),
				    "rule %u: unknown priority %u", i, r->priority);
		if (flags & ~SHRIKE_RF_MASK)
			return fail(e, -EOPNOTSUPP, at + offsetof(struct shrike_rule, flags),
				    "rule %u: unknown flags 0x%x", i,
				    flags & ~SHRIKE_RF_MASK);
		if (le16_to_cpu(r->ncond) > ncaps)
			return fail(e, -ERANGE, at + offsetof(struct shrike_rule, ncond),
				    "rule %u: %u condition captures of %u", i,
				    le16_to_cpu(r->ncond), ncaps);
		/* The reserved bytes before evtypes. */
		for (b = offsetof(struct shrike_rule, ncond) + sizeof(r->ncond);
		     b < offsetof(struct shrike_rule, evtypes); b++)
			if (raw[b])
				return fail(e, -EINVAL, at + b,
					    "rule %u: nonzero padding", i);
		for (w = 0; w < SHRIKE_EVT_BITMAP_WORDS; w++) {
			u64 bits = le64_to_cpu(r->evtypes[w]);
			u32 wat = at + offsetof(struct shrike_rule, evtypes) + w * 8;

			for (b = 0; bits && b < 64; b++, bits >>= 1)
				if ((bits & 1) && w * 64 + b >= __SHRIKE_EVT_MAX)
					return fail(e, -EOPNOTSUPP, wat,
						    "rule %u: unknown event type %u", i,
						    w * 64 + b);
		}
		if (!plen)
			return fail(e, -EINVAL, at + offsetof(struct shrike_rule, prog_len),
				    "rule %u: empty program", i);
		if (plen > SHRIKE_MAX_PROG_LEN)
			return fail(e, -E2BIG, at + offsetof(struct shrike_rule, prog_len),
				    "rule %u: program of %u insns, at most %u", i,
				    plen, SHRIKE_MAX_PROG_LEN);
		if ((u64)prog + plen > t->ninsns)
			return fail(e, -ERANGE, at + offsetof(struct shrike_rule, prog),
				    "rule %u: program %u..%u past INSNS (%u)", i,
				    prog, prog + plen, t->ninsns);
		/* Disjoint, ordered programs keep verification linear in INSNS. */
		if (prog < prev_end)
			return fail(e, -EINVAL, at + offsetof(struct shrike_rule, prog),
				    "rule %u: program overlaps the previous rule's", i);
		prev_end = prog + plen;
		if (ncaps > SHRIKE_MAX_CAPTURES)
			return fail(e, -E2BIG, at + offsetof(struct shrike_rule, ncaptures),
				    "rule %u: %u captures, at most %u", i, ncaps,
				    SHRIKE_MAX_CAPTURES);
		if ((u64)caps + ncaps > t->ncaptures)
			return fail(e, -ERANGE, at + offsetof(struct shrike_rule, captures),
				    "rule %u: captures %u..%u past CAPTURES (%u)", i,
				    caps, caps + ncaps, t->ncaptures);
		if (ntags > SHRIKE_MAX_TAGS)
			return fail(e, -E2BIG, at + offsetof(struct shrike_rule, ntags),
				    "rule %u: %u tags, at most %u", i, ntags,
				    SHRIKE_MAX_TAGS);
		if ((u64)tags + ntags > t->ntags)
			return fail(e, -ERANGE, at + offsetof(struct shrike_rule, tags),
				    "rule %u: tags %u..%u past TAGS (%u)", i, tags,
				    tags + ntags, t->ntags);
		err = check_program(v, r, i);
		if (err)
			return err;
	}
	return 0;
}

int shrike_table_verify(const void *buf, u32 len, struct shrike_table *t,
			struct shrike_verr *e)
{
	struct vctx v;
	struct shrike_table tmp;
	int err;

	memset(&v, 0, sizeof(v));
	memset(&tmp, 0, sizeof(tmp));
	v.base = buf;
	v.t = &tmp;
	v.e = e;
	if (e) {
		e->err = 0;
		e->offset = 0;
		e->msg = "";
		e->buf[0] = '\0';
	}
	if ((unsigned long)buf & 7)
		return fail(e, -EINVAL, 0, "table buffer not 8-byte aligned");
	tmp.base = buf;
	tmp.len = len;
	v.budget = (u64)len * VERIFY_SET_BYTES_PER_TABLE_BYTE + VERIFY_SET_BYTES_MIN;

	err = check_header(&v, len);
	if (!err)
		err = check_sections(&v, len);
	if (!err)
		err = check_pools(&v);
	if (!err)
		err = check_captures(&v);
	if (!err)
		err = check_rules(&v);
	if (err)
		return err;
	*t = tmp;
	return 0;
}
