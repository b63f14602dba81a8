/* test_optimize.c - compiling for the bucket (compiler/optimize.c): evt.type
 * and evt.dir tests folded against the rule's event-type set and direction,
 * and/or operands ordered by cost; exact programs; the cost table against
 * the field registry and the kernel's syscall layouts; and, for every rule
 * file at hand (../shared/falco/, rules/), the same decision with and
 * without the optimisation on random events (equiv.h). Its test cases are
 * part of the compile suite. */
#define _GNU_SOURCE
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "lib/fields.h"
#include "compiler/loader.h"
#include "compiler/optimize.h"
#include "kmod/common/table.h"
#include "tests/unit/equiv.h"
#include "tests/unit/compile_helpers.h"

/* ---- what the program computes --------------------------------------------- */

struct prog_case {
	const char *cond;
	const char *prog; /* ast_to_string of the plan's prog */
};

static const struct prog_case prog_cases[] = {
	/* The bucket decides evt.type and evt.dir. */
	{ "evt.type = open and proc.name = x", "proc.name = x" },
	{ "evt.type in (open, openat) and evt.type = open and proc.name = x", "proc.name = x" },
	{ "evt.type in (open, openat) and evt.type != close", "true" },
	{ "evt.type = open and not evt.type = openat and proc.name = x", "proc.name = x" },
	{ "evt.type != open and proc.name = x", "proc.name = x" },
	{ "evt.type in (open, openat) and evt.type startswith open and evt.type glob \"open*\" and "
	  "evt.type icontains OPEN and evt.type exists",
	  "true" },
	{ "evt.dir = < and evt.type = ptrace and proc.name = a", "proc.name = a" },
	{ "evt.type = setuid and evt.dir = > and proc.name = a", "proc.name = a" },
	{ "evt.type = ptrace and (evt.dir = > or proc.name = a)", "proc.name = a" },
	{ "evt.type = ptrace and not evt.dir = > and proc.name = a", "proc.name = a" },
	/* Not decided: the types differ on it, or the operator is not one
	 * decided at compile time. */
	{ "(evt.type = open and proc.name = a) or (evt.type = unlink and proc.name = b)",
	  "((evt.type = open and proc.name = a) or (evt.type = unlink and proc.name = b))" },
	{ "evt.type in (open, openat) and (evt.type = openat or proc.name = x)",
	  "(evt.type = openat or proc.name = x)" },
	{ "evt.type in (open, openat) and evt.type regex \"open.*\"", "evt.type regex open.*" },
	{ "evt.type in (open, openat) and evt.type bcontains 6f70", "evt.type bcontains 6f70" },
	{ "evt.type in (open, openat) and syscall.type = open", "syscall.type = open" },
	/* Cheapest first (of equally selective tests), stable among equals. */
	{ "evt.type = open and user.name = root and proc.aname = sshd and container.id = x and "
	  "proc.cmdline = c and fd.type = file and fd.name = /x and proc.name = y and evt.rawres >= 0",
	  "(evt.rawres >= 0 and proc.name = y and fd.name = /x and fd.type = file and proc.cmdline = c "
	  "and container.id = x and proc.aname = sshd and user.name = root)" },
	{ "evt.type = open and (proc.aname[2] = a or proc.name = b or user.uid = 0)",
	  "(proc.name = b or user.uid = 0 or proc.aname[2] = a)" },
	{ "evt.type = open and proc.pid = 1 and proc.name = a and user.uid = 0",
	  "(proc.pid = 1 and proc.name = a and user.uid = 0)" },
	/* Nested chains of one kind are one chain. */
	{ "evt.type = open and fd.name = a and (proc.name = b and (fd.name = c and evt.rawres = 0))",
	  "(evt.rawres = 0 and proc.name = b and fd.name = a and fd.name = c)" },
	/* A subtree costs what its comparisons are expected to cost, and
	 * stops a chain as likely as they make it: an exception (not (a and
	 * b)) nearly never stops an "and". */
	{ "evt.type = open and (fd.name = a or proc.aname = b) and not (proc.name = c and "
	  "evt.rawres = 0) and fd.name = d",
	  "(fd.name = d and not (evt.rawres = 0 and proc.name = c) and "
	  "(fd.name = a or proc.aname = b))" },
	/* A selective path test before a negated list of the class below,
	 * which nearly always holds; a flag before either. */
	{ "evt.type = open and not proc.name in (a, b) and fd.name startswith /etc and "
	  "evt.is_open_write = true",
	  "(evt.is_open_write = true and fd.name startswith /etc and not proc.name in (a, b))" },
	{ "evt.type = open and (proc.name != a or fd.name = b or proc.pid = 1)",
	  "(proc.name != a or proc.pid = 1 or fd.name = b)" },
	/* Level 0 is the process itself; positional and uid arguments are
	 * UNKNOWN in the kernel; path arguments are copied from user memory;
	 * flags rendered as names cost what an fd lookup does. */
	{ "evt.type = open and evt.arg.uid = root and evt.arg[1] = x and proc.aname[1] = a and "
	  "evt.arg.name = /x and proc.aname[0] = b and evt.arg.flags contains O_RDWR",
	  "(proc.aname[0] = b and evt.arg.name = /x and evt.arg.flags contains O_RDWR and "
	  "proc.aname[1] = a and evt.arg.uid = root and evt.arg[1] = x)" },
	{ "evt.type = open and proc.name regex \"a.*\" and proc.cmdline = x",
	  "(proc.cmdline = x and proc.name regex a.*)" },
};

START_TEST(programs)
{
	const struct prog_case *c = &prog_cases[_i];
	struct compile_opts o0 = { .no_opt = true };
	struct rule_plan p, p0;
	struct diag_list dl;
	struct ruleset *rs;
	char *yaml, *s, *f;

	ck_assert_int_ge(asprintf(&yaml, RULE("R", "%s") "  warn_evttypes: false\n", c->cond), 0);
	rs = load(yaml);
	diag_list_init(&dl);
	ck_assert_int_eq(plan_rule(&rs->rules[0], &p, &dl), 0);
	s = ast_to_string(p.prog);
	ck_assert_msg(!strcmp(s, c->prog), "%s:\n  got  %s\n  want %s", c->cond, s, c->prog);
	free(s);
	/* -O0: the condition as written (folded). */
	ck_assert_int_eq(plan_rule_opts(&rs->rules[0], &o0, &p0, &dl), 0);
	s = ast_to_string(p0.prog);
	f = ast_to_string(p0.folded);
	ck_assert_str_eq(s, f);
	ck_assert(!p0.ordered && !p0.bucket_folded);
	/* The same event types and direction either way. */
	ck_assert(!memcmp(p.evtypes, p0.evtypes, sizeof(p.evtypes)));
	ck_assert_int_eq(p.entry, p0.entry);
	ck_assert_int_eq(dl.nerrors, 0);
	free(s);
	free(f);
	plan_free(&p);
	plan_free(&p0);
	diag_list_free(&dl);
	ruleset_free(rs);
	free(yaml);
}
END_TEST

/* A rule no event of its types and direction can satisfy runs on none. */
START_TEST(never_in_bucket)
{
	struct ruleset *rs =
		load(RULE("R", "evt.type = ptrace and evt.dir = > and evt.dir = <")
			     RULE("S", "evt.type = open and (evt.dir = > or evt.type = close)"));
	struct compile_opts o0 = { .no_opt = true };
	struct rule_plan p;
	struct diag_list dl;
	char *why;

	diag_list_init(&dl);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(plan_rule(&rs->rules[i], &p, &dl), 0);
		ck_assert(p.never && p.never_in_bucket);
		ck_assert(!p.all_events && !p.entry);
		for (int w = 0; w < SHRIKE_EVT_BITMAP_WORDS; w++)
			ck_assert_uint_eq(p.evtypes[w], 0);
		why = plan_reason(&rs->rules[i], &p);
		ck_assert_str_eq(
			why,
			"the condition is false on every event of its event types and direction");
		free(why);
		plan_free(&p);
		ck_assert_int_eq(plan_rule_opts(&rs->rules[i], &o0, &p, &dl), 0);
		ck_assert(!p.never && !p.never_in_bucket);
		plan_free(&p);
	}
	ck_assert_int_eq(dl.n, 0);
	diag_list_free(&dl);
	ruleset_free(rs);
}
END_TEST

/* k8s_audit rules are left as written. */
START_TEST(k8s_audit_untouched)
{
	struct ruleset *rs =
		load("- rule: K\n  desc: d\n  output: o\n  priority: INFO\n"
		     "  source: k8s_audit\n  condition: jevt.value[/a] = x and ka.verb = create\n");
	struct rule_plan p;
	struct diag_list dl;
	char *s;

	diag_list_init(&dl);
	ck_assert_int_eq(plan_rule(&rs->rules[0], &p, &dl), 0);
	s = ast_to_string(p.prog);
	ck_assert_str_eq(s, "(jevt.value[/a] = x and ka.verb = create)");
	ck_assert(!p.ordered && !p.bucket_folded);
	free(s);
	plan_free(&p);
	diag_list_free(&dl);
	ruleset_free(rs);
}
END_TEST

/* ---- exact programs ---------------------------------------------------------- */

static void compile_ok(struct compiled *c, const char *yaml, bool no_opt)
{
	struct compile_opts o = { .no_opt = no_opt };

	compile_verified(c, yaml, &o);
}

/* Rule i's program, one instruction a line: "test fd.name startswith /etc",
 * "jf 7" (the target), "and", ... */
static char *prog_text(const struct shrike_table *t, u32 ri)
{
	static const char *const ops[] = { "test", "push", "not", "and", "or", "jf", "jt", "ret" };
	const struct shrike_rule *r = &t->rules[ri];
	u32 first = le32_to_cpu(r->prog), n = le32_to_cpu(r->prog_len), i, len;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);

	for (i = 0; i < n; i++) {
		const struct shrike_insn *in = &t->insns[first + i];
		u16 field = le16_to_cpu(in->field), arg = le16_to_cpu(in->arg);
		u16 opnd = le16_to_cpu(in->operand);
		const struct field_info *fi = field_at(field);
		const char *s;

		fprintf(f, "%s", ops[in->op]);
		if (in->op == SHRIKE_OP_JF || in->op == SHRIKE_OP_JT)
			fprintf(f, " %u", i + 1 + opnd);
		if (in->op == SHRIKE_OP_PUSH)
			fprintf(f, " %u", opnd);
		if (in->op == SHRIKE_OP_TEST) {
			fprintf(f, " %s", fi->name);
			if (arg != SHRIKE_ARG_NONE && fi->argkind == SHRIKE_ARGK_INDEX) {
				fprintf(f, "[%u]", arg);
			} else if (arg != SHRIKE_ARG_NONE) {
				s = shrike_str_at(t, arg, &len);
				fprintf(f, "[%.*s]", (int)len, s);
			}
			fprintf(f, " %s", ast_op_str(in->cmp));
			if (in->cmp == SHRIKE_CMP_IN || in->cmp == SHRIKE_CMP_PMATCH) {
				fprintf(f, " (%u)", le32_to_cpu(t->sets[opnd].count));
			} else if (fi->type == SHRIKE_T_STR) {
				s = shrike_str_at(t, opnd, &len);
				fprintf(f, " %.*s", (int)len, s);
			} else if (in->cmp != SHRIKE_CMP_EXISTS) {
				fprintf(f, " %lld", (long long)le64_to_cpu(t->ints[opnd]));
			}
		}
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}

/* Two small rules, as Falco's 'Write below etc' and a setuid rule at entry
 * are built: without the optimisation the program starts with evt.type (and
 * evt.dir); with it they are gone and the cheap tests come first. A FALSE
 * (TRUE) leaves an "and" ("or") chain in one jump. */
START_TEST(exact_programs)
{
	static const char yaml[] =
		RULE("Write below etc",
		     "evt.type in (open, openat, openat2) and fd.name startswith /etc and "
		     "not proc.name in (vi, vim) and evt.is_open_write = true")
			RULE("Setuid by a shell",
			     "evt.type = setuid and evt.dir = > and user.name != root and "
			     "proc.aname[2] = sshd and evt.rawarg.uid = 0")
				RULE("Shells",
				     "evt.type = execve and (proc.name = sh or proc.name = bash or "
				     "proc.name = zsh)");
	struct compiled c0, c1;
	char *s;

	compile_ok(&c0, yaml, true);
	compile_ok(&c1, yaml, false);

	s = prog_text(&c0.t, 0);
	ck_assert_str_eq(s, "test evt.type in (3)\n"
			    "jf 4\n"
			    "test fd.name startswith /etc\n"
			    "and\n"
			    "jf 8\n"
			    "test proc.name in (2)\n"
			    "not\n"
			    "and\n"
			    "jf 11\n"
			    "test evt.is_open_write = 1\n"
			    "and\n"
			    "ret\n");
	free(s);
	s = prog_text(&c1.t, 0);
	ck_assert_str_eq(s, "test evt.is_open_write = 1\n"
			    "jf 8\n"
			    "test fd.name startswith /etc\n"
			    "and\n"
			    "jf 8\n"
			    "test proc.name in (2)\n"
			    "not\n"
			    "and\n"
			    "ret\n");
	free(s);

	s = prog_text(&c0.t, 1);
	ck_assert_str_eq(s, "test evt.type = setuid\n"
			    "jf 4\n"
			    "test evt.dir = >\n"
			    "and\n"
			    "jf 7\n"
			    "test user.name != root\n"
			    "and\n"
			    "jf 10\n"
			    "test proc.aname[2] = sshd\n"
			    "and\n"
			    "jf 13\n"
			    "test evt.rawarg[uid] = 0\n"
			    "and\n"
			    "ret\n");
	free(s);
	s = prog_text(&c1.t, 1);
	ck_assert_str_eq(s, "test evt.rawarg[uid] = 0\n"
			    "jf 7\n"
			    "test proc.aname[2] = sshd\n"
			    "and\n"
			    "jf 7\n"
			    "test user.name != root\n"
			    "and\n"
			    "ret\n");
	free(s);

	s = prog_text(&c0.t, 2);
	ck_assert_str_eq(s, "test evt.type = execve\n"
			    "jf 10\n"
			    "test proc.name = sh\n"
			    "jt 6\n"
			    "test proc.name = bash\n"
			    "or\n"
			    "jt 9\n"
			    "test proc.name = zsh\n"
			    "or\n"
			    "and\n"
			    "ret\n");
	free(s);
	s = prog_text(&c1.t, 2);
	ck_assert_str_eq(s, "test proc.name = sh\n"
			    "jt 7\n"
			    "test proc.name = bash\n"
			    "or\n"
			    "jt 7\n"
			    "test proc.name = zsh\n"
			    "or\n"
			    "ret\n");
	free(s);
	/* Same flags and event types; the entry rule still at entry. */
	for (u32 i = 0; i < 3; i++) {
		ck_assert_int_eq(c0.t.rules[i].flags, c1.t.rules[i].flags);
		ck_assert(!memcmp(c0.t.rules[i].evtypes, c1.t.rules[i].evtypes,
				  sizeof(c0.t.rules[i].evtypes)));
	}
	ck_assert(le16_to_cpu(c1.t.rules[1].flags) & SHRIKE_RF_ENTRY);
	compiled_free(&c0);
	compiled_free(&c1);
}
END_TEST

/* ---- the same diagnostics ---------------------------------------------------------- */

/* A rule is refused or accepted as written: an error in a part the bucket
 * folds away is still reported, once, and the length limit is the written
 * program's. */
START_TEST(same_diagnostics)
{
	static const char *const yamls[] = {
		RULE("R", "evt.type = open or (evt.dir = > and fd.sport = http)"),
		RULE("R",
		     "evt.type = open and (evt.dir = < or proc.aname[99999] = a) and user.name = x"),
		RULE("R", "evt.type = open and (evt.type = open or fd.sip = 10.0.0.300)"),
		RULE("R", "evt.type = open and (evt.dir = > and evt.num = 0x)"),
		RULE("R", "evt.type = open and (evt.type = open or evt.type < 3)"),
		RULE("R",
		     "(evt.type = open or proc.name = x) and evt.dir = <") "  warn_evttypes: true\n",
	};

	for (size_t i = 0; i < sizeof(yamls) / sizeof(yamls[0]); i++) {
		struct compile_opts o[2] = { { .no_opt = true }, { .no_opt = false } };
		struct ruleset *rs = ruleset_new();
		struct diag_list dl[2];
		void *out[2] = { NULL, NULL };
		size_t len;
		int rc[2];
		char *t[2];

		ruleset_load_string(rs, "t.yaml", yamls[i], strlen(yamls[i]));
		ruleset_finish(rs);
		for (int k = 0; k < 2; k++) {
			diag_list_init(&dl[k]);
			rc[k] = compile_ruleset(rs, &o[k], &out[k], &len, &dl[k]);
			t[k] = diag_lines(&dl[k]);
		}
		ck_assert_msg(rc[0] == rc[1] && !strcmp(t[0], t[1]), "%s: -O0 %d\n%s-O1 %d\n%s",
			      yamls[i], rc[0], t[0], rc[1], t[1]);
		ck_assert_msg(i == 5 ? rc[0] == 0 : rc[0] < 0, "%s", yamls[i]);
		for (int k = 0; k < 2; k++) {
			free(t[k]);
			free(out[k]);
			diag_list_free(&dl[k]);
		}
		ruleset_free(rs);
	}
}
END_TEST

/* Ordering never makes a program need more stack than the verifier
 * allows: the chains then keep their order. */
START_TEST(stack_limit)
{
	/* An expensive operand 32 levels deep, then cheap ones: as written
	 * the program needs 32 entries; cheap first it would need 33. */
	char *deep = strdup("proc.aname = z"), *t, *yaml;
	struct ruleset *rs;
	struct rule_plan p;
	struct diag_list dl;
	struct compiled c;

	for (int i = 0; i < 31; i++) {
		ck_assert_int_ge(
			asprintf(&t, "proc.aname = a%d %s (%s)", i, i % 2 ? "and" : "or", deep), 0);
		free(deep);
		deep = t;
	}
	ck_assert_int_ge(
		asprintf(&yaml, RULE("R", "(%s) and evt.type = open and evt.rawres = 0"), deep), 0);
	rs = load(yaml);
	diag_list_init(&dl);
	ck_assert_int_eq(plan_rule(&rs->rules[0], &p, &dl), 0);
	ck_assert_uint_eq(opt_stack_need(p.folded), SHRIKE_MAX_STACK);
	ck_assert_uint_eq(opt_stack_need(p.prog), SHRIKE_MAX_STACK);
	ck_assert(!p.ordered);
	ck_assert(p.bucket_folded);
	plan_free(&p);
	diag_list_free(&dl);
	ruleset_free(rs);
	compile_ok(&c, yaml, false);
	compiled_free(&c);
	free(yaml);
	free(deep);
}
END_TEST

/* ---- the cost table ----------------------------------------------------------------- */

/* Every kernel field of the syscall source has its class, and only those. */
START_TEST(cost_table_complete)
{
	for (size_t i = 0; i < fields_count(); i++) {
		const struct field_info *fi = field_at(i);
		bool kernel = fi->where == SHRIKE_W_KERNEL && fi->source == SHRIKE_SRC_SYSCALL;

		ck_assert_msg(
			(opt_field_cost(fi->id) >= 0) == kernel,
			"%s: cost class %d (kernel field: %d): list it in optimize.c's field_costs",
			fi->name, opt_field_cost(fi->id), kernel);
	}
	ck_assert_str_eq(opt_cost_name(OPT_COST_EVENT), "event");
	ck_assert_str_eq(opt_cost_name(OPT_COST_USERSPACE), "userspace");
}
END_TEST

/* evt.arg.NAME reads user memory for the names some syscall of
 * kmod/syscalls.c has as a path, string, sockaddr or argv: those cost a
 * copy, the others a register. */
START_TEST(cost_user_args)
{
	FILE *f = fopen("kmod/syscalls.c", "r");
	char line[1024];
	int user = 0, other = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		while ((p = strstr(p, "P(\""))) {
			char name[64], kind[32];

			if (sscanf(p, "P(\"%63[a-z0-9_]\", %31[A-Z_]", name, kind) == 2) {
				bool reads = !strcmp(kind, "PATH") || !strcmp(kind, "STR") ||
					     !strcmp(kind, "SOCKADDR") || !strcmp(kind, "ARGV");

				if (reads) {
					ck_assert_msg(
						opt_arg_reads_user(name),
						"evt.arg.%s is a %s in kmod/syscalls.c: add it to "
						"optimize.c's user_args",
						name, kind);
					user++;
				} else {
					other++;
				}
			}
			p += 3;
		}
	}
	fclose(f);
	ck_assert_int_gt(user, 50);
	ck_assert_int_gt(other, 100);
	ck_assert(!opt_arg_reads_user("flags"));
	ck_assert(!opt_arg_reads_user("request"));
	/* Sorted, for the binary search. */
	ck_assert(opt_arg_reads_user("addr") && opt_arg_reads_user("uargs"));
}
END_TEST

/* ---- every rule file: the same decisions ------------------------------------------ */

#define FALCO_DIR	"../shared/falco/"
#define EVENTS_PER_RULE 3000

/* Compiles path both ways: the same diagnostics, tables that verify, and
 * the same result for every rule on every random event. */
static void equivalent_file(const char *path)
{
	struct compile_opts o[2] = { { .no_opt = true }, { .no_opt = false } };
	struct ruleset *rs = ruleset_new();
	struct shrike_table t[2];
	struct equiv_stats st = { 0 };
	struct shrike_verr e;
	struct diag_list dl[2];
	void *out[2];
	size_t len[2];
	char err[512], *d[2];
	uint32_t ninsns[2];

	ruleset_load_path(rs, path);
	ruleset_finish(rs);
	ck_assert_msg(!ruleset_errors(rs), "%s does not load", path);
	for (int k = 0; k < 2; k++) {
		diag_list_init(&dl[k]);
		ck_assert_int_eq(compile_ruleset(rs, &o[k], &out[k], &len[k], &dl[k]), 0);
		ck_assert_msg(shrike_table_verify(out[k], (u32)len[k], &t[k], &e) == 0, "%s",
			      e.msg);
		d[k] = diag_lines(&dl[k]);
		ninsns[k] = t[k].ninsns;
	}
	ck_assert_str_eq(d[0], d[1]);
	if (equiv_check(&t[0], &t[1], rs->rules, rs->nrules, EVENTS_PER_RULE, equiv_mix(len[0]),
			&st, err, sizeof(err)))
		ck_abort_msg("%s: %s", path, err);
	ck_assert_uint_le(ninsns[1], ninsns[0]);
	printf("optimize: %s: %zu rules, %lu events (%lu true, %lu unknown), %u -> %u insns, "
	       "%.2f -> %.2f comparisons an event\n",
	       path, rs->nrules, st.events, st.results[1], st.results[2], ninsns[0], ninsns[1],
	       st.events ? (double)st.fetches[0] / st.events : 0.0,
	       st.events ? (double)st.fetches[1] / st.events : 0.0);
	for (int k = 0; k < 2; k++) {
		free(out[k]);
		free(d[k]);
		diag_list_free(&dl[k]);
	}
	ruleset_free(rs);
}

static glob_t rule_files;

static void find_rule_files(void)
{
	size_t i, k;

	if (rule_files.gl_pathc)
		return;
	ck_assert_int_eq(glob(FALCO_DIR "*.yaml", 0, NULL, &rule_files), 0);
	ck_assert_int_eq(glob("rules/*.yaml", GLOB_APPEND, NULL, &rule_files), 0);
	/* falco.0.31.0.yaml is Falco's configuration, not rules. */
	for (i = k = 0; i < rule_files.gl_pathc; i++)
		if (strstr(rule_files.gl_pathv[i], "rules"))
			rule_files.gl_pathv[k++] = rule_files.gl_pathv[i];
	rule_files.gl_pathc = k;
	ck_assert_uint_ge(k, 8);
}

START_TEST(equivalent_rule_files)
{
	find_rule_files();
	for (size_t i = 0; i < rule_files.gl_pathc; i++)
		equivalent_file(rule_files.gl_pathv[i]);
}
END_TEST

/* The checker finds a program that decides differently. */
START_TEST(equivalence_checker_bites)
{
	struct compiled a, b;
	struct equiv_stats st = { 0 };
	char err[512];

	compile_ok(&a, RULE("R", "evt.type = open and (proc.name = a or fd.name startswith /etc)"),
		   true);
	compile_ok(&b, RULE("R", "evt.type = open and (proc.name = a or fd.name startswith /et)"),
		   false);
	ck_assert_int_eq(
		equiv_check(&a.t, &b.t, a.rs->rules, a.rs->nrules, 2000, 1, &st, err, sizeof(err)),
		-1);
	ck_assert_msg(strstr(err, "rule 'R': event "), "%s", err);
	compiled_free(&b);
	/* and an UNKNOWN for a FALSE */
	compile_ok(&b,
		   RULE("R", "evt.type = open and (proc.name = a or fd.name startswith /etc) and "
			     "not user.name exists"),
		   false);
	ck_assert_int_eq(
		equiv_check(&a.t, &b.t, a.rs->rules, a.rs->nrules, 2000, 1, &st, err, sizeof(err)),
		-1);
	compiled_free(&b);
	compile_ok(&b, RULE("R", "evt.type = open and (fd.name startswith /etc or proc.name = a)"),
		   false);
	ck_assert_int_eq(
		equiv_check(&a.t, &b.t, a.rs->rules, a.rs->nrules, 2000, 1, &st, err, sizeof(err)),
		0);
	compiled_free(&b);
	compiled_free(&a);
}
END_TEST

void optimize_tcases(Suite *s);

void optimize_tcases(Suite *s)
{
	TCase *tc = tcase_create("optimize");

	tcase_add_loop_test(tc, programs, 0, sizeof(prog_cases) / sizeof(prog_cases[0]));
	tcase_add_test(tc, never_in_bucket);
	tcase_add_test(tc, k8s_audit_untouched);
	tcase_add_test(tc, exact_programs);
	tcase_add_test(tc, same_diagnostics);
	tcase_add_test(tc, stack_limit);
	tcase_add_test(tc, cost_table_complete);
	tcase_add_test(tc, cost_user_args);
	tcase_add_test(tc, equivalence_checker_bites);
	suite_add_tcase(s, tc);

	tc = tcase_create("optimize_equivalence");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, equivalent_rule_files);
	suite_add_tcase(s, tc);
}
