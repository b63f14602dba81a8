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
 *    text (ast.h says the printed form parses back to the same tree). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "compiler/loader.h"
#include "kmod/common/table.h"

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
	case SHRIKE_T_STR:
		out->str = items[field & 1];
		break;
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
	default:
		out->u = field & 1;
		break;
	}
	return SHRIKE_FETCH_OK;
}

static void check_compile(struct ruleset *rs, bool match_all)
{
	struct compile_opts o = { .match_all = match_all };
	struct shrike_table t;
	struct shrike_verr e;
	struct diag_list dl;
	void *out = NULL;
	size_t len = 0, i;
	int rc;

	diag_list_init(&dl);
	rc = compile_ruleset(rs, &o, &out, &len, &dl);
	for (i = 0; i < dl.n; i++)
		if (!strncmp(dl.v[i].msg, "internal:", 9))
			fail("internal error", dl.v[i].msg);
	if (rc < 0 && !dl.nerrors)
		fail("compile failed without an error", NULL);
	if (rc == 0) {
		if (!out || shrike_table_verify(out, (u32)len, &t, &e) < 0)
			fail("compiled table does not verify", out ? e.msg : "no table");
		if (t.nrules != rs->nrules)
			fail("rule count", NULL);
		for (i = 0; i < t.nrules; i++)
			if (shrike_eval(&t, &t.rules[i], fetch, NULL) > SHRIKE_V_UNKNOWN)
				fail("eval result out of range", NULL);
	}
	free(out);
	diag_list_free(&dl);
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
		struct rule_def rd = { .name = (char *)"cond", .cond = a, .source = SHRIKE_SRC_SYSCALL,
				       .enabled = true, .warn_evttypes = true };
		struct diag_list dl;
		struct rule_plan p;

		diag_list_init(&dl);
		if (plan_rule(&rd, &p, &dl) == 0) {
			free(plan_reason(&rd, &p));
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
	check_compile(rs, size & 1);
	check_condition(rs, data, size);
	ruleset_free(rs);
	return 0;
}
