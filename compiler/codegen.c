/* codegen.c - compiles a ruleset into a table: each rule planned
 * (codegen_plan.c), its program emitted and jump-threaded, its captures
 * (codegen_emit.c), then the shared verifier over the result: a table
 * shrikec writes is one shrike.ko accepts. */
#define _GNU_SOURCE
#include "codegen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optimize.h"
#include "../kmod/common/table.h"

/*
 * Jump threading over the program in [start, end): a JF lands where the
 * FALSE it leaves on the stack goes next. Landing on another JF, it goes on
 * to that one's target; landing on a JT, it goes past it (FALSE does not
 * jump); JT alike. The value on the stack is the same all the way, so the
 * result is; but a FALSE that decides a long "and" chain now leaves it in
 * one jump instead of one jump per remaining operand. From the end, so that
 * every later jump is already threaded.
 */
static void thread_jumps(struct tablebuf *tb, long start, long end)
{
	uint8_t op, top;
	uint16_t off, toff;
	long i, t;

	for (i = end - 1; i >= start; i--) {
		if (tb_insn_get(tb, i, &op, &off) || (op != SHRIKE_OP_JF && op != SHRIKE_OP_JT))
			continue;
		t = i + 1 + off;
		while (t < end && !tb_insn_get(tb, t, &top, &toff)) {
			if (top == op)
				t = t + 1 + toff;
			else if (top == SHRIKE_OP_JF || top == SHRIKE_OP_JT)
				t = t + 1;
			else
				break;
		}
		if (t != i + 1 + off)
			tb_patch_jump(tb, i, t);
	}
}

/*
 * Record mode (compile_opts.record): prog becomes `prog or (A and not A)`,
 * A = `evt.time exists`, an agent-only field: UNKNOWN in the kernel, so the
 * rule is never FALSE there, and known in the agent, where A and not A is
 * FALSE and the result is prog's. 0, or -1 on ENOMEM (prog unchanged).
 */
static int record_wrap(struct rule_plan *p)
{
	struct src_loc loc = p->prog->loc;
	struct ast *a = ast_new(AST_CMP, loc), *b, *w;

	if (!a || !(a->field = strdup("evt.time"))) {
		ast_free(a);
		return -1;
	}
	a->op = SHRIKE_CMP_EXISTS;
	b = ast_clone(a);
	if (b)
		b = ast_binary(AST_NOT, b, NULL, loc);
	w = b ? ast_binary(AST_AND, a, b, loc) : (ast_free(a), NULL);
	w = w ? ast_binary(AST_OR, p->prog, w, loc) : NULL;
	if (!w)
		return -1;
	p->prog = w;
	return 0;
}

/*
 * Emits a (the condition as written) into a scratch table, with its
 * diagnostics set aside: the length of its program with the RET, or -1 if
 * it has an error (or memory ran out).
 */
static long dry_run(const struct ast *a, const struct diag_item *item)
{
	struct tablebuf *tb = tb_new();
	struct diag_list dl;
	struct emitter e = { tb, &dl, item, 0 };
	long n = -1;

	if (!tb)
		return -1;
	diag_list_init(&dl);
	cg_emit(&e, a);
	tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
	if (!e.errors && !dl.nerrors)
		n = tb_ninsns(tb);
	diag_list_free(&dl);
	tb_free(tb);
	return n;
}

int compile_ruleset(const struct ruleset *rs, const struct compile_opts *o, void **out, size_t *len,
		    struct diag_list *dl)
{
	struct tablebuf *table = tb_new(), *aside = tb_new();
	struct shrike_table t;
	struct shrike_verr verr;
	size_t i;
	int ret = -1;

	*out = NULL;
	*len = 0;
	if (!table || !aside)
		goto out;
	tb_set_flags(table, o && o->match_all ? SHRIKE_TF_MATCH_ALL : 0);
	for (i = 0; i < rs->nrules; i++) {
		const struct rule_def *r = &rs->rules[i];
		struct diag_item item = { "rule", r->name, r->loc };
		/* A rule Falco would not load is still compiled, as Falco
		 * compiles it, so that its errors are the same; but into a
		 * table of its own that is thrown away. */
		struct tablebuf *tb = rule_in_table(r, o) ? table : aside;
		struct emitter e = { tb, dl, &item, 0 };
		struct captures caps = { .n = 0 };
		size_t noutput;
		struct rule_plan p;
		struct tb_rule tr;
		long start, plen;
		bool record;
		int rc;

		if (plan_rule_opts(r, o, &p, dl) < 0) {
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item, "out of memory");
			goto out;
		}
		/* The verifier would refuse these; say so at the rule, not as
		 * an internal error. */
		if (opt_stack_need(p.folded) > SHRIKE_MAX_STACK)
			diag_add(
				dl, DIAG_E_LIMIT, &r->loc, &item,
				"condition nests too deeply: it needs %zu stack entries, more than %d",
				opt_stack_need(p.folded), SHRIKE_MAX_STACK);
		if (strlen(r->name) > SHRIKE_NAME_MAX)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item,
				 "rule name of %zu bytes, more than %d", strlen(r->name),
				 SHRIKE_NAME_MAX);
		/* Compiled for the bucket, a rule must be accepted or refused
		 * as written: the condition as written is emitted aside first,
		 * and its errors and length are what count. With an error the
		 * rule is planned and emitted as written, so that the
		 * diagnostics are exactly those of -O0. */
		plen = -1;
		if (r->source == SHRIKE_SRC_SYSCALL && !(o && o->no_opt)) {
			plen = dry_run(p.folded, &item);
			if (plen < 0) {
				struct compile_opts o0 = { 0 };
				struct diag_list quiet;

				if (o)
					o0 = *o;
				o0.no_opt = true;
				plan_free(&p);
				diag_list_init(&quiet);
				rc = plan_rule_opts(r, &o0, &p, &quiet);
				diag_list_free(&quiet);
				if (rc < 0) {
					diag_add(dl, DIAG_E_LIMIT, &r->loc, &item, "out of memory");
					goto out;
				}
			}
		}
		record = o && o->record && r->source == SHRIKE_SRC_SYSCALL && !p.never;
		if (record && record_wrap(&p)) {
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item, "out of memory");
			plan_free(&p);
			goto out;
		}
		start = tb_ninsns(tb);
		cg_emit(&e, p.prog);
		tb_insn(tb, SHRIKE_OP_RET, 0, 0, 0, 0);
		if (plen < 0)
			plen = tb_ninsns(tb) - start;
		else
			thread_jumps(tb, start, tb_ninsns(tb));
		/*
		 * The output's fields, then the condition's: the kernel sends
		 * the latter only with a rule it could not decide (a field
		 * it cannot compute, its work budget spent), so the agent
		 * can decide it.
		 */
		cg_capture_output(&e, &caps, r);
		noutput = caps.n;
		cg_capture_cond(&e, &caps, p.prog);
		if (caps.overflow)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item,
				 "rule needs more than %d captured fields", SHRIKE_MAX_CAPTURES);
		if (plen > SHRIKE_MAX_PROG_LEN)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item,
				 "condition compiles to %ld instructions, more than %d", plen,
				 SHRIKE_MAX_PROG_LEN);
		memset(&tr, 0, sizeof(tr));
		tr.name = r->name;
		tr.desc = r->desc ? r->desc : "";
		tr.output = r->output ? r->output : "";
		tr.prog = (uint32_t)start;
		tr.prog_len = (uint32_t)(tb_ninsns(tb) - start);
		tr.source = (uint8_t)r->source;
		tr.priority = (uint8_t)r->priority;
		tr.flags = (r->enabled ? SHRIKE_RF_ENABLED : 0) |
			   (p.nagent_fields || record ? SHRIKE_RF_NEEDS_AGENT : 0) |
			   (p.all_events && r->source == SHRIKE_SRC_SYSCALL ? SHRIKE_RF_ALL_EVENTS
									    : 0) |
			   (p.entry ? SHRIKE_RF_ENTRY : 0);
		memcpy(tr.evtypes, p.evtypes, sizeof(tr.evtypes));
		tr.captures = caps.v;
		tr.ncaptures = caps.n;
		tr.ncond = record ? 0 : caps.n - noutput;
		tr.tags = (const char *const *)r->tags;
		tr.ntags = r->ntags;
		if (r->ntags > SHRIKE_MAX_TAGS)
			diag_add(dl, DIAG_E_LIMIT, &r->loc, &item, "rule has more than %d tags",
				 SHRIKE_MAX_TAGS);
		tb_rule(tb, &tr);
		plan_free(&p);
	}
	if (dl->nerrors)
		goto out;
	if (tb_serialize(table, out, len) < 0) {
		diag_add(dl, DIAG_E_LIMIT, NULL, NULL, "the table exceeds a format limit");
		goto out;
	}
	/* The same verifier the kernel runs: a table we write, it accepts. */
	if (shrike_table_verify(*out, (uint32_t)*len, &t, &verr) < 0) {
		diag_add(dl, DIAG_E_LIMIT, NULL, NULL, "internal: the table fails verification: %s",
			 verr.msg);
		free(*out);
		*out = NULL;
		*len = 0;
		goto out;
	}
	ret = 0;
out:
	tb_free(table);
	tb_free(aside);
	return ret;
}
