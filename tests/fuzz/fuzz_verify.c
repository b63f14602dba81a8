/* fuzz_verify.c - libFuzzer harness for the table verifier and evaluator.
 * The input is a table; whatever the verifier accepts is evaluated rule by
 * rule with field values carved out of the input itself, so ASan/UBSan see
 * every read the evaluator makes. An independent stack-depth checker
 * re-proves each accepted program, so a verifier that accepts a bad program
 * crashes here even when evaluation happens not to misbehave.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *       tests/fuzz/fuzz_verify.c kmod/common/[every .c] -o /tmp/fuzz_verify
 *   /tmp/fuzz_verify -max_total_time=60 tests/fuzz/corpus_verify
 *
 * The checksum and total_len are fixed up before verifying: otherwise nearly
 * every mutation dies at the checksum and the fuzzer never gets deeper. The
 * unit tests cover those two checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kmod/common/table.h"

struct fz {
	const uint8_t *data;
	size_t len;
	uint32_t seed;
	struct shrike_str items[4];
};

static uint32_t mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x7feb352d;
	h ^= h >> 15;
	h *= 0x846ca68b;
	h ^= h >> 16;
	return h;
}

static struct shrike_str slice(struct fz *z, uint32_t h)
{
	struct shrike_str s = { "", 0 };
	size_t off, n;

	if (!z->len)
		return s;
	off = h % z->len;
	n = (h >> 20) % 80;
	if (n > z->len - off)
		n = z->len - off;
	s.ptr = (const char *)z->data + off;
	s.len = n;
	return s;
}

static int fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	struct fz *z = ctx;
	uint32_t h = mix(z->seed++ ^ (field << 16) ^ arg);
	uint8_t type = field < __SHRIKE_F_MAX ? shrike_fields[field].type : 0;
	size_t i;

	switch (h % 6) {
	case 4: return SHRIKE_FETCH_MISSING;
	case 5: return SHRIKE_FETCH_UNKNOWN;
	}
	h = mix(h);
	if (h % 16 == 0)
		type = (h >> 4) % (__SHRIKE_T_MAX + 1); /* wrong or bogus type */
	memset(out, 0, sizeof(*out));
	out->type = type;
	h = mix(h);
	switch (type) {
	case SHRIKE_T_U64:
	case SHRIKE_T_S64:
	case SHRIKE_T_BOOL:
		out->u = ((uint64_t)mix(h) << 32) | mix(h + 1);
		if (h % 3 == 0)
			out->u %= 16;
		if (type == SHRIKE_T_BOOL)
			out->u &= 1;
		break;
	case SHRIKE_T_STR: out->str = slice(z, h); break;
	case SHRIKE_T_STRLIST:
		out->list.n = h % 5;
		for (i = 0; i < out->list.n; i++)
			z->items[i] = slice(z, mix(h + i));
		out->list.items = z->items;
		break;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		out->family = (h & 1) ? 4 : (h & 2) ? 6 : (h >> 2) & 0xff;
		out->prefix = (h >> 10) % 140;
		for (i = 0; i < 16; i++)
			out->ip[i] = z->len ? z->data[(h + i) % z->len] : 0;
		break;
	}
	return SHRIKE_FETCH_OK;
}

static int regex_hook(const char *pat, u32 plen, const char *s, u32 len)
{
	/* Touch every byte, so ASan checks the pointers the evaluator passes. */
	uint32_t h = 0, i;

	for (i = 0; i < plen; i++)
		h += (uint8_t)pat[i];
	for (i = 0; i < len; i++)
		h ^= (uint8_t)s[i];
	return (int)(h % 3) - 1;
}

/* An independent proof of the stack discipline, with a per-insn array. */
static void recheck(const struct shrike_table *t, const struct shrike_rule *r)
{
	static int depth[SHRIKE_MAX_PROG_LEN + 1];
	uint32_t first = le32_to_cpu(r->prog), n = le32_to_cpu(r->prog_len), pc;

	if (n == 0 || n > SHRIKE_MAX_PROG_LEN || (uint64_t)first + n > t->ninsns)
		abort();
	for (pc = 0; pc <= n; pc++)
		depth[pc] = -1;
	depth[0] = 0;
	for (pc = 0; pc < n; pc++) {
		const struct shrike_insn *in = &t->insns[first + pc];
		int d = depth[pc], nd;
		uint32_t tgt;

		if (d < 0)
			abort(); /* fall-through always reaches each insn */
		switch (in->op) {
		case SHRIKE_OP_TEST:
		case SHRIKE_OP_PUSH: nd = d + 1; break;
		case SHRIKE_OP_NOT:
			nd = d;
			if (d < 1)
				abort();
			break;
		case SHRIKE_OP_AND:
		case SHRIKE_OP_OR:
			if (d < 2)
				abort();
			nd = d - 1;
			break;
		case SHRIKE_OP_JF:
		case SHRIKE_OP_JT:
			if (d < 1)
				abort();
			nd = d;
			tgt = pc + 1 + le16_to_cpu(in->operand);
			if (tgt >= n)
				abort();
			if (depth[tgt] >= 0 && depth[tgt] != d)
				abort();
			depth[tgt] = d;
			break;
		case SHRIKE_OP_RET:
			if (d != 1 || pc != n - 1)
				abort();
			continue;
		default: abort();
		}
		if (nd > SHRIKE_MAX_STACK)
			abort();
		if (depth[pc + 1] >= 0 && depth[pc + 1] != nd)
			abort();
		depth[pc + 1] = nd;
	}
	if (t->insns[first + n - 1].op != SHRIKE_OP_RET)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shrike_table t;
	struct shrike_verr e;
	struct fz z;
	uint8_t *buf;
	uint32_t i, v;

	if (size > SHRIKE_MAX_TABLE_SIZE + 64)
		return 0;
	/* An exact-size heap copy: ASan flags any read past the table. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	if (size >= sizeof(struct shrike_table_hdr)) {
		v = htole32((uint32_t)size);
		memcpy(buf + 8, &v, 4);
		v = htole32(shrike_fnv1a(buf + 24, size - 24));
		memcpy(buf + 12, &v, 4);
	}
	if (shrike_table_verify(buf, size, &t, &e)) {
		if (!e.msg || !e.err || e.offset > size)
			abort();
		free(buf);
		return 0;
	}
	shrike_eval_set_regex_hook(size & 1 ? regex_hook : NULL);
	z.data = buf;
	z.len = size;
	for (i = 0; i < t.nrules; i++) {
		const struct shrike_rule *r = shrike_rule_at(&t, i);
		int res, k;

		recheck(&t, r);
		for (k = 0; k < 3; k++) {
			z.seed = i * 7919 + k;
			res = shrike_eval(&t, r, fetch, &z);
			if (res < SHRIKE_V_FALSE || res > SHRIKE_V_UNKNOWN)
				abort();
		}
	}
	free(buf);
	return 0;
}
