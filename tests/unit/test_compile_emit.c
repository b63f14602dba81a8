/* test_compile_emit.c - the code generator's emission (compiler/
 * codegen_emit.c): compiled programs run through the shared verifier and
 * evaluator, operand, limit and output-field errors, captures and table
 * flags, min_priority. Its test cases are the compile suite's "emit". */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/codegen.h"
#include "lib/fields.h"
#include "compiler/loader.h"
#include "kmod/common/table.h"
#include "tests/unit/compile_helpers.h"

/* test_compile.c */
extern const struct compile_opts all_events;
void compile_ok_opts(struct compiled *c, const char *yaml, const struct compile_opts *o);
void compile_ok(struct compiled *c, const char *yaml, bool match_all);
const struct shrike_rule *rule_at(const struct compiled *c, u32 i, const char *name);

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

void compile_emit_tcases(Suite *s);

void compile_emit_tcases(Suite *s)
{
	TCase *tc = tcase_create("emit");

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
}
