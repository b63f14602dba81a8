/* test_loader.c - rule-file semantics: macros and their visibility, lists,
 * every exception form (exact resulting condition), append and the override
 * matrix, sources, priorities, versions, malformed files, and Falco's own
 * rule files loading with no error. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compiler/loader.h"
#include "compiler/select.h"

static struct ruleset *load(const char *yaml)
{
	struct ruleset *rs = ruleset_new();
	ck_assert_ptr_nonnull(rs);
	ruleset_load_string(rs, "t.yaml", yaml, strlen(yaml));
	ruleset_finish(rs);
	return rs;
}

/* The canonical condition of rule `name`, or "-" if absent. */
static char *cond_of(const struct ruleset *rs, const char *name)
{
	const struct rule_def *r = ruleset_find_rule(rs, name);
	return r ? ast_to_string(r->cond) : strdup("-");
}

/* "CODE line:col message" for every diagnostic, one per line. */
static char *diags(const struct ruleset *rs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	for (size_t i = 0; i < rs->diags.n; i++) {
		const struct diag *d = &rs->diags.v[i];
		fprintf(f, "%s %d:%d %s\n", diag_code_str(d->code), d->loc.line, d->loc.col,
			d->msg);
	}
	fclose(f);
	return buf;
}

#define RULE(name, cond) \
	"- rule: " name "\n  desc: d\n  output: o\n  priority: INFO\n  condition: " cond "\n"

#define EXPECT_COND(rs, name, want)           \
	do {                                  \
		char *_g = cond_of(rs, name); \
		ck_assert_str_eq(_g, want);   \
		free(_g);                     \
	} while (0)
/* Errors only: the fixtures leave some lists unused on purpose. */
static char *errors_of(const struct ruleset *rs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	for (size_t i = 0; i < rs->diags.n; i++) {
		const struct diag *d = &rs->diags.v[i];
		if (d->sev == DIAG_SEV_ERROR)
			fprintf(f, "%s %d:%d %s\n", diag_code_str(d->code), d->loc.line, d->loc.col,
				d->msg);
	}
	fclose(f);
	return buf;
}

#define EXPECT_ERRORS(rs, want)             \
	do {                                \
		char *_g = errors_of(rs);   \
		ck_assert_str_eq(_g, want); \
		free(_g);                   \
	} while (0)
#define EXPECT_DIAGS(rs, want)              \
	do {                                \
		char *_g = diags(rs);       \
		ck_assert_str_eq(_g, want); \
		free(_g);                   \
	} while (0)

START_TEST(macros_and_lists)
{
	struct ruleset *rs = load(
		"- list: sh\n  items: [bash, sh]\n"
		"- list: all_sh\n  items: [sh, zsh, '\"(systemd)\"', \"a b\"]\n"
		"- macro: spawned\n  condition: evt.type = execve\n"
		"- macro: shell\n  condition: spawned and proc.name in (all_sh)\n" RULE(
			"R",
			"shell and not proc.pname in (sh, \"sh\") and later") "- macro: later\n  condition: (evt.num=0)\n");
	EXPECT_DIAGS(rs, "");
	EXPECT_COND(
		rs, "R",
		"(evt.type = execve and proc.name in (bash, sh, zsh, \"(systemd)\", \"a b\") and "
		"not proc.pname in (bash, sh, sh) and evt.num = 0)");
	ck_assert_int_eq(rs->nrules, 1);
	ck_assert_int_eq(rs->rules[0].priority, SHRIKE_PRI_INFORMATIONAL);
	ck_assert_int_eq(rs->rules[0].source, SHRIKE_SRC_SYSCALL);
	ck_assert(rs->rules[0].enabled);
	ck_assert_str_eq(rs->rules[0].cond_text,
			 "shell and not proc.pname in (sh, \"sh\") and later");
	ruleset_free(rs);
}
END_TEST

START_TEST(macro_visibility_and_cycles)
{
	/* A macro sees only macros defined before it. */
	struct ruleset *rs = load("- macro: a\n  condition: b\n"
				  "- macro: b\n  condition: proc.name = x\n" RULE("R", "a"));
	EXPECT_DIAGS(rs, "E-UNDEF-MACRO 2:14 Undefined macro 'b' used in filter.\n"
			 "W-UNUSED-MACRO 3:3 Macro not referred to by any other rule/macro\n");
	ck_assert_int_eq(rs->nrules, 0);
	ruleset_free(rs);

	/* Redefining a after b makes b visible to it: a -> b -> a. */
	rs = load("- macro: a\n  condition: proc.name = x\n"
		  "- macro: b\n  condition: a\n"
		  "- macro: a\n  condition: b\n" RULE("R", "a"));
	ck_assert_int_eq(ruleset_errors(rs), 1);
	ck_assert_int_eq(rs->diags.v[0].code, DIAG_E_MACRO_CYCLE);
	ruleset_free(rs);

	rs = load(RULE("R", "nope or proc.name = a"));
	EXPECT_DIAGS(rs, "E-UNDEF-MACRO 5:14 Undefined macro 'nope' used in filter.\n");
	ruleset_free(rs);
}
END_TEST

START_TEST(nested_lists_visibility)
{
	struct ruleset *rs = load("- list: a\n  items: [x]\n"
				  "- list: b\n  items: [a, c, later]\n"
				  "- list: later\n  items: [z]\n" RULE("R", "proc.name in (b)"));
	/* "later" is defined after b: a list item, not a reference. */
	EXPECT_COND(rs, "R", "proc.name in (x, c, later)");
	ruleset_free(rs);
}
END_TEST

/*
 * A list named as the value of a one-value operator: Falco pastes the
 * list's items in place of its name (a token of its own: blanks, '(', ')',
 * ',' or '=' around it), so one item makes the comparison with that item;
 * none or several make a condition Falco rejects. A quoted value is a
 * string, never a list.
 */
START_TEST(list_as_value)
{
	struct ruleset *rs = load(
		"- list: cat_binaries\n  items: [cat]\n"
		"- list: quoted\n  items: ['\"a b\"']\n"
		"- list: ports\n  items: [8080]\n"
		"- macro: is_cat\n  condition: proc.name=cat_binaries\n" RULE(
			"R",
			"evt.type = execve and is_cat and proc.pname != cat_binaries and "
			"proc.cmdline contains quoted and proc.aname[2] = \"cat_binaries\" and "
			"fd.sport >= ports"));
	EXPECT_DIAGS(rs, "");
	EXPECT_COND(rs, "R",
		    "(evt.type = execve and proc.name = cat and proc.pname != cat and "
		    "proc.cmdline contains \"a b\" and proc.aname[2] = cat_binaries and "
		    "fd.sport >= 8080)");
	ruleset_free(rs);

	rs = load("- list: shells\n  items: [bash, sh]\n- list: none\n  items: []\n" RULE(
		"R", "proc.name = shells") RULE("S", "proc.aname[1] != shells")
			  RULE("T", "proc.name startswith none"));
	EXPECT_DIAGS(
		rs, "E-OPERAND 9:26 'shells' is a list of 2 items: Falco pastes them in place of "
		    "its name, and operator '=' takes one value; 'proc.name in (shells)' compares "
		    "with each item\n"
		    "E-OPERAND 14:31 'shells' is a list of 2 items: Falco pastes them in place of "
		    "its name, and operator '!=' takes one value; 'not proc.aname[1] in (shells)' "
		    "compares with each item\n"
		    "E-OPERAND 19:35 'none' is an empty list: Falco pastes nothing in place of its "
		    "name, which leaves operator 'startswith' without a value\n");
	ck_assert_int_eq(rs->nrules, 0);
	ruleset_free(rs);
}
END_TEST

static const char exc_base[] =
	"- list: allowed\n  items: [good1, good2]\n"
	"- rule: R\n  desc: d\n  output: o\n  priority: WARNING\n  condition: evt.type = open\n  exceptions:\n";

static char *with_exc(const char *exc)
{
	char *s;
	if (asprintf(&s, "%s%s", exc_base, exc) < 0)
		return NULL;
	return s;
}

#define EXC_CASE(exc, want)                     \
	do {                                    \
		char *_y = with_exc(exc);       \
		struct ruleset *_rs = load(_y); \
		EXPECT_ERRORS(_rs, "");         \
		EXPECT_COND(_rs, "R", want);    \
		ruleset_free(_rs);              \
		free(_y);                       \
	} while (0)

START_TEST(exceptions_forms)
{
	/* multi-field, explicit comps, several value tuples */
	EXC_CASE("  - name: e\n    fields: [proc.name, fd.name]\n    comps: [=, startswith]\n"
		 "    values: [[a, /tmp], [\"b c\", /var]]\n",
		 "(evt.type = open and not ((proc.name = a and fd.name startswith /tmp) or "
		 "(proc.name = \"b c\" and fd.name startswith /var)))");
	/* multi-field, default comps "=" */
	EXC_CASE("  - name: e\n    fields: [proc.name, proc.pname]\n    values: [[a, b]]\n",
		 "(evt.type = open and not (proc.name = a and proc.pname = b))");
	/* single field: default "in", flat values, a list name expands */
	EXC_CASE("  - name: e\n    fields: proc.name\n    values: [allowed, x]\n",
		 "(evt.type = open and not proc.name in (good1, good2, x))");
	/* single field with pmatch */
	EXC_CASE("  - name: e\n    fields: fd.name\n    comps: pmatch\n    values: [/etc, /usr]\n",
		 "(evt.type = open and not fd.name pmatch (/etc, /usr))");
	/* list comp with a list name, a (..) string and a YAML sequence */
	EXC_CASE(
		"  - name: e\n    fields: [proc.name, fd.name, proc.pname]\n    comps: [in, in, in]\n"
		"    values: [[allowed, \"(a, 'b c')\", [p, allowed]]]\n",
		"(evt.type = open and not (proc.name in (good1, good2) and fd.name in (a, \"b c\") and "
		"proc.pname in (p, good1, good2)))");
	/* no values: no condition added; two exceptions chain */
	EXC_CASE("  - name: e1\n    fields: [proc.name]\n"
		 "  - name: e2\n    fields: [proc.name]\n    values: [[x]]\n"
		 "  - name: e3\n    fields: fd.name\n    values: [y]\n",
		 "(evt.type = open and not proc.name = x and not fd.name in (y))");
}
END_TEST

START_TEST(exceptions_errors)
{
	static const struct {
		const char *exc, *want;
	} c[] = {
		{ "  - name: e\n    fields: [proc.name, fd.name]\n    comps: [=]\n    values: [[a, b]]\n",
		  "E-EXCEPTION 11:12 Fields and comps lists must have equal length\n" },
		{ "  - name: e\n    fields: [proc.name]\n    values: [[a, b]]\n",
		  "E-EXCEPTION 11:14 Fields and values lists must have equal length\n" },
		{ "  - name: e\n    fields: proc.name\n    comps: =\n    values: [a]\n",
		  "E-EXCEPTION 11:12 When fields is a single value, comps must be one of (in, pmatch, intersects)\n" },
		{ "  - name: e\n    fields: [proc.name]\n    comps: [like]\n    values: [[a]]\n",
		  "E-EXCEPTION 11:13 'like' is not a supported comparison operator\n" },
		{ "  - name: e\n    fields: proc.name\n    values: [[a]]\n",
		  "E-EXCEPTION 11:14 Expected values array to contain a list of strings\n" },
		{ "  - name: e\n    values: [[a]]\n",
		  "E-EXCEPTION 9:5 Rule exception 'e' must have a 'fields' property\n" },
		{ "  - name: e\n    fields: [xyz.f]\n    values: [[a]]\n",
		  "E-UNKNOWN-FIELD 10:14 unknown field 'xyz.f'\n" },
		{ "  - name: e\n    fields: [proc.name]\n  - name: e\n    fields: [fd.name]\n",
		  "E-EXCEPTION 11:5 Exceptions names in the same object must be unique ('e')\n" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		char *y = with_exc(c[i].exc);
		struct ruleset *rs = load(y);
		char *g = errors_of(rs);
		ck_assert_msg(!strcmp(g, c[i].want), "case %zu: got '%s' want '%s'", i, g,
			      c[i].want);
		free(g);
		free(y);
		ruleset_free(rs);
	}
}
END_TEST

START_TEST(legacy_append)
{
	struct ruleset *rs = load(
		"- list: l\n  items: [a]\n"
		"- list: l\n  items: [b]\n  append: true\n"
		"- macro: m\n  condition: proc.name = x\n"
		"- macro: m\n  condition: or proc.name = y\n  append: true\n" RULE(
			"R",
			"m and proc.pname in (l)") "  exceptions:\n  - name: e\n    fields: [fd.name]\n    values: [[f1]]\n"
						   "- rule: R\n  condition: and evt.type = open\n  append: true\n"
						   "  exceptions:\n  - name: e\n    values: [[f2]]\n  - name: e2\n    fields: fd.name\n    values: [g]\n");
	ck_assert_int_eq(ruleset_errors(rs), 0);
	ck_assert_int_eq(ruleset_warnings(rs), 3); /* deprecated append x3 */
	EXPECT_COND(
		rs, "R",
		"((proc.name = x or proc.name = y) and proc.pname in (a, b) and evt.type = open and "
		"not (fd.name = f1 or fd.name = f2) and not fd.name in (g))");
	ruleset_free(rs);

	rs = load("- rule: nope\n  condition: a\n  append: true\n");
	EXPECT_DIAGS(
		rs,
		"W-DEPRECATED 1:3 'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.\n"
		"E-NO-PREVIOUS 1:3 Rule has 'append' key or an append override but no rule by that name already exists\n");
	ruleset_free(rs);
}
END_TEST

START_TEST(override_matrix)
{
	struct ruleset *rs = load(
		"- list: l\n  items: [a]\n"
		"- list: l\n  items: [b]\n  override:\n    items: append\n"
		"- list: l2\n  items: [a]\n"
		"- list: l2\n  items: [c]\n  override:\n    items: replace\n"
		"- macro: m\n  condition: proc.name = x\n"
		"- macro: m\n  condition: or proc.name = y\n  override:\n    condition: append\n"
		"- rule: R\n  desc: d\n  output: out\n  priority: INFO\n  tags: [t1]\n"
		"  condition: m and proc.pname in (l, l2)\n"
		"- rule: R\n  condition: and evt.type = open\n  output: more\n  desc: dd\n  tags: [t2, t1]\n"
		"  override:\n    condition: append\n    output: append\n    desc: append\n    tags: append\n"
		"- rule: R\n  priority: critical\n  enabled: false\n  warn_evttypes: false\n  skip-if-unknown-filter: true\n"
		"  override:\n    priority: replace\n    enabled: replace\n    warn_evttypes: replace\n"
		"    skip-if-unknown-filter: replace\n"
		"- rule: R2\n  desc: d\n  output: o\n  priority: INFO\n  condition: evt.type = open\n  tags: [x]\n"
		"- rule: R2\n  condition: evt.type = close\n  tags: [y]\n  desc: new\n"
		"  override:\n    condition: replace\n    tags: replace\n    desc: replace\n");
	EXPECT_DIAGS(rs, "");
	EXPECT_COND(
		rs, "R",
		"((proc.name = x or proc.name = y) and proc.pname in (a, b, c) and evt.type = open)");
	const struct rule_def *r = ruleset_find_rule(rs, "R");
	ck_assert_str_eq(r->output, "out more");
	ck_assert_str_eq(r->desc, "d dd");
	ck_assert_int_eq(r->ntags, 2);
	ck_assert_str_eq(r->tags[0], "t1");
	ck_assert_str_eq(r->tags[1], "t2");
	ck_assert_int_eq(r->priority, SHRIKE_PRI_CRITICAL);
	ck_assert(!r->enabled && !r->warn_evttypes && r->skip_if_unknown_filter);
	EXPECT_COND(rs, "R2", "evt.type = close");
	r = ruleset_find_rule(rs, "R2");
	ck_assert_str_eq(r->desc, "new");
	ck_assert_int_eq(r->ntags, 1);
	ck_assert_str_eq(r->tags[0], "y");
	ck_assert_int_eq(rs->rules[0].priority, SHRIKE_PRI_CRITICAL); /* R keeps its place */
	ruleset_free(rs);
}
END_TEST

START_TEST(override_errors)
{
	static const struct {
		const char *y, *want;
	} c[] = {
		{ RULE("R",
		       "evt.type = open") "- rule: R\n  priority: INFO\n  override:\n    priority: append\n",
		  "E-OVERRIDE 9:5 Key 'priority' cannot be appended to, use 'replace' instead\n" },
		{ RULE("R",
		       "evt.type = open") "- rule: R\n  enabled: false\n  override:\n    enabled: merge\n",
		  "E-OVERRIDE 9:14 Invalid override operation for key 'enabled': 'merge'. Allowed values are: replace \n" },
		{ RULE("R",
		       "evt.type = open") "- rule: R\n  condition: x\n  output: o\n  override:\n    condition: append\n",
		  "E-OVERRIDE 8:11 Unexpected key 'output': no corresponding entry under 'override' is defined.\n" },
		{ RULE("R", "evt.type = open") "- rule: R\n  override:\n    condition: append\n",
		  "E-OVERRIDE 6:3 An append override for 'condition' was specified but 'condition' is not defined\n" },
		{ RULE("R",
		       "evt.type = open") "- rule: R\n  condition: x\n  append: true\n  override:\n    condition: append\n",
		  "W-DEPRECATED 6:3 'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.\n"
		  "E-OVERRIDE 6:3 Keys 'override' and 'append: true' cannot be used together.\n" },
		{ "- rule: R\n  condition: x\n  override:\n    condition: replace\n",
		  "E-NO-PREVIOUS 1:3 An replace override for rule 'R' was specified but no rule by that name already exists\n" },
		{ "- macro: m\n  condition: x\n  override:\n    condition: append\n",
		  "E-NO-PREVIOUS 1:3 Macro has 'append' key or an append override but no macro by that name already exists\n" },
		{ "- list: l\n  items: [x]\n  override:\n    items: append\n",
		  "E-NO-PREVIOUS 1:3 List has 'append' key or an append override but no list by that name already exists\n" },
		{ "- rule: R\n  enabled: false\n",
		  "W-DEPRECATED 1:3 The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').\n"
		  "E-NO-PREVIOUS 1:3 Rule has 'enabled' key but no rule by that name already exists\n" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		struct ruleset *rs = load(c[i].y);
		char *g = diags(rs);
		ck_assert_msg(!strcmp(g, c[i].want), "case %zu: got '%s' want '%s'", i, g,
			      c[i].want);
		free(g);
		ruleset_free(rs);
	}
}
END_TEST

START_TEST(enabled_source_priority)
{
	struct ruleset *rs = load(
		RULE("A", "evt.type = open") "- rule: A\n  enabled: false\n" RULE("K", "ka.verb = create") "  source: k8s_audit\n" RULE(
			"P",
			"evt.type = open") "  source: aws_cloudtrail\n"
					   "- rule: P\n  condition: and evt.type = close\n  override:\n    condition: append\n"
					   "- rule: C\n  desc: d\n  output: o\n  priority: eMeRgEnCy\n  condition: evt.type = open\n");
	ck_assert_int_eq(ruleset_errors(rs), 0);
	ck_assert_int_eq(rs->nrules, 3); /* P skipped */
	ck_assert(!ruleset_find_rule(rs, "A")->enabled);
	ck_assert_int_eq(ruleset_find_rule(rs, "K")->source, SHRIKE_SRC_K8S_AUDIT);
	ck_assert_ptr_null(ruleset_find_rule(rs, "P"));
	ck_assert_int_eq(ruleset_find_rule(rs, "C")->priority, SHRIKE_PRI_EMERGENCY);
	char *g = diags(rs);
	ck_assert_ptr_nonnull(
		strstr(g, "W-UNKNOWN-SOURCE 19:11 Unknown source aws_cloudtrail, skipping\n"));
	free(g);
	ruleset_free(rs);

	rs = load(RULE("A", "evt.type = open") "  source: k8s_audit\n");
	EXPECT_DIAGS(
		rs,
		"E-FIELD-SOURCE 5:14 field 'evt.type' belongs to source 'syscall', not to this rule's source 'k8s_audit'\n");
	ruleset_free(rs);

	rs = load(RULE("A", "evt.type = open") RULE("A", "ka.verb = x") "  source: k8s_audit\n");
	EXPECT_DIAGS(rs, "E-SOURCE-CHANGE 6:3 Rule has been re-defined with a different source\n");
	ruleset_free(rs);

	for (int i = 0; i < __SHRIKE_PRI_MAX; i++)
		ck_assert_int_eq(ruleset_parse_priority(ruleset_priority_str(i)), i);
	ck_assert_int_eq(ruleset_parse_priority("INFO"), SHRIKE_PRI_INFORMATIONAL);
	ck_assert_int_eq(ruleset_parse_priority("warning"), SHRIKE_PRI_WARNING);
	ck_assert_int_eq(ruleset_parse_priority("warn"), -1);
}
END_TEST

START_TEST(skip_unknown_filter)
{
	struct ruleset *rs = load(RULE("A", "xyz.f = 1") "  skip-if-unknown-filter: true\n" RULE(
		"B", "evt.type = open"));
	EXPECT_DIAGS(
		rs,
		"W-UNKNOWN-FILTER 1:3 rule skipped: its condition uses 1 unknown field and it has skip-if-unknown-filter\n");
	ck_assert_int_eq(rs->nrules, 1);
	ruleset_free(rs);
}
END_TEST

START_TEST(versions)
{
	struct ruleset *rs =
		load("- required_engine_version: 9\n- required_engine_version: 0.11.2\n"
		     "- required_plugin_versions:\n  - name: p\n    version: 1.2.3\n"
		     "    alternatives:\n    - name: q\n      version: 0.1.0\n");
	EXPECT_DIAGS(rs, "");
	ck_assert_str_eq(rs->required_engine_version, "0.11.2");
	ck_assert_int_eq(rs->nplugins, 1);
	ck_assert_str_eq(rs->plugins[0].alternatives[0].name, "q");
	ruleset_free(rs);
	rs = load("- required_engine_version: 0.99.0\n- required_engine_version: x.y\n");
	EXPECT_DIAGS(
		rs,
		"E-ENGINE-VERSION 1:28 Rules require engine version 0.99.0, but engine version is " SHRIKEC_ENGINE_VERSION
		"\n"
		"E-ENGINE-VERSION 2:28 Unable to parse engine version 'x.y' as a semver string. Expected \"x.y.z\" semver format.\n");
	ruleset_free(rs);
}
END_TEST

START_TEST(malformed)
{
	static const char *const bad[] = {
		"",
		"---\n",
		"a: b\n",
		"- [a, b]\n",
		"- rule: [x]\n",
		"- rule: r\n  condition: [a]\n",
		"- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition:\n",
		"- macro: m\n  condition: {a: b}\n",
		"- list: l\n  items: x\n",
		"- list: l\n  items: [[a]]\n",
		"- list: 'a b'\n  items: []\n",
		"- macro: 1m\n  condition: x\n",
		"- rule: r\n  exceptions: 3\n",
		"- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition: a\n  exceptions: [3, {name: [x]}]\n",
		"- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition: a\n  tags: x\n  enabled: maybe\n",
		"- required_plugin_versions: 3\n",
		"- required_plugin_versions: [3, {name: x}, {name: y, version: z}]\n",
		"- rule: r\n  override: 3\n",
		"- rule: r\n  override: {x: [1]}\n",
		"[unclosed\n",
		"- a: *nope\n",
		"- &x {list: l, items: [a]}\n- *x\n",
		"\t- tab\n",
		"- rule: \"\\q\"\n",
		"- { \n",
		"- macro: m\n  condition: a\n- macro: a\n  condition: m\n",
		"? [a]\n: b\n",
		"- !!str rule\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct ruleset *rs = load(bad[i]);
		FILE *f = fopen("/dev/null", "w");
		diag_print_all(f, &rs->diags);
		ruleset_print_json(f, rs);
		fclose(f);
		ruleset_free(rs);
	}
}
END_TEST

START_TEST(directory_and_errors_on_io)
{
	char dir[] = "/tmp/shrike-loader-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char p1[128], p2[128], p3[128];
	snprintf(p1, sizeof(p1), "%s/b.yaml", dir);
	snprintf(p2, sizeof(p2), "%s/a.yml", dir);
	snprintf(p3, sizeof(p3), "%s/c.txt", dir);
	FILE *f = fopen(p1, "w");
	fputs("- macro: m\n  condition: or proc.name = y\n  override:\n    condition: append\n", f);
	fclose(f);
	f = fopen(p2, "w");
	fputs("- macro: m\n  condition: proc.name = x\n" RULE("R", "m"), f);
	fclose(f);
	f = fopen(p3, "w");
	fputs("garbage: [", f);
	fclose(f);
	struct ruleset *rs = ruleset_new();
	ck_assert_int_eq(ruleset_load_path(rs, dir), 0);
	ck_assert_int_eq(ruleset_finish(rs), 0);
	EXPECT_COND(rs, "R", "(proc.name = x or proc.name = y)");
	ck_assert_int_eq(rs->nfiles, 2);
	ruleset_free(rs);
	unlink(p1);
	unlink(p2);
	unlink(p3);
	rmdir(dir);

	rs = ruleset_new();
	ck_assert_int_eq(ruleset_load_path(rs, "/nonexistent/rules.yaml"), -1);
	ck_assert_int_eq(ruleset_errors(rs), 1);
	ck_assert_int_eq(rs->diags.v[0].code, DIAG_E_IO);
	ruleset_free(rs);
}
END_TEST

static const char *const falco_files[] = {
	"falco_rules.yaml",	   "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml",
	"falco_rules.0.31.0.yaml", "k8s_audit_rules.0.31.0.yaml", "k8s_audit_rules.yaml",
};

START_TEST(falco_files_load)
{
	char path[256];
	snprintf(path, sizeof(path), "../shared/falco/%s", falco_files[_i]);
	struct ruleset *rs = ruleset_new();
	ruleset_load_path(rs, path);
	ruleset_finish(rs);
	if (ruleset_errors(rs))
		diag_print_all(stderr, &rs->diags);
	ck_assert_int_eq(ruleset_errors(rs), 0);
	ck_assert_int_gt(rs->nrules, 0);
	for (size_t i = 0; i < rs->nrules; i++)
		ck_assert_ptr_nonnull(rs->rules[i].cond);
	printf("loader: %s: %zu rules, %zu warnings\n", falco_files[_i], rs->nrules,
	       ruleset_warnings(rs));
	ruleset_free(rs);
}
END_TEST

START_TEST(falco_files_together)
{
	/* As Falco deploys them: stable first, then incubating and sandbox. */
	struct ruleset *rs = ruleset_new();
	ruleset_load_path(rs, "../shared/falco/falco_rules.yaml");
	ruleset_load_path(rs, "../shared/falco/falco-incubating_rules.yaml");
	ruleset_load_path(rs, "../shared/falco/falco-sandbox_rules.yaml");
	ruleset_finish(rs);
	if (ruleset_errors(rs))
		diag_print_all(stderr, &rs->diags);
	ck_assert_int_eq(ruleset_errors(rs), 0);
	printf("loader: stable+incubating+sandbox: %zu rules, %zu warnings\n", rs->nrules,
	       ruleset_warnings(rs));
	ruleset_free(rs);
}
END_TEST

/* Falco's rule selection (select.h): matches_wildcard's answers, -D/-T/-t
 * in Falco's order, a `rules:` list in its own order. */
START_TEST(rule_selection)
{
	static const struct {
		const char *pat, *name;
		bool match;
	} w[] = {
		{ "*", "anything", true },
		{ "**", "", true },
		{ "Write below*", "Write below etc", true },
		{ "*below*", "Write below etc", true },
		{ "*etc", "Write below etc", true },
		{ "Write", "Write below etc", false },
		{ "W*e*c", "Write below etc", true },
		{ "*ab", "abab", false }, /* Falco looks for "ab" once, at 0 */
		{ "Write below etc*", "Write below", false },
	};
	const char *yaml = "- rule: A\n  desc: d\n  condition: evt.type = open\n  output: o\n"
			   "  priority: ERROR\n  tags: [x, y]\n"
			   "- rule: B\n  desc: d\n  condition: evt.type = open\n  output: o\n"
			   "  priority: ERROR\n  tags: [y]\n"
			   "- rule: AB\n  desc: d\n  condition: evt.type = open\n  output: o\n"
			   "  priority: ERROR\n  enabled: false\n";
	char *D[] = { "A" }, *T[] = { "x" }, *t[] = { "y" }, err[128];
	struct rule_selection s = { 0 };
	struct ruleset *rs;
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		ck_assert_msg(rsel_wildcard_match(w[i].pat, w[i].name) == w[i].match, "%s ~ %s",
			      w[i].pat, w[i].name);
	ck_assert_int_eq(rsel_from_cli(&s, D, 1, NULL, 0, t, 1, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "You can not specify both disabled (-D/-T) and enabled (-t) rules");
	/* -t y: B and A, not AB (disabled in its file, no tag). */
	rs = load(yaml);
	ck_assert_int_eq(rsel_from_cli(&s, NULL, 0, NULL, 0, t, 1, err, sizeof(err)), 0);
	rsel_apply(&s, rs, NULL, "");
	ck_assert(ruleset_find_rule(rs, "A")->enabled && ruleset_find_rule(rs, "B")->enabled &&
		  !ruleset_find_rule(rs, "AB")->enabled);
	rsel_free(&s);
	ruleset_free(rs);
	/* -D A -T x: every -D, then every -T. */
	rs = load(yaml);
	ck_assert_int_eq(rsel_from_cli(&s, D, 1, T, 1, NULL, 0, err, sizeof(err)), 0);
	rsel_apply(&s, rs, NULL, "");
	ck_assert(!ruleset_find_rule(rs, "A")->enabled && ruleset_find_rule(rs, "B")->enabled &&
		  !ruleset_find_rule(rs, "AB")->enabled);
	rsel_free(&s);
	ruleset_free(rs);
	/* rules: [disable {rule: "*"}, enable {rule: "A*"}, disable {tag: x}]:
	 * in order, and an enable wins over the file's enabled: false. */
	rs = load(yaml);
	ck_assert_int_eq(rsel_add(&s, false, RSEL_WILDCARD, "*"), 0);
	ck_assert_int_eq(rsel_add(&s, true, RSEL_WILDCARD, "A*"), 0);
	ck_assert_int_eq(rsel_add(&s, false, RSEL_TAG, "x"), 0);
	rsel_apply(&s, rs, NULL, "");
	ck_assert(!ruleset_find_rule(rs, "A")->enabled && !ruleset_find_rule(rs, "B")->enabled &&
		  ruleset_find_rule(rs, "AB")->enabled);
	rsel_free(&s);
	ruleset_free(rs);
}
END_TEST

Suite *make_loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("semantics");
	tcase_add_test(tc, macros_and_lists);
	tcase_add_test(tc, macro_visibility_and_cycles);
	tcase_add_test(tc, nested_lists_visibility);
	tcase_add_test(tc, list_as_value);
	tcase_add_test(tc, exceptions_forms);
	tcase_add_test(tc, exceptions_errors);
	tcase_add_test(tc, legacy_append);
	tcase_add_test(tc, override_matrix);
	tcase_add_test(tc, override_errors);
	tcase_add_test(tc, enabled_source_priority);
	tcase_add_test(tc, skip_unknown_filter);
	tcase_add_test(tc, versions);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, directory_and_errors_on_io);
	tcase_add_test(tc, rule_selection);
	suite_add_tcase(s, tc);
	TCase *tf = tcase_create("falco");
	tcase_set_timeout(tf, 60);
	tcase_add_loop_test(tf, falco_files_load, 0, sizeof(falco_files) / sizeof(*falco_files));
	tcase_add_test(tf, falco_files_together);
	suite_add_tcase(s, tf);
	return s;
}
