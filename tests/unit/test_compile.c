/* test_compile.c - the code generator: event-type sets as Falco computes
 * them, constant folding, the kernel/agent split and its reasons, operand
 * errors, captures and table flags, compiled programs run through the shared
 * verifier and evaluator, and Falco's own rule files compiling into tables
 * the kernel takes. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "lib/fields.h"
#include "compiler/loader.h"
#include "kmod/common/table.h"

/* The condition starts at line 5, column 14: error positions below count
 * from there. */
#define RULE(name, cond) \
	"- rule: " name "\n  desc: d\n  output: o\n  priority: INFO\n  condition: " cond "\n"

static struct ruleset *load(const char *yaml)
{
	struct ruleset *rs = ruleset_new();

	ck_assert_ptr_nonnull(rs);
	ruleset_load_string(rs, "t.yaml", yaml, strlen(yaml));
	ruleset_finish(rs);
	if (ruleset_errors(rs))
		diag_print_all(stderr, &rs->diags);
	ck_assert_int_eq(ruleset_errors(rs), 0);
	return rs;
}

/* "CODE line:col message" per diagnostic, one a line. */
static char *diag_lines(const struct diag_list *dl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; i < dl->n; i++)
		fprintf(f, "%s %d:%d %s\n", diag_code_str(dl->v[i].code), dl->v[i].loc.line,
			dl->v[i].loc.col, dl->v[i].msg);
	fclose(f);
	return buf;
}

#define EXPECT_DIAGS(dl, want)              \
	do {                                \
		char *_g = diag_lines(dl);  \
		ck_assert_str_eq(_g, want); \
		free(_g);                   \
	} while (0)

/* ---- plans ----------------------------------------------------------------- */

struct planned {
	struct ruleset *rs;
	const struct rule_def *r;
	struct rule_plan p;
	struct diag_list dl; /* plan_rule's warnings */
};

static void plan_of_opts(struct planned *pl, const char *yaml, const char *name,
			 const struct compile_opts *o)
{
	pl->rs = load(yaml);
	pl->r = ruleset_find_rule(pl->rs, name);
	ck_assert_ptr_nonnull(pl->r);
	diag_list_init(&pl->dl);
	ck_assert_int_eq(plan_rule_opts(pl->r, o, &pl->p, &pl->dl), 0);
}

static void plan_of(struct planned *pl, const char *yaml, const char *name)
{
	plan_of_opts(pl, yaml, name, NULL);
}

/* -A: the event-type sets exactly as Falco's resolver computes them, none
 * of the types Falco skips without -A left out. */
static const struct compile_opts all_events = { .all_events = true };

static void planned_free(struct planned *pl)
{
	plan_free(&pl->p);
	diag_list_free(&pl->dl);
	ruleset_free(pl->rs);
}

/* The bitmap of the named event types, NULL-terminated. */
static void bits_of(uint64_t *w, ...)
{
	const char *name;
	va_list ap;

	memset(w, 0, SHRIKE_EVT_BITMAP_WORDS * sizeof(*w));
	va_start(ap, w);
	while ((name = va_arg(ap, const char *))) {
		int id = evtype_lookup(name, strlen(name));

		ck_assert_msg(id >= 0, "no event type %s", name);
		w[id / 64] |= 1ull << (id % 64);
	}
	va_end(ap);
}

/* Every event type but the named ones. */
static void bits_except(uint64_t *w, ...)
{
	const char *name;
	va_list ap;

	memset(w, 0, SHRIKE_EVT_BITMAP_WORDS * sizeof(*w));
	for (size_t i = 0; i < evtypes_count(); i++)
		w[i / 64] |= 1ull << (i % 64);
	va_start(ap, w);
	while ((name = va_arg(ap, const char *))) {
		int id = evtype_lookup(name, strlen(name));

		ck_assert_msg(id >= 0, "no event type %s", name);
		w[id / 64] &= ~(1ull << (id % 64));
	}
	va_end(ap);
}

/* Readable on failure: the names of the types set. */
static char *bits_str(const uint64_t *w)
{
	char *buf = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&buf, &len);

	for (size_t i = 0; i < SHRIKE_EVT_BITMAP_WORDS * 64; i++)
		if ((w[i / 64] >> (i % 64)) & 1) {
			if (n++ < 8)
				fprintf(f, "%s ", i < evtypes_count() ? evtype_name(i) : "?");
		}
	fprintf(f, "(%zu types)", n);
	fclose(f);
	return buf;
}

static bool bits_eq_zero(const uint64_t *w)
{
	for (size_t i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		if (w[i])
			return false;
	return true;
}

#define EXPECT_BITS(got, want)                                                     \
	do {                                                                       \
		char *_g = bits_str(got), *_w = bits_str(want);                    \
		ck_assert_msg(!memcmp((got), (want), SHRIKE_EVT_BITMAP_WORDS * 8), \
			      "evtypes %s, want %s", _g, _w);                      \
		free(_g);                                                          \
		free(_w);                                                          \
	} while (0)

struct evt_case {
	const char *cond;
	int kind;
	const char *types[4];
};

enum { ONLY, EXCEPT, ALL }; /* the set is types, all but types, or all */

static const struct evt_case evt_cases[] = {
	{ "evt.type = open", ONLY, { "open" } },
	{ "evt.type in (open, openat)", ONLY, { "open", "openat" } },
	{ "evt.type != open", EXCEPT, { "open" } },
	{ "not evt.type = open", EXCEPT, { "open" } },
	{ "not evt.type in (open, openat)", EXCEPT, { "open", "openat" } },
	{ "evt.type in (open, openat) and evt.type in (openat, close)", ONLY, { "openat" } },
	{ "evt.type = open or evt.type = close", ONLY, { "open", "close" } },
	{ "evt.type = open and proc.name = x", ONLY, { "open" } },
	{ "proc.name = x and evt.type in (open, close)", ONLY, { "open", "close" } },
	{ "evt.type = open or proc.name = x", ALL, { NULL } },
	{ "not (evt.type = open and proc.name = x)", ALL, { NULL } },
	{ "not (evt.type = open or evt.type = close)", EXCEPT, { "open", "close" } },
	{ "evt.type = open and not evt.type = openat", ONLY, { "open" } },
	{ "not not evt.type = open", ONLY, { "open" } },
	{ "evt.type = open and evt.type = close", ONLY, { NULL } },
	{ "evt.type = open and (proc.name = a or evt.type = close)", ONLY, { "open" } },
	{ "proc.name = x", ALL, { NULL } },
};

START_TEST(evttype_sets)
{
	const struct evt_case *c = &evt_cases[_i];
	char *yaml;
	struct planned pl;
	uint64_t want[SHRIKE_EVT_BITMAP_WORDS];

	ck_assert_int_ge(asprintf(&yaml, RULE("R", "%s") "  warn_evttypes: false\n", c->cond), 0);
	plan_of_opts(&pl, yaml, "R", &all_events);
	if (c->kind != ONLY)
		bits_except(want, c->types[0], c->types[1], c->types[2], c->types[3], NULL);
	else
		bits_of(want, c->types[0], c->types[1], c->types[2], c->types[3], NULL);
	ck_assert_msg(!memcmp(pl.p.evtypes, want, sizeof(want)), "%s", c->cond);
	EXPECT_BITS(pl.p.evtypes, want);
	ck_assert_msg(pl.p.all_events == (c->kind == ALL), "%s: all_events %d", c->cond,
		      pl.p.all_events);
	ck_assert(!pl.p.never);
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);
	free(yaml);
}
END_TEST

/* Falco's W-NO-EVTTYPE: a rule that runs on every event warns, unless it
 * says warn_evttypes: false; a finite set, even a large one, does not. */
START_TEST(evttype_warning)
{
	struct planned pl;

	plan_of_opts(&pl, RULE("R", "proc.name = x"), "R", &all_events);
	ck_assert(pl.p.all_events);
	EXPECT_DIAGS(&pl.dl, "W-NO-EVTTYPE 1:3 rule matches too many evt.type values: it runs on "
			     "every event, which has a significant performance penalty\n");
	ck_assert_str_eq(pl.dl.v[0].item_name, "R");
	planned_free(&pl);

	/* Without -A too, though it then runs on all but the types Falco
	 * skips (evttype_skipped). */
	plan_of(&pl, RULE("R", "proc.name = x"), "R");
	ck_assert(!pl.p.all_events);
	EXPECT_DIAGS(&pl.dl, "W-NO-EVTTYPE 1:3 rule matches too many evt.type values: it runs on "
			     "every event, which has a significant performance penalty\n");
	planned_free(&pl);

	plan_of_opts(&pl, RULE("R", "proc.name = x") "  warn_evttypes: false\n", "R", &all_events);
	ck_assert(pl.p.all_events);
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);

	plan_of(&pl, RULE("R", "evt.type = open and proc.name = x"), "R");
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);

	plan_of(&pl, RULE("R", "evt.type != open"), "R");
	ck_assert(!pl.p.all_events);
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);

	/* A rule that can never match runs on no event at all. */
	plan_of(&pl, RULE("R", "proc.name in ()"), "R");
	ck_assert(pl.p.never);
	ck_assert(!pl.p.all_events);
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);

	/* The warning reaches the caller of compile_ruleset too. */
	struct ruleset *rs = load(RULE("R", "proc.name = x"));
	struct diag_list dl;
	void *out;
	size_t len;

	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), 0);
	ck_assert_int_eq(dl.nwarnings, 1);
	ck_assert_int_eq(dl.v[0].code, DIAG_W_NO_EVTTYPE);
	free(out);
	diag_list_free(&dl);
	ruleset_free(rs);
}
END_TEST

/*
 * Without -A Falco never evaluates a rule on the event types libsinsp flags
 * EF_DROP_SIMPLE_CONS (read, write, close, fstat, mmap, brk, ...): they
 * leave every rule's set. A rule that names some is warned.
 */
/* evt.arg[N] by position in a rule with no evt.dir test: Falco also runs it
 * at the entry, where N counts other parameters; Shrike at the exit only. */
START_TEST(arg_position_warning)
{
	struct planned pl;

	plan_of(&pl, RULE("R", "evt.type = socket and evt.arg[0] = AF_PACKET"), "R");
	EXPECT_DIAGS(&pl.dl,
		     "W-ARG-POSITION 5:36 evt.arg[0] counts the parameters of the event it is "
		     "read on: this rule has no evt.dir test, so Falco also runs it on the "
		     "syscall's entry event, where the count differs, and Shrike runs it at the "
		     "exit only; name the argument (evt.arg.NAME) or add evt.dir = > or <\n");
	planned_free(&pl);
	/* Named, or with a direction: no warning. */
	plan_of(&pl, RULE("R", "evt.type = socket and evt.arg.domain = AF_PACKET"), "R");
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);
	plan_of(&pl, RULE("R", "evt.type = socket and evt.dir = > and evt.rawarg[0] = 17"), "R");
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);
}
END_TEST

START_TEST(evttype_skipped)
{
	static const char *const skipped[] = { "read",	 "write",	 "close", "fstat",
					       "mmap",	 "brk",		 "futex", "getdents64",
					       "switch", "signaldeliver" };
	static const char *const kept[] = { "open",   "openat",	   "execve",   "connect",
					    "unlink", "container", "procexit", "clone" };
	uint64_t want[SHRIKE_EVT_BITMAP_WORDS];
	struct planned pl;
	size_t i, n = 0;
	char *why;

	/* fd.name = /dev/null fires for Falco on the open only. */
	plan_of(&pl, RULE("R", "fd.name = /dev/null") "  warn_evttypes: false\n", "R");
	ck_assert(!pl.p.all_events && !pl.p.never);
	for (i = 0; i < sizeof(skipped) / sizeof(*skipped); i++) {
		int id = evtype_lookup(skipped[i], strlen(skipped[i]));

		ck_assert_msg((pl.p.skipped[id / 64] >> (id % 64)) & 1, "%s kept", skipped[i]);
		ck_assert_msg(!((pl.p.evtypes[id / 64] >> (id % 64)) & 1), "%s run", skipped[i]);
	}
	for (i = 0; i < sizeof(kept) / sizeof(*kept); i++) {
		int id = evtype_lookup(kept[i], strlen(kept[i]));

		ck_assert_msg(!((pl.p.skipped[id / 64] >> (id % 64)) & 1), "%s skipped", kept[i]);
		ck_assert_msg((pl.p.evtypes[id / 64] >> (id % 64)) & 1, "%s not run", kept[i]);
	}
	for (i = 0; i < evtypes_count(); i++)
		n += (pl.p.skipped[i / 64] >> (i % 64)) & 1;
	ck_assert_uint_eq(n, 113);
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);

	plan_of_opts(&pl, RULE("R", "fd.name = /dev/null") "  warn_evttypes: false\n", "R",
		     &all_events);
	ck_assert(pl.p.all_events);
	bits_except(want, NULL);
	EXPECT_BITS(pl.p.evtypes, want);
	bits_of(want, NULL);
	EXPECT_BITS(pl.p.skipped, want);
	planned_free(&pl);

	/* Named: warned; the rest of the set stays. */
	plan_of(&pl, RULE("R", "evt.type in (open, close) and fd.name = /x"), "R");
	bits_of(want, "open", NULL);
	EXPECT_BITS(pl.p.evtypes, want);
	bits_of(want, "close", NULL);
	EXPECT_BITS(pl.p.skipped, want);
	EXPECT_DIAGS(&pl.dl, "W-SKIPPED-EVTTYPE 1:3 rule names event types Falco skips unless run "
			     "with -A (close): it never runs on them\n");
	planned_free(&pl);

	/* Only skipped types: it runs on no event at all. */
	plan_of(&pl, RULE("R", "evt.type in (read, write) and fd.name = /x"), "R");
	ck_assert(pl.p.never && pl.p.never_skipped);
	bits_of(want, NULL);
	EXPECT_BITS(pl.p.evtypes, want);
	why = plan_reason(pl.r, &pl.p);
	ck_assert_str_eq(
		why, "Falco skips every event type of the rule unless run with -A: read, write");
	free(why);
	EXPECT_DIAGS(&pl.dl, "W-SKIPPED-EVTTYPE 1:3 rule names event types Falco skips unless run "
			     "with -A (read, write): it never runs\n");
	planned_free(&pl);

	plan_of_opts(&pl, RULE("R", "evt.type in (read, write) and fd.name = /x"), "R",
		     &all_events);
	ck_assert(!pl.p.never);
	bits_of(want, "read", "write", NULL);
	EXPECT_BITS(pl.p.evtypes, want);
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);

	/* A set that names none of them is narrowed without a word. */
	plan_of(&pl, RULE("R", "evt.type != open and fd.name = /x"), "R");
	ck_assert(!pl.p.never);
	bits_except(want, "open", NULL);
	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		want[i] &= ~pl.p.skipped[i];
	EXPECT_BITS(pl.p.evtypes, want);
	ck_assert(!bits_eq_zero(pl.p.skipped));
	EXPECT_DIAGS(&pl.dl, "");
	planned_free(&pl);
}
END_TEST

/* ---- compiling -------------------------------------------------------------- */

struct compiled {
	struct ruleset *rs;
	void *buf;
	size_t len;
	struct shrike_table t;
	struct diag_list dl;
};

static void compile_ok_opts(struct compiled *c, const char *yaml, const struct compile_opts *o)
{
	struct shrike_verr e;

	c->rs = load(yaml);
	diag_list_init(&c->dl);
	if (compile_ruleset(c->rs, o, &c->buf, &c->len, &c->dl) < 0)
		diag_print_all(stderr, &c->dl);
	ck_assert_int_eq(c->dl.nerrors, 0);
	ck_assert_ptr_nonnull(c->buf);
	ck_assert_msg(shrike_table_verify(c->buf, (u32)c->len, &c->t, &e) == 0, "verify: %s",
		      e.msg);
	ck_assert_int_eq(c->t.nrules, c->rs->nrules);
}

static void compile_ok(struct compiled *c, const char *yaml, bool match_all)
{
	struct compile_opts o = { .match_all = match_all };

	compile_ok_opts(c, yaml, &o);
}

static void compiled_free(struct compiled *c)
{
	free(c->buf);
	diag_list_free(&c->dl);
	ruleset_free(c->rs);
}

/* Rule i of the table, checked to be the i-th rule of the ruleset. */
static const struct shrike_rule *rule_at(const struct compiled *c, u32 i, const char *name)
{
	const struct shrike_rule *r = shrike_rule_at(&c->t, i);
	u32 n;
	const char *s;

	ck_assert_ptr_nonnull(r);
	s = shrike_rule_name(&c->t, r, &n);
	ck_assert_int_eq(n, strlen(name));
	ck_assert(!memcmp(s, name, n));
	return r;
}

static const struct shrike_insn *prog_of(const struct compiled *c, const struct shrike_rule *r)
{
	return &c->t.insns[le32toh(r->prog)];
}

/* Two rules compile to the same program: same instructions, and interning
 * makes the same operands the same indices. */
static void expect_same_prog(const struct compiled *c, const struct shrike_rule *a,
			     const struct shrike_rule *b)
{
	ck_assert_int_eq(le32toh(a->prog_len), le32toh(b->prog_len));
	ck_assert(!memcmp(prog_of(c, a), prog_of(c, b),
			  le32toh(a->prog_len) * sizeof(struct shrike_insn)));
}

/* Falco's placeholder macros fold away; empty lists make a comparison
 * false; FALSE absorbs "and", vanishes from "or". As written (-O0): with
 * the optimisation evt.type = open goes too (test_optimize.c). */
START_TEST(constant_folding)
{
	static const struct compile_opts o0 = { .no_opt = true };
	struct compiled c;

	compile_ok_opts(
		&c,
		"- macro: never_true\n  condition: (evt.num=0)\n"
		"- macro: always_true\n  condition: (evt.num>=0)\n"
		"- list: empty_list\n  items: []\n" RULE("A", "(evt.type = open and proc.name = x)") RULE(
			"B", "(evt.type = open and proc.name = x) and not (evt.num=0)")
			RULE("C", "(evt.type = open and proc.name = x) and not never_true") RULE(
				"D", "(evt.type = open and proc.name = x) and always_true")
				RULE("E", "(evt.type = open and proc.name = x) or never_true") RULE(
					"F",
					"(evt.type = open and proc.name = x) and not proc.pname in (empty_list)")
					RULE("G", "proc.name in ()") RULE(
						"H",
						"evt.type = open and proc.name in (empty_list)")
						RULE("I", "evt.type = open and never_true")
							RULE("J", "evt.num < 0 or evt.num = 0"),
		&o0);
	const struct shrike_rule *a = rule_at(&c, 0, "A");

	expect_same_prog(&c, a, rule_at(&c, 1, "B"));
	expect_same_prog(&c, a, rule_at(&c, 2, "C"));
	expect_same_prog(&c, a, rule_at(&c, 3, "D"));
	expect_same_prog(&c, a, rule_at(&c, 4, "E"));
	expect_same_prog(&c, a, rule_at(&c, 5, "F"));
	/* A: TEST, JF, TEST, AND, RET. */
	ck_assert_int_eq(le32toh(a->prog_len), 5);
	for (u32 i = 6; i < 10; i++) {
		static const char *const names[] = { "G", "H", "I", "J" };
		const struct shrike_rule *r = rule_at(&c, i, names[i - 6]);
		const struct shrike_insn *in = prog_of(&c, r);

		ck_assert_int_eq(le32toh(r->prog_len), 2);
		ck_assert_int_eq(in[0].op, SHRIKE_OP_PUSH);
		ck_assert_int_eq(le16toh(in[0].operand), SHRIKE_V_FALSE);
		ck_assert_int_eq(in[1].op, SHRIKE_OP_RET);
		for (u32 k = 0; k < SHRIKE_EVT_BITMAP_WORDS; k++)
			ck_assert_uint_eq(r->evtypes[k], 0);
		ck_assert_int_eq(le16toh(r->flags), SHRIKE_RF_ENABLED);
	}
	compiled_free(&c);

	struct planned pl;
	char *s, *why;

	plan_of(&pl,
		"- macro: never_true\n  condition: (evt.num=0)\n" RULE(
			"R", "evt.type = open and not never_true and proc.name in (a, b)"),
		"R");
	s = ast_to_string(pl.p.folded);
	ck_assert_str_eq(s, "(evt.type = open and proc.name in (a, b))");
	ck_assert(!pl.p.never);
	free(s);
	planned_free(&pl);

	plan_of(&pl, RULE("R", "evt.type = open and proc.name in ()"), "R");
	s = ast_to_string(pl.p.folded);
	ck_assert_str_eq(s, "false");
	ck_assert(pl.p.never);
	ck_assert_int_eq(pl.p.stage, STAGE_KERNEL);
	why = plan_reason(pl.r, &pl.p);
	ck_assert_str_eq(why, "the condition is always false (placeholder macros or empty lists)");
	free(why);
	free(s);
	planned_free(&pl);

	/* Negated, an empty list is true; and an always-true rule still
	 * runs on every event. */
	plan_of_opts(&pl, RULE("R", "not proc.name in ()") "  warn_evttypes: false\n", "R",
		     &all_events);
	s = ast_to_string(pl.p.folded);
	ck_assert_str_eq(s, "true");
	ck_assert(!pl.p.never);
	ck_assert(pl.p.all_events);
	free(s);
	planned_free(&pl);
}
END_TEST

/* ---- stages ------------------------------------------------------------------- */

struct stage_case {
	const char *yaml;
	int stage;
	const char *reason;
};

#define K8S_RULE(name, cond) \
	"- rule: " name      \
	"\n  desc: d\n  output: o\n  priority: INFO\n  source: k8s_audit\n  condition: " cond "\n"

static const struct stage_case stage_cases[] = {
	{ RULE("R", "evt.type = open and proc.name = bash and fd.name startswith /etc"),
	  STAGE_KERNEL, "every field in the condition is computed in the kernel" },
	{ RULE("R", "evt.type = open and proc.name = bash and user.name = root"),
	  STAGE_KERNEL_AGENT, "1 comparison decided in the kernel; userspace-only: user.name" },
	{ RULE("R", "evt.type = open and proc.name = bash and fd.name = /x and "
		    "container.image.repository = nginx"),
	  STAGE_KERNEL_AGENT,
	  "2 comparisons decided in the kernel; userspace-only: container.image.repository" },
	{ RULE("R", "evt.type = open and proc.name regex \"ba.*\" and fd.name = /x"),
	  STAGE_KERNEL_AGENT,
	  "1 comparison decided in the kernel; userspace-only: proc.name regex" },
	{ RULE("R", "evt.type = setuid and evt.arg.uid = nobody and proc.name = sudo"),
	  STAGE_KERNEL_AGENT, "1 comparison decided in the kernel; userspace-only: evt.arg.uid" },
	{ RULE("R", "evt.type = setuid and (user.name = root or evt.arg.gid = wheel) and "
		    "user.name != x"),
	  STAGE_AGENT,
	  "only the event type is known in the kernel; userspace-only: user.name, evt.arg.gid" },
	{ RULE("R", "evt.type in (open, openat) and container.image.repository = nginx"),
	  STAGE_AGENT,
	  "only the event type is known in the kernel; userspace-only: container.image.repository" },
	/* Read by the agent from /proc/PID (lib/procfs.c). */
	{ RULE("R", "evt.type = open and proc.name = bash and proc.fdopencount > 100"),
	  STAGE_KERNEL_AGENT,
	  "1 comparison decided in the kernel; userspace-only: proc.fdopencount" },
	{ RULE("R", "evt.type = execve and proc.env[HOME] = /root and proc.vmrss > 10"),
	  STAGE_AGENT,
	  "only the event type is known in the kernel; userspace-only: proc.env, proc.vmrss" },
	{ K8S_RULE("K", "ka.verb = create and ka.target.resource = pods"), STAGE_AGENT,
	  "k8s_audit events come from the audit webhook, not from syscalls" },
};

START_TEST(stages)
{
	const struct stage_case *c = &stage_cases[_i];
	struct planned pl;
	char *why;

	plan_of(&pl, c->yaml, strstr(c->yaml, "k8s_audit") ? "K" : "R");
	ck_assert_msg(pl.p.stage == c->stage, "%s: stage %s", c->yaml, stage_name(pl.p.stage));
	why = plan_reason(pl.r, &pl.p);
	ck_assert_str_eq(why, c->reason);
	ck_assert_int_eq(pl.p.nagent_fields > 0, c->stage != STAGE_KERNEL);
	EXPECT_DIAGS(&pl.dl, "");
	free(why);
	planned_free(&pl);
}
END_TEST

START_TEST(stage_names_and_flags)
{
	struct compiled c;

	ck_assert_str_eq(stage_name(STAGE_KERNEL), "kernel only");
	ck_assert_str_eq(stage_name(STAGE_KERNEL_AGENT), "kernel prefilter + agent stage");
	ck_assert_str_eq(stage_name(STAGE_AGENT), "agent only");

	compile_ok(&c,
		   RULE("kern", "evt.type = open and proc.name = a")
			   RULE("both", "evt.type = open and proc.name = a and user.name = b")
				   K8S_RULE("k8s", "ka.verb = create"),
		   false);
	ck_assert_int_eq(le16toh(rule_at(&c, 0, "kern")->flags), SHRIKE_RF_ENABLED);
	ck_assert_int_eq(le16toh(rule_at(&c, 1, "both")->flags),
			 SHRIKE_RF_ENABLED | SHRIKE_RF_NEEDS_AGENT);
	/* k8s_audit has no event types, so no ALL_EVENTS either. */
	ck_assert_int_eq(le16toh(rule_at(&c, 2, "k8s")->flags),
			 SHRIKE_RF_ENABLED | SHRIKE_RF_NEEDS_AGENT);
	ck_assert_int_eq(rule_at(&c, 2, "k8s")->source, SHRIKE_SRC_K8S_AUDIT);
	compiled_free(&c);
}
END_TEST

/* ---- round trip: compile, verify, evaluate ---------------------------------- */

/* The event: field values by name, as text; a field not here is MISSING. */
struct fv {
	const char *name;
	const char *val;
	size_t len; /* 0: strlen(val) */
};

static const struct fv event[] = {
	{ "evt.type", "open", 0 },
	{ "proc.name", "bash", 0 },
	{ "fd.name", "/etc/shadow", 0 },
	{ "fd.sport", "80", 0 },
	{ "fd.sip", "10.1.2.3", 0 },
	{ "fd.snet", "10.1.2.3", 0 },
	{ "evt.rawres", "-2", 0 },
	{ "evt.failed", "1", 0 },
	{ "evt.buffer", "\x00\x01GET /", 7 },
	{ "user.name", "root", 0 },
	{ "container.image.repository", "nginx", 0 },
};

struct fetch_ctx {
	bool kernel; /* agent-only fields cannot be computed */
	int calls;
};

static int fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	struct fetch_ctx *fc = ctx;
	const struct shrike_field_desc *fd = &shrike_fields[field];

	(void)arg;
	fc->calls++;
	if (fc->kernel && fd->where == SHRIKE_W_AGENT)
		return SHRIKE_FETCH_UNKNOWN;
	for (size_t i = 0; i < sizeof(event) / sizeof(event[0]); i++) {
		const struct fv *v = &event[i];

		if (strcmp(v->name, fd->name))
			continue;
		memset(out, 0, sizeof(*out));
		out->type = fd->type;
		switch (fd->type) {
		case SHRIKE_T_STR:
			out->str.ptr = v->val;
			out->str.len = v->len ? v->len : strlen(v->val);
			break;
		case SHRIKE_T_U64:
		case SHRIKE_T_BOOL: out->u = strtoull(v->val, NULL, 10); break;
		case SHRIKE_T_S64: out->s = strtoll(v->val, NULL, 10); break;
		case SHRIKE_T_IPNET:
			out->prefix = 32;
			/* fall through */
		case SHRIKE_T_IPADDR:
			out->family = 4;
			ck_assert_int_eq(inet_pton(AF_INET, v->val, out->ip), 1);
			break;
		default: ck_abort_msg("test event has no %s values", field_type_name(fd->type));
		}
		return SHRIKE_FETCH_OK;
	}
	return SHRIKE_FETCH_MISSING;
}

#define F SHRIKE_V_FALSE
#define T SHRIKE_V_TRUE
#define U SHRIKE_V_UNKNOWN

struct eval_case {
	const char *cond;
	int kernel, agent; /* results with agent-only fields UNKNOWN, and known */
};

static const struct eval_case eval_cases[] = {
	{ "proc.name = bash", T, T },
	{ "proc.name = sh", F, F },
	{ "proc.name != sh", T, T },
	{ "proc.name in (sh, bash)", T, T },
	{ "proc.name in (sh, zsh)", F, F },
	{ "proc.name intersects (zsh, bash)", T, T },
	{ "evt.type = open and proc.name = bash", T, T },
	/* numbers, and `in` on a numeric field */
	{ "fd.sport = 80", T, T },
	{ "fd.sport = 080", T, T }, /* decimal, as Falco: not octal */
	{ "fd.sport in (22, 080)", T, T },
	{ "evt.rawres < +0", T, T },
	{ "fd.sport in (22, 443)", F, F },
	{ "fd.sport > 79 and fd.sport <= 80", T, T },
	{ "fd.sport < 80", F, F },
	{ "fd.sport != 80", F, F },
	{ "evt.rawres < 0", T, T },
	{ "evt.rawres >= -1", F, F },
	{ "evt.rawres in (-2, -13)", T, T },
	{ "evt.failed = true", T, T },
	{ "evt.failed = false", F, F },
	/* addresses and networks */
	{ "fd.sip in (10.0.0.0/8)", T, T },
	{ "fd.sip in (192.168.0.0/16, 172.16.0.0/12)", F, F },
	{ "fd.sip in (192.168.0.0/16, 10.1.2.0/24)", T, T },
	{ "fd.sip = 10.1.2.3", T, T },
	{ "fd.sip = 10.1.2.4", F, F },
	{ "fd.sip != 10.1.2.3", F, F },
	{ "fd.sip in (::1/128)", F, F },
	/* A network written with host bits set is the network, as libsinsp
	 * masks it (10.1.2.99/24 is 10.1.2.0/24), quoted or not. */
	{ "fd.snet in (\"10.1.2.99/24\")", T, T },
	{ "fd.snet = 10.1.2.99/24", T, T },
	{ "fd.snet in (10.1.3.1/24, 10.1.2.255/30)", F, F },
	{ "fd.snet in (10.1.3.1/24, 10.1.2.1/30)", T, T },
	{ "fd.snet != 10.255.255.255/8", F, F },
	/* bytes */
	{ "evt.buffer bcontains 474554", T, T },
	{ "evt.buffer bcontains 0x0001", T, T },
	{ "evt.buffer bcontains 0002", F, F },
	{ "evt.buffer bstartswith 0001", T, T },
	{ "evt.buffer bstartswith 01", F, F },
	/* string operators */
	{ "fd.name glob /etc/*", T, T },
	{ "fd.name glob /etc/?", F, F },
	{ "fd.name glob \"/etc/sha[a-z]ow\"", T, T },
	{ "fd.name pmatch (/etc)", T, T },
	{ "fd.name pmatch (/etc/shadow)", T, T },
	{ "fd.name pmatch (/usr, /etc/sh)", F, F },
	{ "fd.name startswith /etc/", T, T },
	{ "fd.name startswith /usr", F, F },
	{ "fd.name endswith shadow", T, T },
	{ "fd.name contains sha", T, T },
	{ "fd.name icontains SHA", T, T },
	{ "fd.name contains SHA", F, F },
	/* exists, and negation of a field with no value (Falco: `not f = x` is
	 * true, `f != x` is false) */
	{ "fd.name exists", T, T },
	{ "proc.cwd exists", F, F },
	{ "not proc.cwd exists", T, T },
	{ "not proc.cwd = /", T, T },
	{ "proc.cwd != /", F, F },
	{ "proc.cwd in (/, /root)", F, F },
	{ "not proc.cwd in (/, /root)", T, T },
	/* agent-only fields: UNKNOWN in the kernel unless the rest decides */
	{ "user.name = root", U, T },
	{ "user.name = nobody", U, F },
	{ "not user.name = root", U, F },
	{ "user.name = root and proc.name = sh", F, F },
	{ "user.name = root and proc.name = bash", U, T },
	{ "user.name = nobody or proc.name = bash", T, T },
	{ "user.name = nobody or proc.name = sh", U, F },
	{ "proc.name = bash and container.image.repository in (nginx, redis)", U, T },
	{ "evt.type = open and fd.name pmatch (/etc) and not user.name in (root)", U, F },
	/* folded */
	{ "proc.name in ()", F, F },
	{ "proc.name = bash and not evt.num = 0", T, T },
};

/* Compiles one rule with the condition and evaluates it both ways. */
START_TEST(round_trip)
{
	const struct eval_case *ec = &eval_cases[_i];
	struct fetch_ctx kctx = { .kernel = true }, actx = { .kernel = false };
	struct compiled c;
	char *yaml;
	int k, a;

	ck_assert_int_ge(asprintf(&yaml,
				  "- rule: R\n  desc: d\n  output: o\n  priority: INFO\n"
				  "  warn_evttypes: false\n  condition: >-\n    %s\n",
				  ec->cond),
			 0);
	compile_ok(&c, yaml, false);
	k = shrike_eval(&c.t, rule_at(&c, 0, "R"), fetch, &kctx);
	a = shrike_eval(&c.t, rule_at(&c, 0, "R"), fetch, &actx);
	ck_assert_msg(k == ec->kernel && a == ec->agent, "%s: kernel %d agent %d, want %d %d",
		      ec->cond, k, a, ec->kernel, ec->agent);
	compiled_free(&c);
	free(yaml);
}
END_TEST

/* ---- operand errors ----------------------------------------------------------- */

struct err_case {
	const char *yaml;
	const char *diags;
};

static const struct err_case err_cases[] = {
	{ RULE("R", "evt.type = open and fd.sport = http"),
	  "E-OPERAND 5:45 'http' is not a valid number\n" },
	{ RULE("R", "evt.type = open and fd.sport in (22, ssh)"),
	  "E-OPERAND 5:51 'ssh' is not a valid number\n" },
	{ RULE("R", "evt.type = open and fd.sport = -1"),
	  "E-OPERAND 5:45 '-1' is not a valid number\n" },
	/* Decimal only: libsinsp's sscanf("%lu%c") refuses 0x50. */
	{ RULE("R", "evt.type = open and fd.sport = 0x50"),
	  "E-OPERAND 5:45 '0x50' is not a valid number (Falco reads numbers in decimal only)\n" },
	{ RULE("R", "evt.type = open and evt.rawres = -0X1 and fd.sport in (22, 0x50)"),
	  "E-OPERAND 5:47 '-0X1' is not a valid number (Falco reads numbers in decimal only)\n"
	  "E-OPERAND 5:73 '0x50' is not a valid number (Falco reads numbers in decimal only)\n" },
	{ RULE("R", "evt.type = open and evt.failed = yes"),
	  "E-OPERAND 5:47 'yes' is not a valid boolean (true or false)\n" },
	{ RULE("R", "evt.type = open and proc.name < 3"),
	  "E-OPERAND 5:34 operator '<' does not apply to string field proc.name\n" },
	{ RULE("R", "evt.type = open and fd.sip contains 10"),
	  "E-OPERAND 5:34 operator 'contains' does not apply to ipaddr field fd.sip\n" },
	{ RULE("R", "evt.type = open and fd.sip in (10.0.0.0/8, 10.0.0.0/33)"),
	  "E-OPERAND 5:57 '10.0.0.0/33' is not an IP address or network\n" },
	{ RULE("R", "evt.type = open and fd.sip = 10.0.0.300"),
	  "E-OPERAND 5:43 '10.0.0.300' is not an IP address or network\n" },
	{ RULE("R", "evt.type = open and evt.buffer bcontains 4g"),
	  "E-OPERAND 5:55 '4g' is not a hex byte string\n" },
	{ RULE("R", "evt.type = open and evt.buffer bcontains 474"),
	  "E-OPERAND 5:55 '474' is not a hex byte string\n" },
	/* No value vanishes silently: an evt.type value that names no event
	 * type, an evt.dir that is neither > nor <. */
	{ RULE("R", "evt.type in (open, opne) and proc.name = x"),
	  "E-OPERAND 5:33 'opne' is not an event type\n" },
	{ RULE("R", "evt.type = open and not evt.type = clsoe"),
	  "E-OPERAND 5:49 'clsoe' is not an event type\n" },
	{ RULE("R", "evt.type = open and evt.dir = x"),
	  "E-OPERAND 5:44 'x' is not an event direction ('>' or '<')\n" },
	{ RULE("R", "evt.type = open and evt.type.is.opne = 1"),
	  "E-OPERAND 5:34 'opne' is not an event type\n" },
	/* A list named as a value is its one item: an error is at the item. */
	{ "- list: p\n  items: [http]\n" RULE("R", "evt.type = open and fd.sport = p"),
	  "E-OPERAND 2:11 'http' is not a valid number\n" },
	/* In a macro, the position is the macro's. */
	{ "- macro: m\n  condition: fd.sport = http\n" RULE("R", "evt.type = open and m"),
	  "E-OPERAND 2:25 'http' is not a valid number\n" },
};

START_TEST(operand_errors)
{
	const struct err_case *ec = &err_cases[_i];
	struct ruleset *rs = load(ec->yaml);
	struct diag_list dl;
	void *out = (void *)1;
	size_t len = 1;

	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), -1);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(len, 0);
	EXPECT_DIAGS(&dl, ec->diags);
	ck_assert_str_eq(dl.v[0].item_type, "rule");
	ck_assert_str_eq(dl.v[0].item_name, "R");
	diag_list_free(&dl);
	ruleset_free(rs);
}
END_TEST

/* A rule whose condition is `evt.type = open and (c0 and (c1 and (...)))`,
 * levels deep: each level leaves its left side on the stack, so it needs
 * levels + 2 entries. */
static char *nested_rule(int levels)
{
	char *cond = strdup("proc.name = a"), *yaml, *t;

	for (int i = 0; i < levels; i++) {
		ck_assert_int_ge(asprintf(&t, "proc.name = a%d and (%s)", i, cond), 0);
		free(cond);
		cond = t;
	}
	ck_assert_int_ge(asprintf(&yaml, RULE("R", "evt.type = open and (%s)"), cond), 0);
	free(cond);
	return yaml;
}

/* Limits the verifier enforces come back as diagnostics at the rule. */
START_TEST(limit_errors)
{
	char *cond, *yaml, *t;
	struct ruleset *rs;
	struct diag_list dl;
	void *out;
	size_t len;

	yaml = nested_rule(SHRIKE_MAX_STACK - 2);
	rs = load(yaml);
	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), 0);
	free(out);
	diag_list_free(&dl);
	ruleset_free(rs);
	free(yaml);

	yaml = nested_rule(SHRIKE_MAX_STACK - 1);
	rs = load(yaml);
	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), -1);
	EXPECT_DIAGS(
		&dl,
		"E-LIMIT 1:3 condition nests too deeply: it needs 33 stack entries, more than 32\n");
	diag_list_free(&dl);
	ruleset_free(rs);
	free(yaml);

	/* The same comparisons chained left to right need two. */
	cond = strdup("proc.name = a");
	for (int i = 0; i < 100; i++) {
		ck_assert_int_ge(asprintf(&t, "(%s) and proc.name = a%d", cond, i), 0);
		free(cond);
		cond = t;
	}
	ck_assert_int_ge(asprintf(&yaml, RULE("R", "evt.type = open and (%s)"), cond), 0);
	rs = load(yaml);
	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), 0);
	free(out);
	diag_list_free(&dl);
	ruleset_free(rs);
	free(yaml);
	free(cond);

	ck_assert_int_ge(asprintf(&yaml, RULE("%0300d", "evt.type = open"), 7), 0);
	rs = load(yaml);
	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), -1);
	EXPECT_DIAGS(&dl, "E-LIMIT 1:3 rule name of 300 bytes, more than 256\n");
	diag_list_free(&dl);
	ruleset_free(rs);
	free(yaml);
}
END_TEST

/* Output fields must name a value the table can hold. */
START_TEST(output_field_errors)
{
	static const struct {
		const char *output, *diags;
	} cases[] = {
		{ "x %evt.arg y",
		  "E-FIELD-ARG 3:13 output field 'evt.arg': field requires an argument\n" },
		{ "x %proc.name[3]",
		  "E-FIELD-ARG 3:13 output field 'proc.name[3]': field takes no argument\n" },
		{ "x %proc.aname[x]",
		  "E-FIELD-ARG 3:13 output field 'proc.aname[x]': field argument must be a number\n" },
		{ "x %proc.aname[99999]",
		  "E-OPERAND 3:13 '99999' is not a valid index for proc.aname\n" },
		{ "x %no.such.field",
		  "E-UNKNOWN-FIELD 3:13 output uses unknown field 'no.such.field'\n" },
		/* At the token, whatever the scalar's style: quotes, escapes,
		 * trimmed blanks, folded and literal blocks. */
		{ "\"  a \\\"%proc.name\\\" %no.field\"",
		  "E-UNKNOWN-FIELD 3:31 output uses unknown field 'no.field'\n" },
		{ "'it''s %no.field'",
		  "E-UNKNOWN-FIELD 3:18 output uses unknown field 'no.field'\n" },
		{ ">\n    a %proc.name\n    b %no.field\n",
		  "E-UNKNOWN-FIELD 5:7 output uses unknown field 'no.field'\n" },
		{ "|\n      a %proc.name\n        b %no.field\n",
		  "E-UNKNOWN-FIELD 5:11 output uses unknown field 'no.field'\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *yaml;
		struct ruleset *rs;
		struct diag_list dl;
		void *out;
		size_t len;

		ck_assert_int_ge(asprintf(&yaml,
					  "- rule: R\n  desc: d\n  output: %s\n  priority: INFO\n"
					  "  condition: evt.type = open\n",
					  cases[i].output),
				 0);
		rs = load(yaml);
		diag_list_init(&dl);
		ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), -1);
		EXPECT_DIAGS(&dl, cases[i].diags);
		diag_list_free(&dl);
		ruleset_free(rs);
		free(yaml);
	}
}
END_TEST

/* Falco's -p, -pc, -pk (shrike-agent): appended to every syscall rule's
 * output, or with -pc/-pk in place of its %container.info if it has one;
 * k8s_audit rules keep theirs. A
 * field of the extra text has no place in a file: its error is at the rule. */
START_TEST(output_extra)
{
	static const char yaml[] =
		"- rule: A\n  desc: d\n  output: a %proc.name %container.info\n  priority: INFO\n"
		"  condition: evt.type = open\n"
		"- rule: B\n  desc: d\n  output: b\n  priority: INFO\n  condition: evt.type = open\n"
		"- rule: K\n  desc: d\n  output: k %ka.verb\n  priority: INFO\n  source: k8s_audit\n"
		"  condition: ka.verb = get\n";
	struct ruleset *rs = load(yaml);
	struct diag_list dl;
	void *out;
	size_t len;

	ck_assert_int_eq(ruleset_output_extra(rs, "x=%thread.tid", false), 0);
	ck_assert_str_eq(rs->rules[0].output, "a %proc.name %container.info x=%thread.tid");
	ck_assert_str_eq(rs->rules[1].output, "b x=%thread.tid");
	ck_assert_str_eq(rs->rules[2].output, "k %ka.verb");
	ruleset_free(rs);

	rs = load(yaml);
	ck_assert_int_eq(ruleset_output_extra(rs, "c=%container.id", true), 0);
	ck_assert_str_eq(rs->rules[0].output, "a %proc.name c=%container.id");
	/* Falco appends it where there is no %container.info, -pc or not */
	ck_assert_str_eq(rs->rules[1].output, "b c=%container.id");
	ruleset_free(rs);

	rs = load(yaml);
	ck_assert_int_eq(ruleset_output_extra(rs, "%no.such", false), 0);
	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), -1);
	EXPECT_DIAGS(&dl, "E-UNKNOWN-FIELD 1:3 output uses unknown field 'no.such'\n"
			  "E-UNKNOWN-FIELD 6:3 output uses unknown field 'no.such'\n");
	diag_list_free(&dl);
	ruleset_free(rs);
}
END_TEST

/* An append joins another piece to the output: a field of it is found in
 * that piece's own scalar. */
START_TEST(output_field_appended)
{
	struct ruleset *rs =
		load("- rule: R\n  desc: d\n  output: \"  a %proc.name\"\n  priority: INFO\n"
		     "  condition: evt.type = open\n"
		     "- rule: R\n  output: b %no.field\n  override:\n    output: append\n");
	struct diag_list dl;
	void *out;
	size_t len;

	diag_list_init(&dl);
	ck_assert_int_eq(compile_ruleset(rs, NULL, &out, &len, &dl), -1);
	EXPECT_DIAGS(&dl, "E-UNKNOWN-FIELD 7:13 output uses unknown field 'no.field'\n");
	ck_assert_str_eq(dl.v[0].item_name, "R");
	diag_list_free(&dl);
	ruleset_free(rs);
}
END_TEST

/* ---- captures and flags -------------------------------------------------------- */

/* "field[arg] ... | field ..." for the captures of rule r: the output's,
 * then after " |" the condition's the kernel sends only when undecided. */
static char *captures_str(const struct compiled *c, const struct shrike_rule *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	u32 nout = le16toh(r->ncaptures) - le16toh(r->ncond);

	for (u32 i = 0; i < le16toh(r->ncaptures); i++) {
		const struct shrike_capture *cap = shrike_rule_capture(&c->t, r, i);
		u16 field = le16toh(cap->field), arg = le16toh(cap->arg);
		const struct shrike_field_desc *fd = &shrike_fields[field];

		if (i == nout)
			fputs(i ? " |" : "|", f);
		fprintf(f, "%s%s", i || i == nout ? " " : "", fd->name);
		if (arg == SHRIKE_ARG_NONE)
			continue;
		if (fd->argkind == SHRIKE_ARGK_INDEX) {
			fprintf(f, "[%u]", arg);
		} else {
			u32 n;
			const char *s = shrike_str_at(&c->t, arg, &n);

			fprintf(f, "[%.*s]", (int)n, s);
		}
	}
	fclose(f);
	return buf;
}

#define EXPECT_CAPTURES(c, r, want)            \
	do {                                   \
		char *_g = captures_str(c, r); \
		ck_assert_str_eq(_g, want);    \
		free(_g);                      \
	} while (0)

START_TEST(captures)
{
	static const char yaml[] =
		/* Kernel only: the agent formats the output from what was captured. */
		"- rule: kern\n  desc: d\n  priority: INFO\n  condition: evt.type = open and proc.name = bash\n"
		"  output: file %fd.name opened by %user.name (%proc.aname[2] %evt.arg.flags %fd.name).\n"
		/* Needs the agent: also the kernel fields it reads, and what
		 * user.name and the container fields are computed from. */
		"- rule: both\n  desc: d\n  priority: INFO\n"
		"  condition: evt.type = open and proc.name = bash and user.name = root and proc.aname[3] = sshd\n"
		"  output: '%fd.name %container.image.repository %group.name %evt.time'\n"
		"- rule: plain\n  desc: d\n  priority: INFO\n  condition: evt.type = open\n  output: no fields 100%\n"
		"- rule: k8s\n  desc: d\n  priority: INFO\n  source: k8s_audit\n  condition: ka.verb = create\n"
		"  output: '%ka.verb %ka.user.name'\n";
	static const struct compile_opts o0 = { .no_opt = true };
	struct compiled c;

	compile_ok(&c, yaml, false);
	/* user.name: the uid, and the pid and container to read the
	 * container's own passwd through /proc/PID/root. */
	EXPECT_CAPTURES(
		&c, rule_at(&c, 0, "kern"),
		"fd.name user.uid proc.pid container.id proc.aname[2] evt.arg[flags] | proc.name");
	/* The output's first; then the condition's, in the program's order
	 * (evt.type is decided by the bucket, and the agent has it from the
	 * alert anyway), which the kernel sends only when it cannot decide. */
	EXPECT_CAPTURES(
		&c, rule_at(&c, 1, "both"),
		"fd.name container.id group.gid proc.pid evt.rawtime | proc.name proc.aname[3] "
		"user.uid");
	EXPECT_CAPTURES(&c, rule_at(&c, 2, "plain"), "");
	EXPECT_CAPTURES(&c, rule_at(&c, 3, "k8s"), "");
	compiled_free(&c);

	compile_ok_opts(&c, yaml, &o0);
	EXPECT_CAPTURES(
		&c, rule_at(&c, 0, "kern"),
		"fd.name user.uid proc.pid container.id proc.aname[2] evt.arg[flags] | evt.type "
		"proc.name");
	EXPECT_CAPTURES(
		&c, rule_at(&c, 1, "both"),
		"fd.name container.id group.gid proc.pid evt.rawtime | evt.type proc.name user.uid "
		"proc.aname[3]");
	EXPECT_CAPTURES(&c, rule_at(&c, 2, "plain"), "| evt.type");
	compiled_free(&c);
}
END_TEST

/* The fields the agent reads from /proc/PID (lib/procfs.c): the kernel
 * leaves them UNKNOWN and sends the pid for the agent to read them by. */
START_TEST(captures_procfs)
{
	static const char yaml[] =
		"- rule: out\n  desc: d\n  priority: INFO\n"
		"  condition: evt.type = open and proc.vmrss > 10 and proc.env[HOME] = /root\n"
		"  output: '%proc.fdlimit %proc.env'\n"
		"- rule: cond\n  desc: d\n  priority: INFO\n"
		"  condition: evt.type = open and proc.fdopencount > 100\n  output: none\n"
		"- rule: neither\n  desc: d\n  priority: INFO\n"
		"  condition: evt.type = open and proc.name = x\n  output: '%proc.vpid'\n";
	struct compiled c;

	compile_ok(&c, yaml, false);
	EXPECT_CAPTURES(&c, rule_at(&c, 0, "out"),
			"proc.fdlimit proc.pid proc.env | proc.vmrss proc.env[HOME]");
	EXPECT_CAPTURES(&c, rule_at(&c, 1, "cond"), "| proc.fdopencount proc.pid");
	EXPECT_CAPTURES(&c, rule_at(&c, 2, "neither"), "proc.vpid | proc.name");
	compiled_free(&c);
}
END_TEST

START_TEST(table_flags)
{
	struct compiled c;
	const struct shrike_rule *r;
	u32 n;
	const char *s;

	compile_ok(&c, RULE("R", "evt.type = open"), false);
	ck_assert_uint_eq(c.t.flags, 0);
	compiled_free(&c);

	compile_ok(
		&c,
		RULE("on",
		     "evt.type = open") "- rule: off\n  desc: the desc\n  output: out %proc.name\n  priority: ERROR\n"
					"  condition: evt.type = unlink\n  enabled: false\n  tags: [a, b]\n" RULE(
						"entry", "evt.dir = > and evt.type = execve")
						RULE("exit", "evt.dir = < and evt.type = execve") RULE(
							"notexit",
							"not evt.dir = < and evt.type = execve")
							RULE("every",
							     "proc.name = a") "  warn_evttypes: false\n",
		true);
	ck_assert_uint_eq(c.t.flags, SHRIKE_TF_MATCH_ALL);
	ck_assert_uint_eq(le32toh(((const struct shrike_table_hdr *)c.buf)->flags),
			  SHRIKE_TF_MATCH_ALL);
	ck_assert_int_eq(c.t.nrules, 6);
	ck_assert_int_eq(le16toh(rule_at(&c, 0, "on")->flags), SHRIKE_RF_ENABLED);

	r = rule_at(&c, 1, "off");
	ck_assert_int_eq(le16toh(r->flags), 0);
	ck_assert_int_eq(r->priority, SHRIKE_PRI_ERROR);
	ck_assert_int_eq(r->source, SHRIKE_SRC_SYSCALL);
	ck_assert(shrike_rule_has_evtype(r, evtype_lookup("unlink", 6)));
	ck_assert(!shrike_rule_has_evtype(r, evtype_lookup("open", 4)));
	s = shrike_rule_output(&c.t, r, &n);
	ck_assert_int_eq(n, 14);
	ck_assert(!memcmp(s, "out %proc.name", n));
	ck_assert_int_eq(le16toh(r->ntags), 2);
	s = shrike_rule_tag(&c.t, r, 1, &n);
	ck_assert(n == 1 && *s == 'b');
	EXPECT_CAPTURES(&c, r, "proc.name");

	ck_assert_int_eq(le16toh(rule_at(&c, 2, "entry")->flags),
			 SHRIKE_RF_ENABLED | SHRIKE_RF_ENTRY);
	ck_assert_int_eq(le16toh(rule_at(&c, 3, "exit")->flags), SHRIKE_RF_ENABLED);
	ck_assert_int_eq(le16toh(rule_at(&c, 4, "notexit")->flags),
			 SHRIKE_RF_ENABLED | SHRIKE_RF_ENTRY);
	/* Every event type but those Falco skips unless run with -A. */
	r = rule_at(&c, 5, "every");
	ck_assert_int_eq(le16toh(r->flags), SHRIKE_RF_ENABLED);
	ck_assert(shrike_rule_has_evtype(r, evtype_lookup("open", 4)));
	ck_assert(!shrike_rule_has_evtype(r, evtype_lookup("read", 4)));
	compiled_free(&c);

	compile_ok_opts(&c, RULE("every", "proc.name = a") "  warn_evttypes: false\n", &all_events);
	r = rule_at(&c, 0, "every");
	ck_assert_int_eq(le16toh(r->flags), SHRIKE_RF_ENABLED | SHRIKE_RF_ALL_EVENTS);
	ck_assert(shrike_rule_has_evtype(r, evtype_lookup("read", 4)));
	compiled_free(&c);
}
END_TEST

/* The first rule of the table that the event satisfies (first match),
 * evaluated as the agent does (every field known); NULL if none. */
static const char *first_match(const struct compiled *c)
{
	static char name[64];

	for (u32 i = 0; i < c->t.nrules; i++) {
		const struct shrike_rule *r = shrike_rule_at(&c->t, i);
		struct fetch_ctx fc = { .kernel = false };
		const char *s;
		u32 n;

		if (shrike_eval(&c->t, r, fetch, &fc) != SHRIKE_V_TRUE)
			continue;
		s = shrike_rule_name(&c->t, r, &n);
		snprintf(name, sizeof(name), "%.*s", (int)n, s);
		return name;
	}
	return NULL;
}

/*
 * Falco's `priority`: Falco does not load a rule less severe than it, so
 * with first match a Notice rule that matches first must not hide a later
 * Warning one (the agent would match the Notice rule, then drop its alert
 * at output: no alert at all).
 */
START_TEST(min_priority)
{
	static const char yaml[] = "- rule: N\n  desc: d\n  output: o\n  priority: NOTICE\n"
				   "  condition: evt.type = open and proc.name = bash\n"
				   "- rule: W\n  desc: d\n  output: o\n  priority: WARNING\n"
				   "  condition: evt.type = open and fd.name = /etc/shadow\n"
				   "- rule: E\n  desc: d\n  output: o\n  priority: ERROR\n"
				   "  condition: evt.type = open and fd.name = /etc/passwd\n";
	struct compile_opts o = { .has_min_priority = true, .min_priority = SHRIKE_PRI_WARNING };
	struct shrike_verr e;
	struct compiled c;

	compile_ok(&c, yaml, false);
	ck_assert_int_eq(c.t.nrules, 3);
	ck_assert_str_eq(first_match(&c), "N");
	compiled_free(&c);

	c.rs = load(yaml);
	diag_list_init(&c.dl);
	ck_assert_int_eq(compile_ruleset(c.rs, &o, &c.buf, &c.len, &c.dl), 0);
	ck_assert_int_eq(shrike_table_verify(c.buf, (u32)c.len, &c.t, &e), 0);
	ck_assert_int_eq(c.t.nrules, 2);
	rule_at(&c, 0, "W");
	rule_at(&c, 1, "E");
	ck_assert_str_eq(first_match(&c), "W");
	ck_assert(!rule_in_table(&c.rs->rules[0], &o));
	ck_assert(rule_in_table(&c.rs->rules[1], &o));
	ck_assert(rule_in_table(&c.rs->rules[0], NULL));
	compiled_free(&c);

	/* A rule left out is still compiled: its errors are errors. */
	c.rs = load("- rule: N\n  desc: d\n  output: o\n  priority: NOTICE\n"
		    "  condition: evt.type = open and fd.sport = http\n");
	diag_list_init(&c.dl);
	ck_assert_int_eq(compile_ruleset(c.rs, &o, &c.buf, &c.len, &c.dl), -1);
	EXPECT_DIAGS(&c.dl, "E-OPERAND 5:45 'http' is not a valid number\n");
	diag_list_free(&c.dl);
	ruleset_free(c.rs);
}
END_TEST

/* ---- Falco's rule files ---------------------------------------------------------- */

#define FALCO_DIR    "../shared/falco/"
#define TABLE_BUDGET (256u << 10)

static const char *const falco_files[] = {
	"falco_rules.yaml",	   "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml",
	"falco_rules.0.31.0.yaml", "k8s_audit_rules.0.31.0.yaml", "k8s_audit_rules.yaml",
};

static void compile_files(const char *label, const char *const *files, size_t n)
{
	struct ruleset *rs = ruleset_new();
	struct shrike_table t;
	struct shrike_verr e;
	struct diag_list dl;
	void *out;
	size_t len;
	char path[256];

	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), FALCO_DIR "%s", files[i]);
		ruleset_load_path(rs, path);
	}
	ruleset_finish(rs);
	ck_assert_int_eq(ruleset_errors(rs), 0);
	diag_list_init(&dl);
	if (compile_ruleset(rs, NULL, &out, &len, &dl) < 0)
		diag_print_all(stderr, &dl);
	ck_assert_int_eq(dl.nerrors, 0);
	ck_assert_int_eq(shrike_table_verify(out, (u32)len, &t, &e), 0);
	ck_assert_int_eq(t.nrules, rs->nrules);
	ck_assert_uint_lt(len, TABLE_BUDGET);
	printf("compile: %s: %zu rules, %zu bytes, %u insns, %zu warnings\n", label, rs->nrules,
	       len, t.ninsns, dl.nwarnings);
	free(out);
	diag_list_free(&dl);
	ruleset_free(rs);
}

START_TEST(falco_file)
{
	compile_files(falco_files[_i], &falco_files[_i], 1);
}
END_TEST

START_TEST(falco_files_together)
{
	compile_files("stable+incubating+sandbox", falco_files, 3);
}
END_TEST

/* test_optimize.c */
void optimize_tcases(Suite *s);

Suite *make_compile_suite(void)
{
	Suite *s = suite_create("compile");
	TCase *tc = tcase_create("plan");

	tcase_add_loop_test(tc, evttype_sets, 0, sizeof(evt_cases) / sizeof(evt_cases[0]));
	tcase_add_test(tc, evttype_warning);
	tcase_add_test(tc, evttype_skipped);
	tcase_add_test(tc, arg_position_warning);
	tcase_add_test(tc, constant_folding);
	tcase_add_loop_test(tc, stages, 0, sizeof(stage_cases) / sizeof(stage_cases[0]));
	tcase_add_test(tc, stage_names_and_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("emit");
	tcase_add_loop_test(tc, round_trip, 0, sizeof(eval_cases) / sizeof(eval_cases[0]));
	tcase_add_loop_test(tc, operand_errors, 0, sizeof(err_cases) / sizeof(err_cases[0]));
	tcase_add_test(tc, limit_errors);
	tcase_add_test(tc, output_field_errors);
	tcase_add_test(tc, output_field_appended);
	tcase_add_test(tc, output_extra);
	tcase_add_test(tc, captures);
	tcase_add_test(tc, captures_procfs);
	tcase_add_test(tc, table_flags);
	tcase_add_test(tc, min_priority);
	suite_add_tcase(s, tc);

	optimize_tcases(s);

	tc = tcase_create("falco");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, falco_file, 0, sizeof(falco_files) / sizeof(falco_files[0]));
	tcase_add_test(tc, falco_files_together);
	suite_add_tcase(s, tc);
	return s;
}
