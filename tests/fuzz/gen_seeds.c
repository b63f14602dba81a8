/* gen_seeds.c - writes the fuzzer's seed corpus: a few valid tables from the
 * builder that between them use every opcode, every comparison on every
 * type the verifier accepts, CIDR sets, captures and tags.
 *
 *   gcc -std=gnu11 -I. tests/fuzz/gen_seeds.c compiler/tablebuf.c \
 *       kmod/common/[every .c] -o /tmp/gen_seeds && /tmp/gen_seeds tests/fuzz/corpus_verify */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmod/common/table.h"
#include "compiler/tablebuf.h"

static int field_of(int type, int source, int argkind)
{
	int i;

	for (i = 0; i < __SHRIKE_F_MAX; i++)
		if (shrike_fields[i].type == type && shrike_fields[i].source == source &&
		    (argkind < 0 || shrike_fields[i].argkind == argkind))
			return i;
	return -1;
}

static void write_table(struct tablebuf *tb, const char *dir, const char *name)
{
	struct shrike_table t;
	struct shrike_verr e;
	char path[512];
	void *buf;
	size_t len;
	FILE *f;

	if (tb_serialize(tb, &buf, &len)) {
		fprintf(stderr, "%s: serialize failed\n", name);
		exit(1);
	}
	if (shrike_table_verify(buf, len, &t, &e)) {
		fprintf(stderr, "%s: %s\n", name, e.msg);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	free(buf);
	tb_free(tb);
}

/*
 * One rule: TESTs folded left with alternating and/or, each right-hand side
 * behind the short-circuit jump a compiler emits, some negated, plus a
 * nested (x and (y or unknown)) group to give the stack some depth.
 */
static void rule(struct tablebuf *tb, const char *name, int source, int flags,
		 const long (*tests)[4], int n)
{
	struct tb_rule r;
	long first = tb_ninsns(tb), j, j2;
	int i;

#define TESTI(k) tb_insn(tb, SHRIKE_OP_TEST, tests[k][0], tests[k][1], tests[k][2], tests[k][3])
	TESTI(0);
	for (i = 1; i < n; i++) {
		int is_and = i % 2;

		j = tb_insn(tb, is_and ? SHRIKE_OP_JF : SHRIKE_OP_JT, 0, 0, 0, 0);
		TESTI(i);
		if (i % 3 == 0)
			tb_insn(tb, SHRIKE_OP_NOT, 0, 0, 0, 0);
		if (i % 4 == 1) {
			j2 = tb_insn(tb, SHRIKE_OP_JT, 0, 0, 0, 0);
			tb_insn(tb, SHRIKE_OP_PUSH, 0, 0, 0, SHRIKE_V_UNKNOWN);
			tb_insn(tb, SHRIKE_OP_OR, 0, 0, 0, 0);
			tb_patch_jump(tb, j2, tb_ninsns(tb));
		}
		tb_insn(tb, is_and ? SHRIKE_OP_AND : SHRIKE_OP_OR, 0, 0, 0, 0);
		tb_patch_jump(tb, j, tb_ninsns(tb));
	}
#undef TESTI
	tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
	memset(&r, 0, sizeof(r));
	r.name = name;
	r.desc = "seed rule";
	r.output = "%proc.name did something";
	r.prog = first;
	r.prog_len = tb_ninsns(tb) - first;
	r.source = source;
	r.priority = SHRIKE_PRI_WARNING;
	r.flags = SHRIKE_RF_ENABLED | flags;
	r.evtypes[0] = 1u << SHRIKE_EVT_EXECVE;
	tb_rule(tb, &r);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus_verify";
	struct tablebuf *tb;
	int fu = field_of(SHRIKE_T_U64, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fs = field_of(SHRIKE_T_S64, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fb = field_of(SHRIKE_T_BOOL, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fip = field_of(SHRIKE_T_IPADDR, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fnet = field_of(SHRIKE_T_IPNET, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NONE);
	int fl = field_of(SHRIKE_T_STRLIST, SHRIKE_SRC_K8S_AUDIT, -1);
	int fk = field_of(SHRIKE_T_STR, SHRIKE_SRC_K8S_AUDIT, SHRIKE_ARGK_NONE);
	int fname = field_of(SHRIKE_T_STR, SHRIKE_SRC_SYSCALL, SHRIKE_ARGK_NAME);

	/* 1: empty. */
	write_table(tb_new(), dir, "empty");

	/* 2: strings, every string comparison. */
	{
		struct tb_bytes sh[] = { { "bash", 4 }, { "sh", 2 }, { "zsh", 3 }, { "dash", 4 } };
		struct tb_bytes paths[] = { { "/usr/bin", 8 }, { "/etc/", 5 }, { "/", 1 } };
		long s_bash, s_glob, s_set, s_paths, s_bin;

		tb = tb_new();
		s_bash = tb_cstring(tb, "bash");
		s_glob = tb_cstring(tb, "*[a-c]?h[!x]*");
		s_bin = tb_string(tb,
				  "\x7f"
				  "ELF\0",
				  5);
		s_set = tb_set(tb, sh, 4);
		s_paths = tb_set(tb, paths, 3);
		{
			const long t[][4] = {
				{ SHRIKE_CMP_EQ, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, s_bash },
				{ SHRIKE_CMP_NE, SHRIKE_F_EVT_TYPE, SHRIKE_ARG_NONE, s_bash },
				{ SHRIKE_CMP_CONTAINS, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE,
				  s_bash },
				{ SHRIKE_CMP_ICONTAINS, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE,
				  s_bash },
				{ SHRIKE_CMP_BCONTAINS, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE,
				  s_bin },
				{ SHRIKE_CMP_STARTSWITH, SHRIKE_F_PROC_ANAME, 2, s_bash },
				{ SHRIKE_CMP_BSTARTSWITH, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE,
				  s_bin },
				{ SHRIKE_CMP_ENDSWITH, SHRIKE_F_PROC_ANAME, SHRIKE_ARG_NONE,
				  s_bash },
				{ SHRIKE_CMP_GLOB, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, s_glob },
				{ SHRIKE_CMP_IGLOB, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, s_glob },
				{ SHRIKE_CMP_PMATCH, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, s_paths },
				{ SHRIKE_CMP_IN, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, s_set },
				{ SHRIKE_CMP_INTERSECTS, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE,
				  s_set },
				{ SHRIKE_CMP_EXISTS, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, 0 },
				{ SHRIKE_CMP_REGEX, SHRIKE_F_PROC_NAME, SHRIKE_ARG_NONE, s_glob },
				{ SHRIKE_CMP_EQ, SHRIKE_F_USER_NAME, SHRIKE_ARG_NONE, s_bash },
			};

			rule(tb, "strings", SHRIKE_SRC_SYSCALL, SHRIKE_RF_NEEDS_AGENT, t, 16);
		}
		if (fname >= 0) {
			const long t[][4] = {
				{ SHRIKE_CMP_EQ, fname, s_bash, s_bash },
			};

			rule(tb, "named arg", SHRIKE_SRC_SYSCALL, SHRIKE_RF_NEEDS_AGENT, t, 1);
		}
		write_table(tb, dir, "strings");
	}

	/* 3: numbers and addresses. */
	if (fu >= 0 && fs >= 0 && fb >= 0 && fip >= 0 && fnet >= 0) {
		struct tb_bytes ports[] = { { "22", 2 }, { "443", 3 }, { "-1", 2 } };
		struct tb_cidr nets[] = {
			{ .family = 4, .prefix = 8, .addr = { 10 } },
			{ .family = 6, .prefix = 7, .addr = { 0xfc } },
			{ .family = 4, .prefix = 32, .addr = { 127, 0, 0, 1 } },
		};
		long i5, i0, i1, ineg, sp, cs;

		tb = tb_new();
		tb_set_flags(tb, SHRIKE_TF_MATCH_ALL);
		i5 = tb_int(tb, 5);
		i0 = tb_int(tb, 0);
		i1 = tb_int(tb, 1);
		ineg = tb_int(tb, (uint64_t)-13);
		sp = tb_set(tb, ports, 3);
		cs = tb_cidr_set(tb, nets, 3);
		{
			const long t[][4] = {
				{ SHRIKE_CMP_EQ, fu, SHRIKE_ARG_NONE, i5 },
				{ SHRIKE_CMP_LT, fu, SHRIKE_ARG_NONE, i5 },
				{ SHRIKE_CMP_GE, fs, SHRIKE_ARG_NONE, ineg },
				{ SHRIKE_CMP_IN, fu, SHRIKE_ARG_NONE, sp },
				{ SHRIKE_CMP_IN, fs, SHRIKE_ARG_NONE, sp },
				{ SHRIKE_CMP_EQ, fb, SHRIKE_ARG_NONE, i1 },
				{ SHRIKE_CMP_NE, fb, SHRIKE_ARG_NONE, i0 },
				{ SHRIKE_CMP_IN, fip, SHRIKE_ARG_NONE, cs },
				{ SHRIKE_CMP_EQ, fnet, SHRIKE_ARG_NONE, cs },
				{ SHRIKE_CMP_NE, fip, SHRIKE_ARG_NONE, cs },
				{ SHRIKE_CMP_GT, fs, SHRIKE_ARG_NONE, i0 },
				{ SHRIKE_CMP_LE, fu, SHRIKE_ARG_NONE, i1 },
			};
			struct tb_capture caps[] = { { fu, SHRIKE_ARG_NONE },
						     { SHRIKE_F_PROC_ANAME, 3 } };
			const char *tags[] = { "network", "mitre_discovery" };
			struct tb_rule r;

			rule(tb, "numbers", SHRIKE_SRC_SYSCALL, 0, t, 12);
			/* The same program again, with captures and tags. */
			r = (struct tb_rule){ 0 };
			r.name = "numbers with captures";
			r.desc = "d";
			r.output = "o";
			r.prog = tb_ninsns(tb);
			tb_insn(tb, SHRIKE_OP_TEST, SHRIKE_CMP_IN, fip, SHRIKE_ARG_NONE, cs);
			tb_insn(tb, SHRIKE_OP_NOT, 0, 0, 0, 0);
			tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
			r.prog_len = 3;
			r.flags = SHRIKE_RF_ENABLED | SHRIKE_RF_ALL_EVENTS;
			r.captures = caps;
			r.ncaptures = 2;
			r.tags = tags;
			r.ntags = 2;
			tb_rule(tb, &r);
		}
		write_table(tb, dir, "numbers");
	}

	/* 4: k8s audit, string lists. */
	if (fl >= 0 && fk >= 0) {
		struct tb_bytes imgs[] = { { "nginx", 5 }, { "redis:7", 7 } };
		long si, sv;

		tb = tb_new();
		si = tb_set(tb, imgs, 2);
		sv = tb_cstring(tb, "create");
		{
			const long t[][4] = {
				{ SHRIKE_CMP_EQ, fk, SHRIKE_ARG_NONE, sv },
				{ SHRIKE_CMP_IN, fl,
				  shrike_fields[fl].argkind == SHRIKE_ARGK_NONE ? SHRIKE_ARG_NONE
										: 0,
				  si },
				{ SHRIKE_CMP_INTERSECTS, fl,
				  shrike_fields[fl].argkind == SHRIKE_ARGK_NONE ? SHRIKE_ARG_NONE
										: 0,
				  si },
				{ SHRIKE_CMP_CONTAINS, fl,
				  shrike_fields[fl].argkind == SHRIKE_ARGK_NONE ? SHRIKE_ARG_NONE
										: 0,
				  sv },
			};

			rule(tb, "k8s", SHRIKE_SRC_K8S_AUDIT, SHRIKE_RF_NEEDS_AGENT, t, 4);
		}
		write_table(tb, dir, "k8s");
	}
	return 0;
}
