/* test_compile.c - the code generator: event-type sets as Falco computes
 * them, constant folding, the kernel/agent split and its reasons, and
 * Falco's own rule files compiling into tables the kernel takes; the compile
 * suite, whose "emit" test cases are in test_compile_emit.c (compiled
 * programs run through the shared verifier and evaluator, operand errors,
 * captures and table flags) and whose optimisation ones in test_optimize.c. */
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
#include "tests/unit/compile_helpers.h"

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
const struct compile_opts all_events = { .all_events = true };

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

/* compile_verified() of yaml, one table rule for each rule. */
void compile_ok_opts(struct compiled *c, const char *yaml, const struct compile_opts *o)
{
	compile_verified(c, yaml, o);
	ck_assert_int_eq(c->t.nrules, c->rs->nrules);
}

void compile_ok(struct compiled *c, const char *yaml, bool match_all)
{
	struct compile_opts o = { .match_all = match_all };

	compile_ok_opts(c, yaml, &o);
}

/* Rule i of the table, checked to be the i-th rule of the ruleset. */
const struct shrike_rule *rule_at(const struct compiled *c, u32 i, const char *name)
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

/* test_compile_emit.c */
void compile_emit_tcases(Suite *s);
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

	compile_emit_tcases(s);

	optimize_tcases(s);

	tc = tcase_create("falco");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, falco_file, 0, sizeof(falco_files) / sizeof(falco_files[0]));
	tcase_add_test(tc, falco_files_together);
	suite_add_tcase(s, tc);
	return s;
}
