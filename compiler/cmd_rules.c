/* cmd_rules.c - shrikec compile, validate, list, fields and explain. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "codegen.h"
#include "../lib/fields.h"
#include "../kmod/common/table.h"

/* Compiles c->rs; diagnostics printed unless json. 0, 1 or 2. */
static int compile(struct cli *c, void **table, size_t *len)
{
	struct compile_opts o;
	size_t before = c->rs->diags.n, i;
	int ret = 0;

	cli_compile_opts(c, &o);
	if (compile_ruleset(c->rs, &o, table, len, &c->rs->diags) < 0)
		ret = c->rs->diags.nerrors ? 1 : 2;
	if (!c->json)
		for (i = before; i < c->rs->diags.n; i++)
			diag_print(stderr, &c->rs->diags.v[i]);
	return ret;
}

/* Parses the command line of the command cmd, then runs fn on it: the exit
 * code. */
static int run(const char *cmd, const char *usage, int (*fn)(struct cli *c), int argc, char **argv)
{
	struct cli c = { .cmd = cmd, .usage = usage };
	int ret = cli_parse(&c, argc, argv);

	if (ret < 0)
		ret = 0;
	else if (!ret)
		ret = fn(&c);
	cli_free(&c);
	return ret;
}

/* Plans rule r for where it is evaluated, its diagnostics set aside (they
 * are those the load or compile reported). 0, or -1 on ENOMEM. */
static int plan_quiet(const struct rule_def *r, const struct compile_opts *o, struct rule_plan *p)
{
	struct diag_list quiet;
	int ret;

	diag_list_init(&quiet);
	ret = plan_rule_opts(r, o, p, &quiet);
	diag_list_free(&quiet);
	return ret < 0 ? -1 : 0;
}

/* compile's summary: where each rule of the table is evaluated, its
 * program's length and the fields the kernel captures for it, then the
 * count per placement. On stderr, as the size line. The table holds the
 * rules rule_in_table() takes, in the ruleset's order. */
static int print_placement(struct cli *c, const struct compile_opts *o, const void *table,
			   size_t len)
{
	struct shrike_table t;
	size_t counts[3] = { 0 }, i;
	u32 k = 0;

	if (shrike_table_verify(table, (u32)len, &t, NULL) < 0)
		return 2;
	for (i = 0; i < c->rs->nrules; i++) {
		const struct rule_def *d = &c->rs->rules[i];
		const struct shrike_rule *r;
		struct rule_plan p;

		if (!rule_in_table(d, o))
			continue;
		if (k == t.nrules || plan_quiet(d, o, &p))
			return 2;
		r = &t.rules[k++];
		counts[p.stage]++;
		fprintf(stderr, "  %-33s %s (%u instructions, %u captured fields)%s\n",
			stage_name(p.stage), d->name, le32_to_cpu(r->prog_len),
			le16_to_cpu(r->ncaptures),
			le16_to_cpu(r->flags) & SHRIKE_RF_ENABLED ? "" : " disabled");
		plan_free(&p);
	}
	fprintf(stderr,
		"shrikec: %zu kernel only, %zu kernel prefilter + agent stage, %zu agent only\n",
		counts[STAGE_KERNEL], counts[STAGE_KERNEL_AGENT], counts[STAGE_AGENT]);
	return 0;
}

static const char compile_usage[] =
	"Usage: shrikec compile [--rule-matching first|all] [--priority LEVEL] [-A]\n"
	"                       [-O0] RULES... -o FILE\n"
	"Compiles Falco rule files and directories, in order, into a table\n"
	"for shrike.ko and shrike-agent.\n"
	"Options:\n" CLI_FALCO_USAGE CLI_OPT_USAGE;

static int compile_cmd(struct cli *c)
{
	struct compile_opts o;
	void *table = NULL;
	size_t len = 0, i, n = 0;
	FILE *f;
	int ret;

	if (!c->output) {
		fprintf(stderr, "shrikec compile: no output file (-o FILE)\n");
		return 1;
	}
	ret = cli_load(c, 0);
	if (!ret)
		ret = compile(c, &table, &len);
	if (!ret) {
		f = fopen(c->output, "wb");
		if (!f || fwrite(table, 1, len, f) != len || fclose(f)) {
			fprintf(stderr, "shrikec compile: cannot write %s: %s\n", c->output,
				strerror(errno));
			ret = 1;
		} else if (!c->quiet) {
			cli_compile_opts(c, &o);
			for (i = 0; i < c->rs->nrules; i++)
				n += rule_in_table(&c->rs->rules[i], &o);
			fprintf(stderr, "shrikec: %zu rules, %zu bytes -> %s\n", n, len, c->output);
			ret = print_placement(c, &o, table, len);
		}
	}
	free(table);
	return ret;
}

int cmd_compile(int argc, char **argv)
{
	return run("compile", compile_usage, compile_cmd, argc, argv);
}

static const char validate_usage[] =
	"Usage: shrikec validate [--json] [--priority LEVEL] [-A] RULES...\n"
	"Loads and compiles rule files; exit 0 when valid, 1 when not.\n"
	"--json prints a result like falco -V with --json.\n"
	"Options:\n" CLI_FALCO_USAGE;

static int validate_cmd(struct cli *c)
{
	void *table = NULL;
	size_t len = 0;
	int ret, r, i;

	ret = cli_load(c, 0);
	if (ret == 2)
		return 2;
	/* Compile what loaded even after errors: operand errors of the other
	 * rules are reported in the same run. */
	r = compile(c, &table, &len);
	if (r > ret)
		ret = r;
	free(table);
	if (c->json) {
		ruleset_print_json(stdout, c->rs);
	} else {
		for (i = 0; i < c->nargs; i++)
			printf("%s: %s\n", c->args[i], ret ? "Invalid" : "Ok");
		printf("%zu errors, %zu warnings\n", c->rs->diags.nerrors, c->rs->diags.nwarnings);
	}
	return ret;
}

int cmd_validate(int argc, char **argv)
{
	return run("validate", validate_usage, validate_cmd, argc, argv);
}

static void print_tags(FILE *f, const struct rule_def *r, const char *sep)
{
	size_t i;

	for (i = 0; i < r->ntags; i++)
		fprintf(f, "%s%s", i ? sep : "", r->tags[i]);
}

static const char list_usage[] =
	"Usage: shrikec list [--json] [--priority LEVEL] [-A] [-O0] RULES...\n"
	"Lists the rules with source, priority, tags and where each is\n"
	"evaluated: kernel only, kernel prefilter + agent stage, or agent only.\n"
	"Options:\n" CLI_FALCO_USAGE CLI_OPT_USAGE;

static int list_cmd(struct cli *c)
{
	struct compile_opts o;
	size_t i, counts[3] = { 0 };
	int ret;

	c->quiet = true;
	ret = cli_load(c, 0);
	if (ret)
		return ret;
	if (c->json)
		printf("[");
	for (i = 0; i < c->rs->nrules; i++) {
		const struct rule_def *r = &c->rs->rules[i];
		struct rule_plan p;
		char *why;

		cli_compile_opts(c, &o);
		if (plan_quiet(r, &o, &p))
			return 2;
		why = plan_reason(r, &p);
		counts[p.stage]++;
		if (c->json) {
			size_t t;
			char *cond;

			printf("%s\n{\"name\":", i ? "," : "");
			diag_json_str(stdout, r->name);
			printf(",\"source\":\"%s\",\"priority\":\"%s\",\"enabled\":%s,\"tags\":[",
			       field_source_name(r->source), ruleset_priority_str(r->priority),
			       r->enabled ? "true" : "false");
			for (t = 0; t < r->ntags; t++) {
				printf("%s", t ? "," : "");
				diag_json_str(stdout, r->tags[t]);
			}
			printf("],\"evaluated\":\"%s\",\"why\":", stage_name(p.stage));
			diag_json_str(stdout, why);
			/* Macros, lists and exceptions expanded, in Falco's
			 * syntax: what a libsinsp filter (sysdig) reads. */
			cond = ast_to_string(r->cond);
			printf(",\"condition\":");
			diag_json_str(stdout, cond ? cond : "");
			free(cond);
			printf(",\"output\":");
			diag_json_str(stdout, r->output);
			printf("%s}", rule_in_table(r, &o) ? "" : ",\"loaded\":false");
		} else {
			printf("%s\n  source: %s  priority: %s%s%s  tags: ", r->name,
			       field_source_name(r->source), ruleset_priority_str(r->priority),
			       r->enabled ? "" : "  (disabled)",
			       rule_in_table(r, &o)
				       ? ""
				       : "  (not loaded: less severe than --priority)");
			print_tags(stdout, r, ",");
			printf("\n  evaluated: %s: %s\n", stage_name(p.stage), why ? why : "");
		}
		free(why);
		plan_free(&p);
	}
	if (c->json)
		printf("\n]\n");
	else
		printf("\n%zu rules: %zu kernel only, %zu kernel prefilter + agent stage, %zu agent only\n",
		       c->rs->nrules, counts[STAGE_KERNEL], counts[STAGE_KERNEL_AGENT],
		       counts[STAGE_AGENT]);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	return run("list", list_usage, list_cmd, argc, argv);
}

static const char fields_usage[] =
	"Usage: shrikec fields [--json]\n"
	"Lists every supported field with its type, where it is evaluated\n"
	"(kernel or agent), its source and description.\n";

static int fields_cmd(struct cli *c)
{
	fields_print(stdout, c->json);
	return 0;
}

int cmd_fields(int argc, char **argv)
{
	return run("fields", fields_usage, fields_cmd, argc, argv);
}

static const char *const op_names[] = {
	[SHRIKE_OP_TEST] = "test", [SHRIKE_OP_PUSH] = "push", [SHRIKE_OP_NOT] = "not",
	[SHRIKE_OP_AND] = "and",   [SHRIKE_OP_OR] = "or",     [SHRIKE_OP_JF] = "jf",
	[SHRIKE_OP_JT] = "jt",	   [SHRIKE_OP_RET] = "ret",
};

static void print_str(FILE *f, const struct shrike_table *t, u32 i)
{
	u32 len;
	const char *s = shrike_str_at(t, i, &len);

	fprintf(f, "\"%.*s\"", (int)len, s);
}

/* A CIDR set's entries, as the table holds them: host bits cleared. */
static void print_cidrs(FILE *f, const struct shrike_table *t, u32 set)
{
	char buf[INET6_ADDRSTRLEN];
	u32 i, n = 0;

	fputs(" (", f);
	for (i = 0; i < t->ncidrs; i++) {
		const struct shrike_cidr *c = &t->cidrs[i];

		if (le32_to_cpu(c->set) != set)
			continue;
		if (!inet_ntop(c->family == 4 ? AF_INET : AF_INET6, c->addr, buf, sizeof(buf)))
			strcpy(buf, "?");
		fprintf(f, "%s%s/%u", n++ ? ", " : "", buf, c->prefix);
	}
	fputc(')', f);
}

/* The kernel program, one instruction a line. */
static void disasm(FILE *f, const struct shrike_table *t, const struct shrike_rule *r)
{
	u32 i, n = le32_to_cpu(r->prog_len), first = le32_to_cpu(r->prog);

	for (i = 0; i < n; i++) {
		const struct shrike_insn *in = &t->insns[first + i];
		u16 field = le16_to_cpu(in->field), arg = le16_to_cpu(in->arg);
		u16 opnd = le16_to_cpu(in->operand);
		const struct field_info *fi;

		fprintf(f, "    %3u  %-4s", i, op_names[in->op]);
		switch (in->op) {
		case SHRIKE_OP_TEST:
			fi = field_at(field);
			fprintf(f, " %s", fi ? fi->name : "?");
			if (arg != SHRIKE_ARG_NONE) {
				if (fi && fi->argkind == SHRIKE_ARGK_INDEX)
					fprintf(f, "[%u]", arg);
				else {
					fputc('[', f);
					print_str(f, t, arg);
					fputc(']', f);
				}
			}
			fprintf(f, " %s", ast_op_str(in->cmp));
			if (in->cmp == SHRIKE_CMP_EXISTS) {
				;
			} else if (fi &&
				   (fi->type == SHRIKE_T_IPADDR || fi->type == SHRIKE_T_IPNET)) {
				fprintf(f, " set#%u", opnd);
				print_cidrs(f, t, opnd);
			} else if (in->cmp == SHRIKE_CMP_IN || in->cmp == SHRIKE_CMP_INTERSECTS ||
				   in->cmp == SHRIKE_CMP_PMATCH)
				fprintf(f, " set#%u (%u items)", opnd,
					le32_to_cpu(t->sets[opnd].count));
			else if (fi && (fi->type == SHRIKE_T_U64 || fi->type == SHRIKE_T_S64 ||
					fi->type == SHRIKE_T_BOOL))
				fprintf(f, " %lld", (long long)le64_to_cpu(t->ints[opnd]));
			else {
				fputc(' ', f);
				print_str(f, t, opnd);
			}
			if (fi && fi->where == SHRIKE_W_AGENT)
				fprintf(f, "    ; agent");
			break;
		case SHRIKE_OP_PUSH:
			fprintf(f, " %s",
				opnd == SHRIKE_V_TRUE	 ? "true"
				: opnd == SHRIKE_V_FALSE ? "false"
							 : "unknown");
			break;
		case SHRIKE_OP_JF:
		case SHRIKE_OP_JT: fprintf(f, " -> %u", i + 1 + opnd); break;
		}
		fputc('\n', f);
	}
}

static size_t print_bits(const uint64_t *w, bool count_only)
{
	size_t i, n = 0;

	for (i = 0; i < evtypes_count(); i++)
		if ((w[i / 64] >> (i % 64)) & 1) {
			if (!count_only)
				printf(" %s", evtype_name((int)i));
			n++;
		}
	return n;
}

/* The rule's event types, and those left out because Falco skips them
 * unless run with -A: the rule never runs on them either. */
static void print_evtypes(const struct rule_plan *p)
{
	uint64_t all[SHRIKE_EVT_BITMAP_WORDS];
	size_t i, n;
	bool every = true;

	for (i = 0; i < SHRIKE_EVT_BITMAP_WORDS; i++)
		all[i] = p->evtypes[i] | p->skipped[i];
	for (i = 0; i < evtypes_count() && every; i++)
		every = (all[i / 64] >> (i % 64)) & 1;
	printf("event types:");
	if (p->all_events) {
		printf(" all (no finite set)");
	} else if (every) {
		n = print_bits(p->skipped, true);
		printf(" all but the %zu Falco skips unless run with -A:", n);
		print_bits(p->skipped, false);
	} else {
		print_bits(p->evtypes, false);
		n = print_bits(p->skipped, true);
		if (n) {
			printf(" (without");
			print_bits(p->skipped, false);
			printf(": Falco skips %s unless run with -A)", n == 1 ? "it" : "them");
		}
	}
	printf("\nevaluated at: syscall %s\n", p->entry ? "entry (evt.dir = >)" : "exit");
}

/* The condition the program computes, when it is not the one printed
 * above: tests the bucket decides folded, and/or operands by cost. */
static void print_prog_cond(const struct rule_plan *p)
{
	char *a = ast_to_string(p->folded), *b = ast_to_string(p->prog);

	if (a && b && strcmp(a, b)) {
		printf("program condition (");
		if (p->bucket_folded)
			printf("evt.type/evt.dir tests decided by the rule's event types and "
			       "direction folded%s",
			       p->ordered ? "; " : "");
		if (p->ordered || !p->bucket_folded)
			printf("and/or operands in the program's order: by estimated cost, cheap "
			       "tests likely to decide first");
		printf("):\n    %s\n", b);
	}
	free(a);
	free(b);
}

static const char explain_usage[] =
	"Usage: shrikec explain [--priority LEVEL] [-A] [-O0] RULE RULES...\n"
	"Shows how a rule is compiled: its event types, where it is evaluated\n"
	"and why, the kernel program, the agent part and the captured fields.\n"
	"Options:\n" CLI_FALCO_USAGE CLI_OPT_USAGE;

static int explain_cmd(struct cli *c)
{
	struct compile_opts o;
	const struct rule_def *r;
	struct shrike_table t;
	struct rule_plan p;
	void *table = NULL;
	size_t len = 0, i;
	int ret;

	if (c->nargs < 2) {
		fputs(c->usage, stderr);
		return 1;
	}
	c->quiet = true;
	ret = cli_load(c, 1);
	if (!ret)
		ret = compile(c, &table, &len);
	if (ret)
		goto out;
	r = ruleset_find_rule(c->rs, c->args[0]);
	if (!r) {
		fprintf(stderr, "shrikec explain: no rule named '%s'\n", c->args[0]);
		ret = 1;
		goto out;
	}
	cli_compile_opts(c, &o);
	if (shrike_table_verify(table, (u32)len, &t, NULL) < 0 ||
	    plan_rule_opts(r, &o, &p, &c->rs->diags) < 0) {
		ret = 2;
		goto out;
	}
	printf("rule: %s (%s:%d:%d)\n", r->name, r->loc.file, r->loc.line, r->loc.col);
	printf("source: %s  priority: %s  enabled: %s\n", field_source_name(r->source),
	       ruleset_priority_str(r->priority), r->enabled ? "yes" : "no");
	if (!rule_in_table(r, &o))
		printf("not in the table: less severe than --priority %s (Falco does not load it)\n",
		       ruleset_priority_str(o.min_priority));
	if (r->source == SHRIKE_SRC_SYSCALL)
		print_evtypes(&p);
	{
		char *why = plan_reason(r, &p);

		printf("evaluated: %s: %s\n", stage_name(p.stage), why ? why : "");
		free(why);
	}
	printf("condition (expanded, folded):\n    ");
	ast_print(stdout, p.folded);
	printf("\n");
	print_prog_cond(&p);
	for (i = 0; i < t.nrules; i++) {
		const struct shrike_rule *tr = &t.rules[i];
		u32 nlen;
		const char *name = shrike_rule_name(&t, tr, &nlen);

		if (nlen != strlen(r->name) || memcmp(name, r->name, nlen))
			continue;
		printf("program (%u instructions; the kernel runs it with userspace-only fields "
		       "UNKNOWN, the agent runs it again with every field):\n",
		       le32_to_cpu(tr->prog_len));
		disasm(stdout, &t, tr);
		{
			u32 ncap = le16_to_cpu(tr->ncaptures);
			u32 nout = ncap - le16_to_cpu(tr->ncond);

			printf("captured for the agent:");
			if (!nout)
				printf(" nothing");
			for (u32 k = 0; k < ncap; k++) {
				const struct shrike_capture *cap = shrike_rule_capture(&t, tr, k);
				const struct field_info *fi = field_at(le16_to_cpu(cap->field));
				u16 arg = le16_to_cpu(cap->arg);

				if (k == nout)
					printf("\ncaptured too when the kernel cannot decide the rule:");
				printf(" %s", fi ? fi->name : "?");
				if (arg != SHRIKE_ARG_NONE && fi &&
				    fi->argkind == SHRIKE_ARGK_INDEX)
					printf("[%u]", arg);
				else if (arg != SHRIKE_ARG_NONE) {
					u32 alen;
					const char *a = shrike_str_at(&t, arg, &alen);

					printf("[%.*s]", (int)alen, a);
				}
			}
		}
		printf("\n");
		break;
	}
	plan_free(&p);
out:
	free(table);
	return ret;
}

int cmd_explain(int argc, char **argv)
{
	return run("explain", explain_usage, explain_cmd, argc, argv);
}
