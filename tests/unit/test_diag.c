/* test_diag.c - diagnostics: golden files (tests/unit/diag/NAME.yaml is
 * loaded, the printed diagnostics must equal NAME.expected byte for byte),
 * the YAML value -> file position mapping for every scalar style, and the
 * JSON validation output. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compiler/loader.h"
#include "lib/yamldoc.h"

#define GOLDEN_DIR "tests/unit/diag"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

START_TEST(golden)
{
	DIR *d = opendir(GOLDEN_DIR);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml"))
			continue;
		char yaml[512], exp[512];
		snprintf(yaml, sizeof(yaml), GOLDEN_DIR "/%s", e->d_name);
		snprintf(exp, sizeof(exp), GOLDEN_DIR "/%.*s.expected", (int)(l - 5), e->d_name);
		struct ruleset *rs = ruleset_new();
		ruleset_load_path(rs, yaml);
		ruleset_finish(rs);
		char *got = NULL;
		size_t glen = 0;
		FILE *m = open_memstream(&got, &glen);
		diag_print_all(m, &rs->diags);
		fclose(m);
		char *want = slurp(exp);
		if (getenv("SHRIKE_GOLDEN_UPDATE")) {
			FILE *w = fopen(exp, "w");
			fputs(got, w);
			fclose(w);
		} else {
			ck_assert_msg(want != NULL, "missing %s", exp);
			ck_assert_msg(!strcmp(got, want), "%s:\n--- got\n%s--- want\n%s", yaml, got,
				      want);
		}
		free(got);
		free(want);
		ruleset_free(rs);
		n++;
	}
	closedir(d);
	ck_assert_int_ge(n, 6);
}
END_TEST

/* Position of the first occurrence of `tok` inside the scalar's value. */
static struct ymark mark_of(const struct ynode *n, const char *tok)
{
	const char *p = strstr(n->str, tok);
	ck_assert_msg(p != NULL, "'%s' not in '%s'", tok, n->str);
	return ynode_value_mark(n, (size_t)(p - n->str));
}

#define AT(n, tok, l, c)                                                                        \
	do {                                                                                    \
		struct ymark _m = mark_of(n, tok);                                              \
		ck_assert_msg(_m.line == (l) && _m.col == (c), "%s: got %d:%d want %d:%d", tok, \
			      _m.line, _m.col, l, c);                                           \
	} while (0)

START_TEST(value_positions)
{
	static const char y[] = "plain: a b\n"		    /* 1 */
				"  cc dd\n"		    /* 2 */
				"single: 'it''s\n"	    /* 3 */
				"   x'\n"		    /* 4 */
				"double: \"t\\tq\\\"r \\\n" /* 5 */
				"    \\ s \\u00e9z\"\n"	    /* 6 */
				"lit: |\n"		    /* 7 */
				"  l1 a\n"		    /* 8 */
				"    l2 b\n"		    /* 9 */
				"\n"			    /* 10 */
				"  l3 c\n"		    /* 11 */
				"fold: >-\n"		    /* 12 */
				"   f1\n"		    /* 13 */
				"   f2 g\n"		    /* 14 */
				"\n"			    /* 15 */
				"   f3\n";		    /* 16 */
	struct diag_list dl;
	diag_list_init(&dl);
	struct ydoc *d = ydoc_load("y", y, strlen(y), &dl);
	ck_assert_ptr_nonnull(d);
	const struct ynode *root = d->docs[0];
	const struct ynode *plain = ymap_get(root, "plain"), *single = ymap_get(root, "single");
	const struct ynode *dbl = ymap_get(root, "double"), *lit = ymap_get(root, "lit");
	const struct ynode *fold = ymap_get(root, "fold");
	ck_assert_str_eq(plain->str, "a b cc dd");
	AT(plain, "b", 1, 10);
	AT(plain, "cc", 2, 3);
	AT(plain, "dd", 2, 6);
	ck_assert_str_eq(single->str, "it's x");
	AT(single, "s", 3, 14);
	AT(single, "x", 4, 4);
	ck_assert_str_eq(dbl->str, "t\tq\"r  s \xc3\xa9z");
	AT(dbl, "q", 5, 13);
	AT(dbl, "r", 5, 16);
	AT(dbl, "s", 6, 7);
	AT(dbl, "z", 6, 15);
	ck_assert_int_eq(lit->style, YS_LITERAL);
	ck_assert_str_eq(lit->str, "l1 a\n  l2 b\n\nl3 c\n");
	AT(lit, "a", 8, 6);
	AT(lit, "l2", 9, 5);
	AT(lit, "b", 9, 8);
	AT(lit, "l3", 11, 3);
	ck_assert_int_eq(fold->style, YS_FOLDED);
	ck_assert_str_eq(fold->str, "f1 f2 g\nf3");
	AT(fold, "f2", 14, 4);
	AT(fold, "g", 14, 7);
	AT(fold, "f3", 16, 4);
	ck_assert_int_eq(dl.n, 0);
	ydoc_free(d);
	diag_list_free(&dl);
}
END_TEST

START_TEST(yaml_error_position)
{
	struct diag_list dl;
	diag_list_init(&dl);
	static const char y[] = "- a: [1, 2\n- b\n";
	ck_assert_ptr_null(ydoc_load("bad.yaml", y, strlen(y), &dl));
	ck_assert_int_eq(dl.n, 1);
	ck_assert_int_eq(dl.v[0].code, DIAG_E_YAML);
	/* libyaml notices the unclosed flow sequence at the end of input */
	ck_assert_int_eq(dl.v[0].loc.line, 3);
	ck_assert_int_eq(dl.v[0].loc.col, 1);
	ck_assert_str_eq(dl.v[0].msg,
			 "did not find expected ',' or ']' while parsing a flow sequence");
	diag_list_free(&dl);
}
END_TEST

START_TEST(json_output)
{
	static const char y[] =
		"- required_engine_version: 0.50.0\n"
		"- rule: R\n  desc: d\n  output: o\n  priority: INFO\n  condition: nope\n  colour: red\n";
	struct ruleset *rs = ruleset_new();
	ruleset_load_string(rs, "j.yaml", y, strlen(y));
	ruleset_finish(rs);
	char *got = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&got, &len);
	ruleset_print_json(m, rs);
	fclose(m);
	ck_assert_str_eq(
		got,
		"{\"required_engine_version\":\"0.50.0\",\"required_plugin_versions\":[],\"files\":[\"j.yaml\"],"
		"\"successful\":false,\"errors\":[{\"code\":\"E-UNDEF-MACRO\",\"codedesc\":\"undefined macro\","
		"\"message\":\"Undefined macro 'nope' used in filter.\",\"context\":{\"locations\":["
		"{\"item_type\":\"rule\",\"item_name\":\"R\",\"position\":{\"name\":\"j.yaml\",\"line\":2,\"column\":3,\"offset\":0}},"
		"{\"item_type\":\"rule\",\"item_name\":\"R\",\"position\":{\"name\":\"j.yaml\",\"line\":6,\"column\":14,\"offset\":96}}],"
		"\"snippet\":\"  condition: nope\"}}],"
		"\"warnings\":[{\"code\":\"W-UNKNOWN-KEY\",\"codedesc\":\"unknown key, ignored\","
		"\"message\":\"unknown key 'colour' in rule, ignored\",\"context\":{\"locations\":["
		"{\"item_type\":\"rule\",\"item_name\":\"R\",\"position\":{\"name\":\"j.yaml\",\"line\":2,\"column\":3,\"offset\":0}},"
		"{\"item_type\":\"rule\",\"item_name\":\"R\",\"position\":{\"name\":\"j.yaml\",\"line\":7,\"column\":3,\"offset\":103}}],"
		"\"snippet\":\"  colour: red\"}}]}\n");
	free(got);
	ruleset_free(rs);
}
END_TEST

START_TEST(catalogue)
{
	for (int c = 0; c < __DIAG_MAX; c++) {
		const char *s = diag_code_str(c);
		ck_assert(s[0] == (diag_code_severity(c) == DIAG_SEV_ERROR ? 'E' : 'W') &&
			  s[1] == '-');
		for (int o = 0; o < c; o++)
			ck_assert_str_ne(s, diag_code_str(o));
	}
}
END_TEST

Suite *make_diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("diag");
	tcase_add_test(tc, golden);
	tcase_add_test(tc, value_positions);
	tcase_add_test(tc, yaml_error_position);
	tcase_add_test(tc, json_output);
	tcase_add_test(tc, catalogue);
	suite_add_tcase(s, tc);
	return s;
}
