/* fuzz_rules.c - libFuzzer harness for the rules front end (YAML loader,
 * condition parser, macro/list/exception expansion) and the code generator.
 * The input is a rules file: it is loaded, finished, planned and compiled,
 * and every rule of the table is evaluated. Its first line alone is also
 * parsed as a condition and planned.
 *
 *   make build/fuzz/fuzz_rules
 *   build/fuzz/fuzz_rules -max_total_time=60 -timeout=10 tests/fuzz/corpus_rules
 *
 * Beyond what ASan/UBSan/LSan catch, it aborts when the compiler breaks one
 * of its promises, because those are the bugs a sanitizer cannot see:
 *  - a table compile_ruleset() returns is one the verifier accepts, and
 *    user mistakes are diagnosed at the rule, never as "internal:" errors;
 *  - compile_ruleset() fails only with an error diagnostic;
 *  - a parsed condition printed by ast_to_string() parses back to the same
 *    text (ast.h says the printed form parses back to the same tree);
 *  - compiling for the bucket (the default; -O0 is no_opt) changes no
 *    decision: both tables come with the same diagnostics, and every rule
 *    gives the same TRUE/FALSE/UNKNOWN on the same random events of its
 *    event types and direction (tests/unit/equiv.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "compiler/loader.h"
#include "compiler/optimize.h"
#include "kmod/common/table.h"
#include "tests/unit/equiv.h"

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_rules: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* Values for every field: agent-only ones are UNKNOWN, as in the kernel. */
static int fetch(void *ctx, u16 field, u16 arg, struct shrike_val *out)
{
	static const struct shrike_str items[2] = { { "a", 1 }, { "/etc", 4 } };

	(void)ctx;
	(void)arg;
	if (shrike_fields[field].where == SHRIKE_W_AGENT)
		return SHRIKE_FETCH_UNKNOWN;
	memset(out, 0, sizeof(*out));
	out->type = shrike_fields[field].type;
	switch (out->type) {
	case SHRIKE_T_STR: out->str = items[field & 1]; break;
	case SHRIKE_T_STRLIST:
		out->list.items = items;
		out->list.n = 2;
		break;
	case SHRIKE_T_IPADDR:
	case SHRIKE_T_IPNET:
		out->family = 4;
		out->prefix = 24;
		out->ip[0] = 10;
		break;
	default: out->u = field & 1; break;
	}
	return SHRIKE_FETCH_OK;
}

/* The diagnostics, one a line, for comparing two compilations. */
static char *diag_text(const struct diag_list *dl)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (i = 0; i < dl->n; i++)
		fprintf(f, "%d %d:%d %s\n", dl->v[i].code, dl->v[i].loc.line, dl->v[i].loc.col,
			dl->v[i].msg);
	fclose(f);
	return buf;
}

static void check_compile(struct ruleset *rs, bool match_all, uint64_t seed)
{
	struct compile_opts o[2] = { { .match_all = match_all, .no_opt = true },
				     { .match_all = match_all } };
	struct shrike_table t[2];
	struct shrike_verr e;
	struct diag_list dl[2];
	struct equiv_stats st = { 0 };
	void *out[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 }, i;
	char *d[2], err[512];
	int rc[2], k;

	for (k = 0; k < 2; k++) {
		diag_list_init(&dl[k]);
		rc[k] = compile_ruleset(rs, &o[k], &out[k], &len[k], &dl[k]);
		for (i = 0; i < dl[k].n; i++)
			if (!strncmp(dl[k].v[i].msg, "internal:", 9))
				fail("internal error", dl[k].v[i].msg);
		if (rc[k] < 0 && !dl[k].nerrors)
			fail("compile failed without an error", NULL);
		if (rc[k] == 0) {
			if (!out[k] || shrike_table_verify(out[k], (u32)len[k], &t[k], &e) < 0)
				fail("compiled table does not verify", out[k] ? e.msg : "no table");
			if (t[k].nrules != rs->nrules)
				fail("rule count", NULL);
			for (i = 0; i < t[k].nrules; i++)
				if (shrike_eval(&t[k], &t[k].rules[i], fetch, NULL) >
				    SHRIKE_V_UNKNOWN)
					fail("eval result out of range", NULL);
		}
		d[k] = diag_text(&dl[k]);
	}
	if (rc[0] != rc[1] || !d[0] || !d[1] || strcmp(d[0], d[1])) {
		fprintf(stderr, "-O0 (%d):\n%s-O1 (%d):\n%s", rc[0], d[0] ? d[0] : "", rc[1],
			d[1] ? d[1] : "");
		fail("the optimisation changes the diagnostics", NULL);
	}
	if (rc[0] == 0 &&
	    equiv_check(&t[0], &t[1], rs->rules, rs->nrules, 32, seed, &st, err, sizeof(err)))
		fail("the optimisation changes a decision", err);
	for (k = 0; k < 2; k++) {
		free(out[k]);
		free(d[k]);
		diag_list_free(&dl[k]);
	}
}

static void check_plans(struct ruleset *rs)
{
	struct diag_list dl;
	struct rule_plan p;
	size_t i;
	char *why;

	diag_list_init(&dl);
	for (i = 0; i < rs->nrules; i++) {
		if (plan_rule(&rs->rules[i], &p, &dl) < 0)
			continue;
		why = plan_reason(&rs->rules[i], &p);
		free(why);
		plan_free(&p);
	}
	diag_list_free(&dl);
}

static void check_condition(struct ruleset *rs, const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	char *text = malloc(n + 1), *s1, *s2;
	struct ast *a, *b;

	if (!text)
		return;
	memcpy(text, data, n);
	text[n] = 0;
	a = ruleset_parse_condition(rs, "cond", text, SHRIKE_SRC_SYSCALL);
	free(text);
	if (!a)
		return;
	s1 = ast_to_string(a);
	if (s1) {
		b = ruleset_parse_condition(rs, "printed", s1, SHRIKE_SRC_SYSCALL);
		if (!b)
			fail("printed condition does not parse", s1);
		s2 = ast_to_string(b);
		if (s2 && strcmp(s1, s2)) {
			fprintf(stderr, "first:  %s\nsecond: %s\n", s1, s2);
			fail("printed condition parses to another", NULL);
		}
		free(s2);
		ast_free(b);
		free(s1);
	}
	{
		struct rule_def rd = { .name = (char *)"cond",
				       .cond = a,
				       .source = SHRIKE_SRC_SYSCALL,
				       .enabled = true,
				       .warn_evttypes = true };
		struct diag_list dl;
		struct rule_plan p;

		struct compile_opts o0 = { .no_opt = true };

		diag_list_init(&dl);
		if (plan_rule(&rd, &p, &dl) == 0) {
			free(plan_reason(&rd, &p));
			/* Ordering never pushes a program past the stack limit. */
			if (opt_stack_need(p.folded) <= SHRIKE_MAX_STACK &&
			    opt_stack_need(p.prog) > SHRIKE_MAX_STACK)
				fail("ordered program needs too much stack", NULL);
			plan_free(&p);
		}
		if (plan_rule_opts(&rd, &o0, &p, &dl) == 0) {
			char *f = ast_to_string(p.folded), *g = ast_to_string(p.prog);

			if (f && g && strcmp(f, g))
				fail("-O0 program is not the condition as written", g);
			free(f);
			free(g);
			plan_free(&p);
		}
		diag_list_free(&dl);
	}
	ast_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset *rs = ruleset_new();

	if (!rs)
		return 0;
	ruleset_load_string(rs, "fuzz.yaml", (const char *)data, size);
	ruleset_finish(rs);
	check_plans(rs);
	/* Both table flags, without spending input bytes on it. */
	check_compile(rs, size & 1, equiv_mix(size ^ (size ? data[size / 2] : 0)));
	check_condition(rs, data, size);
	ruleset_free(rs);
	return 0;
}
